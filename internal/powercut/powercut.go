// Package powercut is a filesystem that can lose power: a FUSE mount
// (go-fuse, mounted with mount(2) directly, as root) that passes reads
// and writes through to memory and remembers, for every file, what it
// held at its last fsync or fdatasync, and for every directory, which
// entries it held at its last fsync. Cut unmounts it and keeps only that:
// writes since a file's last sync are gone, and so are the entries
// created, renamed or removed in a directory since its last sync, the
// model of LazyFS, with which Jepsen found NATS losing acknowledged
// writes. A process's kill -9 leaves its writes in the kernel's page
// cache, where they survive; a power cut does not, and only this shows
// whether a store's "acknowledged after fsync" holds.
//
// It serves the failure tests; it is not a filesystem to keep data on.
package powercut

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// ErrUnsupported: this machine cannot mount FUSE filesystems here (no
// /dev/fuse, or not root).
var ErrUnsupported = errors.New("FUSE mounts are not possible here")

// Supported reports whether Mount can work: /dev/fuse exists and the
// process is root (mount(2) needs it).
func Supported() error {
	if _, err := os.Stat("/dev/fuse"); err != nil {
		return fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: mount(2) needs root", ErrUnsupported)
	}
	return nil
}

// Tree is a filesystem's content: what survives a power cut. The zero
// Tree is an empty directory.
type Tree struct {
	Dir      bool
	Data     []byte
	Children map[string]*Tree
}

// Files returns the paths of the regular files in t, sorted, with their
// sizes (for messages and tests).
func (t *Tree) Files() map[string]int {
	out := map[string]int{}
	var walk func(prefix string, t *Tree)
	walk = func(prefix string, t *Tree) {
		for name, c := range t.Children {
			if c.Dir {
				walk(prefix+name+"/", c)
			} else {
				out[prefix+name] = len(c.Data)
			}
		}
	}
	walk("", t)
	return out
}

// Mount is a mounted power-cut filesystem.
type Mount struct {
	Dir  string // where it is mounted
	srv  *fuse.Server
	root *dirNode
	mu   *sync.Mutex // the whole filesystem's: simple, and fast enough for tests
	cut  bool
}

// New mounts a filesystem holding t (all of it synced) at dir, an empty
// directory.
func New(dir string, t *Tree) (*Mount, error) {
	if err := Supported(); err != nil {
		return nil, err
	}
	if t == nil {
		t = &Tree{Dir: true}
	}
	m := &Mount{Dir: dir, mu: &sync.Mutex{}}
	m.root = &dirNode{m: m}
	m.root.load = t
	sec := time.Second
	srv, err := fs.Mount(dir, m.root, &fs.Options{
		EntryTimeout: &sec, AttrTimeout: &sec, NegativeTimeout: &sec,
		MountOptions: fuse.MountOptions{DirectMountStrict: true, FsName: "powercut", Name: "powercut", DisableXAttrs: true},
	})
	if err != nil {
		return nil, fmt.Errorf("mounting at %s: %w", dir, err)
	}
	m.srv = srv
	return m, nil
}

// Cut loses power: it unmounts (every process using the mount must be
// gone) and returns what was synced. The mount is unusable afterwards.
func (m *Mount) Cut() (*Tree, error) {
	m.mu.Lock()
	m.cut = true
	t := m.root.durable()
	m.mu.Unlock()
	if err := m.srv.Unmount(); err != nil {
		return t, fmt.Errorf("unmounting %s: %w", m.Dir, err)
	}
	return t, nil
}

// Unmount unmounts without a power cut and returns everything written,
// synced or not (a clean shutdown).
func (m *Mount) Unmount() (*Tree, error) {
	m.mu.Lock()
	m.cut = true
	t := m.root.current()
	m.mu.Unlock()
	return t, m.srv.Unmount()
}

// dirNode is a directory: its current entries are the go-fuse inode tree's
// children; synced holds the entries of its last fsync.
type dirNode struct {
	fs.Inode
	m      *Mount
	synced map[string]fs.InodeEmbedder
	load   *Tree // content to create on first use (the root)
}

// fileNode is a regular file: data is what reads see, synced what its last
// fsync saw (nil: never synced, empty after a cut).
type fileNode struct {
	fs.Inode
	m      *Mount
	data   []byte
	synced []byte
	// shared: synced is data's prefix, in the same array (an fsync does
	// not copy: block files are fsynced hundreds of times a second). A
	// change below len(synced) copies data first; appends need not.
	shared bool
	mode   uint32
	mtime  time.Time
}

// own makes data safe to change from offset off on: a copy, if synced
// shares its array there.
func (f *fileNode) own(off int64) {
	if f.shared && off < int64(len(f.synced)) {
		f.data = slices.Clone(f.data)
		f.shared = false
	}
}

var (
	_ = (fs.NodeOnAdder)((*dirNode)(nil))
	_ = (fs.NodeMkdirer)((*dirNode)(nil))
	_ = (fs.NodeCreater)((*dirNode)(nil))
	_ = (fs.NodeUnlinker)((*dirNode)(nil))
	_ = (fs.NodeRmdirer)((*dirNode)(nil))
	_ = (fs.NodeRenamer)((*dirNode)(nil))
	_ = (fs.NodeFsyncer)((*dirNode)(nil))
	_ = (fs.NodeGetattrer)((*dirNode)(nil))
	_ = (fs.NodeSetattrer)((*dirNode)(nil))
	_ = (fs.NodeStatfser)((*dirNode)(nil))
	_ = (fs.NodeOpener)((*fileNode)(nil))
	_ = (fs.NodeReader)((*fileNode)(nil))
	_ = (fs.NodeWriter)((*fileNode)(nil))
	_ = (fs.NodeFsyncer)((*fileNode)(nil))
	_ = (fs.NodeFlusher)((*fileNode)(nil))
	_ = (fs.NodeGetattrer)((*fileNode)(nil))
	_ = (fs.NodeSetattrer)((*fileNode)(nil))
	_ = (fs.NodeAllocater)((*fileNode)(nil))
)

// OnAdd builds the root's content from the tree it was mounted with.
func (d *dirNode) OnAdd(ctx context.Context) {
	if d.load == nil {
		return
	}
	d.m.mu.Lock()
	defer d.m.mu.Unlock()
	d.build(ctx, d.load)
	d.load = nil
}

func (d *dirNode) build(ctx context.Context, t *Tree) {
	d.synced = map[string]fs.InodeEmbedder{}
	for name, c := range t.Children {
		var e fs.InodeEmbedder
		if c.Dir {
			sub := &dirNode{m: d.m}
			d.AddChild(name, d.NewPersistentInode(ctx, sub, fs.StableAttr{Mode: syscall.S_IFDIR}), false)
			sub.build(ctx, c)
			e = sub
		} else {
			f := &fileNode{m: d.m, data: slices.Clone(c.Data), synced: slices.Clone(c.Data), mode: 0o644, mtime: time.Now()}
			d.AddChild(name, d.NewPersistentInode(ctx, f, fs.StableAttr{Mode: syscall.S_IFREG}), false)
			e = f
		}
		d.synced[name] = e
	}
}

// durable is what survives a cut: entries of the last directory syncs,
// data of the last file syncs. Lock held.
func (d *dirNode) durable() *Tree {
	t := &Tree{Dir: true, Children: map[string]*Tree{}}
	for name, e := range d.synced {
		switch c := e.(type) {
		case *dirNode:
			t.Children[name] = c.durable()
		case *fileNode:
			t.Children[name] = &Tree{Data: slices.Clone(c.synced)}
		}
	}
	return t
}

// current is everything written. Lock held.
func (d *dirNode) current() *Tree {
	t := &Tree{Dir: true, Children: map[string]*Tree{}}
	for name, ch := range d.Children() {
		switch c := ch.Operations().(type) {
		case *dirNode:
			t.Children[name] = c.current()
		case *fileNode:
			t.Children[name] = &Tree{Data: slices.Clone(c.data)}
		}
	}
	return t
}

func (d *dirNode) Mkdir(ctx context.Context, name string, mode uint32, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	d.m.mu.Lock()
	defer d.m.mu.Unlock()
	sub := &dirNode{m: d.m, synced: map[string]fs.InodeEmbedder{}}
	out.Mode = syscall.S_IFDIR | 0o755
	return d.NewPersistentInode(ctx, sub, fs.StableAttr{Mode: syscall.S_IFDIR}), 0
}

func (d *dirNode) Create(ctx context.Context, name string, flags uint32, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	d.m.mu.Lock()
	defer d.m.mu.Unlock()
	f := &fileNode{m: d.m, mode: mode & 0o7777, mtime: time.Now()}
	out.Mode = syscall.S_IFREG | f.mode
	return d.NewPersistentInode(ctx, f, fs.StableAttr{Mode: syscall.S_IFREG}), nil, 0, 0
}

// Unlink, Rmdir and Rename change the current entries (go-fuse moves the
// inodes when they return); the synced ones change at the next fsync.
func (d *dirNode) Unlink(ctx context.Context, name string) syscall.Errno { return 0 }
func (d *dirNode) Rmdir(ctx context.Context, name string) syscall.Errno  { return 0 }
func (d *dirNode) Rename(ctx context.Context, name string, newParent fs.InodeEmbedder, newName string, flags uint32) syscall.Errno {
	if flags != 0 {
		return syscall.EINVAL // RENAME_EXCHANGE, RENAME_NOREPLACE: not needed here
	}
	return 0
}

// Fsync of a directory makes its current entries the ones that survive.
func (d *dirNode) Fsync(ctx context.Context, fh fs.FileHandle, flags uint32) syscall.Errno {
	d.m.mu.Lock()
	defer d.m.mu.Unlock()
	d.synced = map[string]fs.InodeEmbedder{}
	for name, ch := range d.Children() {
		d.synced[name] = ch.Operations()
	}
	return 0
}

func (d *dirNode) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	out.Mode = syscall.S_IFDIR | 0o755
	out.Nlink = 2
	return 0
}

func (d *dirNode) Setattr(ctx context.Context, fh fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	return d.Getattr(ctx, fh, out)
}

// Statfs says there is room: JetStream sizes its store from it.
func (d *dirNode) Statfs(ctx context.Context, out *fuse.StatfsOut) syscall.Errno {
	out.Bsize, out.Frsize = 4096, 4096
	out.Blocks, out.Bfree, out.Bavail = 1<<22, 1<<22, 1<<22 // 16 GiB
	out.Files, out.Ffree = 1<<20, 1<<20
	out.NameLen = 255
	return 0
}

func (f *fileNode) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	if flags&syscall.O_TRUNC != 0 {
		f.own(0)
		f.data = f.data[:0]
		f.mtime = time.Now()
	}
	return nil, 0, 0
}

func (f *fileNode) Read(ctx context.Context, fh fs.FileHandle, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	off = min(off, int64(len(f.data)))
	end := min(off+int64(len(dest)), int64(len(f.data)))
	return fuse.ReadResultData(slices.Clone(f.data[off:end])), 0
}

func (f *fileNode) Write(ctx context.Context, fh fs.FileHandle, data []byte, off int64) (uint32, syscall.Errno) {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	if f.m.cut {
		return 0, syscall.EIO
	}
	f.own(off)
	f.grow(off + int64(len(data)))
	copy(f.data[off:], data)
	f.mtime = time.Now()
	return uint32(len(data)), 0
}

// grow extends the data to n bytes (zeros), keeping what is there.
func (f *fileNode) grow(n int64) {
	if int64(len(f.data)) < n {
		f.data = append(f.data, make([]byte, n-int64(len(f.data)))...)
	}
}

// Fsync (and fdatasync) of a file makes its current data the data that
// survives. Its entry in its directory survives only once the directory
// is synced.
func (f *fileNode) Fsync(ctx context.Context, fh fs.FileHandle, flags uint32) syscall.Errno {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	if f.data == nil {
		f.data = []byte{}
	}
	f.synced, f.shared = f.data[:len(f.data):len(f.data)], true
	return 0
}

func (f *fileNode) Flush(ctx context.Context, fh fs.FileHandle) syscall.Errno { return 0 }

func (f *fileNode) Getattr(ctx context.Context, fh fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	out.Mode = syscall.S_IFREG | f.mode
	out.Size = uint64(len(f.data))
	out.Blocks = (out.Size + 511) / 512
	out.Nlink = 1
	out.SetTimes(nil, &f.mtime, &f.mtime)
	return 0
}

func (f *fileNode) Setattr(ctx context.Context, fh fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	f.m.mu.Lock()
	if sz, ok := in.GetSize(); ok {
		f.own(int64(sz))
		if sz <= uint64(len(f.data)) {
			f.data = f.data[:sz]
		} else {
			f.grow(int64(sz))
		}
		f.mtime = time.Now()
	}
	if mode, ok := in.GetMode(); ok {
		f.mode = mode & 0o7777
	}
	f.m.mu.Unlock()
	return f.Getattr(ctx, fh, out)
}

func (f *fileNode) Allocate(ctx context.Context, fh fs.FileHandle, off uint64, size uint64, mode uint32) syscall.Errno {
	f.m.mu.Lock()
	defer f.m.mu.Unlock()
	if mode&0x01 == 0 { // not FALLOC_FL_KEEP_SIZE
		f.own(int64(len(f.data)))
		f.grow(int64(off + size))
	}
	return 0
}

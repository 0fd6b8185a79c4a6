package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/nats-io/nats.go"

	"github.com/stancewatch/stancewatch/internal/metrics"
)

// Group commit.
//
// nats-server with sync_interval "always" fsyncs each message before its
// acknowledgement, one at a time under the stream's lock: on this kind of
// machine that is 2-3k messages a second however many publishers wait.
// Atomic batches share one fsync but stage every batch on disk first, so
// small batches gain nothing (../shared/notes/jetstream-durability.md).
//
// The store instead runs the embedded server with a timer sync and keeps
// the promise itself: the server writes each event to the stream's block
// file before it acknowledges the publish (a single-replica file store
// writes in place), and the store, before it answers an append, fsyncs
// the block files once for every append whose write is acknowledged by
// then. A lone append starts a sync at once and waits for no one; appends
// that arrive while a sync runs share the next one. This is the group
// commit of a database's write-ahead log, applied to the stream's files.
//
// Clients of the embedded server in other processes (the CLI's publish
// and ingest, against a running serve) ask for the same sync over NATS
// (syncSubject), named in the stream's metadata.

// syncMetadataKey names, in the event stream's metadata, the subject that
// confirms appends durable when the store's group commit keeps the
// promise instead of the server.
const syncMetadataKey = "stancewatch_sync_subject"

// SyncSubject is the NATS subject on which an embedded store doing group
// commit confirms that everything acknowledged so far is on disk.
func SyncSubject(stream string) string { return "stancewatch.sync." + stream }

// maxGroupWait bounds how long a round of the group commit waits for
// appends in progress to write their events and join it.
const maxGroupWait = time.Millisecond

// groupSync fsyncs the event stream's block files, sharing one fsync
// between every append waiting when it starts.
//
// A round starts when every append in progress (begin to end) has
// written its event and joined, or after maxGroupWait: a lone append
// starts its fsync at once, and concurrent writers, who come back a few
// hundred microseconds after the previous round answered them, share the
// next one instead of splitting over two.
type groupSync struct {
	files   filesSyncer
	maxWait time.Duration
	m       *metrics.Metrics // nil: not counted

	mu       sync.Mutex
	running  bool
	inflight int        // appends begun and not yet answered
	next     *syncRound // the round that starts after the running one
	stats    GroupCommitStats
}

// GroupCommitStats counts the group commit's work since the store opened.
type GroupCommitStats struct {
	Fsyncs  uint64        // rounds run
	Appends uint64        // appends (single events or atomic batches) they answered
	Busy    time.Duration // time spent in fsync
}

// GroupCommitStats returns what the group commit has done, or the zero
// value when the store does not do group commit.
func (s *Store) GroupCommitStats() GroupCommitStats {
	if s.group == nil {
		return GroupCommitStats{}
	}
	s.group.mu.Lock()
	defer s.group.mu.Unlock()
	return s.group.stats
}

// syncRound is one fsync shared by its waiters.
type syncRound struct {
	done    chan struct{}
	err     error
	waiters int
	full    chan struct{} // closed when every append in progress has joined
}

// begin counts an append in progress: it will call Sync after writing.
func (g *groupSync) begin() {
	g.mu.Lock()
	g.inflight++
	g.mu.Unlock()
}

// end counts an append answered (or given up).
func (g *groupSync) end() {
	g.mu.Lock()
	g.inflight--
	g.checkFull()
	g.mu.Unlock()
}

// checkFull lets a waiting round start once every append in progress has
// joined it. g.mu is held.
func (g *groupSync) checkFull() {
	if r := g.next; r != nil && r.full != nil && r.waiters >= g.inflight {
		close(r.full)
		r.full = nil
	}
}

// Sync returns once everything written to the stream before it was called
// is on disk.
func (g *groupSync) Sync(ctx context.Context) error {
	g.mu.Lock()
	if g.next == nil {
		g.next = &syncRound{done: make(chan struct{})}
	}
	r := g.next
	r.waiters++
	g.checkFull()
	lead := !g.running
	if lead {
		g.running = true
	}
	g.mu.Unlock()
	if lead {
		// No sync is running: this caller runs the rounds itself until its
		// own is done, and hands what queued meanwhile to a goroutine.
		for g.runRound() != r {
		}
		g.mu.Lock()
		more := g.next != nil
		if !more {
			g.running = false
		}
		g.mu.Unlock()
		if more {
			go func() {
				for g.runRound() != nil {
				}
			}()
		}
		return r.err
	}
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return fmt.Errorf("%w: waiting for the fsync: %v", eventlog.ErrUnavailable, ctx.Err())
	}
}

// runRound runs the queued round and returns it, or marks the syncer idle
// and returns nil when none is queued.
func (g *groupSync) runRound() *syncRound {
	g.mu.Lock()
	r := g.next
	if r == nil {
		g.running = false
		g.mu.Unlock()
		return nil
	}
	if r.waiters < g.inflight && g.maxWait > 0 {
		// Others are writing right now: give them a moment to join.
		full := make(chan struct{})
		r.full = full
		g.mu.Unlock()
		t := time.NewTimer(g.maxWait)
		select {
		case <-full:
		case <-t.C:
		}
		t.Stop()
		g.mu.Lock()
		r.full = nil
	}
	g.next = nil
	g.mu.Unlock()
	start := time.Now()
	r.err = g.files.sync()
	took := time.Since(start)
	g.mu.Lock()
	g.stats.Fsyncs++
	g.stats.Appends += uint64(r.waiters)
	g.stats.Busy += took
	g.mu.Unlock()
	if g.m != nil {
		g.m.GroupCommitSeconds.Observe(took.Seconds())
		g.m.GroupCommitEvents.Observe(float64(r.waiters))
	}
	close(r.done)
	return r
}

func (g *groupSync) close() { g.files.close() }

// filesSyncer makes files durable: blockFiles, or a test's double.
type filesSyncer interface {
	sync() error
	close()
}

// blockFiles are the message block files of one stream ("msgs/N.blk" in
// the stream's directory). Blocks only grow at the end: a stream that
// never deletes writes only to its last block, and a new block appears
// after it when that one is full.
type blockFiles struct {
	dir  string // the stream's msgs directory
	mu   sync.Mutex
	last int      // index of the last block synced
	f    *os.File // that block, open
}

// streamMsgDir finds the directory where the embedded server keeps a
// stream's message blocks: <store dir>/jetstream/<account>/streams/<stream>/msgs.
func streamMsgDir(dataDir, stream string) (string, error) {
	dir, err := streamDir(dataDir, stream)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "msgs"), nil
}

// streamDir finds a stream's directory under the embedded server's store:
// <store dir>/jetstream/<account>/streams/<stream>.
func streamDir(dataDir, stream string) (string, error) {
	matches, err := filepath.Glob(filepath.Join(dataDir, "jetstream", "*", "streams", stream))
	if err != nil {
		return "", err
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", fmt.Errorf("group commit: no directory of stream %s under %s", stream, dataDir)
	}
	return "", fmt.Errorf("group commit: stream %s is in %d accounts under %s; run with --sync per-message", stream, len(matches), dataDir)
}

// blocks lists the block indexes in the directory, in order.
func (b *blockFiles) blocks() ([]int, error) {
	entries, err := os.ReadDir(b.dir)
	if err != nil {
		return nil, err
	}
	var idx []int
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".blk"); ok {
			if i, err := strconv.Atoi(n); err == nil {
				idx = append(idx, i)
			}
		}
	}
	slices.Sort(idx)
	return idx, nil
}

// sync fsyncs the last block, and every block (and the directory entry)
// that appeared since the last sync.
func (b *blockFiles) sync() error { return b.syncBlocks(true) }

// syncNew fsyncs the blocks that appeared since the last call, and the
// directory that holds their entries; the last block's data it leaves
// alone (nats-server fsyncs every message with --sync per-message, but
// a new block's directory entry only on its 2-minute timer: a power cut
// in between loses the block, acknowledged messages and all).
func (b *blockFiles) syncNew() error { return b.syncBlocks(false) }

func (b *blockFiles) syncBlocks(last bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	// An atomic batch is staged whole in the stream's batches directory
	// before the server writes its messages into the block, and a start
	// after a crash finishes a batch cut half-way from there. Its staging
	// must be on disk before a block that may hold part of the batch is:
	// else a power cut leaves half a roll call in the stream and nothing to
	// finish it from (the power-cut test found this).
	if err := syncStaged(filepath.Join(filepath.Dir(b.dir), "batches")); err != nil {
		return err
	}
	if b.f != nil {
		// The common case: no new block. A stat tells.
		if _, err := os.Stat(filepath.Join(b.dir, strconv.Itoa(b.last+1)+".blk")); errors.Is(err, os.ErrNotExist) {
			if !last {
				return nil
			}
			if err := b.f.Sync(); err != nil {
				return fmt.Errorf("fsync %s: %w", b.f.Name(), err)
			}
			return nil
		}
	}
	idx, err := b.blocks()
	if err != nil {
		return fmt.Errorf("group commit: %w", err)
	}
	grew := false
	for _, i := range idx {
		if i < b.last {
			continue
		}
		if i == b.last && b.f != nil {
			if err := b.f.Sync(); err != nil {
				return fmt.Errorf("fsync %s: %w", b.f.Name(), err)
			}
			continue
		}
		f, err := os.Open(filepath.Join(b.dir, strconv.Itoa(i)+".blk"))
		if err != nil {
			return fmt.Errorf("group commit: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("fsync %s: %w", f.Name(), err)
		}
		if b.f != nil {
			b.f.Close()
		}
		b.f, b.last, grew = f, i, true
	}
	if grew {
		// A new block's directory entry must be on disk too.
		d, err := os.Open(b.dir)
		if err != nil {
			return fmt.Errorf("group commit: %w", err)
		}
		defer d.Close()
		if err := d.Sync(); err != nil {
			return fmt.Errorf("fsync %s: %w", b.dir, err)
		}
	}
	return nil
}

func (b *blockFiles) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.f != nil {
		b.f.Close()
		b.f = nil
	}
}

// startGroupCommit sets up the durability of an embedded store's
// appends and answers other processes' sync requests: with the group
// commit (Sync.Always), shared fsyncs of the block files; with
// per-message fsync, the directory entries of new blocks.
func (s *Store) startGroupCommit() error {
	dir, err := streamMsgDir(s.cfg.DataDir, s.cfg.Stream)
	if err != nil {
		return err
	}
	if s.cfg.Sync.group() {
		s.group = &groupSync{files: &blockFiles{dir: dir}, maxWait: maxGroupWait, m: s.cfg.Metrics}
		s.stopSync = make(chan struct{})
		s.syncDone = make(chan struct{})
		go s.syncLoop()
	} else {
		s.newBlocks = &blockFiles{dir: dir}
	}
	_, err = s.nc.Subscribe(SyncSubject(s.cfg.Stream), func(m *nats.Msg) {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			reply := []byte("+OK")
			if err := s.durable(ctx); err != nil {
				reply = []byte("-ERR " + err.Error())
			}
			_ = m.Respond(reply)
		}()
	})
	return err
}

// beginAppend counts an append in progress for the group commit; the
// function it returns counts it done.
func (s *Store) beginAppend() func() {
	if s.group == nil {
		return func() {}
	}
	s.group.begin()
	return s.group.end
}

// durable returns once every append acknowledged so far is on disk: at
// once when the server fsyncs each message itself (or only on a timer, as
// configured), after a group fsync when the store keeps the promise, and
// after a sync request to the serving process when this is its client.
func (s *Store) durable(ctx context.Context) error {
	switch {
	case s.group != nil:
		return s.group.Sync(ctx)
	case s.newBlocks != nil:
		return s.newBlocks.syncNew()
	case s.syncSubject != "":
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
		}
		resp, err := s.nc.RequestWithContext(ctx, s.syncSubject, nil)
		if err != nil {
			return fmt.Errorf("%w: stored, but the server did not confirm it on disk: %v", eventlog.ErrUnavailable, s.wrap(err))
		}
		if msg, bad := strings.CutPrefix(string(resp.Data), "-ERR "); bad {
			return fmt.Errorf("%w: stored, but not confirmed on disk: %s", eventlog.ErrUnavailable, msg)
		}
	}
	return nil
}

// syncLoop fsyncs the whole data directory every serverInterval, until
// Close: the server's own timer, done in an order that keeps atomic
// batches whole (see serverInterval).
func (s *Store) syncLoop() {
	defer close(s.syncDone)
	t := time.NewTicker(serverInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stopSync:
			return
		case <-t.C:
			if err := syncTree(s.cfg.DataDir); err != nil {
				s.log.Warn("periodic fsync of the data directory failed", "err", err)
			}
		}
	}
}

package powercut

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func mount(t *testing.T, tree *Tree) *Mount {
	t.Helper()
	if err := Supported(); err != nil {
		fmt.Fprintf(os.Stderr, "SKIP %s (not run): %v\n", t.Name(), err) // shown without -v too
		t.Skipf("SKIP (not run): %v", err)
	}
	m, err := New(t.TempDir(), tree)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = m.Cut() })
	return m
}

func syncPath(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
}

// TestCutKeepsOnlyWhatWasSynced is the model: file data up to its last
// fsync (or fdatasync), directory entries up to the directory's last
// fsync; everything else is gone after a cut, and a clean unmount keeps
// it all.
func TestCutKeepsOnlyWhatWasSynced(t *testing.T) {
	m := mount(t, &Tree{Dir: true, Children: map[string]*Tree{"old": {Data: []byte("kept")}}})
	p := func(name string) string { return filepath.Join(m.Dir, name) }
	write := func(name, data string) *os.File {
		f, err := os.OpenFile(p(name), os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(data); err != nil {
			t.Fatal(err)
		}
		return f
	}
	a := write("a", "synced ")
	if err := a.Sync(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.WriteString("lost"); err != nil {
		t.Fatal(err)
	}
	b := write("b", "data synced, entry not")
	if err := syscall.Fdatasync(int(b.Fd())); err != nil {
		t.Fatal(err)
	}
	syncPath(t, m.Dir) // a and b are entries now; c, created after, is not
	c := write("c", "never synced")
	if err := os.Mkdir(p("d"), 0o755); err != nil {
		t.Fatal(err)
	}
	e := write("d/e", "in a synced subdirectory")
	if err := e.Sync(); err != nil {
		t.Fatal(err)
	}
	syncPath(t, p("d"))
	if err := os.Rename(p("old"), p("renamed")); err != nil { // not synced: the old name stays
		t.Fatal(err)
	}
	for _, f := range []*os.File{a, b, c, e} {
		f.Close()
	}
	if got, _ := os.ReadFile(p("a")); string(got) != "synced lost" {
		t.Fatalf("before the cut, reads see every write: %q", got)
	}
	tree, err := m.Cut()
	if err != nil {
		t.Fatal(err)
	}
	files := tree.Files()
	for name, want := range map[string]int{"a": len("synced "), "b": len("data synced, entry not"), "old": len("kept")} {
		if files[name] != want {
			t.Errorf("%s: %d bytes after the cut, want %d (files %v)", name, files[name], want, files)
		}
	}
	if _, ok := files["c"]; ok {
		t.Errorf("c was never synced and survived: %v", files)
	}
	if _, ok := files["renamed"]; ok {
		t.Errorf("an unsynced rename survived: %v", files)
	}
	if _, ok := files["d/e"]; ok {
		t.Errorf("d's entry in the root was never synced, yet d/e survived: %v", files)
	}
	// Mounted again from what survived, it reads back as such.
	m2 := mount(t, tree)
	if got, _ := os.ReadFile(filepath.Join(m2.Dir, "a")); string(got) != "synced " {
		t.Fatalf("after the cut: %q", got)
	}
	if err := os.WriteFile(filepath.Join(m2.Dir, "x"), []byte("unsynced"), 0o644); err != nil {
		t.Fatal(err)
	}
	clean, err := m2.Unmount()
	if err != nil {
		t.Fatal(err)
	}
	if clean.Files()["x"] != len("unsynced") {
		t.Fatalf("a clean unmount keeps everything: %v", clean.Files())
	}
}

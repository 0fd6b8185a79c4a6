package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// fakeFiles counts syncs; a sync can be held until released, or fail.
type fakeFiles struct {
	calls   atomic.Int64
	hold    chan struct{} // when not nil, the first sync waits for it to close
	entered chan struct{} // closed when the first sync starts
	delay   time.Duration
	err     error
	once    sync.Once
}

func (f *fakeFiles) sync() error {
	n := f.calls.Add(1)
	if n == 1 && f.hold != nil {
		close(f.entered)
		<-f.hold
	}
	if f.delay > 0 {
		time.Sleep(f.delay) // stands for the disk's fsync
	}
	return f.err
}

func (f *fakeFiles) close() {}

// poll waits for cond, failing the test after a while.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestGroupSyncLoneAppendWaitsForNoOne(t *testing.T) {
	f := &fakeFiles{}
	// A round that waited for company would wait an hour here.
	g := &groupSync{files: f, maxWait: time.Hour}
	for i := range 3 {
		g.begin()
		if err := g.Sync(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		g.end()
		if got := f.calls.Load(); got != int64(i+1) {
			t.Fatalf("after %d lone appends, %d fsyncs", i+1, got)
		}
	}
}

// TestGroupSyncNeverCountsAnEarlierRound: an append that joins while an
// fsync runs is answered by a later one, which starts after its write.
func TestGroupSyncNeverCountsAnEarlierRound(t *testing.T) {
	f := &fakeFiles{hold: make(chan struct{}), entered: make(chan struct{})}
	g := &groupSync{files: f, maxWait: time.Millisecond}
	first := make(chan error, 1)
	go func() { first <- g.Sync(context.Background()) }()
	<-f.entered
	second := make(chan int64, 1)
	go func() {
		if err := g.Sync(context.Background()); err != nil {
			t.Error(err)
		}
		second <- f.calls.Load()
	}()
	poll(t, "the second append to join", func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.next != nil && g.next.waiters == 1
	})
	select {
	case <-second:
		t.Fatal("the second append was answered by an fsync that started before it joined")
	default:
	}
	close(f.hold)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if n := <-second; n != 2 {
		t.Fatalf("the second append returned after %d fsyncs, want 2", n)
	}
}

func TestGroupSyncSharesRounds(t *testing.T) {
	f := &fakeFiles{delay: 200 * time.Microsecond}
	g := &groupSync{files: f, maxWait: time.Millisecond}
	const writers, each = 32, 50
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				g.begin()
				if err := g.Sync(context.Background()); err != nil {
					t.Error(err)
				}
				g.end()
			}
		}()
	}
	wg.Wait()
	st := g.stats
	if st.Appends != writers*each {
		t.Fatalf("%d appends answered, want %d", st.Appends, writers*each)
	}
	if st.Fsyncs*2 > st.Appends {
		t.Fatalf("%d fsyncs for %d concurrent appends: not shared", st.Fsyncs, st.Appends)
	}
	if g.running || g.next != nil || g.inflight != 0 {
		t.Fatalf("not idle after the last append: running %v, next %v, inflight %d", g.running, g.next, g.inflight)
	}
}

func TestGroupSyncErrorReachesEveryWaiter(t *testing.T) {
	boom := errors.New("disk on fire")
	g := &groupSync{files: &fakeFiles{err: boom, delay: 100 * time.Microsecond}, maxWait: time.Millisecond}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := g.Sync(context.Background()); !errors.Is(err, boom) {
				t.Errorf("Sync = %v, want the fsync's error", err)
			}
		}()
	}
	wg.Wait()
}

func TestBlockFilesFollowNewBlocks(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	b := &blockFiles{dir: dir}
	t.Cleanup(b.close)
	write("1.blk")
	write("index.db") // not a block
	if err := b.sync(); err != nil {
		t.Fatal(err)
	}
	if b.last != 1 || filepath.Base(b.f.Name()) != "1.blk" {
		t.Fatalf("after one block: last %d, open %s", b.last, b.f.Name())
	}
	write("2.blk")
	write("3.blk")
	if err := b.sync(); err != nil {
		t.Fatal(err)
	}
	if b.last != 3 || filepath.Base(b.f.Name()) != "3.blk" {
		t.Fatalf("after new blocks: last %d, open %s", b.last, b.f.Name())
	}
	if err := b.sync(); err != nil {
		t.Fatal(err)
	}
}

// TestGroupCommitWritesBeforeTheAck: with the default durability the
// store fsyncs the stream's block files itself, and the event is in them
// when its append returns.
func TestGroupCommitWritesBeforeTheAck(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	if s.group == nil {
		t.Fatal("the default (fsync always) store does no group commit")
	}
	ev := position("US", "veto", "2024-02-20", 1)
	if _, err := s.Append(ctx, ev); err != nil {
		t.Fatal(err)
	}
	dir := s.group.files.(*blockFiles).dir
	blocks, err := filepath.Glob(filepath.Join(dir, "*.blk"))
	if err != nil || len(blocks) == 0 {
		t.Fatalf("no block files in %s (%v)", dir, err)
	}
	found := false
	for _, b := range blocks {
		data, err := os.ReadFile(b)
		if err != nil {
			t.Fatal(err)
		}
		found = found || bytes.Contains(data, []byte(ev.ID.String()))
	}
	if !found {
		t.Fatalf("event %s is not in the stream's block files %v", ev.ID, blocks)
	}
	if st := s.GroupCommitStats(); st.Fsyncs == 0 || st.Appends == 0 {
		t.Fatalf("group commit stats %+v: the append was not synced", st)
	}
	if got := s.StreamConfig().Metadata[syncMetadataKey]; got != SyncSubject(s.cfg.Stream) {
		t.Fatalf("stream metadata names %q as the sync subject", got)
	}
}

func TestPerMessageSyncLeavesItToTheServer(t *testing.T) {
	s := openTest(t, func(c *Config) { c.Sync = Sync{Always: true, PerMessage: true} })
	if s.group != nil {
		t.Fatal("per-message sync should leave the fsync to nats-server")
	}
	if !s.srv.JetStreamConfig().SyncAlways {
		t.Fatal("nats-server does not fsync every message")
	}
	client, err := Open(ctxT(t), Config{URL: s.ClientURL(), Bind: true, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	// The data is the server's to fsync; a new block's directory entry is
	// not (nats-server syncs it on its timer), so clients still ask the
	// serving process to make that durable before they acknowledge.
	if client.syncSubject != SyncSubject(s.cfg.Stream) || s.newBlocks == nil {
		t.Fatalf("a client of a per-message server asks %q for the directory sync", client.syncSubject)
	}
}

// TestClientAppendsAreSyncedByTheServingProcess: the CLI appending to a
// running serve over NATS gets its acknowledgement after the serving
// process's group commit, not before.
func TestClientAppendsAreSyncedByTheServingProcess(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	client, err := Open(ctx, Config{URL: s.ClientURL(), Bind: true, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if client.syncSubject != SyncSubject(s.cfg.Stream) {
		t.Fatalf("client sync subject %q", client.syncSubject)
	}
	before := s.GroupCommitStats().Appends
	if _, err := client.Append(ctx, position("GB", "abstain", "2024-03-25", 2)); err != nil {
		t.Fatal(err)
	}
	if after := s.GroupCommitStats().Appends; after != before+1 {
		t.Fatalf("group commit answered %d appends for the client's one", after-before)
	}
	// Another process managing the stream (serve --nats-url) keeps the
	// promise in place.
	other, err := Open(ctx, Config{URL: s.ClientURL(), Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	info, err := s.Stream().Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.Metadata[syncMetadataKey] == "" {
		t.Fatal("a second process removed the sync subject from the stream's metadata")
	}
}

// TestConflictFailsOnlyItsOwnAppend: appends sharing an fsync each get
// their own answer; one whose expected sequence is stale fails alone.
func TestConflictFailsOnlyItsOwnAppend(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	first, err := s.Append(ctx, position("FR", "abstain", "2024-02-20", 0))
	if err != nil {
		t.Fatal(err)
	}
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%4 == 0 {
				// France's gaza-ceasefire history is at first.Seq, not 0.
				_, errs[i] = s.Append(ctx, position("FR", "vote_yes", "2024-03-25", i+1), eventlog.ExpectLastSeq(0))
				return
			}
			_, errs[i] = s.Append(ctx, position("GB", "abstain", "2024-03-25", i+1))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		switch {
		case i%4 == 0 && !errors.Is(err, eventlog.ErrConflict):
			t.Errorf("append %d with a stale expected sequence: %v, want a conflict (stream at %d)", i, err, first.Seq)
		case i%4 != 0 && err != nil:
			t.Errorf("append %d: %v", i, err)
		}
	}
}

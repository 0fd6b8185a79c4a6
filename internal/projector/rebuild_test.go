package projector

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/store"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// waitRebuild polls until the rebuild has finished.
func waitRebuild(t *testing.T, w *Projector) RebuildStatus {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if st := w.RebuildStatus(); !st.Running && !st.Finished.IsZero() {
			return st
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("rebuild did not finish: %+v", w.RebuildStatus())
	return RebuildStatus{}
}

func startProjector(t *testing.T, s *store.Store, cfg Config) (*Projection, *Projector) {
	t.Helper()
	p := NewProjection()
	cfg.Logger = quiet()
	w := mustNew(t, s, p, cfg)
	if err := w.Restore(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("projector: %v", err)
		}
	})
	return p, w
}

func TestRebuildWhileServing(t *testing.T) {
	s := openTest(t)
	loadBundled(t, s)
	p, w := startProjector(t, s, Config{})
	last, _ := s.LastSeq(ctxT(t))
	if err := p.WaitFor(ctxT(t), last); err != nil {
		t.Fatal(err)
	}
	// A reader asks for the US history all the time; it must always get it.
	var reads, misses atomic.Int64
	stop := readConstantly(p, func(st *projections.State) {
		if len(st.Histories(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), projections.Lens{})) != 1 {
			misses.Add(1)
		}
		reads.Add(1)
	})
	if _, err := w.StartRebuild("test"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.StartRebuild("again"); err != ErrRebuilding {
		t.Fatalf("a second rebuild while one runs: %v", err)
	}
	// Events keep arriving during the rebuild.
	for i := range 20 {
		if _, err := s.Append(ctxT(t), position("FR", "support", "2024-12-01", i)); err != nil {
			t.Fatal(err)
		}
	}
	st := waitRebuild(t, w)
	stop()
	if st.Error != "" || st.Done < st.Target {
		t.Fatalf("rebuild status %+v", st)
	}
	if misses.Load() > 0 || reads.Load() == 0 {
		t.Fatalf("%d of %d reads found no history during the rebuild", misses.Load(), reads.Load())
	}
	last, _ = s.LastSeq(ctxT(t))
	if err := p.WaitFor(ctxT(t), last); err != nil {
		t.Fatal(err)
	}
	if digest(p) != replay(t, s).Digest() {
		t.Fatal("after the rebuild the projection differs from a clean replay")
	}
}

func TestOlderVersionServedWhileRebuilding(t *testing.T) {
	s := openTest(t)
	loadBundled(t, s)
	ctx := ctxT(t)
	// A checkpoint written by an older projection version.
	old := replay(t, s)
	var snap bytes.Buffer
	if err := old.WriteSnapshot(&snap); err != nil {
		t.Fatal(err)
	}
	cp, err := s.Checkpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cp.Save(ctx, projections.Version-1, old.LastSeq(), old.LastID(), snap.Bytes()); err != nil {
		t.Fatal(err)
	}
	p := NewProjection()
	w := mustNew(t, s, p, Config{Logger: quiet()})
	if err := w.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	// Before the worker even runs, the older state answers.
	if p.LastSeq() != old.LastSeq() {
		t.Fatalf("the older checkpoint was not loaded: at %d", p.LastSeq())
	}
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(rctx) }()
	defer func() { cancel(); <-done }()
	st := waitRebuild(t, w)
	if st.Error != "" || st.Reason == "" {
		t.Fatalf("rebuild on start: %+v", st)
	}
	// The rebuilt state is checkpointed under the current version.
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, info, err := cp.Load(ctx, projections.Version); err == nil && info.Version == projections.Version {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint of the current version after the rebuild")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

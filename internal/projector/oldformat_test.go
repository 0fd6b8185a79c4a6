package projector

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/projections"
)

// TestOlderSnapshotFormatIsRebuilt: a checkpoint in a snapshot format
// this version no longer reads (format 4, from the projections package's
// test data) is ignored with a log line that says so, and the projection
// is rebuilt from the stream: it equals a clean replay.
func TestOlderSnapshotFormatIsRebuilt(t *testing.T) {
	s := openTest(t)
	loadBundled(t, s)
	ctx := ctxT(t)
	old, err := os.ReadFile("../../projections/testdata/snapshot-format4.bin")
	if err != nil {
		t.Fatal(err)
	}
	last, err := s.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := s.GetSeq(ctx, last)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := msg.Decode()
	if err != nil {
		t.Fatal(err)
	}
	cps, err := s.Checkpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cps.Save(ctx, projections.Version, last, ev.ID, old); err != nil {
		t.Fatal(err)
	}

	var logs logBuffer
	p := NewProjection()
	w := mustNew(t, s, p, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), CheckpointEvery: 1 << 20})
	if err := w.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "no longer reads: ignored; rebuilding the projection from the stream") {
		t.Fatalf("no log line says the checkpoint was ignored:\n%s", logs.String())
	}
	if p.LastSeq() != 0 {
		t.Fatalf("the older checkpoint was restored up to %d", p.LastSeq())
	}
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(rctx) }()
	if err := p.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, want := digest(p), replay(t, s).Digest(); got != want {
		t.Fatalf("rebuilt projection %s, clean replay %s", got, want)
	}
}

package main

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/bench"
)

// TestBenchServeRestarts runs the bench's restarts of the real serve
// process on a data directory serve loaded (the small Council set): each
// start reaches /readyz 200 and its resident set is read from /proc.
func TestBenchServeRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes; skipped in -short mode")
	}
	dir := t.TempDir()
	httpAddr, natsAddr := serveAddrs(t)
	s := startServe(t, dir, httpAddr, natsAddr)
	if err := s.stop(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	figs, err := bench.ServeRestarts(t.Context(), bench.ServeOptions{Exe: binary, Dir: dir, Restarts: 2, Settle: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 2 {
		t.Fatalf("%d figures, want the restart and the resident set: %+v", len(figs), figs)
	}
	ready, rss := figs[0], figs[1]
	if ready.Unit != "s" || ready.Value <= 0 || ready.Value > 30 || !strings.Contains(ready.Note, "2 restarts") {
		t.Errorf("restart figure: %+v", ready)
	}
	// A serve with the small set holds some tens of MB: its heap, and
	// the pages of its binary.
	if rss.Unit != "MB" || rss.Value < 5 || rss.Value > 2000 || !strings.Contains(rss.Note, "binary's pages") {
		t.Errorf("resident set figure: %+v", rss)
	}
}

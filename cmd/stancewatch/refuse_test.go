package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeRefusesWhatItCannotHave: a second serve on a data directory in
// use, or on a NATS port in use, exits at once, non-zero, saying what is
// taken (and, for the directory, by which process).
func TestServeRefusesWhatItCannotHave(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes; skipped in -short mode")
	}
	dir := t.TempDir()
	httpAddr, natsAddr := freePort(t), freePort(t)
	s := startServe(t, dir, httpAddr, natsAddr)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"the data directory in use", []string{"--data", dir, "--nats-listen", freePort(t)},
			[]string{"data directory in use", dir, fmt.Sprintf("process %d", s.cmd.Process.Pid)}},
		{"the NATS port in use", []string{"--data", filepath.Join(t.TempDir(), "other"), "--nats-listen", natsAddr},
			[]string{natsAddr, "address already in use"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			out := runCLI(t, exitFailure, append([]string{"serve", "--http", freePort(t)}, tc.args...)...)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s to give up: it must fail at once", d)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	// The first is untouched.
	if !strings.Contains(string(s.get("/readyz")), "ready") {
		t.Fatal("the first serve is no longer ready")
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/testnet"
)

// TestServeRefusesWhatItCannotHave: a second serve on a data directory in
// use, or on a NATS port in use, exits at once, non-zero, saying what is
// taken (and, for the directory, by which process).
func TestServeRefusesWhatItCannotHave(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve processes; skipped in -short mode")
	}
	dir := t.TempDir()
	httpAddr, natsAddr := serveAddrs(t)
	s := startServe(t, dir, httpAddr, natsAddr)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"the data directory in use", []string{"--data", dir, "--nats-listen", testnet.Addr(t)},
			[]string{"data directory in use", dir, fmt.Sprintf("process %d", s.cmd.Process.Pid)}},
		{"the NATS port in use", []string{"--data", filepath.Join(t.TempDir(), "other"), "--nats-listen", natsAddr},
			[]string{natsAddr, "address already in use"}},
		{"a memory limit that is not a size", []string{"--data", filepath.Join(t.TempDir(), "other"), "--memory-limit", "12potatoes"},
			[]string{"--memory-limit", `"12potatoes"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			out := runCLI(t, exitFailure, append([]string{"serve", "--http", testnet.Addr(t)}, tc.args...)...)
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

// TestRestartRightAfterKill starts serve again the moment the previous
// one is sent SIGKILL, before it has finished dying (as `kill -9 PID;
// stancewatch serve` does from a shell): the new one waits for the data
// directory's lock and the NATS port to be released, and starts.
func TestRestartRightAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP (not run): starts serve processes; skipped in -short mode")
	}
	dir := t.TempDir()
	httpAddr, natsAddr := serveAddrs(t)
	// A holder that lets go 200 ms after serve starts (a killed process
	// finishing its exit), made deterministic: serve waits for it.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "stancewatch.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(200*time.Millisecond, func() { f.Close() })
	first := startServe(t, dir, httpAddr, natsAddr)
	if err := first.stop(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		s := startServe(t, dir, httpAddr, natsAddr)
		if err := syscall.Kill(s.cmd.Process.Pid, syscall.SIGKILL); err != nil { // not waited for
			t.Fatal(err)
		}
		next := startServe(t, dir, httpAddr, natsAddr) // fails the test if it does not become ready
		<-s.done
		if err := next.stop(syscall.SIGTERM); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

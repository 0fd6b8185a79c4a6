package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ServeOptions configures ServeRestarts.
type ServeOptions struct {
	// Exe is the stancewatch binary to run (its serve command).
	Exe string
	// Dir is a data directory a store has written and closed.
	Dir string
	// Restarts is how many times serve is started (default 3).
	Restarts int
	// Settle is how long serve runs, once ready, before its resident set
	// is read (default 45 s: the scrub of the stream after a restart has
	// ended, and the memory limit it raised meanwhile has come back).
	Settle time.Duration
}

// ServeRestarts starts the real serve process on a data directory the
// dataset bench loaded, Restarts times, and measures what a user meets:
// the time from the command to /readyz answering 200, and the process's
// resident set once it has settled (as ps shows it: the anonymous memory
// the process holds, and the pages of its binary it has touched). serve
// runs with its defaults but --bundled none (the bench's load left no
// marks of bundled records; with them, a restart reads nothing either).
func ServeRestarts(ctx context.Context, o ServeOptions) ([]Figure, error) {
	if o.Restarts == 0 {
		o.Restarts = 3
	}
	if o.Settle == 0 {
		o.Settle = 45 * time.Second
	}
	var ready []time.Duration
	var rss, anon, file []int64
	for range o.Restarts {
		r, err := serveOnce(ctx, o)
		if err != nil {
			return nil, err
		}
		ready = append(ready, r.ready)
		rss, anon, file = append(rss, r.rss), append(anon, r.anon), append(file, r.file)
	}
	worst := slices.Max(ready)
	maxRSS := slices.Max(rss)
	return []Figure{
		{Name: "serve: restart to /readyz 200, the whole record loaded", Unit: "s", Value: worst.Seconds(), Target: "< 1 s", Met: boolp(worst < time.Second),
			Note: fmt.Sprintf("the slowest of %d restarts of the real serve process (each: %s)", len(ready), durations(ready))},
		{Name: "serve: resident set after a restart", Unit: "MB", Value: float64(maxRSS) / 1e6, Target: "≤ 200 MB", Met: boolp(maxRSS <= 200e6),
			Note: fmt.Sprintf("the largest of %d, %s after ready (each: %s MB); of the last, %.0f MB the process's own memory, %.0f MB its binary's pages",
				len(rss), o.Settle, megabytes(rss), float64(anon[len(anon)-1])/1e6, float64(file[len(file)-1])/1e6)},
	}, nil
}

type serveRun struct {
	ready           time.Duration
	rss, anon, file int64
}

func serveOnce(ctx context.Context, o ServeOptions) (serveRun, error) {
	addr, err := freeAddr()
	if err != nil {
		return serveRun{}, err
	}
	cmd := exec.CommandContext(ctx, o.Exe, "serve", "--data", o.Dir, "--http", addr, "--nats-listen", "off", "--bundled", "none", "--log-format", "json")
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return serveRun{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	client := &http.Client{Timeout: time.Second}
	var run serveRun
	for {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				run.ready = time.Since(start)
				break
			}
		}
		select {
		case err := <-exited:
			return serveRun{}, fmt.Errorf("serve exited before it was ready: %v\n%s", err, logs.String())
		case <-ctx.Done():
			stop()
			return serveRun{}, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Since(start) > 2*time.Minute {
			stop()
			return serveRun{}, errors.New("serve not ready within 2 minutes:\n" + logs.String())
		}
	}
	select {
	case <-time.After(o.Settle):
	case <-ctx.Done():
		stop()
		return serveRun{}, ctx.Err()
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	stop()
	if err != nil {
		return serveRun{}, fmt.Errorf("reading serve's resident set: %w", err)
	}
	run.rss, run.anon, run.file = statusKB(status, "VmRSS:"), statusKB(status, "RssAnon:"), statusKB(status, "RssFile:")
	return run, nil
}

// statusKB reads a field of /proc/PID/status given in kB, in bytes (0
// when it is not there).
func statusKB(status []byte, field string) int64 {
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

// freeAddr returns a loopback address no one listens on now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func durations(ds []time.Duration) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%.2f s", d.Seconds())
	}
	return strings.Join(out, ", ")
}

func megabytes(bs []int64) string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = fmt.Sprintf("%.0f", float64(b)/1e6)
	}
	return strings.Join(out, ", ")
}

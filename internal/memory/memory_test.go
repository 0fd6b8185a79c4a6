package memory

import (
	"context"
	"errors"
	"math"
	"runtime/debug"
	"testing"
	"time"
)

func TestTarget(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name  string
		limit int64
		need  uint64
		want  int64
	}{
		{"need well under the limit", 170 * mib, 100 * mib, 170 * mib},
		{"need at the headroom exactly", 100 * mib, 80 * mib, 100 * mib},
		{"need past the headroom: raised to need/headroom", 100 * mib, 160 * mib, 200 * mib},
		{"raised limits round up to a whole MiB", 100 * mib, 160*mib + 1, 201 * mib},
		{"a huge heap saturates", 1, math.MaxUint64, math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := target(tc.limit, 0.8, tc.need); got != tc.want {
				t.Errorf("target(%d, 0.8, %d) = %d, want %d", tc.limit, tc.need, got, tc.want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"170MiB", 170 << 20, false},
		{"1.5GiB", 3 << 29, false},
		{"64 KiB", 64 << 10, false},
		{"200MB", 200e6, false},
		{"4096", 4096, false},
		{"12B", 12, false},
		{"off", 0, false},
		{"0", 0, false},
		{"", 0, true},
		{"MiB", 0, true},
		{"170abc", 0, true},
		{"-5MiB", 0, true},
		{"170 megabytes", 0, true},
		{"1e30GiB", 0, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSize(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseSize(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"zero: no limit", Config{}, true},
		{"a limit", Config{Limit: 170 << 20}, true},
		{"negative limit", Config{Limit: -1}, false},
		{"headroom too small", Config{Limit: 1, Headroom: 0.05}, false},
		{"headroom too large", Config{Limit: 1, Headroom: 1}, false},
		{"negative interval", Config{Limit: 1, Every: -time.Second}, false},
		{"collector share too small", Config{Limit: 1, MaxGCShare: 0.001}, false},
		{"collector share too large", Config{Limit: 1, MaxGCShare: 0.9}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrConfig)) {
				t.Errorf("Validate() = %v, want ok=%v (errors wrapping ErrConfig)", err, tc.ok)
			}
			if _, nerr := New(tc.cfg); (nerr == nil) != tc.ok {
				t.Errorf("New() = %v, want ok=%v", nerr, tc.ok)
			}
		})
	}
}

// runtimeLimit reads the runtime's memory limit without changing it.
func runtimeLimit() int64 { return debug.SetMemoryLimit(-1) }

// TestKeeperSetsRaisesLowersAndGivesBack runs a Keeper against the real
// runtime: it sets its limit, raises it for a live heap past the
// headroom, lowers it back when the heap shrinks, and gives back the
// limit it found when its context ends.
func TestKeeperSetsRaisesLowersAndGivesBack(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	before := runtimeLimit()
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	// Far above anything this test's heap holds: the first adjustment
	// sets exactly the configured limit.
	const limit = 4 << 30
	k, err := New(Config{Limit: limit, Headroom: 0.8, Every: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { k.Run(ctx); close(done) }()
	waitFor(t, func() bool { return runtimeLimit() == limit }, "the configured limit set")

	cancel()
	<-done
	if got := runtimeLimit(); got != before {
		t.Fatalf("after Run: limit %d, want the %d it found", got, before)
	}

	// The raise and the way back, on the same Keeper's adjustment.
	k.adjust(8<<30, 0) // 8 GiB needed: 10 GiB at 0.8
	if got := runtimeLimit(); got != 10<<30 || k.Limit() != 10<<30 {
		t.Errorf("a heap needing 8 GiB: limit %d (Keeper says %d), want 10 GiB", got, k.Limit())
	}
	// The heap shrunk: the limit falls back a tenth an interval.
	k.adjust(1<<20, 0)
	if got := runtimeLimit(); got != 9<<30 {
		t.Errorf("the heap shrunk: limit %d, want 9 GiB", got)
	}
	for i := 0; runtimeLimit() != limit; i++ {
		if i == 10 {
			t.Fatalf("the heap shrunk 10 intervals ago: limit %d, want back at %d", runtimeLimit(), limit)
		}
		k.adjust(1<<20, 0)
	}
}

// TestKeeperYieldsToABusyCollector: a collector over its share of the
// CPU raises the limit by a quarter an interval; idle, the limit falls
// back a tenth an interval to the configured one; in between it stays.
func TestKeeperYieldsToABusyCollector(t *testing.T) {
	before := runtimeLimit()
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	const limit = 4 << 30
	k, err := New(Config{Limit: limit, MaxGCShare: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	k.adjust(1<<20, 0)
	for i, step := range []struct {
		share float64
		want  int64
	}{
		{0.3, 5 << 30},                // busy: +25%
		{0.3, 5 << 30 * 5 / 4},        // still busy: +25% again
		{0.05, 5 << 30 * 5 / 4},       // neither busy nor idle: held
		{0, 5 << 30 * 5 / 4 * 9 / 10}, // idle: -10%
		{0, 5 << 30 * 5 / 4 * 9 / 10 * 9 / 10},
	} {
		k.adjust(1<<20, step.share)
		if got := runtimeLimit(); got != step.want {
			t.Fatalf("step %d (collector %.0f%%): limit %d, want %d", i, step.share*100, got, step.want)
		}
	}
	for i := 0; runtimeLimit() != limit; i++ {
		if i == 10 {
			t.Fatalf("idle for 10 intervals: limit %d, want back at %d", runtimeLimit(), limit)
		}
		k.adjust(1<<20, 0)
		if got := runtimeLimit(); got < limit {
			t.Fatalf("idle: limit %d, under the configured %d", got, limit)
		}
	}
}

func TestKeeperLeavesGOMEMLIMITAlone(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	before := runtimeLimit()
	k, err := New(Config{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	k.Run(t.Context()) // returns at once: the operator's setting wins
	if got := runtimeLimit(); got != before || k.Limit() != 0 {
		t.Errorf("GOMEMLIMIT set: the limit moved from %d to %d", before, got)
	}
}

func TestNoLimitSetsNothing(t *testing.T) {
	before := runtimeLimit()
	k, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	k.Run(t.Context())
	if got := runtimeLimit(); got != before {
		t.Errorf("no limit configured: the limit moved from %d to %d", before, got)
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

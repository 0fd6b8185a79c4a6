// Package memory keeps the process's memory near a soft limit: the Go
// runtime's memory limit (GOMEMLIMIT), set by the process once it is
// loaded and raised while the heap needs more.
//
// Without a limit the garbage collector lets the heap grow to twice what
// is live (GOGC=100) and returns freed pages slowly: with the whole
// General Assembly record folded (some 140 MB live), `serve` held 360–480
// MB resident. With one, it collects when the heap reaches the limit and
// returns what is free above it. A limit below what the heap holds would
// have the collector run back to back (it caps itself at half the CPU),
// so the Keeper raises the limit whenever the heap's spans in use (what is
// live, and the gaps between live objects, which no collection returns)
// pass Headroom of it, and lowers it back a tenth an interval, never
// under Limit, as the heap shrinks (a rebuild beside the served state
// ends; a load's garbage, scattered between what it kept, is freed span
// by span). Under load the
// limit costs CPU: a heap near it is collected every few megabytes
// allocated. When the collector takes more than MaxGCShare of the CPU
// over an interval, the Keeper raises the limit by a quarter, and lets it
// fall back a tenth an interval once the collector is idle again: the
// limit holds at rest, and busy hours buy throughput with memory.
package memory

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Defaults.
const (
	// DefaultLimit keeps the resident set of `serve` with the whole
	// bundled record under 200 MB (the pages of its binary it touched
	// are some 32 MB beside the runtime's memory).
	DefaultLimit = 160 << 20
	// DefaultHeadroom is the share of the limit the heap's need (see
	// Keeper) may reach before the limit is raised.
	DefaultHeadroom = 0.85
	// DefaultEvery is how often the heap is measured.
	DefaultEvery = 5 * time.Second
	// DefaultMaxGCShare is the share of the CPU the collector may take
	// over an interval before the limit is raised.
	DefaultMaxGCShare = 0.10
)

// ErrConfig: a Config value is out of range.
var ErrConfig = errors.New("memory: invalid config")

// Config configures a Keeper. The zero Config has no limit.
type Config struct {
	// Limit is the soft limit in bytes, the least the Keeper sets; 0
	// sets none.
	Limit int64
	// Headroom is the share of the limit the heap's need may fill
	// before the limit is raised to need/Headroom (0: DefaultHeadroom).
	Headroom float64
	// Every is how often the heap is measured (0: DefaultEvery).
	Every time.Duration
	// MaxGCShare is the share of the CPU (GOMAXPROCS cores) the
	// collector may take over an interval before the limit is raised
	// (0: DefaultMaxGCShare).
	MaxGCShare float64
	// Logger reports the limit's changes (nil: slog.Default()).
	Logger *slog.Logger
}

// WithDefaults returns c with its zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Headroom == 0 {
		c.Headroom = DefaultHeadroom
	}
	if c.Every == 0 {
		c.Every = DefaultEvery
	}
	if c.MaxGCShare == 0 {
		c.MaxGCShare = DefaultMaxGCShare
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Validate reports the first field out of range.
func (c Config) Validate() error {
	switch {
	case c.Limit < 0:
		return fmt.Errorf("%w: limit %d is negative", ErrConfig, c.Limit)
	case c.Headroom != 0 && (c.Headroom < 0.1 || c.Headroom > 0.95):
		return fmt.Errorf("%w: headroom %g is outside 0.1–0.95", ErrConfig, c.Headroom)
	case c.Every < 0:
		return fmt.Errorf("%w: interval %v is negative", ErrConfig, c.Every)
	case c.MaxGCShare != 0 && (c.MaxGCShare < 0.01 || c.MaxGCShare > 0.5):
		return fmt.Errorf("%w: collector share %g is outside 0.01–0.5", ErrConfig, c.MaxGCShare)
	}
	return nil
}

// Keeper holds the runtime's memory limit. Make one per process with
// New, and Run it once the process is loaded.
type Keeper struct {
	cfg     Config
	set     atomic.Int64 // the limit last set, 0 before Run; written by Run's goroutine only
	initial int64        // the limit before Run, restored when it ends
}

// New returns a Keeper for cfg, or the error of cfg.Validate.
func New(cfg Config) (*Keeper, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Keeper{cfg: cfg.WithDefaults()}, nil
}

// Run sets the limit and keeps it ahead of the heap's need until ctx is
// done, then gives back the limit it found. It sets nothing when the
// Config has no limit, or when GOMEMLIMIT is set: the operator's
// setting wins.
func (k *Keeper) Run(ctx context.Context) {
	if k.cfg.Limit == 0 {
		return
	}
	if v := os.Getenv("GOMEMLIMIT"); v != "" {
		k.cfg.Logger.Info("memory: GOMEMLIMIT is set; the process's limit is left to it", "GOMEMLIMIT", v)
		return
	}
	k.initial = debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(k.initial)
	// The last collection may have run in the middle of the load's
	// garbage: one now measures what is live.
	runtime.GC()
	need, cpu := measure()
	k.adjust(need, 0)
	t := time.NewTicker(k.cfg.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			var now cpuTimes
			need, now = measure()
			k.adjust(need, now.gcShare(cpu))
			cpu = now
		}
	}
}

// Limit returns the limit last set (0 before Run sets one).
func (k *Keeper) Limit() int64 { return k.set.Load() }

// adjust sets the limit for a heap that needs need bytes, the collector
// having taken gcShare of the CPU since the last adjustment.
func (k *Keeper) adjust(need uint64, gcShare float64) {
	set := k.set.Load()
	floor := target(k.cfg.Limit, k.cfg.Headroom, need)
	want := max(floor, set)
	busy := gcShare > k.cfg.MaxGCShare
	switch {
	case set == 0:
		want = floor
	case busy:
		want = max(floor, roundMiB(float64(set)*1.25))
	case gcShare < k.cfg.MaxGCShare/4:
		want = max(floor, roundMiB(float64(set)*0.9))
	}
	if want == set {
		return
	}
	// Small moves up are not worth a log line or a change of pace.
	if set != 0 && want > set && !busy && float64(want) < float64(set)*1.05 {
		return
	}
	k.set.Store(want)
	debug.SetMemoryLimit(want)
	attrs := []any{"limit_mib", mib(want), "heap_need_mib", mib(int64(need)), "gc_cpu_share", math.Round(gcShare*1000) / 1000, "configured_mib", mib(k.cfg.Limit)}
	switch {
	case busy && want > set:
		k.cfg.Logger.Info("memory: the collector is busy under load; limit raised", attrs...)
	case want > k.cfg.Limit && want > set:
		k.cfg.Logger.Warn("memory: the heap needs more than the configured limit; limit raised", attrs...)
	case set == 0:
		k.cfg.Logger.Info("memory: soft limit set", attrs...)
	case want > k.cfg.Limit:
		// A heap freed span by span lowers the limit every tick.
		k.cfg.Logger.Debug("memory: the heap shrank; limit lowered", attrs...)
	default:
		k.cfg.Logger.Info("memory: the heap shrank; limit back to its setting", attrs...)
	}
}

// target is the limit for a heap that needs need bytes: the configured
// one, or more when need would fill over headroom of it.
func target(limit int64, headroom float64, need uint64) int64 {
	want := float64(need) / headroom
	if want <= float64(limit) {
		return limit
	}
	return roundMiB(want)
}

// roundMiB rounds up to a whole MiB, so a heap that creeps does not move
// the limit every tick; what passes the largest int64 is that.
func roundMiB(b float64) int64 {
	if b >= math.MaxInt64-(1<<20) {
		return math.MaxInt64
	}
	return (int64(b) + 1<<20 - 1) &^ (1<<20 - 1)
}

func mib(b int64) float64 { return math.Round(float64(b)/(1<<20)*10) / 10 }

// measure reads what the heap needs — what the last collection found
// live, and the unused room in the spans that hold live objects
// (fragmentation), neither of which a collection gives back — and the
// CPU times so far.
func measure() (need uint64, cpu cpuTimes) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}}
	metrics.Read(s)
	u := func(i int) uint64 {
		if s[i].Value.Kind() == metrics.KindUint64 {
			return s[i].Value.Uint64()
		}
		return 0
	}
	f := func(i int) float64 {
		if s[i].Value.Kind() == metrics.KindFloat64 {
			return s[i].Value.Float64()
		}
		return 0
	}
	return u(0) + u(1), cpuTimes{gc: f(2), total: f(3)}
}

// cpuTimes are the runtime's estimates of CPU seconds: the collector's,
// and all there was to use (GOMAXPROCS times the wall clock).
type cpuTimes struct{ gc, total float64 }

// gcShare is the collector's share of the CPU between before and c.
func (c cpuTimes) gcShare(before cpuTimes) float64 {
	if d := c.total - before.total; d > 0 {
		return (c.gc - before.gc) / d
	}
	return 0
}

// ParseSize reads a size in bytes: a number with an optional unit (B,
// KiB, MiB, GiB, or KB, MB, GB in powers of ten), or "off" for none (0).
func ParseSize(s string) (int64, error) {
	if s == "off" || s == "0" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	num, mult := strings.TrimSpace(s), 1.0
	for _, u := range units {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("size %q: want a number of bytes with an optional unit (B, KiB, MiB, GiB, KB, MB, GB), or off", s)
	}
	b := v * mult
	if b >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return int64(b), nil
}

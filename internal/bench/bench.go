package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stancewatch/stancewatch/internal/projector"
	"github.com/stancewatch/stancewatch/internal/store"
)

// Config sizes a run. The zero value of a field takes the default.
type Config struct {
	Dir            string        // where the embedded servers keep their files (default: a temporary directory)
	IngestAlways   int           // events ingested with fsync always (default 10,000)
	IngestInterval int           // events ingested with fsync every second (default 200,000)
	ReplayEvents   int           // events replayed cold (default 1,000,000)
	RestartSizes   []int         // histories restarted from a checkpoint (default 10k, 100k, 1M)
	E2ERate        int           // events a second for the end-to-end latency (default 1,000)
	E2EDuration    time.Duration // (default 10s)
	ReadClients    int           // concurrent HTTP readers (default 32)
	ReadDuration   time.Duration // (default 5s)
	ReadEvents     int           // events in the state the readers query (default 100,000)
	MemoryEvents   int           // events folded for the memory figure (default 1,000,000)
	Only           []string      // scenarios to run (default all): ingest, replay, restart, e2e, reads, memory
	Logger         *slog.Logger  // progress (default: discard)
	// GC raises the garbage collector's target while a projection
	// replays, as serve does (default: a GCBoost of the run's own; the
	// process should pass its one GCBoost).
	GC *projector.GCBoost
}

// Validate reports every setting that cannot work, joined.
func (c Config) Validate() error {
	var errs []error
	for name, v := range map[string]int{"ingest-always": c.IngestAlways, "ingest-interval": c.IngestInterval, "replay": c.ReplayEvents,
		"e2e-rate": c.E2ERate, "read-clients": c.ReadClients, "read-events": c.ReadEvents, "memory": c.MemoryEvents} {
		if v < 0 {
			errs = append(errs, fmt.Errorf("%s %d: want a positive number (0 for the default)", name, v))
		}
	}
	for _, n := range c.RestartSizes {
		if n <= 0 {
			errs = append(errs, fmt.Errorf("restart size %d: want a positive number of events", n))
		}
	}
	if c.E2EDuration < 0 || c.ReadDuration < 0 {
		errs = append(errs, errors.New("durations: want positive durations (0 for the defaults)"))
	}
	known := []string{"ingest", "replay", "restart", "e2e", "reads", "memory"}
	for _, o := range c.Only {
		if !slices.Contains(known, o) {
			errs = append(errs, fmt.Errorf("scenario %q: want one of %s", o, strings.Join(known, ", ")))
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.IngestAlways, 10_000)
	def(&c.IngestInterval, 200_000)
	def(&c.ReplayEvents, 1_000_000)
	def(&c.E2ERate, 1000)
	def(&c.ReadClients, 32)
	def(&c.ReadEvents, 100_000)
	def(&c.MemoryEvents, 1_000_000)
	if len(c.RestartSizes) == 0 {
		c.RestartSizes = []int{10_000, 100_000, 1_000_000}
	}
	if c.E2EDuration == 0 {
		c.E2EDuration = 10 * time.Second
	}
	if c.ReadDuration == 0 {
		c.ReadDuration = 5 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.GC == nil {
		c.GC = &projector.GCBoost{}
	}
	return c
}

// projector is the configuration of a benchmark's projector: serve's,
// without checkpoints unless asked.
func (c Config) projector(checkpoints bool) projector.Config {
	return projector.Config{NoCheckpoints: !checkpoints, Logger: c.Logger, Replaying: c.GC.Replaying}
}

func (c Config) wants(s string) bool {
	if len(c.Only) == 0 {
		return true
	}
	for _, o := range c.Only {
		if o == s {
			return true
		}
	}
	return false
}

// Figure is one measurement, with the raw JetStream figure of the same
// workload when there is one.
type Figure struct {
	Name   string   `json:"name"`
	Unit   string   `json:"unit"`
	Value  float64  `json:"value"`
	Raw    *float64 `json:"raw,omitempty"`
	Ratio  *float64 `json:"ratio,omitempty"`  // value / raw
	Target string   `json:"target,omitempty"` // what it should reach on the 2-core machine
	Met    *bool    `json:"met,omitempty"`
	Note   string   `json:"note,omitempty"`
}

// Report is the result of a run.
type Report struct {
	When    time.Time `json:"when"`
	Go      string    `json:"go"`
	CPUs    int       `json:"cpus"`
	OS      string    `json:"os"`
	Figures []Figure  `json:"figures"`
}

func (r *Report) add(f Figure) { r.Figures = append(r.Figures, f) }

func ptr(v float64) *float64 { return &v }
func boolp(v bool) *bool     { return &v }

// withRaw sets Raw and Ratio.
func (f Figure) withRaw(raw float64) Figure {
	f.Raw = ptr(raw)
	if raw != 0 {
		f.Ratio = ptr(f.Value / raw)
	}
	return f
}

// Run runs the scenarios the config asks for.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if cfg.Dir == "" {
		dir, err := os.MkdirTemp("", "stancewatch-bench")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		cfg.Dir = dir
	}
	r := &Report{When: time.Now().UTC(), Go: runtime.Version(), CPUs: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	steps := []struct {
		name string
		run  func(context.Context, Config, *Report) error
	}{
		{"ingest", ingest}, {"replay", replay}, {"restart", restart}, {"e2e", endToEnd}, {"reads", reads}, {"memory", memory},
	}
	for _, s := range steps {
		if !cfg.wants(s.name) {
			continue
		}
		cfg.Logger.Info("bench: running", "scenario", s.name)
		if err := s.run(ctx, cfg, r); err != nil {
			return r, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return r, nil
}

// rawSync is the server setting that gives raw JetStream the promise a
// stancewatch setting gives: with Always, nats-server's own fsync of
// every message (stancewatch's group commit is not there to keep it).
func rawSync(s store.Sync) store.Sync {
	if s.Always {
		s.PerMessage = true
	}
	return s
}

// openStore starts an embedded server with its own directory.
func openStore(ctx context.Context, cfg Config, name string, sync store.Sync) (*store.Store, error) {
	return store.Open(ctx, store.Config{
		DataDir: filepath.Join(cfg.Dir, name), Listen: "off", Sync: sync,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}

// WriteTable prints the report as a table.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "stancewatch bench, %s, %s, %d CPUs, %s\n\n", r.When.Format(time.RFC3339), r.Go, r.CPUs, r.OS)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tSTANCEWATCH\tRAW JETSTREAM\tRATIO\tTARGET\tMET")
	for _, f := range r.Figures {
		raw, ratio, met := "", "", ""
		if f.Raw != nil {
			raw = format(*f.Raw, f.Unit)
		}
		if f.Ratio != nil {
			ratio = fmt.Sprintf("%.2f×", *f.Ratio)
		}
		if f.Met != nil {
			met = map[bool]string{true: "yes", false: "NO"}[*f.Met]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.Name, format(f.Value, f.Unit), raw, ratio, f.Target, met)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range r.Figures {
		if f.Note != "" {
			fmt.Fprintf(w, "\n%s: %s", f.Name, f.Note)
		}
	}
	fmt.Fprintln(w)
	return nil
}

func format(v float64, unit string) string {
	switch {
	case unit == "s" && v < 1:
		return fmt.Sprintf("%.0f ms", v*1000)
	case strings.HasSuffix(unit, "/s") || unit == "bytes/event":
		return fmt.Sprintf("%.0f %s", v, unit)
	case unit == "ms":
		return fmt.Sprintf("%.2f ms", v)
	}
	return fmt.Sprintf("%.3g %s", v, unit)
}

// WriteJSON prints the report as JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

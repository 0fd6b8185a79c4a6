package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/stancewatch/stancewatch/internal/bench"
)

func cmdBench(args []string) int {
	fs := newFlags("bench", "bench [--json] [--only ingest,replay,restart,e2e,reads,memory] [sizes]")
	var cfg bench.Config
	asJSON := fs.Bool("json", false, "print the report as JSON")
	only := fs.String("only", "", "scenarios to run, comma-separated (default all): ingest, replay, restart, e2e, reads, memory")
	fs.StringVar(&cfg.Dir, "dir", "", "where the embedded servers keep their files (default: a temporary directory, removed after)")
	fs.IntVar(&cfg.IngestAlways, "ingest-always", 10_000, "events ingested with fsync always")
	fs.IntVar(&cfg.IngestInterval, "ingest-interval", 200_000, "events ingested with fsync every second")
	fs.IntVar(&cfg.ReplayEvents, "replay", 1_000_000, "events replayed cold")
	restartSizes := fs.String("restart", "10000,100000,1000000", "histories restarted from a checkpoint")
	fs.IntVar(&cfg.E2ERate, "e2e-rate", 1000, "events a second for the end-to-end latency")
	fs.DurationVar(&cfg.E2EDuration, "e2e-duration", 10*time.Second, "how long the end-to-end run lasts")
	fs.IntVar(&cfg.ReadClients, "read-clients", 32, "concurrent HTTP readers")
	fs.DurationVar(&cfg.ReadDuration, "read-duration", 5*time.Second, "how long the readers read")
	fs.IntVar(&cfg.ReadEvents, "read-events", 100_000, "events in the projection the readers query")
	fs.IntVar(&cfg.MemoryEvents, "memory", 1_000_000, "events folded for the memory figure")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	scenario := fs.String("scenario", "", "run one durable-write scenario instead (fsync always, one node), one JSON object a line: durable-writers, durable-bulk or durable-e2e")
	writersFlag := fs.String("writers", "1,4,16,64", "durable-writers: concurrent writers, comma-separated")
	duration := fs.Duration("duration", 5*time.Second, "durable-writers and durable-e2e: how long each run lasts")
	rate := fs.Int("rate", 1000, "durable-e2e: events a second")
	bulkEvents := fs.Int("events", 60000, "durable-bulk: events to load")
	dataset := fs.String("dataset", "", "measure on a bundled record instead (the load, a cold rebuild, a restart, memory, history reads): unvotes")
	serveRestarts := fs.Int("serve-restarts", 3, "with --dataset: start the real serve process this many times on the loaded directory, timing each to ready and reading its resident set (0: none)")
	newLogger := logFlags(fs)
	if _, code := parseOrExit(fs, args); code >= 0 {
		return code
	}
	cfg.Logger = newLogger()
	if *only != "" {
		cfg.Only = strings.Split(*only, ",")
	}
	for _, s := range strings.Split(*restartSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return fail("--restart: %q is not a number of events", s)
		}
		cfg.RestartSizes = append(cfg.RestartSizes, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *scenario != "" {
		return durableScenario(ctx, *scenario, cfg.Dir, *writersFlag, *duration, *rate, *bulkEvents, *asJSON)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return fail("%v", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail("%v", err)
		}
		defer pprof.StopCPUProfile()
	}
	var r *bench.Report
	var err error
	if *dataset != "" {
		dir := cfg.Dir
		if dir == "" {
			if dir, err = os.MkdirTemp("", "stancewatch-bench"); err != nil {
				return fail("%v", err)
			}
			defer os.RemoveAll(dir)
		}
		r, err = bench.Dataset(ctx, dir, *dataset, cfg.ReadClients, cfg.ReadDuration)
		if err == nil && *serveRestarts > 0 {
			// What a user meets: the real serve process on the directory
			// the load left.
			var exe string
			if exe, err = os.Executable(); err == nil {
				var figs []bench.Figure
				figs, err = bench.ServeRestarts(ctx, bench.ServeOptions{Exe: exe, Dir: filepath.Join(dir, "dataset"), Restarts: *serveRestarts})
				r.Figures = append(r.Figures, figs...)
			}
		}
	} else {
		r, err = bench.Run(ctx, cfg)
	}
	if r != nil && len(r.Figures) > 0 {
		if *asJSON {
			_ = r.WriteJSON(os.Stdout)
		} else {
			_ = r.WriteTable(os.Stdout)
		}
	}
	if err != nil {
		return fail("%v", err)
	}
	return exitOK
}

func durableScenario(ctx context.Context, scenario, dir, writersList string, d time.Duration, rate, events int, asJSON bool) int {
	var runs []func() (bench.Durable, error)
	switch scenario {
	case "durable-writers":
		for _, w := range strings.Split(writersList, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(w))
			if err != nil || n <= 0 {
				return fail("--writers: %q is not a number of writers", w)
			}
			runs = append(runs, func() (bench.Durable, error) { return bench.DurableWriters(ctx, dir, n, d) })
		}
	case "durable-bulk":
		runs = append(runs, func() (bench.Durable, error) { return bench.DurableBulk(ctx, dir, events) })
	case "durable-e2e":
		runs = append(runs, func() (bench.Durable, error) { return bench.DurableE2E(ctx, dir, rate, d) })
	default:
		return fail("--scenario %q: want durable-writers, durable-bulk or durable-e2e", scenario)
	}
	enc := json.NewEncoder(os.Stdout)
	for _, run := range runs {
		r, err := run()
		if err != nil {
			return fail("%s: %v", scenario, err)
		}
		if asJSON {
			_ = enc.Encode(r)
			continue
		}
		fmt.Printf("%-16s writers %-3d %9.0f events/s  p50 %6.2f ms  p99 %6.2f ms", r.Scenario, r.Writers, r.EventsPerSec, r.P50ms, r.P99ms)
		if r.Raw != nil {
			fmt.Printf("   raw: %9.0f events/s  p50 %6.2f ms  p99 %6.2f ms", r.Raw.EventsPerSec, r.Raw.P50ms, r.Raw.P99ms)
		}
		fmt.Println()
	}
	return exitOK
}

package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/stancewatch/stancewatch/bench"
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
	r, err := bench.Run(ctx, cfg)
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

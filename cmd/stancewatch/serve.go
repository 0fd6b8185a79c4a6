package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/stancewatch/stancewatch/internal/api"
	"github.com/stancewatch/stancewatch/internal/ingest"
	"github.com/stancewatch/stancewatch/internal/memory"
	"github.com/stancewatch/stancewatch/internal/metrics"
	"github.com/stancewatch/stancewatch/internal/natsapi"
	"github.com/stancewatch/stancewatch/internal/projector"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/producers/news"
	"github.com/stancewatch/stancewatch/producers/votes"
	"github.com/stancewatch/stancewatch/projections/alignment"
)

func cmdServe(args []string) int {
	fs := newFlags("serve", "serve [flags]")
	dataDir := fs.String("data", envOr("STANCEWATCH_DATA", store.DefaultDataDir), "embedded server: directory of the JetStream files [$STANCEWATCH_DATA]")
	httpAddr := fs.String("http", envOr("STANCEWATCH_HTTP", "127.0.0.1:8080"), "HTTP listen address [$STANCEWATCH_HTTP]")
	natsListen := fs.String("nats-listen", envOr("STANCEWATCH_NATS_LISTEN", store.DefaultNATSListen), `embedded server: NATS client address, or "off" for in-process only [$STANCEWATCH_NATS_LISTEN]`)
	natsConfig := fs.String("nats-config", "", "embedded server: nats-server configuration file (authorization, TLS)")
	syncFlag := fs.String("sync", "always", `embedded server: "always" (every append on disk before its ack, by group commit), "per-message" (nats-server fsyncs each message, for raw NATS publishers too) or an interval such as 1s`)
	nf := addNATSFlags(fs)
	*nf.url = os.Getenv("STANCEWATCH_NATS_URL") // serve embeds a server unless told otherwise
	fs.Lookup("nats-url").Usage = "use this external NATS server or cluster instead of the embedded one [$STANCEWATCH_NATS_URL]"
	fs.Lookup("nats-url").DefValue = ""
	replicas := fs.Int("replicas", 0, "replicas of the stream on an external cluster (3 on a three-node cluster; 0 keeps an existing stream's)")
	setupTimeout := fs.Duration("setup-timeout", store.DefaultSetupTimeout, "how long to wait for JetStream to be ready to create the streams (a cluster started with stancewatch is still electing its leaders)")
	maxBytes := fs.Int64("max-bytes", -1, "cap on the stream's size in bytes; when full, new events are refused, never old ones dropped (-1: no cap)")
	bundled := fs.String("bundled", "all", `bundled records to load on start: "all" (the Council's Gaza votes, the vetoes since 1946 and every General Assembly roll call since 1946; the first start stores about 1.1 million events), "council" (the Gaza votes and the vetoes), "gaza" (the Gaza votes) or "none"`)
	noBundled := fs.Bool("no-bundled", false, `the same as --bundled none`)
	checkpointEvery := fs.Int("checkpoint-every", 10000, "checkpoint the projection after this many events")
	tokensFile := fs.String("tokens", os.Getenv("STANCEWATCH_TOKENS"), `HTTP bearer tokens, one a line: "name scope secret" (scopes: read, write, admin); with tokens, writes need one [$STANCEWATCH_TOKENS]`)
	privateReads := fs.Bool("private-reads", false, "reads need a token with the read scope too")
	rateLimit := fs.Float64("rate-limit", 100, "requests a second each HTTP client may make on average (negative: no limit)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM)")
	tlsKey := fs.String("tls-key", "", "the certificate's private key (PEM)")
	watchArticles := fs.String("watch-articles", "", "ingest the .txt news articles that appear in this directory (positions below --review-below go to the review queue)")
	watchEvery := fs.Duration("watch-interval", time.Second, "how often --watch-articles looks for new files")
	reviewBelow := fs.Float64("review-below", news.DefaultReviewBelow, "articles: positions found with less confidence go to the review queue")
	blocsFile := fs.String("blocs", "", `user-defined blocs for alignment answers: a JSON file, [{"id":"quad","name":"Quad","members":["US","JP","IN",{"actor":"AU","from":"2007-05-25"}]}]`)
	alignAlerts := fs.Bool("alignment-alerts", true, "publish alignment alerts (alignment.<actor>.<reference>.<topic>.<id>) when an actor's agreement with a reference moves between consecutive years")
	alignThreshold := fs.Float64("alignment-threshold", 0.15, "alignment alerts: how far the measure must move between consecutive years")
	alignMin := fs.Int("alignment-min-rollcalls", 10, "alignment alerts: roll calls both years need at least, shared by the actor and the reference")
	alignMeasure := fs.String("alignment-measure", "agreement", "alignment alerts: agreement or coincidence")
	alignWith := fs.String("alignment-references", "US,GB,FR,RU,CN,eu,g77,nam", "alignment alerts: the actors and blocs (ids of shipped or --blocs blocs) every actor is compared with, comma-separated")
	otlpEndpoint := fs.String("otlp-endpoint", "", `export traces over OTLP/HTTP to this collector: host:port (plain HTTP, such as localhost:4318) or a URL; off by default, or set by $OTEL_EXPORTER_OTLP_ENDPOINT`)
	memLimit := fs.String("memory-limit", envOr("STANCEWATCH_MEMORY_LIMIT", "160MiB"), `soft limit of the process's memory (the Go runtime's, as GOMEMLIMIT), set once the bundled records are loaded, raised while the heap needs more or the collector is busy under load: a size such as 160MiB or 1GiB, or "off"; GOMEMLIMIT, when set, wins [$STANCEWATCH_MEMORY_LIMIT]`)
	pprofAddr := fs.String("pprof", "", "serve Go's runtime profiles (net/http/pprof) on this address, such as 127.0.0.1:6060 (off by default)")
	newLogger := logFlags(fs)
	if _, code := parseOrExit(fs, args); code >= 0 {
		return code
	}
	log := newLogger()
	syncPolicy, err := store.ParseSync(*syncFlag)
	if err != nil {
		return fail("--sync: %v", err)
	}
	cfg := store.Config{
		URL: *nf.url, DataDir: *dataDir, Listen: *natsListen, ConfigFile: *natsConfig, Sync: syncPolicy,
		Creds: *nf.creds, User: *nf.user, Password: *nf.password, Token: *nf.token, TLSCA: *nf.ca,
		Replicas: *replicas, MaxBytes: *maxBytes, SetupTimeout: *setupTimeout, Logger: log,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *noBundled {
		*bundled = "none"
	}
	sets, err := bundledSets(*bundled)
	if err != nil {
		return fail("--bundled: %v", err)
	}
	memoryLimit, err := memory.ParseSize(*memLimit)
	if err != nil {
		return fail("--memory-limit: %v", err)
	}
	if *pprofAddr != "" {
		if err := servePprof(*pprofAddr, log); err != nil {
			return fail("--pprof: %v", err)
		}
	}
	o := serveOptions{http: *httpAddr, bundled: sets, checkpointEvery: *checkpointEvery,
		privateReads: *privateReads, rateLimit: *rateLimit, tlsCert: *tlsCert, tlsKey: *tlsKey,
		watchArticles: *watchArticles, watchEvery: *watchEvery, reviewBelow: *reviewBelow, otlpEndpoint: *otlpEndpoint, memoryLimit: memoryLimit}
	if err := checkReviewBelow(*reviewBelow); err != nil {
		return fail("%v", err)
	}
	if *watchArticles != "" {
		if info, err := os.Stat(*watchArticles); err != nil || !info.IsDir() {
			return fail("--watch-articles %s: not a directory", *watchArticles)
		}
		if *watchEvery <= 0 {
			return fail("--watch-interval %v: want a positive duration", *watchEvery)
		}
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fail("--tls-cert and --tls-key go together")
	}
	if *tokensFile != "" {
		f, err := os.Open(*tokensFile)
		if err != nil {
			return fail("--tokens: %v", err)
		}
		o.tokens, err = api.ReadTokens(f)
		f.Close()
		if err != nil {
			return fail("--tokens %s: %v", *tokensFile, err)
		}
	}
	if *blocsFile != "" {
		b, err := os.ReadFile(*blocsFile)
		if err != nil {
			return fail("--blocs: %v", err)
		}
		if o.blocs, err = alignment.ParseBlocs(b); err != nil {
			return fail("--blocs %s: %v", *blocsFile, err)
		}
	}
	if *alignAlerts {
		if o.alignment, err = alignmentConfig(o.blocs, *alignThreshold, *alignMin, *alignMeasure, *alignWith); err != nil {
			return fail("--alignment-*: %v", err)
		}
	}
	if err := serve(ctx, cfg, o, log); err != nil {
		log.Error("stancewatch stopped", "err", err)
		return fail("%v", err)
	}
	return exitOK
}

// serveOptions are serve's settings beyond the store's.
type serveOptions struct {
	http            string
	bundled         []ingest.Dataset
	checkpointEvery int
	tokens          []api.Token
	blocs           []alignment.Bloc
	alignment       *alignment.AlertConfig // nil: no alignment alerts
	privateReads    bool
	rateLimit       float64
	tlsCert, tlsKey string
	watchArticles   string
	watchEvery      time.Duration
	reviewBelow     float64
	otlpEndpoint    string // --otlp-endpoint: where traces go (see newTracing)
	memoryLimit     int64  // --memory-limit in bytes (0: none)
}

// serve runs until ctx ends, then shuts down within a deadline: the HTTP
// server stops taking requests, event streams end, the projection writes a
// last checkpoint, and the store closes. It returns an error, and the
// process exits non-zero, when the projection worker or the HTTP server
// stops by itself: a server whose projection no longer moves must not go
// on answering as if it did.
func serve(ctx context.Context, cfg store.Config, o serveOptions, log *slog.Logger) error {
	m := metrics.New()
	cfg.Metrics = m
	tp, stopTracing, err := newTracing(ctx, o.otlpEndpoint)
	if err != nil {
		return fmt.Errorf("--otlp-endpoint: %w", err)
	}
	if tp != nil {
		log.Info("tracing: exporting spans over OTLP/HTTP", "endpoint", o.otlpEndpoint)
		// Deferred first, so it runs last: the projector's last spans are
		// flushed too, within the shutdown's deadline.
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), tracingShutdown)
			defer cancel()
			if err := stopTracing(sctx); err != nil {
				log.Warn("tracing: flushing the last spans", "err", err)
			}
		}()
	}
	var gc projector.GCBoost // the process's one: the GC target is process-wide
	// A restart decodes the local copy of its checkpoint while the
	// embedded server recovers its streams.
	var preloaded func(context.Context) (projector.Preloaded, error)
	if cfg.URL == "" {
		preloaded = projector.Preload(cfg.WithDefaults().DataDir, gc.Replaying)
	}
	st, err := store.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	proj := projector.NewProjection()
	if err := m.WatchProjection(proj); err != nil {
		return err
	}
	var derive projector.Deriver
	if o.alignment != nil {
		w, err := alignment.NewWatcher(alignment.NewBlocs(o.blocs...), *o.alignment, "stancewatch/projection")
		if err != nil {
			return err
		}
		derive = w
	}
	worker, err := projector.New(st, proj, projector.Config{Logger: log, Metrics: m, Replaying: gc.Replaying, Derive: derive, Preloaded: preloaded,
		Alerts: true, AlertSource: "stancewatch/projection", HistorySources: []string{votes.UnvotesSource, votes.VetoesSource}, DeadLetters: true, CheckpointEvery: o.checkpointEvery,
		TracerProvider: tp})
	if err != nil {
		return err
	}
	loader := &ingest.Loader{Appender: st, Finder: st, Log: log.With("component", "bundled"), Busy: gc.Replaying, Grouped: true}
	if cfg.URL == "" {
		// Embedded: the data directory remembers the datasets stored
		// whole (a cluster's replicas each read them, and find them stored).
		loader.Marks = ingest.DirMarks(filepath.Join(cfg.WithDefaults().DataDir, "bundled"))
	}
	handler, err := api.New(api.Config{Logger: log, Metrics: m, Admin: worker, Loading: func() any { return loader.Status() }, StillLoading: loader.Running, Tokens: o.tokens, PrivateReads: o.privateReads, RateLimit: o.rateLimit, Blocs: o.blocs,
		TracerProvider: tp},
		st, proj)
	if err != nil {
		return err
	}
	// Writes over NATS, as the producer the writer's NATS user may write as.
	writes, err := natsapi.Start(natsapi.Config{Conn: st.Conn(), Appender: st, Logger: log.With("component", "nats-writes"), TracerProvider: tp})
	if err != nil {
		return fmt.Errorf("the NATS write service: %w", err)
	}
	defer writes.Stop()
	if err := worker.Restore(ctx); err != nil {
		return err
	}
	workCtx, stopWork := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	workErr := runWorker(workCtx, worker, &wg)
	defer func() { stopWork(); wg.Wait() }()

	// The bundled records: the small ones before the first request, the
	// General Assembly record while requests are served (/readyz says how
	// far it is).
	small, large := o.bundled, []ingest.Dataset(nil)
	if n := len(small); n > 0 && small[n-1].Name == ingest.UnvotesDataset {
		small, large = small[:n-1], small[n-1:]
	}
	if len(small) > 0 {
		if err := loader.Run(ctx, small); err != nil {
			log.Error("loading the bundled records failed", "err", err)
		}
	}
	listening := make(chan struct{}) // closed once requests are served
	keeper, err := memory.New(memory.Config{Limit: o.memoryLimit, Logger: log.With("component", "memory")})
	if err != nil {
		return err
	}
	loaded := make(chan struct{}) // closed once the bundled records are loaded
	wg.Go(func() {
		// The limit holds from when the process is loaded: a first load
		// allocates freely (the collector would otherwise run back to
		// back under the limit while the record's state grows).
		select {
		case <-loaded:
			keeper.Run(workCtx)
		case <-workCtx.Done():
		}
	})
	if len(large) == 0 {
		close(loaded)
	} else {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(loaded)
			// The large record's load (on a restart, its check that
			// every roll call is stored) waits for the first request to
			// be answerable: the two cores go to the start first.
			select {
			case <-listening:
			case <-workCtx.Done():
				return
			}
			bar := newProgressBar(os.Stderr)
			loader.Progress = bar.update
			if err := loader.Run(workCtx, large); err != nil && workCtx.Err() == nil {
				log.Error("loading the bundled records failed", "err", err)
			}
			bar.done()
		}()
	}
	if o.watchArticles != "" {
		cat, err := news.BundledCatalog()
		if err != nil {
			return err
		}
		w := &ingest.Watcher{Dir: o.watchArticles, Appender: st, Options: news.Options{Catalog: cat}, Ingest: news.IngestOptions{ReviewBelow: o.reviewBelow},
			Interval: o.watchEvery, Logger: log.With("component", "articles")}
		if err := w.Validate(); err != nil {
			return fmt.Errorf("--watch-articles: %w", err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); w.Run(workCtx) }()
		log.Info("watching for articles", "dir", o.watchArticles, "every", o.watchEvery.String())
	}
	// Answer the first request with everything stored folded in.
	if last, err := st.LastSeq(ctx); err == nil {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		if err := proj.WaitFor(wctx, last); err != nil {
			log.Warn("projection still catching up; serving anyway", "at", proj.LastSeq(), "stream", last)
		}
		cancel()
	}

	ln, err := net.Listen("tcp", o.http)
	if err != nil {
		return err
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() && len(o.tokens) == 0 {
		log.Warn("!!! HTTP listens beyond loopback WITHOUT TOKENS: anyone who can reach it can write and retract events; start with --tokens FILE !!!", "addr", ln.Addr().String())
	}
	baseCtx, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(cancelBase) // ends event streams, which Shutdown would otherwise wait for
	httpErr := make(chan error, 1)
	scheme := "http"
	if o.tlsCert != "" {
		scheme = "https"
		go func() { httpErr <- srv.ServeTLS(ln, o.tlsCert, o.tlsKey) }()
	} else {
		go func() { httpErr <- srv.Serve(ln) }()
	}
	close(listening)
	if cfg.URL == "" {
		log.Info("stancewatch serving", "http", scheme+"://"+ln.Addr().String(), "nats", st.ClientURL(), "embedded", true,
			"data", cfg.DataDir, "sync", st.Config().Sync.String(), "stream", st.Config().Stream)
	} else {
		log.Info("stancewatch serving", "http", scheme+"://"+ln.Addr().String(), "nats", cfg.URL, "embedded", false,
			"stream", st.Config().Stream, "replicas", st.Replicas())
	}

	failure := untilEnd(ctx, httpErr, workErr)
	if failure != nil {
		log.Error("shutting down", "why", failure)
	} else {
		log.Info("shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("HTTP shutdown", "err", err)
	}
	return failure
}

// servePprof serves the runtime profiles on their own listener, apart
// from the API (which must never expose them).
func servePprof(addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() { _ = http.Serve(ln, mux) }()
	log.Info("runtime profiles", "addr", "http://"+ln.Addr().String()+"/debug/pprof/")
	return nil
}

// bundledSets names the bundled records --bundled asks for.
func bundledSets(which string) ([]ingest.Dataset, error) {
	all := ingest.BundledDatasets()
	switch which {
	case "all":
		return all, nil
	case "council":
		return all[:2], nil
	case "gaza":
		return all[:1], nil
	case "none", "":
		return nil, nil
	}
	return nil, fmt.Errorf("%q: want all, council, gaza or none", which)
}

// runWorker runs the projection worker until ctx ends. The channel it
// returns gets the reason if the worker stops by itself, with an error or
// without one: either way the projection no longer moves, and serve must
// not go on answering from it.
func runWorker(ctx context.Context, worker interface{ Run(context.Context) error }, wg *sync.WaitGroup) <-chan error {
	failed := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		err := worker.Run(ctx)
		if err == nil && ctx.Err() == nil {
			err = errors.New("stopped without being asked")
		}
		if err != nil && ctx.Err() == nil {
			failed <- err
		}
	}()
	return failed
}

// alignmentConfig reads the alignment alert flags: references resolve
// against the shipped blocs and the user's.
func alignmentConfig(user []alignment.Bloc, threshold float64, minN int, measure, with string) (*alignment.AlertConfig, error) {
	m, err := alignment.ParseMeasure(measure)
	if err != nil {
		return nil, err
	}
	c := alignment.AlertConfig{Threshold: threshold, MinN: minN, Measure: m, Evidence: 10}
	blocs := alignment.NewBlocs(user...)
	for _, s := range strings.Split(with, ",") {
		r, err := blocs.Reference(strings.TrimSpace(s))
		if err != nil {
			return nil, err
		}
		c.References = append(c.References, r)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// untilEnd waits for serve's end: nil when ctx ends (a signal), or the
// error that makes serve exit non-zero when the HTTP server or the
// projection worker stops by itself, saying which.
func untilEnd(ctx context.Context, httpErr, workErr <-chan error) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-httpErr:
		return fmt.Errorf("the HTTP server stopped: %w", err)
	case err := <-workErr:
		return fmt.Errorf("the projection worker stopped: %w", err)
	}
}

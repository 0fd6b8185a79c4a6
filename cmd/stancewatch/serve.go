package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/stancewatch/stancewatch/api"
	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/metrics"
	"github.com/stancewatch/stancewatch/producers/news"
	"github.com/stancewatch/stancewatch/producers/votes"
	"github.com/stancewatch/stancewatch/store"
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
	maxBytes := fs.Int64("max-bytes", -1, "cap on the stream's size in bytes; when full, new events are refused, never old ones dropped (-1: no cap)")
	noBundled := fs.Bool("no-bundled", false, "do not load the bundled dataset of Security Council votes")
	checkpointEvery := fs.Int("checkpoint-every", 10000, "checkpoint the projection after this many events")
	tokensFile := fs.String("tokens", os.Getenv("STANCEWATCH_TOKENS"), `HTTP bearer tokens, one a line: "name scope secret" (scopes: read, write, admin); with tokens, writes need one [$STANCEWATCH_TOKENS]`)
	privateReads := fs.Bool("private-reads", false, "reads need a token with the read scope too")
	rateLimit := fs.Float64("rate-limit", 100, "requests a second each HTTP client may make on average (negative: no limit)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM)")
	tlsKey := fs.String("tls-key", "", "the certificate's private key (PEM)")
	watchArticles := fs.String("watch-articles", "", "ingest the .txt news articles that appear in this directory (positions below --review-below go to the review queue)")
	watchEvery := fs.Duration("watch-interval", time.Second, "how often --watch-articles looks for new files")
	reviewBelow := fs.Float64("review-below", news.DefaultReviewBelow, "articles: positions found with less confidence go to the review queue")
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
		Replicas: *replicas, MaxBytes: *maxBytes, Logger: log,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o := serveOptions{http: *httpAddr, bundled: !*noBundled, checkpointEvery: *checkpointEvery,
		privateReads: *privateReads, rateLimit: *rateLimit, tlsCert: *tlsCert, tlsKey: *tlsKey,
		watchArticles: *watchArticles, watchEvery: *watchEvery, reviewBelow: *reviewBelow}
	if *reviewBelow <= 0 || *reviewBelow > 1 {
		return fail("--review-below %v: want a confidence above 0 and at most 1", *reviewBelow)
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
	if err := serve(ctx, cfg, o, log); err != nil {
		return fail("%v", err)
	}
	return exitOK
}

// serve runs until ctx ends, then shuts down within a deadline: the HTTP
// server stops taking requests, event streams end, the projection writes a
// last checkpoint, and the store closes.
// serveOptions are serve's settings beyond the store's.
type serveOptions struct {
	http            string
	bundled         bool
	checkpointEvery int
	tokens          []api.Token
	privateReads    bool
	rateLimit       float64
	tlsCert, tlsKey string
	watchArticles   string
	watchEvery      time.Duration
	reviewBelow     float64
}

func serve(ctx context.Context, cfg store.Config, o serveOptions, log *slog.Logger) error {
	st, err := store.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	proj := store.NewProjection()
	metrics.WatchProjection(proj)
	worker := st.NewProjector(proj, store.ProjectorConfig{Logger: log, Alerts: true, AlertSource: "stancewatch/projection", DeadLetters: true,
		CheckpointEvery: o.checkpointEvery})
	if err := worker.Restore(ctx); err != nil {
		return err
	}
	workCtx, stopWork := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	workErr := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := worker.Run(workCtx); err != nil {
			workErr <- err
		}
	}()
	defer func() { stopWork(); wg.Wait() }()

	if o.bundled {
		if err := loadBundled(ctx, st, log); err != nil {
			log.Error("loading the bundled dataset failed", "err", err)
		}
	}
	if o.watchArticles != "" {
		cat, err := news.BundledCatalog()
		if err != nil {
			return err
		}
		w := &articleWatcher{dir: o.watchArticles, st: st, opt: news.Options{Catalog: cat}, io: news.IngestOptions{ReviewBelow: o.reviewBelow},
			interval: o.watchEvery, log: log.With("component", "articles")}
		wg.Add(1)
		go func() { defer wg.Done(); w.run(workCtx) }()
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
		Handler: api.New(api.Config{Logger: log, Admin: worker, Tokens: o.tokens, PrivateReads: o.privateReads, RateLimit: o.rateLimit},
			st, proj),
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
	if cfg.URL == "" {
		log.Info("stancewatch serving", "http", scheme+"://"+ln.Addr().String(), "nats", st.ClientURL(), "embedded", true,
			"data", cfg.DataDir, "sync", st.Config().Sync.String(), "stream", st.Config().Stream)
	} else {
		log.Info("stancewatch serving", "http", scheme+"://"+ln.Addr().String(), "nats", cfg.URL, "embedded", false,
			"stream", st.Config().Stream, "replicas", st.Replicas())
	}

	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-httpErr:
		return err
	case err := <-workErr:
		log.Error("projection worker stopped", "err", err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("HTTP shutdown", "err", err)
	}
	return nil
}

// loadBundled records the bundled dataset. It is idempotent: every event
// has a deterministic id, so a second start adds nothing.
func loadBundled(ctx context.Context, st *store.Store, log *slog.Logger) error {
	rcs, rowErrs, err := votes.ReadDataset(bytes.NewReader(data.GazaRollCalls), data.GazaRollCallsFile)
	if err != nil {
		return err
	}
	for _, e := range rowErrs {
		log.Warn("bundled dataset: roll call skipped", "err", e.Error())
	}
	sum, err := appendRollCalls(ctx, st, rcs, nil)
	if err != nil {
		return err
	}
	log.Info("bundled dataset loaded", "file", data.GazaRollCallsFile, "roll_calls", len(rcs), "events", sum.events, "new", sum.added, "already_stored", sum.duplicates)
	return nil
}

type ingestSummary struct {
	events, added, duplicates int
}

// appendRollCalls stores roll calls, each atomically (a reader never sees
// half a vote), several per batch.
func appendRollCalls(ctx context.Context, st *store.Store, rcs []votes.RollCall, progress func(int)) (ingestSummary, error) {
	var groups [][]events.Event
	var sum ingestSummary
	for _, rc := range rcs {
		evs, err := rc.Events()
		if err != nil {
			return sum, err
		}
		groups = append(groups, evs)
		sum.events += len(evs)
	}
	acks, err := st.AppendGroups(ctx, groups, progress)
	for _, g := range acks {
		for _, a := range g {
			if a.Duplicate {
				sum.duplicates++
			} else if a.Seq > 0 {
				sum.added++
			}
		}
	}
	return sum, err
}

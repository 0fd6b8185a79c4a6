// Package api is stancewatch's HTTP interface: JSON reads of the
// projection (actors, histories, topics, shifts, motions, conflicts), event
// appends, Server-Sent Events of the live stream, and health checks.
//
// Errors are RFC 9457 Problem Details (application/problem+json: type,
// title, status, detail, instance, and the extension member fields naming
// every wrong field), mapped from errors to status and type in exactly one
// place, kindOf.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/metrics"
	"github.com/stancewatch/stancewatch/internal/projector"
	"github.com/stancewatch/stancewatch/internal/tracing"
	"github.com/stancewatch/stancewatch/projections"
	"github.com/stancewatch/stancewatch/projections/alignment"
)

// Writer is what the API needs to append events.
type Writer interface {
	Append(ctx context.Context, ev events.Event, opts ...eventlog.AppendOption) (eventlog.Ack, error)
	AppendBatch(ctx context.Context, evs []events.Event, opts ...eventlog.AppendOption) ([]eventlog.Ack, error)
}

// Log is what the API needs of the event log: appends, lookups by id,
// subscriptions to the live stream, and its health.
type Log interface {
	Writer
	Get(ctx context.Context, id uuid.UUID) (eventlog.Stored, error)
	Subscribe(ctx context.Context, o eventlog.SubscribeOptions, fn func(eventlog.Delivery) error) error
	LastSeq(ctx context.Context) (uint64, error)
	LastShiftSeq(ctx context.Context) (uint64, error)
	LastAlignmentSeq(ctx context.Context) (uint64, error)
	Healthy(ctx context.Context) error
}

// Projection is what the API needs of the live projection.
type Projection interface {
	Read(fn func(*projections.State))
	LastSeq() uint64
	Lag() uint64
	Ready() (bool, string)
	WaitFor(ctx context.Context, seq uint64) error
	// Damaged lists sequences found damaged on disk that the state
	// folded before they were (nil if none).
	Damaged() map[uint64]string
}

// Admin is what the API needs to run administrative tasks: rebuilds, and
// the clean replay that verify compares the projection with.
type Admin interface {
	StartRebuild(reason string) (projector.RebuildStatus, error)
	RebuildStatus() projector.RebuildStatus
	Replay(ctx context.Context, until uint64) (*projections.State, error)
}

// Config tunes the API. Zero fields take the defaults below.
type Config struct {
	// Admin runs rebuilds and verifications; without it the admin
	// endpoints answer 404.
	Admin Admin
	// MaxBodyBytes caps a request body (default 1 MiB); larger is 413.
	MaxBodyBytes int64
	// MaxWait is how long a read with min_seq waits at most (default
	// 10s): the wait without ?wait=, and the longest a client may ask for.
	MaxWait time.Duration
	// MinSeqAhead: a min_seq more than this many sequences beyond the end
	// of the stream is answered at once (409), since it cannot come soon
	// (default 1000).
	MinSeqAhead uint64
	// MaxSSEClients bounds concurrent event streams (default 256); more
	// are refused with 503.
	MaxSSEClients int
	// SSEHeartbeat is the interval of keep-alive comments (default 15s).
	SSEHeartbeat time.Duration
	// SSEWriteTimeout cuts off a client that does not take an event
	// within it (default 10s).
	SSEWriteTimeout time.Duration
	// MaxLag: /readyz fails when the projection is further behind the
	// stream than this many events (default 1000).
	MaxLag uint64
	// Source is the CloudEvents source of events posted without one (and
	// without a token; with one, it is stancewatch/analyst/<token name>).
	Source string
	// Tokens: when any are set, writes need a token with the write scope
	// and admin endpoints one with the admin scope.
	Tokens []Token
	// PrivateReads: reads need a token with the read scope too.
	PrivateReads bool
	// RateLimit is how many requests a second each client (token, or
	// address without one) may make, on average (default 100; negative:
	// no limit). RateBurst is how many at once (default 2×RateLimit).
	RateLimit float64
	RateBurst int
	// CacheBytes bounds the cache of read answers (default 64 MiB;
	// negative: no cache).
	CacheBytes int
	// Loading, if set, says how far the load of the bundled records is;
	// /readyz shows it. StillLoading reports whether it is still storing.
	Loading      func() any
	StillLoading func() bool
	Logger       *slog.Logger
	// Metrics the server counts requests and event streams in, and serves
	// at /metrics (default: a registry of its own).
	Metrics *metrics.Metrics
	// Now is the clock (default time.Now).
	Now func() time.Time
	// TracerProvider records a span "POST /v1/events" for each write that
	// reaches the store, continuing the trace of its traceparent header
	// (or of its event's traceparent extension), and a span "sse deliver"
	// for each event an event stream delivers that was appended in a
	// trace. Default: none (noop), with no trace work at all.
	TracerProvider trace.TracerProvider
	// Propagator reads and writes trace context (default: W3C Trace
	// Context: traceparent, tracestate).
	Propagator propagation.TextMapPropagator
	// Blocs are user-defined blocs alignment answers compare with, beside
	// the shipped ones (a bloc of a shipped id replaces it).
	Blocs []alignment.Bloc
}

// WithDefaults returns c with every unset field at its default.
func (c Config) WithDefaults() Config {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxWait == 0 {
		c.MaxWait = 10 * time.Second
	}
	if c.MinSeqAhead == 0 {
		c.MinSeqAhead = 1000
	}
	if c.MaxSSEClients == 0 {
		c.MaxSSEClients = 256
	}
	if c.SSEHeartbeat == 0 {
		c.SSEHeartbeat = 15 * time.Second
	}
	if c.SSEWriteTimeout == 0 {
		c.SSEWriteTimeout = 10 * time.Second
	}
	if c.MaxLag == 0 {
		c.MaxLag = 1000
	}
	if c.Source == "" {
		c.Source = "stancewatch/analyst/http"
	}
	if c.RateLimit == 0 {
		c.RateLimit = 100
	}
	if c.CacheBytes == 0 {
		c.CacheBytes = 64 << 20
	}
	if c.RateBurst == 0 {
		c.RateBurst = int(2 * max(c.RateLimit, 1))
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Metrics == nil {
		c.Metrics = metrics.New()
	}
	return c
}

// Validate reports every setting that cannot work, joined.
func (c Config) Validate() error {
	var errs []error
	positive := func(name string, v int64) {
		if v < 0 {
			errs = append(errs, fmt.Errorf("%s %d: want a positive number (0 for the default)", name, v))
		}
	}
	positive("max body bytes", c.MaxBodyBytes)
	positive("max SSE clients", int64(c.MaxSSEClients))
	positive("rate burst", int64(c.RateBurst))
	for name, d := range map[string]time.Duration{"max wait": c.MaxWait, "SSE heartbeat": c.SSEHeartbeat, "SSE write timeout": c.SSEWriteTimeout} {
		if d < 0 {
			errs = append(errs, fmt.Errorf("%s %s: want a positive duration (0 for the default)", name, d))
		}
	}
	if len(c.Source) > events.MaxSourceAttLen {
		errs = append(errs, fmt.Errorf("source: %d bytes, at most %d", len(c.Source), events.MaxSourceAttLen))
	}
	if c.PrivateReads && len(c.Tokens) == 0 {
		errs = append(errs, errors.New("private reads: no tokens, so nobody could read"))
	}
	seen := map[string]bool{}
	for _, t := range c.Tokens {
		if t.Name == "" {
			errs = append(errs, errors.New("token: without a name"))
		} else if seen[t.Name] {
			errs = append(errs, fmt.Errorf("token %q: named twice", t.Name))
		}
		seen[t.Name] = true
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// Server serves the API.
type Server struct {
	cfg     Config
	store   Log
	proj    Projection
	log     *slog.Logger
	sse     chan struct{} // one token per connected event-stream client
	mux     *http.ServeMux
	handler http.Handler
	limiter *limiter
	answers *answers
	blocs   *blocSet
	trc     tracing.Tracer
}

// New returns the API over an event log and its projection, or the
// configuration's errors.
func New(cfg Config, st Log, proj Projection) (*Server, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	s := &Server{cfg: cfg, store: st, proj: proj, log: cfg.Logger, sse: make(chan struct{}, cfg.MaxSSEClients), mux: http.NewServeMux(),
		limiter: newLimiter(cfg.RateLimit, cfg.RateBurst), answers: newAnswers(cfg.CacheBytes),
		blocs: newBlocSet(cfg.Blocs), trc: tracing.New(cfg.TracerProvider, cfg.Propagator)}
	s.routes()
	s.handler = s.guard(http.HandlerFunc(s.dispatch))
	return s, nil
}

// routes lists every route: the mux serves them, and a test holds the
// OpenAPI document to them.
func (s *Server) routeTable() []struct {
	pattern string
	handler http.Handler
} {
	h := func(f http.HandlerFunc) http.Handler { return f }
	return []struct {
		pattern string
		handler http.Handler
	}{
		{"GET /{$}", h(s.index)},
		{"GET /v1", h(s.apiIndex)},
		{"GET /ui/{file...}", s.ui()},
		{"GET /favicon.ico", h(s.favicon)},
		{"GET /openapi.json", h(s.openAPI)},
		{"GET /livez", h(s.livez)},
		{"GET /readyz", h(s.readyz)},
		{"GET /metrics", s.cfg.Metrics.Handler()},
		{"GET /v1/actors", s.read(s.actors)},
		{"GET /v1/actors/{actor}", s.read(s.actor)},
		{"GET /v1/actors/{actor}/history", s.read(s.history)},
		{"GET /v1/topics", s.read(s.topics)},
		{"GET /v1/topics/{topic}", s.read(s.topic)},
		{"GET /v1/topics/{topic}/matrix", s.read(s.matrix)},
		{"GET /v1/topics/{topic}/years", s.read(s.years)},
		{"GET /v1/shifts", s.read(s.shifts)},
		{"GET /v1/conflicts", s.read(s.conflicts)},
		{"GET /v1/motions", s.read(s.motions)},
		{"GET /v1/motions/{id...}", s.read(s.motion)},
		{"GET /v1/deadletters", s.read(s.deadletters)},
		{"GET /v1/alignment", s.read(s.alignmentSeries)},
		{"GET /v1/alignment/matrix", h(s.alignmentMatrix)},
		{"GET /v1/alignment/scale", h(s.alignmentScale)},
		{"GET /v1/alignment/divergent", s.read(s.alignmentDivergent)},
		{"GET /v1/alignment/rollcalls", s.read(s.alignmentRollCalls)},
		{"GET /v1/alignment/blocs", s.read(s.alignmentBlocs)},
		{"GET /v1/alignment/blocs/{id}", s.read(s.alignmentBloc)},
		{"POST /v1/alignment/blocs", h(s.postBloc)},
		{"GET /v1/review", s.read(s.reviews)},
		{"GET /v1/review/{id}", s.read(s.review)},
		{"POST /v1/review/{id}/accept", h(s.acceptReview)},
		{"POST /v1/review/{id}/reject", h(s.rejectReview)},
		{"GET /v1/events/{id}", h(s.event)},
		{"POST /v1/events", h(s.postEvents)},
		{"POST /v1/events/{id}/retract", h(s.retract)},
		{"POST /v1/events/{id}/correct", h(s.correct)},
		{"GET /v1/stream", h(s.stream)},
		{"GET /v1/export/positions.csv", h(s.exportPositions)},
		{"GET /v1/export/motions.csv", h(s.exportMotions)},
		{"GET /v1/export/events.jsonl", h(s.exportEvents)},
		{"GET /v1/export/deadletters.jsonl", h(s.exportDeadLetters)},
		{"GET /v1/export/alignment.csv", h(s.exportAlignment)},
		{"GET /v1/admin/rebuild", h(s.rebuildStatus)},
		{"POST /v1/admin/rebuild", h(s.startRebuild)},
		{"GET /v1/admin/state", h(s.state)},
		{"GET /v1/admin/verify", h(s.verify)},
	}
}

func (s *Server) routes() {
	for _, r := range s.routeTable() {
		s.mux.Handle(r.pattern, r.handler)
	}
}

// dispatch serves a request on its route; a path no route has (404) or a
// method the path does not take (405, with Allow) is answered as a
// Problem too.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	rec := &headerRecorder{header: http.Header{}, status: http.StatusOK}
	h.ServeHTTP(rec, r)
	if rec.status == http.StatusMethodNotAllowed {
		allow := rec.header.Get("Allow")
		w.Header().Set("Allow", allow)
		s.writeError(w, r, errorf(errMethodNotAllowed, "%s %s: this path answers %s", r.Method, r.URL.Path, allow))
		return
	}
	s.writeError(w, r, notFound("%s %s: no such route (GET /openapi.json lists them)", r.Method, r.URL.Path))
}

// headerRecorder keeps the status and headers a handler writes, and drops
// its body.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) WriteHeader(code int)        { h.status = code }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }

// Routes returns every route pattern the server serves ("GET /v1/actors").
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.routeTable() {
		out = append(out, r.pattern)
	}
	return out
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

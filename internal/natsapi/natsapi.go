// Package natsapi takes writes over NATS with the producer's authority
// coming from the writer's credentials, not from what the event says.
//
// A NATS user appends by request to stancewatch.write.<producer> (news,
// rollcall, analyst): the service stores the events and answers with
// their acknowledgements. nats-server's permissions decide which of those
// subjects a user may publish to, so a user whose role allows
// stancewatch.write.news writes as news and as nothing else: an event that
// claims another producer is refused, whole, before anything is stored.
// The stream's own subjects (positions.>, motions.>) stay writable by
// stancewatch alone (deploy/auth/roles.conf).
package natsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/tracing"
)

// SubjectPrefix begins the subjects writes are requested on:
// stancewatch.write.<producer>.
const SubjectPrefix = "stancewatch.write."

// QueueGroup is the queue the service's replicas share, so that each
// request is served once.
const QueueGroup = "stancewatch-write"

// Subject returns the subject a producer writes on.
func Subject(p events.Producer) string { return SubjectPrefix + p.String() }

// Appender is what the service needs of the event log.
type Appender interface {
	Append(ctx context.Context, ev events.Event, opts ...eventlog.AppendOption) (eventlog.Ack, error)
	AppendBatch(ctx context.Context, evs []events.Event, opts ...eventlog.AppendOption) ([]eventlog.Ack, error)
}

// Config configures the service.
type Config struct {
	Conn     *nats.Conn // the connection it serves on (stancewatch's own)
	Appender Appender
	Logger   *slog.Logger
	// Timeout bounds one request's append (default 10 s).
	Timeout time.Duration
	// Now is the clock for events sent without a time (default time.Now).
	Now func() time.Time
	// TracerProvider records a span for each write request that comes in
	// a trace (a traceparent header on the NATS message, or the first
	// event's traceparent extension) and carries the trace on to the
	// stored messages' headers. Default: none, and no trace work.
	TracerProvider trace.TracerProvider
	// Propagator reads the trace context (default: W3C Trace Context).
	Propagator propagation.TextMapPropagator
}

// WithDefaults returns c with every unset field at its default.
func (c Config) WithDefaults() Config {
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate reports what cannot work, joined.
func (c Config) Validate() error {
	var errs []error
	if c.Conn == nil {
		errs = append(errs, errors.New("natsapi: no NATS connection"))
	}
	if c.Appender == nil {
		errs = append(errs, errors.New("natsapi: no appender"))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("natsapi: timeout %s: want a positive duration", c.Timeout))
	}
	return errors.Join(errs...)
}

// Service answers write requests until Stop.
type Service struct {
	cfg  Config
	trc  tracing.Tracer
	subs []*nats.Subscription
}

// Start subscribes the service to every producer's subject.
func Start(cfg Config) (*Service, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg, trc: tracing.New(cfg.TracerProvider, cfg.Propagator)}
	for _, p := range []events.Producer{events.ProducerRollCall, events.ProducerNews, events.ProducerAnalyst} {
		sub, err := cfg.Conn.QueueSubscribe(Subject(p), QueueGroup, func(m *nats.Msg) { s.serve(p, m) })
		if err != nil {
			s.Stop()
			return nil, err
		}
		s.subs = append(s.subs, sub)
	}
	return s, nil
}

// Stop ends the subscriptions; requests being served finish.
func (s *Service) Stop() {
	for _, sub := range s.subs {
		_ = sub.Drain()
	}
}

// Reply is the answer to a write request: an acknowledgement per event,
// in order, or an error and nothing stored.
type Reply struct {
	Results []Result `json:"results,omitempty"`
	Error   *Problem `json:"error,omitempty"`
}

// Result acknowledges one event.
type Result struct {
	ID        string `json:"id"`
	Seq       uint64 `json:"seq"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

// Problem says why a request stored nothing, with the HTTP status the
// same refusal has over HTTP.
type Problem struct {
	// Type names the kind of refusal: invalid, forbidden, id-reused,
	// conflict, store-full, unavailable.
	Type   string              `json:"type"`
	Status int                 `json:"status"`
	Title  string              `json:"title"`
	Detail string              `json:"detail"`
	Fields []events.FieldError `json:"fields,omitempty"`
}

func (p *Problem) Error() string { return p.Detail }

func problem(status int, title, format string, args ...any) *Problem {
	types := map[int]string{400: "invalid", 403: "forbidden", 409: "conflict", 507: "store-full", 503: "unavailable"}
	return &Problem{Type: types[status], Status: status, Title: title, Detail: fmt.Sprintf(format, args...)}
}

// serve handles one request: a CloudEvent (JSON object) or an atomic
// batch (JSON array: stored together; those of its events stored already
// are acknowledged as duplicates), written as producer p.
func (s *Service) serve(p events.Producer, m *nats.Msg) {
	results, err := s.write(p, m)
	var r Reply
	if err != nil {
		var pr *Problem
		if !errors.As(err, &pr) {
			pr = problemOf(err)
		}
		r.Error = pr
		s.cfg.Logger.Info("NATS write refused", "producer", p.String(), "status", pr.Status, "detail", pr.Detail)
	} else {
		r.Results = results
	}
	b, _ := json.Marshal(r)
	if m.Reply != "" {
		_ = m.Respond(b)
	}
}

func (s *Service) write(p events.Producer, m *nats.Msg) (results []Result, err error) {
	start := time.Now()
	body := []byte(strings.TrimSpace(string(m.Data)))
	if len(body) == 0 {
		return nil, problem(400, "Bad request", "the request is empty: send a CloudEvent (a JSON object) or an atomic batch (a JSON array)")
	}
	var raws []json.RawMessage
	batch := body[0] == '['
	if batch {
		if err := json.Unmarshal(body, &raws); err != nil {
			return nil, problem(400, "Bad request", "not a JSON array of CloudEvents: %v", err)
		}
		if len(raws) == 0 || len(raws) > eventlog.MaxBatch {
			return nil, problem(400, "Bad request", "a batch holds 1 to %d events, this one %d", eventlog.MaxBatch, len(raws))
		}
	} else {
		raws = []json.RawMessage{body}
	}
	evs := make([]events.Event, len(raws))
	var fields []events.FieldError
	for i, raw := range raws {
		ev, err := events.Decode(raw, events.Strict(), events.Draft(s.cfg.Now(), "stancewatch/nats/"+p.String()))
		if err != nil {
			var ve *events.ValidationError
			if !errors.As(err, &ve) {
				return nil, problem(400, "Bad request", "event %d: %v", i, err)
			}
			for _, f := range ve.Fields {
				if batch {
					f.Field = fmt.Sprintf("[%d].%s", i, f.Field)
				}
				fields = append(fields, f)
			}
			continue
		}
		claim, field, derived := ev.Claim()
		switch {
		case derived:
			return nil, problem(403, "Forbidden", "event %s is a %s: alerts are derived by stancewatch's projector, not written", ev.ID, ev.Data.Type())
		case !claim.IsZero() && claim != p:
			return nil, problem(403, "Forbidden", "this subject writes as %s; event %s claims %s (%s): write it on %s, if your NATS user may",
				p, ev.ID, claim, field, Subject(claim))
		}
		evs[i] = ev
	}
	if len(fields) > 0 {
		pr := problem(400, "Invalid event", "%d fields are wrong: nothing was stored", len(fields))
		pr.Fields = fields
		return nil, pr
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
	defer cancel()
	ctx, end := s.traceWrite(ctx, p, m, evs, start)
	defer func() { end(results, err) }()
	var acks []eventlog.Ack
	if batch {
		var err error
		// Atomic: events stored already (a retry, a load cut short) are
		// acknowledged as duplicates and the others stored together.
		if acks, err = s.cfg.Appender.AppendBatch(ctx, evs); err != nil {
			return nil, err
		}
	} else {
		a, err := s.cfg.Appender.Append(ctx, evs[0])
		if err != nil {
			return nil, err
		}
		acks = []eventlog.Ack{a}
	}
	out := make([]Result, len(acks))
	for i, a := range acks {
		out[i] = Result{ID: a.ID.String(), Seq: a.Seq, Duplicate: a.Duplicate}
	}
	return out, nil
}

// problemOf maps the store's errors to the statuses they have over HTTP.
func problemOf(err error) *Problem {
	switch {
	case errors.Is(err, eventlog.ErrIDReused):
		p := problem(409, "Conflict", "%v", err)
		p.Type = "id-reused"
		return p
	case errors.Is(err, eventlog.ErrConflict):
		return problem(409, "Conflict", "%v", err)
	case errors.Is(err, eventlog.ErrStoreFull):
		return problem(507, "Store full", "%v", err)
	case errors.Is(err, eventlog.ErrBatchTooLarge):
		return problem(400, "Bad request", "%v", err)
	}
	return problem(503, "Unavailable", "%v", err)
}

// traceWrite starts the span of a write request that reaches the store,
// "stancewatch.write.<producer>", from when the request arrived: a child
// of the message's traceparent and tracestate headers or, without them,
// of the first event's traceparent extension. Only a write that came in a
// trace carries it on (the context it returns is then the span's, which
// the store writes to the stored messages' headers); with tracing off,
// or outside a trace, it does nothing.
func (s *Service) traceWrite(ctx context.Context, p events.Producer, m *nats.Msg, evs []events.Event, start time.Time) (context.Context, func([]Result, error)) {
	none := func([]Result, error) {}
	if !s.trc.On() {
		return ctx, none
	}
	var tc eventlog.TraceContext
	if m.Header != nil {
		tc = eventlog.TraceContext{Parent: m.Header.Get(eventlog.TraceParentHeader), State: m.Header.Get(eventlog.TraceStateHeader)}
	}
	if tc.Parent == "" && len(evs) > 0 {
		tc.Parent, _ = evs[0].Extensions[eventlog.TraceParentHeader].(string)
		tc.State, _ = evs[0].Extensions[eventlog.TraceStateHeader].(string)
	}
	parent := s.trc.Remote(ctx, tc)
	if !tracing.HasRemote(parent) {
		return ctx, none
	}
	ctx, sp := s.trc.Start(parent, Subject(p), trace.WithTimestamp(start), trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("messaging.system", "nats"), attribute.String("messaging.destination.name", m.Subject),
			attribute.Int("stancewatch.events", len(evs))))
	return ctx, func(results []Result, err error) {
		if err != nil {
			sp.RecordError(err)
			sp.SetStatus(codes.Error, err.Error())
		}
		if len(results) == 1 && err == nil {
			sp.SetAttributes(attribute.Int64("stancewatch.seq", int64(results[0].Seq)), attribute.Bool("stancewatch.duplicate", results[0].Duplicate))
		}
		sp.End()
	}
}

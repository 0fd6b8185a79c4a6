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

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
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
	subs []*nats.Subscription
}

// Start subscribes the service to every producer's subject.
func Start(cfg Config) (*Service, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg}
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
	results, err := s.write(p, m.Data)
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

func (s *Service) write(p events.Producer, body []byte) ([]Result, error) {
	body = []byte(strings.TrimSpace(string(body)))
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

package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/tracing"
)

// stream serves the event stream as Server-Sent Events. Each event's id is
// its stream sequence: a client that reconnects with Last-Event-ID (or
// ?after=N) resumes after it, with no gap and no duplicate. Without
// either, the stream starts after the last event stored when the request
// arrived (its sequence is sent first, as an id without data); ?after=0
// replays from the beginning. ?actor= and ?topic= filter by subject.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	q := query{r: r}
	o, err := s.subscription(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if r.Header.Get("Last-Event-ID") == "" && r.URL.Query().Get("after") == "" {
		// New events only: anchor at the stream's end now, and tell the
		// client, so that a reconnect resumes from here even if nothing
		// arrives in between.
		if o.After, err = s.lastSeq(r, o); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	select {
	case s.sse <- struct{}{}:
		s.cfg.Metrics.SSEClients.Inc()
		defer func() { <-s.sse; s.cfg.Metrics.SSEClients.Dec() }()
	default:
		s.writeError(w, r, errorf(errBusy, "%d event streams are open: the server takes no more", cap(s.sse)))
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	ctx := r.Context()
	// write sends one chunk within the write timeout: a client that does
	// not read is cut off rather than holding the stream back.
	write := func(chunk string) error {
		if err := rc.SetWriteDeadline(time.Now().Add(s.cfg.SSEWriteTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		if _, err := fmt.Fprint(w, chunk); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := write(fmt.Sprintf(": stancewatch event stream\nretry: 2000\nid: %d\n\n", o.After)); err != nil {
		return
	}
	deliveries := make(chan eventlog.Delivery, 64)
	errc := make(chan error, 1)
	go func() {
		errc <- s.store.Subscribe(ctx, o, func(d eventlog.Delivery) error {
			select {
			case deliveries <- d:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	heartbeat := time.NewTicker(s.cfg.SSEHeartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-errc:
			if err != nil && ctx.Err() == nil {
				s.log.Warn("event stream ended", "err", err)
				_ = write(": the event store is unavailable; reconnect with Last-Event-ID\n\n")
			}
			return
		case <-heartbeat.C:
			if err := write(": ping\n\n"); err != nil {
				return
			}
		case d := <-deliveries:
			ev, err := events.Decode(d.Data)
			if err != nil {
				continue // poison messages are for /v1/deadletters, not for subscribers
			}
			kind := strings.TrimPrefix(string(ev.Data.Type()), "org.stancewatch.")
			end := s.traceDelivery(d)
			err = write(fmt.Sprintf("id: %d\nevent: %s\ndata: %s\n\n", d.Seq, kind, d.Data))
			end(err)
			if err != nil {
				return
			}
		}
	}
}

// subscription reads what a stream request asks for: kind=events (the
// default), kind=shifts (shift alerts) or kind=alignment (alignment
// alerts, with reference: an actor's code or a bloc's id), actor (one or
// a comma-separated list) and topic.
func (s *Server) subscription(q query) (eventlog.SubscribeOptions, error) {
	var o eventlog.SubscribeOptions
	var ps params
	var actors []events.Country
	qv := q.r.URL.Query()
	if v := qv.Get("actor"); v != "" {
		for _, a := range strings.Split(v, ",") {
			c, err := events.ParseCountry(a)
			ps.addErr("actor", err)
			actors = append(actors, c)
		}
	}
	var topic events.Topic
	if v := qv.Get("topic"); v != "" {
		var err error
		topic, err = events.ParseTopic(v)
		ps.addErr("topic", err)
	}
	switch kind := qv.Get("kind"); kind {
	case "", "events":
	case "shifts":
		o.Shifts = true
	case "alignment":
		o.Alignment = true
	default:
		ps.bad("kind", "%q is not events, shifts or alignment", kind)
	}
	reference := qv.Get("reference")
	switch {
	case reference != "" && !o.Alignment:
		ps.bad("reference", "only with kind=alignment")
	case reference != "" && !events.ValidReference(reference):
		ps.bad("reference", "%q is not an actor's code (US) or a bloc's id (eu)", reference)
	}
	after := q.r.Header.Get("Last-Event-ID")
	if v := qv.Get("after"); v != "" {
		after = v
	}
	if after != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(after), 10, 64)
		if err != nil {
			ps.bad("after", "%q (or the Last-Event-ID header) is not a stream sequence", after)
		}
		o.After = n
	}
	if err := ps.err(); err != nil {
		return o, err
	}
	o.Select(actors, topic, reference)
	return o, nil
}

// lastSeq is the last sequence of the stream a subscription reads.
func (s *Server) lastSeq(r *http.Request, o eventlog.SubscribeOptions) (uint64, error) {
	switch {
	case o.Shifts:
		return s.store.LastShiftSeq(r.Context())
	case o.Alignment:
		return s.store.LastAlignmentSeq(r.Context())
	}
	return s.store.LastSeq(r.Context())
}

// traceDelivery starts a span "sse deliver" for an event appended in a
// trace, a child of the append's span, and returns what ends it once the
// event is written to the client.
func (s *Server) traceDelivery(d eventlog.Delivery) func(error) {
	if !s.trc.On() || d.Trace.Parent == "" {
		return func(error) {}
	}
	ctx := s.trc.Remote(context.Background(), d.Trace)
	if !tracing.HasRemote(ctx) {
		return func(error) {}
	}
	_, sp := s.trc.Start(ctx, "sse deliver", trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(attribute.Int64("stancewatch.seq", int64(d.Seq)), attribute.String("stancewatch.subject", d.Subject)))
	return func(err error) {
		if err != nil {
			sp.SetStatus(codes.Error, err.Error())
		}
		sp.End()
	}
}

package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/tracing"
	"github.com/stancewatch/stancewatch/producers"
	"github.com/stancewatch/stancewatch/projections"
)

var errUnsupportedMedia = errors.New("unsupported media type")

// body reads a JSON request body of at most MaxBodyBytes.
func (s *Server) body(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !(mt == "application/json" || strings.HasPrefix(mt, "application/cloudevents") || strings.HasSuffix(mt, "+json")) {
			return nil, errorf(errUnsupportedMedia, "Content-Type %q: send application/json, application/cloudevents+json or %s (or, in binary mode, JSON data with ce-* headers)", ct, BatchContentType)
		}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, badRequest("reading the body: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, badRequest("empty body: send a CloudEvent (or an array of them) as JSON")
	}
	return b, nil
}

// itemResult is the outcome of one event of a posted array.
type itemResult struct {
	Index     int        `json:"index"`
	ID        *uuid.UUID `json:"id,omitempty"`
	Seq       uint64     `json:"seq,omitempty"`
	Duplicate bool       `json:"duplicate,omitempty"`
	Status    int        `json:"status"`
	Problem   *Problem   `json:"problem,omitempty"` // why the event was refused
}

// BatchContentType is the media type of a CloudEvents batch: a JSON array
// of structured-mode events, stored as one atomic batch or refused whole.
const BatchContentType = "application/cloudevents-batch+json"

// postEvents appends CloudEvents, in each of the HTTP binding's content
// modes: one event in structured mode (201, or 200 when it was already
// stored); one in binary mode (the attributes in ce-* headers, the data
// as the body); a batch (application/cloudevents-batch+json), stored as
// one atomic batch or refused whole; or, stancewatch's own, a JSON array,
// of which every valid event is stored, together as one atomic batch,
// and every invalid one reported with its index (207): one bad event
// never keeps the others out.
func (s *Server) postEvents(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	b, err := s.body(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var opts []eventlog.AppendOption
	if v := r.URL.Query().Get("expected_seq"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			s.writeError(w, r, badRequest("expected_seq: %q is not a sequence number", v))
			return
		}
		opts = append(opts, eventlog.ExpectLastSeq(n))
	}
	decode := func(raw []byte) (events.Event, error) {
		ev, err := events.Decode(raw, events.Strict(), events.Draft(s.cfg.Now(), s.sourceFor(r)))
		if err == nil {
			err = s.mayWrite(r, ev)
		}
		if err == nil {
			err = s.idFree(r.Context(), ev)
		}
		return ev, err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case r.Header.Get("Ce-Specversion") != "" || r.Header.Get("Ce-Type") != "":
		if b, err = structuredOf(r.Header, b); err != nil {
			s.writeError(w, r, err)
			return
		}
	case mt == BatchContentType:
		if len(opts) > 0 {
			s.writeError(w, r, badRequest("expected_seq applies to a single event, not to a batch"))
			return
		}
		s.appendBatch(w, r, start, b, decode)
		return
	}
	if bytes.TrimSpace(b)[0] != '[' {
		ev, err := decode(b)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.appendOne(w, r, start, ev, opts...)
		return
	}
	if len(opts) > 0 {
		s.writeError(w, r, badRequest("expected_seq applies to a single event, not to an array"))
		return
	}
	raws, err := rawEvents(b)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	results := make([]itemResult, len(raws))
	var valid []events.Event
	var validIdx []int
	seen := map[uuid.UUID]int{}
	for i, raw := range raws {
		results[i].Index = i
		ev, err := decode(raw)
		if err == nil {
			if j, dup := seen[ev.ID]; dup {
				err = badRequest("id %s repeats the event at index %d", ev.ID, j)
			}
		}
		if errors.Is(err, errForbidden) {
			// A claim beyond the credentials refuses the whole request:
			// nothing of it is stored.
			s.writeError(w, r, fmt.Errorf("event %d: %w", i, err))
			return
		}
		if err != nil {
			p := problemOf(err)
			results[i].Status, results[i].Problem = p.Status, &p
			continue
		}
		seen[ev.ID] = i
		valid = append(valid, ev)
		validIdx = append(validIdx, i)
	}
	stored, dups := 0, 0
	if len(valid) > 0 {
		tr, end := s.traceWrite(r, start, valid)
		acks, err := s.store.AppendBatch(tr.Context(), valid)
		end(acks, err)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		for k, a := range acks {
			i := validIdx[k]
			id := a.ID
			results[i].ID, results[i].Seq, results[i].Duplicate, results[i].Status = &id, a.Seq, a.Duplicate, http.StatusCreated
			if a.Duplicate {
				results[i].Status = http.StatusOK
				dups++
			} else {
				stored++
			}
		}
	}
	status := http.StatusCreated
	switch rejected := len(raws) - len(valid); {
	case rejected == len(raws):
		status = http.StatusBadRequest
	case rejected > 0:
		status = http.StatusMultiStatus
	}
	writeJSON(w, status, map[string]any{"stored": stored, "duplicates": dups, "rejected": len(raws) - len(valid), "results": results})
}

// rawEvents reads a JSON array of events, of at most MaxBatch.
func rawEvents(b []byte) ([]json.RawMessage, error) {
	var raws []json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&raws); err != nil {
		return nil, errorf(events.ErrMalformed, "the body is not a JSON array of CloudEvents: %v", err)
	}
	if dec.More() {
		return nil, errorf(events.ErrMalformed, "trailing data after the JSON array")
	}
	if len(raws) > eventlog.MaxBatch {
		return nil, badRequest("%d events in one request: at most %d", len(raws), eventlog.MaxBatch)
	}
	return raws, nil
}

// appendBatch stores a CloudEvents batch as one atomic batch, or refuses
// it whole: every wrong field of every event is reported at once, each
// named by its index ("[2].data.actor"), and nothing is stored.
func (s *Server) appendBatch(w http.ResponseWriter, r *http.Request, start time.Time, b []byte, decode func([]byte) (events.Event, error)) {
	raws, err := rawEvents(b)
	if err == nil && len(raws) == 0 {
		err = badRequest("an empty batch: send at least one CloudEvent")
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	evs := make([]events.Event, 0, len(raws))
	var fields []events.FieldError
	var other []string
	seen := map[uuid.UUID]int{}
	for i, raw := range raws {
		ev, err := decode(raw)
		if err == nil {
			if j, dup := seen[ev.ID]; dup {
				err = &events.ValidationError{Fields: []events.FieldError{{Field: "id", Message: fmt.Sprintf("%s repeats the event at index %d", ev.ID, j)}}}
			}
		}
		var ve *events.ValidationError
		switch {
		case err == nil:
			seen[ev.ID] = i
			evs = append(evs, ev)
		case errors.As(err, &ve):
			for _, f := range ve.Fields {
				fields = append(fields, events.FieldError{Field: fmt.Sprintf("[%d].%s", i, f.Field), Message: f.Message})
			}
		case statusOf(err) == http.StatusBadRequest:
			other = append(other, fmt.Sprintf("[%d]: %v", i, err))
		default:
			// A claim beyond the credentials, an id stored under other
			// content: the whole batch is refused as that event is.
			s.writeError(w, r, fmt.Errorf("event %d of the batch (nothing of it was stored): %w", i, err))
			return
		}
	}
	if len(fields) > 0 || len(other) > 0 {
		detail := fmt.Sprintf("%d of %d events of the batch are wrong; nothing was stored", len(raws)-len(evs), len(raws))
		if len(other) > 0 {
			detail += ": " + strings.Join(other, "; ")
		}
		s.writeError(w, r, &batchError{msg: detail, fields: fields})
		return
	}
	tr, end := s.traceWrite(r, start, evs)
	acks, err := s.store.AppendBatch(tr.Context(), evs, eventlog.AllOrNothing())
	end(acks, err)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	results := make([]itemResult, len(acks))
	stored, dups := 0, 0
	for i, a := range acks {
		id := a.ID
		results[i] = itemResult{Index: i, ID: &id, Seq: a.Seq, Duplicate: a.Duplicate, Status: http.StatusCreated}
		if a.Duplicate {
			results[i].Status = http.StatusOK
			dups++
		} else {
			stored++
		}
	}
	status := http.StatusCreated
	if stored == 0 {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"stored": stored, "duplicates": dups, "rejected": 0, "results": results})
}

// batchError refuses a whole batch: a validation error (400) whose
// fields name each event by its index.
type batchError struct {
	msg    string
	fields []events.FieldError
}

func (e *batchError) Error() string { return e.msg }

func (e *batchError) Unwrap() error { return &events.ValidationError{Fields: e.fields} }

// structuredOf turns a binary-mode CloudEvent (the attributes in ce-*
// headers, percent-encoded; the data as the body, of the request's
// Content-Type) into the structured-mode JSON the decoder reads.
func structuredOf(h http.Header, body []byte) ([]byte, error) {
	attrs := map[string]json.RawMessage{}
	var ps params
	for name, vals := range h {
		attr, ok := strings.CutPrefix(strings.ToLower(name), "ce-")
		if !ok {
			continue
		}
		if len(vals) > 1 {
			ps.bad(attr, "the header %s is sent %d times: once", name, len(vals))
			continue
		}
		v, err := url.PathUnescape(vals[0])
		if err != nil {
			ps.bad(attr, "the header %s is not percent-encoded text: %v", name, err)
			continue
		}
		switch attr {
		case "data", "datacontenttype", "data_base64":
			ps.bad(attr, "is not a header in binary mode: the body is the data, and Content-Type its type")
			continue
		case "schemaversion":
			n, err := strconv.Atoi(v)
			if err != nil {
				ps.bad(attr, "%q is not an integer", v)
				continue
			}
			attrs[attr], _ = json.Marshal(n)
			continue
		}
		attrs[attr], _ = json.Marshal(v)
	}
	if ct := h.Get("Content-Type"); ct != "" {
		attrs["datacontenttype"], _ = json.Marshal(ct)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	if !json.Valid(body) {
		return nil, errorf(events.ErrMalformed, "binary mode: the body is the event's data, and is not JSON")
	}
	attrs["data"] = body
	return json.Marshal(attrs)
}

// eventView is a stored event with where the stream keeps it.
type eventView struct {
	Seq      uint64          `json:"seq"`
	Recorded time.Time       `json:"recorded"`
	Subject  string          `json:"subject"`
	Event    json.RawMessage `json:"event"`
}

func (s *Server) event(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, notFound("event %q: not a UUID", r.PathValue("id")))
		return
	}
	st, err := s.store.Get(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	raw := json.RawMessage(st.Data)
	if !json.Valid(raw) {
		raw, _ = json.Marshal(string(st.Data)) // a poison message, shown as a string
	}
	writeJSON(w, http.StatusOK, eventView{Seq: st.Seq, Recorded: st.Time, Subject: st.Subject, Event: raw})
}

// retractRequest is the body of POST /v1/events/{id}/retract.
type retractRequest struct {
	Reason string `json:"reason"`
	// ID, if given, must be the retraction's own (events.RetractionID of
	// the target): a retraction's id derives from its target.
	ID string `json:"id,omitempty"`
}

// retract appends a retraction of an event. The event stays in the stream
// and in histories, marked retracted; derived views drop it.
func (s *Server) retract(w http.ResponseWriter, r *http.Request) {
	target, b, ok := s.targetAndBody(w, r)
	if !ok {
		return
	}
	var req retractRequest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || dec.More() {
		s.writeError(w, r, errorf(events.ErrMalformed, "the body is not {\"reason\": \"...\"}: %v", err))
		return
	}
	var id uuid.UUID
	if req.ID != "" {
		var err error
		if id, err = uuid.Parse(req.ID); err != nil {
			s.writeError(w, r, &events.ValidationError{Fields: []events.FieldError{{Field: "id", Message: "is not a UUID"}}})
			return
		}
	}
	ev, err := producers.Retraction(target, req.Reason, s.sourceFor(r), id, s.cfg.Now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tr, end := s.traceWrite(r, time.Now(), []events.Event{ev})
	ack, err := s.store.Append(tr.Context(), ev)
	end([]eventlog.Ack{ack}, err)
	var reused *eventlog.IDConflictError
	if errors.As(err, &reused) {
		// The retraction's id is derived from its target: the target is
		// retracted already, for another reason.
		s.writeError(w, r, errorf(eventlog.ErrConflict, "event %s is already retracted (retraction %s, at sequence %d); a retraction stands: to restore the event, publish it again as a correction", target.ID, ev.ID, reused.Seq))
		return
	}
	s.answerAck(w, r, ack, err)
}

// correct appends a position that supersedes an earlier one: the body is a
// JSON object of the position fields that change ({"stance": "vote_no",
// "evidence": {"quote": "...", "source": "..."}}). The history keeps both;
// derived views use the correction.
func (s *Server) correct(w http.ResponseWriter, r *http.Request) {
	target, b, ok := s.targetAndBody(w, r)
	if !ok {
		return
	}
	ev, err := producers.Correction(target, b, s.sourceFor(r), s.cfg.Now())
	if err == nil {
		err = s.mayWrite(r, ev)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.appendOne(w, r, time.Now(), ev)
}

// targetAndBody reads the event a retraction or correction is about, and
// the request's body. It has answered the request when ok is false.
func (s *Server) targetAndBody(w http.ResponseWriter, r *http.Request) (target events.Event, body []byte, ok bool) {
	if target, ok = s.target(w, r); !ok {
		return target, nil, false
	}
	body, err := s.body(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return target, nil, false
	}
	return target, body, true
}

// target reads the event a retraction or correction is about.
func (s *Server) target(w http.ResponseWriter, r *http.Request) (events.Event, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, notFound("event %q: not a UUID", r.PathValue("id")))
		return events.Event{}, false
	}
	st, err := s.store.Get(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return events.Event{}, false
	}
	ev, err := st.Decode()
	if err != nil {
		s.writeError(w, r, badRequest("event %s cannot be read (see /v1/deadletters): %v", id, err))
		return events.Event{}, false
	}
	return ev, true
}

// appendOne appends an event built by the server and answers with its ack.
func (s *Server) appendOne(w http.ResponseWriter, r *http.Request, start time.Time, ev events.Event, opts ...eventlog.AppendOption) {
	tr, end := s.traceWrite(r, start, []events.Event{ev})
	ack, err := s.store.Append(tr.Context(), ev, opts...)
	end([]eventlog.Ack{ack}, err)
	s.answerAck(w, r, ack, err)
}

// traceWrite starts the span of a write that reaches the store, named
// after its route ("POST /v1/events"), from when the request arrived
// (start): a child of the request's traceparent and tracestate headers,
// or, without them, of the first event's traceparent extension
// (CloudEvents distributed tracing), or else the root of a new trace. When the write came in a trace, it
// returns the request in the span's context, which the store writes to
// the messages' headers (so that the projector's apply and the event
// streams continue the trace); else the request as it was. And what
// ends the span with the store's answer. With tracing off it does
// nothing.
func (s *Server) traceWrite(r *http.Request, start time.Time, evs []events.Event) (*http.Request, func([]eventlog.Ack, error)) {
	if !s.trc.On() {
		return r, func([]eventlog.Ack, error) {}
	}
	ctx := s.trc.Propagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	for i := 0; i < len(evs) && !tracing.HasRemote(ctx); i++ {
		parent, _ := evs[i].Extensions[eventlog.TraceParentHeader].(string)
		state, _ := evs[i].Extensions[eventlog.TraceStateHeader].(string)
		ctx = s.trc.Remote(r.Context(), eventlog.TraceContext{Parent: parent, State: state})
	}
	// Only a write that came in a trace carries it on: the store keeps
	// the headers with every message for good, and a write nobody traces
	// gets its HTTP span only.
	continued := tracing.HasRemote(ctx)
	name := r.Pattern
	if name == "" {
		name = r.Method + " " + r.URL.Path
	}
	ctx, sp := s.trc.Start(ctx, name, trace.WithTimestamp(start), trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", r.URL.Path),
			attribute.Int("stancewatch.events", len(evs))))
	if continued {
		r = r.WithContext(ctx)
	}
	return r, func(acks []eventlog.Ack, err error) {
		if err != nil {
			sp.RecordError(err)
			sp.SetStatus(codes.Error, err.Error())
		}
		if len(acks) == 1 && err == nil {
			sp.SetAttributes(attribute.Int64("stancewatch.seq", int64(acks[0].Seq)), attribute.Bool("stancewatch.duplicate", acks[0].Duplicate))
		}
		sp.End()
	}
}

// answerAck answers an append: 201 for a new event, 200 for a duplicate.
func (s *Server) answerAck(w http.ResponseWriter, r *http.Request, ack eventlog.Ack, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if ack.Duplicate {
		status = http.StatusOK
	}
	w.Header().Set("Location", "/v1/events/"+ack.ID.String())
	writeJSON(w, status, ack)
}

// idFree refuses an event whose id the projection already holds under
// other content (another actor or topic, another stance): an id names one
// event. The store checks the id on the event's own actor as it appends;
// this lookup, in memory, covers a client's id reused on another actor.
// An id not folded yet is left to the store and, past it, to the
// projection, which refuses the later copy.
func (s *Server) idFree(ctx context.Context, ev events.Event) error {
	var known bool
	s.proj.Read(func(st *projections.State) { _, known = st.Lookup(ev.ID) })
	if !known {
		return nil
	}
	stored, err := s.store.Get(ctx, ev.ID)
	if err != nil {
		return nil // the store decides
	}
	held, err := stored.Decode()
	if err != nil {
		return nil
	}
	if diffs := events.Differences(held, ev); len(diffs) > 0 {
		return &eventlog.IDConflictError{ID: ev.ID, Seq: stored.Seq, Subject: stored.Subject, Differs: diffs}
	}
	return nil
}

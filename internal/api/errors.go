package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/projector"
	"github.com/stancewatch/stancewatch/producers"
)

// Errors of the API itself. Everything else comes from events, eventlog and projector.
var (
	errBadRequest       = errors.New("bad request")
	errNotFound         = errors.New("not found")
	errMethodNotAllowed = errors.New("method not allowed")
	errNotReady         = errors.New("not ready")
	errBusy             = errors.New("too many clients")
	errSeqAhead         = errors.New("min_seq ahead of the stream")
	errDiffers          = errors.New("the projection differs from a clean replay")
)

// ProblemContentType is the media type of every error answer (RFC 9457).
const ProblemContentType = "application/problem+json"

// ProblemTypePrefix begins the type URI of every problem the API
// answers: urn:stancewatch:problem:invalid, …:not-found, and so on.
const ProblemTypePrefix = "urn:stancewatch:problem:"

// Problem is an error answer: an RFC 9457 Problem Details object. Fields,
// an extension member, lists every field or parameter that is wrong;
// Extensions holds the other extension members of some kinds (the
// projection's sequence of a min_seq that cannot be reached, a readiness
// check's lag).
type Problem struct {
	Type       string              `json:"type"`
	Title      string              `json:"title"`
	Status     int                 `json:"status"`
	Detail     string              `json:"detail,omitempty"`
	Instance   string              `json:"instance,omitempty"`
	Fields     []events.FieldError `json:"fields,omitempty"`
	Extensions map[string]any      `json:"-"`
}

// MarshalJSON writes the members of RFC 9457, then fields, then the
// extensions in name order.
func (p Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	b, err := json.Marshal(plain(p))
	if err != nil || len(p.Extensions) == 0 {
		return b, err
	}
	b = b[:len(b)-1]
	for _, k := range slices.Sorted(maps.Keys(p.Extensions)) {
		if k == "type" || k == "title" || k == "status" || k == "detail" || k == "instance" || k == "fields" {
			continue
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(p.Extensions[k])
		if err != nil {
			return nil, err
		}
		b = append(append(append(append(b, ','), kb...), ':'), vb...)
	}
	return append(b, '}'), nil
}

// problemKind is what an error is, as the API answers it.
type problemKind struct {
	status int
	name   string // the last part of the type URI
	title  string
}

// kindOf maps an error to its status, type and title: the one place that
// does.
func kindOf(err error) problemKind {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe), errors.Is(err, events.ErrTooLarge):
		return problemKind{http.StatusRequestEntityTooLarge, "too-large", "The request or an event in it is too large"}
	case errors.Is(err, errUnsupportedMedia):
		return problemKind{http.StatusUnsupportedMediaType, "unsupported-media-type", "The request's content type is not one the API reads"}
	case errors.Is(err, errUnauthenticated):
		return problemKind{http.StatusUnauthorized, "unauthenticated", "A valid bearer token is needed"}
	case errors.Is(err, errForbidden):
		return problemKind{http.StatusForbidden, "forbidden", "The credentials do not allow this"}
	case errors.Is(err, errRateLimited):
		return problemKind{http.StatusTooManyRequests, "rate-limited", "Too many requests"}
	case errors.Is(err, events.ErrMalformed):
		return problemKind{http.StatusBadRequest, "malformed", "The body cannot be read"}
	case errors.Is(err, events.ErrInvalid):
		return problemKind{http.StatusBadRequest, "invalid", "Fields or parameters are wrong"}
	case errors.Is(err, errBadRequest), errors.Is(err, eventlog.ErrBatchTooLarge), errors.Is(err, producers.ErrNotCorrectable),
		errors.Is(err, producers.ErrRetractionID), errors.Is(err, eventlog.ErrBadOption):
		return problemKind{http.StatusBadRequest, "bad-request", "The request cannot be carried out as asked"}
	case errors.Is(err, errSeqAhead):
		return problemKind{http.StatusConflict, "min-seq-ahead", "The stream is far from min_seq"}
	case errors.Is(err, projector.ErrRebuilding):
		return problemKind{http.StatusConflict, "rebuilding", "A rebuild is running"}
	case errors.Is(err, eventlog.ErrConflict):
		return problemKind{http.StatusConflict, "conflict", "The request conflicts with what is stored"}
	case errors.Is(err, errNotFound), errors.Is(err, eventlog.ErrNotFound):
		return problemKind{http.StatusNotFound, "not-found", "Not found"}
	case errors.Is(err, errMethodNotAllowed):
		return problemKind{http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed"}
	case errors.Is(err, eventlog.ErrStoreFull):
		return problemKind{http.StatusInsufficientStorage, "store-full", "The event store is full"}
	case errors.Is(err, errNotReady), errors.Is(err, context.DeadlineExceeded):
		return problemKind{http.StatusServiceUnavailable, "not-ready", "Not ready: try again shortly"}
	case errors.Is(err, eventlog.ErrUnavailable), errors.Is(err, projector.ErrNotRunning), errors.Is(err, errBusy):
		return problemKind{http.StatusServiceUnavailable, "unavailable", "Unavailable: try again shortly"}
	case errors.Is(err, errDiffers):
		return problemKind{http.StatusInternalServerError, "projection-differs", "The projection differs from a clean replay of the stream"}
	}
	return problemKind{http.StatusInternalServerError, "internal", "Internal error"}
}

// statusOf maps an error to its HTTP status.
func statusOf(err error) int { return kindOf(err).status }

// writeError answers with err as a Problem.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err)
	p.Instance = r.URL.RequestURI()
	if p.Status >= 500 && p.Status != http.StatusServiceUnavailable && p.Status != http.StatusInsufficientStorage && !errors.Is(err, errDiffers) {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		p.Detail = "internal error: the server's log has the details" // not in the answer
	}
	if p.Status == http.StatusServiceUnavailable || p.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
	}
	writeProblem(w, p)
}

// problemOf is the Problem an error answers with, without its instance.
func problemOf(err error) Problem {
	k := kindOf(err)
	p := Problem{Type: ProblemTypePrefix + k.name, Title: k.title, Status: k.status, Detail: err.Error()}
	var ve *events.ValidationError
	if errors.As(err, &ve) {
		p.Fields = ve.Fields
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		p.Detail = fmt.Sprintf("request body larger than %d bytes", mbe.Limit)
	}
	var xe *extendedError
	if errors.As(err, &xe) {
		p.Extensions = xe.ext
	}
	return p
}

func writeProblem(w http.ResponseWriter, p Problem) {
	b, err := json.Marshal(p)
	if err != nil {
		p = Problem{Type: ProblemTypePrefix + "internal", Title: "Internal error", Status: http.StatusInternalServerError, Instance: p.Instance}
		b, _ = json.Marshal(p)
	}
	w.Header().Set("Content-Type", ProblemContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(b, '\n'))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		p := Problem{Type: ProblemTypePrefix + "internal", Title: "Internal error", Status: http.StatusInternalServerError}
		writeProblem(w, p)
		return
	}
	writeBody(w, status, append(b, '\n'))
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorf is an error of a kind (one of the sentinels above) whose message
// is only the formatted text.
func errorf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// withExtensions adds extension members to the Problem err answers with.
func withExtensions(err error, ext map[string]any) error { return &extendedError{err: err, ext: ext} }

type extendedError struct {
	err error
	ext map[string]any
}

func (e *extendedError) Error() string { return e.err.Error() }
func (e *extendedError) Unwrap() error { return e.err }

func badRequest(format string, args ...any) error { return errorf(errBadRequest, format, args...) }

func notFound(format string, args ...any) error { return errorf(errNotFound, format, args...) }

// invalidParams is the error of a request whose query parameters (or
// other non-event input) are wrong: every one, as field errors.
func invalidParams(fields []events.FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return &events.ValidationError{Fields: fields}
}

// params collects the errors of a request's parameters, so that a request
// with several wrong ones hears about every one.
type params struct {
	fields []events.FieldError
}

func (p *params) bad(name, format string, args ...any) {
	p.fields = append(p.fields, events.FieldError{Field: name, Message: fmt.Sprintf(format, args...)})
}

func (p *params) addErr(name string, err error) {
	if err != nil {
		p.fields = append(p.fields, events.FieldError{Field: name, Message: err.Error()})
	}
}

func (p *params) err() error { return invalidParams(p.fields) }

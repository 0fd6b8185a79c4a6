package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/projector"
	"github.com/stancewatch/stancewatch/producers"
)

// Errors of the API itself. Everything else comes from events, eventlog and projector.
var (
	errBadRequest = errors.New("bad request")
	errNotFound   = errors.New("not found")
	errNotReady   = errors.New("not ready")
	errBusy       = errors.New("too many clients")
)

// problem is an error body.
type problem struct {
	Status int                 `json:"status"`
	Error  string              `json:"error"`
	Fields []events.FieldError `json:"fields,omitempty"`
}

// statusOf maps an error to its HTTP status: the one place that does.
func statusOf(err error) int {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe), errors.Is(err, events.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errUnsupportedMedia):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, errUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, errForbidden):
		return http.StatusForbidden
	case errors.Is(err, errRateLimited):
		return http.StatusTooManyRequests
	case errors.Is(err, events.ErrInvalid), errors.Is(err, events.ErrMalformed), errors.Is(err, errBadRequest),
		errors.Is(err, eventlog.ErrBatchTooLarge), errors.Is(err, producers.ErrNotCorrectable), errors.Is(err, producers.ErrRetractionID), errors.Is(err, eventlog.ErrBadOption):
		return http.StatusBadRequest
	case errors.Is(err, eventlog.ErrConflict), errors.Is(err, projector.ErrRebuilding):
		return http.StatusConflict
	case errors.Is(err, errNotFound), errors.Is(err, eventlog.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, eventlog.ErrStoreFull):
		return http.StatusInsufficientStorage
	case errors.Is(err, eventlog.ErrUnavailable), errors.Is(err, projector.ErrNotRunning), errors.Is(err, errNotReady), errors.Is(err, errBusy),
		errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError answers with err as JSON.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err)
	if p.Status >= 500 && p.Status != http.StatusServiceUnavailable && p.Status != http.StatusInsufficientStorage {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		p.Error = "internal error" // details are in the log, not in the answer
	}
	if p.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, p.Status, p)
}

func problemOf(err error) problem {
	p := problem{Status: statusOf(err), Error: err.Error()}
	var ve *events.ValidationError
	if errors.As(err, &ve) {
		p.Fields = ve.Fields
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		p.Error = fmt.Sprintf("request body larger than %d bytes", mbe.Limit)
	}
	return p
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"status":500,"error":"internal error"}`)
	}
	writeBody(w, status, append(b, '\n'))
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
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

func badRequest(format string, args ...any) error { return errorf(errBadRequest, format, args...) }

func notFound(format string, args ...any) error { return errorf(errNotFound, format, args...) }

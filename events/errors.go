package events

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error that Decode and Validate return wraps one
// of them, so callers can map them (an HTTP 400, a dead letter) with
// errors.Is.
var (
	// ErrMalformed means the bytes are not a JSON CloudEvent at all.
	ErrMalformed = errors.New("malformed event")
	// ErrInvalid means the event is well-formed JSON but a field is
	// missing or wrong; the *ValidationError says which.
	ErrInvalid = errors.New("invalid event")
	// ErrUnknownSchema means the event was written by a newer schema
	// version than this reader knows.
	ErrUnknownSchema = errors.New("unknown schema version")
	// ErrTooLarge means the encoded event is larger than MaxEventSize.
	ErrTooLarge = errors.New("event too large")
)

// FieldError says what is wrong with one field. Field is a dotted path in
// the CloudEvent ("data.actor", "data.evidence.confidence").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns "field: message".
func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// ValidationError lists every field that is wrong, in field order.
type ValidationError struct {
	Fields []FieldError
	kind   error // ErrInvalid or ErrUnknownSchema
}

// Error joins the field errors.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return strings.Join(parts, "; ")
}

// Is matches ErrInvalid, or ErrUnknownSchema for a version error.
func (e *ValidationError) Is(target error) bool {
	if target == ErrInvalid {
		return true
	}
	return e.kind != nil && target == e.kind
}

// fieldErrors collects field errors as validation walks an event.
type fieldErrors struct {
	list []FieldError
	kind error
	dec  *Decoder // checks addresses through its cache; nil for none
}

func (f *fieldErrors) add(field, format string, args ...any) {
	f.list = append(f.list, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (f *fieldErrors) addErr(field string, err error) {
	if err != nil {
		f.list = append(f.list, FieldError{Field: field, Message: err.Error()})
	}
}

func (f *fieldErrors) err() error {
	if len(f.list) == 0 {
		return nil
	}
	return &ValidationError{Fields: f.list, kind: f.kind}
}

package events

import (
	"strings"

	"github.com/google/uuid"
)

// Namespace is the UUIDv5 namespace of deterministic event ids.
var Namespace = uuid.MustParse("6f1c3f1e-53a1-4c1b-9d0e-7374616e6365")

// NewID returns a new time-ordered UUIDv7, for events that a person or a
// process creates once (an analyst's position, a retraction).
func NewID() uuid.UUID {
	return uuid.Must(uuid.NewV7())
}

// DeterministicID returns the UUIDv5 of what identifies an observation, so
// that reading the same document twice yields the same ids and the stream
// stores each observation once, ever. Parts are joined with a separator
// that cannot occur in them.
func DeterministicID(parts ...string) uuid.UUID {
	return uuid.NewSHA1(Namespace, []byte(strings.Join(parts, "\x1f")))
}

// ContentID is DeterministicID over an event's producer and its data as
// encoded: identical observations share an id; an observation whose
// content changed (a corrected vote) gets a new one.
func ContentID(source string, d Data) (uuid.UUID, error) {
	b, err := Event{ID: Namespace, Source: source, SchemaVersion: CurrentSchemaVersion, Data: d}.MarshalJSON()
	if err != nil {
		return uuid.Nil, err
	}
	// The envelope fields that vary (id, time) are fixed above, so the
	// bytes depend only on source and data.
	return DeterministicID(string(d.Type()), string(b)), nil
}

// RetractionID is the id of the retraction of target: an event is
// retracted once, ever. A second retraction with the same reason is the
// same event (a duplicate that stores nothing); one with another reason
// is refused by the store as a reuse of the id.
func RetractionID(target uuid.UUID) uuid.UUID {
	return DeterministicID("retraction", target.String())
}

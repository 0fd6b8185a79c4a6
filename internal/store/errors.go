package store

import "errors"

// Sentinel errors of the store. The HTTP layer maps them to status codes
// in one place.
var (
	// ErrConflict: an append stated the expected last sequence of its
	// actor and topic, and the stream has moved on since.
	ErrConflict = errors.New("conflict: the stream has changed since the expected sequence")
	// ErrNotFound: no event with that id or sequence.
	ErrNotFound = errors.New("event not found")
	// ErrStoreFull: the stream or the server refused the write for lack
	// of space. Nothing was stored.
	ErrStoreFull = errors.New("event store full: nothing was stored")
	// ErrUnavailable: the NATS server did not answer in time. The event
	// may or may not be stored; publishing it again is safe (its id
	// deduplicates).
	ErrUnavailable = errors.New("event store unavailable")
	// ErrBatchTooLarge: more events than one atomic batch may hold.
	ErrBatchTooLarge = errors.New("atomic batch too large")
	// ErrRewound: the stream no longer holds what a checkpoint says it
	// held (a store restored from an older copy).
	ErrRewound = errors.New("stream rewound: it does not match the checkpoint")
)

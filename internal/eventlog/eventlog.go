// Package eventlog is the vocabulary that the event store shares with
// the code that writes to it and reads from it: what an append returns
// (Ack), how an append is made conditional (AppendOption), what a lookup
// and a subscription hand out (Stored, Delivery, SubscribeOptions), and
// the sentinel errors. It holds no NATS and no I/O, so the HTTP layer and
// the ingest meet the store at small interfaces of their own without
// importing the JetStream plumbing, and a test can tell the arrows apart.
package eventlog

import (
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// MaxBatch is the most events one atomic batch may hold (the server's
// limit for an atomic publish).
const MaxBatch = 1000

// Ack says where an appended event is stored.
type Ack struct {
	ID  uuid.UUID `json:"id"`
	Seq uint64    `json:"seq"`
	// Duplicate: the event was already in the stream, at Seq; nothing was
	// added.
	Duplicate bool `json:"duplicate,omitempty"`
}

// AppendOption changes how an event is appended.
type AppendOption func(*AppendOptions)

// AppendOptions are the options of one append, as the store reads them.
type AppendOptions struct {
	// ExpectSeq, when set, makes the append conditional (ExpectLastSeq).
	ExpectSeq *uint64
	// AllOrNothing: see AllOrNothing.
	AllOrNothing bool
}

// ErrBadOption: an append option that does not apply to that kind of
// append (a programming error: nothing was stored).
var ErrBadOption = errors.New("append option does not apply")

// ErrBadSubscription: subscription options that contradict each other
// (SubscribeOptions.Validate).
var ErrBadSubscription = errors.New("subscription options contradict each other")

// ForSingle returns the options of a single append, or ErrBadOption for
// one that applies to batches only.
func ForSingle(opts ...AppendOption) (AppendOptions, error) {
	o, err := apply(opts)
	if err == nil && o.AllOrNothing {
		err = fmt.Errorf("%w: AllOrNothing is for batch appends; a single append is all or nothing already", ErrBadOption)
	}
	return o, err
}

// ForBatch returns the options of a batch append, or ErrBadOption for
// one that applies to single appends only.
func ForBatch(opts ...AppendOption) (AppendOptions, error) {
	o, err := apply(opts)
	if err == nil && o.ExpectSeq != nil {
		err = fmt.Errorf("%w: ExpectLastSeq is for single appends (a batch's events may be on several actors and topics)", ErrBadOption)
	}
	return o, err
}

func apply(opts []AppendOption) (AppendOptions, error) {
	var o AppendOptions
	for i, opt := range opts {
		if opt == nil {
			return o, fmt.Errorf("%w: option %d is nil", ErrBadOption, i+1)
		}
		opt(&o)
	}
	return o, nil
}

// AllOrNothing makes a batch append refuse a batch of which some events
// are stored already and some are not, with ErrConflict: what another
// writer decided first is not completed by this one. A batch stored
// entirely before is still acknowledged as duplicates.
func AllOrNothing() AppendOption {
	return func(o *AppendOptions) { o.AllOrNothing = true }
}

// ExpectLastSeq makes an append conditional: it succeeds only if the last
// event on the event's actor and topic (its KeyFilter) is at this
// sequence, 0 meaning none yet. Otherwise the append fails with
// ErrConflict and nothing is stored.
func ExpectLastSeq(seq uint64) AppendOption {
	return func(o *AppendOptions) { o.ExpectSeq = &seq }
}

// Stored is an event as the stream holds it.
type Stored struct {
	Seq     uint64
	Time    time.Time // when the stream recorded it
	Subject string
	Data    []byte // the CloudEvent as stored
	Sum     string // the checksum it was stored with (ChecksumHeader), if any
	Group   string // its group tag, for an event of the grouped bulk path ("<id> <index> <size>"), if any
}

// Decode decodes the stored event, after checking it against its
// checksum.
func (st Stored) Decode() (events.Event, error) {
	if err := Verify(st.Seq, st.Data, st.Sum); err != nil {
		return events.Event{}, err
	}
	return events.Decode(st.Data)
}

// ChecksumHeader carries the CRC-32C of an event's bytes, written with
// every append: readers check it, so that a byte flipped on disk (Jepsen
// found nats-server serving such messages, nats-server issue 7549) is
// reported, never read as a different event.
const ChecksumHeader = "Stancewatch-Crc32c"

// IDHeader carries an event's id, written with every append: the
// store's id index (its once-ever check) reads it from the stream's
// headers alone, and the subject no longer names the event.
const IDHeader = "Stancewatch-Id"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Checksum is the value of ChecksumHeader for data: eight hex digits.
func Checksum(data []byte) string {
	var b [8]byte
	return string(hex8(&b, crc32.Checksum(data, castagnoli)))
}

func hex8(b *[8]byte, v uint32) []byte {
	const digits = "0123456789abcdef"
	for i := 7; i >= 0; i-- {
		b[i] = digits[v&0xf]
		v >>= 4
	}
	return b[:]
}

// ErrDamaged: a stored event does not match the checksum it was stored
// with: it was damaged on disk.
var ErrDamaged = errors.New("damaged on disk")

// Verify checks the bytes of the event at seq against the checksum it was
// stored with (none: stored before checksums, nothing to check).
// It runs for every event a replay reads, so it allocates nothing.
func Verify(seq uint64, data []byte, sum string) error {
	if sum == "" {
		return nil
	}
	var b [8]byte
	if string(hex8(&b, crc32.Checksum(data, castagnoli))) != sum {
		return fmt.Errorf("%w: sequence %d does not match the checksum it was stored with (%s, now %s)", ErrDamaged, seq, sum, Checksum(data))
	}
	return nil
}

// Delivery is an event delivered to a subscriber.
type Delivery struct {
	Seq     uint64
	Subject string
	Time    time.Time // when the stream recorded it
	Data    []byte
	Pending uint64 // events matching the filters still to come after this one
	// Trace is the W3C trace context the event was appended under
	// (TraceParentHeader, TraceStateHeader), if any.
	Trace TraceContext
}

// TraceContext is the W3C trace context stored with a message, in the
// NATS headers TraceParentHeader and TraceStateHeader (never in the
// event's bytes): empty for a message appended outside a trace.
type TraceContext struct {
	Parent, State string
}

// The headers of a message carrying the trace it was appended in.
const (
	TraceParentHeader = "traceparent"
	TraceStateHeader  = "tracestate"
)

// SubscribeOptions say what a subscriber receives.
type SubscribeOptions struct {
	// Filters are subject filters (events.PositionFilter, ...); empty
	// means every event.
	Filters []string
	// After: deliver events after this sequence. Zero with New unset
	// delivers the whole stream.
	After uint64
	// New: deliver only events stored after the call (After is ignored).
	New bool
	// CatchUp: deliver what is stored now and return, instead of
	// following the stream.
	CatchUp bool
	// Shifts: read the stream of shift alerts instead of the events.
	Shifts bool
	// Alignment: read the stream of alignment alerts instead of the
	// events (not with Shifts).
	Alignment bool
}

// Validate reports options that contradict each other: one stream is
// read, the shift alerts' or the alignment alerts', not both.
func (o SubscribeOptions) Validate() error {
	if o.Shifts && o.Alignment {
		return fmt.Errorf("%w: shift alerts or alignment alerts, not both", ErrBadSubscription)
	}
	return nil
}

// Select sets Filters to what a reader asks for, in the stream o reads:
// the actors' subjects (every actor when none), on a topic (any when
// zero), and for alignment alerts against a reference (any when empty).
// Events without actors include motions.
func (o *SubscribeOptions) Select(actors []events.Country, topic events.Topic, reference string) {
	filter := events.PositionFilter
	switch {
	case o.Shifts:
		filter = events.ShiftFilter
	case o.Alignment:
		filter = func(a events.Country, t events.Topic) string { return events.AlignmentFilter(a, reference, t) }
	}
	o.Filters = nil
	if len(actors) == 0 {
		o.Filters = []string{filter(events.Country{}, topic)}
		if !o.Shifts && !o.Alignment {
			o.Filters = append(o.Filters, events.MotionFilter(topic))
		}
	}
	for _, a := range actors {
		o.Filters = append(o.Filters, filter(a, topic))
	}
}

// Sentinel errors of the event log. The HTTP layer maps them to status
// codes in one place.
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
	// ErrIDReused: an append reuses the id of a stored event that states
	// something else (another actor, topic, stance...). Nothing was
	// stored. It is an ErrConflict; the error is an *IDConflictError.
	ErrIDReused = errors.New("event id already used by another event")
)

// IDConflictError is ErrIDReused with the stored event and what differs.
type IDConflictError struct {
	ID      uuid.UUID
	Seq     uint64   // where the stream holds the event with this id
	Subject string   // its subject (actor and topic)
	Differs []string // how this event differs from it (events.Differences)
}

func (e *IDConflictError) Error() string {
	return fmt.Sprintf("id %s is already event %d on %s; this one differs: %s", e.ID, e.Seq, e.Subject, strings.Join(e.Differs, "; "))
}

// Is matches ErrIDReused and ErrConflict.
func (e *IDConflictError) Is(target error) bool {
	return target == ErrIDReused || target == ErrConflict
}

// ConflictError is ErrConflict with the sequences involved.
type ConflictError struct {
	Filter   string // the actor and topic's subject filter
	Expected uint64
	Actual   uint64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("conflict on %s: expected last sequence %d, the stream is at %d", e.Filter, e.Expected, e.Actual)
}

// Is matches ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

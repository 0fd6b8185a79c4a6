package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// ErrReaderStopped: a Reader was stopped, or its consumer ended; Next
// returns nothing more.
var ErrReaderStopped = errors.New("reader stopped")

// Message is one stored message as a Reader hands it out: its place in
// the stream, its bytes (not decoded: the reader's caller decides what
// an undecodable event means), and the atomic batch it was stored in.
type Message struct {
	Seq     uint64
	Time    time.Time // when the stream recorded it
	Subject string
	Data    []byte
	// Pending is how many messages followed this one in the stream when
	// it was delivered: 0 means the reader has caught up.
	Pending uint64
	Batch   BatchTag
	// Group places a message of the grouped bulk path in its group.
	Group GroupTag
	// Sum is the checksum the event was stored with (eventlog.ChecksumHeader);
	// empty for events stored before stancewatch wrote one.
	Sum string
	// Trace is the trace context the event was appended in, if any.
	Trace eventlog.TraceContext
}

// Verify checks the message against the checksum it was stored with.
func (m Message) Verify() error { return eventlog.Verify(m.Seq, m.Data, m.Sum) }

// The headers of an atomic batch (ADR-50), stored with each of its
// messages: the batch's id, the message's place in it from 1, and, on the
// last message only, the commit.
const (
	batchIDHeader     = "Nats-Batch-Id"
	batchSeqHeader    = "Nats-Batch-Sequence"
	batchCommitHeader = "Nats-Batch-Commit"
)

// BatchTag places a message in its atomic batch, so that a reader can
// apply a batch's messages together (no reader of a projection ever sees
// half a roll call). The zero BatchTag is a message stored alone.
type BatchTag struct {
	ID    string
	Index int  // from 1
	Last  bool // the batch's commit: nothing of it follows
}

// ParseBatchTag reads a message's batch from its headers; the zero tag
// for a message stored alone. (Stores written before this read it also
// tagged each message "Stancewatch-Batch: <id> <index> <size>", beside
// the same server headers; the tag is no longer written or needed.)
func ParseBatchTag(h nats.Header) BatchTag {
	id := h.Get(batchIDHeader)
	if id == "" {
		return BatchTag{}
	}
	index, err := strconv.Atoi(h.Get(batchSeqHeader))
	if err != nil || index < 1 {
		return BatchTag{}
	}
	return BatchTag{ID: id, Index: index, Last: h.Get(batchCommitHeader) != ""}
}

// GroupHeader tags each message of the grouped bulk path
// (AppendGrouped) with its group: "<group id> <index from 1> <size>".
const GroupHeader = "Stancewatch-Group"

// GroupTag places a message in its group; the zero GroupTag is a message
// of no group.
type GroupTag struct {
	ID          string
	Index, Size int
}

// ParseGroupTag reads a message's group from its headers; the zero tag
// when it has none or the tag is malformed.
func ParseGroupTag(h nats.Header) GroupTag { return ParseGroupValue(h.Get(GroupHeader)) }

// ParseGroupValue reads a GroupHeader's value.
func ParseGroupValue(v string) GroupTag {
	f := strings.Fields(v)
	if len(f) != 3 {
		return GroupTag{}
	}
	i, err1 := strconv.Atoi(f[1])
	n, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || i < 1 || n < 1 || i > n {
		return GroupTag{}
	}
	return GroupTag{ID: f[0], Index: i, Size: n}
}

func (g GroupTag) header() string {
	return g.ID + " " + strconv.Itoa(g.Index) + " " + strconv.Itoa(g.Size)
}

// Reader hands out the event stream's messages in order, with no gap and
// no duplicate, from a starting sequence on, following the stream as it
// grows. It survives reconnects and a cluster's leader changes: the
// ordered consumer underneath recreates itself after the last message
// handed out.
type Reader struct {
	it jetstream.MessagesContext
}

// Read returns a Reader of the event stream from sequence from (1: the
// whole stream). Stop it when done.
func (s *Store) Read(ctx context.Context, from uint64) (*Reader, error) {
	it, err := s.orderedFrom(ctx, from, false)
	if err != nil {
		return nil, fmt.Errorf("reader: %w", err)
	}
	return &Reader{it: it}, nil
}

// orderedFrom reads the event stream in order from sequence from (1 when
// 0), following it as it grows; with headersOnly, without the events'
// bytes. It reads unfiltered: the stream holds nothing else, and a filter
// that matches every subject costs the server a walk of them for each
// message it delivers (see filtering).
func (s *Store) orderedFrom(ctx context.Context, from uint64, headersOnly bool) (jetstream.MessagesContext, error) {
	cons, err := s.js.OrderedConsumer(ctx, s.cfg.Stream, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   max(from, 1),
		HeadersOnly:   headersOnly,
	})
	if err != nil {
		return nil, s.wrap(err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(1024))
	if err != nil {
		return nil, s.wrap(err)
	}
	return it, nil
}

// Next blocks until the next message, and fails with ErrReaderStopped
// once the reader is stopped. Other errors are passing (a missed
// heartbeat, a reconnect): the reader goes on after them.
//
// Next has no deadline on purpose: a deadline shorter than the
// consumer's heartbeat interval would hide missing heartbeats from the
// ordered consumer, which then never notices that its server (a
// cluster's stream leader) died and never recreates itself elsewhere.
// Call it from a goroutine of its own and Stop the reader to end it.
func (r *Reader) Next() (Message, error) {
	msg, err := r.it.Next()
	if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
		return Message{}, fmt.Errorf("%w: %v", ErrReaderStopped, err)
	}
	if err != nil {
		return Message{}, err
	}
	md, err := msg.Metadata()
	if err != nil {
		return Message{}, err
	}
	m := Message{Seq: md.Sequence.Stream, Time: md.Timestamp.UTC(), Subject: msg.Subject(), Data: msg.Data(), Pending: md.NumPending}
	if h := msg.Headers(); h != nil {
		m.Batch = ParseBatchTag(h)
		m.Group = ParseGroupTag(h)
		m.Sum = h.Get(eventlog.ChecksumHeader)
		m.Trace = traceOf(h)
	}
	return m, nil
}

// Stop ends the reader: a blocked Next returns ErrReaderStopped.
func (r *Reader) Stop() { r.it.Stop() }

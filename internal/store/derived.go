package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// derivedStream names the stream of derived events (shift and alignment
// alerts) ev goes to; ok is false for an event of the event stream.
//
// Derived events keep a subject per event (shifts.<actor>.<topic>.<id>)
// and the server's once-ever check on it (an expected last subject
// sequence of 0): every replica of the projector derives the same alert
// with the same id, and the stream must keep one, whichever replica is
// first and however long after. They are few (a shift, an alignment
// move), so the server's index of them stays small, and no id index of
// the store's is needed for them.
func (s *Store) derivedStream(ev events.Event) (name string, ok bool) {
	switch ev.Data.(type) {
	case events.ShiftAlert:
		return s.ShiftsStream(), true
	case events.AlignmentAlert:
		return s.AlignmentStream(), true
	}
	return "", false
}

// appendDerived stores derived events, all of one stream, once ever
// each, as one atomic batch: those stored already (by another replica, or
// an earlier attempt) come back as duplicates and the rest is sent again.
func (s *Store) appendDerived(ctx context.Context, name string, evs []events.Event) ([]eventlog.Ack, error) {
	st, err := s.js.Stream(ctx, name)
	if err != nil {
		return nil, s.wrap(err)
	}
	acks := make([]eventlog.Ack, len(evs))
	msgs := make([]*nats.Msg, len(evs))
	pending := make([]int, len(evs))
	for i, ev := range evs {
		if other, ok := s.derivedStream(ev); !ok || other != name {
			return nil, fmt.Errorf("batch event %d (%s): a %s cannot go in one batch with events of %s", i, ev.ID, ev.Data.Type(), name)
		}
		data, err := ev.Encode()
		if err != nil {
			return nil, fmt.Errorf("batch event %d (%s): %w", i, ev.ID, err)
		}
		msgs[i] = &nats.Msg{Subject: ev.Subject(), Data: data, Header: nats.Header{
			jetstream.ExpectedLastSubjSeqHeader: {"0"}, eventlog.IDHeader: {ev.ID.String()}, eventlog.ChecksumHeader: {eventlog.Checksum(data)}}}
		pending[i] = i
		acks[i].ID = ev.ID
	}
	var last error
	for attempt := range 8 {
		if len(pending) == 0 {
			return acks, nil
		}
		if err := retryWait(ctx, attempt, 25*time.Millisecond, last); err != nil {
			return nil, err
		}
		batch := make([]*nats.Msg, len(pending))
		for j, i := range pending {
			batch[j] = msgs[i]
		}
		var first uint64
		if len(batch) == 1 {
			var pa *jetstream.PubAck
			if pa, err = s.js.PublishMsg(ctx, alone(batch[0])); err == nil {
				first = pa.Sequence
			}
		} else {
			var ack batchAck
			if ack, err = s.publishAtomic(ctx, batch); err == nil {
				first = ack.Seq - uint64(ack.Count) + 1
			}
		}
		if err == nil {
			for j, i := range pending {
				acks[i].Seq = first + uint64(j)
			}
			return acks, nil
		}
		last = err
		code, desc := apiCode(err)
		switch {
		case code == codeWrongLastSeq, code == codeWrongLastSeqInUse, code == codeBatchIncomplete, errors.Is(s.wrap(err), eventlog.ErrUnavailable):
			var rest []int
			for _, i := range pending {
				m, err := st.GetLastMsgForSubject(ctx, msgs[i].Subject)
				switch {
				case errors.Is(err, jetstream.ErrMsgNotFound):
					rest = append(rest, i)
				case err != nil:
					return nil, s.wrap(err)
				default:
					if acks[i], err = storedCopy(evs[i], m); err != nil {
						return nil, fmt.Errorf("batch event %d: %w", i, err)
					}
				}
			}
			pending = rest
		case code == codeBatchTooManyFlight:
		case isFull(code, desc):
			return nil, fmt.Errorf("%w (%s)", eventlog.ErrStoreFull, desc)
		default:
			return nil, s.wrap(err)
		}
	}
	return nil, fmt.Errorf("%w: derived events not stored after retries: %v", eventlog.ErrUnavailable, last)
}

// storedCopy answers an append of ev whose id the stream holds in m: a
// duplicate when m states the same thing, an *eventlog.IDConflictError
// saying what differs when it does not.
func storedCopy(ev events.Event, m *jetstream.RawStreamMsg) (eventlog.Ack, error) {
	stored, err := events.Decode(m.Data)
	var diffs []string
	switch {
	case err != nil:
		diffs = []string{"the stored copy is unreadable: " + err.Error()}
	case stored.ID != ev.ID:
		return eventlog.Ack{}, fmt.Errorf("event %s: sequence %d holds %s", ev.ID, m.Sequence, stored.ID)
	default:
		diffs = events.Differences(stored, ev)
	}
	if len(diffs) > 0 {
		return eventlog.Ack{}, &eventlog.IDConflictError{ID: ev.ID, Seq: m.Sequence, Subject: m.Subject, Differs: diffs}
	}
	return eventlog.Ack{ID: ev.ID, Seq: m.Sequence, Duplicate: true}, nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
)

// Stored is an event as the stream holds it.
type Stored struct {
	Seq     uint64
	Time    time.Time // when the stream recorded it
	Subject string
	Data    []byte // the CloudEvent as stored
}

// Decode decodes the stored event.
func (st Stored) Decode() (events.Event, error) { return events.Decode(st.Data) }

func stored(m *jetstream.RawStreamMsg) Stored {
	return Stored{Seq: m.Sequence, Time: m.Time.UTC(), Subject: m.Subject, Data: m.Data}
}

// Get returns the event with the given id, wherever it is in the stream.
// The id is the last token of every subject, so this is one direct read
// per subject family, whatever the size of the stream.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (Stored, error) {
	for _, subj := range events.IDSubjects(id) {
		m, err := s.lookup(ctx, subj)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return Stored{}, err
		}
		return stored(m), nil
	}
	return Stored{}, fmt.Errorf("%w: no event with id %s", ErrNotFound, id)
}

// GetSeq returns the event at a stream sequence.
func (s *Store) GetSeq(ctx context.Context, seq uint64) (Stored, error) {
	m, err := s.stream.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return Stored{}, fmt.Errorf("%w: no event at sequence %d", ErrNotFound, seq)
	}
	if err != nil {
		return Stored{}, s.wrap(err)
	}
	return stored(m), nil
}

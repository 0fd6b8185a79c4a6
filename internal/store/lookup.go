package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
)

func stored(m *jetstream.RawStreamMsg) eventlog.Stored {
	return eventlog.Stored{Seq: m.Sequence, Time: m.Time.UTC(), Subject: m.Subject, Data: m.Data, Sum: m.Header.Get(eventlog.ChecksumHeader), Group: m.Header.Get(GroupHeader)}
}

// Get returns the event with the given id, wherever it is in the stream.
// The id is the last token of every subject, so this is one direct read
// per subject family, whatever the size of the stream.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (eventlog.Stored, error) {
	for _, subj := range events.IDSubjects(id) {
		m, err := s.lookup(ctx, subj)
		if errors.Is(err, eventlog.ErrNotFound) {
			continue
		}
		if err != nil {
			return eventlog.Stored{}, err
		}
		return stored(m), nil
	}
	return eventlog.Stored{}, fmt.Errorf("%w: no event with id %s", eventlog.ErrNotFound, id)
}

// GetSeq returns the event at a stream sequence.
func (s *Store) GetSeq(ctx context.Context, seq uint64) (eventlog.Stored, error) {
	m, err := s.stream.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return eventlog.Stored{}, fmt.Errorf("%w: no event at sequence %d", eventlog.ErrNotFound, seq)
	}
	if err != nil {
		return eventlog.Stored{}, s.wrap(err)
	}
	return stored(m), nil
}

package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
)

func stored(m *jetstream.RawStreamMsg) eventlog.Stored {
	return eventlog.Stored{Seq: m.Sequence, Time: m.Time.UTC(), Subject: m.Subject, Data: m.Data, Sum: m.Header.Get(eventlog.ChecksumHeader), Group: m.Header.Get(GroupHeader)}
}

// Get returns the event with the given id, wherever it is in the stream:
// the id index (ids.go) says where, and one direct read fetches it. An
// id the index has not seen is looked for again once the index has read
// to the stream's end, so an event stored by another process a moment
// ago is found.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (eventlog.Stored, error) {
	if err := s.prepareIDs(ctx, []uuid.UUID{id}, s.recentIDs()); err != nil {
		return eventlog.Stored{}, err
	}
	seq, ok := s.ids.lookup(id)
	if !ok {
		if err := s.prepareIDs(ctx, []uuid.UUID{id}, 0); err != nil {
			return eventlog.Stored{}, err
		}
		if seq, ok = s.ids.lookup(id); !ok {
			return eventlog.Stored{}, fmt.Errorf("%w: no event with id %s", eventlog.ErrNotFound, id)
		}
	}
	return s.GetSeq(ctx, seq)
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

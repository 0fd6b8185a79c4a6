package projector

import (
	"context"
	"errors"
	"fmt"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/projections"
)

// Replay folds the event stream from sequence 1 into a fresh state, up to
// sequence until (0: the stream's end when called): the reference every
// projection must equal.
func Replay(ctx context.Context, s *store.Store, until uint64) (*projections.State, error) {
	if until == 0 {
		var err error
		if until, err = s.LastSeq(ctx); err != nil {
			return nil, err
		}
	}
	st := projections.New()
	if until == 0 {
		return st, nil
	}
	dec := events.NewDecoder()
	err := s.Subscribe(ctx, eventlog.SubscribeOptions{CatchUp: true}, func(d eventlog.Delivery) error {
		if d.Seq > until {
			return errReplayDone
		}
		foldStored(dec, st, eventlog.Stored{Seq: d.Seq, Time: d.Time, Subject: d.Subject, Data: d.Data})
		if d.Seq == until {
			return errReplayDone
		}
		return nil
	})
	if err != nil && !errors.Is(err, errReplayDone) {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return st, nil
}

var errReplayDone = errors.New("replay done")

// fold applies one read item to a state nobody else reads.
func fold(st *projections.State, it item) {
	if it.err != nil {
		st.Skip(it.m, idOf(it.subject), it.err.Error())
		return
	}
	st.Apply(it.ev, it.m)
}

// foldStored applies one stored message to a state nobody else reads.
func foldStored(dec *events.Decoder, st *projections.State, m eventlog.Stored) {
	it := item{m: projections.Meta{Seq: m.Seq, Recorded: m.Time}, subject: m.Subject}
	it.ev, it.err = decodeAt(dec, m.Subject, m.Data)
	fold(st, it)
}

// decodeAt decodes a stored event and checks that it sits on the subject
// its contents call for: an event whose subject and body disagree (an id
// other than the subject's, another actor) is refused, so the subject
// filters subscribers rely on never lie.
func decodeAt(dec *events.Decoder, subject string, data []byte) (events.Event, error) {
	ev, err := dec.Decode(data)
	if err != nil {
		return events.Event{}, err
	}
	if !ev.OnSubject(subject) {
		return events.Event{}, fmt.Errorf("%w: stored on %s, but its contents belong on %s", events.ErrInvalid, subject, ev.Subject())
	}
	return ev, nil
}

// Replay is Replay of the projector's store: the reference that
// /v1/admin/verify compares the projection with.
func (p *Projector) Replay(ctx context.Context, until uint64) (*projections.State, error) {
	return Replay(ctx, p.store, until)
}

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
// projection must equal. It reads as the worker does (checksums checked,
// gaps recorded as missing), one message at a time.
func Replay(ctx context.Context, s *store.Store, until uint64) (*projections.State, error) {
	if until == 0 {
		var err error
		if until, err = s.LastSeq(ctx); err != nil {
			return nil, err
		}
	}
	return foldFromStart(ctx, s, events.NewDecoder(), until, nil)
}

// foldFromStart folds the stream from sequence 1 into a fresh state until
// it has folded until, reporting progress (if not nil).
func foldFromStart(ctx context.Context, s *store.Store, dec *events.Decoder, until uint64, progress func(seq uint64)) (*projections.State, error) {
	st := projections.New()
	if until == 0 {
		return st, nil
	}
	msgs, stop, err := read(ctx, s, 1, dec)
	if err != nil {
		return nil, err
	}
	defer stop()
	if err := foldUntil(ctx, msgs, st, until, progress); err != nil {
		return nil, err
	}
	return st, nil
}

// foldUntil folds the messages read into st until it has folded until,
// recording the sequences the stream skipped as missing, and reporting
// progress (if not nil) every 1024 sequences.
func foldUntil(ctx context.Context, msgs <-chan next, st *projections.State, until uint64, progress func(seq uint64)) error {
	for st.LastSeq() < until {
		var n next
		var ok bool
		select {
		case <-ctx.Done():
			return ctx.Err()
		case n, ok = <-msgs:
		}
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case !ok || errors.Is(n.err, store.ErrReaderStopped):
			return fmt.Errorf("the reader stopped at %d of %d: %v", st.LastSeq(), until, n.err)
		case n.err != nil:
			continue // passing: the reader goes on
		}
		if n.it.m.Seq > until {
			break
		}
		if last := st.LastSeq(); n.it.m.Seq > last+1 {
			st.Missing(last+1, n.it.m.Seq-1)
		}
		fold(st, n.it)
		if seq := st.LastSeq(); progress != nil && (seq%1024 == 0 || seq >= until) {
			progress(seq)
		}
	}
	return nil
}

// fold applies one read item to a state nobody else reads.
func fold(st *projections.State, it item) {
	if it.err != nil {
		st.Skip(it.m, idOf(it.subject), it.err.Error())
		return
	}
	if g := it.group; g.ID != "" {
		// A member of a group of the bulk path: applied with the rest of
		// its group, as the live projection does.
		for _, h := range st.Hold(it.ev, it.m, projections.Group{ID: g.ID, Index: g.Index, Size: g.Size}) {
			st.Apply(h.Event, h.Meta)
		}
		return
	}
	st.Apply(it.ev, it.m)
}

// foldStored applies one stored message to a state nobody else reads.
func foldStored(dec *events.Decoder, st *projections.State, m eventlog.Stored) {
	it := item{m: projections.Meta{Seq: m.Seq, Recorded: m.Time}, subject: m.Subject, group: store.ParseGroupValue(m.Group)}
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

package store

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// AppendGrouped stores groups of events (a roll call: its motion and
// votes) by the bulk path: every event is published on its own, up to a
// thousand in flight, each tagged with its group (GroupHeader), and the
// whole call is made durable by one fsync at the end; nothing is
// acknowledged before that. It is the fastest durable path (measured on
// the General Assembly record: about 1.8× atomic batches of 1000), at a
// price readers pay for it: a group's members are not stored as one
// atomic unit, so a reader must hold a group's members until all are in
// (the projector does: projections.State.Hold). A call cut short (a
// crash) leaves part of a group stored and held back from every view
// until the same groups are appended again: the members stored already
// come back as duplicates, the others are stored with the same tags, and
// the group completes.
//
// Each event is stored once, ever, as with Append. An event whose id the
// stream holds with other content fails the call with an
// *eventlog.IDConflictError; the other members of its group that were
// stored stay held back, and the projection says so (HeldBack). For
// records whose groups may conflict with what is stored, AppendGroups
// refuses a conflicting group whole.
func (s *Store) AppendGrouped(ctx context.Context, groups [][]events.Event, progress func(done int)) ([][]eventlog.Ack, error) {
	defer s.beginAppend()()
	var evs []events.Event
	var tags []GroupTag
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		id := g[0].ID.String()
		for i, ev := range g {
			evs = append(evs, ev)
			tags = append(tags, GroupTag{ID: id, Index: i + 1, Size: len(g)})
		}
	}
	acks, err := s.appendTagged(ctx, evs, tags, progress)
	if err == nil {
		// Nothing is acknowledged before it is on disk.
		err = s.durable(ctx)
	}
	out := make([][]eventlog.Ack, len(groups))
	if err != nil {
		return out, err
	}
	for i, a := range acks {
		s.count(evs[i], a)
	}
	for k, g := range groups {
		out[k], acks = acks[:len(g)], acks[len(g):]
	}
	return out, nil
}

// appendTagged publishes evs asynchronously with their group tags, a
// window of a thousand in flight, resolving a refused once-ever check as
// a duplicate or a conflict (taken).
func (s *Store) appendTagged(ctx context.Context, evs []events.Event, tags []GroupTag, progress func(int)) ([]eventlog.Ack, error) {
	acks := make([]eventlog.Ack, len(evs))
	futures := make([]jetstream.PubAckFuture, len(evs))
	const window = 1000
	wait := func(i int) error {
		select {
		case pa := <-futures[i].Ok():
			acks[i] = eventlog.Ack{ID: evs[i].ID, Seq: pa.Sequence, Duplicate: pa.Duplicate}
			return nil
		case err := <-futures[i].Err():
			if code, desc := apiCode(err); code == codeWrongLastSeq {
				a, err := s.taken(ctx, evs[i], lastSeqOf(desc))
				acks[i] = a
				return err
			}
			// Timed out or refused: publish it again, synchronously,
			// with its tag (the once-ever check makes that safe).
			m, merr := s.message(ctx, evs[i], true)
			if merr != nil {
				return merr
			}
			m.Header.Set(GroupHeader, tags[i].header())
			a, err := s.appendMsg(ctx, evs[i], m)
			acks[i] = a
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	next := 0
	for i, ev := range evs {
		m, err := s.message(ctx, ev, true)
		if err != nil {
			return acks[:next], fmt.Errorf("event %d (%s): %w", i, ev.ID, err)
		}
		m.Header.Set(GroupHeader, tags[i].header())
		if futures[i], err = s.js.PublishMsgAsync(m); err != nil {
			return acks[:next], s.wrap(err)
		}
		for ; i-next >= window; next++ {
			if err := wait(next); err != nil {
				return acks[:next], err
			}
			if progress != nil && next%window == 0 {
				progress(next)
			}
		}
	}
	for ; next < len(evs); next++ {
		if err := wait(next); err != nil {
			return acks[:next], err
		}
	}
	if progress != nil {
		progress(len(evs))
	}
	return acks, nil
}

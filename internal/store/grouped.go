package store

import (
	"context"

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
	acks, err := s.pipeline(ctx, evs, tags, progress)
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

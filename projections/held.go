package projections

import (
	"slices"

	"github.com/stancewatch/stancewatch/events"
)

// Group places an event in a group stored without an atomic batch (the
// bulk path: a roll call's motion and votes, published one by one and
// made durable together). Its members may reach the stream apart, and a
// load cut short stores part of a group until the load runs again and
// completes it; no reader may see part of one.
type Group struct {
	ID    string // the group's id, the same on every member
	Index int    // the member's place, from 1
	Size  int    // how many members the group has
}

// Held is an event held back until the rest of its group is in.
type Held struct {
	Event events.Event
	Meta  Meta
	Group Group
}

// heldGroup is what the state holds of a group not yet complete.
type heldGroup struct {
	size    int
	n       int    // members in
	members []Held // by index-1; a zero Held's Meta.Seq is 0: not in yet
}

// Hold takes a member of a group. Until every member has arrived it keeps
// it back: the event is in no view, and the state's sequence moves past
// it. When the last member arrives, Hold returns them all, in stream
// order, for the caller to apply together (under one lock, so no reader
// sees part of the group). A member that arrives again, or whose place
// does not fit its group, is returned alone, to be applied as it is:
// applying it is idempotent, and a malformed tag must not hide an event.
func (s *State) Hold(ev events.Event, m Meta, g Group) []Held {
	s.advance(m, ev.ID)
	if g.ID == "" || g.Size < 1 || g.Index < 1 || g.Index > g.Size {
		return []Held{{ev, m, g}}
	}
	hg := s.held[g.ID]
	if hg == nil {
		if g.Size == 1 {
			return []Held{{ev, m, g}}
		}
		hg = &heldGroup{size: g.Size, members: make([]Held, g.Size)}
		s.held[g.ID] = hg
	}
	if hg.size != g.Size || hg.members[g.Index-1].Meta.Seq != 0 {
		return []Held{{ev, m, g}}
	}
	hg.members[g.Index-1] = Held{ev, m, g}
	hg.n++
	if hg.n < hg.size {
		return nil
	}
	delete(s.held, g.ID)
	out := hg.members
	slices.SortFunc(out, func(a, b Held) int { return cmpU64(a.Meta.Seq, b.Meta.Seq) })
	return out
}

// HeldBack returns how many events wait for the rest of their group, in
// how many groups, and the lowest sequence among them (0 when none): a
// load cut short that has not run again yet.
func (s *State) HeldBack() (events, groups int, oldest uint64) {
	for _, hg := range s.held {
		groups++
		for _, h := range hg.members {
			if h.Meta.Seq == 0 {
				continue
			}
			events++
			if oldest == 0 || h.Meta.Seq < oldest {
				oldest = h.Meta.Seq
			}
		}
	}
	return events, groups, oldest
}

// heldEvents returns every held event, in stream order, for snapshots.
func (s *State) heldEvents() []Held {
	var out []Held
	for _, hg := range s.held {
		for _, h := range hg.members {
			if h.Meta.Seq != 0 {
				out = append(out, h)
			}
		}
	}
	slices.SortFunc(out, func(a, b Held) int { return cmpU64(a.Meta.Seq, b.Meta.Seq) })
	return out
}

package projections

import (
	"cmp"
	"slices"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// ShiftChange is a shift that applying one event added to a timeline or
// took out of it.
type ShiftChange struct {
	ID        uuid.UUID // events.ShiftID of the shift
	Withdrawn bool
	Shift     Shift
}

// ApplyTracked is Apply that also says how the event changed the shifts
// of the latest view: new shifts, and shifts it withdrew (a back-dated
// observation landing between two others, a retraction, a correction).
// Withdrawals come first; then new shifts by day.
func (s *State) ApplyTracked(ev events.Event, m Meta) (Outcome, []ShiftChange) {
	keys := s.affected(ev)
	before := s.shiftSets(keys)
	out := s.Apply(ev, m)
	if out != Applied {
		return out, nil
	}
	after := s.shiftSets(keys)
	var changes []ShiftChange
	for k, b := range before {
		for id, p := range b.pairs {
			if _, still := after[k].pairs[id]; !still {
				changes = append(changes, ShiftChange{ID: events.ShiftID(k.actor, k.topic, id.from, id.to), Withdrawn: true, Shift: s.shift(b.view, p)})
			}
		}
	}
	for k, a := range after {
		for id, p := range a.pairs {
			if _, had := before[k].pairs[id]; !had {
				changes = append(changes, ShiftChange{ID: events.ShiftID(k.actor, k.topic, id.from, id.to), Shift: s.shift(a.view, p)})
			}
		}
	}
	slices.SortFunc(changes, func(a, b ShiftChange) int {
		if a.Withdrawn != b.Withdrawn {
			if a.Withdrawn {
				return -1
			}
			return 1
		}
		if c := a.Shift.Date.Compare(b.Shift.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.Shift.ToEvent.Seq, b.Shift.ToEvent.Seq)
	})
	return out, changes
}

// affected lists the series whose timelines an event can change.
func (s *State) affected(ev events.Event) []seriesKey {
	var keys []seriesKey
	addPosition := func(id uuid.UUID) {
		if o := s.positions.get(id); o != nil {
			keys = append(keys, o.key(s.vocab))
			if o.Supersedes(s.vocab) != uuid.Nil {
				if t := s.positions.get(o.Supersedes(s.vocab)); t != nil {
					keys = append(keys, t.key(s.vocab))
				}
			}
		}
	}
	addMotion := func(m events.Motion) {
		s.motionObs(m, func(k seriesKey, _ *series, _ *obs) {
			if n := len(keys); n == 0 || keys[n-1] != k {
				keys = append(keys, k)
			}
		})
	}
	switch d := ev.Data.(type) {
	case events.Position:
		keys = append(keys, seriesKey{d.Actor, d.Topic})
		if d.Supersedes != uuid.Nil {
			addPosition(d.Supersedes)
		}
	case events.Retraction:
		if mr := s.motions[d.Target]; mr != nil {
			addMotion(mr.m)
		}
		addPosition(d.Target)
	case events.Motion:
		// Motion ids, aliases and penholders decide which observations
		// describe the same vote: the series with an observation on this
		// motion, on its aliases or on those of the records it shares
		// them with (Apply invalidates the same ones).
		addMotion(d)
	}
	return keys
}

// shiftPairID names a shift of a series by its two observations.
type shiftPairID struct{ from, to uuid.UUID }

// shiftSet is the shifts of a series' latest view, by their observations:
// cheap to compare before and after an event, the Shift of each built
// only for those that changed.
type shiftSet struct {
	view  *seriesView
	pairs map[shiftPairID]shiftPair
}

func (s *State) shiftSets(keys []seriesKey) map[seriesKey]shiftSet {
	out := make(map[seriesKey]shiftSet, len(keys))
	for _, k := range keys {
		if _, done := out[k]; done {
			continue
		}
		var set shiftSet
		if sr := s.series[k]; sr != nil {
			set.view = s.view(sr, Lens{})
			set.pairs = make(map[shiftPairID]shiftPair, len(set.view.shifts))
			for _, p := range set.view.shifts {
				set.pairs[shiftPairID{p.from.o.id, p.to.o.id}] = p
			}
		}
		out[k] = set
	}
	return out
}

// Alerts turns shift changes caused by an event into shift alert events,
// with ids every replica derives alike. New shifts name the withdrawn ones
// they replace in the same series.
func Alerts(changes []ShiftChange, cause uuid.UUID, causeSeq uint64, source string) []events.Event {
	withdrawn := map[seriesKey][]uuid.UUID{}
	var out []events.Event
	for _, c := range changes {
		k := seriesKey{c.Shift.Actor, c.Shift.Topic}
		status := events.ShiftDetected
		if c.Withdrawn {
			status = events.ShiftWithdrawn
		}
		id := events.ShiftAlertID(c.ID, status, cause)
		a := events.ShiftAlert{
			Actor: c.Shift.Actor, Topic: c.Shift.Topic, From: c.Shift.From, To: c.Shift.To, Direction: c.Shift.Direction,
			Date: c.Shift.Date, FromEvent: c.Shift.FromEvent.ID, ToEvent: c.Shift.ToEvent.ID, Status: status,
			Cause: cause, CauseSeq: causeSeq,
		}
		if c.Withdrawn {
			withdrawn[k] = append(withdrawn[k], id)
		} else {
			a.Revises = withdrawn[k]
		}
		out = append(out, events.Event{ID: id, Source: source, Time: c.Shift.ToEvent.Recorded, SchemaVersion: events.CurrentSchemaVersion, Data: a})
	}
	return out
}

package projections

import (
	"cmp"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// Lens chooses what a view shows: the moment it describes (two clocks)
// and whose texts count. The zero Lens is "the world as we know it now,
// every position".
type Lens struct {
	// AsOf keeps only positions taken on or before this day: the world as
	// it stood then.
	AsOf events.Date
	// KnownAt keeps only what was known by this instant, retractions and
	// corrections included: what we knew then. An event is known from when
	// the system recorded it, except an official record of a vote (a
	// roll-call observation, a motion), which is known from the end of the
	// day of the vote if that is earlier: the record was public then,
	// whenever it reached stancewatch (a record loaded years later still
	// answers "what did we know on the day after the vote?").
	KnownAt time.Time
	// ExcludeOwn leaves out an actor's positions on texts it put forward
	// itself (it is a penholder of the motion): a penholder's yes on its
	// own draft says nothing about how its stance on others' texts moved.
	ExcludeOwn bool
}

// IsLatest reports whether c is the zero Lens (the cached view).
func (c Lens) IsLatest() bool { return c.AsOf.IsZero() && c.KnownAt.IsZero() && !c.ExcludeOwn }

func (c Lens) admits(o *obs) bool {
	return knownNanos(o.knownNanos(), c.KnownAt) && (c.AsOf.IsZero() || !c.AsOf.Before(o.Day()))
}

// Status says what part an observation plays in its series.
type Status string

// Statuses of an observation.
const (
	// Counted observations make up the timeline: one per actor, topic,
	// motion and day.
	Counted Status = "counted"
	// Corroborates: another observation of the same vote, agreeing with
	// the counted one.
	Corroborates Status = "corroborates"
	// Overruled: another observation of the same vote that disagrees with
	// the counted one and lost by the conflict rule.
	Overruled Status = "overruled"
	// Retracted observations were withdrawn by a retraction.
	Retracted Status = "retracted"
	// Superseded observations were replaced by a correction.
	Superseded Status = "superseded"
)

// The conflict rule, as stated in answers.
const ConflictRule = "an official roll call beats any other source; otherwise the higher confidence wins, then the later recorded"

type slotKey struct {
	motion events.MotionID
	day    events.Date
}

type entry struct {
	o           *obs
	motion      events.MotionID // canonical
	status      Status
	retraction  *retractionRec
	corrections []*obs
	slot        int
	shiftFrom   *entry // set on counted entries that moved the stance
}

type slot struct {
	key      slotKey
	entries  []*entry
	winner   *entry
	disagree bool
}

// seriesView is everything derived from one actor's observations on one
// topic at one choice of clocks.
type seriesView struct {
	key       seriesKey
	entries   []*entry // every admitted observation, in (occurred, seq) order
	timeline  []*entry // the counted ones, in order
	slots     []*slot
	shifts    []shiftPair
	fromClash []fromClash
}

type shiftPair struct{ from, to *entry }

type fromClash struct {
	e    *entry // the observation that states a from stance
	prev *entry // what the timeline says came before
}

// view returns the derived view of a series; the latest view is cached.
func (s *State) view(sr *series, c Lens) *seriesView {
	if c.IsLatest() {
		if v := sr.view.Load(); v != nil {
			return v
		}
	}
	v := s.derive(sr, c)
	if c.IsLatest() {
		sr.view.Store(v)
	}
	return v
}

func (s *State) derive(sr *series, c Lens) *seriesView {
	idx := s.motionIndexAt(c.KnownAt)
	v := &seriesView{key: sr.key}
	slotOf := map[slotKey]*slot{}
	for _, o := range sr.obs {
		if !c.admits(o) {
			continue
		}
		e := &entry{o: o, motion: idx.resolve(o.Motion(s.vocab))}
		if c.ExcludeOwn && idx.penned(e.motion, sr.key.actor) {
			continue
		}
		v.entries = append(v.entries, e)
		if r := s.retractionOf(o.id, c.KnownAt); r != nil {
			e.status, e.retraction = Retracted, r
			continue
		}
		if cs := s.correctionsOf(o.id, c.KnownAt); len(cs) > 0 {
			e.status, e.corrections = Superseded, cs
			continue
		}
		k := slotKey{e.motion, o.Day()}
		sl := slotOf[k]
		if sl == nil {
			sl = &slot{key: k}
			slotOf[k] = sl
			v.slots = append(v.slots, sl)
		}
		sl.entries = append(sl.entries, e)
	}
	for i, sl := range v.slots {
		sl.winner = sl.entries[0]
		for _, e := range sl.entries[1:] {
			if beats(s.vocab, e.o, sl.winner.o) {
				sl.winner = e
			}
		}
		for _, e := range sl.entries {
			e.slot = i
			switch {
			case e == sl.winner:
				e.status = Counted
			case e.o.Stance() == sl.winner.o.Stance():
				e.status = Corroborates
			default:
				e.status = Overruled
				sl.disagree = true
			}
		}
		v.timeline = append(v.timeline, sl.winner)
	}
	for i := 1; i < len(v.timeline); i++ {
		prev, cur := v.timeline[i-1], v.timeline[i]
		if prev.o.Stance() != cur.o.Stance() {
			cur.shiftFrom = prev
			v.shifts = append(v.shifts, shiftPair{prev, cur})
		}
	}
	for i, sl := range v.slots {
		if i == 0 {
			continue
		}
		prev := v.timeline[i-1]
		for _, e := range sl.entries {
			if f := e.o.From(); !f.IsZero() && f != prev.o.Stance() {
				v.fromClash = append(v.fromClash, fromClash{e: e, prev: prev})
			}
		}
	}
	return v
}

// beats reports whether observation a wins over b when both describe the
// same vote: see ConflictRule.
func beats(v *vocab, a, b *obs) bool {
	ar, br := a.Producer() == events.ProducerRollCall, b.Producer() == events.ProducerRollCall
	if ar != br {
		return ar
	}
	if c := cmp.Compare(a.conf(v), b.conf(v)); c != 0 {
		return c > 0
	}
	if c := cmp.Compare(a.recorded, b.recorded); c != 0 {
		return c > 0
	}
	return a.seq > b.seq
}

// current returns the last counted observation, or nil.
func (v *seriesView) current() *entry {
	if len(v.timeline) == 0 {
		return nil
	}
	return v.timeline[len(v.timeline)-1]
}

package alignment

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// AlertConfig says when an actor's alignment with a reference has moved
// enough to raise an alert.
type AlertConfig struct {
	// Threshold: an alert when the measure moves by more than this between
	// consecutive years (default 0.15).
	Threshold float64
	// MinN: both years need at least this many shared roll calls (default 10).
	MinN int
	// Measure (default Agreement).
	Measure Measure
	// References the actors are compared with (default the P5 members and
	// the EU, G77 and NAM blocs).
	References []Reference
	// Evidence: at most this many roll calls as evidence (default 10).
	Evidence int
}

// WithDefaults fills the zero fields; blocs resolves the default blocs.
func (c AlertConfig) WithDefaults(blocs *Blocs) AlertConfig {
	if c.Threshold == 0 {
		c.Threshold = 0.15
	}
	if c.MinN == 0 {
		c.MinN = 10
	}
	if c.Measure == "" {
		c.Measure = Agreement
	}
	if c.Evidence == 0 {
		c.Evidence = 10
	}
	if c.References == nil {
		for _, a := range []string{"US", "GB", "FR", "RU", "CN"} {
			c.References = append(c.References, Reference{Actor: events.MustCountry(a)})
		}
		for _, id := range []string{"eu", "g77", "nam"} {
			if b, ok := blocs.Get(id); ok {
				c.References = append(c.References, Reference{Bloc: b})
			}
		}
	}
	return c
}

// Move is an actor's agreement with a reference on a topic that moved by
// more than the threshold between two consecutive years.
type Move struct {
	Actor     events.Country `json:"actor"`
	Reference string         `json:"reference"`
	Topic     events.Topic   `json:"topic"`
	Measure   Measure        `json:"measure"`
	Previous  string         `json:"previous"` // the earlier year
	Period    string         `json:"period"`   // the later year
	Before    Figure         `json:"before"`
	After     Figure         `json:"after"`
	Delta     float64        `json:"delta"`
	// Evidence: the roll calls of the later year that moved it most
	// (scores furthest from the earlier year's value), most first.
	Evidence []MoveEvidence `json:"evidence"`
}

// MoveEvidence is a roll call that moved an alignment.
type MoveEvidence struct {
	Motion events.MotionID `json:"motion"`
	Date   events.Date     `json:"date"`
	Actor  string          `json:"actor_vote"`
	With   string          `json:"with_vote"`
	Score  float64         `json:"score"`
}

// Key identifies what a move is about: the same key, the same alert
// subject.
func (m Move) Key() string {
	return fmt.Sprintf("%s/%s/%s/%s/%s", m.Actor, m.Reference, m.Topic, m.Measure, m.Period)
}

// ID is the alert id every replica derives alike from the move's key,
// its direction and the event that caused it: stored once.
func (m Move) ID(cause uuid.UUID) uuid.UUID {
	dir := "up"
	if m.Delta < 0 {
		dir = "down"
	}
	return events.DeterministicID("alignment-alert", m.Key(), dir, cause.String())
}

// MoveOf compares year y with year y−1 for an actor and a reference, in a
// table holding (at least) both years: a Move when both have MinN shared
// roll calls and the value moved by more than the threshold.
func MoveOf(t projections.VoteTable, actor events.Country, ref Reference, y int, c AlertConfig) (Move, bool) {
	c.References = []Reference{ref}
	mt := prepare(t, c)
	i, ok := mt.idx[actor]
	if !ok {
		return Move{}, false
	}
	return mt.move(i, 0, y, c)
}

// moveTable is a vote table prepared for many move checks: the actors'
// indexes, each roll call's year, and each reference's vote on each roll
// call (a bloc's majority is counted once per roll call, not once per
// pair).
type moveTable struct {
	t    projections.VoteTable
	idx  map[events.Country]int
	year []int
	refs [][]projections.Vote // by reference (c.References), by roll call
}

func prepare(t projections.VoteTable, c AlertConfig) *moveTable {
	mt := &moveTable{t: t, idx: indexOf(t), year: make([]int, len(t.RollCalls)), refs: make([][]projections.Vote, len(c.References))}
	for k, rc := range t.RollCalls {
		mt.year[k] = rc.Day.Time().Year()
	}
	for r, ref := range c.References {
		v := make([]projections.Vote, len(t.RollCalls))
		for k, rc := range t.RollCalls {
			v[k] = ref.voteOf(t, mt.idx, rc)
		}
		mt.refs[r] = v
	}
	return mt
}

// move compares year y with y−1 for the actor at index i and reference r.
func (mt *moveTable) move(i, r, y int, c AlertConfig) (Move, bool) {
	ref := c.References[r]
	if ref.Bloc == nil && mt.t.Actors[i] == ref.Actor {
		return Move{}, false
	}
	var prev, cur acc
	type scored struct {
		k     int
		a, b  projections.Vote
		score float64
	}
	var curScores []scored
	for k, rc := range mt.t.RollCalls {
		yr := mt.year[k]
		if yr != y && yr != y-1 {
			continue
		}
		a, b := rc.Vote(i), mt.refs[r][k]
		s, ok := c.Measure.Score(a, b)
		if !ok {
			continue
		}
		if yr == y {
			cur.add(s)
			curScores = append(curScores, scored{k, a, b, s})
		} else {
			prev.add(s)
		}
	}
	if prev.n < c.MinN || cur.n < c.MinN {
		return Move{}, false
	}
	before, after := prev.figure(), cur.figure()
	delta := after.Value - before.Value
	if math.Abs(delta) <= c.Threshold {
		return Move{}, false
	}
	m := Move{Actor: mt.t.Actors[i], Reference: ref.String(), Topic: mt.t.Topic, Measure: c.Measure, Previous: strconv.Itoa(y - 1), Period: strconv.Itoa(y),
		Before: before, After: after, Delta: math.Round(delta*1e4) / 1e4, Evidence: []MoveEvidence{}}
	slices.SortStableFunc(curScores, func(x, z scored) int {
		return cmp.Compare(math.Abs(z.score-before.Value), math.Abs(x.score-before.Value))
	})
	for _, s := range curScores[:min(len(curScores), c.Evidence)] {
		rc := mt.t.RollCalls[s.k]
		m.Evidence = append(m.Evidence, MoveEvidence{Motion: rc.Motion, Date: rc.Day, Actor: s.a.String(), With: s.b.String(), Score: s.score})
	}
	return m, true
}

// pair is an actor (by index) against a reference (by its place in
// AlertConfig.References) in a period (the later year).
type pair struct{ actor, ref, year int }

// pairs lists what votes of actors in a year can move: each actor against
// every reference, and every actor against a reference that is one of
// the actors or counts one among its members; for the year and the year
// after (whose comparison the year is the earlier half of).
func (mt *moveTable) pairs(actors []events.Country, year int, c AlertConfig) []pair {
	in := make(map[events.Country]bool, len(actors))
	for _, a := range actors {
		in[a] = true
	}
	var out []pair
	seen := map[pair]bool{}
	add := func(p pair) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for r, ref := range c.References {
		all := in[ref.Actor]
		if ref.Bloc != nil {
			all = slices.ContainsFunc(ref.Bloc.Members, func(m Membership) bool { return in[m.Actor] })
		}
		for _, y := range []int{year, year + 1} {
			if all {
				for i := range mt.t.Actors {
					add(pair{i, r, y})
				}
				continue
			}
			for _, a := range actors {
				if i, ok := mt.idx[a]; ok {
					add(pair{i, r, y})
				}
			}
		}
	}
	return out
}

// Watch returns what an event can move: its topic, year and actor (ok
// false for events that cast no roll-call vote: motions, reviews and
// positions that are not votes on a motion move nothing worth an alert
// on their own). Called before the event is folded (a retraction is
// found in the state).
func Watch(ev events.Event, st *projections.State) (topic events.Topic, year int, actor events.Country, ok bool) {
	switch d := ev.Data.(type) {
	case events.Position:
		if d.Motion.IsZero() || !isVote(d.Stance) {
			return topic, 0, actor, false
		}
		return d.Topic, d.Occurred.Day().Time().Year(), d.Actor, true
	case events.Retraction:
		if d.Actor.IsZero() {
			return topic, 0, actor, false
		}
		for _, h := range st.Histories(d.Actor, d.Topic, projections.Lens{}) {
			for _, e := range h.Entries {
				if e.ID == d.Target {
					return d.Topic, e.Occurred.Day().Time().Year(), d.Actor, true
				}
			}
		}
	}
	return topic, 0, actor, false
}

// isVote reports whether a stance is a roll-call vote (the ones the vote
// table counts).
func isVote(s events.Stance) bool {
	switch s {
	case events.VoteYes, events.VoteNo, events.Abstain, events.Veto:
		return true
	}
	return false
}

// tableAround is the vote table of a topic over the years y−1 to y+1.
func tableAround(st *projections.State, topic events.Topic, y int) projections.VoteTable {
	f := projections.VoteFilter{Topic: topic, From: events.MustDate(fmt.Sprintf("%04d-01-01", y-1)), To: events.MustDate(fmt.Sprintf("%04d-12-31", y+1))}
	return st.VoteTable(f, projections.Lens{})
}

// Moves lists the moves of every pair an actor's vote in a year touches
// (see pairs), for the year against the year before and the year after
// against the year, keyed by Move.Key.
func Moves(st *projections.State, topic events.Topic, year int, actor events.Country, c AlertConfig) map[string]Move {
	mt := prepare(tableAround(st, topic, year), c)
	out := map[string]Move{}
	for _, p := range mt.pairs([]events.Country{actor}, year, c) {
		if m, ok := mt.move(p.actor, p.ref, p.year, c); ok {
			out[m.Key()] = m
		}
	}
	return out
}

// NewMoves compares the moves before and after an event and returns the
// ones it made: a pair that was not beyond the threshold and now is, or
// whose direction turned; ordered by key.
func NewMoves(before, after map[string]Move) []Move {
	var out []Move
	for k, m := range after {
		if b, ok := before[k]; ok && (b.Delta > 0) == (m.Delta > 0) {
			continue
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Move) int { return strings.Compare(a.Key(), b.Key()) })
	return out
}

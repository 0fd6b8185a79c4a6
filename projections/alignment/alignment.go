// Package alignment measures who votes with whom: how often two actors,
// or an actor and a bloc, cast the same vote on the roll calls of a
// period and topic; the agreement matrix of every pair, ordered so that
// blocs stand out; the roll calls on which two actors parted, most
// contested first; and alerts when an actor's agreement with a reference
// moves between consecutive periods.
//
// The package is pure: it reads projections.VoteTable (the roll calls and
// the vote each actor's timeline counts on them, which the State keeps
// incrementally) and computes, deterministically, with no I/O. Every
// figure carries N, the number of roll calls behind it.
package alignment

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// Measure names a way of scoring two votes on one roll call.
type Measure string

// Measures.
const (
	// Agreement is Voeten's index: over the roll calls both voted on
	// (yes, no or abstain), 1 for the same vote, 0.5 when one abstained
	// and the other did not, 0 for yes against no; averaged.
	Agreement Measure = "agreement"
	// Coincidence is the US State Department's voting coincidence: over
	// the roll calls on which both voted yes or no (abstentions and
	// absences left out), the share of identical votes.
	Coincidence Measure = "coincidence"
)

// Formula states a measure's formula, as answers and the README give it.
func Formula(m Measure) string {
	if m == Coincidence {
		return "identical votes / roll calls on which both voted yes or no (abstentions and absences left out)"
	}
	return "mean over the roll calls both voted on (yes, no, abstain) of: 1 same vote, 0.5 one abstained and the other did not, 0 yes against no (Voeten)"
}

// Measures lists the measures, for help texts and validation.
var Measures = []Measure{Agreement, Coincidence}

// ParseMeasure reads a measure name ("" is Agreement).
func ParseMeasure(s string) (Measure, error) {
	switch Measure(s) {
	case "", Agreement:
		return Agreement, nil
	case Coincidence:
		return Coincidence, nil
	}
	return "", fmt.Errorf("%q is not a measure: want agreement or coincidence", s)
}

// Score scores two votes on one roll call under m. ok is false when the
// roll call does not count for the pair (one did not vote; under
// Coincidence, one abstained).
func (m Measure) Score(a, b projections.Vote) (score float64, ok bool) {
	if a == projections.NotVoting || b == projections.NotVoting {
		return 0, false
	}
	switch m {
	case Coincidence:
		if a == projections.Abstained || b == projections.Abstained {
			return 0, false
		}
		if a == b {
			return 1, true
		}
		return 0, true
	default:
		switch {
		case a == b:
			return 1, true
		case a == projections.Abstained || b == projections.Abstained:
			return 0.5, true
		}
		return 0, true
	}
}

// Figure is a measure's value over N roll calls; Value is NaN when N is 0
// (and written as null).
type Figure struct {
	Value float64 `json:"value"`
	N     int     `json:"n"`
}

// MarshalJSON writes {"value": v, "n": N}, v rounded to 4 decimals and
// null without roll calls.
func (f Figure) MarshalJSON() ([]byte, error) {
	v := "null"
	if f.N > 0 && !math.IsNaN(f.Value) {
		v = strconv.FormatFloat(math.Round(f.Value*1e4)/1e4, 'f', -1, 64)
	}
	return fmt.Appendf(nil, `{"value":%s,"n":%d}`, v, f.N), nil
}

// acc sums scores.
type acc struct {
	sum float64
	n   int
}

func (a *acc) add(s float64) { a.sum += s; a.n++ }

func (a acc) figure() Figure {
	if a.n == 0 {
		return Figure{Value: math.NaN()}
	}
	return Figure{Value: a.sum / float64(a.n), N: a.n}
}

// Reference is what an actor is compared with: another actor or a bloc.
type Reference struct {
	Actor events.Country // set for an actor
	Bloc  *Bloc          // set for a bloc
}

// String is the actor's code or the bloc's name.
func (r Reference) String() string {
	if r.Bloc != nil {
		return r.Bloc.ID
	}
	return r.Actor.String()
}

// voteOf returns the reference's vote on a roll call: the actor's, or the
// bloc's majority among its members on that day.
func (r Reference) voteOf(t projections.VoteTable, idx map[events.Country]int, rc *projections.RollCallVotes) projections.Vote {
	if r.Bloc != nil {
		return r.Bloc.Position(t, idx, rc)
	}
	i, ok := idx[r.Actor]
	if !ok {
		return projections.NotVoting
	}
	return rc.Vote(i)
}

// indexOf maps the table's actors to their indexes.
func indexOf(t projections.VoteTable) map[events.Country]int {
	m := make(map[events.Country]int, len(t.Actors))
	for i, a := range t.Actors {
		m[a] = i
	}
	return m
}

// Compare returns the measure between an actor and a reference over
// every roll call of the table.
func Compare(t projections.VoteTable, actor events.Country, ref Reference, m Measure) Figure {
	idx := indexOf(t)
	i, ok := idx[actor]
	if !ok {
		return acc{}.figure()
	}
	var a acc
	for _, rc := range t.RollCalls {
		if s, ok := m.Score(rc.Vote(i), ref.voteOf(t, idx, rc)); ok {
			a.add(s)
		}
	}
	return a.figure()
}

// Period groups roll calls: by calendar year, or by session of the body
// (a roll call without a recorded session goes by its year).
type Period string

// Periods.
const (
	ByYear    Period = "year"
	BySession Period = "session"
)

// ParsePeriod reads a period kind ("" is ByYear).
func ParsePeriod(s string) (Period, error) {
	switch Period(s) {
	case "", ByYear:
		return ByYear, nil
	case BySession:
		return BySession, nil
	}
	return "", fmt.Errorf("%q is not a period: want year or session", s)
}

// Of returns the period a roll call falls in: "2019", or "74" (session).
func (p Period) Of(rc *projections.RollCallVotes) string {
	if p == BySession && rc.Session != "" {
		return rc.Session
	}
	return strconv.Itoa(rc.Day.Time().Year())
}

// Point is one period of a series.
type Point struct {
	Period string      `json:"period"`
	From   events.Date `json:"from"` // the first and last roll call of the period
	To     events.Date `json:"to"`
	Figure
}

// MarshalJSON flattens the figure into the point.
func (p Point) MarshalJSON() ([]byte, error) {
	f, err := p.Figure.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, `{"period":%q,"from":%q,"to":%q,%s`, p.Period, p.From, p.To, f[1:]), nil
}

// Series returns the measure between an actor and a reference per
// period, in order; periods in which they share no roll call are left
// out.
func Series(t projections.VoteTable, actor events.Country, ref Reference, m Measure, p Period) []Point {
	idx := indexOf(t)
	i, ok := idx[actor]
	if !ok {
		return []Point{}
	}
	out := []Point{}
	var cur *Point
	var a acc
	flush := func() {
		if cur != nil && a.n > 0 {
			cur.Figure = a.figure()
			out = append(out, *cur)
		}
	}
	for _, rc := range t.RollCalls {
		per := p.Of(rc)
		if cur == nil || cur.Period != per {
			flush()
			cur, a = &Point{Period: per}, acc{}
		}
		if s, ok := m.Score(rc.Vote(i), ref.voteOf(t, idx, rc)); ok {
			a.add(s)
			if a.n == 1 {
				cur.From = rc.Day
			}
			cur.To = rc.Day
		}
	}
	flush()
	return out
}

// Divergence is a roll call both sides voted on, with their votes: one
// on which they parted (Divergent), or any they shared (Shared).
type Divergence struct {
	Motion  events.MotionID `json:"motion"`
	Date    events.Date     `json:"date"`
	Body    string          `json:"body,omitempty"`
	Session string          `json:"session,omitempty"`
	Actor   string          `json:"actor_vote"`
	With    string          `json:"with_vote"`
	Score   float64         `json:"score"` // under the measure: 0 yes against no, 0.5 one abstained
	Yes     int             `json:"yes"`   // the roll call's tally, as counted
	No      int             `json:"no"`
	Abstain int             `json:"abstain"`
	// Margin is |yes−no| / (yes+no+abstain): 0 for a tie, 1 unanimous.
	// The smaller, the more contested.
	Margin float64 `json:"margin"`
}

// Divergent lists the roll calls on which the actor and the reference
// voted differently (both voting), most contested first: by margin,
// then yes-against-no before an abstention, then the latest first. At
// most limit (all when limit ≤ 0).
func Divergent(t projections.VoteTable, actor events.Country, ref Reference, m Measure, limit int) []Divergence {
	out := Shared(t, actor, ref, m)
	apart := slices.IndexFunc(out, func(d Divergence) bool { return d.Score == 1 })
	if apart >= 0 {
		out = out[:apart]
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Shared lists every roll call on which the measure scores the actor
// against the reference: the roll calls behind Compare's figure, as many
// as its N, each with its score. Those on which they parted come first,
// as Divergent orders them; then those on which they voted alike, most
// contested first (by margin), then the latest first.
func Shared(t projections.VoteTable, actor events.Country, ref Reference, m Measure) []Divergence {
	idx := indexOf(t)
	i, ok := idx[actor]
	if !ok {
		return []Divergence{}
	}
	out := []Divergence{}
	for _, rc := range t.RollCalls {
		a, b := rc.Vote(i), ref.voteOf(t, idx, rc)
		s, ok := m.Score(a, b)
		if !ok {
			continue
		}
		y, n, ab := rc.Count()
		d := Divergence{Motion: rc.Motion, Date: rc.Day, Body: rc.Body, Session: rc.Session, Actor: a.String(), With: b.String(),
			Score: s, Yes: y, No: n, Abstain: ab}
		if tot := y + n + ab; tot > 0 {
			d.Margin = math.Round(math.Abs(float64(y-n))/float64(tot)*1e4) / 1e4
		}
		out = append(out, d)
	}
	slices.SortStableFunc(out, func(a, b Divergence) int {
		if (a.Score == 1) != (b.Score == 1) {
			if a.Score == 1 {
				return 1
			}
			return -1
		}
		if a.Margin != b.Margin {
			return cmp.Compare(a.Margin, b.Margin)
		}
		if a.Score != b.Score {
			return cmp.Compare(a.Score, b.Score)
		}
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Motion.String(), b.Motion.String())
	})
	return out
}

package projections

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/stancewatch/stancewatch/events"
)

// Matrix is a topic's vote matrix: actors down, motions across in date
// order, and in each cell the counted position of the actor on the
// motion. It is the web page's main picture.
type Matrix struct {
	Topic events.Topic `json:"topic"`
	// From and To are the days the matrix was cut to (zero: open).
	From    events.Date     `json:"from,omitzero"`
	To      events.Date     `json:"to,omitzero"`
	Motions []MotionSummary `json:"motions"`
	Actors  []MatrixRow     `json:"actors"`
}

// MatrixRow is one actor's line of a matrix.
type MatrixRow struct {
	Actor events.Country `json:"actor"`
	Name  string         `json:"name"`
	// Cells holds the actor's counted position on each motion it has
	// one on, by motion id (nil in a compact matrix).
	Cells map[string]PositionView `json:"cells,omitzero"`
	// Stances holds, in a compact matrix, only the stance of each cell,
	// by motion id (nil in a full one).
	Stances map[string]events.Stance `json:"stances,omitzero"`
	// Current is the actor's current stance on the topic, motion or not
	// (not in a compact matrix).
	Current *PositionView `json:"current,omitempty"`
}

// MatrixOptions cut a matrix: to the texts of the days From to To
// (inclusive; zero: open), and, when Compact, to the stance of each cell
// without its evidence — the size of a roll-call year of the General
// Assembly (100 texts × 190 actors) stays a few hundred kilobytes.
type MatrixOptions struct {
	From, To events.Date
	Compact  bool
}

// Validate reports a range that ends before it starts (which would admit
// no text at all, silently).
func (o MatrixOptions) Validate() error {
	if !o.From.IsZero() && !o.To.IsZero() && o.To.Before(o.From) {
		return events.FieldError{Field: "to", Message: fmt.Sprintf("%s is before from %s", o.To, o.From)}
	}
	return nil
}

func (o MatrixOptions) admits(d events.Date) bool {
	return (o.From.IsZero() || !d.Before(o.From)) && (o.To.IsZero() || !o.To.Before(d))
}

// Matrix builds the vote matrix of a topic. Motions named by positions but
// never described by a motion event get a column too, dated by their
// earliest position.
func (s *State) Matrix(topic events.Topic, c Lens) Matrix {
	return s.MatrixOf(topic, c, MatrixOptions{})
}

// MatrixOf builds the vote matrix of a topic cut by o.
func (s *State) MatrixOf(topic events.Topic, c Lens, o MatrixOptions) Matrix {
	m := Matrix{Topic: topic, From: o.From, To: o.To, Motions: []MotionSummary{}, Actors: []MatrixRow{}}
	cols := map[events.MotionID]int{}
	for _, mr := range s.motionIndexAt(c.KnownAt).current {
		if mr.m.Topic != topic || (!c.AsOf.IsZero() && c.AsOf.Before(mr.m.Date)) || !o.admits(mr.m.Date) {
			continue
		}
		cols[mr.m.ID] = len(m.Motions)
		m.Motions = append(m.Motions, motionSummary(mr))
	}
	described := len(m.Motions)
	for _, sr := range s.seriesOfTopic(topic) {
		v := s.view(sr, c)
		var row *MatrixRow
		for _, e := range v.timeline {
			day := e.o.Day()
			if !o.admits(day) {
				continue
			}
			if row == nil {
				m.Actors = append(m.Actors, MatrixRow{Actor: sr.key.actor, Name: sr.key.actor.Name()})
				row = &m.Actors[len(m.Actors)-1]
				if o.Compact {
					row.Stances = map[string]events.Stance{}
				} else {
					row.Cells = map[string]PositionView{}
				}
			}
			if e.motion.IsZero() {
				continue
			}
			if i, ok := cols[e.motion]; !ok {
				cols[e.motion] = len(m.Motions)
				m.Motions = append(m.Motions, MotionSummary{ID: e.motion, Topic: topic, Date: day})
			} else if i >= described && day.Before(m.Motions[i].Date) {
				m.Motions[i].Date = day
			}
			// the later of two counted positions on one motion holds: the
			// timeline is in (occurred, sequence) order
			id := e.motion.String()
			if o.Compact {
				row.Stances[id] = e.o.Stance()
			} else {
				row.Cells[id] = s.positionView(e)
			}
		}
		if row != nil && !o.Compact {
			if cur := v.current(); cur != nil {
				pv := s.positionView(cur)
				row.Current = &pv
			}
		}
	}
	slices.SortStableFunc(m.Motions, func(a, b MotionSummary) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID.String(), b.ID.String()))
	})
	slices.SortFunc(m.Actors, func(a, b MatrixRow) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Actor.String(), b.Actor.String()))
	})
	return m
}

// seriesOfTopic returns the series of every actor on a topic.
func (s *State) seriesOfTopic(topic events.Topic) []*series {
	var out []*series
	for k, sr := range s.series {
		if k.topic == topic {
			out = append(out, sr)
		}
	}
	return out
}

// YearMatrix is a topic's vote matrix summed by year: how each actor
// voted on the texts of each year, as counts of each stance. Over the
// whole record (70 years, thousands of roll calls) it is the picture
// that fits a screen; MatrixOf a year drills down to the single votes.
type YearMatrix struct {
	Topic  events.Topic `json:"topic"`
	Years  []YearColumn `json:"years"`
	Actors []YearRow    `json:"actors"`
}

// YearColumn is one year of a YearMatrix.
type YearColumn struct {
	Year int `json:"year"`
	// Motions is how many texts of the topic are dated in the year.
	Motions int `json:"motions"`
	// Positions is how many counted positions were taken in it.
	Positions int `json:"positions"`
}

// YearRow is one actor's line of a YearMatrix.
type YearRow struct {
	Actor  events.Country      `json:"actor"`
	Name   string              `json:"name"`
	Former *events.FormerState `json:"former,omitempty"`
	// Counts holds, for each stance the actor took, how many times it
	// took it in each year, aligned with the matrix's years.
	Counts map[string][]int `json:"counts"`
}

// MatrixByYear sums a topic's matrix by year: the counted positions of
// each actor (one per actor, motion and day), by the year they were
// taken.
func (s *State) MatrixByYear(topic events.Topic, c Lens) YearMatrix {
	ym := YearMatrix{Topic: topic, Years: []YearColumn{}, Actors: []YearRow{}}
	motions := map[int]int{}
	seen := map[events.MotionID]bool{}
	for _, mr := range s.motionIndexAt(c.KnownAt).current {
		if mr.m.Topic != topic || (!c.AsOf.IsZero() && c.AsOf.Before(mr.m.Date)) || mr.m.Date.IsZero() {
			continue
		}
		motions[mr.m.Date.Time().Year()]++
		seen[mr.m.ID] = true
	}
	type cell struct{ year, stance int }
	type acc struct {
		actor  events.Country
		counts map[cell]int
	}
	positions := map[int]int{}
	var accs []acc
	for _, sr := range s.seriesOfTopic(topic) {
		a := acc{actor: sr.key.actor, counts: map[cell]int{}}
		for _, e := range s.view(sr, c).timeline {
			y := e.o.Day().Time().Year()
			a.counts[cell{y, e.o.Stance().Rank()}]++
			positions[y]++
			if !e.motion.IsZero() && !seen[e.motion] {
				seen[e.motion] = true
				motions[y]++
			}
		}
		if len(a.counts) > 0 {
			accs = append(accs, a)
		}
	}
	years := make([]int, 0, len(positions)+len(motions))
	for y := range positions {
		years = append(years, y)
	}
	for y := range motions {
		if _, ok := positions[y]; !ok {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	col := map[int]int{}
	for i, y := range years {
		col[y] = i
		ym.Years = append(ym.Years, YearColumn{Year: y, Motions: motions[y], Positions: positions[y]})
	}
	for _, a := range accs {
		row := YearRow{Actor: a.actor, Name: a.actor.Name(), Counts: map[string][]int{}}
		if f, ok := a.actor.Former(); ok {
			row.Former = &f
		}
		for k, n := range a.counts {
			st, _ := events.StanceFromRank(k.stance)
			name := st.String()
			if row.Counts[name] == nil {
				row.Counts[name] = make([]int, len(years))
			}
			row.Counts[name][col[k.year]] += n
		}
		ym.Actors = append(ym.Actors, row)
	}
	slices.SortFunc(ym.Actors, func(a, b YearRow) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Actor.String(), b.Actor.String()))
	})
	return ym
}

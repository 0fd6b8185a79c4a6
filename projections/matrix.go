package projections

import (
	"cmp"
	"slices"

	"github.com/stancewatch/stancewatch/events"
)

// Matrix is a topic's vote matrix: actors down, motions across in date
// order, and in each cell the counted position of the actor on the
// motion. It is the web page's main picture.
type Matrix struct {
	Topic   events.Topic    `json:"topic"`
	Motions []MotionSummary `json:"motions"`
	Actors  []MatrixRow     `json:"actors"`
}

// MatrixRow is one actor's line of a matrix.
type MatrixRow struct {
	Actor events.Country `json:"actor"`
	Name  string         `json:"name"`
	// Cells holds the actor's counted position on each motion it has
	// one on, by motion id.
	Cells map[string]PositionView `json:"cells"`
	// Current is the actor's current stance on the topic, motion or not.
	Current *PositionView `json:"current,omitempty"`
}

// Matrix builds the vote matrix of a topic. Motions named by positions but
// never described by a motion event get a column too, dated by their
// earliest position.
func (s *State) Matrix(topic events.Topic, c Lens) Matrix {
	m := Matrix{Topic: topic, Motions: []MotionSummary{}, Actors: []MatrixRow{}}
	cols := map[events.MotionID]int{}
	for _, ms := range s.Motions(c) {
		if ms.Topic == topic {
			cols[ms.ID] = len(m.Motions)
			m.Motions = append(m.Motions, ms)
		}
	}
	rows := map[events.Country]int{}
	for _, p := range s.Positions(PositionFilter{Topic: topic}, c) {
		i, ok := rows[p.Actor]
		if !ok {
			i = len(m.Actors)
			rows[p.Actor] = i
			m.Actors = append(m.Actors, MatrixRow{Actor: p.Actor, Name: p.Actor.Name(), Cells: map[string]PositionView{}})
		}
		if p.Motion.IsZero() {
			continue
		}
		if _, ok := cols[p.Motion]; !ok {
			cols[p.Motion] = len(m.Motions)
			m.Motions = append(m.Motions, MotionSummary{ID: p.Motion, Topic: topic, Date: p.Occurred.Day()})
		}
		// the later of two counted positions on one motion holds
		if prev, ok := m.Actors[i].Cells[p.Motion.String()]; !ok || prev.Occurred.Compare(p.Occurred) <= 0 {
			m.Actors[i].Cells[p.Motion.String()] = p
		}
	}
	for i := range m.Actors {
		if h := s.Histories(m.Actors[i].Actor, topic, c); len(h) == 1 && h[0].Current != nil {
			cur := *h[0].Current
			m.Actors[i].Current = &cur
		}
	}
	slices.SortStableFunc(m.Motions, func(a, b MotionSummary) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID.String(), b.ID.String()))
	})
	slices.SortFunc(m.Actors, func(a, b MatrixRow) int { return cmp.Compare(a.Name, b.Name) })
	return m
}

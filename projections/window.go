package projections

import (
	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// Window chooses part of a history: the entries on the days From to To
// (inclusive; zero: open), at most Limit of them (zero: all), after the
// entry at (AfterDay, AfterSeq) when After is set. Entries are ordered by
// the day they occurred, then by sequence.
type Window struct {
	From, To events.Date
	After    bool
	AfterDay events.Date
	AfterSeq uint64
	Limit    int
}

func (w Window) admits(d events.Date) bool {
	return (w.From.IsZero() || !d.Before(w.From)) && (w.To.IsZero() || !w.To.Before(d))
}

// HistoryPage is a history cut to a window: the page's entries, and the
// shifts to one of them and the conflicts on their days, with how many
// of each the whole window holds.
type HistoryPage struct {
	History
	Total     int  // entries in the window
	More      bool // entries in the window after the page
	Shifts    int  // shifts on days in the window
	Conflicts int  // conflicts on days in the window
}

// HistoriesIn is Histories cut to a window. Only the page's entries (and
// the shifts and conflicts that go with them) are built, so a page of a
// 70-year history costs the page, not the 70 years.
func (s *State) HistoriesIn(actor events.Country, topic events.Topic, c Lens, w Window) []HistoryPage {
	out := []HistoryPage{}
	for _, sr := range s.seriesOf(actor, topic) {
		if h, ok := s.historyIn(sr, c, w); ok {
			out = append(out, h)
		}
	}
	return out
}

func (s *State) historyIn(sr *series, c Lens, w Window) (HistoryPage, bool) {
	v := s.view(sr, c)
	if len(v.entries) == 0 {
		return HistoryPage{}, false
	}
	p := HistoryPage{History: History{Actor: sr.key.actor, ActorName: sr.key.actor.Name(), Topic: sr.key.topic,
		Entries: []PositionView{}, Shifts: []Shift{}, Conflicts: []Conflict{}}}
	if cur := v.current(); cur != nil {
		pv := s.positionView(cur)
		p.Current = &pv
	}
	after := func(e *entry) bool {
		if !w.After {
			return true
		}
		d := e.o.Day()
		return w.AfterDay.Before(d) || d == w.AfterDay && e.o.seq > w.AfterSeq
	}
	inPage := map[uuid.UUID]bool{}
	var first, last events.Date
	for _, e := range v.entries {
		if !w.admits(e.o.Day()) {
			continue
		}
		p.Total++
		if !after(e) {
			continue
		}
		if w.Limit > 0 && len(p.Entries) == w.Limit {
			p.More = true
			continue
		}
		pv := s.positionView(e)
		if len(p.Entries) == 0 {
			first = pv.Occurred.Day()
		}
		last = pv.Occurred.Day()
		p.Entries = append(p.Entries, pv)
		inPage[pv.ID] = true
	}
	for _, sp := range v.shifts {
		if !w.admits(sp.to.o.Day()) {
			continue
		}
		p.Shifts++
		if inPage[sp.to.o.id] {
			p.History.Shifts = append(p.History.Shifts, s.shift(v, sp))
		}
	}
	for _, cf := range s.conflicts(v) {
		if !w.admits(cf.Date) {
			continue
		}
		p.Conflicts++
		if len(p.Entries) > 0 && !cf.Date.Before(first) && !last.Before(cf.Date) {
			p.History.Conflicts = append(p.History.Conflicts, cf)
		}
	}
	return p, true
}

package alignment

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/ingest"
	"github.com/stancewatch/stancewatch/producers/votes"
	"github.com/stancewatch/stancewatch/projections"
)

var record struct {
	once sync.Once
	st   *projections.State
	rcs  []votes.RollCall // the roll calls folded into st
	err  error
}

// loadRecord folds the bundled General Assembly record into a State, once
// per test binary.
func loadRecord(t *testing.T) *projections.State {
	t.Helper()
	if testing.Short() {
		t.Skip("loads the whole General Assembly record (-short)")
	}
	record.once.Do(func() {
		rcs, _, err := ingest.ReadUnvotesFS(data.Files(), data.UnvotesRollCalls, data.UnvotesIssues, data.UnvotesVotes)
		if err != nil {
			record.err = err
			return
		}
		st := projections.New()
		var seq uint64
		for _, rc := range rcs {
			evs, err := rc.Events()
			if err != nil {
				record.err = err
				return
			}
			for _, ev := range evs {
				seq++
				st.Apply(ev, projections.Meta{Seq: seq})
			}
		}
		record.st, record.rcs = st, rcs
	})
	if record.err != nil {
		t.Fatal(record.err)
	}
	return record.st
}

// TestRecordSpotChecks reads figures of the real record that anyone can
// check against the exported positions (README: "Checking a figure").
func TestRecordSpotChecks(t *testing.T) {
	st := loadRecord(t)
	all := st.VoteTable(projections.VoteFilter{}, projections.Lens{})
	if len(all.RollCalls) != 6203 {
		t.Errorf("%d roll calls in the record, want 6203", len(all.RollCalls))
	}
	c := func(s string) events.Country { return events.MustCountry(s) }
	year := func(topic string, y string) projections.VoteTable {
		f := projections.VoteFilter{From: events.MustDate(y + "-01-01"), To: events.MustDate(y + "-12-31")}
		if topic != "" {
			f.Topic = events.MustTopic(topic)
		}
		return st.VoteTable(f, projections.Lens{})
	}
	t2019 := year("", "2019")
	// The figures the README states ("Figures from the record", and the
	// pandas check of India–US), to the 4 decimals it gives and with the
	// exact number of roll calls: a change in how votes are counted
	// shows here before the README goes stale.
	eu, _ := NewBlocs().Get("eu")
	cases := []struct {
		name  string
		a     string
		ref   Reference
		m     Measure
		value float64
		n     int
	}{
		{"US and Israel agree most", "US", Reference{Actor: c("IL")}, Agreement, 0.9602, 88},
		{"US and Cuba least", "US", Reference{Actor: c("CU")}, Agreement, 0.1705, 88},
		{"India and the US rarely", "IN", Reference{Actor: c("US")}, Agreement, 0.2722, 90},
		{"France and the UK mostly", "FR", Reference{Actor: c("GB")}, Agreement, 0.9500, 90},
		{"coincidence US-UK", "US", Reference{Actor: c("GB")}, Coincidence, 0.6866, 67},
		{"France against the EU majority", "FR", Reference{Bloc: eu}, Agreement, 0.9494, 89},
	}
	m2019 := PairMatrix(t2019, Agreement)
	for _, cs := range cases {
		t.Run(cs.name, func(t *testing.T) {
			f := Compare(t2019, c(cs.a), cs.ref, cs.m)
			t.Logf("%s–%s 2019 %s: %.4f over %d roll calls", cs.a, cs.ref, cs.m, f.Value, f.N)
			if math.Round(f.Value*1e4)/1e4 != cs.value || f.N != cs.n {
				t.Errorf("%.4f over %d roll calls, the README says %.4f over %d", f.Value, f.N, cs.value, cs.n)
			}
			// The matrix's cell is the same figure, n included.
			if cs.ref.Bloc == nil && cs.m == Agreement {
				if cell := m2019.Cell(c(cs.a), cs.ref.Actor); cell.Value != cs.value || cell.N != cs.n {
					t.Errorf("the 2019 matrix's cell: %v over %d, want %.4f over %d", cell.Value, cell.N, cs.value, cs.n)
				}
			}
		})
	}
	t.Run("a 70-year series", func(t *testing.T) {
		s := Series(st.VoteTable(projections.VoteFilter{}, projections.Lens{}), c("IN"), Reference{Actor: c("US")}, Agreement, ByYear)
		if len(s) < 70 {
			t.Errorf("%d years", len(s))
		}
	})
	t.Run("matrix", func(t *testing.T) {
		m := PairMatrix(year("human-rights", "2019"), Agreement)
		if len(m.Actors) < 180 {
			t.Errorf("%d actors", len(m.Actors))
		}
		// The two camps land apart: the US nearer Israel than Cuba in the order.
		pos := map[events.Country]int{}
		for i, a := range m.Actors {
			pos[a] = i
		}
		d := func(a, b string) int { return max(pos[c(a)]-pos[c(b)], pos[c(b)]-pos[c(a)]) }
		if d("US", "IL") > d("US", "CU") {
			t.Errorf("US–IL %d apart, US–CU %d", d("US", "IL"), d("US", "CU"))
		}
	})
}

// The figures of the issue, against the whole record loaded:
// go test -run xxx -bench Align -benchtime 3x ./projections/alignment/

func BenchmarkAlignMatrix(b *testing.B) {
	st := loadRecordB(b)
	f := projections.VoteFilter{Topic: events.MustTopic("human-rights"), From: events.MustDate("2019-01-01"), To: events.MustDate("2019-12-31")}
	for b.Loop() {
		PairMatrix(st.VoteTable(f, projections.Lens{}), Agreement)
	}
}

func BenchmarkAlignSeries70Years(b *testing.B) {
	st := loadRecordB(b)
	in, us := events.MustCountry("IN"), events.MustCountry("US")
	for b.Loop() {
		Series(st.VoteTable(projections.VoteFilter{}, projections.Lens{}), in, Reference{Actor: us}, Agreement, ByYear)
	}
}

// BenchmarkAlignNewRollCall is the issue's "one new roll call of 190
// votes updates every measure", against the whole record loaded. The
// roll call is A/RES/74/154's (human rights and unilateral coercive
// measures, 18 December 2019: 190 votes, 135–55–0) cast again under a
// new symbol, with its motion, as a UNDL ingest publishes it: in 2019, a
// year of some ninety roll calls, so that the recount is a full year's.
// Each iteration does what internal/projector's apply does for the
// alignment measures with events that are not of the bundled record: for
// each event the alignment watcher's Before, then the state's Apply;
// once the roll call is folded, the watcher's Derive (the alignment
// alerts). Then it reads again the measures the roll call changes: the
// 2019 human-rights matrix and India–US per year over every roll call.
// The first roll call of a topic and year since the watcher started also
// counts that year's moves, once; it is folded before the clock starts.
//
// The projector folds such events with ApplyTracked, Apply that also
// reports the shifts each changes, for its shift alerts: "shift alerts
// tracked too" does that as well. Not an alignment measure, but the rest
// of what the fold of such a roll call costs.
func BenchmarkAlignNewRollCall(b *testing.B) {
	st := loadRecordB(b)
	tmpl := rollCallOf(b, "A/RES/74/154")
	topic := tmpl.Motion.Topic
	y2019 := projections.VoteFilter{Topic: topic, From: events.MustDate("2019-01-01"), To: events.MustDate("2019-12-31")}
	in, us := events.MustCountry("IN"), events.MustCountry("US")
	seq := uint64(2_000_000)
	k := 0
	for _, tracked := range []bool{false, true} {
		name := "alignment measures"
		if tracked {
			name = "shift alerts tracked too"
		}
		b.Run(name, func(b *testing.B) {
			w, err := NewWatcher(NewBlocs(), AlertConfig{}, "bench")
			if err != nil {
				b.Fatal(err)
			}
			newRollCall := func() {
				k++
				evs := copyRollCall(b, tmpl, events.MustMotionID(fmt.Sprintf("A/RES/74/%d", 1000+k)))
				for _, ev := range evs {
					seq++
					w.Before(st, ev)
					if tracked {
						_, changes := st.ApplyTracked(ev, projections.Meta{Seq: seq})
						projections.Alerts(changes, ev.ID, seq, "bench")
					} else {
						st.Apply(ev, projections.Meta{Seq: seq})
					}
				}
				w.Derive(st, evs[len(evs)-1].ID, seq, time.Unix(0, 0))
				if f := PairMatrix(st.VoteTable(y2019, projections.Lens{}), Agreement).Cell(in, us); f.N == 0 {
					b.Fatalf("IN–US: no shared roll call in the 2019 %s matrix", topic)
				}
				Series(st.VoteTable(projections.VoteFilter{}, projections.Lens{}), in, Reference{Actor: us}, Agreement, ByYear)
			}
			newRollCall()
			for b.Loop() {
				newRollCall()
			}
		})
	}
}

// rollCallOf returns a roll call of the record by its motion's symbol.
func rollCallOf(tb testing.TB, symbol string) votes.RollCall {
	tb.Helper()
	for _, rc := range record.rcs {
		if rc.Motion.ID.String() == symbol {
			return rc
		}
	}
	tb.Fatalf("%s is not in the record", symbol)
	return votes.RollCall{}
}

// copyRollCall returns the events of a roll call's votes cast again on a
// new motion id, as a UNDL ingest publishes them (the motion, then each
// vote; its source, not the bundled record's, whose events the projector
// folds without alerts).
func copyRollCall(tb testing.TB, rc votes.RollCall, id events.MotionID) []events.Event {
	tb.Helper()
	rc.Motion.ID, rc.Motion.Aliases, rc.Motion.Amends = id, nil, events.MotionID{}
	rc.Source = votes.UNDLSource
	evs, err := rc.Events()
	if err != nil {
		tb.Fatal(err)
	}
	return evs
}

func loadRecordB(b *testing.B) *projections.State {
	b.Helper()
	if record.st != nil {
		return record.st
	}
	rcs, _, err := ingest.ReadUnvotesFS(data.Files(), data.UnvotesRollCalls, data.UnvotesIssues, data.UnvotesVotes)
	if err != nil {
		b.Fatal(err)
	}
	st := projections.New()
	var seq uint64
	for _, rc := range rcs {
		evs, err := rc.Events()
		if err != nil {
			b.Fatal(err)
		}
		for _, ev := range evs {
			seq++
			st.Apply(ev, projections.Meta{Seq: seq})
		}
	}
	st.VoteTable(projections.VoteFilter{}, projections.Lens{}) // the first count
	record.st, record.rcs = st, rcs
	b.ResetTimer()
	return st
}

// BenchmarkAlignRecountAfterMotion: a motion event changes which
// observations are one vote (ids, aliases), so the index counts again.
func BenchmarkAlignRecountAfterMotion(b *testing.B) {
	st := loadRecordB(b)
	seq := uint64(3_000_000)
	for b.Loop() {
		seq++
		m := events.Motion{ID: events.MustMotionID(fmt.Sprintf("bench-m-%d", seq)), Kind: events.KindDraft, Body: "UNGA",
			Topic: events.MustTopic("human-rights"), Date: events.MustDate("2020-12-30"), Outcome: events.OutcomeAdopted}
		st.Apply(events.Event{ID: events.DeterministicID("bench-motion", fmt.Sprint(seq)), Source: "bench", SchemaVersion: events.CurrentSchemaVersion, Data: m},
			projections.Meta{Seq: seq})
		st.VoteTable(projections.VoteFilter{Topic: m.Topic}, projections.Lens{})
	}
}

// TestRecordBlocMembersOfTheDay checks on the real record that a dated
// bloc's position counts only the members of each roll call's day:
// India's agreement with the NAM majority, recomputed by hand from
// MembersOn, and set beside the same bloc with today's members applied
// throughout.
func TestRecordBlocMembersOfTheDay(t *testing.T) {
	st := loadRecord(t)
	nam, _ := NewBlocs().Get("nam")
	in := events.MustCountry("IN")
	for _, c := range []struct {
		name string
		year string
	}{
		{"before the Colombo and Havana joiners", "1975"},
		{"with Argentina, before Burma's return", "1985"},
		{"after Cyprus and Malta left", "2019"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := st.VoteTable(projections.VoteFilter{From: events.MustDate(c.year + "-01-01"), To: events.MustDate(c.year + "-12-31")}, projections.Lens{})
			got := Compare(tb, in, Reference{Bloc: nam}, Agreement)
			// By hand: each roll call against the majority of the
			// members of its day, as an undated bloc.
			idx := indexOf(tb)
			i := idx[in]
			var want acc
			for _, rc := range tb.RollCalls {
				day := Bloc{ID: "day"}
				for _, m := range nam.MembersOn(rc.Day) {
					day.Members = append(day.Members, Membership{Actor: m})
				}
				if s, ok := Agreement.Score(rc.Vote(i), day.Position(tb, idx, rc)); ok {
					want.add(s)
				}
			}
			w := want.figure()
			today := Bloc{ID: "today"}
			for _, m := range nam.MembersOn(events.MustDate("2024-01-01")) {
				today.Members = append(today.Members, Membership{Actor: m})
			}
			flat := Compare(tb, in, Reference{Bloc: &today}, Agreement)
			t.Logf("IN–nam %s: %.4f over %d (today's members throughout: %.4f over %d)", c.year, got.Value, got.N, flat.Value, flat.N)
			if got.N != w.N || !near(got.Value, w.Value) {
				t.Errorf("IN–nam %s: %.4f over %d, by the members of each day %.4f over %d", c.year, got.Value, got.N, w.Value, w.N)
			}
			if got.N < 50 || got.Value < 0.8 {
				t.Errorf("IN–nam %s: %.4f over %d, want India with the NAM majority (≥ 0.8) over at least 50", c.year, got.Value, got.N)
			}
		})
	}
}

// TestRecordScale places the General Assembly's voters of 2015–2019 on
// one line: the United States and Israel at one end, Cuba, North Korea
// and Iran on the other side of 0.
func TestRecordScale(t *testing.T) {
	st := loadRecord(t)
	c := events.MustCountry
	for _, year := range []string{"2015", "2016", "2017", "2018", "2019"} {
		t.Run(year, func(t *testing.T) {
			tb := st.VoteTable(projections.VoteFilter{From: events.MustDate(year + "-01-01"), To: events.MustDate(year + "-12-31")}, projections.Lens{})
			s := Scale(tb, Agreement, 0)
			get := func(a string) ScalePosition {
				t.Helper()
				p, ok := s.Position(c(a))
				if !ok {
					t.Fatalf("%s not placed in %s", a, year)
				}
				return p
			}
			us, il, cu, kp, ir, in := get("US"), get("IL"), get("CU"), get("KP"), get("IR"), get("IN")
			t.Logf("%s: %d placed, λ₁ %.4f explaining %.4f; US %.4f (n %d), IL %.4f, IN %.4f, CU %.4f, KP %.4f, IR %.4f",
				year, len(s.Positions), s.Eigenvalue, s.Explained, us.Position, us.N, il.Position, in.Position, cu.Position, kp.Position, ir.Position)
			if len(s.Positions) < 180 {
				t.Errorf("%d actors placed", len(s.Positions))
			}
			if us.Position <= 0 || il.Position <= 0 {
				t.Errorf("US %.4f, IL %.4f: want both positive (US anchors the sign)", us.Position, il.Position)
			}
			for _, p := range []ScalePosition{cu, kp, ir} {
				if p.Position >= 0 {
					t.Errorf("%s at %.4f: want the other side of 0 from the US", p.Actor, p.Position)
				}
				// near the other end: among the 15 most negative of ~190
				rank := slices.IndexFunc(s.Positions, func(q ScalePosition) bool { return q.Actor == p.Actor })
				if rank < len(s.Positions)-15 {
					t.Errorf("%s ranks %d of %d: want it among the 15 at the negative end", p.Actor, rank+1, len(s.Positions))
				}
			}
			// The US and Israel are the two ends of the line's positive
			// side: farther out than anyone else but each other.
			top := s.Positions[:2]
			if !(top[0].Actor == c("US") || top[0].Actor == c("IL")) || !(top[1].Actor == c("US") || top[1].Actor == c("IL")) {
				t.Errorf("the two most positive are %s and %s, want US and IL", top[0].Actor, top[1].Actor)
			}
			// |US| and |IL| large: beyond 0.4, and farther from the centre
			// than any of the three (the majority side is the crowded one).
			far := max(math.Abs(cu.Position), math.Abs(kp.Position), math.Abs(ir.Position))
			for _, p := range []ScalePosition{us, il} {
				if p.Position < 0.4 || p.Position <= far {
					t.Errorf("%s at %.4f: want beyond 0.4 and beyond |CU|, |KP|, |IR| (up to %.4f)", p.Actor, p.Position, far)
				}
			}
		})
	}
}

// BenchmarkAlignAlertsNewRollCall: what the projector's alignment
// watcher adds to one new roll call of 190 votes with the whole record
// loaded (default references: the P5, the EU, the G77 and NAM), and to a
// single vote after it.
func BenchmarkAlignAlertsNewRollCall(b *testing.B) {
	st := loadRecordB(b)
	w, err := NewWatcher(NewBlocs(), AlertConfig{}, "bench")
	if err != nil {
		b.Fatal(err)
	}
	t := st.VoteTable(projections.VoteFilter{From: events.MustDate("2019-01-01"), To: events.MustDate("2019-12-31")}, projections.Lens{})
	voters := t.Actors[:min(190, len(t.Actors))]
	topic := events.MustTopic("human-rights")
	seq := uint64(3_000_000)
	k := 0
	for _, single := range []bool{false, true} {
		name := "roll call of 190"
		if single {
			name = "one vote"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				k++
				day := events.MustDate("2019-12-30")
				motion := events.MustMotionID(fmt.Sprintf("bench-alert-%d", k))
				vs := voters
				if single {
					vs = voters[:1]
				}
				var last events.Event
				for i, a := range vs {
					seq++
					last = events.Event{ID: events.DeterministicID("bench", motion.String(), a.String()), Source: "bench", SchemaVersion: events.CurrentSchemaVersion,
						Data: events.Position{Actor: a, Topic: topic, Stance: []events.Stance{events.VoteYes, events.VoteNo, events.Abstain}[i%3], Motion: motion,
							Occurred: events.OnDay(day), Evidence: events.Evidence{Producer: events.ProducerRollCall, Confidence: 1}}}
					w.Before(st, last)
					st.Apply(last, projections.Meta{Seq: seq})
				}
				w.Derive(st, last.ID, seq, time.Unix(0, 0))
			}
		})
	}
}

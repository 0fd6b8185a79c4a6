package alignment

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// votes builds the stream of TestAlertWhenAgreementMoves: IN with the US
// on ten roll calls of 2018, against it on ten of 2019, and a vote by FR
// (a member of no reference here) on each.
func alignmentStream() []events.Event {
	vote := func(actor, stance, day string, k int) events.Event {
		return events.Event{ID: events.DeterministicID("test", actor, day, fmt.Sprint(k)), Source: "test", SchemaVersion: events.CurrentSchemaVersion,
			Data: events.Position{Actor: events.MustCountry(actor), Topic: events.MustTopic("human-rights"), Stance: events.MustStance(stance),
				Motion: events.MustMotionID(fmt.Sprintf("m-%s-%d", day[:4], k)), Occurred: events.OnDay(events.MustDate(day)),
				Evidence: events.Evidence{Producer: events.ProducerRollCall, Confidence: 1}}}
	}
	var out []events.Event
	for k := range 10 {
		out = append(out, vote("US", "vote_yes", "2018-03-01", k), vote("IN", "vote_yes", "2018-03-01", k), vote("FR", "vote_yes", "2018-03-01", k))
	}
	for k := range 10 {
		out = append(out, vote("US", "vote_yes", "2019-03-01", k), vote("IN", "vote_no", "2019-03-01", k), vote("FR", "vote_yes", "2019-03-01", k))
	}
	return out
}

// run folds evs into st in runs of the given sizes (the last run takes
// the rest), as the projector does, and returns the alerts derived.
func run(t *testing.T, st *projections.State, w *Watcher, evs []events.Event, size int, seq *uint64) []events.Event {
	t.Helper()
	var out []events.Event
	for len(evs) > 0 {
		n := min(size, len(evs))
		for _, ev := range evs[:n] {
			*seq++
			w.Before(st, ev)
			st.Apply(ev, projections.Meta{Seq: *seq, Recorded: time.Unix(int64(*seq), 0)})
		}
		last := evs[n-1]
		out = append(out, w.Derive(st, last.ID, *seq, time.Unix(int64(*seq), 0))...)
		evs = evs[n:]
	}
	return out
}

func TestWatcher(t *testing.T) {
	refs := []Reference{{Actor: events.MustCountry("US")}}
	for _, tc := range []struct {
		name string
		size int // events a run
	}{
		{"one event a run", 1},
		{"a roll call a run", 3},
		{"everything in one run", 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := projections.New()
			w, err := NewWatcher(NewBlocs(), AlertConfig{References: refs}, "test/projection")
			if err != nil {
				t.Fatal(err)
			}
			var seq uint64
			stream := alignmentStream()
			alerts := run(t, st, w, stream, tc.size, &seq)
			// IN against the US moved 1 → 0 in 2019; and the US against IN
			// (the reference is the actor IN is compared with, not the
			// other way round) is not a pair: only references are.
			if len(alerts) != 1 {
				t.Fatalf("%d alerts: %+v", len(alerts), alerts)
			}
			a := alerts[0].Data.(events.AlignmentAlert)
			if a.Actor != events.MustCountry("IN") || a.Reference != "US" || a.Period != "2019" || a.Before.Value != 1 || a.After.Value != 0 ||
				a.After.N != 10 || len(a.Evidence) != 10 || a.Delta != -1 {
				t.Errorf("alert %+v", a)
			}
			if err := alerts[0].Validate(); err != nil {
				t.Errorf("the alert does not validate: %v", err)
			}
			if want := alerts[0].Subject(); want != "alignment.IN.US.human-rights."+alerts[0].ID.String() {
				t.Errorf("subject %s", want)
			}
			// The incremental view equals a count from scratch.
			fresh, _ := NewWatcher(NewBlocs(), AlertConfig{References: refs}, "test/projection")
			fresh.Before(st, stream[len(stream)-1])
			for k, moves := range fresh.known {
				if !maps.EqualFunc(moves, w.known[k], func(a, b Move) bool { return a.Key() == b.Key() && a.Delta == b.Delta }) {
					t.Errorf("%v: incremental %v, from scratch %v", k, w.known[k], moves)
				}
			}
			// A replica that folds the same runs derives the same ids.
			st2 := projections.New()
			w2, _ := NewWatcher(NewBlocs(), AlertConfig{References: refs}, "test/projection")
			var seq2 uint64
			again := run(t, st2, w2, stream, tc.size, &seq2)
			if len(again) != 1 || again[0].ID != alerts[0].ID {
				t.Errorf("a replica derived %v, want %v", again, alerts)
			}
			// Retracting one of IN's 2019 votes leaves 9 roll calls: the move
			// is gone, which raises nothing; voting again raises it anew.
			target := stream[len(stream)-2]
			retract := events.Event{ID: events.DeterministicID("retract"), Source: "test", SchemaVersion: events.CurrentSchemaVersion,
				Data: events.Retraction{Target: target.ID, Reason: "wrong", Actor: events.MustCountry("IN"), Topic: events.MustTopic("human-rights")}}
			if got := run(t, st, w, []events.Event{retract}, 1, &seq); len(got) != 0 {
				t.Errorf("a retraction raised %+v", got)
			}
			redo := target
			redo.ID = events.DeterministicID("redo")
			got := run(t, st, w, []events.Event{redo}, 1, &seq)
			if len(got) != 1 || got[0].ID == alerts[0].ID || got[0].Data.(events.AlignmentAlert).Cause != redo.ID {
				t.Errorf("voting again raised %+v", got)
			}
		})
	}
}

func TestAlertConfigValidate(t *testing.T) {
	us := []Reference{{Actor: events.MustCountry("US")}}
	for _, tc := range []struct {
		name string
		c    AlertConfig
		ok   bool
	}{
		{"defaults", AlertConfig{}.WithDefaults(NewBlocs()), true},
		{"threshold of 1", AlertConfig{Threshold: 1, MinN: 10, Measure: Agreement, Evidence: 10, References: us}, false},
		{"negative threshold", AlertConfig{Threshold: -0.1, MinN: 10, Measure: Agreement, Evidence: 10, References: us}, false},
		{"no roll calls", AlertConfig{Threshold: 0.1, MinN: -1, Measure: Agreement, Evidence: 10, References: us}, false},
		{"unknown measure", AlertConfig{Threshold: 0.1, MinN: 10, Measure: "nominate", Evidence: 10, References: us}, false},
		{"no references", AlertConfig{Threshold: 0.1, MinN: 10, Measure: Agreement, Evidence: 10, References: []Reference{}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.c.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

package alignment

import (
	"fmt"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// TestAlertWhenAgreementMoves: IN votes with the US on ten roll calls in
// 2018 and against it on ten in 2019; the vote that completes 2019's
// tenth roll call raises one move (1 → 0), with evidence, and applying it
// again raises nothing.
func TestAlertWhenAgreementMoves(t *testing.T) {
	st := projections.New()
	seq := uint64(0)
	vote := func(actor, stance, day string, k int) events.Event {
		seq++
		ev := events.Event{ID: events.DeterministicID("test", actor, day, fmt.Sprint(k)), Source: "test", SchemaVersion: events.CurrentSchemaVersion,
			Data: events.Position{Actor: events.MustCountry(actor), Topic: events.MustTopic("human-rights"), Stance: events.MustStance(stance),
				Motion: events.MustMotionID(fmt.Sprintf("m-%s-%d", day[:4], k)), Occurred: events.OnDay(events.MustDate(day)),
				Evidence: events.Evidence{Producer: events.ProducerRollCall, Confidence: 1}}}
		return ev
	}
	apply := func(ev events.Event) { st.Apply(ev, projections.Meta{Seq: seq, Recorded: time.Unix(int64(seq), 0)}) }
	for k := range 10 {
		apply(vote("US", "vote_yes", "2018-03-01", k))
		apply(vote("IN", "vote_yes", "2018-03-01", k))
		apply(vote("US", "vote_yes", "2019-03-01", k))
		if k < 9 {
			apply(vote("IN", "vote_no", "2019-03-01", k))
		}
	}
	c := AlertConfig{References: []Reference{{Actor: events.MustCountry("US")}}}.WithDefaults(NewBlocs())
	last := vote("IN", "vote_no", "2019-03-01", 9)
	topic, year, actor, ok := Watch(last, st)
	if !ok || year != 2019 || actor != events.MustCountry("IN") {
		t.Fatalf("Watch = %v %v %v %v", topic, year, actor, ok)
	}
	before := Moves(st, topic, year, actor, c)
	apply(last)
	after := Moves(st, topic, year, actor, c)
	moves := NewMoves(before, after)
	if len(moves) != 1 {
		t.Fatalf("moves %+v", moves)
	}
	m := moves[0]
	if m.Key() != "IN/US/human-rights/agreement/2019" || m.Before.Value != 1 || m.After.Value != 0 || m.Delta != -1 || len(m.Evidence) != 10 {
		t.Errorf("move %+v", m)
	}
	if m.ID(last.ID) != m.ID(last.ID) || m.ID(last.ID) == m.ID(events.DeterministicID("other")) {
		t.Error("alert ids are not derived from the move and its cause")
	}
	if again := NewMoves(after, Moves(st, topic, year, actor, c)); len(again) != 0 {
		t.Errorf("a second look raised %+v", again)
	}
}

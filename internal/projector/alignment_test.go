package projector

import (
	"fmt"
	"testing"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/projections/alignment"
)

func alignmentAlerts(t *testing.T, s *store.Store) []events.Event {
	t.Helper()
	var out []events.Event
	err := s.Subscribe(ctxT(t), eventlog.SubscribeOptions{Alignment: true, CatchUp: true}, func(d eventlog.Delivery) error {
		ev, err := events.Decode(d.Data)
		if err != nil {
			return err
		}
		out = append(out, ev)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func watcher(t *testing.T) Deriver {
	t.Helper()
	w, err := alignment.NewWatcher(alignment.NewBlocs(), alignment.AlertConfig{References: []alignment.Reference{{Actor: events.MustCountry("US")}}}, "test/projection")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestAlignmentAlertsOnceAcrossReplicas: India votes with the United
// States on ten roll calls of 2018 and against it on ten of 2019, each
// roll call an atomic batch. The projector publishes one alignment alert,
// on India's subject; a second replica folding the same stream derives
// the same alert, and the stream keeps one.
func TestAlignmentAlertsOnceAcrossReplicas(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	p := runProjector(t, s, Config{NoCheckpoints: true, Alerts: true, AlertSource: "replica-1", Derive: watcher(t)})
	vote := func(actor, stance string, year, k int) events.Event {
		pos := events.Position{Actor: events.MustCountry(actor), Topic: events.MustTopic("human-rights"), Stance: events.MustStance(stance),
			Motion: events.MustMotionID(fmt.Sprintf("A/RES/%d/%d", year-1945, k+1)), Occurred: events.OnDay(events.MustDate(fmt.Sprintf("%d-12-01", year))),
			Evidence: events.Evidence{Quote: "roll call", Producer: events.ProducerRollCall, Confidence: 1}}
		return events.Event{ID: events.DeterministicID("vote", actor, fmt.Sprint(year, k)), Source: "test/votes", SchemaVersion: events.CurrentSchemaVersion, Data: pos}
	}
	var last uint64
	for _, year := range []int{2018, 2019} {
		in := "vote_yes"
		if year == 2019 {
			in = "vote_no"
		}
		for k := range 10 {
			acks, err := s.AppendBatch(ctx, []events.Event{vote("US", "vote_yes", year, k), vote("IN", in, year, k), vote("FR", "vote_yes", year, k)})
			if err != nil {
				t.Fatal(err)
			}
			last = acks[len(acks)-1].Seq
		}
	}
	if err := p.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	got := alignmentAlerts(t, s)
	if len(got) != 1 {
		t.Fatalf("%d alignment alerts, want 1: %+v", len(got), got)
	}
	a := got[0].Data.(events.AlignmentAlert)
	if a.Actor != events.MustCountry("IN") || a.Reference != "US" || a.Period != "2019" || a.Delta != -1 || a.CauseSeq != last {
		t.Errorf("alert %+v", a)
	}
	runProjector(t, s, Config{NoCheckpoints: true, Alerts: true, AlertSource: "replica-1", Derive: watcher(t)})
	if again := alignmentAlerts(t, s); len(again) != 1 || again[0].ID != got[0].ID {
		t.Fatalf("after a second replica: %+v", again)
	}
	// India's own turn from yes to no is a shift, in the shifts stream.
	if shifts := shiftAlerts(t, s); len(shifts) != 1 || shifts[0].Actor != events.MustCountry("IN") {
		t.Errorf("shift alerts %+v", shifts)
	}
}

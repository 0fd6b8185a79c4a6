package projections

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// BenchmarkReadSnapshot: loading a checkpoint of a record-sized state
// (150 actors voting on 2,000 roll calls filed under 3 topics: 900,000
// observations), as a restart does.
func BenchmarkReadSnapshot(b *testing.B) {
	s := New()
	var actors []events.Country
	for _, c := range events.AllCountries() {
		if len(actors) == 150 {
			break
		}
		actors = append(actors, c)
	}
	topics := []events.Topic{events.MustTopic("human-rights"), events.MustTopic("arms-control"), events.MustTopic("palestinian-conflict")}
	stances := []events.Stance{events.VoteYes, events.VoteNo, events.Abstain}
	seq := uint64(0)
	for rc := range 2000 {
		day := events.MustDate("1950-01-01").AddDays(rc * 12)
		motion := events.MustMotionID(fmt.Sprintf("A/RES/%d/%d", 5+rc/30, rc%30+1))
		// Each roll call's motion, as the bundled record has them: a
		// snapshot restores them after the observations that name them.
		seq++
		s.Apply(events.Event{ID: events.DeterministicID("bench", motion.String()), Source: "bench/votes", SchemaVersion: events.CurrentSchemaVersion,
			Data: events.Motion{ID: motion, Kind: events.KindResolution, Body: "UNGA", Title: "Resolution " + motion.String(), Topic: topics[0], Date: day, Outcome: events.OutcomeAdopted}},
			Meta{Seq: seq, Recorded: time.Unix(int64(seq), 0)})
		for _, t := range topics {
			for i, a := range actors {
				seq++
				p := events.Position{Actor: a, Topic: t, Stance: stances[(i+rc)%3], Motion: motion, Occurred: events.OnDay(day),
					Evidence: events.Evidence{URL: "https://undocs.org/" + motion.String(), Citation: "UN roll call", Producer: events.ProducerRollCall, Confidence: 1}}
				s.Apply(events.Event{ID: events.DeterministicID("bench", motion.String(), a.String(), t.String()), Source: "bench/votes",
					SchemaVersion: events.CurrentSchemaVersion, Data: p}, Meta{Seq: seq, Recorded: time.Unix(int64(seq), 0)})
			}
		}
	}
	snap := snapshotBytes(b, s)
	b.ReportMetric(float64(len(snap))/1e6, "MB")
	b.ResetTimer()
	for b.Loop() {
		if _, err := ReadSnapshot(bytes.NewReader(snap)); err != nil {
			b.Fatal(err)
		}
	}
}

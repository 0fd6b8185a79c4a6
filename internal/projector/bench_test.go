package projector

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/store"
)

const replayEvents = 100_000

// replayStore is a store holding replayEvents positions: 200 actors, 40
// topics, roll calls of fifteen on one motion, fifty a day.
func replayStore(b *testing.B) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), store.Config{DataDir: b.TempDir(), Listen: "off", Sync: store.Sync{Interval: time.Second}, Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	evs := make([]events.Event, replayEvents)
	countries, stances, day := events.AllCountries(), events.Stances(), events.MustDate("2000-01-01")
	for i := range evs {
		p := events.Position{
			Actor: countries[i%200], Topic: events.MustTopic(fmt.Sprintf("topic-%d", i%40)), Stance: stances[i%9],
			Motion: events.MustMotionID(fmt.Sprintf("S/2024/%d", i/15%900+1)), Occurred: events.OnDay(day.AddDays(i / 50)),
			Evidence: events.Evidence{Quote: fmt.Sprintf("roll call vote %d of the replay benchmark", i),
				URL: "https://press.example.org/en/2024/sc15641.doc.htm", Producer: events.ProducerRollCall, Confidence: 1},
		}
		evs[i] = events.Event{ID: events.DeterministicID("replay", fmt.Sprint(i)), Source: "bench", SchemaVersion: events.CurrentSchemaVersion, Data: p}
	}
	if _, err := s.AppendMany(context.Background(), evs); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkProjectorReplay folds a stream of 100,000 positions from
// sequence 1 with the real projector (decode, check, apply), with the
// garbage collector's target raised as serve raises it.
func BenchmarkProjectorReplay(b *testing.B) {
	s := replayStore(b)
	var gc GCBoost
	b.ResetTimer()
	for b.Loop() {
		p := NewProjection()
		w := mustNew(b, s, p, Config{NoCheckpoints: true, Replaying: gc.Replaying})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		if err := p.WaitFor(context.Background(), replayEvents); err != nil {
			b.Fatal(err)
		}
		cancel()
		<-done
	}
	b.ReportMetric(float64(replayEvents)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRawReplay reads the same stream with an ordered consumer that
// only counts: the ceiling of BenchmarkProjectorReplay.
func BenchmarkRawReplay(b *testing.B) {
	s := replayStore(b)
	b.ResetTimer()
	for b.Loop() {
		got := 0
		err := s.Subscribe(context.Background(), eventlog.SubscribeOptions{CatchUp: true}, func(eventlog.Delivery) error { got++; return nil })
		if err != nil || got != replayEvents {
			b.Fatal(err, got)
		}
	}
	b.ReportMetric(float64(replayEvents)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

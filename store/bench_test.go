package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// BenchmarkProjectorReplay folds a stream of 100,000 positions from
// sequence 1 with the real projector (decode, check, apply).
func BenchmarkProjectorReplay(b *testing.B) {
	s, err := Open(context.Background(), Config{DataDir: b.TempDir(), Listen: "off", Sync: Sync{Interval: time.Second}, Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 100_000
	evs := make([]events.Event, n)
	countries := events.AllCountries()
	for i := range evs {
		p := events.Position{
			Actor: countries[i%200], Topic: events.MustTopic(fmt.Sprintf("topic-%d", i%40)), Stance: events.Stances()[i%9],
			Motion: events.MustMotionID(fmt.Sprintf("S/2024/%d", i/15%900+1)), Occurred: events.OnDay(events.MustDate("2000-01-01").AddDays(i / 50)),
			Evidence: events.Evidence{Quote: fmt.Sprintf("the delegation voted on the draft resolution, observation number %d of the benchmark", i),
				URL: "https://press.example.org/en/2024/sc15641.doc.htm", Producer: events.ProducerRollCall, Confidence: 1},
		}
		evs[i] = events.Event{ID: events.DeterministicID("bench", fmt.Sprint(i)), Source: "bench", SchemaVersion: events.CurrentSchemaVersion, Data: p}
	}
	if _, err := s.AppendMany(context.Background(), evs); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		p := NewProjection()
		w := s.NewProjector(p, ProjectorConfig{NoCheckpoints: true, Logger: quiet()})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		if err := p.WaitFor(context.Background(), n); err != nil {
			b.Fatal(err)
		}
		cancel()
		<-done
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRawReplay reads the same stream with an ordered consumer that
// only counts: the ceiling of BenchmarkProjectorReplay.
func BenchmarkRawReplay(b *testing.B) {
	s, err := Open(context.Background(), Config{DataDir: b.TempDir(), Listen: "off", Sync: Sync{Interval: time.Second}, Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 100_000
	evs := make([]events.Event, n)
	for i := range evs {
		p := events.Position{
			Actor: events.AllCountries()[i%200], Topic: events.MustTopic(fmt.Sprintf("topic-%d", i%40)), Stance: events.Stances()[i%9],
			Occurred: events.OnDay(events.MustDate("2000-01-01").AddDays(i / 50)),
			Evidence: events.Evidence{Quote: fmt.Sprintf("the delegation voted on the draft resolution, observation number %d of the benchmark", i),
				URL: "https://press.example.org/en/2024/sc15641.doc.htm", Producer: events.ProducerRollCall, Confidence: 1},
		}
		evs[i] = events.Event{ID: events.DeterministicID("bench", fmt.Sprint(i)), Source: "bench", SchemaVersion: events.CurrentSchemaVersion, Data: p}
	}
	if _, err := s.AppendMany(context.Background(), evs); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		got := 0
		err := s.Subscribe(context.Background(), SubscribeOptions{CatchUp: true}, func(Delivery) error { got++; return nil })
		if err != nil || got != n {
			b.Fatal(err, got)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

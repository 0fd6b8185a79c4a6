package store

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
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

// BenchmarkAppendConcurrent appends single events from 16 goroutines,
// each waiting for its acknowledgement, with fsync always: the group
// commit's case.
func BenchmarkAppendConcurrent(b *testing.B) {
	s, err := Open(context.Background(), Config{DataDir: b.TempDir(), Listen: "off", Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var n atomic.Int64
	b.SetParallelism(16 / runtime.GOMAXPROCS(0))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			ev := events.Event{ID: events.DeterministicID("bench-append", fmt.Sprint(i)), Source: "bench", SchemaVersion: events.CurrentSchemaVersion,
				Data: events.Position{Actor: events.AllCountries()[i%200], Topic: events.MustTopic("gaza-ceasefire"), Stance: events.Stances()[i%9],
					Occurred: events.OnDay(events.MustDate("2024-02-20")),
					Evidence: events.Evidence{Quote: "the delegation voted on the draft resolution", Producer: events.ProducerAnalyst, Confidence: 1}}}
			if _, err := s.Append(context.Background(), ev); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	st := s.GroupCommitStats()
	b.ReportMetric(float64(st.Busy.Microseconds())/float64(st.Fsyncs), "fsync-us")
	b.ReportMetric(float64(st.Appends)/float64(st.Fsyncs), "per-fsync")
}

// BenchmarkAppendGroups bulk-loads roll calls of fifteen, packed whole into
// atomic batches of up to 1000, with fsync always.
func BenchmarkAppendGroups(b *testing.B) {
	s, err := Open(context.Background(), Config{DataDir: b.TempDir(), Listen: "off", Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := 0
	b.ResetTimer()
	for b.Loop() {
		var groups [][]events.Event
		for range 200 {
			var g []events.Event
			for range 15 {
				n++
				g = append(g, events.Event{ID: events.DeterministicID("bench-groups", fmt.Sprint(n)), Source: "bench", SchemaVersion: events.CurrentSchemaVersion,
					Data: events.Position{Actor: events.AllCountries()[n%200], Topic: events.MustTopic("gaza-ceasefire"), Stance: events.Stances()[n%9],
						Motion: events.MustMotionID(fmt.Sprintf("S/2024/%d", n/15)), Occurred: events.OnDay(events.MustDate("2024-02-20")),
						Evidence: events.Evidence{Quote: "the delegation voted on the draft resolution", Producer: events.ProducerRollCall, Confidence: 1}}})
			}
			groups = append(groups, g)
		}
		if _, err := s.AppendGroups(context.Background(), groups, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

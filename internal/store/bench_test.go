package store

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stancewatch/stancewatch/events"
)

// benchEvent is the i-th position of the benchmarks: 200 actors, 40
// topics, roll calls of fifteen on one motion, fifty a day.
func benchEvent(name string, i int) events.Event {
	p := events.Position{
		Actor: events.AllCountries()[i%200], Topic: events.MustTopic(fmt.Sprintf("topic-%d", i%40)), Stance: events.Stances()[i%9],
		Motion: events.MustMotionID(fmt.Sprintf("S/2024/%d", i/15%900+1)), Occurred: events.OnDay(events.MustDate("2000-01-01").AddDays(i / 50)),
		Evidence: events.Evidence{Quote: fmt.Sprintf("the delegation voted on the draft resolution, observation number %d of the benchmark", i),
			URL: "https://press.example.org/en/2024/sc15641.doc.htm", Producer: events.ProducerRollCall, Confidence: 1},
	}
	return events.Event{ID: events.DeterministicID(name, fmt.Sprint(i)), Source: "bench", SchemaVersion: events.CurrentSchemaVersion, Data: p}
}

// benchStore opens an embedded store for a benchmark.
func benchStore(b *testing.B, sync Sync) *Store {
	b.Helper()
	s, err := Open(context.Background(), Config{DataDir: b.TempDir(), Listen: "off", Sync: sync, Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	return s
}

// BenchmarkAppendConcurrent appends single events from 16 goroutines,
// each waiting for its acknowledgement, with fsync always: the group
// commit's case.
func BenchmarkAppendConcurrent(b *testing.B) {
	s := benchStore(b, Sync{Always: true})
	var n atomic.Int64
	b.SetParallelism(16 / runtime.GOMAXPROCS(0))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Append(context.Background(), benchEvent("bench-append", int(n.Add(1)))); err != nil {
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
	s := benchStore(b, Sync{Always: true})
	n := 0
	for b.Loop() {
		groups := make([][]events.Event, 200)
		for g := range groups {
			for range 15 {
				groups[g] = append(groups[g], benchEvent("bench-groups", n))
				n++
			}
		}
		if _, err := s.AppendGroups(context.Background(), groups, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

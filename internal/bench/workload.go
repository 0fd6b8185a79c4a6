// Package bench is stancewatch's load tool: it runs one workload through
// stancewatch's own paths and through raw JetStream, on embedded servers
// on this machine, and reports each figure with its ratio to the raw
// ceiling. `stancewatch bench` prints the report.
package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/stancewatch/stancewatch/events"
)

// Workload makes a reproducible stream of positions that looks like the
// real one: about 200 states, a few dozen topics, roll calls of fifteen,
// quotes of a sentence, a few dozen sources.
type Workload struct {
	rng     *rand.Rand
	seed    uint64
	actors  []events.Country
	topics  []events.Topic
	sources []string
	n       int
}

// NewWorkload returns a workload seeded with seed. Its event ids are
// unique to the seed.
func NewWorkload(seed uint64) *Workload {
	w := &Workload{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), seed: seed}
	all := events.AllCountries()
	for i := 0; i < len(all); i += len(all) / 200 {
		w.actors = append(w.actors, all[i])
	}
	for i := range 40 {
		w.topics = append(w.topics, events.MustTopic(fmt.Sprintf("topic-%02d", i)))
	}
	for i := range 50 {
		w.sources = append(w.sources, fmt.Sprintf("https://press.example.org/en/2024/sc%05d.doc.htm", 15000+i))
	}
	return w
}

var words = []string{"the", "council", "delegation", "voted", "against", "draft", "resolution", "ceasefire", "humanitarian",
	"abstained", "supported", "text", "ambassador", "said", "immediate", "release", "hostages", "aid", "statement", "negotiations"}

// Next returns the next event of the workload.
func (w *Workload) Next() events.Event {
	w.n++
	day := events.MustDate("2000-01-01").AddDays(w.n / 50)
	quote := make([]byte, 0, 128)
	for len(quote) < 90+w.rng.IntN(40) {
		if len(quote) > 0 {
			quote = append(quote, ' ')
		}
		quote = append(quote, words[w.rng.IntN(len(words))]...)
	}
	producer := events.ProducerRollCall
	switch r := w.rng.IntN(10); {
	case r == 0:
		producer = events.ProducerAnalyst
	case r < 3:
		producer = events.ProducerNews
	}
	p := events.Position{
		Actor:    w.actors[w.rng.IntN(len(w.actors))],
		Topic:    w.topics[w.rng.IntN(len(w.topics))],
		Stance:   events.Stances()[w.rng.IntN(9)],
		Motion:   events.MustMotionID(fmt.Sprintf("S/%d/%d", 2000+w.n/20000, (w.n/15)%1000+1)),
		Occurred: events.OnDay(day),
		Evidence: events.Evidence{Quote: string(quote), URL: w.sources[w.rng.IntN(len(w.sources))],
			Document: "bench.jsonl", Producer: producer, Confidence: float64(50+w.rng.IntN(51)) / 100},
	}
	return events.Event{
		// Workloads of different seeds never share an id: concurrent
		// writers of the same run must each store their own events, not
		// each other's duplicates.
		ID: events.DeterministicID("bench", fmt.Sprintf("%d/%d", w.seed, w.n)), Source: "stancewatch/bench",
		SchemaVersion: events.CurrentSchemaVersion, Data: p,
	}
}

// Events returns the next n events.
func (w *Workload) Events(n int) []events.Event {
	out := make([]events.Event, n)
	for i := range out {
		out[i] = w.Next()
	}
	return out
}

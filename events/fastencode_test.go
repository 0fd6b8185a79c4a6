package events

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestFastEncodeIsMarshalJSON holds the fast position encoder to the
// general one, byte for byte, over random positions: plain and escaped
// strings, instants and days, offsets, corrections, every confidence
// shape encoding/json writes differently.
func TestFastEncodeIsMarshalJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "plain words", `a "quoted" word`, "back\\slash", "<b>&amp;</b>", "Côte d’Ivoire", "tab\there", "line\nbreak",
		"\u2028", "https://undocs.org/en/A/RES/68/262", "Voeten UNGA voting data, rcid 5309", string([]byte{0xff, 'x'})}
	confidences := []float64{0, 1, 0.5, 0.123456789, 1e-7, 3e-6, 0.999999999}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	plain := []string{"", "plain words", "Voeten UNGA voting data, rcid 5309", "unsc_gaza_rollcalls.json#2024-03-25-res2728"}
	text := func() string {
		if rng.IntN(10) < 8 {
			return pick(plain)
		}
		return pick(texts)
	}
	countries := AllCountries()
	fast := 0
	for i := range 5000 {
		p := Position{
			Actor: countries[rng.IntN(len(countries))], Topic: MustTopic(pick([]string{"gaza-ceasefire", "human-rights", "a-b-c"})),
			Stance: stanceAt(1 + rng.IntN(len(stanceNames)-1)), Occurred: OnDay(MustDate("2024-03-26").AddDays(rng.IntN(20000) - 10000)),
			Evidence: Evidence{Quote: text(), URL: pick([]string{"", "https://example.org/a?b=c&d=e", "https://undocs.org/en/S/RES/2728"}),
				Citation: text(), Document: text(), Producer: []Producer{ProducerRollCall, ProducerNews, ProducerAnalyst}[rng.IntN(3)],
				Confidence: confidences[rng.IntN(len(confidences))]},
		}
		if rng.IntN(3) == 0 {
			p.Motion = MustMotionID(pick([]string{"S/RES/2728", "A/RES/181(II)", "2023-10-16-ru-draft"}))
		}
		if rng.IntN(4) == 0 {
			p.Occurred = At(time.Date(2024, 3, 26, rng.IntN(24), rng.IntN(60), 0, rng.IntN(1e9), time.UTC))
		}
		if rng.IntN(4) == 0 {
			p.From = stanceAt(1 + rng.IntN(len(stanceNames)-1))
		}
		if rng.IntN(5) == 0 {
			p.Supersedes = uuid.New()
		}
		if rng.IntN(5) == 0 {
			off := int64(rng.IntN(1 << 20))
			p.Evidence.Offset = &off
		}
		e := Event{ID: uuid.New(), Source: pick([]string{"stancewatch/votes/unvotes", "stancewatch/votes/dataset", "analyst/ana&bob"}), SchemaVersion: CurrentSchemaVersion, Data: p}
		if rng.IntN(2) == 0 {
			e.Time = time.Date(2025, 1, 2, 3, 4, 5, rng.IntN(1e9), time.UTC)
		}
		got, err := e.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		want, err := e.marshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("event %d:\nfast    %s\ngeneral %s", i, got, want)
		}
		if _, ok := appendPositionFast(nil, e, p); ok {
			fast++
		}
	}
	if fast < 100 {
		t.Fatalf("the fast path took only %d of 5000 events: the test does not test it", fast)
	}
}

func stanceAt(rank int) Stance {
	st, _ := StanceFromRank(rank)
	return st
}

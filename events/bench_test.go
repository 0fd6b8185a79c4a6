package events

import (
	"testing"
)

func benchEvent() []byte {
	off := int64(120)
	ev := Event{ID: NewID(), Source: "stancewatch/bench", SchemaVersion: CurrentSchemaVersion, Data: Position{
		Actor: MustCountry("US"), Topic: MustTopic("gaza-ceasefire"), Stance: Abstain, Motion: MustMotionID("S/2024/239"),
		Occurred: OnDay(MustDate("2024-03-25")),
		Evidence: Evidence{Quote: "the delegation abstained on the draft resolution calling for an immediate humanitarian ceasefire and the release of hostages",
			URL: "https://press.example.org/en/2024/sc15641.doc.htm", Document: "bench.jsonl", Offset: &off, Producer: ProducerNews, Confidence: 0.8}}}
	b, err := ev.Encode()
	if err != nil {
		panic(err)
	}
	return b
}

// BenchmarkDecode measures reading one position as a replay does: through
// one Decoder, which has seen the event's repeated values before.
func BenchmarkDecode(b *testing.B) {
	data := benchEvent()
	dec := NewDecoder()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dec.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeParallel is BenchmarkDecode with every goroutine sharing
// the Decoder.
func BenchmarkDecodeParallel(b *testing.B) {
	data := benchEvent()
	dec := NewDecoder()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := dec.Decode(data); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkDecodeNoDecoder measures the package's Decode, which remembers
// nothing between events: what a one-off read costs.
func BenchmarkDecodeNoDecoder(b *testing.B) {
	data := benchEvent()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode measures encoding one position as a producer does.
func BenchmarkEncode(b *testing.B) {
	ev, _ := Decode(benchEvent())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ev.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

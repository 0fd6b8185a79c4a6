package events

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// FuzzDecode: no input makes Decode panic; whatever it accepts encodes,
// and decodes back to the same encoding; whatever it refuses is refused
// with one of the package's sentinel errors. A Decoder that has seen every
// earlier input decodes it as Decode does.
func FuzzDecode(f *testing.F) {
	b, _ := samplePosition().Encode()
	f.Add(b)
	f.Add([]byte(`{"type":"org.stancewatch.motion","specversion":"1.0","id":"0190c7a2-7a5e-7cc0-8000-000000000001","source":"x","data":{"id":"2728","kind":"resolution","topic":"t","date":"2024-03-25","outcome":"adopted","sources":[{"url":"https://example.org"}]}}`))
	f.Add([]byte(`{"type":"org.stancewatch.position","schemaversion":1,"specversion":"1.0","id":"0190c7a2-7a5e-7cc0-8000-000000000002","source":"x","data":{"actor":"USA","topic":"g","stance":"N","occurred":"2024-02-29","evidence":{"source":"a ref","producer":"news"}}}`))
	f.Add([]byte(`{"type":"org.stancewatch.retraction","data":{"target":"x"}}`))
	f.Add([]byte(`{"type":"org.stancewatch.retraction","traceparent":"00-x","Bad_Name":1,"priority":7,"data":{"target":"0190c7a2-7a5e-7cc0-8000-000000000001","reason":"r","topic":"t"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"data":null}`))
	dec := NewDecoder() // shared by every input, as a replay shares one
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, opts := range [][]DecodeOption{nil, {Strict()}} {
			ev, err := Decode(in, opts...)
			dev, derr := dec.Decode(in, opts...)
			if (err == nil) != (derr == nil) || err != nil && err.Error() != derr.Error() {
				t.Fatalf("Decode and a Decoder disagree on\n%s\nDecode: %v\nDecoder: %v", in, err, derr)
			}
			if err == nil {
				a, _ := ev.MarshalJSON()
				b, _ := dev.MarshalJSON()
				if !bytes.Equal(a, b) || !ev.Time.Equal(dev.Time) {
					t.Fatalf("Decode and a Decoder disagree on\n%s\nDecode: %s\nDecoder: %s", in, a, b)
				}
			}
			if err != nil {
				if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("error %v wraps no sentinel", err)
				}
				continue
			}
			out, err := ev.Encode()
			if err != nil {
				t.Fatalf("decoded %q but cannot encode it: %v", in, err)
			}
			again, err := Decode(out, Strict())
			if err != nil {
				t.Fatalf("re-decoding %s: %v", out, err)
			}
			out2, _ := again.Encode()
			if !bytes.Equal(out, out2) {
				t.Fatalf("encoding is not stable:\n%s\n%s", out, out2)
			}
		}
	})
}

// FuzzFastDecode holds the fast path to the general one: whatever the
// fast path accepts, the general path accepts too, as the same event;
// with no caches, and through a Decoder that has seen every earlier input.
func FuzzFastDecode(f *testing.F) {
	f.Add(benchEvent())
	b, _ := samplePosition().Encode()
	f.Add(b)
	f.Add([]byte(`{"specversion":"1.0","id":"0190c7a2-7a5e-7cc0-8000-000000000001","source":"x","type":"org.stancewatch.position","schemaversion":2,"data":{"actor":"US","topic":"t","stance":"veto","occurred":"2024-02-20","evidence":{"quote":"q","producer":"news","offset":01}}}`))
	// extension attributes and dataschema: the general path's alone
	f.Add([]byte(`{"specversion":"1.0","id":"0190c7a2-7a5e-7cc0-8000-000000000001","source":"x","type":"org.stancewatch.position","schemaversion":2,"dataschema":"https://example.org/s","partitionkey":"US","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","data":{"actor":"US","topic":"t","stance":"veto","occurred":"2024-02-20","evidence":{"quote":"q","producer":"news"}}}`))
	dec := NewDecoder()
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, d := range []*Decoder{nil, dec} {
			fast, err := d.decodeFast(in)
			if err != nil {
				continue
			}
			slow, err := Decode(in, func(o *decodeOptions) { o.noFast = true })
			if err != nil {
				t.Fatalf("the fast path accepted what the general path refuses (%v):\n%s", err, in)
			}
			fb, _ := fast.MarshalJSON()
			sb, _ := slow.MarshalJSON()
			if !bytes.Equal(fb, sb) || !fast.Time.Equal(slow.Time) {
				t.Fatalf("the paths disagree on\n%s\nfast: %s\nslow: %s", in, fb, sb)
			}
		}
	})
}

// TestFastPathTakesWhatEncodeWrites: every position Encode writes goes
// through the fast path, with or without a Decoder's caches, and comes
// out as the general path reads it.
func TestFastPathTakesWhatEncodeWrites(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	dec := NewDecoder()
	countries := AllCountries()
	for i := range 2000 {
		p := Position{
			Actor: countries[rng.IntN(len(countries))], Topic: MustTopic(fmt.Sprintf("t-%d", rng.IntN(50))),
			Stance: Stances()[rng.IntN(9)], Occurred: OnDay(MustDate("1990-01-01").AddDays(rng.IntN(20000))),
			Evidence: Evidence{Quote: fmt.Sprintf("quote %d — “curly” ünïcödé", i), Producer: []Producer{ProducerRollCall, ProducerNews, ProducerAnalyst}[rng.IntN(3)],
				Confidence: float64(rng.IntN(101)) / 100},
		}
		if rng.IntN(2) == 0 {
			p.Motion = MustMotionID(fmt.Sprintf("S/2024/%d", rng.IntN(900)+1))
		}
		if rng.IntN(3) == 0 && p.Stance != Veto {
			p.From = Veto
		}
		if rng.IntN(2) == 0 {
			off := int64(rng.IntN(100000))
			p.Evidence.Offset = &off
			p.Evidence.URL = "https://example.org/" + fmt.Sprint(rng.IntN(10))
		} else {
			p.Evidence.Citation = "a reference"
		}
		if rng.IntN(4) == 0 {
			p.Occurred = At(time.Date(2024, 3, 25, rng.IntN(24), rng.IntN(60), 0, rng.IntN(1e9), time.UTC))
		}
		if rng.IntN(5) == 0 {
			p.Supersedes = NewID()
		}
		ev := Event{ID: NewID(), Source: "src", Time: time.Now(), SchemaVersion: CurrentSchemaVersion, Data: p}
		b, err := ev.Encode()
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []*Decoder{nil, dec} {
			fast, err := d.decodeFast(b)
			if err != nil {
				t.Fatalf("the fast path refused what Encode wrote: %s", b)
			}
			slow, err := Decode(b, func(o *decodeOptions) { o.noFast = true })
			if err != nil {
				t.Fatal(err)
			}
			fb, _ := fast.Encode()
			sb, _ := slow.Encode()
			if !bytes.Equal(fb, sb) || !bytes.Equal(fb, b) {
				t.Fatalf("paths disagree:\n%s\n%s\n%s", b, fb, sb)
			}
		}
	}
}

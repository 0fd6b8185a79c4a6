package events

import (
	"bytes"
	"sync"
	"testing"
	"unsafe"
)

func (d *Decoder) remembered() int {
	n := 0
	for _, l := range []func() int{d.countries.len, d.topics.len, d.stances.len, d.motions.len, d.occurred.len, d.producers.len, d.strs.len, d.urls.len} {
		n += l()
	}
	return n
}

func (c *cache[T]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// TestDecoderRemembersAlone: what a Decoder remembers is its own; Decode
// and other Decoders neither see nor grow it.
func TestDecoderRemembersAlone(t *testing.T) {
	data := benchEvent()
	a, b := NewDecoder(), NewDecoder()
	want, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := want.Encode()
	gb, _ := got.Encode()
	if !bytes.Equal(wb, gb) {
		t.Fatalf("a Decoder and Decode disagree:\n%s\n%s", gb, wb)
	}
	// actor, topic, stance, motion, occurred, producer; source, url, document; the accepted url
	if n := a.remembered(); n != 10 {
		t.Errorf("a remembers %d values, want 10", n)
	}
	if n := b.remembered(); n != 0 {
		t.Errorf("decoding through a made b remember %d values", n)
	}
	if _, err := Decode(data); err != nil {
		t.Fatal(err)
	}
	if n := a.remembered(); n != 10 {
		t.Errorf("Decode grew a to %d values", n)
	}
	// The events a Decoder returns share its strings.
	again, _ := a.Decode(data)
	if p, q := got.Data.(Position).Evidence.URL, again.Data.(Position).Evidence.URL; p != q || !sameString(p, q) {
		t.Error("two events from one Decoder hold two copies of the same url")
	}
	// The zero Decoder is ready to use.
	var z Decoder
	if _, err := z.Decode(data); err != nil || z.remembered() != 10 {
		t.Errorf("the zero Decoder: %v, remembers %d", err, z.remembered())
	}
}

// sameString reports whether a and b are one copy of the same bytes.
func sameString(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// TestDecoderConcurrent: goroutines sharing a Decoder decode alike (run
// with -race).
func TestDecoderConcurrent(t *testing.T) {
	data := benchEvent()
	want, _ := Decode(data)
	wb, _ := want.Encode()
	dec := NewDecoder()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				ev, err := dec.Decode(data)
				if err != nil {
					t.Error(err)
					return
				}
				if b, _ := ev.Encode(); !bytes.Equal(b, wb) {
					t.Errorf("decoded\n%s\nwant\n%s", b, wb)
					return
				}
			}
		})
	}
	wg.Wait()
}

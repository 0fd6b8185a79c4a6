package projections

import (
	"testing"
	"unsafe"
)

// TestObsSize: an observation is held a million times over with the whole
// record, side by side in chunks (allocObs), so every byte counts 1.1 MB.
// It was 112 bytes, then 80 (the quote and offset moved out), now 48 (what
// a roll call's votes share is one index; the rare parts are found by a
// flag). A field added must be paid for knowingly, and a pointer would
// have the collector scan every chunk of them.
func TestObsSize(t *testing.T) {
	if got := unsafe.Sizeof(obs{}); got > 48 {
		t.Fatalf("obs is %d bytes, over 48", got)
	}
}

// TestSharedIsInternedOncePerRollCall: the votes of one roll call share
// one record, so that part of the vocabulary grows with roll calls, not
// votes; a second roll call makes a second one.
func TestSharedIsInternedOncePerRollCall(t *testing.T) {
	b := &builder{}
	for _, a := range []string{"US", "FR", "GB", "RU", "CN"} {
		b.vote(a, "vote_yes", "2023-12-22", "S/RES/2720(2023)")
	}
	s := fold(b.recs)
	if got := s.vocab.shared.len(); got != 1 {
		t.Fatalf("five votes of one roll call made %d shared records, want 1", got)
	}
	b.vote("US", "veto", "2024-02-20", "S/2024/173")
	if got := fold(b.recs).vocab.shared.len(); got != 2 {
		t.Fatalf("votes on two roll calls made %d shared records, want 2", got)
	}
}

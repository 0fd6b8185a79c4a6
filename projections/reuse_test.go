package projections

import (
	"strings"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// TestReusedIDIsRefusedInAnyOrder: two events with one id and different
// content (another topic) are one event and a refusal, never two
// observations: the lower sequence holds the id, the other is rejected
// with what differs, whatever order they arrive in; an identical copy is
// a duplicate.
func TestReusedIDIsRefusedInAnyOrder(t *testing.T) {
	b := &builder{}
	first := b.vote("US", "abstain", "2024-03-25", "")
	b.vote("GB", "abstain", "2024-03-25", "")
	reuse := first
	p := reuse.Data.(events.Position)
	p.Topic = events.MustTopic("gaza-humanitarian")
	reuse.Data = p
	b.seq++
	b.recs = append(b.recs, rec{reuse, Meta{Seq: b.seq, Recorded: t0.Add(time.Hour)}})
	b.seq++
	b.recs = append(b.recs, rec{first, Meta{Seq: b.seq, Recorded: t0.Add(2 * time.Hour)}}) // identical copy, later

	want := ""
	for _, order := range [][]int{{0, 1, 2, 3}, {2, 0, 1, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}} {
		s := New()
		outcomes := map[uint64]Outcome{}
		for _, i := range order {
			r := b.recs[i]
			outcomes[r.m.Seq] = s.Apply(r.ev, r.m)
		}
		if n := len(s.Positions(PositionFilter{All: true}, Lens{})); n != 2 {
			t.Fatalf("order %v: %d positions, want 2 (the reuse is not one)", order, n)
		}
		if n := len(s.vocab.extras); n != 2 {
			t.Fatalf("order %v: %d extra parts held for 2 positions: a replaced copy left its quote behind", order, n)
		}
		rej, ok := s.RejectedAt(3)
		if !ok || !rej.IDReused() || !strings.Contains(rej.Reason, "data.topic") || !strings.Contains(rej.Reason, "already the id of an earlier event") {
			t.Fatalf("order %v: rejected at 3 = %+v", order, rej)
		}
		if _, ok := s.RejectedAt(4); ok {
			t.Fatalf("order %v: the identical copy was rejected", order)
		}
		if order[0] == 0 && (outcomes[3] != Refused || outcomes[4] != Duplicate) {
			t.Fatalf("in order: outcomes %v, want 3 refused and 4 a duplicate", outcomes)
		}
		if want == "" {
			want = s.Digest()
		} else if s.Digest() != want {
			t.Fatalf("order %v: digest differs from the in-order fold", order)
		}
	}
}

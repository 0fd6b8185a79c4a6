package projections

import (
	"fmt"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// groupOf makes a roll call of n votes as a group: the events and their
// tags.
func groupOf(t *testing.T, id string, n int) ([]events.Event, []Group) {
	t.Helper()
	b := &builder{}
	var evs []events.Event
	var gs []Group
	for i := range n {
		ev := b.pos(events.AllCountries()[i].String(), "human-rights", "vote_yes", "2019-12-19", "A/RES/74/"+id, events.ProducerRollCall, 1)
		evs = append(evs, ev)
		gs = append(gs, Group{ID: id, Index: i + 1, Size: n})
	}
	return evs, gs
}

// TestHeldUntilTheGroupIsComplete: a group's members are in no view until
// the last arrives, in any order and with other events between them; a
// snapshot keeps what is held; the result is the state of applying the
// group at once.
func TestHeldUntilTheGroupIsComplete(t *testing.T) {
	evs, gs := groupOf(t, "7", 5)
	whole := New()
	for i, ev := range evs {
		whole.Apply(ev, Meta{Seq: uint64(i + 1), Recorded: time.Unix(0, 0)})
	}
	for _, order := range [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}} {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			s := New()
			for k, i := range order {
				got := s.Hold(evs[i], Meta{Seq: uint64(i + 1), Recorded: time.Unix(0, 0)}, gs[i])
				if k < len(order)-1 {
					if got != nil || s.Len() != 0 {
						t.Fatalf("member %d: the group is not complete, but %d events came back and %d are applied", i, len(got), s.Len())
					}
					if n, g, _ := s.HeldBack(); n != k+1 || g != 1 {
						t.Fatalf("held %d in %d groups", n, g)
					}
					// A checkpoint now keeps what is held.
					s = reread(t, s)
					continue
				}
				if len(got) != 5 {
					t.Fatalf("the last member returned %d events, want the group's 5", len(got))
				}
				for j := 1; j < len(got); j++ {
					if got[j].Meta.Seq < got[j-1].Meta.Seq {
						t.Fatal("not in stream order")
					}
				}
				for _, h := range got {
					s.Apply(h.Event, h.Meta)
				}
			}
			if s.Digest() != whole.Digest() {
				t.Fatal("holding then applying differs from applying the group at once")
			}
			if n, _, _ := s.HeldBack(); n != 0 {
				t.Fatalf("%d still held", n)
			}
		})
	}
}

func TestHoldMalformedTagAppliesAtOnce(t *testing.T) {
	evs, _ := groupOf(t, "8", 2)
	s := New()
	for i, g := range []Group{{ID: "8", Index: 3, Size: 2}, {ID: "8", Index: 0, Size: 2}} {
		if got := s.Hold(evs[i], Meta{Seq: uint64(i + 1)}, g); len(got) != 1 {
			t.Fatalf("tag %+v: a malformed tag must not hide the event (got %d back)", g, len(got))
		}
	}
}

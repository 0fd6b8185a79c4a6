package projections

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// TestSnapshotInBlocks: a state large enough to be written in two blocks
// (snapshotBlocks) reads back equal to itself — its digest, and the
// histories of actors in either block — with corrections on either
// side of the blocks' boundary; a block cut short, or an observation in
// both blocks, is refused.
func TestSnapshotInBlocks(t *testing.T) {
	s := New()
	actors := events.AllCountries()[:12]
	stances := []events.Stance{events.VoteYes, events.VoteNo, events.Abstain}
	seq := uint64(0)
	var firsts []events.Event
	for rc := range 1400 {
		day := events.MustDate("1960-01-01").AddDays(rc * 9)
		motion := events.MustMotionID(fmt.Sprintf("A/RES/%d/%d", 15+rc/40, rc%40+1))
		for i, a := range actors {
			seq++
			p := events.Position{Actor: a, Topic: events.MustTopic("human-rights"), Stance: stances[(i*7+rc)%3], Motion: motion, Occurred: events.OnDay(day),
				Evidence: events.Evidence{URL: "https://undocs.org/" + motion.String(), Citation: "UN roll call", Producer: events.ProducerRollCall, Confidence: 1}}
			ev := events.Event{ID: events.DeterministicID("blocks", motion.String(), a.String()), Source: "test/votes", SchemaVersion: events.CurrentSchemaVersion, Data: p}
			s.Apply(ev, Meta{Seq: seq, Recorded: time.Unix(int64(seq), 0)})
			if rc == 0 {
				firsts = append(firsts, ev)
			}
		}
	}
	// Corrections of the first roll call's votes, written in the second
	// block: a record there supersedes one in the first.
	for i, ev := range firsts[:5] {
		seq++
		p := ev.Data.(events.Position)
		p.Stance, p.Supersedes = events.Abstain, ev.ID
		p.Evidence = events.Evidence{Quote: fmt.Sprintf("correction %d", i), URL: "https://example.org/c", Producer: events.ProducerAnalyst, Confidence: 0.9}
		s.Apply(events.Event{ID: uuid.NewSHA1(events.Namespace, fmt.Appendf(nil, "correction-%d", i)), Source: "test/analyst", SchemaVersion: events.CurrentSchemaVersion, Data: p},
			Meta{Seq: seq, Recorded: time.Unix(int64(seq), 0)})
	}
	if snapshotBlocks(s.Len()) < 2 {
		t.Fatalf("%d events make %d block: the test reads no boundary", s.Len(), snapshotBlocks(s.Len()))
	}
	snap := snapshotBytes(t, s)
	got, err := ReadSnapshot(bytes.NewReader(snap))
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest() != s.Digest() || got.LastSeq() != s.LastSeq() || got.Len() != s.Len() {
		t.Fatalf("read back: digest equal %v, last %d of %d, %d of %d events", got.Digest() == s.Digest(), got.LastSeq(), s.LastSeq(), got.Len(), s.Len())
	}
	for _, a := range []events.Country{actors[0], actors[len(actors)-1]} {
		g, _ := json.Marshal(got.Histories(a, events.MustTopic("human-rights"), Lens{}))
		w, _ := json.Marshal(s.Histories(a, events.MustTopic("human-rights"), Lens{}))
		if !bytes.Equal(g, w) {
			t.Fatalf("%s's history differs after reading the snapshot back", a)
		}
	}
	if h := got.Histories(actors[0], events.MustTopic("human-rights"), Lens{}); len(h) != 1 || h[0].Entries[0].Status != Superseded {
		t.Fatalf("the first vote of %s, corrected from the second block: %+v", actors[0], h[0].Entries[0])
	}

	t.Run("a block cut short", func(t *testing.T) {
		b := snap
		for _, cut := range []int{len(b) / 2, len(b) * 3 / 4} {
			if _, err := ReadSnapshot(bytes.NewReader(b[:cut])); err == nil {
				t.Errorf("a snapshot cut at %d of %d bytes read", cut, len(b))
			}
		}
	})
	t.Run("an observation in both blocks", func(t *testing.T) {
		o := s.positions.get(firsts[0].ID)
		last := s.positions.get(events.DeterministicID("blocks", "A/RES/49/40", actors[len(actors)-1].String()))
		if o == nil || last == nil {
			t.Fatal("test records not found")
		}
		saved := last.id
		last.id = o.id // the last record, in the second block, now carries the first's id
		defer func() { last.id = saved }()
		if _, err := ReadSnapshot(bytes.NewReader(snapshotBytes(t, s))); err == nil {
			t.Fatal("a snapshot with an observation in both blocks read")
		}
	})
}

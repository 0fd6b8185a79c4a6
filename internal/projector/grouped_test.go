package projector

import (
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/projections"
)

// rollCall makes a roll call of n votes on one motion: the motion first.
func rollCall(n int) []events.Event {
	m := events.Motion{ID: events.MustMotionID("A/RES/74/7"), Kind: events.KindResolution, Body: "UNGA", Topic: events.MustTopic("general-assembly"),
		Date: events.MustDate("2019-11-07"), Outcome: events.OutcomeAdopted}
	evs := []events.Event{{ID: events.DeterministicID("grouped test", "motion"), Source: "test", SchemaVersion: events.CurrentSchemaVersion, Data: m}}
	for i := range n {
		p := events.Position{Actor: events.AllCountries()[i], Topic: m.Topic, Stance: events.VoteYes, Motion: m.ID, Occurred: events.OnDay(m.Date),
			Evidence: events.Evidence{Citation: fmt.Sprint("vote ", i), Producer: events.ProducerRollCall, Confidence: 1}}
		evs = append(evs, events.Event{ID: events.DeterministicID("grouped test", "vote", fmt.Sprint(i)), Source: "test", SchemaVersion: events.CurrentSchemaVersion, Data: p})
	}
	return evs
}

// TestGroupedLoadCutShort: a bulk load cut short stores part of a roll
// call; the projection reads past it and shows none of it (and says it
// holds it back), across a restart from a checkpoint; the load run again
// completes the roll call, which then shows whole, and the projection
// equals a clean replay throughout.
func TestGroupedLoadCutShort(t *testing.T) {
	s := openTest(t)
	rc := rollCall(6)
	// What a cut load leaves: the first three events, tagged as members
	// of the seven-event group, as AppendGrouped publishes them.
	gid := rc[0].ID.String()
	for i, ev := range rc[:3] {
		data, err := ev.Encode()
		if err != nil {
			t.Fatal(err)
		}
		m := &nats.Msg{Subject: ev.Subject(), Data: data, Header: nats.Header{}}
		m.Header.Set(eventlog.ChecksumHeader, eventlog.Checksum(data))
		m.Header.Set(store.GroupHeader, fmt.Sprintf("%s %d %d", gid, i+1, len(rc)))
		if _, err := s.JetStream().PublishMsg(ctxT(t), m); err != nil {
			t.Fatal(err)
		}
	}
	p := runProjector(t, s, Config{CheckpointEvery: 1})
	visible := func() int {
		n := 0
		p.Read(func(st *projections.State) { n = st.Len() })
		return n
	}
	if n := visible(); n != 0 {
		t.Fatalf("%d events of a roll call cut short are visible", n)
	}
	if n, g, oldest := p.HeldBack(); n != 3 || g != 1 || oldest != 1 {
		t.Fatalf("held back: %d events in %d groups from %d", n, g, oldest)
	}
	if got, want := digest(p), replay(t, s).Digest(); got != want {
		t.Fatal("the projection differs from a clean replay")
	}
	// A projection restored from a checkpoint holds them back too.
	var saved uint64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		cps, err := s.Checkpoints(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if _, info, err := cps.Load(ctxT(t), projections.Version); err == nil {
			saved = info.Seq
			break
		}
	}
	if saved != 3 {
		t.Fatalf("no checkpoint at sequence 3 (%d)", saved)
	}
	p2 := runProjector(t, s, Config{})
	if n, _, _ := p2.HeldBack(); n != 3 || digest(p2) != digest(p) {
		t.Fatalf("restored from the checkpoint: %d held, equal %v", n, digest(p2) == digest(p))
	}

	// The load runs again: three duplicates, four new, and the roll call
	// is whole.
	acks, err := s.AppendGrouped(ctxT(t), [][]events.Event{rc}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dups := 0
	for _, a := range acks[0] {
		if a.Duplicate {
			dups++
		}
	}
	if dups != 3 {
		t.Fatalf("%d duplicates, want the 3 stored before", dups)
	}
	last, _ := s.LastSeq(ctxT(t))
	if err := p.WaitFor(ctxT(t), last); err != nil {
		t.Fatal(err)
	}
	if n := visible(); n != len(rc) {
		t.Fatalf("%d events visible, want the whole roll call's %d", n, len(rc))
	}
	if n, _, _ := p.HeldBack(); n != 0 {
		t.Fatalf("%d still held", n)
	}
	if got, want := digest(p), replay(t, s).Digest(); got != want {
		t.Fatal("the projection differs from a clean replay")
	}
}

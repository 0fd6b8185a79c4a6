package projector

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/store"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// TestRedeliveryNeverAppliesTwice folds every delivery of a consumer
// whose acks are late (AckWait shorter than the processing): the server
// delivers events again, and the fold applies each once.
func TestRedeliveryNeverAppliesTwice(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	for i := range 20 {
		if _, err := s.Append(ctx, position("US", events.Stances()[i%9].String(), "2024-02-20", i)); err != nil {
			t.Fatal(err)
		}
	}
	cons, err := s.JetStream().CreateConsumer(ctx, s.Config().Stream, jetstream.ConsumerConfig{
		Durable: "slow", AckPolicy: jetstream.AckExplicitPolicy, AckWait: 100 * time.Millisecond, MaxDeliver: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	st := projections.New()
	deliveries, duplicates := 0, 0
	acked := map[uint64]bool{}
	deadline := time.Now().Add(20 * time.Second)
	for len(acked) < 20 && time.Now().Before(deadline) {
		batch, err := cons.Fetch(10, jetstream.FetchMaxWait(500*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		for msg := range batch.Messages() {
			md, _ := msg.Metadata()
			ev, err := decodeAt(events.NewDecoder(), msg.Subject(), msg.Data())
			if err != nil {
				t.Fatal(err)
			}
			deliveries++
			if st.Apply(ev, projections.Meta{Seq: md.Sequence.Stream, Recorded: md.Timestamp}) == projections.Duplicate {
				duplicates++
			}
			// The first delivery of each event is "processed too slowly":
			// its ack never arrives, so the server delivers it again.
			if md.NumDelivered > 1 {
				_ = msg.Ack()
				acked[md.Sequence.Stream] = true
			}
		}
	}
	if len(acked) < 20 || duplicates < 20 {
		t.Fatalf("%d deliveries, %d duplicates, %d acked: the server did not redeliver", deliveries, duplicates, len(acked))
	}
	if st.Len() != 20 || st.Digest() != replay(t, s).Digest() {
		t.Fatalf("after %d deliveries the fold holds %d events and differs from a replay", deliveries, st.Len())
	}
}

// TestDuplicateAfterTheWindowChangesNoProjection stores a second copy of
// an event by hand, past the dedup window and without the headers the
// store sets: JetStream keeps it, the projection ignores it.
func TestDuplicateAfterTheWindowChangesNoProjection(t *testing.T) {
	s := openTest(t, func(c *store.Config) { c.DedupWindow = 100 * time.Millisecond })
	ctx := ctxT(t)
	ev := position("US", "abstain", "2024-03-25", 1)
	if _, err := s.Append(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, position("US", "veto", "2024-02-20", 2)); err != nil {
		t.Fatal(err)
	}
	p := runProjector(t, s, Config{NoCheckpoints: true})
	view := func() string {
		var b []byte
		p.Read(func(st *projections.State) {
			b, _ = json.Marshal(st.Histories(events.MustCountry("US"), events.Topic{}, projections.Lens{}))
		})
		return string(b)
	}
	before := view()
	// A producer that does not use the store (no expected sequence)
	// publishes the same event again with its Nats-Msg-Id: the store's
	// own appends carry no message id, so JetStream stores it, at once or
	// (were the id remembered) past the window.
	data, _ := ev.Encode()
	var seq uint64
	deadline := time.Now().Add(5 * time.Second)
	for {
		pa, err := s.JetStream().Publish(ctx, ev.Subject(), data, jetstream.WithMsgID(ev.ID.String()))
		if err != nil {
			t.Fatal(err)
		}
		if !pa.Duplicate {
			seq = pa.Sequence
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dedup window never passed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := p.WaitFor(ctx, seq); err != nil {
		t.Fatal(err)
	}
	if after := view(); after != before {
		t.Fatalf("a stored duplicate changed the projection:\n%s\n%s", before, after)
	}
	p.Read(func(st *projections.State) {
		if st.Len() != 2 || st.LastSeq() != seq {
			t.Fatalf("state holds %d events at %d", st.Len(), st.LastSeq())
		}
	})
}

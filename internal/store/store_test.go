package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// openTest opens a store on a real embedded nats-server in a temporary
// directory, listening on a random loopback port.
func openTest(t *testing.T, mod ...func(*Config)) *Store {
	t.Helper()
	cfg := Config{DataDir: t.TempDir(), Listen: "127.0.0.1:-1", Logger: quiet()}
	for _, m := range mod {
		m(&cfg)
	}
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func position(actor, stance, day string, n int) events.Event {
	p := events.Position{
		Actor: events.MustCountry(actor), Topic: events.MustTopic("gaza-ceasefire"), Stance: events.MustStance(stance),
		Occurred: events.OnDay(events.MustDate(day)),
		Evidence: events.Evidence{Quote: fmt.Sprintf("observation %d", n), Producer: events.ProducerAnalyst, Confidence: 1},
	}
	id, _ := events.ContentID("test", p)
	return events.Event{ID: id, Source: "test", SchemaVersion: 1, Data: p}
}

// wantLastSeq fails the test unless the stream's last sequence (the
// number of events stored, as nothing is ever deleted) is n.
func wantLastSeq(t *testing.T, s *Store, n uint64) {
	t.Helper()
	if got, err := s.LastSeq(ctxT(t)); err != nil || got != n {
		t.Fatalf("stream holds %d events (%v), want %d", got, err, n)
	}
}

func TestStreamIsAppendOnly(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	info, err := s.Stream().Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := info.Config
	if !c.DenyDelete || !c.DenyPurge || c.MaxAge != 0 || c.Discard != jetstream.DiscardNew || !c.AllowAtomicPublish || c.Duplicates != DefaultDedupWindow {
		t.Fatalf("stream config %+v", c)
	}
	a, err := s.Append(ctx, position("US", "veto", "2024-02-20", 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Stream().DeleteMsg(ctx, a.Seq); err == nil {
		t.Fatal("deleting an event should be refused")
	}
	if err := s.Stream().Purge(ctx); err == nil {
		t.Fatal("purging the stream should be refused")
	}
	if _, err := s.GetSeq(ctx, a.Seq); err != nil {
		t.Fatalf("the event is gone: %v", err)
	}
	// Opening again is idempotent.
	s2, err := Open(ctx, Config{URL: s.ClientURL(), Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n, _ := s2.LastSeq(ctx); n != 1 {
		t.Fatalf("reopening changed the stream: last seq %d", n)
	}
}

func TestAppendOnceEver(t *testing.T) {
	s := openTest(t, func(c *Config) { c.DedupWindow = 100 * time.Millisecond })
	ctx := ctxT(t)
	ev := position("US", "abstain", "2024-03-25", 1)
	a1, err := s.Append(ctx, ev)
	if err != nil || a1.Duplicate || a1.Seq != 1 {
		t.Fatalf("first append: %+v %v", a1, err)
	}
	a2, err := s.Append(ctx, ev)
	if err != nil || !a2.Duplicate || a2.Seq != 1 {
		t.Fatalf("second append within the window: %+v %v", a2, err)
	}
	// Past the dedup window, and without the Nats-Msg-Id header, the
	// store still refuses a second copy.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		a3, err := s.Append(ctx, ev)
		if err != nil || !a3.Duplicate || a3.Seq != 1 {
			t.Fatalf("append after the window: %+v %v", a3, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	wantLastSeq(t, s, 1)
}

func TestAppendConflict(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	a, err := s.Append(ctx, position("US", "veto", "2024-02-20", 1), eventlog.ExpectLastSeq(0))
	if err != nil {
		t.Fatal(err)
	}
	// Another actor does not move the US key.
	if _, err := s.Append(ctx, position("FR", "vote_yes", "2024-02-20", 2)); err != nil {
		t.Fatal(err)
	}
	_, err = s.Append(ctx, position("US", "abstain", "2024-03-25", 3), eventlog.ExpectLastSeq(0))
	var ce *eventlog.ConflictError
	if !errors.Is(err, eventlog.ErrConflict) || !errors.As(err, &ce) || ce.Actual != a.Seq {
		t.Fatalf("stale append: %v, want a conflict at %d", err, a.Seq)
	}
	if _, err := s.Append(ctx, position("US", "abstain", "2024-03-25", 3), eventlog.ExpectLastSeq(a.Seq)); err != nil {
		t.Fatalf("fresh append: %v", err)
	}
	if n, _ := s.LastSeq(ctx); n != 3 {
		t.Fatalf("last seq %d, want 3: the conflicting append must store nothing", n)
	}
}

func TestAppendBatchAtomicAndIdempotent(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	var evs []events.Event
	for i := range 40 {
		evs = append(evs, position("US", "abstain", "2024-03-25", i))
	}
	// One of them is stored already, outside the batch.
	pre, err := s.Append(ctx, evs[7])
	if err != nil {
		t.Fatal(err)
	}
	acks, err := s.AppendBatch(ctx, evs)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range acks {
		st, err := s.GetSeq(ctx, a.Seq)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := st.Decode()
		if got.ID != evs[i].ID {
			t.Fatalf("ack %d points at seq %d which holds %s, not %s", i, a.Seq, got.ID, evs[i].ID)
		}
		if (i == 7) != a.Duplicate || (i == 7 && a.Seq != pre.Seq) {
			t.Fatalf("ack %d: %+v", i, a)
		}
	}
	again, err := s.AppendBatch(ctx, evs)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range again {
		if !a.Duplicate || a.Seq != acks[i].Seq {
			t.Fatalf("second batch ack %d = %+v, want duplicate of %d", i, a, acks[i].Seq)
		}
	}
	wantLastSeq(t, s, 40)
}

// TestAppendBatchAllOrNothing: with eventlog.AllOrNothing, a batch of which one
// event is stored already and another is not stores nothing; a batch
// stored entirely before is acknowledged as duplicates.
func TestAppendBatchAllOrNothing(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	a, b := position("RU", "oppose", "2024-03-22", 1), position("RU", "oppose", "2024-03-22", 2)
	if _, err := s.Append(ctx, b); err != nil { // another writer decided first
		t.Fatal(err)
	}
	if _, err := s.AppendBatch(ctx, []events.Event{a, b}, eventlog.AllOrNothing()); !errors.Is(err, eventlog.ErrConflict) {
		t.Fatalf("half-stored batch: err = %v, want eventlog.ErrConflict", err)
	}
	if _, err := s.Get(ctx, a.ID); !errors.Is(err, eventlog.ErrNotFound) {
		t.Fatalf("the batch's other event was stored: %v", err)
	}
	c, d := position("RU", "oppose", "2024-03-22", 3), position("RU", "oppose", "2024-03-22", 4)
	if _, err := s.AppendBatch(ctx, []events.Event{c, d}, eventlog.AllOrNothing()); err != nil {
		t.Fatal(err)
	}
	acks, err := s.AppendBatch(ctx, []events.Event{c, d}, eventlog.AllOrNothing())
	if err != nil || !acks[0].Duplicate || !acks[1].Duplicate {
		t.Fatalf("whole batch again: %+v %v", acks, err)
	}
}

func TestGetByID(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	ev := position("GB", "abstain", "2024-02-20", 1)
	a, _ := s.Append(ctx, ev)
	st, err := s.Get(ctx, ev.ID)
	if err != nil || st.Seq != a.Seq {
		t.Fatalf("Get: %+v %v", st, err)
	}
	if _, err := s.Get(ctx, events.NewID()); !errors.Is(err, eventlog.ErrNotFound) {
		t.Fatalf("Get of an unknown id: %v", err)
	}
}

func TestStoreFullIsAnError(t *testing.T) {
	s := openTest(t, func(c *Config) { c.MaxBytes = 4096 })
	ctx := ctxT(t)
	var stored, refused int
	for i := range 50 {
		a, err := s.Append(ctx, position("US", "veto", "2024-02-20", i))
		if errors.Is(err, eventlog.ErrStoreFull) {
			refused++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetSeq(ctx, a.Seq); err != nil {
			t.Fatalf("acknowledged event %d is not stored: %v", i, err)
		}
		stored++
	}
	n, _ := s.LastSeq(ctx)
	if refused == 0 || uint64(stored) != n {
		t.Fatalf("stored %d, refused %d, stream holds %d", stored, refused, n)
	}
}

func TestDurableSubscriptionResumes(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	var want []uint64
	for i := range 6 {
		a, err := s.Append(ctx, position("US", "veto", "2024-02-20", i))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, a.Seq)
	}
	errStop := errors.New("stop")
	var got []uint64
	run := func(stopAfter int) {
		n := 0
		err := s.SubscribeDurable(ctx, "researcher", eventlog.SubscribeOptions{Filters: []string{events.PositionFilter(events.Country{}, events.Topic{})}}, func(d eventlog.Delivery) error {
			if n == stopAfter {
				return errStop // not acknowledged: delivered again next time
			}
			n++
			got = append(got, d.Seq)
			return nil
		})
		if !errors.Is(err, errStop) {
			t.Fatalf("subscription ended with %v (delivered so far %v)", err, got)
		}
	}
	run(2)
	run(3)
	if _, err := s.Append(ctx, position("US", "abstain", "2024-03-25", 99)); err != nil {
		t.Fatal(err)
	}
	want = append(want, 7)
	// The last run ends the way a user stops tail: by cancelling.
	cctx, cancel := context.WithCancel(ctx)
	err := s.SubscribeDurable(cctx, "researcher", eventlog.SubscribeOptions{}, func(d eventlog.Delivery) error {
		got = append(got, d.Seq)
		if len(got) == len(want) {
			cancel()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("delivered %v, want %v: each event once, in order, across restarts", got, want)
	}
}

func TestAppendMany(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	var evs []events.Event
	for i := range 2500 {
		evs = append(evs, position("US", "veto", "2024-02-20", i))
	}
	if _, err := s.Append(ctx, evs[100]); err != nil {
		t.Fatal(err)
	}
	acks, err := s.AppendMany(ctx, evs)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uint64]bool{}
	for i, a := range acks {
		if a.ID != evs[i].ID || a.Seq == 0 || seen[a.Seq] || (i == 100) != a.Duplicate {
			t.Fatalf("ack %d: %+v", i, a)
		}
		seen[a.Seq] = true
	}
	again, err := s.AppendMany(ctx, evs)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range again {
		if !a.Duplicate || a.Seq != acks[i].Seq {
			t.Fatalf("second time, ack %d: %+v, want a duplicate at %d", i, a, acks[i].Seq)
		}
	}
	wantLastSeq(t, s, 2500)
}

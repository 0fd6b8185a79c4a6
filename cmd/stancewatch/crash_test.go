package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/projector"
	"github.com/stancewatch/stancewatch/internal/store"
)

// ledger remembers what the publishers sent and what was acknowledged.
type ledger struct {
	mu      sync.Mutex
	sent    map[uuid.UUID]events.Event
	acked   map[uuid.UUID]uint64
	batches [][]uuid.UUID // the atomic batches sent, acknowledged or not
}

// batch records an atomic batch sent.
func (l *ledger) batch(evs []events.Event) {
	ids := make([]uuid.UUID, len(evs))
	for i, ev := range evs {
		ids[i] = ev.ID
	}
	l.mu.Lock()
	l.batches = append(l.batches, ids)
	l.mu.Unlock()
}

func (l *ledger) send(ev events.Event) {
	l.mu.Lock()
	l.sent[ev.ID] = ev
	l.mu.Unlock()
}

func (l *ledger) ack(a eventlog.Ack) {
	l.mu.Lock()
	l.acked[a.ID] = a.Seq
	l.mu.Unlock()
}

func crashPosition(round, worker, i int) events.Event {
	actors := events.AllCountries()
	p := events.Position{
		Actor: actors[(worker*7+i)%len(actors)], Topic: events.MustTopic("crash-test"), Stance: events.Stances()[i%9],
		Occurred: events.OnDay(events.MustDate("2020-01-01").AddDays(i % 1500)),
		Evidence: events.Evidence{Quote: fmt.Sprintf("round %d worker %d observation %d", round, worker, i), Producer: events.ProducerAnalyst, Confidence: 1},
	}
	return events.Event{ID: events.DeterministicID("crash", fmt.Sprint(round, worker, i)), Source: "crash-test", SchemaVersion: events.CurrentSchemaVersion, Data: p}
}

func connectTo(t *testing.T, natsAddr string) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, store.Config{URL: "nats://" + natsAddr, Bind: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// untilStopped calls step with 0, 1, 2… on a goroutine counted in wg,
// until stop is closed or step returns false (the server is gone).
func untilStopped(stop <-chan struct{}, wg *sync.WaitGroup, step func(i int) bool) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if !step(i) {
				return
			}
		}
	}()
}

// publishUntilKilled appends positions from several goroutines (half
// one at a time, half in atomic batches of 50), until the server dies
// under them.
func publishUntilKilled(t *testing.T, st *store.Store, round int, l *ledger, stop <-chan struct{}, workers int) *sync.WaitGroup {
	var wg sync.WaitGroup
	for worker := range workers {
		untilStopped(stop, &wg, func(i int) bool {
			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			if worker%2 == 0 {
				ev := crashPosition(round, worker, i)
				l.send(ev)
				a, err := st.Append(ctx, ev)
				cancel()
				if err != nil {
					return false // the server is gone
				}
				l.ack(a)
				return true
			}
			var batch []events.Event
			for j := range 50 {
				ev := crashPosition(round, worker, i*50+j)
				l.send(ev)
				batch = append(batch, ev)
			}
			l.batch(batch)
			acks, err := st.AppendBatch(ctx, batch)
			cancel()
			if err != nil {
				return false
			}
			for _, a := range acks {
				l.ack(a)
			}
			return true
		})
	}
	return &wg
}

type stateAnswer struct {
	Seq    uint64 `json:"seq"`
	Events int    `json:"events"`
	Digest string `json:"digest"`
}

// TestCrashDuringIngest kills `stancewatch serve` with SIGKILL at random
// moments while positions pour in, and checks after every restart that
// every acknowledged position is in the stream exactly once and that the
// projection — restored from checkpoints written every 100 events —
// equals a clean replay.
func TestCrashDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dataDir := t.TempDir()
	httpAddr, natsAddr := serveAddrs(t)
	l := &ledger{sent: map[uuid.UUID]events.Event{}, acked: map[uuid.UUID]uint64{}}
	rng := rand.New(rand.NewPCG(7, 11))
	const rounds = 6
	for round := range rounds {
		s := startServeArgs(t, dataDir, httpAddr, natsAddr, "--checkpoint-every", "100")
		st := connectTo(t, natsAddr)
		verifyCrash(t, s, st, l, round)
		stop := make(chan struct{})
		wg := publishUntilKilled(t, st, round, l, stop, 6)
		time.Sleep(time.Duration(300+rng.IntN(900)) * time.Millisecond) // the kill point
		_ = s.stop(syscall.SIGKILL)
		close(stop)
		wg.Wait()
		st.Close()
	}
	s := startServeArgs(t, dataDir, httpAddr, natsAddr)
	st := connectTo(t, natsAddr)
	defer st.Close()
	verifyCrash(t, s, st, l, rounds)

	// Publishing again every unacknowledged event and a sample of the
	// acknowledged ones stores each at most once: acknowledged ones are
	// duplicates at their first sequence.
	l.mu.Lock()
	all := make([]events.Event, 0, len(l.sent))
	var again []events.Event
	for id, ev := range l.sent {
		all = append(all, ev)
		if _, ok := l.acked[id]; !ok || len(again) < 500 {
			again = append(again, ev)
		}
	}
	l.mu.Unlock()
	start := time.Now()
	for _, ev := range again {
		a, err := st.Append(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if seq, ok := l.acked[ev.ID]; ok && (!a.Duplicate || a.Seq != seq) {
			t.Fatalf("re-publishing acknowledged %s: %+v, want a duplicate at %d", ev.ID, a, seq)
		}
	}
	t.Logf("re-published %d events in %s", len(again), time.Since(start).Round(time.Millisecond))
	stored := storedIDs(t, st)
	for _, ev := range all {
		if len(stored[ev.ID]) != 1 {
			t.Fatalf("%s is in the stream %d times", ev.ID, len(stored[ev.ID]))
		}
	}
	t.Logf("%d positions sent over %d kills, %d acknowledged before a kill", len(all), rounds, len(l.acked))
	if len(all) < 2000 {
		t.Fatalf("only %d positions were sent: the test did not load the server", len(all))
	}
}

// verifyCrash checks the stream and the projection after a restart.
func verifyCrash(t *testing.T, s *server, st *store.Store, l *ledger, round int) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	stored := storedIDs(t, st)
	for id, seqs := range stored {
		if len(seqs) != 1 {
			t.Fatalf("round %d: event %s is in the stream %d times (at %v)", round, id, len(seqs), seqs)
		}
	}
	for id, seq := range l.acked {
		if got := stored[id]; len(got) != 1 || got[0] != seq {
			t.Fatalf("round %d: acknowledged event %s (seq %d) is lost or moved: stored at %v", round, id, seq, got)
		}
	}
	verifyProjection(t, s, st, round)
}

// verifyProjection checks that serve's projection, once it has folded the
// whole stream, equals a clean replay of it.
func verifyProjection(t *testing.T, s *server, st *store.Store, round int) {
	t.Helper()
	ctx := context.Background()
	last, err := st.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var live stateAnswer
	if err := json.Unmarshal(s.get(fmt.Sprintf("/v1/admin/state?min_seq=%d", last)), &live); err != nil {
		t.Fatal(err)
	}
	for live.Seq < last { // /v1/admin/state does not wait; poll
		time.Sleep(20 * time.Millisecond)
		_ = json.Unmarshal(s.get("/v1/admin/state"), &live)
	}
	ref, err := projector.Replay(ctx, st, live.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if live.Digest != ref.Digest() {
		t.Fatalf("round %d: the projection at %d differs from a clean replay", round, live.Seq)
	}
}

// storedIDs reads the whole stream: every event id and the sequences it
// is stored at.
func storedIDs(t *testing.T, st *store.Store) map[uuid.UUID][]uint64 {
	t.Helper()
	ids := map[uuid.UUID][]uint64{}
	err := st.Subscribe(context.Background(), eventlog.SubscribeOptions{CatchUp: true}, func(d eventlog.Delivery) error {
		ev, err := events.Decode(d.Data)
		if err != nil {
			return fmt.Errorf("seq %d: %v", d.Seq, err)
		}
		ids[ev.ID] = append(ids[ev.ID], d.Seq)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

package projector

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/stancewatch/stancewatch/internal/store"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/votes"
	"github.com/stancewatch/stancewatch/projections"
)

// loadBundled appends the bundled dataset, one atomic batch per roll call.
func loadBundled(t *testing.T, s *store.Store) int {
	t.Helper()
	rcs, errs, err := votes.ReadDataset(bytes.NewReader(data.GazaRollCalls), data.GazaRollCallsFile)
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	var groups [][]events.Event
	n := 0
	for _, rc := range rcs {
		evs, err := rc.Events()
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, evs)
		n += len(evs)
	}
	if _, err := s.AppendGroups(ctxT(t), groups, nil); err != nil {
		t.Fatal(err)
	}
	return n
}

// runProjector runs a projector until the test ends, and waits until it
// has caught up with the stream.
func runProjector(t *testing.T, s *store.Store, cfg Config) *Projection {
	t.Helper()
	p, _ := startProjector(t, s, cfg)
	last, _ := s.LastSeq(ctxT(t))
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	if err := p.WaitFor(wctx, last); err != nil {
		t.Fatalf("projection did not reach %d: %v (at %d)", last, err, p.LastSeq())
	}
	return p
}

// foldAndCheckpoint runs a projector until it has folded the whole
// stream, then stops it, which checkpoints; it returns the last sequence.
func foldAndCheckpoint(t *testing.T, s *store.Store) uint64 {
	t.Helper()
	ctx := ctxT(t)
	p := NewProjection()
	w := mustNew(t, s, p, Config{Logger: quiet(), CheckpointEvery: 50})
	if err := w.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(rctx) }()
	last, _ := s.LastSeq(ctx)
	if err := p.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return last
}

// replay folds the whole stream from sequence 1 into a fresh state,
// without checkpoints: the reference every projection must equal.
func replay(t *testing.T, s *store.Store) *projections.State {
	t.Helper()
	st := projections.New()
	last, _ := s.LastSeq(ctxT(t))
	dec := events.NewDecoder()
	for seq := uint64(1); seq <= last; seq++ {
		m, err := s.GetSeq(ctxT(t), seq)
		if err != nil {
			t.Fatal(err)
		}
		foldStored(dec, st, m)
	}
	return st
}

func digest(p *Projection) (d string) {
	p.Read(func(st *projections.State) { d = st.Digest() })
	return d
}

func TestProjectorFoldsBundledData(t *testing.T) {
	s := openTest(t)
	n := loadBundled(t, s)
	p := runProjector(t, s, Config{})
	var h []projections.History
	p.Read(func(st *projections.State) {
		h = st.Histories(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), projections.Lens{})
		if st.Len() != n {
			t.Errorf("state holds %d events, want %d", st.Len(), n)
		}
	})
	if len(h) != 1 || h[0].Current.Stance != events.Veto || h[0].Current.Occurred.String() != "2024-11-20" {
		t.Fatalf("US history: %+v", h)
	}
	if ok, why := p.Ready(); !ok {
		t.Fatalf("not ready after catching up: %s", why)
	}
	if digest(p) != replay(t, s).Digest() {
		t.Fatal("projection differs from a clean replay")
	}
}

func TestRestartFromCheckpointEqualsReplay(t *testing.T) {
	s := openTest(t)
	loadBundled(t, s)
	ctx := ctxT(t)

	// First run: fold and checkpoint at the end.
	last := foldAndCheckpoint(t, s)
	cp, _ := s.Checkpoints(ctx)
	_, info, err := cp.Load(ctx, projections.Version)
	if err != nil || info.Seq != last {
		t.Fatalf("checkpoint %+v, %v; want one at %d", info, err, last)
	}

	// More events arrive while the worker is down.
	for i := range 5 {
		if _, err := s.Append(ctx, position("FR", "support", "2024-12-01", 100+i)); err != nil {
			t.Fatal(err)
		}
	}
	// Second run resumes from the checkpoint.
	p2 := runProjector(t, s, Config{CheckpointEvery: 50})
	if got, want := digest(p2), replay(t, s).Digest(); got != want {
		t.Fatalf("restarted projection %s, clean replay %s", got, want)
	}
}

func TestPoisonMessageDoesNotStall(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	good := position("US", "veto", "2024-02-20", 1)
	if _, err := s.Append(ctx, good); err != nil {
		t.Fatal(err)
	}
	// Three poison messages published by hand: not JSON, invalid, and a
	// valid event on the subject of another actor.
	js := s.JetStream()
	if _, err := js.Publish(ctx, "positions.US.gaza-ceasefire.x1", []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, "positions.US.gaza-ceasefire.x2", []byte(`{"specversion":"1.0","type":"org.stancewatch.position","id":"0190c7a2-7a5e-7cc0-8000-000000000001","source":"x","data":{"actor":"XX"}}`)); err != nil {
		t.Fatal(err)
	}
	liar := position("FR", "veto", "2024-02-20", 2)
	b, _ := liar.Encode()
	if _, err := js.Publish(ctx, "positions.US.gaza-ceasefire."+liar.ID.String(), b); err != nil {
		t.Fatal(err)
	}
	after := position("US", "abstain", "2024-03-25", 3)
	if _, err := s.Append(ctx, after); err != nil {
		t.Fatal(err)
	}
	p := runProjector(t, s, Config{NoCheckpoints: true, DeadLetters: true})
	// A second replica refuses the same events; each is dead-lettered once.
	runProjector(t, s, Config{NoCheckpoints: true, DeadLetters: true})
	dlq, err := s.JetStream().Stream(ctx, s.DeadLetterStream())
	if err != nil {
		t.Fatal(err)
	}
	if n := dlq.CachedInfo().State.Msgs; n != 3 {
		t.Fatalf("%d dead letters, want 3", n)
	}
	for seq, want := range map[uint64]string{1: "not JSON", 2: `data.actor: "XX" is not an ISO 3166-1 country`, 3: "its contents belong on positions.FR"} {
		m, err := dlq.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Header.Get(store.DeadLetterReason), want) || m.Header.Get(store.DeadLetterSubject) == "" {
			t.Errorf("dead letter %d: reason %q, want it to say %q", seq, m.Header.Get(store.DeadLetterReason), want)
		}
	}
	p.Read(func(st *projections.State) {
		if st.Len() != 2 || len(st.Rejected()) != 3 {
			t.Fatalf("applied %d, rejected %+v", st.Len(), st.Rejected())
		}
		h := st.Histories(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), projections.Lens{})
		if h[0].Current.Stance != events.Abstain {
			t.Fatalf("the event after the poison was not applied")
		}
	})
}

// TestReadersNeverSeeHalfABatch reads the projection as fast as it can
// while a roll call of 1000 votes commits: it sees none of them or all.
func TestReadersNeverSeeHalfABatch(t *testing.T) {
	s := openTest(t)
	p := runProjector(t, s, Config{NoCheckpoints: true})
	topic := events.MustTopic("big-roll-call")
	var batch []events.Event
	for i := range 1000 {
		pos := events.Position{
			Actor: events.AllCountries()[i%249], Topic: topic, Stance: events.VoteYes,
			Occurred: events.OnDay(events.MustDate("2024-01-01").AddDays(i / 249)),
			Evidence: events.Evidence{Quote: fmt.Sprint("vote ", i), Producer: events.ProducerRollCall, Confidence: 1},
		}
		id, _ := events.ContentID("test", pos)
		batch = append(batch, events.Event{ID: id, Source: "test", SchemaVersion: 1, Data: pos})
	}
	seen := map[int]int{}
	stop := readConstantly(p, func(st *projections.State) {
		n := 0
		tv, _ := st.Topic(topic, projections.Lens{})
		for _, a := range tv.Actors {
			n += a.Positions
		}
		seen[n]++
	})
	acks, err := s.AppendBatch(ctxT(t), batch)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctxT(t), acks[len(acks)-1].Seq); err != nil {
		t.Fatal(err)
	}
	stop()
	for n, times := range seen {
		if n != 0 && n != 1000 {
			t.Fatalf("a reader saw %d of the batch's 1000 events (%d times): %v", n, times, seen)
		}
	}
	if seen[1000] == 0 && seen[0] == 0 {
		t.Fatal("the reader never ran")
	}
}

// readConstantly reads the projection with read over and over, on a
// goroutine of its own, until the stop it returns is called; stop returns
// once the reader has finished.
func readConstantly(p *Projection, read func(st *projections.State)) (stop func()) {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-quit:
				return
			default:
			}
			p.Read(read)
		}
	}()
	return func() {
		close(quit)
		<-done
	}
}

func shiftAlerts(t *testing.T, s *store.Store) []events.ShiftAlert {
	t.Helper()
	var out []events.ShiftAlert
	err := s.Subscribe(ctxT(t), eventlog.SubscribeOptions{Shifts: true, CatchUp: true}, func(d eventlog.Delivery) error {
		ev, err := events.Decode(d.Data)
		if err != nil {
			return err
		}
		out = append(out, ev.Data.(events.ShiftAlert))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestShiftAlertsOncePerShiftAcrossReplicas(t *testing.T) {
	s := openTest(t)
	loadBundled(t, s)
	p := runProjector(t, s, Config{NoCheckpoints: true, Alerts: true, AlertSource: "replica-1"})
	var shifts int
	p.Read(func(st *projections.State) { shifts = len(st.Shifts(projections.ShiftFilter{}, projections.Lens{})) })
	if got := shiftAlerts(t, s); len(got) != shifts || shifts == 0 {
		t.Fatalf("%d alerts for %d shifts", len(got), shifts)
	}
	// A second replica folds the same stream and publishes the same
	// alerts: the stream keeps one of each.
	runProjector(t, s, Config{NoCheckpoints: true, Alerts: true, AlertSource: "replica-2"})
	if got := shiftAlerts(t, s); len(got) != shifts {
		t.Fatalf("after a second replica: %d alerts for %d shifts", len(got), shifts)
	}
	// A back-dated observation revises an earlier shift: the old one is
	// withdrawn, the new ones name it.
	ctx := ctxT(t)
	late := position("GB", "oppose", "2024-03-01", 1)
	a, err := s.Append(ctx, late)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, a.Seq); err != nil {
		t.Fatal(err)
	}
	var revision []events.ShiftAlert
	for _, al := range shiftAlerts(t, s) {
		if al.Cause == late.ID {
			revision = append(revision, al)
		}
	}
	describe := func(a events.ShiftAlert) string {
		return fmt.Sprintf("%s %s %s>%s %s", a.Status, a.Actor, a.From, a.To, a.Date)
	}
	var got []string
	for _, r := range revision {
		got = append(got, describe(r))
	}
	want := []string{
		"withdrawn GB abstain>vote_yes 2024-03-22",
		"detected GB abstain>oppose 2024-03-01",
		"detected GB oppose>vote_yes 2024-03-22",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(revision[1].Revises) != 1 {
		t.Fatalf("revision alerts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReplayMatchesReadingEverySequence(t *testing.T) {
	s := openTest(t)
	loadBundled(t, s)
	ref := replay(t, s)
	got, err := Replay(ctxT(t), s, 0)
	if err != nil || got.Digest() != ref.Digest() {
		t.Fatalf("Replay: %v", err)
	}
	part, err := Replay(ctxT(t), s, 100)
	if err != nil || part.LastSeq() != 100 {
		t.Fatalf("Replay until 100: at %d, %v", part.LastSeq(), err)
	}
}

// TestProjectorStopIsNotAnError: a projector stopped at any moment,
// including before its consumer exists, returns nil.
func TestProjectorStopIsNotAnError(t *testing.T) {
	s := openTest(t)
	loadBundled(t, s)
	for _, tc := range []struct {
		name  string
		after time.Duration
	}{
		{"before it starts", 0},
		{"while it starts", time.Microsecond},
		{"while it replays", time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(ctxT(t))
			w := mustNew(t, s, NewProjection(), Config{NoCheckpoints: true, Logger: quiet()})
			if tc.after == 0 {
				cancel()
			} else {
				time.AfterFunc(tc.after, cancel)
			}
			if err := w.Run(ctx); err != nil {
				t.Fatalf("Run after cancel = %v, want nil", err)
			}
		})
	}
}

// TestReusedIDReachingTheProjectorIsDeadLettered: an id reused with other
// content that got into the stream anyway (published by hand, past the
// store's check, or written before it) is no observation: the projector
// refuses it, dead-letters it with the reason, counts it rejected, and a
// clean replay says the same.
func TestReusedIDReachingTheProjectorIsDeadLettered(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	orig := position("US", "abstain", "2024-03-25", 1)
	if _, err := s.Append(ctx, orig); err != nil {
		t.Fatal(err)
	}
	reuse := orig
	p := reuse.Data.(events.Position)
	p.Topic = events.MustTopic("gaza-humanitarian")
	reuse.Data = p
	b, err := reuse.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.JetStream().Publish(ctx, reuse.Subject(), b); err != nil { // no once-ever headers
		t.Fatal(err)
	}
	proj := runProjector(t, s, Config{NoCheckpoints: true, DeadLetters: true})
	proj.Read(func(st *projections.State) {
		if st.Len() != 1 || len(st.Positions(projections.PositionFilter{All: true}, projections.Lens{})) != 1 {
			t.Fatalf("%d events, want the first copy alone", st.Len())
		}
		r, ok := st.RejectedAt(2)
		if !ok || !r.IDReused() || !strings.Contains(r.Reason, "data.topic") {
			t.Fatalf("rejected at 2: %+v", r)
		}
		ref := replay(t, s)
		if ref.Digest() != st.Digest() {
			t.Fatal("the projection differs from a clean replay")
		}
	})
	dlq, err := s.JetStream().Stream(ctx, s.DeadLetterStream())
	if err != nil {
		t.Fatal(err)
	}
	m, err := dlq.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if reason := m.Header.Get(store.DeadLetterReason); !strings.Contains(reason, "already the id of an earlier event") {
		t.Fatalf("dead letter reason %q", reason)
	}
}

// TestDamagedEventIsRejected: an event whose bytes no longer match the
// checksum it was stored with (here published by hand with a wrong one)
// is never folded as the different event it now reads as: it is
// rejected as damaged, dead-lettered, and a replay says the same.
func TestDamagedEventIsRejected(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	ev := position("US", "abstain", "2024-03-25", 1)
	b, err := ev.Encode()
	if err != nil {
		t.Fatal(err)
	}
	msg := &nats.Msg{Subject: ev.Subject(), Data: b, Header: nats.Header{eventlog.ChecksumHeader: {eventlog.Checksum(append([]byte("x"), b...))}}}
	if _, err := s.JetStream().PublishMsg(ctx, msg); err != nil {
		t.Fatal(err)
	}
	good := position("GB", "abstain", "2024-03-25", 2)
	if _, err := s.Append(ctx, good); err != nil {
		t.Fatal(err)
	}
	proj := runProjector(t, s, Config{NoCheckpoints: true, DeadLetters: true})
	proj.Read(func(st *projections.State) {
		r, ok := st.RejectedAt(1)
		if !ok || !r.Damaged() || st.Len() != 1 {
			t.Fatalf("rejected at 1: %+v (%v), %d events", r, ok, st.Len())
		}
		if ref, err := Replay(ctx, s, 0); err != nil || ref.Digest() != st.Digest() {
			t.Fatalf("replay differs: %v", err)
		}
	})
}

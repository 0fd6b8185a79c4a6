package store

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/stancewatch/stancewatch/events"
)

// rollCalls makes n groups of size events each, every event distinct.
func rollCalls(n, size int) [][]events.Event {
	groups := make([][]events.Event, n)
	for g := range groups {
		for i := range size {
			groups[g] = append(groups[g], position("US", "abstain", "2024-03-25", g*size+i))
		}
	}
	return groups
}

// progressLog records what AppendGroups reports done.
type progressLog struct {
	mu   sync.Mutex
	done []int
}

func (p *progressLog) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = append(p.done, n)
}

func (p *progressLog) get() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.done)
}

// TestAppendGroupsKeepsEachGroupWhole: a bulk load of many groups goes
// out in atomic batches of at most eventlog.MaxBatch events, no group split over
// two, every ack pointing at its own event, progress reported per batch.
func TestAppendGroupsKeepsEachGroupWhole(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	groups := rollCalls(150, 15)                     // 2250 events: batches of 990, 990, 270
	whole := make([]events.Event, eventlog.MaxBatch) // a group of exactly eventlog.MaxBatch, a batch of its own
	for i := range whole {
		whole[i] = position("GB", "support", "2024-03-25", i)
	}
	groups = slices.Insert(groups, 70, whole)
	var p progressLog
	out, err := s.AppendGroups(ctx, groups, p.add)
	if err != nil {
		t.Fatal(err)
	}
	batchOf := map[uint64]string{}
	batchSize := map[string]int{}
	for g, acks := range out {
		if len(acks) != len(groups[g]) {
			t.Fatalf("group %d: %d acks for %d events", g, len(acks), len(groups[g]))
		}
		for i, a := range acks {
			m, err := s.Stream().GetMsg(ctx, a.Seq)
			if err != nil {
				t.Fatal(err)
			}
			if a.Duplicate || a.ID != groups[g][i].ID || m.Header.Get(eventlog.IDHeader) != groups[g][i].ID.String() {
				t.Fatalf("group %d event %d: ack %+v points at %s", g, i, a, m.Subject)
			}
			id := m.Header.Get(batchIDHeader)
			if id == "" {
				t.Fatalf("group %d event %d at %d is not in an atomic batch", g, i, a.Seq)
			}
			batchOf[a.Seq] = id
			batchSize[id]++
			if i > 0 && (a.Seq != acks[i-1].Seq+1 || id != batchOf[acks[i-1].Seq]) {
				t.Fatalf("group %d is split: event %d at %d in batch %s, event %d at %d in %s",
					g, i-1, acks[i-1].Seq, batchOf[acks[i-1].Seq], i, a.Seq, id)
			}
		}
	}
	for id, n := range batchSize {
		if n > eventlog.MaxBatch {
			t.Fatalf("batch %s holds %d events", id, n)
		}
	}
	total := 2250 + eventlog.MaxBatch
	if got := p.get(); len(got) != len(batchSize) || got[len(got)-1] != total || !slices.IsSorted(got) {
		t.Fatalf("progress %v for %d batches of %d events", got, len(batchSize), total)
	}
	wantLastSeq(t, s, uint64(total))

	again, err := s.AppendGroups(ctx, groups, nil)
	if err != nil {
		t.Fatal(err)
	}
	for g := range again {
		for i, a := range again[g] {
			if !a.Duplicate || a.Seq != out[g][i].Seq {
				t.Fatalf("second load, group %d event %d: %+v, want a duplicate of %d", g, i, a, out[g][i].Seq)
			}
		}
	}
	wantLastSeq(t, s, uint64(total)) // a second load adds nothing
}

func TestAppendGroupsRefusesAnOversizeGroupBeforeSending(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	groups := rollCalls(3, 15)
	groups = append(groups, rollCalls(1, eventlog.MaxBatch+1)[0])
	_, err := s.AppendGroups(ctx, groups, nil)
	if !errors.Is(err, eventlog.ErrBatchTooLarge) || !strings.Contains(err.Error(), "group 3") {
		t.Fatalf("err = %v, want eventlog.ErrBatchTooLarge naming group 3", err)
	}
	wantLastSeq(t, s, 0)
}

// TestAppendGroupsStopsAtABadBatch: a batch that cannot be sent (here an
// event id twice in it) fails with the groups it holds named; the
// batches before it are stored and acknowledged, nothing after it is.
func TestAppendGroupsStopsAtABadBatch(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	groups := rollCalls(200, 15) // batches of 66 groups
	groups[140][3] = groups[139][0]
	var p progressLog
	out, err := s.AppendGroups(ctx, groups, p.add)
	if err == nil || !strings.Contains(err.Error(), "groups 132 to 197") || !strings.Contains(err.Error(), "appears twice") {
		t.Fatalf("err = %v, want the batch of groups 132 to 197 refused for a repeated id", err)
	}
	for g := range 132 {
		if len(out[g]) != 15 {
			t.Fatalf("group %d, stored before the bad batch, has %d acks", g, len(out[g]))
		}
	}
	for g := 132; g < len(out); g++ {
		if out[g] != nil {
			t.Fatalf("group %d, in or after the bad batch, is acknowledged", g)
		}
	}
	if got := p.get(); !slices.Equal(got, []int{990, 1980}) {
		t.Fatalf("progress %v, want [990 1980]", got)
	}
	wantLastSeq(t, s, 1980)
}

// TestAppendGroupsAcknowledgesOnlyWhatIsOnDisk: while a batch's fsync is
// held, nothing of it is reported done and the next batch waits.
func TestAppendGroupsAcknowledgesOnlyWhatIsOnDisk(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	files := &fakeFiles{hold: make(chan struct{}), entered: make(chan struct{})}
	real := s.group.files
	s.group.files = files
	t.Cleanup(real.close)
	var p progressLog
	type result struct {
		out [][]eventlog.Ack
		err error
	}
	res := make(chan result, 1)
	go func() {
		out, err := s.AppendGroups(ctx, rollCalls(150, 15), p.add)
		res <- result{out, err}
	}()
	<-files.entered
	if got := p.get(); len(got) != 0 {
		t.Fatalf("progress %v reported while the first batch's fsync is held", got)
	}
	wantLastSeq(t, s, 990)
	select {
	case r := <-res:
		t.Fatalf("AppendGroups returned (%v) while the fsync is held", r.err)
	default:
	}
	close(files.hold)
	r := <-res
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := p.get(); !slices.Equal(got, []int{990, 1980, 2250}) {
		t.Fatalf("progress %v, want [990 1980 2250]", got)
	}
	if files.calls.Load() < 3 {
		t.Fatalf("%d fsyncs for three batches", files.calls.Load())
	}
}

package ingest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/producers/votes"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), store.Config{DataDir: t.TempDir(), Listen: "off", Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return st
}

// cutAppender stores through the real store, and fails once it has
// stored limit groups: a load cut short.
type cutAppender struct {
	*store.Store
	limit, groups int
	calls         int
}

var errCut = errors.New("power cut")

func (c *cutAppender) AppendGroups(ctx context.Context, groups [][]events.Event, progress func(int)) ([][]eventlog.Ack, error) {
	c.calls++
	if c.limit > 0 && c.groups+len(groups) > c.limit {
		n := c.limit - c.groups
		acks, err := c.Store.AppendGroups(ctx, groups[:n], progress)
		c.groups += n
		if err != nil {
			return acks, err
		}
		return append(acks, make([][]eventlog.Ack, len(groups)-n)...), errCut
	}
	c.groups += len(groups)
	return c.Store.AppendGroups(ctx, groups, progress)
}

func (c *cutAppender) AppendGrouped(ctx context.Context, groups [][]events.Event, progress func(int)) ([][]eventlog.Ack, error) {
	c.calls++
	if c.limit > 0 && c.groups+len(groups) > c.limit {
		n := c.limit - c.groups
		acks, err := c.Store.AppendGrouped(ctx, groups[:n], progress)
		c.groups += n
		if err != nil {
			return acks, err
		}
		return append(acks, make([][]eventlog.Ack, len(groups)-n)...), errCut
	}
	c.groups += len(groups)
	return c.Store.AppendGrouped(ctx, groups, progress)
}

func TestLoaderStoresOnceAndCompletesACutLoad(t *testing.T) {
	for _, grouped := range []bool{false, true} {
		t.Run(map[bool]string{false: "atomic batches", true: "grouped bulk path"}[grouped], func(t *testing.T) {
			testLoaderCut(t, grouped)
		})
	}
}

func testLoaderCut(t *testing.T, grouped bool) {
	st := openStore(t)
	sets := BundledDatasets()[:2] // the Council's Gaza votes and the vetoes: small
	total := 0
	for _, d := range sets {
		rcs, _, err := d.Read()
		if err != nil {
			t.Fatal(err)
		}
		for _, rc := range rcs {
			evs, _ := rc.Events()
			total += len(evs)
		}
	}

	// A first start cut short after 150 roll calls.
	cut := &cutAppender{Store: st, limit: 150}
	l := &Loader{Appender: cut, Finder: st, Log: quiet(), ChunkEvents: 200, Grouped: grouped}
	if err := l.Run(t.Context(), sets); !errors.Is(err, errCut) {
		t.Fatalf("the cut load: %v", err)
	}
	// The next start stores the rest: nothing twice, nothing missing.
	cut.limit = 0
	l = &Loader{Appender: cut, Finder: st, Log: quiet(), ChunkEvents: 200, Grouped: grouped}
	if err := l.Run(t.Context(), sets); err != nil {
		t.Fatal(err)
	}
	last, err := st.LastSeq(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if int(last) != total {
		t.Fatalf("the stream holds %d events, the datasets make %d", last, total)
	}
	for _, s := range l.Status() {
		if s.State != "loaded" || s.Done != s.Events || s.Added+s.Stored != s.Events {
			t.Fatalf("status %+v", s)
		}
	}
	// A third start finds every chunk stored and sends nothing.
	calls := cut.calls
	l = &Loader{Appender: cut, Finder: st, Log: quiet(), ChunkEvents: 200, Grouped: grouped}
	if err := l.Run(t.Context(), sets); err != nil {
		t.Fatal(err)
	}
	if cut.calls != calls {
		t.Fatalf("a start with everything stored sent %d chunks again", cut.calls-calls)
	}
	for _, s := range l.Status() {
		if s.Added != 0 || s.Stored != s.Events {
			t.Fatalf("the third start: %+v", s)
		}
	}
}

// TestLibraryCopyOfTheAssemblyRecord ingests the UN Digital Library's
// General Assembly voting data over the bundled record: a vote both hold
// is one event, a roll call recorded otherwise is refused whole and said,
// and a roll call after 2020 is new.
func TestLibraryCopyOfTheAssemblyRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the General Assembly record")
	}
	st := openStore(t)
	rcs, _, err := ReadUnvotesFS(data.Files(), data.UnvotesRollCalls, data.UnvotesIssues, data.UnvotesVotes)
	if err != nil {
		t.Fatal(err)
	}
	var two []votes.RollCall
	for _, rc := range rcs {
		if id := rc.Motion.ID.String(); id == "A/RES/68/262" || id == "A/RES/74/7" {
			two = append(two, rc)
		}
	}
	if _, err := RollCalls(t.Context(), st, two, nil); err != nil {
		t.Fatal(err)
	}
	// The fixture is the Library's layout; its A/RES/74/7 row for the
	// United States says yes where the record says no, on purpose.
	lib, rowErrs, err := ReadVotes("../../producers/votes/testdata/undl_ga_voting_sample.csv", events.Topic{})
	if err != nil || len(rowErrs) > 0 {
		t.Fatalf("%v %v", err, rowErrs)
	}
	sum, err := RollCalls(t.Context(), st, lib, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A/RES/68/262: three votes the record holds (duplicates) and the
	// Library's motion (new); A/RES/74/7: refused; A/RES/ES-10/21: a motion
	// and four votes, new.
	if sum.Duplicates != 3 || sum.Added != 1+5 || len(sum.Refused) != 1 || !strings.Contains(sum.Refused[0], "A/RES/74/7") ||
		!strings.Contains(sum.Refused[0], "vote_no") {
		t.Fatalf("summary %+v", sum)
	}
	for _, rc := range lib {
		if rc.Motion.ID.String() == "A/RES/68/262" && rc.Motion.Topic.String() != votes.TopicGeneralAssembly {
			t.Errorf("A/RES/68/262 under %s: the record files it under general-assembly", rc.Motion.Topic)
		}
		if rc.Motion.ID.String() == "A/RES/ES-10/21" && (rc.Motion.Body != votes.BodyGeneralAssembly || rc.Motion.Session != "ES-10") {
			t.Errorf("motion %+v", rc.Motion)
		}
	}
}

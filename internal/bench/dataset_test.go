package bench

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/projector"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/producers/votes"
	"github.com/stancewatch/stancewatch/projections"
	"github.com/stancewatch/stancewatch/projections/alignment"
)

// TestNewRollCallFigure runs the last figure of `bench --dataset` on a
// small record of 2019 human-rights roll calls, loaded through a real
// store and projector: the new roll calls reach every measure of the copy
// of the projection's state, and the projection itself is left as it was.
func TestNewRollCallFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an embedded server")
	}
	ctx := t.Context()
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Listen: "off", Logger: discard()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	voters := []string{"IN", "US", "FR", "GB", "CU"}
	rollCall := func(n int, ballot ...votes.Vote) votes.RollCall {
		t.Helper()
		rc := votes.RollCall{Source: votes.UnvotesSource, Unquoted: true, Evidence: events.Source{URL: votes.UnvotesRecord, Citation: "a roll call"}, Motion: events.Motion{
			ID: events.MustMotionID(fmt.Sprintf("A/RES/74/%d", n)), Kind: events.KindResolution, Body: votes.BodyGeneralAssembly,
			Topic: events.MustTopic("human-rights"), Date: events.MustDate("2019-12-18"), Outcome: events.OutcomeAdopted, Session: "74",
			Title: fmt.Sprintf("resolution %d", n)}}
		for i, v := range ballot {
			rc.Votes = append(rc.Votes, votes.MemberVote{Actor: events.MustCountry(voters[i]), Vote: v})
		}
		return rc
	}
	y, no, ab := votes.Yes, votes.No, votes.Abstain
	rcs := []votes.RollCall{
		rollCall(150, y, no, no, no, y),
		rollCall(152, y, y, y, y, y),
		rollCall(154, y, no, no, ab, y), // the template
		rollCall(156, ab, no, y, y, y),
	}
	for _, rc := range rcs {
		evs, err := rc.Events()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AppendBatch(ctx, evs); err != nil {
			t.Fatal(err)
		}
	}
	_, p, err := projectorCatchUp(ctx, st, projector.Config{Logger: discard(), NoCheckpoints: true})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := rollCallOf(rcs, newRollCallTemplate)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rollCallOf(rcs, "A/RES/74/999"); err == nil {
		t.Error("rollCallOf found a motion the record does not hold")
	}
	cp, err := stateCopy(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := newRollCallFigure(cp, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "a new roll call of 190 votes, every measure updated" || f.Unit != "ms" || f.Target != "< 50 ms" || f.Met == nil ||
		f.Value <= 0 || !strings.Contains(f.Note, "A/RES/74/154") {
		t.Errorf("figure %+v", f)
	}

	year := projections.VoteFilter{Topic: events.MustTopic("human-rights"), From: events.MustDate("2019-01-01"), To: events.MustDate("2019-12-31")}
	in, us := events.MustCountry("IN"), events.MustCountry("US")
	for _, c := range []struct {
		name      string
		read      func(fn func(*projections.State))
		rollCalls int
		inUS      alignment.Figure
	}{
		// IN and US parted on 150, 154 (twice) and 156 (an abstention):
		// each copy of 154 is one more 0.
		{"the projection, as it was", p.Read, 4, alignment.Figure{Value: 0.375, N: 4}},
		{"the copy, six roll calls later", func(fn func(*projections.State)) { fn(cp) }, 10, alignment.Figure{Value: 0.15, N: 10}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.read(func(s *projections.State) {
				tb := s.VoteTable(year, projections.Lens{})
				got := alignment.PairMatrix(tb, alignment.Agreement).Cell(in, us)
				if len(tb.RollCalls) != c.rollCalls || got != c.inUS {
					t.Errorf("%d roll calls, IN–US %+v; want %d, %+v", len(tb.RollCalls), got, c.rollCalls, c.inUS)
				}
			})
		})
	}
}

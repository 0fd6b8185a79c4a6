package votes

import (
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
)

// readUnvotes reads the three unvotes tables (roll calls, issues, votes)
// from fsys.
func readUnvotes(t *testing.T, fsys fs.FS, names [3]string) ([]RollCall, []RowError) {
	t.Helper()
	var r [3]io.Reader
	for i, n := range names {
		f, err := fsys.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		r[i] = f
	}
	rcs, errs, err := ReadUnvotes(UnvotesFiles{RollCalls: r[0], Issues: r[1], Votes: r[2], Names: names})
	if err != nil {
		t.Fatal(err)
	}
	return rcs, errs
}

func byMotion(rcs []RollCall) map[string]RollCall {
	out := map[string]RollCall{}
	for _, rc := range rcs {
		out[rc.Motion.ID.String()] = rc
	}
	return out
}

func voteOf(rc RollCall, actor string) Vote {
	for _, v := range rc.Votes {
		if v.Actor.String() == actor {
			return v.Vote
		}
	}
	return ""
}

func TestReadUnvotesFixture(t *testing.T) {
	rcs, errs := readUnvotes(t, os.DirFS("testdata/unvotes"), [3]string{"un_roll_calls.csv", "un_roll_call_issues.csv", "un_votes.csv.gz"})
	got := byMotion(rcs)
	tests := []struct {
		name, motion string
		check        func(t *testing.T, rc RollCall)
	}{
		{"a session before 31 gets the Roman numeral form", "A/RES/3070(XXVIII)", func(t *testing.T, rc RollCall) {
			if rc.Motion.Topic.String() != TopicColonialism || len(rc.AlsoTopics) != 1 || rc.AlsoTopics[0].String() != TopicHumanRights {
				t.Errorf("topics %s + %v, want colonialism + human-rights", rc.Motion.Topic, rc.AlsoTopics)
			}
			if voteOf(rc, "XG") != Abstain || voteOf(rc, "DD") != Yes || voteOf(rc, "YU") != Yes {
				t.Errorf("former states: %+v", rc.Votes)
			}
			if rc.Motion.Important != nil {
				t.Errorf("the important-vote flag is not coded before session 39, got %v", *rc.Motion.Important)
			}
		}},
		{"the tally is counted from the votes and rows in error do not count", "A/RES/68/262", func(t *testing.T, rc RollCall) {
			if rc.Motion.Tally.String() != "1-1-1" || rc.Motion.Title != "Territorial integrity of Ukraine" || rc.Motion.Outcome != events.OutcomeAdopted {
				t.Errorf("motion %+v", rc.Motion)
			}
			if rc.Motion.Topic.String() != TopicGeneralAssembly {
				t.Errorf("a roll call without an issue code is in %s", rc.Motion.Topic)
			}
			if rc.Motion.Important == nil || *rc.Motion.Important {
				t.Errorf("important vote: coded 0 from session 39 on")
			}
			evs, _ := rc.Events()
			p := evs[1].Data.(events.Position)
			if p.Evidence.Quote != "" || p.Evidence.URL != "https://undocs.org/en/A/RES/68/262" || !strings.Contains(p.Evidence.Citation, "rcid 11") {
				t.Errorf("evidence %+v", p.Evidence)
			}
		}},
		{"the vote on the whole text holds the symbol", "A/RES/72/50", func(t *testing.T, rc RollCall) {
			if rc.Motion.Kind != events.KindResolution || voteOf(rc, "US") != No {
				t.Errorf("motion %+v votes %+v", rc.Motion, rc.Votes)
			}
			if rc.Motion.Topic.String() != TopicArmsControl || len(rc.AlsoTopics) != 1 {
				t.Errorf("topics %s %v", rc.Motion.Topic, rc.AlsoTopics)
			}
		}},
		{"a paragraph vote is a part of the text", "a-res-72-50-rcid-12", func(t *testing.T, rc RollCall) {
			if rc.Motion.Kind != events.KindPart || rc.Motion.Amends.String() != "A/RES/72/50" || rc.Motion.Outcome != events.OutcomeUnknown {
				t.Errorf("motion %+v", rc.Motion)
			}
		}},
		{"a roll call without a symbol gets a local id", "unga-rcid-14", func(t *testing.T, rc RollCall) {
			if rc.Motion.Outcome != events.OutcomeUnknown || voteOf(rc, "IN") != Yes {
				t.Errorf("motion %+v", rc.Motion)
			}
		}},
		{"an amendment alone does not take the text's symbol", "a-res-1900-xviii-rcid-15", func(t *testing.T, rc RollCall) {
			if rc.Motion.Kind != events.KindAmendment || rc.Motion.Amends.String() != "A/RES/1900(XVIII)" || voteOf(rc, "XZ") != Yes || voteOf(rc, "XY") != No {
				t.Errorf("motion %+v votes %+v", rc.Motion, rc.Votes)
			}
			if rc.Motion.Important == nil || !*rc.Motion.Important {
				t.Error("coded important")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, ok := got[tt.motion]
			if !ok {
				t.Fatalf("no roll call %s among %v", tt.motion, keys(got))
			}
			if tt.check != nil {
				tt.check(t, rc)
			}
		})
	}
	// Rows in error: an unknown code, a vote that is not one, a member
	// voting twice, an issue of a roll call not in the file, an unknown
	// issue code. Each names its file, line and column.
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	for _, want := range []string{`un_votes.csv.gz:9: country_code: "QQ"`, `un_votes.csv.gz:10: vote: "maybe"`, "un_votes.csv.gz:15: country_code: CU already voted",
		`un_roll_call_issues.csv:7: rcid: roll call "99"`, `un_roll_call_issues.csv:8: short_name: "xx"`} {
		if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, want) }) {
			t.Errorf("no error %q among\n%s", want, strings.Join(msgs, "\n"))
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestBundledGeneralAssemblyRecord checks the bundled record against the
// public record: counts from the dataset's README, and roll calls anyone
// can look up.
func TestBundledGeneralAssemblyRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 870,000 votes")
	}
	rcs, errs := readUnvotes(t, data.Files(), [3]string{data.UnvotesRollCalls, data.UnvotesIssues, data.UnvotesVotes})
	if len(errs) > 0 {
		t.Fatalf("%d rows refused, first: %v", len(errs), errs[0])
	}
	votes, events_ := 0, 0
	for _, rc := range rcs {
		votes += len(rc.Votes)
		events_ += rc.EventCount()
	}
	if len(rcs) != 6203 || votes != 870109 {
		t.Fatalf("%d roll calls, %d votes: want 6,203 and 870,109", len(rcs), votes)
	}
	t.Logf("%d events", events_)
	got := byMotion(rcs)
	ukraine := got["A/RES/68/262"]
	if ukraine.Motion.Tally.String() != "100-11-58" || voteOf(ukraine, "RU") != No || voteOf(ukraine, "CN") != Abstain {
		t.Errorf("A/RES/68/262: %s, RU %s, CN %s", ukraine.Motion.Tally, voteOf(ukraine, "RU"), voteOf(ukraine, "CN"))
	}
	cuba := got["A/RES/74/7"]
	if cuba.Motion.Tally.String() != "187-3-2" || voteOf(cuba, "US") != No || voteOf(cuba, "IL") != No || voteOf(cuba, "BR") != No || voteOf(cuba, "UA") != Abstain {
		t.Errorf("A/RES/74/7: %s", cuba.Motion.Tally)
	}
	// India on the Palestinian conflict, 1947 to 2019; Yugoslavia votes.
	first, last := "9999", "0000"
	yu := 0
	for _, rc := range rcs {
		if voteOf(rc, "YU") != "" {
			yu++
		}
		if voteOf(rc, "IN") == "" || rc.Motion.Topic.String() != TopicPalestinianConflict && !slices.Contains(rc.AlsoTopics, events.MustTopic(TopicPalestinianConflict)) {
			continue
		}
		first, last = min(first, rc.Motion.Date.String()), max(last, rc.Motion.Date.String())
	}
	if !strings.HasPrefix(first, "1947") || !strings.HasPrefix(last, "2019") || yu < 5000 {
		t.Errorf("India on the Palestinian conflict from %s to %s; Yugoslavia in %d roll calls", first, last, yu)
	}
}

func TestReadVetoes(t *testing.T) {
	f, err := data.Files().Open(data.Vetoes)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rcs, errs, err := ReadVetoes(f, data.Vetoes)
	if err != nil || len(errs) > 0 {
		t.Fatalf("%v %v", err, errs)
	}
	count := map[string]int{}
	for _, rc := range rcs {
		evs, err := rc.Events()
		if err != nil {
			t.Fatal(err)
		}
		if rc.Motion.Outcome != events.OutcomeVetoed || len(evs) != 1+len(rc.Motion.VetoedBy) {
			t.Fatalf("%s: %+v", rc.Motion.ID, rc.Motion)
		}
		for _, ev := range evs[1:] {
			p := ev.Data.(events.Position)
			if p.Stance != events.Veto {
				t.Fatalf("%s: %s %s, want a veto", rc.Motion.ID, p.Actor, p.Stance)
			}
			count[p.Actor.String()]++
		}
	}
	// 214 drafts; the Soviet Union's and Russia's vetoes are Russia's seat.
	want := map[string]int{"RU": 121, "US": 82, "GB": 29, "FR": 16, "CN": 17}
	if len(rcs) != 214 || !mapsEqual(count, want) {
		t.Errorf("%d drafts, vetoes %v, want 214 and %v", len(rcs), count, want)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

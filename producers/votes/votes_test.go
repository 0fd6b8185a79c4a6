package votes

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
)

// sharedDir is ../shared beside the repository, where CI puts it.
const sharedDir = "../../../shared/data"

func TestBundledDatasetIsBuiltFromSharedTable(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(sharedDir, "unsc_gaza_votes.json"))
	if os.IsNotExist(err) {
		fmt.Fprintf(os.Stderr, "SKIP %s (not run): no %s beside the repository: cannot check the bundled dataset against its source\n", t.Name(), sharedDir) // shown without -v too
		t.Skipf("no %s beside the repository: cannot check the bundled dataset against its source", sharedDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	built, err := BuildDataset(src, "shared/data/unsc_gaza_votes.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(built, data.GazaRollCalls) {
		t.Fatalf("data/%s is not what `stancewatch dataset build` makes of the shared table; rebuild it", data.GazaRollCallsFile)
	}
}

func readBundled(t *testing.T) []RollCall {
	t.Helper()
	rcs, errs, err := ReadDataset(bytes.NewReader(data.GazaRollCalls), data.GazaRollCallsFile)
	if err != nil || len(errs) > 0 {
		t.Fatalf("bundled dataset: %v %v", err, errs)
	}
	return rcs
}

func TestBundledDataset(t *testing.T) {
	rcs := readBundled(t)
	if len(rcs) != 17 {
		t.Fatalf("%d roll calls, want 17", len(rcs))
	}
	us := events.MustCountry("US")
	got := map[string]string{}
	positions := 0
	for _, rc := range rcs {
		evs, err := rc.Events()
		if err != nil {
			t.Fatal(err)
		}
		if evs[0].Data.Type() != events.TypeMotion {
			t.Fatalf("%s: first event is %s, want the motion", rc.Motion.ID, evs[0].Data.Type())
		}
		for _, ev := range evs[1:] {
			positions++
			p := ev.Data.(events.Position)
			if p.Actor == us {
				got[p.Occurred.String()+" "+p.Motion.String()] = p.Stance.String()
			}
			if (p.Evidence.URL == "" && p.Evidence.Citation == "") || !strings.HasPrefix(p.Evidence.Document, data.GazaRollCallsFile+"#") {
				t.Errorf("%s: evidence %+v lacks its source", ev.ID, p.Evidence)
			}
		}
	}
	for k, want := range map[string]string{
		"2024-02-20 S/2024/173":          "veto",
		"2024-03-22 S/2024/239":          "vote_yes",
		"2024-03-25 S/RES/2728":          "abstain",
		"2023-12-08 S/2023/970":          "veto",
		"2024-11-20 S/2024/835":          "veto",
		"2023-10-16 2023-10-16-ru-draft": "vote_no", // a no on a draft without nine yes votes is not a veto
	} {
		if got[k] != want {
			t.Errorf("US on %s: %q, want %q", k, got[k], want)
		}
	}
	// 15 members on 15 full roll calls, and only the US on the two
	// amendment votes whose other votes no source confirmed.
	if positions != 15*15+2 {
		t.Errorf("%d positions, want %d", positions, 15*15+2)
	}
}

func TestDatasetEventsAreDeterministic(t *testing.T) {
	a, b := readBundled(t), readBundled(t)
	for i := range a {
		ea, _ := a[i].Events()
		eb, _ := b[i].Events()
		for j := range ea {
			if ea[j].ID != eb[j].ID || ea[j].ID.Version() != 5 {
				t.Fatalf("event ids differ between two readings, or are not UUIDv5")
			}
		}
	}
}

func TestDatasetRejectsInconsistentRollCall(t *testing.T) {
	bad := strings.Replace(string(data.GazaRollCalls), `"vetoed_by": [
        "US"
      ],`, `"vetoed_by": [],`, 1)
	i := strings.LastIndex(bad, `"JP": "yes"`) // in another roll call
	bad = bad[:i] + `"JP": "maybe"` + bad[i+len(`"JP": "yes"`):]
	rcs, errs, err := ReadDataset(strings.NewReader(bad), "bad.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 2 || len(rcs) != 15 {
		t.Fatalf("%d roll calls, errors %v; want 15 and two errors", len(rcs), errs)
	}
	if !strings.Contains(errs[0].Error(), "vetoed_by") || !strings.Contains(errs[1].Error(), `votes.JP: "maybe" is not a vote`) {
		t.Fatalf("errors do not say what is wrong: %v", errs)
	}
}

func TestReadUNDLSample(t *testing.T) {
	f, err := os.Open("testdata/undl_sc_voting_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rcs, errs, err := ReadUNDL(f, UNDLOptions{Topic: events.MustTopic("gaza-ceasefire"), File: "undl_sc_voting_sample.csv"})
	if err != nil || len(errs) > 0 {
		t.Fatalf("%v %v", err, errs)
	}
	if len(rcs) != 4 {
		t.Fatalf("%d roll calls, want 4", len(rcs))
	}
	want := map[string]string{"S/RES/2712": "12-0-3", "S/RES/2720": "13-0-2", "S/RES/2728": "14-0-1", "S/RES/2735": "14-0-1"}
	for _, rc := range rcs {
		if len(rc.Votes) != 15 || rc.Motion.Outcome != events.OutcomeAdopted || rc.Motion.Tally.String() != want[rc.Motion.ID.String()] {
			t.Errorf("%s: %d votes, %s %s", rc.Motion.ID, len(rc.Votes), rc.Motion.Outcome, rc.Motion.Tally)
		}
		for _, v := range rc.Votes {
			if v.Actor.String() == "US" && rc.Motion.ID.String() == "S/RES/2728" && rc.Stance(v) != events.Abstain {
				t.Errorf("US on 2728: %s", rc.Stance(v))
			}
		}
	}
}

func TestReadUNDLBadRows(t *testing.T) {
	csv := strings.Join([]string{
		"ms_code,ms_name,ms_vote,date,resolution,draft,total_yes,total_no,total_abstentions",
		"USA,UNITED STATES,A,2024-03-25,S/RES/2728(2024),,14,0,1",        // line 2: good
		"XXX,NOWHERE,Y,2024-03-25,S/RES/2728(2024),,14,0,1",              // line 3: unknown country
		"CHN,CHINA,Q,2024-03-25,S/RES/2728(2024),,14,0,1",                // line 4: bad vote
		"FRA,FRANCE,Y,2024-02-30,S/RES/2728(2024),,14,0,1",               // line 5: impossible date
		"USA,UNITED STATES,Y,2024-03-25,S/RES/2728(2024),,14,0,1",        // line 6: second vote of the US
		`RUS,"RUSSIAN "FEDERATION,Y,2024-03-25,S/RES/2728(2024),,14,0,1`, // line 7: broken quoting
		"GBR,UNITED KINGDOM,Y,2024-03-25,S/RES/2728(2024),,14,0,1",       // line 8: good
		"RUS,RUSSIAN FEDERATION,N,2024-02-20,,S/2024/173,13,1,1",         // line 9: good, another vote
	}, "\n")
	rcs, errs, err := ReadUNDL(strings.NewReader(csv), UNDLOptions{Topic: events.MustTopic("gaza-ceasefire"), File: "v.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, e.Error())
	}
	wantLines := []string{
		`v.csv:3: ms_code: "XXX" is not an ISO 3166-1 alpha-3 code`,
		`v.csv:4: ms_vote: "Q" is not a vote`,
		`v.csv:5: date: "2024-02-30" is not a date`,
		`v.csv:6: ms_code: USA already voted on S/RES/2728 at line 2`,
		`v.csv:7: unreadable CSV row`,
	}
	if len(lines) != len(wantLines) {
		t.Fatalf("errors:\n%s", strings.Join(lines, "\n"))
	}
	for i, w := range wantLines {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("error %d = %q, want prefix %q", i, lines[i], w)
		}
	}
	if len(rcs) != 2 || len(rcs[0].Votes) != 2 || len(rcs[1].Votes) != 1 {
		t.Fatalf("good rows lost: %+v", rcs)
	}
	if st := rcs[1].Stance(rcs[1].Votes[0]); st != events.Veto || rcs[1].Motion.Outcome != events.OutcomeVetoed {
		t.Fatalf("Russia's no on a 13-vote draft is a veto: %s %s", st, rcs[1].Motion.Outcome)
	}
}

func TestReadUNDLNotUNDL(t *testing.T) {
	if _, _, err := ReadUNDL(strings.NewReader("a,b\n1,2\n"), UNDLOptions{File: "x.csv"}); err == nil || !strings.Contains(err.Error(), `no "ms_code" column`) {
		t.Fatalf("err = %v", err)
	}
}

package votes

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/events"
)

// FuzzReadUNDL: no CSV makes the reader panic, and every roll call it
// returns turns into valid events.
func FuzzReadUNDL(f *testing.F) {
	sample, err := os.ReadFile("testdata/undl_sc_voting_sample.csv")
	if err != nil {
		f.Fatal(err)
	}
	// Small seeds: the fuzzer minimises every new input, and a whole
	// file makes that take most of the run.
	lines := strings.Split(string(sample), "\n")
	f.Add([]byte(strings.Join(lines[:3], "\n")))
	f.Add([]byte(lines[0] + "\n" + lines[31] + "\n" + lines[45]))
	f.Add([]byte("ms_code,ms_vote,date,resolution\nUSA,N,2024-02-30,2728\nXXX,Y,2024-01-01,\n\"unterminated"))
	f.Add([]byte("ms_code,ms_vote,date,undl_id\nFRA,X,1945-10-24,abc\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rcs, _, err := ReadUNDL(bytes.NewReader(in), UNDLOptions{Topic: events.MustTopic("fuzz"), File: "fuzz.csv"})
		if err != nil {
			return
		}
		for _, rc := range rcs {
			if _, err := rc.Events(); err != nil {
				t.Fatalf("roll call %s read from %q makes invalid events: %v", rc.Motion.ID, in, err)
			}
		}
	})
}

// FuzzReadDataset: no dataset file makes the reader panic, and every roll
// call it returns turns into valid events.
func FuzzReadDataset(f *testing.F) {
	f.Add([]byte(`{"format":"stancewatch.rollcalls/1","body":"UNSC","sources":{},"rollcalls":[{"key":"k","motion":"2728","kind":"resolution","date":"2024-03-25","topic":"t","title":"x","outcome":"adopted","tally":{"yes":14,"no":0,"abstain":1},"vetoed_by":[],"votes":{"US":"abstain","CN":null},"sources":[]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		rcs, _, err := ReadDataset(bytes.NewReader(in), "fuzz.json")
		if err != nil {
			return
		}
		for _, rc := range rcs {
			if _, err := rc.Events(); err != nil {
				t.Fatalf("roll call %s makes invalid events: %v", rc.Motion.ID, err)
			}
		}
	})
}

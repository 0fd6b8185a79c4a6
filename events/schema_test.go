package events_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

var update = flag.Bool("update", false, "write the fixtures of the current schema version")

// currentFixtures are events of every type in the current schema.
func currentFixtures() map[string]events.Event {
	t := time.Date(2024, 3, 26, 9, 0, 0, 0, time.UTC)
	off := int64(1042)
	yes, no, ab := 11, 3, 1
	id := func(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("0190c7a2-7a5e-7cc0-8000-0000000002%02d", n)) }
	return map[string]events.Event{
		"position.json": {ID: id(1), Source: "stancewatch/news", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.Position{Actor: events.MustCountry("US"), Topic: events.MustTopic("gaza-ceasefire"), Stance: events.Abstain,
				Motion: events.MustMotionID("2728"), Occurred: events.OnDay(events.MustDate("2024-03-25")), From: events.Veto,
				Evidence: events.Evidence{Quote: "on monday , the us abstained on a resolution", URL: "https://example.org/news/2024-03-26-us-abstains",
					Citation: "wire story, 26 March 2024", Document: "001_22775d10c405f852.txt", Offset: &off, Producer: events.ProducerNews, Confidence: 0.9}}},
		"motion.json": {ID: id(2), Source: "stancewatch/votes/dataset", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.Motion{ID: events.MustMotionID("S/2024/239"), Kind: events.KindDraft, Body: "UNSC", Title: "US draft",
				Topic: events.MustTopic("gaza-ceasefire"), Date: events.MustDate("2024-03-22"), Penholders: []events.Country{events.MustCountry("US")},
				Outcome: events.OutcomeVetoed, Tally: events.Tally{Yes: &yes, No: &no, Abstain: &ab},
				VetoedBy: []events.Country{events.MustCountry("CN"), events.MustCountry("RU")},
				Sources:  []events.Source{{URL: "https://press.un.org/en/2024/sc15641.doc.htm", Citation: "UN Meetings Coverage SC/15641"}}}},
		"retraction.json": {ID: id(3), Source: "stancewatch/analyst/cli", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.Retraction{Target: id(1), Reason: "the article was about another vote", Actor: events.MustCountry("US"), Topic: events.MustTopic("gaza-ceasefire")}},
		"correction.json": {ID: id(4), Source: "stancewatch/analyst/cli", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.Position{Actor: events.MustCountry("US"), Topic: events.MustTopic("gaza-ceasefire"), Stance: events.Abstain,
				Motion: events.MustMotionID("2728"), Occurred: events.At(time.Date(2024, 3, 25, 15, 0, 0, 0, time.UTC)), Supersedes: id(1),
				Evidence: events.Evidence{Quote: "the us abstained", Citation: "UN Meetings Coverage SC/15641", Producer: events.ProducerAnalyst, Confidence: 1}}},
		"shift.json": {ID: id(5), Source: "stancewatch/projection", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.ShiftAlert{Actor: events.MustCountry("US"), Topic: events.MustTopic("gaza-ceasefire"), From: events.Veto, To: events.Abstain,
				Direction: events.TowardFor, Date: events.MustDate("2024-03-25"), FromEvent: id(6), ToEvent: id(1), Status: events.ShiftDetected,
				Cause: id(1), CauseSeq: 196, Revises: []uuid.UUID{id(7)}}},
		"alignment.json": {ID: id(10), Source: "stancewatch/projection", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.AlignmentAlert{Actor: events.MustCountry("IN"), Reference: "US", Topic: events.MustTopic("human-rights"), Measure: "agreement",
				Previous: "2018", Period: "2019", Before: events.AlignmentFigure{Value: 0.5125, N: 40}, After: events.AlignmentFigure{Value: 0.2722, N: 90},
				Delta: -0.2403, Evidence: []events.AlignmentEvidence{{Motion: events.MustMotionID("A/RES/74/169"), Date: events.MustDate("2019-12-18"),
					ActorVote: "yes", WithVote: "no", Score: 0}}, Cause: id(1), CauseSeq: 1200}},
		"bloc.json": {ID: events.BlocEventID("quad"), Source: "stancewatch/api", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.BlocDefinition{ID: "quad", Name: "Quadrilateral Security Dialogue", Source: "https://example.org/quad",
				Members: []events.BlocMember{{Actor: events.MustCountry("US")}, {Actor: events.MustCountry("JP")}, {Actor: events.MustCountry("IN")},
					{Actor: events.MustCountry("AU"), From: events.MustDate("2007-05-25")}}}},
		"review.json": {ID: id(8), Source: "stancewatch/news", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.Review{Position: events.Position{Actor: events.MustCountry("RU"), Stance: events.Oppose, Motion: events.MustMotionID("S/2024/239"),
				Evidence: events.Evidence{Quote: "russia ' s ambassador to the un , vassily nebenzia , criticised the text", Document: "000_344147d2c16fac0e.txt",
					Offset: &off, Producer: events.ProducerNews, Confidence: 0.5}},
				Reasons: []string{"confidence 0.50, below 0.70", "the text does not date it"}}},
		"review-accepted.json": {ID: events.ReviewDecisionID(id(8)), Source: "stancewatch/api", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.ReviewDecision{Review: id(8), Actor: events.MustCountry("RU"), Accepted: true, Position: events.AcceptedPositionID(id(8)), Reason: "dated from the meeting record"}},
		"review-rejected.json": {ID: events.ReviewDecisionID(id(9)), Source: "stancewatch/api", Time: t, SchemaVersion: events.CurrentSchemaVersion,
			Data: events.ReviewDecision{Review: id(9), Actor: events.MustCountry("IL"), Reason: "criticism of the Council, not of the text"}},
	}
}

func fixtureDir(v int) string { return filepath.Join("testdata", "schema", fmt.Sprintf("v%d", v)) }

// TestCurrentSchemaFixtures keeps a fixture of every type as the current
// version writes it; run with -update after a schema change to add them.
func TestCurrentSchemaFixtures(t *testing.T) {
	dir := fixtureDir(events.CurrentSchemaVersion)
	for name, ev := range currentFixtures() {
		b, err := ev.Encode()
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, '\n')
		path := filepath.Join(dir, name)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./events -update to write the fixtures of schema version %d)", err, events.CurrentSchemaVersion)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s: the current code writes\n%s\nbut the fixture of version %d holds\n%s\nA change to what is written is a new schema version.",
				path, b, events.CurrentSchemaVersion, want)
		}
	}
}

// TestEveryVersionFolds reads the fixtures of every schema version ever
// written, upcasts them, and folds them all into one state.
func TestEveryVersionFolds(t *testing.T) {
	st := projections.New()
	seq := uint64(0)
	for v := 1; v <= events.CurrentSchemaVersion; v++ {
		files, _ := filepath.Glob(filepath.Join(fixtureDir(v), "*.json"))
		if len(files) == 0 {
			t.Fatalf("no fixtures of schema version %d", v)
		}
		slices.Sort(files)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, fmt.Appendf(nil, `"schemaversion":%d`, v)) {
				t.Fatalf("%s is not written in schema version %d", f, v)
			}
			ev, err := events.Decode(b)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if ev.SchemaVersion != events.CurrentSchemaVersion {
				t.Fatalf("%s: read as version %d", f, ev.SchemaVersion)
			}
			if ev.Data.Type() == events.TypeShiftAlert || ev.Data.Type() == events.TypeAlignmentAlert {
				continue // derived: never folded
			}
			seq++
			st.Apply(ev, projections.Meta{Seq: seq, Recorded: time.Date(2024, 4, 1, 0, 0, int(seq), 0, time.UTC)})
		}
	}
	if st.Len() != int(seq) {
		t.Fatalf("folded %d of %d fixtures", st.Len(), seq)
	}
	h := st.Histories(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), projections.Lens{})
	if len(h) != 1 || len(h[0].Entries) < 3 {
		t.Fatalf("history of the fixtures: %+v", h)
	}
}

func TestUpcastV1(t *testing.T) {
	read := func(name string) events.Event {
		b, err := os.ReadFile(filepath.Join(fixtureDir(1), name))
		if err != nil {
			t.Fatal(err)
		}
		ev, err := events.Decode(b, events.Strict())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return ev
	}
	p := read("position.json").Data.(events.Position)
	if p.Evidence.URL != "https://example.org/news/2024-03-26-us-abstains" || p.Evidence.Citation != "" || *p.Evidence.Offset != 1042 {
		t.Fatalf("a v1 source that is a URL should become the url: %+v", p.Evidence)
	}
	c := read("position-citation.json").Data.(events.Position)
	if c.Evidence.URL != "" || c.Evidence.Citation != "UN veto list (secondary source)" {
		t.Fatalf("a v1 source that is a reference should become the citation: %+v", c.Evidence)
	}
	m := read("motion.json").Data.(events.Motion)
	want := []events.Source{{URL: "https://press.un.org/en/2024/sc15641.doc.htm"}, {Citation: "UN veto list (secondary source)"}}
	if !slices.Equal(m.Sources, want) {
		t.Fatalf("motion sources %+v", m.Sources)
	}
	// Re-encoded, a v1 event is written in the current version.
	b, _ := read("retraction.json").Encode()
	if !strings.Contains(string(b), fmt.Sprintf(`"schemaversion":%d`, events.CurrentSchemaVersion)) {
		t.Fatalf("re-encoded: %s", b)
	}
}

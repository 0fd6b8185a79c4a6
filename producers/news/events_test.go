package news

import (
	"strings"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

func TestEventsFromSeeds(t *testing.T) {
	_, as := readGold(t)
	cat, _ := BundledCatalog()
	ids := map[string]bool{}
	var positions, reviews int
	for _, a := range as {
		found := Extract(a, Options{Catalog: cat})
		evs, err := Events(a, found, IngestOptions{Now: time.Unix(1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		again, _ := Events(a, Extract(a, Options{Catalog: cat}), IngestOptions{Now: time.Unix(2, 0)})
		for i, ev := range evs {
			if again[i].ID != ev.ID {
				t.Fatalf("%s: ids differ between two readings of the same article", a.File)
			}
			if ids[ev.ID.String()] {
				t.Fatalf("%s: id %s twice", a.File, ev.ID)
			}
			ids[ev.ID.String()] = true
			if err := ev.Validate(); err != nil {
				t.Fatal(err)
			}
			f := found[i]
			switch d := ev.Data.(type) {
			case events.Position:
				positions++
				if f.Confidence < DefaultReviewBelow || f.Occurred == nil || f.Topic == nil {
					t.Errorf("%s %s %s published though it needs review", a.File, f.Actor, f.Stance)
				}
				if d.Evidence.Document != a.File || *d.Evidence.Offset != int64(f.Offset) || d.Evidence.Producer != events.ProducerNews {
					t.Errorf("evidence %+v", d.Evidence)
				}
			case events.Review:
				reviews++
				if f.Confidence >= DefaultReviewBelow && f.Occurred != nil && f.Topic != nil {
					t.Errorf("%s %s %s sent to review though sure, dated and with a topic", a.File, f.Actor, f.Stance)
				}
				if len(d.Reasons) == 0 {
					t.Errorf("review without reasons")
				}
			}
		}
	}
	if positions == 0 || reviews == 0 {
		t.Fatalf("%d positions, %d reviews: want both", positions, reviews)
	}
	t.Logf("%d positions, %d reviews", positions, reviews)
}

func TestEventsThreshold(t *testing.T) {
	a, err := ReadArticle("a.txt", []byte("On Friday, Russia vetoed the draft calling for a ceasefire in Gaza."), Overrides{Published: events.MustDate("2024-03-23")})
	if err != nil {
		t.Fatal(err)
	}
	// Without a catalog, the topic comes from a hint given as an option.
	found := Extract(a, Options{Hints: []TopicHint{{Place: "gaza", Topic: events.MustTopic("gaza-ceasefire")}}})
	for _, tc := range []struct {
		below float64
		want  events.Type
	}{{0.5, events.TypePosition}, {0.99, events.TypeReview}} {
		evs, err := Events(a, found, IngestOptions{ReviewBelow: tc.below})
		if err != nil || len(evs) != 1 || evs[0].Data.Type() != tc.want {
			t.Fatalf("below %v: %v %v, want one %s", tc.below, evs, err, tc.want)
		}
		if r, ok := evs[0].Data.(events.Review); ok && !strings.HasPrefix(r.Reasons[0], "confidence") {
			t.Fatalf("reasons %v", r.Reasons)
		}
	}
	if _, err := Events(a, found, IngestOptions{ReviewBelow: 2}); err == nil {
		t.Fatal("threshold 2 accepted")
	}
}

func TestOptionsValidate(t *testing.T) {
	cat, err := BundledCatalog()
	if err != nil {
		t.Fatal(err)
	}
	gaza := events.MustTopic("gaza-ceasefire")
	for _, tc := range []struct {
		name string
		o    Options
		want []string // nil: valid
	}{
		{"none", Options{}, nil},
		{"the bundled catalog's hints", Options{Catalog: cat}, nil},
		{"a hint in lower case", Options{Hints: []TopicHint{{Place: "gaza", Topic: gaza}}}, nil},
		{"an empty place", Options{Hints: []TopicHint{{Topic: gaza}}}, []string{`hints[0].place: ""`}},
		{"a capitalised place, a hint without a topic", Options{Hints: []TopicHint{{Place: "Gaza", Topic: gaza}, {Place: "rafah"}}},
			[]string{`hints[0].place: "Gaza"`, "hints[1].topic"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			if (err == nil) != (tc.want == nil) {
				t.Fatalf("Validate() = %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, lacks %q", err, w)
				}
			}
		})
	}
}

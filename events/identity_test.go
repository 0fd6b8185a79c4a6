package events_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

func TestDifferences(t *testing.T) {
	base := events.Position{Actor: events.MustCountry("US"), Topic: events.MustTopic("gaza-ceasefire"), Stance: events.Veto,
		Occurred: events.OnDay(events.MustDate("2024-02-20")), Evidence: events.Evidence{Quote: "q", Producer: events.ProducerRollCall, Confidence: 1}}
	ev := events.Event{ID: uuid.New(), Source: "a", Data: base}
	for _, tc := range []struct {
		name  string
		other func(p *events.Position)
		want  []string
	}{
		{"the same", func(p *events.Position) {}, nil},
		{"other evidence: provenance", func(p *events.Position) { p.Evidence.Quote, p.Evidence.Document = "another quote", "f.csv#1" }, nil},
		{"another stance", func(p *events.Position) { p.Stance = events.Abstain }, []string{`data.stance: "veto", not "abstain"`}},
		{"another producer", func(p *events.Position) { p.Evidence.Producer = events.ProducerAnalyst }, []string{"data.evidence.producer"}},
		{"another topic", func(p *events.Position) { p.Topic = events.MustTopic("other") }, []string{"subject:", "data.topic"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			tc.other(&p)
			other := ev
			other.Source, other.Data = "b", p
			got := strings.Join(events.Differences(ev, other), "\n")
			if (got == "") != (len(tc.want) == 0) {
				t.Fatalf("Differences = %q, want %q", got, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Differences = %q, lacks %q", got, w)
				}
			}
		})
	}
}

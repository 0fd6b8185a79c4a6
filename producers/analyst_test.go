package producers_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers"
)

// TestAnalystPositionReportsEveryField: a wrong actor does not hide the
// missing evidence, and the reverse.
func TestAnalystPositionReportsEveryField(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   producers.AnalystInput
		want string
	}{
		{"bad actor and no evidence", producers.AnalystInput{Actor: "Atlantis", Topic: "gaza-ceasefire", Stance: "veto", On: "2024-03-25"}, "actor,quote"},
		{"bad date, bad stance and no evidence", producers.AnalystInput{Actor: "US", Topic: "gaza-ceasefire", Stance: "maybe", On: "2024-02-30"}, "stance,on,quote"},
		{"only the evidence", producers.AnalystInput{Actor: "US", Topic: "gaza-ceasefire", Stance: "veto", On: "2024-03-25"}, "quote"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := producers.AnalystPosition(tc.in, time.Now())
			var ve *events.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != tc.want {
				t.Fatalf("fields %v, want %s (%v)", got, tc.want, err)
			}
		})
	}
}

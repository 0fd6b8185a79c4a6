package projections

import (
	"testing"

	"github.com/stancewatch/stancewatch/events"
)

func TestMatrix(t *testing.T) {
	s := fold(usStory().recs)
	m := s.Matrix(events.MustTopic("gaza-ceasefire"), Lens{})
	var cols []string
	for _, mo := range m.Motions {
		cols = append(cols, mo.ID.String()+"@"+mo.Date.String())
	}
	// described motions and motions named only by positions, by date
	want := []string{"S/2023/970@2023-12-08", "S/2024/173@2024-02-20", "S/2024/239@2024-03-22", "S/RES/2728@2024-03-25"}
	if len(cols) != len(want) {
		t.Fatalf("columns %v, want %v", cols, want)
	}
	for i := range want {
		if cols[i] != want[i] {
			t.Fatalf("columns %v, want %v", cols, want)
		}
	}
	cell := func(actor, motion string) string {
		for _, r := range m.Actors {
			if r.Actor.String() == actor {
				if p, ok := r.Cells[motion]; ok {
					return p.Stance.String()
				}
				return "-"
			}
		}
		return "no row"
	}
	for _, tc := range []struct{ actor, motion, want string }{
		{"US", "S/2024/173", "veto"},
		{"US", "S/RES/2728", "abstain"},  // the roll call, not the news report it overrules; the alias folds into 2728
		{"CN", "S/RES/2728", "vote_yes"}, // the retracted abstention is gone
		{"GB", "S/2024/239", "-"},
		{"FR", "S/2024/173", "-"}, // FR has a row (a stance without a motion) and no cells
	} {
		if got := cell(tc.actor, tc.motion); got != tc.want {
			t.Errorf("%s on %s: %s, want %s", tc.actor, tc.motion, got, tc.want)
		}
	}
	// as of a day, later texts and positions are not there
	early := s.Matrix(events.MustTopic("gaza-ceasefire"), Lens{AsOf: events.MustDate("2024-03-01")})
	for _, mo := range early.Motions {
		if mo.Date.Compare(events.MustDate("2024-03-01")) > 0 {
			t.Errorf("as of 2024-03-01 the matrix has %s of %s", mo.ID, mo.Date)
		}
	}
}

package projections

import (
	"errors"
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

// TestMatrixCutAndByYear: a matrix cut to days holds only the texts of
// those days; a compact one holds stances without evidence; the matrix by
// year counts each actor's counted positions of each year, and agrees
// with the single votes it sums.
func TestMatrixCutAndByYear(t *testing.T) {
	s := fold(usStory().recs)
	topic := events.MustTopic("gaza-ceasefire")
	full := s.Matrix(topic, Lens{})
	cut := s.MatrixOf(topic, Lens{}, MatrixOptions{From: events.MustDate("2024-01-01"), To: events.MustDate("2024-12-31"), Compact: true})
	for _, mo := range cut.Motions {
		if mo.Date.Before(events.MustDate("2024-01-01")) {
			t.Errorf("the 2024 matrix has %s of %s", mo.ID, mo.Date)
		}
	}
	if len(cut.Motions) == 0 || len(cut.Motions) >= len(full.Motions) {
		t.Errorf("2024: %d texts of %d", len(cut.Motions), len(full.Motions))
	}
	for _, r := range cut.Actors {
		if r.Cells != nil || r.Current != nil {
			t.Errorf("%s: a compact row has evidence", r.Actor)
		}
		for _, fr := range full.Actors {
			if fr.Actor != r.Actor {
				continue
			}
			for id, st := range r.Stances {
				if fr.Cells[id].Stance != st {
					t.Errorf("%s on %s: compact %s, full %s", r.Actor, id, st, fr.Cells[id].Stance)
				}
			}
		}
	}
	ym := s.MatrixByYear(topic, Lens{})
	var years []int
	for _, y := range ym.Years {
		years = append(years, y.Year)
	}
	if len(years) != 2 || years[0] != 2023 || years[1] != 2024 {
		t.Fatalf("years %v, want [2023 2024]", years)
	}
	for _, r := range ym.Actors {
		if r.Actor.String() != "US" {
			continue
		}
		if got := r.Counts["veto"]; len(got) != 2 || got[0] != 1 || got[1] != 1 {
			t.Errorf("US vetoes by year: %v, want [1 1]", got)
		}
		if got := r.Counts["abstain"]; len(got) != 2 || got[1] < 1 {
			t.Errorf("US abstentions by year: %v", got)
		}
	}
	early := s.MatrixByYear(topic, Lens{AsOf: events.MustDate("2023-12-31")})
	if len(early.Years) != 1 {
		t.Errorf("as of 2023: years %+v", early.Years)
	}
}

func TestMatrixOptionsValidate(t *testing.T) {
	d := events.MustDate
	for _, tc := range []struct {
		name string
		o    MatrixOptions
		ok   bool
	}{
		{"open", MatrixOptions{}, true},
		{"from only", MatrixOptions{From: d("2020-01-01")}, true},
		{"one day", MatrixOptions{From: d("2020-01-01"), To: d("2020-01-01")}, true},
		{"ends before it starts", MatrixOptions{From: d("2020-01-02"), To: d("2020-01-01")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			var fe events.FieldError
			if (err == nil) != tc.ok || (err != nil && (!errors.As(err, &fe) || fe.Field != "to")) {
				t.Fatalf("Validate() = %v", err)
			}
		})
	}
}

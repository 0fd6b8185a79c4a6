package alignment

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// camps builds k roll calls on which US, IL and GB vote yes, CU, KP and
// IR vote no, IN abstains, and FR votes only on the first three.
func camps(t *testing.T, k int) projections.VoteTable {
	t.Helper()
	rows := map[string]string{}
	for d := range k {
		fr := "-"
		if d < 3 {
			fr = "y"
		}
		rows[fmt.Sprintf("2019-01-%02d", d+1)] = "nyyyna" + fr + "y" // CU US IL GB KP IN FR IR
	}
	// IR votes no: fix its column.
	for d, r := range rows {
		rows[d] = r[:7] + "n"
	}
	return table(t, "CU US IL GB KP IN FR IR", rows)
}

func TestScaleKnownAnswer(t *testing.T) {
	cases := []struct {
		name   string
		vt     projections.VoteTable
		min    int
		want   map[string]float64
		left   []string
		lambda float64
	}{
		{
			name: "two camps and a middle actor",
			vt:   camps(t, 12),
			// d = 0 within a camp, 1 across, 0.5 to IN: exactly the
			// line −½, 0, +½ (centred: three on each side).
			want: map[string]float64{"US": 0.5, "IL": 0.5, "GB": 0.5, "IN": 0, "CU": -0.5, "KP": -0.5, "IR": -0.5},
			left: []string{"FR"}, lambda: 1.5,
		},
		{
			name: "a lower minimum places FR with its camp",
			vt:   camps(t, 12), min: 3,
			// Four on the yes side now: the line is centred on the
			// actors' mean, 1/16 toward them.
			want: map[string]float64{"US": 0.4375, "IL": 0.4375, "GB": 0.4375, "FR": 0.4375, "IN": -0.0625, "CU": -0.5625, "KP": -0.5625, "IR": -0.5625},
		},
		{
			name: "too few roll calls for anyone",
			vt:   camps(t, 5),
			want: map[string]float64{},
			left: []string{"CU", "FR", "GB", "IL", "IN", "IR", "KP", "US"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Scale(c.vt, Agreement, c.min)
			if len(s.Positions) != len(c.want) {
				t.Errorf("%d placed, want %d: %+v", len(s.Positions), len(c.want), s.Positions)
			}
			for a, w := range c.want {
				p, ok := s.Position(events.MustCountry(a))
				if !ok {
					t.Errorf("%s not placed", a)
					continue
				}
				if math.Abs(p.Position-w) > 1e-4 {
					t.Errorf("%s at %v, want %v", a, p.Position, w)
				}
			}
			var left []string
			for _, l := range s.LeftOut {
				left = append(left, l.Actor.String())
			}
			if strings.Join(left, ",") != strings.Join(c.left, ",") {
				t.Errorf("left out %v, want %v", left, c.left)
			}
			if c.lambda != 0 && (math.Abs(s.Eigenvalue-c.lambda) > 1e-4 || math.Abs(s.Explained-1) > 1e-4) {
				t.Errorf("λ₁ %v explaining %v, want %v explaining 1", s.Eigenvalue, s.Explained, c.lambda)
			}
			if len(c.want) > 0 && s.Anchor != events.MustCountry("US") {
				t.Errorf("anchor %v, want US", s.Anchor)
			}
		})
	}
}

func TestScaleSignWithoutTheUS(t *testing.T) {
	vt := camps(t, 12)
	us := vt.ActorIndex(events.MustCountry("US"))
	for _, rc := range vt.RollCalls {
		rc.Votes[us] = projections.NotVoting
	}
	s := Scale(vt, Agreement, 0)
	// CU comes first in the table: it is made positive.
	if s.Anchor != events.MustCountry("CU") {
		t.Errorf("anchor %v, want CU (the first actor of the table)", s.Anchor)
	}
	if p, _ := s.Position(events.MustCountry("CU")); p.Position <= 0 {
		t.Errorf("CU at %v, want positive", p.Position)
	}
	if p, _ := s.Position(events.MustCountry("IL")); p.Position >= 0 {
		t.Errorf("IL at %v, want negative", p.Position)
	}
}

func TestScaleDeterministic(t *testing.T) {
	vt := table(t, "US IL GB FR CU KP IR IN BR", map[string]string{
		"2019-01-01": "yyyyynnaa", "2019-01-02": "nnyyyyyya", "2019-01-03": "nnnayyyyy", "2019-01-04": "nnaayyyyy",
		"2019-01-05": "ynyanyyay", "2019-01-06": "nnayyyyyy", "2019-01-07": "yyyynnnna", "2019-01-08": "nnaayyyay",
		"2019-01-09": "nnnnyyyyy", "2019-01-10": "yyaannnay", "2019-01-11": "nnnayyyyy", "2019-01-12": "ny-ayyyay",
	})
	first := Scale(vt, Agreement, 0)
	for i := range 5 {
		if again := Scale(vt, Agreement, 0); !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d differs:\n%+v\n%+v", i, first, again)
		}
	}
	us, _ := first.Position(events.MustCountry("US"))
	cu, _ := first.Position(events.MustCountry("CU"))
	if us.Position <= 0 || cu.Position >= 0 {
		t.Errorf("US %v, CU %v: want the US positive and Cuba on the other side", us.Position, cu.Position)
	}
}

package projections

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stancewatch/stancewatch/events"
)

// TestHistoriesInEqualsCuttingTheWhole: a windowed history, built for
// its page only, is the whole history cut to the window, page after
// page, for windows of every kind.
func TestHistoriesInEqualsCuttingTheWhole(t *testing.T) {
	b := &builder{}
	rng := rand.New(rand.NewPCG(7, 7))
	stances := []string{"vote_yes", "vote_no", "abstain", "support", "oppose"}
	for k := range 200 {
		day := events.MustDate("2020-01-01").AddDays(rng.IntN(400)).String()
		b.pos("US", "gaza-ceasefire", stances[rng.IntN(len(stances))], day, fmt.Sprintf("m-%d", k%40), events.ProducerRollCall, 1)
	}
	st := fold(b.recs)
	whole := st.Histories(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), Lens{})[0]
	for _, tc := range []struct {
		name     string
		from, to string
		limit    int
	}{
		{"everything at once", "", "", 0},
		{"pages of 7", "", "", 7},
		{"a year in pages of 10", "2020-03-01", "2021-02-28", 10},
		{"from a day on", "2020-06-15", "", 25},
		{"an empty window", "2019-01-01", "2019-12-31", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := Window{Limit: tc.limit}
			if tc.from != "" {
				w.From = events.MustDate(tc.from)
			}
			if tc.to != "" {
				w.To = events.MustDate(tc.to)
			}
			var want []PositionView
			for _, e := range whole.Entries {
				if w.admits(e.Occurred.Day()) {
					want = append(want, e)
				}
			}
			var got []PositionView
			for page := 0; ; page++ {
				hs := st.HistoriesIn(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), Lens{}, w)
				if len(hs) != 1 || hs[0].Total != len(want) {
					t.Fatalf("page %d: %d histories, total %v, want %d", page, len(hs), hs, len(want))
				}
				h := hs[0]
				got = append(got, h.Entries...)
				for _, sh := range h.History.Shifts {
					if !w.admits(sh.Date) {
						t.Errorf("shift on %s outside the window", sh.Date)
					}
				}
				if !h.More || len(h.Entries) == 0 {
					break
				}
				last := h.Entries[len(h.Entries)-1]
				w.After, w.AfterDay, w.AfterSeq = true, last.Occurred.Day(), last.Seq
			}
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if string(gj) != string(wj) {
				t.Errorf("pages hold %d entries, the cut whole %d", len(got), len(want))
			}
		})
	}
}

package news

import (
	"fmt"
	"strings"
	"testing"
)

// TestPublishedPrecision: on the tune part of the real set, what Events
// publishes without review (confidence at least DefaultReviewBelow,
// dated, with a topic) is right at least 95% of the time. The held-out
// part is scored and logged, not asserted: it measures, it does not tune.
func TestPublishedPrecision(t *testing.T) {
	g, as := readGoldSet(t, "testdata/real/gold.json", "testdata/real")
	cat, err := BundledCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, split := range []string{"tune", "held-out"} {
		var found []Finding
		var files []string
		for _, a := range as {
			if len(g.InSplit([]string{a.File}, split)) == 0 {
				continue
			}
			found = append(found, Extract(a, Options{Catalog: cat})...)
			files = append(files, a.File)
		}
		s := EvaluateAt(found, g, files, DefaultReviewBelow)
		p, n := s.PublishedPrecision()
		var b strings.Builder
		for _, st := range []string{"veto", "vote_no", "abstain", "vote_yes", "sponsor", "support", "oppose", "conditional"} {
			if tl, ok := s.Published[st]; ok {
				fmt.Fprintf(&b, " %s %.2f (%d)", st, tl.Precision(), tl.Right+tl.FalsePositives)
			}
		}
		t.Logf("%s: %d texts, precision %.3f recall %.3f; published %d at precision %.3f (%s), %d to review",
			split, len(files), s.Precision, s.Recall, n, p, strings.TrimSpace(b.String()), s.ForReview)
		if split == "tune" && (p < 0.95 || n < 50) {
			t.Errorf("tune: %d findings published at precision %.3f: want at least 50 at 0.95 or more", n, p)
		}
	}
}

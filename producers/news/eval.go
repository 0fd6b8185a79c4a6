package news

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/stancewatch/stancewatch/events"
)

// Gold is what a careful reader finds in a set of articles.
type Gold struct {
	Articles  []GoldArticle  `json:"articles"`
	Positions []GoldPosition `json:"positions"`
}

// GoldArticle says when an article was published, for articles whose
// file does not say, and, for real texts, where it comes from, its form
// (council-vote-gaza, council-vote-other, assembly-vote, joint-statement,
// recognition, statement) and its topic: the evaluation reports by each.
type GoldArticle struct {
	File      string      `json:"file"`
	Published events.Date `json:"published"`
	Story     string      `json:"story,omitempty"`
	Source    string      `json:"source,omitempty"`
	Form      string      `json:"form,omitempty"`
	Topic     string      `json:"topic,omitempty"`
}

// GoldPosition is one position a careful reader extracts.
type GoldPosition struct {
	File     string           `json:"file"`
	Actor    events.Country   `json:"actor"`
	Stance   events.Stance    `json:"stance"`
	Occurred *events.Date     `json:"occurred"` // null when the text does not date it
	Motion   *events.MotionID `json:"motion,omitempty"`
	Evidence string           `json:"evidence"` // the sentence, or the part of it that shows the position
	Note     string           `json:"note,omitempty"`
}

// ReadGold reads a gold file.
func ReadGold(r io.Reader) (*Gold, error) {
	var g Gold
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("not a gold file: %w", err)
	}
	for i, p := range g.Positions {
		if p.File == "" || p.Actor.IsZero() || p.Stance.IsZero() {
			return nil, fmt.Errorf("positions[%d]: file, actor and stance are required", i)
		}
	}
	return &g, nil
}

// Published returns the publication date the gold file gives a file.
func (g *Gold) Published(file string) events.Date {
	for _, a := range g.Articles {
		if a.File == filepath.Base(file) {
			return a.Published
		}
	}
	return events.Date{}
}

// Score is how findings compare with a gold file. A finding matches a
// gold position with the same file, actor and stance; days are scored
// over the matches.
type Score struct {
	TruePositives  int            `json:"true_positives"`
	FalsePositives []Finding      `json:"false_positives"`
	FalseNegatives []GoldPosition `json:"false_negatives"`
	Precision      float64        `json:"precision"`
	Recall         float64        `json:"recall"`
	F1             float64        `json:"f1"`
	DatesRight     int            `json:"dates_right"`   // matches whose day is the gold day (both null counts)
	DateAccuracy   float64        `json:"date_accuracy"` // DatesRight / TruePositives
	DateMismatches []DateMismatch `json:"date_mismatches"`
}

// DateMismatch is a match whose day differs from the gold day.
type DateMismatch struct {
	Finding Finding      `json:"finding"`
	Gold    GoldPosition `json:"gold"`
}

// Evaluate scores findings against the gold positions of the files the
// findings come from (and of every file the gold lists among files).
func Evaluate(found []Finding, g *Gold, files []string) Score {
	in := map[string]bool{}
	for _, f := range files {
		in[filepath.Base(f)] = true
	}
	var gold []GoldPosition
	for _, p := range g.Positions {
		if in[filepath.Base(p.File)] {
			gold = append(gold, p)
		}
	}
	used := make([]bool, len(gold))
	var s Score
	sameDay := func(f Finding, p GoldPosition) bool {
		return (f.Occurred == nil) == (p.Occurred == nil) && (f.Occurred == nil || *f.Occurred == *p.Occurred)
	}
	// two passes: first matches that also agree on the day, then the rest
	matched := make([]int, len(found))
	for i := range matched {
		matched[i] = -1
	}
	for pass := 0; pass < 2; pass++ {
		for i, f := range found {
			if matched[i] >= 0 {
				continue
			}
			for j, p := range gold {
				if used[j] || filepath.Base(p.File) != filepath.Base(f.File) || p.Actor != f.Actor || p.Stance != f.Stance {
					continue
				}
				if pass == 0 && !sameDay(f, p) {
					continue
				}
				used[j], matched[i] = true, j
				break
			}
		}
	}
	for i, f := range found {
		if matched[i] < 0 {
			s.FalsePositives = append(s.FalsePositives, f)
			continue
		}
		s.TruePositives++
		if p := gold[matched[i]]; sameDay(f, p) {
			s.DatesRight++
		} else {
			s.DateMismatches = append(s.DateMismatches, DateMismatch{f, p})
		}
	}
	for j, p := range gold {
		if !used[j] {
			s.FalseNegatives = append(s.FalseNegatives, p)
		}
	}
	s.Precision = ratio(s.TruePositives, len(found))
	s.Recall = ratio(s.TruePositives, len(gold))
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	s.DateAccuracy = ratio(s.DatesRight, s.TruePositives)
	slices.SortStableFunc(s.FalseNegatives, func(a, b GoldPosition) int {
		if a.File != b.File {
			if a.File < b.File {
				return -1
			}
			return 1
		}
		return 0
	})
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// WriteReport prints a score for people: the figures, then every false
// positive and false negative with its sentence.
func (s Score) WriteReport(w io.Writer) {
	fmt.Fprintf(w, "precision %.3f  recall %.3f  F1 %.3f  (%d right, %d false positives, %d false negatives)\n",
		s.Precision, s.Recall, s.F1, s.TruePositives, len(s.FalsePositives), len(s.FalseNegatives))
	fmt.Fprintf(w, "dates     %.3f  (%d of %d matches on the gold day)\n", s.DateAccuracy, s.DatesRight, s.TruePositives)
	for _, f := range s.FalsePositives {
		fmt.Fprintf(w, "\nfalse positive  %s  %s %s (confidence %.2f) at byte %d:\n  %s\n", f.File, f.Actor, f.Stance, f.Confidence, f.Offset, f.Evidence)
	}
	for _, p := range s.FalseNegatives {
		fmt.Fprintf(w, "\nfalse negative  %s  %s %s:\n  %s\n", p.File, p.Actor, p.Stance, p.Evidence)
	}
	for _, d := range s.DateMismatches {
		fmt.Fprintf(w, "\nday differs     %s  %s %s: found %s, gold %s:\n  %s\n", d.Finding.File, d.Finding.Actor, d.Finding.Stance,
			dayString(d.Finding.Occurred), dayString(d.Gold.Occurred), d.Finding.Evidence)
	}
}

func dayString(d *events.Date) string {
	if d == nil {
		return "null"
	}
	return d.String()
}

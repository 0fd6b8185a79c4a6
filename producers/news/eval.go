package news

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
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
	// Split is "tune" for texts the rules were developed on and
	// "held-out" for texts only measured on; empty counts as tune.
	Split string `json:"split,omitempty"`
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

// InSplit keeps the files the gold file puts in split ("tune" also
// takes articles without a split).
func (g *Gold) InSplit(files []string, split string) []string {
	var out []string
	for _, f := range files {
		for _, a := range g.Articles {
			if a.File == filepath.Base(f) && splitName(a) == split {
				out = append(out, f)
				break
			}
		}
	}
	return out
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

	// The same counts by the gold stance (the found stance for a false
	// positive), by the article's form, topic and split (GoldArticle).
	ByStance map[string]Tally `json:"by_stance"`
	// ByReader counts the findings of the rules and of the learned
	// reader (Finding.Learned); a reader misses nothing on its own, so
	// its false negatives stay 0.
	ByReader map[string]Tally `json:"by_reader"`
	ByForm   map[string]Tally `json:"by_form"`
	ByTopic  map[string]Tally `json:"by_topic"`
	BySplit  map[string]Tally `json:"by_split"`
	// TopicsRight is the matches whose topic is their article's topic;
	// TopicsNull the matches without a topic (they go to review).
	TopicsRight int `json:"topics_right"`
	TopicsNull  int `json:"topics_null"`
	TopicsKnown int `json:"topics_known"` // matches whose article has a gold topic

	// What Events publishes without review (Finding.Publishable at
	// ReviewBelow): its precision by stance, and by split. False
	// negatives are not counted there: what is not published is missed
	// or in the review queue.
	ReviewBelow      float64          `json:"review_below"`
	Published        map[string]Tally `json:"published"`
	PublishedBySplit map[string]Tally `json:"published_by_split"`
	ForReview        int              `json:"for_review"` // findings that go to review
}

// Tally counts one slice of a score.
type Tally struct {
	Right          int `json:"right"`
	FalsePositives int `json:"false_positives"`
	FalseNegatives int `json:"false_negatives"`
}

// Precision is right over found (1 when nothing was found).
func (t Tally) Precision() float64 { return ratio(t.Right, t.Right+t.FalsePositives) }

// Recall is right over the gold positions (1 when there are none).
func (t Tally) Recall() float64 { return ratio(t.Right, t.Right+t.FalseNegatives) }

// Publishable reports whether Events makes f a position rather than a
// review at the threshold reviewBelow: confident enough, dated, and with
// a topic.
func (f Finding) Publishable(reviewBelow float64) bool {
	return f.Confidence >= reviewBelow && f.Occurred != nil && f.Topic != nil
}

// DateMismatch is a match whose day differs from the gold day.
type DateMismatch struct {
	Finding Finding      `json:"finding"`
	Gold    GoldPosition `json:"gold"`
}

// Evaluate scores findings against the gold positions of the files the
// findings come from (and of every file the gold lists among files), at
// the default review threshold.
func Evaluate(found []Finding, g *Gold, files []string) Score {
	return EvaluateAt(found, g, files, DefaultReviewBelow)
}

// EvaluateAt is Evaluate with the review threshold of IngestOptions.
func EvaluateAt(found []Finding, g *Gold, files []string, reviewBelow float64) Score {
	in := map[string]bool{}
	for _, f := range files {
		in[filepath.Base(f)] = true
	}
	arts := map[string]GoldArticle{}
	for _, a := range g.Articles {
		arts[filepath.Base(a.File)] = a
	}
	var gold []GoldPosition
	for _, p := range g.Positions {
		if in[filepath.Base(p.File)] {
			gold = append(gold, p)
		}
	}
	used := make([]bool, len(gold))
	s := Score{
		ByStance: map[string]Tally{}, ByReader: map[string]Tally{}, ByForm: map[string]Tally{}, ByTopic: map[string]Tally{}, BySplit: map[string]Tally{},
		ReviewBelow: reviewBelow, Published: map[string]Tally{}, PublishedBySplit: map[string]Tally{},
	}
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
	// count adds to every breakdown of a file and a stance
	count := func(file, stance string, add func(*Tally)) {
		a := arts[filepath.Base(file)]
		for _, b := range []struct {
			m map[string]Tally
			k string
		}{{s.ByStance, stance}, {s.ByForm, a.Form}, {s.ByTopic, a.Topic}, {s.BySplit, splitName(a)}} {
			if b.k == "" {
				b.k = "(none)"
			}
			t := b.m[b.k]
			add(&t)
			b.m[b.k] = t
		}
	}
	for i, f := range found {
		pub := f.Publishable(reviewBelow)
		if !pub {
			s.ForReview++
		}
		right := matched[i] >= 0
		reader := "rules"
		if f.Learned() {
			reader = "learned"
		}
		t := s.ByReader[reader]
		if right {
			t.Right++
		} else {
			t.FalsePositives++
		}
		s.ByReader[reader] = t
		if pub {
			for _, b := range []struct {
				m map[string]Tally
				k string
			}{{s.Published, f.Stance.String()}, {s.PublishedBySplit, splitName(arts[filepath.Base(f.File)])}} {
				t := b.m[b.k]
				if right {
					t.Right++
				} else {
					t.FalsePositives++
				}
				b.m[b.k] = t
			}
		}
		if !right {
			s.FalsePositives = append(s.FalsePositives, f)
			count(f.File, f.Stance.String(), func(t *Tally) { t.FalsePositives++ })
			continue
		}
		s.TruePositives++
		count(f.File, f.Stance.String(), func(t *Tally) { t.Right++ })
		a := arts[filepath.Base(f.File)]
		if a.Topic != "" {
			s.TopicsKnown++
		}
		switch {
		case a.Topic == "":
		case f.Topic == nil:
			s.TopicsNull++
		case f.Topic.String() == a.Topic:
			s.TopicsRight++
		}
		if p := gold[matched[i]]; sameDay(f, p) {
			s.DatesRight++
		} else {
			s.DateMismatches = append(s.DateMismatches, DateMismatch{f, p})
		}
	}
	for j, p := range gold {
		if !used[j] {
			s.FalseNegatives = append(s.FalseNegatives, p)
			count(p.File, p.Stance.String(), func(t *Tally) { t.FalseNegatives++ })
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

func splitName(a GoldArticle) string {
	if a.Split == "" {
		return "tune"
	}
	return a.Split
}

// PublishedPrecision is the precision of what is published without
// review, over every stance.
func (s Score) PublishedPrecision() (float64, int) {
	var all Tally
	for _, t := range s.Published {
		all.Right += t.Right
		all.FalsePositives += t.FalsePositives
	}
	return all.Precision(), all.Right + all.FalsePositives
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// WriteReport prints a score for people: the figures, the breakdowns by
// split, form, topic and stance, what would be published without review,
// then every false positive and false negative with its sentence.
func (s Score) WriteReport(w io.Writer) {
	fmt.Fprintf(w, "precision %.3f  recall %.3f  F1 %.3f  (%d right, %d false positives, %d false negatives)\n",
		s.Precision, s.Recall, s.F1, s.TruePositives, len(s.FalsePositives), len(s.FalseNegatives))
	fmt.Fprintf(w, "dates     %.3f  (%d of %d matches on the gold day)\n", s.DateAccuracy, s.DatesRight, s.TruePositives)
	if s.TopicsKnown > 0 {
		fmt.Fprintf(w, "topics    %.3f  (%d of %d matches on the article's topic, %d without a topic)\n",
			ratio(s.TopicsRight, s.TopicsKnown), s.TopicsRight, s.TopicsKnown, s.TopicsNull)
	}
	p, n := s.PublishedPrecision()
	fmt.Fprintf(w, "published %.3f  precision of the %d findings published without review (confidence ≥ %.2f, dated, with a topic); %d go to review\n",
		p, n, s.ReviewBelow, s.ForReview)
	for _, b := range []struct {
		name string
		m    map[string]Tally
	}{{"split", s.BySplit}, {"form", s.ByForm}, {"topic", s.ByTopic}, {"stance", s.ByStance}} {
		if len(b.m) < 2 && b.name != "stance" {
			continue
		}
		fmt.Fprintf(w, "\n%-22s precision recall  right   fp   fn\n", "by "+b.name)
		for _, k := range slices.Sorted(maps.Keys(b.m)) {
			t := b.m[k]
			fmt.Fprintf(w, "  %-20s %9.3f %6.3f %6d %4d %4d\n", k, t.Precision(), t.Recall(), t.Right, t.FalsePositives, t.FalseNegatives)
		}
	}
	fmt.Fprintf(w, "\n%-22s precision  right   fp\n", "found by reader")
	for _, k := range slices.Sorted(maps.Keys(s.ByReader)) {
		t := s.ByReader[k]
		fmt.Fprintf(w, "  %-20s %9.3f %6d %4d\n", k, t.Precision(), t.Right, t.FalsePositives)
	}
	fmt.Fprintf(w, "\n%-22s precision  right   fp\n", "published by stance")
	for _, k := range slices.Sorted(maps.Keys(s.Published)) {
		t := s.Published[k]
		fmt.Fprintf(w, "  %-20s %9.3f %6d %4d\n", k, t.Precision(), t.Right, t.FalsePositives)
	}
	if len(s.PublishedBySplit) > 1 {
		for _, k := range slices.Sorted(maps.Keys(s.PublishedBySplit)) {
			t := s.PublishedBySplit[k]
			fmt.Fprintf(w, "  %-20s %9.3f %6d %4d\n", "split "+k, t.Precision(), t.Right, t.FalsePositives)
		}
	}
	for _, f := range s.FalsePositives {
		by := ""
		if f.Learned() {
			by = ", the learned reader"
		}
		fmt.Fprintf(w, "\nfalse positive  %s  %s %s (confidence %.2f%s) at byte %d:\n  %s\n", f.File, f.Actor, f.Stance, f.Confidence, by, f.Offset, f.Evidence)
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

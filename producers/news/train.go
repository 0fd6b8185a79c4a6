package news

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stancewatch/stancewatch/events"
)

// TrainOptions tune TrainModel. Zero fields take the defaults.
type TrainOptions struct {
	Epochs   int     // passes over the examples; default 12
	Rate     float64 // AdaGrad's step; default 0.2
	L2       float64 // weight decay per step a feature is seen; default 1e-4
	MinCount int     // a feature seen in fewer examples is not kept; default 2
	Seed     uint64  // of the order of examples in each pass
	// Folds of the calibration: each stance's threshold is set from the
	// model's readings of articles it was not trained on (a model per
	// fold trained on the others). Default 5; -1 skips the
	// calibration and takes Threshold for every stance.
	Folds int
	// MinPrecision is the least precision of a stance's readings, on
	// the calibration, at its threshold; a stance that never reaches it
	// (with at least three right) is not read. Default 0.9.
	MinPrecision float64
	// Threshold is every stance's when Folds is -1; default 0.5.
	Threshold float64
}

// ErrNoExamples is returned by TrainModel when no gold position of the
// articles could teach the model (none is labelled, or none's sentence
// names its state).
var ErrNoExamples = errors.New("no labelled sentence to learn from")

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Epochs == 0 {
		o.Epochs = 12
	}
	if o.Rate == 0 {
		o.Rate = 0.2
	}
	if o.L2 == 0 {
		o.L2 = 1e-4
	}
	if o.Threshold == 0 {
		o.Threshold = 0.5
	}
	if o.MinCount == 0 {
		o.MinCount = 2
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.MinPrecision == 0 {
		o.MinPrecision = 0.9
	}
	return o
}

// Validate reports options that cannot train.
func (o TrainOptions) Validate() error {
	var errs []error
	if o.Epochs < 0 {
		errs = append(errs, events.FieldError{Field: "epochs", Message: fmt.Sprint(o.Epochs, ": want at least 1")})
	}
	if o.Rate < 0 || math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0) {
		errs = append(errs, events.FieldError{Field: "rate", Message: fmt.Sprint(o.Rate, ": want a positive step")})
	}
	if o.L2 < 0 || math.IsNaN(o.L2) || math.IsInf(o.L2, 0) {
		errs = append(errs, events.FieldError{Field: "l2", Message: fmt.Sprint(o.L2, ": want 0 or more")})
	}
	if o.Threshold < 0 || o.Threshold >= 1 || math.IsNaN(o.Threshold) {
		errs = append(errs, events.FieldError{Field: "threshold", Message: fmt.Sprint(o.Threshold, ": want a probability below 1")})
	}
	if o.Folds < -1 || o.Folds == 1 {
		errs = append(errs, events.FieldError{Field: "folds", Message: fmt.Sprint(o.Folds, ": want 2 or more, or -1 for none")})
	}
	if o.MinPrecision < 0 || o.MinPrecision > 1 || math.IsNaN(o.MinPrecision) {
		errs = append(errs, events.FieldError{Field: "min_precision", Message: fmt.Sprint(o.MinPrecision, ": want a precision from 0 to 1")})
	}
	if o.MinCount < 0 {
		errs = append(errs, events.FieldError{Field: "min_count", Message: fmt.Sprint(o.MinCount, ": want 0 or more")})
	}
	return errors.Join(errs...)
}

// example is one state named in one sentence, with what the gold file
// says of it: the stances it takes there (label), and the stances to
// leave out of its training (skip): those the gold file gives the state
// from another sentence of the article, which this one may restate.
type example struct {
	feats []string
	label [nStances]bool
	skip  [nStances]bool
}

// Labelled counts what the gold file's positions gave the training.
type Labelled struct {
	Articles  int // articles the gold file labels
	Examples  int // states named in sentences
	Positives int // of them, taking a labelled stance
	// Unreachable are gold positions whose evidence sentence does not
	// name their state (a pronoun, a leader the lexicon does not know):
	// no example can teach them.
	Unreachable int
	// Unfound are gold positions whose evidence is not in the article.
	Unfound int
}

// examples reads the labelled examples of one article.
func examples(a Article, gold []GoldPosition, opt Options, n *Labelled) []example {
	x := newExtraction(a, opt)
	ev := newEvidenceFinder(a.Text)
	type key struct {
		sent int
		a    events.Country
	}
	labels := map[key]*[nStances]bool{}
	inArticle := map[events.Country]*[nStances]bool{}
	for _, p := range gold {
		k := stanceIndex(p.Stance)
		if k < 0 {
			continue
		}
		if inArticle[p.Actor] == nil {
			inArticle[p.Actor] = new([nStances]bool)
		}
		inArticle[p.Actor][k] = true
		s, e, ok := ev.find(p.Evidence)
		if !ok {
			n.Unfound++
			continue
		}
		reached := false
		for _, c := range x.sents {
			if c.start >= e || c.end <= s {
				continue
			}
			for _, m := range c.ments {
				if m.country == p.Actor {
					reached = true
				}
			}
			kk := key{c.index, p.Actor}
			if labels[kk] == nil {
				labels[kk] = new([nStances]bool)
			}
			labels[kk][k] = true
		}
		if !reached {
			n.Unreachable++
		}
	}
	var out []example
	for _, c := range x.sents {
		if !c.ok || isQuestion(c.toks) || len(c.ments) == 0 {
			continue
		}
		fc := newFeatureCtx(x, c)
		for mi, m := range c.ments {
			ex := example{feats: fc.features(mi)}
			if l := labels[key{c.index, m.country}]; l != nil {
				ex.label = *l
			}
			if in := inArticle[m.country]; in != nil {
				for k := range ex.skip {
					ex.skip[k] = in[k] && !ex.label[k]
				}
			}
			for _, l := range ex.label {
				if l {
					n.Positives++
					break
				}
			}
			n.Examples++
			out = append(out, ex)
		}
	}
	return out
}

func stanceIndex(s events.Stance) int {
	for k, t := range modelStances {
		if t == s {
			return k
		}
	}
	return -1
}

// labelledArticle is an article with its gold positions and examples.
type labelledArticle struct {
	a    Article
	gold []GoldPosition
	exs  []example
}

// TrainModel trains a model on the articles and the gold file's
// positions in them: a logistic regression per stance, by AdaGrad, over
// every state each sentence names; then each stance's threshold is
// calibrated on folds (TrainOptions.Folds). The same articles, gold and
// options train the same model.
func TrainModel(arts []Article, g *Gold, opt Options, to TrainOptions) (*Model, Labelled, error) {
	var n Labelled
	if g == nil {
		return nil, n, fmt.Errorf("news: TrainModel: no gold file: %w", ErrNoExamples)
	}
	if err := to.Validate(); err != nil {
		return nil, n, err
	}
	to = to.withDefaults()
	byFile := map[string][]GoldPosition{}
	for _, p := range g.Positions {
		byFile[p.File] = append(byFile[p.File], p)
	}
	var las []labelledArticle
	for _, a := range arts {
		gold, ok := byFile[filepath.Base(a.File)]
		if !ok {
			continue
		}
		las = append(las, labelledArticle{a: a, gold: gold, exs: examples(a, gold, opt, &n)})
		n.Articles++
	}
	if n.Positives == 0 {
		return nil, n, ErrNoExamples
	}
	slices.SortFunc(las, func(a, b labelledArticle) int {
		return strings.Compare(filepath.Base(a.a.File), filepath.Base(b.a.File))
	})
	m := fit(las, -1, 0, to)
	if to.Folds < 0 {
		for k := range m.thresholds {
			m.thresholds[k] = float32(to.Threshold)
		}
		return m, n, nil
	}
	m.thresholds = calibrate(las, opt, to)
	return m, n, nil
}

// calibrationGrid are the thresholds calibrate tries, lowest first: a
// finding needs the model to think its stance likelier than not.
var calibrationGrid = []float32{0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95}

// calibrate sets each stance's threshold: the lowest on the grid at
// which the model alone, on articles of a fold it was not trained on, is
// right at least MinPrecision of the time. Alone, not after the rules:
// the rules were written on these articles and leave the model only
// their hardest sentences, while on copy never seen they miss the plain
// ones too, which is where the model's additions come from.
func calibrate(las []labelledArticle, opt Options, to TrainOptions) [nStances]float32 {
	type reading struct {
		p  float32
		ok bool
	}
	var by [nStances][]reading
	for k := range to.Folds {
		m := fit(las, k, to.Folds, to)
		for i, la := range las {
			if i%to.Folds != k {
				continue
			}
			right := map[string]bool{}
			for _, p := range la.gold {
				right[p.Actor.String()+" "+p.Stance.String()] = true
			}
			// the model alone: on copy the rules were not written
			// for, most of what it reads is not the rules' too
			x := newExtraction(la.a, opt)
			for _, lc := range x.learnedCandidates(m, calibrationGrid[0]) {
				s := stanceIndex(lc.stance)
				by[s] = append(by[s], reading{lc.p, right[lc.actor.String()+" "+lc.stance.String()]})
			}
		}
	}
	var th [nStances]float32
	for s, rs := range by {
		for _, t := range calibrationGrid {
			found, right := 0, 0
			for _, r := range rs {
				if r.p >= t {
					found++
					if r.ok {
						right++
					}
				}
			}
			if right >= 3 && float64(right) >= to.MinPrecision*float64(found) {
				th[s] = t
				break
			}
		}
	}
	return th
}

// fit trains the weights on the articles outside fold out of folds (all
// of them when out is -1).
func fit(las []labelledArticle, out, folds int, to TrainOptions) *Model {
	var exs []example
	for i, la := range las {
		if out < 0 || i%folds != out {
			exs = append(exs, la.exs...)
		}
	}
	// features seen in too few examples teach noise
	count := map[string]int{}
	for _, ex := range exs {
		for _, f := range ex.feats {
			count[f]++
		}
	}
	type param struct{ w, g2 [nStances]float64 }
	params := map[string]*param{}
	for f, k := range count {
		if k >= to.MinCount {
			params[f] = &param{}
		}
	}
	var bias param
	rng := rand.New(rand.NewPCG(to.Seed, 0x5747))
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	ps := make([]*param, 0, 128)
	for range to.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			ex := &exs[i]
			ps = ps[:0]
			for _, f := range ex.feats {
				if p := params[f]; p != nil {
					ps = append(ps, p)
				}
			}
			for k := range nStances {
				if ex.skip[k] {
					continue
				}
				s := bias.w[k]
				for _, p := range ps {
					s += p.w[k]
				}
				y := 0.0
				if ex.label[k] {
					y = 1
				}
				grad := 1/(1+math.Exp(-s)) - y
				bias.g2[k] += grad * grad
				bias.w[k] -= to.Rate * grad / math.Sqrt(bias.g2[k]+1e-8)
				for _, p := range ps {
					gk := grad + to.L2*p.w[k]
					p.g2[k] += gk * gk
					p.w[k] -= to.Rate * gk / math.Sqrt(p.g2[k]+1e-8)
				}
			}
		}
	}
	m := &Model{weights: map[string]*[nStances]float32{}}
	for k := range nStances {
		m.bias[k] = float32(bias.w[k])
	}
	for f, p := range params {
		var w [nStances]float32
		keep := false
		for k := range nStances {
			w[k] = float32(p.w[k])
			keep = keep || math.Abs(p.w[k]) >= 1e-3
		}
		if keep {
			m.weights[f] = &w
		}
	}
	return m
}

// CrossValidate extracts every article with a model trained on the
// others: the articles are dealt into folds in the order of their file
// names, and each fold is read by a model trained on the rest. The
// findings say what the learned reader brings to copy it was not
// trained on.
func CrossValidate(arts []Article, g *Gold, opt Options, to TrainOptions, folds int) ([]Finding, error) {
	if folds < 2 {
		return nil, events.FieldError{Field: "folds", Message: fmt.Sprint(folds, ": want at least 2")}
	}
	sorted := slices.Clone(arts)
	slices.SortFunc(sorted, func(a, b Article) int { return strings.Compare(filepath.Base(a.File), filepath.Base(b.File)) })
	var out []Finding
	for k := range folds {
		var train, test []Article
		for i, a := range sorted {
			if i%folds == k {
				test = append(test, a)
			} else {
				train = append(train, a)
			}
		}
		m, _, err := TrainModel(train, g, opt, to)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", k+1, err)
		}
		o := opt
		o.Model = m
		for _, a := range test {
			out = append(out, Extract(a, o)...)
		}
	}
	return out, nil
}

// evidenceFinder finds a quote in an article whatever its spacing,
// quotes and case: both are compared as words of letters and digits.
type evidenceFinder struct {
	canon string
	at    []int // canon byte -> text byte
}

func newEvidenceFinder(text string) *evidenceFinder {
	canon, at := canonical(text)
	return &evidenceFinder{canon: canon, at: at}
}

func canonical(s string) (string, []int) {
	var b strings.Builder
	at := make([]int, 0, len(s))
	space := true
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			r = unicode.ToLower(r)
			n := utf8.RuneLen(r)
			b.WriteRune(r)
			for range n {
				at = append(at, i)
			}
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			at = append(at, i)
			space = true
		}
	}
	return b.String(), at
}

// find is the byte span of the quote q in the text: the whole quote, or
// its first or last sixty bytes (of its canonical form) when the quote
// was shortened.
func (e *evidenceFinder) find(q string) (int, int, bool) {
	cq, _ := canonical(q)
	cq = strings.TrimSpace(cq)
	if cq == "" {
		return 0, 0, false
	}
	try := []string{cq}
	if len(cq) > 60 {
		try = append(try, cq[:60], cq[len(cq)-60:])
	}
	for _, t := range try {
		if i := strings.Index(e.canon, t); i >= 0 {
			end := i + len(t) - 1
			return e.at[i], e.at[end] + 1, true
		}
	}
	return 0, 0, false
}

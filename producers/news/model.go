package news

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/stancewatch/stancewatch/events"
)

// The learned reader. The rules read the shapes they were written for;
// copy never seen states positions in words no shape anticipated. Model
// reads every state a sentence names by the words around the name, the
// verbs before and after it, the words that head or end the list it
// stands in, and the sentence's words, weighed by a linear classifier
// per stance that was trained on the labelled real texts (TrainModel).
// Its findings add to the rules', never replace them: a state the rules
// read in a sentence is left to them there, and a stance they found in
// the article is not found twice.

// modelStances are the stances the model reads, in the order of its
// weights. Absent is not among them: no labelled text reports one.
var modelStances = [...]events.Stance{
	events.Veto, events.VoteNo, events.Oppose, events.Abstain,
	events.Conditional, events.Support, events.VoteYes, events.Sponsor,
}

const nStances = len(modelStances)

// Model is a linear classifier, one per stance, of whether a state named
// in a sentence takes that stance there. The zero Model reads nothing.
type Model struct {
	weights map[string]*[nStances]float32
	bias    [nStances]float32
	// thresholds are the least probability that makes a finding, per
	// stance; a stance at 0 is never found.
	thresholds [nStances]float32
}

// ErrBadModel is wrapped by every error about a model file that cannot
// be read.
var ErrBadModel = errors.New("not a stance model")

//go:embed model.txt.gz
var bundledModel []byte

// DefaultModel is the model trained on every labelled real text in
// testdata/real, shipped inside the module. Every split trains it, so a
// measure of copy it has not seen takes a model trained without that
// split (extract --train --split, then --model).
var DefaultModel = sync.OnceValue(func() *Model {
	m, err := ReadModel(bytes.NewReader(bundledModel))
	if err != nil {
		panic("news: the bundled model: " + err.Error())
	}
	return m
})

// modelHeader begins a model file; the version changes with the
// features, so a model trained on other features is refused.
const modelHeader = "stancewatch stance model v1"

// ReadModel reads a model written by WriteTo (gzip-compressed text).
func ReadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	defer zr.Close()
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	m := &Model{weights: map[string]*[nStances]float32{}}
	seen := map[string]bool{}
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != modelHeader {
				return nil, fmt.Errorf("%w: line 1: %q, want %q", ErrBadModel, text, modelHeader)
			}
			continue
		}
		name, rest, ok := strings.Cut(text, "\t")
		if !ok {
			return nil, fmt.Errorf("%w: line %d: no tab", ErrBadModel, line)
		}
		var w [nStances]float32
		fields := strings.Fields(rest)
		if len(fields) != nStances {
			return nil, fmt.Errorf("%w: line %d: %d weights, want %d", ErrBadModel, line, len(fields), nStances)
		}
		for k, f := range fields {
			v, err := strconv.ParseFloat(f, 32)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: line %d: weight %d: %q", ErrBadModel, line, k+1, f)
			}
			w[k] = float32(v)
		}
		if seen[name] {
			return nil, fmt.Errorf("%w: line %d: %q again", ErrBadModel, line, name)
		}
		seen[name] = true
		switch name {
		case "#bias":
			m.bias = w
		case "#threshold":
			m.thresholds = w
		default:
			m.weights[name] = &w
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	if line == 0 {
		return nil, fmt.Errorf("%w: empty", ErrBadModel)
	}
	for _, need := range []string{"#bias", "#threshold"} {
		if !seen[need] {
			return nil, fmt.Errorf("%w: no %s line", ErrBadModel, need)
		}
	}
	return m, nil
}

// WriteTo writes the model as gzip-compressed text, a line a feature,
// sorted, so that the same training writes the same bytes.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	fmt.Fprintln(bw, modelHeader)
	row := func(name string, ws *[nStances]float32) {
		bw.WriteString(name)
		for k, v := range ws {
			if k == 0 {
				bw.WriteByte('\t')
			} else {
				bw.WriteByte(' ')
			}
			bw.WriteString(strconv.FormatFloat(float64(v), 'g', -1, 32)) // exact: read back, the same float32
		}
		bw.WriteByte('\n')
	}
	row("#bias", &m.bias)
	row("#threshold", &m.thresholds)
	names := make([]string, 0, len(m.weights))
	for name := range m.weights {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		row(name, m.weights[name])
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// Features is the number of features the model weighs.
func (m *Model) Features() int { return len(m.weights) }

// probabilities are the model's probability of each stance for features.
func (m *Model) probabilities(feats []string) [nStances]float32 {
	s := m.bias
	for _, f := range feats {
		if w := m.weights[f]; w != nil {
			for k := range s {
				s[k] += w[k]
			}
		}
	}
	var p [nStances]float32
	for k, v := range s {
		p[k] = float32(1 / (1 + math.Exp(-float64(v))))
	}
	return p
}

// modelConfScale scales the model's probability into the confidence of
// its findings: below DefaultReviewBelow, so that what only the learned
// reader saw goes to review. On cross-validation of the whole set its
// additions to the rules were right six times in ten (README):
// candidates for a reviewer, ranked, not facts.
const modelConfScale = 0.65

// modelConfCap is the most confidence a learned finding keeps after
// settle, whatever the vote record adds: below DefaultReviewBelow.
const modelConfCap = DefaultReviewBelow - 0.05

// learnedCandidate is a position the model reads that the rules did not.
type learnedCandidate struct {
	actor  events.Country
	stance events.Stance
	p      float32
	sent   int
	trig   match // the name and the verb after it
}

// learnedCandidates are the model's readings above its thresholds, or
// above floor where floor is not zero, one per state and stance: the
// likeliest.
func (x *extraction) learnedCandidates(m *Model, floor float32) []learnedCandidate {
	if len(m.weights) == 0 || x.salad {
		return nil
	}
	type key struct {
		a events.Country
		s events.Stance
	}
	have := map[key]bool{}
	type at struct {
		sent int
		a    events.Country
	}
	inSent := map[at]bool{} // a state the rules read in a sentence
	for _, f := range x.found {
		have[key{f.Actor, f.Stance}] = true
		inSent[at{f.sent, f.Actor}] = true
	}
	found := map[key]int{}
	var out []learnedCandidate
	for _, c := range x.sents {
		if !c.ok || isQuestion(c.toks) {
			continue
		}
		fc := newFeatureCtx(x, c)
		for mi, mt := range c.ments {
			if inSent[at{c.index, mt.country}] || !fc.mayAct(mi) {
				continue
			}
			p := m.probabilities(fc.features(mi))
			// one stance a name, the likeliest; a sponsor may vote too
			top := -1
			for k := range modelStances {
				if modelStances[k] != events.Sponsor && (top < 0 || p[k] > p[top]) {
					top = k
				}
			}
			for k, st := range modelStances {
				th := m.thresholds[k]
				if floor > 0 {
					th = floor
				}
				if th == 0 || p[k] < th || k != top && st != events.Sponsor {
					continue
				}
				kk := key{mt.country, st}
				if have[kk] || !fc.hasContextFor(mi, st) {
					continue
				}
				lc := learnedCandidate{actor: mt.country, stance: st, p: p[k], sent: c.index, trig: fc.trigger(mi)}
				if i, ok := found[kk]; !ok {
					found[kk] = len(out)
					out = append(out, lc)
				} else if p[k] > out[i].p {
					out[i] = lc
				}
			}
		}
	}
	return out
}

// learnedReason begins the reasons of a finding of the learned reader.
const learnedReason = "the learned reader"

// Learned reports whether the learned reader made f, not the rules.
func (f Finding) Learned() bool {
	return len(f.Reasons) > 0 && strings.HasPrefix(f.Reasons[0], learnedReason)
}

// learned adds the model's findings to the rules'.
func (x *extraction) learned() {
	m := x.opt.Model
	if m == nil {
		m = DefaultModel()
	}
	for _, lc := range x.learnedCandidates(m, 0) {
		conf := math.Round(float64(lc.p)*modelConfScale*100) / 100
		for _, i := range x.record(x.sents[lc.sent], lc.trig, lc.stance, conf, []events.Country{lc.actor}, fmt.Sprintf("%s (p=%.2f)", learnedReason, lc.p)) {
			x.found[i].objMot = lc.stance.IsVote() || lc.stance == events.Sponsor
		}
	}
}

// isQuestion reports a sentence that ends with a question mark.
func isQuestion(toks []token) bool {
	n := len(toks)
	return n > 0 && (toks[n-1].is("?") || n > 1 && toks[n-2].is("?") && toks[n-1].is(`"`))
}

// Thresholds says each stance's threshold, "off" for a stance the model
// does not read: "veto 0.35, vote_no 0.9, …".
func (m *Model) Thresholds() string {
	var b strings.Builder
	for k, st := range modelStances {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(st.String())
		if m.thresholds[k] == 0 {
			b.WriteString(" off")
		} else {
			fmt.Fprintf(&b, " %.2f", m.thresholds[k])
		}
	}
	return b.String()
}

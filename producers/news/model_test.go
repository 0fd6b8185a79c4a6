package news

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/events"
)

// handModel reads "zorbled" as an abstention, "glorped" as support,
// "blarged" as a sponsor's, "snarfed" as a veto and, surely, "plimped" as
// a vote in favour: words no rule knows, so what is found is the learned
// reader's alone.
func handModel() *Model {
	m := &Model{weights: map[string]*[nStances]float32{}}
	for k := range m.bias {
		m.bias[k] = -4
		m.thresholds[k] = 0.5
	}
	var zorb, glorp, blarg, snarf, plimp [nStances]float32
	plimp[stanceIndex(events.VoteYes)] = 30
	m.weights["V:plimp"] = &plimp
	zorb[stanceIndex(events.Abstain)] = 8
	glorp[stanceIndex(events.Support)] = 8
	blarg[stanceIndex(events.Sponsor)] = 8
	snarf[stanceIndex(events.Veto)] = 8
	m.weights["V:zorbl"] = &zorb
	m.weights["V:glorp"] = &glorp
	m.weights["V:blarg"] = &blarg
	m.weights["V:snarf"] = &snarf
	return m
}

// TestLearnedReader: the model's findings add to the rules', go to review
// with a confidence scaled from the model's probability and say why; the
// guards keep it from places, modals, passing mentions and stances
// without what they are about.
func TestLearnedReader(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string // actor stance
	}{
		{"a vote word and an unknown verb", "Chile zorbled in the vote on the resolution on Monday.", []string{"CL abstain"}},
		{"support needs no vote", "Chile glorped the peace plan on Monday.", []string{"CL support"}},
		{"a list shares its verb", "Chile, Peru and Ghana zorbled in the vote on the resolution.", []string{"CL abstain", "GH abstain", "PE abstain"}},
		{"a place is not an actor", "Diplomats in Chile zorbled in the vote on the resolution.", nil},
		{"a modal", "Chile would zorble in the vote on the resolution, diplomats said.", nil},
		{"a negation", "Chile did not zorble in the vote on the resolution.", nil},
		{"an intention", "Chile plans to zorble in the vote on the resolution.", nil},
		{"several texts in passing", "Chile glorped several resolutions on the matter.", nil},
		{"a hypothesis before the name", "It is unlikely that Chile glorped the peace plan on Monday.", nil},
		{"a vote stance without a vote", "Chile zorbled the peace plan on Monday.", nil},
		{"a question", "Did Chile zorble in the vote on the resolution?", nil},
		{"a sponsor of a text with its writing", "Japan blarged the proposal it had circulated.", []string{"JP sponsor"}},
		{"a sponsor without a text", "Japan blarged the elections it had circulated.", nil},
		{"a sponsor without its writing", "Japan blarged the draft resolution.", nil},
		{"a veto by a permanent member", "France snarfed the resolution in the vote.", []string{"FR veto"}},
		{"no veto for an elected member", "Chile snarfed the resolution in the vote.", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := Article{File: "a.txt", Text: tc.text, Published: events.MustDate("2024-03-25")}
			found := Extract(a, Options{Model: handModel()})
			var got []string
			for _, f := range found {
				got = append(got, f.Actor.String()+" "+f.Stance.String())
				if f.Publishable(DefaultReviewBelow) {
					t.Errorf("%s %s published (confidence %.2f): the learned reader's findings go to review", f.Actor, f.Stance, f.Confidence)
				}
				if len(f.Reasons) == 0 || !strings.HasPrefix(f.Reasons[0], "the learned reader (p=") {
					t.Errorf("%s %s: reasons %q, want the learned reader first", f.Actor, f.Stance, f.Reasons)
				}
				if f.Evidence != tc.text {
					t.Errorf("evidence %q, want the sentence", f.Evidence)
				}
			}
			slices.Sort(got)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("found %q, want %q", got, tc.want)
			}
			if len(Extract(a, Options{Model: &Model{}})) != 0 {
				t.Fatal("the zero model read something: the rules know the made-up verb")
			}
		})
	}
}

// TestLearnedReaderIsNotPublished: however sure the model, and whatever
// the vote record adds, a learned finding waits for review.
func TestLearnedReaderIsNotPublished(t *testing.T) {
	cat, err := BundledCatalog()
	if err != nil {
		t.Fatal(err)
	}
	text := "France plimped in the Security Council vote on resolution 2712 (2023) on Wednesday."
	a := Article{File: "a.txt", Text: text, Published: events.MustDate("2023-11-16")}
	found := Extract(a, Options{Model: handModel(), Catalog: cat})
	if len(found) != 1 || !found[0].Learned() || found[0].Stance != events.VoteYes {
		t.Fatalf("found %+v, want the learned reader's FR vote_yes", found)
	}
	if f := found[0]; f.Publishable(DefaultReviewBelow) || !slices.Contains(f.Reasons, "the vote record agrees") {
		t.Fatalf("confidence %.2f, reasons %q: want the record's agreement and still under review", f.Confidence, f.Reasons)
	}
}

// TestLearnedReaderLeavesTheRulesTheirs: where the rules read a state in
// a sentence, the model adds nothing about that state there.
func TestLearnedReaderLeavesTheRulesTheirs(t *testing.T) {
	a := Article{File: "a.txt", Text: "Chile voted in favour of the resolution and zorbled.", Published: events.MustDate("2024-03-25")}
	found := Extract(a, Options{Model: handModel()})
	if len(found) != 1 || found[0].Stance != events.VoteYes {
		t.Fatalf("found %+v, want the rules' vote_yes alone", found)
	}
}

// TestModelRoundTrip: a model written and read again reads the same; the
// same training writes the same bytes.
func TestModelRoundTrip(t *testing.T) {
	g, as := readGoldSet(t, "testdata/real/gold.json", "testdata/real")
	as = as[:40]
	to := TrainOptions{Epochs: 3, Folds: 2}
	m, n, err := TrainModel(as, g, Options{}, to)
	if err != nil {
		t.Fatal(err)
	}
	if n.Examples == 0 || n.Positives == 0 || n.Unfound != 0 {
		t.Fatalf("labelled %+v: want examples, positives and every evidence found", n)
	}
	var b1, b2 bytes.Buffer
	if _, err := m.WriteTo(&b1); err != nil {
		t.Fatal(err)
	}
	m2, _, err := TrainModel(as, g, Options{}, to)
	if err != nil {
		t.Fatal(err)
	}
	m2.WriteTo(&b2)
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Fatal("two trainings on the same articles wrote different models")
	}
	r, err := ReadModel(bytes.NewReader(b1.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := modelDiff(m, r, 0); diff != "" {
		t.Fatalf("read back: %s", diff)
	}
}

// modelDiff says how b differs from a beyond tol (relative, at least
// absolute 1e-3 when tol is not 0): thresholds, bias and every weight;
// a feature only one has must weigh less than 2e-3 (pruning's edge).
func modelDiff(a, b *Model, tol float64) string {
	far := func(x, y float32) bool {
		if tol == 0 {
			return x != y
		}
		return math.Abs(float64(x-y)) > tol*math.Max(1e-1, math.Abs(float64(x)))
	}
	if a.thresholds != b.thresholds {
		return fmt.Sprintf("thresholds %s, want %s", b.Thresholds(), a.Thresholds())
	}
	for k := range a.bias {
		if far(a.bias[k], b.bias[k]) {
			return fmt.Sprintf("bias[%d] %v, want %v", k, b.bias[k], a.bias[k])
		}
	}
	var zero [nStances]float32
	for _, pair := range [][2]*Model{{a, b}, {b, a}} {
		for name, w := range pair[0].weights {
			o := pair[1].weights[name]
			if o == nil {
				o = &zero
			}
			for k := range w {
				if w[k] == o[k] || tol != 0 && o == &zero && math.Abs(float64(w[k])) < 2e-3 {
					continue
				}
				if o == &zero || far(w[k], o[k]) {
					return fmt.Sprintf("%s[%d]: %v against %v", name, k, w[k], o[k])
				}
			}
		}
	}
	return ""
}

// TestBundledModelIsTrainedOnTheGold: the model in the module is what
// `stancewatch extract --train` makes of the labelled real texts with the
// features of this code; a change of either without retraining fails.
func TestBundledModelIsTrainedOnTheGold(t *testing.T) {
	g, as := readGoldSet(t, "testdata/real/gold.json", "testdata/real")
	cat, err := BundledCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := TrainModel(as, g, Options{Catalog: cat}, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Not byte for byte: math.Exp takes fused multiply-adds on the CPUs
	// that have them, so another machine trains weights a few ulps apart.
	if diff := modelDiff(m, DefaultModel(), 1e-3); diff != "" {
		t.Fatalf("the bundled model is not the one the gold trains (%s; %d features, %s; bundled %d, %s): run\n"+
			"  go run ./cmd/stancewatch extract --train producers/news/testdata/real/gold.json --out producers/news/model.txt.gz producers/news/testdata/real",
			diff, m.Features(), m.Thresholds(), DefaultModel().Features(), DefaultModel().Thresholds())
	}
}

func TestReadModelRefuses(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"not gzip", []byte("stancewatch stance model v1\n"), "gzip"},
		{"empty", gz(""), "empty"},
		{"another version", gz("stancewatch stance model v0\n"), `line 1: "stancewatch stance model v0"`},
		{"no tab", gz(modelHeader + "\nV:vot 1 2 3\n"), "line 2: no tab"},
		{"too few weights", gz(modelHeader + "\nV:vot\t1 2 3\n"), "line 2: 3 weights, want 8"},
		{"not a number", gz(modelHeader + "\nV:vot\t1 2 3 4 5 6 7 x\n"), `line 2: weight 8: "x"`},
		{"NaN", gz(modelHeader + "\nV:vot\t1 2 3 4 5 6 7 NaN\n"), `line 2: weight 8: "NaN"`},
		{"a feature twice", gz(modelHeader + "\nV:vot\t1 2 3 4 5 6 7 8\nV:vot\t1 2 3 4 5 6 7 8\n"), `line 3: "V:vot" again`},
		{"no thresholds", gz(modelHeader + "\n#bias\t1 2 3 4 5 6 7 8\n"), "no #threshold line"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadModel(bytes.NewReader(tc.data))
			if !errors.Is(err, ErrBadModel) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want ErrBadModel saying %q", err, tc.want)
			}
		})
	}
}

func TestTrainOptionsValidate(t *testing.T) {
	cases := []struct {
		name string
		o    TrainOptions
		want string // "" for valid
	}{
		{"the defaults", TrainOptions{}, ""},
		{"no calibration", TrainOptions{Folds: -1, Threshold: 0.6}, ""},
		{"negative epochs", TrainOptions{Epochs: -1}, "epochs"},
		{"one fold", TrainOptions{Folds: 1}, "folds"},
		{"a threshold of 1", TrainOptions{Threshold: 1}, "threshold"},
		{"a precision above 1", TrainOptions{MinPrecision: 1.5}, "min_precision"},
		{"a negative rate", TrainOptions{Rate: -0.1}, "rate"},
		{"NaN decay", TrainOptions{L2: math.NaN()}, "l2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
	g := &Gold{}
	if _, _, err := TrainModel(nil, g, Options{}, TrainOptions{}); !errors.Is(err, ErrNoExamples) {
		t.Fatalf("no articles: %v, want ErrNoExamples", err)
	}
}

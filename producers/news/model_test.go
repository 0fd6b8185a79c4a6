package news

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/events"
)

// handModel reads "zorbled" as an abstention, "glorped" as support,
// "blarged" as a sponsor's and "snarfed" as a veto: words no rule knows,
// so what is found is the learned reader's alone.
func handModel() *Model {
	m := &Model{weights: map[string]*[nStances]float32{}}
	for k := range m.bias {
		m.bias[k] = -4
		m.thresholds[k] = 0.5
	}
	var zorb, glorp, blarg, snarf [nStances]float32
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
		{"several texts in passing", "Chile zorbled repeated resolutions on the matter.", nil},
		{"a vote stance without a vote", "Chile zorbled the peace plan on Monday.", nil},
		{"a question", "Did Chile zorble in the vote on the resolution?", nil},
		{"a sponsor of a text with its writing", "Japan blarged the proposal it had circulated.", []string{"JP sponsor"}},
		{"a sponsor without a text", "The elections were blarged by Japan after it circulated them.", nil},
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
	if r.Features() != m.Features() || r.Thresholds() != m.Thresholds() {
		t.Fatalf("read %d features, %s; wrote %d, %s", r.Features(), r.Thresholds(), m.Features(), m.Thresholds())
	}
	for name, w := range m.weights {
		for k := range w {
			if d := math.Abs(float64(w[k] - r.weights[name][k])); d > 1e-3*math.Max(1, math.Abs(float64(w[k]))) {
				t.Fatalf("%s[%d]: wrote %v, read %v", name, k, w[k], r.weights[name][k])
			}
		}
	}
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
	var b bytes.Buffer
	m.WriteTo(&b)
	got, want := modelText(t, b.Bytes()), modelText(t, bundledModel)
	if got != want {
		t.Fatalf("the bundled model is not the one the gold trains (%d features, %s; bundled %d, %s): run\n"+
			"  go run ./cmd/stancewatch extract --train producers/news/testdata/real/gold.json --out producers/news/model.txt.gz producers/news/testdata/real",
			m.Features(), m.Thresholds(), DefaultModel().Features(), DefaultModel().Thresholds())
	}
}

func modelText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
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

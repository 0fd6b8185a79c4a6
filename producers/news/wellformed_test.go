package news

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/events"
)

// TestIllFormedText: text that does not read as sentences gives no
// finding at or above the review threshold.
func TestIllFormedText(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"broken agreement", "Russia veto the draft resolution on Friday."},
		{"broken agreement, plural", "Russia and China vetoes the draft resolution on Friday."},
		{"table of names", "Abstentions: Albania, Gabon, Ghana, Ecuador, France, Japan"},
		{"word salad", "the vetoed of Russia and the . draft the China on with Friday vetoed resolution the of the"},
		{"salad around a good clause", "of the and , Russia vetoed the draft of , the in . the of and"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range extractText(t, tc.text, "2024-03-23", true) {
				if f.Confidence >= DefaultReviewBelow {
					t.Errorf("%s %s at confidence %.2f (reasons %v): want below %.2f", f.Actor, f.Stance, f.Confidence, f.Reasons, DefaultReviewBelow)
				}
			}
		})
	}
}

// shuffledWords is n bytes of the words of the seed stories and the real
// set, in random order.
func shuffledWords(t testing.TB, n int, seed uint64) string {
	t.Helper()
	var words []string
	for _, glob := range []string{"testdata/seeds/*.txt", "testdata/real/*.txt"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			words = append(words, strings.Fields(string(b))...)
		}
	}
	r := rand.New(rand.NewPCG(seed, 17))
	var sb strings.Builder
	for sb.Len() < n {
		r.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
		sb.WriteString(strings.Join(words, " "))
		sb.WriteString(" ")
	}
	return sb.String()
}

// TestShuffledWordsGiveNoConfidentFinding: a megabyte of the set's own
// words in random order has every trigger, state and date of real copy,
// and no sentence; nothing found in it may reach the review threshold.
func TestShuffledWordsGiveNoConfidentFinding(t *testing.T) {
	cat, err := BundledCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{1, 2} {
		text := shuffledWords(t, 1<<20, seed)
		a, err := ReadArticle("shuffled.txt", []byte(text), Overrides{Published: events.MustDate("2024-03-26")})
		if err != nil {
			t.Fatal(err)
		}
		found := Extract(a, Options{Catalog: cat})
		confident := 0
		for _, f := range found {
			if f.Confidence >= DefaultReviewBelow {
				confident++
				if confident <= 3 {
					t.Errorf("seed %d: %s %s at confidence %.2f: %q", seed, f.Actor, f.Stance, f.Confidence, f.Evidence)
				}
			}
		}
		t.Logf("seed %d: %d findings, %d at or above %.2f", seed, len(found), confident, DefaultReviewBelow)
	}
}

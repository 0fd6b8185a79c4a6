package projections

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"weak"

	"github.com/stancewatch/stancewatch/events"
)

// vocabStory builds positions whose actors, topics, motions, sources and
// evidence strings all carry tag, so two stories share no value.
func vocabStory(tag string, actors []string, n int) *builder {
	b := &builder{}
	for i := range n {
		p := events.Position{
			Actor: events.MustCountry(actors[i%len(actors)]), Topic: events.MustTopic("topic-" + tag),
			Stance: events.Stances()[i%9], Motion: events.MustMotionID(fmt.Sprintf("S/2024/%s%d", tag, i%3)),
			Occurred: events.OnDay(events.MustDate("2024-03-01").AddDays(i)),
			Evidence: events.Evidence{Quote: fmt.Sprintf("%s quote %d", tag, i), URL: fmt.Sprintf("https://%s.example.org/%d", tag, i),
				Citation: "citation " + tag, Document: tag + ".jsonl", Producer: events.ProducerNews, Confidence: 0.5},
		}
		b.add(p)
	}
	return b
}

// TestStatesHaveOwnVocabulary: each State interns into its own
// vocabulary, so building or loading one never grows another's (with
// process-wide interners, b's events would have grown a's tables).
func TestStatesHaveOwnVocabulary(t *testing.T) {
	a := fold(vocabStory("aaa", []string{"US", "GB"}, 20).recs)
	sizeA := a.vocab.size()
	// 2 actors, 1 topic, 3 motions; strings: the source, 20 urls, a citation, a document.
	if want := 2 + 1 + 3 + (1 + 20 + 1 + 1); sizeA != want {
		t.Fatalf("a's vocabulary holds %d values, want %d", sizeA, want)
	}
	before := render(t, a, Lens{})

	b := fold(vocabStory("bbb", []string{"FR", "CN", "RU"}, 30).recs)
	if got := a.vocab.size(); got != sizeA {
		t.Fatalf("applying events to b grew a's vocabulary from %d to %d values", sizeA, got)
	}
	if want := 3 + 1 + 3 + (1 + 30 + 1 + 1); b.vocab.size() != want {
		t.Fatalf("b's vocabulary holds %d values, want %d: it has a's too", b.vocab.size(), want)
	}
	for _, s := range []string{"https://aaa.example.org/0", "aaa.jsonl", "citation aaa"} {
		if _, ok := b.vocab.strs.idx[s]; ok {
			t.Errorf("b's vocabulary holds %q, which only a's events use", s)
		}
	}
	if _, ok := b.vocab.countries.idx[events.MustCountry("US")]; ok {
		t.Error("b's vocabulary holds US, which only a's events name")
	}
	// Ids are each State's own: both number their first actor 1.
	if a.vocab.countries.id(events.MustCountry("US")) != 1 || b.vocab.countries.id(events.MustCountry("FR")) != 1 {
		t.Error("the states do not number their vocabularies independently")
	}

	// Loading a snapshot makes a fresh vocabulary too.
	c := reread(t, b)
	if c.vocab == b.vocab || c.vocab == a.vocab {
		t.Fatal("the loaded state shares a vocabulary")
	}
	if c.vocab.size() != b.vocab.size() || a.vocab.size() != sizeA {
		t.Fatalf("after loading b's snapshot: vocabularies a %d (was %d), b %d, loaded %d", a.vocab.size(), sizeA, b.vocab.size(), c.vocab.size())
	}
	if c.Digest() != b.Digest() || render(t, c, Lens{}) != render(t, b, Lens{}) {
		t.Error("the loaded state differs from the one written")
	}
	if after := render(t, a, Lens{}); after != before {
		t.Errorf("a's views changed while b was built and loaded:\n%s\n%s", before, after)
	}
}

// TestStatesBuildConcurrently: two States applying events at once share
// nothing (run with -race).
func TestStatesBuildConcurrently(t *testing.T) {
	stories := []*builder{vocabStory("ccc", []string{"US"}, 200), vocabStory("ddd", []string{"FR"}, 200)}
	states := make([]*State, len(stories))
	var wg sync.WaitGroup
	for i, b := range stories {
		wg.Go(func() {
			s := New()
			for _, r := range b.recs {
				s.Apply(r.ev, r.m)
				_ = s.Positions(PositionFilter{}, Lens{})
			}
			states[i] = s
		})
	}
	wg.Wait()
	for i, s := range states {
		if want := fold(stories[i].recs).Digest(); s.Digest() != want {
			t.Errorf("state %d built concurrently differs from one built alone", i)
		}
	}
}

// TestVocabularyGoesWithItsState: once a State is unreachable, so is its
// vocabulary, evidence strings and all.
func TestVocabularyGoesWithItsState(t *testing.T) {
	s := fold(vocabStory("eee", []string{"US"}, 50).recs)
	w := weak.Make(s.vocab)
	if s.Len() != 50 {
		t.Fatal(s.Len())
	}
	s = nil
	for range 5 {
		runtime.GC()
		if w.Value() == nil {
			return
		}
	}
	t.Fatal("the vocabulary of an unreachable State is still live")
}

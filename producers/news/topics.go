package news

import (
	"slices"
	"strings"
	"sync"

	"github.com/stancewatch/stancewatch/events"
)

// TopicCue is one topic of a taxonomy and the words that signal it.
type TopicCue struct {
	Topic events.Topic
	// Cues are lower-case words or phrases ("gaza", "two-state solution");
	// each occurrence in a sentence is one point for the topic.
	Cues []string
	// Area marks a broad issue area (the General Assembly's six): a
	// crisis with as many points wins over it.
	Area bool
}

// Taxonomy tells a finding's topic from the words of its sentence, its
// neighbours, the article and its title. A topic it cannot tell apart
// from another is left empty, so that the finding goes to review rather
// than to a guessed topic.
type Taxonomy struct {
	cues    []TopicCue
	byFirst map[string][]cuePhrase
}

type cuePhrase struct {
	words []string
	topic int // index in cues
}

// NewTaxonomy builds a taxonomy; NewTaxonomy(nil) tells no topic.
func NewTaxonomy(cues []TopicCue) *Taxonomy {
	tx := &Taxonomy{cues: slices.Clone(cues), byFirst: map[string][]cuePhrase{}}
	for i, c := range tx.cues {
		for _, p := range c.Cues {
			var words []string
			for _, t := range tokenize(p, 0) {
				words = append(words, t.norm)
			}
			if len(words) > 0 {
				tx.byFirst[words[0]] = append(tx.byFirst[words[0]], cuePhrase{words: words, topic: i})
			}
		}
	}
	return tx
}

// Topics lists the taxonomy's topics in order.
func (tx *Taxonomy) Topics() []events.Topic {
	var out []events.Topic
	for _, c := range tx.cues {
		out = append(out, c.Topic)
	}
	return out
}

// GA issue areas, as the Assembly vote dataset names them.
var issueAreas = []TopicCue{
	{Topic: events.MustTopic("palestinian-conflict"), Area: true, Cues: []string{"occupied palestinian territory", "west bank", "east jerusalem",
		"israeli settlements", "settlements", "unrwa", "palestine refugees", "golan", "israeli occupation"}},
	{Topic: events.MustTopic("nuclear-weapons"), Area: true, Cues: []string{"nuclear weapons", "nuclear weapon", "nuclear disarmament",
		"non-proliferation treaty", "npt", "nuclear test", "nuclear tests", "nuclear-weapon-free", "ctbt", "fissile material"}},
	{Topic: events.MustTopic("arms-control"), Area: true, Cues: []string{"arms control", "disarmament", "arms trade treaty", "chemical weapons",
		"biological weapons", "landmines", "cluster munitions", "small arms", "conventional weapons", "arms race", "opcw", "arms embargo"}},
	{Topic: events.MustTopic("colonialism"), Area: true, Cues: []string{"decolonization", "decolonisation", "non-self-governing", "colonial",
		"colonialism", "self-determination", "trust territories", "western sahara", "chagos", "falklands", "malvinas", "puerto rico"}},
	{Topic: events.MustTopic("human-rights"), Area: true, Cues: []string{"human rights", "human rights council", "torture", "death penalty",
		"freedom of expression", "xinjiang", "uyghur", "uighur", "hong kong", "pro-democracy", "freedoms", "lgbtiq", "lgbt"}},
	{Topic: events.MustTopic("economic-development"), Area: true, Cues: []string{"economic development", "sustainable development",
		"development", "poverty", "debt", "trade", "coercive economic measures", "unilateral coercive measures", "economic sanctions"}},
}

// crises are the current crises, with their places, people and terms.
var crises = []TopicCue{
	{Topic: events.MustTopic("gaza-ceasefire"), Cues: []string{"gaza", "rafah", "khan younis", "hostages", "hostage", "hamas",
		"humanitarian pause", "humanitarian pauses", "october 7", "strip"}},
	{Topic: events.MustTopic("palestine-statehood"), Cues: []string{"state of palestine", "palestinian state", "palestinian statehood",
		"statehood", "two-state solution", "two-state", "recognise palestine", "recognize palestine", "recognition of palestine",
		"recognising palestine", "recognizing palestine", "recognised palestine", "recognized palestine", "recognises palestine",
		"recognizes palestine", "full member", "full membership"}},
	{Topic: events.MustTopic("ukraine"), Cues: []string{"ukraine", "ukrainian", "ukraine's", "kyiv", "kiev", "donetsk", "luhansk",
		"zaporizhzhia", "kherson", "crimea", "zelensky", "zelenskyy", "invasion"}},
	{Topic: events.MustTopic("syria"), Cues: []string{"syria", "syrian", "damascus", "assad", "idlib", "bab al-hawa", "aleppo", "khan sheikhoun", "douma"}},
	{Topic: events.MustTopic("sudan"), Cues: []string{"sudan", "sudanese", "darfur", "khartoum", "el fasher", "rsf", "rapid support forces"}},
	{Topic: events.MustTopic("myanmar"), Cues: []string{"myanmar", "burma", "rohingya", "aung san suu kyi", "suu kyi", "naypyidaw", "tatmadaw"}},
	{Topic: events.MustTopic("haiti"), Cues: []string{"haiti", "haitian", "port-au-prince", "binuh", "gangs"}},
	{Topic: events.MustTopic("dprk"), Cues: []string{"north korea", "north korean", "dprk", "pyongyang", "korean peninsula", "kim jong un",
		"icbm", "ballistic missile", "ballistic missiles", "denuclearization"}},
	{Topic: events.MustTopic("iran-nuclear"), Cues: []string{"iran", "iranian", "iran's", "tehran", "jcpoa", "jcpoa's", "snapback",
		"2231", "enrichment", "enriched uranium", "iaea"}},
	{Topic: events.MustTopic("venezuela"), Cues: []string{"venezuela", "venezuelan", "maduro", "guaido", "guaidó", "caracas"}},
	{Topic: events.MustTopic("mali"), Cues: []string{"mali", "malian", "bamako", "minusma"}},
	{Topic: events.MustTopic("yemen"), Cues: []string{"yemen", "houthi", "houthis", "red sea", "ansar allah"}},
	{Topic: events.MustTopic("cuba-embargo"), Cues: []string{"cuba", "cuban", "embargo", "blockade", "helms-burton"}},
	{Topic: events.MustTopic("nato-enlargement"), Cues: []string{"nato", "north atlantic treaty organization", "north atlantic treaty",
		"alliance's", "nordic"}},
	{Topic: events.MustTopic("eu-enlargement"), Cues: []string{"eu accession", "accession talks", "eu membership", "join the eu",
		"candidate status", "membership talks"}},
	{Topic: events.MustTopic("afghanistan"), Cues: []string{"afghanistan", "afghan", "taliban", "kabul"}},
	{Topic: events.MustTopic("libya"), Cues: []string{"libya", "libyan", "tripoli", "benghazi"}},
	{Topic: events.MustTopic("lebanon"), Cues: []string{"lebanon", "lebanese", "hezbollah", "beirut", "unifil"}},
}

// DefaultTaxonomy is the bundled taxonomy: the current crises (Gaza,
// Palestinian statehood, Ukraine, Syria, Sudan, Myanmar, Haiti, DPRK,
// Iran's nuclear programme, Venezuela, …) and the General Assembly's six
// issue areas (palestinian-conflict, nuclear-weapons, arms-control,
// colonialism, human-rights, economic-development).
var DefaultTaxonomy = sync.OnceValue(func() *Taxonomy {
	return NewTaxonomy(append(slices.Clone(crises), issueAreas...))
})

// score counts the cues of each topic in toks.
func (tx *Taxonomy) score(toks []token) []int {
	out := make([]int, len(tx.cues))
	for i := range toks {
		for _, p := range tx.byFirst[toks[i].norm] {
			if matchCue(toks, i, p.words) {
				out[p.topic]++
			}
		}
	}
	return out
}

func matchCue(toks []token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		if toks[i+k].norm != w {
			return false
		}
	}
	return true
}

// topicScores are the cue counts of an article: by sentence, in the
// title, and in all.
type topicScores struct {
	sent  [][]int
	title []int
	all   []int
}

func (tx *Taxonomy) scoreArticle(title string, sents []*sctx) topicScores {
	ts := topicScores{title: tx.score(tokenize(title, 0)), all: make([]int, len(tx.cues))}
	for _, c := range sents {
		s := tx.score(c.toks)
		ts.sent = append(ts.sent, s)
		for i, v := range s {
			ts.all[i] += v
		}
	}
	return ts
}

// pick chooses the topic of sentence i: its own cues weigh most, then its
// neighbours', the title's and the article's. The best topic must lead
// the next by a clear margin, or there is none.
func (tx *Taxonomy) pick(ts topicScores, i int) (events.Topic, bool) {
	if len(tx.cues) == 0 {
		return events.Topic{}, false
	}
	w := make([]float64, len(tx.cues))
	for t := range tx.cues {
		v := 4 * float64(ts.sent[i][t])
		if i > 0 {
			v += float64(ts.sent[i-1][t])
		}
		if i+1 < len(ts.sent) {
			v += float64(ts.sent[i+1][t])
		}
		v += 2*float64(min(ts.title[t], 2)) + min(float64(ts.all[t]), 8)/2
		if tx.cues[t].Area {
			v *= 0.75
		}
		w[t] = v
	}
	best, second := -1, -1
	for t := range w {
		switch {
		case best < 0 || w[t] > w[best]:
			best, second = t, best
		case second < 0 || w[t] > w[second]:
			second = t
		}
	}
	if w[best] < 2 || second >= 0 && w[best]-w[second] < 1.5 {
		return events.Topic{}, false
	}
	return tx.cues[best].Topic, true
}

// topicOf classifies a short text such as a motion's title.
func (tx *Taxonomy) topicOf(text string) (events.Topic, bool) {
	s := tx.score(tokenize(strings.ToLower(text), 0))
	best, n := -1, 0
	for t, v := range s {
		if v > 0 {
			n++
			if best < 0 || v > s[best] {
				best = t
			}
		}
	}
	if best < 0 || n > 1 && tx.cues[best].Area {
		return events.Topic{}, false
	}
	return tx.cues[best].Topic, true
}

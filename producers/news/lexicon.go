package news

import (
	"slices"
	"strings"
	"sync"

	"github.com/stancewatch/stancewatch/events"
)

// mentionKind is how a text named a state.
type mentionKind uint8

const (
	mName    mentionKind = iota + 1 // "Russia", "the United States", "the US", "USA"
	mDemonym                        // "French", "Israeli": an actor only with a role or as "the French"
	mMetonym                        // "Washington", "the Kremlin", "the Biden administration": only as a subject
)

// alias is one way of naming a state, as a token sequence.
type alias struct {
	words   []string
	country events.Country
	kind    mentionKind
	term    *officialAlias // an official's name: the state only in the term
}

// lexicon is every alias, indexed by its first word.
type lexicon struct {
	byFirst map[string][]alias // longest first
}

// alpha3Words are alpha-3 codes that are also English words: in capitals
// they are more often a shouted word than a country.
var alpha3Words = map[string]bool{
	"and": true, "are": true, "can": true, "per": true, "ben": true, "col": true, "dom": true, "gab": true,
	"mar": true, "mex": true, "ton": true, "tun": true, "aut": true, "bel": true, "cub": true, "ind": true,
	"irl": true, "ita": true, "lie": true, "mlt": true, "nor": true, "pan": true, "sur": true, "tur": true,
	"win": true, "gin": true, "mac": true, "arm": true, "aus": true, "fin": true, "bra": true, "che": true,
	"cod": true, "com": true, "cog": true, "dma": true, "est": true, "fji": true, "gha": true, "gum": true,
	"hun": true, "isl": true, "kir": true, "lao": true, "mal": true, "mli": true, "mus": true, "nam": true,
	"pak": true, "pol": true, "per ": true, "sen": true, "sin": true, "som": true, "ven": true, "yem": true,
}

// extraAliases name governments by the building or administration.
var extraAliases = []struct {
	text string
	code string
}{
	{"biden administration", "US"}, {"trump administration", "US"}, {"obama administration", "US"},
	{"state department", "US"}, {"us administration", "US"}, {"us government", "US"},
	{"downing street", "GB"}, {"foreign office", "GB"}, {"british government", "GB"},
	{"élysée", "FR"}, {"elysee", "FR"}, {"quai d'orsay", "FR"},
	{"zhongnanhai", "CN"},
}

var theLexicon = sync.OnceValue(buildLexicon)

func buildLexicon() *lexicon {
	lx := &lexicon{byFirst: map[string][]alias{}}
	add := func(text string, c events.Country, kind mentionKind) {
		var words []string
		for _, t := range tokenize(text, 0) {
			if t.kind == tPunct && t.norm != "'" && t.norm != "-" {
				continue
			}
			words = append(words, t.norm)
		}
		if len(words) == 0 {
			return
		}
		lx.byFirst[words[0]] = append(lx.byFirst[words[0]], alias{words: words, country: c, kind: kind})
	}
	events.CountryAliases(func(a string, c events.Country, kind events.AliasKind) {
		switch kind {
		case events.AliasCode:
			// Alpha-2 codes collide with English words ("in", "it", "no");
			// alpha-3 codes are kept and checked for capitals when matched.
			// "US" is the exception: a code used as a name.
			if len(a) == 3 && !alpha3Words[a] || a == "us" {
				add(a, c, mName)
			}
		case events.AliasName:
			add(a, c, mName)
		case events.AliasDemonym:
			add(a, c, mDemonym)
		case events.AliasMetonym:
			add(a, c, mMetonym)
		}
	})
	for _, e := range extraAliases {
		add(e.text, events.MustCountry(e.code), mMetonym)
	}
	oas := officialAliases()
	for i := range oas {
		oa := &oas[i]
		lx.byFirst[oa.words[0]] = append(lx.byFirst[oa.words[0]], alias{words: oa.words, country: oa.country, kind: mMetonym, term: oa})
	}
	for k, as := range lx.byFirst {
		slices.SortStableFunc(as, func(a, b alias) int { return len(b.words) - len(a.words) })
		lx.byFirst[k] = as
	}
	return lx
}

// mention is a state named in a sentence, over tokens [start, end).
type mention struct {
	country    events.Country
	start, end int
	kind       mentionKind
	plural     bool           // "the Americans"
	term       *officialAlias // named by an official's name
}

// findMentions marks every state named in toks. lower says the copy is
// lowercased: then "us" names the United States only after "the" or
// before a noun it modifies.
func findMentions(toks []token, lower bool, day events.Date) []mention {
	lx := theLexicon()
	var out []mention
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tWord {
			continue
		}
		best := -1
		var bestAlias alias
		for _, a := range lx.byFirst[t.norm] {
			if a.term != nil && !a.term.covers(day) {
				continue
			}
			if n := matchWords(toks, i, a.words); n > 0 && n > best {
				best, bestAlias = n, a
			}
		}
		plural := false
		if best < 0 && strings.HasSuffix(t.norm, "s") && i > 0 && toks[i-1].norm == "the" {
			// "the Americans", "the Russians": a government by its people
			for _, a := range lx.byFirst[strings.TrimSuffix(t.norm, "s")] {
				if a.kind == mDemonym && len(a.words) == 1 {
					best, bestAlias, plural = 1, a, true
					break
				}
			}
		}
		if best < 0 {
			continue
		}
		end := i + best
		if !acceptMention(toks, i, end, bestAlias, lower) {
			continue
		}
		kind := bestAlias.kind
		if plural {
			kind = mMetonym
		}
		if kind == mDemonym && i > 0 && toks[i-1].norm == "the" && collectiveDemonyms[t.norm] && end < len(toks) && isVerbish(toks[end]) {
			kind, plural = mMetonym, true // "the French said", "the British abstained"
		}
		out = append(out, mention{country: bestAlias.country, start: i, end: end, kind: kind, plural: plural, term: bestAlias.term})
		i = end - 1
	}
	return out
}

// collectiveDemonyms can name a government on their own: "the French".
var collectiveDemonyms = map[string]bool{"french": true, "british": true, "chinese": true, "dutch": true, "swiss": true, "japanese": true, "irish": true}

func matchWords(toks []token, i int, words []string) int {
	j := i
	for _, w := range words {
		for j < len(toks) && toks[j].kind == tPunct && (toks[j].norm == "." || toks[j].norm == "-") && w != "-" {
			j++ // "U . S ." in tokenised copy, "Thomas - Greenfield"
		}
		if j >= len(toks) || toks[j].norm != w && !(w == "and" && toks[j].norm == "&") { // "Saint Kitts & Nevis"
			return 0
		}
		j++
	}
	return j - i
}

// acceptMention applies the rules that keep pronouns and words out.
func acceptMention(toks []token, start, end int, a alias, lower bool) bool {
	first := toks[start]
	if !lower && end < len(toks) && toks[end].upper && outletWords[toks[end].norm] {
		return false // "Pakistan Point News", "China Daily", "Russia Today": a newspaper or a channel
	}
	if a.term != nil {
		// a person's name: capitalised in prose, never after "former"
		return (lower || first.upper) && !formerBefore(toks, start)
	}
	if len(a.words) == 1 {
		w := a.words[0]
		switch {
		case len(w) == 3 && a.country.Alpha3() == strings.ToUpper(w) && w != "usa":
			// an alpha-3 code: only in capitals ("RUS"), never in lowercased copy
			return first.allUpper
		case w == "us" || w == "uk":
			if !lower {
				return first.allUpper // "US" the country, "us" the pronoun
			}
			// lowercased copy: "the us", "us officials", "us - drafted"
			if start > 0 && toks[start-1].is("the", "a", "an") {
				return true
			}
			return end < len(toks) && (modifiedNouns[toks[end].norm] || roleWords[toks[end].norm] || toks[end].norm == "-")
		}
	}
	return true
}

// outletWords, capitalised after a state's name, make it the name of a
// newspaper, agency or channel.
var outletWords = map[string]bool{
	"news": true, "times": true, "post": true, "today": true, "daily": true, "observer": true, "tribune": true,
	"herald": true, "gazette": true, "point": true, "radio": true, "tv": true, "television": true,
	"broadcasting": true, "chronicle": true, "monitor": true, "journal": true, "mirror": true, "express": true,
}

// modifiedNouns follow a state used as a modifier: "the US draft".
var modifiedNouns = map[string]bool{
	"draft": true, "text": true, "resolution": true, "proposal": true, "veto": true, "vetoes": true, "abstention": true,
	"vote": true, "position": true, "policy": true, "decision": true, "view": true, "ally": true, "support": true,
	"officials": true, "official": true, "diplomats": true, "diplomat": true, "forces": true, "troops": true,
	"military": true, "national": true, "state": true, "secretary": true, "congress": true, "senate": true,
	"administration": true, "government": true, "mission": true, "delegation": true, "-drafted": true,
}

// roleWords name people and bodies that speak for a state.
var roleWords = map[string]bool{
	"ambassador": true, "ambassadors": true, "envoy": true, "envoys": true, "representative": true, "representatives": true,
	"delegation": true, "delegate": true, "delegates": true, "mission": true, "government": true, "administration": true,
	"president": true, "premier": true, "minister": true, "ministry": true, "officials": true, "official": true,
	"diplomat": true, "diplomats": true, "spokesman": true, "spokeswoman": true, "spokesperson": true,
	"authority": true, "authorities": true, "leader": true, "leadership": true, "cabinet": true, "chancellor": true,
	"king": true, "emir": true, "secretary": true, "foreign": true, "prime": true, "deputy": true, "permanent": true,
	"chief": true, "top": true, "senior": true, "state": true, "security": true, "council": true, "adviser": true,
	"advisor": true, "national": true, "negotiator": true, "negotiators": true, "head": true, "counsellor": true,
	"defence": true, "defense": true, "interior": true, "vice": true, "parliament": true, "lawmakers": true,
	"legislature": true, "mps": true, "chiefs": true, "leaders": true, "ministers": true, "governments": true,
	"office": true, "speaker": true, "affairs": true, "external": true, "un": true,
}

// headRoles are the role words that can end a role phrase.
var headRoles = map[string]bool{
	"ambassador": true, "envoy": true, "representative": true, "delegation": true, "delegate": true,
	"mission": true, "government": true, "administration": true, "president": true, "premier": true,
	"minister": true, "ministry": true, "officials": true, "official": true, "diplomat": true, "diplomats": true,
	"spokesman": true, "spokeswoman": true, "spokesperson": true, "authority": true, "authorities": true,
	"leader": true, "leadership": true, "cabinet": true, "chancellor": true, "king": true, "emir": true,
	"negotiator": true, "negotiators": true, "adviser": true, "advisor": true, "envoys": true,
	"ambassadors": true, "representatives": true, "delegates": true, "parliament": true, "lawmakers": true,
	"legislature": true, "mps": true, "chiefs": true, "leaders": true, "ministers": true, "governments": true,
	"office": true, "speaker": true,
}

// auxiliaries and adverbs that may stand between a subject and its verb
// without changing what the verb asserts.
var neutralChain = map[string]bool{
	"has": true, "have": true, "had": true, "did": true, "does": true, "do": true, "is": true, "was": true,
	"were": true, "are": true, "been": true, "be": true, "also": true, "previously": true, "already": true, "again": true,
	"both": true, "all": true, "then": true, "ultimately": true, "eventually": true, "publicly": true,
	"formally": true, "once": true, "earlier": true, "subsequently": true, "finally": true, "duly": true,
	"instead": true, "itself": true, "themselves": true, "on": true, "last": true, "week": true, "today": true,
	"yesterday": true, "later": true, "thus": true, "therefore": true, "so": true, "just": true, "now": true,
	"first": true, "alone": true, "twice": true, "repeatedly": true, "decided": true, "chose": true, "opted": true,
	"voted": true, "moved": true, "went": true, "proceeded": true, "to": true, "decision": true, "choice": true,
	"made": true, "the": true, "took": true, "in": true, "turn": true, "night": true, "morning": true, "evening": true,
	"afternoon": true, "this": true, "effectively": true, "simply": true, "quickly": true, "swiftly": true,
	"unanimously": true, "together": true, "jointly": true, "immediately": true, "promptly": true, "duly ": true,
	"still": true,
}

// blockers in a subject's verb chain cancel the stance: negation,
// modality, intention, hypothesis.
var blockers = map[string]bool{
	"not": true, "n't": true, "never": true, "no": true, "neither": true, "nor": true, "would": true, "could": true,
	"might": true, "may": true, "should": true, "must": true, "will": true, "shall": true, "'ll": true, "can": true,
	"cannot": true, "likely": true, "unlikely": true, "expected": true, "planned": true, "plans": true, "planning": true,
	"intends": true, "intended": true, "intend": true, "threatened": true, "threatens": true, "threaten": true,
	"declined": true, "refused": true, "refuses": true, "failed": true, "fails": true, "wanted": true, "want": true,
	"wants": true, "hoped": true, "hopes": true, "ready": true, "prepared": true, "considering": true, "considered": true,
	"if": true, "whether": true, "unless": true, "rather": true, "instead of": true, "than": true, "going": true,
	"poised": true, "set": true, "seeking": true, "sought": true, "tried": true, "trying": true, "attempted": true,
	"asked": true, "urged": true, "pressed": true, "called": true, "vowed": true, "promised": true, "pledged": true,
	"warned": true, "signalled": true, "signaled": true, "indicated": true, "suggested": true, "hinted": true,
	"about": true, "able": true, "allowed": true, "wished": true, "weighing": true, "weighed": true, "mulling": true,
	"avoid": true, "avoided": true, "without": true, "reluctant": true, "might've": true, "'d": true,
}

// prepositions before a state make it an object, not a subject.
var prepositions = map[string]bool{
	"in": true, "to": true, "from": true, "at": true, "with": true, "by": true, "for": true, "against": true,
	"on": true, "of": true, "than": true, "like": true, "between": true, "into": true, "via": true, "toward": true,
	"towards": true, "about": true, "over": true, "under": true, "visit": true, "near": true, "among": true,
	"including": true, "unlike": true, "across": true, "through": true, "behind": true, "beside": true,
}

// reportingVerbs introduce what a subject said.
var reportingVerbs = map[string]bool{
	"said": true, "says": true, "stated": true, "states": true, "announced": true, "announces": true,
	"insisted": true, "insists": true, "argued": true, "argues": true, "added": true, "declared": true,
	"confirmed": true, "confirms": true, "made": true, "explained": true, "told": true, "noted": true,
	"reiterated": true, "stressed": true, "maintained": true, "maintains": true, "signalled": true,
	"signaled": true, "indicated": true, "indicates": true, "warned": true, "warns": true, "vowed": true,
	"vows": true, "pledged": true, "promised": true, "threatened": true, "threatens": true,
}

// motionNouns are what a stance on a text is about.
var motionNouns = map[string]bool{
	"draft": true, "drafts": true, "resolution": true, "resolutions": true, "text": true, "texts": true,
	"measure": true, "measures": true, "proposal": true, "proposals": true, "motion": true, "amendment": true,
	"amendments": true, "bid": true, "vote": true, "votes": true, "document": true,
}

// pluralMotionNouns mark a stance mentioned in passing over several texts.
var pluralMotionNouns = map[string]bool{
	"drafts": true, "resolutions": true, "texts": true, "measures": true, "proposals": true, "amendments": true,
	"attempts": true, "statements": true, "times": true, "occasions": true, "efforts": true, "bids": true,
}

var numberWords = map[string]int{
	"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"several": 3, "multiple": 3, "numerous": 3, "many": 3, "dozens": 3, "repeated": 3, "successive": 3,
}

// isVerbish says a token can begin a predicate: an auxiliary, a modal, a
// reporting verb or a trigger's first word.
func isVerbish(t token) bool {
	w := t.norm
	if neutralChain[w] && !prepositions[w] && w != "the" && w != "all" && w != "both" || blockers[w] || reportingVerbs[w] || triggerFirst()[w] {
		return true
	}
	switch w {
	case "stood", "stands", "linked", "changed", "insisted", "accused", "criticised", "criticized", "called",
		"urged", "warned", "welcomed", "used", "cast", "put", "wants", "expects", "believes", "believed":
		return true
	}
	return false
}

// isVerb is isVerbish without the articles and prepositions that begin
// some triggers ("a staunch supporter of", "in favour of"): a word that
// ends a noun phrase before its verb.
func isVerb(t token) bool {
	return isVerbish(t) && !t.is("the", "a", "an") && !prepositions[t.norm]
}

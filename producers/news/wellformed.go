package news

// Well-formedness: text that does not read as sentences (word salad,
// shuffled words, tables of names, broken agreement) gives no confident
// finding. The test is a small grammar of closed-class words: in English
// a determiner is not followed by a preposition, an auxiliary, a
// conjunction or a full stop; a preposition is not followed by an
// auxiliary or a full stop; and so on. Real copy, prose or lowercased
// wire, breaks these rules about once in a hundred words; shuffled words
// break them in almost every sentence.

// wordClass is the closed class of a word, or cOpen.
type wordClass uint8

const (
	cOpen wordClass = iota
	cDet
	cPrep
	cAux
	cConj
	cPron
	cStop // , . ; :
	cPast // a past verb that cannot follow a determiner or a preposition
)

var closedClass = map[string]wordClass{
	"the": cDet, "a": cDet, "an": cDet, "its": cDet, "their": cDet, "his": cDet, "our": cDet,
	"my": cDet, "your": cDet, "every": cDet, "each": cDet,
	"of": cPrep, "in": cPrep, "on": cPrep, "at": cPrep, "by": cPrep, "for": cPrep, "with": cPrep, "from": cPrep,
	"into": cPrep, "between": cPrep, "during": cPrep, "without": cPrep, "through": cPrep, "against": cPrep,
	"is": cAux, "was": cAux, "were": cAux, "are": cAux, "been": cAux, "has": cAux, "have": cAux, "had": cAux,
	"will": cAux, "would": cAux, "could": cAux, "should": cAux, "can": cAux, "may": cAux, "might": cAux,
	"must": cAux, "did": cAux, "does": cAux,
	"and": cConj, "or": cConj, "but": cConj, "nor": cConj,
	"it": cPron, "they": cPron, "he": cPron, "she": cPron, "we": cPron,
	",": cStop, ".": cStop, ";": cStop, ":": cStop,
	"vetoed": cPast, "abstained": cPast, "voted": cPast, "said": cPast, "told": cPast, "announced": cPast,
	"declared": cPast, "stated": cPast,
}

// badPair reports a pair of closed-class words that English does not
// put side by side.
func badPair(a, b wordClass) bool {
	switch a {
	case cDet:
		return b != cOpen
	case cPrep:
		return b == cAux || b == cConj || b == cStop || b == cPrep || b == cPast
	case cPast:
		return b == cPast || b == cAux
	case cConj:
		return b == cConj || b == cStop
	case cPron:
		return b == cDet || b == cPron
	case cAux:
		return b == cConj
	}
	return false
}

// pairErrors counts the bad pairs of a sentence and the closed-class
// words it holds.
func pairErrors(toks []token) (bad, closed int) {
	prev := cOpen
	prevWord := ""
	for i, t := range toks {
		c, ok := closedClass[t.norm]
		switch {
		case !ok:
		case t.norm == "may" && (t.upper || i > 0 && toks[i-1].is("in", "on", "by", "since", "until", "of", "late", "early", "mid")):
			ok = false // the month
		case t.norm == "a" && t.allUpper || t.norm == "a" && i+1 < len(toks) && toks[i+1].is(".") && t.upper:
			ok = false // an initial
		case (t.norm == "against" || t.norm == "for") && i+1 < len(toks) && closedClass[toks[i+1].norm] >= cConj:
			ok = false // "voted against.", "votes for and against": an adverb
		}
		if !ok {
			prev, prevWord = cOpen, t.norm
			continue
		}
		closed++
		if badPair(prev, c) && !allowedPair(prevWord, t.norm) && !(prev == cDet && t.is("will", "may", "can", "must")) {
			bad++
		}
		prev, prevWord = c, t.norm
	}
	return bad, closed
}

// allowedPair lists the pairs of closed-class words that are English
// after all: "out of" is not among them (out is open), but "because of"
// is not either; these are the exceptions among the closed words.
func allowedPair(a, b string) bool {
	switch a + " " + b {
	case "from between", "in between", "from among", "of between", "but for", "and/or":
		return true
	}
	return false
}

// wellFormed reports a sentence that reads as English: few bad pairs of
// closed-class words, and some closed-class words at all when it is long
// (a table of names has none).
func wellFormed(toks []token) bool {
	bad, closed := pairErrors(toks)
	words := 0
	for _, t := range toks {
		if t.kind == tWord {
			words++
		}
	}
	if bad >= 2 && bad*15 > closed || bad >= 1 && closed <= 8 && words <= 16 {
		return false
	}
	return true
}

// articleWellFormed reports an article whose sentences read as English
// in the main: shuffled words fail it even where a sentence passes by
// chance.
func articleWellFormed(sents []*sctx) bool {
	bad, closed := 0, 0
	for _, c := range sents {
		b, n := pairErrors(c.toks)
		bad += b
		closed += n
	}
	return closed < 20 || bad*20 <= closed
}

// hasFiniteVerb reports a token that can be a finite verb: an auxiliary,
// a reporting verb, a trigger verb or a past form.
func hasFiniteVerb(toks []token) bool {
	for _, t := range toks {
		if t.kind != tWord {
			continue
		}
		if closedClass[t.norm] == cAux || reportingVerbs[t.norm] || triggerFirst()[t.norm] {
			return true
		}
		if len(t.norm) > 4 && (t.norm[len(t.norm)-2:] == "ed") {
			return true
		}
	}
	return false
}

// baseForms and sForms are verb triggers that agree with their subject:
// "Russia vetoes", "Russia and China veto".
var baseForms = map[string]bool{
	"veto": true, "abstain": true, "support": true, "oppose": true, "back": true, "reject": true, "vote": true,
	"endorse": true, "recognise": true, "recognize": true, "approve": true, "ratify": true, "accept": true,
	"welcome": true, "block": true, "call": true,
}

var sForms = map[string]bool{
	"vetoes": true, "abstains": true, "supports": true, "opposes": true, "backs": true, "rejects": true, "votes": true,
	"endorses": true, "recognises": true, "recognizes": true, "approves": true, "ratifies": true, "accepts": true,
	"welcomes": true, "blocks": true, "calls": true,
}

// agrees reports a verb trigger that agrees with its subject, when the
// subject stands right before it: "Russia veto the draft" does not.
func agrees(verb string, actors int, plural bool) bool {
	switch {
	case baseForms[verb]:
		return actors > 1 || plural
	case sForms[verb]:
		return actors == 1 && !plural
	}
	return true
}

// illFormedConf is the confidence a finding keeps at most when its
// sentence or article does not read as English: low enough for review.
const illFormedConf = 0.45

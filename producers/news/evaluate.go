package news

import (
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// Evaluations: a state's speaker saying what it thinks of a text ("said
// the draft resolution fell short of expectations", "described Friday's
// resolution as exceedingly politicised", "said the vote was a powerful
// demonstration") takes a position on it without a stance verb.

// negativeEvals judge a text badly.
var negativeEvals = map[string]bool{
	"politicised": true, "politicized": true, "one-sided": true, "unbalanced": true, "imbalanced": true,
	"biased": true, "flawed": true, "shameful": true, "disgraceful": true, "unacceptable": true,
	"counterproductive": true, "counter-productive": true, "hypocritical": true, "cynical": true,
	"distorted": true, "irresponsible": true, "meaningless": true, "provocation": true, "provocative": true,
	"sham": true, "farce": true, "toxic": true, "destructive": true, "deplorable": true, "outrageous": true,
	"inadequate": true, "insufficient": true, "ignores": true, "ignored": true, "undermines": true, "undermined": true,
	"disappointing": true, "regrettable": true, "unhelpful": true, "unjust": true, "unfair": true,
	"dangerous": true, "harmful": true, "jeopardize": true, "jeopardise": true, "jeopardizes": true, "jeopardises": true,
	"hinder": true, "hinders": true, "hindered": true, "manipulated": true, "premature": true, "divisive": true,
	"selective": true, "illegitimate": true, "violates": true, "interference": true, "meddling": true,
	"destabilizing": true, "destabilising": true, "lacks": true, "lacked": true, "null": true,
	"worthless": true, "pointless": true, "harm": true, "harms": true, "damaging": true, "misguided": true,
	"lopsided": true, "absurd": true, "propaganda": true, "violation": true, "breach": true, "illegal": true,
	"unlawful": true, "invalid": true, "void": true,
}

// positiveEvals judge a text well.
var positiveEvals = map[string]bool{
	"historic": true, "landmark": true, "milestone": true, "powerful": true, "victory": true,
	"balanced": true, "welcome": true, "constructive": true, "timely": true, "breakthrough": true,
	"encouraging": true, "significant": true, "important": true, "vital": true, "crucial": true,
	"essential": true, "necessary": true, "needed": true, "urgent": true, "demonstration": true,
}

// notVerbs are what "fails to" and "does not" may be said of a text
// without judging it: it did not pass, failed to win nine votes.
var notVerbs = map[string]bool{
	"pass": true, "get": true, "win": true, "secure": true, "garner": true, "receive": true, "obtain": true,
	"gain": true, "muster": true, "reach": true, "achieve": true, "be": true, "have": true, "gather": true,
	"attract": true, "clear": true, "go": true, "make": true, "survive": true, "command": true,
}

// evaluation reads the judgment of a text in the clause after a speech
// verb at m: the text first (within a few words), then the judgment. It
// reports a negative and a positive judgment.
func (x *extraction) evaluation(c *sctx, m match) (neg, pos bool) {
	toks := c.toks
	noun := -1
	for k := m.end; k < len(toks) && k < m.end+10; k++ {
		w := toks[k]
		if (motionNouns[w.norm] && !w.is("bid", "measure", "measures")) || w.kind == tSymbol {
			noun = k
			break
		}
		if w.is(".", ";", ",", `"`) || k > m.end && (isVerbish(w) && !w.is("the", "that")) {
			return false, false
		}
	}
	if noun < 0 {
		return false, false
	}
	// the judgment: after the text, in its clause: a comma before a state
	// starts another clause, about that state ("while the resolution
	// included edits, Washington could not vote yes because it did not
	// agree")
	for k := noun + 1; k < len(toks) && k < noun+25; k++ {
		w := toks[k].norm
		if w == "." || w == ";" {
			break
		}
		if w == "," {
			if _, ok := x.mentionAt(c, k+1); ok {
				break
			}
		}
		negated := k > 0 && toks[k-1].is("not", "n't", "no", "never") || k > 1 && toks[k-2].is("not", "n't", "never") ||
			k > 2 && toks[k-3].is("not", "n't", "never") && toks[k-2].is("a", "an", "the") // "not a vital step"
		switch {
		case negativeEvals[w] && !negated:
			return true, false
		case positiveEvals[w] && !negated:
			return false, true
		case w == "turning" && k+1 < len(toks) && toks[k+1].is("point"):
			return false, !negated
		case w == "step" && k > 0 && toks[k-1].is("important", "positive", "significant", "welcome", "good", "major", "vital", "crucial", "key", "necessary", "big", "decisive"):
			return false, !negated
		case w == "short" && k > 0 && toks[k-1].is("fell", "falls", "fall", "falling"):
			return true, false
		case (w == "nothing" || w == "little") && k+1 < len(toks) && toks[k+1].is("other", "more", "but"):
			return true, false
		case w == "fails" || w == "failed" || w == "fail":
			// "failed to (fully) demonstrate", not "failed to pass"
			q := k + 1
			if q < len(toks) && toks[q].is("to") {
				q++
				if q < len(toks) && strings.HasSuffix(toks[q].norm, "ly") {
					q++
				}
				if q < len(toks) && toks[q].kind == tWord && !notVerbs[toks[q].norm] {
					return true, false
				}
			}
		case w == "not" || w == "n't":
			// "does not call for", "did not reflect", not "did not pass"
			if k > 0 && toks[k-1].is("does", "did", "do", "doesn", "didn") && k+1 < len(toks) && toks[k+1].kind == tWord &&
				!notVerbs[toks[k+1].norm] && !toks[k+1].is("only") {
				return true, false
			}
		}
	}
	return false, false
}

// aboutText reports a sentence about a text, a recognition or an
// accession: what an "opposition" noun can be opposition to.
func (x *extraction) aboutText(c *sctx) bool {
	for _, t := range c.toks {
		if motionNouns[t.norm] && !t.is("vote", "votes") || t.kind == tSymbol || accessionWords[t.norm] && !t.is("move", "request", "talks") ||
			strings.HasPrefix(t.norm, "recogni") || t.is("statehood") {
			return true
		}
	}
	return false
}

// alongside reads the states that share a verb's stance after it, in its
// clause: "recognising Palestine alongside Britain, Canada and Australia",
// "voted against along with Belarus".
func (x *extraction) alongside(c *sctx, from int) []events.Country {
	toks := c.toks
	for k := from; k < len(toks) && k < from+15; k++ {
		switch {
		case toks[k].is(".", ";", "but", "while", "whereas", `"`):
			return nil
		case toks[k].is("alongside"):
			return x.listStartingAt(c, k+1)
		case toks[k].is("along", "together") && k+1 < len(toks) && toks[k+1].is("with"):
			return x.listStartingAt(c, k+2)
		}
	}
	return nil
}

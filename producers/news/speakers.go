package news

import (
	"github.com/stancewatch/stancewatch/events"
)

// Speakers: UN meetings coverage and wire copy give a state's position
// through the person who speaks for it ("the representative of Guyana,
// speaking also for Mozambique, said her delegation abstained", "“We
// reject the draft,” China's envoy said", "Introducing the draft, the
// representative of Malta said"). This file finds the state behind a
// pronoun, a possessive ("his delegation", "her country") or a first
// person in a quote, and the sponsor a participle introduces.

// possessives before a self noun refer to the speaker: "his delegation".
var possessives = map[string]bool{"his": true, "her": true, "its": true, "their": true, "my": true, "our": true}

// selfNouns name the speaker's own state after a possessive.
var selfNouns = map[string]bool{
	"delegation": true, "country": true, "government": true, "nation": true, "mission": true,
	"administration": true, "state": true,
}

// firstPersons are the speaker inside a quote.
var firstPersons = map[string]bool{"we": true, "i": true}

// speakerSubject reads the subject that ends at token j when it stands
// for the speaker of a reporting verb or a quote: "X said his delegation
// abstained", "X said it would vote against", "“We reject it,” X said".
// start is the subject's first token; reported says the subject sits in
// reported or quoted speech, where "would" and "could" are the speaker's
// "will" and "can".
func (x *extraction) speakerSubject(c *sctx, j int) (actors []events.Country, start int, reported bool, why string) {
	toks := c.toks
	start = j
	plural := false
	switch {
	case j >= 1 && selfNouns[toks[j].norm] && possessives[toks[j-1].norm]:
		start = j - 1
		plural = toks[j-1].is("their", "our")
	case firstPersons[toks[j].norm]:
		plural = toks[j].is("we")
	case toks[j].is("it", "they", "he", "she"):
		plural = toks[j].is("they")
	case j >= 1 && toks[j].is("country", "government", "delegation") && toks[j-1].is("the"):
		// "announced that the country has recognised": the speaker's own
		start = j - 1
	default:
		return nil, j, false, ""
	}
	if firstPersons[toks[j].norm] || toks[start].is("my", "our") {
		if as := x.quoteSpeaker(c, start, plural); len(as) > 0 {
			return as, start, true, "the first person of a quote is the state of its speaker"
		}
		return nil, start, false, ""
	}
	if k := reportedBefore(toks, start); k >= 0 {
		if toks[k].is("clear") {
			k--
			if toks[k].is("it") {
				k--
			}
		}
		if as := x.speakerOf(c, k-1, plural); len(as) > 0 {
			return as, start, true, "\"" + toks[start].norm + "\" is the state of the one who said it"
		}
	}
	return nil, start, false, ""
}

// reportedBefore returns the reporting verb just before token i ("said
// (on Monday) (that)"), or -1.
func reportedBefore(toks []token, i int) int {
	k := i - 1
again:
	for k >= 0 && (toks[k].is("that", "today", "yesterday", "on", "last", "week", `"`, "later", "also", "earlier", ",", "sunday") || weekdays[toks[k].norm] != 0 || toks[k].is(")") ||
		months[toks[k].norm] != 0 && k > 0 && toks[k-1].is("on", "in") || toks[k].kind == tNumber && k > 0 && months[toks[k-1].norm] != 0) { // "said on September 3"
		if toks[k].is(")") {
			// "confirmed today (21) that": a gloss in brackets
			for k > 0 && !toks[k].is("(") {
				k--
			}
		}
		k--
	}
	if k >= 0 && (reportingVerbs[toks[k].norm] || toks[k].is("wrote", "posted", "tweeted")) {
		return k
	}
	// "said in a statement that", "told reporters on Monday that", "wrote on X that"
	if k >= 0 && mediumNouns[toks[k].norm] {
		for q := k - 1; q >= 0 && q >= k-5; q-- {
			if reportingVerbs[toks[q].norm] || toks[q].is("wrote", "posted", "tweeted") {
				return q
			}
			if toks[q].is("in", "on", "to", "at", "during") {
				k = q - 1
				goto again
			}
		}
	}
	// "made (it) clear that"
	if k >= 1 && toks[k].is("clear") && (toks[k-1].is("made", "makes", "make") || k >= 2 && toks[k-1].is("it") && toks[k-2].is("made", "makes", "make")) {
		return k
	}
	return -1
}

// mediumNouns end a phrase between a reporting verb and what was said: "in
// a statement", "to reporters", "on X".
var mediumNouns = map[string]bool{
	"statement": true, "speech": true, "interview": true, "reporters": true, "journalists": true, "council": true,
	"assembly": true, "press": true, "parliament": true, "lawmakers": true, "x": true, "twitter": true, "media": true,
	"post": true, "conference": true, "briefing": true, "letter": true, "communique": true, "communiqué": true,
}

// speakerOf reads the speaker whose noun phrase ends at token k, before
// its verb: a state ("Russia"), an official ("the representative of
// China", "Brazil's delegate", "the speaker for Algeria"), through
// auxiliaries and one appositive (", introducing the draft,", ", Vassily
// Nebenzia,"). An appositive "speaking also for X and Y" or "on behalf of
// X and Y" adds the states it names when the speaker speaks in the
// plural.
func (x *extraction) speakerOf(c *sctx, k int, plural bool) []events.Country {
	toks := c.toks
	for k >= 0 && neutralChain[toks[k].norm] && !toks[k].is("the", "to", "in", "on") {
		k--
	}
	// "Vassily Nebenzia (Russian Federation) said": meetings coverage names the state in brackets
	if k > 1 && toks[k].is(")") {
		for o := k - 1; o >= 0 && o >= k-6; o-- {
			if toks[o].is("(") {
				if mi, ok := x.mentionAt(c, o+1); ok && c.ments[mi].end == k && c.ments[mi].kind != mDemonym {
					return []events.Country{c.ments[mi].country}
				}
				break
			}
		}
		return nil
	}
	var along []events.Country
	if k >= 0 && toks[k].is(",") {
		o := k - 1
		for ; o >= 0 && o >= k-20 && !toks[o].is(",", ".", ";"); o-- {
		}
		if o < 0 || !toks[o].is(",") {
			return nil
		}
		if plural {
			along = x.behalfList(c, o+1, k)
		}
		k = o - 1
	}
	if k < 0 {
		return nil
	}
	var out []events.Country
	if l := x.listEndingAt(c, k); len(l.actors) == 1 || plural && len(l.actors) > 0 {
		if l.start > 0 && prepositions[toks[l.start-1].norm] {
			if a, ok := x.roleSubject(c, k); ok {
				out = []events.Country{a}
			}
		} else {
			out = l.actors
		}
	} else if a, ok := x.roleSubject(c, k); ok {
		out = []events.Country{a}
	}
	if len(out) == 0 {
		return nil
	}
	return append(out, along...)
}

// behalfList reads the states an appositive [from, to) speaks for:
// "speaking also for Mozambique and Sierra Leone", "on behalf of Chile
// and Peru". A group without names ("on behalf of the Arab Group") gives
// nothing: the speaker counts alone.
func (x *extraction) behalfList(c *sctx, from, to int) []events.Country {
	toks := c.toks
	for q := from; q < to; q++ {
		start := -1
		switch {
		case toks[q].is("speaking") && q+1 < to && toks[q+1].is("for"):
			start = q + 2
		case toks[q].is("speaking") && q+2 < to && toks[q+1].is("also") && toks[q+2].is("for"):
			start = q + 3
		case toks[q].is("behalf") && q+1 < to && toks[q+1].is("of"):
			start = q + 2
		}
		if start < 0 {
			continue
		}
		if l := x.listStartingAt(c, start); len(l) > 0 {
			return l
		}
		// "on behalf of the Council's ten elected members — Algeria, Denmark, …"
		for k := start; k < to && k < start+10; k++ {
			if toks[k].is("-", ":", "(") || toks[k].is("namely", "including") {
				if l := x.listStartingAt(c, k+1); len(l) > 1 {
					return l
				}
				return nil
			}
			if toks[k].kind == tPunct || isVerbish(toks[k]) {
				return nil
			}
		}
		return nil
	}
	return nil
}

// quoteSpeaker finds the speaker of the quote that holds token i: after
// it (“…,” the representative of China said / said Russia's envoy) or
// before it (China's representative said: “…”).
func (x *extraction) quoteSpeaker(c *sctx, i int, plural bool) []events.Country {
	toks := c.toks
	open := -1
	n := 0
	for k := 0; k < i; k++ {
		if toks[k].norm == `"` {
			n++
			open = k
		}
	}
	if n%2 == 0 {
		return nil // not inside a quote
	}
	close := -1
	for k := i + 1; k < len(toks); k++ {
		if toks[k].norm == `"` {
			close = k
			break
		}
	}
	if close >= 0 {
		// “…,” SPEAKER said | “…,” said SPEAKER
		k := close + 1
		if k < len(toks) && toks[k].is(",") {
			k++
		}
		if k < len(toks) && reportingVerbs[toks[k].norm] {
			end := k + 1
			for end < len(toks) && !toks[end].is(",", ".", ";", `"`) {
				end++
			}
			if as := x.speakerOf(c, end-1, plural); len(as) > 0 {
				return as
			}
			return x.appositiveRole(c, end)
		}
		for v := k; v < len(toks) && v < k+16 && !toks[v].is(".", ";", `"`); v++ {
			if reportingVerbs[toks[v].norm] && v > k {
				return x.speakerOf(c, v-1, plural)
			}
		}
	}
	// SPEAKER said: “…” | SPEAKER said, “…”
	k := open - 1
	if k >= 0 && toks[k].is(":", ",") {
		k--
	}
	if k >= 0 && reportingVerbs[toks[k].norm] {
		return x.speakerOf(c, k-1, plural)
	}
	return nil
}

// appositiveRole reads the role in an appositive after a speaker's name
// that names no state (“…,” said Richard Mills, the US deputy
// representative to the UN): k is the comma that opens it.
func (x *extraction) appositiveRole(c *sctx, k int) []events.Country {
	toks := c.toks
	if k+1 >= len(toks) || !toks[k].is(",") || !toks[k+1].is("the", "a", "an") {
		return nil
	}
	e := k + 2
	for e < len(toks) && e < k+14 && !toks[e].is(",", ".", ";", `"`) {
		e++
	}
	return x.roleSubjects(c, e-1)
}

// participles that introduce a text for its sponsor.
var introducingWords = map[string]bool{"introducing": true, "presenting": true, "tabling": true, "submitting": true}

// participleSponsors reads a sponsor given by a participle clause:
// "Introducing the draft, the representative of Malta said …", "Malta's
// representative, introducing the resolution, said …", "Presenting the
// text on behalf of Chile and Peru, Mexico's delegate said …".
func (x *extraction) participleSponsors(c *sctx) {
	toks := c.toks
	for i := 0; i < len(toks); i++ {
		if !introducingWords[toks[i].norm] {
			continue
		}
		// the object: a text within three words
		obj := -1
		for k := i + 1; k < len(toks) && k <= i+4; k++ {
			if motionNouns[toks[k].norm] && !toks[k].is("vote", "votes", "bid") || toks[k].kind == tSymbol {
				obj = k
				break
			}
			if !toks[k].is("the", "a", "its", "their", "her", "his", "draft", "new", "revised", "oral") {
				break
			}
		}
		if obj < 0 {
			continue
		}
		// the end of the participle clause
		end := obj + 1
		for end < len(toks) && !toks[end].is(",", ".", ";") {
			end++
		}
		if end >= len(toks) || !toks[end].is(",") {
			continue
		}
		along := x.behalfList(c, obj+1, end)
		var actors []events.Country
		before := i - 1
		if before >= 0 && toks[before].is("in", "when", "while", "after", "before") {
			before--
		}
		switch {
		case before < 0 || toks[before].is(".", ";", "and", "but"):
			// the clause opens the sentence: the subject follows the comma
			for v := end + 1; v < len(toks) && v < end+14; v++ {
				if isVerbish(toks[v]) && !toks[v].is("the") {
					actors = x.speakerOf(c, v-1, false)
					break
				}
			}
		case toks[before].is(","):
			// an appositive: the subject stands before it
			actors = x.speakerOf(c, before-1, false)
		}
		if len(actors) == 0 || blockedBefore(toks, i, 4) {
			continue
		}
		actors = append(actors, along...)
		x.addSponsors(c, match{start: i, end: obj + 1}, 0.8, actors, "a participle introduces the text for the one who speaks")
		i = end
	}
}

// explainedStance reads the stance an "explaining" clause names: "his
// delegation's abstention", "her country's vote against", "its veto",
// "their votes in favour".
func explainedStance(toks []token, k, end int) (events.Stance, bool) {
	if k < end && possessives[toks[k].norm] {
		k++
	} else {
		return events.Stance{}, false
	}
	if k+1 < end && selfNouns[toks[k].norm] && toks[k+1].is("'s") {
		k += 2
	}
	if k >= end {
		return events.Stance{}, false
	}
	next := func(ws ...string) bool { return k+1 < end && toks[k+1].is(ws...) }
	switch {
	case toks[k].is("abstention", "abstentions"):
		return events.Abstain, true
	case toks[k].is("veto"):
		return events.Veto, true
	case toks[k].is("vote", "votes") && next("against"), toks[k].is("negative", "no") && next("vote", "votes"):
		return events.VoteNo, true
	case toks[k].is("vote", "votes") && (next("in") && k+2 < end && toks[k+2].is("favour", "favor") || next("for")),
		toks[k].is("affirmative", "positive", "yes") && next("vote", "votes"):
		return events.VoteYes, true
	}
	return events.Stance{}, false
}

// participleVotes reads the vote an explaining clause gives its speaker:
// "Explaining his delegation's abstention, the representative of Brazil
// said …", "Brazil's delegate, explaining her country's vote against,
// said …".
func (x *extraction) participleVotes(c *sctx) {
	toks := c.toks
	for i := 0; i < len(toks); i++ {
		if !toks[i].is("explaining", "justifying") {
			continue
		}
		end := i + 1
		for end < len(toks) && !toks[end].is(",", ".", ";") {
			end++
		}
		if end >= len(toks) || !toks[end].is(",") {
			continue
		}
		stance, ok := explainedStance(toks, i+1, end)
		if !ok {
			continue
		}
		var actors []events.Country
		before := i - 1
		switch {
		case before < 0 || toks[before].is(".", ";", "and", "but"):
			for v := end + 1; v < len(toks) && v < end+14; v++ {
				if isVerbish(toks[v]) && !toks[v].is("the") {
					actors = x.speakerOf(c, v-1, false)
					break
				}
			}
		case toks[before].is(","):
			actors = x.speakerOf(c, before-1, false)
		}
		if len(actors) == 0 {
			continue
		}
		x.record(c, match{start: i, end: end}, stance, 0.8, actors, "the speaker explains the state's own vote")
		i = end
	}
}

package news

import (
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// countNouns head a count of states: "the 14 countries", "seven members",
// "those", "all others".
var countNouns = map[string]bool{
	"countries": true, "members": true, "states": true, "nations": true, "governments": true, "delegations": true,
	"others": true, "those": true, "member": true, "countries'": true, "participants": true, "signatories": true,
}

// listLeads introduce the states a count is made of.
var listLeads = map[string]bool{
	"including": true, "include": true, "included": true, "includes": true, "were": true, "are": true,
	"namely": true, "such": true, "notably": true, "-": true, ":": true, "(": true, "among": true,
}

// isCount reports a count word: a number, "seven", "twenty-five", "all".
func isCount(t token) bool {
	if t.kind == tNumber {
		return true
	}
	if numberWords[t.norm] != 0 || t.is("one", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "all", "both", "only", "just", "dozen") {
		return true
	}
	if i := strings.IndexByte(t.norm, '-'); i > 0 {
		head := t.norm[:i]
		return head == "twenty" || head == "thirty" || head == "forty" || head == "fifty" || head == "sixty"
	}
	return t.is("twenty", "thirty", "forty", "fifty")
}

// countBefore reports a count noun phrase ending at or just before j:
// "the 14 countries that", "seven countries", "those", "just five".
func countBefore(toks []token, j int) bool {
	for k := j; k >= 0 && k >= j-4; k-- {
		w := toks[k]
		if countNouns[w.norm] || isCount(w) {
			return true
		}
		if !w.is("that", "which", "who", "the", "other", "remaining", "council", "un", "unsc", "security", ",") && w.kind != tWord {
			return false
		}
	}
	return false
}

// scanList reads states forwards from k, tolerant of the noise of real
// lists: "Israel, its closest ally the United States, as well as Fiji",
// "four European countries – Austria, Croatia", "along with Russia". Each
// comma-separated item holds at most one state; an item of more than
// five words without one, a verb, or the end of the clause ends the list.
func (x *extraction) scanList(c *sctx, k int) ([]events.Country, int) {
	toks := c.toks
	var out []events.Country
	last := k
	itemWords, itemHas := 0, false
	for ; k < len(toks); k++ {
		t := toks[k]
		if abbrevDot(toks, k) {
			continue // "Dem. Rep. of Congo"
		}
		if t.is(".", ";", ")", "?", "!") || t.is("while", "whereas", "but", "with") && itemWords == 0 && len(out) > 0 {
			break
		}
		if t.is("(") && itemHas {
			// "Republic of Korea (South Korea)": a gloss of the item
			q := k + 1
			for q < len(toks) && q < k+8 && !toks[q].is(")", "(", ".", ";") {
				q++
			}
			if q < len(toks) && toks[q].is(")") {
				k = q
				continue
			}
		}
		if t.is("itself") && itemHas {
			continue // "Guatemala itself, Argentina"
		}
		if t.is(",", "and", "&", "or", "-", ":", "as", "well", "along", "plus", "also") {
			if t.is(",", "and", "&", "-", ":") || t.is("as") && k > 0 && toks[k-1].is("well") {
				itemWords, itemHas = 0, false // "as well as" too
			}
			continue
		}
		if mi, ok := x.mentionAt(c, k); ok && c.ments[mi].kind != mDemonym && !itemHas {
			m := c.ments[mi]
			out = append(out, m.country)
			k = m.end - 1
			last = m.end
			itemHas = true
			continue
		}
		if isVerbish(t) && !t.is("the", "all", "both", "to", "in", "on", "last", "so") || t.is("that", "which", "who", "said", "voted", "abstained") {
			break
		}
		itemWords++
		if itemWords > 5 {
			break
		}
	}
	return out, last
}

// countSubject finds the states of a count subject: named inside it
// ("Seven countries including the United States and Peru opposed",
// "just five – Belarus, North Korea – opposed it") or after the predicate
// ("10 members voted for the text - the US, the UK, …", "the countries
// voting against included Russia, …", "Abstaining were Kenya and Ghana").
// from is where the clause of the subject starts, at the trigger and end
// where the predicate ends.
func (x *extraction) countSubject(c *sctx, from, at, end int) []events.Country {
	toks := c.toks
	// inside the subject
	for k := from; k < at; k++ {
		if toks[k].is("(") && countOfBody(toks, from, k) {
			// "Twelve members of the Security Council (the US, the UK, …) supported"
			if l, _ := x.scanList(c, k+1); len(l) > 0 && !triggerBetween(toks, k+1, at) {
				return l
			}
		}
		if toks[k].is("including", "like", "notably", "-", "(", ":") && k > from && (countNouns[toks[k-1].norm] || isCount(toks[k-1]) ||
			toks[k-1].is(",") && k-1 > from && (countNouns[toks[k-2].norm] || isCount(toks[k-2]))) ||
			toks[k].is("among") && k+1 < at && toks[k+1].is("them") {
			q := k + 1
			if toks[k].is("among") {
				q++
			}
			// "Two members (Russia and China) voted in favour … and 13
			// others abstained": a list whose own verb comes before this
			// trigger is that verb's subject, not this one's
			if l, _ := x.scanList(c, q); len(l) > 0 && !triggerBetween(toks, q, at) {
				return l
			}
		}
	}
	count := at == 0 || countBefore(toks, at-1) || at > 0 && toks[at-1].is(",", "and") && from >= at-1
	if !count {
		return nil
	}
	// after the predicate
	for k := end; k < len(toks) && k < end+25; k++ {
		w := toks[k]
		if w.is(".", ";") {
			break
		}
		if w.is("while", "whereas", "but", "against", "favour", "favor", "abstention", "abstentions", "abstaining") || len(triggersAt(toks, k)) > 0 {
			break
		}
		if listLeads[w.norm] && !(w.is("are", "were") && k+1 < len(toks) && toks[k+1].is("the", "a")) {
			q := k + 1
			switch {
			case w.is("such") && q < len(toks) && toks[q].is("as"):
				q++
			case w.is("among"):
				if q < len(toks) && toks[q].is("them") {
					q++
				} else {
					continue
				}
			}
			// "by 14 votes in favour — with Russia abstaining —": a list
			// with a stance of its own is not the count's
			if l, last := x.scanList(c, q); len(l) > 0 && !(last < len(toks) && len(triggersAt(toks, last)) > 0) {
				return l
			}
			if w.is("included", "include", "includes", "including") {
				if l := x.suchAsList(c, q); len(l) > 0 {
					return l
				}
			}
		}
	}
	return nil
}

// amongList reads "China, Iraq, India and Iran were among those to
// abstain", "with Peru and Japan among the 45 abstentions": the list
// before "among". at is the token of "among".
func (x *extraction) amongList(c *sctx, at int) list {
	j := at - 1
	for j >= 0 && c.toks[j].is("were", "was", "are", "is", "also", "all", ",") {
		j--
	}
	if j < 0 {
		return list{}
	}
	return x.listEndingAt(c, j)
}

// asDid adds the states of ", as did the UAE" after a vote to the
// candidates of the trigger before it in the sentence.
func (x *extraction) asDid(c *sctx, from int) {
	toks := c.toks
	for k := 1; k+1 < len(toks); k++ {
		if !toks[k].is("as") || !toks[k-1].is(",") || !toks[k+1].is("did", "have", "has", "were", "was") {
			continue
		}
		// the last candidate of this sentence before k
		var prev *candidate
		for i := len(x.found) - 1; i >= from; i-- {
			if x.found[i].sent == c.index && x.found[i].trig.end <= k && isVote(x.found[i].Stance) {
				prev = &x.found[i]
				break
			}
		}
		if prev == nil {
			continue
		}
		l, _ := x.scanList(c, k+2)
		if len(l) == 0 {
			continue
		}
		st, conf, trig, past := prev.Stance, prev.Confidence-0.05, prev.trig, prev.past
		for _, i := range x.record(c, match{start: trig.start, end: k + 2}, st, conf, l, "\"as did\": the same vote as the clause before") {
			x.found[i].past = past
		}
	}
}

// clauseStart is the first token of the clause of token i.
func clauseStart(toks []token, i int) int {
	for k := i - 1; k >= 0; k-- {
		if toks[k].is(".", ";", "while", "whereas", "but") {
			return k + 1
		}
	}
	return 0
}

// clauseEnd is the index after the last token of the clause that holds
// token i.
func clauseEnd(toks []token, i int) int {
	for k := i; k < len(toks); k++ {
		if toks[k].is(".", ";", "while", "whereas", "but") {
			return k
		}
	}
	return len(toks)
}

// ifAfter reports "if", "once", "unless" or "provided" after token i, in
// its sentence: the condition of a verb that "only" precedes.
func ifAfter(toks []token, i int) bool {
	for k := i; k < len(toks); k++ {
		if toks[k].is("if", "once", "unless", "provided") {
			return true
		}
	}
	return false
}

// hasCondition reports a stated condition after token i, within the
// sentence: "only if", "without returning", "with conditions", "tied it
// to specific requirements", "prior to establishing it".
func hasCondition(toks []token, i int) bool {
	for k := i; k < len(toks); k++ {
		switch toks[k].norm {
		case "unless", "provided", "conditions", "condition", "conditional", "conditioned", "requirements", "preconditions", "unconditional":
			return true
		case "only":
			if k+1 < len(toks) && toks[k+1].is("if", "once", "when", "after", "on") {
				return true
			}
		case "without":
			if k+1 < len(toks) && toks[k+1].kind == tWord && strings.HasSuffix(toks[k+1].norm, "ing") {
				return true
			}
		case "prior":
			if k+1 < len(toks) && toks[k+1].is("to") {
				return true
			}
		case "as":
			// "as long as the country fulfils the same conditions"
			if k+2 < len(toks) && toks[k+1].is("long") && toks[k+2].is("as") {
				return true
			}
		case "tied", "linked":
			return true
		case "until":
			// "would not support any such measure until the referenda are
			// held": a clause, not a day ("until June 30")
			if e := min(len(toks), k+9); k+2 < e && hasFiniteVerb(toks[k+1:e]) {
				return true
			}
		}
	}
	return false
}

// voteWordsStrict mark a sentence that reports a vote.
var voteWordsStrict = map[string]bool{
	"voted": true, "vote": true, "votes": true, "voting": true, "abstained": true, "abstentions": true,
	"abstention": true, "vetoed": true, "veto": true, "tally": true, "adopted": true,
}

// voteContext reports a sentence, or the one before, about a vote; or,
// for the text the story is about (definite), a story that reports a
// vote in two sentences or more.
func (x *extraction) voteContext(c *sctx, definite bool) bool {
	n := 0
	for _, s := range x.sents {
		for _, t := range s.toks {
			if voteWordsStrict[t.norm] && t.norm != "veto" && t.norm != "adopted" {
				if s.index == c.index || s.index == c.index-1 {
					return true
				}
				n++
				break
			}
		}
	}
	return definite && n >= 2
}

// amongBefore finds "among (the) (120) (nations|those)" just before a
// participle, and returns the token of "among", or -1.
func amongBefore(toks []token, i int) int {
	for k := i - 1; k >= 0 && k >= i-5; k-- {
		switch {
		case toks[k].is("among"):
			return k
		case toks[k].is("the") || toks[k].kind == tNumber || countNouns[toks[k].norm] || isCount(toks[k]):
		default:
			return -1
		}
	}
	return -1
}

// triggerBetween tells whether a trigger starts in toks[from:to] and a
// coordinator ("and", "while", "but") follows it before to: the list's
// clause ended and another, with its own subject, began.
func triggerBetween(toks []token, from, to int) bool {
	for k := from; k < to && k < len(toks); k++ {
		if len(triggersAt(toks, k)) > 0 {
			for q := k + 1; q < to; q++ {
				if toks[q].is("and", "while", "whereas", "but") {
					return true
				}
			}
			return false
		}
	}
	return false
}

// countOfBody reports a count of a body's members ending before token k:
// "twelve countries of the Security Council", "ten members of the Council".
func countOfBody(toks []token, from, k int) bool {
	for q := k - 1; q >= from && q >= k-7; q-- {
		if toks[q].is("of") && q > from && countNouns[toks[q-1].norm] && q-1 > from && isCount(toks[q-2]) {
			return true
		}
		if toks[q].kind == tPunct || isVerbish(toks[q]) && !toks[q].is("the") {
			return false
		}
	}
	return false
}

// suchAsList reads the examples a group gives after "such as", within
// twenty words of k: "included a number of countries who were expected
// to support the move, such as Colombia, Mexico and Malawi".
func (x *extraction) suchAsList(c *sctx, k int) []events.Country {
	toks := c.toks
	for r := k; r+1 < len(toks) && r < k+20 && !toks[r].is(".", ";", "but", "while", "whereas"); r++ {
		if toks[r].is("such") && toks[r+1].is("as") {
			l, _ := x.scanList(c, r+2)
			return l
		}
	}
	return nil
}

// gainVerbs say that a text won votes: "won only four votes: …".
var gainVerbs = map[string]bool{
	"won": true, "got": true, "received": true, "secured": true, "garnered": true, "drew": true, "gained": true,
	"obtained": true, "mustered": true, "attracted": true,
}

// countedVotes reads votes that a count or a vote noun names, then their
// states: "won only four votes: Russia, China, South Africa and
// Equatorial Guinea", "got only four — Russia, China, Bolivia and
// Kazakhstan", "two “no” votes from Brazil and Turkey", "two abstentions
// by China and Kazakhstan".
func (x *extraction) countedVotes(c *sctx) {
	toks := c.toks
	for i := 0; i < len(toks); i++ {
		stance, end, named := voteNounAt(toks, i)
		if end <= i || end >= len(toks) {
			continue
		}
		var actors []events.Country
		switch k := end; {
		case toks[k].is("from", "by") && named:
			if k+1 < len(toks) && toks[k+1].is("the") && x.lower {
				k++
			}
			actors = x.listStartingAt(c, k+1)
		case toks[k].is(":", "-", "("):
			actors, _ = x.scanList(c, k+1)
		}
		if len(actors) == 0 || blockedBefore(toks, i, 2) {
			continue
		}
		x.record(c, match{start: i, end: end}, stance, 0.8, actors, "the states a count of votes is made of")
		i = end
	}
}

// voteNounAt reads, from token i, votes a text won ("won only four votes",
// "got only four") or votes of one kind ("two “no” votes", "two
// abstentions"), and returns their stance and where they end. named
// reports a vote noun of one kind, which may take its states after
// "from" or "by".
func voteNounAt(toks []token, i int) (stance events.Stance, end int, named bool) {
	k := i
	if gainVerbs[toks[k].norm] {
		k++
		for k < len(toks) && toks[k].is("only", "just", "a", "mere") {
			k++
		}
		if k >= len(toks) || !(toks[k].kind == tNumber || isCount(toks[k])) || toks[k].is("all", "both") {
			return events.Stance{}, i, false
		}
		k++
		for k < len(toks) && (toks[k].is(`"`, "yes", "affirmative", "favourable", "favorable", "votes", "vote", "of", "the", "council's", "members", "member") || toks[k].kind == tNumber) {
			k++
		}
		if k < len(toks) && toks[k].is("in") && k+1 < len(toks) && toks[k+1].is("favour", "favor") {
			k += 2
		}
		return events.VoteYes, k, false
	}
	// "two “no” votes", "three abstentions"
	for k < len(toks) && toks[k].is(`"`) {
		k++
	}
	if k >= len(toks) {
		return events.Stance{}, i, false
	}
	switch {
	case k+1 < len(toks) && toks[k].is("no", "negative") || k+2 < len(toks) && toks[k].is("no", "negative") && toks[k+1].is(`"`):
		stance = events.VoteNo
	case k+1 < len(toks) && toks[k].is("yes", "affirmative") || k+2 < len(toks) && toks[k].is("yes", "affirmative") && toks[k+1].is(`"`):
		stance = events.VoteYes
	case toks[k].is("abstentions"):
		if i == 0 || !(toks[i-1].kind == tNumber || isCount(toks[i-1])) {
			return events.Stance{}, i, false
		}
		return events.Abstain, k + 1, true
	default:
		return events.Stance{}, i, false
	}
	if i == 0 || !(toks[i-1].kind == tNumber || isCount(toks[i-1])) && !(toks[i].is(`"`) && toks[i-1].is("by", "with", "despite", "after", "the")) {
		return events.Stance{}, i, false // "no votes" without a count or quotes: "there were no votes"
	}
	k++
	for k < len(toks) && toks[k].is(`"`) {
		k++
	}
	if k >= len(toks) || !toks[k].is("votes", "vote") {
		return events.Stance{}, i, false
	}
	return stance, k + 1, true
}

// holderNouns name those who hold a stance against something:
// "opponents of the resolution". (Supporters are a trigger's: "supporters
// of the plan, such as Chile and Peru".)
var holderNouns = map[string]events.Stance{"opponents": events.Oppose, "critics": events.Oppose}

// holdersOf reads the states named among the holders of a stance on a
// text or plan: "Opponents of the resolution -- including China, Russia
// and Cuba -- said", "critics of the plan, such as Chile and Peru".
func (x *extraction) holdersOf(c *sctx) {
	toks := c.toks
	for i := 0; i+2 < len(toks); i++ {
		stance, ok := holderNouns[toks[i].norm]
		if !ok || !toks[i+1].is("of") {
			continue
		}
		thing := false
		for q := i + 2; q < len(toks) && q < i+12; q++ {
			t := toks[q]
			if motionNouns[t.norm] || t.kind == tSymbol || t.is("plan", "ceasefire", "recognition", "statehood", "accession", "membership", "initiative", "deal") {
				thing = true
			}
			start := -1
			switch {
			case t.is("including", "notably", "like", "-", "(", ":"):
				start = q + 1
			case t.is("such", "among") && q+1 < len(toks) && toks[q+1].is("as", "them"):
				start = q + 2
			case t.is("which", "who") && q+1 < len(toks):
				// "Opponents of the resolution, which also included South Africa"
				k := q + 1
				if toks[k].is("also") {
					k++
				}
				if k < len(toks) && toks[k].is("included", "include", "includes", "were", "are") {
					start = k + 1
				}
			}
			if start < 0 {
				if t.is(".", ";") || isVerb(t) {
					break
				}
				continue
			}
			if start < len(toks) && toks[start].is(",", "-") {
				start++
			}
			if actors, _ := x.scanList(c, start); thing && len(actors) > 0 && !blockedBefore(toks, i, 3) {
				x.record(c, match{start: i, end: q}, stance, 0.75, actors, "named among the "+toks[i].norm+" of a text or plan")
			}
			break
		}
	}
}

// othersWere reads a sentence that goes on with the list of the sentence
// before ("The countries voting against included China. Others were Iran,
// Cuba and Syria."): its states take the stance the sentence before gave
// its own list, when that sentence gave only one.
func (x *extraction) othersWere(c *sctx) {
	toks := c.toks
	k := 0
	if len(toks) > 0 && toks[0].is("the") {
		k++
	}
	if c.index == 0 || k+2 >= len(toks) || !toks[k].is("others") || !toks[k+1].is("were", "are", "included", "include") {
		return
	}
	var stance events.Stance
	for _, f := range x.found {
		if f.sent != c.index-1 {
			continue
		}
		if stance != (events.Stance{}) && f.Stance != stance {
			return // two stances before: which one goes on is not told
		}
		stance = f.Stance
	}
	if stance == (events.Stance{}) {
		return
	}
	actors, _ := x.scanList(c, k+2)
	if len(actors) == 0 {
		return
	}
	x.record(c, match{start: k, end: k + 2}, stance, 0.75, actors, "\"others were\" goes on with the list of the sentence before")
}

// applicationNouns name a state's own bid to join.
var applicationNouns = map[string]bool{"request": true, "bid": true, "application": true, "candidacy": true, "aspirations": true}

// applicantsOwn reads a state's own request to join an alliance or union
// ("Macedonia's request to join the alliance", "Finland's NATO bid"): the
// applicant supports its accession.
func (x *extraction) applicantsOwn(c *sctx) {
	toks := c.toks
	for _, m := range c.ments {
		k := m.end
		if m.kind == mDemonym || k+1 >= len(toks) || !toks[k].is("'s") {
			continue
		}
		q := k + 1
		if q < len(toks) && blocNames[toks[q].norm] {
			q++ // "Finland's NATO bid"
		}
		if q >= len(toks) || !applicationNouns[toks[q].norm] {
			continue
		}
		joins := q > k+1 // "NATO bid"
		if q+2 < len(toks) && toks[q+1].is("to") && toks[q+2].is("join", "enter") {
			joins = true
		}
		if q+2 < len(toks) && toks[q+1].is("for") && toks[q+2].is("membership", "accession") {
			joins = true
		}
		if !joins {
			continue
		}
		x.record(c, match{start: m.start, end: q + 1}, events.Support, 0.7, []events.Country{m.country}, "a state's own request to join supports its accession")
	}
}

// listEndingAt reads "Russia and China", "France, Egypt and Jordan",
// "both Hamas and the Palestinian Authority" backwards from token j.
func (x *extraction) listEndingAt(c *sctx, j int) list {
	toks := c.toks
	var l list
	skipped := false
	for k := j; ; {
		e := itemEnd(c, k)
		mi, ok := c.endAt[e]
		if !ok {
			// "Indonesia, Qatar and Congo abstained": one item that names
			// no state the lexicon knows is passed over, and the states
			// around it still count; so is a last item that names a group
			// without its states ("…, Romania and several other countries")
			q := -1
			if !skipped {
				if q = x.unknownItem(c, e); q < 0 && k == j {
					q = groupItemStart(toks, e)
				}
			}
			if q < 0 {
				break
			}
			skipped, l.start = true, q
			if k = listSeparator(toks, q-1); k < 0 {
				break
			}
			continue
		}
		p := c.ments[mi]
		if len(l.actors) == 0 && !skipped {
			if p.kind == mDemonym || p.end < len(toks) && toks[p.end].norm == "'s" {
				return list{}
			}
		} else if p.kind == mDemonym && !demonymInList(c, p) {
			break
		}
		l.actors = append([]events.Country{p.country}, l.actors...)
		l.start = x.describedFrom(c, p)
		l.metonym = l.metonym || p.kind == mMetonym
		if k = listSeparator(toks, l.start-1); k < 0 {
			break
		}
	}
	if len(l.actors) == 0 {
		return list{}
	}
	if l.start > 0 && toks[l.start-1].is("both") {
		l.start--
	}
	if l.start > 0 && toks[l.start-1].is("neither", "nor", "not") {
		return list{}
	}
	return l
}

// listSeparator reads a list's separator backwards from k ("and", a
// comma, ", and", "as well as", with a "the" after it) and returns where
// the item before it ends, or -1 when there is none.
func listSeparator(toks []token, k int) int {
	if k > 0 && toks[k].is("the") && toks[k-1].is("and", ",", "&") {
		k-- // "China, India and the United Arab Emirates"
	}
	if k < 0 || !toks[k].is("and", ",", "&", "as") {
		return -1
	}
	if toks[k].norm == "as" { // "as well as"
		if k < 2 || !toks[k-1].is("well") || !toks[k-2].is("as") {
			return -1
		}
		k -= 2
	}
	if toks[k].norm == "and" && k > 0 && toks[k-1].norm == "," {
		k--
	}
	return k - 1
}

// itemEnd returns where the state of a list item ending at j ends: before
// "itself" ("Russia itself") or a bracketed gloss ("the United Kingdom
// (UK)").
func itemEnd(c *sctx, j int) int {
	if j > 0 && j < len(c.toks) && c.toks[j].is("itself") {
		j--
	}
	return beforeGloss(c, j)
}

// stateHeads name a state before "of" in a description of it: "the former
// Soviet republic of Kazakhstan", "the Kingdom of Bahrain".
var stateHeads = map[string]bool{
	"republic": true, "kingdom": true, "state": true, "nation": true, "country": true, "island": true, "islands": true,
	"federation": true, "emirate": true, "sultanate": true, "principality": true, "government": true, "governments": true,
}

// describedFrom returns where a list item begins when a few words describe
// its state ("communist Cuba", "close ally Israel", "the former Soviet
// republic of Kazakhstan"): up to four words, no verb, preposition,
// possessive or other state among them, right after a list's separator.
// Without such words it returns where the state's name begins.
func (x *extraction) describedFrom(c *sctx, p mention) int {
	toks := c.toks
	k := p.start - 1
	if k > 1 && toks[k].is("of") && stateHeads[toks[k-1].norm] {
		k -= 2
	}
	for n := 0; k >= 0 && n < 4; n, k = n+1, k-1 {
		t := toks[k]
		if t.is(",", "and", "&") {
			if k+1 == p.start {
				return p.start
			}
			return k + 1
		}
		if t.kind != tWord || prepositions[t.norm] || isVerbish(t) && !t.is("the") || c.hasEndAt(k) || notDescriptive[t.norm] ||
			t.is("the") && !(k > 0 && toks[k-1].is(",", "and", "&")) ||
			strings.HasSuffix(t.norm, "ed") && !strings.Contains(t.norm, "-") {
			return p.start
		}
	}
	return p.start
}

// notDescriptive are words that never describe a state inside a list's
// item: conjunctions, pronouns, determiners, adverbs of the clause.
var notDescriptive = map[string]bool{
	"while": true, "whereas": true, "but": true, "or": true, "nor": true, "then": true, "so": true, "yet": true,
	"because": true, "although": true, "though": true, "when": true, "where": true, "after": true, "before": true,
	"since": true, "until": true, "unless": true, "if": true, "meanwhile": true, "however": true, "also": true,
	"too": true, "only": true, "even": true, "just": true, "all": true, "both": true, "each": true, "every": true,
	"other": true, "others": true, "some": true, "many": true, "most": true, "few": true, "several": true,
	"this": true, "these": true, "those": true, "there": true, "here": true, "it": true, "they": true, "we": true,
	"he": true, "she": true, "which": true, "who": true, "whom": true, "whose": true, "what": true, "that": true,
	"a": true, "an": true, "'s": true, "its": true, "their": true, "his": true, "her": true, "not": true, "no": true,
	"as": true, "than": true, "said": true, "says": true, "say": true,
}

// ambiguousNames name more than one state ("Congo", "Guinea", "Korea"):
// the lexicon knows neither, and a list item of one of them is a state
// it cannot tell.
var ambiguousNames = map[string]bool{"congo": true, "guinea": true, "korea": true}

// unknownItem returns where a list item ending at e begins when it is a
// proper name of at most four words that the lexicon does not know as a
// state ("Congo", "the Palestinian Authority"), standing after a list's
// separator or at the sentence's start; -1 otherwise. In lowercased copy,
// where capitals cannot mark a name, only a name of several states counts.
func (x *extraction) unknownItem(c *sctx, e int) int {
	toks := c.toks
	if e < 0 || e >= len(toks) {
		return -1
	}
	q := e
	for ; q >= 0 && e-q < 5; q-- {
		t := toks[q]
		if t.is(",", "and", "&") {
			break
		}
		switch {
		case t.is("of", "the") && q < e:
		case t.kind != tWord || isVerbish(t) || prepositions[t.norm]:
			return -1
		case x.lower && ambiguousNames[t.norm]:
		case !x.lower && t.upper:
		default:
			return -1
		}
	}
	if q >= 0 && !toks[q].is(",", "and", "&") || q == e || toks[q+1].is("of") {
		return -1
	}
	return q + 1
}

// relativeClauseEnd returns where a list goes on after a relative clause
// set off by commas after an item ("opposed by France, which is pushing
// for a reform, and the Netherlands"): at the clause's closing comma, when
// "and" or a state follows it; k otherwise.
func relativeClauseEnd(toks []token, k int) int {
	if k+2 >= len(toks) || !toks[k].is(",") || !toks[k+1].is("which", "who") {
		return k
	}
	for q := k + 2; q < len(toks) && q < k+20; q++ {
		if toks[q].is(".", ";", "(", ")") {
			return k
		}
		if toks[q].is(",") {
			if q+1 < len(toks) && toks[q+1].is("and", "as") {
				return q
			}
			return k
		}
	}
	return k
}

// groupItemStart returns where an item that names a group of states
// without naming them ("several other countries", "a few others") ends at
// e, after a list's "and"; -1 when there is none.
func groupItemStart(toks []token, e int) int {
	if e < 2 || e >= len(toks) || !countNouns[toks[e].norm] || toks[e].is("those") {
		return -1
	}
	for q := e - 1; q > 0 && q >= e-3; q-- {
		if toks[q].is("and", ",") {
			if q+1 == e && !toks[e].is("others") {
				return -1 // "… and countries": no description, no group
			}
			return q + 1
		}
		if !toks[q].is("several", "many", "other", "few", "a", "some", "various", "more", "dozen", "two", "three", "four", "five") && toks[q].kind != tNumber {
			return -1
		}
	}
	return -1
}

// beforeGloss returns the token before a bracketed gloss of a state that
// ends at j ("the United Kingdom (UK)", "Côte d'Ivoire (Ivory Coast)"),
// or j when there is none.
func beforeGloss(c *sctx, j int) int {
	toks := c.toks
	if j < 3 || j >= len(toks) || !toks[j].is(")") {
		return j
	}
	for o := j - 1; o > 0 && o >= j-5; o-- {
		if toks[o].is("(") {
			if c.hasEndAt(o-1) && o+1 < j {
				return o - 1
			}
			return j
		}
		if toks[o].kind == tPunct {
			return j
		}
	}
	return j
}

// demonymInList reports a demonym that stands alone between two states
// of a list, as a state: "China, Russian, Ghana and Kenya". A demonym
// before a noun ("Russian diplomats") or at a list's end is no state.
func demonymInList(c *sctx, p mention) bool {
	toks := c.toks
	if p.end >= len(toks) || !toks[p.end].is(",", "and") || p.start < 2 || !toks[p.start-1].is(",", "and") {
		return false
	}
	q, ok := c.endAt[p.start-2]
	return ok && c.ments[q].kind != mDemonym
}

// listStartingAt reads a list of states forwards from token k.
func (x *extraction) listStartingAt(c *sctx, k int) []events.Country {
	var out []events.Country
	for k < len(c.toks) {
		if len(out) > 0 && k+1 < len(c.toks) && strings.HasSuffix(c.toks[k].norm, "ly") && len(c.toks[k].norm) > 4 && !c.hasEndAt(k) {
			k++ // "the Netherlands, Denmark and reportedly Spain"
		}
		mi, ok := x.mentionAt(c, k)
		if !ok && len(out) > 0 {
			// "France, other European countries and Kuwait": a group
			// without names inside the list is passed over
			if g := groupItemEnd(c.toks, k); g > k {
				k = g
				continue
			}
		}
		if !ok || c.ments[mi].kind == mDemonym && (len(out) == 0 || !demonymInList(c, c.ments[mi])) {
			break
		}
		out = append(out, c.ments[mi].country)
		k = c.ments[mi].end
		if k < len(c.toks) && c.toks[k].is("itself") {
			k++ // "Guatemala itself, Argentina"
		}
		k = relativeClauseEnd(c.toks, k)
		if k < len(c.toks) && c.toks[k].is(",", "and") {
			k++
			if k < len(c.toks) && c.toks[k].is("and") {
				k++
			}
			continue
		}
		break
	}
	return out
}

// groupItemEnd returns where the list goes on after an item that names a
// group of states without naming them ("other European countries",
// "several Arab states") at k, or k when there is none.
func groupItemEnd(toks []token, k int) int {
	for q := k; q < len(toks) && q < k+4; q++ {
		if countNouns[toks[q].norm] && toks[q].norm != "those" && toks[q].norm != "others" {
			if q+1 < len(toks) && toks[q+1].is(",", "and") {
				if q+2 < len(toks) && toks[q+2].is("and") {
					return q + 3
				}
				return q + 2
			}
			return k
		}
		if toks[q].kind != tWord || isVerbish(toks[q]) && !toks[q].is("the") || prepositions[toks[q].norm] {
			return k
		}
	}
	return k
}

package news

import (
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/votes"
)

// The features the model weighs for a state named in a sentence. Each is
// a string: a kind, a colon, a value. Words are stemmed (stem) and states
// other than the one read become "#state", numbers "#num", so that what
// is learned of "joined Russia in vetoing" holds for any pair of states.

// featureCtx is one sentence prepared for reading its states.
type featureCtx struct {
	x      *extraction
	c      *sctx
	stems  []string // per token
	ment   []int    // per token: the mention it is part of, or -1
	subj   map[int]bool
	nMents int
	// cache of "kind:stem" strings by kind and token, and the sentence's
	// bag of words, which is the same for every state it names
	cache map[string][]string
	bag   []string
}

// tf is the feature "kind:stem" of token k, made once per sentence.
func (fc *featureCtx) tf(kind string, k int) string {
	c := fc.cache[kind]
	if c == nil {
		c = make([]string, len(fc.stems))
		fc.cache[kind] = c
	}
	if c[k] == "" {
		c[k] = kind + ":" + fc.stems[k]
	}
	return c[k]
}

func newFeatureCtx(x *extraction, c *sctx) *featureCtx {
	fc := &featureCtx{x: x, c: c, stems: make([]string, len(c.toks)), ment: make([]int, len(c.toks)), subj: map[int]bool{}, cache: map[string][]string{}}
	for i := range fc.ment {
		fc.ment[i] = -1
	}
	seen := map[string]bool{}
	for mi, m := range c.ments {
		for k := m.start; k < m.end && k < len(c.toks); k++ {
			fc.ment[k] = mi
		}
		if !seen[m.country.String()] {
			seen[m.country.String()] = true
			fc.nMents++
		}
	}
	for i, t := range c.toks {
		switch {
		case fc.ment[i] >= 0:
			fc.stems[i] = "#state"
		case t.kind == tNumber:
			fc.stems[i] = "#num"
		case t.kind == tSymbol:
			fc.stems[i] = "#sym"
		default:
			fc.stems[i] = stem(t.norm)
		}
	}
	for _, s := range c.subjects {
		fc.subj[s.at] = true
	}
	for k, t := range c.toks {
		if t.kind == tWord && fc.ment[k] < 0 && !fc.function(k) {
			fc.bag = append(fc.bag, fc.tf("S", k))
		}
	}
	return fc
}

// sentenceStop reports a token that ends what is said of a state.
func sentenceStop(t token) bool { return t.is(".", ";", "?", "!") }

// features are the features of mention mi.
func (fc *featureCtx) features(mi int) []string {
	c, toks := fc.c, fc.c.toks
	m := c.ments[mi]
	f := make([]string, 0, 96)
	add := func(kind, v string) { f = append(f, kind+":"+v) }
	f = append(f, "bias")
	// the words around the name, by side and near ones by distance
	f = fc.side(f, m.start-1, -1, 8, "L", true)
	if m.start > 1 {
		add("L21", fc.stems[m.start-2]+"_"+fc.stems[m.start-1])
	}
	f = fc.side(f, m.end, 1, 10, "R", true)
	if m.end+1 < len(toks) {
		add("R12", fc.stems[m.end]+"_"+fc.stems[m.end+1])
	}
	// the nearest word of a stance on each side, in the clause
	if k := fc.nearestCue(m.start-1, -1); k >= 0 {
		f = append(f, fc.tf("NL", k))
		if m.start-k <= 3 {
			f = append(f, fc.tf("NL3", k))
		}
	}
	if k := fc.nearestCue(m.end, 1); k >= 0 {
		f = append(f, fc.tf("NR", k))
		if k-m.end < 3 {
			f = append(f, fc.tf("NR3", k))
		}
	}
	// the verb after the name, the word after it, and a negation between
	if v := fc.verbAfter(m.end); v >= 0 {
		f = append(f, fc.tf("V", v))
		if v+1 < len(toks) {
			add("VV", fc.stems[v]+"_"+fc.stems[v+1])
		}
		for k := m.end; k <= v+1 && k < len(toks); k++ {
			if toks[k].is("not", "n't", "never", "no", "cannot") {
				add("NEG", fc.stems[v])
				break
			}
		}
		for k := m.end; k < v; k++ {
			if blockers[toks[k].norm] && !toks[k].is("not", "n't", "never", "no", "cannot") {
				add("MOD", toks[k].norm)
			}
		}
	}
	// the verb before it
	for k := m.start - 1; k >= 0 && m.start-k <= 10; k-- {
		if sentenceStop(toks[k]) {
			break
		}
		if fc.ment[k] < 0 && fc.isVerbLike(k) {
			f = append(f, fc.tf("P", k))
			break
		}
	}
	// the list the name stands in: the words that head it and end it
	lo, hi := fc.listSpan(mi)
	if lo != m.start || hi != m.end {
		f = append(f, "inlist")
		f = fc.side(f, lo-1, -1, 4, "H", false)
		f = fc.side(f, hi, 1, 4, "T", false)
	}
	// the sentence's words
	f = append(f, fc.bag...)
	// how the name stands
	switch m.kind {
	case mDemonym:
		f = append(f, "demonym")
	case mMetonym:
		f = append(f, "metonym")
	}
	if fc.subj[m.start] {
		f = append(f, "subject")
	}
	if toks[m.start].quoted {
		f = append(f, "quoted")
	}
	if m.end < len(toks) && toks[m.end].is("'s") {
		f = append(f, "possessive")
	}
	switch {
	case fc.nMents == 1:
		f = append(f, "states:1")
	case fc.nMents <= 3:
		f = append(f, "states:2-3")
	default:
		f = append(f, "states:4+")
	}
	if fc.x.joint {
		f = append(f, "article:joint")
	}
	if fc.x.statement {
		f = append(f, "article:statement")
	}
	return f
}

// functionWords carry no stance of their own: in a bag of words they
// only teach noise; next to the name, in order, they still count.
var functionWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "in": true, "on": true, "at": true, "to": true, "and": true,
	"or": true, "for": true, "with": true, "by": true, "from": true, "as": true, "that": true, "this": true,
	"it": true, "its": true, "their": true, "they": true, "he": true, "she": true, "his": true, "her": true,
	"was": true, "were": true, "is": true, "are": true, "be": true, "been": true, "has": true, "have": true,
	"had": true, "which": true, "who": true, "also": true, "after": true, "before": true,
	"said": true, "says": true, "told": true, "but": true, "than": true, "into": true, "over": true,
	"about": true, "there": true, "some": true, "other": true, "other's": true, "all": true, "both": true,
	"mr": true, "ms": true, "mrs": true, "up": true, "out": true, "when": true, "while": true, "where": true,
	"more": true, "most": true, "year": true, "years": true, "week": true, "day": true, "time": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true, "'s": true,
}

// function reports a token that is punctuation or a function word.
func (fc *featureCtx) function(k int) bool {
	t := fc.c.toks[k]
	return t.kind == tPunct || functionWords[t.norm]
}

// placePrepositions before a state make it a place, a topic or a
// comparison, never the one taking a stance: "a resolution on Sudan",
// "a meeting in Washington", "unlike Ghana".
var placePrepositions = map[string]bool{
	"on": true, "in": true, "at": true, "to": true, "into": true, "toward": true, "towards": true,
	"over": true, "about": true, "against": true, "near": true, "visit": true, "across": true,
	"through": true, "behind": true, "beside": true, "between": true, "than": true, "like": true,
	"unlike": true, "for": true, "under": true, "via": true, "inside": true, "within": true,
	"throughout": true, "around": true, "outside": true,
}

// mayAct is what the model needs before it reads a stance: the state
// (or the list it stands in) is not a place or a topic, and no negation,
// modal or intention stands in its clause before its verb ("would likely
// lead to a US veto", "France plans to put forward", "did not"). Those
// the rules read, or leave unread on purpose.
func (fc *featureCtx) mayAct(mi int) bool {
	toks := fc.c.toks
	lo, hi := fc.listSpan(mi)
	if lo > 0 && placePrepositions[toks[lo-1].norm] {
		return false
	}
	if lo > 1 && toks[lo-1].is("the") && placePrepositions[toks[lo-2].norm] {
		return false
	}
	if blockedBefore(toks, lo, 6) {
		return false
	}
	end := fc.verbAfter(hi)
	if end < 0 {
		end = min(len(toks), hi+4)
	}
	// up to two words past the verb: "did not", "has never"
	for k := hi; k <= end+2 && k < len(toks) && !sentenceStop(toks[k]); k++ {
		if blockers[toks[k].norm] {
			return false
		}
	}
	// a stance over several texts is one mentioned in passing: "has
	// vetoed repeated efforts", "backed several resolutions"
	for k := end + 1; k < len(toks) && k <= end+3; k++ {
		if pluralMotionNouns[toks[k].norm] {
			return false
		}
	}
	return true
}

// authoringWords say that a text or a plan was written, put forward or
// signed by someone: what a sponsor needs in its sentence. Not "draft"
// or "resolution" alone: "the draft failed" names a text, not its
// author.
var authoringWords = map[string]bool{
	"drafted": true, "drafting": true, "drafters": true, "sponsor": true, "sponsors": true, "sponsored": true,
	"co-sponsor": true, "co-sponsors": true, "co-sponsored": true, "cosponsored": true, "cosponsors": true,
	"tabled": true, "tabling": true, "introduced": true, "introducing": true, "proposed": true, "proposing": true,
	"proposal": true, "forward": true, "penholder": true, "penholders": true, "submitted": true, "presented": true,
	"presenting": true, "authored": true, "penned": true, "prepared": true, "circulated": true, "initiated": true,
	"initiative": true, "behalf": true, "signed": true, "signatories": true, "signatory": true,
}

// writtenNouns are texts other than a Council's or an Assembly's that a
// state puts forward or signs.
var writtenNouns = map[string]bool{
	"plan": true, "statement": true, "declaration": true, "communique": true, "communiqué": true,
	"letter": true, "initiative": true, "proposal": true, "agreement": true, "treaty": true, "accord": true,
}

// hasContextFor reports whether mention mi may take stance st: a veto
// only for a permanent member, and the sentence speaks of what st is
// about: a vote (or a text put to one) for a vote or a veto, a text
// and its writing for a sponsor. Without it the words around a name teach nothing.
func (fc *featureCtx) hasContextFor(mi int, st events.Stance) bool {
	toks := fc.c.toks
	switch {
	case st == events.Sponsor:
		authoring, text := false, len(fc.c.refs) > 0
		for _, t := range toks {
			authoring = authoring || authoringWords[t.norm] || strings.HasSuffix(t.norm, "-drafted") || strings.HasSuffix(t.norm, "-sponsored")
			text = text || motionNouns[t.norm] || writtenNouns[t.norm] || t.kind == tSymbol
		}
		return authoring && text
	case st == events.Veto && !votes.IsPermanent(fc.c.ments[mi].country):
		return false // only a permanent member has a veto to cast
	case st.IsVote():
		for _, t := range toks {
			if voteWords[t.norm] || t.is("favour", "favor", "against", "abstaining", "abstentions", "yes", "ballot") {
				return true
			}
		}
		return false
	}
	return true
}

// stanceCues are the stems of words that carry a stance or a vote.
var stanceCues = func() map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(`favour favor yes no against abstain abstained abstaining abstention abstentions
		veto vetoed vetoes vetoing support supported supports backed backing backs oppose opposed opposes opposing
		opposition reject rejected rejects rejecting condemn condemned condemns welcome welcomed welcomes
		recognise recognised recognize recognized recognition sponsor sponsored co-sponsored sponsors drafted
		proposed tabled introduced penned blocked block blocks objected object objection refused refuse denounced
		criticised criticized endorse endorsed endorsement approve approved approval signed sign signatories
		joined join condition conditions unless only provided demand demanded urged called praised hailed
		boycotted walked withdrew suspended recalled severed`) {
		out[stem(w)] = true
	}
	return out
}()

// nearestCue is the nearest stance cue from k in direction dir within
// the clause and twelve tokens, or -1.
func (fc *featureCtx) nearestCue(k, dir int) int {
	toks := fc.c.toks
	for n := 0; k >= 0 && k < len(toks) && n < 12; k, n = k+dir, n+1 {
		if sentenceStop(toks[k]) {
			return -1
		}
		if fc.ment[k] < 0 && stanceCues[fc.stems[k]] {
			return k
		}
	}
	return -1
}

// side appends the features of the words on one side of a name: from
// token k in direction dir, at most n, within the sentence; "kind:stem"
// for each content word and, when near, "kind1:" and "kind2:" for the
// nearest two whatever they are.
func (fc *featureCtx) side(f []string, k, dir, n int, kind string, near bool) []string {
	toks := fc.c.toks
	for d := 1; k >= 0 && k < len(toks) && d <= n; d, k = d+1, k+dir {
		if sentenceStop(toks[k]) {
			break
		}
		if !fc.function(k) {
			f = append(f, fc.tf(kind, k))
		}
		if near && d <= 2 {
			f = append(f, fc.tf(kind+string(rune('0'+d)), k))
		}
	}
	return f
}

// isVerbLike guesses a verb: one the rules know, or a word ending as
// past tenses and participles do.
func (fc *featureCtx) isVerbLike(k int) bool {
	t := fc.c.toks[k]
	if t.kind != tWord {
		return false
	}
	if isVerb(t) {
		return true
	}
	if fc.x.lower || !t.upper || k == 0 {
		w := t.norm
		return len(w) > 4 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing"))
	}
	return false
}

// trigger is the name of mention mi and the verb after it: what a learned
// finding quotes as its trigger.
func (fc *featureCtx) trigger(mi int) match {
	mt := fc.c.ments[mi]
	if v := fc.verbAfter(mt.end); v >= 0 {
		return match{start: mt.start, end: v + 1}
	}
	return match{start: mt.start, end: mt.end}
}

// verbAfter is the first verb within twelve tokens after from, in its
// clause and outside a state's name, or -1.
func (fc *featureCtx) verbAfter(from int) int {
	toks := fc.c.toks
	for k := from; k < len(toks) && k < from+12; k++ {
		if sentenceStop(toks[k]) {
			return -1
		}
		if fc.ment[k] < 0 && fc.isVerbLike(k) {
			return k
		}
	}
	return -1
}

// listSpan is the run of states, commas and "and" that mention mi stands
// in, as token bounds.
func (fc *featureCtx) listSpan(mi int) (lo, hi int) {
	toks := fc.c.toks
	m := fc.c.ments[mi]
	joiner := func(k int) bool { return toks[k].is(",", "and", "or", "the", "as", "well", "&") }
	lo, hi = m.start, m.end
	for k := lo - 1; k >= 0; k-- {
		if fc.ment[k] >= 0 {
			lo = k
			continue
		}
		if !joiner(k) {
			break
		}
	}
	for k := hi; k < len(toks); k++ {
		if fc.ment[k] >= 0 {
			hi = k + 1
			continue
		}
		if !joiner(k) {
			break
		}
	}
	return lo, hi
}

// stem strips the endings that vary a word's form without its sense, from
// words long enough to keep four letters more: "abstained" and
// "abstaining" are "abstain", "condemns" is "condemn" ("voted" is kept
// whole); "z" after "i" is "s", so "recognized" and "recognised" are
// both "recognis".
func stem(w string) string {
	w = strings.ReplaceAll(w, "iz", "is")
	if strings.HasPrefix(w, "#") {
		return w
	}
	for _, suf := range []string{"ing", "ed", "es", "s", "ly"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}

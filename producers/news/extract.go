package news

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/votes"
)

// Finding is a position read from an article, with the sentence that
// shows it.
type Finding struct {
	File       string           `json:"file"`
	Actor      events.Country   `json:"actor"`
	Stance     events.Stance    `json:"stance"`
	Occurred   *events.Date     `json:"occurred"`
	Motion     *events.MotionID `json:"motion"`
	Topic      *events.Topic    `json:"topic"`
	Evidence   string           `json:"evidence"` // the sentence, exactly as it stands in the file
	Offset     int              `json:"offset"`   // byte offset of the evidence in the file
	Confidence float64          `json:"confidence"`
	Trigger    string           `json:"trigger"`           // the words that assert the stance, as written
	Reasons    []string         `json:"reasons,omitempty"` // how the finding was read
}

// DefaultReviewBelow is the confidence under which a finding goes to the
// review queue instead of the stance histories.
const DefaultReviewBelow = 0.7

// Options tune an extraction.
type Options struct {
	// Catalog of known motions; nil reads the text alone.
	Catalog *Catalog
	// Hints give topics to ceasefire findings by the places an article
	// names; nil takes the catalog's (Catalog.Hints).
	Hints []TopicHint
	// Taxonomy tells topics from the words of the text; nil takes
	// DefaultTaxonomy, NewTaxonomy(nil) tells none.
	Taxonomy *Taxonomy
	// Topic is given to findings whose topic neither a known motion, a
	// hint nor the text shows; zero leaves it null, so they go to review.
	Topic events.Topic
	// Model is the learned reader whose findings add to the rules'; nil
	// takes DefaultModel, the zero Model reads nothing.
	Model *Model
}

// Validate reports the topic hints that cannot work, joined: a hint
// matches a place the article names in lower case, so an empty or
// capitalised place would match every text or none, and a hint without a
// topic gives none.
func (o Options) Validate() error {
	hints := o.Hints
	if hints == nil && o.Catalog != nil {
		hints = o.Catalog.Hints()
	}
	var errs []error
	for i, h := range hints {
		switch {
		case h.Place == "" || strings.ToLower(h.Place) != h.Place:
			errs = append(errs, events.FieldError{Field: fmt.Sprintf("hints[%d].place", i), Message: fmt.Sprintf("%q: want a place in lower case", h.Place)})
		case h.Topic.IsZero():
			errs = append(errs, events.FieldError{Field: fmt.Sprintf("hints[%d].topic", i), Message: "none: a hint gives a topic"})
		}
	}
	return errors.Join(errs...)
}

// Extract finds the positions an article reports. It never fails: text it
// cannot read as a position gives no finding.
func Extract(a Article, opt Options) []Finding {
	x := newExtraction(a, opt)
	for i := range x.sents {
		x.sentence(i)
	}
	x.learned()
	return x.finish()
}

// extraction is the state of one article's reading.
type extraction struct {
	a         Article
	opt       Options
	lower     bool
	sents     []*sctx
	mainDate  events.Date
	hint      *TopicHint // the first hint whose place the article names
	found     []candidate
	tax       *Taxonomy
	topics    topicScores
	salad     bool // the article does not read as English
	joint     bool // the article is about a joint statement (jointArticle)
	statement bool // the article speaks of a statement
}

// sctx is one sentence and what was found in it.
type sctx struct {
	sentence
	ments    []mention
	endAt    map[int]int // last token index -> mention
	dates    []dateExpr
	refs     []motionRef
	subjects []subjectAt
	ctxDate  *events.Date     // a day this sentence gives its positions explicitly
	ctxMot   *events.MotionID // a motion this sentence names or resolves
	ok       bool             // the sentence reads as English (wellFormed)
}

// hasEndAt reports a mention ending at token j.
func (c *sctx) hasEndAt(j int) bool {
	_, ok := c.endAt[j]
	return ok
}

// subjectAt is a state found in subject position, for pronouns to refer to.
type subjectAt struct {
	at     int
	actors []events.Country
}

// motionRef is a text named in a sentence.
type motionRef struct {
	at, end int             // tokens
	id      events.MotionID // a symbol or resolution number
	sponsor events.Country  // "the US draft": the state that wrote it
	text    string
}

// candidate is a finding before its motion, day and topic are settled.
type candidate struct {
	Finding
	sent     int
	trig     match
	past     bool   // mentioned in passing: dated only by the text itself
	earlier  bool   // an earlier stance the sentence recalls ("for the third time"): no day, no text
	objKey   string // what a support or opposition is of: "statehood", "plan:solution", "text"
	dateExp  *dateExpr
	objMot   bool // the object is a text
	sponsRef events.Country
}

func newExtraction(a Article, opt Options) *extraction {
	toks := tokenize(a.Text[a.Body:], a.Body)
	x := &extraction{a: a, opt: opt, lower: isLowercased(toks)}
	hints := opt.Hints
	if hints == nil {
		hints = opt.Catalog.Hints()
	}
	for _, s := range splitSentences(toks, x.lower) {
		c := &sctx{sentence: s, endAt: map[int]int{}}
		c.ments = findMentions(c.toks, x.lower, a.Published)
		for i, m := range c.ments {
			c.endAt[m.end-1] = i
		}
		c.dates = findDates(c.toks, a.Published)
		c.refs = findRefs(c.toks, c.ments)
		c.ok = wellFormed(c.toks)
		x.sents = append(x.sents, c)
		if x.hint == nil {
			x.hint = findHint(c.toks, hints)
		}
	}
	if len(x.sents) > 0 {
		datelineDates(x.sents[0])
	}
	for _, c := range x.sents {
		x.findSubjects(c)
	}
	x.tax = opt.Taxonomy
	if x.tax == nil {
		x.tax = DefaultTaxonomy()
	}
	x.topics = x.tax.scoreArticle(a.Title, x.sents)
	x.salad = !articleWellFormed(x.sents)
	x.joint, x.statement = x.jointArticle()
	x.mainDate = x.findMainDate()
	return x
}

// voteWords mark a sentence about a vote.
var voteWords = map[string]bool{
	"vote": true, "voted": true, "votes": true, "voting": true, "veto": true, "vetoed": true, "vetoes": true,
	"resolution": true, "draft": true, "abstain": true, "abstained": true, "abstention": true, "text": true,
	"adopted": true, "passed": true, "council": true, "assembly": true,
}

// findMainDate is the day the article's vote happened: the usable day
// named most often in sentences about a vote.
func (x *extraction) findMainDate() events.Date {
	count := map[events.Date]int{}
	first := map[events.Date]int{}
	n := 0
	for _, c := range x.sents {
		about := false
		for _, t := range c.toks {
			if voteWords[t.norm] {
				about = true
				break
			}
		}
		if !about {
			continue
		}
		for _, d := range c.dates {
			if d.usable && d.resolved {
				if _, ok := first[d.date]; !ok {
					first[d.date] = n
				}
				count[d.date]++
				n++
			}
		}
	}
	var best events.Date
	for d, k := range count {
		if best.IsZero() || k > count[best] || k == count[best] && first[d] < first[best] {
			best = d
		}
	}
	return best
}

// byTextNouns name a text before "by" and its author: "an amendment by
// Austria". Not "vote", "bid" or "veto": those are not texts one drafts.
var byTextNouns = map[string]bool{
	"draft": true, "drafts": true, "text": true, "texts": true, "resolution": true, "amendment": true,
	"amendments": true, "proposal": true, "proposals": true, "motion": true,
}

// textAdjectives stand between a determiner and the author's demonym of a
// text: "a nonbinding Palestinian resolution".
var textAdjectives = map[string]bool{
	"nonbinding": true, "non-binding": true, "binding": true, "revised": true, "amended": true, "competing": true,
	"rival": true, "new": true, "latest": true, "original": true, "separate": true, "alternative": true,
	"initial": true, "earlier": true, "final": true, "draft": true, "watered-down": true, "compromise": true,
}

// oneWordState is the state a single word names (a name, a code written
// as a name, a demonym): "albanian", "us". Two-letter words other than
// "us" and "uk" are English, not codes.
func oneWordState(w string) (events.Country, bool) {
	if len(w) < 3 && w != "us" && w != "uk" {
		return events.Country{}, false
	}
	for _, a := range theLexicon().byFirst[w] {
		if len(a.words) == 1 && a.term == nil {
			return a.country, true
		}
	}
	return events.Country{}, false
}

// findRefs finds texts a sentence names: symbols, resolution numbers, and
// drafts by their author ("the US draft", "a French text", "US-drafted").
func findRefs(toks []token, ments []mention) []motionRef {
	var out []motionRef
	for i, t := range toks {
		switch {
		case t.kind == tSymbol:
			if id, err := events.ParseMotionID(t.norm); err == nil {
				out = append(out, motionRef{at: i, end: i + 1, id: id, text: t.norm})
			}
		case t.is("resolution", "res") && i+1 < len(toks) && toks[i+1].kind == tNumber && len(toks[i+1].norm) == 4:
			if id, err := events.ParseMotionID(toks[i+1].norm); err == nil {
				out = append(out, motionRef{at: i, end: i + 2, id: id, text: "resolution " + toks[i+1].norm})
			}
		case strings.HasSuffix(t.norm, "-drafted") || strings.HasSuffix(t.norm, "-sponsored") || strings.HasSuffix(t.norm, "-penned") || strings.HasSuffix(t.norm, "-authored"):
			prefix, _, _ := strings.Cut(t.norm, "-")
			// a two-letter prefix is a word ("co-sponsored"), except US and UK
			if c, _, ok := events.LookupCountry(prefix); ok && (len(prefix) > 2 || prefix == "us" || prefix == "uk") {
				out = append(out, motionRef{at: i, end: i + 1, sponsor: c, text: t.norm})
			}
		}
	}
	// "the US-Albanian draft", "a French-German text": a pair of states
	// joined by a hyphen before a text
	for i := 1; i+1 < len(toks); i++ {
		a, b, ok := strings.Cut(toks[i].norm, "-")
		if !ok || strings.Contains(b, "-") || !toks[i+1].is("draft", "text", "resolution", "proposal", "amendment", "amendments") {
			continue
		}
		ca, oka := oneWordState(a)
		cb, okb := oneWordState(b)
		if oka && okb && ca != cb {
			out = append(out, motionRef{at: i, end: i + 2, sponsor: ca, text: toks[i].norm + " " + toks[i+1].norm},
				motionRef{at: i, end: i + 2, sponsor: cb, text: toks[i].norm + " " + toks[i+1].norm})
		}
	}
	for _, m := range ments {
		j := m.end
		if j < len(toks) && toks[j].norm == "-" && j+1 < len(toks) && toks[j+1].is("drafted", "sponsored", "penned", "authored") {
			out = append(out, motionRef{at: m.start, end: j + 2, sponsor: m.country, text: "drafted by " + m.country.String()})
			continue
		}
		// "a proposed amendment by the United States", "Three Amendments By Russian Federation"
		b := m.start - 1
		if b > 0 && toks[b].is("the") {
			b--
		}
		if b > 0 && toks[b].is("by") && byTextNouns[toks[b-1].norm] {
			out = append(out, motionRef{at: b - 1, end: m.end, sponsor: m.country, text: toks[b-1].norm + " by " + m.country.String()})
			continue
		}
		// "a nonbinding Palestinian resolution", "a revised French draft": a
		// determiner, then up to two adjectives of a text
		d := m.start - 1
		for d > 0 && m.start-d <= 2 && textAdjectives[toks[d].norm] && !toks[d-1].is("by", "of", "to", "for", "from", "on", "with") {
			d--
		}
		if j+1 < len(toks) && toks[j].is("'s") && toks[j+1].is("draft", "drafts", "amendment", "amendments") {
			// "Russia's draft resolution": its author's
			out = append(out, motionRef{at: m.start, end: j + 2, sponsor: m.country, text: m.country.String() + "'s " + toks[j+1].norm})
			continue
		}
		if j < len(toks) && toks[j].is("draft", "text", "resolution", "proposal", "amendment", "amendments") && d >= 0 &&
			toks[d].is("the", "a", "an", "its", "their", "rival", "new", "latest", "original") {
			out = append(out, motionRef{at: m.start, end: j + 1, sponsor: m.country, text: toks[d].norm + " " + m.country.String() + " " + toks[j].norm})
		}
	}
	slices.SortFunc(out, func(a, b motionRef) int { return a.at - b.at })
	return out
}

// findSubjects records the states in subject position of a sentence:
// a state followed by a predicate and not the object of a preposition.
func (x *extraction) findSubjects(c *sctx) {
	for _, m := range c.ments {
		if m.kind == mDemonym {
			continue
		}
		if m.start > 0 && (prepositions[c.toks[m.start-1].norm] || c.toks[m.start-1].norm == "'s") {
			continue
		}
		if m.end < len(c.toks) && (isVerbish(c.toks[m.end]) || c.toks[m.end].is(",", "-") && m.start == 0) {
			c.subjects = append(c.subjects, subjectAt{at: m.start, actors: []events.Country{m.country}})
		}
	}
}

// sentence reads the triggers of sentence i.
func (x *extraction) sentence(i int) {
	c := x.sents[i]
	if isQuestion(c.toks) {
		return // a question asserts nothing
	}
	first := len(x.found)
	for j := 0; j < len(c.toks); j++ {
		ms := triggersAt(c.toks, j)
		if len(ms) == 0 {
			continue
		}
		// longest first; the first that yields a position wins
		slices.SortStableFunc(ms, func(a, b match) int { return (b.end - b.start) - (a.end - a.start) })
		for _, m := range ms {
			if x.read(c, m) {
				j = m.end - 1
				break
			}
		}
	}
	x.asDid(c, first)
	x.earlierVetoes(c, first)
	x.signatories(c)
	x.jointSubjects(c)
	x.participleSponsors(c)
	x.participleVotes(c)
	x.countedVotes(c)
	x.holdersOf(c)
	x.othersWere(c)
	x.applicantsOwn(c)
	x.penholder(c)
	x.nounSponsors(c)
	// the author of "the US draft" sponsored it
	for _, r := range c.refs {
		if r.sponsor.IsZero() {
			continue
		}
		if blockedBefore(c.toks, r.at, 2) {
			continue // "no US draft"; not "did not support the US draft", whose author stays its author
		}
		for _, f := range x.addSponsors(c, match{start: r.at, end: r.end}, 0.75, []events.Country{r.sponsor}, "a text named after its author") {
			x.found[f].sponsRef = r.sponsor
		}
	}
}

// record adds a candidate for each of the actors, taking stance at m for
// the reason why, and returns their indexes in x.found.
func (x *extraction) record(c *sctx, m match, stance events.Stance, conf float64, actors []events.Country, why string) []int {
	f := x.newCandidate(c, m, stance, conf, actors)
	at := make([]int, len(f))
	for k := range f {
		f[k].Reasons = append(f[k].Reasons, why)
		at[k] = len(x.found) + k
	}
	x.found = append(x.found, f...)
	return at
}

// addSponsors records the actors as sponsors of the text that m names,
// for the reason why, and returns the indexes of the candidates in
// x.found.
func (x *extraction) addSponsors(c *sctx, m match, conf float64, actors []events.Country, why string) []int {
	at := x.record(c, m, events.Sponsor, conf, actors, why)
	for _, k := range at {
		x.found[k].objMot = true
	}
	return at
}

// blockedBefore reports a negation or hypothesis in the n tokens before
// i, within its clause.
func blockedBefore(toks []token, i, n int) bool {
	for k := i - 1; k >= 0 && k >= i-n; k-- {
		w := toks[k].norm
		if w == "," || w == ";" || w == "." {
			return false
		}
		if blockers[w] || w == "threat" || w == "possible" || w == "potential" || w == "prospect" || w == "risk" {
			return true
		}
	}
	return false
}

// read ties a trigger to its actors, checks its object, and records a
// candidate. It reports whether the trigger was used.
func (x *extraction) read(c *sctx, m match) bool {
	toks := c.toks
	t := m.t
	stance, conf := t.stance, t.conf
	var reasons []string
	var actors []events.Country
	var blocked, past, passive, neg, cond bool

	if t.stance == events.Veto && attemptsObject(toks, m.end) {
		// "has blocked all previous attempts to adopt a statement": blocking
		// attempts is no veto of a text
		return true
	}
	if t.nounObject && !thingAt(toks, m.end) {
		return false // "we regret that the Council was unable": a feeling, not a stance
	}
	if t.headerOnly {
		// "No - 9:" heading the lines after it, or the list after its colon
		if k := afterCount(toks, m.end); m.start != 0 || !x.headerEnds(c, m.end) && !(k < len(toks) && toks[k].is(":")) {
			return false
		}
	}
	switch t.form {
	case fVerb:
		if m.start > 0 && m.end+1 < len(toks) && toks[m.end].is("from") && countBefore(toks, m.start-1) && toks[m.start].is("votes") {
			// "received five votes in favour from China, Gabon and Russia": a count, then its states
			if l := x.listStartingAt(c, m.end+1); len(l) > 0 {
				actors = l
				reasons = append(reasons, "the votes named with \"from\" their states")
				break
			}
		}
		s := x.verbSubject(c, m)
		if s.blocked {
			return true // the trigger is there, and denied: nothing else may read it
		}
		if t.passiveOnly && !s.passive {
			return false
		}
		if t.joinOnly && !s.joined {
			return false
		}
		actors, past, reasons = s.actors, s.past, s.reasons
		conf += s.conf
		passive, cond = s.passive, s.cond
		if t.suit && !s.neg {
			st, ok := x.suitStance(c, actors)
			if !ok {
				return false
			}
			stance = st
			reasons = append(reasons, "\"followed suit\": the stance the state before it took")
		}
		if s.neg {
			neg = true
			stance, conf = events.Oppose, conf-0.05
			reasons = append(reasons, "a support denied: opposition")
		}
		if s.announce {
			if stance == events.VoteYes {
				stance = events.Support
			} else {
				stance = events.Oppose
			}
			conf -= 0.1
			reasons = append(reasons, "a vote announced by its state: its support or opposition")
		}
		if len(actors) > 0 && !passive && stance == events.Sponsor {
			// "Slovenia proposed the draft on behalf of the elected members — Algeria, Denmark, …"
			if l := x.behalfList(c, m.end, clauseEnd(toks, m.end)); len(l) > 0 {
				actors = append(actors, l...)
				reasons = append(reasons, "and the states it spoke for")
			}
		}
		if len(actors) > 0 && !passive {
			if l := x.alongside(c, m.end); len(l) > 0 {
				actors = append(actors, l...)
				reasons = append(reasons, "and the states named \"alongside\" it")
			}
		}
		if len(actors) == 0 && len(toks) > 2 && toks[0].is("along", "together") && toks[1].is("with") {
			// "Along with the US, Britain, France and Peru all supported the resolution"
			if l, last := x.scanList(c, 2); len(l) > 1 && last <= m.start && m.start-last <= 2 {
				actors = l
				reasons = append(reasons, "the states named \"along with\" one another")
			}
		}
		if len(actors) == 0 && !s.noCount {
			if l := x.countSubject(c, clauseStart(toks, m.start), m.start, m.end); len(l) > 0 {
				actors, conf = l, conf-0.05
				reasons = append(reasons, "named among the states a count is made of")
			}
		}
		if len(actors) == 0 && t.stance == events.Veto && toks[m.start].is("veto", "vetoes") {
			actors, reasons, blocked = x.possessor(c, m)
			conf -= 0.05
			if len(actors) == 0 && !blocked && !blockedBefore(toks, m.start, 6) {
				// "defeated by a veto from the US and the UK"
				if l := x.agentsAfter(c, m.end); len(l) > 0 {
					actors, reasons = l, []string{"a stance named with \"from\" its states"}
				}
			}
		}
	case fNoun:
		if toks[m.start].is("opposition", "objections", "objection") {
			// "despite strong opposition from Israel", "Israel's objections":
			// never "the Syrian opposition", and only about a text, statehood or an accession
			if !x.aboutText(c) {
				return false
			}
			if m.start > 0 && (toks[m.start-1].is("'s") || c.hasEndAt(m.start-1) && m.end < len(toks) && toks[m.end].is("to")) {
				// "Israel's objections", "US opposition to this resolution"
				actors, reasons, blocked = x.possessor(c, m)
			} else if l := x.agentsAfter(c, m.end); len(l) > 0 && toks[m.end].is("from") {
				actors, reasons = l, []string{"a stance named with \"from\" its states"}
			}
			break
		}
		actors, reasons, blocked = x.possessor(c, m)
		if len(actors) == 0 && !blocked && !blockedBefore(toks, m.start, 6) {
			// "one abstention - from Guyana"
			if l := x.agentsAfter(c, m.end); len(l) > 0 {
				actors, reasons = l, []string{"a stance named with \"from\" its states"}
			}
		}
	case fParticiple:
		lend := m.start - 1
		if lend > 0 && toks[lend].is("in") {
			if l := x.joinedIn(c, lend); len(l) > 0 {
				actors = l
				reasons = append(reasons, "\"joined … in\": the subject of \"join\" and the states it joined")
				break
			}
			// "A, B and C stood alone in voting against", "were united in opposing"
			q := lend - 1
			for q > 0 && lend-q <= 3 && toks[q].is("alone", "stood", "stand", "stands", "together", "united", "were", "was", "are", "is", "also") {
				q--
			}
			if q < lend-1 {
				if l := x.listEndingAt(c, q); len(l.actors) > 0 && (l.start == 0 || toks[l.start-1].is(",", "and", "but", "while")) {
					actors = l.actors
					reasons = append(reasons, "the subject of a verb that the participle completes")
					break
				}
			}
		}
		if lend > 3 && toks[lend].is("country", "member", "state", "nation", "one") && toks[lend-1].is("only", "sole", "lone") && toks[lend-2].is("the") {
			lend -= 3 // "with Hungary the sole country opposing it"
		}
		if l := x.listEndingAt(c, lend); len(l.actors) > 0 {
			before := l.start - 1
			if before >= 0 && toks[before].is("the") {
				before--
			}
			switch {
			case toks[m.start].is("opposed", "opposing"):
				// only absolute: "with the US and Israel opposed"
				if before >= 0 && toks[before].is("with") {
					actors = l.actors
					if !x.voteContext(c, false) {
						// "backed by 26 member states, with Hungary the sole country opposing it"
						stance = events.Oppose
						reasons = append(reasons, "opposed outside a vote: opposition")
					}
				}
			case before < 0 || toks[before].is("with", ",", "while", "and"):
				actors = l.actors
			default:
				// "with permanent members Russia and China abstaining": a
				// few words of description between "with" and the list
				for q := before; q >= 0 && q >= before-3; q-- {
					if toks[q].is("with") {
						actors = l.actors
						break
					}
					if toks[q].kind != tWord || isVerbish(toks[q]) || prepositions[toks[q].norm] || toks[q].is("and", "the", "a", "an") {
						break
					}
				}
			}
		} else if k := amongBefore(toks, m.start); k >= 0 {
			// "Uzbekistan was among the 120 nations voting in favor"
			if l := x.amongList(c, k); len(l.actors) > 0 {
				actors = l.actors
				reasons = append(reasons, "named among those who took the stance")
			}
		} else if l := x.countSubject(c, clauseStart(toks, m.start), m.start, m.end); len(l) > 0 {
			// "the countries voting against included …", "Abstaining were …",
			// "36 countries abstaining, including China"
			actors = l
			reasons = append(reasons, "named among the states a count is made of")
		}
	case fList:
		if k := m.start - 1; k >= 1 && (toks[k].kind == tNumber || toks[k].is("the")) {
			// "with Peru, Iceland and Japan among the 45 abstentions"
			for k > 0 && (toks[k].kind == tNumber || toks[k].is("the")) {
				k--
			}
			if toks[k].is("among") {
				if l := x.amongList(c, k); len(l.actors) > 0 {
					actors = l.actors
					reasons = append(reasons, "named among the votes of a count")
				}
			}
		}
		ls := m.end
		if t.headerOnly {
			ls = afterCount(toks, m.end)
		}
		those := m.start > 0 && toks[m.start-1].is("those") && (m.start == 1 || toks[m.start-2].is("among") || clauseStart(toks, m.start) >= m.start-1)
		if m.start+1 < len(toks) && toks[m.start+1].is("support", "opposition") && !(those && x.voteContext(c, false)) {
			// "in support", "in opposition" name a vote only after "those", in a story about a vote
			return false
		}
		counted := m.start > 0 && (toks[m.start-1].kind == tNumber || isCount(toks[m.start-1])) && clauseStart(toks, m.start) >= m.start-2 // "The 35 abstentions included"
		if counted || clauseStart(toks, m.start) >= m.start-1 {
			// "The four abstentions during the vote were from Algeria, Brazil and China"
			for q := ls; q < len(toks) && q < ls+5 && toks[q].is("during", "in", "at", "on", "the", "vote", "voting", "council", "assembly", "ballot"); q++ {
				if q+1 < len(toks) && toks[q+1].is("were", "was") {
					ls = q + 1
					break
				}
			}
		}
		if ls < len(toks) && toks[ls].is("voted", "were", "was", "are", "included", "include", "includes") && (clauseStart(toks, m.start) >= m.start-1 || those || counted) {
			// an inverted verb: "Against voted: …", "In favour were Chile and Peru"
			ls++
			if ls < len(toks) && !toks[ls].is("(", ":") {
				if toks[ls].is("from") && toks[ls-1].is("were", "was") && ls+1 < len(toks) {
					ls++ // "were from Algeria, Brazil and China"
				}
				l := x.listStartingAt(c, ls)
				if len(l) == 0 && toks[ls-1].is("included", "include", "includes") {
					l = x.suchAsList(c, ls)
				}
				if len(l) > 0 {
					// "was the United States, Israel's closest ally": an appositive, not the list
					for q, mi := range c.ments {
						if len(l) > 1 && mi.end < len(toks) && toks[mi.end].is("'s") && mi.country == l[len(l)-1] && q > 0 {
							l = l[:len(l)-1]
							break
						}
					}
					actors = l
					reasons = append(reasons, "named after an inverted verb")
				}
			}
		}
		if stance == events.Sponsor && ls+1 < len(toks) && toks[ls].is("-", ",") && !toks[ls+1].is("with") && (toks[ls].is("-") || m.start > 0 && toks[m.start-1].is("'s", "its", "the")) {
			// "its co-sponsors — Qatar, Saudi Arabia and Morocco", "the
			// resolution's sponsors, the United States and Britain,"
			if l := x.listStartingAt(c, ls+1); len(l) > 0 {
				actors = l
				reasons = append(reasons, "named after a dash or in apposition")
			}
		}
		if ls < len(toks) && toks[ls].is("(", ":") {
			for k := ls + 1; k < len(toks) && !toks[k].is(")", ";", ".") || k < len(toks) && abbrevDot(toks, k); k++ {
				if mi, ok := x.mentionAt(c, k); ok {
					actors = append(actors, c.ments[mi].country)
					k = c.ments[mi].end - 1
				}
			}
			reasons = append(reasons, "named in a list")
		}
	}
	// a header over a list of lines: "Against:", "The following
	// countries abstained:", "Fourteen nations recognise it. They are:"
	var items []bulletItem
	if len(actors) == 0 && !blocked {
		switch t.form {
		case fList, fParticiple:
			if x.headerEnds(c, m.end) {
				items = x.bulletsAfter(c.index)
			}
		case fVerb:
			if m.start == 0 || countBefore(toks, m.start-1) || toks[m.start-1].is("following") || toks[m.start-1].is("that", "which") && m.start > 1 && countBefore(toks, m.start-2) {
				items = x.headerBullets(c)
			}
		}
		actors = bulletCountries(items)
	}
	if blocked || len(actors) == 0 {
		return false
	}
	// "veto power", "veto-wielding": the right, not its use
	if stance == events.Veto && m.end-m.start == 1 && m.end < len(toks) && toks[m.end].is("power", "powers", "right", "rights", "holder", "holders", "-wielding") {
		return false
	}
	// what the trigger is about: what follows it, or in the passive what
	// comes before ("the text was put forward by")
	obj := x.object(c, m)
	if passive {
		back := 8
		if m.start > 0 && !toks[m.start-1].is("was", "were", "is", "are", "been", "be", "being") {
			// a reduced relative: "the resolution on the ceasefire in
			// Syria's Idlib proposed by …" is about the head noun before
			back = 16
		}
		if m.start > 0 && toks[m.start-1].is(",") {
			// "the resolution on the ceasefire in Syria's Idlib, proposed
			// by …": a participle after a comma is about the clause's text
			back = 24
		}
		for k, lim := m.start-1, m.start-back; k >= 0 && k >= lim; k-- {
			if toks[k].quoted && k > 0 && toks[k-1].quoted {
				// a quoted title before the participle (`the resolution
				// "Combating glorification of …" proposed by`) counts as
				// one word
				for k > 0 && toks[k-1].quoted {
					k--
					lim--
				}
				continue
			}
			if motionNouns[toks[k].norm] || toks[k].kind == tSymbol {
				obj.motion, obj.text = true, true
			}
			if toks[k].is("palestine", "statehood", "recognition") {
				obj.statehood = true
			}
			if statementNouns[toks[k].norm] {
				obj.statement = true // "the declaration was also signed by"
			}
			if toks[k].is("plan", "initiative", "deal", "agreement") {
				obj.plan = true // "the plan was welcomed by Pakistan"
				if obj.head == "" {
					obj.head = toks[k].norm
				}
			}
		}
	}
	switch t.object {
	case objMotion:
		if !obj.motion {
			return false
		}
	case objCeasefire:
		if !obj.ceasefire {
			return false
		}
	case objCeasefireOrPlan:
		if !obj.ceasefire && !(obj.plan && (obj.head == "solution" || obj.head == "plan")) {
			return false
		}
	case objPact:
		_, stateJoined := x.mentionAt(c, m.end)
		if toks[m.start].is("join", "joins", "joined", "joining", "accede", "accedes", "acceded") && (!obj.plan || stateJoined) {
			return false // "joined Myanmar in voting against": a state joined, not a treaty
		}
		if !obj.ceasefire && !obj.plan && !(obj.text && obj.definite) { // "will not sign the final document"
			return false
		}
	case objMotionOrCF:
		if !obj.motion && !obj.ceasefire {
			return false
		}
	case objSupportable:
		if !obj.motion && !obj.ceasefire && !obj.statehood && !obj.accession && !obj.plan && !obj.action && !(obj.statement && !obj.plural) {
			return false
		}
	case objStatehood:
		if !obj.statehood && !x.namesState(c, m.end) {
			return false
		}
	case objAccession:
		if toks[m.end-1].is("join") && !obj.bloc {
			return false // "asked to join the talks": no membership
		}
		if !obj.accession && !obj.statehood && !obj.bloc && !obj.plan { // "would not approve the negotiating framework"
			return false
		}
	case objEvalNeg, objEvalPos:
		neg, pos := x.evaluation(c, m)
		if t.object == objEvalNeg && !neg || t.object == objEvalPos && !pos {
			return false
		}
		reasons = append(reasons, "a judgment of the text by the one who speaks for the state")
	case objBlock:
		switch {
		case obj.motion && obj.text:
			// blocking a text is a veto, which only a permanent member has
			var p5 []events.Country
			for _, a := range actors {
				if votes.IsPermanent(a) {
					p5 = append(p5, a)
				}
			}
			actors = p5
		case obj.statement:
			stance, conf = events.Oppose, 0.7
			reasons = append(reasons, "blocked a statement or an attempt, not a text: opposition")
		case obj.accession:
			// "Greece blocked Macedonia's request to join the alliance"
			stance, conf = events.Oppose, 0.7
			reasons = append(reasons, "blocked an accession: opposition")
		default:
			return false
		}
	}
	if len(actors) == 0 {
		return false
	}
	// a "veto" of an accession or a statement is not a Council veto, and
	// neither is one cast by a state without a permanent seat: an EU or
	// NATO member blocking unanimity opposes
	switch {
	case stance == events.Veto && obj.accession && !obj.text && unMembership(toks) && slices.ContainsFunc(actors, votes.IsPermanent):
		// "Washington vetoed Palestine's full membership in the United
		// Nations": the Council recommends admission, so a permanent
		// member's veto of it is a Council veto
		actors = slices.DeleteFunc(slices.Clone(actors), func(a events.Country) bool { return !votes.IsPermanent(a) })
	case stance == events.Veto && (obj.accession || obj.statement) && !obj.text:
		stance, conf = events.Oppose, min(conf, 0.7)
		reasons = append(reasons, "a veto of an accession or a statement: opposition")
	case stance == events.Veto && !slices.ContainsFunc(actors, votes.IsPermanent):
		stance, conf = events.Oppose, min(conf, 0.7)
		reasons = append(reasons, "a veto by a state without a permanent seat: it blocks unanimity, it opposes")
	}
	// a stance on a text in a story about its vote is the vote:
	// "Algeria supported the resolution", "only five opposed it"
	if t.form == fVerb && !(passive && toks[m.start].is("backed")) && (stance == events.Support || stance == events.Oppose) && t.negatable == (stance == events.Support) &&
		obj.text && !neg && !obj.ceasefire && toks[m.start].is("supported", "backed", "opposed") && x.voteContext(c, obj.definite) {
		if stance == events.Support {
			stance = events.VoteYes
		} else {
			stance = events.VoteNo
		}
		reasons = append(reasons, "a stance on the text voted on, in a story about the vote: the vote")
	}
	// a support with a stated condition is conditional
	if t.negatable && (stance == events.Support || stance == events.Oppose) && (obj.uncond && neg || cond || hasCondition(toks, m.end)) {
		stance, conf = events.Conditional, min(conf, 0.75)
		reasons = append(reasons, "support tied to a stated condition")
	}
	// well-formedness: agreement of a verb with the subject right before
	// it, a finite verb in a list's sentence, the sentence and the article
	switch {
	case t.form == fVerb && !passive && m.start > 0 && c.hasEndAt(m.start-1) && !agrees(toks[m.start].norm, len(actors), false):
		conf = min(conf, illFormedConf)
		reasons = append(reasons, "the verb does not agree with its subject")
	case t.form == fList && !hasFiniteVerb(toks) && len(items) == 0:
		conf = min(conf, illFormedConf)
		reasons = append(reasons, "a list without a verb: a table, not a sentence")
	}
	if obj.plural || t.form == fVerb && pluralBefore(toks, m.start) {
		past = true
	}
	if x.sentenceInPassing(c) {
		past = true
	}
	f := x.newCandidate(c, m, stance, conf, actors)
	x.quoteItems(f, items)
	// recognition and a two-state solution or a peace plan are apart
	// (testdata/real rule 8); the rest is one support however restated
	objKey := ""
	switch {
	case obj.text || obj.ceasefire || obj.accession || obj.statement:
	case obj.statehood:
		objKey = "statehood"
	case obj.plan:
		objKey = "plan:" + obj.head
	}
	for k := range f {
		f[k].objKey = objKey
		f[k].past = past
		f[k].objMot = obj.motion
		f[k].Reasons = append(f[k].Reasons, reasons...)
		if past {
			f[k].Reasons = append(f[k].Reasons, "mentioned in passing: dated only if the text dates it")
		}
	}
	x.found = append(x.found, f...)
	return true
}

// suitStance is the stance that "followed suit" repeats: the last one
// found in this sentence or the two before, by a state not among actors.
func (x *extraction) suitStance(c *sctx, actors []events.Country) (events.Stance, bool) {
	for i := len(x.found) - 1; i >= 0; i-- {
		f := x.found[i]
		if f.sent < c.index-2 {
			break
		}
		if !slices.Contains(actors, f.Actor) {
			return f.Stance, true
		}
	}
	return events.Stance{}, false
}

func (x *extraction) newCandidate(c *sctx, m match, stance events.Stance, conf float64, actors []events.Country) []candidate {
	var out []candidate
	seen := map[events.Country]bool{}
	for _, a := range actors {
		if seen[a] {
			continue
		}
		seen[a] = true
		start, end := evidenceSpan(c, m)
		out = append(out, candidate{
			Finding: Finding{
				File: x.a.File, Actor: a, Stance: stance, Confidence: conf,
				Evidence: x.a.Text[start:end], Offset: start,
				Trigger: x.a.Text[c.toks[m.start].start:c.toks[m.end-1].end],
			},
			sent: c.index, trig: m,
		})
	}
	return out
}

// MaxEvidence bounds the evidence quoted for a finding: a longer sentence
// is quoted in the words around the trigger.
const MaxEvidence = 2048

// evidenceSpan is the sentence's byte span, or the widest run of whole
// tokens around the trigger within MaxEvidence.
func evidenceSpan(c *sctx, m match) (int, int) {
	if c.end-c.start <= MaxEvidence {
		return c.start, c.end
	}
	lo, hi := m.start, m.end-1
	for {
		grew := false
		if lo > 0 && c.toks[hi].end-c.toks[lo-1].start <= MaxEvidence {
			lo--
			grew = true
		}
		if hi+1 < len(c.toks) && c.toks[hi+1].end-c.toks[lo].start <= MaxEvidence {
			hi++
			grew = true
		}
		if !grew {
			return c.toks[lo].start, c.toks[hi].end
		}
	}
}

// groupRoles before "of" and a list name the states' leaders: "the
// leaders of Spain, Ireland and Norway".
var groupRoles = map[string]bool{
	"leaders": true, "ministers": true, "governments": true, "heads": true, "representatives": true,
	"ambassadors": true, "presidents": true, "chiefs": true, "delegations": true, "parliaments": true,
	"diplomats": true, "envoys": true, "officials": true, "ministries": true, "premiers": true,
}

// list is states joined by "and" and commas.
type list struct {
	actors  []events.Country
	start   int
	metonym bool
}

// mentionAt finds the mention that starts at token k, skipping "the".
func (x *extraction) mentionAt(c *sctx, k int) (int, bool) {
	if k < len(c.toks) && c.toks[k].is("the") {
		k++
	}
	for i, m := range c.ments {
		if m.start == k {
			return i, true
		}
	}
	return 0, false
}

// possessor reads "the US abstention", "its abstention", "Russia's veto".
func (x *extraction) possessor(c *sctx, m match) ([]events.Country, []string, bool) {
	toks := c.toks
	j := m.start - 1
	if j < 0 {
		return nil, nil, false
	}
	blocked := blockedBefore(toks, j, 6)
	if toks[j].is("its", "their") {
		actors, _, why := x.antecedent(c, j)
		return actors, []string{why}, blocked
	}
	if toks[j].norm == "'s" {
		j--
	}
	if mi, ok := c.endAt[j]; ok {
		mm := c.ments[mi]
		if mm.start > 0 && prepositions[toks[mm.start-1].norm] && toks[mm.start-1].norm != "by" {
			// "lead to a US veto": hypothetical unless the clause says otherwise
			blocked = blocked || toks[mm.start-1].is("to")
		}
		return []events.Country{mm.country}, []string{"a stance named with its state"}, blocked
	}
	return nil, nil, false
}

// antecedent resolves "it", "they", "its" at token j to states: the
// subject of a reporting verb just before ("the US said it opposes"), else
// the last state in subject position in this or the previous sentence.
func (x *extraction) antecedent(c *sctx, j int) ([]events.Country, float64, string) {
	toks := c.toks
	plural := toks[j].is("they", "their")
	// "X said (today) (that) it ..."
	k := j - 1
	for k >= 0 && (toks[k].is("that", "today", "yesterday", "on", "last", "week", `"`, "later", "also") || weekdays[toks[k].norm] != 0) {
		k--
	}
	if k >= 0 && reportingVerbs[toks[k].norm] {
		k--
		for k >= 0 && (neutralChain[toks[k].norm] && !toks[k].is("the", "to", "in", "on")) {
			k--
		}
		if l := x.listEndingAt(c, k); len(l.actors) > 0 && (plural || len(l.actors) == 1) {
			return l.actors, 0, "\"" + toks[j].norm + "\" is the state that said it"
		}
		if a, ok := x.roleSubject(c, k); ok {
			return []events.Country{a}, -0.05, "\"" + toks[j].norm + "\" is the state whose official said it"
		}
		if k >= 0 && toks[k].is(",", ")", "-") {
			return nil, 0, "" // the speaker is named in this sentence, in a way not read
		}
	}
	// the last state in subject position
	var cand *subjectAt
	candSent := c.index
	for i := len(c.subjects) - 1; i >= 0; i-- {
		if c.subjects[i].at < j {
			cand = &c.subjects[i]
			break
		}
	}
	if cand == nil && c.index > 0 {
		prev := x.sents[c.index-1]
		if n := len(prev.subjects); n > 0 {
			cand, candSent = &prev.subjects[n-1], prev.index
		}
	}
	if cand == nil || !plural && len(cand.actors) != 1 {
		return nil, 0, ""
	}
	// "it" cannot be a state when a single text was named in between
	if !plural && x.textBetween(candSent, cand.at, c.index, j) {
		return nil, 0, ""
	}
	return cand.actors, -0.1, "\"" + toks[j].norm + "\" refers to the last state named as a subject"
}

// singularTexts can be "it".
var singularTexts = map[string]bool{"draft": true, "resolution": true, "text": true, "measure": true, "proposal": true, "motion": true, "amendment": true}

func (x *extraction) textBetween(fromSent, fromTok, toSent, toTok int) bool {
	for s := fromSent; s <= toSent; s++ {
		toks := x.sents[s].toks
		lo, hi := 0, len(toks)
		if s == fromSent {
			lo = fromTok
		}
		if s == toSent {
			hi = toTok
		}
		for k := lo; k < hi && k < len(toks); k++ {
			if singularTexts[toks[k].norm] {
				return true
			}
		}
	}
	return false
}

// roleSubject reads a noun phrase ending at j that names an official or a
// body speaking for a state: "the Palestinian representative to the UN,
// Riyad Mansour", "Russia's ambassador", "the British government", "the
// UN Ambassador of the Palestinian Territories".
func (x *extraction) roleSubject(c *sctx, j int) (events.Country, bool) {
	as := x.roleSubjects(c, j)
	if len(as) == 0 {
		return events.Country{}, false
	}
	return as[0], true
}

// roleSubjects is roleSubject for roles shared by several states: "the
// Japanese, U.S. and South Korean foreign chiefs".
func (x *extraction) roleSubjects(c *sctx, j int) []events.Country {
	toks := c.toks
	for r := j; r >= 0 && r >= j-8; r-- {
		if !headRoles[toks[r].norm] && !toks[r].is("secretary") {
			continue
		}
		// the tail after the role: "to the UN", "of the Palestinian Territories", a name
		var of events.Country
		names := 0
		ok := true
		for k := r + 1; k <= j; k++ {
			w := toks[k]
			switch {
			case w.is("to", "at", "of", "for", "in", "the", "un", "united", "nations", "security", "council", "state"):
			case w.kind == tWord && !isVerbish(w) && !prepositions[w.norm] && (x.lower || w.upper):
				if mi, found := c.endAt[k]; found && k > 0 && toks[c.ments[mi].start-1].is("of", "for", "the", "in") {
					of = c.ments[mi].country
					continue
				}
				names++
			case w.kind == tPunct && w.is("-", "."):
			default:
				ok = false
			}
		}
		if !ok || names > 4 {
			continue
		}
		if !of.IsZero() {
			return []events.Country{of}
		}
		// the role phrase and what modifies it
		s := r
		for s > 0 && (roleWords[toks[s-1].norm] || headRoles[toks[s-1].norm]) { // "Foreign Ministry Spokesperson"
			s--
		}
		p := s - 1
		if p >= 0 && toks[p].norm == "'s" {
			p--
		}
		mi, found := c.endAt[p]
		if !found {
			return nil
		}
		out := []events.Country{c.ments[mi].country}
		// coordinated modifiers: "the Japanese, U.S. and South Korean"
		for k := c.ments[mi].start - 1; k > 0 && toks[k].is(",", "and"); {
			q := k - 1
			if toks[q].is(",") && q > 0 {
				q--
			}
			pi, ok := c.endAt[q]
			if !ok {
				break
			}
			out = append([]events.Country{c.ments[pi].country}, out...)
			k = c.ments[pi].start - 1
		}
		// coordinated officials: "Armenian Prime Minister Nikol Pashinian
		// and Azerbaijani President Ilham Aliyev"
		k := c.ments[mi].start - 1
		if k > 0 && toks[k].is("the") {
			k--
		}
		if k > 1 && toks[k].is("and", ",") && toks[k-1].kind == tWord {
			out = append(x.roleSubjects(c, k-1), out...)
		}
		return out
	}
	return nil
}

// objectInfo is what follows a trigger.
type objectInfo struct {
	motion    bool // a text or a vote
	text      bool // a draft, resolution, text (not merely a vote)
	ceasefire bool
	statement bool   // a statement, an attempt, a bid: what "blocked" can stop without a veto
	plural    bool   // several texts: a stance mentioned in passing
	statehood bool   // "the State of Palestine", "a Palestinian state", "statehood"
	accession bool   // "the bid", "Sweden's accession", "Finland's membership"
	bloc      bool   // an alliance or union a state may join: "NATO", "the EU"
	plan      bool   // "the plan", "a two-state solution", "the peace proposal"
	action    bool   // an act of a state or body: "the intervention", "sanctions", "the ban"
	uncond    bool   // "an unconditional ceasefire"
	head      string // the plan's noun: "plan", "solution", "initiative"
	definite  bool   // "the resolution", "it": the text the story is about
	end       int    // the token after the object's clause
}

// accessionWords are what "approve" and "ratify" take for a membership.
var accessionWords = map[string]bool{
	"accession": true, "membership": true, "bid": true, "bids": true, "candidacy": true, "application": true,
	"applications": true, "entry": true, "enlargement": true, "expansion": true, "request": true, "protocol": true,
	"protocols": true, "move": true, "talks": true, "admission": true, "joining": true,
}

// planWords name what a state can back or reject besides a text put to
// a vote: a plan, a deal, a pact or treaty.
var planWords = map[string]bool{
	"plan": true, "solution": true, "initiative": true, "declaration": true, "deal": true, "agreement": true,
	"mandate": true, "pact": true, "compact": true, "treaty": true, "accord": true, "accords": true,
	"convention": true, "roadmap": true, "blueprint": true, "framework": true, "conditions": true,
	"offer": true, "demands": true, "ultimatum": true, "report": true, "ruling": true, "award": true, "verdict": true,
}

// actionWords name acts of a state or a body that another state can back
// or reject besides a text or a plan: "rejected any military
// intervention", "expressed its support for the mediation".
var actionWords = map[string]bool{
	"intervention": true, "invasion": true, "annexation": true, "occupation": true, "sanctions": true,
	"embargo": true, "blockade": true, "ban": true, "referendum": true, "mediation": true, "deployment": true,
	"offensive": true, "strikes": true, "airstrikes": true, "withdrawal": true, "proclamation": true,
	"decision": true, "policy": true, "moratorium": true, "tariffs": true, "drills": true,
}

// blocNames are what a state applies to join.
var blocNames = map[string]bool{
	"nato": true, "alliance": true, "bloc": true, "eu": true, "union": true, "schengen": true, "eurozone": true,
	"wto": true, "asean": true, "brics": true, "commonwealth": true, "oecd": true,
}

var ceasefireWords = map[string]bool{"ceasefire": true, "cease-fire": true, "truce": true, "ceasefires": true, "armistice": true}

// object looks at the words after a trigger, up to the end of its clause.
func (x *extraction) object(c *sctx, m match) objectInfo {
	toks := c.toks
	var o objectInfo
	end := m.end + 16
	o.end = m.end
	for k := m.end; k < len(toks) && k < end; k++ {
		w := toks[k].norm
		o.end = k
		if w == "." || w == ";" || w == "but" || w == "while" || w == "whereas" || w == "although" {
			break
		}
		if k > m.end && (w == "," || w == "because" || w == "after" || w == "saying" || w == "when" || w == "since" || w == "before" || w == "which" || w == "who") {
			break
		}
		o.end = k + 1
		if accessionWords[w] {
			o.accession = true
		}
		if blocNames[w] {
			o.bloc = true // "asked to join NATO": its own accession
		}
		switch {
		case toks[k].kind == tSymbol:
			o.motion, o.text = true, true
		case motionNouns[w] && w != "motion" && w != "proposal" && k > 0 && toks[k-1].is("the", "draft") && !pluralMotionNouns[w]:
			o.definite = true
			o.motion = true
			o.text = o.text || w != "vote" && w != "votes" && w != "bid"
		case motionNouns[w]:
			o.motion = true
			o.text = o.text || w != "vote" && w != "votes" && w != "bid"
			if pluralMotionNouns[w] {
				o.plural = true
			}
		case ceasefireWords[w] || w == "cease" && k+2 < len(toks) && toks[k+2].norm == "fire":
			o.ceasefire = true
		case w == "statement" || w == "statements" || w == "attempt" || w == "attempts" || w == "efforts" || w == "effort" || w == "move" || w == "bid" || w == "call" || w == "calls" ||
			w == "adoption":
			o.statement = true
			if pluralMotionNouns[w] || w == "calls" {
				o.plural = true
			}
		case w == "palestine" || w == "statehood" || w == "palestinian" && k+1 < len(toks) && toks[k+1].is("state", "statehood"):
			o.statehood = true
		case contestedStates[w]:
			o.statehood = true // "said they would recognise Kosovo"
		case w == "recognition" || w == "state" && k > 0 && toks[k-1].is("independent", "sovereign"):
			// "criticised Israel's recognition of Somaliland", "recognised X as an independent state"
			o.statehood = true
		case accessionWords[w]:
			o.accession = true
		case actionWords[w]:
			o.action = true
		case planWords[w]:
			o.plan = true
			if o.head == "" {
				o.head = w
			}
		case w == "unconditional":
			o.uncond = true
		case k == m.end && toks[k].is("it", "this", "that", "them"):
			// "voted against it": a text named earlier
			if x.textNearby(c) {
				o.motion, o.text, o.definite = true, true, true
			}
		}
	}
	return o
}

// textNearby reports a text named in this sentence or the one before.
func (x *extraction) textNearby(c *sctx) bool {
	for s := max(0, c.index-1); s <= c.index; s++ {
		for _, t := range x.sents[s].toks {
			if motionNouns[t.norm] || t.kind == tSymbol {
				return true
			}
		}
	}
	return false
}

// pluralBefore reports a count of texts just before a verb: "another two
// have been vetoed".
func pluralBefore(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-5; k-- {
		w := toks[k].norm
		if w == "," || w == ";" {
			return false
		}
		if numberWords[w] >= 2 || pluralMotionNouns[w] {
			return true
		}
	}
	return false
}

// sentenceInPassing reports a sentence that recalls the past: "since the
// start of the conflict", "in the past", "previously".
func (x *extraction) sentenceInPassing(c *sctx) bool {
	toks := c.toks
	for k, t := range toks {
		switch t.norm {
		case "previously", "formerly":
			return true
		case "past":
			if k > 1 && toks[k-1].is("the") && toks[k-2].is("in") {
				return true
			}
		case "since":
			if k+1 < len(toks) && toks[k+1].is("the", "october", "then", "2023", "its") {
				return true
			}
		}
	}
	return false
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// findHint returns the first hint whose place the tokens name.
func findHint(toks []token, hints []TopicHint) *TopicHint {
	for i := range hints {
		for _, t := range toks {
			if t.norm == hints[i].Place {
				return &hints[i]
			}
		}
	}
	return nil
}

// agentsAfter reads "from the US and the UK", "- from Guyana", "by
// Russia" after a stance noun at k.
func (x *extraction) agentsAfter(c *sctx, k int) []events.Country {
	toks := c.toks
	if k < len(toks) && toks[k].is("-", ",") {
		k++
	}
	if k >= len(toks) || !toks[k].is("from", "by") {
		return nil
	}
	k++
	if k < len(toks) && toks[k].is("both") {
		k++
	}
	return x.listStartingAt(c, k)
}

// attemptsObject reads "all previous attempts", "repeated efforts",
// "several bids" at k: a veto verb's object that is a habit, not a text.
func attemptsObject(toks []token, k int) bool {
	for ; k < len(toks) && toks[k].is("all", "every", "any", "the", "previous", "past", "prior", "earlier", "repeated", "several", "multiple", "many", "further", "western", "international"); k++ {
	}
	return k < len(toks) && toks[k].is("attempts", "attempt", "efforts", "effort", "bids", "moves", "initiatives")
}

// penholder reads the state named the penholder in apposition: "the
// penholder, the United States,", "France, the penholder on Mali,",
// "penholder Britain". The penholder drafts the Council's texts on its
// file: a sponsor (testdata/real rule 4).
func (x *extraction) penholder(c *sctx) {
	toks := c.toks
	for k := 0; k < len(toks); k++ {
		if !toks[k].is("penholder", "pen-holder", "penholders") {
			continue
		}
		var actors []events.Country
		switch {
		case k+1 < len(toks) && toks[k+1].is(","):
			actors = x.listStartingAt(c, k+2)
		case k+1 < len(toks):
			actors = x.listStartingAt(c, k+1)
		}
		if len(actors) == 0 && k > 2 && toks[k-1].is("the") && toks[k-2].is(",") {
			actors = x.listEndingAt(c, k-3).actors
		}
		if len(actors) == 0 || blockedBefore(toks, k, 4) {
			continue
		}
		x.addSponsors(c, match{start: k, end: k + 1}, 0.7, actors, "the penholder, who drafts the Council's texts on the file")
	}
}

// datelineDates marks the dateline of an article's first sentence ("United
// Nations, July 1 The UN Security Council has renewed …", "WASHINGTON, Oct
// 5 -"): a place in capitals, a comma, a day. It is when the story was
// filed, not when anything happened, so it names no position's day and
// does not vote for the article's main day.
func datelineDates(c *sctx) {
	for i := range c.dates {
		d := &c.dates[i]
		if d.at < 2 || d.at > 6 || !c.toks[d.at-1].is(",") {
			continue
		}
		place := true
		for k := 0; k < d.at-1; k++ {
			if t := c.toks[k]; t.kind != tWord || !t.upper {
				place = false
			}
		}
		if place {
			d.usable = false
		}
	}
}

// passiveBy finds the "by" of a passive's agents at k, or after a short
// phrase of place or addressee ("proposed to the UN Security Council by
// Germany, Belgium and Kuwait", "tabled on Monday by Malta"); -1 if none.
func passiveBy(toks []token, k int) int {
	if k >= len(toks) {
		return -1
	}
	if toks[k].norm == "by" {
		return k
	}
	if !toks[k].is("to", "in", "at", "before", "on", "last", "earlier", "jointly", "unanimously") {
		return -1
	}
	for q := k + 1; q < len(toks) && q <= k+6; q++ {
		switch {
		case toks[q].norm == "by":
			return q
		case toks[q].kind == tPunct && !toks[q].is("-", "'s"), isVerbish(toks[q]) && !toks[q].upper:
			return -1
		}
	}
	return -1
}

// sponsoredNouns are the texts whose authors "by" names: "the proposal by
// Malaysia, Australia, the Netherlands and Ukraine".
var sponsoredNouns = map[string]bool{
	"draft": true, "drafts": true, "resolution": true, "text": true, "proposal": true, "amendment": true,
	"amendments": true, "motion": true,
}

// nounSponsors reads the authors of a text named after it with "by".
func (x *extraction) nounSponsors(c *sctx) {
	toks := c.toks
	for k := 0; k+2 < len(toks); k++ {
		if !sponsoredNouns[toks[k].norm] || !toks[k+1].is("by") || blockedBefore(toks, k, 4) {
			continue
		}
		q := k + 2
		if toks[q].is("the", "both") {
			q++
		}
		l := x.listStartingAt(c, q)
		if len(l) == 0 {
			continue
		}
		x.addSponsors(c, match{start: k, end: k + 2}, 0.75, l, "a text named with \"by\" its authors")
	}
}

// afterCount skips a list header's count at k: "- 9", "(138)".
func afterCount(toks []token, k int) int {
	switch {
	case k+1 < len(toks) && toks[k].is("-") && toks[k+1].kind == tNumber:
		return k + 2
	case k+2 < len(toks) && toks[k].is("(") && toks[k+1].kind == tNumber && toks[k+2].is(")"):
		return k + 3
	}
	return k
}

// abbrevDot reports that the full stop at k ends an abbreviation inside a
// name ("Dem. Rep. of Congo"), not the list.
func abbrevDot(toks []token, k int) bool {
	return toks[k].is(".") && k > 0 && abbreviations[toks[k-1].norm] && toks[k-1].end == toks[k].start && k+1 < len(toks)
}

// contestedStates are states whose recognition is the news: not all of
// them are states the closed country type admits as actors.
var contestedStates = map[string]bool{
	"kosovo": true, "somaliland": true, "taiwan": true, "sahrawi": true, "abkhazia": true, "ossetia": true,
}

// namesState reports a state named right at k: the object of
// "recognise Kosovo", "recognised Somaliland".
func (x *extraction) namesState(c *sctx, k int) bool {
	if mi, ok := x.mentionAt(c, k); ok {
		return c.ments[mi].kind != mDemonym
	}
	return false
}

// thingAt reports a definite thing at k, a trigger's object rather than a
// clause: "the decision", "this move", "that resolution" (not "that the
// Council was unable").
func thingAt(toks []token, k int) bool {
	if k >= len(toks) || !toks[k].is("the", "this", "that", "its", "their") {
		return false
	}
	return !toks[k].is("that") || k+1 < len(toks) && (motionNouns[toks[k+1].norm] || toks[k+1].is("decision", "move", "recognition"))
}

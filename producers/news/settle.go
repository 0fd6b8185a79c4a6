package news

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/votes"
)

// recordWindow is how far before publication the vote record is searched
// for the vote a story reports without naming it.
const recordWindow = 30

func isVote(s events.Stance) bool {
	return s == events.Veto || s == events.VoteNo || s == events.Abstain || s == events.VoteYes
}

// finish settles each candidate's day, motion and topic, then keeps one
// finding per actor, stance, motion and day.
func (x *extraction) finish() []Finding {
	ceasefire := false
	for _, c := range x.sents {
		for _, t := range c.toks {
			if ceasefireWords[t.norm] {
				ceasefire = true
			}
		}
	}
	// a story that speaks of a veto without saying who cast it: the
	// permanent members that voted no on its Council draft
	vetoStory := strings.Contains(strings.ToLower(x.a.Title), "veto")
	for _, c := range x.sents {
		for _, t := range c.toks {
			vetoStory = vetoStory || strings.HasPrefix(t.norm, "veto")
		}
	}
	vetoers := map[events.Country]bool{}
	for _, f := range x.found {
		if f.Stance == events.Veto {
			vetoers[f.Actor] = true
		}
	}
	for i := range x.found {
		f := &x.found[i]
		others := len(vetoers) > 0 && !vetoers[f.Actor]
		if f.Stance == events.VoteNo && vetoStory && !others && votes.IsPermanent(f.Actor) && x.councilDraftFailed(f.sent) {
			f.Stance = events.Veto
			f.Confidence = min(f.Confidence, 0.8)
			f.Reasons = append(f.Reasons, "a permanent member's no on a Council draft the story says was vetoed: a veto")
		}
		if !x.sents[f.sent].ok || x.salad {
			f.Confidence = min(f.Confidence, illFormedConf)
			f.Reasons = append(f.Reasons, "the text does not read as English sentences")
		}
		x.settle(f, ceasefire)
		if f.Learned() {
			// what the vote record adds does not publish the learned
			// reader's findings: they wait for review (modelConfScale)
			f.Confidence = min(f.Confidence, modelConfCap)
		}
	}
	best := map[string]int{}
	var out []Finding
	for _, c := range x.found {
		f := c.Finding
		f.Confidence = round2(min(0.99, max(0.05, f.Confidence)))
		// a support or opposition of no known text is one per thing it is
		// of: the recognition, the two-state solution, the peace plan
		obj := ""
		if f.Motion == nil && !isVote(f.Stance) {
			obj = c.objKey
		}
		k := fmt.Sprint(f.Actor, f.Stance, ptrString(f.Motion), ptrString(f.Occurred), c.earlier, obj)
		if i, ok := best[k]; ok {
			if f.Confidence > out[i].Confidence {
				out[i] = f
			}
			continue
		}
		best[k] = len(out)
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Offset, b.Offset), cmp.Compare(a.Actor.String(), b.Actor.String()), cmp.Compare(a.Stance.Rank(), b.Stance.Rank()))
	})
	return out
}

func ptrString[T fmt.Stringer](p *T) string {
	if p == nil {
		return ""
	}
	return (*p).String()
}

// councilDraftFailed reports a sentence, or the one before, about a
// Security Council draft, that does not say it lacked the votes: a
// permanent member's no there is a veto.
func (x *extraction) councilDraftFailed(i int) bool {
	council, short := false, false
	for s := max(0, i-1); s <= i; s++ {
		toks := x.sents[s].toks
		for k, t := range toks {
			switch t.norm {
			case "council", "unsc":
				council = true
			case "assembly":
				if s == i {
					return false
				}
			case "enough", "minimum", "required", "amendment", "amendments":
				short = true
			case "nine":
				// "failed to get the nine votes needed", not "Nine
				// countries voted for the text"
				short = short || k+1 < len(toks) && toks[k+1].is("votes", "vote", "yes", `"`) ||
					k > 0 && toks[k-1].is("the", "of", "needed", "get", "win", "secure", "garner", "muster")
			}
		}
	}
	return council && !short
}

// anaphoric reports a sentence that opens on a text named before: "That
// resolution fell when…", "The draft was vetoed by…".
func anaphoric(c *sctx) bool {
	toks := c.toks
	k := 0
	for k < len(toks) && toks[k].is("but", "and", "however", ",", "yet") {
		k++
	}
	return k+1 < len(toks) && toks[k].is("that", "this", "the") && singularTexts[toks[k+1].norm]
}

// settle gives a candidate its day, motion and topic.
func (x *extraction) settle(f *candidate, ceasefire bool) {
	c := x.sents[f.sent]
	var prev *sctx
	if c.index > 0 && anaphoric(c) {
		prev = x.sents[c.index-1]
	}
	var day events.Date
	how := ""
	// the day
	if d := nearestDate(c.dates, f.trig.start); d != nil {
		if d.resolved {
			day, how = d.date, "explicit"
		} else {
			f.Reasons = append(f.Reasons, "the day is relative and the article has no publication date")
		}
	} else if prev != nil && prev.ctxDate != nil {
		day, how = *prev.ctxDate, "previous"
		f.Reasons = append(f.Reasons, "dated by the sentence before, about the same text")
	} else if !f.past && !x.mainDate.IsZero() && (isVote(f.Stance) || f.Stance == events.Sponsor || f.Stance == events.Conditional || f.objMot) {
		// only a stance on the vote or its texts takes the vote's day: a
		// call for a ceasefire in the same story may be from another day
		day, how = x.mainDate, "main"
		f.Confidence -= 0.05
		f.Reasons = append(f.Reasons, "dated by the day of the vote the article reports")
	}
	if how == "explicit" && f.past {
		f.Reasons = append(f.Reasons, "the text dates it")
	}

	// the motion
	var mot events.MotionID
	motHow := ""
	if r := nearestRef(c.refs, f.trig.start, true); r != nil {
		mot, motHow = r.id, "explicit"
		if m, ok := x.opt.Catalog.byID(r.id); ok {
			mot = m.ID
		}
	} else if sp := f.sponsRef; !sp.IsZero() || nearestRef(c.refs, f.trig.start, false) != nil {
		if sp.IsZero() {
			sp = nearestRef(c.refs, f.trig.start, false).sponsor
		}
		if m, ok := x.bySponsor(sp, day); ok {
			mot, motHow = m.ID, "sponsor"
			if how != "explicit" && !m.Date.IsZero() {
				day, how = m.Date, "record"
			}
		}
	} else if prev != nil && prev.ctxMot != nil {
		mot, motHow = *prev.ctxMot, "previous"
	}
	if mot.IsZero() && !f.past && !day.IsZero() && (isVote(f.Stance) || f.objMot || f.Stance == events.Sponsor) {
		if m, ok := x.onDay(f.Actor, f.Stance, day); ok {
			mot, motHow = m.ID, "day"
		}
	}
	if f.earlier {
		day, how, mot, motHow = events.Date{}, "", events.MotionID{}, ""
	}
	// what the vote record says
	if !f.earlier && (isVote(f.Stance) || f.Stance == events.Sponsor) {
		x.checkRecord(f, &mot, &motHow, &day, &how)
	}
	if !mot.IsZero() {
		f.Motion = &mot
		if motHow == "day" {
			f.Reasons = append(f.Reasons, "the text voted on that day, from the vote record")
		}
		if how == "explicit" || motHow == "explicit" || motHow == "sponsor" {
			c.ctxMot = &mot
		}
	}
	if !day.IsZero() {
		f.Occurred = &day
		if how == "explicit" {
			c.ctxDate = &day
		}
	}
	// the topic: the known motion's, a hint's for a ceasefire, the
	// taxonomy's, the default; else none, and the finding goes to review
	m, known := x.opt.Catalog.byID(mot)
	sentCF := false
	for _, t := range c.toks {
		sentCF = sentCF || ceasefireWords[t.norm]
	}
	tax, taxOK := x.tax.pick(x.topics, f.sent)
	var title events.Topic
	titleOK := false
	if known && m.Title != "" {
		title, titleOK = x.tax.topicOf(m.Title)
	}
	switch {
	case known && !m.Topic.IsZero():
		t := m.Topic
		f.Topic = &t
	case titleOK:
		f.Topic = &title
		f.Reasons = append(f.Reasons, "topic from the title of the motion in the vote record")
	case x.hint != nil && ceasefire && (sentCF || !taxOK):
		t := x.hint.Topic
		f.Topic = &t
	case taxOK:
		f.Topic = &tax
		f.Reasons = append(f.Reasons, "topic from the words of the sentence, its neighbours and the article")
	case !x.opt.Topic.IsZero():
		t := x.opt.Topic
		f.Topic = &t
	default:
		f.Reasons = append(f.Reasons, "the text does not tell its topic apart")
	}
}

// checkRecord compares a vote or sponsorship with the vote record. When
// the record agrees, confidence rises; when the day was only inferred and
// the record holds exactly one text on which the actor took this stance
// shortly before publication, the finding takes that text and its day;
// otherwise a contradiction lowers confidence enough to send it to review.
func (x *extraction) checkRecord(f *candidate, mot *events.MotionID, motHow *string, day *events.Date, how *string) {
	cat := x.opt.Catalog
	if cat.Len() == 0 {
		return
	}
	agrees := func(m CatalogMotion) (known, ok bool) {
		if f.Stance == events.Sponsor {
			return len(m.Penholders) > 0, slices.Contains(m.Penholders, f.Actor)
		}
		st, has := m.Votes[f.Actor]
		// a permanent member's "no" on a text with nine votes is a veto:
		// a story that says it voted against agrees with the record
		return has, st == f.Stance || f.Stance == events.VoteNo && st == events.Veto
	}
	if m, found := cat.byID(*mot); found {
		known, ok := agrees(m)
		switch {
		case !known:
			return
		case ok:
			f.Confidence += 0.05
			f.Reasons = append(f.Reasons, "the vote record agrees")
			return
		}
		if *how == "explicit" || *motHow == "explicit" {
			f.Confidence -= 0.3
			f.Reasons = append(f.Reasons, fmt.Sprintf("the vote record disagrees on %s", m.ID))
			return
		}
	} else if !mot.IsZero() || f.past || x.a.Published.IsZero() || *how == "explicit" {
		return
	}
	// the day was inferred: look for the one text the record supports
	var hits []CatalogMotion
	for _, m := range mainTexts(cat.between(x.a.Published.AddDays(-recordWindow), x.a.Published)) {
		if _, ok := agrees(m); ok && (f.sponsRef.IsZero() || slices.Contains(m.Penholders, f.sponsRef)) {
			hits = append(hits, m)
		}
	}
	if len(hits) == 1 {
		*mot, *motHow = hits[0].ID, "record"
		*day, *how = hits[0].Date, "record"
		f.Confidence += 0.05
		f.Reasons = append(f.Reasons, "text and day from the vote record: the one text on which the record agrees, in the month before publication")
		return
	}
	if !mot.IsZero() {
		f.Confidence -= 0.3
		f.Reasons = append(f.Reasons, fmt.Sprintf("the vote record disagrees on %s", *mot))
	}
}

// bySponsor finds the text a state wrote, voted or circulated on day, or
// in the month before publication when the day is unknown.
func (x *extraction) bySponsor(sp events.Country, day events.Date) (CatalogMotion, bool) {
	var from, to events.Date
	switch {
	case !day.IsZero():
		from, to = day.AddDays(-3), day.AddDays(3)
	case !x.a.Published.IsZero():
		from, to = x.a.Published.AddDays(-recordWindow), x.a.Published
	default:
		return CatalogMotion{}, false
	}
	var hits []CatalogMotion
	for _, m := range mainTexts(x.opt.Catalog.between(from, to)) {
		if slices.Contains(m.Penholders, sp) {
			hits = append(hits, m)
		}
	}
	if len(hits) == 1 {
		return hits[0], true
	}
	return CatalogMotion{}, false
}

// onDay finds the one text of a day that a stance is about.
func (x *extraction) onDay(actor events.Country, st events.Stance, day events.Date) (CatalogMotion, bool) {
	ms := mainTexts(x.opt.Catalog.between(day, day))
	if len(ms) > 1 && isVote(st) {
		var same []CatalogMotion
		for _, m := range ms {
			if m.Votes[actor] == st {
				same = append(same, m)
			}
		}
		ms = same
	}
	if len(ms) == 1 {
		return ms[0], true
	}
	return CatalogMotion{}, false
}

// nearestDate is the usable day closest to token i.
func nearestDate(ds []dateExpr, i int) *dateExpr {
	var best *dateExpr
	for k := range ds {
		d := &ds[k]
		if !d.usable {
			continue
		}
		if best == nil || abs(d.at-i) < abs(best.at-i) {
			best = d
		}
	}
	return best
}

// nearestRef is the text reference closest to token i: one with an id
// when withID, else one named by its author.
func nearestRef(rs []motionRef, i int, withID bool) *motionRef {
	var best *motionRef
	for k := range rs {
		r := &rs[k]
		if withID != !r.id.IsZero() {
			continue
		}
		if best == nil || abs(r.at-i) < abs(best.at-i) {
			best = r
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

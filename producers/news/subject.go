package news

import (
	"slices"
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// subject is what verbSubject found.
type subject struct {
	actors  []events.Country
	passive bool // the actors are agents after "by": the text is the subject
	blocked bool
	neg     bool // a negatable trigger, denied: "will not support"
	noCount bool // a state was found and refused as the subject
	// announce: a vote announced in reported speech ("said it would vote
	// against"): support or opposition, not the vote
	announce bool
	cond     bool // a condition stated with the verb
	past     bool
	joined   bool // "joined … in": the actors joined one another in the stance
	conf     float64
	reasons  []string
}

// verbSubject finds the states that are the subject of a verb trigger:
// agents after "by" in the passive, else the noun phrase to the left,
// through auxiliaries, adverbs and one appositive.
func (x *extraction) verbSubject(c *sctx, m match) (s subject) {
	toks := c.toks
	// "Laos joined Myanmar in voting against", "X joins others in formally recognising"
	if k := m.start - 1; k > 0 {
		for k > 0 && strings.HasSuffix(toks[k].norm, "ly") && !c.hasEndAt(k) {
			k--
		}
		if m.t.joinOnly && toks[k].is("a", "the") {
			k-- // "joined the US in a triple veto"
		}
		if toks[k].is("in") {
			if l := x.joinedIn(c, k); len(l) > 0 {
				s.actors, s.joined = l, true
				s.reasons = append(s.reasons, "\"joined … in\": the subject of \"join\" and the states it joined")
				return s
			}
		}
	}
	// "Russia's decision to recognize", "Turkey's refusal to ratify"
	if k := m.start - 1; k >= 3 && toks[k].is("to") && intentNouns[toks[k-1].norm] && toks[k-2].is("'s") {
		if mi, ok := c.endAt[k-3]; ok && c.ments[mi].kind != mDemonym {
			if toks[k-1].is("refusal") {
				if !m.t.negatable {
					return subject{blocked: true}
				}
				s.neg = true
			}
			s.actors = []events.Country{c.ments[mi].country}
			s.reasons = append(s.reasons, "the state whose decision it is")
			return s
		}
	}
	// the verb chain: "has previously", "decided to", "could not"
	j := m.start - 1
	passiveAux := false
	var negated, will, would, other, only bool
	for steps := 0; j >= 0 && steps < 10; steps++ {
		w := toks[j].norm
		switch {
		case toks[j].kind == tPunct && w == `"`:
		case months[w] != 0 && j > 0 && toks[j-1].is("in"):
			// "became the latest country in May to recognise": a month, not "may"
		case w == "not" || w == "n't" || w == "never" || w == "cannot" || w == "unable" || w == "declined" || w == "refused" || w == "refuses":
			negated = true
			if w == "cannot" {
				will = true
			}
		case w == "will" || w == "'ll" || w == "shall" || w == "can" || w == "able":
			will = true
		case w == "would" || w == "could" || w == "might" || w == "'d":
			would = true
		case blockers[w]:
			other = true
		case w == "had" || w == "previously" || w == "earlier":
			s.past = true
		case w == "was" || w == "were" || w == "been" || w == "being":
			passiveAux = true
		case w == "only":
			only = true
		case m.t.future && (w == "announce" || w == "announced" || w == "announces" || w == "confirm" || w == "confirmed" || w == "confirms"):
			// "announce its decision to recognise": the decision is the stance
		case m.t.future && (w == "its" || w == "their") && j+1 < m.start && toks[j+1].is("decision", "intention", "plan"):
		case m.t.future && (w == "decision" || w == "intention" || w == "plan") && j > 0 && toks[j-1].is("its", "their"):
			// "announced its decision to officially recognise"
		case w == "keen" || w == "willing" || w == "ready" || w == "prepared" || w == "eager" || w == "inclined" || w == "too":
			// "are not keen to recognise", "they too are not willing to"
		case neutralChain[w] || weekdays[w] != 0 || w == "sunday" || strings.HasSuffix(w, "ly") && len(w) > 4 && !c.hasEndAt(j): // not "Cleverly"
		default:
			goto chainEnd
		}
		j--
	}
chainEnd:
	// a subject that stands for a speaker: "X said his delegation …", "“We
	// reject it,” X said"; in reported speech "would" and "could" are the
	// speaker's "will" and "can"
	var spk []events.Country
	spkWhy := ""
	if j >= 0 {
		var reported bool
		spk, _, reported, spkWhy = x.speakerSubject(c, j)
		if l := x.listEndingAt(c, j); !reported && len(l.actors) > 0 && reportedBefore(toks, l.start) >= 0 {
			// "said on Tuesday that Bulgaria would not approve": a state's
			// stance in reported speech
			reported = true
		}
		// "said it would not support any text that …" stays a hypothesis
		if reported && would && !(m.end < len(toks) && toks[m.end].is("any", "a", "an", "such")) {
			would, will = false, true
		}
		if reported && will && !negated && !other && (m.t.stance == events.VoteYes || m.t.stance == events.VoteNo) {
			// "said it would vote against the draft": an announced vote is a stance
			will, s.announce = false, true
		}
	}
	// "would only back the bid if …": "only" before the verb, the condition after it
	s.cond = hasCondition(toks, m.end) || only && ifAfter(toks, m.end)
	switch {
	case !negated && !will && !would && !other:
	case will && !would && !negated && !other && m.t.future:
		// "said it would reject the bid": an announced stance
	case !m.t.negatable || other:
		s.blocked = true
	case negated && would && !s.cond:
		s.blocked = true // "would not support": a hypothesis
	case negated:
		s.neg = true
	case would && !s.cond:
		s.blocked = true // "would approve" without a condition: a hypothesis
	case will && !would && !m.t.future:
		s.blocked = true
	}
	// passive: "was vetoed by Russia and China", "penned by the United States"
	if by := passiveBy(toks, m.end); m.t.passive && by >= 0 {
		k := by + 1
		if k < len(toks) && toks[k].is("both", "the") {
			k++
		}
		l := x.listStartingAt(c, k)
		if len(l) == 0 {
			// "by the 10 elected members, among them Algeria and Guyana"
			for q := k; q < len(toks) && q < k+12 && !toks[q].is(".", ";"); q++ {
				if toks[q].is("including") || toks[q].is("among", "such") && q+1 < len(toks) && toks[q+1].is("them", "as") {
					if toks[q].is("among", "such") {
						q++
					}
					l = x.listStartingAt(c, q+1)
					s.reasons = append(s.reasons, "named among the agents a count includes")
					s.conf -= 0.05
					break
				}
			}
		}
		if len(l) == 0 {
			// "proposed by the European Union and Ukraine": a bloc, then states
			for q := k; q < len(toks) && q < k+5 && toks[q].kind == tWord && !isVerbish(toks[q]) && !prepositions[toks[q].norm]; q++ {
				if toks[q].is("and") {
					l = x.listStartingAt(c, q+1)
					break
				}
			}
		}
		if len(l) == 0 {
			// "signed by Ethiopian Prime Minister Abiy Ahmed and …": officials
			l = x.roleAgents(c, k)
		}
		if len(l) == 0 {
			return subject{blocked: s.blocked}
		}
		l = append(l, x.alongsideAfter(c, k)...)
		s.actors, s.passive = l, true
		s.reasons = append(s.reasons, "passive: the agents after \"by\"")
		return s
	}
	if passiveAux && m.t.passive && toks[m.start].is("opposed") && !(m.end < len(toks) && toks[m.end].is("by")) {
		return subject{} // "was opposed to": an adjective, read by the active trigger
	}
	if passiveAux && m.t.passive && !strings.HasSuffix(toks[m.start].norm, "ing") { // "was recognising" is no passive
		return subject{} // "the draft was vetoed": by whom, the text does not say here
	}
	if passiveAux && !m.t.passive && m.t.form == fVerb && strings.HasSuffix(toks[m.start].norm, "ed") && !toks[m.start].is("opposed") &&
		j >= 0 && toks[j+1].is("was", "were", "been", "being") {
		return subject{} // "Belarus was also criticised for": the state is the one criticised
	}
	if s.blocked {
		return s
	}
	// a bare "Both" the chain walked over: "Both formally recognised"
	if (j < 0 || toks[j].is(",", "and", "but")) && j+1 < m.start && toks[j+1].is("both") {
		if l := x.backReference(c, j+1); len(l) > 0 {
			s.actors, s.conf = l, s.conf-0.1
			s.reasons = append(s.reasons, "\"both\" refers back to the states named just before")
			return s
		}
	}
	if j < 0 {
		return s
	}
	if len(spk) > 0 {
		s.actors, s.conf = spk, s.conf-0.05
		s.reasons = append(s.reasons, spkWhy)
		return s
	}
	// one appositive: "the US, Israel's key ally,", "the 14 others, including the UK,"
	var along []events.Country
	defer func() {
		if len(s.actors) > 0 {
			s.actors = append(s.actors, along...)
		}
	}()
	if toks[j].is(",", "-", ")") {
		open := map[string]string{",": ",", "-": "-", ")": "("}[toks[j].norm]
		k := j - 1
		for ; k >= 0 && k >= j-30; k-- {
			if toks[k].norm == open {
				break
			}
		}
		// a list inside the appositive: ", including Britain, France and Japan,",
		// ", along with eight other countries: Austria, …, Paraguay"
		if open == "," {
			for q := k; q >= 0 && q >= j-30; q-- {
				if toks[q].norm == "," && q+2 < j && (toks[q+1].is("including", "among", "notably") || toks[q+1].is("along", "together") && toks[q+2].is("with")) {
					k = q
					break
				}
			}
		}
		if k < 0 || k < j-30 || toks[k].norm != open {
			return s
		}
		if open == "," && k+2 < j && (toks[k+1].is("along", "together") && toks[k+2].is("with") || toks[k+1].is("as") && toks[k+2].is("well")) {
			// "The US and Israel, along with eight other countries: Austria, …, were"
			for q := k + 3; q < j; q++ {
				if mi, ok := x.mentionAt(c, q); ok && c.ments[mi].kind != mDemonym {
					along = append(along, c.ments[mi].country)
					q = c.ments[mi].end - 1
				}
			}
			if len(along) > 0 {
				s.reasons = append(s.reasons, "and the states named \"along with\" it")
			}
		} else if k+1 < j && toks[k+1].is("including", "among", "notably", "led") {
			for q := k + 2; q < j; q++ {
				if mi, ok := x.mentionAt(c, q); ok {
					s.actors = append(s.actors, c.ments[mi].country)
					q = c.ments[mi].end - 1
				}
			}
			s.conf -= 0.05
			s.reasons = append(s.reasons, "named among the members a count includes")
			return s
		}
		j = k - 1
		if j < 0 {
			return s
		}
	}
	// a relative clause: "Britain, which voted in favour,"
	if toks[j].is("which", "who", "that") && j >= 2 && toks[j-1].is(",") {
		if l := x.listEndingAt(c, j-2); len(l.actors) > 0 {
			s.actors = l.actors
			s.reasons = append(s.reasons, "the subject of a relative clause")
			return s
		}
	}
	// a state or a list of states
	if l := x.listEndingAt(c, j); len(l.actors) > 0 {
		// "The US and Israel, along with eight other countries: Austria, …,
		// and Paraguay were": the states before "along with" too
		if l.start > 0 && toks[l.start-1].is(":") {
			for q := l.start - 2; q > 1 && q >= l.start-8; q-- {
				if toks[q].is("with") && toks[q-1].is("along", "together") && toks[q-2].is(",") {
					if h := x.listEndingAt(c, q-3); len(h.actors) > 0 {
						l.actors = append(h.actors, l.actors...)
						s.reasons = append(s.reasons, "and the states named before \"along with\"")
					}
					break
				}
			}
		}
		if f, ok := x.afterFronted(c, l, j); ok {
			// "In addition to Russia and China, the UAE voted against"
			s.actors = f
			s.reasons = append(s.reasons, "the subject after a fronted phrase of states")
			return s
		}
		object := l.start > 0 && (prepositions[toks[l.start-1].norm] || toks[l.start-1].is("'s", "a", "an")) ||
			l.start > 1 && toks[l.start-1].is("the") && prepositions[toks[l.start-2].norm]
		of := l.start - 1
		if of > 0 && toks[of].is("the") {
			of--
		}
		if object && of > 0 && toks[of].is("of", "from") && groupRoles[toks[of-1].norm] {
			// "the leaders of Spain, Ireland and Norway", "top diplomats from Egypt and Jordan"
			s.actors = l.actors
			s.reasons = append(s.reasons, "the leaders or ministers of the states named")
			return s
		}
		if object && of > 0 && toks[of].is("including", "like") && countBefore(toks, of-1) {
			// "Twenty-five countries, including Britain and Japan, published"
			s.actors = l.actors
			s.conf -= 0.05
			s.reasons = append(s.reasons, "named among the states a count is made of")
			return s
		}
		if object {
			s.noCount = true
			// an object or a modifier ("lead to a US veto"), unless it ends
			// an official's title ("the Ambassador of the Palestinian Territories")
			if a, ok := x.roleSubject(c, j); ok {
				s.actors = []events.Country{a}
				s.conf -= 0.05
				s.reasons = append(s.reasons, "an official speaking for the state")
			}
			return s
		}
		if k := l.start - 1; k >= 0 && toks[k].is("if", "unless", "whether", "lest") || k > 0 && toks[k].is("the") && toks[k-1].is("if", "unless", "whether", "lest") {
			s.blocked = true // "if the US vetoes"
			return s
		}
		if l.metonym {
			s.conf -= 0.05
			s.reasons = append(s.reasons, "a capital or government named for its state")
		}
		s.actors = l.actors
		return s
	}
	// "Russia at a meeting of the Council on Monday night vetoed": a
	// phrase between the subject and its verb
	if l := x.subjectAcross(c, j); len(l.actors) > 0 {
		s.actors, s.conf = l.actors, s.conf-0.05
		s.reasons = append(s.reasons, "the subject before a phrase that ends at the verb")
		return s
	}
	// "Somalia vowed to defend its territory and recalled its ambassador"
	if as := x.sharedSubject(c, j, m); len(as) > 0 {
		s.actors, s.conf = as, s.conf-0.05
		s.reasons = append(s.reasons, "the subject the verb shares with the clause's first verb")
		return s
	}
	// "the two countries", "both governments", "Both"
	if l := x.backReference(c, j); len(l) > 0 {
		s.actors = l
		s.conf -= 0.1
		s.reasons = append(s.reasons, "\""+toks[j].norm+"\" refers back to the states named just before")
		return s
	}
	// a pronoun
	if toks[j].is("it", "they") {
		actors, conf, why := x.antecedent(c, j)
		s.actors, s.conf = actors, s.conf+conf
		if why != "" {
			s.reasons = append(s.reasons, why)
		}
		return s
	}
	// "Japan was among 142 nations that voted in favour"
	// ("the only country that abstained"; a denial after a singular, "the
	// only member that has not approved", is a state of affairs, no stance)
	if toks[j].is("that", "which", "who") && j > 0 && (toks[j-1].is("those", "countries", "states", "nations", "members") || toks[j-1].is("country", "state", "nation", "member") && !negated) {
		j--
	}
	// "Hungary was the only country to oppose it", "the US was the lone member to vote against",
	// "Trinidad and Tobago became the latest country to recognise"
	// "the first major Western country to recognise", "the first EU member
	// state to": a few words of description before the noun
	d := j - 1
	for d > 2 && j-d < 4 && toks[d].kind == tWord && !isVerbish(toks[d]) && !prepositions[toks[d].norm] &&
		!toks[d].is("only", "sole", "lone", "latest", "first", "newest", "last", "the", "a", "an", "and") && !isRepeatOrdinal(toks[d].norm) {
		d--
	}
	if j > 2 && toks[j].is("country", "member", "state", "nation", "one", "countries", "members", "states", "nations", "ones") && d > 1 && (toks[d].is("only", "sole", "lone", "latest", "first", "newest", "last") || isRepeatOrdinal(toks[d].norm)) &&
		toks[d-1].is("the") && toks[d-2].is("was", "is", "were", "remained", "became", "becomes", "become") {
		e := d - 3
		if e > 0 && toks[e].is("has", "have", "had") {
			e-- // "Iceland has become the first … country to"
		}
		l := x.listEndingAt(c, e)
		if len(l.actors) == 0 {
			l = x.subjectAcross(c, e) // "Colombia on Wednesday became the last country to"
		}
		if len(l.actors) > 0 {
			s.actors = l.actors
			s.reasons = append(s.reasons, "the only state to take the stance")
			return s
		}
	}
	// "Bolivia was one more country that voted against", "Malta was another member to abstain"
	if d = j - 1; j > 2 && toks[j].is("country", "member", "state", "nation") && d > 1 {
		v := -1
		switch {
		case toks[d].is("more", "further") && toks[d-1].is("one", "a"):
			v = d - 2
		case toks[d].is("another") && toks[d-1].is("yet"):
			v = d - 2
		case toks[d].is("another"):
			v = d - 1
		}
		if v > 0 && toks[v].is("was", "is", "were", "became", "becomes") {
			if l := x.listEndingAt(c, v-1); len(l.actors) > 0 {
				s.actors = l.actors
				s.reasons = append(s.reasons, "one more state to take the stance")
				return s
			}
		}
	}
	// "China, Iraq, India and Iran were among those to abstain"
	if toks[j].is("those", "countries", "states", "nations", "members") && j > 0 {
		k := j - 1
		// "among 11 European Unesco members to": words of description
		for d := 0; d < 3 && k > 1 && toks[k].kind == tWord && !toks[k].is("among", "the") && !isVerbish(toks[k]) && !prepositions[toks[k].norm] && !c.hasEndAt(k); d++ {
			k--
		}
		for k > 0 && toks[k].is("the") || k > 0 && toks[k].kind == tNumber {
			k--
		}
		if toks[k].is("among") {
			if l := x.amongList(c, k); len(l.actors) > 0 {
				s.actors = l.actors
				s.reasons = append(s.reasons, "named among those who took the stance")
				return s
			}
		}
	}
	// an official: "Russia's ambassador to the UN, Vassily Nebenzia,"
	if as := x.roleSubjects(c, j); len(as) > 0 {
		s.actors = as
		s.conf -= 0.05
		s.reasons = append(s.reasons, "an official speaking for the state")
	}
	return s
}

// intentNouns name a state's own act before "to": "Russia's decision to
// recognize", "Turkey's refusal to ratify".
var intentNouns = map[string]bool{
	"decision": true, "move": true, "intention": true, "readiness": true, "willingness": true, "choice": true,
	"refusal": true, "determination": true, "pledge": true, "promise": true, "plan": true, "plans": true,
}

// alongsideAfter reads the states a list of agents from token k goes on
// with after "alongside", "along with" or "together with" and a few words
// of description ("tabled by the United States, alongside fellow
// permanent members France and the United Kingdom").
func (x *extraction) alongsideAfter(c *sctx, k int) []events.Country {
	toks := c.toks
	end := k
	for end < len(toks) && !toks[end].is(",", ".", ";") {
		end++
	}
	q := end + 1
	switch {
	case q < len(toks) && toks[q].is("alongside"):
		q++
	case q+1 < len(toks) && toks[q].is("along", "together") && toks[q+1].is("with"):
		q += 2
	default:
		return nil
	}
	for d := 0; d < 5 && q < len(toks); d, q = d+1, q+1 {
		if l := x.listStartingAt(c, q); len(l) > 0 {
			return l
		}
		if toks[q].kind != tWord || isVerbish(toks[q]) && !toks[q].is("the") || prepositions[toks[q].norm] {
			return nil
		}
	}
	return nil
}

// unMembership reports a sentence about membership of the United Nations,
// which a permanent member can veto in the Security Council.
func unMembership(toks []token) bool {
	for k, t := range toks {
		if t.is("un", "u.n", "u.n.") || t.is("united") && k+1 < len(toks) && toks[k+1].is("nations") {
			return true
		}
	}
	return false
}

// inMention reports a token inside the name of a state ("states" in "the
// United States").
func inMention(c *sctx, q int) bool {
	for _, m := range c.ments {
		if m.start <= q && q < m.end {
			return true
		}
	}
	return false
}

// joinVerbs take the states that share a stance: "A joined B in voting
// against", "A will follow B in backing out of the pact".
var joinVerbs = map[string]bool{
	"joined": true, "joins": true, "join": true, "joining": true,
	"followed": true, "follows": true, "follow": true, "following": true,
}

// joinedIn reads "A and B joined C in …" backwards from "in" at k: the
// subject of "join" and, when a list ends just before "in", the states
// joined ("joined Myanmar in voting against"); "joins several other
// countries in" gives the subject alone.
func (x *extraction) joinedIn(c *sctx, k int) []events.Country {
	toks := c.toks
	jn := -1
	for q := k - 1; q >= 0 && q >= k-10; q-- {
		if toks[q].is(",", ".", ";", ":", "(", ")") && !(toks[q].is(",") && q+1 < k && toks[q+1].is("such")) ||
			isVerbish(toks[q]) && !joinVerbs[toks[q].norm] && !toks[q].is("with") && !inMention(c, q) {
			break
		}
		if joinVerbs[toks[q].norm] {
			jn = q
			break
		}
		if toks[q].is("with") && q > 0 && toks[q-1].is("sided", "sides", "side", "siding") {
			// "siding with countries such as Iran and China in opposing"
			jn = q
			break
		}
	}
	if jn < 1 {
		return nil
	}
	j := jn - 1
	if toks[jn].is("with") {
		j = jn - 2
	}
	for j > 0 && (toks[j].is("will", "would", "could", "may", "might", "shall", "can", "to") || neutralChain[toks[j].norm] && !toks[j].is("the", "to", "in", "on") || strings.HasSuffix(toks[j].norm, "ly") && !c.hasEndAt(j)) {
		j--
	}
	subj := x.listEndingAt(c, j)
	if len(subj.actors) == 0 && j >= 0 && toks[j].is("they", "it") {
		// "Argentina and Uruguay announced Monday they were joining Brazil in recognising"
		if as, _, _ := x.antecedent(c, j); len(as) > 0 {
			subj = list{actors: as, start: j}
		}
	}
	if len(subj.actors) == 0 || subj.start > 0 && (prepositions[toks[subj.start-1].norm] || toks[subj.start-1].is("'s")) {
		subj = list{}
	}
	if jn+1 < k && (toks[jn].is("joined") && toks[jn+1].is("by") || toks[jn].is("with")) {
		// "Russia was joined by Bolivia in voting against": the agents
		// of the passive join the subject, named or not
		if l := x.listEndingAt(c, k-1); len(l.actors) > 0 && l.start > jn+1 {
			return append(subj.actors, l.actors...)
		}
	}
	if len(subj.actors) == 0 {
		return nil
	}
	out := subj.actors
	if l := x.listEndingAt(c, k-1); len(l.actors) > 0 && l.start > jn {
		out = append(out, l.actors...)
	}
	return out
}

// subjectAcross reads the states that begin a clause when a phrase of
// place, time or occasion stands between them and token j, the last
// before the verb: "Russia at a meeting of the Council on Monday night
// vetoed", "Colombia on Wednesday became".
func (x *extraction) subjectAcross(c *sctx, j int) list {
	toks := c.toks
	p := subjectBeforePhrase(c, j)
	if p < 0 {
		return list{}
	}
	l := x.listEndingAt(c, p)
	if len(l.actors) == 0 || l.start > 0 && !toks[l.start-1].is(",", ";", ":", "-", "and", "but", "while", "whereas", `"`) {
		return list{}
	}
	return l
}

// frontedWith open a clause with states that share its stance ("In
// addition to Russia and China, the UAE voted against"); frontedUnlike
// with states that do not ("Unlike Russia, China voted for it").
var (
	frontedWith   = [][]string{{"in", "addition", "to"}, {"like"}, {"along", "with"}, {"together", "with"}, {"besides"}, {"alongside"}, {"as", "with"}}
	frontedUnlike = [][]string{{"unlike"}, {"apart", "from"}, {"aside", "from"}, {"except"}, {"except", "for"}}
)

// afterFronted reads a list that a fronted phrase begins ("In addition
// to Russia and China, the UAE", "Unlike Russia, China"): the states
// after the phrase's comma are the subject, with those inside the phrase
// when it shares their stance. ok is false when the list has no such
// phrase before it.
func (x *extraction) afterFronted(c *sctx, l list, j int) ([]events.Country, bool) {
	toks := c.toks
	opens := func(set [][]string) bool {
		for _, ws := range set {
			k := l.start - len(ws)
			if k < 0 || k != clauseStart(toks, l.start) && (k == 0 || !toks[k-1].is(",", "-", `"`)) {
				continue
			}
			match := true
			for i, w := range ws {
				match = match && toks[k+i].is(w)
			}
			if match {
				return true
			}
		}
		return false
	}
	with := opens(frontedWith)
	if !with && !opens(frontedUnlike) {
		return nil, false
	}
	comma := -1
	for q := j; q > l.start; q-- {
		if toks[q].is(",") && !(q+1 < len(toks) && toks[q+1].is("and")) {
			comma = q
			break
		}
	}
	if comma < 0 {
		return nil, false
	}
	tail := x.listStartingAt(c, comma+1)
	if len(tail) == 0 || len(tail) >= len(l.actors) {
		return nil, false
	}
	if with {
		return l.actors, true
	}
	return tail, true
}

// phraseStarts begin a phrase of place, time or occasion that may stand
// between a subject and its verb.
var phraseStarts = map[string]bool{"at": true, "during": true, "in": true, "on": true, "after": true, "before": true, "following": true}

// subjectBeforePhrase returns where a state ends when a phrase of place,
// time or occasion, without a verb or a comma, stands between it and the
// verb chain that ends at j ("Russia at a meeting of the Security
// Council on Monday night vetoed"); -1 when there is none.
func subjectBeforePhrase(c *sctx, j int) int {
	toks := c.toks
	for p := j; p > 0 && p >= j-12; p-- {
		t := toks[p]
		if t.kind == tPunct || isVerb(t) {
			return -1
		}
		if phraseStarts[t.norm] && c.hasEndAt(p-1) {
			return p - 1
		}
	}
	return -1
}

// clauseWords open a clause inside a verb phrase; a verb after "and"
// past one of them may belong to that clause's subject.
var clauseWords = map[string]bool{
	"that": true, "which": true, "who": true, "whom": true, "whose": true, "if": true, "unless": true,
	"because": true, "when": true, "although": true, "though": true, "whereas": true, "where": true,
}

// sharedSubject reads the subject a second verb phrase shares with the
// clause's first when the trigger follows "and" without a subject of its
// own (j is the "and"): "Somalia vowed to defend its territory and
// recalled its ambassador". The trigger must be finite ("recalled",
// "signs"): after "urged Israel to halt the offensive and accept" the
// subject is another state. A state named between the two verbs, other
// than as the object of a preposition, may be the subject instead, so
// nothing is read then.
func (x *extraction) sharedSubject(c *sctx, j int, m match) []events.Country {
	toks := c.toks
	w := toks[m.start].norm
	if j < 2 || !toks[j].is("and") || toks[j-1].is(",") || !(strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "s")) {
		return nil
	}
	cs := clauseStart(toks, j)
	v := -1
	for q := cs; q < j; q++ {
		if toks[q].kind == tWord && isVerb(toks[q]) && !inMention(c, q) {
			v = q
			break
		}
	}
	if v <= cs {
		return nil
	}
	for q := v + 1; q < j; q++ {
		if clauseWords[toks[q].norm] {
			return nil
		}
		if mi, ok := c.endAt[q]; ok {
			if st := c.ments[mi].start; st > 0 && !prepositions[toks[st-1].norm] && !toks[st-1].is("'s", "its", "their") {
				return nil
			}
		}
	}
	e := v - 1
	for e > cs && (neutralChain[toks[e].norm] && !toks[e].is("the", "to", "in", "on") || strings.HasSuffix(toks[e].norm, "ly") && !c.hasEndAt(e)) {
		e--
	}
	l := x.listEndingAt(c, e)
	if len(l.actors) == 0 {
		l = x.subjectAcross(c, e)
	}
	if len(l.actors) > 0 {
		if l.start > cs+1 && !(l.start == cs+2 && toks[cs].is(`"`)) {
			return nil
		}
		return l.actors
	}
	return x.roleSubjects(c, e)
}

// roleAgents reads the states of officials named as the agents of a
// passive from token k, each part of an "and" on its own ("signed by
// Ethiopian Prime Minister Abiy Ahmed and Somaliland leader Muse Bihi
// Abdi": Somaliland is no state, Ethiopia counts).
func (x *extraction) roleAgents(c *sctx, k int) []events.Country {
	toks := c.toks
	var out []events.Country
	from := k
	for e := k; e <= len(toks) && e < k+20; e++ {
		end := e == len(toks) || toks[e].is(",", ".", ";", `"`, "(", ")") || isVerb(toks[e])
		if end || toks[e].is("and") {
			if e > from {
				for _, a := range x.roleSubjects(c, e-1) {
					if !slices.Contains(out, a) {
						out = append(out, a)
					}
				}
			}
			from = e + 1
		}
		if end {
			break
		}
	}
	return out
}

package news

import (
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// statementNouns name what signatories put their names to.
var statementNouns = map[string]bool{
	"statement": true, "declaration": true, "communique": true, "communiqué": true, "letter": true,
}

// jointWords before a statement noun make it a joint one.
var jointWords = map[string]bool{"joint": true, "common": true, "trilateral": true, "collective": true}

// signatories finds the states that put their names to a joint statement
// in shapes a verb trigger does not read:
//
//	"in a joint statement, the foreign ministers of X and Y said …"
//	"X and Y, in a joint statement, said …"
//	"the statement, signed by X, Y and Z, …", "was issued by X and Y"
//	"according to a joint statement by X and Y", "Joint statement of the
//	leaders of X, Y and Z" (a title)
//
// Each names two states or more; each supports what the statement says.
func (x *extraction) signatories(c *sctx) {
	toks := c.toks
	for k := 0; k < len(toks); k++ {
		if !statementNouns[toks[k].norm] {
			continue
		}
		joint := k > 0 && jointWords[toks[k-1].norm] || k > 1 && jointWords[toks[k-2].norm]
		var actors []events.Country
		end := k + 1
		switch {
		// "joint statement by|from|of (the foreign ministers of) X and Y"
		case joint && k+1 < len(toks) && toks[k+1].is("by", "from", "of", "between"):
			actors, end = x.groupListAt(c, k+2)
		// "a statement that the leaders of X, Y and Z issued"
		case k+3 < len(toks) && toks[k+1].is("that", "which"):
			if l, e := x.groupListAt(c, k+2); len(l) >= 2 && e < len(toks) && toks[e].is("issued", "signed", "released", "adopted", "published", "agreed", "sent") {
				actors, end = l, e+1
			}
		// "the statement, signed by X, Y", "the statement was issued by"
		case k+2 < len(toks):
			q := k + 1
			for q < len(toks) && q < k+4 && toks[q].is(",", "was", "were", "has", "had", "been", "is", "jointly", "also") {
				q++
			}
			if q+1 < len(toks) && toks[q].is("signed", "issued", "released", "endorsed", "co-signed", "cosigned", "backed", "agreed", "adopted") && toks[q+1].is("by") {
				actors, end = x.groupListAt(c, q+2)
				// "issued by the high representative of the EU and the
				// foreign ministers of A, B and C": a group after "and"
				for r := q + 2; len(actors) < 2 && r < len(toks) && r < q+14 && !toks[r].is(".", ";"); r++ {
					if toks[r].is("and") {
						actors, end = x.groupListAt(c, r+1)
					}
				}
			}
		}
		// "in a joint statement, the ministers of X and Y said"; "X and Y,
		// in a joint statement, said"
		if len(actors) < 2 && joint && k >= 3 && toks[k-3].is("in") || len(actors) < 2 && joint && k >= 4 && toks[k-4].is("in") && toks[k-3].is("a", "their") {
			in := k - 3
			if !toks[in].is("in") {
				in = k - 4
			}
			if k+1 < len(toks) && toks[k+1].is(",") {
				actors, end = x.groupListAt(c, k+2)
				if !predicateAt(toks, end) {
					actors = nil
				}
			}
			if len(actors) < 2 && in > 0 && toks[in-1].is(",") && k+1 < len(toks) && toks[k+1].is(",") && predicateAt(toks, k+2) {
				if l := x.listEndingAt(c, in-2); len(l.actors) >= 2 {
					actors = l.actors
				}
			}
		}
		// "Top diplomats from A, B and C rejected …, according to a joint
		// statement": the sentence's subject, a group of states' officials
		if len(actors) < 2 && joint && k >= 4 && toks[k-3].is("to") && toks[k-4].is("according") && !(k+1 < len(toks) && toks[k+1].is("by", "from", "of")) {
			q := 0
			for q < k && toks[q].is("top", "senior", "the") {
				q++
			}
			if q < k && (groupRoles[toks[q].norm] || roleWords[toks[q].norm]) {
				if l, e := x.groupListAt(c, q); len(l) >= 2 && predicateAt(toks, e) {
					actors = l
				}
			}
		}
		if len(actors) < 2 || blockedBefore(toks, k, 6) {
			continue
		}
		conf := 0.8
		if x.lower && !joint {
			conf = 0.75
		}
		x.record(c, match{start: max(0, k-1), end: min(end, len(toks))}, events.Support, conf, actors, "a signatory of a joint statement")
		k = end - 1
	}
}

// groupListAt reads the states of "(the) (foreign ministers|leaders|
// governments) (of|from) X, Y and Z" from token k, and returns them with
// the token after the list.
func (x *extraction) groupListAt(c *sctx, k int) ([]events.Country, int) {
	toks := c.toks
	q := k
	if q < len(toks) && toks[q].is("the") {
		q++
	}
	roles := 0
	for q < len(toks) && roles < 4 && (roleWords[toks[q].norm] || groupRoles[toks[q].norm] || toks[q].is("affairs", "and", "heads", "state")) {
		q++
		roles++
	}
	if roles > 0 {
		if q >= len(toks) || !toks[q].is("of", "from") {
			return nil, k
		}
		q++
	}
	l, end := x.scanList(c, q)
	// demonyms before a role: "the Japanese, US and South Korean ministers"
	if len(l) == 0 {
		return nil, k
	}
	return l, end
}

// predicateAt reports a verb at token k, or after an appositive: what
// follows a subject.
func predicateAt(toks []token, k int) bool {
	if k < len(toks) && toks[k].is(",") {
		for k++; k < len(toks) && !toks[k].is(","); k++ {
		}
		k++
	}
	return k < len(toks) && (isVerbish(toks[k]) || toks[k].kind == tWord && (len(toks[k].norm) > 3 && toks[k].norm[len(toks[k].norm)-2:] == "ed" || toks[k].is("reaffirmed", "urged", "condemned", "called", "welcomed", "expressed", "said", "stressed", "noted", "rejected", "reiterated")))
}

// backRefNouns head a noun phrase that refers back to states named
// before: "the two countries", "both governments", "the three leaders".
var backRefNouns = map[string]bool{
	"countries": true, "governments": true, "nations": true, "states": true, "leaders": true, "ministers": true,
	"allies": true, "partners": true, "neighbours": true, "neighbors": true, "capitals": true,
}

// backReference resolves "the two countries", "both governments", "the
// three foreign ministers" or a bare "Both" ending at token j to a list of
// exactly that many states: the last such list in this sentence before j,
// else in the sentence before. A number that no list matches gives
// nothing.
func (x *extraction) backReference(c *sctx, j int) []events.Country {
	toks := c.toks
	n := 0
	switch {
	case toks[j].is("both") && (j == 0 || toks[j-1].is(",", "and", "but")):
		n = 2
	case numberWords[toks[j].norm] >= 2 && numberWords[toks[j].norm] <= 12 && j > 0 && toks[j-1].is("the", "these", "those") &&
		!toks[j].is("several", "many", "multiple", "numerous", "dozens", "repeated", "successive"):
		n = numberWords[toks[j].norm] // "The two argued that …"
	case backRefNouns[toks[j].norm]:
		for k := j - 1; k >= 0 && k >= j-3; k-- {
			if toks[k].is("both") {
				n = 2
				break
			}
			if v, ok := numberWords[toks[k].norm]; ok && toks[k].norm != "several" && toks[k].norm != "many" && toks[k].norm != "multiple" && toks[k].norm != "numerous" && toks[k].norm != "dozens" && toks[k].norm != "repeated" && toks[k].norm != "successive" {
				n = v
				if k == 0 || !toks[k-1].is("the", "these", "those", "all") {
					n = 0 // "two countries" is new states, "the two countries" those named
				}
				break
			}
			if !toks[k].is("foreign", "prime", "european", "nordic", "western", "asian", "arab", "allied") {
				break
			}
		}
	}
	if n < 2 {
		return nil
	}
	find := func(s *sctx, before int) []events.Country {
		for i := len(s.ments) - 1; i >= 0; i-- {
			m := s.ments[i]
			if m.end > before {
				continue
			}
			if l := x.listEndingAt(s, m.end-1); len(l.actors) == n {
				return l.actors
			} else if len(l.actors) > 1 {
				i -= len(l.actors) - 1
			}
		}
		return nil
	}
	if l := find(c, j); l != nil {
		return l
	}
	if c.index > 0 {
		return find(x.sents[c.index-1], len(x.sents[c.index-1].toks))
	}
	return nil
}

// jointArticle reports an article about a joint statement (its title or
// one of its sentences names one: "joint statement", "common
// declaration"), and one that speaks of a statement at all.
func (x *extraction) jointArticle() (joint, statement bool) {
	title := strings.ToLower(x.a.Title)
	for w := range jointWords {
		for n := range statementNouns {
			if strings.Contains(title, w+" "+n) {
				return true, true
			}
		}
	}
	for _, c := range x.sents {
		for k, t := range c.toks {
			if statementNouns[t.norm] {
				statement = true
				if k > 0 && jointWords[c.toks[k-1].norm] {
					return true, true
				}
			}
		}
	}
	return false, statement
}

// groupNounAt returns where a noun of a group of states ("countries",
// "nations", "governments") stands when at most two words come before it
// from token k ("Twelve countries", "European countries", "22 Western
// nations"); k when there is none.
func groupNounAt(toks []token, k int) int {
	for q := k; q < len(toks) && q <= k+2; q++ {
		if countNouns[toks[q].norm] && !toks[q].is("those", "others", "member", "participants") {
			return q
		}
		if toks[q].kind != tWord && toks[q].kind != tNumber || isVerbish(toks[q]) && !toks[q].is("the") || prepositions[toks[q].norm] {
			return k
		}
	}
	return k
}

// afterCredit returns where a sentence's own words begin after a wire
// credit or dateline ("(Bloomberg) --", "WASHINGTON (Reuters) -": after
// the dash, when the words before it name no state and hold no verb) or
// after an opening phrase that names a statement ("In a letter to the
// Council,"); 0 when there is none.
func afterCredit(c *sctx) int {
	toks := c.toks
	if len(toks) > 2 && toks[0].is("in") {
		// "In a letter to the UN Human Rights Council, A, B and C called"
		named := false
		for k := 1; k < len(toks) && k < 16; k++ {
			named = named || statementNouns[toks[k].norm]
			if toks[k].is(",") {
				if named {
					return k + 1
				}
				break
			}
		}
	}
	for k := 0; k < len(toks) && k < 8; k++ {
		if toks[k].is("-", ":") {
			for k+1 < len(toks) && toks[k+1].is("-") {
				k++
			}
			return k + 1
		}
		if c.hasEndAt(k) || isVerbish(toks[k]) && !toks[k].is("the") {
			return 0
		}
	}
	return 0
}

// countIncludes reads "(The) 12 countries (also) include A, B and C" from
// token k: the states a count of signatories includes.
func (x *extraction) countIncludes(c *sctx, k int) []events.Country {
	toks := c.toks
	if k < len(toks) && toks[k].is("the") {
		k++
	}
	if k+2 >= len(toks) || !isCount(toks[k]) || !countNouns[toks[k+1].norm] {
		return nil
	}
	k += 2
	if toks[k].is("also") {
		k++
	}
	if k+1 >= len(toks) || !toks[k].is("include", "included", "includes", "are", "were") {
		return nil
	}
	l, _ := x.scanList(c, k+1)
	return l
}

// statementVerbs say what the signatories of a statement did in it.
var statementVerbs = map[string]bool{
	"condemned": true, "condemn": true, "condemns": true, "urged": true, "urge": true, "urges": true,
	"called": true, "call": true, "calls": true, "demanded": true, "demand": true, "demands": true,
	"reaffirmed": true, "reaffirm": true, "reaffirms": true, "stressed": true, "stress": true, "stresses": true,
	"expressed": true, "express": true, "expresses": true, "welcomed": true, "welcome": true, "welcomes": true,
	"rejected": true, "reject": true, "rejects": true, "reiterated": true, "reiterate": true, "emphasized": true,
	"emphasised": true, "voiced": true, "agreed": true, "underlined": true, "underscored": true, "warned": true,
	"pledged": true, "released": true, "issued": true, "published": true, "signed": true, "affirmed": true,
	"denounced": true, "deplored": true, "insisted": true, "declared": true, "said": true, "say": true, "says": true,
}

// jointSubjects reads, in an article about a joint statement, two states
// or more as the subject of what a statement says ("Canada, Australia and
// New Zealand condemned …", "Top diplomats from A, B and C rejected …",
// "Twelve countries including A, B and C have condemned …"): each
// supports what the statement says. Not what they say of a statement
// ("rejected the statement"): that is a reaction to it.
func (x *extraction) jointSubjects(c *sctx) {
	toks := c.toks
	if !x.joint && !x.statement || len(toks) < 4 {
		return
	}
	k := afterCredit(c)
	if l := x.countIncludes(c, k); len(l) >= 2 && x.joint {
		// "The 12 countries also include Albania, Ecuador and France."
		x.record(c, match{start: k, end: k + 1}, events.Support, 0.65, l, "named among the states of a joint statement")
		return
	}
	if n := groupNounAt(toks, k); n > k {
		// "Twelve countries including …", "European countries including …"
		k = n + 1
		if k < len(toks) && toks[k].is(",") {
			k++
		}
		if k >= len(toks) || !toks[k].is("including", "among", "like") {
			return
		}
		k++
	}
	actors, v := x.groupListAt(c, k)
	if len(actors) < 2 || !x.joint && len(actors) < 3 {
		// without "joint statement", three states or more acting
		// together in an article about a statement
		return
	}
	for v < len(toks) && (toks[v].is("have", "has", "had", "also", "jointly", "all", "together", "both", ",") || skipAdverbial(toks, v) > v) {
		if a := skipAdverbial(toks, v); a > v {
			v = a
			continue
		}
		v++
	}
	if v >= len(toks) || !statementVerbs[toks[v].norm] || blockedBefore(toks, v, 3) ||
		!x.joint && toks[v].is("said", "say", "says", "declared", "agreed", "insisted") {
		// "A, B and C said they would recognise …" is read by the verb
		// after "said", not as a statement
		return
	}
	for q := v + 1; q < len(toks) && q < v+4; q++ {
		if statementNouns[toks[q].norm] || toks[q].is("it", "them") {
			return // a reaction to a statement, not its words
		}
	}
	x.record(c, match{start: v, end: v + 1}, events.Support, 0.65, actors, "a joint statement's states, the subject of what it says")
}

package news

import "github.com/stancewatch/stancewatch/events"

// bulletItem is a state alone on a line of a list: "- Algeria",
// "• The Dominican Republic", "- And Trinidad and Tobago".
type bulletItem struct {
	country events.Country
	sent    int
}

// isHeader reports a sentence that heads a list: it ends with a colon
// ("Against:", "They are:"), or without a full stop on the line before
// a list line ("Countries that abstained" then "- Algeria").
func (x *extraction) isHeader(c *sctx) bool {
	n := len(c.toks)
	if n == 0 {
		return false
	}
	if c.toks[n-1].is(":") {
		return true
	}
	return !c.toks[n-1].is(".", "!", "?", `"`, ",", ";") && c.index+1 < len(x.sents) && isBullet(x.sents[c.index+1].toks, 0)
}

// bulletsAfter reads the list lines that follow sentence i, one state a
// line. A line that is not a single state ends the list; so does a
// second header.
func (x *extraction) bulletsAfter(i int) []bulletItem {
	var out []bulletItem
	for s := i + 1; s < len(x.sents); s++ {
		c := x.sents[s]
		toks := c.toks
		if len(toks) < 2 || !isBullet(toks, 0) && !(toks[0].line || toks[0].para) {
			break
		}
		k := 0
		if isBullet(toks, 0) {
			k++
		}
		if k < len(toks) && toks[k].is("and", "&") {
			k++
		}
		mi, ok := x.mentionAt(c, k)
		if !ok || c.ments[mi].kind == mDemonym {
			break
		}
		if l := x.lineList(c, k); len(l) > 1 {
			// "No - 9:" then "Canada, Czech Republic, Israel, …" on one line
			for _, a := range l {
				out = append(out, bulletItem{country: a, sent: s})
			}
			// a list line cut by an abbreviation's full stop ("Dem. Rep. of Congo") goes on
			for s+1 < len(x.sents) && !x.sents[s+1].toks[0].line && !x.sents[s+1].toks[0].para {
				n := x.sents[s+1]
				l := x.lineList(n, 0)
				if len(l) == 0 {
					break
				}
				for _, a := range l {
					out = append(out, bulletItem{country: a, sent: s + 1})
				}
				s++
			}
			continue
		}
		m := c.ments[mi]
		e := m.end
		if e < len(toks) && toks[e].is("(") { // "Republic of Korea (South Korea)"
			for e < len(toks) && e < m.end+8 && !toks[e].is(")") {
				e++
			}
			e++
		}
		for e < len(toks) && toks[e].is(".", ",", ";") {
			e++
		}
		if e < len(toks) {
			break
		}
		out = append(out, bulletItem{country: m.country, sent: s})
	}
	return out
}

// headerBullets gives the states listed under sentence c when c is a
// list's header, or when the sentence after it is a short header that
// refers back to c's count ("Fourteen Caribbean nations now recognise
// the State of Palestine. They are:").
func (x *extraction) headerBullets(c *sctx) []bulletItem {
	if x.isHeader(c) {
		return x.bulletsAfter(c.index)
	}
	if c.index+1 < len(x.sents) {
		n := x.sents[c.index+1]
		if x.isHeader(n) && len(n.toks) <= 5 && n.toks[0].is("they", "these", "those", "namely", "the", "including", "include") {
			return x.bulletsAfter(n.index)
		}
		// "Nine countries signed it. Among them are: Guatemala, Argentina and Peru."
		k := 0
		switch {
		case len(n.toks) > 3 && n.toks[0].is("among") && n.toks[1].is("them", "these", "those") && n.toks[2].is("are", "were"):
			k = 3
		case len(n.toks) > 2 && n.toks[0].is("they", "these") && n.toks[1].is("are", "were", "include", "included"):
			k = 2
		}
		if k > 0 {
			if n.toks[k].is(":") {
				k++
			}
			var out []bulletItem
			for _, a := range x.lineList(n, k) {
				out = append(out, bulletItem{country: a, sent: n.index})
			}
			if len(out) > 1 {
				return out
			}
		}
	}
	return nil
}

// bulletCountries are the states of a list's items.
func bulletCountries(items []bulletItem) []events.Country {
	out := make([]events.Country, len(items))
	for i, b := range items {
		out[i] = b.country
	}
	return out
}

// quoteItems makes each candidate of a list quote its own line.
func (x *extraction) quoteItems(f []candidate, items []bulletItem) {
	for k := range f {
		for _, b := range items {
			if b.country == f[k].Actor {
				// from the header to the item, so the trigger is quoted too
				start, end := x.sents[f[k].sent].start, x.sents[b.sent].end
				if end-start > MaxEvidence || start > f[k].Offset {
					break
				}
				f[k].Evidence, f[k].Offset = x.a.Text[start:end], start
				f[k].Reasons = append(f[k].Reasons, "an item of a list under a header")
				break
			}
		}
	}
}

// headerEnds reports that sentence c heads a list and ends at k, after
// an optional count: "Against:", "In favour (13):", "Abstaining were:",
// "Countries that abstained".
func (x *extraction) headerEnds(c *sctx, k int) bool {
	toks := c.toks
	if k < len(toks) && toks[k].is("(") {
		for k < len(toks) && !toks[k].is(")") {
			k++
		}
		k++
	}
	if k+1 < len(toks) && toks[k].is("-") && toks[k+1].kind == tNumber { // "No - 9:"
		k += 2
	}
	if k < len(toks) && toks[k].is("were", "are", "was") {
		k++
	}
	if k < len(toks) && toks[k].is(":") {
		k++
	}
	return k == len(toks) && x.isHeader(c)
}

// lineList reads a line that is nothing but a list of states from token k:
// no verb, and every item a state or a few words of one the lexicon does
// not know ("Bosnia/Herzegovina").
func (x *extraction) lineList(c *sctx, k int) []events.Country {
	toks := c.toks
	if hasFiniteVerb(toks[k:]) {
		return nil
	}
	l, last := x.scanList(c, k)
	for q := last; q < len(toks); q++ {
		if !toks[q].is(".", ",", ";") && toks[q].kind != tWord {
			return nil
		}
	}
	if len(toks)-last > 6 {
		return nil
	}
	return l
}

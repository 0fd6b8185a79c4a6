package news

// sentence is a span of tokens whose bytes are quoted as evidence.
type sentence struct {
	toks       []token
	start, end int // byte span in the file
	index      int // position in the article
}

// abbreviations end with a dot that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true, "gen": true,
	"col": true, "lt": true, "sgt": true, "capt": true, "cmdr": true, "adm": true, "rep": true, "sen": true,
	"gov": true, "prof": true, "rev": true, "amb": true, "no": true, "nos": true, "vs": true, "etc": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "jan": true, "feb": true, "mar": true, "apr": true,
	"jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"art": true, "dem": true, "para": true, "op": true, "approx": true, "dept": true, "est": true, "fig": true,
}

// maxSentenceTokens bounds a sentence: text without full stops (a list, a
// table, a fuzzer's output) is cut at a comma or semicolon past softLimit,
// and anywhere past the hard limit, so that evidence stays readable and
// work per trigger stays bounded.
const (
	softSentenceTokens = 320
	hardSentenceTokens = 640
)

// splitSentences groups tokens into sentences and marks quoted tokens.
// lower says the copy is lowercased, so capitals cannot mark a new
// sentence.
func splitSentences(toks []token, lower bool) []sentence {
	var out []sentence
	inQuote := false
	begin := 0
	emit := func(end int) {
		if end > begin {
			s := sentence{toks: toks[begin:end], index: len(out)}
			s.start, s.end = s.toks[0].start, s.toks[len(s.toks)-1].end
			out = append(out, s)
		}
		begin = end
	}
	lineStart := 0
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.para || t.line && i > begin && (isBullet(toks, i) || isBullet(toks, begin) || paragraphLine(toks, lineStart, i, lower)) {
			// a blank line, a list line ("- Algeria"), or the end of a
			// paragraph that lost its full stop ends a sentence
			emit(i)
			inQuote = false
		}
		if t.line || t.para {
			lineStart = i
		}
		if t.kind == tPunct && t.norm == `"` {
			opening := !inQuote
			inQuote = !inQuote
			if opening {
				t.quoted = true
			}
		}
		t.quoted = t.quoted || inQuote
		n := i - begin + 1
		if n >= hardSentenceTokens || n >= softSentenceTokens && t.kind == tPunct && (t.norm == ";" || t.norm == ",") {
			emit(i + 1)
			continue
		}
		if t.kind != tPunct || (t.norm != "." && t.norm != "!" && t.norm != "?" && t.norm != "...") {
			continue
		}
		if i > 0 && t.norm == "." && abbreviations[toks[i-1].norm] && toks[i-1].end == t.start {
			continue
		}
		if i > 0 && i+1 < len(toks) && toks[i-1].kind == tNumber && toks[i+1].kind == tNumber && !toks[i+1].para {
			continue // "2 . 3 million"
		}
		end := i + 1
		// closing quotes and brackets stay with the sentence they close
		for end < len(toks) && !toks[end].para && toks[end].kind == tPunct &&
			(toks[end].norm == `"` && inQuote || toks[end].norm == ")" || toks[end].norm == "'" && toks[end].start == toks[end-1].end) {
			if toks[end].norm == `"` {
				inQuote = false
				toks[end].quoted = true
			}
			end++
		}
		if !lower && end < len(toks) && !toks[end].para {
			next := toks[end]
			if next.kind == tWord && !next.upper && next.norm != "'s" {
				continue // "e.g. the", a lower-case word cannot start a sentence in prose
			}
		}
		emit(end)
		i = end - 1
	}
	emit(len(toks))
	return out
}

// isLowercased reports whether the copy has been lowercased: almost no
// capital letters among many letters.
func isLowercased(toks []token) bool {
	words, upper := 0, 0
	for _, t := range toks {
		if t.kind == tWord {
			words++
			if t.upper {
				upper++
			}
		}
	}
	return words >= 10 && upper*100 < words
}

// isBullet reports a list line's marker at token i: "-", "•" or "*" at
// the start of a line.
func isBullet(toks []token, i int) bool {
	t := toks[i]
	return (i == 0 || t.line) && t.kind == tPunct && (t.norm == "-" || t.norm == "•" || t.norm == "*" || t.norm == "·" || t.norm == "▪")
}

// wrapWidth is the longest line of hard-wrapped copy: a line longer than
// this is a paragraph of its own, not a wrapped part of one.
const wrapWidth = 100

// paragraphLine reports that the line [from, i) is a paragraph whose
// full stop was lost ("It received 12 votes in favour in the 15-member
// Council⏎There are currently …"): longer than wrapped copy's lines, not
// ending on a comma or a word that continues it, and, in prose, followed
// by a capital.
func paragraphLine(toks []token, from, i int, lower bool) bool {
	if i == 0 || toks[i-1].end-toks[from].start <= wrapWidth {
		return false
	}
	last := toks[i-1]
	if last.kind == tPunct && last.norm != ")" && last.norm != `"` || last.is("and", "or", "the", "a", "an", "of", "to", "in", "by", "with", "for") {
		return false
	}
	return lower || toks[i].upper
}

package news

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is what a token is.
type tokKind uint8

const (
	tWord   tokKind = iota + 1 // letters, digits, inner hyphens: "ceasefire", "thomas-greenfield"
	tNumber                    // "4,000", "1.4", "14"
	tSymbol                    // a UN document symbol: "S/2024/239", "S/RES/2728"
	tPunct                     // everything else, one rune each; quotes straightened
)

// token is one unit of an article. Its span is in the bytes of the file,
// so evidence is quoted exactly as it stands.
type token struct {
	norm       string // lower case; curly quotes straight; "'s" and "n't" split off
	start, end int
	kind       tokKind
	upper      bool // the original begins with an upper-case letter
	allUpper   bool // the original is all upper case and at least two letters ("US", "UK")
	para       bool // a blank line comes before it
	line       bool // a line break comes before it
	quoted     bool // inside a quotation
}

func (t token) is(words ...string) bool {
	for _, w := range words {
		if t.norm == w {
			return true
		}
	}
	return false
}

var symbolRE = regexp.MustCompile(`^[Ss]/(?:[Rr][Ee][Ss]/\d{1,5}(?:\s?\(\d{4}\))?|\d{4}/\d{1,5}(?:/[A-Za-z0-9.]+)?)`)

// tokenize splits text into tokens. base is the byte offset of text in
// its file.
func tokenize(text string, base int) []token {
	toks := make([]token, 0, len(text)/5)
	newlines := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			newlines++
			i += size
			continue
		case unicode.IsSpace(r) || r == utf8.RuneError && size <= 1 && !utf8.FullRuneInString(text[i:]) || unicode.IsControl(r):
			i += size
			continue
		}
		para, line := newlines >= 2, newlines >= 1
		newlines = 0
		start := i
		var t token
		switch {
		case (r == 'S' || r == 's') && i+1 < len(text) && text[i+1] == '/':
			if m := symbolRE.FindString(text[i:]); m != "" {
				t = token{norm: strings.ToUpper(m), kind: tSymbol}
				i += len(m)
				break
			}
			fallthrough
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			i = scanWord(text, i)
			w := text[start:i]
			t = token{norm: normWord(w), kind: tWord}
			if isNumber(w) {
				t.kind = tNumber
			}
			first, _ := utf8.DecodeRuneInString(w)
			t.upper = unicode.IsUpper(first)
			t.allUpper = isAllUpper(w)
		default:
			i += size
			t = token{norm: normPunct(r), kind: tPunct}
		}
		t.start, t.end, t.para, t.line = base+start, base+i, para, line
		toks = append(toks, t)
	}
	return mergeClitics(toks)
}

// scanWord returns the end of the word that starts at i: letters, digits
// and marks, with inner hyphens, inner dots in abbreviations ("U.S.") and
// inner separators in numbers ("31,988", "1.4").
func scanWord(text string, i int) int {
	digits := true
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsMark(r):
			digits = false
			i += size
		case unicode.IsDigit(r):
			i += size
		case (r == '-' || r == '\u2011') && i+size < len(text) && isAlnumAt(text, i+size) && i > 0:
			i += size
		case (r == ',' || r == '.') && digits && i+1 < len(text) && isDigitAt(text, i+1):
			i++
		case r == '.' && !digits && i+1 < len(text) && isAbbrevDot(text, i):
			i++
			// consume the final dot of "U.S." too
			if i+1 < len(text) && text[i+1] == '.' && unicode.IsUpper(rune(text[i])) {
				i += 2
				return i
			}
		default:
			return i
		}
	}
	return i
}

// isAbbrevDot: text[i] is a dot inside an abbreviation of single letters,
// such as the first dot of "U.S." or "D.C.".
func isAbbrevDot(text string, i int) bool {
	if i < 1 || i+2 >= len(text) {
		return false
	}
	prev, next, after := rune(text[i-1]), rune(text[i+1]), text[i+2]
	single := i < 2 || !unicode.IsLetter(rune(text[i-2]))
	return single && unicode.IsUpper(prev) && unicode.IsUpper(next) && after == '.'
}

func isAlnumAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isDigitAt(s string, i int) bool { return s[i] >= '0' && s[i] <= '9' }

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != ',' && r != '.' {
			return false
		}
	}
	return true
}

func isAllUpper(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 2
}

func normWord(w string) string {
	w = strings.ToLower(w)
	if strings.ContainsRune(w, '.') && !isNumber(w) {
		w = strings.ReplaceAll(w, ".", "")
	}
	if strings.ContainsRune(w, '\u2011') {
		w = strings.ReplaceAll(w, "\u2011", "-")
	}
	return w
}

func normPunct(r rune) string {
	switch r {
	case '“', '”', '„', '«', '»', '″':
		return `"`
	case '‘', '’', '`', '´', '′':
		return "'"
	case '–', '—', '‒', '−':
		return "-"
	case '…':
		return "..."
	}
	return string(r)
}

// mergeClitics joins the possessive and the negative clitic, written
// either way: "israel's", "israel ' s", "didn't", "did n't".
func mergeClitics(toks []token) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tPunct && t.norm == "'" && len(out) > 0 && i+1 < len(toks) && toks[i+1].kind == tWord && out[len(out)-1].kind != tPunct {
			next := toks[i+1]
			prev := &out[len(out)-1]
			switch {
			case next.norm == "s" && !toks[i+1].para:
				out = append(out, token{norm: "'s", start: t.start, end: next.end, kind: tWord, quoted: t.quoted})
				i++
				continue
			case next.norm == "t" && strings.HasSuffix(prev.norm, "n") && len(prev.norm) > 1:
				// "didn't": "did" + "n't"; the n stays in the first token's span
				// only when the text is "didn ' t"; either way "n't" is the clitic.
				prev.norm = strings.TrimSuffix(prev.norm, "n")
				if prev.norm == "ca" {
					prev.norm = "can"
				} else if prev.norm == "wo" {
					prev.norm = "will"
				}
				prev.end--
				out = append(out, token{norm: "n't", start: prev.end, end: next.end, kind: tWord})
				i++
				continue
			case next.is("ll", "re", "ve", "d", "m"):
				out = append(out, token{norm: "'" + next.norm, start: t.start, end: next.end, kind: tWord})
				i++
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

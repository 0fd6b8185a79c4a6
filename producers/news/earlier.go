package news

import (
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// ordinals above "first": a repeated veto.
var repeatOrdinals = map[string]bool{
	"second": true, "third": true, "fourth": true, "fifth": true, "sixth": true, "seventh": true,
	"eighth": true, "ninth": true, "tenth": true, "eleventh": true, "twelfth": true, "umpteenth": true,
}

func isRepeatOrdinal(w string) bool {
	if repeatOrdinals[w] {
		return true
	}
	// "4th", "17th", "2nd", "3rd"; never "1st"
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if n, ok := strings.CutSuffix(w, suf); ok && n != "" && n != "1" && strings.Trim(n, "0123456789") == "" {
			return true
		}
	}
	return false
}

// repeatAt reports a repetition marker in the sentence: "for the third
// time", "the fourth time the US vetoed", "its second veto", "a fifth
// such veto".
func repeatAt(toks []token) bool {
	for k := 0; k+1 < len(toks); k++ {
		if !isRepeatOrdinal(toks[k].norm) {
			continue
		}
		n := toks[k+1].norm
		if n == "such" && k+2 < len(toks) {
			n = toks[k+2].norm
		}
		if n == "time" || n == "veto" {
			return true
		}
	}
	return false
}

// earlierVetoes: a veto cast "for the third time" recalls the earlier
// ones, one more veto in the state's history, which the text does not
// date and ties to no text.
func (x *extraction) earlierVetoes(c *sctx, first int) {
	if !repeatAt(c.toks) {
		return
	}
	n := len(x.found)
	for i := first; i < n; i++ {
		f := x.found[i]
		// a veto the sentence itself recalls ("had vetoed") is the earlier one
		if f.Stance != events.Veto || f.earlier || f.past || f.sent != c.index {
			continue
		}
		e := f
		e.earlier, e.past = true, true
		e.Confidence = min(f.Confidence, 0.6)
		e.Reasons = append(append([]string(nil), f.Reasons...), "a repeated veto: the earlier ones, undated")
		x.found = append(x.found, e)
	}
}

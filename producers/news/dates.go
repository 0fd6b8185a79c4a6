package news

import (
	"strconv"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// dateExpr is a day named in a sentence.
type dateExpr struct {
	at       int // token index in the sentence
	date     events.Date
	resolved bool // false: relative, and the article has no publication date
	usable   bool // false after "until", "before", "next", "since": not when something happened
}

var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
	"september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// notWhen are words before a day that make it not the day something
// happened.
var notWhen = map[string]bool{
	"until": true, "till": true, "before": true, "after": true, "since": true, "next": true, "by": true,
	"from": true, "ahead": true, "coming": true, "tomorrow": true,
}

// findDates finds the days a sentence names, resolved against the
// publication date (zero when unknown).
func findDates(toks []token, published events.Date) []dateExpr {
	var out []dateExpr
	for i := 0; i < len(toks); i++ {
		w := toks[i].norm
		at := i
		var d dateExpr
		found := false
		switch {
		case w == "today" || w == "tonight":
			d, found = relative(published, 0), true
		case w == "yesterday":
			d, found = relative(published, -1), true
		case weekdays[w] != 0 || w == "sunday":
			found = true
			d = dateExpr{}
			if !published.IsZero() {
				pub := published.Time()
				back := (int(pub.Weekday()) - int(weekdays[w]) + 7) % 7
				if i > 0 && toks[i-1].norm == "last" && back == 0 {
					back = 7
				}
				d = dateExpr{date: published.AddDays(-back), resolved: true}
			}
		case months[w] != 0 && w != "may" || w == "may" && i+1 < len(toks) && toks[i+1].kind == tNumber:
			// "march 22 , 2024", "march 22"
			if i+1 < len(toks) && toks[i+1].kind == tNumber {
				if day, ok := dayNumber(toks[i+1].norm); ok {
					year, next := yearAfter(toks, i+2)
					d, found = absolute(published, year, months[w], day), true
					i = next - 1
				}
			}
		case toks[i].kind == tNumber && i+1 < len(toks) && months[toks[i+1].norm] != 0:
			// "22 march 2024", "7 october"
			if day, ok := dayNumber(w); ok {
				year, next := yearAfter(toks, i+2)
				d, found = absolute(published, year, months[toks[i+1].norm], day), true
				i = next - 1
			}
		}
		if !found {
			continue
		}
		d.at = at
		d.usable = true
		for k := d.at - 1; k >= 0 && k >= d.at-3; k-- {
			if notWhen[toks[k].norm] {
				d.usable = false
			}
			if toks[k].norm == "on" || toks[k].norm == "," {
				break
			}
		}
		out = append(out, d)
	}
	return out
}

func relative(published events.Date, days int) dateExpr {
	if published.IsZero() {
		return dateExpr{}
	}
	return dateExpr{date: published.AddDays(days), resolved: true}
}

func dayNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 31
}

// yearAfter reads an optional ", 2024" or "2024" at i.
func yearAfter(toks []token, i int) (int, int) {
	j := i
	if j < len(toks) && toks[j].norm == "," {
		j++
	}
	if j < len(toks) && toks[j].kind == tNumber && len(toks[j].norm) == 4 {
		if y, err := strconv.Atoi(toks[j].norm); err == nil && y >= 1900 && y <= 2200 {
			return y, j + 1
		}
	}
	return 0, i
}

// absolute makes a day; without a year it takes the publication's, or
// the year before when that would put the day after publication.
func absolute(published events.Date, year int, m time.Month, day int) dateExpr {
	if year == 0 {
		if published.IsZero() {
			return dateExpr{}
		}
		year = published.Time().Year()
		t := time.Date(year, m, day, 0, 0, 0, 0, time.UTC)
		if t.After(published.Time().AddDate(0, 0, 1)) {
			year--
		}
	}
	t := time.Date(year, m, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return dateExpr{} // 31 February
	}
	return dateExpr{date: events.DateOf(t), resolved: true}
}

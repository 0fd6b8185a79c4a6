package events

import (
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day. The zero Date is "no date".
type Date struct{ n int32 } // days since 1970-01-01, plus dateBias

const dateBias = 1 << 24

// Bounds of the dates stancewatch accepts.
var (
	MinDate = MustDate("1900-01-01")
	MaxDate = MustDate("2999-12-31")
)

// ParseDate parses YYYY-MM-DD and rejects impossible days (2024-02-30).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		if strings.TrimSpace(s) == "" {
			return Date{}, fmt.Errorf("is empty: want a date YYYY-MM-DD")
		}
		return Date{}, fmt.Errorf("%q is not a date: want YYYY-MM-DD (a day that exists)", s)
	}
	d := DateOf(t)
	if d.Before(MinDate) || MaxDate.Before(d) {
		return Date{}, fmt.Errorf("%q is out of range: want a date between %s and %s", s, MinDate, MaxDate)
	}
	return d, nil
}

// MustDate is ParseDate for constants.
func MustDate(s string) Date {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return DateOf(t)
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date{int32(u.Unix()/86400) + dateBias}
}

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return time.Unix(int64(d.n-dateBias)*86400, 0).UTC() }

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.n == 0 }

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// Compare returns -1, 0 or +1.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// AddDays returns the day n days later.
func (d Date) AddDays(n int) Date { return Date{d.n + int32(n)} }

// MarshalText encodes YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Occurred is when a position was taken: a day, or an instant.
type Occurred struct {
	day Date
	at  time.Time // zero when only the day is known
}

// OnDay returns an Occurred known to the day.
func OnDay(d Date) Occurred { return Occurred{day: d} }

// At returns an Occurred known to the instant; its day is the UTC day.
func At(t time.Time) Occurred { return Occurred{day: DateOf(t.UTC()), at: t.UTC()} }

// ParseOccurred accepts YYYY-MM-DD or an RFC 3339 time.
func ParseOccurred(s string) (Occurred, error) {
	s = strings.TrimSpace(s)
	if len(s) > len(time.DateOnly) {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return Occurred{}, fmt.Errorf("%q is not a date or time: want YYYY-MM-DD or RFC 3339 (2024-03-25T15:00:00Z)", s)
		}
		o := At(t)
		if o.day.Before(MinDate) || MaxDate.Before(o.day) {
			return Occurred{}, fmt.Errorf("%q is out of range: want a date between %s and %s", s, MinDate, MaxDate)
		}
		return o, nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return Occurred{}, err
	}
	return OnDay(d), nil
}

// Day returns the (UTC) day.
func (o Occurred) Day() Date { return o.day }

// Instant returns the time and true when the instant is known.
func (o Occurred) Instant() (time.Time, bool) { return o.at, !o.at.IsZero() }

// IsZero reports whether o is unset.
func (o Occurred) IsZero() bool { return o.day.IsZero() }

// Compare orders by day, then by instant; a day without an instant sorts
// before the instants of that day.
func (o Occurred) Compare(p Occurred) int {
	if c := o.day.Compare(p.day); c != 0 {
		return c
	}
	return o.at.Compare(p.at)
}

// String returns YYYY-MM-DD or an RFC 3339 time.
func (o Occurred) String() string {
	if !o.at.IsZero() {
		return o.at.Format(time.RFC3339Nano)
	}
	return o.day.String()
}

// MarshalText encodes as String.
func (o Occurred) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText accepts anything ParseOccurred accepts.
func (o *Occurred) UnmarshalText(b []byte) error {
	v, err := ParseOccurred(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// UnixDays returns the number of days since 1970-01-01.
func (d Date) UnixDays() int { return int(d.n - dateBias) }

// DateFromUnixDays is the inverse of UnixDays.
func DateFromUnixDays(n int) Date { return Date{int32(n) + dateBias} }

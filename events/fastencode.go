package events

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// appendPositionFast appends the encoding of a position event without
// reflection, byte for byte what MarshalJSON writes (a differential test
// and fuzz target hold the two to it). It covers the common case, the
// one a bulk load repeats a million times: no extension attributes, no
// dataschema, and strings that need no escaping. Anything else reports
// false, and the caller takes the general path.
func appendPositionFast(b []byte, e Event, p Position) ([]byte, bool) {
	if c := p.Evidence.Confidence; len(e.Extensions) > 0 || e.DataSchema != "" || math.IsNaN(c) || math.IsInf(c, 0) {
		return b, false
	}
	ev := p.Evidence
	for _, s := range [...]string{e.Source, p.Actor.code, p.Topic.slug, p.Stance.String(), p.Motion.id, p.From.String(), ev.Quote, ev.URL, ev.Citation, ev.Document, ev.Producer.s} {
		if !plainJSON(s) {
			return b, false
		}
	}
	b = append(b, `{"specversion":"1.0","id":"`...)
	b = appendUUID(b, e.ID)
	b = append(b, `","source":"`...)
	b = append(b, e.Source...)
	b = append(b, `","type":"org.stancewatch.position","subject":"`...)
	b = append(b, p.Actor.code...)
	b = append(b, '/')
	b = append(b, p.Topic.slug...)
	b = append(b, '"')
	if !e.Time.IsZero() {
		b = append(b, `,"time":"`...)
		b = e.Time.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	b = append(b, `,"datacontenttype":"application/json","schemaversion":`...)
	b = strconv.AppendInt(b, CurrentSchemaVersion, 10)
	b = append(b, `,"data":{"actor":"`...)
	b = append(b, p.Actor.code...)
	b = append(b, `","topic":"`...)
	b = append(b, p.Topic.slug...)
	b = append(b, `","stance":"`...)
	b = append(b, p.Stance.String()...)
	b = append(b, '"')
	if p.Motion.id != "" {
		b = append(b, `,"motion":"`...)
		b = append(b, p.Motion.id...)
		b = append(b, '"')
	}
	b = append(b, `,"occurred":"`...)
	if at, ok := p.Occurred.Instant(); ok {
		b = at.AppendFormat(b, time.RFC3339Nano)
	} else {
		b = append(b, p.Occurred.day.String()...)
	}
	b = append(b, '"')
	if !p.From.IsZero() {
		b = append(b, `,"from":"`...)
		b = append(b, p.From.String()...)
		b = append(b, '"')
	}
	if p.Supersedes != uuid.Nil {
		b = append(b, `,"supersedes":"`...)
		b = appendUUID(b, p.Supersedes)
		b = append(b, '"')
	}
	b = append(b, `,"evidence":{`...)
	sep := ""
	for _, f := range [...]struct{ name, v string }{{"quote", ev.Quote}, {"url", ev.URL}, {"citation", ev.Citation}, {"document", ev.Document}} {
		if f.v == "" {
			continue
		}
		b = append(b, sep...)
		b = append(b, '"')
		b = append(b, f.name...)
		b = append(b, `":"`...)
		b = append(b, f.v...)
		b = append(b, '"')
		sep = ","
	}
	if ev.Offset != nil {
		b = append(b, sep...)
		b = append(b, `"offset":`...)
		b = strconv.AppendInt(b, *ev.Offset, 10)
		sep = ","
	}
	b = append(b, sep...)
	b = append(b, `"producer":"`...)
	b = append(b, ev.Producer.s...)
	b = append(b, `","confidence":`...)
	b = appendFloat(b, ev.Confidence)
	b = append(b, "}}}"...)
	return b, true
}

// plainJSON reports whether encoding/json writes s as it is between
// quotes: printable ASCII without the characters it escapes (", \, and,
// as it escapes HTML, <, > and &). Other text takes the general path.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// appendUUID appends the canonical text form of id.
func appendUUID(b []byte, id uuid.UUID) []byte {
	var buf [36]byte
	return append(b, encodeUUID(&buf, id)...)
}

// appendFloat writes f as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	fmt := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fmt = 'e'
	}
	b = strconv.AppendFloat(b, f, fmt, -1, 64)
	if fmt == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

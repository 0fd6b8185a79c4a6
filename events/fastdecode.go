package events

import (
	"errors"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// The fast path of Decode. Replaying a stream decodes every event ever
// stored, and encoding/json with the parsing of each field spent about
// 15 µs an event, five times what JetStream needs to deliver one. This
// path reads the layout the encoder writes — a position of the current
// schema, keys in the encoder's order, no escapes, no dataschema and no
// extension attributes (events that carry them, from other systems, take
// the general path) — without reflection, and, through a Decoder, parses
// repeated values (actors, topics, motions, days) once. On anything else
// it gives up and Decode takes the general path, so both always agree (a
// fuzz test holds them to it).

var errFallback = errors.New("not on the fast path")

type lexer struct {
	b []byte
	i int
}

func (l *lexer) ws() {
	for l.i < len(l.b) {
		switch l.b[l.i] {
		case ' ', '\t', '\n', '\r':
			l.i++
		default:
			return
		}
	}
}

func (l *lexer) byte(c byte) bool {
	l.ws()
	if l.i < len(l.b) && l.b[l.i] == c {
		l.i++
		return true
	}
	return false
}

// raw returns the bytes of a string without escapes, in valid UTF-8
// (encoding/json would replace invalid bytes: the general path does that).
func (l *lexer) raw() ([]byte, bool) {
	if !l.byte('"') {
		return nil, false
	}
	start := l.i
	ascii := true
	for l.i < len(l.b) {
		c := l.b[l.i]
		switch {
		case c == '"':
			s := l.b[start:l.i]
			l.i++
			return s, ascii || utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= 0x80:
			ascii = false
		}
		l.i++
	}
	return nil, false
}

func (l *lexer) str() (string, bool) {
	b, ok := l.raw()
	return string(b), ok
}

// number returns the bytes of a JSON number:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (l *lexer) number() ([]byte, bool) {
	l.ws()
	start := l.i
	digits := func() int {
		n := 0
		for l.i < len(l.b) && l.b[l.i] >= '0' && l.b[l.i] <= '9' {
			l.i++
			n++
		}
		return n
	}
	if l.i < len(l.b) && l.b[l.i] == '-' {
		l.i++
	}
	switch {
	case l.i < len(l.b) && l.b[l.i] == '0':
		l.i++
	case digits() == 0:
		return nil, false
	}
	if l.i < len(l.b) && l.b[l.i] == '.' {
		l.i++
		if digits() == 0 {
			return nil, false
		}
	}
	if l.i < len(l.b) && (l.b[l.i] == 'e' || l.b[l.i] == 'E') {
		l.i++
		if l.i < len(l.b) && (l.b[l.i] == '+' || l.b[l.i] == '-') {
			l.i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	return l.b[start:l.i], true
}

// key reads `"name":` and returns the name.
func (l *lexer) key() ([]byte, bool) {
	k, ok := l.raw()
	return k, ok && l.byte(':')
}

// object calls field for each key until the closing brace; field returns
// false to give up.
func (l *lexer) object(field func(key []byte) bool) bool {
	if !l.byte('{') {
		return false
	}
	if l.byte('}') {
		return true
	}
	for {
		k, ok := l.key()
		if !ok || !field(k) {
			return false
		}
		if l.byte('}') {
			return true
		}
		if !l.byte(',') {
			return false
		}
	}
}

// Decoder decodes events, remembering the values that repeat across them:
// countries, topics, stances, motions, days, producers, and the strings
// of sources, evidence URLs, citations and documents (with the URLs that
// validation accepted). A long replay through one Decoder then parses
// each such value once instead of once an event, and the events it
// returns share one copy of each string instead of holding their own.
// Each table stops growing at cacheLimit (65536) entries, so a stream of
// distinct values costs a lookup, not memory; what a Decoder remembers
// is held by the Decoder alone and goes when the Decoder does. Give each
// replay, projector or long-lived consumer its own.
//
// A Decoder is safe for concurrent use. The zero Decoder is ready to use;
// a nil *Decoder remembers nothing and decodes as Decode does.
type Decoder struct {
	countries cache[Country]
	topics    cache[Topic]
	stances   cache[Stance]
	motions   cache[MotionID]
	occurred  cache[Occurred]
	producers cache[Producer]
	strs      cache[string]   // sources, urls, citations, documents: shared, not copied per event
	urls      cache[struct{}] // addresses validation accepted as absolute http(s) URLs
}

// NewDecoder returns a Decoder that remembers nothing yet.
func NewDecoder() *Decoder { return &Decoder{} }

// cache remembers the parse of values that repeat across events. It stops
// growing at cacheLimit entries, so a stream of distinct values costs a
// lookup, not memory. It is safe for concurrent use.
type cache[T any] struct {
	mu sync.RWMutex
	m  map[string]T
}

const cacheLimit = 1 << 16

func (c *cache[T]) get(b []byte, parse func(string) (T, error)) (T, bool) {
	c.mu.RLock()
	v, ok := c.m[string(b)] // no allocation for the lookup
	c.mu.RUnlock()
	if ok {
		return v, true
	}
	return c.add(string(b), parse)
}

func (c *cache[T]) getString(s string, parse func(string) (T, error)) (T, bool) {
	c.mu.RLock()
	v, ok := c.m[s]
	c.mu.RUnlock()
	if ok {
		return v, true
	}
	return c.add(s, parse)
}

// add parses s and, when it parses, remembers it while there is room.
func (c *cache[T]) add(s string, parse func(string) (T, error)) (T, bool) {
	v, err := parse(s)
	if err != nil {
		return v, false
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]T{}
	}
	if len(c.m) < cacheLimit {
		c.m[s] = v
	}
	c.mu.Unlock()
	return v, true
}

// parseBytes is cache.get without a cache.
func parseBytes[T any](b []byte, parse func(string) (T, error)) (T, bool) {
	v, err := parse(string(b))
	return v, err == nil
}

func identity(s string) (string, error) { return s, nil }

// The values the fast path reads, through d's caches, or parsed afresh
// when d is nil.

func (d *Decoder) country(b []byte) (Country, bool) {
	if d == nil {
		return parseBytes(b, ParseCountry)
	}
	return d.countries.get(b, ParseCountry)
}

func (d *Decoder) topic(b []byte) (Topic, bool) {
	if d == nil {
		return parseBytes(b, ParseTopic)
	}
	return d.topics.get(b, ParseTopic)
}

func (d *Decoder) stance(b []byte) (Stance, bool) {
	if d == nil {
		return parseBytes(b, ParseStance)
	}
	return d.stances.get(b, ParseStance)
}

func (d *Decoder) motion(b []byte) (MotionID, bool) {
	if d == nil {
		return parseBytes(b, ParseMotionID)
	}
	return d.motions.get(b, ParseMotionID)
}

func (d *Decoder) occurredAt(b []byte) (Occurred, bool) {
	if d == nil {
		return parseBytes(b, ParseOccurred)
	}
	return d.occurred.get(b, ParseOccurred)
}

func (d *Decoder) producer(b []byte) (Producer, bool) {
	if d == nil {
		return parseBytes(b, ParseProducer)
	}
	return d.producers.get(b, ParseProducer)
}

func (d *Decoder) str(b []byte) (string, bool) {
	if d == nil {
		return string(b), true
	}
	return d.strs.get(b, identity)
}

// isURL is IsURL, remembering the addresses it accepts.
func (d *Decoder) isURL(s string) bool {
	if d == nil {
		return IsURL(s)
	}
	_, ok := d.urls.getString(s, checkURL)
	return ok
}

func checkURL(s string) (struct{}, error) {
	if !IsURL(s) {
		return struct{}{}, errNotURL
	}
	return struct{}{}, nil
}

var errNotURL = errors.New("not an absolute http(s) URL")

// decodeFast decodes a position of the current schema written by Encode,
// through d's caches (none when d is nil).
func (d *Decoder) decodeFast(b []byte) (Event, error) {
	l := &lexer{b: b}
	var ev Event
	var p Position
	var typ []byte
	var hasData, hasSpec bool
	ok := l.object(func(k []byte) bool {
		switch string(k) {
		case "specversion":
			v, ok := l.raw()
			hasSpec = ok && string(v) == SpecVersion
			return hasSpec
		case "id":
			v, ok := l.raw()
			if !ok {
				return false
			}
			id, err := uuid.ParseBytes(v)
			ev.ID = id
			return err == nil
		case "source":
			v, ok := l.raw()
			if !ok {
				return false
			}
			ev.Source, ok = d.str(v)
			return ok
		case "type":
			typ, _ = l.raw()
			return string(typ) == string(TypePosition)
		case "subject":
			_, ok := l.raw()
			return ok
		case "time":
			v, ok := l.raw()
			if !ok {
				return false
			}
			t, err := time.Parse(time.RFC3339Nano, string(v))
			ev.Time = t.UTC()
			return err == nil
		case "datacontenttype":
			v, ok := l.raw()
			return ok && string(v) == ContentType
		case "schemaversion":
			v, ok := l.number()
			n, err := strconv.Atoi(string(v))
			ev.SchemaVersion = n
			return ok && err == nil && n == CurrentSchemaVersion
		case "data":
			if typ == nil || hasData {
				return false
			}
			hasData = true
			return d.position(l, &p)
		}
		return false
	})
	if !ok || !hasData || !hasSpec || ev.SchemaVersion != CurrentSchemaVersion {
		return Event{}, errFallback
	}
	l.ws()
	if l.i != len(l.b) {
		return Event{}, errFallback
	}
	ev.Data = p
	if err := ev.validateWith(d); err != nil {
		return Event{}, errFallback // the general path reports it
	}
	return ev, nil
}

// fieldSet records which fields of an object have been read, one bit
// each, so a field given twice is refused.
type fieldSet uint16

// once marks bit read, and reports whether it was not before.
func (f *fieldSet) once(bit uint16) bool {
	if uint16(*f)&bit != 0 {
		return false
	}
	*f |= fieldSet(bit)
	return true
}

func (f fieldSet) has(bit uint16) bool { return uint16(f)&bit != 0 }

func (d *Decoder) position(l *lexer, p *Position) bool {
	var seen fieldSet
	once := seen.once
	ok := l.object(func(k []byte) bool {
		var v []byte
		var ok bool
		switch string(k) {
		case "actor":
			if v, ok = l.raw(); ok && once(1) {
				p.Actor, ok = d.country(v)
			}
		case "topic":
			if v, ok = l.raw(); ok && once(2) {
				p.Topic, ok = d.topic(v)
			}
		case "stance":
			if v, ok = l.raw(); ok && once(4) {
				p.Stance, ok = d.stance(v)
			}
		case "motion":
			if v, ok = l.raw(); ok && once(8) {
				p.Motion, ok = d.motion(v)
			}
		case "occurred":
			if v, ok = l.raw(); ok && once(16) {
				p.Occurred, ok = d.occurredAt(v)
			}
		case "from":
			if v, ok = l.raw(); ok && once(32) {
				p.From, ok = d.stance(v)
			}
		case "supersedes":
			if v, ok = l.raw(); ok && once(64) {
				var err error
				p.Supersedes, err = uuid.ParseBytes(v)
				ok = err == nil
			}
		case "evidence":
			ok = once(128) && d.evidence(l, &p.Evidence)
		}
		return ok
	})
	return ok && seen.has(128)
}

func (d *Decoder) evidence(l *lexer, e *Evidence) bool {
	e.Confidence = 1
	var seen fieldSet
	once := seen.once
	return l.object(func(k []byte) bool {
		var v []byte
		var ok bool
		switch string(k) {
		case "quote":
			if v, ok = l.raw(); ok && once(1) {
				e.Quote = string(v)
			}
		case "url":
			if v, ok = l.raw(); ok && once(2) {
				e.URL, ok = d.str(v)
			}
		case "citation":
			if v, ok = l.raw(); ok && once(4) {
				e.Citation, ok = d.str(v)
			}
		case "document":
			if v, ok = l.raw(); ok && once(8) {
				e.Document, ok = d.str(v)
			}
		case "offset":
			if v, ok = l.number(); ok && once(16) {
				n, err := strconv.ParseInt(string(v), 10, 64)
				e.Offset, ok = &n, err == nil
			}
		case "producer":
			if v, ok = l.raw(); ok && once(32) {
				e.Producer, ok = d.producer(v)
			}
		case "confidence":
			if v, ok = l.number(); ok && once(64) {
				f, err := strconv.ParseFloat(string(v), 64)
				e.Confidence, ok = f, err == nil
			}
		}
		return ok
	}) && seen.has(32)
}

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
// schema, keys in the encoder's order, no escapes, no extension
// attributes — without reflection, and parses repeated values (actors,
// topics, motions, days) once. On anything else it gives up and Decode
// takes the general path, so both always agree (a fuzz test holds them to
// it).

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

// cache remembers the parse of values that repeat across events. It stops
// growing at cacheLimit entries, so a stream of distinct values costs a
// lookup, not memory.
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
	v, err := parse(string(b))
	if err != nil {
		return v, false
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]T{}
	}
	if len(c.m) < cacheLimit {
		c.m[string(b)] = v
	}
	c.mu.Unlock()
	return v, true
}

var (
	countryCache  cache[Country]
	topicCache    cache[Topic]
	stanceCache   cache[Stance]
	motionCache   cache[MotionID]
	occurredCache cache[Occurred]
	producerCache cache[Producer]
	stringCache   cache[string] // sources, urls, documents: shared, not copied per event
)

func identity(s string) (string, error) { return s, nil }

// decodeFast decodes a position of the current schema written by Encode.
func decodeFast(b []byte) (Event, error) {
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
			ev.Source, ok = stringCache.get(v, identity)
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
			return position(l, &p)
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
	if err := ev.Validate(); err != nil {
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

func position(l *lexer, p *Position) bool {
	var seen fieldSet
	once := seen.once
	ok := l.object(func(k []byte) bool {
		var v []byte
		var ok bool
		switch string(k) {
		case "actor":
			if v, ok = l.raw(); ok && once(1) {
				p.Actor, ok = countryCache.get(v, ParseCountry)
			}
		case "topic":
			if v, ok = l.raw(); ok && once(2) {
				p.Topic, ok = topicCache.get(v, ParseTopic)
			}
		case "stance":
			if v, ok = l.raw(); ok && once(4) {
				p.Stance, ok = stanceCache.get(v, ParseStance)
			}
		case "motion":
			if v, ok = l.raw(); ok && once(8) {
				p.Motion, ok = motionCache.get(v, ParseMotionID)
			}
		case "occurred":
			if v, ok = l.raw(); ok && once(16) {
				p.Occurred, ok = occurredCache.get(v, ParseOccurred)
			}
		case "from":
			if v, ok = l.raw(); ok && once(32) {
				p.From, ok = stanceCache.get(v, ParseStance)
			}
		case "supersedes":
			if v, ok = l.raw(); ok && once(64) {
				var err error
				p.Supersedes, err = uuid.ParseBytes(v)
				ok = err == nil
			}
		case "evidence":
			ok = once(128) && evidence(l, &p.Evidence)
		}
		return ok
	})
	return ok && seen.has(128)
}

func evidence(l *lexer, e *Evidence) bool {
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
				e.URL, ok = stringCache.get(v, identity)
			}
		case "citation":
			if v, ok = l.raw(); ok && once(4) {
				e.Citation, ok = stringCache.get(v, identity)
			}
		case "document":
			if v, ok = l.raw(); ok && once(8) {
				e.Document, ok = stringCache.get(v, identity)
			}
		case "offset":
			if v, ok = l.number(); ok && once(16) {
				n, err := strconv.ParseInt(string(v), 10, 64)
				e.Offset, ok = &n, err == nil
			}
		case "producer":
			if v, ok = l.raw(); ok && once(32) {
				e.Producer, ok = producerCache.get(v, ParseProducer)
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

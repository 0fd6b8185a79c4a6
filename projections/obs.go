package projections

import (
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// obs is one applied position, kept compact: the values that repeat
// across events (actors, topics, motions, sources, addresses, confidences)
// are interned and held as 4-byte indexes, and the rare ones (an instant
// of occurrence, a superseded id, a quote and its offset: a roll-call
// vote has none, its sentence is derived) live outside. An observation is
// 80 bytes (the allocator's size class), and the garbage collector has
// two pointers to follow instead of a dozen.
type obs struct {
	id       uuid.UUID
	seq      uint64
	recorded int64     // unix nanoseconds
	extra    *obsExtra // nil for most
	day      int32     // unix days
	actor    uint32
	topic    uint32
	motion   uint32
	source   uint32
	url      uint32
	citation uint32
	document uint32
	conf     uint32 // the confidence, interned
	stance   uint8  // events.Stance rank
	from     uint8
	producer uint8
}

// obsExtra holds what few observations have.
type obsExtra struct {
	at         time.Time // when occurred is an instant
	supersedes uuid.UUID
	quote      string
	offset     int64 // -1 when unknown
}

// newObs makes o the observation of a position, interning its repeated
// values in v, the vocabulary of the State it goes into.
func newObs(o *obs, v *vocab, ev events.Event, p events.Position, m Meta) *obs {
	*o = obs{
		id: ev.ID, seq: m.Seq, recorded: m.Recorded.UnixNano(), conf: v.confs.id(p.Evidence.Confidence),
		day:   int32(p.Occurred.Day().UnixDays()),
		actor: v.countries.id(p.Actor), topic: v.topics.id(p.Topic), motion: v.motions.id(p.Motion),
		source: v.strs.id(ev.Source), url: v.strs.id(p.Evidence.URL), citation: v.strs.id(p.Evidence.Citation), document: v.strs.id(p.Evidence.Document),
		stance: uint8(p.Stance.Rank()), from: uint8(p.From.Rank()), producer: producerIDs[p.Evidence.Producer],
	}
	if at, ok := p.Occurred.Instant(); ok || p.Supersedes != uuid.Nil || p.Evidence.Quote != "" || p.Evidence.Offset != nil {
		o.extra = &obsExtra{at: at, supersedes: p.Supersedes, quote: p.Evidence.Quote, offset: -1}
		if p.Evidence.Offset != nil {
			o.extra.offset = *p.Evidence.Offset
		}
	}
	return o
}

// obsChunkMax is the most observations a State allocates at once.
const obsChunkMax = 4096

// allocObs returns room for one more observation of the State, from the
// chunk it allocates them in, side by side. Allocated one by one, the
// observations a fold keeps were interleaved with what it allocates and
// drops between them (decoded events, the same size class): with the
// whole record, 121 MB of observations held 222 MB of heap spans. Chunks
// start small and double up to obsChunkMax, so a small State stays small.
func (s *State) allocObs() *obs {
	if len(s.obsChunk) == cap(s.obsChunk) {
		s.obsChunk = make([]obs, 0, min(max(2*cap(s.obsChunk), 16), obsChunkMax))
	}
	s.obsChunk = s.obsChunk[:len(s.obsChunk)+1]
	return &s.obsChunk[len(s.obsChunk)-1]
}

// quote is the evidence's quote ("" for none).
func (o *obs) quote() string {
	if o.extra == nil {
		return ""
	}
	return o.extra.quote
}

// offset is the quote's offset in its document, -1 when unknown.
func (o *obs) offset() int64 {
	if o.extra == nil {
		return -1
	}
	return o.extra.offset
}

// more returns the observation's extra part, made when it has none.
func (o *obs) more() *obsExtra {
	if o.extra == nil {
		o.extra = &obsExtra{offset: -1}
	}
	return o.extra
}

// The interned fields are read through the vocabulary of the State that
// holds the observation (an obs keeps no pointer to it: 8 bytes more per
// observation, for what every caller already has at hand).
func (o *obs) Actor(v *vocab) events.Country   { return v.countries.get(o.actor) }
func (o *obs) Topic(v *vocab) events.Topic     { return v.topics.get(o.topic) }
func (o *obs) Motion(v *vocab) events.MotionID { return v.motions.get(o.motion) }
func (o *obs) Source(v *vocab) string          { return v.strs.get(o.source) }
func (o *obs) key(v *vocab) seriesKey          { return seriesKey{o.Actor(v), o.Topic(v)} }
func (o *obs) Stance() events.Stance           { st, _ := events.StanceFromRank(int(o.stance)); return st }
func (o *obs) From() events.Stance             { st, _ := events.StanceFromRank(int(o.from)); return st }
func (o *obs) Producer() events.Producer       { return producers[o.producer] }
func (o *obs) Recorded() time.Time             { return time.Unix(0, o.recorded).UTC() }
func (o *obs) Day() events.Date                { return events.DateFromUnixDays(int(o.day)) }

// knownNanos is when the observation counts as known (Lens.KnownAt): when
// it was recorded, or the end of the day of the vote for an official
// roll call, if that is earlier. A correction is known from when it was
// recorded, whatever it corrects.
func (o *obs) knownNanos() int64 {
	if o.producer == producerIDs[events.ProducerRollCall] && o.Supersedes() == uuid.Nil {
		if end := (int64(o.day)+1)*int64(24*time.Hour) - 1; end < o.recorded {
			return end
		}
	}
	return o.recorded
}

func (o *obs) Supersedes() uuid.UUID {
	if o.extra == nil {
		return uuid.Nil
	}
	return o.extra.supersedes
}

func (o *obs) Occurred() events.Occurred {
	if o.extra != nil && !o.extra.at.IsZero() {
		return events.At(o.extra.at)
	}
	return events.OnDay(o.Day())
}

// compareOccurred orders by day, then instant (a day without one first).
func (o *obs) compareOccurred(p *obs) int {
	switch {
	case o.day < p.day:
		return -1
	case o.day > p.day:
		return 1
	}
	var a, b time.Time
	if o.extra != nil {
		a = o.extra.at
	}
	if p.extra != nil {
		b = p.extra.at
	}
	return a.Compare(b)
}

func (o *obs) Evidence(v *vocab) events.Evidence {
	ev := events.Evidence{Quote: o.quote(), URL: v.strs.get(o.url), Citation: v.strs.get(o.citation), Document: v.strs.get(o.document),
		Producer: o.Producer(), Confidence: v.confs.get(o.conf)}
	if off := o.offset(); off >= 0 {
		ev.Offset = &off
	}
	return ev
}

// Position rebuilds the position the observation was made from.
func (o *obs) Position(v *vocab) events.Position {
	return events.Position{Actor: o.Actor(v), Topic: o.Topic(v), Stance: o.Stance(), Motion: o.Motion(v), Occurred: o.Occurred(),
		From: o.From(), Supersedes: o.Supersedes(), Evidence: o.Evidence(v)}
}

// vocab is a State's vocabulary: the distinct actors, topics, motions and
// strings (sources, addresses, citations, documents) its observations
// use, each interned once. Every State owns its own (New and ReadSnapshot
// make a fresh one), so two States are independent, and the vocabulary
// goes with its State: a rebuild's abandoned state, or the one a rebuild
// replaces, takes its evidence strings with it.
//
// A vocabulary only grows while its State lives: it holds the stream's
// vocabulary, not its events, so removing an observation (a duplicate
// replaced by a lower sequence) leaves its entries in place.
type vocab struct {
	countries interner[events.Country]
	topics    interner[events.Topic]
	motions   interner[events.MotionID]
	strs      interner[string]
	confs     interner[float64]
}

func newVocab() *vocab { return &vocab{} }

// size returns how many values the vocabulary holds, for tests.
func (v *vocab) size() int {
	return v.countries.len() + v.topics.len() + v.motions.len() + v.strs.len()
}

// interner gives each distinct value a small index. It is safe for
// concurrent use: a State's readers may build views concurrently.
type interner[T comparable] struct {
	mu   sync.RWMutex
	idx  map[T]uint32
	vals []T // vals[0] is the zero value
}

func (in *interner[T]) id(v T) uint32 {
	var zero T
	if v == zero {
		return 0
	}
	in.mu.RLock()
	i, ok := in.idx[v]
	in.mu.RUnlock()
	if ok {
		return i
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if i, ok := in.idx[v]; ok {
		return i
	}
	if in.idx == nil {
		in.idx = map[T]uint32{}
		in.vals = []T{zero}
	}
	i = uint32(len(in.vals))
	in.vals = append(in.vals, v)
	in.idx[v] = i
	return i
}

// lookup returns the index of v, if it has one, without giving it one.
func (in *interner[T]) lookup(v T) (uint32, bool) {
	in.mu.RLock()
	defer in.mu.RUnlock()
	i, ok := in.idx[v]
	return i, ok
}

// len returns how many values have been interned, the zero value aside.
func (in *interner[T]) len() int {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return max(len(in.vals)-1, 0)
}

func (in *interner[T]) get(i uint32) T {
	in.mu.RLock()
	defer in.mu.RUnlock()
	if int(i) >= len(in.vals) {
		var zero T
		return zero
	}
	return in.vals[i]
}

// producers and producerIDs number the three producers; they are fixed
// tables, read-only after initialisation, shared by every State.
var (
	producers   = [...]events.Producer{{}, events.ProducerRollCall, events.ProducerNews, events.ProducerAnalyst}
	producerIDs = map[events.Producer]uint8{events.ProducerRollCall: 1, events.ProducerNews: 2, events.ProducerAnalyst: 3}
)

package projections

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// obs is one applied position, kept compact: the values that repeat
// across events are interned in the State's vocabulary. What a roll
// call's votes (or an article's findings) share — topic, motion, source,
// evidence addresses, confidence — is one 4-byte index to a
// shared record (shared), and the rare values (an instant of occurrence,
// a superseded id, a quote and its offset: a roll-call vote has none, its
// sentence is derived) live in the vocabulary's table of extras, which
// flags says to look in. An observation is 48 bytes and holds no pointer:
// the chunks of them are not scanned by the garbage collector.
type obs struct {
	id       uuid.UUID
	seq      uint64
	recorded int64  // unix nanoseconds
	day      int32  // unix days
	actor    uint32 // interned in vocab.countries
	shared   uint32 // the index of its shared record in vocab.shared
	stance   uint8  // events.Stance rank
	from     uint8
	producer uint8
	flags    uint8 // obsHasExtra, obsAt, obsCorrects
}

// The observation's flags.
const (
	obsHasExtra = 1 << iota // vocab.extras holds its extra part
	obsAt                   // its occurrence is an instant (in the extra part)
	obsCorrects             // it supersedes another (named in the extra part)
)

// shared is what an observation has in common with the others of its
// roll call or article: interned once, named by one index.
type shared struct {
	topic, motion                   uint32
	source, url, citation, document uint32
	conf                            uint32 // the confidence, interned
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
		id: ev.ID, seq: m.Seq, recorded: m.Recorded.UnixNano(),
		day: int32(p.Occurred.Day().UnixDays()), actor: v.countries.id(p.Actor),
		shared: v.shared.id(shared{
			topic: v.topics.id(p.Topic), motion: v.motions.id(p.Motion),
			source: v.strs.id(ev.Source), url: v.strs.id(p.Evidence.URL), citation: v.strs.id(p.Evidence.Citation), document: v.strs.id(p.Evidence.Document),
			conf: v.confs.id(p.Evidence.Confidence),
		}),
		stance: uint8(p.Stance.Rank()), from: uint8(p.From.Rank()), producer: producerIDs[p.Evidence.Producer],
	}
	if at, ok := p.Occurred.Instant(); ok || p.Supersedes != uuid.Nil || p.Evidence.Quote != "" || p.Evidence.Offset != nil {
		x := o.more(v.extras)
		x.at, x.supersedes, x.quote = at, p.Supersedes, p.Evidence.Quote
		if ok {
			o.flags |= obsAt
		}
		if p.Supersedes != uuid.Nil {
			o.flags |= obsCorrects
		}
		if p.Evidence.Offset != nil {
			x.offset = *p.Evidence.Offset
		}
	}
	return o
}

// extra is the observation's extra part, nil for most.
func (o *obs) extra(v *vocab) *obsExtra {
	if o.flags&obsHasExtra == 0 {
		return nil
	}
	return v.extras[o]
}

// quote is the evidence's quote ("" for none).
func (o *obs) quote(v *vocab) string {
	if x := o.extra(v); x != nil {
		return x.quote
	}
	return ""
}

// offset is the quote's offset in its document, -1 when unknown.
func (o *obs) offset(v *vocab) int64 {
	if x := o.extra(v); x != nil {
		return x.offset
	}
	return -1
}

// at is the instant of occurrence, zero when only the day is known.
func (o *obs) at(v *vocab) time.Time {
	if o.flags&obsAt == 0 {
		return time.Time{}
	}
	return v.extras[o].at
}

// more returns the observation's extra part in extras, made when it has
// none. Only the State's writer calls it (Apply, or a restore's decoder
// on its own block's table).
func (o *obs) more(extras map[*obs]*obsExtra) *obsExtra {
	if o.flags&obsHasExtra == 0 {
		o.flags |= obsHasExtra
		extras[o] = &obsExtra{offset: -1}
	}
	return extras[o]
}

// The interned fields are read through the vocabulary of the State that
// holds the observation (an obs keeps no pointer to it: 8 bytes more per
// observation, for what every caller already has at hand).
func (o *obs) Actor(v *vocab) events.Country   { return v.countries.get(o.actor) }
func (o *obs) Topic(v *vocab) events.Topic     { return v.topics.get(v.shared.get(o.shared).topic) }
func (o *obs) Motion(v *vocab) events.MotionID { return v.motions.get(o.motionID(v)) }
func (o *obs) Source(v *vocab) string          { return v.strs.get(v.shared.get(o.shared).source) }
func (o *obs) key(v *vocab) seriesKey          { return seriesKey{o.Actor(v), o.Topic(v)} }
func (o *obs) Stance() events.Stance           { st, _ := events.StanceFromRank(int(o.stance)); return st }
func (o *obs) From() events.Stance             { st, _ := events.StanceFromRank(int(o.from)); return st }
func (o *obs) Producer() events.Producer       { return producers[o.producer] }
func (o *obs) Recorded() time.Time             { return time.Unix(0, o.recorded).UTC() }
func (o *obs) Day() events.Date                { return events.DateFromUnixDays(int(o.day)) }

// motionID is the interned index of the observation's motion (0: none).
func (o *obs) motionID(v *vocab) uint32 { return v.shared.get(o.shared).motion }

// conf is the observation's confidence.
func (o *obs) conf(v *vocab) float64 { return v.confs.get(v.shared.get(o.shared).conf) }

// knownNanos is when the observation counts as known (Lens.KnownAt): when
// it was recorded, or the end of the day of the vote for an official
// roll call, if that is earlier. A correction is known from when it was
// recorded, whatever it corrects.
func (o *obs) knownNanos() int64 {
	if o.producer == producerIDs[events.ProducerRollCall] && o.flags&obsCorrects == 0 {
		if end := (int64(o.day)+1)*int64(24*time.Hour) - 1; end < o.recorded {
			return end
		}
	}
	return o.recorded
}

// Supersedes is the id of the position the observation corrects.
func (o *obs) Supersedes(v *vocab) uuid.UUID {
	if o.flags&obsCorrects == 0 {
		return uuid.Nil
	}
	return v.extras[o].supersedes
}

func (o *obs) Occurred(v *vocab) events.Occurred {
	if o.flags&obsAt != 0 {
		return events.At(v.extras[o].at)
	}
	return events.OnDay(o.Day())
}

// compareOccurred orders by day, then instant (a day without one first).
func (o *obs) compareOccurred(v *vocab, p *obs) int {
	switch {
	case o.day < p.day:
		return -1
	case o.day > p.day:
		return 1
	case (o.flags|p.flags)&obsAt == 0:
		return 0
	}
	return o.at(v).Compare(p.at(v))
}

func (o *obs) Evidence(v *vocab) events.Evidence {
	sh := v.shared.get(o.shared)
	ev := events.Evidence{Quote: o.quote(v), URL: v.strs.get(sh.url), Citation: v.strs.get(sh.citation), Document: v.strs.get(sh.document),
		Producer: o.Producer(), Confidence: v.confs.get(sh.conf)}
	if off := o.offset(v); off >= 0 {
		ev.Offset = &off
	}
	return ev
}

// Position rebuilds the position the observation was made from.
func (o *obs) Position(v *vocab) events.Position {
	return events.Position{Actor: o.Actor(v), Topic: o.Topic(v), Stance: o.Stance(), Motion: o.Motion(v), Occurred: o.Occurred(v),
		From: o.From(), Supersedes: o.Supersedes(v), Evidence: o.Evidence(v)}
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
	shared    interner[shared]

	// extras holds the rare parts of the observations that have one
	// (obsHasExtra). It is written only by the State's writer, which
	// excludes its readers (a Projection's lock), so it takes no lock.
	extras map[*obs]*obsExtra
}

func newVocab() *vocab { return &vocab{extras: map[*obs]*obsExtra{}} }

// size returns how many values the vocabulary holds, for tests.
func (v *vocab) size() int {
	return v.countries.len() + v.topics.len() + v.motions.len() + v.strs.len()
}

// interner gives each distinct value a small index. It is safe for
// concurrent use: a State's readers may build views concurrently. A read
// of a value by its index takes no lock (views read several for every
// observation they show): the values only grow, each written before the
// slice that shows it is published.
type interner[T comparable] struct {
	mu   sync.RWMutex // guards idx, and serialises growth
	idx  map[T]uint32
	vals atomic.Pointer[[]T] // vals[0] is the zero value
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
	var vals []T
	if p := in.vals.Load(); p != nil {
		vals = *p
	} else {
		in.idx = map[T]uint32{}
		vals = []T{zero}
	}
	i = uint32(len(vals))
	vals = append(vals, v)
	in.vals.Store(&vals)
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

// all returns the values interned so far, index 0 the zero value; the
// caller must not change them.
func (in *interner[T]) all() []T {
	if p := in.vals.Load(); p != nil {
		return *p
	}
	return nil
}

// len returns how many values have been interned, the zero value aside.
func (in *interner[T]) len() int { return max(len(in.all())-1, 0) }

func (in *interner[T]) get(i uint32) T {
	vals := in.all()
	if int(i) >= len(vals) {
		var zero T
		return zero
	}
	return vals[i]
}

// producers and producerIDs number the three producers; they are fixed
// tables, read-only after initialisation, shared by every State.
var (
	producers   = [...]events.Producer{{}, events.ProducerRollCall, events.ProducerNews, events.ProducerAnalyst}
	producerIDs = map[events.Producer]uint8{events.ProducerRollCall: 1, events.ProducerNews: 2, events.ProducerAnalyst: 3}
)

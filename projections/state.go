package projections

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// Version identifies how events are read into a State: decoding,
// upcasting, what is kept. When it changes, the worker serves the last
// checkpoint of the older version while it rebuilds this one from the
// stream beside it, and switches when the rebuild has caught up.
//
// Version 2 keeps the review queue (reviews and decisions), which version
// 1 rejected as unknown types; version 3 keeps bloc definitions, which
// version 2 rejected.
const Version = 3

// Meta is what the stream adds to an event: its place in the global order
// and the time the system recorded it.
type Meta struct {
	Seq      uint64
	Recorded time.Time
}

// Outcome says what Apply did with an event.
type Outcome int

// Outcomes of Apply.
const (
	Applied   Outcome = iota // the event is now part of the state
	Duplicate                // an event with this id and the same content was already applied; nothing changed
	Refused                  // an event with this id and other content holds the id: this copy is rejected (Rejected says why)
)

// State is the fold of the event stream: every observation, motion and
// retraction, and the views derived from them. It depends only on the set
// of (event, meta) pairs applied, not on the order they came in, and
// applying an event twice changes nothing.
//
// State is not safe for concurrent mutation. Readers may call the view
// methods concurrently with each other but not with Apply; the worker
// wraps a State in a lock.
type State struct {
	positions   obsIndex
	series      map[seriesKey]*series
	byActor     map[events.Country][]*series     // each actor's series, by topic
	motions     map[uuid.UUID]*motionRec         // by event id
	motionNames map[events.MotionID][]*motionRec // the records that name a motion id, as theirs or an alias
	retractions map[uuid.UUID]*retractionRec
	retractedBy map[uuid.UUID][]*retractionRec // target id -> retractions
	correctedBy map[uuid.UUID][]*obs           // target id -> correcting positions
	rejected    map[uint64]Rejected            // by sequence
	reviews     map[uuid.UUID]*reviewRec       // proposed positions, by event id
	decisions   map[uuid.UUID]*reviewRec       // review id -> the decision that holds
	decisionIDs map[uuid.UUID]*reviewRec       // decision event id -> decision
	blocs       map[uuid.UUID]*reviewRec       // bloc definitions, by event id
	copies      map[uuid.UUID][]copyOf         // refused copies of an id another event holds
	held        map[string]*heldGroup          // members of groups not yet complete, by group id

	// vocab interns the values the observations repeat; it is this
	// State's own, and goes when the State does.
	vocab *vocab

	aliases atomic.Pointer[motionIndex] // derived from motions; nil when stale
	aliasMu sync.Mutex

	// votes is the roll-call vote index alignment measures read; Apply
	// marks what an event can change in it, reads recount that.
	votes *voteIndex

	lastSeq uint64
	lastID  uuid.UUID
	count   int // events applied (not counting duplicates)

	// restoring is set while ReadSnapshot rebuilds the State: nothing
	// derived is cached yet, so an event has nothing to invalidate.
	restoring bool
}

type seriesKey struct {
	actor events.Country
	topic events.Topic
}

type series struct {
	key  seriesKey
	obs  []*obs // ordered by (occurred, seq)
	view atomic.Pointer[seriesView]
}

// knownAt is when the motion counts as known (Lens.KnownAt): when it was
// recorded, or the end of the day of its vote if that is earlier.
func (m *motionRec) knownAt() time.Time {
	if !m.m.Date.IsZero() {
		if end := m.m.Date.Time().Add(24*time.Hour - time.Nanosecond); end.Before(m.recorded) {
			return end
		}
	}
	return m.recorded
}

type motionRec struct {
	id       uuid.UUID
	seq      uint64
	recorded time.Time
	source   string
	m        events.Motion
}

// names are the motion ids the record names: its own and its aliases.
func (r *motionRec) names() []events.MotionID {
	return append([]events.MotionID{r.m.ID}, r.m.Aliases...)
}

type retractionRec struct {
	id       uuid.UUID
	seq      uint64
	recorded time.Time
	source   string
	r        events.Retraction
}

// Rejected records an event the worker could not apply (undecodable,
// invalid, unknown schema). It is kept so that the state still accounts
// for every sequence in the stream.
type Rejected struct {
	Seq    uint64    `json:"seq"`
	ID     string    `json:"id,omitempty"`
	Reason string    `json:"reason"`
	At     time.Time `json:"recorded"`
}

// Damaged reports whether the event was refused because it is damaged
// or missing on disk (Missing, or a reader's checksum check).
func (r Rejected) Damaged() bool {
	return strings.HasPrefix(r.Reason, MissingReason) || strings.Contains(r.Reason, "damaged on disk")
}

// MissingReason is why a sequence the stream skipped is recorded: the
// event stream never deletes, so every sequence up to the last held an
// event, and one that cannot be read was lost or damaged on disk.
const MissingReason = "missing from the stream: lost or damaged on disk"

// Missing records the sequences from and to (inclusive) as rejected with
// MissingReason (and no recorded time: nothing is known of them): a
// reader found a gap there.
func (s *State) Missing(from, to uint64) {
	for seq := from; seq <= to; seq++ {
		s.Skip(Meta{Seq: seq}, "", MissingReason)
	}
}

// IDReused reports whether the event was refused because another event
// holds its id (Apply's Refused).
func (r Rejected) IDReused() bool {
	return strings.HasPrefix(r.Reason, "id ") && strings.Contains(r.Reason, " is already the id of an earlier event")
}

// New returns an empty State.
func New() *State {
	return &State{
		series:      map[seriesKey]*series{},
		byActor:     map[events.Country][]*series{},
		motions:     map[uuid.UUID]*motionRec{},
		motionNames: map[events.MotionID][]*motionRec{},
		retractions: map[uuid.UUID]*retractionRec{},
		retractedBy: map[uuid.UUID][]*retractionRec{},
		correctedBy: map[uuid.UUID][]*obs{},
		rejected:    map[uint64]Rejected{},
		reviews:     map[uuid.UUID]*reviewRec{},
		decisions:   map[uuid.UUID]*reviewRec{},
		decisionIDs: map[uuid.UUID]*reviewRec{},
		blocs:       map[uuid.UUID]*reviewRec{},
		copies:      map[uuid.UUID][]copyOf{},
		held:        map[string]*heldGroup{},
		vocab:       newVocab(),
		votes:       newVoteIndex(),
	}
}

// LastSeq returns the highest stream sequence applied or skipped.
func (s *State) LastSeq() uint64 { return s.lastSeq }

// LastID returns the id of the event at LastSeq (uuid.Nil for a skipped one).
func (s *State) LastID() uuid.UUID { return s.lastID }

// Len returns how many distinct events the state holds.
func (s *State) Len() int { return s.count }

func (s *State) advance(m Meta, id uuid.UUID) {
	if m.Seq > s.lastSeq {
		s.lastSeq, s.lastID = m.Seq, id
	}
}

// seqOf returns the sequence at which an event id was applied.
func (s *State) seqOf(id uuid.UUID) (uint64, bool) {
	if o := s.positions.get(id); o != nil {
		return o.seq, true
	}
	if m := s.motions[id]; m != nil {
		return m.seq, true
	}
	if r := s.retractions[id]; r != nil {
		return r.seq, true
	}
	return s.reviewSeq(id)
}

// Apply folds one event into the state. An event whose id was applied
// before is a duplicate and changes nothing, whatever its sequence; if a
// copy with a lower sequence arrives later (out of order), the lower one
// is kept, so the result never depends on arrival order.
//
// An id is one event: a copy with other content (another actor, topic,
// stance...: events.Differences) is refused, not applied. The copy with
// the lower sequence holds the id, the other is recorded as rejected with
// what differs (and the projector dead-letters it), again whatever the
// order they arrive in.
func (s *State) Apply(ev events.Event, m Meta) Outcome {
	if prev, ok := s.seqOf(ev.ID); ok {
		held, heldMeta := s.eventOf(ev.ID)
		if m.Seq >= prev {
			s.advance(m, ev.ID)
			if diffs := events.Differences(held, ev); len(diffs) > 0 {
				s.refuse(m, ev, diffs)
				return Refused
			}
			return Duplicate
		}
		// This copy comes first in the stream: it holds the id. The copy
		// held so far, and those refused against it, are judged again
		// against this one (so the outcome does not depend on order).
		s.remove(ev.ID)
		copies := append(s.copies[ev.ID], copyOf{held, heldMeta})
		delete(s.copies, ev.ID)
		for _, c := range copies {
			delete(s.rejected, c.m.Seq)
			if diffs := events.Differences(ev, c.ev); len(diffs) > 0 {
				s.refuse(c.m, c.ev, diffs)
			}
		}
	}
	s.advance(m, ev.ID)
	s.count++
	switch d := ev.Data.(type) {
	case events.Position:
		o, h := s.positions.alloc()
		newObs(o, s.vocab, ev, d, m)
		s.positions.put(h)
		s.seriesFor(seriesKey{d.Actor, d.Topic}).insert(s.vocab, o)
		s.votes.touch(seriesKey{d.Actor, d.Topic}, o.day)
		if d.Supersedes != uuid.Nil {
			s.correctedBy[d.Supersedes] = insertBySeq(s.correctedBy[d.Supersedes], o, func(x *obs) uint64 { return x.seq })
			s.invalidatePosition(d.Supersedes)
		}
	case events.Motion:
		mr := &motionRec{id: ev.ID, seq: m.Seq, recorded: m.Recorded, source: ev.Source, m: d}
		s.motions[ev.ID] = mr
		for _, id := range mr.names() {
			s.motionNames[id] = append(s.motionNames[id], mr)
		}
		s.invalidateMotion(d)
	case events.Retraction:
		r := &retractionRec{id: ev.ID, seq: m.Seq, recorded: m.Recorded, source: ev.Source, r: d}
		s.retractions[ev.ID] = r
		s.retractedBy[d.Target] = insertBySeq(s.retractedBy[d.Target], r, func(x *retractionRec) uint64 { return x.seq })
		s.invalidatePosition(d.Target)
		if mr := s.motions[d.Target]; mr != nil {
			s.invalidateMotion(mr.m)
		}
		if c := s.positions.get(d.Target); c != nil && c.Supersedes(s.vocab) != uuid.Nil {
			s.invalidatePosition(c.Supersedes(s.vocab)) // a retracted correction restores what it corrected
		}
	case events.Review, events.ReviewDecision:
		s.applyReview(ev, m)
	case events.BlocDefinition:
		s.blocs[ev.ID] = &reviewRec{id: ev.ID, seq: m.Seq, recorded: m.Recorded, source: ev.Source, ev: ev}
	}
	return Applied
}

// refuse records the copy of id at m as rejected: an earlier event holds
// the id and states something else. The reason names what differs, not
// the holder's sequence, so that it does not depend on the order copies
// with the same content arrive in.
func (s *State) refuse(m Meta, ev events.Event, diffs []string) {
	reason := fmt.Sprintf("id %s is already the id of an earlier event, which states something else: %s", ev.ID, strings.Join(diffs, "; "))
	s.rejected[m.Seq] = Rejected{Seq: m.Seq, ID: ev.ID.String(), Reason: reason, At: m.Recorded.UTC()}
	if !slices.ContainsFunc(s.copies[ev.ID], func(c copyOf) bool { return c.m.Seq == m.Seq }) {
		s.copies[ev.ID] = append(s.copies[ev.ID], copyOf{ev, m})
	}
}

// copyOf is a refused copy of an id, kept (in memory only: copies are
// rare) so that it can be judged again if a copy earlier in the stream
// arrives after it.
type copyOf struct {
	ev events.Event
	m  Meta
}

// eventOf rebuilds the applied event with an id, and its meta.
func (s *State) eventOf(id uuid.UUID) (events.Event, Meta) {
	if o := s.positions.get(id); o != nil {
		return events.Event{ID: id, Source: o.Source(s.vocab), SchemaVersion: events.CurrentSchemaVersion, Data: o.Position(s.vocab)},
			Meta{Seq: o.seq, Recorded: o.Recorded()}
	}
	if r := s.motions[id]; r != nil {
		return events.Event{ID: id, Source: r.source, SchemaVersion: events.CurrentSchemaVersion, Data: r.m}, Meta{Seq: r.seq, Recorded: r.recorded}
	}
	if r := s.retractions[id]; r != nil {
		return events.Event{ID: id, Source: r.source, SchemaVersion: events.CurrentSchemaVersion, Data: r.r}, Meta{Seq: r.seq, Recorded: r.recorded}
	}
	if r := s.reviewRecOf(id); r != nil {
		return r.ev, Meta{Seq: r.seq, Recorded: r.recorded}
	}
	return events.Event{}, Meta{}
}

// Skip records that the event at m.Seq could not be applied, and why. The
// state moves past it, so a poison message never stalls a projection.
func (s *State) Skip(m Meta, id string, reason string) {
	if _, ok := s.rejected[m.Seq]; !ok {
		s.rejected[m.Seq] = Rejected{Seq: m.Seq, ID: id, Reason: reason, At: m.Recorded.UTC()}
	}
	s.advance(m, uuid.Nil)
}

// remove takes an applied event out again; Apply uses it to replace a
// duplicate that arrived first with the copy that has the lower sequence.
func (s *State) remove(id uuid.UUID) {
	s.count--
	if o := s.positions.get(id); o != nil {
		s.positions.del(id)
		s.series[o.key(s.vocab)].delete(o)
		s.votes.touch(o.key(s.vocab), o.day)
		if t := o.Supersedes(s.vocab); t != uuid.Nil {
			s.correctedBy[t] = slices.DeleteFunc(s.correctedBy[t], func(x *obs) bool { return x == o })
			s.invalidatePosition(t)
		}
		delete(s.vocab.extras, o)
		return
	}
	if m := s.motions[id]; m != nil {
		delete(s.motions, id)
		for _, n := range m.names() {
			if s.motionNames[n] = slices.DeleteFunc(s.motionNames[n], func(x *motionRec) bool { return x == m }); len(s.motionNames[n]) == 0 {
				delete(s.motionNames, n)
			}
		}
		s.invalidateMotion(m.m)
		return
	}
	if s.removeReview(id) {
		return
	}
	if _, ok := s.blocs[id]; ok {
		delete(s.blocs, id)
		return
	}
	if r := s.retractions[id]; r != nil {
		delete(s.retractions, id)
		t := r.r.Target
		s.retractedBy[t] = slices.DeleteFunc(s.retractedBy[t], func(x *retractionRec) bool { return x == r })
		s.invalidatePosition(t)
		if mr := s.motions[t]; mr != nil {
			s.invalidateMotion(mr.m)
		}
	}
}

func insertBySeq[T any](xs []T, x T, seq func(T) uint64) []T {
	i, _ := slices.BinarySearchFunc(xs, seq(x), func(e T, t uint64) int {
		switch {
		case seq(e) < t:
			return -1
		case seq(e) > t:
			return 1
		}
		return 0
	})
	return slices.Insert(xs, i, x)
}

func (s *State) seriesFor(k seriesKey) *series {
	sr := s.series[k]
	if sr == nil {
		sr = &series{key: k}
		s.series[k] = sr
		// Keep each actor's series ordered by topic.
		list := s.byActor[k.actor]
		i, _ := slices.BinarySearchFunc(list, k.topic.String(), func(e *series, t string) int { return strings.Compare(e.key.topic.String(), t) })
		s.byActor[k.actor] = slices.Insert(list, i, sr)
	}
	return sr
}

func (s *State) invalidatePosition(id uuid.UUID) {
	if o := s.positions.get(id); o != nil {
		s.series[o.key(s.vocab)].view.Store(nil)
		s.votes.touch(o.key(s.vocab), o.day)
	}
}

// invalidateMotion drops what a motion record (added, retracted or
// restored) can change: motion ids and aliases decide which observations
// describe the same vote, so the views and vote counts of the
// observations on its id and aliases, and on those of every record that
// shares one of them, are derived again. It looks through every
// observation once (milliseconds on the whole record) instead of
// recounting every vote (most of a second).
func (s *State) invalidateMotion(m events.Motion) {
	s.aliases.Store(nil)
	if s.restoring {
		// The series are restored before the motions, so the scan below
		// would visit every observation once for each motion.
		return
	}
	s.motionObs(m, func(k seriesKey, sr *series, o *obs) {
		s.votes.touch(k, o.day)
		sr.view.Store(nil)
	})
}

// motionObs calls fn for every observation on a motion: on its id or an
// alias, or on those of any motion record sharing one of them (a motion
// event decides which observations describe the same vote, in any
// series, through them).
func (s *State) motionObs(m events.Motion, fn func(k seriesKey, sr *series, o *obs)) {
	ids := map[events.MotionID]bool{}
	next := append([]events.MotionID{m.ID}, m.Aliases...)
	for len(next) > 0 {
		id := next[len(next)-1]
		next = next[:len(next)-1]
		if ids[id] {
			continue
		}
		ids[id] = true
		for _, r := range s.motionNames[id] {
			next = append(next, r.names()...)
		}
	}
	interned := make(map[uint32]bool, len(ids))
	for id := range ids {
		if i, ok := s.vocab.motions.lookup(id); ok {
			interned[i] = true
		}
	}
	if len(interned) == 0 {
		return // no observation names it
	}
	// The shared records that name one of them.
	naming := map[uint32]bool{}
	for i, sh := range s.vocab.shared.all() {
		if interned[sh.motion] {
			naming[uint32(i)] = true
		}
	}
	for k, sr := range s.series {
		for _, o := range sr.obs {
			if naming[o.shared] {
				fn(k, sr, o)
			}
		}
	}
}

// obsLess orders observations by occurrence, then sequence.
func (v *vocab) obsLess(a, b *obs) int {
	if c := a.compareOccurred(v, b); c != 0 {
		return c
	}
	switch {
	case a.seq < b.seq:
		return -1
	case a.seq > b.seq:
		return 1
	}
	return 0
}

func (sr *series) insert(v *vocab, o *obs) {
	// Most events arrive in order of occurrence: append is the fast path.
	if n := len(sr.obs); n == 0 || v.obsLess(sr.obs[n-1], o) < 0 {
		sr.obs = append(sr.obs, o)
	} else {
		i, _ := slices.BinarySearchFunc(sr.obs, o, v.obsLess)
		sr.obs = slices.Insert(sr.obs, i, o)
	}
	sr.view.Store(nil)
}

func (sr *series) delete(o *obs) {
	sr.obs = slices.DeleteFunc(sr.obs, func(x *obs) bool { return x == o })
	sr.view.Store(nil)
}

// motionIndex maps every motion id and alias to the motion event that
// currently describes it.
type motionIndex struct {
	canonical map[events.MotionID]events.MotionID // alias or id -> canonical id
	current   map[events.MotionID]*motionRec      // canonical id -> latest live motion event
}

// motionIndexAt builds the index from motion events recorded by knownAt
// (all when zero) and not retracted by then. The latest event (highest
// sequence) for an id wins, and so does its claim on an alias.
func (s *State) motionIndexAt(knownAt time.Time) *motionIndex {
	if knownAt.IsZero() {
		if idx := s.aliases.Load(); idx != nil {
			return idx
		}
		s.aliasMu.Lock()
		defer s.aliasMu.Unlock()
		if idx := s.aliases.Load(); idx != nil {
			return idx
		}
	}
	recs := make([]*motionRec, 0, len(s.motions))
	for _, m := range s.motions {
		if known(m.knownAt(), knownAt) && !s.retracted(m.id, knownAt) {
			recs = append(recs, m)
		}
	}
	slices.SortFunc(recs, func(a, b *motionRec) int { return cmpU64(a.seq, b.seq) })
	idx := &motionIndex{canonical: map[events.MotionID]events.MotionID{}, current: map[events.MotionID]*motionRec{}}
	for _, m := range recs {
		idx.current[m.m.ID] = m
		idx.canonical[m.m.ID] = m.m.ID
	}
	for _, m := range recs {
		for _, a := range m.m.Aliases {
			if _, isID := idx.current[a]; !isID {
				idx.canonical[a] = m.m.ID
			}
		}
	}
	if knownAt.IsZero() {
		s.aliases.Store(idx)
	}
	return idx
}

// penned reports whether actor is a penholder of the motion.
func (idx *motionIndex) penned(id events.MotionID, actor events.Country) bool {
	m := idx.current[id]
	return m != nil && slices.Contains(m.m.Penholders, actor)
}

func (idx *motionIndex) resolve(id events.MotionID) events.MotionID {
	if c, ok := idx.canonical[id]; ok {
		return c
	}
	return id
}

func known(recorded, knownAt time.Time) bool {
	return knownAt.IsZero() || !recorded.After(knownAt)
}

// knownNanos is known for a recorded time in unix nanoseconds.
func knownNanos(recorded int64, knownAt time.Time) bool {
	return knownAt.IsZero() || recorded <= knownAt.UnixNano()
}

// retracted reports whether a live retraction of id was recorded by knownAt.
func (s *State) retracted(id uuid.UUID, knownAt time.Time) bool {
	return s.retractionOf(id, knownAt) != nil
}

// retractionOf returns the first retraction of id recorded by knownAt.
// Retractions are themselves facts and cannot be retracted: to restore a
// withdrawn observation, publish it again as a correction.
func (s *State) retractionOf(id uuid.UUID, knownAt time.Time) *retractionRec {
	for _, r := range s.retractedBy[id] {
		if known(r.recorded, knownAt) {
			return r
		}
	}
	return nil
}

// correctionsOf returns the live corrections of id recorded by knownAt.
func (s *State) correctionsOf(id uuid.UUID, knownAt time.Time) []*obs {
	var out []*obs
	for _, c := range s.correctedBy[id] {
		if knownNanos(c.recorded, knownAt) && !s.retracted(c.id, knownAt) {
			out = append(out, c)
		}
	}
	return out
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

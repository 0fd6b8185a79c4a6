package projections

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// Vote is an actor's vote on a roll call as alignment measures count it:
// the stance of its counted observation of the motion, reduced to yes, no
// or abstain. A veto is a no; absences, and every stance that is not a
// roll-call vote (support, oppose, sponsor...), are NotVoting.
type Vote uint8

// Votes.
const (
	NotVoting Vote = iota
	VotedYes
	VotedNo
	Abstained
)

// String names the vote ("yes", "no", "abstain", "" for NotVoting).
func (v Vote) String() string {
	return [...]string{"", "yes", "no", "abstain"}[v]
}

// VoteOf reduces a counted stance to a Vote: a veto is a no; a stance
// that is not a roll-call vote is NotVoting.
func VoteOf(st events.Stance) Vote {
	switch st {
	case events.VoteYes:
		return VotedYes
	case events.VoteNo, events.Veto:
		return VotedNo
	case events.Abstain:
		return Abstained
	}
	return NotVoting
}

// RollCallVotes is one roll call (a motion, on its day) as alignment
// measures read it: the vote of every actor that voted, by actor index.
// A roll call filed under several topics is one RollCallVotes per topic.
type RollCallVotes struct {
	Motion  events.MotionID
	Day     events.Date
	Body    string // from the motion's record ("UNGA", "UNSC"); "" when none describes it
	Session string // from the motion's record; "" when not recorded
	// Votes holds each actor's vote by its index in the VoteTable's
	// Actors; actors past its end did not vote. Never modified once
	// handed out.
	Votes []Vote
}

// Vote returns the vote of the actor at index i.
func (rc *RollCallVotes) Vote(i int) Vote {
	if i < 0 || i >= len(rc.Votes) {
		return NotVoting
	}
	return rc.Votes[i]
}

// Count returns how many actors voted yes, no and abstained.
func (rc *RollCallVotes) Count() (yes, no, abstain int) {
	for _, v := range rc.Votes {
		switch v {
		case VotedYes:
			yes++
		case VotedNo:
			no++
		case Abstained:
			abstain++
		}
	}
	return
}

// VoteTable is the roll calls of a topic in a date range, with the votes
// the timelines count: the input of every alignment measure.
type VoteTable struct {
	Topic     events.Topic     // zero: every topic, each roll call once
	Actors    []events.Country // by index; the same order in every table of a State
	RollCalls []*RollCallVotes // ordered by day, then motion
}

// ActorIndex returns the index of an actor in the table, or -1.
func (t VoteTable) ActorIndex(a events.Country) int {
	return slices.Index(t.Actors, a)
}

// VoteFilter chooses the roll calls of a VoteTable.
type VoteFilter struct {
	Topic    events.Topic // zero: every topic, each roll call once
	From, To events.Date  // inclusive; zero: open
}

func (f VoteFilter) admits(d events.Date, asOf events.Date) bool {
	if !f.From.IsZero() && d.Before(f.From) {
		return false
	}
	if !f.To.IsZero() && f.To.Before(d) {
		return false
	}
	return asOf.IsZero() || !asOf.Before(d)
}

// voteIndex holds, per topic and day, the roll calls and the counted
// vote of every actor on them. It is kept incrementally: Apply marks
// the (series, day) an event can change, and the next read recounts only
// those days of those series, with the timelines' own rules (retractions,
// corrections, the conflict rule, motion aliases). A motion event (ids
// and aliases decide which observations are one vote) marks the days of
// the observations on its id and aliases, and on those of every motion
// record that shares one (State.invalidateMotion), not everything. Only
// a new index (a new or restored State) counts everything, on its first
// read.
type voteIndex struct {
	mu       sync.Mutex
	all      bool                           // count everything on the next read (a new index)
	dirty    map[seriesKey]map[int32]bool   // days to recount, per series
	actors   []events.Country               // by index
	actorIdx map[events.Country]int         //
	topics   map[events.Topic]*topicVotes   //
	gen      map[events.Topic]map[int]int64 // per topic and year: bumped when a roll call there changes
	motions  *motionIndex                   // during a refresh: describes the roll calls it creates
}

type topicVotes struct {
	byDay map[int32][]*RollCallVotes // unix day -> roll calls of that day, by motion
}

func newVoteIndex() *voteIndex {
	return &voteIndex{all: true, dirty: map[seriesKey]map[int32]bool{}, actorIdx: map[events.Country]int{},
		topics: map[events.Topic]*topicVotes{}, gen: map[events.Topic]map[int]int64{}}
}

// touch marks one day of a series for recounting.
func (vi *voteIndex) touch(k seriesKey, day int32) {
	vi.mu.Lock()
	defer vi.mu.Unlock()
	if vi.all {
		return
	}
	d := vi.dirty[k]
	if d == nil {
		d = map[int32]bool{}
		vi.dirty[k] = d
	}
	d[day] = true
}

func (vi *voteIndex) actor(a events.Country) int {
	i, ok := vi.actorIdx[a]
	if !ok {
		i = len(vi.actors)
		vi.actors = append(vi.actors, a)
		vi.actorIdx[a] = i
	}
	return i
}

func (vi *voteIndex) bump(t events.Topic, day int32) {
	g := vi.gen[t]
	if g == nil {
		g = map[int]int64{}
		vi.gen[t] = g
	}
	g[events.DateFromUnixDays(int(day)).Time().Year()]++
}

// set records actor i's vote on a motion on a day under a topic,
// replacing the roll call's vector (copy on write: tables handed out
// keep theirs).
func (vi *voteIndex) set(t events.Topic, motion events.MotionID, day int32, i int, v Vote) {
	tv := vi.topics[t]
	if tv == nil {
		tv = &topicVotes{byDay: map[int32][]*RollCallVotes{}}
		vi.topics[t] = tv
	}
	list := tv.byDay[day]
	j, found := slices.BinarySearchFunc(list, motion.String(), func(rc *RollCallVotes, m string) int { return cmp.Compare(rc.Motion.String(), m) })
	if !found {
		if v == NotVoting {
			return
		}
		rc := &RollCallVotes{Motion: motion, Day: events.DateFromUnixDays(int(day))}
		if vi.motions != nil {
			if m := vi.motions.current[motion]; m != nil {
				rc.Body, rc.Session = m.m.Body, m.m.Session
			}
		}
		list = slices.Insert(list, j, rc)
		tv.byDay[day] = list
	}
	rc := list[j]
	if rc.Vote(i) == v {
		return
	}
	votes := make([]Vote, max(len(rc.Votes), i+1))
	copy(votes, rc.Votes)
	votes[i] = v
	for len(votes) > 0 && votes[len(votes)-1] == NotVoting {
		votes = votes[:len(votes)-1]
	}
	nrc := *rc
	nrc.Votes = votes
	if len(votes) == 0 {
		tv.byDay[day] = slices.Delete(list, j, j+1)
	} else {
		list[j] = &nrc
	}
	vi.bump(t, day)
}

// clearDay takes actor i's votes on a topic's roll calls of a day out.
func (vi *voteIndex) clearDay(t events.Topic, day int32, i int) {
	tv := vi.topics[t]
	if tv == nil {
		return
	}
	for _, rc := range slices.Clone(tv.byDay[day]) {
		if rc.Vote(i) != NotVoting {
			vi.set(t, rc.Motion, day, i, NotVoting)
		}
	}
}

// countedVotes calls fn with the counted observation of every slot
// (motion, day) among obs, a run of a series' observations ordered by
// (occurred, seq), under the lens: the rule of derive, without building
// the whole view.
func (s *State) countedVotes(run []*obs, idx *motionIndex, c Lens, actor events.Country, fn func(motion events.MotionID, w *obs)) {
	type voteSlot struct {
		m events.MotionID
		w *obs
	}
	var slots []voteSlot
	for i := 0; i < len(run); {
		j := i
		for j < len(run) && run[j].day == run[i].day {
			j++
		}
		slots = slots[:0]
		for _, o := range run[i:j] {
			if !c.admits(o) || o.motionID(s.vocab) == 0 {
				continue
			}
			m := idx.resolve(o.Motion(s.vocab))
			if c.ExcludeOwn && idx.penned(m, actor) {
				continue
			}
			if s.retracted(o.id, c.KnownAt) || len(s.correctionsOf(o.id, c.KnownAt)) > 0 {
				continue
			}
			k := slices.IndexFunc(slots, func(x voteSlot) bool { return x.m == m })
			switch {
			case k < 0:
				slots = append(slots, voteSlot{m, o})
			case beats(s.vocab, o, slots[k].w):
				slots[k].w = o
			}
		}
		for _, sl := range slots {
			fn(sl.m, sl.w)
		}
		i = j
	}
}

// dayRange returns the observations of a series on one unix day.
func (sr *series) dayRange(day int32) []*obs {
	i, _ := slices.BinarySearchFunc(sr.obs, day, func(o *obs, d int32) int { return cmp.Compare(o.day, d) })
	j := i
	for j < len(sr.obs) && sr.obs[j].day == day {
		j++
	}
	return sr.obs[i:j]
}

// refresh brings the index up to date with the state. The caller holds
// vi.mu.
func (s *State) refreshVotes() {
	vi := s.votes
	vi.motions = s.motionIndexAt(time.Time{})
	defer func() { vi.motions = nil }()
	if vi.all {
		vi.all = false
		clear(vi.dirty)
		vi.topics = map[events.Topic]*topicVotes{}
		for t := range vi.gen {
			for y := range vi.gen[t] {
				vi.gen[t][y]++
			}
		}
		idx := s.motionIndexAt(time.Time{})
		for _, sr := range s.sortedSeries() {
			i := vi.actor(sr.key.actor)
			s.countedVotes(sr.obs, idx, Lens{}, sr.key.actor, func(m events.MotionID, w *obs) {
				vi.set(sr.key.topic, m, w.day, i, VoteOf(w.Stance()))
			})
		}
		return
	}
	if len(vi.dirty) == 0 {
		return
	}
	idx := s.motionIndexAt(time.Time{})
	for k, days := range vi.dirty {
		sr := s.series[k]
		i := vi.actor(k.actor)
		for day := range days {
			vi.clearDay(k.topic, day, i)
			if sr == nil {
				continue
			}
			s.countedVotes(sr.dayRange(day), idx, Lens{}, k.actor, func(m events.MotionID, w *obs) {
				vi.set(k.topic, m, w.day, i, VoteOf(w.Stance()))
			})
		}
	}
	clear(vi.dirty)
}

// VoteGeneration returns a number that changes whenever a roll call of
// the topic in that year changes (a vote counted, corrected, retracted):
// what a cache of measures over that year keys on.
func (s *State) VoteGeneration(topic events.Topic, year int) int64 {
	vi := s.votes
	vi.mu.Lock()
	defer vi.mu.Unlock()
	s.refreshVotes()
	return vi.gen[topic][year]
}

// VoteTable returns the roll calls the filter chooses, with the vote
// each actor's timeline counts on each, under the lens: as_of leaves out
// roll calls after its day, known_at counts only what was recorded by
// then (recounted from the observations, not from the live index), and
// exclude_own leaves out an actor's votes on texts it put forward.
func (s *State) VoteTable(f VoteFilter, c Lens) VoteTable {
	if !c.KnownAt.IsZero() || c.ExcludeOwn {
		return s.voteTableAt(f, c)
	}
	vi := s.votes
	vi.mu.Lock()
	defer vi.mu.Unlock()
	s.refreshVotes()
	t := VoteTable{Topic: f.Topic, Actors: slices.Clone(vi.actors)}
	var topics []events.Topic
	if f.Topic.IsZero() {
		for tp := range vi.topics {
			topics = append(topics, tp)
		}
		slices.SortFunc(topics, func(a, b events.Topic) int { return cmp.Compare(a.String(), b.String()) })
	} else {
		topics = []events.Topic{f.Topic}
	}
	seen := map[slotKey]int{}
	for _, tp := range topics {
		tv := vi.topics[tp]
		if tv == nil {
			continue
		}
		for day, list := range tv.byDay {
			if !f.admits(events.DateFromUnixDays(int(day)), c.AsOf) {
				continue
			}
			for _, rc := range list {
				t.add(seen, rc)
			}
		}
	}
	s.describe(&t)
	return t
}

// mergeVotes fills the votes a lacks from b: a roll call filed under
// several topics, read across topics, is one roll call.
// add puts a roll call into the table, merging it with the one of the
// same motion and day already there (a roll call filed under several
// topics).
func (t *VoteTable) add(seen map[slotKey]int, rc *RollCallVotes) {
	k := slotKey{rc.Motion, rc.Day}
	if j, dup := seen[k]; dup {
		t.RollCalls[j] = mergeVotes(t.RollCalls[j], rc)
		return
	}
	seen[k] = len(t.RollCalls)
	t.RollCalls = append(t.RollCalls, rc)
}

func mergeVotes(a, b *RollCallVotes) *RollCallVotes {
	out := *a
	out.Votes = make([]Vote, max(len(a.Votes), len(b.Votes)))
	copy(out.Votes, a.Votes)
	for i, v := range b.Votes {
		if out.Votes[i] == NotVoting {
			out.Votes[i] = v
		}
	}
	return &out
}

// describe orders the table's roll calls and adds what their motions'
// records say (body, session).
func (s *State) describe(t *VoteTable) {
	idx := s.motionIndexAt(time.Time{})
	for i, rc := range t.RollCalls {
		if m := idx.current[rc.Motion]; m != nil && (rc.Body != m.m.Body || rc.Session != m.m.Session) {
			d := *rc
			d.Body, d.Session = m.m.Body, m.m.Session
			t.RollCalls[i] = &d
		}
	}
	slices.SortFunc(t.RollCalls, func(a, b *RollCallVotes) int {
		return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.Motion.String(), b.Motion.String()))
	})
}

// voteTableAt counts a table from the observations under a lens the live
// index does not hold (known_at, exclude_own).
func (s *State) voteTableAt(f VoteFilter, c Lens) VoteTable {
	vi := newVoteIndex()
	vi.all = false
	s.votes.mu.Lock()
	for _, a := range s.votes.actors { // the same actor order as the live tables
		vi.actor(a)
	}
	s.votes.mu.Unlock()
	idx := s.motionIndexAt(c.KnownAt)
	vi.motions = idx
	for _, sr := range s.sortedSeries() {
		if !f.Topic.IsZero() && sr.key.topic != f.Topic {
			continue
		}
		i := vi.actor(sr.key.actor)
		s.countedVotes(sr.obs, idx, c, sr.key.actor, func(m events.MotionID, w *obs) {
			if f.admits(w.Day(), c.AsOf) {
				vi.set(sr.key.topic, m, w.day, i, VoteOf(w.Stance()))
			}
		})
	}
	t := VoteTable{Topic: f.Topic, Actors: vi.actors}
	seen := map[slotKey]int{}
	var topics []events.Topic
	for tp := range vi.topics {
		topics = append(topics, tp)
	}
	slices.SortFunc(topics, func(a, b events.Topic) int { return cmp.Compare(a.String(), b.String()) })
	for _, tp := range topics {
		for _, list := range vi.topics[tp].byDay {
			for _, rc := range list {
				t.add(seen, rc)
			}
		}
	}
	slices.SortFunc(t.RollCalls, func(a, b *RollCallVotes) int {
		return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.Motion.String(), b.Motion.String()))
	})
	return t
}

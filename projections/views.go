package projections

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// EvidenceView is the evidence of an observation.
type EvidenceView struct {
	Quote string `json:"quote,omitempty"`
	// QuoteDerived says the quote is not in the event: a roll call's vote
	// stored without one (a large record's), described from the vote and
	// its motion when read.
	QuoteDerived bool            `json:"quote_derived,omitempty"`
	URL          string          `json:"url,omitempty"`
	Citation     string          `json:"citation,omitempty"`
	Document     string          `json:"document,omitempty"`
	Offset       *int64          `json:"offset,omitempty"`
	Producer     events.Producer `json:"producer"`
	Confidence   float64         `json:"confidence"`
}

// RetractionView says who withdrew an observation, when and why.
type RetractionView struct {
	ID       uuid.UUID `json:"id"`
	Seq      uint64    `json:"seq"`
	Recorded time.Time `json:"recorded"`
	Reason   string    `json:"reason"`
	Source   string    `json:"source"`
}

// PositionView is one observation as the API shows it, with both clocks:
// Occurred (when the position was taken) and Recorded (when the stream
// stored it).
type PositionView struct {
	ID          uuid.UUID       `json:"id"`
	Seq         uint64          `json:"seq"`
	Recorded    time.Time       `json:"recorded"`
	Source      string          `json:"source"`
	Actor       events.Country  `json:"actor"`
	Topic       events.Topic    `json:"topic"`
	Stance      events.Stance   `json:"stance"`
	Motion      events.MotionID `json:"motion,omitzero"`
	MotionRef   events.MotionID `json:"motion_ref,omitzero"` // the motion as the source named it, when that differs
	Occurred    events.Occurred `json:"occurred"`
	From        events.Stance   `json:"from,omitzero"`
	Supersedes  uuid.UUID       `json:"supersedes,omitzero"`
	Evidence    EvidenceView    `json:"evidence"`
	Status      Status          `json:"status,omitempty"`
	ShiftFrom   events.Stance   `json:"shift_from,omitzero"` // on counted entries that changed the stance
	Retraction  *RetractionView `json:"retraction,omitempty"`
	CorrectedBy []uuid.UUID     `json:"corrected_by,omitempty"`
}

// Shift is a change in an actor's stance on a topic between two
// consecutive counted observations.
type Shift struct {
	Actor     events.Country   `json:"actor"`
	Topic     events.Topic     `json:"topic"`
	From      events.Stance    `json:"from"`
	To        events.Stance    `json:"to"`
	Direction events.Direction `json:"direction"`
	Date      events.Date      `json:"date"` // the day of the later observation
	FromEvent PositionView     `json:"from_position"`
	ToEvent   PositionView     `json:"to_position"`
}

// Conflict kinds.
const (
	// ConflictDisagreement: two sources describe the same vote (actor,
	// topic, motion, day) with different stances.
	ConflictDisagreement = "disagreement"
	// ConflictFrom: a source says the actor moved from a stance that the
	// history does not show just before.
	ConflictFrom = "from_mismatch"
)

// Conflict is a disagreement the projection keeps open: both pieces of
// evidence, and which one the timeline counts.
type Conflict struct {
	Kind    string          `json:"kind"`
	Actor   events.Country  `json:"actor"`
	Topic   events.Topic    `json:"topic"`
	Motion  events.MotionID `json:"motion,omitzero"`
	Date    events.Date     `json:"date"`
	Counted PositionView    `json:"counted"`
	Others  []PositionView  `json:"others"`
	Rule    string          `json:"rule"`
}

// History is one actor's record on one topic.
type History struct {
	Actor     events.Country `json:"actor"`
	ActorName string         `json:"actor_name"`
	Topic     events.Topic   `json:"topic"`
	Current   *PositionView  `json:"current"`
	Entries   []PositionView `json:"entries"`
	Shifts    []Shift        `json:"shifts"`
	Conflicts []Conflict     `json:"conflicts"`
}

// ActorSummary is a line of the actor list.
type ActorSummary struct {
	Actor events.Country `json:"actor"`
	Name  string         `json:"name"`
	// Former describes a state that no longer exists (Yugoslavia, the
	// German Democratic Republic...); nil for a current one.
	Former       *events.FormerState `json:"former,omitempty"`
	Topics       int                 `json:"topics"`
	Positions    int                 `json:"positions"`
	Shifts       int                 `json:"shifts"`
	LastOccurred events.Date         `json:"last_occurred"`
}

// TopicStance is an actor's current stance on one topic.
type TopicStance struct {
	Topic     events.Topic   `json:"topic"`
	Actor     events.Country `json:"actor"`
	Name      string         `json:"name"`
	Current   PositionView   `json:"current"`
	Positions int            `json:"positions"`
	Shifts    int            `json:"shifts"`
	LastShift *Shift         `json:"last_shift,omitempty"`
}

// ActorView is where one actor stands on every topic.
type ActorView struct {
	Actor  events.Country      `json:"actor"`
	Name   string              `json:"name"`
	Alpha3 string              `json:"alpha3"`
	Former *events.FormerState `json:"former,omitempty"` // nil for a current state
	Topics []TopicStance       `json:"topics"`
}

// TopicView is where every actor stands on one topic, and the motions on it.
type TopicView struct {
	Topic   events.Topic    `json:"topic"`
	Actors  []TopicStance   `json:"actors"`
	Motions []MotionSummary `json:"motions"`
}

// MotionSummary is a motion without its roll call.
type MotionSummary struct {
	ID            events.MotionID   `json:"id"`
	EventID       uuid.UUID         `json:"event_id,omitzero"`
	Seq           uint64            `json:"seq,omitempty"`
	Aliases       []events.MotionID `json:"aliases,omitempty"`
	Kind          events.MotionKind `json:"kind,omitempty"`
	Body          string            `json:"body,omitempty"`
	Title         string            `json:"title,omitempty"`
	Topic         events.Topic      `json:"topic,omitzero"`
	Date          events.Date       `json:"date,omitzero"`
	Penholders    []events.Country  `json:"penholders,omitempty"`
	PenholderNote string            `json:"penholder_note,omitempty"`
	Sponsors      []events.Country  `json:"sponsors,omitempty"`
	Outcome       events.Outcome    `json:"outcome,omitempty"`
	Tally         *events.Tally     `json:"tally,omitempty"`
	VetoedBy      []events.Country  `json:"vetoed_by,omitempty"`
	Amends        events.MotionID   `json:"amends,omitzero"`
	Meeting       string            `json:"meeting,omitempty"`
	Sources       []events.Source   `json:"sources,omitempty"`
	Described     bool              `json:"described"` // false when only positions name the motion
}

// RollCallEntry is one actor's counted position on a motion.
type RollCallEntry struct {
	Actor    events.Country `json:"actor"`
	Name     string         `json:"name"`
	Stance   events.Stance  `json:"stance"`
	Position PositionView   `json:"position"`
}

// MotionView is a motion with its roll call as the timelines count it.
type MotionView struct {
	MotionSummary
	RollCall      []RollCallEntry `json:"roll_call"`
	ObservedTally map[string]int  `json:"observed_tally"` // stances counted in the roll call
}

// EventRef says where an applied event is.
type EventRef struct {
	ID    uuid.UUID
	Seq   uint64
	Type  events.Type
	Actor events.Country // zero for motions
	Topic events.Topic
}

func (s *State) positionView(e *entry) PositionView {
	o := e.o
	ev := o.Evidence(s.vocab)
	pv := PositionView{
		ID: o.id, Seq: o.seq, Recorded: o.Recorded(), Source: o.Source(s.vocab),
		Actor: o.Actor(s.vocab), Topic: o.Topic(s.vocab), Stance: o.Stance(), Motion: e.motion,
		Occurred: o.Occurred(s.vocab), From: o.From(), Supersedes: o.Supersedes(s.vocab),
		Evidence: EvidenceView{Quote: ev.Quote, URL: ev.URL, Citation: ev.Citation, Document: ev.Document,
			Offset: ev.Offset, Producer: ev.Producer, Confidence: ev.Confidence},
		Status: e.status,
	}
	if m := o.Motion(s.vocab); m != e.motion {
		pv.MotionRef = m
	}
	if ev.Quote == "" && ev.Producer == events.ProducerRollCall && !e.motion.IsZero() {
		pv.Evidence.Quote, pv.Evidence.QuoteDerived = s.voteSentence(pv.Actor, pv.Stance, e.motion, o.Day()), true
	}
	if e.shiftFrom != nil {
		pv.ShiftFrom = e.shiftFrom.o.Stance()
	}
	if r := e.retraction; r != nil {
		pv.Retraction = &RetractionView{ID: r.id, Seq: r.seq, Recorded: r.recorded.UTC(), Reason: r.r.Reason, Source: r.source}
	}
	for _, c := range e.corrections {
		pv.CorrectedBy = append(pv.CorrectedBy, c.id)
	}
	return pv
}

var voteWords = map[events.Stance]string{
	events.VoteYes: "voted yes", events.VoteNo: "voted no", events.Veto: "vetoed",
	events.Abstain: "abstained", events.Absent: "did not vote",
}

// voteSentence describes a roll call's vote: "India voted yes on
// A/RES/74/243 (Title), 2019-12-19".
func (s *State) voteSentence(actor events.Country, st events.Stance, motion events.MotionID, day events.Date) string {
	w, ok := voteWords[st]
	if !ok {
		w = st.String()
	}
	var b strings.Builder
	b.WriteString(actor.Name())
	b.WriteString(" " + w + " on " + motion.String())
	if m := s.motionIndexAt(time.Time{}).current[motion]; m != nil && m.m.Title != "" {
		b.WriteString(" (" + m.m.Title + ")")
	}
	b.WriteString(", " + day.String())
	return b.String()
}

func (s *State) shift(v *seriesView, p shiftPair) Shift {
	return Shift{
		Actor: v.key.actor, Topic: v.key.topic,
		From: p.from.o.Stance(), To: p.to.o.Stance(), Direction: events.DirectionOf(p.from.o.Stance(), p.to.o.Stance()),
		Date: p.to.o.Day(), FromEvent: s.positionView(p.from), ToEvent: s.positionView(p.to),
	}
}

func (s *State) conflicts(v *seriesView) []Conflict {
	var out []Conflict
	for _, sl := range v.slots {
		if !sl.disagree {
			continue
		}
		c := Conflict{Kind: ConflictDisagreement, Actor: v.key.actor, Topic: v.key.topic, Motion: sl.key.motion, Date: sl.key.day,
			Counted: s.positionView(sl.winner), Rule: ConflictRule}
		for _, e := range sl.entries {
			if e.status == Overruled {
				c.Others = append(c.Others, s.positionView(e))
			}
		}
		out = append(out, c)
	}
	for _, fc := range v.fromClash {
		out = append(out, Conflict{Kind: ConflictFrom, Actor: v.key.actor, Topic: v.key.topic, Motion: fc.e.motion, Date: fc.e.o.Day(),
			Counted: s.positionView(fc.prev), Others: []PositionView{s.positionView(fc.e)},
			Rule: "the source says the actor moved from " + fc.e.o.From().String() + "; the timeline shows " + fc.prev.o.Stance().String() + " before it"})
	}
	return out
}

func (s *State) history(sr *series, c Lens) (History, bool) {
	v := s.view(sr, c)
	if len(v.entries) == 0 {
		return History{}, false
	}
	h := History{Actor: sr.key.actor, ActorName: sr.key.actor.Name(), Topic: sr.key.topic,
		Entries: make([]PositionView, 0, len(v.entries)), Shifts: []Shift{}, Conflicts: s.conflicts(v)}
	for _, e := range v.entries {
		h.Entries = append(h.Entries, s.positionView(e))
	}
	if cur := v.current(); cur != nil {
		pv := s.positionView(cur)
		h.Current = &pv
	}
	for _, p := range v.shifts {
		h.Shifts = append(h.Shifts, s.shift(v, p))
	}
	if h.Conflicts == nil {
		h.Conflicts = []Conflict{}
	}
	return h, true
}

// seriesOf returns the series of an actor (every topic when topic is
// zero), ordered by topic.
func (s *State) seriesOf(actor events.Country, topic events.Topic) []*series {
	var out []*series
	if !topic.IsZero() {
		if sr := s.series[seriesKey{actor, topic}]; sr != nil {
			out = append(out, sr)
		}
		return out
	}
	return s.byActor[actor]
}

func (s *State) sortedSeries() []*series {
	out := make([]*series, 0, len(s.series))
	for _, sr := range s.series {
		out = append(out, sr)
	}
	slices.SortFunc(out, func(a, b *series) int {
		if c := cmp.Compare(a.key.actor.String(), b.key.actor.String()); c != 0 {
			return c
		}
		return cmp.Compare(a.key.topic.String(), b.key.topic.String())
	})
	return out
}

// Histories returns an actor's history on one topic, or on every topic
// when topic is zero. It is empty when nothing is recorded.
func (s *State) Histories(actor events.Country, topic events.Topic, c Lens) []History {
	out := []History{}
	for _, sr := range s.seriesOf(actor, topic) {
		if h, ok := s.history(sr, c); ok {
			out = append(out, h)
		}
	}
	return out
}

func (s *State) topicStance(sr *series, c Lens) (TopicStance, bool) {
	v := s.view(sr, c)
	cur := v.current()
	if cur == nil {
		return TopicStance{}, false
	}
	ts := TopicStance{Topic: sr.key.topic, Actor: sr.key.actor, Name: sr.key.actor.Name(), Current: s.positionView(cur),
		Positions: len(v.entries), Shifts: len(v.shifts)}
	if n := len(v.shifts); n > 0 {
		sh := s.shift(v, v.shifts[n-1])
		ts.LastShift = &sh
	}
	return ts, true
}

// Actors lists every actor with a counted position.
func (s *State) Actors(c Lens) []ActorSummary {
	byActor := map[events.Country]*ActorSummary{}
	var order []events.Country
	for _, sr := range s.sortedSeries() {
		v := s.view(sr, c)
		cur := v.current()
		if cur == nil {
			continue
		}
		a := byActor[sr.key.actor]
		if a == nil {
			a = &ActorSummary{Actor: sr.key.actor, Name: sr.key.actor.Name()}
			if f, ok := sr.key.actor.Former(); ok {
				a.Former = &f
			}
			byActor[sr.key.actor] = a
			order = append(order, sr.key.actor)
		}
		a.Topics++
		a.Positions += len(v.entries)
		a.Shifts += len(v.shifts)
		if d := cur.o.Day(); a.LastOccurred.Before(d) {
			a.LastOccurred = d
		}
	}
	out := make([]ActorSummary, 0, len(order))
	for _, a := range order {
		out = append(out, *byActor[a])
	}
	return out
}

// Actor returns where an actor stands on every topic.
func (s *State) Actor(actor events.Country, c Lens) (ActorView, bool) {
	av := ActorView{Actor: actor, Name: actor.Name(), Alpha3: actor.Alpha3(), Topics: []TopicStance{}}
	if f, ok := actor.Former(); ok {
		av.Former = &f
	}
	for _, sr := range s.seriesOf(actor, events.Topic{}) {
		if ts, ok := s.topicStance(sr, c); ok {
			av.Topics = append(av.Topics, ts)
		}
	}
	return av, len(av.Topics) > 0
}

// Topic returns where every actor stands on a topic, and its motions.
func (s *State) Topic(topic events.Topic, c Lens) (TopicView, bool) {
	tv := TopicView{Topic: topic, Actors: []TopicStance{}, Motions: []MotionSummary{}}
	for _, sr := range s.sortedSeries() {
		if sr.key.topic != topic {
			continue
		}
		if ts, ok := s.topicStance(sr, c); ok {
			tv.Actors = append(tv.Actors, ts)
		}
	}
	for _, m := range s.Motions(c) {
		if m.Topic == topic {
			tv.Motions = append(tv.Motions, m)
		}
	}
	return tv, len(tv.Actors) > 0 || len(tv.Motions) > 0
}

// Topics lists every topic with a counted position or a motion.
func (s *State) Topics(c Lens) []events.Topic {
	seen := map[events.Topic]bool{}
	for _, sr := range s.series {
		if !seen[sr.key.topic] && s.view(sr, c).current() != nil {
			seen[sr.key.topic] = true
		}
	}
	for _, m := range s.motionIndexAt(c.KnownAt).current {
		seen[m.m.Topic] = true
	}
	out := make([]events.Topic, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b events.Topic) int { return cmp.Compare(a.String(), b.String()) })
	return out
}

// ShiftFilter narrows Shifts; zero fields match everything.
type ShiftFilter struct {
	Actor events.Country
	Topic events.Topic
	Since events.Date // shifts on or after this day
}

// Shifts returns every shift matching f, ordered by day, then sequence.
func (s *State) Shifts(f ShiftFilter, c Lens) []Shift {
	out := []Shift{}
	for _, sr := range s.sortedSeries() {
		if (!f.Actor.IsZero() && sr.key.actor != f.Actor) || (!f.Topic.IsZero() && sr.key.topic != f.Topic) {
			continue
		}
		v := s.view(sr, c)
		for _, p := range v.shifts {
			if !f.Since.IsZero() && p.to.o.Day().Before(f.Since) {
				continue
			}
			out = append(out, s.shift(v, p))
		}
	}
	slices.SortStableFunc(out, func(a, b Shift) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.ToEvent.Seq, b.ToEvent.Seq)
	})
	return out
}

// Conflicts returns the open conflicts matching f (Since applies to the
// day of the disputed vote).
func (s *State) Conflicts(f ShiftFilter, c Lens) []Conflict {
	out := []Conflict{}
	for _, sr := range s.sortedSeries() {
		if (!f.Actor.IsZero() && sr.key.actor != f.Actor) || (!f.Topic.IsZero() && sr.key.topic != f.Topic) {
			continue
		}
		for _, cf := range s.conflicts(s.view(sr, c)) {
			if f.Since.IsZero() || !cf.Date.Before(f.Since) {
				out = append(out, cf)
			}
		}
	}
	return out
}

func motionSummary(m *motionRec) MotionSummary {
	ms := MotionSummary{
		ID: m.m.ID, EventID: m.id, Seq: m.seq, Aliases: m.m.Aliases, Kind: m.m.Kind, Body: m.m.Body, Title: m.m.Title,
		Topic: m.m.Topic, Date: m.m.Date, Penholders: m.m.Penholders, PenholderNote: m.m.PenholderNote, Sponsors: m.m.Sponsors,
		Outcome: m.m.Outcome, VetoedBy: m.m.VetoedBy, Amends: m.m.Amends, Meeting: m.m.Meeting, Sources: m.m.Sources, Described: true,
	}
	if !m.m.Tally.IsZero() {
		t := m.m.Tally
		ms.Tally = &t
	}
	return ms
}

// Motions lists the described motions, ordered by date, then id. With
// AsOf set, motions dated after it are left out.
func (s *State) Motions(c Lens) []MotionSummary {
	idx := s.motionIndexAt(c.KnownAt)
	out := make([]MotionSummary, 0, len(idx.current))
	for _, m := range idx.current {
		if !c.AsOf.IsZero() && c.AsOf.Before(m.m.Date) {
			continue
		}
		out = append(out, motionSummary(m))
	}
	slices.SortFunc(out, func(a, b MotionSummary) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.ID.String(), b.ID.String())
	})
	return out
}

// DescribeMotion returns what the records of a motion (found by its id
// or any alias) say, without its roll call; false when none describes it
// (under the lens: as_of leaves out a motion dated after its day).
func (s *State) DescribeMotion(id events.MotionID, c Lens) (MotionSummary, bool) {
	idx := s.motionIndexAt(c.KnownAt)
	m := idx.current[idx.resolve(id)]
	if m == nil || (!c.AsOf.IsZero() && c.AsOf.Before(m.m.Date)) {
		return MotionSummary{}, false
	}
	return motionSummary(m), true
}

// Motion returns a motion (found by its id or any alias) with its roll
// call: the counted position of every actor on it.
func (s *State) Motion(id events.MotionID, c Lens) (MotionView, bool) {
	idx := s.motionIndexAt(c.KnownAt)
	canon := idx.resolve(id)
	mv := MotionView{MotionSummary: MotionSummary{ID: canon}, RollCall: []RollCallEntry{}, ObservedTally: map[string]int{}}
	m := idx.current[canon]
	if m != nil && (c.AsOf.IsZero() || !c.AsOf.Before(m.m.Date)) {
		mv.MotionSummary = motionSummary(m)
	}
	for _, sr := range s.sortedSeries() {
		for _, e := range s.view(sr, c).timeline {
			if e.motion == canon {
				mv.RollCall = append(mv.RollCall, RollCallEntry{Actor: sr.key.actor, Name: sr.key.actor.Name(), Stance: e.o.Stance(), Position: s.positionView(e)})
				mv.ObservedTally[e.o.Stance().String()]++
			}
		}
	}
	slices.SortStableFunc(mv.RollCall, func(a, b RollCallEntry) int {
		if c := cmp.Compare(a.Stance.Rank(), b.Stance.Rank()); c != 0 {
			return c
		}
		return cmp.Compare(a.Actor.String(), b.Actor.String())
	})
	return mv, mv.Described || len(mv.RollCall) > 0
}

// Lookup says where an applied event is, by id.
func (s *State) Lookup(id uuid.UUID) (EventRef, bool) {
	if o := s.positions.get(id); o != nil {
		return EventRef{ID: id, Seq: o.seq, Type: events.TypePosition, Actor: o.Actor(s.vocab), Topic: o.Topic(s.vocab)}, true
	}
	if m := s.motions[id]; m != nil {
		return EventRef{ID: id, Seq: m.seq, Type: events.TypeMotion, Topic: m.m.Topic}, true
	}
	if r := s.retractions[id]; r != nil {
		return EventRef{ID: id, Seq: r.seq, Type: events.TypeRetraction, Actor: r.r.Actor, Topic: r.r.Topic}, true
	}
	return EventRef{}, false
}

// Rejected lists the events that could not be applied, by sequence.
func (s *State) Rejected() []Rejected {
	out := make([]Rejected, 0, len(s.rejected))
	for _, r := range s.rejected {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Rejected) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// RejectedAt returns why the event at seq could not be applied, if it
// could not.
func (s *State) RejectedAt(seq uint64) (Rejected, bool) {
	r, ok := s.rejected[seq]
	return r, ok
}

// PositionFilter narrows Positions; zero fields match everything.
type PositionFilter struct {
	Actor events.Country
	Topic events.Topic
	// From and To keep the observations of those days (inclusive; zero:
	// open).
	From, To events.Date
	// All includes every observation (corroborating, overruled, retracted,
	// superseded), not only the counted ones.
	All bool
}

// Positions returns observations as tidy rows: by default one per actor,
// topic, motion and day (the counted one), ordered by day, motion, actor.
func (s *State) Positions(f PositionFilter, c Lens) []PositionView {
	out := []PositionView{}
	for _, sr := range s.sortedSeries() {
		if (!f.Actor.IsZero() && sr.key.actor != f.Actor) || (!f.Topic.IsZero() && sr.key.topic != f.Topic) {
			continue
		}
		v := s.view(sr, c)
		list := v.timeline
		if f.All {
			list = v.entries
		}
		for _, e := range list {
			if d := e.o.Day(); (!f.From.IsZero() && d.Before(f.From)) || (!f.To.IsZero() && f.To.Before(d)) {
				continue
			}
			out = append(out, s.positionView(e))
		}
	}
	slices.SortStableFunc(out, func(a, b PositionView) int {
		if c := a.Occurred.Compare(b.Occurred); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Motion.String(), b.Motion.String()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Actor.String(), b.Actor.String()); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	return out
}

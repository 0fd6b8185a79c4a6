package projections

import (
	"cmp"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// reviewRec is a position proposed for review, or the decision on one.
type reviewRec struct {
	id       uuid.UUID
	seq      uint64
	recorded time.Time
	source   string
	ev       events.Event // a Review, a ReviewDecision or a BlocDefinition
}

// Review statuses.
const (
	ReviewPending  = "pending"
	ReviewAccepted = "accepted"
	ReviewRejected = "rejected"
)

// DecisionView is what a reviewer decided.
type DecisionView struct {
	ID       uuid.UUID `json:"id"`
	Seq      uint64    `json:"seq"`
	Recorded time.Time `json:"recorded"`
	Source   string    `json:"source"`
	Accepted bool      `json:"accepted"`
	Position uuid.UUID `json:"position,omitzero"` // the position accepting published
	Reason   string    `json:"reason,omitempty"`
}

// ReviewView is a position in the review queue.
type ReviewView struct {
	ID       uuid.UUID       `json:"id"`
	Seq      uint64          `json:"seq"`
	Recorded time.Time       `json:"recorded"`
	Source   string          `json:"source"`
	Actor    events.Country  `json:"actor"`
	Topic    events.Topic    `json:"topic,omitzero"`
	Stance   events.Stance   `json:"stance"`
	Motion   events.MotionID `json:"motion,omitzero"`
	Occurred events.Occurred `json:"occurred,omitzero"`
	From     events.Stance   `json:"from,omitzero"`
	Evidence EvidenceView    `json:"evidence"`
	Reasons  []string        `json:"reasons"`
	Status   string          `json:"status"`
	Decision *DecisionView   `json:"decision,omitempty"`
}

// ReviewFilter selects reviews; zero fields match any.
type ReviewFilter struct {
	Actor  events.Country
	Status string // pending, accepted, rejected; "" for all
}

func (s *State) applyReview(ev events.Event, m Meta) {
	r := &reviewRec{id: ev.ID, seq: m.Seq, recorded: m.Recorded, source: ev.Source, ev: ev}
	switch d := ev.Data.(type) {
	case events.Review:
		s.reviews[ev.ID] = r
	case events.ReviewDecision:
		s.decisionIDs[ev.ID] = r
		// The first decision on a review holds; the store refuses a
		// second one, and a replay keeps the one with the lower sequence.
		if prev := s.decisions[d.Review]; prev == nil || r.seq < prev.seq {
			s.decisions[d.Review] = r
		}
	}
}

func (s *State) removeReview(id uuid.UUID) bool {
	if _, ok := s.reviews[id]; ok {
		delete(s.reviews, id)
		return true
	}
	if r, ok := s.decisionIDs[id]; ok {
		delete(s.decisionIDs, id)
		d := r.ev.Data.(events.ReviewDecision)
		if s.decisions[d.Review] == r {
			delete(s.decisions, d.Review)
			for _, o := range s.decisionIDs { // another decision on the same review, if any
				if od := o.ev.Data.(events.ReviewDecision); od.Review == d.Review {
					if cur := s.decisions[d.Review]; cur == nil || o.seq < cur.seq {
						s.decisions[d.Review] = o
					}
				}
			}
		}
		return true
	}
	return false
}

func (s *State) reviewSeq(id uuid.UUID) (uint64, bool) {
	if r := s.reviewRecOf(id); r != nil {
		return r.seq, true
	}
	return 0, false
}

// reviewRecOf is the review or decision with an id, or nil.
func (s *State) reviewRecOf(id uuid.UUID) *reviewRec {
	if r := s.reviews[id]; r != nil {
		return r
	}
	if r := s.blocs[id]; r != nil {
		return r
	}
	return s.decisionIDs[id]
}

func (s *State) reviewView(r *reviewRec) ReviewView {
	p := r.ev.Data.(events.Review).Position
	ev := p.Evidence
	v := ReviewView{
		ID: r.id, Seq: r.seq, Recorded: r.recorded.UTC(), Source: r.source,
		Actor: p.Actor, Topic: p.Topic, Stance: p.Stance, Motion: p.Motion, Occurred: p.Occurred, From: p.From,
		Evidence: EvidenceView{Quote: ev.Quote, URL: ev.URL, Citation: ev.Citation, Document: ev.Document, Offset: ev.Offset, Producer: ev.Producer, Confidence: ev.Confidence},
		Reasons:  r.ev.Data.(events.Review).Reasons,
		Status:   ReviewPending,
	}
	if d := s.decisions[r.id]; d != nil {
		dd := d.ev.Data.(events.ReviewDecision)
		v.Decision = &DecisionView{ID: d.id, Seq: d.seq, Recorded: d.recorded.UTC(), Source: d.source, Accepted: dd.Accepted, Position: dd.Position, Reason: dd.Reason}
		v.Status = ReviewRejected
		if dd.Accepted {
			v.Status = ReviewAccepted
		}
	}
	return v
}

// Reviews lists the review queue in the order it was recorded.
func (s *State) Reviews(f ReviewFilter) []ReviewView {
	out := []ReviewView{}
	for _, r := range s.reviews {
		if !f.Actor.IsZero() && r.ev.Data.(events.Review).Position.Actor != f.Actor {
			continue
		}
		v := s.reviewView(r)
		if f.Status != "" && v.Status != f.Status {
			continue
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b ReviewView) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// Review returns one review and the event it holds.
func (s *State) Review(id uuid.UUID) (ReviewView, events.Review, bool) {
	r := s.reviews[id]
	if r == nil {
		return ReviewView{}, events.Review{}, false
	}
	return s.reviewView(r), r.ev.Data.(events.Review), true
}

// reviewRecs returns every review and decision in sequence order, for
// snapshots.
func (s *State) reviewRecs() []*reviewRec {
	out := make([]*reviewRec, 0, len(s.reviews)+len(s.decisionIDs))
	for _, r := range s.reviews {
		out = append(out, r)
	}
	for _, r := range s.decisionIDs {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *reviewRec) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

// Blocs returns the bloc definitions folded, in stream order.
func (s *State) Blocs() []events.BlocDefinition {
	recs := s.blocRecs()
	out := make([]events.BlocDefinition, len(recs))
	for i, r := range recs {
		out[i] = r.ev.Data.(events.BlocDefinition)
	}
	return out
}

// blocRecs returns the bloc definitions' records, in stream order.
func (s *State) blocRecs() []*reviewRec {
	out := make([]*reviewRec, 0, len(s.blocs))
	for _, r := range s.blocs {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *reviewRec) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

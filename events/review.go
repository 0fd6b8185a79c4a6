package events

import (
	"encoding/json"
	"strings"

	"github.com/google/uuid"
)

// The review queue's event types. A producer that is not sure enough of
// a position (low confidence, no date, no topic) proposes it for review
// instead of publishing it; a person accepts it (and the position is
// published) or rejects it (and why is recorded). Both are events, so the
// queue is as durable as the stream and is rebuilt by a replay like every
// other projection.
const (
	TypeReview         Type = "org.stancewatch.review"
	TypeReviewDecision Type = "org.stancewatch.review.decision"
)

// ReviewsToken begins the subjects of the review queue:
//
//	reviews.<actor>.<id>           a proposed position
//	reviews.<actor>.decided.<id>   its decision, whose id is ReviewDecisionID(review)
const ReviewsToken = "reviews"

// Review is a position waiting for a person's decision.
type Review struct {
	// Position is the position as proposed. Its Topic and Occurred may
	// be zero, for the reviewer to supply.
	Position Position
	// Reasons say why it needs review: "confidence 0.55, below 0.70",
	// "the text does not date it".
	Reasons []string
}

// Type implements Data.
func (Review) Type() Type { return TypeReview }

func (r Review) ceSubject() string { return r.Position.Actor.String() }

func (r Review) validate(f *fieldErrors) {
	p := r.Position
	sub := fieldErrors{dec: f.dec}
	p.validate(&sub)
	for _, fe := range sub.list {
		if fe.Field == "data.topic" && p.Topic.IsZero() || fe.Field == "data.occurred" && p.Occurred.IsZero() {
			continue // the reviewer supplies them
		}
		f.list = append(f.list, FieldError{Field: "data.position." + strings.TrimPrefix(fe.Field, "data."), Message: fe.Message})
	}
	if len(r.Reasons) == 0 {
		f.add("data.reasons", "is empty: say why the position needs review")
	}
	if len(r.Reasons) > MaxListLen {
		f.add("data.reasons", "has %d entries: at most %d", len(r.Reasons), MaxListLen)
	}
	for i, s := range r.Reasons {
		if len(s) > MaxTextLen {
			f.add("data.reasons", "entry %d is %d bytes long: at most %d", i, len(s), MaxTextLen)
		}
	}
}

// ReviewDecision accepts or rejects a review. Its event id is
// ReviewDecisionID of the review, and the store refuses a second event
// with the same id: a review is decided once, ever.
type ReviewDecision struct {
	Review   uuid.UUID // the review decided
	Actor    Country   // the review's actor, for routing
	Accepted bool
	Position uuid.UUID // when accepted: the position published, AcceptedPositionID(review)
	Reason   string    // why: required when rejected
}

// Type implements Data.
func (ReviewDecision) Type() Type { return TypeReviewDecision }

func (d ReviewDecision) ceSubject() string { return d.Review.String() }

func (d ReviewDecision) validate(f *fieldErrors) {
	if d.Review == uuid.Nil {
		f.add("data.review", "is missing: want the id of the review decided")
	}
	if d.Actor.IsZero() {
		f.add("data.actor", "is missing")
	}
	switch {
	case d.Accepted && d.Position == uuid.Nil:
		f.add("data.position", "is missing: an accepted review names the position it published")
	case !d.Accepted && d.Position != uuid.Nil:
		f.add("data.position", "is set on a rejection")
	case !d.Accepted && strings.TrimSpace(d.Reason) == "":
		f.add("data.reason", "is empty: say why the position is rejected")
	}
	if len(d.Reason) > MaxTextLen {
		f.add("data.reason", "is %d bytes long: at most %d", len(d.Reason), MaxTextLen)
	}
}

// ReviewDecisionID is the id of the decision on a review.
func ReviewDecisionID(review uuid.UUID) uuid.UUID {
	return DeterministicID("review-decision", review.String())
}

// AcceptedPositionID is the id of the position that accepting a review
// publishes: accepting twice publishes nothing new.
func AcceptedPositionID(review uuid.UUID) uuid.UUID {
	return DeterministicID("review-accepted", review.String())
}

// ReviewSubject is the subject of a review.
func ReviewSubject(actor Country, id uuid.UUID) string {
	return ReviewsToken + "." + actor.String() + "." + id.String()
}

// decidedToken marks the subjects of review decisions:
// reviews.<actor>.decided.<id>.
const decidedToken = "decided"

// ReviewDecisionSubject is the subject of a decision.
func ReviewDecisionSubject(actor Country, id uuid.UUID) string {
	return ReviewsToken + "." + actor.String() + "." + decidedToken + "." + id.String()
}

// ReviewFilter matches the review queue of an actor (any when zero).
func ReviewFilter(actor Country) string {
	a := "*"
	if !actor.IsZero() {
		a = actor.String()
	}
	return ReviewsToken + "." + a + ".>"
}

type reviewWire struct {
	Position positionWire `json:"position"`
	Reasons  []string     `json:"reasons"`
}

type reviewIn struct {
	Position json.RawMessage `json:"position"`
	Reasons  []string        `json:"reasons"`
}

func (r Review) wire() reviewWire {
	return reviewWire{Position: r.Position.wire(), Reasons: r.Reasons}
}

func decodeReview(raw json.RawMessage, o decodeOptions, f *fieldErrors) Data {
	var in reviewIn
	if err := unmarshal(raw, &in, o.strict); err != nil {
		subErrors("data", err, f)
		return nil
	}
	r := Review{Reasons: in.Reasons}
	if len(in.Position) == 0 || string(in.Position) == "null" {
		f.add("data.position", "is missing")
		return r
	}
	var sub fieldErrors
	if p, ok := decodePosition(in.Position, o, &sub).(Position); ok {
		r.Position = p
	}
	for _, fe := range sub.list {
		f.list = append(f.list, FieldError{Field: "data.position." + strings.TrimPrefix(fe.Field, "data."), Message: fe.Message})
	}
	return r
}

type reviewDecisionWire struct {
	Review   string `json:"review"`
	Actor    string `json:"actor"`
	Accepted bool   `json:"accepted"`
	Position string `json:"position,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

func (d ReviewDecision) wire() reviewDecisionWire {
	w := reviewDecisionWire{Review: d.Review.String(), Actor: d.Actor.String(), Accepted: d.Accepted, Reason: d.Reason}
	if d.Position != uuid.Nil {
		w.Position = d.Position.String()
	}
	return w
}

func decodeReviewDecision(raw json.RawMessage, o decodeOptions, f *fieldErrors) Data {
	var w reviewDecisionWire
	if err := unmarshal(raw, &w, o.strict); err != nil {
		subErrors("data", err, f)
		return nil
	}
	d := ReviewDecision{Accepted: w.Accepted, Reason: w.Reason}
	var err error
	if w.Review != "" {
		if d.Review, err = uuid.Parse(w.Review); err != nil {
			f.add("data.review", "%q is not a UUID", w.Review)
		}
	}
	if w.Position != "" {
		if d.Position, err = uuid.Parse(w.Position); err != nil {
			f.add("data.position", "%q is not a UUID", w.Position)
		}
	}
	if w.Actor != "" {
		d.Actor, err = ParseCountry(w.Actor)
		f.addErr("data.actor", err)
	}
	return d
}

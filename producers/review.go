package producers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// ReviewInput is what a reviewer may supply or change when accepting a
// position: a topic or a day the producer could not tell, a motion, or a
// different stance. Empty fields keep the proposal's value.
type ReviewInput struct {
	Topic    string `json:"topic,omitempty"`
	Occurred string `json:"occurred,omitempty"`
	Motion   string `json:"motion,omitempty"`
	Stance   string `json:"stance,omitempty"`
	Reason   string `json:"reason,omitempty"` // why; required to reject
}

// ParseReviewInput reads a decision's body; an empty body is no change.
func ParseReviewInput(b []byte) (ReviewInput, error) {
	var in ReviewInput
	if len(bytes.TrimSpace(b)) == 0 {
		return in, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || dec.More() {
		return in, fmt.Errorf("%w: the body is not {\"topic\", \"occurred\", \"motion\", \"stance\", \"reason\"}: %v", events.ErrMalformed, err)
	}
	return in, nil
}

// Accept builds what accepting a review stores, atomically: the position
// (with the reviewer's changes, id AcceptedPositionID) and the decision
// (id ReviewDecisionID). The position keeps the proposal's evidence; its
// producer stays what found it.
func Accept(review events.Event, in ReviewInput, source string, now time.Time) (pos, decision events.Event, err error) {
	r, ok := review.Data.(events.Review)
	if !ok {
		return pos, decision, fmt.Errorf("%w: event %s is a %s, not a review", events.ErrInvalid, review.ID, review.Data.Type())
	}
	p := r.Position
	var errs events.ValidationError
	check := func(field string, err error) {
		if err != nil {
			errs.Fields = append(errs.Fields, events.FieldError{Field: field, Message: err.Error()})
		}
	}
	if in.Topic != "" {
		p.Topic, err = events.ParseTopic(in.Topic)
		check("topic", err)
	}
	if in.Occurred != "" {
		p.Occurred, err = events.ParseOccurred(in.Occurred)
		check("occurred", err)
	}
	if in.Motion != "" {
		p.Motion, err = events.ParseMotionID(in.Motion)
		check("motion", err)
	}
	if in.Stance != "" {
		p.Stance, err = events.ParseStance(in.Stance)
		check("stance", err)
	}
	if p.Topic.IsZero() && in.Topic == "" {
		errs.Fields = append(errs.Fields, events.FieldError{Field: "topic", Message: "is missing: the proposal has no topic, so the reviewer must give one"})
	}
	if p.Occurred.IsZero() && in.Occurred == "" {
		errs.Fields = append(errs.Fields, events.FieldError{Field: "occurred", Message: "is missing: the proposal has no date, so the reviewer must give one (YYYY-MM-DD)"})
	}
	if len(errs.Fields) > 0 {
		return pos, decision, &errs
	}
	t := now.UTC()
	pos = events.Event{ID: events.AcceptedPositionID(review.ID), Source: review.Source, Time: t, SchemaVersion: events.CurrentSchemaVersion, Data: p}
	decision = events.Event{ID: events.ReviewDecisionID(review.ID), Source: source, Time: t, SchemaVersion: events.CurrentSchemaVersion,
		Data: events.ReviewDecision{Review: review.ID, Actor: p.Actor, Accepted: true, Position: pos.ID, Reason: in.Reason}}
	if err := pos.Validate(); err != nil {
		return pos, decision, err
	}
	return pos, decision, decision.Validate()
}

// Reject builds the decision that rejects a review, with its reason.
func Reject(review events.Event, reason, source string, now time.Time) (events.Event, error) {
	r, ok := review.Data.(events.Review)
	if !ok {
		return events.Event{}, fmt.Errorf("%w: event %s is a %s, not a review", events.ErrInvalid, review.ID, review.Data.Type())
	}
	ev := events.Event{ID: events.ReviewDecisionID(review.ID), Source: source, Time: now.UTC(), SchemaVersion: events.CurrentSchemaVersion,
		Data: events.ReviewDecision{Review: review.ID, Actor: r.Position.Actor, Reason: reason}}
	return ev, ev.Validate()
}

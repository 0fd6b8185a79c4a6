package events

import (
	"fmt"

	"github.com/google/uuid"
)

// TypeShiftAlert is the type of a derived event: a shift the projection
// found (or withdrew) in an actor's timeline. Shift alerts live in their
// own stream; they are not facts and never feed the projection.
const TypeShiftAlert Type = "org.stancewatch.shift"

// ShiftsToken is the first token of shift alert subjects:
//
//	shifts.<actor>.<topic>.<id>
const ShiftsToken = "shifts"

// ShiftStatus says whether an alert announces a shift or withdraws one.
type ShiftStatus string

// Shift statuses.
const (
	// ShiftDetected: the timeline now has this shift.
	ShiftDetected ShiftStatus = "detected"
	// ShiftWithdrawn: a later event (a back-dated observation, a
	// retraction, a correction) took this shift out of the timeline; the
	// alerts that replace it name it in Revises.
	ShiftWithdrawn ShiftStatus = "withdrawn"
)

// ShiftAlert is the data of a shift alert.
type ShiftAlert struct {
	Actor     Country
	Topic     Topic
	From, To  Stance
	Direction Direction
	Date      Date      // the day of the later observation
	FromEvent uuid.UUID // the observation before
	ToEvent   uuid.UUID // the observation that moved the stance
	Status    ShiftStatus
	Cause     uuid.UUID   // the event whose arrival made or unmade the shift
	CauseSeq  uint64      // its stream sequence
	Revises   []uuid.UUID // alerts of shifts this one replaces
}

// Type implements Data.
func (ShiftAlert) Type() Type { return TypeShiftAlert }

func (a ShiftAlert) ceSubject() string { return a.Actor.String() + "/" + a.Topic.String() }

// ShiftID identifies a shift by its actor, topic and its two observations.
func ShiftID(actor Country, topic Topic, from, to uuid.UUID) uuid.UUID {
	return DeterministicID("shift", actor.String(), topic.String(), from.String(), to.String())
}

// ShiftAlertID is the id of the alert of a shift's status caused by an
// event: every replica that folds the same event derives the same id, so
// the alert is stored once however many publish it.
func ShiftAlertID(shift uuid.UUID, status ShiftStatus, cause uuid.UUID) uuid.UUID {
	return DeterministicID("shift-alert", shift.String(), string(status), cause.String())
}

// ShiftSubject is the subject of a shift alert.
func ShiftSubject(actor Country, topic Topic, id uuid.UUID) string {
	return ShiftsToken + "." + actor.String() + "." + topic.String() + "." + id.String()
}

// ShiftFilter is a subject filter for shift alerts (zero: any).
func ShiftFilter(actor Country, topic Topic) string {
	return keyFilter(ShiftsToken, actor, topic)
}

func (a ShiftAlert) validate(f *fieldErrors) {
	if a.Actor.IsZero() {
		f.add("data.actor", "is missing")
	}
	if a.Topic.IsZero() {
		f.add("data.topic", "is missing")
	}
	if a.From.IsZero() || a.To.IsZero() || a.From == a.To {
		f.add("data.to", "a shift needs two different stances")
	}
	if a.Status != ShiftDetected && a.Status != ShiftWithdrawn {
		f.add("data.status", "%q is not detected or withdrawn", a.Status)
	}
	if a.FromEvent == uuid.Nil || a.ToEvent == uuid.Nil || a.Cause == uuid.Nil {
		f.add("data", "names no observations or cause")
	}
}

type shiftWire struct {
	Actor     string   `json:"actor"`
	Topic     string   `json:"topic"`
	From      string   `json:"from"`
	To        string   `json:"to"`
	Direction string   `json:"direction"`
	Date      string   `json:"date"`
	FromEvent string   `json:"from_event"`
	ToEvent   string   `json:"to_event"`
	Status    string   `json:"status"`
	Cause     string   `json:"cause"`
	CauseSeq  uint64   `json:"cause_seq"`
	Revises   []string `json:"revises,omitempty"`
}

func (a ShiftAlert) wire() shiftWire {
	return shiftWire{
		Actor: a.Actor.String(), Topic: a.Topic.String(), From: a.From.String(), To: a.To.String(), Direction: string(a.Direction),
		Date: a.Date.String(), FromEvent: a.FromEvent.String(), ToEvent: a.ToEvent.String(), Status: string(a.Status),
		Cause: a.Cause.String(), CauseSeq: a.CauseSeq, Revises: stringsOf(a.Revises),
	}
}

func decodeShift(raw []byte, o decodeOptions, f *fieldErrors) Data {
	var w shiftWire
	if err := unmarshal(raw, &w, o.strict); err != nil {
		subErrors("data", err, f)
		return nil
	}
	a := ShiftAlert{Direction: Direction(w.Direction), Status: ShiftStatus(w.Status), CauseSeq: w.CauseSeq}
	var err error
	a.Actor, err = ParseCountry(w.Actor)
	f.addErr("data.actor", err)
	a.Topic, err = ParseTopic(w.Topic)
	f.addErr("data.topic", err)
	a.From, err = ParseStance(w.From)
	f.addErr("data.from", err)
	a.To, err = ParseStance(w.To)
	f.addErr("data.to", err)
	a.Date, err = ParseDate(w.Date)
	f.addErr("data.date", err)
	for _, u := range []struct {
		name, v string
		p       *uuid.UUID
	}{{"from_event", w.FromEvent, &a.FromEvent}, {"to_event", w.ToEvent, &a.ToEvent}, {"cause", w.Cause, &a.Cause}} {
		if *u.p, err = uuid.Parse(u.v); err != nil {
			f.add("data."+u.name, "%q is not a UUID", u.v)
		}
	}
	for i, r := range w.Revises {
		id, err := uuid.Parse(r)
		if err != nil {
			f.add(fmt.Sprintf("data.revises[%d]", i), "%q is not a UUID", r)
			continue
		}
		a.Revises = append(a.Revises, id)
	}
	return a
}

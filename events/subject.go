package events

import (
	"strings"

	"github.com/google/uuid"
)

// The stream's subject layout. Every event's subject ends with its own id,
// which lets the store refuse a second copy of an event forever (it
// publishes with an expected last sequence of 0 on that subject):
//
//	positions.<actor>.<topic>.<id>   positions, and retractions of positions
//	motions.<topic>.<id>             motions, and retractions of motions
//	reviews.<actor>.<id>             positions proposed for review (review.go)
//	reviews.<actor>.decided.<id>     decisions on them
//
// A plain NATS subscriber filters by actor and topic with wildcards:
// positions.US.>, positions.*.gaza-ceasefire.*, motions.gaza-ceasefire.*.
const (
	PositionsToken = "positions"
	MotionsToken   = "motions"
)

// StreamSubjects are the subjects the event stream captures.
func StreamSubjects() []string {
	return []string{PositionsToken + ".>", MotionsToken + ".>", ReviewsToken + ".>", BlocsToken + ".>"}
}

// PositionSubject is the subject of a position (or a retraction of one).
func PositionSubject(actor Country, topic Topic, id uuid.UUID) string {
	return PositionsToken + "." + actor.String() + "." + topic.String() + "." + id.String()
}

// MotionSubject is the subject of a motion (or a retraction of one).
func MotionSubject(topic Topic, id uuid.UUID) string {
	return MotionsToken + "." + topic.String() + "." + id.String()
}

// PositionFilter is a subject filter for the positions of an actor on a
// topic; a zero actor or topic matches any.
func PositionFilter(actor Country, topic Topic) string {
	return keyFilter(PositionsToken, actor, topic)
}

// keyFilter is the filter of the subjects "<token>.<actor>.<topic>.<id>"
// of one actor and topic, a zero actor or topic matching any.
func keyFilter(token string, actor Country, topic Topic) string {
	a, t := "*", "*"
	if !actor.IsZero() {
		a = actor.String()
	}
	if !topic.IsZero() {
		t = topic.String()
	}
	return token + "." + a + "." + t + ".*"
}

// MotionFilter is a subject filter for motions on a topic (any when zero).
func MotionFilter(topic Topic) string {
	t := "*"
	if !topic.IsZero() {
		t = topic.String()
	}
	return MotionsToken + "." + t + ".*"
}

// IDSubjects are the filters that match an event with the given id,
// wherever it is: the store looks an event up by id with them.
func IDSubjects(id uuid.UUID) []string {
	return []string{PositionsToken + ".*.*." + id.String(), MotionsToken + ".*." + id.String(),
		ReviewsToken + ".*." + id.String(), ReviewsToken + ".*.decided." + id.String(), BlocsToken + ".*." + id.String()}
}

// KeyFilter is the subject filter of the event's actor and topic (its
// "key"): an append may state the last sequence it expects under it.
func (e Event) KeyFilter() string {
	switch d := e.Data.(type) {
	case Position:
		return PositionFilter(d.Actor, d.Topic)
	case Motion:
		return MotionFilter(d.Topic)
	case Retraction:
		if d.Actor.IsZero() {
			return MotionFilter(d.Topic)
		}
		return PositionFilter(d.Actor, d.Topic)
	case ShiftAlert:
		return ShiftFilter(d.Actor, d.Topic)
	case AlignmentAlert:
		return AlignmentFilter(d.Actor, d.Reference, d.Topic)
	case BlocDefinition:
		return BlocsToken + "." + d.ID + ".*"
	case Review:
		return ReviewFilter(d.Position.Actor)
	case ReviewDecision:
		return ReviewFilter(d.Actor)
	}
	return ""
}

// OnSubject reports whether subject is the one the event belongs on
// (Subject), without building it.
func (e Event) OnSubject(subject string) bool {
	rest, ok := strings.CutPrefix(subject, PositionsToken+".")
	switch d := e.Data.(type) {
	case Position:
		return ok && cutToken(&rest, d.Actor.String()) && cutToken(&rest, d.Topic.String()) && isID(rest, e.ID)
	}
	return e.Subject() == subject
}

func cutToken(s *string, token string) bool {
	rest, ok := strings.CutPrefix(*s, token)
	if !ok || !strings.HasPrefix(rest, ".") {
		return false
	}
	*s = rest[1:]
	return true
}

func isID(s string, id uuid.UUID) bool {
	var buf [36]byte
	return len(s) == 36 && string(encodeUUID(&buf, id)) == s
}

// encodeUUID writes id in its canonical form, without allocating.
func encodeUUID(buf *[36]byte, id uuid.UUID) []byte {
	const hex = "0123456789abcdef"
	j := 0
	for i, b := range id {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			buf[j] = '-'
			j++
		}
		buf[j], buf[j+1] = hex[b>>4], hex[b&0xf]
		j += 2
	}
	return buf[:]
}

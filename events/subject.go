package events

import (
	"strings"

	"github.com/google/uuid"
)

// The stream's subject layout. A subject names what an event is about,
// not which event it is:
//
//	positions.<actor>.<topic>.<producer>   positions (rollcall, news, analyst)
//	positions.<actor>.<topic>.retraction   retractions of positions
//	motions.<topic>.motion                 motions
//	motions.<topic>.retraction             retractions of motions
//	reviews.<actor>.<id>                   positions proposed for review (review.go)
//	reviews.<actor>.decided.<id>           decisions on them
//	blocs.<bloc>.<id>                      bloc definitions
//
// so the server keeps one entry per actor, topic and producer (a few
// thousand for the whole General Assembly record) where a subject per
// event cost it one per event (1.1 million, 280 MB and seconds of each
// restart). The store refuses a second copy of an event id with an index
// of its own (internal/store, ids.go); the id travels in a header.
//
// Streams written before this layout hold positions and motions under
// subjects that end with the event's id (positions.US.gaza-ceasefire.<id>);
// they stay valid (LegacySubject, OnSubject), and every filter below
// matches both.
//
// A plain NATS subscriber filters by actor, topic and producer with
// wildcards: positions.US.>, positions.*.gaza-ceasefire.*,
// positions.*.*.news, motions.gaza-ceasefire.*.
const (
	PositionsToken = "positions"
	MotionsToken   = "motions"
	// RetractionToken ends the subject of a retraction; MotionToken
	// that of a motion.
	RetractionToken = "retraction"
	MotionToken     = "motion"
)

// StreamSubjects are the subjects the event stream captures.
func StreamSubjects() []string {
	return []string{PositionsToken + ".>", MotionsToken + ".>", ReviewsToken + ".>", BlocsToken + ".>"}
}

// PositionSubject is the subject of a position from producer, or of a
// retraction of one (last is RetractionToken).
func PositionSubject(actor Country, topic Topic, last string) string {
	return PositionsToken + "." + actor.String() + "." + topic.String() + "." + last
}

// MotionSubject is the subject of a motion (last is MotionToken) or of a
// retraction of one (RetractionToken).
func MotionSubject(topic Topic, last string) string {
	return MotionsToken + "." + topic.String() + "." + last
}

// producerToken is the last token of a position's subject.
func producerToken(p Producer) string {
	if p.IsZero() {
		return "position" // an invalid event, never stored
	}
	return p.String()
}

// PositionFilter is a subject filter for the positions of an actor on a
// topic; a zero actor or topic matches any.
func PositionFilter(actor Country, topic Topic) string {
	return keyFilter(PositionsToken, actor, topic)
}

// keyFilter is the filter of the subjects "<token>.<actor>.<topic>.<last>"
// of one actor and topic, a zero actor or topic matching any, whatever
// the last token (a producer, "retraction", or an id in the earlier
// layout).
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
// (Subject), or, for a position or a motion, the one a stream of the
// earlier layout holds it under (LegacySubject), without building either.
func (e Event) OnSubject(subject string) bool {
	if p, ok := e.Data.(Position); ok {
		rest, ok := strings.CutPrefix(subject, PositionsToken+".")
		if !ok || !cutToken(&rest, p.Actor.String()) || !cutToken(&rest, p.Topic.String()) {
			return false
		}
		return rest == producerToken(p.Evidence.Producer) || isID(rest, e.ID)
	}
	if subject == e.Subject() {
		return true
	}
	legacy, ok := e.LegacySubject()
	return ok && subject == legacy
}

// LegacySubject is the subject a stream of the earlier layout holds a
// position, motion or retraction under: the key's subject with the
// event's id for its last token. ok is false for the other kinds, whose
// subjects have not changed.
func (e Event) LegacySubject() (subject string, ok bool) {
	switch d := e.Data.(type) {
	case Position:
		return PositionsToken + "." + d.Actor.String() + "." + d.Topic.String() + "." + e.ID.String(), true
	case Motion:
		return MotionsToken + "." + d.Topic.String() + "." + e.ID.String(), true
	case Retraction:
		if d.Actor.IsZero() {
			return MotionsToken + "." + d.Topic.String() + "." + e.ID.String(), true
		}
		return PositionsToken + "." + d.Actor.String() + "." + d.Topic.String() + "." + e.ID.String(), true
	}
	return "", false
}

// IDOfSubject reads the event id a subject of the earlier layout (or a
// review's, a decision's, a bloc definition's) ends with; ok is false
// when its last token is not an id.
func IDOfSubject(subject string) (id uuid.UUID, ok bool) {
	last := subject[strings.LastIndexByte(subject, '.')+1:]
	if len(last) != 36 {
		return uuid.Nil, false
	}
	id, err := uuid.Parse(last)
	return id, err == nil
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

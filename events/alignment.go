package events

import (
	"fmt"
	"math"
	"regexp"

	"github.com/google/uuid"
)

// TypeAlignmentAlert is the type of a derived event: an actor's agreement
// with a reference (another actor or a bloc) on a topic moved by more than
// a threshold between two consecutive years. Like shift alerts, alignment
// alerts live in their own stream; they are not facts and never feed the
// projection.
const TypeAlignmentAlert Type = "org.stancewatch.alignment"

// AlignmentToken is the first token of alignment alert subjects:
//
//	alignment.<actor>.<reference>.<topic>.<id>
//
// where the reference is an actor's code (US) or a bloc's id (eu).
const AlignmentToken = "alignment"

// referencePattern is what a reference may be: a country code (upper
// case) or a bloc id (lower case, digits and hyphens), both safe as a
// subject token.
var referencePattern = regexp.MustCompile(`^([A-Z]{2}|[a-z0-9][a-z0-9-]{0,39})$`)

// AlignmentFigure is a measure's value over a year, with the number of
// roll calls behind it.
type AlignmentFigure struct {
	Value float64
	N     int
}

// AlignmentEvidence is a roll call of the later year that moved the
// alignment: both votes and the roll call's score under the measure.
type AlignmentEvidence struct {
	Motion    MotionID
	Date      Date
	ActorVote string
	WithVote  string
	Score     float64
}

// AlignmentAlert is the data of an alignment alert.
type AlignmentAlert struct {
	Actor     Country
	Reference string // an actor's code or a bloc's id
	Topic     Topic
	Measure   string // agreement or coincidence
	Previous  string // the earlier year
	Period    string // the later year
	Before    AlignmentFigure
	After     AlignmentFigure
	Delta     float64 // After.Value − Before.Value
	Evidence  []AlignmentEvidence
	Cause     uuid.UUID // the last event folded before the move was found
	CauseSeq  uint64    // its stream sequence
}

// Type implements Data.
func (AlignmentAlert) Type() Type { return TypeAlignmentAlert }

func (a AlignmentAlert) ceSubject() string {
	return a.Actor.String() + "/" + a.Reference + "/" + a.Topic.String()
}

// AlignmentSubject is the subject of an alignment alert.
func AlignmentSubject(actor Country, reference string, topic Topic, id uuid.UUID) string {
	return AlignmentToken + "." + actor.String() + "." + reference + "." + topic.String() + "." + id.String()
}

// AlignmentFilter is a subject filter for alignment alerts (zero or
// empty: any).
func AlignmentFilter(actor Country, reference string, topic Topic) string {
	a, r, t := "*", "*", "*"
	if !actor.IsZero() {
		a = actor.String()
	}
	if reference != "" {
		r = reference
	}
	if !topic.IsZero() {
		t = topic.String()
	}
	return AlignmentToken + "." + a + "." + r + "." + t + ".*"
}

// ValidReference reports whether s can name an alignment reference: a
// country code or a bloc id.
func ValidReference(s string) bool { return referencePattern.MatchString(s) }

func (a AlignmentAlert) validate(f *fieldErrors) {
	if a.Actor.IsZero() {
		f.add("data.actor", "is missing")
	}
	if !ValidReference(a.Reference) {
		f.add("data.reference", "%q is not a country code or a bloc id", a.Reference)
	}
	if a.Topic.IsZero() {
		f.add("data.topic", "is missing")
	}
	if a.Measure != "agreement" && a.Measure != "coincidence" {
		f.add("data.measure", "%q is not agreement or coincidence", a.Measure)
	}
	if a.Previous == "" || a.Period == "" {
		f.add("data.period", "names no years")
	}
	for name, fig := range map[string]AlignmentFigure{"before": a.Before, "after": a.After} {
		if fig.N < 1 || fig.Value < 0 || fig.Value > 1 || math.IsNaN(fig.Value) {
			f.add("data."+name, "value %v over %d roll calls: want a value in [0, 1] over at least one", fig.Value, fig.N)
		}
	}
	for i, e := range a.Evidence {
		if e.Motion.IsZero() {
			f.add(fmt.Sprintf("data.evidence[%d].motion", i), "is missing")
		}
	}
	if a.Cause == uuid.Nil {
		f.add("data.cause", "is missing")
	}
}

type alignmentFigureWire struct {
	Value float64 `json:"value"`
	N     int     `json:"n"`
}

type alignmentEvidenceWire struct {
	Motion    string  `json:"motion"`
	Date      string  `json:"date"`
	ActorVote string  `json:"actor_vote"`
	WithVote  string  `json:"with_vote"`
	Score     float64 `json:"score"`
}

type alignmentWire struct {
	Actor     string                  `json:"actor"`
	Reference string                  `json:"reference"`
	Topic     string                  `json:"topic"`
	Measure   string                  `json:"measure"`
	Previous  string                  `json:"previous"`
	Period    string                  `json:"period"`
	Before    alignmentFigureWire     `json:"before"`
	After     alignmentFigureWire     `json:"after"`
	Delta     float64                 `json:"delta"`
	Evidence  []alignmentEvidenceWire `json:"evidence"`
	Cause     string                  `json:"cause"`
	CauseSeq  uint64                  `json:"cause_seq"`
}

func (a AlignmentAlert) wire() alignmentWire {
	w := alignmentWire{
		Actor: a.Actor.String(), Reference: a.Reference, Topic: a.Topic.String(), Measure: a.Measure,
		Previous: a.Previous, Period: a.Period,
		Before: alignmentFigureWire(a.Before), After: alignmentFigureWire(a.After), Delta: a.Delta,
		Evidence: make([]alignmentEvidenceWire, 0, len(a.Evidence)), Cause: a.Cause.String(), CauseSeq: a.CauseSeq,
	}
	for _, e := range a.Evidence {
		w.Evidence = append(w.Evidence, alignmentEvidenceWire{Motion: e.Motion.String(), Date: e.Date.String(),
			ActorVote: e.ActorVote, WithVote: e.WithVote, Score: e.Score})
	}
	return w
}

func decodeAlignment(raw []byte, o decodeOptions, f *fieldErrors) Data {
	var w alignmentWire
	if err := unmarshal(raw, &w, o.strict); err != nil {
		subErrors("data", err, f)
		return nil
	}
	a := AlignmentAlert{Reference: w.Reference, Measure: w.Measure, Previous: w.Previous, Period: w.Period,
		Before: AlignmentFigure(w.Before), After: AlignmentFigure(w.After), Delta: w.Delta, CauseSeq: w.CauseSeq}
	var err error
	a.Actor, err = ParseCountry(w.Actor)
	f.addErr("data.actor", err)
	a.Topic, err = ParseTopic(w.Topic)
	f.addErr("data.topic", err)
	if a.Cause, err = uuid.Parse(w.Cause); err != nil {
		f.add("data.cause", "%q is not a UUID", w.Cause)
	}
	for i, e := range w.Evidence {
		ev := AlignmentEvidence{ActorVote: e.ActorVote, WithVote: e.WithVote, Score: e.Score}
		ev.Motion, err = ParseMotionID(e.Motion)
		f.addErr(fmt.Sprintf("data.evidence[%d].motion", i), err)
		ev.Date, err = ParseDate(e.Date)
		f.addErr(fmt.Sprintf("data.evidence[%d].date", i), err)
		a.Evidence = append(a.Evidence, ev)
	}
	return a
}

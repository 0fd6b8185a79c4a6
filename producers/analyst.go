package producers

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// AnalystSource is the CloudEvents source of positions entered with the CLI.
const AnalystSource = "stancewatch/analyst/cli"

// AnalystSourceOf is the CloudEvents source of events entered by the
// named analyst (a user or an API token's name); AnalystSource when no
// name is known.
func AnalystSourceOf(name string) string {
	if name == "" {
		return AnalystSource
	}
	return "stancewatch/analyst/" + name
}

// AnalystInput is a position as a person types it: free-form names are
// resolved here ("USA", "the US", "Washington" are all US).
type AnalystInput struct {
	Actor      string
	Topic      string
	Stance     string
	On         string // YYYY-MM-DD or RFC 3339
	Motion     string
	From       string
	Quote      string
	Source     string // URL of the evidence, or a reference (a citation) if not a URL
	Confidence float64
	Supersedes string
	Analyst    string // who is entering it; part of the event's source
}

// AnalystPosition builds a new position event (with a new UUIDv7) from
// what an analyst typed, or says every field that is wrong: an
// *events.ValidationError whose fields are AnalystInput's, in lower case
// ("actor", "on", "quote", "source"); a command line maps them to its
// flags.
func AnalystPosition(in AnalystInput, now time.Time) (events.Event, error) {
	var errs []events.FieldError
	check := func(field string, err error) {
		if err != nil {
			errs = append(errs, events.FieldError{Field: field, Message: err.Error()})
		}
	}
	var p events.Position
	var err error
	p.Actor, err = events.ParseCountry(in.Actor)
	check("actor", err)
	p.Topic, err = events.ParseTopic(in.Topic)
	check("topic", err)
	p.Stance, err = events.ParseStance(in.Stance)
	check("stance", err)
	p.Occurred, err = events.ParseOccurred(in.On)
	check("on", err)
	if err == nil && p.Occurred.Day().Time().After(now.Add(48*time.Hour)) {
		check("on", fmt.Errorf("%s is in the future", in.On))
	}
	if in.Motion != "" {
		p.Motion, err = events.ParseMotionID(in.Motion)
		check("motion", err)
	}
	if in.From != "" {
		p.From, err = events.ParseStance(in.From)
		check("from", err)
	}
	if in.Supersedes != "" {
		p.Supersedes, err = uuid.Parse(in.Supersedes)
		check("supersedes", err)
	}
	src := events.SplitSource(in.Source)
	p.Evidence = events.Evidence{Quote: in.Quote, URL: src.URL, Citation: src.Citation, Producer: events.ProducerAnalyst, Confidence: in.Confidence}
	ev := events.Event{ID: events.NewID(), Source: AnalystSourceOf(in.Analyst), Time: now.UTC(), SchemaVersion: events.CurrentSchemaVersion, Data: p}
	if err := ev.Validate(); err != nil {
		// Name the other problems (the missing evidence among them) by the
		// input's fields, beside those found above: every one, at once.
		var ve *events.ValidationError
		if !errors.As(err, &ve) {
			return events.Event{}, err
		}
		reported := map[string]bool{}
		for _, f := range errs {
			reported[f.Field] = true
		}
		for _, f := range ve.Fields {
			if name := inputField(f.Field); !reported[name] {
				errs = append(errs, events.FieldError{Field: name, Message: f.Message})
				reported[name] = true
			}
		}
	}
	if len(errs) > 0 {
		return events.Event{}, &events.ValidationError{Fields: errs}
	}
	return ev, nil
}

// inputField names an event's field path by the AnalystInput field it
// comes from.
func inputField(field string) string {
	switch field {
	case "data.evidence", "data.evidence.quote":
		return "quote"
	case "data.evidence.url", "data.evidence.citation":
		return "source"
	case "data.evidence.confidence":
		return "confidence"
	case "data.from":
		return "from"
	case "data.occurred":
		return "on"
	case "source":
		return "analyst"
	}
	return strings.TrimPrefix(field, "data.")
}

// ErrNotCorrectable: only positions can be corrected.
var ErrNotCorrectable = errors.New("only a position can be corrected")

// ErrRetractionID: a retraction's id is derived from its target
// (events.RetractionID), so that an event is retracted once, ever.
var ErrRetractionID = errors.New("a retraction's id is derived from its target")

// Retraction builds the retraction of target. Its id is
// events.RetractionID(target): retracting an event twice with the same
// reason is a duplicate that stores nothing, and with another reason a
// conflict. An id given (a client's retry key) must be that one.
func Retraction(target events.Event, reason, source string, id uuid.UUID, now time.Time) (events.Event, error) {
	want := events.RetractionID(target.ID)
	if id != uuid.Nil && id != want {
		return events.Event{}, fmt.Errorf("%w: the retraction of %s is %s, not %s (leave the id out)", ErrRetractionID, target.ID, want, id)
	}
	id = want
	r := events.Retraction{Target: target.ID, Reason: reason}
	switch d := target.Data.(type) {
	case events.Position:
		r.Actor, r.Topic = d.Actor, d.Topic
	case events.Motion:
		r.Topic = d.Topic
	case events.Retraction:
		return events.Event{}, fmt.Errorf("%w: event %s is a retraction; a retraction cannot be retracted (publish a correction of its target instead)", events.ErrInvalid, target.ID)
	}
	ev := events.Event{ID: id, Source: source, Time: now.UTC(), SchemaVersion: events.CurrentSchemaVersion, Data: r}
	return ev, ev.Validate()
}

// ErrNoEvidence: a correction brought no evidence of its own and did not
// say it has none.
var ErrNoEvidence = errors.New("a correction needs its own evidence")

// NoEvidence is the citation of a correction that says it has no
// evidence of its own ({"evidence": {"none": true}}, or the CLI's
// --no-evidence).
const NoEvidence = "no evidence given: an analyst's correction"

// Correction builds a position that supersedes target: target's data with
// the fields of patch (a JSON object of position fields, as in a
// CloudEvent's data) laid over it. A correction brings its own evidence:
// the original's quote and source are never carried over to a new stance
// (they proved the old one). The patch's evidence is the correction's
// whole evidence, with producer "analyst" and confidence 1 unless it says
// otherwise; {"evidence": {"none": true}} says there is none (the
// citation NoEvidence); a patch without evidence is refused
// (ErrNoEvidence). Field errors name data.* paths.
func Correction(target events.Event, patch []byte, source string, now time.Time) (events.Event, error) {
	if _, ok := target.Data.(events.Position); !ok {
		return events.Event{}, fmt.Errorf("%w: event %s is a %s", ErrNotCorrectable, target.ID, target.Data.Type())
	}
	orig, err := target.MarshalJSON()
	if err != nil {
		return events.Event{}, err
	}
	var ce struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(orig, &ce); err != nil {
		return events.Event{}, err
	}
	var changes map[string]json.RawMessage
	if err := json.Unmarshal(patch, &changes); err != nil {
		return events.Event{}, fmt.Errorf("%w: the correction is not a JSON object of position fields: %v", events.ErrMalformed, err)
	}
	if len(changes) == 0 {
		return events.Event{}, &events.ValidationError{Fields: []events.FieldError{{Field: "data", Message: "is empty: say what the correction changes"}}}
	}
	_, hasEvidence := changes["evidence"]
	evidence := map[string]json.RawMessage{"producer": json.RawMessage(`"analyst"`), "confidence": json.RawMessage(`1`)}
	for k, v := range changes {
		if k != "evidence" {
			ce.Data[k] = v
			continue
		}
		var ev map[string]json.RawMessage
		if err := json.Unmarshal(v, &ev); err != nil {
			return events.Event{}, &events.ValidationError{Fields: []events.FieldError{{Field: "data.evidence", Message: "is not a JSON object"}}}
		}
		if none, ok := ev["none"]; ok {
			if string(none) != "true" || len(ev) != 1 {
				return events.Event{}, &events.ValidationError{Fields: []events.FieldError{{Field: "data.evidence.none",
					Message: "is true alone: a correction says it has no evidence, or gives it"}}}
			}
			ev = map[string]json.RawMessage{"citation": json.RawMessage(strconv.Quote(NoEvidence))}
		}
		for ek, evv := range ev {
			evidence[ek] = evv
		}
	}
	ce.Data["evidence"], _ = json.Marshal(evidence)
	ce.Data["supersedes"], _ = json.Marshal(target.ID.String())
	body, err := json.Marshal(map[string]any{"type": events.TypePosition, "data": ce.Data})
	if err != nil {
		return events.Event{}, err
	}
	ev, err := events.Decode(body, events.Strict(), events.Draft(now, source))
	if hasEvidence {
		return ev, err
	}
	// No evidence: say so in the correction's own words, beside whatever
	// else is wrong.
	msg := `is missing: a correction brings its own evidence (quote and source), or says it has none ({"evidence": {"none": true}}); the original's evidence proved the original`
	var ve *events.ValidationError
	if errors.As(err, &ve) {
		fields := slices.DeleteFunc(slices.Clone(ve.Fields), func(f events.FieldError) bool { return strings.HasPrefix(f.Field, "data.evidence") })
		fields = append(fields, events.FieldError{Field: "data.evidence", Message: msg})
		slices.SortStableFunc(fields, func(a, b events.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return events.Event{}, fmt.Errorf("%w: %w", ErrNoEvidence, &events.ValidationError{Fields: fields})
	}
	return events.Event{}, fmt.Errorf("%w: %w", ErrNoEvidence, &events.ValidationError{Fields: []events.FieldError{{Field: "data.evidence", Message: msg}}})
}

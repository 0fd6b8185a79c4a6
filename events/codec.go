package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// SpecVersion is the CloudEvents version of the envelope.
const SpecVersion = "1.0"

// ContentType is the datacontenttype of every event.
const ContentType = "application/json"

// envelopeWire is the structured-mode JSON CloudEvent, less its
// extension attributes.
type envelopeWire struct {
	SpecVersion     string          `json:"specversion"`
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	Subject         string          `json:"subject,omitempty"`
	Time            string          `json:"time,omitempty"`
	DataContentType string          `json:"datacontenttype,omitempty"`
	SchemaVersion   *int            `json:"schemaversion,omitempty"`
	DataSchema      string          `json:"dataschema,omitempty"`
	Data            json.RawMessage `json:"data"`
}

type evidenceWire struct {
	Quote      string   `json:"quote,omitempty"`
	URL        string   `json:"url,omitempty"`
	Citation   string   `json:"citation,omitempty"`
	Document   string   `json:"document,omitempty"`
	Offset     *int64   `json:"offset,omitempty"`
	Producer   string   `json:"producer"`
	Confidence *float64 `json:"confidence,omitempty"`
}

type positionWire struct {
	Actor      string        `json:"actor"`
	Topic      string        `json:"topic"`
	Stance     string        `json:"stance"`
	Motion     string        `json:"motion,omitempty"`
	Occurred   string        `json:"occurred"`
	From       string        `json:"from,omitempty"`
	Supersedes string        `json:"supersedes,omitempty"`
	Evidence   *evidenceWire `json:"evidence"`
}

// positionIn is positionWire as read: evidence is decoded on its own, so
// its errors name their full path.
type positionIn struct {
	Actor      string          `json:"actor"`
	Topic      string          `json:"topic"`
	Stance     string          `json:"stance"`
	Motion     string          `json:"motion,omitempty"`
	Occurred   string          `json:"occurred"`
	From       string          `json:"from,omitempty"`
	Supersedes string          `json:"supersedes,omitempty"`
	Evidence   json.RawMessage `json:"evidence"`
}

type motionWire struct {
	ID            string   `json:"id"`
	Aliases       []string `json:"aliases,omitempty"`
	Kind          string   `json:"kind"`
	Body          string   `json:"body,omitempty"`
	Title         string   `json:"title,omitempty"`
	Topic         string   `json:"topic"`
	Date          string   `json:"date"`
	Penholders    []string `json:"penholders,omitempty"`
	PenholderNote string   `json:"penholder_note,omitempty"`
	Sponsors      []string `json:"sponsors,omitempty"`
	Outcome       string   `json:"outcome"`
	Tally         *Tally   `json:"tally,omitempty"`
	VetoedBy      []string `json:"vetoed_by,omitempty"`
	Amends        string   `json:"amends,omitempty"`
	Meeting       string   `json:"meeting,omitempty"`
	Session       string   `json:"session,omitempty"`
	Important     *bool    `json:"important,omitempty"`
	Sources       []Source `json:"sources,omitempty"`
}

type retractionWire struct {
	Target string `json:"target"`
	Reason string `json:"reason"`
	Actor  string `json:"actor,omitempty"`
	Topic  string `json:"topic"`
}

// MarshalJSON encodes the event as a structured-mode CloudEvent.
func (e Event) MarshalJSON() ([]byte, error) {
	if p, ok := e.Data.(Position); ok {
		if b, ok := appendPositionFast(make([]byte, 0, 512), e, p); ok {
			return b, nil
		}
	}
	return e.marshalJSON()
}

// marshalJSON is MarshalJSON's general path.
func (e Event) marshalJSON() ([]byte, error) {
	var data any
	switch d := e.Data.(type) {
	case Position:
		data = d.wire()
	case Motion:
		data = d.wire()
	case Retraction:
		data = d.wire()
	case ShiftAlert:
		data = d.wire()
	case AlignmentAlert:
		data = d.wire()
	case BlocDefinition:
		data = d.wire()
	case Review:
		data = d.wire()
	case ReviewDecision:
		data = d.wire()
	default:
		return nil, fmt.Errorf("events: cannot encode data of type %T", e.Data)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	// The data is encoded in the current schema, whatever version the
	// event was read from.
	v := CurrentSchemaVersion
	w := envelopeWire{
		SpecVersion:     SpecVersion,
		ID:              e.ID.String(),
		Source:          e.Source,
		Type:            string(e.Data.Type()),
		Subject:         e.Data.ceSubject(),
		DataContentType: ContentType,
		SchemaVersion:   &v,
		Data:            raw,
	}
	if !e.Time.IsZero() {
		w.Time = e.Time.UTC().Format(time.RFC3339Nano)
	}
	w.DataSchema = e.DataSchema
	if len(e.Extensions) == 0 {
		return json.Marshal(w)
	}
	// The extension attributes go between the context attributes and the
	// data, in name order.
	w.Data = nil
	head, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	out := head[:len(head)-len(`"data":null}`)]
	for _, name := range sortedKeys(e.Extensions) {
		v, err := json.Marshal(e.Extensions[name])
		if err != nil {
			return nil, err
		}
		out = append(strconv.AppendQuote(out, name), ':')
		out = append(append(out, v...), ',')
	}
	out = append(append(append(out, `"data":`...), raw...), '}')
	return out, nil
}

// Encode validates the event and encodes it; an invalid or oversized
// event is an error.
func (e Event) Encode() ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	b, err := e.MarshalJSON()
	if err != nil {
		return nil, err
	}
	if len(b) > MaxEventSize {
		return nil, fmt.Errorf("%w: %d bytes encoded, at most %d", ErrTooLarge, len(b), MaxEventSize)
	}
	return b, nil
}

func (p Position) wire() positionWire {
	w := positionWire{
		Actor:    p.Actor.String(),
		Topic:    p.Topic.String(),
		Stance:   p.Stance.String(),
		Motion:   p.Motion.String(),
		Occurred: p.Occurred.String(),
		From:     p.From.String(),
		Evidence: p.Evidence.wire(),
	}
	if p.Supersedes != uuid.Nil {
		w.Supersedes = p.Supersedes.String()
	}
	return w
}

func (ev Evidence) wire() *evidenceWire {
	c := ev.Confidence
	return &evidenceWire{Quote: ev.Quote, URL: ev.URL, Citation: ev.Citation, Document: ev.Document, Offset: ev.Offset, Producer: ev.Producer.String(), Confidence: &c}
}

func (m Motion) wire() motionWire {
	w := motionWire{
		ID: m.ID.String(), Kind: string(m.Kind), Body: m.Body, Title: m.Title, Topic: m.Topic.String(),
		Date: m.Date.String(), PenholderNote: m.PenholderNote, Outcome: string(m.Outcome),
		Amends: m.Amends.String(), Meeting: m.Meeting, Session: m.Session, Important: m.Important, Sources: m.Sources,
		Aliases: stringsOf(m.Aliases), Penholders: stringsOf(m.Penholders), Sponsors: stringsOf(m.Sponsors), VetoedBy: stringsOf(m.VetoedBy),
	}
	if !m.Tally.IsZero() {
		t := m.Tally
		w.Tally = &t
	}
	return w
}

func (r Retraction) wire() retractionWire {
	return retractionWire{Target: r.Target.String(), Reason: r.Reason, Actor: r.Actor.String(), Topic: r.Topic.String()}
}

func stringsOf[T fmt.Stringer](xs []T) []string {
	if len(xs) == 0 {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}

// DecodeOption changes how Decode reads an event.
type DecodeOption func(*decodeOptions)

type decodeOptions struct {
	strict  bool
	draft   bool
	now     time.Time
	source  string
	maxSize int
	newID   func() uuid.UUID
	noFast  bool // tests: take the general path only
}

// Strict rejects unknown attributes and fields and trailing data, for
// input from users. Without it, Decode ignores extension attributes it
// does not know, as a CloudEvents consumer should.
func Strict() DecodeOption { return func(o *decodeOptions) { o.strict = true } }

// Draft fills what a person posting an event may leave out: a new UUIDv7
// id, specversion, the schema version, time (now), source (when the input
// has none) and, for a position, evidence.producer "analyst". It also
// rejects positions dated after now+2 days.
func Draft(now time.Time, source string) DecodeOption {
	return func(o *decodeOptions) { o.draft, o.now, o.source = true, now, source }
}

// Decode reads a structured-mode JSON CloudEvent and validates it. The
// error wraps ErrMalformed, ErrTooLarge, ErrInvalid or ErrUnknownSchema;
// for the last two it is a *ValidationError naming every bad field.
//
// Decode remembers nothing between calls: to decode many events (a
// replay, a subscription), use a Decoder, which parses the values that
// repeat across them once.
func Decode(b []byte, opts ...DecodeOption) (Event, error) {
	return (*Decoder)(nil).Decode(b, opts...)
}

// Decode is the package's Decode through d: it returns the same events
// and errors, reading the values that repeat across events (and checking
// the addresses) through d's caches.
func (d *Decoder) Decode(b []byte, opts ...DecodeOption) (Event, error) {
	o := decodeOptions{maxSize: MaxEventSize, newID: NewID}
	for _, opt := range opts {
		opt(&o)
	}
	if len(b) > o.maxSize {
		return Event{}, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(b), o.maxSize)
	}
	if !o.strict && !o.draft && !o.noFast {
		if ev, err := d.decodeFast(b); err == nil {
			return ev, nil
		}
	}
	var f fieldErrors
	w, ext, err := decodeEnvelope(b, o.strict, &f)
	if err != nil {
		return Event{}, err
	}
	ev := Event{Source: w.Source, DataSchema: w.DataSchema, Extensions: ext}
	if o.draft {
		if w.ID == "" {
			w.ID = o.newID().String()
		}
		if w.SpecVersion == "" {
			w.SpecVersion = SpecVersion
		}
		if w.Source == "" {
			ev.Source = o.source
		}
		if w.Time == "" {
			ev.Time = o.now.UTC()
		}
		if w.SchemaVersion == nil {
			v := CurrentSchemaVersion
			w.SchemaVersion = &v
		}
	}
	if w.SpecVersion != SpecVersion {
		f.add("specversion", "%q is not a CloudEvents version this reader knows: want %q", w.SpecVersion, SpecVersion)
	}
	if w.DataContentType != "" && !strings.HasPrefix(w.DataContentType, ContentType) {
		f.add("datacontenttype", "%q is not supported: want %q", w.DataContentType, ContentType)
	}
	if id, err := uuid.Parse(w.ID); err != nil {
		if w.ID == "" {
			f.add("id", "is empty: want a UUID")
		} else {
			f.add("id", "%q is not a UUID", w.ID)
		}
	} else {
		ev.ID = id
	}
	if w.Time != "" {
		t, err := time.Parse(time.RFC3339Nano, w.Time)
		if err != nil {
			f.add("time", "%q is not an RFC 3339 time", w.Time)
		}
		ev.Time = t.UTC()
	}
	ev.SchemaVersion = 1 // events written before the attribute existed
	if w.SchemaVersion != nil {
		ev.SchemaVersion = *w.SchemaVersion
	}
	if len(w.Data) > 0 && string(w.Data) != "null" && ev.SchemaVersion >= 1 && ev.SchemaVersion < CurrentSchemaVersion {
		up, err := upcast(Type(w.Type), ev.SchemaVersion, w.Data)
		if err != nil {
			f.add("data", "%v", err)
		} else {
			w.Data, ev.SchemaVersion = up, CurrentSchemaVersion
		}
	}
	if len(w.Data) == 0 || string(w.Data) == "null" {
		f.add("data", "is missing")
	} else {
		switch Type(w.Type) {
		case TypePosition:
			ev.Data = decodePosition(w.Data, o, &f)
		case TypeMotion:
			ev.Data = decodeMotion(w.Data, o, &f)
		case TypeRetraction:
			ev.Data = decodeRetraction(w.Data, o, &f)
		case TypeShiftAlert:
			ev.Data = decodeShift(w.Data, o, &f)
		case TypeAlignmentAlert:
			ev.Data = decodeAlignment(w.Data, o, &f)
		case TypeBloc:
			ev.Data = decodeBloc(w.Data, o, &f)
		case TypeReview:
			ev.Data = decodeReview(w.Data, o, &f)
		case TypeReviewDecision:
			ev.Data = decodeReviewDecision(w.Data, o, &f)
		case "":
			f.add("type", "is empty: want %s, %s or %s", TypePosition, TypeMotion, TypeRetraction)
		default:
			f.add("type", "%q is not an event type this reader knows: want %s, %s or %s", w.Type, TypePosition, TypeMotion, TypeRetraction)
		}
	}
	// Validate what parsed, without repeating the fields that failed to.
	rest := fieldErrors{dec: d}
	ev.validate(&rest)
	for _, fe := range rest.list {
		if fe.Field == "data" && ev.Data == nil && (f.has("type") || f.has("data")) {
			continue
		}
		if !f.covers(fe.Field) {
			f.list = append(f.list, fe)
		}
	}
	if rest.kind != nil {
		f.kind = rest.kind
	}
	if o.draft && len(f.list) == 0 {
		if p, ok := ev.Data.(Position); ok && p.Occurred.Day().Time().After(o.now.Add(48*time.Hour)) {
			f.add("data.occurred", "%s is in the future", p.Occurred)
		}
	}
	if err := f.err(); err != nil {
		return Event{}, err
	}
	return ev, nil
}

// covers reports whether field, or an object holding it, is reported
// already: a field that failed to parse is not reported again as missing.
// An object whose member failed (data.evidence, when
// data.evidence.producer did) is still checked as a whole: a missing quote
// is reported beside a wrong producer.
func (f *fieldErrors) covers(field string) bool {
	for _, fe := range f.list {
		if fe.Field == field || strings.HasPrefix(field, fe.Field+".") {
			return true
		}
	}
	return false
}

// decodeEnvelope reads a structured-mode CloudEvent: its context
// attributes into an envelopeWire, its extension attributes into a map
// (nil when there are none). A wrong attribute is a field error in f; an
// invalid extension name is one only when strict (a consumer ignores what
// it cannot use). The error is for bytes that are not a JSON object.
func decodeEnvelope(b []byte, strict bool, f *fieldErrors) (envelopeWire, map[string]any, error) {
	var w envelopeWire
	var attrs map[string]json.RawMessage
	if err := unmarshal(b, &attrs, strict); err != nil {
		return w, nil, jsonError("", err)
	}
	if attrs == nil {
		return w, nil, fmt.Errorf("%w: not a JSON object", ErrMalformed)
	}
	attr := func(name string, v any) {
		raw, ok := attrs[name]
		if !ok || string(raw) == "null" {
			return
		}
		if err := json.Unmarshal(raw, v); err != nil {
			var ve *ValidationError
			if errors.As(jsonError("", err), &ve) {
				f.add(name, "%s", ve.Fields[0].Message)
			} else {
				f.add(name, "%v", err)
			}
		}
	}
	attr("specversion", &w.SpecVersion)
	attr("id", &w.ID)
	attr("source", &w.Source)
	attr("type", &w.Type)
	attr("subject", &w.Subject)
	attr("time", &w.Time)
	attr("datacontenttype", &w.DataContentType)
	attr("schemaversion", &w.SchemaVersion)
	attr("dataschema", &w.DataSchema)
	w.Data = attrs["data"]
	var ext map[string]any
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		raw := attrs[name]
		if IsContextAttribute(name) {
			continue
		}
		if name == "data_base64" {
			f.add(name, "binary data is not taken: send the data as JSON (datacontenttype application/json)")
			continue
		}
		if err := ValidAttributeName(name); err != nil {
			if strict {
				f.add(name, "is not a known attribute, nor a valid extension name: %v", err)
			}
			continue
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			f.add(name, "%v", err)
			continue
		}
		switch x := v.(type) {
		case nil:
			continue // null: the attribute is not set
		case json.Number:
			n, err := x.Int64()
			if err != nil {
				f.add(name, "%s is not an integer: an extension attribute is a string, an integer or a boolean", x)
				continue
			}
			v = n
		case string, bool:
		default:
			f.add(name, "is a JSON %s: an extension attribute is a string, an integer or a boolean", jsonKindOf(raw))
			continue
		}
		if ext == nil {
			ext = map[string]any{}
		}
		ext[name] = v
	}
	return w, ext, nil
}

func jsonKindOf(raw json.RawMessage) string {
	switch bytes.TrimSpace(raw)[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

func (f *fieldErrors) has(field string) bool {
	for _, fe := range f.list {
		if fe.Field == field || strings.HasPrefix(fe.Field, field+".") || strings.HasPrefix(field, fe.Field+".") {
			return true
		}
	}
	return false
}

func unmarshal(b []byte, v any, strict bool) error {
	if !strict {
		return json.Unmarshal(b, v)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// jsonError turns a JSON decoding error into ErrMalformed or a field error.
func jsonError(prefix string, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	field := func(name string) string {
		if prefix == "" {
			return name
		}
		if name == "" {
			return prefix
		}
		return prefix + "." + name
	}
	switch {
	case errors.As(err, &te):
		return &ValidationError{Fields: []FieldError{{Field: field(te.Field), Message: fmt.Sprintf("is a JSON %s: want %s", te.Value, jsonKind(te.Type.String()))}}}
	case errors.As(err, &se):
		return fmt.Errorf("%w: not JSON: %v at byte %d", ErrMalformed, se, se.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &ValidationError{Fields: []FieldError{{Field: field(name), Message: "is not a known field"}}}
	}
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}

func jsonKind(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "a number"
	}
	return "an object"
}

func subErrors(prefix string, err error, f *fieldErrors) {
	var ve *ValidationError
	if errors.As(jsonError(prefix, err), &ve) {
		f.list = append(f.list, ve.Fields...)
		return
	}
	f.add(prefix, "is not a JSON object")
}

func decodePosition(raw json.RawMessage, o decodeOptions, f *fieldErrors) Data {
	var in positionIn
	if err := unmarshal(raw, &in, o.strict); err != nil {
		subErrors("data", err, f)
		return nil
	}
	w := positionWire{Actor: in.Actor, Topic: in.Topic, Stance: in.Stance, Motion: in.Motion, Occurred: in.Occurred, From: in.From, Supersedes: in.Supersedes}
	if len(in.Evidence) > 0 && string(in.Evidence) != "null" {
		w.Evidence = &evidenceWire{}
		if err := unmarshal(in.Evidence, w.Evidence, o.strict); err != nil {
			subErrors("data.evidence", err, f)
			return nil
		}
	}
	var p Position
	var err error
	if w.Actor != "" {
		p.Actor, err = ParseCountry(w.Actor)
		f.addErr("data.actor", err)
	}
	if w.Topic != "" {
		p.Topic, err = ParseTopic(w.Topic)
		f.addErr("data.topic", err)
	}
	if w.Stance != "" {
		p.Stance, err = ParseStance(w.Stance)
		f.addErr("data.stance", err)
	}
	if w.Motion != "" {
		p.Motion, err = ParseMotionID(w.Motion)
		f.addErr("data.motion", err)
	}
	if w.Occurred != "" {
		p.Occurred, err = ParseOccurred(w.Occurred)
		f.addErr("data.occurred", err)
	}
	if w.From != "" {
		p.From, err = ParseStance(w.From)
		f.addErr("data.from", err)
	}
	if w.Supersedes != "" {
		p.Supersedes, err = uuid.Parse(w.Supersedes)
		if err != nil {
			f.add("data.supersedes", "%q is not a UUID", w.Supersedes)
		}
	}
	if w.Evidence == nil {
		f.add("data.evidence", "is missing: every position needs evidence (quote or source, producer)")
		p.Evidence.Confidence = 1
	} else {
		if o.draft && w.Evidence.Producer == "" {
			w.Evidence.Producer = ProducerAnalyst.String() // a person posting it
		}
		p.Evidence = w.Evidence.decode("data.evidence", f)
	}
	return p
}

func (w *evidenceWire) decode(path string, f *fieldErrors) Evidence {
	ev := Evidence{Quote: w.Quote, URL: w.URL, Citation: w.Citation, Document: w.Document, Offset: w.Offset, Confidence: 1}
	if w.Producer != "" {
		var err error
		ev.Producer, err = ParseProducer(w.Producer)
		f.addErr(path+".producer", err)
	}
	if w.Confidence != nil {
		ev.Confidence = *w.Confidence
	}
	return ev
}

func decodeMotion(raw json.RawMessage, o decodeOptions, f *fieldErrors) Data {
	var w motionWire
	if err := unmarshal(raw, &w, o.strict); err != nil {
		subErrors("data", err, f)
		return nil
	}
	m := Motion{Body: w.Body, Title: w.Title, PenholderNote: w.PenholderNote, Meeting: w.Meeting, Session: w.Session, Important: w.Important, Sources: w.Sources}
	var err error
	if w.ID != "" {
		m.ID, err = ParseMotionID(w.ID)
		f.addErr("data.id", err)
	}
	m.Aliases = parseList(w.Aliases, "data.aliases", ParseMotionID, f)
	if w.Kind != "" {
		m.Kind, err = ParseMotionKind(w.Kind)
		f.addErr("data.kind", err)
	}
	if w.Topic != "" {
		m.Topic, err = ParseTopic(w.Topic)
		f.addErr("data.topic", err)
	}
	if w.Date != "" {
		m.Date, err = ParseDate(w.Date)
		f.addErr("data.date", err)
	}
	m.Penholders = parseList(w.Penholders, "data.penholders", ParseCountry, f)
	m.Sponsors = parseList(w.Sponsors, "data.sponsors", ParseCountry, f)
	m.VetoedBy = parseList(w.VetoedBy, "data.vetoed_by", ParseCountry, f)
	if w.Outcome != "" {
		m.Outcome, err = ParseOutcome(w.Outcome)
		f.addErr("data.outcome", err)
	}
	if w.Tally != nil {
		m.Tally = *w.Tally
	}
	if w.Amends != "" {
		m.Amends, err = ParseMotionID(w.Amends)
		f.addErr("data.amends", err)
	}
	return m
}

func parseList[T any](in []string, path string, parse func(string) (T, error), f *fieldErrors) []T {
	if len(in) == 0 {
		return nil
	}
	out := make([]T, 0, len(in))
	for i, s := range in {
		v, err := parse(s)
		if err != nil {
			f.addErr(fmt.Sprintf("%s[%d]", path, i), err)
			continue
		}
		out = append(out, v)
	}
	return out
}

func decodeRetraction(raw json.RawMessage, o decodeOptions, f *fieldErrors) Data {
	var w retractionWire
	if err := unmarshal(raw, &w, o.strict); err != nil {
		subErrors("data", err, f)
		return nil
	}
	r := Retraction{Reason: w.Reason}
	var err error
	if w.Target != "" {
		r.Target, err = uuid.Parse(w.Target)
		if err != nil {
			f.add("data.target", "%q is not a UUID", w.Target)
		}
	}
	if w.Actor != "" {
		r.Actor, err = ParseCountry(w.Actor)
		f.addErr("data.actor", err)
	}
	if w.Topic != "" {
		r.Topic, err = ParseTopic(w.Topic)
		f.addErr("data.topic", err)
	}
	return r
}

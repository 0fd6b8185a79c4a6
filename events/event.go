package events

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Type is a CloudEvents type attribute: what the data of an event is.
type Type string

// The event types.
const (
	TypePosition   Type = "org.stancewatch.position"
	TypeMotion     Type = "org.stancewatch.motion"
	TypeRetraction Type = "org.stancewatch.retraction"
)

// CurrentSchemaVersion is the schema version this code writes. Readers
// accept every version up to it, upcasting older data (schema.go).
const CurrentSchemaVersion = 2

// Limits on the sizes of fields and of whole events.
const (
	MaxEventSize    = 64 << 10
	MaxQuoteLen     = 8 << 10
	MaxSourceLen    = 2048
	MaxTextLen      = 1024 // titles, reasons, notes
	MaxListLen      = 256  // aliases, sponsors, sources
	MaxSourceAttLen = 256  // the CloudEvents source attribute
)

// Event is one immutable fact in the stream: a CloudEvents 1.0 envelope
// around a Position, a Motion or a Retraction.
type Event struct {
	ID            uuid.UUID // UUIDv7 for new events, UUIDv5 for events derived from documents
	Source        string    // CloudEvents source: which producer wrote it
	Time          time.Time // when the producer made the event
	SchemaVersion int
	// DataSchema is the CloudEvents dataschema attribute, an absolute URI,
	// when the producer gave one.
	DataSchema string
	// Extensions are the CloudEvents extension attributes the producer
	// sent (traceparent, tracestate, partitionkey, or any other valid
	// name; see ValidAttributeName), kept with the event and given back
	// with it. Values are strings, int32s or bools. Nothing else reads
	// them: the projection is the same with or without.
	Extensions map[string]any
	Data       Data
}

// Data is the payload of an Event: Position, Motion or Retraction.
type Data interface {
	// Type returns the CloudEvents type of the payload.
	Type() Type
	validate(f *fieldErrors)
	ceSubject() string
}

// Producer says what kind of source an observation came from. It decides
// which of two disagreeing observations wins: an official roll call beats
// anything else.
type Producer struct{ s string }

// The producers.
var (
	ProducerRollCall = Producer{"rollcall"} // an official vote record
	ProducerNews     = Producer{"news"}     // extracted from news copy
	ProducerAnalyst  = Producer{"analyst"}  // entered by a person
)

// ParseProducer accepts rollcall, news or analyst.
func ParseProducer(s string) (Producer, error) {
	switch k := strings.ToLower(strings.TrimSpace(s)); k {
	case "rollcall", "news", "analyst":
		return Producer{k}, nil
	case "":
		return Producer{}, fmt.Errorf("is empty: want rollcall, news or analyst")
	}
	return Producer{}, fmt.Errorf("%q is not a producer: want rollcall, news or analyst", s)
}

// String returns the producer's name.
func (p Producer) String() string { return p.s }

// IsZero reports whether p is unset.
func (p Producer) IsZero() bool { return p.s == "" }

// MarshalText encodes the name.
func (p Producer) MarshalText() ([]byte, error) { return []byte(p.s), nil }

// UnmarshalText accepts anything ParseProducer accepts.
func (p *Producer) UnmarshalText(b []byte) error {
	v, err := ParseProducer(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Evidence is what an observation rests on.
type Evidence struct {
	Quote      string   // the words that show the position, as they stand in the source
	URL        string   // where the source is, an absolute http(s) URL
	Citation   string   // the source as a reference ("UN Meetings Coverage SC/15641")
	Document   string   // the file or record the quote was read from
	Offset     *int64   // byte offset of Quote in Document, when known
	Producer   Producer // what kind of source this is
	Confidence float64  // 0..1: how sure the producer is
}

// Position is an observation: an actor's stance on a topic, optionally on
// one motion, taken at a time.
type Position struct {
	Actor      Country
	Topic      Topic
	Stance     Stance
	Motion     MotionID  // zero when the position is not about one text
	Occurred   Occurred  // when the position was taken
	From       Stance    // the stance the source says the actor moved from; zero if it does not say
	Supersedes uuid.UUID // a position this one corrects; zero if none
	Evidence   Evidence
}

// Type implements Data.
func (Position) Type() Type { return TypePosition }

func (p Position) ceSubject() string { return p.Actor.String() + "/" + p.Topic.String() }

// Motion is a text put before a body: a draft, resolution, amendment or
// statement, with what became of it.
type Motion struct {
	ID            MotionID
	Aliases       []MotionID // other ids of the same text (its draft symbol, its resolution number)
	Kind          MotionKind
	Body          string // "UNSC"
	Title         string
	Topic         Topic
	Date          Date // day of the vote, or of circulation when not voted
	Penholders    []Country
	PenholderNote string // for groups: "E10 (elected members); introduced by Mozambique"
	Sponsors      []Country
	Outcome       Outcome
	Tally         Tally
	VetoedBy      []Country
	Amends        MotionID // for amendments and part votes: the text amended or voted in part
	Meeting       string   // S/PV.9586
	Session       string   // the body's session: "68", "ES-10"; "" when not recorded
	Important     *bool    // the US State Department's "important vote" flag, where the record codes it
	Sources       []Source
}

// Source is where a fact comes from: an address, a reference, or both.
type Source struct {
	URL      string `json:"url,omitempty"`
	Citation string `json:"citation,omitempty"`
}

// Type implements Data.
func (Motion) Type() Type { return TypeMotion }

func (m Motion) ceSubject() string { return m.ID.String() }

// Retraction withdraws an earlier event. Nothing is deleted: the target
// stays in the stream and in histories, marked as retracted.
type Retraction struct {
	Target uuid.UUID
	Reason string
	Actor  Country // the target position's actor, for routing; zero for a motion
	Topic  Topic   // the target's topic, for routing
}

// Type implements Data.
func (Retraction) Type() Type { return TypeRetraction }

func (r Retraction) ceSubject() string { return r.Target.String() }

// Subject returns the NATS subject the event is published on (see
// subject.go).
func (e Event) Subject() string {
	switch d := e.Data.(type) {
	case Position:
		return PositionSubject(d.Actor, d.Topic, producerToken(d.Evidence.Producer))
	case Motion:
		return MotionSubject(d.Topic, MotionToken)
	case Retraction:
		if d.Actor.IsZero() {
			return MotionSubject(d.Topic, RetractionToken)
		}
		return PositionSubject(d.Actor, d.Topic, RetractionToken)
	case ShiftAlert:
		return ShiftSubject(d.Actor, d.Topic, e.ID)
	case AlignmentAlert:
		return AlignmentSubject(d.Actor, d.Reference, d.Topic, e.ID)
	case BlocDefinition:
		return BlocSubject(d.ID, e.ID)
	case Review:
		return ReviewSubject(d.Position.Actor, e.ID)
	case ReviewDecision:
		return ReviewDecisionSubject(d.Actor, e.ID)
	}
	return ""
}

// Validate checks every field and returns a *ValidationError listing all
// that are wrong.
func (e Event) Validate() error { return e.validateWith(nil) }

// validateWith is Validate checking addresses through d's cache (none
// when d is nil).
func (e Event) validateWith(d *Decoder) error {
	f := fieldErrors{dec: d}
	e.validate(&f)
	return f.err()
}

func (e Event) validate(f *fieldErrors) {
	if e.ID == uuid.Nil {
		f.add("id", "is empty: want a UUID")
	} else if e.ID.Variant() != uuid.RFC4122 {
		f.add("id", "%q is not an RFC 9562 UUID", e.ID)
	}
	switch {
	case strings.TrimSpace(e.Source) == "":
		f.add("source", "is empty: want a URI reference naming the producer")
	case len(e.Source) > MaxSourceAttLen:
		f.add("source", "is %d bytes long: at most %d", len(e.Source), MaxSourceAttLen)
	}
	if e.DataSchema != "" {
		if u, err := url.Parse(e.DataSchema); err != nil || !u.IsAbs() || len(e.DataSchema) > MaxSourceLen {
			f.add("dataschema", "%q is not an absolute URI of at most %d bytes", e.DataSchema, MaxSourceLen)
		}
	}
	validateExtensions(e.Extensions, f)
	if e.SchemaVersion < 1 || e.SchemaVersion > CurrentSchemaVersion {
		f.add("schemaversion", "%d is not a schema version this reader knows (1..%d)", e.SchemaVersion, CurrentSchemaVersion)
		if e.SchemaVersion > CurrentSchemaVersion {
			f.kind = ErrUnknownSchema
		}
	}
	if e.Data == nil {
		f.add("data", "is missing")
		return
	}
	e.Data.validate(f)
}

func (p Position) validate(f *fieldErrors) {
	if p.Actor.IsZero() {
		f.add("data.actor", "is missing: want an ISO 3166-1 country")
	}
	if p.Topic.IsZero() {
		f.add("data.topic", "is missing: want a topic slug such as gaza-ceasefire")
	}
	if p.Stance.IsZero() {
		f.add("data.stance", "is missing: want one of %s", strings.Join(stanceNames[1:], ", "))
	}
	if p.Occurred.IsZero() {
		f.add("data.occurred", "is missing: want the date the position was taken (YYYY-MM-DD)")
	}
	if !p.From.IsZero() && p.From == p.Stance {
		f.add("data.from", "is %s, the same as data.stance: a shift needs two different stances", p.From)
	}
	p.Evidence.validate("data.evidence", f)
}

func (ev Evidence) validate(path string, f *fieldErrors) {
	if strings.TrimSpace(ev.Quote) == "" && strings.TrimSpace(ev.URL) == "" && strings.TrimSpace(ev.Citation) == "" {
		f.add(path, "has no quote, url or citation: every position needs evidence")
	}
	if len(ev.Quote) > MaxQuoteLen {
		f.add(path+".quote", "is %d bytes long: at most %d", len(ev.Quote), MaxQuoteLen)
	}
	Source{URL: ev.URL, Citation: ev.Citation}.validate(path, f)
	if len(ev.Document) > MaxSourceLen {
		f.add(path+".document", "is %d bytes long: at most %d", len(ev.Document), MaxSourceLen)
	}
	if ev.Offset != nil && *ev.Offset < 0 {
		f.add(path+".offset", "is %d: want a byte offset ≥ 0", *ev.Offset)
	}
	if ev.Producer.IsZero() {
		f.add(path+".producer", "is missing: want rollcall, news or analyst")
	}
	if math.IsNaN(ev.Confidence) || ev.Confidence < 0 || ev.Confidence > 1 {
		f.add(path+".confidence", "is %v: want a number from 0 to 1", ev.Confidence)
	}
}

func (m Motion) validate(f *fieldErrors) {
	if m.ID.IsZero() {
		f.add("data.id", "is missing: want a symbol such as S/2024/239")
	}
	if len(m.Aliases) > MaxListLen {
		f.add("data.aliases", "has %d entries: at most %d", len(m.Aliases), MaxListLen)
	}
	for i, a := range m.Aliases {
		if a == m.ID {
			f.add(fmt.Sprintf("data.aliases[%d]", i), "repeats data.id %s", a)
		}
	}
	if m.Kind == "" {
		f.add("data.kind", "is missing: want draft, resolution, amendment or statement")
	}
	if m.Topic.IsZero() {
		f.add("data.topic", "is missing: want a topic slug such as gaza-ceasefire")
	}
	if m.Date.IsZero() {
		f.add("data.date", "is missing: want the date of the vote (YYYY-MM-DD)")
	}
	if m.Outcome == "" {
		f.add("data.outcome", "is missing: want pending, adopted, failed, vetoed or withdrawn")
	}
	for _, s := range []struct {
		name string
		v    string
	}{{"body", m.Body}, {"title", m.Title}, {"penholder_note", m.PenholderNote}, {"meeting", m.Meeting}, {"session", m.Session}} {
		if len(s.v) > MaxTextLen {
			f.add("data."+s.name, "is %d bytes long: at most %d", len(s.v), MaxTextLen)
		}
	}
	for _, l := range []struct {
		name string
		n    int
	}{{"penholders", len(m.Penholders)}, {"sponsors", len(m.Sponsors)}, {"vetoed_by", len(m.VetoedBy)}, {"sources", len(m.Sources)}} {
		if l.n > MaxListLen {
			f.add("data."+l.name, "has %d entries: at most %d", l.n, MaxListLen)
		}
	}
	for i, src := range m.Sources {
		path := fmt.Sprintf("data.sources[%d]", i)
		if src.URL == "" && src.Citation == "" {
			f.add(path, "is empty: give a url or a citation")
		}
		src.validate(path, f)
	}
	for _, c := range []struct {
		name string
		p    *int
	}{{"yes", m.Tally.Yes}, {"no", m.Tally.No}, {"abstain", m.Tally.Abstain}, {"absent", m.Tally.Absent}} {
		if c.p != nil && (*c.p < 0 || *c.p > 1000) {
			f.add("data.tally."+c.name, "is %d: want a count from 0 to 1000", *c.p)
		}
	}
	if m.Outcome == OutcomeVetoed && len(m.VetoedBy) == 0 {
		f.add("data.vetoed_by", "is empty but data.outcome is vetoed: name who vetoed")
	}
	if m.Kind == KindAmendment && m.Amends.IsZero() {
		f.add("data.amends", "is missing: an amendment names the text it amends")
	}
}

func (r Retraction) validate(f *fieldErrors) {
	if r.Target == uuid.Nil {
		f.add("data.target", "is missing: want the id of the event to retract")
	}
	switch {
	case strings.TrimSpace(r.Reason) == "":
		f.add("data.reason", "is empty: say why the event is withdrawn")
	case len(r.Reason) > MaxTextLen:
		f.add("data.reason", "is %d bytes long: at most %d", len(r.Reason), MaxTextLen)
	}
	if r.Topic.IsZero() {
		f.add("data.topic", "is missing: want the topic of the retracted event")
	}
}

func (src Source) validate(path string, f *fieldErrors) {
	if src.URL != "" {
		if len(src.URL) > MaxSourceLen {
			f.add(path+".url", "is %d bytes long: at most %d", len(src.URL), MaxSourceLen)
		} else if !f.dec.isURL(src.URL) {
			f.add(path+".url", "%q is not an absolute http(s) URL (put a reference in citation)", src.URL)
		}
	}
	if len(src.Citation) > MaxSourceLen {
		f.add(path+".citation", "is %d bytes long: at most %d", len(src.Citation), MaxSourceLen)
	}
}

// IsURL reports whether s is an absolute http or https URL. It remembers
// nothing; a Decoder remembers the addresses it has accepted.
func IsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}

// SplitSource reads a source given as one string (schema version 1, a
// CLI flag): an absolute http(s) URL is a URL, anything else a citation.
func SplitSource(s string) Source {
	s = strings.TrimSpace(s)
	if IsURL(s) {
		return Source{URL: s}
	}
	return Source{Citation: s}
}

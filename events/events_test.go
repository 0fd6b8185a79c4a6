package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestParseCountry(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"alpha-2", "US", "US"},
		{"alpha-2 lower", "us", "US"},
		{"alpha-3", "USA", "US"},
		{"name", "United States", "US"},
		{"the US", "the US", "US"},
		{"dotted", "the U.S.", "US"},
		{"capital metonym", "Washington", "US"},
		{"formal name", "Russian Federation", "RU"},
		{"moscow", "moscow", "RU"},
		{"UNDL upper-case name", "UNITED KINGDOM", "GB"},
		{"withdrawn UK code", "UK", "GB"},
		{"britain", "Britain", "GB"},
		{"demonym", "Chinese", "CN"},
		{"numeric M.49", "840", "US"},
		{"curly apostrophe", "Côte d’Ivoire", "CI"},
		{"korea formal", "Republic of Korea", "KR"},
		{"algeria alpha-3", "DZA", "DZ"},
		{"palestine", "State of Palestine", "PS"},
		{"territory via x/text name", "Greenland", "GL"},
		{"swapped spaces", "  united   states  ", "US"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCountry(tc.in)
			if err != nil {
				t.Fatalf("ParseCountry(%q): %v", tc.in, err)
			}
			if c.String() != tc.want {
				t.Fatalf("ParseCountry(%q) = %s, want %s", tc.in, c, tc.want)
			}
		})
	}
}

func TestParseCountryRejects(t *testing.T) {
	for _, in := range []string{"", "XX", "ZZ", "EU", "UN", "Atlantis", "Korea", "Congo", "XK", "AC", "QQQ", "the"} {
		t.Run(in, func(t *testing.T) {
			if c, err := ParseCountry(in); err == nil {
				t.Fatalf("ParseCountry(%q) = %s, want an error", in, c)
			}
		})
	}
}

func TestAllCountriesAreISO(t *testing.T) {
	all := AllCountries()
	if len(all) != 249 {
		t.Fatalf("got %d ISO 3166-1 countries, want the 249 officially assigned", len(all))
	}
	for _, c := range all {
		if c.Name() == "" || len(c.Alpha3()) != 3 {
			t.Errorf("%s: name %q alpha3 %q", c, c.Name(), c.Alpha3())
		}
	}
	if got := MustCountry("US").Name(); got != "United States" {
		t.Errorf("US name = %q", got)
	}
}

func TestStanceScale(t *testing.T) {
	order := Stances()
	for i := 1; i < len(order); i++ {
		if order[i-1].Lean() > order[i].Lean() {
			t.Errorf("%s (lean %d) after %s (lean %d): scale not ordered", order[i], order[i].Lean(), order[i-1], order[i-1].Lean())
		}
		if order[i-1].Rank() >= order[i].Rank() {
			t.Errorf("rank of %s not above %s", order[i], order[i-1])
		}
	}
	tests := []struct {
		from, to Stance
		want     Direction
	}{
		{Veto, Abstain, TowardFor},
		{Abstain, Veto, TowardAgainst},
		{Abstain, Absent, Level},
		{VoteYes, Sponsor, TowardFor},
		{Oppose, VoteNo, TowardAgainst},
	}
	for _, tc := range tests {
		if got := DirectionOf(tc.from, tc.to); got != tc.want {
			t.Errorf("DirectionOf(%s, %s) = %s, want %s", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestParseStance(t *testing.T) {
	tests := map[string]Stance{
		"veto": Veto, "vote_no": VoteNo, "vote-no": VoteNo, "Vote No": VoteNo, "N": VoteNo, "Y": VoteYes,
		"A": Abstain, "X": Absent, "abstention": Abstain, "conditional": Conditional, "sponsor": Sponsor,
	}
	for in, want := range tests {
		got, err := ParseStance(in)
		if err != nil || got != want {
			t.Errorf("ParseStance(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseStance("maybe"); err == nil || !strings.Contains(err.Error(), "veto") {
		t.Errorf("ParseStance(maybe) error %v should list the stances", err)
	}
}

func TestParseMotionID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2728", "S/RES/2728"},
		{"S/RES/2728(2024)", "S/RES/2728"},
		{"s/res/2728 (2024)", "S/RES/2728"},
		{"resolution 2728", "S/RES/2728"},
		{"Res. 2735", "S/RES/2735"},
		{"S/2024/239", "S/2024/239"},
		{"s/2024/239", "S/2024/239"},
		{"A/ES-10/L.25", "A/ES-10/L.25"},
		{"2023-10-16-RU-draft", "2023-10-16-ru-draft"},
	}
	for _, tc := range tests {
		got, err := ParseMotionID(tc.in)
		if err != nil || got.String() != tc.want {
			t.Errorf("ParseMotionID(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "S/2024/239 DROP", "0", "res 0000", "a.b", strings.Repeat("a", 65)} {
		if got, err := ParseMotionID(bad); err == nil {
			t.Errorf("ParseMotionID(%q) = %q, want an error", bad, got)
		}
	}
}

func TestParseDates(t *testing.T) {
	for _, bad := range []string{"2024-02-30", "2023-02-29", "2024-13-01", "24-03-25", "1899-12-31", "3000-01-01", "yesterday"} {
		if _, err := ParseOccurred(bad); err == nil {
			t.Errorf("ParseOccurred(%q): want an error", bad)
		}
	}
	o, err := ParseOccurred("2024-02-29")
	if err != nil || o.String() != "2024-02-29" {
		t.Fatalf("leap day: %v %v", o, err)
	}
	o, err = ParseOccurred("2024-03-25T15:00:00-04:00")
	if err != nil || o.Day().String() != "2024-03-25" || o.String() != "2024-03-25T19:00:00Z" {
		t.Fatalf("instant: %v %v", o, err)
	}
	day := OnDay(MustDate("2024-03-25"))
	if day.Compare(o) >= 0 || o.Compare(day) <= 0 {
		t.Errorf("a day should sort before instants on that day")
	}
}

func samplePosition() Event {
	off := int64(42)
	return Event{
		ID:            uuid.MustParse("0190c7a2-7a5e-7cc0-8000-000000000001"),
		Source:        "stancewatch/analyst",
		Time:          time.Date(2024, 3, 26, 9, 0, 0, 0, time.UTC),
		SchemaVersion: CurrentSchemaVersion,
		Data: Position{
			Actor: MustCountry("US"), Topic: MustTopic("gaza-ceasefire"), Stance: Abstain,
			Motion: MustMotionID("2728"), Occurred: OnDay(MustDate("2024-03-25")), From: Veto,
			Evidence: Evidence{Quote: "the us abstained", URL: "https://example.org/a", Document: "a.txt", Offset: &off, Producer: ProducerNews, Confidence: 0.9},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	events := []Event{
		samplePosition(),
		{ID: NewID(), Source: "stancewatch/rollcall", SchemaVersion: 1, Data: Motion{
			ID: MustMotionID("S/2024/239"), Kind: KindDraft, Topic: MustTopic("gaza-ceasefire"), Date: MustDate("2024-03-22"),
			Penholders: []Country{MustCountry("US")}, Outcome: OutcomeVetoed, VetoedBy: []Country{MustCountry("RU"), MustCountry("CN")},
			Tally: Tally{Yes: ptr(11), No: ptr(3), Abstain: ptr(1)}, Sources: []Source{{URL: "https://press.un.org", Citation: "UN Meetings Coverage"}}, Aliases: []MotionID{MustMotionID("us-draft-2024-03")},
		}},
		{ID: NewID(), Source: "stancewatch/analyst", SchemaVersion: 1, Data: Retraction{Target: NewID(), Reason: "misread", Actor: MustCountry("US"), Topic: MustTopic("gaza-ceasefire")}},
	}
	for _, ev := range events {
		t.Run(string(ev.Data.Type()), func(t *testing.T) {
			b, err := ev.Encode()
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(b, Strict())
			if err != nil {
				t.Fatalf("Decode(%s): %v", b, err)
			}
			b2, _ := got.Encode()
			if string(b) != string(b2) {
				t.Fatalf("round trip changed the event:\n%s\n%s", b, b2)
			}
			var ce map[string]any
			if err := json.Unmarshal(b, &ce); err != nil {
				t.Fatal(err)
			}
			for _, attr := range []string{"specversion", "id", "source", "type", "subject", "datacontenttype", "data"} {
				if _, ok := ce[attr]; !ok {
					t.Errorf("CloudEvent lacks %q: %s", attr, b)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestDecodeFieldErrors(t *testing.T) {
	now := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		in     string
		fields []string // every field error expected, in order
		is     error
	}{
		{"unknown country", `{"type":"org.stancewatch.position","data":{"actor":"XX","topic":"gaza-ceasefire","stance":"veto","occurred":"2024-02-20","evidence":{"quote":"q","producer":"analyst"}}}`,
			[]string{"data.actor"}, ErrInvalid},
		{"impossible date and bad stance", `{"type":"org.stancewatch.position","data":{"actor":"US","topic":"gaza-ceasefire","stance":"meh","occurred":"2024-02-30","evidence":{"quote":"q","producer":"analyst"}}}`,
			[]string{"data.stance", "data.occurred"}, ErrInvalid},
		{"missing everything", `{"type":"org.stancewatch.position","data":{}}`,
			[]string{"data.evidence", "data.actor", "data.topic", "data.stance", "data.occurred"}, ErrInvalid},
		{"future", `{"type":"org.stancewatch.position","data":{"actor":"US","topic":"t","stance":"veto","occurred":"2025-01-01","evidence":{"quote":"q","producer":"analyst"}}}`,
			[]string{"data.occurred"}, ErrInvalid},
		{"wrong producer and no quote", `{"type":"org.stancewatch.position","data":{"actor":"XX","topic":"t","stance":"veto","occurred":"2024-02-20","evidence":{"producer":"rumour"}}}`,
			[]string{"data.actor", "data.evidence.producer", "data.evidence"}, ErrInvalid},
		{"wrong json type", `{"type":"org.stancewatch.position","data":{"actor":5}}`, []string{"data.actor"}, ErrInvalid},
		{"unknown field (strict)", `{"type":"org.stancewatch.position","data":{"actor":"US","colour":"red"}}`, []string{"data.colour"}, ErrInvalid},
		{"invalid attribute name (strict)", `{"type":"org.stancewatch.position","Extra":1,"data":{}}`, []string{"Extra", "data.evidence", "data.actor", "data.topic", "data.stance", "data.occurred"}, ErrInvalid},
		{"unknown type", `{"type":"org.example.thing","data":{}}`, []string{"type"}, ErrInvalid},
		{"newer schema", `{"type":"org.stancewatch.retraction","schemaversion":99,"data":{"target":"0190c7a2-7a5e-7cc0-8000-000000000001","reason":"x","topic":"t"}}`,
			[]string{"schemaversion"}, ErrUnknownSchema},
		{"confidence out of range", `{"type":"org.stancewatch.position","data":{"actor":"US","topic":"t","stance":"veto","occurred":"2024-02-20","evidence":{"quote":"q","producer":"analyst","confidence":1.5}}}`,
			[]string{"data.evidence.confidence"}, ErrInvalid},
		{"not json", `{"type":`, nil, ErrMalformed},
		{"trailing data", `{"type":"org.stancewatch.position","data":{}} {}`, nil, ErrMalformed},
		{"vetoed without vetoer", `{"type":"org.stancewatch.motion","data":{"id":"S/2024/1","kind":"draft","topic":"t","date":"2024-01-01","outcome":"vetoed"}}`,
			[]string{"data.vetoed_by"}, ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.in), Strict(), Draft(now, "test"))
			if err == nil {
				t.Fatal("Decode: want an error")
			}
			if !errors.Is(err, tc.is) {
				t.Fatalf("error %v does not wrap %v", err, tc.is)
			}
			if tc.fields == nil {
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *ValidationError: %v", err, err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Fatalf("field errors %q, want %q (%v)", got, tc.fields, err)
			}
		})
	}
}

func TestUnknownCountryMessage(t *testing.T) {
	_, err := Decode([]byte(`{"type":"org.stancewatch.position","data":{"actor":"XX","topic":"gaza-ceasefire","stance":"veto","occurred":"2024-02-20","evidence":{"quote":"q","producer":"analyst"}}}`), Draft(time.Now(), "t"))
	want := `data.actor: "XX" is not an ISO 3166-1 country`
	if err == nil || err.Error() != want {
		t.Fatalf("error %q, want %q", err, want)
	}
}

// TestExtensionsAreKept: dataschema and extension attributes
// (traceparent, tracestate, partitionkey, any valid name) are kept with
// the event, encoded back, and ignored by nothing; invalid names are
// refused, strictly, with a clear error, and skipped by a lenient reader.
func TestExtensionsAreKept(t *testing.T) {
	b, _ := samplePosition().Encode()
	with := func(attrs map[string]any) []byte {
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		maps.Copy(m, attrs)
		out, _ := json.Marshal(m)
		return out
	}
	for _, tc := range []struct {
		name    string
		attrs   map[string]any
		strict  string         // the field refused by Strict, or "" for none
		kept    map[string]any // the extensions kept (both modes)
		schema  string
		lenient bool // the lenient reader accepts it
	}{
		{"tracing and partitioning", map[string]any{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate": "rojo=00f067aa0ba902b7", "partitionkey": "US"},
			"", map[string]any{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate": "rojo=00f067aa0ba902b7", "partitionkey": "US"}, "", true},
		{"dataschema", map[string]any{"dataschema": "https://stancewatch.example/schemas/position/2"}, "", nil, "https://stancewatch.example/schemas/position/2", true},
		{"an integer and a boolean", map[string]any{"priority": 3, "urgent": true}, "", map[string]any{"priority": int64(3), "urgent": true}, "", true},
		{"null is unset", map[string]any{"traceparent": nil}, "", nil, "", true},
		{"uppercase name", map[string]any{"traceParent": "x"}, "traceParent", nil, "", true},
		{"underscore", map[string]any{"trace_id": "x"}, "trace_id", nil, "", true},
		{"longer than 20", map[string]any{"averyveryverylongname1": "x"}, "averyveryverylongname1", nil, "", true},
		{"an object value", map[string]any{"meta": map[string]any{"a": 1}}, "meta", nil, "", false},
		{"a fraction", map[string]any{"weight": 0.5}, "weight", nil, "", false},
		{"dataschema not a URI", map[string]any{"dataschema": "schemas/position"}, "dataschema", nil, "", false},
		{"binary data", map[string]any{"data_base64": "AAAA"}, "data_base64", nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := with(tc.attrs)
			_, err := Decode(in, Strict())
			var ve *ValidationError
			switch {
			case tc.strict == "" && err != nil:
				t.Fatalf("Strict: %v", err)
			case tc.strict != "" && (!errors.As(err, &ve) || ve.Fields[0].Field != tc.strict):
				t.Fatalf("Strict: %v, want a field error on %s", err, tc.strict)
			}
			ev, err := Decode(in)
			if (err == nil) != tc.lenient {
				t.Fatalf("lenient: %v", err)
			}
			if err != nil {
				return
			}
			if !maps.Equal(ev.Extensions, tc.kept) || ev.DataSchema != tc.schema {
				t.Fatalf("kept %v %q, want %v %q", ev.Extensions, ev.DataSchema, tc.kept, tc.schema)
			}
			out, err := ev.Encode()
			if err != nil {
				t.Fatal(err)
			}
			again, err := Decode(out, Strict())
			if err != nil || !maps.Equal(again.Extensions, tc.kept) || again.DataSchema != tc.schema {
				t.Fatalf("encoded %s, decoded %v %v", out, again.Extensions, err)
			}
			if len(tc.kept) == 0 && tc.schema == "" && !bytes.Equal(out, b) {
				t.Fatalf("an event without extensions encodes differently:\n%s\n%s", out, b)
			}
		})
	}
}

func TestDeterministicIDs(t *testing.T) {
	p := samplePosition().Data
	a, _ := ContentID("src", p)
	b, _ := ContentID("src", p)
	c, _ := ContentID("other", p)
	if a != b || a == c || a.Version() != 5 {
		t.Fatalf("ContentID: %s %s %s (version %d)", a, b, c, a.Version())
	}
	if NewID().Version() != 7 {
		t.Fatal("NewID should be a UUIDv7")
	}
}

func TestSubjects(t *testing.T) {
	pos := samplePosition()
	p := pos.Data.(Position)
	mot := Event{ID: NewID(), Data: Motion{ID: MustMotionID("S/2024/173"), Topic: p.Topic}}
	retractPos := Event{ID: NewID(), Data: Retraction{Target: pos.ID, Actor: p.Actor, Topic: p.Topic}}
	retractMot := Event{ID: NewID(), Data: Retraction{Target: mot.ID, Topic: p.Topic}}
	for _, tc := range []struct {
		name         string
		ev           Event
		want, legacy string
	}{
		{"a position: actor, topic, producer", pos, "positions.US.gaza-ceasefire.news", "positions.US.gaza-ceasefire." + pos.ID.String()},
		{"a motion", mot, "motions.gaza-ceasefire.motion", "motions.gaza-ceasefire." + mot.ID.String()},
		{"a retraction of a position", retractPos, "positions.US.gaza-ceasefire.retraction", "positions.US.gaza-ceasefire." + retractPos.ID.String()},
		{"a retraction of a motion", retractMot, "motions.gaza-ceasefire.retraction", "motions.gaza-ceasefire." + retractMot.ID.String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ev.Subject(); got != tc.want {
				t.Fatalf("Subject = %q, want %q", got, tc.want)
			}
			if got, _ := tc.ev.LegacySubject(); got != tc.legacy {
				t.Fatalf("LegacySubject = %q, want %q", got, tc.legacy)
			}
			for _, subj := range []string{tc.want, tc.legacy} {
				if !tc.ev.OnSubject(subj) {
					t.Errorf("OnSubject(%q) = false", subj)
				}
				if !subjectMatches(tc.ev.KeyFilter(), subj) {
					t.Errorf("the key filter %q does not match %q", tc.ev.KeyFilter(), subj)
				}
			}
			if id, ok := IDOfSubject(tc.legacy); !ok || id != tc.ev.ID {
				t.Errorf("IDOfSubject(%q) = %s, %v", tc.legacy, id, ok)
			}
			if _, ok := IDOfSubject(tc.want); ok {
				t.Errorf("IDOfSubject(%q) found an id", tc.want)
			}
		})
	}
	for _, wrong := range []string{"positions.FR.gaza-ceasefire.news", "positions.US.gaza-ceasefire.analyst", "positions.US.gaza-ceasefire." + NewID().String(), "positions.US.gaza-ceasefire"} {
		if pos.OnSubject(wrong) {
			t.Errorf("OnSubject(%q) = true", wrong)
		}
	}
	if got := PositionFilter(Country{}, MustTopic("gaza-ceasefire")); got != "positions.*.gaza-ceasefire.*" {
		t.Fatalf("PositionFilter = %q", got)
	}
}

// subjectMatches reports whether a NATS subject filter ("*" one token,
// ">" the rest) matches subject.
func subjectMatches(filter, subject string) bool {
	f, s := strings.Split(filter, "."), strings.Split(subject, ".")
	for i, tok := range f {
		switch {
		case tok == ">":
			return len(s) > i
		case i >= len(s):
			return false
		case tok != "*" && tok != s[i]:
			return false
		}
	}
	return len(f) == len(s)
}

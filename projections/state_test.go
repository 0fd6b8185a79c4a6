package projections

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

var t0 = time.Date(2024, 4, 1, 12, 0, 0, 0, time.UTC)

type rec struct {
	ev events.Event
	m  Meta
}

// builder makes events with increasing sequences and recorded times.
type builder struct {
	seq  uint64
	recs []rec
}

func (b *builder) add(d events.Data) events.Event {
	b.seq++
	ev := events.Event{ID: uuid.NewSHA1(events.Namespace, fmt.Appendf(nil, "test-%d", b.seq)), Source: "test", SchemaVersion: 1, Data: d}
	b.recs = append(b.recs, rec{ev, Meta{Seq: b.seq, Recorded: t0.Add(time.Duration(b.seq) * time.Minute)}})
	return ev
}

func (b *builder) pos(actor, topic, stance, day, motion string, producer events.Producer, conf float64) events.Event {
	p := events.Position{
		Actor: events.MustCountry(actor), Topic: events.MustTopic(topic), Stance: events.MustStance(stance),
		Occurred: events.OnDay(events.MustDate(day)),
		Evidence: events.Evidence{Quote: actor + " " + stance + " on " + day, Producer: producer, Confidence: conf},
	}
	if motion != "" {
		p.Motion = events.MustMotionID(motion)
	}
	return b.add(p)
}

func (b *builder) vote(actor, stance, day, motion string) events.Event {
	return b.pos(actor, "gaza-ceasefire", stance, day, motion, events.ProducerRollCall, 1)
}

func (b *builder) motion(id, day string, aliases ...string) events.Event {
	m := events.Motion{ID: events.MustMotionID(id), Kind: events.KindDraft, Topic: events.MustTopic("gaza-ceasefire"),
		Date: events.MustDate(day), Outcome: events.OutcomeAdopted}
	for _, a := range aliases {
		m.Aliases = append(m.Aliases, events.MustMotionID(a))
	}
	return b.add(m)
}

func (b *builder) retract(target events.Event, reason string) events.Event {
	p, _ := target.Data.(events.Position)
	return b.add(events.Retraction{Target: target.ID, Reason: reason, Actor: p.Actor, Topic: events.MustTopic("gaza-ceasefire")})
}

func fold(recs []rec) *State {
	s := New()
	for _, r := range recs {
		s.Apply(r.ev, r.m)
	}
	return s
}

// render is everything the API can show, as JSON: two states that render
// the same are indistinguishable to users.
// snapshotBytes writes s as a snapshot, failing the test on an error.
func snapshotBytes(t testing.TB, s *State) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// reread writes s as a snapshot and reads it back, failing the test on
// either error.
func reread(t testing.TB, s *State) *State {
	t.Helper()
	got, err := ReadSnapshot(bytes.NewReader(snapshotBytes(t, s)))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func render(t *testing.T, s *State, c Lens) string {
	t.Helper()
	var out []any
	for _, a := range s.Actors(c) {
		out = append(out, a, s.Histories(a.Actor, events.Topic{}, c))
		av, _ := s.Actor(a.Actor, c)
		out = append(out, av)
	}
	for _, tp := range s.Topics(c) {
		tv, _ := s.Topic(tp, c)
		out = append(out, tv)
	}
	for _, m := range s.Motions(c) {
		mv, _ := s.Motion(m.ID, c)
		out = append(out, mv)
	}
	out = append(out, s.Shifts(ShiftFilter{}, c), s.Conflicts(ShiftFilter{}, c), s.Rejected(), s.LastSeq())
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// usStory is the US record on Gaza ceasefire texts in early 2024, with
// the kinds of event that make folding hard: a back-dated observation
// arriving late, a disagreeing news report, a retraction that arrives
// before its target, a correction, a motion alias, and a duplicate.
func usStory() *builder {
	b := &builder{}
	b.motion("S/2024/173", "2024-02-20")
	b.vote("US", "veto", "2024-02-20", "S/2024/173")
	b.vote("GB", "abstain", "2024-02-20", "S/2024/173")
	b.vote("US", "vote_yes", "2024-03-22", "S/2024/239")
	b.motion("S/RES/2728", "2024-03-25", "S/2024/xx-e10")
	b.vote("US", "abstain", "2024-03-25", "2728")
	b.pos("US", "gaza-ceasefire", "vote_no", "2024-03-25", "S/2024/xx-e10", events.ProducerNews, 0.8) // disagrees, loses to the roll call
	late := b.vote("US", "veto", "2023-12-08", "S/2023/970")                                          // back-dated, arrives late
	b.pos("FR", "gaza-ceasefire", "support", "2024-03-26", "", events.ProducerNews, 0.7)
	wrong := b.pos("CN", "gaza-ceasefire", "abstain", "2024-03-25", "2728", events.ProducerNews, 0.6)
	b.retract(wrong, "misread: China voted yes")
	c := b.pos("CN", "gaza-ceasefire", "vote_yes", "2024-03-25", "2728", events.ProducerAnalyst, 0.9)
	_ = c
	_ = late
	return b
}

func TestFoldUSStory(t *testing.T) {
	s := fold(usStory().recs)
	hs := s.Histories(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), Lens{})
	if len(hs) != 1 {
		t.Fatalf("got %d histories", len(hs))
	}
	h := hs[0]
	var got []string
	for _, e := range h.Entries {
		got = append(got, e.Occurred.String()+" "+e.Stance.String()+" "+string(e.Status))
	}
	want := []string{
		"2023-12-08 veto counted",
		"2024-02-20 veto counted",
		"2024-03-22 vote_yes counted",
		"2024-03-25 abstain counted",
		"2024-03-25 vote_no overruled",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h.Current == nil || h.Current.Stance != events.Abstain || h.Current.Motion.String() != "S/RES/2728" {
		t.Fatalf("current = %+v", h.Current)
	}
	var shifts []string
	for _, sh := range h.Shifts {
		shifts = append(shifts, fmt.Sprintf("%s %s->%s %s", sh.Date, sh.From, sh.To, sh.Direction))
	}
	wantShifts := []string{"2024-03-22 veto->vote_yes toward_for", "2024-03-25 vote_yes->abstain toward_against"}
	if strings.Join(shifts, "\n") != strings.Join(wantShifts, "\n") {
		t.Fatalf("shifts:\n%s\nwant:\n%s", strings.Join(shifts, "\n"), strings.Join(wantShifts, "\n"))
	}
	if len(h.Conflicts) != 1 || h.Conflicts[0].Kind != ConflictDisagreement || h.Conflicts[0].Counted.Evidence.Producer != events.ProducerRollCall {
		t.Fatalf("conflicts = %+v", h.Conflicts)
	}
	if h.Conflicts[0].Motion.String() != "S/RES/2728" {
		t.Fatalf("the news report names the E10 draft by its alias; it should be matched to S/RES/2728, got %s", h.Conflicts[0].Motion)
	}

	mv, ok := s.Motion(events.MustMotionID("S/2024/xx-e10"), Lens{})
	if !ok || mv.ID.String() != "S/RES/2728" {
		t.Fatalf("motion by alias: %v %+v", ok, mv.MotionSummary)
	}
	var roll []string
	for _, r := range mv.RollCall {
		roll = append(roll, r.Actor.String()+"="+r.Stance.String())
	}
	if strings.Join(roll, " ") != "US=abstain CN=vote_yes" {
		t.Fatalf("roll call %v: the retracted Chinese abstention must not count, the correction must", roll)
	}
}

func TestRetractionLeavesViews(t *testing.T) {
	b := &builder{}
	v := b.vote("US", "veto", "2024-02-20", "S/2024/173")
	b.vote("US", "abstain", "2024-03-25", "2728")
	before := fold(b.recs)
	if n := len(before.Shifts(ShiftFilter{}, Lens{})); n != 1 {
		t.Fatalf("shifts before retraction: %d", n)
	}
	b.retract(v, "wrong record")
	s := fold(b.recs)
	if n := len(s.Shifts(ShiftFilter{}, Lens{})); n != 0 {
		t.Fatalf("a retracted veto still makes a shift")
	}
	h := s.Histories(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), Lens{})[0]
	if h.Entries[0].Status != Retracted || h.Entries[0].Retraction == nil || h.Entries[0].Retraction.Reason != "wrong record" {
		t.Fatalf("the history should still show the retracted entry with its reason: %+v", h.Entries[0])
	}
}

func TestOrderIndependence(t *testing.T) {
	recs := usStory().recs
	// A duplicate stored again later (after the dedup window) under a
	// higher sequence.
	dup := recs[1]
	dup.m = Meta{Seq: 1000, Recorded: t0.Add(1000 * time.Minute)}
	recs = append(recs, dup)

	want := fold(recs)
	wantJSON, wantDigest := render(t, want, Lens{}), want.Digest()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		perm := append([]rec(nil), recs...)
		rng.Shuffle(len(perm), func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
		got := fold(perm)
		if d := got.Digest(); d != wantDigest {
			t.Fatalf("permutation %d: digest %s, want %s", i, d, wantDigest)
		}
		if j := render(t, got, Lens{}); j != wantJSON {
			t.Fatalf("permutation %d: views differ:\n%s\nwant:\n%s", i, j, wantJSON)
		}
	}
}

func TestApplyTwiceChangesNothing(t *testing.T) {
	recs := usStory().recs
	s := fold(recs)
	d := s.Digest()
	j := render(t, s, Lens{})
	for _, r := range recs {
		if got := s.Apply(r.ev, r.m); got != Duplicate {
			t.Fatalf("re-applying seq %d: %v, want Duplicate", r.m.Seq, got)
		}
	}
	if s.Digest() != d || render(t, s, Lens{}) != j {
		t.Fatal("applying every event a second time changed the state")
	}
}

func TestLateEventRecomputesShifts(t *testing.T) {
	b := &builder{}
	b.vote("US", "veto", "2024-02-20", "S/2024/173")
	b.vote("US", "abstain", "2024-03-25", "2728")
	b.vote("US", "vote_yes", "2024-03-22", "S/2024/239") // arrives last, lands in the middle
	s := fold(b.recs)
	var got []string
	for _, sh := range s.Shifts(ShiftFilter{Actor: events.MustCountry("US")}, Lens{}) {
		got = append(got, sh.From.String()+"->"+sh.To.String())
	}
	if strings.Join(got, ",") != "veto->vote_yes,vote_yes->abstain" {
		t.Fatalf("shifts %v", got)
	}
}

func TestLensClocks(t *testing.T) {
	b := &builder{}
	b.vote("US", "veto", "2024-02-20", "S/2024/173")
	b.vote("US", "abstain", "2024-03-25", "2728")
	// Recorded at minute 3: an article back-dating a position to 1 March.
	b.pos("US", "gaza-ceasefire", "conditional", "2024-03-01", "", events.ProducerNews, 0.9)
	s := fold(b.recs)
	us, gz := events.MustCountry("US"), events.MustTopic("gaza-ceasefire")
	stanceAt := func(c Lens) string {
		h := s.Histories(us, gz, c)
		if len(h) == 0 || h[0].Current == nil {
			return "none"
		}
		return h[0].Current.Stance.String()
	}
	tests := []struct {
		name string
		c    Lens
		want string
	}{
		{"latest", Lens{}, "abstain"},
		{"as of 10 March", Lens{AsOf: events.MustDate("2024-03-10")}, "conditional"},
		{"as of 10 March, known before the article", Lens{AsOf: events.MustDate("2024-03-10"), KnownAt: t0.Add(2 * time.Minute)}, "veto"},
		{"known before anything", Lens{KnownAt: time.Date(2024, 2, 19, 0, 0, 0, 0, time.UTC)}, "none"},
		// The roll calls were recorded long after the votes (t0 is later
		// than March 2024): an official record counts as known from the day
		// of its vote, so what we knew on 21 February is the veto; the news
		// article counts from when it was recorded only.
		{"known the day after the veto, recorded later", Lens{KnownAt: time.Date(2024, 2, 21, 12, 0, 0, 0, time.UTC)}, "veto"},
		{"known on 26 March, before the article was recorded", Lens{KnownAt: time.Date(2024, 3, 26, 0, 0, 0, 0, time.UTC)}, "abstain"},
		{"as of before the first vote", Lens{AsOf: events.MustDate("2024-01-01")}, "none"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := stanceAt(tc.c); got != tc.want {
				t.Fatalf("stance = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestConflictRule(t *testing.T) {
	tests := []struct {
		name  string
		build func(b *builder)
		want  string
	}{
		{"roll call beats confident news", func(b *builder) {
			b.pos("US", "g", "abstain", "2024-03-25", "2728", events.ProducerNews, 1)
			b.pos("US", "g", "vote_no", "2024-03-25", "2728", events.ProducerRollCall, 0.5)
		}, "vote_no"},
		{"higher confidence wins", func(b *builder) {
			b.pos("US", "g", "abstain", "2024-03-25", "2728", events.ProducerNews, 0.9)
			b.pos("US", "g", "vote_no", "2024-03-25", "2728", events.ProducerAnalyst, 0.6)
		}, "abstain"},
		{"then later recorded", func(b *builder) {
			b.pos("US", "g", "abstain", "2024-03-25", "2728", events.ProducerNews, 0.8)
			b.pos("US", "g", "vote_no", "2024-03-25", "2728", events.ProducerNews, 0.8)
		}, "vote_no"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &builder{}
			tc.build(b)
			s := fold(b.recs)
			cs := s.Conflicts(ShiftFilter{}, Lens{})
			if len(cs) != 1 || cs[0].Counted.Stance.String() != tc.want || len(cs[0].Others) != 1 {
				t.Fatalf("conflicts %+v, want one with %s counted", cs, tc.want)
			}
		})
	}
}

func TestFromMismatchIsAConflict(t *testing.T) {
	b := &builder{}
	b.vote("US", "veto", "2024-02-20", "S/2024/173")
	ev := b.pos("US", "gaza-ceasefire", "abstain", "2024-03-25", "2728", events.ProducerNews, 0.9)
	_ = ev
	p := b.recs[1].ev.Data.(events.Position)
	p.From = events.VoteNo // the article says "moved from voting no"
	b.recs[1].ev.Data = p
	cs := fold(b.recs).Conflicts(ShiftFilter{}, Lens{})
	if len(cs) != 1 || cs[0].Kind != ConflictFrom {
		t.Fatalf("conflicts %+v", cs)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	recs := usStory().recs
	s := fold(recs)
	s.Skip(Meta{Seq: 99, Recorded: t0}, "", "not JSON")
	snap := snapshotBytes(t, s)
	got, err := ReadSnapshot(bytes.NewReader(snap))
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest() != s.Digest() || render(t, got, Lens{}) != render(t, s, Lens{}) {
		t.Fatal("a state read back from its snapshot differs from the original")
	}
	if got.LastSeq() != 99 {
		t.Fatalf("LastSeq = %d, want 99", got.LastSeq())
	}
	for _, bad := range [][]byte{nil, []byte("SWSNAP"), snap[:len(snap)-3], append(append([]byte{}, snap...), 0)} {
		if _, err := ReadSnapshot(bytes.NewReader(bad)); err == nil {
			t.Errorf("ReadSnapshot of %d corrupt bytes: want an error", len(bad))
		}
	}
	// A snapshot that records one observation twice is refused.
	for _, h := range s.positions.slots { // the table holds one a second time, in a free slot
		if h == 0 {
			continue
		}
		i := slices.Index(s.positions.slots, 0)
		s.positions.slots[i] = h
		s.positions.n++
		break
	}
	if _, err := ReadSnapshot(bytes.NewReader(snapshotBytes(t, s))); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a snapshot with an observation twice: %v, want it refused", err)
	}
}

func TestSkipAdvances(t *testing.T) {
	s := New()
	s.Skip(Meta{Seq: 5, Recorded: t0}, "", "bad")
	if s.LastSeq() != 5 || len(s.Rejected()) != 1 {
		t.Fatalf("LastSeq %d, rejected %v", s.LastSeq(), s.Rejected())
	}
}

func TestExcludeOwnTexts(t *testing.T) {
	b := &builder{}
	b.vote("US", "veto", "2024-02-20", "S/2024/173")
	m := b.motion("S/2024/239", "2024-03-22")
	mm := m.Data.(events.Motion)
	mm.Penholders = []events.Country{events.MustCountry("US")}
	b.recs[len(b.recs)-1].ev.Data = mm
	b.vote("US", "vote_yes", "2024-03-22", "S/2024/239")
	b.vote("US", "abstain", "2024-03-25", "2728")
	s := fold(b.recs)
	shifts := func(l Lens) string {
		var out []string
		for _, sh := range s.Shifts(ShiftFilter{}, l) {
			out = append(out, sh.From.String()+"->"+sh.To.String())
		}
		return strings.Join(out, ",")
	}
	if got := shifts(Lens{}); got != "veto->vote_yes,vote_yes->abstain" {
		t.Fatalf("all texts: %s", got)
	}
	if got := shifts(Lens{ExcludeOwn: true}); got != "veto->abstain" {
		t.Fatalf("others' texts only: %s", got)
	}
}

func TestApplyTrackedReportsShiftChanges(t *testing.T) {
	b := &builder{}
	b.vote("US", "veto", "2024-02-20", "S/2024/173")
	b.vote("US", "abstain", "2024-03-25", "2728")
	s := fold(b.recs[:1])
	describe := func(cs []ShiftChange) string {
		var out []string
		for _, c := range cs {
			w := "+"
			if c.Withdrawn {
				w = "-"
			}
			out = append(out, w+c.Shift.From.String()+">"+c.Shift.To.String())
		}
		return strings.Join(out, " ")
	}
	_, cs := s.ApplyTracked(b.recs[1].ev, b.recs[1].m)
	if got := describe(cs); got != "+veto>abstain" {
		t.Fatalf("second vote: %s", got)
	}
	// A back-dated vote lands between the two: the shift is withdrawn and
	// replaced by two.
	late := b.vote("US", "vote_yes", "2024-03-22", "S/2024/239")
	_, cs = s.ApplyTracked(late, b.recs[2].m)
	if got := describe(cs); got != "-veto>abstain +veto>vote_yes +vote_yes>abstain" {
		t.Fatalf("late vote: %s", got)
	}
	alerts := Alerts(cs, late.ID, b.recs[2].m.Seq, "test")
	if len(alerts) != 3 || len(alerts[1].Data.(events.ShiftAlert).Revises) != 1 || alerts[1].Data.(events.ShiftAlert).Revises[0] != alerts[0].ID {
		t.Fatalf("alerts %+v", alerts)
	}
	for _, a := range alerts {
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	// Retracting the late vote restores the first shift.
	r := b.retract(late, "wrong")
	_, cs = s.ApplyTracked(r, b.recs[3].m)
	if got := describe(cs); got != "-veto>vote_yes -vote_yes>abstain +veto>abstain" {
		t.Fatalf("retraction: %s", got)
	}
	// Applying again changes nothing.
	if _, cs = s.ApplyTracked(r, b.recs[3].m); len(cs) != 0 {
		t.Fatalf("duplicate: %v", cs)
	}
}

// TestReadOlderSnapshotFormats reads a snapshot written by the version
// before this one, as the checkpoint of a deployment just upgraded would
// be: format 6 (its records one block, without a length; the file is
// format 5's state, written again by the version that wrote format 6).
func TestReadOlderSnapshotFormats(t *testing.T) {
	readOlderSnapshot(t, "testdata/snapshot-format6.bin")
}

// TestOlderSnapshotFormatsAreRefused: formats 1 to 5 are older than the
// one before the current one; they are refused with ErrSnapshotFormat
// (their reader folds the stream instead), never misread.
func TestOlderSnapshotFormatsAreRefused(t *testing.T) {
	for _, name := range []string{"snapshot-format1.bin", "snapshot-format2.bin", "snapshot-format3.bin", "snapshot-format4.bin", "snapshot-format5.bin"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ReadSnapshot(bytes.NewReader(b))
			if !errors.Is(err, ErrSnapshotFormat) || !errors.Is(err, ErrSnapshot) {
				t.Fatalf("ReadSnapshot(%s) = %v, want ErrSnapshotFormat", name, err)
			}
		})
	}
}

func readOlderSnapshot(t *testing.T, file string) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadSnapshot(f)
	if err != nil {
		t.Fatal(err)
	}
	h := s.Histories(events.MustCountry("US"), events.MustTopic("gaza-ceasefire"), Lens{})
	if len(h) != 1 || len(h[0].Entries) != 3 || s.LastSeq() != 4 {
		t.Fatalf("history %+v", h)
	}
	e := h[0].Entries
	if e[0].Evidence.URL != "https://www.middleeastmonitor.com/20240221-us-veto/" || e[1].Evidence.Citation != "UN veto list (secondary source)" || e[1].Evidence.URL != "" {
		t.Fatalf("evidence not split into url and citation: %+v %+v", e[0].Evidence, e[1].Evidence)
	}
	m, ok := s.Motion(events.MustMotionID("2728"), Lens{})
	if !ok || len(m.Sources) != 2 || m.Sources[1].Citation != "Wikipedia mirror" {
		t.Fatalf("motion %+v", m.MotionSummary)
	}
	// Written again, it is in the current format and reads back the same.
	again, err := ReadSnapshot(bytes.NewReader(snapshotBytes(t, s)))
	if err != nil || again.Digest() != s.Digest() {
		t.Fatalf("rewritten snapshot: %v", err)
	}
}

// TestBlocDefinitionsSurviveASnapshot: a bloc definition is a fact of
// the stream; the checkpoint keeps it, and a copy of its id with other
// members is refused.
func TestBlocDefinitionsSurviveASnapshot(t *testing.T) {
	s := New()
	def := events.BlocDefinition{ID: "quad", Name: "Quad", Members: []events.BlocMember{{Actor: events.MustCountry("US")}, {Actor: events.MustCountry("IN")}}}
	ev := events.Event{ID: events.BlocEventID("quad"), Source: "test", SchemaVersion: events.CurrentSchemaVersion, Data: def}
	if out := s.Apply(ev, Meta{Seq: 1, Recorded: time.Unix(1, 0)}); out != Applied {
		t.Fatalf("Apply = %v", out)
	}
	other := ev
	other.Data = events.BlocDefinition{ID: "quad", Members: []events.BlocMember{{Actor: events.MustCountry("JP")}}}
	if out := s.Apply(other, Meta{Seq: 2, Recorded: time.Unix(2, 0)}); out != Refused {
		t.Fatalf("another definition under the same id: %v, want Refused", out)
	}
	again := reread(t, s)
	if got := again.Blocs(); len(got) != 1 || got[0].ID != "quad" || len(got[0].Members) != 2 || again.Digest() != s.Digest() {
		t.Fatalf("blocs after a snapshot: %+v", got)
	}
}

// TestApplyTrackedFindsEveryChangedSeries: ApplyTracked looks only at the
// series an event can change (a motion: those with observations on its
// ids and aliases); it reports exactly what comparing every series before
// and after reports, event by event, through motions that merge and
// split observations of the same vote.
func TestApplyTrackedFindsEveryChangedSeries(t *testing.T) {
	b := &builder{}
	b.pos("US", "gaza-ceasefire", "support", "2024-03-25", "S/2024/239", events.ProducerNews, 0.9)
	b.pos("GB", "gaza-ceasefire", "oppose", "2024-03-25", "S/2024/239", events.ProducerNews, 0.9)
	b.pos("FR", "gaza-ceasefire", "support", "2024-03-01", "", events.ProducerNews, 0.9)
	b.vote("US", "veto", "2024-02-20", "S/2024/173")
	b.vote("US", "abstain", "2024-03-25", "S/RES/2728")
	b.vote("GB", "abstain", "2024-03-25", "S/RES/2728")
	b.vote("FR", "vote_yes", "2024-03-25", "S/RES/2728")
	merge := b.motion("S/RES/2728", "2024-03-25", "S/2024/239") // the news' draft is the same vote
	b.retract(merge, "wrong alias")                             // splits them again
	b.motion("S/RES/2728", "2024-03-25", "S/2024/239")
	b.motion("S/2024/173", "2024-02-20") // no alias: changes no shift

	exhaustive := func(s *State, r rec) []string {
		keys := make([]seriesKey, 0, len(s.series))
		for k := range s.series {
			keys = append(keys, k)
		}
		before := s.shiftSets(keys)
		s.Apply(r.ev, r.m)
		after := s.shiftSets(keys)
		var out []string
		for k, set := range before {
			for id := range set.pairs {
				if _, ok := after[k].pairs[id]; !ok {
					out = append(out, "-"+events.ShiftID(k.actor, k.topic, id.from, id.to).String())
				}
			}
		}
		for k, set := range after {
			for id := range set.pairs {
				if _, ok := before[k].pairs[id]; !ok {
					out = append(out, "+"+events.ShiftID(k.actor, k.topic, id.from, id.to).String())
				}
			}
		}
		slices.Sort(out)
		return out
	}
	tracked, all := New(), New()
	changedByMotions := 0
	for i, r := range b.recs {
		_, cs := tracked.ApplyTracked(r.ev, r.m)
		var got []string
		for _, c := range cs {
			sign := "+"
			if c.Withdrawn {
				sign = "-"
			}
			got = append(got, sign+c.ID.String())
		}
		slices.Sort(got)
		want := exhaustive(all, r)
		if !slices.Equal(got, want) {
			t.Fatalf("event %d (%s): tracked %v, every series %v", i+1, r.ev.Data.Type(), got, want)
		}
		if _, ok := r.ev.Data.(events.Motion); ok {
			changedByMotions += len(got)
		}
		if _, ok := r.ev.Data.(events.Retraction); ok && len(got) == 0 {
			t.Fatalf("retracting the merging motion changed no shift")
		}
	}
	if changedByMotions == 0 {
		t.Fatal("no motion changed a shift: the test shows nothing")
	}
	if tracked.Digest() != all.Digest() {
		t.Fatal("the two states differ")
	}
}

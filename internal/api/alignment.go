package api

import (
	"encoding/csv"
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/projections"
	"github.com/stancewatch/stancewatch/projections/alignment"
)

// blocSet holds the blocs alignment answers compare with: the shipped
// ones, those of the configuration, and those posted, which are events
// of the stream (org.stancewatch.bloc) folded by the projection, so they
// survive restarts and reach every replica. A bloc id, once defined,
// keeps its members (its event id is derived from the bloc id: a second
// definition with other members is a conflict), so cached answers that
// name a bloc never go stale.
type blocSet struct {
	config []alignment.Bloc
	base   *alignment.Blocs // shipped and configured

	mu     sync.Mutex
	posted int              // definitions folded into cur
	cur    *alignment.Blocs // base and the posted blocs
}

func newBlocSet(config []alignment.Bloc) *blocSet {
	base := alignment.NewBlocs(config...)
	return &blocSet{config: config, base: base, cur: base}
}

// of returns the blocs as the state st holds them (a definition is never
// removed, so the count of definitions says whether cur is current).
func (b *blocSet) of(st *projections.State) *alignment.Blocs {
	defs := st.Blocs()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(defs) == b.posted {
		return b.cur
	}
	user := slices.Clone(b.config)
	for _, d := range defs {
		if _, taken := b.base.Get(d.ID); !taken {
			user = append(user, alignment.FromDefinition(d))
		}
	}
	b.cur, b.posted = alignment.NewBlocs(user...), len(defs)
	return b.cur
}

// alignQuery is an alignment read's own parameters, beside those of
// every read (actor, topic, the clocks).
type alignQuery struct {
	with     []alignment.Reference
	measure  alignment.Measure
	period   alignment.Period
	from, to events.Date
	limit    int
	format   string
}

// parseAlign reads with, measure, period (a kind: year or session, when
// periodKind), from, to, limit and format,
// listing every wrong one.
func (s *Server) parseAlign(q query, st *projections.State, needWith, periodKind bool) (alignQuery, error) {
	var ps params
	qv := q.r.URL.Query()
	var a alignQuery
	blocs := s.blocs.of(st)
	for v := range strings.SplitSeq(qv.Get("with"), ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		ref, err := blocs.Reference(v)
		ps.addErr("with", err)
		if err == nil {
			a.with = append(a.with, ref)
		}
	}
	if needWith && len(a.with) == 0 && qv.Get("with") == "" {
		ps.bad("with", "missing: an actor (US) or a bloc (eu, bloc:g77) to compare with")
	}
	var err error
	a.measure, err = alignment.ParseMeasure(qv.Get("measure"))
	ps.addErr("measure", err)
	if periodKind {
		a.period, err = alignment.ParsePeriod(qv.Get("period"))
		ps.addErr("period", err)
	}
	for _, d := range []struct {
		name string
		to   *events.Date
	}{{"from", &a.from}, {"to", &a.to}} {
		if v := qv.Get(d.name); v != "" {
			day, err := parseDayOrYear(v, d.name == "to")
			ps.addErr(d.name, err)
			*d.to = day
		}
	}
	if v := qv.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			ps.bad("limit", "%q is not a count", v)
		}
		a.limit = n
	}
	switch a.format = qv.Get("format"); a.format {
	case "", "json", "csv":
	default:
		ps.bad("format", "%q: want json or csv", a.format)
	}
	return a, ps.err()
}

// parseDayOrYear reads a day (2019-06-01) or a year (2019: its first day,
// or its last when end).
func parseDayOrYear(v string, end bool) (events.Date, error) {
	if len(v) == 4 {
		if _, err := strconv.Atoi(v); err == nil {
			if end {
				return events.ParseDate(v + "-12-31")
			}
			return events.ParseDate(v + "-01-01")
		}
	}
	return events.ParseDate(v)
}

// alignmentSeries answers GET /v1/alignment: the measure between an actor
// and each reference, per year or session.
func (s *Server) alignmentSeries(q query, st *projections.State) (string, any, error) {
	a, err := s.parseAlign(q, st, true, true)
	if err != nil {
		return "", nil, err
	}
	if q.actor.IsZero() {
		return "", nil, invalidParams([]events.FieldError{{Field: "actor", Message: "missing: the actor to measure (IN)"}})
	}
	t := st.VoteTable(projections.VoteFilter{Topic: q.topic, From: a.from, To: a.to}, q.lens)
	type seriesOut struct {
		pairHead
		Period  alignment.Period  `json:"period"`
		Formula string            `json:"formula"`
		Overall alignment.Figure  `json:"overall"`
		Points  []alignment.Point `json:"points"`
		TieRule string            `json:"tie_rule,omitempty"`
	}
	out := []seriesOut{}
	for _, ref := range a.with {
		so := seriesOut{pairHead: headOf(q, ref, a.measure), Period: a.period,
			Formula: alignment.Formula(a.measure), Overall: alignment.Compare(t, q.actor, ref, a.measure),
			Points: alignment.Series(t, q.actor, ref, a.measure, a.period)}
		if ref.Bloc != nil {
			so.TieRule = alignment.TieRule
		}
		out = append(out, so)
	}
	return "alignment", out, nil
}

// pairHead begins every answer about an actor against one reference: who,
// against whom (a bloc with its definition), on what, by which measure.
type pairHead struct {
	Actor   events.Country    `json:"actor"`
	With    string            `json:"with"`
	Bloc    *alignment.Bloc   `json:"bloc,omitempty"`
	Topic   string            `json:"topic"`
	Measure alignment.Measure `json:"measure"`
}

func headOf(q query, ref alignment.Reference, m alignment.Measure) pairHead {
	return pairHead{Actor: q.actor, With: ref.String(), Bloc: ref.Bloc, Topic: topicName(q.topic), Measure: m}
}

func topicName(t events.Topic) string {
	if t.IsZero() {
		return "all"
	}
	return t.String()
}

// alignmentMatrix answers GET /v1/alignment/matrix: JSON through read, or
// CSV (format=csv, or Accept: text/csv) in the long form of
// MatrixColumns.
func (s *Server) alignmentMatrix(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("format") != "csv" && !strings.Contains(r.Header.Get("Accept"), "text/csv") {
		s.read(s.alignmentMatrixJSON)(w, r)
		return
	}
	q, _, _, ok := s.exportQuery(w, r, nil, nil)
	if !ok {
		return
	}
	var m matrixOut
	var seq uint64
	var err error
	s.proj.Read(func(st *projections.State) {
		seq = st.LastSeq()
		_, m, err = s.matrixOf(q, st)
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	csvHeader(w, "alignment-matrix.csv", seq, q.lens)
	cw := csv.NewWriter(w)
	_ = cw.Write(MatrixColumns)
	for i, a := range m.Actors {
		for j, b := range m.Actors {
			v := ""
			if x := m.Values[i][j]; x != nil {
				v = strconv.FormatFloat(*x, 'f', -1, 64)
			}
			_ = cw.Write([]string{a.String(), b.String(), m.Period, m.Topic, string(m.Measure), v, strconv.Itoa(m.N[i][j])})
		}
	}
	cw.Flush()
}

// MatrixColumns are the columns of the matrix's CSV, in order: those of
// alignment.csv, one row a pair of actors (both ways round, and each
// actor with itself), rows in the matrix's order (the actors in the
// order of the first column, each with every actor in that order). value
// is empty, and n 0, for a pair without a shared roll call.
var MatrixColumns = []string{"actor", "reference", "period", "topic", "measure", "value", "n"}

// matrixOut is the matrix answer: the period and topic it covers, with
// the matrix.
type matrixOut struct {
	Period string `json:"period"`
	Topic  string `json:"topic"`
	alignment.Matrix
}

func (s *Server) alignmentMatrixJSON(q query, st *projections.State) (string, any, error) {
	return s.matrixOf(q, st)
}

// matrixOf reads period (a year, or a session: session:74; or from and
// to) and computes the matrix.
func (s *Server) matrixOf(q query, st *projections.State) (string, matrixOut, error) {
	a, label, t, err := s.periodTable(q, st)
	if err != nil {
		return "", matrixOut{}, err
	}
	return "matrix", matrixOut{Period: label, Topic: topicName(q.topic), Matrix: alignment.PairMatrix(t, a.measure)}, nil
}

// periodTable reads the alignment parameters and period (a year, a
// session: session:74, or from and to instead) and returns the vote table
// of that period, under the query's topic and lens, with the period's
// label.
func (s *Server) periodTable(q query, st *projections.State) (alignQuery, string, projections.VoteTable, error) {
	a, err := s.parseAlign(q, st, false, false)
	if err != nil {
		return a, "", projections.VoteTable{}, err
	}
	per := q.r.URL.Query().Get("period")
	f := projections.VoteFilter{Topic: q.topic, From: a.from, To: a.to}
	session := ""
	switch {
	case len(per) == 4 && strings.Trim(per, "0123456789") == "":
		f.From, _ = events.ParseDate(per + "-01-01")
		f.To, _ = events.ParseDate(per + "-12-31")
	case strings.HasPrefix(per, "session:"):
		session = strings.TrimPrefix(per, "session:")
	case per == "" && !a.from.IsZero():
	default:
		return a, "", projections.VoteTable{}, invalidParams([]events.FieldError{{Field: "period",
			Message: "want a year (2019), a session (session:74), or from and to instead"}})
	}
	t := st.VoteTable(f, q.lens)
	if session != "" {
		t.RollCalls = slices.DeleteFunc(t.RollCalls, func(rc *projections.RollCallVotes) bool { return rc.Session != session })
	}
	label := per
	if label == "" {
		label = a.from.String() + "/" + a.to.String()
	}
	return a, label, t, nil
}

// scaleOut is the scale answer: the period and topic it covers, with the
// positions.
type scaleOut struct {
	Period string `json:"period"`
	Topic  string `json:"topic"`
	alignment.Scaling
}

// alignmentScale answers GET /v1/alignment/scale: each actor's position
// on one dimension for a period (alignment.Scale), as JSON through read,
// or CSV (format=csv, or Accept: text/csv).
func (s *Server) alignmentScale(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("format") != "csv" && !strings.Contains(r.Header.Get("Accept"), "text/csv") {
		s.read(func(q query, st *projections.State) (string, any, error) { return s.scaleOf(q, st) })(w, r)
		return
	}
	q, _, _, ok := s.exportQuery(w, r, nil, nil)
	if !ok {
		return
	}
	var out scaleOut
	var seq uint64
	var err error
	s.proj.Read(func(st *projections.State) {
		seq = st.LastSeq()
		_, out, err = s.scaleOf(q, st)
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	csvHeader(w, "alignment-scale.csv", seq, q.lens)
	cw := csv.NewWriter(w)
	_ = cw.Write(ScaleColumns)
	for _, p := range out.Positions {
		_ = cw.Write([]string{p.Actor.String(), strconv.FormatFloat(p.Position, 'f', -1, 64), strconv.Itoa(p.N), out.Period, out.Topic, string(out.Measure)})
	}
	cw.Flush()
}

// ScaleColumns are the columns of the scale's CSV, in order.
var ScaleColumns = []string{"actor", "position", "n", "period", "topic", "measure"}

// scaleOf reads period as matrixOf does, and min (the roll calls an
// actor needs to be placed; default alignment.DefaultMinRollCalls).
func (s *Server) scaleOf(q query, st *projections.State) (string, scaleOut, error) {
	var ps params
	minN := 0
	if v := q.r.URL.Query().Get("min"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			ps.bad("min", "%q is not a count of roll calls (1 or more)", v)
		}
		minN = n
	}
	a, label, t, err := s.periodTable(q, st)
	var ve *events.ValidationError
	if errors.As(err, &ve) {
		ps.fields = append(ps.fields, ve.Fields...)
	} else if err != nil {
		return "", scaleOut{}, err
	}
	if err := ps.err(); err != nil {
		return "", scaleOut{}, err
	}
	return "scale", scaleOut{Period: label, Topic: topicName(q.topic), Scaling: alignment.Scale(t, a.measure, minN)}, nil
}

// alignmentDivergent answers GET /v1/alignment/divergent.
func (s *Server) alignmentDivergent(q query, st *projections.State) (string, any, error) {
	a, err := s.parseAlign(q, st, true, true)
	if err != nil {
		return "", nil, err
	}
	if q.actor.IsZero() {
		return "", nil, invalidParams([]events.FieldError{{Field: "actor", Message: "missing: the actor to measure (IN)"}})
	}
	if a.limit == 0 {
		a.limit = 50
	}
	t := st.VoteTable(projections.VoteFilter{Topic: q.topic, From: a.from, To: a.to}, q.lens)
	ref := a.with[0]
	return "divergent", map[string]any{
		"actor": q.actor, "with": ref.String(), "topic": topicName(q.topic), "measure": a.measure,
		"order":      "most contested first: margin |yes−no|/(yes+no+abstain) ascending, then yes-against-no before an abstention, then latest first",
		"roll_calls": alignment.Divergent(t, q.actor, ref, a.measure, a.limit),
	}, nil
}

// Paging of the roll calls behind a figure: a pair's over 70 years run
// to thousands.
const (
	defaultRollCallsLimit = 100
	maxRollCallsLimit     = 1000
)

// rollCallsOut is the answer of GET /v1/alignment/rollcalls.
type rollCallsOut struct {
	pairHead
	From    events.Date `json:"from,omitzero"`
	To      events.Date `json:"to,omitzero"`
	Formula string      `json:"formula"`
	// Figure is the measure over every roll call listed, all pages: n of
	// them, Apart of which the two parted on.
	Figure    alignment.Figure `json:"figure"`
	Apart     int              `json:"apart"`
	Order     string           `json:"order"`
	Page      rollCallsPage    `json:"page"`
	RollCalls []sharedRollCall `json:"roll_calls"`
	TieRule   string           `json:"tie_rule,omitempty"`
}

type rollCallsPage struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	Total  int `json:"total"`
	// Next is the offset of the next page (pass it as offset=), absent
	// on the last page.
	Next int `json:"next,omitempty"`
}

// sharedRollCall is a roll call behind a figure: both votes and the score
// (alignment.Divergence), whether the two agreed, what the motion's
// record says of it, and each side's counted position with its evidence.
type sharedRollCall struct {
	alignment.Divergence
	Agreed        bool          `json:"agreed"`
	Title         string        `json:"title,omitempty"`
	MotionHref    string        `json:"motion_href"`
	ActorPosition *positionLink `json:"actor_position,omitempty"`
	WithPosition  *positionLink `json:"with_position,omitempty"`
}

// positionLink is the counted position behind a vote: its event (href
// reads it, GET /v1/events/{id}) and its evidence.
type positionLink struct {
	ID       uuid.UUID                `json:"id"`
	Href     string                   `json:"href"`
	Stance   events.Stance            `json:"stance"`
	Topic    events.Topic             `json:"topic"`
	Evidence projections.EvidenceView `json:"evidence"`
}

// alignmentRollCalls answers GET /v1/alignment/rollcalls: every roll call
// behind the figure of an actor against one reference (alignment.Shared),
// those on which the two parted first, a page at a time (offset, limit),
// each with both votes, its score, the motion's record and the evidence
// of each side's counted position (for a bloc, its members' are on the
// motion's record, GET /v1/motions/{id}).
func (s *Server) alignmentRollCalls(q query, st *projections.State) (string, any, error) {
	var ps params
	a, err := s.parseAlign(q, st, true, false)
	var ve *events.ValidationError
	if errors.As(err, &ve) {
		ps.fields = append(ps.fields, ve.Fields...)
	} else if err != nil {
		return "", nil, err
	}
	if q.actor.IsZero() {
		ps.bad("actor", "missing: the actor to measure (IN)")
	}
	if len(a.with) > 1 {
		ps.bad("with", "%d references: want one actor or bloc, the figure's", len(a.with))
	}
	if a.limit > maxRollCallsLimit {
		ps.bad("limit", "%d: at most %d a page", a.limit, maxRollCallsLimit)
	}
	offset := 0
	if v := q.r.URL.Query().Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			ps.bad("offset", "%q is not a count of roll calls", v)
		}
		offset = n
	}
	if err := ps.err(); err != nil {
		return "", nil, err
	}
	if a.limit == 0 {
		a.limit = defaultRollCallsLimit
	}
	ref := a.with[0]
	t := st.VoteTable(projections.VoteFilter{Topic: q.topic, From: a.from, To: a.to}, q.lens)
	all := alignment.Shared(t, q.actor, ref, a.measure)
	out := rollCallsOut{pairHead: headOf(q, ref, a.measure), From: a.from, To: a.to,
		Formula: alignment.Formula(a.measure), Figure: alignment.Figure{Value: math.NaN()},
		Order: "the roll calls on which the two parted first, then those on which they agreed; each part most contested first " +
			"(margin |yes−no|/(yes+no+abstain) ascending), then yes-against-no before an abstention, then latest first",
		Page: rollCallsPage{Offset: offset, Limit: a.limit, Total: len(all)}, RollCalls: []sharedRollCall{}}
	if ref.Bloc != nil {
		out.TieRule = alignment.TieRule
	}
	sum := 0.0
	for _, d := range all {
		sum += d.Score
		if d.Score < 1 {
			out.Apart++
		}
	}
	if len(all) > 0 {
		out.Figure = alignment.Figure{Value: sum / float64(len(all)), N: len(all)}
	}
	page := all[min(offset, len(all)):min(offset+a.limit, len(all))]
	if end := offset + len(page); end < len(all) {
		out.Page.Next = end
	}
	if len(page) == 0 {
		return "rollcalls", out, nil
	}
	// Each side's counted positions over the page's days.
	first, last := page[0].Date, page[0].Date
	for _, d := range page {
		if d.Date.Before(first) {
			first = d.Date
		}
		if last.Before(d.Date) {
			last = d.Date
		}
	}
	positions := func(actor events.Country) map[string]*positionLink {
		m := map[string]*positionLink{}
		for _, p := range st.Positions(projections.PositionFilter{Actor: actor, Topic: q.topic, From: first, To: last}, q.lens) {
			v := projections.VoteOf(p.Stance)
			k := p.Motion.String() + " " + p.Occurred.Day().String() + " " + v.String()
			if _, had := m[k]; !had && v != projections.NotVoting {
				m[k] = &positionLink{ID: p.ID, Href: "/v1/events/" + p.ID.String(), Stance: p.Stance, Topic: p.Topic, Evidence: p.Evidence}
			}
		}
		return m
	}
	mine, theirs := positions(q.actor), map[string]*positionLink{}
	if ref.Bloc == nil {
		theirs = positions(ref.Actor)
	}
	for _, d := range page {
		sr := sharedRollCall{Divergence: d, Agreed: d.Score == 1, MotionHref: "/v1/motions/" + d.Motion.String()}
		if m, ok := st.DescribeMotion(d.Motion, q.lens); ok {
			sr.Title = m.Title
		}
		k := d.Motion.String() + " " + d.Date.String() + " "
		sr.ActorPosition, sr.WithPosition = mine[k+d.Actor], theirs[k+d.With]
		out.RollCalls = append(out.RollCalls, sr)
	}
	return "rollcalls", out, nil
}

// alignmentBlocs answers GET /v1/alignment/blocs: every bloc, with its
// members on ?on= (a day; default: every membership, dated).
func (s *Server) alignmentBlocs(q query, st *projections.State) (string, any, error) {
	return "blocs", s.blocs.of(st).List(), nil
}

// alignmentBloc answers GET /v1/alignment/blocs/{id}.
func (s *Server) alignmentBloc(q query, st *projections.State) (string, any, error) {
	b, ok := s.blocs.of(st).Get(q.r.PathValue("id"))
	if !ok {
		return "", nil, notFound("no bloc %q (GET /v1/alignment/blocs lists them)", q.r.PathValue("id"))
	}
	return "bloc", b, nil
}

// postBloc defines blocs (POST /v1/alignment/blocs): each is stored as
// an event (all of them in one atomic batch, or none), and the answer
// comes once the projection holds them, so the next read can name them.
// An id the shipped or configured blocs hold, or one defined already with
// other members, is a conflict; the same definition again is answered
// like the first.
func (s *Server) postBloc(w http.ResponseWriter, r *http.Request) {
	b, err := s.body(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	bl, err := alignment.ParseBlocs(b)
	if err != nil {
		s.writeError(w, r, badRequest("%v", err))
		return
	}
	evs := make([]events.Event, len(bl))
	for i, x := range bl {
		if have, ok := s.blocs.base.Get(x.ID); ok && !have.User {
			s.writeError(w, r, errorf(eventlog.ErrConflict, "bloc %q is a shipped bloc: choose another id", x.ID))
			return
		}
		if have, ok := s.blocs.base.Get(x.ID); ok && !slices.Equal(have.Members, x.Members) {
			s.writeError(w, r, errorf(eventlog.ErrConflict, "bloc %q is defined by the server's configuration with other members: choose another id", x.ID))
			return
		}
		evs[i] = events.Event{ID: events.BlocEventID(x.ID), Source: "stancewatch/api", Time: time.Now().UTC(),
			SchemaVersion: events.CurrentSchemaVersion, Data: x.Definition()}
	}
	acks, err := s.store.AppendBatch(r.Context(), evs, eventlog.AllOrNothing())
	var conflict *eventlog.IDConflictError
	if errors.As(err, &conflict) {
		s.writeError(w, r, errorf(eventlog.ErrConflict, "a bloc of this id is defined already with other members (%s): choose another id", strings.Join(conflict.Differs, "; ")))
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	last := uint64(0)
	for _, a := range acks {
		last = max(last, a.Seq)
	}
	if err := s.proj.WaitFor(r.Context(), last); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"blocs": bl, "seq": last})
}

// AlignmentColumns are the columns of alignment.csv, in order.
var AlignmentColumns = []string{"actor", "reference", "period", "topic", "measure", "value", "n"}

// exportAlignment writes alignment.csv: tidy rows of every actor (or
// ?actor=) against every reference of ?with= (default the P5 members), per
// year (or ?period=session), over ?topic= (default every roll call once),
// for ?measure= (default both).
func (s *Server) exportAlignment(w http.ResponseWriter, r *http.Request) {
	q, _, _, ok := s.exportQuery(w, r, nil, nil)
	if !ok {
		return
	}
	var a alignQuery
	var err error
	s.proj.Read(func(st *projections.State) { a, err = s.parseAlign(q, st, false, true) })
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(a.with) == 0 {
		for _, c := range []string{"US", "GB", "FR", "RU", "CN"} {
			a.with = append(a.with, alignment.Reference{Actor: events.MustCountry(c)})
		}
	}
	measures := alignment.Measures
	if r.URL.Query().Get("measure") != "" {
		measures = []alignment.Measure{a.measure}
	}
	var seq uint64
	var t projections.VoteTable
	s.proj.Read(func(st *projections.State) {
		seq = st.LastSeq()
		t = st.VoteTable(projections.VoteFilter{Topic: q.topic, From: a.from, To: a.to}, q.lens)
	})
	actors := slices.Clone(t.Actors)
	if !q.actor.IsZero() {
		actors = []events.Country{q.actor}
	}
	slices.SortFunc(actors, func(x, y events.Country) int { return strings.Compare(x.String(), y.String()) })
	csvHeader(w, "alignment.csv", seq, q.lens)
	cw := csv.NewWriter(w)
	_ = cw.Write(AlignmentColumns)
	for _, actor := range actors {
		for _, ref := range a.with {
			if ref.Bloc == nil && ref.Actor == actor {
				continue
			}
			for _, m := range measures {
				for _, p := range alignment.Series(t, actor, ref, m, a.period) {
					_ = cw.Write([]string{actor.String(), ref.String(), p.Period, topicName(q.topic), string(m),
						strconv.FormatFloat(p.Value, 'f', -1, 64), strconv.Itoa(p.N)})
				}
			}
		}
	}
	cw.Flush()
}

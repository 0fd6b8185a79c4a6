package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// query is a read request's parsed parameters: every one a read may
// take, parsed at once, so that a request with several wrong ones hears
// about each.
type query struct {
	r      *http.Request
	lens   projections.Lens
	actor  events.Country // ?actor=, zero when not given
	topic  events.Topic   // ?topic=, zero when not given
	since  events.Date    // ?since=, zero when not given
	minSeq uint64         // ?min_seq=, 0 when not given
	wait   time.Duration  // ?wait=, how long to wait for min_seq
}

// parseQuery reads the parameters every read shares: the clocks
// (as_of, known_at, exclude_own), the filters (actor, topic, since) and
// the wait for a sequence (min_seq, wait). The error lists every wrong
// parameter.
func (s *Server) parseQuery(r *http.Request) (query, error) {
	q := query{r: r, wait: s.cfg.MaxWait}
	var ps params
	q.lens = parseLens(r, &ps)
	qv := r.URL.Query()
	if v := qv.Get("actor"); v != "" {
		c, err := events.ParseCountry(v)
		ps.addErr("actor", err)
		q.actor = c
	}
	if v := qv.Get("topic"); v != "" {
		t, err := events.ParseTopic(v)
		ps.addErr("topic", err)
		q.topic = t
	}
	if v := qv.Get("since"); v != "" {
		d, err := events.ParseDate(v)
		ps.addErr("since", err)
		q.since = d
	}
	if v := qv.Get("min_seq"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			ps.bad("min_seq", "%q is not a sequence number", v)
		}
		q.minSeq = n
	}
	if v := qv.Get("wait"); v != "" {
		d, err := parseWait(v)
		if err != nil {
			ps.bad("wait", "%q is not a duration: want seconds (2, 0.5) or a Go duration (500ms, 2s), at most %s", v, s.cfg.MaxWait)
		}
		q.wait = min(d, s.cfg.MaxWait)
	}
	return q, ps.err()
}

// parseWait reads a duration given as seconds ("2", "0.5") or in Go's
// notation ("500ms", "2s").
func parseWait(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f < 0 || f > 1e6 {
			return 0, fmt.Errorf("out of range")
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err == nil && d < 0 {
		err = fmt.Errorf("negative")
	}
	return d, err
}

// clocksView says which clocks an answer used.
type clocksView struct {
	AsOf    *string `json:"as_of"`    // positions taken on or before this day
	KnownAt *string `json:"known_at"` // events recorded by this instant
}

// answer is the envelope of every read: the stream sequence the answer
// reflects, the clocks it used, and the payload under its own name, in
// that order.
type answer struct {
	seq     uint64
	lens    projections.Lens
	name    string
	payload any
}

// MarshalJSON writes {"seq": N, "clocks": {...}, "<name>": payload}, with
// "exclude_own": true between them when that lens was asked for.
func (a answer) MarshalJSON() ([]byte, error) {
	cv := clocksView{}
	if !a.lens.AsOf.IsZero() {
		s := a.lens.AsOf.String()
		cv.AsOf = &s
	}
	if !a.lens.KnownAt.IsZero() {
		s := a.lens.KnownAt.UTC().Format(time.RFC3339Nano)
		cv.KnownAt = &s
	}
	c, err := json.Marshal(cv)
	if err != nil {
		return nil, err
	}
	p, err := json.Marshal(a.payload)
	if err != nil {
		return nil, err
	}
	n, _ := json.Marshal(a.name)
	own := ""
	if a.lens.ExcludeOwn {
		own = `"exclude_own":true,`
	}
	return fmt.Appendf(nil, `{"seq":%d,"clocks":%s,%s%s:%s}`, a.seq, c, own, n, p), nil
}

// read wraps a read handler: it parses the parameters, waits for
// min_seq, and runs the handler under the projection's read lock.
func (s *Server) read(h func(q query, st *projections.State) (string, any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := s.parseQuery(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := s.waitFor(r.Context(), q.minSeq, q.wait); err != nil {
			s.writeError(w, r, err)
			return
		}
		key := keyOf(r)
		if c, ok := s.answers.get(key, s.proj.LastSeq()); ok {
			s.answers.writeAnswer(w, r, key, c)
			return
		}
		var name string
		var payload any
		var seq uint64
		s.proj.Read(func(st *projections.State) {
			seq = st.LastSeq()
			name, payload, err = h(q, st)
		})
		// Encoded after the read lock is let go: the views a handler
		// returns are values of their own (the fold replaces what it
		// changes, never edits what it handed out), so a large answer
		// does not hold up the fold while it is written. MarshalJSON is
		// called directly: json.Marshal would compact its output again.
		var body []byte
		if err == nil {
			body, err = answer{seq, q.lens, name, payload}.MarshalJSON()
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		body = append(body, '\n')
		s.answers.put(key, seq, body)
		s.answers.writeAnswer(w, r, key, cached{seq: seq, body: body})
	}
}

// waitFor waits, at most wait, until the projection has folded sequence
// min. A sequence more than MinSeqAhead beyond the end of the stream
// cannot come soon: that is answered at once (errSeqAhead), saying where
// the stream is, rather than after the whole wait.
func (s *Server) waitFor(ctx context.Context, min uint64, wait time.Duration) error {
	have := s.proj.LastSeq()
	if min == 0 || have >= min {
		return nil
	}
	// The stream's end is at least what the projection has folded, so a
	// min_seq within MinSeqAhead of that is within it of the stream's
	// end too: the store is asked (a round trip to the server) only for
	// a sequence that may be too far ahead, or to word a timeout.
	if min-have > s.cfg.MinSeqAhead {
		last, err := s.store.LastSeq(ctx)
		if err != nil {
			return err
		}
		if min > last && min-last > s.cfg.MinSeqAhead {
			return withExtensions(errorf(errSeqAhead, "min_seq %d is %d beyond the end of the stream (sequence %d) and cannot come soon: "+
				"the server waits only for a sequence at most %d beyond it; pass a sequence an append answered with", min, min-last, last, s.cfg.MinSeqAhead),
				map[string]any{"min_seq": min, "seq": have, "stream_seq": last})
		}
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	err := s.proj.WaitFor(wctx, min)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		now := s.proj.LastSeq()
		ext := map[string]any{"min_seq": min, "seq": now}
		at := ""
		if last, lerr := s.store.LastSeq(ctx); lerr == nil {
			ext["stream_seq"], at = last, fmt.Sprintf(" (the stream is at %d)", last)
		}
		return withExtensions(errorf(errNotReady, "the projection is at sequence %d and did not reach min_seq %d within %s%s", now, min, wait, at), ext)
	}
	return nil
}

// parseLens reads as_of (a day), known_at (an RFC 3339 instant, or a day
// meaning the end of that day, UTC) and exclude_own (a boolean), adding
// what is wrong to ps.
func parseLens(r *http.Request, ps *params) projections.Lens {
	var c projections.Lens
	qv := r.URL.Query()
	if v := qv.Get("exclude_own"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			ps.bad("exclude_own", "%q is not true or false", v)
		}
		c.ExcludeOwn = b
	}
	if v := qv.Get("as_of"); v != "" {
		d, err := events.ParseDate(v)
		ps.addErr("as_of", err)
		c.AsOf = d
	}
	if v := qv.Get("known_at"); v != "" {
		t, err := parseInstant(v)
		ps.addErr("known_at", err)
		c.KnownAt = t
	}
	return c
}

// parseInstant accepts RFC 3339, or a day (the last instant of that day).
func parseInstant(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	d, err := events.ParseDate(v)
	if err != nil {
		return time.Time{}, err
	}
	return d.Time().Add(24*time.Hour - time.Nanosecond), nil
}

func (q query) pathActor(name string) (events.Country, error) {
	v := q.r.PathValue(name)
	c, err := events.ParseCountry(v)
	if err != nil {
		return c, notFound("actor %q: %v", v, err)
	}
	return c, nil
}

func (q query) filter() projections.ShiftFilter {
	return projections.ShiftFilter{Actor: q.actor, Topic: q.topic, Since: q.since}
}

func (s *Server) actors(q query, st *projections.State) (string, any, error) {
	return "actors", st.Actors(q.lens), nil
}

func (s *Server) actor(q query, st *projections.State) (string, any, error) {
	c, err := q.pathActor("actor")
	if err != nil {
		return "", nil, err
	}
	av, ok := st.Actor(c, q.lens)
	if !ok {
		return "", nil, notFound("no positions recorded for %s (%s)", c, c.Name())
	}
	return "actor", av, nil
}

func (s *Server) history(q query, st *projections.State) (string, any, error) {
	c, err := q.pathActor("actor")
	if err != nil {
		return "", nil, err
	}
	topic := q.topic
	w, err := q.window()
	if err != nil {
		return "", nil, err
	}
	hs := st.HistoriesIn(c, topic, q.lens, w)
	if len(hs) == 0 {
		if topic.IsZero() {
			return "", nil, notFound("no positions recorded for %s (%s)", c, c.Name())
		}
		return "", nil, notFound("no positions recorded for %s (%s) on %s", c, c.Name(), topic)
	}
	if !topic.IsZero() {
		return "history", paged(w, hs[0]), nil
	}
	out := make([]pagedHistory, len(hs))
	for i, h := range hs {
		out[i] = paged(w, h)
	}
	return "histories", out, nil
}

// Paging of histories: a country's history on a topic runs to thousands
// of roll calls over 70 years.
const (
	defaultHistoryLimit = 1000
	maxHistoryLimit     = 10000
)

// pagedHistory is a history cut to a window, with where the next page
// starts.
type pagedHistory struct {
	projections.History
	Page historyPage `json:"page"`
}

type historyPage struct {
	From  events.Date `json:"from,omitzero"`
	To    events.Date `json:"to,omitzero"`
	Total int         `json:"total"` // entries in the window
	Limit int         `json:"limit"`
	// Next is the cursor of the next page (pass it as after=), empty on
	// the last page.
	Next string `json:"next,omitempty"`
	// Shifts and Conflicts count those in the window; the answer carries
	// the ones of this page (a shift to one of its entries, a conflict on
	// one of its days).
	Shifts    int `json:"shifts"`
	Conflicts int `json:"conflicts"`
}

// window reads what part of a history a request asks for: the days from
// and to (inclusive), and a page of at most limit entries after a cursor.
func (q query) window() (projections.Window, error) {
	w := projections.Window{Limit: defaultHistoryLimit}
	var ps params
	qv := q.r.URL.Query()
	for _, d := range []struct {
		name string
		p    *events.Date
	}{{"from", &w.From}, {"to", &w.To}} {
		if v := qv.Get(d.name); v != "" {
			var err error
			*d.p, err = events.ParseDate(v)
			ps.addErr(d.name, err)
		}
	}
	if !w.From.IsZero() && !w.To.IsZero() && w.To.Before(w.From) {
		ps.bad("to", "%s is before from %s", w.To, w.From)
	}
	if v := qv.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxHistoryLimit {
			ps.bad("limit", "%q: want a number of entries from 1 to %d", v, maxHistoryLimit)
		}
		w.Limit = n
	}
	if v := qv.Get("after"); v != "" {
		d, seq, ok := parseCursor(v)
		if !ok {
			ps.bad("after", "%q is not a cursor this server gave (a page's next)", v)
		}
		w.After, w.AfterDay, w.AfterSeq = ok, d, seq
	}
	return w, ps.err()
}

// A cursor is the (day, sequence) of the last entry of a page: entries
// are ordered by the day they occurred, then by sequence.
func cursorOf(p projections.PositionView) string {
	return fmt.Sprintf("%s.%d", p.Occurred.Day(), p.Seq)
}

func parseCursor(s string) (events.Date, uint64, bool) {
	day, seq, ok := strings.Cut(s, ".")
	if !ok {
		return events.Date{}, 0, false
	}
	d, err := events.ParseDate(day)
	n, err2 := strconv.ParseUint(seq, 10, 64)
	return d, n, err == nil && err2 == nil
}

// paged is a history page as the answer gives it, with where the next
// page starts.
func paged(w projections.Window, h projections.HistoryPage) pagedHistory {
	out := pagedHistory{History: h.History, Page: historyPage{From: w.From, To: w.To, Total: h.Total, Limit: w.Limit,
		Shifts: h.Shifts, Conflicts: h.Conflicts}}
	if n := len(h.Entries); h.More && n > 0 {
		out.Page.Next = cursorOf(h.Entries[n-1])
	}
	return out
}

func (s *Server) topics(q query, st *projections.State) (string, any, error) {
	return "topics", st.Topics(q.lens), nil
}

func (s *Server) topic(q query, st *projections.State) (string, any, error) {
	v := q.r.PathValue("topic")
	t, err := events.ParseTopic(v)
	if err != nil {
		return "", nil, notFound("topic %q: %v", v, err)
	}
	tv, ok := st.Topic(t, q.lens)
	if !ok {
		return "", nil, notFound("nothing recorded on topic %s", t)
	}
	return "topic", tv, nil
}

// matrix is a topic's vote matrix, for the web page: every text, or
// those of a year (?year=) or of days (?from=&to=); with ?cells=stance,
// each cell is only its stance.
func (s *Server) matrix(q query, st *projections.State) (string, any, error) {
	v := q.r.PathValue("topic")
	t, err := events.ParseTopic(v)
	if err != nil {
		return "", nil, notFound("topic %q: %v", v, err)
	}
	o, err := q.matrixOptions()
	if err != nil {
		return "", nil, err
	}
	m := st.MatrixOf(t, q.lens, o)
	if len(m.Motions) == 0 && len(m.Actors) == 0 {
		if o.From.IsZero() && o.To.IsZero() {
			return "", nil, notFound("nothing recorded on topic %s", t)
		}
		if _, ok := st.Topic(t, q.lens); !ok {
			return "", nil, notFound("nothing recorded on topic %s", t)
		}
	}
	return "matrix", m, nil
}

// matrixOptions reads a matrix's cut: year, or from and to, and cells.
func (q query) matrixOptions() (projections.MatrixOptions, error) {
	var o projections.MatrixOptions
	var ps params
	qv := q.r.URL.Query()
	for _, d := range []struct {
		name string
		p    *events.Date
	}{{"from", &o.From}, {"to", &o.To}} {
		if v := qv.Get(d.name); v != "" {
			var err error
			*d.p, err = events.ParseDate(v)
			ps.addErr(d.name, err)
		}
	}
	if v := qv.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		switch {
		case err != nil || y < 1900 || y > 2999:
			ps.bad("year", "%q: want a year such as 1975", v)
		case qv.Get("from") != "" || qv.Get("to") != "":
			ps.bad("year", "give a year or from and to, not both")
		default:
			o.From, _ = events.ParseDate(fmt.Sprintf("%04d-01-01", y))
			o.To, _ = events.ParseDate(fmt.Sprintf("%04d-12-31", y))
		}
	}
	if err := o.Validate(); err != nil {
		var fe events.FieldError
		errors.As(err, &fe)
		ps.bad(fe.Field, "%s", fe.Message)
	}
	switch v := qv.Get("cells"); v {
	case "", "full":
	case "stance":
		o.Compact = true
	default:
		ps.bad("cells", "%q: want full (each cell's position and evidence) or stance (only its stance)", v)
	}
	return o, ps.err()
}

// years is a topic's vote matrix summed by year.
func (s *Server) years(q query, st *projections.State) (string, any, error) {
	v := q.r.PathValue("topic")
	t, err := events.ParseTopic(v)
	if err != nil {
		return "", nil, notFound("topic %q: %v", v, err)
	}
	ym := st.MatrixByYear(t, q.lens)
	if len(ym.Years) == 0 {
		return "", nil, notFound("nothing recorded on topic %s", t)
	}
	return "years", ym, nil
}

func (s *Server) shifts(q query, st *projections.State) (string, any, error) {
	return "shifts", st.Shifts(q.filter(), q.lens), nil
}

func (s *Server) conflicts(q query, st *projections.State) (string, any, error) {
	return "conflicts", st.Conflicts(q.filter(), q.lens), nil
}

func (s *Server) motions(q query, st *projections.State) (string, any, error) {
	topic := q.topic
	ms := st.Motions(q.lens)
	if !topic.IsZero() {
		kept := ms[:0]
		for _, m := range ms {
			if m.Topic == topic {
				kept = append(kept, m)
			}
		}
		ms = kept
	}
	return "motions", ms, nil
}

func (s *Server) motion(q query, st *projections.State) (string, any, error) {
	v := strings.TrimSuffix(q.r.PathValue("id"), "/")
	id, err := events.ParseMotionID(v)
	if err != nil {
		return "", nil, notFound("motion %q: %v", v, err)
	}
	mv, ok := st.Motion(id, q.lens)
	if !ok {
		return "", nil, notFound("no motion %s is recorded", id)
	}
	return "motion", mv, nil
}

func (s *Server) deadletters(q query, st *projections.State) (string, any, error) {
	return "deadletters", st.Rejected(), nil
}

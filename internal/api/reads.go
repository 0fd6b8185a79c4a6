package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// query is a read request's parsed parameters.
type query struct {
	r    *http.Request
	lens projections.Lens
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

// read wraps a read handler: it parses the clocks, waits for min_seq, and
// runs the handler under the projection's read lock.
func (s *Server) read(h func(q query, st *projections.State) (string, any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := query{r: r}
		var err error
		if q.lens, err = parseLens(r); err != nil {
			s.writeError(w, r, err)
			return
		}
		if v := r.URL.Query().Get("min_seq"); v != "" {
			min, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				s.writeError(w, r, badRequest("min_seq: %q is not a sequence number", v))
				return
			}
			ctx, cancel := context.WithTimeout(r.Context(), s.cfg.MaxWait)
			err = s.proj.WaitFor(ctx, min)
			cancel()
			if err != nil {
				s.writeError(w, r, errorf(errNotReady, "the projection is at sequence %d and did not reach min_seq %d within %s", s.proj.LastSeq(), min, s.cfg.MaxWait))
				return
			}
		}
		key := keyOf(r)
		if body, ok := s.answers.get(key, s.proj.LastSeq()); ok {
			writeBody(w, http.StatusOK, body)
			return
		}
		var name string
		var payload any
		var seq uint64
		var body []byte
		s.proj.Read(func(st *projections.State) {
			seq = st.LastSeq()
			name, payload, err = h(q, st)
			if err == nil {
				body, err = json.Marshal(answer{seq, q.lens, name, payload})
			}
		})
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		body = append(body, '\n')
		s.answers.put(key, seq, body)
		writeBody(w, http.StatusOK, body)
	}
}

// parseLens reads as_of (a day), known_at (an RFC 3339 instant, or a day
// meaning the end of that day, UTC) and exclude_own (a boolean).
func parseLens(r *http.Request) (projections.Lens, error) {
	var c projections.Lens
	qv := r.URL.Query()
	if v := qv.Get("exclude_own"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, badRequest("exclude_own: %q is not true or false", v)
		}
		c.ExcludeOwn = b
	}
	if v := qv.Get("as_of"); v != "" {
		d, err := events.ParseDate(v)
		if err != nil {
			return c, badRequest("as_of: %v", err)
		}
		c.AsOf = d
	}
	if v := qv.Get("known_at"); v != "" {
		t, err := parseInstant(v)
		if err != nil {
			return c, badRequest("known_at: %v", err)
		}
		c.KnownAt = t
	}
	return c, nil
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

func (q query) actor(name string) (events.Country, error) {
	v := q.r.PathValue(name)
	c, err := events.ParseCountry(v)
	if err != nil {
		return c, notFound("actor %q: %v", v, err)
	}
	return c, nil
}

func (q query) optActor() (events.Country, error) {
	v := q.r.URL.Query().Get("actor")
	if v == "" {
		return events.Country{}, nil
	}
	c, err := events.ParseCountry(v)
	if err != nil {
		return c, badRequest("actor: %v", err)
	}
	return c, nil
}

func (q query) optTopic() (events.Topic, error) {
	v := q.r.URL.Query().Get("topic")
	if v == "" {
		return events.Topic{}, nil
	}
	t, err := events.ParseTopic(v)
	if err != nil {
		return t, badRequest("topic: %v", err)
	}
	return t, nil
}

func (q query) filter() (projections.ShiftFilter, error) {
	var f projections.ShiftFilter
	var err error
	if f.Actor, err = q.optActor(); err != nil {
		return f, err
	}
	if f.Topic, err = q.optTopic(); err != nil {
		return f, err
	}
	if v := q.r.URL.Query().Get("since"); v != "" {
		if f.Since, err = events.ParseDate(v); err != nil {
			return f, badRequest("since: %v", err)
		}
	}
	return f, nil
}

func (s *Server) actors(q query, st *projections.State) (string, any, error) {
	return "actors", st.Actors(q.lens), nil
}

func (s *Server) actor(q query, st *projections.State) (string, any, error) {
	c, err := q.actor("actor")
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
	c, err := q.actor("actor")
	if err != nil {
		return "", nil, err
	}
	topic, err := q.optTopic()
	if err != nil {
		return "", nil, err
	}
	w, err := q.window()
	if err != nil {
		return "", nil, err
	}
	hs := st.Histories(c, topic, q.lens)
	if len(hs) == 0 {
		if topic.IsZero() {
			return "", nil, notFound("no positions recorded for %s (%s)", c, c.Name())
		}
		return "", nil, notFound("no positions recorded for %s (%s) on %s", c, c.Name(), topic)
	}
	if !topic.IsZero() {
		return "history", w.history(hs[0]), nil
	}
	out := make([]pagedHistory, len(hs))
	for i, h := range hs {
		out[i] = w.history(h)
	}
	return "histories", out, nil
}

// Paging of histories: a country's history on a topic runs to thousands
// of roll calls over 70 years.
const (
	defaultHistoryLimit = 1000
	maxHistoryLimit     = 10000
)

// historyWindow is what part of a history a request asks for: the days
// from and to (inclusive), and a page of at most limit entries after a
// cursor.
type historyWindow struct {
	from, to events.Date
	after    string
	limit    int
}

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
}

func (q query) window() (historyWindow, error) {
	w := historyWindow{limit: defaultHistoryLimit}
	qv := q.r.URL.Query()
	var err error
	for _, d := range []struct {
		name string
		p    *events.Date
	}{{"from", &w.from}, {"to", &w.to}} {
		if v := qv.Get(d.name); v != "" {
			if *d.p, err = events.ParseDate(v); err != nil {
				return w, badRequest("%s: %v", d.name, err)
			}
		}
	}
	if !w.from.IsZero() && !w.to.IsZero() && w.to.Before(w.from) {
		return w, badRequest("to: %s is before from %s", w.to, w.from)
	}
	if v := qv.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxHistoryLimit {
			return w, badRequest("limit: %q: want a number of entries from 1 to %d", v, maxHistoryLimit)
		}
		w.limit = n
	}
	if v := qv.Get("after"); v != "" {
		if _, _, ok := parseCursor(v); !ok {
			return w, badRequest("after: %q is not a cursor this server gave (the page's next)", v)
		}
		w.after = v
	}
	return w, nil
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

func (w historyWindow) admits(d events.Date) bool {
	return (w.from.IsZero() || !d.Before(w.from)) && (w.to.IsZero() || !w.to.Before(d))
}

// history cuts h to the window: the entries on days in it, one page of
// them, and the shifts and conflicts on days in it.
func (w historyWindow) history(h projections.History) pagedHistory {
	entries := make([]projections.PositionView, 0, len(h.Entries))
	for _, e := range h.Entries {
		if w.admits(e.Occurred.Day()) {
			entries = append(entries, e)
		}
	}
	out := pagedHistory{History: h, Page: historyPage{From: w.from, To: w.to, Total: len(entries), Limit: w.limit}}
	start := 0
	if d, seq, ok := parseCursor(w.after); ok {
		start = len(entries)
		for i, e := range entries {
			if c := e.Occurred.Day().Compare(d); c > 0 || c == 0 && e.Seq > seq {
				start = i
				break
			}
		}
	}
	end := min(start+w.limit, len(entries))
	out.Entries = entries[start:end]
	if end < len(entries) {
		out.Page.Next = cursorOf(entries[end-1])
	}
	out.Shifts = make([]projections.Shift, 0, len(h.Shifts))
	for _, sh := range h.Shifts {
		if w.admits(sh.Date) {
			out.Shifts = append(out.Shifts, sh)
		}
	}
	out.Conflicts = make([]projections.Conflict, 0, len(h.Conflicts))
	for _, c := range h.Conflicts {
		if w.admits(c.Date) {
			out.Conflicts = append(out.Conflicts, c)
		}
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

// matrix is a topic's vote matrix, for the web page.
func (s *Server) matrix(q query, st *projections.State) (string, any, error) {
	v := q.r.PathValue("topic")
	t, err := events.ParseTopic(v)
	if err != nil {
		return "", nil, notFound("topic %q: %v", v, err)
	}
	m := st.Matrix(t, q.lens)
	if len(m.Motions) == 0 && len(m.Actors) == 0 {
		return "", nil, notFound("nothing recorded on topic %s", t)
	}
	return "matrix", m, nil
}

func (s *Server) shifts(q query, st *projections.State) (string, any, error) {
	f, err := q.filter()
	if err != nil {
		return "", nil, err
	}
	return "shifts", st.Shifts(f, q.lens), nil
}

func (s *Server) conflicts(q query, st *projections.State) (string, any, error) {
	f, err := q.filter()
	if err != nil {
		return "", nil, err
	}
	return "conflicts", st.Conflicts(f, q.lens), nil
}

func (s *Server) motions(q query, st *projections.State) (string, any, error) {
	topic, err := q.optTopic()
	if err != nil {
		return "", nil, err
	}
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

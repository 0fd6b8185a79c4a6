package api

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/projections"
)

// PositionColumns are the columns of positions.csv: one tidy row per
// actor, topic, motion, day and stance, as researchers load vote tables
// (R's unvotes, pandas).
var PositionColumns = []string{
	"date", "actor", "actor_name", "actor_alpha3", "topic", "motion", "stance", "lean", "status",
	"producer", "confidence", "url", "citation", "document", "quote", "event_id", "seq", "recorded",
}

// MotionColumns are the columns of motions.csv.
var MotionColumns = []string{
	"date", "motion", "aliases", "kind", "topic", "title", "outcome", "yes", "no", "abstain", "absent",
	"vetoed_by", "penholders", "penholder_note", "amends", "meeting", "source_urls", "source_citations", "event_id", "seq",
}

// lens parses a read's parameters for an export.
func (s *Server) exportQuery(w http.ResponseWriter, r *http.Request) (query, bool) {
	q := query{r: r}
	var err error
	if q.lens, err = parseLens(r); err != nil {
		s.writeError(w, r, err)
		return q, false
	}
	return q, true
}

func csvHeader(w http.ResponseWriter, name string, seq uint64, lens projections.Lens) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	w.Header().Set("Stancewatch-Seq", strconv.FormatUint(seq, 10))
	if !lens.AsOf.IsZero() {
		w.Header().Set("Stancewatch-As-Of", lens.AsOf.String())
	}
	if !lens.KnownAt.IsZero() {
		w.Header().Set("Stancewatch-Known-At", lens.KnownAt.Format(time.RFC3339Nano))
	}
}

// exportPositions writes positions.csv. ?all=true adds every observation,
// with its status, not only the counted ones; ?actor= and ?topic= filter;
// as_of, known_at and exclude_own apply.
func (s *Server) exportPositions(w http.ResponseWriter, r *http.Request) {
	q, ok := s.exportQuery(w, r)
	if !ok {
		return
	}
	var f projections.PositionFilter
	var err error
	if f.Actor, err = q.optActor(); err == nil {
		f.Topic, err = q.optTopic()
	}
	if v := r.URL.Query().Get("all"); err == nil && v != "" {
		if f.All, err = strconv.ParseBool(v); err != nil {
			err = badRequest("all: %q is not true or false", v)
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var rows []projections.PositionView
	var seq uint64
	s.proj.Read(func(st *projections.State) { seq, rows = st.LastSeq(), st.Positions(f, q.lens) })
	csvHeader(w, "positions.csv", seq, q.lens)
	cw := csv.NewWriter(w)
	_ = cw.Write(PositionColumns)
	for _, p := range rows {
		_ = cw.Write([]string{
			p.Occurred.Day().String(), p.Actor.String(), p.Actor.Name(), p.Actor.Alpha3(), p.Topic.String(), p.Motion.String(),
			p.Stance.String(), strconv.Itoa(p.Stance.Lean()), string(p.Status), p.Evidence.Producer.String(),
			strconv.FormatFloat(p.Evidence.Confidence, 'f', -1, 64), p.Evidence.URL, p.Evidence.Citation, p.Evidence.Document, p.Evidence.Quote,
			p.ID.String(), strconv.FormatUint(p.Seq, 10), p.Recorded.Format(time.RFC3339Nano),
		})
	}
	cw.Flush()
}

// exportMotions writes motions.csv: one row per motion.
func (s *Server) exportMotions(w http.ResponseWriter, r *http.Request) {
	q, ok := s.exportQuery(w, r)
	if !ok {
		return
	}
	topic, err := q.optTopic()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var ms []projections.MotionSummary
	var seq uint64
	s.proj.Read(func(st *projections.State) { seq, ms = st.LastSeq(), st.Motions(q.lens) })
	csvHeader(w, "motions.csv", seq, q.lens)
	cw := csv.NewWriter(w)
	_ = cw.Write(MotionColumns)
	count := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	join := func(xs []string) string { return strings.Join(xs, ";") }
	for _, m := range ms {
		if !topic.IsZero() && m.Topic != topic {
			continue
		}
		var t events.Tally
		if m.Tally != nil {
			t = *m.Tally
		}
		var urls, cites []string
		for _, src := range m.Sources {
			if src.URL != "" {
				urls = append(urls, src.URL)
			}
			if src.Citation != "" {
				cites = append(cites, src.Citation)
			}
		}
		_ = cw.Write([]string{
			m.Date.String(), m.ID.String(), join(strs(m.Aliases)), string(m.Kind), m.Topic.String(), m.Title, string(m.Outcome),
			count(t.Yes), count(t.No), count(t.Abstain), count(t.Absent), join(strs(m.VetoedBy)), join(strs(m.Penholders)),
			m.PenholderNote, m.Amends.String(), m.Meeting, join(urls), join(cites), m.EventID.String(), strconv.FormatUint(m.Seq, 10),
		})
	}
	cw.Flush()
}

func strs[T fmt.Stringer](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}

// exportEvents streams the raw CloudEvents, one JSON object per line, in
// stream order, up to the end of the stream when the request arrived.
// ?after=N starts after a sequence; known_at stops at events recorded
// after it; ?actor= and ?topic= filter by subject.
func (s *Server) exportEvents(w http.ResponseWriter, r *http.Request) {
	q, ok := s.exportQuery(w, r)
	if !ok {
		return
	}
	actor, err := q.optActor()
	if err == nil {
		var topic events.Topic
		if topic, err = q.optTopic(); err == nil {
			o := eventlog.SubscribeOptions{Filters: []string{events.PositionFilter(actor, topic)}, CatchUp: true}
			if actor.IsZero() {
				o.Filters = append(o.Filters, events.MotionFilter(topic))
			}
			if v := r.URL.Query().Get("after"); v != "" {
				if o.After, err = strconv.ParseUint(v, 10, 64); err != nil {
					err = badRequest("after: %q is not a stream sequence", v)
				}
			}
			if err == nil {
				s.streamEvents(w, r, o, q.lens.KnownAt)
				return
			}
		}
	}
	s.writeError(w, r, err)
}

var errExportDone = errors.New("export done")

func (s *Server) streamEvents(w http.ResponseWriter, r *http.Request, o eventlog.SubscribeOptions, knownAt time.Time) {
	last, err := s.store.LastSeq(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="events.jsonl"`)
	w.Header().Set("Stancewatch-Seq", strconv.FormatUint(last, 10))
	w.WriteHeader(http.StatusOK)
	if last <= o.After {
		return
	}
	rc := http.NewResponseController(w)
	n := 0
	err = s.store.Subscribe(r.Context(), o, func(d eventlog.Delivery) error {
		if d.Seq > last || (!knownAt.IsZero() && d.Time.After(knownAt)) {
			return errExportDone
		}
		_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.SSEWriteTimeout))
		if _, err := w.Write(append(d.Data, '\n')); err != nil {
			return err
		}
		if n++; n%256 == 0 {
			_ = rc.Flush()
		}
		return nil
	})
	if err != nil && !errors.Is(err, errExportDone) {
		s.log.Warn("events export ended early", "err", err)
	}
}

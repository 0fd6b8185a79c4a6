package api

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
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

// exportQuery parses an export's parameters: those of every read, and
// the boolean and sequence ones named (all, after). It has answered the
// request when ok is false.
func (s *Server) exportQuery(w http.ResponseWriter, r *http.Request, bools, seqs []string) (q query, flags map[string]bool, nums map[string]uint64, ok bool) {
	q, err := s.parseQuery(r)
	var ps params
	var ve *events.ValidationError
	if errors.As(err, &ve) {
		ps.fields = ve.Fields
	}
	flags, nums = map[string]bool{}, map[string]uint64{}
	for _, name := range bools {
		if v := r.URL.Query().Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				ps.bad(name, "%q is not true or false", v)
			}
			flags[name] = b
		}
	}
	for _, name := range seqs {
		if v := r.URL.Query().Get(name); v != "" {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				ps.bad(name, "%q is not a stream sequence", v)
			}
			nums[name] = n
		}
	}
	if err := ps.err(); err != nil {
		s.writeError(w, r, err)
		return q, nil, nil, false
	}
	if err := s.waitFor(r.Context(), q.minSeq, q.wait); err != nil {
		s.writeError(w, r, err)
		return q, nil, nil, false
	}
	return q, flags, nums, true
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
	q, flags, _, ok := s.exportQuery(w, r, []string{"all"}, nil)
	if !ok {
		return
	}
	f := projections.PositionFilter{Actor: q.actor, Topic: q.topic, All: flags["all"]}
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
	q, _, _, ok := s.exportQuery(w, r, nil, nil)
	if !ok {
		return
	}
	topic := q.topic
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

// exportEvents streams every stored CloudEvent — positions, motions,
// retractions, reviews and decisions — one JSON object per line, in stream
// order, up to the end of the stream when the request arrived, and
// nothing else: what cannot be read as a CloudEvent is a dead letter, in
// deadletters.jsonl. ?after=N starts after a sequence; known_at stops at
// events recorded after it; ?actor= and ?topic= filter (a review by the
// topic it proposes, a decision with its review).
func (s *Server) exportEvents(w http.ResponseWriter, r *http.Request) {
	q, _, nums, ok := s.exportQuery(w, r, nil, []string{"after"})
	if !ok {
		return
	}
	o := eventlog.SubscribeOptions{Filters: []string{events.PositionFilter(q.actor, q.topic), events.ReviewFilter(q.actor)}, CatchUp: true, After: nums["after"]}
	if q.actor.IsZero() {
		o.Filters = append(o.Filters, events.MotionFilter(q.topic))
	}
	dec := events.NewDecoder()
	reviews := map[uuid.UUID]bool{} // the reviews on the topic asked for
	s.streamLines(w, r, o, q.lens.KnownAt, "events.jsonl", func(d eventlog.Delivery) []byte {
		ev, err := dec.Decode(d.Data)
		if err != nil {
			return nil // a dead letter
		}
		if !q.topic.IsZero() {
			switch data := ev.Data.(type) {
			case events.Review:
				if data.Position.Topic != q.topic {
					return nil
				}
				reviews[ev.ID] = true
			case events.ReviewDecision:
				if !reviews[data.Review] {
					return nil
				}
			}
		}
		return d.Data
	})
}

// deadLetterLine is one line of deadletters.jsonl.
type deadLetterLine struct {
	Seq      uint64          `json:"seq"`
	Subject  string          `json:"subject,omitempty"`
	Recorded time.Time       `json:"recorded"`
	Reason   string          `json:"reason"`
	Data     json.RawMessage `json:"data,omitempty"` // the stored bytes: JSON as it is, anything else as a JSON string
}

// exportDeadLetters streams what the projection could not apply, one JSON
// object per line: its sequence, subject, time, the reason, and the bytes
// as stored. Sequences lost on disk have no bytes.
func (s *Server) exportDeadLetters(w http.ResponseWriter, r *http.Request) {
	q, _, nums, ok := s.exportQuery(w, r, nil, []string{"after"})
	if !ok {
		return
	}
	var rejected []projections.Rejected
	s.proj.Read(func(st *projections.State) { rejected = st.Rejected() })
	why := make(map[uint64]projections.Rejected, len(rejected))
	for _, rj := range rejected {
		if rj.Seq > nums["after"] && (q.lens.KnownAt.IsZero() || !rj.At.After(q.lens.KnownAt)) {
			why[rj.Seq] = rj
		}
	}
	o := eventlog.SubscribeOptions{CatchUp: true, After: nums["after"]}
	s.streamLines(w, r, o, q.lens.KnownAt, "deadletters.jsonl", func(d eventlog.Delivery) []byte {
		rj, ok := why[d.Seq]
		if !ok {
			return nil
		}
		delete(why, d.Seq)
		return deadLetter(rj, d.Subject, d.Data)
	}, func(emit func([]byte) error) error {
		// What the stream no longer holds (lost on disk) comes last.
		for _, seq := range slices.Sorted(maps.Keys(why)) {
			if err := emit(deadLetter(why[seq], "", nil)); err != nil {
				return err
			}
		}
		return nil
	})
}

func deadLetter(rj projections.Rejected, subject string, data []byte) []byte {
	l := deadLetterLine{Seq: rj.Seq, Subject: subject, Recorded: rj.At, Reason: rj.Reason}
	if len(data) > 0 {
		if json.Valid(data) {
			l.Data = data
		} else {
			l.Data, _ = json.Marshal(string(data))
		}
	}
	b, _ := json.Marshal(l)
	return b
}

var errExportDone = errors.New("export done")

// streamLines writes a JSON Lines export of the stream up to its end when
// the request arrived: line turns each delivery into its line (nil to
// leave it out); after, if given, adds lines at the end.
func (s *Server) streamLines(w http.ResponseWriter, r *http.Request, o eventlog.SubscribeOptions, knownAt time.Time, file string,
	line func(eventlog.Delivery) []byte, after ...func(emit func([]byte) error) error) {
	last, err := s.store.LastSeq(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, file))
	w.Header().Set("Stancewatch-Seq", strconv.FormatUint(last, 10))
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	n := 0
	emit := func(b []byte) error {
		_ = rc.SetWriteDeadline(time.Now().Add(s.cfg.SSEWriteTimeout))
		if _, err := w.Write(append(b, '\n')); err != nil {
			return err
		}
		if n++; n%256 == 0 {
			_ = rc.Flush()
		}
		return nil
	}
	if last > o.After {
		err = s.store.Subscribe(r.Context(), o, func(d eventlog.Delivery) error {
			if d.Seq > last || (!knownAt.IsZero() && d.Time.After(knownAt)) {
				return errExportDone
			}
			if b := line(d); b != nil {
				return emit(b)
			}
			return nil
		})
	}
	for _, f := range after {
		if err == nil || errors.Is(err, errExportDone) {
			err = f(emit)
		}
	}
	if err != nil && !errors.Is(err, errExportDone) {
		s.log.Warn(file+" export ended early", "err", err)
	}
}

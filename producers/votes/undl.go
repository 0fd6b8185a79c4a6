package votes

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// RowError is a bad row in a vote file: the row is skipped, the others
// still count.
type RowError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// Error returns "file:line: column: message".
func (e RowError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Column, e.Message)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
}

// ErrNotUNDL means a file lacks the columns of the UNDL voting data.
var ErrNotUNDL = errors.New("not UN Digital Library voting data")

// UNDLSource is the CloudEvents source of events read from UNDL files.
const UNDLSource = "stancewatch/votes/undl"

// UNDLRecord is where the UNDL dataset is published.
const UNDLRecord = "https://digitallibrary.un.org/record/4055387"

// undlRequired are the columns without which a row means nothing.
var undlRequired = []string{"ms_code", "ms_vote", "date"}

// UNDLOptions says how to read a UNDL file.
type UNDLOptions struct {
	// Topic for every row. When zero, a General Assembly vote takes the
	// topics Topics gives its motion (the bundled record's issue codes),
	// else TopicGeneralAssembly; a Council vote takes a slug of its agenda
	// item.
	Topic events.Topic
	// Topics, if set, gives the topics (first, then others) the record
	// already files a General Assembly motion under, so that the same
	// vote read from the Library's file is the same event.
	Topics func(events.MotionID) (events.Topic, []events.Topic, bool)
	// File names the file in errors and evidence.
	File string
}

// ReadUNDL reads the UN Digital Library "Security Council voting data"
// CSV: one row per member per vote, grouped here into roll calls by
// resolution (or draft, or record id). Rows that cannot be read are
// returned as RowErrors and skipped; every other row still counts. Empty
// cells are accepted where the dataset leaves them empty.
func ReadUNDL(r io.Reader, o UNDLOptions) ([]RollCall, []RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w: cannot read the header: %v", o.File, ErrNotUNDL, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range undlRequired {
		if _, ok := col[c]; !ok {
			return nil, nil, fmt.Errorf("%s: %w: no %q column (have %s)", o.File, ErrNotUNDL, c, strings.Join(header, ", "))
		}
	}
	_, hasRes := col["resolution"]
	_, hasDraft := col["draft"]
	_, hasID := col["undl_id"]
	if !hasRes && !hasDraft && !hasID {
		return nil, nil, fmt.Errorf("%s: %w: no resolution, draft or undl_id column to tell votes apart", o.File, ErrNotUNDL)
	}

	type group struct {
		rc      *RollCall
		members map[events.Country]int // actor -> line
	}
	var (
		rcs    []*group
		byKey  = map[string]*group{}
		errs   []RowError
		line   int
		rowErr = func(column, format string, args ...any) {
			errs = append(errs, RowError{File: o.File, Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
		}
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			rowErr("", "unreadable CSV row: %v", err)
			continue
		}
		line, _ = cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // blank line
		}
		actor, err := events.ParseCountry(get("ms_code"))
		if err != nil || !strings.EqualFold(actor.Alpha3(), get("ms_code")) {
			rowErr("ms_code", "%q is not an ISO 3166-1 alpha-3 code", get("ms_code"))
			continue
		}
		vote, err := ParseVote(get("ms_vote"))
		if err != nil {
			rowErr("ms_vote", "%v", err)
			continue
		}
		date, err := events.ParseDate(get("date"))
		if err != nil {
			rowErr("date", "%v", err)
			continue
		}
		var motion, alias events.MotionID
		res, draft := get("resolution"), get("draft")
		if res != "" {
			if motion, err = events.ParseMotionID(res); err != nil {
				rowErr("resolution", "%v", err)
				continue
			}
		}
		if draft != "" {
			d, err := events.ParseMotionID(draft)
			if err != nil {
				rowErr("draft", "%v", err)
				continue
			}
			if motion.IsZero() {
				motion = d
			} else if d != motion {
				alias = d
			}
		}
		if motion.IsZero() {
			id := get("undl_id")
			if id == "" {
				rowErr("resolution", "empty, and so are draft and undl_id: nothing says which vote this row belongs to")
				continue
			}
			if motion, err = events.ParseMotionID("undl-" + strings.ToLower(id)); err != nil {
				rowErr("undl_id", "%v", err)
				continue
			}
		}
		body := BodySecurityCouncil
		if strings.HasPrefix(motion.String(), "A/") || strings.HasPrefix(alias.String(), "A/") {
			body = BodyGeneralAssembly
		}
		topic := o.Topic
		var also []events.Topic
		switch {
		case !topic.IsZero():
		case body == BodyGeneralAssembly:
			topic = events.MustTopic(TopicGeneralAssembly)
			if o.Topics != nil {
				if t, more, ok := o.Topics(motion); ok {
					topic, also = t, more
				}
			}
		default:
			if topic, err = events.ParseTopic(slug(get("agenda"), events.MaxTopicLen)); err != nil {
				rowErr("agenda", "no --topic given and the agenda item cannot name one: %v", err)
				continue
			}
		}
		g := byKey[motion.String()]
		if g == nil {
			tally, col, err := tallyOf(get)
			if err != nil {
				rowErr(col, "%v", err)
				continue
			}
			title := get("description")
			if title == "" {
				title = get("title")
			}
			m := events.Motion{
				ID: motion, Kind: events.KindDraft, Body: body, Title: titleOf(title, ""), Topic: topic, Date: date,
				Meeting: get("meeting"), Tally: tally, Session: get("session"),
			}
			if !alias.IsZero() {
				m.Aliases = []events.MotionID{alias}
			}
			if res != "" {
				m.Kind, m.Outcome = events.KindResolution, events.OutcomeAdopted
			}
			evidence := events.Source{URL: get("undl_link"), Citation: "UN Digital Library, Security Council voting data"}
			if body == BodyGeneralAssembly {
				evidence.Citation = "UN Digital Library, General Assembly voting data"
			}
			if evidence.URL == "" || !events.IsURL(evidence.URL) {
				evidence.URL = UNDLRecord
				if u := motion.DocumentURL(); body == BodyGeneralAssembly && u != "" {
					evidence.URL = u
				}
			}
			m.Sources = []events.Source{evidence}
			g = &group{rc: &RollCall{Motion: m, Source: UNDLSource, Evidence: evidence, Document: o.File, AlsoTopics: also}, members: map[events.Country]int{}}
			byKey[motion.String()] = g
			rcs = append(rcs, g)
		} else if g.rc.Motion.Date != date {
			rowErr("date", "%s, but earlier rows date the vote on %s to %s", date, motion, g.rc.Motion.Date)
			continue
		}
		if prev, dup := g.members[actor]; dup {
			rowErr("ms_code", "%s already voted on %s at line %d", actor.Alpha3(), motion, prev)
			continue
		}
		g.members[actor] = line
		g.rc.Votes = append(g.rc.Votes, MemberVote{Actor: actor, Vote: vote})
	}
	out := make([]RollCall, 0, len(rcs))
	for _, g := range rcs {
		rc := *g.rc
		if rc.Motion.Outcome == "" {
			rc.Motion.Outcome = outcomeOf(rc)
		}
		rc.Motion.VetoedBy = rc.Vetoes()
		// Whatever else is wrong with the vote as a whole (a description
		// too long for a title, say) keeps out this vote, not the others.
		if _, err := rc.Events(); err != nil {
			first := 0
			for _, l := range g.members {
				if first == 0 || l < first {
					first = l
				}
			}
			errs = append(errs, RowError{File: o.File, Line: first, Message: fmt.Sprintf("the vote on %s is skipped: %v", rc.Motion.ID, err)})
			continue
		}
		out = append(out, rc)
	}
	slices.SortFunc(errs, func(a, b RowError) int { return a.Line - b.Line })
	return out, errs, nil
}

// outcomeOf derives the outcome of a vote the file does not say was
// adopted: in the Council, nine yes votes and no veto adopt a text; the
// Assembly's majorities depend on the question, so its outcome without a
// resolution is unknown.
func outcomeOf(rc RollCall) events.Outcome {
	if rc.Motion.Body != BodySecurityCouncil {
		return events.OutcomeUnknown
	}
	switch {
	case len(rc.Vetoes()) > 0:
		return events.OutcomeVetoed
	case rc.yesVotes() >= VotesToAdopt:
		return events.OutcomeAdopted
	}
	return events.OutcomeFailed
}

// tallyOf reads the total_* columns; an empty cell is an unknown count.
func tallyOf(get func(string) string) (events.Tally, string, error) {
	var t events.Tally
	for _, c := range []struct {
		col string
		p   **int
	}{{"total_yes", &t.Yes}, {"total_no", &t.No}, {"total_abstentions", &t.Abstain}, {"total_non_voting", &t.Absent}} {
		v := get(c.col)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			return t, c.col, fmt.Errorf("%q is not a count of votes", v)
		}
		*c.p = &n
	}
	return t, "", nil
}

// slug makes a topic slug of free text, cut at a word boundary.
func slug(s string, max int) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		words = append(words, w)
	}
	out := ""
	for _, w := range words {
		next := w
		if out != "" {
			next = out + "-" + w
		}
		if len(next) > max {
			break
		}
		out = next
	}
	return out
}

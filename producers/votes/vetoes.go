package votes

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// VetoesSource is the CloudEvents source of events read from the list of
// Security Council vetoes.
const VetoesSource = "stancewatch/votes/vetoes"

// VetoesCitation cites the list of vetoes.
const VetoesCitation = "World Politics Data Lab, Vetoes in the UN Security Council 1946–2022 " +
	"(github.com/world-politics-datalab/vetoes-un-security-council, MIT)"

// VetoesRecord is where the list is published.
const VetoesRecord = "https://github.com/world-politics-datalab/vetoes-un-security-council"

// chinaSeatChange is the day the People's Republic took China's seat
// (General Assembly resolution 2758 (XXVI)): the list's "China" before it
// is the Republic of China, which the General Assembly record codes TW.
var chinaSeatChange = events.MustDate("1971-10-25")

// vetoers maps the list's names of permanent members to actors. The
// Russian Federation continued the Soviet Union's membership, and the
// General Assembly record codes both RU.
var vetoers = map[string]string{"USSR": "RU", "Russia": "RU", "USA": "US", "UK": "GB", "France": "FR", "China": "CN"}

// topicFixes corrects the list's misspelt crisis names before they become
// topic slugs.
var topicFixes = map[string]string{"Malasyia": "Malaysia", "Israel-Palestine": TopicPalestinianConflict}

// ReadVetoes reads the list of vetoed Security Council drafts: one motion
// per draft (outcome vetoed, the vetoing members named) and one veto
// position per vetoing member, under a topic made of the list's crisis
// name ("Israel-Palestine" is the palestinian-conflict topic of the
// Assembly record). The list names who vetoed, not how the others voted:
// no other position is made, and the tally stays unknown.
func ReadVetoes(r io.Reader, file string) ([]RollCall, []RowError, error) {
	t, err := readCSV(r, file, []string{"date", "draft", "member_veto1"})
	if err != nil {
		return nil, nil, err
	}
	var (
		out  []RollCall
		errs []RowError
		seen = map[events.MotionID]int{}
	)
	bad := func(line int, col, format string, args ...any) {
		errs = append(errs, RowError{File: file, Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
	}
	for _, row := range t.rows {
		date, err := parseUSDate(row.get("date"))
		if err != nil {
			bad(row.line, "date", "%v", err)
			continue
		}
		// The cell is a symbol, sometimes with words after it ("S/3710
		// (as amended)", "S/471 and S/471/Add.1"): the first symbol is the
		// draft's.
		cell := row.get("draft")
		if m := symbolInCell.FindString(cell); m != "" {
			cell = strings.TrimRight(m, ".,-/")
		}
		draft, err := events.ParseMotionID(cell)
		if err != nil {
			bad(row.line, "draft", "%v", err)
			continue
		}
		// A meeting record that stands for several drafts without a
		// symbol: each gets an id of its own.
		id := draft
		if n := seen[draft]; n > 0 {
			id = events.MustMotionID(fmt.Sprintf("%s-%d", slug(draft.String(), 50), n+1))
		}
		seen[draft]++
		topicName := row.get("crisis_topic")
		if f, ok := topicFixes[topicName]; ok {
			topicName = f
		}
		topic, err := events.ParseTopic(slug(topicName, events.MaxTopicLen))
		if err != nil {
			bad(row.line, "crisis_topic", "cannot name a topic: %v", err)
			continue
		}
		m := events.Motion{ID: id, Kind: events.KindDraft, Body: BodySecurityCouncil, Title: row.get("agenda_item"),
			Topic: topic, Date: date, Outcome: events.OutcomeVetoed, Meeting: row.get("meeting_record")}
		var rowErr bool
		for _, col := range []string{"member_veto1", "member_veto2", "member_veto3"} {
			name := row.get(col)
			if name == "" {
				continue
			}
			code, ok := vetoers[name]
			if !ok {
				bad(row.line, col, "%q is not a permanent member (USSR, Russia, USA, UK, France, China)", name)
				rowErr = true
				continue
			}
			if code == "CN" && date.Before(chinaSeatChange) {
				code = "TW"
			}
			c := events.MustCountry(code)
			m.VetoedBy = append(m.VetoedBy, c)
		}
		if rowErr || len(m.VetoedBy) == 0 {
			if !rowErr {
				bad(row.line, "member_veto1", "names no vetoing member")
			}
			continue
		}
		url := draft.DocumentURL()
		if url == "" || !strings.HasPrefix(draft.String(), "S/") {
			url = VetoesRecord
		}
		cite := fmt.Sprintf("%s, row %d", VetoesCitation, row.line)
		m.Sources = []events.Source{{URL: url, Citation: "UN document " + draft.String()}, {URL: VetoesRecord, Citation: VetoesCitation}}
		rc := RollCall{Motion: m, Source: VetoesSource, Evidence: events.Source{URL: url, Citation: cite}, Document: file}
		for _, c := range m.VetoedBy {
			rc.Votes = append(rc.Votes, MemberVote{Actor: c, Vote: No})
		}
		if _, err := rc.Events(); err != nil {
			bad(row.line, "", "the veto of %s is skipped: %v", draft, err)
			continue
		}
		out = append(out, rc)
	}
	return out, errs, nil
}

var symbolInCell = regexp.MustCompile(`S/[A-Za-z0-9.\-/]+`)

// parseUSDate reads the list's M/D/YYYY dates.
func parseUSDate(s string) (events.Date, error) {
	t, err := time.Parse("1/2/2006", strings.TrimSpace(s))
	if err != nil {
		return events.Date{}, fmt.Errorf("%q is not a date in the M/D/YYYY form of the list", s)
	}
	return events.DateOf(t), nil
}

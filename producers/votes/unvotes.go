package votes

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// UnvotesSource is the CloudEvents source of events read from Voeten's
// General Assembly voting data.
const UnvotesSource = "stancewatch/votes/unvotes"

// UnvotesCitation cites the dataset, as its author asks.
const UnvotesCitation = "Erik Voeten, United Nations General Assembly Voting Data, Harvard Dataverse, hdl:1902.1/12379 " +
	"(CC0), as packaged by the R package unvotes (D. Robinson)"

// UnvotesRecord is where the dataset is published.
const UnvotesRecord = "https://hdl.handle.net/1902.1/12379"

// The topics of the General Assembly record: one per issue code of
// Voeten's data, and one for roll calls the data codes under no issue.
const (
	TopicPalestinianConflict = "palestinian-conflict" // me
	TopicNuclearWeapons      = "nuclear-weapons"      // nu: nuclear weapons and nuclear material
	TopicArmsControl         = "arms-control"         // di: arms control and disarmament
	TopicHumanRights         = "human-rights"         // hr
	TopicColonialism         = "colonialism"          // co
	TopicEconomicDevelopment = "economic-development" // ec
	TopicGeneralAssembly     = "general-assembly"     // no issue code
)

// IssueTopics maps Voeten's issue codes to topic slugs.
var IssueTopics = map[string]string{
	"me": TopicPalestinianConflict, "nu": TopicNuclearWeapons, "di": TopicArmsControl,
	"hr": TopicHumanRights, "co": TopicColonialism, "ec": TopicEconomicDevelopment,
}

// unvotesNoCode are the rows of un_votes without a country code, by the
// country name the data gives them.
var unvotesNoCode = map[string]string{
	"Federal Republic of Germany": "XG",
	"Yemen Arab Republic":         "XY",
	"Zanzibar":                    "XZ",
}

// UnvotesFiles are the three tables of the R package unvotes, as CSV
// (gzipped or not): roll calls, their issue codes, and the votes.
type UnvotesFiles struct {
	RollCalls, Issues, Votes io.Reader
	// Names name the three files in errors and evidence, in that order.
	Names [3]string
	// MotionsOnly reads the roll calls and their issues, not the votes
	// (Votes may be nil): for the topics of the record's motions.
	MotionsOnly bool
}

// ReadUnvotes reads Voeten's General Assembly voting data: one motion per
// roll call and one position per country vote, filed under each topic
// its issue codes name (or TopicGeneralAssembly when it has none).
//
// What it keeps of the record:
//   - the motion's id is the resolution's modern symbol (R/68/262 is
//     A/RES/68/262). When several roll calls share a symbol (separate
//     votes on paragraphs, amendments), the vote on the text as a whole
//     gets the symbol and the others a local id naming the roll call
//     ("a-res-54-175-rcid-5657"), with the text as what they are part of.
//   - the tally is counted from the votes; the outcome is "adopted" for
//     the vote on a resolution's text, "unknown" for the others (the data
//     does not record it, and the Assembly's majorities vary).
//   - a country missing from a roll call is missing: the data dropped
//     absences and non-members alike, and nothing here invents either.
//
// Rows it cannot read are RowErrors; the rest still count.
func ReadUnvotes(f UnvotesFiles) ([]RollCall, []RowError, error) {
	rcRows, err := readCSV(f.RollCalls, f.Names[0], []string{"rcid", "session", "date", "unres"})
	if err != nil {
		return nil, nil, err
	}
	issueRows, err := readCSV(f.Issues, f.Names[1], []string{"rcid", "short_name"})
	if err != nil {
		return nil, nil, err
	}
	var voteRows csvTable
	if !f.MotionsOnly {
		if voteRows, err = readCSV(f.Votes, f.Names[2], []string{"rcid", "country", "country_code", "vote"}); err != nil {
			return nil, nil, err
		}
	}
	var errs []RowError
	bad := func(file string, line int, col, format string, args ...any) {
		errs = append(errs, RowError{File: file, Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
	}

	type rec = unvotesRec
	byRcid := map[int]*rec{}
	var order []*rec
	for _, r := range rcRows.rows {
		line := r.line
		rcid, err := strconv.Atoi(r.get("rcid"))
		if err != nil || rcid <= 0 {
			bad(rcRows.file, line, "rcid", "%q is not a roll-call number", r.get("rcid"))
			continue
		}
		if byRcid[rcid] != nil {
			bad(rcRows.file, line, "rcid", "roll call %d appears twice", rcid)
			continue
		}
		date, err := events.ParseDate(r.get("date"))
		if err != nil {
			bad(rcRows.file, line, "date", "%v", err)
			continue
		}
		m := events.Motion{Body: BodyGeneralAssembly, Date: date, Session: r.get("session"), Topic: events.MustTopic(TopicGeneralAssembly)}
		m.Title = titleOf(r.get("short"), r.get("descr"))
		switch r.get("importantvote") {
		case "1":
			m.Important = ptr(true)
		case "0":
			if s, _ := strconv.Atoi(m.Session); s >= 39 { // coded from session 39 on
				m.Important = ptr(false)
			}
		}
		x := &rec{rcid: rcid, members: map[events.Country]int{}}
		if u := r.get("unres"); u != "" {
			if id, err := events.ParseMotionID(u); err == nil && strings.HasPrefix(id.String(), "A/RES/") {
				x.unres = id
			}
		}
		descr := strings.ToLower(r.get("short") + " " + r.get("descr"))
		x.part = r.get("amend") == "1" || partRE.MatchString(descr)
		x.whole = wholeRE.MatchString(descr)
		m.Kind = events.KindResolution
		if r.get("amend") == "1" || amendRE.MatchString(descr) && !x.whole {
			m.Kind = events.KindAmendment
		} else if x.part && !x.whole {
			m.Kind = events.KindPart
		}
		x.rc = &RollCall{Motion: m, Source: UnvotesSource, Unquoted: true}
		byRcid[rcid] = x
		order = append(order, x)
	}

	// Issue codes: the first (in the order of the file) is the motion's
	// topic, the others the topics it is also filed under.
	for _, r := range issueRows.rows {
		rcid, _ := strconv.Atoi(r.get("rcid"))
		x := byRcid[rcid]
		if x == nil {
			bad(issueRows.file, r.line, "rcid", "roll call %q is not in %s", r.get("rcid"), rcRows.file)
			continue
		}
		slug, ok := IssueTopics[strings.ToLower(r.get("short_name"))]
		if !ok {
			bad(issueRows.file, r.line, "short_name", "%q is not an issue code (me, nu, di, hr, co, ec)", r.get("short_name"))
			continue
		}
		t := events.MustTopic(slug)
		m := &x.rc.Motion
		switch {
		case m.Topic.String() == TopicGeneralAssembly:
			m.Topic = t
		case m.Topic != t && !slices.Contains(x.rc.AlsoTopics, t):
			x.rc.AlsoTopics = append(x.rc.AlsoTopics, t)
		}
	}

	for _, r := range voteRows.rows {
		rcid, _ := strconv.Atoi(r.get("rcid"))
		x := byRcid[rcid]
		if x == nil {
			bad(voteRows.file, r.line, "rcid", "roll call %q is not in %s", r.get("rcid"), rcRows.file)
			continue
		}
		code := r.get("country_code")
		if code == "" {
			code = unvotesNoCode[r.get("country")]
		}
		c, err := events.ParseCountry(code)
		if err != nil || c.String() != strings.ToUpper(code) {
			bad(voteRows.file, r.line, "country_code", "%q (%s) is not a country stancewatch knows", r.get("country_code"), r.get("country"))
			continue
		}
		v, err := ParseVote(r.get("vote"))
		if err != nil || v == Absent {
			bad(voteRows.file, r.line, "vote", "%q is not a vote: want yes, no or abstain", r.get("vote"))
			continue
		}
		if prev, dup := x.members[c]; dup {
			bad(voteRows.file, r.line, "country_code", "%s already voted in roll call %d (line %d)", c, rcid, prev)
			continue
		}
		x.members[c] = r.line
		switch v {
		case Yes:
			x.yes++
		case No:
			x.no++
		case Abstain:
			x.abstain++
		}
		x.rc.Votes = append(x.rc.Votes, MemberVote{Actor: c, Vote: v})
	}

	// Which roll call of a symbol is the vote on the whole text: the one
	// the record says is, else the one that is not on a part, else the
	// last; the others are parts of it.
	bySymbol := map[events.MotionID][]*rec{}
	for _, x := range order {
		if !x.unres.IsZero() {
			bySymbol[x.unres] = append(bySymbol[x.unres], x)
		}
	}
	for _, x := range order {
		m := &x.rc.Motion
		if x.unres.IsZero() {
			m.ID = events.MustMotionID(fmt.Sprintf("unga-rcid-%d", x.rcid))
			m.Outcome = events.OutcomeUnknown
			if m.Kind != events.KindResolution {
				m.Kind = events.KindDraft // nothing says what it is part of
			}
			continue
		}
		if main := wholeOf(bySymbol[x.unres]); main == x && (x.whole || !x.part) {
			m.ID, m.Kind = x.unres, events.KindResolution
			m.Outcome = events.OutcomeAdopted
		} else {
			m.ID = events.MustMotionID(fmt.Sprintf("%s-rcid-%d", slug(x.unres.String(), 40), x.rcid))
			m.Amends, m.Outcome = x.unres, events.OutcomeUnknown
			if m.Kind == events.KindResolution {
				m.Kind = events.KindPart
			}
		}
		url := x.unres.DocumentURL()
		x.rc.Evidence = events.Source{URL: url, Citation: voteCitation(x.rcid)}
		m.Sources = []events.Source{{URL: url, Citation: "UN document " + x.unres.String()}}
	}

	out := make([]RollCall, 0, len(order))
	for _, x := range order {
		m := &x.rc.Motion
		if x.rc.Evidence.Citation == "" {
			x.rc.Evidence = events.Source{URL: UnvotesRecord, Citation: voteCitation(x.rcid)}
		}
		m.Sources = append(m.Sources, events.Source{URL: UnvotesRecord, Citation: UnvotesCitation})
		m.Tally = events.Tally{Yes: ptr(x.yes), No: ptr(x.no), Abstain: ptr(x.abstain)}
		if len(x.rc.Votes) == 0 && !f.MotionsOnly {
			bad(rcRows.file, 0, "rcid", "roll call %d has no votes in %s: skipped", x.rcid, voteRows.file)
			continue
		}
		slices.SortFunc(x.rc.Votes, func(a, b MemberVote) int { return strings.Compare(a.Actor.String(), b.Actor.String()) })
		if _, err := x.rc.Events(); err != nil && !f.MotionsOnly {
			bad(rcRows.file, 0, "rcid", "roll call %d is skipped: %v", x.rcid, err)
			continue
		}
		out = append(out, *x.rc)
	}
	slices.SortStableFunc(errs, func(a, b RowError) int { return strings.Compare(a.File, b.File) })
	return out, errs, nil
}

// voteCitation is a vote's citation: short, because a million votes
// carry it; the motion's sources give the dataset's full citation
// (UnvotesCitation).
func voteCitation(rcid int) string { return fmt.Sprintf("Voeten UNGA voting data, rcid %d", rcid) }

var (
	partRE  = regexp.MustCompile(`\bparagraph|\bamendment|\bseparate vote|\bsection [ivx\d]`)
	amendRE = regexp.MustCompile(`\bamendment`)
	wholeRE = regexp.MustCompile(`\bas a whole\b|draft resolution [a-z0-9/.\- ]{0,20}\bis entitled|\bresolution as a whole`)
)

// unvotesRec is a roll call of the unvotes data while it is read.
type unvotesRec struct {
	rcid             int
	rc               *RollCall
	unres            events.MotionID
	whole, part      bool // the record says the vote is on the text as a whole / on a part of it
	members          map[events.Country]int
	yes, no, abstain int
}

// wholeOf picks the vote on the whole text among the roll calls on one
// symbol: the one the record says is, else the last (by date, then roll
// call) that is not said to be on a part. When every one is on a part (an
// amendment alone), none is the vote on the text, and none takes its
// symbol.
func wholeOf(xs []*unvotesRec) *unvotesRec {
	var best *unvotesRec
	rank := func(x *unvotesRec) int {
		switch {
		case x.whole:
			return 2
		case !x.part:
			return 1
		}
		return 0
	}
	for _, x := range xs {
		if best == nil || rank(x) > rank(best) ||
			rank(x) == rank(best) && (best.rc.Motion.Date.Before(x.rc.Motion.Date) || x.rc.Motion.Date == best.rc.Motion.Date && x.rcid > best.rcid) {
			best = x
		}
	}
	return best
}

// titleOf makes a readable title of the data's short title (an upper-case
// subject heading) and description: the description's title when it is
// a library record ("Territorial integrity of Ukraine : resolution /
// adopted by the General Assembly"), else the heading.
func titleOf(short, descr string) string {
	if i := strings.Index(descr, " : "); i > 0 && strings.Contains(strings.ToLower(descr[i:]), "resolution") {
		return titleOf(descr[:i], "")
	}
	t := strings.TrimSpace(short)
	if t == "" || strings.ToUpper(t) == t {
		if t != "" {
			t = sentenceCase(t)
		}
	}
	if t == "" {
		t = strings.TrimSpace(descr)
	}
	if len(t) > 300 {
		cut := strings.LastIndex(t[:300], " ")
		if cut < 100 {
			cut = 300
		}
		t = strings.TrimSpace(t[:cut]) + "…"
	}
	return strings.ToValidUTF8(t, "")
}

// sentenceCase lowers an upper-case title but its first letter.
func sentenceCase(s string) string {
	l := strings.ToLower(s)
	for i, r := range l {
		return strings.ToUpper(string(r)) + l[i+len(string(r)):]
	}
	return l
}

func ptr[T any](v T) *T { return &v }

// csvTable is a read CSV file: its rows by column name.
type csvTable struct {
	file string
	rows []csvRow
}

type csvRow struct {
	line int
	col  map[string]int
	rec  []string
}

func (r csvRow) get(c string) string {
	if i, ok := r.col[c]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

// readCSV reads a whole CSV file, gunzipping it when it is gzipped, and
// checks that it has the required columns. Rows that cannot be parsed
// are an error of the file: these are published tables, not user input
// one fixes row by row.
func readCSV(r io.Reader, name string, required []string) (csvTable, error) {
	t := csvTable{file: name}
	if r == nil {
		return t, fmt.Errorf("%s: no file", name)
	}
	br := bufio.NewReader(r)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return t, fmt.Errorf("%s: %v", name, err)
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return t, fmt.Errorf("%s: cannot read the header: %v", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			return t, fmt.Errorf("%s: no %q column (have %s)", name, c, strings.Join(header, ", "))
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return t, fmt.Errorf("%s: %v", name, err)
		}
		line, _ := cr.FieldPos(0)
		t.rows = append(t.rows, csvRow{line: line, col: col, rec: rec})
	}
	return t, nil
}

// TopicIndex maps motion ids to the topics a record files them under:
// the first, and the others.
type TopicIndex map[events.MotionID][]events.Topic

// Topics implements UNDLOptions.Topics.
func (ix TopicIndex) Topics(id events.MotionID) (events.Topic, []events.Topic, bool) {
	ts, ok := ix[id]
	if !ok || len(ts) == 0 {
		return events.Topic{}, nil, false
	}
	return ts[0], ts[1:], true
}

// UnvotesTopicIndex reads the topics of the unvotes record's motions
// (f.MotionsOnly is implied).
func UnvotesTopicIndex(f UnvotesFiles) (TopicIndex, error) {
	f.MotionsOnly = true
	rcs, _, err := ReadUnvotes(f)
	if err != nil {
		return nil, err
	}
	ix := TopicIndex{}
	for _, rc := range rcs {
		ix[rc.Motion.ID] = append([]events.Topic{rc.Motion.Topic}, rc.AlsoTopics...)
	}
	return ix, nil
}

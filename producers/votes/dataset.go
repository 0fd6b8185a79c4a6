package votes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// DatasetFormat names stancewatch's own roll-call format.
const DatasetFormat = "stancewatch.rollcalls/1"

// DatasetSource is the CloudEvents source of events read from a dataset.
const DatasetSource = "stancewatch/votes/dataset"

// Dataset is stancewatch's own roll-call format: one entry per vote, with
// the motion, every member's vote where a source confirms it (null where
// none does), and the sources.
type Dataset struct {
	Format      string                      `json:"format"`
	Title       string                      `json:"title"`
	Description string                      `json:"description"`
	DerivedFrom string                      `json:"derived_from,omitempty"`
	Body        string                      `json:"body"`
	Members     map[string][]string         `json:"members,omitempty"` // year -> members of the body
	Sources     map[string]DatasetSourceRef `json:"sources"`
	RollCalls   []DatasetRollCall           `json:"rollcalls"`
}

// DatasetSourceRef is a source: where it is and what it is.
type DatasetSourceRef struct {
	URL  string `json:"url,omitempty"`
	Note string `json:"note,omitempty"`
}

// DatasetRollCall is one vote in a Dataset.
type DatasetRollCall struct {
	Key           string             `json:"key"`
	Motion        string             `json:"motion"`
	Aliases       []string           `json:"aliases,omitempty"`
	Kind          string             `json:"kind"`
	Date          string             `json:"date"`
	Topic         string             `json:"topic"`
	Title         string             `json:"title"`
	Penholders    []string           `json:"penholders,omitempty"`
	PenholderNote string             `json:"penholder_note,omitempty"`
	Outcome       string             `json:"outcome"`
	OutcomeReason string             `json:"outcome_reason,omitempty"`
	Tally         events.Tally       `json:"tally"`
	VetoedBy      []string           `json:"vetoed_by"`
	Amends        string             `json:"amends,omitempty"`
	Meeting       string             `json:"meeting,omitempty"`
	Votes         map[string]*string `json:"votes"` // member -> yes/no/abstain/absent, null when no source confirms it
	VotesBasis    string             `json:"votes_basis,omitempty"`
	Sources       []string           `json:"sources"`
	Notes         string             `json:"notes,omitempty"`
}

// ReadDataset reads a dataset file. A roll call that is inconsistent (an
// unknown member, a vote that is not a vote, vetoes that do not follow
// from the votes) is reported and skipped; the others still count.
func ReadDataset(r io.Reader, file string) ([]RollCall, []RowError, error) {
	var ds Dataset
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ds); err != nil {
		return nil, nil, fmt.Errorf("%s: not a %s dataset: %v", file, DatasetFormat, err)
	}
	if ds.Format != DatasetFormat {
		return nil, nil, fmt.Errorf("%s: format %q, want %q", file, ds.Format, DatasetFormat)
	}
	var out []RollCall
	var errs []RowError
	for i, d := range ds.RollCalls {
		rc, err := d.rollCall(ds, file)
		if err == nil {
			_, err = rc.Events()
		}
		if err != nil {
			errs = append(errs, RowError{File: file, Line: i + 1, Column: "rollcalls[" + d.Key + "]", Message: err.Error()})
			continue
		}
		out = append(out, rc)
	}
	return out, errs, nil
}

func (d DatasetRollCall) rollCall(ds Dataset, file string) (RollCall, error) {
	var errs []string
	fail := func(field string, err error) {
		if err != nil {
			errs = append(errs, field+": "+err.Error())
		}
	}
	var err error
	var m events.Motion
	m.Body, m.Title, m.PenholderNote, m.Tally, m.Meeting = ds.Body, d.Title, d.PenholderNote, d.Tally, d.Meeting
	m.ID, err = events.ParseMotionID(d.Motion)
	fail("motion", err)
	for _, a := range d.Aliases {
		id, err := events.ParseMotionID(a)
		fail("aliases", err)
		m.Aliases = append(m.Aliases, id)
	}
	m.Kind, err = events.ParseMotionKind(d.Kind)
	fail("kind", err)
	m.Date, err = events.ParseDate(d.Date)
	fail("date", err)
	m.Topic, err = events.ParseTopic(d.Topic)
	fail("topic", err)
	m.Outcome, err = events.ParseOutcome(d.Outcome)
	fail("outcome", err)
	for _, p := range d.Penholders {
		c, err := events.ParseCountry(p)
		fail("penholders", err)
		m.Penholders = append(m.Penholders, c)
	}
	for _, v := range d.VetoedBy {
		c, err := events.ParseCountry(v)
		fail("vetoed_by", err)
		m.VetoedBy = append(m.VetoedBy, c)
	}
	if d.Amends != "" {
		m.Amends, err = events.ParseMotionID(d.Amends)
		fail("amends", err)
	}
	// The evidence of each vote is the first UN record among the sources,
	// else the first source with an address.
	var evidence events.Source
	rank := 3
	for _, k := range d.Sources {
		ref, ok := ds.Sources[k]
		if !ok {
			errs = append(errs, fmt.Sprintf("sources: %q is not in the dataset's sources", k))
			continue
		}
		src := events.Source{URL: ref.URL, Citation: ref.Note}
		r := 2
		switch {
		case src.URL == "":
		case strings.HasPrefix(k, "UN"):
			r = 0
		default:
			r = 1
		}
		m.Sources = append(m.Sources, src)
		if r < rank {
			evidence, rank = src, r
		}
	}
	rc := RollCall{Motion: m, Source: DatasetSource, Evidence: evidence, Document: file + "#" + d.Key}
	members := make([]string, 0, len(d.Votes))
	for k := range d.Votes {
		members = append(members, k)
	}
	slices.Sort(members)
	for _, k := range members {
		c, err := events.ParseCountry(k)
		if err != nil {
			fail("votes."+k, err)
			continue
		}
		if d.Votes[k] == nil {
			continue // no source confirms this member's vote
		}
		v, err := ParseVote(*d.Votes[k])
		if err != nil {
			fail("votes."+k, err)
			continue
		}
		rc.Votes = append(rc.Votes, MemberVote{Actor: c, Vote: v})
	}
	if len(errs) == 0 {
		got, want := stringsOf(rc.Vetoes()), stringsOf(m.VetoedBy)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			errs = append(errs, fmt.Sprintf("vetoed_by: says %v, but the votes make %v vetoes (a permanent member's no on a text with at least %d yes votes)", want, got, VotesToAdopt))
		}
	}
	if len(errs) > 0 {
		return RollCall{}, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return rc, nil
}

func stringsOf(cs []events.Country) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// The compiled table in shared/data, as far as the builder reads it.
type sharedTable struct {
	Meta struct {
		Members map[string][]string `json:"members"`
	} `json:"meta"`
	Sources map[string]string `json:"sources"`
	Votes   []struct {
		ID               string  `json:"id"`
		Date             string  `json:"date"`
		Meeting          *string `json:"meeting"`
		Item             string  `json:"item"`
		DocumentSymbol   *string `json:"document_symbol"`
		ResolutionNumber *int    `json:"resolution_number"`
		Penholder        struct {
			Name string  `json:"name"`
			ISO2 *string `json:"iso2"`
		} `json:"penholder"`
		Topic         string             `json:"topic"`
		Outcome       string             `json:"outcome"`
		OutcomeReason string             `json:"outcome_reason"`
		Tally         events.Tally       `json:"tally"`
		Votes         map[string]*string `json:"votes"`
		VetoedBy      []string           `json:"vetoed_by"`
		VotesBasis    string             `json:"votes_basis"`
		Sources       []string           `json:"sources"`
		Notes         *string            `json:"notes"`
	} `json:"votes"`
}

var (
	sourceRE   = regexp.MustCompile(`^(https?://)?([a-z0-9.-]+\.[a-z]{2,}/\S*)(?:\s+\((.*)\))?$`)
	resSuffix  = regexp.MustCompile(`-(\d{4})$`)
	membership = regexp.MustCompile(`(?i)membership`)
)

// The topics of the bundled dataset. Every text is about the war in Gaza;
// votes on amendments are about wording, not about the text, so they have
// a topic of their own and do not move an actor's stance on the texts.
const (
	TopicGazaCeasefire = "gaza-ceasefire"
	TopicAmendments    = "gaza-ceasefire-amendments"
	TopicMembership    = "palestine-un-membership"
)

// BuildDataset converts the compiled table of Security Council votes on
// Gaza (shared/data/unsc_gaza_votes.json) into the dataset format. It
// keeps every source and every null: a vote no source confirmed stays
// unknown. The May 2021 episodes, which were not roll calls, are left out.
func BuildDataset(shared []byte, derivedFrom string) ([]byte, error) {
	var t sharedTable
	if err := json.Unmarshal(shared, &t); err != nil {
		return nil, fmt.Errorf("reading the compiled table: %v", err)
	}
	ds := Dataset{
		Format: DatasetFormat,
		Title:  "UN Security Council votes on Gaza texts, October 2023 to November 2024",
		Description: "Every Security Council roll call on Israel/Gaza texts from October 2023 to November 2024: drafts, " +
			"resolutions 2712, 2720, 2728 and 2735, amendments, and the April 2024 Palestine membership draft. A vote " +
			"that no source confirmed is null. A permanent member's no on a text with at least nine yes votes is a veto. " +
			"Topics: " + TopicGazaCeasefire + " for the texts, " + TopicAmendments + " for amendments, " + TopicMembership +
			" for the membership draft. The May 2021 episodes of the compiled table were not roll calls and are not here.",
		DerivedFrom: derivedFrom,
		Body:        "UNSC",
		Members:     t.Meta.Members,
		Sources:     map[string]DatasetSourceRef{},
	}
	for k, v := range t.Sources {
		if m := sourceRE.FindStringSubmatch(v); m != nil {
			// An address with its scheme as written, or https when the
			// table leaves it out.
			scheme := m[1]
			if scheme == "" {
				scheme = "https://"
			}
			ds.Sources[k] = DatasetSourceRef{URL: scheme + m[2], Note: m[3]}
		} else {
			ds.Sources[k] = DatasetSourceRef{Note: v}
		}
	}
	idOf := map[string]string{} // table id -> motion id
	for _, v := range t.Votes {
		switch {
		case v.DocumentSymbol != nil:
			idOf[v.ID] = *v.DocumentSymbol
		case v.ResolutionNumber != nil:
			idOf[v.ID] = fmt.Sprintf("S/RES/%d", *v.ResolutionNumber)
		default:
			idOf[v.ID] = strings.ToLower(v.ID)
		}
	}
	for _, v := range t.Votes {
		d := DatasetRollCall{
			Key: v.ID, Motion: idOf[v.ID], Date: v.Date, Title: v.Topic, Outcome: v.Outcome, OutcomeReason: v.OutcomeReason,
			Tally: v.Tally, VetoedBy: v.VetoedBy, Votes: v.Votes, VotesBasis: v.VotesBasis, Sources: v.Sources,
			Kind: string(events.KindDraft), Topic: TopicGazaCeasefire,
		}
		if d.VetoedBy == nil {
			d.VetoedBy = []string{}
		}
		if v.Meeting != nil {
			d.Meeting = *v.Meeting
		}
		if v.Notes != nil {
			d.Notes = *v.Notes
		}
		if v.Penholder.ISO2 != nil {
			d.Penholders = []string{*v.Penholder.ISO2}
		} else {
			d.PenholderNote = v.Penholder.Name
		}
		if v.DocumentSymbol != nil && v.ResolutionNumber != nil {
			d.Aliases = []string{fmt.Sprintf("S/RES/%d", *v.ResolutionNumber)}
		}
		switch {
		case strings.Contains(strings.ToLower(v.Item), "amendment"):
			d.Kind, d.Topic = string(events.KindAmendment), TopicAmendments
			if m := resSuffix.FindStringSubmatch(v.ID); m != nil {
				d.Amends = "S/RES/" + m[1]
			} else {
				// The text amended is the draft voted the same day.
				for _, o := range t.Votes {
					if o.Date == v.Date && !strings.Contains(strings.ToLower(o.Item), "amendment") {
						d.Amends = idOf[o.ID]
					}
				}
			}
		case v.ResolutionNumber != nil:
			d.Kind = string(events.KindResolution)
		}
		if membership.MatchString(v.Topic) {
			d.Topic = TopicMembership
		}
		ds.RollCalls = append(ds.RollCalls, d)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ds); err != nil {
		return nil, err
	}
	// The built dataset must read back cleanly.
	if _, errs, err := ReadDataset(bytes.NewReader(buf.Bytes()), "built"); err != nil || len(errs) > 0 {
		return nil, fmt.Errorf("the built dataset does not read back: %v %v", err, errs)
	}
	return buf.Bytes(), nil
}

// Package votes turns roll-call vote records into events: the UN Digital
// Library's "Security Council voting data" CSV and stancewatch's own
// roll-call dataset format. One roll call becomes one motion event and one
// position per member whose vote is known.
package votes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// PermanentMembers are the five permanent members of the Security Council,
// whose "no" on a text with enough votes is a veto.
var PermanentMembers = []events.Country{
	events.MustCountry("CN"), events.MustCountry("FR"), events.MustCountry("GB"), events.MustCountry("RU"), events.MustCountry("US"),
}

// VotesToAdopt is how many "yes" votes a Security Council text needs.
const VotesToAdopt = 9

// Vote is a member's vote in a roll call.
type Vote string

// Votes as roll calls record them.
const (
	Yes     Vote = "yes"
	No      Vote = "no"
	Abstain Vote = "abstain"
	Absent  Vote = "absent" // non-voting: absent or not participating
)

// ParseVote accepts yes/no/abstain/absent and the UNDL codes Y/N/A/X.
func ParseVote(s string) (Vote, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y":
		return Yes, nil
	case "no", "n":
		return No, nil
	case "abstain", "a", "abstention":
		return Abstain, nil
	case "absent", "x", "non-voting":
		return Absent, nil
	}
	return "", fmt.Errorf("%q is not a vote: want Y, N, A or X (yes, no, abstain, absent)", s)
}

// MemberVote is one member's vote.
type MemberVote struct {
	Actor events.Country
	Vote  Vote
}

// RollCall is one vote on one motion.
type RollCall struct {
	Motion   events.Motion
	Votes    []MemberVote
	Source   string        // CloudEvents source of the producer ("stancewatch/votes/undl")
	Evidence events.Source // where the record is
	Document string        // the file (and key) it was read from
	// AlsoTopics are topics other than Motion.Topic whose histories the
	// roll call counts in (a General Assembly vote coded under several
	// issues): each vote is filed once per topic.
	AlsoTopics []events.Topic
	// Unquoted leaves the evidence's quote empty: the record itself is the
	// evidence, and the sentence a reader sees ("Russia voted no on
	// A/RES/68/262") is derived from the vote and its motion when read,
	// instead of being stored with every one of a large record's votes.
	Unquoted bool
}

// Bodies whose votes stancewatch reads.
const (
	BodySecurityCouncil = "UNSC"
	BodyGeneralAssembly = "UNGA"
)

// IsPermanent reports whether c is a permanent member of the Council.
func IsPermanent(c events.Country) bool { return slices.Contains(PermanentMembers, c) }

// yesVotes is the number of yes votes: the tally's when known, else the
// count of known yes votes.
func (rc RollCall) yesVotes() int {
	if rc.Motion.Tally.Yes != nil {
		return *rc.Motion.Tally.Yes
	}
	n := 0
	for _, v := range rc.Votes {
		if v.Vote == Yes {
			n++
		}
	}
	return n
}

// Stance maps a member's vote to a stance. In the Security Council, a
// permanent member's "no" on a text that had at least nine "yes" votes is
// a veto, and so is the "no" of a member the record names as vetoing
// (a veto list that does not give the tally). Elsewhere a no is a no.
func (rc RollCall) Stance(v MemberVote) events.Stance {
	switch v.Vote {
	case Yes:
		return events.VoteYes
	case Abstain:
		return events.Abstain
	case Absent:
		return events.Absent
	}
	if rc.Motion.Body != BodySecurityCouncil {
		return events.VoteNo
	}
	if rc.Motion.Tally.Yes == nil && slices.Contains(rc.Motion.VetoedBy, v.Actor) || IsPermanent(v.Actor) && rc.yesVotes() >= VotesToAdopt {
		return events.Veto
	}
	return events.VoteNo
}

// Vetoes lists the members whose vote counts as a veto.
func (rc RollCall) Vetoes() []events.Country {
	var out []events.Country
	for _, v := range rc.Votes {
		if rc.Stance(v) == events.Veto {
			out = append(out, v.Actor)
		}
	}
	return out
}

var voteWords = map[events.Stance]string{
	events.VoteYes: "voted yes", events.VoteNo: "voted no", events.Veto: "voted no (a veto)",
	events.Abstain: "abstained", events.Absent: "did not vote",
}

func (rc RollCall) quote(v MemberVote, st events.Stance) string {
	m := rc.Motion
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s on %s", v.Actor.Name(), voteWords[st], m.ID)
	if m.Title != "" {
		fmt.Fprintf(&b, " (%s)", m.Title)
	}
	fmt.Fprintf(&b, ", %s, %s", m.Date, m.Outcome)
	if !m.Tally.IsZero() {
		fmt.Fprintf(&b, " %s", m.Tally)
	}
	return b.String()
}

// EventCount is how many events Events makes: the motion, and each vote
// once per topic it is filed under.
func (rc RollCall) EventCount() int { return 1 + len(rc.Votes)*(1+len(rc.AlsoTopics)) }

// Events returns the roll call as events: the motion first, then one
// position per known vote in the order of Votes. They belong together: the
// store publishes them as one atomic batch.
//
// Ids are derived from what identifies each observation, not from how it
// is worded or encoded or which file it came in: a vote's id from the
// body, the motion and the member (and the topic, for the filings under
// AlsoTopics); a motion's from its producer and what it states. So the
// same vote read again, from any file, in any schema version, from the
// Digital Library's CSV or from a dataset, is one event; a source that
// records another vote for it (or files it under another topic) states
// something else under the same id, which the store refuses as a
// conflict, naming what differs. A motion whose record changes (a
// corrected title, tally or outcome) is a new motion event: the latest
// describes the motion.
func (rc RollCall) Events() ([]events.Event, error) {
	out := make([]events.Event, 0, rc.EventCount())
	add := func(id uuid.UUID, d events.Data) error {
		ev := events.Event{ID: id, Source: rc.Source, SchemaVersion: events.CurrentSchemaVersion, Data: d}
		if err := ev.Validate(); err != nil {
			return err
		}
		out = append(out, ev)
		return nil
	}
	m := rc.Motion
	motionKey := []string{rc.Source, "motion", m.ID.String(), string(m.Kind), m.Date.String(), string(m.Outcome), m.Tally.String(),
		strings.Join(stringsOf(m.VetoedBy), ","), strings.Join(stringsOf(m.Penholders), ","), m.Amends.String(), m.Title, m.Session}
	if err := add(events.DeterministicID(motionKey...), m); err != nil {
		return nil, fmt.Errorf("motion %s: %w", m.ID, err)
	}
	topics := append([]events.Topic{m.Topic}, rc.AlsoTopics...)
	for _, v := range rc.Votes {
		st := rc.Stance(v)
		ev := events.Evidence{URL: rc.Evidence.URL, Citation: rc.Evidence.Citation, Document: rc.Document,
			Producer: events.ProducerRollCall, Confidence: 1}
		if !rc.Unquoted {
			ev.Quote = rc.quote(v, st)
		}
		for i, topic := range topics {
			p := events.Position{Actor: v.Actor, Topic: topic, Stance: st, Motion: m.ID, Occurred: events.OnDay(m.Date), Evidence: ev}
			key := []string{"vote", m.Body, m.ID.String(), v.Actor.String()}
			if i > 0 {
				key = append(key, "filed under", topic.String())
			}
			if err := add(events.DeterministicID(key...), p); err != nil {
				return nil, fmt.Errorf("vote of %s on %s: %w", v.Actor, m.ID, err)
			}
		}
	}
	return out, nil
}

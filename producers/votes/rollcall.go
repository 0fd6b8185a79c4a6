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
}

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

// Stance maps a member's vote to a stance. A permanent member's "no" on a
// text that had at least nine "yes" votes is a veto.
func (rc RollCall) Stance(v MemberVote) events.Stance {
	switch v.Vote {
	case Yes:
		return events.VoteYes
	case Abstain:
		return events.Abstain
	case Absent:
		return events.Absent
	}
	if IsPermanent(v.Actor) && rc.yesVotes() >= VotesToAdopt {
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

// Events returns the roll call as events: the motion first, then one
// position per known vote in the order of Votes. They belong together: the
// store publishes them as one atomic batch.
//
// Ids are derived from what identifies each observation — the producer,
// the motion and, for a vote, the member, its stance and the day — not
// from how it is worded or encoded, so reading the same record again adds
// nothing, in any schema version, from any file name. A vote that changes
// in the record is a new observation (and a conflict with the old one).
func (rc RollCall) Events() ([]events.Event, error) {
	out := make([]events.Event, 0, 1+len(rc.Votes))
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
		strings.Join(stringsOf(m.VetoedBy), ","), strings.Join(stringsOf(m.Penholders), ","), m.Amends.String(), m.Title}
	if err := add(events.DeterministicID(motionKey...), m); err != nil {
		return nil, fmt.Errorf("motion %s: %w", m.ID, err)
	}
	for _, v := range rc.Votes {
		st := rc.Stance(v)
		p := events.Position{
			Actor: v.Actor, Topic: m.Topic, Stance: st, Motion: m.ID,
			Occurred: events.OnDay(m.Date),
			Evidence: events.Evidence{Quote: rc.quote(v, st), URL: rc.Evidence.URL, Citation: rc.Evidence.Citation, Document: rc.Document,
				Producer: events.ProducerRollCall, Confidence: 1},
		}
		id := events.DeterministicID(rc.Source, "vote", m.ID.String(), v.Actor.String(), st.String(), m.Date.String())
		if err := add(id, p); err != nil {
			return nil, fmt.Errorf("vote of %s on %s: %w", v.Actor, m.ID, err)
		}
	}
	return out, nil
}

package events

import (
	"fmt"
	"strings"
)

// Stance is an actor's position on a topic or motion. The zero Stance is
// "no stance" (used only where a stance is optional); every other value is
// one of the stances declared below.
type Stance struct{ v uint8 }

// The stances, in their order on the scale from most against to most for.
var (
	Veto        = Stance{1} // voted no as a permanent member, blocking adoption
	VoteNo      = Stance{2} // voted against
	Oppose      = Stance{3} // declared opposition without a vote
	Abstain     = Stance{4} // abstained in a vote
	Absent      = Stance{5} // did not take part in a vote
	Conditional = Stance{6} // support with stated conditions
	Support     = Stance{7} // declared support without a vote
	VoteYes     = Stance{8} // voted in favour
	Sponsor     = Stance{9} // drafted, put forward or co-sponsored
)

var stanceNames = [...]string{"", "veto", "vote_no", "oppose", "abstain", "absent", "conditional", "support", "vote_yes", "sponsor"}

// stanceLean places each stance on one scale from most against (-4) to
// most for (+4). Abstaining and being absent are both neutral.
var stanceLean = [...]int8{0, -4, -3, -2, 0, 0, 1, 2, 3, 4}

var stanceSynonyms = map[string]Stance{
	"yes": VoteYes, "y": VoteYes, "in_favour": VoteYes, "in_favor": VoteYes, "for": VoteYes, "voted_yes": VoteYes,
	"no": VoteNo, "n": VoteNo, "against": VoteNo, "voted_no": VoteNo,
	"abstention": Abstain, "a": Abstain, "abstained": Abstain,
	"x": Absent, "non_voting": Absent, "not_voting": Absent, "not_participating": Absent,
	"vetoed": Veto, "sponsored": Sponsor, "penholder": Sponsor, "drafted": Sponsor,
	"supports": Support, "opposes": Oppose, "opposed": Oppose, "supported": Support,
}

// Stances returns every stance, ordered from most against to most for.
func Stances() []Stance {
	return []Stance{Veto, VoteNo, Oppose, Abstain, Absent, Conditional, Support, VoteYes, Sponsor}
}

// stanceFolds makes separators underscores; a Replacer is immutable and
// safe for concurrent use.
var stanceFolds = strings.NewReplacer("-", "_", " ", "_")

// ParseStance accepts a stance name ("vote_no", "vote-no", "Vote No") or a
// vote code or synonym ("N", "no", "against", "abstention", "X").
func ParseStance(s string) (Stance, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = stanceFolds.Replace(k)
	for i, n := range stanceNames {
		if i > 0 && n == k {
			return Stance{uint8(i)}, nil
		}
	}
	if st, ok := stanceSynonyms[k]; ok {
		return st, nil
	}
	if k == "" {
		return Stance{}, fmt.Errorf("is empty: want one of %s", strings.Join(stanceNames[1:], ", "))
	}
	return Stance{}, fmt.Errorf("%q is not a stance: want one of %s", s, strings.Join(stanceNames[1:], ", "))
}

// MustStance is ParseStance for constants; it panics on a bad name.
func MustStance(s string) Stance {
	st, err := ParseStance(s)
	if err != nil {
		panic(err)
	}
	return st
}

// String returns the stance's canonical name, or "" for the zero Stance.
func (s Stance) String() string { return stanceNames[s.v] }

// IsZero reports whether s is the zero Stance.
func (s Stance) IsZero() bool { return s.v == 0 }

// Lean is the stance's place on the scale: negative against, positive for.
func (s Stance) Lean() int { return int(stanceLean[s.v]) }

// Rank orders stances along the scale (1 = veto … 9 = sponsor); it breaks
// the ties that Lean leaves (abstain before absent).
func (s Stance) Rank() int { return int(s.v) }

// IsVote reports whether the stance is a vote in a roll call.
func (s Stance) IsVote() bool {
	switch s {
	case Veto, VoteNo, Abstain, Absent, VoteYes:
		return true
	}
	return false
}

// MarshalText encodes the canonical name.
func (s Stance) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText accepts anything ParseStance accepts.
func (s *Stance) UnmarshalText(b []byte) error {
	v, err := ParseStance(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Direction says which way a shift moved along the stance scale.
type Direction string

// Directions of a shift.
const (
	TowardFor     Direction = "toward_for"
	TowardAgainst Direction = "toward_against"
	Level         Direction = "level" // e.g. abstain -> absent
)

// DirectionOf returns the direction of a move from one stance to another.
func DirectionOf(from, to Stance) Direction {
	switch d := to.Lean() - from.Lean(); {
	case d > 0:
		return TowardFor
	case d < 0:
		return TowardAgainst
	}
	return Level
}

// StanceFromRank is the inverse of Rank; rank 0 is the zero Stance.
func StanceFromRank(r int) (Stance, bool) {
	if r < 0 || r >= len(stanceNames) {
		return Stance{}, false
	}
	return Stance{uint8(r)}, true
}

package events

import (
	"fmt"
	"regexp"
	"strings"
)

// MotionID names a draft, resolution, amendment or statement. Its
// canonical forms are
//
//   - S/RES/2728 for a Security Council resolution (input may say 2728,
//     "resolution 2728" or S/RES/2728(2024): resolution numbers are unique
//     across years, so the year is dropped);
//   - a UN document symbol in upper case, such as S/2024/239;
//   - a local lowercase slug, such as 2023-10-16-ru-draft, for texts that
//     never received a symbol.
//
// The zero MotionID is "no motion".
type MotionID struct{ id string }

// MaxMotionIDLen is the longest motion id accepted.
const MaxMotionIDLen = 64

var (
	resNumberRE = regexp.MustCompile(`(?i)^(?:s/res/|res(?:olution)?\.?\s*(?:no\.?\s*)?)?(\d{1,5})\s*(?:\((\d{4})\))?$`)
	symbolRE    = regexp.MustCompile(`^[A-Z]{1,10}(?:/[A-Z0-9][A-Z0-9.\-]*)+$`)
	localIDRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// ParseMotionID parses and canonicalises a motion reference.
func ParseMotionID(s string) (MotionID, error) {
	k := strings.TrimSpace(s)
	switch {
	case k == "":
		return MotionID{}, fmt.Errorf("is empty: want a symbol such as S/2024/239 or a resolution number such as 2728")
	case len(k) > MaxMotionIDLen:
		return MotionID{}, fmt.Errorf("is %d bytes long: at most %d", len(k), MaxMotionIDLen)
	}
	if m := resNumberRE.FindStringSubmatch(k); m != nil {
		n := strings.TrimLeft(m[1], "0")
		if n == "" {
			return MotionID{}, fmt.Errorf("%q is not a resolution number", s)
		}
		return MotionID{"S/RES/" + n}, nil
	}
	if u := strings.ToUpper(k); strings.Contains(u, "/") && symbolRE.MatchString(u) {
		return MotionID{u}, nil
	}
	if l := strings.ToLower(k); localIDRE.MatchString(l) {
		return MotionID{l}, nil
	}
	return MotionID{}, fmt.Errorf("%q is not a motion: want a UN symbol (S/2024/239), a resolution number (2728) or a lowercase slug", s)
}

// MustMotionID is ParseMotionID for constants.
func MustMotionID(s string) MotionID {
	m, err := ParseMotionID(s)
	if err != nil {
		panic(err)
	}
	return m
}

// String returns the canonical id.
func (m MotionID) String() string { return m.id }

// IsZero reports whether m is the zero MotionID.
func (m MotionID) IsZero() bool { return m.id == "" }

// MarshalText encodes the canonical id.
func (m MotionID) MarshalText() ([]byte, error) { return []byte(m.id), nil }

// UnmarshalText accepts anything ParseMotionID accepts.
func (m *MotionID) UnmarshalText(b []byte) error {
	v, err := ParseMotionID(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// MotionKind says what sort of text a motion is.
type MotionKind string

// Kinds of motion.
const (
	KindDraft      MotionKind = "draft"      // a draft resolution put to a vote
	KindResolution MotionKind = "resolution" // an adopted resolution
	KindAmendment  MotionKind = "amendment"  // an amendment to a draft
	KindStatement  MotionKind = "statement"  // a presidential or press statement
)

// ParseMotionKind accepts one of the kinds above.
func ParseMotionKind(s string) (MotionKind, error) {
	switch k := MotionKind(strings.ToLower(strings.TrimSpace(s))); k {
	case KindDraft, KindResolution, KindAmendment, KindStatement:
		return k, nil
	}
	return "", fmt.Errorf("%q is not a motion kind: want draft, resolution, amendment or statement", s)
}

// Outcome is what became of a motion.
type Outcome string

// Outcomes of a motion.
const (
	OutcomePending   Outcome = "pending"   // not (yet) put to a vote
	OutcomeAdopted   Outcome = "adopted"   // passed
	OutcomeFailed    Outcome = "failed"    // fewer than the votes needed
	OutcomeVetoed    Outcome = "vetoed"    // enough votes, blocked by a permanent member
	OutcomeWithdrawn Outcome = "withdrawn" // withdrawn before a vote
)

// ParseOutcome accepts one of the outcomes above.
func ParseOutcome(s string) (Outcome, error) {
	switch o := Outcome(strings.ToLower(strings.TrimSpace(s))); o {
	case OutcomePending, OutcomeAdopted, OutcomeFailed, OutcomeVetoed, OutcomeWithdrawn:
		return o, nil
	}
	return "", fmt.Errorf("%q is not an outcome: want pending, adopted, failed, vetoed or withdrawn", s)
}

// Tally counts the votes on a motion. A nil count is unknown.
type Tally struct {
	Yes     *int `json:"yes"`
	No      *int `json:"no"`
	Abstain *int `json:"abstain"`
	Absent  *int `json:"absent,omitempty"`
}

// String renders the tally as yes-no-abstain, "?" for unknown counts.
func (t Tally) String() string {
	f := func(p *int) string {
		if p == nil {
			return "?"
		}
		return fmt.Sprint(*p)
	}
	return f(t.Yes) + "-" + f(t.No) + "-" + f(t.Abstain)
}

// IsZero reports whether no count is known.
func (t Tally) IsZero() bool {
	return t.Yes == nil && t.No == nil && t.Abstain == nil && t.Absent == nil
}

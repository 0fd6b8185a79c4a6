package events

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// MotionID names a draft, resolution, amendment or statement. Its
// canonical forms are
//
//   - S/RES/2728 for a Security Council resolution (input may say 2728,
//     "resolution 2728" or S/RES/2728(2024): resolution numbers are unique
//     across years, so the year is dropped);
//   - a UN document symbol in upper case, such as S/2024/239;
//   - a General Assembly resolution in its modern form: A/RES/68/262 from
//     session 31 on, A/RES/181(II) before (resolutions were numbered
//     across sessions then), A/RES/ES-10/22 and A/RES/S-2/1 for emergency
//     and special sessions. Input may use the short form of Voeten's
//     data (R/68/262, R/2/181, ESS/10/22, SS/2/1);
//   - a local lowercase slug, such as 2023-10-16-ru-draft, for texts that
//     never received a symbol.
//
// The zero MotionID is "no motion".
type MotionID struct{ id string }

// MaxMotionIDLen is the longest motion id accepted.
const MaxMotionIDLen = 64

var (
	resNumberRE = regexp.MustCompile(`(?i)^(?:s/res/|res(?:olution)?\.?\s*(?:no\.?\s*)?)?(\d{1,5})\s*(?:\((\d{4})\))?$`)
	symbolRE    = regexp.MustCompile(`^[A-Z]{1,10}(?:/[A-Z0-9][A-Z0-9.\-()]*)+$`)
	// gaShortRE is the short form of General Assembly resolution symbols
	// in Voeten's data: R/68/262, ESS/10/22 (emergency special session),
	// SS/2/1 (special session), A/RES/74/7; with a part letter (R/5/377A).
	gaShortRE = regexp.MustCompile(`^(R|ESS|SS|A/RES)/(\d{1,3})/(\d{1,5})([A-Z]{0,2})$`)
	localIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
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
	if m := gaShortRE.FindStringSubmatch(strings.ToUpper(k)); m != nil {
		if id, ok := gaSymbol(m[1], m[2], m[3], m[4]); ok {
			return MotionID{id}, nil
		}
	}
	if u := strings.ToUpper(k); strings.Contains(u, "/") && symbolRE.MatchString(u) {
		return MotionID{u}, nil
	}
	if l := strings.ToLower(k); localIDRE.MatchString(l) {
		return MotionID{l}, nil
	}
	return MotionID{}, fmt.Errorf("%q is not a motion: want a UN symbol (S/2024/239), a resolution number (2728) or a lowercase slug", s)
}

// gaSymbol writes a General Assembly resolution's modern symbol from the
// parts of its short form.
func gaSymbol(kind, session, number, part string) (string, bool) {
	s, _ := strconv.Atoi(session)
	n, _ := strconv.Atoi(number)
	if s < 1 || n < 1 {
		return "", false
	}
	switch kind {
	case "ESS":
		return fmt.Sprintf("A/RES/ES-%d/%d%s", s, n, part), true
	case "SS":
		return fmt.Sprintf("A/RES/S-%d/%d%s", s, n, part), true
	case "R":
		if s <= 30 {
			// Sessions 1 to 30 numbered resolutions across sessions, with
			// the session in Roman numerals: 181 (II), 3379 (XXX).
			return fmt.Sprintf("A/RES/%d(%s)%s", n, roman(s), part), true
		}
	}
	return fmt.Sprintf("A/RES/%d/%d%s", s, n, part), true
}

// roman writes 1..3999 in Roman numerals.
func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// DocumentURL returns the address of the motion's UN document on
// undocs.org ("https://undocs.org/en/A/RES/68/262"), or "" for a local id.
func (m MotionID) DocumentURL() string {
	if !strings.Contains(m.id, "/") {
		return ""
	}
	return "https://undocs.org/en/" + m.id
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
	KindPart       MotionKind = "part"       // a separate vote on a paragraph or part of a text
)

// ParseMotionKind accepts one of the kinds above.
func ParseMotionKind(s string) (MotionKind, error) {
	switch k := MotionKind(strings.ToLower(strings.TrimSpace(s))); k {
	case KindDraft, KindResolution, KindAmendment, KindStatement, KindPart:
		return k, nil
	}
	return "", fmt.Errorf("%q is not a motion kind: want draft, resolution, amendment, part or statement", s)
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
	OutcomeUnknown   Outcome = "unknown"   // voted, but the record does not say with what result
)

// ParseOutcome accepts one of the outcomes above.
func ParseOutcome(s string) (Outcome, error) {
	switch o := Outcome(strings.ToLower(strings.TrimSpace(s))); o {
	case OutcomePending, OutcomeAdopted, OutcomeFailed, OutcomeVetoed, OutcomeWithdrawn, OutcomeUnknown:
		return o, nil
	}
	return "", fmt.Errorf("%q is not an outcome: want pending, adopted, failed, vetoed, withdrawn or unknown", s)
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

package alignment

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// Membership is an actor's membership of a bloc, from one day to another
// (both inclusive; a zero To: still a member).
type Membership struct {
	Actor events.Country `json:"actor"`
	From  events.Date    `json:"from,omitzero"`
	To    events.Date    `json:"to,omitzero"`
}

// In reports whether the membership holds on day d.
func (m Membership) In(d events.Date) bool {
	return (m.From.IsZero() || !d.Before(m.From)) && (m.To.IsZero() || !m.To.Before(d))
}

// Bloc is a group of actors whose membership may change over time.
//
// Its position on a roll call is the majority of the votes its members
// on that day cast (yes, no or abstain): the vote most of them cast.
// A tie between the most common votes (or no member voting) gives the
// bloc no position on that roll call, and the roll call is left out of
// every measure against the bloc (TieRule).
type Bloc struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Source  string       `json:"source,omitempty"` // where the membership comes from
	Note    string       `json:"note,omitempty"`
	Members []Membership `json:"members"`
	// User is true for a bloc a user defined (not shipped).
	User bool `json:"user,omitempty"`
}

// TieRule says what a tie in a bloc's majority does, as answers state it.
const TieRule = "a bloc's position on a roll call is the vote most of its members cast that day; a tie between the most common votes gives it no position, and the roll call is left out"

// MembersOn returns the members on day d.
func (b *Bloc) MembersOn(d events.Date) []events.Country {
	var out []events.Country
	for _, m := range b.Members {
		if m.In(d) && !slices.Contains(out, m.Actor) {
			out = append(out, m.Actor)
		}
	}
	return out
}

// Position returns the bloc's vote on a roll call: its members' majority
// (see Bloc).
func (b *Bloc) Position(t projections.VoteTable, idx map[events.Country]int, rc *projections.RollCallVotes) projections.Vote {
	var counts [4]int
	for _, m := range b.Members {
		if !m.In(rc.Day) {
			continue
		}
		if i, ok := idx[m.Actor]; ok {
			counts[rc.Vote(i)]++
		}
	}
	best, top, tie := projections.NotVoting, 0, false
	for v := projections.VotedYes; v <= projections.Abstained; v++ {
		switch {
		case counts[v] > top:
			best, top, tie = v, counts[v], false
		case counts[v] == top && top > 0:
			tie = true
		}
	}
	if tie {
		return projections.NotVoting
	}
	return best
}

// Validate reports every problem of a bloc, joined.
func (b *Bloc) Validate() error {
	var errs []error
	if !events.ValidBlocID(b.ID) {
		errs = append(errs, fmt.Errorf("id: %q is not a bloc id: want a lowercase slug (a-z, 0-9, -), at most 40 characters", b.ID))
	}
	if len(b.Members) == 0 {
		errs = append(errs, errors.New("members: a bloc needs at least one member"))
	}
	for i, m := range b.Members {
		if m.Actor.IsZero() {
			errs = append(errs, fmt.Errorf("members[%d].actor: missing", i))
		}
		if !m.From.IsZero() && !m.To.IsZero() && m.To.Before(m.From) {
			errs = append(errs, fmt.Errorf("members[%d]: to %s is before from %s", i, m.To, m.From))
		}
	}
	return errors.Join(errs...)
}

// ParseBlocs reads user-defined blocs from JSON: an array of
// {"id", "name", "members": [{"actor": "FR", "from": "1958-01-01"} | "FR"]}.
// A member given as a plain string is a member at all times.
func ParseBlocs(data []byte) ([]Bloc, error) {
	type memberIn struct {
		Actor string `json:"actor"`
		From  string `json:"from"`
		To    string `json:"to"`
	}
	type blocIn struct {
		ID      string            `json:"id"`
		Name    string            `json:"name"`
		Source  string            `json:"source"`
		Note    string            `json:"note"`
		Members []json.RawMessage `json:"members"`
	}
	var in []blocIn
	if err := json.Unmarshal(data, &in); err != nil {
		var one blocIn
		if err1 := json.Unmarshal(data, &one); err1 != nil {
			return nil, fmt.Errorf("blocs: %w", err)
		}
		in = []blocIn{one}
	}
	var out []Bloc
	var errs []error
	for bi, b := range in {
		bl := Bloc{ID: b.ID, Name: cmp.Or(b.Name, b.ID), Source: b.Source, Note: b.Note, User: true}
		for mi, raw := range b.Members {
			var m memberIn
			if err := json.Unmarshal(raw, &m.Actor); err != nil {
				if err := json.Unmarshal(raw, &m); err != nil {
					errs = append(errs, fmt.Errorf("blocs[%d].members[%d]: %w", bi, mi, err))
					continue
				}
			}
			c, err := events.ParseCountry(m.Actor)
			if err != nil {
				errs = append(errs, fmt.Errorf("blocs[%d].members[%d].actor: %w", bi, mi, err))
				continue
			}
			ms := Membership{Actor: c}
			for _, d := range []struct {
				name string
				v    string
				to   *events.Date
			}{{"from", m.From, &ms.From}, {"to", m.To, &ms.To}} {
				if d.v == "" {
					continue
				}
				day, err := events.ParseDate(d.v)
				if err != nil {
					errs = append(errs, fmt.Errorf("blocs[%d].members[%d].%s: %w", bi, mi, d.name, err))
				}
				*d.to = day
			}
			bl.Members = append(bl.Members, ms)
		}
		if err := bl.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("blocs[%d] (%s): %w", bi, b.ID, err))
		}
		out = append(out, bl)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// Blocs is a set of blocs by id: the shipped ones and those users add.
// It is not safe for concurrent mutation; the API guards its own.
type Blocs struct {
	byID map[string]*Bloc
}

// NewBlocs returns the shipped blocs (Shipped) and the given ones, which
// replace shipped blocs of the same id.
func NewBlocs(user ...Bloc) *Blocs {
	b := &Blocs{byID: map[string]*Bloc{}}
	for _, bl := range Shipped() {
		b.Put(bl)
	}
	for _, bl := range user {
		b.Put(bl)
	}
	return b
}

// Put adds or replaces a bloc.
func (b *Blocs) Put(bl Bloc) {
	c := bl
	c.Members = slices.Clone(bl.Members)
	b.byID[bl.ID] = &c
}

// Get returns a bloc by id.
func (b *Blocs) Get(id string) (*Bloc, bool) {
	bl, ok := b.byID[strings.ToLower(id)]
	return bl, ok
}

// List returns every bloc, by id.
func (b *Blocs) List() []*Bloc {
	out := make([]*Bloc, 0, len(b.byID))
	for _, bl := range b.byID {
		out = append(out, bl)
	}
	slices.SortFunc(out, func(x, y *Bloc) int { return strings.Compare(x.ID, y.ID) })
	return out
}

// Reference reads "US" (an actor) or "bloc:eu" / a bloc id ("eu") as a
// reference. An actor code wins over a bloc id of the same spelling only
// when it is not prefixed.
func (b *Blocs) Reference(s string) (Reference, error) {
	if id, ok := strings.CutPrefix(s, "bloc:"); ok {
		bl, found := b.Get(id)
		if !found {
			return Reference{}, fmt.Errorf("%q: no such bloc (GET /v1/alignment/blocs lists them)", id)
		}
		return Reference{Bloc: bl}, nil
	}
	if bl, found := b.Get(s); found && len(s) > 2 {
		return Reference{Bloc: bl}, nil
	}
	c, err := events.ParseCountry(s)
	if err != nil {
		if bl, found := b.Get(s); found {
			return Reference{Bloc: bl}, nil
		}
		return Reference{}, fmt.Errorf("%q is neither an actor nor a bloc: %w", s, err)
	}
	return Reference{Actor: c}, nil
}

// Definition is the bloc as the event that defines it.
func (b *Bloc) Definition() events.BlocDefinition {
	d := events.BlocDefinition{ID: b.ID, Name: b.Name, Source: b.Source, Note: b.Note}
	for _, m := range b.Members {
		d.Members = append(d.Members, events.BlocMember{Actor: m.Actor, From: m.From, To: m.To})
	}
	return d
}

// FromDefinition is the user's bloc a definition event describes.
func FromDefinition(d events.BlocDefinition) Bloc {
	b := Bloc{ID: d.ID, Name: cmp.Or(d.Name, d.ID), Source: d.Source, Note: d.Note, User: true}
	for _, m := range d.Members {
		b.Members = append(b.Members, Membership{Actor: m.Actor, From: m.From, To: m.To})
	}
	return b
}

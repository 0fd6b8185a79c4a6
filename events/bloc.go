package events

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"
)

// TypeBloc is the type of a bloc definition: a group of actors, with
// the days each was a member, that alignment answers can compare with
// (a user's "quad", a negotiating group). It is a fact of the stream like
// any other, so a definition survives restarts and reaches every replica.
const TypeBloc Type = "org.stancewatch.bloc"

// BlocsToken is the first token of bloc definition subjects:
//
//	blocs.<bloc id>.<event id>
const BlocsToken = "blocs"

// blocIDPattern is what a bloc id may be: a lower-case slug, safe as a
// subject token and distinct from any country code.
var blocIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// ValidBlocID reports whether s can be a bloc's id.
func ValidBlocID(s string) bool { return blocIDPattern.MatchString(s) }

// BlocMember is an actor's membership of a bloc, from From to To
// (inclusive; zero: open).
type BlocMember struct {
	Actor    Country
	From, To Date
}

// BlocDefinition is the data of a bloc definition.
type BlocDefinition struct {
	ID      string // the bloc's id, a lower-case slug ("quad")
	Name    string
	Source  string // where the membership comes from (an address), optional
	Note    string
	Members []BlocMember
}

// Type implements Data.
func (BlocDefinition) Type() Type { return TypeBloc }

func (b BlocDefinition) ceSubject() string { return b.ID }

// BlocEventID is the event id of a bloc's definition: derived from the
// bloc's id alone, so a bloc is defined once, ever: the same definition
// again is a duplicate, another one under the same id is a conflict.
func BlocEventID(bloc string) uuid.UUID { return DeterministicID("bloc", bloc) }

// BlocSubject is the subject of a bloc definition.
func BlocSubject(bloc string, id uuid.UUID) string {
	return BlocsToken + "." + bloc + "." + id.String()
}

func (b BlocDefinition) validate(f *fieldErrors) {
	if !ValidBlocID(b.ID) {
		f.add("data.id", "%q is not a bloc id: want a lowercase slug (a-z, 0-9, -), at most 40 characters", b.ID)
	}
	if len(b.Name) > MaxSourceLen {
		f.add("data.name", "is %d bytes long: at most %d", len(b.Name), MaxSourceLen)
	}
	if len(b.Members) == 0 {
		f.add("data.members", "a bloc needs at least one member")
	}
	for i, m := range b.Members {
		if m.Actor.IsZero() {
			f.add(fmt.Sprintf("data.members[%d].actor", i), "is missing")
		}
		if !m.From.IsZero() && !m.To.IsZero() && m.To.Before(m.From) {
			f.add(fmt.Sprintf("data.members[%d].to", i), "%s is before from %s", m.To, m.From)
		}
	}
}

type blocMemberWire struct {
	Actor string `json:"actor"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

type blocWire struct {
	ID      string           `json:"id"`
	Name    string           `json:"name,omitempty"`
	Source  string           `json:"source,omitempty"`
	Note    string           `json:"note,omitempty"`
	Members []blocMemberWire `json:"members"`
}

func (b BlocDefinition) wire() blocWire {
	w := blocWire{ID: b.ID, Name: b.Name, Source: b.Source, Note: b.Note, Members: make([]blocMemberWire, 0, len(b.Members))}
	for _, m := range b.Members {
		mw := blocMemberWire{Actor: m.Actor.String()}
		if !m.From.IsZero() {
			mw.From = m.From.String()
		}
		if !m.To.IsZero() {
			mw.To = m.To.String()
		}
		w.Members = append(w.Members, mw)
	}
	return w
}

func decodeBloc(raw []byte, o decodeOptions, f *fieldErrors) Data {
	var w blocWire
	if err := unmarshal(raw, &w, o.strict); err != nil {
		subErrors("data", err, f)
		return nil
	}
	b := BlocDefinition{ID: w.ID, Name: strings.TrimSpace(w.Name), Source: w.Source, Note: w.Note}
	for i, mw := range w.Members {
		m := BlocMember{}
		var err error
		m.Actor, err = ParseCountry(mw.Actor)
		f.addErr(fmt.Sprintf("data.members[%d].actor", i), err)
		for _, d := range []struct {
			name, v string
			to      *Date
		}{{"from", mw.From, &m.From}, {"to", mw.To, &m.To}} {
			if d.v == "" {
				continue
			}
			*d.to, err = ParseDate(d.v)
			f.addErr(fmt.Sprintf("data.members[%d].%s", i, d.name), err)
		}
		b.Members = append(b.Members, m)
	}
	return b
}

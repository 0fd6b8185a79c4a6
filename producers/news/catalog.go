package news

import (
	"bytes"
	"fmt"
	"slices"
	"sync"

	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/votes"
)

// CatalogMotion is what the extractor knows of one text from a vote
// record.
type CatalogMotion struct {
	ID         events.MotionID
	Title      string // its title in the record: a topic cue when Topic is empty
	Aliases    []events.MotionID
	Date       events.Date
	Topic      events.Topic
	Kind       events.MotionKind
	Penholders []events.Country
	Votes      map[events.Country]events.Stance // each member's recorded stance
}

// Catalog is the known motions. The extractor uses it to say which motion
// a position is about when the text does not name it ("on Monday, the US
// abstained"), and to doubt a finding the vote record contradicts. A nil
// Catalog knows nothing, and the extractor then relies on the text alone.
type Catalog struct {
	motions []CatalogMotion // by date
	hints   []TopicHint
}

// TopicHint gives a topic to findings about a ceasefire in an article that
// names a place: in an article that says "Gaza", a call for a ceasefire is
// about the Gaza ceasefire. A finding's topic comes first from its known
// motion, then from a hint, then from Options.Topic.
type TopicHint struct {
	Place string       // a word the article contains, in lower case ("gaza")
	Topic events.Topic // the topic of its ceasefire findings
}

// WithHints returns a copy of c whose findings also take topics from
// hints (Options.Hints, when set, replace them).
func (c *Catalog) WithHints(hints ...TopicHint) *Catalog {
	out := &Catalog{}
	if c != nil {
		out.motions = c.motions
	}
	out.hints = slices.Clone(hints)
	return out
}

// Hints returns the catalog's topic hints.
func (c *Catalog) Hints() []TopicHint {
	if c == nil {
		return nil
	}
	return c.hints
}

// NewCatalog builds a catalog from roll calls.
func NewCatalog(rcs []votes.RollCall) *Catalog {
	c := &Catalog{}
	for _, rc := range rcs {
		m := CatalogMotion{
			ID: rc.Motion.ID, Title: rc.Motion.Title, Aliases: rc.Motion.Aliases, Date: rc.Motion.Date, Topic: rc.Motion.Topic,
			Kind: rc.Motion.Kind, Penholders: rc.Motion.Penholders, Votes: map[events.Country]events.Stance{},
		}
		for _, v := range rc.Votes {
			m.Votes[v.Actor] = rc.Stance(v)
		}
		c.motions = append(c.motions, m)
	}
	slices.SortStableFunc(c.motions, func(a, b CatalogMotion) int { return a.Date.Compare(b.Date) })
	return c
}

var bundled = sync.OnceValues(func() (*Catalog, error) {
	rcs, bad, err := votes.ReadDataset(bytes.NewReader(data.GazaRollCalls), data.GazaRollCallsFile)
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("bundled dataset: %v", bad[0])
	}
	// The record is of Gaza texts: a ceasefire an article about Gaza
	// speaks of is the Gaza ceasefire.
	return NewCatalog(rcs).WithHints(TopicHint{Place: "gaza", Topic: events.MustTopic("gaza-ceasefire")}), nil
})

// BundledCatalog is the catalog of the bundled dataset: the Security
// Council's roll calls on Gaza texts, 2023–2024, with the topic hint that
// goes with them (a ceasefire in an article that names Gaza is the Gaza
// ceasefire).
func BundledCatalog() (*Catalog, error) { return bundled() }

// Len is the number of motions known.
func (c *Catalog) Len() int {
	if c == nil {
		return 0
	}
	return len(c.motions)
}

// byID finds a motion by its id or one of its aliases.
func (c *Catalog) byID(id events.MotionID) (CatalogMotion, bool) {
	if c == nil {
		return CatalogMotion{}, false
	}
	for _, m := range c.motions {
		if m.ID == id || slices.Contains(m.Aliases, id) {
			return m, true
		}
	}
	return CatalogMotion{}, false
}

// between returns the motions voted or circulated in [from, to].
func (c *Catalog) between(from, to events.Date) []CatalogMotion {
	if c == nil {
		return nil
	}
	var out []CatalogMotion
	for _, m := range c.motions {
		if m.Date.Compare(from) >= 0 && m.Date.Compare(to) <= 0 {
			out = append(out, m)
		}
	}
	return out
}

// mainTexts drops amendments when a main text shares the day: "the
// resolution" of a day is the text, not an amendment to it.
func mainTexts(ms []CatalogMotion) []CatalogMotion {
	var out []CatalogMotion
	for _, m := range ms {
		if m.Kind != events.KindAmendment {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return ms
	}
	return out
}

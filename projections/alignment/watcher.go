package alignment

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

// Watcher derives alignment alerts from the fold as it goes: the
// projector tells it each event it is about to fold (Before) and asks,
// once a run of events is folded (a single event, an atomic batch, a
// roll call loaded in bulk), which moves that run made (Derive).
//
// It is incremental. For each topic and year it keeps the moves beyond
// the threshold as it last saw them (counted once, from the state, the
// first time a vote of that topic and year arrives); Derive recounts only
// the pairs the run's votes touch (see Moves), in one vote table per
// topic and year, and reports a move that is new or whose direction
// turned. Alerts carry an id derived from the move and the run's last
// event, so every replica folding the same stream derives the same alerts
// and the store keeps each once.
//
// A Watcher is not safe for concurrent use: the projector's worker owns
// it.
type Watcher struct {
	cfg    AlertConfig
	source string
	known  map[topicYear]map[string]Move  // moves beyond the threshold, by topic and later year
	dirty  map[topicYear][]events.Country // votes of the run not derived yet, by topic and year
}

type topicYear struct {
	topic events.Topic
	year  int
}

// NewWatcher returns a Watcher raising alerts under cfg (defaults filled
// from blocs), as events from source.
func NewWatcher(blocs *Blocs, cfg AlertConfig, source string) (*Watcher, error) {
	cfg = cfg.WithDefaults(blocs)
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if source == "" {
		return nil, errors.New("alignment alerts: a source is required")
	}
	return &Watcher{cfg: cfg, source: source, known: map[topicYear]map[string]Move{}, dirty: map[topicYear][]events.Country{}}, nil
}

// Validate reports every setting that cannot work.
func (c AlertConfig) Validate() error {
	var errs []error
	if c.Threshold <= 0 || c.Threshold >= 1 {
		errs = append(errs, fmt.Errorf("alignment alerts: threshold %v: want a value between 0 and 1", c.Threshold))
	}
	if c.MinN < 1 {
		errs = append(errs, fmt.Errorf("alignment alerts: at least %d roll calls: want 1 or more", c.MinN))
	}
	if _, err := ParseMeasure(string(c.Measure)); err != nil {
		errs = append(errs, fmt.Errorf("alignment alerts: %w", err))
	}
	if c.Evidence < 1 {
		errs = append(errs, fmt.Errorf("alignment alerts: %d roll calls of evidence: want 1 or more", c.Evidence))
	}
	if len(c.References) == 0 {
		errs = append(errs, errors.New("alignment alerts: no reference to compare with"))
	}
	return errors.Join(errs...)
}

// Config returns the settings in force, defaults filled.
func (w *Watcher) Config() AlertConfig { return w.cfg }

// Before takes note of an event about to be folded into st: a vote (or
// the retraction of one) marks its topic and year for the next Derive.
// The first vote of a topic and year since the Watcher started counts
// that year's moves, and the next year's, as they stand before it.
func (w *Watcher) Before(st *projections.State, ev events.Event) {
	topic, year, actor, ok := Watch(ev, st)
	if !ok {
		return
	}
	for _, y := range []int{year, year + 1} {
		k := topicYear{topic, y}
		if _, ok := w.known[k]; ok {
			continue
		}
		mt := prepare(tableAround(st, topic, y), w.cfg)
		moves := map[string]Move{}
		for i := range mt.t.Actors {
			for r := range w.cfg.References {
				if m, ok := mt.move(i, r, y, w.cfg); ok {
					moves[m.Key()] = m
				}
			}
		}
		w.known[k] = moves
	}
	k := topicYear{topic, year}
	if !slices.Contains(w.dirty[k], actor) {
		w.dirty[k] = append(w.dirty[k], actor)
	}
}

// Derive returns the alerts of the moves the events passed to Before
// since the last Derive made, now that st holds them: cause is the last
// of those events, at causeSeq, recorded at recorded.
func (w *Watcher) Derive(st *projections.State, cause uuid.UUID, causeSeq uint64, recorded time.Time) []events.Event {
	if len(w.dirty) == 0 {
		return nil
	}
	keys := make([]topicYear, 0, len(w.dirty))
	for k := range w.dirty {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b topicYear) int {
		return cmp.Or(cmp.Compare(a.topic.String(), b.topic.String()), cmp.Compare(a.year, b.year))
	})
	var out []events.Event
	for _, k := range keys {
		mt := prepare(tableAround(st, k.topic, k.year), w.cfg)
		var made []Move
		for _, p := range mt.pairs(w.dirty[k], k.year, w.cfg) {
			known := w.known[topicYear{k.topic, p.year}]
			key := fmt.Sprintf("%s/%s/%s/%s/%d", mt.t.Actors[p.actor], w.cfg.References[p.ref], k.topic, w.cfg.Measure, p.year)
			was, had := known[key]
			m, ok := mt.move(p.actor, p.ref, p.year, w.cfg)
			switch {
			case !ok:
				delete(known, key)
				continue
			case !had || (was.Delta > 0) != (m.Delta > 0):
				made = append(made, m)
			}
			known[key] = m
		}
		slices.SortFunc(made, func(a, b Move) int { return cmp.Compare(a.Key(), b.Key()) })
		for _, m := range made {
			out = append(out, m.Alert(cause, causeSeq, recorded, w.source))
		}
	}
	clear(w.dirty)
	return out
}

// Alert is the move as an alignment alert event caused by the event
// cause (at causeSeq, recorded at recorded), with the id every replica
// derives alike.
func (m Move) Alert(cause uuid.UUID, causeSeq uint64, recorded time.Time, source string) events.Event {
	a := events.AlignmentAlert{
		Actor: m.Actor, Reference: m.Reference, Topic: m.Topic, Measure: string(m.Measure), Previous: m.Previous, Period: m.Period,
		Before: events.AlignmentFigure{Value: round4(m.Before.Value), N: m.Before.N}, After: events.AlignmentFigure{Value: round4(m.After.Value), N: m.After.N},
		Delta: m.Delta, Cause: cause, CauseSeq: causeSeq,
	}
	for _, e := range m.Evidence {
		a.Evidence = append(a.Evidence, events.AlignmentEvidence{Motion: e.Motion, Date: e.Date, ActorVote: e.Actor, WithVote: e.With, Score: e.Score})
	}
	return events.Event{ID: m.ID(cause), Source: source, Time: recorded, SchemaVersion: events.CurrentSchemaVersion, Data: a}
}

// Package ingest brings outside records into the event log: the bundled
// vote data, roll calls read from vote files, and news articles (one at a
// time, in bulk, or as they appear in a watched directory). It turns them
// into events with the producers and appends them through a small
// Appender interface, counting what was new and what was stored already;
// serve and the CLI's commands share it.
package ingest

import (
	"context"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// Appender is what ingest needs of the event log.
type Appender interface {
	// AppendBatch stores events as one atomic batch (at most
	// eventlog.MaxBatch).
	AppendBatch(ctx context.Context, evs []events.Event, opts ...eventlog.AppendOption) ([]eventlog.Ack, error)
	// AppendGroups stores groups of events in atomic batches, never
	// splitting a group, reporting the events stored so far to progress
	// (which may be nil).
	AppendGroups(ctx context.Context, groups [][]events.Event, progress func(done int)) ([][]eventlog.Ack, error)
}

// Summary counts what an ingest did.
type Summary struct {
	Events     int // events made from the input
	Positions  int // of which positions (and motions, retractions: everything not for review)
	Reviews    int // of which proposals for the review queue
	Added      int // stored now
	Duplicates int // stored before: nothing added
	// Refused are the groups (roll calls) refused whole because a source
	// recorded them otherwise: what and why.
	Refused []string
}

// made counts the events made from the input, before they are stored.
func (s *Summary) made(evs []events.Event) {
	for _, ev := range evs {
		s.Events++
		if ev.Data.Type() == events.TypeReview {
			s.Reviews++
		} else {
			s.Positions++
		}
	}
}

// stored counts acknowledgements.
func (s *Summary) stored(acks []eventlog.Ack) {
	for _, a := range acks {
		switch {
		case a.Duplicate:
			s.Duplicates++
		case a.Seq > 0:
			s.Added++
		}
	}
}

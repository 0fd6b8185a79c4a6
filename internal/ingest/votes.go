package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/votes"
)

// RollCalls stores roll calls, each atomically (a reader never sees half
// a vote), several per batch, reporting the events stored so far to
// progress (which may be nil).
func RollCalls(ctx context.Context, a Appender, rcs []votes.RollCall, progress func(done int)) (Summary, error) {
	var groups [][]events.Event
	var sum Summary
	for _, rc := range rcs {
		evs, err := rc.Events()
		if err != nil {
			return sum, err
		}
		groups = append(groups, evs)
		sum.made(evs)
	}
	acks, err := a.AppendGroups(ctx, groups, progress)
	for _, g := range acks {
		sum.stored(g)
	}
	return sum, err
}

// ReadVotes reads a vote file: a UN Digital Library voting-data CSV
// (.csv; rows without an agenda item take topic, or a slug of the item
// when topic is zero) or a stancewatch dataset (.json). Rows it refuses
// come back as row errors, beside the roll calls it could read.
func ReadVotes(file string, topic events.Topic) ([]votes.RollCall, []votes.RowError, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv":
		return votes.ReadUNDL(f, votes.UNDLOptions{Topic: topic, File: file})
	case ".json":
		return votes.ReadDataset(f, file)
	}
	return nil, nil, fmt.Errorf("%s: unknown format: want a UNDL voting-data .csv or a %s .json", file, votes.DatasetFormat)
}

package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/producers/votes"
)

// RollCalls stores roll calls, each atomically (a reader never sees half
// a vote), several per batch, reporting the events stored so far to
// progress (which may be nil). A roll call that another source recorded
// otherwise (an event id stored with other content: another vote, another
// topic) is refused whole and reported in the summary's Refused; the
// others are stored.
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
	if err == nil || !errors.Is(err, eventlog.ErrIDReused) {
		return sum, err
	}
	// A conflict refused the batch it was in: store what is left one roll
	// call at a time, so that only the conflicting ones are refused.
	for k, g := range groups {
		if acks[k] != nil {
			continue
		}
		got, err := a.AppendBatch(ctx, g)
		if errors.Is(err, eventlog.ErrIDReused) {
			sum.Refused = append(sum.Refused, fmt.Sprintf("roll call on %s: %v", rcs[k].Motion.ID, err))
			continue
		}
		if err != nil {
			return sum, err
		}
		sum.stored(got)
	}
	return sum, nil
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
		o := votes.UNDLOptions{Topic: topic, File: file}
		if topic.IsZero() {
			// The Assembly's votes the bundled record holds keep its
			// topics, so that the Library's copy of a vote is the same
			// event.
			ix, err := bundledTopics()
			if err != nil {
				return nil, nil, err
			}
			o.Topics = ix.Topics
		}
		return votes.ReadUNDL(f, o)
	case ".json":
		return votes.ReadDataset(f, file)
	}
	return nil, nil, fmt.Errorf("%s: unknown format: want a UNDL voting-data .csv or a %s .json", file, votes.DatasetFormat)
}

// bundledTopics reads the topics of the bundled General Assembly record.
func bundledTopics() (votes.TopicIndex, error) {
	fsys := data.Files()
	var f votes.UnvotesFiles
	for i, name := range []string{data.UnvotesRollCalls, data.UnvotesIssues} {
		r, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		f.Names[i] = name
		if i == 0 {
			f.RollCalls = r
		} else {
			f.Issues = r
		}
	}
	return votes.UnvotesTopicIndex(f)
}

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/votes"
)

func cmdIngest(args []string) int {
	fs := newFlags("ingest", "ingest votes FILE... [--topic T]")
	topic := fs.String("topic", "", "UNDL CSV: topic of every vote (default: a slug of each row's agenda item)")
	nf := addNATSFlags(fs)
	pos, code := parseOrExit(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) < 2 || pos[0] != "votes" {
		fs.Usage()
		return exitUsage
	}
	var t events.Topic
	if *topic != "" {
		var err error
		if t, err = events.ParseTopic(*topic); err != nil {
			return fail("--topic: %v", err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := connect(ctx, nf)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	status := exitOK
	for _, file := range pos[1:] {
		rcs, rowErrs, err := readVotes(file, t)
		if err != nil {
			fmt.Fprintf(os.Stderr, "stancewatch: %v\n", err)
			status = exitFailure
			continue
		}
		for _, e := range rowErrs {
			fmt.Fprintf(os.Stderr, "rejected: %v\n", e)
		}
		if len(rowErrs) > 0 && status == exitOK {
			status = exitPartial
		}
		bar := newProgress(os.Stderr, filepath.Base(file))
		sum, err := appendRollCalls(ctx, st, rcs, bar.update)
		bar.done()
		if err != nil {
			fmt.Fprintf(os.Stderr, "stancewatch: %s: %v\n", file, err)
			status = exitFailure
		}
		fmt.Printf("%s: %d roll calls, %d events: %d new, %d already stored; %d rows rejected\n",
			file, len(rcs), sum.events, sum.added, sum.duplicates, len(rowErrs))
	}
	return status
}

// readVotes reads a UNDL CSV (.csv) or a stancewatch dataset (.json).
func readVotes(file string, topic events.Topic) ([]votes.RollCall, []votes.RowError, error) {
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

// progress draws a progress line on a terminal, and nothing elsewhere.
type progress struct {
	w     io.Writer
	label string
	on    bool
}

func newProgress(f *os.File, label string) *progress {
	return &progress{w: f, label: label, on: isTerminal(f)}
}

func (p *progress) update(done int) {
	if p.on {
		fmt.Fprintf(p.w, "\r%s: %d events stored", p.label, done)
	}
}

func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

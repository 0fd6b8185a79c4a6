package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/news"
	"github.com/stancewatch/stancewatch/producers/votes"
	"github.com/stancewatch/stancewatch/store"
)

func cmdIngest(args []string) int {
	fs := newFlags("ingest", "ingest votes FILE... [--topic T] | ingest articles FILE|DIR... [--published DATE] [--review-below 0.7]")
	topic := fs.String("topic", "", "votes: topic of every UNDL CSV row (default: a slug of its agenda item); articles: topic of positions whose topic the text does not show")
	af := addArticleFlags(fs, topic)
	reviewBelow := fs.Float64("review-below", news.DefaultReviewBelow, "articles: positions found with less confidence go to the review queue")
	nf := addNATSFlags(fs)
	pos, code := parseOrExit(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) < 2 || pos[0] != "votes" && pos[0] != "articles" {
		fs.Usage()
		return exitUsage
	}
	if pos[0] == "articles" {
		return ingestArticles(pos[1:], af, *reviewBelow, nf)
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

func ingestArticles(args []string, af articleFlags, reviewBelow float64, nf natsFlags) int {
	o, opt, err := af.parse()
	if err != nil {
		return fail("%v", err)
	}
	if reviewBelow <= 0 || reviewBelow > 1 {
		return fail("--review-below %v: want a confidence above 0 and at most 1", reviewBelow)
	}
	files, err := articleFiles(args)
	if err != nil {
		return fail("%v", err)
	}
	status := exitOK
	// Every article first: a bad one is reported and the others still go.
	type article struct {
		file string
		evs  []events.Event
	}
	var arts []article
	for _, file := range files {
		a, err := readArticle(file, o)
		if err == nil {
			var evs []events.Event
			if evs, err = news.Events(a, news.Extract(a, opt), news.IngestOptions{ReviewBelow: reviewBelow}); err == nil {
				arts = append(arts, article{file, evs})
				continue
			}
		}
		fmt.Fprintf(os.Stderr, "rejected: %v\n", err)
		status = exitPartial
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := connect(ctx, nf)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	// A bulk load: articles packed whole into atomic batches of up to
	// store.MaxBatch events, one durable commit each (an article larger
	// than that is split).
	var groups [][]events.Event
	var owner []int
	for i, a := range arts {
		for chunk := range slices.Chunk(a.evs, store.MaxBatch) {
			groups = append(groups, chunk)
			owner = append(owner, i)
		}
	}
	bar := newProgress(os.Stderr, "articles")
	acks, err := st.AppendGroups(ctx, groups, bar.update)
	bar.done()
	if err != nil {
		fmt.Fprintf(os.Stderr, "stancewatch: %v\n", err)
		status = exitFailure
	}
	sums := make([]articleSummary, len(arts))
	for g, as := range acks {
		sum := &sums[owner[g]]
		for _, a := range as {
			if a.Duplicate {
				sum.duplicates++
			} else {
				sum.added++
			}
		}
	}
	for i, a := range arts {
		sum := sums[i]
		for _, ev := range a.evs {
			if ev.Data.Type() == events.TypeReview {
				sum.reviews++
			} else {
				sum.positions++
			}
		}
		fmt.Printf("%s: %d positions, %d for review: %d new, %d already stored\n", a.file, sum.positions, sum.reviews, sum.added, sum.duplicates)
	}
	return status
}

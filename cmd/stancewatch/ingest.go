package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/ingest"
	"github.com/stancewatch/stancewatch/producers/news"
)

func cmdIngest(args []string) int {
	fs := newFlags("ingest", "ingest votes FILE... [--topic T] | ingest articles FILE|DIR... [--published DATE] [--review-below 0.7]")
	topic := fs.String("topic", "", "votes: topic of every UNDL CSV row (default: a slug of its agenda item); articles: topic of positions whose topic the text does not show")
	af := addArticleFlags(fs, topic)
	reviewBelow := fs.Float64("review-below", news.DefaultReviewBelow, "articles: positions found with less confidence go to the review queue")
	nf := addNATSFlags(fs)
	viaService := addWriteServiceFlag(fs)
	pos, code := parseOrExit(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) < 2 || pos[0] != "votes" && pos[0] != "articles" {
		fs.Usage()
		return exitUsage
	}
	if pos[0] == "articles" {
		return ingestArticles(pos[1:], af, *reviewBelow, nf, *viaService)
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
	st, closeConn, err := writer(ctx, nf, *viaService)
	if err != nil {
		return fail("%v", err)
	}
	defer closeConn()
	status := exitOK
	for _, file := range pos[1:] {
		rcs, rowErrs, err := ingest.ReadVotes(file, t)
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
		sum, err := ingest.RollCalls(ctx, st, rcs, bar.update)
		bar.done()
		if err != nil {
			fmt.Fprintf(os.Stderr, "stancewatch: %s: %v\n", file, err)
			status = exitFailure
		}
		for _, r := range sum.Refused {
			fmt.Fprintf(os.Stderr, "refused: %s\n", r)
		}
		if len(sum.Refused) > 0 && status == exitOK {
			status = exitPartial
		}
		refused := ""
		if len(sum.Refused) > 0 {
			refused = fmt.Sprintf("; %d roll calls refused (recorded otherwise before)", len(sum.Refused))
		}
		fmt.Printf("%s: %d roll calls, %d events: %d new, %d already stored; %d rows rejected%s\n",
			file, len(rcs), sum.Events, sum.Added, sum.Duplicates, len(rowErrs), refused)
	}
	return status
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

func ingestArticles(args []string, af articleFlags, reviewBelow float64, nf natsFlags, viaService bool) int {
	o, opt, err := af.parse()
	if err != nil {
		return fail("%v", err)
	}
	if err := checkReviewBelow(reviewBelow); err != nil {
		return fail("%v", err)
	}
	files, err := ingest.ArticleFiles(args)
	if err != nil {
		return fail("%v", err)
	}
	status := exitOK
	// Every article first: a bad one is reported and the others still go.
	var names []string
	var arts [][]events.Event
	for _, file := range files {
		evs, err := ingest.ArticleEvents(file, o, opt, news.IngestOptions{ReviewBelow: reviewBelow})
		if err == nil {
			names = append(names, file)
			arts = append(arts, evs)
			continue
		}
		fmt.Fprintf(os.Stderr, "rejected: %v\n", err)
		status = exitPartial
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, closeConn, err := writer(ctx, nf, viaService)
	if err != nil {
		return fail("%v", err)
	}
	defer closeConn()
	bar := newProgress(os.Stderr, "articles")
	sums, err := ingest.Articles(ctx, st, arts, bar.update)
	bar.done()
	if err != nil {
		fmt.Fprintf(os.Stderr, "stancewatch: %v\n", err)
		status = exitFailure
	}
	for i, sum := range sums {
		fmt.Printf("%s: %d positions, %d for review: %d new, %d already stored\n", names[i], sum.Positions, sum.Reviews, sum.Added, sum.Duplicates)
	}
	return status
}

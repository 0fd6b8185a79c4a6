package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/news"
	"github.com/stancewatch/stancewatch/store"
)

// articleFiles expands the arguments: files as given, directories to the
// .txt files directly in them, in name order.
func articleFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if isArticleFile(e) {
				out = append(out, filepath.Join(a, e.Name()))
			}
		}
	}
	return out, nil
}

// readArticle reads one article file.
func readArticle(file string, o news.Overrides) (news.Article, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return news.Article{}, err
	}
	return news.ReadArticle(file, b, o)
}

// articleSummary counts what ingesting an article did.
type articleSummary struct {
	positions, reviews, added, duplicates int
}

// ingestArticle extracts an article's positions and stores them as one
// atomic batch (more than store.MaxBatch in several): an article is one
// durable commit.
func ingestArticle(ctx context.Context, st *store.Store, a news.Article, opt news.Options, io news.IngestOptions) (articleSummary, error) {
	var sum articleSummary
	evs, err := news.Events(a, news.Extract(a, opt), io)
	if err != nil {
		return sum, err
	}
	for _, ev := range evs {
		if ev.Data.Type() == events.TypeReview {
			sum.reviews++
		} else {
			sum.positions++
		}
	}
	for chunk := range slices.Chunk(evs, store.MaxBatch) {
		acks, err := st.AppendBatch(ctx, chunk)
		if err != nil {
			return sum, err
		}
		for _, a := range acks {
			if a.Duplicate {
				sum.duplicates++
			} else {
				sum.added++
			}
		}
	}
	return sum, nil
}

// articleWatcher ingests the articles that appear in a directory. A file
// is read once its size and modification time have held still for one
// poll, so a file being written is not read half-written. Ids derive from
// the text, so a restart that reads every file again adds nothing.
type articleWatcher struct {
	dir      string
	st       *store.Store
	opt      news.Options
	io       news.IngestOptions
	interval time.Duration
	log      *slog.Logger

	seen map[string]fileSig // what was last seen of each file
	done map[string]fileSig // what was ingested (or rejected) of each file
}

type fileSig struct {
	size int64
	mod  time.Time
}

func (w *articleWatcher) run(ctx context.Context) {
	w.seen, w.done = map[string]fileSig{}, map[string]fileSig{}
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		w.scan(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (w *articleWatcher) scan(ctx context.Context) {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		w.log.Error("watching articles", "dir", w.dir, "err", err)
		return
	}
	for _, e := range entries {
		if !isArticleFile(e) {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			w.log.Error("watching articles", "file", e.Name(), "err", err)
			continue
		}
		file := filepath.Join(w.dir, e.Name())
		sig := fileSig{info.Size(), info.ModTime()}
		prev, seen := w.seen[file]
		w.seen[file] = sig
		if !seen || prev != sig || w.done[file] == sig {
			continue // new or still changing: wait a poll; or done already
		}
		a, err := readArticle(file, news.Overrides{})
		if err != nil {
			w.log.Error("article rejected", "file", file, "err", err)
			w.done[file] = sig
			continue
		}
		sum, err := ingestArticle(ctx, w.st, a, w.opt, w.io)
		if err != nil {
			if ctx.Err() == nil {
				w.log.Error("article not stored; will retry", "file", file, "err", err)
			}
			continue
		}
		w.done[file] = sig
		w.log.Info("article ingested", "file", file, "positions", sum.positions, "for_review", sum.reviews, "new", sum.added, "already_stored", sum.duplicates)
	}
}

// articleFlags are the flags extract and ingest share.
type articleFlags struct {
	published, source, topic *string
	noCatalog                *bool
}

func addArticleFlags(fs *flag.FlagSet, topic *string) articleFlags {
	if topic == nil {
		topic = fs.String("topic", "", "topic of positions whose topic the text does not show (default: none, so they go to review)")
	}
	return articleFlags{
		published: fs.String("published", "", "publication date (YYYY-MM-DD) of every article; overrides a Published: header"),
		source:    fs.String("source", "", "URL of the article; overrides a Source: header"),
		topic:     topic,
		noCatalog: fs.Bool("no-catalog", false, "read the text alone, without the bundled vote record to tie positions to motions"),
	}
}

func (f articleFlags) parse() (news.Overrides, news.Options, error) {
	var o news.Overrides
	var opt news.Options
	if *f.published != "" {
		d, err := events.ParseDate(*f.published)
		if err != nil {
			return o, opt, fmt.Errorf("--published: %v", err)
		}
		o.Published = d
	}
	o.Source = *f.source
	if *f.topic != "" {
		t, err := events.ParseTopic(*f.topic)
		if err != nil {
			return o, opt, fmt.Errorf("--topic: %v", err)
		}
		opt.Topic = t
	}
	if !*f.noCatalog {
		cat, err := news.BundledCatalog()
		if err != nil {
			return o, opt, err
		}
		opt.Catalog = cat
	}
	return o, opt, nil
}

// isArticleFile: a directory's articles are its regular .txt files that
// are not hidden (editors' and downloaders' temporary files are).
func isArticleFile(e fs.DirEntry) bool {
	return e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && strings.EqualFold(filepath.Ext(e.Name()), ".txt")
}

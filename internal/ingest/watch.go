package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/stancewatch/stancewatch/producers/news"
)

// Watcher ingests the articles that appear in a directory. A file is read
// once its size and modification time have held still for one poll, so a
// file being written is not read half-written. Ids derive from the text,
// so a restart that reads every file again adds nothing.
type Watcher struct {
	Dir      string
	Appender Appender
	Options  news.Options
	Ingest   news.IngestOptions
	Interval time.Duration // between polls
	Logger   *slog.Logger

	seen map[string]fileSig // what was last seen of each file
	done map[string]fileSig // what was ingested (or rejected) of each file
}

type fileSig struct {
	size int64
	mod  time.Time
}

// Validate reports every setting that cannot work, joined.
func (w *Watcher) Validate() error {
	var errs []error
	if info, err := os.Stat(w.Dir); err != nil || !info.IsDir() {
		errs = append(errs, fmt.Errorf("articles directory %q: not a directory", w.Dir))
	}
	if w.Appender == nil {
		errs = append(errs, errors.New("appender: none"))
	}
	if w.Interval <= 0 {
		errs = append(errs, fmt.Errorf("interval %s: want a positive duration", w.Interval))
	}
	if w.Logger == nil {
		errs = append(errs, errors.New("logger: none"))
	}
	if err := w.Ingest.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := w.Options.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Run polls the directory until ctx ends. Call Validate first.
func (w *Watcher) Run(ctx context.Context) {
	w.seen, w.done = map[string]fileSig{}, map[string]fileSig{}
	t := time.NewTicker(w.Interval)
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

func (w *Watcher) scan(ctx context.Context) {
	entries, err := os.ReadDir(w.Dir)
	if err != nil {
		w.Logger.Error("watching articles", "dir", w.Dir, "err", err)
		return
	}
	for _, e := range entries {
		if !IsArticleFile(e) {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			w.Logger.Error("watching articles", "file", e.Name(), "err", err)
			continue
		}
		file := filepath.Join(w.Dir, e.Name())
		sig := fileSig{info.Size(), info.ModTime()}
		prev, seen := w.seen[file]
		w.seen[file] = sig
		if !seen || prev != sig || w.done[file] == sig {
			continue // new or still changing: wait a poll; or done already
		}
		evs, err := ArticleEvents(file, news.Overrides{}, w.Options, w.Ingest)
		if err != nil {
			w.Logger.Error("article rejected", "file", file, "err", err)
			w.done[file] = sig
			continue
		}
		sum, err := Article(ctx, w.Appender, evs)
		if err != nil {
			if ctx.Err() == nil {
				w.Logger.Error("article not stored; will retry", "file", file, "err", err)
			}
			continue
		}
		w.done[file] = sig
		w.Logger.Info("article ingested", "file", file, "positions", sum.Positions, "for_review", sum.Reviews, "new", sum.Added, "already_stored", sum.Duplicates)
	}
}

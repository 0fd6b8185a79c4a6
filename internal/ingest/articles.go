package ingest

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/producers/news"
)

// ArticleFiles expands the arguments: files as given, directories to the
// article files directly in them (IsArticleFile), in name order.
func ArticleFiles(args []string) ([]string, error) {
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
			if IsArticleFile(e) {
				out = append(out, filepath.Join(a, e.Name()))
			}
		}
	}
	return out, nil
}

// IsArticleFile: a directory's articles are its regular .txt files that
// are not hidden (editors' and downloaders' temporary files are).
func IsArticleFile(e fs.DirEntry) bool {
	return e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && strings.EqualFold(filepath.Ext(e.Name()), ".txt")
}

// ReadArticle reads one article file.
func ReadArticle(file string, o news.Overrides) (news.Article, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return news.Article{}, err
	}
	return news.ReadArticle(file, b, o)
}

// ArticleEvents reads one article file and makes the events of what the
// extractor finds in it (news.Events): the one way from a file to events,
// for the watch folder and the CLI alike.
func ArticleEvents(file string, o news.Overrides, opt news.Options, io news.IngestOptions) ([]events.Event, error) {
	art, err := ReadArticle(file, o)
	if err != nil {
		return nil, err
	}
	return news.Events(art, news.Extract(art, opt), io)
}

// Article stores the events of one article (as ArticleEvents made them)
// as one atomic batch (more than eventlog.MaxBatch in several): an article
// is one durable commit.
func Article(ctx context.Context, a Appender, evs []events.Event) (Summary, error) {
	var sum Summary
	sum.made(evs)
	for chunk := range slices.Chunk(evs, eventlog.MaxBatch) {
		acks, err := a.AppendBatch(ctx, chunk)
		if err != nil {
			return sum, err
		}
		sum.stored(acks)
	}
	return sum, nil
}

// Articles stores the events of many articles (each article's events as
// news.Events made them) as one bulk load: articles packed whole into
// atomic batches of up to eventlog.MaxBatch events, one durable commit
// each (an article larger than that is split). It returns each article's
// summary, counting what was stored before an error.
func Articles(ctx context.Context, a Appender, arts [][]events.Event, progress func(done int)) ([]Summary, error) {
	var groups [][]events.Event
	var owner []int
	sums := make([]Summary, len(arts))
	for i, evs := range arts {
		sums[i].made(evs)
		for chunk := range slices.Chunk(evs, eventlog.MaxBatch) {
			groups = append(groups, chunk)
			owner = append(owner, i)
		}
	}
	acks, err := a.AppendGroups(ctx, groups, progress)
	for g, as := range acks {
		sums[owner[g]].stored(as)
	}
	return sums, err
}

package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/stancewatch/stancewatch/internal/ingest"
	"github.com/stancewatch/stancewatch/producers/news"
)

func cmdExtract(args []string) int {
	fs := newFlags("extract", "extract [--published DATE] [--source URL] [--eval GOLD.json [--split tune|held-out|freshN] [--review-below C]] FILE|DIR...")
	af := addArticleFlags(fs, nil)
	gold := fs.String("eval", "", "score the findings against a gold file: precision, recall, F1 (by split, form, topic and stance), what would be published without review, and every false positive and negative")
	split := fs.String("split", "", "with --eval: read only the files the gold file puts in this split (tune, held-out, fresh3 … fresh12)")
	reviewBelow := fs.Float64("review-below", news.DefaultReviewBelow, "with --eval: the review threshold at which the precision of what is published is measured")
	pos, code := parseOrExit(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) == 0 {
		fs.Usage()
		return exitUsage
	}
	o, opt, err := af.parse()
	if err != nil {
		return fail("%v", err)
	}
	var g *news.Gold
	if *gold != "" {
		f, err := os.Open(*gold)
		if err != nil {
			return fail("--eval: %v", err)
		}
		g, err = news.ReadGold(f)
		f.Close()
		if err != nil {
			return fail("--eval %s: %v", *gold, err)
		}
	}
	if *split != "" && g == nil {
		return fail("--split needs --eval")
	}
	if err := checkReviewBelow(*reviewBelow); err != nil {
		return fail("%v", err)
	}
	files, err := ingest.ArticleFiles(pos)
	if err != nil {
		return fail("%v", err)
	}
	if *split != "" {
		files = g.InSplit(files, *split)
		if len(files) == 0 {
			return fail("--split %s: no file of the gold file is in that split", *split)
		}
	}
	status := exitOK
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	var all []news.Finding
	var read []string
	for _, file := range files {
		a, err := ingest.ReadArticle(file, o)
		if err == nil && g != nil && a.Published.IsZero() {
			a.Published = g.Published(file) // the flag and a header win over the gold file
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "stancewatch: %v\n", err)
			status = exitPartial
			continue
		}
		found := news.Extract(a, opt)
		read = append(read, file)
		all = append(all, found...)
		if g != nil {
			continue
		}
		for _, f := range found {
			if err := enc.Encode(f); err != nil {
				return fail("%v", err)
			}
		}
	}
	if g != nil {
		news.EvaluateAt(all, g, read, *reviewBelow).WriteReport(os.Stdout)
	}
	if len(read) == 0 {
		return exitFailure
	}
	return status
}

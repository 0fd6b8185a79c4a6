package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/stancewatch/stancewatch/internal/ingest"
	"github.com/stancewatch/stancewatch/producers/news"
)

func cmdExtract(args []string) int {
	fs := newFlags("extract", "extract [--published DATE] [--source URL] [--model FILE|none] [--eval GOLD.json [--split S,...] [--folds N] [--review-below C] | --train GOLD.json [--split S,...] --out MODEL] FILE|DIR...")
	af := addArticleFlags(fs, nil)
	gold := fs.String("eval", "", "score the findings against a gold file: precision, recall, F1 (by split, form, topic and stance), what would be published without review, and every false positive and negative")
	split := fs.String("split", "", "with --eval or --train: read only the files the gold file puts in these splits, comma-separated (tune, held-out, fresh3 … fresh15)")
	train := fs.String("train", "", "train the learned reader on the files this gold file labels and write it to --out")
	out := fs.String("out", "", "with --train: the model file to write")
	folds := fs.Int("folds", 0, "with --eval: cross-validate the learned reader: deal the files into N folds and read each with a model trained on the others")
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
	if *gold != "" && *train != "" {
		return fail("--eval and --train: one at a time")
	}
	if (*train != "") != (*out != "") {
		return fail("--train and --out go together")
	}
	if *folds != 0 && (*gold == "" || *folds < 2) {
		return fail("--folds %d: want 2 or more, with --eval", *folds)
	}
	if opt.Model != nil && (*train != "" || *folds != 0) {
		return fail("--model: not with --train or --folds, which train their own")
	}
	var g *news.Gold
	switch {
	case *gold != "":
		g, err = readGold("--eval", *gold)
	case *train != "":
		g, err = readGold("--train", *train)
	}
	if err != nil {
		return fail("%v", err)
	}
	if *split != "" && g == nil {
		return fail("--split needs --eval or --train")
	}
	if err := checkReviewBelow(*reviewBelow); err != nil {
		return fail("%v", err)
	}
	files, err := ingest.ArticleFiles(pos)
	if err != nil {
		return fail("%v", err)
	}
	if *split != "" {
		var in []string
		seen := map[string]bool{}
		for _, sp := range strings.Split(*split, ",") {
			sp = strings.TrimSpace(sp)
			if seen[sp] {
				continue
			}
			seen[sp] = true
			got := g.InSplit(files, sp)
			if len(got) == 0 {
				return fail("--split %s: no file of the gold file is in split %q", *split, sp)
			}
			in = append(in, got...)
		}
		files = in
	}
	if *train != "" || *folds != 0 {
		return trainOrFold(files, o, opt, g, *out, *folds, *reviewBelow)
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

// readGold reads the gold file a flag names.
func readGold(flag, path string) (*news.Gold, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", flag, err)
	}
	defer f.Close()
	g, err := news.ReadGold(f)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v", flag, path, err)
	}
	return g, nil
}

// trainOrFold trains the learned reader on the files and writes it to
// out, or, with folds, scores a cross-validation of it.
func trainOrFold(files []string, o news.Overrides, opt news.Options, g *news.Gold, out string, folds int, reviewBelow float64) int {
	var arts []news.Article
	var read []string
	status := exitOK
	for _, file := range files {
		a, err := ingest.ReadArticle(file, o)
		if err != nil {
			fmt.Fprintf(os.Stderr, "stancewatch: %v\n", err)
			status = exitPartial
			continue
		}
		if a.Published.IsZero() {
			a.Published = g.Published(file)
		}
		arts = append(arts, a)
		read = append(read, file)
	}
	if folds != 0 {
		found, err := news.CrossValidate(arts, g, opt, news.TrainOptions{}, folds)
		if err != nil {
			return fail("--folds: %v", err)
		}
		news.EvaluateAt(found, g, read, reviewBelow).WriteReport(os.Stdout)
		return status
	}
	m, n, err := news.TrainModel(arts, g, opt, news.TrainOptions{})
	if err != nil {
		return fail("--train: %v", err)
	}
	f, err := os.Create(out)
	if err != nil {
		return fail("--out: %v", err)
	}
	if _, err := m.WriteTo(f); err != nil {
		f.Close()
		return fail("--out: %v", err)
	}
	if err := f.Close(); err != nil {
		return fail("--out: %v", err)
	}
	fmt.Printf("trained on %d articles: %d states named in sentences, %d of them taking a labelled stance; %d positions no example can teach (their sentence does not name the state), %d whose evidence is not in its article\n",
		n.Articles, n.Examples, n.Positives, n.Unreachable, n.Unfound)
	fmt.Printf("%d features; thresholds %s; written to %s\n", m.Features(), m.Thresholds(), out)
	return status
}

package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/news"
)

// articleFlags are the flags extract and ingest share.
type articleFlags struct {
	published, source, topic *string
	model                    *string
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
		model:     fs.String("model", "", "the learned reader's model, a file written by extract --train; none reads with the rules alone (default: the model bundled in the binary)"),
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
	m, err := readModelFlag(*f.model)
	if err != nil {
		return o, opt, err
	}
	opt.Model = m
	if !*f.noCatalog {
		cat, err := news.BundledCatalog()
		if err != nil {
			return o, opt, err
		}
		opt.Catalog = cat
	}
	return o, opt, nil
}

// checkReviewBelow checks the --review-below flag of serve, ingest and
// extract: the options' own check (news.IngestOptions.Validate), and not
// 0, which the options read as "the default" where a user who types it
// means "publish everything".
func checkReviewBelow(v float64) error {
	if err := (news.IngestOptions{ReviewBelow: v}).Validate(); err != nil || v == 0 {
		return fmt.Errorf("--review-below %v: want a confidence above 0 and at most 1", v)
	}
	return nil
}

// readModelFlag reads the --model flag: a model file, "none" for the
// rules alone, or "" for the bundled model (nil).
func readModelFlag(v string) (*news.Model, error) {
	switch v {
	case "":
		return nil, nil
	case "none":
		return &news.Model{}, nil
	}
	f, err := os.Open(v)
	if err != nil {
		return nil, fmt.Errorf("--model: %v", err)
	}
	defer f.Close()
	m, err := news.ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("--model %s: %v", v, err)
	}
	return m, nil
}

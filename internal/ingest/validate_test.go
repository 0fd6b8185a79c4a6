package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers/news"
)

// TestSettingsValidate: the loader's and the watch folder's settings
// report every setting that cannot work, at once, before anything runs.
func TestSettingsValidate(t *testing.T) {
	st := openStore(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		validate func() error
		want     []string // "" alone: valid
	}{
		{"a loader with an appender", (&Loader{Appender: st}).Validate, nil},
		{"a loader without", (&Loader{ChunkEvents: -1}).Validate, []string{"appender: none", "chunk events -1"}},
		{"a watcher as serve makes it", (&Watcher{Dir: dir, Appender: st, Interval: time.Second, Logger: quiet(),
			Ingest: news.IngestOptions{ReviewBelow: 0.7}}).Validate, nil},
		{"a watcher with everything wrong", (&Watcher{Dir: dir + "/nowhere", Ingest: news.IngestOptions{ReviewBelow: 2},
			Options: news.Options{Hints: []news.TopicHint{{Place: "Gaza", Topic: events.MustTopic("gaza-ceasefire")}, {Place: "rafah"}}}}).Validate,
			[]string{"not a directory", "appender: none", "interval 0s", "logger: none", "review_below: 2", `hints[0].place: "Gaza"`, "hints[1].topic"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate() = nil")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, lacks %q", err, w)
				}
			}
		})
	}
	// Run refuses the loader's settings before storing anything.
	if err := (&Loader{}).Run(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "appender") {
		t.Fatalf("Run with no appender = %v", err)
	}
}

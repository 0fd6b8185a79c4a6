package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/stancewatch/stancewatch/internal/ingest"
)

// progressBar draws the bundled load's progress on a terminal, on one
// line it redraws; on anything else (a log file, a pipe) it draws nothing
// and the log's progress lines say it instead.
type progressBar struct {
	w     io.Writer
	mu    sync.Mutex
	start time.Time
	last  time.Time
	drawn bool
}

func newProgressBar(f *os.File) *progressBar {
	b := &progressBar{start: time.Now()}
	if isTerminal(f) {
		b.w = f
	}
	return b
}

func (b *progressBar) update(s ingest.LoadStatus) {
	if b == nil || b.w == nil || s.Events == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if time.Since(b.last) < 200*time.Millisecond && s.Done < s.Events {
		return
	}
	b.last = time.Now()
	const width = 30
	frac := float64(s.Done) / float64(s.Events)
	fill := int(frac * width)
	rate := float64(s.Done) / time.Since(b.start).Seconds()
	fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%% %d/%d events, %.0fk/s ", s.Dataset, strings.Repeat("#", fill), strings.Repeat(".", width-fill),
		100*frac, s.Done, s.Events, rate/1000)
	b.drawn = true
}

func (b *progressBar) done() {
	if b != nil && b.w != nil && b.drawn {
		fmt.Fprintln(b.w)
	}
}

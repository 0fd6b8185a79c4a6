package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/stancewatch/stancewatch/internal/projector"
)

func cmdRebuild(args []string) int {
	fs := newFlags("rebuild", "rebuild [--api URL]")
	newClient := addAPIFlags(fs)
	wait := fs.Bool("wait", true, "follow the rebuild until it is done")
	if _, code := parseOrExit(fs, args); code >= 0 {
		return code
	}
	c := newClient()
	st, err := rebuildCall(c, http.MethodPost)
	if err != nil {
		return fail("%v", err)
	}
	fmt.Fprintln(os.Stderr, "rebuild started: folding the stream from sequence 1 beside the projection being served")
	if !*wait {
		return exitOK
	}
	// The rebuild counts the stream's events once it has started reading
	// it: until then there is no count to show (not "0/0 events").
	bar := newBar(os.Stderr)
	for st.Running {
		if st.Target > 0 {
			bar.draw(st.Done, st.Target)
		}
		time.Sleep(200 * time.Millisecond)
		if st, err = rebuildCall(c, http.MethodGet); err != nil {
			return fail("%v", err)
		}
	}
	if st.Target > 0 {
		bar.draw(st.Done, st.Target)
		bar.end()
	}
	if st.Error != "" {
		return fail("rebuild failed: %s", st.Error)
	}
	fmt.Printf("rebuilt: %d events folded in %s; readers switched to the new projection\n", st.Done, st.Finished.Sub(st.Started).Round(time.Millisecond))
	return exitOK
}

func rebuildCall(c *apiClient, method string) (projector.RebuildStatus, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := c.do(ctx, method, "/v1/admin/rebuild")
	if err != nil {
		return projector.RebuildStatus{}, err
	}
	defer resp.Body.Close()
	var ans struct {
		Rebuild projector.RebuildStatus `json:"rebuild"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ans); err != nil {
		return projector.RebuildStatus{}, err
	}
	return ans.Rebuild, nil
}

// bar draws a progress bar on a terminal, and a line per 10% elsewhere.
type bar struct {
	w    *os.File
	tty  bool
	last int
}

func newBar(w *os.File) *bar { return &bar{w: w, tty: isTerminal(w), last: -1} }

func (b *bar) draw(done, total uint64) {
	pct := 100
	if total > 0 {
		pct = int(done * 100 / total)
	}
	if b.tty {
		const width = 40
		fill := pct * width / 100
		fmt.Fprintf(b.w, "\r[%s%s] %3d%% %d/%d events", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), pct, done, total)
		return
	}
	if pct/10 != b.last/10 {
		fmt.Fprintf(b.w, "%d%% (%d/%d events)\n", pct, done, total)
		b.last = pct
	}
}

func (b *bar) end() {
	if b.tty {
		fmt.Fprintln(b.w)
	}
}

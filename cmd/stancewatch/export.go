package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

func cmdExport(args []string) int {
	fs := newFlags("export", "export [positions|motions|events] [--as-of DATE] [--known-at TIME] [--actor A] [--topic T] [--all] [-o FILE]")
	asOf := fs.String("as-of", "", "the world as it stood on this day (positions, motions)")
	knownAt := fs.String("known-at", "", "what had been recorded by this time (RFC 3339, or a day: its end)")
	actor := fs.String("actor", "", "only this actor (positions, events)")
	topic := fs.String("topic", "", "only this topic")
	all := fs.Bool("all", false, "positions: every observation with its status, not only the counted ones")
	out := fs.String("o", "", "write here instead of standard output")
	apiURL := fs.String("api", envOr("STANCEWATCH_API", "http://127.0.0.1:8080"), "the stancewatch HTTP API [$STANCEWATCH_API]")
	pos, code := parseOrExit(fs, args)
	if code >= 0 {
		return code
	}
	what := "positions"
	if len(pos) > 0 {
		what = pos[0]
	}
	files := map[string]string{"positions": "positions.csv", "motions": "motions.csv", "events": "events.jsonl"}
	if files[what] == "" || len(pos) > 1 {
		fs.Usage()
		return exitUsage
	}
	q := url.Values{}
	for k, v := range map[string]string{"as_of": *asOf, "known_at": *knownAt, "actor": *actor, "topic": *topic} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if *all {
		q.Set("all", "true")
	}
	u := strings.TrimSuffix(*apiURL, "/") + "/v1/export/" + files[what] + "?" + q.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fail("%v (is `stancewatch serve` running? --api)", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fail("%s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fail("%v", err)
		}
		defer f.Close()
		w = f
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return fail("%v", err)
	}
	if *out != "" {
		fmt.Fprintf(os.Stderr, "wrote %s (%d bytes, stream sequence %s)\n", *out, n, resp.Header.Get("Stancewatch-Seq"))
	}
	return exitOK
}

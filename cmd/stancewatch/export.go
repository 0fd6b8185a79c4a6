package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

func cmdExport(args []string) int {
	fs := newFlags("export", "export [positions|motions|events|deadletters|alignment] [--as-of DATE] [--known-at TIME] [--actor A] [--topic T] [--all] [--with REFS] [--measure M] [--period year|session] [-o FILE]")
	asOf := fs.String("as-of", "", "the world as it stood on this day (positions, motions)")
	knownAt := fs.String("known-at", "", "what had been recorded by this time (RFC 3339, or a day: its end)")
	actor := fs.String("actor", "", "only this actor (positions, events)")
	topic := fs.String("topic", "", "only this topic")
	all := fs.Bool("all", false, "positions: every observation with its status, not only the counted ones")
	out := fs.String("o", "", "write here instead of standard output")
	with := fs.String("with", "", "alignment: actors or blocs to compare with, comma-separated (default US,GB,FR,RU,CN)")
	measure := fs.String("measure", "", "alignment: agreement or coincidence (default both)")
	period := fs.String("period", "", "alignment: year (default) or session")
	newClient := addAPIFlags(fs)
	pos, code := parseOrExit(fs, args)
	if code >= 0 {
		return code
	}
	what := "positions"
	if len(pos) > 0 {
		what = pos[0]
	}
	files := map[string]string{"positions": "positions.csv", "motions": "motions.csv", "events": "events.jsonl", "deadletters": "deadletters.jsonl", "alignment": "alignment.csv"}
	if files[what] == "" || len(pos) > 1 {
		fs.Usage()
		return exitUsage
	}
	q := url.Values{}
	for k, v := range map[string]string{"as_of": *asOf, "known_at": *knownAt, "actor": *actor, "topic": *topic, "with": *with, "measure": *measure, "period": *period} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if *all {
		q.Set("all", "true")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	resp, err := newClient().do(ctx, http.MethodGet, "/v1/export/"+files[what]+"?"+q.Encode())
	if err != nil {
		return fail("%v", err)
	}
	defer resp.Body.Close()
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

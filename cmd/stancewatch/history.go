package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/projections"
)

func cmdHistory(args []string) int {
	fs := newFlags("history", "history ACTOR [--topic T] [--as-of DATE] [--known-at TIME]")
	topic := fs.String("topic", "", "only this topic (default: every topic)")
	asOf := fs.String("as-of", "", "the world as it stood on this day (YYYY-MM-DD)")
	knownAt := fs.String("known-at", "", "what had been recorded by this time (RFC 3339, or a day: its end)")
	excludeOwn := fs.Bool("exclude-own", false, "leave out positions on texts the actor put forward itself")
	newClient := addAPIFlags(fs)
	asJSON := fs.Bool("json", false, "print the API's JSON answer")
	arg, code := parseOneOrExit(fs, args)
	if code >= 0 {
		return code
	}
	actor, err := events.ParseCountry(arg)
	if err != nil {
		return fail("actor %v", err)
	}
	q := url.Values{}
	for k, v := range map[string]string{"topic": *topic, "as_of": *asOf, "known_at": *knownAt} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if *excludeOwn {
		q.Set("exclude_own", "true")
	}
	c := newClient()
	u := "/v1/actors/" + actor.String() + "/history?" + q.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	body, err := c.get(ctx, u)
	if err != nil {
		return fail("%v", err)
	}
	if *asJSON {
		_, _ = os.Stdout.Write(body)
		return exitOK
	}
	var ans struct {
		Seq       uint64                `json:"seq"`
		History   *projections.History  `json:"history"`
		Histories []projections.History `json:"histories"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return fail("reading the answer of %s: %v", u, err)
	}
	hs := ans.Histories
	if ans.History != nil {
		hs = []projections.History{*ans.History}
	}
	for i, h := range hs {
		if i > 0 {
			fmt.Println()
		}
		printHistory(os.Stdout, h)
	}
	clocks := ""
	if *asOf != "" {
		clocks += " as of " + *asOf + ";"
	}
	if *knownAt != "" {
		clocks += " known at " + *knownAt + ";"
	}
	fmt.Printf("\n(stream sequence %d;%s %s%s)\n", ans.Seq, clocks, c.base, u)
	return exitOK
}

var arrows = map[events.Direction]string{events.TowardFor: "↑", events.TowardAgainst: "↓", events.Level: "→"}

// printHistory prints a timeline: one line per observation, the shifts
// marked.
func printHistory(w io.Writer, h projections.History) {
	cur := "none"
	if h.Current != nil {
		cur = fmt.Sprintf("%s since %s", h.Current.Stance, h.Current.Occurred)
		if !h.Current.Motion.IsZero() {
			cur += " (" + h.Current.Motion.String() + ")"
		}
	}
	fmt.Fprintf(w, "%s (%s) on %s: %d observations, %d shifts, %d open conflicts; current: %s\n\n",
		h.ActorName, h.Actor, h.Topic, len(h.Entries), len(h.Shifts), len(h.Conflicts), cur)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tSTANCE\tMOTION\tSHIFT\tSOURCE\tEVIDENCE")
	for _, e := range h.Entries {
		shift := ""
		if !e.ShiftFrom.IsZero() {
			shift = fmt.Sprintf("%s → %s %s", e.ShiftFrom, e.Stance, arrows[events.DirectionOf(e.ShiftFrom, e.Stance)])
		}
		stance := e.Stance.String()
		if e.Status != projections.Counted {
			stance += " (" + string(e.Status) + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Occurred, stance, e.Motion, shift, e.Evidence.Producer, clip(evidenceText(e), 70))
	}
	_ = tw.Flush()
}

func evidenceText(e projections.PositionView) string {
	t := e.Evidence.Quote
	if t == "" {
		t = e.Evidence.URL + " " + e.Evidence.Citation
	}
	if e.Retraction != nil {
		t = "RETRACTED: " + e.Retraction.Reason + " | " + t
	}
	return t
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

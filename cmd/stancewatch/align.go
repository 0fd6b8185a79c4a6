package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

func cmdAlign(args []string) int {
	fs := newFlags("align", "align ACTOR WITH [--topic T] [--measure agreement|coincidence] [--period year|session] [--from Y] [--to Y] [--divergent N]\n       align --scale PERIOD [--topic T] [--measure M] [--min N]   (every actor on one dimension: PERIOD is a year or session:74)")
	topic := fs.String("topic", "", "only roll calls on this topic (default: every roll call once)")
	measure := fs.String("measure", "agreement", "agreement (Voeten's index) or coincidence (the State Department's)")
	period := fs.String("period", "year", "year or session")
	from := fs.String("from", "", "first year or day")
	to := fs.String("to", "", "last year or day")
	asOf := fs.String("as-of", "", "the world as it stood on this day (YYYY-MM-DD)")
	knownAt := fs.String("known-at", "", "what had been recorded by this time (RFC 3339, or a day: its end)")
	divergent := fs.Int("divergent", 0, "also list the N most contested roll calls on which they parted")
	scale := fs.String("scale", "", "instead: every actor's position on one dimension in this period (a year, or session:74), from GET /v1/alignment/scale")
	minN := fs.Int("min", 0, "with --scale: the roll calls an actor needs to be placed (default: the server's, 10)")
	asJSON := fs.Bool("json", false, "print the API's JSON answer")
	newClient := addAPIFlags(fs)
	pos, code := parseOrExit(fs, args)
	if code >= 0 {
		return code
	}
	if *scale != "" {
		if len(pos) != 0 {
			fs.Usage()
			return exitUsage
		}
		q := url.Values{"period": {*scale}, "measure": {*measure}}
		if *minN > 0 {
			q.Set("min", fmt.Sprint(*minN))
		}
		for k, v := range map[string]string{"topic": *topic, "as_of": *asOf, "known_at": *knownAt} {
			if v != "" {
				q.Set(k, v)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		body, err := newClient().get(ctx, "/v1/alignment/scale?"+q.Encode())
		if err != nil {
			return fail("%v", err)
		}
		if *asJSON {
			_, _ = os.Stdout.Write(body)
			return exitOK
		}
		if err := printScale(os.Stdout, body); err != nil {
			return fail("%v", err)
		}
		return exitOK
	}
	if len(pos) != 2 {
		fs.Usage()
		return exitUsage
	}
	q := url.Values{"actor": {pos[0]}, "with": {pos[1]}}
	for k, v := range map[string]string{"topic": *topic, "measure": *measure, "period": *period, "from": *from, "to": *to, "as_of": *asOf, "known_at": *knownAt} {
		if v != "" {
			q.Set(k, v)
		}
	}
	c := newClient()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	body, err := c.get(ctx, "/v1/alignment?"+q.Encode())
	if err != nil {
		return fail("%v", err)
	}
	if *asJSON {
		_, _ = os.Stdout.Write(body)
		return exitOK
	}
	if err := printAlignment(os.Stdout, body); err != nil {
		return fail("%v", err)
	}
	if *divergent > 0 {
		q.Del("period")
		q.Set("limit", fmt.Sprint(*divergent))
		body, err := c.get(ctx, "/v1/alignment/divergent?"+q.Encode())
		if err != nil {
			return fail("%v", err)
		}
		if err := printDivergent(os.Stdout, body); err != nil {
			return fail("%v", err)
		}
	}
	return exitOK
}

type figureJSON struct {
	Value *float64 `json:"value"`
	N     int      `json:"n"`
}

// printAlignment renders GET /v1/alignment's answer: per reference, a
// line per period with the value, the roll calls behind it and a bar.
func printAlignment(w io.Writer, body []byte) error {
	var ans struct {
		Seq       uint64 `json:"seq"`
		Alignment []struct {
			Actor   string     `json:"actor"`
			With    string     `json:"with"`
			Topic   string     `json:"topic"`
			Measure string     `json:"measure"`
			Period  string     `json:"period"`
			Formula string     `json:"formula"`
			Overall figureJSON `json:"overall"`
			Points  []struct {
				Period string `json:"period"`
				figureJSON
			} `json:"points"`
			TieRule string `json:"tie_rule"`
		} `json:"alignment"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return fmt.Errorf("reading the answer: %v", err)
	}
	for _, s := range ans.Alignment {
		fmt.Fprintf(w, "%s with %s on %s: %s %s over %d roll calls\n", s.Actor, s.With, s.Topic, s.Measure, value(s.Overall), s.Overall.N)
		fmt.Fprintf(w, "(%s)\n\n", s.Formula)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\tVALUE\tN\t\n", strings.ToUpper(s.Period))
		for _, p := range s.Points {
			bar := ""
			if p.Value != nil {
				bar = strings.Repeat("█", int(math.Round(*p.Value*40)))
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", p.Period, value(p.figureJSON), p.N, bar)
		}
		tw.Flush()
		if s.TieRule != "" {
			fmt.Fprintf(w, "(bloc position: %s)\n", s.TieRule)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "(stream sequence %d)\n", ans.Seq)
	return nil
}

func value(f figureJSON) string {
	if f.Value == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f", *f.Value)
}

// printDivergent renders GET /v1/alignment/divergent's answer.
func printDivergent(w io.Writer, body []byte) error {
	var ans struct {
		Divergent struct {
			Actor     string `json:"actor"`
			With      string `json:"with"`
			RollCalls []struct {
				Motion  string  `json:"motion"`
				Date    string  `json:"date"`
				Actor   string  `json:"actor_vote"`
				With    string  `json:"with_vote"`
				Yes     int     `json:"yes"`
				No      int     `json:"no"`
				Abstain int     `json:"abstain"`
				Margin  float64 `json:"margin"`
			} `json:"roll_calls"`
		} `json:"divergent"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return fmt.Errorf("reading the answer: %v", err)
	}
	d := ans.Divergent
	fmt.Fprintf(w, "\nMost contested roll calls on which %s and %s parted:\n\n", d.Actor, d.With)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "DATE\tMOTION\t%s\t%s\tTALLY\tMARGIN\n", d.Actor, d.With)
	for _, r := range d.RollCalls {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d-%d-%d\t%.2f\n", r.Date, r.Motion, r.Actor, r.With, r.Yes, r.No, r.Abstain, r.Margin)
	}
	return tw.Flush()
}

// printScale renders GET /v1/alignment/scale's answer: a line per actor,
// from the most positive to the most negative, its position on a bar
// around zero, and the roll calls behind it.
func printScale(w io.Writer, body []byte) error {
	var ans struct {
		Seq   uint64 `json:"seq"`
		Scale struct {
			Period    string  `json:"period"`
			Topic     string  `json:"topic"`
			Method    string  `json:"method"`
			Measure   string  `json:"measure"`
			RollCalls int     `json:"roll_calls"`
			Anchor    string  `json:"anchor"`
			Explained float64 `json:"explained"`
			Positions []struct {
				Actor    string  `json:"actor"`
				Position float64 `json:"position"`
				N        int     `json:"n"`
			} `json:"positions"`
			LeftOut []struct {
				Actor string `json:"actor"`
			} `json:"left_out"`
		} `json:"scale"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	sc := ans.Scale
	fmt.Fprintf(w, "%s, %s: %d roll calls, %s; the line accounts for %.0f%% (positive: the side of %s)\n",
		sc.Period, sc.Topic, sc.RollCalls, sc.Measure, 100*sc.Explained, cmp.Or(sc.Anchor, "the anchor"))
	far := 0.0
	for _, p := range sc.Positions {
		far = math.Max(far, math.Abs(p.Position))
	}
	const half = 20
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range sc.Positions {
		bar := []rune(strings.Repeat(" ", half) + "|" + strings.Repeat(" ", half))
		if far > 0 {
			k := int(math.Round(p.Position / far * half))
			lo, hi := min(half, half+k), max(half, half+k)
			for i := lo; i <= hi; i++ {
				if i != half {
					bar[i] = '█'
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%+.3f\t%d\t%s\n", p.Actor, p.Position, p.N, string(bar))
	}
	_ = tw.Flush()
	if n := len(sc.LeftOut); n > 0 {
		fmt.Fprintf(w, "%d actors left out (too few roll calls)\n", n)
	}
	fmt.Fprintf(w, "(stream sequence %d)\n", ans.Seq)
	return nil
}

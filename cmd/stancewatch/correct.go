package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers"
)

func cmdRetract(args []string) int {
	fs := newFlags("retract", "retract ID --reason TEXT")
	reason := fs.String("reason", "", "why the event is withdrawn (required)")
	analyst := fs.String("analyst", os.Getenv("USER"), "who is retracting it (part of the event's source)")
	nf := addNATSFlags(fs)
	arg, code := parseOneOrExit(fs, args)
	if code >= 0 {
		return code
	}
	return withTarget(nf, arg, func(target events.Event) (events.Event, error) {
		return producers.Retraction(target, *reason, producers.AnalystSourceOf(*analyst), uuid.Nil, time.Now())
	})
}

func cmdCorrect(args []string) int {
	fs := newFlags("correct", "correct ID [--stance S] [--on DATE] [--motion M] [--actor A] [--topic T] [--evidence Q] [--source URL] [--confidence C]")
	changes := map[string]*string{}
	for _, f := range []struct{ flag, field, usage string }{
		{"actor", "actor", "the corrected actor"}, {"topic", "topic", "the corrected topic"},
		{"stance", "stance", "the corrected stance"}, {"on", "occurred", "the corrected date (YYYY-MM-DD or RFC 3339)"},
		{"motion", "motion", "the corrected motion"}, {"from", "from", "the corrected from stance"},
	} {
		changes[f.field] = fs.String(f.flag, "", f.usage)
	}
	quote := fs.String("evidence", "", "the words that show the corrected position")
	source := fs.String("source", "", "URL or reference of the evidence")
	confidence := fs.Float64("confidence", -1, "how sure you are, 0 to 1")
	noEvidence := fs.Bool("no-evidence", false, "say the correction has no evidence of its own (otherwise --evidence or --source is needed: the original's evidence proved the original)")
	analyst := fs.String("analyst", os.Getenv("USER"), "who is correcting it (part of the event's source)")
	nf := addNATSFlags(fs)
	arg, code := parseOneOrExit(fs, args)
	if code >= 0 {
		return code
	}
	patch := map[string]any{}
	for field, v := range changes {
		if *v != "" {
			patch[field] = *v
		}
	}
	evidence := map[string]any{}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["evidence"] {
		evidence["quote"] = *quote
	}
	if set["source"] {
		// The evidence names a URL, or a reference that is not one.
		src := events.SplitSource(*source)
		if src.URL != "" {
			evidence["url"] = src.URL
		}
		if src.Citation != "" {
			evidence["citation"] = src.Citation
		}
		if src.URL == "" && src.Citation == "" {
			evidence["url"] = *source // empty: refused as the source
		}
	}
	if set["confidence"] {
		evidence["confidence"] = *confidence
	}
	switch {
	case *noEvidence && len(evidence) > 0:
		return fail("--no-evidence goes without --evidence, --source and --confidence")
	case *noEvidence:
		patch["evidence"] = map[string]any{"none": true}
	case len(evidence) > 0:
		patch["evidence"] = evidence
	}
	body, _ := json.Marshal(patch)
	return withTarget(nf, arg, func(target events.Event) (events.Event, error) {
		ev, err := producers.Correction(target, body, producers.AnalystSourceOf(*analyst), time.Now())
		if errors.Is(err, producers.ErrNoEvidence) {
			return ev, fmt.Errorf("%w: give it with --evidence QUOTE --source URL, or say there is none with --no-evidence (the original's evidence proved the original)", producers.ErrNoEvidence)
		}
		return ev, err
	})
}

// correctionFlags maps a correction's field names to the flags of
// correct that set them, where they differ.
var correctionFlags = map[string]string{
	"occurred": "on", "evidence.quote": "evidence", "evidence.url": "source", "evidence.citation": "source",
	"evidence.confidence": "confidence", "evidence.none": "no-evidence", "evidence": "evidence",
}

// withTarget reads the event with the given id, builds a new event from
// it, and appends that.
func withTarget(nf natsFlags, idArg string, build func(target events.Event) (events.Event, error)) int {
	id, err := uuid.Parse(idArg)
	if err != nil {
		return fail("%q is not an event id (a UUID)", idArg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := connect(ctx, nf)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	stored, err := st.Get(ctx, id)
	if err != nil {
		return fail("%v", err)
	}
	target, err := stored.Decode()
	if err != nil {
		return fail("event %s cannot be read: %v", id, err)
	}
	ev, err := build(target)
	if err != nil {
		printFieldErrors(os.Stderr, err, correctionFlags)
		return exitUsage
	}
	ack, err := st.Append(ctx, ev)
	if err != nil {
		return fail("%v", err)
	}
	fmt.Printf("recorded: %s of %s at seq %d, id %s\n", kindName(ev), id, ack.Seq, ack.ID)
	return exitOK
}

func kindName(ev events.Event) string {
	if _, ok := ev.Data.(events.Retraction); ok {
		return "retraction"
	}
	return "correction"
}

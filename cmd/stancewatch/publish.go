package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers"
)

func cmdPublish(args []string) int {
	fs := newFlags("publish", "publish --actor US --topic gaza-ceasefire --stance abstain --on 2024-03-25 [--motion 2728] --evidence QUOTE --source URL")
	var in producers.AnalystInput
	fs.StringVar(&in.Actor, "actor", "", "the state: ISO code (US, USA) or name (United States, Washington)")
	fs.StringVar(&in.Topic, "topic", "", "topic slug, e.g. gaza-ceasefire")
	fs.StringVar(&in.Stance, "stance", "", "veto, vote_no, oppose, abstain, absent, conditional, support, vote_yes or sponsor")
	fs.StringVar(&in.On, "on", "", "when the position was taken: YYYY-MM-DD or an RFC 3339 time")
	fs.StringVar(&in.Motion, "motion", "", "the text it is about: S/2024/239, 2728, ...")
	fs.StringVar(&in.From, "from", "", "the stance the source says the actor moved from")
	fs.StringVar(&in.Quote, "evidence", "", "the words that show the position")
	fs.StringVar(&in.Source, "source", "", "URL or reference of the evidence")
	fs.Float64Var(&in.Confidence, "confidence", 1, "how sure you are, 0 to 1")
	fs.StringVar(&in.Supersedes, "supersedes", "", "id of a position this one corrects")
	fs.StringVar(&in.Analyst, "analyst", os.Getenv("USER"), "who is entering it (part of the event's source)")
	expect := fs.Int64("expect-seq", -1, "append only if the last event on this actor and topic is at this sequence (0: none yet); else fail with a conflict")
	asJSON := fs.Bool("json", false, "print the acknowledgement as JSON")
	nf := addNATSFlags(fs)
	viaService := addWriteServiceFlag(fs)
	if _, code := parseOrExit(fs, args); code >= 0 {
		return code
	}
	ev, err := producers.AnalystPosition(in, time.Now())
	if err != nil {
		printFieldErrors(os.Stderr, err, map[string]string{"quote": "evidence"})
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, closeConn, err := writer(ctx, nf, *viaService)
	if err != nil {
		return fail("%v", err)
	}
	defer closeConn()
	var opts []eventlog.AppendOption
	if *expect >= 0 {
		opts = append(opts, eventlog.ExpectLastSeq(uint64(*expect)))
	}
	ack, err := st.Append(ctx, ev, opts...)
	if err != nil {
		return fail("%v", err)
	}
	if *asJSON {
		_ = json.NewEncoder(os.Stdout).Encode(ack)
		return exitOK
	}
	p := ev.Data.(events.Position)
	fmt.Printf("recorded: %s %s on %s (%s) at seq %d, id %s\n", p.Actor.Name(), p.Stance, p.Topic, p.Occurred, ack.Seq, ack.ID)
	return exitOK
}

// printFieldErrors prints an input error one field a line, each named by
// its flag: flags maps the input's field names that differ from their
// flags ("quote" is --evidence).
func printFieldErrors(w io.Writer, err error, flags map[string]string) {
	var ve *events.ValidationError
	if !errors.As(err, &ve) {
		fmt.Fprintln(w, err)
		return
	}
	for _, f := range ve.Fields {
		// A correction's fields are paths in its body ("data.occurred").
		name := strings.TrimPrefix(f.Field, "data.")
		if fl, ok := flags[name]; ok {
			name = fl
		}
		if name == "data" {
			fmt.Fprintln(w, f.Message)
			continue
		}
		fmt.Fprintf(w, "--%s: %s\n", name, f.Message)
	}
}

package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/stancewatch/stancewatch/events"
)

func cmdTail(args []string) int {
	fs := newFlags("tail", "tail [--actor A[,B...]] [--topic T] [--shifts | --alignment [--reference R]] [--after SEQ | --all] [--durable NAME] [--json]")
	actorFlag := fs.String("actor", "", "only this actor's positions (or a comma-separated list: US,GB,FR,RU,CN)")
	shifts := fs.Bool("shifts", false, "follow shift alerts instead of events")
	aligned := fs.Bool("alignment", false, "follow alignment alerts instead of events")
	reference := fs.String("reference", "", "with --alignment: only alerts against this actor or bloc (US, eu)")
	topicFlag := fs.String("topic", "", "only this topic")
	after := fs.Uint64("after", 0, "start after this stream sequence (default: new events only)")
	all := fs.Bool("all", false, "start from the beginning of the stream")
	asJSON := fs.Bool("json", false, "print each event as its CloudEvent JSON, one per line")
	durable := fs.String("durable", "", "a durable subscription of this name: after a restart, resume after the last event printed")
	nf := addNATSFlags(fs)
	if _, code := parseOrExit(fs, args); code >= 0 {
		return code
	}
	var actors []events.Country
	var topic events.Topic
	var err error
	if *actorFlag != "" {
		for _, a := range strings.Split(*actorFlag, ",") {
			c, err := events.ParseCountry(a)
			if err != nil {
				return fail("--actor: %v", err)
			}
			actors = append(actors, c)
		}
	}
	switch {
	case *shifts && *aligned:
		return fail("--shifts and --alignment: one stream at a time")
	case *reference != "" && !*aligned:
		return fail("--reference goes with --alignment")
	case *reference != "" && !events.ValidReference(*reference):
		return fail("--reference %q: not an actor's code (US) or a bloc's id (eu)", *reference)
	}
	if *topicFlag != "" {
		if topic, err = events.ParseTopic(*topicFlag); err != nil {
			return fail("--topic: %v", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := connect(ctx, nf)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	o := eventlog.SubscribeOptions{New: true, Shifts: *shifts, Alignment: *aligned}
	o.Select(actors, topic, *reference)
	switch {
	case *all:
		o.New = false
	case *after > 0:
		o.New, o.After = false, *after
	}
	print := func(d eventlog.Delivery) error {
		if *asJSON {
			_, err := fmt.Printf("%s\n", d.Data)
			return err
		}
		_, err := fmt.Println(describe(d))
		return err
	}
	if *durable != "" {
		err = st.SubscribeDurable(ctx, *durable, o, print)
	} else {
		err = st.Subscribe(ctx, o, print)
	}
	if err != nil {
		return fail("%v", err)
	}
	return exitOK
}

// describe renders a delivered event as one line.
func describe(d eventlog.Delivery) string {
	ev, err := events.Decode(d.Data)
	head := fmt.Sprintf("#%d %s", d.Seq, d.Time.Format("2006-01-02T15:04:05Z"))
	if err != nil {
		return fmt.Sprintf("%s unreadable event on %s: %v", head, d.Subject, err)
	}
	switch p := ev.Data.(type) {
	case events.Position:
		s := fmt.Sprintf("%s position %s %-8s %-11s on %s", head, p.Actor, p.Topic, p.Stance, p.Occurred)
		if !p.Motion.IsZero() {
			s += " re " + p.Motion.String()
		}
		return s + fmt.Sprintf(" [%s] %q", p.Evidence.Producer, clip(p.Evidence.Quote, 80))
	case events.Motion:
		return fmt.Sprintf("%s motion %s %s %s %s %s", head, p.ID, p.Topic, p.Date, p.Outcome, p.Tally)
	case events.Retraction:
		return fmt.Sprintf("%s retraction of %s: %s", head, p.Target, p.Reason)
	case events.ShiftAlert:
		return fmt.Sprintf("%s shift %s %s %s %s → %s on %s (%s)", head, p.Status, p.Actor, p.Topic, p.From, p.To, p.Date, p.Direction)
	case events.BlocDefinition:
		return fmt.Sprintf("%s bloc %s (%s), %d members", head, p.ID, p.Name, len(p.Members))
	case events.AlignmentAlert:
		return fmt.Sprintf("%s alignment %s with %s on %s: %s %.2f (%d roll calls) → %s %.2f (%d), %+.2f", head, p.Actor, p.Reference, p.Topic,
			p.Previous, p.Before.Value, p.Before.N, p.Period, p.After.Value, p.After.N, p.Delta)
	}
	return head
}

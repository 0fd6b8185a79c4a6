package store

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// reused returns ev with its id on another topic, or another stance.
func reused(ev events.Event, topic, stance string) events.Event {
	p := ev.Data.(events.Position)
	if topic != "" {
		p.Topic = events.MustTopic(topic)
	}
	if stance != "" {
		p.Stance = events.MustStance(stance)
	}
	ev.Data = p
	return ev
}

// TestIDStoredOnceAcrossTheStream: an event id names one event. Reused
// with other content on its subject (every append), or on another topic
// of its actor (conditional, batch, bulk and pipelined appends: the paths
// of ids derived from documents), it is refused with an *IDConflictError
// saying what differs, and nothing is stored; the same content again is
// the idempotent duplicate. (A single append's id reused on another topic
// is refused by the HTTP layer's lookup and, past it, by the projection:
// tested there.)
func TestIDStoredOnceAcrossTheStream(t *testing.T) {
	s := openTest(t)
	ctx := ctxT(t)
	orig := position("US", "abstain", "2024-03-25", 1)
	a, err := s.Append(ctx, orig)
	if err != nil {
		t.Fatal(err)
	}
	other := position("GB", "abstain", "2024-03-25", 2)
	if _, err := s.Append(ctx, other); err != nil {
		t.Fatal(err)
	}
	otherTopic := reused(orig, "gaza-humanitarian", "")
	otherStance := reused(orig, "", "veto")
	appends := map[string]func(ev events.Event) error{
		"single": func(ev events.Event) error { _, err := s.Append(ctx, ev); return err },
		"conditional": func(ev events.Event) error {
			_, err := s.Append(ctx, ev, eventlog.ExpectLastSeq(0))
			return err
		},
		"batch": func(ev events.Event) error {
			_, err := s.AppendBatch(ctx, []events.Event{position("FR", "vote_yes", "2024-03-25", 3), ev})
			return err
		},
		"bulk": func(ev events.Event) error {
			_, err := s.AppendGroups(ctx, [][]events.Event{{position("FR", "vote_yes", "2024-03-25", 4), ev}}, nil)
			return err
		},
		"pipelined": func(ev events.Event) error { _, err := s.AppendMany(ctx, []events.Event{ev}); return err },
	}
	for name, appendIt := range appends {
		for _, tc := range []struct {
			name string
			ev   events.Event
			want string
		}{
			{"another topic", otherTopic, "data.topic"},
			{"another stance on the same subject", otherStance, "data.stance"},
		} {
			if name == "single" && tc.name == "another topic" {
				continue
			}
			t.Run(name+", "+tc.name, func(t *testing.T) {
				before, _ := s.LastSeq(ctx)
				err := appendIt(tc.ev)
				var ic *eventlog.IDConflictError
				if !errors.As(err, &ic) || !errors.Is(err, eventlog.ErrConflict) || !errors.Is(err, eventlog.ErrIDReused) {
					t.Fatalf("err = %v, want an IDConflictError", err)
				}
				if ic.Seq != a.Seq || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), orig.ID.String()) {
					t.Fatalf("err = %v: want it to name sequence %d and %s", err, a.Seq, tc.want)
				}
				if after, _ := s.LastSeq(ctx); after != before {
					t.Fatalf("the stream moved from %d to %d: a refused append stored something", before, after)
				}
			})
		}
	}
	// The same content again, whatever the path: a duplicate at the
	// original's sequence.
	dup, err := s.Append(ctx, orig)
	if err != nil || !dup.Duplicate || dup.Seq != a.Seq {
		t.Fatalf("same content again: %+v %v", dup, err)
	}
	acks, err := s.AppendMany(ctx, []events.Event{orig})
	if err != nil || !acks[0].Duplicate || acks[0].Seq != a.Seq {
		t.Fatalf("same content again, pipelined: %+v %v", acks, err)
	}
	// Evidence is provenance: the same fact from another file is the
	// same event.
	p := orig.Data.(events.Position)
	p.Evidence.Document = "another-file.csv#3"
	p.Evidence.Quote = "the same vote, read elsewhere"
	again := orig
	again.Data = p
	if dup, err := s.Append(ctx, again); err != nil || !dup.Duplicate || dup.Seq != a.Seq {
		t.Fatalf("the same fact from another file: %+v %v", dup, err)
	}
}

// TestDataDirLockedOnce: a second store on a data directory in use fails
// at once, naming the directory and the process that holds it; after the
// first closes, the directory opens again.
func TestDataDirLockedOnce(t *testing.T) {
	dir := t.TempDir()
	s1 := openTest(t, func(c *Config) { c.DataDir = dir })
	start := time.Now()
	_, err := Open(ctxT(t), Config{DataDir: dir, Listen: "off", Logger: quiet()})
	if !errors.Is(err, ErrDataDirInUse) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "process ") {
		t.Fatalf("second open: %v, want ErrDataDirInUse naming %s and the process", err, dir)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the second open took %s to fail: it must fail at once", d)
	}
	s1.Close()
	s2, err := Open(ctxT(t), Config{DataDir: dir, Listen: "off", Logger: quiet()})
	if err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
	s2.Close()
}

// TestNATSPortInUseFailsAtOnce: the bind error comes back at once, not
// after the 30 s readiness wait.
func TestNATSPortInUseFailsAtOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	start := time.Now()
	_, err = Open(ctxT(t), Config{DataDir: t.TempDir(), Listen: ln.Addr().String(), Logger: quiet()})
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("open on a port in use: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %s to fail", d)
	}
}

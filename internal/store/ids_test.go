package store

import (
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// mustOpen opens a store on cfg or fails the test; the test closes it.
func mustOpen(t *testing.T, cfg Config) *Store {
	t.Helper()
	s, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wantDuplicate fails unless appending ev again answers a duplicate of
// the copy at seq.
func wantDuplicate(t *testing.T, s *Store, ev events.Event, seq uint64) {
	t.Helper()
	a, err := s.Append(ctxT(t), ev)
	if err != nil || !a.Duplicate || a.Seq != seq {
		t.Fatalf("appending %s again: %+v %v, want a duplicate of sequence %d", ev.ID, a, err, seq)
	}
}

func TestOnceEverAcrossRestarts(t *testing.T) {
	for _, tc := range []struct {
		name string
		// spoil does something to the id index's file between the runs.
		spoil func(t *testing.T, path string)
		// readsFile: the second run starts from the file rather than the
		// whole stream.
		readsFile bool
	}{
		{"the file as written", func(*testing.T, string) {}, true},
		{"no file", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a torn file", func(t *testing.T, path string) {
			b, _ := os.ReadFile(path)
			if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a file of another stream's history", func(t *testing.T, path string) {
			// The same name, written for a stream whose message at the
			// file's place holds another id.
			entries, upTo, _, err := readIDs(path, "STANCEWATCH")
			if err != nil {
				t.Fatal(err)
			}
			if err := writeIDs(path, "STANCEWATCH", entries, upTo, events.NewID()); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := Config{DataDir: dir, Listen: "off", Logger: quiet(), DedupWindow: 100 * time.Millisecond}
			s := mustOpen(t, cfg)
			var evs []events.Event
			for i := range 30 {
				evs = append(evs, position("FR", "support", "2024-03-25", i))
			}
			if _, err := s.AppendMany(ctxT(t), evs[:20]); err != nil {
				t.Fatal(err)
			}
			s.Close()
			path := s.idsPath()
			tc.spoil(t, path)

			s = mustOpen(t, cfg)
			defer s.Close()
			if err := s.idsReady(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			s.ids.mu.Lock()
			fromFile := len(s.ids.base)
			s.ids.mu.Unlock()
			if got := fromFile == 20; got != tc.readsFile {
				t.Fatalf("%d ids read from the file, want it read: %v", fromFile, tc.readsFile)
			}
			for i, ev := range evs[:20] {
				wantDuplicate(t, s, ev, uint64(i+1))
			}
			if _, err := s.AppendMany(ctxT(t), evs[20:]); err != nil {
				t.Fatal(err)
			}
			for i, ev := range evs {
				if got, err := s.Get(ctxT(t), ev.ID); err != nil || got.Seq != uint64(i+1) {
					t.Fatalf("Get(%s) = %d, %v; want %d", ev.ID, got.Seq, err, i+1)
				}
			}
			wantLastSeq(t, s, 30)
		})
	}
}

// TestOnceEverAcrossProcesses appends the same events from two stores on
// one server, at once and one after the other, past the dedup window:
// the stream keeps one copy of each.
func TestOnceEverAcrossProcesses(t *testing.T) {
	a := openTest(t, func(c *Config) { c.DedupWindow = time.Second })
	b := mustOpen(t, Config{URL: a.ClientURL(), Logger: quiet()})
	defer b.Close()
	var evs []events.Event
	for i := range 40 {
		evs = append(evs, position("DE", "oppose", "2024-03-25", i))
	}
	var wg sync.WaitGroup
	for _, s := range []*Store{a, b} {
		wg.Go(func() {
			for _, ev := range evs[:20] {
				if _, err := s.Append(ctxT(t), ev); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	wantLastSeq(t, a, 20)
	time.Sleep(1500 * time.Millisecond) // past the server's dedup window
	for _, ev := range evs[:20] {
		a1, err1 := a.Append(ctxT(t), ev)
		a2, err2 := b.Append(ctxT(t), ev)
		if err1 != nil || err2 != nil || !a1.Duplicate || !a2.Duplicate || a1.Seq != a2.Seq {
			t.Fatalf("appending %s again: %+v %v, %+v %v", ev.ID, a1, err1, a2, err2)
		}
	}
	// One store appends, the other finds it at once.
	for _, ev := range evs[20:] {
		st, err := a.Append(ctxT(t), ev)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.Get(ctxT(t), ev.ID)
		if err != nil || got.Seq != st.Seq {
			t.Fatalf("the other store's Get(%s): %d %v, want %d", ev.ID, got.Seq, err, st.Seq)
		}
	}
	wantLastSeq(t, a, 40)
}

// TestOnceEverInOneProcess appends the same events from many goroutines
// of one store, by every path at once.
func TestOnceEverInOneProcess(t *testing.T) {
	s := openTest(t)
	var evs []events.Event
	for i := range 50 {
		evs = append(evs, position("IT", "abstain", "2024-03-25", i))
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			var err error
			switch w % 4 {
			case 0:
				_, err = s.AppendMany(ctxT(t), evs)
			case 1:
				_, err = s.AppendBatch(ctxT(t), evs)
			case 2:
				_, err = s.AppendGrouped(ctxT(t), [][]events.Event{evs[:25], evs[25:]}, nil)
			default:
				for _, ev := range evs {
					if _, err = s.Append(ctxT(t), ev); err != nil {
						break
					}
				}
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	wantLastSeq(t, s, 50)
}

// TestEarlierLayout reads a stream whose events were stored under
// subjects that end with their ids, without the id header: they are
// found by id and never stored again.
func TestEarlierLayout(t *testing.T) {
	cfg := Config{DataDir: t.TempDir(), Listen: "off", Logger: quiet()}
	s := mustOpen(t, cfg)
	ctx := ctxT(t)
	var evs []events.Event
	for i := range 5 {
		evs = append(evs, position("ES", "support", "2024-03-25", i))
	}
	for _, ev := range evs[:4] {
		data, err := ev.Encode()
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := ev.LegacySubject()
		m := &nats.Msg{Subject: subject, Data: data, Header: nats.Header{eventlog.ChecksumHeader: {eventlog.Checksum(data)}, jetstream.ExpectedLastSubjSeqHeader: {"0"}}}
		if _, err := s.JetStream().PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	// The last one as a client that writes neither the id header nor a
	// subject with the id: its id is read from the event.
	data, _ := evs[4].Encode()
	if _, err := s.JetStream().Publish(ctx, evs[4].Subject(), data); err != nil {
		t.Fatal(err)
	}
	// A stream of the earlier layout is what a store opens on: the index
	// reads it (raw publishes a moment ago are the dedup window's and the
	// next catching up's, not this test's).
	s.Close()
	s = mustOpen(t, cfg)
	defer s.Close()
	for i, ev := range evs {
		wantDuplicate(t, s, ev, uint64(i+1))
		if got, err := s.Get(ctx, ev.ID); err != nil || got.Seq != uint64(i+1) {
			t.Fatalf("Get(%s) = %d, %v", ev.ID, got.Seq, err)
		}
	}
	// An append with the optimistic check on the key sees both layouts.
	next := position("ES", "oppose", "2024-03-26", 9)
	if _, err := s.Append(ctx, next, eventlog.ExpectLastSeq(4)); err == nil {
		t.Fatal("an append expecting sequence 4 under ES/gaza-ceasefire was stored; the last is 5")
	}
	if _, err := s.Append(ctx, next, eventlog.ExpectLastSeq(5)); err != nil {
		t.Fatal(err)
	}
	wantLastSeq(t, s, 6)
}

// TestIDIndexFileMustMatchTheStream: a file whose last message the
// stream does not hold (a stream that lost its tail, or another one) is
// not used: the ids it names are not taken as stored.
func TestIDIndexFileMustMatchTheStream(t *testing.T) {
	cfg := Config{DataDir: t.TempDir(), Listen: "off", Logger: quiet()}
	s := mustOpen(t, cfg)
	if _, err := s.Append(ctxT(t), position("PT", "support", "2024-03-25", 1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	path, stream := s.idsPath(), s.cfg.Stream
	entries, upTo, _, err := readIDs(path, stream)
	if err != nil || len(entries) != 1 || upTo != 1 {
		t.Fatalf("file: %d entries up to %d, %v", len(entries), upTo, err)
	}
	// The file claims a second event at sequence 2 the stream never got.
	lost := position("PT", "oppose", "2024-03-26", 2)
	entries = append(entries, idEntry{lost.ID, 2})
	slices.SortFunc(entries, func(a, b idEntry) int { return compareEntry(a, b.id) })
	if err := writeIDs(path, stream, entries, 2, lost.ID); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, cfg)
	defer s.Close()
	a, err := s.Append(ctxT(t), lost)
	if err != nil || a.Duplicate || a.Seq != 2 {
		t.Fatalf("appending the event the file wrongly names: %+v %v", a, err)
	}
	wantDuplicate(t, s, position("PT", "support", "2024-03-25", 1), 1)
}

func TestSubjectMatches(t *testing.T) {
	for _, tc := range []struct {
		filter, subject string
		want            bool
	}{
		{"positions.*.*.*", "positions.US.gaza-ceasefire.news", true},
		{"positions.*.*.*", "positions.US.gaza-ceasefire", false},
		{"positions.>", "positions.US.gaza-ceasefire.news", true},
		{"positions.>", "positions", false},
		{"positions.US.>", "positions.FR.gaza-ceasefire.news", false},
		{"reviews.*.>", "reviews.US.decided.x", true},
		{"motions.*.*", "positions.US.x", false},
		{"positions.*.gaza-ceasefire.*", "positions.US.gaza-ceasefire.0190c7a2-7a5e-7cc0-8000-000000000001", true},
	} {
		t.Run(tc.filter+" "+tc.subject, func(t *testing.T) {
			if got := subjectMatches(tc.filter, tc.subject); got != tc.want {
				t.Fatalf("subjectMatches = %v", got)
			}
		})
	}
	for f, want := range map[string]bool{"positions.*.*.*": true, "reviews.>": true, "positions.US.>": false, "positions.*.gaza-ceasefire.*": false} {
		if broad(f) != want {
			t.Errorf("broad(%q) = %v", f, !want)
		}
	}
}

// TestClientsAskTheServingIndex: a client of an embedded store asks its
// index over NATS (IDsSubject) instead of reading the stream's headers;
// a client of a server no store serves builds its own.
func TestClientsAskTheServingIndex(t *testing.T) {
	owner := openTest(t)
	ev := position("NO", "support", "2024-03-25", 1)
	a, err := owner.Append(ctxT(t), ev)
	if err != nil {
		t.Fatal(err)
	}
	client := mustOpen(t, Config{URL: owner.ClientURL(), Logger: quiet()})
	defer client.Close()
	wantDuplicate(t, client, ev, a.Seq)
	if got, err := client.Get(ctxT(t), ev.ID); err != nil || got.Seq != a.Seq {
		t.Fatalf("the client's Get: %d %v", got.Seq, err)
	}
	if !client.idsRemote() || client.ids.ready {
		t.Fatalf("the client built an index of its own (remote %v, built %v)", client.idsRemote(), client.ids.ready)
	}
	// Appended by the client, found by the owner at once, and the other way.
	other := position("NO", "oppose", "2024-03-26", 2)
	b, err := client.Append(ctxT(t), other)
	if err != nil {
		t.Fatal(err)
	}
	wantDuplicate(t, owner, other, b.Seq)
	wantDuplicate(t, client, other, b.Seq)

	// A server with no store serving it: each client builds its own.
	srv, err := server.NewServer(&server.Options{JetStream: true, StoreDir: t.TempDir(), Port: -1, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(srv.Shutdown)
	c1 := mustOpen(t, Config{URL: srv.ClientURL(), Logger: quiet()})
	defer c1.Close()
	a1, err := c1.Append(ctxT(t), ev)
	if err != nil {
		t.Fatal(err)
	}
	c2 := mustOpen(t, Config{URL: srv.ClientURL(), Logger: quiet()})
	defer c2.Close()
	wantDuplicate(t, c2, ev, a1.Seq)
	if c2.idsRemote() {
		t.Fatal("a client of a server no store serves asked a remote index")
	}
}

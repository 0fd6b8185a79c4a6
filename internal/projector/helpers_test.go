package projector

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/store"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// openTest opens a store on a real embedded nats-server in a temporary
// directory, listening on a random loopback port.
func openTest(t *testing.T, mod ...func(*store.Config)) *store.Store {
	t.Helper()
	cfg := store.Config{DataDir: t.TempDir(), Listen: "127.0.0.1:-1", Logger: quiet()}
	for _, m := range mod {
		m(&cfg)
	}
	s, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// mustNew is New for a configuration the test knows is valid.
func mustNew(t testing.TB, s *store.Store, p *Projection, cfg Config) *Projector {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet()
	}
	w, err := New(s, p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func position(actor, stance, day string, n int) events.Event {
	p := events.Position{
		Actor: events.MustCountry(actor), Topic: events.MustTopic("gaza-ceasefire"), Stance: events.MustStance(stance),
		Occurred: events.OnDay(events.MustDate(day)),
		Evidence: events.Evidence{Quote: fmt.Sprintf("observation %d", n), Producer: events.ProducerAnalyst, Confidence: 1},
	}
	id, _ := events.ContentID("test", p)
	return events.Event{ID: id, Source: "test", SchemaVersion: 1, Data: p}
}

// wantLastSeq fails the test unless the stream's last sequence (the
// number of events stored, as nothing is ever deleted) is n.
func wantLastSeq(t *testing.T, s *store.Store, n uint64) {
	t.Helper()
	if got, err := s.LastSeq(ctxT(t)); err != nil || got != n {
		t.Fatalf("stream holds %d events (%v), want %d", got, err, n)
	}
}

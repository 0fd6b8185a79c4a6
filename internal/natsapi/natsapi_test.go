package natsapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/nats-io/nats.go"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/natsapi"
	"github.com/stancewatch/stancewatch/internal/store"
)

func position(actor string, i int, p events.Producer) events.Event {
	pos := events.Position{Actor: events.MustCountry(actor), Topic: events.MustTopic("gaza-ceasefire"), Stance: events.Support,
		Occurred: events.OnDay(events.MustDate("2024-03-26")),
		Evidence: events.Evidence{Quote: fmt.Sprint("natsapi test ", actor, i), Producer: p, Confidence: 0.9}}
	return events.Event{ID: events.DeterministicID("natsapi", actor, fmt.Sprint(i)), Source: "natsapi-test", SchemaVersion: events.CurrentSchemaVersion, Data: pos}
}

// serving opens a store on a real embedded server and starts the write
// service on it (traced by tp, if not nil), both stopped when the test ends.
func serving(t *testing.T, tp trace.TracerProvider) *store.Store {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(t.Context(), store.Config{DataDir: t.TempDir(), Listen: "off", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	svc, err := natsapi.Start(natsapi.Config{Conn: st.Conn(), Appender: st, Logger: quiet, TracerProvider: tp})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Stop)
	return st
}

func TestWriteService(t *testing.T) {
	st := serving(t, nil)
	request := func(p events.Producer, body string) natsapi.Reply {
		t.Helper()
		m, err := st.Conn().Request(natsapi.Subject(p), []byte(body), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		var r natsapi.Reply
		if err := json.Unmarshal(m.Data, &r); err != nil {
			t.Fatalf("%s: %v", m.Data, err)
		}
		return r
	}
	encode := func(evs ...events.Event) string {
		b, _ := json.Marshal(evs)
		if len(evs) == 1 {
			b, _ = json.Marshal(evs[0])
		}
		return string(b)
	}
	bad := position("FR", 9, events.ProducerNews)
	badJSON := strings.Replace(encode(bad), `"actor":"FR"`, `"actor":"XX"`, 1)
	badJSON = strings.Replace(badJSON, `"stance":"support"`, `"stance":"maybe"`, 1)
	tests := []struct {
		name     string
		producer events.Producer
		body     string
		status   int
		want     string
		results  int
	}{
		{"one news event", events.ProducerNews, encode(position("US", 1, events.ProducerNews)), 0, "", 1},
		{"the same again is a duplicate", events.ProducerNews, encode(position("US", 1, events.ProducerNews)), 0, "", 1},
		{"an atomic batch", events.ProducerAnalyst, encode(position("GB", 1, events.ProducerAnalyst), position("GB", 2, events.ProducerAnalyst)), 0, "", 2},
		{"a claim beyond the subject's producer", events.ProducerNews, encode(position("DE", 1, events.ProducerRollCall)), 403, "claims rollcall", 0},
		{"a batch with one claim too many stores nothing", events.ProducerNews,
			encode(position("DE", 2, events.ProducerNews), position("DE", 3, events.ProducerAnalyst)), 403, "claims analyst", 0},
		{"every wrong field, by index", events.ProducerNews, "[" + encode(position("DE", 4, events.ProducerNews)) + "," + badJSON + "]", 400, "2 fields", 0},
		{"not JSON", events.ProducerNews, "{", 400, "", 0},
		{"empty", events.ProducerNews, "", 400, "empty", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request(tt.producer, tt.body)
			if tt.status == 0 {
				if r.Error != nil || len(r.Results) != tt.results {
					t.Fatalf("reply %+v %+v", r, r.Error)
				}
				return
			}
			if r.Error == nil || r.Error.Status != tt.status || !strings.Contains(r.Error.Detail, tt.want) {
				t.Fatalf("reply %+v, want status %d saying %q", r.Error, tt.status, tt.want)
			}
		})
	}
	r := request(events.ProducerNews, "["+encode(position("DE", 4, events.ProducerNews))+","+badJSON+"]")
	if len(r.Error.Fields) != 2 || !strings.HasPrefix(r.Error.Fields[0].Field, "[1].") {
		t.Fatalf("fields %+v", r.Error.Fields)
	}
	// Stored: the US event once, the two British ones; nothing refused.
	last, err := st.LastSeq(t.Context())
	if err != nil || last != 3 {
		t.Fatalf("the stream holds %d events (%v), want 3", last, err)
	}
}

// TestWriteServiceTraced: a write request that comes in a trace (a
// traceparent header on the NATS message) gets a server span, a child of
// the caller's, and the stored message carries the trace on; a request
// outside a trace gets no span and the message no trace headers.
func TestWriteServiceTraced(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	st := serving(t, tp)
	const traceID = "4bf92f3577b34a736ffa21ab0f0e4a7c"
	for _, tc := range []struct {
		name   string
		header string
		spans  int
	}{
		{"in a trace", "00-" + traceID + "-00f067aa0ba902b7-01", 1},
		{"outside a trace", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exp.Reset()
			ev := position("IE", len(tc.header), events.ProducerNews)
			b, _ := json.Marshal(ev)
			m := nats.NewMsg(natsapi.Subject(events.ProducerNews))
			m.Data = b
			if tc.header != "" {
				m.Header.Set("traceparent", tc.header)
			}
			resp, err := st.Conn().RequestMsg(m, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			var r natsapi.Reply
			if err := json.Unmarshal(resp.Data, &r); err != nil || r.Error != nil || len(r.Results) != 1 {
				t.Fatalf("reply %s: %v", resp.Data, err)
			}
			spans := exp.GetSpans()
			if len(spans) != tc.spans {
				t.Fatalf("%d spans, want %d", len(spans), tc.spans)
			}
			var stored eventlog.Delivery
			err = st.Subscribe(t.Context(), eventlog.SubscribeOptions{After: r.Results[0].Seq - 1, CatchUp: true}, func(d eventlog.Delivery) error {
				if d.Seq == r.Results[0].Seq {
					stored = d
				}
				return nil
			})
			if err != nil || stored.Seq == 0 {
				t.Fatalf("reading the stored message: %v", err)
			}
			if tc.spans == 0 {
				if stored.Trace.Parent != "" {
					t.Errorf("a write outside a trace stored trace headers: %+v", stored.Trace)
				}
				return
			}
			sp := spans[0]
			if sp.Name != natsapi.Subject(events.ProducerNews) || sp.SpanContext.TraceID().String() != traceID || sp.Parent.SpanID().String() != "00f067aa0ba902b7" {
				t.Errorf("span %s in trace %s, parent %s", sp.Name, sp.SpanContext.TraceID(), sp.Parent.SpanID())
			}
			if !strings.Contains(stored.Trace.Parent, traceID) || !strings.Contains(stored.Trace.Parent, sp.SpanContext.SpanID().String()) {
				t.Errorf("stored message's traceparent %q: want the write span's", stored.Trace.Parent)
			}
		})
	}
}

// TestClientRefusesOptions: the client's appends take no options, since
// the service would not honour them; an option is refused (ErrBadOption)
// and nothing is sent, where it would otherwise be dropped silently.
func TestClientRefusesOptions(t *testing.T) {
	st := serving(t, nil)
	c := natsapi.NewClient(st.Conn())
	ev := position("NO", 1, events.ProducerAnalyst)
	for _, tc := range []struct {
		name   string
		append func() error
	}{
		{"append, an expected sequence", func() error { _, err := c.Append(t.Context(), ev, eventlog.ExpectLastSeq(0)); return err }},
		{"batch, all or nothing", func() error {
			_, err := c.AppendBatch(t.Context(), []events.Event{ev}, eventlog.AllOrNothing())
			return err
		}},
		{"batch, a nil option", func() error { _, err := c.AppendBatch(t.Context(), []events.Event{ev}, nil); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.append(); !errors.Is(err, eventlog.ErrBadOption) {
				t.Fatalf("err = %v, want ErrBadOption", err)
			}
		})
	}
	if last, err := st.LastSeq(t.Context()); err != nil || last != 0 {
		t.Fatalf("the stream holds %d events (%v), want none", last, err)
	}
	if acks, err := c.AppendBatch(t.Context(), []events.Event{ev}); err != nil || len(acks) != 1 {
		t.Fatalf("a batch without options: %v %v", acks, err)
	}
}

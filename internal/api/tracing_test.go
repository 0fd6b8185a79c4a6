package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/stancewatch/stancewatch/internal/api"
	"github.com/stancewatch/stancewatch/internal/store"
)

const (
	traceID   = "4bf92f3577b34da6a3ce929d0e0e4736"
	parentID  = "00f067aa0ba902b7"
	traceHdr  = "00-" + traceID + "-" + parentID + "-01"
	traceHdr2 = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
)

// tracedEnv is the whole stack with an SDK tracer provider that exports
// to memory.
func tracedEnv(t *testing.T) (*env, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return newEnv(t, api.Config{TracerProvider: tp}), exp
}

// postTraced posts one event with the given request headers.
func postTraced(t *testing.T, e *env, body string, hdr map[string]string, want int) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("POST", e.url+"/v1/events", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST: %d, want %d: %s", resp.StatusCode, want, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// spansBy waits until the exporter holds every named span, and returns
// them by name (the last of each name).
func spansBy(t *testing.T, exp *tracetest.InMemoryExporter, names ...string) map[string]tracetest.SpanStub {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := map[string]tracetest.SpanStub{}
		for _, s := range exp.GetSpans() {
			got[s.Name] = s
		}
		all := true
		for _, n := range names {
			if _, ok := got[n]; !ok {
				all = false
			}
		}
		if all {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("spans %v: have %v", names, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// storedTrace reads the trace context stored in the headers of the
// message at seq.
func storedTrace(t *testing.T, st *store.Store, seq uint64) string {
	t.Helper()
	r, err := st.Read(context.Background(), seq)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	m, err := r.Next()
	if err != nil || m.Seq != seq {
		t.Fatalf("reading %d: %v (seq %d)", seq, err, m.Seq)
	}
	return m.Trace.Parent
}

// TestTraceFollowsAWriteToTheRead: a write with a traceparent header
// continues its trace through the stored message's headers to the
// projector's apply and to the event stream's delivery, all in the one
// trace, each a child of the write's span; the trace may also come as
// the event's traceparent extension.
func TestTraceFollowsAWriteToTheRead(t *testing.T) {
	e, exp := tracedEnv(t)
	ch, stop := openSSE(t, e.url+"/v1/stream?actor=FR", "")
	defer stop()
	m := postTraced(t, e, fmt.Sprintf(position, "FR", "support", "traced"), map[string]string{"traceparent": traceHdr, "tracestate": "vendor=x"}, 201)
	seq := uint64(dig(m, "seq").(float64))
	e.get(fmt.Sprintf("/v1/actors/FR/history?topic=gaza-ceasefire&min_seq=%d", seq), 200)
	if got := next(t, ch); got.id != fmt.Sprint(seq) {
		t.Fatalf("event stream delivered %s, want %d", got.id, seq)
	}
	spans := spansBy(t, exp, "POST /v1/events", "apply", "sse deliver")
	post, apply, sse := spans["POST /v1/events"], spans["apply"], spans["sse deliver"]
	if post.SpanContext.TraceID().String() != traceID || post.Parent.SpanID().String() != parentID || !post.Parent.IsRemote() {
		t.Fatalf("POST span %s, parent %s: want trace %s, parent %s", post.SpanContext.TraceID(), post.Parent.SpanID(), traceID, parentID)
	}
	if post.SpanContext.TraceState().Get("vendor") != "x" || post.SpanKind != trace.SpanKindServer {
		t.Fatalf("POST span: trace state %q, kind %s", post.SpanContext.TraceState(), post.SpanKind)
	}
	for _, s := range []tracetest.SpanStub{apply, sse} {
		if s.SpanContext.TraceID() != post.SpanContext.TraceID() || s.Parent.SpanID() != post.SpanContext.SpanID() {
			t.Fatalf("%s: trace %s parent %s, want trace %s parent %s (the POST span)", s.Name, s.SpanContext.TraceID(), s.Parent.SpanID(),
				post.SpanContext.TraceID(), post.SpanContext.SpanID())
		}
	}
	if tp := storedTrace(t, e.store, seq); tp != "00-"+traceID+"-"+post.SpanContext.SpanID().String()+"-01" {
		t.Fatalf("stored traceparent %q: want the POST span's", tp)
	}

	// The trace as a CloudEvents extension of the event, without the header.
	exp.Reset()
	body := strings.Replace(fmt.Sprintf(position, "FR", "oppose", "traced by extension"), `{"type"`, `{"traceparent":"`+traceHdr2+`","type"`, 1)
	m = postTraced(t, e, body, nil, 201)
	seq = uint64(dig(m, "seq").(float64))
	e.get(fmt.Sprintf("/v1/actors/FR/history?topic=gaza-ceasefire&min_seq=%d", seq), 200)
	spans = spansBy(t, exp, "POST /v1/events", "apply")
	post, apply = spans["POST /v1/events"], spans["apply"]
	if "00-"+post.SpanContext.TraceID().String()+"-"+post.Parent.SpanID().String()+"-01" != traceHdr2 || apply.Parent.SpanID() != post.SpanContext.SpanID() {
		t.Fatalf("extension: POST span trace %s parent %s, apply parent %s", post.SpanContext.TraceID(), post.Parent.SpanID(), apply.Parent.SpanID())
	}
}

// TestTraceWithoutTraceparent: a write that comes in no trace gets its
// HTTP span only (a root), and its message carries no trace headers.
func TestTraceWithoutTraceparent(t *testing.T) {
	e, exp := tracedEnv(t)
	m := postTraced(t, e, fmt.Sprintf(position, "FR", "support", "untraced"), nil, 201)
	seq := uint64(dig(m, "seq").(float64))
	e.get(fmt.Sprintf("/v1/actors/FR/history?topic=gaza-ceasefire&min_seq=%d", seq), 200)
	time.Sleep(200 * time.Millisecond) // an apply span would end right after the read
	spans := exp.GetSpans()
	if len(spans) != 1 || spans[0].Name != "POST /v1/events" || spans[0].Parent.IsValid() {
		t.Fatalf("spans %v: want the POST span alone, a root", spans.Snapshots())
	}
	if tp := storedTrace(t, e.store, seq); tp != "" {
		t.Fatalf("stored traceparent %q, want none", tp)
	}
}

// TestTracingLeavesEventBytesAlone: the same event posted with a trace
// (tracing on) and without (tracing off, the default) is stored as the
// same bytes: the trace travels in the message's headers only.
func TestTracingLeavesEventBytesAlone(t *testing.T) {
	id := uuid.New()
	body := strings.Replace(fmt.Sprintf(position, "FR", "support", "same bytes"), `{"type"`,
		`{"id":"`+id.String()+`","time":"2024-03-27T10:00:00Z","type"`, 1)
	var stored [][]byte
	for _, traced := range []bool{false, true} {
		var e *env
		hdr := map[string]string{}
		if traced {
			e, _ = tracedEnv(t)
			hdr["traceparent"] = traceHdr
		} else {
			e = newEnv(t, api.Config{})
		}
		postTraced(t, e, body, hdr, 201)
		s, err := e.store.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got := storedTrace(t, e.store, s.Seq) != ""; got != traced {
			t.Fatalf("traced %v: a stored traceparent: %v", traced, got)
		}
		stored = append(stored, s.Data)
	}
	if !bytes.Equal(stored[0], stored[1]) {
		t.Fatalf("the event's bytes differ with a trace:\n%s\n%s", stored[0], stored[1])
	}
}

// TestTraceOfABatch: every event of a traced atomic batch carries the
// write's span context; each gets its "apply" span under the one POST.
func TestTraceOfABatch(t *testing.T) {
	e, exp := tracedEnv(t)
	body := "[" + fmt.Sprintf(position, "FR", "support", "batch one") + "," + fmt.Sprintf(position, "GB", "support", "batch two") + "]"
	req, _ := http.NewRequest("POST", e.url+"/v1/events", strings.NewReader(body))
	req.Header.Set("Content-Type", api.BatchContentType)
	req.Header.Set("traceparent", traceHdr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("batch: %d %s", resp.StatusCode, b)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var post tracetest.SpanStub
		var applies []tracetest.SpanStub
		for _, s := range exp.GetSpans() {
			switch s.Name {
			case "POST /v1/events":
				post = s
			case "apply":
				applies = append(applies, s)
			}
		}
		if len(applies) == 2 && post.Name != "" {
			for _, a := range applies {
				if a.Parent.SpanID() != post.SpanContext.SpanID() || a.SpanContext.TraceID().String() != traceID {
					t.Fatalf("apply span parent %s trace %s, want %s in %s", a.Parent.SpanID(), a.SpanContext.TraceID(), post.SpanContext.SpanID(), traceID)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("spans: POST %q, %d apply", post.Name, len(applies))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

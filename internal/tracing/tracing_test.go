package tracing

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// TestOffUnlessAProvider: nil and the noop provider are off (no trace
// work at all); a real provider is on, and reads a stored traceparent,
// ignoring a malformed one.
func TestOffUnlessAProvider(t *testing.T) {
	tc := eventlog.TraceContext{Parent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
	for _, tr := range []Tracer{New(nil, nil), New(noop.NewTracerProvider(), nil)} {
		if tr.On() || HasRemote(tr.Remote(context.Background(), tc)) {
			t.Fatal("a noop tracer is on")
		}
	}
	tp := sdktrace.NewTracerProvider()
	defer func() { _ = tp.Shutdown(context.Background()) }()
	tr := New(tp, nil)
	if !tr.On() || !HasRemote(tr.Remote(context.Background(), tc)) {
		t.Fatal("an SDK tracer is off, or does not read the traceparent")
	}
	if HasRemote(tr.Remote(context.Background(), eventlog.TraceContext{Parent: "00-zz-yy-01"})) {
		t.Fatal("a malformed traceparent read as a parent")
	}
}

package main

import (
	"context"
	"testing"
	"time"
)

// TestTracingOffByDefault: without --otlp-endpoint and the OTEL_*
// endpoint variables there is no tracer provider (the components' noop
// default); with either, a provider that shuts down promptly even with
// no collector to take the (absent) spans.
func TestTracingOffByDefault(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	tp, stop, err := newTracing(context.Background(), "")
	if tp != nil || stop != nil || err != nil {
		t.Fatalf("off by default: %v %v", tp, err)
	}
	for _, endpoint := range []string{"127.0.0.1:1", "http://127.0.0.1:1/v1/traces"} {
		tp, stop, err := newTracing(context.Background(), endpoint)
		if tp == nil || err != nil {
			t.Fatalf("%s: %v %v", endpoint, tp, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if err := stop(ctx); err != nil {
			t.Fatalf("%s: shutdown: %v", endpoint, err)
		}
		cancel()
	}
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
	if tp, stop, err := newTracing(context.Background(), ""); tp == nil || err != nil {
		t.Fatalf("from the environment: %v %v", tp, err)
	} else {
		_ = stop(context.Background())
	}
}

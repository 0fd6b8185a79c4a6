package main

import (
	"context"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// newTracing returns the tracer provider that exports stancewatch's
// spans over OTLP/HTTP (protobuf) with a batch span processor, and what
// flushes and stops it; nil when tracing is off, the default. endpoint
// (--otlp-endpoint) is host:port (plain HTTP, as to a local collector,
// usually on port 4318) or a URL (https://collector:4318, its path
// replacing /v1/traces). Without it, the standard
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT turns
// tracing on, with the exporter's other OTEL_EXPORTER_OTLP_* settings.
func newTracing(ctx context.Context, endpoint string) (trace.TracerProvider, func(context.Context) error, error) {
	var opts []otlptracehttp.Option
	switch {
	case strings.Contains(endpoint, "://"):
		opts = append(opts, otlptracehttp.WithEndpointURL(endpoint))
	case endpoint != "":
		opts = append(opts, otlptracehttp.WithEndpoint(endpoint), otlptracehttp.WithInsecure())
	case os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "":
		return nil, nil, nil
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "stancewatch"))))
	return tp, tp.Shutdown, nil
}

// tracingShutdown bounds the flush of the last spans when serve stops.
const tracingShutdown = 5 * time.Second

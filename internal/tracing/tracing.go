// Package tracing carries an OpenTelemetry trace across the event stream:
// from an HTTP write, through the NATS headers of the stored message
// (traceparent, tracestate; never the event's bytes), to the projector's
// apply and the event streams' delivery. It holds no process-wide state:
// each component gets its TracerProvider and propagator from its config,
// and with the default (noop) provider it does no work at all.
package tracing

import (
	"context"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// Name is the instrumentation scope of stancewatch's spans.
const Name = "github.com/stancewatch/stancewatch"

// Tracer starts stancewatch's spans, or none when tracing is off.
type Tracer struct {
	t    trace.Tracer
	prop propagation.TextMapPropagator
	on   bool
}

// New returns a Tracer of tp (nil: tracing off) that reads and writes
// trace context with prop (nil: W3C Trace Context).
func New(tp trace.TracerProvider, prop propagation.TextMapPropagator) Tracer {
	if prop == nil {
		prop = propagation.TraceContext{}
	}
	if tp == nil {
		tp = noop.NewTracerProvider()
	}
	_, off := tp.(noop.TracerProvider)
	return Tracer{t: tp.Tracer(Name), prop: prop, on: !off}
}

// On reports whether spans are recorded: callers skip all trace work
// (header parsing included) when it is false.
func (t Tracer) On() bool { return t.on }

// Propagator is the propagator the Tracer reads trace context with.
func (t Tracer) Propagator() propagation.TextMapPropagator { return t.prop }

// Start starts a span (a noop one when tracing is off).
func (t Tracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	return t.t.Start(ctx, name, opts...)
}

// Remote returns ctx with the remote span a stored message carries as
// its parent; ctx unchanged when the message carries none (or tracing is
// off).
func (t Tracer) Remote(ctx context.Context, tc eventlog.TraceContext) context.Context {
	if !t.on || tc.Parent == "" {
		return ctx
	}
	c := propagation.MapCarrier{eventlog.TraceParentHeader: tc.Parent}
	if tc.State != "" {
		c[eventlog.TraceStateHeader] = tc.State
	}
	return t.prop.Extract(ctx, c)
}

// HasRemote reports whether ctx holds a valid span context.
func HasRemote(ctx context.Context) bool { return trace.SpanContextFromContext(ctx).IsValid() }

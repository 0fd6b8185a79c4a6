package projector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/metrics"
	"github.com/stancewatch/stancewatch/projections"
)

// Config says how a Projector checkpoints, what it derives, and whom it
// tells. The zero Config, after WithDefaults, checkpoints every 10,000
// events or 30 seconds, publishes no derived events, and logs to
// slog.Default.
type Config struct {
	// CheckpointEvery: checkpoint after this many events (default 10000),
	// or after a quarter of the projection's size if that is more: a
	// checkpoint writes the whole state, so a large projection is
	// checkpointed less often, and the work stays proportional to the
	// events folded.
	CheckpointEvery int
	// CheckpointInterval: checkpoint at most this long after a change
	// (default 30s).
	CheckpointInterval time.Duration
	// NoCheckpoints disables loading and saving checkpoints.
	NoCheckpoints bool
	// Preloaded, if set, waits for a checkpoint decoded from its local
	// copy while the store was opened (Preload). Restore uses it when it
	// is the current checkpoint, and reads the bucket otherwise.
	Preloaded func(context.Context) (Preloaded, error)
	// VerifyInterval: how often the projector checks that the stream
	// still holds what it folded (default 5s).
	VerifyInterval time.Duration
	// Alerts: publish a shift alert for every shift the folded events
	// make or unmake, to the shifts stream. Events up to the loaded
	// checkpoint had theirs published already.
	Alerts bool
	// AlertSource is the CloudEvents source of the alerts (required with
	// Alerts).
	AlertSource string
	// HistorySources are CloudEvents sources whose events are a historical
	// record loaded in bulk (the General Assembly's votes since 1946): they
	// raise no shift alerts. Their shifts are in the reads like any
	// others; an alert for each of a million old votes against the one
	// before would drown the alerts a subscriber is there for, and
	// tracking them costs the fold a view of every series they touch.
	HistorySources []string
	// Derive, if set, derives more events from the fold, beside shift
	// alerts (the alignment alerts), for the same events (Alerts on, past
	// the checkpoint, not from HistorySources). Its events go to the
	// stream their subjects name, stored once however many replicas
	// derive them.
	Derive Deriver
	// DeadLetters: store a copy of every event the projection refuses,
	// with the reason, in the dead letter stream.
	DeadLetters bool
	// OnApply, if set, is called after each event is folded (outside the
	// state lock); OnSkip after each event that could not be.
	OnApply func(ev events.Event, m projections.Meta)
	OnSkip  func(m projections.Meta, subject string, reason error)
	// Replaying, if set, is called when the projector starts folding a
	// backlog, and the function it returns once the projection has caught
	// up (or stops). The process uses it to raise the garbage
	// collector's target while replaying (GCBoost); a library never
	// changes process-wide settings by itself.
	Replaying func() (done func())
	// TracerProvider records a span "apply" around the applying of each
	// event appended in a trace, a child of the append's span (whose
	// context the message's headers carry). Default: none (noop), with
	// no trace work at all.
	TracerProvider trace.TracerProvider
	// Propagator reads the trace context of a message (default: W3C
	// Trace Context).
	Propagator propagation.TextMapPropagator
	// Logger (default slog.Default).
	Logger *slog.Logger
	// Metrics the projector counts in (default: a registry of its own
	// that nobody serves).
	Metrics *metrics.Metrics
}

// Deriver derives events from the fold. The projector calls Before with
// each event it is about to fold (under the write lock: the state does
// not hold the event yet), and Derive once the run of events (a single
// event, an atomic batch, a group loaded in bulk) is folded and visible,
// under the read lock, with the run's last event as the cause. Both run
// on the projector's worker, one at a time. What Derive returns is
// stored like shift alerts: every replica that folds the same stream
// derives the same events, under the same ids.
type Deriver interface {
	Before(st *projections.State, ev events.Event)
	Derive(st *projections.State, cause uuid.UUID, causeSeq uint64, recorded time.Time) []events.Event
}

// WithDefaults returns c with every unset field at its default.
func (c Config) WithDefaults() Config {
	if c.CheckpointEvery == 0 {
		c.CheckpointEvery = 10000
	}
	if c.CheckpointInterval == 0 {
		c.CheckpointInterval = 30 * time.Second
	}
	if c.VerifyInterval == 0 {
		c.VerifyInterval = 5 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = metrics.New()
	}
	return c
}

// Validate reports every setting that cannot work, joined.
func (c Config) Validate() error {
	var errs []error
	if c.CheckpointEvery < 0 {
		errs = append(errs, fmt.Errorf("checkpoint every %d events: want a positive count", c.CheckpointEvery))
	}
	if c.CheckpointInterval < 0 {
		errs = append(errs, fmt.Errorf("checkpoint interval %s: want a positive duration", c.CheckpointInterval))
	}
	if c.VerifyInterval < 0 {
		errs = append(errs, fmt.Errorf("verify interval %s: want a positive duration", c.VerifyInterval))
	}
	if c.Derive != nil && !c.Alerts {
		errs = append(errs, errors.New("derive: set, but alerts are off (derived events follow the alerts' rules)"))
	}
	if c.Alerts && c.AlertSource == "" {
		errs = append(errs, errors.New("alert source: empty, but alerts are on (the CloudEvents source of every alert)"))
	}
	if len(c.AlertSource) > events.MaxSourceAttLen {
		errs = append(errs, fmt.Errorf("alert source: %d bytes, at most %d", len(c.AlertSource), events.MaxSourceAttLen))
	}
	return errors.Join(errs...)
}

// Package metrics holds stancewatch's Prometheus metrics, all named
// stancewatch_…, with labels of a few values each. A Metrics value holds
// them on a registry of its own (with the Go runtime and process
// collectors), served at /metrics; the process makes one and passes it to
// the store, the projector and the HTTP server through their configs.
// Nothing is registered globally, so two servers in one process (tests,
// the benchmark) never collide.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds every stancewatch metric and the registry that serves
// them. The zero value is not usable: call New.
type Metrics struct {
	// Registry holds every metric below, and the Go runtime and process
	// collectors.
	Registry *prometheus.Registry

	// EventsPublished counts events appended by this process, by type
	// (position, motion, retraction, shift) and outcome (stored,
	// duplicate).
	EventsPublished *prometheus.CounterVec
	// EventsApplied counts events folded into the projection, by type.
	EventsApplied *prometheus.CounterVec
	// EventsRejected counts events the projection could not apply.
	EventsRejected prometheus.Counter
	// EventsDeadLettered counts refused events copied to the dead letter stream.
	EventsDeadLettered prometheus.Counter
	// ShiftAlerts counts shift alerts published, by status.
	ShiftAlerts *prometheus.CounterVec
	// AlignmentAlerts counts alignment alerts published.
	AlignmentAlerts prometheus.Counter
	// ApplySeconds times each fold of a message or an atomic batch.
	ApplySeconds prometheus.Histogram
	// Checkpoints counts checkpoints, by outcome (saved, failed).
	Checkpoints *prometheus.CounterVec
	// HTTPSeconds times HTTP requests by route pattern, method and status
	// class.
	HTTPSeconds *prometheus.HistogramVec
	// GroupCommitSeconds times each fsync of the group commit.
	GroupCommitSeconds prometheus.Histogram
	// GroupCommitEvents counts the appends each group commit fsync
	// answered.
	GroupCommitEvents prometheus.Histogram
	// SSEClients is the number of open event streams.
	SSEClients prometheus.Gauge
}

// New returns the metrics on a registry of their own.
func New() *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	reg := m.Registry
	m.EventsPublished = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stancewatch_events_published_total", Help: "Events appended by this process, by type and outcome (stored, duplicate).",
	}, []string{"type", "outcome"}))
	m.EventsApplied = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stancewatch_events_applied_total", Help: "Events folded into the projection, by type.",
	}, []string{"type"}))
	m.EventsRejected = register(reg, prometheus.NewCounter(prometheus.CounterOpts{
		Name: "stancewatch_events_rejected_total", Help: "Events the projection could not apply (undecodable, invalid, misrouted).",
	}))
	m.EventsDeadLettered = register(reg, prometheus.NewCounter(prometheus.CounterOpts{
		Name: "stancewatch_events_deadlettered_total", Help: "Refused events copied to the dead letter stream by this process.",
	}))
	m.ShiftAlerts = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stancewatch_shift_alerts_total", Help: "Shift alerts published by this process, by status (detected, withdrawn).",
	}, []string{"status"}))
	m.AlignmentAlerts = register(reg, prometheus.NewCounter(prometheus.CounterOpts{
		Name: "stancewatch_alignment_alerts_total", Help: "Alignment alerts published by this process.",
	}))
	m.ApplySeconds = register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "stancewatch_apply_duration_seconds", Help: "Time to fold one message, or one atomic batch, into the projection.",
		Buckets: prometheus.ExponentialBuckets(1e-6, 4, 10),
	}))
	m.Checkpoints = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stancewatch_checkpoints_total", Help: "Projection checkpoints, by outcome (saved, failed).",
	}, []string{"outcome"}))
	m.HTTPSeconds = register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "stancewatch_http_request_duration_seconds", Help: "HTTP request duration, by route pattern, method and status class.",
		Buckets: prometheus.ExponentialBuckets(50e-6, 3, 12),
	}, []string{"route", "method", "code"}))
	m.GroupCommitSeconds = register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "stancewatch_group_commit_fsync_seconds", Help: "Time of each fsync of the event stream's files by the group commit.",
		Buckets: prometheus.ExponentialBuckets(25e-6, 2.5, 10),
	}))
	m.GroupCommitEvents = register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "stancewatch_group_commit_appends", Help: "Appends (single events or atomic batches) answered by one group commit fsync.",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
	}))
	m.SSEClients = register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "stancewatch_sse_clients", Help: "Open Server-Sent Event streams.",
	}))
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func register[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	reg.MustRegister(c)
	return c
}

// Projection is what the projection metrics read at scrape time.
type Projection interface {
	LastSeq() uint64
	Lag() uint64
	LagSeconds() float64
	Ready() (bool, string)
}

// WatchProjection exports the projection's sequence, lag and readiness.
// It fails when these metrics have been registered already (one
// projection per Metrics).
func (m *Metrics) WatchProjection(p Projection) error {
	cs := []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "stancewatch_projection_seq", Help: "Last stream sequence folded into the projection."},
			func() float64 { return float64(p.LastSeq()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "stancewatch_projection_lag_events", Help: "Events stored but not yet folded."},
			func() float64 { return float64(p.Lag()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "stancewatch_projection_lag_seconds", Help: "How long ago the last folded event was recorded, while the projection is behind; 0 when caught up."},
			p.LagSeconds),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "stancewatch_ready", Help: "1 when the projection has caught up and serves."},
			func() float64 {
				if ok, _ := p.Ready(); ok {
					return 1
				}
				return 0
			}),
	}
	for _, c := range cs {
		if err := m.Registry.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Since is the seconds elapsed since t.
func Since(t time.Time) float64 { return time.Since(t).Seconds() }

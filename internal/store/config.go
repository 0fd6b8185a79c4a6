package store

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"go.opentelemetry.io/otel/propagation"

	"github.com/stancewatch/stancewatch/internal/metrics"
)

// Default values of Config.
const (
	DefaultStream     = "STANCEWATCH"
	DefaultNATSListen = "127.0.0.1:4222"
	DefaultDataDir    = "stancewatch-data"
	// DefaultDedupWindow covers the moments the store's id index has not
	// read another process's append yet (it catches up every second); the
	// index covers the rest, forever. A restart within the window reads
	// every message of the window back (nats-server's rebuildDedupe: 2.3 s
	// right after the whole record's first load), so it is kept short.
	DefaultDedupWindow = 30 * time.Second
	// DefaultSetupTimeout covers a three-node cluster started at the
	// same moment as stancewatch on a loaded machine: electing the meta
	// leader, then placing a stream on three peers.
	DefaultSetupTimeout = 2 * time.Minute
)

// Sync says when the embedded server's writes reach the disk.
type Sync struct {
	// Always: every append the store acknowledges is fsynced first, so an
	// acknowledged event survives a power loss, not only a crash of the
	// process. By default the store does it by group commit: the server
	// writes each event to its file before acknowledging it, and the
	// store fsyncs the stream's files once for every append waiting at
	// that moment, then answers them all (see Store.Append).
	Always bool
	// PerMessage, with Always: leave the fsync to nats-server, which then
	// fsyncs every message before its acknowledgement, whoever publishes
	// it (sync_interval: always). Slower under concurrency, but the
	// promise then holds for raw NATS publishers too.
	PerMessage bool
	// Interval between fsyncs when not Always. An acknowledged event is in
	// the OS page cache until then: it survives kill -9 of the process but
	// not a power loss within the interval.
	Interval time.Duration
}

// serverInterval is how often the store fsyncs the whole data directory
// when it does the group commit: what is not an acknowledged append
// (shift alerts, dead letters, raw NATS publishes) reaches the disk
// within it. The store does it (syncTree), not the server's own timer:
// the server's timer fsyncs a block while an atomic batch is half applied
// to it without first syncing the batch's staging, and a power cut then
// leaves half a roll call with nothing to finish it from (the power-cut
// test found it); syncTree syncs each stream's batches before its msgs.
const serverInterval = time.Second

// serverOwnInterval is the server's own timer when the store syncs: its
// default, as a backstop.
const serverOwnInterval = 2 * time.Minute

// group reports whether the store fsyncs the event stream itself.
func (s Sync) group() bool { return s.Always && !s.PerMessage }

// ParseSync accepts "always" (group commit), "per-message" (nats-server
// fsyncs each message) or a duration ("1s", "2m").
func ParseSync(s string) (Sync, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "always":
		return Sync{Always: true}, nil
	case "per-message":
		return Sync{Always: true, PerMessage: true}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return Sync{}, fmt.Errorf("sync %q: want \"always\", \"per-message\" or a positive duration such as 1s", s)
	}
	return Sync{Interval: d}, nil
}

// String returns "always", "per-message" or the interval.
func (s Sync) String() string {
	switch {
	case s.Always && s.PerMessage:
		return "per-message"
	case s.Always:
		return "always"
	}
	return s.Interval.String()
}

// Config says where the event store is and how it keeps events. The zero
// Config, after WithDefaults, runs an embedded server in DefaultDataDir
// that fsyncs every write and listens on loopback.
type Config struct {
	// Propagator writes the trace an append is made in to its message's
	// headers (default: W3C Trace Context, the traceparent and tracestate
	// headers). Appends outside a trace write none.
	Propagator propagation.TextMapPropagator
	// URL of an external NATS server or cluster. When empty, an embedded
	// server runs in this process.
	URL string
	// Embedded server: where JetStream keeps its files.
	DataDir string
	// Embedded server: client address, or "off" for in-process only.
	Listen string
	// Embedded server: when to fsync. Default: always, by group commit.
	Sync Sync
	// ConfigFile is a nats-server configuration file for the embedded
	// server (authorization, TLS). Listen and DataDir still apply.
	ConfigFile string

	// Client options for an external server.
	Creds    string // NATS credentials file (JWT and nkey seed)
	User     string
	Password string
	Token    string
	TLSCA    string // CA file to verify the server

	// Stream is the name of the event stream.
	Stream string
	// Replicas of the stream and of the checkpoint buckets (3 on a
	// three-node cluster). Zero keeps an existing stream's replicas, and
	// creates a new one with 1.
	Replicas int
	// Bind to an existing stream: never create or change it (clients such
	// as the CLI's publish and tail).
	Bind bool
	// DedupWindow is how long the server remembers message ids. Ids of
	// events read from documents are unique forever regardless; the
	// window covers retries of new events.
	DedupWindow time.Duration
	// MaxBytes caps the stream's size (-1: no cap). When full, the store
	// refuses new events rather than dropping old ones.
	MaxBytes int64
	// SetupTimeout is how long Open keeps retrying the streams' setup
	// while JetStream is not ready to answer (a cluster still electing
	// its leaders, a node still starting): default DefaultSetupTimeout.
	// Errors that no wait can mend (a missing stream under Bind, a
	// refused configuration) end Open at once.
	SetupTimeout time.Duration

	// Name identifies this client to the server.
	Name string
	// Logger for the store and the embedded server.
	Logger *slog.Logger
	// Metrics the store counts appends and fsyncs in (default: a registry
	// of its own that nobody serves).
	Metrics *metrics.Metrics
}

// WithDefaults returns c with every unset field at its default.
func (c Config) WithDefaults() Config {
	if c.URL == "" {
		if c.DataDir == "" {
			c.DataDir = DefaultDataDir
		}
		if c.Listen == "" {
			c.Listen = DefaultNATSListen
		}
		if !c.Sync.Always && c.Sync.Interval == 0 {
			c.Sync.Always = true
		}
	}
	if c.Stream == "" {
		c.Stream = DefaultStream
	}
	if c.DedupWindow == 0 {
		c.DedupWindow = DefaultDedupWindow
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = -1
	}
	if c.SetupTimeout == 0 {
		c.SetupTimeout = DefaultSetupTimeout
	}
	if c.Name == "" {
		c.Name = "stancewatch"
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = metrics.New()
	}
	if c.Propagator == nil {
		c.Propagator = propagation.TraceContext{}
	}
	return c
}

// Validate reports every setting that cannot work, joined.
func (c Config) Validate() error {
	var errs []error
	if c.URL == "" {
		if c.DataDir == "" {
			errs = append(errs, errors.New("data dir: empty"))
		}
		if c.Listen != "off" {
			if _, _, err := net.SplitHostPort(c.Listen); err != nil {
				errs = append(errs, fmt.Errorf("nats listen %q: want host:port or off", c.Listen))
			}
		}
		if c.Replicas > 1 {
			errs = append(errs, fmt.Errorf("replicas %d: an embedded single server holds one replica; use --nats-url with a cluster for more", c.Replicas))
		}
	}
	if c.Replicas < 0 || c.Replicas > 5 {
		errs = append(errs, fmt.Errorf("replicas %d: want 1 to 5", c.Replicas))
	}
	if c.SetupTimeout < 0 {
		errs = append(errs, fmt.Errorf("setup timeout %s: want zero (the default) or more", c.SetupTimeout))
	}
	if c.DedupWindow < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("dedup window %s: at least 100ms", c.DedupWindow))
	}
	if c.Stream == "" || strings.ContainsAny(c.Stream, ".*> \t") {
		errs = append(errs, fmt.Errorf("stream name %q: letters, digits, - and _ only", c.Stream))
	}
	return errors.Join(errs...)
}

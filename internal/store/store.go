package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
)

// Store is a connection to the event stream.
type Store struct {
	cfg      Config
	srv      *server.Server // nil when external
	lock     *dirLock       // on the embedded server's data directory
	nc       *nats.Conn
	js       jetstream.JetStream
	stream   jetstream.Stream
	log      *slog.Logger
	closed   chan struct{} // closed when the connection is closed
	replicas int
	// group is the group commit of an embedded store that fsyncs the
	// stream itself (Sync.Always, not PerMessage); nil otherwise.
	group *groupSync
	// newBlocks syncs the directory entries of new message blocks of an
	// embedded store with per-message fsync; nil otherwise.
	newBlocks *blockFiles
	// stopSync ends syncLoop; syncDone is closed when it has.
	stopSync, syncDone chan struct{}
	// syncSubject is where a client of such a store asks for the fsync;
	// empty when acknowledgements are durable by themselves.
	syncSubject string
	// appenders publish single appends, round robin: the main connection
	// and, on an embedded server, more in-process ones, whose messages the
	// server reads in parallel.
	appenders []jetstream.JetStream
	extra     []*nats.Conn // connections of the appenders beyond the main one
	turn      atomic.Uint64
	// ids indexes every event id in the stream (ids.go): built on first
	// use (idsReady) by a follower that stops with idsStop.
	ids      *idIndex
	idsMu    sync.Mutex // serialises catchUpIDs
	idsOnce  sync.Once  // starts the index (idsReady), or marks it closed unstarted (Close)
	idsClose sync.Once
	idsBuilt chan error    // closed once built; holds the error when it could not be
	idsStop  chan struct{} // closed by Close
	idsDone  chan struct{} // closed when the index's goroutine has ended
	// remote: a client that asks the serving process's id index
	// (idservice.go), decided once.
	remote     bool
	remoteOnce sync.Once
}

// appendConns is how many in-process connections an embedded store
// appends through. Measured with 16 concurrent writers on two cores: one
// connection ~37k sync publishes/s, two ~46-49k, four ~40-45k.
const appendConns = 2

// connectAppenders sets up the appenders: the main connection and, on an
// embedded server, appendConns-1 more in-process ones.
func (s *Store) connectAppenders(opts []nats.Option) error {
	s.appenders = []jetstream.JetStream{s.js}
	if s.srv == nil {
		return nil
	}
	for range appendConns - 1 {
		nc, err := nats.Connect("", append(opts[:len(opts):len(opts)], nats.ClosedHandler(nil))...)
		if err != nil {
			return err
		}
		s.extra = append(s.extra, nc)
		js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(10*time.Second))
		if err != nil {
			return err
		}
		s.appenders = append(s.appenders, js)
	}
	return nil
}

// appender returns the JetStream context for the next single append.
func (s *Store) appender() jetstream.JetStream {
	return s.appenders[s.turn.Add(1)%uint64(len(s.appenders))]
}

// Open starts the embedded server (unless cfg.URL names an external one),
// connects, and creates or updates the event stream. It is idempotent:
// opening an existing store changes nothing in it.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Store{cfg: cfg, log: cfg.Logger, closed: make(chan struct{}), ids: newIDIndex(),
		idsBuilt: make(chan error, 1), idsStop: make(chan struct{}), idsDone: make(chan struct{})}
	var err error
	opts := []nats.Option{
		nats.Name(cfg.Name),
		// bcrypt-hashed passwords make the handshake slow on a loaded
		// machine; the default 2 s gives up too soon.
		nats.Timeout(10 * time.Second),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				s.log.Warn("disconnected from NATS", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { s.log.Info("reconnected to NATS", "url", nc.ConnectedUrlRedacted()) }),
		nats.ClosedHandler(func(*nats.Conn) { close(s.closed) }),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { s.log.Warn("NATS error", "err", err) }),
	}
	if cfg.URL == "" {
		if s.lock, err = lockDataDir(cfg.DataDir); err != nil {
			return nil, err
		}
		if s.srv, err = StartEmbedded(cfg); err != nil {
			s.lock.release()
			return nil, err
		}
		opts = append(opts, nats.InProcessServer(s.srv))
		opts = append(opts, AuthOptions(cfg)...)
		s.nc, err = nats.Connect("", opts...)
	} else {
		opts = append(opts, AuthOptions(cfg)...)
		s.nc, err = nats.Connect(cfg.URL, opts...)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("connecting to NATS %s: %w", s.where(), err)
	}
	if s.js, err = jetstream.New(s.nc, jetstream.WithDefaultTimeout(10*time.Second), jetstream.WithPublishAsyncMaxPending(4096)); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.connectAppenders(opts); err != nil {
		s.Close()
		return nil, fmt.Errorf("connecting to NATS %s: %w", s.where(), err)
	}
	if err := s.retrySetup(ctx, s.ensureStream); err != nil {
		s.Close()
		return nil, err
	}
	if s.srv != nil && cfg.Sync.Always {
		if err := s.startGroupCommit(); err != nil {
			s.Close()
			return nil, err
		}
	} else if s.srv == nil {
		s.syncSubject = s.stream.CachedInfo().Config.Metadata[syncMetadataKey]
	}
	if !cfg.Bind {
		for _, ensure := range []func(context.Context) error{s.ensureShiftsStream, s.ensureAlignmentStream, s.ensureDeadLetterStream} {
			if err := s.retrySetup(ctx, ensure); err != nil {
				s.Close()
				return nil, err
			}
		}
	}
	if s.srv != nil {
		// What the server created at start (directories, stream
		// metadata) must be on disk before anything is acknowledged.
		if err := syncTree(cfg.DataDir); err != nil {
			s.Close()
			return nil, err
		}
		// The id index's file is read now, beside the checkpoint, rather
		// than when the first append (serve's check of the bundled
		// records) asks for it.
		go s.idsReady(context.Background()) //nolint:errcheck // the append that needs it gets the error
		if err := s.serveIDs(); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// DeadLetterStream is the name of the stream of events the projection
// could not apply.
func (s *Store) DeadLetterStream() string { return s.cfg.Stream + "_DEADLETTERS" }

// DeadLetterToken is the first token of dead letter subjects:
// deadletters.<sequence in the event stream>.
const DeadLetterToken = "deadletters"

// Headers of a dead letter.
const (
	DeadLetterReason  = "Stancewatch-Reason"  // why the event was refused
	DeadLetterSeq     = "Stancewatch-Seq"     // its sequence in the event stream
	DeadLetterSubject = "Stancewatch-Subject" // its subject in the event stream
)

// ensureDeadLetterStream creates the stream of dead letters: copies of
// events the projection refused, with the reason. The originals stay in
// the event stream, untouched.
func (s *Store) ensureDeadLetterStream(ctx context.Context) error {
	return s.ensureDerivedStream(ctx, s.DeadLetterStream(), DeadLetterToken,
		"stancewatch dead letters: events of "+s.cfg.Stream+" the projection could not apply, and why", false)
}

// ensureDerivedStream creates or updates a stream beside the event stream
// for what the projection derives from it: no deletes, no limits, as many
// replicas as the event stream.
func (s *Store) ensureDerivedStream(ctx context.Context, name, token, description string, atomic bool) error {
	cfg := jetstream.StreamConfig{
		Name:               name,
		Description:        description,
		Subjects:           []string{token + ".>"},
		Retention:          jetstream.LimitsPolicy,
		MaxMsgs:            -1,
		MaxBytes:           -1,
		MaxMsgsPerSubject:  -1,
		Discard:            jetstream.DiscardNew,
		Storage:            jetstream.FileStorage,
		Replicas:           s.replicas,
		Duplicates:         s.cfg.DedupWindow,
		DenyDelete:         true,
		AllowDirect:        true,
		AllowAtomicPublish: atomic,
	}
	if _, err := s.js.CreateOrUpdateStream(ctx, cfg); err != nil {
		return fmt.Errorf("creating stream %s on %s: %w", cfg.Name, s.where(), s.wrap(err))
	}
	return nil
}

// DeadLetter stores a copy of a refused event with the reason, once
// however many replicas refuse it.
func (s *Store) DeadLetter(ctx context.Context, seq uint64, subject string, data []byte, reason string) error {
	m := nats.NewMsg(fmt.Sprintf("%s.%d", DeadLetterToken, seq))
	m.Data = data
	m.Header.Set(DeadLetterReason, reason)
	m.Header.Set(DeadLetterSeq, fmt.Sprint(seq))
	m.Header.Set(DeadLetterSubject, subject)
	m.Header.Set(jetstream.MsgIDHeader, fmt.Sprintf("deadletter-%s-%d", s.cfg.Stream, seq))
	m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, "0")
	_, err := s.js.PublishMsg(ctx, m)
	if code, _ := apiCode(err); code == codeWrongLastSeq {
		return nil // stored already
	}
	return s.wrap(err)
}

// ShiftsStream is the name of the stream of shift alerts.
func (s *Store) ShiftsStream() string { return s.cfg.Stream + "_SHIFTS" }

// ensureShiftsStream creates the stream of shift alerts: derived events,
// kept like the facts (no deletes), but purgeable, since they can be
// derived again.
func (s *Store) ensureShiftsStream(ctx context.Context) error {
	return s.ensureDerivedStream(ctx, s.ShiftsStream(), events.ShiftsToken,
		"stancewatch shift alerts: derived from "+s.cfg.Stream+" by the projection", true)
}

// AlignmentStream is the name of the stream of alignment alerts.
func (s *Store) AlignmentStream() string { return s.cfg.Stream + "_ALIGNMENT" }

// ensureAlignmentStream creates the stream of alignment alerts: derived
// like shift alerts, and kept the same way.
func (s *Store) ensureAlignmentStream(ctx context.Context) error {
	return s.ensureDerivedStream(ctx, s.AlignmentStream(), events.AlignmentToken,
		"stancewatch alignment alerts: derived from "+s.cfg.Stream+" by the projection", true)
}

// ensureStream binds to the event stream, creating it if it does not
// exist and bringing its configuration up to date if it does (unless
// Bind). Replicas of an existing stream change only when asked for.
func (s *Store) ensureStream(ctx context.Context) error {
	st, err := s.js.Stream(ctx, s.cfg.Stream)
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound) && s.cfg.Bind:
		return fmt.Errorf("no stream %s on %s: start `stancewatch serve` (or point --nats-url at the server it uses)", s.cfg.Stream, s.where())
	case errors.Is(err, jetstream.ErrStreamNotFound):
		want := s.StreamConfig()
		if want.Replicas == 0 {
			want.Replicas = 1
		}
		if s.stream, err = s.js.CreateStream(ctx, want); err != nil {
			return fmt.Errorf("creating stream %s on %s: %w", s.cfg.Stream, s.where(), err)
		}
		s.replicas = want.Replicas
		return nil
	case err != nil:
		return fmt.Errorf("stream %s on %s: %w", s.cfg.Stream, s.where(), s.wrap(err))
	}
	s.stream = st
	have := st.CachedInfo().Config
	s.replicas = have.Replicas
	if s.cfg.Bind {
		return nil
	}
	want := s.StreamConfig()
	if want.Replicas == 0 {
		want.Replicas = have.Replicas
	}
	if sub, ok := have.Metadata[syncMetadataKey]; ok && s.cfg.URL != "" {
		// The embedded server that owns the stream keeps the fsync
		// promise; a process connected to it does not take that away.
		want.Metadata = map[string]string{syncMetadataKey: sub}
	}
	if !streamConfigEqual(have, want) {
		if s.stream, err = s.js.UpdateStream(ctx, want); err != nil {
			return fmt.Errorf("updating stream %s on %s: %w", s.cfg.Stream, s.where(), err)
		}
		s.replicas = want.Replicas
		s.log.Info("event stream configuration updated", "stream", s.cfg.Stream, "replicas", want.Replicas)
	}
	return nil
}

func streamConfigEqual(a, b jetstream.StreamConfig) bool {
	return a.Metadata[syncMetadataKey] == b.Metadata[syncMetadataKey] && slices.Equal(a.Subjects, b.Subjects) && a.MaxBytes == b.MaxBytes && a.Discard == b.Discard &&
		a.MaxMsgSize == b.MaxMsgSize && a.Replicas == b.Replicas && a.Duplicates == b.Duplicates &&
		a.DenyDelete == b.DenyDelete && a.DenyPurge == b.DenyPurge && a.AllowDirect == b.AllowDirect &&
		a.AllowAtomicPublish == b.AllowAtomicPublish && a.MaxAge == b.MaxAge && a.AllowRollup == b.AllowRollup
}

// Replicas returns the event stream's number of replicas.
func (s *Store) Replicas() int { return s.replicas }

// AuthOptions are the NATS options that present cfg's credentials and
// trust its CA: for clients that talk NATS beside a Store.
func AuthOptions(cfg Config) []nats.Option {
	var opts []nats.Option
	if cfg.Creds != "" {
		opts = append(opts, nats.UserCredentials(cfg.Creds))
	}
	if cfg.User != "" {
		opts = append(opts, nats.UserInfo(cfg.User, cfg.Password))
	}
	if cfg.Token != "" {
		opts = append(opts, nats.Token(cfg.Token))
	}
	if cfg.TLSCA != "" {
		opts = append(opts, nats.RootCAs(cfg.TLSCA))
	}
	return opts
}

func (s *Store) where() string {
	if s.cfg.URL != "" {
		return s.cfg.URL
	}
	return "embedded server (" + s.cfg.DataDir + ")"
}

// StreamConfig is the event stream's configuration: one stream, every
// event in one global order, append-only (no deletes, no purges, no age
// or count limit), refusing new writes rather than discarding old ones
// when a size cap is reached.
func (s *Store) StreamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:               s.cfg.Stream,
		Description:        "stancewatch events: positions, motions and retractions (CloudEvents 1.0 JSON)",
		Subjects:           events.StreamSubjects(),
		Retention:          jetstream.LimitsPolicy,
		MaxConsumers:       -1,
		MaxMsgs:            -1,
		MaxBytes:           s.cfg.MaxBytes,
		Discard:            jetstream.DiscardNew,
		MaxAge:             0,
		MaxMsgsPerSubject:  -1,
		MaxMsgSize:         events.MaxEventSize + 4096, // the event plus headers
		Storage:            jetstream.FileStorage,
		Replicas:           s.cfg.Replicas,
		Duplicates:         s.cfg.DedupWindow,
		DenyDelete:         true,
		DenyPurge:          true,
		AllowRollup:        false,
		AllowDirect:        true,
		AllowAtomicPublish: true,
		Metadata:           s.streamMetadata(),
	}
}

// streamMetadata tells clients of an embedded store doing group commit
// where to ask for the fsync that makes their appends durable.
func (s *Store) streamMetadata() map[string]string {
	if s.cfg.URL == "" && s.cfg.Sync.Always {
		return map[string]string{syncMetadataKey: SyncSubject(s.cfg.Stream)}
	}
	return nil
}

// Config returns the configuration the store runs with.
func (s *Store) Config() Config { return s.cfg }

// Conn returns the NATS connection.
func (s *Store) Conn() *nats.Conn { return s.nc }

// JetStream returns the JetStream context.
func (s *Store) JetStream() jetstream.JetStream { return s.js }

// Stream returns the event stream.
func (s *Store) Stream() jetstream.Stream { return s.stream }

// Server returns the embedded server, or nil with an external one.
func (s *Store) Server() *server.Server { return s.srv }

// ClientURL returns the URL other processes use to reach the server.
func (s *Store) ClientURL() string {
	if s.srv != nil {
		if s.cfg.Listen == "off" {
			return ""
		}
		return s.srv.ClientURL()
	}
	return s.cfg.URL
}

// LastSeq returns the event stream's last sequence.
func (s *Store) LastSeq(ctx context.Context) (uint64, error) {
	info, err := s.stream.Info(ctx)
	if err != nil {
		return 0, s.wrap(err)
	}
	return info.State.LastSeq, nil
}

// LastShiftSeq returns the last sequence of the shift alerts stream.
func (s *Store) LastShiftSeq(ctx context.Context) (uint64, error) {
	return s.lastSeqOf(ctx, s.ShiftsStream())
}

// LastAlignmentSeq returns the last sequence of the alignment alerts
// stream.
func (s *Store) LastAlignmentSeq(ctx context.Context) (uint64, error) {
	return s.lastSeqOf(ctx, s.AlignmentStream())
}

func (s *Store) lastSeqOf(ctx context.Context, stream string) (uint64, error) {
	if stream == s.cfg.Stream {
		return s.LastSeq(ctx)
	}
	st, err := s.js.Stream(ctx, stream)
	if err != nil {
		return 0, s.wrap(err)
	}
	return st.CachedInfo().State.LastSeq, nil
}

// Healthy reports whether the connection is up and the stream answers.
func (s *Store) Healthy(ctx context.Context) error {
	if s.nc == nil || !s.nc.IsConnected() {
		return fmt.Errorf("%w: not connected to NATS", eventlog.ErrUnavailable)
	}
	_, err := s.LastSeq(ctx)
	return err
}

// Close drains the connection and shuts the embedded server down. An
// embedded store writes its id index's file first, so that the next
// start reads it instead of the stream.
func (s *Store) Close() {
	// An index never started is never started now: whoever asks for it
	// afterwards hears that the store is closed.
	s.idsOnce.Do(func() {
		s.idsBuilt <- errIDsClosed
		close(s.idsDone)
	})
	s.idsClose.Do(func() {
		select {
		case err, ok := <-s.idsBuilt:
			if !ok && s.nc != nil && s.nc.IsConnected() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				if err := s.saveIDs(ctx); err != nil {
					s.log.Warn("id index: not saved", "err", err)
				}
				cancel()
			} else if ok {
				s.idsBuilt <- err
			}
		default: // still being built: the next start builds it again
		}
		close(s.idsStop)
		<-s.idsDone
	})
	if s.group != nil {
		defer s.group.close()
	}
	if s.stopSync != nil {
		close(s.stopSync)
		<-s.syncDone
		s.stopSync = nil
	}
	for _, nc := range s.extra {
		nc.Close()
	}
	if s.nc != nil {
		if err := s.nc.Drain(); err == nil {
			select {
			case <-s.closed:
			case <-time.After(5 * time.Second):
			}
		}
		s.nc.Close()
	}
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv.WaitForShutdown()
	}
	s.lock.release()
}

// retrySetup runs a stream's setup until it succeeds, fails for a reason
// no wait mends, ctx ends, or Config.SetupTimeout passes. A cluster that
// starts with stancewatch answers its first requests with timeouts, "no
// responders" and "temporarily unavailable" until its leaders are
// elected; the setup is idempotent, so a retry after a timeout whose
// request did land finds the stream and leaves it as it is.
func (s *Store) retrySetup(ctx context.Context, setup func(context.Context) error) error {
	deadline := time.Now().Add(s.cfg.SetupTimeout)
	wait, timeout := 250*time.Millisecond, 2*time.Second
	for attempt := 1; ; attempt++ {
		// A server without a meta leader leaves some requests
		// unanswered: each attempt gets its own deadline, short at first
		// and longer as the attempts go on (a loaded cluster can take
		// seconds to place a stream), never past the setup's.
		actx, cancel := context.WithTimeout(ctx, max(min(timeout, time.Until(deadline)), 100*time.Millisecond))
		err := setup(actx)
		cancel()
		if err == nil || !setupTransient(err) || ctx.Err() != nil || time.Now().Add(wait).After(deadline) {
			return err
		}
		s.log.Warn("JetStream not ready; retrying", "attempt", attempt, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait, timeout = min(2*wait, 4*time.Second), min(2*timeout, 10*time.Second)
	}
}

// setupTransient reports whether a setup error is one JetStream gives
// while it is still starting or electing leaders.
func setupTransient(err error) bool {
	if errors.Is(err, eventlog.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) ||
		errors.Is(err, nats.ErrNoResponders) {
		return true
	}
	switch code, _ := apiCode(err); code {
	case jsClusterNoPeers, jsClusterNotAvailable, jsClusterNotLeader, jsInsufficientResources:
		return true
	}
	return false
}

// JetStream API error codes a starting cluster answers with
// (nats-server's jetstream_errors_generated.go).
const (
	jsClusterNoPeers        = 10005
	jsClusterNotAvailable   = 10008
	jsClusterNotLeader      = 10009
	jsInsufficientResources = 10023
)

func (s *Store) wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout), errors.Is(err, nats.ErrNoResponders),
		errors.Is(err, jetstream.ErrNoStreamResponse), errors.Is(err, nats.ErrConnectionClosed), errors.Is(err, nats.ErrDisconnected):
		return fmt.Errorf("%w: %v", eventlog.ErrUnavailable, err)
	}
	return err
}

package store

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// StartEmbedded starts a nats-server with JetStream in this process,
// storing files under c.DataDir, and waits until it accepts connections.
func StartEmbedded(c Config) (*server.Server, error) {
	c = c.WithDefaults()
	opts := &server.Options{}
	if c.ConfigFile != "" {
		var err error
		if opts, err = server.ProcessConfigFile(c.ConfigFile); err != nil {
			return nil, fmt.Errorf("nats config %s: %w", c.ConfigFile, err)
		}
	}
	if opts.ServerName == "" {
		opts.ServerName = "stancewatch"
	}
	opts.JetStream = true
	opts.StoreDir = c.DataDir
	switch {
	case c.Sync.group():
		// The store fsyncs the event stream before it acknowledges an
		// append (groupSync), and the whole directory every
		// serverInterval (syncLoop).
		opts.SyncInterval = serverOwnInterval
	case c.Sync.Always:
		opts.SyncAlways = true
	default:
		opts.SyncInterval = c.Sync.Interval
	}
	opts.NoSigs = true
	if c.Listen == "off" {
		opts.DontListen = true
	} else {
		host, port, err := net.SplitHostPort(c.Listen)
		if err != nil {
			return nil, fmt.Errorf("nats listen %q: %w", c.Listen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("nats listen %q: bad port", c.Listen)
		}
		opts.Host, opts.Port = host, p
		if p > 0 {
			// Fail at once with the bind error: nats-server only logs it
			// and never becomes ready.
			// A process killed a moment ago frees its port as it finishes
			// exiting: wait that moment out (up to lockWait).
			ln, err := net.Listen("tcp", c.Listen)
			for deadline := time.Now().Add(lockWait); err != nil && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
				ln, err = net.Listen("tcp", c.Listen)
			}
			if err != nil {
				return nil, fmt.Errorf("nats listen %s: %w", c.Listen, err)
			}
			ln.Close()
		}
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats-server: %w", err)
	}
	srv.SetLoggerV2(&serverLogger{l: c.Logger.With("component", "nats-server")}, false, false, false)
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("embedded nats-server did not become ready within 30s (is %s in use?)", c.Listen)
	}
	return srv, nil
}

// serverLogger sends nats-server's log to slog. Notices are debug-level:
// the server is chatty at start.
type serverLogger struct{ l *slog.Logger }

func (s *serverLogger) log(level slog.Level, format string, v ...any) {
	s.l.Log(context.Background(), level, fmt.Sprintf(format, v...))
}
func (s *serverLogger) Noticef(format string, v ...any) { s.log(slog.LevelDebug, format, v...) }
func (s *serverLogger) Warnf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	if stream, ok := outdatedState(msg); ok {
		// After an unclean stop (kill -9, a power cut) the stream's index
		// file is older than its data blocks; nats-server says so as a
		// warning, and an error, and rebuilds the index from the blocks.
		// That is recovery, not loss: say so in our words.
		s.l.Info("recovered after an unclean stop: the stream's index was older than its data, and was rebuilt from the data; nothing acknowledged is lost",
			"stream", stream, "nats_server_said", msg)
		return
	}
	s.l.Warn(msg)
}

// outdatedState reports whether a nats-server warning is one of those it
// writes when it rebuilds a stream's index after an unclean stop
// ("Stream state outdated, … will rebuild", and the "Recovering stream
// state from index errored: prior state file" that goes with it), and of
// which stream.
func outdatedState(msg string) (stream string, ok bool) {
	rest, found := strings.CutPrefix(msg, "Filestore [")
	if !found {
		return "", false
	}
	stream, rest, found = strings.Cut(rest, "] ")
	if !found {
		return "", false
	}
	return stream, strings.HasPrefix(rest, "Stream state outdated") || rest == "Recovering stream state from index errored: prior state file"
}
func (s *serverLogger) Fatalf(format string, v ...any) { s.log(slog.LevelError, format, v...) }
func (s *serverLogger) Errorf(format string, v ...any) { s.log(slog.LevelError, format, v...) }
func (s *serverLogger) Debugf(format string, v ...any) { s.log(slog.LevelDebug-4, format, v...) }
func (s *serverLogger) Tracef(format string, v ...any) { s.log(slog.LevelDebug-8, format, v...) }

package store

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/internal/testnet"
)

// lockedBuffer is a log sink several goroutines may write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startCluster starts n in-process nats-servers with JetStream, routed
// to the first, and returns their client URLs. It does not wait for the
// cluster to elect its meta leader.
func startCluster(t *testing.T, n int) []string {
	t.Helper()
	// A clustered JetStream server needs its routes configured at start,
	// so the route ports are picked first.
	var routes []string
	for _, addr := range testnet.Addrs(t, n) {
		routes = append(routes, "nats-route://"+addr)
	}
	var servers []*server.Server
	for i := range n {
		port, _ := strconv.Atoi(routes[i][strings.LastIndex(routes[i], ":")+1:])
		opts := &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1",
			Port:       -1,
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoLog:      true,
			NoSigs:     true,
			Cluster:    server.ClusterOpts{Name: "setup-test", Host: "127.0.0.1", Port: port},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),
		}
		srv, err := server.NewServer(opts)
		if err != nil {
			t.Fatal(err)
		}
		srv.Start()
		t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
		servers = append(servers, srv)
	}
	var urls []string
	for i, srv := range servers {
		// A clustered JetStream server is ready for connections only
		// once its cluster has a meta leader, which is what the tests
		// here must not wait for: wait for the client port alone.
		deadline := time.Now().Add(10 * time.Second)
		for srv.Addr() == nil && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if srv.Addr() == nil {
			t.Fatalf("n%d opened no client port", i+1)
		}
		urls = append(urls, srv.ClientURL())
	}
	return urls
}

// TestOpenWaitsForAStartingCluster opens a store on a three-node cluster
// the moment its servers accept connections, before they have elected the
// leader that places streams: Open must wait for it, saying so in the log,
// and then create every stream on three replicas.
func TestOpenWaitsForAStartingCluster(t *testing.T) {
	urls := startCluster(t, 3)
	var logs lockedBuffer
	s, err := Open(ctxT(t), Config{
		URL: strings.Join(urls, ","), Replicas: 3, SetupTimeout: time.Minute,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatalf("open on a starting cluster: %v\nlog:\n%s", err, logs.String())
	}
	t.Cleanup(s.Close)
	for _, name := range []string{s.cfg.Stream, s.ShiftsStream(), s.AlignmentStream(), s.DeadLetterStream()} {
		st, err := s.js.Stream(ctxT(t), name)
		if err != nil {
			t.Fatalf("stream %s: %v", name, err)
		}
		if r := st.CachedInfo().Config.Replicas; r != 3 {
			t.Errorf("stream %s: %d replicas, want 3", name, r)
		}
	}
	if _, err := s.Append(ctxT(t), position("US", "support", "2024-01-01", 1)); err != nil {
		t.Fatalf("append after setup: %v", err)
	}
	t.Logf("setup log:\n%s", logs.String())
}

// TestOpenGivesUpOnWhatNoWaitMends checks that setup errors no wait can
// mend end Open at once, and that a cluster that never becomes ready ends
// it after SetupTimeout.
func TestOpenGivesUpOnWhatNoWaitMends(t *testing.T) {
	t.Run("missing stream under bind", func(t *testing.T) {
		s := openTest(t)
		start := time.Now()
		_, err := Open(ctxT(t), Config{URL: s.srv.ClientURL(), Stream: "NOSUCH", Bind: true, Logger: quiet()})
		if err == nil || !strings.Contains(err.Error(), "no stream NOSUCH") {
			t.Fatalf("err %v, want no stream NOSUCH", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %s: a missing stream is not worth waiting for", d)
		}
	})
	t.Run("more replicas than servers", func(t *testing.T) {
		// A single node in cluster mode whose peers never come: no meta
		// leader is ever elected.
		urls := startCluster(t, 1)
		start := time.Now()
		_, err := Open(ctxT(t), Config{URL: urls[0], Replicas: 3, SetupTimeout: 2 * time.Second, Logger: quiet()})
		if err == nil {
			t.Fatal("open succeeded on a cluster that cannot hold three replicas")
		}
		if d := time.Since(start); d > 8*time.Second {
			t.Errorf("took %s with a setup timeout of 2s", d)
		}
	})
}

func TestSetupTransient(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"timeout", context.DeadlineExceeded, true},
		{"unavailable", &jetstream.APIError{ErrorCode: jsClusterNotAvailable}, true},
		{"no peers", &jetstream.APIError{ErrorCode: jsClusterNoPeers}, true},
		{"refused configuration", &jetstream.APIError{ErrorCode: 10058}, false},
		{"missing stream", jetstream.ErrStreamNotFound, false},
		{"wrapped timeout", fmt.Errorf("creating stream X: %w", context.DeadlineExceeded), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := setupTransient(tc.err); got != tc.want {
				t.Errorf("setupTransient(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

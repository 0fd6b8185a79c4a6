package projector

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/store"

	"github.com/stancewatch/stancewatch/projections"
)

type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRewoundStreamIsNotFollowedSilently puts the projection out of step
// with the stream, as a store restored from an older copy would: ahead of
// the stream's end, or holding another event at its last sequence. The
// worker must notice, say so, and rebuild from sequence 1.
func TestRewoundStreamIsNotFollowedSilently(t *testing.T) {
	tests := []struct {
		name  string
		state func(t *testing.T, s *store.Store) *projections.State
	}{
		{"projection ahead of the stream", func(t *testing.T, s *store.Store) *projections.State {
			st := replay(t, s)
			st.Apply(position("FR", "veto", "2024-01-01", 99), projections.Meta{Seq: 25, Recorded: time.Now()})
			return st
		}},
		{"another event at the last sequence", func(t *testing.T, s *store.Store) *projections.State {
			st := projections.New()
			for i := range 10 {
				st.Apply(position("GB", "abstain", "2024-01-01", 500+i), projections.Meta{Seq: uint64(i + 1), Recorded: time.Now()})
			}
			return st
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t)
			for i := range 10 {
				if _, err := s.Append(ctxT(t), position("US", "veto", "2024-02-20", i)); err != nil {
					t.Fatal(err)
				}
			}
			logs := &logBuffer{}
			p := NewProjection()
			w := mustNew(t, s, p, Config{NoCheckpoints: true, VerifyInterval: 20 * time.Millisecond})
			w.log = slog.New(slog.NewTextHandler(logs, nil))
			w.proj.replace(tc.state(t, s))
			rctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- w.Run(rctx) }()
			defer func() { cancel(); <-done }()
			want := replay(t, s).Digest()
			deadline := time.Now().Add(20 * time.Second)
			for digest(p) != want {
				if time.Now().After(deadline) {
					t.Fatalf("the projection never converged to a clean replay; logs:\n%s", logs)
				}
				time.Sleep(20 * time.Millisecond)
			}
			if !strings.Contains(logs.String(), "stream rewound") {
				t.Fatalf("the worker did not say the stream was rewound:\n%s", logs)
			}
			if ok, why := p.Ready(); !ok {
				t.Fatalf("not ready after rebuilding: %s", why)
			}
		})
	}
}

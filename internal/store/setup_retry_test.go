package store

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// TestRetrySetupWaitsOutAStartingCluster: the streams' and the
// checkpoint buckets' setup is run again while a cluster that has just
// started cannot place them ("no suitable peers for placement, peer
// offline", the failure a cluster test once hit on the checkpoint
// bucket), and returns at once what no wait mends.
func TestRetrySetupWaitsOutAStartingCluster(t *testing.T) {
	noPeers := &jetstream.APIError{Code: 400, ErrorCode: jsClusterNoPeers, Description: "no suitable peers for placement, peer offline"}
	refused := &jetstream.APIError{Code: 400, ErrorCode: 10058, Description: "stream name already in use with a different configuration"}
	cases := []struct {
		name      string
		errs      []error // what the setup returns, attempt after attempt
		wantCalls int
		wantErr   error
	}{
		{name: "set up at once", errs: []error{nil}, wantCalls: 1},
		{name: "set up once the peers report in", errs: []error{noPeers, noPeers, nil}, wantCalls: 3},
		{name: "a refused configuration is returned at once", errs: []error{refused, nil}, wantCalls: 1, wantErr: refused},
		{name: "a plain error is returned at once", errs: []error{io.ErrUnexpectedEOF, nil}, wantCalls: 1, wantErr: io.ErrUnexpectedEOF},
	}
	s := &Store{cfg: Config{SetupTimeout: time.Minute}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			err := s.retrySetup(t.Context(), func(context.Context) error {
				e := tc.errs[min(calls, len(tc.errs)-1)]
				calls++
				return e
			})
			if !errors.Is(err, tc.wantErr) || calls != tc.wantCalls {
				t.Fatalf("retrySetup: err %v after %d attempts, want %v after %d", err, calls, tc.wantErr, tc.wantCalls)
			}
		})
	}
	t.Run("the setup timeout ends the wait", func(t *testing.T) {
		s := &Store{cfg: Config{SetupTimeout: 400 * time.Millisecond}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		start := time.Now()
		err := s.retrySetup(t.Context(), func(context.Context) error { return noPeers })
		if !errors.Is(err, noPeers) || time.Since(start) > 5*time.Second {
			t.Fatalf("retrySetup: %v after %s, want the placement error once the timeout passes", err, time.Since(start))
		}
	})
}

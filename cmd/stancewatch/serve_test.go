package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/projector"
	"github.com/stancewatch/stancewatch/internal/store"
)

// TestWorkerThatDiesStopsServe: when the projection worker stops by
// itself (here: its store closes under it), runWorker reports it, which
// makes serve return an error and the process exit non-zero; when serve
// stops it, nothing is reported.
func TestWorkerThatDiesStopsServe(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name    string
		stop    func(st *store.Store, cancel context.CancelFunc)
		wantErr bool
	}{
		{"the store closes under it", func(st *store.Store, _ context.CancelFunc) { st.Close() }, true},
		{"serve stops it", func(_ *store.Store, cancel context.CancelFunc) { cancel() }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := store.Open(t.Context(), store.Config{DataDir: t.TempDir(), Listen: "off", Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(st.Close)
			proj := projector.NewProjection()
			w, err := projector.New(st, proj, projector.Config{NoCheckpoints: true, Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var wg sync.WaitGroup
			failed := runWorker(ctx, w, &wg)
			for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) { // following the stream
				if ok, _ := proj.Ready(); ok {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the worker did not start")
				}
			}
			tc.stop(st, cancel)
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the worker did not stop")
			}
			select {
			case err := <-failed:
				if !tc.wantErr {
					t.Fatalf("reported %v after serve stopped it", err)
				}
				t.Logf("reported: %v", err)
			default:
				if tc.wantErr {
					t.Fatal("a worker that died was not reported")
				}
			}
		})
	}
}

// TestLogsSayDurationsReadably: "took":"29ms", not "took":29000000.
func TestLogsSayDurationsReadably(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: readableDurations}))
	log.Info("checkpoint loaded", "took", 29*time.Millisecond, "seq", 7)
	if got := buf.String(); !strings.Contains(got, `"took":"29ms"`) || !strings.Contains(got, `"seq":7`) {
		t.Fatalf("logged %s", got)
	}
}

package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRunSmall runs every scenario at toy sizes. It checks that the load
// tool works end to end and reports every figure with its raw counterpart;
// it asserts nothing about speed, which belongs to `stancewatch bench`.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts several embedded servers")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Run(ctx, Config{
		Dir:            t.TempDir(),
		IngestAlways:   200,
		IngestInterval: 500,
		ReplayEvents:   1000,
		RestartSizes:   []int{300, 600},
		E2ERate:        200,
		E2EDuration:    500 * time.Millisecond,
		ReadClients:    2,
		ReadDuration:   300 * time.Millisecond,
		ReadEvents:     500,
		MemoryEvents:   1000,
	})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]Figure{}
	for _, f := range r.Figures {
		names[f.Name] = f
		if f.Value <= 0 {
			t.Errorf("%s: value %v, want > 0", f.Name, f.Value)
		}
		if f.Unit == "" {
			t.Errorf("%s: no unit", f.Name)
		}
	}
	var withRaw int
	for _, f := range r.Figures {
		if f.Raw != nil {
			withRaw++
			if f.Ratio == nil {
				t.Errorf("%s: raw figure without a ratio", f.Name)
			}
		}
	}
	if withRaw < 4 {
		t.Errorf("%d figures carry a raw JetStream figure, want at least 4 (ingest ×2, replay, reads)", withRaw)
	}
	for _, part := range []string{"ingest, fsync always", "ingest, fsync every", "cold replay", "restart from a checkpoint", "publish → HTTP snapshot, p99", "HTTP snapshot reads", "memory held per event"} {
		found := false
		for n := range names {
			if strings.Contains(n, part) {
				found = true
			}
		}
		if !found {
			t.Errorf("no figure for %q; figures: %v", part, slices.Collect(maps.Keys(names)))
		}
	}

	var table, js bytes.Buffer
	if err := r.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "RAW JETSTREAM") {
		t.Errorf("table has no header:\n%s", table.String())
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("JSON report does not read back: %v", err)
	}
	if len(back.Figures) != len(r.Figures) {
		t.Errorf("JSON round trip: %d figures, want %d", len(back.Figures), len(r.Figures))
	}
}

// TestDurableScenarios runs the durable-write scenarios at toy sizes: each
// reports its figures, with the raw ceiling where there is one.
func TestDurableScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("starts several embedded servers")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	w, err := DurableWriters(ctx, dir, 4, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if w.Events == 0 || w.EventsPerSec <= 0 || w.P99ms < w.P50ms || w.Raw == nil || w.Raw.EventsPerSec <= 0 || w.Sync != "always" {
		t.Fatalf("durable-writers: %+v", w)
	}
	// Every acknowledged append went through the group commit's fsync.
	if w.FsyncsPerSec <= 0 || w.AppendsPerFsync < 1 || float64(w.Events) > w.AppendsPerFsync*w.FsyncsPerSec*w.Seconds+0.5 {
		t.Fatalf("durable-writers: %d events but group commit answered %.1f/fsync at %.0f fsyncs/s", w.Events, w.AppendsPerFsync, w.FsyncsPerSec)
	}
	b, err := DurableBulk(ctx, dir, 3000)
	if err != nil {
		t.Fatal(err)
	}
	if b.Events != 3000 || b.EventsPerSec <= 0 {
		t.Fatalf("durable-bulk: %+v", b)
	}
	e, err := DurableE2E(ctx, dir, 200, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if e.P50ms <= 0 || e.P99ms < e.P50ms {
		t.Fatalf("durable-e2e: %+v", e)
	}
	var js bytes.Buffer
	if err := json.NewEncoder(&js).Encode(w); err != nil || !strings.Contains(js.String(), `"events_per_sec"`) || !strings.Contains(js.String(), `"p99_ms"`) {
		t.Fatalf("JSON: %s %v", js.String(), err)
	}
}

// TestWorkloadIDsDistinct guards the durable-writers figures: writers
// with different seeds must append different events, or the server
// answers most appends as duplicates without writing anything.
func TestWorkloadIDsDistinct(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(4) {
		for _, ev := range NewWorkload(seed).Events(1000) {
			if seen[ev.ID.String()] {
				t.Fatalf("seed %d: id %s repeats an id of another event", seed, ev.ID)
			}
			seen[ev.ID.String()] = true
		}
	}
}

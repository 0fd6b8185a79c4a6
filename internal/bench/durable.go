package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/store"
)

// Durable is one durable-write measurement (fsync always, one node): the
// scenarios of the group-commit issue, printed one JSON object each.
type Durable struct {
	Scenario     string       `json:"scenario"`
	Writers      int          `json:"writers,omitempty"`
	Rate         int          `json:"rate,omitempty"`
	Events       int          `json:"events"`
	Seconds      float64      `json:"seconds"`
	EventsPerSec float64      `json:"events_per_sec"`
	P50ms        float64      `json:"p50_ms"`
	P99ms        float64      `json:"p99_ms"`
	P999ms       float64      `json:"p999_ms,omitempty"`
	Sync         string       `json:"sync"`
	Note         string       `json:"note,omitempty"`
	Raw          *DurableFigs `json:"raw,omitempty"` // raw JetStream on the same workload
	// The group commit's work: fsyncs a second, appends answered by each,
	// and the mean time of one fsync.
	FsyncsPerSec    float64 `json:"fsyncs_per_sec,omitempty"`
	AppendsPerFsync float64 `json:"appends_per_fsync,omitempty"`
	FsyncMeanMs     float64 `json:"fsync_mean_ms,omitempty"`
}

func (d *Durable) groupStats(g store.GroupCommitStats) {
	if g.Fsyncs == 0 {
		return
	}
	d.FsyncsPerSec = float64(g.Fsyncs) / d.Seconds
	d.AppendsPerFsync = float64(g.Appends) / float64(g.Fsyncs)
	d.FsyncMeanMs = ms(g.Busy / time.Duration(g.Fsyncs))
}

// DurableFigs are the figures of a raw run.
type DurableFigs struct {
	What         string  `json:"what"`
	EventsPerSec float64 `json:"events_per_sec"`
	P50ms        float64 `json:"p50_ms,omitempty"`
	P99ms        float64 `json:"p99_ms,omitempty"`
}

func durableStore(ctx context.Context, dir, name string, sync store.Sync) (*store.Store, func(), error) {
	path, err := os.MkdirTemp(dir, "stancewatch-"+name+"-")
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, Config{Dir: path}, "store", sync)
	if err != nil {
		os.RemoveAll(path)
		return nil, nil, err
	}
	return st, func() { st.Close(); os.RemoveAll(path) }, nil
}

// concurrently runs n clients for d, each calling the operation newOp
// makes for it until the time is up or one fails; it returns every
// operation's latency, the time taken and the first error.
func concurrently(ctx context.Context, n int, d time.Duration, newOp func(client int) func() error) ([]time.Duration, time.Duration, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			op := newOp(c)
			var mine []time.Duration
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				if err := op(); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return lat, time.Since(start), firstErr
}

// writerRun is one side of a writers measurement: n writers, each with
// its own workload, which goes on where the last slice left it.
type writerRun struct {
	appendOne func(ev events.Event) error
	wls       []*Workload
	lat       []time.Duration
	took      time.Duration
}

func newWriterRun(n int, appendOne func(ev events.Event) error) *writerRun {
	r := &writerRun{appendOne: appendOne}
	for w := range n {
		r.wls = append(r.wls, NewWorkload(uint64(1000+w)))
	}
	return r
}

// run lets the writers append for d, each waiting for every result.
func (r *writerRun) run(ctx context.Context, d time.Duration) error {
	lat, took, err := concurrently(ctx, len(r.wls), d, func(w int) func() error {
		wl := r.wls[w]
		return func() error { return r.appendOne(wl.Next()) }
	})
	r.lat, r.took = append(r.lat, lat...), r.took+took
	return err
}

// abbaSlice is how long one side of a writers measurement runs before
// the other takes over.
const abbaSlice = 250 * time.Millisecond

// abba runs a and b for d each, in slices in the order a b b a a b b a
// ...: the disk's fsync rate drifts from second to second, and short
// alternating slices give both sides the same disk instead of handing a
// drift to whichever side ran second.
func abba(ctx context.Context, d time.Duration, a, b *writerRun) error {
	slice := min(abbaSlice, d/2)
	order := []*writerRun{a, b, b, a}
	for i := 0; time.Duration(i/2)*slice < d; i++ {
		if err := order[i%4].run(ctx, slice); err != nil {
			return err
		}
	}
	return nil
}

// DurableWriters measures n concurrent writers appending single events
// through the store's append path, each waiting for its
// acknowledgement, against raw JetStream: the same writers, each a
// synchronous publish with Nats-Msg-Id, on a server that fsyncs every
// message. The two alternate (abba) for d each.
func DurableWriters(ctx context.Context, dir string, n int, d time.Duration) (Durable, error) {
	st, done, err := durableStore(ctx, dir, fmt.Sprintf("writers-%d", n), store.Sync{Always: true})
	if err != nil {
		return Durable{}, err
	}
	defer done()
	raw, doneRaw, err := durableStore(ctx, dir, fmt.Sprintf("raw-writers-%d", n), rawSync(store.Sync{Always: true}))
	if err != nil {
		return Durable{}, err
	}
	defer doneRaw()
	ours := newWriterRun(n, func(ev events.Event) error {
		_, err := st.Append(ctx, ev)
		return err
	})
	js := raw.JetStream()
	theirs := newWriterRun(n, func(ev events.Event) error {
		m, err := rawMsg(ev)
		if err == nil {
			_, err = js.PublishMsg(ctx, m)
		}
		return err
	})
	if err := abba(ctx, d, ours, theirs); err != nil {
		return Durable{}, err
	}
	lat, took := ours.lat, ours.took
	out := Durable{Scenario: "durable-writers", Writers: n, Events: len(lat), Seconds: took.Seconds(), EventsPerSec: float64(len(lat)) / took.Seconds(),
		P50ms: ms(percentile(lat, 0.50)), P99ms: ms(percentile(lat, 0.99)), P999ms: ms(percentile(lat, 0.999)), Sync: "always",
		Note: "each writer appends one event through the store's append path and waits for its acknowledgement; runs alternate with raw JetStream (a b b a)"}
	out.groupStats(st.GroupCommitStats())
	rlat := theirs.lat
	out.Raw = &DurableFigs{What: "the same writers, each a synchronous JetStream publish", EventsPerSec: float64(len(rlat)) / theirs.took.Seconds(),
		P50ms: ms(percentile(rlat, 0.50)), P99ms: ms(percentile(rlat, 0.99))}
	return out, nil
}

// DurableBulk measures a bulk load: roll calls of fifteen events, packed
// whole into atomic batches of up to 1000 (AppendGroups).
func DurableBulk(ctx context.Context, dir string, total int) (Durable, error) {
	st, done, err := durableStore(ctx, dir, "bulk", store.Sync{Always: true})
	if err != nil {
		return Durable{}, err
	}
	defer done()
	wl := NewWorkload(99)
	var groups [][]events.Event
	for n := 0; n < total; n += 15 {
		groups = append(groups, wl.Events(15))
	}
	var lat []time.Duration
	start := time.Now()
	last := start
	if _, err := st.AppendGroups(ctx, groups, func(int) {
		now := time.Now()
		lat = append(lat, now.Sub(last))
		last = now
	}); err != nil {
		return Durable{}, err
	}
	took := time.Since(start)
	n := len(groups) * 15
	out := Durable{Scenario: "durable-bulk", Events: n, Seconds: took.Seconds(), EventsPerSec: float64(n) / took.Seconds(),
		P50ms: ms(percentile(lat, 0.50)), P99ms: ms(percentile(lat, 0.99)), Sync: "always",
		Note: "roll calls of 15 events, never split, packed into atomic batches of up to 1000; latencies are per batch"}
	out.groupStats(st.GroupCommitStats())
	// Raw: the same events, pre-encoded, as plain atomic batches of 1000
	// on a server that fsyncs every message itself.
	raw, doneRaw, err := durableStore(ctx, dir, "raw-bulk", rawSync(store.Sync{Always: true}))
	if err != nil {
		return out, err
	}
	defer doneRaw()
	msgs, err := rawMsgs(slices.Concat(groups...))
	if err != nil {
		return out, err
	}
	rstart := time.Now()
	for i := 0; i < len(msgs); i += eventlog.MaxBatch {
		if err := rawAtomic(ctx, raw.Conn(), fmt.Sprintf("raw-bulk-%d", i), msgs[i:min(i+eventlog.MaxBatch, len(msgs))]); err != nil {
			return out, err
		}
	}
	out.Raw = &DurableFigs{What: "the same events pre-encoded, as atomic batches of 1000", EventsPerSec: float64(len(msgs)) / time.Since(rstart).Seconds()}
	return out, nil
}

// rawAtomic publishes msgs as one JetStream atomic batch (ADR-50) and
// waits for the commit's acknowledgement.
func rawAtomic(ctx context.Context, nc *nats.Conn, id string, msgs []*nats.Msg) error {
	for i, m := range msgs {
		m.Header.Set("Nats-Batch-Id", id)
		m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
		if i < len(msgs)-1 {
			if err := nc.PublishMsg(m); err != nil {
				return err
			}
			continue
		}
		m.Header.Set("Nats-Batch-Commit", "1")
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		resp, err := nc.RequestMsgWithContext(ctx, m)
		if err != nil {
			return err
		}
		var ack struct {
			Count int                 `json:"count"`
			Error *jetstream.APIError `json:"error"`
		}
		if err := json.Unmarshal(resp.Data, &ack); err != nil {
			return err
		}
		if ack.Error != nil {
			return ack.Error
		}
		if ack.Count != len(msgs) {
			return fmt.Errorf("atomic batch %s: %d of %d stored", id, ack.Count, len(msgs))
		}
	}
	return nil
}

// DurableE2E measures publish -> visible in an HTTP snapshot at a steady
// rate, fsync always, through the store's append path.
func DurableE2E(ctx context.Context, dir string, rate int, d time.Duration) (Durable, error) {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "stancewatch-durable")
		if err != nil {
			return Durable{}, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	r := &Report{}
	if err := endToEnd(ctx, Config{Dir: dir, E2ERate: rate, E2EDuration: d, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}.withDefaults(), r); err != nil {
		return Durable{}, err
	}
	out := Durable{Scenario: "durable-e2e", Rate: rate, Events: int(d.Seconds() * float64(rate)), Seconds: d.Seconds(), EventsPerSec: float64(rate), Sync: "always",
		Note: "an acknowledged append (fsync always), then GET /v1/actors/{actor}?min_seq=<its sequence>"}
	for _, f := range r.Figures {
		switch {
		case f.Unit == "ms" && strings.Contains(f.Name, "p50"):
			out.P50ms = f.Value
		case f.Unit == "ms" && strings.Contains(f.Name, "p99.9"):
			out.P999ms = f.Value
		case f.Unit == "ms" && strings.Contains(f.Name, "p99"):
			out.P99ms = f.Value
			if f.Raw != nil {
				out.Raw = &DurableFigs{What: "publish, then receive on an ordered consumer", P99ms: *f.Raw}
			}
		}
	}
	return out, nil
}

package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stancewatch/stancewatch/internal/projector"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/api"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/projections"
)

func restart(ctx context.Context, cfg Config, r *Report) error {
	for _, n := range cfg.RestartSizes {
		st, err := populated(ctx, cfg, n)
		if err != nil {
			return err
		}
		// A first run folds everything and checkpoints when it stops.
		if _, _, err := projectorCatchUp(ctx, st, cfg.projector(true)); err != nil {
			st.Close()
			return err
		}
		took, _, err := projectorCatchUp(ctx, st, cfg.projector(true))
		st.Close()
		if err != nil {
			return err
		}
		r.add(Figure{Name: fmt.Sprintf("restart from a checkpoint, %d events", n), Unit: "s", Value: took.Seconds(),
			Target: "< 1 s at 1M", Met: boolp(n < 1_000_000 || took < time.Second),
			Note: "from opening the checkpoint to ready: load the snapshot, check the stream still holds its last event, follow the stream"})
	}
	return nil
}

// serveAPI runs the HTTP API on a loopback port and returns its address.
func serveAPI(st *store.Store, p *projector.Projection) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	h, err := api.New(api.Config{RateLimit: -1}, st, p)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(float64(len(d)-1) * p)
	return d[i]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func endToEnd(ctx context.Context, cfg Config, r *Report) error {
	st, err := openStore(ctx, cfg, "e2e", store.Sync{Always: true})
	if err != nil {
		return err
	}
	defer st.Close()
	p := projector.NewProjection()
	pcfg := cfg.projector(false)
	pcfg.Alerts, pcfg.AlertSource = true, "bench"
	// Where the time goes: when each event was folded (the projector's
	// hook runs right after the fold, before waiters are told), and when
	// the SSE stream delivered it.
	var mu sync.Mutex
	folded, delivered := map[uint64]time.Time{}, map[uint64]time.Time{}
	pcfg.OnApply = func(_ events.Event, m projections.Meta) {
		now := time.Now()
		mu.Lock()
		folded[m.Seq] = now
		mu.Unlock()
	}
	w, err := projector.New(st, p, pcfg)
	if err != nil {
		return err
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { _ = w.Run(rctx) }()
	base, stop, err := serveAPI(st, p)
	if err != nil {
		return err
	}
	defer stop()
	sseDone, err := followSSE(rctx, base+"/v1/stream", func(seq uint64) {
		now := time.Now()
		mu.Lock()
		delivered[seq] = now
		mu.Unlock()
	})
	if err != nil {
		return err
	}
	client := httpClient(8, false)
	wl := NewWorkload(77)
	n := int(cfg.E2EDuration.Seconds() * float64(cfg.E2ERate))
	lat := make([]time.Duration, 0, n)
	type timing struct {
		seq             uint64
		start, ack, end time.Time
	}
	timings := make([]timing, 0, n)
	tick := time.NewTicker(time.Second / time.Duration(cfg.E2ERate))
	defer tick.Stop()
	for range n {
		<-tick.C
		ev := wl.Next()
		t0 := time.Now()
		a, err := st.Append(ctx, ev)
		if err != nil {
			return err
		}
		acked := time.Now()
		resp, err := client.Get(fmt.Sprintf("%s/v1/actors/%s?min_seq=%d", base, ev.Data.(events.Position).Actor, a.Seq))
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("snapshot read: %s", resp.Status)
		}
		end := time.Now()
		lat = append(lat, end.Sub(t0))
		timings = append(timings, timing{a.Seq, t0, acked, end})
	}
	// The SSE stream delivers the last events shortly after; give it a
	// moment, then stop following.
	last := timings[len(timings)-1].seq
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		_, ok := delivered[last]
		mu.Unlock()
		if ok {
			break
		}
	}
	cancel()
	<-sseDone
	var toAck, toFold, toAnswer, toSSE []time.Duration
	mu.Lock()
	for _, t := range timings {
		toAck = append(toAck, t.ack.Sub(t.start))
		if f, ok := folded[t.seq]; ok {
			toFold = append(toFold, f.Sub(t.start))
			toAnswer = append(toAnswer, t.end.Sub(f))
		}
		if d, ok := delivered[t.seq]; ok {
			toSSE = append(toSSE, d.Sub(t.start))
		}
	}
	mu.Unlock()
	// Raw: publish, then receive it on an ordered consumer.
	raw, err := openStore(ctx, cfg, "e2e-raw", rawSync(store.Sync{Always: true}))
	if err != nil {
		return err
	}
	defer raw.Close()
	cons, err := raw.JetStream().OrderedConsumer(ctx, raw.Config().Stream, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverNewPolicy})
	if err != nil {
		return err
	}
	it, err := cons.Messages()
	if err != nil {
		return err
	}
	defer it.Stop()
	rawLat := make([]time.Duration, 0, n)
	for range n {
		<-tick.C
		ev := wl.Next()
		b, _ := ev.Encode()
		t0 := time.Now()
		if _, err := raw.JetStream().Publish(ctx, ev.Subject(), b, jetstream.WithMsgID(ev.ID.String())); err != nil {
			return err
		}
		if _, err := it.Next(); err != nil {
			return err
		}
		rawLat = append(rawLat, time.Since(t0))
	}
	for _, q := range []struct {
		name string
		p    float64
	}{{"p50", 0.5}, {"p99", 0.99}, {"p99.9", 0.999}} {
		f := Figure{Name: fmt.Sprintf("publish → HTTP snapshot, %s at %d/s", q.name, cfg.E2ERate), Unit: "ms", Value: ms(percentile(lat, q.p))}.withRaw(ms(percentile(rawLat, q.p)))
		if q.name == "p99" {
			f.Target, f.Met = "< 5 ms", boolp(f.Value < 5)
			f.Note = "an acknowledged append (fsync always), then GET /v1/actors/{actor}?min_seq=<its sequence>; raw: publish, then receive on an ordered consumer"
		}
		r.add(f)
	}
	for _, seg := range []struct {
		name, note string
		d          []time.Duration
	}{
		{"append → acknowledged (fsync always)", "Append's call to its acknowledgement: encoding, the publish, the group commit's fsync", toAck},
		// Measured from the call, not from the acknowledgement: the server
		// delivers the event to the projector's consumer and the ack to
		// the appender at once, and the fold often comes first.
		{"append → folded", "Append's call to the projector's fold of the event (the ack's path, then the consumer's delivery, decoding, the fold; the two race)", toFold},
		{"folded → HTTP answer received", "the fold to the client holding the answer (waking the waiting request, encoding, the loopback)", toAnswer},
		{"append → SSE delivery", fmt.Sprintf("Append's call to the event's arrival on GET /v1/stream (its own ordered consumer); %d of %d delivered", len(toSSE), len(timings)), toSSE},
	} {
		r.add(Figure{Name: fmt.Sprintf("%s, p50 at %d/s", seg.name, cfg.E2ERate), Unit: "ms", Value: ms(percentile(seg.d, 0.5)), Note: seg.note})
		r.add(Figure{Name: fmt.Sprintf("%s, p99 at %d/s", seg.name, cfg.E2ERate), Unit: "ms", Value: ms(percentile(seg.d, 0.99))})
	}
	return nil
}

// followSSE reads an SSE stream on a goroutine of its own, calling fn
// with each event's id (its stream sequence), until ctx ends; the channel
// closes when it has stopped.
func followSSE(ctx context.Context, url string, fn func(seq uint64)) (<-chan struct{}, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "id: "); ok {
				if seq, err := strconv.ParseUint(v, 10, 64); err == nil {
					fn(seq)
				}
			}
		}
	}()
	return done, nil
}

func reads(ctx context.Context, cfg Config, r *Report) error {
	st, err := populated(ctx, cfg, cfg.ReadEvents)
	if err != nil {
		return err
	}
	defer st.Close()
	_, p, err := projectorCatchUp(ctx, st, cfg.projector(false))
	if err != nil {
		return err
	}
	base, stop, err := serveAPI(st, p)
	if err != nil {
		return err
	}
	defer stop()
	var actors []string
	p.Read(func(s *projections.State) {
		for _, a := range s.Actors(projections.Lens{}) {
			actors = append(actors, a.Actor.String())
		}
	})
	// A static answer of the same size is the ceiling of the HTTP stack.
	resp, err := http.Get(base + "/v1/actors/" + actors[0])
	if err != nil {
		return err
	}
	sample, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	static := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(sample)
	})}
	go func() { _ = static.Serve(ln) }()
	defer static.Close()

	load := func(url func(*rand.Rand) string) (float64, time.Duration, error) {
		client := httpClient(cfg.ReadClients, false)
		all, _, err := concurrently(ctx, cfg.ReadClients, cfg.ReadDuration, func(c int) func() error {
			rng := rand.New(rand.NewPCG(uint64(c), 1))
			return func() error {
				resp, err := client.Get(url(rng))
				if err != nil {
					return err
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					return fmt.Errorf("%s", resp.Status)
				}
				return nil
			}
		})
		return float64(len(all)) / cfg.ReadDuration.Seconds(), percentile(all, 0.99), err
	}
	qps, p99, err := load(func(rng *rand.Rand) string { return base + "/v1/actors/" + actors[rng.IntN(len(actors))] })
	if err != nil {
		return err
	}
	rawQPS, rawP99, err := load(func(*rand.Rand) string { return "http://" + ln.Addr().String() + "/" })
	if err != nil {
		return err
	}
	f := Figure{Name: fmt.Sprintf("HTTP snapshot reads, %d clients", cfg.ReadClients), Unit: "reads/s", Value: qps, Target: "≥ 25000/s",
		Met:  boolp(qps >= 25000),
		Note: fmt.Sprintf("GET /v1/actors/{random actor} over a projection of %d events, %d-byte answers; raw: the same HTTP stack serving those bytes from memory; clients run in the same process", cfg.ReadEvents, len(sample))}.withRaw(rawQPS)
	r.add(f)
	g := Figure{Name: fmt.Sprintf("HTTP snapshot read p99, %d clients", cfg.ReadClients), Unit: "ms", Value: ms(p99), Target: "< 5 ms", Met: boolp(ms(p99) < 5)}.withRaw(ms(rawP99))
	r.add(g)
	return nil
}

func memory(ctx context.Context, cfg Config, r *Report) error {
	// The events arrive as the stream holds them, encoded: the projection
	// keeps what it decodes, and nothing else refers to it.
	wl := NewWorkload(5)
	encoded := make([][]byte, cfg.MemoryEvents)
	total := 0
	for i := range encoded {
		b, err := wl.Next().Encode()
		if err != nil {
			return err
		}
		encoded[i] = b
		total += len(b)
	}
	before := settledHeap()
	st := projections.New()
	t0 := time.Now()
	for i, b := range encoded {
		ev, err := events.Decode(b)
		if err != nil {
			return err
		}
		st.Apply(ev, projections.Meta{Seq: uint64(i + 1), Recorded: t0.Add(time.Duration(i) * time.Millisecond)})
	}
	after := settledHeap()
	per := float64(int64(after)-int64(before)) / float64(cfg.MemoryEvents)
	runtime.KeepAlive(st)
	runtime.KeepAlive(encoded)
	r.add(Figure{Name: fmt.Sprintf("memory held per event, %d events", cfg.MemoryEvents), Unit: "bytes/event", Value: per,
		Target: "≤ 200", Met: boolp(per <= 200),
		Note: fmt.Sprintf("live heap of the projection after decoding and folding, quotes included; an encoded event is %d bytes", total/cfg.MemoryEvents)})
	return nil
}

// settledHeap collects garbage until the live heap stops shrinking: servers
// and clients of earlier scenarios release memory for a while after they
// close, and a single collection would count that release against the
// projection.
func settledHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	last := m.HeapAlloc
	for range 20 {
		time.Sleep(10 * time.Millisecond)
		runtime.GC()
		runtime.ReadMemStats(&m)
		if m.HeapAlloc+64<<10 >= last { // no longer shrinking
			return m.HeapAlloc
		}
		last = m.HeapAlloc
	}
	return m.HeapAlloc
}

// httpClient is the bench's HTTP client with conns idle connections. A
// client on the same machine as the server has nothing to gain from
// compressed answers, and Go's client asks for gzip unless told not to:
// gz says whether it does.
func httpClient(conns int, gz bool) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: !gz}}
}

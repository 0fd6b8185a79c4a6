package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/stancewatch/stancewatch/internal/projector"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/internal/store"
)

// populated opens (creating and filling on first use) a store holding n
// workload events, under a name that depends on n.
func populated(ctx context.Context, cfg Config, n int) (*store.Store, error) {
	name := fmt.Sprintf("history-%d", n)
	st, err := openStore(ctx, cfg, name, store.Sync{Interval: time.Second})
	if err != nil {
		return nil, err
	}
	last, err := st.LastSeq(ctx)
	if err != nil || last >= uint64(n) {
		return st, err
	}
	cfg.Logger.Info("bench: writing a history", "events", n)
	w := NewWorkload(uint64(n))
	for done := 0; done < n; {
		chunk := min(50_000, n-done)
		if _, err := st.AppendMany(ctx, w.Events(chunk)); err != nil {
			st.Close()
			return nil, err
		}
		done += chunk
	}
	return st, nil
}

// projectorCatchUp folds the stream from sequence 1 (or from a
// checkpoint) with the real projector and returns how long it took to be
// caught up and ready.
func projectorCatchUp(ctx context.Context, st *store.Store, pcfg projector.Config) (time.Duration, *projector.Projection, error) {
	last, err := st.LastSeq(ctx)
	if err != nil {
		return 0, nil, err
	}
	start := time.Now()
	p := projector.NewProjection()
	w, err := projector.New(st, p, pcfg)
	if err != nil {
		return 0, nil, err
	}
	if err := w.Restore(ctx); err != nil {
		return 0, nil, err
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.Run(rctx) }()
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Minute)
	defer wcancel()
	err = p.WaitFor(wctx, last)
	for err == nil {
		if ok, _ := p.Ready(); ok {
			break
		}
		time.Sleep(time.Millisecond)
	}
	took := time.Since(start)
	cancel()
	if rerr := <-done; err == nil {
		err = rerr
	}
	return took, p, err
}

// rawReplay reads the whole stream with an ordered consumer that only
// counts: the ceiling.
func rawReplay(ctx context.Context, st *store.Store) (time.Duration, error) {
	last, err := st.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	cons, err := st.JetStream().OrderedConsumer(ctx, st.Config().Stream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return 0, err
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(1024))
	if err != nil {
		return 0, err
	}
	defer it.Stop()
	for n := uint64(0); n < last; n++ {
		if _, err := it.Next(jetstream.NextContext(ctx)); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

func replay(ctx context.Context, cfg Config, r *Report) error {
	st, err := populated(ctx, cfg, cfg.ReplayEvents)
	if err != nil {
		return err
	}
	defer st.Close()
	raw, err := rawReplay(ctx, st)
	if err != nil {
		return err
	}
	took, _, err := projectorCatchUp(ctx, st, cfg.projector(false))
	if err != nil {
		return err
	}
	n := float64(cfg.ReplayEvents)
	f := Figure{Name: "cold replay", Unit: "events/s", Value: n / took.Seconds(), Target: "≥ 0.8× raw",
		Note: fmt.Sprintf("%d events folded from sequence 1 by the projector in %s (raw: an ordered consumer that only counts, %s)", cfg.ReplayEvents, took.Round(time.Millisecond), raw.Round(time.Millisecond))}.withRaw(n / raw.Seconds())
	f.Met = boolp(*f.Ratio >= 0.8)
	r.add(f)
	r.add(Figure{Name: fmt.Sprintf("cold replay of %d events", cfg.ReplayEvents), Unit: "s", Value: took.Seconds(),
		Target: "< 5 s at 1M", Met: boolp(cfg.ReplayEvents < 1_000_000 || took < 5*time.Second)})
	return nil
}

package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/store"
)

// ingestRate appends n workload events through stancewatch's producer
// path (encoding, validation, deterministic ids, the id index's
// once-ever check, pipelined) and returns acknowledged events a second.
func ingestRate(ctx context.Context, st *store.Store, evs []events.Event) (float64, error) {
	start := time.Now()
	acks, err := st.AppendMany(ctx, evs)
	if err != nil {
		return 0, err
	}
	for _, a := range acks {
		if a.Duplicate {
			return 0, fmt.Errorf("workload event %s was a duplicate", a.ID)
		}
	}
	return float64(len(evs)) / time.Since(start).Seconds(), nil
}

// rawMsg is an event as raw JetStream publishes it: the same bytes and
// subject as stancewatch, deduplicated the usual JetStream way, with
// Nats-Msg-Id (stancewatch sends it too, and checks its id index
// first), and nothing of its own.
func rawMsg(ev events.Event) (*nats.Msg, error) {
	b, err := ev.Encode()
	if err != nil {
		return nil, err
	}
	m := nats.NewMsg(ev.Subject())
	m.Data = b
	m.Header.Set(jetstream.MsgIDHeader, ev.ID.String())
	return m, nil
}

// rawMsgs are the raw messages of evs.
func rawMsgs(evs []events.Event) ([]*nats.Msg, error) {
	msgs := make([]*nats.Msg, len(evs))
	for i, ev := range evs {
		var err error
		if msgs[i], err = rawMsg(ev); err != nil {
			return nil, err
		}
	}
	return msgs, nil
}

// rawIngestRate publishes the same bytes, on the same subjects, with the
// same Nats-Msg-Id, asynchronously with the same window, straight with
// the JetStream client: the ceiling.
func rawIngestRate(ctx context.Context, st *store.Store, evs []events.Event) (float64, error) {
	msgs, err := rawMsgs(evs)
	if err != nil {
		return 0, err
	}
	js := st.JetStream()
	start := time.Now()
	futures := make([]jetstream.PubAckFuture, len(msgs))
	const window = 1000
	next := 0
	wait := func(i int) error {
		select {
		case <-futures[i].Ok():
			return nil
		case err := <-futures[i].Err():
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for i, m := range msgs {
		f, err := js.PublishMsgAsync(m)
		if err != nil {
			return 0, err
		}
		futures[i] = f
		for ; i-next >= window; next++ {
			if err := wait(next); err != nil {
				return 0, err
			}
		}
	}
	for ; next < len(msgs); next++ {
		if err := wait(next); err != nil {
			return 0, err
		}
	}
	return float64(len(msgs)) / time.Since(start).Seconds(), nil
}

func ingest(ctx context.Context, cfg Config, r *Report) error {
	modes := []struct {
		name   string
		sync   store.Sync
		n      int
		target float64
	}{
		{"fsync always", store.Sync{Always: true}, cfg.IngestAlways, 0.9},
		{"fsync every 1s", store.Sync{Interval: time.Second}, cfg.IngestInterval, 0.8},
	}
	for i, m := range modes {
		evs := NewWorkload(uint64(10 + i)).Events(m.n)
		ours, err := openStore(ctx, cfg, fmt.Sprintf("ingest-%d", i), m.sync)
		if err != nil {
			return err
		}
		v, err := ingestRate(ctx, ours, evs)
		ours.Close()
		if err != nil {
			return err
		}
		raw, err := openStore(ctx, cfg, fmt.Sprintf("ingest-raw-%d", i), rawSync(m.sync))
		if err != nil {
			return err
		}
		rv, err := rawIngestRate(ctx, raw, evs)
		raw.Close()
		if err != nil {
			return err
		}
		f := Figure{Name: "ingest, " + m.name, Unit: "events/s", Value: v, Target: fmt.Sprintf("≥ %.1f× raw", m.target),
			Note: fmt.Sprintf("%d events of %d bytes on average, pipelined (1000 in flight); raw: the same bytes, each with Nats-Msg-Id; stancewatch: encoding, validation, the id and checksum headers and the id index's check besides", m.n, avgSize(evs))}.withRaw(rv)
		if m.sync.Always {
			f.Note += "; fsync: stancewatch's group commit before the acknowledgements, nats-server's per message for raw"
		}
		f.Met = boolp(*f.Ratio >= m.target)
		r.add(f)
	}
	return nil
}

func avgSize(evs []events.Event) int {
	total := 0
	for _, ev := range evs {
		b, _ := ev.Encode()
		total += len(b)
	}
	return total / max(len(evs), 1)
}

package projector

import (
	"context"
	"log/slog"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/metrics"
	"github.com/stancewatch/stancewatch/internal/store"
)

// outboxLimit is how many alerts wait before a flush while replaying.
const outboxLimit = 500

// outbox holds the derived events the fold caused and stores them:
// shift alerts (in atomic batches, to the shifts stream) and dead letters
// (copies of refused events, to the dead letter stream). Each store is
// retried until it succeeds or the projector stops; a failure that
// remains is remembered (failed), and the projector then does not
// checkpoint past the events whose derived events are not out, so the
// next start derives them again. Every replica derives the same alerts
// under the same ids; each is stored once.
type outbox struct {
	store *store.Store
	log   *slog.Logger
	m     *metrics.Metrics
	stop  func() context.Context // the projector's run: retries end with it

	alerts  []events.Event // shift alerts not yet stored
	derived []events.Event // events of the Deriver not yet stored
	from    uint64         // events after this sequence get shift alerts and dead letters
	failed  bool           // some derived events of folded events are not out
}

// retry calls do with a fresh timeout until it succeeds or the projector
// stops, backing off 100 ms more each time up to 2 s. It reports whether
// do succeeded.
func (o *outbox) retry(what string, timeout time.Duration, do func(ctx context.Context) error, args ...any) bool {
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		err := do(ctx)
		cancel()
		if err == nil {
			return true
		}
		stop := o.stop()
		if stop.Err() != nil {
			return false
		}
		o.log.Warn(what+" failed; retrying", append(args, "err", err)...)
		t := time.NewTimer(time.Duration(min(attempt+1, 20)) * 100 * time.Millisecond)
		select {
		case <-stop.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
}

// flushAlerts stores the shift alerts and the derived events waiting,
// as atomic batches (one durable commit each, rather than one per
// alert). The projector flushes when it has caught up with the stream,
// when the outbox is full, and before every checkpoint: a checkpoint
// never gets ahead of an alert.
func (o *outbox) flushAlerts() {
	if o.publish("publishing shift alerts", &o.alerts) {
		o.publish("publishing derived events", &o.derived)
	}
}

// full reports whether enough waits to flush while replaying.
func (o *outbox) full() bool { return len(o.alerts)+len(o.derived) >= outboxLimit }

// publish stores the events of q in atomic batches (a batch is in one
// stream: shift alerts and derived events are published apart), emptying
// q; false when the projector stopped first.
func (o *outbox) publish(what string, q *[]events.Event) bool {
	for len(*q) > 0 {
		batch := (*q)[:min(len(*q), eventlog.MaxBatch)]
		ok := o.retry(what, 30*time.Second, func(ctx context.Context) error {
			acks, err := o.store.AppendBatch(ctx, batch)
			for i, a := range acks {
				if err == nil && !a.Duplicate {
					o.count(batch[i])
				}
			}
			return err
		}, "events", len(batch))
		if !ok {
			o.failed = true
			return false
		}
		*q = (*q)[len(batch):]
	}
	*q = nil
	return true
}

// count counts a derived event stored.
func (o *outbox) count(ev events.Event) {
	switch d := ev.Data.(type) {
	case events.ShiftAlert:
		o.m.ShiftAlerts.WithLabelValues(string(d.Status)).Inc()
	case events.AlignmentAlert:
		o.m.AlignmentAlerts.Inc()
	}
}

// deadLetters stores copies of refused events, with the reason.
func (o *outbox) deadLetters(items []item) {
	for _, it := range items {
		ok := o.retry("storing a dead letter", 10*time.Second, func(ctx context.Context) error {
			return o.store.DeadLetter(ctx, it.m.Seq, it.subject, it.data, it.err.Error())
		}, "seq", it.m.Seq)
		if !ok {
			o.failed = true
			return
		}
		o.m.EventsDeadLettered.Inc()
	}
}

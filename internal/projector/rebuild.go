package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/projections"
)

// RebuildStatus says how a rebuild is going.
type RebuildStatus struct {
	Running  bool      `json:"running"`
	Reason   string    `json:"reason,omitempty"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	Done     uint64    `json:"done"`   // last sequence the new state has folded
	Target   uint64    `json:"target"` // the stream's last sequence when the rebuild began
	Version  int       `json:"version"`
	Error    string    `json:"error,omitempty"`
}

// ErrRebuilding: a rebuild is already running.
var ErrRebuilding = errors.New("a rebuild is already running")

// rebuilder is the part of a Projector that rebuilds.
type rebuilder struct {
	mu       sync.Mutex
	status   RebuildStatus
	handover chan *projections.State // rebuilt state, for the live loop to swap in
	swapped  chan error
}

// RebuildStatus returns the state of the last (or current) rebuild.
func (w *Projector) RebuildStatus() RebuildStatus {
	w.rb.mu.Lock()
	defer w.rb.mu.Unlock()
	return w.rb.status
}

// StartRebuild builds a new state from sequence 1 beside the one being
// served, and switches readers over when it has caught up. Queries keep
// answering from the current state meanwhile. It returns at once; follow
// it with RebuildStatus.
func (w *Projector) StartRebuild(reason string) (RebuildStatus, error) {
	w.rb.mu.Lock()
	defer w.rb.mu.Unlock()
	if w.rb.status.Running {
		return w.rb.status, ErrRebuilding
	}
	if w.ctx == nil {
		return w.rb.status, errors.New("the projector is not running")
	}
	w.rb.status = RebuildStatus{Running: true, Reason: reason, Started: time.Now().UTC(), Version: projections.Version}
	go w.rebuild(w.ctx)
	return w.rb.status, nil
}

func (w *Projector) setRebuild(f func(*RebuildStatus)) {
	w.rb.mu.Lock()
	f(&w.rb.status)
	w.rb.mu.Unlock()
}

// rebuild folds the whole stream into a fresh state with its own ordered
// consumer (no alerts, no checkpoints, no lock: nobody reads it yet), then
// hands it to the live loop.
func (w *Projector) rebuild(ctx context.Context) {
	err := w.rebuildOnce(ctx)
	w.setRebuild(func(s *RebuildStatus) {
		s.Running, s.Finished = false, time.Now().UTC()
		if err != nil {
			s.Error = err.Error()
		}
	})
	if err != nil && ctx.Err() == nil {
		w.log.Error("rebuild failed; still serving the previous state", "err", err)
	} else if err == nil {
		st := w.RebuildStatus()
		w.log.Info("rebuild done; readers switched to the new state", "seq", st.Done, "took", st.Finished.Sub(st.Started).Round(time.Millisecond))
	}
}

func (w *Projector) rebuildOnce(ctx context.Context) error {
	target, err := w.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	w.setRebuild(func(s *RebuildStatus) { s.Target = target })
	st := projections.New()
	if target > 0 {
		cons, err := w.store.js.OrderedConsumer(ctx, w.store.cfg.Stream, jetstream.OrderedConsumerConfig{
			DeliverPolicy: jetstream.DeliverAllPolicy,
		})
		if err != nil {
			return fmt.Errorf("rebuild consumer: %w", w.store.wrap(err))
		}
		it, err := cons.Messages(jetstream.PullMaxMessages(1024))
		if err != nil {
			return fmt.Errorf("rebuild consumer: %w", w.store.wrap(err))
		}
		defer it.Stop()
		for st.LastSeq() < target {
			msg, err := it.Next(jetstream.NextContext(ctx))
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if errors.Is(err, nats.ErrTimeout) {
					continue
				}
				return err
			}
			md, err := msg.Metadata()
			if err != nil {
				return err
			}
			foldInto(st, projections.Meta{Seq: md.Sequence.Stream, Recorded: md.Timestamp.UTC()}, msg.Subject(), msg.Data())
			if seq := st.LastSeq(); seq%1024 == 0 || seq >= target {
				w.setRebuild(func(s *RebuildStatus) { s.Done = seq })
			}
		}
	}
	w.setRebuild(func(s *RebuildStatus) { s.Done = st.LastSeq() })
	select {
	case w.rb.handover <- st:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-w.rb.swapped:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// foldInto applies one stored message to a state nobody else reads.
func foldInto(st *projections.State, m projections.Meta, subject string, data []byte) {
	ev, err := decodeAt(subject, data)
	if err != nil {
		st.Skip(m, idOf(subject), err.Error())
		return
	}
	st.Apply(ev, m)
}

// takeHandover swaps a rebuilt state in, on the live loop's goroutine,
// between two messages, and reports whether it did (the live consumer
// then restarts after the new state's last sequence). The rebuilt state
// first folds whatever the live state has folded since the rebuild's
// consumer stopped, read by sequence.
func (w *Projector) takeHandover(ctx context.Context) bool {
	var st *projections.State
	select {
	case st = <-w.rb.handover:
	default:
		return false
	}
	err := func() error {
		for seq := st.LastSeq() + 1; seq <= w.proj.LastSeq(); seq++ {
			m, err := w.store.GetSeq(ctx, seq)
			if errors.Is(err, ErrNotFound) {
				continue // a sequence that never held a message
			}
			if err != nil {
				return err
			}
			foldInto(st, projections.Meta{Seq: m.Seq, Recorded: m.Time}, m.Subject, m.Data)
		}
		return nil
	}()
	if err == nil {
		w.proj.replace(st)
		w.stale = ""
		w.checkpointSeq = 0 // the next checkpoint writes the new state
		w.sinceCheckpoint = w.cfg.CheckpointEvery
	}
	w.rb.swapped <- err
	return err == nil
}

// Replay folds the event stream from sequence 1 into a fresh state, up to
// sequence until (0: the stream's end when called): the reference every
// projection must equal.
func (s *Store) Replay(ctx context.Context, until uint64) (*projections.State, error) {
	if until == 0 {
		var err error
		if until, err = s.LastSeq(ctx); err != nil {
			return nil, err
		}
	}
	st := projections.New()
	if until == 0 {
		return st, nil
	}
	err := s.Subscribe(ctx, SubscribeOptions{CatchUp: true}, func(d Delivery) error {
		if d.Seq > until {
			return errReplayDone
		}
		foldInto(st, projections.Meta{Seq: d.Seq, Recorded: d.Time}, d.Subject, d.Data)
		if d.Seq == until {
			return errReplayDone
		}
		return nil
	})
	if err != nil && !errors.Is(err, errReplayDone) {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return st, nil
}

var errReplayDone = errors.New("replay done")

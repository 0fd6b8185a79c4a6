package projector

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"
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

// ErrNotRunning: the projector's Run has not started (or has ended).
var ErrNotRunning = errors.New("the projector is not running")

// rebuilder is the part of a Projector that rebuilds.
type rebuilder struct {
	mu       sync.Mutex
	status   RebuildStatus
	handover chan *projections.State // rebuilt state, for the live loop to swap in
	swapped  chan error
}

// RebuildStatus returns the state of the last (or current) rebuild.
func (p *Projector) RebuildStatus() RebuildStatus {
	p.rb.mu.Lock()
	defer p.rb.mu.Unlock()
	return p.rb.status
}

// StartRebuild builds a new state from sequence 1 beside the one being
// served, and switches readers over when it has caught up. Queries keep
// answering from the current state meanwhile. It returns at once; follow
// it with RebuildStatus.
func (p *Projector) StartRebuild(reason string) (RebuildStatus, error) {
	p.rb.mu.Lock()
	defer p.rb.mu.Unlock()
	if p.rb.status.Running {
		return p.rb.status, ErrRebuilding
	}
	if p.ctx == nil {
		return p.rb.status, ErrNotRunning
	}
	p.rb.status = RebuildStatus{Running: true, Reason: reason, Started: time.Now().UTC(), Version: projections.Version}
	go p.rebuild(p.ctx)
	return p.rb.status, nil
}

func (p *Projector) setRebuild(f func(*RebuildStatus)) {
	p.rb.mu.Lock()
	f(&p.rb.status)
	p.rb.mu.Unlock()
}

// rebuild folds the whole stream into a fresh state with its own reader
// (no alerts, no checkpoints, no lock: nobody reads it yet), then hands
// it to the live loop.
func (p *Projector) rebuild(ctx context.Context) {
	err := p.rebuildOnce(ctx)
	p.setRebuild(func(s *RebuildStatus) {
		s.Running, s.Finished = false, time.Now().UTC()
		if err != nil {
			s.Error = err.Error()
		}
	})
	if err != nil && ctx.Err() == nil {
		p.log.Error("rebuild failed; still serving the previous state", "err", err)
	} else if err == nil {
		st := p.RebuildStatus()
		p.log.Info("rebuild done; readers switched to the new state", "seq", st.Done, "took", st.Finished.Sub(st.Started).Round(time.Millisecond))
	}
}

func (p *Projector) rebuildOnce(ctx context.Context) error {
	target, err := p.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	p.setRebuild(func(s *RebuildStatus) { s.Target = target })
	st, err := foldFromStart(ctx, p.store, p.dec, target, func(seq uint64) { p.setRebuild(func(s *RebuildStatus) { s.Done = seq }) })
	if err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	p.setRebuild(func(s *RebuildStatus) { s.Done = st.LastSeq() })
	select {
	case p.rb.handover <- st:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-p.rb.swapped:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// takeHandover swaps a rebuilt state in, on the live loop's goroutine,
// between two messages, and reports whether it did (the live consumer
// then restarts after the new state's last sequence). The rebuilt state
// first folds whatever the live state has folded since the rebuild's
// reader stopped, read by sequence.
func (p *Projector) takeHandover(ctx context.Context) bool {
	var st *projections.State
	select {
	case st = <-p.rb.handover:
	default:
		return false
	}
	err := func() error {
		for seq := st.LastSeq() + 1; seq <= p.proj.LastSeq(); seq++ {
			m, err := p.store.GetSeq(ctx, seq)
			if errors.Is(err, eventlog.ErrNotFound) {
				st.Missing(seq, seq) // as the live state recorded it
				continue
			}
			if err != nil {
				return err
			}
			foldStored(p.dec, st, m)
		}
		return nil
	}()
	if err == nil {
		p.proj.replace(st)
		p.stale = ""
		p.cp.seq = 0 // the next checkpoint writes the new state
		p.cp.since = p.cfg.CheckpointEvery
	}
	p.rb.swapped <- err
	return err == nil
}

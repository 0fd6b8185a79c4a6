package projector

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stancewatch/stancewatch/projections"
)

// Projection is a projections.State that a Projector keeps up to date and
// HTTP handlers read concurrently. It says how far it has folded, how far
// behind the stream it is, whether it is ready, and lets a reader wait
// for a sequence.
type Projection struct {
	mu    sync.RWMutex
	state *projections.State

	seq       atomic.Uint64 // last sequence applied
	target    atomic.Uint64 // stream's last sequence when last seen
	ready     atomic.Bool
	recorded  atomic.Int64 // stream time of the last applied event, unix nanos
	applied   atomic.Uint64
	rejected  atomic.Uint64
	changedMu sync.Mutex
	changed   chan struct{} // closed and replaced whenever seq moves, if anyone waits
	waiters   atomic.Int32
	notReady  atomic.Pointer[string]

	damagedMu sync.Mutex
	damaged   map[uint64]string // sequences the scrub found damaged or missing on disk, and why
}

// NewProjection returns a Projection over an empty state.
func NewProjection() *Projection {
	p := &Projection{state: projections.New(), changed: make(chan struct{})}
	msg := "starting"
	p.notReady.Store(&msg)
	return p
}

// Read calls fn with the state under a read lock. fn must not keep the
// state or anything it returns that aliases it beyond the call.
func (p *Projection) Read(fn func(*projections.State)) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	fn(p.state)
}

// LastSeq returns the last stream sequence folded into the state.
func (p *Projection) LastSeq() uint64 { return p.seq.Load() }

// Lag returns how many events the projection is behind the stream, as far
// as it knows.
func (p *Projection) Lag() uint64 {
	t, s := p.target.Load(), p.seq.Load()
	if t > s {
		return t - s
	}
	return 0
}

// LagSeconds is how long ago the last folded event was recorded, while
// the projection is behind the stream; 0 when it has caught up.
func (p *Projection) LagSeconds() float64 {
	if p.Lag() == 0 {
		return 0
	}
	return time.Since(time.Unix(0, p.recorded.Load())).Seconds()
}

// Ready reports whether the projection has caught up with the stream
// since it started; when not, it says why.
func (p *Projection) Ready() (bool, string) {
	if p.ready.Load() {
		return true, ""
	}
	return false, *p.notReady.Load()
}

func (p *Projection) setNotReady(why string) {
	p.ready.Store(false)
	p.notReady.Store(&why)
}

// WaitFor blocks until the projection has folded sequence seq, or ctx ends.
func (p *Projection) WaitFor(ctx context.Context, seq uint64) error {
	if p.seq.Load() >= seq {
		return nil
	}
	p.waiters.Add(1)
	defer p.waiters.Add(-1)
	for {
		p.changedMu.Lock()
		ch := p.changed
		p.changedMu.Unlock()
		if p.seq.Load() >= seq {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

func (p *Projection) notify() {
	if p.waiters.Load() == 0 {
		return
	}
	p.changedMu.Lock()
	close(p.changed)
	p.changed = make(chan struct{})
	p.changedMu.Unlock()
}

// replace swaps in a whole state (a loaded checkpoint, a rebuilt state).
func (p *Projection) replace(st *projections.State) {
	p.mu.Lock()
	p.state = st
	p.mu.Unlock()
	p.seq.Store(st.LastSeq())
	p.notify()
}

// Damaged returns the sequences the scrub found lost or damaged on disk
// among those folded from a checkpoint (the projection read them before
// they were damaged; a rebuild would not), in order, with the reasons.
func (p *Projection) Damaged() map[uint64]string {
	p.damagedMu.Lock()
	defer p.damagedMu.Unlock()
	return maps.Clone(p.damaged)
}

// HeldBack says how many events wait for the rest of their group (a
// bulk load cut short, not yet run again), in how many groups, and the
// lowest sequence among them.
func (p *Projection) HeldBack() (events, groups int, oldest uint64) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.state.HeldBack()
}

func (p *Projection) setDamaged(seq uint64, why string) {
	p.damagedMu.Lock()
	defer p.damagedMu.Unlock()
	if p.damaged == nil {
		p.damaged = map[uint64]string{}
	}
	p.damaged[seq] = why
}

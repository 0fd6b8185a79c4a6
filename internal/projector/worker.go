package projector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/internal/tracing"
	"github.com/stancewatch/stancewatch/projections"
)

// Projector folds the stream into a Projection: it loads the last
// checkpoint (Restore), follows the stream from there (Run), and
// checkpoints as it goes. The result always equals a clean replay.
// Restore and Run are called once, in that order, from one goroutine;
// the other methods are safe to call from any goroutine.
type Projector struct {
	store *store.Store
	proj  *Projection
	cfg   Config
	log   *slog.Logger
	dec   *events.Decoder
	out   outbox
	cp    checkpointer
	rb    rebuilder
	trc   tracing.Tracer

	pending    []item          // messages of an atomic batch not yet complete
	done       func()          // ends the Replaying hook's boost; nil when not replaying
	stale      string          // the state came from an older projection version: why a rebuild must run
	ctx        context.Context // Run's; set under rb.mu
	lastVerify time.Time
	lastMsg    time.Time // when the reader last delivered a message
}

// New returns a projector that keeps proj up to date from the store's
// stream, or the configuration's errors.
func New(s *store.Store, proj *Projection, cfg Config) (*Projector, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("projector: %w", err)
	}
	log := cfg.Logger.With("component", "projector")
	p := &Projector{store: s, proj: proj, cfg: cfg, log: log, dec: events.NewDecoder(), trc: tracing.New(cfg.TracerProvider, cfg.Propagator),
		rb: rebuilder{handover: make(chan *projections.State), swapped: make(chan error)}}
	p.out = outbox{store: s, log: log, m: cfg.Metrics, stop: p.stopped}
	return p, nil
}

// stopped is Run's context, or an ended one before Run.
func (p *Projector) stopped() context.Context {
	p.rb.mu.Lock()
	defer p.rb.mu.Unlock()
	if p.ctx == nil {
		return context.Background()
	}
	return p.ctx
}

// Run follows the stream until ctx ends, then writes a last checkpoint.
// It returns nil when ctx ends, and an error when it cannot go on (the
// consumer could not be made or stopped by itself): the process should
// then stop, since its projection no longer moves.
func (p *Projector) Run(ctx context.Context) error {
	p.rb.mu.Lock()
	p.ctx = ctx
	p.rb.mu.Unlock()
	if p.stale != "" {
		if _, err := p.StartRebuild(p.stale); err != nil {
			return err
		}
	}
	if upto := p.proj.LastSeq(); upto > 0 {
		go p.scrub(ctx, upto)
	}
	for {
		err := p.follow(ctx)
		if errors.Is(err, errRestart) {
			continue
		}
		if err != nil && ctx.Err() != nil {
			// Stopped while (re)creating the consumer: a stop, not a
			// failure. What an earlier round folded is still saved.
			p.checkpoint(context.Background(), true)
			return nil
		}
		return err
	}
}

// errRestart asks Run to follow the stream again from the state's last
// sequence: after a rebuild swapped a state in, or after the stream was
// found rewound and the state reset.
var errRestart = errors.New("restart the consumer")

// next is what the reading goroutine hands the fold.
type next struct {
	it  item
	err error
}

// read starts reading the stream from sequence from on a goroutine of
// its own (Reader.Next has no deadline), decoding each message there, so
// decoding overlaps folding. stop ends the reading and waits for the
// goroutine.
func read(ctx context.Context, s *store.Store, from uint64, dec *events.Decoder) (msgs <-chan next, stop func(), err error) {
	ctx, cancel := context.WithCancel(ctx)
	r, err := s.Read(ctx, from)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	ch := make(chan next, 512)
	go func() {
		defer close(ch)
		for {
			m, err := r.Next()
			var n next
			if err == nil {
				n.it = readItem(dec, m)
			}
			n.err = err
			select {
			case ch <- n:
			case <-ctx.Done():
				return
			}
			if errors.Is(err, store.ErrReaderStopped) {
				return
			}
		}
	}()
	return ch, func() {
		r.Stop()
		cancel()
		for range ch { // let the reader goroutine end
		}
	}, nil
}

// follow folds the stream from the state's last sequence on, until ctx
// ends (nil) or the consumer must restart (errRestart).
func (p *Projector) follow(ctx context.Context) error {
	from := p.proj.LastSeq() + 1
	last, err := p.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	p.proj.target.Store(last)
	if p.proj.LastSeq() >= last {
		p.proj.ready.Store(true)
	} else {
		p.proj.setNotReady(fmt.Sprintf("replaying: at %d of %d", p.proj.LastSeq(), last))
		if p.cfg.Replaying != nil {
			p.done = p.cfg.Replaying()
			defer p.caughtUp()
		}
	}
	msgs, stop, err := read(ctx, p.store, from, p.dec)
	if err != nil {
		return fmt.Errorf("projector: %w", err)
	}
	defer stop()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	p.cp.last = time.Now()
	for {
		// Wake at least every second to checkpoint an idle projection and
		// to check the stream.
		select {
		case <-ctx.Done():
			p.checkpoint(context.Background(), true)
			return nil
		case <-tick.C:
			// A batch's messages are stored together: its rest is coming
			// while the reader says more is pending or one came lately.
			if n := len(p.pending); n > 0 && p.pending[n-1].pending == 0 && time.Since(p.lastMsg) > time.Second {
				if p.pending[0].group.ID != "" {
					p.holdPending()
				} else {
					p.flushPartial("no more messages")
				}
			}
			p.out.flushAlerts()
		case n, ok := <-msgs:
			switch {
			case !ok || errors.Is(n.err, store.ErrReaderStopped):
				if ctx.Err() != nil {
					p.checkpoint(context.Background(), true)
					return nil
				}
				return fmt.Errorf("projector: the consumer stopped: %v", n.err)
			case n.err != nil:
				p.log.Warn("projector consumer", "err", n.err)
				continue
			}
			p.lastMsg = time.Now()
			if !p.handle(n.it) {
				return p.rewound(ctx, "the stream delivered a sequence the projection already holds")
			}
		}
		if len(p.pending) == 0 && p.takeHandover(ctx) {
			return errRestart
		}
		if time.Since(p.lastVerify) >= p.cfg.VerifyInterval {
			if why := p.checkStream(ctx); why != "" {
				return p.rewound(ctx, why)
			}
		}
		p.maybeCheckpoint(ctx)
	}
}

// caughtUp ends the Replaying hook's boost, once.
func (p *Projector) caughtUp() {
	if p.done != nil {
		p.done()
		p.done = nil
	}
}

// checkStream compares the state with the stream: the stream must reach
// the state's last sequence and hold the same event there. A store
// restored from an older copy fails this.
func (p *Projector) checkStream(ctx context.Context) string {
	p.lastVerify = time.Now()
	cur := p.proj.LastSeq()
	last, err := p.store.LastSeq(ctx)
	if err != nil || cur == 0 {
		return ""
	}
	if last < cur {
		return fmt.Sprintf("the stream ends at %d, the projection has folded %d", last, cur)
	}
	var id [16]byte
	p.proj.Read(func(st *projections.State) { id = st.LastID() })
	if id == [16]byte{} {
		return ""
	}
	m, err := p.store.GetSeq(ctx, cur)
	if errors.Is(err, eventlog.ErrNotFound) {
		return fmt.Sprintf("the stream no longer holds sequence %d", cur)
	}
	if err != nil {
		return ""
	}
	if ev, err := m.Decode(); err != nil || ev.ID != id {
		return fmt.Sprintf("sequence %d holds another event than the one the projection folded there", cur)
	}
	return ""
}

// rewound refuses to go on silently: it logs, reports not ready, and
// starts over from sequence 1.
func (p *Projector) rewound(ctx context.Context, why string) error {
	p.log.Error("stream rewound (restored from an older copy?): rebuilding the projection from sequence 1", "why", why)
	p.proj.setNotReady("stream rewound: " + why + "; rebuilding")
	p.proj.replace(projections.New())
	p.pending = nil
	p.cp.seq = 0
	if last, err := p.store.LastSeq(ctx); err == nil {
		p.out.from = last // the events already there were alerted on before
	}
	return errRestart
}

// item is a message read from the stream, decoded or not.
type item struct {
	m       projections.Meta
	subject string
	data    []byte
	ev      events.Event
	err     error
	batch   store.BatchTag
	group   store.GroupTag
	pending uint64
	trace   eventlog.TraceContext // the trace it was appended in, if any
}

// readItem turns a stored message into an item: its place in the
// stream, the decoded event (or why it cannot be: damaged, undecodable,
// misrouted), its batch.
func readItem(dec *events.Decoder, m store.Message) item {
	it := item{m: projections.Meta{Seq: m.Seq, Recorded: m.Time}, subject: m.Subject, data: m.Data, batch: m.Batch, group: m.Group, pending: m.Pending, trace: m.Trace}
	if it.err = m.Verify(); it.err == nil {
		it.ev, it.err = decodeAt(dec, m.Subject, m.Data)
	}
	return it
}

// handle folds one item, or holds it until the rest of its batch is in.
// It returns false for a message the state already holds: the consumer
// starts after the state's last sequence, so only a rewound stream
// delivers one.
func (p *Projector) handle(it item) bool {
	if it.m.Seq <= p.proj.LastSeq() {
		return false
	}
	if t := it.m.Seq + it.pending; t > p.proj.target.Load() {
		p.proj.target.Store(t)
	}
	if last := p.lastRead(); it.m.Seq > last+1 {
		// The stream never deletes: a sequence it skips was lost or
		// damaged on disk. Say so, once per sequence, and move on.
		p.log.Error("sequences missing from the event stream: lost or damaged on disk", "from", last+1, "to", it.m.Seq-1)
		p.proj.mu.Lock()
		p.proj.state.Missing(last+1, it.m.Seq-1)
		p.proj.mu.Unlock()
	}
	grouped := it.group.ID != "" && it.err == nil
	if n := len(p.pending); n > 0 {
		last := p.pending[n-1]
		if last.group.ID != "" {
			// A run of a group's members: it goes on with the next member
			// of the same group, or is held back in the state.
			if !grouped || it.group.ID != last.group.ID || it.group.Index != last.group.Index+1 || it.m.Seq != last.m.Seq+1 {
				p.holdPending()
			}
		} else if it.batch.ID != last.batch.ID || it.batch.Index != last.batch.Index+1 || it.m.Seq != last.m.Seq+1 {
			p.flushPartial("interrupted by another message")
		}
	}
	caughtUp := it.pending == 0
	switch {
	case grouped && len(p.pending) == 0 && it.group.Index == 1 && it.group.Size > 1:
		// The first member of a group: as a group is published in one run,
		// its members follow, and are applied together when the last is in
		// (like an atomic batch), without going through the state's hold.
		p.pending = append(p.pending, it)
	case grouped && len(p.pending) > 0:
		p.pending = append(p.pending, it)
		if it.group.Index == it.group.Size {
			p.apply(p.pending, caughtUp)
			p.pending = nil
		}
	case grouped:
		p.hold(it, caughtUp)
	case it.batch.ID != "" && !it.batch.Last:
		p.pending = append(p.pending, it)
	case len(p.pending) > 0:
		p.apply(append(p.pending, it), caughtUp)
		p.pending = nil
	default:
		p.apply([]item{it}, caughtUp)
	}
	return true
}

// hold takes a member of a group stored by the bulk path: the state keeps
// it back until the group's last member arrives, and then the group is
// applied at once, under one lock, like an atomic batch. A member held
// back still moves the projection past its sequence.
func (p *Projector) hold(it item, caughtUp bool) {
	p.proj.mu.Lock()
	done := p.proj.state.Hold(it.ev, it.m, projections.Group{ID: it.group.ID, Index: it.group.Index, Size: it.group.Size})
	p.proj.mu.Unlock()
	if done != nil {
		items := make([]item, len(done))
		for i, h := range done {
			items[i] = item{m: h.Meta, subject: h.Event.Subject(), ev: h.Event}
		}
		p.apply(items, caughtUp)
		return
	}
	if caughtUp && !p.proj.ready.Load() {
		p.proj.ready.Store(true)
		p.log.Info("projection caught up", "seq", it.m.Seq)
		p.caughtUp()
	}
	// Waiters are woken only when the reader has caught up: nothing became
	// visible, and waking them for every member of a large load was a
	// goroutine switch per event.
	p.proj.seq.Store(it.m.Seq)
	p.proj.recorded.Store(it.m.Recorded.UnixNano())
	p.cp.since++
	if caughtUp {
		p.proj.notify()
	}
}

// holdPending hands a run of a group's members that was cut (by a
// message of another group, or the end of the stream) to the state, which
// holds them back until the rest of their group is in.
func (p *Projector) holdPending() {
	run := p.pending
	p.pending = nil
	for i, it := range run {
		p.hold(it, i == len(run)-1 && it.pending == 0)
	}
}

// flushPartial folds what is held of a batch that will not complete: the
// messages of an atomic batch are stored together and contiguously, so
// only a hand-made header gets here.
func (p *Projector) flushPartial(why string) {
	if len(p.pending) == 0 {
		return
	}
	p.log.Warn("incomplete batch: folding its messages one by one", "why", why, "batch", p.pending[0].batch.ID,
		"have", len(p.pending))
	// Caught up if the stream ended there: a batch cut short at the end of
	// the stream (a power cut during its commit) must not keep the
	// projection from ever being ready.
	p.apply(p.pending, p.pending[len(p.pending)-1].pending == 0)
	p.pending = nil
}

// apply folds items under one lock, publishes the alerts and dead letters
// they cause (at once when caughtUp, else when enough have gathered), and
// only then moves the projection's sequence and tells waiters: whoever
// sees sequence N caught up also sees N's alerts published.
func (p *Projector) apply(items []item, caughtUp bool) {
	var dead []item
	start := time.Now()
	if p.trc.On() {
		defer p.traceApply(items)()
	}
	cause := -1 // the last item the Deriver saw
	p.proj.mu.Lock()
	for i := range items {
		it := &items[i]
		if it.err == nil {
			out := projections.Applied
			if p.cfg.Alerts && it.m.Seq > p.out.from && !slices.Contains(p.cfg.HistorySources, it.ev.Source) {
				if p.cfg.Derive != nil {
					p.cfg.Derive.Before(p.proj.state, it.ev)
					cause = i
				}
				var changes []projections.ShiftChange
				out, changes = p.proj.state.ApplyTracked(it.ev, it.m)
				p.out.alerts = append(p.out.alerts, projections.Alerts(changes, it.ev.ID, it.m.Seq, p.cfg.AlertSource)...)
			} else {
				out = p.proj.state.Apply(it.ev, it.m)
			}
			if out != projections.Refused {
				continue
			}
			// Another event holds this id: the copy is rejected like an
			// undecodable one (dead letter, metric, log).
			r, _ := p.proj.state.RejectedAt(it.m.Seq)
			it.err = errors.New(r.Reason)
		} else {
			p.proj.state.Skip(it.m, idOf(it.subject), it.err.Error())
		}
		if p.cfg.DeadLetters && it.m.Seq > p.out.from {
			dead = append(dead, *it)
		}
	}
	p.proj.mu.Unlock()
	p.cfg.Metrics.ApplySeconds.Observe(time.Since(start).Seconds())
	if cause >= 0 {
		c := items[cause]
		p.proj.mu.RLock()
		p.out.derived = append(p.out.derived, p.cfg.Derive.Derive(p.proj.state, c.ev.ID, c.m.Seq, c.m.Recorded)...)
		p.proj.mu.RUnlock()
	}
	p.out.deadLetters(dead)
	if caughtUp || p.out.full() {
		p.out.flushAlerts()
	}
	if caughtUp && !p.proj.ready.Load() {
		p.proj.ready.Store(true)
		p.log.Info("projection caught up", "seq", items[len(items)-1].m.Seq)
		p.caughtUp()
	}
	last := items[len(items)-1].m
	p.proj.seq.Store(last.Seq)
	p.proj.recorded.Store(last.Recorded.UnixNano())
	p.cp.since += len(items)
	for _, it := range items {
		if it.err != nil {
			p.proj.rejected.Add(1)
			p.cfg.Metrics.EventsRejected.Inc()
			p.log.Warn("event rejected: the projection moves past it", "seq", it.m.Seq, "subject", it.subject, "err", it.err)
			if p.cfg.OnSkip != nil {
				p.cfg.OnSkip(it.m, it.subject, it.err)
			}
			continue
		}
		p.proj.applied.Add(1)
		p.cfg.Metrics.EventsApplied.WithLabelValues(typeLabel(it.ev.Data.Type())).Inc()
		if p.cfg.OnApply != nil {
			p.cfg.OnApply(it.ev, it.m)
		}
	}
	p.proj.notify()
}

// traceApply starts a span "apply" for each item appended in a trace, a
// child of the append's span, and returns what ends them: after the
// events are folded and visible to reads.
func (p *Projector) traceApply(items []item) func() {
	type traced struct {
		i  int
		sp trace.Span
	}
	var spans []traced
	for i, it := range items {
		ctx := p.trc.Remote(context.Background(), it.trace)
		if !tracing.HasRemote(ctx) {
			continue
		}
		_, sp := p.trc.Start(ctx, "apply", trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(
			attribute.Int64("stancewatch.seq", int64(it.m.Seq)),
			attribute.String("stancewatch.subject", it.subject),
			attribute.Int("stancewatch.applied_together", len(items))))
		spans = append(spans, traced{i, sp})
	}
	return func() {
		for _, t := range spans {
			if err := items[t.i].err; err != nil {
				t.sp.SetStatus(codes.Error, err.Error()) // undecodable, or refused by the projection
			}
			t.sp.End()
		}
	}
}

// typeLabel is an event type as a metric label: "position", "motion", …
func typeLabel(t events.Type) string { return strings.TrimPrefix(string(t), "org.stancewatch.") }

// idOf is the event id a subject ends with.
func idOf(subject string) string {
	if i := strings.LastIndexByte(subject, '.'); i >= 0 {
		return subject[i+1:]
	}
	return ""
}

// lastRead is the last sequence read: held in a batch not yet applied, or
// folded.
func (p *Projector) lastRead() uint64 {
	if n := len(p.pending); n > 0 {
		return p.pending[n-1].m.Seq
	}
	return p.proj.LastSeq()
}

// scrub reads the stream up to upto (what a checkpoint folded without
// reading it) and checks every event against its checksum, and that no
// sequence is missing: a byte flipped on disk since the checkpoint was
// written would otherwise go unnoticed until a rebuild. What it finds is
// logged, and reported by Projection.Damaged (/readyz, verify).
func (p *Projector) scrub(ctx context.Context, upto uint64) {
	start := time.Now()
	r, err := p.store.Read(ctx, 1)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Warn("scrub: cannot read the stream", "err", err)
		}
		return
	}
	defer r.Stop()
	var last uint64
	for last < upto {
		m, err := r.Next()
		if ctx.Err() != nil || errors.Is(err, store.ErrReaderStopped) {
			return
		}
		if err != nil {
			continue
		}
		if m.Seq > upto {
			break
		}
		for seq := last + 1; seq < m.Seq; seq++ {
			p.proj.setDamaged(seq, projections.MissingReason)
			p.log.Error("scrub: sequence missing from the event stream: lost or damaged on disk", "seq", seq)
		}
		if err := m.Verify(); err != nil {
			p.proj.setDamaged(m.Seq, err.Error())
			p.log.Error("scrub: "+err.Error(), "seq", m.Seq, "subject", m.Subject)
		}
		last = m.Seq
	}
	n := len(p.proj.Damaged())
	p.log.Info("scrub: stream checked against its checksums", "upto", upto, "damaged", n, "took", time.Since(start).Round(time.Millisecond))
	if n > 0 {
		// The state folded those events before they were damaged; a
		// replay no longer can. Rebuild, so that every answer leaves them
		// out alike and the projection equals a replay again.
		if _, err := p.StartRebuild(fmt.Sprintf("the scrub found %d events damaged or missing on disk", n)); err != nil && !errors.Is(err, ErrRebuilding) {
			p.log.Warn("scrub: rebuild not started", "err", err)
		}
	}
}

package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/metrics"
	"github.com/stancewatch/stancewatch/projections"
)

// Projection is a projections.State that a worker keeps up to date and
// HTTP handlers read concurrently.
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

// replace swaps in a whole state (a loaded checkpoint).
func (p *Projection) replace(st *projections.State) {
	p.mu.Lock()
	p.state = st
	p.mu.Unlock()
	p.seq.Store(st.LastSeq())
	p.notify()
}

// ProjectorConfig says how often the projector checkpoints.
type ProjectorConfig struct {
	// CheckpointEvery: checkpoint after this many events (default 10000).
	CheckpointEvery int
	// CheckpointInterval: checkpoint at most this long after a change
	// (default 30s).
	CheckpointInterval time.Duration
	// NoCheckpoints disables loading and saving checkpoints.
	NoCheckpoints bool
	// NoGCBoost keeps the garbage collector's target as it is while the
	// projection replays (by default it is raised to 400% until caught
	// up, unless GOGC is set; see gc.go).
	NoGCBoost bool
	// VerifyInterval: how often the projector checks that the stream
	// still holds what it folded (default 5s).
	VerifyInterval time.Duration
	// Logger (default the store's).
	Logger *slog.Logger
	// Alerts: publish a shift alert for every shift the folded events
	// make or unmake, to the shifts stream (ShiftsStream). Events up to
	// the loaded checkpoint had theirs published already.
	Alerts bool
	// AlertSource is the CloudEvents source of the alerts.
	AlertSource string
	// DeadLetters: store a copy of every event the projection refuses,
	// with the reason, in the dead letter stream (DeadLetterStream).
	DeadLetters bool
	// OnApply, if set, is called after each event is folded (outside the
	// state lock); OnSkip after each event that could not be.
	OnApply func(ev events.Event, m projections.Meta)
	OnSkip  func(m projections.Meta, subject string, reason error)
}

// Projector folds the stream into a Projection: it loads the last
// checkpoint, follows the stream from there with an ordered consumer, and
// checkpoints as it goes. The result always equals a clean replay.
type Projector struct {
	store   *Store
	proj    *Projection
	cfg     ProjectorConfig
	cp      *Checkpoints
	log     *slog.Logger
	unboost func() // restores the garbage collector's target when the replay is done (gc.go)

	sinceCheckpoint int
	lastCheckpoint  time.Time
	checkpointSeq   uint64
	pending         []item         // messages of an atomic batch not yet complete
	outbox          []events.Event // shift alerts not yet published
	alertsFrom      uint64         // events after this sequence get shift alerts and dead letters
	alertsFailed    bool           // some alerts or dead letters of folded events are not out: do not checkpoint past them
	stale           string         // the state came from an older projection version: why a rebuild must run
	lastVerify      time.Time
	ctx             context.Context
	rb              rebuilder
}

// NewProjector returns a projector that keeps proj up to date.
func (s *Store) NewProjector(proj *Projection, cfg ProjectorConfig) *Projector {
	if cfg.CheckpointEvery == 0 {
		cfg.CheckpointEvery = 10000
	}
	if cfg.CheckpointInterval == 0 {
		cfg.CheckpointInterval = 30 * time.Second
	}
	if cfg.VerifyInterval == 0 {
		cfg.VerifyInterval = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = s.log
	}
	return &Projector{store: s, proj: proj, cfg: cfg, log: cfg.Logger.With("component", "projector"),
		rb: rebuilder{handover: make(chan *projections.State), swapped: make(chan error)}}
}

// Restore loads the last checkpoint into the projection, after checking
// that the stream still holds the event the checkpoint ends with. A
// checkpoint that cannot be used is logged and ignored: the projection
// then replays from sequence 1.
func (w *Projector) Restore(ctx context.Context) error {
	if w.cfg.NoCheckpoints {
		return nil
	}
	cp, err := w.store.Checkpoints(ctx)
	if err != nil {
		return err
	}
	w.cp = cp
	start := time.Now()
	st, info, err := cp.Load(ctx)
	if errors.Is(err, ErrNotFound) {
		// A checkpoint of an older projection version still answers
		// queries while this version is rebuilt beside it.
		if st, info, err = cp.LoadOlder(ctx); err == nil {
			w.stale = fmt.Sprintf("projection version %d replaces version %d", projections.Version, info.Version)
		}
	}
	switch {
	case errors.Is(err, ErrNotFound):
		w.log.Info("no checkpoint: replaying the stream from the start")
		return nil
	case err != nil:
		w.log.Warn("checkpoint unusable: replaying the stream from the start", "err", err)
		return nil
	}
	if err := w.verify(ctx, info); err != nil {
		w.log.Error("checkpoint does not match the stream: replaying from the start", "err", err, "checkpoint_seq", info.Seq)
		return nil
	}
	w.proj.replace(st)
	w.checkpointSeq = info.Seq
	w.alertsFrom = info.Seq // a checkpoint is written only after its events' alerts
	w.log.Info("checkpoint loaded", "seq", info.Seq, "version", info.Version, "events", st.Len(), "bytes", info.Size, "took", time.Since(start).Round(time.Millisecond))
	if w.stale != "" {
		w.log.Warn("serving a checkpoint of an older projection version until the rebuild switches over", "why", w.stale)
	}
	return nil
}

// verify checks that the stream still holds what the checkpoint says it
// folded: the last sequence exists and carries the same event id.
func (w *Projector) verify(ctx context.Context, info CheckpointInfo) error {
	last, err := w.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	if last < info.Seq {
		return fmt.Errorf("%w: the stream ends at %d, the checkpoint at %d", ErrRewound, last, info.Seq)
	}
	if info.Seq == 0 || info.EventID == [16]byte{} {
		return nil
	}
	st, err := w.store.GetSeq(ctx, info.Seq)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRewound, err)
	}
	ev, err := st.Decode()
	if err != nil || ev.ID != info.EventID {
		return fmt.Errorf("%w: sequence %d holds %s, the checkpoint says %s", ErrRewound, info.Seq, ev.ID, info.EventID)
	}
	return nil
}

// Run follows the stream until ctx ends, then writes a last checkpoint.
func (w *Projector) Run(ctx context.Context) error {
	w.rb.mu.Lock()
	w.ctx = ctx
	w.rb.mu.Unlock()
	if w.stale != "" {
		if _, err := w.StartRebuild(w.stale); err != nil {
			return err
		}
	}
	for {
		err := w.follow(ctx)
		if errors.Is(err, errRestart) {
			continue
		}
		if err != nil && ctx.Err() != nil {
			// Stopped while (re)creating the consumer: a stop, not a
			// failure. What an earlier round folded is still saved.
			w.checkpoint(context.Background(), true)
			return nil
		}
		return err
	}
}

// errRestart asks Run to follow the stream again from the state's last
// sequence: after a rebuild swapped a state in, or after the stream was
// found rewound and the state reset.
var errRestart = errors.New("restart the consumer")

// follow folds the stream from the state's last sequence on, until ctx
// ends (nil) or the consumer must restart (errRestart).
func (w *Projector) follow(ctx context.Context) error {
	from := w.proj.LastSeq() + 1
	last, err := w.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	w.proj.target.Store(last)
	if w.proj.LastSeq() >= last {
		w.proj.ready.Store(true)
	} else {
		w.proj.setNotReady(fmt.Sprintf("replaying: at %d of %d", w.proj.LastSeq(), last))
		w.unboost = boostGC(w.cfg)
		defer w.unboost()
	}
	cons, err := w.store.js.OrderedConsumer(ctx, w.store.cfg.Stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: events.StreamSubjects(),
		DeliverPolicy:  jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:    from,
	})
	if err != nil {
		return fmt.Errorf("projector consumer: %w", w.store.wrap(err))
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(1024))
	if err != nil {
		return fmt.Errorf("projector consumer: %w", w.store.wrap(err))
	}
	// Next runs without a deadline in a goroutine of its own: a deadline
	// shorter than the consumer's heartbeat interval would hide missing
	// heartbeats from the ordered consumer, which then never notices that
	// its server (a cluster's stream leader) died and never recreates
	// itself elsewhere.
	type next struct {
		it      item
		pending uint64
		err     error
	}
	msgs := make(chan next, 512)
	go func() {
		defer close(msgs)
		for {
			var n next
			msg, err := it.Next()
			if err == nil {
				n.it, n.pending, err = read(msg)
			}
			n.err = err
			select {
			case msgs <- n:
			case <-ctx.Done():
				return
			}
			if err != nil && errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return
			}
		}
	}()
	defer func() {
		it.Stop()
		for range msgs { // let the reader goroutine end
		}
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	w.lastCheckpoint = time.Now()
	for {
		// Wake at least every second to checkpoint an idle projection and
		// to check the stream.
		select {
		case <-ctx.Done():
			w.checkpoint(context.Background(), true)
			return nil
		case <-tick.C:
			w.flushPartial("no more messages")
			w.flushAlerts()
		case n, ok := <-msgs:
			switch {
			case !ok || errors.Is(n.err, jetstream.ErrMsgIteratorClosed):
				if ctx.Err() != nil {
					w.checkpoint(context.Background(), true)
					return nil
				}
				return fmt.Errorf("projector: the consumer stopped: %v", n.err)
			case n.err != nil:
				w.log.Warn("projector consumer", "err", n.err)
				continue
			}
			if !w.handle(n.it, n.pending) {
				return w.rewound(ctx, "the stream delivered a sequence the projection already holds")
			}
		}
		if len(w.pending) == 0 && w.takeHandover(ctx) {
			return errRestart
		}
		if time.Since(w.lastVerify) >= w.cfg.VerifyInterval {
			if why := w.checkStream(ctx); why != "" {
				return w.rewound(ctx, why)
			}
		}
		w.maybeCheckpoint(ctx)
	}
}

// checkStream compares the state with the stream: the stream must reach
// the state's last sequence and hold the same event there. A store
// restored from an older copy fails this.
func (w *Projector) checkStream(ctx context.Context) string {
	w.lastVerify = time.Now()
	cur := w.proj.LastSeq()
	last, err := w.store.LastSeq(ctx)
	if err != nil || cur == 0 {
		return ""
	}
	if last < cur {
		return fmt.Sprintf("the stream ends at %d, the projection has folded %d", last, cur)
	}
	var id [16]byte
	w.proj.Read(func(st *projections.State) { id = st.LastID() })
	if id == [16]byte{} {
		return ""
	}
	m, err := w.store.GetSeq(ctx, cur)
	if errors.Is(err, ErrNotFound) {
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
func (w *Projector) rewound(ctx context.Context, why string) error {
	w.log.Error("stream rewound (restored from an older copy?): rebuilding the projection from sequence 1", "why", why)
	w.proj.setNotReady("stream rewound: " + why + "; rebuilding")
	w.proj.replace(projections.New())
	w.pending = nil
	w.checkpointSeq = 0
	if last, err := w.store.LastSeq(ctx); err == nil {
		w.alertsFrom = last // the events already there were alerted on before
	}
	return errRestart
}

// The headers of an atomic batch (ADR-50), stored with each of its
// messages: the batch's id, the message's place in it from 1, and, on the
// last message only, the commit.
const (
	batchIDHeader     = "Nats-Batch-Id"
	batchSeqHeader    = "Nats-Batch-Sequence"
	batchCommitHeader = "Nats-Batch-Commit"
)

// batchTag places a message in its atomic batch. The projector folds a
// batch's messages under one lock, so no reader ever sees half a roll
// call.
type batchTag struct {
	id    string
	index int
	last  bool // the batch's commit: nothing of it follows
}

// parseBatchTag reads a message's batch from its headers; the zero tag
// for a message stored alone. (Stores written before this read it also
// tagged each message "Stancewatch-Batch: <id> <index> <size>", beside
// the same server headers; the tag is no longer written or needed.)
func parseBatchTag(h nats.Header) batchTag {
	id := h.Get(batchIDHeader)
	if id == "" {
		return batchTag{}
	}
	index, err := strconv.Atoi(h.Get(batchSeqHeader))
	if err != nil || index < 1 {
		return batchTag{}
	}
	return batchTag{id: id, index: index, last: h.Get(batchCommitHeader) != ""}
}

// item is a message read from the stream, decoded or not.
type item struct {
	m       projections.Meta
	subject string
	data    []byte
	ev      events.Event
	err     error
	batch   batchTag
}

// read turns a delivered message into an item: its place in the stream,
// the decoded event (or why it cannot be), its batch. It runs on the
// goroutine that reads the consumer, so decoding overlaps folding.
func read(msg jetstream.Msg) (item, uint64, error) {
	md, err := msg.Metadata()
	if err != nil {
		return item{}, 0, err
	}
	it := item{m: projections.Meta{Seq: md.Sequence.Stream, Recorded: md.Timestamp.UTC()}, subject: msg.Subject(), data: msg.Data()}
	it.ev, it.err = decodeAt(msg.Subject(), msg.Data())
	if h := msg.Headers(); h != nil {
		it.batch = parseBatchTag(h)
	}
	return it, md.NumPending, nil
}

// handle folds one item, or holds it until the rest of its batch is in.
// It returns false for a message the state already holds: the consumer
// starts after the state's last sequence, so only a rewound stream
// delivers one.
func (w *Projector) handle(it item, pending uint64) bool {
	if it.m.Seq <= w.proj.LastSeq() {
		return false
	}
	if t := it.m.Seq + pending; t > w.proj.target.Load() {
		w.proj.target.Store(t)
	}
	if n := len(w.pending); n > 0 {
		last := w.pending[n-1]
		if it.batch.id != last.batch.id || it.batch.index != last.batch.index+1 || it.m.Seq != last.m.Seq+1 {
			w.flushPartial("interrupted by another message")
		}
	}
	caughtUp := pending == 0
	switch {
	case it.batch.id != "" && !it.batch.last:
		w.pending = append(w.pending, it)
	case len(w.pending) > 0:
		w.apply(append(w.pending, it), caughtUp)
		w.pending = nil
	default:
		w.apply([]item{it}, caughtUp)
	}
	return true
}

// flushPartial folds what is held of a batch that will not complete: the
// messages of an atomic batch are stored together and contiguously, so
// only a hand-made header gets here.
func (w *Projector) flushPartial(why string) {
	if len(w.pending) == 0 {
		return
	}
	w.log.Warn("incomplete batch: folding its messages one by one", "why", why, "batch", w.pending[0].batch.id,
		"have", len(w.pending))
	w.apply(w.pending, false)
	w.pending = nil
}

// apply folds items under one lock, publishes the alerts and dead letters
// they cause (at once when caughtUp, else when enough have gathered), and
// only then moves the projection's sequence and tells waiters: whoever
// sees sequence N caught up also sees N's alerts published.
func (w *Projector) apply(items []item, caughtUp bool) {
	var dead []item
	start := time.Now()
	w.proj.mu.Lock()
	for _, it := range items {
		switch {
		case it.err != nil:
			w.proj.state.Skip(it.m, idOf(it.subject), it.err.Error())
			if w.cfg.DeadLetters && it.m.Seq > w.alertsFrom {
				dead = append(dead, it)
			}
		case w.cfg.Alerts && it.m.Seq > w.alertsFrom:
			_, changes := w.proj.state.ApplyTracked(it.ev, it.m)
			w.outbox = append(w.outbox, projections.Alerts(changes, it.ev.ID, it.m.Seq, w.cfg.AlertSource)...)
		default:
			w.proj.state.Apply(it.ev, it.m)
		}
	}
	w.proj.mu.Unlock()
	metrics.ApplySeconds.Observe(metrics.Since(start))
	if !w.publishDeadLetters(dead) {
		w.alertsFailed = true
	}
	if caughtUp || len(w.outbox) >= outboxLimit {
		w.flushAlerts()
	}
	if caughtUp && !w.proj.ready.Load() {
		w.proj.ready.Store(true)
		w.log.Info("projection caught up", "seq", items[len(items)-1].m.Seq)
		if w.unboost != nil {
			w.unboost()
		}
	}
	last := items[len(items)-1].m
	w.proj.seq.Store(last.Seq)
	w.proj.recorded.Store(last.Recorded.UnixNano())
	w.sinceCheckpoint += len(items)
	for _, it := range items {
		if it.err != nil {
			w.proj.rejected.Add(1)
			metrics.EventsRejected.Inc()
			w.log.Warn("event rejected: the projection moves past it", "seq", it.m.Seq, "subject", it.subject, "err", it.err)
			if w.cfg.OnSkip != nil {
				w.cfg.OnSkip(it.m, it.subject, it.err)
			}
			continue
		}
		w.proj.applied.Add(1)
		metrics.EventsApplied.WithLabelValues(typeLabel(it.ev.Data.Type())).Inc()
		if w.cfg.OnApply != nil {
			w.cfg.OnApply(it.ev, it.m)
		}
	}
	w.proj.notify()
}

// flushAlerts stores the shift alerts waiting in the outbox, as atomic
// batches (one durable commit each, rather than one per alert), retrying
// until they are stored or the projector stops. The projector flushes
// when it has caught up with the stream, when the outbox is full, and
// before every checkpoint: a checkpoint never gets ahead of an alert.
// Every replica publishes the same alerts under the same ids; each is
// stored once.
func (w *Projector) flushAlerts() {
	for len(w.outbox) > 0 {
		n := min(len(w.outbox), MaxBatch)
		for attempt := 0; ; attempt++ {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			acks, err := w.store.AppendBatch(ctx, w.outbox[:n])
			cancel()
			if err == nil {
				for i, a := range acks {
					if !a.Duplicate {
						metrics.ShiftAlerts.WithLabelValues(string(w.outbox[i].Data.(events.ShiftAlert).Status)).Inc()
					}
				}
				break
			}
			if w.ctx.Err() != nil {
				w.alertsFailed = true
				return
			}
			w.log.Warn("publishing shift alerts failed; retrying", "alerts", n, "err", err)
			if err := sleep(w.ctx, time.Duration(min(attempt+1, 20))*100*time.Millisecond); err != nil {
				w.alertsFailed = true
				return
			}
		}
		w.outbox = w.outbox[n:]
	}
	w.outbox = nil
}

// outboxLimit is how many alerts wait before a flush while replaying.
const outboxLimit = 500

// publishDeadLetters stores copies of refused events, retrying like
// publishAlerts.
func (w *Projector) publishDeadLetters(items []item) bool {
	for _, it := range items {
		for attempt := 0; ; attempt++ {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := w.store.DeadLetter(ctx, it.m.Seq, it.subject, it.data, it.err.Error())
			cancel()
			if err == nil {
				metrics.EventsDeadLettered.Inc()
				break
			}
			if w.ctx.Err() != nil {
				return false
			}
			w.log.Warn("storing a dead letter failed; retrying", "seq", it.m.Seq, "err", err)
			if err := sleep(w.ctx, time.Duration(min(attempt+1, 20))*100*time.Millisecond); err != nil {
				return false
			}
		}
	}
	return true
}

// decodeAt decodes a stored event and checks that it sits on the subject
// its contents call for: an event whose subject and body disagree (an id
// other than the subject's, another actor) is refused, so the subject
// filters subscribers rely on never lie.
func decodeAt(subject string, data []byte) (events.Event, error) {
	ev, err := events.Decode(data)
	if err != nil {
		return events.Event{}, err
	}
	if !ev.OnSubject(subject) {
		return events.Event{}, fmt.Errorf("%w: stored on %s, but its contents belong on %s", events.ErrInvalid, subject, ev.Subject())
	}
	return ev, nil
}

func idOf(subject string) string {
	if i := strings.LastIndexByte(subject, '.'); i >= 0 {
		return subject[i+1:]
	}
	return ""
}

func (w *Projector) maybeCheckpoint(ctx context.Context) {
	if w.sinceCheckpoint >= w.cfg.CheckpointEvery ||
		(w.sinceCheckpoint > 0 && time.Since(w.lastCheckpoint) >= w.cfg.CheckpointInterval && w.proj.Lag() == 0) {
		w.checkpoint(ctx, false)
	}
}

// checkpoint saves the state. It runs on the worker's goroutine, so the
// state does not move while the snapshot is written.
func (w *Projector) checkpoint(ctx context.Context, final bool) {
	w.flushAlerts()
	if w.cp == nil || w.proj.LastSeq() == w.checkpointSeq {
		return
	}
	if w.alertsFailed {
		w.log.Warn("not checkpointing: shift alerts of folded events were not published; the next start folds them again")
		return
	}
	if w.stale != "" {
		return // an older version's state: the rebuilt one will be checkpointed
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	var snap bytes.Buffer
	var seq uint64
	var id uuid.UUID
	var err error
	w.proj.Read(func(st *projections.State) {
		seq, id = st.LastSeq(), st.LastID()
		err = st.WriteSnapshot(&snap)
	})
	var info CheckpointInfo
	if err == nil {
		info, err = w.cp.save(ctx, projections.Version, seq, id, snap.Bytes())
	}
	w.sinceCheckpoint, w.lastCheckpoint = 0, time.Now()
	if err != nil {
		metrics.Checkpoints.WithLabelValues("failed").Inc()
		w.log.Warn("checkpoint failed (the next one will retry)", "err", err)
		return
	}
	metrics.Checkpoints.WithLabelValues("saved").Inc()
	w.checkpointSeq = info.Seq
	w.log.Debug("checkpoint saved", "seq", info.Seq, "bytes", info.Size, "final", final, "took", time.Since(start).Round(time.Millisecond))
}

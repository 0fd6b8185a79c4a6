package projector

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/projections"
)

// ErrRewound: the stream no longer holds what a checkpoint or the
// projection says it held (a store restored from an older copy).
var ErrRewound = errors.New("stream rewound: it does not match the checkpoint")

// checkpointer is the part of a Projector that schedules checkpoints.
type checkpointer struct {
	store *store.Checkpoints // nil with NoCheckpoints
	seq   uint64             // sequence of the last checkpoint saved or loaded
	since int                // events folded since
	size  int                // events the state held at the last checkpoint
	last  time.Time          // when the last checkpoint was written
}

// Restore loads the last checkpoint into the projection, after checking
// that the stream still holds the event the checkpoint ends with. A
// checkpoint that cannot be used is logged and ignored: the projection
// then replays from sequence 1. A checkpoint of the previous projection
// version answers queries while this version is rebuilt beside it.
func (p *Projector) Restore(ctx context.Context) error {
	if p.cfg.NoCheckpoints {
		return nil
	}
	cps, err := p.store.Checkpoints(ctx)
	if err != nil {
		return err
	}
	p.cp.store = cps
	start := time.Now()
	if p.cfg.Replaying != nil {
		// Decoding a checkpoint allocates what it keeps, like a replay.
		defer p.cfg.Replaying()()
	}
	st, info, why := p.preloaded(ctx)
	from := "local copy"
	if st == nil {
		if why != "" {
			p.log.Debug("checkpoint not preloaded: reading it from the bucket", "why", why)
		}
		from = "bucket"
		st, info, err = p.load(ctx, projections.Version)
	}
	if errors.Is(err, eventlog.ErrNotFound) {
		if st, info, err = p.load(ctx, projections.Version-1); err == nil {
			p.stale = fmt.Sprintf("projection version %d replaces version %d", projections.Version, info.Version)
		}
	}
	switch {
	case errors.Is(err, eventlog.ErrNotFound):
		p.log.Info("no checkpoint: replaying the stream from the start")
		return nil
	case errors.Is(err, projections.ErrSnapshotFormat):
		p.log.Info("checkpoint written in a snapshot format this version no longer reads: ignored; rebuilding the projection from the stream", "err", err)
		return nil
	case err != nil:
		p.log.Warn("checkpoint unusable: replaying the stream from the start", "err", err)
		return nil
	}
	if err := p.verify(ctx, info); err != nil {
		p.log.Error("checkpoint does not match the stream: replaying from the start", "err", err, "checkpoint_seq", info.Seq)
		return nil
	}
	p.proj.replace(st)
	p.cp.seq = info.Seq
	p.out.from = info.Seq // a checkpoint is written only after its events' alerts
	p.log.Info("checkpoint loaded", "seq", info.Seq, "version", info.Version, "events", st.Len(), "bytes", info.Size, "from", from, "took", time.Since(start).Round(time.Millisecond))
	if p.stale != "" {
		p.log.Warn("serving a checkpoint of an older projection version until the rebuild switches over", "why", p.stale)
	}
	return nil
}

// load reads the checkpoint of a projection version into a state.
func (p *Projector) load(ctx context.Context, version int) (*projections.State, store.CheckpointInfo, error) {
	if version < 1 {
		return nil, store.CheckpointInfo{}, eventlog.ErrNotFound
	}
	snap, info, err := p.cp.store.Load(ctx, version)
	if err != nil {
		return nil, info, err
	}
	st, err := projections.DecodeSnapshot(snap)
	if err != nil {
		return nil, info, err
	}
	if st.LastSeq() != info.Seq {
		return nil, info, fmt.Errorf("%w: snapshot ends at %d, checkpoint says %d", projections.ErrSnapshot, st.LastSeq(), info.Seq)
	}
	return st, info, nil
}

// verify checks that the stream still holds what the checkpoint says it
// folded: the last sequence exists and carries the same event id.
func (p *Projector) verify(ctx context.Context, info store.CheckpointInfo) error {
	last, err := p.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	if last < info.Seq {
		return fmt.Errorf("%w: the stream ends at %d, the checkpoint at %d", ErrRewound, last, info.Seq)
	}
	if info.Seq == 0 || info.EventID == uuid.Nil {
		return nil
	}
	m, err := p.store.GetSeq(ctx, info.Seq)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRewound, err)
	}
	ev, err := m.Decode()
	if err != nil || ev.ID != info.EventID {
		return fmt.Errorf("%w: sequence %d holds %s, the checkpoint says %s", ErrRewound, info.Seq, ev.ID, info.EventID)
	}
	return nil
}

func (p *Projector) maybeCheckpoint(ctx context.Context) {
	if p.cp.since >= max(p.cfg.CheckpointEvery, p.cp.size/4) ||
		(p.cp.since > 0 && time.Since(p.cp.last) >= p.cfg.CheckpointInterval && p.proj.Lag() == 0) {
		p.checkpoint(ctx, false)
	}
}

// checkpoint saves the state. It runs on the worker's goroutine, so the
// state does not move while the snapshot is written.
func (p *Projector) checkpoint(ctx context.Context, final bool) {
	p.out.flushAlerts()
	if p.cp.store == nil || p.proj.LastSeq() == p.cp.seq {
		return
	}
	if p.out.failed {
		p.log.Warn("not checkpointing: shift alerts or dead letters of folded events were not stored; the next start derives them again")
		return
	}
	if p.stale != "" {
		return // an older version's state: the rebuilt one will be checkpointed
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	var snap bytes.Buffer
	var seq uint64
	var id uuid.UUID
	var err error
	p.proj.Read(func(st *projections.State) {
		seq, id = st.LastSeq(), st.LastID()
		p.cp.size = st.Len()
		err = st.WriteSnapshot(&snap)
	})
	var info store.CheckpointInfo
	if err == nil {
		info, err = p.cp.store.Save(ctx, projections.Version, seq, id, snap.Bytes())
	}
	p.cp.since, p.cp.last = 0, time.Now()
	if err != nil {
		p.cfg.Metrics.Checkpoints.WithLabelValues("failed").Inc()
		p.log.Warn("checkpoint failed (the next one will retry)", "err", err)
		return
	}
	p.cfg.Metrics.Checkpoints.WithLabelValues("saved").Inc()
	p.cp.seq = info.Seq
	p.log.Debug("checkpoint saved", "seq", info.Seq, "bytes", info.Size, "final", final, "took", time.Since(start).Round(time.Millisecond))
}

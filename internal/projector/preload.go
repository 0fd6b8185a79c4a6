package projector

import (
	"context"

	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/projections"
)

// Preloaded is a checkpoint decoded from its local copy before the store
// was open (Preload). Restore uses it only when the checkpoint entry
// names the same snapshot object with the same digest.
type Preloaded struct {
	Object string // the snapshot object the local copy is of
	Digest string // SHA-256 of the bytes decoded
	State  *projections.State
}

// Preload reads the local copy of the current projection version's
// checkpoint in an embedded server's data directory and decodes it on
// its own goroutine, so that a restart decodes while the server recovers
// its streams. The function it returns waits for the result (call it
// from one goroutine: Restore does); give it to Config.Preloaded.
// replaying, if not nil, is Config.Replaying: decoding allocates what it
// keeps.
func Preload(dataDir string, replaying func() func()) func(context.Context) (Preloaded, error) {
	type result struct {
		p   Preloaded
		err error
	}
	done := make(chan result, 1)
	go func() {
		if replaying != nil {
			defer replaying()()
		}
		snap, err := store.ReadLocalSnapshot(dataDir, projections.Version)
		if err != nil {
			done <- result{err: err}
			return
		}
		// The digest, which says whether the copy is the checkpoint's,
		// is computed while the bytes are decoded.
		digest := make(chan string, 1)
		go func() { digest <- store.SnapshotDigest(snap.Bytes) }()
		st, err := projections.DecodeSnapshot(snap.Bytes)
		done <- result{p: Preloaded{Object: snap.Object, Digest: <-digest, State: st}, err: err}
	}()
	var r *result
	return func(ctx context.Context) (Preloaded, error) {
		if r == nil {
			select {
			case got := <-done:
				r = &got
			case <-ctx.Done():
				return Preloaded{}, ctx.Err()
			}
		}
		return r.p, r.err
	}
}

// preloaded returns the preloaded checkpoint when it is the current one
// of this projection version, nil otherwise (and why, for the log).
func (p *Projector) preloaded(ctx context.Context) (*projections.State, store.CheckpointInfo, string) {
	if p.cfg.Preloaded == nil {
		return nil, store.CheckpointInfo{}, ""
	}
	pre, err := p.cfg.Preloaded(ctx)
	if err != nil {
		return nil, store.CheckpointInfo{}, "local copy unusable: " + err.Error()
	}
	info, err := p.cp.store.Info(ctx, projections.Version)
	switch {
	case err != nil:
		return nil, info, "no checkpoint entry: " + err.Error()
	case info.Object != pre.Object || info.Digest != pre.Digest:
		return nil, info, "local copy is of " + pre.Object + ", the checkpoint is " + info.Object
	case pre.State.LastSeq() != info.Seq:
		return nil, info, "local copy does not end where the checkpoint says"
	}
	return pre.State, info, ""
}

package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
)

// Buckets that hold checkpoints: a KV entry per projection version that
// says which snapshot is current, and the snapshots themselves in an
// object store (a snapshot of a large state is far above a KV value's
// size limit).
const (
	CheckpointBucket = "stancewatch_checkpoints"
	SnapshotBucket   = "stancewatch_snapshots"
)

// CheckpointInfo is the KV entry of a checkpoint.
type CheckpointInfo struct {
	Version int       `json:"version"`  // the projection's version
	Seq     uint64    `json:"seq"`      // last sequence folded into the snapshot
	EventID uuid.UUID `json:"event_id"` // id of the event at Seq (nil if it was skipped)
	Object  string    `json:"object"`   // snapshot object name
	Digest  string    `json:"sha256"`   // of the snapshot bytes
	Size    int       `json:"size"`
	Written time.Time `json:"written"`
	Writer  string    `json:"writer"`
}

// Checkpoints saves and loads projection snapshots. Every replica of
// stancewatch on a cluster shares them: the state at a sequence is the
// same whoever folded it, so any replica can start from any replica's
// checkpoint.
type Checkpoints struct {
	kv  jetstream.KeyValue
	obj jetstream.ObjectStore
	// dirs are the buckets' stream directories on an embedded server:
	// a checkpoint is fsynced there (snapshot first, then the entry that
	// names it) so that it survives a power cut, and a restart after one
	// does not replay the whole stream. Empty on an external server.
	objDir, kvDir string
	// localDir keeps a copy of each version's current snapshot, read at
	// the next start while the server recovers (LocalSnapshot). Empty on
	// an external server.
	localDir string
	log      *slog.Logger
}

// keyOf is the KV key of the checkpoint of a projection version.
func keyOf(version int) string { return fmt.Sprintf("projection-v%d", version) }

// Checkpoints opens (creating if needed) the checkpoint buckets.
func (s *Store) Checkpoints(ctx context.Context) (*Checkpoints, error) {
	// The buckets are set up like the streams: a cluster that has just
	// started may not place them yet ("no suitable peers for placement,
	// peer offline" while a peer reports in), and retrySetup waits that out.
	var kv jetstream.KeyValue
	err := s.retrySetup(ctx, func(ctx context.Context) (err error) {
		kv, err = s.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket: CheckpointBucket, Description: "stancewatch projection checkpoints: which snapshot is current",
			History: 1, Storage: jetstream.FileStorage, Replicas: s.replicas,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("checkpoint bucket: %w", s.wrap(err))
	}
	var obj jetstream.ObjectStore
	err = s.retrySetup(ctx, func(ctx context.Context) (err error) {
		obj, err = s.js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
			Bucket: SnapshotBucket, Description: "stancewatch projection snapshots",
			Storage: jetstream.FileStorage, Replicas: s.replicas, Compression: true,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot bucket: %w", s.wrap(err))
	}
	s.shortDedup(ctx, "OBJ_"+SnapshotBucket)
	c := &Checkpoints{kv: kv, obj: obj, log: s.log}
	if s.srv != nil {
		c.objDir, _ = streamDir(s.cfg.DataDir, "OBJ_"+SnapshotBucket)
		c.kvDir, _ = streamDir(s.cfg.DataDir, "KV_"+CheckpointBucket)
		c.localDir = filepath.Join(s.cfg.DataDir, LocalSnapshotDir)
		// The buckets' directories, and their entries in the streams
		// directory (Open synced the rest of the tree).
		for _, dir := range []string{c.objDir, c.kvDir} {
			if err := syncDirIfAny(dir); err != nil {
				return nil, err
			}
		}
		if c.objDir != "" {
			if err := syncPath(filepath.Dir(c.objDir)); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

// Save stores a snapshot (the bytes of a projection of version version,
// folded up to sequence seq, whose event there has id id) and makes it
// the current checkpoint of that version, unless a checkpoint at a later
// sequence is current already: then that one's info is returned. The
// store does not read snapshots; it keeps them whole (each object carries
// its SHA-256 digest, checked on every read).
func (c *Checkpoints) Save(ctx context.Context, version int, seq uint64, id uuid.UUID, snap []byte) (CheckpointInfo, error) {
	digest := SnapshotDigest(snap)
	host, _ := os.Hostname()
	key := keyOf(version)
	info := CheckpointInfo{
		Version: version, Seq: seq, EventID: id, Digest: digest, Size: len(snap),
		Object:  fmt.Sprintf("%s-%d-%s", key, seq, digest[:8]),
		Written: time.Now().UTC(), Writer: fmt.Sprintf("%s/%d", host, os.Getpid()),
	}
	if _, err := c.obj.PutBytes(ctx, info.Object, snap); err != nil {
		return CheckpointInfo{}, fmt.Errorf("writing snapshot: %w", err)
	}
	if err := syncDirIfAny(c.objDir); err != nil {
		return CheckpointInfo{}, fmt.Errorf("writing snapshot: %w", err)
	}
	value, _ := json.Marshal(info)
	for range 3 {
		prev, rev, err := c.entry(ctx, key)
		switch {
		case errors.Is(err, eventlog.ErrNotFound):
			_, err = c.kv.Create(ctx, key, value)
		case err != nil:
			return CheckpointInfo{}, err
		case prev.Seq >= seq:
			// Another replica checkpointed as far or further: keep theirs.
			if prev.Object != info.Object {
				_ = c.obj.Delete(ctx, info.Object)
			}
			return prev, nil
		default:
			_, err = c.kv.Update(ctx, key, value, rev)
			if err == nil && prev.Object != info.Object {
				_ = c.obj.Delete(ctx, prev.Object)
			}
		}
		if err == nil {
			if err := syncDirIfAny(c.kvDir); err != nil {
				return info, err
			}
			// The local copy is a cache: without it the next start
			// reads the snapshot from the bucket, so its failure is not
			// the checkpoint's.
			if err := c.keepLocal(info, snap); err != nil {
				c.log.Warn("checkpoint saved, but not its local copy: the next start reads it from the bucket", "err", err)
			}
			return info, nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) && !isWrongLastSeq(err) {
			return CheckpointInfo{}, fmt.Errorf("recording checkpoint: %w", err)
		}
	}
	return CheckpointInfo{}, errors.New("recording checkpoint: lost three races with other writers")
}

func isWrongLastSeq(err error) bool {
	code, _ := apiCode(err)
	return code == codeWrongLastSeq
}

func (c *Checkpoints) entry(ctx context.Context, key string) (CheckpointInfo, uint64, error) {
	e, err := c.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return CheckpointInfo{}, 0, eventlog.ErrNotFound
	}
	if err != nil {
		return CheckpointInfo{}, 0, err
	}
	var info CheckpointInfo
	if err := json.Unmarshal(e.Value(), &info); err != nil {
		return CheckpointInfo{}, e.Revision(), fmt.Errorf("checkpoint entry: %w", err)
	}
	return info, e.Revision(), nil
}

// Load returns the snapshot bytes of the current checkpoint of a
// projection version. It fails with ErrNotFound when there is none, and
// with ErrCorruptCheckpoint when its snapshot is missing or fails its
// digest: the caller then folds the stream instead.
func (c *Checkpoints) Load(ctx context.Context, version int) ([]byte, CheckpointInfo, error) {
	info, _, err := c.entry(ctx, keyOf(version))
	if err != nil {
		return nil, info, err
	}
	// The object store checks the object's own SHA-256 digest as it reads
	// it: a corrupt snapshot is an error here.
	snap, err := c.obj.GetBytes(ctx, info.Object)
	if err != nil {
		return nil, info, fmt.Errorf("%w: snapshot %s: %v", ErrCorruptCheckpoint, info.Object, err)
	}
	// A start that had to read the bucket leaves the local copy for the
	// next one (a data directory from before local copies, or one whose
	// copy was lost).
	if err := c.keepLocal(info, snap); err != nil {
		c.log.Warn("checkpoint read, but its local copy not written: the next start reads the bucket again", "err", err)
	}
	return snap, info, nil
}

// ErrCorruptCheckpoint: a checkpoint's snapshot is missing or damaged.
var ErrCorruptCheckpoint = errors.New("checkpoint unreadable")

// snapshotDedup is the dedup window of the snapshot bucket's stream.
const snapshotDedup = time.Second

// shortDedup shortens the dedup window of a bucket's stream, which no
// writer sends a message id to: a server that starts within the window
// of its last write reads every message of the window back for ids
// (nats-server's rebuildDedupe), and for a checkpoint just written that
// is 60 MB to inflate (1.4 s of a restart measured here, the whole of the
// embedded server's recovery). The object store's own configuration
// leaves the window at its two-minute default.
func (s *Store) shortDedup(ctx context.Context, stream string) {
	st, err := s.js.Stream(ctx, stream)
	if err != nil {
		return
	}
	cfg := st.CachedInfo().Config
	if cfg.Duplicates == snapshotDedup {
		return
	}
	cfg.Duplicates = snapshotDedup
	if _, err := s.js.UpdateStream(ctx, cfg); err != nil {
		s.log.Debug("snapshot bucket: dedup window left as it is", "stream", stream, "err", err)
	}
}

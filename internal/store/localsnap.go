package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// LocalSnapshotDir is where, in an embedded server's data directory, a
// copy of each projection version's current checkpoint snapshot is kept.
const LocalSnapshotDir = "checkpoints"

// LocalSnapshot is the local copy of a checkpoint's snapshot, read from
// the data directory without a server, so that a restart can decode it
// while the embedded server recovers its streams. It is a cache: it is
// used only when the checkpoint entry, once the server is up, names the
// same object with the same digest.
type LocalSnapshot struct {
	Object string // the snapshot object it copies
	Bytes  []byte // its digest is SnapshotDigest(Bytes)
}

// SnapshotDigest is the digest of a snapshot's bytes (SHA-256, hex), as
// CheckpointInfo has it.
func SnapshotDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ReadLocalSnapshot reads the local copy of the checkpoint snapshot of a
// projection version from an embedded server's data directory. It fails
// with ErrNotFound when there is none. It leaves the digest to the caller
// (SnapshotDigest), which may compute it while it decodes the bytes: with
// the whole record, hashing the 60 MB took a tenth of a restart.
func ReadLocalSnapshot(dataDir string, version int) (LocalSnapshot, error) {
	dir := filepath.Join(dataDir, LocalSnapshotDir)
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return LocalSnapshot{}, eventlog.ErrNotFound
	}
	if err != nil {
		return LocalSnapshot{}, err
	}
	prefix := keyOf(version) + "-"
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, ".snap") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return LocalSnapshot{}, err
		}
		return LocalSnapshot{Object: strings.TrimSuffix(name, ".snap"), Bytes: b}, nil
	}
	return LocalSnapshot{}, eventlog.ErrNotFound
}

// keepLocal writes the local copy of a checkpoint's snapshot, whole or
// not at all (a temporary file renamed into place), and removes the copy
// of the checkpoint it replaces. It is not fsynced: a copy lost or torn
// by a power cut fails its digest and the snapshot is read from the
// bucket instead.
func (c *Checkpoints) keepLocal(info CheckpointInfo, snap []byte) error {
	if c.localDir == "" {
		return nil
	}
	if err := os.MkdirAll(c.localDir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(c.localDir, ".snap-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(snap)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	final := filepath.Join(c.localDir, info.Object+".snap")
	if werr == nil {
		werr = os.Rename(f.Name(), final)
	}
	if werr != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("local copy of checkpoint %s: %w", info.Object, werr)
	}
	entries, _ := os.ReadDir(c.localDir)
	prefix := keyOf(info.Version) + "-"
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, prefix) && n != info.Object+".snap" || strings.HasPrefix(n, ".snap-") {
			_ = os.Remove(filepath.Join(c.localDir, n))
		}
	}
	return nil
}

// Info returns the current checkpoint entry of a projection version,
// without its snapshot: ErrNotFound when there is none.
func (c *Checkpoints) Info(ctx context.Context, version int) (CheckpointInfo, error) {
	info, _, err := c.entry(ctx, keyOf(version))
	return info, err
}

package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// TestLocalSnapshotFollowsTheCheckpoint: each saved checkpoint leaves one
// local copy of its snapshot per projection version, readable without a
// server, and a load from the bucket writes a missing copy back.
func TestLocalSnapshotFollowsTheCheckpoint(t *testing.T) {
	s := openTest(t)
	dir := s.Config().DataDir
	ctx := t.Context()
	cps, err := s.Checkpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLocalSnapshot(dir, 7); !errors.Is(err, eventlog.ErrNotFound) {
		t.Fatalf("before any checkpoint: %v, want ErrNotFound", err)
	}
	first := bytes.Repeat([]byte("first snapshot "), 1000)
	if _, err := cps.Save(ctx, 7, 10, uuid.New(), first); err != nil {
		t.Fatal(err)
	}
	second := bytes.Repeat([]byte("second snapshot "), 2000)
	info, err := cps.Save(ctx, 7, 20, uuid.New(), second)
	if err != nil {
		t.Fatal(err)
	}
	other := []byte("another version's snapshot")
	if _, err := cps.Save(ctx, 6, 20, uuid.New(), other); err != nil {
		t.Fatal(err)
	}

	check := func(t *testing.T) {
		t.Helper()
		got, err := ReadLocalSnapshot(dir, 7)
		if err != nil {
			t.Fatal(err)
		}
		if got.Object != info.Object || SnapshotDigest(got.Bytes) != info.Digest || !bytes.Equal(got.Bytes, second) {
			t.Fatalf("local copy %s %s (%d bytes), want %s %s (%d bytes)", got.Object, SnapshotDigest(got.Bytes), len(got.Bytes), info.Object, info.Digest, len(second))
		}
		if got, err := ReadLocalSnapshot(dir, 6); err != nil || !bytes.Equal(got.Bytes, other) {
			t.Fatalf("version 6's copy: %q, %v", got.Bytes, err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, LocalSnapshotDir, "*"))
		if len(files) != 2 {
			t.Fatalf("files %v, want one copy per version", files)
		}
	}
	check(t)

	// Lost: reading the checkpoint from the bucket writes it back.
	if err := os.RemoveAll(filepath.Join(dir, LocalSnapshotDir)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cps.Load(ctx, 6); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cps.Load(ctx, 7); err != nil {
		t.Fatal(err)
	}
	check(t)
	if got, err := cps.Info(context.Background(), 7); err != nil || got.Object != info.Object {
		t.Fatalf("Info %+v, %v; want %s", got, err, info.Object)
	}
}

package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// syncTree fsyncs every file and directory under dir, and dir's entry in
// its parent. nats-server fsyncs what it writes (by message, or on its
// timer) but not the directories it creates: after a power cut, a stream
// whose directory entries never reached the disk is gone whole, however
// well its block files were synced (the power-cut test shows it). The
// store calls it once the streams and buckets it needs exist, so that
// what the server created at start is on disk before anything is
// acknowledged; new message blocks later are synced with their directory
// by the group commit, or by newBlocks.
func syncTree(dir string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed meanwhile (a server's temporary file)
		}
		if err != nil {
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return nil
		}
		return syncPath(path)
	})
	if err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	return syncPath(filepath.Dir(abs))
}

// syncPath fsyncs one file or directory; one that vanished is fine.
func syncPath(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", path, err)
	}
	return nil
}

// syncStaged fsyncs the files in dir, and dir, when it holds any: one
// read of the directory when it is empty, which it nearly always is.
func syncStaged(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	return syncTree(dir)
}

// syncDirIfAny is syncTree of dir, or nothing for "".
func syncDirIfAny(dir string) error {
	if dir == "" {
		return nil
	}
	return syncTree(dir)
}

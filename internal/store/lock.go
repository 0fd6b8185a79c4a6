package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrDataDirInUse: another process serves from the data directory.
var ErrDataDirInUse = errors.New("data directory in use")

// lockWait is how long a start waits for a lock held by a process that
// is exiting.
const lockWait = 500 * time.Millisecond

// lockFile is the file in the data directory that the embedded server's
// process holds an exclusive lock on.
const lockFile = "stancewatch.lock"

// dirLock is an exclusive lock on a data directory: two nats-servers on
// one store directory would each believe they own the stream's files.
// The kernel releases it when the process dies, however it dies, so a
// restart after kill -9 or a power cut never finds a stale lock.
type dirLock struct{ f *os.File }

// lockDataDir takes the lock on dir (creating dir if needed), or fails at
// once with ErrDataDirInUse naming the process that holds it.
func lockDataDir(dir string) (*dirLock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	// A process killed a moment ago releases its lock as it finishes
	// exiting: a restart right after kill -9 waits that moment out (up to
	// lockWait) instead of failing.
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	for deadline := time.Now().Add(lockWait); errors.Is(err, syscall.EWOULDBLOCK) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	}
	if err != nil {
		holder := "another process"
		if b, rerr := os.ReadFile(path); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil {
				holder = fmt.Sprintf("process %d", pid)
			}
		}
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is held by %s (another stancewatch serve?); stop it, or give this one another --data", ErrDataDirInUse, dir, holder)
		}
		return nil, fmt.Errorf("locking data directory %s: %w", dir, err)
	}
	// The pid is for the message above only: the lock is the flock.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dirLock{f: f}, nil
}

// release gives the lock back (the kernel does too when the process dies).
func (l *dirLock) release() {
	if l != nil && l.f != nil {
		_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
		l.f.Close()
		l.f = nil
	}
}

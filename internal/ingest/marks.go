package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"
)

// Marks remembers the datasets the loader stored whole, so that a later
// start finds one stored without reading it again: reading the General
// Assembly record only to find every chunk stored took 2.9 s of both cores
// and a heap of 890 MB at each restart. A mark is a cache: lost or torn,
// the dataset is read and checked chunk by chunk as before.
type Marks interface {
	// Mark returns what was last put for a dataset, and whether there is
	// anything.
	Mark(name string) ([]byte, bool)
	// PutMark records it.
	PutMark(name string, value []byte) error
}

// errNoMark: a dataset has no mark the loader can trust (none, torn, of
// another source, or its last event not in the stream).
var errNoMark = errors.New("no usable mark")

// mark is what the loader records of a dataset stored whole.
type mark struct {
	Digest    string    `json:"digest"` // of the dataset's source (Dataset.Digest)
	Last      uuid.UUID `json:"last"`   // its last event
	RollCalls int       `json:"roll_calls"`
	Events    int       `json:"events"`
	RowErrors int       `json:"row_errors"`
}

// DirMarks keeps marks as files in a directory (made when the first is
// put), one a dataset.
type DirMarks string

func (d DirMarks) file(name string) string {
	return filepath.Join(string(d), strings.NewReplacer("/", "_", string(filepath.Separator), "_").Replace(name)+".json")
}

// Mark reads a dataset's mark.
func (d DirMarks) Mark(name string) ([]byte, bool) {
	b, err := os.ReadFile(d.file(name))
	return b, err == nil
}

// PutMark writes a dataset's mark whole or not at all (a temporary file
// renamed over the old one).
func (d DirMarks) PutMark(name string, value []byte) error {
	if err := os.MkdirAll(string(d), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(string(d), ".mark-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(value); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), d.file(name))
}

// DigestOf returns the hex SHA-256 of files in fsys, in order: a dataset's
// digest, which changes when any of its sources does.
func DigestOf(fsys fs.FS, names ...string) (string, error) {
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", err
		}
		digestPart(h, n, b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// digestOfBytes is DigestOf for a dataset held in memory.
func digestOfBytes(name string, b []byte) string {
	h := sha256.New()
	digestPart(h, name, b)
	return hex.EncodeToString(h.Sum(nil))
}

// digestPart adds a named part to a digest: its name and length, then it.
func digestPart(h hash.Hash, name string, b []byte) {
	fmt.Fprintf(h, "%s %d\n", name, len(b))
	h.Write(b)
}

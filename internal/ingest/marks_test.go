package ingest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/producers/votes"
)

// TestMarkedDatasetIsNotReadAgain: a dataset stored whole is marked, and
// the next start finds it stored without reading it; a mark that no
// longer fits (the source changed, the stream is another one, the mark
// torn) has the dataset read and checked as before, and nothing is ever
// stored twice or missed.
func TestMarkedDatasetIsNotReadAgain(t *testing.T) {
	gaza := BundledDatasets()[0]
	counted := func(d Dataset, reads *int) Dataset {
		read := d.Read
		d.Read = func() ([]votes.RollCall, []votes.RowError, error) { *reads++; return read() }
		return d
	}
	for _, tc := range []struct {
		name    string
		between func(t *testing.T, marks DirMarks, d *Dataset, st **store.Store) // what happens before the second start
		reads   int                                                              // of the second start
	}{
		{"marked", func(*testing.T, DirMarks, *Dataset, **store.Store) {}, 0},
		{"the source changed", func(_ *testing.T, _ DirMarks, d *Dataset, _ **store.Store) {
			d.Digest = func() string { return "another" }
		}, 1},
		{"another stream", func(t *testing.T, _ DirMarks, _ *Dataset, st **store.Store) { *st = openStore(t) }, 1},
		{"a torn mark", func(t *testing.T, marks DirMarks, d *Dataset, _ **store.Store) {
			f := marks.file(d.Name)
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f, b[:len(b)/2], 0o600); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"no mark", func(t *testing.T, marks DirMarks, _ *Dataset, _ **store.Store) {
			if err := os.RemoveAll(string(marks)); err != nil {
				t.Fatal(err)
			}
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			marks := DirMarks(filepath.Join(t.TempDir(), "bundled"))
			reads := 0
			d := counted(gaza, &reads)
			l := &Loader{Appender: st, Finder: st, Log: quiet(), Marks: marks}
			if err := l.Run(t.Context(), []Dataset{d}); err != nil {
				t.Fatal(err)
			}
			first := l.Status()[0]
			if reads != 1 || first.Marked || first.Added != first.Events {
				t.Fatalf("first start: %d reads, %+v", reads, first)
			}
			if _, ok := marks.Mark(d.Name); !ok {
				t.Fatal("a dataset stored whole was not marked")
			}

			tc.between(t, marks, &d, &st)
			reads = 0
			l = &Loader{Appender: st, Finder: st, Log: quiet(), Marks: marks}
			if err := l.Run(t.Context(), []Dataset{d}); err != nil {
				t.Fatal(err)
			}
			s := l.Status()[0]
			if reads != tc.reads || s.Marked != (tc.reads == 0) || s.State != "loaded" || s.Events != first.Events || s.Done != s.Events {
				t.Fatalf("second start: %d reads (want %d), %+v", reads, tc.reads, s)
			}
			if last, err := st.LastSeq(t.Context()); err != nil || int(last) != first.Events {
				t.Fatalf("the stream holds %d events (%v), the dataset makes %d", last, err, first.Events)
			}
		})
	}
}

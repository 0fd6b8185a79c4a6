package projector

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/internal/store"
)

// TestRestoreFromPreloadedCheckpoint: a restart decodes the local copy of
// the checkpoint before the store is open and uses it when it is the
// current checkpoint; a damaged or stale copy is passed over for the
// bucket's. Either way the projection equals a clean replay.
func TestRestoreFromPreloadedCheckpoint(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string) // what happens to the local copy while stopped
		from   string
	}{
		{name: "the copy of the current checkpoint", damage: func(*testing.T, string) {}, from: "local copy"},
		{name: "a torn copy", from: "bucket", damage: func(t *testing.T, dir string) {
			files, _ := filepath.Glob(filepath.Join(dir, store.LocalSnapshotDir, "*.snap"))
			if len(files) != 1 {
				t.Fatalf("local copies %v, want one", files)
			}
			b, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(files[0], b[:len(b)/2], 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "no copy", from: "bucket", damage: func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, store.LocalSnapshotDir)); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t)
			loadBundled(t, s)
			ctx := ctxT(t)
			foldAndCheckpoint(t, s) // a first run folds everything and checkpoints at its end
			tc.damage(t, s.Config().DataDir)

			var logs logBuffer
			p2 := NewProjection()
			w2 := mustNew(t, s, p2, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), CheckpointEvery: 50,
				Preloaded: Preload(s.Config().DataDir, nil)})
			if err := w2.Restore(ctx); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(logs.String(), `from="`+tc.from+`"`) && !strings.Contains(logs.String(), "from="+tc.from+" ") {
				t.Fatalf("restored from the wrong place, want %s; log:\n%s", tc.from, logs.String())
			}
			if got, want := digest(p2), replay(t, s).Digest(); got != want {
				t.Fatalf("restored projection %s, clean replay %s", got, want)
			}
		})
	}
}

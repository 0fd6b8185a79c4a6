package metrics

import (
	"testing"
)

type projection struct{ seq uint64 }

func (p projection) LastSeq() uint64       { return p.seq }
func (p projection) Lag() uint64           { return 0 }
func (p projection) LagSeconds() float64   { return 0 }
func (p projection) Ready() (bool, string) { return true, "" }

// TestWatchProjectionOnce: a Metrics watches one projection; a second is
// refused with an error (it used to panic), and two Metrics are
// independent registries, so each may watch its own.
func TestWatchProjectionOnce(t *testing.T) {
	m := New()
	if err := m.WatchProjection(projection{7}); err != nil {
		t.Fatal(err)
	}
	if err := m.WatchProjection(projection{8}); err == nil {
		t.Fatal("a second projection on the same Metrics was accepted")
	}
	other := New()
	if err := other.WatchProjection(projection{9}); err != nil {
		t.Fatalf("a second Metrics: %v", err)
	}
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == "stancewatch_projection_seq" {
			if v := f.GetMetric()[0].GetGauge().GetValue(); v != 7 {
				t.Fatalf("projection_seq %v, want 7 (the first projection's)", v)
			}
			return
		}
	}
	t.Fatal("no stancewatch_projection_seq gathered")
}

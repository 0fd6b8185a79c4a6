package projector

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want []string
	}{
		{"defaults", Config{}, nil},
		{"alerts without a source", Config{Alerts: true}, []string{"alert source: empty"}},
		{"negative counts and durations", Config{CheckpointEvery: -1, VerifyInterval: -time.Second},
			[]string{"checkpoint every -1", "verify interval -1s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.WithDefaults().Validate()
			if (err == nil) != (len(tc.want) == 0) {
				t.Fatalf("Validate() = %v, want %v", err, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, lacks %q", err, w)
				}
			}
			if _, err := New(nil, NewProjection(), tc.cfg); (err == nil) != (len(tc.want) == 0) {
				t.Fatalf("New: %v", err)
			}
		})
	}
}

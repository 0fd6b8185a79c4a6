package store

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// TestServerLoggerSaysRecovered: the warnings nats-server writes when it
// rebuilds a stream's index after an unclean stop are logged as what they
// are, a recovery with nothing lost, at info level; other warnings stay
// warnings.
func TestServerLoggerSaysRecovered(t *testing.T) {
	for _, tc := range []struct {
		name, format string
		args         []any
		want, not    string
	}{
		{"last block has more", "Filestore [%s] Stream state outdated, last block has additional entries, will rebuild", []any{"EVENTS"},
			`level=INFO msg="recovered after an unclean stop`, "WARN"},
		{"extra blocks", "Filestore [%s] Stream state outdated, found extra blocks, will rebuild", []any{"EVENTS_SHIFTS"},
			`stream=EVENTS_SHIFTS`, "WARN"},
		{"the error that goes with it", "Filestore [EVENTS] Recovering stream state from index errored: %v", []any{errors.New("prior state file")},
			"nothing acknowledged is lost", "WARN"},
		{"a real error stays a warning", "Filestore [EVENTS] Recovering stream state from index errored: %v", []any{errors.New("checksum mismatch")},
			`level=WARN msg="Filestore [EVENTS] Recovering stream state from index errored: checksum mismatch"`, "recovered"},
		{"anything else", "JetStream cluster no metadata leader", nil, "level=WARN", "recovered"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := &serverLogger{l: slog.New(slog.NewTextHandler(&buf, nil))}
			l.Warnf(tc.format, tc.args...)
			if got := buf.String(); !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
				t.Fatalf("logged %q: want %q, not %q", got, tc.want, tc.not)
			}
		})
	}
}

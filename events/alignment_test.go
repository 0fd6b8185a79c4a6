package events_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stancewatch/stancewatch/events"
)

// TestAlignmentAlertFieldErrors: an alignment alert that names no valid
// reference, measure, figures or cause is refused with each field named.
func TestAlignmentAlertFieldErrors(t *testing.T) {
	const ok = `{"specversion":"1.0","id":"0190c7a2-7a5e-7cc0-8000-000000000210","source":"stancewatch/projection","type":"org.stancewatch.alignment",
	"schemaversion":2,"data":{"actor":"IN","reference":"%s","topic":"human-rights","measure":"%s","previous":"2018","period":"2019",
	"before":{"value":%s,"n":40},"after":{"value":0.27,"n":90},"delta":-0.24,"evidence":[{"motion":"%s","date":"2019-12-18","actor_vote":"yes","with_vote":"no","score":0}],
	"cause":"%s","cause_seq":1200}}`
	for _, tc := range []struct {
		name                             string
		ref, measure, before, motion, cs string
		want                             []string
	}{
		{"valid actor reference", "US", "agreement", "0.5", "A/RES/74/169", "0190c7a2-7a5e-7cc0-8000-000000000201", nil},
		{"valid bloc reference", "arab-group", "coincidence", "0.5", "A/RES/74/169", "0190c7a2-7a5e-7cc0-8000-000000000201", nil},
		{"reference with a dot", "e.u", "agreement", "0.5", "A/RES/74/169", "0190c7a2-7a5e-7cc0-8000-000000000201", []string{"data.reference"}},
		{"unknown measure", "US", "ideal-points", "0.5", "A/RES/74/169", "0190c7a2-7a5e-7cc0-8000-000000000201", []string{"data.measure"}},
		{"value out of range", "US", "agreement", "1.5", "A/RES/74/169", "0190c7a2-7a5e-7cc0-8000-000000000201", []string{"data.before"}},
		{"everything wrong", "", "", "-1", "", "nope", []string{"data.reference", "data.measure", "data.before", "data.evidence[0].motion", "data.cause"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := []byte(fmt.Sprintf(ok, tc.ref, tc.measure, tc.before, tc.motion, tc.cs))
			ev, err := events.Decode(raw)
			var ve *events.ValidationError
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("Decode: %v", err)
			case tc.want == nil:
				if ev.Subject() != "alignment.IN."+tc.ref+".human-rights."+ev.ID.String() {
					t.Errorf("subject %s", ev.Subject())
				}
				if _, _, derived := ev.Claim(); !derived {
					t.Error("an alignment alert is not claimed as derived")
				}
				return
			case !errors.As(err, &ve):
				t.Fatalf("Decode = %v, want a *ValidationError", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("errors %v lack %s", got, w)
				}
			}
		})
	}
}

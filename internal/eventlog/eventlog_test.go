package eventlog

import (
	"errors"
	"testing"
)

func TestAppendOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name      string
		batch     bool
		opts      []AppendOption
		wantError bool
	}{
		{"single, none", false, nil, false},
		{"single, expected sequence", false, []AppendOption{ExpectLastSeq(3)}, false},
		{"single, all or nothing", false, []AppendOption{AllOrNothing()}, true},
		{"batch, all or nothing", true, []AppendOption{AllOrNothing()}, false},
		{"batch, expected sequence", true, []AppendOption{ExpectLastSeq(0)}, true},
		{"a nil option", true, []AppendOption{nil}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.batch {
				_, err = ForBatch(tc.opts...)
			} else {
				_, err = ForSingle(tc.opts...)
			}
			if (err != nil) != tc.wantError || (err != nil && !errors.Is(err, ErrBadOption)) {
				t.Fatalf("err = %v, want an ErrBadOption: %v", err, tc.wantError)
			}
		})
	}
	o, _ := ForSingle(ExpectLastSeq(7))
	if o.ExpectSeq == nil || *o.ExpectSeq != 7 {
		t.Fatalf("ExpectLastSeq(7) gave %+v", o)
	}
}

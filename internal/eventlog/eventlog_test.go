package eventlog

import (
	"errors"
	"strings"
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

func TestChecksum(t *testing.T) {
	data := []byte(`{"specversion":"1.0"}`)
	sum := Checksum(data)
	if len(sum) != 8 || Verify(1, data, sum) != nil || Verify(1, data, "") != nil {
		t.Fatalf("Checksum %q does not verify its own data", sum)
	}
	damaged := append([]byte{}, data...)
	damaged[3] ^= 0x20
	if err := Verify(7, damaged, sum); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "sequence 7") {
		t.Fatalf("a flipped bit: %v", err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = Verify(1, data, sum) }); n != 0 {
		t.Fatalf("Verify allocates %v times", n)
	}
}

func TestSubscribeOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    SubscribeOptions
		ok   bool
	}{
		{"the events", SubscribeOptions{}, true},
		{"shift alerts", SubscribeOptions{Shifts: true}, true},
		{"alignment alerts", SubscribeOptions{Alignment: true, CatchUp: true}, true},
		{"both alert streams", SubscribeOptions{Shifts: true, Alignment: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrBadSubscription)) {
				t.Fatalf("Validate() = %v", err)
			}
		})
	}
}

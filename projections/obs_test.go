package projections

import (
	"testing"
	"unsafe"
)

// TestObsFitsItsSizeClass: an observation is held a million times over
// with the whole record; at 80 bytes it takes the allocator's 80-byte
// class (the record's projection was 112 bytes an observation before the
// quote, offset and confidence moved out). A field added must be paid
// for knowingly.
func TestObsFitsItsSizeClass(t *testing.T) {
	if got := unsafe.Sizeof(obs{}); got > 80 {
		t.Fatalf("obs is %d bytes, over the 80-byte size class", got)
	}
}

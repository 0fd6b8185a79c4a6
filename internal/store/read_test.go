package store

import (
	"testing"

	"github.com/nats-io/nats.go"
)

func TestParseBatchTag(t *testing.T) {
	h := func(kv ...string) nats.Header {
		out := nats.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	for _, tc := range []struct {
		name string
		h    nats.Header
		want BatchTag
	}{
		{"alone", h(), BatchTag{}},
		{"first of a batch", h("Nats-Batch-Id", "b1", "Nats-Batch-Sequence", "1"), BatchTag{ID: "b1", Index: 1}},
		{"the commit", h("Nats-Batch-Id", "b1", "Nats-Batch-Sequence", "15", "Nats-Batch-Commit", "1"), BatchTag{ID: "b1", Index: 15, Last: true}},
		{"a batch of one", h("Nats-Batch-Id", "b1", "Nats-Batch-Sequence", "1", "Nats-Batch-Commit", "1"), BatchTag{ID: "b1", Index: 1, Last: true}},
		{"no sequence", h("Nats-Batch-Id", "b1"), BatchTag{}},
		{"sequence 0", h("Nats-Batch-Id", "b1", "Nats-Batch-Sequence", "0"), BatchTag{}},
		{"an older store's own tag beside them", h("Nats-Batch-Id", "b1", "Nats-Batch-Sequence", "15", "Nats-Batch-Commit", "1", "Stancewatch-Batch", "b1 15 15"), BatchTag{ID: "b1", Index: 15, Last: true}},
		{"an older store's own tag alone", h("Stancewatch-Batch", "b1 3 15"), BatchTag{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseBatchTag(tc.h); got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

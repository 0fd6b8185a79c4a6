package projections

import (
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"
)

// TestObsIndexIsAMap: random puts, replacements and removals leave the
// index holding exactly what a map would, through growth and removals
// that shift probe runs back; ids of every kind (hashes, random, time
// ordered) spread over the table.
func TestObsIndexIsAMap(t *testing.T) {
	for _, tc := range []struct {
		name string
		id   func(rng *rand.Rand, i int) uuid.UUID
	}{
		{"UUIDv5", func(_ *rand.Rand, i int) uuid.UUID {
			return uuid.NewSHA1(uuid.NameSpaceURL, []byte{byte(i), byte(i >> 8), byte(i >> 16)})
		}},
		{"UUIDv7, time first", func(_ *rand.Rand, i int) uuid.UUID {
			var id uuid.UUID
			id[5], id[4], id[3] = byte(i), byte(i>>8), byte(i>>16) // the clock; the rest left zero
			return id
		}},
		{"few distinct", func(rng *rand.Rand, _ int) uuid.UUID {
			return uuid.UUID{15: byte(rng.IntN(300)), 14: byte(rng.IntN(2))}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var x obsIndex
			model := map[uuid.UUID]*obs{}
			var ids []uuid.UUID
			for i := range 20000 {
				switch r := rng.IntN(10); {
				case r < 6 || len(ids) == 0:
					o, h := x.alloc()
					o.id = tc.id(rng, i)
					_, had := model[o.id]
					if replaced := x.put(h); replaced != had {
						t.Fatalf("put %s: replaced %v, the map had it: %v", o.id, replaced, had)
					}
					model[o.id] = o
					ids = append(ids, o.id)
				case r < 9:
					id := ids[rng.IntN(len(ids))]
					x.del(id)
					delete(model, id)
				default:
					x.del(uuid.New()) // not there
				}
				if x.len() != len(model) {
					t.Fatalf("step %d: %d held, the map %d", i, x.len(), len(model))
				}
			}
			for _, id := range ids {
				if got, want := x.get(id), model[id]; got != want {
					t.Fatalf("get %s: %p, the map %p", id, got, want)
				}
			}
			n := 0
			for o := range x.all() {
				if model[o.id] != o {
					t.Fatalf("all yields %s, which the map does not hold", o.id)
				}
				n++
			}
			if n != len(model) {
				t.Fatalf("all yields %d, the map holds %d", n, len(model))
			}
		})
	}
}

// TestObsIndexGrowAndAlloc: a restore's room (grow) spans several chunks,
// the last one part-size; what alloc makes after it goes into chunks of
// its own; every handle names the observation it was given for.
func TestObsIndexGrowAndAlloc(t *testing.T) {
	var x obsIndex
	before, h0 := x.alloc() // one made one by one first
	before.id = uuid.New()
	x.put(h0)
	const n = 3*obsChunkMax + 5
	handle := x.grow(n)
	ids := make([]uuid.UUID, n)
	for i := range n {
		ids[i] = uuid.New()
		x.at(handle(i)).id = ids[i]
		if x.put(handle(i)) {
			t.Fatalf("record %d replaced another", i)
		}
	}
	after, h1 := x.alloc()
	after.id = uuid.New()
	x.put(h1)
	if x.len() != n+2 {
		t.Fatalf("%d indexed, want %d", x.len(), n+2)
	}
	for i, id := range ids {
		if o := x.get(id); o == nil || o != x.at(handle(i)) {
			t.Fatalf("record %d: get found %p, its handle names %p", i, o, x.at(handle(i)))
		}
	}
	if x.get(before.id) != before || x.get(after.id) != after {
		t.Fatal("the observations made one by one, before and after the restore's room, are not found")
	}
	seen := map[*obs]bool{}
	for o := range x.all() {
		if seen[o] {
			t.Fatalf("all yields %s twice", o.id)
		}
		seen[o] = true
	}
	if len(seen) != n+2 {
		t.Fatalf("all yields %d, want %d", len(seen), n+2)
	}
}

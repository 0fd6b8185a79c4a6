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
					o := &obs{id: tc.id(rng, i)}
					_, had := model[o.id]
					if replaced := x.put(o); replaced != had {
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

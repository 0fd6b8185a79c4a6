package projections

import (
	"encoding/binary"
	"iter"

	"github.com/google/uuid"
)

// obsIndex holds a State's observations and finds one by its event id.
//
// The observations live side by side in chunks (alloc, grow), never
// moved, so a series holds pointers to them. Allocated one by one, the
// observations a fold keeps were interleaved with what it allocates and
// drops between them (decoded events, the same size class): with the
// whole record, 121 MB of observations held 222 MB of heap spans. Chunks
// start small and double up to obsChunkMax, so a small State stays small;
// an observation holds no pointer, so the collector does not scan them.
//
// The index is an open-addressing table of 4-byte handles (chunk and
// place in it; linear probing, the key the observation's own id), kept
// at most three quarters full: 4 to 6 bytes an observation, where a
// table of pointers took 8 to 11 and a map from id to pointer about 50
// (56 MB of the record's 1.13 million). Like a map, it may be read
// concurrently and written by one goroutine at a time.
type obsIndex struct {
	chunks [][]obs  // every observation made; each chunk's length is what is used
	slots  []uint32 // handle+1 of an observation, 0 for none; a power of two long, or empty
	n      int
}

// obsChunkBits: a handle is a chunk's number, then the observation's
// place in it in its low obsChunkBits bits.
const (
	obsChunkBits = 12
	obsChunkMax  = 1 << obsChunkBits // the most observations a chunk holds
	// obsMaxChunks keeps a handle+1 within 32 bits (4 billion
	// observations).
	obsMaxChunks = 1<<(32-obsChunkBits) - 1
)

// at returns the observation a handle names.
func (x *obsIndex) at(h uint32) *obs {
	return &x.chunks[h>>obsChunkBits][h&(obsChunkMax-1)]
}

// alloc returns room for one more observation and its handle; put
// indexes it once it is filled in.
func (x *obsIndex) alloc() (*obs, uint32) {
	n := len(x.chunks)
	if n == 0 || len(x.chunks[n-1]) == cap(x.chunks[n-1]) {
		size := 16
		if n > 0 {
			size = min(2*cap(x.chunks[n-1]), obsChunkMax)
		}
		x.newChunk(make([]obs, 0, size))
		n++
	}
	c := &x.chunks[n-1]
	*c = (*c)[:len(*c)+1]
	return &(*c)[len(*c)-1], uint32(n-1)<<obsChunkBits | uint32(len(*c)-1)
}

func (x *obsIndex) newChunk(c []obs) {
	if len(x.chunks) >= obsMaxChunks {
		panic("projections: more observations than 32-bit handles name")
	}
	x.chunks = append(x.chunks, c)
}

// grow makes room for n observations in full chunks of their own, for a
// restore's decoders to fill at once, and returns the handle function of
// the i-th of them (0 ≤ i < n).
func (x *obsIndex) grow(n int) func(i int) uint32 {
	base := uint32(len(x.chunks))
	for rest := n; rest > 0; rest -= obsChunkMax {
		x.newChunk(make([]obs, min(rest, obsChunkMax)))
	}
	return func(i int) uint32 { return (base+uint32(i>>obsChunkBits))<<obsChunkBits | uint32(i&(obsChunkMax-1)) }
}

// hashID spreads an id over the table. Most ids are hashes already
// (UUIDv5) or random (v4), but a v7 id starts with its time: both halves
// are mixed in.
func hashID(id uuid.UUID) uint64 {
	h := binary.LittleEndian.Uint64(id[:8]) ^ binary.LittleEndian.Uint64(id[8:])*0x9e3779b97f4a7c15
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return h
}

// get returns the observation with this id, or nil.
func (x *obsIndex) get(id uuid.UUID) *obs {
	if x.n == 0 {
		return nil
	}
	mask := uint64(len(x.slots) - 1)
	for i := hashID(id) & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return nil
		}
		if o := x.at(s - 1); o.id == id {
			return o
		}
	}
}

// put indexes the observation h names under its id, replacing an
// observation with the same id; it reports whether it replaced one.
func (x *obsIndex) put(h uint32) (replaced bool) {
	if (x.n+1)*4 > len(x.slots)*3 {
		x.reserve(max(2*x.n, 1024))
	}
	id := x.at(h).id
	mask := uint64(len(x.slots) - 1)
	for i := hashID(id) & mask; ; i = (i + 1) & mask {
		switch s := x.slots[i]; {
		case s == 0:
			x.slots[i] = h + 1
			x.n++
			return false
		case x.at(s-1).id == id:
			x.slots[i] = h + 1
			return true
		}
	}
}

// reserve makes room for n observations without growing.
func (x *obsIndex) reserve(n int) {
	size := 1024
	for size*3 < n*4 {
		size *= 2
	}
	if size <= len(x.slots) {
		return
	}
	old := x.slots
	x.slots, x.n = make([]uint32, size), 0
	for _, s := range old {
		if s != 0 {
			x.put(s - 1)
		}
	}
}

// del removes the observation with this id from the index, if it is
// there (its room in its chunk is not reused). The probe run after it
// shifts back over the hole (no tombstones: a table that has seen many
// removals probes no longer than a fresh one).
func (x *obsIndex) del(id uuid.UUID) {
	if x.n == 0 {
		return
	}
	mask := uint64(len(x.slots) - 1)
	i := hashID(id) & mask
	for ; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return
		}
		if x.at(s-1).id == id {
			break
		}
	}
	x.slots[i] = 0
	x.n--
	for j := (i + 1) & mask; x.slots[j] != 0; j = (j + 1) & mask {
		home := hashID(x.at(x.slots[j]-1).id) & mask
		// The entry at j may fill the hole at i unless its home lies
		// cyclically in (i, j].
		if (i <= j && (home <= i || home > j)) || (i > j && home <= i && home > j) {
			x.slots[i], x.slots[j] = x.slots[j], 0
			i = j
		}
	}
}

// len returns the number of observations indexed.
func (x *obsIndex) len() int { return x.n }

// all yields every observation indexed, in no order.
func (x *obsIndex) all() iter.Seq[*obs] {
	return func(yield func(*obs) bool) {
		for _, s := range x.slots {
			if s != 0 && !yield(x.at(s-1)) {
				return
			}
		}
	}
}

package projections

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

// A snapshot is the state's inputs (every applied observation, motion,
// retraction and rejection, with its sequence and recorded time) in a
// compact binary form. Views are derived again after loading, so a change
// to how views are derived never needs a rebuild; a change to how events
// are read into the state bumps Version (and a rebuild runs); a change to
// the layout below bumps SnapshotFormat.
const snapshotMagic = "SWSNAP"

// SnapshotFormat is the version of the snapshot layout. ReadSnapshot
// reads it and the format before it (OldestSnapshotFormat), so that the
// checkpoint of the version just before an upgrade is served at once; an
// older snapshot is refused with ErrSnapshotFormat, and its reader folds
// the stream instead: a checkpoint is a cache that the stream can always
// rebuild, not a format to keep forever.
//
// Format 3 writes each distinct string once, in a table that records
// point into, and sequences and times as deltas: a snapshot of a million
// observations loads without parsing a value twice or applying events one
// by one. Format 4 adds the review queue, as encoded events. Format 5
// adds the events held back until the rest of their group is in. Format 6
// adds bloc definitions, as encoded events. Format 7 writes the records in
// blocks that decode at once on several cores (snapshotBlocks), each with
// its length ahead of it.
const SnapshotFormat = 7

// OldestSnapshotFormat is the oldest layout ReadSnapshot reads: the one
// before SnapshotFormat (format 6: its records are one block, without a
// length).
const OldestSnapshotFormat = SnapshotFormat - 1

// ErrSnapshot means a snapshot could not be read: corrupt, truncated or
// written by another Version.
var ErrSnapshot = errors.New("unreadable snapshot")

// ErrSnapshotFormat means a snapshot is in a layout older than
// OldestSnapshotFormat (or newer than SnapshotFormat). It wraps
// ErrSnapshot.
var ErrSnapshotFormat = fmt.Errorf("%w: format not read by this version", ErrSnapshot)

// WriteSnapshot writes the state to w. Records are written in sequence
// order, so two states holding the same events write the same bytes.
func (s *State) WriteSnapshot(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	e := &enc{w: bw}
	e.raw([]byte(snapshotMagic))
	e.uvarint(SnapshotFormat)
	e.uvarint(s.lastSeq)
	e.raw(s.lastID[:])

	pos := make([]*obs, 0, s.positions.len())
	for o := range s.positions.all() {
		pos = append(pos, o)
	}
	slices.SortFunc(pos, func(a, b *obs) int { return cmpU64(a.seq, b.seq) })
	// The string table: every actor, topic, motion, source, address,
	// citation, document and producer the observations use, in order of
	// first use.
	table := map[string]uint64{"": 0}
	var strsOut []string
	ref := func(v string) uint64 {
		i, ok := table[v]
		if !ok {
			i = uint64(len(table))
			table[v] = i
			strsOut = append(strsOut, v)
		}
		return i
	}
	refs := newSnapRefs(s.vocab, ref)
	for _, o := range pos {
		refs.of(o)
	}
	e.uvarint(uint64(len(strsOut)))
	for _, v := range strsOut {
		e.str(v)
	}
	// The records, in blocks that decode independently (SnapshotBlocks),
	// each with its count and length in bytes ahead of it.
	e.uvarint(uint64(len(pos)))
	k := snapshotBlocks(len(pos))
	e.uvarint(uint64(k))
	var block bytes.Buffer
	for b := range k {
		from, to := b*len(pos)/k, (b+1)*len(pos)/k
		block.Reset()
		be := &enc{w: bufio.NewWriter(&block)}
		s.writeRecords(be, pos[from:to], refs)
		if be.err == nil {
			be.err = be.w.Flush()
		}
		if be.err != nil {
			return be.err
		}
		e.uvarint(uint64(to - from))
		e.uvarint(uint64(block.Len()))
		e.raw(block.Bytes())
	}

	mots := make([]*motionRec, 0, len(s.motions))
	for _, m := range s.motions {
		mots = append(mots, m)
	}
	slices.SortFunc(mots, func(a, b *motionRec) int { return cmpU64(a.seq, b.seq) })
	e.uvarint(uint64(len(mots)))
	for _, m := range mots {
		e.head(m.id, m.seq, m.recorded, m.source)
		b, err := events.Event{ID: m.id, Source: m.source, SchemaVersion: events.CurrentSchemaVersion, Data: m.m}.MarshalJSON()
		if err != nil {
			return err
		}
		e.str(string(b))
	}

	rets := make([]*retractionRec, 0, len(s.retractions))
	for _, r := range s.retractions {
		rets = append(rets, r)
	}
	slices.SortFunc(rets, func(a, b *retractionRec) int { return cmpU64(a.seq, b.seq) })
	e.uvarint(uint64(len(rets)))
	for _, r := range rets {
		e.head(r.id, r.seq, r.recorded, r.source)
		e.raw(r.r.Target[:])
		e.str(r.r.Reason)
		e.str(r.r.Actor.String())
		e.str(r.r.Topic.String())
	}

	revs := s.reviewRecs()
	e.uvarint(uint64(len(revs)))
	for _, r := range revs {
		e.head(r.id, r.seq, r.recorded, r.source)
		b, err := r.ev.MarshalJSON()
		if err != nil {
			return err
		}
		e.str(string(b))
	}

	held := s.heldEvents()
	e.uvarint(uint64(len(held)))
	for _, h := range held {
		e.head(h.Event.ID, h.Meta.Seq, h.Meta.Recorded, h.Event.Source)
		e.str(h.Group.ID)
		e.uvarint(uint64(h.Group.Index))
		e.uvarint(uint64(h.Group.Size))
		b, err := h.Event.MarshalJSON()
		if err != nil {
			return err
		}
		e.str(string(b))
	}

	blocs := s.blocRecs()
	e.uvarint(uint64(len(blocs)))
	for _, r := range blocs {
		e.head(r.id, r.seq, r.recorded, r.source)
		b, err := r.ev.MarshalJSON()
		if err != nil {
			return err
		}
		e.str(string(b))
	}

	rej := s.Rejected()
	e.uvarint(uint64(len(rej)))
	for _, r := range rej {
		e.uvarint(r.Seq)
		e.str(r.ID)
		e.str(r.Reason)
		e.varint(r.At.UnixNano())
	}
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

// ReadSnapshot reads a state written by WriteSnapshot.
func ReadSnapshot(r io.Reader) (*State, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSnapshot, err)
	}
	return DecodeSnapshot(b)
}

// DecodeSnapshot decodes a state written by WriteSnapshot from its bytes,
// without copying them first (a checkpoint of the whole record is 60 MB).
// The state keeps none of b: the caller may reuse it.
func DecodeSnapshot(b []byte) (*State, error) {
	d := &dec{b: b}
	s, err := d.state()
	if errors.Is(err, ErrSnapshotFormat) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSnapshot, err)
	}
	return s, nil
}

// snapRefs gives an observation's references into a snapshot's string
// table (actor, topic, motion, source, address, citation, document,
// producer), made on first use in that order. The references are kept
// per interned actor, shared record and producer, not per observation:
// a table of the record's 1.13 million observations' references took 72
// MB while a checkpoint was written.
type snapRefs struct {
	v        *vocab
	ref      func(string) uint64
	actor    []uint64    // by interned actor, +1 (0: not made yet)
	shared   [][6]uint64 // by shared record (valid where sharedOK)
	sharedOK []bool
	producer [len(producers)]uint64 // +1
}

func newSnapRefs(v *vocab, ref func(string) uint64) *snapRefs {
	n := len(v.shared.all())
	return &snapRefs{v: v, ref: ref, actor: make([]uint64, len(v.countries.all())), shared: make([][6]uint64, n), sharedOK: make([]bool, n)}
}

// of returns o's references, making those not made yet.
func (r *snapRefs) of(o *obs) [8]uint64 {
	v := r.v
	if r.actor[o.actor] == 0 {
		r.actor[o.actor] = r.ref(o.Actor(v).String()) + 1
	}
	if !r.sharedOK[o.shared] {
		sh := v.shared.get(o.shared)
		r.shared[o.shared] = [6]uint64{r.ref(v.topics.get(sh.topic).String()), r.ref(v.motions.get(sh.motion).String()), r.ref(v.strs.get(sh.source)),
			r.ref(v.strs.get(sh.url)), r.ref(v.strs.get(sh.citation)), r.ref(v.strs.get(sh.document))}
		r.sharedOK[o.shared] = true
	}
	if r.producer[o.producer] == 0 {
		r.producer[o.producer] = r.ref(o.Producer().String()) + 1
	}
	sh := &r.shared[o.shared]
	return [8]uint64{r.actor[o.actor] - 1, sh[0], sh[1], sh[2], sh[3], sh[4], sh[5], r.producer[o.producer] - 1}
}

// writeRecords writes observations, each with its references into the
// string table, sequences and times as deltas from the one before.
func (s *State) writeRecords(e *enc, pos []*obs, refs *snapRefs) {
	var prevSeq uint64
	var prevRec int64
	for _, o := range pos {
		e.raw(o.id[:])
		e.uvarint(o.seq - prevSeq)
		e.varint(o.recorded - prevRec)
		prevSeq, prevRec = o.seq, o.recorded
		e.varint(int64(o.day))
		var flags byte
		v := s.vocab
		at := o.at(v)
		if !at.IsZero() {
			flags |= 1
		}
		if o.offset(v) >= 0 {
			flags |= 2
		}
		if o.flags&obsCorrects != 0 {
			flags |= 4
		}
		e.raw([]byte{flags, o.stance, o.from})
		if flags&1 != 0 {
			e.varint(at.Unix())
			e.uvarint(uint64(at.Nanosecond()))
		}
		if flags&2 != 0 {
			e.uvarint(uint64(o.offset(v)))
		}
		if flags&4 != 0 {
			sup := o.Supersedes(v)
			e.raw(sup[:])
		}
		for _, r := range refs.of(o) {
			e.uvarint(r)
		}
		e.u64(math.Float64bits(o.conf(s.vocab)))
		e.str(o.quote(v))
	}
}

// snapshotBlocks is how many blocks the records of a snapshot are written
// in: two for a large state, decoded at once on two cores (a restart of
// the whole record waits for nothing else), one for a small one.
func snapshotBlocks(n int) int {
	if n < 1<<14 {
		return 1
	}
	return 2
}

// Digest returns a hash of the state's contents: two states that hold the
// same events at the same sequences have the same digest.
func (s *State) Digest() string {
	h := sha256.New()
	if err := s.WriteSnapshot(h); err != nil {
		panic(err) // writing to a hash cannot fail but for an unencodable motion, which Apply never accepts
	}
	return hex.EncodeToString(h.Sum(nil))
}

type enc struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
	err error
}

func (e *enc) raw(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}
func (e *enc) uvarint(v uint64) { e.raw(e.buf[:binary.PutUvarint(e.buf[:], v)]) }
func (e *enc) varint(v int64)   { e.raw(e.buf[:binary.PutVarint(e.buf[:], v)]) }
func (e *enc) u64(v uint64)     { binary.LittleEndian.PutUint64(e.buf[:8], v); e.raw(e.buf[:8]) }
func (e *enc) str(s string) {
	e.uvarint(uint64(len(s)))
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}
func (e *enc) head(id uuid.UUID, seq uint64, recorded time.Time, source string) {
	e.raw(id[:])
	e.uvarint(seq)
	e.varint(recorded.UnixNano())
	e.str(source)
}

// dec reads a snapshot held in memory.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *dec) raw(n int) []byte {
	if d.err != nil || n < 0 || n > len(d.b) {
		d.fail(io.ErrUnexpectedEOF)
		return make([]byte, max(n, 0))
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

func (d *dec) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(io.ErrUnexpectedEOF)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// varint reads what binary.AppendVarint wrote: a zigzag-coded uvarint.
func (d *dec) varint() int64 {
	v := d.uvarint()
	return int64(v>>1) ^ -int64(v&1)
}

func (d *dec) u64() uint64 { return binary.LittleEndian.Uint64(d.raw(8)) }

func (d *dec) id() uuid.UUID {
	var u uuid.UUID
	copy(u[:], d.raw(16))
	return u
}

func (d *dec) str() string {
	n := d.uvarint()
	if n > events.MaxEventSize {
		d.fail(fmt.Errorf("string of %d bytes", n))
		return ""
	}
	return string(d.raw(int(n)))
}

func (d *dec) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) { // every record takes at least a byte
		d.fail(fmt.Errorf("count %d beyond the end", n))
		return 0
	}
	return int(n)
}

// parseOr parses s with parse, the empty string as the zero value; a
// value that does not parse fails the read.
func parseOr[T any](d *dec, kind, s string, parse func(string) (T, error)) T {
	var zero T
	if s == "" {
		return zero
	}
	v, err := parse(s)
	if err != nil {
		d.fail(fmt.Errorf("%s %q: %v", kind, s, err))
	}
	return v
}

// parsedID interns the value parse reads from a snapshot's string table,
// the empty string as 0.
func parsedID[T comparable](in *interner[T], parse func(string) (T, error)) func(string) (uint32, error) {
	return func(v string) (uint32, error) {
		if v == "" {
			return 0, nil
		}
		x, err := parse(v)
		return in.id(x), err
	}
}

// positions3 reads the observations of a snapshot (format 3 and later)
// straight into the state: no event is rebuilt and applied, each distinct
// string is parsed once, and the records share one allocation. The ids
// the records hold are the state's own: its table's entries are interned
// in s.vocab (the fresh vocabulary New gave it). The records of a format
// 7 snapshot come in blocks, decoded at once, one goroutine a block.
//
// ahead, when not nil, is called with the bytes after the records as soon
// as it is known where they start (format 7: the blocks say their
// lengths), for what follows to be decoded while the records are.
func (d *dec) positions3(s *State, format uint64, ahead func(rest []byte)) {
	table := make([]string, 1, d.count()+1)
	for range cap(table) - 1 {
		table = append(table, d.str())
	}
	n := d.count()
	type block struct {
		d        *dec
		from, to int
		got      blockRecords
	}
	var blocks []*block
	if format >= 7 {
		k := d.count()
		for from := 0; len(blocks) < k && d.err == nil; {
			c, size := d.count(), d.count()
			blocks = append(blocks, &block{d: &dec{b: d.raw(size)}, from: from, to: from + c})
			from += c
		}
		switch {
		case d.err != nil:
		case k == 0:
			d.fail(errors.New("no block of records"))
		case blocks[len(blocks)-1].to != n:
			d.fail(fmt.Errorf("blocks of %d records in all, %d said", blocks[len(blocks)-1].to, n))
		}
	} else {
		blocks = []*block{{d: d, from: 0, to: n}}
	}
	if d.err != nil {
		return
	}
	if format >= 7 && ahead != nil {
		ahead(d.b)
	}
	handle := s.positions.grow(n)
	s.positions.reserve(s.positions.len() + n)
	// The index by id is filled on one more goroutine, a run of decoded
	// observations at a time: its inserts miss the cache once each, and
	// they were a third of a restore's time on one core.
	positions := &s.positions
	runs := make(chan [2]int, 64)
	indexed := make(chan uuid.UUID, 1) // the first id seen twice, or uuid.Nil
	go func() {
		twice := uuid.Nil
		for r := range runs {
			for j := r[0]; j < r[1]; j++ {
				if h := handle(j); positions.put(h) && twice == uuid.Nil {
					twice = positions.at(h).id
				}
			}
		}
		indexed <- twice
	}()
	var wg sync.WaitGroup
	for _, b := range blocks[1:] {
		wg.Go(func() { b.got = b.d.records(s.vocab, table, positions, handle, b.from, b.to, runs) })
	}
	blocks[0].got = blocks[0].d.records(s.vocab, table, positions, handle, blocks[0].from, blocks[0].to, runs)
	wg.Wait()
	close(runs)
	twice := <-indexed
	// In block order, which is sequence order: a series' records, and the
	// corrections of a position, stay in the order they were written.
	// Each series is allocated once, at its length (appended block by
	// block, the second block's part would double the first's capacity:
	// 9 MB of slack with the whole record).
	sizes := map[[2]uint32]int{}
	for _, b := range blocks {
		for k, list := range b.got.series {
			sizes[k] += len(list)
		}
	}
	for _, b := range blocks {
		if b.d.err != nil {
			d.fail(b.d.err)
			return
		}
		for _, k := range b.got.keys {
			sr := s.seriesFor(seriesKey{s.vocab.countries.get(k[0]), s.vocab.topics.get(k[1])})
			if sr.obs == nil {
				sr.obs = make([]*obs, 0, sizes[k])
			}
			sr.obs = append(sr.obs, b.got.series[k]...)
		}
		maps.Copy(s.vocab.extras, b.got.extras)
		for _, o := range b.got.corrections {
			t := o.Supersedes(s.vocab)
			s.correctedBy[t] = append(s.correctedBy[t], o)
		}
		s.count += b.to - b.from
	}
	// Written by sequence, a series is in order of occurrence when it was
	// recorded in that order; the others are sorted, half of them on a
	// second goroutine.
	unsorted := make([]*series, 0, len(s.series))
	for _, sr := range s.series {
		if !slices.IsSortedFunc(sr.obs, s.vocab.obsLess) {
			unsorted = append(unsorted, sr)
		}
	}
	half := len(unsorted) / 2
	wg.Go(func() {
		for _, sr := range unsorted[:half] {
			slices.SortFunc(sr.obs, s.vocab.obsLess)
		}
	})
	for _, sr := range unsorted[half:] {
		slices.SortFunc(sr.obs, s.vocab.obsLess)
	}
	wg.Wait()
	// A second record of an id replaces the first in the index (and the
	// snapshot is refused).
	if twice != uuid.Nil {
		d.fail(fmt.Errorf("observation %s twice", twice))
	}
}

// blockRecords is what a block of records adds to the state besides the
// records themselves, for the state's one goroutine to add in order.
type blockRecords struct {
	keys        [][2]uint32          // the series the block's records are in, in order of first record
	series      map[[2]uint32][]*obs // by interned actor and topic
	corrections []*obs               // records that supersede another, in order
	extras      map[*obs]*obsExtra   // the rare parts of its records (vocab.extras)
}

// records decodes records from up to to (the i-th in at's chunks at
// handle(i), made by grow) from d (a block, or the rest of a format 6
// snapshot), sending the runs it completes to the index's goroutine. The vocabulary's interners are safe for concurrent use; the
// caches of the table's entries are the block's own.
func (d *dec) records(voc *vocab, table []string, at *obsIndex, handle func(int) uint32, from, to int, runs chan<- [2]int) blockRecords {
	got := blockRecords{series: map[[2]uint32][]*obs{}, extras: map[*obs]*obsExtra{}}
	// Each record's series (a number in order of first use), and how many
	// records each has: the lists are made after, at their length (grown
	// record by record they were an eighth of a restore).
	seriesOf := make([]int32, to-from)
	index := map[[2]uint32]int32{}
	var counts []int
	// Interned ids of each table entry, by kind, made on first use.
	type idCache []int64
	newCache := func() idCache {
		c := make(idCache, len(table))
		for j := range c {
			c[j] = -1
		}
		return c
	}
	actors, topics, motions, strs, producers := newCache(), newCache(), newCache(), newCache(), newCache()
	id := func(cache idCache, kind string, i uint64, intern func(string) (uint32, error)) uint32 {
		if d.err != nil {
			return 0
		}
		if i >= uint64(len(table)) {
			d.fail(fmt.Errorf("string %d of %d", i, len(table)))
			return 0
		}
		if cache[i] < 0 {
			v, err := intern(table[i])
			if err != nil {
				d.fail(fmt.Errorf("%s %q: %v", kind, table[i], err))
				return 0
			}
			cache[i] = int64(v)
		}
		return uint32(cache[i])
	}
	str := func(x string) (uint32, error) { return voc.strs.id(x), nil }
	country := parsedID(&voc.countries, events.ParseCountry)
	topic := parsedID(&voc.topics, events.ParseTopic)
	motion := parsedID(&voc.motions, events.ParseMotionID)
	producer := func(v string) (uint32, error) {
		if v == "" {
			return 0, nil
		}
		p, err := events.ParseProducer(v)
		return uint32(producerIDs[p]), err
	}
	// Confidences repeat (a roll call's are all 1): the last one's index
	// is kept at hand.
	lastConf, lastConfID := 1.0, voc.confs.id(1)
	conf := func(c float64) uint32 {
		if c != lastConf {
			lastConf, lastConfID = c, voc.confs.id(c)
		}
		return lastConfID
	}
	// So do the records an observation shares with its roll call's others,
	// written one after another.
	var lastShared shared
	var lastSharedID uint32
	sent := from
	defer func() {
		if sent < to && d.err == nil {
			runs <- [2]int{sent, to}
		}
	}()
	var seq uint64
	var rec int64
	for i := from; i < to; i++ {
		o := at.at(handle(i))
		o.id = d.id()
		seq += d.uvarint()
		rec += d.varint()
		o.seq, o.recorded = seq, rec
		o.day = int32(d.varint())
		hdr := d.raw(3)
		flags := hdr[0]
		o.stance, o.from = hdr[1], hdr[2]
		if flags&1 != 0 {
			sec := d.varint()
			nsec := d.uvarint()
			o.more(got.extras).at = time.Unix(sec, int64(nsec)).UTC()
			o.flags |= obsAt
		}
		if flags&2 != 0 {
			o.more(got.extras).offset = int64(d.uvarint())
		}
		if flags&4 != 0 {
			o.more(got.extras).supersedes = d.id()
			o.flags |= obsCorrects
		}
		o.actor = id(actors, "actor", d.uvarint(), country)
		sh := shared{
			topic:    id(topics, "topic", d.uvarint(), topic),
			motion:   id(motions, "motion", d.uvarint(), motion),
			source:   id(strs, "string", d.uvarint(), str),
			url:      id(strs, "string", d.uvarint(), str),
			citation: id(strs, "string", d.uvarint(), str),
			document: id(strs, "string", d.uvarint(), str),
		}
		o.producer = uint8(id(producers, "producer", d.uvarint(), producer))
		sh.conf = conf(math.Float64frombits(d.u64()))
		if sh != lastShared {
			lastShared, lastSharedID = sh, voc.shared.id(sh)
		}
		o.shared = lastSharedID
		topicID := sh.topic
		if q := d.str(); q != "" {
			o.more(got.extras).quote = q
		}
		if d.err != nil {
			return got
		}
		if _, ok := events.StanceFromRank(int(o.stance)); !ok || o.stance == 0 || o.actor == 0 || topicID == 0 {
			d.fail(fmt.Errorf("observation %s is incomplete", o.id))
			return got
		}
		if i+1-sent == 4096 {
			runs <- [2]int{sent, i + 1}
			sent = i + 1
		}
		k := [2]uint32{o.actor, topicID}
		j, ok := index[k]
		if !ok {
			j = int32(len(got.keys))
			index[k] = j
			got.keys = append(got.keys, k)
			counts = append(counts, 0)
		}
		seriesOf[i-from] = j
		counts[j]++
		if o.flags&obsCorrects != 0 {
			got.corrections = append(got.corrections, o)
		}
	}
	// Each series' list made once at its length, then filled in order.
	lists := make([][]*obs, len(got.keys))
	for j, c := range counts {
		lists[j] = make([]*obs, 0, c)
	}
	for i := from; i < to; i++ {
		j := seriesOf[i-from]
		lists[j] = append(lists[j], at.at(handle(i)))
	}
	for j, k := range got.keys {
		got.series[k] = lists[j]
	}
	return got
}

// head reads what precedes every event of the sections after the
// records: its id, sequence, time recorded and source.
func (d *dec) head() (uuid.UUID, Meta, string) {
	id := d.id()
	seq := d.uvarint()
	rec := time.Unix(0, d.varint()).UTC()
	src := d.str()
	return id, Meta{Seq: seq, Recorded: rec}, src
}

// jsonEvents are the events of a section of a snapshot written as JSON,
// each after its id, sequence, time recorded and source.
type jsonEvents struct {
	evs   []events.Event
	metas []Meta
	rest  []byte // what follows the section
	err   error
}

// decodeJSONEvents decodes a section of events written as JSON from d;
// what names an event in an error.
func decodeJSONEvents(d *dec, what string) jsonEvents {
	var out jsonEvents
	n := d.count()
	out.evs, out.metas = make([]events.Event, 0, n), make([]Meta, 0, n)
	for range n {
		id, m, _ := d.head() // the source is in the JSON too
		raw := d.str()
		if d.err != nil {
			out.err = d.err
			return out
		}
		ev, err := events.Decode([]byte(raw))
		if err != nil {
			out.err = fmt.Errorf("%s %s: %v", what, id, err)
			return out
		}
		out.evs, out.metas = append(out.evs, ev), append(out.metas, m)
	}
	out.rest = d.b
	return out
}

func (d *dec) state() (*State, error) {
	if m := d.raw(len(snapshotMagic)); d.err != nil || !bytes.Equal(m, []byte(snapshotMagic)) {
		return nil, errors.New("not a stancewatch snapshot")
	}
	format := d.uvarint()
	if format < OldestSnapshotFormat || format > SnapshotFormat {
		return nil, fmt.Errorf("%w: snapshot format %d, this version reads formats %d to %d", ErrSnapshotFormat, format, OldestSnapshotFormat, SnapshotFormat)
	}
	s := New()
	s.restoring = true
	defer func() { s.restoring = false }()
	// The header's last sequence also counts duplicates and skipped events
	// after the last record; Apply below never moves it further.
	s.lastSeq = d.uvarint()
	s.lastID = d.id()
	// apply applies a section of events written as JSON.
	apply := func(sec jsonEvents) error {
		if sec.err != nil {
			return sec.err
		}
		for i, ev := range sec.evs {
			s.Apply(ev, sec.metas[i])
		}
		return nil
	}
	// The motions, written as JSON after the records, are decoded on
	// another goroutine while the records are (a fifth of a restore's
	// time with the whole record), and applied after them.
	var motions chan jsonEvents
	d.positions3(s, format, func(rest []byte) {
		motions = make(chan jsonEvents, 1)
		go func() { motions <- decodeJSONEvents(&dec{b: rest}, "motion") }()
	})
	var mots jsonEvents
	if motions != nil {
		mots = <-motions
		if d.err == nil {
			d.b = mots.rest
		}
	} else {
		mots = decodeJSONEvents(d, "motion")
	}
	if d.err != nil {
		return nil, d.err
	}
	if err := apply(mots); err != nil {
		return nil, err
	}
	for range d.count() {
		id, m, src := d.head()
		var r events.Retraction
		r.Target = d.id()
		r.Reason = d.str()
		r.Actor = parseOr(d, "actor", d.str(), events.ParseCountry)
		r.Topic = parseOr(d, "topic", d.str(), events.ParseTopic)
		if d.err != nil {
			return nil, d.err
		}
		s.Apply(events.Event{ID: id, Source: src, SchemaVersion: events.CurrentSchemaVersion, Data: r}, m)
	}
	if err := apply(decodeJSONEvents(d, "review")); err != nil {
		return nil, err
	}
	for range d.count() {
		id, m, _ := d.head()
		g := Group{ID: d.str(), Index: int(d.uvarint()), Size: int(d.uvarint())}
		raw := d.str()
		if d.err != nil {
			return nil, d.err
		}
		ev, err := events.Decode([]byte(raw))
		if err != nil {
			return nil, fmt.Errorf("held event %s: %v", id, err)
		}
		if done := s.Hold(ev, m, g); done != nil {
			return nil, fmt.Errorf("held event %s completes group %s: a snapshot holds only incomplete groups", id, g.ID)
		}
	}
	if format >= 6 {
		if err := apply(decodeJSONEvents(d, "bloc definition")); err != nil {
			return nil, err
		}
	}
	for range d.count() {
		seq := d.uvarint()
		id := d.str()
		reason := d.str()
		at := time.Unix(0, d.varint()).UTC()
		if d.err != nil {
			return nil, d.err
		}
		s.rejected[seq] = Rejected{Seq: seq, ID: id, Reason: reason, At: at}
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) > 0 {
		return nil, errors.New("trailing bytes")
	}
	return s, nil
}

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
	"math"
	"slices"
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

// SnapshotFormat is the version of the snapshot layout. ReadSnapshot also
// reads format 1 (evidence with one source string, schema version 1), so
// a checkpoint written before the change can still be served.
const SnapshotFormat = 2

// ErrSnapshot means a snapshot could not be read: corrupt, truncated or
// written by another Version.
var ErrSnapshot = errors.New("unreadable snapshot")

// WriteSnapshot writes the state to w. Records are written in sequence
// order, so two states holding the same events write the same bytes.
func (s *State) WriteSnapshot(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	e := &enc{w: bw}
	e.raw([]byte(snapshotMagic))
	e.uvarint(SnapshotFormat)
	e.uvarint(s.lastSeq)
	e.raw(s.lastID[:])

	pos := make([]*obs, 0, len(s.positions))
	for _, o := range s.positions {
		pos = append(pos, o)
	}
	slices.SortFunc(pos, func(a, b *obs) int { return cmpU64(a.seq, b.seq) })
	e.uvarint(uint64(len(pos)))
	for _, o := range pos {
		e.head(o.id, o.seq, o.Recorded(), o.Source())
		p := o.Position()
		e.str(p.Actor.String())
		e.str(p.Topic.String())
		e.uvarint(uint64(p.Stance.Rank()))
		e.str(p.Motion.String())
		e.varint(int64(p.Occurred.Day().UnixDays()))
		if t, ok := p.Occurred.Instant(); ok {
			e.uvarint(1)
			e.varint(t.UnixNano())
		} else {
			e.uvarint(0)
		}
		e.uvarint(uint64(p.From.Rank()))
		e.raw(p.Supersedes[:])
		e.str(p.Evidence.Quote)
		e.str(p.Evidence.URL)
		e.str(p.Evidence.Citation)
		e.str(p.Evidence.Document)
		if p.Evidence.Offset != nil {
			e.uvarint(uint64(*p.Evidence.Offset) + 1)
		} else {
			e.uvarint(0)
		}
		e.str(p.Evidence.Producer.String())
		e.u64(math.Float64bits(p.Evidence.Confidence))
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
	d := &dec{r: bufio.NewReaderSize(r, 1<<16), memo: map[string]any{}}
	s, err := d.state()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSnapshot, err)
	}
	return s, nil
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

type dec struct {
	r    *bufio.Reader
	err  error
	memo map[string]any // parsed values of repeated strings
}

func (d *dec) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *dec) raw(n int) []byte {
	b := make([]byte, n)
	if d.err == nil {
		_, err := io.ReadFull(d.r, b)
		d.fail(err)
	}
	return b
}
func (d *dec) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d.r)
	d.fail(err)
	return v
}
func (d *dec) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadVarint(d.r)
	d.fail(err)
	return v
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
	if n > 1<<32 {
		d.fail(fmt.Errorf("count %d", n))
		return 0
	}
	return int(n)
}

// parsed parses s with parse, remembering the result: snapshots repeat
// the same actors, topics and sources many times.
func parsed[T any](d *dec, kind, s string, parse func(string) (T, error)) T {
	var zero T
	if s == "" {
		return zero
	}
	k := kind + "\x00" + s
	if v, ok := d.memo[k]; ok {
		return v.(T)
	}
	v, err := parse(s)
	if err != nil {
		d.fail(fmt.Errorf("%s %q: %v", kind, s, err))
		return zero
	}
	d.memo[k] = v
	return v
}

func (d *dec) stance() events.Stance {
	st, ok := events.StanceFromRank(int(d.uvarint()))
	if !ok {
		d.fail(errors.New("bad stance"))
	}
	return st
}

func (d *dec) state() (*State, error) {
	if m := d.raw(len(snapshotMagic)); d.err != nil || !bytes.Equal(m, []byte(snapshotMagic)) {
		return nil, errors.New("not a stancewatch snapshot")
	}
	format := d.uvarint()
	if format < 1 || format > SnapshotFormat {
		return nil, fmt.Errorf("snapshot format %d, this reads formats 1 to %d", format, SnapshotFormat)
	}
	s := New()
	// The header's last sequence also counts duplicates and skipped events
	// after the last record; Apply below never moves it further.
	s.lastSeq = d.uvarint()
	s.lastID = d.id()
	head := func() (uuid.UUID, Meta, string) {
		id := d.id()
		seq := d.uvarint()
		rec := time.Unix(0, d.varint()).UTC()
		src := parsed(d, "source", d.str(), func(s string) (string, error) { return s, nil })
		return id, Meta{Seq: seq, Recorded: rec}, src
	}
	for range d.count() {
		id, m, src := head()
		var p events.Position
		p.Actor = parsed(d, "actor", d.str(), events.ParseCountry)
		p.Topic = parsed(d, "topic", d.str(), events.ParseTopic)
		p.Stance = d.stance()
		p.Motion = parsed(d, "motion", d.str(), events.ParseMotionID)
		day := events.DateFromUnixDays(int(d.varint()))
		if d.uvarint() == 1 {
			p.Occurred = events.At(time.Unix(0, d.varint()))
		} else {
			p.Occurred = events.OnDay(day)
		}
		p.From = d.stance()
		p.Supersedes = d.id()
		p.Evidence.Quote = d.str()
		if format == 1 {
			src := events.SplitSource(d.str())
			p.Evidence.URL, p.Evidence.Citation = src.URL, src.Citation
		} else {
			p.Evidence.URL = parsed(d, "url", d.str(), func(s string) (string, error) { return s, nil })
			p.Evidence.Citation = parsed(d, "citation", d.str(), func(s string) (string, error) { return s, nil })
		}
		p.Evidence.Document = parsed(d, "document", d.str(), func(s string) (string, error) { return s, nil })
		if off := d.uvarint(); off > 0 {
			o := int64(off - 1)
			p.Evidence.Offset = &o
		}
		p.Evidence.Producer = parsed(d, "producer", d.str(), events.ParseProducer)
		p.Evidence.Confidence = math.Float64frombits(d.u64())
		if d.err != nil {
			return nil, d.err
		}
		s.Apply(events.Event{ID: id, Source: src, SchemaVersion: events.CurrentSchemaVersion, Data: p}, m)
	}
	for range d.count() {
		id, m, _ := head()
		raw := d.str()
		if d.err != nil {
			return nil, d.err
		}
		ev, err := events.Decode([]byte(raw))
		if err != nil {
			return nil, fmt.Errorf("motion %s: %v", id, err)
		}
		s.Apply(ev, m)
	}
	for range d.count() {
		id, m, src := head()
		var r events.Retraction
		r.Target = d.id()
		r.Reason = d.str()
		r.Actor = parsed(d, "actor", d.str(), events.ParseCountry)
		r.Topic = parsed(d, "topic", d.str(), events.ParseTopic)
		if d.err != nil {
			return nil, d.err
		}
		s.Apply(events.Event{ID: id, Source: src, SchemaVersion: events.CurrentSchemaVersion, Data: r}, m)
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
	if _, err := d.r.ReadByte(); err != io.EOF {
		return nil, errors.New("trailing bytes")
	}
	return s, nil
}

package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// idIndex is the store's index of the event ids in the stream: how it
// refuses a second copy of an event, forever, now that a subject names
// an actor, topic and producer rather than one event (events/subject.go).
// It maps each id to its sequence and holds 24 bytes an event in a
// sorted slice (plus a map for what came since), where the server's
// index of one subject per event held about 250.
//
// It learns ids three ways: from its file (idsFile) at open, from a
// follower that reads the stream's headers in order (every process's
// appends, and what came after the file), and from this process's own
// acknowledgements at once. An append reserves its id first (reserve),
// so two appends of one id in this process are one store and one
// duplicate. Appends from other processes are covered by the follower
// and, for the few seconds it may lag, by the server's dedup window: a
// single append carries its id as Nats-Msg-Id as well (see message).
type idIndex struct {
	mu      sync.Mutex
	base    []idEntry // sorted by id
	tail    map[uuid.UUID]uint64
	pending map[uuid.UUID]chan struct{} // ids this process is appending
	// upTo: every message up to this sequence is indexed (the follower's
	// place); caughtUp is when the follower last had nothing pending.
	upTo     uint64
	upToID   uuid.UUID // the id at upTo, to check a file against the stream
	caughtUp time.Time
	moved    chan struct{} // closed (and replaced) whenever upTo moves
	ready    bool          // built: the file read and the stream followed to its end once
	err      error         // why it could not be built
	saved    uint64        // upTo of the file last written
}

type idEntry struct {
	id  uuid.UUID
	seq uint64
}

func newIDIndex() *idIndex {
	return &idIndex{tail: map[uuid.UUID]uint64{}, pending: map[uuid.UUID]chan struct{}{}, moved: make(chan struct{})}
}

// get returns where id is stored; the caller holds mu.
func (x *idIndex) get(id uuid.UUID) (uint64, bool) {
	if seq, ok := x.tail[id]; ok {
		return seq, true
	}
	i, ok := slices.BinarySearchFunc(x.base, id, compareEntry)
	if ok {
		return x.base[i].seq, true
	}
	return 0, false
}

// lookup returns where id is stored.
func (x *idIndex) lookup(id uuid.UUID) (uint64, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.get(id)
}

// follow records a message the follower read, in stream order.
func (x *idIndex) follow(id uuid.UUID, seq, pending uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if id != uuid.Nil {
		if _, ok := x.get(id); !ok {
			x.tail[id] = seq
		}
	}
	if seq > x.upTo {
		x.upTo, x.upToID = seq, id
		close(x.moved)
		x.moved = make(chan struct{})
	}
	if pending == 0 {
		x.caughtUp = time.Now()
	}
}

// reservation is an id being appended by this process: stored when the
// append is acknowledged, released either way.
type reservation struct {
	x  *idIndex
	id uuid.UUID
	ch chan struct{}
}

// done ends the reservation; seq > 0 records the id as stored there.
func (r *reservation) done(seq uint64) {
	if r == nil {
		return
	}
	r.x.mu.Lock()
	if seq > 0 {
		if _, ok := r.x.get(r.id); !ok {
			r.x.tail[r.id] = seq
		}
	}
	delete(r.x.pending, r.id)
	r.x.mu.Unlock()
	close(r.ch)
}

// reserve claims id for an append by this process: it returns the
// sequence id is stored at if it is (and no reservation), or waits for
// another append of the same id in this process to end first.
func (x *idIndex) reserve(ctx context.Context, id uuid.UUID) (*reservation, uint64, error) {
	for {
		x.mu.Lock()
		if seq, ok := x.get(id); ok {
			x.mu.Unlock()
			return nil, seq, nil
		}
		wait, busy := x.pending[id]
		if !busy {
			r := &reservation{x: x, id: id, ch: make(chan struct{})}
			x.pending[id] = r.ch
			x.mu.Unlock()
			return r, 0, nil
		}
		x.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, 0, fmt.Errorf("%w: waiting for another append of event %s: %v", eventlog.ErrUnavailable, id, ctx.Err())
		}
	}
}

// tryReserve is reserve without the wait: busy is true when another
// append of id in this process is under way (the caller, which may hold
// reservations of its own, comes back to it after letting them go).
func (x *idIndex) tryReserve(id uuid.UUID) (r *reservation, seq uint64, busy bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if seq, ok := x.get(id); ok {
		return nil, seq, false
	}
	if _, busy := x.pending[id]; busy {
		return nil, 0, true
	}
	r = &reservation{x: x, id: id, ch: make(chan struct{})}
	x.pending[id] = r.ch
	return r, 0, false
}

// waitFor returns once the index holds every message up to seq.
func (x *idIndex) waitFor(ctx context.Context, seq uint64) error {
	for {
		x.mu.Lock()
		up, moved, err := x.upTo, x.moved, x.err
		x.mu.Unlock()
		if err != nil {
			return err
		}
		if up >= seq {
			return nil
		}
		select {
		case <-moved:
		case <-ctx.Done():
			return fmt.Errorf("%w: the id index reached sequence %d of %d: %v", eventlog.ErrUnavailable, up, seq, ctx.Err())
		}
	}
}

// fresh reports whether the follower had caught up with the stream
// within d.
func (x *idIndex) fresh(d time.Duration) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.ready && time.Since(x.caughtUp) < d
}

// snapshot returns the index's entries, sorted by id.
func (x *idIndex) snapshot() []idEntry {
	x.mu.Lock()
	entries := make([]idEntry, 0, len(x.base)+len(x.tail))
	entries = append(entries, x.base...)
	for id, seq := range x.tail {
		entries = append(entries, idEntry{id, seq})
	}
	x.mu.Unlock()
	slices.SortFunc(entries, func(a, b idEntry) int { return bytes.Compare(a.id[:], b.id[:]) })
	return entries
}

// compact moves into the sorted slice the entries of a snapshot: a map
// entry costs about twice a slice entry. What came after the snapshot
// stays in the map.
func (x *idIndex) compact(entries []idEntry) {
	x.mu.Lock()
	defer x.mu.Unlock()
	tail := make(map[uuid.UUID]uint64)
	for id, seq := range x.tail {
		if _, ok := slices.BinarySearchFunc(entries, id, compareEntry); !ok {
			tail[id] = seq
		}
	}
	x.base, x.tail = entries, tail // a new map: a Go map never shrinks
}

func compareEntry(e idEntry, id uuid.UUID) int { return bytes.Compare(e.id[:], id[:]) }

// idOf reads the event id a message of the stream was stored with: its
// IDHeader, or the id its subject ends with (the earlier layout, reviews
// and bloc definitions); uuid.Nil when it has neither.
func idOf(h nats.Header, subject string) uuid.UUID {
	if v := h.Get(eventlog.IDHeader); v != "" {
		if id, err := uuid.Parse(v); err == nil {
			return id
		}
	}
	if id, ok := events.IDOfSubject(subject); ok {
		return id
	}
	return uuid.Nil
}

// The id index's file: a header (magic, stream, place), the entries
// sorted by id (16 bytes of id, 8 of sequence, big-endian), and the
// SHA-256 of all that. It is written whole by rename, only with what is
// on disk in the stream, and checked against the stream when read.
const idsMagic = "stancewatch ids 1\n"

// idsPath is where an embedded store keeps its id index.
func (s *Store) idsPath() string {
	return filepath.Join(s.cfg.DataDir, "ids", s.cfg.Stream+".ids")
}

func writeIDs(path, stream string, entries []idEntry, upTo uint64, upToID uuid.UUID) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".ids-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	h := sha256.New()
	w := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	var b [24]byte
	w.WriteString(idsMagic)
	binary.BigEndian.PutUint32(b[:4], uint32(len(stream)))
	w.Write(b[:4])
	w.WriteString(stream)
	binary.BigEndian.PutUint64(b[:8], upTo)
	w.Write(b[:8])
	w.Write(upToID[:])
	binary.BigEndian.PutUint64(b[:8], uint64(len(entries)))
	w.Write(b[:8])
	for _, e := range entries {
		copy(b[:16], e.id[:])
		binary.BigEndian.PutUint64(b[16:], e.seq)
		w.Write(b[:])
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if _, err := f.Write(h.Sum(nil)); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if err := syncPath(filepath.Dir(path)); err != nil {
		return err
	}
	return syncPath(filepath.Dir(filepath.Dir(path)))
}

// errIDsFile: the id index's file is unreadable or not this stream's.
var errIDsFile = errors.New("id index file unusable")

func readIDs(path, stream string) (entries []idEntry, upTo uint64, upToID uuid.UUID, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, uuid.Nil, err
	}
	bad := func(why string) error { return fmt.Errorf("%w: %s: %s", errIDsFile, path, why) }
	if len(data) < sha256.Size {
		return nil, 0, uuid.Nil, bad("too short")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, 0, uuid.Nil, bad("checksum mismatch (torn or damaged)")
	}
	rest, ok := bytes.CutPrefix(body, []byte(idsMagic))
	if !ok || len(rest) < 4 {
		return nil, 0, uuid.Nil, bad("not an id index")
	}
	n := int(binary.BigEndian.Uint32(rest))
	if rest = rest[4:]; len(rest) < n+8+16+8 || string(rest[:n]) != stream {
		return nil, 0, uuid.Nil, bad("another stream's")
	}
	rest = rest[n:]
	upTo = binary.BigEndian.Uint64(rest)
	copy(upToID[:], rest[8:24])
	count := binary.BigEndian.Uint64(rest[24:])
	rest = rest[32:]
	if uint64(len(rest)) != count*24 {
		return nil, 0, uuid.Nil, bad("entry count does not match its length")
	}
	entries = make([]idEntry, count)
	for i := range entries {
		copy(entries[i].id[:], rest[i*24:])
		entries[i].seq = binary.BigEndian.Uint64(rest[i*24+16:])
	}
	return entries, upTo, upToID, nil
}

// loadIDs fills the index from its file when the file matches the
// stream: the stream holds its last sequence, and the message there has
// the id the file says. Anything else (no file, a torn one, another
// stream's, a stream restored from elsewhere) starts the index empty,
// and the follower reads the whole stream.
func (s *Store) loadIDs(ctx context.Context) {
	if s.srv == nil {
		return
	}
	entries, upTo, upToID, err := readIDs(s.idsPath(), s.cfg.Stream)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return
	case err != nil:
		s.log.Warn("id index: reading every id from the stream instead", "err", err)
		return
	}
	if upTo > 0 {
		m, err := s.stream.GetMsg(ctx, upTo)
		if err != nil || idOf(m.Header, m.Subject) != upToID {
			s.log.Warn("id index: its file does not match the stream; reading every id from the stream instead", "seq", upTo, "err", err)
			return
		}
	}
	s.ids.mu.Lock()
	s.ids.base, s.ids.upTo, s.ids.upToID, s.ids.saved = entries, upTo, upToID, upTo
	s.ids.mu.Unlock()
}

// compactIDs moves the index's map into its sorted slice and, on an
// embedded store, writes its file with it. The file holds only what is on
// disk in the stream: the fsync comes first, and a stream loses only a
// suffix in a crash, so if the message at the file's place survived, so
// did every one before it (loadIDs checks that one).
func (s *Store) compactIDs(ctx context.Context) error {
	// The file's place: what the follower has read before the fsync,
	// all of it on disk once the fsync returns.
	s.ids.mu.Lock()
	upTo, upToID, saved := s.ids.upTo, s.ids.upToID, s.ids.saved
	s.ids.mu.Unlock()
	if s.srv != nil {
		if err := s.durable(ctx); err != nil {
			return err
		}
	}
	entries := s.ids.snapshot()
	s.ids.compact(entries)
	if s.srv == nil || upTo == 0 || upTo == saved {
		return nil
	}
	// This process's own acknowledgements past the follower's place may
	// not be on disk yet: the next start reads them from the stream.
	durable := entries
	if slices.ContainsFunc(entries, func(e idEntry) bool { return e.seq > upTo }) {
		durable = slices.DeleteFunc(slices.Clone(entries), func(e idEntry) bool { return e.seq > upTo })
	}
	if err := writeIDs(s.idsPath(), s.cfg.Stream, durable, upTo, upToID); err != nil {
		return fmt.Errorf("writing the id index: %w", err)
	}
	s.ids.mu.Lock()
	s.ids.saved = max(s.ids.saved, upTo)
	s.ids.mu.Unlock()
	return nil
}

// idsCompactEvery is how many ids the index's map may gather before they
// move to the sorted slice (and, on an embedded store, its file).
const idsCompactEvery = 200_000

// idsSaveAfterLoad is how many ids a grouped bulk load must leave in the
// index's map for it to be saved when the load ends.
const idsSaveAfterLoad = 10_000

// followIDs builds the id index and keeps it current: it reads the
// stream's headers in order from where the file left off, until stop.
// ready is closed once it has read to the end the stream had at start.
func (s *Store) followIDs(ctx context.Context, stop <-chan struct{}, ready chan<- error) {
	fail := func(err error) {
		s.ids.mu.Lock()
		s.ids.err = err
		close(s.ids.moved)
		s.ids.moved = make(chan struct{})
		s.ids.mu.Unlock()
		if ready != nil {
			ready <- err
		}
	}
	s.loadIDs(ctx)
	s.ids.mu.Lock()
	from := s.ids.upTo + 1
	s.ids.mu.Unlock()
	last, err := s.LastSeq(ctx)
	if err != nil {
		fail(err)
		return
	}
	cons, err := s.js.OrderedConsumer(ctx, s.cfg.Stream, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy, // unfiltered, as Read
		OptStartSeq:   from,
		HeadersOnly:   true,
	})
	if err != nil {
		fail(fmt.Errorf("id index: %w", s.wrap(err)))
		return
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(4096))
	if err != nil {
		fail(fmt.Errorf("id index: %w", s.wrap(err)))
		return
	}
	go func() {
		<-stop
		it.Stop()
	}()
	markReady := func() {
		s.ids.mu.Lock()
		s.ids.ready = true
		s.ids.caughtUp = time.Now()
		s.ids.mu.Unlock()
		if ready != nil {
			close(ready)
			ready = nil
		}
	}
	if from > last {
		markReady()
	}
	for {
		msg, err := it.Next()
		if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
			return
		}
		if err != nil {
			continue // a missed heartbeat, a reconnect: the consumer recreates itself
		}
		md, err := msg.Metadata()
		if err != nil {
			continue
		}
		seq := md.Sequence.Stream
		id := idOf(msg.Headers(), msg.Subject())
		if id == uuid.Nil {
			// Published by something other than a store (a raw client):
			// read the id from the event itself.
			if m, err := s.stream.GetMsg(ctx, seq); err == nil {
				if ev, err := events.Decode(m.Data); err == nil {
					id = ev.ID
				}
			}
		}
		s.ids.follow(id, seq, md.NumPending)
		if ready != nil && seq >= last {
			markReady()
		}
		s.ids.mu.Lock()
		grown := len(s.ids.tail) >= idsCompactEvery
		s.ids.mu.Unlock()
		if grown {
			if err := s.compactIDs(ctx); err != nil {
				s.log.Warn("id index: not saved", "err", err)
			}
		}
	}
}

// syncIDs returns once the id index holds every message the stream had
// when it was called, unless the follower caught up within recent (then
// what it has not read yet came within the server's dedup window).
func (s *Store) syncIDs(ctx context.Context, recent time.Duration) error {
	if err := s.idsReady(ctx); err != nil {
		return err
	}
	if recent > 0 && s.ids.fresh(recent) {
		return nil
	}
	last, err := s.LastSeq(ctx)
	if err != nil {
		return err
	}
	return s.ids.waitFor(ctx, last)
}

// idsReady starts the id index on first use and waits until it is built.
func (s *Store) idsReady(ctx context.Context) error {
	s.idsOnce.Do(func() {
		s.idsBuilt = make(chan error, 1)
		s.idsStop = make(chan struct{})
		s.idsDone = make(chan struct{})
		go func() {
			defer close(s.idsDone)
			s.followIDs(context.Background(), s.idsStop, s.idsBuilt)
		}()
	})
	select {
	case err, ok := <-s.idsBuilt:
		if ok {
			// Keep the answer for the next caller.
			s.idsBuilt <- err
			return err
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: the id index is still being built: %v", eventlog.ErrUnavailable, ctx.Err())
	}
}

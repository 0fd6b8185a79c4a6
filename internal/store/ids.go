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
	// own holds the sequences past upTo of this process's acknowledged
	// appends: the index moves over them without reading them.
	own map[uint64]struct{}
	// upTo: every message up to this sequence is indexed; caughtUp is
	// when upTo last reached the stream's end.
	upTo     uint64
	upToID   uuid.UUID // the id at upTo (Nil: not read), to check a file against the stream
	caughtUp time.Time
	ready    bool   // built: the file read and the stream read to its end once
	saved    uint64 // upTo of the file last written
	// remote: the index only caches what a serving process's index
	// answered (idservice.go), and this process's own appends.
	remote bool
}

type idEntry struct {
	id  uuid.UUID
	seq uint64
}

func newIDIndex() *idIndex {
	return &idIndex{tail: map[uuid.UUID]uint64{}, pending: map[uuid.UUID]chan struct{}{}, own: map[uint64]struct{}{}}
}

// add records id as stored at seq unless it is known already; the caller
// holds mu.
func (x *idIndex) add(id uuid.UUID, seq uint64) {
	if _, ok := x.get(id); !ok {
		x.tail[id] = seq
	}
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

// follow records a message read from the stream, in stream order.
func (x *idIndex) follow(id uuid.UUID, seq uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if id != uuid.Nil {
		x.add(id, seq)
	}
	if seq > x.upTo {
		x.upTo, x.upToID = seq, id
	}
	delete(x.own, seq)
}

// known records where a serving process's index says id is stored.
func (x *idIndex) known(id uuid.UUID, seq uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.add(id, seq)
}

// skipOwn moves upTo over this process's own appends that follow it, and
// returns the first sequence it has to read.
func (x *idIndex) skipOwn() uint64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	for {
		if _, ok := x.own[x.upTo+1]; !ok {
			return x.upTo + 1
		}
		delete(x.own, x.upTo+1)
		x.upTo++
		x.upToID = uuid.Nil
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
	if _, ok := r.x.get(r.id); !ok && seq > 0 {
		r.x.tail[r.id] = seq
		if seq > r.x.upTo && !r.x.remote {
			r.x.own[seq] = struct{}{}
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

// fresh reports whether the index had read to the stream's end within d.
func (x *idIndex) fresh(d time.Duration) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.ready && time.Since(x.caughtUp) < d
}

// snapshot returns the index's entries, sorted by id: the sorted slice
// merged with the map's entries, sorted on their own.
func (x *idIndex) snapshot() []idEntry {
	x.mu.Lock()
	base := x.base
	tail := make([]idEntry, 0, len(x.tail))
	for id, seq := range x.tail {
		tail = append(tail, idEntry{id, seq})
	}
	x.mu.Unlock()
	// base is never written in place (compact replaces it), so it is
	// read here without the lock.
	slices.SortFunc(tail, func(a, b idEntry) int { return bytes.Compare(a.id[:], b.id[:]) })
	out := make([]idEntry, 0, len(base)+len(tail))
	i, j := 0, 0
	for i < len(base) && j < len(tail) {
		if bytes.Compare(base[i].id[:], tail[j].id[:]) <= 0 {
			out = append(out, base[i])
			i++
		} else {
			out = append(out, tail[j])
			j++
		}
	}
	out = append(out, base[i:]...)
	return append(out, tail[j:]...)
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
	upTo, upToID, saved, grown := s.ids.upTo, s.ids.upToID, s.ids.saved, len(s.ids.tail) > 0
	s.ids.mu.Unlock()
	if !grown && (s.srv == nil || upTo == saved) {
		return nil // a Close after reading only: nothing to move or write
	}
	if s.srv != nil {
		if err := s.durable(ctx); err != nil {
			return err
		}
		if upToID == uuid.Nil && upTo > 0 && upTo != saved {
			// upTo moved over this process's own appends: read the id
			// the file's check will expect there.
			m, err := s.stream.GetMsg(ctx, upTo)
			if err != nil {
				return s.wrap(err)
			}
			if upToID = s.idOfMsg(ctx, m); upToID == uuid.Nil {
				return fmt.Errorf("the event at sequence %d has no id", upTo)
			}
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

// saveIDs brings the index to the stream's end and writes its file.
func (s *Store) saveIDs(ctx context.Context) error {
	if err := s.syncIDs(ctx, 0); err != nil {
		return err
	}
	return s.compactIDs(ctx)
}

// idsCompactEvery is how many ids the index's map may gather before they
// move to the sorted slice (and, on an embedded store, its file).
const idsCompactEvery = 200_000

// idsScanFrom is how far behind the stream's end the index reads with a
// consumer of the stream's headers rather than message by message.
const idsScanFrom = 2048

// idsTick is how often the index catches up with the stream by itself,
// so that an append rarely has to ask where the stream ends (fresh).
const idsTick = time.Second

// idOfMsg reads the event id of a stored message: its header, its
// subject, or, for a message a raw client published, its bytes.
func (s *Store) idOfMsg(ctx context.Context, m *jetstream.RawStreamMsg) uuid.UUID {
	if id := idOf(m.Header, m.Subject); id != uuid.Nil {
		return id
	}
	if ev, err := events.Decode(m.Data); err == nil {
		return ev.ID
	}
	return uuid.Nil
}

// buildIDs reads the index's file and then the stream from where the
// file left off to its end.
func (s *Store) buildIDs(ctx context.Context) error {
	s.loadIDs(ctx)
	last, err := s.LastSeq(ctx)
	if err != nil {
		return err
	}
	if err := s.catchUpIDs(ctx, last, -1); err != nil {
		return err
	}
	s.ids.mu.Lock()
	s.ids.ready = true
	s.ids.mu.Unlock()
	return nil
}

// catchUpIDs brings the index to sequence last: it moves over this
// process's own appends without reading them, reads the other messages
// one by one, and a long run of them with a consumer of the stream's
// headers. With budget ≥ 0 it reads at most that many one by one, and
// returns (nil) short of last when more are left. Calls are serialised.
func (s *Store) catchUpIDs(ctx context.Context, last uint64, budget int) error {
	s.idsMu.Lock()
	defer s.idsMu.Unlock()
	for {
		next := s.ids.skipOwn()
		if next > last {
			s.ids.mu.Lock()
			s.ids.caughtUp = time.Now()
			s.ids.mu.Unlock()
			return nil
		}
		if last-next >= idsScanFrom {
			s.ids.mu.Lock()
			own := len(s.ids.own)
			s.ids.mu.Unlock()
			if own < idsScanFrom {
				// Mostly other processes' messages: read them in one go.
				if err := s.scanIDs(ctx, next, last); err != nil {
					return err
				}
				continue
			}
		}
		if budget == 0 {
			return nil
		}
		budget--
		m, err := s.stream.GetMsg(ctx, next)
		switch {
		case errors.Is(err, jetstream.ErrMsgNotFound):
			s.ids.follow(uuid.Nil, next) // no message there: nothing to index
		case err != nil:
			return fmt.Errorf("id index at sequence %d: %w", next, s.wrap(err))
		default:
			s.ids.follow(s.idOfMsg(ctx, m), next)
		}
	}
}

// scanIDs reads the ids of the messages from..last with an ordered
// consumer of the stream's headers (unfiltered: see filtering).
func (s *Store) scanIDs(ctx context.Context, from, last uint64) error {
	it, err := s.orderedFrom(ctx, from, true)
	if err != nil {
		return fmt.Errorf("id index: %w", err)
	}
	defer it.Stop()
	for {
		msg, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("%w: reading the stream's ids: %v", eventlog.ErrUnavailable, ctx.Err())
			}
			continue // a missed heartbeat, a reconnect: the consumer recreates itself
		}
		md, err := msg.Metadata()
		if err != nil {
			continue
		}
		seq := md.Sequence.Stream
		id := idOf(msg.Headers(), msg.Subject())
		if id == uuid.Nil {
			// Published by a raw client: read the id from the event.
			if m, err := s.stream.GetMsg(ctx, seq); err == nil {
				id = s.idOfMsg(ctx, m)
			}
		}
		s.ids.follow(id, seq)
		if seq >= last || md.NumPending == 0 {
			return nil
		}
	}
}

// keepIDs catches the index up with the stream every idsTick, a little
// at a time, and moves its map into its sorted slice (and file) once it
// has grown, until ctx ends (Close).
func (s *Store) keepIDs(ctx context.Context) {
	t := time.NewTicker(idsTick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if ctx.Err() != nil {
			return // both were ready: Close comes first
		}
		tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if last, err := s.LastSeq(tctx); err == nil {
			if err := s.catchUpIDs(tctx, last, 1024); err != nil {
				s.log.Debug("id index: catching up", "err", err)
			}
		}
		s.ids.mu.Lock()
		grown := len(s.ids.tail) >= idsCompactEvery
		s.ids.mu.Unlock()
		if grown {
			if err := s.compactIDs(tctx); err != nil {
				s.log.Warn("id index: not saved", "err", err)
			}
		}
		cancel()
	}
}

// syncIDs returns once the id index holds every message the stream had
// when it was called, unless it had read to the stream's end within
// recent (then what it has not read yet was stored within the server's
// dedup window, which refuses a second copy by itself).
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
	return s.catchUpIDs(ctx, last, -1)
}

// errIDsClosed: the store was closed before its id index was built.
var errIDsClosed = fmt.Errorf("%w: the store is closed", eventlog.ErrUnavailable)

// idsReady builds the id index on first use and waits until it is.
func (s *Store) idsReady(ctx context.Context) error {
	s.idsOnce.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-s.idsStop // Close
			cancel()
		}()
		go func() {
			defer close(s.idsDone)
			if err := s.buildIDs(ctx); err != nil {
				s.idsBuilt <- err
				return
			}
			close(s.idsBuilt)
			s.keepIDs(ctx)
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

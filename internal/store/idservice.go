package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// IDsSubject is the NATS subject on which an embedded store answers where
// event ids are stored, from its id index: a client beside it (the CLI's
// publish and ingest next to serve) asks it instead of reading the whole
// stream's headers to build an index of its own (about 4 s and 200 MB for
// the General Assembly record).
//
// A request is a flag byte (1: the answer must cover the whole stream as
// it is now; 0: as of the last second) and 16 bytes per id; the reply is
// "+" and 8 bytes per id, big-endian, the sequence it is stored at or 0,
// or "-ERR " and why.
func IDsSubject(stream string) string { return "stancewatch.ids." + stream }

// idsPerRequest keeps a request and its reply well under NATS's default
// maximum payload (1 MB).
const idsPerRequest = 20_000

// serveIDs answers IDsSubject requests with the store's id index.
func (s *Store) serveIDs() error {
	_, err := s.nc.Subscribe(IDsSubject(s.cfg.Stream), func(m *nats.Msg) {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = m.Respond(s.answerIDs(ctx, m.Data))
		}()
	})
	return err
}

func (s *Store) answerIDs(ctx context.Context, req []byte) []byte {
	if len(req) < 1 || (len(req)-1)%16 != 0 || (len(req)-1)/16 > idsPerRequest {
		return []byte("-ERR malformed request: want a flag byte and at most 20000 ids of 16 bytes")
	}
	recent := s.recentIDs()
	if req[0] == 1 {
		recent = 0
	}
	if err := s.syncIDs(ctx, recent); err != nil {
		return []byte("-ERR " + err.Error())
	}
	n := (len(req) - 1) / 16
	out := make([]byte, 1+8*n)
	out[0] = '+'
	for i := range n {
		var id uuid.UUID
		copy(id[:], req[1+16*i:])
		if seq, ok := s.ids.lookup(id); ok {
			binary.BigEndian.PutUint64(out[1+8*i:], seq)
		}
	}
	return out
}

// askIDs asks the embedded store's index where ids are stored (0: not
// stored).
func (s *Store) askIDs(ctx context.Context, ids []uuid.UUID, exact bool) ([]uint64, error) {
	out := make([]uint64, 0, len(ids))
	for first := true; first || len(ids) > 0; first = false {
		chunk := ids[:min(len(ids), idsPerRequest)]
		ids = ids[len(chunk):]
		req := make([]byte, 1, 1+16*len(chunk))
		if exact {
			req[0] = 1
		}
		for _, id := range chunk {
			req = append(req, id[:]...)
		}
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if _, ok := ctx.Deadline(); !ok {
			rctx, cancel = context.WithTimeout(ctx, 10*time.Second)
		}
		resp, err := s.nc.RequestWithContext(rctx, IDsSubject(s.cfg.Stream), req)
		cancel()
		if err != nil {
			return nil, s.wrap(err)
		}
		if msg, bad := strings.CutPrefix(string(resp.Data), "-ERR "); bad {
			return nil, fmt.Errorf("%w: the id index of the serving process: %s", eventlog.ErrUnavailable, msg)
		}
		if len(resp.Data) != 1+8*len(chunk) || resp.Data[0] != '+' {
			return nil, fmt.Errorf("%w: the id index of the serving process answered %d bytes for %d ids", eventlog.ErrUnavailable, len(resp.Data), len(chunk))
		}
		for i := range chunk {
			out = append(out, binary.BigEndian.Uint64(resp.Data[1+8*i:]))
		}
	}
	return out, nil
}

// idsRemote reports whether this store asks a serving process's id index
// (IDsSubject) rather than building its own: a client of a server whose
// embedded store answers. Decided once, on first use.
func (s *Store) idsRemote() bool {
	s.remoteOnce.Do(func() {
		if s.srv != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := s.askIDs(ctx, nil, false)
		s.remote = err == nil
		if err != nil && !errors.Is(err, eventlog.ErrUnavailable) {
			s.log.Debug("id index: no serving process answers; reading the stream's ids", "err", err)
		}
		if s.remote {
			s.ids.mu.Lock()
			s.ids.remote = true
			s.ids.mu.Unlock()
		}
	})
	return s.remote
}

// prepareIDs makes the index current for ids before an append or a
// lookup: this store's own index is brought up to the stream (syncIDs),
// or the serving process's is asked about them and what it knows is
// recorded here. recent is as for syncIDs (0: the whole stream as it is
// now).
func (s *Store) prepareIDs(ctx context.Context, ids []uuid.UUID, recent time.Duration) error {
	if !s.idsRemote() {
		return s.syncIDs(ctx, recent)
	}
	seqs, err := s.askIDs(ctx, ids, recent == 0)
	if err != nil {
		return err
	}
	for i, seq := range seqs {
		if seq > 0 {
			s.ids.known(ids[i], seq)
		}
	}
	return nil
}

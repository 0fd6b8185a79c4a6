package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stancewatch/stancewatch/internal/eventlog"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/stancewatch/stancewatch/events"
)

// count records an acknowledged append in the metrics.
func (s *Store) count(ev events.Event, a eventlog.Ack) {
	outcome := "stored"
	if a.Duplicate {
		outcome = "duplicate"
	}
	s.cfg.Metrics.EventsPublished.WithLabelValues(typeLabel(ev.Data.Type()), outcome).Inc()
}

func typeLabel(t events.Type) string { return strings.TrimPrefix(string(t), "org.stancewatch.") }

// JetStream API error codes the store maps.
const (
	codeWrongLastSeq        = 10071 // wrong last sequence: {seq}
	codeWrongLastSeqInUse   = 10164 // a message on the subject is in flight
	codeStoreFailed         = 10077
	codeInsufficient        = 10023
	codeAccountResources    = 10002
	codeBatchIncomplete     = 10176
	codeBatchDuplicateMsgID = 10201
	codeBatchTooManyFlight  = 10210
)

var (
	lastSeqRE = regexp.MustCompile(`wrong last sequence: (\d+)`)
	fullRE    = regexp.MustCompile(`maximum (bytes|messages)`)
)

// lastSeqOf reads the sequence out of a "wrong last sequence: N" error.
func lastSeqOf(desc string) uint64 {
	if m := lastSeqRE.FindStringSubmatch(desc); m != nil {
		n, _ := strconv.ParseUint(m[1], 10, 64)
		return n
	}
	return 0
}

func apiCode(err error) (int, string) {
	var ae *jetstream.APIError
	if errors.As(err, &ae) {
		return int(ae.ErrorCode), ae.Description
	}
	return 0, ""
}

// message encodes ev as a message of the stream: on its subject (its
// actor, topic and producer), with its id in eventlog.IDHeader for the
// store's id index (ids.go), which refuses a second copy of the id
// forever, and its checksum.
//
// With msgID the id goes as Nats-Msg-Id too, so that the server refuses
// a second copy within its dedup window whoever sends it: a retry whose
// first attempt did land, or another process appending the same event
// before this one's index has read it. The user's paths (single appends,
// atomic batches, loads of single events) set it, and so does the grouped
// bulk path on an external server (replicas of serve may load the
// bundled record at once). On the embedded server the grouped path does
// not: it is serve's own bundled load, its dedup entries would cost the
// server about 150 bytes an event for the whole window (a million for the
// bundled record) and its restart would read them back; it checks the
// index before each retry instead.
func (s *Store) message(ctx context.Context, ev events.Event, msgID bool) (*nats.Msg, error) {
	data, err := ev.Encode()
	if err != nil {
		return nil, err
	}
	id := ev.ID.String()
	m := &nats.Msg{Subject: ev.Subject(), Data: data, Header: nats.Header{eventlog.IDHeader: {id}, eventlog.ChecksumHeader: {eventlog.Checksum(data)}}}
	if msgID {
		m.Header[jetstream.MsgIDHeader] = []string{id}
	}
	s.injectTrace(ctx, m)
	return m, nil
}

// injectTrace writes the trace ctx is in to m's headers (traceparent,
// tracestate), never to the event's bytes: a projector or subscriber
// that reads the message continues the trace. Outside a trace it does
// nothing.
func (s *Store) injectTrace(ctx context.Context, m *nats.Msg) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return
	}
	c := propagation.MapCarrier{}
	s.cfg.Propagator.Inject(ctx, c)
	for k, v := range c {
		m.Header[k] = []string{v}
	}
}

// traceOf reads the trace context a message was stored with.
func traceOf(h nats.Header) eventlog.TraceContext {
	if h == nil {
		return eventlog.TraceContext{}
	}
	return eventlog.TraceContext{Parent: h.Get(eventlog.TraceParentHeader), State: h.Get(eventlog.TraceStateHeader)}
}

// taken answers an append whose id the stream holds already, at seq:
// the stored copy's acknowledgement when it states the same thing (a
// duplicate: a retry, or the same fact from another file), an
// *eventlog.IDConflictError saying what differs when it does not.
func (s *Store) taken(ctx context.Context, ev events.Event, seq uint64) (eventlog.Ack, error) {
	m, err := s.stream.GetMsg(ctx, seq)
	if err != nil {
		return eventlog.Ack{}, fmt.Errorf("event %s: stored at sequence %d, but reading the stored copy failed: %w", ev.ID, seq, s.wrap(err))
	}
	return storedCopy(ev, m)
}

// recentIDs is how recently the id index must have caught up with the
// stream for an append with Nats-Msg-Id to trust it without asking the
// stream where it ends: what the index has not read yet was stored
// within the server's dedup window, which refuses it.
func (s *Store) recentIDs() time.Duration { return s.cfg.DedupWindow / 2 }

// landed looks for ev in the stream after an append whose outcome is
// unknown (a timeout, a lost connection): the index is brought up to the
// stream's end first. ok is false when it is not there or that cannot
// be told yet.
func (s *Store) landed(ctx context.Context, ev events.Event) (seq uint64, ok bool) {
	if err := s.prepareIDs(ctx, []uuid.UUID{ev.ID}, 0); err != nil {
		return 0, false
	}
	return s.ids.lookup(ev.ID)
}

// Append stores one event, once. Without eventlog.ExpectLastSeq, the store refuses
// a second copy of an event id forever (not only within the dedup
// window): appending an event that is already stored returns its eventlog.Ack with
// Duplicate set. An append that times out may be retried safely.
//
// The acknowledgement comes after the event is on disk (Sync.Always, the
// default): concurrent appends share one fsync (see groupSync), so
// concurrent writers are not held to one fsync each.
func (s *Store) Append(ctx context.Context, ev events.Event, opts ...eventlog.AppendOption) (eventlog.Ack, error) {
	defer s.beginAppend()()
	a, err := s.appendOne(ctx, ev, opts...)
	if err == nil {
		err = s.durable(ctx)
	}
	if err != nil {
		return eventlog.Ack{}, err
	}
	s.count(ev, a)
	return a, nil
}

func (s *Store) appendOne(ctx context.Context, ev events.Event, opts ...eventlog.AppendOption) (eventlog.Ack, error) {
	o, err := eventlog.ForSingle(opts...)
	if err != nil {
		return eventlog.Ack{}, err
	}
	if name, ok := s.derivedStream(ev); ok && o.ExpectSeq == nil {
		acks, err := s.appendDerived(ctx, name, []events.Event{ev})
		if err != nil {
			return eventlog.Ack{}, err
		}
		return acks[0], nil
	}
	m, err := s.message(ctx, ev, true)
	if err != nil {
		return eventlog.Ack{}, err
	}
	if o.ExpectSeq != nil {
		// The check on the actor and topic: the last sequence under the
		// event's key (both layouts) must be the one the caller read.
		m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(*o.ExpectSeq, 10))
		m.Header.Set(jetstream.ExpectedLastSubjSeqSubjHeader, ev.KeyFilter())
	}
	if err := s.prepareIDs(ctx, []uuid.UUID{ev.ID}, s.recentIDs()); err != nil {
		return eventlog.Ack{}, err
	}
	return s.storeOnce(ctx, ev, m, o)
}

// storeOnce reserves ev's id in the index (waiting for another append of
// it in this process to end), answers from the stream when it is stored
// already, and publishes m otherwise.
func (s *Store) storeOnce(ctx context.Context, ev events.Event, m *nats.Msg, o eventlog.AppendOptions) (eventlog.Ack, error) {
	r, seq, err := s.ids.reserve(ctx, ev.ID)
	if err != nil {
		return eventlog.Ack{}, err
	}
	if r == nil {
		return s.taken(ctx, ev, seq)
	}
	a, err := s.publishOne(ctx, ev, m, o)
	r.done(a.Seq)
	return a, err
}

// appendMsg stores one encoded event whose id the caller has reserved.
func (s *Store) appendMsg(ctx context.Context, ev events.Event, m *nats.Msg) (eventlog.Ack, error) {
	return s.publishOne(ctx, ev, m, eventlog.AppendOptions{})
}

// publishOne publishes one prepared message whose id the caller has
// reserved, retrying what may be retried: a retry first looks for the
// event in the stream when the message carries no Nats-Msg-Id (landed).
func (s *Store) publishOne(ctx context.Context, ev events.Event, m *nats.Msg, o eventlog.AppendOptions) (eventlog.Ack, error) {
	var last error
	dedup := m.Header.Get(jetstream.MsgIDHeader) != ""
	for attempt := range 6 {
		if attempt > 0 {
			if err := retryWait(ctx, attempt, 50*time.Millisecond, last); err != nil {
				return eventlog.Ack{}, err
			}
			if !dedup {
				if seq, ok := s.landed(ctx, ev); ok {
					return s.taken(ctx, ev, seq)
				}
			}
		}
		pa, err := s.appender().PublishMsg(ctx, m)
		if err == nil && pa.Duplicate {
			return s.taken(ctx, ev, pa.Sequence)
		}
		if err == nil {
			return eventlog.Ack{ID: ev.ID, Seq: pa.Sequence}, nil
		}
		code, desc := apiCode(err)
		switch {
		case code == codeWrongLastSeq && o.ExpectSeq != nil:
			// Another process may have stored this very event meanwhile.
			if seq, ok := s.landed(ctx, ev); ok {
				return s.taken(ctx, ev, seq)
			}
			return eventlog.Ack{}, &eventlog.ConflictError{Filter: ev.KeyFilter(), Expected: *o.ExpectSeq, Actual: lastSeqOf(desc)}
		case code == codeWrongLastSeqInUse:
			last = err // the same subject is being written right now: wait and see
			continue
		case isFull(code, desc):
			return eventlog.Ack{}, fmt.Errorf("%w (%s)", eventlog.ErrStoreFull, desc)
		}
		if err = s.wrap(err); errors.Is(err, eventlog.ErrUnavailable) {
			last = err
			continue
		}
		return eventlog.Ack{}, err
	}
	return eventlog.Ack{}, last
}

func isFull(code int, desc string) bool {
	switch code {
	case codeInsufficient, codeAccountResources:
		return true
	case codeStoreFailed:
		return fullRE.MatchString(desc)
	}
	return false
}

// retryWait waits before a retry: nothing before the first attempt,
// then attempt² steps; an ended ctx makes it an ErrUnavailable that names
// the last error.
func retryWait(ctx context.Context, attempt int, step time.Duration, last error) error {
	if attempt == 0 {
		return nil
	}
	if err := sleep(ctx, time.Duration(attempt*attempt)*step); err != nil {
		return fmt.Errorf("%w: %v (last error: %v)", eventlog.ErrUnavailable, err, last)
	}
	return nil
}

// alone readies a message of an atomic batch to go by itself: it must not
// carry the headers of the batch it went out in before.
func alone(m *nats.Msg) *nats.Msg {
	for _, h := range []string{batchIDHeader, batchSeqHeader, batchCommitHeader} {
		m.Header.Del(h)
	}
	return m
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// batchAck is the server's reply to the commit of an atomic batch.
type batchAck struct {
	Stream string              `json:"stream"`
	Seq    uint64              `json:"seq"`
	Batch  string              `json:"batch"`
	Count  int                 `json:"count"`
	Error  *jetstream.APIError `json:"error,omitempty"`
}

// AppendBatch stores events atomically: a reader sees all of them or none.
// Events already in the stream are left out of the batch and acknowledged
// as duplicates, so appending the same batch twice adds nothing. At most
// eventlog.MaxBatch events.
func (s *Store) AppendBatch(ctx context.Context, evs []events.Event, opts ...eventlog.AppendOption) ([]eventlog.Ack, error) {
	o, err := eventlog.ForBatch(opts...)
	if err != nil {
		return nil, err
	}
	defer s.beginAppend()()
	acks, err := s.appendBatch(ctx, evs, o)
	if err == nil {
		err = s.durable(ctx)
	}
	if err != nil {
		return nil, err
	}
	for i, a := range acks {
		s.count(evs[i], a)
	}
	return acks, nil
}

func (s *Store) appendBatch(ctx context.Context, evs []events.Event, o eventlog.AppendOptions) ([]eventlog.Ack, error) {
	if len(evs) > 0 {
		if name, ok := s.derivedStream(evs[0]); ok {
			return s.appendDerived(ctx, name, evs)
		}
	}
	msgs, err := s.batchMessages(ctx, evs)
	if err != nil {
		return nil, err
	}
	return s.appendBatchMsgs(ctx, evs, msgs, o)
}

// batchMessages encodes the events of one atomic batch: at most eventlog.MaxBatch,
// each id once.
func (s *Store) batchMessages(ctx context.Context, evs []events.Event) ([]*nats.Msg, error) {
	if len(evs) > eventlog.MaxBatch {
		return nil, fmt.Errorf("%w: %d events, at most %d", eventlog.ErrBatchTooLarge, len(evs), eventlog.MaxBatch)
	}
	msgs := make([]*nats.Msg, len(evs))
	seen := make(map[uuid.UUID]bool, len(evs))
	for i, ev := range evs {
		if seen[ev.ID] {
			return nil, fmt.Errorf("batch event %d: id %s appears twice in the batch", i, ev.ID)
		}
		seen[ev.ID] = true
		m, err := s.message(ctx, ev, true)
		if err != nil {
			return nil, fmt.Errorf("batch event %d (%s): %w", i, ev.ID, err)
		}
		msgs[i] = m
	}
	return msgs, nil
}

// appendBatchMsgs commits prepared messages (distinct ids) as one atomic
// batch. It reserves their ids first, in the order of the ids (two
// batches of this process that share ids never wait on each other in a
// circle); those stored already are acknowledged as duplicates (or
// conflicts) and left out.
func (s *Store) appendBatchMsgs(ctx context.Context, evs []events.Event, msgs []*nats.Msg, o eventlog.AppendOptions) ([]eventlog.Ack, error) {
	acks := make([]eventlog.Ack, len(evs))
	for i := range acks {
		acks[i].ID = evs[i].ID
	}
	if err := s.prepareIDs(ctx, idsOf(evs), s.recentIDs()); err != nil {
		return nil, err
	}
	byID := make([]int, len(evs))
	for i := range byID {
		byID[i] = i
	}
	slices.SortFunc(byID, func(a, b int) int { return bytes.Compare(evs[a].ID[:], evs[b].ID[:]) })
	res := make([]*reservation, len(evs))
	defer func() {
		for i, r := range res {
			r.done(acks[i].Seq)
		}
	}()
	var pending []int
	for _, i := range byID {
		r, seq, err := s.ids.reserve(ctx, evs[i].ID)
		if err != nil {
			return nil, err
		}
		if r == nil {
			if acks[i], err = s.taken(ctx, evs[i], seq); err != nil {
				return nil, fmt.Errorf("batch event %d: %w", i, err)
			}
			continue
		}
		res[i] = r
		pending = append(pending, i)
	}
	slices.Sort(pending)
	if o.AllOrNothing && len(pending) > 0 && len(pending) < len(evs) {
		return nil, fmt.Errorf("%w: %d of the batch's %d events are stored already, the others are not", eventlog.ErrConflict, len(evs)-len(pending), len(evs))
	}
	var last error
	for attempt := range 8 {
		if len(pending) == 0 {
			return acks, nil
		}
		if err := retryWait(ctx, attempt, 25*time.Millisecond, last); err != nil {
			return nil, err
		}
		if len(pending) == 1 {
			a, err := s.appendMsg(ctx, evs[pending[0]], alone(msgs[pending[0]]))
			if err != nil {
				return nil, err
			}
			acks[pending[0]] = a
			return acks, nil
		}
		batch := make([]*nats.Msg, len(pending))
		for j, i := range pending {
			batch[j] = msgs[i]
		}
		ack, err := s.publishAtomic(ctx, batch)
		if err == nil {
			first := ack.Seq - uint64(ack.Count) + 1
			for j, i := range pending {
				acks[i].Seq = first + uint64(j)
			}
			return acks, nil
		}
		last = err
		code, desc := apiCode(err)
		switch {
		case code == codeBatchDuplicateMsgID, code == codeBatchIncomplete, errors.Is(err, eventlog.ErrUnavailable):
			// Some events may be stored already (an earlier attempt,
			// another process): acknowledge those and send the rest.
			ids := make([]uuid.UUID, len(pending))
			for j, i := range pending {
				ids[j] = evs[i].ID
			}
			if err := s.prepareIDs(ctx, ids, 0); err != nil {
				last = err
				continue
			}
			var rest []int
			for _, i := range pending {
				seq, ok := s.ids.lookup(evs[i].ID)
				if !ok {
					rest = append(rest, i)
					continue
				}
				if acks[i], err = s.taken(ctx, evs[i], seq); err != nil {
					return nil, fmt.Errorf("batch event %d: %w", i, err)
				}
			}
			if o.AllOrNothing && len(rest) > 0 && len(rest) < len(evs) {
				return nil, fmt.Errorf("%w: %d of the batch's %d events are stored already, the others are not", eventlog.ErrConflict, len(evs)-len(rest), len(evs))
			}
			pending = rest
		case code == codeBatchTooManyFlight:
			// back off and retry
		case isFull(code, desc):
			return nil, fmt.Errorf("%w (%s)", eventlog.ErrStoreFull, desc)
		default:
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w: atomic batch not committed after retries: %v", eventlog.ErrUnavailable, last)
}

// publishAtomic sends msgs as one JetStream atomic batch (ADR-50): plain
// publishes with Nats-Batch-Id and Nats-Batch-Sequence, the last one with
// Nats-Batch-Commit as a request. The server stores all or nothing and
// answers the commit with one ack.
func (s *Store) publishAtomic(ctx context.Context, msgs []*nats.Msg) (batchAck, error) {
	id := uuid.New().String()
	for i, m := range msgs {
		m.Header.Set(batchIDHeader, id)
		m.Header.Set(batchSeqHeader, strconv.Itoa(i+1))
		m.Header.Del(batchCommitHeader)
		m.Reply = ""
		if i == len(msgs)-1 {
			break
		}
		if err := s.nc.PublishMsg(m); err != nil {
			return batchAck{}, s.wrap(err)
		}
	}
	commit := msgs[len(msgs)-1]
	commit.Header.Set(batchCommitHeader, "1")
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
	}
	resp, err := s.nc.RequestMsgWithContext(ctx, commit)
	if err != nil {
		return batchAck{}, s.wrap(err)
	}
	var ack batchAck
	if err := json.Unmarshal(resp.Data, &ack); err != nil {
		return batchAck{}, fmt.Errorf("atomic batch: unreadable reply %q: %v", resp.Data, err)
	}
	if ack.Error != nil {
		return batchAck{}, ack.Error
	}
	if ack.Count != len(msgs) {
		return batchAck{}, fmt.Errorf("atomic batch: server stored %d of %d messages", ack.Count, len(msgs))
	}
	return ack, nil
}

// AppendGroups stores groups of events, each group atomically, packing
// whole groups into atomic batches of up to eventlog.MaxBatch events: a bulk load
// then costs one commit (and one fsync) per batch instead of one per
// event. progress, if not nil, is called with the number of events done
// after each batch is on disk. A group larger than eventlog.MaxBatch is an error,
// found before anything is sent.
//
// Batches are committed and fsynced one after the other, in order, while
// the next batch is encoded. Measured and left out: keeping several
// commits in flight gained nothing (the server stages and commits the
// atomic batches of one stream one at a time), and sending the next batch
// while one's fsync runs was slower (the fsync takes twice as long while
// the server writes).
func (s *Store) AppendGroups(ctx context.Context, groups [][]events.Event, progress func(done int)) ([][]eventlog.Ack, error) {
	out := make([][]eventlog.Ack, len(groups))
	spans, err := packGroups(groups)
	if err != nil {
		return out, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan preparedBatch, 1)
	go func() {
		defer close(ready)
		for _, sp := range spans {
			b := preparedBatch{span: sp, evs: slices.Concat(groups[sp[0]:sp[1]]...)}
			b.msgs, b.err = s.batchMessages(ctx, b.evs)
			select {
			case ready <- b:
			case <-ctx.Done():
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	done := 0
	for b := range ready {
		if b.err != nil {
			return out, fmt.Errorf("groups %d to %d: %w", b.span[0], b.span[1]-1, b.err)
		}
		acks, err := s.appendBatchMsgs(ctx, b.evs, b.msgs, eventlog.AppendOptions{})
		if err == nil {
			// Nothing is acknowledged before it is on disk.
			err = s.durable(ctx)
		}
		if err != nil {
			return out, fmt.Errorf("groups %d to %d: %w", b.span[0], b.span[1]-1, err)
		}
		for i, a := range acks {
			s.count(b.evs[i], a)
		}
		for k := b.span[0]; k < b.span[1]; k++ {
			out[k], acks = acks[:len(groups[k])], acks[len(groups[k]):]
		}
		done += len(b.evs)
		if progress != nil {
			progress(done)
		}
	}
	return out, ctx.Err()
}

// preparedBatch is one atomic batch of a bulk load: the groups
// span[0]..span[1]-1, their events and messages.
type preparedBatch struct {
	span [2]int
	evs  []events.Event
	msgs []*nats.Msg
	err  error
}

// packGroups packs whole groups, in order, into spans of at most eventlog.MaxBatch
// events.
func packGroups(groups [][]events.Event) ([][2]int, error) {
	var spans [][2]int
	for i := 0; i < len(groups); {
		if len(groups[i]) > eventlog.MaxBatch {
			return nil, fmt.Errorf("group %d: %w: %d events, at most %d", i, eventlog.ErrBatchTooLarge, len(groups[i]), eventlog.MaxBatch)
		}
		j, n := i, 0
		for j < len(groups) && n+len(groups[j]) <= eventlog.MaxBatch {
			n += len(groups[j])
			j++
		}
		spans = append(spans, [2]int{i, j})
		i = j
	}
	return spans, nil
}

// AppendMany stores events independently (not atomically), keeping up to
// a thousand publishes in flight instead of waiting for each
// acknowledgement: the path for loads of single events. Each event is
// stored once, ever, as with Append; an event already in the stream is
// acknowledged as a duplicate.
func (s *Store) AppendMany(ctx context.Context, evs []events.Event) ([]eventlog.Ack, error) {
	defer s.beginAppend()()
	acks, err := s.appendMany(ctx, evs)
	if derr := s.durable(ctx); derr != nil {
		// Nothing is acknowledged before it is on disk.
		return nil, derr
	}
	for i, a := range acks {
		s.count(evs[i], a)
	}
	return acks, err
}

func (s *Store) appendMany(ctx context.Context, evs []events.Event) ([]eventlog.Ack, error) {
	return s.pipeline(ctx, evs, nil, nil)
}

// pipeline publishes evs asynchronously, a window of a thousand in
// flight, each with its group tag when tags is not nil (the grouped
// bulk path, without Nats-Msg-Id on the embedded server: see message). It reserves each id
// without waiting (it holds up to a thousand reservations): an id
// another append of this process is storing right now is appended
// after the rest, once this call's reservations are let go.
func (s *Store) pipeline(ctx context.Context, evs []events.Event, tags []GroupTag, progress func(int)) ([]eventlog.Ack, error) {
	if err := s.prepareIDs(ctx, idsOf(evs), s.recentIDs()); err != nil {
		return nil, err
	}
	msgID := tags == nil || s.srv == nil // see message
	acks := make([]eventlog.Ack, len(evs))
	futures := make([]jetstream.PubAckFuture, len(evs))
	msgs := make([]*nats.Msg, len(evs))
	res := make([]*reservation, len(evs))
	release := func(i int) {
		res[i].done(acks[i].Seq)
		res[i] = nil
	}
	defer func() {
		for i := range res {
			release(i)
		}
	}()
	var busy []int
	// encode makes event i's message, with its group tag on the grouped path.
	encode := func(i int) (*nats.Msg, error) {
		m, err := s.message(ctx, evs[i], msgID)
		if err != nil {
			return nil, fmt.Errorf("event %d (%s): %w", i, evs[i].ID, err)
		}
		if tags != nil {
			m.Header.Set(GroupHeader, tags[i].header())
		}
		return m, nil
	}
	const window = 1000
	wait := func(i int) error {
		if futures[i] == nil {
			return nil // stored already, or busy
		}
		defer release(i)
		select {
		case pa := <-futures[i].Ok():
			if pa.Duplicate {
				a, err := s.taken(ctx, evs[i], pa.Sequence)
				acks[i] = a
				return err
			}
			acks[i] = eventlog.Ack{ID: evs[i].ID, Seq: pa.Sequence}
			return nil
		case <-futures[i].Err():
			// Timed out or refused: publish it again, synchronously
			// (publishOne retries, and looks for it in the stream
			// first when the message has no Nats-Msg-Id).
			if seq, ok := s.landed(ctx, evs[i]); ok {
				a, err := s.taken(ctx, evs[i], seq)
				acks[i] = a
				return err
			}
			a, err := s.appendMsg(ctx, evs[i], msgs[i])
			acks[i] = a
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	next := 0 // the oldest publish not yet waited for
	for i, ev := range evs {
		r, seq, isBusy := s.ids.tryReserve(ev.ID)
		switch {
		case isBusy:
			busy = append(busy, i)
			continue
		case r == nil:
			a, err := s.taken(ctx, ev, seq)
			if err != nil {
				return acks[:next], fmt.Errorf("event %d: %w", i, err)
			}
			acks[i] = a
			continue
		}
		res[i] = r
		m, err := encode(i)
		if err != nil {
			return acks[:next], err
		}
		msgs[i] = m
		if futures[i], err = s.js.PublishMsgAsync(m); err != nil {
			return acks[:next], s.wrap(err)
		}
		for ; i-next >= window; next++ {
			if err := wait(next); err != nil {
				return acks[:next], err
			}
			if progress != nil && next%window == 0 {
				progress(next)
			}
		}
	}
	for ; next < len(evs); next++ {
		if err := wait(next); err != nil {
			return acks[:next], err
		}
	}
	// The ids another append was storing: this call holds nothing now.
	for _, i := range busy {
		m, err := encode(i)
		if err == nil {
			acks[i], err = s.storeOnce(ctx, evs[i], m, eventlog.AppendOptions{})
		}
		if err != nil {
			return acks, fmt.Errorf("event %d: %w", i, err)
		}
	}
	if progress != nil {
		progress(len(evs))
	}
	return acks, nil
}

// idsOf returns the ids of evs.
func idsOf(evs []events.Event) []uuid.UUID {
	ids := make([]uuid.UUID, len(evs))
	for i, ev := range evs {
		ids[i] = ev.ID
	}
	return ids
}

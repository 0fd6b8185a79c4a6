package store

import (
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

// message encodes ev as the message that stores it once ever: its subject
// ends with the event id, and its expected last subject sequence is 0,
// "nothing on this subject yet". That check needs no dedup window, so the
// message carries no Nats-Msg-Id: the server's dedup map, which costs
// about a tenth of an append's time there, is left out of the path.
//
// With wide, the check covers the id on every topic of the event's actor
// (events.IDFilter): batches and bulk loads, whose ids derive from
// documents, so that a file read again under another topic is refused.
// It costs the server a walk of the actor's topics per message (bulk
// 52k → 40k events/s with 40 topics an actor), so a single append checks
// its own subject only: its ids are new (publish, correct), derived per
// target (retract), or looked up first by the HTTP layer; the projection
// refuses any reuse that gets past them.
func (s *Store) message(ctx context.Context, ev events.Event, wide bool) (*nats.Msg, error) {
	data, err := ev.Encode()
	if err != nil {
		return nil, err
	}
	m := &nats.Msg{Subject: ev.Subject(), Data: data, Header: nats.Header{jetstream.ExpectedLastSubjSeqHeader: {"0"}, eventlog.ChecksumHeader: {eventlog.Checksum(data)}}}
	if wide {
		m.Header.Set(jetstream.ExpectedLastSubjSeqSubjHeader, ev.IDFilter())
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

// taken answers an append whose id the stream holds already (the
// once-ever check refused it): the stored copy's acknowledgement when it
// states the same thing (a duplicate: a retry, or the same fact from
// another file), an *eventlog.IDConflictError saying what differs when
// it does not. seq is where the server said the id is stored, or 0 to
// look it up by the id.
func (s *Store) taken(ctx context.Context, ev events.Event, seq uint64) (eventlog.Ack, error) {
	var m *jetstream.RawStreamMsg
	var err error
	if seq > 0 {
		m, err = s.stream.GetMsg(ctx, seq)
	}
	if seq == 0 || err != nil {
		m, err = s.lookup(ctx, ev.IDFilter())
	}
	if err != nil {
		return eventlog.Ack{}, fmt.Errorf("event %s: the stream holds its id, but reading the stored copy failed: %w", ev.ID, s.wrap(err))
	}
	stored, err := events.Decode(m.Data)
	var diffs []string
	switch {
	case err != nil:
		diffs = []string{"the stored copy is unreadable: " + err.Error()}
	case stored.ID != ev.ID:
		return s.taken(ctx, ev, 0) // seq named another message: look up by id
	default:
		diffs = events.Differences(stored, ev)
	}
	if len(diffs) > 0 {
		return eventlog.Ack{}, &eventlog.IDConflictError{ID: ev.ID, Seq: m.Sequence, Subject: m.Subject, Differs: diffs}
	}
	return eventlog.Ack{ID: ev.ID, Seq: m.Sequence, Duplicate: true}, nil
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
	m, err := s.message(ctx, ev, false)
	if err != nil {
		return eventlog.Ack{}, err
	}
	if o.ExpectSeq != nil {
		// The check moves to the actor and topic, and no longer covers the
		// event's id: the id is looked up first (a reuse is refused, a
		// stored copy is a duplicate), and it goes as Nats-Msg-Id, so a
		// retry of an append that did land is a duplicate within the dedup
		// window (and found by publishOne's lookup after it).
		if _, err := s.lookup(ctx, ev.IDFilter()); err == nil {
			return s.taken(ctx, ev, 0)
		} else if !errors.Is(err, eventlog.ErrNotFound) {
			return eventlog.Ack{}, err
		}
		m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(*o.ExpectSeq, 10))
		m.Header.Set(jetstream.ExpectedLastSubjSeqSubjHeader, ev.KeyFilter())
		m.Header.Set(jetstream.MsgIDHeader, ev.ID.String())
	}
	return s.publishOne(ctx, ev, m, o)
}

// appendMsg stores one encoded event, once ever (its message carries the
// expected last subject sequence 0).
func (s *Store) appendMsg(ctx context.Context, ev events.Event, m *nats.Msg) (eventlog.Ack, error) {
	return s.publishOne(ctx, ev, m, eventlog.AppendOptions{})
}

// publishOne publishes one prepared message, retrying what may be retried.
func (s *Store) publishOne(ctx context.Context, ev events.Event, m *nats.Msg, o eventlog.AppendOptions) (eventlog.Ack, error) {
	var last error
	for attempt := range 6 {
		if attempt > 0 {
			if err := sleep(ctx, time.Duration(attempt*attempt)*50*time.Millisecond); err != nil {
				return eventlog.Ack{}, fmt.Errorf("%w: %v (last error: %v)", eventlog.ErrUnavailable, err, last)
			}
		}
		pa, err := s.appender().PublishMsg(ctx, m)
		if err == nil {
			return eventlog.Ack{ID: ev.ID, Seq: pa.Sequence, Duplicate: pa.Duplicate}, nil
		}
		code, desc := apiCode(err)
		switch {
		case code == codeWrongLastSeq && o.ExpectSeq == nil:
			return s.taken(ctx, ev, lastSeqOf(desc))
		case code == codeWrongLastSeq:
			// A retry of an append that did land also lands here.
			if st, err := s.lookup(ctx, ev.Subject()); err == nil {
				return eventlog.Ack{ID: ev.ID, Seq: st.Sequence, Duplicate: true}, nil
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

// lookup returns the last message stored on subject (which may hold
// wildcards), in the stream that captures it.
func (s *Store) lookup(ctx context.Context, subject string) (*jetstream.RawStreamMsg, error) {
	stream := s.stream
	switch {
	case strings.HasPrefix(subject, events.ShiftsToken+"."):
		st, err := s.js.Stream(ctx, s.ShiftsStream())
		if err != nil {
			return nil, s.wrap(err)
		}
		stream = st
	case strings.HasPrefix(subject, events.AlignmentToken+"."):
		st, err := s.js.Stream(ctx, s.AlignmentStream())
		if err != nil {
			return nil, s.wrap(err)
		}
		stream = st
	case strings.HasPrefix(subject, DeadLetterToken+"."):
		st, err := s.js.Stream(ctx, s.DeadLetterStream())
		if err != nil {
			return nil, s.wrap(err)
		}
		stream = st
	}
	m, err := stream.GetLastMsgForSubject(ctx, subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, eventlog.ErrNotFound
	}
	return m, s.wrap(err)
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

// appendBatchMsgs commits prepared messages (distinct ids, each with the
// expected last subject sequence 0) as one atomic batch.
func (s *Store) appendBatchMsgs(ctx context.Context, evs []events.Event, msgs []*nats.Msg, o eventlog.AppendOptions) ([]eventlog.Ack, error) {
	acks := make([]eventlog.Ack, len(evs))
	pending := make([]int, len(evs))
	for i := range pending {
		pending[i] = i
		acks[i].ID = evs[i].ID
	}
	var last error
	for attempt := range 8 {
		if len(pending) == 0 {
			return acks, nil
		}
		if attempt > 0 {
			if err := sleep(ctx, time.Duration(attempt*attempt)*25*time.Millisecond); err != nil {
				return nil, fmt.Errorf("%w: %v (last error: %v)", eventlog.ErrUnavailable, err, last)
			}
		}
		if len(pending) == 1 {
			// Alone, the message must not carry the headers of the atomic
			// batch it went out in before.
			m := msgs[pending[0]]
			for _, h := range []string{batchIDHeader, batchSeqHeader, batchCommitHeader} {
				m.Header.Del(h)
			}
			a, err := s.appendMsg(ctx, evs[pending[0]], m)
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
		case code == codeWrongLastSeq, code == codeBatchDuplicateMsgID, code == codeWrongLastSeqInUse,
			code == codeBatchIncomplete, errors.Is(err, eventlog.ErrUnavailable):
			// Some events are stored already (an earlier attempt, another
			// producer): acknowledge those and send the rest.
			// An id stored under other content refuses the whole batch.
			var rest []int
			for _, i := range pending {
				_, err := s.lookup(ctx, evs[i].IDFilter())
				switch {
				case err == nil:
					a, err := s.taken(ctx, evs[i], 0)
					if err != nil {
						return nil, fmt.Errorf("batch event %d: %w", i, err)
					}
					acks[i] = a
				case errors.Is(err, eventlog.ErrNotFound):
					rest = append(rest, i)
				default:
					return nil, err
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
	acks := make([]eventlog.Ack, len(evs))
	futures := make([]jetstream.PubAckFuture, len(evs))
	const window = 1000
	wait := func(i int) error {
		f := futures[i]
		select {
		case pa := <-f.Ok():
			acks[i] = eventlog.Ack{ID: evs[i].ID, Seq: pa.Sequence, Duplicate: pa.Duplicate}
			return nil
		case err := <-f.Err():
			if code, desc := apiCode(err); code == codeWrongLastSeq {
				a, err := s.taken(ctx, evs[i], lastSeqOf(desc))
				acks[i] = a
				return err
			}
			// Timed out or refused: fall back to a synchronous append,
			// which retries and reports the error precisely.
			a, err := s.appendOne(ctx, evs[i])
			acks[i] = a
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	next := 0 // the oldest publish not yet waited for
	for i, ev := range evs {
		m, err := s.message(ctx, ev, true)
		if err != nil {
			return acks[:next], fmt.Errorf("event %d (%s): %w", i, ev.ID, err)
		}
		if futures[i], err = s.js.PublishMsgAsync(m); err != nil {
			return acks[:next], s.wrap(err)
		}
		for ; i-next >= window; next++ {
			if err := wait(next); err != nil {
				return acks[:next], err
			}
		}
	}
	for ; next < len(evs); next++ {
		if err := wait(next); err != nil {
			return acks[:next], err
		}
	}
	return acks, nil
}

package natsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
)

// DefaultTimeout bounds a request whose context has no deadline.
const DefaultTimeout = 10 * time.Second

// ErrRefused wraps a Problem the service answered: nothing was stored.
var ErrRefused = errors.New("refused by stancewatch's write service")

// Client appends through the write service, for NATS users whose role
// allows stancewatch.write.<producer> rather than the stream's subjects.
// Each request goes to the subject of the producer its events claim.
type Client struct {
	nc *nats.Conn
}

// NewClient returns a client that requests on nc.
func NewClient(nc *nats.Conn) *Client { return &Client{nc: nc} }

// producerOf is the producer a request of evs writes as: the one they
// claim (all must claim the same one), analyst when none claims one.
func producerOf(evs []events.Event) (events.Producer, error) {
	var p events.Producer
	for _, ev := range evs {
		c, _, _ := ev.Claim()
		switch {
		case c.IsZero():
		case p.IsZero():
			p = c
		case c != p:
			return p, fmt.Errorf("one request writes as one producer: event %s claims %s, an earlier one %s", ev.ID, c, p)
		}
	}
	if p.IsZero() {
		p = events.ProducerAnalyst
	}
	return p, nil
}

func (c *Client) request(ctx context.Context, evs []events.Event, batch bool) ([]eventlog.Ack, error) {
	p, err := producerOf(evs)
	if err != nil {
		return nil, err
	}
	var body []byte
	if batch {
		body, err = json.Marshal(evs)
	} else {
		body, err = json.Marshal(evs[0])
	}
	if err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		// A publish the server's permissions refuse gets no answer at
		// all: bound the wait.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	m, err := c.nc.RequestWithContext(ctx, Subject(p), body)
	if err != nil {
		if errors.Is(err, nats.ErrNoResponders) {
			return nil, fmt.Errorf("%w: no stancewatch serves %s", eventlog.ErrUnavailable, Subject(p))
		}
		return nil, fmt.Errorf("%w: %s: %v (may your NATS user publish to it?)", eventlog.ErrUnavailable, Subject(p), err)
	}
	var r Reply
	if err := json.Unmarshal(m.Data, &r); err != nil {
		return nil, fmt.Errorf("%s: unreadable reply %q: %v", Subject(p), m.Data, err)
	}
	if r.Error != nil {
		kind := map[string]error{"id-reused": eventlog.ErrIDReused, "conflict": eventlog.ErrConflict, "store-full": eventlog.ErrStoreFull,
			"unavailable": eventlog.ErrUnavailable}[r.Error.Type]
		if kind == nil {
			return nil, fmt.Errorf("%w: %d %s: %s", ErrRefused, r.Error.Status, r.Error.Title, r.Error.Detail)
		}
		return nil, fmt.Errorf("%w: %w: %s", ErrRefused, kind, r.Error.Detail)
	}
	if len(r.Results) != len(evs) {
		return nil, fmt.Errorf("%s: %d acknowledgements for %d events", Subject(p), len(r.Results), len(evs))
	}
	acks := make([]eventlog.Ack, len(evs))
	for i, res := range r.Results {
		id, err := uuid.Parse(res.ID)
		if err != nil || id != evs[i].ID {
			return nil, fmt.Errorf("%s: acknowledgement %d is for %q, not %s", Subject(p), i, res.ID, evs[i].ID)
		}
		acks[i] = eventlog.Ack{ID: id, Seq: res.Seq, Duplicate: res.Duplicate}
	}
	return acks, nil
}

// Append stores one event through the service. It takes no options: the
// service appends as the store's Append does without them.
func (c *Client) Append(ctx context.Context, ev events.Event, opts ...eventlog.AppendOption) (eventlog.Ack, error) {
	if len(opts) > 0 {
		return eventlog.Ack{}, fmt.Errorf("%w: the write service takes no append options", eventlog.ErrBadOption)
	}
	acks, err := c.request(ctx, []events.Event{ev}, false)
	if err != nil {
		return eventlog.Ack{}, err
	}
	return acks[0], nil
}

// AppendBatch stores events as one atomic batch, all or nothing. Like
// Append it takes no options (ErrBadOption): the service appends a batch
// as the store's AppendBatch does without them, and an option it would
// not honour (AllOrNothing) is refused here rather than dropped.
func (c *Client) AppendBatch(ctx context.Context, evs []events.Event, opts ...eventlog.AppendOption) ([]eventlog.Ack, error) {
	if len(opts) > 0 {
		return nil, fmt.Errorf("%w: the write service takes no append options", eventlog.ErrBadOption)
	}
	if len(evs) == 0 {
		return nil, nil
	}
	return c.request(ctx, evs, true)
}

// AppendGroups stores each group atomically, one request a group.
func (c *Client) AppendGroups(ctx context.Context, groups [][]events.Event, progress func(done int)) ([][]eventlog.Ack, error) {
	out := make([][]eventlog.Ack, len(groups))
	done := 0
	for i, g := range groups {
		acks, err := c.AppendBatch(ctx, g)
		if err != nil {
			return out, fmt.Errorf("group %d: %w", i, err)
		}
		out[i] = acks
		done += len(g)
		if progress != nil {
			progress(done)
		}
	}
	return out, nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Delivery is an event delivered to a subscriber.
type Delivery struct {
	Seq     uint64
	Subject string
	Time    time.Time // when the stream recorded it
	Data    []byte
	Pending uint64 // events matching the filters still to come after this one
}

// SubscribeOptions say what a subscriber receives.
type SubscribeOptions struct {
	// Filters are subject filters (events.PositionFilter, ...); empty
	// means every event.
	Filters []string
	// After: deliver events after this sequence. Zero with New unset
	// delivers the whole stream.
	After uint64
	// New: deliver only events stored after the call (After is ignored).
	New bool
	// CatchUp: deliver what is stored now and return, instead of
	// following the stream.
	CatchUp bool
}

// Subscribe delivers the events matching o to fn, in stream order, with no
// gap and no duplicate, until ctx ends (nil is returned) or fn returns an
// error (which is returned). It survives reconnects: the ordered consumer
// underneath resumes after the last delivered sequence.
func (s *Store) Subscribe(ctx context.Context, o SubscribeOptions, fn func(Delivery) error) error {
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: o.Filters, InactiveThreshold: time.Minute}
	if o.New {
		// Anchor "new" at the stream's last sequence now, rather than at
		// whenever the server creates the consumer: an event stored after
		// the call is never missed.
		last, err := s.LastSeq(ctx)
		if err != nil {
			return err
		}
		o.New, o.After = false, last
	}
	switch {
	case o.After > 0:
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, o.After+1
	default:
		cfg.DeliverPolicy = jetstream.DeliverAllPolicy
	}
	cons, err := s.js.OrderedConsumer(ctx, s.cfg.Stream, cfg)
	if err != nil {
		return fmt.Errorf("subscribe: %w", s.wrap(err))
	}
	if o.CatchUp {
		info, err := cons.Info(ctx)
		if err != nil {
			return fmt.Errorf("subscribe: %w", s.wrap(err))
		}
		if info.NumPending == 0 {
			return nil
		}
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(256))
	if err != nil {
		return fmt.Errorf("subscribe: %w", s.wrap(err))
	}
	defer it.Stop()
	for {
		msg, err := it.Next(jetstream.NextContext(ctx))
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, nats.ErrTimeout) {
			continue
		}
		if err != nil {
			return fmt.Errorf("subscribe: %w", err)
		}
		md, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("subscribe: %w", err)
		}
		if err := fn(Delivery{Seq: md.Sequence.Stream, Subject: msg.Subject(), Time: md.Timestamp.UTC(), Data: msg.Data(), Pending: md.NumPending}); err != nil {
			return err
		}
		if o.CatchUp && md.NumPending == 0 {
			return nil
		}
	}
}

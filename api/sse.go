package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/store"
)

// stream serves the event stream as Server-Sent Events. Each event's id is
// its stream sequence: a client that reconnects with Last-Event-ID (or
// ?after=N) resumes after it, with no gap and no duplicate. Without
// either, the stream starts after the last event stored when the request
// arrived (its sequence is sent first, as an id without data); ?after=0
// replays from the beginning. ?actor= and ?topic= filter by subject.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	q := query{r: r}
	actor, err := q.optActor()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	topic, err := q.optTopic()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	o := store.SubscribeOptions{Filters: []string{events.PositionFilter(actor, topic)}}
	if actor.IsZero() {
		o.Filters = append(o.Filters, events.MotionFilter(topic))
	}
	after := r.Header.Get("Last-Event-ID")
	if v := r.URL.Query().Get("after"); v != "" {
		after = v
	}
	if after != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(after), 10, 64)
		if err != nil {
			s.writeError(w, r, badRequest("Last-Event-ID / after: %q is not a stream sequence", after))
			return
		}
		o.After = n
	} else {
		// New events only: anchor at the stream's end now, and tell the
		// client, so that a reconnect resumes from here even if nothing
		// arrives in between.
		if o.After, err = s.store.LastSeq(r.Context()); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	select {
	case s.sse <- struct{}{}:
		defer func() { <-s.sse }()
	default:
		s.writeError(w, r, errorf(errBusy, "%d event streams are open: the server takes no more", cap(s.sse)))
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	ctx := r.Context()
	// write sends one chunk within the write timeout: a client that does
	// not read is cut off rather than holding the stream back.
	write := func(chunk string) error {
		if err := rc.SetWriteDeadline(time.Now().Add(s.cfg.SSEWriteTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		if _, err := fmt.Fprint(w, chunk); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := write(fmt.Sprintf(": stancewatch event stream\nretry: 2000\nid: %d\n\n", o.After)); err != nil {
		return
	}
	deliveries := make(chan store.Delivery, 64)
	errc := make(chan error, 1)
	go func() {
		errc <- s.store.Subscribe(ctx, o, func(d store.Delivery) error {
			select {
			case deliveries <- d:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	heartbeat := time.NewTicker(s.cfg.SSEHeartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-errc:
			if err != nil && ctx.Err() == nil {
				s.log.Warn("event stream ended", "err", err)
				_ = write(": the event store is unavailable; reconnect with Last-Event-ID\n\n")
			}
			return
		case <-heartbeat.C:
			if err := write(": ping\n\n"); err != nil {
				return
			}
		case d := <-deliveries:
			kind := "event"
			if ev, err := events.Decode(d.Data); err == nil {
				kind = strings.TrimPrefix(string(ev.Data.Type()), "org.stancewatch.")
			} else {
				continue // poison messages are for /v1/deadletters, not for subscribers
			}
			if err := write(fmt.Sprintf("id: %d\nevent: %s\ndata: %s\n\n", d.Seq, kind, d.Data)); err != nil {
				return
			}
		}
	}
}

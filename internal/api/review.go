package api

import (
	"errors"
	"net/http"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/eventlog"
	"github.com/stancewatch/stancewatch/producers"
	"github.com/stancewatch/stancewatch/projections"
)

// reviews lists the review queue: ?status=pending (the default),
// accepted, rejected or all; ?actor=XX.
func (s *Server) reviews(q query, st *projections.State) (string, any, error) {
	var f projections.ReviewFilter
	switch v := q.r.URL.Query().Get("status"); v {
	case "", projections.ReviewPending:
		f.Status = projections.ReviewPending
	case projections.ReviewAccepted, projections.ReviewRejected:
		f.Status = v
	case "all":
	default:
		return "", nil, badRequest("status: %q is not pending, accepted, rejected or all", v)
	}
	f.Actor = q.actor
	return "reviews", st.Reviews(f), nil
}

// review shows one review and its decision.
func (s *Server) review(q query, st *projections.State) (string, any, error) {
	id, err := uuid.Parse(q.r.PathValue("id"))
	if err != nil {
		return "", nil, notFound("review %q: not a UUID", q.r.PathValue("id"))
	}
	v, _, ok := st.Review(id)
	if !ok {
		return "", nil, notFound("review %s: not in the queue (yet: pass min_seq to wait for it)", id)
	}
	return "review", v, nil
}

// decisionAnswer is the answer to accepting or rejecting a review.
type decisionAnswer struct {
	Review   uuid.UUID     `json:"review"`
	Decision eventlog.Ack  `json:"decision"`
	Position *eventlog.Ack `json:"position,omitempty"` // when accepted: the position published
}

// reviewEvent reads a review from the store, and the decision on it if
// there is one.
func (s *Server) reviewEvent(w http.ResponseWriter, r *http.Request) (events.Event, *events.ReviewDecision, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, notFound("review %q: not a UUID", r.PathValue("id")))
		return events.Event{}, nil, false
	}
	st, err := s.store.Get(r.Context(), id)
	if err != nil {
		if errors.Is(err, eventlog.ErrNotFound) {
			err = notFound("review %s: no such review", id)
		}
		s.writeError(w, r, err)
		return events.Event{}, nil, false
	}
	ev, err := st.Decode()
	if err == nil {
		if _, ok := ev.Data.(events.Review); !ok {
			err = notFound("event %s is a %s, not a review", id, ev.Data.Type())
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return events.Event{}, nil, false
	}
	d, err := s.decision(r, id)
	if err != nil {
		s.writeError(w, r, err)
		return events.Event{}, nil, false
	}
	return ev, d, true
}

// decision returns the stored decision on a review, or nil.
func (s *Server) decision(r *http.Request, review uuid.UUID) (*events.ReviewDecision, error) {
	st, err := s.store.Get(r.Context(), events.ReviewDecisionID(review))
	if errors.Is(err, eventlog.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ev, err := st.Decode()
	if err != nil {
		return nil, err
	}
	d, ok := ev.Data.(events.ReviewDecision)
	if !ok {
		return nil, errorf(eventlog.ErrConflict, "event %s is not a decision", ev.ID)
	}
	return &d, nil
}

// decisionRequest reads a decision's body and the review it decides,
// refusing a review decided the other way already. It has answered the
// request when ok is false.
func (s *Server) decisionRequest(w http.ResponseWriter, r *http.Request, accept bool) (in producers.ReviewInput, rev events.Event, ok bool) {
	b, err := s.body(w, r)
	if err == nil {
		in, err = producers.ParseReviewInput(b)
	}
	if err != nil {
		s.writeError(w, r, err)
		return in, rev, false
	}
	rev, decided, ok := s.reviewEvent(w, r)
	if !ok {
		return in, rev, false
	}
	if decided != nil && decided.Accepted != accept {
		s.writeError(w, r, decidedError(rev.ID, decided))
		return in, rev, false
	}
	return in, rev, true
}

func decidedError(id uuid.UUID, d *events.ReviewDecision) error {
	if d.Accepted {
		return errorf(eventlog.ErrConflict, "review %s was accepted already (position %s): publish a correction of that position instead", id, d.Position)
	}
	return errorf(eventlog.ErrConflict, "review %s was rejected already: %s", id, d.Reason)
}

// acceptReview publishes the reviewed position, with the reviewer's
// changes ({"topic", "occurred", "motion", "stance", "reason"}), and the
// decision, in one atomic batch. Accepting twice stores nothing new;
// accepting a rejected review is a conflict.
func (s *Server) acceptReview(w http.ResponseWriter, r *http.Request) {
	in, rev, ok := s.decisionRequest(w, r, true)
	if !ok {
		return
	}
	pos, dec, err := producers.Accept(rev, in, s.sourceFor(r), s.cfg.Now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	acks, err := s.store.AppendBatch(r.Context(), []events.Event{pos, dec}, eventlog.AllOrNothing())
	if err != nil {
		if errors.Is(err, eventlog.ErrConflict) {
			if d, derr := s.decision(r, rev.ID); derr == nil && d != nil {
				err = decidedError(rev.ID, d)
			}
		}
		s.writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if acks[1].Duplicate {
		status = http.StatusOK
	}
	w.Header().Set("Location", "/v1/events/"+pos.ID.String())
	writeJSON(w, status, decisionAnswer{Review: rev.ID, Decision: acks[1], Position: &acks[0]})
}

// rejectReview records why a review is rejected ({"reason": "..."}).
// Nothing enters the stance histories.
func (s *Server) rejectReview(w http.ResponseWriter, r *http.Request) {
	in, rev, ok := s.decisionRequest(w, r, false)
	if !ok {
		return
	}
	dec, err := producers.Reject(rev, in.Reason, s.sourceFor(r), s.cfg.Now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ack, err := s.store.Append(r.Context(), dec)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if ack.Duplicate {
		if d, err := s.decision(r, rev.ID); err == nil && d != nil && d.Accepted {
			s.writeError(w, r, decidedError(rev.ID, d))
			return
		}
	}
	status := http.StatusCreated
	if ack.Duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, decisionAnswer{Review: rev.ID, Decision: ack})
}

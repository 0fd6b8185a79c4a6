package projections

import (
	"testing"

	"github.com/google/uuid"

	"github.com/stancewatch/stancewatch/events"
)

func (b *builder) review(actor, stance string, reasons ...string) events.Event {
	return b.add(events.Review{
		Position: events.Position{Actor: events.MustCountry(actor), Stance: events.MustStance(stance),
			Evidence: events.Evidence{Quote: actor + " " + stance, Producer: events.ProducerNews, Confidence: 0.5}},
		Reasons: reasons,
	})
}

func (b *builder) decide(r events.Event, accepted bool, reason string) events.Event {
	d := events.ReviewDecision{Review: r.ID, Actor: r.Data.(events.Review).Position.Actor, Accepted: accepted, Reason: reason}
	if accepted {
		d.Position = events.AcceptedPositionID(r.ID)
	}
	return b.add(d)
}

func TestReviewQueue(t *testing.T) {
	b := &builder{}
	a := b.review("RU", "oppose", "confidence 0.50, below 0.70")
	r := b.review("IL", "oppose", "no date")
	p := b.review("PS", "support", "no topic")
	b.decide(a, true, "")
	b.decide(r, false, "criticism of the Council, not of the text")
	second := b.decide(r, true, "") // a second decision (the store refuses it; a replay ignores it)
	s := fold(b.recs)

	status := map[string]string{}
	for _, v := range s.Reviews(ReviewFilter{}) {
		status[v.Actor.String()] = v.Status
	}
	if status["RU"] != ReviewAccepted || status["IL"] != ReviewRejected || status["PS"] != ReviewPending {
		t.Fatalf("statuses %v", status)
	}
	if got := s.Reviews(ReviewFilter{Status: ReviewPending}); len(got) != 1 || got[0].ID != p.ID {
		t.Fatalf("pending %+v", got)
	}
	if got := s.Reviews(ReviewFilter{Actor: events.MustCountry("IL")}); len(got) != 1 || got[0].Decision.Reason == "" {
		t.Fatalf("IL %+v", got)
	}
	// reviews are not positions: no history holds them
	if h := s.Histories(events.Country{}, events.Topic{}, Lens{}); len(h) != 0 {
		t.Fatalf("histories %+v", h)
	}
	// the first decision holds whatever the order the events are applied in
	rev := append([]rec{}, b.recs...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	if fold(rev).Digest() != s.Digest() {
		t.Fatal("folding in another order gives another state")
	}
	// a snapshot keeps the queue
	got := reread(t, s)
	if got.Digest() != s.Digest() {
		t.Fatal("snapshot lost the review queue")
	}
	v, _, ok := got.Review(r.ID)
	if !ok || v.Status != ReviewRejected || v.Decision.ID == second.ID {
		t.Fatalf("review read back: %+v", v)
	}
	if _, _, ok := got.Review(uuid.New()); ok {
		t.Fatal("an unknown review was found")
	}
}

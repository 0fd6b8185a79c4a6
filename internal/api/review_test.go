package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/api"
)

// proposeReview stores a review the way a producer does, and returns it.
func proposeReview(t *testing.T, e *env, actor, stance string, dated bool) events.Event {
	t.Helper()
	off := int64(120)
	p := events.Position{Actor: events.MustCountry(actor), Stance: events.MustStance(stance), Topic: events.MustTopic("gaza-ceasefire"),
		Evidence: events.Evidence{Quote: actor + " criticised the text", URL: "https://example.org/story", Document: "story.txt", Offset: &off,
			Producer: events.ProducerNews, Confidence: 0.55}}
	reasons := []string{"confidence 0.55, below 0.70"}
	if dated {
		p.Occurred = events.OnDay(events.MustDate("2024-03-22"))
	} else {
		reasons = append(reasons, "the text does not date it")
	}
	ev := events.Event{ID: events.NewID(), Source: "stancewatch/news", SchemaVersion: events.CurrentSchemaVersion, Data: events.Review{Position: p, Reasons: reasons}}
	if _, err := e.store.Append(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestReviewQueueOverHTTP(t *testing.T) {
	e := newEnv(t, api.Config{})
	undated := proposeReview(t, e, "RU", "oppose", false)
	dated := proposeReview(t, e, "IL", "oppose", true)
	last, _ := e.store.LastSeq(context.Background())

	q := e.get(fmt.Sprintf("/v1/review?min_seq=%d", last), 200)
	if n := len(dig(q, "reviews").([]any)); n != 2 {
		t.Fatalf("pending reviews: %d, want 2: %v", n, q)
	}
	if got := dig(q, "reviews", 0, "reasons", 1); got != "the text does not date it" {
		t.Fatalf("reasons: %v", got)
	}
	// reviews are not in the stance histories
	if h := e.get("/v1/actors/RU/history?topic=gaza-ceasefire", 200); strings.Contains(fmt.Sprint(h), "criticised the text") {
		t.Fatal("a review is in the history before it is accepted")
	}

	// accepting an undated proposal needs the reviewer's date
	p := e.post("/v1/review/"+undated.ID.String()+"/accept", `{}`, 400)
	if !strings.Contains(fmt.Sprint(p["fields"]), "occurred") {
		t.Fatalf("problem does not name occurred: %v", p)
	}
	a := e.post("/v1/review/"+undated.ID.String()+"/accept", `{"occurred":"2024-03-22","motion":"S/2024/239","reason":"dated from the meeting record"}`, 201)
	seq := int(dig(a, "position", "seq").(float64))
	h := e.get(fmt.Sprintf("/v1/actors/RU/history?topic=gaza-ceasefire&min_seq=%d", seq), 200)
	if !strings.Contains(fmt.Sprint(h), "RU criticised the text") {
		t.Fatalf("the accepted position is not in RU's history: %v", h)
	}
	// accepting again adds nothing; accepting again with other changes, or
	// rejecting an accepted review, is a conflict
	if again := e.post("/v1/review/"+undated.ID.String()+"/accept", `{"occurred":"2024-03-22","motion":"S/2024/239","reason":"dated from the meeting record"}`, 200); dig(again, "position", "duplicate") != true {
		t.Fatalf("second accept: %v", again)
	}
	e.post("/v1/review/"+undated.ID.String()+"/accept", `{"occurred":"2024-03-22"}`, 409)
	e.post("/v1/review/"+undated.ID.String()+"/reject", `{"reason":"changed my mind"}`, 409)

	// rejecting needs a reason, and then accepting is a conflict
	e.post("/v1/review/"+dated.ID.String()+"/reject", `{}`, 400)
	r := e.post("/v1/review/"+dated.ID.String()+"/reject", `{"reason":"criticism of the Council, not of the text"}`, 201)
	e.post("/v1/review/"+dated.ID.String()+"/accept", `{}`, 409)

	seq = int(dig(r, "decision", "seq").(float64))
	all := e.get(fmt.Sprintf("/v1/review?status=all&min_seq=%d", seq), 200)
	status := map[string]string{}
	for _, v := range dig(all, "reviews").([]any) {
		status[dig(v, "actor").(string)] = dig(v, "status").(string)
	}
	if status["RU"] != "accepted" || status["IL"] != "rejected" {
		t.Fatalf("statuses %v", status)
	}
	if n := len(dig(e.get("/v1/review", 200), "reviews").([]any)); n != 0 {
		t.Fatalf("%d reviews still pending", n)
	}
	one := e.get("/v1/review/"+dated.ID.String(), 200)
	if dig(one, "review", "decision", "reason") != "criticism of the Council, not of the text" {
		t.Fatalf("review %v", one)
	}

	// errors say what and where
	e.get("/v1/review?status=maybe", 400)
	e.get("/v1/review/not-a-uuid", 404)
	e.post("/v1/review/"+events.NewID().String()+"/accept", `{}`, 404)
	e.post("/v1/review/"+undated.ID.String()+"/accept", `{"occurred":"2024-02-30"}`, 400)
	e.post("/v1/review/"+undated.ID.String()+"/accept", `{"colour":"red"}`, 400)
}

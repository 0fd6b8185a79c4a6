package news

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// Source is the CloudEvents source of events from news articles.
const Source = "stancewatch/news"

// IngestOptions tune how findings become events.
type IngestOptions struct {
	// ReviewBelow sends findings under this confidence to the review
	// queue (default DefaultReviewBelow; 0 < ReviewBelow ≤ 1).
	ReviewBelow float64
	// Now stamps the events' time (default time.Now).
	Now time.Time
}

// Validate reports what is wrong with the options: the review threshold
// is a confidence from 0 (the default's stand-in) to 1.
func (o IngestOptions) Validate() error {
	if o.ReviewBelow < 0 || o.ReviewBelow > 1 {
		return events.FieldError{Field: "review_below", Message: fmt.Sprintf("%v: want a confidence from 0 to 1", o.ReviewBelow)}
	}
	return nil
}

// Events turns an article's findings into events: a position for each
// finding sure enough, dated and with a topic; a review for each other.
// Ids derive from the article's text and what was found, so ingesting the
// same article again adds nothing, ever.
func Events(a Article, found []Finding, o IngestOptions) ([]events.Event, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.ReviewBelow == 0 {
		o.ReviewBelow = DefaultReviewBelow
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	sum := sha256.Sum256([]byte(a.Text[a.Body:]))
	body := hex.EncodeToString(sum[:])
	var out []events.Event
	for _, f := range found {
		p := events.Position{Actor: f.Actor, Stance: f.Stance}
		if f.Motion != nil {
			p.Motion = *f.Motion
		}
		if f.Topic != nil {
			p.Topic = *f.Topic
		}
		if f.Occurred != nil {
			p.Occurred = events.OnDay(*f.Occurred)
		}
		off := int64(f.Offset)
		p.Evidence = events.Evidence{
			Quote: f.Evidence, URL: a.Source, Citation: a.Title, Document: a.File, Offset: &off,
			Producer: events.ProducerNews, Confidence: f.Confidence,
		}
		key := []string{body, f.Actor.String(), f.Stance.String(), p.Motion.String(), p.Occurred.String()}
		var why []string
		if f.Confidence < o.ReviewBelow {
			why = append(why, fmt.Sprintf("confidence %.2f, below %.2f", f.Confidence, o.ReviewBelow))
		}
		if p.Occurred.IsZero() {
			why = append(why, "the text does not date it")
		}
		if p.Topic.IsZero() {
			why = append(why, "the text does not show its topic")
		}
		ev := events.Event{Source: Source, Time: o.Now.UTC(), SchemaVersion: events.CurrentSchemaVersion}
		if len(why) == 0 {
			ev.ID = events.DeterministicID(append([]string{"news"}, key...)...)
			ev.Data = p
		} else {
			for _, r := range f.Reasons {
				why = append(why, "read: "+r)
			}
			ev.ID = events.DeterministicID(append([]string{"news-review"}, key...)...)
			ev.Data = events.Review{Position: p, Reasons: why}
		}
		if err := ev.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %s %s at byte %d: %w", a.File, f.Actor, f.Stance, f.Offset, err)
		}
		out = append(out, ev)
	}
	return out, nil
}

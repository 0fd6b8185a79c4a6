package events

// Claim says which producer an event writes as, and which of its fields
// says so: a position's evidence (or a proposed position's), and the
// official record (rollcall) for a motion. Retractions, corrections' and
// reviews' decisions claim no producer of their own (Producer zero).
// Derived reports the events only stancewatch's projector writes (shift
// and alignment alerts): no producer may write those.
//
// Whoever stores events checks the claim against the writer's
// credentials: an HTTP token's producers, the producer a NATS user may
// write as.
func (e Event) Claim() (p Producer, field string, derived bool) {
	switch d := e.Data.(type) {
	case Position:
		return d.Evidence.Producer, "data.evidence.producer", false
	case Review:
		return d.Position.Evidence.Producer, "data.position.evidence.producer", false
	case Motion:
		return ProducerRollCall, "a motion (the official record)", false
	case ShiftAlert, AlignmentAlert:
		return Producer{}, "", true
	}
	return Producer{}, "", false
}

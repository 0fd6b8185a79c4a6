// Package projections folds the event stream into stance histories: for
// every actor and topic, its observations in the order the positions were
// taken, the timeline they count, the current stance and every shift; for
// every motion, its roll call and outcome.
//
// The package is pure. It knows nothing of NATS or HTTP: it takes events
// with their stream metadata and returns state, deterministically. The
// state depends only on the set of events applied, not on their order, and
// applying an event twice changes nothing, so a projection restored from a
// checkpoint and a clean replay of the stream always agree.
package projections

// Package projector keeps a projection of the event stream up to date:
// a Projection holds a projections.State that HTTP handlers read
// concurrently, and a Projector (the worker) restores it from the last
// checkpoint, follows the stream from there, applies each event (an
// atomic batch under one lock, so no reader sees half a roll call),
// publishes the derived events the fold causes (shift alerts, dead
// letters) through one outbox, checkpoints as it goes, and rebuilds a new
// state beside the served one when asked. Replay folds the stream from
// sequence 1: the reference every projection must equal.
//
// The package knows the store (internal/store) and the fold
// (projections); the store knows nothing of projections.
package projector

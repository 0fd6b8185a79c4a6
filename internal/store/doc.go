// Package store keeps stancewatch's events in NATS JetStream: an embedded
// nats-server by default, or an external server or cluster. It creates the
// append-only event stream, appends events (one at a time, or a roll call
// as one atomic batch) so that each is stored once, ever, runs the
// projection worker that folds the stream into a projections.State and
// checkpoints it, and delivers live events to subscribers.
package store

// Package store keeps stancewatch's events in NATS JetStream, and does
// nothing else: an embedded nats-server by default, or an external server
// or cluster. It creates the append-only event stream (and the streams of
// derived events: shift alerts, dead letters), appends events (one at a
// time, a roll call as one atomic batch, or a bulk load of many) so that
// each is stored once, ever, and acknowledged only once it is on disk
// (the group commit), reads the stream back in order (Reader, for the
// projection worker; Subscribe, for live subscribers), and keeps
// checkpoint blobs. It speaks eventlog's vocabulary and knows no
// projection: what the blobs hold is internal/projector's business.
package store

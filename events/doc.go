// Package events is stancewatch's event language: the facts it records
// (positions, motions, retractions), the closed types they are made of
// (Country, Stance, Topic, MotionID, Date), their CloudEvents 1.0 JSON
// encoding, their ids and the NATS subjects they travel on.
//
// Values are parsed once, at the edge: a Country holds a valid ISO 3166-1
// code or nothing, a Stance one of the nine stances or nothing. Decode
// returns field-level errors ("data.actor: \"XX\" is not an ISO 3166-1
// country") that wrap the package's sentinel errors.
package events

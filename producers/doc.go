// Package producers turns what people and documents say into events.
// Subpackages read documents: votes reads roll calls (UN Digital Library
// CSV, stancewatch's dataset format). This package builds an analyst's
// position from the fields a person types.
package producers

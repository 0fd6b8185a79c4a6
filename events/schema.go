package events

import (
	"encoding/json"
	"fmt"
)

// Schema versions. The stream is never rewritten: an event keeps the
// version it was written with, and a reader upcasts its data, one version
// at a time, to CurrentSchemaVersion before decoding it. Every version
// ever written has fixtures in testdata/schema/v<N>/, and a test folds
// them all.
//
//	v1  evidence.source (URL or reference, one string); motion sources
//	    as strings.
//	v2  evidence.url and evidence.citation; motion sources as objects
//	    {url, citation}. A v1 source that is an absolute http(s) URL
//	    becomes the url, anything else the citation.

// upcaster turns the data of an event from one schema version into the
// next. It works on the JSON object, before any parsing.
type upcaster func(data map[string]json.RawMessage) error

// upcasters[t][v] upcasts type t from version v to v+1. A type without an
// entry for a version did not change in it.
var upcasters = map[Type]map[int]upcaster{
	TypePosition: {1: positionV1ToV2},
	TypeMotion:   {1: motionV1ToV2},
}

// upcast brings data written at version from up to CurrentSchemaVersion.
func upcast(t Type, from int, data json.RawMessage) (json.RawMessage, error) {
	if from >= CurrentSchemaVersion {
		return data, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	for v := from; v < CurrentSchemaVersion; v++ {
		if up := upcasters[t][v]; up != nil {
			if err := up(m); err != nil {
				return nil, fmt.Errorf("upcasting %s from schema version %d: %w", t, v, err)
			}
		}
	}
	return json.Marshal(m)
}

func positionV1ToV2(data map[string]json.RawMessage) error {
	raw, ok := data["evidence"]
	if !ok || string(raw) == "null" {
		return nil
	}
	var ev map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil // not an object: the decoder reports it
	}
	if s, ok := ev["source"]; ok {
		var src string
		if err := json.Unmarshal(s, &src); err == nil {
			delete(ev, "source")
			if split := SplitSource(src); split.URL != "" {
				ev["url"], _ = json.Marshal(split.URL)
			} else if split.Citation != "" {
				ev["citation"], _ = json.Marshal(split.Citation)
			}
		}
	}
	var err error
	data["evidence"], err = json.Marshal(ev)
	return err
}

func motionV1ToV2(data map[string]json.RawMessage) error {
	raw, ok := data["sources"]
	if !ok {
		return nil
	}
	var old []string
	if err := json.Unmarshal(raw, &old); err != nil {
		return nil // not a list of strings: the decoder reports it
	}
	sources := make([]Source, 0, len(old))
	for _, s := range old {
		sources = append(sources, SplitSource(s))
	}
	var err error
	data["sources"], err = json.Marshal(sources)
	return err
}

package events

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// provenance are the data fields that say where an observation was read
// (which file, which quote, which address), not what was observed: two
// copies of an event that differ only in them are the same fact reaching
// stancewatch from two sources, and the first stored stands.
var provenance = map[string]bool{"evidence": true, "sources": true, "title": true, "aliases": true, "note": true, "notes": true}

// Differences says how two events with the same id differ in what they
// state: their type, their subject (actor, topic) and their data other
// than provenance (an evidence's producer still counts). Nil means they
// state the same thing: the second is a duplicate of the first. Each
// difference reads "data.topic: \"a\", not \"b\"" (stored first, then
// other).
func Differences(stored, other Event) []string {
	var out []string
	if a, b := stored.Data.Type(), other.Data.Type(); a != b {
		return []string{fmt.Sprintf("type: %s, not %s", a, b)}
	}
	if a, b := stored.Subject(), other.Subject(); a != b {
		out = append(out, fmt.Sprintf("subject: %s, not %s", a, b))
	}
	a, errA := facts(stored)
	b, errB := facts(other)
	if errA != nil || errB != nil {
		return append(out, "data: cannot be compared")
	}
	keys := slices.Sorted(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, k := range keys {
		if va, vb := a[k], b[k]; va != vb {
			out = append(out, fmt.Sprintf("data.%s: %s, not %s", k, orNone(va), orNone(vb)))
		}
	}
	return out
}

// facts flattens an event's data, less provenance, to "path" → JSON value.
func facts(e Event) (map[string]string, error) {
	b, err := e.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var ce struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &ce); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range ce.Data {
		if k == "evidence" {
			var ev map[string]json.RawMessage
			if json.Unmarshal(v, &ev) == nil {
				if p, ok := ev["producer"]; ok {
					out["evidence.producer"] = string(p)
				}
			}
			continue
		}
		if provenance[k] || string(v) == "null" {
			continue
		}
		out[k] = string(v)
	}
	return out, nil
}

func orNone(v string) string {
	if v == "" {
		return "none"
	}
	return v
}

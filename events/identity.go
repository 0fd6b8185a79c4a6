package events

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// decidedToken marks the subjects of review decisions:
// reviews.<actor>.decided.<id>.
const decidedToken = "decided"

// IDFilter is the subject filter under which the store checks, as it
// appends, that the event's id is not stored yet: every subject of the
// event's family and actor that ends with the id, whatever the topic
// (positions.US.*.<id>; motions.*.<id>). So an id reused on another
// topic (a vote file ingested again under another topic) is refused
// instead of stored twice. The actor stays literal because the check
// runs in the server for every append and a wildcard over every actor
// and topic costs it a walk of the whole subject tree (measured: bulk
// loads 50k → 1.8k events/s); ids derived from documents include the
// actor anyway, and a hand-made id reused on another actor is refused by
// the HTTP layer's lookup and, failing that, by the projection.
func (e Event) IDFilter() string {
	toks := strings.Split(e.Subject(), ".")
	first := 1 // the first token that is not the family's
	if toks[0] == PositionsToken || toks[0] == ShiftsToken || toks[0] == AlignmentToken {
		first = 2 // keep the actor
	}
	for i := first; i < len(toks)-1; i++ {
		if toks[i] != decidedToken && !(toks[0] == ReviewsToken && i == 1) {
			toks[i] = "*"
		}
	}
	return strings.Join(toks, ".")
}

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

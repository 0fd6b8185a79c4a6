package events

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecode: no input makes Decode panic; whatever it accepts encodes,
// and decodes back to the same encoding; whatever it refuses is refused
// with one of the package's sentinel errors.
func FuzzDecode(f *testing.F) {
	b, _ := samplePosition().Encode()
	f.Add(b)
	f.Add([]byte(`{"type":"org.stancewatch.motion","specversion":"1.0","id":"0190c7a2-7a5e-7cc0-8000-000000000001","source":"x","data":{"id":"2728","kind":"resolution","topic":"t","date":"2024-03-25","outcome":"adopted","sources":[{"url":"https://example.org"}]}}`))
	f.Add([]byte(`{"type":"org.stancewatch.position","schemaversion":1,"specversion":"1.0","id":"0190c7a2-7a5e-7cc0-8000-000000000002","source":"x","data":{"actor":"USA","topic":"g","stance":"N","occurred":"2024-02-29","evidence":{"source":"a ref","producer":"news"}}}`))
	f.Add([]byte(`{"type":"org.stancewatch.retraction","data":{"target":"x"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"data":null}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, opts := range [][]DecodeOption{nil, {Strict()}} {
			ev, err := Decode(in, opts...)
			if err != nil {
				if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("error %v wraps no sentinel", err)
				}
				continue
			}
			out, err := ev.Encode()
			if err != nil {
				t.Fatalf("decoded %q but cannot encode it: %v", in, err)
			}
			again, err := Decode(out, Strict())
			if err != nil {
				t.Fatalf("re-decoding %s: %v", out, err)
			}
			out2, _ := again.Encode()
			if !bytes.Equal(out, out2) {
				t.Fatalf("encoding is not stable:\n%s\n%s", out, out2)
			}
		}
	})
}

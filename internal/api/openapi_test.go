package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/stancewatch/stancewatch/internal/api"
)

// loadOpenAPI reads the served /openapi.json and validates it as an
// OpenAPI document.
func loadOpenAPI(t *testing.T, url string) *openapi3.T {
	t.Helper()
	_, body := getRaw(t, url+"/openapi.json")
	doc, err := openapi3.NewLoader().LoadFromData([]byte(body))
	if err != nil {
		t.Fatalf("/openapi.json does not load: %v", err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("/openapi.json is not a valid OpenAPI document: %v", err)
	}
	return doc
}

// TestOpenAPIDocument: the document validates, names every operation,
// has a licence and a relative server, and documents errors as Problems.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t, api.Config{})
	doc := loadOpenAPI(t, e.url)
	if doc.Info.License == nil || doc.Info.License.Name == "" {
		t.Error("no licence")
	}
	for _, s := range doc.Servers {
		if strings.Contains(s.URL, "://") {
			t.Errorf("server %q is not relative", s.URL)
		}
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s share the operationId %s", where, other, op.OperationID)
			}
			ids[op.OperationID] = where
			for code, r := range op.Responses.Map() {
				if code >= "400" && r.Value.Content.Get(api.ProblemContentType) == nil {
					t.Errorf("%s: %s is not a Problem", where, code)
				}
			}
		}
	}
}

// TestLiveResponsesMatchOpenAPI drives a real server over a real embedded
// NATS and checks each answer — successes and errors — against the
// operation /openapi.json documents for it (kin-openapi's
// openapi3filter.ValidateResponse, undocumented statuses refused).
func TestLiveResponsesMatchOpenAPI(t *testing.T) {
	e := newEnv(t, api.Config{MaxBodyBytes: 8 << 10, MaxWait: time.Second})
	doc := loadOpenAPI(t, e.url)
	// Body decoders for the answers that are not JSON: their schemas, when
	// they have one, are strings.
	text := func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	}
	for _, ct := range []string{"application/x-ndjson", "text/csv", "text/event-stream", "text/html", "image/x-icon"} {
		openapi3filter.RegisterBodyDecoder(ct, text)
	}
	ack := e.post("/v1/events", fmt.Sprintf(position, "NL", "support", "the netherlands welcomed it"), 201)
	id := ack["id"].(string)
	unknown := "0190c7a2-7a5e-7cc0-8000-00000000dead"
	for _, tc := range []struct {
		name, method, route, url, ctype, body string
		status                                int
	}{
		{"index", "GET", "/v1", "/v1", "", "", 200},
		{"root, JSON", "GET", "/", "/", "", "", 200},
		{"livez", "GET", "/livez", "/livez", "", "", 200},
		{"readyz", "GET", "/readyz", "/readyz", "", "", 200},
		{"actors", "GET", "/v1/actors", "/v1/actors", "", "", 200},
		{"actors as of a day", "GET", "/v1/actors", "/v1/actors?as_of=2024-01-01&exclude_own=true", "", "", 200},
		{"actors, a bad day", "GET", "/v1/actors", "/v1/actors?as_of=2024-02-30", "", "", 400},
		{"actors, min_seq far ahead", "GET", "/v1/actors", "/v1/actors?min_seq=99999999", "", "", 409},
		{"actors, min_seq not reached", "GET", "/v1/actors", "/v1/actors?min_seq=1000&wait=0.05", "", "", 503},
		{"actor", "GET", "/v1/actors/{actor}", "/v1/actors/US", "", "", 200},
		{"actor without positions", "GET", "/v1/actors/{actor}", "/v1/actors/NZ", "", "", 404},
		{"history", "GET", "/v1/actors/{actor}/history", "/v1/actors/US/history?topic=gaza-ceasefire", "", "", 200},
		{"histories", "GET", "/v1/actors/{actor}/history", "/v1/actors/FR/history", "", "", 200},
		{"topics", "GET", "/v1/topics", "/v1/topics", "", "", 200},
		{"topic", "GET", "/v1/topics/{topic}", "/v1/topics/gaza-ceasefire", "", "", 200},
		{"unknown topic", "GET", "/v1/topics/{topic}", "/v1/topics/climate", "", "", 404},
		{"matrix", "GET", "/v1/topics/{topic}/matrix", "/v1/topics/gaza-ceasefire/matrix", "", "", 200},
		{"alignment", "GET", "/v1/alignment", "/v1/alignment?actor=GB&with=US,p5&topic=gaza-ceasefire", "", "", 200},
		{"alignment, bad measure", "GET", "/v1/alignment", "/v1/alignment?actor=GB&with=US&measure=nope", "", "", 400},
		{"alignment matrix", "GET", "/v1/alignment/matrix", "/v1/alignment/matrix?period=2024&topic=gaza-ceasefire", "", "", 200},
		{"alignment matrix, CSV", "GET", "/v1/alignment/matrix", "/v1/alignment/matrix?period=2024&format=csv", "", "", 200},
		{"alignment matrix, no period", "GET", "/v1/alignment/matrix", "/v1/alignment/matrix", "", "", 400},
		{"alignment scale", "GET", "/v1/alignment/scale", "/v1/alignment/scale?period=2024&topic=gaza-ceasefire&min=3", "", "", 200},
		{"alignment scale, CSV", "GET", "/v1/alignment/scale", "/v1/alignment/scale?from=2023&to=2024&format=csv", "", "", 200},
		{"alignment scale, bad min", "GET", "/v1/alignment/scale", "/v1/alignment/scale?period=2024&min=none", "", "", 400},
		{"divergent", "GET", "/v1/alignment/divergent", "/v1/alignment/divergent?actor=US&with=DZ", "", "", 200},
		{"roll calls behind a figure", "GET", "/v1/alignment/rollcalls", "/v1/alignment/rollcalls?actor=US&with=DZ&from=2024&to=2024&limit=5", "", "", 200},
		{"roll calls against a bloc, a later page", "GET", "/v1/alignment/rollcalls", "/v1/alignment/rollcalls?actor=FR&with=p5&offset=3", "", "", 200},
		{"roll calls, two references", "GET", "/v1/alignment/rollcalls", "/v1/alignment/rollcalls?actor=US&with=DZ,p5", "", "", 400},
		{"blocs", "GET", "/v1/alignment/blocs", "/v1/alignment/blocs", "", "", 200},
		{"bloc", "GET", "/v1/alignment/blocs/{id}", "/v1/alignment/blocs/eu", "", "", 200},
		{"no such bloc", "GET", "/v1/alignment/blocs/{id}", "/v1/alignment/blocs/nope", "", "", 404},
		{"define a bloc", "POST", "/v1/alignment/blocs", "/v1/alignment/blocs", "application/json", `{"id":"e3","members":["FR","GB","DE"]}`, 201},
		{"redefine a shipped bloc", "POST", "/v1/alignment/blocs", "/v1/alignment/blocs", "application/json", `{"id":"eu","members":["FR"]}`, 409},
		{"export alignment", "GET", "/v1/export/alignment.csv", "/v1/export/alignment.csv?actor=GB", "", "", 200},
		{"matrix of a year, stances", "GET", "/v1/topics/{topic}/matrix", "/v1/topics/gaza-ceasefire/matrix?year=2024&cells=stance", "", "", 200},
		{"matrix of days", "GET", "/v1/topics/{topic}/matrix", "/v1/topics/gaza-ceasefire/matrix?from=2024-01-01&to=2024-06-30", "", "", 200},
		{"matrix, bad cut", "GET", "/v1/topics/{topic}/matrix", "/v1/topics/gaza-ceasefire/matrix?year=75&cells=some", "", "", 400},
		{"years", "GET", "/v1/topics/{topic}/years", "/v1/topics/gaza-ceasefire/years", "", "", 200},
		{"years as of a day", "GET", "/v1/topics/{topic}/years", "/v1/topics/gaza-ceasefire/years?as_of=2024-01-01", "", "", 200},
		{"years of an unknown topic", "GET", "/v1/topics/{topic}/years", "/v1/topics/climate/years", "", "", 404},
		{"shifts", "GET", "/v1/shifts", "/v1/shifts?actor=US&since=2024-01-01", "", "", 200},
		{"shifts, every bad parameter", "GET", "/v1/shifts", "/v1/shifts?actor=Atlantis&since=March", "", "", 400},
		{"conflicts", "GET", "/v1/conflicts", "/v1/conflicts", "", "", 200},
		{"motions", "GET", "/v1/motions", "/v1/motions?topic=gaza-ceasefire", "", "", 200},
		{"motion", "GET", "/v1/motions/{id}", "/v1/motions/S/RES/2728", "", "", 200},
		{"unknown motion", "GET", "/v1/motions/{id}", "/v1/motions/S/1999/1", "", "", 404},
		{"dead letters", "GET", "/v1/deadletters", "/v1/deadletters", "", "", 200},
		{"reviews", "GET", "/v1/review", "/v1/review?status=all", "", "", 200},
		{"reviews, a bad status", "GET", "/v1/review", "/v1/review?status=maybe", "", "", 400},
		{"unknown review", "GET", "/v1/review/{id}", "/v1/review/" + unknown, "", "", 404},
		{"event", "GET", "/v1/events/{id}", "/v1/events/" + id, "", "", 200},
		{"unknown event", "GET", "/v1/events/{id}", "/v1/events/" + unknown, "", "", 404},
		{"append", "POST", "/v1/events", "/v1/events", "application/json", fmt.Sprintf(position, "BE", "support", "belgium"), 201},
		{"append again", "POST", "/v1/events", "/v1/events", "application/json", fmt.Sprintf(`{"id":%q,`, id) + fmt.Sprintf(position, "NL", "oppose", "the netherlands welcomed it")[1:], 409},
		{"append, invalid", "POST", "/v1/events", "/v1/events", "application/json", fmt.Sprintf(position, "XX", "maybe", "x"), 400},
		{"append, not JSON", "POST", "/v1/events", "/v1/events", "application/json", `{"type":`, 400},
		{"append, too large", "POST", "/v1/events", "/v1/events", "application/json", fmt.Sprintf(position, "BE", "support", strings.Repeat("x", 9000)), 413},
		{"append, text", "POST", "/v1/events", "/v1/events", "text/plain", "hello", 415},
		{"append an array, some wrong", "POST", "/v1/events", "/v1/events", "application/json",
			"[" + fmt.Sprintf(position, "LU", "support", "lu") + "," + fmt.Sprintf(position, "XX", "support", "x") + "]", 207},
		{"append a batch", "POST", "/v1/events", "/v1/events", api.BatchContentType, "[" + fmt.Sprintf(position, "AT", "support", "at") + "]", 201},
		{"append a batch, one wrong", "POST", "/v1/events", "/v1/events", api.BatchContentType, "[" + fmt.Sprintf(position, "XX", "support", "x") + "]", 400},
		{"correct", "POST", "/v1/events/{id}/correct", "/v1/events/" + id + "/correct", "application/json", `{"stance":"conditional","evidence":{"quote":"only if"}}`, 201},
		{"correct, no evidence", "POST", "/v1/events/{id}/correct", "/v1/events/" + id + "/correct", "application/json", `{"stance":"oppose"}`, 400},
		{"retract", "POST", "/v1/events/{id}/retract", "/v1/events/" + id + "/retract", "application/json", `{"reason":"misread"}`, 201},
		{"retract, another reason", "POST", "/v1/events/{id}/retract", "/v1/events/" + id + "/retract", "application/json", `{"reason":"other"}`, 409},
		{"retract an unknown event", "POST", "/v1/events/{id}/retract", "/v1/events/" + unknown + "/retract", "application/json", `{"reason":"x"}`, 404},
		{"stream, a bad kind", "GET", "/v1/stream", "/v1/stream?kind=bogus", "", "", 400},
		{"export positions", "GET", "/v1/export/positions.csv", "/v1/export/positions.csv?actor=US", "", "", 200},
		{"export positions, bad all", "GET", "/v1/export/positions.csv", "/v1/export/positions.csv?all=perhaps", "", "", 400},
		{"export motions", "GET", "/v1/export/motions.csv", "/v1/export/motions.csv", "", "", 200},
		{"export events", "GET", "/v1/export/events.jsonl", "/v1/export/events.jsonl?actor=NL", "", "", 200},
		{"export dead letters", "GET", "/v1/export/deadletters.jsonl", "/v1/export/deadletters.jsonl", "", "", 200},
		{"state", "GET", "/v1/admin/state", "/v1/admin/state", "", "", 200},
		{"verify", "GET", "/v1/admin/verify", "/v1/admin/verify", "", "", 200},
		{"rebuild status", "GET", "/v1/admin/rebuild", "/v1/admin/rebuild", "", "", 200},
		{"page file", "GET", "/ui/{file}", "/ui/nothing.js", "", "", 404},
		{"favicon", "GET", "/favicon.ico", "/favicon.ico", "", "", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), tc.method, e.url+tc.url, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("%s %s: %d, want %d: %s", tc.method, tc.url, resp.StatusCode, tc.status, b)
			}
			item := doc.Paths.Value(tc.route)
			if item == nil || item.GetOperation(tc.method) == nil {
				t.Fatalf("%s %s is not documented", tc.method, tc.route)
			}
			in := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req,
					Route: &routers.Route{Spec: doc, Path: tc.route, PathItem: item, Method: tc.method, Operation: item.GetOperation(tc.method)}},
				Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(b)),
				Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
			}
			if err := openapi3filter.ValidateResponse(t.Context(), in); err != nil {
				t.Fatalf("%s %s (%d) does not match /openapi.json: %v\n%s", tc.method, tc.url, resp.StatusCode, err, b[:min(len(b), 600)])
			}
		})
	}
}

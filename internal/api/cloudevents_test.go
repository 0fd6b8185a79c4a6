package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/api"
)

// sdkEvent is a position as another system makes it with the CloudEvents
// Go SDK: its own id, source and time, a dataschema, and the tracing and
// partitioning extensions.
func sdkEvent(t *testing.T, actor, quote string) event.Event {
	t.Helper()
	ev := cloudevents.NewEvent()
	ev.SetID(events.NewID().String())
	ev.SetSource("https://newsroom.example/feeds/un")
	ev.SetType(string(events.TypePosition))
	ev.SetTime(time.Now().UTC())
	ev.SetDataSchema("https://newsroom.example/schemas/position/2")
	ev.SetExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	ev.SetExtension("tracestate", "rojo=00f067aa0ba902b7")
	ev.SetExtension("partitionkey", actor)
	if err := ev.SetData(cloudevents.ApplicationJSON, map[string]any{
		"actor": actor, "topic": "gaza-ceasefire", "stance": "support", "occurred": "2024-03-26",
		"evidence": map[string]any{"quote": quote, "url": "https://newsroom.example/a"},
	}); err != nil {
		t.Fatal(err)
	}
	return ev
}

// sdkClient is the CloudEvents Go SDK's HTTP client, aimed at the API.
func sdkClient(t *testing.T, url string) cloudevents.Client {
	t.Helper()
	c, err := cloudevents.NewClientHTTP(cehttp.WithTarget(url))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCloudEventsSDKModes: the CloudEvents Go SDK, as a client, appends
// in binary mode (its default) and in structured mode; the dataschema
// and extensions come back on a read of the event, on the event stream
// and in the export.
func TestCloudEventsSDKModes(t *testing.T) {
	e := newEnv(t, api.Config{})
	c := sdkClient(t, e.url+"/v1/events")
	sse, _ := openSSE(t, e.url+"/v1/stream?actor=IE,PT", "")
	for _, tc := range []struct {
		name, actor string
		ctx         func(context.Context) context.Context
	}{
		{"binary mode", "IE", func(ctx context.Context) context.Context { return ctx }},
		{"structured mode", "PT", cloudevents.WithEncodingStructured},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sent := sdkEvent(t, tc.actor, tc.name+" quote")
			res := c.Send(tc.ctx(t.Context()), sent)
			var hr *cehttp.Result
			if !cloudevents.IsACK(res) || !cloudevents.ResultAs(res, &hr) || hr.StatusCode != http.StatusCreated {
				t.Fatalf("send: %v", res)
			}
			got := e.get("/v1/events/"+sent.ID(), 200)
			raw, _ := json.Marshal(got["event"])
			var back event.Event
			if err := json.Unmarshal(raw, &back); err != nil {
				t.Fatalf("the stored event is not a CloudEvent to the SDK: %v\n%s", err, raw)
			}
			checkSameEnvelope(t, sent, back)
			ev := next(t, sse)
			if ev.kind != "position" || !strings.Contains(ev.data, sent.ID()) {
				t.Fatalf("stream: %+v", ev)
			}
			var streamed event.Event
			if err := json.Unmarshal([]byte(ev.data), &streamed); err != nil {
				t.Fatal(err)
			}
			checkSameEnvelope(t, sent, streamed)
		})
	}
	_, jsonl := getRaw(t, e.url+"/v1/export/events.jsonl?actor=IE")
	if !strings.Contains(jsonl, `"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"`) {
		t.Fatalf("the export lost the extensions:\n%s", jsonl)
	}
}

func checkSameEnvelope(t *testing.T, sent, got event.Event) {
	t.Helper()
	if got.ID() != sent.ID() || got.Source() != sent.Source() || got.DataSchema() != sent.DataSchema() || !got.Time().Equal(sent.Time()) {
		t.Fatalf("envelope: sent %s, got %s", sent, got)
	}
	for _, name := range []string{"traceparent", "tracestate", "partitionkey"} {
		if got.Extensions()[name] != sent.Extensions()[name] {
			t.Errorf("%s: sent %v, got %v", name, sent.Extensions()[name], got.Extensions()[name])
		}
	}
}

// TestCloudEventsBatch: a batch (application/cloudevents-batch+json) of
// SDK events is stored as one atomic batch, again as duplicates, and a
// batch with one wrong event is refused whole, every wrong field named
// by its event's index.
func TestCloudEventsBatch(t *testing.T) {
	e := newEnv(t, api.Config{})
	batch := []event.Event{sdkEvent(t, "NO", "norway"), sdkEvent(t, "SE", "sweden"), sdkEvent(t, "DK", "denmark")}
	body, err := json.Marshal(batch)
	if err != nil {
		t.Fatal(err)
	}
	m := e.do("POST", "/v1/events", api.BatchContentType, string(body), 201)
	if m["stored"] != 3.0 || dig(m, "results", 2, "id") != batch[2].ID() {
		t.Fatalf("batch: %v", m)
	}
	seq := int(dig(m, "results", 2, "seq").(float64))
	if dig(m, "results", 0, "seq").(float64) != float64(seq-2) {
		t.Fatalf("a batch's events are not consecutive: %v", m)
	}
	e.get(fmt.Sprintf("/v1/actors/DK/history?topic=gaza-ceasefire&min_seq=%d", seq), 200)
	if again := e.do("POST", "/v1/events", api.BatchContentType, string(body), 200); again["duplicates"] != 3.0 {
		t.Fatalf("the same batch again: %v", again)
	}

	before := e.get("/v1/admin/state", 200)["seq"]
	bad := []event.Event{sdkEvent(t, "FI", "finland"), sdkEvent(t, "Atlantis", "nowhere"), sdkEvent(t, "IS", "")}
	body, _ = json.Marshal(bad)
	p := e.do("POST", "/v1/events", api.BatchContentType, string(body), 400)
	var fields []string
	for _, f := range p["fields"].([]any) {
		fields = append(fields, dig(f, "field").(string))
	}
	if strings.Join(fields, ",") != "[1].data.actor" || !strings.Contains(p["detail"].(string), "nothing was stored") {
		t.Fatalf("a wrong batch: %v", p)
	}
	if after := e.get("/v1/admin/state", 200)["seq"]; after != before {
		t.Fatalf("a refused batch stored something: %v → %v", before, after)
	}
	e.do("POST", "/v1/events", api.BatchContentType, `[]`, 400)
	e.do("POST", "/v1/events", api.BatchContentType, `{"not":"an array"}`, 400)
}

// TestCloudEventsAttributeErrors: attributes a binary-mode client gets
// wrong are named, each, with the rule they break.
func TestCloudEventsAttributeErrors(t *testing.T) {
	e := newEnv(t, api.Config{})
	data := `{"actor":"IE","topic":"gaza-ceasefire","stance":"support","occurred":"2024-03-26","evidence":{"quote":"q"}}`
	for _, tc := range []struct {
		name    string
		headers map[string]string
		body    string
		status  int
		fields  string
		detail  string
	}{
		{"accepted, an extension of its own", map[string]string{"ce-priority": "high"}, data, 201, "", ""},
		{"an invalid extension name", map[string]string{"ce-trace_id": "x"}, data, 400, "trace_id", "lowercase letters a-z and digits 0-9 only"},
		{"a name longer than 20", map[string]string{"ce-averyveryverylongname1": "x"}, data, 400, "averyveryverylongname1", "at most 20 characters"},
		{"a dataschema that is not a URI", map[string]string{"ce-dataschema": "schemas/position"}, data, 400, "dataschema", "absolute URI"},
		{"the data in a header", map[string]string{"ce-data": "{}"}, data, 400, "data", "the body is the data"},
		{"a body that is not JSON", nil, "actor=IE", 400, "", "is not JSON"},
		{"every wrong attribute and field", map[string]string{"ce-time": "yesterday", "ce-Bad_Name": "x"}, `{"actor":"XX"}`, 400,
			"bad_name,time,data.actor,data.evidence,data.topic,data.stance,data.occurred", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.url+"/v1/events", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("ce-specversion", "1.0")
			req.Header.Set("ce-type", string(events.TypePosition))
			req.Header.Set("ce-source", "test")
			req.Header.Set("ce-id", events.NewID().String())
			for k, v := range tc.headers {
				req.Header[k] = []string{v}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var m map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&m)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d, want %d: %v", resp.StatusCode, tc.status, m)
			}
			if tc.status < 400 {
				return
			}
			var fields []string
			fs, _ := m["fields"].([]any)
			for _, f := range fs {
				fields = append(fields, dig(f, "field").(string))
			}
			detail, _ := m["detail"].(string)
			if got := strings.Join(fields, ","); got != tc.fields || !strings.Contains(detail, tc.detail) {
				t.Fatalf("fields %q, want %q; detail %q, want %q", got, tc.fields, detail, tc.detail)
			}
		})
	}
}

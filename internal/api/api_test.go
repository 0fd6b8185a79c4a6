package api_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/data"
	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/internal/api"
	"github.com/stancewatch/stancewatch/internal/metrics"
	"github.com/stancewatch/stancewatch/internal/projector"
	"github.com/stancewatch/stancewatch/internal/store"
	"github.com/stancewatch/stancewatch/producers"
	"github.com/stancewatch/stancewatch/producers/votes"
	"github.com/stancewatch/stancewatch/projections/alignment"
)

type env struct {
	t     *testing.T
	url   string
	store *store.Store
	proj  *projector.Projection
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newEnv runs the whole stack on real parts: an embedded nats-server in a
// temporary directory, the projector, and the API on a real HTTP server,
// loaded with the bundled dataset.
func newEnv(t *testing.T, cfg api.Config) *env {
	t.Helper()
	ctx := context.Background()
	m := metrics.New()
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Listen: "off", Logger: quiet(), Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	rcs, _, err := votes.ReadDataset(bytes.NewReader(data.GazaRollCalls), data.GazaRollCallsFile)
	if err != nil {
		t.Fatal(err)
	}
	var groups [][]events.Event
	for _, rc := range rcs {
		evs, _ := rc.Events()
		groups = append(groups, evs)
	}
	if _, err := st.AppendGroups(ctx, groups, nil); err != nil {
		t.Fatal(err)
	}
	proj := projector.NewProjection()
	watch, err := alignment.NewWatcher(alignment.NewBlocs(cfg.Blocs...), alignment.AlertConfig{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	w, err := projector.New(st, proj, projector.Config{Logger: quiet(), NoCheckpoints: true, Alerts: true, AlertSource: "test", Metrics: m,
		TracerProvider: cfg.TracerProvider, Derive: watch})
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = w.Run(wctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	if cfg.Logger == nil {
		cfg.Logger = quiet()
	}
	cfg.Admin = w
	cfg.Metrics = m
	h, err := api.New(cfg, st, proj)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, url: srv.URL, store: st, proj: proj}
	last, _ := st.LastSeq(ctx)
	waitCtx, waitCancel := context.WithTimeout(ctx, 20*time.Second)
	defer waitCancel()
	if err := proj.WaitFor(waitCtx, last); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) do(method, path, ctype, body string, wantStatus int) map[string]any {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		e.t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, wantStatus, b)
	}
	wantType := "application/json"
	if resp.StatusCode >= 400 {
		wantType = api.ProblemContentType
	}
	if ct := resp.Header.Get("Content-Type"); ct != wantType {
		e.t.Fatalf("%s %s: Content-Type %q, want %q", method, path, ct, wantType)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		e.t.Fatalf("%s %s: not JSON: %s", method, path, b)
	}
	if resp.StatusCode >= 400 {
		checkProblem(e.t, resp.StatusCode, path, m)
	}
	return m
}

// checkProblem holds an error answer to RFC 9457: a type URI, a title,
// the status, a detail, and the request as the instance.
func checkProblem(t *testing.T, status int, path string, m map[string]any) {
	t.Helper()
	typ, _ := m["type"].(string)
	if !strings.HasPrefix(typ, api.ProblemTypePrefix) || m["title"] == "" || m["status"] != float64(status) ||
		m["detail"] == "" || m["instance"] != path {
		t.Fatalf("%s: not a Problem of status %d: %v", path, status, m)
	}
	if _, old := m["error"]; old {
		t.Fatalf("%s: the old error member: %v", path, m)
	}
}

func (e *env) get(path string, want int) map[string]any { return e.do("GET", path, "", "", want) }

func (e *env) post(path, body string, want int) map[string]any {
	return e.do("POST", path, "application/json", body, want)
}

// dig walks a decoded JSON value: dig(m, "history", "entries", 3, "stance").
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

func TestUSHistoryFromBundledData(t *testing.T) {
	e := newEnv(t, api.Config{})
	m := e.get("/v1/actors/US/history?topic=gaza-ceasefire", 200)
	if dig(m, "seq").(float64) < 244 {
		t.Fatalf("seq %v", dig(m, "seq"))
	}
	got := map[string]string{}
	for _, en := range dig(m, "history", "entries").([]any) {
		got[dig(en, "occurred").(string)] += dig(en, "stance").(string)
		if dig(en, "evidence", "url") == nil && dig(en, "evidence", "citation") == nil {
			t.Errorf("entry without evidence source: %v", en)
		}
	}
	if got["2024-02-20"] != "veto" || got["2024-03-25"] != "abstain" {
		t.Fatalf("US on 2024-02-20: %q, on 2024-03-25: %q", got["2024-02-20"], got["2024-03-25"])
	}
	// "USA", "the US" and "Washington" are the United States too.
	for _, alias := range []string{"USA", "the%20US", "Washington"} {
		if a := dig(e.get("/v1/actors/"+alias+"/history?topic=gaza-ceasefire", 200), "history", "actor"); a != "US" {
			t.Errorf("%s: actor %v", alias, a)
		}
	}
	shifts := e.get("/v1/shifts?actor=US", 200)["shifts"].([]any)
	found := false
	for _, s := range shifts {
		if dig(s, "from") == "veto" && dig(s, "to") == "abstain" {
			found = true
			if dig(s, "direction") != "toward_for" || dig(s, "from_position", "evidence", "quote") == "" {
				t.Errorf("shift %v", s)
			}
		}
	}
	if !found {
		t.Fatalf("no veto→abstain shift for the US: %v", shifts)
	}
	// On texts others put forward, the US went from veto (20 February,
	// Algeria's draft) straight to abstain (25 March, resolution 2728),
	// and back to veto in November.
	own := e.get("/v1/shifts?actor=US&topic=gaza-ceasefire&since=2024-03-01&exclude_own=true", 200)
	if own["exclude_own"] != true || len(own["shifts"].([]any)) != 2 || dig(own, "shifts", 1, "to") != "veto" ||
		dig(own, "shifts", 0, "from") != "veto" || dig(own, "shifts", 0, "to") != "abstain" || dig(own, "shifts", 0, "date") != "2024-03-25" ||
		dig(own, "shifts", 0, "from_position", "occurred") != "2024-02-20" {
		t.Fatalf("shifts on others' texts: %v", own)
	}
	mv := e.get("/v1/motions/S/RES/2728", 200)
	if dig(mv, "motion", "outcome") != "adopted" || len(dig(mv, "motion", "roll_call").([]any)) != 15 {
		t.Fatalf("motion 2728: %v", mv)
	}
	if dig(e.get("/v1/motions/2728", 200), "motion", "id") != "S/RES/2728" {
		t.Fatal("a resolution number should find the resolution")
	}
	if tv := e.get("/v1/topics/gaza-ceasefire", 200); len(dig(tv, "topic", "actors").([]any)) < 15 {
		t.Fatalf("topic view: %v", tv)
	}
	if a := e.get("/v1/actors/US", 200); len(dig(a, "actor", "topics").([]any)) != 3 {
		t.Fatalf("US topics: %v", a)
	}
}

func TestReadErrors(t *testing.T) {
	e := newEnv(t, api.Config{MaxWait: 200 * time.Millisecond})
	tests := []struct {
		name, path string
		status     int
		message    string
	}{
		{"not a country", "/v1/actors/XX", 404, `actor "XX": "XX" is not an ISO 3166-1 country`},
		{"country without positions", "/v1/actors/NZ", 404, "no positions recorded for NZ (New Zealand)"},
		{"unknown topic for actor", "/v1/actors/US/history?topic=climate", 404, "no positions recorded for US (United States) on climate"},
		{"unknown motion", "/v1/motions/S/1999/1", 404, "no motion S/1999/1 is recorded"},
		{"bad as_of", "/v1/actors?as_of=2024-02-30", 400, `as_of: "2024-02-30" is not a date`},
		{"bad known_at", "/v1/actors?known_at=yesterday", 400, "known_at:"},
		{"bad since", "/v1/shifts?since=March", 400, "since:"},
		{"bad filter actor", "/v1/shifts?actor=Atlantis", 400, `actor: "Atlantis" is not an ISO 3166-1 country`},
		{"min_seq far beyond the stream", "/v1/actors?min_seq=999999", 409, "min_seq 999999 is 999755 beyond the end of the stream (sequence 244)"},
		{"min_seq not reached within wait", "/v1/actors?min_seq=300&wait=50ms", 503, "did not reach min_seq 300 within 50ms"},
		{"bad wait", "/v1/actors?min_seq=3&wait=soon", 400, `wait: "soon" is not a duration`},
		{"every bad parameter", "/v1/shifts?as_of=2024-02-30&since=March&actor=Atlantis&min_seq=x", 400,
			`(a day that exists); actor: "Atlantis" is not an ISO 3166-1 country; since: "March" is not a date: want YYYY-MM-DD (a day that exists); min_seq: "x" is not a sequence number`},
		{"unknown route", "/v1/nothing", 404, "GET /v1/nothing: no such route"},
		{"unknown file of the page", "/ui/nothing.js", 404, "no such file"},
		{"unknown event", "/v1/events/0190c7a2-7a5e-7cc0-8000-000000000001", 404, "no event with id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := e.get(tc.path, tc.status)
			if msg, _ := m["detail"].(string); !strings.Contains(msg, tc.message) {
				t.Fatalf("error %q, want it to contain %q", msg, tc.message)
			}
		})
	}
}

const position = `{"type":"org.stancewatch.position","data":{"actor":"%s","topic":"gaza-ceasefire","stance":"%s","occurred":"2024-03-26","evidence":{"quote":"%s","url":"https://example.org"}}}`

func TestPostEvent(t *testing.T) {
	e := newEnv(t, api.Config{MaxBodyBytes: 64 << 10})
	m := e.post("/v1/events", fmt.Sprintf(position, "France", "support", "france welcomed the vote"), 201)
	seq := uint64(dig(m, "seq").(float64))
	id := dig(m, "id").(string)
	h := e.get(fmt.Sprintf("/v1/actors/FR/history?topic=gaza-ceasefire&min_seq=%d", seq), 200)
	var mine any
	for _, en := range dig(h, "history", "entries").([]any) {
		if dig(en, "id") == id {
			mine = en
		}
	}
	if mine == nil || dig(mine, "stance") != "support" || dig(mine, "evidence", "producer") != "analyst" || dig(mine, "occurred") != "2024-03-26" {
		t.Fatalf("the posted position is not in the history: %v", mine)
	}
	// The event as stored is a CloudEvent.
	ev := e.get("/v1/events/"+id, 200)
	if dig(ev, "event", "specversion") != "1.0" || dig(ev, "subject") != "positions.FR.gaza-ceasefire.analyst" {
		t.Fatalf("stored event %v", ev)
	}
	// Posting the same event again (same id) stores nothing.
	stored, _ := json.Marshal(dig(ev, "event"))
	again := e.post("/v1/events", string(stored), 200)
	if dig(again, "duplicate") != true || uint64(dig(again, "seq").(float64)) != seq {
		t.Fatalf("re-post: %v", again)
	}
}

func TestPostErrors(t *testing.T) {
	e := newEnv(t, api.Config{MaxBodyBytes: 4096})
	m := e.post("/v1/events", `{"type":"org.stancewatch.position","data":{"actor":"XX","topic":"gaza-ceasefire","stance":"veto","occurred":"2024-02-30","evidence":{"quote":"q"}}}`, 400)
	fields := dig(m, "fields").([]any)
	if len(fields) != 2 || dig(fields[0], "field") != "data.actor" || dig(fields[1], "field") != "data.occurred" {
		t.Fatalf("fields %v", fields)
	}
	if dig(fields[0], "message") != `"XX" is not an ISO 3166-1 country` {
		t.Fatalf("message %v", dig(fields[0], "message"))
	}
	e.post("/v1/events", `{"type":`, 400)
	e.post("/v1/events", ``, 400)
	e.post("/v1/events", fmt.Sprintf(position, "US", "veto", strings.Repeat("x", 5000)), 413)
	e.do("POST", "/v1/events", "text/plain", "hello", 415)
	e.post("/v1/events", `{"type":"org.stancewatch.position","unknown":1,"data":{}}`, 400)

	// Optimistic concurrency: a stale expected sequence is a conflict and
	// stores nothing.
	h := e.get("/v1/actors/US/history?topic=gaza-ceasefire", 200)
	last := dig(h, "seq").(float64)
	before, _ := e.store.LastSeq(context.Background())
	c := e.post("/v1/events?expected_seq=1", fmt.Sprintf(position, "US", "support", "late"), 409)
	if !strings.Contains(c["detail"].(string), "conflict on positions.US.gaza-ceasefire.*") {
		t.Fatalf("conflict: %v", c)
	}
	if after, _ := e.store.LastSeq(context.Background()); after != before {
		t.Fatal("a conflicting append stored an event")
	}
	_ = last
}

func TestPostBatchKeepsGoodEvents(t *testing.T) {
	e := newEnv(t, api.Config{})
	body := "[" + strings.Join([]string{
		fmt.Sprintf(position, "FR", "support", "one"),
		fmt.Sprintf(position, "XX", "support", "two"),
		`{"type":"nonsense"}`,
		fmt.Sprintf(position, "GB", "conditional", "three"),
	}, ",") + "]"
	m := e.post("/v1/events", body, 207)
	if dig(m, "stored").(float64) != 2 || dig(m, "rejected").(float64) != 2 {
		t.Fatalf("batch: %v", m)
	}
	rs := dig(m, "results").([]any)
	if dig(rs, 1, "status").(float64) != 400 || dig(rs, 1, "problem", "fields", 0, "field") != "data.actor" || dig(rs, 0, "status").(float64) != 201 ||
		dig(rs, 1, "problem", "type") != api.ProblemTypePrefix+"invalid" {
		t.Fatalf("results %v", rs)
	}
	seq := dig(rs, 3, "seq").(float64)
	e.get(fmt.Sprintf("/v1/actors/GB/history?topic=gaza-ceasefire&min_seq=%d", int(seq)), 200)
}

func TestRetract(t *testing.T) {
	e := newEnv(t, api.Config{})
	m := e.post("/v1/events", fmt.Sprintf(position, "DE", "oppose", "misread"), 201)
	id := dig(m, "id").(string)
	r := e.post("/v1/events/"+id+"/retract", `{"reason":"the article was about Austria"}`, 201)
	h := e.get(fmt.Sprintf("/v1/actors/DE/history?topic=gaza-ceasefire&min_seq=%d", int(dig(r, "seq").(float64))), 200)
	en := dig(h, "history", "entries", 0)
	if dig(en, "status") != "retracted" || dig(en, "retraction", "reason") != "the article was about Austria" || dig(h, "history", "current") != nil {
		t.Fatalf("history after retraction: %v", h)
	}
	e.post("/v1/events/"+dig(r, "id").(string)+"/retract", `{"reason":"x"}`, 400)
	e.post("/v1/events/0190c7a2-7a5e-7cc0-8000-000000000009/retract", `{"reason":"x"}`, 404)
	e.post("/v1/events/"+id+"/retract", `{}`, 400)
}

// sse reads Server-Sent Events into a channel of (id, event, data).
type sseEvent struct{ id, kind, data string }

func openSSE(t *testing.T, url, lastID string) (<-chan sseEvent, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("SSE: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	t.Cleanup(cancel)
	ch := make(chan sseEvent, 100)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var cur sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if cur.data != "" {
					ch <- cur
				}
				cur = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				cur.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				cur.kind = line[7:]
			case strings.HasPrefix(line, "data: "):
				cur.data = line[6:]
			}
		}
		close(ch)
	}()
	return ch, cancel
}

func next(t *testing.T, ch <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("event stream closed")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
	}
	return sseEvent{}
}

func TestSSEResumesWithoutGapOrDuplicate(t *testing.T) {
	e := newEnv(t, api.Config{})
	ch, stop := openSSE(t, e.url+"/v1/stream?actor=FR", "")
	first := e.post("/v1/events", fmt.Sprintf(position, "FR", "support", "a"), 201)
	e.post("/v1/events", fmt.Sprintf(position, "GB", "support", "not for this subscriber"), 201)
	ev := next(t, ch)
	if ev.id != fmt.Sprint(dig(first, "seq")) || ev.kind != "position" || !strings.Contains(ev.data, `"actor":"FR"`) {
		t.Fatalf("first event %+v (posted %v)", ev, first)
	}
	stop()
	// While disconnected, three more French positions arrive.
	var want []string
	for i := range 3 {
		m := e.post("/v1/events", fmt.Sprintf(position, "FR", "support", fmt.Sprint("later ", i)), 201)
		want = append(want, fmt.Sprint(dig(m, "seq")))
	}
	ch2, stop2 := openSSE(t, e.url+"/v1/stream?actor=FR", ev.id)
	defer stop2()
	for _, w := range want {
		if got := next(t, ch2); got.id != w {
			t.Fatalf("resumed stream delivered %s, want %s", got.id, w)
		}
	}
	select {
	case extra := <-ch2:
		t.Fatalf("unexpected event %+v", extra)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestSSEClientLimit(t *testing.T) {
	e := newEnv(t, api.Config{MaxSSEClients: 1})
	_, stop := openSSE(t, e.url+"/v1/stream", "")
	defer stop()
	e.get("/v1/stream", 503)
}

func TestHealth(t *testing.T) {
	e := newEnv(t, api.Config{})
	e.get("/livez", 200)
	if r := e.get("/readyz", 200); r["status"] != "ready" {
		t.Fatalf("readyz %v", r)
	}
}

func TestCorrect(t *testing.T) {
	e := newEnv(t, api.Config{})
	m := e.post("/v1/events", fmt.Sprintf(position, "DE", "support", "germany backs it"), 201)
	id := dig(m, "id").(string)
	c := e.post("/v1/events/"+id+"/correct", `{"stance":"conditional","evidence":{"quote":"germany backs it if hostages are freed"}}`, 201)
	h := e.get(fmt.Sprintf("/v1/actors/DE/history?topic=gaza-ceasefire&min_seq=%d", int(dig(c, "seq").(float64))), 200)
	entries := dig(h, "history", "entries").([]any)
	if len(entries) != 2 {
		t.Fatalf("the history should keep both: %v", entries)
	}
	orig, corr := entries[0], entries[1]
	if dig(orig, "status") != "superseded" || dig(orig, "corrected_by", 0) != dig(c, "id") {
		t.Fatalf("original: %v", orig)
	}
	// The correction's evidence is its own: the original's address proved
	// the original, and is not carried over.
	if dig(corr, "status") != "counted" || dig(corr, "stance") != "conditional" || dig(corr, "supersedes") != id ||
		dig(corr, "evidence", "quote") != "germany backs it if hostages are freed" || dig(corr, "evidence", "url") != nil ||
		dig(corr, "evidence", "producer") != "analyst" {
		t.Fatalf("correction: %v", corr)
	}
	if dig(h, "history", "current", "stance") != "conditional" {
		t.Fatalf("current: %v", dig(h, "history", "current"))
	}
	bad := e.post("/v1/events/"+id+"/correct", `{"stance":"maybe"}`, 400)
	if dig(bad, "fields", 0, "field") != "data.evidence" || dig(bad, "fields", 1, "field") != "data.stance" {
		t.Fatalf("bad correction: every wrong field, the missing evidence too: %v", bad)
	}
	// A new stance without evidence of its own is refused; saying it has
	// none is not.
	noEv := e.post("/v1/events/"+id+"/correct", `{"stance":"oppose"}`, 400)
	if !strings.Contains(fmt.Sprint(dig(noEv, "fields", 0, "message")), "its own evidence") {
		t.Fatalf("correction without evidence: %v", noEv)
	}
	none := e.post("/v1/events/"+id+"/correct", `{"stance":"oppose","evidence":{"none":true}}`, 201)
	h = e.get(fmt.Sprintf("/v1/actors/DE/history?topic=gaza-ceasefire&min_seq=%d", int(dig(none, "seq").(float64))), 200)
	last := dig(h, "history", "entries").([]any)
	if ev := dig(last[len(last)-1], "evidence"); dig(ev, "quote") != nil || dig(ev, "citation") != producers.NoEvidence {
		t.Fatalf("a correction without evidence kept the original's: %v", ev)
	}
	e.post("/v1/events/"+id+"/correct", `{}`, 400)
	e.post("/v1/events/"+id+"/correct", `{"colour":"red"}`, 400)
	// A motion is not corrected this way.
	mv := e.get("/v1/motions/2728", 200)
	e.post("/v1/events/"+dig(mv, "motion", "event_id").(string)+"/correct", `{"stance":"veto"}`, 400)
}

// TestLateArticleAndTheTwoClocks: an article recorded today back-dates a
// position to before the last recorded one. It changes what we now say
// the world was (as_of), never what we said before it arrived (known_at).
func TestLateArticleAndTheTwoClocks(t *testing.T) {
	e := newEnv(t, api.Config{})
	path := "/v1/actors/US/history?topic=gaza-ceasefire&as_of=2024-03-01"
	before := e.get(path, 200)
	if dig(before, "history", "current", "stance") != "veto" {
		t.Fatalf("before: %v", dig(before, "history", "current"))
	}
	arrived := time.Now().UTC() // the stream records the article after this
	late := `{"type":"org.stancewatch.position","data":{"actor":"US","topic":"gaza-ceasefire","stance":"conditional","occurred":"2024-02-28",
	 "evidence":{"quote":"washington would back a ceasefire tied to the release of hostages","url":"https://example.org/late","producer":"analyst","confidence":0.8}}}`
	m := e.post("/v1/events", late, 201)
	seq := int(dig(m, "seq").(float64))
	now := e.get(fmt.Sprintf("%s&min_seq=%d", path, seq), 200)
	if dig(now, "history", "current", "stance") != "conditional" {
		t.Fatalf("as_of after the late article: %v", dig(now, "history", "current"))
	}
	then := e.get(fmt.Sprintf("%s&known_at=%s&min_seq=%d", path, arrived.Format(time.RFC3339Nano), seq), 200)
	if dig(then, "history", "current", "stance") != "veto" {
		t.Fatalf("known_at before the article arrived: %v", dig(then, "history", "current"))
	}
	if dig(then, "clocks", "as_of") != "2024-03-01" || dig(then, "clocks", "known_at") == nil {
		t.Fatalf("the answer should say which clocks it used: %v", dig(then, "clocks"))
	}
	// The shifts view moves with the same clocks.
	sh := e.get(fmt.Sprintf("/v1/shifts?actor=US&topic=gaza-ceasefire&since=2024-02-21&as_of=2024-03-01&min_seq=%d", seq), 200)
	if len(sh["shifts"].([]any)) != 1 || dig(sh, "shifts", 0, "to") != "conditional" {
		t.Fatalf("shifts: %v", sh["shifts"])
	}
	shThen := e.get(fmt.Sprintf("/v1/shifts?actor=US&topic=gaza-ceasefire&since=2024-02-21&as_of=2024-03-01&known_at=%s", arrived.Format(time.RFC3339Nano)), 200)
	if len(shThen["shifts"].([]any)) != 0 {
		t.Fatalf("shifts known before the article: %v", shThen["shifts"])
	}
}

func getRaw(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestExport(t *testing.T) {
	e := newEnv(t, api.Config{})
	resp, body := getRaw(t, e.url+"/v1/export/positions.csv")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("positions.csv: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(api.PositionColumns, ",") || len(rows) != 1+227 {
		t.Fatalf("positions.csv: header %v, %d rows", rows[0], len(rows))
	}
	found := false
	for _, r := range rows[1:] {
		if r[0] == "2024-02-20" && r[1] == "US" && r[5] == "S/2024/173" && r[6] == "veto" && r[7] == "-4" && r[11] != "" {
			found = true
		}
	}
	if !found {
		t.Fatal("positions.csv lacks the US veto of 2024-02-20 with its source")
	}
	_, early := getRaw(t, e.url+"/v1/export/positions.csv?as_of=2023-12-31&actor=US")
	if n := strings.Count(early, "\n"); n != 1+10 { // 7 texts and 3 amendment votes in 2023
		t.Fatalf("US rows as of 2023: %d\n%s", n-1, early)
	}
	_, motions := getRaw(t, e.url+"/v1/export/motions.csv?topic=gaza-ceasefire")
	if n := strings.Count(motions, "\n"); n != 1+12 || !strings.Contains(motions, "2024-03-22,S/2024/239,,draft,gaza-ceasefire") {
		t.Fatalf("motions.csv (%d rows):\n%s", n-1, motions)
	}

	resp, jsonl := getRaw(t, e.url+"/v1/export/events.jsonl")
	lines := strings.Split(strings.TrimSpace(jsonl), "\n")
	if resp.Header.Get("Content-Type") != "application/x-ndjson" || len(lines) != 244 {
		t.Fatalf("events.jsonl: %d lines", len(lines))
	}
	for i, l := range lines {
		ev, err := events.Decode([]byte(l))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		_ = ev
	}
	_, us := getRaw(t, e.url+"/v1/export/events.jsonl?actor=US&after=100")
	for _, l := range strings.Split(strings.TrimSpace(us), "\n") {
		if !strings.Contains(l, `"actor":"US"`) {
			t.Fatalf("a filtered export holds %s", l)
		}
	}
	_, none := getRaw(t, e.url+"/v1/export/events.jsonl?actor=NZ")
	if none != "" {
		t.Fatalf("an export that matches nothing: %q", none)
	}
	_, then := getRaw(t, e.url+"/v1/export/events.jsonl?known_at=2000-01-01")
	if then != "" {
		t.Fatalf("nothing was known in 2000: %q", then[:min(len(then), 200)])
	}
}

// TestShiftAlertsOverSSE subscribes to the permanent members' shifts on
// one topic, as a newsroom would, and sees a new one arrive.
func TestShiftAlertsOverSSE(t *testing.T) {
	e := newEnv(t, api.Config{})
	ch, _ := openSSE(t, e.url+"/v1/stream?kind=shifts&actor=US,GB,FR,RU,CN&topic=gaza-ceasefire", "")
	e.post("/v1/events", fmt.Sprintf(position, "DE", "oppose", "not a permanent member"), 201)
	// France voted yes on every text; an opposing statement after its last
	// vote is a shift.
	fr := `{"type":"org.stancewatch.position","data":{"actor":"FR","topic":"gaza-ceasefire","stance":"oppose","occurred":"2024-11-21",
	 "evidence":{"quote":"paris opposes it","url":"https://example.org/fr"}}}`
	m := e.post("/v1/events", fr, 201)
	ev := next(t, ch)
	if ev.kind != "shift" || !strings.Contains(ev.data, `"actor":"FR"`) || !strings.Contains(ev.data, `"status":"detected"`) ||
		!strings.Contains(ev.data, `"to":"oppose"`) || !strings.Contains(ev.data, `"cause":"`+dig(m, "id").(string)+`"`) {
		t.Fatalf("shift alert %+v", ev)
	}
	e.get("/v1/stream?kind=bogus", 400)
}

// TestAlignmentAlertsOverSSE subscribes to India's alignment with the
// United States, as a researcher would, and sees the move arrive when
// India turns against it on a year's roll calls.
func TestAlignmentAlertsOverSSE(t *testing.T) {
	e := newEnv(t, api.Config{})
	ch, _ := openSSE(t, e.url+"/v1/stream?kind=alignment&actor=IN&reference=US&topic=human-rights", "")
	vote := func(actor, stance string, year, k int) events.Event {
		p := events.Position{Actor: events.MustCountry(actor), Topic: events.MustTopic("human-rights"), Stance: events.MustStance(stance),
			Motion: events.MustMotionID(fmt.Sprintf("A/RES/%d/%d", year-1945, k+1)), Occurred: events.OnDay(events.MustDate(fmt.Sprintf("%d-12-01", year))),
			Evidence: events.Evidence{Quote: "roll call", Producer: events.ProducerRollCall, Confidence: 1}}
		return events.Event{ID: events.DeterministicID("vote", actor, fmt.Sprint(year, k)), Source: "test/votes", SchemaVersion: events.CurrentSchemaVersion, Data: p}
	}
	for _, year := range []int{2018, 2019} {
		in := map[int]string{2018: "vote_yes", 2019: "vote_no"}[year]
		for k := range 10 {
			if _, err := e.store.AppendBatch(t.Context(), []events.Event{vote("US", "vote_yes", year, k), vote("IN", in, year, k)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ev := next(t, ch)
	if ev.kind != "alignment" || !strings.Contains(ev.data, `"actor":"IN"`) || !strings.Contains(ev.data, `"reference":"US"`) ||
		!strings.Contains(ev.data, `"period":"2019"`) || !strings.Contains(ev.data, `"delta":-1`) {
		t.Fatalf("alignment alert %+v", ev)
	}
	e.get("/v1/stream?kind=alignment&reference=e.u", 400)
	e.get("/v1/stream?kind=shifts&reference=US", 400)
}

func TestAdminRebuild(t *testing.T) {
	e := newEnv(t, api.Config{RateLimit: -1})
	m := e.post("/v1/admin/rebuild", "", 202)
	if dig(m, "rebuild", "running") != true {
		t.Fatalf("start: %v", m)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := e.get("/v1/admin/rebuild", 200)
		if dig(st, "rebuild", "running") == false {
			if dig(st, "rebuild", "error") != nil || dig(st, "rebuild", "done").(float64) < 244 {
				t.Fatalf("rebuild: %v", st)
			}
			break
		}
		// Reads go on answering meanwhile.
		e.get("/v1/actors/US/history?topic=gaza-ceasefire", 200)
		if time.Now().After(deadline) {
			t.Fatal("rebuild did not finish")
		}
	}
}

// TestPostOlderSchema: a client written against schema version 1 still
// posts; its event is upcast and stored in the current version.
func TestPostOlderSchema(t *testing.T) {
	e := newEnv(t, api.Config{})
	v1 := `{"type":"org.stancewatch.position","schemaversion":1,"data":{"actor":"IE","topic":"gaza-ceasefire","stance":"support","occurred":"2024-03-26",
	 "evidence":{"quote":"ireland welcomed it","source":"Irish Times, 26 March 2024"}}}`
	m := e.post("/v1/events", v1, 201)
	ev := e.get("/v1/events/"+dig(m, "id").(string), 200)
	if dig(ev, "event", "schemaversion").(float64) != 2 || dig(ev, "event", "data", "evidence", "citation") != "Irish Times, 26 March 2024" {
		t.Fatalf("stored: %v", dig(ev, "event"))
	}
	bad := e.post("/v1/events", strings.Replace(fmt.Sprintf(position, "IE", "support", "x"), `"url"`, `"source"`, 1), 400)
	if dig(bad, "fields", 0, "field") != "data.evidence.source" {
		t.Fatalf("a v1 field in a current event: %v", bad)
	}
}

func TestAdminStateAndVerify(t *testing.T) {
	e := newEnv(t, api.Config{})
	st := e.get("/v1/admin/state", 200)
	if st["seq"].(float64) != 244 || st["events"].(float64) != 244 || len(st["digest"].(string)) != 64 {
		t.Fatalf("state %v", st)
	}
	v := e.get("/v1/admin/verify", 200)
	if v["equal"] != true {
		t.Fatalf("verify %v", v)
	}
}

// TestOpenAPIMatchesRoutes holds /openapi.json to the routes the server
// really serves, in both directions.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, api.Config{})
	doc := e.get("/openapi.json", 200)
	documented := map[string]bool{}
	for path, ops := range doc["paths"].(map[string]any) {
		for method := range ops.(map[string]any) {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	h, err := api.New(api.Config{}, e.store, e.proj)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range h.Routes() {
		r = strings.ReplaceAll(strings.ReplaceAll(r, "...}", "}"), "{$}", "")
		served[r] = true
	}
	for r := range served {
		if !documented[r] {
			t.Errorf("%s is served but not in /openapi.json", r)
		}
	}
	for r := range documented {
		if !served[r] {
			t.Errorf("%s is in /openapi.json but not served", r)
		}
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi %v", doc["openapi"])
	}
}

func TestMetrics(t *testing.T) {
	e := newEnv(t, api.Config{})
	e.post("/v1/events", fmt.Sprintf(position, "AT", "support", "austria"), 201)
	e.get("/v1/actors/US", 200)
	resp, body := getRaw(t, e.url+"/metrics")
	if resp.StatusCode != 200 {
		t.Fatal(resp.Status)
	}
	for _, want := range []string{
		`stancewatch_events_published_total{outcome="stored",type="position"}`,
		`stancewatch_events_applied_total{type="position"}`,
		`stancewatch_http_request_duration_seconds_count{code="2xx",method="GET",route="GET /v1/actors/{actor}"}`,
		`stancewatch_apply_duration_seconds_count`,
		`stancewatch_sse_clients`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "stancewatch_") && strings.Contains(line, "route=") && strings.Contains(line, "/v1/actors/US") {
			t.Errorf("a raw path in a label (unbounded cardinality): %s", line)
		}
	}
}

// TestPageAndIndex: / is the page to a browser and the JSON index to
// anything else; the page's files are embedded and locked to this origin.
func TestPageAndIndex(t *testing.T) {
	e := newEnv(t, api.Config{Tokens: []api.Token{api.NewToken("ed", api.ScopeRead, "s3cret")}, PrivateReads: true})
	get := func(path, accept string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", e.url+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("/", "text/html,application/xhtml+xml")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, `<script type="module" src="/ui/app.js">`) {
		t.Fatalf("page: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
	for _, f := range []string{"/ui/app.js", "/ui/style.css"} {
		if resp, body := get(f, ""); resp.StatusCode != 200 || len(body) < 1000 {
			t.Fatalf("%s: %d, %d bytes", f, resp.StatusCode, len(body))
		}
	}
	if resp, _ := get("/ui/nothing.js", ""); resp.StatusCode != 404 {
		t.Fatalf("missing file: %d", resp.StatusCode)
	}
	// the JSON index, and the data behind the page, need what reads need
	if resp, _ := get("/v1/topics/gaza-ceasefire/matrix", ""); resp.StatusCode != 401 {
		t.Fatalf("private matrix without a token: %d", resp.StatusCode)
	}
	if resp, body := get("/", "application/json"); resp.StatusCode != 401 && !strings.Contains(body, `"endpoints"`) {
		t.Fatalf("index: %d %s", resp.StatusCode, body)
	}
}

// TestConfigValidate: a configuration that cannot work is refused by New
// with every reason, instead of panicking later (a negative
// MaxSSEClients used to panic in make).
func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  api.Config
		want []string
	}{
		{"defaults", api.Config{}, nil},
		{"negative SSE clients", api.Config{MaxSSEClients: -1}, []string{"max SSE clients -1"}},
		{"several at once", api.Config{MaxBodyBytes: -5, SSEHeartbeat: -time.Second, PrivateReads: true},
			[]string{"max body bytes -5", "SSE heartbeat -1s", "private reads: no tokens"}},
		{"tokens named twice", api.Config{Tokens: []api.Token{api.NewToken("a", api.ScopeRead, "0123456789abcdef"), api.NewToken("a", api.ScopeWrite, "fedcba9876543210")}},
			[]string{`token "a": named twice`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if (err == nil) != (len(tc.want) == 0) {
				t.Fatalf("Validate() = %v, want %v", err, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, lacks %q", err, w)
				}
			}
			if _, err := api.New(tc.cfg, nil, nil); (err == nil) != (len(tc.want) == 0) {
				t.Fatalf("New: %v", err)
			}
		})
	}
}

// TestReusedIDIsRefused: an event id reused on another topic, or with
// another stance, is refused with 409 naming the stored event and what
// differs; nothing is stored; the same event again is 200, a duplicate.
func TestReusedIDIsRefused(t *testing.T) {
	e := newEnv(t, api.Config{})
	first := e.post("/v1/events", fmt.Sprintf(position, "DE", "support", "germany backs it"), 201)
	id := dig(first, "id").(string)
	body, _ := json.Marshal(e.get("/v1/events/"+id, 200)["event"])
	e.post("/v1/events", string(body), 200) // the same event: a duplicate
	for _, tc := range []struct{ name, from, to, want string }{
		{"another topic", `"topic":"gaza-ceasefire"`, `"topic":"gaza-humanitarian"`, "data.topic"},
		{"another stance", `"stance":"support"`, `"stance":"oppose"`, "data.stance"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changed := strings.Replace(string(body), tc.from, tc.to, 1)
			if changed == string(body) {
				t.Fatalf("%s not in %s", tc.from, body)
			}
			before := e.get("/v1/admin/state", 200)
			p := e.post("/v1/events", changed, 409)
			if msg := fmt.Sprint(p["detail"]); !strings.Contains(msg, id) || !strings.Contains(msg, tc.want) {
				t.Fatalf("409 says %q: want the id and %s", msg, tc.want)
			}
			if after := e.get("/v1/admin/state", 200); after["seq"] != before["seq"] {
				t.Fatalf("the stream moved from %v to %v", before["seq"], after["seq"])
			}
		})
	}
}

// TestRetractTwice: an event is retracted once; the same retraction again
// stores nothing (200, a duplicate), another reason is 409.
func TestRetractTwice(t *testing.T) {
	e := newEnv(t, api.Config{})
	id := dig(e.post("/v1/events", fmt.Sprintf(position, "DE", "support", "germany backs it"), 201), "id").(string)
	r1 := e.post("/v1/events/"+id+"/retract", `{"reason":"misread"}`, 201)
	r2 := e.post("/v1/events/"+id+"/retract", `{"reason":"misread"}`, 200)
	if r1["id"] != r2["id"] || r1["seq"] != r2["seq"] || r2["duplicate"] != true {
		t.Fatalf("the same retraction twice: %v then %v", r1, r2)
	}
	p := e.post("/v1/events/"+id+"/retract", `{"reason":"another reason"}`, 409)
	if !strings.Contains(fmt.Sprint(p["detail"]), "already retracted") {
		t.Fatalf("another retraction: %v", p)
	}
}

// TestExportEventsIsEveryCloudEvent: events.jsonl holds every stored
// CloudEvent — reviews and their decisions too — one per line, and
// nothing else; what cannot be read is in deadletters.jsonl.
func TestExportEventsIsEveryCloudEvent(t *testing.T) {
	e := newEnv(t, api.Config{})
	review := proposeReview(t, e, "RU", "oppose", true)
	e.post("/v1/review/"+review.ID.String()+"/reject", `{"reason":"a misreading"}`, 201)
	ack, err := e.store.JetStream().Publish(t.Context(), "positions.US.gaza-ceasefire.x1", []byte("{not json"))
	if err != nil {
		t.Fatal(err)
	}
	last := e.post("/v1/events", fmt.Sprintf(position, "FR", "support", "after the poison"), 201)
	e.get(fmt.Sprintf("/v1/actors/FR?min_seq=%d", int(dig(last, "seq").(float64))), 200)

	_, jsonl := getRaw(t, e.url+"/v1/export/events.jsonl")
	types := map[string]int{}
	for i, l := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		ev, err := events.Decode([]byte(l), events.Strict())
		if err != nil {
			t.Fatalf("line %d is not a CloudEvent: %v\n%s", i+1, err, l)
		}
		types[string(ev.Data.Type())]++
	}
	if types[string(events.TypeReview)] != 1 || types[string(events.TypeReviewDecision)] != 1 || types[string(events.TypePosition)] != 227+1 || types[string(events.TypeMotion)] != 17 {
		t.Fatalf("events.jsonl holds %v", types)
	}
	_, onTopic := getRaw(t, e.url+"/v1/export/events.jsonl?topic=gaza-ceasefire&actor=RU")
	if !strings.Contains(onTopic, review.ID.String()) || strings.Count(onTopic, `"type":"org.stancewatch.review`) != 2 {
		t.Fatalf("a topic's export lacks its review and decision:\n%s", onTopic)
	}

	_, dead := getRaw(t, e.url+"/v1/export/deadletters.jsonl")
	var dl struct {
		Seq           uint64
		Subject, Data string
		Reason        string
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(dead)), &dl); err != nil || dl.Seq != ack.Sequence || dl.Data != "{not json" ||
		dl.Subject != "positions.US.gaza-ceasefire.x1" || dl.Reason == "" {
		t.Fatalf("deadletters.jsonl: %v %s", err, dead)
	}
}

// TestAlignment reads the alignment endpoints over the bundled Council
// roll calls on Gaza: figures, the roll calls behind them, blocs, CSV.
func TestAlignment(t *testing.T) {
	e := newEnv(t, api.Config{Blocs: []alignment.Bloc{{ID: "west", Name: "West", Members: []alignment.Membership{
		{Actor: events.MustCountry("US")}, {Actor: events.MustCountry("GB")}, {Actor: events.MustCountry("FR")}}}}})
	got := e.get("/v1/alignment?actor=GB&with=US,west&topic=gaza-ceasefire&min_seq=1", 200)
	series := got["alignment"].([]any)
	if len(series) != 2 {
		t.Fatalf("got %v", got)
	}
	us := series[0].(map[string]any)
	overall := us["overall"].(map[string]any)
	if n := overall["n"].(float64); n < 10 {
		t.Errorf("GB–US over %v roll calls", n)
	}
	if v := overall["value"].(float64); v <= 0 || v >= 1 {
		t.Errorf("GB–US agreement %v", v)
	}
	if pts := us["points"].([]any); len(pts) != 2 || pts[0].(map[string]any)["period"] != "2023" {
		t.Errorf("points %v", pts)
	}
	if series[1].(map[string]any)["tie_rule"] == nil {
		t.Error("a bloc answer without its tie rule")
	}
	div := e.get("/v1/alignment/divergent?actor=US&with=DZ", 200)["divergent"].(map[string]any)["roll_calls"].([]any)
	if len(div) == 0 {
		t.Fatal("US and Algeria never parted")
	}
	first := div[0].(map[string]any)
	for _, d := range div[1:] {
		if d.(map[string]any)["margin"].(float64) < first["margin"].(float64) {
			t.Errorf("not most contested first: %v", div)
		}
	}
	m := e.get("/v1/alignment/matrix?period=2024&topic=gaza-ceasefire", 200)["matrix"].(map[string]any)
	if len(m["actors"].([]any)) < 15 || m["ordering"] == "" {
		t.Errorf("matrix %v", m)
	}
	sc := e.get("/v1/alignment/scale?from=2023&to=2024&topic=gaza-ceasefire&min=3", 200)["scale"].(map[string]any)
	pos := sc["positions"].([]any)
	if len(pos) < 15 || sc["anchor"] != "US" || sc["method"] == "" {
		t.Errorf("scale %v", sc)
	}
	for _, p := range pos {
		if p := p.(map[string]any); p["actor"] == "US" && (p["position"].(float64) <= 0 || p["n"].(float64) < 3) {
			t.Errorf("US at %v over %v roll calls: want positive", p["position"], p["n"])
		}
	}
	// The as_of lens sees only the roll calls of its day and before.
	if early := e.get("/v1/alignment/scale?from=2023&to=2024&topic=gaza-ceasefire&min=1&as_of=2023-12-31", 200)["scale"].(map[string]any); early["roll_calls"].(float64) >= sc["roll_calls"].(float64) {
		t.Errorf("as_of 2023-12-31: %v roll calls, the whole period %v", early["roll_calls"], sc["roll_calls"])
	}
	bad := e.get("/v1/alignment/scale?min=0", 400)
	if fields := fmt.Sprint(bad); !strings.Contains(fields, "min") || !strings.Contains(fields, "period") {
		t.Errorf("a bad min and no period, answered %v", bad)
	}
	resp, body := getRaw(t, e.url+"/v1/alignment/scale?period=2024&topic=gaza-ceasefire&min=3&format=csv")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.HasPrefix(body, "actor,position,n,period,topic,measure\n") ||
		!strings.Contains(body, ",2024,gaza-ceasefire,agreement\n") {
		t.Errorf("%s:\n%s", ct, body)
	}
	resp, body = getRaw(t, e.url+"/v1/export/alignment.csv?actor=GB&with=US&measure=agreement")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") ||
		!strings.HasPrefix(body, "actor,reference,period,topic,measure,value,n\nGB,US,2023,all,agreement,") {
		t.Errorf("%s:\n%s", ct, body)
	}
	e.post("/v1/alignment/blocs", `[{"id":"quad","members":["US","JP","IN","AU"]}]`, 201)
	e.post("/v1/alignment/blocs", `[{"id":"quad","members":["US","JP","IN","AU"]}]`, 201) // the same again
	e.post("/v1/alignment/blocs", `[{"id":"quad","members":["US"]}]`, 409)
	e.post("/v1/alignment/blocs", `[{"id":"p5","members":["US"]}]`, 409)
	if q := e.get("/v1/alignment/blocs/quad", 200); len(dig(q, "bloc", "members").([]any)) != 4 || dig(q, "bloc", "user") != true {
		t.Errorf("posted bloc %v", q)
	}
	e.get("/v1/alignment?actor=GB&with=quad&topic=gaza-ceasefire", 200)
	e.get("/v1/alignment?actor=GB", 400)
	// The definition is an event of the stream: stored once, and folded
	// by any projection that replays it (a restart, another replica).
	ev := e.get("/v1/events/"+events.BlocEventID("quad").String(), 200)
	if dig(ev, "event", "type") != "org.stancewatch.bloc" {
		t.Errorf("stored bloc %v", ev)
	}
	st, err := projector.Replay(t.Context(), e.store, 0)
	if err != nil {
		t.Fatal(err)
	}
	if blocs := st.Blocs(); len(blocs) != 1 || blocs[0].ID != "quad" {
		t.Errorf("a replay holds blocs %+v", blocs)
	}
}

// appendVotes stores roll calls of 2019 on human rights, one
// motion each (A/RES/74/k, on 1 December), from votes of the form
// "US:yes IN:no FR:abstain", and returns the last stream sequence.
func appendVotes(t *testing.T, e *env, rollCalls ...string) uint64 {
	t.Helper()
	stance := map[string]string{"yes": "vote_yes", "no": "vote_no", "abstain": "abstain"}
	var last uint64
	for k, rc := range rollCalls {
		var evs []events.Event
		for v := range strings.FieldsSeq(rc) {
			actor, vote, _ := strings.Cut(v, ":")
			p := events.Position{Actor: events.MustCountry(actor), Topic: events.MustTopic("human-rights"), Stance: events.MustStance(stance[vote]),
				Motion: events.MustMotionID(fmt.Sprintf("A/RES/74/%d", k+1)), Occurred: events.OnDay(events.MustDate("2019-12-01")),
				Evidence: events.Evidence{Quote: "roll call", URL: "https://example.org/" + actor, Producer: events.ProducerRollCall, Confidence: 1}}
			evs = append(evs, events.Event{ID: events.DeterministicID("vote", actor, fmt.Sprint(k)), Source: "test/votes",
				SchemaVersion: events.CurrentSchemaVersion, Data: p})
		}
		acks, err := e.store.AppendBatch(t.Context(), evs)
		if err != nil {
			t.Fatal(err)
		}
		last = max(last, acks[len(acks)-1].Seq)
	}
	return last
}

// TestAlignmentMatrixCSV: the matrix's CSV is tidy, a row a pair with the
// roll calls behind its value, on a hand-counted year of four roll calls.
func TestAlignmentMatrixCSV(t *testing.T) {
	e := newEnv(t, api.Config{})
	seq := appendVotes(t, e,
		"US:yes IN:no FR:yes",
		"US:yes IN:abstain", // FR absent
		"US:no IN:no FR:yes",
		"GB:yes", // GB shares no roll call with anyone
	)
	for _, c := range []struct {
		name, query string
		accept      string
		// "actor,reference" → "value,n", every pair both ways round
		want map[string]string
	}{
		{"agreement", "measure=agreement&format=csv", "", map[string]string{
			"US,US": "1,3", "IN,IN": "1,3", "FR,FR": "1,2", "GB,GB": "1,1",
			"US,IN": "0.5,3", "IN,US": "0.5,3", // 0, 0.5 (an abstention), 1
			"US,FR": "0.5,2", "FR,US": "0.5,2", // 1, 0
			"IN,FR": "0,2", "FR,IN": "0,2",
			"GB,US": ",0", "US,GB": ",0", "GB,IN": ",0", "IN,GB": ",0", "GB,FR": ",0", "FR,GB": ",0",
		}},
		{"coincidence, by Accept", "measure=coincidence", "text/csv", map[string]string{
			"US,US": "1,3", "IN,IN": "1,2", "FR,FR": "1,2", "GB,GB": "1,1",
			"US,IN": "0.5,2", "IN,US": "0.5,2", // the abstention left out
			"US,FR": "0.5,2", "FR,US": "0.5,2",
			"IN,FR": "0,2", "FR,IN": "0,2",
			"GB,US": ",0", "US,GB": ",0", "GB,IN": ",0", "IN,GB": ",0", "GB,FR": ",0", "FR,GB": ",0",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := fmt.Sprintf("/v1/alignment/matrix?period=2019&topic=human-rights&min_seq=%d&%s", seq, c.query)
			req, _ := http.NewRequestWithContext(t.Context(), "GET", e.url+q, nil)
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(resp.Body).ReadAll()
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("%s: %d %s, %v", q, resp.StatusCode, resp.Header.Get("Content-Type"), err)
			}
			if strings.Join(rows[0], ",") != strings.Join(api.MatrixColumns, ",") || strings.Join(api.MatrixColumns, ",") != "actor,reference,period,topic,measure,value,n" {
				t.Fatalf("header %v", rows[0])
			}
			got := map[string]string{}
			var order []string
			for _, r := range rows[1:] {
				if r[2] != "2019" || r[3] != "human-rights" || "measure="+r[4] != strings.Split(c.query, "&")[0] {
					t.Errorf("row %v: want period 2019, topic human-rights, %s", r, c.query)
				}
				got[r[0]+","+r[1]] = r[5] + "," + r[6]
				if len(order) == 0 || order[len(order)-1] != r[0] {
					order = append(order, r[0])
				}
			}
			if len(rows)-1 != len(c.want) || fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("pairs (value,n):\n got %v\nwant %v", got, c.want)
			}
			// Rows follow the matrix's order, as the JSON answer gives it.
			m := e.get(strings.Replace(q, "format=csv", "format=json", 1), 200)
			if js := fmt.Sprint(dig(m, "matrix", "actors")); js != fmt.Sprint(order) {
				t.Errorf("CSV rows in the order %v, the matrix's actors %v", order, js)
			}
		})
	}
}

// TestAlignmentRollCalls: the roll calls behind a figure, hand-counted —
// every one the figure is made of, the parted ones first, a page at a
// time, each with both votes, its score and each side's evidence.
func TestAlignmentRollCalls(t *testing.T) {
	e := newEnv(t, api.Config{Blocs: []alignment.Bloc{{ID: "in-fr", Name: "India and France", Members: []alignment.Membership{
		{Actor: events.MustCountry("IN")}, {Actor: events.MustCountry("FR")}}}}})
	seq := appendVotes(t, e,
		"US:yes IN:no FR:yes",         // A/RES/74/1: parted, 2-1-0, margin 0.3333
		"US:yes IN:abstain",           // A/RES/74/2: parted by an abstention, 1-0-1, margin 0.5
		"US:no IN:no FR:yes",          // A/RES/74/3: agreed, 1-2-0, margin 0.3333
		"US:yes IN:yes FR:yes GB:yes", // A/RES/74/4: agreed, unanimous
	)
	base := fmt.Sprintf("/v1/alignment/rollcalls?actor=US&topic=human-rights&from=2019&to=2019&min_seq=%d", seq)
	for _, c := range []struct {
		name    string
		query   string
		figure  string // value over n, apart
		motions string // the page's, in order
		votes   string // the page's actor_vote/with_vote
		next    any    // the next page's offset, or nil
	}{
		{"agreement, parted first", "&with=IN", "0.625/4 apart 2",
			"A/RES/74/1 A/RES/74/2 A/RES/74/3 A/RES/74/4", "yes/no yes/abstain no/no yes/yes", nil},
		{"a first page", "&with=IN&limit=3", "0.625/4 apart 2", "A/RES/74/1 A/RES/74/2 A/RES/74/3", "yes/no yes/abstain no/no", 3.0},
		{"the last page", "&with=IN&limit=3&offset=3", "0.625/4 apart 2", "A/RES/74/4", "yes/yes", nil},
		{"coincidence leaves the abstention out", "&with=IN&measure=coincidence", "0.6667/3 apart 1",
			"A/RES/74/1 A/RES/74/3 A/RES/74/4", "yes/no no/no yes/yes", nil},
		// The bloc has a position where India and France do not tie.
		{"against a bloc", "&with=in-fr", "0.75/2 apart 1", "A/RES/74/2 A/RES/74/4", "yes/abstain yes/yes", nil},
		{"as of the day before", "&with=IN&as_of=2019-11-30", "<nil>/0 apart 0", "", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			rc := e.get(base+c.query, 200)["rollcalls"].(map[string]any)
			if got := fmt.Sprintf("%v/%v apart %v", dig(rc, "figure", "value"), dig(rc, "figure", "n"), rc["apart"]); got != c.figure {
				t.Errorf("figure %s, want %s", got, c.figure)
			}
			var motions, votes []string
			for _, x := range rc["roll_calls"].([]any) {
				r := x.(map[string]any)
				motions, votes = append(motions, r["motion"].(string)), append(votes, fmt.Sprint(r["actor_vote"], "/", r["with_vote"]))
				if agreed := r["actor_vote"] == r["with_vote"]; r["agreed"] != agreed || (agreed != (r["score"] == 1.0)) {
					t.Errorf("%s: agreed %v, score %v", r["motion"], r["agreed"], r["score"])
				}
				if r["motion_href"] != "/v1/motions/"+r["motion"].(string) {
					t.Errorf("%s: motion_href %v", r["motion"], r["motion_href"])
				}
				// Each side's counted position, with its evidence; a bloc has none.
				for side, who := range map[string]string{"actor_position": "US", "with_position": strings.TrimPrefix(c.query, "&with=")[:2]} {
					p, _ := r[side].(map[string]any)
					if who == "in" {
						if p != nil {
							t.Errorf("%s: a bloc's %s %v", r["motion"], side, p)
						}
						continue
					}
					if p == nil || dig(p, "evidence", "url") != "https://example.org/"+who || p["href"] != "/v1/events/"+p["id"].(string) {
						t.Fatalf("%s: %s %v, want %s's position with its evidence", r["motion"], side, p, who)
					}
					ev := e.get(p["href"].(string), 200)
					if dig(ev, "event", "data", "actor") != who || dig(ev, "event", "data", "motion") != r["motion"] {
						t.Errorf("%s: %s links to %v", r["motion"], side, ev)
					}
				}
			}
			if strings.Join(motions, " ") != c.motions || strings.Join(votes, " ") != c.votes {
				t.Errorf("roll calls %v voted %v, want %s voted %s", motions, votes, c.motions, c.votes)
			}
			if next := dig(rc, "page", "next"); next != c.next {
				t.Errorf("next page at %v, want %v", next, c.next)
			}
		})
	}
	bad := e.get("/v1/alignment/rollcalls?with=US,IN&limit=5000&offset=first", 400)
	for _, f := range []string{"actor", "with", "limit", "offset"} {
		if !strings.Contains(fmt.Sprint(bad["fields"]), "field:"+f) {
			t.Errorf("no word on %s: %v", f, bad)
		}
	}
}

// TestReadsWhileFolding: answers are encoded after the read lock is let
// go, so what a handler returns must not be edited by the fold that goes
// on meanwhile. Readers of every kind run while events of every kind are
// folded (under -race, a shared slice or map shows up here).
func TestReadsWhileFolding(t *testing.T) {
	e := newEnv(t, api.Config{RateLimit: -1})
	paths := []string{"/v1/actors", "/v1/actors/US", "/v1/actors/US/history?topic=gaza-ceasefire&limit=5", "/v1/shifts",
		"/v1/motions", "/v1/conflicts", "/v1/topics/gaza-ceasefire", "/v1/alignment/matrix?period=2024",
		"/v1/alignment?actor=FR&with=US,eu", "/v1/topics/gaza-ceasefire/matrix", "/v1/motions/S/2024/239", "/v1/review"}
	for _, p := range paths {
		e.get(p, 200)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for r := range 4 {
		wg.Go(func() {
			for i := r; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Get(e.url + paths[i%len(paths)])
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	stances := []string{"oppose", "support", "abstain", "vote_yes"}
	var last map[string]any
	for i := range 60 {
		actor := []string{"US", "GB", "FR", "DZ"}[i%4]
		last = e.post("/v1/events", fmt.Sprintf(`{"type":"org.stancewatch.position","data":{"actor":"%s","topic":"gaza-ceasefire","stance":"%s",
			"occurred":"2024-%02d-%02d","motion":"S/2024/239","evidence":{"quote":"read while folding %d","url":"https://example.org/%d"}}}`,
			actor, stances[i%len(stances)], 4+i%8, 1+i%28, i, i), 201)
		if i%15 == 14 {
			e.post("/v1/events/"+dig(last, "id").(string)+"/retract", `{"reason":"read while folding"}`, 201)
		}
	}
	close(stop)
	wg.Wait()
}

// TestReadsGzipped checks that a large read answer goes out gzipped to a
// client that accepts it, the same answer once unzipped, from the cache
// as from the fold; and as it is to one that does not, or when small.
func TestReadsGzipped(t *testing.T) {
	e := newEnv(t, api.Config{})
	var last map[string]any
	for i := range 40 {
		last = e.post("/v1/events", fmt.Sprintf(position, "AT", []string{"support", "oppose"}[i%2], fmt.Sprintf("Austria's position, statement number %d", i)), 201)
	}
	// Every answer below must be read from the same fold: wait until the
	// projection holds the last event, or the first read may miss it.
	e.get(fmt.Sprintf("/v1/actors/AT?min_seq=%d", int(dig(last, "seq").(float64))), 200)
	get := func(path, accept string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), "GET", e.url+path, nil)
		// Set by hand, the transport leaves the body as it was sent.
		req.Header.Set("Accept-Encoding", accept)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		if cl := resp.Header.Get("Content-Length"); cl != fmt.Sprint(len(b)) {
			t.Errorf("%s: Content-Length %q for %d bytes", path, cl, len(b))
		}
		return resp, b
	}
	const large, small = "/v1/actors/AT/history?topic=gaza-ceasefire", "/v1/topics"
	_, plain := get(large, "identity")
	if len(plain) < 1400 {
		t.Fatalf("the large answer is %d bytes: the test needs one above the gzip threshold", len(plain))
	}
	for _, tc := range []struct {
		name, path, accept string
		gzipped            bool
	}{
		{"large, gzip accepted (computed)", large + "&as_of=2030-01-01", "gzip", true},
		{"large, gzip accepted (cached)", large, "gzip", true},
		{"large, gzip among others", large, "br, gzip;q=0.8, deflate", true},
		{"large, gzip refused", large, "gzip;q=0, identity", false},
		{"large, no gzip", large, "identity", false},
		{"small, gzip accepted", small, "gzip", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := get(tc.path, tc.accept)
			if got := resp.Header.Get("Content-Encoding") == "gzip"; got != tc.gzipped {
				t.Fatalf("gzipped %v, want %v", got, tc.gzipped)
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q", resp.Header.Get("Vary"))
			}
			if !tc.gzipped {
				return
			}
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if tc.path == large && !bytes.Equal(unzipped, plain) {
				t.Errorf("unzipped answer differs from the plain one:\n%s\n%s", unzipped, plain)
			}
			if !json.Valid(unzipped) {
				t.Errorf("unzipped answer is not JSON: %s", unzipped)
			}
			if len(b) >= len(unzipped) {
				t.Errorf("gzipped %d bytes, plain %d", len(b), len(unzipped))
			}
		})
	}
}

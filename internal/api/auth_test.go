package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/api"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

const (
	readSecret  = "read-secret-0123456789"
	writeSecret = "write-secret-0123456789"
	adminSecret = "admin-secret-0123456789"
)

func tokens(t *testing.T) []api.Token {
	t.Helper()
	toks, err := api.ReadTokens(strings.NewReader("# name scope secret\ndashboard read " + readSecret + "\nanalyst write " + writeSecret + "  # an analyst\nops admin " + adminSecret + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return toks
}

func (e *env) doAuth(method, path, token, body string, want int) map[string]any {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s with %q: %d, want %d: %s", method, path, token, resp.StatusCode, want, b)
	}
	if want == 401 && resp.Header.Get("WWW-Authenticate") == "" {
		e.t.Fatalf("401 without WWW-Authenticate")
	}
	return nil
}

func TestTokensAndScopes(t *testing.T) {
	e := newEnv(t, api.Config{Tokens: tokens(t)})
	before, _ := e.store.LastSeq(context.Background())
	body := fmt.Sprintf(position, "NO", "support", "norway")
	tests := []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"write without a token", "POST", "/v1/events", "", body, 401},
		{"write with an unknown token", "POST", "/v1/events", "not-a-token-0123456789", body, 401},
		{"write with a read token", "POST", "/v1/events", readSecret, body, 403},
		{"retract with a read token", "POST", "/v1/events/0190c7a2-7a5e-7cc0-8000-000000000001/retract", readSecret, `{"reason":"x"}`, 403},
		{"rebuild with a write token", "POST", "/v1/admin/rebuild", writeSecret, "", 403},
		{"state with a write token", "GET", "/v1/admin/state", writeSecret, "", 403},
		{"reads are open", "GET", "/v1/actors", "", "", 200},
		{"health is open", "GET", "/readyz", "", "", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { e.doAuth(tc.method, tc.path, tc.token, tc.body, tc.want) })
	}
	if after, _ := e.store.LastSeq(context.Background()); after != before {
		t.Fatalf("refused requests changed the stream: %d -> %d", before, after)
	}
	e.doAuth("POST", "/v1/events", writeSecret, body, 201)
	e.doAuth("GET", "/v1/admin/state", adminSecret, "", 200)
}

func TestEventSourceNamesTheToken(t *testing.T) {
	e := newEnv(t, api.Config{Tokens: tokens(t)})
	req, _ := http.NewRequest("POST", e.url+"/v1/events", strings.NewReader(fmt.Sprintf(position, "NO", "support", "norway")))
	req.Header.Set("Authorization", "Bearer "+writeSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("%v %v", resp.Status, err)
	}
	loc := resp.Header.Get("Location")
	resp.Body.Close()
	got := e.get(loc, 200)
	if dig(got, "event", "source") != "stancewatch/analyst/analyst" {
		t.Fatalf("source %v", dig(got, "event", "source"))
	}
}

func TestPrivateReads(t *testing.T) {
	e := newEnv(t, api.Config{Tokens: tokens(t), PrivateReads: true})
	e.doAuth("GET", "/v1/actors", "", "", 401)
	e.doAuth("GET", "/v1/actors", readSecret, "", 200)
	e.doAuth("GET", "/v1/export/positions.csv", writeSecret, "", 200)
	e.doAuth("GET", "/livez", "", "", 200)
}

func TestTokensAreNeverLogged(t *testing.T) {
	logs := &syncBuf{}
	e := newEnv(t, api.Config{Tokens: tokens(t), Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	e.doAuth("POST", "/v1/events", "wrong-secret-0123456789", "{}", 401)
	e.doAuth("POST", "/v1/events", readSecret, "{}", 403)
	e.doAuth("POST", "/v1/events", writeSecret, "{not json", 400)
	for _, secret := range []string{"wrong-secret-0123456789", readSecret, writeSecret} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("a token reached the log:\n%s", logs)
		}
	}
}

func TestRateLimitPerClient(t *testing.T) {
	e := newEnv(t, api.Config{Tokens: tokens(t), RateLimit: 5, RateBurst: 5})
	for range 5 {
		e.doAuth("GET", "/v1/actors", readSecret, "", 200)
	}
	e.doAuth("GET", "/v1/actors", readSecret, "", 429)
	// Another client has its own bucket.
	e.doAuth("GET", "/v1/actors", writeSecret, "", 200)
	// Health checks are never limited.
	e.doAuth("GET", "/livez", readSecret, "", 200)
}

// TestSlowSSEClientIsCutOff: a client that never reads its event stream
// is disconnected when a write cannot complete in time, and the other
// clients keep receiving.
func TestSlowSSEClientIsCutOff(t *testing.T) {
	e := newEnv(t, api.Config{SSEWriteTimeout: 300 * time.Millisecond, MaxSSEClients: 2, RateLimit: -1, MaxBodyBytes: 4 << 20})
	// The slow client: asks for everything, then never reads.
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET /v1/stream?after=0 HTTP/1.1\r\nHost: x\r\n\r\n")
	// The fast client.
	fast, stopFast := openSSE(t, e.url+"/v1/stream?actor=JP", "")
	defer stopFast()
	// Enough data to fill the slow client's socket buffers many times
	// (loopback buffers grow to a few megabytes).
	big := strings.Repeat("x", 8000)
	for b := range 25 {
		var items []string
		for i := range 100 {
			actor := "KE"
			if i == 99 && b%6 == 0 {
				actor = "JP"
			}
			items = append(items, fmt.Sprintf(position, actor, "support", fmt.Sprint(big, b, " ", i)))
		}
		e.post("/v1/events", "["+strings.Join(items, ",")+"]", 201)
	}
	for range 4 {
		ev := next(t, fast)
		if !strings.Contains(ev.data, `"actor":"JP"`) {
			t.Fatalf("fast client got %+v", ev)
		}
	}
	// The slow client's slot is freed: a new stream is accepted.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(e.url + "/v1/stream?actor=FR")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slow client still holds its stream: %d", resp.StatusCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestProducerComesFromCredentials: what a body claims to be (an
// official roll call, the news extractor) must be what its credentials
// allow; anything more is refused with 403 and nothing is stored.
func TestProducerComesFromCredentials(t *testing.T) {
	rollcall := `{"type":"org.stancewatch.position","data":{"actor":"GB","topic":"gaza-ceasefire","stance":"veto","occurred":"2024-03-25","motion":"S/RES/2728","evidence":{"quote":"GB vetoed it","url":"https://example.org","producer":"rollcall"}}}`
	analyst := strings.Replace(rollcall, `"rollcall"`, `"analyst"`, 1)
	t.Run("without tokens, analyst only", func(t *testing.T) {
		e := newEnv(t, api.Config{})
		before := e.get("/v1/admin/state", 200)["seq"]
		p := e.post("/v1/events", rollcall, 403)
		if !strings.Contains(fmt.Sprint(p["detail"]), "rollcall") {
			t.Fatalf("403 says %v", p)
		}
		e.post("/v1/events", "["+analyst+","+strings.Replace(rollcall, "GB vetoed", "GB vetoed again", 1)+"]", 403)
		if after := e.get("/v1/admin/state", 200)["seq"]; after != before {
			t.Fatalf("a refused claim stored something: seq %v → %v", before, after)
		}
		e.post("/v1/events", analyst, 201)
	})
	t.Run("a token that names the producer", func(t *testing.T) {
		toks, err := api.ReadTokens(strings.NewReader("ingest write 0123456789abcdef0123 producers=rollcall,news\nanalyst write fedcba9876543210fedc\n"))
		if err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, api.Config{Tokens: toks})
		post := func(token, body string) int {
			req, _ := http.NewRequest("POST", e.url+"/v1/events", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if got := post("fedcba9876543210fedc", rollcall); got != 403 {
			t.Fatalf("an analyst token writing a roll call: %d, want 403", got)
		}
		if got := post("0123456789abcdef0123", rollcall); got != 201 {
			t.Fatalf("an ingest token writing a roll call: %d, want 201", got)
		}
	})
}

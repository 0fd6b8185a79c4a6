package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/internal/testcert"
	"github.com/stancewatch/stancewatch/internal/testnet"
)

var binary string

// TestMain builds the real binary once: these tests run it as users do.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "stancewatch-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "stancewatch")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building stancewatch: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// skipFor skips a test that cannot run for want of something on this
// machine, and says so on standard error, which go test shows without -v
// too: a skip for want of a browser or FUSE is not silent.
func skipFor(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(os.Stderr, "SKIP %s (not run): %s\n", t.Name(), msg)
	t.Skip("SKIP (not run): " + msg)
}

// serveAddrs returns two distinct free addresses for a serve's HTTP and
// NATS listeners.
func serveAddrs(t *testing.T) (httpAddr, natsAddr string) {
	t.Helper()
	a := testnet.Addrs(t, 2)
	return a[0], a[1]
}

// server is a `stancewatch serve` process.
type server struct {
	t          *testing.T
	cmd        *exec.Cmd
	http, nats string
	log        *bytes.Buffer
	mu         *sync.Mutex
	done       chan error
}

type syncBuffer struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (s syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func startServe(t *testing.T, dataDir, httpAddr, natsAddr string) *server {
	t.Helper()
	return startServeArgs(t, dataDir, httpAddr, natsAddr)
}

func startServeArgs(t *testing.T, dataDir, httpAddr, natsAddr string, extra ...string) *server {
	t.Helper()
	s := &server{t: t, http: httpAddr, nats: natsAddr, log: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	args := []string{"serve", "--data", dataDir, "--http", httpAddr, "--nats-listen", natsAddr, "--log-format", "json"}
	if !slices.Contains(extra, "--bundled") && !slices.Contains(extra, "--no-bundled") {
		// The tests count on the small Council set; the whole General
		// Assembly record is tested where it is meant to be.
		args = append(args, "--bundled", "gaza")
	}
	args = append(args, extra...)
	s.cmd = exec.Command(binary, args...)
	s.cmd.Stderr = syncBuffer{s.mu, s.log}
	s.cmd.Stdout = syncBuffer{s.mu, s.log}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + httpAddr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("serve exited: %v\n%s", err, s.logs())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve not ready within 30s:\n%s", s.logs())
	return nil
}

func (s *server) logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

func (s *server) get(path string) []byte {
	s.t.Helper()
	resp, err := http.Get("http://" + s.http + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		s.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return b
}

func (s *server) stop(sig os.Signal) error {
	_ = s.cmd.Process.Signal(sig)
	select {
	case err := <-s.done:
		return err
	case <-time.After(30 * time.Second):
		s.t.Fatalf("serve did not stop within 30s after %v", sig)
	}
	return nil
}

func runCLI(t *testing.T, want int, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != want {
		t.Fatalf("stancewatch %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
	}
	return string(out)
}

type historyAnswer struct {
	Seq     uint64 `json:"seq"`
	History struct {
		Entries []struct {
			Occurred, Stance, Motion string
		} `json:"entries"`
	} `json:"history"`
}

func TestServeEndToEnd(t *testing.T) {
	dataDir := t.TempDir()
	httpAddr, natsAddr := serveAddrs(t)
	s := startServe(t, dataDir, httpAddr, natsAddr)
	natsURL := "nats://" + natsAddr

	// The bundled data answers the question the project exists for.
	var h historyAnswer
	if err := json.Unmarshal(s.get("/v1/actors/US/history?topic=gaza-ceasefire"), &h); err != nil {
		t.Fatal(err)
	}
	stances := map[string]string{}
	for _, e := range h.History.Entries {
		stances[e.Occurred] = e.Stance
	}
	if stances["2024-02-20"] != "veto" || stances["2024-03-25"] != "abstain" {
		t.Fatalf("US history: %+v", h.History.Entries)
	}
	if !strings.Contains(string(s.get("/v1/shifts?actor=US")), `"from":"veto","to":"abstain"`) {
		t.Fatal("no veto→abstain shift for the US")
	}
	// Loaded: the soft memory limit holds (--memory-limit's default).
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.logs(), "memory: soft limit set"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no soft memory limit set once loaded:\n%s", s.logs())
		}
	}

	// The CLI: publish, history, ingest, re-ingest.
	out := runCLI(t, 0, "publish", "--nats-url", natsURL, "--actor", "the US", "--topic", "gaza-ceasefire", "--stance", "abstain",
		"--on", "2024-03-25", "--motion", "2728", "--evidence", "the us abstained on monday", "--source", "https://example.org/a")
	if !strings.Contains(out, "recorded: United States abstain on gaza-ceasefire (2024-03-25)") {
		t.Fatalf("publish: %s", out)
	}
	pubID := out[strings.LastIndex(out, "id ")+3 : len(strings.TrimSpace(out))]
	out = runCLI(t, 0, "correct", pubID, "--stance", "vote_no", "--evidence", "the us voted no, not abstained", "--source", "https://example.org/b", "--nats-url", natsURL)
	if !strings.Contains(out, "recorded: correction of "+pubID) {
		t.Fatalf("correct: %s", out)
	}
	corrID := strings.TrimSpace(out[strings.LastIndex(out, "id ")+3:])
	out = runCLI(t, 0, "retract", corrID, "--reason", "the correction was wrong", "--nats-url", natsURL)
	if !strings.Contains(out, "recorded: retraction of "+corrID) {
		t.Fatalf("retract: %s", out)
	}
	runCLI(t, exitUsage, "retract", corrID, "--nats-url", natsURL) // no reason
	runCLI(t, exitUsage, "publish", "--nats-url", natsURL, "--actor", "XX", "--topic", "gaza-ceasefire", "--stance", "abstain", "--on", "2024-03-25", "--evidence", "x")
	out = runCLI(t, 0, "history", "US", "--topic", "gaza-ceasefire", "--api", "http://"+httpAddr)
	for _, want := range []string{"United States (US) on gaza-ceasefire", "2024-02-20  veto", "vote_yes → abstain ↓",
		"abstain (corroborates)", "vote_no (retracted)", "RETRACTED: the correction was wrong"} { // retracting the correction restores the original
		if !strings.Contains(out, want) {
			t.Fatalf("history output lacks %q:\n%s", want, out)
		}
	}
	sample := filepath.Join("..", "..", "producers", "votes", "testdata", "undl_sc_voting_sample.csv")
	out = runCLI(t, 0, "ingest", "votes", sample, "--topic", "gaza-ceasefire", "--nats-url", natsURL)
	// The Digital Library's record of four Council votes the bundled set
	// holds too: each vote is the same observation from another file (one
	// event); only the Library's own motion records are new.
	if !strings.Contains(out, "4 roll calls, 64 events: 4 new, 60 already stored; 0 rows rejected") {
		t.Fatalf("ingest: %s", out)
	}
	out = runCLI(t, 0, "ingest", "votes", sample, "--topic", "gaza-ceasefire", "--nats-url", natsURL)
	if !strings.Contains(out, "64 events: 0 new, 64 already stored") {
		t.Fatalf("re-ingest added events: %s", out)
	}

	// Killed hard and started again, it gives the same answers.
	var hb historyAnswer
	before := s.get("/v1/actors/US/history?topic=gaza-ceasefire&min_seq=0")
	_ = json.Unmarshal(before, &hb)
	beforeShifts := s.get("/v1/shifts")
	_ = s.stop(syscall.SIGKILL)
	s = startServe(t, dataDir, httpAddr, natsAddr)
	after := s.get(fmt.Sprintf("/v1/actors/US/history?topic=gaza-ceasefire&min_seq=%d", hb.Seq))
	if !bytes.Equal(before, after) {
		t.Fatalf("answers changed across kill -9:\n%s\n%s", before, after)
	}
	if !bytes.Equal(beforeShifts, s.get("/v1/shifts")) {
		t.Fatal("shifts changed across kill -9")
	}
	if !strings.Contains(s.logs(), `"new":0,"already_stored":244`) {
		t.Fatalf("the second start loaded the bundled data again:\n%s", s.logs())
	}

	// A graceful stop checkpoints; the next start resumes from it.
	if err := s.stop(syscall.SIGTERM); err != nil {
		t.Fatalf("graceful stop: %v\n%s", err, s.logs())
	}
	s = startServe(t, dataDir, httpAddr, natsAddr)
	if !strings.Contains(s.logs(), "checkpoint loaded") {
		t.Fatalf("no checkpoint after a graceful stop:\n%s", s.logs())
	}
	if !bytes.Equal(before, s.get(fmt.Sprintf("/v1/actors/US/history?topic=gaza-ceasefire&min_seq=%d", hb.Seq))) {
		t.Fatal("answers changed across a restart from checkpoint")
	}
}

func TestTailFollowsNewEvents(t *testing.T) {
	httpAddr, natsAddr := serveAddrs(t)
	startServe(t, t.TempDir(), httpAddr, natsAddr)
	natsURL := "nats://" + natsAddr
	cmd := exec.Command(binary, "tail", "--nats-url", natsURL, "--actor", "FR")
	var out syncBuffer
	out.mu, out.b = &sync.Mutex{}, &bytes.Buffer{}
	cmd.Stdout = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	// tail starts with new events only; publish until it shows one (its
	// subscription may not be in place for the first).
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		runCLI(t, 0, "publish", "--nats-url", natsURL, "--actor", "France", "--topic", "gaza-ceasefire", "--stance", "support",
			"--on", "2024-03-26", "--evidence", fmt.Sprint("france supports it ", i))
		out.mu.Lock()
		got := out.b.String()
		out.mu.Unlock()
		if strings.Contains(got, "position FR gaza-ceasefire support") {
			if strings.Contains(got, "position US") {
				t.Fatalf("tail --actor FR showed another actor:\n%s", got)
			}
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("tail showed no event")
}

// TestServeWithTokensAndTLS: HTTPS with a certificate, bearer tokens for
// writes, and the CLI speaking both.
func TestServeWithTokensAndTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := testcert.Write(t, dir)
	tokens := filepath.Join(dir, "tokens")
	if err := os.WriteFile(tokens, []byte("analyst write analyst-secret-0123456789\nops admin ops-secret-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	httpAddr, natsAddr := serveAddrs(t)
	s := &server{t: t, http: httpAddr, nats: natsAddr, log: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	s.cmd = exec.Command(binary, "serve", "--data", filepath.Join(dir, "data"), "--http", httpAddr, "--nats-listen", natsAddr,
		"--tokens", tokens, "--tls-cert", cert, "--tls-key", key, "--log-format", "json", "--bundled", "gaza")
	s.cmd.Stderr, s.cmd.Stdout = syncBuffer{s.mu, s.log}, syncBuffer{s.mu, s.log}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() { _ = s.cmd.Process.Kill(); <-s.done })
	pem, _ := os.ReadFile(cert)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get("https://" + httpAddr + "/readyz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("HTTPS serve not ready: %v\n%s", err, s.logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := http.Get("https://" + httpAddr + "/readyz"); err == nil {
		t.Fatal("a client that does not trust the certificate connected")
	}
	post := func(token string) int {
		req, _ := http.NewRequest("POST", "https://"+httpAddr+"/v1/events", strings.NewReader(`{"type":"org.stancewatch.position","data":{"actor":"JP","topic":"gaza-ceasefire","stance":"support","occurred":"2024-03-26","evidence":{"quote":"japan welcomed it"}}}`))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(""); got != 401 {
		t.Fatalf("POST without a token: %d", got)
	}
	if got := post("analyst-secret-0123456789"); got != 201 {
		t.Fatalf("POST with the analyst's token: %d", got)
	}
	api := []string{"--api", "https://" + httpAddr, "--api-ca", cert}
	out := runCLI(t, 0, append([]string{"history", "JP", "--topic", "gaza-ceasefire"}, api...)...)
	if !strings.Contains(out, "japan welcomed it") {
		t.Fatalf("history over HTTPS: %s", out)
	}
	runCLI(t, exitFailure, append([]string{"rebuild", "--token", "analyst-secret-0123456789"}, api...)...)
	out = runCLI(t, 0, append([]string{"rebuild", "--token", "ops-secret-0123456789"}, api...)...)
	if !strings.Contains(out, "rebuilt:") {
		t.Fatalf("rebuild: %s", out)
	}
	if strings.Contains(s.logs(), "secret-0123456789") {
		t.Fatalf("a token reached the log:\n%s", s.logs())
	}
}

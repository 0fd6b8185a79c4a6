package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stancewatch/stancewatch/events"
)

// TestBitRotIsReported flips one byte inside a stored event (a letter of
// its quote: the JSON stays valid, so only a checksum can tell; Jepsen's
// nats-server finding 7549) and starts again: the damaged sequence is
// named in the log, /readyz and /v1/admin/verify, the event is in no
// answer, and nothing else is lost.
func TestBitRotIsReported(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP (not run): starts serve processes; skipped in -short mode")
	}
	dir := t.TempDir()
	httpAddr, natsAddr := serveAddrs(t)
	s := startServe(t, dir, httpAddr, natsAddr)
	st := connectTo(t, natsAddr)
	var victim uint64
	for i := range 20 {
		ev := crashPosition(0, 0, i)
		p := ev.Data.(events.Position)
		p.Evidence.Quote = fmt.Sprintf("bitrot observation %02d", i)
		ev.Data = p
		a, err := st.Append(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if i == 7 {
			victim = a.Seq
		}
	}
	st.Close()
	if err := s.stop(syscall.SIGTERM); err != nil {
		t.Fatalf("serve: %v", err)
	}
	blocks, _ := filepath.Glob(filepath.Join(dir, "jetstream", "*", "streams", "STANCEWATCH", "msgs", "*.blk"))
	flipped := false
	for _, b := range blocks {
		data, err := os.ReadFile(b)
		if err != nil {
			t.Fatal(err)
		}
		if i := bytes.Index(data, []byte("bitrot observation 07")); i >= 0 {
			data[i] = 'B' // "Bitrot": still valid JSON, another quote
			if err := os.WriteFile(b, data, 0o644); err != nil {
				t.Fatal(err)
			}
			flipped = true
		}
	}
	if !flipped {
		t.Fatalf("no block holds the victim (blocks %v)", blocks)
	}
	s = startServe(t, dir, httpAddr, natsAddr)
	var ready struct {
		Damaged struct {
			Events    int      `json:"events"`
			Sequences []uint64 `json:"sequences"`
		} `json:"damaged"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for ready.Damaged.Events == 0 && time.Now().Before(deadline) {
		_ = json.Unmarshal(s.get("/readyz"), &ready)
		time.Sleep(20 * time.Millisecond)
	}
	if ready.Damaged.Events != 1 || len(ready.Damaged.Sequences) != 1 || ready.Damaged.Sequences[0] != victim {
		t.Fatalf("/readyz damaged = %+v, want sequence %d\n%s", ready.Damaged, victim, s.logs())
	}
	var verify struct {
		Equal   bool     `json:"equal"`
		Damaged int      `json:"damaged"`
		Seqs    []uint64 `json:"damaged_sequences"`
	}
	// The scrub rebuilds the projection without the damaged event; until
	// then verify says the projection differs from a replay.
	for deadline := time.Now().Add(20 * time.Second); !verify.Equal && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + httpAddr + "/v1/admin/verify")
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&verify)
		resp.Body.Close()
	}
	if !verify.Equal || verify.Damaged != 1 || verify.Seqs[0] != victim {
		t.Fatalf("verify = %+v", verify)
	}
	// nats-server's own per-message hash catches this flip (it leaves the
	// sequence out: "missing"); stancewatch's checksum catches what it
	// does not (TestDamagedEventIsRejected in internal/projector).
	named := false
	for _, line := range strings.Split(s.logs(), "\n") {
		if strings.Contains(line, "damaged on disk") && strings.Contains(line, fmt.Sprintf(`"seq":%d`, victim)) {
			named = true
		}
	}
	if !named {
		t.Fatalf("the log does not name sequence %d as damaged:\n%s", victim, s.logs())
	}
	export := string(s.get("/v1/export/positions.csv?topic=crash-test"))
	if strings.Contains(export, "Bitrot") || strings.Count(export, "bitrot observation") != 19 {
		t.Fatalf("the damaged event is in an answer, or others are missing:\n%s", export)
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// seed copies a seed article into dir with a header giving its
// publication date, as a newsroom's feed would deliver it.
func seed(t *testing.T, dir, name, published string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "producers", "news", "testdata", "seeds", name))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	tmp := filepath.Join(dir, ".partial-"+name) // hidden while written, then renamed: the watcher never reads half a file
	if err := os.WriteFile(tmp, append([]byte("Published: "+published+"\nSource: https://example.org/"+name+"\n\n"), b...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestExtractCommand: extract prints one JSON object a line with the
// fields the issue names, and --eval scores the seeds.
func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	file := seed(t, dir, "000_344147d2c16fac0e.txt", "2024-03-23")
	out := runCLI(t, 0, "extract", file)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 5 {
		t.Fatalf("%d findings:\n%s", len(lines), out)
	}
	text, _ := os.ReadFile(file)
	for _, l := range lines {
		var f map[string]any
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatalf("not JSON: %s", l)
		}
		for _, k := range []string{"actor", "stance", "occurred", "motion", "topic", "evidence", "offset", "confidence", "file"} {
			if _, ok := f[k]; !ok {
				t.Fatalf("finding without %q: %s", k, l)
			}
		}
		off, ev := int(f["offset"].(float64)), f["evidence"].(string)
		if string(text[off:off+len(ev)]) != ev {
			t.Fatalf("evidence is not the file's text at its offset: %s", l)
		}
	}
	if !strings.Contains(out, `"actor":"DZ","stance":"vote_no","occurred":"2024-03-22","motion":"S/2024/239"`) {
		t.Fatalf("Algeria's vote is missing:\n%s", out)
	}
	// without a publication date relative days stay unresolved
	bare := filepath.Join(dir, "bare.txt")
	os.WriteFile(bare, []byte("On Friday, Russia and China vetoed the draft."), 0o644)
	if got := runCLI(t, 0, "extract", "--no-catalog", bare); !strings.Contains(got, `"occurred":null`) {
		t.Fatalf("an undated article got a date:\n%s", got)
	}
	if got := runCLI(t, 0, "extract", "--published", "2024-03-23", "--no-catalog", bare); !strings.Contains(got, `"occurred":"2024-03-22"`) {
		t.Fatalf("--published was not used:\n%s", got)
	}
	// an unreadable article is rejected with what and where; the others still count
	binFile := filepath.Join(dir, "photo.txt")
	os.WriteFile(binFile, []byte("GIF89a\x00\x01"), 0o644)
	if got := runCLI(t, 3, "extract", bare, binFile); !strings.Contains(got, "photo.txt: unreadable article: a NUL byte at offset 6") || !strings.Contains(got, `"actor":"RU"`) {
		t.Fatalf("partial run:\n%s", got)
	}
	// the gold file of the seeds
	report := runCLI(t, 0, "extract", "--eval", "../../producers/news/testdata/gold.json", "../../producers/news/testdata/seeds")
	if !strings.HasPrefix(report, "precision 1.000  recall 1.000") {
		t.Fatalf("eval:\n%s", report)
	}
}

// TestExtractTrain: extract --train writes a model that --model reads
// and --eval reports by reader; --model none reads with the rules alone;
// --folds cross-validates; wrong uses say what is wrong.
func TestExtractTrain(t *testing.T) {
	const gold, dir = "../../producers/news/testdata/real/gold.json", "../../producers/news/testdata/real"
	model := filepath.Join(t.TempDir(), "model.txt.gz")
	out := runCLI(t, 0, "extract", "--train", gold, "--split", "fresh3,fresh4", "--out", model, dir)
	if !strings.HasPrefix(out, "trained on 28 articles:") || !strings.Contains(out, "written to "+model) {
		t.Fatalf("train:\n%s", out)
	}
	report := runCLI(t, 0, "extract", "--model", model, "--eval", gold, "--split", "fresh3", dir)
	if !strings.Contains(report, "found by reader") || !strings.Contains(report, "  rules ") {
		t.Fatalf("eval with the trained model:\n%s", report)
	}
	if report := runCLI(t, 0, "extract", "--model", "none", "--eval", gold, "--split", "fresh3", dir); strings.Contains(report, "  learned ") {
		t.Fatalf("--model none found with the learned reader:\n%s", report)
	}
	if report := runCLI(t, 0, "extract", "--eval", gold, "--split", "fresh3,fresh4", "--folds", "2", dir); !strings.HasPrefix(report, "precision ") {
		t.Fatalf("--folds:\n%s", report)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--train", gold, dir}, "--train and --out go together"},
		{[]string{"--eval", gold, "--folds", "1", dir}, "--folds 1: want 2 or more"},
		{[]string{"--eval", gold, "--train", gold, "--out", model, dir}, "one at a time"},
		{[]string{"--model", filepath.Join(t.TempDir(), "missing"), dir}, "--model: open"},
		{[]string{"--model", gold, dir}, "not a stance model"},
		{[]string{"--model", "none", "--train", gold, "--out", model, dir}, "--model: not with --train or --folds"},
		{[]string{"--eval", gold, "--split", "fresh3, nosuch", dir}, `no file of the gold file is in split "nosuch"`},
		{[]string{"--eval", filepath.Join(t.TempDir(), "missing.json"), dir}, "--eval: open"},
	} {
		if got := runCLI(t, 1, append([]string{"extract"}, tc.args...)...); !strings.Contains(got, tc.want) {
			t.Errorf("extract %v:\n%s\nwant %q", tc.args, got, tc.want)
		}
	}
}

// TestArticlesIngestAndReview: serve watches a directory; an article
// dropped in it becomes positions (and reviews) within seconds; ingesting
// it again from the CLI adds nothing; a review accepted over HTTP enters
// the actor's history.
func TestArticlesIngestAndReview(t *testing.T) {
	httpAddr, natsAddr := serveAddrs(t)
	inbox := t.TempDir()
	s := startServeArgs(t, t.TempDir(), httpAddr, natsAddr, "--watch-articles", inbox, "--watch-interval", "100ms")
	file := seed(t, inbox, "001_22775d10c405f852.txt", "2024-03-26")

	// the UK's vote in favour of 2728 arrives from the article
	deadline := time.Now().Add(20 * time.Second)
	for {
		h := string(s.get("/v1/actors/GB/history?topic=gaza-ceasefire"))
		if strings.Contains(h, "including the uk") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the article's positions did not arrive:\n%s\n%s", h, s.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
	var q struct {
		Reviews []struct {
			ID      string   `json:"id"`
			Actor   string   `json:"actor"`
			Stance  string   `json:"stance"`
			Reasons []string `json:"reasons"`
		} `json:"reviews"`
	}
	if err := json.Unmarshal(s.get("/v1/review"), &q); err != nil {
		t.Fatal(err)
	}
	var undated string
	for _, r := range q.Reviews {
		if r.Actor == "US" && r.Stance == "veto" {
			undated = r.ID // "the us has used its veto power to block three ... resolutions": not dated by the text
		}
	}
	if undated == "" {
		t.Fatalf("no review for the undated US vetoes: %+v", q.Reviews)
	}

	// the same article from the CLI adds nothing
	out := runCLI(t, 0, "ingest", "articles", "--nats-url", "nats://"+natsAddr, file)
	if !strings.Contains(out, ": 0 new,") {
		t.Fatalf("second ingest added events:\n%s", out)
	}

	// accept the review with the reviewer's date
	resp := postJSON(t, "http://"+httpAddr+"/v1/review/"+undated+"/accept", `{"occurred":"2023-12-08","motion":"S/2023/970","reason":"the UAE draft, per the vote record"}`)
	if resp.status != 201 {
		t.Fatalf("accept: %d %s", resp.status, resp.body)
	}
	var seq struct {
		Position struct{ Seq uint64 } `json:"position"`
	}
	json.Unmarshal(resp.body, &seq)
	h := string(s.get(fmt.Sprintf("/v1/actors/US/history?topic=gaza-ceasefire&min_seq=%d", seq.Position.Seq)))
	if !strings.Contains(h, "the us has used its veto power") {
		t.Fatalf("the accepted review is not in the history:\n%s", h)
	}
}

type httpAnswer struct {
	status int
	body   []byte
}

func postJSON(t *testing.T, url, body string) httpAnswer {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpAnswer{resp.StatusCode, b}
}

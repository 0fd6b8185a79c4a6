package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser finds a Chromium to drive: $STANCEWATCH_CHROMIUM, else the
// usual names on the PATH.
func browser() string {
	if p := os.Getenv("STANCEWATCH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifacts is where the browser tests leave their screenshots:
// $STANCEWATCH_ARTIFACTS (so that CI can keep them), else a directory
// of the test's own, removed after it.
func artifacts(t *testing.T) string {
	dir := os.Getenv("STANCEWATCH_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newBrowser starts a headless Chromium for a test, a window of w×h.
func newBrowser(t *testing.T, w, h int) context.Context {
	t.Helper()
	exe := browser()
	if exe == "" {
		skipFor(t, "no Chromium found: install Debian's chromium (apt-get install chromium; .ci/run does) or set STANCEWATCH_CHROMIUM")
	}
	// Chromium's helper processes may still write to the profile for a
	// moment after the browser is gone: remove it when they are done,
	// rather than in t.TempDir's cleanup, which fails the test.
	profile, err := os.MkdirTemp("", "stancewatch-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		deadline := time.Now().Add(10 * time.Second)
		for os.RemoveAll(profile) != nil && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
	})
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(profile), chromedp.WindowSize(w, h))
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(cancelT)
	return ctx
}

// TestWebPage loads the page in a real headless Chromium against a real
// serve with the bundled data: the matrix has the right cells, a cell
// shows its evidence, the timeline marks the US shift to abstention, a
// position published with the CLI appears live, time travel re-renders,
// and the page fits a phone.
func TestWebPage(t *testing.T) {
	httpAddr, natsAddr := freePort(t), freePort(t)
	startServe(t, t.TempDir(), httpAddr, natsAddr)
	base := "http://" + httpAddr
	ctx := newBrowser(t, 1400, 1000)

	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	stanceOf := func(actor, motion string) string {
		t.Helper()
		var v string
		run("reading a cell", chromedp.Evaluate(fmt.Sprintf(`document.querySelector('td[data-actor=%q][data-motion=%q]')?.dataset.stance || ""`, actor, motion), &v))
		return v
	}

	run("loading the page", chromedp.Navigate(base+"/?topic=gaza-ceasefire&actor=US"), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	var st string
	run("status", chromedp.Text("#status", &st, chromedp.ByQuery))
	t.Logf("status: %s", st)
	// the matrix: the US vetoed the Algerian draft on 20 February 2024 and abstained on 2728 on 25 March
	if got := stanceOf("US", "S/2024/173"); got != "veto" {
		t.Errorf("US on S/2024/173 (2024-02-20): %q, want veto", got)
	}
	if got := stanceOf("US", "S/RES/2728"); got != "abstain" {
		t.Errorf("US on S/RES/2728 (2024-03-25): %q, want abstain", got)
	}
	var header string
	run("reading a column", chromedp.Text(`th[data-motion="S/2024/173"]`, &header, chromedp.ByQuery))
	if !strings.Contains(header, "20 Feb 2024") || !strings.Contains(header, "vetoed") {
		t.Errorf("column header %q lacks its date and outcome", header)
	}
	// a cell's evidence
	var quote string
	run("opening the evidence", chromedp.Click(`td[data-actor="US"][data-motion="S/RES/2728"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#evidence`, chromedp.ByQuery), chromedp.Text(`#evidence-body`, &quote, chromedp.ByQuery))
	if !strings.Contains(quote, "abstain") || !strings.Contains(quote, "rollcall") {
		t.Errorf("evidence panel: %q", quote)
	}
	// the timeline marks the shift to abstention
	var shifts string
	run("reading the timeline", chromedp.TextContent(`#timeline`, &shifts, chromedp.ByQuery))
	if !strings.Contains(shifts, "→ abstain, 25 Mar 2024") {
		t.Errorf("timeline shift labels: %q", shifts)
	}
	screenshot(t, ctx, "web-matrix.png")

	// live: a position published with the CLI appears without reloading
	start := time.Now()
	runCLI(t, 0, "publish", "--nats-url", "nats://"+natsAddr, "--actor", "France", "--topic", "gaza-ceasefire", "--stance", "sponsor",
		"--motion", "S/2024/999", "--on", "2024-12-02", "--evidence", "France put forward a new draft", "--source", "https://example.org/fr")
	var appeared bool
	for time.Since(start) < 20*time.Second {
		if stanceOf("FR", "S/2024/999") == "sponsor" {
			appeared = true
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !appeared {
		t.Fatal("the published position did not appear in the matrix")
	}
	t.Logf("published → visible in the page: %v (the issue asks for under a second; measured, not asserted)", time.Since(start).Round(time.Millisecond))
	var feed string
	run("reading the feed", chromedp.Text(`#feed`, &feed, chromedp.ByQuery))
	if !strings.Contains(feed, "FR sponsor on gaza-ceasefire (S/2024/999)") {
		t.Errorf("live feed: %q", feed)
	}
	screenshot(t, ctx, "web-live.png")

	// time travel: as of 1 March 2024, resolution 2728 had not been voted
	run("time travel", chromedp.Navigate(base+"/?topic=gaza-ceasefire&actor=US&as_of=2024-03-01"), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	if got := stanceOf("US", "S/2024/173"); got != "veto" {
		t.Errorf("as of 2024-03-01, US on S/2024/173: %q, want veto", got)
	}
	var n int
	run("counting 2728's cells", chromedp.Evaluate(`document.querySelectorAll('[data-motion="S/RES/2728"]').length`, &n))
	if n != 0 {
		t.Errorf("as of 2024-03-01 the matrix shows resolution 2728 (%d cells)", n)
	}
	var url string
	run("reading the URL", chromedp.Location(&url))
	if !strings.Contains(url, "as_of=2024-03-01") || !strings.Contains(url, "actor=US") {
		t.Errorf("the URL does not hold the view: %s", url)
	}

	// a phone: the page fits the width; the matrix scrolls inside its box
	var overflow bool
	run("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/?topic=gaza-ceasefire&actor=US"),
		chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
	if overflow {
		t.Error("on a 390px-wide screen the page scrolls sideways")
	}
	screenshot(t, ctx, "web-phone.png")
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	file := filepath.Join(artifacts(t), name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
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
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(profile), chromedp.WindowSize(w, h))
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
	httpAddr, natsAddr := serveAddrs(t)
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

// layoutFacts are what a browser measures of the page's layout.
type layoutFacts struct {
	Overflow        bool     `json:"overflow"`        // the page scrolls sideways
	MinTimelineFont float64  `json:"minTimelineFont"` // the smallest text of the timeline, in screen px
	TimelineTexts   int      `json:"timelineTexts"`
	ClippedAxis     []string `json:"clippedAxis"`   // axis labels not wholly inside the chart
	ShiftLabels     int      `json:"shiftLabels"`   // numbers of shifts on the chart
	Overlaps        []string `json:"overlaps"`      // pairs of shift numbers that overlap
	StickyGap       float64  `json:"stickyGap"`     // after scrolling right: actor column's left − the box's left
	NewestVisible   bool     `json:"newestVisible"` // the newest column is wholly in the box, scrolled right
	FullColumns     int      `json:"fullColumns"`   // columns wholly in sight, scrolled right
	MatrixShare     float64  `json:"matrixShare"`   // the matrix's width / the main area's
}

const measureLayout = `(() => {
  const r = (e) => e.getBoundingClientRect();
  const f = {};
  const cw = document.documentElement.clientWidth;
  f.overflow = document.documentElement.scrollWidth > cw + 1 || [...document.querySelectorAll('header *, main > *')].some((e) => r(e).right > cw + 1);
  const svg = document.querySelector('#timeline svg');
  const texts = svg ? [...svg.querySelectorAll('text')] : [];
  const scale = svg ? svg.getScreenCTM().a : 1;
  f.timelineTexts = texts.length;
  f.minTimelineFont = texts.length ? Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)) : 0;
  const sb = svg ? r(svg) : null;
  f.clippedAxis = texts.filter((t) => t.closest('.axis')).filter((t) => { const b = r(t); return b.left < sb.left - 0.5 || b.right > sb.right + 0.5 || b.top < sb.top - 0.5 || b.bottom > sb.bottom + 0.5; }).map((t) => t.textContent);
  const labels = svg ? [...svg.querySelectorAll('.shift-label')] : [];
  f.shiftLabels = labels.length;
  f.overlaps = [];
  labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => { const p = r(a), q = r(b);
    if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) f.overlaps.push(a.textContent + '/' + b.textContent); }));
  const box = document.querySelector('#matrix-box');
  box.scrollLeft = box.scrollWidth;
  const bb = r(box);
  const th = document.querySelector('#matrix tbody tr:not(.spacer) th');
  f.stickyGap = th ? r(th).left - bb.left : 999;
  const cols = [...document.querySelectorAll('#matrix thead th:not(.corner)')];
  const corner = document.querySelector('#matrix thead th.corner');
  const left = corner ? r(corner).right : bb.left;
  const inside = (c) => { const b = r(c); return b.left >= left - 1 && b.right <= bb.right + 1; };
  f.newestVisible = cols.length > 0 && inside(cols[cols.length - 1]);
  f.fullColumns = cols.filter(inside).length;
  f.matrixShare = r(document.querySelector('#matrix-section')).width / r(document.querySelector('main')).width;
  return f;
})()`

// TestWebPageLayout measures the page in a real headless Chromium at a
// desktop's size (1280×800) and a phone's (390×844), and keeps
// screenshots of each: the timeline's text is at least 11 px, its axis
// labels are not clipped and its shift numbers do not overlap; the matrix
// keeps its actor column in sight when scrolled right, where the newest
// texts are; the empty live column gives its width back; an open
// evidence panel leaves the live feed in sight; the favicon is there; and
// the matrix summed by year drills down to a year's votes.
func TestWebPageLayout(t *testing.T) {
	httpAddr, natsAddr := serveAddrs(t)
	startServe(t, t.TempDir(), httpAddr, natsAddr)
	base := "http://" + httpAddr
	ctx := newBrowser(t, 1280, 800)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	ready := chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery)
	measure := func(what string) layoutFacts {
		t.Helper()
		var f layoutFacts
		run(what, chromedp.Evaluate(measureLayout, &f))
		t.Logf("%s: %+v", what, f)
		return f
	}
	check := func(size string, f layoutFacts, minColumns int) {
		t.Helper()
		if f.Overflow {
			t.Errorf("%s: the page scrolls sideways", size)
		}
		if f.TimelineTexts == 0 || f.MinTimelineFont < 11 {
			t.Errorf("%s: the timeline's smallest text is %.1f px (%d texts), want at least 11", size, f.MinTimelineFont, f.TimelineTexts)
		}
		if len(f.ClippedAxis) > 0 {
			t.Errorf("%s: axis labels leave the chart: %q", size, f.ClippedAxis)
		}
		if len(f.Overlaps) > 0 {
			t.Errorf("%s: shift numbers overlap: %v", size, f.Overlaps)
		}
		if f.StickyGap < -1 || f.StickyGap > 2 {
			t.Errorf("%s: scrolled right, the actor column is %.1f px from the matrix's left edge", size, f.StickyGap)
		}
		if !f.NewestVisible {
			t.Errorf("%s: scrolled right, the newest text's column is not wholly in sight", size)
		}
		if f.FullColumns < minColumns {
			t.Errorf("%s: %d vote columns wholly in sight, want at least %d", size, f.FullColumns, minColumns)
		}
	}

	// desktop
	run("loading the page", chromedp.Navigate(base+"/?topic=gaza-ceasefire&actor=US"), ready)
	f := measure("desktop")
	check("desktop", f, 8)
	if f.ShiftLabels < 3 {
		t.Errorf("desktop: %d shift numbers on the chart, want the US's shifts numbered", f.ShiftLabels)
	}
	if f.MatrixShare < 0.9 {
		t.Errorf("desktop: with an empty live feed the matrix takes %.0f%% of the width", 100*f.MatrixShare)
	}
	var favicon int
	run("the favicon", chromedp.Evaluate(`fetch('/favicon.ico').then((r) => r.ok && r.headers.get('Content-Type') === 'image/x-icon' ? r.status : -r.status)`, &favicon,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if favicon != 200 {
		t.Errorf("/favicon.ico: %d", favicon)
	}
	screenshot(t, ctx, "layout-desktop.png")

	// the evidence panel and the live feed, both in sight
	var feedInSight bool
	run("opening the evidence", chromedp.Click(`td[data-actor="US"][data-motion="S/RES/2728"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#evidence`, chromedp.ByQuery), chromedp.Sleep(100*time.Millisecond),
		chromedp.Evaluate(`(() => { const e = document.querySelector('#evidence').getBoundingClientRect(), f = document.querySelector('#feed-section').getBoundingClientRect();
			return f.height > 40 && f.top < innerHeight - 40 && f.bottom > 0 && (f.top >= e.bottom || f.bottom <= e.top || f.left >= e.right || f.right <= e.left); })()`, &feedInSight))
	if !feedInSight {
		t.Error("desktop: with the evidence open, the live feed is hidden or out of sight")
	}
	screenshot(t, ctx, "layout-desktop-evidence.png")

	// the matrix by year, and a year's votes
	var cols []string
	run("by year", chromedp.Navigate(base+"/?topic=gaza-ceasefire&actor=US&by=year"), ready,
		chromedp.Evaluate(`[...document.querySelectorAll('#matrix thead th.year')].map((th) => th.dataset.year)`, &cols))
	if strings.Join(cols, ",") != "2023,2024" {
		t.Errorf("the matrix by year has the columns %v, want 2023, 2024", cols)
	}
	var label string
	run("a year's cell", chromedp.AttributeValue(`td[data-actor="US"][data-year="2024"] button`, "aria-label", &label, nil, chromedp.ByQuery))
	if !strings.Contains(label, "United States, 2024:") || !strings.Contains(label, "against") {
		t.Errorf("the US's 2024 cell says %q", label)
	}
	screenshot(t, ctx, "layout-desktop-years.png")
	var motions []string
	var url string
	run("drilling down to 2024", chromedp.Click(`th[data-year="2024"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#all-years`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('#matrix thead th[data-motion]')].map((th) => th.dataset.motion)`, &motions), chromedp.Location(&url))
	if len(motions) == 0 || !strings.Contains(url, "year=2024") {
		t.Errorf("2024's votes: %v at %s", motions, url)
	}
	for _, m := range motions {
		if strings.Contains(m, "2023") {
			t.Errorf("2024's votes include %s", m)
		}
	}
	// the country search
	var rows []string
	run("searching for a country", chromedp.SendKeys(`#rows`, "fran", chromedp.ByQuery), chromedp.Sleep(100*time.Millisecond),
		chromedp.Evaluate(`[...document.querySelectorAll('#matrix tbody tr[data-actor]')].map((tr) => tr.dataset.actor)`, &rows))
	if strings.Join(rows, ",") != "FR" {
		t.Errorf("searching for 'fran' leaves the rows %v", rows)
	}

	// phone
	run("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/?topic=gaza-ceasefire&actor=US"), ready)
	check("phone", measure("phone"), 3)
	screenshot(t, ctx, "layout-phone.png")
}

// TestWebPagePrivateReads: under --private-reads the page asks for a
// token, reads with it, and keeps it for the session; a wrong one is
// refused with the server's own words.
func TestWebPagePrivateReads(t *testing.T) {
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.WriteFile(tokens, []byte("reader read reader-secret-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	httpAddr, natsAddr := serveAddrs(t)
	startServeArgs(t, filepath.Join(dir, "data"), httpAddr, natsAddr, "--private-reads", "--tokens", tokens)
	base := "http://" + httpAddr
	ctx := newBrowser(t, 1280, 800)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	var why string
	run("loading the page", chromedp.Navigate(base+"/?topic=gaza-ceasefire&actor=US"), chromedp.WaitVisible(`#auth`, chromedp.ByQuery),
		chromedp.Text(`#auth-why`, &why, chromedp.ByQuery))
	if !strings.Contains(why, "token") {
		t.Errorf("the token prompt says %q", why)
	}
	screenshot(t, ctx, "private-prompt.png")
	run("a wrong token", chromedp.SendKeys(`#token`, "not-the-secret-at-all", chromedp.ByQuery), chromedp.Click(`#auth-submit`, chromedp.ByQuery),
		chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(`#auth`, chromedp.ByQuery), chromedp.Text(`#auth-why`, &why, chromedp.ByQuery))
	if !strings.Contains(why, "unknown token") {
		t.Errorf("after a wrong token the prompt says %q, want the Problem's detail", why)
	}
	var stance string
	cell := `document.querySelector('td[data-actor="US"][data-motion="S/2024/173"]')?.dataset.stance || ""`
	run("the token", chromedp.SetValue(`#token`, "reader-secret-0123456789", chromedp.ByQuery), chromedp.Click(`#auth-submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery), chromedp.Evaluate(cell, &stance))
	if stance != "veto" {
		t.Errorf("with the token, US on S/2024/173: %q, want veto", stance)
	}
	var live string
	run("the live stream", chromedp.WaitVisible(`#live.on`, chromedp.ByQuery), chromedp.AttributeValue(`#live`, "title", &live, nil, chromedp.ByQuery))
	// the session keeps the token: a reload asks for nothing
	var prompted bool
	run("reloading", chromedp.Reload(), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery),
		chromedp.Evaluate(`!document.querySelector('#auth').hidden`, &prompted), chromedp.Evaluate(cell, &stance))
	if prompted || stance != "veto" {
		t.Errorf("after a reload: prompted %v, US on S/2024/173 %q", prompted, stance)
	}
	screenshot(t, ctx, "private-read.png")
}

// TestWebPageFirstRender measures the page's first render against a
// running server given in $STANCEWATCH_PAGE_URL (the whole record takes
// a minute to load, too long for the usual tests): the default view, and
// how many matrix rows the document holds (virtual scrolling); and the
// alignment view's heat map of a whole General Assembly year.
func TestWebPageFirstRender(t *testing.T) {
	base := os.Getenv("STANCEWATCH_PAGE_URL")
	if base == "" {
		skipFor(t, "set STANCEWATCH_PAGE_URL to a serve with the whole record, such as http://127.0.0.1:18181")
	}
	for _, tc := range []struct{ name, query string }{{"default", "/"}, {"palestinian-conflict", "/?topic=palestinian-conflict"}, {"general-assembly-1980", "/?topic=general-assembly&year=1980"},
		{"alignment-2019", "/?align=2019&ref=US&with=GB,FR,RU,CN,IN"}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := newBrowser(t, 1280, 800)
			var ms string
			var rows, all int
			start := time.Now()
			if err := chromedp.Run(ctx, chromedp.Navigate(base+tc.query), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery),
				chromedp.AttributeValue(`body`, "data-first-render", &ms, nil, chromedp.ByQuery),
				chromedp.Evaluate(`document.querySelectorAll('#matrix tbody tr[data-actor]').length`, &rows),
				chromedp.Evaluate(`document.querySelectorAll('#matrix *').length`, &all)); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: first render %s ms after navigation (%v with the browser's start); %d rows and %d elements in the matrix", tc.query, ms, time.Since(start).Round(time.Millisecond), rows, all)
			if strings.Contains(tc.query, "align=") {
				var heat, heatRows string
				if err := chromedp.Run(ctx, chromedp.WaitVisible(`#align-section[data-ready="true"]`, chromedp.ByQuery),
					chromedp.AttributeValue(`#heat`, "data-render-ms", &heat, nil, chromedp.ByQuery),
					chromedp.AttributeValue(`#heat`, "data-rows", &heatRows, nil, chromedp.ByQuery)); err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: the heat map of %s actors read and drawn in %s ms", tc.query, heatRows, heat)
			}
			screenshot(t, ctx, "first-render-"+tc.name+".png")
		})
	}
}

// TestWebPageAlignment opens "who votes with whom" by a deep link against
// a real serve with the Council set: the heat map of 2024 has a row per
// actor of the API's matrix, a cell's tooltip says the API's value and n
// for that pair, a click on the cell lists the roll calls on which the two
// parted (as many as the API's divergent answer), the line chart has a
// line and a legend entry per actor, and a point opens its pair's roll
// calls; on a phone the page does not scroll sideways.
func TestWebPageAlignment(t *testing.T) {
	httpAddr, natsAddr := serveAddrs(t)
	startServe(t, t.TempDir(), httpAddr, natsAddr)
	base := "http://" + httpAddr
	ctx := newBrowser(t, 1400, 1000)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	getJSON := func(path string, into any) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	var m struct {
		Matrix struct {
			Actors []string     `json:"actors"`
			Values [][]*float64 `json:"values"`
			N      [][]int      `json:"n"`
		} `json:"matrix"`
	}
	getJSON("/v1/alignment/matrix?period=2024", &m)
	idx := func(a string) int {
		for i, x := range m.Matrix.Actors {
			if x == a {
				return i
			}
		}
		t.Fatalf("%s is not in the API's 2024 matrix %v", a, m.Matrix.Actors)
		return -1
	}
	us, dz := idx("US"), idx("DZ")
	var div struct {
		Divergent struct {
			RollCalls []struct {
				Motion string `json:"motion"`
			} `json:"roll_calls"`
		} `json:"divergent"`
	}
	getJSON("/v1/alignment/divergent?actor=US&with=DZ&from=2024&to=2024&limit=200", &div)
	if len(div.Divergent.RollCalls) == 0 {
		t.Fatal("the API lists no roll call on which the US and Algeria parted in 2024")
	}
	// Every roll call behind the cell's figure: the parted ones, and an
	// agreed one the page must show too.
	var behind struct {
		RollCalls struct {
			Figure struct {
				N int `json:"n"`
			} `json:"figure"`
			RollCalls []struct {
				Motion string `json:"motion"`
				Agreed bool   `json:"agreed"`
			} `json:"roll_calls"`
		} `json:"rollcalls"`
	}
	getJSON("/v1/alignment/rollcalls?actor=US&with=DZ&from=2024&to=2024", &behind)
	agreed := ""
	for _, rc := range behind.RollCalls.RollCalls {
		if rc.Agreed && agreed == "" {
			agreed = rc.Motion
		}
	}
	if agreed == "" || behind.RollCalls.Figure.N != m.Matrix.N[us][dz] {
		t.Fatalf("the API's roll calls behind US × DZ in 2024: %d (the matrix's n: %d), none agreed: %+v", behind.RollCalls.Figure.N, m.Matrix.N[us][dz], behind)
	}

	ready := chromedp.WaitVisible(`#align-section[data-ready="true"]`, chromedp.ByQuery)
	start := time.Now()
	run("loading the alignment view", chromedp.Navigate(base+"/?topic=gaza-ceasefire&align=2024&ref=US&with=FR,RU"), ready)
	var rows, inked int
	var renderMs string
	run("reading the heat map", chromedp.AttributeValue(`#heat`, "data-render-ms", &renderMs, nil, chromedp.ByQuery),
		chromedp.Evaluate(`Number(document.querySelector('#heat').dataset.rows)`, &rows),
		chromedp.Evaluate(`(() => { const c = document.querySelector('#heat'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			let k = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) k++; return k; })()`, &inked))
	t.Logf("alignment view ready %v after navigation; heat map read and drawn in %s ms", time.Since(start).Round(time.Millisecond), renderMs)
	if rows != len(m.Matrix.Actors) || inked < 1000 {
		t.Fatalf("the heat map has %d rows (the API: %d) and %d inked pixels", rows, len(m.Matrix.Actors), inked)
	}

	// the US row, Algeria's column: hover, then click
	cellAt := fmt.Sprintf(`(() => { const c = document.querySelector('#heat'), d = c.dataset;
		const x = +d.x0 + %d * d.cell + d.cell / 2, y = +d.y0 + %d * d.cell + d.cell / 2;
		let r = c.getBoundingClientRect(); window.scrollBy(0, r.top + y - innerHeight / 2); r = c.getBoundingClientRect();
		return [r.left + x, r.top + y]; })()`, dz, us)
	var xy []float64
	run("finding the cell", chromedp.Evaluate(cellAt, &xy))
	var tip map[string]string
	run("hovering the cell", chromedp.MouseEvent(input.MouseMoved, xy[0], xy[1]), chromedp.WaitVisible(`#heat-tip`, chromedp.ByQuery),
		chromedp.Evaluate(`({...document.querySelector('#heat-tip').dataset, text: document.querySelector('#heat-tip').textContent})`, &tip))
	want := m.Matrix.Values[us][dz]
	got, err := strconv.ParseFloat(tip["value"], 64)
	if tip["row"] != "US" || tip["col"] != "DZ" || want == nil || err != nil || got != *want || tip["n"] != strconv.Itoa(m.Matrix.N[us][dz]) {
		t.Errorf("the tooltip of US × DZ says %v; the API: value %v, n %d", tip, *want, m.Matrix.N[us][dz])
	}
	// the blocs of each on 2024's dates: the US a permanent member; Algeria in the Arab Group, the G77, NAM and the OIC
	if !strings.Contains(tip["text"], "US: P5") || !strings.Contains(tip["text"], "DZ: Arab Group, G77, NAM, OIC") {
		t.Errorf("the tooltip of US × DZ does not name their blocs: %q", tip["text"])
	}
	var blocKeys []string
	run("the bloc legend", chromedp.Evaluate(`[...document.querySelectorAll('.bloc-keys li')].map((li) => li.dataset.bloc)`, &blocKeys))
	if strings.Join(blocKeys, ",") != "arab-group,brics,eu,g77,nam,oic,p5" {
		t.Errorf("the bloc legend lists %v", blocKeys)
	}
	var count, apart int
	var items, parted []string
	var url string
	run("clicking the cell", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(`#divergent-list[data-pair="US,DZ,2024"]`, chromedp.ByQuery),
		chromedp.Evaluate(`Number(document.querySelector('#divergent-list').dataset.count)`, &count),
		chromedp.Evaluate(`Number(document.querySelector('#divergent-list').dataset.apart)`, &apart),
		chromedp.Evaluate(`[...document.querySelectorAll('#divergent-list li')].map((li) => li.dataset.motion)`, &items),
		chromedp.Evaluate(`[...document.querySelectorAll('#divergent-list li[data-agreed="false"]')].map((li) => li.dataset.motion)`, &parted), chromedp.Location(&url))
	if count != behind.RollCalls.Figure.N || len(items) != count || apart != len(div.Divergent.RollCalls) {
		t.Errorf("the roll calls of US and DZ in 2024: %d listed (%v), %d apart; the API has %d, %d apart", count, items, apart, behind.RollCalls.Figure.N, len(div.Divergent.RollCalls))
	}
	// the parted ones first, in the API's order
	var apartFirst []string
	for _, rc := range div.Divergent.RollCalls {
		apartFirst = append(apartFirst, rc.Motion)
	}
	if len(items) < len(apartFirst) || strings.Join(items[:len(apartFirst)], ",") != strings.Join(apartFirst, ",") || strings.Join(parted, ",") != strings.Join(apartFirst, ",") {
		t.Errorf("the page lists %v (apart: %v); the API's apart, first: %v", items, parted, apartFirst)
	}
	// an agreed roll call, marked as such, opens the US's evidence
	var together, evidence string
	sel := fmt.Sprintf(`#divergent-list li[data-motion=%q]`, agreed)
	run("an agreed roll call and its evidence", chromedp.Text(sel, &together, chromedp.ByQuery),
		chromedp.Click(sel+` button.ev[data-side="US"]`, chromedp.ByQuery), chromedp.WaitVisible(`#evidence`, chromedp.ByQuery),
		chromedp.Text(`#evidence-body`, &evidence, chromedp.ByQuery))
	if !strings.Contains(together, "together") || strings.Contains(together, "apart") || !strings.Contains(together, "score 1") {
		t.Errorf("%s in the list: %q, want it marked together, score 1", agreed, together)
	}
	if !strings.Contains(evidence, agreed) || !strings.Contains(evidence, "United States") {
		t.Errorf("the US's evidence on %s: %q", agreed, evidence)
	}
	if !strings.Contains(url, "pair=US%2CDZ%2C2024") || !strings.Contains(url, "align=2024") {
		t.Errorf("the URL does not hold the alignment view: %s", url)
	}
	var vetoed string
	run("a roll call's votes and source", chromedp.WaitVisible(`#divergent-list li[data-motion="S/2024/173"] .sources a`, chromedp.ByQuery),
		chromedp.Text(`#divergent-list li[data-motion="S/2024/173"]`, &vetoed, chromedp.ByQuery))
	if !strings.Contains(vetoed, "US: no") || !strings.Contains(vetoed, "DZ: yes") || !strings.Contains(vetoed, "20 Feb 2024") {
		t.Errorf("S/2024/173 in the list: %q", vetoed)
	}

	// the line chart: FR and RU with the US
	var lines, legend []string
	run("reading the line chart", chromedp.Evaluate(`[...document.querySelectorAll('#series path.aline')].map((p) => p.dataset.actor)`, &lines),
		chromedp.Evaluate(`[...document.querySelectorAll('#series-legend li')].map((li) => li.dataset.actor)`, &legend))
	if strings.Join(lines, ",") != "FR,RU" || strings.Join(legend, ",") != "FR,RU" {
		t.Errorf("the line chart has the lines %v and the legend %v, want FR, RU", lines, legend)
	}
	var point string
	run("a point of the line chart", chromedp.Click(`#series circle[data-actor="RU"][data-year="2024"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#divergent-list[data-pair="RU,US,2024"]`, chromedp.ByQuery),
		chromedp.AttributeValue(`#series circle[data-actor="RU"][data-year="2024"]`, "data-value", &point, nil, chromedp.ByQuery))
	var series struct {
		Alignment []struct {
			Points []struct {
				Period string  `json:"period"`
				Value  float64 `json:"value"`
			} `json:"points"`
		} `json:"alignment"`
	}
	getJSON("/v1/alignment?actor=RU&with=US", &series)
	for _, p := range series.Alignment[0].Points {
		if p.Period == "2024" && strconv.FormatFloat(p.Value, 'f', -1, 64) != point {
			t.Errorf("RU with the US in 2024: the chart says %s, the API %v", point, p.Value)
		}
	}
	screenshot(t, ctx, "web-alignment.png")

	// the header's button opens the view on the latest year recorded, and the URL says so
	run("opening the view from the header", chromedp.Navigate(base+"/?topic=gaza-ceasefire"), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery),
		chromedp.Click(`#align-open`, chromedp.ByQuery), ready, chromedp.Evaluate(`Number(document.querySelector('#heat').dataset.rows)`, &rows), chromedp.Location(&url))
	if !strings.Contains(url, "align=2024") || rows != len(m.Matrix.Actors) {
		t.Errorf("the header's button opened %s with %d rows", url, rows)
	}

	// a phone: the page fits; the labels are at least 11 px
	var overflow bool
	var minFont float64
	run("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/?topic=gaza-ceasefire&align=2024&ref=US&with=FR,RU"), ready,
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
		chromedp.Evaluate(`Math.min(...[...document.querySelectorAll('#series svg text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a))`, &minFont))
	if overflow {
		t.Error("on a 390px-wide screen the alignment view scrolls the page sideways")
	}
	if minFont < 11 {
		t.Errorf("on a phone the line chart's smallest text is %.1f px", minFont)
	}
	screenshot(t, ctx, "web-alignment-phone.png")
}

// stancewatch's page: a vote matrix, an actor's timeline, who votes with
// whom and a live feed, all read from the HTTP API. The URL holds the view
// (?topic=&actor=&as_of=&rows=&by=&year=&from=&to=, and for the alignment
// view align=&atopic=&measure=&ref=&with=&pair=), so every view can be
// linked to.
//
// Over the whole General Assembly record a topic has hundreds of texts
// and 190 actors: the matrix then opens summed by year (one column a
// year), a year's column drills down to its single votes, and only the
// rows in sight are in the document (virtual scrolling). A long timeline
// shows the yearly balance; a span of years shows single votes.

const STANCES = ["veto", "vote_no", "oppose", "abstain", "absent", "conditional", "support", "vote_yes", "sponsor"];
const LEAN = { veto: -4, vote_no: -3, oppose: -2, abstain: 0, absent: 0, conditional: 1, support: 2, vote_yes: 3, sponsor: 4 };
const LABEL = { veto: "veto", vote_no: "no", oppose: "oppose", abstain: "abstain", absent: "absent", conditional: "cond.", support: "support", vote_yes: "yes", sponsor: "sponsor" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// A topic with more texts than this opens summed by year.
const MANY_TEXTS = 60;
// A timeline with more entries than this (and no span of years chosen)
// shows the yearly balance.
const MANY_ENTRIES = 300;
const ROW_H = 30; // px: every matrix row is this tall, so rows can be virtual
const VIRTUAL_FROM = 60; // rows: a longer matrix keeps only the rows in sight in the document
const TOKEN_KEY = "stancewatch.token";

const $ = (sel) => document.querySelector(sel);
const view = { topic: "", actor: "", asOf: "", rows: "", by: "", year: "", from: "", to: "", align: "", atopic: "", measure: "", ref: "", with: "", pair: "" };
let lastSeq = 0;     // the highest event-stream sequence seen: reads wait for it
let matrix = null;   // the last matrix answer (single texts)
let years = null;    // the last by-year answer
let mode = "texts";  // what the matrix shows: "texts" or "years"
let shown = null;    // the last history answer shown
let refreshTimer = null;
let refreshing = null;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c.nodeType ? c : document.createTextNode(String(c)));
  return e;
}

const svgNS = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function day(s) { return (s || "").slice(0, 10); }
function human(d) {
  const [y, m, dd] = day(d).split("-").map(Number);
  return y ? `${dd} ${MONTHS[m - 1]} ${y}` : "";
}
function status(text) { $("#status").textContent = text; }
function stanceWords(s) { return String(s).replace("_", " "); }

// ---- the API, with a token when reads are private ----

function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }
function authHeaders() { return token() ? { Authorization: `Bearer ${token()}` } : {}; }

// A Problem (RFC 9457) says what went wrong in detail; older answers said it in error.
function problemText(body, r) {
  return body.detail || body.title || body.error || `${r.status} ${r.statusText}`;
}

let tokenWaiters = null;
// askToken shows the token form and resolves once a token is entered.
function askToken(why) {
  const dlg = $("#auth");
  $("#auth-why").textContent = why || "This server's reads are private: enter an access token with the read scope.";
  if (!tokenWaiters) {
    tokenWaiters = [];
    dlg.hidden = false;
    $("#token").value = "";
    $("#token").focus();
  }
  return new Promise((resolve) => tokenWaiters.push(resolve));
}
function tokenEntered(e) {
  e.preventDefault();
  const v = $("#token").value.trim();
  if (!v) return;
  sessionStorage.setItem(TOKEN_KEY, v);
  $("#auth").hidden = true;
  const ws = tokenWaiters || [];
  tokenWaiters = null;
  ws.forEach((f) => f());
}

async function api(path, params = {}, { lens = true } = {}) {
  const u = new URL(path, location.origin);
  if (lens && view.asOf) u.searchParams.set("as_of", view.asOf);
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== undefined && v !== null) u.searchParams.set(k, v);
  for (;;) {
    const r = await fetch(u, { headers: { Accept: "application/json", ...authHeaders() } });
    const body = await r.json().catch(() => ({}));
    if (r.status === 401) {
      const had = token();
      sessionStorage.removeItem(TOKEN_KEY);
      await askToken(had ? `${problemText(body, r)}: enter an access token with the read scope.` : `This server's reads are private (${problemText(body, r)}): enter an access token with the read scope.`);
      continue;
    }
    if (!r.ok) throw Object.assign(new Error(problemText(body, r)), { status: r.status, problem: body });
    return body;
  }
}

// ---- the URL holds the view ----

const URL_KEYS = [["topic", "topic"], ["actor", "actor"], ["as_of", "asOf"], ["rows", "rows"], ["by", "by"], ["year", "year"], ["from", "from"], ["to", "to"],
  ["align", "align"], ["atopic", "atopic"], ["measure", "measure"], ["ref", "ref"], ["with", "with"], ["pair", "pair"]];
function readURL() {
  const q = new URLSearchParams(location.search);
  for (const [k, f] of URL_KEYS) view[f] = q.get(k) || "";
  view.actor = view.actor.toUpperCase();
}
function writeURL() {
  const q = new URLSearchParams();
  for (const [k, f] of URL_KEYS) if (view[f]) q.set(k, view[f]);
  replaceURL(q);
}
function replaceURL(q) { window.history.replaceState(null, "", q.toString() ? `?${q}` : location.pathname); }

function legend() {
  $("#legend").replaceChildren(...STANCES.map((s) => el("li", {}, el("span", { class: `swatch s-${s}` }, LABEL[s]))));
}

let topicList = [];
async function loadTopics() {
  const { topics } = await api("/v1/topics", {}, { lens: false });
  topicList = topics.slice();
  if (!view.topic) view.topic = topics.includes("gaza-ceasefire") ? "gaza-ceasefire" : (topics[0] || "");
  if (view.topic && !topics.includes(view.topic)) topics.push(view.topic);
  $("#topic").replaceChildren(...topics.map((t) => el("option", { value: t, selected: t === view.topic }, t)));
}

// ---- the matrix ----

// shortName is a column's label: "Res 2728", "S/2024/173", or for a text
// without a symbol its authors and kind ("RU draft").
function shortName(m) {
  if (m.id.startsWith("S/RES/")) return `Res ${m.id.slice(6)}`;
  if (m.id.includes("/")) return m.id;
  const who = (m.penholders || []).join("/") || (m.penholder_note || "").split(" ")[0];
  return who ? `${who} ${m.kind || "text"}` : m.id;
}

function tallyText(m) {
  const t = m.tally;
  if (!t) return "";
  const n = (v) => (v === null || v === undefined ? "?" : v);
  return `${n(t.yes)}–${n(t.no)}–${n(t.abstain)}`;
}

// The country search: names or codes, separated by commas or spaces.
function rowFilter() {
  const want = view.rows.split(/[\s,]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
  return (row) => want.length === 0 || want.includes(row.actor) || want.some((w) => row.name.toUpperCase().includes(w));
}

// Virtual rows: the table keeps only the rows in sight (and a margin),
// between two spacer rows as tall as the rows left out.
const vrows = { rows: [], render: null, first: -1, last: -1, cols: 1, pending: false };
function mountRows(rows, render, cols) {
  Object.assign(vrows, { rows, render, cols, first: -1, last: -1 });
  paintRows();
}
function spacer(h) {
  const tr = el("tr", { class: "spacer", "aria-hidden": "true" }, el("td", { colspan: vrows.cols }));
  tr.style.height = `${h}px`;
  return tr;
}
function paintRows() {
  const box = $("#matrix-box"), table = $("#matrix"), tbody = table.tBodies[0];
  if (!tbody) return;
  const head = table.tHead ? table.tHead.offsetHeight : 0;
  const top = Math.max(0, box.scrollTop - head);
  const n = vrows.rows.length;
  // a short table is whole; a long one keeps the rows in sight and 20 more
  const first = n <= VIRTUAL_FROM ? 0 : Math.max(0, Math.floor(top / ROW_H) - 10);
  const last = n <= VIRTUAL_FROM ? n : Math.min(n, Math.ceil((top + (box.clientHeight || 800)) / ROW_H) + 10);
  if (first === vrows.first && last === vrows.last) return;
  vrows.first = first; vrows.last = last;
  const trs = vrows.rows.slice(first, last).map(vrows.render);
  tbody.replaceChildren(...(first > 0 ? [spacer(first * ROW_H)] : []), ...trs, ...(last < n ? [spacer((n - last) * ROW_H)] : []));
}
function onMatrixScroll() {
  if (vrows.pending) return;
  vrows.pending = true;
  requestAnimationFrame(() => { vrows.pending = false; paintRows(); });
}

function actorHeader(row) {
  return el("th", { scope: "row" }, el("button", { type: "button", title: `${row.name} (${row.actor}): timeline`, onclick: () => selectActor(row.actor) },
    el("span", { class: "name" }, row.name), " ", el("small", {}, row.actor)));
}

function caption(text) { $("#matrix").append(el("caption", {}, text)); }

function renderTexts(m, scrollNewest) {
  mode = "texts";
  const table = $("#matrix");
  const head = el("tr", {}, el("th", { scope: "col", class: "corner" }, "Actor"),
    m.motions.map((mo) => el("th", { scope: "col", "data-motion": mo.id, title: mo.title || mo.id },
      el("span", { class: "date" }, human(mo.date)),
      shortName(mo),
      el("span", { class: `outcome ${mo.outcome || ""}` }, [mo.outcome, tallyText(mo)].filter(Boolean).join(" ")))));
  const rows = m.actors.filter(rowFilter());
  const stanceOf = (row, id) => row.stances ? row.stances[id] : row.cells?.[id]?.stance;
  const render = (row) => {
    const tr = el("tr", { "data-actor": row.actor, class: row.actor === view.actor ? "selected" : "" }, actorHeader(row));
    for (const mo of m.motions) {
      const s = stanceOf(row, mo.id);
      if (!s) { tr.append(el("td", { class: "empty", "data-actor": row.actor, "data-motion": mo.id })); continue; }
      tr.append(el("td", { "data-actor": row.actor, "data-motion": mo.id, "data-stance": s },
        el("button", { type: "button", class: `cell s-${s}`, "aria-label": `${row.name}, ${mo.id}: ${stanceWords(s)}`,
          onclick: (e) => openCell(row, mo, s, e.currentTarget) }, LABEL[s] || s)));
    }
    return tr;
  };
  table.replaceChildren(el("thead", {}, head), el("tbody"));
  mountRows(rows, render, m.motions.length + 1);
  if (rows.length === 0) caption(view.rows ? "No country matches the search." : "No positions on this topic yet.");
  if (scrollNewest) scrollToNewest();
}

// yearBar is a cell of the matrix by year: the shares of for, abstain
// or absent, and against, as a stacked bar (and in words for a reader).
function yearCounts(row, i) {
  let pro = 0, con = 0, mid = 0, lean = 0;
  for (const [s, arr] of Object.entries(row.counts)) {
    const n = arr[i] || 0;
    if (!n) continue;
    if (LEAN[s] > 0) pro += n; else if (LEAN[s] < 0) con += n; else mid += n;
    lean += n * LEAN[s];
  }
  const total = pro + con + mid;
  return { pro, con, mid, total, lean: total ? lean / total : 0 };
}

function renderYears(ym, scrollNewest) {
  mode = "years";
  const table = $("#matrix");
  const head = el("tr", {}, el("th", { scope: "col", class: "corner" }, "Actor"),
    ym.years.map((y) => el("th", { scope: "col", class: "year", "data-year": y.year },
      el("button", { type: "button", title: `${y.year}: ${y.motions} texts — show each vote`, onclick: () => drill(y.year) }, String(y.year)),
      el("span", { class: "date" }, `${y.motions} texts`))));
  const rows = ym.actors.filter(rowFilter());
  const render = (row) => {
    const tr = el("tr", { "data-actor": row.actor, class: row.actor === view.actor ? "selected" : "" }, actorHeader(row));
    ym.years.forEach((y, i) => {
      const c = yearCounts(row, i);
      if (!c.total) { tr.append(el("td", { class: "empty", "data-actor": row.actor, "data-year": y.year })); return; }
      const words = `${row.name}, ${y.year}: ${c.pro} for, ${c.con} against, ${c.mid} abstained or absent`;
      const bar = el("span", { class: "bar", "aria-hidden": "true" });
      for (const [cls, n] of [["pro", c.pro], ["mid", c.mid], ["con", c.con]]) {
        if (!n) continue;
        const part = el("span", { class: cls });
        part.style.flexGrow = String(n);
        bar.append(part);
      }
      tr.append(el("td", { "data-actor": row.actor, "data-year": y.year, "data-total": c.total },
        el("button", { type: "button", class: "ycell", title: words, "aria-label": `${words}: show each vote`, onclick: () => drill(y.year) }, bar)));
    });
    return tr;
  };
  table.replaceChildren(el("thead", {}, head), el("tbody"));
  mountRows(rows, render, ym.years.length + 1);
  if (rows.length === 0) caption(view.rows ? "No country matches the search." : "No positions on this topic yet.");
  if (scrollNewest) scrollToNewest();
}

// The newest texts are on the right: a matrix opens scrolled there.
function scrollToNewest() {
  const box = $("#matrix-box");
  box.scrollLeft = box.scrollWidth;
}

function drill(year) {
  view.year = String(year);
  view.by = "";
  refresh();
}

function renderMatrixNav(totalTexts) {
  const nav = $("#matrix-nav");
  const parts = [];
  if (mode === "years") {
    parts.push(el("span", {}, `Each column sums a year: the bar is the share of votes for (purple), abstained or absent (grey) and against (orange). Select a year for its single votes.`));
    if (totalTexts <= MANY_TEXTS) parts.push(el("button", { type: "button", id: "by-text", onclick: () => { view.by = ""; view.year = ""; refresh(); } }, "Each text"));
  } else if (view.year) {
    const ys = (years?.years || []).map((y) => y.year);
    const i = ys.indexOf(Number(view.year));
    parts.push(el("button", { type: "button", id: "all-years", onclick: () => { view.year = ""; view.by = "year"; refresh(); } }, "← All years"));
    if (i > 0) parts.push(el("button", { type: "button", onclick: () => drill(ys[i - 1]) }, `‹ ${ys[i - 1]}`));
    parts.push(el("strong", {}, ` ${view.year} `));
    if (i >= 0 && i < ys.length - 1) parts.push(el("button", { type: "button", onclick: () => drill(ys[i + 1]) }, `${ys[i + 1]} ›`));
  } else if (years && years.years.length > 1) {
    parts.push(el("button", { type: "button", id: "by-year", onclick: () => { view.by = "year"; refresh(); } }, "By year"));
  }
  nav.replaceChildren(...parts);
}

// openCell shows a cell's evidence: the position is read from the actor's
// history on that day (the matrix holds only stances).
async function openCell(row, mo, stance, button) {
  document.querySelectorAll("button.cell.open").forEach((b) => b.classList.remove("open"));
  if (button) button.classList.add("open");
  const full = matrix?.actors.find((a) => a.actor === row.actor)?.cells?.[mo.id];
  if (full) { showEvidence(full, row, mo); return; }
  try {
    const d = day(mo.date);
    const { history: h } = await api(`/v1/actors/${encodeURIComponent(row.actor)}/history`, { topic: view.topic, from: d || "", to: d || "", limit: 100 });
    const p = h.entries.find((e) => e.motion === mo.id && (e.status === "counted" || !e.status)) || h.entries.find((e) => e.motion === mo.id);
    if (!p) throw new Error(`${row.name} on ${mo.id}: ${stanceWords(stance)}, but its record was not found`);
    showEvidence(p, row, mo);
  } catch (e) {
    status(e.message);
  }
}

function showEvidence(p, row, mo) {
  const ev = p.evidence || {};
  const source = ev.url ? el("a", { href: ev.url, target: "_blank", rel: "noopener noreferrer" }, ev.citation || ev.url) : (ev.citation || "—");
  const facts = [
    ["Stance", stanceWords(p.stance)], ["Text", p.motion || "—"], ["Taken", human(p.occurred) || day(p.occurred)],
    ["Source", source], ["Producer", ev.producer], ["Confidence", ev.confidence !== undefined ? ev.confidence.toFixed(2) : "—"],
    ["Recorded", p.recorded ? new Date(p.recorded).toISOString().replace("T", " ").slice(0, 19) + " UTC" : null], ["Sequence", p.seq],
    ["Document", ev.document ? `${ev.document}${ev.offset !== undefined ? ` @ byte ${ev.offset}` : ""}` : null],
    ["Event", el("a", { href: `/v1/events/${p.id}` }, p.id)],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
  $("#evidence-body").replaceChildren(
    el("p", {}, el("strong", {}, row.name), ` on ${mo.id}${mo.title ? ` (${mo.title})` : ""}`),
    ev.quote ? el("blockquote", { id: "evidence-quote" }, ev.quote) : el("p", { class: "hint" }, "No quote: see the source."),
    el("dl", {}, facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
  $("#evidence").hidden = false;
  $("#evidence-close").focus({ preventScroll: true });
}

// ---- the timeline ----

// A chart is drawn at the pixel size of its box, so that its text is as
// large on a phone as on a desktop.
function chartFrame(box, title) {
  const W = Math.max(280, Math.floor(box.clientWidth || 800));
  const narrow = W < 560;
  const H = narrow ? 240 : 280, L = 62, R = 14, T = 20, B = 30;
  const g = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title });
  const y = (lean) => T + ((4 - lean) / 8) * (H - T - B);
  const axis = svg("g", { class: "axis" });
  for (const s of ["veto", "vote_no", "oppose", "abstain", "conditional", "support", "vote_yes", "sponsor"]) {
    axis.append(svg("line", { class: "grid", x1: L, x2: W - R, y1: y(LEAN[s]), y2: y(LEAN[s]) }));
    axis.append(svg("text", { x: L - 6, y: y(LEAN[s]) + 4, "text-anchor": "end" }, LABEL[s]));
  }
  g.append(axis);
  return { g, axis, W, H, L, R, T, B, y };
}

// timeAxis puts ticks and labels under a chart: years over long spans,
// months over short ones; labels never leave the chart nor overlap.
function timeAxis(f, t0, t1, x) {
  const plot = f.W - f.L - f.R;
  const yearMs = 365.25 * 86400e3;
  const ticks = [];
  if ((t1 - t0) / yearMs > 3) {
    const y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear();
    const step = [1, 2, 5, 10, 20, 25, 50].find((s) => (y1 - y0) / s <= plot / 56) || 50;
    for (let yr = Math.ceil(y0 / step) * step; yr <= y1; yr += step) {
      const ms = Date.UTC(yr, 0, 1);
      if (ms >= t0 && ms <= t1) ticks.push([ms, String(yr)]);
    }
  } else {
    const start = new Date(t0), months = [];
    for (let d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)); d.getTime() <= t1; d.setUTCMonth(d.getUTCMonth() + 1)) months.push(d.getTime());
    const every = Math.max(1, Math.ceil(months.length / Math.max(1, Math.floor(plot / 84))));
    months.forEach((ms, i) => { if (i % every === 0) { const d = new Date(ms); ticks.push([ms, `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`]); } });
  }
  let right = -Infinity;
  for (const [ms, label] of ticks) {
    const px = x(ms), w = label.length * 7.2;
    f.axis.append(svg("line", { class: "grid", x1: px, x2: px, y1: f.H - f.B, y2: f.H - f.B + 4 }));
    const cx = Math.min(Math.max(px, w / 2 + 2), f.W - w / 2 - 2);
    if (cx - w / 2 < right + 8) continue;
    right = cx + w / 2;
    f.axis.append(svg("text", { class: "tick", x: cx, y: f.H - 8, "text-anchor": "middle" }, label));
  }
}

// placeLabels finds, for each numbered shift, a place near its ring that
// no other label takes; a shift without room is numbered only in the list.
function placeLabels(f, marks) {
  const boxes = [];
  const hit = (b) => boxes.some((o) => b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1);
  const out = [];
  for (const m of marks) {
    const w = m.text.length * 7.5 + 3, h = 15;
    let placed = null;
    for (const dy of [-12, 18, -26, 32, -40, 46]) {
      for (const dx of [9, -9 - w]) {
        const bx = m.x + dx, by = m.y + dy; // baseline-left of the text
        const b = { x0: bx - 1, x1: bx + w, y0: by - 12, y1: by + 3 };
        if (b.x0 < f.L || b.x1 > f.W - 2 || b.y0 < 0 || b.y1 > f.H - f.B) continue;
        if (!hit(b)) { placed = { x: bx, y: by, b }; break; }
      }
      if (placed) break;
    }
    if (placed) { boxes.push(placed.b); out.push({ ...m, x: placed.x, y: placed.y }); }
  }
  return out;
}

function renderTimeline(h, ym) {
  const box = $("#timeline");
  shown = h;
  const entries = (h?.entries || []).filter((e) => e.status === "counted" || !e.status);
  const tooMany = h && h.page && h.page.total > MANY_ENTRIES && !view.from && !view.to;
  renderSpan(h);
  if (tooMany && ym) {
    renderBalance(ym, h);
    return;
  }
  if (!h || entries.length === 0) {
    $("#timeline-title").textContent = "Timeline";
    box.replaceChildren(el("p", { class: "empty" }, view.actor ? `No positions of ${view.actor} on ${view.topic}${view.asOf ? ` as of ${human(view.asOf)}` : ""}${view.from || view.to ? ` in ${spanText()}` : ""}.` : "Select an actor."));
    return;
  }
  $("#timeline-title").textContent = `Timeline: ${h.actor_name || h.actor} on ${h.topic}${view.from || view.to ? `, ${spanText()}` : ""}`;
  const f = chartFrame(box, `${h.actor} stance over time on ${h.topic}`);
  const t = (e) => Date.parse(day(e.occurred));
  let t0 = Math.min(...entries.map(t)), t1 = Math.max(...entries.map(t));
  const end = view.asOf ? Date.parse(view.asOf) : Date.now();
  t1 = Math.max(t1, Math.min(end, t1 + 1000 * 86400 * 60));
  if (t1 === t0) { t0 -= 86400e3 * 15; t1 += 86400e3 * 15; }
  const x = (ms) => f.L + ((ms - t0) / (t1 - t0)) * (f.W - f.L - f.R);
  timeAxis(f, t0, t1, x);
  const g = f.g;
  let d = "";
  entries.forEach((e, i) => {
    const px = x(t(e)), py = f.y(LEAN[e.stance]);
    d += i === 0 ? `M ${px} ${py}` : ` H ${px} V ${py}`;
  });
  d += ` H ${x(Math.max(t1, t(entries[entries.length - 1])))}`;
  g.append(svg("path", { class: "step", d }));
  const r = entries.length > 150 ? 3 : 5;
  for (const e of entries) {
    const c = svg("circle", { cx: x(t(e)), cy: f.y(LEAN[e.stance]), r, fill: `var(--${e.stance})`, stroke: "#000", "stroke-width": 1, "data-stance": e.stance, tabindex: entries.length > 150 ? null : 0 });
    c.append(svg("title", {}, `${human(e.occurred)}: ${stanceWords(e.stance)}${e.motion ? ` on ${e.motion}` : ""}`));
    const open = () => showEvidence(e, { name: h.actor_name || h.actor }, { id: e.motion || "—" });
    c.addEventListener("click", open);
    c.addEventListener("keydown", (k) => { if (k.key === "Enter" || k.key === " ") { k.preventDefault(); open(); } });
    g.append(c);
  }
  // Each shift is ringed on the chart and numbered where there is room;
  // every one is labelled in full in the list under it.
  const shifts = h.shifts || [];
  const list = el("ol", { class: "shifts" });
  const marks = [];
  shifts.forEach((s, i) => {
    const px = x(Date.parse(s.date)), py = f.y(LEAN[s.to]);
    const label = `${stanceWords(s.from)} → ${stanceWords(s.to)}, ${human(s.date)}`;
    if (shifts.length <= 60) {
      const ring = svg("circle", { cx: px, cy: py, r: 9, fill: "none", stroke: "var(--accent)", "stroke-width": 2, "data-shift": `${s.from}>${s.to}` });
      ring.append(svg("title", {}, label));
      g.append(ring);
      marks.push({ x: px, y: py, text: String(i + 1) });
    }
    list.append(el("li", { "data-shift": `${s.from}>${s.to}`, "data-date": s.date }, el("span", { class: `swatch s-${s.to}` }, LABEL[s.to]), " ", label,
      s.to_position?.motion ? el("small", {}, ` (${s.to_position.motion})`) : null));
  });
  if (shifts.length <= 25) for (const m of placeLabels(f, marks)) g.append(svg("text", { class: "shift-label", x: m.x, y: m.y }, m.text));
  if (shifts.length > 25) list.classList.add("long");
  const more = h.page?.next ? el("p", { class: "hint" }, `Showing ${h.entries.length} of ${h.page.total} positions. `,
    el("button", { type: "button", id: "more", onclick: () => loadMore(h) }, "Load more")) : null;
  box.replaceChildren(...[g, more, shifts.length ? list : el("p", { class: "hint" }, "No shift: the stance has not changed.")].filter(Boolean));
}

// renderBalance draws a long history as its yearly balance: for each
// year, the mean of the actor's stances (most against −4 … most for +4).
function renderBalance(ym, h) {
  const box = $("#timeline");
  const row = ym.actors.find((a) => a.actor === view.actor);
  $("#timeline-title").textContent = `Timeline: ${row?.name || view.actor} on ${ym.topic}, year by year`;
  if (!row) { box.replaceChildren(el("p", { class: "empty" }, `No positions of ${view.actor} on ${ym.topic}.`)); return; }
  const f = chartFrame(box, `${row.actor}'s yearly balance on ${ym.topic}`);
  const pts = ym.years.map((y, i) => ({ year: y.year, ...yearCounts(row, i) })).filter((p) => p.total > 0);
  const t0 = Date.UTC(pts[0].year, 0, 1), t1 = Date.UTC(pts[pts.length - 1].year, 11, 31);
  const x = (ms) => f.L + ((ms - t0) / (t1 - t0)) * (f.W - f.L - f.R);
  timeAxis(f, t0, t1, x);
  const mid = (yr) => Date.UTC(yr, 6, 1);
  f.g.append(svg("path", { class: "step", d: pts.map((p, i) => `${i ? "L" : "M"} ${x(mid(p.year))} ${f.y(p.lean)}`).join(" ") }));
  const most = Math.max(...pts.map((p) => p.total));
  for (const p of pts) {
    const c = svg("circle", { class: "year-point", cx: x(mid(p.year)), cy: f.y(p.lean), r: 2.5 + 3.5 * Math.sqrt(p.total / most), fill: "var(--accent)", "data-year": p.year, tabindex: 0 });
    c.append(svg("title", {}, `${p.year}: ${p.pro} for, ${p.con} against, ${p.mid} abstained or absent — select for each vote`));
    const open = () => { view.from = view.to = String(p.year); refreshTimeline(); };
    c.addEventListener("click", open);
    c.addEventListener("keydown", (k) => { if (k.key === "Enter" || k.key === " ") { k.preventDefault(); open(); } });
    f.g.append(c);
  }
  box.replaceChildren(f.g, el("p", { class: "hint" }, `${h.page.total} positions and ${(h.shifts || []).length} shifts over ${pts.length} years: each point is a year's balance (larger: more votes). Select a year, or choose years above, for single votes and shifts.`));
}

function spanText() {
  if (view.from && view.to) return view.from === view.to ? view.from : `${view.from}–${view.to}`;
  return view.from ? `from ${view.from}` : `to ${view.to}`;
}
function renderSpan() {
  $("#span-from").value = view.from;
  $("#span-to").value = view.to;
}
function spanParams() {
  return { from: view.from ? `${view.from}-01-01` : "", to: view.to ? `${view.to}-12-31` : "" };
}

async function fetchHistory() {
  if (!view.actor) return null;
  return (await api(`/v1/actors/${encodeURIComponent(view.actor)}/history`, { topic: view.topic, min_seq: lastSeq || "", limit: view.from || view.to ? 2000 : MANY_ENTRIES, ...spanParams() })
    .catch((e) => (e.status === 404 ? null : Promise.reject(e))))?.history || null;
}

async function loadMore(h) {
  try {
    const { history: next } = await api(`/v1/actors/${encodeURIComponent(h.actor)}/history`, { topic: h.topic, limit: 2000, after: h.page.next, ...spanParams() });
    next.entries = h.entries.concat(next.entries);
    renderTimeline(next, years);
  } catch (e) { status(e.message); }
}

async function refreshTimeline() {
  writeURL();
  try { renderTimeline(await fetchHistory(), years); } catch (e) { status(e.message); }
}

// ---- who votes with whom ----
//
// A heat map of the agreement between every pair of actors in a year, in
// the API's order (UPGMA clustering), drawn on a canvas: ~190 actors are
// 36,000 cells, too many for the document. Each row carries a marker per
// bloc the actor belonged to that year. A line chart shows several actors'
// agreement with one reference, year by year; a cell or a point opens the
// roll calls behind that pair's figure, those on which they parted first.

const BLOC_COLOR = { eu: "#0072b2", p5: "#1b1b1f", brics: "#d55e00", "arab-group": "#009e73", g77: "#e69f00", nam: "#cc79a7", oic: "#56b4e9" };
const BLOC_SHORT = { eu: "EU", p5: "P5", brics: "BRICS", "arab-group": "Arab Group", g77: "G77", nam: "NAM", oic: "OIC" };
const LINE_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#1b1b1f", "#8073ac", "#b35806", "#7f7f7f"];
// agreement 0 … 1 on ColorBrewer's five-class orange–purple scale, the
// stances' palette: orange apart, white half way, purple together
const AGREE_STOPS = [[0, [179, 88, 6]], [0.25, [241, 163, 64]], [0.5, [247, 247, 247]], [0.75, [153, 142, 195]], [1, [84, 39, 136]]];
const AGREE = Array.from({ length: 101 }, (_, k) => {
  const v = k / 100;
  let i = 0;
  while (i < AGREE_STOPS.length - 2 && v > AGREE_STOPS[i + 1][0]) i++;
  const [a, ca] = AGREE_STOPS[i], [b, cb] = AGREE_STOPS[i + 1];
  const t = (v - a) / (b - a);
  return `rgb(${ca.map((c, j) => Math.round(c + t * (cb[j] - c))).join(",")})`;
});
const NO_SHARED = "#e4e4ea";
const align = { names: new Map(), blocs: null, matrix: null, geo: null, cursor: null, latest: "" };

function agreeColor(v) { return v === null || v === undefined ? NO_SHARED : AGREE[Math.max(0, Math.min(100, Math.round(v * 100)))]; }
function actorName(a) {
  if (align.names.has(a)) return align.names.get(a);
  const b = (align.blocs || []).find((x) => x.id === a);
  return b ? b.name : a;
}
function fmt(v) { return v === null || v === undefined ? "—" : String(Math.round(v * 1000) / 1000); }

async function loadAlignMeta() {
  if (align.blocs) return;
  const [ac, bl] = await Promise.all([api("/v1/actors"), api("/v1/alignment/blocs", {}, { lens: false })]);
  for (const a of ac.actors || []) align.names.set(a.actor, a.name);
  align.latest = (ac.actors || []).reduce((y, a) => (day(a.last_occurred) > y ? day(a.last_occurred) : y), "").slice(0, 4);
  align.blocs = bl.blocs || [];
  $("#align-refs").replaceChildren(...align.blocs.map((b) => el("option", { value: b.id }, b.name)),
    ...[...align.names].map(([code, name]) => el("option", { value: code }, name)));
  $("#align-topic").replaceChildren(el("option", { value: "" }, "all roll calls"), ...topicList.map((t) => el("option", { value: t }, t)));
}

// blocsOn lists, for each actor, the blocs it belonged to on some day of
// the year.
function blocsOn(year) {
  const first = `${year}-01-01`, last = `${year}-12-31`;
  const of = new Map();
  for (const b of align.blocs || []) {
    for (const m of b.members || []) {
      if ((m.from && m.from > last) || (m.to && m.to < first)) continue;
      if (!of.has(m.actor)) of.set(m.actor, new Set());
      of.get(m.actor).add(b.id);
    }
  }
  return of;
}
function blocColor(id, k) { return BLOC_COLOR[id] || LINE_COLORS[k % LINE_COLORS.length]; }

function alignLegend() {
  const blocs = align.blocs || [];
  $("#align-legend").replaceChildren(
    el("span", { class: "agree-scale" }, el("span", {}, "0 apart"), el("span", { class: "agree-bar", "aria-hidden": "true" }), el("span", {}, "1 together")),
    el("span", {}, el("span", { class: "swatch no-shared", "aria-hidden": "true" }), " no shared vote"),
    el("ol", { class: "bloc-keys", "aria-label": "Bloc markers left of each row, in this order" },
      blocs.map((b, k) => {
        const sw = el("span", { class: "bloc-sw", "aria-hidden": "true" });
        sw.style.background = blocColor(b.id, k);
        return el("li", { "data-bloc": b.id, title: b.name }, sw, BLOC_SHORT[b.id] || b.id);
      })));
}

function syncAlignForm() {
  $("#align-year").value = view.align;
  $("#align-topic").value = view.atopic;
  $("#align-measure").value = view.measure || "agreement";
  $("#series-ref").value = view.ref;
  $("#series-with").value = view.with;
}

async function openAlign(scroll) {
  $("#align-body").hidden = false;
  try {
    await loadAlignMeta();
  } catch (e) { status(e.message); return; }
  if (!view.align) view.align = align.latest || String(new Date().getUTCFullYear());
  syncAlignForm();
  writeURL();
  alignLegend();
  const pair = view.pair.split(",");
  await Promise.all([renderAlignMatrix(), drawSeries(), pair.length === 3 ? openPair(...pair) : null]);
  if (scroll) $("#align-section").scrollIntoView({ block: "start" });
  $("#align-section").dataset.ready = "true";
}

async function renderAlignMatrix() {
  const t0 = performance.now();
  const canvas = $("#heat");
  try {
    const { matrix: m } = await api("/v1/alignment/matrix", { period: view.align, topic: view.atopic, measure: view.measure, min_seq: lastSeq || "" });
    // a re-read after a new event keeps the selected cell when the actors are the same
    if (!align.matrix || align.matrix.actors.join() !== m.actors.join()) align.cursor = null;
    align.matrix = m;
    drawHeat();
    canvas.dataset.renderMs = String(Math.round(performance.now() - t0));
    $("#align-caption").textContent = m.actors.length
      ? `${m.actors.length} actors over ${m.roll_calls} roll calls in ${m.period}${m.topic !== "all" ? ` on ${m.topic}` : ""}, ${m.measure}: each cell is a pair's ${m.measure} (1: always together), rows and columns ordered by clustering so that blocs show as squares. Hover or focus a cell for its value, select it for the roll calls behind it.`
      : `No roll calls in ${m.period}${m.topic !== "all" ? ` on ${m.topic}` : ""}.`;
  } catch (e) {
    align.matrix = null;
    drawHeat();
    $("#align-caption").textContent = e.message;
  }
}

// drawHeat draws the matrix at its CSS pixel size (so that its 11 px
// labels stay 11 px on a phone) and as sharp as the screen allows, within
// a canvas the browser can hold. The cells, the column labels, the row
// labels (with the bloc markers) and the corner are four canvases in a
// grid: the labels stick to the top and the left while the cells scroll.
function sizeCanvas(c, w, h, scale) {
  c.width = Math.max(1, Math.round(w * scale));
  c.height = Math.max(1, Math.round(h * scale));
  c.style.width = `${w}px`;
  c.style.height = `${h}px`;
  const g = c.getContext("2d");
  g.setTransform(scale, 0, 0, scale, 0, 0);
  g.fillStyle = "#fff";
  g.fillRect(0, 0, w, h);
  g.font = "11px system-ui, -apple-system, sans-serif";
  g.textBaseline = "middle";
  return g;
}

function drawHeat() {
  const canvas = $("#heat"), box = $("#heat-box"), grid = $("#heat-grid"), m = align.matrix;
  $("#heat-tip").hidden = true;
  const n = m ? m.actors.length : 0;
  canvas.dataset.rows = String(n);
  canvas.dataset.year = m ? m.period : "";
  if (!n) { grid.hidden = true; align.geo = null; return; }
  grid.hidden = false;
  const blocs = align.blocs || [];
  const members = blocsOn(m.period);
  const cs = n <= 40 ? Math.max(16, Math.min(30, Math.floor(((box.clientWidth || 800) - 130) / n))) : 13;
  const mark = 6, labelW = 34, L = labelW + blocs.length * mark + 6, T = 36, S = n * cs + 2;
  const scale = Math.min(window.devicePixelRatio || 1, 8192 / S);
  grid.style.gridTemplateColumns = `${L}px ${S}px`;
  grid.style.gridTemplateRows = `${T}px ${S}px`;
  Object.assign(canvas.dataset, { cell: cs, x0: 0, y0: 0 });
  sizeCanvas($("#heat-corner"), L, T, scale);
  // the cells
  const g = sizeCanvas(canvas, S, S, scale);
  const gap = cs >= 14 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const row = m.values[i];
    for (let j = 0; j < n; j++) {
      g.fillStyle = agreeColor(row[j]);
      g.fillRect(j * cs, i * cs, cs - gap, cs - gap);
    }
  }
  if (align.cursor) {
    const [i, j] = align.cursor;
    g.strokeStyle = "#3b3bb3";
    g.lineWidth = 2;
    g.strokeRect(j * cs + 1, i * cs + 1, cs - 2, cs - 2);
  }
  // the columns' labels
  const gc = sizeCanvas($("#heat-cols"), S, T, scale);
  gc.fillStyle = "#1b1b1f";
  gc.textAlign = "left";
  m.actors.forEach((a, j) => {
    gc.save();
    gc.translate(j * cs + cs / 2, T - 4);
    gc.rotate(-Math.PI / 2);
    gc.fillText(a, 0, 0);
    gc.restore();
  });
  // the rows' labels and bloc markers
  const gr = sizeCanvas($("#heat-rows"), L, S, scale);
  gr.fillStyle = "#1b1b1f";
  gr.textAlign = "right";
  m.actors.forEach((a, i) => gr.fillText(a, labelW - 3, i * cs + cs / 2));
  const mh = Math.min(cs - 2, 10);
  m.actors.forEach((a, i) => {
    const set = members.get(a);
    if (!set) return;
    blocs.forEach((b, k) => {
      if (!set.has(b.id)) return;
      gr.fillStyle = blocColor(b.id, k);
      gr.fillRect(labelW + k * mark, i * cs + (cs - mh) / 2, mark - 1, mh);
    });
  });
  align.geo = { L: 0, T: 0, cs, n, members };
  canvas.setAttribute("aria-label", `Agreement matrix of ${n} actors in ${m.period}; use the arrow keys to move between cells and Enter for the roll calls behind one`);
}

function heatCell(x, y) {
  const geo = align.geo;
  if (!geo) return null;
  const j = Math.floor((x - geo.L) / geo.cs), i = Math.floor((y - geo.T) / geo.cs);
  return i >= 0 && j >= 0 && i < geo.n && j < geo.n ? [i, j] : null;
}

// showTip says a cell's value, n and blocs, next to the cell.
function showTip(cell) {
  const tip = $("#heat-tip"), m = align.matrix, geo = align.geo;
  if (!cell || !m) { tip.hidden = true; return; }
  const [i, j] = cell;
  const a = m.actors[i], b = m.actors[j], v = m.values[i][j], n = m.n[i][j];
  const blocs = (x) => [...(geo.members.get(x) || [])].map((id) => BLOC_SHORT[id] || id).join(", ");
  tip.replaceChildren(
    el("strong", {}, `${actorName(a)} (${a}) × ${actorName(b)} (${b})`),
    el("br"), `${m.period}: ${m.measure} ${fmt(v)}, n ${n} roll call${n === 1 ? "" : "s"}`,
    ...[[a, blocs(a)], [b, blocs(b)]].filter(([, s]) => s).map(([x, s]) => [el("br"), el("small", {}, `${x}: ${s}`)]).flat());
  Object.assign(tip.dataset, { row: a, col: b, value: v === null ? "" : String(v), n: String(n) });
  tip.hidden = false;
  const canvas = $("#heat");
  const cx = canvas.offsetLeft + (j + 1) * geo.cs + 6, cy = canvas.offsetTop + (i + 1) * geo.cs + 4;
  const box = $("#heat-box");
  const maxX = box.scrollLeft + box.clientWidth - tip.offsetWidth - 4;
  tip.style.left = `${Math.max(box.scrollLeft + 2, Math.min(cx, maxX))}px`;
  tip.style.top = `${cy}px`;
}

function bindHeat() {
  const canvas = $("#heat");
  canvas.addEventListener("mousemove", (e) => showTip(heatCell(e.offsetX, e.offsetY)));
  canvas.addEventListener("mouseleave", () => { if (!align.cursor) $("#heat-tip").hidden = true; });
  canvas.addEventListener("click", (e) => {
    const c = heatCell(e.offsetX, e.offsetY);
    if (!c || !align.matrix) return;
    align.cursor = c;
    drawHeat();
    showTip(c);
    openPair(align.matrix.actors[c[0]], align.matrix.actors[c[1]], align.matrix.period);
  });
  canvas.tabIndex = 0;
  canvas.addEventListener("keydown", (e) => {
    const geo = align.geo;
    if (!geo) return;
    const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (step) {
      e.preventDefault();
      const [i, j] = align.cursor || [0, 0];
      align.cursor = align.cursor ? [Math.max(0, Math.min(geo.n - 1, i + step[0])), Math.max(0, Math.min(geo.n - 1, j + step[1]))] : [0, 0];
      drawHeat();
      showTip(align.cursor);
    } else if ((e.key === "Enter" || e.key === " ") && align.cursor) {
      e.preventDefault();
      openPair(align.matrix.actors[align.cursor[0]], align.matrix.actors[align.cursor[1]], align.matrix.period);
    }
  });
}

function motionPath(id) { return `/v1/motions/${id.split("/").map(encodeURIComponent).join("/")}`; }

// openPair lists every roll call of a year behind the figure of two
// actors (or an actor and a bloc): those on which they parted first, then
// those on which they voted alike, each part most contested first. Each
// says both votes, its score, the tally, the motion's title (linked to its
// record), its source, and opens each side's evidence. A hundred at a time:
// "More" reads the next hundred.
const PAIR_PAGE = 100;
async function openPair(a, b, year) {
  view.pair = `${a},${b},${year}`;
  writeURL();
  const box = $("#divergent");
  box.replaceChildren(el("p", { class: "hint" }, `Reading the roll calls of ${a} and ${b} in ${year}…`));
  const page = (offset) => api("/v1/alignment/rollcalls", { actor: a, with: b, from: year, to: year, topic: view.atopic, measure: view.measure, limit: PAIR_PAGE, offset })
    .then((r) => r.rollcalls);
  let d;
  try {
    d = await page(0);
  } catch (e) {
    box.replaceChildren(el("p", { class: "empty" }, e.message));
    return;
  }
  const n = d.figure.n, apart = d.apart;
  const list = el("ol", { id: "divergent-list", "data-count": n, "data-apart": apart, "data-pair": `${a},${b},${year}` });
  const evidenceButton = (who, p, rc) => p
    ? el("button", { type: "button", class: "ev", "data-side": who, title: `${who}'s ${stanceWords(p.stance)}: its evidence`,
      onclick: () => showEvidence({ ...p, motion: rc.motion, occurred: rc.date }, { name: actorName(who) }, { id: rc.motion, title: rc.title }) }, `${who} evidence`)
    : null;
  const item = (rc) => {
    const src = rc.actor_position?.evidence?.url || rc.with_position?.evidence?.url;
    return el("li", { class: rc.agreed ? "agreed" : "parted", "data-motion": rc.motion, "data-date": rc.date, "data-agreed": String(rc.agreed) },
      el("span", { class: "tag" }, rc.agreed ? "together" : "apart"), " ",
      el("time", { datetime: rc.date }, human(rc.date)), " ",
      el("a", { href: motionPath(rc.motion), class: "motion" }, rc.motion), " ",
      el("span", { class: "title" }, rc.title || ""), el("br"),
      el("span", { class: `vote v-${rc.actor_vote}` }, `${a}: ${rc.actor_vote}`), " · ",
      el("span", { class: `vote v-${rc.with_vote}` }, `${b}: ${rc.with_vote}`), " · ",
      el("small", {}, `score ${rc.score} · ${rc.body ? `${rc.body} ` : ""}${rc.yes}–${rc.no}–${rc.abstain}`), " ",
      el("span", { class: "sources" },
        src ? el("a", { href: src, target: "_blank", rel: "noopener noreferrer", title: rc.actor_position?.evidence?.citation || src }, "source") : null, " ",
        evidenceButton(a, rc.actor_position, rc), " ", evidenceButton(b, rc.with_position, rc)));
  };
  list.append(...d.roll_calls.map(item));
  const more = el("button", { type: "button", id: "rollcalls-more" });
  const showMore = (next) => {
    more.hidden = !next;
    more.textContent = next ? `More (${list.children.length} of ${n} shown)` : "";
    more.onclick = async () => {
      more.disabled = true;
      try {
        const p = await page(next);
        list.append(...p.roll_calls.map(item));
        showMore(p.page.next);
      } catch (e) { status(e.message); } finally { more.disabled = false; }
    };
  };
  showMore(d.page.next);
  const close = el("button", { type: "button", class: "close", "aria-label": "Close the roll calls", onclick: () => { view.pair = ""; writeURL(); box.replaceChildren(); } }, "×");
  const where = `${year}${view.atopic ? ` on ${view.atopic}` : ""}`;
  box.replaceChildren(
    el("h3", {}, `${actorName(a)} and ${actorName(b)}, ${year}: ${d.measure} ${fmt(d.figure.value)} over ${n} roll call${n === 1 ? "" : "s"}, ${apart} apart, ${n - apart} together`), close,
    n ? el("p", { class: "hint" }, "Apart first, then together; each most contested first (the closest tallies). Score: 1 the same vote, 0.5 one abstained, 0 yes against no; yes–no–abstain of the whole body.")
      : el("p", { class: "hint" }, `${a} and ${b} shared no roll call in ${where}.`),
    list, more);
}

// drawSeries draws each actor's agreement with the reference, one line
// per actor, year by year.
async function drawSeries() {
  const box = $("#series");
  const ref = view.ref.trim();
  const actors = view.with.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  if (!ref || !actors.length) { box.replaceChildren(el("p", { class: "hint" }, "Choose an actor or a bloc (US, eu, g77) and the actors to compare with it.")); return; }
  if (!box.querySelector("svg")) box.replaceChildren(el("p", { class: "hint" }, "Reading…"));
  const series = await Promise.all(actors.map((a) => api("/v1/alignment", { actor: a, with: ref, topic: view.atopic, measure: view.measure })
    .then((r) => r.alignment[0]).catch((e) => ({ actor: a, error: e.message, points: [] }))));
  $("#series-title").textContent = `Agreement with ${actorName(ref.length <= 3 ? ref.toUpperCase() : ref)} over time`;
  const pts = series.flatMap((s) => s.points || []);
  const legend = el("ul", { id: "series-legend", class: "series-legend" });
  series.forEach((s, k) => {
    const sw = el("span", { class: "line-sw", "aria-hidden": "true" });
    sw.style.background = LINE_COLORS[k % LINE_COLORS.length];
    legend.append(el("li", { "data-actor": s.actor }, sw, s.error ? `${s.actor}: ${s.error}` : `${actorName(s.actor)} (${s.actor}) — ${fmt(s.overall?.value)} overall, n ${s.overall?.n ?? 0}`));
  });
  if (!pts.length) { box.replaceChildren(legend, el("p", { class: "empty" }, "No shared roll calls.")); return; }
  const yrs = pts.map((p) => Number(p.period.slice(0, 4)));
  const y0 = Math.min(...yrs), y1 = Math.max(...yrs);
  const W = Math.max(280, Math.floor(box.clientWidth || 800)), H = W < 560 ? 220 : 260, L = 44, R = 14, T = 14, B = 30;
  const plot = W - L - R;
  const x = (yr) => L + ((yr - y0 + 0.5) / (y1 - y0 + 1)) * plot;
  const y = (v) => T + (1 - v) * (H - T - B);
  const g = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `Agreement with ${ref} over time` });
  const axis = svg("g", { class: "axis" });
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    axis.append(svg("line", { class: "grid", x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    axis.append(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)));
  }
  const step = [1, 2, 5, 10, 20, 25, 50].find((s) => (y1 - y0 + 1) / s <= plot / 48) || 50;
  for (let yr = Math.ceil(y0 / step) * step; yr <= y1; yr += step) {
    axis.append(svg("line", { class: "grid", x1: x(yr), x2: x(yr), y1: H - B, y2: H - B + 4 }));
    axis.append(svg("text", { class: "tick", x: x(yr), y: H - 8, "text-anchor": "middle" }, String(yr)));
  }
  g.append(axis);
  series.forEach((s, k) => {
    const color = LINE_COLORS[k % LINE_COLORS.length];
    const ps = (s.points || []).map((p) => ({ ...p, yr: Number(p.period.slice(0, 4)) })).sort((p, q) => p.yr - q.yr);
    if (!ps.length) return;
    let d = "";
    ps.forEach((p, i) => { d += `${i && p.yr - ps[i - 1].yr === 1 ? " L" : " M"} ${x(p.yr)} ${y(p.value)}`; });
    g.append(svg("path", { class: "aline", d: d.trim(), stroke: color, "data-actor": s.actor }));
    for (const p of ps) {
      const c = svg("circle", { class: "apoint", cx: x(p.yr), cy: y(p.value), r: ps.length > 40 ? 2.5 : 4, fill: color, "data-actor": s.actor, "data-year": p.yr, "data-value": p.value, "data-n": p.n, tabindex: ps.length > 40 ? null : 0 });
      c.append(svg("title", {}, `${s.actor} with ${ref}, ${p.period}: ${fmt(p.value)} (n ${p.n}) — select for the roll calls behind it`));
      const open = () => openPair(s.actor, ref, String(p.yr));
      c.addEventListener("click", open);
      c.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } });
      g.append(c);
    }
  });
  box.replaceChildren(g, legend);
}

// A new event re-reads the open view, once a second at most.
let alignTimer = null;
function scheduleAlign() {
  if ($("#align-body").hidden || alignTimer) return;
  alignTimer = setTimeout(() => {
    alignTimer = null;
    renderAlignMatrix();
    if (view.ref && view.with) drawSeries();
  }, 1000);
}

function bindAlign() {
  bindHeat();
  $("#align-open").addEventListener("click", () => { openAlign(true); });
  $("#align-form").addEventListener("submit", (e) => {
    e.preventDefault();
    view.align = $("#align-year").value.trim();
    view.atopic = $("#align-topic").value;
    view.measure = $("#align-measure").value === "agreement" ? "" : $("#align-measure").value;
    openAlign(false);
  });
  $("#series-form").addEventListener("submit", (e) => {
    e.preventDefault();
    view.ref = $("#series-ref").value.trim();
    view.with = $("#series-with").value.trim();
    writeURL();
    $("#align-body").hidden = false;
    loadAlignMeta().then(drawSeries).catch((err) => status(err.message));
  });
}

// ---- putting it together ----

function fillActors(rows) {
  const opts = [el("option", { value: "" }, "—")].concat(rows.map((a) => el("option", { value: a.actor, selected: a.actor === view.actor }, `${a.name} (${a.actor})`)));
  $("#actor").replaceChildren(...opts);
}

async function refresh() {
  if (refreshing) { await refreshing; }
  refreshing = doRefresh();
  try { await refreshing; } finally { refreshing = null; }
}

async function doRefresh() {
  writeURL();
  $("#asof").value = view.asOf;
  $("#rows").value = view.rows;
  if (!view.topic) { status("Nothing recorded yet."); return; }
  const t = encodeURIComponent(view.topic);
  const wait = { min_seq: lastSeq || "" };
  try {
    const [ya, hi] = await Promise.all([api(`/v1/topics/${t}/years`, wait), fetchHistory()]);
    years = ya.years;
    const totalTexts = years.years.reduce((n, y) => n + y.motions, 0);
    const byYear = !view.year && (view.by === "year" || totalTexts > MANY_TEXTS);
    const firstTime = $("#matrix").dataset.topic !== `${view.topic}|${view.by}|${view.year}`;
    $("#matrix").dataset.topic = `${view.topic}|${view.by}|${view.year}`;
    let seq = ya.seq, rows = years.actors, texts = totalTexts;
    if (byYear) {
      matrix = null;
      renderYears(years, firstTime);
    } else {
      const ma = await api(`/v1/topics/${t}/matrix`, { ...wait, year: view.year, cells: "stance" });
      matrix = ma.matrix;
      seq = ma.seq; rows = matrix.actors; texts = matrix.motions.length;
      renderTexts(matrix, firstTime);
    }
    renderMatrixNav(totalTexts);
    fillActors(rows);
    let h = hi;
    if (!view.actor && rows.length > 0) {
      // no actor chosen: the US when present
      view.actor = (rows.find((a) => a.actor === "US") || rows[0]).actor;
      fillActors(rows);
      writeURL();
      h = await fetchHistory().catch(() => null);
    }
    renderTimeline(h, years);
    document.body.dataset.seq = seq;
    document.body.dataset.mode = mode;
    status(`At stream sequence ${seq}${view.asOf ? `, as of ${human(view.asOf)}` : ""}: ${rows.length} actors, ${texts} texts${mode === "years" ? ` over ${years.years.length} years` : view.year ? ` in ${view.year}` : ""}.`);
  } catch (e) {
    if (e.status === 404) {
      $("#matrix").replaceChildren();
      caption(`Nothing recorded on ${view.topic}${view.asOf ? ` as of ${human(view.asOf)}` : ""}${view.year ? ` in ${view.year}` : ""}.`);
      renderTimeline(null);
    }
    status(e.message);
  }
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 150);
}

function selectActor(a) {
  view.actor = a;
  $("#actor").value = a;
  document.querySelectorAll("#matrix tbody tr.selected").forEach((tr) => tr.classList.remove("selected"));
  document.querySelectorAll(`#matrix tbody tr[data-actor="${CSS.escape(a)}"]`).forEach((tr) => tr.classList.add("selected"));
  refreshTimeline();
}

// ---- the live feed ----

function feedItem(kind, text, seq) {
  const li = el("li", { class: "fresh", "data-kind": kind, "data-seq": seq }, el("time", {}, new Date().toLocaleTimeString()), el("span", { class: "kind" }, kind), " ", text);
  const feed = $("#feed");
  feed.prepend(li);
  while (feed.children.length > 100) feed.lastChild.remove();
}

// stream reads Server-Sent Events with fetch, which (unlike EventSource)
// can send the token of private reads; it reconnects from the last id.
// A page left (or put in the back-forward cache) closes its streams: a
// browser has only a few connections to a server.
let streams = new AbortController();
window.addEventListener("pagehide", () => streams.abort());
window.addEventListener("pageshow", (e) => { if (e.persisted) { streams = new AbortController(); live(); } });

async function stream(path, on, dot) {
  let last = "", backoff = 1000;
  const signal = streams.signal;
  while (!signal.aborted) {
    try {
      const headers = { Accept: "text/event-stream", ...authHeaders() };
      if (last) headers["Last-Event-ID"] = last;
      const r = await fetch(path, { headers, cache: "no-store", signal });
      if (r.status === 401) {
        const body = await r.json().catch(() => ({}));
        if (token() && token() === headers.Authorization?.slice(7)) sessionStorage.removeItem(TOKEN_KEY);
        await askToken(`${problemText(body, r)}: enter an access token with the read scope.`);
        continue;
      }
      if (!r.ok || !r.body) throw new Error(`${r.status}`);
      if (dot) { dot.className = "dot on"; dot.title = "live"; }
      backoff = 1000;
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value.replace(/\r\n?/g, "\n");
        let i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let type = "message", data = [], id = null;
          for (const line of block.split("\n")) {
            if (!line || line.startsWith(":")) continue;
            const c = line.indexOf(":");
            const k = c < 0 ? line : line.slice(0, c), v = c < 0 ? "" : line.slice(c + 1).replace(/^ /, "");
            if (k === "event") type = v; else if (k === "data") data.push(v); else if (k === "id") id = v;
          }
          if (id !== null) last = id;
          if (data.length && on[type]) on[type]({ data: data.join("\n"), lastEventId: last });
        }
      }
    } catch { /* reconnect below */ }
    if (signal.aborted) return;
    if (dot) { dot.className = "dot off"; dot.title = "reconnecting"; }
    await new Promise((res) => setTimeout(res, backoff));
    backoff = Math.min(backoff * 2, 15000);
  }
}

function live() {
  const onEvent = (kind) => (msg) => {
    const seq = Number(msg.lastEventId) || 0;
    lastSeq = Math.max(lastSeq, seq);
    let ce = {};
    try { ce = JSON.parse(msg.data); } catch { return; }
    const d = ce.data || {};
    let text = "";
    if (kind === "position") text = `${d.actor} ${stanceWords(d.stance)} on ${d.topic}${d.motion ? ` (${d.motion})` : ""} · ${d.evidence?.producer || ""}`;
    else if (kind === "motion") text = `${d.id} ${d.outcome || ""} ${human(d.date)}`;
    else if (kind === "retraction") text = `withdrew ${d.target}: ${d.reason}`;
    else text = ce.subject || "";
    feedItem(kind, text, seq);
    if (!d.topic || d.topic === view.topic) scheduleRefresh();
    scheduleAlign();
  };
  const on = {};
  for (const k of ["position", "motion", "retraction"]) on[k] = onEvent(k);
  stream("/v1/stream?kind=events", on, $("#live"));
  stream("/v1/stream?kind=shifts", {
    shift: (msg) => {
      let d = {};
      try { d = JSON.parse(msg.data).data || {}; } catch { return; }
      const verb = d.status === "withdrawn" ? "shift withdrawn" : "shift";
      feedItem(verb, `${d.actor} ${stanceWords(d.from)} → ${stanceWords(d.to)}, ${human(d.date)} (${d.topic})`, msg.lastEventId);
    },
  });
}

function bind() {
  $("#topic").addEventListener("change", (e) => { view.topic = e.target.value; view.year = ""; view.by = ""; view.from = view.to = ""; refresh(); });
  $("#actor").addEventListener("change", (e) => selectActor(e.target.value));
  $("#asof").addEventListener("change", (e) => { view.asOf = e.target.value; refresh(); });
  $("#now").addEventListener("click", () => { view.asOf = ""; refresh(); });
  $("#rows").addEventListener("input", (e) => {
    view.rows = e.target.value;
    writeURL();
    if (mode === "years" && years) renderYears(years, false); else if (matrix) renderTexts(matrix, false);
  });
  $("#rows").addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    const rows = (mode === "years" ? years?.actors : matrix?.actors) || [];
    const hit = rows.find(rowFilter());
    if (hit) selectActor(hit.actor);
  });
  $("#span").addEventListener("submit", (e) => {
    e.preventDefault();
    view.from = $("#span-from").value.trim();
    view.to = $("#span-to").value.trim();
    refreshTimeline();
  });
  $("#span-all").addEventListener("click", () => { view.from = view.to = ""; refreshTimeline(); });
  $("#matrix-box").addEventListener("scroll", onMatrixScroll, { passive: true });
  $("#evidence-close").addEventListener("click", () => { $("#evidence").hidden = true; });
  $("#controls").addEventListener("submit", (e) => e.preventDefault());
  $("#auth-form").addEventListener("submit", tokenEntered);
  let width = window.innerWidth;
  window.addEventListener("resize", () => {
    if (Math.abs(window.innerWidth - width) < 8) return;
    width = window.innerWidth;
    clearTimeout(bind.resize);
    bind.resize = setTimeout(() => {
      if (shown) renderTimeline(shown, years);
      paintRows();
      if (!$("#align-body").hidden) { drawHeat(); if (view.ref && view.with) drawSeries(); }
    }, 100);
  });
  window.addEventListener("popstate", () => { readURL(); refresh(); if (view.align) openAlign(false); });
  bindAlign();
}

async function main() {
  readURL();
  legend();
  bind();
  try {
    await loadTopics();
  } catch (e) {
    status(e.message);
  }
  live();
  const aligned = view.align ? openAlign(false) : null;
  await refresh();
  if (aligned) { await aligned; $("#align-section").scrollIntoView({ block: "start" }); }
  document.body.dataset.firstRender = String(Math.round(performance.now()));
  document.body.dataset.ready = "true";
}

main();

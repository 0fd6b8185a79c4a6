// stancewatch's page: a vote matrix, an actor's timeline and a live feed,
// all read from the HTTP API. The URL holds the view (?topic=&actor=&
// as_of=&rows=), so every view can be linked to.

const STANCES = ["veto", "vote_no", "oppose", "abstain", "absent", "conditional", "support", "vote_yes", "sponsor"];
const LEAN = { veto: -4, vote_no: -3, oppose: -2, abstain: 0, absent: 0, conditional: 1, support: 2, vote_yes: 3, sponsor: 4 };
const LABEL = { veto: "veto", vote_no: "no", oppose: "oppose", abstain: "abstain", absent: "absent", conditional: "cond.", support: "support", vote_yes: "yes", sponsor: "sponsor" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const $ = (sel) => document.querySelector(sel);
const view = { topic: "", actor: "", asOf: "", rows: "" };
let lastSeq = 0;     // the highest event-stream sequence seen: reads wait for it
let matrix = null;   // the last matrix answer
let refreshTimer = null;

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
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function day(s) { return (s || "").slice(0, 10); }
function human(d) {
  const [y, m, dd] = day(d).split("-").map(Number);
  return y ? `${dd} ${MONTHS[m - 1]} ${y}` : "";
}
function status(text) { $("#status").textContent = text; }

async function api(path, params = {}) {
  const u = new URL(path, location.origin);
  if (view.asOf) u.searchParams.set("as_of", view.asOf);
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== undefined) u.searchParams.set(k, v);
  const r = await fetch(u, { headers: { Accept: "application/json" } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(body.error || `${r.status} ${r.statusText}`), { status: r.status });
  return body;
}

// The URL holds the view.
function readURL() {
  const q = new URLSearchParams(location.search);
  view.topic = q.get("topic") || "";
  view.actor = (q.get("actor") || "").toUpperCase();
  view.asOf = q.get("as_of") || "";
  view.rows = q.get("rows") || "";
}
function writeURL() {
  const q = new URLSearchParams();
  for (const [k, v] of [["topic", view.topic], ["actor", view.actor], ["as_of", view.asOf], ["rows", view.rows]]) if (v) q.set(k, v);
  history.replaceState(null, "", q.toString() ? `?${q}` : location.pathname);
}

function legend() {
  $("#legend").replaceChildren(...STANCES.map((s) => el("li", {}, el("span", { class: `swatch s-${s}` }, LABEL[s]))));
}

async function loadTopics() {
  const { topics } = await api("/v1/topics");
  if (!view.topic) view.topic = topics.includes("gaza-ceasefire") ? "gaza-ceasefire" : (topics[0] || "");
  if (view.topic && !topics.includes(view.topic)) topics.push(view.topic);
  $("#topic").replaceChildren(...topics.map((t) => el("option", { value: t, selected: t === view.topic }, t)));
}

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

function rowFilter() {
  const want = view.rows.split(/[\s,]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
  return (row) => want.length === 0 || want.includes(row.actor) || want.some((w) => row.name.toUpperCase().includes(w));
}

function renderMatrix(m) {
  const table = $("#matrix");
  const head = el("tr", {}, el("th", { scope: "col" }, "Actor"),
    m.motions.map((mo) => el("th", { scope: "col", "data-motion": mo.id, title: mo.title || mo.id },
      el("span", { class: "date" }, human(mo.date)),
      shortName(mo),
      el("span", { class: `outcome ${mo.outcome || ""}` }, [mo.outcome, tallyText(mo)].filter(Boolean).join(" ")))));
  const keep = rowFilter();
  const rows = m.actors.filter(keep).map((row) => {
    const tr = el("tr", { "data-actor": row.actor, class: row.actor === view.actor ? "selected" : "" },
      el("th", { scope: "row" }, el("button", { type: "button", title: `${row.name}: timeline`, onclick: () => selectActor(row.actor) }, `${row.name} `, el("small", {}, row.actor))));
    for (const mo of m.motions) {
      const p = row.cells[mo.id];
      if (!p) { tr.append(el("td", { class: "empty", "data-actor": row.actor, "data-motion": mo.id })); continue; }
      tr.append(el("td", { "data-actor": row.actor, "data-motion": mo.id, "data-stance": p.stance },
        el("button", { type: "button", class: `cell s-${p.stance}`, "aria-label": `${row.name}, ${mo.id}: ${p.stance.replace("_", " ")}`,
          onclick: (e) => showEvidence(p, row, mo, e.currentTarget) }, LABEL[p.stance] || p.stance)));
    }
    return tr;
  });
  table.replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
  if (rows.length === 0) table.append(el("caption", {}, view.rows ? "No actor matches the rows filter." : "No positions on this topic yet."));
}

function showEvidence(p, row, mo, button) {
  document.querySelectorAll("button.cell.open").forEach((b) => b.classList.remove("open"));
  if (button) button.classList.add("open");
  const ev = p.evidence || {};
  const source = ev.url ? el("a", { href: ev.url, target: "_blank", rel: "noopener noreferrer" }, ev.citation || ev.url) : (ev.citation || "—");
  const facts = [
    ["Stance", p.stance.replace("_", " ")], ["Text", p.motion || "—"], ["Taken", human(p.occurred) || day(p.occurred)],
    ["Source", source], ["Producer", ev.producer], ["Confidence", ev.confidence !== undefined ? ev.confidence.toFixed(2) : "—"],
    ["Recorded", new Date(p.recorded).toISOString().replace("T", " ").slice(0, 19) + " UTC"], ["Sequence", p.seq],
    ["Document", ev.document ? `${ev.document}${ev.offset !== undefined ? ` @ byte ${ev.offset}` : ""}` : null],
    ["Event", el("a", { href: `/v1/events/${p.id}` }, p.id)],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
  $("#evidence-body").replaceChildren(
    el("p", {}, el("strong", {}, row.name), ` on ${mo.id}${mo.title ? ` (${mo.title})` : ""}`),
    ev.quote ? el("blockquote", { id: "evidence-quote" }, ev.quote) : el("p", { class: "hint" }, "No quote: see the source."),
    el("dl", {}, facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
  $("#evidence").hidden = false;
}

function renderTimeline(h) {
  const box = $("#timeline");
  const entries = (h?.entries || []).filter((e) => e.status === "counted" || !e.status);
  if (!h || entries.length === 0) {
    box.replaceChildren(el("p", { class: "empty" }, view.actor ? `No positions of ${view.actor} on ${view.topic}${view.asOf ? ` as of ${human(view.asOf)}` : ""}.` : "Select an actor."));
    return;
  }
  $("#timeline-title").textContent = `Timeline: ${h.actor_name || h.actor} on ${h.topic}`;
  const W = 800, H = 280, L = 104, R = 16, T = 18, B = 34;
  const t = (e) => Date.parse(day(e.occurred));
  let t0 = Math.min(...entries.map(t)), t1 = Math.max(...entries.map(t));
  const end = view.asOf ? Date.parse(view.asOf) : Date.now();
  t1 = Math.max(t1, Math.min(end, t1 + 1000 * 86400 * 60));
  if (t1 === t0) { t0 -= 86400e3 * 15; t1 += 86400e3 * 15; }
  const x = (ms) => L + ((ms - t0) / (t1 - t0)) * (W - L - R);
  const y = (s) => T + ((4 - LEAN[s]) / 8) * (H - T - B);
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${h.actor} stance over time on ${h.topic}` });
  const axis = svg("g", { class: "axis" });
  for (const s of ["veto", "vote_no", "oppose", "abstain", "conditional", "support", "vote_yes", "sponsor"]) {
    axis.append(svg("line", { class: "grid", x1: L, x2: W - R, y1: y(s), y2: y(s) }));
    axis.append(svg("text", { x: L - 6, y: y(s) + 4, "text-anchor": "end" }, s === "abstain" ? "abstain/absent" : s.replace("_", " ")));
  }
  // month ticks, as many as fit at 80 units apart
  const start = new Date(t0), months = [];
  for (let d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)); d.getTime() <= t1; d.setUTCMonth(d.getUTCMonth() + 1)) months.push(d.getTime());
  const every = Math.max(1, Math.ceil(months.length / Math.floor((W - L - R) / 80)));
  months.forEach((ms, i) => {
    if (i % every) return;
    const d = new Date(ms);
    axis.append(svg("line", { class: "grid", x1: x(ms), x2: x(ms), y1: H - B, y2: H - B + 4 }));
    axis.append(svg("text", { x: x(ms), y: H - 10, "text-anchor": "middle" }, `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`));
  });
  g.append(axis);
  let d = "";
  entries.forEach((e, i) => {
    const px = x(t(e)), py = y(e.stance);
    d += i === 0 ? `M ${px} ${py}` : ` H ${px} V ${py}`;
  });
  d += ` H ${x(Math.max(t1, t(entries[entries.length - 1])))}`;
  g.append(svg("path", { class: "step", d }));
  for (const e of entries) {
    const c = svg("circle", { cx: x(t(e)), cy: y(e.stance), r: 5, fill: `var(--${e.stance})`, stroke: "#000", "stroke-width": 1, "data-stance": e.stance });
    c.append(svg("title", {}, `${human(e.occurred)}: ${e.stance}${e.motion ? ` on ${e.motion}` : ""}`));
    c.addEventListener("click", () => showEvidence(e, { name: h.actor_name || h.actor }, { id: e.motion || "—" }));
    g.append(c);
  }
  // Each shift is ringed and numbered on the chart, and labelled in full
  // in the list under it (labels on the chart itself would overlap).
  const list = el("ol", { class: "shifts" });
  (h.shifts || []).forEach((s, i) => {
    const px = x(Date.parse(s.date)), py = y(s.to);
    const label = `${s.from.replace("_", " ")} → ${s.to.replace("_", " ")}, ${human(s.date)}`;
    const ring = svg("circle", { cx: px, cy: py, r: 9, fill: "none", stroke: "var(--accent)", "stroke-width": 2, "data-shift": `${s.from}>${s.to}` });
    ring.append(svg("title", {}, label));
    g.append(ring);
    g.append(svg("text", { class: "shift-label", x: px + 8, y: py - 10 - (i % 3) * 11 }, String(i + 1)));
    list.append(el("li", { "data-shift": `${s.from}>${s.to}`, "data-date": s.date }, el("span", { class: `swatch s-${s.to}` }, LABEL[s.to]), " ", label,
      s.to_position?.motion ? el("small", {}, ` (${s.to_position.motion})`) : null));
  });
  box.replaceChildren(g, (h.shifts || []).length ? list : el("p", { class: "hint" }, "No shift: the stance has not changed."));
}

function fillActors(m) {
  const opts = [el("option", { value: "" }, "—")].concat(m.actors.map((a) => el("option", { value: a.actor, selected: a.actor === view.actor }, `${a.name} (${a.actor})`)));
  $("#actor").replaceChildren(...opts);
}

async function refresh() {
  writeURL();
  $("#asof").value = view.asOf;
  $("#rows").value = view.rows;
  if (!view.topic) { status("Nothing recorded yet."); return; }
  try {
    const [ma, hi] = await Promise.all([
      api(`/v1/topics/${encodeURIComponent(view.topic)}/matrix`, { min_seq: lastSeq || "" }),
      view.actor ? api(`/v1/actors/${encodeURIComponent(view.actor)}/history`, { topic: view.topic, min_seq: lastSeq || "" }).catch((e) => (e.status === 404 ? null : Promise.reject(e))) : null,
    ]);
    matrix = ma.matrix;
    let history = hi?.history;
    if (!view.actor && matrix.actors.length > 0) {
      // no actor chosen: show the one that moved most, the US when present
      view.actor = (matrix.actors.find((a) => a.actor === "US") || matrix.actors[0]).actor;
      writeURL();
      history = (await api(`/v1/actors/${encodeURIComponent(view.actor)}/history`, { topic: view.topic }).catch(() => null))?.history;
    }
    renderMatrix(matrix);
    fillActors(matrix);
    renderTimeline(history);
    document.body.dataset.seq = ma.seq;
    status(`At stream sequence ${ma.seq}${view.asOf ? `, as of ${human(view.asOf)}` : ""}: ${matrix.actors.length} actors, ${matrix.motions.length} texts.`);
  } catch (e) {
    if (e.status === 404) { $("#matrix").replaceChildren(el("caption", {}, `Nothing recorded on ${view.topic}${view.asOf ? ` as of ${human(view.asOf)}` : ""}.`)); renderTimeline(null); }
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
  refresh();
}

function feedItem(kind, text, seq) {
  const li = el("li", { class: "fresh", "data-kind": kind, "data-seq": seq }, el("time", {}, new Date().toLocaleTimeString()), el("span", { class: "kind" }, kind), " ", text);
  const feed = $("#feed");
  feed.prepend(li);
  while (feed.children.length > 100) feed.lastChild.remove();
}

function live() {
  const dot = $("#live");
  const events = new EventSource("/v1/stream?kind=events");
  events.onopen = () => { dot.className = "dot on"; dot.title = "live"; };
  events.onerror = () => { dot.className = "dot off"; dot.title = "reconnecting"; };
  const onEvent = (kind) => (msg) => {
    const seq = Number(msg.lastEventId) || 0;
    lastSeq = Math.max(lastSeq, seq);
    let ce = {};
    try { ce = JSON.parse(msg.data); } catch { return; }
    const d = ce.data || {};
    let text = "";
    if (kind === "position") text = `${d.actor} ${String(d.stance).replace("_", " ")} on ${d.topic}${d.motion ? ` (${d.motion})` : ""} · ${d.evidence?.producer || ""}`;
    else if (kind === "motion") text = `${d.id} ${d.outcome || ""} ${human(d.date)}`;
    else if (kind === "retraction") text = `withdrew ${d.target}: ${d.reason}`;
    else text = ce.subject || "";
    feedItem(kind, text, seq);
    if (!d.topic || d.topic === view.topic) scheduleRefresh();
  };
  for (const k of ["position", "motion", "retraction"]) events.addEventListener(k, onEvent(k));
  const shifts = new EventSource("/v1/stream?kind=shifts");
  shifts.addEventListener("shift", (msg) => {
    let d = {};
    try { d = JSON.parse(msg.data).data || {}; } catch { return; }
    const verb = d.status === "withdrawn" ? "shift withdrawn" : "shift";
    feedItem(verb, `${d.actor} ${String(d.from).replace("_", " ")} → ${String(d.to).replace("_", " ")}, ${human(d.date)} (${d.topic})`, msg.lastEventId);
  });
}

function bind() {
  $("#topic").addEventListener("change", (e) => { view.topic = e.target.value; refresh(); });
  $("#actor").addEventListener("change", (e) => { view.actor = e.target.value; refresh(); });
  $("#asof").addEventListener("change", (e) => { view.asOf = e.target.value; refresh(); });
  $("#now").addEventListener("click", () => { view.asOf = ""; refresh(); });
  $("#rows").addEventListener("input", (e) => { view.rows = e.target.value; writeURL(); if (matrix) renderMatrix(matrix); });
  $("#evidence-close").addEventListener("click", () => { $("#evidence").hidden = true; });
  $("#controls").addEventListener("submit", (e) => e.preventDefault());
  window.addEventListener("popstate", () => { readURL(); refresh(); });
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
  await refresh();
  document.body.dataset.ready = "true";
}

main();

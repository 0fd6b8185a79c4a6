#!/usr/bin/env python3
"""Checks testdata/real/gold.json against the article files beside it.

Run from anywhere: python3 validate_gold.py
Exit status 1 on any error; prints counts per form and topic.
"""
import collections, datetime, glob, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
EVENTS = os.path.join(HERE, "..", "..", "..", "..", "events", "countries_table.go")
STANCES = {"veto", "vote_no", "oppose", "abstain", "absent", "conditional", "support", "vote_yes", "sponsor"}
FORMS = {"council-vote-gaza", "council-vote-other", "assembly-vote", "joint-statement", "recognition", "statement"}
SYMBOL = re.compile(r"^[A-Z]{1,10}(?:/[A-Z0-9][A-Z0-9.\-]*)+$")  # as events.ParseMotionID
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
errors = []

def err(msg):
    errors.append(msg)

def day(s):
    try:
        return datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        return None

known = set()
if os.path.exists(EVENTS):
    known = set(re.findall(r"^([A-Z]{2})\|", open(EVENTS, encoding="utf-8").read(), re.M))

gold = json.load(open(os.path.join(HERE, "gold.json"), encoding="utf-8"))
if set(gold) != {"articles", "positions"}:
    err(f"top-level keys {sorted(gold)}")
texts = {}
for path in sorted(glob.glob(os.path.join(HERE, "*.txt"))):
    name = os.path.basename(path)
    if not re.match(r"^\d{3}_[a-z0-9-]+\.txt$", name):
        err(f"{name}: name is not NNN_slug.txt")
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")
    texts[name] = text
    lines = text.split("\n")
    if len(lines) < 4 or not lines[0].startswith("Title: ") or not re.match(r"^Published: \d{4}-\d{2}-\d{2}$", lines[1]) or lines[2] != "":
        err(f"{name}: header is not 'Title:', 'Published: YYYY-MM-DD', blank line")
    if "\r" in text or "\x00" in text:
        err(f"{name}: CR or NUL byte")

arts = {}
for a in gold["articles"]:
    for k in ("file", "published", "story", "source", "form", "topic"):
        if k not in a:
            err(f"article {a.get('file')}: missing {k}")
    f = a["file"]
    if f in arts:
        err(f"{f}: listed twice among articles")
    arts[f] = a
    if f not in texts:
        err(f"{f}: in gold but no .txt")
        continue
    if f"\nPublished: {a['published']}\n" not in "\n" + texts[f]:
        err(f"{f}: gold published {a['published']} differs from the header")
    if a["form"] not in FORMS:
        err(f"{f}: form {a['form']!r}")
    if not SLUG.match(a["topic"]):
        err(f"{f}: topic {a['topic']!r} is not a lowercase slug")
    if not re.match(r"^https?://[^/\s]+", a["source"]):
        err(f"{f}: source {a['source']!r} is not a URL")
for f in texts:
    if f not in arts:
        err(f"{f}: .txt without a gold article")

seen = set()
per_form = collections.Counter()
per_topic = collections.Counter()
per_stance = collections.Counter()
for i, p in enumerate(gold["positions"]):
    where = f"positions[{i}] {p.get('file')} {p.get('actor')} {p.get('stance')}"
    extra = set(p) - {"file", "actor", "stance", "occurred", "motion", "evidence", "note"}
    if extra or not {"file", "actor", "stance", "occurred", "evidence"} <= set(p):
        err(f"{where}: fields {sorted(p)}")
        continue
    f = p["file"]
    if f not in arts:
        err(f"{where}: file not among articles")
        continue
    if not re.match(r"^[A-Z]{2}$", p["actor"]):
        err(f"{where}: actor is not a 2-letter upper-case code")
    elif known and p["actor"] not in known:
        err(f"{where}: actor not in events/countries_table.go")
    if p["stance"] not in STANCES:
        err(f"{where}: stance not in {sorted(STANCES)}")
    if p["occurred"] is not None:
        d = day(p["occurred"])
        if d is None:
            err(f"{where}: occurred {p['occurred']!r} is not YYYY-MM-DD")
        elif d > day(arts[f]["published"]):
            err(f"{where}: occurred after publication")
    if "motion" in p:
        m = p["motion"]
        if not (SYMBOL.match(m) or SLUG.match(m)) or len(m) > 64:
            err(f"{where}: motion {m!r}")
    if not p["evidence"] or p["evidence"] not in texts[f]:
        err(f"{where}: evidence not an exact substring: {p['evidence']!r}")
    key = (f, p["actor"], p["stance"], p["occurred"], p.get("motion"), p["evidence"])
    if key in seen and "note" not in p:
        err(f"{where}: duplicate position")
    seen.add(key)
    per_form[arts[f]["form"]] += 1
    per_topic[arts[f]["topic"]] += 1
    per_stance[p["stance"]] += 1

for e in errors:
    print("ERROR", e)
texts_form = collections.Counter(a["form"] for a in arts.values())
texts_topic = collections.Counter(a["topic"] for a in arts.values())
print(f"{len(arts)} texts, {len(gold['positions'])} positions")
print("form                 texts positions")
for k in sorted(texts_form):
    print(f"  {k:20} {texts_form[k]:4} {per_form[k]:6}")
print("topic                texts positions")
for k in sorted(texts_topic):
    print(f"  {k:20} {texts_topic[k]:4} {per_topic[k]:6}")
print("stances:", dict(sorted(per_stance.items())))
print("dated:", sum(1 for p in gold["positions"] if p["occurred"]), "undated:", sum(1 for p in gold["positions"] if not p["occurred"]))
sys.exit(1 if errors else 0)

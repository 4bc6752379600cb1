#!/usr/bin/env python3
"""Build tests/risk/panel.jsonl and the quasi sentence sets (.jsonl) from their marked-up sources.

The sources use inline markup ``[[mention|slot.holder]]`` with holder ``c`` (client), ``o``
(another person: a relative, a group member, a third party) or ``t`` (the clinician). The builder
strips the markup and records each mention as ``{"start", "end", "slot", "holder", "text"}`` with
Python ``str`` (code-point) offsets into the plain text. It checks slots, holders, word counts
(120-220 for the panel and the first document sets, 150-350 for docs2) and that the offsets
point at the mention.

    python3 tests/risk/build_panel.py          # rebuild both files
    python3 tests/risk/build_panel.py --check  # fail if the committed files are stale
"""
import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SLOTS = {
    "age", "sex", "occupation", "military", "ethnicity", "nationality", "language", "religion",
    "condition", "disability", "family", "housing_legal", "place", "organisation", "event",
    "physical", "uniqueness",
}
HOLDERS = {"c": "client", "o": "other", "t": "clinician"}
TIERS = {"identifying", "generic", "borderline"}
AUDIENCES = {"supervision", "teaching", "publication", "research"}
COUNTRIES = {"US", "UK", "IE", "CA", "AU", "NZ"}
MARK = re.compile(r"\[\[([^\[\]|]+)\|([a-z_]+)\.([cot])\]\]")


def unmark(marked, where):
    """Return (plain text, quasi list) for a marked-up string."""
    out, quasi, pos = [], [], 0
    length = 0
    for m in MARK.finditer(marked):
        gap = marked[pos:m.start()]
        out.append(gap)
        length += len(gap)
        mention, slot, holder = m.group(1), m.group(2), m.group(3)
        if slot not in SLOTS:
            sys.exit(f"{where}: unknown slot {slot!r}")
        quasi.append({"start": length, "end": length + len(mention), "slot": slot,
                      "holder": HOLDERS[holder], "text": mention})
        out.append(mention)
        length += len(mention)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        sys.exit(f"{where}: malformed markup left in text")
    for q in quasi:
        assert text[q["start"]:q["end"]] == q["text"]
    return text, quasi


def parse_panel(path, words_range=(120, 220)):
    records, cur, in_text = [], None, False
    for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith("=== "):
            if cur:
                records.append(cur)
            cur, in_text = {"id": line[4:].strip(), "_text": [], "_line": lineno}, False
        elif cur is None:
            continue
        elif in_text:
            cur["_text"].append(line)
        elif line.strip() == "---":
            in_text = True
        elif line.strip():
            key, _, value = line.partition(":")
            cur[key.strip()] = value.strip()
    if cur:
        records.append(cur)
    out, seen = [], set()
    for r in records:
        where = f"{path.name}:{r['_line']} ({r['id']})"
        if r["id"] in seen:
            sys.exit(f"{where}: duplicate id")
        seen.add(r["id"])
        marked = "\n".join(r["_text"]).strip()
        text, quasi = unmark(marked, where)
        words = len(text.split())
        lo, hi = words_range
        if not lo <= words <= hi:
            sys.exit(f"{where}: {words} words, want {lo}-{hi}")
        for key in ("audience", "population", "country", "tier", "reason"):
            if key not in r:
                sys.exit(f"{where}: missing {key}")
        if r["tier"] not in TIERS or r["audience"] not in AUDIENCES or r["country"] not in COUNTRIES:
            sys.exit(f"{where}: bad tier, audience or country")
        rec = {"id": r["id"], "text": text, "audience": r["audience"],
               "population": int(r["population"])}
        if r.get("place"):
            rec["place"] = r["place"]
        rec.update({"country": r["country"], "tier": r["tier"], "reason": r["reason"],
                    "style": r.get("style", ""), "quasi": quasi})
        if not rec["style"]:
            del rec["style"]
        out.append(rec)
    return out


def parse_sentences(path):
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        sid, _, marked = line.partition("\t")
        if not marked:
            sys.exit(f"{path.name}:{lineno}: want id<TAB>sentence")
        text, quasi = unmark(marked.strip(), f"{path.name}:{lineno}")
        out.append({"id": sid.strip(), "text": text, "quasi": quasi})
    if len({r["id"] for r in out}) != len(out):
        sys.exit(f"{path.name}: duplicate ids")
    return out


def dump(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="fail if the built files are stale")
    args = ap.parse_args()
    targets = {
        HERE / "panel.jsonl": dump(parse_panel(HERE / "panel.src")),
        HERE / "docs.jsonl": dump(parse_panel(HERE / "docs.src")),
        HERE / "docs_test.jsonl": dump(parse_panel(HERE / "docs_test.src")),
        HERE / "docs2.jsonl": dump(parse_panel(HERE / "docs2.src", (150, 350))),
        HERE / "docs2_test.jsonl": dump(parse_panel(HERE / "docs2_test.src", (150, 350))),
        HERE / "quasi_sentences.jsonl": dump(parse_sentences(HERE / "quasi_sentences.src")),
        HERE / "quasi_dev.jsonl": dump(parse_sentences(HERE / "quasi_dev.src")),
        HERE / "quasi_dev_test.jsonl": dump(parse_sentences(HERE / "quasi_dev_test.src")),
    }
    stale = False
    for path, content in targets.items():
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                print(f"{path.name} is stale: run python3 tests/risk/build_panel.py", file=sys.stderr)
                stale = True
        else:
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path.name}: {content.count(chr(10))} records")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Recall check of a deid binary on synthetic notes from scripts/gen_notes.py.

Generates a seeded corpus into a temporary file, runs `BIN scan --input-format jsonl` on it
and scores the spans: a gold span counts as found when at least 90 % of its non-space
characters are covered by predicted direct spans (of any label); a predicted direct span is
correct when it overlaps a gold span. Prints recall per label, country, style and case
variant, overall recall and precision, the hard negatives that were flagged (per type), and
deid's own `eval --json` entity figures for comparison.

Usage:
  python3 scripts/synth_check.py --deid BIN [--split heldout] [--min R] [--seed 7] [--docs 600]
Exits 1 when overall recall is below --min. Stdlib only, Python 3.10+.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_notes  # noqa: E402

COVER = 0.9


def covered(text, start, end, mask):
    chars = [i for i in range(start, end) if not text[i].isspace()]
    if not chars:
        return True
    return sum(mask[i] for i in chars) >= COVER * len(chars)


def scan(binary, path):
    out = subprocess.run([binary, "scan", "--input-format", "jsonl", str(path)],
                         capture_output=True, text=True, check=True).stdout
    pred = {}
    for line in out.splitlines():
        if line.strip():
            r = json.loads(line)
            pred[str(r["id"])] = [s for s in r["spans"] if s.get("kind", "direct") == "direct"]
    return pred


def deid_eval(binary, path):
    try:
        out = subprocess.run([binary, "eval", str(path), "--format", "jsonl", "--json"],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)["entity"]["ALL"]
    except (subprocess.CalledProcessError, ValueError, KeyError):
        return None


def score(recs, pred):
    """Counters keyed by (dimension, value) -> [gold, found]; precision counts; negatives hit."""
    rec_by = collections.defaultdict(lambda: [0, 0])
    tp = fp = 0
    neg_hit = collections.defaultdict(lambda: [0, 0])
    for r in recs:
        text, spans = r["text"], pred.get(r["id"], [])
        mask = [0] * len(text)
        for s in spans:
            for i in range(s["start"], min(s["end"], len(text))):
                mask[i] = 1
        for g in r["spans"]:
            ok = covered(text, g["start"], g["end"], mask)
            for key in (("label", g["label"]), ("country", r["country"]), ("style", r["style"]),
                        ("case", r["case"]), ("all", "all")):
                rec_by[key][0] += 1
                rec_by[key][1] += ok
        for s in spans:
            if any(s["start"] < g["end"] and g["start"] < s["end"] for g in r["spans"]):
                tp += 1
            else:
                fp += 1
        for n in r["negatives"]:
            hit = any(s["start"] < n["end"] and n["start"] < s["end"] for s in spans)
            neg_hit[n["type"]][0] += 1
            neg_hit[n["type"]][1] += hit
    return rec_by, tp, fp, neg_hit


def main():
    ap = argparse.ArgumentParser(description="Recall of deid on synthetic notes.")
    ap.add_argument("--deid", required=True, help="the deid binary")
    ap.add_argument("--split", choices=["train", "heldout", "all"], default="all")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--min", type=float, default=0.0, help="exit 1 when overall recall is below")
    args = ap.parse_args()
    recs = gen_notes.generate(args.seed, args.docs, args.split)
    fd, path = tempfile.mkstemp(suffix=".jsonl", prefix="synth_")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        pred = scan(args.deid, path)
        ev = deid_eval(args.deid, path)
    finally:
        os.unlink(path)
    rec_by, tp, fp, neg_hit = score(recs, pred)
    print(f"synthetic notes: seed {args.seed}, {len(recs)} documents, split {args.split}; "
          f"a gold span is found when >= {COVER:.0%} of its non-space characters are covered")
    for dim in ("label", "country", "style", "case"):
        print(f"\nrecall per {dim}:")
        for (d, v), (g, found) in sorted(rec_by.items()):
            if d == dim:
                print(f"  {v:<16} {found / g:6.3f}  ({found}/{g})")
    print("\nhard negatives flagged (type: flagged/total):")
    print("  " + ", ".join(f"{t} {h}/{n}" for t, (n, h) in sorted(neg_hit.items())))
    g, found = rec_by[("all", "all")]
    recall = found / g if g else 1.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(f"\noverall recall {recall:.4f} ({found}/{g}), precision {precision:.4f} ({tp}/{tp + fp})")
    if ev:
        print(f"deid eval (entity, any overlap): recall {ev['recall']:.4f}, precision {ev['precision']:.4f}")
    if recall < args.min:
        print(f"FAIL: recall {recall:.4f} below --min {args.min}")
        sys.exit(1)


if __name__ == "__main__":
    main()

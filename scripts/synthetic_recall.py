#!/usr/bin/env python3
"""Synthetic recall check: note templates x names and places drawn from the public-domain
dictionaries in rules/dictionaries (frequent names, rare names, invented names), in mixed case,
ALL CAPS and lower case. It measures how the context rules generalise beyond the two gold
corpora (no gold text is used). Prints recall per template and band, and overall.

Usage: python3 scripts/synthetic_recall.py [--deid PATH] [--seed N] [--per 20] [--min R]
  --deid  the deid binary (default target/release/deid, else target/debug/deid)
  --min   exit 1 when overall recall is below R
Limits: a name that is also an ordinary English word ("Hatch", "Bowl") is often missed where
the template gives no cue; those misses are counted, not hidden.
"""
import argparse
import collections
import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DICT = ROOT / "rules" / "dictionaries"

# (id, template). {F}/{L} given name/surname, {f}/{l} lower case, {FU}/{LU} upper case,
# {F2}/{F3} more given names, {P}/{p}/{PU} a place. Every placeholder is a gold span.
TEMPLATES = [
    ("title_dr", "Dr. {L} notified of K 3.2, will replete."),
    ("title_lower", "seen by dr {l} today, plan unchanged."),
    ("title_mr", "Mr. {L} was alert and oriented."),
    ("title_mrs_lower", "mrs {l} resting comfortably."),
    ("relation_caps", "WIFE {FU} IN TO VISIT, UPDATED ON PLAN."),
    ("relation_full", "Spoke with pt's daughter {F} {L}, updated."),
    ("relation_lower", "pt's son {f} called, questions answered."),
    ("relation_comma", "Her sister, {F}, will stay overnight."),
    ("hcp", "HCP is niece {F} {L} (cell 617-555-0101)."),
    ("signature_rn", "{F} {L}, RN"),
    ("credential_md", "{F} {L} MD aware of low u/o."),
    ("per_cue", "per {F} {L} from case mgmt, rehab screening."),
    ("list", "Family in: {F}, {F2} and {F3}."),
    ("cue_caps", "PT SEEN BY {FU} {LU} FROM PT."),
    ("cue_lower", "npn 7p-7a: pt seen by {f} {l}, ortho resident."),
    ("spoke_with", "Spoke with {F} {L} from SW about placement."),
    ("header", "Attending: {F} {L}, MD"),
    ("dictated", "Dictated by: {F} {L}"),
    ("therapy_client", "Client: {F} {L}\nSession 4. {F} reported better sleep."),
    ("therapy_group", "Present: {F}, {F2} and {F3}. {F2} shared a memory."),
    ("place_from", "Pt transferred from {P} this am."),
    ("place_lives", "Pt lives in {P} with her husband."),
    ("place_caps", "PT LIVES IN {PU} WITH WIFE."),
    ("place_lower", "pt moved from {p} last year."),
]

SYLLABLES = ["ka", "lo", "mi", "ren", "tor", "vash", "qui", "zel", "bri", "dan", "ov", "ska",
             "nia", "pel", "rud", "sim", "gor", "bek", "tam", "wen"]


def load_names(name):
    out = []
    for line in open(DICT / name, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        parts = line.rstrip("\n").split("\t")
        try:
            out.append((parts[0], float(parts[1])))
        except (IndexError, ValueError):
            continue
    return out


def load_places():
    out = []
    for line in open(DICT / "us_places.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        out.append(line.split("\t")[0])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deid")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per", type=int, default=20, help="documents per template and band")
    ap.add_argument("--min", type=float)
    args = ap.parse_args()
    deid = args.deid
    if deid is None:
        for cand in ("target/release/deid", "target/debug/deid"):
            if (ROOT / cand).exists():
                deid = str(ROOT / cand)
                break
    if deid is None:
        sys.exit("no deid binary: build with cargo build --release -p deid-cli")
    rng = random.Random(args.seed)
    firsts, lasts, places = load_names("first_names.tsv"), load_names("surnames.tsv"), load_places()
    # Name pools per band, built once (each pick used to filter the whole list again).
    pools = {band: {id(lst): [n for n, f in lst if keep(f)] for lst in (firsts, lasts)}
             for band, keep in (("frequent", lambda f: f >= 50), ("rare", lambda f: f < 5))}
    bands = {
        "frequent": lambda lst: rng.choice(pools["frequent"][id(lst)]),
        "rare": lambda lst: rng.choice(pools["rare"][id(lst)]),
        "invented": lambda _lst: "".join(
            rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize(),
    }
    docs, gold = [], []
    for tid, template in TEMPLATES:
        for band, pick in bands.items():
            for k in range(args.per):
                f, l, f2, f3, p = (pick(firsts), pick(lasts), pick(firsts), pick(firsts),
                                   rng.choice(places))
                vals = {"F": f, "L": l, "F2": f2, "F3": f3, "f": f.lower(), "l": l.lower(),
                        "FU": f.upper(), "LU": l.upper(), "P": p, "p": p.lower(), "PU": p.upper()}
                text, spans, i = "", [], 0
                for m in re.finditer(r"\{(\w+)\}", template):
                    text += template[i:m.start()]
                    v = vals[m.group(1)]
                    start = len(text.encode())
                    text += v
                    spans.append((start, len(text.encode())))
                    i = m.end()
                text += template[i:]
                docs.append({"id": f"{tid}|{band}|{k}", "text": text})
                gold.append(spans)
    inp = "".join(json.dumps(d) + "\n" for d in docs)
    res = subprocess.run([deid, "scan", "--input-format", "jsonl"], input=inp,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    hit, tot = collections.Counter(), collections.Counter()
    for doc, spans, line in zip(docs, gold, res):
        found = [(s["start"], s["end"]) for s in json.loads(line)["spans"] if s["kind"] == "direct"]
        tid, band, _ = doc["id"].split("|")
        for a, b in spans:
            for key in ((tid, band), ("ALL", band), ("ALL", "all")):
                tot[key] += 1
                if any(s < b and a < e for s, e in found):
                    hit[key] += 1
    print(f"synthetic recall (seed {args.seed}, {args.per} documents per template and band)")
    print(f"{'template':18} " + " ".join(f"{b:>9}" for b in bands))
    for tid, _ in TEMPLATES + [("ALL", "")]:
        row = [f"{hit[(tid, b)] / tot[(tid, b)]:9.3f}" for b in bands]
        print(f"{tid:18} " + " ".join(row))
    overall = hit[("ALL", "all")] / tot[("ALL", "all")]
    print(f"overall {overall:.3f} of {tot[('ALL', 'all')]} spans")
    if args.min is not None and overall < args.min:
        sys.exit(f"synthetic recall {overall:.3f} is below {args.min}")


if __name__ == "__main__":
    main()

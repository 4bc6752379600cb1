#!/usr/bin/env python3
"""Recall on a JSONL gold corpus written all in lower case and all in capitals (issue 9).

Copies each record of CORPUS with its text lower-cased, then upper-cased (records whose length
would change are skipped, so every gold offset still holds), and runs `deid eval` on each copy
with the split asked for; prints the ALL line of each next to the mixed-case original's.
Usage: python3 scripts/one_case_eval.py [--deid target/release/deid] [--split heldout]
       [CORPUS (default tests/corpus/therapy/therapy.jsonl)]
Read the misses of the training split only (`--split train` and `deid eval --show-misses`)."""
import argparse
import json
import subprocess
import tempfile
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default="tests/corpus/therapy/therapy.jsonl")
    ap.add_argument("--deid", default="target/release/deid")
    ap.add_argument("--split", default="heldout", choices=["train", "heldout", "all"])
    args = ap.parse_args()
    records = [json.loads(line) for line in Path(args.corpus).read_text().splitlines() if line]
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("mixed", "lower", "upper"):
            path = Path(tmp) / f"{mode}.jsonl"
            kept = 0
            with path.open("w") as out:
                for r in records:
                    text = r["text"] if mode == "mixed" else getattr(r["text"], mode)()
                    if len(text) != len(r["text"]):
                        continue
                    out.write(json.dumps({**r, "text": text}) + "\n")
                    kept += 1
            cmd = [args.deid, "eval", str(path), "--format", "jsonl"]
            if args.split != "all":
                cmd += ["--split", args.split]
            report = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            line = next(l for l in report.splitlines() if l.startswith("  ALL"))
            print(f"{mode:6} ({kept} records, split {args.split}): {line.strip()}")
    print("columns after ALL: gold, found, predicted, correct, recall, precision, F1, F2")


if __name__ == "__main__":
    main()

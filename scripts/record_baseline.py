#!/usr/bin/env python3
"""Records the current entity-level figures of both gold corpora (held-out and training
splits) into
tests/accuracy/baseline.toml (rounded down to 3 decimals), for categories with at least 10
gold spans. Run after an improvement; CI then holds the engine to these figures.
Usage: python3 scripts/record_baseline.py (builds and runs `deid eval --json`)."""
import json
import math
import subprocess
from pathlib import Path

root = Path(__file__).resolve().parents[1]
# (name, path, split): the held-out splits are what counts; the training splits show the gap.
corpora = [
    ("physionet_dev_heldout", "../shared/data/physionet-dev", "heldout"),
    ("physionet_dev_train", "../shared/data/physionet-dev", "train"),
    ("therapy_heldout", "tests/corpus/therapy/therapy.jsonl", "heldout"),
    ("therapy_train", "tests/corpus/therapy/therapy.jsonl", "train"),
]
out = [
    "# Entity-level recall and precision that CI holds the built-in rules to",
    "# (crates/deid-core/tests/accuracy.rs). Regenerate with scripts/record_baseline.py after an",
    "# improvement; a change that lowers a figure must say why in its commit message.",
    "",
]
for name, path, split in corpora:
    rep = json.loads(subprocess.run(
        ["cargo", "run", "--release", "-q", "-p", "deid-cli", "--", "eval", path, "--json",
         "--split", split],
        cwd=root, check=True, capture_output=True, text=True).stdout)
    out += [f"[corpus.{name}]", f'path = "{path}"', f'split = "{split}"',
            f"[corpus.{name}.entity]"]
    for cat, s in sorted(rep["entity"].items()):
        if s["gold"] >= 10 or cat == "ALL":
            r = math.floor(s["recall"] * 1000) / 1000
            p = math.floor(s["precision"] * 1000) / 1000 if s["detected"] else 0.0
            out.append(f"{cat} = [{r}, {p}]")
    out.append("")
(root / "tests/accuracy/baseline.toml").write_text("\n".join(out))
print((root / "tests/accuracy/baseline.toml").read_text())

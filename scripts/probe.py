#!/usr/bin/env python3
"""Run deid on a probe table and print what it misses.

A probe table (tests/probes/*.txt) holds one invented line per probe, with the expected direct
identifiers marked inline as [[LABEL:text]] (the golden-case markup); `#` starts a comment line.
A line without markup is a hard negative. Printed: gold spans not covered (at least 90 % of
their non-space characters, as the blind scorer and synth_check.py count), spans covered under
another label, ID detections outside the marked spans, and any detection on a hard negative.

    python3 scripts/probe.py tests/probes/ids.txt [DEID] [-v] [--max-missed N]

With --max-missed N it exits 1 when more than N marked identifiers are missed (the test
command guards the held-out tables this way).
"""
import json, re, subprocess, sys
MARK = re.compile(r"\[\[([A-Z_]+):(.*?)\]\]")
argv = sys.argv[1:]
max_missed = None
if "--max-missed" in argv:
    i = argv.index("--max-missed")
    max_missed = int(argv[i + 1])
    del argv[i:i + 2]
args = [a for a in argv if a != "-v"]
binp = args[1] if len(args) > 1 else "target/release/deid"
verbose = "-v" in sys.argv
rows = []
for raw in open(args[0]):
    raw = raw.rstrip("\n")
    if not raw.strip() or raw.startswith("#"):
        continue
    text, gold, pos = "", [], 0
    for m in MARK.finditer(raw):
        text += raw[pos:m.start()]
        s = len(text); text += m.group(2); gold.append((s, len(text), m.group(1)))
        pos = m.end()
    text += raw[pos:]
    rows.append((raw, text, gold))
inp = "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, (_, t, _) in enumerate(rows))
out = subprocess.run([binp, "scan", "--input-format", "jsonl"], input=inp, capture_output=True, text=True).stdout.splitlines()
miss = fp = ngold = nwrong = 0
for (raw, text, gold), o in zip(rows, out):
    spans = [s for s in json.loads(o)["spans"] if s.get("kind") == "direct"]
    def show(): return ", ".join(f"{s['label']}:{text[s['start']:s['end']]!r}@{s['confidence']:.2f}/{s['rule']}" for s in spans)
    bad = []
    for (gs, ge, gl) in gold:
        ngold += 1
        need = [i for i in range(gs, ge) if not text[i].isspace()]
        cov = [i for i in need if any(s['start'] <= i < s['end'] for s in spans)]
        lab = {s['label'] for s in spans if s['start'] < ge and s['end'] > gs}
        if len(cov) < 0.9 * len(need):
            miss += 1; bad.append(f"MISS {gl}:{text[gs:ge]!r}")
        elif gl not in lab:
            nwrong += 1; bad.append(f"LABEL {gl}:{text[gs:ge]!r} got {lab}")
    for s in spans:
        if not any(s['start'] < ge and s['end'] > gs for gs, ge, _ in gold) and (s['label'] == 'ID' or not gold):
            fp += 1; bad.append(f"FP {s['label']}:{text[s['start']:s['end']]!r}@{s['confidence']:.2f}/{s['rule']}")
    if bad or verbose:
        print(text); print("    " + " | ".join(bad)); print("    got:", show())
print(f"gold {ngold} missed {miss} wronglabel {nwrong} fp {fp}")
if max_missed is not None and miss > max_missed:
    sys.exit(f"probe: {miss} missed, more than the allowed {max_missed}")

#!/usr/bin/env bash
# Cost of `deid scan` on one long text document (issue 12: linear time on any content).
# Writes the notes of `scripts/gen_notes.py --seed 12 --docs 4000 --templates-split all`
# (synthetic, no real text), each followed by a blank line, repeated and cut to each SIZE MB
# (10^6 bytes) as one text file, and prints the user CPU time, wall time and peak RSS of
# `deid scan --threads 1` on it (GNU time). Linear cost means seconds per MB stay flat.
# Usage: bash scripts/bench_long_doc.sh [SIZE_MB...]   (default: 1 4 10)
#        DEID=path times another binary (no build).
set -euo pipefail
cd "$(dirname "$0")/.."
deid="${DEID:-target/release/deid}"
[ -x /usr/bin/time ] || { echo "error: needs GNU time at /usr/bin/time" >&2; exit 1; }
if [ -z "${DEID:-}" ]; then
    cargo build --release -q -p deid-cli
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
python3 scripts/gen_notes.py --seed 12 --docs 4000 --templates-split all --quiet \
    --out "$tmp/notes.jsonl"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1 4 10)
for mb in "${sizes[@]}"; do
    python3 - "$tmp/notes.jsonl" "$tmp/doc.txt" "$mb" <<'PY'
import json, sys
notes = [json.loads(l)["text"] + "\n\n" for l in open(sys.argv[1], encoding="utf-8")]
target = int(float(sys.argv[3]) * 1_000_000)
out, size, i = [], 0, 0
while size < target:
    out.append(notes[i % len(notes)]); size += len(notes[i % len(notes)].encode()); i += 1
data = "".join(out).encode()[:target].decode("utf-8", "ignore")
open(sys.argv[2], "w", encoding="utf-8").write(data)
PY
    /usr/bin/time -f "$mb MB: %U s user, %e s wall, peak RSS %M KB" \
        "$deid" scan --threads 1 "$tmp/doc.txt" > /dev/null
done

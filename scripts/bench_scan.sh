#!/usr/bin/env bash
# Throughput of `deid scan` on the PhysioNet dev notes (1,450 nursing notes, 1.27 MB), one
# thread and all threads, repeated REPEAT times (default 20) so the run lasts long enough to
# time. Prints MB/s. Usage: bash scripts/bench_scan.sh [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
repeat="${1:-20}"
cargo build --release -q -p deid-cli
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
python3 scripts/physionet_jsonl.py > "$tmp/one.jsonl"
for _ in $(seq "$repeat"); do cat "$tmp/one.jsonl"; done > "$tmp/notes.jsonl"
bytes=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1])))" "$tmp/notes.jsonl")
for threads in 1 "$(nproc)"; do
  start=$(date +%s.%N)
  ./target/release/deid scan --input-format jsonl --threads "$threads" "$tmp/notes.jsonl" > /dev/null
  end=$(date +%s.%N)
  python3 -c "import sys; b,s,e,t=float(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]),sys.argv[4]; print(f'deid scan, {t} thread(s): {b/1e6:.1f} MB of note text in {e-s:.2f} s = {b/1e6/(e-s):.1f} MB/s')" "$bytes" "$start" "$end" "$threads"
done

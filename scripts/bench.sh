#!/usr/bin/env bash
# Speed of `deid scan` at dataset scale, in one run (issue 12). Builds deid in release mode,
# writes a ~20 MB JSONL corpus of synthetic notes (scripts/gen_notes.py, id and text only; no
# real text) and prints:
#   - the machine: date, nproc, CPU model, load average;
#   - `deid scan --input-format jsonl --threads 1` and `--threads $(nproc)`: MB/s and notes/s;
#   - a yardstick on the same file: `grep -cE` with a phone-number regex (LC_ALL=C, median of 5
#     runs), as MB/s and as the ratio deid time / grep time;
#   - start-up: median wall time of 20 runs of `deid scan` on a one-line file (hyperfine when
#     installed, else a loop timed with `date +%s%N`);
#   - peak RSS (GNU /usr/bin/time -f %M) and wall time of `deid scan --input-format jsonl` on a
#     big JSONL file made by repeating the corpus: BIG_MB megabytes, default 1024.
# MB are 10^6 bytes of JSONL input (what grep reads too). Figures vary with load.
# Usage: bash scripts/bench.sh [BIG_MB]   (or DEID_BENCH_BIG_MB=200 bash scripts/bench.sh)
#        DEID_BENCH_MB=20 sets the corpus size; DEID=path times another binary (no build).
set -euo pipefail
cd "$(dirname "$0")/.."
big_mb="${1:-${DEID_BENCH_BIG_MB:-1024}}"
corpus_mb="${DEID_BENCH_MB:-20}"
deid="${DEID:-target/release/deid}"
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 ||
    { echo "error: needs GNU time at /usr/bin/time (Debian package 'time')" >&2; exit 1; }

echo "date:  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "nproc: $(nproc)"
echo "cpu:   $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*: //')"
echo "load:  $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "deid:  $deid ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"

if [ -z "${DEID:-}" ]; then
    echo "==> cargo build --release -p deid-cli"
    cargo build --release -q -p deid-cli
fi

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

# Nanoseconds since the epoch; `elapsed START` prints seconds since START.
now() { date +%s%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }

echo "==> corpus: ~$corpus_mb MB of synthetic notes (scripts/gen_notes.py)"
# gen_notes.py's notes average ~580 bytes as {"id", "text"} lines; ask for enough, keep the size.
docs=$((corpus_mb * 1000000 / 560 + 100))
python3 scripts/gen_notes.py --seed 12 --docs "$docs" --templates-split all --quiet \
    --out "$tmp/gold.jsonl"
python3 - "$tmp/gold.jsonl" "$tmp/notes.jsonl" "$corpus_mb" <<'PY'
import json, sys
target = int(sys.argv[3]) * 1_000_000
size = 0
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for line in src:
        doc = json.loads(line)
        rec = json.dumps({"id": doc["id"], "text": doc["text"]}) + "\n"
        if size + len(rec) > target:
            break
        out.write(rec)
        size += len(rec)
PY
corpus="$tmp/notes.jsonl"
bytes=$(wc -c < "$corpus")
notes=$(wc -l < "$corpus")
echo "corpus: $(rate "$bytes" 1) MB, $notes notes"

echo "==> deid scan --input-format jsonl (one run each)"
declare -A scan_s
for threads in 1 "$(nproc)"; do
    start=$(now)
    "$deid" scan --input-format jsonl --threads "$threads" "$corpus" > /dev/null
    s=$(elapsed "$start")
    scan_s[$threads]=$s
    printf 'deid scan --threads %-2s %7.2f s  %6s MB/s  %8s notes/s\n' "$threads" "$s" \
        "$(rate "$bytes" "$s")" "$(awk -v n="$notes" -v s="$s" 'BEGIN { printf "%.0f", n / s }')"
done

phone='(\(?[0-9]{3}\)?[-. ]?)?[0-9]{3}[-. ][0-9]{4}'
echo "==> yardstick: LC_ALL=C grep -cE '$phone' (median of 5 runs)"
for _ in 1 2 3 4 5; do
    start=$(now)
    matches=$(LC_ALL=C grep -cE "$phone" "$corpus" || true)
    elapsed "$start"; echo
done > "$tmp/grep_times"
grep_s=$(median < "$tmp/grep_times")
printf 'grep -cE (phone)       %7.3f s  %6s MB/s  (%s matching lines)\n' "$grep_s" \
    "$(rate "$bytes" "$grep_s")" "$matches"
for threads in 1 "$(nproc)"; do
    printf 'deid --threads %-2s / grep: %s x the time\n' "$threads" \
        "$(awk -v d="${scan_s[$threads]}" -v g="$grep_s" 'BEGIN { printf "%.0f", d / g }')"
done

echo "==> start-up: deid scan of a one-line file, median of 20 runs"
echo "Seen by Dr. Jane Roe on 03/14/2024." > "$tmp/one.txt"
if command -v hyperfine > /dev/null; then
    hyperfine --runs 20 --warmup 2 --style basic --export-json "$tmp/hf.json" \
        "$deid scan $tmp/one.txt" > /dev/null
    python3 -c "import json,sys; print(f\"start-up: {json.load(open(sys.argv[1]))['results'][0]['median']:.3f} s (hyperfine)\")" "$tmp/hf.json"
else
    "$deid" scan "$tmp/one.txt" > /dev/null # warm the page cache
    for _ in $(seq 20); do
        start=$(now)
        "$deid" scan "$tmp/one.txt" > /dev/null
        elapsed "$start"; echo
    done > "$tmp/startup"
    echo "start-up: $(median < "$tmp/startup") s (median; min $(sort -g "$tmp/startup" | head -1), max $(sort -g "$tmp/startup" | tail -1))"
fi

echo "==> peak memory: deid scan --input-format jsonl on ~$big_mb MB (the corpus repeated)"
big="$tmp/big.jsonl"
target=$((big_mb * 1000000))
: > "$big"
while [ "$(wc -c < "$big")" -lt "$target" ]; do cat "$corpus" >> "$big"; done
big_bytes=$(wc -c < "$big")
big_notes=$(wc -l < "$big")
rm -f "$tmp/gold.jsonl"
start=$(now)
/usr/bin/time -f %M -o "$tmp/rss" "$deid" scan --input-format jsonl "$big" > /dev/null
s=$(elapsed "$start")
printf 'big file: %s MB, %s notes, %.1f s (%s MB/s, all threads); peak RSS %s MB\n' \
    "$(rate "$big_bytes" 1)" "$big_notes" "$s" "$(rate "$big_bytes" "$s")" \
    "$(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/rss")"

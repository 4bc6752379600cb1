#!/usr/bin/env bash
# Peak memory and wall time of `deid scan` on a large JSONL file (JSONL and CSV are streamed in
# chunks, so memory should not grow with the file). Writes SIZE MB (default 200) of short
# synthetic notes (seeded, no real text) to a temporary file and runs
#   /usr/bin/time -v target/release/deid scan --input-format jsonl BIG.jsonl > /dev/null
# printing the peak resident set and the elapsed time. DEID=path runs another binary (to
# compare with an older build). Usage: bash scripts/bench_memory.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-200}"
deid="${DEID:-target/release/deid}"
[ -n "${DEID:-}" ] || cargo build --release -q -p deid-cli
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/big.jsonl" "$size" <<'PY'
import json, random, sys
random.seed(7)
target = int(sys.argv[2]) << 20
names = ["Jane Roe", "John Smith", "Maria Garcia", "Wei Chen", "Ahmed Khan", "Olga Petrova"]
notes = [
    "Seen by Dr. {n} on {m:02d}/{d:02d}/2021 for follow-up. BP stable, no complaints.",
    "Pt {n} called 555-01{d:02d}; refill of lisinopril approved. Next visit {m}/{d}/2022.",
    "Discharged home with family. PCP Dr. {n}. Wound clean and dry, sutures out in 10 days.",
    "Nursing note: patient ambulating, tolerating diet, pain 2/10. Spoke with {n} at bedside.",
]
n = size = 0
with open(sys.argv[1], "w") as f:
    while size < target:
        n += 1
        text = random.choice(notes).format(
            n=random.choice(names), m=random.randint(1, 12), d=random.randint(1, 28))
        line = json.dumps({"id": n, "text": text}) + "\n"
        f.write(line)
        size += len(line)
print(f"{size / 1e6:.0f} MB, {n} records")
PY
/usr/bin/time -v "$deid" scan --input-format jsonl "$tmp/big.jsonl" > /dev/null 2> "$tmp/time"
grep -E "Maximum resident set size|Elapsed \(wall clock\)|User time|System time" "$tmp/time"

#!/usr/bin/env python3
"""Writes the PhysioNet dev notes (../shared/data/physionet-dev/id.text) as JSONL records
{"id", "text"} on stdout, for throughput measurements with `deid scan --input-format jsonl`."""
import json
import sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "../shared/data/physionet-dev/id.text")
data = src.read_text(encoding="utf-8")
for rec in data.split("START_OF_RECORD=")[1:]:
    header, _, rest = rec.partition("\n")
    pid, nid = [x for x in header.split("||||") if x][:2]
    body = rest.split("||||END_OF_RECORD")[0]
    print(json.dumps({"id": f"{pid}-{nid}", "text": body}))

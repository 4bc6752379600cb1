"""examples/spark_deidentify.py on Spark in local mode, checked row by row against one process.

Needs pyspark and Java 17; skipped without them. Takes ~30 s (two Spark jobs).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT

import deid

pytestmark = pytest.mark.spark

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java (17)", allow_module_level=True)

EXAMPLE = REPO_ROOT / "examples" / "spark_deidentify.py"

FIRST = ["Jane", "Tom", "Ana", "José", "Zoë", "Priya", "Min-jun", "Ólafur", "Keisha", "Li"]
LAST = ["Roe", "Lee", "Núñez", "Sharma", "Okafor", "Park", "Reed", "Hernández"]
PROSE = [
    "Client reports improved sleep and appetite.",
    "PHQ-9 score 14, GAD-7 11; discussed coping skills.",
    "Reviewed the safety plan; denies SI/HI.",
    "Will follow up in two weeks.",
    "Mood “better”, affect congruent — no acute distress.",
]


def make_table(n: int, seed: int = 11) -> Any:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        parts = [rng.choice(PROSE)]
        if rng.random() < 0.8:
            parts.append(f"Seen by Dr. {rng.choice(FIRST)} {rng.choice(LAST)} on "
                         f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/20{rng.randint(10, 24)}.")
        if rng.random() < 0.5:
            parts.append(f"Call 617-555-{rng.randint(100, 9999):04d}.")
        if rng.random() < 0.3:
            parts.append(f"MRN: {rng.randint(10**7, 10**8 - 1)}.\nEmail x{i}@example.org.")
        rng.shuffle(parts)
        note = None if rng.random() < 0.05 else " ".join(parts)
        rows.append({"note_id": i, "patient_id": rng.randint(1, n // 4), "note": note,
                     "score": rng.random()})
    return pd.DataFrame(rows)


def run_job(tmp_path: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYSPARK_PYTHON"] = sys.executable
    env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    env["PYSPARK_SUBMIT_ARGS"] = (
        "--conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=4 "
        "--conf spark.driver.memory=1g pyspark-shell"
    )
    return subprocess.run(
        [sys.executable, str(EXAMPLE), *args, "--master", "local[2]"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240,
    )


def check_output(out_dir: Path, table: Any, d: deid.Deidentifier, keyed: bool) -> None:
    out = pd.read_parquet(out_dir).sort_values("note_id").reset_index(drop=True)
    assert list(out.columns) == ["note_id", "patient_id", "note", "score", "spans"]
    assert len(out) == len(table)
    for row, want in zip(out.itertuples(), table.itertuples()):
        assert (row.note_id, row.patient_id) == (want.note_id, want.patient_id)
        assert row.score == pytest.approx(want.score)
        if want.note is None:
            assert row.note is None and row.spans is None
            continue
        expected = d.redact(want.note, record_key=str(want.patient_id) if keyed else None)
        assert row.note == expected.text, f"note_id {row.note_id}"
        assert json.loads(row.spans) == [s.to_dict() for s in expected.spans], f"note_id {row.note_id}"


def test_spark_parquet_surrogate_keyed(tmp_path: Path) -> None:
    table = make_table(400)
    table.to_parquet(tmp_path / "in.parquet", index=False)
    (tmp_path / "key.txt").write_text("spark-test-secret\n")
    r = run_job(tmp_path, [
        "in.parquet", "out", "--text-column", "note", "--id-column", "patient_id",
        "--strategy", "surrogate", "--secret-file", "key.txt", "--date-shift-max-days", "30",
        "--partitions", "4",
    ])
    assert r.returncode == 0, r.stderr[-4000:]
    d = deid.Deidentifier(strategy="surrogate", secret=b"spark-test-secret", date_shift_max_days=30)
    check_output(tmp_path / "out", table, d, keyed=True)
    # One Deidentifier per Python process (the driver's check, then each worker's), never
    # one per batch or task.
    pids = re.findall(r"built a Deidentifier in process (\d+)", r.stderr)
    assert pids and len(pids) == len(set(pids)), r.stderr[-2000:]


def test_spark_csv_tag(tmp_path: Path) -> None:
    table = make_table(120, seed=5)
    table.to_csv(tmp_path / "in.csv", index=False)
    table = pd.read_csv(tmp_path / "in.csv").astype({"note": object})
    table["note"] = table["note"].where(table["note"].notna(), None)
    r = run_job(tmp_path, ["in.csv", "out", "--text-column", "note", "--overwrite"])
    assert r.returncode == 0, r.stderr[-4000:]
    out = pd.read_parquet(tmp_path / "out")
    # CSV columns are read as strings.
    out["note_id"] = out["note_id"].astype(int)
    out["patient_id"] = out["patient_id"].astype(int)
    out["score"] = out["score"].astype(float)
    out.to_parquet(tmp_path / "typed.parquet", index=False)
    check_output(tmp_path / "typed.parquet", table, deid.Deidentifier(), keyed=False)


def test_keyed_shift_needs_id_column(tmp_path: Path) -> None:
    # Refused on the driver before Spark starts, as deid.Deidentifier.redact refuses a keyed
    # shift without a record key.
    (tmp_path / "key.txt").write_text("spark-test-secret\n")
    r = run_job(tmp_path, ["in.parquet", "out", "--secret-file", "key.txt",
                           "--date-shift-max-days", "30"])
    assert r.returncode != 0 and "--date-shift-max-days needs --id-column" in r.stderr, r.stderr

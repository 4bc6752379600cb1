#!/usr/bin/env python3
"""Checks of the risk evaluation assets themselves (no deid build needed).

    python3 tests/risk/test_harness.py        # or: python3 -m unittest tests/risk/test_harness.py

- panel.jsonl and quasi_sentences.jsonl are built from their sources, offsets point at the
  mentions, and the panel keeps its contract (fields, tiers, word counts, slot and holder names);
- scripts/risk_panel.py reads a stand-in `deid risk` (written here, keyword-based, deliberately
  crude) and computes the figures it should, exits 1 under a threshold and 2 without the CLI;
- scripts/risk_calibration.py is deterministic per seed and its truth counts are recomputable.
"""
import importlib.util
import json
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PANEL = HERE / "panel.jsonl"
SENTENCES = HERE / "quasi_sentences.jsonl"

FAKE_DEID = textwrap.dedent(r'''
    #!/usr/bin/env python3
    import json, re, sys
    a = sys.argv[1:]
    if a[:1] != ["risk"]:
        sys.exit(2)
    if "--help" in a:
        print("usage: deid risk"); sys.exit(0)
    for line in open(a[-1], encoding="utf-8"):
        r = json.loads(line)
        drivers = [{"attribute": "age", "value": m.group(0), "holder": "client", "bits": 3.0,
                    "spans": [{"start": m.start(), "end": m.end()}]}
                   for m in re.finditer(r"\b\d+-year-old\b", r["text"])]
        small = r.get("population", 10000) <= 20000
        print(json.dumps({"id": r["id"], "level": "red" if small else "green",
                          "lambda": 0.5 if small else 50.0, "lambda_q": 0.1 if small else 20.0,
                          "k": 5, "audience": r.get("audience", "supervision"),
                          "population": {"value": r.get("population"), "source": "record"},
                          "triggers": [], "drivers": drivers, "reasons": []}))
''').lstrip()


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def import_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class PanelData(unittest.TestCase):
    def test_built_files_are_fresh(self):
        proc = subprocess.run([sys.executable, str(HERE / "build_panel.py"), "--check"],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_panel_contract(self):
        slots = {"age", "sex", "occupation", "military", "ethnicity", "nationality", "language",
                 "religion", "condition", "disability", "family", "housing_legal", "place",
                 "organisation", "event", "physical", "uniqueness"}
        records = load(PANEL)
        self.assertGreaterEqual(len(records), 48)
        tiers = [r["tier"] for r in records]
        self.assertGreaterEqual(tiers.count("identifying"), 24)
        self.assertGreaterEqual(tiers.count("generic"), 24)
        self.assertEqual({r["country"] for r in records}, {"US", "UK", "IE", "CA", "AU", "NZ"})
        self.assertEqual(len({r["id"] for r in records}), len(records))
        for r in records:
            self.assertTrue(120 <= len(r["text"].split()) <= 220, r["id"])
            self.assertIsInstance(r["population"], int)
            self.assertIn(r["audience"], {"supervision", "teaching", "publication", "research"})
            self.assertTrue(r["reason"])
            for q in r["quasi"]:
                self.assertIn(q["slot"], slots)
                self.assertIn(q["holder"], {"client", "other", "clinician"})
                self.assertEqual(r["text"][q["start"]:q["end"]], q["text"], r["id"])

    def test_sentences_have_negatives(self):
        records = load(SENTENCES)
        self.assertGreaterEqual(len(records), 80)
        self.assertGreaterEqual(sum(not r["quasi"] for r in records), 30)
        for r in records:
            for q in r["quasi"]:
                self.assertEqual(r["text"][q["start"]:q["end"]], q["text"], r["id"])


class PanelScript(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.fake = os.path.join(self.tmp.name, "deid")
        with open(self.fake, "w") as f:
            f.write(FAKE_DEID)
        os.chmod(self.fake, os.stat(self.fake).st_mode | stat.S_IEXEC)

    def tearDown(self):
        self.tmp.cleanup()

    def run_panel(self, *args):
        return subprocess.run([sys.executable, str(ROOT / "scripts" / "risk_panel.py"), *args],
                              capture_output=True, text=True)

    def test_figures_from_a_stand_in(self):
        proc = self.run_panel("--deid", self.fake, "--json", "--sentences")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = json.loads(proc.stdout)
        overall = out["deid"]["classification"]["overall"]
        # the stand-in is the size-only baseline, so the two must agree
        self.assertAlmostEqual(overall["flagged_share"], out["size_only_baseline"]["flagged_share"])
        self.assertAlmostEqual(overall["green_share"], out["size_only_baseline"]["green_share"])
        det = out["deid"]["detection"]
        records = load(PANEL)
        exact_ages = [q for r in records for q in r["quasi"]
                      if q["slot"] == "age" and q["text"].endswith("-year-old") and q["text"][0].isdigit()]
        self.assertEqual(det["per_slot"]["age"]["found"], len(exact_ages))
        self.assertEqual(det["per_slot"]["occupation"]["found"], 0)
        self.assertEqual(det["driver_spans_on_client"], 1.0)

    def test_threshold_and_missing_cli(self):
        self.assertEqual(self.run_panel("--deid", self.fake, "--min-flagged", "0.99").returncode, 1)
        missing = self.run_panel("--deid", os.path.join(self.tmp.name, "nope"))
        self.assertEqual(missing.returncode, 2)
        self.assertIn("no such executable", missing.stderr)
        no_risk = os.path.join(self.tmp.name, "old-deid")
        with open(no_risk, "w") as f:
            f.write("#!/bin/sh\necho \"error: unrecognized subcommand 'risk'\" >&2\nexit 2\n")
        os.chmod(no_risk, 0o755)
        proc = self.run_panel("--deid", no_risk)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no working `risk` command", proc.stderr)


class Calibration(unittest.TestCase):
    def test_deterministic_and_truth_recomputable(self):
        cal = import_script("risk_calibration")
        tables = cal.Tables(cal.data_dir())
        a, _ = cal.build(tables, 3, 2, 30)
        b, _ = cal.build(tables, 3, 2, 30)
        self.assertEqual(json.dumps(a), json.dumps(b))
        c, _ = cal.build(tables, 4, 2, 30)
        self.assertNotEqual(json.dumps(a), json.dumps(c))
        self.assertEqual(len(a), 60)
        for r in a:
            self.assertGreaterEqual(len(r["attributes"]), 2)
            self.assertLessEqual(len(r["attributes"]), 5)
            self.assertGreaterEqual(r["true"], 0)

    def test_town_marginals_follow_the_tables(self):
        cal = import_script("risk_calibration")
        import random
        tables = cal.Tables(cal.data_dir())
        town, _ = cal.make_town(tables, 30_000, 0, random.Random(5))
        employed = sum(p["occupation"] is not None for p in town) / len(town)
        self.assertAlmostEqual(employed, tables.employed_share, delta=0.02)
        spanish = sum(p["language"] == "Spanish" for p in town) / len(town)
        self.assertAlmostEqual(spanish, 0.1348 * 0.94, delta=0.015)
        female_nurses = [p["sex"] for p in town if p["occupation"] == "Registered nurses"]
        self.assertGreater(female_nurses.count("female"), 0.7 * len(female_nurses))


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Throughput of deid's Python API (redact_batch) next to scrubadub, on synthetic notes.

Not a test. Generates a seeded corpus of ~2,000 notes of ~1.5 KB (names, dates, phones,
e-mails, MRNs mixed with clinical prose), then times:

- deid ``redact_batch`` on all cores, and with ``n_threads=1``;
- deid ``redact`` one note at a time;
- ``scrubadub.clean(text)`` with its default detectors, on a subset if it is slow.

Run it in the test venv after ``pip install scrubadub``:

    .venv/bin/python scripts/bench_python.py [--notes 2000] [--scrubadub-notes 300]

The detectors differ (scrubadub's defaults find e-mails, phones, URLs, credentials and a few
more, but no names or dates), so the "ids/note" column is context, not a quality comparison.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable, Sequence

FIRST = ["Jane", "Tom", "Ana", "José", "Maria", "Priya", "Keisha", "Daniel", "Olga", "Wei",
         "Fatima", "Liam", "Sofia", "Marcus", "Aisha", "Noah", "Elena", "Samuel"]
LAST = ["Roe", "Lee", "Núñez", "Sharma", "Okafor", "Park", "Reed", "Hernández", "Kowalski",
        "Nguyen", "Goldberg", "O'Brien", "Johansson", "Adeyemi", "Rossi", "Schmidt"]
ORGS = ["Eastgate Psychotherapy Associates", "Lakeside Community Clinic",
        "Vantage Point Realty", "Riverside High School", "St. Mary's Hospital"]
CITIES = [("Boston", "MA", "02114"), ("Springfield", "IL", "62704"), ("Austin", "TX", "78701"),
          ("Portland", "OR", "97205"), ("St. Cloud", "MN", "56301")]
PROSE = [
    "Client reports improved sleep, 6-7 hours most nights, and a better appetite.",
    "Mood described as 'flat' with intermittent irritability; affect constricted but reactive.",
    "PHQ-9 score 14 (moderate), down from 18 at intake; GAD-7 11.",
    "Denies suicidal ideation, intent or plan; safety plan reviewed and updated.",
    "We practised paced breathing and a thought record about the argument at work.",
    "Client identified avoidance as the main maintaining factor; homework assigned.",
    "Discussed sertraline 50 mg adherence; reports mild nausea in the mornings.",
    "Will follow up in two weeks; continue weekly CBT.",
    "Insight fair, judgement intact; thought process linear and goal-directed.",
    "Explored grief related to the loss of her father last spring.",
    "Client was on time, casually dressed, and engaged well throughout the session.",
    "Plan: continue exposure hierarchy, start behavioural activation log.",
]


def synthetic_notes(n: int, size: int = 1500, seed: int = 42) -> list[str]:
    rng = random.Random(seed)

    def name() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    def date() -> str:
        return f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(2015, 2024)}"

    def phone() -> str:
        return f"({rng.randint(201, 989)}) 555-{rng.randint(0, 9999):04d}"

    identifiers: list[Callable[[], str]] = [
        lambda: f"Her sister {rng.choice(FIRST)} called from {phone()} to confirm.",
        lambda: f"Referred by Dr. {rng.choice(LAST)} at {rng.choice(ORGS)} on {date()}.",
        lambda: f"Contact e-mail on file: {rng.choice(FIRST).lower()}.{rng.randint(1, 99)}@example.com.",
        lambda: "Lives at {} Elm Street, {}, {} {}.".format(rng.randint(1, 999), *rng.choice(CITIES)),
        lambda: f"Spoke with {name()} (emergency contact) at {phone()}.",
        lambda: f"Next appointment {date()}; MRN {rng.randint(10**6, 10**8)} verified.",
    ]
    notes = []
    for _ in range(n):
        parts = [
            f"Client: {name()}    DOB: {date()}    MRN: {rng.randint(10**6, 10**8)}\n"
            f"Date of service: {date()}    Clinician: {name()}, LCSW\n"
        ]
        length = len(parts[0])
        while length < size:
            s = rng.choice(identifiers)() if rng.random() < 0.3 else rng.choice(PROSE)
            parts.append(s)
            length += len(s) + 1
        notes.append(" ".join(parts))
    return notes


def best_of(runs: int, f: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def row(name: str, texts: Sequence[str], seconds: float, ids: float) -> str:
    mb = sum(len(t.encode()) for t in texts) / 1e6
    return (f"| {name:<38} | {len(texts):>5} | {seconds:>8.3f} | {len(texts) / seconds:>10,.0f} "
            f"| {mb / seconds:>8.2f} | {ids:>7.1f} |")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--notes", type=int, default=2000)
    p.add_argument("--scrubadub-notes", type=int, default=300,
                   help="scrubadub runs on this many of the notes (it is slow)")
    p.add_argument("--runs", type=int, default=3, help="best of this many runs")
    args = p.parse_args()

    import deid

    notes = synthetic_notes(args.notes)
    mb = sum(len(t.encode()) for t in notes) / 1e6
    print(f"corpus: {len(notes)} notes, {mb:.2f} MB, {mb * 1e6 / len(notes):.0f} bytes/note "
          f"(seed 42); {os.cpu_count()} CPUs; deid {deid.__version__}\n")
    header = (f"| {'engine':<38} | {'notes':>5} | {'seconds':>8} | {'notes/s':>10} | {'MB/s':>8} "
              f"| {'ids/note':>7} |")
    lines = [header, "|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|"]

    d = deid.Deidentifier()
    d.redact_batch(notes[:50])  # warm up (page in the automata)
    ids = sum(len(r.replacements) for r in d.redact_batch(notes)) / len(notes)
    t = best_of(args.runs, lambda: d.redact_batch(notes))
    lines.append(row(f"deid redact_batch ({os.cpu_count()} threads)", notes, t, ids))
    t = best_of(args.runs, lambda: d.redact_batch(notes, n_threads=1))
    lines.append(row("deid redact_batch (n_threads=1)", notes, t, ids))
    t = best_of(1, lambda: [d.redact(n) for n in notes])
    lines.append(row("deid redact, one call per note", notes, t, ids))

    try:
        import scrubadub  # type: ignore[import-untyped]
    except ImportError:
        lines.append("| scrubadub: not installed (pip install scrubadub) |")
    else:
        subset = notes[: args.scrubadub_notes]
        scrubadub.clean(subset[0])  # warm up (loads its detectors)
        cleaned: list[str] = []
        t = best_of(1, lambda: cleaned.extend(scrubadub.clean(n) for n in subset))
        ids = sum(c.count("{{") for c in cleaned) / len(subset)
        lines.append(row("scrubadub.clean (defaults, 1 thread)", subset, t, ids))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

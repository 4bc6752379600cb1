"""The golden cases shared with the Rust and CLI harnesses: tests/golden/cases.toml.

Each case is ``annotated = "Seen by [[NAME:Dr. Jane Roe]] on [[DATE:03/14/2021]]."``: the
markup is stripped to get the input and the expected spans. The check is recall: every expected
span must be overlapped by a detected span of the same label. A case without markup is a hard
negative: nothing DIRECT may be detected. On failure the expected and actual annotated strings
are printed one above the other.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import REPO_ROOT

import deid

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

CASES_FILE = REPO_ROOT / "tests" / "golden" / "cases.toml"
MARKUP = re.compile(r"\[\[([A-Z_]+):(.*?)\]\]", re.DOTALL)


@dataclass(frozen=True)
class Expected:
    start: int
    end: int
    label: str


def parse(annotated: str) -> tuple[str, list[Expected]]:
    """Strips ``[[LABEL:text]]`` markup; returns the plain text and the expected spans
    (``str`` offsets into the plain text)."""
    out: list[str] = []
    spans: list[Expected] = []
    pos = 0  # in annotated
    length = 0  # of the plain text so far
    for m in MARKUP.finditer(annotated):
        out.append(annotated[pos : m.start()])
        length += m.start() - pos
        label, inner = m.group(1), m.group(2)
        spans.append(Expected(length, length + len(inner), label))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(annotated[pos:])
    return "".join(out), spans


def annotate(text: str, spans: list[Any]) -> str:
    """The inverse of ``parse``: ``text`` with ``[[LABEL:...]]`` around each span."""
    out, pos = [], 0
    for s in sorted(spans, key=lambda s: s.start):
        out.append(text[pos : s.start])
        out.append(f"[[{s.label}:{text[s.start : s.end]}]]")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def test_parse_round_trip() -> None:
    annotated = "Seen by [[NAME:Dr. Zoë Roe]] on [[DATE:03/14/2021]]."
    text, spans = parse(annotated)
    assert text == "Seen by Dr. Zoë Roe on 03/14/2021."
    assert spans == [Expected(8, 19, "NAME"), Expected(23, 33, "DATE")]
    assert annotate(text, spans) == annotated
    assert parse("No markup here.") == ("No markup here.", [])


def load_cases() -> list[Any]:
    if not CASES_FILE.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CASES_FILE} not found"))]
    with CASES_FILE.open("rb") as f:
        cases = tomllib.load(f).get("case", [])
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "golden case names must be unique"
    return [pytest.param(c, id=c["name"]) for c in cases]


@pytest.mark.parametrize("case", load_cases())
def test_golden(d: deid.Deidentifier, case: dict[str, Any]) -> None:
    text, expected = parse(case["annotated"])
    found = d.scan(text)
    if expected:
        missed = [
            e
            for e in expected
            if not any(s.label == e.label and s.start < e.end and e.start < s.end for s in found)
        ]
        problem = "missed " + ", ".join(
            f"{e.label} {text[e.start : e.end]!r}" for e in missed
        ) if missed else ""
    else:
        direct = [s for s in found if s.kind == "direct"]
        problem = "false positives " + ", ".join(
            f"{s.label} {text[s.start : s.end]!r} ({s.rule})" for s in direct
        ) if direct else ""
    if problem:
        pytest.fail(
            f"{case['name']}: {problem}\n"
            f"  expected: {case['annotated']}\n"
            f"  actual:   {annotate(text, found)}",
            pytrace=False,
        )

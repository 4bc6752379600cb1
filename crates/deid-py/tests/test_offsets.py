"""Offsets on non-ASCII notes: Span.start/end are str indices, byte_start/byte_end UTF-8."""

from __future__ import annotations

import pytest
from conftest import byte_slice

import deid

NOTES = [
    "Client: José Núñez, DOB 4/2/1987, call 617-555-0134.",
    "Séance avec Zoë Łukasiewicz le 03/14/2021 — tél. 617-555-0134.",
    "患者 Dr. Jane Roe 于 03/14/2021 就诊，电话 617-555-0134。",
    "Mood 😀😀 better; seen by Dr. Jane Roe 🙂 on 03/14/2021, email jroe@example.com 🎉.",
    "Decomposed: Jose\u0301 Nu\u0301n\u0303ez was seen on 03/14/2021.",
    "ملاحظة: Seen by Dr. Jane Roe on 03/14/2021 in Boston, MA.",
    "\u00a0\u2003Seen by\u00a0Dr. Jane Roe\u2003on 03/14/2021.\u2028Call 617-555-0134.",
    "𝒮𝓅𝑒𝒸𝒾𝒶𝓁: seen by Dr. Jane Roe on 03/14/2021 at 12 Elm Street, Springfield, IL 62704.",
]


@pytest.mark.parametrize("text", NOTES, ids=range(len(NOTES)))
def test_scan_offsets(d: deid.Deidentifier, text: str) -> None:
    spans = d.scan(text)
    assert spans, "expected at least one identifier"
    for s in spans:
        assert text[s.start : s.end] == byte_slice(text, s.byte_start, s.byte_end)
        assert len(text[: s.start].encode()) == s.byte_start
        assert len(text[: s.end].encode()) == s.byte_end


@pytest.mark.parametrize("text", NOTES, ids=range(len(NOTES)))
@pytest.mark.parametrize("strategy", ["tag", "numbered", "mask"])
def test_redact_offsets(text: str, strategy: str) -> None:
    r = deid.Deidentifier(strategy=strategy).redact(text)
    for s in r.spans:
        assert text[s.start : s.end] == byte_slice(text, s.byte_start, s.byte_end)
    for rep in r.replacements:
        assert r.text[rep.output_start : rep.output_end] == rep.replacement
        assert byte_slice(r.text, rep.output_byte_start, rep.output_byte_end) == rep.replacement


def test_named_identifiers_in_non_ascii(d: deid.Deidentifier) -> None:
    text = NOTES[0]
    found = {(s.label, text[s.start : s.end]) for s in d.scan(text)}
    assert ("NAME", "José Núñez") in found
    assert ("PHONE", "617-555-0134") in found
    text = NOTES[3]
    found = {(s.label, text[s.start : s.end]) for s in d.scan(text)}
    assert ("NAME", "Dr. Jane Roe") in found
    assert ("EMAIL", "jroe@example.com") in found


def test_mask_counts_characters() -> None:
    d = deid.Deidentifier(strategy="mask", categories=["NAME"])
    text = "Client: José Núñez, DOB 4/2/1987."
    assert d.redact(text).text == "Client: **********, DOB 4/2/1987."


def test_lone_surrogate_is_a_value_error(d: deid.Deidentifier) -> None:
    bad = "Seen by Dr. Jane Roe \udc80 on 03/14/2021."
    with pytest.raises(ValueError, match=r"text is not valid Unicode: lone surrogate at index 21") as e:
        d.scan(bad)
    assert "Jane" not in str(e.value)
    with pytest.raises(ValueError, match=r"texts\[1\] is not valid Unicode"):
        d.redact_batch(["fine", bad])

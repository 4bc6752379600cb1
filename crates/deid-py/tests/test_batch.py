"""Batches: the same results as one call at a time, in input order, on any number of threads."""

from __future__ import annotations

import random

import pytest

import deid

FRAGMENTS = [
    "Seen by Dr. Jane Roe on 03/14/2021.",
    "Call 617-555-0134 to reschedule.",
    "Client reports improved sleep and mood.",
    "MRN: 00482913.",
    "Email jroe@example.com with questions.",
    "Her husband Tom drove her to the appointment.",
    "Zoë Łukasiewicz (DOB 4/2/1987) lives in Boston, MA.",
    "PHQ-9 score 14; follow up in two weeks.",
    "",
]


def corpus(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choices(FRAGMENTS, k=rng.randint(0, 8))) for _ in range(n)]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return corpus(300)


def test_redact_batch_equals_sequential(d: deid.Deidentifier, texts: list[str]) -> None:
    sequential = [d.redact(t) for t in texts]
    assert d.redact_batch(texts) == sequential
    for n in (1, 2, 3, 8):
        assert d.redact_batch(texts, n_threads=n) == sequential


def test_scan_batch_equals_sequential(d: deid.Deidentifier, texts: list[str]) -> None:
    sequential = [d.scan(t) for t in texts]
    assert d.scan_batch(texts) == sequential
    assert d.scan_batch(texts, n_threads=2) == sequential


def test_batch_inputs(d: deid.Deidentifier) -> None:
    assert d.redact_batch([]) == []
    assert d.scan_batch(()) == []
    texts = corpus(20, seed=3)
    expected = [d.redact(t).text for t in texts]
    assert [r.text for r in d.redact_batch(tuple(texts))] == expected
    assert [r.text for r in d.redact_batch(t for t in texts)] == expected


def test_record_keys() -> None:
    d = deid.Deidentifier(date_shift_max_days=60, secret="s" * 16)
    texts = ["Seen on 03/14/2021."] * 4
    keys = ["a", "b", "c", "a"]
    batch = d.redact_batch(texts, record_keys=keys)
    assert [r.text for r in batch] == [d.redact(t, record_key=k).text for t, k in zip(texts, keys)]
    assert batch[0].text == batch[3].text
    with pytest.raises(ValueError, match="record_keys has 2 items but texts has 4"):
        d.redact_batch(texts, record_keys=["a", "b"])


def test_bad_batch_arguments(d: deid.Deidentifier) -> None:
    with pytest.raises(ValueError, match="n_threads must be at least 1"):
        d.redact_batch(["x"], n_threads=0)
    with pytest.raises(ValueError, match="n_threads"):
        d.scan_batch(["x"], n_threads=-2)
    with pytest.raises(TypeError, match="not a single str"):
        d.redact_batch("a single note")
    with pytest.raises(TypeError, match=r"texts\[1\] must be str, not int"):
        d.redact_batch(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="texts must be a sequence of str"):
        d.scan_batch(42)  # type: ignore[arg-type]

"""Shared fixtures and helpers of the deid Python tests."""

from __future__ import annotations

import pathlib

import pytest

import deid

#: The repository root (the tests live in crates/deid-py/tests).
REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]

#: A note with one identifier of many kinds, ASCII only.
NOTE = (
    "Seen by Dr. Jane Roe on 03/14/2021. Call 617-555-0134 or write to jroe@example.com.\n"
    "MRN: 00482913. Lives at 12 Elm Street, Springfield, IL 62704."
)


@pytest.fixture(scope="session")
def d() -> deid.Deidentifier:
    """One default Deidentifier for the whole session (they are immutable)."""
    return deid.Deidentifier()


def byte_slice(text: str, start: int, end: int) -> str:
    """The UTF-8 byte range start..end of text, decoded."""
    return text.encode("utf-8")[start:end].decode("utf-8")

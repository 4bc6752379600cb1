"""Shared fixtures and helpers of the deid Python tests."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def deid_cli() -> pathlib.Path:
    """The ``deid`` CLI binary: ``$DEID_CLI`` (scripts/test_python.sh builds it and sets it; a
    missing file there is a failure), else ``target/debug/deid`` of the repository; the test
    is skipped without one."""
    given = os.environ.get("DEID_CLI")
    path = pathlib.Path(given or REPO_ROOT / "target" / "debug" / "deid")
    if not path.is_file():
        if given:
            pytest.fail(f"DEID_CLI={given} is not a file")
        pytest.skip(f"no deid CLI binary at {path} (cargo build -p deid-cli)")
    return path

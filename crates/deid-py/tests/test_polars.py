"""deid.polars (polars is a test dependency: scripts/test_python.sh installs it)."""

from __future__ import annotations

import polars as pl
import pytest

import deid
import deid.polars as dpl


def test_redact_series(d: deid.Deidentifier) -> None:
    s = pl.Series("note", ["Seen by Dr. Jane Roe on 03/14/2021.", None, "Fine."])
    out = dpl.redact_series(s, d)
    assert out.name == "note" and out.dtype == pl.String
    assert out.to_list() == ["Seen by [NAME] on [DATE].", None, "Fine."]
    assert dpl.redact_series(s, strategy="mask", categories=["DATE"]).to_list()[0] == (
        "Seen by Dr. Jane Roe on **********."
    )
    assert dpl.redact_series(pl.Series("empty", [], dtype=pl.String), d).to_list() == []
    with pytest.raises(TypeError, match="String"):
        dpl.redact_series(pl.Series("n", [1, 2]), d)
    with pytest.raises(TypeError, match="not both"):
        dpl.redact_series(s, d, strategy="mask")


def test_record_keys() -> None:
    d = deid.Deidentifier(date_shift_max_days=90, secret="s" * 16)
    s = pl.Series("note", ["Seen 03/14/2021.", "Seen 03/14/2021.", None, "Seen 03/14/2021."])
    keys = pl.Series("pid", [7, 8, None, 7])  # a row without a text needs no key
    out = dpl.redact_series(s, d, record_keys=keys).to_list()
    assert out[0] == out[3] == d.redact("Seen 03/14/2021.", "7").text
    assert out[1] == d.redact("Seen 03/14/2021.", "8").text
    assert out[2] is None
    assert dpl.redact_series(s, d, record_keys=["7", "8", None, "7"]).to_list() == out
    with pytest.raises(ValueError, match="record_keys has 1 items but the series has 4"):
        dpl.redact_series(s, d, record_keys=["x"])


def test_keyed_shift_without_record_keys_is_an_error() -> None:
    d = deid.Deidentifier(date_shift_max_days=90, secret="s" * 16)
    s = pl.Series("note", ["Seen 03/14/2021.", "Seen 03/14/2021."])
    with pytest.raises(deid.ConfigError, match=r"note: no record_keys: pass record_keys=\.\.\."):
        dpl.redact_series(s, d)
    with pytest.raises(deid.ConfigError, match="note: the text at index 1 has no record key"):
        dpl.redact_series(s, d, record_keys=["p1", None])

"""deid.polars (only when polars is installed)."""

from __future__ import annotations

import pytest

import deid

pl = pytest.importorskip("polars")
import deid.polars as dpl  # noqa: E402


def test_redact_series(d: deid.Deidentifier) -> None:
    s = pl.Series("note", ["Seen by Dr. Jane Roe on 03/14/2021.", None, "Fine."])
    out = dpl.redact_series(s, d)
    assert out.name == "note" and out.dtype == pl.String
    assert out.to_list() == ["Seen by [NAME] on [DATE].", None, "Fine."]
    assert dpl.redact_series(s, strategy="mask", categories=["DATE"]).to_list()[0] == (
        "Seen by Dr. Jane Roe on **********."
    )
    with pytest.raises(TypeError, match="String"):
        dpl.redact_series(pl.Series("n", [1, 2]), d)

"""deid.pandas: Series and DataFrame helpers."""

from __future__ import annotations

import json
from typing import Any

import pytest

import deid

pd = pytest.importorskip("pandas")
import deid.pandas as dpd  # noqa: E402

NOTES = [
    "Seen by Dr. Jane Roe on 03/14/2021.",
    None,
    "Call 617-555-0134 to reschedule.",
    float("nan"),
    "Client reports improved sleep.",
    "Client: José Núñez, DOB 4/2/1987.",
]


@pytest.fixture
def series() -> Any:
    return pd.Series(NOTES, index=[10, 11, 12, 13, 14, 15], name="note")


def test_redact_series_keeps_index_name_and_missing(d: deid.Deidentifier, series: Any) -> None:
    out = dpd.redact_series(series, d)
    assert out.name == "note"
    assert list(out.index) == [10, 11, 12, 13, 14, 15]
    assert out.dtype == object
    for text, got in zip(NOTES, out):
        if isinstance(text, str):
            assert got == d.redact(text).text
        else:
            assert pd.isna(got)
    assert out[10] == "Seen by [NAME] on [DATE]."


def test_redact_series_builds_from_options(series: Any) -> None:
    out = dpd.redact_series(series, strategy="mask", categories=["PHONE"], n_threads=2)
    assert out[12] == "Call ************ to reschedule."
    assert out[10] == NOTES[0]


def test_string_dtype_is_kept(d: deid.Deidentifier) -> None:
    s = pd.Series(["Call 617-555-0134.", None], dtype="string", name="n")
    out = dpd.redact_series(s, d)
    assert out.dtype == s.dtype
    assert out[0] == "Call [PHONE]."
    assert out[1] is pd.NA


def test_scan_series(d: deid.Deidentifier, series: Any) -> None:
    out = dpd.scan_series(series, d)
    assert list(out.index) == list(series.index) and out.name == "note"
    assert out[11] is None and out[13] is None
    assert [s.label for s in out[12]] == ["PHONE"]
    assert out[14] == []
    assert out[15] == d.scan(NOTES[5])  # type: ignore[arg-type]


def test_redact_column(d: deid.Deidentifier) -> None:
    df = pd.DataFrame({"id": [1, 2, 3], "note": [NOTES[0], None, NOTES[5]], "x": [1.0, 2.0, 3.0]})
    out = dpd.redact_column(df, "note", d, spans_column="spans")
    assert df["note"][0] == NOTES[0], "input must not change"
    assert list(out.columns) == ["id", "note", "x", "spans"]
    assert out["note"][0] == "Seen by [NAME] on [DATE]."
    assert out["note"][1] is None and out["spans"][1] is None
    spans = json.loads(out["spans"][2])
    assert spans == [s.to_dict() for s in d.scan(NOTES[5])]  # type: ignore[arg-type]
    text = NOTES[5]
    assert [text[s["start"] : s["end"]] for s in spans][0] == "José Núñez"  # type: ignore[index]

    kept = dpd.redact_column(df, "note", d, output_column="clean", spans_column="s",
                             spans_format="spans")
    assert list(kept.columns) == ["id", "note", "x", "clean", "s"]
    assert kept["note"].equals(df["note"])
    assert kept["s"][0] == d.scan(NOTES[0])  # type: ignore[arg-type]


def test_record_keys() -> None:
    d = deid.Deidentifier(date_shift_max_days=90, secret="s" * 16)
    # A missing id makes the column float64: 7.0 is the key "7". A row without a text needs
    # no key.
    df = pd.DataFrame({"pid": [7, 8, 7, None], "note": ["Seen 03/14/2021."] * 3 + [None]})
    out = dpd.redact_column(df, "note", d, record_key_column="pid")
    assert out["note"][0] == out["note"][2] == d.redact("Seen 03/14/2021.", "7").text
    assert out["note"][1] == d.redact("Seen 03/14/2021.", "8").text
    assert out["note"][3] is None
    s = pd.Series(["Seen 03/14/2021."] * 2, index=["a", "b"])
    keys = pd.Series(["k2", "k1"], index=["b", "a"])  # aligned on the index
    got = dpd.redact_series(s, d, record_keys=keys)
    assert got["a"] == d.redact("Seen 03/14/2021.", "k1").text
    with pytest.raises(ValueError, match="record_keys has 1 items"):
        dpd.redact_series(s, d, record_keys=["x"])


def test_keyed_shift_without_record_keys_is_an_error() -> None:
    d = deid.Deidentifier(date_shift_max_days=90, secret="s" * 16)
    df = pd.DataFrame({"pid": ["p1", None], "note": ["Seen 03/14/2021."] * 2}, index=["x", "y"])
    with pytest.raises(deid.ConfigError, match=r"note: no record_key_column: pass record_key_column=\.\.\."):
        dpd.redact_column(df, "note", d)
    with pytest.raises(deid.ConfigError, match=r"note: the text at index 'y' has no record key in record_key_column"):
        dpd.redact_column(df, "note", d, record_key_column="pid")
    with pytest.raises(deid.ConfigError, match=r"no record_keys: pass record_keys=\.\.\."):
        dpd.redact_series(df["note"], d)
    with pytest.raises(deid.ConfigError, match="index 'y' has no record key in record_keys"):
        dpd.redact_series(df["note"], record_keys=["p1", ""], secret="s" * 16, date_shift_max_days=9)
    # Keys are not needed without a keyed shift.
    assert dpd.redact_series(df["note"], date_shift=1).tolist() == ["Seen 03/15/2021."] * 2


def test_errors(d: deid.Deidentifier) -> None:
    s = pd.Series(["fine", 42, "Jane Roe"], index=["a", "b", "c"], name="note")
    with pytest.raises(TypeError, match=r"note: the value at index 'b' is int") as e:
        dpd.redact_series(s, d)
    assert "Jane" not in str(e.value)
    with pytest.raises(TypeError, match="not both"):
        dpd.redact_series(s, d, strategy="mask")
    with pytest.raises(ValueError, match="spans_format"):
        dpd.redact_column(pd.DataFrame({"n": ["x"]}), "n", d, spans_format="xml")  # type: ignore[arg-type]


def test_empty(d: deid.Deidentifier) -> None:
    s = pd.Series([], dtype=object, name="n")
    assert dpd.redact_series(s, d).tolist() == []
    assert dpd.scan_series(s, d).tolist() == []

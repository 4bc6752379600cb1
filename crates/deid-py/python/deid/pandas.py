"""pandas helpers: de-identify a Series or a DataFrame column with one batch call.

Each helper takes either a built ``Deidentifier`` (reuse one for many calls: building compiles
the rules) or the keyword options to build one (``strategy="mask"``, ``categories=[...]``, ...).
The texts are processed in one ``redact_batch``/``scan_batch`` call, on all cores unless
``n_threads`` says otherwise. Missing values (``None``, ``NaN``, ``pd.NA``) stay missing; any
other non-``str`` value is a ``TypeError``.

- ``redact_series(series, record_keys=None)``: a Series of redacted text, same index and name.
- ``scan_series(series)``: a Series of ``list[Span]``.
- ``redact_column(df, column, spans_column=None, record_key_column=None)``: a copy of the
  DataFrame with the column redacted and, optionally, the spans as JSON.

A keyed date shift (``date_shift_max_days``) needs a record (patient) key for every text, as in
``Deidentifier.redact``: pass ``record_keys`` or ``record_key_column``, or get a ``ConfigError``.

Example:
    >>> import pandas as pd
    >>> import deid.pandas
    >>> notes = pd.Series(["Call 617-555-0134.", None, "Seen 03/14/2021."], name="note")
    >>> deid.pandas.redact_series(notes).tolist()
    ['Call [PHONE].', None, 'Seen [DATE].']
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from typing import Any, Literal

import pandas as pd  # type: ignore[import-untyped,unused-ignore]

from deid._deid import Deidentifier, Result, Span
from deid._frames import engine, keys, redact_at

__all__ = ["redact_column", "redact_series", "scan_series", "spans_to_json"]


def _present(series: pd.Series) -> tuple[list[int], list[Any]]:
    """Positions and values of the non-missing entries."""
    values = series.tolist()
    missing = series.isna().tolist()
    positions = [i for i, m in enumerate(missing) if not m]
    return positions, [values[i] for i in positions]


def _name(series: pd.Series) -> str:
    """The series' name for messages (``"series"`` when it has none)."""
    return str(series.name) if series.name is not None else "series"


def _check_str(series: pd.Series, positions: list[int], texts: list[Any]) -> None:
    """A TypeError naming the first non-str value by its index label (not its content)."""
    for i, t in zip(positions, texts):
        if not isinstance(t, str):
            raise TypeError(
                f"{_name(series)}: the value at index {series.index[i]!r} is "
                f"{type(t).__name__}, expected str or a missing value"
            )


def _keys(record_keys: pd.Series | Sequence[Any] | None, series: pd.Series) -> list[str | None] | None:
    if isinstance(record_keys, pd.Series):
        record_keys = list(record_keys.reindex(series.index))
    elif record_keys is not None:
        record_keys = list(record_keys)
    return keys(record_keys, len(series), pd.isna)


def _like(series: pd.Series, values: list[Any]) -> pd.Series:
    """A Series with `values` and the index and name of `series` (and its dtype if string)."""
    out = pd.Series(values, index=series.index, name=series.name, dtype=object)
    if isinstance(series.dtype, pd.StringDtype):
        out = out.astype(series.dtype)
    return out


def spans_to_json(spans: Sequence[Span]) -> str:
    """The spans as a compact JSON array of ``Span.to_dict()`` objects.

    Example:
        >>> import deid, deid.pandas
        >>> spans = deid.Deidentifier().scan("Call 617-555-0134.")
        >>> deid.pandas.spans_to_json(spans)[:40]
        '[{"start":5,"end":17,"byte_start":5,"byt'
    """
    return json.dumps([s.to_dict() for s in spans], separators=(",", ":"), ensure_ascii=False)


def _redact(
    series: pd.Series,
    deidentifier: Deidentifier | None,
    n_threads: int | None,
    record_keys: pd.Series | Sequence[Any] | None,
    options: dict[str, Any],
    key_arg: str,
) -> tuple[list[Any], list[Result | None]]:
    d = engine(deidentifier, options)
    record = _keys(record_keys, series)
    positions, texts = _present(series)
    _check_str(series, positions, texts)
    out: list[Any] = series.tolist()
    per_row = redact_at(d, out, positions, record, series.index, n_threads, key_arg, _name(series))
    return out, per_row


def redact_series(
    series: pd.Series,
    deidentifier: Deidentifier | None = None,
    *,
    n_threads: int | None = None,
    record_keys: pd.Series | Sequence[Any] | None = None,
    **options: Any,
) -> pd.Series:
    """Redacts every text of ``series``; returns a Series with the same index and name.

    Args:
        series: the texts (``object`` or ``string`` dtype); missing values stay missing.
        deidentifier: the engine to use; if ``None`` one is built from ``options``.
        n_threads: limit the number of threads (default: all cores).
        record_keys: one record (patient) key per text, for keyed date shifts; a Series is
            aligned on the index. Other keys are converted with ``str`` (and ``7.0`` to ``"7"``).
            Required with ``date_shift_max_days``: a text without a key is a ``ConfigError``.
        **options: ``Deidentifier`` options (``strategy``, ``categories``, ...).

    Example:
        >>> import pandas as pd
        >>> import deid.pandas
        >>> s = pd.Series({"a": "Dr. Jane Roe called.", "b": "Seen 03/14/2021."}, name="note")
        >>> deid.pandas.redact_series(s, strategy="mask")
        a    ************ called.
        b        Seen **********.
        Name: note, dtype: object
    """
    out, _ = _redact(series, deidentifier, n_threads, record_keys, options, "record_keys")
    return _like(series, out)


def scan_series(
    series: pd.Series,
    deidentifier: Deidentifier | None = None,
    *,
    n_threads: int | None = None,
    **options: Any,
) -> pd.Series:
    """Finds the identifiers in every text; returns a Series of ``list[Span]`` (``None`` where
    the text is missing), with the index and name of ``series``.

    Example:
        >>> import pandas as pd
        >>> import deid.pandas
        >>> s = pd.Series(["Call 617-555-0134.", "Nothing to see."])
        >>> [[x.label for x in spans] for spans in deid.pandas.scan_series(s)]
        [['PHONE'], []]
    """
    d = engine(deidentifier, options)
    positions, texts = _present(series)
    _check_str(series, positions, texts)
    found = d.scan_batch(texts, n_threads=n_threads)
    out: list[Any] = [None] * len(series)
    for i, spans in zip(positions, found):
        out[i] = spans
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


def redact_column(
    df: pd.DataFrame,
    column: Hashable,
    deidentifier: Deidentifier | None = None,
    *,
    output_column: Hashable | None = None,
    spans_column: Hashable | None = None,
    spans_format: Literal["json", "spans"] = "json",
    record_key_column: Hashable | None = None,
    n_threads: int | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Returns a copy of ``df`` with ``column`` redacted.

    Args:
        df: the table.
        column: the column of texts.
        deidentifier: the engine to use; if ``None`` one is built from ``options``.
        output_column: where the redacted text goes (default: replace ``column``).
        spans_column: if given, also add the detected spans (offsets into the original text):
            a JSON array string per row (``spans_to_json``) or, with ``spans_format="spans"``,
            a ``list[Span]``. Missing texts get a missing value.
        spans_format: ``"json"`` or ``"spans"``.
        record_key_column: a column of record (patient) keys for keyed date shifts; required
            with ``date_shift_max_days`` (a text without a key is a ``ConfigError``).
        n_threads: limit the number of threads (default: all cores).
        **options: ``Deidentifier`` options (``strategy``, ``categories``, ...).

    Example:
        >>> import pandas as pd
        >>> import deid.pandas
        >>> df = pd.DataFrame({"id": [1, 2], "note": ["Call 617-555-0134.", "Fine."]})
        >>> out = deid.pandas.redact_column(df, "note", spans_column="spans")
        >>> out["note"].tolist()
        ['Call [PHONE].', 'Fine.']
        >>> import json; [[s["label"] for s in json.loads(j)] for j in out["spans"]]
        [['PHONE'], []]
    """
    if spans_format not in ("json", "spans"):
        raise ValueError(f"spans_format must be 'json' or 'spans', not {spans_format!r}")
    series = df[column]
    keys = df[record_key_column] if record_key_column is not None else None
    out, per_row = _redact(series, deidentifier, n_threads, keys, options, "record_key_column")
    result = df.copy()
    result[column if output_column is None else output_column] = _like(series, out)
    if spans_column is not None:
        spans: list[Any] = [
            None if r is None else (spans_to_json(r.spans) if spans_format == "json" else r.spans)
            for r in per_row
        ]
        result[spans_column] = pd.Series(spans, index=df.index, dtype=object)
    return result

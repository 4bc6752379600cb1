"""polars helpers: de-identify a ``pl.Series`` of text with one batch call.

Like ``deid.pandas``: pass a built ``Deidentifier`` or the options to build one; nulls stay
null; the texts run in one ``redact_batch`` call on all cores unless ``n_threads`` is given.
A keyed date shift (``date_shift_max_days``) needs ``record_keys``, one per text.

Example:
    >>> import polars as pl
    >>> import deid.polars
    >>> deid.polars.redact_series(pl.Series("note", ["Call 617-555-0134.", None])).to_list()
    ['Call [PHONE].', None]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from deid._deid import Deidentifier
from deid._frames import engine, keys, redact_at

__all__ = ["redact_series"]


def redact_series(
    series: pl.Series,
    deidentifier: Deidentifier | None = None,
    *,
    n_threads: int | None = None,
    record_keys: pl.Series | Sequence[Any] | None = None,
    **options: Any,
) -> pl.Series:
    """Redacts every text of a string ``series``; returns a ``pl.String`` Series of the same name.

    Args:
        series: the texts (``pl.String``); nulls stay null.
        deidentifier: the engine to use; if ``None`` one is built from ``options``.
        n_threads: limit the number of threads (default: all cores).
        record_keys: one record (patient) key per text, for keyed date shifts (a Series or a
            sequence, by position; converted with ``str``). Required with
            ``date_shift_max_days``: a text without a key is a ``ConfigError``.
        **options: ``Deidentifier`` options (``strategy``, ``categories``, ...).

    Example:
        >>> import polars as pl
        >>> import deid.polars
        >>> s = pl.Series("note", ["Seen by Dr. Jane Roe.", "Fine."])
        >>> deid.polars.redact_series(s, strategy="numbered").to_list()
        ['Seen by [NAME-1].', 'Fine.']
        >>> shifted = deid.polars.redact_series(
        ...     pl.Series("note", ["Seen 03/14/2021."]), record_keys=["patient-7"],
        ...     secret="k" * 32, date_shift_max_days=30)
        >>> shifted.to_list() != ["Seen 03/14/2021."]
        True
    """
    d = engine(deidentifier, options)
    if series.dtype != pl.String:
        raise TypeError(f"{series.name}: expected a String series, not {series.dtype}")
    values: list[str | None] = series.to_list()
    raw = record_keys.to_list() if isinstance(record_keys, pl.Series) else record_keys
    record = keys(None if raw is None else list(raw), len(values))
    positions = [i for i, v in enumerate(values) if v is not None]
    name = series.name or "series"
    redact_at(d, values, positions, record, range(len(values)), n_threads, "record_keys", name)
    return pl.Series(series.name, values, dtype=pl.String)

"""polars helpers: de-identify a ``pl.Series`` of text with one batch call.

Like ``deid.pandas``: pass a built ``Deidentifier`` or the options to build one; nulls stay
null; the texts run in one ``redact_batch`` call on all cores unless ``n_threads`` is given.

Example:
    >>> import polars as pl
    >>> import deid.polars
    >>> deid.polars.redact_series(pl.Series("note", ["Call 617-555-0134.", None])).to_list()
    ['Call [PHONE].', None]
"""

from __future__ import annotations

from typing import Any

import polars as pl

from deid._deid import Deidentifier

__all__ = ["redact_series"]


def redact_series(
    series: pl.Series,
    deidentifier: Deidentifier | None = None,
    *,
    n_threads: int | None = None,
    **options: Any,
) -> pl.Series:
    """Redacts every text of a string ``series``; returns a ``pl.String`` Series of the same name.

    Example:
        >>> import polars as pl
        >>> import deid.polars
        >>> s = pl.Series("note", ["Seen by Dr. Jane Roe.", "Fine."])
        >>> deid.polars.redact_series(s, strategy="numbered").to_list()
        ['Seen by [NAME-1].', 'Fine.']
    """
    if deidentifier is None:
        deidentifier = Deidentifier(**options)
    elif options:
        raise TypeError("pass either a Deidentifier or the options to build one, not both")
    if series.dtype != pl.String:
        raise TypeError(f"{series.name}: expected a String series, not {series.dtype}")
    values: list[str | None] = series.to_list()
    positions = [i for i, v in enumerate(values) if v is not None]
    texts = [v for v in values if v is not None]
    results = deidentifier.redact_batch(texts, n_threads=n_threads)
    for i, r in zip(positions, results):
        values[i] = r.text
    return pl.Series(series.name, values, dtype=pl.String)

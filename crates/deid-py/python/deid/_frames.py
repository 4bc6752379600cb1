"""What the DataFrame helpers (``deid.pandas``, ``deid.polars``) share: the engine they use,
record keys as strings, the check that a keyed date shift has a key for every text, and one
``redact_batch`` call over the texts that are present."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from deid._deid import _KEY_NEEDED, Deidentifier, Result
from deid._errors import ConfigError

__all__ = ["check_keys", "engine", "key", "keys", "redact_at"]


def engine(deidentifier: Deidentifier | None, options: dict[str, Any]) -> Deidentifier:
    """``deidentifier``, or one built from ``options`` (giving both is a ``TypeError``)."""
    if deidentifier is None:
        return Deidentifier(**options)
    if options:
        raise TypeError(
            "pass either a Deidentifier or the options to build one, not both "
            f"(got {', '.join(sorted(options))})"
        )
    return deidentifier


def key(k: Any) -> str:
    """A record key as a string: ``str(k)``, and ``7.0`` is ``"7"`` (an integer id column with a
    missing value becomes float64 in pandas)."""
    if isinstance(k, float) and k.is_integer():
        return str(int(k))
    return str(k)


def keys(
    raw: Sequence[Any] | None, n: int, missing: Callable[[Any], bool] = lambda k: k is None
) -> list[str | None] | None:
    """One key (or ``None`` where ``missing``) per text of a series of ``n``, as strings."""
    if raw is None:
        return None
    if len(raw) != n:
        raise ValueError(f"record_keys has {len(raw)} items but the series has {n}")
    return [None if missing(k) else key(k) for k in raw]


def check_keys(
    deidentifier: Deidentifier,
    keys: Sequence[str | None] | None,
    positions: Sequence[int],
    labels: Sequence[object],
    arg: str,
    name: str,
) -> None:
    """With a keyed date shift, a ``ConfigError`` unless every text (at ``positions``) has a
    key; the message names the helper's key argument ``arg`` and the row by ``labels[i]``."""
    if not deidentifier.needs_record_key:
        return
    if keys is None:
        raise ConfigError(
            f"{name}: no {arg}: pass {arg}=... (the patient id of each text): {_KEY_NEEDED}"
        )
    for i in positions:
        if keys[i] is None or keys[i] == "":
            raise ConfigError(
                f"{name}: the text at index {labels[i]!r} has no record key in {arg}: "
                f"{_KEY_NEEDED}"
            )


def redact_at(
    deidentifier: Deidentifier,
    values: list[Any],
    positions: Sequence[int],
    keys: Sequence[str | None] | None,
    labels: Sequence[object],
    n_threads: int | None,
    arg: str,
    name: str,
) -> list[Result | None]:
    """Redacts ``values[i]`` for every ``i`` in ``positions`` in place, in one ``redact_batch``
    call (keys checked first, see ``check_keys``); returns each row's ``Result`` (``None`` where
    nothing was redacted)."""
    check_keys(deidentifier, keys, positions, labels, arg, name)
    results = deidentifier.redact_batch(
        [values[i] for i in positions],
        n_threads=n_threads,
        record_keys=None if keys is None else [keys[i] for i in positions],
    )
    per_row: list[Result | None] = [None] * len(values)
    for i, r in zip(positions, results):
        values[i] = r.text
        per_row[i] = r
    return per_row

"""What the DataFrame helpers (``deid.pandas``, ``deid.polars``) share: the engine they use,
record keys as strings, and the check that a keyed date shift has a key for every text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from deid._deid import Deidentifier
from deid._errors import ConfigError

__all__ = ["check_keys", "engine", "key"]

#: Why a keyed date shift refuses a text without a key (the same rule as ``Deidentifier.redact``
#: and the CLI, which refuses a record with no ``--key-field`` value).
_WHY = (
    "date_shift_max_days moves each record by its own keyed offset, and texts without a key "
    "would all share one shift (one known date would undo it)"
)


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


def check_keys(
    deidentifier: Deidentifier,
    keys: Sequence[str | None] | None,
    positions: Sequence[int],
    label: Callable[[int], object],
    arg: str,
    name: str,
) -> None:
    """With a keyed date shift, a ``ConfigError`` unless every text (at ``positions``) has a
    key; the message names the helper's key argument ``arg`` and the row by ``label(i)``."""
    if not deidentifier.needs_record_key:
        return
    if keys is None:
        raise ConfigError(f"{name}: no {arg}: pass {arg}=... (the patient id of each text): {_WHY}")
    for i in positions:
        if keys[i] is None or keys[i] == "":
            raise ConfigError(
                f"{name}: the text at index {label(i)!r} has no record key in {arg}: {_WHY}"
            )

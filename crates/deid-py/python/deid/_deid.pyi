"""Type stubs for the compiled module ``deid._deid`` (checked by ``mypy.stubtest``)."""

import os
from collections.abc import Iterable, Mapping
from typing import Final, Literal, TypeAlias, final

__all__ = ["CATEGORIES", "STRATEGIES", "Deidentifier", "Replacement", "Result", "Span", "__version__"]

__version__: Final[str]
CATEGORIES: Final[tuple[str, ...]]
STRATEGIES: Final[tuple[str, ...]]

_Strategy: TypeAlias = Literal["tag", "numbered", "mask", "surrogate"]
_Kind: TypeAlias = Literal["direct", "quasi"]

@final
class Span:
    """A detected identifier; ``text[span.start:span.end]`` is the identifier."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def byte_start(self) -> int: ...
    @property
    def byte_end(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> _Kind: ...
    @property
    def rule(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    def to_dict(self) -> dict[str, int | str | float]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Replacement:
    """One replacement: the input ``span``, the ``replacement`` text and its output range."""

    @property
    def span(self) -> Span: ...
    @property
    def replacement(self) -> str: ...
    @property
    def output_start(self) -> int: ...
    @property
    def output_end(self) -> int: ...
    @property
    def output_byte_start(self) -> int: ...
    @property
    def output_byte_end(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Result:
    """What ``Deidentifier.redact`` returns."""

    @property
    def text(self) -> str: ...
    @property
    def spans(self) -> list[Span]: ...
    @property
    def replacements(self) -> list[Replacement]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Deidentifier:
    """The de-identification engine; immutable and safe to share across threads."""

    def __new__(
        cls,
        rules_dir: str | os.PathLike[str] | None = None,
        strategy: _Strategy | str = "tag",
        secret: str | bytes | None = None,
        categories: Iterable[str] | None = None,
        allow: Iterable[str] | None = None,
        deny: Mapping[str, str] | Iterable[str | tuple[str, str]] | None = None,
        *,
        years: bool = True,
        redact_quasi: bool = False,
        date_shift: int | None = None,
        date_shift_max_days: int | None = None,
        mask_char: str = "*",
    ) -> Deidentifier: ...
    @property
    def strategy(self) -> _Strategy: ...
    @property
    def redact_quasi(self) -> bool: ...
    def scan(self, text: str) -> list[Span]: ...
    def scan_batch(self, texts: Iterable[str], n_threads: int | None = None) -> list[list[Span]]: ...
    def redact(self, text: str, record_key: str | None = None) -> Result: ...
    def redact_batch(
        self,
        texts: Iterable[str],
        n_threads: int | None = None,
        record_keys: Iterable[str | None] | None = None,
    ) -> list[Result]: ...

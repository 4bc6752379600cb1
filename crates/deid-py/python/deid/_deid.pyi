"""Type stubs for the compiled module ``deid._deid`` (checked by ``mypy.stubtest``)."""

import os
from collections.abc import Iterable, Mapping
from typing import Final, Literal, TypeAlias, final

__all__ = [
    "CATEGORIES",
    "STRATEGIES",
    "Change",
    "Deidentifier",
    "Driver",
    "Replacement",
    "Result",
    "RiskAssessment",
    "Span",
    "Suggestion",
    "Trigger",
    "Vignette",
    "_KEY_NEEDED",
    "__version__",
]

__version__: Final[str]
_KEY_NEEDED: Final[str]
CATEGORIES: Final[tuple[str, ...]]
STRATEGIES: Final[tuple[str, ...]]

_Strategy: TypeAlias = Literal["tag", "numbered", "mask", "surrogate"]
_Kind: TypeAlias = Literal["direct", "quasi"]
_Audience: TypeAlias = Literal["supervision", "teaching", "publication", "research"]
_Level: TypeAlias = Literal["red", "amber", "green"]
_Holder: TypeAlias = Literal["client", "other", "clinician"]

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
class Driver:
    """One attribute of the client and its part in the estimate."""

    @property
    def attribute(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def holder(self) -> _Holder: ...
    @property
    def bits(self) -> float: ...
    @property
    def share(self) -> float: ...
    @property
    def basis(self) -> str: ...
    @property
    def spans(self) -> list[tuple[int, int]]: ...

@final
class Trigger:
    """A hard trigger: a reason for red regardless of the estimate."""

    @property
    def kind(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def spans(self) -> list[tuple[int, int]]: ...

@final
class Suggestion:
    """A suggested generalisation: replace ``text[start:end]`` with ``replacement``."""

    @property
    def attribute(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def replacement(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def lambda_after(self) -> float: ...

@final
class RiskAssessment:
    """What ``Deidentifier.risk`` returns."""

    @property
    def level(self) -> _Level: ...
    @property
    def lambda_(self) -> float: ...
    @property
    def lambda_q(self) -> float: ...
    @property
    def k(self) -> int: ...
    @property
    def audience(self) -> _Audience: ...
    @property
    def population(self) -> int: ...
    @property
    def population_source(self) -> str: ...
    @property
    def country(self) -> str | None: ...
    @property
    def triggers(self) -> list[Trigger]: ...
    @property
    def drivers(self) -> list[Driver]: ...
    @property
    def reasons(self) -> list[str]: ...
    @property
    def suggestions(self) -> list[Suggestion]: ...
    def to_dict(self) -> dict[str, object]: ...

@final
class Change:
    """One change the vignette mode made; offsets index the original text."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> _Kind: ...
    @property
    def label(self) -> str: ...
    @property
    def replacement(self) -> str: ...
    @property
    def reason(self) -> str: ...

@final
class Vignette:
    """What ``Deidentifier.vignette`` returns."""

    @property
    def text(self) -> str: ...
    @property
    def changes(self) -> list[Change]: ...
    @property
    def before(self) -> RiskAssessment: ...
    @property
    def after(self) -> RiskAssessment: ...

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
    @property
    def needs_record_key(self) -> bool: ...
    def scan(self, text: str) -> list[Span]: ...
    def scan_batch(self, texts: Iterable[str], n_threads: int | None = None) -> list[list[Span]]: ...
    def redact(
        self,
        text: str,
        record_key: str | None = None,
        spans: Iterable[Span | Mapping[str, int | str]] | None = None,
    ) -> Result: ...
    def risk(
        self,
        text: str,
        audience: _Audience | str = "supervision",
        population: int | None = None,
        place: str | None = None,
        country: str | None = None,
        keep: list[str] | None = None,
        as_written: bool = False,
    ) -> RiskAssessment: ...
    def vignette(
        self,
        text: str,
        audience: _Audience | str = "supervision",
        population: int | None = None,
        place: str | None = None,
        country: str | None = None,
        keep: list[str] | None = None,
        as_written: bool = False,
    ) -> Vignette: ...
    def redact_batch(
        self,
        texts: Iterable[str],
        n_threads: int | None = None,
        record_keys: Iterable[str | None] | None = None,
    ) -> list[Result]: ...

"""deid finds and removes identifying information from clinical free text.

It detects names, dates, places, organisations, contact details and ID numbers (the HIPAA
Safe Harbor identifiers and more) with rules compiled into a Rust engine, and replaces them
with tags, numbered tags, masks or consistent surrogates. Offsets are Python ``str`` indices.

- ``Deidentifier``: the engine; build it once, share it across threads.
- ``Span``: one detected identifier (``start``, ``end``, ``label``, ``kind``, ``rule``).
- ``Result``: what ``Deidentifier.redact`` returns (``text``, ``spans``, ``replacements``).
- ``Replacement``: one replacement, with its position in the redacted text.
- ``RiskAssessment``: what ``Deidentifier.risk`` returns (``level``, ``lambda_``,
  ``population``, ``triggers``, ``drivers``, ``suggestions``); ``Vignette``: what
  ``Deidentifier.vignette`` returns (``text``, ``changes``, ``before``, ``after``).
- ``DeidError``, ``RuleError``, ``ConfigError``: the exceptions.
- ``deid.pandas``: ``redact_series``, ``scan_series`` and ``redact_column`` for DataFrames;
  ``deid.polars``: ``redact_series`` for polars. Import them explicitly.

deid is not a certification: recall is not perfect, and expert review still matters before a
high-stakes release.

Example:
    >>> import deid
    >>> d = deid.Deidentifier()
    >>> text = "Seen by Dr. Jane Roe on 03/14/2021, call 617-555-0134."
    >>> d.redact(text).text
    'Seen by [NAME] on [DATE], call [PHONE].'
    >>> [(s.label, text[s.start:s.end]) for s in d.scan(text)]
    [('NAME', 'Dr. Jane Roe'), ('DATE', '03/14/2021'), ('PHONE', '617-555-0134')]
"""

from deid._deid import (
    CATEGORIES,
    STRATEGIES,
    Change,
    Deidentifier,
    Driver,
    Replacement,
    Result,
    RiskAssessment,
    Span,
    Suggestion,
    Trigger,
    Vignette,
    __version__,
)
from deid._errors import ConfigError, DeidError, RuleError

__all__ = [
    "CATEGORIES",
    "STRATEGIES",
    "Change",
    "ConfigError",
    "DeidError",
    "Deidentifier",
    "Driver",
    "Replacement",
    "Result",
    "RiskAssessment",
    "RuleError",
    "Span",
    "Suggestion",
    "Trigger",
    "Vignette",
    "__version__",
]

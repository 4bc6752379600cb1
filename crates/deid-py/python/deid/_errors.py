"""The exceptions deid raises.

Every message names files, lines, rule ids, options or positions, and never quotes note text,
so errors can be logged safely.
"""

from __future__ import annotations

__all__ = ["ConfigError", "DeidError", "RuleError"]


class DeidError(Exception):
    """Base class of the errors raised by deid itself.

    Catch it to handle any deid failure; standard errors are raised where they fit (``OSError``
    for unreadable files, ``TypeError`` and ``ValueError`` for bad arguments).

    Example:
        >>> import deid
        >>> try:
        ...     deid.Deidentifier(strategy="surrogate")
        ... except deid.DeidError as e:
        ...     print(type(e).__name__)
        ConfigError
    """

    __module__ = "deid"


class RuleError(DeidError, ValueError):
    """A rule or dictionary file is malformed.

    Attributes:
        path: the file the error is in (``builtin:NAME`` for a built-in file), or ``None``.
        line: the 1-based line of the error, or ``None``.

    Example:
        >>> import deid, pathlib, tempfile
        >>> rules = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (rules / "bad.toml").write_text(
        ...     '[[rule]]\\nid = "x.y"\\ncategory = "NOPE"\\npattern = "x"\\n')
        >>> try:
        ...     deid.Deidentifier(rules_dir=rules)
        ... except deid.RuleError as e:
        ...     print(pathlib.Path(e.path).name, e.line)
        bad.toml 3
    """

    __module__ = "deid"

    path: str | None
    line: int | None

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line

    def __reduce__(self) -> tuple[type[RuleError], tuple[str, str | None, int | None]]:
        return (type(self), (str(self), self.path, self.line))


class ConfigError(DeidError, ValueError):
    """The options contradict each other, e.g. the ``surrogate`` strategy without a ``secret``.

    Example:
        >>> import deid
        >>> try:
        ...     deid.Deidentifier(date_shift_max_days=30)
        ... except ValueError as e:
        ...     print(isinstance(e, deid.ConfigError))
        True
    """

    __module__ = "deid"

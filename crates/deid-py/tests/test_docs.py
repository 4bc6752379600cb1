"""Docstrings: every public class and method has one with an example, and the examples run."""

from __future__ import annotations

import doctest
import importlib
import inspect
from types import ModuleType

import pytest

import deid

MODULES = ["deid", "deid._errors", "deid.pandas", "deid.polars"]

PUBLIC_CLASSES = [deid.Deidentifier, deid.Span, deid.Result, deid.Replacement,
                  deid.DeidError, deid.RuleError, deid.ConfigError]


def public_methods(cls: type) -> list[str]:
    return [
        name
        for name, value in vars(cls).items()
        if not name.startswith("_") and (inspect.isroutine(value))
    ]


@pytest.mark.parametrize("cls", PUBLIC_CLASSES, ids=lambda c: c.__name__)
def test_classes_and_methods_have_examples(cls: type) -> None:
    assert cls.__doc__ and ">>>" in cls.__doc__, f"{cls.__name__} needs a docstring example"
    for name in public_methods(cls):
        doc = getattr(cls, name).__doc__
        assert doc and ">>>" in doc, f"{cls.__name__}.{name} needs a docstring with an example"


@pytest.mark.parametrize("cls", [deid.Deidentifier, deid.Span, deid.Result, deid.Replacement],
                         ids=lambda c: c.__name__)
def test_properties_have_docs(cls: type) -> None:
    for name, value in vars(cls).items():
        if not name.startswith("_") and inspect.isdatadescriptor(value):
            assert value.__doc__, f"{cls.__name__}.{name} needs a docstring"


def test_module_functions_have_examples() -> None:
    import deid.pandas
    import deid.polars

    for mod in (deid, deid.pandas, deid.polars):
        assert mod.__doc__ and ">>>" in mod.__doc__
    for helpers in (deid.pandas, deid.polars):
        for name in helpers.__all__:
            doc = getattr(helpers, name).__doc__
            assert doc and ">>>" in doc, f"{helpers.__name__}.{name} needs an example"


@pytest.mark.parametrize("module_name", MODULES)
def test_doctests(module_name: str) -> None:
    module: ModuleType = importlib.import_module(module_name)
    finder = doctest.DocTestFinder()
    tests = finder.find(module)
    if module_name == "deid":
        # Classes of the extension report module "deid", so they are found here.
        assert sum(len(t.examples) for t in tests) >= 20
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in tests:
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {module_name}"

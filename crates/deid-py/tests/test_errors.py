"""Errors: structured exceptions, standard types where they fit, never note text in messages."""

from __future__ import annotations

import pickle

import pytest

import deid


def test_hierarchy() -> None:
    assert issubclass(deid.DeidError, Exception)
    assert issubclass(deid.RuleError, deid.DeidError)
    assert issubclass(deid.RuleError, ValueError)
    assert issubclass(deid.ConfigError, deid.DeidError)
    assert issubclass(deid.ConfigError, ValueError)


def test_bad_rule_file_has_path_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "patterns" / "clinic.toml"
    bad.parent.mkdir()
    bad.write_text(
        "# a rule with an unknown category\n"
        "[[rule]]\n"
        'id = "clinic.room"\n'
        'category = "ROOM"\n'
        "pattern = '''Room \\d+'''\n"
    )
    with pytest.raises(deid.RuleError) as e:
        deid.Deidentifier(rules_dir=tmp_path)
    assert e.value.path is not None and e.value.path.endswith("clinic.toml")
    assert e.value.line == 4
    assert str(e.value).startswith(f"{e.value.path}:4: ")
    assert isinstance(e.value, ValueError)


def test_toml_syntax_error_has_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "broken.toml").write_text('[[rule]]\nid = "x.y"\ncategory = "NAME\n')
    with pytest.raises(deid.RuleError) as e:
        deid.Deidentifier(rules_dir=tmp_path)
    assert e.value.path is not None and e.value.path.endswith("broken.toml")
    assert e.value.line == 3


def test_bad_regex(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "re.toml").write_text(
        "\n\n[[rule]]\nid = \"x.bad\"\ncategory = \"ID\"\npattern = '''(unclosed'''\n"
    )
    with pytest.raises(deid.RuleError) as e:
        deid.Deidentifier(rules_dir=tmp_path)
    assert e.value.path is not None and e.value.path.endswith("re.toml")
    assert e.value.line is not None and e.value.line >= 3


def test_rule_error_pickles() -> None:
    e = deid.RuleError("f.toml:3: bad", "f.toml", 3)
    back = pickle.loads(pickle.dumps(e))
    assert (type(back), str(back), back.path, back.line) == (deid.RuleError, "f.toml:3: bad", "f.toml", 3)


def test_missing_rules_dir(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nope"
    with pytest.raises(OSError) as e:
        deid.Deidentifier(rules_dir=missing)
    assert isinstance(e.value, FileNotFoundError)
    assert e.value.filename == str(missing)


def test_rules_dir_is_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "rules.toml"
    f.write_text("")
    with pytest.raises(deid.DeidError, match="not a rules directory"):
        deid.Deidentifier(rules_dir=f)


@pytest.mark.parametrize(
    "kwargs",
    [{"strategy": "surrogate"}, {"date_shift_max_days": 30}],
)
def test_secret_required(kwargs: dict[str, object]) -> None:
    with pytest.raises(deid.ConfigError, match="need a secret"):
        deid.Deidentifier(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        deid.Deidentifier(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"strategy": "redact"}, ValueError, "unknown strategy"),
        ({"categories": ["NAME", "PET"]}, ValueError, "unknown category \"PET\""),
        ({"categories": "NAME"}, TypeError, "not a single str"),
        ({"deny": {"Zephyr": "PLACE"}}, ValueError, "unknown category"),
        ({"deny": [3]}, TypeError, "deny"),
        ({"secret": ""}, ValueError, "secret must not be empty"),
        ({"secret": 42}, TypeError, "secret must be str or bytes"),
        ({"mask_char": "**"}, ValueError, "mask_char"),
        ({"date_shift": 3, "date_shift_max_days": 3, "secret": "s" * 16}, ValueError, "not both"),
        ({"date_shift_max_days": 0, "secret": "s" * 16}, ValueError, "date_shift_max_days"),
        ({"rules_dir": 3}, TypeError, "rules_dir"),
        ({"bogus": 1}, TypeError, "bogus"),
    ],
)
def test_bad_options(kwargs: dict[str, object], exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        deid.Deidentifier(**kwargs)  # type: ignore[arg-type]


def test_secret_never_in_messages() -> None:
    with pytest.raises(ValueError) as e:
        deid.Deidentifier(strategy="bogus", secret="hunter2-secret")
    assert "hunter2" not in str(e.value)


def test_argument_type_errors_do_not_quote_text(d: deid.Deidentifier) -> None:
    with pytest.raises(TypeError, match="text must be str, not bytes"):
        d.scan(b"Jane Roe")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="record_key must be str, not int"):
        d.redact("Seen by Dr. Jane Roe.", record_key=5)  # type: ignore[arg-type]

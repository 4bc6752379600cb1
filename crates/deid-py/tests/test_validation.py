"""The Python API validates its options as the ``deid`` CLI validates its flags (the checks live
in deid-core, shared by both), and refuses a keyed date shift without a record key."""

from __future__ import annotations

import json
import pathlib
import subprocess
from dataclasses import dataclass, field
from typing import Any

import pytest

import deid

GOOD_SECRET = "a-secret-of-thirty-two-bytes-ok!"
DATED = "Seen 03/14/2021."


@dataclass
class Bad:
    """One bad setting, as Python options and as CLI flags (``{key}`` is a 32-byte secret
    file; ``files`` are written to the test directory first), and what both messages say."""

    id: str
    python: dict[str, Any]
    cli: list[str]
    match: str
    cli_match: str | None = None
    files: dict[str, str] = field(default_factory=dict)


BAD = [
    Bad("short-secret", {"strategy": "surrogate", "secret": "fifteen-bytes!!"},
        ["--strategy", "surrogate", "--secret-file", "short.txt"],
        "the secret is 15 bytes; at least 16 are needed", files={"short.txt": "fifteen-bytes!!\n"}),
    # A keyed shift of standard input also needs --key (the CLI's record key of stdin).
    Bad("keyed-shift-no-secret", {"date_shift_max_days": 30}, ["--date-shift", "--key", "p1"],
        "need a secret"),
    Bad("keyed-max-0", {"date_shift_max_days": 0, "secret": GOOD_SECRET},
        ["--date-shift", "--key", "p1", "--max-shift-days", "0", "--secret-file", "{key}"],
        "the largest keyed date shift must be between 1 and 36525 days (100 years), not 0"),
    Bad("keyed-max-too-large", {"date_shift_max_days": 36526, "secret": GOOD_SECRET},
        ["--date-shift", "--key", "p1", "--max-shift-days", "36526", "--secret-file", "{key}"],
        "between 1 and 36525 days (100 years), not 36526"),
    Bad("fixed-too-large", {"date_shift": 36526}, ["--date-shift=36526"],
        "a fixed date shift must be within ±36525 days (100 years), not 36526"),
    Bad("fixed-too-small", {"date_shift": -40000}, ["--date-shift=-40000"],
        "within ±36525 days (100 years), not -40000"),
    Bad("unknown-category", {"categories": ["PET"]}, ["--categories", "PET"],
        'unknown category "PET" (known: NAME, DATE, AGE,'),
    # The CLI does not quote a deny file's column (a misplaced tab could make it a name).
    Bad("unknown-deny-category", {"deny": {"Zephyr": "PLACE"}}, ["--deny", "deny.txt"],
        'unknown category "PLACE" (known: NAME,',
        cli_match="deny.txt:1: unknown category in column 2 (known: NAME,",
        files={"deny.txt": "Zephyr\tPLACE\n"}),
    # A deny file cannot hold an empty term (the line is refused where it is read); the API
    # refuses one when the engine is built.
    Bad("empty-deny-term", {"deny": {"  ": "NAME"}}, ["--deny", "deny.txt"],
        "deny term 1 is empty", cli_match="deny.txt:1: empty term",
        files={"deny.txt": "\tNAME\n"}),
]


def run_cli(cli: pathlib.Path, args: list[str], tmp: pathlib.Path, stdin: str = "x\n") -> subprocess.CompletedProcess[str]:
    (tmp / "key.txt").write_text(GOOD_SECRET + "\n")
    args = [a.replace("{key}", "key.txt") for a in args]
    return subprocess.run([str(cli), "redact", *args, "-"], cwd=tmp, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.id)
def test_validation_matches_cli(bad: Bad, deid_cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError) as e:
        deid.Deidentifier(**bad.python)
    assert bad.match in str(e.value)
    for name, content in bad.files.items():
        (tmp_path / name).write_text(content)
    r = run_cli(deid_cli, bad.cli, tmp_path)
    assert r.returncode == 2 and r.stdout == "", (r.returncode, r.stdout, r.stderr)
    assert (bad.cli_match or bad.match) in r.stderr, r.stderr


@pytest.mark.parametrize(
    ("python", "cli", "files"),
    [
        ({"categories": ["phone"]}, ["--categories", "phone"], {}),
        ({"categories": [" Date "]}, ["--categories", " Date "], {}),
        ({"deny": {"Zephyr": "city"}}, ["--deny", "deny.txt"], {"deny.txt": "Zephyr\tcity\n"}),
        ({"date_shift": -36525}, ["--date-shift=-36525"], {}),
        ({"date_shift_max_days": 36525, "secret": GOOD_SECRET},
         ["--date-shift", "--key", "p1", "--max-shift-days", "36525", "--secret-file", "{key}"], {}),
    ],
    ids=["lower-case-category", "mixed-case-category", "lower-case-deny-category",
         "fixed-shift-limit", "keyed-shift-limit"],
)
def test_what_the_cli_accepts_python_accepts(
    python: dict[str, Any], cli: list[str], files: dict[str, str], deid_cli: pathlib.Path,
    tmp_path: pathlib.Path,
) -> None:
    text = "Zephyr called 617-555-0134 on 03/14/2021."
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    r = run_cli(deid_cli, cli, tmp_path, stdin=text)
    assert r.returncode == 0, r.stderr
    d = deid.Deidentifier(**python)
    # The CLI's key of stdin is --key.
    key = "p1" if d.needs_record_key else None
    assert r.stdout == d.redact(text, record_key=key).text


@pytest.mark.parametrize("secret", ["k", b"fifteen-bytes!!", "s" * 15])
@pytest.mark.parametrize("options", [{"strategy": "surrogate"}, {"date_shift_max_days": 30}])
def test_short_secret_refused(secret: str | bytes, options: dict[str, Any]) -> None:
    # A short key can be brute-forced from one known surrogate or date.
    with pytest.raises(deid.ConfigError, match="at least 16 are needed") as e:
        deid.Deidentifier(secret=secret, **options)
    assert "deid keygen" in str(e.value) and "secrets.token_hex(32)" in str(e.value)
    assert "fifteen" not in str(e.value)
    deid.Deidentifier(secret="s" * 16, **options)


@pytest.fixture(scope="module")
def keyed() -> deid.Deidentifier:
    return deid.Deidentifier(secret=GOOD_SECRET, date_shift_max_days=30)


def test_keyed_shift_without_record_key_is_an_error(keyed: deid.Deidentifier) -> None:
    assert keyed.needs_record_key
    for key in (None, ""):
        with pytest.raises(deid.ConfigError, match=r"no record_key: pass record_key=\.\.\.") as e:
            keyed.redact(DATED, record_key=key)
        assert "03/14" not in str(e.value)
    with pytest.raises(deid.ConfigError, match="no record_key"):
        keyed.redact(DATED)
    # Reviewed spans are shifted too, so they need the key as well, and they use it.
    spans = keyed.scan(DATED)
    with pytest.raises(deid.ConfigError, match="no record_key"):
        keyed.redact(DATED, spans=spans)
    assert keyed.redact(DATED, "p1", spans=spans).text == keyed.redact(DATED, "p1").text
    shifted = {keyed.redact(DATED, f"p{i}", spans=spans).text for i in range(8)}
    assert len(shifted) > 1


def test_keyed_shift_batch_without_record_keys_is_an_error(keyed: deid.Deidentifier) -> None:
    texts = [DATED, DATED, DATED]
    with pytest.raises(deid.ConfigError, match=r"no record_keys: pass record_keys=\.\.\."):
        keyed.redact_batch(texts)
    for missing in (None, ""):
        with pytest.raises(deid.ConfigError, match=r"record_keys\[1\] is None or empty"):
            keyed.redact_batch(texts, record_keys=["a", missing, "c"])
    assert keyed.redact_batch([]) == []
    got = keyed.redact_batch(texts, record_keys=["a", "b", "a"])
    assert [r.text for r in got] == [keyed.redact(DATED, k).text for k in "aba"]


def test_other_settings_need_no_record_key() -> None:
    for d in (deid.Deidentifier(), deid.Deidentifier(date_shift=3),
              deid.Deidentifier(strategy="surrogate", secret=GOOD_SECRET)):
        assert not d.needs_record_key
        d.redact(DATED)
        d.redact_batch([DATED], record_keys=[None])


def test_cli_refuses_a_record_without_a_key_too(deid_cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    lines = [{"id": 1, "text": DATED}, {"id": 2, "pid": "p2", "text": DATED}]
    stdin = "".join(json.dumps(x) + "\n" for x in lines)
    r = run_cli(deid_cli, ["--input-format", "jsonl", "--date-shift", "--secret-file", "{key}",
                           "--key-field", "pid"], tmp_path, stdin=stdin)
    assert r.returncode == 1
    assert 'no value in "pid" (the --key-field), the record is not written' in r.stderr
    (written,) = [json.loads(x) for x in r.stdout.splitlines()]
    d = deid.Deidentifier(secret=GOOD_SECRET, date_shift_max_days=365)
    assert written["text"] == d.redact(DATED, record_key="p2").text

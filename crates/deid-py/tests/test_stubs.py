"""The hand-written stubs match the built module (mypy.stubtest) and type-check real use."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import textwrap

import deid


def run(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_typed_package_installed() -> None:
    pkg = pathlib.Path(deid.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "_deid.pyi").exists()
    so = [p.name for p in pkg.iterdir() if p.name.startswith("_deid.") and p.suffix in (".so", ".pyd")]
    assert len(so) == 1 and (".abi3." in so[0] or so[0].endswith(".pyd")), so


def test_stubtest(tmp_path: pathlib.Path) -> None:
    """Checks deid and its submodules, including _deid.pyi against the compiled module."""
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n")
    # Run outside the source tree so the installed package (with its stubs) is checked;
    # deid.polars is checked too (polars is a test dependency).
    r = run("-m", "mypy.stubtest", "deid", "--mypy-config-file", str(config), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Success" in r.stdout, r.stdout


def test_stubs_type_check_usage(tmp_path: pathlib.Path) -> None:
    (tmp_path / "use.py").write_text(textwrap.dedent('''
        from concurrent.futures import ThreadPoolExecutor
        import deid

        d = deid.Deidentifier(strategy="mask", categories=["NAME"], deny={"x": "NAME"})
        spans: list[deid.Span] = d.scan("text")
        starts: list[int] = [s.start for s in spans]
        label: str = spans[0].label
        kind: str = spans[0].kind
        r: deid.Result = d.redact("text", record_key="p1")
        text: str = r.text
        reps: list[deid.Replacement] = r.replacements
        batch: list[deid.Result] = d.redact_batch(["a", "b"], n_threads=2)
        keyed: bool = d.needs_record_key
        many: list[list[deid.Span]] = d.scan_batch(("a", "b"))
        try:
            deid.Deidentifier(rules_dir="rules")
        except deid.RuleError as e:
            where: tuple[str | None, int | None] = (e.path, e.line)
        with ThreadPoolExecutor() as pool:
            results = list(pool.map(d.redact, ["a"]))
        bad = d.scan(3)  # E: wrong argument type
    '''))
    r = run("-m", "mypy", "--strict", "--no-incremental", "use.py", cwd=tmp_path)
    out = r.stdout
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "use.py:22:" in errors[0] and "arg-type" in errors[0], out

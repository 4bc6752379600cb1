"""The public API: construction, scan, redact, the value types and their contracts."""

from __future__ import annotations

import inspect
import pickle

import pytest
from conftest import NOTE

import deid


def test_exports() -> None:
    assert set(deid.__all__) <= set(dir(deid))
    for name in ("Deidentifier", "Span", "Result", "Replacement", "DeidError", "RuleError"):
        assert name in deid.__all__
    assert deid.__version__.count(".") == 2
    assert "NAME" in deid.CATEGORIES and "OCCUPATION" in deid.CATEGORIES
    assert deid.STRATEGIES == ("tag", "numbered", "mask", "surrogate")
    for cls in (deid.Deidentifier, deid.Span, deid.Result, deid.Replacement):
        assert cls.__module__ == "deid"


def test_constructor_signature() -> None:
    sig = inspect.signature(deid.Deidentifier)
    assert list(sig.parameters)[:6] == [
        "rules_dir", "strategy", "secret", "categories", "allow", "deny"
    ]
    assert sig.parameters["strategy"].default == "tag"
    assert sig.parameters["rules_dir"].default is None


def test_scan_spans(d: deid.Deidentifier) -> None:
    spans = d.scan(NOTE)
    labels = [s.label for s in spans]
    for want in ("NAME", "DATE", "PHONE", "EMAIL", "ID", "STREET_ADDRESS", "CITY", "STATE", "ZIP"):
        assert want in labels, (want, labels)
    found = {(s.label, NOTE[s.start : s.end]) for s in spans}
    assert ("NAME", "Dr. Jane Roe") in found
    assert ("PHONE", "617-555-0134") in found
    assert ("EMAIL", "jroe@example.com") in found
    # Sorted, disjoint, valid.
    for a, b in zip(spans, spans[1:]):
        assert a.end <= b.start
    for s in spans:
        assert 0 <= s.start < s.end <= len(NOTE)
        assert s.kind in ("direct", "quasi")
        assert s.label in deid.CATEGORIES
        assert isinstance(s.rule, str) and s.rule
        assert 0.0 <= s.confidence <= 1.0
        assert (s.byte_start, s.byte_end) == (s.start, s.end)  # ASCII text


def test_scan_nothing(d: deid.Deidentifier) -> None:
    assert d.scan("") == []
    assert d.scan("Client reports improved sleep and mood.") == []
    assert d.redact("").text == ""


def test_redact_tag(d: deid.Deidentifier) -> None:
    r = d.redact("Seen by Dr. Jane Roe on 03/14/2021, call 617-555-0134.")
    assert isinstance(r, deid.Result)
    assert r.text == "Seen by [NAME] on [DATE], call [PHONE]."
    assert [s.label for s in r.spans] == ["NAME", "DATE", "PHONE"]
    assert len(r.replacements) == 3
    for rep in r.replacements:
        assert r.text[rep.output_start : rep.output_end] == rep.replacement
        assert rep.replacement == f"[{rep.span.label}]"
        assert rep.span in r.spans


def test_redact_result_contract(d: deid.Deidentifier) -> None:
    r = d.redact(NOTE)
    # Text outside replacements is copied unchanged, in order.
    pos_in, pos_out = 0, 0
    for rep in r.replacements:
        gap = rep.span.start - pos_in
        assert NOTE[pos_in : rep.span.start] == r.text[pos_out : pos_out + gap]
        assert rep.output_start == pos_out + gap
        pos_in, pos_out = rep.span.end, rep.output_end
    assert NOTE[pos_in:] == r.text[pos_out:]
    # Redacting the output again changes nothing.
    assert d.redact(r.text).text == r.text


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("tag", "[NAME] called; [NAME] came with [NAME]."),
        ("numbered", "[NAME-1] called; [NAME-1] came with [NAME-2]."),
        ("mask", "******** called; ******** came with *******."),
    ],
)
def test_strategies(strategy: str, expected: str) -> None:
    d = deid.Deidentifier(strategy=strategy)
    assert d.strategy == strategy
    assert d.redact("Jane Roe called; Jane Roe came with Tom Lee.").text == expected


def test_mask_char() -> None:
    d = deid.Deidentifier(strategy="mask", mask_char="#", categories=["PHONE"])
    assert d.redact("Call 617-555-0134.").text == "Call ############."


def test_surrogate_is_keyed_and_consistent() -> None:
    text = "Seen by Dr. Jane Roe on 03/14/2021, call 617-555-0134."
    a = deid.Deidentifier(strategy="surrogate", secret="k1-sixteen-bytes-or-more")
    b = deid.Deidentifier(strategy="surrogate", secret=b"k1-sixteen-bytes-or-more")
    c = deid.Deidentifier(strategy="surrogate", secret="k2-sixteen-bytes-or-more")
    ra = a.redact(text)
    assert ra.text == b.redact(text).text
    assert "Jane Roe" not in ra.text and "617-555-0134" not in ra.text
    assert ra.text != c.redact(text).text
    assert [s.label for s in ra.spans] == ["NAME", "DATE", "PHONE"]


def test_categories_allow_deny() -> None:
    text = "Seen by Dr. Jane Roe on 03/14/2021 for the quokka program."
    only_dates = deid.Deidentifier(categories=["DATE"])
    assert [s.label for s in only_dates.scan(text)] == ["DATE"]
    allowed = deid.Deidentifier(allow=["Dr. Jane Roe"])
    assert "NAME" not in [s.label for s in allowed.scan(text)]
    assert "quokka" not in {text[s.start : s.end] for s in deid.Deidentifier().scan(text)}
    denied = deid.Deidentifier(deny={"quokka": "ORGANIZATION"})
    assert ("ORGANIZATION", "quokka") in {
        (s.label, text[s.start : s.end]) for s in denied.scan(text)
    }
    for deny in (["Quokka"], [("quokka", "NAME")]):
        spans = deid.Deidentifier(deny=deny).scan(text)
        assert ("NAME", "quokka") in {(s.label, text[s.start : s.end]) for s in spans}


def test_years_option() -> None:
    text = "She moved here in 2019."
    assert [s.label for s in deid.Deidentifier().scan(text)] == ["DATE"]
    assert deid.Deidentifier(years=False).scan(text) == []


def test_redact_quasi() -> None:
    text = "He works as a firefighter and attends a mosque."
    spans = deid.Deidentifier().scan(text)
    quasi = [s for s in spans if s.kind == "quasi"]
    assert quasi, spans
    assert deid.Deidentifier().redact(text).text == text
    d = deid.Deidentifier(redact_quasi=True)
    assert d.redact_quasi is True
    out = d.redact(text).text
    assert out != text
    for s in quasi:
        assert text[s.start : s.end] not in out


def test_date_shift_fixed_and_keyed() -> None:
    text = "Seen on 03/14/2021."
    shifted = deid.Deidentifier(date_shift=10).redact(text).text
    assert shifted == "Seen on 03/24/2021."
    keyed = deid.Deidentifier(date_shift_max_days=30, secret="s" * 16)
    a1 = keyed.redact(text, record_key="patient-1").text
    assert a1 == keyed.redact(text, "patient-1").text
    assert a1 != text
    outs = {keyed.redact(text, record_key=f"p{i}").text for i in range(10)}
    assert len(outs) > 1


def test_span_value_semantics(d: deid.Deidentifier) -> None:
    a = d.scan(NOTE)
    b = d.scan(NOTE)
    assert a == b
    assert hash(a[0]) == hash(b[0])
    assert len(set(a) | set(b)) == len(a)
    assert a[0] != a[1]
    assert a[0] != "not a span"
    dct = a[0].to_dict()
    assert set(dct) == {"start", "end", "byte_start", "byte_end", "label", "kind", "rule", "confidence"}
    assert (dct["start"], dct["end"], dct["label"]) == (a[0].start, a[0].end, a[0].label)
    with pytest.raises(AttributeError):
        a[0].start = 3  # type: ignore[misc]
    r = d.redact(NOTE)
    assert r == d.redact(NOTE)
    assert r.replacements[0] == d.redact(NOTE).replacements[0]


def test_reprs_never_show_text(d: deid.Deidentifier) -> None:
    r = d.redact(NOTE)
    shown = repr(r) + repr(r.spans) + repr(r.replacements) + repr(d)
    for secret_bit in ("Jane", "Roe", "617", "jroe", "Elm", "00482913"):
        assert secret_bit not in shown
    assert repr(d) == "Deidentifier(strategy='tag', redact_quasi=False)"
    assert repr(r.spans[0]).startswith("Span(start=")


def test_accepts_pathlike_rules_dir(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "extra.toml").write_text(
        '[[rule]]\nid = "test.ticket"\ncategory = "ID"\npattern = \'\'\'\\bTKT-\\d{4}\\b\'\'\'\n'
    )
    for rules_dir in (tmp_path, str(tmp_path)):
        d = deid.Deidentifier(rules_dir=rules_dir)
        spans = d.scan("See TKT-1234.")
        assert [(s.label, s.rule) for s in spans] == [("ID", "test.ticket")]


def test_not_picklable(d: deid.Deidentifier) -> None:
    # A Deidentifier may hold a secret: it is rebuilt where it is needed, never pickled.
    with pytest.raises(TypeError):
        pickle.dumps(d)


def test_distribution_is_deid_notes_not_the_dicom_deid():
    """The PyPI name `deid` belongs to an unrelated DICOM tool: ours is `deid-notes`."""
    import importlib.metadata

    dist = importlib.metadata.distribution("deid-notes")
    assert dist.version == deid.__version__
    files = [str(f) for f in dist.files or []]
    assert any(f.startswith("deid/") for f in files), "the import name stays deid"

"""Deidentifier.risk and Deidentifier.vignette: typed results, str offsets, validation."""

from __future__ import annotations

import pytest

import deid

PHARMACIST = (
    "She is a 34-year-old Deaf pharmacist whose twin brother died in the 2019 mill fire."
)


@pytest.fixture(scope="module")
def d() -> deid.Deidentifier:
    return deid.Deidentifier()


def test_running_example_is_red_with_drivers_and_a_trigger(d: deid.Deidentifier) -> None:
    a = d.risk(PHARMACIST, population=8000)
    assert isinstance(a, deid.RiskAssessment)
    assert a.level == "red" and a.population == 8000 and a.k == 5
    assert a.lambda_ < 1 and a.lambda_q <= a.lambda_
    attrs = {x.attribute for x in a.drivers}
    assert {"age", "condition", "occupation", "family"} <= attrs
    assert any(t.kind == "dated_event" for t in a.triggers)
    for drv in a.drivers:
        for s, e in drv.spans:
            assert 0 <= s < e <= len(PHARMACIST)
    assert a.suggestions and all(0 <= g.start < g.end <= len(PHARMACIST) for g in a.suggestions)
    as_dict = a.to_dict()
    assert as_dict["level"] == "red" and as_dict["population"]["value"] == 8000


def test_generic_text_in_a_city_is_green(d: deid.Deidentifier) -> None:
    a = d.risk("A woman in her forties who works in an office; two children.", population=600_000)
    assert a.level == "green"


def test_offsets_are_str_indices_with_non_ascii_text(d: deid.Deidentifier) -> None:
    text = "Kōrero: she is a Māori kuia of ninety-one, the only weaver in the village."
    a = d.risk(text)
    for drv in a.drivers:
        for s, e in drv.spans:
            assert text[s:e].strip() == text[s:e] and e <= len(text)
    ages = [drv for drv in a.drivers if drv.attribute == "age"]
    assert ages and text[ages[0].spans[0][0] : ages[0].spans[0][1]] == "ninety-one"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"audience": "everyone"},
        {"population": 0},
        {"country": "FR"},
        {"keep": ["shoe size"]},
    ],
)
def test_bad_options_are_value_errors(d: deid.Deidentifier, kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        d.risk("text", **kwargs)  # type: ignore[arg-type]


def test_place_sets_the_population(d: deid.Deidentifier) -> None:
    a = d.risk("A teacher in her forties.", place="Tillamook, OR")
    assert a.population == 4997 and "Tillamook" in a.population_source


def test_vignette_rewrites_and_reports(d: deid.Deidentifier) -> None:
    text = "Maria Lopez is a 34-year-old Deaf pharmacist. Her brother Tom calls daily."
    v = d.vignette(text, population=8000)
    assert isinstance(v, deid.Vignette)
    assert "Maria" not in v.text and "Tom" not in v.text
    assert v.before.level == "red"
    assert v.after.lambda_ >= v.before.lambda_
    kinds = {c.kind for c in v.changes}
    assert "direct" in kinds
    for c in v.changes:
        assert 0 <= c.start < c.end <= len(text)


def test_keep_is_respected(d: deid.Deidentifier) -> None:
    text = "She is a 41-year-old Deaf veterinarian in a village of 900 people."
    a = d.risk(text, keep=["condition"])
    assert not a.suggestions or a.suggestions[0].attribute != "condition"


def test_redact_applies_a_reviewed_span_list(d: deid.Deidentifier) -> None:
    text = "Seen by Jane Roe in Ennis with her dog Biscuit."
    found = d.scan(text)
    kept = [s for s in found if text[s.start : s.end] != "Ennis"]
    added = {"start": text.index("Biscuit"), "end": text.index("Biscuit") + 7, "label": "NAME"}
    out = d.redact(text, spans=[*kept, added])
    assert "Ennis" in out.text and "Biscuit" not in out.text and "Jane Roe" not in out.text
    with pytest.raises(ValueError, match=r"spans\[0\]"):
        d.redact(text, spans=[{"start": 5, "end": 999, "label": "NAME"}])
    with pytest.raises(ValueError, match=r"spans\[0\]"):
        d.redact(text, spans=[{"start": 0, "end": 4, "label": "SHOE"}])

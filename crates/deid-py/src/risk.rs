//! `Deidentifier.risk` and `Deidentifier.vignette` results: `RiskAssessment`, `Driver`,
//! `Trigger`, `Suggestion`, `Vignette` and `Change`. Offsets are Python `str` indices.

use deid_core::risk::{Assessment, Audience, RiskOptions, Slot};
use deid_core::OffsetMap;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Options from Python keyword arguments.
pub(crate) fn options(
    audience: &str,
    population: Option<i64>,
    place: Option<String>,
    country: Option<String>,
    keep: Option<Vec<String>>,
    as_written: bool,
) -> PyResult<RiskOptions> {
    let audience: Audience = audience.parse().map_err(|_| {
        PyValueError::new_err(format!(
            "unknown audience {audience:?} (known: supervision, teaching, publication, research)"
        ))
    })?;
    let population = match population {
        Some(n) if n < 1 => return Err(PyValueError::new_err("population must be at least 1")),
        Some(n) => Some(n as u64),
        None => None,
    };
    let country = country
        .map(|c| {
            deid_core::risk::country_code(&c).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "unknown country {c:?} (known: US, UK, IE, CA, AU, NZ)"
                ))
            })
        })
        .transpose()?;
    let mut slots = Vec::new();
    for k in keep.unwrap_or_default() {
        let s: Slot = k.parse().map_err(|_| {
            let known: Vec<&str> = Slot::ALL.iter().map(|s| s.as_str()).collect();
            PyValueError::new_err(format!("unknown slot {k:?} (known: {})", known.join(", ")))
        })?;
        slots.push(s);
    }
    Ok(RiskOptions {
        audience,
        population,
        place,
        country,
        keep: slots,
        as_written,
    })
}

fn ranges(map: &OffsetMap, r: &[(usize, usize)]) -> Vec<(usize, usize)> {
    r.iter()
        .map(|&(s, e)| (map.char_offset(s), map.char_offset(e)))
        .collect()
}

/// One attribute of the client (or an anchor of a relative) and its part in the estimate.
#[pyclass(frozen, module = "deid", name = "Driver")]
#[derive(Clone, Debug)]
pub struct Driver {
    /// The slot: ``"age"``, ``"occupation"``, ``"condition"``, ...
    #[pyo3(get)]
    pub attribute: &'static str,
    /// The normalised value (``"34"``, ``"Deaf or hard of hearing"``).
    #[pyo3(get)]
    pub value: String,
    /// ``"client"``, ``"other"`` or ``"clinician"``.
    #[pyo3(get)]
    pub holder: &'static str,
    /// Bits of identity it contributes (−log₂ of its effective share).
    #[pyo3(get)]
    pub bits: f64,
    /// Its effective share of the population.
    #[pyo3(get)]
    pub share: f64,
    /// Where the share comes from.
    #[pyo3(get)]
    pub basis: String,
    /// ``(start, end)`` ``str`` ranges of its mentions.
    #[pyo3(get)]
    pub spans: Vec<(usize, usize)>,
}

#[pymethods]
impl Driver {
    fn __repr__(&self) -> String {
        format!(
            "Driver(attribute={:?}, holder={:?}, bits={:.1})",
            self.attribute, self.holder, self.bits
        )
    }
}

/// A hard trigger: a reason for red regardless of the estimate.
#[pyclass(frozen, module = "deid", name = "Trigger")]
#[derive(Clone, Debug)]
pub struct Trigger {
    /// ``"uniqueness"``, ``"dated_event"``, ``"age_90_plus"``, ...
    #[pyo3(get)]
    pub kind: &'static str,
    /// In plain words.
    #[pyo3(get)]
    pub reason: String,
    /// ``(start, end)`` ``str`` ranges involved.
    #[pyo3(get)]
    pub spans: Vec<(usize, usize)>,
}

#[pymethods]
impl Trigger {
    fn __repr__(&self) -> String {
        format!("Trigger(kind={:?})", self.kind)
    }
}

/// A suggested generalisation: replace ``text[start:end]`` with ``replacement``.
#[pyclass(frozen, module = "deid", name = "Suggestion")]
#[derive(Clone, Debug)]
pub struct Suggestion {
    /// The slot generalised.
    #[pyo3(get)]
    pub attribute: &'static str,
    /// Start (``str`` index) of the text to replace.
    #[pyo3(get)]
    pub start: usize,
    /// End (exclusive).
    #[pyo3(get)]
    pub end: usize,
    /// The replacement (``""`` leaves the detail out).
    #[pyo3(get)]
    pub replacement: String,
    /// Why, in plain words.
    #[pyo3(get)]
    pub reason: String,
    /// The estimate after this and every earlier suggestion.
    #[pyo3(get)]
    pub lambda_after: f64,
}

#[pymethods]
impl Suggestion {
    fn __repr__(&self) -> String {
        format!(
            "Suggestion(attribute={:?}, start={}, end={})",
            self.attribute, self.start, self.end
        )
    }
}

/// What ``Deidentifier.risk`` returns: the re-identification risk of what remains once the
/// direct identifiers are removed, for an audience and a community.
///
/// ``level`` is ``"red"`` (likely identifiable, or a hard trigger fired), ``"amber"`` (fewer
/// than ``k - 1`` others match on the cautious estimate) or ``"green"``. ``lambda_`` is the
/// expected number of *other* people in the community matching what the text says about the
/// client; ``lambda_q`` its cautious (20 %) quantile. It supports a clinician's judgement; it
/// is not a HIPAA Expert Determination.
///
/// Example:
///     >>> import deid
///     >>> a = deid.Deidentifier().risk(
///     ...     "She is a 34-year-old Deaf pharmacist whose twin brother died in the 2019 mill fire.",
///     ...     population=8000)
///     >>> a.level, a.population
///     ('red', 8000)
///     >>> sorted({d.attribute for d in a.drivers} & {"age", "condition", "occupation"})
///     ['age', 'condition', 'occupation']
#[pyclass(frozen, module = "deid", name = "RiskAssessment")]
#[derive(Clone, Debug)]
pub struct RiskAssessment {
    /// ``"red"``, ``"amber"`` or ``"green"``.
    #[pyo3(get)]
    pub level: &'static str,
    /// Expected number of other people in the community who match (λ).
    #[pyo3(get)]
    pub lambda_: f64,
    /// The cautious quantile of λ that decisions use.
    #[pyo3(get)]
    pub lambda_q: f64,
    /// The audience's k.
    #[pyo3(get)]
    pub k: u32,
    /// ``"supervision"``, ``"teaching"``, ``"publication"`` or ``"research"``.
    #[pyo3(get)]
    pub audience: &'static str,
    /// The size of the reference community.
    #[pyo3(get)]
    pub population: u64,
    /// Where that size came from, in words.
    #[pyo3(get)]
    pub population_source: String,
    /// The country whose base rates were used (``None``: the US tables).
    #[pyo3(get)]
    pub country: Option<String>,
    /// Hard triggers that fired.
    #[pyo3(get)]
    pub triggers: Vec<Trigger>,
    /// The client's attributes, most identifying first.
    #[pyo3(get)]
    pub drivers: Vec<Driver>,
    /// The verdict in plain words.
    #[pyo3(get)]
    pub reasons: Vec<String>,
    /// Generalisations that bring the text to the audience's k, in order.
    #[pyo3(get)]
    pub suggestions: Vec<Suggestion>,
}

impl RiskAssessment {
    pub(crate) fn new(text: &str, a: &Assessment) -> RiskAssessment {
        let map = OffsetMap::new(text);
        RiskAssessment {
            level: a.level.as_str(),
            lambda_: a.lambda,
            lambda_q: a.lambda_q,
            k: a.k,
            audience: a.audience.as_str(),
            population: a.population.value,
            population_source: a.population.source.clone(),
            country: a.country.clone(),
            triggers: a
                .triggers
                .iter()
                .map(|t| Trigger {
                    kind: t.kind,
                    reason: t.reason.clone(),
                    spans: ranges(&map, &t.spans),
                })
                .collect(),
            drivers: a
                .drivers
                .iter()
                .map(|d| Driver {
                    attribute: d.attribute.as_str(),
                    value: d.value.clone(),
                    holder: d.holder.as_str(),
                    bits: d.bits,
                    share: d.share,
                    basis: d.basis.clone(),
                    spans: ranges(&map, &d.spans),
                })
                .collect(),
            reasons: a.reasons.clone(),
            suggestions: a
                .suggestions
                .iter()
                .map(|s| Suggestion {
                    attribute: s.attribute.as_str(),
                    start: map.char_offset(s.start),
                    end: map.char_offset(s.end),
                    replacement: s.replacement.clone(),
                    reason: s.reason.clone(),
                    lambda_after: s.lambda_after,
                })
                .collect(),
        }
    }
}

#[pymethods]
impl RiskAssessment {
    /// A plain ``dict`` with the fields of ``deid risk --json`` (``lambda`` spelled so).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("level", self.level)?;
        d.set_item("lambda", self.lambda_)?;
        d.set_item("lambda_q", self.lambda_q)?;
        d.set_item("k", self.k)?;
        d.set_item("audience", self.audience)?;
        let pop = PyDict::new(py);
        pop.set_item("value", self.population)?;
        pop.set_item("source", &self.population_source)?;
        d.set_item("population", pop)?;
        let triggers = PyList::empty(py);
        for t in &self.triggers {
            let x = PyDict::new(py);
            x.set_item("kind", t.kind)?;
            x.set_item("reason", &t.reason)?;
            x.set_item("spans", t.spans.clone())?;
            triggers.append(x)?;
        }
        d.set_item("triggers", triggers)?;
        let drivers = PyList::empty(py);
        for r in &self.drivers {
            let x = PyDict::new(py);
            x.set_item("attribute", r.attribute)?;
            x.set_item("value", &r.value)?;
            x.set_item("holder", r.holder)?;
            x.set_item("bits", r.bits)?;
            x.set_item("spans", r.spans.clone())?;
            drivers.append(x)?;
        }
        d.set_item("drivers", drivers)?;
        d.set_item("reasons", self.reasons.clone())?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "RiskAssessment(level={:?}, lambda_={:.3}, population={}, audience={:?})",
            self.level, self.lambda_, self.population, self.audience
        )
    }
}

/// One change the vignette mode made (``start``/``end`` index the *original* text).
#[pyclass(frozen, module = "deid", name = "Change")]
#[derive(Clone, Debug)]
pub struct Change {
    /// Start (``str`` index) in the original text.
    #[pyo3(get)]
    pub start: usize,
    /// End (exclusive).
    #[pyo3(get)]
    pub end: usize,
    /// ``"direct"`` (an identifier replaced) or ``"quasi"`` (a detail generalised).
    #[pyo3(get)]
    pub kind: &'static str,
    /// The category (``"NAME"``) or slot (``"age"``).
    #[pyo3(get)]
    pub label: String,
    /// What replaced it.
    #[pyo3(get)]
    pub replacement: String,
    /// Why, in plain words.
    #[pyo3(get)]
    pub reason: String,
}

#[pymethods]
impl Change {
    fn __repr__(&self) -> String {
        format!(
            "Change(kind={:?}, label={:?}, start={}, end={})",
            self.kind, self.label, self.start, self.end
        )
    }
}

/// What ``Deidentifier.vignette`` returns: the rewritten ``text``, every change, and the risk
/// ``before`` (of the original, direct identifiers assumed removed) and ``after``.
///
/// Example:
///     >>> import deid
///     >>> v = deid.Deidentifier().vignette(
///     ...     "Maria Lopez is a 34-year-old Deaf pharmacist in a town of 8,000.")
///     >>> "Maria" in v.text, v.before.level
///     (False, 'red')
#[pyclass(frozen, module = "deid", name = "Vignette")]
#[derive(Clone, Debug)]
pub struct Vignette {
    /// The rewritten text.
    #[pyo3(get)]
    pub text: String,
    /// Every change, in text order.
    #[pyo3(get)]
    pub changes: Vec<Change>,
    /// The assessment of the original text.
    #[pyo3(get)]
    pub before: RiskAssessment,
    /// The assessment of the rewritten text (offsets index ``text``).
    #[pyo3(get)]
    pub after: RiskAssessment,
}

impl Vignette {
    pub(crate) fn new(input: &str, v: &deid_core::risk::Vignette) -> Vignette {
        let map = OffsetMap::new(input);
        Vignette {
            text: v.text.clone(),
            changes: v
                .changes
                .iter()
                .map(|c| Change {
                    start: map.char_offset(c.start),
                    end: map.char_offset(c.end),
                    kind: c.kind,
                    label: c.label.clone(),
                    replacement: c.replacement.clone(),
                    reason: c.reason.clone(),
                })
                .collect(),
            before: RiskAssessment::new(input, &v.before),
            after: RiskAssessment::new(&v.text, &v.after),
        }
    }
}

#[pymethods]
impl Vignette {
    fn __repr__(&self) -> String {
        format!(
            "Vignette(changes={}, before={:?}, after={:?})",
            self.changes.len(),
            self.before.level,
            self.after.level
        )
    }
}

//! `deid.Deidentifier`: a frozen wrapper around an `Arc<deid_core::Deidentifier>`.
//!
//! The core engine is immutable and `Send + Sync`, so one object can be shared by any number of
//! Python threads. Every method converts its arguments, releases the interpreter while the
//! Rust work runs (`py.detach`), and converts the result back.

use crate::errors::{config_error, to_pyerr, value_error};
use crate::options::{self, Options};
use crate::result::{Redacted, Span};
use crate::risk::{RiskAssessment, Vignette};
use crate::texts;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// The de-identification engine: detects identifiers in clinical text and redacts them.
///
/// Build it once (this compiles the rules) and reuse it: it is immutable, thread-safe, and
/// every method releases the interpreter lock while it works, so one ``Deidentifier`` can be
/// shared by many threads. Batches run on all cores and return results in input order.
///
/// Args:
///     rules_dir: a directory of extra rules (``patterns/*.toml``, ``dictionaries.toml``,
///         ``names.toml``) that extend and override the built-in ones by id.
///     strategy: how identifiers are replaced: ``"tag"`` (``[NAME]``), ``"numbered"``
///         (``[NAME-1]``, consistent within a text), ``"mask"`` (``****``) or ``"surrogate"``
///         (realistic fake values chosen by a keyed hash; needs ``secret``).
///     secret: the key (``str`` or ``bytes``) for surrogates and keyed date shifts.
///     categories: only detect these categories (labels from ``deid.CATEGORIES``).
///     allow: terms never flagged (case-insensitive, whole span).
///     deny: terms always flagged: a mapping ``term -> category``, or a sequence of terms
///         (flagged as ``NAME``) or ``(term, category)`` pairs.
///     years: whether a bare year ("in 2019") counts as a ``DATE``.
///     redact_quasi: also replace quasi-identifiers (occupation, religion, ...), which are
///         otherwise only reported in ``Result.spans``.
///     date_shift: shift every date by this many days instead of replacing it.
///     date_shift_max_days: shift dates by a keyed per-record offset in
///         ``[-max, max]`` days (never 0); needs ``secret`` and ``record_key``.
///     mask_char: the fill character of the ``"mask"`` strategy.
///
/// Raises:
///     RuleError: a rule file in ``rules_dir`` is malformed (has ``path`` and ``line``).
///     OSError: ``rules_dir`` cannot be read (``FileNotFoundError`` if it does not exist).
///     ConfigError: the options contradict each other (``surrogate`` without a secret).
///     ValueError: an unknown strategy or category, or a bad ``mask_char``.
///
/// Example:
///     >>> import deid
///     >>> d = deid.Deidentifier()
///     >>> d.redact("Seen by Dr. Jane Roe on 03/14/2021, call 617-555-0134.").text
///     'Seen by [NAME] on [DATE], call [PHONE].'
///     >>> deid.Deidentifier(strategy="mask", categories=["PHONE"]).redact(
///     ...     "Call 617-555-0134.").text
///     'Call ************.'
#[pyclass(frozen, module = "deid", name = "Deidentifier")]
pub struct Deidentifier {
    inner: Arc<deid_core::Deidentifier>,
}

/// Runs `f` on a rayon pool of `n_threads` threads, or on the global pool (all cores).
fn on_threads<T: Send>(n_threads: Option<i64>, f: impl FnOnce() -> T + Send) -> PyResult<T> {
    match n_threads {
        None => Ok(f()),
        Some(n) if n < 1 => Err(value_error("n_threads must be at least 1")),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(usize::try_from(n).unwrap_or(usize::MAX))
                .thread_name(|i| format!("deid-{i}"))
                .build()
                .map_err(|e| {
                    pyo3::exceptions::PyRuntimeError::new_err(format!(
                        "cannot start {n} threads: {e}"
                    ))
                })?;
            Ok(pool.install(f))
        }
    }
}

/// Why a keyed date shift refuses a text without a record key (after "no record_key: " and
/// the like). The CLI never lacks one: its key is the --key-field (a record without a value
/// there is an error), else the record id or the file's path.
pub(crate) const KEY_NEEDED: &str =
    "date_shift_max_days moves each record by its own keyed offset, and \
     texts without a key would all share one shift (one known date would undo it); a text \
     without a key is refused, never given a shared one";

/// The record key of one text: `None` and `""` are no key (as the CLI's --key-field treats an
/// empty value), which a keyed date shift refuses with a `ConfigError` naming `what`.
fn record_key<'k>(
    py: Python<'_>,
    engine: &deid_core::Deidentifier,
    key: Option<&'k str>,
    what: impl FnOnce() -> String,
) -> PyResult<Option<&'k str>> {
    let key = key.filter(|k| !k.is_empty());
    if key.is_none() && engine.needs_record_key() {
        return Err(config_error(py, &format!("{}: {KEY_NEEDED}", what())));
    }
    Ok(key)
}

#[pymethods]
impl Deidentifier {
    #[new]
    #[pyo3(signature = (
        rules_dir=None, strategy="tag", secret=None, categories=None, allow=None, deny=None,
        *, years=true, redact_quasi=false, date_shift=None, date_shift_max_days=None,
        mask_char="*",
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        rules_dir: Option<PathBuf>,
        strategy: &str,
        secret: Option<&Bound<'_, PyAny>>,
        categories: Option<&Bound<'_, PyAny>>,
        allow: Option<&Bound<'_, PyAny>>,
        deny: Option<&Bound<'_, PyAny>>,
        years: bool,
        redact_quasi: bool,
        date_shift: Option<i64>,
        date_shift_max_days: Option<i64>,
        mask_char: &str,
    ) -> PyResult<Self> {
        let opts = Options {
            rules_dir,
            strategy: options::strategy(strategy)?,
            secret: secret.map(options::secret).transpose()?,
            categories: categories.map(options::categories).transpose()?,
            allow: allow.map(options::allow).transpose()?.unwrap_or_default(),
            deny: deny.map(options::deny).transpose()?.unwrap_or_default(),
            years,
            redact_quasi,
            date_shift: options::date_shift(py, date_shift, date_shift_max_days)?,
            mask_char: options::mask_char(mask_char)?,
        };
        // The core checks this too; the message here speaks Python rather than CLI flags.
        let keyed_shift = matches!(opts.date_shift, Some(deid_core::DateShift::Keyed { .. }));
        if opts.secret.is_none() && (opts.strategy == deid_core::Strategy::Surrogate || keyed_shift)
        {
            return Err(config_error(
                py,
                "strategy='surrogate' and date_shift_max_days need a secret (pass secret=...)",
            ));
        }
        let builder = opts.builder();
        let built = py.detach(move || builder.build());
        match built {
            Ok(inner) => Ok(Deidentifier {
                inner: Arc::new(inner),
            }),
            Err(e) => Err(to_pyerr(py, &e)),
        }
    }

    /// Finds the identifiers in ``text``: sorted, non-overlapping spans (direct and quasi).
    ///
    /// Example:
    ///     >>> import deid
    ///     >>> text = "Seen by Dr. Jane Roe on 03/14/2021."
    ///     >>> [(s.label, text[s.start:s.end]) for s in deid.Deidentifier().scan(text)]
    ///     [('NAME', 'Dr. Jane Roe'), ('DATE', '03/14/2021')]
    fn scan(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Vec<Span>> {
        let text = texts::text(text, &|| "text".to_owned())?;
        let inner = &self.inner;
        Ok(py.detach(|| Span::all(&text, &inner.detect(&text))))
    }

    /// ``scan`` over many texts on all cores (or ``n_threads``); results in input order.
    ///
    /// Example:
    ///     >>> import deid
    ///     >>> d = deid.Deidentifier()
    ///     >>> [[s.label for s in spans] for spans in d.scan_batch(
    ///     ...     ["Call 617-555-0134.", "No identifiers here."])]
    ///     [['PHONE'], []]
    #[pyo3(signature = (texts, n_threads=None))]
    fn scan_batch(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        n_threads: Option<i64>,
    ) -> PyResult<Vec<Vec<Span>>> {
        let texts = texts::texts(texts, "texts")?;
        let inner = &self.inner;
        py.detach(|| {
            on_threads(n_threads, || {
                texts
                    .par_iter()
                    .map(|t| Span::all(t, &inner.detect(t)))
                    .collect()
            })
        })
    }

    /// Detects and replaces identifiers in ``text`` with the configured strategy.
    ///
    /// ``record_key`` identifies the record (patient) the text belongs to, so that keyed date
    /// shifts and surrogate dates move every text of one record by the same number of days.
    /// With ``date_shift_max_days`` it is required (as the CLI requires a key for every
    /// record): without it, every text would share one shift, so a missing or empty
    /// ``record_key`` raises ``ConfigError``.
    ///
    /// Example:
    ///     >>> import deid
    ///     >>> result = deid.Deidentifier(strategy="numbered").redact(
    ///     ...     "Jane Roe called. Jane Roe came in later with Tom Lee.")
    ///     >>> result.text
    ///     '[NAME-1] called. [NAME-1] came in later with [NAME-2].'
    ///     >>> [s.label for s in result.spans]
    ///     ['NAME', 'NAME', 'NAME']
    ///
    /// With ``spans`` (a reviewed list: ``Span`` objects from ``scan``, or dicts with
    /// ``start``, ``end``, ``label`` and optionally ``kind``, in ``str`` indices), exactly those
    /// spans are replaced instead of detecting; a bad span is a ``ValueError`` naming its
    /// position in the list.
    #[pyo3(signature = (text, record_key=None, spans=None))]
    fn redact(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        record_key: Option<&Bound<'_, PyAny>>,
        spans: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Redacted> {
        let text = texts::text(text, &|| "text".to_owned())?;
        let key = record_key
            .map(|k| texts::text(k, &|| "record_key".to_owned()))
            .transpose()?;
        let inner = &self.inner;
        let key = self::record_key(py, inner, key.as_deref(), || {
            "no record_key: pass record_key=... (the patient id)".to_owned()
        })?;
        if let Some(spans) = spans {
            let reviewed = reviewed_spans(&text, spans)?;
            let out = py.detach(|| inner.redact_spans_record(&text, &reviewed, key));
            return out
                .map(|r| Redacted::new(&text, r))
                .map_err(|e| value_error(e.to_string()));
        }
        Ok(py.detach(|| Redacted::new(&text, inner.redact_record(&text, key))))
    }

    /// The re-identification risk of what remains in ``text`` once its direct identifiers are
    /// removed, for an ``audience`` (``"supervision"``, ``"teaching"``, ``"publication"`` or
    /// ``"research"``) and a community: ``population`` people, or a ``place`` looked up in the
    /// place tables (``"Tillamook, OR"``, ``"Ennis, Ireland"``), else a place the text names,
    /// else 10,000. ``country`` (US, UK, IE, CA, AU, NZ) chooses the base rates; ``keep`` lists
    /// clinically essential slots (generalised last); ``as_written`` also counts what
    /// redaction would remove (named organisations, ZIP codes, ages over 89).
    ///
    /// Raises:
    ///     ValueError: an unknown audience, country or slot, or a population below 1.
    ///
    /// Example:
    ///     >>> import deid
    ///     >>> deid.Deidentifier().risk(
    ///     ...     "A woman in her forties who works in an office; two children.",
    ///     ...     population=600_000).level
    ///     'green'
    #[pyo3(signature = (text, audience="supervision", population=None, place=None, country=None, keep=None, as_written=false))]
    #[allow(clippy::too_many_arguments)]
    fn risk(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        audience: &str,
        population: Option<i64>,
        place: Option<String>,
        country: Option<String>,
        keep: Option<Vec<String>>,
        as_written: bool,
    ) -> PyResult<RiskAssessment> {
        let text = texts::text(text, &|| "text".to_owned())?;
        let opts = crate::risk::options(audience, population, place, country, keep, as_written)?;
        let inner = &self.inner;
        let out = py.detach(|| inner.risk(&text, &opts));
        out.map(|a| RiskAssessment::new(&text, &a))
            .map_err(|e| to_pyerr(py, &e))
    }

    /// The supervision-vignette rewrite of ``text``: names become roles (``"the client"``,
    /// ``"Person A"``), dates time relative to treatment, places and organisations their kind,
    /// and quasi-identifiers are generalised until the audience's k holds; with the risk
    /// before and after. Same options as ``risk``.
    ///
    /// Example:
    ///     >>> import deid
    ///     >>> v = deid.Deidentifier().vignette(
    ///     ...     "Maria Lopez is a 34-year-old Deaf pharmacist.", population=8000)
    ///     >>> "Maria" in v.text
    ///     False
    #[pyo3(signature = (text, audience="supervision", population=None, place=None, country=None, keep=None, as_written=false))]
    #[allow(clippy::too_many_arguments)]
    fn vignette(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        audience: &str,
        population: Option<i64>,
        place: Option<String>,
        country: Option<String>,
        keep: Option<Vec<String>>,
        as_written: bool,
    ) -> PyResult<Vignette> {
        let text = texts::text(text, &|| "text".to_owned())?;
        let opts = crate::risk::options(audience, population, place, country, keep, as_written)?;
        let inner = &self.inner;
        let out = py.detach(|| inner.vignette(&text, &opts));
        out.map(|v| Vignette::new(&text, &v))
            .map_err(|e| to_pyerr(py, &e))
    }

    /// ``redact`` over many texts on all cores (or ``n_threads``); results in input order.
    ///
    /// ``record_keys``, if given, has one key (or ``None``) per text. With
    /// ``date_shift_max_days`` it is required and every key must be present (``ConfigError``
    /// naming the first text without one, before any text is redacted).
    ///
    /// Example:
    ///     >>> import deid
    ///     >>> d = deid.Deidentifier()
    ///     >>> [r.text for r in d.redact_batch(
    ///     ...     ["Call 617-555-0134.", "Seen 03/14/2021."], n_threads=2)]
    ///     ['Call [PHONE].', 'Seen [DATE].']
    #[pyo3(signature = (texts, n_threads=None, record_keys=None))]
    fn redact_batch(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        n_threads: Option<i64>,
        record_keys: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Redacted>> {
        let texts = texts::texts(texts, "texts")?;
        let keys: Option<Vec<Option<PyBackedStr>>> = record_keys
            .map(|k| texts::optional_texts(k, "record_keys"))
            .transpose()?;
        if let Some(keys) = &keys {
            if keys.len() != texts.len() {
                return Err(value_error(format!(
                    "record_keys has {} items but texts has {}",
                    keys.len(),
                    texts.len()
                )));
            }
        }
        let inner = &self.inner;
        let keys: Vec<Option<&str>> = match &keys {
            Some(keys) => keys
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    record_key(py, inner, k.as_deref(), || {
                        format!(
                            "record_keys[{i}] is None or empty: pass record_keys=... with the \
                             patient id of every text"
                        )
                    })
                })
                .collect::<PyResult<_>>()?,
            None if inner.needs_record_key() && !texts.is_empty() => {
                return Err(config_error(
                    py,
                    &format!(
                        "no record_keys: pass record_keys=... (the patient id of each text): \
                         {KEY_NEEDED}"
                    ),
                ));
            }
            None => vec![None; texts.len()],
        };
        py.detach(|| {
            on_threads(n_threads, || {
                texts
                    .par_iter()
                    .zip(&keys)
                    .map(|(t, key)| Redacted::new(t, inner.redact_record(t, *key)))
                    .collect()
            })
        })
    }

    /// The replacement strategy: ``"tag"``, ``"numbered"``, ``"mask"`` or ``"surrogate"``.
    #[getter]
    fn strategy(&self) -> &'static str {
        options::strategy_name(self.inner.strategy())
    }

    /// Whether ``redact`` needs a ``record_key`` for every text (a keyed date shift,
    /// ``date_shift_max_days``): helpers that take a column of keys check it up front.
    ///
    /// Example:
    ///     >>> import deid
    ///     >>> deid.Deidentifier().needs_record_key
    ///     False
    ///     >>> deid.Deidentifier(secret="k" * 32, date_shift_max_days=30).needs_record_key
    ///     True
    #[getter]
    fn needs_record_key(&self) -> bool {
        self.inner.needs_record_key()
    }

    /// Whether quasi-identifiers are replaced too (otherwise they are only reported).
    #[getter]
    fn redact_quasi(&self) -> bool {
        self.inner.redacts_quasi()
    }

    fn __repr__(&self) -> String {
        format!(
            "Deidentifier(strategy='{}', redact_quasi={})",
            self.strategy(),
            if self.redact_quasi() { "True" } else { "False" }
        )
    }
}

/// A reviewed span list from Python (`Span` objects or dicts, `str` indices) as core spans.
fn reviewed_spans(text: &str, spans: &Bound<'_, PyAny>) -> PyResult<Vec<deid_core::Span>> {
    let mut items: Vec<(usize, usize, String, Option<String>)> = Vec::new();
    for (i, item) in spans.try_iter()?.enumerate() {
        let item = item?;
        let get = |k: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            match item.cast::<pyo3::types::PyDict>() {
                Ok(d) => d.get_item(k),
                Err(_) => Ok(item.getattr(k).ok()),
            }
        };
        let field = |k: &str| -> PyResult<Bound<'_, PyAny>> {
            get(k)?.ok_or_else(|| value_error(format!("spans[{i}]: no {k:?}")))
        };
        let bad = |what: &str| value_error(format!("spans[{i}]: {what}"));
        let start: usize = field("start")?
            .extract()
            .map_err(|_| bad("start must be an int"))?;
        let end: usize = field("end")?
            .extract()
            .map_err(|_| bad("end must be an int"))?;
        let label: String = field("label")?
            .extract()
            .map_err(|_| bad("label must be a str"))?;
        let kind: Option<String> = match get("kind")? {
            Some(k) => Some(k.extract().map_err(|_| bad("kind must be a str"))?),
            None => None,
        };
        items.push((start, end, label, kind));
    }
    let list: Vec<deid_core::ReviewedSpan<'_>> = items
        .iter()
        .map(|(start, end, label, kind)| deid_core::ReviewedSpan {
            start: *start,
            end: *end,
            label,
            kind: kind.as_deref(),
        })
        .collect();
    deid_core::reviewed_spans(text, &list)
        .map_err(|(i, why)| value_error(format!("spans[{i}]: {why}")))
}

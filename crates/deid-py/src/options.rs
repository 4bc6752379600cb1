//! Python arguments → a configured `deid_core::DeidentifierBuilder`.
//!
//! Argument errors are standard Python exceptions: `TypeError` for the wrong type,
//! `ValueError` for a bad value (unknown strategy or category, empty secret, ...). Messages name
//! the argument and the offending option, never a secret.

use crate::errors::{config_error, value_error};
use crate::texts::iterable;
use deid_core::{Category, DateShift, DeidentifierBuilder, Strategy};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyMapping, PyString, PyTuple};
use std::path::PathBuf;

/// The strategy names, in the order of the docs.
pub(crate) const STRATEGIES: &[&str] = &["tag", "numbered", "mask", "surrogate"];

/// Everything `Deidentifier(...)` takes, converted to Rust values.
pub(crate) struct Options {
    pub rules_dir: Option<PathBuf>,
    pub strategy: Strategy,
    pub secret: Option<Vec<u8>>,
    pub categories: Option<Vec<Category>>,
    pub allow: Vec<String>,
    pub deny: Vec<(String, Category)>,
    pub years: bool,
    pub redact_quasi: bool,
    pub date_shift: Option<DateShift>,
    pub mask_char: char,
}

impl Options {
    /// The builder these options describe.
    pub(crate) fn builder(self) -> DeidentifierBuilder {
        let mut b = deid_core::Deidentifier::builder()
            .strategy(self.strategy)
            .allow(self.allow)
            .deny(self.deny)
            .years(self.years)
            .redact_quasi(self.redact_quasi)
            .date_shift(self.date_shift)
            .mask_char(self.mask_char);
        if let Some(dir) = self.rules_dir {
            b = b.rules_dir(dir);
        }
        if let Some(secret) = self.secret {
            b = b.secret(secret);
        }
        if let Some(categories) = self.categories {
            b = b.categories(categories);
        }
        b
    }
}

pub(crate) fn strategy(name: &str) -> PyResult<Strategy> {
    name.parse::<Strategy>().map_err(value_error)
}

/// A category label, parsed as the CLI parses it (any case, spaces ignored; same message).
pub(crate) fn category(label: &str, arg: &str) -> PyResult<Category> {
    Category::from_label(label).map_err(|e| value_error(format!("{arg}: {e}")))
}

/// `str` (encoded as UTF-8) or `bytes`.
pub(crate) fn secret(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let bytes = if let Ok(b) = obj.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(s) = obj.cast::<PyString>() {
        s.to_str()?.as_bytes().to_vec()
    } else {
        return Err(PyTypeError::new_err("secret must be str or bytes"));
    };
    if bytes.is_empty() {
        return Err(value_error("secret must not be empty"));
    }
    Ok(bytes)
}

/// An iterable of category labels.
pub(crate) fn categories(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Category>> {
    let mut out = Vec::new();
    for item in iterable(obj, "categories")? {
        let item = item?;
        let label: String = item
            .extract()
            .map_err(|_| PyTypeError::new_err("categories must be a sequence of str"))?;
        out.push(category(&label, "categories")?);
    }
    Ok(out)
}

/// An iterable of terms.
pub(crate) fn allow(obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let mut out = Vec::new();
    for item in iterable(obj, "allow")? {
        out.push(
            item?
                .extract()
                .map_err(|_| PyTypeError::new_err("allow must be a sequence of str"))?,
        );
    }
    Ok(out)
}

/// A mapping `term -> category`, or an iterable of terms (NAME) or `(term, category)` pairs.
pub(crate) fn deny(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(String, Category)>> {
    let mut out = Vec::new();
    let pair = |term: &Bound<'_, PyAny>, cat: &Bound<'_, PyAny>| -> PyResult<(String, Category)> {
        let term: String = term
            .extract()
            .map_err(|_| PyTypeError::new_err("deny terms must be str"))?;
        let cat: String = cat
            .extract()
            .map_err(|_| PyTypeError::new_err("deny categories must be str"))?;
        Ok((term, category(&cat, "deny")?))
    };
    if let Ok(m) = obj.cast::<PyMapping>() {
        for item in m.items()?.iter() {
            let kv = item.cast::<PyTuple>()?;
            out.push(pair(&kv.get_item(0)?, &kv.get_item(1)?)?);
        }
        return Ok(out);
    }
    for item in iterable(obj, "deny")? {
        let item = item?;
        if item.is_instance_of::<PyString>() {
            out.push((item.extract()?, Category::Name));
        } else if let Ok(t) = item.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(value_error("deny pairs must be (term, category)"));
            }
            out.push(pair(&t.get_item(0)?, &t.get_item(1)?)?);
        } else {
            return Err(PyTypeError::new_err(
                "deny must be a mapping of term to category, or a sequence of terms or \
                 (term, category) pairs",
            ));
        }
    }
    Ok(out)
}

/// `date_shift` (fixed days) and `date_shift_max_days` (keyed per record) are exclusive.
pub(crate) fn date_shift(
    py: Python<'_>,
    fixed: Option<i64>,
    max_days: Option<i64>,
) -> PyResult<Option<DateShift>> {
    match (fixed, max_days) {
        (Some(_), Some(_)) => Err(value_error(
            "give date_shift (a fixed number of days) or date_shift_max_days (a keyed shift), \
             not both",
        )),
        // The limits and messages are the core's, as for the CLI's --date-shift and
        // --max-shift-days.
        // A ConfigError (a ValueError), as when the builder refuses the same shift.
        (Some(days), None) => DateShift::fixed(days)
            .map(Some)
            .map_err(|e| config_error(py, &format!("date_shift: {e}"))),
        (None, Some(max)) => DateShift::keyed(max)
            .map(Some)
            .map_err(|e| config_error(py, &format!("date_shift_max_days: {e}"))),
        (None, None) => Ok(None),
    }
}

pub(crate) fn mask_char(s: &str) -> PyResult<char> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(value_error("mask_char must be a single character")),
    }
}

/// The name of a strategy (the inverse of `strategy`).
pub(crate) fn strategy_name(s: Strategy) -> &'static str {
    match s {
        Strategy::Tag => "tag",
        Strategy::Numbered => "numbered",
        Strategy::Mask => "mask",
        Strategy::Surrogate => "surrogate",
    }
}

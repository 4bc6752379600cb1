//! Taking `str` arguments from Python without copying them.
//!
//! A `PyBackedStr` borrows the UTF-8 form of a Python `str` (for ASCII strings that is the
//! string's own buffer), keeps the object alive and is `Send + Sync`, so the texts can be read
//! by rayon workers while the interpreter is released. Errors name the argument and the
//! position, never the text.

use crate::errors::value_error;
use pyo3::exceptions::{PyTypeError, PyUnicodeEncodeError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;

/// One `str` argument; `what` names it in errors (`text`, `texts[3]`).
pub(crate) fn text(obj: &Bound<'_, PyAny>, what: &dyn Fn() -> String) -> PyResult<PyBackedStr> {
    let s = obj.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!("{} must be str, not {}", what(), type_name(obj)))
    })?;
    PyBackedStr::try_from(s.clone()).map_err(|e| {
        let py = obj.py();
        if e.is_instance_of::<PyUnicodeEncodeError>(py) {
            let at: Option<usize> = e.value(py).getattr("start").and_then(|v| v.extract()).ok();
            let at = at.map(|i| format!(" at index {i}")).unwrap_or_default();
            value_error(format!(
                "{} is not valid Unicode: lone surrogate{at} (clean it with \
                 .encode('utf-8', 'replace').decode() first)",
                what()
            ))
        } else {
            e
        }
    })
}

/// A sequence (any iterable except a single `str`) of `str`.
pub(crate) fn texts(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<Vec<PyBackedStr>> {
    let items = iterable(obj, arg)?;
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in items.enumerate() {
        out.push(text(&item?, &|| format!("{arg}[{i}]"))?);
    }
    Ok(out)
}

/// A sequence of `str | None` (record keys).
pub(crate) fn optional_texts(
    obj: &Bound<'_, PyAny>,
    arg: &str,
) -> PyResult<Vec<Option<PyBackedStr>>> {
    let items = iterable(obj, arg)?;
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in items.enumerate() {
        let item = item?;
        out.push(if item.is_none() {
            None
        } else {
            Some(text(&item, &|| format!("{arg}[{i}]"))?)
        });
    }
    Ok(out)
}

/// An iterator over `obj`, refusing a lone `str` (which would iterate over its characters).
pub(crate) fn iterable<'py>(
    obj: &Bound<'py, PyAny>,
    arg: &str,
) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{arg} must be a sequence of str, not a single str (wrap it in a list)"
        )));
    }
    obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{arg} must be a sequence of str, not {}",
            type_name(obj)
        ))
    })
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

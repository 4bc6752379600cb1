//! Core errors as Python exceptions.
//!
//! The exception classes are defined in Python (`deid/_errors.py`) so that `RuleError` can
//! inherit from both `DeidError` and `ValueError` and carry `path` and `line` attributes; this
//! module looks them up when an error is raised (errors only happen while building, so the
//! lookup costs nothing that matters). Messages come from the core's `Display`, which names
//! files, lines and rule ids and never note text.

use deid_core::{Error, ErrorKind};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

/// Raises the Python exception class `name` from `deid._errors` with `args`.
fn deid_exception<'py, A>(py: Python<'py>, name: &str, args: A) -> PyErr
where
    A: pyo3::call::PyCallArgs<'py>,
{
    let made = py
        .import("deid._errors")
        .and_then(|m| m.getattr(name))
        .and_then(|cls| cls.call1(args));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// Converts a core error: rule errors → `deid.RuleError(message, path, line)`; I/O errors →
/// `OSError(errno, strerror, filename)` (so a missing directory is a `FileNotFoundError`);
/// configuration errors → `deid.ConfigError` (a `ValueError`).
pub(crate) fn to_pyerr(py: Python<'_>, err: &Error) -> PyErr {
    let message = err.to_string();
    match err.kind() {
        ErrorKind::Rule => deid_exception(
            py,
            "RuleError",
            (message, err.path().map(str::to_owned), err.line()),
        ),
        ErrorKind::Io => {
            let io =
                std::error::Error::source(err).and_then(|s| s.downcast_ref::<std::io::Error>());
            match (io.and_then(std::io::Error::raw_os_error), err.path()) {
                (Some(errno), Some(path)) => {
                    let full = io.map(ToString::to_string).unwrap_or_default();
                    // "No such file or directory (os error 2)" → "No such file or directory".
                    let strerror = match full.rfind(" (os error") {
                        Some(i) => full[..i].to_owned(),
                        None => full,
                    };
                    PyOSError::new_err((errno, strerror, path.to_owned()))
                }
                _ => PyOSError::new_err(message),
            }
        }
        ErrorKind::Config => deid_exception(py, "ConfigError", (message,)),
        _ => deid_exception(py, "DeidError", (message,)),
    }
}

/// A `deid.ConfigError` (a `DeidError` and a `ValueError`) for options that contradict each other.
pub(crate) fn config_error(py: Python<'_>, message: &str) -> PyErr {
    deid_exception(py, "ConfigError", (message,))
}

/// A `ValueError` for a bad argument (never quotes note text).
pub(crate) fn value_error(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

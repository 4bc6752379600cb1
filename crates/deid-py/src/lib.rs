//! Python bindings for deid: the compiled module `deid._deid`.
//!
//! The bindings are thin, in the manner of huggingface/tokenizers: inputs are converted at the
//! boundary (Python `str` → borrowed UTF-8), the interpreter is released (`py.detach`) while
//! pure Rust runs (rayon for batches), and results come back with byte offsets turned into
//! code-point offsets, which are Python `str` indices. The pure-Python part of the package
//! (`python/deid`) re-exports these classes and adds the exceptions and the pandas helpers.
//!
//! - `deidentifier.rs` — `Deidentifier`: the built engine, shared across threads.
//! - `options.rs` — turning Python arguments into a `deid_core::DeidentifierBuilder`.
//! - `texts.rs` — extracting `str` arguments without copying them, with careful errors.
//! - `result.rs` — `Span`, `Replacement` and `Result`, the values handed back to Python.
//! - `risk.rs` — `RiskAssessment`, `Driver`, `Trigger`, `Suggestion`, `Vignette`, `Change`.
//! - `errors.rs` — core errors → `RuleError`, `ConfigError`, `OSError`.

mod deidentifier;
mod errors;
mod options;
mod result;
mod risk;
mod texts;

use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The compiled part of deid. Import `deid`, not this module.
#[pymodule]
#[pyo3(name = "_deid")]
fn deid_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<deidentifier::Deidentifier>()?;
    m.add_class::<result::Span>()?;
    m.add_class::<result::Replacement>()?;
    m.add_class::<result::Redacted>()?;
    m.add_class::<risk::RiskAssessment>()?;
    m.add_class::<risk::Driver>()?;
    m.add_class::<risk::Trigger>()?;
    m.add_class::<risk::Suggestion>()?;
    m.add_class::<risk::Vignette>()?;
    m.add_class::<risk::Change>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // Why a keyed date shift refuses a text without a key: one text for the class and the
    // DataFrame helpers (deid/_frames.py).
    m.add("_KEY_NEEDED", deidentifier::KEY_NEEDED)?;
    let labels: Vec<&str> = deid_core::Category::ALL.iter().map(|c| c.label()).collect();
    m.add("CATEGORIES", PyTuple::new(m.py(), labels)?)?;
    m.add(
        "STRATEGIES",
        PyTuple::new(m.py(), options::STRATEGIES.iter().copied())?,
    )?;
    Ok(())
}

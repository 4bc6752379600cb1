//! The values handed back to Python: `Span`, `Replacement` and `Result`.
//!
//! They are plain immutable data, converted from the core's types while the interpreter is
//! released: byte offsets are kept (`byte_start`, `byte_end`) and code-point offsets are added
//! (`start`, `end`), which are Python `str` indices, so `text[s.start:s.end]` is the identifier
//! whatever the script. Their `repr` shows offsets and labels, never text from the note.

use deid_core::OffsetMap;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;

/// A detected identifier in a text.
///
/// ``start`` and ``end`` are Python ``str`` indices (code points), so ``text[s.start:s.end]`` is
/// the identifier; ``byte_start`` and ``byte_end`` are the same range in the UTF-8 encoding.
/// Spans are immutable, comparable and hashable; their ``repr`` never shows note text.
///
/// Example:
///     >>> import deid
///     >>> text = "Client: José Núñez, DOB 4/2/1987"
///     >>> span = deid.Deidentifier().scan(text)[0]
///     >>> span.label, span.kind, text[span.start:span.end]
///     ('NAME', 'direct', 'José Núñez')
///     >>> (span.start, span.end), (span.byte_start, span.byte_end)
///     ((8, 18), (8, 21))
///     >>> text.encode()[span.byte_start:span.byte_end].decode()
///     'José Núñez'
#[pyclass(frozen, module = "deid", name = "Span")]
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// Start of the identifier as a ``str`` index (code points).
    #[pyo3(get)]
    pub start: usize,
    /// End (exclusive) of the identifier as a ``str`` index (code points).
    #[pyo3(get)]
    pub end: usize,
    /// Start of the identifier in the UTF-8 bytes of the text.
    #[pyo3(get)]
    pub byte_start: usize,
    /// End (exclusive) of the identifier in the UTF-8 bytes of the text.
    #[pyo3(get)]
    pub byte_end: usize,
    /// The category, e.g. ``"NAME"``, ``"DATE"``, ``"PHONE"`` (see ``deid.CATEGORIES``).
    #[pyo3(get)]
    pub label: &'static str,
    /// ``"direct"`` (redacted) or ``"quasi"`` (reported; redacted only with ``redact_quasi``).
    #[pyo3(get)]
    pub kind: &'static str,
    rule: Arc<str>,
    /// Confidence in ``[0, 1]``.
    #[pyo3(get)]
    pub confidence: f64,
}

impl Span {
    /// Converts a core span, with `map` the offset map of the text it was found in.
    pub(crate) fn new(s: &deid_core::Span, map: &OffsetMap) -> Span {
        Span {
            start: map.char_offset(s.start),
            end: map.char_offset(s.end),
            byte_start: s.start,
            byte_end: s.end,
            label: s.category.label(),
            kind: s.kind.as_str(),
            rule: s.rule.clone(),
            // An f32 such as 0.95 widened to f64 prints as 0.949999988079071; keep 6 digits.
            confidence: (f64::from(s.confidence) * 1e6).round() / 1e6,
        }
    }

    /// Converts the spans found in `text`.
    pub(crate) fn all(text: &str, spans: &[deid_core::Span]) -> Vec<Span> {
        if spans.is_empty() {
            return Vec::new();
        }
        let map = OffsetMap::new(text);
        spans.iter().map(|s| Span::new(s, &map)).collect()
    }
}

#[pymethods]
impl Span {
    /// The id of the rule or dictionary that found it, e.g. ``"phone.us"``.
    #[getter]
    fn rule(&self) -> &str {
        &self.rule
    }

    /// The span as a plain ``dict`` (JSON-ready): offsets, label, kind, rule, confidence.
    ///
    /// Example:
    ///     >>> import deid
    ///     >>> span = deid.Deidentifier().scan("Call 617-555-0134 today.")[0]
    ///     >>> span.to_dict()["label"], span.to_dict()["start"], span.to_dict()["end"]
    ///     ('PHONE', 5, 17)
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("byte_start", self.byte_start)?;
        d.set_item("byte_end", self.byte_end)?;
        d.set_item("label", self.label)?;
        d.set_item("kind", self.kind)?;
        d.set_item("rule", &*self.rule)?;
        d.set_item("confidence", self.confidence)?;
        Ok(d)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Span>().is_ok_and(|o| self == o.get())
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        // Only needs to be stable within one process.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            self.byte_start,
            self.byte_end,
            self.label,
            self.kind,
            &*self.rule,
        )
            .hash(&mut h);
        self.confidence.to_bits().hash(&mut h);
        h.finish()
    }

    fn __repr__(&self) -> String {
        format!(
            "Span(start={}, end={}, label='{}', kind='{}', rule='{}', confidence={})",
            self.start, self.end, self.label, self.kind, self.rule, self.confidence
        )
    }
}

/// One replacement made by ``Deidentifier.redact``: which span of the input was replaced, by
/// what, and where the replacement sits in the output text.
///
/// ``output_start`` and ``output_end`` are ``str`` indices into ``Result.text``;
/// ``output_byte_start`` and ``output_byte_end`` are the UTF-8 byte range.
///
/// Example:
///     >>> import deid
///     >>> result = deid.Deidentifier().redact("Call 617-555-0134 today.")
///     >>> r = result.replacements[0]
///     >>> r.span.label, r.replacement, result.text[r.output_start:r.output_end]
///     ('PHONE', '[PHONE]', '[PHONE]')
#[pyclass(frozen, module = "deid", name = "Replacement")]
#[derive(Clone, Debug, PartialEq)]
pub struct Replacement {
    /// The span of the input that was replaced.
    #[pyo3(get)]
    pub span: Span,
    /// The replacement text (never the original).
    #[pyo3(get)]
    pub replacement: String,
    /// Start of the replacement in the output, as a ``str`` index.
    #[pyo3(get)]
    pub output_start: usize,
    /// End (exclusive) of the replacement in the output, as a ``str`` index.
    #[pyo3(get)]
    pub output_end: usize,
    /// Start of the replacement in the UTF-8 bytes of the output.
    #[pyo3(get)]
    pub output_byte_start: usize,
    /// End (exclusive) of the replacement in the UTF-8 bytes of the output.
    #[pyo3(get)]
    pub output_byte_end: usize,
}

#[pymethods]
impl Replacement {
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Replacement>().is_ok_and(|o| self == o.get())
    }

    fn __repr__(&self) -> String {
        format!(
            "Replacement(span={}, output_start={}, output_end={})",
            self.span.__repr__(),
            self.output_start,
            self.output_end
        )
    }
}

/// What ``Deidentifier.redact`` returns: the redacted ``text``, every detected span (direct and
/// quasi, offsets into the *input*) and the ``replacements`` made (offsets into the *output*).
///
/// Example:
///     >>> import deid
///     >>> result = deid.Deidentifier().redact("Seen by Dr. Jane Roe on 03/14/2021.")
///     >>> result.text
///     'Seen by [NAME] on [DATE].'
///     >>> [s.label for s in result.spans]
///     ['NAME', 'DATE']
///     >>> len(result.replacements)
///     2
#[pyclass(frozen, module = "deid", name = "Result")]
#[derive(Clone, Debug, PartialEq)]
pub struct Redacted {
    /// The redacted text.
    #[pyo3(get)]
    pub text: String,
    spans: Vec<Span>,
    replacements: Vec<Replacement>,
}

impl Redacted {
    /// Converts a core result for `input`.
    pub(crate) fn new(input: &str, r: deid_core::Redacted) -> Redacted {
        let spans = Span::all(input, &r.spans);
        let replacements = if r.replacements.is_empty() {
            Vec::new()
        } else {
            let in_map = OffsetMap::new(input);
            let out_map = OffsetMap::new(&r.text);
            r.replacements
                .into_iter()
                .map(|rep| Replacement {
                    span: Span::new(&rep.span, &in_map),
                    output_start: out_map.char_offset(rep.output_start),
                    output_end: out_map.char_offset(rep.output_end),
                    output_byte_start: rep.output_start,
                    output_byte_end: rep.output_end,
                    replacement: rep.replacement,
                })
                .collect()
        };
        Redacted {
            text: r.text,
            spans,
            replacements,
        }
    }
}

#[pymethods]
impl Redacted {
    /// Every detected span, in order, with offsets into the input text.
    #[getter]
    fn spans(&self) -> Vec<Span> {
        self.spans.clone()
    }

    /// The replacements made, in order, with offsets into ``text``.
    #[getter]
    fn replacements(&self) -> Vec<Replacement> {
        self.replacements.clone()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Redacted>().is_ok_and(|o| self == o.get())
    }

    fn __repr__(&self) -> String {
        format!(
            "Result(len(text)={}, spans=<{} spans>, replacements=<{} replacements>)",
            self.text.chars().count(),
            self.spans.len(),
            self.replacements.len()
        )
    }
}

//! Detected spans.

use crate::category::{Category, Kind};
use std::sync::Arc;

/// A detected identifier: a half-open byte range `start..end` on char boundaries of the
/// scanned text, with what it is and which rule found it.
///
/// `Debug` shows offsets and labels only, never the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// What was found.
    pub category: Category,
    /// Direct or quasi identifier.
    pub kind: Kind,
    /// The stable id of the rule (or dictionary) that found it, e.g. `phone.us`.
    pub rule: Arc<str>,
    /// Confidence in `0.0..=1.0`.
    pub confidence: f32,
}

impl Span {
    /// The span's text in `text` (the text that was scanned).
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span (never produced by detection).
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// True when the two ranges share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A span a person reviewed, given in code points (Python `str` indices): what a review page,
/// `deid redact --spans` or `redact(text, spans=...)` receive.
#[derive(Clone, Copy, Debug)]
pub struct ReviewedSpan<'a> {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// A category label (`NAME`, case-insensitive).
    pub label: &'a str,
    /// `direct` or `quasi`; the category's default when absent.
    pub kind: Option<&'a str>,
}

/// Converts reviewed code-point spans of `text` to byte spans (rule `review.clinician`, confidence 1).
/// An invalid one is `Err((its index in the list, why))`; the reason never quotes the text.
/// Overlaps are checked by [`crate::Deidentifier::redact_spans`].
pub fn reviewed_spans(
    text: &str,
    spans: &[ReviewedSpan<'_>],
) -> Result<Vec<Span>, (usize, String)> {
    // Byte offset of every code point, and of the end.
    let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    bytes.push(text.len());
    let chars = bytes.len() - 1;
    let rule: Arc<str> = Arc::from("review.clinician");
    let mut out = Vec::with_capacity(spans.len());
    for (i, s) in spans.iter().enumerate() {
        if s.start >= s.end || s.end > chars {
            return Err((
                i,
                format!(
                    "{}..{} is not a range within the text (0..{chars} code points)",
                    s.start, s.end
                ),
            ));
        }
        // A quasi span may carry the slot `deid scan` labels it with ("LANGUAGE", "PLACE").
        let quasi = s
            .kind
            .is_some_and(|k| k.trim().eq_ignore_ascii_case("quasi"));
        let category: Category = s
            .label
            .trim()
            .to_ascii_uppercase()
            .parse()
            .or_else(|e| match s.label.parse::<crate::risk::Slot>() {
                Ok(slot) if quasi => Ok(slot.category()),
                _ => Err(e),
            })
            .map_err(|_| {
                let known: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
                (
                    i,
                    format!(
                        "unknown label (known: {}; a quasi span may also name a risk slot)",
                        known.join(", ")
                    ),
                )
            })?;
        let kind = match s.kind {
            None => category.default_kind(),
            Some(k) => k
                .parse::<Kind>()
                .map_err(|_| (i, "kind must be direct or quasi".to_string()))?,
        };
        out.push(Span {
            start: bytes[s.start],
            end: bytes[s.end],
            category,
            kind,
            rule: rule.clone(),
            confidence: 1.0,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quasi_spans_may_name_a_risk_slot() {
        let text = "Speaks Tagalog; works at Oak Clinic.";
        let span = |start, end, label, kind| ReviewedSpan {
            start,
            end,
            label,
            kind: Some(kind),
        };
        // (label, kind, the category it is read as; None = refused)
        let rows: &[(&str, &str, Option<Category>)] = &[
            ("LANGUAGE", "quasi", Some(Category::Ethnicity)),
            ("ORGANISATION", "quasi", Some(Category::Organization)),
            ("place", "quasi", Some(Category::Location)),
            ("OCCUPATION", "quasi", Some(Category::Occupation)),
            ("LANGUAGE", "direct", None),
            ("NOT_A_SLOT", "quasi", None),
        ];
        for &(label, kind, want) in rows {
            let got = reviewed_spans(text, &[span(7, 14, label, kind)]);
            assert_eq!(
                got.as_ref().ok().map(|v| v[0].category),
                want,
                "{label} {kind}"
            );
            if let Err((i, why)) = got {
                assert_eq!(i, 0);
                assert!(!why.contains("Tagalog"), "{why}");
            }
        }
    }
}

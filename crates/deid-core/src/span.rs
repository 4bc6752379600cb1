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

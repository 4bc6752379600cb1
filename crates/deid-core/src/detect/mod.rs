//! Detectors: each turns text into candidate spans; `resolve` decides among them.

pub(crate) mod complete;
pub(crate) mod dictionary;
pub(crate) mod language;
pub(crate) mod lexicon;
pub(crate) mod model;
pub(crate) mod names;
pub(crate) mod pattern;

use crate::category::{Category, Kind};
use std::sync::Arc;

/// The priority of the learned scorer's candidates: below every rule's.
pub(crate) const MODEL_PRIORITY: i32 = -100;

/// A candidate span before resolution.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub category: Category,
    pub kind: Kind,
    pub rule: Arc<str>,
    pub confidence: f32,
    pub priority: i32,
}

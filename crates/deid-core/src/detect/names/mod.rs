//! Names and places from dictionaries and context: titles, header fields, credentials, role
//! cues, capitalisation (only where the line is mixed case), neighbouring names, name lists,
//! and propagation of a found name to its other occurrences in the same document.
//!
//! The detector labels the document's dictionary units (words, or several-word dictionary
//! terms: [`units`]) one after the other:
//!
//! 1. [`cues`]: each unit gets the label of the first cue clause that fires for it (a title
//!    before it, a credential after it, a role or header cue, a facility or place cue), else
//!    dictionary evidence alone ([`evidence::Doc`] holds the text, the units and the
//!    dictionaries the clauses read);
//! 2. [`places::state_codes_after_cities`]: "Boise, ID";
//! 3. [`runs`]: runs of unknown non-ASCII capitalised words, lower-case full names, initials
//!    before a surname;
//! 4. [`neighbours`]: words next to a found name, or listed with one, join it (twice, so chains
//!    grow);
//! 5. [`propagate`]: a found place or name labels its other occurrences; a place before a
//!    facility noun is an organisation; a pronoun after a speaker label is no name;
//! 6. [`decode`]: runs of labels become candidate spans.

mod cues;
mod decode;
mod evidence;
mod neighbours;
mod places;
mod propagate;
mod runs;
mod units;

use super::dictionary::{Dictionaries, Entry};
use super::Candidate;
use crate::category::Category;
use crate::text::Token;
use evidence::Doc;
use std::sync::Arc;

/// What the detector decided about one unit.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Label {
    None,
    /// A name, with confidence; `strong` when a cue (not just the dictionary) supports it.
    Name {
        conf: f32,
        strong: bool,
    },
    /// A title or header label that belongs to the following name's span.
    Title,
    Place(Category, f32),
}

impl Label {
    /// A name found on a cue (`strong`), with confidence `conf`.
    const fn cued(conf: f32) -> Label {
        Label::Name { conf, strong: true }
    }

    /// A name found without a cue (dictionary, shape, neighbours), with confidence `conf`.
    const fn weak(conf: f32) -> Label {
        Label::Name {
            conf,
            strong: false,
        }
    }

    fn is_name(self) -> bool {
        matches!(self, Label::Name { .. })
    }

    fn is_strong_name(self) -> bool {
        matches!(self, Label::Name { strong: true, .. })
    }
}

/// The rule ids of the spans the name rules and the completion step emit.
pub(crate) struct Ids {
    pub cue: Arc<str>,
    pub dict: Arc<str>,
    pub neighbour: Arc<str>,
    pub propagated: Arc<str>,
    pub place: Arc<str>,
    /// Spans the completion step adds: initials of names, the town and the postcode of an
    /// address line.
    pub initials: Arc<str>,
    pub town: Arc<str>,
    pub zip: Arc<str>,
    /// A province or state code between an address's town and its postcode.
    pub region: Arc<str>,
}

impl Default for Ids {
    fn default() -> Self {
        Ids {
            cue: Arc::from("name.cue"),
            dict: Arc::from("name.dictionary"),
            neighbour: Arc::from("name.neighbour"),
            propagated: Arc::from("name.propagated"),
            place: Arc::from("place.dictionary"),
            initials: Arc::from("name.initials"),
            town: Arc::from("place.address_town"),
            zip: Arc::from("zip.after_town"),
            region: Arc::from("place.address_region"),
        }
    }
}

/// On ALL-CAPS or all-lower-case lines capitals say nothing, so a dictionary name there needs
/// to be a name of some frequency (per million people) to count on weak evidence; the tail of
/// the surname list is full of words that are abbreviations in clinical shorthand.
const NEUTRAL_MIN_PM: f32 = 2.0;

/// A name at least this frequent (per million people) counts on weaker evidence than a rare
/// one: a frequent given name that is also an ordinary word ("Will", "Hope").
const FREQUENT_PM: f32 = 50.0;

/// The larger of a term's frequencies as a given name and as a surname, per million people.
fn name_pm(e: &Entry) -> f32 {
    e.first_pm.max(e.last_pm)
}

/// Names and places in `text` (whose tokens are `tokens`), appended to `out` as candidates
/// with the rule ids of `ids`.
pub(crate) fn detect(
    dict: &Dictionaries,
    ids: &Ids,
    text: &str,
    tokens: &[Token],
    out: &mut Vec<Candidate>,
) {
    if tokens.is_empty() {
        return;
    }
    let units = units::group(dict, text, tokens);
    let doc = Doc::new(dict, text, tokens.to_vec(), units);
    let mut labels = vec![Label::None; doc.n()];
    cues::label(&doc, &mut labels);
    places::state_codes_after_cities(&doc, &mut labels);
    runs::non_ascii_runs(&doc, &mut labels);
    runs::lower_case_names(&doc, &mut labels);
    runs::initials_before_surnames(&doc, &mut labels);
    neighbours::label(&doc, &mut labels);
    propagate::places(&doc, &mut labels);
    propagate::facility_nouns(&doc, &mut labels);
    propagate::service_acronyms(&doc, &mut labels);
    propagate::speaker_names(&doc, &mut labels);
    propagate::names(&doc, &mut labels);
    propagate::speaker_labels(&doc, &mut labels);
    decode::emit(&doc, ids, &labels, out);
}

#[cfg(test)]
mod tests;

//! Grouping tokens into dictionary units: one word, or a several-word dictionary term ("New
//! York", "seen by") that ends where a token ends on the same line.

use crate::detect::dictionary::{flag, Dictionaries};
use crate::text::{Shape, Token};

/// One word of the text, or several that a dictionary term covers.
pub(super) struct Unit {
    /// First and last token (inclusive).
    pub t0: usize,
    pub t1: usize,
    /// Byte offsets in the text.
    pub start: usize,
    pub end: usize,
    /// The dictionary entry, if any.
    pub entry: Option<u32>,
    /// Length in characters.
    pub chars: u32,
    /// Frequency per million births as a given name of another register (UK, IE, NZ,
    /// Ontario) when that is all any dictionary knows of the unit, else 0.
    pub other_given_pm: f32,
}

/// The units of `text`, whose tokens are `tokens`.
///
/// Reads: the dictionaries' several-word terms (the longest match starting at a token, ending
/// at a token on the same line), then the single word, then its diacritic-folded spelling.
/// "lives in Boston" is two units ("lives in", "Boston") when "lives in" is a cue; "Min-jun"
/// keeps no entry for "Min" (a capitalised word hyphened to a lower-case syllable is a given
/// name, not the word it is spelled like); a given name of another register only
/// (`GIVEN_OTHER`) gets no entry, only its frequency (`other_given_pm`): it is the learned
/// scorer's evidence, and the rules' on a line without case (`cues::other_register_name`).
pub(super) fn group(dict: &Dictionaries, text: &str, tokens: &[Token]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::with_capacity(tokens.len());
    let mut lower = String::with_capacity(32);
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let mut unit = Unit {
            t0: i,
            t1: i,
            start: t.start,
            end: t.end,
            entry: None,
            chars: 0,
            other_given_pm: 0.0,
        };
        let (word_entry, phrase_start) = dict.lookup_token(text, t, &mut lower);
        if let Some((end, idx)) = phrase_start
            .then(|| dict.lookup_phrase(text, t.start))
            .flatten()
        {
            // The match must end where a token ends, on the same line.
            let mut k = i;
            while k < tokens.len() && tokens[k].end < end {
                k += 1;
            }
            if k < tokens.len() && tokens[k].end == end && !text[t.start..end].contains('\n') {
                unit.t1 = k;
                unit.end = end;
                unit.entry = Some(idx);
            }
        }
        if unit.entry.is_none() {
            unit.entry = word_entry;
            // "Min-jun", "Seo-yeon": a capitalised word joined by a hyphen to a lower-case
            // syllable is a given name, not the clinical word it is spelled like.
            let rest = &text[t.end..];
            if t.shape == Shape::Title
                && rest.starts_with('-')
                && rest[1..].starts_with(|c: char| c.is_lowercase())
                && unit
                    .entry
                    .is_some_and(|i| dict.entry(i).has(flag::SAFE | flag::ENGLISH))
            {
                unit.entry = None;
            }
        }
        // Given names of other registers are no entry for these rules: a capitalised one is an
        // unknown capitalised word, and only its frequency is kept.
        if let Some(i) = unit
            .entry
            .filter(|&i| dict.entry(i).flags == flag::GIVEN_OTHER)
        {
            unit.other_given_pm = dict.entry(i).other_first_pm;
            unit.entry = None;
        }
        if unit.entry.is_none() && !text[t.start..t.end].is_ascii() {
            unit.entry = dict.lookup_folded(&text[t.start..t.end]);
        }
        let span = &text[unit.start..unit.end];
        unit.chars = if span.is_ascii() {
            span.len()
        } else {
            span.chars().count()
        } as u32;
        i = unit.t1 + 1;
        units.push(unit);
    }
    units
}

//! Pass 2: words next to a found name, or listed with one, join it. Runs twice so chains grow
//! ("Mary Ann Okafor-Reyes").

use super::evidence::{dotted_gap, name_gap, only_spaces, Doc};
use super::{name_pm, Label, FREQUENT_PM, NEUTRAL_MIN_PM};
use crate::category::Category;
use crate::detect::dictionary::flag;
use crate::text::Shape;

/// Pass 2 over the unlabelled units, twice: the first of [`hyphen_part`], [`beside_cued`],
/// [`place_continues`] (for a possible name word) and [`beside_or_listed`] that fires labels
/// the unit.
pub(super) fn label(d: &Doc, labels: &mut [Label]) {
    for _ in 0..2 {
        for u in 0..d.n() {
            if labels[u] != Label::None {
                continue;
            }
            let found = hyphen_part(d, labels, u)
                .or_else(|| beside_cued(d, labels, u))
                .or_else(|| {
                    let e = d.entry(u);
                    if e.has(flag::ROLE | flag::PLACE_CUE) || !d.nameable_cued(u) {
                        return None;
                    }
                    place_continues(d, labels, u).or_else(|| beside_or_listed(d, labels, u))
                });
            if let Some(l) = found {
                labels[u] = l;
            }
        }
    }
}

/// "Seo-yeon": a lower-case part after a hyphen belongs to the name before it (no safe-list
/// or English word).
pub(super) fn hyphen_part(d: &Doc, labels: &[Label], u: usize) -> Option<Label> {
    (u > 0
        && labels[u - 1].is_name()
        && d.gap(u - 1, u) == "-"
        && d.shape_is(u, Shape::Lower)
        && !d.entry(u).has(flag::SAFE | flag::ENGLISH))
    .then_some(Label::weak(0.7))
}

/// Next to a cue-found name: "DANIEL LEE" (a frequent name that is no word, on a single-case
/// line, on either side), "Dr. Art White" (a safe-list word that is also a name, after it on a
/// mixed-case line), "Dr Ferdinand Halfpenny" (any capitalised word after a titled given
/// name), "dr amarjit dhami" (a word no dictionary knows after a titled given name on a
/// single-case line).
pub(super) fn beside_cued(d: &Doc, labels: &[Label], u: usize) -> Option<Label> {
    let e = d.entry(u);
    let n = d.n();
    let strong_left = u > 0 && labels[u - 1].is_strong_name() && name_gap(d.gap(u - 1, u));
    let strong_right = u + 1 < n && labels[u + 1].is_strong_name() && name_gap(d.gap(u, u + 1));
    let single_case_ok = !d.mixed(u)
        && e.has(flag::NAME)
        && name_pm(e) >= FREQUENT_PM
        && !e.has(flag::SAFE | flag::ENGLISH | flag::ROLE | flag::TITLE | flag::CREDENTIAL)
        && !d.function_word(u);
    let mixed_safe_ok = d.mixed_title(u)
        && e.has(flag::NAME)
        && e.has(flag::SAFE)
        && !e.has(flag::ENGLISH | flag::ROLE | flag::TITLE | flag::CREDENTIAL);
    let titled_first_before =
        strong_left && d.entry(u - 1).has(flag::FIRST) && u >= 2 && labels[u - 2] == Label::Title;
    let after_titled_first = titled_first_before
        && d.mixed_title(u)
        && !e.has(flag::ROLE | flag::TITLE | flag::CREDENTIAL | flag::POST_CUE)
        && !d.function_word(u);
    // "dr amarjit dhami", "DR PRIYA VENKATRAMAN": on a single-case line, a word no
    // dictionary knows after a titled given name is its surname.
    let unknown_after_titled_first = titled_first_before
        && !d.mixed(u)
        && !e.has(
            flag::KNOWN
                | flag::ROLE
                | flag::TITLE
                | flag::CREDENTIAL
                | flag::POST_CUE
                | flag::HEADER
                | flag::PLACE_CUE,
        )
        && d.alphabetic(u)
        && d.chars(u) >= 3
        && !d.function_word(u)
        && !d.clinical(u);
    ((strong_left || strong_right) && single_case_ok
        || strong_left && mixed_safe_ok
        || after_titled_first
        || unknown_after_titled_first)
        .then_some(Label::weak(0.7))
}

/// "Little Saigon": a capitalised word (no English or safe-list word) right after a
/// cue-started location joins it.
pub(super) fn place_continues(d: &Doc, labels: &[Label], u: usize) -> Option<Label> {
    (u > 0
        && matches!(labels[u - 1], Label::Place(Category::Location, _))
        && only_spaces(d.gap(u - 1, u))
        && d.mixed_title(u)
        && !d.entry(u).has(flag::ENGLISH | flag::SAFE))
    .then(|| labels[u - 1])
}

/// Units `a < b` are joined as parts of one name: by a name gap, or by a dot after an
/// initial ("J. Roe").
fn joined(d: &Doc, a: usize, b: usize) -> bool {
    name_gap(d.gap(a, b)) || (dotted_gap(d.gap(a, b)) && d.is_initial(a))
}

/// Unit `u` is listed with a name on the same line: "Tom, Ana and Lee", "marguerite and
/// oskel" (a separator between them, or a conjunction unit with spaces around it).
fn listed(d: &Doc, labels: &[Label], u: usize) -> bool {
    let n = d.n();
    let w = d.words();
    // A list stays on one line ("Best,\nMeenakshi Venkataraman" is a closing).
    let list_gap = |g: &str| !g.contains('\n') && w.list_separators.contains_exactly(g.trim());
    let near = |k: usize| {
        labels[k].is_name() && {
            let (a, b) = if k < u { (k, u) } else { (u, k) };
            list_gap(d.gap(a, b))
        }
    };
    // The gap text between units includes "and" only when "and" is not a unit of its own; it
    // is a unit, so look two units away as well.
    let via_and = |k: usize, mid: usize| {
        labels[k].is_name()
            && d.word_is(mid, &w.list_conjunctions)
            && only_spaces(d.gap(k.min(mid), k.max(mid)))
            && only_spaces(d.gap(u.min(mid), u.max(mid)))
    };
    (u > 0 && near(u - 1))
        || (u + 1 < n && near(u + 1))
        || (u >= 2 && via_and(u - 2, u - 1))
        || (u + 2 < n && via_and(u + 2, u + 1))
}

/// A possible name word joined to a name, or listed with one. On a mixed-case line a name or
/// unknown word (or initial) beside it; in a list also a very common word when it is a
/// frequent given name ("Grace, Hope and Will"; not "Rusty Moody, School Counselor"). On a
/// single-case line a dictionary name that is no word, a frequent name beside a cue-found
/// one, an initial or unknown word beside a name, or a lower-case unknown word listed with
/// one ("marguerite and oskel"). A very common word opening a sentence ("Later Jane Roe came")
/// does not join the name after it.
pub(super) fn beside_or_listed(d: &Doc, labels: &[Label], u: usize) -> Option<Label> {
    let n = d.n();
    let e = d.entry(u);
    let strong_right = u + 1 < n && labels[u + 1].is_strong_name();
    let opens_sentence = d.tok(u).sentence_start
        && e.tier == 1
        && !(e.has(flag::FIRST) && e.first_pm >= FREQUENT_PM)
        && !strong_right;
    let adjacent = (u > 0 && labels[u - 1].is_name() && joined(d, u - 1, u))
        || (u + 1 < n && labels[u + 1].is_name() && joined(d, u, u + 1) && !opens_sentence);
    let listed = listed(d, labels, u);
    let ok = if d.mixed(u) {
        if adjacent {
            !e.has(flag::SAFE) && (e.has(flag::NAME) || !e.has(flag::KNOWN) || d.is_initial(u))
        } else {
            listed
                && (e.has(flag::NAME) || !e.has(flag::KNOWN))
                && !e.has(flag::SAFE)
                && (e.tier == 0 || e.first_pm >= FREQUENT_PM)
        }
    } else {
        let strong_adjacent = (u > 0 && labels[u - 1].is_strong_name() && joined(d, u - 1, u))
            || (u + 1 < n && labels[u + 1].is_strong_name() && joined(d, u, u + 1));
        (adjacent || listed)
            && (e.has(flag::NAME) && e.tier == 0 && (name_pm(e) >= NEUTRAL_MIN_PM || adjacent)
                || strong_adjacent
                    && e.has(flag::NAME)
                    && name_pm(e) >= FREQUENT_PM
                    && !e.has(flag::SAFE | flag::ENGLISH)
                    && !d.function_word(u)
                || adjacent && d.is_initial(u)
                || adjacent && !e.has(flag::KNOWN) && d.chars(u) >= 3
                || listed
                    && d.shape_is(u, Shape::Lower)
                    && !e.has(flag::KNOWN)
                    && d.chars(u) >= 3
                    && d.alphabetic(u)
                    && !d.clinical(u))
    };
    ok.then_some(Label::weak(0.7))
}

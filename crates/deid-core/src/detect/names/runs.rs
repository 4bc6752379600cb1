//! Name shapes found after pass 1: runs of unknown non-ASCII capitalised words, full names
//! typed in lower case, an initial before a surname.

use super::evidence::{dotted_gap, name_gap, o_surname, only_spaces, Doc};
use super::Label;
use crate::detect::dictionary::flag;
use crate::text::Shape;

/// Runs of two or more capitalised words on a mixed-case line found in no dictionary (but the
/// name lists), unlabelled so far, at least one of them non-ASCII, are names: "Ólafur
/// Gunnarsson", "Nguyễn Minh Khoa".
pub(super) fn non_ascii_runs(d: &Doc, labels: &mut [Label]) {
    let n = d.n();
    let mut u = 0;
    while u < n {
        let unknown_cap = |k: usize| {
            let e = d.entry(k);
            d.mixed_title(k)
                && labels[k] == Label::None
                && !e.has(flag::KNOWN & !flag::NAME)
                && e.tier == 0
                && d.nameable(k)
        };
        let mut v = u;
        while v < n && unknown_cap(v) && (v == u || name_gap(d.gap(v - 1, v))) {
            v += 1;
        }
        if v - u >= 2 && (u..v).any(|k| !d.word(k).is_ascii()) {
            labels[u..v].fill(Label::weak(0.6));
        }
        u = v.max(u + 1);
    }
}

/// "will consult with patty hoeller", "pat rixford", "with dennis doyle": a name typed in
/// lower case, as a frequent given name (100 per million or more) and then a word of four or
/// more letters that is a rare surname, a weak surname found in pass 1, or no dictionary word
/// at all (neither English nor clinical shorthand).
pub(super) fn lower_case_names(d: &Doc, labels: &mut [Label]) {
    for u in 0..d.n().saturating_sub(1) {
        let (ea, eb) = (d.entry(u), d.entry(u + 1));
        // "with dennis doyle": the surname may already be a (weak) dictionary name, and then
        // it may be a given name too.
        let b_weak_surname =
            matches!(labels[u + 1], Label::Name { strong: false, .. }) && eb.has(flag::LAST);
        if labels[u] == Label::None
            && (labels[u + 1] == Label::None || b_weak_surname)
            && d.shape_is(u, Shape::Lower)
            && d.shape_is(u + 1, Shape::Lower)
            && only_spaces(d.gap(u, u + 1))
            && ea.has(flag::FIRST)
            && ea.first_pm >= 100.0
            && !ea.has(flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
            && !d.function_word(u)
            && d.chars(u + 1) >= 4
            && eb.tier == 0
            && !eb.has(flag::ENGLISH | flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
            && (b_weak_surname
                || !eb.has(flag::FIRST | flag::PLACE)
                    && (eb.has(flag::LAST) && eb.last_pm < 50.0 || !eb.has(flag::KNOWN)))
            && d.word(u + 1).bytes().all(|c| c.is_ascii_lowercase())
            && !d.clinical(u + 1)
        {
            labels[u..=u + 1].fill(Label::weak(0.6));
        }
    }
}

/// "K. Jackson", "k. o'hara": an initial right before a word the dictionaries took for a
/// place but which is also a surname, or before an O'/D' surname, makes both a name; an
/// initial that is a compass point does not ("N. Carolina" stays a state).
pub(super) fn initials_before_surnames(d: &Doc, labels: &mut [Label]) {
    for u in 0..d.n().saturating_sub(1) {
        let eb = d.entry(u + 1);
        let o_name = o_surname(d.word(u + 1));
        if labels[u] == Label::None
            && (matches!(labels[u + 1], Label::Place(..)) && (eb.has(flag::LAST) || o_name)
                || labels[u + 1] == Label::None && o_name)
            && d.is_initial(u)
            && dotted_gap(d.gap(u, u + 1))
            && !eb.has(flag::STATE | flag::ENGLISH | flag::SAFE)
            && !d.word_is(u, &d.words().compass_initials)
        {
            labels[u..=u + 1].fill(Label::weak(0.7));
        }
    }
}

//! Document-wide steps after the neighbours: a found place or name labels its other
//! occurrences; a place before a facility noun is an organisation; a pronoun after a speaker
//! label is no name.

use super::evidence::{name_gap, only_spaces, Doc};
use super::Label;
use crate::category::Category;
use crate::detect::dictionary::flag;
use crate::text::Shape;
use rustc_hash::FxHashSet as HashSet;

/// The lower-cased text of every unit labelled so that `keep(unit, label)` holds.
fn found_words(d: &Doc, labels: &[Label], keep: impl Fn(usize, Label) -> bool) -> HashSet<String> {
    (0..d.n())
        .filter(|&u| keep(u, labels[u]))
        .map(|u| d.word(u).to_lowercase())
        .collect()
}

/// Once a word is a location or city in this document ("TRANSFERRED TO GH"), its other
/// unlabelled occurrences are too ("SENT TO ED AT GH"). Only single words of two or more
/// letters that are no English, safe-list, common or function word spread, and never onto a
/// cue word.
pub(super) fn places(d: &Doc, labels: &mut [Label]) {
    let places = found_words(d, labels, |u, l| {
        let e = d.entry(u);
        matches!(l, Label::Place(Category::Location | Category::City, _))
            && d.chars(u) >= 2
            && !e.has(flag::ENGLISH | flag::SAFE)
            && e.tier == 0
            && !d.function_word(u)
            && d.single(u)
    });
    if places.is_empty() {
        return;
    }
    for (u, label) in labels.iter_mut().enumerate() {
        if *label != Label::None
            || d.entry(u)
                .has(flag::ENGLISH | flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
        {
            continue;
        }
        if places.contains(&d.word(u).to_lowercase()) {
            *label = Label::Place(Category::Location, 0.6);
        }
    }
}

/// "Frederick hospital", "laurel Memorial": a location, city or organisation followed by a
/// facility noun is the facility's name; the two are one organisation.
pub(super) fn facility_nouns(d: &Doc, labels: &mut [Label]) {
    for u in 0..d.n().saturating_sub(1) {
        if let Label::Place(Category::Location | Category::City | Category::Organization, c) =
            labels[u]
        {
            if labels[u + 1] == Label::None
                && only_spaces(d.gap(u, u + 1))
                && d.word_is(u + 1, &d.words().facility_nouns)
            {
                labels[u] = Label::Place(Category::Organization, c);
                labels[u + 1] = labels[u];
            }
        }
    }
}

/// "CAMHS North Tyneside", "DCJ Tamworth", "Luton CMHT", "Regent Park CHC": a service's
/// acronym written next to a place makes the two one organisation; so does a listed
/// organisation, the branch named by its town ("headspace Ballarat", "JIGSAW KILKENNY",
/// "Tesco Basingstoke"; [`listed_service`]). An acronym is a word of
/// two to six ASCII capitals on a mixed-case line, or of three to six letters without a
/// vowel on any line ("LUTON CMHT", "dcj tamworth"), that no dictionary or word list knows
/// (no state, region or country code, title, credential, English, name or clinical word).
pub(super) fn service_acronyms(d: &Doc, labels: &mut [Label]) {
    let acronym = |k: usize| {
        let w = d.word(k);
        let b = w.as_bytes();
        let no_vowel = b.len() >= 3
            && !b
                .iter()
                .any(|c| matches!(c.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u'));
        d.single(k)
            && (2..=6).contains(&b.len())
            && b.iter().all(u8::is_ascii_alphabetic)
            && (d.mixed(k) && d.shape_is(k, Shape::Upper) || no_vowel)
            && !d.entry(k).has(
                flag::KNOWN
                    | flag::TITLE
                    | flag::ROLE
                    | flag::CREDENTIAL
                    | flag::HEADER
                    | flag::STATE_ABBR
                    | flag::PLACE_CUE
                    | flag::FACILITY_CUE
                    | flag::POST_CUE,
            )
            && !d.function_word(k)
            && !d.word_is(k, &d.words().regions)
            && !d.word_is(k, &d.words().country_codes)
            && !d.clinical(k)
    };
    let n = d.n();
    let mut u = 0;
    while u < n {
        let Label::Place(Category::City | Category::Location | Category::State, conf) = labels[u]
        else {
            u += 1;
            continue;
        };
        // A run of places: "Ultimo", "NSW Ultimo" (after "TAFE").
        let mut v = u;
        while v + 1 < n
            && matches!(
                labels[v + 1],
                Label::Place(Category::City | Category::Location | Category::State, _)
            )
            && only_spaces(d.gap(v, v + 1))
        {
            v += 1;
        }
        let service = |k: usize| {
            labels[k] == Label::None && acronym(k)
                || matches!(labels[k], Label::Place(Category::Organization, _))
                || labels[k] == Label::None && listed_service(d, k)
        };
        let before = u > 0 && only_spaces(d.gap(u - 1, u)) && service(u - 1);
        let after = v + 1 < n && only_spaces(d.gap(v, v + 1)) && service(v + 1);
        if before || after {
            let from = if before { u - 1 } else { u };
            let to = if after { v + 1 } else { v };
            let org = Label::Place(Category::Organization, conf.max(0.7));
            for l in &mut labels[from..=to] {
                *l = org;
            }
        }
        v += usize::from(after);
        u = v + 1;
    }
}

/// Is unit `u` a listed organisation (`rules/dictionaries/organisations.tsv`) that no cue
/// found ("headspace", "JIGSAW", "tesco"), of four letters or more and no common word
/// ("boots", "shelter"): beside a place it names that place's branch. On a lower-case line an
/// English word ("mind", "jigsaw") stays a word.
fn listed_service(d: &Doc, u: usize) -> bool {
    let e = d.entry(u);
    e.has(flag::ORG)
        && !e.has(flag::SAFE)
        && e.tier == 0
        && d.chars(u) >= 4
        && d.alphabetic(u)
        && (!e.has(flag::ENGLISH) || d.mixed(u) || d.shape_is(u, Shape::Upper))
}

/// A common word is a known name when a cue found it, or it is the capitalised given name of
/// a full name ("Will Baptiste (33)", "Partners: Hope Garland"); any other name that is no
/// common word is known as it is.
fn known_name(d: &Doc, labels: &[Label], u: usize) -> bool {
    let Label::Name { strong, .. } = labels[u] else {
        return false;
    };
    let e = d.entry(u);
    let given_of_full = e.has(flag::FIRST)
        && d.mixed_title(u)
        && u + 1 < d.n()
        && labels[u + 1].is_name()
        && name_gap(d.gap(u, u + 1));
    d.chars(u) >= 2
        && !e.has(flag::ENGLISH | flag::SAFE)
        && (e.tier == 0 || strong || given_of_full)
}

/// A verb, a modal or ", who" follows unit `u`: "Rose found", "DAWN CRIED", "PAGE'S", "Hope
/// will call", "Will, who works nights".
fn verb_next(d: &Doc, u: usize) -> bool {
    let w = d.words();
    d.followed_by_verb(u)
        || u + 1 < d.n()
            && (only_spaces(d.gap(u, u + 1)) && d.word_is(u + 1, &w.modal_verbs)
                || d.gap(u, u + 1) == ", " && d.word_is(u + 1, &w.relative_pronouns))
}

/// Pass 3: once a string is a name in this document, its other unlabelled occurrences are too
/// (no cue word, English or safe-list word, pronoun, or word shaped like clinical
/// vocabulary). A very common word ("Will", "Rose", "DAWN") needs to be capitalised on a
/// mixed-case line, or in capitals before a verb on a single-case line, and not open a
/// sentence unless a verb follows.
pub(super) fn names(d: &Doc, labels: &mut [Label]) {
    let known = found_words(d, labels, |u, _| known_name(d, labels, u));
    if known.is_empty() {
        return;
    }
    for (u, label) in labels.iter_mut().enumerate() {
        if *label != Label::None {
            continue;
        }
        let e = d.entry(u);
        if e.has(
            flag::TITLE | flag::CREDENTIAL | flag::HEADER | flag::ROLE | flag::ENGLISH | flag::SAFE,
        ) || d.pronoun(u)
        {
            continue;
        }
        let verb_next = verb_next(d, u);
        let ok = if d.mixed(u) {
            d.capitalised(u) || e.tier == 0 && !e.has(flag::SAFE)
        } else {
            e.tier == 0 && !e.has(flag::SAFE)
                || d.shape_is(u, Shape::Upper) && (e.tier != 1 || verb_next)
        };
        let ok = ok && !(e.tier == 1 && d.tok(u).sentence_start && !verb_next);
        if ok && known.contains(&d.word(u).to_lowercase()) && !d.clinical(u) {
            *label = Label::weak(0.75);
        }
    }
}

/// A speaker label is structure, not a cue: a pronoun found as a name right after one is the
/// speaker's first word, unless a name follows it ("Client: My nan's 94 now", "T: Her mum
/// came"); so is a very common English word or a function word followed by a lower-case word
/// ("Counsellor: How has the week been", "Client: Rose from bed at noon", "CLINICIAN: HOW WAS
/// THE WEEK"), unless a verb of speaking follows it ("Client: Hope says hi").
pub(super) fn speaker_labels(d: &Doc, labels: &mut [Label]) {
    // "social: bill called" names a visitor: a social header is no speaker label.
    // The word must follow the label directly ("MRN: 00482913 Will follow up" is no speech,
    // and neither is "MRN: [ID] Will follow up" once redacted).
    let speech = |u: usize| {
        d.gap(u - 1, u)
            .strip_prefix(':')
            .is_some_and(|rest| rest.chars().all(char::is_whitespace))
            && !d.word_is(u - 1, &d.words().social_headers)
            && (d.entry(u).tier == 1 || d.function_word(u))
            // "Client: Hope from work rang": a verb of speaking makes it a person.
            && !d.subject_of_speech(u)
            // "C: Hope and I used to walk": joined to the speaker, a person.
            && !super::cues::and_the_speaker(d, u)
            && (u + 1 < d.n()
                && only_spaces(d.gap(u, u + 1))
                && (d.shape_is(u + 1, Shape::Lower)
                    // On an ALL-CAPS line: a very common or function word after it.
                    || !d.mixed(u + 1) && (d.entry(u + 1).tier == 1 || d.function_word(u + 1)))
                // A one-word reply: "Dad: Fine.", "Father: No!"
                || d.after(u).starts_with(['.', '!']))
    };
    for u in 1..d.n() {
        if labels[u].is_name()
            && (d.pronoun(u) || speech(u))
            && d.gap(u - 1, u).starts_with(':')
            && d.tok(u - 1).sentence_start
            && !(u + 1 < d.n() && labels[u + 1].is_name())
        {
            labels[u] = Label::None;
        }
    }
}

/// Is unit `u` in a speaker label's place, a colon right after it: `Some(true)` first on its
/// line (an opening quote or a bullet may stand before it: `"Jaspal: can u cover`),
/// `Some(false)` after the end of another speaker's sentence (". T: Mm.") or the " / "
/// between messages of a quoted chat.
fn line_label(d: &Doc, u: usize) -> Option<bool> {
    if !d.after(u).starts_with(':') {
        return None;
    }
    let start = d.units[u].start;
    let line = &d.text[d.text[..start].rfind('\n').map_or(0, |i| i + 1)..start];
    if line
        .chars()
        .all(|c| matches!(c, '"' | '“' | '\'' | '‘' | '-' | '•' | '*' | '>' | ' '))
    {
        return Some(true);
    }
    [". ", "? ", "! ", " / "]
        .iter()
        .any(|e| line.ends_with(e))
        .then_some(false)
}

/// In a transcript or a quoted chat, a word in a speaker label's place is the speaker's name
/// ("Mere: Not great.", `"Jaspal: can u cover my shift / me: sweet as"`) when it is
/// capitalised, is a given name or a word no dictionary knows, and is no function word,
/// clinical term or very common English word: a given name when the text has a role label
/// (`Counsellor:`, `T:`, `me:`) or the word opens two or more labels, another word when both
/// hold (a header such as "Goal:" repeats too, but is known or common).
pub(super) fn speaker_names(d: &Doc, labels: &mut [Label]) {
    let mut roles = 0;
    let mut speakers: Vec<usize> = Vec::new();
    for u in 0..d.n() {
        let Some(first) = line_label(d, u) else {
            continue;
        };
        let e = d.entry(u);
        // A role: a header word (Counsellor, Client), a relation or a listed speaker role
        // (Mum, YP, Kaimahi), the transcript letters T and C (not the S, O, A, P of a SOAP
        // note) or a chat's "me".
        if e.has(flag::HEADER | flag::RELATION)
            || d.word_is(u, &d.words().speaker_roles)
            || ["t", "c", "me"]
                .iter()
                .any(|r| d.word(u).eq_ignore_ascii_case(r))
        {
            roles += 1;
        } else if d.chars(u) == 1 {
            continue;
        } else if d.alphabetic(u)
            && (d.shape_is(u, Shape::Title) || d.shape_is(u, Shape::Upper))
            && d.chars(u) >= 2
            && !d.function_word(u)
            && !d.pronoun(u)
            && e.flags & (flag::SAFE | flag::TITLE | flag::CREDENTIAL | flag::ROLE) == 0
            && e.tier != 1
            && (e.first_pm.max(e.other_first_pm) > 0.0 || e.flags & flag::KNOWN == 0 && first)
        {
            speakers.push(u);
        }
    }
    for &u in &speakers {
        let w = d.word(u);
        let n = speakers
            .iter()
            .filter(|&&v| d.word(v).eq_ignore_ascii_case(w))
            .count();
        let e = d.entry(u);
        let given = e.first_pm.max(e.other_first_pm) > 0.0;
        let unknown = e.flags & flag::KNOWN == 0 && d.chars(u) >= 3 && !d.clinical(u);
        // Once only, a label must open words, as speech does ("Mereana: I rang him"), not a
        // number or code ("NHI: ZPG4935", "Ward: 7B"), and must be no place or form word;
        // a word no dictionary knows must be written as a name ("Mereana", not "OHIP").
        let once_ok = || {
            let next = d.after(u)[1..].trim_start();
            let word = next
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?'))
                .next()
                .unwrap_or("");
            !word.is_empty()
                && word.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '’')
                // On a line with lower case, a name is written as one ("NHI: ...", "OHIP:
                // ..." are labels of a form).
                && (d.shape_is(u, Shape::Title) || !d.mixed(u))
                && e.flags
                    & (flag::PLACE
                        | flag::PLACE_CUE
                        | flag::FACILITY_CUE
                        | flag::PLACE_NOUN
                        | flag::ORG_NOUN
                        | flag::ADDRESS_UNIT
                        | flag::POST_CUE)
                    == 0
        };
        let speaker = if given {
            n >= 2 || roles > 0 && once_ok()
        } else {
            unknown && roles > 0 && (n >= 2 || d.has_vowel(u) && once_ok())
        };
        if speaker && !labels[u].is_strong_name() {
            labels[u] = Label::cued(0.8);
        }
    }
}

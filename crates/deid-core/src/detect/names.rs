//! Names and places from dictionaries and context: titles, header fields, credentials, role
//! cues, capitalisation (only where the line is mixed case), neighbouring names, name lists,
//! and propagation of a found name to its other occurrences in the same document.

use super::dictionary::{flag, Dictionaries, Entry};
use super::Candidate;
use crate::category::{Category, Kind};
use crate::text::{is_finite_verb, tokenize, LineCase, Shape, Token};
use rustc_hash::FxHashSet as HashSet;
use std::sync::Arc;

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

struct Unit {
    /// First and last token (inclusive).
    t0: usize,
    t1: usize,
    start: usize,
    end: usize,
    entry: Option<u32>,
    /// Length in characters.
    chars: u32,
}

static EMPTY: Entry = Entry {
    flags: 0,
    tier: 0,
    first_pm: 0.0,
    last_pm: 0.0,
    population: 0,
    other_first_pm: 0.0,
};

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
        }
    }
}

/// On ALL-CAPS or all-lower-case lines capitals say nothing, so a dictionary name there needs
/// to be a name of some frequency (per million people) to count on weak evidence; the tail of
/// the surname list is full of words that are abbreviations in clinical shorthand.
const NEUTRAL_MIN_PM: f32 = 2.0;

fn name_pm(e: &Entry) -> f32 {
    e.first_pm.max(e.last_pm)
}

/// A number right before or after a word ("Nipride 0.5", "2 Nepro") marks clinical shorthand.
fn near_number(text: &str, start: usize, end: usize) -> bool {
    let after = text[end..].trim_start_matches([' ', '@', '-', ':']);
    let before = text[..start].trim_end_matches([' ', '-', ':']);
    after.starts_with(|c: char| c.is_ascii_digit())
        || before.ends_with(|c: char| c.is_ascii_digit())
}

/// Auxiliaries, prepositions and the like: never a name on an ALL-CAPS or lower-case line,
/// whatever the surname list says ("SON WILL CALL", "sister in law").
fn is_function_word(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "will", "may", "can", "has", "had", "have", "is", "was", "are", "were", "did", "does",
        "do", "would", "could", "should", "must", "might", "shall", "in", "to", "at", "on", "of",
        "and", "or", "the", "a", "an", "for", "with", "by", "as", "per", "not", "no", "yes", "ok",
        "all", "any", "so", "if", "be", "been", "am", "other", "also", "here", "there", "home",
        "called", "came", "visited", "left", "says", "said", "states", "this", "that", "then",
        "than", "from", "into", "up", "out", "off", "re",
    ];
    w.len() <= 7 && WORDS.iter().any(|x| x.eq_ignore_ascii_case(w)) || is_pronoun(w)
}

/// Personal and possessive pronouns: never a name, whatever a dictionary or an earlier
/// occurrence says ("He continues on ampicillin").
fn is_pronoun(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "he", "she", "him", "her", "his", "hers", "it", "its", "we", "us", "they", "them", "me",
        "my", "you", "your", "our", "their", "i",
    ];
    w.len() <= 5 && WORDS.iter().any(|x| x.eq_ignore_ascii_case(w))
}

fn only_spaces(g: &str) -> bool {
    !g.is_empty() && g.len() <= 3 && g.bytes().all(|b| b == b' ' || b == b'\t')
}

/// Gap allowed inside one name: spaces or a hyphen; see `dotted_gap` for "J. Roe", "Dr. Roe".
fn name_gap(g: &str) -> bool {
    only_spaces(g) || g == "-"
}

/// "O'Brien", "d'Souza", "O’Neill": the name lists spell these without the apostrophe
/// (Obrien), so the place list's "O'Brien, TX" would otherwise be all the dictionaries know.
fn o_surname(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 5
        && matches!(b[0], b'o' | b'O' | b'd' | b'D')
        && (b[1] == b'\'' || w[1..].starts_with('’'))
        && w[1..].chars().skip(1).all(char::is_alphabetic)
}

/// A dot gap ("J. Roe", "Dr. Roe"), allowed only after an initial or a title.
fn dotted_gap(g: &str) -> bool {
    g == "." || (g.starts_with('.') && only_spaces(&g[1..]))
}

pub(crate) fn detect(dict: &Dictionaries, ids: &Ids, text: &str, out: &mut Vec<Candidate>) {
    let tokens = tokenize(text);
    if tokens.is_empty() {
        return;
    }
    // Group tokens into units: a dictionary match may cover several tokens ("New York").
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
        };
        Dictionaries::lower_into(&text[t.start..t.end], &mut lower);
        let (word_entry, phrase_start) = dict.lookup(&lower);
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
        // Given names of other registers are the learned scorer's evidence, not these rules'.
        if unit
            .entry
            .is_some_and(|i| dict.entry(i).flags == flag::GIVEN_OTHER)
        {
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
    let n = units.len();
    let entry = |u: &Unit| -> &Entry { u.entry.map_or(&EMPTY, |i| dict.entry(i)) };
    // Unknown words shaped like clinical vocabulary (drug endings, misspellings, clipped
    // words), computed once per unit when first asked.
    let clinical_cache: Vec<std::cell::OnceCell<bool>> =
        (0..n).map(|_| Default::default()).collect();
    let clinical = |k: usize| -> bool {
        *clinical_cache[k].get_or_init(|| {
            let u = &units[k];
            u.t0 == u.t1 && !entry(u).has(flag::KNOWN) && dict.clinical_shape(&text[u.start..u.end])
        })
    };
    let tok = |u: &Unit| -> &Token { &tokens[u.t0] };
    let gap = |a: usize, b: usize| -> &str { &text[units[a].end..units[b].start] };
    let len_chars = |u: &Unit| u.chars as usize;
    // Is unit `k` one of these words (ASCII case-insensitive, no allocation)?
    let word_is = |k: usize, words: &[&str]| -> bool {
        let w = &text[units[k].start..units[k].end];
        words.iter().any(|x| x.eq_ignore_ascii_case(w))
    };
    // The cue before unit `u` whose previous unit is `p`, skipping one "the" ("TO THE GH",
    // "from the Eastern Shore"): (cue unit, whether a "the" was skipped).
    let cue_skipping_the = |p: usize| -> (usize, bool) {
        if p > 0 && word_is(p, &["the"]) && only_spaces(gap(p - 1, p)) {
            (p - 1, true)
        } else {
            (p, false)
        }
    };
    // The word after unit `u` looks like a finite verb, or `u` is possessive.
    let followed_by_verb = |u: usize| -> bool {
        let after = &text[units[u].end..];
        if after.starts_with("'s") || after.starts_with("’s") || after.starts_with("'S") {
            return true;
        }
        if u + 1 >= n || !only_spaces(gap(u, u + 1)) {
            return false;
        }
        is_finite_verb(&text[units[u + 1].start..units[u + 1].end])
    };
    // Stricter: a past-tense verb follows ("Rose found", "Dawn cried"); "Hope is low" and
    // "Young adults" do not count.
    let followed_by_past_verb = |u: usize| -> bool {
        if u + 1 >= n || !only_spaces(gap(u, u + 1)) {
            return false;
        }
        let w = &text.as_bytes()[units[u + 1].start..units[u + 1].end];
        !word_is(u + 1, &["is", "was", "has", "does", "had", "did"])
            && is_finite_verb(&text[units[u + 1].start..units[u + 1].end])
            && (!w.last().is_some_and(|c| c.eq_ignore_ascii_case(&b's'))
                || w.len() >= 2 && w[w.len() - 2..].eq_ignore_ascii_case(b"ed"))
    };
    // "Will's family", "PAGE'S SUSPENSION": a possessive before a word.
    let possessive = |u: usize| -> bool {
        let after = &text[units[u].end..];
        ["'s ", "’s ", "'S ", "’S "]
            .iter()
            .any(|p| after.starts_with(p))
            && after[after.find(' ').map_or(after.len(), |i| i + 1)..]
                .starts_with(|c: char| c.is_alphabetic())
    };
    // The next word is a lower-case word other than a verb ("Miller beer", "Post treatment";
    // not "Park was").
    let followed_by_lower = |u: usize| -> bool {
        u + 1 < n
            && only_spaces(gap(u, u + 1))
            && tokens[units[u + 1].t0].shape == Shape::Lower
            && !is_finite_verb(&text[units[u + 1].start..units[u + 1].end])
    };
    // An eponym noun follows ("Riker scale", "greenfield filter", "Passey muir valve").
    let before_eponym_noun = |u: usize| -> bool {
        (u + 1..n.min(u + 3))
            .take_while(|&k| only_spaces(gap(k - 1, k)))
            .any(|k| entry(&units[k]).has(flag::EPONYM_NOUN))
    };
    let mixed = |u: &Unit| tok(u).case == LineCase::Mixed;
    let capitalised = |u: &Unit| matches!(tok(u).shape, Shape::Title | Shape::Upper);
    // "J. Roe"; on a line without case information also "d. renna".
    let is_initial = |k: usize| {
        let u = &units[k];
        len_chars(u) == 1
            && (tok(u).shape == Shape::Upper
                || tok(u).shape == Shape::Lower && tok(u).case != LineCase::Mixed)
            && text[u.end..].starts_with('.')
            && text[u.start..u.end].chars().all(char::is_alphabetic)
    };
    // Could this unit be (part of) a name, given a cue for it?
    // `nameable_cued` for strong cues (titles, credentials, header fields, a name next to it);
    // `nameable` also rejects unknown words shaped like clinical vocabulary.
    let nameable_cued = |k: usize| {
        let u = &units[k];
        // An initial ("W.", "J.") is always a possible part of a name, whatever single-letter
        // words the dictionaries hold.
        if is_initial(k) {
            return true;
        }
        let e = entry(u);
        if e.has(
            flag::TITLE
                | flag::CREDENTIAL
                | flag::HEADER
                | flag::ROLE
                | flag::PLACE_CUE
                | flag::FACILITY_CUE
                | flag::POST_CUE
                | flag::ENGLISH,
        ) || (len_chars(u) < 2
            && !(tok(u).shape == Shape::Upper && text[u.end..].starts_with('.')))
            || text[u.start..u.end].chars().any(|c| c.is_ascii_digit())
        {
            return false;
        }
        if !text[u.start..u.end]
            .chars()
            .next()
            .is_some_and(char::is_alphabetic)
        {
            return false;
        }
        let wb = &text.as_bytes()[u.start..u.end];
        if [
            "'ll", "'re", "'ve", "'d", "'m", "n't", "’ll", "’re", "’ve", "’d", "’m", "n’t",
        ]
        .iter()
        .any(|c| wb.len() >= c.len() && wb[wb.len() - c.len()..].eq_ignore_ascii_case(c.as_bytes()))
        {
            return false;
        }
        if mixed(u) {
            capitalised(u) && !(e.has(flag::SAFE) && tok(u).shape == Shape::Upper)
        } else {
            !e.has(flag::SAFE | flag::ENGLISH | flag::ROLE | flag::PLACE_CUE)
                && e.tier != 1
                && !is_function_word(&text[u.start..u.end])
        }
    };

    let nameable = |k: usize| nameable_cued(k) && !clinical(k);

    // "SEEN BY VONDRA MESSORE", "seen by lylia woodhams": two dictionary names, neither an
    // ordinary word, however rare, make a full name after a cue on a single-case line.
    let rare_full_name = |k: usize| {
        let plain_name = |j: usize| {
            let ej = entry(&units[j]);
            ej.has(flag::NAME)
                && ej.tier == 0
                && !ej.has(
                    flag::ENGLISH
                        | flag::SAFE
                        | flag::TITLE
                        | flag::ROLE
                        | flag::CREDENTIAL
                        | flag::HEADER,
                )
                && len_chars(&units[j]) >= 3
                && !is_function_word(&text[units[j].start..units[j].end])
                && !clinical(j)
        };
        !mixed(&units[k])
            && k + 1 < n
            && name_gap(gap(k, k + 1))
            && plain_name(k)
            && plain_name(k + 1)
            && entry(&units[k]).has(flag::FIRST)
    };

    let mut labels = vec![Label::None; n];

    // Pass 1: cues and dictionary evidence.
    for u in 0..n {
        let e = entry(&units[u]);
        let prev = u.checked_sub(1);
        // Title right before: "Dr. Roe", "MRS KING".
        if let Some(p) = prev {
            let pe = entry(&units[p]);
            // "dr. griffin" typed in lower case on a mixed line: a name word or an unknown
            // word after a title still counts.
            // Titles that are also clinical nouns or abbreviations ("MD aware", "ms given").
            let clinical_title = pe.has(flag::TITLE) && word_is(p, &["ms", "mr", "md", "rn", "np"]);
            let lower_after_title = pe.has(flag::TITLE)
                && (tok(&units[u]).shape == Shape::Lower || !mixed(&units[u]))
                && !is_function_word(&text[units[u].start..units[u].end])
                && len_chars(&units[u]) >= 2
                && !e.has(flag::TITLE | flag::CREDENTIAL | flag::ROLE | flag::ENGLISH)
                && (e.tier == 0 || e.has(flag::NAME) && (dotted_gap(gap(p, u)) || !clinical_title))
                && (e.has(flag::NAME) || !e.has(flag::KNOWN | flag::SAFE))
                && !text[units[u].start..units[u].end]
                    .chars()
                    .any(|c| c.is_ascii_digit());
            let relation_word =
                pe.has(flag::RELATION) && mixed(&units[p]) && tok(&units[p]).shape == Shape::Lower;
            let lower_after_title = lower_after_title
                && !clinical(u)
                && (e.has(flag::NAME) || !is_finite_verb(&text[units[u].start..units[u].end]));
            // Such titles ("NP. Sats", "MS STILL" for mental status, "RN from VA") need a real
            // name after them.
            let honorific = word_is(p, &["ms", "mr"]);
            let role_title = word_is(p, &["md", "rn", "np", "nurse"])
                || honorific
                    && tok(&units[p]).shape == Shape::Upper
                    && (!dotted_gap(gap(p, u)) || mixed(&units[p]));
            let name_after_role_title = || {
                let w = &units[u];
                // "MD. Pain", "NP. Sats": only Ms./Mr. take a dot.
                let dotted_ms = honorific && dotted_gap(gap(p, u));
                if !name_gap(gap(p, u)) && !dotted_ms {
                    return false;
                }
                if is_initial(u) {
                    return true;
                }
                if mixed(w) {
                    tok(w).shape == Shape::Title
                        && (e.has(flag::NAME) && e.tier != 1 || !e.has(flag::KNOWN))
                        || tok(w).shape == Shape::Upper
                            && len_chars(w) >= 3
                            && e.has(flag::NAME)
                            && (e.tier == 0 || e.first_pm >= 50.0)
                } else {
                    e.has(flag::NAME)
                        && (e.tier == 0 && name_pm(e) >= NEUTRAL_MIN_PM
                            || e.tier != 0 && name_pm(e) >= 50.0 && tok(w).shape == Shape::Upper)
                        && !is_function_word(&text[w.start..w.end])
                }
            };
            // "mr B slept", "Dr. o keefe", "DR. O BRIEN": after a personal title, a capital
            // letter on its own (an initial without its dot) or the Irish "O" written apart
            // from the surname.
            if pe.has(flag::TITLE)
                && !role_title
                && !relation_word
                && (name_gap(gap(p, u)) || dotted_gap(gap(p, u)))
                && word_is(p, &["mr", "mrs", "ms", "miss", "mister", "dr", "doctor"])
            {
                let w = &text[units[u].start..units[u].end];
                let after = &text[units[u].end..];
                let lone_capital = w.len() == 1
                    && w.as_bytes()[0].is_ascii_uppercase()
                    && (after.is_empty() || after.starts_with([' ', ',', ';', ')', '\n']));
                let irish_o = w.eq_ignore_ascii_case("o")
                    && u + 1 < n
                    && gap(u, u + 1) == " "
                    && len_chars(&units[u + 1]) >= 3
                    && text[units[u + 1].start..units[u + 1].end]
                        .chars()
                        .all(char::is_alphabetic)
                    && !entry(&units[u + 1]).has(
                        flag::ENGLISH | flag::SAFE | flag::ROLE | flag::TITLE | flag::CREDENTIAL,
                    )
                    && !is_function_word(&text[units[u + 1].start..units[u + 1].end]);
                if lone_capital || irish_o {
                    labels[p] = Label::Title;
                    labels[u] = Label::Name {
                        conf: 0.9,
                        strong: true,
                    };
                    if irish_o {
                        labels[u + 1] = labels[u];
                    }
                    continue;
                }
            }
            // A dot after a title joins only an abbreviation ("Dr. Roe", "Prof. Li"); after a
            // whole word it ends a sentence ("... a college professor. He ...").
            if pe.has(flag::TITLE)
                && !relation_word
                && (name_gap(gap(p, u)) || dotted_gap(gap(p, u)) && len_chars(&units[p]) <= 4)
                && if role_title {
                    name_after_role_title()
                } else {
                    nameable_cued(u) || lower_after_title
                }
            {
                labels[p] = Label::Title;
                labels[u] = Label::Name {
                    conf: 0.95,
                    strong: true,
                };
                continue;
            }
        }
        // Credential right after: "Maria Lopez, LCSW".
        if u + 1 < n {
            let ne = entry(&units[u + 1]);
            let g = gap(u, u + 1);
            let relation_after = ne.has(flag::ROLE)
                && g.trim_start() == "("
                && text[units[u + 1].end..].starts_with(')');
            let credential_after = ne.has(flag::CREDENTIAL)
                && (only_spaces(g) || g.starts_with(',') && (g.len() == 1 || only_spaces(&g[1..])));
            // Credentials that are also clinical abbreviations (PA = pulmonary artery, RT =
            // right, MD's, OT, PT) count only after a dictionary name, and never before "'s".
            let ambiguous_cred = ne.has(flag::CREDENTIAL)
                && word_is(
                    u + 1,
                    &[
                        "pa", "rt", "md", "do", "ot", "pt", "rd", "cns", "ms", "ma", "crt", "np",
                        "rn",
                    ],
                );
            // "WARREN KAVALIUNAS NP": an unknown surname after a frequent given name.
            let after_given = u > 0
                && name_gap(gap(u - 1, u))
                && entry(&units[u - 1]).has(flag::FIRST)
                && entry(&units[u - 1]).first_pm >= 50.0
                && !e.has(flag::KNOWN)
                && !clinical(u);
            let credential_after = credential_after
                && !(ambiguous_cred
                    && (!(e.has(flag::NAME) && e.tier != 1 || is_initial(u) || after_given)
                        || text[units[u + 1].end..].starts_with(['\'', '’'])));
            // "Bernard Foley CRT": a safe-list word right after a name is part of it.
            let after_name =
                u > 0 && matches!(labels[u - 1], Label::Name { .. }) && name_gap(gap(u - 1, u));
            // "FAITH HUNTER, LMHC": before an unambiguous credential, a frequent name counts
            // even when it is also an ordinary word.
            let frequent_name = credential_after
                && !ambiguous_cred
                && e.has(flag::NAME)
                && name_pm(e) >= 50.0
                && !e.has(flag::SAFE | flag::TITLE | flag::ROLE)
                && !is_function_word(&text[units[u].start..units[u].end]);
            if (credential_after || relation_after)
                && (nameable_cued(u)
                    || frequent_name
                    || credential_after
                        && u > 0
                        && is_initial(u - 1)
                        && dotted_gap(gap(u - 1, u))
                        && len_chars(&units[u]) >= 3
                        && !e.has(flag::SAFE | flag::ROLE | flag::TITLE)
                        && !is_function_word(&text[units[u].start..units[u].end]))
                && (e.has(flag::NAME) || !e.has(flag::STATE | flag::CITY))
                && (!e.has(flag::SAFE) || after_name && e.has(flag::NAME))
                && (mixed(&units[u]) || e.has(flag::NAME) || !e.has(flag::KNOWN))
            {
                labels[u] = Label::Name {
                    conf: 0.9,
                    strong: true,
                };
                continue;
            }
        }
        // A name with an age in parentheses: "Siblings in home: Miles (3), Mark (7)".
        if mixed(&units[u])
            && tok(&units[u]).shape == Shape::Title
            && nameable(u)
            && (e.has(flag::NAME) && (e.tier != 1 || name_pm(e) >= 50.0) || !e.has(flag::KNOWN))
            && !e.has(flag::SAFE)
            && {
                let after = &text[units[u].end..];
                let inner = after
                    .strip_prefix(" (")
                    .and_then(|r| r.split_once(')'))
                    .map(|(d, _)| d);
                inner.is_some_and(|d| {
                    (1..=3).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit())
                })
            }
        {
            labels[u] = Label::Name {
                conf: 0.7,
                strong: true,
            };
            continue;
        }
        // Post cue right after: "W. Marotta aware", "BEA TURA AWARE".
        if u + 1 < n
            && entry(&units[u + 1]).has(flag::POST_CUE)
            && only_spaces(gap(u, u + 1))
            && nameable_cued(u)
            && !e.has(flag::SAFE)
            && (e.has(flag::NAME) && e.tier == 0 || !e.has(flag::KNOWN))
            && len_chars(&units[u]) >= 3
        {
            labels[u] = Label::Name {
                conf: 0.7,
                strong: true,
            };
            continue;
        }
        // "pt's son, bill, called", "social: bob visited": a frequent given name that is also
        // an ordinary word counts after a relation word or a "social:" header when a verb
        // follows it or commas set it off.
        if let Some(p) = prev {
            let g = gap(p, u);
            let w = &text[units[u].start..units[u].end];
            let after_relation = entry(&units[p]).has(flag::RELATION)
                && (only_spaces(g) || g == ", ")
                && units[p].t0 == units[p].t1;
            let after_social = word_is(p, &["social"])
                && tok(&units[p]).sentence_start
                && matches!(g.trim_end(), ":" | "-" | "->" | "--" | ":-");
            if (after_relation || after_social)
                && e.has(flag::FIRST)
                && e.first_pm >= 50.0
                && !e.has(flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
                && len_chars(&units[u]) >= 3
                && !is_function_word(w)
                && (followed_by_verb(u) || after_relation && text[units[u].end..].starts_with(','))
            {
                labels[u] = Label::Name {
                    conf: 0.85,
                    strong: true,
                };
                continue;
            }
        }
        // Role cue right before: "her husband Tom", "seen by healey", "pt's daughter Ana".
        if let Some(p) = prev {
            let pe = entry(&units[p]);
            let g = gap(p, u);
            let cue_gap = only_spaces(g)
                || g == "'s "
                || g == "’s "
                || (g.starts_with(':') || g.starts_with(','))
                    && (g.len() == 1 || only_spaces(&g[1..]));
            let relation = pe.has(flag::RELATION);
            // "BROTHER WILL (12)": a frequent given name with an age after it, even when it is
            // also a word.
            let given_with_age = relation
                && e.has(flag::FIRST)
                && e.first_pm >= 50.0
                && !e.has(flag::SAFE | flag::ROLE | flag::TITLE)
                && {
                    let a = &text.as_bytes()[units[u].end..];
                    a.len() >= 3 && a[0] == b' ' && a[1] == b'(' && a[2].is_ascii_digit()
                };
            let word_ok = nameable(u)
                || given_with_age
                || (relation
                    && !mixed(&units[u])
                    && e.has(flag::NAME)
                    && !e.has(flag::SAFE | flag::ENGLISH | flag::TITLE | flag::ROLE)
                    && (e.tier != 1 || name_pm(e) >= 50.0)
                    && !is_function_word(&text[units[u].start..units[u].end])
                    && len_chars(&units[u]) >= 2);
            // "DEAR MAN" (a DBT skill) on a mixed-case line: a capitalised English word after
            // "dear" is an acronym, not the addressee.
            let dear_acronym = mixed(&units[u])
                && tok(&units[u]).shape == Shape::Upper
                && (e.has(flag::ENGLISH) || e.tier != 0)
                && word_is(p, &["dear"]);
            if pe.has(flag::ROLE) && cue_gap && word_ok && !dear_acronym {
                // Two rare dictionary names on a single-case line: the surname joins too.
                let full_rare = rare_full_name(u);
                // "present NM, a 34-year-old": initials written without dots.
                let bare_initials = tok(&units[u]).shape == Shape::Upper
                    && (2..=3).contains(&len_chars(&units[u]))
                    && !e.has(flag::KNOWN)
                    && text[units[u].end..].starts_with([',', ')', ';']);
                let ok = if mixed(&units[u]) {
                    // "Pt Alert": an English word that is only a surname is the word.
                    (e.has(flag::FIRST) || relation || !e.has(flag::ENGLISH) && e.tier == 0)
                        && (e.has(flag::NAME)
                            || !e.has(flag::KNOWN) && tok(&units[u]).shape != Shape::Upper
                            || bare_initials)
                        && (!e.has(flag::SAFE)
                            || relation
                                && e.has(flag::FIRST)
                                && tok(&units[u]).shape == Shape::Title)
                } else if relation {
                    // "son bill called", "husband milovan": any name, or an unknown word of
                    // four or more letters; a very rare short name is more likely an
                    // abbreviation ("WIFE CFO", "HUSBAND RN" are jobs).
                    (e.has(flag::NAME) && (len_chars(&units[u]) >= 4 || name_pm(e) >= 5.0)
                        || !e.has(flag::KNOWN) && len_chars(&units[u]) >= 4)
                        && !e.has(flag::SAFE | flag::ENGLISH)
                        || given_with_age
                } else {
                    let phrase_cue = units[p].t1 > units[p].t0;
                    let w = &text[units[u].start..units[u].end];
                    e.has(flag::NAME) && e.tier == 0 && name_pm(e) >= NEUTRAL_MIN_PM
                        // "per W. MAROTTA"; not "PT P. 5MM" or "per s.s."
                        || is_initial(u)
                            && u + 1 < n
                            && len_chars(&units[u + 1]) >= 2
                            && text[units[u + 1].start..units[u + 1].end]
                                .chars()
                                .all(char::is_alphabetic)
                        // "screened by: page rose", "note for hunter major": a frequent
                        // given name and a name after a phrase cue, whatever their case.
                        || phrase_cue
                            && e.has(flag::FIRST)
                            && e.first_pm >= 50.0
                            && !is_function_word(w)
                            && u + 1 < n
                            && name_gap(gap(u, u + 1))
                            && entry(&units[u + 1]).has(flag::NAME)
                            && name_pm(entry(&units[u + 1])) >= 50.0
                            && !is_function_word(&text[units[u + 1].start..units[u + 1].end])
                        || phrase_cue
                            && !e.has(flag::KNOWN)
                            && len_chars(&units[u]) >= if tok(&units[u]).shape == Shape::Upper { 4 } else { 3 }
                            && w.chars().any(|c| "aeiouyAEIOUY".contains(c))
                        || full_rare
                };
                if ok {
                    labels[u] = Label::Name {
                        conf: 0.85,
                        strong: true,
                    };
                    if full_rare {
                        labels[u + 1] = labels[u];
                    }
                    continue;
                }
            }
        }
        // Header field: "Client: Jamal Reed", "THERAPIST: ANA RUIZ".
        if let Some(p) = prev {
            let pe = entry(&units[p]);
            let g = gap(p, u);
            let header_gap = pe.has(flag::HEADER)
                && tok(&units[p]).sentence_start
                && g.starts_with(':')
                && (g.len() == 1 || only_spaces(&g[1..]));
            // "Client signature: AM": initials after a signature or initials label, even
            // when they spell a word.
            let signed_initials = || {
                let label = text[units[p].start..units[p].end].to_ascii_lowercase();
                let w = &text[units[u].start..units[u].end];
                let after = &text.as_bytes()[units[u].end..];
                ["signature", "initials", "signed"]
                    .iter()
                    .any(|k| label.contains(k))
                    && (2..=3).contains(&w.len())
                    && w.bytes().all(|c| c.is_ascii_uppercase())
                    && (after.is_empty() || matches!(after[0], b'\n' | b'\r' | b',' | b';' | b')'))
            };
            if header_gap && signed_initials() {
                labels[u] = Label::Name {
                    conf: 0.9,
                    strong: true,
                };
                continue;
            }
            if header_gap
                && (nameable_cued(u)
                    || !mixed(&units[u]) && e.has(flag::NAME) && !e.has(flag::SAFE | flag::ENGLISH))
                && (e.has(flag::NAME) || !e.has(flag::KNOWN))
                && (mixed(&units[u]) || !e.has(flag::SAFE))
                // "To: Human Resources", "RE: Level 1 appeal": a common word is a name here
                // only when it is a frequent given name ("Client: Hope Lee").
                && (e.tier == 0
                    || e.first_pm >= 50.0
                    || tok(&units[u]).shape == Shape::Upper
                    || u + 1 < n
                        && name_gap(gap(u, u + 1))
                        && entry(&units[u + 1]).has(flag::NAME))
            {
                labels[u] = Label::Name {
                    conf: 0.9,
                    strong: true,
                };
                continue;
            }
        }
        // Facility cue right before: "transferred to Laurel Regional", "SENT TO GH".
        if let Some(p) = prev {
            let unit = &units[u];
            let t = tok(unit);
            let cue = entry(&units[p]);
            // Short cues (to, at, from) only before a word no dictionary knows ("TO GH",
            // "from Harbor"); phrases (transferred to) before any capitalised word.
            let short_cue = units[p].t0 == units[p].t1;
            let fits = || {
                !e.has(flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
                    && len_chars(unit) >= 2
                    && !is_function_word(&text[unit.start..unit.end])
                    && !text[unit.start..unit.end].contains(|c: char| c.is_ascii_digit())
                    && (!short_cue
                        || mixed(unit)
                        && tok(unit).shape == Shape::Title
                        && !tok(unit).sentence_start
                        && !e.has(flag::KNOWN & !flag::ENGLISH)
                        && !clinical(u)
                        // "to Pharmacy", "to God": an English word after a bare "to" is a
                        // facility only as part of a longer name ("to Sacred Heart").
                        && (!e.has(flag::ENGLISH)
                            || u + 1 < n
                                && only_spaces(gap(u, u + 1))
                                && tok(&units[u + 1]).shape == Shape::Title))
                    // "referred to Mental Health": an English word before a service noun is
                    // the service, not a place name.
                    && !(e.has(flag::ENGLISH)
                        && u + 1 < n
                        && only_spaces(gap(u, u + 1))
                        && word_is(
                            u + 1,
                            &["health", "services", "service", "hygiene", "medicine"],
                        ))
                    && if mixed(unit) {
                        capitalised(unit)
                            && (!e.has(flag::ENGLISH)
                                || t.shape == Shape::Upper
                                || !t.sentence_start)
                            && e.tier != 1
                    } else {
                        !e.has(flag::ENGLISH) && e.tier == 0
                    }
            };
            if cue.has(flag::FACILITY_CUE) && only_spaces(gap(p, u)) && fits() {
                labels[u] = Label::Place(Category::Location, 0.6);
                continue;
            }
            // "TO GH", "at gh", "TO THE GBMC", "transfer to quartermain 2": after a short cue
            // (and an optional "the"), a word no dictionary knows, not shaped like clinical
            // vocabulary, that is shaped like a hospital acronym (ending in H or MC) or is a
            // ward name followed by a number. Other unknown capitals after "to" are mostly
            // clinical abbreviations ("to LWS", "to PSV").
            let (cue_u, the) = cue_skipping_the(p);
            let short = units[cue_u].t0 == units[cue_u].t1;
            let w = &text[unit.start..unit.end];
            let wb = w.as_bytes();
            let acronym = (2..=5).contains(&w.len())
                && (wb[wb.len() - 1].eq_ignore_ascii_case(&b'h')
                    || wb.len() >= 4 && wb[wb.len() - 2..].eq_ignore_ascii_case(b"mc"))
                && (t.shape == Shape::Upper || t.shape == Shape::Lower && (short || the));
            // A ward: a word followed by its number ("quartermain 2", "QUARTERMAIN7").
            let letters = w.trim_end_matches(|c: char| c.is_ascii_digit());
            let glued = w.len() - letters.len();
            // Not "bathroomx2" (bathroom x2) or "Ward 3", "UNIT 4" (no name of their own).
            let ward = letters.len() >= 5
                && letters.bytes().all(|c| c.is_ascii_alphabetic())
                && !(glued > 0 && letters.ends_with(['x', 'X']))
                && ![
                    "ward", "wards", "unit", "units", "floor", "tower", "level", "wing", "room",
                ]
                .iter()
                .any(|g| g.eq_ignore_ascii_case(letters))
                && (glued == 1
                    || glued == 2
                    || glued == 0 && {
                        let after = &text[unit.end..];
                        after.starts_with(' ')
                            && after[1..].starts_with(|c: char| c.is_ascii_digit())
                            && after[1..]
                                .split(|c: char| !c.is_ascii_digit())
                                .next()
                                .is_some_and(|d| d.len() <= 2)
                    });
            // Only a surname, no ordinary word, can be a ward's name too.
            let unknown = !e.has(flag::KNOWN | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
                || ward
                    && e.has(flag::LAST)
                    && e.tier == 0
                    && !e.has(flag::FIRST | flag::ENGLISH | flag::SAFE | flag::PLACE);
            let by = {
                let c = &text.as_bytes()[units[cue_u].start..units[cue_u].end];
                c.len() >= 2
                    && c[c.len() - 2..].eq_ignore_ascii_case(b"by")
                    && (c.len() == 2 || c[c.len() - 3] == b' ')
            };
            // "GH EW", "GBMC ER": a hospital acronym before its emergency ward or unit.
            let before_unit = acronym
                && u + 1 < n
                && only_spaces(gap(u, u + 1))
                && word_is(
                    u + 1,
                    &["ew", "er", "ed", "icu", "ccu", "micu", "sicu", "cath"],
                );
            if ((entry(&units[cue_u]).has(flag::FACILITY_CUE) || by && acronym)
                && (short || the || ward || by)
                && only_spaces(gap(p, u))
                || before_unit)
                && unknown
                && (w.bytes().all(|c| c.is_ascii_alphabetic()) || ward)
                && (acronym || ward)
                && !is_function_word(w)
                && !clinical(u)
            {
                labels[u] = Label::Place(Category::Location, 0.6);
                continue;
            }
        }
        // "from the Eastern Shore", "presenting to Franklin Square", "went to Harbor": after a
        // place or facility cue (and an optional "the"), a capitalised word before a
        // geographic noun, or the noun alone, is a location.
        if let Some(p) = prev {
            let (cue_u, the) = cue_skipping_the(p);
            let ce = entry(&units[cue_u]);
            let cased = |k: usize| {
                let t = tok(&units[k]);
                if mixed(&units[k]) {
                    t.shape == Shape::Title && !t.sentence_start
                } else {
                    t.shape == Shape::Upper
                }
            };
            let ok_word = |k: usize| {
                let ek = entry(&units[k]);
                let wk = &text[units[k].start..units[k].end];
                cased(k)
                    && !ek.has(flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
                    && !is_function_word(wk)
                    && !word_is(
                        k,
                        &[
                            "one", "two", "three", "first", "second", "third", "last", "next",
                            "some", "each", "every", "this", "that", "same", "what", "which",
                        ],
                    )
                    && len_chars(&units[k]) >= 3
            };
            // "on the Eastern Shore": "on the" only before a two-word place name.
            let on_the = the && word_is(cue_u, &["on"]);
            let cue_ok = (ce.has(flag::PLACE_CUE | flag::FACILITY_CUE) || on_the)
                && !ce.has(flag::ROLE)
                && (only_spaces(gap(p, u)))
                && (!the || only_spaces(gap(cue_u, p)));
            let noun_next = u + 1 < n
                && only_spaces(gap(u, u + 1))
                && entry(&units[u + 1]).has(flag::PLACE_NOUN)
                && ok_word(u + 1);
            // "return to manor": on a lower-case line, the few place nouns that are seldom
            // ordinary words after "at", "to" or "from" (not "at bay", "due to falls").
            let lower_noun_alone = || {
                !mixed(&units[u])
                    && tok(&units[u]).shape == Shape::Lower
                    && !the
                    && word_is(cue_u, &["at", "to", "from"])
                    && word_is(
                        u,
                        &[
                            "harbor", "harbour", "heights", "village", "manor", "commons",
                            "gardens", "estates", "meadows", "pines",
                        ],
                    )
                    && !(u + 1 < n && word_is(u + 1, &["of"]))
            };
            if cue_ok && lower_noun_alone()
                || cue_ok && ok_word(u) && (noun_next || e.has(flag::PLACE_NOUN) && !the && !on_the)
            {
                labels[u] = Label::Place(Category::Location, 0.6);
                if noun_next {
                    labels[u + 1] = Label::Place(Category::Location, 0.6);
                }
                continue;
            }
        }
        // "lives in catonsville", "who lives in DC": after a phrase place cue, a word no
        // dictionary knows (and not shaped like clinical vocabulary) or a state code.
        if let Some(p) = prev {
            let w = &text[units[u].start..units[u].end];
            let phrase = units[p].t1 > units[p].t0;
            let unknown_word = || {
                !e.has(flag::KNOWN | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
                    && len_chars(&units[u]) >= 4
                    && w.chars().all(char::is_alphabetic)
                    && tok(&units[u]).shape != Shape::Upper
                    && !clinical(u)
            };
            let state_code = e.has(flag::STATE_ABBR)
                && tok(&units[u]).shape == Shape::Upper
                && len_chars(&units[u]) == 2;
            if phrase
                && entry(&units[p]).has(flag::PLACE_CUE)
                && !entry(&units[p]).has(flag::ROLE)
                && only_spaces(gap(p, u))
                && (state_code || unknown_word())
            {
                let cat = if state_code {
                    Category::State
                } else {
                    Category::Location
                };
                labels[u] = Label::Place(cat, 0.6);
                continue;
            }
        }
        // Place cue + capitalised words that are no first name: "grew up in Little Saigon".
        if let Some(p) = prev {
            let unit = &units[u];
            if entry(&units[p]).has(flag::PLACE_CUE)
                && !entry(&units[p]).has(flag::ROLE)
                && only_spaces(gap(p, u))
                && mixed(unit)
                && tok(unit).shape == Shape::Title
                && !tok(unit).sentence_start
                && !e.has(flag::ENGLISH | flag::SAFE | flag::PLACE | flag::TITLE)
                && !(e.has(flag::FIRST) && e.tier == 0)
                && u + 1 < n
                && only_spaces(gap(u, u + 1))
                && tok(&units[u + 1]).shape == Shape::Title
                && !entry(&units[u + 1]).has(flag::ENGLISH | flag::SAFE | flag::FIRST)
            {
                labels[u] = Label::Place(Category::Location, 0.6);
                continue;
            }
        }
        // Dictionary evidence alone.
        let unit = &units[u];
        if e.has(flag::NAME)
            && !e.has(flag::SAFE | flag::TITLE | flag::CREDENTIAL | flag::ROLE | flag::HEADER)
        {
            let t = tok(unit);
            let long_enough = len_chars(unit) >= 2;
            let name_label = if mixed(unit) {
                match (t.shape, e.tier) {
                    (Shape::Title, 0) => Some(0.8),
                    (Shape::Title, 2) if !t.sentence_start => Some(0.6),
                    // A very common word capitalised mid-sentence is a name when it is a
                    // frequent name ("told Will", "with Grace"), not when it is mostly a word.
                    (Shape::Title, 1)
                        if !t.sentence_start
                            && (e.first_pm >= 50.0
                                || e.last_pm >= 50.0 && !followed_by_lower(u))
                            || t.sentence_start
                                && (followed_by_past_verb(u) || possessive(u))
                                && e.first_pm >= 50.0 =>
                    {
                        Some(0.5)
                    }
                    (Shape::Upper, 0) if len_chars(unit) >= 3 => Some(0.6),
                    _ => None,
                }
            } else if e.tier != 0
                && e.first_pm >= 50.0
                && t.shape == Shape::Upper
                && possessive(u)
                && !is_function_word(&text[unit.start..unit.end])
            {
                // "PAGE'S SUSPENSION": a given name that is also a word, possessive.
                Some(0.5)
            } else if e.tier == 0
                // Three-letter words on lower-case lines are shorthand ("tod", "ina").
                && (len_chars(unit) >= 4 || len_chars(unit) == 3 && t.shape == Shape::Upper)
                && name_pm(e) >= NEUTRAL_MIN_PM
                && (e.first_pm >= NEUTRAL_MIN_PM
                    || e.last_pm >= 50.0
                    || [u.wrapping_sub(1), u + 1].iter().any(|&k| {
                        k < n
                            && name_gap(gap(k.min(u), k.max(u)))
                            && entry(&units[k]).has(flag::NAME)
                            && entry(&units[k]).tier == 0
                    }))
            {
                // A rare surname that is no given name ("LIMA", "BLOCKER", "stoll") is more
                // often clinical shorthand on a line without case information.
                Some(0.55)
            } else {
                None
            };
            // A place reading wins when a place cue is right before ("lives in Houston").
            let place_cue = e.has(flag::CITY | flag::STATE | flag::COUNTY)
                && prev.is_some_and(|p| {
                    entry(&units[p]).has(flag::PLACE_CUE) && only_spaces(gap(p, u))
                });
            // Two-letter words need to be frequent given names ("Al", "Ed"; not "Fe", "Co").
            let long_enough = long_enough && (len_chars(unit) > 2 || e.first_pm >= 50.0);
            let name_label = name_label.filter(|_| !before_eponym_noun(u));
            if let (Some(conf), true, false) = (name_label, long_enough, place_cue) {
                labels[u] = Label::Name {
                    conf,
                    strong: false,
                };
            }
        }
        // A capitalised word mid-sentence that no dictionary knows (not a name, place, drug
        // or English word) is most likely a name: "called his sponsor, Abebe, instead".
        if labels[u] == Label::None
            && !e.has(flag::KNOWN)
            && mixed(unit)
            && tok(unit).shape == Shape::Title
            && (!tok(unit).sentence_start || followed_by_verb(u))
            && len_chars(unit) >= 4
            && text[unit.start..unit.end]
                .chars()
                .any(|c| "aeiouyAEIOUY".contains(c))
            && nameable(u)
            && text[unit.start..unit.end].chars().all(char::is_alphabetic)
            && !near_number(text, unit.start, unit.end)
            && !before_eponym_noun(u)
        {
            labels[u] = Label::Name {
                conf: 0.45,
                strong: false,
            };
        }
        if labels[u] == Label::None && e.has(flag::PLACE) && !e.has(flag::SAFE) {
            let cat = if e.has(flag::CITY) {
                Category::City
            } else if e.has(flag::STATE) {
                Category::State
            } else {
                Category::Location
            };
            // A place cue, or a facility phrase ("transferred from Buffalo"), right before.
            let cue_before = prev.is_some_and(|p| {
                let pe = entry(&units[p]);
                (pe.has(flag::PLACE_CUE) || pe.has(flag::FACILITY_CUE) && units[p].t1 > units[p].t0)
                    && only_spaces(gap(p, u))
            });
            // "LIVES IN BROOKS": on a line without case information, a place that is also a
            // word counts after a phrase cue.
            let phrase_cue_before = cue_before
                && !mixed(unit)
                && prev.is_some_and(|p| {
                    units[p].t1 > units[p].t0 && !entry(&units[p]).has(flag::ROLE)
                });
            let state_after = u + 1 < n
                && gap(u, u + 1).trim() == ","
                && (entry(&units[u + 1]).has(flag::STATE)
                    || (tok(&units[u + 1]).shape == Shape::Upper
                        && units[u + 1].end - units[u + 1].start == 2));
            // "lives in catonsville", "from baltimore rehab": a lower-case city right after
            // a place cue, when it is no English word (a phrase cue), or a large city.
            let lower_city = tok(unit).shape == Shape::Lower
                && e.tier == 0
                && !e.has(flag::ENGLISH)
                && e.first_pm < NEUTRAL_MIN_PM
                && e.last_pm < 50.0
                && len_chars(unit) >= 4
                && prev.is_some_and(|p| {
                    entry(&units[p]).has(flag::PLACE_CUE)
                        && only_spaces(gap(p, u))
                        && (units[p].t1 > units[p].t0 || e.population >= 10_000)
                });
            let shaped = if mixed(unit) {
                capitalised(unit) || lower_city
            } else {
                len_chars(unit) >= 4
            };
            let plain = !e.has(flag::NAME) && e.tier == 0;
            // "House diet", "Cool Neb": a place spelled like an English word before a
            // clinical noun is the word ("U Maryland scale" stays a place).
            let eponym_word = (e.tier != 0 || e.has(flag::ENGLISH)) && before_eponym_noun(u);
            if shaped
                && !eponym_word
                && (plain || cue_before || state_after)
                && (e.tier != 1 || state_after || cue_before && mixed(unit) || phrase_cue_before)
            {
                labels[u] = Label::Place(cat, if plain { 0.7 } else { 0.8 });
            }
        }
    }

    // "Boise, ID": a state code right after a city found above.
    for u in 1..n {
        // "resides in Boise, ID": a capitalised word after a place cue is the city, whatever
        // a surname list says.
        let after_place_cue = u >= 2
            && tok(&units[u - 1]).shape == Shape::Title
            && entry(&units[u - 2]).has(flag::PLACE_CUE)
            && only_spaces(gap(u - 2, u - 1));
        let city_before = matches!(labels[u - 1], Label::Place(Category::City, _))
            || entry(&units[u - 1]).has(flag::CITY) && labels[u - 1] != Label::None
            || after_place_cue
                && matches!(
                    labels[u - 1],
                    Label::None | Label::Name { strong: false, .. }
                );
        // "montpelier, vt": on a lower-case line, a city word and a state code that is no
        // English word, at the end of a clause.
        let lower_pair = || {
            let after = &text.as_bytes()[units[u].end..];
            !mixed(&units[u])
                && tok(&units[u]).shape == Shape::Lower
                && tok(&units[u - 1]).shape == Shape::Lower
                && entry(&units[u - 1]).has(flag::CITY)
                && entry(&units[u - 1]).tier == 0
                && !entry(&units[u - 1]).has(flag::ENGLISH | flag::SAFE)
                && len_chars(&units[u - 1]) >= 4
                && matches!(labels[u - 1], Label::None | Label::Place(..))
                && !word_is(
                    u,
                    &[
                        "in", "me", "or", "hi", "ok", "oh", "id", "al", "de", "la", "ma", "mo",
                        "pa", "co", "md", "ms", "ne", "ga", "wa", "sc", "ct", "mt", "nd", "ar",
                    ],
                )
                && (after.is_empty()
                    || matches!(after[0], b'\n' | b'\r' | b'.' | b';' | b')' | b',')
                    || after.len() >= 2 && after[0] == b' ' && after[1].is_ascii_digit())
        };
        if (city_before && tok(&units[u]).shape == Shape::Upper || lower_pair())
            && labels[u] == Label::None
            && gap(u - 1, u) == ", "
            && len_chars(&units[u]) == 2
            && entry(&units[u]).has(flag::STATE_ABBR)
        {
            labels[u] = Label::Place(Category::State, 0.8);
            if !matches!(labels[u - 1], Label::Place(..)) {
                labels[u - 1] = Label::Place(Category::City, 0.7);
            }
        }
    }

    // Runs of two or more capitalised words found in no dictionary, at least one of them
    // non-ASCII ("Ólafur Gunnarsson", "Nguyễn Minh Khoa"), are names.
    let mut u = 0;
    while u < n {
        let unknown_cap = |k: usize| {
            let e = entry(&units[k]);
            mixed(&units[k])
                && tok(&units[k]).shape == Shape::Title
                && labels[k] == Label::None
                && !e.has(flag::KNOWN & !flag::NAME)
                && e.tier == 0
                && nameable(k)
        };
        let mut v = u;
        while v < n && unknown_cap(v) && (v == u || name_gap(gap(v - 1, v))) {
            v += 1;
        }
        if v - u >= 2 && (u..v).any(|k| !text[units[k].start..units[k].end].is_ascii()) {
            for label in &mut labels[u..v] {
                *label = Label::Name {
                    conf: 0.6,
                    strong: false,
                };
            }
        }
        u = v.max(u + 1);
    }

    // "will consult with patty hoeller", "pat rixford": a name typed in lower case, as a
    // frequent given name and then a word that is a rare surname or no
    // dictionary word at all (neither English nor clinical shorthand).
    for u in 0..n.saturating_sub(1) {
        let (a, b) = (&units[u], &units[u + 1]);
        let (ea, eb) = (entry(a), entry(b));
        // "with dennis doyle": the surname may already be a (weak) dictionary name, and
        // then it may be a given name too.
        let b_weak_surname =
            matches!(labels[u + 1], Label::Name { strong: false, .. }) && eb.has(flag::LAST);
        if labels[u] == Label::None
            && (labels[u + 1] == Label::None || b_weak_surname)
            && tok(a).shape == Shape::Lower
            && tok(b).shape == Shape::Lower
            && only_spaces(gap(u, u + 1))
            && ea.has(flag::FIRST)
            && ea.first_pm >= 100.0
            && !ea.has(flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
            && !is_function_word(&text[a.start..a.end])
            && len_chars(b) >= 4
            && eb.tier == 0
            && !eb.has(flag::ENGLISH | flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
            && (b_weak_surname
                || !eb.has(flag::FIRST | flag::PLACE)
                    && (eb.has(flag::LAST) && eb.last_pm < 50.0 || !eb.has(flag::KNOWN)))
            && text[b.start..b.end].bytes().all(|c| c.is_ascii_lowercase())
            && !clinical(u + 1)
        {
            for label in &mut labels[u..=u + 1] {
                *label = Label::Name {
                    conf: 0.6,
                    strong: false,
                };
            }
        }
    }

    // "K. Jackson", "k. o'hara": an initial right before a word the dictionaries
    // took for a place but which is also a surname, or before an O'/D' surname, makes both a
    // name ("N. Carolina" stays a state).
    for u in 0..n.saturating_sub(1) {
        let eb = entry(&units[u + 1]);
        let o_name = o_surname(&text[units[u + 1].start..units[u + 1].end]);
        if labels[u] == Label::None
            && (matches!(labels[u + 1], Label::Place(..)) && (eb.has(flag::LAST) || o_name)
                || labels[u + 1] == Label::None && o_name)
            && is_initial(u)
            && dotted_gap(gap(u, u + 1))
            && !eb.has(flag::STATE | flag::ENGLISH | flag::SAFE)
            && !word_is(u, &["n", "s", "e", "w"])
        {
            labels[u] = Label::Name {
                conf: 0.7,
                strong: false,
            };
            labels[u + 1] = labels[u];
        }
    }

    // Pass 2: neighbours of names, twice so chains grow ("Mary Ann Okafor-Reyes").
    for _ in 0..2 {
        for u in 0..n {
            if labels[u] != Label::None {
                continue;
            }
            let e = entry(&units[u]);
            // "Seo-yeon": a lower-case part after a hyphen belongs to the name.
            if u > 0
                && matches!(labels[u - 1], Label::Name { .. })
                && gap(u - 1, u) == "-"
                && tok(&units[u]).shape == Shape::Lower
                && !e.has(flag::SAFE | flag::ENGLISH)
            {
                labels[u] = Label::Name {
                    conf: 0.7,
                    strong: false,
                };
                continue;
            }
            // "DANIEL LEE" after a cue: a common-word surname next to a cue-found name on an
            // ALL-CAPS or lower-case line.
            let strong_left = u > 0
                && matches!(labels[u - 1], Label::Name { strong: true, .. })
                && name_gap(gap(u - 1, u));
            let strong_right = u + 1 < n
                && matches!(labels[u + 1], Label::Name { strong: true, .. })
                && name_gap(gap(u, u + 1));
            let single_case_ok = !mixed(&units[u])
                && e.has(flag::NAME)
                && name_pm(e) >= 50.0
                && !e.has(flag::SAFE | flag::ENGLISH | flag::ROLE | flag::TITLE | flag::CREDENTIAL)
                && !is_function_word(&text[units[u].start..units[u].end]);
            // "Dr. Art White": a safe-list word that is also a name, right after a cue-found
            // name on a mixed-case line.
            let mixed_safe_ok = mixed(&units[u])
                && tok(&units[u]).shape == Shape::Title
                && e.has(flag::NAME)
                && e.has(flag::SAFE)
                && !e.has(flag::ENGLISH | flag::ROLE | flag::TITLE | flag::CREDENTIAL);
            // "Dr Ferdinand Halfpenny": after a titled first name, a capitalised word is the
            // surname even when it is also an English word.
            let after_titled_first = strong_left
                && mixed(&units[u])
                && tok(&units[u]).shape == Shape::Title
                && entry(&units[u - 1]).has(flag::FIRST)
                && u >= 2
                && labels[u - 2] == Label::Title
                && !e.has(flag::ROLE | flag::TITLE | flag::CREDENTIAL | flag::POST_CUE)
                && !is_function_word(&text[units[u].start..units[u].end]);
            if (strong_left || strong_right) && single_case_ok
                || strong_left && mixed_safe_ok
                || after_titled_first
            {
                labels[u] = Label::Name {
                    conf: 0.7,
                    strong: false,
                };
                continue;
            }
            if e.has(flag::ROLE | flag::PLACE_CUE) || !nameable_cued(u) {
                continue;
            }
            let is_name = |k: usize| matches!(labels[k], Label::Name { .. });
            // "Little Saigon": the word after a cue-started location joins it.
            if u > 0
                && matches!(labels[u - 1], Label::Place(Category::Location, _))
                && only_spaces(gap(u - 1, u))
                && mixed(&units[u])
                && tok(&units[u]).shape == Shape::Title
                && !e.has(flag::ENGLISH | flag::SAFE)
            {
                labels[u] = labels[u - 1];
                continue;
            }

            let joined = |a: usize, b: usize| {
                name_gap(gap(a, b)) || (dotted_gap(gap(a, b)) && is_initial(a))
            };
            // A very common word opening a sentence ("Later Jane Roe came") does not join
            // the name after it.
            let strong_right =
                u + 1 < n && matches!(labels[u + 1], Label::Name { strong: true, .. });
            let opens_sentence = tok(&units[u]).sentence_start
                && e.tier == 1
                && !(e.has(flag::FIRST) && e.first_pm >= 50.0)
                && !strong_right;
            let adjacent = (u > 0 && is_name(u - 1) && joined(u - 1, u))
                || (u + 1 < n && is_name(u + 1) && joined(u, u + 1) && !opens_sentence);
            let listed = {
                // A list stays on one line ("Best,\nMeenakshi Venkataraman" is a closing).
                let list_gap = |g: &str| {
                    let one_line = !g.contains('\n');
                    let g = g.trim();
                    one_line && (g == "," || g == "and" || g == "&" || g == ", and" || g == "or")
                };
                let near = |k: usize| {
                    is_name(k) && {
                        let (a, b) = if k < u { (k, u) } else { (u, k) };
                        list_gap(gap(a, b))
                    }
                };
                // "Tom, Ana and Lee": the gap text between units includes "and" only when "and"
                // is not a unit of its own; it is a unit, so look two units away as well.
                let via_and = |k: usize, mid: usize| {
                    is_name(k)
                        && word_is(mid, &["and", "or"])
                        && only_spaces(gap(k.min(mid), k.max(mid)))
                        && only_spaces(gap(u.min(mid), u.max(mid)))
                };
                (u > 0 && near(u - 1))
                    || (u + 1 < n && near(u + 1))
                    || (u >= 2 && via_and(u - 2, u - 1))
                    || (u + 2 < n && via_and(u + 2, u + 1))
            };
            let unit = &units[u];
            let ok = if mixed(unit) {
                if adjacent {
                    !e.has(flag::SAFE)
                        && (e.has(flag::NAME) || !e.has(flag::KNOWN) || is_initial(u))
                } else {
                    // "Rusty Moody, School Counselor": a very common word in a list is a name
                    // only when it is a frequent given name ("Grace, Hope and Will").
                    listed
                        && (e.has(flag::NAME) || !e.has(flag::KNOWN))
                        && !e.has(flag::SAFE)
                        && (e.tier == 0 || e.first_pm >= 50.0)
                }
            } else {
                let next_to_strong =
                    |k: usize| matches!(labels[k], Label::Name { strong: true, .. });
                let strong_adjacent = (u > 0 && next_to_strong(u - 1) && joined(u - 1, u))
                    || (u + 1 < n && next_to_strong(u + 1) && joined(u, u + 1));
                (adjacent || listed)
                    && (e.has(flag::NAME)
                        && e.tier == 0
                        && (name_pm(e) >= NEUTRAL_MIN_PM || adjacent)
                        || strong_adjacent
                            && e.has(flag::NAME)
                            && name_pm(e) >= 50.0
                            && !e.has(flag::SAFE | flag::ENGLISH)
                            && !is_function_word(&text[unit.start..unit.end])
                        || adjacent && is_initial(u)
                        || adjacent && !e.has(flag::KNOWN) && len_chars(unit) >= 3
                        // "marguerite and oskel": a lower-case word no dictionary knows, listed
                        // with a name (ALL-CAPS unknown words are mostly abbreviations).
                        || listed
                            && tok(unit).shape == Shape::Lower
                            && !e.has(flag::KNOWN)
                            && len_chars(unit) >= 3
                            && text[unit.start..unit.end].chars().all(char::is_alphabetic)
                            && !clinical(u))
            };
            if ok {
                labels[u] = Label::Name {
                    conf: 0.7,
                    strong: false,
                };
            }
        }
    }

    // Once a word is a place in this document ("TRANSFERRED TO GH"), its other occurrences
    // are too ("SENT TO ED AT GH").
    let mut places: HashSet<String> = HashSet::default();
    for u in 0..n {
        if let Label::Place(Category::Location | Category::City, _) = labels[u] {
            let e = entry(&units[u]);
            if len_chars(&units[u]) >= 2
                && !e.has(flag::ENGLISH | flag::SAFE)
                && e.tier == 0
                && !is_function_word(&text[units[u].start..units[u].end])
                && units[u].t0 == units[u].t1
            {
                places.insert(text[units[u].start..units[u].end].to_lowercase());
            }
        }
    }
    if !places.is_empty() {
        for u in 0..n {
            if labels[u] != Label::None {
                continue;
            }
            let e = entry(&units[u]);
            if e.has(flag::ENGLISH | flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL) {
                continue;
            }
            let w = text[units[u].start..units[u].end].to_lowercase();
            if places.contains(&w) {
                labels[u] = Label::Place(Category::Location, 0.6);
            }
        }
    }

    // "Frederick hospital", "laurel Memorial": a place followed
    // by a facility noun is the facility's name; the two are one organisation.
    for u in 0..n.saturating_sub(1) {
        if let Label::Place(Category::Location | Category::City | Category::Organization, c) =
            labels[u]
        {
            if labels[u + 1] == Label::None
                && only_spaces(gap(u, u + 1))
                && word_is(
                    u + 1,
                    &[
                        "memorial",
                        "hospital",
                        "hosp",
                        "clinic",
                        "infirmary",
                        "hospice",
                        "rehab",
                        "sanitarium",
                    ],
                )
            {
                labels[u] = Label::Place(Category::Organization, c);
                labels[u + 1] = labels[u];
            }
        }
    }

    // Pass 3: once a string is a name in this document, its other occurrences are too.
    let mut known: HashSet<String> = HashSet::default();
    for u in 0..n {
        if let Label::Name { strong, .. } = labels[u] {
            let e = entry(&units[u]);
            // A common word counts as a known name when a cue found it or it is the given
            // name of a full name ("Will Baptiste (33)", "Partners: Hope Garland").
            let given_of_full = e.has(flag::FIRST)
                && mixed(&units[u])
                && tok(&units[u]).shape == Shape::Title
                && u + 1 < n
                && matches!(labels[u + 1], Label::Name { .. })
                && name_gap(gap(u, u + 1));
            if len_chars(&units[u]) >= 2
                && !e.has(flag::ENGLISH | flag::SAFE)
                && (e.tier == 0 || strong || given_of_full)
            {
                known.insert(text[units[u].start..units[u].end].to_lowercase());
            }
        }
    }
    if !known.is_empty() {
        for u in 0..n {
            if labels[u] != Label::None {
                continue;
            }
            let unit = &units[u];
            let e = entry(unit);
            if e.has(
                flag::TITLE
                    | flag::CREDENTIAL
                    | flag::HEADER
                    | flag::ROLE
                    | flag::ENGLISH
                    | flag::SAFE,
            ) || is_pronoun(&text[unit.start..unit.end])
            {
                continue;
            }
            // A very common word ("Will", "Rose", "DAWN") is the known name when a verb
            // follows it ("Rose found", "DAWN CRIED") or it is possessive ("PAGE'S").
            // A modal counts too once the word is a known name ("Hope will call",
            // "WILL MAY JOIN").
            let verb_next = followed_by_verb(u)
                || u + 1 < n
                    && (only_spaces(gap(u, u + 1))
                        && word_is(
                            u + 1,
                            &[
                                "will", "may", "can", "could", "would", "should", "might",
                                "must", "shall", "won't", "can't",
                            ],
                        )
                        // "Will, who works nights": a relative pronoun for a person.
                        || gap(u, u + 1) == ", " && word_is(u + 1, &["who", "whose"]));
            let ok = if mixed(unit) {
                capitalised(unit) || e.tier == 0 && !e.has(flag::SAFE)
            } else {
                e.tier == 0 && !e.has(flag::SAFE)
                    || tok(unit).shape == Shape::Upper && (e.tier != 1 || verb_next)
            };
            let ok = ok && !(e.tier == 1 && tok(unit).sentence_start && !verb_next);
            if ok && known.contains(&text[unit.start..unit.end].to_lowercase()) && !clinical(u) {
                labels[u] = Label::Name {
                    conf: 0.75,
                    strong: false,
                };
            }
        }
    }

    // A speaker label is structure, not a cue: a pronoun after one is the speaker's first word
    // ("Client: My nan's 94 now", "T: Her mum came").
    for u in 1..n {
        if matches!(labels[u], Label::Name { .. })
            && is_pronoun(&text[units[u].start..units[u].end])
            && gap(u - 1, u).starts_with(':')
            && tok(&units[u - 1]).sentence_start
            && !(u + 1 < n && matches!(labels[u + 1], Label::Name { .. }))
        {
            labels[u] = Label::None;
        }
    }
    // Emit: runs of name units (with their titles) become one NAME span each.
    let mut u = 0;
    while u < n {
        match labels[u] {
            Label::Title | Label::Name { .. } => {
                let start = units[u].start;
                let mut end_u = u;
                let mut conf: f32 = 0.0;
                let mut strong = false;
                let mut k = u;
                while k < n {
                    match labels[k] {
                        Label::Name { conf: c, strong: s } => {
                            conf = conf.max(c);
                            strong |= s;
                            end_u = k;
                        }
                        Label::Title => {}
                        _ => break,
                    }
                    let dotted_ok = k + 1 < n
                        && dotted_gap(gap(k, k + 1))
                        && (labels[k] == Label::Title || is_initial(k));
                    if k + 1 < n
                        && (name_gap(gap(k, k + 1)) || dotted_ok)
                        && matches!(labels[k + 1], Label::Name { .. } | Label::Title)
                    {
                        k += 1;
                    } else {
                        break;
                    }
                }
                if matches!(labels[end_u], Label::Name { .. }) {
                    let rule = if strong {
                        &ids.cue
                    } else if conf >= 0.8 {
                        &ids.dict
                    } else if conf == 0.75 {
                        &ids.propagated
                    } else if conf == 0.7 {
                        &ids.neighbour
                    } else {
                        &ids.dict
                    };
                    out.push(Candidate {
                        start,
                        end: units[end_u].end,
                        category: Category::Name,
                        kind: Kind::Direct,
                        rule: rule.clone(),
                        confidence: conf,
                        priority: if strong { 5 } else { 0 },
                    });
                }
                u = k + 1;
            }
            Label::Place(cat, conf) => {
                // An organisation made of several units ("Frederick hospital") is one span.
                let mut end_u = u;
                while cat == Category::Organization
                    && end_u + 1 < n
                    && labels[end_u + 1] == labels[u]
                    && only_spaces(gap(end_u, end_u + 1))
                {
                    end_u += 1;
                }
                out.push(Candidate {
                    start: units[u].start,
                    end: units[end_u].end,
                    category: cat,
                    kind: cat.default_kind(),
                    rule: ids.place.clone(),
                    confidence: conf,
                    priority: -1,
                });
                u = end_u + 1;
            }
            Label::None => u += 1,
        }
    }
}

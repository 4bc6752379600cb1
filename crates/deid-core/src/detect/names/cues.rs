//! Pass 1: cues and dictionary evidence. Each unit gets the label of the first clause in
//! [`CLAUSES`] that fires for it; when none does, dictionary evidence alone
//! ([`dictionary_name`], [`unknown_capitalised`], [`places::dictionary_place`]).

use super::evidence::{dotted_gap, name_gap, near_number, only_spaces, punct_gap, Doc};
use super::{name_pm, places, Label, FREQUENT_PM, NEUTRAL_MIN_PM};
use crate::detect::dictionary::flag;
use crate::text::{is_finite_verb, Shape};

/// What a clause found for unit `u`: its label, and whether the unit before it is its title
/// (`Label::Title`) and the unit after it takes the same label ("Dr. O Brien", "Eastern
/// Shore").
#[derive(Debug, PartialEq)]
pub(super) struct Found {
    pub label: Label,
    pub title_before: bool,
    pub next_too: bool,
}

impl Found {
    /// `label` for the unit alone.
    pub fn one(label: Label) -> Option<Found> {
        Some(Found {
            label,
            title_before: false,
            next_too: false,
        })
    }
}

/// A pass-1 clause: reads the document, the labels so far and a unit.
pub(super) type Clause = fn(&Doc, &[Label], usize) -> Option<Found>;

/// The cue clauses, in the order they are tried for each unit.
pub(super) const CLAUSES: &[Clause] = &[
    title_initial,
    title_before,
    credential_after,
    age_in_parentheses,
    post_cue_after,
    given_after_relation,
    given_after_named_item,
    joined_to_speaker,
    asked_who,
    role_cue_before,
    signed_initials,
    alias_field,
    header_field,
    places::facility_cue,
    places::facility_acronym_or_ward,
    places::place_noun,
    places::phrase_place_cue,
    places::capitalised_place_words,
];

/// Pass 1 over every unit: the first cue clause that fires sets its labels; else dictionary
/// evidence may.
pub(super) fn label(d: &Doc, labels: &mut [Label]) {
    for u in 0..d.n() {
        if let Some(found) = CLAUSES.iter().find_map(|clause| clause(d, labels, u)) {
            // A cue phrase of several words ("lives in", "resides at") is never a name
            // ("father lives in boise").
            if found.label.is_name()
                && !d.single(u)
                && d.entry(u)
                    .has(flag::PLACE_CUE | flag::FACILITY_CUE | flag::POST_CUE)
            {
                continue;
            }
            if found.title_before {
                labels[u - 1] = Label::Title;
            }
            labels[u] = found.label;
            if found.next_too {
                labels[u + 1] = found.label;
            }
            continue;
        }
        if let Some(l) = places::dictionary_org(d, u) {
            labels[u] = l;
            continue;
        }
        if let Some(l) = dictionary_name(d, u) {
            labels[u] = l;
        }
        if labels[u] == Label::None {
            if let Some(l) = other_register_name(d, u) {
                labels[u] = l;
            }
        }
        if labels[u] == Label::None {
            if let Some(l) = unknown_capitalised(d, u) {
                labels[u] = l;
            }
        }
        if labels[u] == Label::None {
            if let Some(l) = places::dictionary_place(d, u) {
                labels[u] = l;
            }
        }
    }
}

/// What the title before unit `u` says about it (`None` when unit `u - 1` is no title).
struct TitleCue {
    p: usize,
    /// A role or clinical-abbreviation title ("RN", "NP", ALL-CAPS "MS"): a real name must
    /// follow.
    role_title: bool,
    /// A relation word written in lower case on a mixed-case line ("my sister said").
    relation_word: bool,
    /// "Ms", "Mr": the only titles a dot may join to a name after them.
    honorific: bool,
}

fn title_cue(d: &Doc, u: usize) -> Option<TitleCue> {
    let p = u.checked_sub(1)?;
    let pe = d.entry(p);
    if !pe.has(flag::TITLE) {
        return None;
    }
    let w = d.words();
    let honorific = d.word_is(p, &w.honorifics);
    Some(TitleCue {
        p,
        role_title: d.word_is(p, &w.role_titles)
            || honorific && d.shape_is(p, Shape::Upper) && (!dotted_gap(d.gap(p, u)) || d.mixed(p)),
        relation_word: pe.has(flag::RELATION) && d.mixed(p) && d.shape_is(p, Shape::Lower),
        honorific,
    })
}

/// "mr B slept", "Dr. o keefe", "DR. O BRIEN": after a personal title, a capital letter on its
/// own (an initial without its dot) or a detached surname prefix ("O") before a surname.
/// Reads: the title (a personal title, no role title), the unit's letters and what follows.
pub(super) fn title_initial(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let t = title_cue(d, u)?;
    let p = t.p;
    let g = d.gap(p, u);
    if t.role_title
        || t.relation_word
        || !(name_gap(g) || dotted_gap(g))
        || !d.word_is(p, &d.words().personal_titles)
    {
        return None;
    }
    let w = d.word(u);
    let after = d.after(u);
    let lone_capital = w.len() == 1
        && w.as_bytes()[0].is_ascii_uppercase()
        && (after.is_empty() || after.starts_with([' ', ',', ';', ')', '\n']));
    let detached_prefix = d.words().detached_surname_prefixes.contains(w)
        && u + 1 < d.n()
        && d.gap(u, u + 1) == " "
        && d.chars(u + 1) >= 3
        && d.alphabetic(u + 1)
        && !d
            .entry(u + 1)
            .has(flag::ENGLISH | flag::SAFE | flag::ROLE | flag::TITLE | flag::CREDENTIAL)
        && !d.function_word(u + 1);
    (lone_capital || detached_prefix).then_some(Found {
        label: Label::cued(0.9),
        title_before: true,
        next_too: detached_prefix,
    })
}

/// Title right before: "Dr. Roe", "MRS KING", "dr. griffin". After a role title ("RN",
/// "NP") only a real name counts ("NP. Sats" is no name); after a dot only an abbreviated
/// title joins ("Prof. Li"; "a college professor. He"). Reads: the title, the gap, the unit's
/// shape and dictionary entry.
pub(super) fn title_before(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let t = title_cue(d, u)?;
    let p = t.p;
    let g = d.gap(p, u);
    if t.relation_word || !(name_gap(g) || dotted_gap(g) && d.chars(p) <= 4) {
        return None;
    }
    let ok = if t.role_title {
        name_after_role_title(d, u, t.honorific && dotted_gap(g))
    } else {
        d.nameable_cued(u) || lower_after_title(d, u)
    };
    ok.then_some(Found {
        label: Label::cued(0.95),
        title_before: true,
        next_too: false,
    })
}

/// "dr. griffin" typed in lower case on a mixed-case line, or any case on a single-case line:
/// a name word or an unknown word after a title still counts, but after a title that is also
/// a clinical abbreviation ("ms given") only a name, and a common-word name only after a dot.
fn lower_after_title(d: &Doc, u: usize) -> bool {
    let p = u - 1;
    let e = d.entry(u);
    let clinical_title = d.word_is(p, &d.words().clinical_titles);
    // After an honorific ("mr", "ms"), a frequent surname that is also a word ("mr bell", "ms
    // cross"): the clinical senses of "mr" and "ms" are followed by severities, doses and verbs
    // ("ms given"), which are rare surnames if any.
    let honorific_name = e.last_pm >= 100.0 && d.word_is(p, &d.words().honorifics);
    // On a mixed-case line only a personal or abbreviated title is typed before a lower-case
    // name ("dr. griffin", "sgt bloggs"); a title that is also a noun makes a noun phrase
    // with the word after it ("the Officer booth", "the garda station", "Sister ward").
    let short_title =
        d.word_is(p, &d.words().personal_titles) || d.chars(p) <= 4 || dotted_gap(d.gap(p, u));
    (d.shape_is(u, Shape::Lower) && short_title || !d.mixed(u))
        && !d.function_word(u)
        && d.chars(u) >= 2
        && !e.has(flag::TITLE | flag::CREDENTIAL | flag::ROLE)
        && (!e.has(flag::ENGLISH) || honorific_name)
        && (e.tier == 0
            || e.has(flag::NAME) && (dotted_gap(d.gap(p, u)) || !clinical_title || honorific_name))
        && (e.has(flag::NAME) || !e.has(flag::KNOWN | flag::SAFE))
        && !d.has_digit(u)
        && !d.clinical(u)
        && (e.has(flag::NAME) || !is_finite_verb(d.word(u)))
}

/// After a role title ("RN Jane", "MD. Pain" is none): an initial, a capitalised name or
/// unknown word on a mixed-case line, a frequent name on a single-case line. `dotted_ms`: an
/// honorific with a dot ("Ms. Roe"), the only dotted role title.
fn name_after_role_title(d: &Doc, u: usize, dotted_ms: bool) -> bool {
    let e = d.entry(u);
    if !name_gap(d.gap(u - 1, u)) && !dotted_ms {
        return false;
    }
    if d.is_initial(u) {
        return true;
    }
    if d.mixed(u) {
        d.shape_is(u, Shape::Title) && (e.has(flag::NAME) && e.tier != 1 || !e.has(flag::KNOWN))
            || d.shape_is(u, Shape::Upper)
                && d.chars(u) >= 3
                && e.has(flag::NAME)
                && (e.tier == 0 || e.first_pm >= FREQUENT_PM)
    } else {
        e.has(flag::NAME)
            && (e.tier == 0 && name_pm(e) >= NEUTRAL_MIN_PM
                || e.tier != 0 && name_pm(e) >= FREQUENT_PM && d.shape_is(u, Shape::Upper))
            && !d.function_word(u)
    }
}

/// Credential right after: "Maria Lopez, LCSW", "Bernard Foley CRT", or a relation in
/// parentheses ("Ana (sister)"). A credential that is also a clinical abbreviation ("PA",
/// "RT") counts only after a dictionary name, an initial or a frequent given name, and never
/// before "'s". Reads: the next unit's entry, the gap, the label of the unit before.
pub(super) fn credential_after(d: &Doc, labels: &[Label], u: usize) -> Option<Found> {
    if u + 1 >= d.n() {
        return None;
    }
    let e = d.entry(u);
    let ne = d.entry(u + 1);
    let g = d.gap(u, u + 1);
    let relation_after =
        ne.has(flag::ROLE) && g.trim_start() == "(" && d.after(u + 1).starts_with(')');
    // A short credential is written in capitals: on a mixed-case line "Rd" after a word is a
    // road ("Grafton Rd"), not a dietitian ("Grafton, RD").
    let road_like = d.mixed_title(u + 1) && d.chars(u + 1) <= 3;
    let credential_after =
        ne.has(flag::CREDENTIAL) && !road_like && (only_spaces(g) || punct_gap(g, &[',']));
    let ambiguous_cred =
        ne.has(flag::CREDENTIAL) && d.word_is(u + 1, &d.words().ambiguous_credentials);
    // "WARREN KAVALIUNAS NP": an unknown surname after a frequent given name.
    let after_given = u > 0
        && name_gap(d.gap(u - 1, u))
        && d.entry(u - 1).has(flag::FIRST)
        && d.entry(u - 1).first_pm >= FREQUENT_PM
        && !e.has(flag::KNOWN)
        && !d.clinical(u);
    let credential_after = credential_after
        && !(ambiguous_cred
            && (!(e.has(flag::NAME) && e.tier != 1 || d.is_initial(u) || after_given)
                || d.after(u + 1).starts_with(['\'', '’'])));
    // "Bernard Foley CRT": a safe-list word right after a name is part of it.
    let after_name = u > 0 && labels[u - 1].is_name() && name_gap(d.gap(u - 1, u));
    // "FAITH HUNTER, LMHC": before an unambiguous credential, a frequent name counts even when
    // it is also an ordinary word.
    let frequent_name = credential_after
        && !ambiguous_cred
        && e.has(flag::NAME)
        && name_pm(e) >= FREQUENT_PM
        && !e.has(flag::SAFE | flag::TITLE | flag::ROLE)
        && !d.function_word(u);
    let after_initial = credential_after
        && u > 0
        && d.is_initial(u - 1)
        && dotted_gap(d.gap(u - 1, u))
        && d.chars(u) >= 3
        && !e.has(flag::SAFE | flag::ROLE | flag::TITLE)
        && !d.function_word(u);
    ((credential_after || relation_after)
        && (d.nameable_cued(u) || frequent_name || after_initial)
        && (e.has(flag::NAME) || !e.has(flag::STATE | flag::CITY))
        && (!e.has(flag::SAFE) || after_name && e.has(flag::NAME))
        && (d.mixed(u) || e.has(flag::NAME) || !e.has(flag::KNOWN)))
    .then(|| Found::one(Label::cued(0.9)))
    .flatten()
}

/// A name with an age in parentheses: "Siblings in home: Miles (3), Mark (7)", "present: rose
/// (26, bank manager) and abebe (38)". Reads: a nameable word, capitalised on a mixed-case
/// line or of any shape on a line without case, then " (" and one to three digits closed by
/// ")" or ","; a name that is no very common word or a frequent one, a given name of another
/// register, or (on a line without case, three letters or more) a word no list knows and no
/// clinical term ("gad (7)").
pub(super) fn age_in_parentheses(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let e = d.entry(u);
    let age_after = d.after(u).strip_prefix(" (").is_some_and(|r| {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        (1..=3).contains(&n) && matches!(r.as_bytes().get(n), Some(b')' | b','))
    });
    let shaped = d.mixed_title(u) || !d.mixed(u) && d.alphabetic(u) && d.chars(u) >= 2;
    let named = e.has(flag::NAME) && (e.tier != 1 || name_pm(e) >= FREQUENT_PM)
        || d.units[u].other_given_pm > 0.0
        || e.other_first_pm >= NEUTRAL_MIN_PM
        || !e.has(flag::KNOWN) && (d.mixed(u) || d.chars(u) >= 3 && !d.clinical(u));
    (shaped && (d.nameable(u) || given_name_word(d, u)) && named && !e.has(flag::SAFE) && age_after)
        .then(|| Found::one(Label::cued(0.7)))
        .flatten()
}

/// Post cue right after: "W. Marotta aware", "BEA TURA AWARE", "C. HICKEY AWARE". Reads: the
/// next unit's `POST_CUE` flag; the unit a name or unknown word of three or more letters; a
/// name that is also a common word only after an initial and its dot.
pub(super) fn post_cue_after(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let e = d.entry(u);
    let initial_before =
        u > 0 && d.chars(u - 1) == 1 && d.shape_is(u - 1, Shape::Upper) && d.gap(u - 1, u) == ". ";
    (u + 1 < d.n()
        && d.entry(u + 1).has(flag::POST_CUE)
        && only_spaces(d.gap(u, u + 1))
        && d.nameable_cued(u)
        && !e.has(flag::SAFE)
        && (e.has(flag::NAME) && (e.tier == 0 || initial_before) || !e.has(flag::KNOWN))
        && d.chars(u) >= 3)
        .then(|| Found::one(Label::cued(0.7)))
        .flatten()
}

/// "pt's son, bill, called", "social: bob visited", "nan dot is 96", "WHO'S NANA PEARL?": a
/// given name that is also an ordinary word counts after a relation word or a "social:"
/// header when a verb follows it or it ends its phrase (commas or a clause mark set it off).
/// A frequent given name (or one of another register) needs one of these; a rarer one, right
/// after a relation word, too. Reads: the cue before, the given-name frequency, the word after.
pub(super) fn given_after_relation(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let p = u.checked_sub(1)?;
    let e = d.entry(u);
    let g = d.gap(p, u);
    let after_relation =
        d.entry(p).has(flag::RELATION) && (only_spaces(g) || g == ", ") && d.single(p);
    let after_social = d.word_is(p, &d.words().social_headers)
        && d.tok(p).sentence_start
        && matches!(g.trim_end(), ":" | "-" | "->" | "--" | ":-");
    let given =
        e.has(flag::FIRST) && e.first_pm >= FREQUENT_PM || after_relation && given_name_word(d, u);
    let set_off = after_relation && phrase_ends_after(d, u);
    ((after_relation || after_social)
        && given
        && !e.has(flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
        && d.chars(u) >= 3
        && !d.function_word(u)
        && (d.followed_by_verb(u) || set_off))
        .then(|| Found::one(Label::cued(0.85)))
        .flatten()
}

/// "her daughters, hope and grace, visited", "KIDS ARE NOAH (6) AND FAITH (4)": the last item
/// of a list whose first item is a name is a name too when it is a given name (of any
/// frequency or register, even an ordinary word) ending its phrase. Reads: the labels already
/// set on the two units before (the list word between), the given-name entry, what follows.
pub(super) fn given_after_named_item(d: &Doc, labels: &[Label], u: usize) -> Option<Found> {
    let j = u.checked_sub(1)?;
    let n = u.checked_sub(2)?;
    if !(d.word_is(j, &d.words().list_conjunctions) && only_spaces(d.gap(j, u))) {
        return None;
    }
    let g = d.gap(n, j);
    let named = if only_spaces(g) || g == ", " {
        labels[n].is_name()
    } else {
        // "noah (6) and faith": the item before carries an age in parentheses.
        g == ") "
            && n >= 1
            && d.word(n).bytes().all(|b| b.is_ascii_digit())
            && d.gap(n - 1, n) == " ("
            && labels[n - 1].is_name()
    };
    (named && given_name_word(d, u) && d.chars(u) >= 3 && phrase_ends_after(d, u))
        .then(|| Found::one(Label::cued(0.8)))
        .flatten()
}

/// A given name of some frequency in any register that is also an ordinary word ("pearl",
/// "dot", "huia"), with no flag of a cue, title, role, credential or header, no function word
/// and no clinical term: a name where a cue says a person is named.
fn given_name_word(d: &Doc, u: usize) -> bool {
    let e = d.entry(u);
    (e.has(flag::FIRST) && e.first_pm >= NEUTRAL_MIN_PM
        || d.units[u].other_given_pm.max(e.other_first_pm) >= NEUTRAL_MIN_PM)
        && !e.has(
            flag::TITLE
                | flag::CREDENTIAL
                | flag::HEADER
                | flag::ROLE
                | flag::RELATION
                | flag::PLACE_CUE
                | flag::FACILITY_CUE
                | flag::POST_CUE
                | flag::SAFE,
        )
        && d.alphabetic(u)
        && !d.function_word(u)
        && !d.clinical(u)
}

/// Unit `u` ends its phrase: a comma, a clause mark (". ? ! ; )"), an age in parentheses or
/// the end of the line follows it.
fn phrase_ends_after(d: &Doc, u: usize) -> bool {
    let a = d.after(u);
    let a = a.trim_start_matches([' ', '\t']);
    a.is_empty()
        || a.starts_with(['\n', '\r', ',', '.', '?', '!', ';', ')'])
        || a.strip_prefix('(')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// A word that may be a name on this cue although it is also an ordinary word: what
/// [`Doc::nameable_cued`] accepts, or on a mixed-case line a capitalised given name of some
/// frequency ("Hope", "Bill") that names no relation, role or title.
fn cued_given_or_nameable(d: &Doc, u: usize) -> bool {
    let e = d.entry(u);
    d.nameable_cued(u)
        || d.mixed_title(u)
            && e.has(flag::FIRST)
            && e.first_pm >= FREQUENT_PM
            && !e.has(flag::RELATION | flag::TITLE | flag::ROLE | flag::SAFE | flag::HEADER)
            && !d.function_word(u)
}

/// "Hope and I used to walk", "Me and Jarrah grew up": a capitalised word joined by "and" to
/// the speaker ("I", "me", "myself") on a mixed-case line is a person; a relation, role or
/// title word ("Mum and I") or an ordinary word that is no frequent given name ("God and I")
/// is not. Reads: the unit's shape and dictionary entry, the two words on one side of it.
pub(super) fn joined_to_speaker(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    if !d.mixed_title(u) || !d.single(u) || d.chars(u) < 3 || !d.alphabetic(u) {
        return None;
    }
    let e = d.entry(u);
    if e.has(flag::PLACE) && !e.has(flag::FIRST) || !cued_given_or_nameable(d, u) {
        return None;
    }
    let speaker_before = u >= 2
        && d.word(u - 1) == "and"
        && only_spaces(d.gap(u - 1, u))
        && only_spaces(d.gap(u - 2, u - 1))
        && matches!(d.word(u - 2), "me" | "Me" | "myself" | "Myself");
    (and_the_speaker(d, u) || speaker_before)
        .then(|| Found::one(Label::cued(0.8)))
        .flatten()
}

/// Unit `u` is followed by "and I", "and me" or "and myself".
pub(super) fn and_the_speaker(d: &Doc, u: usize) -> bool {
    u + 2 < d.n()
        && d.word(u + 1) == "and"
        && only_spaces(d.gap(u, u + 1))
        && only_spaces(d.gap(u + 1, u + 2))
        && matches!(d.word(u + 2), "I" | "me" | "myself")
}

/// "T: Who's Del? C: My brother's mate.", "WHO'S MUNDARA?": the word asked about in a
/// question "who's ...?" or "who is ...?" (after at most one other word: "who's Nana Pearl?")
/// is a person, when it could be a name on a cue (or, after a speaker label, is a small word
/// no English or safe list knows). Reads: the text before the unit (or before
/// the word before it), the question mark right after it.
pub(super) fn asked_who(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    if !d.after(u).starts_with('?') || !d.alphabetic(u) || d.chars(u) < 2 {
        return None;
    }
    let asks = |k: usize| {
        let b = d.before(k).trim_end_matches([' ', '\t']);
        let tail = |w: &str| {
            b.len() >= w.len()
                && b.is_char_boundary(b.len() - w.len())
                && b[b.len() - w.len()..].eq_ignore_ascii_case(w)
                && !b[..b.len() - w.len()]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        };
        b.len() < d.before(k).len() && (tail("who's") || tail("who’s") || tail("who is"))
    };
    let word_before = u > 0 && only_spaces(d.gap(u - 1, u)) && asks(u - 1);
    // A speaker label makes the line mixed case: "T: who is ruairi?" asks about a name
    // written in lower case.
    let lower_name = d.mixed(u)
        && d.shape_is(u, Shape::Lower)
        && d.no_common_word(u)
        && !d.entry(u).has(flag::RELATION);
    ((asks(u) || word_before) && (cued_given_or_nameable(d, u) || lower_name) && !d.clinical(u))
        .then(|| Found::one(Label::cued(0.8)))
        .flatten()
}

/// Role cue right before: "her husband Tom", "seen by healey", "pt's daughter Ana", "present
/// NM, a 34-year-old". What counts depends on the line's case and the cue: after a relation
/// ("son bill") any name or a long unknown word; after a phrase cue ("screened by") a
/// frequent given name before a name, or an unknown word with a vowel; two rare dictionary
/// names on a single-case line make a full name ("SEEN BY VONDRA MESSORE").
pub(super) fn role_cue_before(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let p = u.checked_sub(1)?;
    let pe = d.entry(p);
    let e = d.entry(u);
    let g = d.gap(p, u);
    let cue_gap = only_spaces(g) || g == "'s " || g == "’s " || punct_gap(g, &[':', ',']);
    let relation = pe.has(flag::RELATION);
    // "BROTHER WILL (12)": a frequent given name with an age after it, even when it is also a
    // word.
    let given_with_age = relation
        && e.has(flag::FIRST)
        && e.first_pm >= FREQUENT_PM
        && !e.has(flag::SAFE | flag::ROLE | flag::TITLE)
        && {
            let a = d.after(u).as_bytes();
            a.len() >= 3 && a[0] == b' ' && a[1] == b'(' && a[2].is_ascii_digit()
        };
    let word_ok = d.nameable(u)
        || given_with_age
        || (relation
            && !d.mixed(u)
            && e.has(flag::NAME)
            && !e.has(flag::SAFE | flag::ENGLISH | flag::TITLE | flag::ROLE)
            && (e.tier != 1 || name_pm(e) >= FREQUENT_PM)
            && !d.function_word(u)
            && d.chars(u) >= 2);
    // "DEAR MAN" (a DBT skill) on a mixed-case line: a capitalised English word after a
    // salutation is an acronym, not the addressee.
    let dear_acronym = d.mixed(u)
        && d.shape_is(u, Shape::Upper)
        && (e.has(flag::ENGLISH) || e.tier != 0)
        && d.word_is(p, &d.words().salutations);
    if !(pe.has(flag::ROLE) && cue_gap && word_ok && !dear_acronym) {
        return None;
    }
    // Two rare dictionary names on a single-case line: the surname joins too.
    let full_rare = d.rare_full_name(u);
    let ok = if d.mixed(u) {
        // "present NM, a 34-year-old": initials written without dots.
        let bare_initials = d.shape_is(u, Shape::Upper)
            && (2..=3).contains(&d.chars(u))
            && !e.has(flag::KNOWN)
            && d.after(u).starts_with([',', ')', ';']);
        // "Pt Alert": an English word that is only a surname is the word.
        (e.has(flag::FIRST) || relation || !e.has(flag::ENGLISH) && e.tier == 0)
            && (e.has(flag::NAME)
                || !e.has(flag::KNOWN) && !d.shape_is(u, Shape::Upper)
                || bare_initials)
            && (!e.has(flag::SAFE) || relation && e.has(flag::FIRST) && d.shape_is(u, Shape::Title))
    } else if relation {
        // "son bill called", "husband milovan": any name, or an unknown word of four or more
        // letters; a very rare short name is more likely an abbreviation ("WIFE CFO",
        // "HUSBAND RN" are jobs).
        relation_name(d, u) || given_with_age
    } else {
        // "his sponsor okonkwo came": after a person's role, as after a relation.
        d.word_is(p, &d.words().person_roles) && relation_name(d, u) && !d.clinical(u)
            || d.neutral_name(u)
            || initial_before_word(d, u)
            || given_after_phrase_cue(d, u)
            || {
                // An unknown word with a vowel after a phrase cue ("screened by kwabe").
                let min = if d.shape_is(u, Shape::Upper) { 4 } else { 3 };
                !d.single(p) && !e.has(flag::KNOWN) && d.chars(u) >= min && d.has_vowel(u)
            }
            || full_rare
    };
    ok.then_some(Found {
        label: Label::cued(0.85),
        title_before: false,
        next_too: full_rare,
    })
}

/// A name after a relation or a person's role on a line without case: any dictionary name of
/// four letters or more (or a shorter one of some frequency), or an unknown word of four or
/// more letters; never a safe-list or English word.
fn relation_name(d: &Doc, u: usize) -> bool {
    let e = d.entry(u);
    (e.has(flag::NAME) && (d.chars(u) >= 4 || name_pm(e) >= 5.0)
        || !e.has(flag::KNOWN) && d.chars(u) >= 4)
        && !e.has(flag::SAFE | flag::ENGLISH)
}

/// "per W. MAROTTA": an initial before a word of two or more letters ("PT P. 5MM" and "per
/// s.s." are none).
fn initial_before_word(d: &Doc, u: usize) -> bool {
    d.is_initial(u) && u + 1 < d.n() && d.chars(u + 1) >= 2 && d.alphabetic(u + 1)
}

/// "screened by: page rose", "note for hunter major": after a phrase cue (unit `u - 1` of
/// several words), a frequent given name and a frequent name after it, whatever their case.
fn given_after_phrase_cue(d: &Doc, u: usize) -> bool {
    let e = d.entry(u);
    !d.single(u - 1)
        && e.has(flag::FIRST)
        && e.first_pm >= FREQUENT_PM
        && !d.function_word(u)
        && u + 1 < d.n()
        && name_gap(d.gap(u, u + 1))
        && d.entry(u + 1).has(flag::NAME)
        && name_pm(d.entry(u + 1)) >= FREQUENT_PM
        && !d.function_word(u + 1)
}

/// The unit before `u` is a header label at the start of a sentence, then a colon: "Client:
/// Jamal Reed" (unit `u` at "Jamal").
fn header_before(d: &Doc, u: usize) -> Option<usize> {
    let p = u.checked_sub(1)?;
    (d.entry(p).has(flag::HEADER) && d.tok(p).sentence_start && punct_gap(d.gap(p, u), &[':']))
        .then_some(p)
}

/// "Client signature: AM": two or three capitals after a signature or initials header label,
/// ending the line or the item, even when they spell a word.
pub(super) fn signed_initials(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let p = header_before(d, u)?;
    let w = d.word(u);
    let after = d.after(u).as_bytes();
    (d.words().initials_labels.within(d.word(p))
        && (2..=3).contains(&w.len())
        && w.bytes().all(|c| c.is_ascii_uppercase())
        && (after.is_empty() || matches!(after[0], b'\n' | b'\r' | b',' | b';' | b')')))
    .then(|| Found::one(Label::cued(0.9)))
    .flatten()
}

/// "Preferred name: Bug", "AKA: TOFU": the value of a header field naming what a person is
/// called is a name even when it is an ordinary word, when it is a word of letters that ends
/// its line or item. Reads: the header label before, the unit's letters, what follows it.
pub(super) fn alias_field(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let p = header_before(d, u)?;
    let after = d.after(u);
    let ends_item = after.is_empty()
        || after.starts_with(['\n', '\r', ',', ';', ')', '.'])
        || after.starts_with("  ")
        || after.starts_with(" (");
    (d.words().alias_labels.within(d.word(p))
        && d.alphabetic(u)
        && d.chars(u) >= 2
        && !d.function_word(u)
        && ends_item)
        .then(|| Found::one(Label::cued(0.9)))
        .flatten()
}

/// Header field: "Client: Jamal Reed", "THERAPIST: ANA RUIZ". A common word counts only when
/// it is a frequent given name or written in capitals, or a name follows it ("To: Human
/// Resources" is none; "Client: Hope Lee" is one).
pub(super) fn header_field(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    header_before(d, u)?;
    let e = d.entry(u);
    ((d.nameable_cued(u) || !d.mixed(u) && e.has(flag::NAME) && !e.has(flag::SAFE | flag::ENGLISH))
        && (e.has(flag::NAME) || !e.has(flag::KNOWN))
        && (d.mixed(u) || !e.has(flag::SAFE))
        && (e.tier == 0
            || e.first_pm >= FREQUENT_PM
            || d.shape_is(u, Shape::Upper)
            || u + 1 < d.n() && name_gap(d.gap(u, u + 1)) && d.entry(u + 1).has(flag::NAME)))
    .then(|| Found::one(Label::cued(0.9)))
    .flatten()
}

/// Dictionary evidence alone: a dictionary name that is no cue word. On a mixed-case line a
/// capitalised name ("Roe" 0.8; a common word mid-sentence 0.6; a very common word only when
/// a frequent name, "told Will" 0.5); on a single-case line a possessive frequent given name
/// ("PAGE'S SUSPENSION") or a name of some frequency, not before an eponym noun ("Riker
/// scale") nor after a place cue when it is also a place ("lives in Houston").
pub(super) fn dictionary_name(d: &Doc, u: usize) -> Option<Label> {
    let e = d.entry(u);
    if !e.has(flag::NAME)
        || e.has(flag::SAFE | flag::TITLE | flag::CREDENTIAL | flag::ROLE | flag::HEADER)
    {
        return None;
    }
    let t = d.tok(u);
    let n = d.n();
    let chars = d.chars(u);
    // A given name that is also a word, opening a sentence before a verb of speaking or
    // contact ("Deb in HR says", "dawn visits on sundays", "CLIENT: GRACE SAID"): a frequent
    // given name on any line, a less common word capitalised on a mixed-case line too.
    let speaker = e.tier != 0
        && t.sentence_start
        && e.has(flag::FIRST)
        && d.subject_of_speech(u)
        && if d.mixed(u) {
            t.shape == Shape::Title && (e.first_pm >= FREQUENT_PM || e.tier == 2)
        } else {
            e.first_pm >= FREQUENT_PM && !d.function_word(u)
        };
    let conf = if speaker {
        Some(0.5)
    } else if d.mixed(u) {
        match (t.shape, e.tier) {
            (Shape::Title, 0) => Some(0.8),
            (Shape::Title, 2) if !t.sentence_start => Some(0.6),
            // A very common word capitalised mid-sentence is a name when it is a frequent
            // name ("told Will", "with Grace"), not when it is mostly a word.
            (Shape::Title, 1)
                if !t.sentence_start
                    && (e.first_pm >= FREQUENT_PM
                        || e.last_pm >= FREQUENT_PM && !d.followed_by_lower(u))
                    || t.sentence_start
                        && (d.followed_by_past_verb(u) || d.possessive(u))
                        && e.first_pm >= FREQUENT_PM =>
            {
                Some(0.5)
            }
            (Shape::Upper, 0) if chars >= 3 => Some(0.6),
            _ => None,
        }
    } else if e.tier != 0
        && e.first_pm >= FREQUENT_PM
        && t.shape == Shape::Upper
        && d.possessive(u)
        && !d.function_word(u)
    {
        // "PAGE'S SUSPENSION": a given name that is also a word, possessive.
        Some(0.5)
    } else if e.tier == 0
        // Three-letter words on lower-case lines are shorthand ("tod", "ina").
        && (chars >= 4 || chars == 3 && t.shape == Shape::Upper)
        && name_pm(e) >= NEUTRAL_MIN_PM
        && (e.first_pm >= NEUTRAL_MIN_PM
            || e.last_pm >= FREQUENT_PM
            || [u.wrapping_sub(1), u + 1].iter().any(|&k| {
                k < n
                    && name_gap(d.gap(k.min(u), k.max(u)))
                    && d.entry(k).has(flag::NAME)
                    && d.entry(k).tier == 0
            }))
    {
        // A rare surname that is no given name ("LIMA", "BLOCKER", "stoll") is more often
        // clinical shorthand on a line without case information.
        Some(0.55)
    } else {
        None
    };
    // A place reading wins when a place cue is right before ("lives in Houston").
    let place_cue = e.has(flag::CITY | flag::STATE | flag::COUNTY)
        && u.checked_sub(1)
            .is_some_and(|p| d.entry(p).has(flag::PLACE_CUE) && only_spaces(d.gap(p, u)));
    // Two-letter words need to be frequent given names ("Al", "Ed"; not "Fe", "Co").
    let long_enough = chars >= 2 && (chars > 2 || e.first_pm >= FREQUENT_PM);
    let conf = conf.filter(|_| !d.before_eponym_noun(u))?;
    (long_enough && !place_cue).then_some(Label::weak(conf))
}

/// A given name that only the registers of the UK, Ireland, New Zealand or Ontario know
/// ("rawiri", "CAOIMHE", "Tamati"), no word of any list, on a line without case: the same
/// evidence as a US given name of that frequency in [`dictionary_name`] (four letters or more,
/// not clinical vocabulary).
fn other_register_name(d: &Doc, u: usize) -> Option<Label> {
    (!d.mixed(u)
        && d.units[u].other_given_pm >= NEUTRAL_MIN_PM
        && d.chars(u) >= 4
        && d.alphabetic(u)
        && !d.function_word(u)
        && !d.clinical(u)
        && !d.before_eponym_noun(u))
    .then(|| Label::weak(0.55))
}

/// A capitalised word mid-sentence (or before a verb, "Síle rang") on a mixed-case line that no
/// dictionary knows, not a name, place, drug or English word, is most likely a name: "called
/// his sponsor, Abebe, instead". Not near a number ("Nipride 0.5") nor before an eponym noun.
pub(super) fn unknown_capitalised(d: &Doc, u: usize) -> Option<Label> {
    let unit = &d.units[u];
    (!d.entry(u).has(flag::KNOWN)
        && d.mixed_title(u)
        && (!d.tok(u).sentence_start || d.followed_by_verb(u) || d.subject_of_speech(u))
        && d.chars(u) >= 4
        && d.has_vowel(u)
        && d.nameable(u)
        && d.alphabetic(u)
        && !near_number(d.text, unit.start, unit.end)
        && !d.before_eponym_noun(u))
    .then_some(Label::weak(0.45))
}

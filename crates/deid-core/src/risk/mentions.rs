//! Finding quasi-identifier mentions and whose they are.
//!
//! Mentions come from the lexicon (one aho-corasick pass), age and community-size shapes, and
//! the direct detector's places, organisations, ages and ZIP codes. Each is then read in its
//! sentence: a speaker label, a negation ("denies hearing loss"), a hypothetical ("if she became
//! a nurse") or a generic plural ("nurses often") is not an attribute of anyone; otherwise the
//! nearest person before it decides the holder — the client, another person (a relative, a
//! role-named third party: "the judge", "her brother, a firefighter"), or the clinician.

use super::data::{Concept, RiskData};
use super::gate::{Gate, LazyRegex};
use super::{Holder, Mention, Slot};
use crate::text::line_start;
use crate::{Category, Span};
use aho_corasick::AhoCorasick;
use std::sync::{Arc, LazyLock};

/// The last `n` bytes of `s` or fewer, starting on a char boundary.
pub(crate) fn tail(s: &str, n: usize) -> &str {
    &s[crate::text::ceil_boundary(s, s.len().saturating_sub(n))..]
}

/// The first `n` bytes of `s` or fewer, ending on a char boundary.
pub(crate) fn head(s: &str, n: usize) -> &str {
    &s[..crate::text::floor_boundary(s, n.min(s.len()))]
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

fn boundary(text: &str, s: usize, e: usize) -> bool {
    let b = text.as_bytes();
    (s == 0 || !is_word_byte(b[s - 1]) || !is_word_byte(b[s]))
        && (e >= b.len() || !is_word_byte(b[e]) || !is_word_byte(b[e - 1]))
}

/// Start and end of the sentence around `pos` (a full stop, ?, !, ; or a line break ends one;
/// "Dr." and single initials do not).
pub(crate) fn sentence(text: &str, pos: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let ends = |i: usize| -> bool {
        match b[i] {
            b'\n' | b'?' | b'!' | b';' => true,
            b'.' => {
                let next_space = b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace());
                let word_start = text[..i]
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| !c.is_alphanumeric())
                    .map_or(0, |(k, c)| k + c.len_utf8());
                let word = &text[word_start..i];
                next_space
                    && word.len() > 1
                    && !matches!(
                        word.to_ascii_lowercase().as_str(),
                        "dr" | "mr" | "mrs" | "ms" | "st" | "mt" | "vs" | "etc" | "no"
                    )
            }
            _ => false,
        }
    };
    // A "sentence" is read at most MAX_SENTENCE bytes either side of the mention, so a note
    // with no full stops costs the same per mention as one with them (no quadratic scan).
    let pos = pos.min(b.len());
    let mut lo = pos.saturating_sub(MAX_SENTENCE);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (pos + MAX_SENTENCE).min(b.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let mut s = pos;
    while s > lo && !ends(s - 1) {
        s -= 1;
    }
    let mut e = pos;
    while e < hi && !ends(e) {
        e += 1;
    }
    (s, e)
}

/// The longest stretch read either side of a mention as its sentence.
const MAX_SENTENCE: usize = 600;

/// The words of `text[from..to]`, lower-cased, with their byte starts.
fn words(text: &str, from: usize, to: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let seg = &text[from..to];
    let mut start = None;
    for (i, c) in seg.char_indices() {
        let w = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
        match (w, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((from + s, seg[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((from + s, seg[s..].to_lowercase()));
    }
    out
}

/// `w.trim_end_matches("'s").trim_end_matches("’s")` without a substring searcher (this runs
/// per word; a `&str` pattern in `trim_*_matches` builds a two-way searcher each call).
pub(crate) fn trim_possessives(mut w: &str) -> &str {
    while let Some(x) = w.strip_suffix("'s") {
        w = x;
    }
    while let Some(x) = w.strip_suffix("’s") {
        w = x;
    }
    w
}

/// Calls `f(pattern, start)` for every occurrence `hay.match_indices(p)` gives of each pattern
/// `p` of `ac` (non-overlapping per pattern, left to right), in one pass of the automaton
/// instead of a substring searcher per pattern; stops at and returns the first `true`. `ac`
/// must use the standard match kind.
fn any_match_indices(ac: &AhoCorasick, hay: &str, mut f: impl FnMut(usize, usize) -> bool) -> bool {
    // (pattern, end of its last occurrence taken): a later one must start at or after it.
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for m in ac.find_overlapping_iter(hay) {
        let p = m.pattern().as_usize();
        match taken.iter_mut().find(|(q, _)| *q == p) {
            Some((_, end)) if m.start() < *end => continue,
            Some((_, end)) => *end = m.end(),
            None => taken.push((p, m.end())),
        }
        if f(p, m.start()) {
            return true;
        }
    }
    false
}

/// `s.trim_start_matches(pat)` for a `&str` pattern, by repeated `strip_prefix`.
fn trim_start_str<'a>(mut s: &'a str, pat: &str) -> &'a str {
    debug_assert!(!pat.is_empty());
    while let Some(x) = s.strip_prefix(pat) {
        s = x;
    }
    s
}

/// `s.rsplit(pat).next().unwrap_or("")`: the text after the last `pat`, or all of `s`
/// (byte comparison of a short tail; no substring searcher).
fn after_last<'a>(s: &'a str, pat: &str) -> &'a str {
    let (h, n) = (s.as_bytes(), pat.as_bytes());
    debug_assert!(!n.is_empty());
    if h.len() < n.len() {
        return s;
    }
    match h.windows(n.len()).rposition(|w| w == n) {
        Some(i) => &s[i + n.len()..],
        None => s,
    }
}

const NEGATIONS: &[&str] = &[
    "no", "not", "denies", "denied", "deny", "without", "never", "negative", "nor", "neither",
    "ruled", "rule", "absent", "doesn't", "didn't", "isn't", "wasn't", "hasn't", "haven't", "non",
];
const HYPOTHETICALS: &[&str] = &[
    "if",
    "whether",
    "would",
    "could",
    "might",
    "considering",
    "consider",
    "hopes",
    "hoping",
    "wants",
    "wanted",
    "wish",
    "wishes",
    "dream",
    "dreams",
    "dreamed",
    "aspires",
    "aspire",
    "plans",
    "planning",
    "thinking",
    "imagine",
    "imagines",
    "someday",
    "one day",
    "applying",
    "applied",
    "hypothetically",
    "pretend",
    "pretends",
    "fantasises",
    "fantasizes",
    "afraid",
    "worried",
    "worries",
    "fears",
    "scared",
    // "rejected the idea of a job in a hardware store", "declined a place at the college".
    "idea",
    "rejected",
    "declined",
    "refused",
    "offered",
];
/// Verbs of belief or feeling that make what follows someone's impression.
const BELIEFS: &[&str] = &[
    "feels",
    "feel",
    "felt",
    "feeling",
    "thinks",
    "think",
    "thought",
    "believes",
    "believe",
    "believed",
    "convinced",
    "paranoid",
    "imagines",
    "suspects",
    "suspect",
    "suspected",
    "seems",
    "seemed",
    "like",
    "perceives",
    "perceived",
];
pub(crate) const RELATIVES: &[&str] = &[
    "mother",
    "mom",
    "mum",
    "mam",
    "mommy",
    "mummy",
    "father",
    "dad",
    "daddy",
    "brother",
    "sister",
    "son",
    "daughter",
    "husband",
    "wife",
    "partner",
    "boyfriend",
    "girlfriend",
    "spouse",
    "fiancé",
    "fiance",
    "fiancée",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "nan",
    "nana",
    "granny",
    "grandad",
    "grandson",
    "granddaughter",
    "aunt",
    "auntie",
    "uncle",
    "cousin",
    "niece",
    "nephew",
    "stepfather",
    "stepmother",
    "stepdad",
    "stepmom",
    "stepmum",
    "stepson",
    "stepdaughter",
    "stepbrother",
    "stepsister",
    "half-brother",
    "half-sister",
    "friend",
    "friends",
    "boss",
    "manager",
    "colleague",
    "coworker",
    "co-worker",
    "neighbour",
    "neighbor",
    "roommate",
    "flatmate",
    "housemate",
    "ex",
    "ex-husband",
    "ex-wife",
    "ex-partner",
    "child",
    "children",
    "kids",
    "kid",
    "baby",
    "sibling",
    "siblings",
    "parents",
    "parent",
    "in-laws",
    "mother-in-law",
    "father-in-law",
    "sons",
    "daughters",
    "brothers",
    "sisters",
    "cousins",
    "grandparents",
    "relative",
    "relatives",
    "family",
    "classmate",
    "teammate",
    "landlord",
    "employer",
    "teen",
    "toddler",
    "infant",
    "twin",
    "twins",
    "carer",
    "caregiver",
    "whānau",
    "whanau",
];
/// Role words that name another person only after a possessive ("her lawyer", "the judge").
const ROLES: &[&str] = &[
    "teacher",
    "supervisor",
    "pastor",
    "priest",
    "lawyer",
    "attorney",
    "solicitor",
    "doctor",
    "gp",
    "psychiatrist",
    "caseworker",
    "worker",
    "officer",
    "judge",
    "coach",
    "principal",
];
const POSSESSIVES: &[&str] = &[
    "her",
    "his",
    "their",
    "client's",
    "patient's",
    "clients",
    "pt's",
    "whose",
    "the",
    "a",
    "an",
    "my",
    "our",
    "your",
    "its",
];
const CLIENT_WORDS: &[&str] = &[
    "client",
    "patient",
    "pt",
    "she",
    "he",
    "they",
    "ct",
    "cl",
    "referral",
    "woman",
    "man",
    "girl",
    "boy",
    "person",
    "individual",
    "resident",
    "student",
    "member",
    "adolescent",
    "teenager",
    "youth",
    "veteran",
    "ms",
    "mr",
    "mrs",
    "miss",
    "mx",
    "young",
];
const CLINICIAN_WORDS: &[&str] = &[
    "i",
    "i'm",
    "i've",
    "i'd",
    "me",
    "my",
    "myself",
    "we",
    "we've",
    "our",
    "us",
    "writer",
    "clinician",
    "therapist",
    "counsellor",
    "counselor",
    "supervisor",
    "supervisee",
    "facilitator",
    "co-facilitator",
];
const FRAMES: &[&str] = &[
    "occupation",
    "employment",
    "job",
    "profession",
    "works",
    "employed",
    "employer",
    "works as",
    "worked as",
    "working as",
    "work as",
    "employed as",
    "job as",
    "career as",
    "trained as",
    "training as",
    "qualified as",
    "retired",
    "former",
    "ex",
    "is a",
    "was a",
    "is an",
    "was an",
    "as a",
    "as an",
    "she's a",
    "he's a",
    "they're a",
    "is the",
    "was the",
    "as the",
    "became the",
    "becomes the",
    "becoming the",
    "been the",
    "now the",
    "i'm the",
    "she's the",
    "he's the",
    "appointed",
    "appointed as",
    "a retired",
    "a former",
    "am a",
    "i'm a",
    "became a",
    "became an",
    "becoming a",
    "becoming an",
    "been a",
    "been an",
    "used to be",
    "promoted to",
    "now a",
    "now works",
    "by trade",
    "a newly qualified",
    "years as",
    "year as",
    "profession",
    "a trainee",
    "a student",
    "student",
    "studying to be",
    "training to be",
    "studying to become",
    "training to become",
];
/// Verbs by which a clinician introduces the client.
const INTRO_VERBS: &[&str] = &[
    "present",
    "introduce",
    "see",
    "treat",
    "describe",
    "seeing",
    "treating",
    "presenting",
    "supporting",
    "assessing",
    "assessed",
    "counselling",
    "counseling",
    "discussing",
    "describing",
    "introducing",
    "bringing",
    "saw",
    "met",
];
/// FRAMES split into words once.
static FRAME_WORDS: LazyLock<Vec<Vec<&'static str>>> =
    LazyLock::new(|| FRAMES.iter().map(|f| f.split(' ').collect()).collect());

const SPEAKER_CLINICIAN: &[&str] = &[
    "therapist",
    "counsellor",
    "counselor",
    "clinician",
    "t",
    "th",
    "dr",
    "interviewer",
    "facilitator",
    "psychologist",
    "worker",
    "writer",
    "me",
    "sw",
    "cm",
    "i",
];

/// The speaker label at the start of the line holding `pos`, lower-cased, and its end.
fn speaker_label(text: &str, pos: usize) -> Option<(String, usize)> {
    let ls = line_start(text, pos);
    if ls > 0 && text.as_bytes()[ls - 1] != b'\n' {
        return None; // a line longer than MAX_LINE: no speaker label is looked for
    }
    let line = &text[ls..];
    // The label is at most 24 bytes, so its colon is near the line's start.
    let colon = line.bytes().take(64).position(|b| b == b':')?;
    let label = line[..colon].trim();
    if label.is_empty() || label.len() > 24 || label.split_whitespace().count() > 3 {
        return None;
    }
    if !label
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '.' || c == '-')
    {
        return None;
    }
    Some((label.to_lowercase(), ls + colon + 1))
}

/// Whose is the attribute at `s..e`, or `None` when it is no one's (negated, hypothetical,
/// generic, or a speaker label).
pub(crate) fn holder_of(
    text: &str,
    s: usize,
    e: usize,
    slot: Slot,
    plural: bool,
    needs_frame: bool,
) -> Option<Holder> {
    let label = speaker_label(text, s);
    if let Some((_, end)) = &label {
        if s < *end {
            return None; // the label itself ("Therapist:")
        }
    }
    let (ss, se) = sentence(text, s);
    // "As the only licensed psychologist in the county, I ...", "Therapist: As a counsellor I
    // hear that a lot": the clinician about themself (after a speaker label, if any).
    if as_i_clause(text, ss.max(label.as_ref().map_or(0, |l| l.1)), se, s) {
        // Under a client's speaker label the first person is the client's ("Client: As a
        // nurse I know ...").
        let speaker_is_clinician = label.as_ref().is_none_or(|(lab, _)| {
            let first = lab.split_whitespace().next().unwrap_or("");
            SPEAKER_CLINICIAN.contains(&first) || lab.starts_with("dr")
        });
        return Some(if speaker_is_clinician {
            Holder::Clinician
        } else {
            Holder::Client
        });
    }
    let before = words(text, ss, s);
    let n = before.len();
    let window = |k: usize| &before[n.saturating_sub(k)..];
    // Negation and hypothesis in the few words before, unless a "but" intervenes.
    let scope: Vec<&str> = window(7)
        .iter()
        .rev()
        .map(|(_, w)| w.as_str())
        .take_while(|w| !matches!(*w, "but" | "however" | "although" | "though" | "and"))
        .collect();
    if slot != Slot::Uniqueness && slot != Slot::Age && scope.iter().any(|w| NEGATIONS.contains(w))
    {
        return None;
    }
    if scope.iter().any(|w| HYPOTHETICALS.contains(w)) {
        return None;
    }
    if generic_subject(&before) {
        return None;
    }
    // "she feels that everyone knows", "he thinks the whole town is talking": a belief about
    // what others know, not a public event or a public role.
    if matches!(slot, Slot::Event | Slot::Uniqueness) && scope.iter().any(|w| BELIEFS.contains(w)) {
        return None;
    }
    let prev: Vec<&str> = window(4).iter().map(|(_, w)| w.as_str()).collect();
    let last = prev.last().copied().unwrap_or("");
    // A frame ("works as", "is a", "retired") may stand up to three modifiers before the job
    // word ("is a 38-year-old assistant principal", "works as a part-time school nurse").
    let near: Vec<&str> = window(7).iter().map(|(_, w)| w.as_str()).collect();
    let framed_near = (0..near.len()).any(|k| {
        let tail_words = &near[k..];
        tail_words.len() <= 5
            && FRAME_WORDS.iter().any(|fw| {
                tail_words.len() >= fw.len()
                    && tail_words[..fw.len()] == fw[..]
                    && tail_words.len() - fw.len() <= 3
                    && tail_words[fw.len()..].iter().all(|w| {
                        !RELATIVES.contains(w)
                            && !matches!(
                                *w,
                                "and" | "but" | "who" | "which" | "whose" | "her" | "his" | "their"
                            )
                    })
            })
    });
    let by_trade = head(text[e..].trim_start(), 8)
        .get(..8)
        .is_some_and(|w| w.eq_ignore_ascii_case("by trade"));
    let appositive = {
        let before = text[..s].trim_end();
        before.ends_with(", a") || before.ends_with(", an") || before.ends_with(", the") || {
            // ", a 52-year-old nurse": an appositive with up to two modifiers.
            let clause = tail(before, 48);
            clause.rfind(',').is_some_and(|c| {
                let ws: Vec<&str> = clause[c + 1..].split_whitespace().collect();
                (2..=3).contains(&ws.len())
                    && matches!(ws[0].to_ascii_lowercase().as_str(), "a" | "an" | "the")
            })
        }
    };
    // "I'm working with a 52-year-old nurse": a person the clinician introduces.
    let introduced = label.is_none()
        && before
            .iter()
            .rposition(|(_, w)| CLINICIAN_WORDS.contains(&w.as_str()))
            .is_some_and(|k| n - k <= 10 && introduces_other(&before[k..]));
    let framed = framed_near || by_trade || appositive || introduced;
    if slot == Slot::Occupation {
        // A plural job word with no possessive in front is generic ("nurses often ...").
        if plural && !matches!(last, "her" | "his" | "their" | "both" | "are" | "were") {
            return None;
        }
        if needs_frame && !framed {
            return None;
        }
        // "pastor phoned ward", "chaplain visited pm": in shorthand a bare job word that is
        // the subject of a verb names the person who acted, not anyone's job.
        let next_word = text[e..]
            .strip_prefix(' ')
            .map(|a| a.split(|c: char| !c.is_alphabetic()).next().unwrap_or(""));
        if !framed
            && last != "and"
            && !RELATIVES.contains(&last)
            && next_word.is_some_and(|w| w.len() >= 4 && crate::text::past_tense(w))
        {
            return None;
        }
        // "the judge", "her lawyer", "a social worker came": a role-named other person (a
        // person noun; "my shift at the plant", "her job in retail" say what someone does).
        let work_phrase = text[s..e]
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| WORK_WORDS.contains(&w.to_lowercase().as_str()));
        // "the head chef", "her new solicitor": a definite article or a possessive may stand
        // one modifier before the job word.
        let definite_two_back = prev.len() >= 2
            && matches!(prev[prev.len() - 2], "the" | "her" | "his" | "their" | "my")
            && last.chars().all(|c| c.is_ascii_lowercase())
            && !matches!(last, "only" | "first" | "last" | "same" | "own")
            && !FRAME_WORDS.iter().any(|fw| fw.last() == Some(&last));
        if !framed
            && !work_phrase
            && (matches!(last, "the" | "her" | "his" | "their" | "a" | "an" | "my")
                || definite_two_back)
        {
            let after = text[e..].trim_start();
            let described = after.starts_with(',') || after.starts_with("who");
            // "She is currently a nurse": a copula a word or two before the article makes it
            // the subject's job; the person words below say whose.
            let copula =
                window(4).iter().rev().skip(1).take(2).any(|(_, w)| {
                    matches!(w.as_str(), "is" | "was" | "am" | "i'm" | "she's" | "he's")
                });
            if (!described || last != "a") && !copula {
                // A service role that names the person ("the judge ruled", "her lawyer
                // said", "the occupational therapist assessed her"): nobody's attribute,
                // unless it describes a relative ("her lawyer sister", "married to a nurse").
                if !relative_role(&before, &text[e..]) {
                    return None;
                }
                return Some(Holder::Other);
            }
        }
    }
    // Speaker-labelled transcript: first person belongs to the speaker.
    let first_person = prev
        .iter()
        .any(|w| matches!(*w, "i" | "i'm" | "my" | "me" | "i've" | "am"));
    if let Some((lab, _)) = &label {
        let lab_first = lab.split_whitespace().next().unwrap_or("");
        if SPEAKER_CLINICIAN.contains(&lab_first) || lab.starts_with("dr") {
            if first_person {
                return Some(Holder::Clinician);
            }
        } else if first_person {
            return Some(Holder::Client);
        }
    }
    // The nearest person word before the mention in its sentence.
    for (k, (_, w)) in before.iter().enumerate().rev().take(PERSON_WINDOW) {
        let w = trim_possessives(w);
        // "I am seeing a 54-year-old woman", "we are working with a ...": the object is the
        // client.
        if INTRO_VERBS.contains(&w) {
            return Some(Holder::Client);
        }
        // "the family speaks Hmong at home", "the household is Catholic", "the family is
        // homeless": the client's own.
        if matches!(w, "family" | "household" | "whānau" | "whanau")
            && matches!(
                slot,
                Slot::Language
                    | Slot::Religion
                    | Slot::Ethnicity
                    | Slot::Nationality
                    | Slot::HousingLegal
            )
        {
            return Some(Holder::Client);
        }
        if RELATIVES.contains(&w) {
            // Family structure words describe the client ("her twin brother": she is a twin;
            // "her son and daughter": she is a parent), unless the relative is the subject of
            // a predicate of their own ("her sister is divorced", "her parents divorced",
            // "her mother was widowed at 45"): then it is the relative's structure.
            if slot == Slot::Family {
                // "she and her husband have three children": a couple's shared structure.
                let with_client = k >= 3
                    && before[k - 2].1 == "and"
                    && CLIENT_WORDS.contains(&before[k - 3].1.as_str());
                return Some(
                    if !with_client && relative_predicate(&before[k + 1..], w, slot) {
                        Holder::Other
                    } else {
                        Holder::Client
                    },
                );
            }
            // "he is a grandfather of six": his own role, not another person.
            if k > 1
                && matches!(before[k - 1].1.as_str(), "a" | "an")
                && matches!(
                    before[k - 2].1.as_str(),
                    "is" | "was" | "as" | "he's" | "she's" | "now"
                )
            {
                return Some(Holder::Client);
            }
            // "two children, aged 9 and 6", "three kids, 12, 9 and 5", "a son of 7": an age
            // that follows a relative noun with nothing but numbers and age words between
            // is the relative's.
            // ("..., 9 and 5, and he is 40": the mention names its own subject.)
            let own_subject = text[s..e]
                .split_whitespace()
                .next()
                .is_some_and(|w| CLIENT_WORDS.contains(&w.to_lowercase().as_str()));
            if slot == Slot::Age
                && !own_subject
                && before[k + 1..].iter().all(|(_, x)| {
                    x.chars().all(|c| c.is_ascii_digit())
                        || matches!(x.as_str(), "aged" | "age" | "ages" | "of" | "and" | "both")
                })
            {
                return Some(Holder::Other);
            }
            // "her two sons", "his older brother": the possessive may stand before a
            // number or an age word.
            let is_poss =
                |x: &str| POSSESSIVES.contains(&x) || x.ends_with("'s") || x.ends_with("’s");
            let poss = k > 0
                && (is_poss(&before[k - 1].1)
                    || k > 1
                        && RELATIVE_MODIFIERS.contains(&before[k - 1].1.as_str())
                        && is_poss(&before[k - 2].1));
            // "her son is Deaf", "his wife, a pharmacist", "the brother who ...".
            if poss || k == 0 {
                return Some(Holder::Other);
            }
        }
        if ROLES.contains(&w)
            && k > 0
            && matches!(
                before[k - 1].1.as_str(),
                "her" | "his" | "their" | "the" | "client's"
            )
        {
            return Some(Holder::Other);
        }
        // "A man in his forties, a warehouse supervisor in Leeds": a role or clinician noun
        // after an indefinite article (with at most one modifier) describes the person the
        // sentence is about, not the writer or a third person; look further back.
        let indefinite = |j: usize| matches!(before[j].1.as_str(), "a" | "an");
        if (ROLES.contains(&w) || CLINICIAN_WORDS.contains(&w) && w.len() > 3)
            && (k > 0 && indefinite(k - 1) || k > 1 && indefinite(k - 2))
        {
            continue;
        }
        // "Person A", "Member B": a vignette's role label, not the client.
        let label_next = before
            .get(k + 1)
            .is_some_and(|(_, n)| n.len() == 1 && n.chars().all(|c| c.is_ascii_alphabetic()));
        if matches!(w, "person" | "member") && label_next {
            continue;
        }
        if CLIENT_WORDS.contains(&w) {
            return Some(Holder::Client);
        }
        // "I'm working with a 52-year-old nurse", "I'd like to discuss a teacher in her
        // forties": the clinician's sentence introduces someone else with an indefinite
        // article; "I'm a nurse", "I am a nurse", "I work as a nurse" are the clinician's own.
        if CLINICIAN_WORDS.contains(&w) && label.is_none() && introduces_other(&before[k..]) {
            return Some(Holder::Client);
        }
        if CLINICIAN_WORDS.contains(&w) && label.is_none() {
            // In an unlabelled note the first person is the writer.
            if matches!(w, "therapist" | "counsellor" | "counselor" | "clinician")
                && !(k > 0 && matches!(before[k - 1].1.as_str(), "this" | "the" | "your" | "my"))
            {
                continue;
            }
            return Some(Holder::Clinician);
        }
    }
    // A bare job word nobody is said to hold ("pediatrician ruled out") is someone's role,
    // not the client's attribute; but a note's subjectless fragment ("Farmer.", "Teacher,
    // married, two children", "Works in IT.") or a job listed after the client's age and sex
    // ("45M, builder, referred by GP") describes the person the note is about.
    if slot == Slot::Occupation && !framed {
        return if note_fragment(text, &before, s, e) {
            Some(Holder::Client)
        } else {
            (!service_role(&text[s..e]) || relative_role(&before, &text[e..]))
                .then_some(Holder::Other)
        };
    }
    Some(Holder::Client)
}

/// Does a job word that names a person (not framed as anyone's job) describe a relative or
/// partner: a relative noun right after it ("her lawyer sister", "his nurse wife") or, a few
/// words before it, a relative or a marriage ("her son, now a paramedic", "married to a
/// nurse")? Otherwise it is a role ("the judge", "her GP", "the occupational therapist").
fn relative_role(before: &[(usize, String)], after: &str) -> bool {
    let next = after
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase();
    if RELATIVES.contains(&next.as_str()) && !ROLE_RELATIVES.contains(&next.as_str()) {
        return true;
    }
    before.iter().rev().take(4).any(|(_, w)| {
        let w = trim_possessives(w);
        (RELATIVES.contains(&w) && !ROLE_RELATIVES.contains(&w))
            || matches!(w, "married" | "engaged" | "dating" | "partnered")
    })
}

/// Jobs a client meets in their care, the courts, school and services: written as a person
/// ("the judge", "her GP", "the occupational therapist"), they name someone the note deals
/// with, not an attribute anyone holds.
const SERVICE_ROLES: &[&str] = &[
    "judge",
    "magistrate",
    "lawyer",
    "attorney",
    "solicitor",
    "barrister",
    "advocate",
    "doctor",
    "gp",
    "physician",
    "psychiatrist",
    "psychologist",
    "therapist",
    "counsellor",
    "counselor",
    "nurse",
    "social worker",
    "caseworker",
    "case worker",
    "case manager",
    "probation officer",
    "parole officer",
    "police officer",
    "officer",
    "teacher",
    "principal",
    "headteacher",
    "head teacher",
    "pastor",
    "priest",
    "chaplain",
    "occupational therapist",
    "physiotherapist",
    "physical therapist",
    "speech therapist",
    "pediatrician",
    "paediatrician",
    "dentist",
    "paramedic",
    "interpreter",
    "mediator",
    "surgeon",
    "midwife",
    "health visitor",
    "key worker",
    "support worker",
    "youth worker",
    "care coordinator",
    "consultant",
    "specialist",
    "neurologist",
    "oncologist",
    "cardiologist",
    "obstetrician",
    "gynecologist",
    "gynaecologist",
    "optometrist",
    "audiologist",
    "dietitian",
    "dietician",
    "pharmacist",
    "guidance counselor",
    "guidance counsellor",
    "school counselor",
    "school counsellor",
    "school nurse",
    "school psychologist",
    "social work",
    "detective",
    "sheriff",
    "deputy",
    "constable",
    "guardian ad litem",
    "receptionist",
    "psychotherapist",
    "clinician",
    "practitioner",
    "nurse practitioner",
    "registrar",
    "resident",
    "intern",
];

/// Is the job phrase a service role of [`SERVICE_ROLES`] (its last word or two)?
fn service_role(phrase: &str) -> bool {
    let p = phrase.trim().to_lowercase();
    SERVICE_ROLES.iter().any(|r| {
        p == *r || p.strip_suffix(r).is_some_and(|h| h.ends_with(' ')) || p == format!("{r}s")
    })
}

/// Words of [`RELATIVES`] that are roles rather than kin ("her employer", "the landlord").
const ROLE_RELATIVES: &[&str] = &[
    "landlord",
    "employer",
    "carer",
    "caregiver",
    "boss",
    "manager",
    "colleague",
    "coworker",
    "co-worker",
];

/// Nouns after an ethnic or national adjective that make it a thing's name, not a person's
/// origin ("the Korean War", "the Irish Sea", "Mexican food"). Not a restaurant or a takeaway:
/// one run by the client's family often does say where they come from.
const ORIGIN_THING_NOUNS: &[&str] = &[
    "war",
    "wars",
    "sea",
    "ocean",
    "food",
    "foods",
    "cuisine",
    "cooking",
    "breakfast",
    "dish",
    "dishes",
];

/// Nouns that make the word before them a member of staff's or a service's remit ("Aboriginal
/// liaison officer", "Head of Year 9", "Year 10 coordinator", "migrant advice service").
const STAFF_ROLE_NOUNS: &[&str] = &[
    "liaison",
    "officer",
    "officers",
    "coordinator",
    "co-ordinator",
    "lead",
    "advice",
    "advisor",
    "adviser",
    "interpreter",
    "interpreters",
    "tutor",
    "mentor",
];

/// Words that open a phrase about work done rather than a person's role ("shift at the plant",
/// "job in retail", "works at the mill").
const WORK_WORDS: &[&str] = &[
    "works",
    "worked",
    "working",
    "work",
    "employed",
    "job",
    "jobs",
    "shift",
    "shifts",
    "employment",
];

/// Is a job phrase at `s..e`, with `before` the words of its sentence before it, a note's
/// description of its subject: the sentence's first words ("Farmer.", "Works in IT.", "Teacher,
/// married") or a list item after an age and sex written in digits ("45M, builder,", "F 29 -
/// barista -"), and (for a bare job word) followed by a list or sentence break rather than a
/// verb ("Psychiatrist to review" is a role)?
fn note_fragment(text: &str, before: &[(usize, String)], s: usize, e: usize) -> bool {
    // Time adverbs alone before it leave it subjectless ("Currently unemployed.").
    const TIME_ADVERBS: &[&str] = &[
        "currently",
        "presently",
        "now",
        "previously",
        "formerly",
        "recently",
        "still",
        "until",
        "a",
        "an",
    ];
    let opens = match before {
        [] => true,
        [.., (_, last)] if last.chars().any(|c| c.is_ascii_digit()) => true,
        ws => ws.iter().all(|(_, w)| TIME_ADVERBS.contains(&w.as_str())),
    };
    let rest = text[e..].trim_start_matches([' ', '\t']);
    let next_word = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    // "Unemployed since March", "Cleaner for 20 years".
    let breaks = rest.is_empty()
        || rest.starts_with([',', '.', ';', '-', '\n', '(', '/'])
        || matches!(next_word.as_str(), "since" | "for" | "until" | "after");
    // "Works at the mill and drinks most nights": a subjectless work phrase.
    let work_phrase = before.is_empty()
        && text[s..e]
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| WORK_WORDS.contains(&w.to_lowercase().as_str()));
    opens && (breaks || work_phrase)
}

/// Does the sentence `ss..se` open with "As ..." and go on with the writer as its subject ("As
/// the only psychologist in the county, I ...", "As a counsellor I hear ..."), with the mention
/// at `s` inside the "As" phrase?
fn as_i_clause(text: &str, ss: usize, se: usize, s: usize) -> bool {
    if s < ss || s > se {
        return false;
    }
    let sent = &text[ss..se];
    let lead = sent.len() - sent.trim_start().len();
    if !sent.trim_start().to_lowercase().starts_with("as ") {
        return false;
    }
    // The writer's pronoun ends the "As" phrase, within eight words.
    let ws = words(text, ss + lead, se);
    let Some(k) = ws
        .iter()
        .take(10)
        .position(|(_, w)| matches!(w.as_str(), "i" | "i'm" | "i've" | "i'd" | "we" | "we're"))
    else {
        return false;
    };
    k >= 2 && s < ws[k].0
}

/// Plural nouns for classes of people, and quantifiers, that open a sentence about people in
/// general ("Teenagers in foster care are at higher risk of homelessness", "Many veterans
/// find the first year home the hardest").
const GENERIC_SUBJECTS: &[&str] = &[
    "many",
    "most",
    "some",
    "few",
    "all",
    "people",
    "anyone",
    "everyone",
    "nobody",
    "teenagers",
    "teens",
    "adolescents",
    "children",
    "kids",
    "adults",
    "veterans",
    "women",
    "men",
    "parents",
    "families",
    "clients",
    "patients",
    "survivors",
    "refugees",
    "migrants",
    "immigrants",
    "students",
    "carers",
    "caregivers",
    "workers",
    "youth",
    "young",
    "older",
    "elderly",
    "mothers",
    "fathers",
    "couples",
    "those",
];

/// Is the sentence, up to the mention (`before`: its words), about people in general: it
/// opens with a class of people or a quantifier and names nobody (no client word, relative
/// or first person) before the mention?
fn generic_subject(before: &[(usize, String)]) -> bool {
    before
        .first()
        .is_some_and(|(_, w)| GENERIC_SUBJECTS.contains(&w.as_str()))
        && !before.iter().any(|(_, w)| {
            let w = w.as_str();
            CLIENT_WORDS.contains(&w)
                || RELATIVES.contains(&w)
                || CLINICIAN_WORDS.contains(&w)
                || POSSESSIVES.contains(&w)
                || matches!(w, "her" | "him" | "his" | "them" | "their")
        })
}

/// The word before byte `at`, lower-cased ("" at the start).
fn word_before(text: &str, at: usize) -> String {
    text[..at]
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase()
}

/// The word right after `at` (letters and digits), as written.
fn word_after(text: &str, at: usize) -> &str {
    text[at..]
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .find(|w| !w.is_empty())
        .unwrap_or("")
}

/// Words between a possessive and a relative noun ("her two sons", "his older brother").
const RELATIVE_MODIFIERS: &[&str] = &[
    "two",
    "three",
    "four",
    "five",
    "six",
    "both",
    "older",
    "younger",
    "elder",
    "eldest",
    "oldest",
    "youngest",
    "adult",
    "grown",
    "teenage",
    "little",
    "big",
    "late",
    "only",
    "twin",
    "new",
    "ex",
    "former",
    "estranged",
    "biological",
    "step",
    "half",
    "baby",
    "infant",
    "best",
    "close",
    "old",
    "childhood",
    "school",
    "closest",
];

/// Does a clinician's clause (`words[0]` is the clinician word, the rest lead up to the
/// mention) introduce another person with an indefinite article ("I'm working with a ...",
/// "I'd like to discuss a ...")? Not when the article follows a copula or "as" ("I'm a
/// nurse", "I am a nurse", "I work as a nurse", "I've been a nurse").
pub(crate) fn introduces_other(words: &[(usize, String)]) -> bool {
    // The determiner of the mention's own noun phrase: the last one, at most three words
    // before the mention ("with a money plan with the financial counsellor" is not one).
    let Some(i) = words
        .iter()
        .rposition(|(_, w)| matches!(w.as_str(), "a" | "an" | "this" | "the" | "her" | "his"))
    else {
        return false;
    };
    if i == 0 || words.len() - i > 4 || !matches!(words[i].1.as_str(), "a" | "an" | "this") {
        return false;
    }
    let prev = words[i - 1].1.as_str();
    !matches!(
        prev,
        "i'm"
            | "am"
            | "was"
            | "been"
            | "be"
            | "as"
            | "became"
            | "become"
            | "becoming"
            | "becomes"
            | "being"
            | "we're"
            | "are"
            | "were"
            | "is"
            | "i"
    )
}

/// How many words before a mention are searched for the person it belongs to ("His brother
/// served in the army and is now a police officer": the brother, eleven words back).
const PERSON_WINDOW: usize = 16;

/// Verbs and auxiliaries that make a relative the subject of their own clause.
const PREDICATE_VERBS: &[&str] = &[
    "is", "was", "are", "were", "has", "had", "have", "got", "became", "becomes", "remains",
    "remained", "lives", "lived", "'s", "’s", "recently", "just", "being", "been",
];

/// Is the relative noun `rel`, followed by `between` (the words up to the mention), the
/// subject of its own predicate? "her sister [is] divorced", "her parents [divorced]" (a
/// plural relative right before a family-structure verb), "her mother [was] widowed at 45".
/// "her twin brother", "her son and daughter", "a mother of three" are the client's structure.
pub(crate) fn relative_predicate(between: &[(usize, String)], rel: &str, slot: Slot) -> bool {
    if slot != Slot::Family {
        return false;
    }
    if between.is_empty() {
        // "her parents divorced": only a plural or couple noun is the subject of a bare verb.
        return matches!(rel, "parents" | "in-laws" | "grandparents");
    }
    between
        .iter()
        .take_while(|(_, w)| !matches!(w.as_str(), "she" | "he" | "they" | "client" | "who"))
        .any(|(_, w)| PREDICATE_VERBS.contains(&w.as_str()))
}

static AGE_RES: LazyLock<Vec<(LazyRegex, &'static str)>> = LazyLock::new(|| {
    [
        (r"(?i)\b(\d{1,3})[- ]?(?:years?|yrs?|yo)[- ]?old\b", "exact"),
        (r"(?i)\b(\d{1,3})[- ]?(?:y/?o\b|yo\b|y\.o\.)", "exact"),
        (r"(?i)\b(?:aged|age|turned|turning|just turned|now)[: ] ?(\d{1,3})\b", "exact"),
        (r"(?i)\bages? of (\d{1,3})\b", "exact"),
        (r"(?i)\b(?:man|woman|person|client|boy|girl|male|female|gentleman|lady|kuia|kaum\x{101}tua|kaumatua|koro|elder) (?:of|aged) ((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|\d{1,3})\b", "words"),
        (r"(?i)\b(\d{1,3}) (?:a\x{f1}os|ans|jahre|anni|jaar|tau)\b", "exact"),
        (r"\b(\d{1,2}) ?(?:M|F)\b", "exact"),
        (r"(?:\b[A-Z]|(?-u:\B)[\p{Lu}&&[^A-Z]])[\w'’.-]*\s?\((\d{1,2})(?:\)|,)", "paren"),
        // "Gerald Okafor, 68, retired", "(Priya, 27)": an age set off after a name.
        (r"(?:\b[A-Z]|(?-u:\B)[\p{Lu}&&[^A-Z]])[\w'’.-]*, (\d{1,2})(?:\)|,|;|\.(?:\s|$)| and\b)", "appos"),
        (r"(?i)\b(?:died|passed away|married|pregnant|diagnosed|retired|widowed|emigrated|migrated|left school|left home|dropped out|adopted|arrested|started drinking|started using|came out|was abused|moved out)\b[^.;\n]{0,40}?\bat (?:age |the age of )?(\d{1,2})\b", "exact"),
        (r"(?i)\b((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)[- ]years?[- ]old\b", "words"),
        (r"(?i)\b(?:she|he|they|client|patient|who) (?:is|was|'s|’s|are) (\d{1,3})(?:\s*(?:,|\.|;|$|and\b|but\b|now\b|this\b|years\b))", "exact"),
        (r"(?i)\b(?:almost|nearly|about|around|approximately|approx\.?|roughly|close to|going on|pushing|coming up on|knocking on|rising) (\d{1,3})\b(?: years)?", "about"),
        (r"(?i)\b(?:almost|nearly|about|around|approximately|roughly|close to) (twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b", "about_words"),
        (r"(?i)\b(early|mid|late)[- ]?(teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|20s|30s|40s|50s|60s|70s|80s|90s)\b", "part"),
        (r"(?i)\bin (?:her|his|their) (teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|20s|30s|40s|50s|60s|70s|80s|90s)\b", "decade"),
        (r"(?i)\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-something\b", "decade"),
        (r"(?i)\b(\d{1,2})(?:st|nd|rd|th)[- ]grade(?:r)?\b", "grade"),
        (r"(?i)\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)[- ]grade(?:r)?\b", "grade_words"),
        (r"(?i)\bin (first|second|third|fourth|fifth|sixth) year\b", "secondary_year"),
        (r"(?i)\b(?:a|an|is|as|was|now) (freshman|sophomore)\b", "freshman"),
        (r"(?i)\byear (\d{1,2})\b(?: (?:student|pupil|at school))?", "year"),
        (r"(?i)\b(freshman|sophomore|junior|senior) (?:in|at) (?:high school|college)\b|\bhigh school (freshman|sophomore|junior|senior)\b", "hs"),
        (r"(?i)\b(?:a|an|is|as|was|now|the)\s+(toddler|preschooler|kindergartner|preteen|pre-teen|tween|teenager|teenaged|adolescent|middle-aged|octogenarian|nonagenarian|centenarian|pensioner|elderly)\b|\b(in (?:her|his|their) nineties)\b", "stage"),
    ]
    .into_iter()
    .map(|(p, k)| (LazyRegex::new(p), k))
    .collect()
});

/// The regexes searched over the whole note: one pass of a few automata says which of them may
/// match it, and only those are compiled and search it (most notes state no age, job or
/// origin; measured on generated notes, the age regexes alone were searched at some 190
/// instructions a byte, and compiling them all was the largest part of `deid scan`'s start-up).
static NOTE_GATE: LazyLock<Gate> = LazyLock::new(|| {
    Gate::new(
        AGE_RES
            .iter()
            .map(|(re, _)| re)
            .chain(JOB_VERB_RES.iter().map(|(re, _, _)| re))
            .chain([
                &JOB_FRAME_RE,
                &POP_RE,
                &SMALL_RE,
                &BIG_RE,
                &*INCIDENT_RE,
                &ORIGIN_RE,
                &WORKS_RE,
                &FORCES_RE,
                &TOUR_RE,
                &LIMB_RE,
                &WIN_RE,
                &SIBLINGS_RE,
                &TEAM_RE,
                &STUDY_YEAR_RE,
                &BORN_RE,
            ]),
    )
});

/// Words besides months and weekdays before ", 12" that make it a number of something, not a
/// name and an age ("Session 6, 45").
const NUMBERED_WORDS: &[&str] = &[
    "session", "week", "day", "room", "page", "item", "step", "level",
];

static POP_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:town|village|community|city|island|settlement|hamlet|township|suburb|parish|reserve|reservation|population)(?: of| with| size)?(?: (?:about|around|roughly|approximately|only|just|under|fewer than|less than|over|some))? ((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)( ?(?:k|thousand|million))?\b|\b((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)( ?(?:k|thousand|million))?[- ](?:people|residents|inhabitants|person)\b",
);

static SMALL_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:(?:a |the )?(?:very |quite )?(?:small|tiny|little|remote|rural|isolated|farming|fishing|mining|mill|coastal|country|outback|island|mountain|prairie|border) (?:town|village|community|township|settlement|hamlet|island)|(?:a|the) village\b|small[- ]town\b|rural area|remote area|the reservation|the reserve\b|the outback|the bush\b|a hamlet)",
);

static BIG_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:(?:a |the )?(?:large|big|major|capital) city|metropolitan area|the metro area|a metro area|inner[- ]city|the city centre|the city center)\b",
);

/// Incident nouns and how public they are (`rules/risk/incidents.tsv`).
const INCIDENTS_TSV: &str = include_str!("../../../../rules/risk/incidents.tsv");

/// How public an incident is: see `rules/risk/incidents.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Publicity {
    /// A community remembers who it happened to.
    Public,
    /// It stays in the family unless fatal or reported.
    Personal,
    /// It struck many at once; it says where, not who.
    Collective,
    /// Personal, and the note's clinical content (an overdose): known to no neighbour.
    Clinical,
}

static INCIDENTS: LazyLock<Vec<(&'static str, Publicity)>> = LazyLock::new(|| {
    INCIDENTS_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("noun\t") && !l.trim().is_empty())
        .filter_map(|l| {
            let (noun, kind) = l.split_once('\t')?;
            let kind = match kind.trim() {
                "public" => Publicity::Public,
                "personal" => Publicity::Personal,
                "collective" => Publicity::Collective,
                "clinical" => Publicity::Clinical,
                _ => return None,
            };
            Some((noun.trim(), kind))
        })
        .collect()
});

/// The publicity of the incident noun that ends `phrase` ("the grain bin accident"), if any.
pub(crate) fn incident_publicity(phrase: &str) -> Option<Publicity> {
    let p = phrase.trim().to_lowercase();
    INCIDENTS
        .iter()
        .filter(|(n, _)| {
            p.ends_with(n) && {
                let cut = p.len() - n.len();
                cut == 0 || !p.as_bytes()[cut - 1].is_ascii_alphanumeric()
            }
        })
        .max_by_key(|(n, _)| n.len())
        .map(|&(_, k)| k)
}

/// Words that say an incident was fatal or maiming.
const FATAL: &[&str] = &[
    "died",
    "dies",
    "killed",
    "drowned",
    "fatal",
    "fatally",
    "death",
    "dead",
    "deaths",
    "paralysed",
    "paralyzed",
    "inquest",
    "lost his life",
    "lost her life",
    "lost their lives",
];

/// Words that say an incident was reported (every storm or strike is; a car crash is not).
const REPORTED: &[&str] = &[
    "news",
    "newspaper",
    "paper",
    "headlines",
    "coverage",
    "reported in",
    "televised",
];

/// Does the sentence say an incident was fatal or reported?
pub(crate) fn grave(sentence: &str) -> bool {
    any_word(sentence, FATAL) || any_word(sentence, REPORTED)
}

/// Does the sentence say an incident was fatal?
pub(crate) fn fatal(sentence: &str) -> bool {
    any_word(sentence, FATAL)
}

fn any_word(sentence: &str, list: &[&str]) -> bool {
    let l = sentence.to_lowercase();
    list.iter().any(|g| {
        l.match_indices(g).any(|(i, _)| {
            let b = l.as_bytes();
            (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                && b.get(i + g.len())
                    .is_none_or(|c| !c.is_ascii_alphanumeric())
        })
    })
}

/// Nouns after an incident noun that make it a modifier of something else ("the fire alarm",
/// "a crash course", "the accident and emergency department").
const INCIDENT_COMPOUNDS: &[&str] = &[
    "alarm",
    "alarms",
    "drill",
    "drills",
    "station",
    "brigade",
    "department",
    "service",
    "escape",
    "exit",
    "door",
    "doors",
    "extinguisher",
    "safety",
    "hazard",
    "risk",
    "insurance",
    "course",
    "test",
    "pit",
    "place",
    "fighter",
    "fighters",
    "crew",
    "truck",
    "engine",
    "prevention",
    "and",
    "helmet",
    "dummy",
    "diet",
    "warden",
    "marshal",
    "cover",
];

/// Does the text after an incident noun make the noun a modifier ("fire alarm")?
fn incident_modifier(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(' ') else {
        return after.starts_with('-'); // "fire-fighter", "crash-test"
    };
    let next: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    INCIDENT_COMPOUNDS.contains(&next.as_str())
}

/// Clause boundaries inside a sentence: a personal incident's gravity is read in its own clause.
const INCIDENT_BREAKS: &[&str] = &[
    ",",
    ";",
    " because ",
    " while ",
    " whereas ",
    " although ",
    " but ",
];

/// Boundaries that end an incident's clause only after it ("an overdose following his wife's
/// death"; but "he died following a crash" is one clause).
const INCIDENT_BREAKS_AFTER: &[&str] = &[
    " following ",
    " in the context of ",
    " months after ",
    " years after ",
];

/// Words after a comma that go on describing what comes before it ("the crash, in which two
/// people died").
const RELATIVE_OPENERS: &[&str] = &[" which", " in which", " that", " where", " when", " who"];

/// The clause of `sent` holding `rs..re` (relative offsets): cut at the nearest break either
/// side.
pub(crate) fn incident_clause(sent: &str, rs: usize, re: usize) -> &str {
    let lower = sent.to_lowercase();
    if lower.len() != sent.len() || re > sent.len() || rs > re {
        return sent;
    }
    let mut from = 0;
    let mut to = sent.len();
    for b in INCIDENT_BREAKS.iter().chain(INCIDENT_BREAKS_AFTER) {
        let after_only = INCIDENT_BREAKS_AFTER.contains(b);
        for (i, _) in lower.match_indices(b) {
            if i + b.len() <= rs && !after_only {
                from = from.max(i + b.len());
            } else if i >= re {
                let rest = &lower[i + b.len()..];
                if *b == "," && RELATIVE_OPENERS.iter().any(|r| rest.starts_with(r)) {
                    continue;
                }
                to = to.min(i);
            }
        }
    }
    &sent[from..to.max(from)]
}

/// Words an incident's modifiers do not run through ("in the mill fire": the incident is
/// "mill fire", the definite article before it makes it a known one).
const INCIDENT_LEAD: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "of", "during", "after", "before", "since", "by", "from",
    "to", "his", "her", "their", "my", "our", "that", "this", "and", "was", "were", "with",
];

static INCIDENT_RE: LazyLock<LazyRegex> = LazyLock::new(|| {
    let mut nouns: Vec<&str> = INCIDENTS.iter().map(|(n, _)| *n).collect();
    nouns.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let alt = nouns
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|");
    // Up to three words before the noun, a year among them ("the 2022 flood", "the July 2021
    // flood", "the hospital car park shooting").
    LazyRegex::owned(format!(
        r"(?i)\b(?:[\p{{L}}0-9][\p{{L}}0-9'-]+ ){{1,3}}(?:{alt})\b"
    ))
});

/// "works as a grain buyer", "employed as an ecologist", "a farrier by trade": the job
/// whatever it is (a job no list knows counts as rare, not as nothing).
static JOB_FRAME_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:works|worked|working|work|employed|job|career|trained|training|qualified|retrained|employment) as (?:a |an |the )?((?:[a-z][a-z'-]* ){0,2}[a-z][a-z'-]+)|\b(?:a|an) ((?:[a-z][a-z'-]* ){0,1}[a-z][a-z'-]+) by (?:trade|profession)\b",
);

/// Where an origin's share comes from (the estimator looks the country up).
const ORIGIN_BASIS: &str = "approx: residents born in that country (rules/risk/origins.tsv: ACS 2018 B05006 and the 2021-2022 censuses) where listed, else 0.4 %";

/// Words after which a job frame's capture is no longer the job's name.
const JOB_FRAME_STOP: &[&str] = &[
    "in", "at", "for", "with", "on", "and", "but", "or", "since", "until", "who", "from", "to",
    "while", "when", "because", "so", "after", "before", "near", "by",
];

/// "came here from Eritrea", "was born in Poland", "fled Syria": an origin abroad.
static ORIGIN_RE: LazyRegex = LazyRegex::new(
    r"\b(?:[Bb]orn|[Gg]rew up|[Rr]aised|[Cc]ame (?:here |over |to [A-Z][a-z]+ )?from|[Mm]oved (?:here |over )?from|[Mm]igrated from|[Ee]migrated from|[Ii]mmigrated from|[Ff]led|[Aa]rrived from|[Rr]elocated from|[Rr]esettled from|[Oo]riginally from|[Ff]amily is from|[Pp]arents are from)(?: in)? (?:the )?(\p{Lu}[\p{L}'-]+(?: \p{Lu}[\p{L}'-]+)?)",
);

const COUNTRIES: &str = include_str!("../../../../rules/dictionaries/countries.txt");

/// Countries abroad (the six countries themselves and their parts are home).
fn is_foreign_country(name: &str) -> bool {
    let l = name.to_lowercase();
    !matches!(
        l.as_str(),
        "united states"
            | "america"
            | "usa"
            | "canada"
            | "australia"
            | "new zealand"
            | "ireland"
            | "england"
            | "scotland"
            | "wales"
            | "britain"
            | "united kingdom"
            | "northern ireland"
    ) && COUNTRIES
        .lines()
        .filter(|x| !x.starts_with('#'))
        .any(|c| c.trim() == l)
}

static WORKS_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:works|worked|working|work|employed|a job|job|shifts?|employment)(?: (?:nights|days|shifts|weekends|part-time|full-time|part time|full time|casually))? (?:at|in|for|on) (?:a |an |the |her |his |their )?(?:[a-z][a-z'-]* ){0,2}(?:(?:plant|factory|mill|mine|warehouse|store|shop|supermarket|hospital|clinic|bank|office|hotel|restaurant|cafe|pub|bar|farm|station|base|site|yard|rigs?|oil rigs?|boats|trawlers?|ships|docks|wharf|wharves|railways?|building sites|ferries|call cent(?:re|er)|cannery|depot|port|airport|council|prison|casino|garage|bakery|salon|nursing home|care home|rest home|meatworks|abattoir|dairy|vineyard|winery|orchard|quarry|refinery|smelter|shipyard|dockyard|elevator|co-op|cooperative|sawmill|processing plant|call centre|retail|hospitality|construction|finance|it|tech|the trades|the mines|the mills|aged care|childcare|forestry|fishing|farming|agriculture|the military|the army|the navy|the police|the fire service|local government|the council|the nhs|the hse|sales|marketing|insurance|accounting|admin|administration|education|healthcare|health care|mining|manufacturing|transport|government|government department|the public service|the civil service|social services|real estate|banking|media|journalism|advertising|recruitment|human resources|customer service|security)\b|caf\x{e9}(?-u:\B))|\b(?:works|worked|working) (?:construction|security|retail|maintenance|landscaping|demolition|roofing)\b|\b(?:an? |the )?(?:office|factory|desk|warehouse|retail|shop|government|council|admin|hospitality|kitchen|cleaning|labouring|laboring|construction|call centre|call center) job\b",
);

/// Work done, said with a verb ("teaches welding", "drives a taxi", "ranched", "runs the
/// pub", "works part-time"): the lexicon concept it stands for, and a value to show (None:
/// the concept's own).
static JOB_VERB_RES: LazyLock<Vec<(LazyRegex, &'static str, Option<&'static str>)>> = LazyLock::new(
    || {
        [
            (r"(?i)\b(?:teaches|taught)\b(?: (?:at|in))?(?: (?:the |a |an )?[a-z][a-z'-]*)?", "teacher", None),
            (r"(?i)\b(?:drives|drove) (?:a |an |the )?(?:[a-z-]+ ){0,2}(?:bus|buses|taxi|taxis|cab|truck|trucks|lorry|lorries|tractor|forklift|ambulance|van|vans|ute|tram|train|trains|road train|uber)\b", "truck driver", Some("drives for a living")),
            (r"(?i)\b(?:farms|farmed|ranches|ranched|runs cattle|run cattle|ran cattle|runs sheep|run sheep|milks cows)\b", "farmer", None),
            (r"(?i)\b(?:coaches|coached)\b", "a job named in everyday words", Some("coach")),
            (r"(?i)\b(?:runs|ran|owns|owned|manages|managed) (?:the|a|an|his|her|their) (?:[a-z'-]+ ){0,2}(?:(?:pub|shop|store|cafe|restaurant|garage|salon|hotel|motel|bakery|bar|takeaway|post office|guesthouse|business|company|firm|dairy|chemist|pharmacy|bookshop|newsagent|bistro|b&b|surgery|clinic|practice|vineyard|winery|orchard|station)\b|caf\x{e9}(?-u:\B))", "business owner", None),
            (r"(?i)\b(?:works|worked|working) (?:part-time|full-time|part time|full time|nights|shifts|weekends|casually|two jobs)\b|\bemployed (?:part-time|full-time|part time|full time)\b", "in paid work", None),
            (r"(?i)\b(?:cleans|cleaned) (?:at|for|in|houses|offices|homes|schools|hotels|motels|holiday homes)\b", "cleaner", None),
            (r"(?i)\b(?:delivers|delivered) (?:the )?(?:mail|post|parcels|packages|groceries|pizzas?|newspapers|papers|for)\b", "a job named in everyday words", Some("delivers for a living")),
            (r"(?i)\b(?:herds|herded|herding|runs|ran) (?:sheep|cattle|goats|reindeer|cows|horses)\b", "farmer", None),
            (r"(?i)\b(?:hosts|hosted|presents|presented|reads|read|produces|produced) (?:a|the) (?:[a-z'-]+ ){0,3}(?:show|programme|program|podcast|news|bulletin)\b", "a public-facing media or sports career", None),
        ]
        .into_iter()
        .map(|(p, c, v)| (LazyRegex::new(p), c, v))
        .collect()
    },
);

/// Words before a job verb that make it a verb with a person as its subject ("she teaches",
/// "her father farms", "who drives a bus"), not a noun ("the farms").
fn verb_subject(prev: &str) -> bool {
    CLIENT_WORDS.contains(&prev)
        || RELATIVES.contains(&prev)
        || CLINICIAN_WORDS.contains(&prev)
        || matches!(
            prev,
            "who"
                | "and"
                | "still"
                | "also"
                | "now"
                | "both"
                | "all"
                | "currently"
                | "mostly"
                | "only"
                | "then"
                | "once"
                | "formerly"
                | "previously"
                | "later"
                | "he's"
                | "she's"
                | "they"
                | "i"
                | "we"
                | "family"
                | "parents"
                | "has"
                | "had"
                | "have"
        )
}

/// "Korean-born", "Scottish-born": born abroad or elsewhere. "Polish-American",
/// "Irish-Canadian": a heritage. "of Lebanese descent": the same.
/// Service in a named force: "served in the Irish Defence Forces", "left the Air Force",
/// "a medic in the Canadian Armed Forces", "joined the army at 16". Group 1 is the verb or
/// role, which says whether the service is past (a veteran) or current.
static FORCES_RE: LazyRegex = LazyRegex::new(
    r"\b((?i:served|serving|serves|enlisted|enlisting|joined|joining|left|leaving|deployed|discharged|invalided out|retired from|signed up (?:for|with)|medic|nurse|officer|engineer|pilot|navigator|mechanic|chaplain|sergeant|corporal|private|captain|lieutenant|major|gunner|sapper|rifleman|seaman|airman|reservist|years))(?: (?i:in|with|from|for|to|of))?(?: (?i:the))?(?: (?:[A-Za-z]+|U\.S\.)){0,2}? ((?i:army|navy|air force|marines|marine corps|defen[cs]e forces?|armed forces|army reserves?|naval reserve|reserves|national guard|coast guard|territorial army|territorials|royal navy|royal marines)|RAF|RAAF|RNZAF|RAN|RNZN|ADF|NZDF|CAF)\b",
);

const DEPLOYMENTS: &str = include_str!("../../../../rules/risk/deployments.txt");

/// Tours and deployments: "two tours in Iraq", "deployed to Kuwait", "served in Timor",
/// "fought in Korea" (places from rules/risk/deployments.txt or a foreign country).
static TOUR_RE: LazyRegex = LazyRegex::new(
    r"\b(?:(?i:(?:(?:two|three|four|five|six|several|multiple|a|one|\d) )?tours? (?:of duty )?(?:in|of|to))|(?i:deployed (?:to|in|on))|(?i:served (?:in|on))|(?i:fought in)|(?i:posted to)|(?i:stationed in)) ((?:the )?[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)",
);

fn deployment_place(name: &str) -> bool {
    let l = name.to_lowercase();
    DEPLOYMENTS
        .lines()
        .filter(|x| !x.starts_with('#'))
        .any(|x| x.trim() == l)
        || is_foreign_country(trim_start_str(&l, "the "))
}

/// A limb, a hand or an eye lost: "lost his left hand", "lost both legs", "lost an eye".
static LIMB_RE: LazyRegex = LazyRegex::new(
    r"(?i)\blost (?:his|her|their|a|an|one|both|the use of (?:his|her|their))(?: (?:left|right|lower|dominant))? (hand|arm|leg|foot|eye|hands|arms|legs|feet|eyes|fingers|thumb|fingers)\b",
);

/// A public win: "won the county spelling bee", "won the national title in 2019". The
/// qualifier (county, state, national, ...) makes it a public record.
static WIN_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:won|winning|winner of|champion of|placed (?:first|second|third) (?:in|at)) (?:the |a )?(?:\d{4} )?(?:county|state|national|regional|provincial|district|world|olympic|commonwealth|all-ireland|european|australian|new zealand|canadian|british|irish|us|u\.s\.)(?: [a-z'-]+){0,3}? (?:spelling bee|bee|championships?|title|competition|contest|final|medal|award|prize|cup|trophy|tournament|pageant|race|marathon)\b",
);

/// A place among siblings with their number: "the eldest of seven", "youngest of 9 kids",
/// "one of six children". Group 1 is the number.
static SIBLINGS_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:(?:the )?(?:eldest|oldest|youngest|middle|second|third|fourth|second-youngest|second-oldest) (?:child |kid |one )?of|one of) (\d{1,2}|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen)\b(?: (?:children|kids|siblings|brothers|sisters|boys|girls))?",
);

/// A place on a representative team: "on the 2014 national rowing team", "picked for the
/// county squad", "made the Olympic team".
static TEAM_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:on|in|for|with|made|joined|selected for|picked for|captained|captain of|played for|rowed for|swam for|ran for) the (?:\d{4} )?(?:national|olympic|paralympic|state|provincial|county|inter-county|commonwealth games|world cup|junior national|under-\d\d national)(?: [a-z-]+){0,2}? (?:team|squad|side|crew|eight|eleven|fifteen)\b",
);

/// A student's year: "in her final year of nursing school", "first year at uni" (not "in her
/// last year of school", which dates something in the past).
static STUDY_YEAR_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:in )?(?:her|his|their|the) (?:first|second|third|fourth|final|last) year (?:of|at) (?:a |an |the )?(?:(?:nursing|medical|med|law|vet|veterinary|dental|teaching|art|drama|film|culinary|trade|graduate|grad|business|flight|beauty) school|(?:[a-z]+ ){0,2}?(?:college|university|uni|degree|course|program|programme|apprenticeship|training))\b",
);

static BORN_RE: LazyRegex = LazyRegex::new(
    r"((?:\b[A-Z]|(?-u:\B)[\p{Lu}&&[^A-Z]])\p{Ll}+)-born\b|((?:\b[A-Z]|(?-u:\B)[\p{Lu}&&[^A-Z]])\p{Ll}+)-(?:American|Canadian|Australian|British|New Zealander|Kiwi)\b|\bof (\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+)?) (?:descent|heritage|background|ancestry|origin|extraction)\b|\b(?:son|daughter|child|children|grandson|granddaughter|grandchild|grandchildren) of (\p{Lu}\p{Ll}+) (?:immigrants|migrants|refugees|parents|farmers|settlers)\b",
);

/// A month named as when something happened ("in August", "on 3 March", "since October"),
/// or a day and month in figures ("on 14/11").
static MONTH_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:in|on|since|during|early|late|mid|mid-|until|by|that|this|of)[ -](?:\d{1,2}(?:st|nd|rd|th)? )?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|\bon \d{1,2}/\d{1,2}\b",
);

static YEAR_RE: LazyRegex = LazyRegex::new(
    r"(?i)\b(?:19|20)\d\d\b|\blast (?:year|month|week|summer|winter|spring|autumn|fall|christmas|easter|january|february|march|april|may|june|july|august|september|october|november|december)\b",
);

/// After "about 30": an age is followed by the end of a clause or by "years", not by a unit
/// ("about 30 tabs", "around 20 minutes").
fn plausible_age_after(rest: &str) -> bool {
    let rest = rest.trim_start();
    match rest.chars().next() {
        None => true,
        Some(c) if !c.is_alphanumeric() => !matches!(c, '%' | '/' | ':'),
        Some(_) => {
            let w: String = rest
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect::<String>()
                .to_lowercase();
            matches!(
                w.as_str(),
                "years"
                    | "year"
                    | "yrs"
                    | "and"
                    | "but"
                    | "now"
                    | "this"
                    | "when"
                    | "who"
                    | "with"
                    | "or"
                    | "so"
                    | "yo"
                    | "y"
                    | "at"
                    | "by"
                    | "in"
            )
        }
    }
}

/// "first" .. "twelfth" as a number.
fn ordinal(w: &str) -> Option<u32> {
    const ORD: &[&str] = &[
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth",
    ];
    let w = w.to_ascii_lowercase();
    ORD.iter().position(|o| *o == w).map(|i| i as u32 + 1)
}

fn decade_word(w: &str) -> Option<u32> {
    let w = w.to_lowercase();
    let w = w.trim_end_matches('s');
    Some(match w {
        "teen" => 10,
        "twentie" | "twenty" | "20" => 20,
        "thirtie" | "thirty" | "30" => 30,
        "fortie" | "forty" | "40" => 40,
        "fiftie" | "fifty" | "50" => 50,
        "sixtie" | "sixty" | "60" => 60,
        "seventie" | "seventy" | "70" => 70,
        "eightie" | "eighty" | "80" => 80,
        "ninetie" | "ninety" | "90" => 90,
        _ => return None,
    })
}

fn parse_count(num: &str, unit: Option<&str>) -> Option<u64> {
    let n: f64 = num.replace(',', "").parse().ok()?;
    let mult = match unit.map(|u| u.trim().to_lowercase()) {
        Some(u) if u == "k" || u == "thousand" => 1_000.0,
        Some(u) if u == "million" => 1_000_000.0,
        _ => 1.0,
    };
    let v = n * mult;
    (1.0..5e9).contains(&v).then_some(v as u64)
}

fn age_interval(kind: &str, caps: &regex::Captures) -> Option<(u32, u32, String)> {
    let g = |i: usize| caps.get(i).map(|m| m.as_str());
    match kind {
        "exact" | "paren" | "appos" => {
            let a: u32 = g(1)?.parse().ok()?;
            (a <= 120).then(|| (a, a, format!("{a}")))
        }
        "words" => {
            let w = g(1)?.to_lowercase();
            let mut parts = w.split(['-', ' ']);
            let first = parts.next()?;
            let units = [
                "zero",
                "one",
                "two",
                "three",
                "four",
                "five",
                "six",
                "seven",
                "eight",
                "nine",
                "ten",
                "eleven",
                "twelve",
                "thirteen",
                "fourteen",
                "fifteen",
                "sixteen",
                "seventeen",
                "eighteen",
                "nineteen",
            ];
            if let Ok(a) = first.parse::<u32>() {
                return (a <= 120).then(|| (a, a, format!("{a}")));
            }
            let base = match units.iter().position(|u| *u == first) {
                Some(v) => v as u32,
                None => decade_word(first)?,
            };
            let extra = parts
                .next()
                .and_then(|u| units.iter().position(|x| *x == u))
                .unwrap_or(0) as u32;
            let a = base + extra;
            Some((a, a, format!("{a}")))
        }
        "about" => {
            let a: u32 = g(1)?.parse().ok()?;
            (10..=110)
                .contains(&a)
                .then(|| (a.saturating_sub(1), a, format!("about {a}")))
        }
        "part" => {
            let d = decade_word(g(2)?)?;
            let (lo, hi) = match g(1)?.to_lowercase().as_str() {
                "early" => (d, d + 3),
                "mid" => (d + 3, d + 6),
                _ => (d + 6, d + 9),
            };
            let lo = if d == 10 { lo.max(13) } else { lo };
            Some((lo, hi, format!("{}-{}", lo, hi)))
        }
        "decade" => {
            let d = decade_word(g(1)?)?;
            let lo = if d == 10 { 13 } else { d };
            Some((lo, d + 9, format!("{lo}-{}", d + 9)))
        }
        "grade" | "grade_words" => {
            let gr: u32 = match g(1)?.parse() {
                Ok(n) => n,
                Err(_) => ordinal(g(1)?)?,
            };
            (1..=12)
                .contains(&gr)
                .then(|| (gr + 5, gr + 6, format!("grade {gr}")))
        }
        "year" => {
            let y: u32 = g(1)?.parse().ok()?;
            (1..=13)
                .contains(&y)
                .then(|| (y + 4, y + 6, format!("school year {y}")))
        }
        // Irish and British secondary school: first year at 12-13, sixth at 17-18.
        "secondary_year" => {
            let y = ordinal(g(1)?)?;
            Some((11 + y, 12 + y, format!("secondary year {y}")))
        }
        "freshman" => Some((14, 21, g(1)?.to_lowercase())),
        "about_words" => {
            let d = decade_word(g(1)?)?;
            Some((d - 1, d, format!("about {d}")))
        }
        "hs" => {
            let w = g(1).or(g(2))?.to_lowercase();
            let college = caps.get(0)?.as_str().to_lowercase().contains("college");
            let base = if college { 18 } else { 14 };
            let off = match w.as_str() {
                "freshman" => 0,
                "sophomore" => 1,
                "junior" => 2,
                _ => 3,
            };
            Some((base + off, base + off + 1, w))
        }
        "stage" => {
            let w = g(1).or(g(2))?.to_lowercase();
            let (lo, hi) = match w.as_str() {
                "toddler" => (1, 3),
                "preteen" | "pre-teen" | "tween" => (10, 12),
                "middle-aged" => (45, 64),
                "preschooler" => (3, 5),
                "kindergartner" => (5, 6),
                "teenager" | "teenaged" | "adolescent" => (13, 19),
                "octogenarian" => (80, 89),
                "nonagenarian" => (90, 99),
                "centenarian" => (100, 110),
                "pensioner" => (65, 99),
                "elderly" => (75, 99),
                _ => (90, 99),
            };
            Some((lo, hi, w))
        }
        _ => None,
    }
}

/// Bytes of text per cell of [`Taken`].
const TAKEN_BLOCK: usize = 64;

/// The mentions found so far, indexed by the 64-byte blocks of the text they touch, so that
/// "does a mention of this kind already overlap `s..e`?" reads the few mentions near `s..e`
/// rather than every mention found (quadratic in a text of thousands of mentions, such as a
/// long list of ages). Brought up to date lazily from the mentions pushed since the last
/// question; a step that removes mentions calls [`Taken::reset`].
struct Taken {
    cells: Vec<Vec<u32>>,
    touched: Vec<usize>,
    synced: usize,
}

impl Taken {
    fn new(text_len: usize) -> Taken {
        Taken {
            cells: vec![Vec::new(); text_len / TAKEN_BLOCK + 1],
            touched: Vec::new(),
            synced: 0,
        }
    }

    /// The blocks `s..e` touches (an empty range touches the block it sits in).
    fn blocks(&self, s: usize, e: usize) -> std::ops::RangeInclusive<usize> {
        let last = self.cells.len() - 1;
        (s / TAKEN_BLOCK).min(last)..=(e.saturating_sub(1).max(s) / TAKEN_BLOCK).min(last)
    }

    fn sync(&mut self, out: &[Mention]) {
        for (i, m) in out.iter().enumerate().skip(self.synced) {
            for c in self.blocks(m.start, m.end) {
                if self.cells[c].is_empty() {
                    self.touched.push(c);
                }
                self.cells[c].push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        self.synced = out.len();
    }

    /// Forgets every mention (after mentions were removed from `out`).
    fn reset(&mut self) {
        for c in self.touched.drain(..) {
            self.cells[c].clear();
        }
        self.synced = 0;
    }

    /// Does a mention of `out` that `keep` accepts overlap `s..e`?
    fn any(
        &mut self,
        out: &[Mention],
        s: usize,
        e: usize,
        keep: impl Fn(&Mention) -> bool,
    ) -> bool {
        self.sync(out);
        self.blocks(s, e).any(|c| {
            self.cells[c].iter().any(|&i| {
                out.get(i as usize)
                    .is_some_and(|x| x.start < e && s < x.end && keep(x))
            })
        })
    }
}

/// Finds every attributed mention in `text`. `spans` are the direct detector's spans.
pub(crate) fn find(
    data: &RiskData,
    text: &str,
    spans: &[Span],
    country: Option<&str>,
) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut taken = Taken::new(text.len());
    let note = NOTE_GATE.matching(text);
    // A word inside a longer name ("Jane Black", "Dr. Mason Baker") is part of the name; a
    // term the detector took for a whole name ("Asian American", "Malayalam") is still read.
    // The spans that can cover a term, by start, with the furthest end reached so far: a
    // term looks back only over spans that can reach it (one or two), not over every span
    // of the document (quadratic on a long one).
    let mut cover: Vec<&Span> = spans
        .iter()
        .filter(|sp| {
            matches!(
                sp.category,
                Category::Email | Category::Url | Category::Id | Category::Name
            )
        })
        .collect();
    cover.sort_by_key(|sp| sp.start);
    let reach = super::furthest_ends(&cover);
    let mut orgs: Vec<&Span> = spans
        .iter()
        .filter(|sp| sp.category == Category::Organization)
        .collect();
    orgs.sort_by_key(|sp| sp.start);
    let org_reach = super::furthest_ends(&orgs);
    // Direct spans an age cannot be inside, by start, with the furthest end so far.
    let mut numeric: Vec<&Span> = spans
        .iter()
        .filter(|sp| {
            sp.kind == crate::Kind::Direct
                && matches!(
                    sp.category,
                    Category::Phone
                        | Category::Fax
                        | Category::Id
                        | Category::Date
                        | Category::Zip
                        | Category::Email
                        | Category::Url
                        | Category::IpAddress
                )
        })
        .collect();
    numeric.sort_by_key(|sp| sp.start);
    let numeric_reach = super::furthest_ends(&numeric);
    let numeric_cover = |s: usize, e: usize| {
        super::overlapping(&numeric, &numeric_reach, s, e)
            .next()
            .is_some()
    };
    let direct_cover = |s: usize, e: usize| {
        let one_word = !text[s..e].contains(' ');
        // Two or three capitals a name span holds exactly are initials ("TD", "AC" in a list
        // of those present), not the job or condition they also spell.
        let initials =
            (2..=3).contains(&(e - s)) && text[s..e].bytes().all(|b| b.is_ascii_uppercase());
        super::overlapping(&cover, &reach, s, e).any(|sp| match sp.category {
            Category::Name => one_word && (sp.start < s || sp.end > e || initials),
            _ => true,
        })
        // Capitals right before a name ("MS O'BRIEN", "DR HALE"): the name's title.
        || initials && text[e..].starts_with(' ') && {
            let next = e + 1;
            super::overlapping(&cover, &reach, next, next + 1)
                .any(|sp| sp.category == Category::Name && sp.start == next)
        }
    };
    // Lexicon terms.
    for m in data.terms.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        if !text.is_char_boundary(s) || !text.is_char_boundary(e) || !boundary(text, s, e) {
            continue;
        }
        // A form's field ("Preferred language: Spanish"): the mention is the answer.
        let s = text[s..e].find(": ").map_or(s, |i| s + i + 2);
        if direct_cover(s, e) {
            continue;
        }
        let pid = m.pattern().as_usize();
        let c: &Concept = &data.concepts[data.term_concept[pid]];
        // A job word in an organisation's name ("Mount Cook Rugby Club", "Baker Street
        // Surgery") is part of the name, nobody's job.
        if c.slot == Slot::Occupation
            && super::overlapping(&orgs, &org_reach, s, e).any(|sp| sp.start <= s && e <= sp.end)
        {
            continue;
        }
        // "one of five children": the client's siblings, not children of their own.
        if c.slot == Slot::Family
            && c.value.starts_with("a parent of")
            && tail(&text[..s], 8)
                .to_lowercase()
                .trim_end()
                .ends_with("one of")
        {
            continue;
        }
        // "married to the job", "married to his work": an idiom, not a marriage.
        if c.slot == Slot::Family && text[s..e].eq_ignore_ascii_case("married") {
            let rest: Vec<String> = head(&text[e..], 40)
                .split(|ch: char| !ch.is_alphabetic())
                .filter(|w| !w.is_empty())
                .take(3)
                .map(str::to_lowercase)
                .collect();
            if rest.len() == 3
                && rest[0] == "to"
                && matches!(
                    rest[1].as_str(),
                    "the" | "his" | "her" | "their" | "my" | "your"
                )
                && matches!(
                    rest[2].as_str(),
                    "job" | "work" | "career" | "role" | "business" | "company" | "cause" | "farm"
                )
            {
                continue;
            }
        }
        let plural = data.term_plural[pid];
        let surface = &text[s..e];
        // "Veteran status: No", "Military history: none", "Student: J. Brown": a form's field
        // label, not an answer.
        {
            let rest = text[e..].trim_start_matches([' ', '\t']);
            let rest = ["status", "history", "service", "name"]
                .iter()
                .find_map(|w| {
                    rest.get(..w.len())
                        .filter(|h| h.eq_ignore_ascii_case(w))
                        .map(|_| rest[w.len()..].trim_start_matches([' ', '\t']))
                })
                .unwrap_or(rest);
            let lead = &text[line_start(text, s)..s];
            if rest.starts_with(':')
                && (lead.trim().is_empty()
                    || lead.trim_end().ends_with(['|', ';'])
                    || lead.ends_with("   "))
            {
                continue;
            }
        }
        // "served in the Korean War", "crossed the Irish Sea", "likes Thai food": a thing's
        // name, nobody's origin.
        // "an Aboriginal liaison officer", "a migrant advice service": a service's or a staff
        // member's remit, not the client's origin.
        if matches!(c.slot, Slot::Ethnicity | Slot::Nationality)
            && text[e..]
                .strip_prefix(' ')
                .and_then(|r| r.split(|ch: char| !ch.is_alphabetic()).next())
                .is_some_and(|w| {
                    let w = w.to_lowercase();
                    ORIGIN_THING_NOUNS.contains(&w.as_str())
                        || STAFF_ROLE_NOUNS.contains(&w.as_str())
                })
        {
            continue;
        }
        // "the Black Saturday bushfires", "the White Mountains", "Black Lives Matter": a
        // colour word that opens a known kind of name ("Black Somali", "White South
        // African" stay origins).
        if c.slot == Slot::Ethnicity
            && matches!(surface, "Black" | "White" | "Brown")
            && text[e..]
                .strip_prefix(' ')
                .and_then(|r| r.split(|ch: char| !ch.is_alphabetic()).next())
                .is_some_and(|w| {
                    matches!(
                        w,
                        "Saturday"
                            | "Friday"
                            | "Summer"
                            | "Lives"
                            | "Death"
                            | "Sea"
                            | "Forest"
                            | "Mountain"
                            | "Mountains"
                            | "Hills"
                            | "River"
                            | "Lake"
                            | "Rock"
                            | "House"
                            | "Pages"
                            | "Sox"
                            | "Hawks"
                            | "Panthers"
                            | "Ferns"
                            | "Caps"
                            | "Sticks"
                    )
                })
        {
            continue;
        }
        // Short all-capital abbreviations ("MS", "ALS", "RN", "ASL") must be written in capitals.
        if surface.len() <= 4
            && surface.chars().all(|ch| ch.is_ascii_alphabetic())
            && !surface.chars().all(|ch| ch.is_ascii_uppercase())
            && matches!(
                surface.to_lowercase().as_str(),
                "ms" | "als"
                    | "rn"
                    | "asl"
                    | "bsl"
                    | "isl"
                    | "lds"
                    | "emt"
                    | "gp"
                    | "mp"
                    | "td"
                    | "mla"
                    | "mpp"
                    | "raf"
                    | "adf"
                    | "nfa"
                    | "avo"
                    | "add"
                    | "asd"
                    | "ibs"
                    | "ocd"
                    | "ftm"
                    | "mtf"
                    | "nzsl"
                    | "lsq"
                    | "cop"
                    | "vet"
            )
            && !matches!(surface, "vet" | "cop" | "Vet" | "Cop")
        {
            continue;
        }
        // "a story about her favourite singer": "her" there is a possessive, the story is
        // someone else's.
        if surface.to_lowercase().ends_with(" her")
            && text[e..].chars().next().is_some_and(|ch| ch == ' ')
            && text[e..]
                .trim_start()
                .split(|ch: char| !ch.is_alphanumeric())
                .next()
                .is_some_and(|w| {
                    !w.is_empty()
                        && !matches!(
                            w.to_lowercase().as_str(),
                            "in" | "on"
                                | "and"
                                | "was"
                                | "that"
                                | "last"
                                | "after"
                                | "when"
                                | "because"
                                | "for"
                                | "at"
                        )
                })
        {
            continue;
        }
        if c.slot == Slot::Uniqueness
            && &*c.value != "a public figure"
            && (!uniqueness_applies(text, e) || private_scope(text, e))
        {
            continue;
        }
        // A capitalised single word that is also a place or a surname is left to the direct
        // detector ("Black" as a surname at the start of a line is rare; keep lower-case uses).
        let Some(holder) = holder_of(text, s, e, c.slot, plural, data.term_frame[pid]) else {
            continue;
        };
        out.push(Mention::from_concept(c, s, e, holder));
    }
    // "speaks Tagalog and Ilocano", "bilingual in French, Arabic and English": the languages
    // listed after the first are the same person's.
    let mut listed = Vec::new();
    for m in out.iter().filter(|m| m.slot == Slot::Language) {
        let mut pos = m.end;
        while let Some(sep) = [", and ", " and ", ", ", " or "]
            .iter()
            .find(|p| text[pos..].starts_with(**p))
        {
            let ws = pos + sep.len();
            let we = text[ws..]
                .find(|c: char| !c.is_alphabetic())
                .map_or(text.len(), |i| ws + i);
            let word = &text[ws..we];
            let Some(c) = word
                .chars()
                .next()
                .filter(|c| c.is_uppercase())
                .and_then(|_| data.concept(word))
                .filter(|c| c.slot == Slot::Language)
            else {
                break;
            };
            listed.push(Mention::from_concept(c, ws, we, m.holder));
            pos = we;
        }
    }
    out.extend(listed);
    // Ages.
    for (re, kind) in AGE_RES.iter() {
        for caps in note.captures_iter(re, text) {
            let m = caps.get(0).expect("match");
            if taken.any(&out, m.start(), m.end(), |x| x.slot == Slot::Age) {
                continue;
            }
            let noun_of = *kind == "words" && !m.as_str().to_lowercase().ends_with("old");
            // "On Monday, 12 of us", "June, 14": a date's word, not a name.
            if *kind == "appos" {
                let name = m
                    .as_str()
                    .split(',')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if crate::date::is_english_month_word(&name)
                    || crate::date::is_weekday(&name)
                    || NUMBERED_WORDS.contains(&name.as_str())
                {
                    continue;
                }
            }
            let m = if matches!(*kind, "paren" | "appos")
                || noun_of
                || *kind == "exact" && m.as_str().len() > 24
            {
                caps.get(1).expect("group")
            } else {
                m
            };
            if matches!(*kind, "about" | "about_words") && !plausible_age_after(&text[m.end()..]) {
                continue;
            }
            // A number inside a phone number, an ID or a date is none of its ages ("Tel (01)
            // 689 5953"); "(01)" is no age, and "Attendance (6):" counts a heading's items.
            if numeric_cover(m.start(), m.end())
                || *kind == "paren"
                    && (m.as_str().starts_with('0') || text[m.end()..].starts_with("):"))
            {
                continue;
            }
            // "married for nearly fifty years", "in about forty minutes": a duration.
            if matches!(*kind, "about" | "about_words")
                && (matches!(word_before(text, m.start()).as_str(), "for" | "after") || {
                    let after = head(&text[m.end()..], 16).to_ascii_lowercase();
                    after.starts_with(" years") && !after.starts_with(" years old")
                        || after.starts_with(" year") && !after.starts_with(" year old")
                })
            {
                continue;
            }
            // "in second year of university", "in first year at college": not a school year.
            if *kind == "secondary_year" {
                let after = head(&text[m.end()..], 24).to_ascii_lowercase();
                if [
                    " of uni",
                    " of college",
                    " at uni",
                    " at college",
                    " of her degree",
                    " of his degree",
                    " of the",
                ]
                .iter()
                .any(|x| after.starts_with(x))
                {
                    continue;
                }
            }
            // "the Head of Year 9", "Dean of Year 11", "Year 10 coordinator": a member of
            // staff's remit, not anyone's age.
            if matches!(*kind, "year" | "grade" | "secondary_year")
                && (word_before(text, m.start()) == "of"
                    && text[..m.start()]
                        .trim_end()
                        .strip_suffix("of")
                        .is_some_and(|t| {
                            matches!(
                                word_before(t, t.len()).as_str(),
                                "head" | "dean" | "director" | "coordinator" | "leader" | "chair"
                            )
                        })
                    || STAFF_ROLE_NOUNS
                        .contains(&word_after(text, m.end()).to_lowercase().as_str()))
            {
                continue;
            }
            if let Some((lo, hi, label)) = age_interval(kind, &caps) {
                if *kind == "exact" && m.as_str().to_lowercase().starts_with("age") && lo < 3 {
                    continue;
                }
                // "they have a toddler", "she has a teenager": a child of the client's.
                if *kind == "stage" && lo < 18 {
                    let prev = word_before(text, m.start());
                    if matches!(
                        prev.as_str(),
                        "have" | "has" | "had" | "with" | "their" | "her" | "his" | "our" | "my"
                    ) {
                        continue;
                    }
                }
                let Some(mut holder) = holder_of(text, m.start(), m.end(), Slot::Age, false, false)
                else {
                    continue;
                };
                // "married to Maria (32)", "her son Sam (6)": the age of the person named.
                if matches!(*kind, "paren" | "appos")
                    && named_relative(text, caps.get(0).expect("match").start())
                {
                    holder = Holder::Other;
                }
                let mut am = Mention::age(m.start(), m.end(), lo, hi, label, holder);
                am.past = past_age(text, &caps);
                out.push(am);
            }
        }
    }
    // Ages the detector found ("34 y/o", "34F", "Age: 34", and ages over 89).
    for sp in spans.iter().filter(|s| s.category == Category::Age) {
        let surface = &text[sp.start..sp.end];
        let digits: String = surface
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(a) = digits.parse::<u32>() {
            if a <= 125 && !taken.any(&out, sp.start, sp.end, |x| x.slot == Slot::Age) {
                let Some(holder) = holder_of(text, sp.start, sp.end, Slot::Age, false, false)
                else {
                    continue;
                };
                let mut m = Mention::age(sp.start, sp.end, a, a, a.to_string(), holder);
                m.from_direct = sp.kind == crate::Kind::Direct;
                out.push(m);
            }
        }
    }
    // Community size stated in words.
    for caps in note.captures_iter(&POP_RE, text) {
        let m = caps.get(0).expect("match");
        let (num, unit) = match caps.get(1) {
            Some(n) => (n.as_str(), caps.get(2).map(|u| u.as_str())),
            None => match caps.get(3) {
                Some(n) => (n.as_str(), caps.get(4).map(|u| u.as_str())),
                None => continue,
            },
        };
        if let Some(pop) = parse_count(num, unit) {
            if pop >= 20 {
                out.push(Mention::community(
                    m.start(),
                    m.end(),
                    pop,
                    "stated",
                    Holder::Client,
                ));
            }
        }
    }
    for m in note.find_iter(&SMALL_RE, text) {
        if !taken.any(&out, m.start(), m.end(), |x| x.population.is_some()) {
            out.push(Mention::community(
                m.start(),
                m.end(),
                2_500,
                "small",
                Holder::Client,
            ));
        }
    }
    // Sizes said in words from rules/risk/community_words.tsv ("a mid-sized city").
    for (s, e, pop) in community_words(text) {
        if !taken.any(&out, s, e, |x| x.population.is_some()) {
            let mut mm = Mention::community(s, e, pop, "stated", Holder::Client);
            mm.value = text[s..e].to_lowercase().into();
            mm.sigma = super::data::sigma_of("proxy");
            mm.basis =
                "the text names the community's size class (rules/risk/community_words.tsv)".into();
            out.push(mm);
        }
    }
    // "grew up in a small village": where the client comes from, not the readers' community.
    for m in out.iter_mut().filter(|m| m.slot == Slot::Place) {
        m.origin = origin_place(text, m.start);
    }
    for m in note.find_iter(&BIG_RE, text) {
        out.push(Mention::community(
            m.start(),
            m.end(),
            1_000_000,
            "big",
            Holder::Client,
        ));
    }
    // Region codes written right after a place ("Eugene, OR"): the text's region.
    let regions_named: std::collections::HashSet<&str> = spans
        .iter()
        .filter(|sp| matches!(sp.category, Category::City | Category::Location))
        .filter_map(|sp| {
            let after = text[sp.end..].trim_start_matches([',', ' ']);
            let code: &str = after
                .split(|c: char| !c.is_ascii_uppercase())
                .next()
                .unwrap_or("");
            (code.len() == 2 || code.len() == 3).then_some(code)
        })
        .collect();
    // The text's country when the caller gave none: the one country that the places named
    // unambiguously (every place of that name is in one country) belong to, so that
    // "Hamilton" in a note that also names Te Awamutu is the New Zealand city.
    // Names the detector took for people that are the towns of addresses.
    let near = Neighbours::new(spans);
    let in_address: Vec<bool> = spans
        .iter()
        .map(|sp| address_name(text, sp, &near))
        .collect();
    let voted: Option<Arc<str>> = if country.is_some() {
        None
    } else {
        let mut votes: Vec<(Arc<str>, usize)> = Vec::new();
        // Formats only one country uses: a postcode, a health number, a county.
        for c in spans.iter().filter_map(|sp| country_of_format(&sp.rule)) {
            match votes.iter_mut().find(|(v, _)| &**v == c) {
                Some(v) => v.1 += 1,
                None => votes.push((c.into(), 1)),
            }
        }
        for (sp, _) in spans.iter().zip(&in_address).filter(|&(sp, &address)| {
            address
                || matches!(
                    sp.category,
                    Category::City | Category::Location | Category::State
                )
        }) {
            let places = data.lookup_place(place_surface(&text[sp.start..sp.end]).0);
            let Some(first) = places.first() else {
                continue;
            };
            if places.iter().all(|p| p.country == first.country) {
                match votes.iter_mut().find(|(c, _)| *c == first.country) {
                    Some(v) => v.1 += 1,
                    None => votes.push((first.country.clone(), 1)),
                }
            }
        }
        votes.sort_by_key(|b| std::cmp::Reverse(b.1));
        match votes.as_slice() {
            [(c, _)] => Some(c.clone()),
            [(c, n), (_, m), ..] if n > m => Some(c.clone()),
            _ => None,
        }
    };
    let country = country.or(voted.as_deref());
    // Places, organisations and ZIP codes from the direct detector.
    for (sp, &address) in spans.iter().zip(&in_address) {
        let surface = &text[sp.start..sp.end];
        let category = if address {
            Category::City // "Southmead Talking Therapies, Bristol BS10 5NB"
        } else {
            sp.category
        };
        match category {
            Category::City | Category::Location | Category::State => {
                // "Herston QLD": the place, and the region code written with it.
                let (name, code) = place_surface(surface);
                let places = data.lookup_place(name);
                let code = code.unwrap_or("");
                // A location no place table lists, where someone works, studies, plays or
                // worships ("coaches the under-14s at Ballyhale Shamrocks"), is an organisation.
                if places.is_empty()
                    && sp.category == Category::Location
                    && tie_cue(text, sp.start, Slot::Organisation)
                    && belongs_to_word_before(text, sp.start)
                {
                    let mut m = Mention::organisation(
                        sp.start,
                        sp.end,
                        surface,
                        org_holder(text, sp.start),
                    );
                    m.from_direct = true;
                    out.push(m);
                    continue;
                }
                let after = text[sp.end..].trim_start_matches([',', ' ']);
                let chosen = places
                    .iter()
                    .find(|p| {
                        !p.region_code.is_empty()
                            && (after.starts_with(&*p.region_code) || *code == *p.region_code)
                            || !p.region.is_empty() && after.starts_with(&*p.region)
                    })
                    // "Hamilton 3204": a four-digit postcode is Australian or New Zealand.
                    .or_else(|| {
                        let countries = postcode_after(text, sp.end, &near)?;
                        places.iter().find(|p| countries.contains(&&*p.country))
                    })
                    // "the mill in Springfield" in a note from "Eugene, OR": a place in a
                    // region the text names after another place.
                    .or_else(|| {
                        places.iter().find(|p| {
                            !p.region_code.is_empty() && regions_named.contains(&*p.region_code)
                        })
                    })
                    .or_else(|| country.and_then(|c| places.iter().find(|p| &*p.country == c)))
                    .or_else(|| places.first())
                    .copied();
                let mut holder = holder_of(text, sp.start, sp.end, Slot::Place, false, false)
                    .unwrap_or(Holder::Client);
                let service = holder == Holder::Client && provider_place(text, sp.start, &orgs);
                if service {
                    holder = Holder::Other;
                }
                if let Some(p) = chosen {
                    let label = if p.region_code.is_empty() {
                        format!(
                            "{}, {}",
                            p.name,
                            if p.region.is_empty() {
                                &p.country
                            } else {
                                &p.region
                            }
                        )
                    } else {
                        format!("{}, {}", p.name, p.region_code)
                    };
                    // A suburb is read as its city ("Chermside, QLD, part of Brisbane").
                    let label = match &p.within {
                        Some((city, _)) => format!("{label}, part of {city}"),
                        None => label,
                    };
                    let mut mm =
                        Mention::community(sp.start, sp.end, p.community(), &label, holder);
                    mm.origin = origin_place(text, sp.start);
                    mm.named = true;
                    mm.from_direct = true;
                    mm.country = Some(p.country.clone());
                    mm.place_kind = Some(p.kind.clone());
                    mm.service = service;
                    out.push(mm);
                }
            }
            // A name right after "works for", "plays for", "a student at" names the employer,
            // team or school the detector took for a person ("plays netball for the Hamilton
            // Hawks", "employed by Fonterra").
            Category::Name if employer_before(text, sp.start) => {
                let mut m =
                    Mention::organisation(sp.start, sp.end, surface, org_holder(text, sp.start));
                m.from_direct = true;
                out.push(m);
            }
            Category::Organization => {
                let holder = org_holder(text, sp.start);
                let mut m = Mention::organisation(sp.start, sp.end, surface, holder);
                m.from_direct = true;
                out.push(m);
            }
            Category::Zip => {
                let digits: String = surface.chars().filter(char::is_ascii_digit).collect();
                if digits.len() >= 5
                    && data
                        .zip3_restricted
                        .iter()
                        .any(|z| digits.starts_with(z.as_str()))
                {
                    let mut mm = Mention::community(
                        sp.start,
                        sp.end,
                        20_000,
                        "restricted ZIP3",
                        Holder::Client,
                    );
                    mm.restricted_zip = true;
                    mm.from_direct = true;
                    out.push(mm);
                }
            }
            _ => {}
        }
    }
    // Incidents the lexicon does not list ("the grain bin accident", "the 2022 storm"),
    // counted when dated or definite.
    if let Some(c) = data.concept("a disaster or fatal incident") {
        for m in note.find_iter(&INCIDENT_RE, text) {
            // The modifiers stop at a function word ("in the mill fire", "attending the
            // motorway pile-up"): the incident starts after the last one.
            let mut ms = m.start();
            let mut at = m.start();
            for w in m.as_str().split(' ') {
                at += w.len() + 1;
                if at < m.end() && INCIDENT_LEAD.contains(&w.to_lowercase().as_str()) {
                    ms = at;
                }
            }
            if taken.any(&out, ms, m.end(), |x| x.slot == Slot::Event) {
                continue;
            }
            // "the fire alarm", "a crash course": the noun names something else.
            if incident_modifier(&text[m.end()..]) {
                continue;
            }
            let (ss, se) = sentence(text, ms);
            let head = text[ss..ms].to_lowercase();
            if !(YEAR_RE.is_match(&text[ss..se]) || head.trim_end().ends_with("the")) {
                continue;
            }
            let sent = &text[ss..se];
            let lower = sent.to_lowercase();
            let area_wide = data.concept("an area-wide disaster");
            let c = match incident_publicity(&text[ms..m.end()]) {
                // A storm or a strike says where, not who, unless a victim is named.
                Some(Publicity::Collective)
                    if !VICTIM.iter().any(|v| lower.contains(v)) && !fatal(sent) =>
                {
                    continue
                }
                // A car crash or an overdose stays in the family unless fatal or reported; an
                // overdose or a suicide attempt is the note's clinical content, known to no
                // neighbour.
                // Its own clause says so ("an overdose ... following his wife's death": the
                // death is another clause's).
                Some(k @ (Publicity::Personal | Publicity::Clinical))
                    if !grave(incident_clause(sent, ms - ss, m.end() - ss)) =>
                {
                    let value = if k == Publicity::Clinical {
                        "a private life event"
                    } else {
                        "a personal accident or assault"
                    };
                    match data.concept(value) {
                        Some(p) => p,
                        None => continue,
                    }
                }
                // "the July 2021 flood": a storm or a flood strikes an area.
                Some(Publicity::Collective) => match area_wide {
                    Some(a) => a,
                    None => continue,
                },
                _ => c,
            };
            // Whose it is is read at the incident noun ("his uncle's overdose": the uncle's).
            let noun_at = m
                .as_str()
                .trim_end()
                .rfind(' ')
                .map_or(ms, |i| m.start() + i + 1);
            if let Some(holder) = holder_of(text, noun_at, m.end(), Slot::Event, false, false) {
                out.push(Mention::from_concept(c, ms, m.end(), holder));
            }
        }
    }
    // "works as a grain buyer": the job, whatever the word.
    if let Some(c) = data.concept("a job named in everyday words") {
        for caps in note.captures_iter(&JOB_FRAME_RE, text) {
            let Some(g) = caps.get(1).or(caps.get(2)) else {
                continue;
            };
            // "the restructuring at work as the trigger": "work" is a noun there, not a verb.
            let whole = caps.get(0).expect("match");
            let prev_word = word_before(text, whole.start());
            if matches!(
                prev_word.as_str(),
                "at" | "from" | "after" | "of" | "the" | "her" | "his" | "their" | "my" | "in"
            ) {
                continue;
            }
            // The job ends before a word that starts what follows it ("a server in a
            // restaurant", "a cleaner at the school", "a driver and a carer").
            let mut job_end = g.end();
            let mut at = g.start();
            for (i, w) in g.as_str().split(' ').enumerate() {
                if i > 0 && JOB_FRAME_STOP.contains(&w.to_lowercase().as_str()) {
                    job_end = at - 1;
                    break;
                }
                at += w.len() + 1;
            }
            let job = text[g.start()..job_end].to_lowercase();
            let first = job.split(' ').next().unwrap_or("");
            if matches!(
                first,
                "part"
                    | "a"
                    | "an"
                    | "the"
                    | "well"
                    | "much"
                    | "long"
                    | "far"
                    | "soon"
                    | "usual"
                    | "such"
                    | "if"
                    | "though"
                    | "hard"
                    | "before"
                    | "normal"
                    | "always"
            ) || taken.any(&out, g.start(), g.end(), |x| x.slot == Slot::Occupation)
            {
                continue;
            }
            if let Some(holder) =
                holder_of(text, g.start(), job_end, Slot::Occupation, false, false)
            {
                let mut mm = Mention::from_concept(c, g.start(), job_end, holder);
                mm.value = "a job no list knows".into();
                out.push(mm);
            }
        }
    }
    // "came here from Eritrea", "born in Poland".
    if let Some(c) = data.concept("immigrant") {
        for caps in note.captures_iter(&ORIGIN_RE, text) {
            let g = caps.get(1).expect("group");
            let name = g.as_str();
            let two_words = name.split(' ').count() == 2;
            let country = if is_foreign_country(name) {
                Some(name)
            } else if two_words {
                name.split(' ').next().filter(|w| is_foreign_country(w))
            } else {
                None
            };
            let Some(country) = country else {
                continue;
            };
            let end = g.start() + country.len();
            if taken.any(&out, g.start(), end, |x| x.slot == Slot::Nationality) {
                continue;
            }
            if let Some(holder) = holder_of(text, g.start(), end, Slot::Nationality, false, false) {
                let mut mm = Mention::from_concept(c, g.start(), end, holder);
                mm.value = format!("born in or from {country}").into();
                mm.share = 0.004;
                mm.basis = ORIGIN_BASIS.into();
                out.push(mm);
            }
        }
    }
    // "works at the fish processing plant", "works in construction".
    if let Some(c) = data.concept("a job named in everyday words") {
        for m in note.find_iter(&WORKS_RE, text) {
            if taken.any(&out, m.start(), m.end(), |x| x.slot == Slot::Occupation) {
                continue;
            }
            if let Some(holder) =
                holder_of(text, m.start(), m.end(), Slot::Occupation, false, false)
            {
                let mut mm = Mention::from_concept(c, m.start(), m.end(), holder);
                mm.value = "works at a named kind of workplace".into();
                mm.share = workplace_share(m.as_str());
                out.push(mm);
            }
        }
    }
    // "teaches welding", "drives a taxi", "ranched", "runs the pub", "works part-time".
    for (re, concept, value) in JOB_VERB_RES.iter() {
        let Some(c) = data.concept(concept) else {
            continue;
        };
        for m in note.find_iter(re, text) {
            if !verb_subject(&word_before(text, m.start()))
                || taken.any(&out, m.start(), m.end(), |x| x.slot == Slot::Occupation)
            {
                continue;
            }
            // "taught her to drive", "teaches him how": a person taught, not a job.
            let obj = text[m.start()..m.end()]
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .to_ascii_lowercase();
            if matches!(
                obj.as_str(),
                "her"
                    | "him"
                    | "them"
                    | "me"
                    | "us"
                    | "you"
                    | "himself"
                    | "herself"
                    | "myself"
                    | "themselves"
                    | "that"
                    | "how"
                    | "to"
                    | "what"
                    | "about"
                    | "the"
                    | "a"
                    | "an"
                    | "it"
                    | "this"
                    | "by"
                    | "for"
                    | "his"
                    | "their"
                    | "my"
            ) && concept == &"teacher"
                && !text[m.start()..m.end()].contains(" at ")
                && !text[m.start()..m.end()].contains(" in ")
            {
                continue;
            }
            if let Some(holder) =
                holder_of(text, m.start(), m.end(), Slot::Occupation, false, false)
            {
                let mut mm = Mention::from_concept(c, m.start(), m.end(), holder);
                if let Some(v) = value {
                    mm.value = (*v).into();
                }
                out.push(mm);
            }
        }
    }
    // "the eldest of seven": the number of siblings says more than the birth order a term
    // gave; eight or more is a very large family, five to seven a large one.
    for caps in note.captures_iter(&SIBLINGS_RE, text) {
        let m = caps.get(0).expect("match");
        let n = caps.get(1).map_or("", |g| g.as_str()).to_lowercase();
        let n = n.parse::<u32>().ok().or_else(|| {
            [
                "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                "fourteen", "fifteen", "sixteen",
            ]
            .iter()
            .position(|w| *w == n)
            .map(|i| i as u32 + 5)
        });
        let value = match n {
            Some(8..) => "very large family",
            Some(5..=7) => "one of five to seven children",
            _ => continue,
        };
        // "one of six children" after a number word is someone's count of children, not a
        // place among siblings; and a stronger term may already be there.
        if taken.any(&out, m.start(), m.end(), |x| {
            x.slot == Slot::Family && x.share <= 0.05
        }) {
            continue;
        }
        let (Some(c), Some(holder)) = (
            data.concept(value),
            holder_of(text, m.start(), m.end(), Slot::Family, false, false),
        ) else {
            continue;
        };
        out.retain(|x| !(x.slot == Slot::Family && x.start < m.end() && m.start() < x.end));
        taken.reset();
        out.push(Mention::from_concept(c, m.start(), m.end(), holder));
    }
    // Phrase shapes for details no single term states: service in a named force, tours and
    // deployments, a lost limb, a public win, a student's year. Each is read in its sentence
    // like a lexicon term (holder_of) and skipped where a mention of its slot is already there.
    let shapes: [(&LazyRegex, Slot, &str); 6] = [
        (&FORCES_RE, Slot::Military, "veteran"),
        (&TEAM_RE, Slot::Uniqueness, "a public figure"),
        (&TOUR_RE, Slot::Military, "veteran"),
        (&LIMB_RE, Slot::Disability, "mobility impairment"),
        (&WIN_RE, Slot::Event, "a local news event"),
        (&STUDY_YEAR_RE, Slot::Occupation, "student"),
    ];
    for (re, slot, value) in shapes {
        for caps in note.captures_iter(re, text) {
            let m = caps.get(0).expect("match");
            let (s, e) = (m.start(), m.end());
            if taken.any(&out, s, e, |x| x.slot == slot) {
                continue;
            }
            let lower = m.as_str().to_lowercase();
            let mut value = value;
            if std::ptr::eq(re, &FORCES_RE) {
                // "the Salvation Army", "an army of volunteers" are not armed forces, and the
                // words between the verb and the force stay in one phrase ("left the house
                // and ran" is not service).
                if lower.contains("salvation")
                    || text[e..].trim_start().starts_with("of ")
                    || lower.split_whitespace().any(|w| CLAUSE_BREAKS.contains(&w))
                {
                    continue;
                }
                // Current service ("serving in the navy", "is a reservist in the Army
                // Reserve", "is deployed with the Navy"); past service is a veteran's.
                let verb = caps.get(1).map_or("", |v| v.as_str()).to_lowercase();
                let prev = word_before(text, s);
                let current = matches!(verb.as_str(), "serving" | "serves" | "reservist")
                    || lower.contains("reserve")
                    || matches!(prev.as_str(), "is" | "are" | "currently" | "still" | "now");
                value = if current {
                    "serving in the armed forces"
                } else {
                    "veteran"
                };
            }
            if std::ptr::eq(re, &TOUR_RE) {
                let place = caps.get(1).map_or("", |g| g.as_str());
                if !deployment_place(place) {
                    continue;
                }
            }
            let (slot, value) = if std::ptr::eq(re, &LIMB_RE)
                && caps
                    .get(1)
                    .is_some_and(|g| g.as_str().eq_ignore_ascii_case("eye"))
            {
                (Slot::Condition, "blind or low vision")
            } else {
                (slot, value)
            };
            let Some(c) = data.concept(value) else {
                continue;
            };
            let Some(holder) = holder_of(text, s, e, slot, false, false) else {
                continue;
            };
            out.push(Mention::from_concept(c, s, e, holder));
        }
    }
    // "Korean-born", "Polish-American", "of Lebanese descent".
    if let (Some(imm), Some(eth)) = (data.concept("immigrant"), data.concept("Jewish heritage")) {
        for caps in note.captures_iter(&BORN_RE, text) {
            let m = caps.get(0).expect("match");
            // "Korean-born": born abroad says more than the ethnicity the word alone gave.
            if caps.get(1).is_some() {
                out.retain(|x| {
                    !(matches!(x.slot, Slot::Nationality | Slot::Ethnicity)
                        && m.start() <= x.start
                        && x.end <= m.end())
                });
                taken.reset();
            }
            if taken.any(&out, m.start(), m.end(), |x| {
                matches!(x.slot, Slot::Nationality | Slot::Ethnicity)
            }) {
                continue;
            }
            let Some(holder) = holder_of(text, m.start(), m.end(), Slot::Nationality, false, false)
            else {
                continue;
            };
            let mut mm = if let Some(w) = caps.get(1) {
                let mut mm = Mention::from_concept(imm, m.start(), m.end(), holder);
                mm.value = format!("born in or from {}", w.as_str()).into();
                mm.share = 0.004;
                mm.basis = ORIGIN_BASIS.into();
                mm
            } else {
                let w = caps
                    .get(2)
                    .or(caps.get(3))
                    .or(caps.get(4))
                    .map_or("", |w| w.as_str());
                let mut mm = Mention::from_concept(eth, m.start(), m.end(), holder);
                mm.value = format!("{w} heritage").into();
                mm.basis = "approx: a single named ancestry is typically 0.5-10 % of residents (ACS 2018 B04006); taken as 2 %".into();
                mm.sigma = super::data::sigma_of("proxy");
                mm
            };
            mm.start = m.start();
            out.push(mm);
        }
    }
    // Events are anchors only when dated or definite ("the 2019 mill fire"); a disaster that
    // struck a whole area only when the text ties a victim to it.
    const VICTIM: &[&str] = &[
        "victim",
        "his house",
        "her house",
        "their house",
        "their home",
        "his home",
        "her home",
        "displaced",
        "red-zoned",
        "slid",
        "damaged",
        "died",
        "killed",
        "lost her home",
        "lost his home",
        "lost their home",
        "lost the house",
        "lost the farm",
        "lost everything",
        "injured",
        "trapped",
        "drowned",
        "pulled out",
        "rescued",
        "went down",
        "missing",
        "buried",
        "burned",
        "burnt",
        "survived",
        "destroyed",
        "crushed",
    ];
    const PERSON_VICTIM: &[&str] = &[
        "victim",
        "victims",
        "injured",
        "trapped",
        "rescued",
        "missing",
        "buried",
        "crushed",
        "pulled out",
        "hurt",
    ];
    let personal = data.concept("a personal accident or assault");
    // "the fire alarm", "a crash course": an incident noun that modifies another noun.
    out.retain(|m| {
        m.slot != Slot::Event
            || incident_publicity(&text[m.start..m.end]).is_none()
            || !incident_modifier(&text[m.end..])
    });
    for m in out.iter_mut().filter(|m| m.slot == Slot::Event) {
        let (ss, se) = sentence(text, m.start);
        let sent = &text[ss..se];
        let head = tail(&text[..m.start], 24).to_lowercase();
        let definite = head.trim_end().ends_with("the")
            || text[m.start..m.end].to_lowercase().starts_with("the ")
            || YEAR_RE.is_match(&head);
        // "the fire" refers back to something told before; a qualified event ("the mill
        // fire", "the plant explosion") or a dated one is one the community knows.
        let surface = text[m.start..m.end].to_lowercase();
        let qualified = !surface.starts_with("the ") && surface.contains(' ');
        m.dated = YEAR_RE.is_match(sent)
            || MONTH_RE.is_match(sent)
            || definite && qualified
            || m.value.contains("news");
        // "the crash", "the stabbing": a personal incident is an anchor only when fatal or
        // reported (rules/risk/incidents.tsv).
        if m.anchor
            && &*m.value == "a disaster or fatal incident"
            && matches!(
                incident_publicity(&surface),
                Some(Publicity::Personal | Publicity::Clinical)
            )
            && !grave(incident_clause(sent, m.start - ss, m.end - ss))
        {
            if let Some(p) = personal {
                let (s, e, h, dated) = (m.start, m.end, m.holder, m.dated);
                *m = Mention::from_concept(p, s, e, h);
                m.dated = dated;
            }
        }
        if &*m.value == "an area-wide disaster" {
            // A disaster that struck a whole area says where, not who. A death or an injury in
            // it is remembered with the name (a dated anchor); a lost or damaged home is known
            // to the neighbours but shared with the many others it struck (a few in 100
            // residents); with neither it says nothing about the client.
            let lower = sent.to_lowercase();
            let person = fatal(sent) || PERSON_VICTIM.iter().any(|v| lower.contains(v));
            let property = VICTIM.iter().any(|v| lower.contains(v));
            m.dated &= person;
            if !person {
                if property {
                    m.share = 0.03;
                    m.sigma = super::data::sigma_of("proxy");
                    m.basis = "approx: homes lost or damaged in an area-wide disaster, a few in 100 residents of the area (Christchurch 2011: about 7,000 red-zoned homes of 150,000)".into();
                } else {
                    m.known = false;
                }
            }
        }
    }
    // A care home, a prison or a group home named as where someone works ("works as a carer in
    // a nursing home", "a guard at the prison", "shifts at the group home") is a workplace,
    // not where they live or a sentence they serve: the clause before it says so.
    out.retain(|m| {
        if m.slot != Slot::HousingLegal {
            return true;
        }
        let before = tail(&text[..m.start], 80);
        let clause = before
            .rfind(['.', ';', '!', '?', '\n'])
            .map_or(before, |i| &before[i + 1..])
            .to_lowercase();
        let works = clause
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| {
                matches!(
                    w,
                    "works"
                        | "worked"
                        | "working"
                        | "work"
                        | "employed"
                        | "job"
                        | "jobs"
                        | "shift"
                        | "shifts"
                        | "volunteers"
                        | "volunteered"
                        | "guard"
                        | "officer"
                        | "nurse"
                        | "carer"
                        | "aide"
                        | "cleaner"
                        | "cook"
                        | "staff"
                )
            });
        !works
    });
    // Service said in the past tense ("was in the army", "a former sergeant", "spent ten
    // years in the navy") is a veteran's, not a serving member's (1 in 20 residents, not 1 in
    // 160).
    if let Some(vet) = data.concept("veteran") {
        for m in out
            .iter_mut()
            .filter(|m| &*m.value == "serving in the armed forces")
        {
            let before: Vec<String> = text[..m.start]
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
                .filter(|w| !w.is_empty())
                .take(4)
                .map(str::to_lowercase)
                .collect();
            let past = before.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "was"
                        | "were"
                        | "former"
                        | "formerly"
                        | "ex"
                        | "spent"
                        | "served"
                        | "retired"
                        | "used"
                        | "left"
                        | "after"
                        | "had"
                )
            });
            if past {
                let (s, e, holder) = (m.start, m.end, m.holder);
                *m = Mention::from_concept(vet, s, e, holder);
            }
        }
    }
    // A named place or organisation is someone's quasi-identifier when the text ties it to
    // them (rules/risk/ties.tsv): "lives in Elko", "her son goes to Kenora Catholic", or
    // through a preposition after another of their details ("a cashier at Tesco in Thurso").
    out.sort_by_key(|m| (m.start, m.end));
    for i in 0..out.len() {
        let m = &out[i];
        // A country or a state ("came to Australia") bounds no community a reader shares.
        let wide = m
            .place_kind
            .as_deref()
            .is_some_and(|k| matches!(k, "country" | "region"));
        if !m.from_direct
            || m.restricted_zip
            || wide
            || !matches!(m.slot, Slot::Place | Slot::Organisation)
        {
            continue;
        }
        let (s, e, slot) = (m.start, m.end, m.slot);
        // A job it hangs from says whose it is ("her daughter is a student at X": the
        // daughter's, as "student" is); else the tie phrase's subject.
        let chain = chained(text, s, &out[..i]);
        let before = tail(&text[..s], 72).to_lowercase();
        let holder = if field_tie(&before, slot) {
            Some(Holder::Client) // a field of the note's header is the note's subject's
        } else if phrase_tie(&before, slot) {
            chain
                .filter(|c| c.slot == Slot::Occupation)
                .map(|c| c.holder)
                .or_else(|| holder_of(text, s, e, slot, false, false))
        } else {
            chain.map(|c| c.holder)
        };
        if let Some(h) = holder {
            out[i].tied = true;
            out[i].holder = h;
        }
    }
    // A word of an organisation's name that the text ties to someone ("sings in the choir at
    // St Brigid's Catholic Church") is told by the organisation's mention, which holds it.
    let tied_orgs: Vec<(usize, usize)> = out
        .iter()
        .filter(|m| m.slot == Slot::Organisation && m.from_direct && m.tied)
        .map(|m| (m.start, m.end))
        .collect();
    if !tied_orgs.is_empty() {
        // Direct spans do not overlap: the one starting last at or before a mention is the
        // only one that can hold it (sorted by start, as `out` is).
        out.retain(|m| {
            let k = tied_orgs.partition_point(|&(s, _)| s <= m.start);
            m.from_direct
                || k == 0
                || !{
                    let (s, e) = tied_orgs[k - 1];
                    s <= m.start && m.end <= e && (s, e) != (m.start, m.end)
                }
        });
    }
    // "Lives with Amrit Grewal, 92, in Cliffcrest", "her brother (Dale Pike, 61)": an age set
    // off after a name that follows "with" or a relative or role word is that person's (not
    // one after "and": "Present: Aroha (52) and Li (29)" lists the members).
    // The name spans by end, for one binary search per age.
    let mut name_ends: Vec<(usize, usize)> = spans
        .iter()
        .filter(|sp| sp.category == Category::Name)
        .map(|sp| (sp.end, sp.start))
        .collect();
    name_ends.sort_unstable();
    for m in out
        .iter_mut()
        .filter(|m| m.slot == Slot::Age && m.holder == Holder::Client)
    {
        if let Some(name) = appositive_name_before(text, &name_ends, m.start) {
            let near = tail(&text[..name], 40);
            let from = name - near.len() + near.rfind(['.', ';', '\n']).map_or(0, |i| i + 1);
            let lead = words(text, from, name);
            if lead.last().is_some_and(|(_, w)| {
                let w = trim_possessives(w);
                w == "with" || RELATIVES.contains(&w) || ROLES.contains(&w)
            }) {
                m.holder = Holder::Other;
            }
        }
    }
    // An age the detector calls direct (over 89) is removed by redaction whichever pattern
    // found it.
    for m in out.iter_mut().filter(|m| m.slot == Slot::Age) {
        if spans.iter().any(|sp| {
            sp.category == Category::Age
                && sp.kind == crate::Kind::Direct
                && sp.start < m.end
                && m.start < sp.end
        }) {
            m.from_direct = true;
        }
    }
    out.sort_by_key(|m| (m.start, m.end));
    out
}

/// The start of the direct name span an age at `start` is set off after (", " or " (" between
/// them: "Amrit Grewal, 92", "Dale Pike (61"), if any. `name_ends` holds the name spans as
/// (end, start), sorted.
fn appositive_name_before(text: &str, name_ends: &[(usize, usize)], start: usize) -> Option<usize> {
    let before = &text[..start];
    let name_end = before
        .strip_suffix(", ")
        .or_else(|| before.strip_suffix(" ("))
        .or_else(|| before.strip_suffix("("))?
        .len();
    let k = name_ends.partition_point(|&(e, _)| e < name_end);
    name_ends
        .get(k)
        .filter(|&&(e, _)| e == name_end)
        .map(|&(_, s)| s)
}

/// Is the age that `caps` found an age at a past event ("moved here at age 12", "widowed at
/// 28", "drinking since the age of 14"), not the person's age now?
fn past_age(text: &str, caps: &regex::Captures) -> bool {
    let whole = caps.get(0).expect("match");
    let num = caps.get(1).unwrap_or(whole);
    // The words before the number, from the match's start or a little before it.
    let from = whole.start().min(num.start()).saturating_sub(16);
    let from = (0..=from)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let lead = text[from..num.start()].to_ascii_lowercase();
    let lead = lead.trim_end();
    let lead = lead
        .strip_suffix("the age of")
        .or_else(|| lead.strip_suffix("age"))
        .or_else(|| lead.strip_suffix("aged"))
        .unwrap_or(lead)
        .trim_end();
    lead.rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .is_some_and(|w| {
            matches!(
                w,
                "at" | "since" | "from" | "by" | "until" | "till" | "before" | "after"
            )
        })
}

/// Field labels whose line is about the writer, a referrer or a service, not the client
/// ("Clinician: ..., Waikato Wellbeing Centre, 45 Victoria Street, Hamilton", "Referred by:
/// Dr Shah, Te Rapa Medical").
const PROVIDER_LABEL_WORDS: &[&str] = &[
    "clinician",
    "therapist",
    "counsellor",
    "counselor",
    "provider",
    "psychologist",
    "psychiatrist",
    "referrer",
    "referred",
    "referring",
    "referral",
    "gp",
    "doctor",
    "physician",
    "consultant",
    "practice",
    "clinic",
    "service",
    "agency",
    "facility",
    "hospital",
    "from",
    "signed",
    "supervisor",
    "author",
    "ward",
    "unit",
    "cc",
    "copy",
    "dr",
    "prepared",
    "completed",
    "reviewer",
    "reviewed",
    "facilitator",
    "worker",
    "coordinator",
    "office",
    "location",
    "site",
    "program",
    "programme",
    "team",
    "organisation",
    "organization",
];

/// Is the named place at `start` where a service is (a clinic's or a referrer's address): on a
/// line whose field label names a provider, or after an organisation's name on the same line
/// with only address parts between ("Ballincollig Medical Centre, Main Street,
/// Ballincollig", "Royal Brisbane Hospital, Butterfield St, Herston")? Such a place says where
/// the service is, not which community the client lives in; a tied organisation ("works at
/// Tesco in Thurso") is the client's and keeps its place.
/// `orgs` are the organisation spans, sorted by start.
fn provider_place(text: &str, start: usize, orgs: &[&Span]) -> bool {
    if let Some((label, _)) = speaker_label(text, start) {
        if label
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| PROVIDER_LABEL_WORDS.contains(&w))
        {
            return true;
        }
    }
    let ls = line_start(text, start);
    let hi = orgs.partition_point(|o| o.start < start);
    let lo = orgs[..hi].partition_point(|o| o.start < ls);
    orgs[lo..hi].iter().any(|o| {
        o.end <= start
            && start - o.end <= 80
            && !tie_cue(text, o.start, Slot::Organisation)
            && text[o.end..start].starts_with(',')
            && text[o.end..start]
                .split(|c: char| !c.is_alphabetic() && c != '.')
                .filter(|w| !w.is_empty())
                .all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        || matches!(
                            w,
                            "st" | "st." | "rd" | "rd." | "ave" | "ave." | "street" | "road"
                        )
                })
    })
}

/// Is the name at `start` introduced as a relative ("married to Maria", "her son Sam",
/// "lives with partner Alex")?
pub(crate) fn named_relative(text: &str, start: usize) -> bool {
    let (ss, _) = sentence(text, start);
    let before = words(text, ss, start);
    before.iter().rev().take(3).any(|(_, w)| {
        let w = trim_possessives(w);
        RELATIVES.contains(&w) || matches!(w, "married" | "engaged" | "wed")
    })
}

const COMMUNITY_WORDS_TSV: &str = include_str!("../../../../rules/risk/community_words.tsv");

static COMMUNITY_WORDS: LazyLock<Vec<(&'static str, u64)>> = LazyLock::new(|| {
    COMMUNITY_WORDS_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("phrase\t"))
        .filter_map(|l| {
            let (p, n) = l.split_once('\t')?;
            Some((p.trim(), n.trim().parse().ok()?))
        })
        .collect()
});

/// Community sizes said in words ("a mid-sized city"): byte ranges and population.
pub(crate) fn community_words(text: &str) -> Vec<(usize, usize, u64)> {
    static PHRASES: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::new(COMMUNITY_WORDS.iter().map(|(p, _)| p)).expect("community phrases")
    });
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    any_match_indices(&PHRASES, &lower, |p, i| {
        let (phrase, pop) = COMMUNITY_WORDS[p];
        let e = i + phrase.len();
        if boundary(text, i, e) && text.is_char_boundary(i) && text.is_char_boundary(e) {
            out.push((i, e, pop));
        }
        false
    });
    out.sort_unstable();
    out
}

const TIES_TSV: &str = include_str!("../../../../rules/risk/ties.tsv");

/// The phrases of rules/risk/ties.tsv: (phrase, ties a place, ties an organisation).
static TIES: LazyLock<Vec<(&'static str, bool, bool)>> = LazyLock::new(|| {
    TIES_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("phrase\t"))
        .filter_map(|l| {
            let (p, k) = l.split_once('\t')?;
            let k = k.trim();
            Some((p.trim(), k != "organisation", k != "place"))
        })
        .collect()
});

/// Words that end the phrase a tie or a chain runs through ("born in Ireland and came to
/// Australia": Australia is not tied by "born in").
const CLAUSE_BREAKS: &[&str] = &[
    "and", "but", "who", "which", "when", "after", "before", "since", "because", "while", "until",
    "than", "about", "then", "where",
];

/// Rules of rules/patterns/ whose format only one country uses (a postcode, a health or
/// insurance number, a county, an address line), with that country.
pub(crate) const FORMAT_COUNTRY: &[(&str, &str)] = &[
    ("zip.uk_postcode", "UK"),
    ("id.nhs", "UK"),
    ("id.uk_nino", "UK"),
    ("zip.ca_postal", "CA"),
    ("address.city_province", "CA"),
    ("id.ramq", "CA"),
    ("zip.eircode", "IE"),
    ("state.irish_county", "IE"),
    ("id.ppsn", "IE"),
    ("id.ppsn_lower", "IE"),
    ("address.au_locality_state_postcode", "AU"),
    ("id.au_medicare", "AU"),
    ("id.au_ihi", "AU"),
    ("id.nhi", "NZ"),
    ("id.nhi_shape", "NZ"),
    ("address.city_state_zip", "US"),
];

/// The country a span's format belongs to (its rule), when only one country uses it.
fn country_of_format(rule: &str) -> Option<&'static str> {
    FORMAT_COUNTRY
        .iter()
        .find(|(r, _)| *r == rule)
        .map(|&(_, c)| c)
}

/// A place name and the region code written after it in one span ("Herston QLD" -> "Herston",
/// "QLD"); a span without a trailing code is the name alone.
fn place_surface(surface: &str) -> (&str, Option<&str>) {
    match surface.trim_end().rsplit_once(' ') {
        Some((name, code))
            if (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()) =>
        {
            (name.trim_end_matches([',', ' ']), Some(code))
        }
        _ => (surface, None),
    }
}

/// The direct spans of a text ordered by start and by end, so that the span right after a
/// place or right before it is found by a binary search, not by reading every span for every
/// name (quadratic on a long document).
struct Neighbours<'s> {
    by_start: Vec<&'s Span>,
    by_end: Vec<&'s Span>,
}

impl<'s> Neighbours<'s> {
    fn new(spans: &'s [Span]) -> Neighbours<'s> {
        let mut by_start: Vec<&Span> = spans.iter().collect();
        by_start.sort_by_key(|sp| sp.start);
        let mut by_end = by_start.clone();
        by_end.sort_by_key(|sp| sp.end);
        Neighbours { by_start, by_end }
    }

    /// The spans starting at or after `from`, in order, up to `to`.
    fn starting(&self, from: usize, to: usize) -> impl Iterator<Item = &'s Span> + '_ {
        let i = self.by_start.partition_point(|sp| sp.start < from);
        self.by_start[i..]
            .iter()
            .copied()
            .take_while(move |sp| sp.start <= to)
    }

    /// The spans ending exactly at `end`.
    fn ending_at(&self, end: usize) -> impl Iterator<Item = &'s Span> + '_ {
        let i = self.by_end.partition_point(|sp| sp.end < end);
        self.by_end[i..]
            .iter()
            .copied()
            .take_while(move |sp| sp.end == end)
    }
}

/// The postcode span right after a place ending at `end`: within six bytes, with only spaces,
/// commas or a region code in capitals between ("Bristol BS10 5NB", "Herston QLD 4029").
fn zip_after<'s>(text: &str, end: usize, near: &Neighbours<'s>) -> Option<&'s Span> {
    near.starting(end, end + 6).find(|z| {
        z.category == Category::Zip
            && text[end..z.start]
                .bytes()
                .all(|b| b == b' ' || b == b',' || b.is_ascii_uppercase())
    })
}

/// The countries whose postcodes look like the postcode right after a place ("Hamilton 3204":
/// four digits are Australian or New Zealand; five are a US ZIP code).
fn postcode_after(text: &str, end: usize, near: &Neighbours) -> Option<&'static [&'static str]> {
    let zip = zip_after(text, end, near)?.text(text);
    if !zip.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    match zip.bytes().filter(u8::is_ascii_digit).count() {
        4 => Some(&["AU", "NZ"]),
        5 | 9 => Some(&["US"]),
        _ => None,
    }
}

/// Is a span the detector took for a name the town of an address? It stands right before a
/// postcode ("Bristol BS10 5NB"), or follows a street or an organisation and a comma ("Beeston
/// Community Hub, Leeds") and ends its line or sentence.
fn address_name(text: &str, sp: &Span, near: &Neighbours) -> bool {
    if sp.category != Category::Name || sp.end - sp.start > 40 {
        return false;
    }
    if zip_after(text, sp.end, near).is_some() {
        return true;
    }
    // Where a span would end that stands before the name with only a comma between.
    let after_comma = text[..sp.start]
        .trim_end()
        .strip_suffix(',')
        .map(str::trim_end)
        .is_some_and(|before| {
            near.ending_at(before.len()).any(|o| {
                matches!(
                    o.category,
                    Category::Location | Category::Organization | Category::StreetAddress
                )
            })
        });
    let rest = text[sp.end..].trim_start_matches([' ', '\t']);
    after_comma && (rest.is_empty() || rest.starts_with(['.', '\n', ';', '|', ')']))
}

/// How many words may stand between a tie phrase and the place or organisation it ties
/// ("lives in a small house outside Elko").
const TIE_GAP_WORDS: usize = 4;

/// Does a phrase of rules/risk/ties.tsv stand in the clause before the named `slot` span at
/// `start`, at most [`TIE_GAP_WORDS`] words before it ("works at the Walmart", "grew up in")?
pub(crate) fn tie_cue(text: &str, start: usize, slot: Slot) -> bool {
    let before = tail(&text[..start], 72).to_lowercase();
    field_tie(&before, slot) || phrase_tie(&before, slot)
}

/// [`tie_cue`]'s phrases (not its field labels) in `before`, the lower-cased text before the
/// place or organisation.
fn phrase_tie(before: &str, slot: Slot) -> bool {
    let clause = before
        .rsplit(['.', ';', '\n', '!', '?', '(', ':'])
        .next()
        .unwrap_or("");
    // Each phrase is found by its words up to a `*` (one word of any kind: "plays * for").
    static PHRASES: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::new(
            TIES.iter()
                .map(|(p, _, _)| p.split(" *").next().unwrap_or(p)),
        )
        .expect("tie phrases")
    });
    let bytes = clause.as_bytes();
    any_match_indices(&PHRASES, clause, |p, i| {
        // A field label ("employer:") never matches here, as the clause ends at a colon.
        let (phrase, place, org) = TIES[p];
        let (head, wild) = match phrase.split_once(" *") {
            Some((head, tail)) => (head, Some(tail.trim_start())),
            None => (phrase, None),
        };
        let mut rest = &clause[i + head.len()..];
        if let Some(tail) = wild {
            // " hurling for", " water-polo for": one word, then the phrase's words after `*`.
            let Some(after) = rest
                .strip_prefix(' ')
                .and_then(|r| r.split_once(' '))
                .filter(|(w, r)| {
                    w.chars().all(|c| c.is_alphanumeric() || c == '-') && r.starts_with(tail)
                })
                .map(|(_, r)| &r[tail.len()..])
            else {
                return false;
            };
            rest = after;
        }
        (if slot == Slot::Place { place } else { org })
            && (i == 0 || !is_word_byte(bytes[i - 1]))
            && (rest.is_empty() || rest.starts_with(' '))
            && rest.split_whitespace().count() <= TIE_GAP_WORDS
            && !rest.split_whitespace().any(|w| CLAUSE_BREAKS.contains(&w))
    })
}

/// Is the span the value of a field whose label ties it to the note's subject ("Employer:
/// Harbourview Logistics", "School: St Brendan's College"; the labels of rules/risk/ties.tsv
/// that end in a colon)? The label must open its line or follow a field separator, and only
/// spaces may stand between the colon and the span. `before` is the lower-cased text before
/// the span.
fn field_tie(before: &str, slot: Slot) -> bool {
    let line = before.rsplit('\n').next().unwrap_or("");
    let Some(label) = line.trim_end_matches([' ', '\t']).strip_suffix(':') else {
        return false;
    };
    let label = label
        .rsplit(['|', ';', '.', ','])
        .next()
        .unwrap_or("")
        .trim()
        .trim_start_matches(['-', '*', '•'])
        .trim();
    TIES.iter().any(|&(phrase, place, org)| {
        (if slot == Slot::Place { place } else { org })
            && phrase.strip_suffix(':').is_some_and(|p| p == label)
    })
}

/// The quasi mention a named place or organisation at `start` hangs from through a
/// preposition in the same clause ("a cashier at Tesco in Thurso": Thurso hangs from Tesco,
/// Tesco from "cashier"; "the Bunnings warehouse in Dubbo": one noun may close the name
/// before the preposition), if any. `before` holds the mentions that start earlier, in order.
pub(crate) fn chained<'a>(text: &str, start: usize, before: &'a [Mention]) -> Option<&'a Mention> {
    const PREPOSITIONS: &[&str] = &["at", "for", "with", "in", "near", "outside", "on", "of"];
    before.iter().rev().find(|m| {
        m.end <= start
            && start - m.end <= 40
            && match m.slot {
                Slot::Place | Slot::Organisation => m.tied,
                Slot::Age | Slot::Sex | Slot::Condition | Slot::Uniqueness => false,
                _ => m.known,
            }
            && (m.slot == Slot::Occupation && apposition(&text[m.end..start]) || {
                let gap = text[m.end..start].to_lowercase();
                let ws: Vec<&str> = gap.split_whitespace().collect();
                !gap.contains(['.', ';', ':', '!', '?', '\n', '(', ')'])
                    && (1..=3).contains(&ws.len())
                    && ws[..ws.len().min(2)]
                        .iter()
                        .any(|w| PREPOSITIONS.contains(&w.trim_start_matches(',')))
                    && !ws.iter().any(|w| CLAUSE_BREAKS.contains(w))
            })
    })
}

/// Is `gap` what stands between a job and its employer in apposition ("Teacher, Ashbourne
/// Community School", "a welder (Corran Steel)"): a comma or an opening bracket and nothing
/// else?
fn apposition(gap: &str) -> bool {
    matches!(gap.trim(), "," | "(" | "-" | "–" | "—")
}

/// Cues before a place that make it where someone comes from, not where they live now.
const ORIGIN_CUES: &[&str] = &[
    "grew up in",
    "raised in",
    "born in",
    "born and raised in",
    "originally from",
    "is from",
    "was from",
    "came from",
    "moved from",
    "moved here from",
    "relocated from",
    "emigrated from",
    "immigrated from",
    "migrated from",
    "fled",
    "childhood in",
    "grew up on",
    "went to school in",
    "used to live in",
    "lived in",
    "previously lived in",
];

/// Is the place at `start` named as someone's origin ("grew up in Medford, OR")?
pub(crate) fn origin_place(text: &str, start: usize) -> bool {
    let before = tail(&text[..start], 48).to_lowercase();
    // The clause before the place: cut at a sentence or clause break.
    let clause = before.rsplit(['.', ';', '\n']).next().unwrap_or("");
    let clause = after_last(clause, " and ");
    let clause = after_last(clause, ", ");
    ORIGIN_CUES.iter().any(|c| clause.contains(c))
        && ![
            "moved to",
            "lives in",
            "living in",
            "now in",
            "settled in",
            "relocated to",
        ]
        .iter()
        .any(|c| clause.contains(c))
}

/// The kind of a named organisation and a size to assume for it.
pub(crate) fn org_kind(surface: &str) -> (&'static str, u64) {
    let lower = surface.to_lowercase();
    let has = |ks: &[&str]| ks.iter().any(|k| lower.contains(k));
    if has(&["university", "college", "polytechnic", "tafe"]) {
        ("a college or university", 10_000)
    } else if has(&[
        "school",
        "academy",
        "kura",
        "kindergarten",
        "preschool",
        "daycare",
        "nursery",
        "gaelscoil",
    ]) {
        ("a local school", 600)
    } else if has(&[
        "church",
        "chapel",
        "mosque",
        "temple",
        "synagogue",
        "parish",
        "congregation",
        "gurdwara",
        "marae",
        "kingdom hall",
    ]) {
        ("a local faith community", 300)
    } else if has(&[
        "hospital",
        "health",
        "council",
        "department",
        "army",
        "navy",
        "police",
        "service",
        "ministry",
        "nhs",
        "hse",
    ]) {
        ("a large organisation", 5_000)
    } else if has(&[
        "club", "team", "league", "band", "choir", "fc", "rfc", "gaa",
    ]) {
        ("a local club", 100)
    } else {
        ("a local employer", 200)
    }
}

/// The share of residents working at a kind of workplace (approx: BLS Current Employment
/// Statistics 2023 by industry / US population; an office is where a fifth of jobs are).
fn workplace_share(phrase: &str) -> f64 {
    let lower = phrase.to_lowercase();
    // "an office job", "a factory job": the kind of workplace.
    let p = lower.strip_suffix(" job").unwrap_or(&lower).to_string();
    let table: &[(&str, f64)] = &[
        ("office", 0.12),
        ("desk", 0.12),
        ("admin", 0.03),
        ("administration", 0.03),
        ("government", 0.02),
        ("government department", 0.02),
        ("department", 0.02),
        ("public service", 0.02),
        ("civil service", 0.02),
        ("sales", 0.03),
        ("marketing", 0.005),
        ("insurance", 0.008),
        ("accounting", 0.005),
        ("logistics", 0.01),
        ("education", 0.03),
        ("healthcare", 0.04),
        ("health care", 0.04),
        ("manufacturing", 0.04),
        ("transport", 0.015),
        ("social services", 0.006),
        ("real estate", 0.006),
        ("banking", 0.006),
        ("customer service", 0.01),
        ("security", 0.004),
        ("kitchen", 0.01),
        ("cleaning", 0.008),
        ("labouring", 0.01),
        ("laboring", 0.01),
        ("mining", 0.002),
        ("media", 0.003),
        // Retail trade employs 15.6 million (BLS CES 2021): 0.047 of residents.
        ("retail", 0.047),
        ("supermarket", 0.01),
        ("store", 0.047),
        ("shop", 0.047),
        ("hospital", 0.02),
        ("clinic", 0.01),
        ("nursing home", 0.005),
        ("care home", 0.005),
        ("rest home", 0.005),
        ("aged care", 0.008),
        ("childcare", 0.004),
        ("hospitality", 0.04),
        ("restaurant", 0.03),
        ("cafe", 0.008),
        ("café", 0.008),
        ("pub", 0.004),
        ("bar", 0.004),
        ("hotel", 0.006),
        ("construction", 0.025),
        ("factory", 0.02),
        ("warehouse", 0.01),
        ("call cent", 0.006),
        ("bank", 0.006),
        ("school", 0.03),
        ("university", 0.01),
        ("finance", 0.02),
        ("it", 0.02),
        ("tech", 0.02),
        ("farm", 0.005),
        ("farming", 0.005),
        ("agriculture", 0.006),
        ("council", 0.01),
        ("local government", 0.015),
    ];
    table
        .iter()
        .find(|(k, _)| p.ends_with(k))
        .map_or(0.004, |&(_, v)| v)
}

/// "the first in her family to go to university", "the only man in the group": unique within
/// a family, a class or a therapy group, which identifies no one outside it.
fn private_scope(text: &str, end: usize) -> bool {
    let rest = head(&text[end..], 90).to_lowercase();
    let clause = rest.split(['.', ';', '\n']).next().unwrap_or("");
    const PRIVATE: &[&str] = &[
        "in her family",
        "in his family",
        "in their family",
        "in the family",
        "in my family",
        "of her siblings",
        "of his siblings",
        "of the siblings",
        "of the children",
        "of her children",
        "of his children",
        "in the group",
        "in group",
        "in the room",
        "among her friends",
        "among his friends",
        "in her friendship",
        "in his friendship",
        "in her class",
        "in his class",
        "at home",
        "in the house",
        "in the household",
        "of her friends",
        "of his friends",
        "in her circle",
        "in his circle",
        "to go to",
        "to attend",
        "to finish",
        "to graduate",
        "to leave",
    ];
    const PUBLIC: &[&str] = &[
        "town",
        "county",
        "village",
        "island",
        "region",
        "state",
        "country",
        "city",
        "valley",
        "community",
        "school",
        "college",
        "university",
        "hospital",
        "practice",
        "department",
        "company",
        "firm",
        "team",
        "club",
        "league",
        "parish",
        "church",
        "force",
        "unit",
        "profession",
        "district",
        "reserve",
        "iwi",
        "tribe",
        "world",
        "nation",
        "province",
    ];
    let public = PUBLIC.iter().any(|p| {
        clause
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == *p)
    });
    (PRIVATE.iter().any(|p| clause.contains(p)) || subjective(clause)) && !public
}

/// "the only doctor she trusts", "the only person who understands her", "the first thing I
/// noticed": uniqueness in someone's own eyes, which no outsider can look up.
pub(crate) fn subjective(clause: &str) -> bool {
    let ws: Vec<&str> = clause
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    const SUBJECT: &[&str] = &[
        "she", "he", "they", "i", "we", "you", "she's", "he's", "i've",
    ];
    const OBJECT: &[&str] = &["her", "him", "them", "me", "us", "you"];
    // A subject pronoun within the noun's relative clause (the first five words).
    if ws.iter().take(5).any(|w| SUBJECT.contains(w)) {
        return true;
    }
    // "who/that understands her", "who listens to him".
    ws.iter()
        .position(|w| matches!(*w, "who" | "that"))
        .is_some_and(|i| {
            ws[i + 1..]
                .iter()
                .take(4)
                .any(|w| OBJECT.contains(w) || SUBJECT.contains(w))
        })
}

/// "the only", "the first": only about a person ("the only female firefighter in the county"),
/// not "the only time" or "the first session".
fn uniqueness_applies(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let rest = head(rest, 80);
    let ws = words(rest, 0, rest.len());
    let first = ws.first().map(|w| w.1.as_str()).unwrap_or("");
    // "the only family member in contact", "the only friend she has": within her own circle.
    if matches!(
        first,
        "family"
            | "friend"
            | "friends"
            | "sibling"
            | "siblings"
            | "relative"
            | "relatives"
            | "parent"
            | "adult"
            | "grandchild"
            | "daughter"
            | "son"
            | "girl"
            | "boy"
            | "child"
            | "kid"
            | "member"
    ) {
        return false;
    }
    if matches!(
        first,
        "time"
            | "times"
            | "session"
            | "sessions"
            | "week"
            | "weeks"
            | "day"
            | "days"
            | "thing"
            | "things"
            | "way"
            | "ways"
            | "step"
            | "steps"
            | "appointment"
            | "visit"
            | "month"
            | "year"
            | "night"
            | "few"
            | "one"
            | "person"
            | "place"
            | "reason"
            | "option"
            | "choice"
            | "problem"
            | "issue"
            | "goal"
            | "part"
            | "sign"
            | "signs"
            | "half"
            | "of"
            | "to"
            | "and"
            | "in"
            | "on"
            | "at"
            | "is"
            | "was"
    ) {
        // "the only one in her year", "the only person in the county who signs"
        // The public word must be a place the person is in ("the only one in the county",
        // "at the school"), not part of what they do ("who does the school run").
        return matches!(first, "one" | "person")
            && ws.windows(2).take(5).any(|p| {
                matches!(
                    p[0].1.as_str(),
                    "in" | "at" | "on" | "across" | "around" | "the" | "this" | "our" | "their"
                ) && !(p[0].1 == "the" && ws.iter().take(5).any(|w| w.1 == "who" || w.1 == "that"))
            })
            && ws.iter().take(5).any(|w| {
                matches!(
                    w.1.as_str(),
                    "town"
                        | "county"
                        | "village"
                        | "school"
                        | "island"
                        | "valley"
                        | "region"
                        | "state"
                        | "district"
                        | "community"
                        | "parish"
                        | "practice"
                        | "area"
                        | "province"
                        | "country"
                        | "team"
                        | "force"
                        | "department"
                        | "hospital"
                )
            });
    }
    // a role or person noun within the next few words
    ws.iter().take(5).any(|w| {
        matches!(
            w.1.as_str(),
            "woman"
                | "man"
                | "girl"
                | "boy"
                | "female"
                | "male"
                | "person"
                | "student"
                | "member"
                | "child"
                | "family"
                | "doctor"
                | "nurse"
                | "teacher"
                | "pharmacist"
                | "firefighter"
                | "officer"
                | "gp"
                | "vet"
                | "pastor"
                | "priest"
                | "imam"
                | "rabbi"
                | "minister"
                | "mayor"
                | "principal"
                | "headteacher"
                | "dentist"
                | "lawyer"
                | "solicitor"
                | "judge"
                | "surgeon"
                | "pilot"
                | "black"
                | "deaf"
                | "blind"
                | "openly"
                | "transgender"
                | "trans"
                | "muslim"
                | "jewish"
                | "sikh"
                | "hindu"
                | "asian"
                | "graduate"
                | "employee"
                | "worker"
                | "farmer"
                | "player"
                | "athlete"
                | "champion"
                | "winner"
                | "survivor"
                | "resident"
                | "patient"
                | "owner"
                | "baker"
                | "butcher"
                | "mechanic"
                | "plumber"
                | "electrician"
                | "chef"
                | "councillor"
                | "councilor"
                | "sheriff"
                | "constable"
                | "postmaster"
                | "postmistress"
                | "librarian"
                | "coach"
                | "captain"
                | "kid"
                | "one"
                | "ever"
        ) || w.1.ends_with("ist")
            || w.1.ends_with("er")
                && w.1.len() > 4
                && !matches!(
                    w.1.as_str(),
                    "her"
                        | "other"
                        | "after"
                        | "never"
                        | "ever"
                        | "over"
                        | "under"
                        | "either"
                        | "rather"
                        | "whether"
                )
            || w.1.ends_with("or") && w.1.len() > 5
    })
}

/// Is the word before `start` (past a "the") one that makes what follows a place someone
/// belongs to ("at", "for", "with", "of", "attends"), not a street it stands on ("the shelter
/// on Fourth Street")?
fn belongs_to_word_before(text: &str, start: usize) -> bool {
    let before = lead_in(text, start);
    let word = before.rsplit(' ').next().unwrap_or("");
    matches!(
        word,
        "at" | "for" | "with" | "of" | "attends" | "attended" | "attending" | "joined"
    )
}

/// Does a phrase that only an organisation follows ("works at", "employed by", "plays netball
/// for", "a student at", "member of") end right before `start`, at most "the" between? Not
/// "works with" or "goes to", which a person follows as often.
fn employer_before(text: &str, start: usize) -> bool {
    let before = lead_in(text, start);
    let before = before.as_str();
    const CUES: &[&str] = &[
        " works at",
        " worked at",
        " working at",
        " works for",
        " worked for",
        " working for",
        " employed at",
        " employed by",
        " job at",
        " shifts at",
        " shifts for",
        " volunteers at",
        " volunteered at",
        " student at",
        " pupil at",
        " studies at",
        " studying at",
        " studied at",
        " enrolled at",
        " graduated from",
        " member of",
        " captain of",
        " plays for",
        " played for",
        " playing for",
        " teaches at",
        " taught at",
        " apprenticed at",
        " apprenticeship with",
    ];
    // "plays netball for", "played rugby for": a sport between the verb and "for".
    let sport_for = before
        .strip_suffix(" for")
        .and_then(|b| b.rsplit_once(' '))
        .is_some_and(|(head, sport)| {
            sport.chars().all(char::is_alphabetic)
                && matches!(
                    head.rsplit(' ').next(),
                    Some("plays" | "played" | "playing")
                )
        });
    sport_for || CUES.iter().any(|c| before.ends_with(c))
}

/// The lower-cased words just before `start` (up to 40 bytes), without trailing blanks or a
/// last "the".
fn lead_in(text: &str, start: usize) -> String {
    let mut before = tail(&text[..start], 40).to_lowercase();
    before.truncate(before.trim_end().len());
    if before.ends_with(" the") {
        before.truncate(before.len() - 4);
    }
    before
}

/// An organisation is the client's only when the sentence ties it to them ("works at",
/// "attends", "a pupil at", "plays for"); the treating service, a referrer or a court is not.
fn org_holder(text: &str, start: usize) -> Holder {
    let (ss, _) = sentence(text, start);
    let before = text[ss..start].to_lowercase();
    let tail = tail(&before, 48);
    const CUES: &[&str] = &[
        "works at",
        "worked at",
        "works for",
        "worked for",
        "working at",
        "working for",
        "employed at",
        "employed by",
        "job at",
        "attends",
        "attended",
        "attending",
        "pupil at",
        "student at",
        "studies at",
        "studying at",
        "enrolled at",
        "goes to",
        "went to",
        "graduated from",
        "member of",
        "plays for",
        "played for",
        "volunteers at",
        "teaches at",
        "taught at",
        "school is",
        "her school",
        "his school",
        "their school",
        "her work",
        "his work",
        "owns",
        "runs",
        "manages",
        "congregation",
        "parishioner",
        "year at",
        "grade at",
        "class at",
    ];
    static CUE_SET: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(CUES).expect("organisation cues"));
    if CUE_SET.is_match(tail) {
        Holder::Client
    } else {
        Holder::Other
    }
}

impl Mention {
    pub(crate) fn base(slot: Slot, s: usize, e: usize, holder: Holder, value: Arc<str>) -> Mention {
        Mention {
            slot,
            value,
            start: s,
            end: e,
            holder,
            member: None,
            share: 1.0,
            sigma: super::data::sigma_of("default"),
            basis: "".into(),
            visible: false,
            known: true,
            anchor: false,
            sensitive: false,
            joint_hearing: false,
            joint_vision: false,
            by_country: Arc::from(Vec::new()),
            female: None,
            country: None,
            ladder: Vec::new(),
            age: None,
            population: None,
            named: false,
            place_kind: None,
            restricted_zip: false,
            dated: false,
            origin: false,
            from_direct: false,
            tied: false,
            past: false,
            service: false,
        }
    }

    fn from_concept(c: &Concept, s: usize, e: usize, holder: Holder) -> Mention {
        let mut m = Mention::base(c.slot, s, e, holder, c.value.clone());
        m.share = c.share;
        m.sigma = c.sigma;
        m.basis = c.basis.clone();
        m.visible = c.visible;
        m.known = c.known;
        m.anchor = c.anchor;
        m.sensitive = c.sensitive;
        m.joint_hearing = c.joint_hearing;
        m.joint_vision = c.joint_vision;
        m.by_country = c.by_country.clone();
        m.female = c.female;
        m.ladder = c.ladder.clone();
        m
    }

    fn age(s: usize, e: usize, lo: u32, hi: u32, label: String, holder: Holder) -> Mention {
        let mut m = Mention::base(Slot::Age, s, e, holder, label.into());
        m.age = Some((lo, hi));
        m.sigma = super::data::sigma_of("table");
        m.basis = "table: Census Vintage 2024 single years of age (rules/risk/ages.tsv)".into();
        m
    }

    fn community(s: usize, e: usize, pop: u64, label: &str, holder: Holder) -> Mention {
        let value = match label {
            "stated" => format!("a community of {pop}"),
            "small" => "a small community".to_string(),
            "big" => "a large city".to_string(),
            other => other.to_string(),
        };
        let mut m = Mention::base(Slot::Place, s, e, holder, value.into());
        m.population = Some(pop);
        m.sigma = if label == "small" {
            super::data::sigma_of("proxy")
        } else {
            super::data::sigma_of("table")
        };
        m.basis = match label {
            "stated" => "the text states the community's size".into(),
            "small" => "the text says a small community (taken as 2,500 people)".into(),
            "big" => "the text says a large city (taken as 1,000,000 people)".into(),
            "restricted ZIP3" => "HIPAA-restricted ZIP3 area (20,000 people or fewer)".into(),
            _ => "GeoNames (CC BY 4.0) / Census 2019 population".into(),
        };
        m
    }

    fn organisation(s: usize, e: usize, surface: &str, holder: Holder) -> Mention {
        let (kind, size) = org_kind(surface);
        let mut m = Mention::base(Slot::Organisation, s, e, holder, kind.into());
        m.population = Some(size);
        m.anchor = true;
        m.sigma = super::data::sigma_of("default");
        m.basis =
            format!("a named organisation; size unknown, taken as {size} people ({kind})").into();
        m.ladder = vec![(kind.into(), 1.0)];
        m
    }
}

#[cfg(test)]
mod word_boundary_tests {
    use crate::risk::{mentions, Slot};

    /// The phrase regexes are compiled when a note first needs them, and `LazyRegex::regex`
    /// expects them to compile: every one of them does.
    #[test]
    fn every_phrase_regex_compiles() {
        let all = super::AGE_RES
            .iter()
            .map(|(re, _)| re)
            .chain(super::JOB_VERB_RES.iter().map(|(re, _, _)| re))
            .chain(super::NOTE_GATE.regexes().iter().copied())
            .chain([&super::YEAR_RE]);
        let mut n = 0;
        for re in all {
            assert!(!re.regex().as_str().is_empty());
            n += 1;
        }
        assert!(n > 50, "{n}");
    }

    /// The phrase patterns use ASCII word boundaries for speed; next to non-ASCII letters they
    /// still find what Unicode boundaries found, and a curly apostrophe elsewhere in the note
    /// changes nothing.
    #[test]
    fn phrases_next_to_non_ascii_letters_are_still_found() {
        for (text, slot, surface) in [
            (
                "She works at a café in town.",
                Slot::Occupation,
                "works at a café",
            ),
            (
                "She works at a cafe in town.",
                Slot::Occupation,
                "works at a cafe",
            ),
            ("Members: Minh (28) and Đặng (59).", Slot::Age, "59"),
            ("He is a kaumātua of 80 in the valley.", Slot::Age, "80"),
            ("Tiene 45 años.", Slot::Age, "45 años"),
            (
                "She’s 34 years old and works at a café.",
                Slot::Age,
                "34 years old",
            ),
        ] {
            let ms = mentions(text, &[], None).unwrap();
            assert!(
                ms.iter()
                    .any(|m| m.slot == slot && text[m.start..m.end].contains(surface)),
                "{text:?}: no {slot:?} on {surface:?} in {:?}",
                ms.iter()
                    .map(|m| (m.slot, &text[m.start..m.end]))
                    .collect::<Vec<_>>()
            );
        }
        // "cafés" is no café: the boundary after the é holds only before a non-word byte (an
        // ASCII `\b` there would hold before the "s" and find "works at a café").
        for text in ["He works at a cafés.", "She runs the cafés in town."] {
            let ms = mentions(text, &[], None).unwrap();
            assert!(
                !ms.iter()
                    .any(|m| m.slot == Slot::Occupation && text[m.start..m.end].contains("caf")),
                "{text:?}: {:?}",
                ms.iter()
                    .map(|m| (m.slot, &text[m.start..m.end]))
                    .collect::<Vec<_>>()
            );
        }
    }
}

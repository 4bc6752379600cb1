//! Evidence features of a word token, computed once per token and hashed into a fixed table.
//!
//! A token's features describe its evidence, never a particular name: its letter shape and the
//! case of its line; the dictionary flags and frequency buckets of the word (given name,
//! surname, place, English word, clinical safe list, cue lists); clinical word shapes; letter
//! affixes; the words, flags and shapes of two neighbours on each side; the punctuation in the
//! gaps between them; and the decisions already taken for the two tokens before it. The word
//! itself is a feature only when it is an ordinary English or clinical word (`will`, `per`,
//! `brother`), so a model learns contexts, not the names of its training notes.

use crate::detect::dictionary::{flag, Dictionaries, Entry};
use crate::detect::Candidate;
use crate::text::{LineCase, Shape, Token};

/// Hash table size of the weights: `1 << DIM_BITS` feature buckets.
pub(crate) const DIM_BITS: u32 = 17;
/// Output classes: outside, name, place, organisation.
pub(crate) const NCLASS: usize = 4;
/// Version of the feature set; a model file records it and is refused by another version.
pub(crate) const FEATURE_VERSION: u32 = 5;

/// A token's class.
pub(crate) const O: u8 = 0;

/// The flags that are evidence (every dictionary and cue list the rules define).
const FLAG_BITS: u32 = 21;

/// Everything the features need about one word token.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TokInfo {
    pub start: usize,
    pub end: usize,
    word: u64,
    pub flags: u32,
    /// Flags of a several-word dictionary or cue term covering the token.
    phrase_flags: u32,
    first_b: u8,
    last_b: u8,
    other_b: u8,
    tier: u8,
    pop_b: u8,
    shape: u8,
    case: u8,
    sentence_start: bool,
    len_b: u8,
    suffix: u64,
    prefix: u64,
    clinical: bool,
    digit: bool,
    /// The word is a feature of its own (an ordinary English or clinical word).
    ident: bool,
    known: bool,
    /// Punctuation class of the gap before the token (since the previous token).
    gap_before: u64,
    /// The first token of its line.
    pub line_start: bool,
    /// The strongest rule candidate covering the token: hash of its rule id (0 = none),
    /// its category, its confidence bucket, and whether the token starts it.
    rule: u64,
    rule_cat: u8,
    rule_conf: u8,
    rule_starts: bool,
    /// The same word is inside a rule's name span elsewhere in the document.
    pub name_elsewhere: bool,
    /// Two or three capitals that are the initials of a full name written in the document
    /// ("Charlotte Ceron (CC)").
    pub initials_of_name: bool,
    /// A common English word (tier 1 or 2) with no rule firing on it: never a span of the
    /// model's alone.
    pub plain_word: bool,
    /// An ordinary English word that no list calls a name or place, with no rule firing on it:
    /// never a one-word span of the model's alone ("pastoral").
    pub english_only: bool,
    /// Worth scoring: a lower-case word on a mixed-case line that no dictionary calls a name
    /// or place is never the start or part of a name, place or organisation here.
    pub candidate: bool,
}

impl TokInfo {
    /// A cue word (title, role, relation, credential, header or place cue): evidence about
    /// the words next to it, not part of them.
    pub(crate) fn is_cue(&self) -> bool {
        self.flags
            & (flag::TITLE
                | flag::ROLE
                | flag::CREDENTIAL
                | flag::HEADER
                | flag::RELATION
                | flag::POST_CUE
                | flag::PLACE_CUE
                | flag::FACILITY_CUE)
            != 0
    }
}

/// The evidence flags set in `flags`, lowest first.
fn set_bits(flags: u32) -> impl Iterator<Item = u32> {
    let mut rest = flags & ((1 << FLAG_BITS) - 1);
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let b = rest.trailing_zeros();
            rest &= rest - 1;
            b
        })
    })
}

#[inline]
fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(26) ^ b)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(31)
        .wrapping_mul(0xBF58_476D_1CE4_E5B9)
}

/// FNV-1a of the lower-cased word (no allocation).
fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    if word.is_ascii() {
        for b in word.bytes() {
            eat(b.to_ascii_lowercase());
        }
    } else {
        let mut buf = [0u8; 4];
        for c in word.chars().flat_map(char::to_lowercase) {
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                eat(b);
            }
        }
    }
    h
}

/// Hash of the first or last `n` characters, lower case.
fn affix_hash(word: &str, n: usize, suffix: bool) -> u64 {
    let count = word.chars().count();
    if count <= n {
        return word_hash(word) ^ 0x5555;
    }
    let cut = if suffix {
        word.char_indices().nth(count - n).map_or(0, |(i, _)| i)
    } else {
        word.char_indices().nth(n).map_or(word.len(), |(i, _)| i)
    };
    let part = if suffix { &word[cut..] } else { &word[..cut] };
    word_hash(part) ^ if suffix { 0x1234 } else { 0x4321 }
}

/// A small class string of the text between two tokens: digits as `0`, blanks as ` `, line
/// breaks as `n`, other characters as themselves (non-ASCII as `u`); repeats collapsed, at most
/// six classes.
pub(crate) fn gap_hash(gap: &str) -> u64 {
    let mut h: u64 = 0x8422_2325;
    let mut last = 0u8;
    let mut n = 0;
    for c in gap.chars() {
        let k = match c {
            '0'..='9' => b'0',
            ' ' | '\t' => b' ',
            '\n' | '\r' => b'n',
            c if c.is_ascii() => c as u8,
            _ => b'u',
        };
        if k == last {
            continue;
        }
        last = k;
        h = mix(h, u64::from(k));
        n += 1;
        if n == 6 {
            break;
        }
    }
    h
}

/// Frequency per million as a bucket 0..=7 (0 = not in the list).
fn pm_bucket(pm: f32) -> u8 {
    match pm {
        x if x <= 0.0 => 0,
        x if x < 0.5 => 1,
        x if x < 2.0 => 2,
        x if x < 10.0 => 3,
        x if x < 50.0 => 4,
        x if x < 200.0 => 5,
        x if x < 1000.0 => 6,
        _ => 7,
    }
}

fn pop_bucket(p: u32) -> u8 {
    match p {
        0 => 0,
        1..=999 => 1,
        1000..=9_999 => 2,
        10_000..=99_999 => 3,
        100_000..=999_999 => 4,
        _ => 5,
    }
}

fn shape_code(s: Shape) -> u8 {
    match s {
        Shape::Lower => 0,
        Shape::Upper => 1,
        Shape::Title => 2,
        Shape::Mixed => 3,
    }
}

fn case_code(c: LineCase) -> u8 {
    match c {
        LineCase::Mixed => 0,
        LineCase::Upper => 1,
        LineCase::Lower => 2,
    }
}

/// Each token's evidence (`toks` are `text`'s tokens); `rules` are the rule detectors'
/// candidates for the same text (any order), whose firings are features.
pub(crate) fn token_infos(
    dict: &Dictionaries,
    text: &str,
    toks: &[Token],
    rules: &[Candidate],
) -> Vec<TokInfo> {
    let mut out: Vec<TokInfo> = Vec::with_capacity(toks.len());
    let mut lower = String::new();
    let mut phrase_until = 0usize;
    let mut phrase_flags = 0u32;
    let mut prev_end = 0usize;
    let empty = Entry::default();
    for t in toks {
        let word = &text[t.start..t.end];
        let (mut idx, starts_phrase) = dict.lookup_token(text, t, &mut lower);
        if idx.is_none() && !word.is_ascii() {
            idx = dict.lookup_folded(word);
        }
        if t.start >= phrase_until {
            phrase_flags = 0;
        }
        if starts_phrase {
            if let Some((end, pi)) = dict.lookup_phrase(text, t.start) {
                if end > t.end && end > phrase_until {
                    phrase_until = end;
                    phrase_flags = dict.entry(pi).flags;
                }
            }
        }
        let e = idx.map_or(&empty, |i| dict.entry(i));
        let known = idx.is_some() && e.has(flag::KNOWN);
        let digit = word.bytes().any(|b| b.is_ascii_digit());
        let shape = shape_code(t.shape);
        let case = case_code(t.case);
        let gap = &text[prev_end..t.start];
        let line_start = prev_end == 0 || gap.contains('\n');
        let clinical = !known && shape != 0 && !digit && dict.clinical_shape(word);
        let namelike = e.has(flag::NAME | flag::PLACE) || e.has(flag::ORG);
        // A word or phrase of the clinical safe list is positive evidence of something else.
        let safe = e.has(flag::SAFE) || (t.start < phrase_until && phrase_flags & flag::SAFE != 0);
        let candidate =
            !(safe || t.case == LineCase::Mixed && t.shape == Shape::Lower && !namelike);
        out.push(TokInfo {
            start: t.start,
            end: t.end,
            word: word_hash(word),
            flags: e.flags,
            phrase_flags: if t.start < phrase_until {
                phrase_flags
            } else {
                0
            },
            first_b: pm_bucket(e.first_pm),
            other_b: pm_bucket(e.other_first_pm),
            last_b: pm_bucket(e.last_pm),
            tier: e.tier.min(3),
            pop_b: pop_bucket(e.population),
            shape,
            case,
            sentence_start: t.sentence_start,
            len_b: word.chars().count().min(12) as u8,
            // Affixes are features of unknown words only.
            suffix: if known { 0 } else { affix_hash(word, 3, true) },
            prefix: if known { 0 } else { affix_hash(word, 3, false) },
            clinical,
            digit,
            ident: e.has(flag::ENGLISH | flag::SAFE) || e.flags & !(flag::KNOWN) != 0,
            known,
            gap_before: gap_hash(gap),
            line_start,
            rule: 0,
            rule_cat: 0,
            rule_conf: 0,
            rule_starts: false,
            plain_word: e.tier > 0,
            english_only: e.has(flag::ENGLISH) && !namelike && !e.has(flag::GIVEN_OTHER),
            name_elsewhere: false,
            initials_of_name: false,
            candidate,
        });
        prev_end = t.end;
    }
    // A short lower-case word between two capitalised words on a mixed-case line can join
    // them ("Court of Common Pleas", "Anneke van der Berg", "Sisters of Mercy"): score it.
    for i in 1..out.len().saturating_sub(1) {
        let (p, t, n) = (&out[i - 1], &out[i], &out[i + 1]);
        if !t.candidate
            && t.flags & flag::SAFE == 0
            && t.len_b <= 4
            && p.shape != 0
            && n.shape != 0
            && text[p.end..t.start].bytes().all(|b| b == b' ')
            && text[t.end..n.start].bytes().all(|b| b == b' ')
        {
            out[i].candidate = true;
        }
    }
    mark_rules(&mut out, rules);
    mark_document(text, &mut out);
    out
}

/// Document-level evidence: a word found as a name by a rule elsewhere in the note, and
/// capitals that are the initials of a full name in the note.
fn mark_document(text: &str, toks: &mut [TokInfo]) {
    let name_cat = crate::category::Category::Name as u8;
    let mut names: Vec<(u64, usize)> = toks
        .iter()
        .filter(|t| t.rule != 0 && t.rule_cat == name_cat && t.len_b >= 2)
        .map(|t| (t.word, t.start))
        .collect();
    names.sort_unstable();
    let mut initials: Vec<u64> = Vec::new();
    for i in 0..toks.len() {
        // Two or three capitalised words of two letters or more, one space or hyphen apart.
        let mut key = 0xcbf2_9ce4_8422_2325u64;
        let mut n = 0;
        for j in i..(i + 3).min(toks.len()) {
            let t = &toks[j];
            let cap = t.shape == 2 || (t.shape == 1 && t.case == 1 && t.len_b >= 3);
            let joined = j == i || {
                let g = &text[toks[j - 1].end..t.start];
                g == " " || g == "-"
            };
            if !cap || t.len_b < 2 || !joined {
                break;
            }
            let c = text[t.start..].chars().next().unwrap_or(' ');
            key = mix(key, u64::from(c.to_ascii_uppercase()));
            n += 1;
            if n >= 2 {
                initials.push(key);
            }
        }
    }
    initials.sort_unstable();
    for t in toks.iter_mut() {
        let from = names.partition_point(|&(h, _)| h < t.word);
        t.name_elsewhere = names[from..]
            .iter()
            .take_while(|&&(h, _)| h == t.word)
            .any(|&(_, s)| s != t.start);
        if t.name_elsewhere {
            t.plain_word = false;
            t.english_only = false;
        }
        let w = &text[t.start..t.end];
        if (2..=3).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_uppercase()) {
            let key = w
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325u64, |k, b| mix(k, u64::from(b)));
            t.initials_of_name = initials.binary_search(&key).is_ok();
        }
    }
}

/// Records on each token the strongest rule candidate covering it (priority, then length).
fn mark_rules(toks: &mut [TokInfo], rules: &[Candidate]) {
    if rules.is_empty() || toks.is_empty() {
        return;
    }
    let mut order: Vec<&Candidate> = rules.iter().collect();
    order.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut best: Vec<Option<(i32, usize, usize)>> = vec![None; toks.len()];
    let mut k = 0usize;
    for (ci, c) in order.iter().enumerate() {
        // First token ending after the candidate starts.
        while k < toks.len() && toks[k].end <= c.start {
            k += 1;
        }
        let mut j = k;
        while j < toks.len() && toks[j].start < c.end {
            let score = (c.priority, c.end - c.start, ci);
            if best[j].is_none_or(|b| (b.0, b.1) < (score.0, score.1)) {
                best[j] = Some(score);
            }
            j += 1;
        }
    }
    for (t, b) in toks.iter_mut().zip(best) {
        if let Some((_, _, ci)) = b {
            let c = order[ci];
            t.rule = word_hash(&c.rule) | 1;
            t.rule_cat = c.category as u8;
            t.rule_conf = (c.confidence.clamp(0.0, 1.0) * 10.0) as u8;
            t.rule_starts = c.start >= t.start;
            t.plain_word = false;
        }
    }
}

/// Appends the hashed feature indices of token `i`, given the classes decided for the two
/// tokens before it.
pub(crate) fn features(
    toks: &[TokInfo],
    gap_after_last: u64,
    i: usize,
    prev: u8,
    prev2: u8,
    out: &mut Vec<u32>,
) {
    let t = &toks[i];
    let mut f = |tpl: u64, v: u64| {
        out.push((mix(tpl, v) >> (64 - DIM_BITS)) as u32);
    };
    let sc = u64::from(t.shape) * 4 + u64::from(t.case);
    f(0, 0);
    f(1, u64::from(t.shape));
    f(2, sc);
    f(3, u64::from(t.len_b) * 16 + sc);
    f(4, u64::from(t.sentence_start) * 16 + sc);
    f(5, u64::from(t.clinical) * 16 + sc);
    f(6, u64::from(t.digit));
    f(7, u64::from(t.line_start) * 16 + sc);
    for b in set_bits(t.flags) {
        f(8, u64::from(b));
        f(9, u64::from(b) * 16 + sc);
    }
    for b in set_bits(t.phrase_flags) {
        f(10, u64::from(b));
    }
    f(11, u64::from(t.first_b) * 16 + u64::from(t.case));
    f(12, u64::from(t.last_b) * 16 + u64::from(t.case));
    f(13, u64::from(t.first_b) * 8 + u64::from(t.last_b));
    f(24, u64::from(t.other_b) * 16 + sc);
    f(14, u64::from(t.tier) * 16 + sc);
    f(15, u64::from(t.pop_b) * 16 + u64::from(t.case));
    f(16, t.word);
    if t.ident {
        f(17, mix(t.word, sc));
    }
    if !t.known {
        f(18, sc);
        f(19, t.suffix);
        f(20, t.prefix);
    }
    f(21, t.gap_before);
    let gap_after = toks.get(i + 1).map_or(gap_after_last, |n| n.gap_before);
    f(22, gap_after);
    f(23, mix(t.gap_before, gap_after));
    // Context stops at a line break: the words of the line before or after say little about
    // this one ("Present: client and mother." over "Mood low.").
    let same_line = |j: usize| {
        let (a, b) = if j < i { (j, i) } else { (i, j) };
        toks[a + 1..=b].iter().all(|u| !u.line_start)
    };
    for d in [-2i64, -1, 1, 2] {
        let j = i as i64 + d;
        let tpl = (d + 2) as u64;
        if j < 0 || j >= toks.len() as i64 {
            f(30 + tpl, 0);
            continue;
        }
        if !same_line(j as usize) {
            f(30 + tpl, 1);
            continue;
        }
        let u = &toks[j as usize];
        if u.ident {
            f(40 + tpl, u.word);
        } else {
            f(45 + tpl, u64::from(u.known));
        }
        f(50 + tpl, u64::from(u.shape) * 4 + u64::from(u.case));
        for b in set_bits(u.flags) {
            f(60 + tpl, u64::from(b));
        }
        for b in set_bits(u.phrase_flags) {
            f(70 + tpl, u64::from(b));
        }
        if d.abs() == 1 {
            f(80 + tpl, u64::from(u.first_b) * 8 + u64::from(u.last_b));
            f(90 + tpl, mix(u64::from(u.shape), sc));
        }
    }
    let prev_tok = (i > 0 && same_line(i - 1)).then(|| &toks[i - 1]);
    let next_tok = toks.get(i + 1).filter(|_| same_line(i + 1));
    if let Some(p) = prev_tok {
        if p.ident {
            f(100, mix(p.word, t.gap_before));
        } else {
            f(101, mix(u64::from(p.first_b * 8 + p.last_b), t.gap_before));
        }
    }
    if let Some(n) = next_tok.filter(|n| n.ident) {
        f(102, mix(n.word, gap_after));
    }
    f(140, u64::from(t.name_elsewhere) * 16 + sc);
    f(
        141,
        u64::from(t.initials_of_name) * 2 + u64::from(t.len_b == 2),
    );
    if t.rule != 0 {
        f(130, t.rule);
        f(131, mix(t.rule, sc));
        f(132, u64::from(t.rule_cat) * 2 + u64::from(t.rule_starts));
        f(133, u64::from(t.rule_cat) * 16 + u64::from(t.rule_conf));
        f(134, mix(t.rule, u64::from(prev)));
    } else {
        f(135, sc);
    }
    for (d, tpl) in [(-1i64, 0u64), (1, 1)] {
        let j = i as i64 + d;
        let u = usize::try_from(j)
            .ok()
            .filter(|&j| j < toks.len() && same_line(j));
        if let Some(u) = u.map(|j| &toks[j]) {
            f(
                136 + tpl,
                u64::from(u.rule_cat) * 2 + u64::from(u.rule != 0),
            );
        }
    }
    // Conjunctions a linear model cannot form by itself: name evidence of the token with that
    // of its neighbours, in the case of the line.
    let nb = |u: &TokInfo| u64::from(u.flags & (flag::NAME | flag::PLACE | flag::ENGLISH));
    let name_bits = nb(t);
    if let Some(n) = next_tok {
        f(120, mix(mix(name_bits, nb(n)), u64::from(t.case)));
        f(
            121,
            mix(sc, u64::from(n.shape) * 4 + u64::from(n.case)) ^ mix(t.gap_before, gap_after),
        );
    }
    if let Some(p) = prev_tok {
        f(122, mix(mix(name_bits, nb(p)), u64::from(t.case)));
        if p.ident {
            f(123, mix(p.word, sc));
        }
    }
    let prev = u64::from(prev);
    f(110, prev);
    f(111, prev * 8 + u64::from(prev2));
    f(112, prev * 64 + sc);
    f(113, mix(prev, t.gap_before));
    f(
        114,
        prev * 64 + u64::from(t.flags & flag::NAME != 0) * 8 + u64::from(t.case),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_classify_punctuation_not_digits_values() {
        assert_eq!(gap_hash(" (36) "), gap_hash(" (9) "));
        assert_ne!(gap_hash(", "), gap_hash(" "));
        assert_eq!(gap_hash("   "), gap_hash(" "));
        assert_ne!(gap_hash("\n"), gap_hash(" "));
    }

    #[test]
    fn set_bits_lists_evidence_flags_only() {
        assert_eq!(set_bits(0b1010_0001).collect::<Vec<_>>(), [0, 5, 7]);
        assert_eq!(set_bits(1 << 31).count(), 0);
    }

    #[test]
    fn word_hash_ignores_case() {
        assert_eq!(word_hash("Brother"), word_hash("BROTHER"));
        assert_eq!(word_hash("Zoë"), word_hash("ZOË"));
        assert_ne!(word_hash("brother"), word_hash("brothers"));
    }

    #[test]
    fn affixes_cut_on_char_boundaries() {
        assert_eq!(affix_hash("Ngā", 3, true), affix_hash("ngā", 3, true));
        assert_eq!(affix_hash("Nguyễn", 3, true), affix_hash("HUYỄN", 3, true));
        assert_eq!(affix_hash("ab", 3, false), affix_hash("AB", 3, true));
    }

    #[test]
    fn context_stops_at_a_line_break() {
        // The first word of a line has the same features whatever the line before says.
        let engine = crate::Deidentifier::builder().build().unwrap();
        let dict = engine.dictionaries();
        let feats_of_last_line = |text: &str| {
            let toks = token_infos(dict, text, &crate::text::tokenize(text), &[]);
            let i = toks.len() - 2;
            let mut out = Vec::new();
            features(&toks, 0, i, O, O, &mut out);
            out.sort_unstable();
            out
        };
        assert_eq!(
            feats_of_last_line("Present: Ana, Tom and Bea.\nMood low"),
            feats_of_last_line("Plan: review meds.\nMood low")
        );
        // Within a line the words before do count.
        assert_ne!(
            feats_of_last_line("Present: Ana. Mood low"),
            feats_of_last_line("Plan: review. Mood low")
        );
    }

    #[test]
    fn buckets_are_monotone() {
        let pms = [0.0, 0.1, 1.0, 5.0, 20.0, 100.0, 500.0, 5000.0];
        let b: Vec<u8> = pms.iter().map(|&p| pm_bucket(p)).collect();
        assert!(b.windows(2).all(|w| w[0] < w[1]));
        assert!(pop_bucket(500) < pop_bucket(50_000));
    }
}

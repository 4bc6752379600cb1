//! Surrogates: realistic replacements of the same category and shape, chosen by HMAC-SHA256
//! with the user's secret so that the same input maps to the same output across a corpus, and
//! nobody without the secret can run a dictionary attack on the mapping.
//!
//! A surrogate must not give itself away: a word-like value becomes a real value of its kind
//! (a holiday another holiday, a state code another code of the same country, a given name
//! another given name of the same sex), never keyed random letters; numbers keep their shape
//! and the parts that carry no identity (a phone's country code, the word `Room`).

use super::keyed;
use crate::category::Category;
use crate::span::Span;
use std::collections::{HashMap, HashSet};

/// The sex a given name, a title or a kinship word points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sex {
    Female,
    Male,
}

impl Sex {
    /// The `sex` column of `first_names.tsv`: `F`, `M`, or `U` (given to both).
    pub(crate) fn from_flag(flag: &str) -> Option<Sex> {
        match flag.trim() {
            "F" => Some(Sex::Female),
            "M" => Some(Sex::Male),
            _ => None,
        }
    }
}

/// The states, provinces or regions of one country.
#[derive(Clone, Debug, Default)]
pub(crate) struct Region {
    /// `US`, or the country column of `intl_places.tsv` (`CA`, `UK`).
    pub(crate) country: String,
    /// Postal codes (`TX`, `ON`, `NSW`), upper case.
    pub(crate) codes: Vec<String>,
    /// Names (`Texas`, `Ontario`).
    pub(crate) names: Vec<String>,
    /// The country's largest towns.
    pub(crate) cities: Vec<String>,
}

/// Replacement vocabularies, taken from the most frequent entries of the dictionaries and from
/// `rules/surrogates/pools.toml`.
#[derive(Clone, Debug, Default)]
pub struct SurrogatePools {
    /// Every known first name (lower case) that is more common as a first name than as a
    /// surname: a lone "Marisol" is replaced like the first word of "Marisol Ibarra".
    pub(crate) first_names: HashSet<String>,
    /// The sex of every given name (lower case) borne at least 90 % by one sex.
    pub(crate) name_sex: HashMap<String, Sex>,
    /// Given names of both sexes, then of women only and of men only.
    pub(crate) first: Vec<String>,
    pub(crate) first_female: Vec<String>,
    pub(crate) first_male: Vec<String>,
    pub(crate) last: Vec<String>,
    pub(crate) cities: Vec<String>,
    pub(crate) counties: Vec<String>,
    /// Countries in title case (`New Zealand`).
    pub(crate) countries: Vec<String>,
    /// `countries` in lower case, to recognise one without lower-casing the list per span.
    pub(crate) country_keys: HashSet<String>,
    /// The US first (from the state dictionary), then the other countries' regions.
    pub(crate) regions: Vec<Region>,
    /// The region (index into `regions`) of every known town, lower case.
    pub(crate) city_region: HashMap<String, usize>,
    pub(crate) holidays: Vec<String>,
    /// `holiday_key` of every holiday: one lookup per span instead of a key per holiday.
    pub(crate) holiday_keys: HashSet<String>,
}

/// One span to replace, with what the text around it says.
pub(crate) struct Mention<'a> {
    pub category: Category,
    /// The id of the rule that found it (`location.room`).
    pub rule: &'a str,
    pub original: &'a str,
    /// A few words of text just before the span.
    pub before: &'a str,
    /// A few words of text just after the span.
    pub after: &'a str,
}

/// What a whole record says about its people: the sex of each given name (lower case) that a
/// title, a kinship word or a pronoun shows, so every mention of the name gets the same
/// surrogate.
pub(crate) type RecordCues = HashMap<String, Sex>;

const TITLES: &[&str] = &[
    "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "rev", "fr", "sr", "jr",
];
const STREET_SUFFIXES: &[&str] = &[
    "Street", "Avenue", "Road", "Lane", "Drive", "Court", "Way", "Place",
];
/// Words before a name that give the person's sex ("her son Michael").
const MALE_CUES: &[&str] = &[
    "mr",
    "son",
    "brother",
    "husband",
    "father",
    "dad",
    "daddy",
    "grandson",
    "grandfather",
    "grandpa",
    "nephew",
    "uncle",
    "boyfriend",
    "stepson",
    "stepfather",
    "he",
];
const FEMALE_CUES: &[&str] = &[
    "mrs",
    "ms",
    "miss",
    "daughter",
    "sister",
    "wife",
    "mother",
    "mum",
    "mom",
    "mommy",
    "granddaughter",
    "grandmother",
    "grandma",
    "niece",
    "aunt",
    "girlfriend",
    "stepdaughter",
    "stepmother",
    "she",
];
/// Words of a room, bed or unit designation that say what it is and are kept.
const PLACE_KIND_WORDS: &[&str] = &[
    "room",
    "rm",
    "ward",
    "bed",
    "bay",
    "unit",
    "suite",
    "ste",
    "apt",
    "apartment",
    "flat",
    "floor",
    "level",
    "pod",
    "cottage",
    "wing",
    "bldg",
    "building",
    "conference",
    "group",
    "therapy",
    "meeting",
    "exam",
    "family",
    "county",
    "parish",
    "no",
    "number",
];
/// Calling codes written without a separator after `+` ("+4420..."): one digit for 1 and 7,
/// two digits for these, three for the rest.
const TWO_DIGIT_CALLING_CODES: &[u8] = &[
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// A keyed byte stream for one (category, original) pair: block 0 is the HMAC of the pair,
/// later blocks the HMAC of a round counter under block 0, so long inputs cost linear time.
struct Stream {
    bytes: [u8; 32],
    pos: usize,
    key: [u8; 32],
    round: u32,
}

impl Stream {
    fn new(secret: &[u8], category: Category, original: &str) -> Self {
        let seed = [
            category.label().as_bytes(),
            b":",
            original.to_lowercase().as_bytes(),
        ]
        .concat();
        let key = keyed(secret, &[&seed]);
        Stream {
            bytes: key,
            pos: 0,
            key,
            round: 0,
        }
    }

    fn next_u32(&mut self) -> u32 {
        if self.pos + 4 > 32 {
            self.round += 1;
            self.bytes = keyed(&self.key, &[&self.round.to_le_bytes()]);
            self.pos = 0;
        }
        let v = u32::from_le_bytes(
            self.bytes[self.pos..self.pos + 4]
                .try_into()
                .expect("4 bytes"),
        );
        self.pos += 4;
        v
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.next_u32() as usize % n
        }
    }

    /// A keyed digit; `1..=9` when `nonzero`.
    fn digit(&mut self, nonzero: bool) -> char {
        if nonzero {
            (b'1' + self.below(9) as u8) as char
        } else {
            (b'0' + self.below(10) as u8) as char
        }
    }

    /// A keyed ASCII letter in the case of `like`.
    fn letter(&mut self, like: char) -> char {
        let c = (b'a' + self.below(26) as u8) as char;
        if like.is_uppercase() {
            c.to_ascii_uppercase()
        } else {
            c
        }
    }

    /// An entry of `list` other than `original` (when the list has another), or `None` for an
    /// empty list: a surrogate equal to its original would give the original away.
    fn pick<'a>(&mut self, list: &'a [String], original: &str) -> Option<&'a str> {
        if list.is_empty() {
            return None;
        }
        let same = |i: usize| list[i].trim().eq_ignore_ascii_case(original.trim());
        let mut i = self.below(list.len());
        if same(i) && list.len() > 1 {
            i = (i + 1 + self.below(list.len() - 1)) % list.len();
        }
        Some(&list[i])
    }
}

/// Writes `word` in the letter case of `like` (ALL CAPS, lower, or as is).
fn same_case(word: &str, like: &str) -> String {
    let letters: Vec<char> = like.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        word.to_uppercase()
    } else if !letters.is_empty() && letters.iter().all(|c| c.is_lowercase()) {
        word.to_lowercase()
    } else {
        word.to_string()
    }
}

/// Same shape: digits → keyed digits, letters → keyed letters of the same case, the rest kept.
/// For codes and numbers only: a word-like value gets a real value instead.
fn reshape(secret: &[u8], category: Category, original: &str) -> String {
    let mut s = Stream::new(secret, category, original);
    original
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                s.digit(false)
            } else if c.is_ascii_alphabetic() {
                s.letter(c)
            } else {
                c
            }
        })
        .collect()
}

/// The text splits into runs of ASCII digits, of letters, and of anything else.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    Digits,
    Letters,
    Other,
}

fn runs(text: &str) -> Vec<(Run, &str)> {
    let class = |c: char| {
        if c.is_ascii_digit() {
            Run::Digits
        } else if c.is_alphabetic() {
            Run::Letters
        } else {
            Run::Other
        }
    };
    let mut out: Vec<(Run, &str)> = Vec::new();
    let mut start = 0;
    let mut current: Option<Run> = None;
    for (i, c) in text.char_indices() {
        let k = class(c);
        if current.is_some_and(|cur| cur != k) {
            out.push((current.expect("set"), &text[start..i]));
            start = i;
        }
        current = Some(k);
    }
    if let Some(k) = current {
        out.push((k, &text[start..]));
    }
    out
}

/// Keyed digits of the same count; the first is non-zero when the original's is.
fn keyed_digits(s: &mut Stream, run: &str) -> String {
    run.chars()
        .enumerate()
        .map(|(i, c)| s.digit(i == 0 && c != '0'))
        .collect()
}

/// The alphanumeric core of a word: its byte range without leading and trailing punctuation.
fn core_bounds(w: &str) -> Option<(usize, usize)> {
    let start = w.find(|c: char| c.is_alphanumeric())?;
    let last = w.rfind(|c: char| c.is_alphanumeric())?;
    let end = last + w[last..].chars().next().map_or(1, char::len_utf8);
    Some((start, end))
}

fn core(w: &str) -> &str {
    core_bounds(w).map_or("", |(s, e)| &w[s..e])
}

fn is_title(core: &str) -> bool {
    TITLES.contains(&core.to_lowercase().as_str())
}

/// The sex a title or kinship word before a name gives (`Mrs`, `son`).
fn cue_sex(word: &str) -> Option<Sex> {
    let w = word.to_lowercase();
    if MALE_CUES.contains(&w.as_str()) {
        Some(Sex::Male)
    } else if FEMALE_CUES.contains(&w.as_str()) {
        Some(Sex::Female)
    } else {
        None
    }
}

/// `he` or `she` right after a name ("Emma, she said").
fn pronoun_after(rest: &str) -> Option<Sex> {
    if !rest.starts_with([' ', ',']) {
        return None;
    }
    let t = rest.trim_start_matches([' ', ',']);
    let word: String = t
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    match word.as_str() {
        "he" => Some(Sex::Male),
        "she" => Some(Sex::Female),
        _ => None,
    }
}

/// The last word of `before`, lower case, without punctuation.
fn last_word(before: &str) -> String {
    before
        .split_whitespace()
        .next_back()
        .map(|w| core(w).to_lowercase())
        .unwrap_or_default()
}

/// A few words of `text` before byte `start` (on a char boundary).
pub(crate) fn window_before(text: &str, start: usize) -> &str {
    let mut b = start.saturating_sub(40);
    while !text.is_char_boundary(b) {
        b += 1;
    }
    &text[b..start]
}

/// A few words of `text` after byte `end` (on a char boundary).
pub(crate) fn window_after(text: &str, end: usize) -> &str {
    let mut e = (end + 40).min(text.len());
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    &text[end..e]
}

/// The words of a name, each with its trailing space or comma.
fn name_words(original: &str) -> Vec<&str> {
    original
        .split_inclusive(|c: char| c.is_whitespace() || c == ',')
        .collect()
}

/// What each word of a name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// A title or punctuation: kept.
    Keep,
    Initial,
    Given,
    Surname,
}

/// A holiday's text compared loosely: lower case, straight apostrophes, no dots.
fn holiday_key(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .replace(['’', '`'], "'")
        .replace('.', "")
}

fn title_case(word: &str) -> String {
    let mut c = word.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect()
    })
}

/// Months and weekdays (full or abbreviated) become another of the same kind and form.
fn calendar_word(s: &mut Stream, word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    for list in [&crate::date::MONTHS[..], &crate::date::WEEKDAYS[..]] {
        let full = list.contains(&lower.as_str());
        let abbr = !full
            && lower.len() >= 3
            && list
                .iter()
                .any(|m| m.starts_with(&lower) && m.len() > lower.len());
        if full || abbr {
            let pick = list[s.below(list.len())];
            let pick = if abbr { &pick[..3] } else { pick };
            return Some(same_case(&title_case(pick), word));
        }
    }
    None
}

/// Calling-code digits at the start of a phone number written `+CC...` or `00CC...`.
fn calling_code_len(after_plus: &str) -> usize {
    let group: String = after_plus
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let separated = after_plus[group.len()..].starts_with([' ', '-', '.', '(', ')', '/']);
    if separated && (1..=3).contains(&group.len()) {
        return group.len();
    }
    match group.as_bytes() {
        [b'1' | b'7', ..] => 1,
        [a, b, ..] if TWO_DIGIT_CALLING_CODES.contains(&((a - b'0') * 10 + (b - b'0'))) => 2,
        _ => 3.min(group.len()),
    }
}

/// The rows of `rules/surrogates/pools.toml`.
#[derive(serde::Deserialize)]
struct SurrogateData {
    holidays: Vec<String>,
    us_territories: Vec<String>,
    regions: Vec<RegionData>,
}

#[derive(serde::Deserialize)]
struct RegionData {
    country: String,
    codes: Vec<String>,
    names: Vec<String>,
}

impl SurrogatePools {
    /// Sets the regions, US states first, from `us_states` (name, USPS code) and the built-in
    /// `rules/surrogates/pools.toml`, and the holidays of that file.
    pub(crate) fn add_builtin_data(&mut self, us_states: &[(String, String)]) {
        let (name, src) = crate::rules::builtin::SURROGATES_TOML;
        let data: SurrogateData =
            toml::from_str(src).unwrap_or_else(|e| panic!("built-in {name} is broken: {e}"));
        self.holidays = data.holidays;
        self.holiday_keys = self.holidays.iter().map(|h| holiday_key(h)).collect();
        // A territory becomes another territory, a state a state.
        let mut states = Region {
            country: "US".to_string(),
            ..Region::default()
        };
        let mut territories = states.clone();
        for (name, code) in us_states {
            let r = if data.us_territories.contains(code) {
                &mut territories
            } else {
                &mut states
            };
            r.names.push(name.clone());
            r.codes.push(code.clone());
        }
        self.regions = vec![states];
        self.regions
            .extend(data.regions.into_iter().map(|r| Region {
                country: r.country,
                codes: r.codes,
                names: r.names,
                cities: Vec::new(),
            }));
        self.regions.push(territories);
    }

    /// One keyed entry of `list` for `key` (never `key` itself when the list has another).
    fn pick(&self, list: &[String], secret: &[u8], category: Category, key: &str) -> String {
        let mut s = Stream::new(secret, category, key);
        s.pick(list, key).unwrap_or("Alex").to_string()
    }

    /// The sex of each given name of the record that a cue shows: a title in the name
    /// (`Mrs. Katherine Doyle`), a title or kinship word just before it (`her son Michael`), or
    /// `he`/`she` right after it. The first cue of a name wins.
    pub(crate) fn record_cues(&self, text: &str, spans: &[Span]) -> RecordCues {
        let mut cues = RecordCues::new();
        for sp in spans.iter().filter(|s| s.category == Category::Name) {
            let words = name_words(&text[sp.start..sp.end]);
            let before = window_before(text, sp.start);
            let roles = self.name_roles(&words, before, None);
            let Some(g) = roles.iter().position(|r| *r == Role::Given) else {
                continue;
            };
            let sex = words[..g]
                .iter()
                .rev()
                .find_map(|w| cue_sex(core(w)))
                .or_else(|| cue_sex(&last_word(before)))
                .or_else(|| pronoun_after(&text[sp.end..]));
            if let Some(sex) = sex {
                cues.entry(core(words[g]).to_lowercase()).or_insert(sex);
            }
        }
        cues
    }

    /// The role of each word of a name: the first of several is the given name (the second
    /// in `Doyle, Katherine`), the others surnames; a lone word is a surname after a title
    /// (`Mr. Smith-Jones`) and a given name after a kinship word or when it is a known first
    /// name.
    fn name_roles(&self, words: &[&str], before: &str, cues: Option<&RecordCues>) -> Vec<Role> {
        let prev = last_word(before);
        let titled = is_title(&prev) || words.iter().any(|w| is_title(core(w)));
        let idx: Vec<usize> = (0..words.len())
            .filter(|&i| !core(words[i]).is_empty() && !is_title(core(words[i])))
            .collect();
        let mut roles = vec![Role::Keep; words.len()];
        let inverted = idx.len() == 2 && words[idx[0]].trim_end().ends_with(',');
        for (n, &i) in idx.iter().enumerate() {
            let c = core(words[i]);
            let lower = c.to_lowercase();
            roles[i] = if c.chars().count() == 1 {
                Role::Initial
            } else if idx.len() == 1 {
                let kin = cue_sex(&prev).is_some();
                let known = cues.is_some_and(|m| m.contains_key(&lower));
                if !titled && (kin || known || self.first_names.contains(&lower)) {
                    Role::Given
                } else {
                    Role::Surname
                }
            } else if (n == 0) != inverted {
                Role::Given
            } else {
                Role::Surname
            };
        }
        roles
    }

    fn name(&self, secret: &[u8], original: &str, before: &str, cues: &RecordCues) -> String {
        // Keep titles and punctuation, replace each name word; each word (and each part of a
        // hyphenated word) is keyed alone, so "Mr. Lee" and "Daniel Lee" get the same surname
        // and "Smith-Jones" maps its parts as "Smith" and "Jones" do.
        let words = name_words(original);
        let roles = self.name_roles(&words, before, Some(cues));
        let mut out = String::with_capacity(original.len() + 8);
        for (w, role) in words.iter().zip(roles) {
            let Some((cs, ce)) = core_bounds(w) else {
                out.push_str(w);
                continue;
            };
            let c = &w[cs..ce];
            out.push_str(&w[..cs]);
            match role {
                Role::Keep => out.push_str(c),
                Role::Initial => {
                    out.push_str(&reshape(secret, Category::Name, c).to_uppercase());
                }
                Role::Given | Role::Surname => {
                    let sex = cues.get(&c.to_lowercase()).copied().or_else(|| {
                        let first = c.split('-').next().unwrap_or(c).to_lowercase();
                        self.name_sex.get(&first).copied()
                    });
                    let list = match (role, sex) {
                        (Role::Surname, _) => &self.last,
                        (_, Some(Sex::Female)) if !self.first_female.is_empty() => {
                            &self.first_female
                        }
                        (_, Some(Sex::Male)) if !self.first_male.is_empty() => &self.first_male,
                        _ => &self.first,
                    };
                    let parts: Vec<String> = c
                        .split('-')
                        .map(|part| match part.chars().count() {
                            0 => String::new(),
                            1 => reshape(secret, Category::Name, part).to_uppercase(),
                            _ => same_case(
                                &self.pick(list, secret, Category::Name, &part.to_lowercase()),
                                part,
                            ),
                        })
                        .collect();
                    out.push_str(&parts.join("-"));
                }
            }
            out.push_str(&w[ce..]);
        }
        out
    }

    /// A holiday (found by the holiday rule, or any span that names one: `Anzac Day`).
    fn is_holiday(&self, m: &Mention) -> bool {
        !self.holidays.is_empty()
            && ((m.category == Category::Date && m.rule == "date.holiday")
                || self.holiday_keys.contains(&holiday_key(m.original)))
    }

    /// A holiday becomes another holiday; any other date that could not be shifted keeps its
    /// words, with months and weekdays replaced by others and the numbers by keyed numbers.
    fn date(&self, secret: &[u8], m: &Mention) -> String {
        let original = m.original;
        if self.is_holiday(m) {
            let mut s = Stream::new(secret, Category::Date, &holiday_key(original));
            let pick = s.pick(&self.holidays, original).unwrap_or("Easter Monday");
            return same_case(pick, original);
        }
        let mut s = Stream::new(secret, Category::Date, original);
        let mut out = String::with_capacity(original.len() + 4);
        let mut prev_number: Option<String> = None;
        for (kind, run) in runs(original) {
            match kind {
                Run::Digits => {
                    let n = if run.len() == 4 && (run.starts_with("19") || run.starts_with("20")) {
                        // A year stays a plausible year.
                        format!("{}{}", &run[..2], keyed_digits(&mut s, &run[2..]))
                    } else if run.len() <= 2 {
                        let v = 1 + s.below(if run.len() == 1 { 9 } else { 28 });
                        if run.len() == 2 {
                            format!("{v:02}")
                        } else {
                            v.to_string()
                        }
                    } else {
                        keyed_digits(&mut s, run)
                    };
                    out.push_str(&n);
                    prev_number = Some(n);
                    continue;
                }
                Run::Letters => {
                    let lower = run.to_lowercase();
                    match &prev_number {
                        Some(n) if ["st", "nd", "rd", "th"].contains(&lower.as_str()) => {
                            let suffix = crate::date::ordinal_suffix(n.parse().unwrap_or(0));
                            out.push_str(&same_case(suffix, run));
                        }
                        _ => out.push_str(&calendar_word(&mut s, run).unwrap_or(run.to_string())),
                    }
                }
                Run::Other => out.push_str(run),
            }
            prev_number = None;
        }
        out
    }

    /// Rooms, beds and units (`Room 214`, `Ward 7B`): the words that say what it is stay, the
    /// numbers and designator letters change, any other word becomes a surname.
    fn place_number(&self, secret: &[u8], category: Category, original: &str) -> String {
        let mut s = Stream::new(secret, category, original);
        let mut out = String::with_capacity(original.len() + 8);
        for (kind, run) in runs(original) {
            match kind {
                Run::Digits => out.push_str(&keyed_digits(&mut s, run)),
                Run::Letters if run.chars().count() <= 2 => {
                    if PLACE_KIND_WORDS.contains(&run.to_lowercase().as_str()) {
                        out.push_str(run);
                    } else {
                        out.extend(run.chars().map(|c| s.letter(c)));
                    }
                }
                Run::Letters if PLACE_KIND_WORDS.contains(&run.to_lowercase().as_str()) => {
                    out.push_str(run);
                }
                Run::Letters => out.push_str(&same_case(
                    &self.pick(&self.last, secret, category, run),
                    run,
                )),
                Run::Other => out.push_str(run),
            }
        }
        out
    }

    /// A phone or fax number keeps its country code (`+44`, `001`), a trunk `0`, its
    /// punctuation and its length; the other digits change (a North American area code and
    /// exchange stay in 2-9).
    fn phone(&self, secret: &[u8], category: Category, original: &str) -> String {
        let mut s = Stream::new(secret, category, original);
        let digits: String = original.chars().filter(char::is_ascii_digit).collect();
        let t = original.trim_start();
        let code = if let Some(rest) = t.strip_prefix('+') {
            calling_code_len(rest)
        } else if let Some(rest) = t.strip_prefix("00") {
            2 + calling_code_len(rest)
        } else if digits.len() == 11 && digits.starts_with('1') {
            1
        } else {
            0
        };
        let calling = &digits[..code.min(digits.len())];
        let national = &digits[code.min(digits.len())..];
        let nanp = calling.trim_start_matches('0') == "1"
            || (code == 0 && national.len() == 10 && !national.starts_with(['0', '1']));
        let trunk = usize::from(!nanp && national.starts_with('0'));
        let mut i = 0; // index among all digits
        original
            .chars()
            .map(|c| {
                if !c.is_ascii_digit() {
                    return c;
                }
                let at = i;
                i += 1;
                if at < code + trunk {
                    return c;
                }
                let n = at - code; // position in the national number
                if nanp && (n == 0 || n == 3) {
                    (b'2' + s.below(8) as u8) as char
                } else {
                    s.digit(n == trunk && c != '0')
                }
            })
            .collect()
    }

    /// The region a state code or name belongs to; of several (`WA`, `NT`), the region of
    /// the town `near` it when that is known (`Perth WA`).
    fn region_of(&self, original: &str, code: bool, near: &str) -> Option<&Region> {
        let t = original.trim();
        let has = |r: &&Region| {
            let list = if code { &r.codes } else { &r.names };
            list.iter().any(|x| x.eq_ignore_ascii_case(t))
        };
        self.town_region(near)
            .filter(has)
            .or_else(|| self.regions.iter().find(has))
    }

    /// The region of a known town.
    fn town_region(&self, town: &str) -> Option<&Region> {
        let key = town.trim().trim_end_matches(',').to_lowercase();
        self.city_region
            .get(&key)
            .and_then(|&i| self.regions.get(i))
    }

    /// The region named by a code or name right after a town (`Springfield, IL`).
    fn region_after(&self, after: &str) -> Option<&Region> {
        let t = after.trim_start_matches([',', ' ']);
        let word: String = t.chars().take_while(|c| c.is_alphabetic()).collect();
        if word.is_empty() {
            return None;
        }
        let code = word.len() <= 3 && word.chars().all(|c| c.is_ascii_uppercase());
        self.region_of(&word, code, "")
    }

    /// A state code becomes a code of the same country (US first), a state, province or
    /// region name a name of the same country, keeping `Co.`/`County` before an Irish county.
    fn state(&self, secret: &[u8], original: &str, before: &str) -> String {
        let near = before
            .trim_end()
            .trim_end_matches(',')
            .split_whitespace()
            .next_back()
            .unwrap_or("");
        let t = original.trim();
        let mut s = Stream::new(secret, Category::State, original);
        let letters = t.chars().all(|c| c.is_ascii_alphabetic());
        let one_case =
            t.chars().all(|c| c.is_ascii_uppercase()) || t.chars().all(|c| c.is_ascii_lowercase());
        if letters && one_case && (2..=3).contains(&t.len()) {
            let region = self.region_of(t, true, near).or(self.regions.first());
            if let Some(pick) = region.and_then(|r| s.pick(&r.codes, t)) {
                return same_case(pick, t);
            }
        }
        if let Some(pick) = self
            .region_of(t, false, near)
            .and_then(|r| s.pick(&r.names, t))
        {
            return same_case(pick, original);
        }
        // `Co. Cork`, `County Galway`: keep the prefix, replace the county.
        if let Some((prefix, county)) = t.rsplit_once(' ') {
            if let Some(pick) = self
                .region_of(county, false, "")
                .and_then(|r| s.pick(&r.names, county))
            {
                return format!("{prefix} {}", same_case(pick, county));
            }
        }
        let us = self.regions.first().map_or(&[][..], |r| &r.names[..]);
        same_case(s.pick(us, t).unwrap_or("Ohio"), original)
    }

    /// A town (of the same country when the text or the town shows it; with a trailing state
    /// code, `Sydney NSW`, replaced as a state), a country, a county, or a named facility
    /// (`Eastgate Shelter`: the kind word stays).
    fn place(&self, secret: &[u8], m: &Mention) -> String {
        let original = m.original;
        let lower = original.trim().to_lowercase();
        if let Some((head, tail)) = original.rsplit_once(' ') {
            let head = head.trim_end_matches(',');
            if tail.len() >= 2 && tail.chars().all(|c| c.is_ascii_uppercase()) {
                if let Some(region) = self.region_of(tail, true, head) {
                    let sep = &original[head.len()..original.len() - tail.len()];
                    let town = self.town(secret, m.category, head, Some(region));
                    return format!("{town}{sep}{}", self.state(secret, tail, head));
                }
            }
        }
        if self.country_keys.contains(lower.as_str()) {
            let pick = self.pick(&self.countries, secret, m.category, original);
            return same_case(&pick, original);
        }
        if (m.rule == "location.county"
            || [" county", " parish", " borough"]
                .iter()
                .any(|s| lower.ends_with(s)))
            && !self.counties.is_empty()
        {
            let pick = self.pick(&self.counties, secret, m.category, original);
            return same_case(&pick, original);
        }
        if m.rule == "location.facility" {
            return self.keep_last_word(secret, m.category, original);
        }
        self.town(secret, m.category, original, self.region_after(m.after))
    }

    /// A town of `region`, else of the original town's country, else of any.
    fn town(
        &self,
        secret: &[u8],
        category: Category,
        original: &str,
        region: Option<&Region>,
    ) -> String {
        let list = region
            .or_else(|| self.town_region(original))
            .map(|r| &r.cities)
            .filter(|c| !c.is_empty())
            .unwrap_or(&self.cities);
        same_case(&self.pick(list, secret, category, original), original)
    }

    /// `Eastgate Shelter` → `<surname> Shelter`: the last word (Hospital, Park) stays.
    fn keep_last_word(&self, secret: &[u8], category: Category, original: &str) -> String {
        let last_word = original.rsplit(' ').next().unwrap_or(original);
        let name = self.pick(&self.last, secret, category, original);
        if last_word.len() < original.len() {
            same_case(&format!("{name} {last_word}"), original)
        } else {
            same_case(&name, original)
        }
    }

    /// The surrogate for one mention; `cues` are the record's [`SurrogatePools::record_cues`].
    pub(crate) fn surrogate(&self, secret: &[u8], m: &Mention, cues: &RecordCues) -> String {
        let category = m.category;
        let original = m.original;
        let digits = original.chars().filter(char::is_ascii_digit).count();
        let letters = original.chars().filter(|c| c.is_alphabetic()).count();
        let word_like = matches!(
            category,
            Category::Name
                | Category::City
                | Category::State
                | Category::Location
                | Category::Organization
        );
        if (word_like && digits > letters)
            || (matches!(category, Category::City | Category::Location)
                && (digits > 0 || m.rule == "location.room"))
        {
            return self.place_number(secret, category, original);
        }
        if self.is_holiday(m) {
            return self.date(secret, m);
        }
        match category {
            Category::Name => self.name(secret, original, m.before, cues),
            Category::City | Category::Location => self.place(secret, m),
            Category::State => self.state(secret, original, m.before),
            Category::Date => self.date(secret, m),
            Category::Phone | Category::Fax => self.phone(secret, category, original),
            Category::Email => {
                let mut s = Stream::new(secret, category, original);
                let f = &self
                    .first
                    .get(s.below(self.first.len().max(1)))
                    .map_or("user", |s| s.as_str())
                    .to_lowercase();
                let l = &self
                    .last
                    .get(s.below(self.last.len().max(1)))
                    .map_or("name", |s| s.as_str())
                    .to_lowercase();
                format!("{f}.{l}@example.org")
            }
            Category::Url => {
                let mut s = Stream::new(secret, category, original);
                format!("https://example.org/{:08x}", s.next_u32())
            }
            Category::IpAddress => {
                let mut s = Stream::new(secret, category, original);
                if original.contains(':') {
                    format!("2001:db8::{:x}", s.next_u32() & 0xffff)
                } else {
                    // TEST-NET-3, reserved for documentation.
                    format!("203.0.113.{}", 1 + s.below(254))
                }
            }
            Category::Age => "90+".to_string(),
            Category::SocialHandle => {
                let mut s = Stream::new(secret, category, original);
                format!("@user{:06}", s.next_u32() % 1_000_000)
            }
            Category::StreetAddress => {
                let mut s = Stream::new(secret, category, original);
                let number = 100 + s.below(9800);
                let street = self.pick(&self.last, secret, category, original);
                let suffix = STREET_SUFFIXES[s.below(STREET_SUFFIXES.len())];
                same_case(&format!("{number} {street} {suffix}"), original)
            }
            // Keep the last word (Hospital, School, Logistics) and replace the rest.
            Category::Organization => self.keep_last_word(secret, category, original),
            // Codes and numbers: same shape, keyed characters.
            Category::Id | Category::Zip => reshape(secret, category, original),
            // Quasi-identifiers have no pool of real values: a word-like one becomes its
            // label rather than keyed letters; numbers keep their shape.
            _ if letters > 0 => format!("[{}]", category.label()),
            _ => reshape(secret, category, original),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pools() -> SurrogatePools {
        let mut p = SurrogatePools {
            first_names: ["marisol", "michael", "jordan", "emma"]
                .map(String::from)
                .into_iter()
                .collect(),
            name_sex: [("michael", Sex::Male), ("marisol", Sex::Female)]
                .map(|(n, s)| (n.to_string(), s))
                .into_iter()
                .collect(),
            first: vec!["Ann".into(), "Bo".into(), "Cy".into()],
            first_female: vec!["Ann".into(), "Eve".into()],
            first_male: vec!["Bo".into(), "Hal".into()],
            last: vec!["Dunn".into(), "Eck".into(), "Fox".into(), "Gray".into()],
            cities: vec!["Hilo".into()],
            ..SurrogatePools::default()
        };
        p.add_builtin_data(&[
            ("Iowa".into(), "IA".into()),
            ("Ohio".into(), "OH".into()),
            ("Guam".into(), "GU".into()),
            ("Puerto Rico".into(), "PR".into()),
        ]);
        p
    }

    fn sur(p: &SurrogatePools, secret: &[u8], category: Category, original: &str) -> String {
        let m = Mention {
            category,
            rule: "",
            original,
            before: "",
            after: "",
        };
        p.surrogate(secret, &m, &RecordCues::new())
    }

    #[test]
    fn names_keep_shape_and_consistency() {
        let p = pools();
        let a = sur(&p, b"s", Category::Name, "Mr. Lee");
        let b = sur(&p, b"s", Category::Name, "Daniel Lee");
        assert!(a.starts_with("Mr. "));
        assert_eq!(a.rsplit(' ').next(), b.rsplit(' ').next());
        assert_eq!(
            sur(&p, b"s", Category::Name, "DANIEL LEE"),
            b.to_uppercase()
        );
        assert_ne!(a, "Mr. Lee");
    }

    #[test]
    fn lone_first_names_match_full_names() {
        let p = pools();
        let full = sur(&p, b"s", Category::Name, "Marisol Ibarra");
        let lone = sur(&p, b"s", Category::Name, "Marisol");
        assert_eq!(full.split(' ').next(), Some(lone.as_str()));
        assert!(p.first_female.contains(&lone), "{lone}");
    }

    #[test]
    fn inverted_names_put_the_given_name_second() {
        let p = pools();
        let inv = sur(&p, b"s", Category::Name, "Lee, Michael");
        let (last, given) = inv.split_once(", ").expect("comma kept");
        assert!(p.last.iter().any(|l| l == last), "{inv}");
        assert!(p.first_male.iter().any(|f| f == given), "{inv}");
    }

    #[test]
    fn kinship_and_pronoun_cues_give_the_sex() {
        let p = pools();
        let text = "her son Jordan came; Jordan said. Emma, she said.";
        let spans: Vec<Span> = ["Jordan", "Emma"]
            .iter()
            .map(|w| {
                let start = text.find(w).expect("in text");
                Span {
                    start,
                    end: start + w.len(),
                    category: Category::Name,
                    kind: crate::category::Kind::Direct,
                    rule: "t".into(),
                    confidence: 1.0,
                }
            })
            .collect();
        let cues = p.record_cues(text, &spans);
        assert_eq!(cues.get("jordan"), Some(&Sex::Male));
        assert_eq!(cues.get("emma"), Some(&Sex::Female));
    }

    #[test]
    fn long_inputs_take_linear_time() {
        let p = pools();
        let long = "7".repeat(200_000);
        let t = std::time::Instant::now();
        let s = sur(&p, b"s", Category::Id, &long);
        assert_eq!(s.len(), long.len());
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn codes_keep_format() {
        let p = pools();
        let s = sur(&p, b"s", Category::Phone, "(617) 555-0134");
        assert_eq!(s.len(), 14);
        assert_eq!(&s[0..1], "(");
        assert_eq!(&s[9..10], "-");
        assert!(!s[1..2].starts_with(['0', '1']) && !s[6..7].starts_with(['0', '1']));
        assert_eq!(s, sur(&p, b"s", Category::Phone, "(617) 555-0134"));
        assert_ne!(s, sur(&p, b"t", Category::Phone, "(617) 555-0134"));
    }

    #[test]
    fn calling_codes_are_found_with_or_without_a_separator() {
        for (after_plus, len) in [
            ("1 617", 1),
            ("44 20", 2),
            ("353 1", 3),
            ("16175550134", 1),
            ("442079460958", 2),
            ("35312345678", 3),
        ] {
            assert_eq!(calling_code_len(after_plus), len, "{after_plus}");
        }
        let p = pools();
        let s = sur(&p, b"s", Category::Phone, "0044 20 7946 0958");
        assert!(s.starts_with("0044 "), "{s}");
        let s = sur(&p, b"s", Category::Phone, "07700 900123");
        assert!(s.starts_with('0') && !s.starts_with("00"), "{s}");
    }

    #[test]
    fn unshifted_dates_keep_real_words() {
        let p = pools();
        let s = sur(&p, b"s", Category::Date, "the 3rd week of March");
        assert!(s.starts_with("the ") && s.contains(" week of "), "{s}");
        let n: String = s.chars().filter(char::is_ascii_digit).collect();
        let suffix = crate::date::ordinal_suffix(n.parse().expect("a number"));
        assert!(s.contains(&format!("{n}{suffix} ")), "{s}");
        let month = s.rsplit(' ').next().expect("a month").to_lowercase();
        assert!(crate::date::MONTHS.contains(&month.as_str()), "{s}");
    }

    #[test]
    fn regions_keep_their_country_and_case() {
        let p = pools();
        for (code, country) in [("ON", "CA"), ("NSW", "AU"), ("qc", "CA"), ("IA", "US")] {
            let s = sur(&p, b"s", Category::State, code);
            let r = p
                .regions
                .iter()
                .find(|r| r.country == country)
                .expect("region");
            assert!(
                r.codes.iter().any(|c| c.eq_ignore_ascii_case(&s)),
                "{code} -> {s}"
            );
            assert_eq!(
                s.chars().all(|c| c.is_lowercase()),
                code.chars().all(|c| c.is_lowercase())
            );
            assert_ne!(s, code);
        }
        for secret in [&b"a"[..], b"b", b"c", b"d"] {
            assert_eq!(sur(&p, secret, Category::State, "IA"), "OH");
            assert_eq!(sur(&p, secret, Category::State, "GU"), "PR");
        }
        let s = sur(&p, b"s", Category::State, "Co. Cork");
        assert!(s.starts_with("Co. ") && s != "Co. Cork", "{s}");
    }
}

//! Name completion: once a name is found, by any rule or by the learned scorer, cover it to
//! its ends, and find the short forms the note uses for the same people.
//!
//! Detectors decide word by word, so a name is often found only in part: `Sung` of `Sung-min`,
//! `Amaya G` without the dot of its initial, `Macy van` and `Heuvel` as two spans, `Bailey` of
//! `Brady Bailey`, `Geralyn` of `Root, Geralyn`. Each step below is one shape, applied to the
//! resolved spans of a document:
//!
//! - [`hyphen_ends`]: a hyphenated word is covered whole (`Sung-min`, `Okafor-Reyes`);
//! - [`particle_ends`]: name particles (`van der`, `ter`, `de la`, from `rules/names.toml`)
//!   join the words on either side;
//! - [`adjacent_names`]: on a mixed-case line, a capitalised surname-list word right after a
//!   given name, or a capitalised given-name-list word right before a surname, is the rest of
//!   the name;
//! - [`initial_dot`]: the dot of a final initial belongs to the name (`Joseph F.`);
//! - [`inverted`]: `Surname, Given` standing as a field (at a line start, after `|`, `:` or a
//!   title such as `PT`);
//! - [`initials`]: the initials of a full name found in the note (`Lauren Black ... LB`), and
//!   two- or three-letter items of a list of names (`Present: Darcy, HB, Amaya G. and Enes`),
//!   with their other occurrences in the note.
//!
//! An extension never reaches into a span of another category; NAME spans that meet are merged.

use super::dictionary::{flag, Dictionaries};
use super::names::Ids;
use crate::category::{Category, Kind};
use crate::date;
use crate::span::Span;
use crate::text::{is_finite_verb, past_tense, LineCase, Shape, Token};
use regex::Regex;
use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

/// Dictionary flags of words that are cues or clinical vocabulary, never part of a name here.
const NOT_NAME: u32 = flag::TITLE
    | flag::CREDENTIAL
    | flag::HEADER
    | flag::SAFE
    | flag::ROLE
    | flag::POST_CUE
    | flag::PLACE_CUE
    | flag::FACILITY_CUE
    | flag::EPONYM_NOUN
    | flag::PLACE_NOUN
    | flag::STATE_ABBR;

/// Cue words: never part of a name in the completion steps.
const CUES: u32 = flag::TITLE
    | flag::CREDENTIAL
    | flag::HEADER
    | flag::ROLE
    | flag::POST_CUE
    | flag::PLACE_CUE
    | flag::FACILITY_CUE
    | flag::EPONYM_NOUN
    | flag::PLACE_NOUN;

/// Cue words that end the words naming a service before its organisation noun.
const DESCRIPTOR_STOPS: u32 = flag::TITLE
    | flag::CREDENTIAL
    | flag::HEADER
    | flag::ROLE
    | flag::POST_CUE
    | flag::PLACE_CUE
    | flag::FACILITY_CUE;

/// A name of at least this frequency per million people counts as a name next to another
/// even when it is also an ordinary or clinical word.
const COMMON_PM: f32 = 1.0;

/// The longest initials string matched (three letters: `JMR`).
const MAX_INITIALS: usize = 3;

/// A document's tokens with the dictionary facts the steps ask about.
struct Doc<'t> {
    text: &'t str,
    tokens: &'t [Token],
    /// Per token: its dictionary flags (0 when unknown) and given-name frequency per million.
    flags: Vec<u32>,
    first_pm: Vec<f32>,
    last_pm: Vec<f32>,
    particle: Vec<bool>,
    /// Per token: 1 = very common English word, 2 = common English word, 0 = neither.
    tier: Vec<u8>,
    /// No dictionary knows the word and it is not shaped like clinical vocabulary.
    unknown: Vec<bool>,
    /// The token lies inside a NAME span as the detectors left them.
    named: Vec<bool>,
    /// The dictionaries, and the word lists of `rules/names.toml` (`dicts.names`).
    dicts: &'t Dictionaries,
}

impl<'t> Doc<'t> {
    fn new(text: &'t str, tokens: &'t [Token], dicts: &'t Dictionaries, spans: &[Span]) -> Doc<'t> {
        let mut flags = Vec::with_capacity(tokens.len());
        let mut first_pm = Vec::with_capacity(tokens.len());
        let mut last_pm = Vec::with_capacity(tokens.len());
        let mut particle = Vec::with_capacity(tokens.len());
        let mut tier = Vec::with_capacity(tokens.len());
        let mut unknown = Vec::with_capacity(tokens.len());
        let mut buf = String::new();
        for t in tokens {
            let e = dicts
                .lookup_token(text, t, &mut buf)
                .0
                .or_else(|| dicts.lookup_folded(&text[t.start..t.end]))
                .map(|i| dicts.entry(i));
            flags.push(e.map_or(0, |e| e.flags));
            first_pm.push(e.map_or(0.0, |e| e.first_pm.max(e.other_first_pm)));
            last_pm.push(e.map_or(0.0, |e| e.last_pm));
            particle.push(e.is_some_and(|e| e.has(flag::PARTICLE)));
            tier.push(e.map_or(0, |e| e.tier));
            let w = &text[t.start..t.end];
            unknown.push(
                e.is_none_or(|e| e.flags & flag::KNOWN == 0)
                    && w.chars().all(char::is_alphabetic)
                    && !dicts.clinical_shape(w),
            );
        }
        let named = tokens
            .iter()
            .map(|t| {
                let i = spans.partition_point(|s| s.end <= t.start);
                i < spans.len() && spans[i].start <= t.start && spans[i].category == Category::Name
            })
            .collect();
        Doc {
            text,
            tokens,
            flags,
            first_pm,
            last_pm,
            particle,
            tier,
            named,
            unknown,
            dicts,
        }
    }

    fn word(&self, k: usize) -> &'t str {
        &self.text[self.tokens[k].start..self.tokens[k].end]
    }

    /// A function word or pronoun (`rules/names.toml`). Asked only near organisation nouns, so
    /// not computed for every token.
    fn function(&self, k: usize) -> bool {
        let w = self.word(k);
        let names = &self.dicts.names;
        names.function_words.contains(w) || names.pronouns.contains(w)
    }

    /// Shaped like a finite verb ("started", "lions"); not a word with an apostrophe.
    fn verb(&self, k: usize) -> bool {
        let w = self.word(k);
        !w.contains(['\'', '’']) && is_finite_verb(w)
    }

    /// A place, a listed organisation, or a name that is neither a safe word nor a very common
    /// one, by the dictionaries ("cork", "limerick", "loblaws"; not "walker", not "prbc"): a
    /// surname that is also a common word is no evidence in clinical shorthand.
    fn listed_proper(&self, k: usize) -> bool {
        let f = self.flags[k];
        f & (flag::PLACE | flag::ORG) != 0
            || f & flag::NAME != 0 && f & flag::SAFE == 0 && self.tier[k] != 1
    }

    /// What makes words before an organisation noun a name of one: a [`Doc::listed_proper`]
    /// word or a word no dictionary knows. (A possessive's "'s" is not part of its token.)
    fn proper_evidence(&self, k: usize) -> bool {
        self.listed_proper(k) || self.unknown[k]
    }

    /// Could token `k`, at or after byte `floor`, be a word of a capitalised name before a
    /// place or an organisation: letters only, two or more, no cue, relation or organisation
    /// joiner, not a function word, month or weekday.
    fn name_word_from(&self, k: usize, floor: usize) -> bool {
        let w = self.word(k);
        self.tokens[k].start >= floor
            && self.has_letters_only(k)
            && w.len() >= 2
            && self.flags[k] & (CUES | flag::RELATION | flag::ORG_JOINER) == 0
            && !self.function(k)
            && !date::is_english_month_word(w)
            && !date::is_weekday(w)
    }

    /// A safe-list word, or a word no dictionary knows shaped like a clinical term: part of a
    /// name at most ("stone chapel"), never the evidence for one.
    fn clinical_word(&self, k: usize) -> bool {
        self.flags[k] & flag::SAFE != 0
            || self.flags[k] & flag::KNOWN == 0 && self.dicts.clinical_shape(self.word(k))
    }

    /// The first token starting at or after byte `b`.
    fn token_at_or_after(&self, b: usize) -> usize {
        self.tokens.partition_point(|t| t.start < b)
    }

    /// The token ending exactly at byte `b`, if any.
    fn token_ending_at(&self, b: usize) -> Option<usize> {
        let k = self.tokens.partition_point(|t| t.end < b);
        (k < self.tokens.len() && self.tokens[k].end == b).then_some(k)
    }

    /// The token starting exactly at byte `b`, if any.
    fn token_starting_at(&self, b: usize) -> Option<usize> {
        let k = self.token_at_or_after(b);
        (k < self.tokens.len() && self.tokens[k].start == b).then_some(k)
    }

    /// The tokens inside `[start, end)`.
    fn tokens_in(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let a = self.token_at_or_after(start);
        let b = self.tokens.partition_point(|t| t.end <= end);
        a..b.max(a)
    }

    fn has_letters_only(&self, k: usize) -> bool {
        self.word(k)
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
    }

    /// Could token `k` be a word of a name at all: letters only, not a cue or clinical word,
    /// not a pronoun-sized function word.
    fn nameable(&self, k: usize) -> bool {
        self.has_letters_only(k) && self.flags[k] & NOT_NAME == 0 && self.word(k).len() >= 2
    }

    /// The gap between two tokens is a space, or a possessive and a space ("mark's parish").
    fn spaced_or_possessive(&self, a: usize, b: usize) -> bool {
        space_or_possessive(&self.text[self.tokens[a].end..self.tokens[b].start])
    }

    /// The gap between two tokens is one or two spaces.
    fn spaced(&self, a: usize, b: usize) -> bool {
        let g = &self.text[self.tokens[a].end..self.tokens[b].start];
        !g.is_empty() && g.len() <= 2 && g.bytes().all(|c| c == b' ')
    }
}

/// Walking back from token `last`: the first of up to `most` tokens that `ok` accepts, each
/// joined to the one after it as `joined` says; `None` when `last` itself is not accepted.
fn words_back(
    last: usize,
    most: usize,
    ok: impl Fn(usize) -> bool,
    joined: impl Fn(usize, usize) -> bool,
) -> Option<usize> {
    let mut first = None;
    let mut m = last;
    while ok(m) {
        first = Some(m);
        if last - m + 1 == most || m == 0 || !joined(m - 1, m) {
            break;
        }
        m -= 1;
    }
    first
}

/// A gap of one space, or a singular possessive and a space (`'s `).
fn space_or_possessive(g: &str) -> bool {
    matches!(g, " " | "'s " | "’s " | "'S " | "’S ")
}

/// Completes the name, organisation and address spans of `spans` (sorted, disjoint) in place;
/// adds initials and address towns. Keeps `spans` sorted and disjoint.
pub(crate) fn complete(
    text: &str,
    tokens: &[Token],
    dicts: &Dictionaries,
    rules: &Ids,
    spans: &mut Vec<Span>,
) {
    let doc = Doc::new(text, tokens, dicts, spans);
    type Step = fn(&Doc, usize, usize) -> (usize, usize);
    let name_steps: [Step; 8] = [
        hyphen_ends,
        particle_ends,
        adjacent_names,
        inverted,
        inverted_forward,
        initial_dot,
        saints_place,
        initial_title_before,
    ];
    let org_steps: [Step; 6] = [
        saints_place,
        hyphen_ends,
        org_ends,
        dash_part,
        place_prefix_before,
        conjoined_before,
    ];
    let place_steps: [Step; 2] = [place_prefix_before, place_noun_after];
    let address_steps: [Step; 2] = [address_unit_before, address_unit_after];
    let mut ordinals: Vec<(usize, usize)> = Vec::new();
    for k in 0..spans.len() {
        // A place or name after "<organisation noun> of" names the organisation ("Rotary Club
        // of Timaru", "UNIVERSITY OF OTAGO").
        if absorbable_by_org(spans[k].category) {
            if let Some(s) = org_of_before(&doc, spans[k].start) {
                if fits(spans, k, s, spans[k].end, Category::Organization) {
                    spans[k].start = s;
                    spans[k].category = Category::Organization;
                }
            }
        }
        // A place of two or more words whose last word is an organisation noun names an
        // organisation ("Wattle Grove Aged Care Facility" found whole as a place). Not a name:
        // "Amy Church" is a person.
        if absorbable_by_org(spans[k].category)
            && spans[k].category != Category::Name
            && (ends_in_org_noun(&doc, spans[k].start, spans[k].end)
                || names_service_and_place(&doc, spans[k].start, spans[k].end))
        {
            spans[k].category = Category::Organization;
        }
        // A name or place ending in a word that organisations number, and its number, is
        // that organisation ("VFW Post" + " 1289", "Elks Lodge" + " 1031").
        if absorbable_by_org(spans[k].category) && spans[k].kind == Kind::Direct {
            if let Some(n) = numbered_branch(&doc, spans[k].end) {
                let e = spans[k].end + n;
                if fits(spans, k, spans[k].start, e, Category::Organization) {
                    spans[k].end = e;
                    spans[k].category = Category::Organization;
                }
            }
        }
        // A place, name or organisation followed by a team's age group is the team.
        if absorbable_by_org(spans[k].category) || spans[k].category == Category::Organization {
            if let Some(e) = age_group_after(&doc, spans[k].start, spans[k].end) {
                if fits(spans, k, spans[k].start, e, Category::Organization) {
                    spans[k].end = e;
                    spans[k].category = Category::Organization;
                }
            }
        }
        // A place or name right after an organisation noun, and an organisation opening with
        // one, take the words naming the service ("HOME TREATMENT TEAM" + "BESCAR").
        if absorbable_by_org(spans[k].category) || spans[k].category == Category::Organization {
            if let Some(s) = org_descriptor_before(&doc, spans[k].start) {
                if fits(spans, k, s, spans[k].end, Category::Organization) {
                    spans[k].start = s;
                    spans[k].category = Category::Organization;
                }
            }
        }
        // A place or name followed by words ending in an organisation noun is an organisation;
        // an organisation found short takes them too ("KESTRELBROOK MEN" + "'S SHED").
        if absorbable_by_org(spans[k].category) || spans[k].category == Category::Organization {
            if let Some(e) = org_noun_after(&doc, spans[k].end) {
                if fits(spans, k, spans[k].start, e, Category::Organization) {
                    spans[k].end = e;
                    spans[k].category = Category::Organization;
                }
            }
        }
        // Capitalised words before a place, mid-sentence, name an organisation there
        // ("referred to Jigsaw Limerick", "called the Samaritans of Tasmania").
        if is_place_span(&doc, &spans[k]) {
            let floor = k.checked_sub(1).map_or(0, |p| spans[p].end);
            if let Some(s) = brand_before_place(&doc, spans[k].start, floor) {
                if fits(spans, k, s, spans[k].end, Category::Organization) {
                    spans[k].start = s;
                    spans[k].category = Category::Organization;
                }
            }
        }
        // Capitalised words or an acronym before "of [the]" and an organisation name the
        // body it belongs to ("YMCA of" + "Middle Tennessee", "Catholic Charities of the" +
        // "Archdiocese of Denver").
        if spans[k].category == Category::Organization {
            // Quasi spans and places before it may be absorbed ("Catholic"); a person's name
            // may not ("John Smith of Harwick Hospital").
            let floor = spans[..k]
                .iter()
                .rev()
                .find(|o| {
                    !(o.kind == Kind::Quasi
                        || o.category != Category::Name && absorbable_by_org(o.category))
                })
                .map_or(0, |o| o.end);
            if let Some(s) = body_of_org_before(&doc, spans[k].start, floor) {
                if fits(spans, k, s, spans[k].end, Category::Organization) {
                    spans[k].start = s;
                }
            }
        }
        let steps: &[Step] = match spans[k].category {
            Category::Name => &name_steps,
            Category::Organization => &org_steps,
            Category::StreetAddress => &address_steps,
            Category::City | Category::Location => &place_steps,
            _ => continue,
        };
        let (mut s, mut e) = (spans[k].start, spans[k].end);
        for step in steps {
            let (ns, ne) = step(&doc, s, e);
            if fits(spans, k, ns, ne, spans[k].category) {
                (s, e) = (ns, ne);
            }
        }
        spans[k].start = s;
        spans[k].end = e;
        if spans[k].category == Category::Organization {
            if let Some(o) = ordinal_before(&doc, s) {
                spans[k].start = o;
                ordinals.push((o, s));
            }
        }
    }
    // An ordinal taken into an organisation is no date of its own.
    if !ordinals.is_empty() {
        spans.retain(|x| {
            x.category != Category::Date
                || !ordinals.iter().any(|&(a, b)| a <= x.start && x.end <= b)
        });
    }
    let mut phrases = org_phrases(&doc, spans);
    phrases.extend(employers_after_cues(&doc, spans));
    phrases.extend(orgs_after_contact_cues(&doc, spans));
    // The organisation's number: "ambulance corps no. 3", "LIONS CLUB BRANCH 27".
    for (s, e) in phrases.iter_mut() {
        *e += number_after_org(&doc, *s, *e).unwrap_or(0);
    }
    phrases.sort_unstable();
    phrases.dedup_by(|b, a| {
        // Touching or overlapping ranges become one.
        let joined = b.0 <= a.1;
        if joined {
            a.1 = a.1.max(b.1);
        }
        joined
    });
    if !phrases.is_empty() {
        let rule: Arc<str> = Arc::from(ORG_PHRASE_RULE);
        spans.extend(phrases.into_iter().map(|(start, end)| Span {
            start,
            end,
            category: Category::Organization,
            kind: Kind::Direct,
            rule: rule.clone(),
            confidence: 0.55,
        }));
    }
    merge_names(&doc, spans);
    town_slot_names(&doc, spans);
    let (towns, regions) = region_tails(&doc, spans);
    add(spans, towns, Category::City, &rules.town);
    add(spans, regions, Category::State, &rules.region);
    let towns = address_towns(&doc, spans);
    add(spans, towns, Category::City, &rules.town);
    let (zips, regions) = postcodes_after_towns(&doc, spans);
    add(spans, zips, Category::Zip, &rules.zip);
    add(spans, regions, Category::State, &rules.region);
    let found = initials(&doc, spans);
    add(spans, found, Category::Name, &rules.initials);
    let attending = attendance_lists(&doc, spans);
    add(spans, attending, Category::Name, &rules.initials);
    // Whatever was added, the result is sorted and disjoint.
    merge_names(&doc, spans);
    bridge_capitalised_word(&doc, spans);
    grow_over_capitalised_words(&doc, spans);
    labels_before_identifiers(text, spans);
    hash_before_identifiers(text, spans);
    whole_dates(text, spans);
    phone_extensions(text, spans);
    header_segments(&doc, spans);
    org_acronyms(text, spans);
    trim_name_fronts(&doc, spans);
}

/// A word at the front of a name that is no part of it: a relation word in lower case
/// ("sister kayla", "mate dylan" on a line without case; "Sister Mary" in capitals may be a
/// title and stays) or an interjection set off by a comma ("Yeah, Bronwyn"). Titles stay
/// inside a name, as the span conventions say.
fn trim_name_fronts(doc: &Doc, spans: &mut [Span]) {
    for s in spans.iter_mut().filter(|s| s.category == Category::Name) {
        let r = doc.tokens_in(s.start, s.end);
        let mut k = r.start;
        while k + 1 < r.end && doc.tokens[k].start >= s.start {
            let w = doc.word(k);
            let gap = &doc.text[doc.tokens[k].end..doc.tokens[k + 1].start];
            let relation = doc.flags[k] & flag::RELATION != 0
                && w.chars().all(|c| c.is_lowercase())
                && gap.bytes().all(|b| b == b' ');
            let interjection = doc.dicts.names.interjection(w) && gap.contains(',');
            if !relation && !interjection {
                break;
            }
            k += 1;
        }
        if k > r.start && k < r.end {
            s.start = doc.tokens[k].start;
        }
    }
}

/// A phone or fax number takes its extension ("555-0143 ext 22", "(02) 9555 1234 x 104",
/// "extension 3310"): up to six digits after `ext`, `ext.`, `extn`, `extension` or `x`, with
/// nothing but spaces or a comma between, where no other span starts.
fn phone_extensions(text: &str, spans: &mut [Span]) {
    for k in 0..spans.len() {
        if !matches!(spans[k].category, Category::Phone | Category::Fax) {
            continue;
        }
        let e = spans[k].end;
        let limit = spans.get(k + 1).map_or(text.len(), |n| n.start);
        let rest = &text[e..limit];
        let r = rest.trim_start_matches([' ', ',']);
        let lower = r.get(..r.len().min(12)).unwrap_or("").to_ascii_lowercase();
        let Some(label) = ["extension", "extn", "ext.", "ext", "x"]
            .into_iter()
            .find(|l| lower.starts_with(l))
        else {
            continue;
        };
        let after = &r[label.len()..];
        let digits_at = after.len() - after.trim_start_matches([' ', ':', '.']).len();
        let digits = after[digits_at..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let next = after[digits_at + digits..].chars().next();
        if (1..=6).contains(&digits)
            && (label != "x" || digits_at == 0)
            && !next.is_some_and(char::is_alphanumeric)
        {
            spans[k].end = e + (rest.len() - r.len()) + label.len() + digits_at + digits;
        }
    }
}

/// Words that may stand lower-case inside a capitalised header segment.
const SEGMENT_JOINERS: &[&str] = &["of", "for", "and", "the", "&", "de", "du", "la"];

/// A header line cut into segments by dashes or bars ("CONFIDENTIAL – TUSLA DUBLIN SOUTH
/// CENTRAL – CHILD IN CARE REVIEW", "HEADSPACE FOOTSCRAY – INITIAL ASSESSMENT"): a segment of
/// up to six capitalised words with no digit, holding exactly one place or organisation span,
/// is that organisation whole (the service and its place). Segments with a name, a date or a
/// number are left as they are, and so are segments with a verb in the past tense beside the
/// span: "REFERRED TO LARCHMONT HOSPICE - ..." is a sentence, not a header field ("REFERRAL
/// FROM CAMHS KILKENNY - ..." is one), whatever the case of its line.
fn header_segments(doc: &Doc, spans: &mut [Span]) {
    let text = doc.text;
    const SEPARATORS: [&str; 4] = [" \u{2013} ", " \u{2014} ", " - ", " | "];
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let base = line_start;
        line_start += line.len();
        if line.len() > 400 {
            continue;
        }
        // Segment boundaries: the line's ends and every separator.
        let mut cuts: Vec<(usize, usize)> = SEPARATORS
            .iter()
            .flat_map(|p| line.match_indices(p).map(|(i, m)| (i, i + m.len())))
            .collect();
        if cuts.is_empty() {
            continue;
        }
        cuts.sort_unstable();
        let body_end = line.trim_end().len();
        let mut from = 0;
        for (a, b) in cuts
            .into_iter()
            .chain(std::iter::once((body_end, body_end)))
        {
            if a < from {
                continue;
            }
            let (ss, se) = (base + from, base + a);
            from = b;
            let seg = text[ss..se].trim();
            if seg.is_empty() {
                continue;
            }
            let ss = ss + text[ss..se].find(seg).unwrap_or(0);
            let se = ss + seg.len();
            let words: Vec<&str> = seg.split_whitespace().collect();
            let capitalised = words.iter().all(|w| {
                w.starts_with(|c: char| c.is_uppercase())
                    || SEGMENT_JOINERS.contains(&w.to_lowercase().as_str())
            });
            if words.len() > 6 || !capitalised || seg.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            // The spans overlapping the segment (sorted and disjoint: a binary search each way,
            // not a walk over every span of the document per segment).
            let lo = spans.partition_point(|x| x.end <= ss);
            let hi = spans.partition_point(|x| x.start < se);
            if hi != lo + 1 {
                continue;
            }
            let k = lo;
            let (a0, a1) = (spans[k].start, spans[k].end);
            let sentence_word = doc.tokens_in(ss, se).any(|t| {
                let tok = &doc.tokens[t];
                (tok.end <= a0 || tok.start >= a1) && past_tense(doc.word(t))
            });
            if sentence_word {
                continue;
            }
            let sp = &mut spans[k];
            if sp.kind != Kind::Direct
                || sp.start < ss
                || sp.end > se
                || !matches!(
                    sp.category,
                    Category::City | Category::Location | Category::State | Category::Organization
                )
            {
                continue;
            }
            if sp.start != ss || sp.end != se {
                sp.start = ss;
                sp.end = se;
                sp.category = Category::Organization;
            }
        }
    }
}

/// A weekday written before a date (full, or abbreviated: "Tues", "Weds", "Thurs"; the
/// three-letter forms only capitalised, so "sat" and "sun" stay words).
fn weekday_word(w: &str) -> bool {
    if crate::date::is_weekday(w) {
        return true;
    }
    let l = w.to_ascii_lowercase();
    // Before a date: "wed 3 april" in a note typed without capitals; "sat" and "sun" are
    // words ("she sat", "the sun") and count only capitalised.
    matches!(
        l.as_str(),
        "tues" | "weds" | "thur" | "thurs" | "mon" | "tue" | "wed" | "thu" | "fri"
    ) || matches!(l.as_str(), "sat" | "sun") && w.starts_with(|c: char| c.is_ascii_uppercase())
}

/// Dates taken whole with what is written around them: the weekday before a date ("Tues
/// 27/08", "Friday, 7 Feb", "Tue Oct 15"), "the" before an ordinal day ("the 23rd", "the 4th
/// of June"), and the two ends of a range joined ("12/20–1/3", "14 March to 18 March").
/// Nothing is taken that another span covers. Spans are sorted and disjoint on entry and
/// stay so.
fn whole_dates(text: &str, spans: &mut Vec<Span>) {
    for k in 0..spans.len() {
        if spans[k].category != Category::Date {
            continue;
        }
        let floor = if k == 0 { 0 } else { spans[k - 1].end };
        let mut s = spans[k].start;
        let body = &text[s..spans[k].end];
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        // "the 27th", and "the eighteenth" (a day in words: no month name ends so).
        let ordinal = digits > 0
            && body.as_bytes()[digits..].get(..2).is_some_and(|o| {
                ["st", "nd", "rd", "th"]
                    .iter()
                    .any(|x| o.eq_ignore_ascii_case(x.as_bytes()))
            })
            || body
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b' ')
                && ["th", "first", "second", "third"].iter().any(|x| {
                    body.len() >= x.len()
                        && body.as_bytes()[body.len() - x.len()..]
                            .eq_ignore_ascii_case(x.as_bytes())
                });
        if ordinal {
            let before = text[floor..s].trim_end_matches(' ');
            if before.len() < s - floor
                && before.len() >= 3
                && before.is_char_boundary(before.len() - 3)
                && before[before.len() - 3..].eq_ignore_ascii_case("the")
                && !before[..before.len() - 3]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                s = floor + before.len() - 3;
            }
        }
        // A weekday, then an optional comma or full stop, then spaces.
        let before = text[floor..s].trim_end_matches(' ');
        if before.len() < s - floor {
            let before = before.strip_suffix([',', '.']).unwrap_or(before);
            let w0 = before
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_ascii_alphabetic())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let w = &before[w0..];
            if weekday_word(w) {
                s = floor + w0;
            }
        }
        spans[k].start = s;
    }
    // Ranges: two dates with only a dash or "to" between them are one date. One pass,
    // building the result (no removal from the middle of the list).
    let range = |a: &Span, b: &Span| {
        a.category == Category::Date
            && b.category == Category::Date
            && a.end <= b.start
            && b.start - a.end <= 6
            && {
                let gap = &text[a.end..b.start];
                let joiner = gap.trim();
                matches!(joiner, "-" | "\u{2013}" | "\u{2014}")
                    || joiner.eq_ignore_ascii_case("to") && gap.starts_with(' ')
            }
    };
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans.drain(..) {
        if let Some(last) = out.last_mut() {
            if range(last, &s) {
                last.end = s.end;
                last.confidence = last.confidence.max(s.confidence);
                continue;
            }
        }
        out.push(s);
    }
    *spans = out;
}

/// The rule id of an organisation's acronym found by [`org_acronyms`].
const ORG_ACRONYM_RULE: &str = "org.acronym";

/// "Harbour View Counselling Service (HVCS) ... HVCS offered six sessions": an acronym in
/// brackets right after an organisation that abbreviates it (Schwartz and Hearst's test, see
/// [`abbreviates`]) is the organisation's name too, there and wherever else it stands in the
/// document as a word no other span covers.
fn org_acronyms(text: &str, spans: &mut Vec<Span>) {
    let mut acronyms: Vec<&str> = Vec::new();
    for s in spans
        .iter()
        .filter(|s| s.category == Category::Organization)
    {
        let Some(inner) = text[s.end..].strip_prefix(" (") else {
            continue;
        };
        let n = inner
            .bytes()
            .take_while(|b| b.is_ascii_uppercase() || *b == b'&')
            .count();
        let acronym = &inner[..n];
        if (2..=8).contains(&n)
            && inner[n..].starts_with(')')
            && abbreviates(acronym, &text[s.start..s.end])
            && !acronyms.contains(&acronym)
        {
            acronyms.push(acronym);
        }
    }
    if acronyms.is_empty() {
        return;
    }
    let mut found: Vec<(usize, usize)> = Vec::new();
    for acronym in acronyms {
        for (at, _) in text.match_indices(acronym) {
            let end = at + acronym.len();
            let word = !text[..at].ends_with(|c: char| c.is_alphanumeric())
                && !text[end..].starts_with(|c: char| c.is_alphanumeric());
            // Spans are sorted and disjoint: the first one ending after `at` is the only one
            // that could overlap it.
            let k = spans.partition_point(|s| s.end <= at);
            let free = spans.get(k).is_none_or(|s| s.start >= end);
            if word && free {
                found.push((at, end));
            }
        }
    }
    let rule: Arc<str> = Arc::from(ORG_ACRONYM_RULE);
    add(spans, found, Category::Organization, &rule);
}

/// Does `short` abbreviate `long`? Schwartz and Hearst's test (2003): every letter of the short
/// form stands in the long form, in order, matched from the end, and the first one opens a
/// word of it ("HVCS" of "Harbour View Counselling Service", "BWL" of "Brightwater Logistics
/// Ltd"; not "ED" of "University Hospital Galway").
fn abbreviates(short: &str, long: &str) -> bool {
    let long: Vec<char> = long.chars().flat_map(char::to_lowercase).collect();
    let short: Vec<char> = short
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut l = long.len();
    for (i, &c) in short.iter().enumerate().rev() {
        loop {
            if l == 0 {
                return false;
            }
            l -= 1;
            let word_start = l == 0 || !long[l - 1].is_alphanumeric();
            if long[l] == c && (i > 0 || word_start) {
                break;
            }
        }
    }
    !short.is_empty()
}

/// `#48213` → the '#' written right before a record, case or account number is part of how the
/// number is written ("Client #48213", "File #A-55812"): the span takes it, so the mark is
/// redacted with the number. Not after a letter or digit ("C#5"), nor when another span ends
/// there.
fn hash_before_identifiers(text: &str, spans: &mut [Span]) {
    for k in 0..spans.len() {
        let s = spans[k].start;
        if spans[k].category != Category::Id || !text[..s].ends_with('#') {
            continue;
        }
        let mark = s - 1;
        let free = k == 0 || spans[k - 1].end <= mark;
        let after_word = text[..mark]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        if free && !after_word {
            spans[k].start = mark;
        }
    }
}

/// At most this many capitalised words are taken into a span on either side by
/// [`grow_over_capitalised_words`].
const GROWTH_WORDS: usize = 3;

/// On a mixed-case line, a name, place or organisation written inside a longer run of
/// capitalised words mid-sentence is found only in part ("Kroger" of "Kroger Marketplace",
/// "Oranga" of "Oranga Tamariki", "Point Scotland" of "Turning Point Scotland"): the span takes
/// in up to [`GROWTH_WORDS`] capitalised words on each side. A word taken is capitalised, a
/// possible name word ([`Doc::name_word_from`]: letters only, no cue, relation, joiner,
/// function word, weekday or month), not the first of a sentence and no clinical word. Only in running prose: the word before the grown span is a lower-case
/// word (a title-cased heading such as "Follow Up With John Smith Next Week" is left alone).
/// A name grown by a word no name list holds, and a place grown by anything but a place noun,
/// become an organisation ("Kroger" + "Marketplace"); a place noun keeps a place ("Mahon
/// Point"). A span of common English words only is not grown.
fn grow_over_capitalised_words(doc: &Doc, spans: &mut [Span]) {
    let takes = |k: usize, floor: usize| {
        let t = &doc.tokens[k];
        doc.name_word_from(k, floor)
            && t.shape == Shape::Title
            && t.case == LineCase::Mixed
            && !t.sentence_start
            && !doc.clinical_word(k)
    };
    let lower_word = |k: usize| {
        let t = &doc.tokens[k];
        t.shape == Shape::Lower && doc.has_letters_only(k)
    };
    for i in 0..spans.len() {
        let sp = &spans[i];
        if sp.kind != Kind::Direct
            || !matches!(
                sp.category,
                Category::Name | Category::Organization | Category::Location | Category::City
            )
        {
            continue;
        }
        let range = doc.tokens_in(sp.start, sp.end);
        // A span of common English words only is itself in doubt ("Early" taken for a
        // place): it is not grown into a longer one.
        if range.is_empty()
            || doc.tokens[range.start].case != LineCase::Mixed
            || range.clone().all(|k| doc.tier[k] != 0)
        {
            continue;
        }
        let floor = i.checked_sub(1).map_or(0, |p| spans[p].end);
        let ceil = spans.get(i + 1).map_or(doc.text.len(), |n| n.start);
        let (mut first, mut last) = (range.start, range.end - 1);
        while last + 1 < doc.tokens.len()
            && last + 1 - (range.end - 1) <= GROWTH_WORDS
            && doc.tokens[last + 1].end <= ceil
            && doc.spaced(last, last + 1)
            && takes(last + 1, floor)
        {
            last += 1;
        }
        while first > 0
            && range.start - (first - 1) <= GROWTH_WORDS
            && doc.spaced(first - 1, first)
            && takes(first - 1, floor)
        {
            first -= 1;
        }
        if first == range.start && last + 1 == range.end {
            continue;
        }
        // Running prose: a lower-case word right before the grown span, a space between.
        let prose = first > 0
            && doc.tokens[first - 1].start >= floor
            && doc.spaced(first - 1, first)
            && lower_word(first - 1)
            && !doc.tokens[first].sentence_start;
        if !prose {
            continue;
        }
        let sp = &mut spans[i];
        sp.start = doc.tokens[first].start;
        sp.end = doc.tokens[last].end;
        let name_word = |k: usize| {
            doc.flags[k] & (flag::FIRST | flag::LAST) != 0
                || doc.first_pm[k] > 0.0
                || doc.last_pm[k] > 0.0
        };
        let place_noun = |k: usize| doc.flags[k] & flag::PLACE_NOUN != 0;
        // The words taken in, before and after the span.
        let mut added = (first..range.start).chain(range.end..=last);
        let becomes_org = match sp.category {
            Category::Name => !added.all(name_word),
            Category::City | Category::Location => !added.all(place_noun),
            _ => false,
        };
        if becomes_org {
            sp.category = Category::Organization;
        }
    }
}

/// "NHI: ZAC5361", "DEA AB1234563", "nhi number: aaa1116": a lone short word (two to five
/// letters) taken as a name right before an identifier, with a colon, '#' or a number word
/// between, or an acronym with a space between, is the identifier's scheme, not a person. The
/// identifier's span is widened to take it in: the scheme is part of how the number is written
/// ("NHS 943 476 5919"), so it is still covered, and never replaced by a person's surrogate.
fn labels_before_identifiers(text: &str, spans: &mut Vec<Span>) {
    if !spans.iter().any(|s| s.category == Category::Id) {
        return;
    }
    const MARKS: [char; 4] = [' ', ':', '#', '.'];
    // (index of the acronym's span, start of the identifier it labels)
    let mut labels: Vec<(usize, usize)> = Vec::new();
    for (k, s) in spans.iter().enumerate() {
        let w = &text[s.start..s.end];
        if s.category != Category::Name
            || !(2..=5).contains(&w.len())
            || !w.bytes().all(|b| b.is_ascii_alphabetic())
        {
            continue;
        }
        let mut rest = text[s.end..].trim_start_matches(MARKS);
        // With only a space between, the word must be an acronym on a line with lower-case
        // letters ("DEA AB1234563"; not "Seen by Tom 12345678", "SEEN BY TOM 12345678").
        let mut marked = text[s.end..text.len() - rest.len()].trim() != "";
        let line_start = crate::text::line_start(text, s.start);
        let line_end = crate::text::line_end(text, s.end);
        let acronym = w.bytes().all(|b| b.is_ascii_uppercase())
            && text[line_start..line_end].chars().any(char::is_lowercase);
        for label in ["number", "no"] {
            if rest.len() >= label.len()
                && rest.is_char_boundary(label.len())
                && rest[..label.len()].eq_ignore_ascii_case(label)
                && !rest[label.len()..].starts_with(char::is_alphanumeric)
            {
                rest = rest[label.len()..].trim_start_matches(MARKS);
                marked = true;
                break;
            }
        }
        if marked || acronym {
            labels.push((k, text.len() - rest.len()));
        }
    }
    let mut gone = vec![false; spans.len()];
    for (k, id_start) in labels {
        let Some(j) = spans
            .iter()
            .position(|x| x.category == Category::Id && x.start == id_start)
        else {
            continue;
        };
        spans[j].start = spans[k].start;
        gone[k] = true;
    }
    let mut gone = gone.into_iter();
    spans.retain(|_| !gone.next().unwrap_or(false));
}

/// On a mixed-case line, two spans of names, places or organisations with one capitalised word
/// between them are one name ("Citizens" + "Advice" + "Bureau Leeds"): the word is no cue,
/// title, relation, function word, weekday or month. Two names stay a name; an organisation
/// among them, or a place with a name, makes an organisation. An Irish article between two
/// spans joins them too (`Gort an Choirce`), a place if either side is one.
fn bridge_capitalised_word(doc: &Doc, spans: &mut Vec<Span>) {
    let joinable = |c: Category| {
        matches!(
            c,
            Category::Name | Category::Organization | Category::Location | Category::City
        )
    };
    let bridges = |a: &Span, b: &Span| {
        a.kind == Kind::Direct
            && b.kind == Kind::Direct
            && joinable(a.category)
            && joinable(b.category)
            // " Word ": one token between them, a space either side.
            && doc.text.as_bytes().get(a.end) == Some(&b' ')
            && doc.token_starting_at(a.end + 1).is_some_and(|w| {
                doc.tokens[w].end + 1 == b.start
                    && doc.text.as_bytes()[doc.tokens[w].end] == b' '
                    && doc.tokens[w].shape == Shape::Title
                    && doc.tokens[w].case == LineCase::Mixed
                    && !doc.tokens[w].sentence_start
                    && doc.has_letters_only(w)
                    && doc.flags[w] & (CUES | flag::RELATION | flag::TITLE) == 0
                    && !doc.function(w)
                    && !date::is_english_month_word(doc.word(w))
                    && !date::is_weekday(doc.word(w))
            })
    };
    // An Irish article between two found words of one place or name ("Gort" + "an" +
    // "Choirce", "Baile" + "na" + "hAbhann"): the second starts with a capital or a mutation.
    let joined_by_article = |a: &Span, b: &Span| {
        a.kind == Kind::Direct
            && b.kind == Kind::Direct
            && joinable(a.category)
            && joinable(b.category)
            && matches!(doc.text.get(a.end..b.start), Some(" an " | " na "))
            && doc.text[b.start..].chars().take(2).any(char::is_uppercase)
    };
    let place = |c: Category| matches!(c, Category::City | Category::Location);
    // One pass, building the result: linear in the number of spans whatever the text.
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans.drain(..) {
        if let Some(last) = out.last_mut() {
            if joined_by_article(last, &s) {
                if !place(last.category) && place(s.category) {
                    last.category = s.category;
                }
                last.end = s.end;
                last.confidence = last.confidence.max(s.confidence);
                continue;
            }
            if bridges(last, &s) {
                if last.category != s.category {
                    last.category = Category::Organization;
                }
                last.end = s.end;
                last.confidence = last.confidence.max(s.confidence);
                continue;
            }
        }
        out.push(s);
    }
    *spans = out;
}

/// A span of a place: a town, region or location, or a one-word name that the dictionaries
/// list as a place ("Australia" taken for a name).
fn is_place_span(doc: &Doc, s: &Span) -> bool {
    if s.kind != Kind::Direct {
        return false;
    }
    match s.category {
        Category::City | Category::State | Category::Location => true,
        Category::Name => doc
            .token_starting_at(s.start)
            .is_some_and(|k| doc.tokens[k].end == s.end && doc.flags[k] & flag::PLACE != 0),
        _ => false,
    }
}

/// The start of the words naming an organisation right before a place on a mixed-case line:
/// one to three capitalised words (the last may be an acronym: "CAMHS Clondalkin"), optionally
/// joined to the place by "of", after a lower-case
/// word of the same sentence ("referred to Jigsaw Limerick", "called Lifeline Australia",
/// "with the Samaritans of Tasmania", "to Women's Aid Dundalk"). Not a cue, title, relation,
/// function word, weekday, month or place prefix ("to North Cork" is a place), not a word
/// opening a sentence, and not one given name alone ("with Mary Galway" is a person). Stops
/// at byte `floor` (the end of the span before).
fn brand_before_place(doc: &Doc, s: usize, floor: usize) -> Option<usize> {
    let k0 = doc.token_starting_at(s)?;
    if doc.tokens[k0].case != LineCase::Mixed {
        return None;
    }
    let mut last = k0.checked_sub(1)?;
    if doc.word(last) == "of" && doc.spaced(last, k0) {
        last = last.checked_sub(1)?;
        if !doc.spaced(last, last + 1) {
            return None;
        }
    } else if !doc.spaced(last, k0) {
        return None;
    }
    // A service's acronym right before the place counts too ("CAMHS Clondalkin", "HSE
    // Galway").
    let acronym = |m: usize| {
        m == last
            && doc.tokens[m].shape == Shape::Upper
            && (2..=6).contains(&(doc.tokens[m].end - doc.tokens[m].start))
    };
    // A clinical safe-list word may be one of the brand's words, not all of them ("Open
    // Arms Townsville"; not "Emergency Townsville").
    let word_ok = |m: usize| {
        doc.name_word_from(m, floor)
            && (doc.tokens[m].shape == Shape::Title || acronym(m))
            && !doc.tokens[m].sentence_start
            && doc.flags[m] & ((NOT_NAME & !flag::SAFE) | flag::TITLE) == 0
            && !doc.dicts.names.place_prefixes.contains(doc.word(m))
    };
    let first = words_back(last, 3, word_ok, |a, b| doc.spaced_or_possessive(a, b))
        .filter(|&f| (f..=last).any(|m| doc.flags[m] & flag::SAFE == 0))?;
    // A lower-case word of the same sentence right before: the words stand mid-sentence.
    let before = first.checked_sub(1)?;
    if doc.tokens[before].shape != Shape::Lower
        || !doc.spaced(before, first)
        || doc.tokens[before].start < floor
    {
        return None;
    }
    // One given name alone before a place is a person's name ("with Mary Galway").
    if first == last && doc.first_pm[first] >= COMMON_PM && doc.tier[first] == 0 {
        return None;
    }
    Some(doc.tokens[first].start)
}

/// The start of the body an organisation belongs to, right before `of [the]` and the
/// organisation at byte `s` on a mixed-case line: one to three capitalised words or an acronym
/// ("YMCA", "Catholic Charities", "Big Brothers Big Sisters"), not a cue, title, relation,
/// function word, weekday or month, after a lower-case word, a line start or punctuation.
/// Stops at byte `floor` (the end of the span before).
fn body_of_org_before(doc: &Doc, s: usize, floor: usize) -> Option<usize> {
    let k0 = doc.token_starting_at(s)?;
    if doc.tokens[k0].case != LineCase::Mixed {
        return None;
    }
    let mut of = k0.checked_sub(1)?;
    if doc.word(of) == "the" && doc.spaced(of, k0) {
        of = of.checked_sub(1)?;
    }
    if doc.word(of) != "of" || !doc.spaced(of, of + 1) {
        return None;
    }
    let last = of.checked_sub(1)?;
    if !doc.spaced(last, of) {
        return None;
    }
    let acronym =
        |m: usize| doc.tokens[m].shape == Shape::Upper && (2..=6).contains(&doc.word(m).len());
    let word_ok = |m: usize| {
        doc.name_word_from(m, floor) && (doc.tokens[m].shape == Shape::Title || acronym(m))
    };
    let first = words_back(last, 4, word_ok, |a, b| doc.spaced_or_possessive(a, b))?;
    // One very common word is a role or a quantity ("the Head of", "Most of the"), not a
    // body's name.
    if first == last && doc.tier[first] == 1 && !acronym(first) {
        return None;
    }
    if let Some(before) = first.checked_sub(1) {
        let gap = &doc.text[doc.tokens[before].end..doc.tokens[first].start];
        let mid_sentence = doc.tokens[before].shape == Shape::Lower && gap == " ";
        if !mid_sentence
            && !doc.tokens[first].sentence_start
            && !gap.contains(['\n', ':', '(', ','])
        {
            return None;
        }
    }
    Some(doc.tokens[first].start)
}

/// A name span that runs over the separator of two listed people ("CIARÁN, PD" in "Present:
/// CIARÁN, PD, GRACE G.") keeps only its first person; the list's items add the others, so
/// each person gets a span (and a surrogate) of their own.
fn split_across_items(spans: &mut [Span], items: &[(usize, usize)]) {
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return;
    };
    // Only the spans over the list's own bytes (the spans are sorted and disjoint), so a note
    // of many lists stays linear.
    let from = spans.partition_point(|s| s.end <= first.0);
    for s in spans[from..].iter_mut().take_while(|s| s.start < last.1) {
        if s.category != Category::Name || s.kind != Kind::Direct {
            continue;
        }
        // Two items inside: the span ends where the first of them ends.
        let mut inside = items.iter().filter(|(a, b)| *a < s.end && s.start < *b);
        if let (Some(first), Some(_)) = (inside.next(), inside.next()) {
            s.end = first.1;
        }
    }
}

/// Adds direct spans of `category` found by a completion step (free byte ranges), keeping
/// `spans` sorted by start.
fn add(spans: &mut Vec<Span>, ranges: Vec<(usize, usize)>, category: Category, rule: &Arc<str>) {
    if ranges.is_empty() {
        return;
    }
    spans.extend(ranges.into_iter().map(|(start, end)| Span {
        start,
        end,
        category,
        kind: Kind::Direct,
        rule: rule.clone(),
        confidence: 0.6,
    }));
    spans.sort_by_key(|s| (s.start, s.end));
}

/// Would span `k` stretched to `[s, e)` overlap a span it may not absorb? A quasi-identifier
/// gives way to a name ("Black" of "Lauren Black"); names and places give way to an
/// organisation ("Alcohol & Drug Service of Waikato", "HARLOW VALE CRISIS RESPITE UNIT").
fn fits(spans: &[Span], k: usize, s: usize, e: usize, cat: Category) -> bool {
    let yields = |o: &Span| {
        o.kind == Kind::Quasi
            || o.category == cat
            || cat == Category::Organization && absorbable_by_org(o.category)
    };
    let before = spans[..k]
        .iter()
        .rev()
        .take_while(|o| o.end > s)
        .all(yields);
    let after = spans[k + 1..]
        .iter()
        .take_while(|o| o.start < e)
        .all(yields);
    before && after
}

/// Categories an organisation's span may grow over.
fn absorbable_by_org(c: Category) -> bool {
    matches!(
        c,
        Category::Name | Category::City | Category::State | Category::Location
    )
}

/// Merges spans that overlap or touch after extension (an organisation absorbs the names and
/// places inside it; two names merge), and drops quasi spans a name or organisation now covers.
fn merge_names(doc: &Doc, spans: &mut Vec<Span>) {
    let text = doc.text;
    spans.sort_by_key(|s| (s.start, s.end));
    // Byte ranges of the spans of some categories, sorted.
    let ranges = |spans: &[Span], cats: &[Category]| -> Vec<(usize, usize)> {
        spans
            .iter()
            .filter(|s| cats.contains(&s.category))
            .map(|s| (s.start, s.end))
            .collect()
    };
    let orgs = ranges(spans, &[Category::Organization]);
    let inside_org = |s: &Span| {
        let i = orgs.partition_point(|o| o.1 < s.end);
        i < orgs.len()
            && orgs[i].0 <= s.start
            && s.end <= orgs[i].1
            && (orgs[i].0, orgs[i].1) != (s.start, s.end)
    };
    spans.retain(|s| !(absorbable_by_org(s.category) || s.kind == Kind::Quasi) || !inside_org(s));
    let names = ranges(spans, &[Category::Name, Category::Organization]);
    spans.retain(|s| {
        s.kind != Kind::Quasi || {
            let i = names.partition_point(|n| n.1 <= s.start);
            !(i < names.len() && names[i].0 < s.end)
        }
    });
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for mut s in spans.drain(..) {
        if let Some(last) = out.last_mut() {
            let same = last.category == s.category
                && matches!(s.category, Category::Name | Category::Organization);
            if same && s.start <= last.end {
                last.end = last.end.max(s.end);
                last.confidence = last.confidence.max(s.confidence);
                continue;
            }
            // An organisation reaching past a place or name it overlaps takes it in ("horn lake
            // ambulance corps no" as a grown place, then "lake ambulance corps no. 7").
            if s.category == Category::Organization
                && s.kind == Kind::Direct
                && last.kind == Kind::Direct
                && absorbable_by_org(last.category)
                && s.start < last.end
                && s.end > last.end
            {
                last.end = s.end;
                last.category = Category::Organization;
                last.rule = s.rule.clone();
                last.confidence = last.confidence.max(s.confidence);
                continue;
            }
            // Whatever else still overlaps keeps the earlier span whole: the later one starts
            // at its first letter or digit after it (both ends are char boundaries), or goes
            // when no letter or digit is left (" no", ", ").
            if s.start < last.end {
                let rest = text.get(last.end..s.end).unwrap_or("");
                let Some(lead) = rest.find(char::is_alphanumeric) else {
                    continue;
                };
                s.start = last.end + lead;
                // One English word left of a name or place that reached into the earlier
                // span is what a grown span dragged past it ("corps" + "no", "unit" +
                // "ENDED"), not a name of its own; a listed or unknown word stays ("... Team"
                // + "Warner", "... Hire" + "shuniah").
                let stray = doc.token_starting_at(s.start).is_some_and(|k| {
                    doc.tokens[k].end >= s.end
                        && (doc.function(k) || doc.tier[k] != 0 && !doc.listed_proper(k))
                });
                if stray
                    && matches!(
                        s.category,
                        Category::Name | Category::City | Category::Location | Category::State
                    )
                {
                    continue;
                }
            }
        }
        out.push(s);
    }
    *spans = out;
}

/// `Sung` → `Sung-min`, `Reyes` → `Okafor-Reyes`: a word joined by a hyphen (no spaces) to
/// the span's first or last word is part of it, when it is letters only.
/// A team's age group after a place, name or organisation ("Otatara Under-12s", "Bridgwater
/// Under 14s", "Leeds U-9s"): the end of the team's name, or `None`.
fn age_group_after(doc: &Doc, s: usize, e: usize) -> Option<usize> {
    let range = doc.tokens_in(s, e);
    let last = doc.word(range.clone().last()?);
    let under = |w: &str| w.eq_ignore_ascii_case("under") || w.eq_ignore_ascii_case("u");
    let mut at = e;
    if !under(last) {
        let rest = doc.text[e..].strip_prefix(' ')?;
        let w: &str = rest.split(['-', ' ']).next()?;
        if !under(w) {
            return None;
        }
        at = e + 1 + w.len();
    }
    let rest = doc.text[at..].strip_prefix(['-', ' '])?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let mut end = at + 1 + digits;
    if doc.text[end..].starts_with(['s', 'S']) {
        end += 1;
    }
    (!doc.text[end..].starts_with(char::is_alphanumeric)).then_some(end)
}

fn hyphen_ends(doc: &Doc, mut s: usize, mut e: usize) -> (usize, usize) {
    for _ in 0..2 {
        if doc.text[e..].starts_with('-') {
            if let Some(k) = doc.token_starting_at(e + 1) {
                if doc.has_letters_only(k) {
                    e = doc.tokens[k].end;
                    continue;
                }
            }
        }
        break;
    }
    for _ in 0..2 {
        if s > 0 && doc.text[..s].ends_with('-') {
            if let Some(k) = doc.token_ending_at(s - 1) {
                if doc.has_letters_only(k) {
                    s = doc.tokens[k].start;
                    continue;
                }
            }
        }
        break;
    }
    (s, e)
}

/// `Macy van den Heuvel`, `ter Horst`: particles between the span and a following word of the
/// name, or right before the span's capitalised first word.
fn particle_ends(doc: &Doc, mut s: usize, mut e: usize) -> (usize, usize) {
    let range = doc.tokens_in(s, e);
    if range.is_empty() {
        return (s, e);
    }
    // Forward: particles then a word that is not lower case (or any word where case says
    // nothing).
    let mut k = range.end - 1;
    let mut n = 0;
    // A name never ends in a particle: a span found as "Ciarán Ó" goes on to the surname.
    let ends_in_particle = doc.particle[k];
    while k + 1 < doc.tokens.len()
        && (doc.particle[k + 1] || irish_article(doc, k + 1))
        && doc.spaced(k, k + 1)
        && n < 3
    {
        k += 1;
        n += 1;
    }
    if (n > 0 || ends_in_particle)
        && k + 1 < doc.tokens.len()
        && doc.spaced(k, k + 1)
        && doc.nameable(k + 1)
    {
        let t = &doc.tokens[k + 1];
        if t.shape != Shape::Lower || t.case != LineCase::Mixed {
            e = t.end;
        }
    }
    // Backward: particles right before a capitalised first word.
    let first = range.start;
    let mut k = first;
    let mut n = 0;
    while k > 0 && doc.particle[k - 1] && doc.spaced(k - 1, k) && n < 3 {
        k -= 1;
        n += 1;
    }
    if n > 0 && doc.tokens[first].shape != Shape::Lower {
        s = doc.tokens[k].start;
    }
    (s, e)
}

/// The Irish article inside a surname, after a particle that opens it ("Nic an tSaoir", "Mac
/// an Bhaird"); elsewhere "an" is the English article, no particle (`rules/names.toml` leaves
/// it out of `name_particles` for that reason).
fn irish_article(doc: &Doc, k: usize) -> bool {
    k > 0 && doc.particle[k - 1] && doc.word(k).eq_ignore_ascii_case("an")
}

/// On a mixed-case line: `Lauren` + `Black` (a capitalised surname-list word right after a
/// given name, or after a one-word name that is no listed surname: `Ngaio` + `Walker`), `Brady` + `Bailey` (a capitalised given name right before a surname or an
/// unknown capitalised word).
fn adjacent_names(doc: &Doc, mut s: usize, mut e: usize) -> (usize, usize) {
    let range = doc.tokens_in(s, e);
    if range.is_empty() {
        return (s, e);
    }
    let (first, last) = (range.start, range.end - 1);
    let title = |k: usize| {
        doc.tokens[k].shape == Shape::Title
            && doc.tokens[k].case == LineCase::Mixed
            && doc.has_letters_only(k)
            && doc.flags[k] & CUES == 0
    };
    // A word on the safe or English lists counts when it is also a name of some frequency
    // ("Brady", "Black", "Head"); a word no list knows counts as it is.
    let given = |k: usize| {
        doc.first_pm[k] >= COMMON_PM
            || doc.flags[k] & flag::FIRST != 0 && doc.flags[k] & (flag::SAFE | flag::ENGLISH) == 0
            || doc.unknown[k]
    };
    let surname = |k: usize| {
        doc.last_pm[k] >= COMMON_PM
            || doc.flags[k] & flag::LAST != 0 && doc.flags[k] & (flag::SAFE | flag::ENGLISH) == 0
            || doc.unknown[k]
    };
    let known_given = |k: usize| doc.first_pm[k] > 0.0 || doc.flags[k] & flag::FIRST != 0;
    // The span's last word, or the last part of a hyphenated given name ("Seo-yeon"), or a
    // single word found as a name that no given-name list holds ("Ngaio" + "Walker").
    let ends_given = title(last) && (known_given(last) || first == last && !surname(last))
        || last > first
            && doc.text[doc.tokens[last - 1].end..doc.tokens[last].start] == *"-"
            && doc.tokens[last].case == LineCase::Mixed
            && title(first);
    if ends_given && last + 1 < doc.tokens.len() {
        let n = last + 1;
        if doc.spaced(last, n) && title(n) && !doc.tokens[n].sentence_start && surname(n) {
            e = doc.tokens[n].end;
        }
    }
    if first > 0 && title(first) && (surname(first) || known_given(first)) {
        let p = first - 1;
        if doc.spaced(p, first) && title(p) && given(p) && !doc.particle[p] {
            s = doc.tokens[p].start;
        }
    }
    if doc.tokens[first].case != LineCase::Mixed {
        return caseless_adjacent_names(doc, s, e);
    }
    (s, e)
}

/// Given names of at least this frequency per million, and surnames of it, join a found name
/// on an ALL-CAPS or lower-case line, where capitals give no evidence.
const CASELESS_PM: f32 = 5.0;

/// On an ALL-CAPS or lower-case line: a given name right before a found name, frequent or no
/// English word, or a word no dictionary knows ("GRACE BAKER", "ivy hatter", "SANNE DE
/// GROOT"), and a frequent surname or a word no dictionary knows right after a lone given name
/// or unknown word found ("BAILEY STONE", "louie walker", "AROHANUI WALKER"), join it. Not a
/// function word, modal or cue ("PT WILL", "CALL BACK").
fn caseless_adjacent_names(doc: &Doc, mut s: usize, mut e: usize) -> (usize, usize) {
    let range = doc.tokens_in(s, e);
    if range.is_empty() {
        return (s, e);
    }
    let (first, last) = (range.start, range.end - 1);
    let plain = |k: usize| {
        doc.tokens[k].case == doc.tokens[first].case
            && doc.has_letters_only(k)
            && doc.word(k).len() >= 2
            && doc.flags[k] & CUES == 0
            && !doc.function(k)
            && !doc.dicts.names.modal_verbs.contains(doc.word(k))
    };
    if first > 0 {
        let p = first - 1;
        if doc.spaced(p, first)
            && plain(p)
            && (doc.first_pm[p] >= CASELESS_PM
                || doc.first_pm[p] > 0.0 && doc.tier[p] == 0
                || doc.unknown[p] && doc.word(p).len() >= 3)
            && doc.flags[p] & flag::SAFE == 0
            && !doc.particle[p]
        {
            s = doc.tokens[p].start;
        }
    }
    // A lone given name found ("BAILEY"), not a full name already ("TRACY MARTIN").
    let ends_given = first == last
        && (doc.first_pm[last] >= CASELESS_PM
            || doc.first_pm[last] > 0.0 && doc.tier[last] == 0
            || doc.unknown[last]);
    let n = last + 1;
    if ends_given
        && n < doc.tokens.len()
        && doc.spaced(last, n)
        && plain(n)
        && (doc.last_pm[n] >= CASELESS_PM || doc.unknown[n] && doc.word(n).len() >= 3)
    {
        e = doc.tokens[n].end;
    }
    (s, e)
}

/// `st kevin's`, `saint brigid's`: a name between a saint's title and a possessive names a
/// school, hospital or church, on any line case (capitalised, the name rules already take it
/// whole); the span covers all of it. An organisation whose first word is the possessive
/// (`brigid's national school`) takes the title too.
fn saints_place(doc: &Doc, s: usize, e: usize) -> (usize, usize) {
    let before = &doc.text[..s];
    let lower_before = before.get(before.len().saturating_sub(7)..).unwrap_or("");
    let lower_before = lower_before.to_ascii_lowercase();
    let title = ["saint ", "st. ", "st "].iter().find(|t| {
        lower_before.ends_with(*t) && {
            let at = before.len() - t.len();
            at == 0 || !before[..at].ends_with(|c: char| c.is_alphanumeric())
        }
    });
    const POSSESSIVE: [&str; 4] = ["'s", "’s", "'S", "’S"];
    // The length of a possessive ending a word right at `e`.
    let possessive_len = || {
        let rest = &doc.text[e..];
        POSSESSIVE
            .iter()
            .find(|p| rest.starts_with(*p))
            .filter(|p| !rest[p.len()..].starts_with(|c: char| c.is_alphanumeric()))
            .map(|p| p.len())
    };
    let Some(title) = title else {
        // The span took the title already ("st kevin" + "'s"): the possessive joins it.
        let head = &doc.text[s..e];
        let titled = ["saint ", "st. ", "st "].iter().any(|t| {
            head.get(..t.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(t))
        });
        return match possessive_len() {
            Some(n) if titled => (s, e + n),
            _ => (s, e),
        };
    };
    // An organisation that starts with the saint's name: "st brigid's" + "national school".
    let first_word = doc.text[s..e].split(' ').next().unwrap_or("");
    if POSSESSIVE.iter().any(|p| first_word.ends_with(p)) {
        return (s - title.len(), e);
    }
    match possessive_len() {
        Some(n) => (s - title.len(), e + n),
        None => (s, e),
    }
}

/// `Joseph F` → `Joseph F.`: the dot after a one-letter final word.
fn initial_dot(doc: &Doc, s: usize, e: usize) -> (usize, usize) {
    let range = doc.tokens_in(s, e);
    if range.is_empty() || !doc.text[e..].starts_with('.') {
        return (s, e);
    }
    let w = doc.word(range.end - 1);
    if doc.tokens[range.end - 1].end == e
        && w.chars().count() == 1
        && w.chars().all(char::is_alphabetic)
    {
        (s, e + 1)
    } else {
        (s, e)
    }
}

/// "C. HICKEY aware", "Dr Ó Dónaill", "Dr. ter Horst", "mr ó briain": an initial with its dot,
/// and a personal title, right before a name belong to it (the cue rules' spans hold their
/// title too).
fn initial_title_before(doc: &Doc, mut s: usize, e: usize) -> (usize, usize) {
    let range = doc.tokens_in(s, e);
    if range.is_empty() || doc.tokens[range.start].start != s {
        return (s, e);
    }
    let mut k = range.start;
    let gap = |p: usize, k: usize| &doc.text[doc.tokens[p].end..doc.tokens[k].start];
    if k > 0 {
        let p = k - 1;
        let w = doc.word(p);
        let lone = p == 0 || !gap(p - 1, p).ends_with('.');
        if gap(p, k) == ". " && lone && w.chars().count() == 1 && w.chars().all(char::is_uppercase)
        {
            s = doc.tokens[p].start;
            k = p;
        }
    }
    if k > 0 {
        let p = k - 1;
        if matches!(gap(p, k), " " | ". ")
            && doc.flags[p] & flag::TITLE != 0
            && doc.dicts.names.personal_titles.contains(doc.word(p))
        {
            s = doc.tokens[p].start;
        }
    }
    (s, e)
}

/// `Root, Geralyn`, `PT KLUN, ALEX`, `ter Horst, Adrianna`: a given name right after a comma
/// and a word that stands at the start of a field (line start, after `|`, `:`, a tab, two
/// spaces, or a title or role word such as `PT`) is a name written surname first.
fn inverted(doc: &Doc, s: usize, e: usize) -> (usize, usize) {
    let range = doc.tokens_in(s, e);
    if range.is_empty() || range.len() > 2 {
        return (s, e);
    }
    let first = range.start;
    let gap_ok = |g: &str| g == ", " || g == ",";
    // The found span is the evidence that its first word is a given name; a listed given
    // name, a word no dictionary knows ("Iraia", "Dong-hyun") or a word found as a name
    // elsewhere in the document all qualify. Capitals of two or three letters on a mixed-case
    // line are initials, a name of their own in a list ("Present: Brian, LA, Drew H.").
    let initials = doc.tokens[first].shape == Shape::Upper
        && doc.tokens[first].case == LineCase::Mixed
        && doc.tokens[first].end - doc.tokens[first].start <= 3;
    if first == 0
        || initials
        || doc.first_pm[first] <= 0.0
            && doc.flags[first] & flag::FIRST == 0
            && !doc.unknown[first]
            && !doc.named[first]
    {
        return (s, e);
    }
    let sur = first - 1;
    if !gap_ok(&doc.text[doc.tokens[sur].end..doc.tokens[first].start])
        || !doc.nameable(sur)
        || doc.flags[sur] & flag::LAST == 0 && !doc.unknown[sur] && !doc.named[sur]
        || doc.flags[sur] & flag::PLACE != 0 && doc.flags[sur] & flag::LAST == 0
        || doc.tokens[sur].shape == Shape::Lower && doc.tokens[sur].case == LineCase::Mixed
    {
        return (s, e);
    }
    // Particles before the surname belong to it.
    let mut k = sur;
    while k > 0 && doc.particle[k - 1] && doc.spaced(k - 1, k) {
        k -= 1;
    }
    if field_start_before(doc, k) {
        (doc.tokens[k].start, e)
    } else {
        (s, e)
    }
}

/// Does a field start right before token `k`: the line's start, a `|`, `:` or tab, two
/// spaces, or a title or role word such as `PT`?
fn field_start_before(doc: &Doc, k: usize) -> bool {
    let line_start = crate::text::line_start(doc.text, doc.tokens[k].start);
    if k == 0 || doc.tokens[k - 1].end < line_start {
        let head = &doc.text[line_start..doc.tokens[k].start];
        head.trim().len() <= 1 || head.trim_end().ends_with([':', '|'])
    } else {
        let g = &doc.text[doc.tokens[k - 1].end..doc.tokens[k].start];
        g.contains(['|', ':', '\t'])
            || g.len() >= 2 && g.bytes().all(|b| b == b' ')
            || doc.spaced(k - 1, k)
                && doc.flags[k - 1] & (flag::TITLE | flag::ROLE | flag::HEADER) != 0
    }
}

/// `pt Keen, River`, `PT WARD, LORI`: a one-word name found at the start of a field, then a
/// comma and a given name (listed, or a word no dictionary knows), is a name written surname
/// first; the given name (with a hyphenated second part, "Dong-hyun") joins it. Both words are in
/// the same case.
fn inverted_forward(doc: &Doc, s: usize, e: usize) -> (usize, usize) {
    let range = doc.tokens_in(s, e);
    if range.len() != 1 || !field_start_before(doc, range.start) {
        return (s, e);
    }
    let sur = range.start;
    let g = sur + 1;
    if g >= doc.tokens.len()
        || !matches!(
            &doc.text[doc.tokens[sur].end..doc.tokens[g].start],
            ", " | ","
        )
        || !doc.nameable(g)
        || doc.flags[g] & flag::PLACE != 0 && doc.flags[g] & flag::FIRST == 0
        || doc.tokens[g].case == LineCase::Mixed && doc.tokens[g].shape != Shape::Title
        || doc.tokens[g].case != doc.tokens[sur].case
    {
        return (s, e);
    }
    let given = doc.first_pm[g] > 0.0 || doc.flags[g] & flag::FIRST != 0 || doc.unknown[g];
    if !given {
        return (s, e);
    }
    let mut end = doc.tokens[g].end;
    // "Dong-hyun": a hyphenated second part.
    if g + 1 < doc.tokens.len()
        && &doc.text[doc.tokens[g].end..doc.tokens[g + 1].start] == "-"
        && doc.has_letters_only(g + 1)
    {
        end = doc.tokens[g + 1].end;
    }
    (s, end)
}

/// `Children's Services` → `Family and Children's Services`, `Family Court` → `Federal
/// Circuit and Family Court`: one or two capitalised words joined by `and` or `&` to the front
/// of an organisation on a mixed-case line name it too, when they stand after a line start,
/// punctuation or a lower-case word and are not a person ("Tom and Family Services": a common
/// given name), a relation, a cue, a weekday or a month.
fn conjoined_before(doc: &Doc, s: usize, e: usize) -> (usize, usize) {
    let found = || -> Option<usize> {
        let k0 = doc.token_starting_at(s)?;
        if doc.tokens[k0].case != LineCase::Mixed {
            return None;
        }
        let p = k0.checked_sub(1)?;
        // `last`: the word right before the joiner.
        let last = if doc.word(p) == "and" && doc.spaced(p, k0) {
            let last = p.checked_sub(1)?;
            doc.spaced(last, p).then_some(last)?
        } else if &doc.text[doc.tokens[p].end..s] == " & " {
            p
        } else {
            return None;
        };
        let word_ok = |m: usize| {
            proper(doc, m)
                && doc.name_word_from(m, 0)
                && doc.flags[m] & ((NOT_NAME & !flag::SAFE) | flag::RELATION) == 0
                && !(doc.first_pm[m] >= COMMON_PM && doc.tier[m] == 0)
        };
        let first = words_back(last, 2, word_ok, |a, b| doc.spaced(a, b))?;
        // Nothing capitalised right before: the words open the name.
        match first.checked_sub(1) {
            Some(b) if doc.spaced(b, first) => {
                (doc.tokens[b].shape == Shape::Lower).then(|| doc.tokens[first].start)
            }
            _ => Some(doc.tokens[first].start),
        }
    };
    (found().unwrap_or(s), e)
}

/// Is token `k` a word written as part of a proper name on its line: capitalised on a mixed-case
/// line, any word in capitals on an ALL-CAPS line; never on a lower-case line.
fn proper(doc: &Doc, k: usize) -> bool {
    let t = &doc.tokens[k];
    doc.has_letters_only(k)
        && doc.flags[k] & (flag::TITLE | flag::ORG_JOINER) == 0
        && match t.case {
            LineCase::Mixed => matches!(t.shape, Shape::Title | Shape::Upper),
            LineCase::Upper => true,
            LineCase::Lower => false,
        }
}

/// `Kilkenny Scout Group` → `1st Kilkenny Scout Group`, `DUNEDIN BROWNIES` → `2ND DUNEDIN
/// BROWNIES`: a numeral ordinal (1st, 2nd, 23rd) right before an organisation numbers it (scout
/// and guide groups, battalions, churches); the start of the ordinal, or `None`. Not after a
/// month, a weekday or a number, where the ordinal is a day ("March 1st").
fn ordinal_before(doc: &Doc, s: usize) -> Option<usize> {
    let k = doc.token_starting_at(s)?;
    let p = k.checked_sub(1)?;
    if &doc.text[doc.tokens[p].end..s] != " " {
        return None;
    }
    let w = doc.word(p).to_ascii_lowercase();
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = &w[digits..];
    if !(1..=3).contains(&digits) || !matches!(suffix, "st" | "nd" | "rd" | "th") {
        return None;
    }
    if let Some(q) = p.checked_sub(1) {
        let before = doc.word(q);
        if before.bytes().any(|b| b.is_ascii_digit())
            || crate::date::is_english_month_word(before)
            || crate::date::is_weekday(before)
        {
            return None;
        }
    }
    Some(doc.tokens[p].start)
}

/// `Department of Children` + `and Families`, `Alcohol & Drug Service` + `of Waikato DHB`,
/// `Oak Ridge Behavioral Health` + `, Inc.`: a found organisation extends over a joiner to the
/// proper words after it, and over a company form.
fn org_ends(doc: &Doc, s: usize, mut e: usize) -> (usize, usize) {
    let mut after_tail = false;
    for _ in 0..3 {
        // A number of the organisation: "School District No. 12", "Fire Company #3".
        // An organisation noun right after it: "Toronto District School" + "Board".
        let k = doc.token_at_or_after(e);
        if k < doc.tokens.len()
            && &doc.text[e..doc.tokens[k].start] == " "
            && doc.flags[k] & flag::ORG_NOUN != 0
            && proper(doc, k)
        {
            e = doc.tokens[k].end;
            continue;
        }
        if let Some(n) = number_after_org(doc, s, e) {
            e += n;
            break;
        }
        let k = doc.token_at_or_after(e);
        if k >= doc.tokens.len() {
            break;
        }
        let gap = &doc.text[e..doc.tokens[k].start];
        // A company form: "Ltd", ", Inc.".
        if doc.flags[k] & flag::ORG_TAIL != 0
            && (gap == " " || gap == ", ")
            && doc.tokens[k].shape != Shape::Lower
        {
            e = doc.tokens[k].end;
            if doc.text[e..].starts_with('.') {
                e += 1;
            }
            // Company forms come in pairs ("Pty Ltd", "Co. Ltd"): look for another.
            after_tail = true;
            continue;
        }
        if after_tail {
            break;
        }
        // A joiner: "&" in the gap, or joiner words ("of", "of the", "and").
        let mut j = k;
        let amp = matches!(gap, " & " | "&" | " &");
        if !amp {
            if !(gap == " " && doc.flags[j] & flag::ORG_JOINER != 0) {
                break;
            }
            let mut n = 0;
            while j < doc.tokens.len() && doc.flags[j] & flag::ORG_JOINER != 0 && n < 2 {
                if j > k && !doc.spaced(j - 1, j) {
                    break;
                }
                j += 1;
                n += 1;
            }
            if j >= doc.tokens.len() || !doc.spaced(j - 1, j) {
                break;
            }
            // "NHS Forth Valley and the GP": "and the" opens another party, not the name's
            // next part ("of the" and "for the" do continue it).
            if j == k + 2
                && doc.word(k).eq_ignore_ascii_case("and")
                && doc.word(k + 1).eq_ignore_ascii_case("the")
            {
                break;
            }
        }
        // The proper words after it; after "for", "and", "on" or "the" on a line without
        // case, only places, names and unknown words ("... TEAM FOR FOLLOW-UP", "SPAR AND SAYS
        // SHE LIKES IT", "SCHOOL ON WEEKDAYS" are no part of it); "of" joins any word
        // ("DEPARTMENT OF CHILDREN").
        let caseless_for = !amp
            && doc.tokens[k].case != LineCase::Mixed
            && ["for", "and", "on", "the"]
                .iter()
                .any(|w| doc.word(k).eq_ignore_ascii_case(w));
        let mut end = None;
        let mut m = j;
        // A weekday or month after "on" or "in" is when, not a part of the name ("Rovers on
        // Saturdays", "Court on Monday").
        while m < doc.tokens.len()
            && proper(doc, m)
            && (!caseless_for || doc.proper_evidence(m))
            && !date::is_weekday(doc.word(m).trim_end_matches(['s', 'S']))
            && !date::is_english_month_word(doc.word(m))
            && m < j + 4
        {
            if m > j && !doc.spaced(m - 1, m) {
                break;
            }
            end = Some(doc.tokens[m].end);
            m += 1;
        }
        match end {
            Some(x) if !doc.tokens[j].sentence_start || amp => e = x,
            _ => break,
        }
    }
    (s, e)
}

/// `Larchmont Hospice` + ` - Family Support Services`, `TUSLA` + ` – CHILD AND FAMILY AGENCY`:
/// after a dash, up to four words ending in an organisation noun name a part of the
/// organisation, whatever the case of the line. The words are letters only, neither function
/// words (a joiner may stand inside) nor shaped like verbs in the past tense, and capitalised on
/// a mixed-case line.
fn dash_part(doc: &Doc, s: usize, e: usize) -> (usize, usize) {
    let k = doc.token_at_or_after(e);
    if k >= doc.tokens.len()
        || !matches!(
            &doc.text[e..doc.tokens[k].start],
            " - " | " \u{2013} " | " \u{2014} "
        )
    {
        return (s, e);
    }
    let mut end = None;
    for m in k..(k + 4).min(doc.tokens.len()) {
        let t = &doc.tokens[m];
        let joiner = doc.flags[m] & flag::ORG_JOINER != 0;
        if m > k && !doc.spaced(m - 1, m)
            || !doc.has_letters_only(m)
            || m == k && joiner
            || !joiner && doc.function(m)
            || past_tense(doc.word(m))
            || t.case == LineCase::Mixed && t.shape == Shape::Lower && !joiner
        {
            break;
        }
        if doc.flags[m] & flag::ORG_NOUN != 0 {
            end = Some(t.end);
        }
    }
    (s, end.unwrap_or(e))
}

/// The rule id of the organisations [`org_phrases`] finds.
const ORG_PHRASE_RULE: &str = "org.phrase";

/// Could token `k` be a word of an organisation's name before its noun on a line without case
/// information: letters (and an apostrophe) only, no cue or joiner, not a function word or
/// pronoun ("the", "at", "her"). When `strict` (nothing but the noun says organisation), also
/// not shaped like a finite verb ("started") and not a very common word unless it is a place or
/// name ("around", "second"); before "<noun> of <place>" the structure says enough ("lions club
/// of ...").
fn org_word(doc: &Doc, k: usize, strict: bool) -> bool {
    doc.has_letters_only(k)
        && doc.flags[k] & (CUES | flag::ORG_JOINER | flag::TITLE) == 0
        && !doc.function(k)
        && doc.word(k).len() >= 2
        && (!strict || !doc.verb(k) && (doc.tier[k] != 1 || doc.proper_evidence(k)))
}

/// The start of `<words> <organisation noun> of [the]` right before byte `s`: "Rotary Club of"
/// before "Timaru", "university of the" before "Sunshine Coast". Up to three words before the
/// noun join it: capitalised ones on a mixed-case line, any [`org_word`] on an ALL-CAPS or
/// lower-case line.
fn org_of_before(doc: &Doc, s: usize) -> Option<usize> {
    let k0 = doc.token_starting_at(s)?;
    let mut j = k0.checked_sub(1)?;
    // A place prefix not yet joined to the place ("of greater tulsa").
    if doc.dicts.names.place_prefixes.contains(doc.word(j)) && doc.spaced(j, j + 1) {
        j = j.checked_sub(1)?;
    }
    if doc.word(j).eq_ignore_ascii_case("the") && doc.spaced(j, j + 1) {
        j = j.checked_sub(1)?;
    }
    let of = doc.word(j);
    if !(of.eq_ignore_ascii_case("of") || of.eq_ignore_ascii_case("for")) || !doc.spaced(j, j + 1) {
        return None;
    }
    let noun = j.checked_sub(1)?;
    let mixed = doc.tokens[noun].case == LineCase::Mixed;
    if doc.flags[noun] & flag::ORG_NOUN == 0 || !doc.spaced(noun, j) || mixed && !proper(doc, noun)
    {
        return None;
    }
    let mut first = noun;
    // `m`: the leftmost token taken, an "and" waiting for its word ("boys and girls club").
    let mut m = noun;
    while m > 0 && noun - (m - 1) <= 4 && doc.spaced_or_possessive(m - 1, m) {
        let p = m - 1;
        if m == first && p < noun - 1 && doc.word(p).eq_ignore_ascii_case("and") {
            m = p;
            continue;
        }
        let ok = if mixed {
            proper(doc, p) && !(doc.tokens[p].sentence_start && doc.tier[p] == 1)
        } else {
            org_word(doc, p, false)
        };
        // Before "and", not a person's given name ("Mary and Children's Services of ...").
        let person = m != first && doc.first_pm[p] >= COMMON_PM && doc.tier[p] == 0;
        if !ok || person {
            break;
        }
        first = p;
        m = p;
    }
    // A trailing "and" waiting for its word is not taken.
    Some(doc.tokens[first].start)
}

/// The start of the service an organisation names before its noun: for a span opening with an
/// organisation noun ("Service Quadring") or right after one ("BESCAR" after "HOME TREATMENT
/// TEAM"), the noun and up to five words before it, written as the line writes names (on a
/// line without case, words that may be part of an organisation's name, [`org_word`]), joined
/// by `descriptor_joiners` ("in", "for") or "&": "Early Intervention in Psychosis Service
/// Quadring". Not over a very common word opening a sentence ("Previously Home ...").
fn org_descriptor_before(doc: &Doc, s: usize) -> Option<usize> {
    let k0 = doc.token_starting_at(s)?;
    let opens = doc.flags[k0] & flag::ORG_NOUN != 0;
    let noun = if opens {
        k0
    } else {
        let p = k0.checked_sub(1)?;
        let ok = doc.spaced(p, k0)
            && doc.flags[p] & flag::ORG_NOUN != 0
            && proper(doc, p)
            && doc.tokens[p].case == doc.tokens[k0].case;
        ok.then_some(p)?
    };
    let mixed = doc.tokens[noun].case == LineCase::Mixed;
    let word_ok = |m: usize| {
        if mixed {
            proper(doc, m) && !(doc.tokens[m].sentence_start && doc.tier[m] == 1)
        } else {
            // Service words may be place nouns or clinical words ("HOME TREATMENT").
            doc.has_letters_only(m)
                && doc.word(m).len() >= 2
                && !doc.function(m)
                && doc.flags[m] & (DESCRIPTOR_STOPS | flag::ORG_JOINER) == 0
        }
    };
    let joiners = &doc.dicts.names.descriptor_joiners;
    // `m`: the leftmost token taken (a word, or a joiner waiting for one); `first`: the
    // leftmost word.
    let (mut first, mut m, mut words) = (noun, noun, 0);
    let most = if mixed { 5 } else { 4 };
    while m > 0 && words < most {
        let p = m - 1;
        let gap = &doc.text[doc.tokens[p].end..doc.tokens[m].start];
        let ampersand = gap == " & ";
        let after_joiner = m != first;
        if !(doc.spaced_or_possessive(p, m) || ampersand) || ampersand && after_joiner {
            break;
        }
        if !ampersand && !after_joiner && gap == " " && joiners.contains(doc.word(p)) {
            m = p;
            continue;
        }
        if !word_ok(p) {
            break;
        }
        first = p;
        m = p;
        words += 1;
    }
    (first < noun || noun < k0).then(|| doc.tokens[first].start)
}

/// The end of `of [the] <one or two words>` right after token `noun`, when those words are
/// places or names by the dictionaries ("of limerick", "OF THE HUTT VALLEY"; not "of prbc").
fn of_place_after(doc: &Doc, noun: usize) -> Option<usize> {
    let mut j = noun + 1;
    let of = doc.tokens.get(j).map(|_| doc.word(j))?;
    if !(of.eq_ignore_ascii_case("of") || of.eq_ignore_ascii_case("for")) || !doc.spaced(noun, j) {
        return None;
    }
    if j + 1 < doc.tokens.len()
        && doc.word(j + 1).eq_ignore_ascii_case("the")
        && doc.spaced(j, j + 1)
    {
        j += 1;
    }
    let mut end = None;
    for m in j + 1..(j + 3).min(doc.tokens.len()) {
        if !doc.spaced(m - 1, m) || !doc.listed_proper(m) || doc.function(m) {
            break;
        }
        end = Some(doc.tokens[m].end);
    }
    end
}

/// Organisations on ALL-CAPS and lower-case lines, where capitals cannot mark them: one to four
/// words ending in an organisation noun, at least one of them (before the noun) a place or a
/// name that is not also an English word, or a word no dictionary knows ("LAKEVIEW BEHAVIOURAL
/// HEALTH CENTRE", "st mark's parish hall"); "the student counselling service" and "walker
/// around unit" have none and stay. A saint's title
/// before them belongs to the name ("st mark's parish hall"). Returns byte ranges; spans they
/// overlap are absorbed by the merge that follows.
///
/// Words of `org_descriptors` ("care", "district", "first") may stand among them without
/// stopping the walk or counting as evidence ("HEATHERBANK CARE HOME", "willowcreek first
/// nation"), and one "and" or "&" may join two of them ("harrowgate and district nhs foundation
/// trust"); `weak_org_nouns` ("home", "living") end a name only right after a descriptor.
///
/// On a mixed-case line the same shape is taken when every word and the noun are capitalised
/// and one word before the noun is a place, a name or a word no dictionary knows, of four or
/// more letters and not in capitals ("Kilbrennan Surgery", "Castlemoy Brigade"); "Vascular
/// Surgery" and "ENT Clinic" have none.
fn org_phrases(doc: &Doc, spans: &[Span]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let names = &doc.dicts.names;
    let strong_tails = &names.strong_org_tails;
    // (A token never ends in a possessive "'s": the tokeniser leaves it out.)
    let descriptor = |k: usize| names.org_descriptors.contains(doc.word(k));
    // A word inside a name or place span another detector found counts as evidence
    // ("marlow vale" found as a name before "child and adolescent mental health service").
    // The spans here overlap (quasi spans, spans just widened), so their ends are in no order
    // a binary search could use; this is asked only of words before an organisation noun.
    let in_found = |k: usize| {
        let t = &doc.tokens[k];
        spans.iter().any(|x| {
            x.start <= t.start
                && t.start < x.end
                && x.kind == Kind::Direct
                && absorbable_by_org(x.category)
        })
    };
    for noun in 1..doc.tokens.len() {
        let mixed = doc.tokens[noun].case == LineCase::Mixed;
        if mixed && !(matches!(doc.tokens[noun].shape, Shape::Title | Shape::Upper)) {
            continue;
        }
        let weak = names.weak_org_nouns.contains(doc.word(noun));
        if doc.flags[noun] & (flag::ORG_NOUN | flag::ORG_TAIL) == 0 && !weak {
            continue;
        }
        let strong = !mixed && strong_tails.contains(doc.word(noun));
        if doc.flags[noun] & flag::ORG_NOUN == 0 && !strong && !weak {
            continue;
        }
        if weak && !(doc.spaced(noun - 1, noun) && descriptor(noun - 1)) {
            continue;
        }
        // A longer phrase ending in a later noun ("... health service") supersedes one ending
        // here ("... health centre unit"): extend the previous range when they touch.
        let mut first = noun;
        let mut evidence = false;
        let mut joined = false;
        let mut words = 0;
        while first > 0 && words < 6 {
            let m = first - 1;
            let gap = &doc.text[doc.tokens[m].end..doc.tokens[first].start];
            let amp = gap == " & ";
            if !(doc.spaced_or_possessive(m, first) || amp) {
                break;
            }
            // "and" or "&" between two words of the name, once: the word before it must be
            // one that names ("harrowgate and district", "HALLORAN & WEEKES").
            let and_word = doc.word(m).eq_ignore_ascii_case("and");
            if amp || and_word {
                let w = if amp { Some(m) } else { m.checked_sub(1) };
                // The word after the joiner is a descriptor or names too, and the one before
                // it is no abbreviation ("UO AND NOTIFY TEAM" is an order).
                let ok = !joined
                    && first < noun
                    && (descriptor(first) || doc.proper_evidence(first))
                    && w.is_some_and(|w| {
                        doc.word(w).chars().count() >= 4
                            && (amp || doc.spaced(w, m))
                            && (!mixed || proper(doc, w))
                            && (org_word(doc, w, false) && doc.proper_evidence(w)
                                || descriptor(w) && doc.has_letters_only(w))
                    });
                match w {
                    Some(w) if ok => {
                        joined = true;
                        evidence |= doc.proper_evidence(w) && !descriptor(w);
                        first = w;
                        words += 1;
                        continue;
                    }
                    _ => break,
                }
            }
            let ok = if mixed {
                proper(doc, m)
                    && doc.flags[m] & (CUES & !flag::PLACE_NOUN) == 0
                    && !doc.function(m)
                    && !date::is_weekday(doc.word(m))
                    && !date::is_english_month_word(doc.word(m))
                    // Capitals opening a sentence, or a verb's shape, say nothing of a name.
                    && (!(doc.tokens[m].sentence_start || doc.verb(m))
                        || doc.proper_evidence(m)
                        || in_found(m))
            } else {
                // Before a club's or company's form, a plural noun ("ROVERS AFC", "judes gaa")
                // joins when it is not an English word or is itself an organisation noun.
                let plural_before_tail = strong
                    && org_word(doc, m, false)
                    && (doc.flags[m] & flag::ENGLISH == 0 && doc.tier[m] == 0
                        || doc.flags[m] & flag::ORG_NOUN != 0);
                // A place noun belongs to the name ("marlow vale ... service") but says
                // nothing by itself.
                org_word(doc, m, true)
                    || plural_before_tail
                    || (descriptor(m) || doc.flags[m] & flag::PLACE_NOUN != 0)
                        && !doc.function(m)
                        && doc.has_letters_only(m)
            };
            if !ok {
                break;
            }
            // On a mixed-case line a word in capitals is evidence only in a name written all in
            // capitals ("QUILLMOOR FIRST NATION") and when it is long ("ENT Clinic" is none).
            let caps_name = doc.tokens[m].shape == Shape::Upper
                && doc.tokens[noun].shape == Shape::Upper
                && doc.word(m).chars().count() >= 5;
            evidence |= if mixed {
                (doc.tokens[m].shape == Shape::Title || caps_name)
                    && doc.word(m).chars().count() >= 4
                    && (doc.proper_evidence(m) || in_found(m))
                    && !descriptor(m)
            } else {
                (doc.proper_evidence(m) || in_found(m)) && !descriptor(m)
            };
            first = m;
            words += 1;
        }
        // A club's, school's or company's form needs only one word before it that is not an
        // English word ("ARTANE CELTIC AFC", "DISS TAXIS LTD"; not "the local gaa").
        evidence |= strong
            && (first..noun)
                .any(|m| doc.tier[m] == 0 && doc.flags[m] & (flag::ENGLISH | flag::ORG_NOUN) == 0);
        // "university of limerick", "BANK OF THE NORTH COAST": a place or name after "of".
        let of_tail = if mixed {
            None
        } else {
            of_place_after(doc, noun)
        };
        if of_tail.is_none() && (first == noun || !evidence) {
            continue;
        }
        // A saint's title: "st", "st.", "saint".
        let mut start = doc.tokens[first].start;
        if first > 0 {
            let t = first - 1;
            let w = doc.word(t);
            let gap = &doc.text[doc.tokens[t].end..doc.tokens[first].start];
            if (w.eq_ignore_ascii_case("st") && matches!(gap, " " | ". "))
                || (w.eq_ignore_ascii_case("saint") && gap == " ")
            {
                start = doc.tokens[t].start;
            }
        }
        let end = of_tail.unwrap_or(doc.tokens[noun].end);
        if blocks_org(spans, start, end) {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.1 >= start => last.1 = end,
            _ => out.push((start, end)),
        }
    }
    out
}

/// The people listed after an attendance label at the start of a line ("Present: Ciarán, PD,
/// Grace G., CC and Betul. Apologies: Francis L."), in any case: each item of one to three
/// words of letters (a final initial may keep its dot), separated by commas, "and" or "&",
/// up to a full stop or the line's end. A list whose items are not all such (a number, a cue
/// or role word, a function word: "Present: all members", "Present: client and mother") is
/// left alone. A name span running over two items is cut back to its first
/// ([`split_across_items`]).
fn attendance_lists(doc: &Doc, spans: &mut [Span]) -> Vec<(usize, usize)> {
    let names = &doc.dicts.names;
    let n = doc.tokens.len();
    let mut out = Vec::new();
    for k in 0..n {
        if !doc.tokens[k].sentence_start
            || !names.attendance_labels.contains(doc.word(k))
            || !doc.text[doc.tokens[k].end..].starts_with(':')
        {
            continue;
        }
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut j = k + 1;
        let mut ok = true;
        while j < n {
            // One item: up to three words, single-spaced, the last may be an initial + dot.
            let first = j;
            let mut last = j;
            while last + 1 < n && last - first < 2 && doc.spaced(last, last + 1) {
                let next = doc.word(last + 1);
                if names.list_conjunctions.contains(next) {
                    break;
                }
                last += 1;
            }
            // Initials in capitals may spell a function word, a cue or a clinical abbreviation
            // ("IS", "PD", "CC"); a credential there is someone's ("Ana, RN"), passed over. A
            // role or relation in words ("client", "mother") makes the list one of roles.
            // In lower case, only letters no cue list holds ("fh"; not "pt", "sw": roles).
            let initials = first == last
                && doc.word(first).len() <= 3
                && (doc.tokens[first].shape == Shape::Upper
                    || doc.tokens[first].case == LineCase::Lower
                        && doc.flags[first] & (CUES | flag::RELATION) == 0);
            // A final one-letter word with its dot is an initial ("Pearl A."), not "a".
            let final_initial = |w: usize| {
                w == last
                    && w > first
                    && doc.word(w).chars().count() == 1
                    && doc.text[doc.tokens[w].end..].starts_with('.')
            };
            let words_ok = (first..=last).all(|w| {
                doc.has_letters_only(w)
                    && (initials && doc.flags[w] & flag::RELATION == 0
                        || final_initial(w)
                        || doc.flags[w] & (CUES | flag::RELATION) == 0 && !doc.function(w))
            });
            let credential = initials && doc.flags[first] & flag::CREDENTIAL != 0;
            if !words_ok {
                ok = false;
                break;
            }
            let mut end = doc.tokens[last].end;
            let rest = &doc.text[end..];
            let initial = doc.word(last).chars().count() == 1;
            if initial && rest.starts_with('.') {
                end += 1;
            }
            if !credential {
                items.push((doc.tokens[first].start, end));
            }
            // What follows: a separator and another item, or the list's end.
            let after = &doc.text[end..];
            let line_end = after.split('\n').next().unwrap_or("").trim().is_empty();
            if line_end || after.starts_with(". ") || after.starts_with('.') && !initial {
                break;
            }
            if last + 1 >= n {
                break;
            }
            let gap = doc.text[end..doc.tokens[last + 1].start].trim();
            if matches!(gap, "," | "&") {
                j = last + 1;
            } else if gap.is_empty() && names.list_conjunctions.contains(doc.word(last + 1)) {
                j = last + 2;
            } else if matches!(gap, ". ," | ".,") {
                j = last + 1;
            } else {
                // "Present: Ana, Tom. Apologies: ..." ends at the full stop; anything else
                // is no list.
                ok = gap.starts_with('.') || gap.starts_with(';');
                break;
            }
        }
        if !ok || items.len() < 2 {
            continue;
        }
        split_across_items(spans, &items);
        // An item a name span covers in part ("A." of "Pearl A.") grows into it (names that
        // overlap merge); one another kind of span touches is left to that span.
        for (b, e) in items {
            let i = spans.partition_point(|s| s.end <= b);
            let mut over = spans[i..]
                .iter()
                .take_while(|s| s.start < e)
                .filter(|s| s.kind == Kind::Direct);
            let taken = over.any(|s| s.category != Category::Name || s.start <= b && e <= s.end);
            if !taken {
                out.push((b, e));
            }
        }
    }
    out
}

/// Is token `k` written as its line writes names: capitalised on a mixed-case line, any
/// word on an ALL-CAPS or lower-case one?
fn in_line_case(doc: &Doc, k: usize) -> bool {
    doc.tokens[k].case != LineCase::Mixed
        || matches!(doc.tokens[k].shape, Shape::Title | Shape::Upper)
}

/// `Reading` → `Port Reading`, `Vegas Academy` → `Las Vegas Academy`, `St. Lucie`: up to two
/// words that open a place's name (`place_prefixes` in `rules/names.toml`) right before a
/// place or organisation, written as the line writes names, join it.
fn place_prefix_before(doc: &Doc, mut s: usize, e: usize) -> (usize, usize) {
    let prefixes = &doc.dicts.names.place_prefixes;
    for _ in 0..2 {
        let Some(k) = doc.token_starting_at(s) else {
            break;
        };
        let Some(p) = k.checked_sub(1) else { break };
        let gap = &doc.text[doc.tokens[p].end..doc.tokens[k].start];
        let dotted = gap == ". " && doc.word(p).len() == 2;
        if !(gap == " " || dotted)
            || !prefixes.contains(doc.word(p))
            || !in_line_case(doc, p)
            || doc.tokens[p].case != doc.tokens[k].case
        {
            break;
        }
        s = doc.tokens[p].start;
    }
    (s, e)
}

/// `Duncan` → `Duncan Falls`, `KNIGHTS` → `KNIGHTS LANDING`: a place noun (`place_nouns`)
/// right after a place, written as the line writes names, joins it; not one followed by "of"
/// ("Lake of the Woods" stays whole elsewhere).
fn place_noun_after(doc: &Doc, s: usize, e: usize) -> (usize, usize) {
    let Some(k) = doc.token_ending_at(e) else {
        return (s, e);
    };
    let n = k + 1;
    if n < doc.tokens.len()
        && doc.spaced(k, n)
        && doc.flags[n] & flag::PLACE_NOUN != 0
        && in_line_case(doc, n)
        && doc.tokens[n].case == doc.tokens[k].case
        && !doc.word(n).eq_ignore_ascii_case("county")
    {
        return (s, doc.tokens[n].end);
    }
    (s, e)
}

/// Employers named after a job cue on an ALL-CAPS or lower-case line, where capitals say
/// nothing: "works part-time for oak tannery and", "STARTED A NEW JOB AT IRON CHAPEL IN",
/// "works at henare & walker.". After a cue verb (`employer_verbs`) or noun (`employer_nouns`,
/// then only "at" or "with"), an optional modifier
/// (`part-time`, `nights`) and a preposition (`employer_prepositions`), one to three words
/// closed by punctuation, the line's end, a function word or "is". Not after an article or
/// pronoun ("works at the bakery", "works for her uncle"), not a workplace or time word
/// (`workplace_words`: "works at home", "job at the weekend"), not clinical vocabulary, and a
/// single word only when no dictionary calls it an ordinary word ("works at bluepoint"; not
/// "works at bakery").
fn employers_after_cues(doc: &Doc, spans: &[Span]) -> Vec<(usize, usize)> {
    let names = &doc.dicts.names;
    let n = doc.tokens.len();
    let mut out = Vec::new();
    for k in 0..n {
        if doc.tokens[k].case == LineCase::Mixed {
            continue;
        }
        let noun = names.employer_nouns.contains(doc.word(k));
        if !(noun || names.employer_verbs.contains(doc.word(k))) {
            continue;
        }
        let prepositions = if noun {
            &names.employer_noun_prepositions
        } else {
            &names.employer_prepositions
        };
        let mut j = k + 1;
        // "part-time", "full time", "nights".
        if j + 1 < n
            && ["part", "full"]
                .iter()
                .any(|w| doc.word(j).eq_ignore_ascii_case(w))
            && doc.word(j + 1).eq_ignore_ascii_case("time")
            && matches!(
                &doc.text[doc.tokens[j].end..doc.tokens[j + 1].start],
                "-" | " "
            )
        {
            j += 2;
        } else if j < n && names.employer_modifiers.contains(doc.word(j)) {
            j += 1;
        }
        if j + 1 >= n
            || !doc.spaced(j - 1, j)
            || !prepositions.contains(doc.word(j))
            || !doc.spaced(j, j + 1)
        {
            continue;
        }
        let first = j + 1;
        let mut last = first;
        let mut words = Vec::new();
        while last < n && words.len() < 4 && doc.tokens[last].case == doc.tokens[k].case {
            let w = doc.word(last);
            let letters = w
                .chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '’');
            if !letters
                || doc.function(last)
                || names.employer_prepositions.contains(w)
                || names.auxiliary_verbs.contains(w)
            {
                break;
            }
            words.push(last);
            if last + 1 >= n {
                break;
            }
            let gap = &doc.text[doc.tokens[last].end..doc.tokens[last + 1].start];
            if !matches!(gap, " " | " & " | "-" | "'s " | "’s ") {
                break;
            }
            last += 1;
        }
        let Some(&end_tok) = words.last() else {
            continue;
        };
        if words.len() > 3 {
            continue;
        }
        // What follows closes the name: punctuation, the line's end, or a function word.
        let after = &doc.text[doc.tokens[end_tok].end..];
        let closes = after.is_empty()
            || after.starts_with(['.', ',', ';', ':', ')', '!', '?', '\n', '\r', '"'])
            || end_tok + 1 < n
                && doc.spaced(end_tok, end_tok + 1)
                && (doc.function(end_tok + 1)
                    || names.employer_prepositions.contains(doc.word(end_tok + 1))
                    || names.auxiliary_verbs.contains(doc.word(end_tok + 1)));
        // A clinical word may be part of a name ("stone chapel"), not all of it.
        let generic = words.iter().any(|&w| {
            names.workplace_words.contains(doc.word(w))
                || doc.flags[w] & (flag::TITLE | flag::ROLE | flag::CREDENTIAL) != 0
        }) || words.iter().all(|&w| doc.clinical_word(w));
        let single_word = words.len() == 1 && {
            let w = words[0];
            doc.tier[w] != 0 || doc.flags[w] & flag::ENGLISH != 0 && !doc.listed_proper(w)
        };
        if !closes || generic || single_word || doc.word(first).len() < 2 {
            continue;
        }
        let (start, end) = (doc.tokens[first].start, doc.tokens[end_tok].end);
        if !blocks_org(spans, start, end) {
            out.push((start, end));
        }
    }
    out
}

/// Organisations contacted, attended or referred to on lines without case ("referred by kestrel
/// valley crisis team last month", "MUM RANG DUNNES STORES ON MONDAY", "went down to centrelink
/// and"): after a `contact_verbs` or `employer_verbs` word, an optional `contact_particles` word and a
/// `contact_prepositions` word (and "the"), up to six words of letters, joined by "of", "and"
/// or "&" when more words follow, closed by punctuation, the line's end, a function word or a
/// `contact_stops` word. Taken when one of the words is a place, a name or a word no dictionary
/// knows (not a very common or clinical word), none is a title, role or credential, and the words
/// end in an organisation noun, or are two or more with an unknown word among them, or are one
/// unknown word of six letters or more (not a unit's acronym: "TRANSFERRED TO THE MCIU").
/// Returns byte ranges.
fn orgs_after_contact_cues(doc: &Doc, spans: &[Span]) -> Vec<(usize, usize)> {
    let names = &doc.dicts.names;
    let n = doc.tokens.len();
    let mut out = Vec::new();
    for k in 0..n {
        let verb = doc.word(k);
        if doc.tokens[k].case == LineCase::Mixed
            || !(names.contact_verbs.contains(verb) || names.employer_verbs.contains(verb))
        {
            continue;
        }
        let mut j = k + 1;
        if j < n && names.contact_particles.contains(doc.word(j)) && doc.spaced(j - 1, j) {
            j += 1;
        }
        if j + 1 >= n
            || !doc.spaced(j - 1, j)
            || !names.contact_prepositions.contains(doc.word(j))
            || !doc.spaced(j, j + 1)
        {
            continue;
        }
        let mut first = j + 1;
        if doc.word(first).eq_ignore_ascii_case("the")
            && first + 1 < n
            && doc.spaced(first, first + 1)
        {
            first += 1;
        }
        let stop = |m: usize| {
            let w = doc.word(m);
            doc.function(m)
                || names.contact_stops.contains(w)
                || names.contact_prepositions.contains(w)
                || names.auxiliary_verbs.contains(w)
                || date::is_weekday(w)
                || date::is_english_month_word(w)
        };
        let joiner = |m: usize| {
            let w = doc.word(m);
            w.eq_ignore_ascii_case("of") || w.eq_ignore_ascii_case("and")
        };
        let mut words: Vec<usize> = Vec::new();
        let mut m = first;
        while m < n && words.len() < 6 && doc.tokens[m].case == doc.tokens[k].case {
            if m > first {
                let gap = &doc.text[doc.tokens[m - 1].end..doc.tokens[m].start];
                if !matches!(gap, " " | " & " | "'s " | "’s " | "' ") {
                    break;
                }
            }
            if !doc.has_letters_only(m) {
                break;
            }
            if joiner(m) {
                // Only between two words of the name.
                if words.is_empty() || m + 1 >= n || !doc.spaced(m, m + 1) || stop(m + 1) {
                    break;
                }
                m += 1;
                continue;
            }
            if stop(m) {
                break;
            }
            words.push(m);
            m += 1;
        }
        let Some(&last) = words.last() else {
            continue;
        };
        // What follows closes the name.
        let after = &doc.text[doc.tokens[last].end..];
        let closes = after.is_empty()
            || after.starts_with(['.', ',', ';', ':', ')', '!', '?', '\n', '\r', '"', '('])
            || last + 1 < n && doc.spaced(last, last + 1) && {
                let next = last + 1;
                stop(next) || joiner(next)
            };
        let unknown = |w: usize| doc.unknown[w] && doc.word(w).len() >= 4;
        let evidence = words
            .iter()
            .any(|&w| doc.proper_evidence(w) && doc.tier[w] != 1 && !doc.clinical_word(w));
        let generic = words.iter().any(|&w| {
            doc.flags[w] & (flag::TITLE | flag::ROLE | flag::CREDENTIAL | flag::HEADER) != 0
        });
        let noun_end = doc.flags[last] & flag::ORG_NOUN != 0;
        let shape = noun_end
            || words.len() >= 2 && words.iter().any(|&w| unknown(w))
            || words.len() == 1 && unknown(words[0]) && doc.word(words[0]).len() >= 6;
        if !closes || !evidence || generic || !shape {
            continue;
        }
        let (start, end) = (doc.tokens[first].start, doc.tokens[last].end);
        if !blocks_org(spans, start, end) {
            out.push((start, end));
        }
    }
    out
}

/// Does a direct span another detector found, which an organisation may not absorb, lie in
/// `start..end`? An organisation phrase is not made across it.
fn blocks_org(spans: &[Span], start: usize, end: usize) -> bool {
    let i = spans.partition_point(|x| x.end <= start);
    spans[i..].iter().take_while(|x| x.start < end).any(|x| {
        x.kind == Kind::Direct
            && !absorbable_by_org(x.category)
            && x.category != Category::Organization
    })
}

/// Does the span `s..e` hold two or more words, the last an organisation noun?
fn ends_in_org_noun(doc: &Doc, s: usize, e: usize) -> bool {
    let r = doc.tokens_in(s, e);
    r.len() >= 2 && doc.flags[r.end - 1] & flag::ORG_NOUN != 0 && doc.tokens[r.end - 1].end == e
}

/// Does the span `s..e` hold an organisation noun after its first word and before a last
/// word that is a place ("PERINATAL MENTAL HEALTH TEAM OAKDALE", "Crisis Team Arklow" found
/// whole as a place): a service named with its town.
fn names_service_and_place(doc: &Doc, s: usize, e: usize) -> bool {
    let r = doc.tokens_in(s, e);
    r.len() >= 3
        && doc.flags[r.end - 1] & flag::PLACE != 0
        && (r.start + 1..r.end - 1).any(|t| doc.flags[t] & flag::ORG_NOUN != 0)
}

/// The length of ` No. 12`, ` No 3`, ` NO. 7` or ` #3` at the start of `rest` (one to four
/// digits, then no further letter or digit): the number of an organisation. When the span
/// already took the word ("School District No"), `took_no` and the rest starts at ". 12".
fn org_number(rest: &str, took_no: bool) -> Option<usize> {
    let (lead, digits) = if took_no {
        let after = rest.strip_prefix('.').unwrap_or(rest);
        let after = after.strip_prefix(' ').unwrap_or(after);
        (rest.len() - after.len(), after)
    } else {
        let after = rest.strip_prefix(' ')?;
        let mark = [
            "No. ", "No.", "No ", "NO. ", "NO.", "NO ", "no. ", "no.", "# ", "#",
        ]
        .iter()
        .find(|m| after.starts_with(*m))?;
        (1 + mark.len(), &after[mark.len()..])
    };
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    let next = digits[n..].chars().next();
    ((1..=4).contains(&n) && !next.is_some_and(char::is_alphanumeric)).then_some(lead + n)
}

/// The length of the number of the organisation at `s..e` right after it: ` No. 12`, ` #3`,
/// `. 12` when the span took the "No" ([`org_number`]), or a branch's bare number ("Legion
/// Branch 27", "Council 1123"; [`numbered_branch`]).
fn number_after_org(doc: &Doc, s: usize, e: usize) -> Option<usize> {
    let took_no = [" No", " NO", " no"]
        .iter()
        .any(|n| doc.text[s..e].ends_with(n));
    org_number(&doc.text[e..], took_no).or_else(|| numbered_branch(doc, e))
}

/// The length of ` 27` at byte `e` when the word before it is a `numbered_org_nouns` word of
/// the organisation ("Branch 27", "COUNCIL 1123"): one to four digits, then no further letter
/// or digit, and not a year of 1900-2099.
fn numbered_branch(doc: &Doc, e: usize) -> Option<usize> {
    let last = doc.tokens.partition_point(|t| t.end <= e).checked_sub(1)?;
    if doc.tokens[last].end != e || !doc.dicts.names.numbered_org_nouns.contains(doc.word(last)) {
        return None;
    }
    let digits = doc.text[e..].strip_prefix(' ')?;
    let n = digits.bytes().take_while(u8::is_ascii_digit).count();
    let next = digits[n..].chars().next();
    let year = n == 4 && matches!(&digits[..2], "19" | "20");
    ((1..=4).contains(&n) && !year && !next.is_some_and(char::is_alphanumeric)).then_some(1 + n)
}

/// The end of up to three words right after byte `e` that end in an organisation noun
/// ("Harlow Vale" + "Crisis Respite Unit", "bartholomew's" + "primary school"); on a mixed-case
/// line the words must be capitalised.
fn org_noun_after(doc: &Doc, e: usize) -> Option<usize> {
    let k = doc.token_at_or_after(e);
    let first_gap = doc.text.get(e..doc.tokens.get(k)?.start)?;
    // A plural's possessive ("Boys' Grammar") as well as a singular's.
    let plural_possessive = matches!(first_gap, "' " | "’ ") && doc.text[..e].ends_with(['s', 'S']);
    if !space_or_possessive(first_gap) && !plural_possessive {
        return None;
    }
    for m in k..(k + 3).min(doc.tokens.len()) {
        let t = &doc.tokens[m];
        // A possessive inside ("Lambeth" + "Children's Services").
        if m > k && !doc.spaced_or_possessive(m - 1, m) {
            return None;
        }
        if !doc.has_letters_only(m)
            || t.case == LineCase::Mixed && t.shape == Shape::Lower
            || doc.flags[m] & (flag::ORG_JOINER | flag::TITLE) != 0
        {
            return None;
        }
        if doc.flags[m] & flag::ORG_NOUN != 0 {
            return Some(t.end);
        }
        // On a lower-case line a function word other than "in" ("early intervention in
        // psychosis service") ends the name ("sister kayleigh at school": not an
        // organisation). In capitals the merge stands: it was measured to cover organisations
        // found no other way.
        if t.case == LineCase::Lower && doc.function(m) && doc.word(m) != "in" {
            return None;
        }
        // Nor is a verb in the past tense that no list knows as a name or place part ("liam
        // refused school", "she started school").
        if t.case == LineCase::Lower
            && past_tense(doc.word(m))
            && doc.flags[m] & flag::KNOWN & !flag::ENGLISH == 0
        {
            return None;
        }
    }
    None
}

/// `1200 Burrard St` → `402-1200 Burrard St`: a unit number joined to the street number by a
/// hyphen or slash.
fn address_unit_before(doc: &Doc, s: usize, e: usize) -> (usize, usize) {
    let before = &doc.text[..s];
    let Some(head) = before.strip_suffix(['-', '/']) else {
        return (
            unit_prefix(doc, s)
                .or_else(|| house_number_word(doc, s))
                .unwrap_or(s),
            e,
        );
    };
    if !doc.text[s..].starts_with(|c: char| c.is_ascii_digit()) {
        return (s, e);
    }
    let unit = head
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    let start = head.len() - unit;
    let ok = (1..=5).contains(&unit)
        && head[start..].bytes().any(|b| b.is_ascii_digit())
        && (start == 0 || head[..start].ends_with([' ', '\t', '\n', ':', ',', '(']));
    if ok {
        // "Unit 9, 17-19 Banksia Cres": a unit word may come before the joined numbers too.
        (unit_prefix(doc, start).unwrap_or(start), e)
    } else {
        (s, e)
    }
}

/// `flat 2, 162 chavez rd`: an address-unit word and its number right before the street
/// number, on any line case; returns the new start.
fn unit_prefix(doc: &Doc, s: usize) -> Option<usize> {
    let before = doc.text[..s].strip_suffix(' ')?;
    let before = before.strip_suffix(',').unwrap_or(before);
    let n = before
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    let num = &before[before.len() - n..];
    if !(1..=5).contains(&n) || !num.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // A Scottish flat's floor and door, "flat 2/1".
    let mut n = n;
    if let Some(floor) = before[..before.len() - n].strip_suffix('/') {
        let d = floor.bytes().rev().take_while(u8::is_ascii_digit).count();
        if (1..=2).contains(&d) {
            n += 1 + d;
        }
    }
    let word_end = before[..before.len() - n]
        .trim_end_matches([' ', '#', '.'])
        .len();
    let k = doc.token_ending_at(word_end)?;
    (doc.flags[k] & flag::ADDRESS_UNIT != 0).then(|| doc.tokens[k].start)
}

/// `6 Cottage Row` → `No. 6 Cottage Row`: the word "No." or "Number" written before a house
/// number belongs to the address; returns the new start.
fn house_number_word(doc: &Doc, s: usize) -> Option<usize> {
    if !doc.text[s..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let before = doc.text[..s].strip_suffix(' ')?;
    let before = before.strip_suffix('.').unwrap_or(before);
    let k = doc.token_ending_at(before.len())?;
    let w = doc.word(k);
    (w.eq_ignore_ascii_case("no") || w.eq_ignore_ascii_case("number")).then(|| doc.tokens[k].start)
}

/// `40 Maple Dr.` → `40 Maple Dr., Apt 2`: an address-unit word and its number after the
/// street ("Apt 2", "Unit 9B", "Box 7", "# 4").
fn address_unit_after(doc: &Doc, s: usize, e: usize) -> (usize, usize) {
    let mut end = e;
    for _ in 0..2 {
        let rest = &doc.text[end..];
        let lead = rest.len() - rest.trim_start_matches([',', ' ']).len();
        if lead == 0 || lead > 3 {
            break;
        }
        let k = doc.token_at_or_after(end + lead);
        let unit_word = k < doc.tokens.len()
            && doc.tokens[k].start == end + lead
            && doc.flags[k] & flag::ADDRESS_UNIT != 0;
        let mut p = if unit_word {
            doc.tokens[k].end
        } else if rest[lead..].starts_with('#') {
            end + lead
        } else {
            break;
        };
        p += doc.text[p..].len() - doc.text[p..].trim_start_matches(['.', '#', ' ']).len();
        let n = doc.text[p..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let num = &doc.text[p..p + n];
        if (1..=5).contains(&n) && (num.bytes().any(|b| b.is_ascii_digit()) || n == 1) {
            end = p + n;
        } else {
            break;
        }
    }
    (s, end)
}

/// The town of an address line: the comma-separated part right after a street address
/// ("36 Paddock Close, Limerick, D08 PXFF") or right before a postcode or a state after a comma
/// ("..., Salt Ash NSW 2087"), when it is one to four words without digits that no other span
/// covers. Returns new, free byte ranges.
fn address_towns(doc: &Doc, spans: &[Span]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let free = |b: usize, e: usize| {
        let i = spans.partition_point(|s| s.end <= b);
        !(i < spans.len() && spans[i].start < e)
    };
    // A run of one to four words (letters, spaces, hyphens, apostrophes, dots) between `b`
    // and the next comma, postcode or line end; returns its trimmed range.
    let part = |b: usize, limit: usize| -> Option<(usize, usize)> {
        // Nothing when the next span starts inside the separator.
        let seg = doc.text.get(b..limit.max(b))?;
        let stop = seg.find([',', '\n', ';', '(']).unwrap_or(seg.len());
        let raw = &seg[..stop];
        let t = raw.trim_end_matches(['.', ' ']).trim_start();
        let lead = raw.len() - raw.trim_start().len();
        let words = t.split(' ').filter(|w| !w.is_empty()).count();
        let mixed = doc
            .tokens
            .get(doc.token_at_or_after(b + lead))
            .is_some_and(|t| t.case == LineCase::Mixed);
        let ok = (1..=4).contains(&words)
            && !(mixed && t.starts_with(char::is_lowercase))
            && t.chars()
                .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.'))
            && t.chars().next().is_some_and(char::is_alphabetic);
        ok.then(|| (b + lead, b + lead + t.len()))
    };
    for (i, s) in spans.iter().enumerate() {
        let next_start = spans.get(i + 1).map_or(doc.text.len(), |n| n.start);
        if s.category == Category::StreetAddress && doc.text[s.end..].starts_with(", ") {
            // The town before a postcode with no comma between ("ngaio vic 3081"): its words,
            // without a region code or name closing them (found with the postcode later).
            if let Some(town) = town_before_postcode(doc, s.end + 2) {
                if free(town.0, town.1) && !common_words_only(doc, town.0, town.1) {
                    out.push(town);
                    continue;
                }
            }
            // After the street: up to the next comma, or the next span (postcode, state).
            if let Some((b, e)) = part(s.end + 2, next_start) {
                let after = doc.text[e..].trim_start_matches([' ', '.']);
                let closes = after.is_empty()
                    || after.starts_with([',', '\n', ';', '('])
                    || e <= next_start && doc.text[e..next_start].trim().is_empty();
                if closes && free(b, e) && !common_words_only(doc, b, e) {
                    out.push((b, e));
                }
            }
        }
        if matches!(s.category, Category::Zip | Category::State) && i > 0 {
            // Before a postcode or state: back to the previous comma, if a span or a street
            // address line precedes it.
            let prev = &spans[i - 1];
            let from = doc.text[..s.start].rfind([',', '\n']).map_or(0, |p| p + 1);
            if from > 0
                && doc.text[..from].ends_with(',')
                && prev.end <= from
                && matches!(
                    prev.category,
                    Category::StreetAddress | Category::City | Category::Location
                )
            {
                if let Some((b, e)) = part(from, s.start) {
                    if e <= s.start && free(b, e) && !common_words_only(doc, b, e) {
                        out.push((b, e));
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Byte ranges found by a completion step.
type Ranges = Vec<(usize, usize)>;

/// From byte `b` (after a street address and its comma): one to four words of letters, single
/// spaced, then a space and a postcode ([`postcode_next`]); a last word that names a region
/// ([`region_at`]) is left out. Returns the town's byte range.
fn town_before_postcode(doc: &Doc, b: usize) -> Option<(usize, usize)> {
    let first = doc.token_starting_at(b)?;
    let mut last = first;
    while last + 1 < doc.tokens.len() && last - first < 4 && doc.spaced(last, last + 1) {
        if !doc.has_letters_only(last + 1) {
            break;
        }
        last += 1;
    }
    if !(first..=last).all(|k| doc.has_letters_only(k) && in_line_case(doc, k)) {
        return None;
    }
    let after = doc.text[doc.tokens[last].end..].strip_prefix(' ')?;
    if !postcode_next(after) {
        return None;
    }
    let town_last = if last > first && region_at(doc, last, last + 1) {
        last - 1
    } else {
        last
    };
    (town_last - first < 4).then(|| (doc.tokens[first].start, doc.tokens[town_last].end))
}

/// A name found in the town slot of an address ("87 cedar place, keith sa 5022", "100 COBBLE
/// LANE, RICHMOND 6785") is the town: a span right after a street address and ", " that the
/// detectors took for a person or a location becomes a city, and a region code or name ending
/// it ("keith sa", "thornton nsw") the state, so that the postcode after it is found too. A
/// region after a place and ", " found as a place or person ("DELTA, BC") becomes the state.
fn town_slot_names(doc: &Doc, spans: &mut Vec<Span>) {
    let mut split = Vec::new();
    for i in 1..spans.len() {
        let (prev, s) = (&spans[i - 1], &spans[i]);
        let words = doc.tokens_in(s.start, s.end);
        // A region after a place and ", " that a detector took for a place or person
        // ("DELTA, BC"); a city keeps its name unless it is a code ("Lower Hutt, Wellington"
        // stays as found).
        let code = s.end - s.start <= 3;
        if (matches!(s.category, Category::Name | Category::Location)
            || s.category == Category::City && code)
            && matches!(prev.category, Category::City | Category::Location)
            && doc.text.get(prev.end..s.start) == Some(", ")
            && !words.is_empty()
            && doc.tokens[words.start].start == s.start
            && doc.tokens[words.end - 1].end == s.end
            && region_at(doc, words.start, words.end)
        {
            spans[i].category = Category::State;
            continue;
        }
        if !matches!(s.category, Category::Name | Category::Location)
            || prev.category != Category::StreetAddress
            || doc.text.get(prev.end..s.start) != Some(", ")
            || doc.text[s.start..s.end].contains('\n')
        {
            continue;
        }
        // A place's name or a person in the town slot after a street address is the town.
        if words.is_empty() || words.len() > 4 {
            continue;
        }
        let last = words.end - 1;
        let region = words.len() >= 2 && region_at(doc, last, last + 1);
        spans[i].category = Category::City;
        if region {
            spans[i].end = doc.tokens[last - 1].end;
            split.push((
                doc.tokens[last].start,
                doc.tokens[last].end,
                spans[i].rule.clone(),
            ));
        }
    }
    for (start, end, rule) in split {
        spans.push(Span {
            start,
            end,
            category: Category::State,
            kind: Kind::Direct,
            rule,
            confidence: 0.6,
        });
    }
    spans.sort_by_key(|s| (s.start, s.end));
}

/// `r` opens with something shaped like a postcode: four or five digits not followed by more
/// digits or a slash, dot or colon ("5022", not "56/34"), or a letter and a digit ("A5K 9E1",
/// "D02", "SW1A").
fn postcode_next(r: &str) -> bool {
    let b = r.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        return (4..=5).contains(&digits)
            && !b
                .get(digits)
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'.' | b':'));
    }
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1].is_ascii_digit()
        || b.len() >= 4 && b[..2].iter().all(u8::is_ascii_alphabetic) && b[2].is_ascii_digit()
}

/// Tokens `a..b` (on one line, single spaces or a hyphen between them) name a state, province,
/// region or county: one of `regions` (`rules/names.toml`) or a US state or postal code from
/// the dictionaries. A code of two or three letters counts in capitals, or on a lower-case
/// line right before a postcode's digits ("keith sa 5022"); a full name in the line's case.
fn region_at(doc: &Doc, a: usize, b: usize) -> bool {
    if a >= b || b > doc.tokens.len() {
        return false;
    }
    let (start, end) = (doc.tokens[a].start, doc.tokens[b - 1].end);
    let phrase = &doc.text[start..end];
    if phrase.contains('\n') || !(a..b).all(|k| doc.has_letters_only(k)) {
        return false;
    }
    let code = b - a == 1 && phrase.len() <= 3;
    let t = &doc.tokens[a];
    let cased = if code {
        match t.case {
            LineCase::Lower => doc.text[end..].strip_prefix(' ').is_some_and(postcode_next),
            _ => t.shape == Shape::Upper,
        }
    } else {
        in_line_case(doc, a)
    };
    if !cased {
        return false;
    }
    region_named(
        doc,
        phrase,
        if code { flag::STATE_ABBR } else { flag::STATE },
    )
}

/// Is `phrase` (a word, or words single-spaced) one of `regions` (`rules/names.toml`), or a
/// dictionary entry with one of `state_flags` (US states and their postal codes)?
fn region_named(doc: &Doc, phrase: &str, state_flags: u32) -> bool {
    if doc.dicts.names.regions.contains(phrase) {
        return true;
    }
    let entry = if phrase.contains(' ') {
        doc.dicts
            .lookup_phrase(phrase, 0)
            .filter(|&(e, _)| e == phrase.len())
            .map(|(_, i)| i)
    } else {
        let mut lower = String::new();
        Dictionaries::lower_into(phrase, &mut lower);
        doc.dicts.lookup_word(&lower)
    };
    entry.is_some_and(|i| doc.dicts.entry(i).has(state_flags))
}

/// "Halifax, NS", "Enniscorthy, Ulster", "BEACH HAVEN, WELLINGTON", "GREW UP IN SAINT ROSE,
/// TX;", "Jackass Flat Meats Pty Ltd, Orange.": the tail of a place after a comma. A region
/// ([`region_at`]) after a found place, street address or organisation, or after one to three
/// words that follow a place cue ("in", "from"), which are then the town; and after an
/// organisation or street address, one to three capitalised words of a mixed-case line (or a
/// listed place in any case) that close the clause are its town. Abbreviations must close the
/// clause (punctuation, the line's end or a postcode). Returns new, free ranges: (towns,
/// regions).
fn region_tails(doc: &Doc, spans: &[Span]) -> (Ranges, Ranges) {
    let (mut towns, mut regions) = (Vec::new(), Vec::new());
    let covered = |b: usize, e: usize| {
        let i = spans.partition_point(|s| s.end <= b);
        i < spans.len() && spans[i].start < e
    };
    // The clause closes at `e`: the text's or line's end, punctuation, or a postcode's digits.
    let closes = |e: usize| {
        let rest = &doc.text[e..];
        rest.is_empty()
            || rest.starts_with(['.', ',', ';', ':', ')', '\n', '\r'])
            || rest
                .strip_prefix(' ')
                .is_some_and(|r| postcode_next(r.strip_prefix(' ').unwrap_or(r)))
    };
    // A code in capitals on a mixed-case line may run on into the sentence ("Halifax, NS in
    // 2019"), unless it is also a word there ("IN", "ME").
    let code_closes = |k: usize, e: usize| {
        closes(e)
            || doc.tokens[k].case == LineCase::Mixed
                && doc.tokens[k].shape == Shape::Upper
                && !doc.dicts.names.ambiguous_state_codes.contains(doc.word(k))
    };
    let n = doc.tokens.len();
    for k in 1..n {
        let comma_at = doc.tokens[k - 1].end;
        let gap = &doc.text[comma_at..doc.tokens[k].start];
        if !matches!(gap, ", " | ",  ") {
            continue;
        }
        // The span, if any, that ends at the comma.
        let i = spans.partition_point(|s| s.end < comma_at);
        let before = spans.get(i).filter(|s| s.end == comma_at);
        // Nothing to close: no place, address, organisation or name before the comma, and no
        // place cue in the three words before it (most commas; the region lookups are skipped).
        let closable = match before {
            Some(s) => matches!(
                s.category,
                Category::City
                    | Category::Location
                    | Category::StreetAddress
                    | Category::Organization
                    | Category::Name
            ),
            None => (k.saturating_sub(4)..k - 1).any(|p| doc.flags[p] & flag::PLACE_CUE != 0),
        };
        if !closable {
            continue;
        }
        // The region: the longest run of one to four tokens from `k` that names one; a code
        // ("NS", "on") only where the clause closes after it.
        let region = (k + 1..=(k + 4).min(n))
            .rev()
            .find(|&b| region_at(doc, k, b))
            .filter(|&b| b - k > 1 || doc.word(k).len() > 3 || code_closes(k, doc.tokens[k].end))
            .map(|b| (doc.tokens[k].start, doc.tokens[b - 1].end));
        match (before, region) {
            (Some(s), Some((rb, re)))
                if matches!(s.category, Category::StreetAddress | Category::Organization) =>
            {
                // The town slot of an address or an organisation holds a town even when it
                // shares a region's name ("12 Quay St, Wellington", "Harbour Trust, Nelson");
                // a code is the region after a street address only ("Acme Ltd, NZ" names no
                // region of the organisation's own).
                if !covered(rb, re) {
                    if re - rb > 3 {
                        towns.push((rb, re));
                    } else if s.category == Category::StreetAddress {
                        regions.push((rb, re));
                    }
                }
            }
            (Some(s), Some((rb, re))) => {
                // After a name only where the clause closes ("Halifax, NS." taken for a
                // person).
                let after_name = s.category == Category::Name
                    && closes(re)
                    && doc.flags[k] & (flag::CREDENTIAL | flag::TITLE | flag::ROLE) == 0;
                if (after_name || matches!(s.category, Category::City | Category::Location))
                    && !covered(rb, re)
                {
                    regions.push((rb, re));
                }
            }
            (None, Some((rb, re))) => {
                // One to three words back to a place cue: the town.
                let mut j = k - 1;
                let mut found = None;
                for _ in 0..3 {
                    let ok = doc.has_letters_only(j)
                        && in_line_case(doc, j)
                        && doc.tokens[j].case == doc.tokens[k].case
                        && doc.flags[j] & flag::PLACE_CUE == 0;
                    if !ok || j == 0 {
                        break;
                    }
                    let p = j - 1;
                    if doc.spaced(p, j) && doc.flags[p] & flag::PLACE_CUE != 0 {
                        found = Some(j);
                        break;
                    }
                    if !doc.spaced(p, j) {
                        break;
                    }
                    j = p;
                }
                // On a line without case, a town's words must include a place, a name or a
                // word no dictionary knows ("unable to wedge, pa 56/34" is none), unless the
                // clause closes after a region in capitals ("IN SAINT ROSE, TX;").
                let found = found.filter(|&j| {
                    doc.tokens[k].case == LineCase::Mixed
                        || doc.tokens[k].case == LineCase::Upper && closes(re)
                        || (j..k).any(|t| doc.proper_evidence(t))
                });
                if let Some(j) = found {
                    let (tb, te) = (doc.tokens[j].start, comma_at);
                    if !covered(tb, te) && !covered(rb, re) && !common_words_only(doc, tb, te) {
                        towns.push((tb, te));
                        regions.push((rb, re));
                    }
                }
            }
            (Some(s), None) => {
                // An organisation's or street address's town.
                if !matches!(s.category, Category::Organization | Category::StreetAddress) {
                    continue;
                }
                let mut b = k;
                while b < n && b < k + 3 && doc.has_letters_only(b) && in_line_case(doc, b) {
                    b += 1;
                    if b < n && !doc.spaced(b - 1, b) {
                        break;
                    }
                }
                if b == k {
                    continue;
                }
                let (tb, te) = (doc.tokens[k].start, doc.tokens[b - 1].end);
                let mixed = doc.tokens[k].case == LineCase::Mixed;
                let listed = (k..b).any(|t| doc.flags[t] & flag::PLACE != 0);
                let plain = (k..b).all(|t| {
                    doc.flags[t] & (NOT_NAME | flag::ORG_TAIL | flag::SAFE) == 0
                        && !date::is_english_month_word(doc.word(t))
                        && !date::is_weekday(doc.word(t))
                });
                if closes(te) && (mixed || listed) && plain && !covered(tb, te) {
                    towns.push((tb, te));
                }
            }
            (None, None) => {}
        }
    }
    (towns, regions)
}

/// `..., Kumeu 7084`, `..., salt ash nsw 2087`, `castlebar, f26 8491`, `gods river, mb  x5j
/// 5s4`: a postcode of any of the six countries, in any case, right after the town (or town
/// and state) of an address line, a town preceded on its line by a street address, and a
/// region code between them. Returns new, free byte ranges: (postcodes, regions).
fn postcodes_after_towns(doc: &Doc, spans: &[Span]) -> (Ranges, Ranges) {
    // In any case: the line already holds a street address and a town, so the shape is
    // enough (typed in lower case, "d02 79w2" and "j1b 3l1" are as identifying).
    static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:(?P<region>[A-Za-z]{2,3})[ ]{1,2})?(?P<code>[A-Za-z]\d[A-Za-z][ ]?\d[A-Za-z]\d|[A-Za-z]\d{2}[ ]?[A-Za-z0-9]{4}|[A-Za-z]{1,2}\d[A-Za-z\d]?[ ]?\d[A-Za-z]{2}|\d{4})(?:[^\w]|$)",
        )
        .expect("postcode shapes compile")
    });
    let mut zips = Vec::new();
    let mut regions = Vec::new();
    for (i, s) in spans.iter().enumerate() {
        if !matches!(
            s.category,
            Category::City | Category::State | Category::Location
        ) || i == 0
        {
            continue;
        }
        let line_start = crate::text::line_start(doc.text, s.start);
        let street_before = spans[..i]
            .iter()
            .rev()
            .take_while(|p| p.end > line_start)
            .any(|p| p.category == Category::StreetAddress);
        let rest = &doc.text[s.end..];
        let lead = rest.len() - rest.trim_start_matches([',', ' ']).len();
        if !street_before || !(1..=2).contains(&lead) {
            continue;
        }
        let Some(c) = POSTCODE.captures(&rest[lead..]) else {
            continue;
        };
        let b = s.end + lead;
        let Some(code) = c.name("code") else { continue };
        let end = b + code.end();
        // A region code when the dictionaries call it a state or province ("QC", "nsw"), or
        // before a Canadian postcode ("mb  x5j 5s4": letter, digit, letter first).
        let canadian = code
            .as_str()
            .as_bytes()
            .get(2)
            .is_some_and(u8::is_ascii_alphabetic);
        let region = c.name("region").filter(|r| {
            if canadian {
                return true;
            }
            region_named(doc, r.as_str(), flag::STATE_ABBR | flag::STATE)
        });
        if c.name("region").is_some() && region.is_none() {
            continue;
        }
        let free = spans.get(i + 1).is_none_or(|n| n.start >= end);
        if free {
            if let Some(r) = region {
                regions.push((b + r.start(), b + r.end()));
            }
            zips.push((b + code.start(), end));
        }
    }
    zips.dedup();
    regions.dedup();
    (zips, regions)
}

/// Every word in `[b, e)` is a very common English word ("the city", "rear flat").
fn common_words_only(doc: &Doc, b: usize, e: usize) -> bool {
    let ks = doc.tokens_in(b, e);
    !ks.is_empty()
        && ks.clone().all(|k| {
            doc.flags[k] & (flag::ENGLISH | flag::SAFE) != 0
                && doc.flags[k] & (flag::CITY | flag::LOCATION | flag::NAME) == 0
        })
}

/// Initials as names: (1) the initials of a full name found in the note, wherever they stand
/// as a word in capitals, or in any case inside parentheses; (2) two- or three-letter items of
/// a list whose neighbouring items are names ("Darcy, HB, Amaya G."); (3) capitals closing a
/// line after a dash ("Session 4 - 12 May - JD"); then every other occurrence in capitals of
/// an initials item found so. Returns new, free byte ranges.
fn initials(doc: &Doc, spans: &[Span]) -> Vec<(usize, usize)> {
    // Sets, not lists: a long document of many people looks each word up once, not against
    // every initials string found (quadratic on a multi-megabyte document).
    let mut known: HashSet<String> = HashSet::new();
    for s in spans.iter().filter(|s| s.category == Category::Name) {
        let words: Vec<usize> = doc
            .tokens_in(s.start, s.end)
            .filter(|&k| !doc.particle[k] && doc.flags[k] & flag::TITLE == 0)
            .collect();
        // Every word's first letter ("AWR" of "Anna Whitlock-Reyes"), and the first letter of
        // each hyphenated group only ("AW"): people write either.
        let joined =
            |k: &usize| *k > 0 && doc.text[doc.tokens[*k - 1].end..doc.tokens[*k].start] == *"-";
        for skip_joined in [false, true] {
            let kept: Vec<usize> = words
                .iter()
                .copied()
                .filter(|k| !(skip_joined && joined(k)))
                .collect();
            if (2..=MAX_INITIALS).contains(&kept.len()) {
                let first: String = kept
                    .iter()
                    .filter_map(|&k| doc.word(k).chars().next())
                    .collect();
                known.insert(initials_key(&first));
            }
        }
    }
    // A direct span there already ("MS" may be a quasi span for the condition: a name in a
    // list of names takes its place).
    let covered = |b: usize, e: usize| {
        let i = spans.partition_point(|s| s.end <= b);
        spans[i..]
            .iter()
            .take_while(|s| s.start < e)
            .any(|s| s.kind == Kind::Direct)
    };
    let in_name = |k: usize| {
        let t = &doc.tokens[k];
        let i = spans.partition_point(|s| s.end <= t.start);
        i < spans.len() && spans[i].start <= t.start && spans[i].category == Category::Name
    };
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut listed: HashSet<&str> = HashSet::new();
    for k in 0..doc.tokens.len() {
        let (b, e) = initials_word(doc, k);
        let w = &doc.text[b..e];
        let n = w.chars().count();
        if !(2..=MAX_INITIALS).contains(&n) || !w.chars().all(char::is_alphabetic) {
            continue;
        }
        // Found already (by the learned scorer, say): its other occurrences are still looked
        // for below.
        let found = covered(b, e);
        let t = &doc.tokens[k];
        let upper = t.shape == Shape::Upper;
        let parenthesised = doc.text[..b].ends_with('(') && doc.text[e..].starts_with(')');
        // The initials of a name in the note: inside parentheses whatever the word is
        // otherwise ("(MO)", "(LB)"); elsewhere in capitals, unless a cue word.
        let of_known = !known.is_empty()
            && known.contains(&initials_key(w))
            && (parenthesised || upper && t.case != LineCase::Upper && doc.flags[k] & CUES == 0);
        // A list item; between two names even one that spells an abbreviation or a state
        // code or a title ("Present: Brian, LA, Drew H.", "Rowena, MS and Tobias"): a title
        // stands before a name, not before a comma or "and".
        let list_item = (upper || t.case == LineCase::Lower)
            && list_of_names(doc, k, &in_name).is_some_and(|flanked| {
                doc.flags[k] & NOT_NAME == 0 || flanked && doc.flags[k] & (CUES & !flag::TITLE) == 0
            });
        // Initials closing a heading after a dash ("Session 4 - 12 May - JD").
        let line_end = doc.text[e..]
            .split('\n')
            .next()
            .unwrap_or("")
            .trim()
            .is_empty();
        let lower_line = t.case == LineCase::Lower && t.shape == Shape::Lower;
        let heading_tail = (upper || lower_line)
            && line_end
            && doc.text[..b].trim_end_matches(' ').ends_with(['-', '–', '—'])
            && doc.text[..b].ends_with(' ')
            // Two capitals may spell a clinical abbreviation too ("FH"); three that do ("CBT")
            // are the abbreviation.
            // In capitals on a mixed-case line even a word or a state code ("- IS", "- NH").
            // On a line without case, two letters the big English list holds as a word are
            // still initials ("- MF", "- js"; not a function word such as "- IT").
            && doc.flags[k] & CUES == 0
            && (t.case == LineCase::Mixed
                || doc.flags[k] & (flag::ENGLISH | flag::STATE_ABBR) == 0
                || n == 2
                    && doc.tier[k] == 0
                    && doc.flags[k] & flag::STATE_ABBR == 0
                    && !doc.function(k))
            // In lower case no clinical abbreviation ("- bd", "- prn").
            && (n == 2 && !lower_line || doc.flags[k] & flag::SAFE == 0);
        // Initials owning a relative: "(KW's youngest)", "kl's son" on a lower-case line;
        // outside parentheses, letters no dictionary knows ("GP's", "OT's", "IT'S" are words or
        // abbreviations).
        // In parentheses ("(IR's youngest)", "(ac's youngest)") letters that spell an
        // abbreviation count too, but not a role, title or relation ("(GP's youngest)").
        let in_parens = doc.text[..b].ends_with('(');
        let possessive_kin = (upper || lower_line)
            && (doc.flags[k] & flag::KNOWN == 0
                || in_parens && doc.flags[k] & (CUES | flag::RELATION) == 0)
            && !doc.function(k)
            && ["'s ", "’s ", "'S ", "’S "]
                .iter()
                .find(|p| doc.text[e..].starts_with(**p))
                .and_then(|p| doc.token_starting_at(e + p.len()))
                .is_some_and(|r| {
                    doc.flags[r] & flag::RELATION != 0
                        || doc.dicts.names.possessive_kin_words.contains(doc.word(r))
                });
        if of_known || list_item || heading_tail || possessive_kin {
            if !found {
                out.push((b, e));
            }
            if upper && t.case == LineCase::Mixed {
                listed.insert(w);
            }
        }
    }
    // Other occurrences, in capitals on mixed-case lines, of initials found above.
    if !listed.is_empty() {
        let mut starts: HashSet<usize> = out.iter().map(|&(b, _)| b).collect();
        for k in 0..doc.tokens.len() {
            let (b, e) = initials_word(doc, k);
            let t = &doc.tokens[k];
            if t.case == LineCase::Mixed
                && t.shape == Shape::Upper
                && listed.contains(&doc.text[b..e])
                && !covered(b, e)
                && starts.insert(b)
            {
                out.push((b, e));
            }
        }
    }
    out.sort_unstable();
    out
}

/// Token `k` without a possessive `'s` ("SH's youngest").
fn initials_word(doc: &Doc, k: usize) -> (usize, usize) {
    let t = &doc.tokens[k];
    let w = &doc.text[t.start..t.end];
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            return (t.start, t.start + stem.len());
        }
    }
    (t.start, t.end)
}

/// Is token `k` an item of a list of names: set off by commas or `and` from items on both
/// sides, at least one of them inside a NAME span and the other a name, a short item or the
/// end of the list. `Some(true)` when the items on both sides are names.
fn list_of_names(doc: &Doc, k: usize, in_name: &dyn Fn(usize) -> bool) -> Option<bool> {
    let sep = |g: &str| {
        let g = g.trim();
        g == "," || g.eq_ignore_ascii_case("and") || g.eq_ignore_ascii_case(", and") || g == "&"
    };
    let t = &doc.tokens[k];
    // The item before: the last token before a separator gap.
    let before = (k > 0).then(|| k - 1).filter(|&p| {
        let g = &doc.text[doc.tokens[p].end..t.start];
        let g = g.strip_prefix('.').unwrap_or(g);
        sep(g)
    });
    let after_gap_end = doc.tokens.get(k + 1).map_or(doc.text.len(), |n| n.start);
    let after_gap = &doc.text[t.end..after_gap_end];
    // The separator may be the next token itself ("JW and Tobias").
    let and_next = k + 1 < doc.tokens.len()
        && after_gap.trim().is_empty()
        && doc.word(k + 1).eq_ignore_ascii_case("and");
    let after = (k + 1 < doc.tokens.len() && (sep(after_gap) || and_next)).then_some(k + 1);
    let after_and = after
        .filter(|&n| doc.word(n).eq_ignore_ascii_case("and"))
        .map(|n| n + 1);
    let after = after_and.or(after).filter(|&n| n < doc.tokens.len());
    let ends_list =
        after_gap.trim_start().starts_with(['.', ';', '\n']) || after_gap_end == doc.text.len();
    let short = |n: usize| {
        let w = doc.word(n);
        (2..=MAX_INITIALS).contains(&w.chars().count()) && doc.tokens[n].shape == t.shape
    };
    match (before, after) {
        (Some(p), Some(n)) if in_name(p) && in_name(n) => Some(true),
        (Some(p), Some(n)) => (in_name(p) && short(n) || in_name(n) && short(p)).then_some(false),
        (Some(p), None) => (in_name(p) && ends_list && {
            // A list of at least two names ends here: one more name before the previous item.
            (p > 1) && in_name(p.saturating_sub(2))
        })
        .then_some(false),
        (None, Some(n)) => {
            (in_name(n) && n + 2 < doc.tokens.len() && in_name(n + 2)).then_some(false)
        }
        (None, None) => None,
    }
}

/// Initials compared in capitals without diacritics (`mó` → `MO`).
fn initials_key(letters: &str) -> String {
    let upper = letters.to_uppercase();
    super::dictionary::fold_diacritics(&upper).unwrap_or(upper)
}

#[cfg(test)]
mod tests {
    use crate::Deidentifier;

    fn names(text: &str) -> Vec<String> {
        spans_of(text, crate::Category::Name)
    }

    fn has(text: &str, want: &str) -> bool {
        names(text).iter().any(|n| n == want)
    }

    #[test]
    fn completion_table() {
        let cases: &[(&str, &str)] = &[
            (
                "Yesterday Aurelio and Hye-jin agreed to a screen-free evening.",
                "Hye-jin",
            ),
            (
                "Follow-up with Odile van der Berk at the clinic.",
                "Odile van der Berk",
            ),
            (
                "Her GP, Dr Wiebke ter Haar, was informed.",
                "Dr Wiebke ter Haar",
            ),
            (
                "Counsellor Rosalind T. will check in weekly.",
                "Rosalind T.",
            ),
            ("Lives with Brody Cardwell, 71, in town.", "Brody Cardwell"),
            ("Grandmother (Lucinda Reed) now lives here.", "Lucinda Reed"),
            ("NOTE | Quarrie, Annabel | 3 May", "Quarrie, Annabel"),
            // Surname first, found either way round: the given name is a word no list
            // knows, or the surname was the part found.
            (
                "PROGRESS NOTE | Brackle, Tamatea | 2 June",
                "Brackle, Tamatea",
            ),
            (
                "npn 7p-7a: pt Stroud, Marigold resting, NAD.",
                "Stroud, Marigold",
            ),
            (
                "npn 7p-7a: pt hartigan, moira resting, nad.",
                "hartigan, moira",
            ),
            // A name found up to an Irish particle goes on to the surname, over "an" after
            // Mac or Nic; elsewhere "an" stays an article.
            ("Client Tadhg Ó hUiginn attended.", "Tadhg Ó hUiginn"),
            (
                "Seen with Bríd Nic an Ghoill and her son.",
                "Bríd Nic an Ghoill",
            ),
            ("DR. Ó HÉIGEARTAIGH REVIEWED.", "DR. Ó HÉIGEARTAIGH"),
        ];
        for (text, want) in cases {
            assert!(
                has(text, want),
                "{text:?}: want {want:?}, got {:?}",
                names(text)
            );
        }
    }

    fn spans_of(text: &str, cat: crate::Category) -> Vec<String> {
        let d = Deidentifier::builder().build().unwrap();
        d.detect(text)
            .into_iter()
            .filter(|s| s.category == cat)
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn identifiers_whole_and_never_from_inside_a_word() {
        use crate::Category::Id;
        // (text, the identifier span wanted); invented numbers.
        let cases: &[(&str, &str)] = &[
            (
                "hospital number: kgh 7730214 on the wristband",
                "kgh 7730214",
            ),
            (
                "Her Irish Health Identifier 7001 8832 4410 02 is on file.",
                "7001 8832 4410 02",
            ),
            ("the care order matter cf-22-4471 was listed", "cf-22-4471"),
            ("it was logged as wtp6610 by the desk", "wtp6610"),
            ("Police noted rego KXRT 614 outside.", "KXRT 614"),
        ];
        for (text, want) in cases {
            let got = spans_of(text, Id);
            assert!(
                got.iter().any(|g| g == want),
                "{text:?}: want {want:?}, got {got:?}"
            );
        }
        // A label glued to the start of a word ("Id" of "Identifier", "tin" of "tinnitus")
        // is no label: no identifier span starts inside the word.
        for text in [
            "Identifier 7001 2345 6789 given",
            "reglan x2 for no bowel sounds",
        ] {
            let got = spans_of(text, Id);
            assert!(
                got.iter()
                    .all(|g| !g.starts_with("entifier") && g != "lan x2"),
                "{text:?}: got {got:?}"
            );
        }
    }

    #[test]
    fn organisations_and_addresses_to_their_ends() {
        use crate::Category::{Organization as Org, StreetAddress as Addr};
        let cases: &[(&str, crate::Category, &str)] = &[
            // A full stop ends the name; an abbreviation's dot does not.
            (
                "He studied at the University of Carlisle. She stayed home.",
                Org,
                "University of Carlisle",
            ),
            (
                "Graduated from the University of St. Brendan in Cork.",
                Org,
                "University of St. Brendan",
            ),
            (
                "Contacted the Office of Refugees and Migrant Services today.",
                Org,
                "Office of Refugees and Migrant Services",
            ),
            (
                "Referred to the Gambling & Debt Service of Taranaki last week.",
                Org,
                "Gambling & Debt Service of Taranaki",
            ),
            (
                "Discharged to Larkfield Recovery Partners, LLC on Monday.",
                Org,
                "Larkfield Recovery Partners, LLC",
            ),
            (
                "ADMITTED TO ATHLONE ACUTE ASSESSMENT UNIT OVERNIGHT.",
                Org,
                "ATHLONE ACUTE ASSESSMENT UNIT",
            ),
            (
                "Address: 17-230 Quarry Lane, Nanaimo",
                Addr,
                "17-230 Quarry Lane",
            ),
            (
                "Lives at 9 Dunmore Road, Unit 4 with her aunt.",
                Addr,
                "9 Dunmore Road, Unit 4",
            ),
            (
                "Address: flat 3, 27 Kowhai Street, Ōtaki 5512",
                Addr,
                "flat 3, 27 Kowhai Street",
            ),
            (
                "Address: 27 Kowhai Street, Ōtaki 5512",
                crate::Category::Zip,
                "5512",
            ),
            (
                "Lives at Unit 6, 23-25 Rata Crescent with her sister.",
                Addr,
                "Unit 6, 23-25 Rata Crescent",
            ),
            (
                "She teaches for Thornbury Creek School District No. 4 now.",
                Org,
                "Thornbury Creek School District No. 4",
            ),
            (
                "He rode with the Kelvale Volunteer Fire Brigade #2 for years.",
                Org,
                "Kelvale Volunteer Fire Brigade #2",
            ),
            (
                "he started at st kevin's after the move.",
                crate::Category::Location,
                "st kevin's",
            ),
            (
                "she was at saint bridget's for a week",
                crate::Category::Location,
                "saint bridget's",
            ),
            (
                "The Kenmore District School Board was told.",
                Org,
                "Kenmore District School Board",
            ),
            (
                "Her father moved into Wattle Grove Aged Care Facility in May.",
                Org,
                "Wattle Grove Aged Care Facility",
            ),
            (
                "He lives at 118 Church Road, RD 2, Waimate.",
                Addr,
                "118 Church Road, RD 2",
            ),
            (
                "She rents from Tui Valley Housing Co-operative now.",
                Org,
                "Tui Valley Housing Co-operative",
            ),
            (
                "He is on the books of Harbourside Employment Services Pty Ltd since June.",
                Org,
                "Harbourside Employment Services Pty Ltd",
            ),
            (
                "Funding came from Greywater Health and Social Care Partnership today.",
                Org,
                "Greywater Health and Social Care Partnership",
            ),
            (
                "He was at Mount Alder Residential Care Home in March.",
                Org,
                "Mount Alder Residential Care Home",
            ),
            // Issue 9: whole names and addresses in shapes found only in part before.
            (
                "Office: Suite 310 - 4471 East Broadway, Vancouver.",
                Addr,
                "Suite 310 - 4471 East Broadway",
            ),
            (
                "Address: THE OLD GRANARY, MILL LANE, NETHER WOLVEY.",
                Addr,
                "THE OLD GRANARY, MILL LANE",
            ),
            (
                "she lives at 18 the orchard with nan.",
                Addr,
                "18 the orchard",
            ),
            ("address 902 s birch st apt 4", Addr, "902 s birch st apt 4"),
            (
                "Home: 7 Bóthar an Chladaigh, Galway.",
                Addr,
                "7 Bóthar an Chladaigh",
            ),
            (
                "She is in second class at gaelscoil na gcrann.",
                Org,
                "gaelscoil na gcrann",
            ),
            (
                "Letters go to NHS Forth Valley and the GP.",
                Org,
                "NHS Forth Valley",
            ),
            (
                "She was referred by Tamarind Health last year.",
                Org,
                "Tamarind Health",
            ),
            (
                "Her employer, Brackwater Property Management Group, agreed.",
                Org,
                "Brackwater Property Management Group",
            ),
            (
                "HE IS AT ST. FINBARR'S PRIMARY, YEAR 4.",
                Org,
                "ST. FINBARR'S PRIMARY",
            ),
            (
                "Seen by the team at Darling Downs HHS.",
                Org,
                "Darling Downs HHS",
            ),
            (
                "He attends École secondaire Mont-Royal in Laval.",
                Org,
                "École secondaire Mont-Royal",
            ),
        ];
        for (text, cat, want) in cases {
            let got = spans_of(text, *cat);
            assert!(
                got.iter().any(|g| g == want),
                "{text:?}: want {want:?}, got {got:?}"
            );
        }
    }

    #[test]
    fn organisations_without_capitals_and_before_of() {
        use crate::Category::Organization as Org;
        // (text, the organisation span wanted); invented places and services.
        let found: &[(&str, &str)] = &[
            (
                "he has been a member of the lions club of invercargill since 2010.",
                "lions club of invercargill",
            ),
            (
                "SHE STUDIES AT THE UNIVERSITY OF LIMERICK PART TIME.",
                "UNIVERSITY OF LIMERICK",
            ),
            (
                "referred on by the north tipperary mental health service last week.",
                "north tipperary mental health service",
            ),
            (
                "DISCHARGED FROM BRAMBLEWICK BEHAVIOURAL HEALTH CENTRE ON FRIDAY.",
                "BRAMBLEWICK BEHAVIOURAL HEALTH CENTRE",
            ),
            (
                "her son goes to st oonagh's national school now.",
                "st oonagh's national school",
            ),
        ];
        for (text, want) in found {
            let got = spans_of(text, Org);
            assert!(
                got.iter().any(|g| g.contains(want)),
                "{text:?}: want {want:?}, got {got:?}"
            );
        }
        // Common words and clinical shorthand before an organisation noun are not a name.
        let not_found = [
            "he did receive a second unit of prbc's overnight.",
            "PLAN IS TO GIVE SECOND UNIT, FOLLOW HEMATOCRITS.",
            "confused this afternoon, but cooperative and following commands.",
            "she went back to the student counselling service on monday.",
            "helpful with the care team and the plan.",
        ];
        for text in not_found {
            let got = spans_of(text, Org);
            assert!(got.is_empty(), "{text:?}: got {got:?}");
        }
    }

    #[test]
    fn postcodes_after_an_address_town_in_any_case() {
        use crate::Category::{State, Zip};
        for (text, cat, want) in [
            (
                "client at 190 birch crescent, gods river, mb  x5j 5s4.",
                Zip,
                "x5j 5s4",
            ),
            (
                "client at 190 birch crescent, gods river, mb  x5j 5s4.",
                State,
                "mb",
            ),
            (
                "home to 178 sycamore court, newmarket on fergus, t12 2tdr with dad.",
                Zip,
                "t12 2tdr",
            ),
            (
                "caller at 107 oilvares road, carmunnock eh25 7cc, alone.",
                Zip,
                "eh25 7cc",
            ),
            (
                "Caller at 73 Baxter Grove, Castlebar, F26 8491, alone.",
                Zip,
                "F26 8491",
            ),
        ] {
            let got = spans_of(text, cat);
            assert!(got.iter().any(|g| g == want), "{text:?}: {got:?}");
        }
        // Without a street address on the line, a town and a word are not an address.
        assert!(spans_of("moved to castlebar in 2019 and likes it.", Zip).is_empty());
    }

    #[test]
    fn towns_and_regions_closing_a_place() {
        use crate::Category::{City, Organization as Org, State, Zip};
        for (text, cat, want) in [
            // A town taken for a person in an address's town slot, its region and postcode.
            ("met at 14 tawa rise, ngaio vic 3081, alone.", City, "ngaio"),
            ("met at 14 tawa rise, ngaio vic 3081, alone.", State, "vic"),
            ("met at 14 tawa rise, ngaio vic 3081, alone.", Zip, "3081"),
            (
                "VISIT AT 9 KAURI ROAD, MARGARET 4012; NOBODY HOME.",
                Zip,
                "4012",
            ),
            ("VISIT AT 9 KAURI ROAD, DELTA, BC V4K 1A1.", State, "BC"),
            // A region after a town, a street address or an organisation.
            ("She was raised in Truro, NS before the move.", State, "NS"),
            (
                "RAISED IN WEST GLENFIELD, QLD; LEFT AT 16.",
                City,
                "WEST GLENFIELD",
            ),
            ("RAISED IN WEST GLENFIELD, QLD; LEFT AT 16.", State, "QLD"),
            ("Her mother lives in Omagh, Ulster now.", State, "Ulster"),
            (
                "Grew up in Oxford, Canterbury and moved north.",
                State,
                "Canterbury",
            ),
            // An organisation's town.
            (
                "Employer: Pinecrest Joinery Ltd, Orange. Aware.",
                City,
                "Orange",
            ),
            // The words naming a service before its noun and place.
            (
                "Referred to Early Intervention in Psychosis Service Arklow today.",
                Org,
                "Early Intervention in Psychosis Service Arklow",
            ),
            (
                "PREVIOUSLY OPEN TO PERINATAL MENTAL HEALTH TEAM OAKDALE UNTIL MAY.",
                Org,
                "PERINATAL MENTAL HEALTH TEAM OAKDALE",
            ),
            (
                "referred on to men's shed ruatoria; gp informed.",
                Org,
                "men's shed ruatoria",
            ),
        ] {
            let got = spans_of(text, cat);
            assert!(got.iter().any(|g| g == want), "{text:?} {cat:?}: {got:?}");
        }
        for (text, cat, not) in [
            // A code is no region where it is a measure or a credential.
            ("unable to wedge, pa 56/34 range.", State, "pa"),
            ("Seen by J. Yi, MD. Pain settled.", State, "MD"),
            // After "for", only places and names join an organisation on a line without case.
            (
                "REFERRED TO CRISIS TEAM ARKLOW FOR FOLLOW-UP.",
                Org,
                "CRISIS TEAM ARKLOW FOR FOLLOW",
            ),
            // A weekday after an organisation is no town.
            ("Works at Tesco, Sundays. Enjoys it.", City, "Sundays"),
        ] {
            let got = spans_of(text, cat);
            assert!(!got.iter().any(|g| g == not), "{text:?} {cat:?}: {got:?}");
        }
    }

    #[test]
    fn employers_after_job_cues_on_lines_without_case() {
        let org = |text: &str| spans_of(text, crate::Category::Organization);
        for (text, want) in [
            (
                "works part-time for oak tannery and trains on sundays.",
                "oak tannery",
            ),
            (
                "WORKS PART-TIME FOR STONE CHAPEL AND TRAINS ON SUNDAYS.",
                "STONE CHAPEL",
            ),
            (
                "started a new job at orchard cedar in june; hours are long.",
                "orchard cedar",
            ),
            (
                "works nights at wexley & doyle and hates it.",
                "wexley & doyle",
            ),
            ("STATES WORK AT BRYNVALE IS RELENTLESS.", "BRYNVALE"),
        ] {
            assert!(
                org(text).iter().any(|o| o == want),
                "{text:?}: {:?}",
                org(text)
            );
        }
        for text in [
            "works at home and at the bakery.",
            "works for her uncle on weekends.",
            "works at bakery.",
            "works part-time for the council.",
            "is working for a security firm.",
            "works at night shift.",
            "job at the weekend was fine.",
            "tf stopped early in shift for high residuals, restarted later.",
            "meeting w/ social work for emotional support due to stress.",
            "WORKS FOR HIMSELF.",
            "works with children and adolescents.",
        ] {
            assert!(org(text).is_empty(), "{text:?}: {:?}", org(text));
        }
    }

    #[test]
    fn given_names_and_surnames_join_a_name_on_lines_without_case() {
        for (text, want) in [
            (
                "CRISIS CONTACT 16:45. CALLER MAEVE BAKER ON 07700 900961.",
                "MAEVE BAKER",
            ),
            (
                "COUPLE SESSION: BAILEY STONE AND TRACY MARTIN, 21 AUG.",
                "BAILEY STONE",
            ),
            (
                "lives with louie walker, 99-year-old, in town.",
                "louie walker",
            ),
        ] {
            assert!(
                names(text).iter().any(|n| n == want),
                "{text:?}: {:?}",
                names(text)
            );
        }
        // A modal verb or a function word before a name stays out.
        for (text, not) in [
            ("PT WILL SEE DR BAKER TOMORROW.", "WILL"),
            ("plan to call baker tomorrow.", "call baker"),
        ] {
            assert!(
                !names(text).iter().any(|n| n.contains(not)),
                "{text:?}: {:?}",
                names(text)
            );
        }
    }

    #[test]
    fn a_surname_after_a_one_word_name_no_list_holds() {
        // A name found alone (by the scorer or a cue) whose word is no listed given name takes
        // the capitalised surname after it; an organisation noun after it is no surname.
        let text = "BIRP Progress Note - Ngaio Walker (NW) - seen 16/04/2021.";
        assert!(
            names(text).iter().any(|n| n == "Ngaio Walker"),
            "{:?}",
            names(text)
        );
        let text = "Ngaio Hospital staff called.";
        assert!(
            !names(text).iter().any(|n| n.contains("Hospital")),
            "{:?}",
            names(text)
        );
    }

    #[test]
    fn one_capitalised_word_between_two_spans_joins_them() {
        use crate::Category::Organization as Org;
        let text = "She got help from Citizens Advice Bureau Leeds.";
        let got = spans_of(text, Org);
        assert!(
            got.iter().any(|g| g == "Citizens Advice Bureau Leeds"),
            "{got:?}"
        );
        // A weekday between two names is no part of them.
        let text = "Saw Anna Kowalski Friday Grace Obi came too.";
        assert!(
            !names(text).iter().any(|n| n.contains("Friday")),
            "{:?}",
            names(text)
        );
    }

    #[test]
    fn capitalised_words_before_a_place_name_an_organisation() {
        use crate::Category::Organization as Org;
        let cases: &[(&str, &str)] = &[
            (
                "She rang the Befrienders of Tasmania twice.",
                "Befrienders of Tasmania",
            ),
            (
                "He was linked with Jumpstart Galway in May.",
                "Jumpstart Galway",
            ),
            (
                "Referred to Women's Aid Dundalk last spring.",
                "Women's Aid Dundalk",
            ),
            (
                "Stays with Cork Simon Community at present.",
                "Cork Simon Community",
            ),
            ("She works at Gleason Brothers in town.", "Gleason Brothers"),
        ];
        for (text, want) in cases {
            let got = spans_of(text, Org);
            assert!(got.iter().any(|g| g == want), "{text:?}: {got:?}");
        }
        // Not a sentence's first word, a direction, a given name alone or a first-aid course.
        for text in [
            "Galway was wet.",
            "Moved to North Cork in 2019.",
            "Stayed with Mary Galway for a week.",
            "She did a First Aid course.",
        ] {
            assert!(
                spans_of(text, Org).is_empty(),
                "{text:?}: {:?}",
                spans_of(text, Org)
            );
        }
    }

    #[test]
    fn given_names_join_a_found_name_on_lines_without_case() {
        for (text, want) in [
            (
                "COUPLE SESSION: ANJA AND SANNE DE GROOT, 6 MAY.",
                "SANNE DE GROOT",
            ),
            ("HER AUNT (AROHANUI WALKER, 71) VISITS.", "AROHANUI WALKER"),
        ] {
            assert!(
                names(text).iter().any(|n| n == want),
                "{text:?}: {:?}",
                names(text)
            );
        }
    }

    #[test]
    fn irish_particles_join_a_name() {
        for (text, want) in [
            ("He works for Bord na Móna in Newbridge.", "Bord na Móna"),
            ("Her name is Máire Uí Bhriain.", "Máire Uí Bhriain"),
        ] {
            assert!(
                names(text).iter().any(|n| n == want),
                "{text:?}: {:?}",
                names(text)
            );
        }
        // "na" as "not applicable" before a field label is no particle.
        for text in ["Allergies: na Smoking: never.", "BP na. HR 80"] {
            assert!(names(text).is_empty(), "{text:?}: {:?}", names(text));
        }
    }

    #[test]
    fn place_names_keep_their_opening_and_closing_words() {
        let all = |text: &str| {
            let d = Deidentifier::builder().build().unwrap();
            d.detect(text)
                .into_iter()
                .map(|s| text[s.start..s.end].to_string())
                .collect::<Vec<_>>()
        };
        for (text, want) in [
            ("GREW UP IN PORT READING, CO; MOVED AWAY.", "PORT READING"),
            (
                "Hablamos de la escuela Las Vegas Academy; la maestra llamó.",
                "Las Vegas Academy",
            ),
            (
                "Their son stays with a friend in Duncan Falls on weekends.",
                "Duncan Falls",
            ),
            (
                "Follow-up at New Cassel Medical Centre next week.",
                "New Cassel Medical Centre",
            ),
        ] {
            assert!(
                all(text).iter().any(|o| o == want),
                "{text:?}: {:?}",
                all(text)
            );
        }
        // A lower-case word before a capitalised place on a mixed-case line stays out.
        assert!(!all("She moved to the new Denver office.")
            .iter()
            .any(|o| o.starts_with("new")));
    }

    #[test]
    fn a_place_before_a_teams_age_group_is_the_team() {
        let org = |text: &str| spans_of(text, crate::Category::Organization);
        for (text, want) in [
            (
                "Trains with Stourport-on-Severn Under-14s twice a week.",
                "Stourport-on-Severn Under-14s",
            ),
            (
                "Hopes to join Otatara Under-12s after the holidays.",
                "Otatara Under-12s",
            ),
        ] {
            assert!(
                org(text).iter().any(|o| o == want),
                "{text:?}: {:?}",
                org(text)
            );
        }
        // An age limit that names no team.
        assert!(org("Her daughter plays under 12 football in Leeds.").is_empty());
    }

    #[test]
    fn an_initial_and_a_title_before_a_name_belong_to_it() {
        for (text, want) in [
            (
                "Elle a appelé Dr Ó Dónaill au 083 147 0809.",
                "Dr Ó Dónaill",
            ),
            (
                "Met with Mx Ó Súilleabháin (year head).",
                "Mx Ó Súilleabháin",
            ),
            ("Follow-up with Dr. ter Horst next week.", "Dr. ter Horst"),
            ("C. HICKEY AWARE OF LOW U/O, PLAN TO RECHECK.", "C. HICKEY"),
        ] {
            assert!(has(text, want), "{text:?}: {:?}", names(text));
        }
        // Initials in a row ("J.R. Smith") stay as the detectors found them; a letter ending
        // a sentence is no initial of the next name when a dot comes before it too.
        assert!(!names("Tested A.B. Smith today.")
            .iter()
            .any(|n| n.starts_with("B.")));
    }

    #[test]
    fn initials_closing_a_heading_even_when_they_spell_a_word() {
        for (text, want) in [
            (
                "Transcript excerpt - session Saturday the 13th - NH\nCounsellor: Hello.",
                "NH",
            ),
            (
                "Transcript excerpt - session Monday the 2nd - IS\nT: How was the week?",
                "IS",
            ),
        ] {
            assert!(has(text, want), "{text:?}: {:?}", names(text));
        }
        // On lines without case: two letters even when the big English list has them.
        for (text, want) in [
            (
                "TRANSCRIPT EXCERPT - SESSION FRIDAY THE 3RD - MF\nCLINICIAN: HOW WAS IT?",
                "MF",
            ),
            (
                "transcript excerpt - session monday the 2nd - jt\ntherapist: how was it?",
                "jt",
            ),
        ] {
            assert!(has(text, want), "{text:?}: {:?}", names(text));
        }
        // Not on a line in capitals, where a state code or a function word is as likely, nor
        // a clinical abbreviation in lower case.
        assert!(!has("TRANSFER NOTE - PORTSMOUTH - NH\nSEEN TODAY.", "NH"));
        assert!(!has("DISCHARGE PLAN - HOME - IT\nSEEN TODAY.", "IT"));
        assert!(!has("sertraline 50 mg - bd\nseen today.", "bd"));
        // A speaker label in capitals is no cue for the word after it.
        assert!(!has(
            "CLINICIAN: HOW WAS THE WEEK?\nCLIENT: NOT GREAT.",
            "HOW"
        ));
    }

    #[test]
    fn clubs_schools_and_companies_by_their_form() {
        use crate::Category::Organization as Org;
        // On lines without case, a club's, school's or company's form makes the words before
        // it an organisation even when no dictionary knows them as a place or name.
        for (text, want) in [
            (
                "SHE HOPES TO JOIN ARTANE CELTIC AFC NEXT YEAR.",
                "ARTANE CELTIC AFC",
            ),
            ("he plays for st judes gaa on sundays.", "st judes gaa"),
            ("moved to scoil naomh brid bns in march.", "naomh brid bns"),
            (
                "HE WORKS FOR QUARRAVAN TAXIS LTD NOW.",
                "QUARRAVAN TAXIS LTD",
            ),
        ] {
            let got = spans_of(text, Org);
            assert!(got.iter().any(|g| g.contains(want)), "{text:?}: {got:?}");
        }
        // Not where the words before it are common English or clinical shorthand, and not
        // "fc" or "inc", which are "follows commands" and "increased" in nursing notes.
        for text in [
            "he joined the local gaa last year.",
            "NEURO: ALERT, MAE FC, PEARLA.",
            "PROPOFOL INC TO 40 MCG/KG/MIN.",
            "HE WAS ON 2 UNITS FC AND PLATELETS.",
        ] {
            let got = spans_of(text, Org);
            assert!(got.is_empty(), "{text:?}: {got:?}");
        }
    }

    #[test]
    fn people_listed_after_an_attendance_label() {
        let text = "PRESENT: CIARÁN, PD, GRACE G., CC, IS AND BETUL. APOLOGIES: FRANCIS L.\nNotes.";
        for want in ["CIARÁN", "PD", "GRACE G.", "CC", "IS", "BETUL"] {
            assert!(has(text, want), "{want}: {:?}", names(text));
        }
        let text = "present: ward, io, joy p., ts and courtney.\nmood low.";
        for want in ["ward", "io", "joy p.", "ts", "courtney"] {
            assert!(has(text, want), "{want}: {:?}", names(text));
        }
        // Each listed person gets a span of their own, even where a span found before ran
        // over the comma between two of them.
        let text = "PRESENT: CIARÁN, PD, GRACE G., CC, IS AND BETUL. APOLOGIES: FRANCIS L.\nNotes.";
        assert!(
            !names(text).iter().any(|n| n.contains(',')),
            "{:?}",
            names(text)
        );
        let text = "Present: Martha, KC, Pearl A., NN and Bethan. Apologies: Celeste W.\nOk.";
        for want in ["Martha", "KC", "Pearl A.", "NN", "Bethan"] {
            assert!(has(text, want), "{want}: {:?}", names(text));
        }
        for text in [
            "Present: all members of the group.\nMood low.",
            "Present: client and mother.\nMood low.",
            "Present: 6 members, facilitator.\nMood low.",
            "Present: client, mother and RN.\nMood low.",
        ] {
            assert!(names(text).is_empty(), "{text:?}: {:?}", names(text));
        }
    }

    #[test]
    fn initials_owning_a_relative() {
        for (text, want) in [
            ("Family meeting re Sofia (KW's youngest) at school.", "KW"),
            ("FAMILY MEETING RE SOFIA (TM'S YOUNGEST) AT SCHOOL.", "TM"),
            ("family meeting re athena (zw's youngest) at school.", "zw"),
            ("Spoke with JT’s daughter by phone.", "JT"),
            // In parentheses, letters that spell an abbreviation too.
            ("Family meeting re Hemi (BP's eldest) at the kura.", "BP"),
            ("family meeting re ana (od's youngest) at school.", "od"),
        ] {
            assert!(has(text, want), "{text:?}: {:?}", names(text));
        }
        for (text, not) in [
            ("Letter to the GP's son about the plan.", "GP"),
            ("IT'S SON WAS THERE.", "IT"),
            ("family meeting re ana (gp's youngest) at school.", "gp"),
            ("family meeting re ana (mum's youngest) at school.", "mum"),
            ("The NHS's children and young people's service.", "NHS"),
        ] {
            assert!(!has(text, not), "{text:?}: {:?}", names(text));
        }
    }

    #[test]
    fn initials_of_names_and_name_lists() {
        let t = "Progress note - Idris Mbeki (IM) - seen 2 May. IM reports better sleep.";
        let n = names(t);
        assert_eq!(n.iter().filter(|x| *x == "IM").count(), 2, "{n:?}");
        let t = "Progress note - Ines Harwood-Okafor (IH) - seen 2 May.";
        assert!(names(t).iter().any(|x| x == "IH"), "{:?}", names(t));
        let t = "Transcript - session 3 - QW\nQW says sleep is better.";
        assert_eq!(
            names(t).iter().filter(|x| *x == "QW").count(),
            2,
            "{:?}",
            names(t)
        );
        let t = "Present: Brian, LA, Drew H., MS and Clodagh. MS left early.";
        let n = names(t);
        for want in ["LA", "MS"] {
            assert!(n.iter().any(|x| x == want), "{want}: {n:?}");
        }
        let t = "Present: Rowena, KT, Delphine A., JW and Tobias. KT left early.";
        let n = names(t);
        for want in ["KT", "JW", "Delphine A."] {
            assert!(n.iter().any(|x| x == want), "{want}: {n:?}");
        }
        assert_eq!(n.iter().filter(|x| *x == "KT").count(), 2, "{n:?}");
    }

    #[test]
    fn address_lines_never_panic_and_stay_disjoint() {
        // A span right after the separator, spans touching, non-ASCII around the boundaries.
        let d = Deidentifier::builder().build().unwrap();
        for text in [
            "Lives at 12 Oak St, 021 555 0199",
            "Lives at 12 Oak St,021 555 0199, Ōtaki 5512",
            "12 Oak St, , Kumeu 2087 2087",
            "flat 2, 12 Oak St, Ōtaki, NSW 2087\nUnit 9, 4 Rua Rd, Māngere 2022",
            "Unit 9,12 Oak St, é 2087",
        ] {
            let spans = d.detect(text);
            for w in spans.windows(2) {
                assert!(w[0].end <= w[1].start, "{text:?}: {spans:?}");
            }
            for s in &spans {
                assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            }
        }
    }

    #[test]
    fn organisation_numbers() {
        for (rest, took_no, want) in [
            (" No. 12 today", false, Some(7)),
            (" No 3,", false, Some(5)),
            (" #2 for", false, Some(3)),
            (" NO. 7", false, Some(6)),
            (" no. 3 to the ed", false, Some(6)),
            (" no one", false, None),
            (". 12 today", true, Some(4)),
            (" 3,", true, Some(2)),
            (" No. 12B", false, None),
            (" No. 12345", false, None),
            (" No one", false, None),
            ("No. 3", false, None),
            (" one", true, None),
        ] {
            assert_eq!(super::org_number(rest, took_no), want, "{rest:?}");
        }
    }

    #[test]
    fn marks_and_number_words_written_with_a_number() {
        use crate::Category::{Id, StreetAddress};
        for (text, cat, want) in [
            ("Client ID #48213 closed.", Id, Some("#48213")),
            ("File #A-55812 opened.", Id, Some("#A-55812")),
            // A '#' glued to a word is that word's ("MRN#"), not the number's.
            ("MRN#0048213 on file.", Id, Some("0048213")),
            (
                "He lives at No. 6 Cottage Row, Cong.",
                StreetAddress,
                Some("No. 6 Cottage Row"),
            ),
            (
                "lives at no 14 main st, ennis",
                StreetAddress,
                Some("no 14 main st"),
            ),
            (
                "Lives at Flat 2/1, 14 Hyndland Road, Glasgow.",
                StreetAddress,
                Some("Flat 2/1, 14 Hyndland Road"),
            ),
            (
                "lives at flat 3/2, 8 dumbarton rd, glasgow",
                StreetAddress,
                Some("flat 3/2, 8 dumbarton rd"),
            ),
        ] {
            let got = spans_of(text, cat);
            assert_eq!(got.first().map(String::as_str), want, "{text:?}: {got:?}");
        }
        // A date after a flat word is no date; one elsewhere still is.
        assert!(spans_of("lives at flat 3/2, 8 dumbarton rd", crate::Category::Date).is_empty());
        assert_eq!(
            spans_of("seen on 3/2 at the flat.", crate::Category::Date),
            ["3/2"]
        );
    }

    #[test]
    fn acronyms_of_organisations() {
        for (short, long, want) in [
            ("HVCS", "Harbour View Counselling Service", true),
            ("BWL", "Brightwater Logistics Ltd", true),
            ("UHG", "University Hospital Galway", true),
            ("A&E", "Accident and Emergency", true),
            ("ED", "University Hospital Galway", false),
            // The first letter must open a word.
            ("OS", "Kessock Primary School", false),
            ("", "Kessock Primary School", false),
        ] {
            assert_eq!(super::abbreviates(short, long), want, "{short} / {long}");
        }
        let text = "Referred to Harbour View Counselling Service (HVCS) in June. HVCS offered \
                    six sessions; HVCSX is no match.";
        let orgs = spans_of(text, crate::Category::Organization);
        assert_eq!(orgs, ["Harbour View Counselling Service", "HVCS", "HVCS"]);
        // Brackets after something that is no organisation define nothing.
        let text = "Seen at Riverside Clinic (ED) then home; ED busy.";
        assert_eq!(
            spans_of(text, crate::Category::Organization),
            ["Riverside Clinic"]
        );
    }

    #[test]
    fn completion_stops_where_names_stop() {
        // Clinical abbreviations in a list are not initials; a title is not a surname.
        let n = names("BP, HR and RR stable; seen by Dr Hallam.");
        assert!(!n.iter().any(|x| x == "HR" || x == "RR"), "{n:?}");
        // An ordinary lower-case word after a name is not its surname.
        assert!(!names("Then Brody went home.")
            .iter()
            .any(|x| x.contains("went")));
        // A speaker label is structure: the pronoun after it is no name.
        assert!(names("Client: My nan's 94 now.").is_empty());
        // A comma after an ordinary word is not an inverted name.
        assert!(!names("Yesterday, Annabel said no.")
            .iter()
            .any(|x| x.contains("Yesterday")));
    }

    #[test]
    fn organisations_take_their_conjoined_and_possessive_words() {
        use crate::Category::{Name, Organization as Org};
        // (text, category, span wanted); invented names.
        for (text, cat, want) in [
            // "<Word> and" before an organisation found from its second word.
            (
                "Family and Youth Services of Carrow County rang back.",
                Org,
                "Family and Youth Services of Carrow County",
            ),
            (
                "The matter is in the Federal Circuit and Family Court at Brisbane.",
                Org,
                "Federal Circuit and Family Court",
            ),
            // A possessive between the place and the organisation noun.
            (
                "Social worker (Kelderby Children's Services) phoned.",
                Org,
                "Kelderby Children's Services",
            ),
            // A clinical safe-list word may be one word of a brand before a place.
            (
                "He was referred by Open Arms Townsville last year.",
                Org,
                "Open Arms Townsville",
            ),
            // "<words> and <words> <noun> of [place prefix] <place>" on a line without case.
            (
                "she attends boys and girls club of greater sudbury after school.",
                Org,
                "boys and girls club of greater sudbury",
            ),
            // On a lower-case line a preposition ends the name: no organisation; the relation
            // word is no part of the name.
            ("pt seen w mum, sister kayleigh at school", Name, "kayleigh"),
            // Nor does a verb in the past tense belong to an organisation's name.
            ("mum says liam refused school again", Name, "liam"),
            ("C: Yeah, Bronwyn at the chemist said so.", Name, "Bronwyn"),
            // A listed chain (rules/dictionaries/organisations.tsv).
            ("mum on shift at morrisons", Org, "morrisons"),
            ("C: Hope from Woolies covers my shifts.", Org, "Woolies"),
            // Friends and next of kin are relations.
            ("my mate hemi from touch said he'd come", Name, "hemi"),
            ("NOK PEADAR TO BE CALLED IF ANY CHANGE", Name, "PEADAR"),
        ] {
            let got = spans_of(text, cat);
            assert!(got.iter().any(|g| g == want), "{text:?}: {got:?}");
        }
        // Not a person's given name, a relation, nor words after a capitalised one.
        for (text, not) in [
            (
                "She met Mary and Children's Services of Carrow County.",
                "Mary and",
            ),
            (
                "pt seen w mum, sister kayleigh at school",
                "kayleigh at school",
            ),
        ] {
            let got = spans_of(text, Org);
            assert!(!got.iter().any(|g| g.contains(not)), "{text:?}: {got:?}");
        }
        assert!(spans_of("He was seen in Emergency Townsville.", Org).is_empty());
    }

    #[test]
    fn a_dash_and_an_organisation_noun_continue_an_organisation() {
        use crate::Category::Organization as Org;
        // (text, the organisation wanted); invented services, in every case of line.
        for (text, want) in [
            (
                "Referred to Corrowin Hospice - Family Support Services for grief work.",
                "Corrowin Hospice - Family Support Services",
            ),
            (
                "REFERRED TO CORROWIN HOSPICE \u{2013} FAMILY SUPPORT SERVICES FOR GRIEF WORK.",
                "CORROWIN HOSPICE \u{2013} FAMILY SUPPORT SERVICES",
            ),
            (
                "referred to corrowin hospice - family support services for grief work.",
                "corrowin hospice - family support services",
            ),
            // An industrial site named for its company.
            (
                "HE WORKED AT THE FORD MOTOR COMPANY ASSEMBLY PLANT IN OAKVILLE.",
                "FORD MOTOR COMPANY ASSEMBLY PLANT",
            ),
        ] {
            let got = spans_of(text, Org);
            assert!(got.iter().any(|g| g == want), "{text:?}: {got:?}");
        }
        // What follows a dash without an organisation noun is no part of it, and a sentence's
        // words before an organisation on an ALL-CAPS line are not a header segment's.
        for (text, not) in [
            (
                "Seen at Corrowin Hospice - Initial Assessment.",
                "Assessment",
            ),
            ("Seen at Corrowin Hospice - she was settled.", "settled"),
            (
                "REFERRED TO CORROWIN HOSPICE - FAMILY SUPPORT SERVICES.",
                "REFERRED",
            ),
        ] {
            let got = spans_of(text, Org);
            assert!(!got.iter().any(|g| g.contains(not)), "{text:?}: {got:?}");
        }
    }

    #[test]
    fn a_listed_service_and_its_town_are_one_organisation() {
        use crate::Category::Organization as Org;
        // (text, the organisation wanted); invented towns and branches of listed services.
        for (text, want) in [
            (
                "She was referred by headspace Ballarat in March.",
                "headspace Ballarat",
            ),
            (
                "REFERRED BY HEADSPACE TOWNSVILLE FOR ANXIETY.",
                "HEADSPACE TOWNSVILLE",
            ),
            (
                "Mum now works at Tesco Basingstoke on nights.",
                "Tesco Basingstoke",
            ),
            (
                "He goes to the VFW Post 1289 most evenings.",
                "VFW Post 1289",
            ),
            (
                "Dad drinks at Elks Lodge 1031 on Fridays.",
                "Elks Lodge 1031",
            ),
        ] {
            let got = spans_of(text, Org);
            assert!(got.iter().any(|g| g == want), "{text:?}: {got:?}");
        }
        // A year is no branch number; a listed word that is a very common word stays a word.
        let got = spans_of("He joined VFW Post in 2019.", Org);
        assert!(!got.iter().any(|g| g.contains("2019")), "{got:?}");
        let got = spans_of("she was out of her mind ballarat way", Org);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn given_names_of_other_registers_on_lines_without_case() {
        // Names in the UK, Irish, NZ and Ontario registers only, on one-case lines.
        for (text, want) in [
            ("rawiri rang from the hostel, says he's fine", "rawiri"),
            ("SAW CAOIMHE AND HER MUM TODAY.", "CAOIMHE"),
        ] {
            assert!(has(text, want), "{text:?}: {:?}", names(text));
        }
        // Clinical words and short words stay words.
        let got = names("pt reports mild nausea, tolerating diet");
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn state_codes_that_are_words_after_a_place_phrase() {
        use crate::Category::State;
        for (text, want) in [
            (
                "social history: born in worcester, ma; moved here in 2018.",
                "ma",
            ),
            ("father resides in boise, id. pediatrician to follow.", "id"),
        ] {
            let got = spans_of(text, State);
            assert!(got.iter().any(|g| g == want), "{text:?}: {got:?}");
        }
        // A pronoun or preposition after the comma is that word.
        for text in [
            "born in worcester, me and my sister",
            "he was at the game in boston, me too",
        ] {
            let got = spans_of(text, State);
            assert!(got.is_empty(), "{text:?}: {got:?}");
        }
        // A cue phrase is never a name ("father lives in boise").
        let got = names("father lives in boise.");
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_speakers_one_word_reply_is_no_name() {
        let text = "Counsellor: And Jade, how are you?\nJade: Fine.\nCounsellor: And the dog?\nJade: Barney's fine.\n";
        let got = names(text);
        assert!(!got.iter().any(|n| n == "Fine"), "{got:?}");
        assert!(got.iter().any(|n| n == "Jade"), "{got:?}");
    }
}

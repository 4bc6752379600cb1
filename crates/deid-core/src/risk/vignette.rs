//! Generalisation: the greedy search for rewrites that bring a text to the audience's k
//! (in the spirit of Datafly), and the supervision-vignette rewrite.

use super::data::RiskData;
use super::{
    estimate, triggers, Assessment, Holder, Level, Mention, RiskOptions, Slot, Suggestion,
};
use crate::{Category, Span};
use std::collections::HashMap;

/// One change the vignette mode made.
#[derive(Clone, Debug)]
pub struct Change {
    /// Byte range in the original text.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// `direct` (an identifier replaced) or `quasi` (a detail generalised).
    pub kind: &'static str,
    /// The category (`NAME`, `DATE`, ...) or slot (`age`, `occupation`, ...).
    pub label: String,
    /// What replaced it.
    pub replacement: String,
    /// Why, in plain words.
    pub reason: String,
}

/// A supervision vignette: the rewritten text, what changed, and the risk before and after.
#[derive(Clone, Debug)]
pub struct Vignette {
    /// The rewritten text.
    pub text: String,
    /// Every change, in text order.
    pub changes: Vec<Change>,
    /// The assessment of the original text (direct identifiers assumed removed).
    pub before: Assessment,
    /// The assessment of the rewritten text.
    pub after: Assessment,
}

fn age_ladder(lo: u32, hi: u32) -> Option<(u32, u32, String)> {
    if hi - lo < 9 && lo < 90 {
        let d = lo / 10 * 10;
        let word = match d {
            0 => return Some((0, 12, "child".into())),
            10 => return Some((13, 19, "teenage".into())),
            20 => "twenty",
            30 => "thirty",
            40 => "forty",
            50 => "fifty",
            60 => "sixty",
            70 => "seventy",
            _ => "eighty",
        };
        return Some((d, d + 9, format!("{word}-something")));
    }
    if lo >= 90 {
        return None;
    }
    match lo {
        0..=12 => None,
        13..=17 => Some((13, 24, "young".into())),
        18..=39 => Some((18, 39, "younger adult".into())),
        40..=64 => Some((40, 64, "middle-aged".into())),
        _ => Some((65, 99, "older".into())),
    }
}

fn uniqueness_replacement(surface: &str) -> String {
    let l = surface.to_lowercase();
    if l.starts_with("one of") {
        "one of the".into()
    } else if l.starts_with("only one") {
        "one".into()
    } else if l.starts_with("record") || l.starts_with("holds") {
        String::new()
    } else {
        "a".into()
    }
}

/// Grammar-preserving replacement of one mention by a more general phrase.
fn replacement_for(text: &str, m: &Mention, phrase: &str) -> String {
    let surface = &text[m.start..m.end];
    let lower = surface.to_lowercase();
    if m.slot == Slot::Family && lower.contains("twin") && phrase == "sibling" {
        let rest: Vec<&str> = surface
            .split_whitespace()
            .filter(|w| {
                !matches!(
                    w.to_lowercase().as_str(),
                    "twin" | "identical" | "fraternal"
                )
            })
            .collect();
        if rest.len() == 1 && matches!(rest[0].to_lowercase().as_str(), "her" | "his" | "their") {
            return format!("{} sibling", rest[0]);
        }
        if !rest.is_empty() {
            return rest.join(" ");
        }
    }
    for verb in ["speaks ", "uses ", "wears a ", "wears "] {
        if lower.starts_with(verb) && !phrase.is_empty() && !phrase.starts_with(verb.trim()) {
            return format!("{}{}", surface.get(..verb.len()).unwrap_or(verb), phrase);
        }
    }
    if m.slot == Slot::Occupation
        && lower.ends_with('s')
        && !phrase.is_empty()
        && !phrase.ends_with('s')
    {
        return format!("{phrase}s");
    }
    phrase.to_string()
}

#[derive(Clone)]
struct Work {
    mentions: Vec<Mention>,
}

fn lambda_q_of(
    data: &RiskData,
    ms: &[Mention],
    n: u64,
    z: f64,
    opts: &RiskOptions,
    country: Option<&str>,
) -> (f64, f64, usize) {
    let region = super::place_region(data, opts, country);
    let area = super::Area {
        country,
        region: region.as_deref(),
    };
    let (l, s, drivers, _) = estimate(data, ms, n, opts.audience, area);
    let t = triggers(ms, opts.audience, &drivers);
    (l, l * (-z * s).exp(), t.len())
}

/// Suggested generalisations, greedy by risk removed per unit of clinical meaning lost.
pub(crate) fn suggest(
    data: &RiskData,
    text: &str,
    a: &Assessment,
    opts: &RiskOptions,
) -> Vec<Suggestion> {
    if a.level == Level::Green {
        return Vec::new();
    }
    let n = a.population.value;
    let z = a.population.decision_z();
    let k = opts.audience.k() as f64;
    let mut w = Work {
        mentions: a.mentions.clone(),
    };
    let mut out: Vec<Suggestion> = Vec::new();
    // The mention index each suggestion finally changes.
    let mut finals: Vec<usize> = Vec::new();
    for _ in 0..24 {
        let (_, lq, nt) = lambda_q_of(data, &w.mentions, n, z, opts, a.country.as_deref());
        if nt == 0 && lq >= k - 1.0 {
            break;
        }
        let mut best: Option<(f64, usize, Mention, String, String)> = None;
        for (i, m) in w.mentions.iter().enumerate() {
            if !(m.holder == Holder::Client || m.holder == Holder::Other && m.anchor) || !m.known {
                continue;
            }
            let mut g = m.clone();
            let (replacement, reason) = match m.slot {
                Slot::Uniqueness => {
                    g.known = false;
                    g.holder = Holder::Clinician;
                    (
                        uniqueness_replacement(&text[m.start..m.end]),
                        "drop the uniqueness marker".to_string(),
                    )
                }
                Slot::Age => match m.age.and_then(|(lo, hi)| age_ladder(lo, hi)) {
                    Some((lo, hi, word)) => {
                        g.age = Some((lo, hi));
                        g.value = word.clone().into();
                        (word, "widen the age".to_string())
                    }
                    None if m.age.is_some_and(|(lo, _)| lo >= 90) => {
                        g.age = Some((80, 110));
                        g.value = "very elderly".into();
                        (
                            "very elderly".into(),
                            "ages over 89 become one band".to_string(),
                        )
                    }
                    None => continue,
                },
                Slot::Organisation => {
                    g.holder = Holder::Other;
                    (
                        m.value.to_string(),
                        "name the kind of organisation, not the organisation".to_string(),
                    )
                }
                Slot::Place => {
                    if !(m.named || m.restricted_zip) {
                        continue;
                    }
                    let p = m.population.unwrap_or(0);
                    g.named = false;
                    g.restricted_zip = false;
                    let phrase = if m.restricted_zip {
                        "[ZIP]"
                    } else if p <= 20_000 {
                        "a small town"
                    } else if p <= 200_000 {
                        "a regional town"
                    } else {
                        "a city"
                    };
                    (
                        phrase.to_string(),
                        "name the kind of place, not the place".to_string(),
                    )
                }
                Slot::Sex => continue,
                _ => {
                    let Some((phrase, share)) = m.ladder.first().cloned() else {
                        continue;
                    };
                    g.ladder.remove(0);
                    if phrase.is_empty() {
                        g.known = false;
                        g.holder = Holder::Clinician;
                    } else {
                        g.share = share.max(m.share);
                        g.value = phrase.clone();
                        g.anchor = false;
                        g.dated = false;
                        g.joint_hearing = false;
                        g.joint_vision = false;
                    }
                    let r = replacement_for(text, m, &phrase);
                    (
                        r,
                        if phrase.is_empty() {
                            "leave it out".to_string()
                        } else {
                            format!("generalise the {}", m.slot.plain())
                        },
                    )
                }
            };
            // Every mention of the same value moves together ("Deaf" said twice).
            let siblings: Vec<usize> = w
                .mentions
                .iter()
                .enumerate()
                .filter(|(_, x)| x.slot == m.slot && x.value == m.value && x.holder == m.holder)
                .map(|(j, _)| j)
                .collect();
            let mut trial = w.mentions.clone();
            for &j in &siblings {
                let mut gj = g.clone();
                gj.start = trial[j].start;
                gj.end = trial[j].end;
                trial[j] = gj;
            }
            let (_, lq2, nt2) = lambda_q_of(data, &trial, n, z, opts, a.country.as_deref());
            let gain = (lq2.max(f64::MIN_POSITIVE) / lq.max(f64::MIN_POSITIVE)).ln()
                + 8.0 * (nt as f64 - nt2 as f64);
            if gain <= 1e-6 {
                continue;
            }
            let mut cost = match m.slot {
                Slot::Uniqueness | Slot::Event | Slot::Organisation | Slot::Place => 0.5,
                _ => 1.0,
            };
            if opts.keep.contains(&m.slot) {
                cost *= 20.0;
            }
            if m.sensitive && matches!(m.slot, Slot::Condition | Slot::Disability) {
                cost *= 1.5;
            }
            let score = gain / cost;
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, i, g, replacement, reason));
            }
        }
        let Some((_, i, g, replacement, reason)) = best else {
            break;
        };
        let m = w.mentions[i].clone();
        let siblings: Vec<usize> = w
            .mentions
            .iter()
            .enumerate()
            .filter(|(_, x)| x.slot == m.slot && x.value == m.value && x.holder == m.holder)
            .map(|(j, _)| j)
            .collect();
        for j in siblings {
            let (s, e) = (w.mentions[j].start, w.mentions[j].end);
            let rep = if j == i {
                replacement.clone()
            } else {
                match m.slot {
                    Slot::Uniqueness => uniqueness_replacement(&text[s..e]),
                    Slot::Age | Slot::Organisation | Slot::Place => replacement.clone(),
                    _ => {
                        let phrase = m.ladder.first().map_or("", |l| &*l.0).to_string();
                        replacement_for(text, &w.mentions[j], &phrase)
                    }
                }
            };
            let mut gj = g.clone();
            gj.start = s;
            gj.end = e;
            w.mentions[j] = gj;
            match out.iter().position(|x| x.start == s && x.end == e) {
                Some(k) => {
                    out[k].replacement = rep;
                    out[k].reason = reason.clone();
                    finals[k] = j;
                }
                None => {
                    out.push(Suggestion {
                        attribute: m.slot,
                        start: s,
                        end: e,
                        replacement: rep,
                        reason: reason.clone(),
                        lambda_after: 0.0,
                    });
                    finals.push(j);
                }
            }
        }
    }
    // Order by position; the estimate after each suggestion counts it and every one before it.
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&k| out[k].start);
    let mut applied = a.mentions.clone();
    let mut sorted = Vec::with_capacity(out.len());
    for k in order {
        let j = finals[k];
        applied[j] = w.mentions[j].clone();
        let (l_after, _, _) = lambda_q_of(data, &applied, n, z, opts, a.country.as_deref());
        let mut sg = out[k].clone();
        sg.lambda_after = l_after;
        sorted.push(sg);
    }
    let mut out = sorted;
    // A dated event takes "the 2019 " before it ("the 2019 mill fire" -> "a serious accident").
    for sg in out.iter_mut().filter(|x| x.attribute == Slot::Event) {
        let before = super::mentions::tail(&text[..sg.start], 16);
        if let Some(m) = THE_YEAR_RE.find(before) {
            sg.start -= before.len() - m.start();
        }
    }
    out
}

static THE_YEAR_RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\bthe\s+(?:\d{4}\s+)?$").expect("the-year pattern")
});

fn relative_phrase(days: i64) -> String {
    let (n, unit) = if days.abs() < 14 {
        (days.abs(), "day")
    } else if days.abs() < 60 {
        (days.abs() / 7, "week")
    } else if days.abs() < 730 {
        (days.abs() / 30, "month")
    } else {
        (days.abs() / 365, "year")
    };
    let words = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let num = words
        .get(n as usize)
        .map_or(n.to_string(), |w| w.to_string());
    let plural = if n == 1 { "" } else { "s" };
    if days == 0 {
        "at the start of treatment".into()
    } else if days > 0 {
        format!("{num} {unit}{plural} into treatment")
    } else {
        format!("{num} {unit}{plural} before treatment")
    }
}

/// Builds the vignette text from the original, its direct spans and its assessment.
/// The people a note names: its name spans (in order), the person each one is (an index), and
/// how many people there are. One person per given name; a surname alone ("Ms Lopez") goes to
/// the first person with that surname, so a wife and a husband who share it stay two people.
pub(crate) fn name_people<'s>(text: &str, spans: &'s [Span]) -> (Vec<&'s Span>, Vec<usize>, usize) {
    let names: Vec<&Span> = spans
        .iter()
        .filter(|s| s.category == Category::Name)
        .collect();
    let toks = |s: &Span| -> Vec<String> {
        text[s.start..s.end]
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| {
                w.len() > 1
                    && !matches!(
                        w.to_lowercase().as_str(),
                        "dr" | "mr" | "mrs" | "ms" | "miss" | "mx"
                    )
            })
            .map(|w| {
                let mut l = w.to_lowercase();
                while l.ends_with("'s") {
                    l.truncate(l.len() - 2);
                }
                l
            })
            .collect()
    };
    // One person per given name, or per single word when no given name is known; a name is
    // the first person with its given name, or with its single word as given name, else as
    // family name. A person's given and family names never change once set (an entry without a
    // given name has none to match), so the first index per name can be kept in maps: a long
    // document with thousands of people costs one lookup per name, not a scan of everyone.
    let mut n_people = 0usize;
    let mut by_given: HashMap<String, usize> = HashMap::new();
    let mut by_family: HashMap<String, usize> = HashMap::new();
    let mut person_of: Vec<usize> = Vec::with_capacity(names.len());
    for s in &names {
        let mut t = toks(s);
        let (given, family, single) = match t.len() {
            0 => (None, None, None),
            1 => (None, None, t.pop()),
            _ => {
                let family = t.pop();
                (Some(t.swap_remove(0)), family, None)
            }
        };
        let key = given.as_ref().or(single.as_ref());
        let found = key
            .and_then(|k| by_given.get(k))
            .or_else(|| single.as_ref().and_then(|w| by_family.get(w)));
        if let Some(&i) = found {
            person_of.push(i);
            continue;
        }
        let i = n_people;
        n_people += 1;
        if let Some(g) = given.or(single) {
            by_given.entry(g).or_insert(i);
        }
        if let Some(f) = family {
            by_family.entry(f).or_insert(i);
        }
        person_of.push(i);
    }
    (names, person_of, n_people)
}

pub(crate) fn build(text: &str, spans: &[Span], a: &Assessment) -> (String, Vec<Change>) {
    let mut changes: Vec<Change> = Vec::new();
    let (names, person_of, n_people) = name_people(text, spans);
    // A group note (the word "group" and three or more people): everyone is a member.
    let group = text.to_lowercase().contains("group") && n_people >= 3;
    let mut counts = vec![0usize; n_people];
    for &p in &person_of {
        counts[p] += 1;
    }
    let client = if group {
        None
    } else {
        (0..n_people).max_by_key(|&i| (counts[i], usize::MAX - i))
    };
    let mut letter_of: Vec<Option<char>> = vec![None; n_people];
    let mut next = b'A';
    for (k, s) in names.iter().enumerate() {
        let p = person_of[k];
        let head = text[..s.start].trim_end();
        let prev_word = head
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let (start, replacement, reason) = if Some(p) == client {
            let sentence_start = head.is_empty() || head.ends_with(['.', '!', '?', '\n', ':']);
            let r = if sentence_start {
                "The client"
            } else {
                "the client"
            };
            (
                s.start,
                r.to_string(),
                "the client's name becomes a role".to_string(),
            )
        } else if super::mentions::RELATIVES.contains(&prev_word.as_str()) {
            // "her brother Tom" -> "her brother"
            (
                head.len(),
                String::new(),
                "a relative's name is left out; the relation stays".to_string(),
            )
        } else {
            let l = *letter_of[p].get_or_insert_with(|| {
                let c = next as char;
                next = next.saturating_add(1).min(b'Z');
                c
            });
            let r = if group {
                format!("Member {l}")
            } else {
                format!("Person {l}")
            };
            (
                s.start,
                r,
                "another person's name becomes a letter".to_string(),
            )
        };
        changes.push(Change {
            start,
            end: s.end,
            kind: "direct",
            label: "NAME".into(),
            replacement,
            reason,
        });
    }
    // Dates relative to the first one.
    let dates: Vec<(&Span, Option<i64>)> = spans
        .iter()
        .filter(|s| s.category == Category::Date)
        .map(|s| {
            let d = crate::date::parse(&text[s.start..s.end])
                .and_then(|w| crate::date::days_from_civil(w.year?, w.month?, w.day?));
            (s, d)
        })
        .collect();
    let origin = dates.iter().find_map(|(_, d)| *d);
    for (s, d) in &dates {
        let head = super::mentions::tail(&text[..s.start], 16).to_lowercase();
        let head = head.trim_end();
        let dob = ["dob", "dob:", "birth", "born", "born on"]
            .iter()
            .any(|w| head.ends_with(w));
        let mut start = s.start;
        let replacement = match (d, origin) {
            _ if dob => "(date of birth removed)".to_string(),
            (Some(d), Some(o)) => {
                let h = text[..s.start].trim_end();
                let near = super::mentions::tail(h, 8).to_lowercase();
                for w in [" on", " dated"] {
                    if near.ends_with(w) {
                        start = h.len() - w.len() + 1;
                    }
                }
                relative_phrase(d - o)
            }
            _ => "(date removed)".to_string(),
        };
        changes.push(Change {
            start,
            end: s.end,
            kind: "direct",
            label: "DATE".into(),
            replacement,
            reason: "dates become time relative to treatment".into(),
        });
    }
    // Every other direct identifier.
    for s in spans {
        let (rep, reason) = match s.category {
            Category::Name | Category::Date => continue,
            Category::City | Category::Location => {
                let pop = a
                    .mentions
                    .iter()
                    .find(|m| m.start == s.start && m.slot == Slot::Place)
                    .and_then(|m| m.population);
                let r = match pop {
                    Some(p) if p <= 20_000 => "a small town",
                    Some(p) if p <= 200_000 => "a regional town",
                    Some(_) => "a city",
                    None => "a local area",
                };
                (r.to_string(), "a named place becomes the kind of place")
            }
            Category::State => (
                "the region".to_string(),
                "a named region becomes a general one",
            ),
            Category::Organization => {
                let kind = super::mentions::org_kind(&text[s.start..s.end])
                    .0
                    .to_string();
                (kind, "a named organisation becomes its kind")
            }
            Category::Age if s.kind == crate::Kind::Direct => {
                ("very elderly".to_string(), "ages over 89 become one band")
            }
            Category::Age => continue,
            c if c.default_kind() == crate::Kind::Direct => (
                format!("({} removed)", c.label().to_lowercase().replace('_', " ")),
                "contact details and numbers are removed",
            ),
            _ => continue,
        };
        changes.push(Change {
            start: s.start,
            end: s.end,
            kind: "direct",
            label: s.category.label().into(),
            replacement: rep,
            reason: reason.into(),
        });
    }
    // Quasi generalisations that do not overlap a direct change.
    for sg in &a.suggestions {
        // A generalisation that covers a direct identifier whole ("the 2019 mill fire") wins.
        changes.retain(|c| !(sg.start <= c.start && c.end <= sg.end && c.label == "DATE"));
        if changes.iter().any(|c| c.start < sg.end && sg.start < c.end) {
            continue;
        }
        changes.push(Change {
            start: sg.start,
            end: sg.end,
            kind: "quasi",
            label: sg.attribute.as_str().into(),
            replacement: sg.replacement.clone(),
            reason: sg.reason.clone(),
        });
    }
    changes.sort_by_key(|c| (c.start, c.end));
    // Drop overlaps (keep the first).
    let mut kept: Vec<Change> = Vec::new();
    for c in changes {
        if kept.last().is_none_or(|l| l.end <= c.start) {
            kept.push(c);
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for c in &kept {
        out.push_str(&text[pos..c.start]);
        let rep = &c.replacement;
        // "a" before a vowel sound
        if out.ends_with("a ") && rep.starts_with(['a', 'e', 'i', 'o', 'u']) {
            out.pop();
            out.push_str("n ");
        }
        if rep.is_empty() {
            while out.ends_with(' ') && text[c.end..].starts_with([' ', ',', '.']) {
                out.pop();
            }
        }
        if out.ends_with("a ") && rep.starts_with("a ")
            || out.ends_with("an ") && rep.starts_with("a ")
        {
            out.push_str(&rep[2..]);
        } else {
            out.push_str(rep);
        }
        pos = c.end;
    }
    out.push_str(&text[pos..]);
    (out, kept)
}

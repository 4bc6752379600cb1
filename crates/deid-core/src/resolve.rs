//! Resolution: candidates from every detector → sorted, disjoint spans.
//!
//! 1. Candidates overlapping a redaction tag (`[NAME]`, `[DATE-3]`) are dropped, so redacting
//!    redacted text changes nothing.
//! 2. Direct identifiers are resolved first: candidates are taken best first (priority, length,
//!    confidence); one that overlaps an accepted span of the same category is merged into it, one
//!    that only partly overlaps a span of another category extends that span (recall first), one
//!    inside another is dropped.
//! 3. Adjacent parts of one identifier (same category, only spaces between) are merged.
//! 4. Quasi-identifiers are kept where they do not touch a direct identifier.

use crate::category::{Category, Kind};
use crate::detect::Candidate;
use crate::span::Span;
use crate::text::is_finite_verb;
use std::collections::BTreeSet;

/// Byte ranges of redaction tags such as `[NAME]` or `[PHONE-2]` already in the text.
fn tag_ranges(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&c| c == b'[') {
        let s = i + p;
        let mut j = s + 1;
        while j < b.len() && (b[j].is_ascii_uppercase() || b[j] == b'_') {
            j += 1;
        }
        let label_end = j;
        if j < b.len() && b[j] == b'-' {
            j += 1;
            let d0 = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == d0 {
                i = s + 1;
                continue;
            }
        }
        if label_end > s + 1
            && j < b.len()
            && b[j] == b']'
            && text[s + 1..label_end].parse::<Category>().is_ok()
        {
            out.push((s, j + 1));
            i = j + 1;
        } else {
            i = s + 1;
        }
    }
    out
}

fn score(c: &Candidate) -> (i32, usize, u32) {
    (c.priority, c.end - c.start, (c.confidence * 1000.0) as u32)
}

/// The accepted spans of [`resolve_kind`], in the order they were accepted, with an index by
/// start so the spans overlapping a candidate are found by a range search instead of a scan of
/// every accepted span (which made resolution quadratic in the number of candidates).
struct Accepted {
    spans: Vec<Candidate>,
    /// `(start, position in spans)` of every accepted span.
    by_start: BTreeSet<(usize, usize)>,
    /// The longest accepted span so far: a span overlapping `[s, e)` starts in
    /// `(s - longest, e)`.
    longest: usize,
}

impl Accepted {
    fn new(capacity: usize) -> Self {
        Accepted {
            spans: Vec::with_capacity(capacity),
            by_start: BTreeSet::new(),
            longest: 0,
        }
    }

    /// Positions of the accepted spans overlapping `[start, end)`, by start then position.
    fn overlapping(&self, start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
        let from = (start + 1).saturating_sub(self.longest);
        self.by_start
            .range((from, 0)..(end, 0))
            .map(|&(_, i)| i)
            .filter(move |&i| self.spans[i].end > start)
    }

    fn push(&mut self, c: Candidate) {
        self.longest = self.longest.max(c.end - c.start);
        self.by_start.insert((c.start, self.spans.len()));
        self.spans.push(c);
    }

    /// Replaces span `i` by `c` (grown, or another span), keeping the index current.
    fn set(&mut self, i: usize, c: Candidate) {
        if c.start != self.spans[i].start {
            self.by_start.remove(&(self.spans[i].start, i));
            self.by_start.insert((c.start, i));
        }
        self.longest = self.longest.max(c.end - c.start);
        self.spans[i] = c;
    }
}

fn resolve_kind(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| score(b).cmp(&score(a)).then(a.start.cmp(&b.start)));
    let mut accepted = Accepted::new(cands.len());
    for c in cands {
        // The learned scorer's spans fill gaps: one that reaches over rule spans extends the
        // leftmost of them, whose category stands ("Little Saigon" over a place "Little" and a
        // name "Saigon" stays the place).
        if c.priority <= crate::detect::MODEL_PRIORITY {
            let leftmost = accepted.overlapping(c.start, c.end).next();
            if let Some(i) = leftmost {
                let a = &accepted.spans[i];
                let grown = if c.category == Category::Organization
                    && a.category == Category::Name
                    && c.start <= a.start
                    && c.end > a.end
                {
                    c
                } else {
                    Candidate {
                        start: a.start.min(c.start),
                        end: a.end.max(c.end),
                        ..a.clone()
                    }
                };
                accepted.set(i, grown);
                continue;
            }
        }
        // The first span accepted (not the leftmost) that the candidate overlaps decides.
        let first = accepted.overlapping(c.start, c.end).min();
        let Some(i) = first else {
            accepted.push(c);
            continue;
        };
        let a = &accepted.spans[i];
        // "pine hollow counseling center", "Frederick hospital": an organisation that ends in
        // its organisation word after a (weaker-looking) name is the organisation, whatever the
        // name cue said.
        if c.category == Category::Organization
            && a.category == Category::Name
            && c.start <= a.start
            && c.end > a.end
        {
            accepted.set(i, c);
        } else if !(c.start >= a.start && c.end <= a.end) {
            // Partial overlap: the better span grows to cover both.
            let grown = Candidate {
                start: a.start.min(c.start),
                end: a.end.max(c.end),
                confidence: a.confidence.max(c.confidence),
                ..a.clone()
            };
            accepted.set(i, grown);
        }
    }
    sweep(accepted.spans)
}

/// Growing spans can make accepted spans overlap each other: sorts them and joins overlaps.
fn sweep(mut accepted: Vec<Candidate>) -> Vec<Candidate> {
    accepted.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut out: Vec<Candidate> = Vec::with_capacity(accepted.len());
    for c in accepted {
        if let Some(last) = out.last_mut() {
            if c.start < last.end {
                if c.end > last.end {
                    last.end = c.end;
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn merge_adjacent(text: &str, spans: Vec<Candidate>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::with_capacity(spans.len());
    for c in spans {
        if let Some(last) = out.last_mut() {
            let g = &text[last.end..c.start];
            let joinable = matches!(
                c.category,
                Category::Name
                    | Category::StreetAddress
                    | Category::Organization
                    | Category::Location
            );
            // "Flat 10, 151 Beacon Street", "Apartment 3, 175 Station Park": a unit number
            // between two parts of one street address belongs to it.
            let unit_number = c.category == Category::StreetAddress && {
                let t = g.trim();
                let t = t.strip_suffix(',').unwrap_or(t);
                g.len() <= 10
                    && !g.contains('\n')
                    && g.starts_with(' ')
                    && !t.is_empty()
                    && t.bytes().next().is_some_and(|b| b.is_ascii_digit())
                    && t.bytes().all(|b| b.is_ascii_alphanumeric())
            };
            if last.category == c.category
                && joinable
                && c.end - last.start <= c.category.max_span_bytes()
                && !g.is_empty()
                && (g.len() <= 2 && g.bytes().all(|b| b == b' ') || unit_number)
            {
                last.end = c.end;
                last.confidence = last.confidence.max(c.confidence);
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// True when `[start, end)` overlaps one of `ranges`, which are sorted and disjoint (binary
/// search).
fn overlaps_sorted(ranges: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = ranges.partition_point(|&(_, e)| e <= start);
    ranges.get(i).is_some_and(|&(s, _)| s < end)
}

/// Ranges that may overlap, sorted by start with the running maximum of their ends, to ask
/// whether one of them contains a range in logarithmic time.
struct Containers {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Containers {
    fn new(ranges: impl Iterator<Item = (usize, usize)>) -> Self {
        let mut r: Vec<(usize, usize)> = ranges.collect();
        r.sort_unstable();
        let mut max = 0;
        let max_end = r
            .iter()
            .map(|&(_, e)| {
                max = max.max(e);
                max
            })
            .collect();
        Containers {
            starts: r.iter().map(|&(s, _)| s).collect(),
            max_end,
        }
    }

    /// True when some range has `start' <= start` and `end <= end'`.
    fn contain(&self, start: usize, end: usize) -> bool {
        let n = self.starts.partition_point(|&s| s <= start);
        n > 0 && self.max_end[n - 1] >= end
    }
}

/// Cuts spans longer than their category's [`Category::max_span_bytes`] into pieces of at most
/// that length, ending at whitespace where the window has some (the whitespace between pieces
/// is left out), else at a character boundary; every other byte stays covered.
fn cap_lengths(text: &str, cands: Vec<Candidate>) -> Vec<Candidate> {
    if cands
        .iter()
        .all(|c| c.end - c.start <= c.category.max_span_bytes())
    {
        return cands;
    }
    let mut out = Vec::with_capacity(cands.len());
    for c in cands {
        let max = c.category.max_span_bytes();
        let mut pos = c.start;
        while c.end - pos > max {
            let mut w = pos + max;
            while !text.is_char_boundary(w) {
                w -= 1;
            }
            let cut = text[pos..w]
                .rfind(char::is_whitespace)
                .map(|k| pos + k)
                .filter(|&k| k > pos)
                .unwrap_or(w);
            out.push(Candidate {
                start: pos,
                end: cut,
                ..c.clone()
            });
            pos = cut + text[cut..c.end].len() - text[cut..c.end].trim_start().len();
        }
        if pos < c.end {
            out.push(Candidate { start: pos, ..c });
        }
    }
    out
}

/// Turns candidates into sorted, disjoint spans.
/// Whether `text[start..end]` is an identifier's label: two to five capital letters on a line
/// that has lower-case letters, followed by an identifier candidate (in `id_starts`, sorted)
/// after nothing but separators and a number word (`:`, `#`, `-`, `no.`, `number`).
fn is_id_label(text: &str, start: usize, end: usize, id_starts: &[usize]) -> bool {
    let word = &text[start..end];
    if !(2..=5).contains(&word.len()) || !word.bytes().all(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let line_start = crate::text::line_start(text, start);
    let line_end = crate::text::line_end(text, end);
    if !text[line_start..line_end]
        .bytes()
        .any(|b| b.is_ascii_lowercase())
    {
        return false;
    }
    let i = id_starts.partition_point(|&s| s < end);
    let Some(&next) = id_starts.get(i) else {
        return false;
    };
    if next - end > 16 {
        return false;
    }
    text[end..next]
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | '#' | '-' | '.' | '='))
        .all(|w| w.is_empty() || matches!(w.to_ascii_lowercase().as_str(), "no" | "number" | "num"))
}

pub(crate) fn resolve(text: &str, cands: Vec<Candidate>) -> Vec<Span> {
    let tags = if text.contains('[') {
        tag_ranges(text)
    } else {
        Vec::new()
    };
    let cands: Vec<Candidate> = cands
        .into_iter()
        .filter(|c| c.end > c.start && !overlaps_sorted(&tags, c.start, c.end))
        .collect();
    // Overlong candidates are cut first, so resolution's range searches stay short.
    let (direct, quasi): (Vec<_>, Vec<_>) = cap_lengths(text, cands)
        .into_iter()
        .partition(|c| c.kind == Kind::Direct);
    // A name found on dictionary evidence alone that lies inside an ethnicity or religion
    // ("African American", "Christian faith", "Mexican American") is that word, not a person;
    // a name with a cue ("Father Christian") stays.
    let beliefs = Containers::new(
        quasi
            .iter()
            .filter(|q| matches!(q.category, Category::Ethnicity | Category::Religion))
            .map(|q| (q.start, q.end)),
    );
    let direct: Vec<Candidate> = direct
        .into_iter()
        .filter(|d| {
            // "Christian favors ...": a verb after it makes it a person after all.
            let verb_after = || {
                text[d.end..]
                    .strip_prefix(' ')
                    .and_then(|r| r.split(|c: char| !c.is_ascii_alphabetic()).next())
                    .is_some_and(is_finite_verb)
            };
            !(d.category == Category::Name
                && d.priority <= 0
                && matches!(&*d.rule, "name.dictionary" | "name.neighbour")
                && beliefs.contain(d.start, d.end)
                && !verb_after())
        })
        .collect();
    // An ALL-CAPS word on a line with lower-case letters, found as a name on dictionary
    // evidence or by the learned scorer alone, right before an identifier ("NHI: ZGT4821", "IBAN IE29 ..."), is the
    // identifier's label (an acronym), not a person.
    let id_starts: Vec<usize> = {
        let mut v: Vec<usize> = direct
            .iter()
            .filter(|d| d.category == Category::Id)
            .map(|d| d.start)
            .collect();
        v.sort_unstable();
        v
    };
    let direct: Vec<Candidate> = if id_starts.is_empty() {
        direct
    } else {
        direct
            .into_iter()
            .filter(|d| {
                !(d.category == Category::Name
                    && d.priority <= 0
                    && matches!(
                        &*d.rule,
                        "name.dictionary" | "name.neighbour" | "name.model"
                    )
                    && is_id_label(text, d.start, d.end, &id_starts))
            })
            .collect()
    };
    let direct = merge_adjacent(text, resolve_kind(direct));
    let direct_ranges: Vec<(usize, usize)> = direct.iter().map(|d| (d.start, d.end)).collect();
    debug_assert!(direct_ranges.windows(2).all(|w| w[0].1 <= w[1].0));
    let quasi: Vec<Candidate> = resolve_kind(quasi)
        .into_iter()
        .filter(|q| !overlaps_sorted(&direct_ranges, q.start, q.end))
        .collect();
    let mut all: Vec<Candidate> = direct;
    all.extend(quasi);
    all.sort_by_key(|c| c.start);
    // Spans grown in resolution may be overlong again.
    let spans: Vec<Span> = cap_lengths(text, all)
        .into_iter()
        .map(|c| Span {
            start: c.start,
            end: c.end,
            category: c.category,
            kind: c.kind,
            rule: c.rule,
            confidence: c.confidence,
        })
        .collect();
    debug_assert!(spans.iter().all(|s| s.start < s.end
        && text.is_char_boundary(s.start)
        && text.is_char_boundary(s.end)));
    debug_assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::Arc;

    #[test]
    fn identifier_labels_are_not_names() {
        // (text, label word, id start, is a label)
        for (text, word, id, want) in [
            ("NHI: ZGT4821 seen", "NHI", "ZGT4821", true),
            ("her NHI number ABC1234.", "NHI", "ABC1234", true),
            ("her IBAN IE29 AIBK 9311", "IBAN", "IE29", true),
            ("NHI ZGT4821 ON FILE", "NHI", "ZGT4821", false),
            ("Nhi ZGT4821 seen", "Nhi", "ZGT4821", false),
            ("seen by NHI and then ZGT4821", "NHI", "ZGT4821", false),
        ] {
            let start = text.find(word).unwrap();
            let ids = [text.find(id).unwrap()];
            assert_eq!(
                is_id_label(text, start, start + word.len(), &ids),
                want,
                "{text}"
            );
        }
    }

    /// The resolution before the index by start (every candidate compared with every accepted
    /// span), kept to check that the indexed one gives the same spans.
    fn resolve_kind_quadratic(mut cands: Vec<Candidate>) -> Vec<Candidate> {
        cands.sort_by(|a, b| score(b).cmp(&score(a)).then(a.start.cmp(&b.start)));
        let mut accepted: Vec<Candidate> = Vec::with_capacity(cands.len());
        for c in cands {
            let mut merged = false;
            let mut inside = false;
            // The learned scorer's spans fill gaps: one that reaches over rule spans extends the
            // leftmost of them, whose category stands ("Little Saigon" over a place "Little" and a
            // name "Saigon" stays the place).
            if c.priority <= crate::detect::MODEL_PRIORITY {
                let leftmost = accepted
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| c.start < a.end && a.start < c.end)
                    .min_by_key(|(_, a)| a.start)
                    .map(|(i, _)| i);
                if let Some(i) = leftmost {
                    let a = &mut accepted[i];
                    if c.category == Category::Organization
                        && a.category == Category::Name
                        && c.start <= a.start
                        && c.end > a.end
                    {
                        *a = c;
                    } else {
                        a.start = a.start.min(c.start);
                        a.end = a.end.max(c.end);
                    }
                    continue;
                }
            }
            for a in accepted.iter_mut() {
                if c.start < a.end && a.start < c.end {
                    // "pine hollow counseling center", "Frederick hospital": an organisation that
                    // ends in its organisation word after a (weaker-looking) name is the
                    // organisation, whatever the name cue said.
                    if c.category == Category::Organization
                        && a.category == Category::Name
                        && c.start <= a.start
                        && c.end > a.end
                    {
                        *a = c.clone();
                        merged = true;
                        break;
                    }
                    if c.start >= a.start && c.end <= a.end {
                        inside = true;
                        break;
                    }
                    // Partial overlap: the better span grows to cover both.
                    a.start = a.start.min(c.start);
                    a.end = a.end.max(c.end);
                    a.confidence = a.confidence.max(c.confidence);
                    merged = true;
                    break;
                }
            }
            if !inside && !merged {
                accepted.push(c);
            }
        }
        sweep(accepted)
    }

    fn c(s: usize, e: usize, cat: Category, p: i32) -> Candidate {
        Candidate {
            start: s,
            end: e,
            category: cat,
            kind: Kind::Direct,
            rule: Arc::from("t"),
            confidence: 0.5,
            priority: p,
        }
    }

    fn arb_candidate() -> impl Strategy<Value = Candidate> {
        let cats = prop::sample::select(vec![
            Category::Name,
            Category::Organization,
            Category::Location,
            Category::Date,
            Category::Phone,
        ]);
        let prio = prop::sample::select(vec![
            crate::detect::MODEL_PRIORITY - 1,
            crate::detect::MODEL_PRIORITY,
            -1,
            0,
            0,
            1,
            2,
        ]);
        (0usize..80, 1usize..12, 0usize..10, cats, prio, 0u32..4).prop_map(
            |(start, len, long, category, priority, conf)| Candidate {
                start,
                // Now and then a long span, so the index's longest-span bound is exercised.
                end: start + if long == 0 { len * 9 } else { len },
                category,
                kind: Kind::Direct,
                rule: Arc::from(format!("r{priority}{conf}")),
                confidence: conf as f32 / 4.0,
                priority,
            },
        )
    }

    fn key(c: &Candidate) -> (usize, usize, Category, String, u32, i32) {
        (
            c.start,
            c.end,
            c.category,
            c.rule.to_string(),
            c.confidence.to_bits(),
            c.priority,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The indexed resolution gives exactly the spans of the quadratic one it replaced.
        #[test]
        fn indexed_resolution_equals_the_quadratic_one(
            cands in prop::collection::vec(arb_candidate(), 0..60)
        ) {
            let new: Vec<_> = resolve_kind(cands.clone()).iter().map(key).collect();
            let old: Vec<_> = resolve_kind_quadratic(cands).iter().map(key).collect();
            prop_assert_eq!(new, old);
        }
    }

    #[test]
    fn overlong_spans_are_cut_within_their_category_limit_covering_every_word() {
        // Issue 11: 1 MB of `Dr. Smith ` was one NAME span, 1 MB of digits one ID span.
        for (text, cat) in [
            ("Dr. Smith ".repeat(1000), Category::Name),
            ("7".repeat(1000), Category::Id),
            ("é".repeat(500), Category::Id),
        ] {
            let out = resolve(&text, vec![c(0, text.len(), cat, 0)]);
            assert!(out.len() > 1);
            assert!(out.iter().all(|s| s.end - s.start <= cat.max_span_bytes()));
            assert!(out.windows(2).all(|w| w[0].end <= w[1].start));
            let mut covered = vec![false; text.len()];
            for s in &out {
                covered[s.start..s.end].iter_mut().for_each(|b| *b = true);
            }
            let bytes = text.as_bytes();
            assert!(
                (0..text.len()).all(|i| covered[i] || bytes[i] == b' '),
                "every byte but the spaces between pieces is covered"
            );
        }
        // Two adjacent parts of a name are not joined past the limit.
        let text = format!("{} {}", "a".repeat(150), "b".repeat(150));
        let out = resolve(
            &text,
            vec![c(0, 150, Category::Name, 0), c(151, 301, Category::Name, 0)],
        );
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn overlaps_merge_and_priorities_win() {
        let text = "x".repeat(40);
        let out = resolve(
            &text,
            vec![
                c(0, 5, Category::Name, 0),
                c(3, 9, Category::Name, 0),
                c(20, 30, Category::Phone, 1),
                c(22, 25, Category::Date, 0),
            ],
        );
        let got: Vec<_> = out.iter().map(|s| (s.start, s.end, s.category)).collect();
        assert_eq!(got, vec![(0, 9, Category::Name), (20, 30, Category::Phone)]);
    }

    #[test]
    fn a_unit_number_joins_two_parts_of_a_street_address() {
        let text = "flat 10, 151 beacon street and flat 10,\n151 x";
        let out = resolve(
            text,
            vec![
                c(0, 4, Category::StreetAddress, 0),
                c(9, 26, Category::StreetAddress, 0),
                c(31, 35, Category::StreetAddress, 0),
                c(40, 43, Category::StreetAddress, 0),
            ],
        );
        let got: Vec<_> = out.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got, ["flat 10, 151 beacon street", "flat", "151"]);
    }

    #[test]
    fn tags_are_never_detected_again() {
        let text = "[NAME] and [PHONE-12] [not a tag]";
        let out = resolve(
            text,
            vec![
                c(1, 5, Category::Name, 0),
                c(12, 17, Category::Name, 0),
                c(23, 26, Category::Name, 0),
            ],
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].start, 23);
    }
}

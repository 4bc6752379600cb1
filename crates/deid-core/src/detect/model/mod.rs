//! The learned scorer for names, places and organisations: a linear model over the evidence
//! features of [`features`], decoded greedily left to right (each token sees the classes
//! decided for the two before it), with weights learned by an averaged perceptron
//! ([`crate::train`]). Its spans join the pattern and dictionary detectors' candidates; resolution
//! decides among them.

pub(crate) mod features;

use super::dictionary::Dictionaries;
use super::Candidate;
use crate::category::{Category, Kind};
use crate::error::{Error, Result};
use features::{TokInfo, DIM_BITS, FEATURE_VERSION, NCLASS, O};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"DEIDLM01";

/// A learned model: weights over hashed evidence features.
#[derive(Clone)]
pub struct Model {
    /// `(1 << DIM_BITS) * NCLASS` weights, row-major by feature.
    weights: Vec<f32>,
    /// A class wins over `O` when its score minus `O`'s is above this (negative: recall first).
    pub(crate) threshold: f32,
    /// Free text recorded by the trainer (data, seed, options).
    provenance: String,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("threshold", &self.threshold)
            .field("nonzero_features", &self.nonzero_rows())
            .finish_non_exhaustive()
    }
}

/// The category of each class.
const CLASS_CATEGORY: [Category; NCLASS] = [
    Category::Name,
    Category::Name,
    Category::Location,
    Category::Organization,
];

/// What a model predicts for one token: its class and the margin over `O`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Decision {
    pub class: u8,
    pub margin: f32,
}

impl Model {
    #[cfg(test)]
    pub(crate) fn zeros() -> Model {
        Model {
            weights: vec![0.0; (1usize << DIM_BITS) * NCLASS],
            threshold: 0.0,
            provenance: String::new(),
        }
    }

    pub(crate) fn from_weights(weights: Vec<f32>, threshold: f32, provenance: String) -> Model {
        debug_assert_eq!(weights.len(), (1usize << DIM_BITS) * NCLASS);
        Model {
            weights,
            threshold,
            provenance,
        }
    }

    fn nonzero_rows(&self) -> usize {
        self.weights
            .chunks_exact(NCLASS)
            .filter(|r| r.iter().any(|&w| w != 0.0))
            .count()
    }

    /// The decision threshold on the margin of a class over "not an identifier".
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// A copy with another decision threshold (lower finds more, with more false positives).
    pub fn with_threshold(mut self, threshold: f32) -> Model {
        self.threshold = threshold;
        self
    }

    /// What the trainer recorded: corpora, options, seed.
    pub fn provenance(&self) -> &str {
        &self.provenance
    }

    /// Serialises the model: a header, then the non-zero weight rows (little endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let rows: Vec<(u32, &[f32])> = self
            .weights
            .chunks_exact(NCLASS)
            .enumerate()
            .filter(|(_, r)| r.iter().any(|&w| w != 0.0))
            .map(|(i, r)| (i as u32, r))
            .collect();
        let mut out = Vec::with_capacity(32 + self.provenance.len() + rows.len() * 20);
        out.extend_from_slice(MAGIC);
        for v in [FEATURE_VERSION, DIM_BITS, NCLASS as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.threshold.to_le_bytes());
        out.extend_from_slice(&(self.provenance.len() as u32).to_le_bytes());
        out.extend_from_slice(self.provenance.as_bytes());
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (i, r) in rows {
            out.extend_from_slice(&i.to_le_bytes());
            for w in r {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`]; `origin` names the file in errors.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Model> {
        let bad = |what: &str| Error::config(format!("{origin}: not a deid model file ({what})"));
        let mut r = Reader { b: bytes, at: 0 };
        if r.take(8).ok_or_else(|| bad("too short"))? != MAGIC {
            return Err(bad("wrong magic number"));
        }
        let version = r.u32().ok_or_else(|| bad("truncated header"))?;
        let bits = r.u32().ok_or_else(|| bad("truncated header"))?;
        let ncls = r.u32().ok_or_else(|| bad("truncated header"))?;
        if version != FEATURE_VERSION || bits != DIM_BITS || ncls as usize != NCLASS {
            return Err(Error::config(format!(
                "{origin}: model made for feature set {version} ({bits} bits, {ncls} classes); \
                 this deid reads feature set {FEATURE_VERSION} ({DIM_BITS} bits, {NCLASS} \
                 classes): retrain it with `deid train`"
            )));
        }
        let threshold = r.f32().ok_or_else(|| bad("truncated header"))?;
        let plen = r.u32().ok_or_else(|| bad("truncated header"))? as usize;
        let provenance = std::str::from_utf8(r.take(plen).ok_or_else(|| bad("truncated"))?)
            .map_err(|_| bad("provenance is not UTF-8"))?
            .to_string();
        let n = r.u32().ok_or_else(|| bad("truncated header"))? as usize;
        if bytes.len().saturating_sub(r.at) != n * (4 + 4 * NCLASS) {
            return Err(bad("size does not match its row count"));
        }
        let mut weights = vec![0.0f32; (1usize << DIM_BITS) * NCLASS];
        for _ in 0..n {
            let i = r.u32().ok_or_else(|| bad("truncated"))? as usize;
            if i >= 1 << DIM_BITS {
                return Err(bad("row index out of range"));
            }
            for c in 0..NCLASS {
                let w = r.f32().ok_or_else(|| bad("truncated"))?;
                if !w.is_finite() {
                    return Err(bad("weight is not finite"));
                }
                weights[i * NCLASS + c] = w;
            }
        }
        if !threshold.is_finite() {
            return Err(bad("threshold is not finite"));
        }
        Ok(Model {
            weights,
            threshold,
            provenance,
        })
    }

    /// Class scores of one feature vector.
    #[inline]
    pub(crate) fn scores(&self, feats: &[u32]) -> [f32; NCLASS] {
        let mut s = [0.0f32; NCLASS];
        for &f in feats {
            let row = &self.weights[f as usize * NCLASS..f as usize * NCLASS + NCLASS];
            for c in 0..NCLASS {
                s[c] += row[c];
            }
        }
        s
    }

    /// The class of a token from its scores: the best class other than `O` when its margin
    /// over `O` is above `threshold`.
    #[inline]
    pub(crate) fn decide(scores: &[f32; NCLASS], threshold: f32) -> Decision {
        let (mut best, mut bs) = (1u8, scores[1]);
        for (c, &s) in scores.iter().enumerate().skip(2) {
            if s > bs {
                best = c as u8;
                bs = s;
            }
        }
        let margin = bs - scores[0];
        if margin > threshold {
            Decision {
                class: best,
                margin,
            }
        } else {
            Decision { class: O, margin }
        }
    }

    /// Greedy left-to-right decoding at the model's threshold: the class of every token.
    pub(crate) fn decode(&self, toks: &[TokInfo], gap_after_last: u64) -> Vec<Decision> {
        self.decode_at(toks, gap_after_last, self.threshold)
    }

    /// Greedy left-to-right decoding at another threshold (the trainer's calibration).
    pub(crate) fn decode_at(
        &self,
        toks: &[TokInfo],
        gap_after_last: u64,
        threshold: f32,
    ) -> Vec<Decision> {
        let mut out = Vec::with_capacity(toks.len());
        let mut feats = Vec::with_capacity(128);
        let (mut prev, mut prev2) = (O, O);
        for i in 0..toks.len() {
            let d = if toks[i].candidate {
                feats.clear();
                features::features(toks, gap_after_last, i, prev, prev2, &mut feats);
                Model::decide(&self.scores(&feats), threshold)
            } else {
                Decision {
                    class: O,
                    margin: f32::NEG_INFINITY,
                }
            };
            prev2 = prev;
            prev = d.class;
            out.push(d);
        }
        out
    }

    /// Finds names, places and organisations in `text` (whose tokens are `tokens`) and
    /// appends them as candidates; the candidates already in `out` (the rule detectors') are
    /// features.
    pub(crate) fn detect(
        &self,
        dict: &Dictionaries,
        rule: &Arc<str>,
        text: &str,
        tokens: &[crate::text::Token],
        out: &mut Vec<Candidate>,
    ) {
        let toks = features::token_infos(dict, text, tokens, out);
        if toks.is_empty() {
            return;
        }
        let tail = features::gap_hash(&text[toks[toks.len() - 1].end..]);
        let decisions = self.decode(&toks, tail);
        for (s, e, class, margin) in spans(text, &toks, &decisions) {
            // A pronoun is never a name or a place ("Store.\nShe volunteers"), however
            // strong the margin the words around it give.
            if tokens_within(&toks, s, e)
                .iter()
                .all(|t| dict.names.pronouns.contains(&text[t.start..t.end]))
            {
                continue;
            }
            let category = CLASS_CATEGORY[class as usize];
            out.push(Candidate {
                start: s,
                end: e,
                category,
                kind: Kind::Direct,
                rule: rule.clone(),
                confidence: confidence(margin),
                // Below every rule: where a rule found the same text, its category stands.
                priority: super::MODEL_PRIORITY,
            });
        }
    }
}

/// A margin as a confidence in (0, 1).
fn confidence(margin: f32) -> f32 {
    1.0 / (1.0 + (-margin / 4.0).exp())
}

/// Joins runs of tokens of one class into spans: `(start, end, class, smallest margin)`.
/// Tokens join across a gap of at most three characters of blanks, `.`, `-`, `'` or `&`
/// on one line ("Mary-Kate O'Neil", "K. Doyle", "Smith & Sons"). A span made only of common
/// English words that no rule fired on ("General", "tomorrow", "Her") is dropped: a word that
/// is far more often a word than a name needs a rule's cue, or a strong margin
/// ([`STRONG_MARGIN`]), to be a name; so is a lone ordinary English word that no list calls a
/// name or place ("pastoral").
pub(crate) fn spans(
    text: &str,
    toks: &[TokInfo],
    decisions: &[Decision],
) -> Vec<(usize, usize, u8, f32)> {
    let mut out: Vec<(usize, usize, u8, f32)> = Vec::new();
    let mut open: Option<(usize, usize, u8, f32)> = None;
    for (t, d) in toks.iter().zip(decisions) {
        if d.class == O {
            if let Some(o) = open.take() {
                out.push(o);
            }
            continue;
        }
        if let Some(o) = open.as_mut() {
            let gap = &text[o.1..t.start];
            // A dot joins only after an initial ("K. Doyle"), not at a sentence end.
            let initial_before = text[..o.1]
                .chars()
                .rev()
                .nth(1)
                .is_none_or(|c| !c.is_alphanumeric());
            let joins = o.2 == d.class
                && gap.len() <= 3
                && gap
                    .bytes()
                    .all(|b| matches!(b, b' ' | b'.' | b'-' | b'\'' | b'&'))
                && (!gap.contains('.') || initial_before);
            if joins {
                o.1 = t.end;
                o.3 = o.3.min(d.margin);
                continue;
            }
            out.push(*o);
        }
        open = Some((t.start, t.end, d.class, d.margin));
    }
    if let Some(o) = open {
        out.push(o);
    }
    // One word between two parts of a place or organisation belongs to it ("RICH HAIR
    // STUDIO", "Burgh le Marsh Bakery").
    let mut bridged: Vec<(usize, usize, u8, f32)> = Vec::with_capacity(out.len());
    for b in out {
        if let Some(a) = bridged.last_mut() {
            let word = text[a.1..b.0]
                .strip_prefix(' ')
                .and_then(|g| g.strip_suffix(' '));
            // Not a preposition that ends the name ("Aged Care Facility in May").
            let one_word = word.is_some_and(|w| {
                !w.is_empty()
                    && w.len() <= 12
                    && w.chars().all(char::is_alphabetic)
                    && !CLOSING_PREPOSITIONS
                        .iter()
                        .any(|p| w.eq_ignore_ascii_case(p))
            });
            if a.2 == b.2 && a.2 >= 2 && one_word {
                a.1 = b.1;
                a.3 = a.3.min(b.3);
                continue;
            }
        }
        bridged.push(b);
    }
    let mut out = bridged;
    // A house number before a place the model found is part of the address ("50 Rowan
    // Heights", "8/213 heron terrace").
    for o in out.iter_mut().filter(|o| o.2 == 2) {
        let before = text[..o.0].strip_suffix(' ').unwrap_or("");
        let num = before
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_digit() || *b == b'/')
            .count();
        let start = before.len() - num;
        let at_word = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if (1..=9).contains(&num) && before.as_bytes()[start].is_ascii_digit() && at_word {
            o.0 = start;
        }
    }
    // A cue word at either edge of a name is not part of it ("Per Kwame Osei", "Osei RN").
    for o in out.iter_mut().filter(|o| o.2 == 1) {
        let inside = tokens_within(toks, o.0, o.1);
        let first = inside.iter().position(|t| !t.is_cue());
        let last = inside.iter().rposition(|t| !t.is_cue());
        if let (Some(a), Some(b)) = (first, last) {
            o.0 = inside[a].start;
            o.1 = inside[b].end;
        }
    }
    // A span does not end on a preposition, article or conjunction ("Tesco in" of "a cashier
    // at Tesco in Galway"): such a word joins the words of a name, never closes one.
    for o in out.iter_mut() {
        let inside = tokens_within(toks, o.0, o.1);
        let closing = |t: &TokInfo| {
            let w = &text[t.start..t.end];
            CLOSING_PREPOSITIONS
                .iter()
                .chain(&["of", "and", "the", "for", "or"])
                .any(|p| w.eq_ignore_ascii_case(p))
        };
        if let Some(b) = inside.iter().rposition(|t| !closing(t)) {
            o.1 = inside[b].end;
        }
    }
    out.retain(|&(s, e, class, margin)| {
        let inside = tokens_within(toks, s, e);
        CLASS_CATEGORY[usize::from(class)] == Category::Name
            && margin >= STRONG_MARGIN
            && !after_article(text, s)
            && !(after_speaker_name(text, toks, s) && ends_sentence(text, e))
            || !(inside.iter().all(|t| t.plain_word) || inside.len() == 1 && inside[0].english_only)
    });
    out
}

/// Does a sentence or line end at `e` ("Fine." / "Okay, I guess")?
fn ends_sentence(text: &str, e: usize) -> bool {
    text[e..]
        .chars()
        .next()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | ',' | ';' | '\n' | '\r'))
}

/// Does `s` open a speaker's turn after a label that is no header word ("Jade: Fine."):
/// the line's first token, a colon and blanks, then `s`? A header's value ("Patient: Rich
/// Wells") is a name by position; a speaker's one-word reply is not.
fn after_speaker_name(text: &str, toks: &[TokInfo], s: usize) -> bool {
    let lo = toks.partition_point(|t| t.start < s);
    let Some(p) = lo.checked_sub(1).map(|i| &toks[i]) else {
        return false;
    };
    let gap = &text[p.end..s];
    p.line_start
        && p.flags & crate::detect::dictionary::flag::HEADER == 0
        && gap.starts_with(':')
        && gap[1..].bytes().all(|b| b == b' ' || b == b'\t')
}

/// Prepositions that close a place or organisation rather than join two parts of one.
const CLOSING_PREPOSITIONS: [&str; 12] = [
    "in", "on", "at", "to", "from", "with", "by", "since", "until", "during", "after", "before",
];

/// A name span of common English words stays when the model's margin over `O` is at least
/// this (confidence 0.88): its context speaks for a name whatever the word ("Pita rang Rich on
/// 03 555 4943", "Red was described as the glue of the family"). Measured with
/// `scripts/synth_check.py`: generated held-out frames NAME recall 0.925 -> 0.943 at the same
/// precision, no hard-negative word flagged, PhysioNet and therapy training splits' precision
/// unchanged (margins 4 and 12 gave the same figures within 0.001).
const STRONG_MARGIN: f32 = 8.0;

/// Is the word at `s` in a noun phrase opened by "the" or "a" ("the Surgeon General", "a
/// Good Samaritan")? A common word there is a title or a thing, not a person's name.
fn after_article(text: &str, s: usize) -> bool {
    let line = text[..s].rsplit('\n').next().unwrap_or("");
    let mut words = line.split_whitespace().rev();
    let is_article = |w: &str| ["the", "a", "an"].iter().any(|a| w.eq_ignore_ascii_case(a));
    match words.next() {
        Some(w) if is_article(w) => true,
        Some(w) if w.starts_with(|c: char| c.is_uppercase()) => {
            words.next().is_some_and(is_article)
        }
        _ => false,
    }
}

/// The tokens lying within `start..end` (tokens are sorted and disjoint: a binary search, not
/// a scan, so a note with many spans stays linear).
fn tokens_within(toks: &[TokInfo], start: usize, end: usize) -> &[TokInfo] {
    let lo = toks.partition_point(|t| t.start < start);
    let hi = toks.partition_point(|t| t.end <= end).max(lo);
    &toks[lo..hi]
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn f32(&mut self) -> Option<f32> {
        self.u32().map(f32::from_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip() {
        let mut w = vec![0.0f32; (1usize << DIM_BITS) * NCLASS];
        w[7 * NCLASS + 1] = 1.5;
        w[99 * NCLASS + 3] = -0.25;
        let m = Model::from_weights(w, -0.5, "test".into());
        let b = m.to_bytes();
        let back = Model::from_bytes(&b, "m.bin").unwrap();
        assert_eq!(back.threshold(), -0.5);
        assert_eq!(back.provenance(), "test");
        assert_eq!(back.weights, m.weights);
    }

    #[test]
    fn bad_files_are_errors_not_panics() {
        let m = Model::zeros().to_bytes();
        for cut in [0, 4, 8, 20, m.len() - 1] {
            assert!(Model::from_bytes(&m[..cut.min(m.len())], "x").is_err() || cut == m.len());
        }
        let mut wrong = m.clone();
        wrong[8] = 99;
        let e = Model::from_bytes(&wrong, "x").unwrap_err().to_string();
        assert!(e.contains("retrain"), "{e}");
        assert!(Model::from_bytes(b"not a model at all", "x").is_err());
    }

    /// The spans decoded from `text` when the listed words get the listed classes.
    fn spans_of(text: &str, marks: &[(&str, u8)]) -> Vec<String> {
        spans_at(text, marks, 1.0)
    }

    /// As [`spans_of`], every listed word decided with `margin`.
    fn spans_at(text: &str, marks: &[(&str, u8)], margin: f32) -> Vec<String> {
        let engine = crate::Deidentifier::builder().build().unwrap();
        let dict = engine.dictionaries();
        let toks = features::token_infos(dict, text, &crate::text::tokenize(text), &[]);
        let mut d = vec![
            Decision {
                class: O,
                margin: 0.0
            };
            toks.len()
        ];
        for &(w, class) in marks {
            let i = toks
                .iter()
                .position(|t| &text[t.start..t.end] == w)
                .unwrap();
            d[i] = Decision { class, margin };
        }
        spans(text, &toks, &d)
            .iter()
            .map(|&(s, e, _, _)| text[s..e].to_string())
            .collect()
    }

    #[test]
    fn spans_join_initials_not_sentences() {
        let names = ["K", "Doyle", "Marisol", "Mary", "Kate", "O'Neil"].map(|w| (w, 1));
        let got = spans_of("Seen K. Doyle. Marisol came; Mary-Kate O'Neil too.", &names);
        assert_eq!(got, ["K. Doyle", "Marisol", "Mary-Kate O'Neil"]);
    }

    #[test]
    fn places_take_their_house_number_and_bridge_one_word() {
        let got = spans_of(
            "Lives at 8/213 Kowhai Terrace; works at RICH HAIR STUDIO, gave 2 Ann.",
            &[
                ("Kowhai", 2),
                ("Terrace", 2),
                ("RICH", 3),
                ("STUDIO", 3),
                ("Ann", 1),
            ],
        );
        assert_eq!(got, ["8/213 Kowhai Terrace", "RICH HAIR STUDIO", "Ann"]);
        // A preposition closes the place: two places, not one across "in".
        let got = spans_of(
            "Moved into Wattle Grove Lodge in Tarneit.",
            &[("Wattle", 2), ("Grove", 2), ("Lodge", 2), ("Tarneit", 2)],
        );
        assert_eq!(got, ["Wattle Grove Lodge", "Tarneit"]);
    }

    #[test]
    fn a_lone_ordinary_word_or_common_words_are_not_model_spans() {
        let got = spans_of(
            "spoke with him from pastoral care; the Surgeon General said so; Kowhai Centre",
            &[
                ("pastoral", 3),
                ("General", 1),
                ("Kowhai", 3),
                ("Centre", 3),
            ],
        );
        assert_eq!(got, ["Kowhai Centre"]);
    }

    #[test]
    fn common_words_as_names_need_a_strong_margin_and_no_article() {
        // (text, word decided a name, margin, kept)
        let rows: &[(&str, &str, f32, bool)] = &[
            (
                "Pita rang Rich on 03 555 4943 to cancel.",
                "Rich",
                30.0,
                true,
            ),
            (
                "Pita rang Rich on 03 555 4943 to cancel.",
                "Rich",
                2.0,
                false,
            ),
            (
                "Red was described as the glue of the family.",
                "Red",
                30.0,
                true,
            ),
            ("the Surgeon General said so", "General", 30.0, false),
            ("she met a Good Samaritan", "Samaritan", 30.0, false),
            ("sky came along today and waited outside", "sky", 30.0, true),
        ];
        for &(text, w, margin, kept) in rows {
            let got = spans_at(text, &[(w, 1)], margin);
            assert_eq!(got == [w], kept, "{text:?} {w:?} at {margin}: {got:?}");
        }
        // Places and organisations of common words still need a rule.
        assert!(spans_at(
            "spoke with him from pastoral care",
            &[("pastoral", 3)],
            30.0
        )
        .is_empty());
    }

    #[test]
    fn decide_needs_margin_over_outside() {
        let d = Model::decide(&[1.0, 0.5, 0.8, 0.2], 0.0);
        assert_eq!(d.class, O);
        let d = Model::decide(&[1.0, 0.5, 0.8, 0.2], -0.5);
        assert_eq!(d.class, 2);
        let d = Model::decide(&[0.0, 2.0, 0.8, 0.2], 0.0);
        assert_eq!((d.class, d.margin), (1, 2.0));
    }
}

//! Fitting the learned name, place and organisation scorer to annotated notes.
//!
//! [`train`] reads gold documents (any format [`crate::eval`] loads), augments them, and fits
//! an averaged perceptron over the evidence features of every candidate token, decoding
//! greedily left to right as the detector does. Deterministic for a given seed.
//!
//! **Augmentation teaches context, not names.** Each document is also seen `augment` more times
//! with every gold name and town replaced by a fresh surrogate drawn uniformly from the rules'
//! given-name, surname and place dictionaries (frequent and rare alike), written in the case
//! style of the span it replaces, so the weights cannot lean on the particular names of the
//! training notes.
//!
//! **Recall first.** The decision threshold is chosen on a fifth of the training groups held
//! aside (a model fitted on the rest scores them): the threshold between 0 (plain argmax) and
//! `-max_recall_slack` with the best F-beta score of identifier tokens (beta 1 by default: the
//! rule detectors' spans are kept beside the model's, so the union already leans to recall;
//! beta 1.5 and 2 found one point more on the blind set for three points of precision). The final model is then fitted on all training
//! documents.
//!
//! # Example: train on a JSONL corpus and use the model
//! ```no_run
//! use deid_core::{eval, train, Deidentifier, RuleSet};
//! let docs = eval::load_jsonl(&std::fs::read_to_string("gold.jsonl")?, &eval::LabelMap::default())?;
//! let rules = RuleSet::builtin();
//! let trained = train::train(&rules, &docs, &train::TrainOptions::default())?;
//! let mut rules = rules;
//! rules.model = Some(std::sync::Arc::new(trained.model));
//! let deid = Deidentifier::builder().rules(rules).build()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::category::Category;
use crate::detect::dictionary::Dictionaries;
use crate::detect::model::features::{self, TokInfo, DIM_BITS, NCLASS, O};
use crate::detect::model::Model;
use crate::error::{Error, Result};
use crate::eval::{GoldDoc, GoldSpan};
use crate::rules::{DictRole, RuleSet};

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Seed of the shuffles and surrogate draws.
    pub seed: u64,
    /// Passes over the data.
    pub epochs: usize,
    /// Augmented copies of each document (surrogates in place of its names and towns).
    pub augment: usize,
    /// The decision threshold maximises the F-beta score of identifier tokens on
    /// held-aside training groups (beta 2 would count a miss four times a false alarm).
    pub beta: f64,
    /// The threshold is searched down to minus this.
    pub max_recall_slack: f32,
    /// Also fit the documents as written, not only their augmented copies (default `true`:
    /// without them held-out name recall of the scorer alone fell, PhysioNet 0.86 -> 0.79,
    /// measured with the first feature set).
    pub keep_originals: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            seed: 1,
            epochs: 6,
            augment: 3,
            beta: 1.0,
            max_recall_slack: 40.0,
            keep_originals: true,
        }
    }
}

/// A fitted model and what was measured while fitting it.
#[derive(Debug)]
pub struct Trained {
    /// The model (serialise with [`Model::to_bytes`]).
    pub model: Model,
    /// Documents used (before augmentation).
    pub documents: usize,
    /// Candidate tokens seen per epoch (with augmentation).
    pub tokens: usize,
    /// Identifier tokens among them.
    pub identifier_tokens: usize,
    /// Token recall and precision on the held-aside calibration groups at the chosen threshold.
    pub calibration: (f64, f64),
}

/// The class a gold category teaches: 1 name, 2 place, 3 organisation, 0 anything else.
fn class_of(c: Category) -> u8 {
    match c {
        Category::Name => 1,
        Category::City | Category::State | Category::Location | Category::StreetAddress => 2,
        Category::Organization => 3,
        _ => O,
    }
}

/// Marks a token that must not teach anything (inside a gold span the corpus says to ignore).
const SKIP: u8 = 255;

struct Example {
    toks: Vec<TokInfo>,
    tail: u64,
    gold: Vec<u8>,
}

fn example(dict: &Dictionaries, rules: &crate::Deidentifier, doc: &GoldDoc) -> Example {
    let cands = rules.rule_candidates(&doc.text);
    let toks = features::token_infos(dict, &doc.text, &crate::text::tokenize(&doc.text), &cands);
    let tail = toks
        .last()
        .map_or(0, |t| features::gap_hash(&doc.text[t.end..]));
    let mut spans: Vec<&GoldSpan> = doc.spans.iter().collect();
    spans.sort_by_key(|s| s.start);
    let mut gold = Vec::with_capacity(toks.len());
    let mut k = 0usize;
    for t in &toks {
        while k < spans.len() && spans[k].end <= t.start {
            k += 1;
        }
        let mut g = O;
        for s in spans[k..].iter().take_while(|s| s.start < t.end) {
            if s.end > t.start {
                g = match s.category {
                    None => SKIP,
                    Some(c) if s.kind == crate::category::Kind::Direct => class_of(c).max(g),
                    Some(_) => g,
                };
            }
        }
        gold.push(g);
    }
    Example { toks, tail, gold }
}

/// splitmix64: a small, seedable generator (the crate has no `rand`).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// A surrogate pool: terms and the running sum of their frequencies (for draws that follow
/// how common a name is, alternating with uniform draws that reach the rare tail).
#[derive(Default)]
struct Pool {
    terms: Vec<String>,
    cumulative: Vec<f64>,
}

impl Pool {
    /// This pool followed by another (running sums continued).
    fn with(mut self, other: Pool) -> Pool {
        let base = self.cumulative.last().copied().unwrap_or(0.0);
        self.terms.extend(other.terms);
        self.cumulative
            .extend(other.cumulative.into_iter().map(|c| c + base));
        self
    }

    fn draw(&self, rng: &mut Rng) -> Option<&str> {
        if self.terms.is_empty() {
            return None;
        }
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let i = if rng.below(2) == 0 || total <= 0.0 {
            rng.below(self.terms.len())
        } else {
            let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
            self.cumulative
                .partition_point(|&c| c <= x)
                .min(self.terms.len() - 1)
        };
        Some(self.terms[i].as_str())
    }
}

/// Surrogate pools from the rules' dictionaries.
struct Pools {
    first: Pool,
    last: Pool,
    places: Pool,
}

impl Pools {
    fn new(rules: &RuleSet) -> Pools {
        let pool = |role: DictRole, weight_col: usize| -> Pool {
            let mut p = Pool::default();
            let mut sum = 0.0;
            for l in rules
                .dictionaries
                .iter()
                .filter(|d| d.role == role)
                .flat_map(|d| d.content.lines())
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            {
                let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
                let t = cols[0];
                if t.is_empty() || t.contains(char::is_numeric) {
                    continue;
                }
                let w: f64 = cols
                    .get(weight_col)
                    .and_then(|c| c.parse().ok())
                    .filter(|w: &f64| w.is_finite() && *w > 0.0)
                    .unwrap_or(0.0);
                sum += w;
                p.terms.push(t.to_string());
                p.cumulative.push(sum);
            }
            p
        };
        Pools {
            first: pool(DictRole::FirstName, 1).with(pool(DictRole::GivenNameEvidence, 1)),
            last: pool(DictRole::Surname, 1),
            places: pool(DictRole::City, 2),
        }
    }
}

/// Writes `word` in the case style of `like` (ALL CAPS, all lower, or capitalised words).
fn styled(word: &str, like: &str) -> String {
    let has_upper = like.chars().any(char::is_uppercase);
    let has_lower = like.chars().any(char::is_lowercase);
    if has_upper && !has_lower && like.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        return word.to_uppercase();
    }
    if has_lower && !has_upper {
        return word.to_lowercase();
    }
    let mut out = String::with_capacity(word.len());
    let mut up = true;
    for c in word.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        up = matches!(c, ' ' | '-' | '\'');
    }
    out
}

/// A surrogate for one gold span: each word of a name replaced (initials by a letter, the
/// first of several words by a given name, the others by surnames, a lone word by either);
/// a town or place without digits by a town of the place list. Other spans stay as written.
fn surrogate(span: &str, class: u8, pools: &Pools, rng: &mut Rng) -> Option<String> {
    match class {
        1 => {
            let words: Vec<(usize, usize)> = word_ranges(span);
            if words.is_empty() {
                return None;
            }
            let mut out = String::with_capacity(span.len() + 8);
            let mut at = 0;
            let n = words.len();
            for (k, &(s, e)) in words.iter().enumerate() {
                out.push_str(&span[at..s]);
                let w = &span[s..e];
                let rep = if w.chars().count() == 1 {
                    let c = (b'A' + rng.below(26) as u8) as char;
                    c.to_string()
                } else {
                    let pool = if n == 1 {
                        if rng.below(2) == 0 {
                            &pools.first
                        } else {
                            &pools.last
                        }
                    } else if k == 0 {
                        &pools.first
                    } else {
                        &pools.last
                    };
                    pool.draw(rng).unwrap_or(w).to_string()
                };
                out.push_str(&styled(&rep, w));
                at = e;
            }
            out.push_str(&span[at..]);
            Some(out)
        }
        2 if !span.contains(|c: char| c.is_ascii_digit())
            && span.split_whitespace().count() <= 3 =>
        {
            pools.places.draw(rng).map(|p| styled(p, span))
        }
        _ => None,
    }
}

fn word_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_alphabetic() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push((st, i));
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// A copy of `doc` with its names and towns replaced by surrogates (offsets recomputed).
fn augmented(doc: &GoldDoc, pools: &Pools, rng: &mut Rng) -> GoldDoc {
    let mut spans = doc.spans.clone();
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut text = String::with_capacity(doc.text.len() + 64);
    let mut out_spans = Vec::with_capacity(spans.len());
    let mut at = 0usize;
    for s in spans {
        if s.start < at {
            // Nested or overlapping gold: keep it only if it still fits the copied text.
            continue;
        }
        text.push_str(&doc.text[at..s.start]);
        let orig = &doc.text[s.start..s.end];
        let class = match s.category {
            Some(c) if s.kind == crate::category::Kind::Direct => class_of(c),
            _ => O,
        };
        let rep = surrogate(orig, class, pools, rng);
        let start = text.len();
        text.push_str(rep.as_deref().unwrap_or(orig));
        out_spans.push(GoldSpan {
            start,
            end: text.len(),
            ..s
        });
        at = s.end;
    }
    text.push_str(&doc.text[at..]);
    GoldDoc {
        id: doc.id.clone(),
        text,
        spans: out_spans,
        group: doc.group.clone(),
    }
}

/// Averaged perceptron state.
struct Perceptron {
    w: Vec<f32>,
    acc: Vec<f64>,
    step: f64,
}

impl Perceptron {
    fn new() -> Self {
        let n = (1usize << DIM_BITS) * NCLASS;
        Perceptron {
            w: vec![0.0; n],
            acc: vec![0.0; n],
            step: 1.0,
        }
    }

    fn scores(&self, feats: &[u32]) -> [f32; NCLASS] {
        let mut s = [0.0f32; NCLASS];
        for &f in feats {
            let b = f as usize * NCLASS;
            for (c, v) in s.iter_mut().enumerate() {
                *v += self.w[b + c];
            }
        }
        s
    }

    fn update(&mut self, feats: &[u32], gold: u8, pred: u8) {
        for &f in feats {
            let b = f as usize * NCLASS;
            self.w[b + gold as usize] += 1.0;
            self.acc[b + gold as usize] += self.step;
            self.w[b + pred as usize] -= 1.0;
            self.acc[b + pred as usize] -= self.step;
        }
    }

    fn averaged(&self) -> Vec<f32> {
        self.w
            .iter()
            .zip(&self.acc)
            .map(|(&w, &a)| {
                let v = f64::from(w) - a / self.step;
                // Weights that average to almost nothing are dropped (smaller model file).
                if v.abs() < 1e-3 {
                    0.0
                } else {
                    v as f32
                }
            })
            .collect()
    }
}

fn fit(examples: &[Example], opts: &TrainOptions, rng: &mut Rng) -> (Vec<f32>, usize) {
    let mut p = Perceptron::new();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut feats = Vec::with_capacity(128);
    let mut seen = 0usize;
    for _ in 0..opts.epochs {
        rng.shuffle(&mut order);
        seen = 0;
        for &k in &order {
            let ex = &examples[k];
            let (mut prev, mut prev2) = (O, O);
            for i in 0..ex.toks.len() {
                let mut cls = O;
                if ex.toks[i].candidate && ex.gold[i] != SKIP {
                    feats.clear();
                    features::features(&ex.toks, ex.tail, i, prev, prev2, &mut feats);
                    let pred = Model::decide(&p.scores(&feats), 0.0).class;
                    let gold = ex.gold[i];
                    if pred != gold {
                        p.update(&feats, gold, pred);
                    }
                    p.step += 1.0;
                    seen += 1;
                    cls = pred;
                }
                prev2 = prev;
                prev = cls;
            }
        }
    }
    (p.averaged(), seen)
}

/// Token margins of the identifier and non-identifier tokens of `examples` under `model`
/// decoded with threshold `t`.
fn token_counts(model: &Model, threshold: f32, examples: &[Example]) -> (usize, usize, usize) {
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    for ex in examples {
        let d = model.decode_at(&ex.toks, ex.tail, threshold);
        for (i, di) in d.iter().enumerate() {
            let g = ex.gold[i];
            if g == SKIP {
                continue;
            }
            match (g != O, di.class != O) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fneg += 1,
                _ => {}
            }
        }
    }
    (tp, fp, fneg)
}

/// A fifth of the training groups, set aside to choose the threshold: other bits of the same
/// group hash that picks the held-out third.
fn is_calibration(group: &str) -> bool {
    (crate::eval::group_hash(group) / 3) % 5 == 0
}

/// Fits a model to `docs` with the dictionaries of `rules`.
pub fn train(rules: &RuleSet, docs: &[GoldDoc], opts: &TrainOptions) -> Result<Trained> {
    if docs.is_empty() {
        return Err(Error::config("no training documents"));
    }
    if opts.epochs == 0 {
        return Err(Error::config("epochs must be at least 1"));
    }
    let engine = crate::Deidentifier::builder()
        .rules(rules.clone())
        .model(false)
        .build()?;
    let dict = engine.dictionaries();
    let pools = Pools::new(rules);
    let mut rng = Rng(opts.seed ^ 0x6465_6964);
    let build = |docs: &[&GoldDoc], rng: &mut Rng| -> Vec<Example> {
        let mut out = Vec::with_capacity(docs.len() * (1 + opts.augment));
        for d in docs {
            if opts.keep_originals {
                out.push(example(dict, &engine, d));
            }
            for _ in 0..opts.augment {
                out.push(example(dict, &engine, &augmented(d, &pools, rng)));
            }
        }
        out
    };
    // Calibration: fit on four fifths of the groups, choose the threshold on the rest.
    let (cal, fit_part): (Vec<&GoldDoc>, Vec<&GoldDoc>) =
        docs.iter().partition(|d| is_calibration(&d.group));
    let mut threshold = 0.0f32;
    let mut calibration = (f64::NAN, f64::NAN);
    if !cal.is_empty() && !fit_part.is_empty() {
        let ex_fit = build(&fit_part, &mut rng);
        let ex_cal: Vec<Example> = cal.iter().map(|d| example(dict, &engine, d)).collect();
        let (w, _) = fit(&ex_fit, opts, &mut rng);
        let m = Model::from_weights(w, 0.0, String::new());
        let b2 = opts.beta * opts.beta;
        let mut best = f64::NEG_INFINITY;
        let mut t = 0.0f32;
        while t >= -opts.max_recall_slack {
            let (tp, fp, fneg) = token_counts(&m, t, &ex_cal);
            let r = tp as f64 / (tp + fneg).max(1) as f64;
            let p = tp as f64 / (tp + fp).max(1) as f64;
            let f = if r + p > 0.0 {
                (1.0 + b2) * p * r / (b2 * p + r)
            } else {
                0.0
            };
            if f > best {
                best = f;
                threshold = t;
                calibration = (r, p);
            }
            t -= 1.0;
        }
    }
    let all: Vec<&GoldDoc> = docs.iter().collect();
    let examples = build(&all, &mut rng);
    let identifier_tokens = examples
        .iter()
        .flat_map(|e| e.gold.iter().zip(&e.toks))
        .filter(|(g, t)| t.candidate && **g != O && **g != SKIP)
        .count();
    let (w, tokens) = fit(&examples, opts, &mut rng);
    let provenance = format!(
        "documents={} seed={} epochs={} augment={} beta={} threshold={threshold}",
        docs.len(),
        opts.seed,
        opts.epochs,
        opts.augment,
        opts.beta
    );
    Ok(Trained {
        model: Model::from_weights(w, threshold, provenance),
        documents: docs.len(),
        tokens,
        identifier_tokens,
        calibration,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::Kind;

    fn doc(text: &str, spans: &[(&str, Category)]) -> GoldDoc {
        let spans = spans
            .iter()
            .map(|(s, c)| {
                let start = text.find(s).unwrap();
                GoldSpan {
                    start,
                    end: start + s.len(),
                    label: c.label().into(),
                    category: Some(*c),
                    kind: Kind::Direct,
                }
            })
            .collect();
        GoldDoc {
            id: text.len().to_string(),
            text: text.into(),
            spans,
            group: text.len().to_string(),
        }
    }

    #[test]
    fn styles_follow_the_span() {
        assert_eq!(styled("mary-kate", "JONES"), "MARY-KATE");
        assert_eq!(styled("O'NEIL", "smith"), "o'neil");
        assert_eq!(styled("o'neil", "Smith"), "O'Neil");
    }

    #[test]
    fn augmented_copies_keep_spans_on_their_text() {
        let rules = RuleSet::builtin();
        let pools = Pools::new(&rules);
        let mut rng = Rng(7);
        let d = doc(
            "Seen by Dr. Ann Lee in Dayton on 3/4. K. DOYLE aware. Call 555-0100.",
            &[
                ("Ann Lee", Category::Name),
                ("Dayton", Category::City),
                ("3/4", Category::Date),
                ("K. DOYLE", Category::Name),
            ],
        );
        for _ in 0..20 {
            let a = augmented(&d, &pools, &mut rng);
            assert_eq!(a.spans.len(), 4);
            assert_eq!(&a.text[a.spans[2].start..a.spans[2].end], "3/4");
            let k = &a.text[a.spans[3].start..a.spans[3].end];
            assert!(k.as_bytes()[1] == b'.' && k[3..].chars().all(|c| !c.is_lowercase()));
            assert!(a.text.ends_with(" aware. Call 555-0100."));
        }
    }

    #[test]
    fn training_is_deterministic_and_learns_a_context() {
        let rules = RuleSet::builtin();
        let mut docs = Vec::new();
        for (i, n) in ["Ann Lee", "Bo Park", "Cy Ruiz", "Di Shaw", "Ed Moss"]
            .iter()
            .enumerate()
        {
            let t = format!("Note {i}. Spoke with daughter {n} today about discharge.");
            docs.push(doc(&t, &[(n, Category::Name)]));
        }
        let opts = TrainOptions {
            epochs: 3,
            augment: 2,
            ..TrainOptions::default()
        };
        let a = train(&rules, &docs, &opts).unwrap();
        let b = train(&rules, &docs, &opts).unwrap();
        assert_eq!(a.model.to_bytes(), b.model.to_bytes());
        assert!(a.identifier_tokens > 0);
        let engine = crate::Deidentifier::builder().build().unwrap();
        let dict = engine.dictionaries();
        let mut out = Vec::new();
        let text = "Spoke with daughter Quorra Vantreece today.";
        let tokens = crate::text::tokenize(text);
        a.model
            .detect(dict, &std::sync::Arc::from("m"), text, &tokens, &mut out);
        assert!(
            out.iter()
                .any(|c| &text[c.start..c.end] == "Quorra Vantreece"),
            "{out:?}"
        );
    }

    #[test]
    fn no_documents_is_an_error() {
        assert!(train(&RuleSet::builtin(), &[], &TrainOptions::default()).is_err());
    }
}

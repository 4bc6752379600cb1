//! The built engine: rules compiled and automata built once, then used from many threads.

use crate::category::Category;
use crate::detect::dictionary::{same_lexicon, Dictionaries, DictionariesBuilder};
use crate::detect::names::Ids;
use crate::detect::pattern::PatternDetector;
use crate::detect::{names, Candidate};
use crate::error::{Error, Result};
use crate::redact::{redact, DateShift, RedactConfig, Redacted, Sex, Strategy, SurrogatePools};
use crate::rules::{DictRole, RuleSet};
use crate::span::Span;
use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

/// The shortest secret accepted for surrogates and keyed date shifts: a shorter one could be
/// found by trying every key on one known surrogate or date. 32 bytes are recommended.
pub const MIN_SECRET_BYTES: usize = 16;

/// Configures and builds a [`Deidentifier`].
#[derive(Clone, Debug)]
pub struct DeidentifierBuilder {
    rules: Option<RuleSet>,
    rules_dir: Option<PathBuf>,
    strategy: Strategy,
    secret: Option<Vec<u8>>,
    categories: Option<HashSet<Category>>,
    allow: Vec<String>,
    deny: Vec<(String, Category)>,
    years: bool,
    redact_quasi: bool,
    date_shift: Option<DateShift>,
    mask_char: char,
    model: bool,
    rule_detectors: bool,
    min_confidence: f32,
}

impl Default for DeidentifierBuilder {
    fn default() -> Self {
        DeidentifierBuilder {
            rules: None,
            rules_dir: None,
            strategy: Strategy::Tag,
            secret: None,
            categories: None,
            allow: Vec::new(),
            deny: Vec::new(),
            years: true,
            redact_quasi: false,
            date_shift: None,
            mask_char: '*',
            model: true,
            rule_detectors: true,
            min_confidence: 0.0,
        }
    }
}

impl DeidentifierBuilder {
    /// A builder with the built-in rules and the `tag` strategy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Use this rule set instead of the built-in one.
    pub fn rules(mut self, rules: RuleSet) -> Self {
        self.rules = Some(rules);
        self
    }

    /// Extend (and override by id) the rules with those in a directory.
    pub fn rules_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.rules_dir = Some(dir.into());
        self
    }

    /// How identifiers are replaced.
    pub fn strategy(mut self, strategy: Strategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// The secret key for surrogates and keyed date shifts: at least [`MIN_SECRET_BYTES`]
    /// bytes, or [`build`](Self::build) fails.
    pub fn secret(mut self, secret: impl Into<Vec<u8>>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// Only detect these categories (default: all).
    pub fn categories(mut self, categories: impl IntoIterator<Item = Category>) -> Self {
        self.categories = Some(categories.into_iter().collect());
        self
    }

    /// Terms never flagged (case-insensitive): a detection equal to a term, or lying inside an
    /// occurrence of one in the text ("Jane Roe" inside an allowed "Dr. Jane Roe"), is dropped.
    pub fn allow(mut self, terms: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.allow.extend(terms.into_iter().map(Into::into));
        self
    }

    /// Terms always flagged with a category (case-insensitive, whole words).
    pub fn deny(mut self, terms: impl IntoIterator<Item = (impl Into<String>, Category)>) -> Self {
        self.deny
            .extend(terms.into_iter().map(|(t, c)| (t.into(), c)));
        self
    }

    /// Whether a bare year ("in 2019") counts as a DATE (default `true`).
    pub fn years(mut self, years: bool) -> Self {
        self.years = years;
        self
    }

    /// Whether quasi-identifiers are replaced too (default `false`: they are only reported).
    pub fn redact_quasi(mut self, yes: bool) -> Self {
        self.redact_quasi = yes;
        self
    }

    /// Shift dates instead of replacing them.
    pub fn date_shift(mut self, shift: Option<DateShift>) -> Self {
        self.date_shift = shift;
        self
    }

    /// The fill character of the `mask` strategy (default `*`).
    pub fn mask_char(mut self, c: char) -> Self {
        self.mask_char = c;
        self
    }

    /// Whether the learned scorer of the rules (if they have one) runs beside the rule
    /// detectors (default `true`).
    pub fn model(mut self, yes: bool) -> Self {
        self.model = yes;
        self
    }

    /// Whether the pattern and dictionary detectors run (default `true`; `false` with a
    /// model measures the learned scorer alone).
    pub fn rule_detectors(mut self, yes: bool) -> Self {
        self.rule_detectors = yes;
        self
    }

    /// Candidates below this confidence are dropped before resolution (default 0: keep all,
    /// recall first). The learned scorer's confidence is a logistic function of its margin;
    /// 0.5 keeps only what it finds more likely an identifier than not.
    pub fn min_confidence(mut self, c: f32) -> Self {
        self.min_confidence = if c.is_finite() {
            c.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// Compiles the rules and builds the automata.
    pub fn build(self) -> Result<Deidentifier> {
        let builtin_only = self.rules.is_none() && self.rules_dir.is_none();
        let mut rules = self.rules.unwrap_or_else(RuleSet::builtin);
        if let Some(dir) = &self.rules_dir {
            rules.extend_from_dir(dir)?;
        }
        let needs_secret = self.strategy == Strategy::Surrogate
            || matches!(self.date_shift, Some(DateShift::Keyed { .. }));
        if needs_secret && self.secret.as_ref().is_none_or(|s| s.is_empty()) {
            return Err(Error::config(
                "the surrogate strategy and keyed date shifting need a secret (e.g. --secret-file)",
            ));
        }
        if let Some(shift) = self.date_shift {
            shift.check()?;
        }
        if let Some(i) = self.deny.iter().position(|(t, _)| t.trim().is_empty()) {
            return Err(Error::config(format!(
                "deny term {} is empty (or only spaces)",
                i + 1
            )));
        }
        if let Some(secret) = self.secret.as_ref().filter(|s| s.len() < MIN_SECRET_BYTES) {
            return Err(Error::config(format!(
                "the secret is {} bytes; at least {MIN_SECRET_BYTES} are needed (32 recommended): \
                 make one with `deid keygen > key.txt`, `openssl rand -hex 32 > key.txt` or \
                 Python's `secrets.token_hex(32)`",
                secret.len()
            )));
        }
        // The pattern rules and the dictionaries are built at the same time, on two threads
        // when a second one can be had: each is about half of the start-up work (issue 12).
        let dictionaries = || -> Result<Arc<Dictionaries>> {
            let builtin = &*crate::rules::builtin::BUILTIN;
            if builtin_only {
                BUILTIN_DICTS.clone().map_err(|e| Error::config(e.clone()))
            } else if same_lexicon(
                (&rules.dictionaries, &rules.cues),
                (&builtin.dictionaries, &builtin.cues),
            ) {
                // Rules that change no dictionary and no flagged cue word (new pattern
                // rules, other word lists) keep the lexicon made at compile time.
                Ok(Arc::new(DictionariesBuilder::build_with_builtin_lexicon(
                    &rules.cues,
                )?))
            } else {
                Ok(Arc::new(build_dictionaries(&rules)?))
            }
        };
        let (patterns, dicts) = std::thread::scope(|s| {
            let other = std::thread::Builder::new()
                .name("deid-dictionaries".into())
                .spawn_scoped(s, dictionaries);
            let patterns = PatternDetector::new(&rules.patterns);
            let dicts = match other {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => dictionaries(),
            };
            (patterns, dicts)
        });
        let (patterns, dicts) = (patterns?, dicts?);
        // The groups' automata are compiled when a note first triggers them; rules other than
        // the built-in ones (which a test compiles) are compiled now, so that an error in a
        // rule file shows when the engine is built, not as a rule that finds nothing.
        if !builtin_only {
            patterns.check_automata()?;
        }
        // Surrogate pools are read only by the surrogate strategy: nothing else pays for them
        // (issue 12: no start-up work a command does not need).
        let pools = if self.strategy != Strategy::Surrogate {
            Arc::new(SurrogatePools::default())
        } else if builtin_only {
            BUILTIN_POOLS.clone()
        } else {
            Arc::new(build_pools(&rules))
        };
        let deny = if self.deny.is_empty() {
            None
        } else {
            let ac = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(self.deny.iter().map(|(t, _)| t.trim()))
                .map_err(|e| Error::config(format!("cannot build deny list: {e}")))?;
            Some((ac, self.deny.iter().map(|(_, c)| *c).collect()))
        };
        let model = if self.model {
            rules.model.clone()
        } else {
            None
        };
        let terms: Vec<&str> = self
            .allow
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        let allow_ac = if terms.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(terms)
                    .map_err(|e| Error::config(format!("cannot build allow list: {e}")))?,
            )
        };
        Ok(Deidentifier {
            model,
            model_rule: Arc::from("name.model"),
            age_rule: Arc::from("age.after_name"),
            rule_detectors: self.rule_detectors,
            min_confidence: self.min_confidence,
            patterns,
            dicts,
            pools,
            ids: Ids::default(),
            deny,
            deny_rule: Arc::from("deny"),
            allow: self.allow.iter().map(|a| a.trim().to_lowercase()).collect(),
            allow_ac,
            categories: self.categories,
            years: self.years,
            redact: RedactConfig {
                strategy: self.strategy,
                secret: self.secret,
                mask_char: self.mask_char,
                date_shift: self.date_shift,
                redact_quasi: self.redact_quasi,
            },
        })
    }
}

pub(crate) fn build_dictionaries(rules: &RuleSet) -> Result<Dictionaries> {
    let mut b = DictionariesBuilder::default();
    for d in &rules.dictionaries {
        b.add_dictionary(d)?;
    }
    b.add_cues(&rules.cues);
    b.build()
}

fn build_pools(rules: &RuleSet) -> SurrogatePools {
    // The data rows of every dictionary of one role, split into columns.
    // A dictionary marked `surrogates = false` (the cities of other countries) is for
    // detection only.
    let rows = |role: DictRole| -> Vec<Vec<&str>> {
        rules
            .dictionaries
            .iter()
            .filter(|d| d.role == role && d.surrogates)
            .flat_map(|d| d.content.lines())
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split('\t').map(str::trim).collect())
            .collect()
    };
    let number = |cols: &[&str], i: usize| -> f64 {
        cols.get(i).and_then(|c| c.parse().ok()).unwrap_or(0.0)
    };
    // The `n` most frequent terms of `rows` by column `col` (ties by name).
    let top = |rows: &[Vec<&str>], col: usize, n: usize| -> Vec<String> {
        let mut v: Vec<(f64, &str)> = rows.iter().map(|r| (number(r, col), r[0])).collect();
        v.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        v.into_iter().take(n).map(|(_, s)| s.to_string()).collect()
    };
    let first_rows = rows(DictRole::FirstName);
    let mut first_pm: HashMap<String, f64> = first_rows
        .iter()
        .map(|r| (r[0].to_lowercase(), number(r, 1)))
        .collect();
    for r in rows(DictRole::Surname) {
        let name = r[0].to_lowercase();
        if first_pm.get(&name).is_some_and(|f| *f < number(&r, 1)) {
            first_pm.remove(&name);
        }
    }
    // Given names by sex (the `sex` column of first_names.tsv: F, M or U); a surrogate given
    // name is one more common as a given name than as a surname (not `Williams`).
    let sex_of = |r: &Vec<&str>| r.get(2).and_then(|f| Sex::from_flag(f));
    let given_rows: Vec<Vec<&str>> = first_rows
        .iter()
        .filter(|r| first_pm.contains_key(&r[0].to_lowercase()))
        .cloned()
        .collect();
    let of_sex = |sex: Sex| -> Vec<Vec<&str>> {
        given_rows
            .iter()
            .filter(|r| sex_of(r) == Some(sex))
            .cloned()
            .collect()
    };
    let name_sex = first_rows
        .iter()
        .filter_map(|r| sex_of(r).map(|s| (r[0].to_lowercase(), s)))
        .collect();
    // The US states and territories (name, USPS code).
    let us_states: Vec<(String, String)> = rows(DictRole::State)
        .iter()
        .filter_map(|r| {
            let code = r.get(1).filter(|c| c.len() == 2)?;
            Some((r[0].to_string(), code.to_uppercase()))
        })
        .collect();
    let countries: Vec<String> = rows(DictRole::Location)
        .iter()
        .map(|r| {
            let words: Vec<String> = r[0]
                .split(' ')
                .enumerate()
                .map(|(i, w)| match w {
                    "and" | "of" | "the" if i > 0 => w.to_string(),
                    _ => {
                        let mut c = w.chars();
                        c.next()
                            .map(|f| f.to_uppercase().chain(c).collect())
                            .unwrap_or_default()
                    }
                })
                .collect();
            words.join(" ")
        })
        .collect();
    // Towns by country: `dict.intl_places` gives the country, `dict.us_places` is the US.
    let mut towns: HashMap<&str, Vec<(f64, &str)>> = HashMap::new();
    for d in rules
        .dictionaries
        .iter()
        .filter(|d| d.role == DictRole::City)
    {
        let lines = d
            .content
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        for l in lines {
            let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
            let country = match &*d.id {
                "dict.us_places" => "US",
                "dict.intl_places" => cols.get(1).copied().unwrap_or(""),
                _ => continue,
            };
            towns
                .entry(country)
                .or_default()
                .push((number(&cols, 2), cols[0]));
        }
    }
    let mut pools = SurrogatePools {
        first_names: first_pm.into_keys().collect(),
        name_sex,
        first: top(&given_rows, 1, 1500),
        first_female: top(&of_sex(Sex::Female), 1, 800),
        first_male: top(&of_sex(Sex::Male), 1, 800),
        last: top(&rows(DictRole::Surname), 1, 3000),
        cities: top(&rows(DictRole::City), 2, 400),
        counties: top(&rows(DictRole::County), 2, 300),
        country_keys: countries
            .iter()
            .map(|c: &String| c.to_lowercase())
            .collect(),
        countries,
        regions: Vec::new(),
        city_region: HashMap::new(),
        holidays: Vec::new(),
        holiday_keys: HashSet::new(),
    };
    pools.add_builtin_data(&us_states);
    // A town of several countries belongs to the one where it is largest.
    let mut by_size: Vec<(f64, &str, usize)> = Vec::new();
    for (i, region) in pools.regions.iter_mut().enumerate() {
        let Some(list) = towns.get_mut(region.country.as_str()) else {
            continue;
        };
        list.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        region.cities = list.iter().take(200).map(|(_, t)| t.to_string()).collect();
        by_size.extend(list.iter().map(|&(pop, town)| (pop, town, i)));
    }
    by_size.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    for (_, town, i) in by_size {
        pools.city_region.entry(town.to_lowercase()).or_insert(i);
    }
    pools
}

static BUILTIN_DICTS: LazyLock<std::result::Result<Arc<Dictionaries>, String>> =
    LazyLock::new(|| {
        DictionariesBuilder::build_with_builtin_lexicon(&crate::rules::builtin::BUILTIN.cues)
            .map(Arc::new)
            .map_err(|e| e.to_string())
    });
static BUILTIN_POOLS: LazyLock<Arc<SurrogatePools>> =
    LazyLock::new(|| Arc::new(build_pools(&RuleSet::builtin())));

/// The de-identification engine: immutable once built, `Send + Sync`, cheap to share.
pub struct Deidentifier {
    model: Option<Arc<crate::Model>>,
    model_rule: Arc<str>,
    age_rule: Arc<str>,
    rule_detectors: bool,
    min_confidence: f32,
    patterns: PatternDetector,
    dicts: Arc<Dictionaries>,
    pools: Arc<SurrogatePools>,
    ids: Ids,
    deny: Option<(AhoCorasick, Vec<Category>)>,
    deny_rule: Arc<str>,
    allow: HashSet<String>,
    allow_ac: Option<AhoCorasick>,
    categories: Option<HashSet<Category>>,
    years: bool,
    redact: RedactConfig,
}

impl std::fmt::Debug for Deidentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deidentifier")
            .field("strategy", &self.redact.strategy)
            .field("dictionary_terms", &self.dicts.len())
            .finish_non_exhaustive()
    }
}

fn word_boundary_at(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

impl Deidentifier {
    /// A builder.
    pub fn builder() -> DeidentifierBuilder {
        DeidentifierBuilder::new()
    }

    /// The rule detectors' candidates (pattern rules, names and places from dictionaries and
    /// cues), before resolution: the learned scorer's rule features.
    pub(crate) fn rule_candidates(&self, text: &str) -> Vec<Candidate> {
        self.rule_candidates_of(text, &crate::text::tokenize(text))
    }

    /// [`Deidentifier::rule_candidates`] of `text` whose tokens are `tokens`.
    fn rule_candidates_of(&self, text: &str, tokens: &[crate::text::Token]) -> Vec<Candidate> {
        let mut cands: Vec<Candidate> = Vec::new();
        self.patterns.detect(text, &mut cands);
        names::detect(&self.dicts, &self.ids, text, tokens, &mut cands);
        cands
    }

    /// Finds identifiers: sorted, disjoint spans with byte offsets on char boundaries. A text
    /// longer than [`WINDOW_BYTES`](crate::WINDOW_BYTES) is detected window by window (see
    /// [`Deidentifier::detect_windows`]), so memory does not grow with its length.
    pub fn detect(&self, text: &str) -> Vec<Span> {
        if text.len() <= crate::window::WINDOW_BYTES {
            return self.detect_whole(text);
        }
        let mut all = Vec::new();
        let done: std::result::Result<(), std::convert::Infallible> =
            self.detect_windows(text, |_, spans| {
                all.extend(spans);
                Ok(())
            });
        let Ok(()) = done;
        all
    }

    /// Detects `text` window by window (the cuts and their limits are described in
    /// [`crate::window`]: near every [`WINDOW_BYTES`](crate::WINDOW_BYTES), at a blank line
    /// where there is one) and calls `each`, in text order, with each window's byte range and
    /// spans (document offsets, sorted, disjoint, inside the range). The ranges follow one
    /// another and cover the text; a text of at most `WINDOW_BYTES` is one window, an empty
    /// one none. Up to eight windows are detected at a time on the current rayon pool, so
    /// memory holds a few windows' working data, never the whole text's. Stops at the first
    /// error `each` returns.
    ///
    /// ```
    /// let deid = deid_core::Deidentifier::builder().build()?;
    /// let note = "Seen by Dr. Jane Roe on 03/04/2021.\n\n";
    /// let text = note.repeat(deid_core::WINDOW_BYTES / note.len() + 10);
    /// let mut windows = 0;
    /// let mut found = 0;
    /// deid.detect_windows(&text, |range, spans| {
    ///     windows += 1;
    ///     assert!(spans.iter().all(|s| range.start <= s.start && s.end <= range.end));
    ///     found += spans.len();
    ///     Ok::<(), std::convert::Infallible>(())
    /// }).unwrap();
    /// assert_eq!(windows, 2);
    /// assert_eq!(found, deid.detect(&text).len());
    /// # Ok::<(), deid_core::Error>(())
    /// ```
    pub fn detect_windows<E>(
        &self,
        text: &str,
        each: impl FnMut(std::ops::Range<usize>, Vec<Span>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.windows_of(text, crate::window::WINDOW_BYTES, each)
    }

    /// [`Deidentifier::detect_windows`] with windows of about `size` bytes.
    fn windows_of<E>(
        &self,
        text: &str,
        size: usize,
        mut each: impl FnMut(std::ops::Range<usize>, Vec<Span>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        use crate::window;
        let cuts = window::cuts(text, size);
        let pairs: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
        let batch = rayon::current_num_threads().clamp(1, 8);
        let mut floor = 0;
        for group in pairs.chunks(batch) {
            let found: Vec<Vec<Span>> = group
                .par_iter()
                .map(|&(from, cut)| {
                    let reach = window::reach(text, cut);
                    let mut spans = self.detect_whole(&text[from..reach]);
                    spans.retain(|s| s.start < cut - from);
                    for s in &mut spans {
                        s.start += from;
                        s.end += from;
                    }
                    spans
                })
                .collect();
            for (&(from, cut), mut spans) in group.iter().zip(found) {
                let range = window::seam(floor, from..cut, &mut spans);
                floor = range.end;
                each(range, spans)?;
            }
        }
        Ok(())
    }

    /// [`Deidentifier::detect`] of one window: the whole text at once.
    fn detect_whole(&self, text: &str) -> Vec<Span> {
        // One tokenisation for the name rules, the learned scorer and completion.
        let mut tokens = crate::text::tokenize(text);
        self.dicts.look_up_tokens(text, &mut tokens);
        let mut cands: Vec<Candidate> = self.rule_candidates_of(text, &tokens);
        if let Some(m) = &self.model {
            m.detect(&self.dicts, &self.model_rule, text, &tokens, &mut cands);
        }
        if !self.rule_detectors {
            cands.retain(|c| Arc::ptr_eq(&c.rule, &self.model_rule));
        }
        if let Some((ac, cats)) = &self.deny {
            for m in ac.find_iter(text) {
                if word_boundary_at(text, m.start(), m.end()) {
                    let cat = cats[m.pattern().as_usize()];
                    cands.push(Candidate {
                        start: m.start(),
                        end: m.end(),
                        category: cat,
                        kind: cat.default_kind(),
                        rule: self.deny_rule.clone(),
                        confidence: 1.0,
                        priority: 50,
                    });
                }
            }
        }
        let allowed: Vec<(usize, usize)> = match &self.allow_ac {
            Some(ac) => ac
                .find_iter(text)
                .filter(|m| word_boundary_at(text, m.start(), m.end()))
                .map(|m| (m.start(), m.end()))
                .collect(),
            None => Vec::new(),
        };
        cands.retain(|c| {
            c.confidence >= self.min_confidence
                && !allowed.iter().any(|&(s, e)| s <= c.start && c.end <= e)
                && self
                    .categories
                    .as_ref()
                    .is_none_or(|cs| cs.contains(&c.category))
                && (self.years || !c.rule.starts_with("date.year"))
                && (self.allow.is_empty()
                    || !self
                        .allow
                        .contains(&text[c.start..c.end].trim().to_lowercase()))
        });
        crate::detect::language::drop_other_language_words(text, &self.dicts, &mut cands);
        // "Client: Erm, not really": a sound of speech is no name, whatever found it.
        cands.retain(|c| {
            c.category != Category::Name || !self.dicts.names.interjection(&text[c.start..c.end])
        });
        let mut spans = crate::resolve::resolve(text, cands);
        if self.rule_detectors
            && self
                .categories
                .as_ref()
                .is_none_or(|c| c.contains(&Category::Name))
        {
            crate::detect::complete::complete(text, &tokens, &self.dicts, &self.ids, &mut spans);
        }
        self.ages_after_names(text, &mut spans);
        spans
    }

    /// An age over 89 written right after a name ("her grandmother (Ada Kerr, 93)", "lives
    /// with Ed Moss, 101,") is a direct identifier even with no word saying it is an age.
    fn ages_after_names(&self, text: &str, spans: &mut Vec<Span>) {
        if self
            .categories
            .as_ref()
            .is_some_and(|c| !c.contains(&Category::Age))
        {
            return;
        }
        let mut found = Vec::new();
        for (k, s) in spans.iter().enumerate() {
            if s.category != Category::Name {
                continue;
            }
            let rest = &text[s.end..];
            let lead = rest
                .bytes()
                .take(4)
                .take_while(|b| matches!(b, b',' | b' ' | b'('))
                .count();
            if lead == 0 || !rest[..lead].contains([',', '(']) {
                continue;
            }
            let digits = rest[lead..].bytes().take_while(u8::is_ascii_digit).count();
            if !(2..=3).contains(&digits)
                || rest[lead + digits..].chars().next().is_some_and(|c| {
                    c.is_alphanumeric()
                        || c == '/'
                        || c == '.'
                            && rest[lead + digits + 1..].starts_with(|c: char| c.is_ascii_digit())
                })
            {
                continue;
            }
            let age: u32 = rest[lead..lead + digits].parse().unwrap_or(0);
            let (a, b) = (s.end + lead, s.end + lead + digits);
            let free = spans.get(k + 1).is_none_or(|n| n.start >= b);
            if (90..=125).contains(&age) && free {
                found.push(Span {
                    start: a,
                    end: b,
                    category: Category::Age,
                    kind: crate::category::Kind::Direct,
                    rule: self.age_rule.clone(),
                    confidence: 0.7,
                });
            }
        }
        if !found.is_empty() {
            spans.extend(found);
            spans.sort_by_key(|s| s.start);
        }
    }

    /// Re-identification risk of what remains once direct identifiers are removed: the
    /// quasi-identifiers of the client, the reference community, λ, hard triggers, a
    /// red/amber/green level and suggested generalisations. See [`crate::risk`].
    pub fn risk(
        &self,
        text: &str,
        opts: &crate::risk::RiskOptions,
    ) -> Result<crate::risk::Assessment> {
        let spans = self.detect(text);
        crate::risk::assess(text, &spans, opts)
    }

    /// [`Self::risk`] on a reviewed span list (sorted, disjoint, on char boundaries, as
    /// [`crate::reviewed_spans`] makes it) instead of deid's own findings: what a clinician
    /// rejected is not held against the note, what they added is.
    pub fn risk_spans(
        &self,
        text: &str,
        spans: &[Span],
        opts: &crate::risk::RiskOptions,
    ) -> Result<crate::risk::Assessment> {
        crate::risk::assess(text, &checked_spans(text, spans)?, opts)
    }

    /// The supervision-vignette rewrite: direct identifiers become roles ("the client",
    /// "Person A"), dates become time relative to treatment, named places and organisations
    /// become their kind, and quasi-identifiers are generalised as [`Self::risk`] suggests;
    /// with the assessment before and after.
    pub fn vignette(
        &self,
        text: &str,
        opts: &crate::risk::RiskOptions,
    ) -> Result<crate::risk::Vignette> {
        let spans = self.detect(text);
        self.vignette_of(text, &spans, opts)
    }

    /// [`Self::vignette`] from a reviewed span list instead of deid's own findings: rejected
    /// spans stay as written, added ones are rewritten like found ones. The rewritten text is
    /// assessed again with deid's own detection (what remains is what a reader sees).
    pub fn vignette_spans(
        &self,
        text: &str,
        spans: &[Span],
        opts: &crate::risk::RiskOptions,
    ) -> Result<crate::risk::Vignette> {
        self.vignette_of(text, &checked_spans(text, spans)?, opts)
    }

    fn vignette_of(
        &self,
        text: &str,
        spans: &[Span],
        opts: &crate::risk::RiskOptions,
    ) -> Result<crate::risk::Vignette> {
        let before = crate::risk::assess(text, spans, opts)?;
        let (out, changes) = crate::risk::vignette::build(text, spans, &before);
        let after_spans = self.detect(&out);
        let mut o2 = opts.clone();
        if o2.population.is_none() && o2.place.is_none() {
            // The rewritten text no longer names the place: keep the community it had.
            o2.population = Some(before.population.value);
        }
        let mut after = crate::risk::assess(&out, &after_spans, &o2)?;
        if opts.population.is_none() && opts.place.is_none() {
            let given = after.population.source.clone();
            after.population.source = before.population.source.clone();
            for r in &mut after.reasons {
                *r = r.replace(&given, &before.population.source);
            }
        }
        Ok(crate::risk::Vignette {
            text: out,
            changes,
            before,
            after,
        })
    }

    /// Detects and redacts with the configured strategy.
    pub fn redact(&self, text: &str) -> Redacted {
        self.redact_record(text, None)
    }

    /// Like [`Deidentifier::redact`], with the record (patient) key that keyed date shifts and
    /// surrogate dates use, so every note of one patient moves by the same number of days.
    pub fn redact_record(&self, text: &str, record_key: Option<&str>) -> Redacted {
        let spans = self.detect(text);
        redact(&self.redact, &self.pools, text, spans, record_key)
    }

    /// True when redaction shifts dates by a keyed per-record offset, so it needs each text's
    /// record (patient) key: without one, every text would be moved by the same offset, and
    /// one known date would undo the shift of them all. The CLI always has a key (the
    /// `--key-field`, else the record id or the file's path); the Python package refuses a
    /// text without one.
    pub fn needs_record_key(&self) -> bool {
        matches!(self.redact.date_shift, Some(DateShift::Keyed { .. }))
    }

    /// Redacts exactly `spans` (a reviewed list: the detections a person accepted plus the
    /// ones they added) with the configured strategy, instead of detecting. Every span is
    /// replaced, direct or quasi. The spans are byte ranges of `text`, in any order; each must
    /// be non-empty, within the text, on character boundaries and overlap no other, else an
    /// [`ErrorKind::Span`](crate::ErrorKind::Span) error names the span's position in the list
    /// (never its text).
    ///
    /// ```
    /// use deid_core::{Category, Deidentifier, Kind, Span};
    /// let deid = Deidentifier::builder().build()?;
    /// let text = "Seen by Jane Roe in Ennis.";
    /// let span = |start, end, category| Span {
    ///     start, end, category, kind: Kind::Direct, rule: "review".into(), confidence: 1.0,
    /// };
    /// let out = deid.redact_spans(text, &[span(20, 25, Category::City), span(8, 16, Category::Name)])?;
    /// assert_eq!(out.text, "Seen by [NAME] in [CITY].");
    /// # Ok::<(), deid_core::Error>(())
    /// ```
    pub fn redact_spans(&self, text: &str, spans: &[Span]) -> Result<Redacted> {
        self.redact_spans_record(text, spans, None)
    }

    /// Like [`Deidentifier::redact_spans`], with the record (patient) key of keyed date
    /// shifts and surrogate dates, as [`Deidentifier::redact_record`] takes it.
    pub fn redact_spans_record(
        &self,
        text: &str,
        spans: &[Span],
        record_key: Option<&str>,
    ) -> Result<Redacted> {
        let sorted = checked_spans(text, spans)?;
        let mut cfg = self.redact.clone();
        cfg.redact_quasi = true;
        Ok(redact(&cfg, &self.pools, text, sorted, record_key))
    }

    /// [`Deidentifier::detect`] over many texts on all cores; results in input order.
    pub fn detect_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<Span>> {
        texts.par_iter().map(|t| self.detect(t.as_ref())).collect()
    }

    /// [`Deidentifier::redact`] over many texts on all cores; results in input order.
    pub fn redact_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Redacted> {
        texts.par_iter().map(|t| self.redact(t.as_ref())).collect()
    }

    /// [`Deidentifier::redact_record`] over many `(text, key)` pairs on all cores, in order.
    pub fn redact_records<S: AsRef<str> + Sync, K: AsRef<str> + Sync>(
        &self,
        records: &[(S, Option<K>)],
    ) -> Vec<Redacted> {
        records
            .par_iter()
            .map(|(t, k)| self.redact_record(t.as_ref(), k.as_ref().map(AsRef::as_ref)))
            .collect()
    }

    /// The dictionaries the detectors (and the learned scorer's features) read.
    pub(crate) fn dictionaries(&self) -> &Dictionaries {
        &self.dicts
    }

    /// True when the learned name, place and organisation scorer runs beside the rules.
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// The redaction strategy.
    pub fn strategy(&self) -> Strategy {
        self.redact.strategy
    }

    /// True when quasi-identifiers are redacted too.
    pub fn redacts_quasi(&self) -> bool {
        self.redact.redact_quasi
    }
}

/// Reads an allow or deny list file: one term a line, `#` comments; a deny line may end in
/// `<TAB>CATEGORY` (default NAME). Errors name the file and line, never the term.
pub fn read_term_file(path: &Path, with_category: bool) -> Result<Vec<(String, Category)>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::rule(
            path.display().to_string(),
            1,
            format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let term = cols.next().unwrap_or("").trim().to_string();
        let cat = match cols.next().map(str::trim) {
            // The column is not quoted: a misplaced tab could make it a name.
            Some(c) if with_category && !c.is_empty() => Category::from_label(c).map_err(|_| {
                let known: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
                Error::rule(
                    path.display().to_string(),
                    i + 1,
                    format!("unknown category in column 2 (known: {})", known.join(", ")),
                )
            })?,
            Some(_) if !with_category => {
                return Err(Error::rule(
                    path.display().to_string(),
                    i + 1,
                    "an allow list has one term a line, no tab",
                ));
            }
            _ => Category::Name,
        };
        if term.is_empty() {
            return Err(Error::rule(path.display().to_string(), i + 1, "empty term"));
        }
        out.push((term, cat));
    }
    Ok(out)
}

/// A reviewed span list checked (each non-empty, inside the text, on char boundaries, none
/// overlapping another) and sorted; errors name the span by its position in the list.
fn checked_spans(text: &str, spans: &[Span]) -> Result<Vec<Span>> {
    for (i, s) in spans.iter().enumerate() {
        if s.start >= s.end {
            return Err(Error::span(i, "start must be before end"));
        }
        if s.end > text.len() {
            return Err(Error::span(i, "ends past the end of the text"));
        }
        if !text.is_char_boundary(s.start) || !text.is_char_boundary(s.end) {
            return Err(Error::span(i, "not on a character boundary"));
        }
    }
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].start, spans[i].end));
    for w in order.windows(2) {
        if spans[w[0]].overlaps(&spans[w[1]]) {
            return Err(Error::span(
                w[0].max(w[1]),
                format!("overlaps span {}", w[0].min(w[1])),
            ));
        }
    }
    Ok(order.iter().map(|&i| spans[i].clone()).collect())
}

/// The engine is shared across threads: this only compiles while it is `Send + Sync`.
const _: () = {
    const fn is<T: Send + Sync>() {}
    is::<Deidentifier>()
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use proptest::prelude::{prop_assert, prop_assert_eq, proptest, ProptestConfig};

    /// A dictionary marked `surrogates = false` (the cities of other countries) is read for
    /// detection and never drawn from; the six countries' towns still are.
    #[test]
    fn detection_only_dictionaries_stay_out_of_the_surrogate_pools() {
        let rules = RuleSet::builtin();
        assert!(rules
            .dictionaries
            .iter()
            .any(|d| &*d.id == "dict.world_cities" && !d.surrogates));
        let has = |p: &SurrogatePools, c: &str| p.cities.iter().any(|x| x.eq_ignore_ascii_case(c));
        let pools = build_pools(&rules);
        assert!(!pools.cities.is_empty() && !has(&pools, "Nairobi"));
        // The pool draws the largest towns: without the mark a city of 2.7 million would be
        // one of them.
        let mut unmarked = rules.clone();
        for d in &mut unmarked.dictionaries {
            d.surrogates = true;
        }
        assert!(has(&build_pools(&unmarked), "Nairobi"));
    }

    fn engine() -> &'static Deidentifier {
        static D: LazyLock<Deidentifier> =
            LazyLock::new(|| Deidentifier::builder().build().expect("builds"));
        &D
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Windows of any size cover the text in order; their spans are sorted, disjoint,
        /// inside their window and on char boundaries; a date is never lost at a cut.
        #[test]
        fn windows_partition_the_text_and_lose_no_date_at_a_cut(
            parts in proptest::collection::vec(0usize..9, 1..120),
            size in 16usize..400,
        ) {
            const PARTS: [&str; 9] = [
                "Seen by Dr. Jane Roe", " on 03/14/2021.", "\n\n", "\n", " mood stable",
                " Zoë Ó Briain ", " call 555-0100", " the client", " café ",
            ];
            let text: String = parts.iter().map(|&i| PARTS[i]).collect();
            let mut next = 0;
            let mut spans = Vec::new();
            engine()
                .windows_of(&text, size, |range, found| {
                    prop_assert_eq!(range.start, next);
                    prop_assert!(range.start <= range.end);
                    next = range.end;
                    for s in &found {
                        prop_assert!(range.start <= s.start && s.start < s.end && s.end <= range.end);
                        prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                    }
                    spans.extend(found);
                    Ok(())
                })?;
            prop_assert_eq!(next, text.len());
            for w in spans.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
            for (at, _) in text.match_indices("03/14/2021") {
                let covered = (at..at + 10)
                    .all(|b| spans.iter().any(|s| s.start <= b && b < s.end));
                prop_assert!(covered, "date at {} of {:?} (window {})", at, text, size);
            }
        }
    }

    #[test]
    fn a_text_of_one_window_is_detected_as_before() {
        let text = "Seen by Dr. Jane Roe on 03/14/2021 in Ennis.\n\n".repeat(50);
        let whole = engine().detect_whole(&text);
        let mut windowed = Vec::new();
        engine()
            .windows_of(&text, text.len(), |_, s| {
                windowed.extend(s);
                Ok::<(), std::convert::Infallible>(())
            })
            .unwrap();
        let key = |s: &Span| (s.start, s.end, s.category);
        assert_eq!(
            whole.iter().map(key).collect::<Vec<_>>(),
            windowed.iter().map(key).collect::<Vec<_>>()
        );
        assert_eq!(engine().detect(&text).len(), whole.len());
    }

    #[test]
    fn secret_shorter_than_sixteen_bytes_is_a_config_error() {
        for short in [&b"k"[..], b"fifteen-bytes!!"] {
            for b in [
                Deidentifier::builder().strategy(Strategy::Surrogate),
                Deidentifier::builder().date_shift(Some(DateShift::Keyed { max_days: 30 })),
            ] {
                let e = b.secret(short).build().expect_err("short secret");
                assert_eq!(e.kind(), ErrorKind::Config);
                assert!(e.to_string().contains("deid keygen"), "{e}");
                assert!(
                    !e.to_string().contains("fifteen"),
                    "never quotes the secret"
                );
            }
        }
        let ok = Deidentifier::builder()
            .strategy(Strategy::Surrogate)
            .secret(&b"sixteen-bytes!!!"[..])
            .build();
        assert!(ok.is_ok());
    }

    #[test]
    fn empty_deny_term_is_a_config_error() {
        for term in ["", "  "] {
            let e = Deidentifier::builder()
                .deny([("Jane Roe", Category::Name), (term, Category::Name)])
                .build()
                .expect_err("empty deny term");
            assert_eq!(e.kind(), ErrorKind::Config);
            assert!(e.to_string().starts_with("deny term 2 is empty"), "{e}");
        }
    }

    #[test]
    fn builder_checks_shift_limits() {
        for shift in [DateShift::Fixed(36_526), DateShift::Keyed { max_days: 0 }] {
            let e = Deidentifier::builder()
                .secret(&b"sixteen-bytes!!!"[..])
                .date_shift(Some(shift))
                .build()
                .expect_err("out of range");
            assert_eq!(e.kind(), ErrorKind::Config);
        }
    }

    #[test]
    fn only_a_keyed_shift_needs_a_record_key() {
        let secret = &b"sixteen-bytes!!!"[..];
        let build = |b: DeidentifierBuilder| b.secret(secret).build().expect("builds");
        let keyed =
            build(Deidentifier::builder().date_shift(Some(DateShift::Keyed { max_days: 30 })));
        assert!(keyed.needs_record_key());
        assert!(
            !build(Deidentifier::builder().date_shift(Some(DateShift::Fixed(3))))
                .needs_record_key()
        );
        assert!(!build(Deidentifier::builder()).needs_record_key());
    }

    #[test]
    fn reviewed_spans_take_the_record_key() {
        let deid = Deidentifier::builder()
            .secret(&b"sixteen-bytes!!!"[..])
            .date_shift(Some(DateShift::Keyed { max_days: 300 }))
            .build()
            .expect("builds");
        let text = "Seen 03/14/2021.";
        let span = Span {
            start: 5,
            end: 15,
            category: Category::Date,
            kind: crate::Kind::Direct,
            rule: "review".into(),
            confidence: 1.0,
        };
        let by_key = |k: &str| {
            deid.redact_spans_record(text, std::slice::from_ref(&span), Some(k))
                .expect("valid")
                .text
        };
        assert_eq!(by_key("p1"), deid.redact_record(text, Some("p1")).text);
        let shifted: HashSet<String> = (0..8).map(|i| by_key(&format!("p{i}"))).collect();
        assert!(shifted.len() > 1, "{shifted:?}");
    }
}

use crate::category::{Category, Kind};
use crate::error::{Error, Result};
use crate::rules::validate::Validator;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use toml::Spanned;

/// One pattern rule: a regex with optional context requirements and a validator.
#[derive(Clone, Debug)]
pub struct PatternRule {
    /// Stable id, e.g. `phone.us`.
    pub id: Arc<str>,
    /// Category of the whole match (or of the `span` group).
    pub category: Category,
    /// Direct or quasi.
    pub kind: Kind,
    /// The regex source, as written.
    pub pattern: String,
    /// Named capture groups mapped to categories; empty means "the `span` group, else the match".
    pub groups: Vec<(String, Category)>,
    /// Confidence given to matches.
    pub confidence: f32,
    /// Higher wins when spans of different categories overlap.
    pub priority: i32,
    /// Words or phrases (lower case) that count as context.
    pub context: Vec<String>,
    /// When true, a match counts only with a context word within `window` bytes before it.
    pub require_context: bool,
    /// Words or phrases whose presence within `window` bytes on either side rejects a match.
    pub exclude_context: Vec<String>,
    /// Context window in bytes.
    pub window: usize,
    /// A match is rejected when the text right after it matches this regex (anchored at the
    /// match end), e.g. `^\s*(mg|ml)\b` so "May 5 mg" is no date.
    pub not_followed_by: Option<String>,
    /// A match is rejected when the text right before it matches this regex (which should
    /// end in `$`), e.g. `(?i)\bat\s*$` so "at 1930" is no year.
    pub not_preceded_by: Option<String>,
    /// Leading words (lower case) dropped from the span ("the", "to"); a span left with fewer
    /// than `min_words` words is rejected.
    pub trim_leading_words: Vec<String>,
    /// Trimmed words (lower case) given back to a span that passed its checks when they stand
    /// right before it, words that belong to a name ("veterans affairs medical center": the
    /// trim drops "veterans" so that "the community center" is no name; the span keeps it).
    pub restore_leading_words: Vec<String>,
    /// Fewest words a span may have after trimming (default 1).
    pub min_words: usize,
    /// Words (lower case) that reject a span when they occur in it after trimming.
    pub reject_words: Vec<String>,
    /// Words (lower case) after whose last occurrence the span starts ("TAKEN TO UNION
    /// HOSPITAL" becomes "UNION HOSPITAL" with `to`).
    pub cut_after_words: Vec<String>,
    /// Named validator run on the span text.
    pub validate: Option<Validator>,
    /// When set, a span the validator rejects is kept with this (lower) confidence instead of
    /// being dropped: a well-formed shape whose checksum or range test fails is still likely an
    /// identifier (a mistyped NHS number, a phone exchange starting with 1).
    pub invalid_confidence: Option<f32>,
    /// Also read lines written all in one case (all capitals, or no capitals) as title case:
    /// every word capitalised but the function words (of, the, and, ...), so that a rule
    /// written for a capitalised name finds "REFERRED BY KESTREL BAY CITIZENS ADVICE BUREAU"
    /// and "rang the harlow food bank" too (see [`crate::detect::pattern`]).
    pub caseless: bool,
    /// Only that reading: the rule runs on lines written all in one case, read as title case,
    /// and not on the text as written (a variant of another rule that would find the same
    /// spans there).
    pub caseless_only: bool,
    /// Texts in which the rule must find something.
    pub examples: Vec<String>,
    /// Texts in which the rule must find nothing.
    pub counterexamples: Vec<String>,
    /// Where the rule was defined (`path:line`).
    pub origin: String,
    /// The pattern's compiled size as estimated when the rule was read (see
    /// `MAX_RULE_SIZE`); the rule set's total is bounded too.
    pub compiled_size: u64,
}

pub use crate::detect::lexicon::DictRole;

/// A dictionary: a list of terms (first TSV column) with a role.
#[derive(Clone, Debug)]
pub struct DictionarySpec {
    /// Stable id, e.g. `dict.surnames`.
    pub id: Arc<str>,
    /// What the terms are.
    pub role: DictRole,
    /// Where it came from (for error messages).
    pub origin: String,
    /// The file content (TSV or one term a line; `#` starts a comment line).
    pub content: Arc<str>,
    /// Whether its terms may be drawn as surrogates (`surrogates = false` in the file: terms
    /// for detection only, such as the cities of other countries).
    pub surrogates: bool,
}

/// Name cues: word lists that make a nearby token a name.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cues {
    /// Titles before a name (`Dr`, `Mrs`), without the dot.
    pub titles: Vec<String>,
    /// Phrases after which a name follows (`her husband`, `seen by`).
    pub role_cues: Vec<String>,
    /// Credentials after a name (`RN`, `LCSW`).
    pub credentials: Vec<String>,
    /// Header labels followed by a colon and a name (`Client`, `Therapist`).
    pub header_labels: Vec<String>,
    /// Words after which a capitalised place name follows (`in`, `from`, `moved to`).
    pub place_cues: Vec<String>,
    /// Phrases after which a facility or employer follows (`transferred to`, `works at`).
    pub facility_cues: Vec<String>,
    /// Family and personal relations (`son`, `wife`): the name after one counts even when it
    /// is an ordinary word ("son bill called").
    pub relation_cues: Vec<String>,
    /// Words right after a name (`aware`, `notified`): "W. Marotta aware".
    pub post_cues: Vec<String>,
    /// Word endings of drug and clinical terms (`olol`, `mycin`): an unknown capitalised word
    /// ending so is taken for clinical vocabulary, not a name.
    pub clinical_suffixes: Vec<String>,
    /// Word beginnings of clinical compounds (`naso`, `non`): an unknown word made of one and
    /// a known word ("Nasotracheal", "Nonpurposeful") is clinical vocabulary.
    pub clinical_prefixes: Vec<String>,
    /// Nouns that follow an eponym (`scale`, `catheter`, `filter`): the word before one is a
    /// name only on a strong cue ("Riker scale", "Greenfield filter").
    pub eponym_nouns: Vec<String>,
    /// Geographic nouns that end a place name (`shore`, `square`, `harbor`): with a capitalised
    /// word before them, or alone after a place cue, they make a location ("the Eastern Shore").
    pub place_nouns: Vec<String>,
    /// Particles inside names (`van`, `der`, `ter`, `de la`): a found name extends over them to
    /// the next word ("Macy van den Heuvel").
    pub name_particles: Vec<String>,
    /// Words joining the parts of an organisation's name (`of`, `and`, `for`).
    pub org_joiners: Vec<String>,
    /// Company forms after an organisation's name (`Inc`, `Ltd`).
    pub org_tails: Vec<String>,
    /// Nouns ending an organisation's name (`hospital`, `unit`, `school`).
    pub org_nouns: Vec<String>,
    /// Words naming a unit of an address (`Apt`, `Unit`, `Flat`).
    pub address_units: Vec<String>,
    /// Auxiliaries, prepositions and pronouns: never a name on a single-case line.
    pub function_words: Vec<String>,
    /// Personal and possessive pronouns: never a name.
    pub pronouns: Vec<String>,
    /// The commonest words of other languages notes mix in (`es`, `fr`, `cy`, `mi`, `ga` ...):
    /// in a sentence of that language they are never a name or place.
    pub other_language_words: std::collections::BTreeMap<String, Vec<String>>,
    /// Endings of contractions (`'ll`, `n't`): a word ending so is no name.
    pub contraction_endings: Vec<String>,
    /// Titles that are also clinical abbreviations (`MD`, `ms`).
    pub clinical_titles: Vec<String>,
    /// Honorifics that take a dot before a name (`Ms.`, `Mr.`).
    pub honorifics: Vec<String>,
    /// Titles that are roles or clinical abbreviations (`RN`, `nurse`): a real name must follow.
    pub role_titles: Vec<String>,
    /// Personal titles before a lone capital or a detached surname prefix (`mr B`).
    pub personal_titles: Vec<String>,
    /// Surname prefixes written apart from the surname (`O Brien`).
    pub detached_surname_prefixes: Vec<String>,
    /// Credentials that are also clinical abbreviations (`PA`, `RT`).
    pub ambiguous_credentials: Vec<String>,
    /// Auxiliaries that are no past-tense verb after a possible name (`is`, `has`).
    pub auxiliary_verbs: Vec<String>,
    /// Modals after a known name (`will`, `may`).
    pub modal_verbs: Vec<String>,
    /// Relative pronouns for a person (`who`).
    pub relative_pronouns: Vec<String>,
    /// Header words before a given name and a verb (`social`).
    pub social_headers: Vec<String>,
    /// Verbs of speaking and contact whose subject is a person (`says`, `rang`).
    pub speech_verbs: Vec<String>,
    /// Roles that stand as speaker labels (`yp`, `kaimahi`, `mum`): never a speaker's name.
    pub speaker_roles: Vec<String>,
    /// Interjections and back-channel sounds of speech (`erm`, `uh-huh`): never a name.
    pub interjections: Vec<String>,
    /// Salutations (`dear`).
    pub salutations: Vec<String>,
    /// Parts of a signature or initials header label (`signature`), matched inside the label.
    pub initials_labels: Vec<String>,
    /// Articles skipped between a cue and its place (`the`).
    pub skipped_articles: Vec<String>,
    /// Place cues that take an article only before a two-word place (`on`).
    pub article_place_cues: Vec<String>,
    /// Short cues before a lower-case place noun alone (`to`).
    pub lower_place_cues: Vec<String>,
    /// Place nouns that are a place alone after a short cue (`manor`).
    pub lower_place_nouns: Vec<String>,
    /// Words after a place noun that make it an ordinary noun (`of`).
    pub place_noun_blockers: Vec<String>,
    /// Words that are no place name before a place noun (`same`, `first`).
    pub non_place_words: Vec<String>,
    /// Service nouns (`health`): an English word before one is no place.
    pub service_nouns: Vec<String>,
    /// Generic ward words (`ward`, `unit`): no ward name of their own.
    pub generic_wards: Vec<String>,
    /// Last words of an agent cue (`by`), matched as the cue's last word.
    pub agent_cue_words: Vec<String>,
    /// Units after a hospital acronym (`ER`, `ICU`).
    pub hospital_units: Vec<String>,
    /// Facility nouns after a place (`hospital`).
    pub facility_nouns: Vec<String>,
    /// Two-letter state codes that are also words (`in`, `me`).
    pub ambiguous_state_codes: Vec<String>,
    /// Initials that are compass points (`N`, `S`).
    pub compass_initials: Vec<String>,
    /// Words joining the names of a list (`and`).
    pub list_conjunctions: Vec<String>,
    /// Text between two names of a list (`,`, `&`), matched exactly.
    pub list_separators: Vec<String>,
    /// Words opening a place's name before its core (`port`, `las`, `new`).
    pub place_prefixes: Vec<String>,
    /// Labels opening a list of the people at a meeting (`present`, `apologies`).
    pub attendance_labels: Vec<String>,
    /// Words joining a service's descriptor words before its noun (`in`, `for`).
    pub descriptor_joiners: Vec<String>,
    /// Endings that make the words before them an organisation without other evidence (`fc`,
    /// `ltd`).
    pub strong_org_tails: Vec<String>,
    /// Words that may stand in an organisation's name between its proper words and its noun
    /// without being evidence of a name (`care`, `district`, `first`): "heatherbank care home".
    pub org_descriptors: Vec<String>,
    /// Organisation nouns that end a name only right after an `org_descriptors` word (`home`
    /// of "care home", `nation` of "first nation").
    pub weak_org_nouns: Vec<String>,
    /// Verbs before an organisation contacted or attended on a line without case (`referred`,
    /// `rang`, `went`).
    pub contact_verbs: Vec<String>,
    /// Particles between such a verb and its preposition (`down` of "went down to").
    pub contact_particles: Vec<String>,
    /// Prepositions after such a verb (`by`, `to`).
    pub contact_prepositions: Vec<String>,
    /// Words that close such an organisation's name (`last`, `re`, `today`).
    pub contact_stops: Vec<String>,
    /// Organisation nouns a bare number may follow as part of the name (`branch` of "Legion
    /// Branch 27", `council`, `troop`).
    pub numbered_org_nouns: Vec<String>,
    /// States, provinces, regions and counties outside the US, in a place's tail (`ns`, `ulster`).
    pub regions: Vec<String>,
    /// Countries' abbreviations (`nz`, `uk`): after a town, no service's acronym.
    pub country_codes: Vec<String>,
    /// Words after initials and "'s" that make them a person (`youngest`), beside relations.
    pub possessive_kin_words: Vec<String>,
    /// Job-cue verbs before an employer (`works`, `job`).
    pub employer_verbs: Vec<String>,
    /// Job-cue nouns (`job`, `shifts`), followed only by `employer_noun_prepositions`.
    pub employer_nouns: Vec<String>,
    /// Prepositions after a job-cue noun (`at`, `with`).
    pub employer_noun_prepositions: Vec<String>,
    /// Words between a job-cue verb and its preposition (`nights`, `casually`).
    pub employer_modifiers: Vec<String>,
    /// Prepositions of a job cue (`at`, `for`).
    pub employer_prepositions: Vec<String>,
    /// Words that make what follows a job cue a workplace or time, not a name (`home`).
    pub workplace_words: Vec<String>,
    /// Role cues naming a person around the client outside the family (`sponsor`, `teacher`):
    /// on a line without case an unknown word right after one is a name, as after a relation.
    pub person_roles: Vec<String>,
    /// Parts of header labels whose value is what a person is called (`preferred name`,
    /// `aka`), matched inside the label: the value is a name even when it is a word.
    pub alias_labels: Vec<String>,
}

impl Cues {
    fn extend(&mut self, other: Cues) {
        self.titles.extend(other.titles);
        self.role_cues.extend(other.role_cues);
        self.credentials.extend(other.credentials);
        self.header_labels.extend(other.header_labels);
        self.place_cues.extend(other.place_cues);
        self.facility_cues.extend(other.facility_cues);
        self.relation_cues.extend(other.relation_cues);
        self.post_cues.extend(other.post_cues);
        self.clinical_suffixes.extend(other.clinical_suffixes);
        self.clinical_prefixes.extend(other.clinical_prefixes);
        self.eponym_nouns.extend(other.eponym_nouns);
        self.place_nouns.extend(other.place_nouns);
        self.name_particles.extend(other.name_particles);
        self.org_joiners.extend(other.org_joiners);
        self.org_tails.extend(other.org_tails);
        self.org_nouns.extend(other.org_nouns);
        self.address_units.extend(other.address_units);
        self.function_words.extend(other.function_words);
        self.pronouns.extend(other.pronouns);
        for (lang, words) in other.other_language_words {
            self.other_language_words
                .entry(lang)
                .or_default()
                .extend(words);
        }
        self.contraction_endings.extend(other.contraction_endings);
        self.clinical_titles.extend(other.clinical_titles);
        self.honorifics.extend(other.honorifics);
        self.role_titles.extend(other.role_titles);
        self.personal_titles.extend(other.personal_titles);
        self.detached_surname_prefixes
            .extend(other.detached_surname_prefixes);
        self.ambiguous_credentials
            .extend(other.ambiguous_credentials);
        self.auxiliary_verbs.extend(other.auxiliary_verbs);
        self.modal_verbs.extend(other.modal_verbs);
        self.relative_pronouns.extend(other.relative_pronouns);
        self.social_headers.extend(other.social_headers);
        self.speech_verbs.extend(other.speech_verbs);
        self.speaker_roles.extend(other.speaker_roles);
        self.interjections.extend(other.interjections);
        self.salutations.extend(other.salutations);
        self.initials_labels.extend(other.initials_labels);
        self.skipped_articles.extend(other.skipped_articles);
        self.article_place_cues.extend(other.article_place_cues);
        self.lower_place_cues.extend(other.lower_place_cues);
        self.lower_place_nouns.extend(other.lower_place_nouns);
        self.place_noun_blockers.extend(other.place_noun_blockers);
        self.non_place_words.extend(other.non_place_words);
        self.service_nouns.extend(other.service_nouns);
        self.generic_wards.extend(other.generic_wards);
        self.agent_cue_words.extend(other.agent_cue_words);
        self.hospital_units.extend(other.hospital_units);
        self.facility_nouns.extend(other.facility_nouns);
        self.ambiguous_state_codes
            .extend(other.ambiguous_state_codes);
        self.compass_initials.extend(other.compass_initials);
        self.list_conjunctions.extend(other.list_conjunctions);
        self.list_separators.extend(other.list_separators);
        self.place_prefixes.extend(other.place_prefixes);
        self.attendance_labels.extend(other.attendance_labels);
        self.regions.extend(other.regions);
        self.country_codes.extend(other.country_codes);
        self.descriptor_joiners.extend(other.descriptor_joiners);
        self.strong_org_tails.extend(other.strong_org_tails);
        self.org_descriptors.extend(other.org_descriptors);
        self.weak_org_nouns.extend(other.weak_org_nouns);
        self.numbered_org_nouns.extend(other.numbered_org_nouns);
        self.contact_verbs.extend(other.contact_verbs);
        self.contact_particles.extend(other.contact_particles);
        self.contact_prepositions.extend(other.contact_prepositions);
        self.contact_stops.extend(other.contact_stops);
        self.possessive_kin_words.extend(other.possessive_kin_words);
        self.employer_verbs.extend(other.employer_verbs);
        self.employer_nouns.extend(other.employer_nouns);
        self.employer_noun_prepositions
            .extend(other.employer_noun_prepositions);
        self.employer_modifiers.extend(other.employer_modifiers);
        self.employer_prepositions
            .extend(other.employer_prepositions);
        self.workplace_words.extend(other.workplace_words);
        self.person_roles.extend(other.person_roles);
        self.alias_labels.extend(other.alias_labels);
    }
}

/// Everything a [`crate::Deidentifier`] is built from: plain data, cheap to clone and inspect.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    /// Pattern rules, in load order (ids unique).
    pub patterns: Vec<PatternRule>,
    /// Dictionaries (ids unique).
    pub dictionaries: Vec<DictionarySpec>,
    /// Name and place cues.
    pub cues: Cues,
    /// The learned name, place and organisation scorer (`model/names.bin` of a rules
    /// directory, made by `deid train`); `None` runs the rule detectors alone.
    pub model: Option<Arc<crate::Model>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFileRaw {
    #[serde(default)]
    rule: Vec<Spanned<RuleRaw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleRaw {
    id: Spanned<String>,
    category: Spanned<String>,
    #[serde(default)]
    kind: Option<Spanned<String>>,
    pattern: Spanned<String>,
    #[serde(default)]
    groups: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    confidence: Option<f32>,
    #[serde(default)]
    invalid_confidence: Option<f32>,
    #[serde(default)]
    priority: Option<i32>,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default)]
    require_context: bool,
    #[serde(default)]
    exclude_context: Vec<String>,
    #[serde(default)]
    window: Option<usize>,
    #[serde(default)]
    validate: Option<Spanned<String>>,
    #[serde(default)]
    not_followed_by: Option<Spanned<String>>,
    #[serde(default)]
    not_preceded_by: Option<Spanned<String>>,
    #[serde(default)]
    trim_leading_words: Vec<String>,
    #[serde(default)]
    restore_leading_words: Vec<String>,
    #[serde(default)]
    min_words: Option<usize>,
    #[serde(default)]
    reject_words: Vec<String>,
    #[serde(default)]
    cut_after_words: Vec<String>,
    #[serde(default)]
    caseless: bool,
    #[serde(default)]
    caseless_only: bool,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counterexamples: Vec<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default = "yes")]
    enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DictFileRaw {
    #[serde(default)]
    dictionary: Vec<Spanned<DictRaw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DictRaw {
    id: String,
    file: Spanned<String>,
    role: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default = "yes")]
    surrogates: bool,
}

/// The longest pattern source a rule may have (the longest built-in one is about 2,300 bytes).
pub(crate) const MAX_PATTERN_BYTES: usize = 16 * 1024;

/// Compile budgets, in units of [`compiled_size_estimate`]: per rule, and for all the pattern
/// rules of a rule set together. Without them 300 legal rules with wide Unicode repetitions
/// took a minute and 2 GB to compile; the built-in rules use a small share of each (see the
/// `builtin_rules_fit_the_compile_budget` test).
pub(crate) const MAX_RULE_SIZE: u64 = 1_000_000;
pub(crate) const MAX_TOTAL_SIZE: u64 = 8_000_000;

/// A rough, conservative count of the automaton states a pattern compiles to: literals count
/// their bytes, a class its ranges (Unicode classes expand to many UTF-8 byte ranges), a
/// bounded repetition its body once per allowed copy (that is what the compiler emits).
pub(crate) fn compiled_size_estimate(hir: &regex_syntax::hir::Hir) -> u64 {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(l) => l.0.len() as u64,
        HirKind::Class(Class::Unicode(c)) => {
            // Each range becomes several UTF-8 byte sequences once it leaves ASCII.
            c.ranges()
                .iter()
                .map(|r| if r.end() <= '\u{7f}' { 1 } else { 4 })
                .sum::<u64>()
                .max(1)
        }
        HirKind::Class(Class::Bytes(c)) => c.ranges().len().max(1) as u64,
        HirKind::Repetition(r) => {
            let body = compiled_size_estimate(&r.sub);
            let copies = u64::from(r.max.unwrap_or(r.min).max(r.min).max(1));
            body.saturating_mul(copies)
        }
        HirKind::Capture(c) => compiled_size_estimate(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs
            .iter()
            .map(compiled_size_estimate)
            .fold(1u64, u64::saturating_add),
    }
}

/// 1-based line of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn toml_error(path: &str, src: &str, e: toml::de::Error) -> Error {
    let line = e.span().map(|s| line_of(src, s.start)).unwrap_or(1);
    // toml's message quotes the offending line of the rule file, which is rule text, not note text.
    Error::rule(path, line, e.message().to_string())
}

/// The `.toml` files of a rules directory and of its `patterns/` folder, sorted; `true` marks
/// the directory's own files.
fn toml_files(dir: &Path) -> Vec<(std::path::PathBuf, bool)> {
    let mut files = Vec::new();
    for (sub, top) in [(dir.to_path_buf(), true), (dir.join("patterns"), false)] {
        if let Ok(rd) = std::fs::read_dir(&sub) {
            files.extend(
                rd.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
                    .map(|p| (p, top)),
            );
        }
    }
    files.sort();
    files
}

/// Rewrites `\b`/`\B` outside character classes to their ASCII forms so the lazy DFA can run
/// on any text (Unicode word boundaries make the regex crate fall back to a slower engine on
/// non-ASCII input).
pub(crate) fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push(c);
                    break;
                };
                if class_depth == 0 && (n == 'b' || n == 'B') {
                    out.push_str(if n == 'b' { "(?-u:\\b)" } else { "(?-u:\\B)" });
                } else {
                    out.push(c);
                    out.push(n);
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().unwrap_or(']'));
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

impl RuleSet {
    /// The rules compiled into the library.
    pub fn builtin() -> RuleSet {
        crate::rules::builtin::BUILTIN.clone()
    }

    /// Built-in rules extended (and overridden by id) with the rules in `dir`:
    /// `dir/patterns/*.toml` (or `dir/*.toml` with `[[rule]]` tables), `dir/dictionaries.toml`,
    /// `dir/names.toml`.
    pub fn builtin_with_dir(dir: &Path) -> Result<RuleSet> {
        let mut set = RuleSet::builtin();
        set.extend_from_dir(dir)?;
        Ok(set)
    }

    /// Only the rules in `dir` (no built-ins): what `deid rules check DIR` validates.
    pub fn from_dir(dir: &Path) -> Result<RuleSet> {
        let mut set = RuleSet::default();
        set.extend_from_dir(dir)?;
        Ok(set)
    }

    /// Adds or overrides (by id) the rules found in `dir`.
    pub fn extend_from_dir(&mut self, dir: &Path) -> Result<()> {
        let meta = std::fs::metadata(dir).map_err(|e| Error::io(dir, e))?;
        if !meta.is_dir() {
            return Err(Error::config(format!(
                "{}: not a rules directory",
                dir.display()
            )));
        }
        let model = dir.join("model").join("names.bin");
        if model.is_file() {
            let bytes = std::fs::read(&model).map_err(|e| Error::io(&model, e))?;
            self.model = Some(Arc::new(crate::Model::from_bytes(
                &bytes,
                &model.display().to_string(),
            )?));
        }
        let files = toml_files(dir);
        if files.is_empty() && !model.is_file() {
            return Err(no_rules_error(dir));
        }
        let mut ids = DirIds::default();
        for (p, top) in files {
            let src = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
            let name = p.display().to_string();
            // Only the directory's own dictionaries.toml and names.toml are special; every
            // file under patterns/ holds pattern rules.
            let special = if top {
                p.file_name().and_then(|n| n.to_str())
            } else {
                None
            };
            match special {
                Some("dictionaries.toml") => {
                    self.add_dictionary_file(&name, &src, &|f: &str| {
                        let fp = dir.join(f);
                        std::fs::read_to_string(&fp)
                            .map(Arc::from)
                            .map_err(|e| e.to_string())
                    })?
                }
                Some("names.toml") => self.add_cues_file(&name, &src)?,
                _ => {
                    let (rules, mut errors) = parse_pattern_file(&name, &src, Syntax::Check);
                    errors.extend(ids.add(&rules));
                    if !errors.is_empty() {
                        return Err(errors.swap_remove(0));
                    }
                    self.add_rules(rules);
                }
            }
        }
        self.check_budget()
    }

    /// Adds or replaces (by id) parsed rules; a disabled rule removes its id.
    fn add_rules(&mut self, rules: Vec<(PatternRule, bool)>) {
        for (rule, enabled) in rules {
            self.patterns.retain(|p| p.id != rule.id);
            if enabled {
                self.patterns.push(rule);
            }
        }
    }

    /// The pattern rules together must fit the compile budget (`MAX_TOTAL_SIZE`).
    fn check_budget(&self) -> Result<()> {
        let total = self
            .patterns
            .iter()
            .map(|p| p.compiled_size)
            .fold(0u64, u64::saturating_add);
        if total > MAX_TOTAL_SIZE {
            let largest = self
                .patterns
                .iter()
                .max_by_key(|p| p.compiled_size)
                .map(|p| format!(" (the largest: {} rule {})", p.origin, p.id))
                .unwrap_or_default();
            return Err(Error::config(format!(
                "the pattern rules would compile to about {total} automaton states together (at most {MAX_TOTAL_SIZE}){largest}; remove rules or bound their repetitions"
            )));
        }
        Ok(())
    }

    /// Parses a pattern file (`[[rule]]` tables) and adds its rules, replacing same-id ones.
    /// Stops at the first error.
    pub fn add_pattern_file(&mut self, path: &str, src: &str) -> Result<()> {
        self.add_pattern_file_checked(path, src, Syntax::Check)
    }

    /// [`RuleSet::add_pattern_file`] for the embedded rule files, whose patterns the test
    /// `builtin::tests::builtin_pattern_files_pass_every_check` parses: parsing them again at
    /// every start-up was 0.11 G instructions (the engine parses each pattern anyway).
    pub(crate) fn add_builtin_pattern_file(&mut self, path: &str, src: &str) -> Result<()> {
        self.add_pattern_file_checked(path, src, Syntax::Trusted)
    }

    fn add_pattern_file_checked(&mut self, path: &str, src: &str, syntax: Syntax) -> Result<()> {
        let (rules, mut errors) = parse_pattern_file(path, src, syntax);
        if !errors.is_empty() {
            return Err(errors.swap_remove(0));
        }
        self.add_rules(rules);
        self.check_budget()
    }

    /// Validates every rules file in `dir` and returns every error found (file:line each),
    /// plus failing rule examples. An empty list means the directory is valid.
    pub fn check_dir(dir: &Path) -> Vec<Error> {
        let mut errors = Vec::new();
        let mut set = RuleSet::default();
        let files = toml_files(dir);
        match std::fs::metadata(dir) {
            Err(e) => return vec![Error::io(dir, e)],
            Ok(m) if !m.is_dir() => {
                return vec![Error::config(format!(
                    "{}: not a rules directory (give the directory that holds patterns/, dictionaries.toml or names.toml)",
                    dir.display()
                ))]
            }
            Ok(_) if files.is_empty() && !dir.join("model").join("names.bin").is_file() => {
                return vec![no_rules_error(dir)]
            }
            Ok(_) => {}
        }
        let mut ids = DirIds::default();
        for (p, top) in files {
            let name = p.display().to_string();
            let src = match std::fs::read_to_string(&p) {
                Ok(s) => s,
                Err(e) => {
                    errors.push(Error::io(&p, e));
                    continue;
                }
            };
            // Only the directory's own dictionaries.toml and names.toml are special; every
            // file under patterns/ holds pattern rules.
            let special = if top {
                p.file_name().and_then(|n| n.to_str())
            } else {
                None
            };
            match special {
                Some("dictionaries.toml") => {
                    let load = |f: &str| {
                        std::fs::read_to_string(dir.join(f))
                            .map(Arc::from)
                            .map_err(|e| e.to_string())
                    };
                    if let Err(e) = set.add_dictionary_file(&name, &src, &load) {
                        errors.push(e);
                    }
                }
                Some("names.toml") => {
                    if let Err(e) = set.add_cues_file(&name, &src) {
                        errors.push(e);
                    }
                }
                _ => {
                    let (rules, errs) = parse_pattern_file(&name, &src, Syntax::Check);
                    errors.extend(errs);
                    errors.extend(ids.add(&rules));
                    set.patterns.extend(rules.into_iter().map(|(r, _)| r));
                }
            }
        }
        if let Err(e) = set.check_budget() {
            errors.push(e);
        }
        for problem in set.check_examples() {
            errors.push(Error::config(problem));
        }
        errors
    }
}

fn no_rules_error(dir: &Path) -> Error {
    Error::config(format!(
        "{}: no rules files found (expected patterns/*.toml, *.toml with [[rule]] tables, dictionaries.toml or names.toml)",
        dir.display()
    ))
}

/// The rule ids seen so far in the files of one rules directory: an id defined in two of its
/// files is an error (only a built-in rule may be overridden, by a directory).
#[derive(Default)]
struct DirIds(std::collections::HashMap<Arc<str>, String>);

impl DirIds {
    /// Records the ids of one file's rules; an error for each id another file defined already
    /// (an id used twice in one file is reported by `parse_pattern_file`).
    fn add(&mut self, rules: &[(PatternRule, bool)]) -> Vec<Error> {
        let mut errors = Vec::new();
        let mut here = std::collections::HashMap::new();
        for (r, _) in rules {
            match self.0.get(&r.id) {
                Some(first) => errors.push(Error::config(format!(
                    "{}: rule {}: id already defined at {first}",
                    r.origin, r.id
                ))),
                None => {
                    here.entry(r.id.clone()).or_insert_with(|| r.origin.clone());
                }
            }
        }
        self.0.extend(here);
        errors
    }
}

/// Parses every rule of a pattern file, collecting one error per bad rule.
/// Whether a pattern file's regexes are parsed when it is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Parse each pattern and context regex (a user's file: errors with file and line).
    Check,
    /// Do not (the embedded files, checked by a test).
    Trusted,
}

pub(crate) fn parse_pattern_file(
    path: &str,
    src: &str,
    syntax: Syntax,
) -> (Vec<(PatternRule, bool)>, Vec<Error>) {
    let raw: RuleFileRaw = match toml::from_str(src) {
        Ok(r) => r,
        Err(e) => return (Vec::new(), vec![toml_error(path, src, e)]),
    };
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in raw.rule {
        let line = line_of(src, r.span().start);
        match parse_rule(path, src, line, r.into_inner(), syntax) {
            Ok((rule, enabled)) => {
                if !seen.insert(rule.id.clone()) {
                    errors.push(Error::rule(
                        path,
                        line,
                        format!("rule {}: id used twice in this file", rule.id),
                    ));
                }
                rules.push((rule, enabled));
            }
            Err(e) => errors.push(e),
        }
    }
    (rules, errors)
}

fn parse_rule(
    path: &str,
    src: &str,
    line: usize,
    r: RuleRaw,
    syntax: Syntax,
) -> Result<(PatternRule, bool)> {
    let at = |s: &std::ops::Range<usize>| line_of(src, s.start);
    let id = r.id.get_ref().trim().to_string();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(Error::rule(
            path,
            at(&r.id.span()),
            "rule id must be non-empty ASCII letters, digits, '.', '_' or '-'",
        ));
    }
    let category: Category = r.category.get_ref().parse().map_err(|_| {
        Error::rule(
            path,
            at(&r.category.span()),
            format!("rule {id}: unknown category {:?}", r.category.get_ref()),
        )
    })?;
    let kind = match &r.kind {
        None => category.default_kind(),
        Some(k) => k.get_ref().parse().map_err(|_| {
            Error::rule(
                path,
                at(&k.span()),
                format!("rule {id}: kind must be \"direct\" or \"quasi\""),
            )
        })?,
    };
    let mut groups = Vec::new();
    for (g, c) in &r.groups {
        let cat: Category = c.get_ref().parse().map_err(|_| {
            Error::rule(
                path,
                at(&c.span()),
                format!("rule {id}: group {g}: unknown category {:?}", c.get_ref()),
            )
        })?;
        groups.push((g.clone(), cat));
    }
    let validate = match &r.validate {
        None => None,
        Some(v) => Some(Validator::parse(v.get_ref()).ok_or_else(|| {
            Error::rule(
                path,
                at(&v.span()),
                format!(
                    "rule {id}: unknown validator {:?} (known: {})",
                    v.get_ref(),
                    Validator::NAMES.join(", ")
                ),
            )
        })?),
    };
    let pattern = r.pattern.get_ref().clone();
    let pattern_error = |msg: String| Error::rule(path, at(&r.pattern.span()), msg);
    if pattern.trim().is_empty() {
        return Err(pattern_error(format!("rule {id}: the pattern is empty")));
    }
    if pattern.len() > MAX_PATTERN_BYTES {
        return Err(pattern_error(format!(
            "rule {id}: the pattern is {} bytes long (at most {MAX_PATTERN_BYTES}); split it into several rules or use a dictionary",
            pattern.len()
        )));
    }
    // A syntax check only (regex-syntax's parser, the regex crate's own front end): compiling
    // every pattern here and again in the engine doubled the start-up cost. A pattern too big
    // to compile is reported by the engine build, with the rule's file and id.
    let parsed = match syntax {
        Syntax::Check => Some(
            regex_syntax::ParserBuilder::new()
                .build()
                .parse(&ascii_word_boundaries(&pattern)),
        ),
        Syntax::Trusted => None,
    };
    let compiled_size = match parsed {
        None => 0,
        Some(Err(e)) => return Err(pattern_error(format!("rule {id}: invalid pattern: {e}"))),
        // A pattern that matches empty text would make an empty span at every position.
        Some(Ok(hir)) if hir.properties().minimum_len() == Some(0) => {
            return Err(pattern_error(format!(
                "rule {id}: the pattern can match empty text (every position would match); make at least one character required"
            )))
        }
        Some(Ok(hir)) => compiled_size_estimate(&hir),
    };
    if compiled_size > MAX_RULE_SIZE {
        return Err(pattern_error(format!(
            "rule {id}: the pattern would compile to about {compiled_size} automaton states (at most {MAX_RULE_SIZE}); bound its repetitions (e.g. {{1,5}} instead of {{1,500}}) or use ASCII classes ((?-u:\\w)) instead of Unicode ones"
        )));
    }
    for (field, re) in [
        ("not_followed_by", &r.not_followed_by),
        ("not_preceded_by", &r.not_preceded_by),
    ] {
        if let Some(re) = re.as_ref().filter(|_| syntax == Syntax::Check) {
            if let Err(e) = regex_syntax::ParserBuilder::new()
                .build()
                .parse(re.get_ref())
            {
                return Err(Error::rule(
                    path,
                    at(&re.span()),
                    format!("rule {id}: invalid {field}: {e}"),
                ));
            }
        }
    }
    for (field, c) in [
        ("confidence", r.confidence),
        ("invalid_confidence", r.invalid_confidence),
    ] {
        if let Some(c) = c {
            if !(0.0..=1.0).contains(&c) {
                return Err(Error::rule(
                    path,
                    line,
                    format!("rule {id}: {field} must be within 0..=1"),
                ));
            }
        }
    }
    if r.invalid_confidence.is_some() && validate.is_none() {
        return Err(Error::rule(
            path,
            line,
            format!("rule {id}: invalid_confidence needs a validator"),
        ));
    }
    if r.require_context && r.context.is_empty() {
        return Err(Error::rule(
            path,
            line,
            format!("rule {id}: require_context = true needs a non-empty context list"),
        ));
    }
    let _ = r.description;
    let rule = PatternRule {
        id: Arc::from(id.as_str()),
        category,
        kind,
        pattern,
        groups,
        confidence: r.confidence.unwrap_or(0.9),
        priority: r.priority.unwrap_or(0),
        context: r.context.iter().map(|s| s.to_lowercase()).collect(),
        require_context: r.require_context,
        exclude_context: r.exclude_context.iter().map(|s| s.to_lowercase()).collect(),
        window: r.window.unwrap_or(40),
        not_followed_by: r.not_followed_by.map(Spanned::into_inner),
        not_preceded_by: r.not_preceded_by.map(Spanned::into_inner),
        trim_leading_words: r
            .trim_leading_words
            .iter()
            .map(|s| s.to_lowercase())
            .collect(),
        restore_leading_words: r
            .restore_leading_words
            .iter()
            .map(|s| s.to_lowercase())
            .collect(),
        min_words: r.min_words.unwrap_or(1),
        reject_words: r.reject_words.iter().map(|s| s.to_lowercase()).collect(),
        cut_after_words: r.cut_after_words.iter().map(|s| s.to_lowercase()).collect(),
        validate,
        invalid_confidence: r.invalid_confidence,
        caseless: r.caseless || r.caseless_only,
        caseless_only: r.caseless_only,
        examples: r.examples,
        counterexamples: r.counterexamples,
        origin: format!("{path}:{line}"),
        compiled_size,
    };
    Ok((rule, r.enabled))
}

impl RuleSet {
    /// Parses a `dictionaries.toml` and loads each listed file through `load`.
    pub fn add_dictionary_file(
        &mut self,
        path: &str,
        src: &str,
        load: &dyn Fn(&str) -> std::result::Result<Arc<str>, String>,
    ) -> Result<()> {
        let raw: DictFileRaw = toml::from_str(src).map_err(|e| toml_error(path, src, e))?;
        for d in raw.dictionary {
            let d = d.into_inner();
            let role = DictRole::parse(d.role.get_ref()).ok_or_else(|| {
                Error::rule(
                    path,
                    line_of(src, d.role.span().start),
                    format!(
                        "dictionary {}: unknown role {:?} (known: first_name, surname, city, state, county, organization, location, common_word, safe, english)",
                        d.id,
                        d.role.get_ref()
                    ),
                )
            })?;
            let content = load(d.file.get_ref()).map_err(|e| {
                Error::rule(
                    path,
                    line_of(src, d.file.span().start),
                    format!("dictionary {}: cannot read {}: {e}", d.id, d.file.get_ref()),
                )
            })?;
            let _ = (d.description, d.source);
            let spec = DictionarySpec {
                id: Arc::from(d.id.as_str()),
                role,
                origin: d.file.get_ref().clone(),
                content,
                surrogates: d.surrogates,
            };
            self.dictionaries.retain(|x| x.id != spec.id);
            self.dictionaries.push(spec);
        }
        Ok(())
    }

    /// Parses a `names.toml` (cue lists) and adds its words.
    pub fn add_cues_file(&mut self, path: &str, src: &str) -> Result<()> {
        let cues: Cues = toml::from_str(src).map_err(|e| toml_error(path, src, e))?;
        self.cues.extend(cues);
        Ok(())
    }

    /// Checks every rule's examples and counterexamples against the rule alone.
    /// Returns one message per failure (`origin: rule id: ...`), never the example text.
    pub fn check_examples(&self) -> Vec<String> {
        crate::detect::pattern::check_examples(&self.patterns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_are_rewritten_outside_classes() {
        assert_eq!(ascii_word_boundaries(r"\bab\b"), r"(?-u:\b)ab(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"[\b]\B"), r"[\b](?-u:\B)");
        assert_eq!(ascii_word_boundaries(r"\\b"), r"\\b");
        assert_eq!(ascii_word_boundaries(r"[]\b]\b"), r"[]\b](?-u:\b)");
    }

    #[test]
    fn errors_name_file_and_line() {
        let mut set = RuleSet::default();
        let src = "[[rule]]\nid = \"x\"\ncategory = \"NAME\"\npattern = '''(unclosed'''\n";
        let e = set.add_pattern_file("r.toml", src).unwrap_err();
        assert_eq!(e.line(), Some(4));
        assert!(e
            .to_string()
            .starts_with("r.toml:4: rule x: invalid pattern"));

        let src = "[[rule]]\nid = \"x\"\ncategory = \"NOPE\"\npattern = 'a'\n";
        let e = set.add_pattern_file("r.toml", src).unwrap_err();
        assert_eq!(e.line(), Some(3));

        let src = "[[rule]]\nid = \"x\"\ncategory = \"NAME\"\npattern = 'a'\nbogus = 1\n";
        let e = set.add_pattern_file("r.toml", src).unwrap_err();
        assert_eq!(e.path(), Some("r.toml"));
        assert!(e.line().is_some());

        let src = "[[rule]]\nid = \"x\"\ncategory = \"NAME\"\npattern = 'a'\nvalidate = \"nope\"\n";
        let e = set.add_pattern_file("r.toml", src).unwrap_err();
        assert_eq!(e.line(), Some(5));
    }

    #[test]
    fn later_rules_override_by_id() {
        let mut set = RuleSet::default();
        set.add_pattern_file("a", "[[rule]]\nid='x'\ncategory='NAME'\npattern='a'\n")
            .unwrap();
        set.add_pattern_file("b", "[[rule]]\nid='x'\ncategory='DATE'\npattern='b'\n")
            .unwrap();
        assert_eq!(set.patterns.len(), 1);
        assert_eq!(set.patterns[0].category, Category::Date);
        set.add_pattern_file(
            "c",
            "[[rule]]\nid='x'\ncategory='DATE'\npattern='b'\nenabled=false\n",
        )
        .unwrap();
        assert!(set.patterns.is_empty());
    }
    fn rule(id: &str, pattern: &str) -> String {
        format!("[[rule]]\nid = '{id}'\ncategory = 'ID'\npattern = '''{pattern}'''\n")
    }

    #[test]
    fn empty_patterns_and_patterns_matching_empty_text_are_refused() {
        for (pattern, says) in [
            ("", "the pattern is empty"),
            ("   ", "the pattern is empty"),
            ("a*", "can match empty text"),
            (r"\b", "can match empty text"),
            ("(?:x|)", "can match empty text"),
        ] {
            let e = RuleSet::default()
                .add_pattern_file("r.toml", &rule("x", pattern))
                .unwrap_err();
            assert_eq!(e.line(), Some(4), "{pattern:?}");
            assert!(e.to_string().contains(says), "{pattern:?}: {e}");
        }
        RuleSet::default()
            .add_pattern_file("r.toml", &rule("x", r"\bA\d+"))
            .unwrap();
    }

    #[test]
    fn oversized_patterns_are_refused_before_compiling() {
        // One wide Unicode repetition is too big on its own ...
        let e = RuleSet::default()
            .add_pattern_file("r.toml", &rule("big", r"\w{1,1000}\w{1,1000}"))
            .unwrap_err();
        assert!(e.to_string().contains("automaton states"), "{e}");
        // ... and legal rules too big together are refused as a set, naming the largest.
        let mut src = String::new();
        for i in 0..100 {
            src.push_str(&rule(&format!("r{i}"), r"\w{1,40}"));
        }
        let e = RuleSet::default()
            .add_pattern_file("r.toml", &src)
            .unwrap_err();
        assert!(e.to_string().contains("together"), "{e}");
        let long = "a".repeat(MAX_PATTERN_BYTES + 1);
        let e = RuleSet::default()
            .add_pattern_file("r.toml", &rule("long", &long))
            .unwrap_err();
        assert!(e.to_string().contains("bytes long"), "{e}");
    }

    #[test]
    fn builtin_rules_fit_the_compile_budget() {
        let set = RuleSet::builtin();
        let largest = set.patterns.iter().map(|p| p.compiled_size).max().unwrap();
        let total: u64 = set.patterns.iter().map(|p| p.compiled_size).sum();
        // Room for users' own rules on top of the built-in ones.
        eprintln!("built-in rules: largest {largest}, total {total}");
        assert!(
            largest * 4 <= MAX_RULE_SIZE,
            "largest built-in rule: {largest}"
        );
        assert!(total * 4 <= MAX_TOTAL_SIZE, "built-in total: {total}");
    }

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(std::path::PathBuf);
    impl TempDir {
        fn new(name: &str) -> TempDir {
            let p = std::env::temp_dir().join(format!("deid-spec-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(p.join("patterns")).unwrap();
            TempDir(p)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn an_id_defined_in_two_files_of_a_directory_is_an_error() {
        let d = TempDir::new("dup");
        std::fs::write(d.0.join("patterns/a.toml"), rule("case.no", r"C\d{4}")).unwrap();
        std::fs::write(
            d.0.join("patterns/b.toml"),
            format!("# b\n{}", rule("case.no", r"K\d{4}")),
        )
        .unwrap();
        let errors = RuleSet::check_dir(&d.0);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let msg = errors[0].to_string();
        assert!(
            msg.contains("b.toml:2: rule case.no: id already defined at"),
            "{msg}"
        );
        assert!(msg.contains("a.toml:1"), "{msg}");
        let Err(e) = RuleSet::builtin_with_dir(&d.0) else {
            panic!("refused")
        };
        assert!(e.to_string().contains("already defined"), "{e}");
        // Overriding a built-in rule from a directory stays allowed.
        std::fs::remove_file(d.0.join("patterns/b.toml")).unwrap();
        let id = RuleSet::builtin().patterns[0].id.to_string();
        std::fs::write(d.0.join("patterns/b.toml"), rule(&id, r"Z\d{4}")).unwrap();
        RuleSet::builtin_with_dir(&d.0).unwrap();
    }

    #[test]
    fn a_plain_file_or_an_empty_directory_is_no_rules_directory() {
        let d = TempDir::new("empty");
        let errors = RuleSet::check_dir(&d.0);
        assert!(
            errors.len() == 1 && errors[0].to_string().contains("no rules files found"),
            "{errors:?}"
        );
        assert!(RuleSet::builtin_with_dir(&d.0).is_err());
        let file = d.0.join("notes.txt");
        std::fs::write(&file, "x").unwrap();
        let errors = RuleSet::check_dir(&file);
        assert!(
            errors.len() == 1 && errors[0].to_string().contains("not a rules directory"),
            "{errors:?}"
        );
    }
}

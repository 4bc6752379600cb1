//! Re-identification risk of what remains in a note once names and contact details are gone,
//! and the supervision-vignette mode that generalises it.
//!
//! The estimate is a Poisson model of the people in the reference community who match
//! everything the note says about the client (design: `../shared/design/quasi-identifiers.md`):
//!
//! - every quasi-identifier mention of the client has a share `p` of the population (from
//!   Census, ACS and BLS tables where they exist, with joint tables where they exist: hearing
//!   difficulty by age and sex; an approximate or default rate otherwise, counted as rare);
//! - attributes are grouped into clusters (demographic, work and legal status, health, family,
//!   events); inside a cluster the rarest counts fully and the others with exponent β = 0.5
//!   (a documented dependence correction: correlated attributes add less than independence says);
//! - λ = (N − 1) · Π P_cluster, divided by a visibility factor of 3 when a socially visible
//!   attribute (Deaf, clergy, in the news) meets a local audience;
//! - ln λ carries an uncertainty band σ² = Σ σᵢ²; decisions use the 20 % quantile
//!   λ_q = λ · e^(−0.8416 σ) (cautious; chosen on the calibration towns) when the community
//!   is known, and λ itself when it is the default community of 10,000 (already a cautious
//!   guess: the caution is not counted twice);
//! - red when λ_q < 1 or a hard trigger fires, amber when λ_q < k − 1, green otherwise.
//!
//! It supports a clinician's judgement; it is not a HIPAA Expert Determination.

mod data;
mod gate;
mod mentions;
pub(crate) mod vignette;

pub use vignette::{Change, Vignette};

use crate::Span;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// What a quasi-identifier mention says about a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Slot {
    /// Age, age band, school grade or life stage.
    Age,
    /// Sex or gender identity.
    Sex,
    /// Occupation or work status.
    Occupation,
    /// Military service.
    Military,
    /// Race, ethnicity or ancestry.
    Ethnicity,
    /// Nationality, immigration or refugee status.
    Nationality,
    /// Language, including sign languages.
    Language,
    /// Religion or a religious role.
    Religion,
    /// Sensory status, rare or visible condition.
    Condition,
    /// Disability.
    Disability,
    /// Family structure.
    Family,
    /// Housing and legal status.
    HousingLegal,
    /// A named place or the community's size.
    Place,
    /// A named organisation (school, employer, church, team).
    Organisation,
    /// A distinctive event.
    Event,
    /// A physical trait.
    Physical,
    /// A uniqueness marker ("the only", "the town's").
    Uniqueness,
}

impl Slot {
    /// Every slot.
    pub const ALL: &'static [Slot] = &[
        Slot::Age,
        Slot::Sex,
        Slot::Occupation,
        Slot::Military,
        Slot::Ethnicity,
        Slot::Nationality,
        Slot::Language,
        Slot::Religion,
        Slot::Condition,
        Slot::Disability,
        Slot::Family,
        Slot::HousingLegal,
        Slot::Place,
        Slot::Organisation,
        Slot::Event,
        Slot::Physical,
        Slot::Uniqueness,
    ];

    /// The stable lower-case name (`age`, `housing_legal`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Age => "age",
            Slot::Sex => "sex",
            Slot::Occupation => "occupation",
            Slot::Military => "military",
            Slot::Ethnicity => "ethnicity",
            Slot::Nationality => "nationality",
            Slot::Language => "language",
            Slot::Religion => "religion",
            Slot::Condition => "condition",
            Slot::Disability => "disability",
            Slot::Family => "family",
            Slot::HousingLegal => "housing_legal",
            Slot::Place => "place",
            Slot::Organisation => "organisation",
            Slot::Event => "event",
            Slot::Physical => "physical",
            Slot::Uniqueness => "uniqueness",
        }
    }

    /// The cluster of attributes that tend to go together (design note 3(b)).
    /// Sex and age are clusters of their own: the age share is already taken within the
    /// client's sex (the Census table is joint), and neither says much about the others.
    fn cluster(self) -> u8 {
        match self {
            Slot::Sex => 5,
            Slot::Age => 6,
            Slot::Ethnicity | Slot::Nationality | Slot::Language | Slot::Religion => 0,
            Slot::Occupation | Slot::Military | Slot::HousingLegal => 1,
            Slot::Condition | Slot::Disability | Slot::Physical => 2,
            Slot::Family => 3,
            Slot::Event | Slot::Uniqueness | Slot::Organisation | Slot::Place => 4,
        }
    }

    /// A label in plain words.
    pub fn plain(self) -> &'static str {
        match self {
            Slot::HousingLegal => "housing or legal status",
            Slot::Uniqueness => "uniqueness",
            other => other.as_str(),
        }
    }
}

impl Slot {
    /// The span category a detail of this slot is written under when it comes back as a
    /// reviewed span (`deid scan` labels quasi spans by slot; `/api/risk` takes them back).
    pub fn category(self) -> crate::Category {
        use crate::Category as C;
        match self {
            Slot::Age => C::Age,
            Slot::Occupation | Slot::Military => C::Occupation,
            Slot::Ethnicity | Slot::Nationality | Slot::Language => C::Ethnicity,
            Slot::Religion => C::Religion,
            Slot::Condition | Slot::Disability => C::Condition,
            Slot::Family | Slot::HousingLegal => C::Family,
            Slot::Place => C::Location,
            Slot::Organisation => C::Organization,
            Slot::Event | Slot::Uniqueness => C::Event,
            Slot::Physical | Slot::Sex => C::Physical,
        }
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Slot {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim().to_ascii_lowercase().replace(['-', '/', ' '], "_");
        let s = match s.as_str() {
            "organization" => "organisation",
            "housing" | "legal" | "housing_legal_status" => "housing_legal",
            "gender" => "sex",
            other => other,
        }
        .to_string();
        Slot::ALL
            .iter()
            .copied()
            .find(|x| x.as_str() == s)
            .ok_or(())
    }
}

/// Whose attribute a mention is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Holder {
    /// The person the note is about.
    Client,
    /// Another person: a relative, a friend, a role-named third party.
    Other,
    /// The clinician writing or presenting.
    Clinician,
}

impl Holder {
    /// `client` / `other` / `clinician`.
    pub fn as_str(self) -> &'static str {
        match self {
            Holder::Client => "client",
            Holder::Other => "other",
            Holder::Clinician => "clinician",
        }
    }
}

/// The assessment's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The audience's k holds and no hard trigger fired.
    Green,
    /// Fewer than k − 1 others match (cautious estimate).
    Amber,
    /// Likely unique (cautious estimate below 1) or a hard trigger fired.
    Red,
}

impl Level {
    /// `green` / `amber` / `red`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Green => "green",
            Level::Amber => "amber",
            Level::Red => "red",
        }
    }
}

/// Who will read the text; sets k and which hard triggers apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Audience {
    /// A colleague in the same service and town (k = 5).
    Supervision,
    /// A case conference or teaching outside the organisation (k = 11).
    Teaching,
    /// Publication (k = 11, plus the Safe Harbor rules).
    Publication,
    /// A research dataset (k = 11, plus the Safe Harbor rules).
    Research,
}

impl Audience {
    /// The number of people who must match for the text to be safe with this audience.
    pub fn k(self) -> u32 {
        match self {
            Audience::Supervision => 5,
            _ => 11,
        }
    }

    /// `supervision` / `teaching` / `publication` / `research`.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Supervision => "supervision",
            Audience::Teaching => "teaching",
            Audience::Publication => "publication",
            Audience::Research => "research",
        }
    }

    fn local(self) -> bool {
        matches!(self, Audience::Supervision | Audience::Teaching)
    }
}

impl FromStr for Audience {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "supervision" | "peer" | "consultation" => Audience::Supervision,
            "teaching" | "case_conference" | "case-conference" | "conference" => Audience::Teaching,
            "publication" | "publish" => Audience::Publication,
            "research" | "dataset" => Audience::Research,
            _ => return Err(()),
        })
    }
}

/// How to assess.
#[derive(Clone, Debug)]
pub struct RiskOptions {
    /// Who will read it.
    pub audience: Audience,
    /// The reference community's size, when known.
    pub population: Option<u64>,
    /// The reference community by name ("Tillamook, OR", "Ennis, Ireland").
    pub place: Option<String>,
    /// The country (US UK IE CA AU NZ) to prefer when a place name is ambiguous.
    pub country: Option<String>,
    /// Slots the clinician marks clinically essential: generalised last, never silently.
    pub keep: Vec<Slot>,
    /// Assess the text as written. By default (false) the assessment is of what remains once
    /// direct identifiers are removed: a named place still tells which community the readers
    /// share with the client, but named organisations, ZIP codes and ages over 89 that
    /// redaction removes do not count.
    pub as_written: bool,
}

impl Default for RiskOptions {
    fn default() -> Self {
        RiskOptions {
            audience: Audience::Supervision,
            population: None,
            place: None,
            country: None,
            keep: Vec::new(),
            as_written: false,
        }
    }
}

/// One quasi-identifier mention: byte range, slot, normalised value, holder and base rate.
#[derive(Clone, Debug)]
pub struct Mention {
    /// What it says.
    pub slot: Slot,
    /// The normalised value ("Deaf or hard of hearing", "34", "a community of 2000").
    pub value: Arc<str>,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Whose attribute it is.
    pub holder: Holder,
    /// In a group note, the member the detail was attributed to (see `group_holders`).
    pub(crate) member: Option<PersonRef>,
    /// Share of the population holding it (before joint-table adjustment).
    pub share: f64,
    /// Uncertainty of ln(share).
    pub sigma: f64,
    /// Where the share comes from.
    pub basis: Arc<str>,
    /// Socially visible in a small community.
    pub visible: bool,
    /// Knowable to a neighbour or colleague (false for diagnoses).
    pub known: bool,
    /// Defines its own small population (event, organisation, uniqueness).
    pub anchor: bool,
    /// A special category (health, belief, ethnicity, sex life).
    pub sensitive: bool,
    pub(crate) joint_hearing: bool,
    pub(crate) joint_vision: bool,
    pub(crate) by_country: Arc<[(Arc<str>, f64)]>,
    pub(crate) female: Option<f64>,
    /// The country of a named place (US UK IE CA AU NZ).
    pub country: Option<Arc<str>>,
    pub(crate) ladder: Vec<(Arc<str>, f64)>,
    /// Age interval in years, for age mentions.
    pub age: Option<(u32, u32)>,
    /// Population of the place or organisation, for place and organisation mentions.
    pub population: Option<u64>,
    pub(crate) named: bool,
    pub(crate) place_kind: Option<Arc<str>>,
    pub(crate) restricted_zip: bool,
    pub(crate) dated: bool,
    /// A place named as where the person comes from ("grew up in Medford", "born in Dublin"),
    /// not the community they live in now.
    pub(crate) origin: bool,
    /// Found by the direct detector (a named place, organisation, ZIP code, age over 89):
    /// removed by `deid redact`, so it counts only with [`RiskOptions::as_written`].
    pub from_direct: bool,
    /// A named place or organisation the text ties to its holder ("lives in Elko", "a
    /// cashier at Tesco", "her son goes to Kenora Catholic"; rules/risk/ties.tsv), not one
    /// merely named, and for a place a town or a county (not a state or a country). Only
    /// these are reported by `deid scan` as quasi-identifiers.
    pub tied: bool,
    /// An age at a past event ("moved here at age 12", "widowed at 28"): reported, but not
    /// the person's age now.
    pub(crate) past: bool,
    /// A named place where a service is (a clinic's or a referrer's address): not the
    /// client's, but the community the service and its readers share when the text ties the
    /// client to no place.
    pub(crate) service: bool,
}

/// The reference population and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Population {
    /// Number of people.
    pub value: u64,
    /// Where the number came from, in words.
    pub source: String,
    /// The default community, assumed because nothing said which community it is.
    pub(crate) assumed: bool,
}

impl Population {
    /// The standard-normal quantile on ln λ that decisions use: 0.8416 (20 %) when the community is
    /// known (given, or named in the text), 0 (the median) when it is the default one. The
    /// default of 10,000 people is itself the cautious guess (smaller than the community most
    /// people live in, in all six countries), so a cautious quantile of λ on top of it would
    /// count the same caution twice.
    pub fn decision_z(&self) -> f64 {
        if self.assumed {
            0.0
        } else {
            Z_Q
        }
    }
}

/// One attribute's part in the estimate.
#[derive(Clone, Debug)]
pub struct Driver {
    /// The slot.
    pub attribute: Slot,
    /// The normalised value.
    pub value: String,
    /// Whose attribute.
    pub holder: Holder,
    /// Bits of identity it contributes: −log₂ of its effective share.
    pub bits: f64,
    /// Its effective share (after the joint table and the dependence correction).
    pub share: f64,
    /// Where the share comes from.
    pub basis: String,
    /// Byte ranges of its mentions.
    pub spans: Vec<(usize, usize)>,
    /// Its share before the damping of details beyond the first [`FULL_DETAILS`]: how
    /// specific the detail is on its own (the review rule counts these).
    pub(crate) own_share: f64,
}

/// A hard trigger: a reason for red regardless of λ.
#[derive(Clone, Debug)]
pub struct Trigger {
    /// `uniqueness`, `dated_event`, `named_organisation`, `small_named_place`, `age_90_plus`,
    /// `restricted_zip3`, `three_indirect_identifiers`.
    pub kind: &'static str,
    /// In plain words.
    pub reason: String,
    /// Byte ranges involved.
    pub spans: Vec<(usize, usize)>,
}

/// A suggested generalisation.
#[derive(Clone, Debug)]
pub struct Suggestion {
    /// The slot generalised.
    pub attribute: Slot,
    /// Byte range of the text to replace.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// The replacement ("" removes it).
    pub replacement: String,
    /// Why, in plain words.
    pub reason: String,
    /// λ after this and every earlier suggestion.
    pub lambda_after: f64,
}

/// The result of [`assess`].
#[derive(Clone, Debug)]
pub struct Assessment {
    /// Red, amber or green.
    pub level: Level,
    /// Expected number of other people in the community matching what the text says.
    pub lambda: f64,
    /// The quantile of λ used for decisions: the cautious 20 % one when the community is known,
    /// the median with the default community (see [`Population::decision_z`]).
    pub lambda_q: f64,
    /// The audience's k.
    pub k: u32,
    /// Who will read it.
    pub audience: Audience,
    /// The reference community.
    pub population: Population,
    /// The country whose shares were used (US tables when unknown).
    pub country: Option<String>,
    /// Hard triggers that fired.
    pub triggers: Vec<Trigger>,
    /// Attributes of the client (and anchors of relatives), most identifying first.
    pub drivers: Vec<Driver>,
    /// The verdict in plain words.
    pub reasons: Vec<String>,
    /// Generalisations that bring the text to the audience's k, in the order to apply them.
    pub suggestions: Vec<Suggestion>,
    /// Special-category attributes disclosed even when identity is safe.
    pub sensitive: Vec<String>,
    /// Every attributed mention (all holders), sorted by position.
    pub mentions: Vec<Mention>,
}

/// Decisions use the 20 % quantile of λ (the standard normal's, on ln λ): on the synthetic
/// calibration towns (scripts/risk_calibration.py) it flags as many truly unique people as the
/// 10 % quantile did (79 of 80) and leaves more common ones green (0.774 -> 0.825).
const Z_Q: f64 = 0.8416;
const BETA: f64 = 0.5;
/// How many of the client's details (sex and age aside) count fully across clusters; the rest
/// count at exponent β. Chosen on the development panel and the calibration towns (2: the
/// panel's generic vignettes left green 0.833 -> 0.875, identifying flagged 0.970 and the
/// calibration unchanged; 1 went further, 0.958 green, but missed one more truly unique
/// synthetic resident: 0.975 flagged).
const FULL_DETAILS: usize = 2;
const VISIBILITY: f64 = 3.0;

const DEFAULT_POPULATION: u64 = 10_000;

/// Builds what [`mentions`] needs before the first note asks for it: the risk data, the
/// mention patterns an empty text reaches and the place table (read the first time a note
/// names a place: a tenth of the start-up work, which `deid scan` runs on a thread of its own
/// while the detector is built).
pub fn prepare() -> crate::Result<()> {
    mentions("", &[], None)?;
    data::builtin()?.lookup_place("");
    Ok(())
}

/// The longest piece of a text [`mentions_by_piece`] reads at once (bytes).
pub const MENTION_PIECE_BYTES: usize = 256 * 1024;

/// [`mentions`] for a text of any length, in time linear in its length: a text longer than
/// [`MENTION_PIECE_BYTES`] is read in pieces of at most that many bytes, cut at a blank line
/// (else a line end, else a space) that no span of `spans` covers, each piece on its own (its
/// own sentences, people, group labels and country). A note is far shorter than a piece; a
/// multi-megabyte document is usually many notes run together, which this reads one stretch
/// at a time instead of comparing every mention with every other (quadratic: 22 s for 4 MB).
pub fn mentions_by_piece(
    text: &str,
    spans: &[Span],
    country: Option<&str>,
) -> crate::Result<Vec<Mention>> {
    if text.len() <= MENTION_PIECE_BYTES {
        return mentions(text, spans, country);
    }
    let mut sorted: Vec<&Span> = spans.iter().collect();
    sorted.sort_by_key(|s| s.start);
    let reach = furthest_ends(&sorted);
    // Is byte `b` strictly inside a span?
    let covered = |b: usize| {
        let i = sorted.partition_point(|s| s.start < b);
        i > 0 && reach[i - 1] > b
    };
    let mut out = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let end = piece_end(text, from, &covered);
        let first = sorted.partition_point(|s| s.start < from);
        let piece_spans: Vec<Span> = sorted[first..]
            .iter()
            .take_while(|s| s.start < end)
            .filter(|s| s.end <= end)
            .map(|s| Span {
                start: s.start - from,
                end: s.end - from,
                ..(*s).clone()
            })
            .collect();
        for mut m in mentions(&text[from..end], &piece_spans, country)? {
            m.start += from;
            m.end += from;
            out.push(m);
        }
        from = end;
    }
    Ok(out)
}

/// For spans sorted by start, the furthest end among each span and those before it: the spans
/// that can cover byte `b` are those before the first that starts at or after `b`, back to where
/// this falls to `b` or below.
pub(crate) fn furthest_ends(sorted: &[&Span]) -> Vec<usize> {
    sorted
        .iter()
        .scan(0, |far, s| {
            *far = s.end.max(*far);
            Some(*far)
        })
        .collect()
}

/// The spans of `sorted` (sorted by start, `reach` from [`furthest_ends`]) that overlap
/// `s..e`, the latest first: found by binary search, looking back only over spans that reach
/// past `s`.
pub(crate) fn overlapping<'a>(
    sorted: &'a [&'a Span],
    reach: &'a [usize],
    s: usize,
    e: usize,
) -> impl Iterator<Item = &'a Span> + 'a {
    let before_end = sorted.partition_point(|sp| sp.start < e);
    (0..before_end)
        .rev()
        .take_while(move |&j| reach[j] > s)
        .map(move |j| sorted[j])
        .filter(move |sp| s < sp.end)
}

/// Where the piece of [`mentions_by_piece`] that starts at `from` ends: after the last blank
/// line, else line end, else space within [`MENTION_PIECE_BYTES`] that `covered` (inside a
/// span) does not reject; else at the limit itself (on a char boundary).
fn piece_end(text: &str, from: usize, covered: &dyn Fn(usize) -> bool) -> usize {
    if text.len() - from <= MENTION_PIECE_BYTES {
        return text.len();
    }
    let mut limit = from + MENTION_PIECE_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[from..limit];
    for sep in ["\n\n", "\n", " "] {
        // At most a few hundred tries back: a separator inside a span is rare.
        if let Some(cut) = window
            .rmatch_indices(sep)
            .take(512)
            .map(|(i, _)| from + i + sep.len())
            .find(|&b| b > from && !covered(b))
        {
            return cut;
        }
    }
    // `limit` is past `from`: the rest is longer than a piece, and a char is at most 4 bytes.
    limit
}

/// Finds the quasi-identifier mentions of `text` (with the direct detector's `spans`).
pub fn mentions(text: &str, spans: &[Span], country: Option<&str>) -> crate::Result<Vec<Mention>> {
    let data = data::builtin()?;
    let mut out = mentions::find(&data, text, spans, country);
    if let Some(m) = sex_mention(text) {
        out.push(m);
        out.sort_by_key(|m| (m.start, m.end));
    }
    group_holders(text, spans, &mut out);
    out.retain(|m| !(m.slot == Slot::Place && eponymous_instrument(text, m.end)));
    Ok(out)
}

/// Nouns that make a place name before them the name of a clinical instrument or scale
/// ("Edinburgh score", "Edinburgh Postnatal Depression Scale", "Hamilton rating scale",
/// "Glasgow Coma Scale", "Boston Naming Test").
const INSTRUMENT_NOUNS: &[&str] = &[
    "score",
    "scores",
    "scale",
    "scales",
    "test",
    "tests",
    "inventory",
    "questionnaire",
    "criteria",
    "rating",
    "ratings",
    "index",
    "classification",
    "screen",
    "screening",
    "assessment",
];

/// Is a place name ending at byte `end` the eponym of an instrument: followed, after at most
/// four capitalised words of the instrument's name, by an instrument noun ("Edinburgh score
/// was 17", "Edinburgh Postnatal Depression Scale")? Such a name says nothing about where
/// anyone lives.
fn eponymous_instrument(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    for (k, w) in rest
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .take(5)
        .enumerate()
    {
        if INSTRUMENT_NOUNS.contains(&w.to_lowercase().as_str()) {
            return true;
        }
        if k >= 4 || !w.starts_with(|c: char| c.is_uppercase()) {
            return false;
        }
    }
    false
}

/// A person a note refers to by name or by a group label ("Member B", "Person C").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PersonRef {
    Named(usize),
    Label(u8),
}

/// Words that end the reach of a person named earlier in a sentence: the client, the patient
/// or the writer speaks again ("Me and my twin, Shane, we run the shop": ours, not Shane's).
const REF_RESETS: &[&str] = &[
    "client", "patient", "i", "i'm", "we", "we're", "me", "my", "our", "us",
];

/// In a group note (the word "group" and three or more people referred to by name or by a
/// "Member B"/"Person B" label, or two or more labels), a detail whose nearest person reference
/// before it in its sentence or clause is another member ("Member B, a hairdresser in her
/// thirties", "Tania, a mum of two") is that member's, not the client's: group members are not
/// each other's family, so one member's job says nothing about who another is. The client is
/// the member marked "(presented)"/"(client)", else the person referred to most often (the
/// first on a tie); a label in brackets after a name ("Alan (Member A)") is that person. Only
/// details the sentence-level reading gave the client move. Couple and family notes are left
/// alone: a named spouse's or child's details narrow the family, and so the client, too.
fn group_holders(text: &str, spans: &[Span], ms: &mut [Mention]) {
    let (names, person_of, _) = vignette::name_people(text, spans);
    let mut refs: Vec<(usize, usize, PersonRef)> = names
        .iter()
        .zip(&person_of)
        .map(|(s, &p)| (s.start, s.end, PersonRef::Named(p)))
        .collect();
    let bytes = text.as_bytes();
    for word in ["Member ", "Person "] {
        for (i, _) in text.match_indices(word) {
            let l = i + word.len();
            let letter = bytes.get(l).copied().filter(u8::is_ascii_uppercase);
            let alone = bytes.get(l + 1).is_none_or(|c| !c.is_ascii_alphanumeric());
            let starts = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
            if let (Some(c), true, true) = (letter, alone, starts) {
                refs.push((i, l + 1, PersonRef::Label(c)));
            }
        }
    }
    refs.sort_by_key(|r| r.0);
    // "Alan (Member A)": the label is the person just named.
    let mut alias: Vec<(PersonRef, PersonRef)> = Vec::new();
    let mut marked_client = None;
    for w in refs.windows(2) {
        if text
            .get(w[0].1..w[1].0)
            .is_some_and(|gap| gap.trim() == "(")
        {
            alias.push((w[1].2, w[0].2));
        }
    }
    for r in &refs {
        // The mark's few bytes only (the rest of the note is not copied per person).
        let after = text[r.1..].trim_start().as_bytes();
        let marked = |mark: &str| {
            after
                .get(..mark.len())
                .is_some_and(|a| a.eq_ignore_ascii_case(mark.as_bytes()))
        };
        if marked("(presented)") || marked("(client)") {
            marked_client.get_or_insert(r.2);
        }
    }
    let canon = |p: PersonRef| alias.iter().find(|a| a.0 == p).map_or(p, |a| a.1);
    let mut counts: Vec<(PersonRef, usize)> = Vec::new();
    for r in &refs {
        let p = canon(r.2);
        match counts.iter_mut().find(|c| c.0 == p) {
            Some(c) => c.1 += 1,
            None => counts.push((p, 1)),
        }
    }
    let labels = counts
        .iter()
        .filter(|c| matches!(c.0, PersonRef::Label(_)))
        .count();
    let group = labels >= 2 || counts.len() >= 3 && text.to_lowercase().contains("group");
    if !group {
        return;
    }
    let client = marked_client.map(canon).unwrap_or_else(|| {
        // The most referred-to person; the first on a tie.
        let best = counts.iter().map(|c| c.1).max().unwrap_or(0);
        counts
            .iter()
            .find(|c| c.1 == best)
            .map(|c| c.0)
            .unwrap_or(counts[0].0)
    });
    for m in ms.iter_mut().filter(|m| m.holder == Holder::Client) {
        let (ss, _) = mentions::sentence(text, m.start);
        // The references that start in the sentence before the mention (`refs` is sorted by
        // start): a binary search, not a pass over every reference of the note per mention.
        let first = refs.partition_point(|r| r.0 < ss);
        let Some(r) = refs[first..]
            .iter()
            .take_while(|r| r.0 < m.start)
            .filter(|r| r.1 <= m.start)
            .max_by_key(|r| r.1)
        else {
            continue;
        };
        let between = text.get(r.1..m.start).unwrap_or("").to_lowercase();
        let reset = between
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .any(|w| REF_RESETS.contains(&w));
        if reset {
            continue;
        }
        m.member = Some(canon(r.2));
        if canon(r.2) != client {
            m.holder = Holder::Other;
        }
    }
}

impl Mention {
    /// A dated or definite event ("the crash on the N85 in 2019", "the mill fire"): one the
    /// community can place in time. Only meaningful for event mentions.
    pub fn dated(&self) -> bool {
        self.dated
    }
}

/// Does an event mention only restate another event mention of its sentence, one that names
/// the incident itself? "His father drowned in the 2007 ferry sinking", "the house that burned
/// down in the Christmas Eve fire", "won the spelling bee and was interviewed on the local
/// news": what happened to the person ("drowned") and that it was public ("interviewed on the
/// local news") describe the incident named beside them; the incident is the detail a reader
/// recognises. The estimate keeps both (the news makes the incident an anchor); `deid scan`
/// reports the incident.
pub fn restates_event(text: &str, m: &Mention, all: &[Mention]) -> bool {
    if m.slot != Slot::Event || names_incident(text, m) {
        return false;
    }
    let (ss, se) = mentions::sentence(text, m.start);
    all.iter().any(|o| {
        o.slot == Slot::Event
            && (o.start, o.end) != (m.start, m.end)
            && ss <= o.start
            && o.end <= se
            && names_incident(text, o)
    })
}

/// Does an event mention end in an incident noun ("the mill fire", "the capsize")?
fn names_incident(text: &str, m: &Mention) -> bool {
    text.get(m.start..m.end)
        .is_some_and(|s| mentions::incident_publicity(s).is_some())
}

/// Is the mention only a possessive and a relative noun ("her husband", "his son")? Such a
/// mention is evidence of family structure for the estimate, not a statement of it.
pub fn bare_relative(text: &str, m: &Mention) -> bool {
    let surface = text.get(m.start..m.end).unwrap_or("").to_lowercase();
    let mut ws = surface.split_whitespace();
    match (ws.next(), ws.next(), ws.next()) {
        (Some(p), Some(r), None) => {
            matches!(p, "her" | "his" | "their" | "my" | "our" | "your")
                && mentions::RELATIVES.contains(&r)
        }
        _ => false,
    }
}

/// The client's sex when the note's pronouns say it clearly: a mention on the first pronoun.
fn sex_mention(text: &str) -> Option<Mention> {
    let mut fem = (0usize, None);
    let mut masc = (0usize, None);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
                j += 1;
            }
            let w = text[i..j].to_ascii_lowercase();
            match w.as_str() {
                "she" | "her" | "hers" | "herself" | "woman" | "mother" | "mum" | "mom" => {
                    fem.0 += 1;
                    fem.1.get_or_insert((i, j));
                }
                "he" | "him" | "his" | "himself" | "man" | "father" | "dad" => {
                    masc.0 += 1;
                    masc.1.get_or_insert((i, j));
                }
                _ => {}
            }
            i = j;
        } else {
            i += 1;
        }
    }
    let (value, (s, e)) = if fem.0 >= 2 && fem.0 >= 2 * masc.0 {
        ("female", fem.1?)
    } else if masc.0 >= 2 && masc.0 >= 2 * fem.0 {
        ("male", masc.1?)
    } else {
        return None;
    };
    let mut m = Mention::base(Slot::Sex, s, e, Holder::Client, value.into());
    m.share = 0.5;
    m.sigma = data::sigma_of("table");
    m.basis = "table: Census Vintage 2024, about half of residents".into();
    Some(m)
}

/// Chooses the reference community.
fn population(
    data: &data::RiskData,
    opts: &RiskOptions,
    mentions: &[Mention],
) -> (Population, Option<String>) {
    if let Some(n) = opts.population {
        return (
            Population {
                value: n.max(1),
                source: "given (--population)".into(),
                assumed: false,
            },
            mentions
                .iter()
                .find_map(|m| m.country.as_ref().map(|c| c.to_string())),
        );
    }
    if let Some(place) = &opts.place {
        let pick = pick_place(data, place, opts.country.as_deref());
        if let Some(p) = pick {
            return (
                Population {
                    value: p.community(),
                    source: format!(
                        "{} ({}){}, given (--place)",
                        p.name,
                        if p.region.is_empty() {
                            &p.country
                        } else {
                            &p.region
                        },
                        p.within
                            .as_ref()
                            .map(|(city, _)| format!(", part of {city}"))
                            .unwrap_or_default(),
                    ),
                    assumed: false,
                },
                Some(p.country.to_string()),
            );
        }
    }
    // The smallest community the text ties the client to; failing that, the smallest where
    // the service is (a clinic's address: its readers' community).
    let candidates = |service: bool| {
        mentions
            .iter()
            .filter(move |m| {
                m.slot == Slot::Place
                    && (if service {
                        m.service
                    } else {
                        m.holder == Holder::Client
                    })
                    && m.population.is_some()
                    && !m.restricted_zip
                    && !m.origin
            })
            .min_by_key(|m| m.population.unwrap_or(u64::MAX))
    };
    let best = candidates(false).or_else(|| candidates(true));
    if let Some(m) = best {
        let n = m.population.unwrap_or(DEFAULT_POPULATION);
        let how = if m.named || m.from_direct {
            format!("{} (population {n}), named in the text", m.value)
        } else {
            format!("{}, from the text", m.value)
        };
        let country = m.country.as_ref().map(|c| c.to_string()).or_else(|| {
            mentions
                .iter()
                .find_map(|x| x.country.as_ref().map(|c| c.to_string()))
        });
        return (
            Population {
                value: n,
                source: how,
                assumed: false,
            },
            country,
        );
    }
    let country = mentions
        .iter()
        .filter(|m| m.holder == Holder::Client)
        .find_map(|m| m.country.as_ref().map(|c| c.to_string()));
    if opts.place.is_some() {
        return (
            Population {
                value: DEFAULT_POPULATION,
                source: "default local community of 10,000 (the --place given was not found)"
                    .into(),
                assumed: true,
            },
            country,
        );
    }
    (
        Population {
            value: DEFAULT_POPULATION,
            source: "default local community of 10,000".into(),
            assumed: true,
        },
        country,
    )
}

/// The place `--place "Town, Qualifier"` names: the qualifier is a region, region code or
/// country; without one, the first in `country`, else the first found.
fn pick_place<'d>(
    data: &'d data::RiskData,
    place: &str,
    country: Option<&str>,
) -> Option<&'d data::Place> {
    let mut parts = place.splitn(2, ',');
    let name = parts.next().unwrap_or("").trim();
    let qual = parts.next().map(str::trim).unwrap_or("");
    let found = data.lookup_place(name);
    let qual_l = qual.to_lowercase();
    let pick = found
        .iter()
        .find(|p| {
            !qual.is_empty()
                && (p.region_code.eq_ignore_ascii_case(qual)
                    || p.region.to_lowercase() == qual_l
                    || p.country.eq_ignore_ascii_case(qual)
                    || country_name(&p.country) == qual_l)
        })
        .or_else(|| country.and_then(|c| found.iter().find(|p| p.country.eq_ignore_ascii_case(c))))
        .or(if qual.is_empty() { found.first() } else { None });
    pick.copied()
}

/// The region of the reference community (a `--place` in `country`), whose shares of some
/// languages and ethnic groups replace the national ones.
pub(crate) fn place_region(
    data: &data::RiskData,
    opts: &RiskOptions,
    country: Option<&str>,
) -> Option<String> {
    let p = pick_place(
        data,
        opts.place.as_deref()?,
        country.or(opts.country.as_deref()),
    )?;
    (country.is_none_or(|c| c == &*p.country) && !p.region.is_empty()).then(|| p.region.to_string())
}

/// The country code (US, UK, IE, CA, AU, NZ) of a code or a name ("GB", "Ireland", "nz").
pub fn country_code(c: &str) -> Option<String> {
    let code = match c.trim().to_ascii_lowercase().as_str() {
        "us" | "usa" | "united states" => "US",
        "uk" | "gb" | "united kingdom" | "england" | "scotland" | "wales" | "northern ireland" => {
            "UK"
        }
        "ie" | "ireland" => "IE",
        "ca" | "canada" => "CA",
        "au" | "australia" => "AU",
        "nz" | "new zealand" | "aotearoa" => "NZ",
        _ => return None,
    };
    Some(code.to_string())
}

fn country_name(code: &str) -> &'static str {
    match code {
        "US" => "united states",
        "UK" => "united kingdom",
        "IE" => "ireland",
        "CA" => "canada",
        "AU" => "australia",
        "NZ" => "new zealand",
        _ => "",
    }
}

/// Languages spoken at home outside the US where the ACS share is far off (approx: 2021
/// censuses of Canada, Australia, New Zealand, England and Wales, and Ireland 2022).
const LANGUAGE_BY_COUNTRY: &[(&str, &str, f64)] = &[
    ("CA", "French", 0.21),
    ("CA", "Punjabi", 0.015),
    ("CA", "Chinese", 0.035),
    ("CA", "Mandarin", 0.035),
    ("CA", "Cantonese", 0.015),
    ("CA", "Tagalog", 0.012),
    ("AU", "Mandarin", 0.027),
    ("AU", "Chinese", 0.03),
    ("AU", "Arabic", 0.014),
    ("AU", "Vietnamese", 0.013),
    ("AU", "Cantonese", 0.012),
    ("AU", "Punjabi", 0.009),
    ("AU", "Greek", 0.009),
    ("AU", "Italian", 0.009),
    ("NZ", "Samoan", 0.021),
    ("NZ", "Hindi", 0.014),
    ("NZ", "Mandarin", 0.02),
    ("NZ", "Chinese", 0.02),
    ("UK", "Polish", 0.011),
    ("UK", "Punjabi", 0.005),
    ("UK", "Urdu", 0.005),
    ("UK", "Bengali", 0.004),
    ("IE", "Polish", 0.025),
    ("IE", "Lithuanian", 0.008),
];

/// A share for the client's country: the lexicon's per-country value, the language table
/// above, or (outside the US) at most 1 % for a language the ACS counts in the US.
fn country_share(m: &Mention, share: f64, country: Option<&str>) -> f64 {
    let Some(c) = country.filter(|c| *c != "US") else {
        return share;
    };
    if let Some(&(_, v)) = m.by_country.iter().find(|(k, _)| &**k == c) {
        return v;
    }
    if m.slot == Slot::Language && m.basis.contains("B16001") {
        return LANGUAGE_BY_COUNTRY
            .iter()
            .find(|(k, l, _)| *k == c && *l == &*m.value)
            .map_or(share.min(0.01), |x| x.2);
    }
    share
}

/// Shares that depend on age (approx: ACS 2018 and SSA): most people over 65 are retired,
/// widowhood and grandparenthood are common late in life, students are mostly young; a job
/// is held by someone of working age (about 62 % of residents are 18-70) and a marriage or a
/// child by an adult (78 % are 18 or over), so with an adult age known the share is taken
/// among those.
fn age_conditional(m: &Mention, share: f64, age: Option<(u32, u32)>, sex: u8) -> f64 {
    let Some((lo, hi)) = age else {
        return share;
    };
    if &*m.value == "widowed" {
        return widowed_share(lo, hi, sex);
    }
    // An adult's job is counted among people who work or worked: a retired bricklayer of 80
    // is one of the men of 80 who were bricklayers, not of those who are bricklayers now.
    let working = lo >= 18;
    let not_work_status = !matches!(
        &*m.value,
        "retired" | "student" | "unemployed" | "homemaker"
    );
    if m.slot == Slot::Occupation && working && not_work_status {
        return (share / 0.62).min(1.0);
    }
    // Three children is common by midlife (Pew 2015: 24 % of mothers at the end of
    // childbearing have three, and about 85 % of women of 40-44 are mothers: about 0.2 of
    // people of 40 and over; fewer in their thirties, most of whose families are not complete).
    if &*m.value == "a parent of three" && lo >= 30 {
        return if lo >= 40 { 0.2 } else { 0.12 };
    }
    if m.slot == Slot::Family
        && lo >= 18
        && matches!(
            &*m.value,
            "married or partnered"
                | "a parent of one or two"
                | "a parent of three"
                | "a parent of four to seven"
                | "separated or divorced"
        )
    {
        return (share / 0.78).min(1.0);
    }
    match &*m.value {
        "retired" if lo >= 65 => 0.85,
        "retired" if lo >= 55 => 0.35,
        "retired" if hi < 50 => 0.005,
        "student" if lo >= 16 && hi <= 24 => 0.45,
        "student" if lo >= 5 && hi <= 17 => 0.95,
        "grandparent or pregnancy" if lo >= 60 => 0.6,
        _ => share,
    }
}

/// Where the reference community is: its country code and region (state, province, county).
#[derive(Clone, Copy, Default)]
pub(crate) struct Area<'a> {
    pub country: Option<&'a str>,
    pub region: Option<&'a str>,
}

/// Share of people who are widowed by age (from, men, women), approx: ACS 2018 1-year, S1201
/// marital status by age and sex, rounded. Widowhood is mostly a late-life, female fact: a
/// widow in her seventies is one of many, a widower of forty is rare.
const WIDOWED_BY_AGE: &[(u32, f64, f64)] = &[
    (0, 0.0005, 0.0005),
    (18, 0.001, 0.002),
    (35, 0.004, 0.01),
    (45, 0.01, 0.03),
    (55, 0.025, 0.08),
    (65, 0.05, 0.14),
    (70, 0.08, 0.22),
    (75, 0.13, 0.35),
    (80, 0.20, 0.48),
    (85, 0.37, 0.70),
];

/// The share of people aged `lo..=hi` (sex: 0 unknown, 1 male, 2 female) who are widowed:
/// the mean over the single years of the interval.
fn widowed_share(lo: u32, hi: u32, sex: u8) -> f64 {
    let (lo, hi) = (lo.min(100), hi.clamp(lo.min(100), 100));
    let at = |age: u32| {
        let &(_, men, women) = WIDOWED_BY_AGE
            .iter()
            .rev()
            .find(|r| r.0 <= age)
            .unwrap_or(&WIDOWED_BY_AGE[0]);
        match sex {
            1 => men,
            2 => women,
            _ => (men + women) / 2.0,
        }
    };
    (lo..=hi).map(at).sum::<f64>() / f64::from(hi - lo + 1)
}

/// The ages an acquaintance could take a stated age for: an exact age or a narrow interval
/// is known to others only roughly, so it matches everyone within about two years of it (a
/// five-year band, the width of the census age groups). Wider intervals stay as stated.
fn as_seen(lo: u32, hi: u32) -> (u32, u32) {
    if hi - lo >= AGE_SEEN_BAND - 1 {
        return (lo, hi);
    }
    let spare = AGE_SEEN_BAND - 1 - (hi - lo);
    let below = (spare / 2).min(lo);
    (lo - below, hi + (spare - below))
}

/// Width in years of the age band an exact age is matched against ([`as_seen`]).
const AGE_SEEN_BAND: u32 = 5;

/// Effective share of one mention given the client's sex, age and area: a regional share
/// (French in Quebec) where the tables have one, else the country's.
fn effective_share(
    data: &data::RiskData,
    m: &Mention,
    sex: u8,
    age: Option<(u32, u32)>,
    area: Area<'_>,
) -> f64 {
    if let Some((lo, hi)) = m.age {
        let (lo, hi) = as_seen(lo, hi);
        return data.age_share(lo, hi, sex);
    }
    let regional = match area {
        Area {
            country: Some(c),
            region: Some(r),
        } => data.regional_share(c, r, m.slot, &m.value),
        _ => None,
    };
    // "born in Mexico", "Italian-born": the country's share of residents by country of birth.
    let origin = m
        .value
        .strip_prefix("born in or from ")
        .filter(|_| m.slot == Slot::Nationality)
        .and_then(|name| data.origin_share(name, area.country));
    let mut share = match regional.or(origin) {
        Some(r) => r,
        None => country_share(m, age_conditional(m, m.share, age, sex), area.country),
    };
    // A job mostly held by one sex, with the client's sex known.
    if let (Some(f), 1 | 2) = (m.female, sex) {
        let within = if sex == 2 { f } else { 1.0 - f };
        share = (share * within / 0.5).clamp(1e-7, 1.0);
    }
    // Joint tables: hearing and vision difficulty by age band and sex (ACS 2018), scaled for
    // a narrower term ("Deaf" is about a tenth of hearing difficulty).
    if let Some((lo, hi)) = age {
        let mid = (lo + hi) / 2;
        let joint = if m.joint_hearing {
            data.hearing_rate(mid, sex).map(|r| r / 0.036)
        } else if m.joint_vision {
            data.vision_rate(mid, sex).map(|r| r / 0.024)
        } else {
            None
        };
        if let Some(scale) = joint {
            return (scale * share).clamp(1e-7, 1.0);
        }
    }
    share
}

/// One factor of the estimate: slot, value key, share, sigma, spans, basis, visible.
type Factor = (Slot, String, f64, f64, Vec<(usize, usize)>, String, bool);

/// The estimate for a set of mentions: (λ, σ, drivers, population after anchors).
pub(crate) fn estimate(
    data: &data::RiskData,
    mentions: &[Mention],
    n: u64,
    audience: Audience,
    area: Area<'_>,
) -> (f64, f64, Vec<Driver>, u64) {
    let client: Vec<&Mention> = mentions
        .iter()
        .filter(|m| m.holder == Holder::Client && m.known && m.slot != Slot::Place && !m.past)
        .collect();
    let sex = client
        .iter()
        .find(|m| m.slot == Slot::Sex)
        .map_or(0u8, |m| {
            if &*m.value == "female" {
                2
            } else if &*m.value == "male" {
                1
            } else {
                0
            }
        });
    let age = client
        .iter()
        .filter_map(|m| m.age)
        .min_by_key(|(lo, hi)| hi - lo);
    // One factor per (slot, value); per slot for ages (the narrowest interval).
    let mut factors: Vec<Factor> = Vec::new();
    let mut n_eff = n;
    for m in &client {
        if m.slot == Slot::Organisation {
            if let Some(size) = m.population {
                n_eff = n_eff.min(size.max(2));
            }
            continue;
        }
        if m.slot == Slot::Uniqueness {
            continue; // a trigger, not a share
        }
        let p = effective_share(data, m, sex, age, area);
        let key = if m.slot == Slot::Age {
            "age".to_string()
        } else {
            m.value.to_string()
        };
        if let Some(f) = factors
            .iter_mut()
            .find(|f| f.0 == m.slot && (f.1 == key || m.slot == Slot::Age))
        {
            f.4.push((m.start, m.end));
            if p < f.2 {
                f.2 = p;
                f.3 = m.sigma;
                if m.slot == Slot::Age {
                    f.5 = format!("{} ({})", m.value, m.basis);
                }
            }
            f.6 |= m.visible;
            continue;
        }
        let shown = if m.slot == Slot::Age {
            format!("{} ({})", m.value, m.basis)
        } else {
            m.basis.to_string()
        };
        factors.push((
            m.slot,
            key,
            p,
            m.sigma,
            vec![(m.start, m.end)],
            shown,
            m.visible,
        ));
    }
    // A widow's "husband" and a divorced man's "wife" are the late or former spouse: the
    // marital status stated is the fact, the spouse word adds nothing (the two statuses
    // exclude each other, so multiplying them counted the same fact twice).
    if factors
        .iter()
        .any(|f| f.0 == Slot::Family && matches!(f.1.as_str(), "widowed" | "separated or divorced"))
    {
        factors.retain(|f| !(f.0 == Slot::Family && f.1 == "married or partnered"));
    }
    // Cluster damping.
    let mut log_p = 0.0f64;
    let mut var = 0.0f64;
    let mut drivers = Vec::new();
    let mut visible = false;
    for cl in 0..=6u8 {
        let mut fs: Vec<&Factor> = factors.iter().filter(|f| f.0.cluster() == cl).collect();
        fs.sort_by(|a, b| a.2.total_cmp(&b.2));
        // A language and the origin or ethnicity it goes with ("Italian-born" and "speaks
        // Italian", "Samoan" and "speaks Samoan") describe one group of people: the rarer
        // counts, the other adds nothing (P(A and B) is about P(A) when A nearly implies B).
        let implied: Vec<bool> = (0..fs.len())
            .map(|j| (0..j).any(|i| same_origin(data, fs[i], fs[j])))
            .collect();
        let mut rank = 0;
        for (i, f) in fs.iter().enumerate() {
            let w = if implied[i] {
                0.0
            } else if rank == 0 {
                1.0
            } else {
                BETA
            };
            if !implied[i] {
                rank += 1;
            }
            let eff = f.2.powf(w);
            log_p += eff.ln();
            // A share's log-uncertainty cannot exceed its room below 1: a common attribute
            // ("married", half the adults) is measured well; the class's band applies in full
            // from 1 in 100 down.
            let room = (-eff.ln() / 100f64.ln()).min(1.0);
            var += (f.3 * w * room).powi(2);
            visible |= f.6;
            let value = if f.0 == Slot::Age {
                mentions
                    .iter()
                    .find(|m| {
                        m.slot == Slot::Age
                            && f.4.contains(&(m.start, m.end))
                            && (effective_share(data, m, sex, age, area) - f.2).abs() < 1e-12
                    })
                    .map_or(f.1.clone(), |m| m.value.to_string())
            } else {
                f.1.clone()
            };
            drivers.push(Driver {
                attribute: f.0,
                value,
                holder: Holder::Client,
                bits: -eff.log2() + 0.0,
                share: eff,
                basis: f.5.clone(),
                spans: f.4.clone(),
                own_share: eff,
            });
        }
    }
    // Across clusters too, beyond the FULL_DETAILS most identifying details (sex and age
    // aside), each further one counts at exponent β: whoever would recognise the client must
    // know every detail, and the more ordinary details a note piles up, the fewer acquaintances
    // know them all (a job, a marriage, a church and a car accident are rarely known to one
    // neighbour together).
    let mut idx: Vec<usize> = (0..drivers.len())
        .filter(|&i| !matches!(drivers[i].attribute, Slot::Sex | Slot::Age))
        .collect();
    idx.sort_by(|&a, &b| drivers[b].bits.total_cmp(&drivers[a].bits));
    for &i in idx.iter().skip(FULL_DETAILS) {
        let d = &mut drivers[i];
        let eff = d.share.powf(BETA);
        log_p += eff.ln() - d.share.ln();
        d.share = eff;
        d.bits = -eff.log2() + 0.0;
    }
    if n_eff < n {
        drivers.push(Driver {
            attribute: Slot::Organisation,
            value: "a named organisation".into(),
            holder: Holder::Client,
            bits: (n as f64 / n_eff as f64).log2(),
            share: n_eff as f64 / n as f64,
            own_share: n_eff as f64 / n as f64,
            basis: "the organisation's own size replaces the community".into(),
            spans: client
                .iter()
                .filter(|m| m.slot == Slot::Organisation)
                .map(|m| (m.start, m.end))
                .collect(),
        });
        var += data::sigma_of("default").powi(2);
    }
    let mut lambda = (n_eff.saturating_sub(1)) as f64 * log_p.exp();
    if visible && audience.local() {
        lambda /= VISIBILITY;
    }
    drivers.sort_by(|a, b| b.bits.total_cmp(&a.bits));
    (lambda, var.sqrt(), drivers, n_eff)
}

/// Languages whose speakers nearly all belong to one ethnic group of the lexicon (approx:
/// ACS 2018 B16001 by race; NZ and AU censuses): stating both says little more than the
/// language.
const LANGUAGE_GROUP: &[(&str, &str)] = &[
    ("Samoan", "Pacific Islander"),
    ("Tongan", "Pacific Islander"),
    ("Fijian", "Pacific Islander"),
    ("Hawaiian", "Pacific Islander"),
    ("Māori", "Indigenous"),
    ("Maori", "Indigenous"),
    ("Navajo", "Indigenous"),
    ("Cree", "Indigenous"),
    ("Ojibwe", "Indigenous"),
    ("Kriol", "Indigenous"),
    ("Mi'kmaq", "Indigenous"),
    ("Spanish", "Hispanic or Latino"),
    ("Korean", "Asian"),
    ("Vietnamese", "Asian"),
    ("Tagalog", "Asian"),
    ("Filipino", "Asian"),
    ("Ilocano", "Asian"),
    ("Chinese", "Asian"),
    ("Mandarin", "Asian"),
    ("Cantonese", "Asian"),
    ("Japanese", "Asian"),
    ("Hmong", "Asian"),
    ("Khmer", "Asian"),
    ("Lao", "Asian"),
    ("Thai", "Asian"),
];

/// Do two demographic factors name one group ("speaks Italian" and "Italian-born", "speaks
/// Samoan" and "Samoan")? A language and an origin that share a stem, or a language and the
/// ethnic group its speakers belong to.
fn same_origin(data: &data::RiskData, a: &Factor, b: &Factor) -> bool {
    let (lang, other) = match (a.0, b.0) {
        (Slot::Language, Slot::Ethnicity | Slot::Nationality) => (&a.1, &b.1),
        (Slot::Ethnicity | Slot::Nationality, Slot::Language) => (&b.1, &a.1),
        _ => return false,
    };
    if LANGUAGE_GROUP.iter().any(|(l, g)| l == lang && g == other) {
        return true;
    }
    // "speaks Urdu" and "born in or from Pakistan" (rules/risk/language_origins.tsv).
    if data.language_of_origin(lang, other) {
        return true;
    }
    // "Italian" in "born in or from Italian", "Polish" in "Polish heritage", "Korean" in
    // "born in or from Korea": a stem of at least four letters.
    let stem: String = lang
        .chars()
        .take(lang.chars().count().saturating_sub(2).max(4))
        .collect();
    stem.chars().count() >= 4 && other.to_lowercase().contains(&stem.to_lowercase())
}

fn triggers(mentions: &[Mention], audience: Audience, drivers: &[Driver]) -> Vec<Trigger> {
    let mut out = Vec::new();
    for m in mentions {
        let near = matches!(m.holder, Holder::Client | Holder::Other);
        match m.slot {
            Slot::Uniqueness if near => out.push(Trigger {
                kind: "uniqueness",
                reason: format!(
                    "a uniqueness marker (\"{}\") about the {}: whoever fits it is one person",
                    m.value,
                    if m.holder == Holder::Client { "client" } else { "client's circle" }
                ),
                spans: vec![(m.start, m.end)],
            }),
            Slot::Event if near && m.anchor && m.dated => out.push(Trigger {
                kind: "dated_event",
                reason: format!(
                    "a distinctive event ({}) tied to the {}: people who know of it know who it happened to",
                    m.value,
                    if m.holder == Holder::Client { "client" } else { "client's family" }
                ),
                spans: vec![(m.start, m.end)],
            }),
            Slot::Organisation if m.holder == Holder::Client => out.push(Trigger {
                kind: "named_organisation",
                reason: format!(
                    "the client's organisation is named ({}, about {} people): its members can pick the client out",
                    m.value,
                    m.population.unwrap_or(0)
                ),
                spans: vec![(m.start, m.end)],
            }),
            Slot::Place
                if m.holder == Holder::Client
                    && m.named
                    && m.population.is_some_and(|p| p <= 20_000)
                    && !audience.local() =>
            {
                out.push(Trigger {
                    kind: "small_named_place",
                    reason: format!(
                        "a named place of 20,000 people or fewer ({}, {}): HIPAA's ZIP3 rule treats such areas as identifying",
                        m.value,
                        m.population.unwrap_or(0)
                    ),
                    spans: vec![(m.start, m.end)],
                })
            }
            Slot::Place if m.restricted_zip => out.push(Trigger {
                kind: "restricted_zip3",
                reason: "a ZIP code in a three-digit area of 20,000 people or fewer (HIPAA Safe Harbor: must become 000)".into(),
                spans: vec![(m.start, m.end)],
            }),
            Slot::Age
                if m.holder == Holder::Client
                    && !m.past
                    && m.age.is_some_and(|(lo, _)| lo >= 90) =>
            {
                out.push(Trigger {
                    kind: "age_90_plus",
                    reason: "an age of 90 or over (HIPAA Safe Harbor: ages over 89 become \"90 or older\")".into(),
                    spans: vec![(m.start, m.end)],
                })
            }
            _ => {}
        }
    }
    if !audience.local() {
        let specific: Vec<&Driver> = drivers
            .iter()
            .filter(|d| {
                // Specific values of the review rule's kinds of indirect identifier (age,
                // ethnicity, occupation, place, rare conditions, family, ...): a private life
                // event (a car crash, a lost job) is not one; a public one is its own trigger.
                d.holder == Holder::Client
                    && d.own_share <= 0.05
                    && !matches!(d.attribute, Slot::Sex | Slot::Place | Slot::Event)
            })
            .collect();
        let mut slots: Vec<Slot> = specific.iter().map(|d| d.attribute).collect();
        slots.dedup();
        if slots.len() >= 3 {
            out.push(Trigger {
                kind: "three_indirect_identifiers",
                reason: format!(
                    "three or more specific indirect identifiers of the client ({}): the review rule of Hrynaszkiewicz et al. (BMJ 2010) asks for consent or removal",
                    slots.iter().map(|s| s.plain()).collect::<Vec<_>>().join(", ")
                ),
                spans: specific.iter().flat_map(|d| d.spans.clone()).collect(),
            });
        }
    }
    out
}

fn level_of(lambda_q: f64, k: u32, triggers: &[Trigger]) -> Level {
    if lambda_q < 1.0 || !triggers.is_empty() {
        Level::Red
    } else if lambda_q < (k as f64 - 1.0) {
        Level::Amber
    } else {
        Level::Green
    }
}

fn fmt_count(x: f64) -> String {
    if x >= 10.0 {
        format!("{:.0}", x)
    } else if x >= 0.1 {
        format!("{:.1}", x)
    } else {
        "fewer than 0.1".into()
    }
}

/// Assesses the re-identification risk of `text` given the direct detector's `spans`.
///
/// In a group note the details of each member are their own (see `group_holders`), and the
/// note is as risky as its most recognisable member: every other member is assessed as if
/// presented, and the one with the highest level (the lowest cautious λ on a tie) is reported
/// when it is riskier than the presented one.
pub fn assess(text: &str, spans: &[Span], opts: &RiskOptions) -> crate::Result<Assessment> {
    let data = data::builtin()?;
    let mut ms = mentions(text, spans, opts.country.as_deref())?;
    if !opts.as_written {
        // What redaction removes no longer identifies; a named place still says which
        // community the readers share with the client.
        ms.retain(|m| !m.from_direct || m.slot == Slot::Place && !m.restricted_zip);
        for m in ms.iter_mut().filter(|m| m.from_direct) {
            m.named = false;
        }
    }
    let mut others: Vec<PersonRef> = Vec::new();
    for m in &ms {
        if let (Some(p), Holder::Other) = (m.member, m.holder) {
            if !others.contains(&p) {
                others.push(p);
            }
        }
    }
    let mut best = assess_mentions(&data, text, ms.clone(), opts)?;
    // Every member's suggestions count: the vignette must make each of them safe, not only
    // the riskiest.
    let mut suggestions = best.suggestions.clone();
    for p in others {
        // This member presented: their details are the client's; the presented member's
        // and unattributed details (but not the community) are someone else's.
        let view: Vec<Mention> = ms
            .iter()
            .cloned()
            .map(|mut m| {
                if m.member == Some(p) {
                    m.holder = Holder::Client;
                } else if m.holder == Holder::Client && m.slot != Slot::Place {
                    m.holder = Holder::Other;
                }
                m
            })
            .collect();
        let a = assess_mentions(&data, text, view, opts)?;
        for sg in &a.suggestions {
            if !suggestions
                .iter()
                .any(|x| x.start < sg.end && sg.start < x.end)
            {
                suggestions.push(sg.clone());
            }
        }
        if (a.level, -a.lambda_q) > (best.level, -best.lambda_q) {
            best = a;
            best.reasons.push(
                "This is a group note: another member's details are riskier than the presented member's, and this assessment is of that member.".into(),
            );
        }
    }
    best.suggestions = suggestions;
    Ok(best)
}

fn assess_mentions(
    data: &data::RiskData,
    text: &str,
    ms: Vec<Mention>,
    opts: &RiskOptions,
) -> crate::Result<Assessment> {
    let (pop, place_country) = population(data, opts, &ms);
    let country = opts.country.clone().or(place_country);
    let region = place_region(data, opts, country.as_deref());
    let area = Area {
        country: country.as_deref(),
        region: region.as_deref(),
    };
    let (lambda, sigma, mut drivers, _n_eff) = estimate(data, &ms, pop.value, opts.audience, area);
    // Relatives' anchors are reported with the client's drivers.
    for m in ms
        .iter()
        .filter(|m| m.holder == Holder::Other && m.anchor && m.slot == Slot::Event)
    {
        drivers.push(Driver {
            attribute: m.slot,
            value: m.value.to_string(),
            holder: Holder::Other,
            bits: -m.share.log2(),
            share: m.share,
            basis: m.basis.to_string(),
            spans: vec![(m.start, m.end)],
            own_share: m.share,
        });
    }
    let lambda_q = lambda * (-pop.decision_z() * sigma).exp();
    let trig = triggers(&ms, opts.audience, &drivers);
    let k = opts.audience.k();
    let level = level_of(lambda_q, k, &trig);
    let mut reasons = Vec::new();
    let matches = if lambda < 0.1 {
        "probably no one else would match everything the text says about the client".to_string()
    } else {
        format!(
            "about {} other people would match everything the text says about the client (cautious estimate {})",
            fmt_count(lambda),
            fmt_count(lambda_q)
        )
    };
    reasons.push(format!(
        "In a community of about {} ({}), {matches}; sharing with {} needs at least {} others.",
        pop.value,
        pop.source,
        opts.audience.as_str(),
        k - 1
    ));
    let top: Vec<String> = drivers
        .iter()
        .filter(|d| d.holder == Holder::Client && d.bits >= 1.5)
        .take(4)
        .map(|d| {
            format!(
                "{} \"{}\" (about 1 in {:.0})",
                d.attribute.plain(),
                d.value,
                1.0 / d.share.max(1e-12)
            )
        })
        .collect();
    if !top.is_empty() {
        reasons.push(format!("What narrows it most: {}.", top.join("; ")));
    }
    for t in &trig {
        let r = format!("Hard trigger: {}.", t.reason);
        if !reasons.contains(&r) {
            reasons.push(r);
        }
    }
    let sensitive: Vec<String> = ms
        .iter()
        .filter(|m| m.sensitive && m.holder == Holder::Client)
        .map(|m| format!("{}: {}", m.slot.plain(), m.value))
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        });
    if level == Level::Green && !sensitive.is_empty() {
        reasons.push(format!(
            "Identity looks safe for this audience, but the text still discloses special-category details ({}).",
            sensitive.join("; ")
        ));
    }
    let mut a = Assessment {
        level,
        lambda,
        lambda_q,
        k,
        audience: opts.audience,
        population: pop,
        country,
        triggers: trig,
        drivers,
        reasons,
        suggestions: Vec::new(),
        sensitive,
        mentions: ms,
    };
    a.suggestions = vignette::suggest(data, text, &a, opts);
    Ok(a)
}

#[cfg(test)]
mod tests;

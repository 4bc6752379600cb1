//! The risk estimator's data: the quasi-identifier lexicon, occupations, age shares, the
//! hearing-difficulty joint table, places with populations and restricted ZIP3 areas. All of it
//! is embedded (`rules/risk/`), parsed once on first use, and never needed by `scan`/`redact`.

use super::Slot;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

const LEXICON: &str = include_str!("../../../../rules/risk/lexicon.toml");
const OCCUPATIONS: &str = include_str!("../../../../rules/risk/occupations.tsv");
const AGES: &str = include_str!("../../../../rules/risk/ages.tsv");
const HEARING: &str = include_str!("../../../../rules/risk/hearing.tsv");
const PLACES: &str = include_str!("../../../../rules/risk/places.tsv");
const REGIONS: &str = include_str!("../../../../rules/risk/regions.tsv");
const SECTIONS: &str = include_str!("../../../../rules/risk/sections.tsv");
const ZIP3: &str = include_str!("../../../../rules/risk/zip3_restricted.txt");
const LANGUAGES: &str = include_str!("../../../../rules/risk/languages.tsv");
const LANGUAGES_OTHER: &str = include_str!("../../../../rules/risk/languages_other.tsv");
const OCCUPATION_ALIASES: &str = include_str!("../../../../rules/risk/occupation_aliases.tsv");
const REGIONAL_SHARES: &str = include_str!("../../../../rules/risk/regional_shares.tsv");
const ORIGINS: &str = include_str!("../../../../rules/risk/origins.tsv");
const LANGUAGE_ORIGINS: &str = include_str!("../../../../rules/risk/language_origins.tsv");

/// The countries of origins.tsv's share columns, in order.
const ORIGIN_COUNTRIES: [&str; 6] = ["US", "UK", "IE", "CA", "AU", "NZ"];

/// The population every share refers to (US residents, Census Vintage 2024, rounded).
pub(crate) const US_POPULATION: f64 = 333_000_000.0;

/// Uncertainty classes of ln(share) (design note 3(b)).
pub(crate) fn sigma_of(class: &str) -> f64 {
    match class {
        "table" => 1.5f64.ln(),
        "national" => 3f64.ln(),
        "proxy" => 5f64.ln(),
        _ => 10f64.ln(),
    }
}

/// One attribute value with its base rate.
#[derive(Debug, Clone)]
pub(crate) struct Concept {
    pub slot: Slot,
    pub value: Arc<str>,
    pub share: f64,
    pub sigma: f64,
    pub basis: Arc<str>,
    pub visible: bool,
    pub known: bool,
    pub anchor: bool,
    pub sensitive: bool,
    pub joint_hearing: bool,
    pub joint_vision: bool,
    /// Share of holders who are women, where known.
    pub female: Option<f64>,
    /// Shares where a country differs from the US table.
    pub by_country: Arc<[(Arc<str>, f64)]>,
    pub ladder: Vec<(Arc<str>, f64)>,
}

impl Concept {
    /// A concept read from a table: known, not visible, no joint table.
    fn table(
        slot: Slot,
        value: Arc<str>,
        share: f64,
        basis: String,
        ladder: Vec<(Arc<str>, f64)>,
    ) -> Concept {
        Concept {
            slot,
            value,
            share,
            sigma: sigma_of("national"),
            basis: basis.into(),
            visible: false,
            known: true,
            anchor: false,
            sensitive: false,
            joint_hearing: false,
            joint_vision: false,
            by_country: Arc::from(Vec::new()),
            female: None,
            ladder,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    concept: Vec<RawConcept>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    slot: String,
    value: String,
    terms: Vec<String>,
    share: f64,
    basis: String,
    sigma: String,
    #[serde(default)]
    visible: bool,
    #[serde(default = "yes")]
    known: bool,
    #[serde(default)]
    anchor: bool,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    joint: Option<String>,
    #[serde(default)]
    by_country: std::collections::BTreeMap<String, f64>,
    #[serde(default)]
    female: Option<f64>,
    #[serde(default)]
    ladder: Vec<(String, f64)>,
}

/// A language row while the tables are read: name, US share, other countries' shares, basis.
type LanguageRow = (String, f64, Vec<(Arc<str>, f64)>, String);

fn yes() -> bool {
    true
}

/// Occupations that are also the words for the clinician and the other professionals around a
/// case; without a job frame they are not the client's attribute.
const FRAME_ONLY: &[&str] = &[
    "therapist",
    "psychotherapist",
    "counsellor",
    "counselor",
    "psychologist",
    "psychiatrist",
    "mental health worker",
    "social worker",
    "caseworker",
    "case worker",
    "doctor",
    "physician",
    "gp",
    "general practitioner",
    "family doctor",
    "nurse",
    "rn",
    "practice nurse",
    "judge",
    "magistrate",
    "coroner",
    "lawyer",
    "attorney",
    "solicitor",
    "barrister",
    "police officer",
    "detective",
    "constable",
    "garda",
    "cop",
    "principal",
    "teacher",
    "coach",
    "server",
    // A family member's carer is no paid one ("he is her main carer").
    "carer",
    "home carer",
    "interpreter",
    "chaplain",
    "student",
    "intern",
    "supervisor",
    "manager",
    "advocate",
    "paramedic",
    "ambulance officer",
    "emt",
    "probation officer",
    "physiotherapist",
    "physio",
];

/// The lexicon's terms while they are collected: each lower-cased term once, first claim wins.
#[derive(Default)]
struct Terms {
    seen: HashMap<String, usize>,
    patterns: Vec<String>,
    concept: Vec<usize>,
    plural: Vec<bool>,
}

impl Terms {
    fn add(&mut self, term: &str, concept: usize, plural: bool) {
        let term = term.to_lowercase();
        if term.is_empty() || self.seen.contains_key(&term) {
            return;
        }
        self.seen.insert(term.clone(), self.patterns.len());
        self.patterns.push(term);
        self.concept.push(concept);
        self.plural.push(plural);
    }
}

/// The plural of an occupation word ("firefighters", "fishermen").
fn plural(term: &str) -> String {
    match term.strip_suffix("man") {
        Some(stem) => format!("{stem}men"),
        None => format!("{term}s"),
    }
}

/// Plain-language ladder phrase for each SOC major group.
fn major_group_phrase(code: &str) -> &'static str {
    match code {
        "11" => "manager",
        "13" => "business professional",
        "15" => "IT worker",
        "17" => "engineer",
        "19" => "scientist",
        "21" => "social services worker",
        "23" => "legal professional",
        "25" => "educator",
        "27" => "arts and media worker",
        "29" => "healthcare worker",
        "31" => "healthcare support worker",
        "33" => "public safety worker",
        "35" => "hospitality worker",
        "37" => "maintenance worker",
        "39" => "personal care worker",
        "41" => "sales worker",
        "43" => "office worker",
        "45" => "agricultural worker",
        "47" => "construction worker",
        "49" => "repair worker",
        "51" => "factory worker",
        "53" => "transport worker",
        _ => "worker",
    }
}

/// A place with its population.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub name: Arc<str>,
    pub country: Arc<str>,
    pub region: Arc<str>,
    pub region_code: Arc<str>,
    pub population: u64,
    pub kind: Arc<str>,
    /// For a suburb or neighbourhood (rules/risk/sections.tsv), the place it is part of and
    /// that place's population: the community a reader shares with its residents.
    pub within: Option<(Arc<str>, u64)>,
}

impl Place {
    /// The population of the community the place belongs to: its city's for a suburb, else
    /// its own.
    pub fn community(&self) -> u64 {
        self.within.as_ref().map_or(self.population, |w| w.1)
    }
}

/// Everything the estimator reads, parsed once.
pub(crate) struct RiskData {
    pub concepts: Vec<Concept>,
    /// Lower-cased term -> concept index; the automaton's pattern ids index `term_concept`.
    pub terms: AhoCorasick,
    pub term_concept: Vec<usize>,
    pub term_plural: Vec<bool>,
    /// The term is one of the clinician's own role words (needs a job frame).
    pub term_frame: Vec<bool>,
    /// Share of all residents at each single year of age: total, male, female.
    pub ages: Vec<[f64; 3]>,
    /// (sex 0 total 1 male 2 female, lo, hi, hearing rate, vision rate)
    pub hearing: Vec<(u8, u32, u32, f64, f64)>,
    /// Parsed on the first lookup: a note that names no place never pays for it.
    places: std::sync::OnceLock<HashMap<String, Vec<Place>>>,
    pub zip3_restricted: Vec<String>,
    /// Regional shares that replace the national one: (country, lower-cased region, slot,
    /// lower-cased value, share).
    pub regional: Vec<(String, String, Slot, String, f64)>,
    /// Residents born in a named country: (names and adjectives, share per ORIGIN_COUNTRIES).
    pub origins: Vec<(Vec<String>, [Option<f64>; 6])>,
    /// A language and the countries most of its speakers were born in, lower case
    /// (language_origins.tsv).
    pub language_origins: Vec<(String, Vec<String>)>,
}

static DATA: LazyLock<Result<Arc<RiskData>, String>> =
    LazyLock::new(|| RiskData::load().map(Arc::new));

/// The built-in data (parsed on first use).
pub(crate) fn builtin() -> crate::Result<Arc<RiskData>> {
    DATA.clone()
        .map_err(|e| crate::Error::config(format!("built-in risk data: {e}")))
}

fn data_lines(s: &str) -> impl Iterator<Item = Vec<&str>> {
    s.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// The place table for tests.
#[cfg(test)]
pub(crate) fn load_places_for_test() -> Result<HashMap<String, Vec<Place>>, String> {
    load_places()
}

/// The key a place is filed and looked up under: lower case, diacritics folded
/// ("Whangārei" and "Whangarei" are one town).
pub(crate) fn place_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    crate::detect::dictionary::fold_diacritics(&lower).unwrap_or(lower)
}

/// The place table: `rules/risk/places.tsv` (GeoNames towns, US counties and states) and
/// `rules/risk/regions.tsv` (counties, regions and provinces of the other five countries);
/// `builtin_places_parse` guards their format.
fn load_places() -> Result<HashMap<String, Vec<Place>>, String> {
    let mut places: HashMap<String, Vec<Place>> = HashMap::new();
    let parse = |r: &[&str], file: &str| -> Result<Place, String> {
        if r.len() != 6 {
            return Err(format!("{file}: expected 6 columns"));
        }
        Ok(Place {
            name: r[0].into(),
            country: r[1].into(),
            region: r[2].into(),
            region_code: r[3].into(),
            population: r[4].parse().map_err(|_| format!("{file}: population"))?,
            kind: r[5].into(),
            within: None,
        })
    };
    for r in data_lines(PLACES) {
        let p = parse(&r, "places.tsv")?;
        places.entry(place_key(&p.name)).or_default().push(p);
    }
    // Suburbs and neighbourhoods: (name, country, region) -> the place they are part of.
    for r in data_lines(SECTIONS) {
        let [name, country, region, parent, pop] = r[..] else {
            return Err("sections.tsv: expected 5 columns".into());
        };
        let pop: u64 = pop.parse().map_err(|_| "sections.tsv: population")?;
        if let Some(v) = places.get_mut(&place_key(name)) {
            for p in v
                .iter_mut()
                .filter(|p| &*p.kind == "town" && &*p.country == country && &*p.region == region)
            {
                p.within = Some((parent.into(), pop));
            }
        }
    }
    for r in data_lines(REGIONS) {
        let p = parse(&r, "regions.tsv")?;
        let key = place_key(&p.name);
        // An Irish or Northern Irish county is also "County Kerry" and "Co. Kerry".
        if p.kind.as_ref() == "county" && (&*p.country == "IE" || &*p.region == "Northern Ireland")
        {
            for alias in [
                format!("county {key}"),
                format!("co. {key}"),
                format!("co {key}"),
            ] {
                places.entry(alias).or_default().push(p.clone());
            }
        }
        // A bare county name yields to a town of the same name and country with at least a
        // tenth of its people: "Galway" and "Cork" are the cities, "Kerry" is the county.
        let town_named = places.get(&key).is_some_and(|v| {
            v.iter().any(|t| {
                &*t.kind == "town" && t.country == p.country && t.population * 10 >= p.population
            })
        });
        if !town_named {
            places.entry(key).or_default().push(p);
        }
    }
    Ok(places)
}

impl RiskData {
    fn load() -> Result<RiskData, String> {
        let raw: RawLexicon = toml::from_str(LEXICON).map_err(|e| e.to_string())?;
        let mut concepts: Vec<Concept> = Vec::new();
        let mut terms_acc = Terms::default();
        // Languages first: "speaks Korean at home" has its own row in the ACS table; then the
        // languages it lumps into group rows (languages_other.tsv, with other countries' shares).
        let mut lang_rows: Vec<LanguageRow> = Vec::new();
        for r in data_lines(LANGUAGES) {
            if r.len() != 2 {
                return Err("languages.tsv: expected 2 columns".into());
            }
            let share: f64 = r[1].parse().map_err(|_| "languages.tsv: share")?;
            lang_rows.push((
                r[0].to_string(),
                share,
                Vec::new(),
                format!("table: ACS 2018 B16001, {} spoken at home", r[0]),
            ));
        }
        for r in data_lines(LANGUAGES_OTHER) {
            if r.len() != 4 {
                return Err("languages_other.tsv: expected 4 columns".into());
            }
            let share: f64 = r[1].parse().map_err(|_| "languages_other.tsv: share")?;
            let mut by_country = Vec::new();
            for kv in r[2].split_whitespace() {
                let (c, v) = kv
                    .split_once('=')
                    .ok_or("languages_other.tsv: by_country")?;
                let v: f64 = v
                    .parse()
                    .map_err(|_| "languages_other.tsv: by_country share")?;
                by_country.push((Arc::from(c), v));
            }
            lang_rows.push((
                r[0].to_string(),
                share,
                by_country,
                format!("approx: {}", r[3]),
            ));
        }
        for (name, share, by_country, basis) in lang_rows {
            let name = name.as_str();
            let ci = concepts.len();
            let title: String = name
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect::<String>())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" ");
            let mut concept = Concept::table(
                Slot::Language,
                title.into(),
                share.max(1e-6),
                basis,
                vec![("another language".into(), 0.22)],
            );
            concept.by_country = by_country.into();
            concepts.push(concept);
            for form in [
                format!("speaks {name}"),
                format!("speak {name}"),
                format!("spoke {name}"),
                format!("speaking {name}"),
                format!("speaks only {name}"),
                format!("{name}-speaking"),
                format!("{name} speaking"),
                format!("{name} speaker"),
                format!("{name}-speaker"),
                format!("{name} at home"),
                format!("{name} interpreter"),
                format!("monolingual {name}"),
                format!("fluent in {name}"),
                format!("bilingual in {name}"),
                format!("first language is {name}"),
                format!("{name} is her first language"),
                format!("{name} is his first language"),
                format!("{name} is their first language"),
                // An intake form's fields ("Preferred language: Spanish", "Interpreter:
                // Vietnamese").
                format!("language: {name}"),
                format!("languages: {name}"),
                format!("language spoken: {name}"),
                format!("language at home: {name}"),
                format!("language spoken at home: {name}"),
                format!("interpreter: {name}"),
                format!("interpreter needed: {name}"),
                format!("interpreter required: {name}"),
                format!("interpreter needed: yes, {name}"),
                format!("interpreter required: yes, {name}"),
                format!("mother tongue: {name}"),
                format!("mother tongue is {name}"),
                format!("native {name} speaker"),
            ] {
                terms_acc.add(&form, ci, false);
            }
        }
        for rc in raw.concept {
            let slot: Slot = rc
                .slot
                .parse()
                .map_err(|_| format!("lexicon: unknown slot {:?}", rc.slot))?;
            if !(rc.share > 0.0 && rc.share <= 1.0) {
                return Err(format!("lexicon: share of {:?} out of (0, 1]", rc.value));
            }
            let ci = concepts.len();
            for t in &rc.terms {
                let lower = t.to_lowercase();
                if let Some(stem) = lower.strip_suffix('*') {
                    terms_acc.add(stem, ci, false);
                    for suf in ["s", "es", "ed", "ing"] {
                        terms_acc.add(&format!("{stem}{suf}"), ci, false);
                    }
                } else {
                    terms_acc.add(&lower, ci, false);
                    if slot == Slot::Occupation && !lower.ends_with('s') && lower.len() > 3 {
                        terms_acc.add(&plural(&lower), ci, true);
                    }
                }
            }
            concepts.push(Concept {
                slot,
                value: rc.value.into(),
                share: rc.share,
                sigma: sigma_of(&rc.sigma),
                basis: rc.basis.into(),
                visible: rc.visible,
                known: rc.known,
                anchor: rc.anchor,
                sensitive: rc.sensitive,
                joint_hearing: rc.joint.as_deref() == Some("hearing"),
                joint_vision: rc.joint.as_deref() == Some("vision"),
                female: rc.female,
                by_country: rc
                    .by_country
                    .into_iter()
                    .map(|(c, v)| (c.into(), v))
                    .collect(),
                ladder: rc.ladder.into_iter().map(|(p, s)| (p.into(), s)).collect(),
            });
        }
        // Occupations from the OEWS table (terms the lexicon has not claimed, and never a word
        // a generalisation writes: "worker", "manager").
        let ladder_words: std::collections::HashSet<String> = concepts
            .iter()
            .flat_map(|c: &Concept| c.ladder.iter().map(|(p, _)| p.to_lowercase()))
            .chain(
                [
                    "11", "13", "15", "17", "19", "21", "23", "25", "27", "29", "31", "33", "35",
                    "37", "39", "41", "43", "45", "47", "49", "51", "53",
                ]
                .iter()
                .map(|c| major_group_phrase(c).to_string()),
            )
            .collect();
        let mut major_emp: HashMap<String, f64> = HashMap::new();
        let occ_rows: Vec<Vec<&str>> = data_lines(OCCUPATIONS).collect();
        for r in &occ_rows {
            if r.len() == 4 {
                *major_emp.entry(r[3].to_string()).or_default() +=
                    r[2].parse::<f64>().unwrap_or(0.0);
            }
        }
        // Everyday names of table jobs ("carer": personal care aide) and the share of holders
        // who are women, by table term.
        let mut aliases: HashMap<&str, (Vec<&str>, Option<f64>)> = HashMap::new();
        for r in data_lines(OCCUPATION_ALIASES) {
            if r.len() != 3 {
                return Err("occupation_aliases.tsv: expected 3 columns".into());
            }
            let female = match r[2].trim() {
                "" => None,
                f => Some(
                    f.parse::<f64>()
                        .ok()
                        .filter(|f| (0.0..=1.0).contains(f))
                        .ok_or("occupation_aliases.tsv: female share")?,
                ),
            };
            let e = aliases.entry(r[1]).or_default();
            if r[0] != r[1] {
                e.0.push(r[0]);
            }
            e.1 = e.1.or(female);
        }
        for r in &occ_rows {
            if r.len() != 4 {
                return Err("occupations.tsv: expected 4 columns".into());
            }
            let term = r[0];
            if terms_acc.seen.contains_key(term) || ladder_words.contains(term) {
                continue;
            }
            let emp: f64 = r[2].parse().map_err(|_| "occupations.tsv: employment")?;
            if emp <= 0.0 {
                continue;
            }
            let ci = concepts.len();
            let major = major_emp.get(r[3]).copied().unwrap_or(emp);
            concepts.push(Concept::table(
                Slot::Occupation,
                term.into(),
                (emp / US_POPULATION).max(1e-6),
                format!(
                    "table: OEWS 2021 {} ({} employed) / US population",
                    r[1], r[2]
                ),
                vec![
                    (major_group_phrase(r[3]).into(), major / US_POPULATION),
                    ("worker".into(), 0.42),
                ],
            ));
            terms_acc.add(term, ci, false);
            terms_acc.add(&plural(term), ci, true);
            if let Some((names, female)) = aliases.get(term) {
                concepts[ci].female = *female;
                for a in names {
                    terms_acc.add(a, ci, false);
                    terms_acc.add(&plural(a), ci, true);
                }
            }
        }
        // A one-word major group name is a job as people state it ("she is an engineer", "a
        // manager at the depot"): the whole group's share, one step from "worker". (Kept out
        // of the loop above, where a table row of that name, "engineers, all other", would
        // give a share far too small; a generalisation that writes the word meets the same
        // share it chose.)
        let mut groups: Vec<(&str, f64)> =
            major_emp.iter().map(|(c, &e)| (c.as_str(), e)).collect();
        groups.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (code, major) in groups {
            let term = major_group_phrase(code);
            if term.contains(' ')
                || term == "worker"
                || major <= 0.0
                || terms_acc.seen.contains_key(term)
            {
                continue;
            }
            let ci = concepts.len();
            concepts.push(Concept::table(
                Slot::Occupation,
                term.into(),
                (major / US_POPULATION).max(1e-6),
                format!("table: OEWS 2021 major group {code} ({major} employed) / US population"),
                vec![("worker".into(), 0.42)],
            ));
            terms_acc.add(term, ci, false);
            terms_acc.add(&plural(term), ci, true);
        }
        let Terms {
            patterns,
            concept: term_concept,
            plural: term_plural,
            ..
        } = terms_acc;
        let term_frame: Vec<bool> = patterns
            .iter()
            .map(|t| {
                let singular = t.strip_suffix('s').unwrap_or(t);
                FRAME_ONLY.contains(&t.as_str()) || FRAME_ONLY.contains(&singular)
            })
            .collect();
        let terms = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let mut ages = Vec::new();
        for r in data_lines(AGES) {
            let v: Vec<f64> = r[1..].iter().filter_map(|x| x.parse().ok()).collect();
            if v.len() != 3 {
                return Err("ages.tsv: expected 4 columns".into());
            }
            ages.push([v[0], v[1], v[2]]);
        }
        let mut hearing = Vec::new();
        for r in data_lines(HEARING) {
            let sex = match r[0] {
                "male" => 1,
                "female" => 2,
                _ => 0,
            };
            hearing.push((
                sex,
                r[1].parse().map_err(|_| "hearing.tsv")?,
                r[2].parse().map_err(|_| "hearing.tsv")?,
                r[3].parse().map_err(|_| "hearing.tsv")?,
                r.get(4)
                    .and_then(|v| v.parse().ok())
                    .ok_or("hearing.tsv: vision")?,
            ));
        }
        let zip3_restricted = data_lines(ZIP3).map(|r| r[0].to_string()).collect();
        let mut regional = Vec::new();
        for r in data_lines(REGIONAL_SHARES) {
            let [country, region, slot, value, share] = r.as_slice() else {
                return Err("regional_shares.tsv: expected 5 columns".into());
            };
            let slot: Slot = slot
                .parse()
                .map_err(|_| "regional_shares.tsv: unknown slot")?;
            let share: f64 = share
                .parse()
                .ok()
                .filter(|s| *s > 0.0 && *s <= 1.0)
                .ok_or("regional_shares.tsv: share")?;
            regional.push((
                country.to_string(),
                region.to_lowercase(),
                slot,
                value.to_lowercase(),
                share,
            ));
        }
        let mut origins = Vec::new();
        for r in data_lines(ORIGINS) {
            if r.len() != 7 {
                return Err("origins.tsv: expected 7 columns".into());
            }
            let names = r[0].split(',').map(|n| n.trim().to_lowercase()).collect();
            let mut shares = [None; 6];
            for (slot, v) in shares.iter_mut().zip(&r[1..]) {
                if !v.trim().is_empty() {
                    *slot = Some(
                        v.trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|s| *s > 0.0 && *s < 1.0)
                            .ok_or("origins.tsv: share")?,
                    );
                }
            }
            origins.push((names, shares));
        }
        let mut language_origins = Vec::new();
        for r in data_lines(LANGUAGE_ORIGINS) {
            let [language, countries] = r.as_slice() else {
                return Err("language_origins.tsv: expected 2 columns".into());
            };
            let countries: Vec<String> = countries
                .split(',')
                .map(|c| c.trim().to_lowercase())
                .filter(|c| !c.is_empty())
                .collect();
            if countries.is_empty() {
                return Err("language_origins.tsv: no country".into());
            }
            language_origins.push((language.trim().to_lowercase(), countries));
        }
        Ok(RiskData {
            concepts,
            terms,
            term_concept,
            term_frame,
            term_plural,
            ages,
            hearing,
            places: std::sync::OnceLock::new(),
            zip3_restricted,
            regional,
            origins,
            language_origins,
        })
    }

    /// Were most speakers of `language` born in the country named in `origin` ("born in or
    /// from Pakistan" for Urdu)?
    pub fn language_of_origin(&self, language: &str, origin: &str) -> bool {
        // The origin ends in the country as a whole word, compared without case (both lists
        // are ASCII; no string is built per call).
        let ends_with_word = |c: &str| {
            let Some(cut) = origin.len().checked_sub(c.len()) else {
                return false;
            };
            origin.is_char_boundary(cut)
                && origin[cut..].eq_ignore_ascii_case(c)
                && (cut == 0 || origin[..cut].ends_with(' '))
        };
        self.language_origins
            .iter()
            .filter(|(l, _)| l.eq_ignore_ascii_case(language))
            .any(|(_, cs)| cs.iter().any(|c| ends_with_word(c)))
    }

    /// The share of residents of `country` (US when unknown) born in the country called
    /// `name` ("Mexico", "Italian"), where origins.tsv lists it.
    pub fn origin_share(&self, name: &str, country: Option<&str>) -> Option<f64> {
        let col = ORIGIN_COUNTRIES
            .iter()
            .position(|c| Some(*c) == country)
            .unwrap_or(0);
        let name = name.trim().to_lowercase();
        self.origins
            .iter()
            .find(|(names, _)| names.contains(&name))
            .and_then(|(_, shares)| shares[col])
    }

    /// The share of `slot` = `value` among residents of `region` in `country`, where it is
    /// far from the national share (regional_shares.tsv).
    pub fn regional_share(
        &self,
        country: &str,
        region: &str,
        slot: Slot,
        value: &str,
    ) -> Option<f64> {
        let (region, value) = (region.to_lowercase(), value.to_lowercase());
        self.regional
            .iter()
            .find(|r| r.0 == country && r.1 == region && r.2 == slot && r.3 == value)
            .map(|r| r.4)
    }

    /// Share of residents with an age in `lo..=hi` (sex 0 total, 1 male, 2 female; with a sex,
    /// the share among residents of that sex).
    pub fn age_share(&self, lo: u32, hi: u32, sex: u8) -> f64 {
        let col = sex as usize;
        let total: f64 = if col == 0 {
            1.0
        } else {
            self.ages.iter().map(|a| a[col]).sum()
        };
        let last = self.ages.len().saturating_sub(1) as u32;
        let (lo, hi) = (lo.min(last), hi.min(last));
        let s: f64 = (lo..=hi).map(|a| self.ages[a as usize][col]).sum();
        (s / total).clamp(1e-7, 1.0)
    }

    /// Hearing-difficulty rate for an age (and sex), and the all-ages rate.
    pub fn hearing_rate(&self, age: u32, sex: u8) -> Option<f64> {
        self.hearing
            .iter()
            .find(|&&(s, lo, hi, _, _)| s == sex && lo <= age && age <= hi)
            .map(|h| h.3)
    }

    /// Vision-difficulty rate for an age (and sex).
    pub fn vision_rate(&self, age: u32, sex: u8) -> Option<f64> {
        self.hearing
            .iter()
            .find(|&&(s, lo, hi, _, _)| s == sex && lo <= age && age <= hi)
            .map(|h| h.4)
    }

    /// The lexicon's concept with this normalised value (the mentions that no term finds —
    /// incidents, jobs after a job frame, origins abroad — borrow its share and ladder).
    pub fn concept(&self, value: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| &*c.value == value)
    }

    /// Places called `name` (case-insensitive, diacritics folded), most populous first;
    /// "Cork city" and "Whangārei" are found as "Cork" and "Whangarei".
    pub fn lookup_place(&self, name: &str) -> Vec<&Place> {
        let table = self
            .places
            .get_or_init(|| load_places().unwrap_or_default());
        let key = place_key(name);
        let key = key.strip_prefix("the ").unwrap_or(&key);
        let mut v: Vec<&Place> = table
            .get(key)
            .or_else(|| {
                [" city", " town", " township", " village"]
                    .iter()
                    .find_map(|suf| key.strip_suffix(suf))
                    .and_then(|k| table.get(k.trim_end()))
            })
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        v.sort_by_key(|p| std::cmp::Reverse(p.population));
        v
    }
}

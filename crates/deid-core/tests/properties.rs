//! Property tests: invariants of detection and redaction over generated notes.
//!
//! Notes mix clinical prose, identifiers planted from fixed lists (names, phones, dates, e-mail
//! addresses, MRNs) and arbitrary Unicode (combining marks, emoji, right-to-left text, NUL,
//! very long lines). The invariants:
//!
//! - spans are non-empty, on char boundaries, sorted and disjoint;
//! - redaction copies the text outside the spans unchanged (rebuilt from the replacements);
//! - no replacement is ever detected again; with the rule detectors alone, redacting the output
//!   again changes nothing (`tag`, `numbered`, `mask`). The learned scorer reads context, and a
//!   replacement is different context from the name it replaced, so a second pass with it may
//!   find more (never inside a replacement);
//! - every planted identifier is covered by a replacement and its text is gone;
//! - `numbered` gives one number per entity ("Mr. Lee" and "Daniel Lee" share it);
//! - date shifting (fixed and keyed) keeps the day difference between any two full dates;
//! - `detect_batch` / `redact_batch` equal sequential calls;
//! - nothing panics on arbitrary Unicode or on arbitrary bytes read lossily.
//!
//! Engines are expensive to build in debug builds, so each is built once per test binary.

use deid_core::{
    date, DateShift, Deidentifier, DeidentifierBuilder, Redacted, Span, Strategy as Redaction,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::collections::HashMap;
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------------------
// Engines
// ---------------------------------------------------------------------------------------------

fn build(b: DeidentifierBuilder) -> Deidentifier {
    b.build().expect("the built-in rules build")
}

static TAG: LazyLock<Deidentifier> = LazyLock::new(|| build(Deidentifier::builder()));
static TAG_RULES: LazyLock<Deidentifier> =
    LazyLock::new(|| build(Deidentifier::builder().model(false)));
static NUMBERED_RULES: LazyLock<Deidentifier> = LazyLock::new(|| {
    build(
        Deidentifier::builder()
            .model(false)
            .strategy(Redaction::Numbered),
    )
});
static MASK_RULES: LazyLock<Deidentifier> = LazyLock::new(|| {
    build(
        Deidentifier::builder()
            .model(false)
            .strategy(Redaction::Mask),
    )
});
static NUMBERED: LazyLock<Deidentifier> =
    LazyLock::new(|| build(Deidentifier::builder().strategy(Redaction::Numbered)));
static MASK: LazyLock<Deidentifier> =
    LazyLock::new(|| build(Deidentifier::builder().strategy(Redaction::Mask)));
static SURROGATE: LazyLock<Deidentifier> = LazyLock::new(|| {
    build(
        Deidentifier::builder()
            .strategy(Redaction::Surrogate)
            .secret(&b"property-test-secret"[..]),
    )
});

/// Fixed date shifts exercised, each with its own engine.
const SHIFTS: [i64; 6] = [-3650, -400, -1, 1, 30, 1000];
static FIXED: LazyLock<Vec<(i64, Deidentifier)>> = LazyLock::new(|| {
    SHIFTS
        .iter()
        .map(|&d| {
            (
                d,
                build(Deidentifier::builder().date_shift(Some(DateShift::Fixed(d)))),
            )
        })
        .collect()
});
const KEYED_MAX: u32 = 365;
static KEYED: LazyLock<Deidentifier> = LazyLock::new(|| {
    build(
        Deidentifier::builder()
            .secret(&b"property-test-secret"[..])
            .date_shift(Some(DateShift::Keyed {
                max_days: KEYED_MAX,
            })),
    )
});

/// `cases` cases from a fixed seed, so CI is reproducible and a failure is a change in the code,
/// not a new draw. Explore by hand with other seeds and more cases:
/// `PROPTEST_RNG_SEED=7 PROPTEST_CASES=2000 cargo test -p deid-core --test properties`.
fn config(cases: u32) -> Config {
    let default = Config::default();
    Config {
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
            default.rng_seed
        } else {
            RngSeed::Fixed(0xDE1D_5EED)
        },
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        // A failure is reported with its minimal input; keep no state between runs.
        failure_persistence: None,
        ..default
    }
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the properties
// ---------------------------------------------------------------------------------------------

/// The span and redaction invariants, shared with the fuzz targets and their replayed
/// regressions (`fuzz/src/checks.rs`); a failed assertion inside a property fails the case and
/// proptest shrinks it. Only some of its checks are used here.
#[allow(dead_code)]
mod checks {
    include!("../../../fuzz/src/checks.rs");
}

fn check_redacted(text: &str, r: &Redacted, redact_quasi: bool) -> Result<(), TestCaseError> {
    checks::check_redacted(text, r, redact_quasi);
    Ok(())
}

/// Nothing is detected inside a replacement written by the first pass, and (for an engine
/// without the learned scorer) redacting twice gives the same text as redacting once.
fn check_idempotent(engine: &Deidentifier, text: &str) -> Result<(), TestCaseError> {
    let once = engine.redact(text);
    let again = engine.detect(&once.text);
    for s in &again {
        for rep in &once.replacements {
            prop_assert!(
                !(s.start < rep.output_end && rep.output_start < s.end),
                "{:?}: a replacement was detected again: {s:?} overlaps output {}..{}",
                engine.strategy(),
                rep.output_start,
                rep.output_end
            );
        }
    }
    if engine.has_model() {
        return Ok(());
    }
    let twice = engine.redact(&once.text);
    prop_assert!(
        twice.text == once.text,
        "{:?}: second redaction changed the text:\nonce:  {:?}\ntwice: {:?}",
        engine.strategy(),
        once.text,
        twice.text
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Names the detector finds without a cue. First names and surnames are all distinct.
const NAMES: &[&str] = &[
    "Maria Lopez",
    "Daniel Lee",
    "Jamal Reed",
    "Priya Raman",
    "Tom Brennan",
    "Keisha Williams",
    "Aisha Haddad",
    "Grace Murphy",
    "Kwame Osei",
    "Elena Kowalski",
];
const PHONES: &[&str] = &[
    "617-555-0134",
    "(503) 555-0142",
    "503.555.0199",
    "(912) 555-0148",
];
const EMAILS: &[&str] = &[
    "maria.lopez@gmail.com",
    "ngozi.okafor@yahoo.com",
    "d.lee@example.org",
];
const MRNS: &[&str] = &["00482913", "00517736", "48213077"];

const PROSE: &[&str] = &[
    "Client reports improved sleep since starting sertraline 50 mg daily; PHQ-9 score 14, down from 19.",
    "Discussed DBT skills, especially distress tolerance, and reviewed the safety plan together.",
    "BP 128/82, HR 76. Labs: Na 138, K 4.1, Cr 0.9. No acute distress noted.",
    "Will follow up in 2 weeks. May increase dose if tolerated. Session 53 min, CPT 90837.",
    "History of Parkinson's disease in grandfather. GAD-7 of 12.",
    "Hope is low this week, but she remains engaged and used two CBT skills between sessions.",
    "Casually dressed, tearful at times, good eye contact. Speech normal rate.",
];

/// ALL CAPS and all lower-case prose: on a line of its own in generated notes, because a name
/// on such a line is only partly found (see `names_on_single_case_lines_are_redacted_whole`).
const FLAT_PROSE: &[&str] = &[
    "PT DENIES SI/HI. MOOD 'OKAY'. AFFECT CONSTRICTED. SLEEPING 6 HRS/NIGHT.",
    "pt resting comfortably, vss, tolerating po, no c/o pain overnight.",
];

const SEPARATORS: &[&str] = &[" ", "\n", ". ", "\n\n", "; ", "\r\n", "\t", " — "];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(y: i32, m: u32) -> u32 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A full date (year, month, day) written in one of the usual shapes (US order or ISO, so a
/// shifted date reads back unambiguously).
fn full_date() -> impl Strategy<Value = String> {
    (1931i32..=2030, 1u32..=12, 1u32..=31, 0usize..5).prop_map(|(y, m, d, shape)| {
        let d = d.min(days_in_month(y, m));
        let name = MONTHS[(m - 1) as usize];
        match shape {
            0 => format!("{m:02}/{d:02}/{y}"),
            1 => format!("{m}/{d}/{y}"),
            2 => format!("{name} {d}, {y}"),
            3 => format!("{y}-{m:02}-{d:02}"),
            _ => format!("{d} {} {y}", &name[..3]),
        }
    })
}

/// One planted identifier: the context written before it and its own text.
#[derive(Clone, Debug)]
struct Planted {
    prefix: &'static str,
    text: String,
}

/// Where a planted name may stand. With `bare_names`, also with no cue before it, e.g. at the
/// start of a sentence (see `sentence_initial_first_names_are_redacted`).
fn name_prefixes(bare_names: bool) -> &'static [&'static str] {
    if bare_names {
        &["", "Client: ", "Seen by ", "Her husband, ", "Signed: "]
    } else {
        &["Client: ", "Seen by ", "Her husband, ", "with "]
    }
}

fn planted(bare_names: bool) -> impl Strategy<Value = Planted> {
    let pick =
        |list: &'static [&'static str]| proptest::sample::select(list).prop_map(str::to_string);
    let p = |prefixes: &'static [&'static str], text: BoxedStrategy<String>| {
        (proptest::sample::select(prefixes), text)
            .prop_map(|(prefix, text)| Planted { prefix, text })
    };
    prop_oneof![
        3 => p(name_prefixes(bare_names), pick(NAMES).boxed()),
        2 => p(&["", "call ", "Tel ", "Cell: "], pick(PHONES).boxed()),
        1 => p(&["", "email ", "Email: "], pick(EMAILS).boxed()),
        1 => p(&["MRN: ", "MRN "], pick(MRNS).boxed()),
        2 => p(&["", "on ", "DOB: ", "Date of service: "], full_date().boxed()),
    ]
}

/// Awkward text: arbitrary printable Unicode, combining marks, emoji, RTL, NUL, long lines.
fn junk() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "\\PC{0,40}",
        1 => "[a-z]?[\u{300}-\u{36f}\u{1ab0}-\u{1aff}\u{20d0}-\u{20ff}]{1,6}",
        1 => proptest::collection::vec(
            proptest::sample::select(&["😀", "👩‍⚕️", "🇺🇸", "👍🏽", "🧠", "\u{fe0f}", "\u{200d}"][..]),
            1..8
        )
        .prop_map(|v| v.concat()),
        1 => proptest::sample::select(
            &[
                "المريض يشعر بتحسن",
                "שלום, המטופל מרגיש טוב יותר",
                "\u{202e}etoN\u{202c}",
                "\u{200f}\u{200e}",
                "\u{0}",
                "a\u{0}b",
                "\u{feff}",
                "ﬁ ß İ ǅ",
                "\u{10ffff}\u{e000}",
            ][..]
        )
        .prop_map(str::to_string),
        1 => (1usize..6_000, proptest::sample::select(&["a", "é", "9", " ", "x.", "Ab "][..]))
            .prop_map(|(n, s)| s.repeat(n)),
    ]
}

#[derive(Clone, Debug)]
enum Seg {
    Prose(&'static str),
    FlatProse(&'static str),
    Planted(Planted),
    Junk(String),
}

fn seg(bare_names: bool) -> impl Strategy<Value = Seg> {
    prop_oneof![
        3 => proptest::sample::select(PROSE).prop_map(Seg::Prose),
        1 => proptest::sample::select(FLAT_PROSE).prop_map(Seg::FlatProse),
        3 => planted(bare_names).prop_map(Seg::Planted),
        2 => junk().prop_map(Seg::Junk),
    ]
}

/// A generated note and the byte ranges of its planted identifiers.
#[derive(Clone, Debug)]
struct Note {
    text: String,
    planted: Vec<(usize, usize)>,
}

impl Note {
    fn planted_texts(&self) -> impl Iterator<Item = &str> {
        self.planted.iter().map(|&(a, b)| &self.text[a..b])
    }
}

/// A note whose planted names always follow a cue.
fn note() -> impl Strategy<Value = Note> {
    note_with(false)
}

fn note_with(bare_names: bool) -> impl Strategy<Value = Note> {
    proptest::collection::vec(
        (seg(bare_names), proptest::sample::select(SEPARATORS)),
        0..14,
    )
    .prop_map(|segs| {
        let mut text = String::new();
        let mut planted = Vec::new();
        for (s, sep) in segs {
            match s {
                Seg::Prose(p) => text.push_str(p),
                Seg::FlatProse(p) => {
                    text.push('\n');
                    text.push_str(p);
                    text.push('\n');
                }
                Seg::Junk(j) => text.push_str(&j),
                Seg::Planted(p) => {
                    text.push_str(p.prefix);
                    let a = text.len();
                    text.push_str(&p.text);
                    planted.push((a, text.len()));
                }
            }
            text.push_str(sep);
        }
        Note { text, planted }
    })
}

/// Strings of arbitrary chars, weighted towards the awkward ones.
fn any_unicode() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => any::<char>(),
            2 => proptest::sample::select(
                &['\0', '\u{301}', '\u{200d}', '\u{202e}', '\u{fe0f}', '[', ']', '*', '-', '/', '@', '.', ':', ' ', '\n', '\r', 'İ', 'ß', '😀']
                    [..]
            ),
            2 => proptest::char::range('0', '9'),
            2 => proptest::char::range('A', 'z'),
        ],
        0..400,
    )
    .prop_map(|v| v.into_iter().collect())
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// The replacement covering `[a, b)` (one replacement must cover the whole range).
fn covering(r: &Redacted, a: usize, b: usize) -> Option<&deid_core::Replacement> {
    r.replacements
        .iter()
        .find(|x| x.span.start <= a && b <= x.span.end)
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn spans_are_valid_and_outside_text_is_kept(note in note()) {
        for engine in [&*TAG, &*NUMBERED, &*MASK, &*SURROGATE] {
            let r = engine.redact(&note.text);
            check_redacted(&note.text, &r, false)?;
        }
    }

    #[test]
    fn planted_identifiers_are_redacted(note in note()) {
        for engine in [&*TAG, &*NUMBERED, &*MASK] {
            let r = engine.redact(&note.text);
            for &(a, b) in &note.planted {
                prop_assert!(
                    covering(&r, a, b).is_some(),
                    "{:?}: planted identifier at {a}..{b} ({:?}) is not covered by one replacement; spans: {:?}",
                    engine.strategy(), &note.text[a..b], r.spans
                );
            }
            for p in note.planted_texts() {
                prop_assert!(!r.text.contains(p), "{:?}: {p:?} is still in the output", engine.strategy());
            }
        }
    }

    #[test]
    fn planted_identifiers_are_redacted_anywhere(note in note_with(true)) {
        for engine in [&*TAG, &*NUMBERED, &*MASK] {
            let r = engine.redact(&note.text);
            for &(a, b) in &note.planted {
                prop_assert!(
                    covering(&r, a, b).is_some(),
                    "{:?}: planted identifier at {a}..{b} ({:?}) is not covered by one replacement; spans: {:?}",
                    engine.strategy(), &note.text[a..b], r.spans
                );
            }
        }
    }

    #[test]
    fn redacting_twice_changes_nothing(note in note()) {
        for engine in [&*TAG, &*NUMBERED, &*MASK, &*TAG_RULES, &*NUMBERED_RULES, &*MASK_RULES] {
            check_idempotent(engine, &note.text)?;
        }
    }

    #[test]
    fn batch_equals_sequential(notes in proptest::collection::vec(note(), 0..6)) {
        let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
        let batch = TAG.detect_batch(&texts);
        let seq: Vec<Vec<Span>> = texts.iter().map(|t| TAG.detect(t)).collect();
        prop_assert_eq!(batch, seq);
        let batch = NUMBERED.redact_batch(&texts);
        let seq: Vec<Redacted> = texts.iter().map(|t| NUMBERED.redact(t)).collect();
        prop_assert_eq!(batch, seq);
    }

    #[test]
    fn surrogates_are_deterministic(note in note()) {
        let a = SURROGATE.redact(&note.text);
        let b = SURROGATE.redact(&note.text);
        prop_assert_eq!(a, b);
    }
}

#[test]
#[ignore = "bug: the second pass finds more, because redaction changed a detection's context (byte windows, not_preceded_by/not_followed_by, token boundaries, line case)"]
fn redacting_twice_changes_nothing_known_cases() {
    // Minimised from fuzzing; also under fuzz/regressions/scan_redact/gap-idempotence-*.
    let cases = [
        // phone.local: "call" is 31 bytes before the number, 26 after "[PHONE]" shortened it.
        (&*TAG, "call 617-555-0134; Client Ma617-555-0134;"),
        (&*TAG, "503555-0142 555-0142"),
        // date.month_day_numeric: not_preceded_by rejects "1931 2/3", not "******** 2/3".
        (&*MASK, "Jan 1931 2/3"),
        (&*TAG, "Jan 1931 2/3"),
        // date.month_name: not_followed_by "ml" rejects "May 5 ml.co", not "May 5 [URL]".
        (&*TAG, "May 5 ml.co"),
        // name.dictionary: "Jó4" is one token until the date inside it is replaced.
        (&*TAG, "Jo\u{301}4/2"),
        (&*MASK, "llormaria.lia Lo"),
        // date.year: "@1999" right after a name.
        (&*TAG, "Lopez\nlopez@1999"),
    ];
    let mut wrong = Vec::new();
    for (engine, text) in cases {
        let once = engine.redact(text).text;
        let twice = engine.redact(&once).text;
        if once != twice {
            wrong.push(format!(
                "{:?}: {text:?}\n  once:  {once:?}\n  twice: {twice:?}",
                engine.strategy()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn non_ascii_handles_and_emails_are_redacted_whole() {
    for (input, expected) in [
        (
            "posting as @maríalopez at night",
            "posting as [SOCIAL_HANDLE] at night",
        ),
        ("email maría.lópez@gmail.com", "email [EMAIL]"),
    ] {
        assert_eq!(TAG.redact(input).text, expected, "{input:?}");
    }
}

#[test]
fn surrogate_first_name_is_consistent() {
    let text =
        "Client: Marisol Ibarra-Whitfield. Marisol reports. Seen with Daniel Lee; Daniel called.";
    let out = SURROGATE.redact(text);
    let by_original: Vec<(&str, &str)> = out
        .replacements
        .iter()
        .map(|r| (&text[r.span.start..r.span.end], r.replacement.as_str()))
        .collect();
    let first_word = |s: &str| s.split([' ', '-']).next().unwrap_or_default().to_string();
    for (full, alone) in [
        ("Marisol Ibarra-Whitfield", "Marisol"),
        ("Daniel Lee", "Daniel"),
    ] {
        let f = by_original
            .iter()
            .find(|(o, _)| *o == full)
            .expect("full name replaced")
            .1;
        let a = by_original
            .iter()
            .find(|(o, _)| *o == alone)
            .expect("first name replaced")
            .1;
        assert_eq!(first_word(f), a, "{full:?} -> {f:?} but {alone:?} -> {a:?}");
    }
}

#[test]
fn surrogate_of_a_long_number_is_linear() {
    // A run of digits is one id.long_number span. Quadruple its length: linear work takes about
    // 4x as long, the current quadratic reshape 16x (200 KB: ~2.6 s in release).
    let time = |n: usize| {
        let text = format!("MRN: {}", "9".repeat(n));
        let started = std::time::Instant::now();
        let out = SURROGATE.redact(&text);
        assert_eq!(out.text.len(), text.len());
        started.elapsed().as_secs_f64()
    };
    let _ = time(1_000); // warm up
                         // The fastest of three runs each, and a floor of 5 ms: a loaded machine (a build on the
                         // other core) stretches single runs of a few milliseconds by several times.
    let best = |n: usize| (0..3).map(|_| time(n)).fold(f64::INFINITY, f64::min);
    let (small, large) = (best(25_000), best(100_000));
    assert!(
        large < 8.0 * small.max(5e-3),
        "25 KB took {small:.3} s, 100 KB {large:.3} s: not linear"
    );
}

#[test]
fn detection_of_repeated_units_is_linear() {
    // Texts made of one short unit repeated. Some once cost time quadratic in their length:
    // one word of capitals (every one-letter edit of it was looked up), `St. ` (each place
    // mention read back to the start of the line and over every organisation), a list of
    // surnames, and a list of ages (each checked against every mention found before it).
    // The hyphen, apostrophe, dot and dash chains start a match at nearly every byte: each
    // trigger's walk must stay bounded (it was kept linear by a fallback, now by MAX_WALK).
    // Eight times the length: linear work takes about 8x as long, quadratic 64x; the bound of
    // 24x leaves room for a loaded machine (a 4x step with a bound of 8x failed once under
    // load on linear code). Detection and the quasi-identifier pass, as `deid scan` runs them.
    let run = |unit: &str, n: usize| {
        let text = unit.repeat(n / unit.len());
        let started = std::time::Instant::now();
        let spans = TAG.detect(&text);
        assert!(spans.iter().all(|s| text.get(s.start..s.end).is_some()));
        let _ = deid_core::risk::mentions_by_piece(&text, &spans, None);
        started.elapsed().as_secs_f64()
    };
    for unit in [
        "ABCDEFGHIJ",
        "Ab-",
        "ab-",
        "O'",
        "A.",
        "a.",
        "1-",
        "St. ",
        "Smith, ",
        "9 yo ",
    ] {
        let _ = run(unit, 1_000); // warm up
                                  // The fastest of three runs each, and a floor of 5 ms (see the test above).
        let best = |n: usize| (0..3).map(|_| run(unit, n)).fold(f64::INFINITY, f64::min);
        let (small, large) = (best(8_000), best(64_000));
        assert!(
            large < 24.0 * small.max(5e-3),
            "{unit:?}: 8 KB took {small:.3} s, 64 KB {large:.3} s: not linear"
        );
    }
}

// --- numbered consistency ------------------------------------------------------------------

/// A mention of one entity (an index into `NAMES`): the full name, or a title and the surname,
/// inside a sentence template, optionally followed by prose.
#[derive(Clone, Debug)]
struct Mention {
    entity: usize,
    full: bool,
    template: (&'static str, &'static str),
    title: &'static str,
    prose: Option<&'static str>,
}

/// Sentence templates around a mention; the first puts the name at the start of a sentence
/// (left out of the CI property, see `sentence_initial_first_names_are_redacted`).
const ALL_TEMPLATES: &[(&str, &str)] = &[
    ("", " called the clinic."),
    ("Seen with ", " today."),
    ("Client: ", "\n"),
    ("Her husband, ", ", attended."),
    ("Spoke with ", " by phone."),
    ("Per ", ", the plan stands."),
];
const TEMPLATES: &[(&str, &str)] = ALL_TEMPLATES.split_at(1).1;
const TITLES: &[&str] = &["Mr. ", "Ms. ", "Mrs. ", "Dr. "];

/// 1-4 distinct people mentioned 1-12 times; a title + surname mention only after the full name.
fn mentions(
    templates: &'static [(&'static str, &'static str)],
) -> impl Strategy<Value = Vec<Mention>> {
    (
        proptest::sample::subsequence((0..NAMES.len()).collect::<Vec<_>>(), 1..=4),
        proptest::collection::vec(
            (
                any::<prop::sample::Index>(),
                any::<bool>(),
                proptest::sample::select(templates),
                proptest::sample::select(TITLES),
                proptest::option::of(proptest::sample::select(PROSE)),
            ),
            1..12,
        ),
    )
        .prop_map(|(people, picks)| {
            let mut seen = vec![false; NAMES.len()];
            picks
                .into_iter()
                .map(|(idx, full, template, title, prose)| {
                    let entity = people[idx.index(people.len())];
                    let full = full || !seen[entity];
                    seen[entity] = true;
                    Mention {
                        entity,
                        full,
                        template,
                        title,
                        prose,
                    }
                })
                .collect()
        })
}

/// The text and, per mention, `(entity, start, end)` of the name in it.
fn render(mentions: &[Mention]) -> (String, Vec<(usize, usize, usize)>) {
    let mut text = String::new();
    let mut ranges = Vec::new();
    for m in mentions {
        text.push_str(m.template.0);
        let a = text.len();
        if m.full {
            text.push_str(NAMES[m.entity]);
        } else {
            text.push_str(m.title);
            text.push_str(NAMES[m.entity].rsplit(' ').next().unwrap_or_default());
        }
        ranges.push((m.entity, a, text.len()));
        text.push_str(m.template.1);
        text.push(' ');
        if let Some(p) = m.prose {
            text.push_str(p);
            text.push(' ');
        }
    }
    (text, ranges)
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn numbered_is_consistent_within_a_document(mentions in mentions(TEMPLATES)) {
        check_numbered(&mentions)?;
    }

    #[test]
    fn numbered_is_consistent_with_sentence_initial_names(mentions in mentions(ALL_TEMPLATES)) {
        check_numbered(&mentions)?;
    }
}

/// Every mention is covered by one `[NAME-k]`; one entity, one k; different entities, different k.
fn check_numbered(mentions: &[Mention]) -> Result<(), TestCaseError> {
    let (text, ranges) = render(mentions);
    let r = NUMBERED.redact(&text);
    let mut label_of: HashMap<usize, String> = HashMap::new();
    let mut entity_of: HashMap<String, usize> = HashMap::new();
    for &(e, a, b) in &ranges {
        let rep = covering(&r, a, b);
        prop_assert!(
            rep.is_some(),
            "mention {:?} at {a}..{b} not redacted in {text:?}\n-> {:?}",
            &text[a..b],
            r.text
        );
        let rep = rep.unwrap();
        prop_assert!(
            rep.replacement.starts_with("[NAME-"),
            "{:?} replaced by {:?}",
            &text[a..b],
            rep.replacement
        );
        let label = rep.replacement.clone();
        if let Some(prev) = label_of.insert(e, label.clone()) {
            prop_assert_eq!(
                &prev,
                &label,
                "{:?} got two numbers in {:?}\n-> {:?}",
                NAMES[e],
                text,
                r.text
            );
        }
        if let Some(prev) = entity_of.insert(label.clone(), e) {
            prop_assert_eq!(
                prev,
                e,
                "{:?} and {:?} share {} in {:?}\n-> {:?}",
                NAMES[prev],
                NAMES[e],
                label,
                text,
                r.text
            );
        }
    }
    Ok(())
}

#[test]
fn sentence_initial_first_names_are_redacted() {
    let cases = [
        ("Maria Lopez called.", "[NAME] called."),
        (
            "Grace Murphy called the clinic.",
            "[NAME] called the clinic.",
        ),
        (
            "Plan reviewed.\nHope Okafor, PsyD",
            "Plan reviewed.\n[NAME], PsyD",
        ),
        (
            "Seen today. Maria Lopez agreed.",
            "Seen today. [NAME] agreed.",
        ),
    ];
    assert_tag_redactions(&cases);
}

/// Each input redacted with `tag` gives exactly the expected text; all failures are listed.
fn assert_tag_redactions(cases: &[(&str, &str)]) {
    let mut wrong = Vec::new();
    for &(input, expected) in cases {
        let got = TAG.redact(input).text;
        if got != expected {
            wrong.push(format!(
                "input:    {input:?}\nexpected: {expected:?}\nactual:   {got:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn names_on_single_case_lines_are_redacted_whole() {
    let cases = [
        ("CLIENT: MARIA LOPEZ\nDOB: 03/14/2021", "CLIENT: [NAME]\nDOB: [DATE]"),
        ("SEEN BY DR. HOPE OKAFOR TODAY.", "SEEN BY [NAME] TODAY."),
        ("HER HUSBAND, DANIEL LEE, ATTENDED.", "HER HUSBAND, [NAME], ATTENDED."),
        ("seen by dr. hope okafor today, pt resting comfortably.", "seen by [NAME] today, pt resting comfortably."),
        ("client: maria lopez, dob 03/14/2021", "client: [NAME], dob [DATE]"),
        (
            "Maria Lopez PT DENIES SI/HI. MOOD 'OKAY'. AFFECT CONSTRICTED. SLEEPING 6 HRS/NIGHT.\tPT DENIES SI/HI. MOOD 'OKAY'. AFFECT CONSTRICTED.",
            "[NAME] PT DENIES SI/HI. MOOD 'OKAY'. AFFECT CONSTRICTED. SLEEPING 6 HRS/NIGHT.\tPT DENIES SI/HI. MOOD 'OKAY'. AFFECT CONSTRICTED.",
        ),
    ];
    assert_tag_redactions(&cases);
}

#[test]
fn numbered_links_title_and_full_name() {
    let text = "Seen with Daniel Lee today. Mr. Lee agreed to the plan. Spoke with Maria Lopez; Ms. Lopez said Daniel Lee will come.";
    let r = NUMBERED.redact(text);
    assert_eq!(
        r.text,
        "Seen with [NAME-1] today. [NAME-1] agreed to the plan. Spoke with [NAME-2]; [NAME-2] said [NAME-1] will come."
    );
}

// --- date shifting ----------------------------------------------------------------------------

fn date_note() -> impl Strategy<Value = Note> {
    proptest::collection::vec(
        (
            proptest::sample::select(&["", "on ", "DOB: ", "Date of service: ", "seen "][..]),
            full_date(),
            proptest::option::of(proptest::sample::select(PROSE)),
            // Not spaces or a line break alone: see `adjacent_full_dates_are_shifted_separately`
            // and `dates_on_consecutive_lines_are_shifted_separately`.
            proptest::sample::select(&[". ", "; ", ", ", " and ", ".\n"][..]),
        ),
        1..8,
    )
    .prop_map(|parts| {
        let mut text = String::new();
        let mut planted = Vec::new();
        for (prefix, date, prose, sep) in parts {
            text.push_str(prefix);
            let a = text.len();
            text.push_str(&date);
            planted.push((a, text.len()));
            text.push_str(sep);
            if let Some(p) = prose {
                text.push_str(p);
                text.push_str(sep);
            }
        }
        Note { text, planted }
    })
}

/// For each planted date: its day number before and after shifting. Also checks every shifted
/// date replacement (planted or not) against `delta` when given.
fn shifted_days(note: &Note, r: &Redacted) -> Result<Vec<(i64, i64)>, TestCaseError> {
    let mut out = Vec::new();
    for &(a, b) in &note.planted {
        let original = &note.text[a..b];
        let rep = covering(r, a, b);
        prop_assert!(
            rep.is_some(),
            "date {original:?} not redacted in {:?}",
            note.text
        );
        let rep = rep.unwrap();
        prop_assert_eq!(
            rep.span.start,
            a,
            "date span does not start at the date {:?}",
            original
        );
        prop_assert_eq!(
            rep.span.end,
            b,
            "date span does not end at the date {:?}",
            original
        );
        let o = date::parse(original).and_then(|d| d.day_number());
        prop_assert!(o.is_some(), "planted date {original:?} does not parse");
        let s = date::parse(&rep.replacement).and_then(|d| d.day_number());
        prop_assert!(
            s.is_some(),
            "{original:?} was replaced by {:?}, not a shifted date",
            rep.replacement
        );
        out.push((o.unwrap(), s.unwrap()));
    }
    Ok(out)
}

fn check_differences(days: &[(i64, i64)]) -> Result<(), TestCaseError> {
    for (i, &(oi, si)) in days.iter().enumerate() {
        for &(oj, sj) in &days[i + 1..] {
            prop_assert_eq!(si - sj, oi - oj, "day difference changed");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn fixed_date_shift_keeps_day_differences(note in date_note(), which in 0..SHIFTS.len()) {
        let (d, engine) = &FIXED[which];
        let r = engine.redact(&note.text);
        check_redacted(&note.text, &r, false)?;
        let days = shifted_days(&note, &r)?;
        for &(o, s) in &days {
            prop_assert_eq!(s - o, *d, "shifted by the wrong number of days");
        }
        check_differences(&days)?;
        // Every date replacement that reads back as a full date moved by exactly d.
        for rep in &r.replacements {
            let o = date::parse(&note.text[rep.span.start..rep.span.end]).and_then(|x| x.day_number());
            let s = date::parse(&rep.replacement).and_then(|x| x.day_number());
            if let (Some(o), Some(s)) = (o, s) {
                prop_assert_eq!(s - o, *d);
            }
        }
    }

    #[test]
    fn keyed_date_shift_keeps_day_differences(note in date_note(), key in "[a-z0-9-]{0,12}") {
        let r = KEYED.redact_record(&note.text, Some(&key));
        check_redacted(&note.text, &r, false)?;
        let days = shifted_days(&note, &r)?;
        check_differences(&days)?;
        let deltas: Vec<i64> = days.iter().map(|(o, s)| s - o).collect();
        for &delta in &deltas {
            prop_assert_eq!(delta, deltas[0], "one record moved by different amounts");
            prop_assert!(delta != 0 && delta.unsigned_abs() <= u64::from(KEYED_MAX), "keyed shift {} out of range", delta);
        }
        // The same record key moves the same way every time.
        prop_assert_eq!(KEYED.redact_record(&note.text, Some(&key)), r);
    }
}

#[test]
fn adjacent_full_dates_are_shifted_separately() {
    let (_, engine) = FIXED.iter().find(|(d, _)| *d == 30).expect("a +30 engine");
    let r = engine.redact("Sessions: 03/01/2024 03/08/2024.");
    assert_eq!(r.text, "Sessions: 03/31/2024 04/07/2024.");
}

#[test]
fn dates_on_consecutive_lines_are_shifted_separately() {
    let (_, engine) = FIXED.iter().find(|(d, _)| *d == 30).expect("a +30 engine");
    let r = engine.redact("Admitted 2021-03-14\nMarch 20, 2021 discharged.");
    assert_eq!(r.text, "Admitted 2021-04-13\nApril 19, 2021 discharged.");
}

// --- no panics ----------------------------------------------------------------------------------

fn everything(text: &str) -> Result<(), TestCaseError> {
    for engine in [&*TAG, &*NUMBERED, &*MASK, &*SURROGATE, &FIXED[0].1, &*KEYED] {
        let r = engine.redact_record(text, Some("k"));
        check_redacted(text, &r, false)?;
    }
    for engine in [&*TAG, &*MASK, &*TAG_RULES, &*MASK_RULES] {
        check_idempotent(engine, text)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn no_panic_on_printable_unicode(text in "\\PC*") {
        everything(&text)?;
    }

    #[test]
    fn no_panic_on_any_chars(text in any_unicode()) {
        everything(&text)?;
    }

    #[test]
    fn no_panic_on_lossy_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        everything(&text)?;
    }

    #[test]
    fn date_parse_and_shift_never_panic(s in "[0-9A-Za-z/.,' -]{0,24}|\\PC{0,16}", days in -1_000_000i64..1_000_000) {
        if let Some(d) = date::parse(&s) {
            let _ = d.day_number();
            let _ = d.is_valid();
            let _ = d.shifted(days);
        }
    }
}

#[test]
fn long_single_line_is_fine() {
    let line = "Client Maria Lopez reports improved sleep, call 617-555-0134. ".repeat(1700);
    assert!(line.len() > 100_000);
    let r = TAG.redact(&line);
    assert!(!r.text.contains("Maria Lopez") && !r.text.contains("617-555-0134"));
    assert_eq!(r.replacements.len(), 2 * 1700);
}

/// A span opens and closes on the text it names: never on a space, and no stray word is left
/// of a name or place that a longer organisation took over ("ambulance corps" + "no").
#[test]
fn spans_begin_and_end_on_their_text() {
    let cases = [
        "transported by larchmont volunteer ambulance corps no. 3 to the ed.",
        "TRANSPORTED BY LARCHMONT VOLUNTEER AMBULANCE CORPS NO. 3 TO THE ED.",
        "PLACEMENT AT GLENDOWER COMMUNITY NURSING UNIT ENDED.",
        "referred on to wexcombe perinatal mental health team pine city for follow-up",
        "let go from oakfield builders so money's tight.",
        "a 59 y.o. woman, seen with her sister; 47 yo male, 33 y/o",
    ];
    for text in cases {
        for engine in [&*TAG, &*TAG_RULES] {
            for s in engine.detect(text) {
                let t = &text[s.start..s.end];
                assert!(
                    !t.starts_with(char::is_whitespace) && !t.ends_with(char::is_whitespace),
                    "{text:?}: {:?} {t:?}",
                    s.category
                );
                assert!(
                    !t.eq_ignore_ascii_case("no") && !t.eq_ignore_ascii_case("ended"),
                    "{text:?}: stray word {t:?}"
                );
            }
        }
    }
}

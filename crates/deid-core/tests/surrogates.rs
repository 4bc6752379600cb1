//! Surrogates must not give themselves away: each table below runs notes through the surrogate
//! strategy with the built-in rules under several secrets and checks that the replacement of
//! one span is a real value of its kind, of the right shape.

use deid_core::{Deidentifier, Redacted, Strategy};
use std::collections::HashMap;
use std::sync::LazyLock;

const SECRETS: &[&str] = &[
    "0123456789abcdef0123456789abcdef",
    "surrogate-table-test-secret-0001",
    "another secret of thirty-two b!!",
    "k3y-number-four-for-the-tables-4",
    "yet another key, number five 555",
    "sixth key for the surrogate table",
];

fn engine(secret: &str) -> Deidentifier {
    Deidentifier::builder()
        .strategy(Strategy::Surrogate)
        .secret(secret.as_bytes())
        .build()
        .expect("the built-in rules build")
}

static ENGINES: LazyLock<Vec<Deidentifier>> =
    LazyLock::new(|| SECRETS.iter().map(|s| engine(s)).collect());

/// The replacement of the span whose original text is `original`.
fn replacement<'a>(text: &str, out: &'a Redacted, original: &str) -> &'a str {
    let r = out
        .replacements
        .iter()
        .find(|r| &text[r.span.start..r.span.end] == original)
        .unwrap_or_else(|| panic!("{original:?} not replaced in {text:?}"));
    assert_eq!(&out.text[r.output_start..r.output_end], r.replacement);
    &r.replacement
}

/// Every (original, replacement) of `original` in `text` under each secret.
fn replacements(text: &str, original: &str) -> Vec<String> {
    ENGINES
        .iter()
        .map(|e| replacement(text, &e.redact(text), original).to_string())
        .collect()
}

fn rules_file(path: &str) -> String {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/");
    std::fs::read_to_string(format!("{p}{path}")).expect("rules file")
}

/// The quoted strings of one TOML array (`holidays = [...]`).
fn toml_strings(src: &str, key: &str) -> Vec<String> {
    let start = src.find(&format!("{key} = [")).expect("key");
    let body = &src[start..start + src[start..].find(']').expect("array end")];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// First names by the sex column of first_names.tsv.
static NAME_SEX: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    rules_file("dictionaries/first_names.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Some((c.first()?.to_string(), c.get(2)?.to_string()))
        })
        .collect()
});

#[test]
fn surrogate_holiday_is_a_real_holiday() {
    let holidays: Vec<String> = toml_strings(&rules_file("surrogates/pools.toml"), "holidays");
    let known = |s: &str| holidays.iter().any(|h| h.eq_ignore_ascii_case(s));
    for (text, original) in [
        ("Her son came on Christmas Day.", "Christmas Day"),
        ("Home for Thanksgiving with family.", "Thanksgiving"),
        ("Seen on EASTER MONDAY by the team.", "EASTER MONDAY"),
        ("Visited on Boxing Day.", "Boxing Day"),
        ("Ran away on Anzac Day last year.", "Anzac Day"),
    ] {
        for r in replacements(text, original) {
            assert!(known(&r), "{original:?} -> {r:?} is not a holiday");
            assert!(!r.eq_ignore_ascii_case(original), "{original:?} kept");
            if original.chars().all(|c| !c.is_lowercase()) {
                assert_eq!(r, r.to_uppercase(), "{original:?} -> {r:?} lost its case");
            }
        }
    }
}

#[test]
fn surrogate_phone_keeps_country_code() {
    for (text, original, kept) in [
        ("Call +1 617-555-0134 today.", "+1 617-555-0134", "+1 "),
        ("Call +44 20 7946 0958 today.", "+44 20 7946 0958", "+44 "),
        ("Call +61 2 9374 4000 today.", "+61 2 9374 4000", "+61 "),
        ("Call +64 9 379 0000 now.", "+64 9 379 0000", "+64 "),
        ("Call +353 1 234 5678 now.", "+353 1 234 5678", "+353 "),
        ("Call (617) 555-0134 now.", "(617) 555-0134", "("),
    ] {
        for r in replacements(text, original) {
            assert!(r.starts_with(kept), "{original:?} -> {r:?}");
            assert_eq!(r.len(), original.len(), "{original:?} -> {r:?}");
            for (a, b) in original.chars().zip(r.chars()) {
                assert_eq!(
                    a.is_ascii_digit(),
                    b.is_ascii_digit(),
                    "{original:?} -> {r:?}"
                );
                if !a.is_ascii_digit() {
                    assert_eq!(a, b, "{original:?} -> {r:?}: punctuation changed");
                }
            }
            assert_ne!(r, original);
        }
    }
}

#[test]
fn surrogate_keeps_given_name_sex() {
    for (text, original, sex) in [
        ("Her son Michael came on Monday.", "Michael", "M"),
        ("Mrs. Katherine Doyle called.", "Mrs. Katherine Doyle", "F"),
        ("She lives with her daughter Emma.", "Emma", "F"),
        ("His wife Jordan visited.", "Jordan", "F"),
        ("Her brother Taylor came.", "Taylor", "M"),
        (
            "Quentin Smith-Jones saw the patient.",
            "Quentin Smith-Jones",
            "M",
        ),
    ] {
        for r in replacements(text, original) {
            let given = r
                .split_whitespace()
                .find(|w| !w.ends_with('.'))
                .expect("a given name");
            assert_eq!(
                NAME_SEX.get(given).map(String::as_str),
                Some(sex),
                "{original:?} in {text:?} -> {r:?}"
            );
        }
    }
}

#[test]
fn surrogate_surname_consistent_in_record() {
    let text = "Quentin Smith-Jones saw Mr. Smith-Jones on 4/5/2021. Mrs. Katherine Doyle \
                and Dr. Doyle agreed.";
    for e in ENGINES.iter() {
        let out = e.redact(text);
        let full = replacement(text, &out, "Quentin Smith-Jones");
        let titled = replacement(text, &out, "Mr. Smith-Jones");
        let surname = titled.strip_prefix("Mr. ").expect("title kept");
        assert!(surname.contains('-'), "{titled:?}");
        assert_eq!(
            full.split_once(' ').map(|x| x.1),
            Some(surname),
            "{full:?} / {titled:?}"
        );
        let doyle = replacement(text, &out, "Mrs. Katherine Doyle");
        let dr = replacement(text, &out, "Dr. Doyle");
        assert_eq!(doyle.rsplit(' ').next(), dr.rsplit(' ').next());
        // Keyed and deterministic per record.
        assert_eq!(
            e.redact_record(text, Some("r1")).text,
            e.redact_record(text, Some("r1")).text
        );
    }
}

#[test]
fn surrogate_room_number_is_not_a_city() {
    for (text, original, word) in [
        ("She moved from TX to Room 214.", "Room 214", "Room "),
        ("Seen in Bed 12 overnight.", "Bed 12", "Bed "),
        ("Transferred to Ward 7B.", "Ward 7B", "Ward "),
    ] {
        for r in replacements(text, original) {
            let rest = r
                .strip_prefix(word)
                .unwrap_or_else(|| panic!("{original:?} -> {r:?}"));
            let shape = |s: &str| -> String {
                s.chars()
                    .map(|c| if c.is_ascii_digit() { '9' } else { 'A' })
                    .collect()
            };
            assert_eq!(
                shape(rest),
                shape(&original[word.len()..]),
                "{original:?} -> {r:?}"
            );
            assert_ne!(r, original);
        }
    }
}

#[test]
fn surrogate_state_code_is_real() {
    let us: Vec<String> = rules_file("dictionaries/us_states.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
        .collect();
    let us_names: Vec<String> = rules_file("dictionaries/us_states.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .collect();
    let toml = rules_file("surrogates/pools.toml");
    let mut regions = toml.split("[[regions]]").skip(1);
    let ca = toml_strings(regions.next().expect("CA"), "codes");
    let au = toml_strings(regions.next().expect("AU"), "codes");
    for (text, original, pool) in [
        ("She moved from TX last year.", "TX", &us),
        ("Lives in Springfield, IL 62701.", "IL", &us),
        ("Lives in Toronto, ON M5V 2T6.", "ON", &ca),
        ("Lives in Sydney NSW 2000.", "Sydney NSW", &au),
        ("She moved from Texas last year.", "Texas", &us_names),
    ] {
        for r in replacements(text, original) {
            let last = r.rsplit(' ').next().expect("a word");
            let last = if original.contains(' ') {
                last
            } else {
                r.as_str()
            };
            assert!(pool.iter().any(|c| c == last), "{original:?} -> {r:?}");
            assert_ne!(r, original);
        }
    }
}

#[test]
fn surrogate_word_values_are_never_random_letters() {
    // Every word of a word-like replacement is a word of some real pool (a dictionary entry,
    // a rules word, or a word kept from the original).
    let text = "Her son Michael came on Christmas Day. She moved from TX to Room 214. Call +1 \
                617-555-0134. Quentin Smith-Jones saw Mr. Smith-Jones on 4/5/2021. Mrs. \
                Katherine Doyle and her daughter Emma. From Mexico, then Sydney NSW 2000.";
    let mut words: std::collections::HashSet<String> = std::collections::HashSet::new();
    for f in [
        "dictionaries/first_names.tsv",
        "dictionaries/surnames.tsv",
        "dictionaries/us_places.tsv",
        "dictionaries/intl_places.tsv",
        "dictionaries/us_states.tsv",
        "dictionaries/countries.txt",
        "surrogates/pools.toml",
    ] {
        for l in rules_file(f).lines().filter(|l| !l.starts_with('#')) {
            let term = l.split('\t').next().unwrap_or("");
            words.extend(
                term.split(|c: char| !c.is_alphabetic() && c != '\'')
                    .chain(l.split('"'))
                    .flat_map(|w| w.split(|c: char| !c.is_alphabetic()))
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase),
            );
        }
    }
    for e in ENGINES.iter() {
        let out = e.redact(text);
        for r in &out.replacements {
            let original = text[r.span.start..r.span.end].to_lowercase();
            for w in r.replacement.split(|c: char| !c.is_alphabetic()) {
                let kept = original.contains(&w.to_lowercase());
                if w.chars().count() > 1 && !kept {
                    assert!(
                        words.contains(&w.to_lowercase()),
                        "{:?} -> {:?}: {w:?} is no real word",
                        &text[r.span.start..r.span.end],
                        r.replacement
                    );
                }
            }
        }
    }
}

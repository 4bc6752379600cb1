//! Golden cases shared by the Rust, CLI and Python harnesses: `tests/golden/cases.toml`, each
//! `annotated = "Seen by [[NAME:Dr. Jane Roe]] on [[DATE:03/14/2021]]."`. A case without markup
//! means "detect nothing direct". A case passes when every marked span is overlapped by a
//! detection of the same label and every direct detection overlaps a marked span.

use deid_core::{Deidentifier, Kind};
use std::sync::LazyLock;

static DEID: LazyLock<Deidentifier> =
    LazyLock::new(|| Deidentifier::builder().build().expect("built-in rules"));

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    annotated: String,
}

/// Strips `[[LABEL:text]]` markup; returns the plain text and (start, end, label) in bytes.
fn parse(annotated: &str) -> (String, Vec<(usize, usize, String)>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut rest = annotated;
    while let Some(p) = rest.find("[[") {
        text.push_str(&rest[..p]);
        let after = &rest[p + 2..];
        let colon = after.find(':').expect("[[LABEL:...]] needs a colon");
        let close = after.find("]]").expect("unclosed [[");
        let label = &after[..colon];
        let inner = &after[colon + 1..close];
        spans.push((text.len(), text.len() + inner.len(), label.to_string()));
        text.push_str(inner);
        rest = &after[close + 2..];
    }
    text.push_str(rest);
    (text, spans)
}

fn annotate(text: &str, spans: &[(usize, usize, String)]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (s, e, l) in spans {
        out.push_str(&text[last..*s]);
        out.push_str(&format!("[[{l}:{}]]", &text[*s..*e]));
        last = *e;
    }
    out.push_str(&text[last..]);
    out
}

#[test]
fn golden_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden/cases.toml");
    let cases: Cases =
        toml::from_str(&std::fs::read_to_string(path).expect("cases.toml")).expect("valid TOML");
    assert!(cases.case.len() >= 80, "expected the full golden set");
    let mut failures = Vec::new();
    for c in &cases.case {
        let (text, expected) = parse(&c.annotated);
        let got: Vec<(usize, usize, String)> = DEID
            .detect(&text)
            .into_iter()
            .filter(|s| s.kind == Kind::Direct)
            .map(|s| (s.start, s.end, s.category.label().to_string()))
            .collect();
        let missed = expected
            .iter()
            .any(|(s, e, l)| !got.iter().any(|(gs, ge, gl)| gs < e && s < ge && gl == l));
        let extra = got
            .iter()
            .any(|(gs, ge, _)| !expected.iter().any(|(s, e, _)| gs < e && s < ge));
        if missed || extra {
            failures.push(format!(
                "{}\n  expected: {}\n  actual:   {}",
                c.name,
                c.annotated,
                annotate(&text, &got)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden cases fail:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}

//! `Deidentifier::redact_spans`: a reviewed span list is applied exactly, and an invalid one
//! is an `ErrorKind::Span` error that names the span's position, never its text.

use deid_core::{Category, Deidentifier, ErrorKind, Kind, Span};

fn span(start: usize, end: usize, category: Category, kind: Kind) -> Span {
    Span {
        start,
        end,
        category,
        kind,
        rule: "review".into(),
        confidence: 1.0,
    }
}

#[test]
fn applies_exactly_the_given_spans_in_any_order_direct_or_quasi() {
    let deid = Deidentifier::builder().build().unwrap();
    let text = "Ünï Jane Roe, a firefighter, met Bob.";
    let jane = text.find("Jane").unwrap();
    let fire = text.find("firefighter").unwrap();
    let out = deid
        .redact_spans(
            text,
            &[
                span(fire, fire + 11, Category::Occupation, Kind::Quasi),
                span(jane, jane + 8, Category::Name, Kind::Direct),
            ],
        )
        .unwrap();
    assert_eq!(out.text, "Ünï [NAME], a [OCCUPATION], met Bob.");
    assert_eq!(out.replacements.len(), 2);
    assert_eq!(deid.redact_spans(text, &[]).unwrap().text, text);
}

#[test]
fn invalid_spans_are_span_errors_naming_the_position() {
    let deid = Deidentifier::builder().build().unwrap();
    let text = "Ünï Jane Roe met Bob.";
    let n = Category::Name;
    let d = Kind::Direct;
    let cases: &[(&[Span], usize, &str)] = &[
        (&[span(5, 5, n, d)], 0, "before end"),
        (&[span(6, 4, n, d)], 0, "before end"),
        (&[span(5, 100, n, d)], 0, "past the end"),
        (&[span(5, 9, n, d), span(1, 3, n, d)], 1, "boundary"),
        (
            &[span(5, 13, n, d), span(10, 16, n, d)],
            1,
            "overlaps span 0",
        ),
        (
            &[span(10, 16, n, d), span(5, 13, n, d)],
            1,
            "overlaps span 0",
        ),
    ];
    for (spans, index, want) in cases {
        let e = deid.redact_spans(text, spans).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Span);
        assert_eq!(e.span_index(), Some(*index), "{e}");
        let msg = e.to_string();
        assert!(msg.contains(want), "{msg}");
        assert!(!msg.contains("Jane") && !msg.contains("Bob"), "{msg}");
    }
}

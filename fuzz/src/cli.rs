// Checks of the `rule_file` and `records` targets. Also `include!`d by
// `crates/deid-cli/tests/fuzz_regressions.rs` (next to `checks.rs`, reachable as
// `crate::check_redacted`), so no inner attributes or `//!` docs here.

use deid_cli::records::{as_text, parse_csv, parse_jsonl};
use deid_core::{Deidentifier, Error, RuleSet};
use std::sync::Arc;

/// Texts scanned with engines built from fuzzed rules: multi-byte characters near matches
/// exercise context windows and word trimming.
const SAMPLES: &[&str] = &[
    "Client: Maria Lopez, DOB 03/14/2021, call 617-555-0134. MRN: 00482913",
    "Zoë Ibarra-Whitfield — café 東京 😀 e\u{301} a1b2 \u{0} \u{202e}x",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "",
];

fn check_error(e: &Error, path: &str, src: &str) {
    let message = e.to_string();
    if let Some(line) = e.line() {
        let lines = src.bytes().filter(|&b| b == b'\n').count() + 1;
        assert!(
            (1..=lines).contains(&line),
            "error line {line} outside the file's {lines} lines"
        );
        assert_eq!(e.path(), Some(path), "a rule error names its file");
        assert!(
            message.starts_with(&format!("{path}:{line}:")),
            "a rule error reads `file:line: message`"
        );
    }
}

/// The `rule_file` target: any text as a pattern file, a cue file and a dictionary index.
pub fn rule_file(src: &str) {
    let mut set = RuleSet::default();
    if let Err(e) = set.add_pattern_file("fuzz.toml", src) {
        check_error(&e, "fuzz.toml", src);
    }
    if let Err(e) = set.add_cues_file("names.toml", src) {
        check_error(&e, "names.toml", src);
    }
    let load = |f: &str| -> Result<Arc<str>, String> {
        if f.is_empty() || f.contains('?') {
            Err("no such file".to_string())
        } else {
            Ok(Arc::from("Alpha\t1.0\nBeta\n# comment\n\nGamma\t0.5\t2\n"))
        }
    };
    if let Err(e) = set.add_dictionary_file("dictionaries.toml", src, &load) {
        check_error(&e, "dictionaries.toml", src);
    }
    // Rule examples run, and whatever loaded builds (or fails to) and scans cleanly.
    let _ = set.check_examples();
    if set.patterns.is_empty() && set.dictionaries.is_empty() {
        return;
    }
    if let Ok(engine) = Deidentifier::builder().rules(set).build() {
        for text in SAMPLES {
            let r = engine.redact(text);
            crate::check_redacted(text, &r, false);
        }
    }
}

/// The `records` target: any bytes as JSONL, as CSV and as a text document.
pub fn records(data: &[u8]) {
    let lines = data.split(|&b| b == b'\n').count();
    let mut last = 0;
    for r in parse_jsonl(data, "text", "id", Some("key")) {
        let line = match &r {
            Ok(rec) => {
                assert!(
                    rec.object.get("text").is_some_and(|v| v.is_string()),
                    "a JSONL record without a string text field was accepted"
                );
                let _ = rec.text("text");
                rec.line
            }
            Err(e) => {
                let _ = e.to_string();
                e.line.expect("a JSONL error names its line")
            }
        };
        assert!(
            line > last && line <= lines,
            "JSONL line {line} after {last} (of {lines})"
        );
        last = line;
    }

    match parse_csv(data, "text", "id", Some("key")) {
        Ok(table) => {
            assert!(table.text_col < table.header.len());
            let mut last = 0;
            for r in &table.rows {
                let line = match r {
                    Ok(row) => {
                        assert_eq!(
                            row.fields.len(),
                            table.header.len(),
                            "a CSV row with a different number of fields was accepted"
                        );
                        let _ = &row.fields[table.text_col];
                        row.line
                    }
                    Err(e) => e.line.expect("a CSV error names its record"),
                };
                // Lines are file lines where a record starts; records split by a lone `\r`
                // share a line.
                assert!(line >= last, "CSV record at line {line} after {last}");
                last = line;
            }
        }
        Err(e) => assert_eq!(e.line, Some(1), "a CSV table error is about the header"),
    }

    match as_text(data) {
        Ok(s) => assert!(s.len() == data.len() && !s.contains('\0')),
        Err(e) => assert!(
            data.contains(&0) || std::str::from_utf8(data).is_err(),
            "as_text rejected valid text: {}",
            e.message
        ),
    }
}

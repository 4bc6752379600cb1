//! End-to-end tests of the `deid` binary: golden outputs under `tests/cli/`, strategies, record
//! formats, output directories, exit codes and error messages.
//!
//! Golden files change when detection improves. To accept the new outputs, regenerate them and
//! review the diff:
//!
//! ```text
//! DEID_BLESS=1 cargo test -p deid-cli --test cli
//! git diff tests/cli/
//! ```

mod support;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use support::{run_in, write, Run};

/// The workspace root: inputs are given relative to it so outputs name stable paths.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// Runs `deid args...` at the workspace root.
fn run<S: AsRef<OsStr>>(args: &[S]) -> Run {
    run_in(&root(), args, None)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect("example file")
}

/// Identifiers of `examples/progress_note.txt` that every strategy must remove.
const NOTE_IDENTIFIERS: &[&str] = &[
    "Marisol",
    "Ibarra-Whitfield",
    "Guadalupe",
    "Okafor",
    "Venkataraman",
    "Tom Brennan",
    "Will Whitfield",
    "(503) 555-0142",
    "503.555.0199",
    "503-555-0164",
    "(503) 555-0187",
    "marisol.iw@gmail.com",
    "00482913",
    "04/02/1987",
    "March 14, 2024",
    "XEH448812901",
    "2210 Alder Street",
    "Hartwell Logistics",
    "1457398210",
];

fn assert_no_identifiers(what: &str, out: &str, identifiers: &[&str]) {
    let leaked: Vec<&&str> = identifiers.iter().filter(|i| out.contains(**i)).collect();
    assert!(
        leaked.is_empty(),
        "{what}: identifiers left in the output: {leaked:?}"
    );
}

/// Error output must never quote a record: no planted identifier in stderr.
fn assert_stderr_clean(r: &Run, planted: &[&str]) {
    for p in planted {
        assert!(
            !r.stderr.contains(p),
            "stderr quotes input text {p:?}:\n{}",
            r.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Golden files
// ---------------------------------------------------------------------------------------------

/// Compares `actual` with `tests/cli/NAME`, or writes it there when `DEID_BLESS=1`.
fn golden(name: &str, actual: &str) {
    let path = root().join("tests/cli").join(name);
    if std::env::var_os("DEID_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("tests/cli");
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "golden file {} is missing; create it with\n  DEID_BLESS=1 cargo test -p deid-cli --test cli",
            path.display()
        )
    });
    if expected != actual {
        // JSON lines are long: show one span per line so the diff points at the span.
        let explode = |s: &str| {
            if name.ends_with(".jsonl") {
                s.replace("},{", "},\n{")
            } else {
                s.to_string()
            }
        };
        panic!(
            "output differs from the golden file tests/cli/{name}\n\
             --- tests/cli/{name} (expected)\n+++ actual output\n{}\n\
             If the change is intended (e.g. detection improved), regenerate and review:\n  \
             DEID_BLESS=1 cargo test -p deid-cli --test cli && git diff tests/cli/",
            line_diff(&explode(&expected), &explode(actual))
        );
    }
}

/// A unified-style line diff (LCS) with two lines of context around each change.
fn line_diff(a: &str, b: &str) -> String {
    let a: Vec<&str> = a.split_inclusive('\n').collect();
    let b: Vec<&str> = b.split_inclusive('\n').collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for (k, &(op, line)) in ops.iter().enumerate() {
        let near = changed
            .iter()
            .any(|&c| k + CONTEXT >= c && k <= c + CONTEXT);
        if !near {
            continue;
        }
        if last_shown.is_some_and(|l| k > l + 1) || (last_shown.is_none() && k > 0) {
            out.push_str("@@\n");
        }
        out.push(op);
        out.push_str(line.strip_suffix('\n').unwrap_or(line));
        if !line.ends_with('\n') {
            out.push_str("\n\\ no newline at end");
        }
        out.push('\n');
        last_shown = Some(k);
    }
    out
}

#[test]
fn line_diff_marks_changes() {
    let d = line_diff(
        "a\nb\nc\nd\ne\nf\ng\nh\ni\n",
        "a\nb\nc\nD\ne\nf\ng\nh\ni\nj",
    );
    assert!(d.contains(" c\n-d\n+D\n e\n"), "{d}");
    assert!(d.contains("+j\n\\ no newline at end\n"), "{d}");
    assert!(!d.contains(" a\n"), "context is limited: {d}");
}

#[test]
fn redact_progress_note_golden() {
    let r = run(&["redact", "examples/progress_note.txt"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
    assert_no_identifiers("tag", &r.stdout, NOTE_IDENTIFIERS);
    golden("progress_note.redact.txt", &r.stdout);
}

#[test]
fn scan_progress_note_golden() {
    let r = run(&["scan", "examples/progress_note.txt"]);
    assert_eq!(r.code, 0, "{r:?}");
    let text = read("examples/progress_note.txt");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON line per document");
    let v: serde_json::Value = serde_json::from_str(lines[0]).expect("valid JSON");
    assert_eq!(v["id"], "examples/progress_note.txt");
    let spans = v["spans"].as_array().expect("spans");
    assert!(spans.len() > 20, "the note has many identifiers");
    // Sorted by start; spans of one kind are disjoint. A quasi span may lie on a direct one
    // (a named place or organisation tied to someone, an age over 89): the direct span says
    // what to remove, the quasi span whose detail it is.
    let mut last = [0usize, 0usize];
    let mut last_start = 0;
    for s in spans {
        let (bs, be) = (
            s["byte_start"].as_u64().expect("byte_start") as usize,
            s["byte_end"].as_u64().expect("byte_end") as usize,
        );
        let (cs, ce) = (
            s["start"].as_u64().expect("start") as usize,
            s["end"].as_u64().expect("end") as usize,
        );
        let k = usize::from(s["kind"] == "quasi");
        assert!(
            bs < be && be <= text.len() && bs >= last[k] && bs >= last_start,
            "span {s}"
        );
        assert!(
            text.is_char_boundary(bs) && text.is_char_boundary(be),
            "{s}"
        );
        assert_eq!(text[..bs].chars().count(), cs, "code-point start of {s}");
        assert_eq!(text[..be].chars().count(), ce, "code-point end of {s}");
        assert!(s.get("text").is_none(), "no span text without --with-text");
        last[k] = be;
        last_start = bs;
    }
    assert_no_identifiers("scan", &r.stdout, NOTE_IDENTIFIERS);
    golden("progress_note.scan.jsonl", &r.stdout);
}

#[test]
fn scan_confidence_has_two_decimals() {
    let r = run(&["scan", "examples/progress_note.txt"]);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("valid JSON");
    for s in v["spans"].as_array().expect("spans") {
        let c = s["confidence"].to_string();
        assert!(c.len() <= 4, "confidence printed as {c}");
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

#[test]
fn numbered_strategy() {
    let r = run(&[
        "redact",
        "--strategy",
        "numbered",
        "examples/progress_note.txt",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let out = &r.stdout;
    assert_no_identifiers("numbered", out, NOTE_IDENTIFIERS);
    // "Client: Marisol Ibarra-Whitfield" and the later "Marisol reports" are one person.
    let client = out
        .lines()
        .find_map(|l| l.strip_prefix("Client: "))
        .expect("client line");
    assert!(client.starts_with("[NAME-"), "{client}");
    assert!(
        out.matches(client).count() >= 3,
        "the client's number {client} is reused: {out}"
    );
    assert!(!out.contains("[NAME]"), "every tag is numbered");
    for label in ["PHONE", "DATE", "ID", "ORGANIZATION"] {
        assert!(out.contains(&format!("[{label}-1]")), "{label}");
    }
}

#[test]
fn mask_strategy() {
    let input = read("examples/progress_note.txt");
    let r = run(&["redact", "--strategy", "mask", "examples/progress_note.txt"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_no_identifiers("mask", &r.stdout, NOTE_IDENTIFIERS);
    assert!(!r.stdout.contains('['), "no tags: {}", r.stdout);
    // One fill character per character: every line keeps its length.
    assert_eq!(input.lines().count(), r.stdout.lines().count());
    for (a, b) in input.lines().zip(r.stdout.lines()) {
        assert_eq!(a.chars().count(), b.chars().count(), "line {a:?} -> {b:?}");
    }
    assert!(r.stdout.contains("Client: ************************\n"));
    // Mask characters are not detected again.
    let again = run_in(
        &root(),
        &["redact", "--strategy", "mask", "-"],
        Some(r.stdout.as_bytes()),
    );
    assert_eq!(again.stdout, r.stdout);
}

#[test]
fn surrogate_strategy_is_keyed_and_deterministic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let k1 = dir.path().join("k1.txt");
    let k2 = dir.path().join("k2.txt");
    std::fs::write(&k1, "first secret, 16 bytes or more\n").expect("write");
    std::fs::write(&k2, "second secret, 16 bytes or more\n").expect("write");
    let note = root().join("examples/progress_note.txt");
    let with = |key: &Path| {
        let r = run(&[
            OsStr::new("redact"),
            OsStr::new("--strategy"),
            OsStr::new("surrogate"),
            OsStr::new("--secret-file"),
            key.as_os_str(),
            note.as_os_str(),
        ]);
        assert_eq!(r.code, 0, "{r:?}");
        r.stdout
    };
    let a = with(&k1);
    assert_eq!(a, with(&k1), "same secret, same output");
    let b = with(&k2);
    assert_ne!(a, b, "a different secret gives different surrogates");
    for out in [&a, &b] {
        assert_no_identifiers("surrogate", out, NOTE_IDENTIFIERS);
        for tag in ["[NAME]", "[PHONE]", "[DATE]", "[EMAIL]"] {
            assert!(!out.contains(tag), "surrogates, not tags: {out}");
        }
        assert!(out.contains("@example.org"), "e-mail surrogate");
    }
    // Without a secret: a configuration error, nothing processed.
    let r = run(&[
        "redact",
        "--strategy",
        "surrogate",
        "examples/progress_note.txt",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty() && r.stderr.contains("secret"), "{r:?}");
}

#[test]
fn date_shift_moves_dates_and_keeps_their_format() {
    let r = run(&["redact", "--date-shift=30", "examples/progress_note.txt"]);
    assert_eq!(r.code, 0, "{r:?}");
    let out = &r.stdout;
    for (before, after) in [
        ("DOB: 04/02/1987", "DOB: 05/02/1987"),
        (
            "Date of service: March 14, 2024,",
            "Date of service: April 13, 2024,",
        ),
        ("on 3/1/24.", "on 3/31/24."),
        ("was 11 on Feb 29)", "was 11 on Mar 30)"),
        ("Next appointment 3/21 at", "Next appointment 4/20 at"),
    ] {
        assert!(read("examples/progress_note.txt").contains(before));
        assert!(
            out.contains(after),
            "{before:?} should become {after:?}:\n{out}"
        );
    }
    assert!(!out.contains("[DATE]"), "every date here can be shifted");
    assert!(
        out.contains("Client: [NAME]"),
        "other identifiers are still tagged"
    );
    let r = run(&["redact", "--date-shift=-30", "examples/progress_note.txt"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("DOB: 03/03/1987"), "{}", r.stdout);
    let r = run(&["redact", "--date-shift=soon", "examples/progress_note.txt"]);
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn date_shift_out_of_range_is_a_usage_error() {
    for days in ["9223372036854775807", "1099511627776"] {
        let r = run_in(
            &root(),
            &["redact", &format!("--date-shift={days}"), "-"],
            Some(b"DOB 03/14/2021\n"),
        );
        assert_eq!(r.code, 2, "--date-shift {days}: {r:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Record formats
// ---------------------------------------------------------------------------------------------

fn keys_in_order(line: &str) -> Vec<String> {
    // Top-level keys in the order written (the text values do not contain `{`).
    let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
    let obj = v.as_object().expect("object");
    let mut keys: Vec<(usize, String)> = obj
        .keys()
        .map(|k| {
            let quoted = serde_json::to_string(k).expect("key");
            (
                line.find(&format!("{quoted}:")).expect("key written"),
                k.clone(),
            )
        })
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

#[test]
fn jsonl_keeps_other_fields_and_order() {
    let input = read("examples/notes.jsonl");
    let r = run(&["redact", "--input-format", "jsonl", "examples/notes.jsonl"]);
    assert_eq!(r.code, 0, "{r:?}");
    let inputs: Vec<&str> = input.lines().filter(|l| !l.trim().is_empty()).collect();
    let outputs: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(inputs.len(), outputs.len(), "one output line per record");
    for (i, o) in inputs.iter().zip(&outputs) {
        let iv: serde_json::Value = serde_json::from_str(i).expect("input JSON");
        let ov: serde_json::Value = serde_json::from_str(o).expect("output JSON");
        assert_eq!(keys_in_order(i), keys_in_order(o), "field order kept");
        for (k, v) in iv.as_object().expect("object") {
            if k == "text" {
                assert_ne!(&ov[k], v, "the text is redacted");
            } else {
                assert_eq!(&ov[k], v, "field {k} kept");
            }
        }
    }
    assert_no_identifiers(
        "jsonl",
        &r.stdout,
        &[
            "Jamal Reed",
            "00517736",
            "(912) 555-0148",
            "ngozi.okafor@yahoo.com",
            "Maria Lopez",
        ],
    );
    // --text-field / --spans-field
    let r = run(&[
        "redact",
        "--input-format",
        "jsonl",
        "--spans-field",
        "deid_spans",
        "examples/notes.jsonl",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    for o in r.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(o).expect("JSON");
        assert!(v["deid_spans"].as_array().is_some_and(|a| !a.is_empty()));
    }
}

#[test]
fn csv_keeps_columns_and_rows() {
    let r = run(&["redact", "--input-format", "csv", "examples/notes.csv"]);
    assert_eq!(r.code, 0, "{r:?}");
    let parse = |s: &[u8]| -> (csv::StringRecord, Vec<csv::StringRecord>) {
        let mut rdr = csv::Reader::from_reader(s);
        let h = rdr.headers().expect("header").clone();
        let rows = rdr.records().map(|r| r.expect("row")).collect();
        (h, rows)
    };
    let (ih, irows) = parse(read("examples/notes.csv").as_bytes());
    let (oh, orows) = parse(r.stdout.as_bytes());
    assert_eq!(ih, oh, "header kept");
    assert_eq!(irows.len(), orows.len(), "one output row per input row");
    let text_col = ih.iter().position(|h| h == "text").expect("text column");
    for (i, o) in irows.iter().zip(&orows) {
        for (c, (a, b)) in i.iter().zip(o.iter()).enumerate() {
            if c == text_col {
                assert_ne!(a, b, "text redacted");
            } else {
                assert_eq!(a, b, "column {c} kept");
            }
        }
    }
    assert_no_identifiers("csv", &r.stdout, &["Jamal Reed", "00517736", "Maria Lopez"]);
}

// ---------------------------------------------------------------------------------------------
// Files, directories, stdin
// ---------------------------------------------------------------------------------------------

#[test]
fn out_dir_mirrors_the_tree() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let inp = tmp.path().join("in");
    write(
        &inp.join("a.txt"),
        "Client: Maria Lopez called 617-555-0134.\n",
    );
    write(
        &inp.join("sub/deeper/b.txt"),
        "Seen by Dr. Jane Roe on 03/14/2021.\n",
    );
    write(&inp.join(".hidden.txt"), "Client: Maria Lopez\n");
    let r = run_in(tmp.path(), &["redact", "in", "--out", "out"], None);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.is_empty(), "nothing on stdout with --out: {r:?}");
    let out = tmp.path().join("out");
    assert_eq!(
        std::fs::read_to_string(out.join("a.txt")).expect("a.txt written"),
        "Client: [NAME] called [PHONE].\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("sub/deeper/b.txt")).expect("b.txt written"),
        "Seen by [NAME] on [DATE].\n"
    );
    assert!(
        !out.join(".hidden.txt").exists(),
        "hidden files are skipped"
    );
    // No temporary files are left behind.
    let mut names: Vec<String> = walk(&out)
        .iter()
        .map(|p| {
            p.strip_prefix(&out)
                .expect("below out")
                .display()
                .to_string()
        })
        .collect();
    names.sort();
    assert_eq!(names, ["a.txt", "sub/deeper/b.txt"]);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn refuses_to_overwrite_inputs_without_in_place() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let original = "Client: Maria Lopez called 617-555-0134.\n";
    write(&tmp.path().join("notes/a.txt"), original);
    let r = run_in(tmp.path(), &["redact", "notes", "--out", "notes"], None);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("a.txt") && r.stderr.contains("--in-place"),
        "{r:?}"
    );
    assert_stderr_clean(&r, &["Maria", "617-555-0134"]);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes/a.txt")).expect("read"),
        original,
        "input untouched"
    );
    let r = run_in(
        tmp.path(),
        &["redact", "notes", "--out", "notes", "--in-place"],
        None,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes/a.txt")).expect("read"),
        "Client: [NAME] called [PHONE].\n"
    );
}

#[test]
fn stdin_is_read_with_dash_or_no_path() {
    let note = "Client: Maria Lopez\nDOB: 03/14/2021\n";
    for args in [&["redact", "-"][..], &["redact"][..]] {
        let r = run_in(&root(), args, Some(note.as_bytes()));
        assert_eq!(r.code, 0, "{r:?}");
        assert_eq!(r.stdout, "Client: [NAME]\nDOB: [DATE]\n");
    }
    let r = run_in(&root(), &["scan", "-"], Some(note.as_bytes()));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("{\"id\":\"-\""), "{r:?}");
    // stdin cannot be written under --out.
    let tmp = tempfile::tempdir().expect("temp dir");
    let r = run_in(
        tmp.path(),
        &["redact", "-", "--out", "o"],
        Some(note.as_bytes()),
    );
    assert_eq!(r.code, 2, "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// Exit codes and error messages
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_file_is_reported_and_the_rest_processed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(&tmp.path().join("ok.txt"), "Client: Maria Lopez\n");
    let r = run_in(tmp.path(), &["redact", "missing.txt", "ok.txt"], None);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("missing.txt: "), "path: message: {r:?}");
    assert_eq!(r.stdout, "Client: [NAME]\n", "ok.txt still processed");
}

#[test]
fn invalid_utf8_and_binary_files_are_skipped_with_a_clear_message() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("latin1.txt"),
        b"Client: Maria Lopez, Jos\xe9 N\xfa\xf1ez\n".as_slice(),
    );
    write(
        &tmp.path().join("scan.pdf"),
        b"%PDF-1.4\0\0Maria Lopez 617-555-0134\x01\x02".as_slice(),
    );
    write(&tmp.path().join("ok.txt"), "Seen by Dr. Jane Roe.\n");
    let r = run_in(
        tmp.path(),
        &["redact", "latin1.txt", "scan.pdf", "ok.txt"],
        None,
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("latin1.txt: ") && r.stderr.contains("UTF-8"),
        "{r:?}"
    );
    assert!(
        r.stderr.contains("scan.pdf: ") && r.stderr.contains("binary"),
        "{r:?}"
    );
    assert_stderr_clean(&r, &["Maria", "Lopez", "617-555-0134", "PDF"]);
    assert_eq!(r.stdout, "Seen by [NAME].\n", "only ok.txt is written");
    // The same for scan.
    let r = run_in(tmp.path(), &["scan", "latin1.txt", "ok.txt"], None);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stdout.lines().count(), 1, "{r:?}");
    assert_stderr_clean(&r, &["Maria", "Lopez"]);
}

#[test]
fn malformed_jsonl_line_names_path_and_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("notes.jsonl"),
        "{\"id\": 1, \"text\": \"Client: Daniel Lee\"}\n\
         {\"id\": 2, \"text\": \"Client: Maria Lopez, 617-555-0134\", oops}\n\
         {\"id\": 3, \"text\": 42}\n\
         \n\
         {\"id\": 5, \"text\": \"Seen by Dr. Jane Roe\"}\n",
    );
    let r = run_in(
        tmp.path(),
        &["redact", "--input-format", "jsonl", "notes.jsonl"],
        None,
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("notes.jsonl:2: "), "{r:?}");
    assert!(r.stderr.contains("notes.jsonl:3: "), "{r:?}");
    assert_stderr_clean(&r, &["Maria", "Lopez", "617-555-0134", "oops", "42"]);
    let ids: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON")["id"].clone())
        .collect();
    assert_eq!(ids, [1, 5], "good records are still written, in order");
}

#[test]
fn malformed_csv_row_names_path_and_record() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("notes.csv"),
        "id,text\n1,Client: Daniel Lee\n2,\"Client: Maria Lopez\",extra\n3,Seen by Dr. Jane Roe\n",
    );
    let r = run_in(
        tmp.path(),
        &["redact", "--input-format", "csv", "notes.csv"],
        None,
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("notes.csv:3: "),
        "file line of the record: {r:?}"
    );
    assert_stderr_clean(&r, &["Maria", "Lopez", "extra"]);
    assert_eq!(r.stdout, "id,text\n1,Client: [NAME]\n3,Seen by [NAME]\n");
}

/// A rules directory with a bad regex (line 4) and an unknown category (line 9, another file).
fn broken_rules(dir: &Path) {
    write(
        &dir.join("patterns/a_bad_regex.toml"),
        "[[rule]]\nid = \"local.bad_regex\"\ncategory = \"ID\"\npattern = '''(unclosed'''\nexamples = [\"Maria Lopez\"]\n",
    );
    write(
        &dir.join("patterns/b_unknown_category.toml"),
        "# a comment\n\n[[rule]]\nid = \"local.ok\"\ncategory = \"ID\"\npattern = '''\\bZZ\\d{6}\\b'''\n\n[[rule]]\nid = \"local.bad_category\"\ncategory = \"NICKNAME\"\npattern = 'x'\n",
    );
}

#[test]
fn bad_rules_dir_is_a_usage_error_naming_file_and_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    broken_rules(&tmp.path().join("rules"));
    write(&tmp.path().join("note.txt"), "Client: Maria Lopez\n");
    let r = run_in(
        tmp.path(),
        &["redact", "--rules", "rules", "note.txt"],
        None,
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty(), "nothing processed: {r:?}");
    assert!(r.stderr.contains("a_bad_regex.toml:4:"), "{r:?}");
    // A missing rules directory too.
    let r = run_in(tmp.path(), &["scan", "--rules", "nope", "note.txt"], None);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("nope"), "{r:?}");
}

#[test]
fn rules_check() {
    let r = run(&["rules", "check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("ok: "), "{r:?}");

    let tmp = tempfile::tempdir().expect("temp dir");
    broken_rules(&tmp.path().join("rules"));
    let r = run_in(tmp.path(), &["rules", "check", "rules"], None);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("a_bad_regex.toml:4:"), "{r:?}");
    assert!(
        r.stderr.contains("b_unknown_category.toml:10:"),
        "every error is listed with file:line: {r:?}"
    );
    assert!(r.stderr.contains("2 error(s)"), "{r:?}");
    assert_stderr_clean(&r, &["Maria", "Lopez"]);
}

#[test]
fn rules_check_refuses_a_plain_file_an_empty_directory_and_duplicate_ids() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(&tmp.path().join("empty/.keep"), "");
    write(&tmp.path().join("note.txt"), "Client: Maria Lopez\n");
    let rule =
        |id: &str, p: &str| format!("[[rule]]\nid = '{id}'\ncategory = 'ID'\npattern = '{p}'\n");
    write(
        &tmp.path().join("dup/patterns/a.toml"),
        rule("case.no", r"C\d{4}"),
    );
    write(
        &tmp.path().join("dup/patterns/b.toml"),
        rule("case.no", r"K\d{4}"),
    );
    write(&tmp.path().join("blank/patterns/a.toml"), rule("blank", ""));
    for (dir, says) in [
        ("empty", "no rules files found"),
        ("note.txt", "not a rules directory"),
        ("dup", "id already defined at"),
        ("blank", "the pattern is empty"),
    ] {
        let r = run_in(tmp.path(), &["rules", "check", dir], None);
        assert_eq!(r.code, 1, "{dir}: {r:?}");
        assert!(r.stderr.contains(says), "{dir}: {r:?}");
        assert!(!r.stdout.contains("ok"), "{dir}: {r:?}");
        let r = run_in(tmp.path(), &["scan", "--rules", dir, "note.txt"], None);
        assert_eq!(r.code, 2, "{dir}: {r:?}");
        assert!(r.stdout.is_empty(), "{dir}: {r:?}");
        assert_stderr_clean(&r, &["Maria", "Lopez"]);
    }
}

#[test]
fn shipped_rules_directory_loads() {
    let r = run(&["rules", "check", "rules"]);
    assert_eq!(r.code, 0, "the shipped rules directory checks clean: {r:?}");
    let r = run(&["redact", "--rules", "rules", "examples/progress_note.txt"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        run(&["redact", "examples/progress_note.txt"]).stdout
    );
}

/// Leaf subcommands of `deid --help` and `deid rules --help`.
fn subcommands() -> Vec<Vec<String>> {
    fn listed(help: &str) -> Vec<String> {
        help.lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            // A wrapped description continues on a line indented deeper than a command name.
            .filter(|l| !l.starts_with("   "))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|c| *c != "help")
            .map(str::to_string)
            .collect()
    }
    let top = run(&["--help"]);
    assert_eq!(top.code, 0, "{top:?}");
    let mut out = Vec::new();
    for c in listed(&top.stdout) {
        let sub = run(&[c.as_str(), "--help"]);
        let nested = listed(&sub.stdout);
        if nested.is_empty() {
            out.push(vec![c]);
        } else {
            out.extend(nested.into_iter().map(|n| vec![c.clone(), n]));
        }
    }
    out
}

#[test]
fn every_subcommand_help_has_examples() {
    let subs = subcommands();
    for must in [&["redact"][..], &["scan"], &["rules", "check"]] {
        assert!(
            subs.iter().any(|s| s == must),
            "{must:?} listed in {subs:?}"
        );
    }
    for sub in subs {
        let mut args: Vec<&str> = sub.iter().map(String::as_str).collect();
        args.push("--help");
        let r = run(&args);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            r.stdout.contains("Example"),
            "`deid {}` has no example",
            args.join(" ")
        );
    }
}

#[test]
fn rules_group_help_has_examples() {
    let r = run(&["rules", "--help"]);
    assert!(r.stdout.contains("Example"), "{}", r.stdout);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["redact", "--strategy", "shout", "x"][..],
        &["frobnicate"],
        &["redact", "--threads", "0", "examples/progress_note.txt"],
        &[
            "redact",
            "--categories",
            "NAME,NOPE",
            "examples/progress_note.txt",
        ],
    ] {
        let r = run(args);
        assert_eq!(r.code, 2, "deid {args:?}: {r:?}");
        assert!(r.stdout.is_empty(), "{r:?}");
    }
}

#[test]
fn broken_pipe_is_success() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let big = read("examples/progress_note.txt").repeat(100);
    assert!(big.len() > 128 * 1024, "more than a pipe buffer");
    write(&tmp.path().join("big.txt"), &big);
    for args in [
        &["redact", "big.txt"][..],
        &["scan", "--with-text", "big.txt"],
    ] {
        let (code, stderr) = support::read_ten_bytes_then_close(tmp.path(), args);
        assert_eq!(code, Some(0), "deid {args:?}: {stderr}");
        assert!(stderr.is_empty(), "no error for a closed pipe: {stderr}");
    }
}

#[test]
fn train_is_deterministic_and_its_model_is_used_by_eval() {
    let tmp = tempfile::tempdir().unwrap();
    let out = |n: &str| tmp.path().join(n);
    let train = |dir: &Path| {
        run(&[
            OsStr::new("train"),
            OsStr::new("--gold"),
            OsStr::new("tests/corpus/therapy/therapy.jsonl"),
            OsStr::new("--split"),
            OsStr::new("train"),
            OsStr::new("--epochs"),
            OsStr::new("2"),
            OsStr::new("--augment"),
            OsStr::new("1"),
            OsStr::new("--out"),
            dir.as_os_str(),
        ])
    };
    let a = train(&out("a"));
    assert_eq!(a.code, 0, "{a:?}");
    assert!(a.stderr.contains("documents"), "{a:?}");
    let b = train(&out("b"));
    assert_eq!(b.code, 0, "{b:?}");
    let model_a = std::fs::read(out("a/model/names.bin")).unwrap();
    assert_eq!(model_a, std::fs::read(out("b/model/names.bin")).unwrap());
    let readme = std::fs::read_to_string(out("a/model/README.md")).unwrap();
    assert!(readme.contains("deid train --gold tests/corpus/therapy/therapy.jsonl"));
    // The held-out third is scored with the trained model.
    let e = run(&[
        OsStr::new("eval"),
        OsStr::new("tests/corpus/therapy/therapy.jsonl"),
        OsStr::new("--split"),
        OsStr::new("heldout"),
        OsStr::new("--json"),
        OsStr::new("--rules"),
        out("a").as_os_str(),
    ]);
    assert_eq!(e.code, 0, "{e:?}");
    let rep: serde_json::Value = serde_json::from_str(&e.stdout).unwrap();
    let docs = rep["documents"].as_u64().unwrap();
    assert!(docs > 20 && docs < 100, "held-out third: {docs}");
    assert!(rep["entity"]["ALL"]["recall"].as_f64().unwrap() > 0.9);
    // A damaged model is a configuration error naming the file, nothing is processed.
    std::fs::write(out("a/model/names.bin"), &model_a[..model_a.len() / 2]).unwrap();
    let bad = run_in(
        &root(),
        &[
            OsStr::new("scan"),
            OsStr::new("--rules"),
            out("a").as_os_str(),
            OsStr::new("examples/progress_note.txt"),
        ],
        None,
    );
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("names.bin"), "{bad:?}");
    assert!(bad.stdout.is_empty());
}

#[test]
fn no_model_and_min_confidence_flags() {
    let all = run(&["scan", "examples/progress_note.txt"]);
    let rules = run(&["scan", "--no-model", "examples/progress_note.txt"]);
    let strict = run(&[
        "scan",
        "--min-confidence",
        "0.99",
        "examples/progress_note.txt",
    ]);
    for r in [&all, &rules, &strict] {
        assert_eq!(r.code, 0, "{r:?}");
    }
    let count = |r: &Run| r.stdout.matches("\"label\"").count();
    assert!(count(&strict) < count(&all), "{strict:?}");
    assert!(!rules.stdout.contains("name.model"));
    let bad = run(&[
        "eval",
        "tests/corpus/therapy/therapy.jsonl",
        "--no-model",
        "--model-only",
    ]);
    assert_eq!(bad.code, 2, "{bad:?}");
}

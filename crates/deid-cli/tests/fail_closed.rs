//! End-to-end tests of issue 11 ("fail closed, lose nothing, do what the README says"): hostile
//! CSV and JSONL input, directory walks, output collisions, output errors, bounded reads,
//! secrets. Each test is named after what it guards.

mod support;

use std::path::Path;
use support::{run_in, write, Run};

/// Neither output nor error messages may quote these.
fn assert_absent(r: &Run, planted: &[&str]) {
    for p in planted {
        assert!(!r.stdout.contains(p), "stdout leaks {p:?}: {r:?}");
        assert!(!r.stderr.contains(p), "stderr quotes {p:?}: {r:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// CSV and JSONL
// ---------------------------------------------------------------------------------------------

#[test]
fn csv_stray_quote_in_another_column_never_passes_note_text_through() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // The reproduction of issue 11, plus a stray quote inside an unquoted field.
    write(
        &tmp.path().join("s.csv"),
        "id,site,text\n1,\"Main clinic,Seen today\n2,x,Seen by Dr. Quentin Abernathy-Sloane on 4/5/2021\n3,Annex\",Follow-up\n4,Annex 5\"B,Seen by Dr. Ottoline Pemberton-Vasquez\n5,y,Seen by Dr. Jane Roe\n",
    );
    for args in [
        &["redact", "--input-format", "csv", "s.csv"][..],
        &["scan", "--input-format", "csv", "--with-text", "s.csv"],
    ] {
        let r = run_in(tmp.path(), args, None);
        assert_eq!(r.code, 1, "{r:?}");
        assert!(r.stderr.contains("s.csv:2: "), "names the file line: {r:?}");
        assert!(r.stderr.contains("column 2 spans lines 2-4"), "{r:?}");
        assert!(r.stderr.contains("s.csv:5: "), "{r:?}");
        assert!(r.stderr.contains("stray quote"), "{r:?}");
        assert_absent(
            &r,
            &[
                "Quentin",
                "Abernathy",
                "Ottoline",
                "Pemberton",
                "Main clinic",
            ],
        );
    }
    let r = run_in(
        tmp.path(),
        &["redact", "--input-format", "csv", "s.csv"],
        None,
    );
    assert_eq!(r.stdout, "id,site,text\n5,y,Seen by [NAME]\n", "{r:?}");
}

#[test]
fn csv_two_text_columns_is_an_error_not_a_pass_through() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("d.csv"),
        "id,text,text\n1,Seen by Dr. Jane Roe,Seen by Dr. Quentin Abernathy-Sloane\n",
    );
    let r = run_in(
        tmp.path(),
        &["redact", "--input-format", "csv", "d.csv"],
        None,
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("d.csv:1: "), "{r:?}");
    assert!(r.stderr.contains("columns 2, 3"), "{r:?}");
    assert_absent(&r, &["Quentin", "Jane"]);
    assert!(r.stdout.is_empty(), "{r:?}");
}

#[test]
fn jsonl_byte_order_mark_on_line_one_is_accepted() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("b.jsonl"),
        "\u{FEFF}{\"id\": 1, \"text\": \"Seen by Dr. Jane Roe\"}\n",
    );
    let r = run_in(
        tmp.path(),
        &["redact", "--input-format", "jsonl", "b.jsonl"],
        None,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "{\"id\":1,\"text\":\"Seen by [NAME]\"}\n");
}

// ---------------------------------------------------------------------------------------------
// Directory walks
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn directory_walk_survives_symlink_loops_and_reads_each_file_once() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let notes = tmp.path().join("notes");
    write(&notes.join("a.txt"), "Seen by Dr. Jane Roe.\n");
    write(&notes.join("sub/b.txt"), "Seen by Dr. Jane Roe.\n");
    // Two links to the directory itself (the issue's never-ending walk), one to a subdirectory
    // (the same file by two paths) and one to a file.
    std::os::unix::fs::symlink(".", notes.join("x")).expect("link");
    std::os::unix::fs::symlink(".", notes.join("y")).expect("link");
    std::os::unix::fs::symlink("sub", notes.join("sub2")).expect("link");
    std::os::unix::fs::symlink("a.txt", notes.join("c.txt")).expect("link");
    let r = run_in(tmp.path(), &["scan", "notes", "notes/a.txt"], None);
    assert_eq!(r.code, 0, "{r:?}");
    let ids: Vec<String> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON")["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"notes/a.txt\"", "\"notes/sub/b.txt\""], "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

#[test]
fn out_collision_of_two_inputs_is_refused_before_writing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for f in ["a/n.txt", "b/n.txt", "r1/x/y.txt", "r2/x/y.txt"] {
        write(&tmp.path().join(f), "Seen by Dr. Jane Roe.\n");
    }
    for args in [
        &["redact", "a/n.txt", "b/n.txt", "--out", "o"][..],
        &["redact", "r1", "r2", "--out", "o"],
    ] {
        let r = run_in(tmp.path(), args, None);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(r.stderr.contains("would both be written to"), "{r:?}");
        assert!(!tmp.path().join("o").exists(), "nothing written: {args:?}");
    }
}

#[test]
fn in_place_without_out_rewrites_the_inputs_atomically() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(&tmp.path().join("notes/a.txt"), "Seen by Dr. Jane Roe.\n");
    write(
        &tmp.path().join("notes/b.jsonl"),
        "{\"id\": 1, \"text\": \"Seen by Dr. Jane Roe\"}\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = std::fs::Permissions::from_mode(0o640);
        std::fs::set_permissions(tmp.path().join("notes/a.txt"), p).expect("chmod");
    }
    let r = run_in(tmp.path(), &["redact", "--in-place", "notes/a.txt"], None);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.is_empty(), "nothing on stdout: {r:?}");
    let read = |f: &str| std::fs::read_to_string(tmp.path().join(f)).expect("read");
    assert_eq!(read("notes/a.txt"), "Seen by [NAME].\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = std::fs::metadata(tmp.path().join("notes/a.txt")).expect("stat");
        assert_eq!(m.permissions().mode() & 0o777, 0o640, "permissions kept");
    }
    let r = run_in(
        tmp.path(),
        &[
            "redact",
            "--input-format",
            "jsonl",
            "--in-place",
            "notes/b.jsonl",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        read("notes/b.jsonl"),
        "{\"id\":1,\"text\":\"Seen by [NAME]\"}\n"
    );
    // Standard input has no file to rewrite: refused, nothing printed.
    let r = run_in(
        tmp.path(),
        &["redact", "--in-place", "-"],
        Some(b"Seen by Dr. Jane Roe.\n"),
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--in-place"), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
}

/// Runs `deid args` in `dir` with stdout on `stdout`, returning (exit code, stderr).
fn run_with_stdout(dir: &Path, args: &[&str], stdout: std::process::Stdio) -> (i32, String) {
    let out = std::process::Command::new(support::DEID)
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("deid runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Three inputs of each format, each larger than a pipe buffer.
fn three_big_inputs(dir: &Path) {
    let line = "Seen by Dr. Jane Roe on 03/14/2021 for follow-up.";
    for i in 0..3 {
        write(
            &dir.join(format!("n{i}.txt")),
            format!("{line}\n").repeat(2000),
        );
        write(
            &dir.join(format!("n{i}.jsonl")),
            format!("{{\"text\": \"{line}\"}}\n").repeat(2000),
        );
        write(
            &dir.join(format!("n{i}.csv")),
            format!("text\n{}", format!("{line}\n").repeat(2000)),
        );
    }
}

const BIG_RUNS: &[&[&str]] = &[
    &["redact", "n0.txt", "n1.txt", "n2.txt"],
    &["scan", "n0.txt", "n1.txt", "n2.txt"],
    &[
        "redact",
        "--input-format",
        "jsonl",
        "n0.jsonl",
        "n1.jsonl",
        "n2.jsonl",
    ],
    &[
        "redact",
        "--input-format",
        "csv",
        "n0.csv",
        "n1.csv",
        "n2.csv",
    ],
    &[
        "scan",
        "--input-format",
        "jsonl",
        "n0.jsonl",
        "n1.jsonl",
        "n2.jsonl",
    ],
];

#[cfg(target_os = "linux")]
#[test]
fn stdout_write_error_is_one_message_naming_standard_output() {
    let tmp = tempfile::tempdir().expect("temp dir");
    three_big_inputs(tmp.path());
    for args in BIG_RUNS {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let (code, stderr) = run_with_stdout(tmp.path(), args, full.into());
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one message: {args:?}: {stderr}");
        assert!(stderr.contains("standard output"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Jane"), "{stderr}");
    }
}

#[test]
fn broken_pipe_on_record_output_is_quiet_success() {
    let tmp = tempfile::tempdir().expect("temp dir");
    three_big_inputs(tmp.path());
    for args in BIG_RUNS {
        let (code, stderr) = support::read_ten_bytes_then_close(tmp.path(), args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(
            stderr.is_empty(),
            "no message for a closed pipe: {args:?}: {stderr}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Bounded reads
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn binary_input_is_refused_from_its_first_bytes_and_dev_zero_does_not_hang() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // A 1.5 GB file (sparse: no disk used) whose NUL bytes start after a line of text.
    let big = tmp.path().join("big.bin");
    write(&big, "Seen by Dr. Jane Roe.\n");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .expect("open")
        .set_len(1_500_000_000)
        .expect("sparse file");
    for format in ["text", "jsonl", "csv"] {
        let r = run_in(
            tmp.path(),
            &["redact", "--input-format", format, "/dev/zero", "big.bin"],
            None,
        );
        assert_eq!(r.code, 1, "{format}: {r:?}");
        assert!(
            r.stderr
                .contains("/dev/zero: binary file (NUL byte at offset 0)"),
            "{format}: {r:?}"
        );
        assert!(
            r.stderr
                .contains("big.bin: binary file (NUL byte at offset 22)"),
            "{format}: {r:?}"
        );
        assert!(r.stdout.is_empty(), "{r:?}");
    }
}

#[test]
fn document_larger_than_max_document_size_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let long = "Seen by Dr. Jane Roe. ".repeat(100); // 2,200 bytes
    write(&tmp.path().join("long.txt"), &long);
    write(&tmp.path().join("short.txt"), "Seen by Dr. Jane Roe.\n");
    let r = run_in(
        tmp.path(),
        &[
            "redact",
            "--max-document-size",
            "1K",
            "long.txt",
            "short.txt",
        ],
        None,
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr
            .contains("long.txt: larger than the maximum document size of 1024 bytes"),
        "{r:?}"
    );
    assert_eq!(r.stdout, "Seen by [NAME].\n", "{r:?}");
    // Standard input too (a runaway pipe is cut off at the limit).
    let r = run_in(
        tmp.path(),
        &["redact", "--max-document-size", "1K"],
        Some(long.as_bytes()),
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("-: larger than the maximum"), "{r:?}");
    // One JSONL record or CSV row: named by its line, the others processed.
    write(
        &tmp.path().join("r.jsonl"),
        format!("{{\"text\": \"{long}\"}}\n{{\"text\": \"Seen by Dr. Jane Roe\"}}\n"),
    );
    write(
        &tmp.path().join("r.csv"),
        format!("text\n{long}\nSeen by Dr. Jane Roe\n"),
    );
    for (format, file) in [("jsonl", "r.jsonl"), ("csv", "r.csv")] {
        let r = run_in(
            tmp.path(),
            &[
                "redact",
                "--input-format",
                format,
                "--max-document-size",
                "1K",
                file,
            ],
            None,
        );
        assert_eq!(r.code, 1, "{r:?}");
        assert!(
            r.stderr.contains(&format!("{file}:")) && r.stderr.contains("text of 2200 bytes"),
            "{r:?}"
        );
        assert!(r.stdout.contains("Seen by [NAME]"), "{r:?}");
        assert!(!r.stdout.contains("Jane"), "{r:?}");
    }
}

#[test]
fn jsonl_line_over_the_line_cap_is_skipped_by_line_and_the_file_output_stays_atomic() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // With 1 KiB documents a line may hold 2 KiB + 64 KiB: this one is about 100 KiB.
    let long = "Seen by Dr. Quentin Abernathy-Sloane. ".repeat(2700);
    write(
        &tmp.path().join("in/r.jsonl"),
        format!(
            "{{\"text\": \"Seen by Dr. Jane Roe\"}}\n{{\"text\": \"{long}\"}}\n{{\"text\": \"Seen by Dr. Jane Roe\"}}\n"
        ),
    );
    let r = run_in(
        tmp.path(),
        &[
            "redact",
            "--input-format",
            "jsonl",
            "--max-document-size",
            "1K",
            "in/r.jsonl",
            "--out",
            "o",
        ],
        None,
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("r.jsonl:2: line of "), "{r:?}");
    assert!(r.stderr.contains("--max-document-size"), "{r:?}");
    assert_absent(&r, &["Quentin", "Jane"]);
    let out = std::fs::read_to_string(tmp.path().join("o/r.jsonl")).expect("output");
    assert_eq!(out, "{\"text\":\"Seen by [NAME]\"}\n".repeat(2));
    // Only the output itself is left in the directory: no temporary file.
    let names: Vec<_> = std::fs::read_dir(tmp.path().join("o"))
        .expect("o")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["r.jsonl"], "{names:?}");
}

#[test]
fn csv_record_over_the_cap_ends_the_file_and_leaves_no_file_output() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // A stray quote in row 3 swallows the rest of the file: one record of about 100 KiB, over
    // the 2 KiB + 64 KiB a record may hold with 1 KiB documents.
    let rows = "4,Seen by Dr. Quentin Abernathy-Sloane\n".repeat(2700);
    write(
        &tmp.path().join("in/s.csv"),
        format!("id,text\n1,Seen by Dr. Jane Roe\n2,\"Seen by Dr. Jane Roe\n{rows}"),
    );
    let args = [
        "redact",
        "--input-format",
        "csv",
        "--max-document-size",
        "1K",
        "in/s.csv",
    ];
    let r = run_in(tmp.path(), &args, None);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("s.csv:3: a CSV record longer than"),
        "{r:?}"
    );
    assert!(
        r.stderr.contains("the rest of the file is not read"),
        "{r:?}"
    );
    assert_absent(&r, &["Quentin", "Jane"]);
    let r = run_in(tmp.path(), &[&args[..], &["--out", "o"]].concat(), None);
    assert_eq!(r.code, 1, "{r:?}");
    let left: Vec<_> = std::fs::read_dir(tmp.path().join("o"))
        .map(|d| d.map(|e| e.expect("entry").file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "no output and no temporary file: {left:?}");
}

// ---------------------------------------------------------------------------------------------
// Date shifts and keys
// ---------------------------------------------------------------------------------------------

/// A directory with a 32-byte secret, a JSONL file keyed by patient and a text note.
fn keyed_fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("key.txt"),
        "0123456789abcdef0123456789abcdef\n",
    );
    write(
        &tmp.path().join("notes.jsonl"),
        "{\"id\": 1, \"patient_id\": \"p1\", \"note\": \"Seen on 03/14/2021.\"}\n\
         {\"id\": 2, \"patient_id\": \"p1\", \"note\": \"Seen on 03/14/2021.\"}\n",
    );
    write(&tmp.path().join("p/a.txt"), "Seen on 03/14/2021.\n");
    tmp
}

#[test]
fn date_shift_without_a_value_never_swallows_the_next_argument() {
    let tmp = keyed_fixture();
    let jsonl = [
        "redact",
        "--input-format",
        "jsonl",
        "--text-field",
        "note",
        "--secret-file",
        "key.txt",
    ];
    for tail in [
        &["--date-shift", "--key-field", "patient_id", "notes.jsonl"][..],
        &["--date-shift", "notes.jsonl"],
        &["--date-shift", "--", "notes.jsonl"],
    ] {
        let args: Vec<&str> = jsonl.iter().chain(tail).copied().collect();
        let r = run_in(tmp.path(), &args, None);
        assert_eq!(r.code, 0, "{tail:?}: {r:?}");
        assert_eq!(r.stdout.lines().count(), 2, "{tail:?}: {r:?}");
        assert!(!r.stdout.contains("03/14/2021"), "{tail:?}: {r:?}");
    }
    // A fixed shift needs `=`; the separated form is refused, not silently keyed.
    let r = run_in(
        tmp.path(),
        &[
            "redact",
            "--secret-file",
            "key.txt",
            "--date-shift",
            "30",
            "p/a.txt",
        ],
        None,
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--date-shift=30"), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    let r = run_in(tmp.path(), &["redact", "--date-shift=30", "p/a.txt"], None);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "Seen on 04/13/2021.\n"),
        "{r:?}"
    );
}

#[test]
fn keyed_date_shift_of_a_file_is_keyed_by_its_canonical_path() {
    let tmp = keyed_fixture();
    let shifted = |path: &str| {
        let r = run_in(
            tmp.path(),
            &["redact", "--secret-file", "key.txt", "--date-shift", path],
            None,
        );
        assert_eq!(r.code, 0, "{r:?}");
        assert!(!r.stdout.contains("03/14/2021"), "{r:?}");
        r.stdout
    };
    assert_eq!(shifted("p/a.txt"), shifted("./p/a.txt"));
    assert_eq!(shifted("p/a.txt"), shifted("p/../p/a.txt"));
}

#[test]
fn key_field_missing_from_a_record_is_an_error_naming_it() {
    let tmp = keyed_fixture();
    write(
        &tmp.path().join("m.jsonl"),
        "{\"id\": 1, \"patient_id\": \"p1\", \"note\": \"Seen on 03/14/2021.\"}\n\
         {\"id\": 2, \"note\": \"Seen by Dr. Jane Roe on 03/14/2021.\"}\n\
         {\"id\": 3, \"patient_id\": \"\", \"note\": \"Seen on 03/14/2021.\"}\n",
    );
    write(
        &tmp.path().join("m.csv"),
        "id,patient_id,note\n1,p1,Seen on 03/14/2021.\n2,,Seen by Dr. Jane Roe on 03/14/2021.\n",
    );
    write(
        &tmp.path().join("n.csv"),
        "id,note\n1,Seen on 03/14/2021.\n",
    );
    let run = |format: &str, file: &str| {
        run_in(
            tmp.path(),
            &[
                "redact",
                "--input-format",
                format,
                "--text-field",
                "note",
                "--secret-file",
                "key.txt",
                "--date-shift",
                "--key-field",
                "patient_id",
                file,
            ],
            None,
        )
    };
    let r = run("jsonl", "m.jsonl");
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("m.jsonl:2: ") && r.stderr.contains("m.jsonl:3: "),
        "{r:?}"
    );
    assert!(r.stderr.contains("--key-field"), "{r:?}");
    assert_eq!(r.stdout.lines().count(), 1, "{r:?}");
    assert_absent(&r, &["Jane"]);
    let r = run("csv", "m.csv");
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("m.csv:3: "), "{r:?}");
    assert_eq!(r.stdout.lines().count(), 2, "header and one row: {r:?}");
    let r = run("csv", "n.csv");
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("n.csv:1: ") && r.stderr.contains("--key-field"),
        "{r:?}"
    );
    assert!(r.stdout.is_empty(), "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// Documentation examples
// ---------------------------------------------------------------------------------------------

/// Every `deid ...` line of README.md's code blocks (with `\` continuations joined).
fn readme_examples() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let mut out = Vec::new();
    let mut in_code = false;
    let mut pending = String::new();
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            continue;
        }
        let t = line.trim();
        if pending.is_empty() && !t.starts_with("deid ") {
            continue;
        }
        match t.strip_suffix('\\') {
            Some(head) => pending.push_str(head),
            None => {
                pending.push_str(t);
                out.push(std::mem::take(&mut pending));
            }
        }
    }
    out
}

/// Every example of the `--help` texts (the lines after `Examples:`).
fn help_examples(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for sub in [
        &["--help"][..],
        &["redact", "--help"],
        &["scan", "--help"],
        &["rules", "--help"],
        &["rules", "check", "--help"],
        &["eval", "--help"],
        &["train", "--help"],
        &["keygen", "--help"],
        &["risk", "--help"],
        &["vignette", "--help"],
    ] {
        let r = run_in(dir, sub, None);
        assert_eq!(r.code, 0, "{sub:?}: {r:?}");
        let mut in_examples = false;
        for line in r.stdout.lines() {
            if line.starts_with("Examples:") {
                in_examples = true;
            } else if line.trim().is_empty() {
                in_examples = false;
            } else if in_examples {
                // clap wraps long lines: a line that starts no command continues the last.
                let t = line.trim();
                match out.last_mut() {
                    Some(last) if !t.starts_with("deid ") && !t.starts_with("cat ") => {
                        last.push(' ');
                        last.push_str(t);
                    }
                    _ => out.push(t.to_string()),
                }
            }
        }
    }
    out
}

#[test]
fn every_readme_and_help_example_runs_where_its_inputs_exist() {
    let tmp = keyed_fixture();
    let dir = tmp.path();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("root");
    #[cfg(unix)]
    for shared in ["examples", "tests"] {
        std::os::unix::fs::symlink(root.join(shared), dir.join(shared)).expect("link");
    }
    let note = "Seen by Dr. Jane Roe on 03/14/2021.";
    for (file, content) in [
        ("notes/a.txt", format!("{note}\n")),
        ("note.txt", format!("{note}\n")),
        ("notes.csv", format!("id,note\n1,{note}\n")),
    ] {
        write(&dir.join(file), content);
    }
    let examples: Vec<String> = readme_examples()
        .into_iter()
        .chain(help_examples(dir))
        .collect();
    let (mut ran, mut skipped) = (Vec::new(), Vec::new());
    for example in &examples {
        // `cat FILE | deid ...` feeds FILE; `> FILE` and `# comment` are the shell's.
        let (stdin, command) = match example.split_once(" | ") {
            Some((cat, cmd)) => (cat.strip_prefix("cat ").map(str::trim), cmd),
            None => (None, example.as_str()),
        };
        let command = command.split(" #").next().unwrap_or(command);
        let command = command.split(" > ").next().unwrap_or(command);
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(words.first(), Some(&"deid"), "{example}");
        let placeholder = |w: &&str| {
            w.starts_with('[') || (w.len() > 1 && w.bytes().all(|b| b.is_ascii_uppercase()))
        };
        let missing_input = words.iter().enumerate().skip(1).any(|(i, w)| {
            !w.starts_with('-')
                && words[i - 1] != "--out"
                && (w.contains('/') || w.contains('.'))
                && !dir.join(w).exists()
        }) || stdin.is_some_and(|f| !dir.join(f).exists());
        if words.iter().any(placeholder) || missing_input {
            skipped.push(example.clone());
            continue;
        }
        let input = stdin.map(|f| std::fs::read(dir.join(f)).expect("stdin file"));
        let r = run_in(dir, &words[1..], input.as_deref());
        assert_eq!(r.code, 0, "documented example fails: {example}\n{r:?}");
        ran.push(example.clone());
    }
    assert!(
        ran.len() >= 12,
        "only {} examples ran: {ran:#?}\nskipped: {skipped:#?}",
        ran.len()
    );
    for needed in [
        "--date-shift --key-field",
        "--date-shift notes.jsonl",
        "| deid redact -",
    ] {
        assert!(
            ran.iter().any(|e| e.contains(needed)),
            "{needed:?} not run: {ran:#?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

#[test]
fn secret_shorter_than_sixteen_bytes_is_refused_and_keygen_makes_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("a.txt"),
        "Seen by Dr. Jane Roe on 03/14/2021.\n",
    );
    write(&tmp.path().join("short.txt"), "hunter2-fifteen\n");
    for keyed in ["--date-shift", "--strategy=surrogate"] {
        let r = run_in(
            tmp.path(),
            &["redact", "--secret-file", "short.txt", keyed, "a.txt"],
            None,
        );
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr.contains("at least 16") && r.stderr.contains("deid keygen"),
            "says how to make one: {r:?}"
        );
        assert_absent(&r, &["hunter2", "Jane"]);
    }
    let k = run_in(tmp.path(), &["keygen"], None);
    assert_eq!(k.code, 0, "{k:?}");
    let key = k.stdout.trim_end();
    assert!(
        key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()),
        "{k:?}"
    );
    assert_ne!(key, run_in(tmp.path(), &["keygen"], None).stdout.trim_end());
    write(&tmp.path().join("key.txt"), &k.stdout);
    let r = run_in(
        tmp.path(),
        &[
            "redact",
            "--secret-file",
            "key.txt",
            "--strategy=surrogate",
            "a.txt",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_absent(&r, &["Jane", "03/14/2021"]);
}

// ---------------------------------------------------------------------------------------------
// File names are data
// ---------------------------------------------------------------------------------------------

#[test]
fn ids_hash_and_index_keep_file_names_out_of_scan_ids_and_output_names() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("notes/Quentin_Abernathy.txt"),
        "Seen by Dr. Jane Roe.\n",
    );
    write(&tmp.path().join("notes/b.txt"), "Seen by Dr. Jane Roe.\n");
    let ids = |how: &str| {
        let r = run_in(tmp.path(), &["scan", "--ids", how, "notes"], None);
        assert_eq!(r.code, 0, "{r:?}");
        r.stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON")["id"].clone())
            .map(|v| v.as_str().expect("string id").to_string())
            .collect::<Vec<String>>()
    };
    assert_eq!(ids("path"), ["notes/Quentin_Abernathy.txt", "notes/b.txt"]);
    assert_eq!(ids("index"), ["1", "2"]);
    let hashed = ids("hash");
    assert_eq!(hashed, ids("hash"), "stable");
    assert!(
        hashed
            .iter()
            .all(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit())),
        "{hashed:?}"
    );
    for (how, names) in [
        ("index", vec!["1.txt".to_string(), "2.txt".to_string()]),
        ("hash", hashed.iter().map(|h| format!("{h}.txt")).collect()),
    ] {
        let out = tmp.path().join(format!("out-{how}"));
        let r = run_in(
            tmp.path(),
            &[
                "redact",
                "--ids",
                how,
                "notes",
                "--out",
                out.to_str().expect("path"),
            ],
            None,
        );
        assert_eq!(r.code, 0, "{r:?}");
        let mut written: Vec<String> = std::fs::read_dir(&out)
            .expect("out dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        written.sort();
        let mut names = names;
        names.sort();
        assert_eq!(written, names, "{how}");
    }
}

// ---------------------------------------------------------------------------------------------
// Fields that pass through, keys of standard input, -q / -v, completions and man pages
// ---------------------------------------------------------------------------------------------

const SITE_CSV: &str = "id,site,text\n1,Main clinic,Seen today\n2,Dr. Quentin Abernathy-Sloane,Follow-up on 4/5/2021\n3,Dr. Ottoline Pemberton-Vasquez,Seen\n";

#[test]
fn pass_through_field_holding_an_identifier_is_warned_about_once_without_its_text() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(&tmp.path().join("s.csv"), SITE_CSV);
    write(
        &tmp.path().join("s.jsonl"),
        "{\"id\":\"a\",\"note\":\"Pt seen\",\"meta\":{\"by\":\"Dr. Quentin Abernathy-Sloane\"}}\n{\"id\":\"b\",\"note\":\"Pt seen\",\"meta\":{\"by\":\"Dr. Ottoline Pemberton-Vasquez\"}}\n",
    );
    for (args, field, line) in [
        (
            &["redact", "--input-format", "csv", "s.csv"][..],
            "\"site\"",
            "s.csv:3",
        ),
        (
            &[
                "redact",
                "--input-format",
                "jsonl",
                "--text-field",
                "note",
                "s.jsonl",
            ],
            "\"meta\"",
            "s.jsonl:1",
        ),
    ] {
        let r = run_in(tmp.path(), args, None);
        assert_eq!(r.code, 0, "{r:?}");
        assert_eq!(r.stderr.matches("warning: field").count(), 1, "once: {r:?}");
        assert!(r.stderr.contains(field) && r.stderr.contains(line), "{r:?}");
        assert!(r.stderr.contains("--redact-fields"), "says how: {r:?}");
        for planted in ["Quentin", "Abernathy", "Ottoline"] {
            assert!(!r.stderr.contains(planted), "never quotes the field: {r:?}");
        }
        // -q silences the warning, not the output.
        let mut quiet = vec!["-q"];
        quiet.extend_from_slice(args);
        let q = run_in(tmp.path(), &quiet, None);
        assert_eq!(
            (q.code, q.stdout.as_str(), q.stderr.as_str()),
            (0, r.stdout.as_str(), "")
        );
    }
}

#[test]
fn redact_fields_and_all_fields_redact_other_columns_and_keep_the_id() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(&tmp.path().join("s.csv"), SITE_CSV);
    write(
        &tmp.path().join("s.jsonl"),
        "{\"id\":\"Quentin-1\",\"note\":\"Pt seen\",\"meta\":{\"by\":[\"Dr. Quentin Abernathy-Sloane\"]},\"n\":3}\n",
    );
    for args in [
        &[
            "redact",
            "--input-format",
            "csv",
            "--redact-fields",
            "site",
            "s.csv",
        ][..],
        &["redact", "--input-format", "csv", "--all-fields", "s.csv"],
    ] {
        let r = run_in(tmp.path(), args, None);
        assert_eq!(r.code, 0, "{r:?}");
        assert_absent(&r, &["Quentin", "Ottoline", "4/5/2021"]);
        assert!(!r.stderr.contains("warning"), "{r:?}");
        assert!(r.stdout.contains("\n1,Main clinic,Seen today\n"), "{r:?}");
    }
    let r = run_in(
        tmp.path(),
        &[
            "redact",
            "--input-format",
            "jsonl",
            "--text-field",
            "note",
            "--all-fields",
            "s.jsonl",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("\"id\":\"Quentin-1\""),
        "the id field passes through: {r:?}"
    );
    assert!(
        r.stdout.contains("\"by\":[\"[NAME]\"]"),
        "nested strings: {r:?}"
    );
    assert!(r.stdout.contains("\"n\":3"), "numbers stay numbers: {r:?}");
    // A named column that is not there is an error; text input has no fields.
    let r = run_in(
        tmp.path(),
        &[
            "redact",
            "--input-format",
            "csv",
            "--redact-fields",
            "nope",
            "s.csv",
        ],
        None,
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("no column nope"), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    let r = run_in(tmp.path(), &["redact", "--all-fields", "s.csv"], None);
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn keyed_shift_of_standard_input_needs_a_key_and_each_key_its_own_shift() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("key.txt"),
        "0123456789abcdef0123456789abcdef\n",
    );
    let note = b"Seen on 4/5/2021 and 5/6/2021.\n";
    let base = ["redact", "--date-shift", "--secret-file", "key.txt"];
    let r = run_in(tmp.path(), &base, Some(note));
    assert_eq!(r.code, 2, "refused without --key: {r:?}");
    assert!(r.stderr.contains("--key"), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    let shifted: Vec<String> = ["patient-1", "patient-2", "patient-1"]
        .iter()
        .map(|k| {
            let mut args = base.to_vec();
            args.extend(["--key", k, "-"]);
            let r = run_in(tmp.path(), &args, Some(note));
            assert_eq!(r.code, 0, "{r:?}");
            assert!(!r.stdout.contains("4/5/2021"), "{r:?}");
            r.stdout
        })
        .collect();
    assert_eq!(shifted[0], shifted[2], "one patient, one shift");
    assert_ne!(shifted[0], shifted[1], "two patients, two shifts");
    // --key names standard input only.
    write(&tmp.path().join("n.txt"), "Seen on 4/5/2021.\n");
    let mut args = base.to_vec();
    args.extend(["--key", "p", "n.txt"]);
    let r = run_in(tmp.path(), &args, None);
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn verbose_prints_a_summary_per_input_without_note_text() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(&tmp.path().join("s.csv"), SITE_CSV);
    let r = run_in(
        tmp.path(),
        &[
            "-v",
            "redact",
            "--input-format",
            "csv",
            "--all-fields",
            "s.csv",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr
            .contains("s.csv: 3 document(s), 1 span(s) (DATE 1)"),
        "{r:?}"
    );
    assert_absent(&r, &["Quentin", "Ottoline"]);
}

#[test]
fn completions_and_man_pages_are_generated_from_the_flags() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = run_in(tmp.path(), &["completions", shell], None);
        assert_eq!(r.code, 0, "{shell}: {r:?}");
        assert!(
            r.stdout.contains("redact-fields"),
            "{shell}: flags are listed"
        );
    }
    let r = run_in(tmp.path(), &["man"], None);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with(".ie") && r.stdout.contains(".TH deid 1"),
        "{r:?}"
    );
    let r = run_in(tmp.path(), &["man", "--out", "man"], None);
    assert_eq!(r.code, 0, "{r:?}");
    for page in [
        "deid.1",
        "deid-redact.1",
        "deid-rules-check.1",
        "deid-serve.1",
    ] {
        let text = std::fs::read_to_string(tmp.path().join("man").join(page)).expect(page);
        assert!(text.contains(".TH"), "{page}");
    }
    let redact = std::fs::read_to_string(tmp.path().join("man/deid-redact.1")).unwrap();
    assert!(
        redact.contains("all\\-fields"),
        "the redact page lists its flags"
    );
}

#[test]
fn eval_thresholds_must_be_numbers_from_zero_to_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join("g.jsonl"),
        "{\"id\":\"1\",\"text\":\"Seen by Dr. Jane Roe.\",\"spans\":[{\"start\":12,\"end\":20,\"label\":\"NAME\"}]}\n",
    );
    for bad in ["NaN", "nan", "inf", "-0.1", "1.5", "x"] {
        for flag in ["--min-recall", "--min-precision"] {
            let r = run_in(tmp.path(), &["eval", flag, bad, "g.jsonl"], None);
            assert_eq!(r.code, 2, "{flag} {bad}: {r:?}");
        }
    }
    let r = run_in(tmp.path(), &["eval", "--min-recall", "1", "g.jsonl"], None);
    assert!(r.code == 0 || r.code == 1, "{r:?}");
}

/// Runs `deid ARGS` on a pseudo-terminal (util-linux `script`), so the progress bar is drawn;
/// returns what the terminal showed, or `None` where `script` is missing.
fn on_a_terminal(dir: &Path, args: &str) -> Option<String> {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    let deid = env!("CARGO_BIN_EXE_deid");
    let out = std::process::Command::new(script)
        .args(["-qec", &format!("{deid} {args} > /dev/null"), "/dev/null"])
        .current_dir(dir)
        .env("TERM", "xterm")
        .output()
        .expect("script runs");
    assert!(out.status.success(), "{out:?}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn progress_bar_counts_bytes_of_records_as_they_complete_and_q_hides_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let line = "{\"id\":\"r\",\"text\":\"Seen by Dr. Jane Roe on 4/5/2021 at 12 Oak St; call 617-555-0134. \"}\n";
    // Enough records that processing outlasts several 200 ms ticks on a fast machine.
    let body = line.repeat(8_000);
    write(&tmp.path().join("big.jsonl"), &body);
    let Some(shown) = on_a_terminal(tmp.path(), "scan --input-format jsonl big.jsonl") else {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    };
    // Drawn with the input's size and what it counts, and moving before the end.
    assert!(shown.contains("of JSONL records"), "{shown:?}");
    let total = format!("/{}", indicatif::HumanBytes(body.len() as u64));
    assert!(shown.contains(&total), "total {total} in {shown:?}");
    let draws: Vec<&str> = shown
        .split(['\r', '\n'])
        .filter(|l| l.contains("of JSONL records"))
        .collect();
    assert!(
        draws.iter().any(|d| !d.contains(" 0 B/")),
        "the bar moved: {draws:?}"
    );
    assert!(
        !shown.contains("Jane") && !shown.contains("Roe"),
        "no note text"
    );
    let quiet = on_a_terminal(tmp.path(), "-q scan --input-format jsonl big.jsonl").unwrap();
    assert!(
        !quiet.contains("JSONL records"),
        "-q draws no bar: {quiet:?}"
    );
}

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
    // Two links to the directory itself (the never-ending walk), one to a subdirectory
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

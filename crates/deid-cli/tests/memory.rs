//! Bounded memory (the speed issue): JSONL is streamed in chunks, so `deid scan` of a large
//! JSONL file keeps its peak resident memory far below the file's size.
//!
//! The input is generated here, written in pieces (never held whole). Its size is
//! `DEID_MEMORY_TEST_MB` MiB (default 200). Linux only: the child's peak resident set
//! (`VmHWM` in `/proc/PID/status`) is polled while it runs.

mod support;

/// Input size in MiB when `DEID_MEMORY_TEST_MB` is not set.
#[cfg(target_os = "linux")]
const DEFAULT_MB: u64 = 200;

/// The peak resident memory allowed, in KiB.
#[cfg(target_os = "linux")]
const MAX_PEAK_KB: u64 = 300 << 10;

/// Writes JSONL records of at least `bytes` bytes in all to `path`: a short synthetic note and
/// a longer field that is copied, not scanned (it keeps the test fast in a debug build, where
/// detection is slow, while the file stays large). Returns the number of lines.
#[cfg(target_os = "linux")]
fn write_notes(path: &std::path::Path, bytes: u64) -> u64 {
    use std::io::Write;
    let file = std::fs::File::create(path).expect("create the input");
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let history = "Seen in clinic, stable, no change. ".repeat(40);
    let notes = [
        "Seen by Dr. Jane Roe on 03/14/2021.",
        "Follow-up in two weeks.",
        "Called 555-0100 about the refill.",
    ];
    let (mut written, mut lines) = (0u64, 0u64);
    while written < bytes {
        let note = notes[(lines % 3) as usize];
        let line =
            format!("{{\"id\": {lines}, \"text\": \"{note}\", \"history\": \"{history}\"}}\n");
        w.write_all(line.as_bytes()).expect("write the input");
        written += line.len() as u64;
        lines += 1;
    }
    w.flush().expect("flush the input");
    lines
}

/// The peak resident set of a running process in KiB (`VmHWM`), or None once it has exited.
#[cfg(target_os = "linux")]
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Counts the lines of a stream without holding it.
#[cfg(target_os = "linux")]
fn count_lines(mut r: impl std::io::Read) -> u64 {
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0;
    loop {
        match r.read(&mut buf) {
            Ok(0) => return n,
            Ok(k) => n += buf[..k].iter().filter(|&&b| b == b'\n').count() as u64,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!("reading deid's output: {e}"),
        }
    }
}

/// Runs `deid ARGS PATH`, polling its peak resident memory; returns its exit status, peak
/// (KiB), standard output (read by `read_out` while it runs) and standard error.
#[cfg(target_os = "linux")]
fn run_measured<T: Send + 'static>(
    args: &[&str],
    path: &std::path::Path,
    read_out: fn(std::process::ChildStdout) -> T,
) -> (std::process::ExitStatus, u64, T, String) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(support::DEID)
        .args(args)
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("deid runs");
    let stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || read_out(stdout));
    let mut stderr = child.stderr.take().expect("stderr");
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).map(|_| s)
    });
    let mut peak = 0;
    let status = loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().expect("wait for deid") {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let out = reader.join().expect("output reader");
    let stderr = errors.join().expect("stderr reader").expect("stderr");
    assert!(peak > 0, "VmHWM was read");
    (status, peak, out, stderr)
}

/// An input size in MiB from the environment variable `var`, else `default`.
#[cfg(target_os = "linux")]
fn size_mb(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[cfg(target_os = "linux")]
#[test]
fn jsonl_scan_memory_stays_bounded_whatever_the_file_size() {
    let mb = size_mb("DEID_MEMORY_TEST_MB", DEFAULT_MB);
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("big.jsonl");
    let lines = write_notes(&path, mb << 20);
    let (status, peak, out_lines, stderr) =
        run_measured(&["scan", "--input-format", "jsonl"], &path, count_lines);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(out_lines, lines, "one scan line per record: {stderr}");
    assert!(
        peak < MAX_PEAK_KB,
        "peak resident memory {peak} KiB for a {mb} MiB input (limit {MAX_PEAK_KB} KiB)"
    );
    eprintln!("deid scan of {mb} MiB of JSONL ({lines} lines): peak resident memory {peak} KiB");
}

/// Size in MiB of the one text document of the test below when `DEID_MEMORY_TEST_TEXT_MB` is
/// not set (the figure is 50; the default keeps a debug build's run short).
#[cfg(target_os = "linux")]
const DEFAULT_TEXT_MB: u64 = 24;

/// One long text document is detected window by window and its scan line written window by
/// window, so memory holds the document and a few windows, not tens of bytes per byte of
/// text; no identifier is lost at a window's cut (every paragraph's date and name is found).
#[cfg(target_os = "linux")]
#[test]
fn a_long_text_document_is_scanned_in_bounded_memory_and_loses_nothing_at_the_cuts() {
    use std::io::Write;
    let mb = size_mb("DEID_MEMORY_TEST_TEXT_MB", DEFAULT_TEXT_MB);
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("long.txt");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    // Paragraphs of unequal lengths, so cuts fall at varied places; a few without a blank
    // line after them, so some cuts fall at a line end.
    let filler = "the client reported that sleep is better and mood is stable this week ";
    let (mut written, mut paragraphs) = (0u64, 0u64);
    while written < mb << 20 {
        let day = paragraphs % 28 + 1;
        let gap = if paragraphs % 7 == 0 { "\n" } else { "\n\n" };
        let p = format!(
            "Seen by Dr. Jane Roe on 03/{day:02}/2021. {}{gap}",
            filler.repeat(5 + (paragraphs % 23) as usize)
        );
        w.write_all(p.as_bytes()).expect("write");
        written += p.len() as u64;
        paragraphs += 1;
    }
    w.flush().expect("flush");
    drop(w);
    let read_all = |mut r: std::process::ChildStdout| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut r, &mut s).expect("read the output");
        s
    };
    let (status, peak, out, stderr) = run_measured(&["scan", "--threads", "2"], &path, read_all);
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(out.lines().count(), 1, "one scan line for one document");
    let line: serde_json::Value = serde_json::from_str(&out).expect("the line is JSON");
    let spans = line["spans"].as_array().expect("spans");
    let count = |label: &str| spans.iter().filter(|s| s["label"] == label).count() as u64;
    assert_eq!(count("DATE"), paragraphs, "one date per paragraph");
    assert_eq!(count("NAME"), paragraphs, "one name per paragraph");
    let mut last = 0;
    for s in spans {
        let (b, e) = (
            s["byte_start"].as_u64().unwrap(),
            s["byte_end"].as_u64().unwrap(),
        );
        assert!(last <= b && b < e, "spans in order and disjoint");
        last = e;
    }
    assert!(
        peak < MAX_PEAK_KB,
        "peak resident memory {peak} KiB for a {mb} MiB document (limit {MAX_PEAK_KB} KiB)"
    );
    eprintln!("deid scan of one {mb} MiB text document: peak resident memory {peak} KiB");
}

//! Replays every input committed under `fuzz/regressions/records/` and
//! `fuzz/regressions/rule_file/` through the checks of those fuzz targets (`fuzz/src/cli.rs`,
//! included below). An empty or missing directory passes. Inputs of bugs not fixed yet are
//! named `bug-*` and skipped here (see `crates/deid-core/tests/fuzz_regressions.rs`).

use std::path::{Path, PathBuf};

#[allow(dead_code)]
mod checks {
    include!("../../../fuzz/src/checks.rs");
}
#[allow(unused_imports)]
use checks::check_redacted;

mod cli {
    include!("../../../fuzz/src/cli.rs");
}

fn replay(target: &str, check: &dyn Fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        p.is_file() && !name.starts_with("bug-") && !name.starts_with('.')
    });
    files.sort();
    let mut failed = Vec::new();
    for f in &files {
        let data = std::fs::read(f).expect("regression file is readable");
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(
                f.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    assert!(
        failed.is_empty(),
        "fuzz regressions of {target} fail: {failed:?}"
    );
    files.len()
}

#[test]
fn records_regressions() {
    let n = replay("records", &cli::records);
    eprintln!("replayed {n} records inputs");
}

#[test]
fn rule_file_regressions() {
    // The target takes `&str`: libFuzzer skips inputs that are not UTF-8, and so does this.
    let n = replay("rule_file", &|data| {
        if let Ok(s) = std::str::from_utf8(data) {
            cli::rule_file(s);
        }
    });
    eprintln!("replayed {n} rule_file inputs");
}

//! Replays every input committed under `fuzz/regressions/scan_redact/` and
//! `fuzz/regressions/date/` through the same checks the fuzz targets run (`fuzz/src/checks.rs`
//! is included below), so a crash found by fuzzing stays fixed. An empty or missing directory
//! passes. To add one: copy the crash file from `fuzz/artifacts/<target>/` into
//! `fuzz/regressions/<target>/` under a name saying what it is.
//!
//! Inputs of bugs not fixed yet are named `bug-*`: they are replayed by the `#[ignore]`d
//! `open_bugs_*` tests instead, and renamed (drop the prefix) once the bug is fixed.
//! `gap-idempotence-*` inputs pass the target's checks but a second redaction still finds
//! something new in them (strict idempotence, `DEID_FUZZ_STRICT_IDEMPOTENCE=1`): the test
//! `known_idempotence_gaps_still_differ` expects exactly that, and says to drop the prefix
//! once one is fixed.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
mod checks {
    include!("../../../fuzz/src/checks.rs");
}

/// The regression files of `target`: fixed ones, or (`open`) the `bug-*` ones.
fn regressions(target: &str, open: bool) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                let name = p.file_name().unwrap_or_default().to_string_lossy();
                !name.starts_with('.') && name.starts_with("bug-") == open
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

/// Runs `check` on every file of `target`, reporting every failing file (not only the first).
fn replay(target: &str, open: bool, check: fn(&[u8])) -> usize {
    let files = regressions(target, open);
    let mut failed = Vec::new();
    for f in &files {
        let data = std::fs::read(f).expect("regression file is readable");
        if std::panic::catch_unwind(|| check(&data)).is_err() {
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
        "fuzz regressions of {target} fail: {failed:?} (rerun one with \
         `cargo +nightly fuzz run {target} fuzz/regressions/{target}/FILE`)"
    );
    files.len()
}

#[test]
fn scan_redact_regressions() {
    let n = replay("scan_redact", false, checks::scan_redact);
    eprintln!("replayed {n} scan_redact inputs");
}

/// The known idempotence gaps: each passes the default checks (replayed above with the other
/// files) and still fails the strict one. When a change fixes one, this fails: rename the file
/// (drop `gap-`) so the strict check guards it from then on.
#[test]
fn known_idempotence_gaps_still_differ() {
    let gaps: Vec<PathBuf> = regressions("scan_redact", false)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("gap-"))
        })
        .collect();
    assert!(!gaps.is_empty(), "no gap-* inputs: drop this test");
    for f in &gaps {
        let data = std::fs::read(f).expect("regression file is readable");
        checks::scan_redact_with(&data, false);
        let strict = std::panic::catch_unwind(|| checks::scan_redact_with(&data, true));
        assert!(
            strict.is_err(),
            "{} now passes the strict idempotence check: rename it without `gap-`",
            f.display()
        );
    }
}

/// Every input that is neither an open bug nor a known gap holds under the strict check too.
#[test]
fn fixed_inputs_hold_strict_idempotence() {
    for f in regressions("scan_redact", false) {
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.starts_with("gap-") {
            continue;
        }
        let data = std::fs::read(&f).expect("regression file is readable");
        let r = std::panic::catch_unwind(|| checks::scan_redact_with(&data, true));
        assert!(r.is_ok(), "{name} fails strict idempotence");
    }
}

#[test]
fn date_regressions() {
    let n = replay("date", false, checks::date);
    eprintln!("replayed {n} date inputs");
}

#[test]
#[ignore = "bug: open fuzz findings (fuzz/regressions/*/bug-*), see the file names"]
fn open_bugs_scan_redact() {
    replay("scan_redact", true, checks::scan_redact);
}

#[test]
#[ignore = "bug: open fuzz findings (fuzz/regressions/*/bug-*), see the file names"]
fn open_bugs_date() {
    replay("date", true, checks::date);
}

/// The seed inputs the checks must hold for, also when the directories are empty.
#[test]
fn built_in_seeds() {
    let long_line = "Client Maria Lopez seen 03/14/2021, call 617-555-0134; ".repeat(1900);
    assert!(long_line.len() > 100_000);
    let seeds: Vec<Vec<u8>> = vec![
        Vec::new(),
        "\u{301}".into(),
        "\u{301}Maria Lopez".into(),
        long_line.into_bytes(),
        b"Client: Maria \xff\xfe Lopez, DOB 03/14/\xc3(2021)".to_vec(),
        b"\0\0\0MRN: 00482913\0".to_vec(),
        "[NAME] [NAME-1] [DATE-999999999999999999999] [ NAME ] [NAM".into(),
        "03/14/2021 03/15/2021\n2021-03-14\nMarch 20, 2021".into(),
        "\u{202e}Daniel Lee\u{202c} 👩‍⚕️ (503) 555-0142".into(),
    ];
    for s in &seeds {
        checks::scan_redact(s);
        checks::date(s);
    }
}

/// Fixed date-shift values at the edges of `i64`, as `deid redact --date-shift N` passes them.
#[test]
fn date_shift_by_extreme_days_does_not_panic() {
    let d = deid_core::date::parse("03/14/2021").expect("a date");
    for days in [i64::MAX, i64::MIN, i64::MAX / 2] {
        let r = std::panic::catch_unwind(|| d.shifted(days));
        assert!(r.is_ok(), "shifted({days}) panicked");
    }
}

#[test]
fn date_shift_out_of_range_is_none() {
    let d = deid_core::date::parse("03/14/2021").expect("a date");
    // 2^40 days: civil_from_days' year is truncated to i32 ("02/26/-1284604685" today).
    for days in [1i64 << 40, -(1i64 << 40), 1 << 33, 3_000_000] {
        let out = d.shifted(days);
        assert!(
            out.as_deref()
                .and_then(deid_core::date::parse)
                .and_then(|x| x.year)
                .is_none_or(|y| (0..=9999).contains(&y))
                && out.as_deref().is_none_or(|s| !s.contains('-')),
            "shifted({days}) = {out:?}"
        );
    }
}

/// A tiny stable "fuzzer" for machines without a nightly toolchain: random inputs (mutated
/// seeds, random bytes, random chars) through the same checks. Run by hand:
/// `cargo test --release -p deid-core --test fuzz_regressions -- --ignored poor_mans_fuzzer --nocapture`
/// (`DEID_FUZZ_ITERS`, `DEID_FUZZ_SEED` to change the run). Failing inputs are written to
/// `target/poor-mans-fuzz/`.
#[test]
#[ignore = "manual: long-running random search"]
fn poor_mans_fuzzer() {
    let iters: u64 = std::env::var("DEID_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let seed: u64 = std::env::var("DEID_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let mut rng = SplitMix(seed);
    let corpus: Vec<Vec<u8>> = [
        "Client: Maria Lopez\nDOB: 03/14/2021\nMRN: 00482913\nCall (503) 555-0142 or maria.lopez@gmail.com.",
        "Seen by Dr. Jane Roe on March 14, 2024; Mr. Lee and Daniel Lee at 2210 Alder Street, Portland, OR 97214.",
        "PHQ-9 = 14 (was 11 on Feb 29). May 5 mg. Will follow up 3/21 at 3:00 pm. SSN 123-45-6789.",
        "[NAME-1] [DATE] ***** 1931-01-01\nJanuary 1, 1931 12/31/1999 '92 Sept. '19 the 3rd of May",
        "Zoë (age 9), José Núñez, Jose\u{301} Nu\u{303}n\u{303}ez, 東京, مريض, 👩‍⚕️, \u{202e}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/poor-mans-fuzz");
    let started = std::time::Instant::now();
    let mut failures = 0;
    for i in 0..iters {
        let input = rng.input(&corpus);
        for (target, check) in [
            ("scan_redact", checks::scan_redact as fn(&[u8])),
            ("date", checks::date),
        ] {
            if std::panic::catch_unwind(|| check(&input)).is_err() {
                failures += 1;
                std::fs::create_dir_all(out_dir.join(target)).expect("output directory");
                let f = out_dir.join(target).join(format!("crash-{seed}-{i}"));
                std::fs::write(&f, &input).expect("write the failing input");
                eprintln!("{target}: failing input written to {}", f.display());
            }
        }
        if i > 0 && i % 10_000 == 0 {
            eprintln!("{i} inputs, {:?}", started.elapsed());
        }
    }
    eprintln!(
        "{iters} inputs in {:?}, {failures} failures",
        started.elapsed()
    );
    assert_eq!(failures, 0, "see {}", out_dir.display());
}

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A random input: a mutated seed, random bytes or random chars.
    fn input(&mut self, corpus: &[Vec<u8>]) -> Vec<u8> {
        const TRICKY: &[&str] = &[
            "\0",
            "\u{301}",
            "\u{200d}",
            "\u{202e}",
            "\u{fe0f}",
            "[",
            "]",
            "-",
            "/",
            ".",
            ":",
            " ",
            "\n",
            "\r\n",
            "İ",
            "ß",
            "😀",
            "Dr. ",
            "Mr. ",
            "MRN: ",
            "03/14/2021",
            "2021-",
            "March ",
            "555-",
            "@",
            "[NAME]",
            "[DATE-1]",
            "*",
            "'",
            "’",
            "the ",
            "of ",
        ];
        match self.below(4) {
            0 => (0..self.below(300)).map(|_| self.next() as u8).collect(),
            1 => {
                let mut s = String::new();
                for _ in 0..self.below(120) {
                    match self.below(3) {
                        0 => s.push_str(TRICKY[self.below(TRICKY.len())]),
                        1 => s.push(char::from_u32(self.below(0x11_0000) as u32).unwrap_or('?')),
                        _ => s.push((b' ' + self.below(95) as u8) as char),
                    }
                }
                s.into_bytes()
            }
            _ => {
                let mut b = corpus[self.below(corpus.len())].clone();
                for _ in 0..1 + self.below(8) {
                    let at = self.below(b.len() + 1);
                    match self.below(5) {
                        0 if !b.is_empty() => {
                            let end = (at + self.below(8)).min(b.len());
                            b.drain(at.min(end)..end);
                        }
                        1 => b.insert(at, self.next() as u8),
                        2 => {
                            let t = TRICKY[self.below(TRICKY.len())].as_bytes();
                            b.splice(at..at, t.iter().copied());
                        }
                        3 if at < b.len() => b[at] ^= 1 << self.below(8),
                        _ => {
                            let other = &corpus[self.below(corpus.len())];
                            let from = self.below(other.len());
                            let end = (from + self.below(40)).min(other.len());
                            b.splice(at..at, other[from..end].iter().copied());
                        }
                    }
                }
                b
            }
        }
    }
}

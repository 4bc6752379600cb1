//! What the CLI test binaries share: running `deid` and writing input files.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// The `deid` binary under test.
pub const DEID: &str = env!("CARGO_BIN_EXE_deid");

/// Writes `content` to `path`, creating its directories.
pub fn write(path: &Path, content: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, content).expect("write");
}

/// What one run of `deid` left: its exit code and outputs.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stderr ---\n{}\n--- stdout ({} bytes) ---\n{}",
            self.code,
            self.stderr,
            self.stdout.len(),
            self.stdout.chars().take(2000).collect::<String>()
        )
    }
}

/// Runs `deid args...` in `dir`, feeding `stdin` (or nothing).
pub fn run_in<S: AsRef<OsStr>>(dir: &Path, args: &[S], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(DEID)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the deid binary runs");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.unwrap_or_default().to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("deid finishes");
    feeder.join().expect("stdin feeder");
    Run {
        code: out
            .status
            .code()
            .expect("deid exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `deid args...` in `dir`, reads ten bytes of its output and closes the pipe (like
/// `| head -c 10`); returns the exit code and stderr.
pub fn read_ten_bytes_then_close(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(DEID)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("deid runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).expect("ten bytes");
    drop(stdout);
    let out = child.wait_with_output().expect("deid finishes");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

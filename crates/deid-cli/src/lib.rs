//! The `deid` command-line tool as a library: argument parsing, record input and output, and
//! the subcommands. `main.rs` calls [`run`].
//!
//! Exit codes: 0 success; 1 some inputs or records could not be processed (each reported as
//! `path: message` or `path:line: message` on stderr, the rest was processed); 2 usage or
//! configuration error (bad flags, malformed rules, missing secret), nothing processed, or
//! standard output could not be written (one message, the run stops there; a broken pipe is
//! success and stops the run quietly);
//! `deid rules check` exits 1 when the rules have errors; `deid eval` exits 1 when a
//! `--min-recall`/`--min-precision` threshold is not met.

#![forbid(unsafe_code)]

pub mod args;
mod commands;
mod eval;
mod fields;
pub mod records;
mod risk;
pub mod serve;
mod train;

use std::ffi::OsString;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

/// `-q` (0), default (1) or `-v` (2), set once from the flags.
static VERBOSITY: AtomicU8 = AtomicU8::new(1);

/// True under `-q`: no progress bar, warnings or reports on stderr (errors still go there).
pub(crate) fn quiet() -> bool {
    VERBOSITY.load(Ordering::Relaxed) == 0
}

/// True under `-v`: a summary per input on stderr.
pub(crate) fn verbose() -> bool {
    VERBOSITY.load(Ordering::Relaxed) >= 2
}

/// Prints a warning on stderr (`deid: warning: ...`) unless `-q` was given. Warnings never
/// carry note text.
pub(crate) fn warn(message: std::fmt::Arguments<'_>) {
    if !quiet() {
        let _ = writeln!(std::io::stderr(), "deid: warning: {message}");
    }
}

/// Everything went through.
pub const EXIT_OK: i32 = 0;
/// Some inputs or records failed; the others were processed.
pub const EXIT_PARTIAL: i32 = 1;
/// Usage or configuration error: nothing was processed.
pub const EXIT_USAGE: i32 = 2;

/// Parses `argv`, runs the subcommand and returns the process exit code.
pub fn run<I, T>(argv: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    use clap::Parser;
    let cli = match args::Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    VERBOSITY.store(
        if cli.quiet {
            0
        } else if cli.verbose {
            2
        } else {
            1
        },
        Ordering::Relaxed,
    );
    match commands::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return EXIT_OK;
            }
            let _ = writeln!(std::io::stderr(), "deid: {e:#}");
            EXIT_USAGE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

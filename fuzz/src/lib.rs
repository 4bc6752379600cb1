//! Shared checks of the deid fuzz targets (also replayed by
//! `crates/deid-core/tests/fuzz_regressions.rs`, which includes `checks.rs`).

mod checks;
pub mod cli;

pub use checks::*;

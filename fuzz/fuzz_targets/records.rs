//! Arbitrary bytes as a JSONL or CSV input and as a text document, through the CLI's record
//! parsing: every error has a line, records come in order, nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    deid_fuzz::cli::records(data);
});

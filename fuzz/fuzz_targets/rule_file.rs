//! Arbitrary text as a rule file: pattern, cue and dictionary-index parsing either succeed or
//! return an error naming the file and a line inside it; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|src: &str| {
    deid_fuzz::cli::rule_file(src);
});

//! Arbitrary text through `deid_core::date::parse` and `WrittenDate::shifted`: never panics, and
//! `shifted` is `Some` exactly for valid dates.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    deid_fuzz::date(data);
});

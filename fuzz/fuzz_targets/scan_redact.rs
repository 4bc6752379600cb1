//! Arbitrary bytes, read as lossy UTF-8, through detect and every redaction strategy: spans stay
//! valid, the output is the input with its spans replaced, and redacting twice changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    // The seven engines are built before the first input, so their build (tens of seconds in
    // an instrumented binary) never counts against libFuzzer's per-input timeout.
    init: {
        deid_fuzz::engines();
    },
    |data: &[u8]| {
        deid_fuzz::scan_redact(data);
    }
);

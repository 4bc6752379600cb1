//! Arbitrary bytes, read as lossy UTF-8, through detect and every redaction strategy: spans stay
//! valid, the output is the input with its spans replaced, and redacting twice changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    deid_fuzz::scan_redact(data);
});

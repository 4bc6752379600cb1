use deid_core::*;
#[test]
fn scratch() {
    for n in [i64::MAX, i64::MIN, 1i64 << 40, -(1i64 << 40), 1 << 33] {
        let r = std::panic::catch_unwind(|| date::parse("03/14/2021").unwrap().shifted(n));
        eprintln!("{n}: {r:?}");
    }
}

//! Criterion benches of inputs that are cheap to write and may be costly to scan (`cargo bench
//! -p deid-core --bench pathological`): one 1 MB line of prose, 1 MB of digit runs, `Dr. Smith `
//! repeated to 1 MB, and a million commas. Each is detected once per iteration; throughput is
//! in bytes, so a case that is much slower than ordinary notes stands out.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use deid_core::Deidentifier;

const MB: usize = 1 << 20;

/// `unit` repeated until `size` bytes (cut on a character boundary; the units are ASCII).
fn repeat_to(unit: &str, size: usize) -> String {
    let mut s = unit.repeat(size / unit.len() + 1);
    s.truncate(size);
    s
}

/// Digit runs of 1 to 12 digits separated by single spaces, deterministic.
fn digit_runs(size: usize) -> String {
    let mut s = String::with_capacity(size + 16);
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    while s.len() < size {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = 1 + (x % 12) as usize;
        for i in 0..len {
            s.push(char::from(b'0' + ((x >> (4 * i)) % 10) as u8));
        }
        s.push(' ');
    }
    s.truncate(size);
    s
}

fn bench(c: &mut Criterion) {
    let deid = Deidentifier::builder()
        .build()
        .expect("built-in rules build");
    let prose = "Client reports improved sleep and less worry since the last session, \
        walks daily with her sister, and plans to return to part-time work next month. ";
    let cases = [
        ("one_line_prose_1mb", repeat_to(prose, MB)),
        ("digit_runs_1mb", digit_runs(MB)),
        ("dr_smith_repeated_1mb", repeat_to("Dr. Smith ", MB)),
        ("million_commas", ",".repeat(1_000_000)),
    ];
    let mut g = c.benchmark_group("pathological");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    for (name, text) in &cases {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(*name, |b| b.iter(|| deid.detect(text).len()));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

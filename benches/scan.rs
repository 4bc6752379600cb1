//! Throughput of detection and redaction on seeded synthetic clinical notes
//! (`cargo bench -p deid-core`). Reports bytes per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use deid_core::Deidentifier;

include!("../tests/support/synth.rs");

fn bench(c: &mut Criterion) {
    let deid = Deidentifier::builder()
        .build()
        .expect("built-in rules build");
    let corpus = synthetic_corpus(7, 400);
    let bytes: usize = corpus.iter().map(String::len).sum();
    let mut g = c.benchmark_group("deid");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("detect_one_thread", |b| {
        b.iter(|| corpus.iter().map(|t| deid.detect(t).len()).sum::<usize>())
    });
    g.bench_function("redact_one_thread", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|t| deid.redact(t).text.len())
                .sum::<usize>()
        })
    });
    g.bench_function("redact_batch_all_cores", |b| {
        b.iter(|| deid.redact_batch(&corpus).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

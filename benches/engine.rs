//! Criterion benches of the engine at the sizes a user meets (`cargo bench -p deid-core --bench
//! engine`): building it, one short note, one 64 KB note, a 1,000-note batch on one thread and
//! on all threads, each redaction strategy, and the risk assessment. Text is synthetic (the
//! seeded notes of tests/support/synth.rs and the examples/ notes); throughput is in bytes.
//! Sample sizes and times are small so that a whole `cargo bench` run lasts minutes.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use deid_core::risk::RiskOptions;
use deid_core::{DateShift, Deidentifier, Strategy};

include!("../tests/support/synth.rs");

/// About 300 bytes: a header and two lines, with a name, a date, a phone number and an MRN.
const SHORT_NOTE: &str = "Progress note 03/14/2024. Client Maria Okafor (MRN 40211873) seen \
for follow-up of depression; PHQ-9 11, down from 16. Sleep improved on sertraline 50 mg. Her \
sister Aisha called from (614) 555-0182 to confirm the next visit on 03/28/2024. Plan: continue \
CBT, review the safety plan. Signed: Dr. Tomasz Reed, LCSW.";

const EXAMPLES: [&str; 4] = [
    include_str!("../examples/progress_note.txt"),
    include_str!("../examples/referral_letter.txt"),
    include_str!("../examples/supervision_vignette.txt"),
    include_str!("../examples/teletherapy_note.txt"),
];

/// The example notes, one after another until `size` bytes (cut on a character boundary).
fn long_note(size: usize) -> String {
    let mut s = String::with_capacity(size + 2048);
    for note in EXAMPLES.iter().cycle() {
        if s.len() >= size {
            break;
        }
        s.push_str(note);
        s.push_str("\n\n");
    }
    let mut end = size;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

fn engine() -> Deidentifier {
    Deidentifier::builder()
        .build()
        .expect("built-in rules build")
}

fn small_group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g
}

fn total_bytes(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

fn build(c: &mut Criterion) {
    let mut g = small_group(c, "build");
    // The built-in dictionaries are hashed once per process and shared, so after the first
    // iteration this measures compiling the patterns, loading the model and the rest.
    g.bench_function("builder_build", |b| b.iter(engine));
    g.finish();
}

fn notes(c: &mut Criterion) {
    let deid = engine();
    let long = long_note(64 * 1024);
    let mut g = small_group(c, "note");
    for (name, text) in [("short_300b", SHORT_NOTE), ("long_64kb", long.as_str())] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(format!("detect_{name}"), |b| {
            b.iter(|| deid.detect(text).len())
        });
        g.bench_function(format!("redact_{name}"), |b| {
            b.iter(|| deid.redact(text).text.len())
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let deid = engine();
    let corpus = synthetic_corpus(11, 1000);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    let mut g = small_group(c, "batch_1000_notes");
    g.throughput(Throughput::Bytes(total_bytes(&corpus)));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("detect_batch_1_thread", |b| {
        b.iter(|| one.install(|| deid.detect_batch(&corpus).len()))
    });
    g.bench_function("detect_batch_all_threads", |b| {
        b.iter(|| deid.detect_batch(&corpus).len())
    });
    g.bench_function("redact_batch_1_thread", |b| {
        b.iter(|| one.install(|| deid.redact_batch(&corpus).len()))
    });
    g.bench_function("redact_batch_all_threads", |b| {
        b.iter(|| deid.redact_batch(&corpus).len())
    });
    g.finish();
}

fn strategies(c: &mut Criterion) {
    let corpus = synthetic_corpus(13, 50);
    let secret = [7u8; 32];
    let cases: [(&str, Deidentifier); 5] = [
        ("tag", engine()),
        (
            "numbered",
            Deidentifier::builder()
                .strategy(Strategy::Numbered)
                .build()
                .expect("numbered"),
        ),
        (
            "mask",
            Deidentifier::builder()
                .strategy(Strategy::Mask)
                .build()
                .expect("mask"),
        ),
        (
            "surrogate",
            Deidentifier::builder()
                .strategy(Strategy::Surrogate)
                .secret(secret.to_vec())
                .build()
                .expect("surrogate with a 32-byte secret"),
        ),
        (
            "date_shift_fixed",
            Deidentifier::builder()
                .date_shift(Some(DateShift::fixed(-30).expect("30 days is allowed")))
                .build()
                .expect("fixed date shift"),
        ),
    ];
    let mut g = small_group(c, "strategy_50_notes");
    g.throughput(Throughput::Bytes(total_bytes(&corpus)));
    for (name, deid) in &cases {
        g.bench_function(*name, |b| {
            b.iter(|| {
                corpus
                    .iter()
                    .map(|t| deid.redact(t).text.len())
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

fn risk(c: &mut Criterion) {
    let deid = engine();
    let opts = RiskOptions::default();
    let mut g = small_group(c, "risk");
    for (name, text) in [("short_300b", SHORT_NOTE), ("vignette", EXAMPLES[2])] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| deid.risk(text, &opts).expect("risk assessment").lambda)
        });
    }
    g.finish();
}

criterion_group!(benches, build, notes, batch, strategies, risk);
criterion_main!(benches);

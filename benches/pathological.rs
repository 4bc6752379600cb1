//! Criterion benches of inputs that are cheap to write and may be costly to scan (`cargo bench
//! -p deid-core --bench pathological`): one 1 MB line of prose, 1 MB of digit runs, `Dr. Smith `
//! repeated to 1 MB, a million commas, one 1 MB word of capitals, 1 MB chains of `Ab-`, `A.`
//! and `St. `, and 1 MB of short group notes run together as one
//! document (with its quasi-identifier pass, as `deid scan` runs it). Each is detected once per
//! iteration; throughput is in bytes, so a case that is much slower than ordinary notes stands
//! out.

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

/// Short group notes with hundreds of different people, run together to `size` bytes: every
/// document-wide step (initials of known names, people, mentions against mentions) sees
/// them all (each of those steps was once quadratic in the number of people or mentions).
fn notes_as_one_document(size: usize) -> String {
    const GIVEN: [&str; 12] = [
        "Alan", "Tania", "Ruth", "Ngaio", "Declan", "Priya", "Owen", "Marta", "Kofi", "Siobhan",
        "Hemi", "Carys",
    ];
    const FAMILY: [&str; 12] = [
        "Reyes", "Moore", "Okafor", "Walker", "Byrne", "Sharma", "Price", "Nowak", "Mensah",
        "Doyle", "Parata", "Pugh",
    ];
    let mut s = String::with_capacity(size + 512);
    let mut i = 0usize;
    while s.len() < size {
        let (a, b) = (i % 12, (i / 12) % 12);
        let (g, f) = (GIVEN[a], FAMILY[b]);
        let (g2, f2) = (GIVEN[(a + 5) % 12], FAMILY[(b + 7) % 12]);
        s.push_str(&format!(
            "Group session {i}. Present: {g} {f} (Member A), {g2} {f2}, {}{}.\n\
             {g}, a 34-year-old pharmacist from Elko, NV, said her twin brother died in the \
             2019 mill fire; {g2} is one of eleven children and works nights at the cannery.\n\n",
            &g2[..1],
            &f2[..1],
        ));
        i += 1;
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
        // One word of capitals, and chains in which nearly every byte starts a rule's match.
        ("one_word_of_capitals_1mb", repeat_to("ABCDEFGHIJ", MB)),
        ("hyphen_chain_1mb", repeat_to("Ab-", MB)),
        ("dotted_initials_1mb", repeat_to("A.", MB)),
        ("saint_repeated_1mb", repeat_to("St. ", MB)),
    ];
    let mut g = c.benchmark_group("pathological");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    for (name, text) in &cases {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(*name, |b| b.iter(|| deid.detect(text).len()));
    }
    let notes = notes_as_one_document(MB);
    g.throughput(Throughput::Bytes(notes.len() as u64));
    g.bench_function("notes_as_one_document_1mb", |b| {
        b.iter(|| {
            let spans = deid.detect(&notes);
            let quasi =
                deid_core::risk::mentions_by_piece(&notes, &spans, None).map_or(0, |m| m.len());
            spans.len() + quasi
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

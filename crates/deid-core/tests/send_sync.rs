//! The built engine is immutable and shared between threads.

use deid_core::{Deidentifier, Redacted, Strategy};
use std::sync::Arc;

/// Compiles only while `Deidentifier` (and what it hands out) is `Send + Sync`.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Deidentifier>();
    assert_send_sync::<Arc<Deidentifier>>();
    assert_send_sync::<Redacted>();
    assert_send_sync::<deid_core::Span>();
    assert_send_sync::<deid_core::RuleSet>();
    assert_send_sync::<deid_core::Error>();
};

#[test]
fn one_engine_used_from_four_threads() {
    let deid = Arc::new(
        Deidentifier::builder()
            .strategy(Strategy::Numbered)
            .build()
            .expect("built-in rules build"),
    );
    let notes: Vec<String> = (0..4)
        .map(|i| {
            format!(
                "Client: Maria Lopez\nDOB: 03/14/198{i}\nCall 617-555-013{i}. Mr. Lopez came too. Note {i}."
            )
        })
        .collect();
    let expected: Vec<Redacted> = notes.iter().map(|n| deid.redact(n)).collect();
    let handles: Vec<_> = notes
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, note)| {
            let deid = Arc::clone(&deid);
            std::thread::spawn(move || {
                let mut last = None;
                for _ in 0..25 {
                    let r = deid.redact(&note);
                    assert!(!r.text.contains("Maria Lopez"), "thread {i}");
                    last = Some(r);
                }
                last.expect("25 runs")
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let got = h.join().expect("no thread panicked");
        assert_eq!(got, expected[i], "thread {i} saw a different result");
    }
}

#[test]
fn scoped_threads_borrow_one_engine() {
    let deid = Deidentifier::builder()
        .build()
        .expect("built-in rules build");
    let text = "Seen by Dr. Jane Roe on 03/14/2021, call 617-555-0134.";
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                assert_eq!(
                    deid.redact(text).text,
                    "Seen by [NAME] on [DATE], call [PHONE]."
                )
            });
        }
    });
}

//! Accuracy guard: scores the gold corpora with the built-in rules and model and fails when
//! overall or per-category entity-level recall or precision drops below the figures recorded in
//! `tests/accuracy/baseline.toml`. Each entry names a split: `heldout` is the third of the
//! patients or templates the built-in model was never fitted to (the figures that count),
//! `train` the rest. Raise the baseline when detection improves:
//! `deid eval <corpus> --split heldout --json` prints the figures.

use deid_core::eval::{self, LabelMap};
use deid_core::Deidentifier;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Baseline {
    corpus: BTreeMap<String, CorpusBaseline>,
}

#[derive(serde::Deserialize)]
struct CorpusBaseline {
    /// Path relative to the repository root.
    path: String,
    /// `all` (default), `train` or `heldout`.
    #[serde(default)]
    split: Option<String>,
    /// category (or ALL) -> [recall, precision]
    entity: BTreeMap<String, [f64; 2]>,
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn accuracy_does_not_regress() {
    let baseline: Baseline = toml::from_str(
        &std::fs::read_to_string(root().join("tests/accuracy/baseline.toml")).unwrap(),
    )
    .unwrap();
    let deid = Deidentifier::builder().build().unwrap();
    let map = LabelMap::default();
    let mut problems = Vec::new();
    for (name, b) in &baseline.corpus {
        let p = root().join(&b.path);
        let docs = if p.is_dir() {
            let text = std::fs::read_to_string(p.join("id.text"));
            let phr = std::fs::read_to_string(p.join("id-phi.phrase"));
            match (text, phr) {
                (Ok(t), Ok(ph)) => eval::load_physionet(&t, &ph, &map).unwrap(),
                _ => {
                    assert!(
                        std::env::var_os("CI").is_none(),
                        "{name}: corpus missing at {}",
                        p.display()
                    );
                    eprintln!("skipping {name}: corpus not found at {}", p.display());
                    continue;
                }
            }
        } else {
            eval::load_jsonl(&std::fs::read_to_string(&p).unwrap(), &map).unwrap()
        };
        let split = match b.split.as_deref() {
            None | Some("all") => eval::Split::All,
            Some("train") => eval::Split::Train,
            Some("heldout") => eval::Split::Heldout,
            Some(other) => panic!("{name}: unknown split {other:?}"),
        };
        let docs: Vec<_> = docs.into_iter().filter(|d| split.keeps(d)).collect();
        let rep = eval::evaluate(&deid, &docs, false);
        for (cat, [r, pr]) in &b.entity {
            let Some(s) = rep.entity.get(cat) else {
                problems.push(format!("{name} {cat}: no score"));
                continue;
            };
            if s.gold > 0 && s.recall + 1e-9 < *r {
                problems.push(format!(
                    "{name} {cat}: recall {:.4} < baseline {r}",
                    s.recall
                ));
            }
            if s.detected > 0 && s.precision + 1e-9 < *pr {
                problems.push(format!(
                    "{name} {cat}: precision {:.4} < baseline {pr}",
                    s.precision
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "accuracy regressed:\n{}",
        problems.join("\n")
    );
}

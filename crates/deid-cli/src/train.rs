//! `deid train`: fit the learned scorer to gold corpora and write `DIR/model/names.bin`.

use crate::args::TrainArgs;
use crate::eval::{label_map, load_corpus, split_of};
use crate::EXIT_OK;
use anyhow::{bail, Context, Result};
use deid_core::train::{self, TrainOptions};
use deid_core::RuleSet;
use std::io::Write;

pub(crate) fn run(a: TrainArgs) -> Result<i32> {
    let map = label_map(a.label_map.as_deref())?;
    let split = split_of(a.split);
    let mut docs = Vec::new();
    let mut sources = Vec::new();
    let corpora = a
        .gold
        .iter()
        .map(|p| (p, split))
        .chain(a.gold_all.iter().map(|p| (p, deid_core::eval::Split::All)));
    for (p, split) in corpora {
        let all = load_corpus(p, None, &map)?;
        let n_all = all.len();
        let kept: Vec<_> = all.into_iter().filter(|d| split.keeps(d)).collect();
        sources.push(format!(
            "{} ({} of {} documents)",
            p.display(),
            kept.len(),
            n_all
        ));
        docs.extend(kept);
    }
    if docs.is_empty() {
        bail!("no training documents in the chosen split");
    }
    let rules = match &a.rules {
        Some(d) => RuleSet::builtin_with_dir(d)?,
        None => RuleSet::builtin(),
    };
    let opts = TrainOptions {
        seed: a.seed,
        epochs: a.epochs,
        augment: a.augment,
        beta: a.beta,
        ..TrainOptions::default()
    };
    let started = std::time::Instant::now();
    let trained = train::train(&rules, &docs, &opts)?;
    let dir = a.out.join("model");
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let path = dir.join("names.bin");
    write_atomic(&path, &trained.model.to_bytes())?;
    let split_name = format!("{:?}", a.split).to_lowercase();
    let readme = format!(
        "# Learned name, place and organisation scorer\n\n\
         Made by `deid train` (deid {}). Rebuild with:\n\n```\ndeid train {} --split {} --seed {} --epochs {} --augment {} --beta {} --out {}\n```\n\n\
         Data (before augmentation): {}.\n\n\
         Model: {}.\n\n\
         Threshold calibration on a fifth of the training groups held aside: token recall {:.3}, token precision {:.3}.\n",
        env!("CARGO_PKG_VERSION"),
        a.gold
            .iter()
            .map(|g| format!("--gold {}", g.display()))
            .chain(a.gold_all.iter().map(|g| format!("--gold-all {}", g.display())))
            .collect::<Vec<_>>()
            .join(" "),
        split_name,
        a.seed,
        a.epochs,
        a.augment,
        a.beta,
        a.out.display(),
        sources.join("; "),
        trained.model.provenance(),
        trained.calibration.0,
        trained.calibration.1,
    );
    write_atomic(&dir.join("README.md"), readme.as_bytes())?;
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "deid train: {} documents, {} candidate tokens per epoch ({} identifier tokens), threshold {:.1}, calibration token recall {:.3} precision {:.3}, {:.1} s -> {}",
        trained.documents,
        trained.tokens,
        trained.identifier_tokens,
        trained.model.threshold(),
        trained.calibration.0,
        trained.calibration.1,
        started.elapsed().as_secs_f64(),
        path.display()
    )?;
    Ok(EXIT_OK)
}

fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let parent = path.parent().unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(parent)
        .with_context(|| format!("{}: cannot create a temporary file", parent.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}

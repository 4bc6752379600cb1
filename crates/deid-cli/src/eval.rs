//! `deid eval`: load a gold corpus, detect on all cores, print the scores.

use crate::args::{EvalArgs, GoldFormat, SplitArg};
use crate::{EXIT_OK, EXIT_PARTIAL};
use anyhow::{anyhow, bail, Context, Result};
use deid_core::eval::{self, GoldDoc, LabelMap, Report, Score};
use deid_core::Deidentifier;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

fn read(p: &Path) -> Result<String> {
    let b = std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
    String::from_utf8(b).map_err(|e| {
        anyhow!(
            "{}: not valid UTF-8 (byte {})",
            p.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

fn guess(p: &Path) -> Result<GoldFormat> {
    if p.is_dir() {
        if p.join("id.text").exists() {
            return Ok(GoldFormat::Physionet);
        }
        return Ok(GoldFormat::Brat);
    }
    if p.extension().is_some_and(|e| e == "jsonl" || e == "json") {
        return Ok(GoldFormat::Jsonl);
    }
    bail!(
        "{}: cannot tell the corpus format; pass --format",
        p.display()
    )
}

pub(crate) fn split_of(s: SplitArg) -> eval::Split {
    match s {
        SplitArg::All => eval::Split::All,
        SplitArg::Train => eval::Split::Train,
        SplitArg::Heldout => eval::Split::Heldout,
    }
}

pub(crate) fn label_map(file: Option<&Path>) -> Result<LabelMap> {
    let mut map = LabelMap::default();
    if let Some(f) = file {
        map.extend_from_toml(&read(f)?)
            .map_err(|e| anyhow!("{}: {e}", f.display()))?;
    }
    Ok(map)
}

/// Loads a gold corpus in any supported format.
pub(crate) fn load_corpus(
    p: &Path,
    format: Option<GoldFormat>,
    map: &LabelMap,
) -> Result<Vec<GoldDoc>> {
    let fmt = match format {
        Some(f) => f,
        None => guess(p)?,
    };
    match fmt {
        GoldFormat::Physionet => {
            let text = read(&p.join("id.text"))?;
            let phr = read(&p.join("id-phi.phrase"))?;
            eval::load_physionet(&text, &phr, map).map_err(|e| anyhow!("{}: {e}", p.display()))
        }
        GoldFormat::Jsonl => {
            eval::load_jsonl(&read(p)?, map).map_err(|e| anyhow!("{}: {e}", p.display()))
        }
        GoldFormat::Brat => {
            let mut docs = Vec::new();
            let mut txts: Vec<_> = std::fs::read_dir(p)
                .with_context(|| format!("{}: cannot list", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|x| x.extension().is_some_and(|e| e == "txt"))
                .collect();
            txts.sort();
            for t in txts {
                let ann = t.with_extension("ann");
                if !ann.exists() {
                    continue;
                }
                let id = t
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default();
                docs.push(
                    eval::load_brat(&id, &read(&t)?, &read(&ann)?, map)
                        .map_err(|e| anyhow!("{}: {e}", p.display()))?,
                );
            }
            if docs.is_empty() {
                bail!("{}: no .txt/.ann pairs found", p.display());
            }
            Ok(docs)
        }
    }
}

fn table(out: &mut impl Write, title: &str, t: &BTreeMap<String, Score>) -> std::io::Result<()> {
    writeln!(out, "{title}")?;
    writeln!(
        out,
        "  {:<16} {:>7} {:>7} {:>8} {:>8} {:>7} {:>7} {:>7} {:>7}",
        "category", "gold", "found", "detected", "correct", "recall", "prec", "F1", "F2"
    )?;
    let mut rows: Vec<(&str, &Score)> = t
        .iter()
        .filter(|(k, _)| k.as_str() != "ALL")
        .map(|(k, s)| (k.as_str(), s))
        .collect();
    rows.sort_by_key(|(_, s)| std::cmp::Reverse(s.gold));
    if let Some(all) = t.get("ALL") {
        rows.push(("ALL", all));
    }
    for (k, s) in rows {
        let pct = |x: f64, n: usize| {
            if n == 0 {
                "     -".to_string()
            } else {
                format!("{x:7.3}")
            }
        };
        writeln!(
            out,
            "  {:<16} {:>7} {:>7} {:>8} {:>8} {} {} {:7.3} {:7.3}",
            k,
            s.gold,
            s.found,
            s.detected,
            s.correct,
            pct(s.recall, s.gold),
            pct(s.precision, s.detected),
            s.f1,
            s.f2
        )?;
    }
    Ok(())
}

pub(crate) fn run(a: EvalArgs) -> Result<i32> {
    let map = label_map(a.label_map.as_deref())?;
    let split = split_of(a.split);
    let docs: Vec<GoldDoc> = load_corpus(&a.corpus, a.format, &map)?
        .into_iter()
        .filter(|d| split.keeps(d))
        .collect();
    if docs.is_empty() {
        bail!("{}: no documents in this split", a.corpus.display());
    }
    let mut b = Deidentifier::builder()
        .years(!a.no_years)
        .model(!a.no_model)
        .rule_detectors(!a.model_only)
        .min_confidence(a.min_confidence);
    if let Some(r) = &a.rules {
        b = b.rules_dir(r);
    }
    let deid = b.build()?;
    let started = std::time::Instant::now();
    let report: Report = eval::evaluate(&deid, &docs, a.show_misses);
    let secs = started.elapsed().as_secs_f64();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if a.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
        writeln!(
            out,
            "corpus: {} ({} documents, {:.1} MB, scored in {secs:.2} s)",
            a.corpus.display(),
            report.documents,
            bytes as f64 / 1e6
        )?;
        writeln!(out, "convention: entity level = a gold span is found when a detection overlaps it; a detection is correct when it overlaps a gold span.")?;
        writeln!(out, "recall is per gold category (any detected category counts); precision is per detected category.")?;
        table(
            &mut out,
            "\nentity level, direct identifiers",
            &report.entity,
        )?;
        table(
            &mut out,
            "\ncharacter level, direct identifiers",
            &report.character,
        )?;
        if !report.quasi.is_empty() {
            table(&mut out, "\nentity level, quasi-identifiers", &report.quasi)?;
        }
        if a.show_misses {
            writeln!(out, "\n# WARNING: the lines below quote the corpus and contain identifiers. Do not log them.")?;
            for e in &report.errors {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{:?}\t{}",
                    e.doc, e.what, e.label, e.rule, e.text, e.context
                )?;
            }
        }
    }
    out.flush()?;
    let all = report.entity.get("ALL").cloned().unwrap_or_default();
    let mut code = EXIT_OK;
    if let Some(r) = a.min_recall {
        if all.recall < r {
            eprintln!("deid: recall {:.4} is below --min-recall {r}", all.recall);
            code = EXIT_PARTIAL;
        }
    }
    if let Some(p) = a.min_precision {
        if all.precision < p {
            eprintln!(
                "deid: precision {:.4} is below --min-precision {p}",
                all.precision
            );
            code = EXIT_PARTIAL;
        }
    }
    Ok(code)
}

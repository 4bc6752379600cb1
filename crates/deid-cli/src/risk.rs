//! `deid risk` and `deid vignette`: re-identification risk of what remains once direct
//! identifiers are removed, and the supervision-vignette rewrite.

use crate::args::{InputArgs, InputFormat};
use crate::records::{self, RecordError, Source};
use crate::{EXIT_OK, EXIT_PARTIAL};
use anyhow::{anyhow, bail, Result};
use clap::{Args, ValueEnum};
use deid_core::risk::{Assessment, Audience, RiskOptions, Slot, Vignette};
use deid_core::{Deidentifier, OffsetMap};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::io::Write;

/// Who will read the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    /// A colleague in the same service and town (k = 5).
    Supervision,
    /// A case conference or teaching outside the organisation (k = 11).
    Teaching,
    /// Publication (k = 11; Safe Harbor triggers apply).
    Publication,
    /// A research dataset (k = 11; Safe Harbor triggers apply).
    Research,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Audience {
        match a {
            AudienceArg::Supervision => Audience::Supervision,
            AudienceArg::Teaching => Audience::Teaching,
            AudienceArg::Publication => Audience::Publication,
            AudienceArg::Research => Audience::Research,
        }
    }
}

/// Flags shared by `risk` and `vignette`.
#[derive(Debug, Args)]
pub struct RiskFlags {
    /// Who will read it: sets k (5 for supervision, 11 otherwise) and the hard triggers.
    #[arg(long, value_enum, default_value_t = AudienceArg::Supervision)]
    pub audience: AudienceArg,
    /// Size of the community the readers live in (default: a place named in the text, else
    /// 10,000).
    #[arg(long, value_name = "N")]
    pub population: Option<u64>,
    /// The community by name, looked up in the place tables: "Tillamook, OR", "Ennis, Ireland".
    #[arg(long, value_name = "PLACE")]
    pub place: Option<String>,
    /// Country to prefer for ambiguous place names: US, UK, IE, CA, AU or NZ.
    #[arg(long, value_name = "CODE")]
    pub country: Option<String>,
    /// Clinically essential details (slots such as condition, family, event): generalised
    /// last, never silently; comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "SLOT")]
    pub keep: Vec<String>,
    /// Print JSON (one object per document or record).
    #[arg(long)]
    pub json: bool,
    /// Assess the text as written: named organisations, ZIP codes and ages over 89 count too
    /// (by default they are assumed removed by `deid redact`, and a named place only tells
    /// which community the readers share with the client).
    #[arg(long)]
    pub as_written: bool,
    /// JSONL field / CSV column giving a record's audience (overrides --audience).
    #[arg(long, default_value = "audience", value_name = "FIELD")]
    pub audience_field: String,
    /// JSONL field / CSV column giving a record's community size (overrides --population).
    #[arg(long, default_value = "population", value_name = "FIELD")]
    pub population_field: String,
    /// JSONL field / CSV column giving a record's community by name (overrides --place).
    #[arg(long, default_value = "place", value_name = "FIELD")]
    pub place_field: String,
    /// JSONL field / CSV column giving a record's country (overrides --country).
    #[arg(long, default_value = "country", value_name = "FIELD")]
    pub country_field: String,
}

/// `deid risk`
#[derive(Debug, Args)]
pub struct RiskArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub risk: RiskFlags,
    /// Assess every note of a client together (the mosaic effect): JSONL field or CSV column
    /// holding the client key; one assessment per client, saying which note added what.
    #[arg(long, alias = "key-field", value_name = "FIELD")]
    pub client_field: Option<String>,
}

/// `deid vignette`
#[derive(Debug, Args)]
pub struct VignetteArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub risk: RiskFlags,
}

struct Doc {
    id: String,
    text: String,
    opts: RiskOptions,
    client: Option<String>,
}

/// The options the flags give (also used by `deid serve` for a request's fields).
pub(crate) fn base_options(f: &RiskFlags) -> Result<RiskOptions> {
    let mut keep = Vec::new();
    for k in &f.keep {
        let slot: Slot = k.parse().map_err(|_| {
            let known: Vec<&str> = Slot::ALL.iter().map(|s| s.as_str()).collect();
            anyhow!("unknown --keep slot {k:?} (known: {})", known.join(", "))
        })?;
        keep.push(slot);
    }
    let country = match &f.country {
        Some(c) => Some(
            deid_core::risk::country_code(c)
                .ok_or_else(|| anyhow!("--country must be one of US, UK, IE, CA, AU, NZ"))?,
        ),
        None => None,
    };
    if f.population == Some(0) {
        bail!("--population must be at least 1");
    }
    Ok(RiskOptions {
        audience: f.audience.into(),
        population: f.population,
        place: f.place.clone(),
        country,
        keep,
        as_written: f.as_written,
    })
}

/// Per-record overrides: audience, population, place, country.
fn overrides(
    base: &RiskOptions,
    f: &RiskFlags,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<RiskOptions, String> {
    let mut o = base.clone();
    if let Some(a) = get(&f.audience_field).filter(|s| !s.trim().is_empty()) {
        o.audience = a
            .parse()
            .map_err(|_| format!("field {:?}: unknown audience", f.audience_field))?;
    }
    if let Some(p) = get(&f.population_field).filter(|s| !s.trim().is_empty()) {
        let n: f64 = p
            .trim()
            .replace(',', "")
            .parse()
            .map_err(|_| format!("field {:?}: not a number", f.population_field))?;
        if !(1.0..1e10).contains(&n) {
            return Err(format!("field {:?}: out of range", f.population_field));
        }
        o.population = Some(n as u64);
    }
    if let Some(p) = get(&f.place_field).filter(|s| !s.trim().is_empty()) {
        o.place = Some(p);
    }
    if let Some(c) = get(&f.country_field).filter(|s| !s.trim().is_empty()) {
        o.country = Some(deid_core::risk::country_code(&c).ok_or_else(|| {
            format!(
                "field {:?}: not one of US, UK, IE, CA, AU, NZ",
                f.country_field
            )
        })?);
    }
    Ok(o)
}

fn value_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A client's notes joined, its assessment, and each note's byte range and id.
type ClientResult = Result<(String, Assessment, Vec<(usize, usize, String)>), String>;

/// One JSONL or CSV record as a document: its per-record options and client key.
fn record_doc(
    base: &RiskOptions,
    f: &RiskFlags,
    client_field: Option<&str>,
    line: usize,
    get: &dyn Fn(&str) -> Option<String>,
    id_text: impl FnOnce() -> (String, String),
) -> Result<Doc, RecordError> {
    let at = |message: String| RecordError {
        line: Some(line),
        message,
    };
    let opts = overrides(base, f, get).map_err(at)?;
    let client = match client_field {
        Some(cf) => Some(get(cf).ok_or_else(|| at(format!("no client field {cf:?}")))?),
        None => None,
    };
    let (id, text) = id_text();
    Ok(Doc {
        id,
        text,
        opts,
        client,
    })
}

/// Reads every source into documents; returns them and whether anything failed.
fn read_docs(
    input: &InputArgs,
    f: &RiskFlags,
    client_field: Option<&str>,
) -> Result<(Vec<Source>, Vec<Doc>, bool)> {
    let base = base_options(f)?;
    let (sources, errors) = records::expand(&input.paths);
    let sources = records::rename(sources, input.ids);
    let mut failed = false;
    for e in &errors {
        let _ = writeln!(std::io::stderr(), "deid: {e}");
        failed = true;
    }
    let mut docs = Vec::new();
    let report = crate::commands::report_error;
    for src in sources.iter() {
        let max = input.max_document_size;
        let read = match input.input_format {
            InputFormat::Text => records::read_source(src, max, "document size"),
            _ => records::read_source(
                src,
                max.saturating_mul(records::RECORD_FILE_FACTOR),
                "JSONL/CSV file size",
            ),
        };
        let bytes = match read {
            Ok(b) => b,
            Err(e) => {
                report(src, &e);
                failed = true;
                continue;
            }
        };
        match input.input_format {
            InputFormat::Text => match records::as_text(&bytes) {
                Ok(t) => docs.push(Doc {
                    id: src.id(),
                    text: t.to_string(),
                    opts: base.clone(),
                    client: None,
                }),
                Err(e) => {
                    report(src, &e);
                    failed = true;
                }
            },
            InputFormat::Jsonl => {
                for r in records::parse_jsonl(&bytes, &input.text_field, &input.id_field, None) {
                    let made = r.and_then(|rec| {
                        let len = rec.text(&input.text_field).len();
                        if let Some(e) = records::too_large(Some(rec.line), len, max) {
                            return Err(e);
                        }
                        let get = |k: &str| rec.object.get(k).and_then(value_str);
                        record_doc(&base, f, client_field, rec.line, &get, || {
                            (rec.id.clone(), rec.text(&input.text_field).to_string())
                        })
                    });
                    match made {
                        Ok(d) => docs.push(d),
                        Err(e) => {
                            report(src, &e);
                            failed = true;
                        }
                    }
                }
            }
            InputFormat::Csv => {
                let table =
                    match records::parse_csv(&bytes, &input.text_field, &input.id_field, None) {
                        Ok(t) => t,
                        Err(e) => {
                            report(src, &e);
                            failed = true;
                            continue;
                        }
                    };
                let col = |name: &str| table.header.iter().position(|h| h == name);
                for r in &table.rows {
                    let made = r.as_ref().map_err(Clone::clone).and_then(|row| {
                        let len = row.fields[table.text_col].len();
                        if let Some(e) = records::too_large(Some(row.line), len, max) {
                            return Err(e);
                        }
                        let get = |k: &str| col(k).map(|i| row.fields[i].clone());
                        record_doc(&base, f, client_field, row.line, &get, || {
                            (row.id.clone(), row.fields[table.text_col].clone())
                        })
                    });
                    match made {
                        Ok(d) => docs.push(d),
                        Err(e) => {
                            report(src, &e);
                            failed = true;
                        }
                    }
                }
            }
        }
    }
    Ok((sources, docs, failed))
}

fn range_json(map: &OffsetMap, s: usize, e: usize) -> Value {
    json!({"start": map.char_offset(s), "end": map.char_offset(e), "byte_start": s, "byte_end": e})
}

fn round(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let mag = x.abs().log10().floor() as i32;
    let scale = 10f64.powi((digits - 1 - mag).max(0));
    (x * scale).round() / scale
}

/// The JSON object of an assessment (no note text in it).
pub(crate) fn assessment_json(id: &str, text: &str, a: &Assessment) -> Map<String, Value> {
    let map = OffsetMap::new(text);
    let mut o = Map::new();
    o.insert("id".into(), json!(id));
    o.insert("level".into(), json!(a.level.as_str()));
    o.insert("lambda".into(), json!(round(a.lambda, 3)));
    o.insert("lambda_q".into(), json!(round(a.lambda_q, 3)));
    o.insert("k".into(), json!(a.k));
    o.insert("audience".into(), json!(a.audience.as_str()));
    o.insert(
        "population".into(),
        json!({"value": a.population.value, "source": a.population.source}),
    );
    o.insert(
        "triggers".into(),
        Value::Array(
            a.triggers
                .iter()
                .map(|t| {
                    json!({"kind": t.kind, "reason": t.reason,
                           "spans": t.spans.iter().map(|&(s, e)| range_json(&map, s, e)).collect::<Vec<_>>()})
                })
                .collect(),
        ),
    );
    o.insert(
        "drivers".into(),
        Value::Array(
            a.drivers
                .iter()
                .map(|d| {
                    json!({"attribute": d.attribute.as_str(), "value": d.value, "holder": d.holder.as_str(),
                           "bits": round(d.bits, 3), "share": round(d.share, 3), "basis": d.basis,
                           "spans": d.spans.iter().map(|&(s, e)| range_json(&map, s, e)).collect::<Vec<_>>()})
                })
                .collect(),
        ),
    );
    o.insert("reasons".into(), json!(a.reasons));
    o.insert(
        "suggestions".into(),
        Value::Array(
            a.suggestions
                .iter()
                .map(|s| {
                    let mut v = range_json(&map, s.start, s.end);
                    v["attribute"] = json!(s.attribute.as_str());
                    v["replacement"] = json!(s.replacement);
                    v["reason"] = json!(s.reason);
                    v["lambda_after"] = json!(round(s.lambda_after, 3));
                    v
                })
                .collect(),
        ),
    );
    o.insert("sensitive".into(), json!(a.sensitive));
    o.insert(
        "mentions".into(),
        Value::Array(
            a.mentions
                .iter()
                .map(|m| {
                    let mut v = range_json(&map, m.start, m.end);
                    v["slot"] = json!(m.slot.as_str());
                    v["value"] = json!(&*m.value);
                    v["holder"] = json!(m.holder.as_str());
                    v
                })
                .collect(),
        ),
    );
    o
}

/// Readable report for a clinician.
pub(crate) fn assessment_text(id: &str, text: &str, a: &Assessment) -> String {
    let mut s = String::new();
    let label = match a.level.as_str() {
        "red" => "RED (likely identifiable)",
        "amber" => "AMBER (few others match)",
        _ => "GREEN (many others match)",
    };
    s.push_str(&format!("{id}: {label} for {}\n", a.audience.as_str()));
    for r in &a.reasons {
        s.push_str(&format!("  {r}\n"));
    }
    if !a.drivers.is_empty() {
        s.push_str("  Details about the client that narrow it down:\n");
        for d in &a.drivers {
            let phrase: Vec<&str> = d
                .spans
                .iter()
                .take(2)
                .map(|&(st, en)| &text[st..en])
                .collect();
            s.push_str(&format!(
                "    - {:<12} {:<28} {:>5.1} bits  (\"{}\"{})\n",
                d.attribute.plain(),
                d.value,
                d.bits,
                phrase.join("\", \""),
                if d.holder == deid_core::risk::Holder::Other {
                    ", a relative's"
                } else {
                    ""
                }
            ));
        }
    }
    if !a.suggestions.is_empty() {
        s.push_str("  Suggested generalisations (in order):\n");
        for g in &a.suggestions {
            let rep = if g.replacement.is_empty() {
                "(leave out)".to_string()
            } else {
                format!("\"{}\"", g.replacement)
            };
            s.push_str(&format!(
                "    - \"{}\" -> {rep}  ({}; then about {} others match)\n",
                &text[g.start..g.end],
                g.reason,
                if g.lambda_after >= 10.0 {
                    format!("{:.0}", g.lambda_after)
                } else {
                    format!("{:.1}", g.lambda_after)
                }
            ));
        }
    }
    s.push_str("  This supports your judgement; it is not a HIPAA Expert Determination.\n");
    s
}

fn build_engine(input: &InputArgs) -> Result<Deidentifier> {
    Ok(crate::commands::builder_for(input)?.build()?)
}

pub(crate) fn run_risk(a: RiskArgs) -> Result<i32> {
    if a.client_field.is_some() && a.input.input_format == InputFormat::Text {
        bail!("--client-field needs --input-format jsonl or csv");
    }
    let deid = build_engine(&a.input)?;
    let pool = crate::commands::pool_for(a.input.threads)?;
    let (_sources, docs, failed) = read_docs(&a.input, &a.risk, a.client_field.as_deref())?;
    let mut out = std::io::BufWriter::new(std::io::stdout());
    if let Some(_cf) = &a.client_field {
        // One assessment per client over all of their notes (in input order).
        let mut clients: Vec<(String, Vec<&Doc>)> = Vec::new();
        for d in &docs {
            let c = d.client.clone().unwrap_or_default();
            match clients.iter_mut().find(|x| x.0 == c) {
                Some(x) => x.1.push(d),
                None => clients.push((c, vec![d])),
            }
        }
        let results: Vec<ClientResult> = pool.install(|| {
            clients
                .par_iter()
                .map(|(c, ds)| {
                    let mut text = String::new();
                    let mut bounds = Vec::new();
                    for d in ds {
                        let s = text.len();
                        text.push_str(&d.text);
                        bounds.push((s, text.len(), d.id.clone()));
                        text.push_str("\n\n");
                    }
                    deid.risk(&text, &ds[0].opts)
                        .map(|r| (text, r, bounds))
                        .map_err(|e| format!("client {c:?}: {e}"))
                })
                .collect()
        });
        for ((c, _), r) in clients.iter().zip(results) {
            let (text, asm, bounds) = r.map_err(|e| anyhow!(e))?;
            let note_of = |pos: usize| {
                bounds
                    .iter()
                    .find(|b| b.0 <= pos && pos <= b.1)
                    .map_or(String::new(), |b| b.2.clone())
            };
            if a.risk.json {
                let mut o = assessment_json(c, &text, &asm);
                o.insert("client".into(), json!(c));
                o.insert(
                    "notes".into(),
                    json!(bounds.iter().map(|b| &b.2).collect::<Vec<_>>()),
                );
                if let Some(Value::Array(ds)) = o.get_mut("drivers") {
                    for (dv, d) in ds.iter_mut().zip(&asm.drivers) {
                        let mut added: Vec<String> =
                            d.spans.iter().map(|&(s, _)| note_of(s)).collect();
                        added.dedup();
                        dv["added_by"] = json!(added);
                    }
                }
                // Offsets refer to the notes joined in order with a blank line between.
                writeln!(out, "{}", Value::Object(o))?;
            } else {
                write!(
                    out,
                    "{}",
                    assessment_text(&format!("client {c}"), &text, &asm)
                )?;
                for d in &asm.drivers {
                    let mut added: Vec<String> = d.spans.iter().map(|&(s, _)| note_of(s)).collect();
                    added.dedup();
                    writeln!(
                        out,
                        "    {} \"{}\" first stated in note {}",
                        d.attribute.plain(),
                        d.value,
                        added.first().cloned().unwrap_or_default()
                    )?;
                }
            }
        }
    } else {
        let results: Vec<Result<Assessment, String>> = pool.install(|| {
            docs.par_iter()
                .map(|d| deid.risk(&d.text, &d.opts).map_err(|e| e.to_string()))
                .collect()
        });
        for (d, r) in docs.iter().zip(results) {
            let asm = r.map_err(|e| anyhow!(e))?;
            if a.risk.json {
                writeln!(
                    out,
                    "{}",
                    Value::Object(assessment_json(&d.id, &d.text, &asm))
                )?;
            } else {
                write!(out, "{}", assessment_text(&d.id, &d.text, &asm))?;
            }
        }
    }
    out.flush()?;
    Ok(if failed { EXIT_PARTIAL } else { EXIT_OK })
}

fn vignette_report(v: &Vignette) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "deid vignette: {} -> {} for {} (about {} -> {} others match; community {} from {})\n",
        v.before.level.as_str(),
        v.after.level.as_str(),
        v.after.audience.as_str(),
        fmt1(v.before.lambda),
        fmt1(v.after.lambda),
        v.after.population.value,
        v.after.population.source
    ));
    for c in &v.changes {
        s.push_str(&format!(
            "  - {} {}: -> \"{}\" ({})\n",
            c.kind, c.label, c.replacement, c.reason
        ));
    }
    if v.after.level != deid_core::risk::Level::Green {
        s.push_str("  Residual risk remains:\n");
        for r in &v.after.reasons {
            s.push_str(&format!("    {r}\n"));
        }
    }
    s
}

fn fmt1(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// The JSON object of a vignette: `{"id", "text", "changes", "before", "after"}`; the changes'
/// offsets refer to `text` (the original), the `after` assessment's to the rewritten text.
pub(crate) fn vignette_json(id: &str, text: &str, v: &Vignette) -> Map<String, Value> {
    let omap = OffsetMap::new(text);
    let mut o = Map::new();
    o.insert("id".into(), json!(id));
    o.insert("text".into(), json!(v.text));
    o.insert(
        "changes".into(),
        Value::Array(
            v.changes
                .iter()
                .map(|c| {
                    let mut x = range_json(&omap, c.start, c.end);
                    x["kind"] = json!(c.kind);
                    x["label"] = json!(c.label);
                    x["replacement"] = json!(c.replacement);
                    x["reason"] = json!(c.reason);
                    x
                })
                .collect(),
        ),
    );
    o.insert(
        "before".into(),
        json!({"level": v.before.level.as_str(), "lambda": round(v.before.lambda, 3)}),
    );
    o.insert(
        "after".into(),
        Value::Object(assessment_json(id, &v.text, &v.after)),
    );
    o
}

pub(crate) fn run_vignette(a: VignetteArgs) -> Result<i32> {
    let deid = build_engine(&a.input)?;
    let pool = crate::commands::pool_for(a.input.threads)?;
    let (_sources, docs, failed) = read_docs(&a.input, &a.risk, None)?;
    let results: Vec<Result<Vignette, String>> = pool.install(|| {
        docs.par_iter()
            .map(|d| deid.vignette(&d.text, &d.opts).map_err(|e| e.to_string()))
            .collect()
    });
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let structured = a.risk.json || a.input.input_format != InputFormat::Text;
    for (d, r) in docs.iter().zip(results) {
        let v = r.map_err(|e| anyhow!(e))?;
        if structured {
            let o = vignette_json(&d.id, &d.text, &v);
            writeln!(out, "{}", Value::Object(o))?;
        } else {
            out.write_all(v.text.as_bytes())?;
            if !v.text.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            if !crate::quiet() {
                out.flush()?;
                let _ = write!(std::io::stderr(), "{}", vignette_report(&v));
            }
        }
    }
    out.flush()?;
    Ok(if failed { EXIT_PARTIAL } else { EXIT_OK })
}

/// Which quasi-identifiers a span list reports next to the direct spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quasi {
    /// None (`deid scan --direct-only`).
    None,
    /// The details that remain once the direct spans are removed, and a named organisation
    /// tied to someone (an employer or a school is a quasi-identifier that redaction happens
    /// to remove): `deid scan`. A named town tied to someone ("lives in Elko") is a direct
    /// identifier (HIPAA's geographic subdivisions) and is the direct span's alone: whose town
    /// it is and its size are in `deid risk --json`'s mentions.
    Remaining,
    /// As `Remaining`, and a named town tied to someone as a quasi span on the direct span's
    /// characters, saying whose it is and its population: the review page (`/api/scan`), which
    /// shows each detail's holder.
    WithTiedPlaces,
}

/// The largest share of people a work status may describe and still be reported by `deid scan`
/// ("retired" 17 %, "a student" 6 %; not "in paid work", 48 %).
const WORK_STATUS_MAX_SHARE: f64 = 0.3;

/// `deid scan`'s spans: the direct detector's direct spans, then the quasi-identifiers the risk
/// estimator reads (with their holder) as `quasi` says. The clinician's own role, speaker
/// labels and negated, hypothetical or generic mentions are not reported.
pub(crate) fn scan_spans(
    text: &str,
    spans: &[deid_core::Span],
    with_text: bool,
    quasi: Quasi,
) -> Value {
    let direct = crate::commands::span_outs(text, spans, with_text, true);
    serde_json::to_value(scan_span_outs(text, spans, direct, with_text, quasi)).unwrap_or_default()
}

/// [`scan_spans`] as the typed spans `deid scan` serialises: `direct` and the
/// quasi-identifiers `quasi` asks for, in order of their start (direct first on a tie).
pub(crate) fn scan_span_outs<'a>(
    text: &'a str,
    spans: &[deid_core::Span],
    mut arr: Vec<crate::commands::SpanOut<'a>>,
    with_text: bool,
    quasi: Quasi,
) -> Vec<crate::commands::SpanOut<'a>> {
    let direct_only = quasi == Quasi::None;
    if direct_only {
        return arr;
    }
    let Ok(ms) = deid_core::risk::mentions_by_piece(text, spans, None) else {
        return arr;
    };
    let map = OffsetMap::new(text);
    for m in &ms {
        // Not the clinician's, not the pronouns, not a diagnosis (the note's clinical content).
        if m.holder == deid_core::risk::Holder::Clinician || m.slot == Slot::Sex || !m.known {
            continue;
        }
        // Only details that narrow the population: not a community's size stated in words
        // (it sets the population) and nothing over 15 % of people ("has a daughter")
        // unless it is a special category (ethnicity, nationality, language, religion), work
        // status ("retired", "works part-time", which the issue counts with occupation) or
        // family structure stated as such ("married", "two children", "lives alone": the
        // structure is a quasi-identifier whatever its share). A bare possessive and
        // relative noun ("her husband", "his son") is evidence of structure, not a statement
        // of it, and is not reported.
        // Work status counts with occupation ("retired", "a student") but not being in paid
        // work at all ("works full time", "works nights": half of all adults), which narrows
        // nothing.
        let reported_any_share = matches!(
            m.slot,
            Slot::Age | Slot::Ethnicity | Slot::Nationality | Slot::Language | Slot::Religion
        ) || m.slot == Slot::Occupation
            && m.share <= WORK_STATUS_MAX_SHARE
            || m.slot == Slot::Family && !deid_core::risk::bare_relative(text, m);
        // A named place or organisation is reported when the text ties it to someone ("lives
        // in Elko", "a cashier at Tesco"): the quasi span carries whose it is and its size,
        // next to the direct span that says it is a name. Other direct finds (a ZIP code) are
        // the direct span's alone; ages are reported either way.
        let named = matches!(m.slot, Slot::Place | Slot::Organisation) && m.from_direct;
        if !reported_any_share && !named && m.share > 0.15 {
            continue;
        }
        if named && !m.tied || m.slot == Slot::Place && !m.from_direct {
            continue;
        }
        if named && m.slot == Slot::Place && quasi != Quasi::WithTiedPlaces {
            continue;
        }
        if m.from_direct && !named && m.slot != Slot::Age {
            continue;
        }
        // A personal event is a quasi-identifier when the text places it in time ("was
        // laid off in September", "died in a car crash in August"); an undated one ("was
        // laid off") is the note's story, not a detail an acquaintance would recognise.
        // An event that only restates the incident named beside it is reported once.
        if m.slot == Slot::Event
            && (!m.anchor && !m.dated() || deid_core::risk::restates_event(text, m, &ms))
        {
            continue;
        }
        let value: std::borrow::Cow<'_, str> = match (m.slot, m.population) {
            (Slot::Place, Some(n)) => format!("{} (population {n})", m.value).into(),
            _ => m.value.to_string().into(),
        };
        arr.push(crate::commands::SpanOut {
            start: map.char_offset(m.start),
            end: map.char_offset(m.end),
            byte_start: m.start,
            byte_end: m.end,
            label: m.slot.as_str().to_ascii_uppercase().into(),
            kind: "quasi",
            rule: format!("risk.{}", m.slot.as_str()).into(),
            confidence: 0.6,
            holder: Some(m.holder.as_str()),
            value: Some(value),
            text: with_text.then(|| &text[m.start..m.end]),
        });
    }
    arr.sort_by_key(|s| s.byte_start);
    arr
}

//! Evaluation against gold corpora: loaders for the PhysioNet layout, BRAT standoff and JSONL,
//! a label map from corpus types to categories, and entity- and character-level scores.

use crate::category::{Category, Kind};
use crate::span::Span;
use crate::Deidentifier;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A gold identifier, in byte offsets of its document.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldSpan {
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// The corpus's own label (e.g. `PTName`).
    pub label: String,
    /// The mapped category (`None` when the map says to ignore it).
    pub category: Option<Category>,
    /// Direct or quasi.
    pub kind: Kind,
}

/// A document with gold spans.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldDoc {
    /// Document id.
    pub id: String,
    /// Text.
    pub text: String,
    /// Gold spans.
    pub spans: Vec<GoldSpan>,
    /// The unit a held-out split keeps together: the patient (PhysioNet), the record's
    /// `group`, `patient_id` or `template` field (JSONL), else the document id.
    pub group: String,
}

/// Which part of a corpus to use: the held-out part is about a third of the groups (patients,
/// templates), chosen by a stable hash of the group, so every tool and run agrees on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// Every document.
    All,
    /// The documents whose group is not held out (what `deid train --split train` fits).
    Train,
    /// The held-out documents (never fitted to; the figures to report).
    Heldout,
}

/// The stable hash (FNV-1a) that assigns a group to a split.
pub(crate) fn group_hash(group: &str) -> u64 {
    group.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// True when a document's group belongs to the held-out third (FNV-1a of the group, mod 3).
pub fn is_heldout(group: &str) -> bool {
    group_hash(group) % 3 == 0
}

impl Split {
    /// Does this split keep the document?
    pub fn keeps(self, doc: &GoldDoc) -> bool {
        match self {
            Split::All => true,
            Split::Train => !is_heldout(&doc.group),
            Split::Heldout => is_heldout(&doc.group),
        }
    }
}

/// Maps corpus labels to deid categories; `None` means "ignore this label".
#[derive(Clone, Debug)]
pub struct LabelMap {
    map: HashMap<String, Option<Category>>,
}

impl Default for LabelMap {
    fn default() -> Self {
        let mut map = HashMap::new();
        let mut put = |k: &str, v: Option<Category>| {
            map.insert(k.to_ascii_lowercase(), v);
        };
        for c in Category::ALL {
            put(c.label(), Some(*c));
        }
        use Category::*;
        // PhysioNet deid.
        for k in ["PTName", "HCPName", "RelativeProxyName", "PTNameInitial"] {
            put(k, Some(Name));
        }
        put("Date", Some(Date));
        put("DateYear", Some(Date));
        put("Location", Some(Location));
        put("Phone", Some(Phone));
        put("Age", Some(Age));
        put("Other", Some(Id));
        // i2b2 2014 / BRAT conventions.
        for k in ["PATIENT", "DOCTOR", "USERNAME", "PERSON"] {
            put(k, Some(Name));
        }
        for k in ["HOSPITAL", "COUNTRY", "LOCATION-OTHER", "GPE", "LOC", "FAC"] {
            put(k, Some(Location));
        }
        put("STREET", Some(StreetAddress));
        put("ZIP", Some(Zip));
        put("STATE", Some(State));
        put("CITY", Some(City));
        put("ORGANIZATION", Some(Organization));
        put("ORG", Some(Organization));
        put("PROFESSION", Some(Occupation));
        for k in [
            "MEDICALRECORD",
            "IDNUM",
            "DEVICE",
            "BIOID",
            "HEALTHPLAN",
            "ACCOUNT",
            "LICENSE",
            "VEHICLE",
            "SSN",
        ] {
            put(k, Some(Id));
        }
        put("WEB", Some(Url));
        put("EMAIL", Some(Email));
        put("FAX", Some(Fax));
        put("PHONE", Some(Phone));
        LabelMap { map }
    }
}

impl LabelMap {
    /// Overrides from a TOML table `[map]` of `corpus_label = "CATEGORY"` (or `"IGNORE"`).
    pub fn extend_from_toml(&mut self, src: &str) -> Result<(), String> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct F {
            map: BTreeMap<String, String>,
        }
        let f: F = toml::from_str(src).map_err(|e| e.message().to_string())?;
        for (k, v) in f.map {
            let cat = if v.eq_ignore_ascii_case("ignore") {
                None
            } else {
                Some(
                    v.parse::<Category>()
                        .map_err(|_| format!("label {k}: unknown category {v:?}"))?,
                )
            };
            self.map.insert(k.to_ascii_lowercase(), cat);
        }
        Ok(())
    }

    /// The category of a corpus label; unknown labels are an error.
    pub fn get(&self, label: &str) -> Result<Option<Category>, String> {
        self.map
            .get(&label.to_ascii_lowercase())
            .copied()
            .ok_or_else(|| {
                format!(
                    "unknown gold label {}: map it with --label-map",
                    shown_label(label)
                )
            })
    }
}

/// A gold label as it may appear in an error: quoted when it has the shape of a label (capital
/// letters, digits, `_` or `-`, at most 32), else described, since a misaligned column could
/// put a name from the notes there.
fn shown_label(label: &str) -> String {
    let label_shaped = !label.is_empty()
        && label.len() <= 32
        && label
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if label_shaped {
        format!("{label:?}")
    } else {
        format!(
            "(not shown: {} characters, not a capitalised label)",
            label.chars().count()
        )
    }
}

fn char_to_byte(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

/// PhysioNet layout: `id.text` records and `id-phi.phrase` gold lines.
pub fn load_physionet(text: &str, phrases: &str, map: &LabelMap) -> Result<Vec<GoldDoc>, String> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut rest = text;
    while let Some(p) = rest.find("START_OF_RECORD=") {
        let after = &rest[p + "START_OF_RECORD=".len()..];
        let line_end = after.find('\n').ok_or("truncated START_OF_RECORD line")?;
        let header = after[..line_end].trim_end_matches('\r');
        let mut parts = header.split("||||").filter(|s| !s.is_empty());
        let pid = parts.next().ok_or("record without patient id")?.to_string();
        let nid = parts.next().ok_or("record without note id")?.to_string();
        let body_start = &after[line_end + 1..];
        let end = body_start
            .find("||||END_OF_RECORD")
            .ok_or("record without END_OF_RECORD")?;
        let body = &body_start[..end];
        index.insert((pid.clone(), nid.clone()), docs.len());
        docs.push(GoldDoc {
            id: format!("{pid}-{nid}"),
            text: body.to_string(),
            spans: Vec::new(),
            group: pid.clone(),
        });
        rest = &body_start[end..];
    }
    for (i, line) in phrases.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.splitn(6, ' ').collect();
        if f.len() < 5 {
            return Err(format!(
                "phrase line {}: expected `pid note start end type phrase`",
                i + 1
            ));
        }
        let &di = index
            .get(&(f[0].to_string(), f[1].to_string()))
            .ok_or_else(|| format!("phrase line {}: no such record", i + 1))?;
        let (s, e): (usize, usize) = (
            f[2].parse()
                .map_err(|_| format!("phrase line {}: bad start", i + 1))?,
            f[3].parse()
                .map_err(|_| format!("phrase line {}: bad end", i + 1))?,
        );
        let doc = &mut docs[di];
        let c2b = char_to_byte(&doc.text);
        if s >= e || e >= c2b.len() {
            return Err(format!("phrase line {}: offsets out of range", i + 1));
        }
        let category = map
            .get(f[4])
            .map_err(|m| format!("phrase line {}: {m}", i + 1))?;
        doc.spans.push(GoldSpan {
            start: c2b[s],
            end: c2b[e],
            label: f[4].to_string(),
            category,
            kind: category.map_or(Kind::Direct, Category::default_kind),
        });
    }
    Ok(docs)
}

/// BRAT standoff: a `.txt` text and its `.ann` annotations (`T1<TAB>Label start end<TAB>text`;
/// discontinuous `start end;start end` spans are split).
pub fn load_brat(id: &str, text: &str, ann: &str, map: &LabelMap) -> Result<GoldDoc, String> {
    let c2b = char_to_byte(text);
    let mut spans = Vec::new();
    for (i, line) in ann.lines().enumerate() {
        if !line.starts_with('T') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            return Err(format!(
                "{id}.ann line {}: expected `T<n><TAB>Label start end`",
                i + 1
            ));
        }
        let mut it = cols[1].splitn(2, ' ');
        let label = it.next().unwrap_or("");
        let ranges = it
            .next()
            .ok_or_else(|| format!("{id}.ann line {}: no offsets", i + 1))?;
        let category = map
            .get(label)
            .map_err(|m| format!("{id}.ann line {}: {m}", i + 1))?;
        for r in ranges.split(';') {
            let mut se = r.split_whitespace();
            let s: usize = se
                .next()
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| format!("{id}.ann line {}: bad start", i + 1))?;
            let e: usize = se
                .next()
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| format!("{id}.ann line {}: bad end", i + 1))?;
            if s >= e || e >= c2b.len() {
                return Err(format!("{id}.ann line {}: offsets out of range", i + 1));
            }
            spans.push(GoldSpan {
                start: c2b[s],
                end: c2b[e],
                label: label.to_string(),
                category,
                kind: category.map_or(Kind::Direct, Category::default_kind),
            });
        }
    }
    spans.sort_by_key(|s| s.start);
    Ok(GoldDoc {
        id: id.to_string(),
        text: text.to_string(),
        spans,
        group: id.to_string(),
    })
}

/// JSONL: `{"id", "text", "spans": [{"start", "end", "label", "kind"?}]}` with code-point offsets.
pub fn load_jsonl(src: &str, map: &LabelMap) -> Result<Vec<GoldDoc>, String> {
    #[derive(serde::Deserialize)]
    struct S {
        start: usize,
        end: usize,
        label: String,
        #[serde(default)]
        kind: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct D {
        #[serde(default)]
        id: Option<serde_json::Value>,
        text: String,
        #[serde(default)]
        spans: Vec<S>,
        #[serde(default)]
        group: Option<serde_json::Value>,
        #[serde(default)]
        patient_id: Option<serde_json::Value>,
        #[serde(default)]
        template: Option<serde_json::Value>,
    }
    let as_string = |v: serde_json::Value| match v {
        serde_json::Value::String(s) => s,
        v => v.to_string(),
    };
    let mut docs = Vec::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let d: D = serde_json::from_str(line)
            .map_err(|e| format!("line {}: invalid record at column {}", i + 1, e.column()))?;
        let c2b = char_to_byte(&d.text);
        let mut spans = Vec::new();
        for s in d.spans {
            if s.start >= s.end || s.end >= c2b.len() {
                return Err(format!("line {}: span offsets out of range", i + 1));
            }
            let category = map
                .get(&s.label)
                .map_err(|m| format!("line {}: {m}", i + 1))?;
            let kind = match s.kind.as_deref() {
                Some(k) => k
                    .parse()
                    .map_err(|_| format!("line {}: kind must be direct or quasi", i + 1))?,
                None => category.map_or(Kind::Direct, Category::default_kind),
            };
            spans.push(GoldSpan {
                start: c2b[s.start],
                end: c2b[s.end],
                label: s.label,
                category,
                kind,
            });
        }
        let id = d.id.map_or_else(|| (i + 1).to_string(), as_string);
        let group = d
            .group
            .or(d.patient_id)
            .or(d.template)
            .map_or_else(|| id.clone(), as_string);
        docs.push(GoldDoc {
            id,
            text: d.text,
            spans,
            group,
        });
    }
    Ok(docs)
}

/// Counts for one category (or overall).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Score {
    /// Gold spans.
    pub gold: usize,
    /// Gold spans overlapped by a detection.
    pub found: usize,
    /// Detections.
    pub detected: usize,
    /// Detections that overlap a gold span.
    pub correct: usize,
    /// found / gold.
    pub recall: f64,
    /// correct / detected.
    pub precision: f64,
    /// Harmonic mean.
    pub f1: f64,
    /// F-beta with beta = 2 (recall weighted).
    pub f2: f64,
}

impl Score {
    fn finish(&mut self) {
        self.recall = ratio(self.found, self.gold);
        self.precision = ratio(self.correct, self.detected);
        self.f1 = fbeta(self.precision, self.recall, 1.0);
        self.f2 = fbeta(self.precision, self.recall, 2.0);
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn fbeta(p: f64, r: f64, b: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        (1.0 + b * b) * p * r / (b * b * p + r)
    }
}

/// A miss or a false positive, for `--show-misses` (contains identifiers).
#[derive(Clone, Debug, Serialize)]
pub struct Error {
    /// Document id.
    pub doc: String,
    /// `miss` or `false_positive`.
    pub what: &'static str,
    /// Gold label or detected category.
    pub label: String,
    /// Rule id for false positives.
    pub rule: String,
    /// The span's text.
    pub text: String,
    /// Text around it.
    pub context: String,
}

/// The evaluation result.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Documents scored.
    pub documents: usize,
    /// Entity level, direct identifiers, per gold category (recall) / detected category (precision).
    pub entity: BTreeMap<String, Score>,
    /// Character level, direct identifiers.
    pub character: BTreeMap<String, Score>,
    /// Entity level for quasi-identifiers (gold kind quasi vs quasi detections).
    pub quasi: BTreeMap<String, Score>,
    /// Misses and false positives (only filled when asked for).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Error>,
}

fn context(text: &str, s: usize, e: usize, width: usize) -> String {
    let mut a = s.saturating_sub(width);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (e + width).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!("{}[{}]{}", &text[a..s], &text[s..e], &text[e..b]).replace(['\n', '\r', '\t'], " ")
}

/// Scores detections against gold documents. `detections[i]` belongs to `docs[i]`.
pub fn score(docs: &[GoldDoc], detections: &[Vec<Span>], keep_errors: bool) -> Report {
    let mut rep = Report {
        documents: docs.len(),
        ..Report::default()
    };
    const ALL: &str = "ALL";
    for (doc, dets) in docs.iter().zip(detections) {
        for kind in [Kind::Direct, Kind::Quasi] {
            let gold: Vec<&GoldSpan> = doc
                .spans
                .iter()
                .filter(|g| g.kind == kind && g.category.is_some())
                .collect();
            let ignored: Vec<&GoldSpan> =
                doc.spans.iter().filter(|g| g.category.is_none()).collect();
            let dets: Vec<&Span> = dets.iter().filter(|d| d.kind == kind).collect();
            let table = if kind == Kind::Direct {
                &mut rep.entity
            } else {
                &mut rep.quasi
            };
            for g in &gold {
                let cat = g.category.map_or("?", Category::label).to_string();
                let hit = dets.iter().any(|d| d.start < g.end && g.start < d.end);
                for key in [cat.as_str(), ALL] {
                    let s = table.entry(key.to_string()).or_default();
                    s.gold += 1;
                    s.found += usize::from(hit);
                }
                if !hit && keep_errors {
                    rep.errors.push(Error {
                        doc: doc.id.clone(),
                        what: "miss",
                        label: g.label.clone(),
                        rule: String::new(),
                        text: doc.text[g.start..g.end].to_string(),
                        context: context(&doc.text, g.start, g.end, 40),
                    });
                }
            }
            for d in &dets {
                // Detections on ignored labels are neither right nor wrong.
                if ignored.iter().any(|g| d.start < g.end && g.start < d.end) {
                    continue;
                }
                let ok = gold.iter().any(|g| d.start < g.end && g.start < d.end);
                for key in [d.category.label(), ALL] {
                    let s = table.entry(key.to_string()).or_default();
                    s.detected += 1;
                    s.correct += usize::from(ok);
                }
                if !ok && keep_errors {
                    rep.errors.push(Error {
                        doc: doc.id.clone(),
                        what: "false_positive",
                        label: d.category.label().to_string(),
                        rule: d.rule.to_string(),
                        text: doc.text[d.start..d.end].to_string(),
                        context: context(&doc.text, d.start, d.end, 40),
                    });
                }
            }
            if kind == Kind::Direct {
                // Character level.
                let mut gold_mask = vec![false; doc.text.len()];
                for g in &gold {
                    gold_mask[g.start..g.end].iter_mut().for_each(|x| *x = true);
                }
                let mut det_mask = vec![false; doc.text.len()];
                for d in &dets {
                    det_mask[d.start..d.end].iter_mut().for_each(|x| *x = true);
                }
                for g in &gold {
                    let cat = g.category.map_or("?", Category::label);
                    let n = doc.text[g.start..g.end].chars().count();
                    let covered = doc.text[g.start..g.end]
                        .char_indices()
                        .filter(|(i, _)| det_mask[g.start + i])
                        .count();
                    for key in [cat, ALL] {
                        let s = rep.character.entry(key.to_string()).or_default();
                        s.gold += n;
                        s.found += covered;
                    }
                }
                for d in &dets {
                    let n = doc.text[d.start..d.end].chars().count();
                    let inside = doc.text[d.start..d.end]
                        .char_indices()
                        .filter(|(i, _)| gold_mask[d.start + i])
                        .count();
                    for key in [d.category.label(), ALL] {
                        let s = rep.character.entry(key.to_string()).or_default();
                        s.detected += n;
                        s.correct += inside;
                    }
                }
            }
        }
    }
    for t in [&mut rep.entity, &mut rep.character, &mut rep.quasi] {
        t.values_mut().for_each(Score::finish);
    }
    rep
}

/// Detects on every document (all cores) and scores.
pub fn evaluate(deid: &Deidentifier, docs: &[GoldDoc], keep_errors: bool) -> Report {
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let dets = deid.detect_batch(&texts);
    score(docs, &dets, keep_errors)
}

#[cfg(test)]
mod tests {
    #[test]
    fn gold_labels_in_errors_are_quoted_only_when_shaped_like_labels() {
        assert_eq!(shown_label("PATIENT_NAME"), "\"PATIENT_NAME\"");
        assert_eq!(shown_label("ID-2"), "\"ID-2\"");
        for not_a_label in ["Quentin", "quentin abernathy", "", &"X".repeat(33)] {
            let shown = shown_label(not_a_label);
            assert!(shown.starts_with("(not shown"), "{shown}");
            assert!(
                not_a_label.is_empty() || !shown.contains(not_a_label),
                "{shown}"
            );
        }
    }

    use super::*;

    #[test]
    fn physionet_layout() {
        let text = "START_OF_RECORD=1||||2||||\nSeen by Healey on 7/22.\n||||END_OF_RECORD\n";
        let phr = "1 2 8 14 HCPName Healey\n1 2 18 22 Date 7/22\n";
        let docs = load_physionet(text, phr, &LabelMap::default()).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(
            &docs[0].text[docs[0].spans[0].start..docs[0].spans[0].end],
            "Healey"
        );
        assert_eq!(docs[0].spans[1].category, Some(Category::Date));
    }

    #[test]
    fn scoring_counts_overlaps() {
        let doc = GoldDoc {
            id: "d".into(),
            text: "abcdefghij".into(),
            spans: vec![GoldSpan {
                start: 0,
                end: 3,
                label: "NAME".into(),
                category: Some(Category::Name),
                kind: Kind::Direct,
            }],
            group: "d".into(),
        };
        let det = |s, e| Span {
            start: s,
            end: e,
            category: Category::Name,
            kind: Kind::Direct,
            rule: "r".into(),
            confidence: 1.0,
        };
        let r = score(
            std::slice::from_ref(&doc),
            &[vec![det(2, 4), det(6, 8)]],
            true,
        );
        let all = &r.entity["ALL"];
        assert_eq!(
            (all.gold, all.found, all.detected, all.correct),
            (1, 1, 2, 1)
        );
        assert_eq!(r.character["ALL"].found, 1);
        assert_eq!(r.errors.len(), 1);
    }

    #[test]
    fn jsonl_code_points() {
        let src =
            r#"{"id": "x", "text": "Zoë Roe", "spans": [{"start": 4, "end": 7, "label": "NAME"}]}"#;
        let d = load_jsonl(src, &LabelMap::default()).unwrap();
        assert_eq!(&d[0].text[d[0].spans[0].start..d[0].spans[0].end], "Roe");
    }
}

//! The subcommands: build the engine from flags, read sources, process records on all cores
//! in input order, write outputs atomically.

use crate::args::{
    Cli, Command, InputArgs, InputFormat, RedactArgs, RulesCommand, ScanArgs, StrategyArg,
};
use crate::fields::{redact_json, Action, FieldPolicy, Tally};
use crate::records::{self, CsvTable, RecordError, Source};
use crate::{fields, EXIT_OK, EXIT_PARTIAL};
use anyhow::{anyhow, bail, Context, Result};
use deid_core::{
    Category, DateShift, Deidentifier, DeidentifierBuilder, OffsetMap, RuleSet, Span, Strategy,
    MAX_SHIFT_DAYS,
};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub(crate) fn dispatch(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Redact(a) => redact(a),
        Command::Scan(a) => scan(a),
        Command::Rules(RulesCommand::Check { dir }) => rules_check(dir.as_deref()),
        Command::Eval(a) => crate::eval::run(a),
        Command::Train(a) => crate::train::run(a),
        Command::Risk(a) => crate::risk::run_risk(a),
        Command::Vignette(a) => crate::risk::run_vignette(a),
        Command::Serve(a) => crate::serve::run(a),
        Command::Keygen => keygen(),
        Command::Completions { shell } => completions(shell),
        Command::Man { out } => man(out.as_deref()),
    }
}

/// `deid completions SHELL`: the completion script, generated from the flag definitions.
fn completions(shell: clap_complete::Shell) -> Result<i32> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "deid", &mut buf);
    std::io::stdout()
        .write_all(&buf)
        .and_then(|()| std::io::stdout().flush())
        .map_err(stdout_error)?;
    Ok(EXIT_OK)
}

/// `deid man [--out DIR]`: deid.1 on stdout, or one page per command in DIR (deid.1,
/// deid-redact.1, deid-rules-check.1, ...), each written atomically.
fn man(out: Option<&Path>) -> Result<i32> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let Some(dir) = out else {
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut buf)?;
        std::io::stdout()
            .write_all(&buf)
            .and_then(|()| std::io::stdout().flush())
            .map_err(stdout_error)?;
        return Ok(EXIT_OK);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    fn pages(cmd: clap::Command, prefix: &str, dir: &Path) -> Result<()> {
        let name = if prefix.is_empty() {
            cmd.get_name().to_string()
        } else {
            format!("{prefix}-{}", cmd.get_name())
        };
        let cmd = cmd.name(name.clone());
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
        let path = dir.join(format!("{name}.1"));
        let mut f = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        f.write_all(&buf)?;
        f.persist(&path)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            pages(sub.clone(), &name, dir)?;
        }
        Ok(())
    }
    pages(cmd, "", dir)?;
    Ok(EXIT_OK)
}

/// `deid keygen`: 32 random bytes from the operating system, printed as 64 hex digits.
fn keygen() -> Result<i32> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| anyhow!("no random bytes from the system: {e}"))?;
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{hex}")
        .and_then(|()| stdout.flush())
        .map_err(stdout_error)?;
    Ok(EXIT_OK)
}

/// The engine builder for a subcommand's input flags (shared with `risk` and `vignette`).
pub(crate) fn builder_for(input: &InputArgs) -> Result<DeidentifierBuilder> {
    builder(input)
}

/// The worker pool for `--threads` (shared with `risk` and `vignette`).
pub(crate) fn pool_for(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    pool(threads)
}

fn builder(input: &InputArgs) -> Result<DeidentifierBuilder> {
    let mut b = Deidentifier::builder()
        .model(!input.no_model)
        .min_confidence(input.min_confidence);
    if let Some(dir) = &input.rules {
        b = b.rules_dir(dir);
    }
    if let Some(f) = &input.allow {
        let terms = deid_core::read_term_file(f, false)?;
        b = b.allow(terms.into_iter().map(|(t, _)| t));
    }
    if let Some(f) = &input.deny {
        b = b.deny(deid_core::read_term_file(f, true)?);
    }
    if !input.categories.is_empty() {
        let cats = input
            .categories
            .iter()
            .map(|c| Category::from_label(c))
            .collect::<deid_core::Result<Vec<_>>>()?;
        b = b.categories(cats);
    }
    Ok(b.years(!input.no_years))
}

fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        b = b.num_threads(n);
    }
    b.build().context("cannot start worker threads")
}

/// The progress bar of a run, counted in bytes of input done (the sum of the inputs' sizes;
/// standard input's size is unknown, so its bar shows bytes and speed without a total). It
/// ticks on its own, so it moves while one large document is worked on, and it is drawn only
/// on a terminal and never under `-q`.
fn progress(format: InputFormat, sources: &[Source]) -> ProgressBar {
    if crate::quiet() || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total = sources.iter().try_fold(0u64, |a, s| match s {
        Source::Stdin => None,
        Source::File { path, .. } => std::fs::metadata(path)
            .ok()
            .map(|m| a.saturating_add(m.len())),
    });
    let unit = match format {
        InputFormat::Text => format!("of {} text document(s)", sources.len()),
        InputFormat::Jsonl => "of JSONL records".to_string(),
        InputFormat::Csv => "of CSV rows".to_string(),
    };
    let (pb, template) = match total {
        Some(t) => (
            ProgressBar::new(t),
            "{spinner} {bytes}/{total_bytes} {msg} {binary_bytes_per_sec} [{elapsed_precise}, {eta} left]",
        ),
        None => (
            ProgressBar::no_length(),
            "{spinner} {bytes} {msg} {binary_bytes_per_sec} [{elapsed_precise}]",
        ),
    };
    pb.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(unit);
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    pb
}

/// Adds `n` to a progress bar when dropped: a record's bytes count as done however its
/// processing ends.
struct IncOnDrop<'a>(&'a ProgressBar, u64);

impl Drop for IncOnDrop<'_> {
    fn drop(&mut self) {
        self.0.inc(self.1);
    }
}

/// Reports a per-source or per-record problem (shared with `risk` and `vignette`).
pub(crate) fn report_error(source: &Source, e: &RecordError) {
    report(source, e)
}

/// Reports a per-source or per-record problem as `name: message` / `name:line: message`.
fn report(source: &Source, e: &RecordError) {
    let name = source.name();
    let _ = match e.line {
        Some(l) => writeln!(std::io::stderr(), "deid: {name}:{l}: {}", e.message),
        None => writeln!(std::io::stderr(), "deid: {name}: {}", e.message),
    };
}

pub(crate) fn spans_json(text: &str, spans: &[Span], with_text: bool, direct_only: bool) -> Value {
    serde_json::to_value(span_outs(text, spans, with_text, direct_only)).unwrap_or_default()
}

/// One span as `deid scan` writes it (field order is the output's). Serialised straight to the
/// line, not through a `serde_json::Value` (building and dropping those maps cost a quarter of
/// `scan`).
#[derive(serde::Serialize)]
pub(crate) struct SpanOut<'a> {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub label: std::borrow::Cow<'a, str>,
    pub kind: &'static str,
    pub rule: std::borrow::Cow<'a, str>,
    pub confidence: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<std::borrow::Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
}

/// The spans of `text` as [`SpanOut`]s (character and byte offsets; direct spans only when
/// `direct_only`).
pub(crate) fn span_outs<'a>(
    text: &'a str,
    spans: &'a [Span],
    with_text: bool,
    direct_only: bool,
) -> Vec<SpanOut<'a>> {
    let map = OffsetMap::new(text);
    spans
        .iter()
        .filter(|s| !direct_only || s.kind == deid_core::Kind::Direct)
        .map(|s| SpanOut {
            start: map.char_offset(s.start),
            end: map.char_offset(s.end),
            byte_start: s.start,
            byte_end: s.end,
            label: s.category.label().into(),
            kind: s.kind.as_str(),
            rule: (&*s.rule).into(),
            confidence: (f64::from(s.confidence) * 100.0).round() / 100.0,
            holder: None,
            value: None,
            text: with_text.then(|| s.text(text)),
        })
        .collect()
}

/// `deid scan`'s line for one document or record (without newline).
fn scan_line(id: &str, text: &str, spans: &[Span], with_text: bool, direct_only: bool) -> String {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        id: &'a str,
        spans: Vec<SpanOut<'a>>,
    }
    let line = Line {
        id,
        spans: scan_outs(text, spans, with_text, direct_only),
    };
    serde_json::to_string(&line).unwrap_or_default()
}

/// The spans `deid scan` writes for `text`: the direct spans found, and the quasi-identifiers
/// of what remains (unless `direct_only`), in text order.
fn scan_outs<'a>(
    text: &'a str,
    spans: &'a [Span],
    with_text: bool,
    direct_only: bool,
) -> Vec<SpanOut<'a>> {
    let direct = span_outs(text, spans, with_text, true);
    crate::risk::scan_span_outs(
        text,
        spans,
        direct,
        with_text,
        if direct_only {
            crate::risk::Quasi::None
        } else {
            crate::risk::Quasi::Remaining
        },
    )
}

/// Writing to standard output failed. The run stops at once: one message naming standard
/// output (a broken pipe ends it quietly, with success, as `head` expects).
#[derive(Debug)]
struct StdoutError(std::io::Error);

impl std::fmt::Display for StdoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cannot write to standard output")
    }
}

impl std::error::Error for StdoutError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn stdout_error(e: std::io::Error) -> anyhow::Error {
    anyhow::Error::new(StdoutError(e))
}

fn is_stdout_error(e: &anyhow::Error) -> bool {
    e.downcast_ref::<StdoutError>().is_some()
}

/// Output: stdout, or files under a directory written atomically.
struct Output {
    dir: Option<PathBuf>,
    in_place: bool,
    inputs: HashSet<PathBuf>,
    stdout: std::io::BufWriter<std::io::Stdout>,
}

impl Output {
    fn target(&self, src: &Source, rename_ext: Option<&str>) -> Result<Option<PathBuf>> {
        let Some(dir) = &self.dir else {
            return self.in_place_target(src);
        };
        let Source::File { rel, .. } = src else {
            bail!("standard input cannot be written under --out; redirect stdout instead");
        };
        let mut p = dir.join(rel);
        if let Some(ext) = rename_ext {
            p.set_extension(ext);
        }
        Ok(Some(p))
    }

    /// With `--in-place` and no `--out`: the input file itself (through any symbolic link).
    fn in_place_target(&self, src: &Source) -> Result<Option<PathBuf>> {
        if !self.in_place {
            return Ok(None);
        }
        match src {
            Source::Stdin => {
                bail!("--in-place cannot rewrite standard input; redirect stdout instead")
            }
            Source::File { path, .. } => {
                Ok(Some(path.canonicalize().with_context(|| {
                    format!("{}: cannot resolve", path.display())
                })?))
            }
        }
    }

    /// Refuses, before anything is written, a run in which two inputs would be written to one
    /// output file (`a/n.txt b/n.txt --out o`, or one relative path under two roots): the
    /// first output would silently be lost.
    fn check_targets(&self, sources: &[Source]) -> Result<()> {
        if self.dir.is_none() && !self.in_place {
            return Ok(());
        }
        let mut seen: HashMap<PathBuf, &Source> = HashMap::new();
        for src in sources {
            let Some(target) = self.target(src, None)? else {
                continue;
            };
            if let Some(first) = seen.insert(target.clone(), src) {
                bail!(
                    "{} and {} would both be written to {}; nothing was written (give them \
                     separate runs or --out directories)",
                    first.name(),
                    src.name(),
                    target.display()
                );
            }
        }
        Ok(())
    }

    /// Where the output of `src` goes: stdout, or a temporary file renamed over the mirrored
    /// path when [`Sink::finish`] is called.
    fn sink(&mut self, src: &Source) -> Result<Sink<'_>> {
        match self.target(src, None)? {
            None => Ok(Sink::Stdout(&mut self.stdout)),
            Some(path) => Ok(Sink::File(AtomicFile::create(
                path,
                self.in_place,
                &self.inputs,
            )?)),
        }
    }

    /// Writes `bytes` for `src`: to stdout, or atomically to the mirrored path.
    fn write(&mut self, src: &Source, bytes: &[u8]) -> Result<()> {
        let mut sink = self.sink(src)?;
        sink.write(bytes)?;
        sink.finish()
    }
}

/// The output of one source while it is written, chunk by chunk.
enum Sink<'a> {
    /// Standard output: each chunk is written as it is finished.
    Stdout(&'a mut std::io::BufWriter<std::io::Stdout>),
    /// A file: written to a temporary file, renamed over the target by [`Sink::finish`].
    File(AtomicFile),
}

impl Sink<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        match self {
            Sink::Stdout(w) => w.write_all(bytes).map_err(stdout_error),
            Sink::File(f) => f.write(bytes),
        }
    }

    /// Ends the output; a file appears under its name only now. A sink dropped without
    /// `finish` (the source failed) removes its temporary file.
    fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(_) => Ok(()),
            Sink::File(f) => f.commit(),
        }
    }
}

/// A file written atomically: a temporary file in the target's directory, renamed over the
/// target when complete and removed (by its drop) when not, so the target never holds a
/// partial output.
struct AtomicFile {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
    in_place: bool,
}

impl AtomicFile {
    /// Starts the output for `path`, refusing to overwrite an input unless `in_place`.
    fn create(path: PathBuf, in_place: bool, inputs: &HashSet<PathBuf>) -> Result<AtomicFile> {
        if let Ok(c) = path.canonicalize() {
            if inputs.contains(&c) && !in_place {
                bail!(
                    "{}: would overwrite an input file (pass --in-place to allow it)",
                    path.display()
                );
            }
        }
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("{}: cannot create directory", parent.display()))?;
        let tmp = tempfile::NamedTempFile::new_in(parent)
            .with_context(|| format!("{}: cannot create a temporary file", parent.display()))?;
        Ok(AtomicFile {
            path,
            tmp,
            in_place,
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.tmp
            .write_all(bytes)
            .with_context(|| format!("{}: write failed", self.path.display()))
    }

    /// Renames the complete temporary file over the target.
    fn commit(self) -> Result<()> {
        let AtomicFile {
            path,
            tmp,
            in_place,
        } = self;
        if in_place {
            // A rewritten input keeps its permissions (the temporary file is private).
            if let Ok(m) = std::fs::metadata(&path) {
                let _ = std::fs::set_permissions(tmp.path(), m.permissions());
            }
        }
        tmp.as_file().sync_all().ok();
        tmp.persist(&path)
            .map_err(|e| anyhow!("{}: cannot replace: {}", path.display(), e.error))?;
        Ok(())
    }
}

fn read_secret(path: &Path) -> Result<Vec<u8>> {
    let mut s = std::fs::read(path)
        .with_context(|| format!("{}: cannot read the secret file", path.display()))?;
    while s.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        s.pop();
    }
    if s.is_empty() {
        bail!(
            "{}: the secret file is empty (make one with `deid keygen > key.txt`)",
            path.display()
        );
    }
    Ok(s)
}

fn canonical_inputs(sources: &[Source]) -> HashSet<PathBuf> {
    sources
        .iter()
        .filter_map(|s| match s {
            Source::File { path, .. } => path.canonicalize().ok(),
            Source::Stdin => None,
        })
        .collect()
}

/// Work per source, shared by `redact` and `scan`: turns a document into output bytes.
trait Job: Sync {
    /// Bytes for a whole text document.
    fn text(&self, id: &str, key: &str, text: &str) -> Vec<u8>;
    /// The same bytes for a long text document, given to `write` piece by piece as they are
    /// made, so a job that can (`scan`, window by window) never holds its whole output.
    fn text_pieces(
        &self,
        id: &str,
        key: &str,
        text: &str,
        write: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        write(&self.text(id, key, text))
    }
    /// The JSONL line for a record (without newline).
    fn json(&self, rec: &records::JsonRecord, text_field: &str) -> String;
    /// What is written before the rows of a CSV table (`redact`: its header).
    fn csv_header(&self, table: &CsvTable) -> Result<Vec<u8>>;
    /// The output for rows of a CSV table (CSV rows, or JSON lines for `scan`).
    fn csv(&self, table: &CsvTable, rows: &[&records::CsvRow]) -> Result<Vec<u8>>;
    /// Records and spans so far (for `-v`).
    fn tally(&self) -> &Tally;
    /// Prints what a chunk of records found worth a warning, in input order.
    fn flush_warnings(&self, _src: &str) {}
}

struct RedactJob<'a> {
    deid: &'a Deidentifier,
    spans_field: Option<String>,
    fields: FieldPolicy,
    tally: Tally,
}

impl RedactJob<'_> {
    fn run(&self, text: &str, key: &str) -> deid_core::Redacted {
        let out = self.deid.redact_record(text, Some(key));
        self.tally.add(&out.spans);
        out
    }

    /// Another field redacted with the record's key (`--redact-fields`, `--all-fields`).
    fn other(&self, text: &str, key: &str) -> String {
        self.deid.redact_record(text, Some(key)).text
    }
}

impl Job for RedactJob<'_> {
    fn text(&self, _id: &str, key: &str, text: &str) -> Vec<u8> {
        self.run(text, key).text.into_bytes()
    }

    fn json(&self, rec: &records::JsonRecord, text_field: &str) -> String {
        let text = rec.text(text_field);
        let out = self.run(text, &rec.key);
        let mut obj = rec.object.clone();
        for (name, value) in obj.iter_mut() {
            match self.fields.action(name) {
                Action::Redact => redact_json(value, &|s| self.other(s, &rec.key)),
                Action::Check => self.fields.check_json(self.deid, name, value, rec.line),
                Action::Keep => {}
            }
        }
        if let Some(f) = &self.spans_field {
            obj.insert(f.clone(), spans_json(text, &out.spans, false, false));
        }
        obj.insert(text_field.to_string(), Value::String(out.text));
        Value::Object(obj).to_string()
    }

    fn tally(&self) -> &Tally {
        &self.tally
    }

    fn flush_warnings(&self, src: &str) {
        self.fields.flush(src);
    }

    fn csv_header(&self, table: &CsvTable) -> Result<Vec<u8>> {
        let missing = self.fields.missing_columns(&table.header);
        if !missing.is_empty() {
            bail!(
                "--redact-fields: no column {} in the header",
                missing.join(", ")
            );
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = table.header.clone();
        if let Some(f) = &self.spans_field {
            header.push(f.clone());
        }
        w.write_record(&header)?;
        w.into_inner()
            .map_err(|e| anyhow!("CSV output: {}", e.error()))
    }

    fn csv(&self, table: &CsvTable, rows: &[&records::CsvRow]) -> Result<Vec<u8>> {
        let actions: Vec<Action> = table
            .header
            .iter()
            .enumerate()
            .map(|(i, name)| {
                if i == table.text_col {
                    Action::Keep
                } else {
                    self.fields.action(name)
                }
            })
            .collect();
        let outs: Vec<Vec<String>> = rows
            .par_iter()
            .map(|r| {
                let text = &r.fields[table.text_col];
                let out = self.run(text, &r.key);
                let mut fields = r.fields.clone();
                for (i, field) in fields.iter_mut().enumerate() {
                    match actions.get(i) {
                        Some(Action::Redact) => *field = self.other(field, &r.key),
                        Some(Action::Check) => {
                            self.fields
                                .check(self.deid, &table.header[i], field, r.line)
                        }
                        _ => {}
                    }
                }
                if self.spans_field.is_some() {
                    fields.push(spans_json(text, &out.spans, false, false).to_string());
                }
                fields[table.text_col] = out.text;
                fields
            })
            .collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        for fields in outs {
            w.write_record(&fields)?;
        }
        w.into_inner()
            .map_err(|e| anyhow!("CSV output: {}", e.error()))
    }
}

struct ScanJob<'a> {
    deid: &'a Deidentifier,
    with_text: bool,
    direct_only: bool,
    tally: Tally,
}

impl Job for ScanJob<'_> {
    fn text(&self, id: &str, _key: &str, text: &str) -> Vec<u8> {
        let spans = self.deid.detect(text);
        self.tally.add(&spans);
        let mut line = scan_line(id, text, &spans, self.with_text, self.direct_only);
        line.push('\n');
        line.into_bytes()
    }

    /// `{"id": .., "spans": [..]}` written window by window ([`Deidentifier::detect_windows`]):
    /// the same line as [`ScanJob::text`] gives for a text of one window; for a longer one,
    /// each window's quasi-identifiers are found in that window.
    fn text_pieces(
        &self,
        id: &str,
        _key: &str,
        text: &str,
        write: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        let mut head = String::from("{\"id\":");
        head.push_str(&serde_json::to_string(id)?);
        head.push_str(",\"spans\":[");
        write(head.as_bytes())?;
        self.tally.add(&[]);
        // Characters before byte `at` (offsets in the output are code points).
        let (mut at, mut chars, mut first) = (0, 0, true);
        self.deid
            .detect_windows(text, |range, mut spans| -> Result<()> {
                chars += text[at..range.start].chars().count();
                at = range.start;
                self.tally.add_spans(&spans);
                for s in &mut spans {
                    s.start -= range.start;
                    s.end -= range.start;
                }
                let piece = &text[range.clone()];
                let mut buf = Vec::new();
                for mut o in scan_outs(piece, &spans, self.with_text, self.direct_only) {
                    o.start += chars;
                    o.end += chars;
                    o.byte_start += range.start;
                    o.byte_end += range.start;
                    if !std::mem::take(&mut first) {
                        buf.push(b',');
                    }
                    serde_json::to_writer(&mut buf, &o)?;
                }
                write(&buf)
            })?;
        write(b"]}\n")
    }

    fn json(&self, rec: &records::JsonRecord, text_field: &str) -> String {
        let text = rec.text(text_field);
        let spans = self.deid.detect(text);
        self.tally.add(&spans);
        scan_line(&rec.id, text, &spans, self.with_text, self.direct_only)
    }

    fn csv_header(&self, _table: &CsvTable) -> Result<Vec<u8>> {
        Ok(Vec::new())
    }

    fn tally(&self) -> &Tally {
        &self.tally
    }

    fn csv(&self, table: &CsvTable, rows: &[&records::CsvRow]) -> Result<Vec<u8>> {
        let lines: Vec<Vec<u8>> = rows
            .par_iter()
            .map(|r| self.text(&r.id, &r.key, &r.fields[table.text_col]))
            .collect();
        Ok(lines.concat())
    }
}

/// A text document read: its output, or (longer than one detection window) its bytes, to be
/// processed window by window when its turn to be written comes.
enum Done {
    Output(Vec<u8>),
    Long(Vec<u8>),
}

/// Text sources in the groups read and processed at once: at most 256 files, and no more
/// than [`CHUNK_BYTES`] by their sizes on disk unless one file is larger (standard input and
/// a size that cannot be read count as the document size limit), so what a group holds in
/// memory stays bounded however many large files a directory has.
fn text_chunks(sources: &[Source], max_doc: u64) -> Vec<&[Source]> {
    let mut out = Vec::new();
    let (mut from, mut bytes) = (0, 0u64);
    for (i, src) in sources.iter().enumerate() {
        let size = match src {
            Source::File { path, .. } => std::fs::metadata(path).map_or(max_doc, |m| m.len()),
            Source::Stdin => max_doc,
        }
        .min(max_doc);
        if i > from && (i - from == 256 || bytes + size > CHUNK_BYTES as u64) {
            out.push(&sources[from..i]);
            (from, bytes) = (i, 0);
        }
        bytes += size;
    }
    if from < sources.len() {
        out.push(&sources[from..]);
    }
    out
}

/// The most JSONL or CSV records processed at once (one chunk, on all cores).
const CHUNK_RECORDS: usize = 1024;

/// A JSONL or CSV chunk ends early once its lines or rows hold this many bytes.
const CHUNK_BYTES: usize = 16 << 20;

/// Where the keys of keyed shifts and surrogates come from.
#[derive(Default, Clone, Copy)]
struct Keys<'a> {
    /// `--key-field`: the field or column of JSONL/CSV records.
    field: Option<&'a str>,
    /// `--key`: the key of a text document on standard input.
    stdin: Option<&'a str>,
}

/// Runs a job over every source; returns the exit code.
fn process(
    input: &InputArgs,
    job: &dyn Job,
    out: &mut Output,
    scan_output: bool,
    keys: Keys<'_>,
) -> Result<i32> {
    let (sources, errors) = records::expand(&input.paths);
    let sources = records::rename(sources, input.ids);
    let mut code = EXIT_OK;
    for e in &errors {
        let _ = writeln!(std::io::stderr(), "deid: {e}");
        code = EXIT_PARTIAL;
    }
    if out.dir.is_some() && sources.contains(&Source::Stdin) {
        bail!("standard input cannot be written under --out; redirect stdout instead");
    }
    out.inputs = canonical_inputs(&sources);
    out.check_targets(&sources)?;
    let pool = pool(input.threads)?;
    let mut run = Run {
        input,
        job,
        keys,
        pb: progress(input.input_format, &sources),
        code,
    };
    pool.install(|| -> Result<()> {
        match input.input_format {
            InputFormat::Text => run.text_sources(&sources, out, scan_output),
            InputFormat::Jsonl => sources
                .iter()
                .try_for_each(|src| run.jsonl_source(src, out)),
            InputFormat::Csv => sources.iter().try_for_each(|src| run.csv_source(src, out)),
        }
    })?;
    run.pb.finish_and_clear();
    out.stdout.flush().map_err(stdout_error)?;
    Ok(run.code)
}

/// One run of a job over sources: the settings, the progress bar and the exit code so far.
struct Run<'a> {
    input: &'a InputArgs,
    job: &'a dyn Job,
    keys: Keys<'a>,
    pb: ProgressBar,
    code: i32,
}

impl Run<'_> {
    /// Reports a problem of one source or record; the run goes on, exit code 1.
    fn failed(&mut self, src: &Source, e: &RecordError) {
        report(src, e);
        self.code = EXIT_PARTIAL;
    }

    /// Handles an output error: standard output stops the run, a file fails its source.
    fn output_failed(&mut self, e: anyhow::Error) -> Result<()> {
        if is_stdout_error(&e) {
            return Err(e);
        }
        let _ = writeln!(std::io::stderr(), "deid: {e:#}");
        self.code = EXIT_PARTIAL;
        Ok(())
    }

    /// Text documents, in chunks of files, each chunk on all cores, output in order. A
    /// document longer than one detection window is written piece by piece after the
    /// shorter ones before it ([`Job::text_pieces`]), its windows on all cores.
    fn text_sources(&mut self, sources: &[Source], out: &mut Output, scan: bool) -> Result<()> {
        let max_doc = self.input.max_document_size;
        let (job, pb, stdin_key) = (self.job, &self.pb.clone(), self.keys.stdin);
        let key_of = |src: &Source| match (src, stdin_key) {
            (Source::Stdin, Some(k)) => k.to_string(),
            _ => src.key(),
        };
        let started = std::time::Instant::now();
        for chunk in text_chunks(sources, max_doc) {
            let docs: Vec<(&Source, Result<Done, RecordError>)> = chunk
                .par_iter()
                .map(|src| {
                    let r = records::read_source(src, max_doc, "document size").and_then(|bytes| {
                        let text = records::as_text(&bytes)?;
                        if text.len() > deid_core::WINDOW_BYTES {
                            return Ok(Done::Long(bytes));
                        }
                        let out = job.text(&src.id(), &key_of(src), text);
                        pb.inc(bytes.len() as u64);
                        Ok(Done::Output(out))
                    });
                    (src, r)
                })
                .collect();
            for (src, r) in docs {
                match r {
                    Ok(Done::Output(bytes)) if scan => {
                        out.stdout.write_all(&bytes).map_err(stdout_error)?
                    }
                    Ok(Done::Output(bytes)) => {
                        if let Err(e) = out.write(src, &bytes) {
                            self.output_failed(e)?;
                        }
                    }
                    Ok(Done::Long(bytes)) => {
                        // Checked as UTF-8 when it was read.
                        let text = std::str::from_utf8(&bytes).unwrap_or_default();
                        let written = (|| -> Result<()> {
                            let mut sink = if scan {
                                Sink::Stdout(&mut out.stdout)
                            } else {
                                out.sink(src)?
                            };
                            job.text_pieces(&src.id(), &key_of(src), text, &mut |b| sink.write(b))?;
                            sink.finish()
                        })();
                        pb.inc(bytes.len() as u64);
                        if let Err(e) = written {
                            self.output_failed(e)?;
                        }
                    }
                    Err(e) => self.failed(src, &e),
                }
            }
        }
        self.summary(&format!("{} text input(s)", sources.len()), started);
        Ok(())
    }

    /// `-v`: what one input gave (records, spans per label, time), never its text.
    fn summary(&self, what: &str, started: std::time::Instant) {
        if !crate::verbose() {
            return;
        }
        let (records, labels) = self.job.tally().take();
        let spans: usize = labels.values().sum();
        let per_label: Vec<String> = labels.iter().map(|(l, n)| format!("{l} {n}")).collect();
        let per_label = if per_label.is_empty() {
            String::new()
        } else {
            format!(" ({})", per_label.join(", "))
        };
        let _ = writeln!(
            std::io::stderr(),
            "deid: {what}: {records} document(s), {spans} span(s){per_label} in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }

    /// Streams one JSONL source: a chunk of lines is read, parsed and processed on all cores,
    /// and its output written in input order before the next chunk is read, so memory holds
    /// one chunk, never the file. A read error ends the source (a file output is not
    /// written; what went to stdout stays written).
    fn jsonl_source(&mut self, src: &Source, out: &mut Output) -> Result<()> {
        let started = std::time::Instant::now();
        let cap = records::record_cap(self.input.max_document_size);
        let mut lines = match records::open_stream(src) {
            Ok(r) => records::JsonlLines::new(r, cap),
            Err(e) => {
                self.failed(src, &e);
                return Ok(());
            }
        };
        let mut sink = match out.sink(src) {
            Ok(s) => s,
            Err(e) => return self.output_failed(e),
        };
        let mut chunk = records::LineChunk::default();
        loop {
            match lines.read_chunk(&mut chunk, CHUNK_RECORDS, CHUNK_BYTES) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    self.failed(src, &e);
                    return Ok(());
                }
            }
            let bytes = self.jsonl_chunk(src, &chunk);
            self.job.flush_warnings(&src.name());
            if let Err(e) = sink.write(&bytes) {
                return self.output_failed(e);
            }
        }
        self.summary(&src.name(), started);
        match sink.finish() {
            Ok(()) => Ok(()),
            Err(e) => self.output_failed(e),
        }
    }

    /// The output lines of one chunk of JSONL lines (parsed and processed on all cores), in
    /// order; refused records are reported.
    fn jsonl_chunk(&mut self, src: &Source, chunk: &records::LineChunk) -> Vec<u8> {
        let (input, job, key_field, pb) = (self.input, self.job, self.keys.field, &self.pb.clone());
        let max_doc = input.max_document_size;
        let outputs: Vec<Result<String, RecordError>> = chunk
            .lines
            .par_iter()
            .filter_map(|(line, kept)| {
                let raw = match kept {
                    Ok(range) => chunk.line(range),
                    Err(e) => return Some(Err(e.clone())),
                };
                // Bytes of the input done, as each record completes (the newline too).
                let _done = IncOnDrop(pb, raw.len() as u64 + 1);
                let rec = records::parse_jsonl_line(
                    raw,
                    *line,
                    &input.text_field,
                    &input.id_field,
                    key_field,
                )?;
                Some(rec.and_then(|rec| {
                    let len = rec.text(&input.text_field).len();
                    match records::too_large(Some(rec.line), len, max_doc) {
                        Some(e) => Err(e),
                        None => Ok(job.json(&rec, &input.text_field)),
                    }
                }))
            })
            .collect();
        let mut buf = Vec::with_capacity(chunk.bytes.len());
        for r in outputs {
            match r {
                Ok(line) => {
                    buf.extend_from_slice(line.as_bytes());
                    buf.push(b'\n');
                }
                Err(e) => self.failed(src, &e),
            }
        }
        buf
    }

    /// Streams one CSV source: rows are read in chunks (as JSONL lines are), each chunk
    /// processed on all cores and written in order before the next is read. A read error or
    /// a record over the cap ends the source (a file output is not written).
    fn csv_source(&mut self, src: &Source, out: &mut Output) -> Result<()> {
        let started = std::time::Instant::now();
        let input = self.input;
        let cap = records::record_cap(input.max_document_size);
        let rows = records::open_stream(src).and_then(|r| {
            records::CsvRows::new(r, cap, &input.text_field, &input.id_field, self.keys.field)
        });
        let mut rows = match rows {
            Ok(r) => r,
            Err(e) => {
                self.failed(src, &e);
                return Ok(());
            }
        };
        let table = CsvTable {
            header: rows.header().to_vec(),
            text_col: rows.text_col(),
            rows: Vec::new(),
        };
        let mut sink = match out.sink(src) {
            Ok(s) => s,
            Err(e) => return self.output_failed(e),
        };
        let mut bytes = self.job.csv_header(&table)?;
        let done_before = self.pb.position();
        loop {
            let (good, more) = match self.csv_chunk(src, &mut rows, table.text_col) {
                Ok(chunk) => chunk,
                Err(e) => {
                    self.failed(src, &e);
                    return Ok(());
                }
            };
            let refs: Vec<&records::CsvRow> = good.iter().collect();
            bytes.extend(self.job.csv(&table, &refs)?);
            self.job.flush_warnings(&src.name());
            self.pb.set_position(done_before + rows.offset());
            if let Err(e) = sink.write(&bytes) {
                return self.output_failed(e);
            }
            bytes.clear();
            if !more {
                break;
            }
        }
        self.summary(&src.name(), started);
        match sink.finish() {
            Ok(()) => Ok(()),
            Err(e) => self.output_failed(e),
        }
    }

    /// The next rows of a CSV source, up to [`CHUNK_RECORDS`] rows or about [`CHUNK_BYTES`]
    /// of text, and whether more may follow; refused rows are reported.
    fn csv_chunk<R: std::io::Read>(
        &mut self,
        src: &Source,
        rows: &mut records::CsvRows<R>,
        text_col: usize,
    ) -> Result<(Vec<records::CsvRow>, bool), RecordError> {
        let max_doc = self.input.max_document_size;
        let (mut good, mut held) = (Vec::new(), 0);
        while good.len() < CHUNK_RECORDS && held < CHUNK_BYTES {
            let Some(row) = rows.next_row()? else {
                return Ok((good, false));
            };
            let checked = row.and_then(|row| {
                let len = row.fields[text_col].len();
                records::too_large(Some(row.line), len, max_doc).map_or(Ok(row), Err)
            });
            match checked {
                Ok(row) => {
                    held += row.fields.iter().map(String::len).sum::<usize>();
                    good.push(row);
                }
                Err(e) => self.failed(src, &e),
            }
        }
        Ok((good, true))
    }
}

/// `deid redact --spans FILE DOC`: applies a reviewed span list to one text document.
fn redact_reviewed(a: &RedactArgs, deid: &Deidentifier, file: &Path) -> Result<i32> {
    if a.input.input_format != InputFormat::Text || a.input.paths.len() != 1 || a.out.is_some() {
        bail!("--spans applies a reviewed list to one text document (one path or -, no --out)");
    }
    let raw = std::fs::read(file).with_context(|| format!("{}", file.display()))?;
    let v: Value = serde_json::from_slice(&raw).map_err(|e| {
        anyhow!(
            "{}:{}:{}: not JSON ({:?})",
            file.display(),
            e.line(),
            e.column(),
            e.classify()
        )
    })?;
    let list = match &v {
        Value::Array(_) => v.clone(),
        Value::Object(o) => o.get("spans").cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let reviewed: Vec<crate::serve::ReviewedSpan> = serde_json::from_value(list).map_err(|_| {
        anyhow!(
            "{}: expected an array of {{\"start\", \"end\", \"label\"}} (or an object with \"spans\")",
            file.display()
        )
    })?;
    let (sources, errors) = records::expand(&a.input.paths);
    if let Some(e) = errors.first() {
        bail!("{e}");
    }
    let src = &sources[0];
    let bytes = records::read_source(src, a.input.max_document_size, "document size")
        .map_err(|e| anyhow!("{}: {}", src.name(), e.message))?;
    let text = records::as_text(&bytes).map_err(|e| anyhow!("{}: {}", src.name(), e.message))?;
    let spans = crate::serve::reviewed_to_spans(text, &reviewed)
        .map_err(|m| anyhow!("{}: {m}", file.display()))?;
    let out = deid
        .redact_spans_record(text, &spans, Some(&src.key()))
        .map_err(|e| anyhow!("{}: {e}", file.display()))?;
    let mut stdout = std::io::BufWriter::new(std::io::stdout());
    stdout.write_all(out.text.as_bytes())?;
    stdout.flush()?;
    Ok(EXIT_OK)
}

fn redact(a: RedactArgs) -> Result<i32> {
    check_stdin_key(&a, a.date_shift.as_deref() == Some("keyed"))?;
    let mut b = builder(&a.input)?;
    b = b.strategy(match a.strategy {
        StrategyArg::Tag => Strategy::Tag,
        StrategyArg::Numbered => Strategy::Numbered,
        StrategyArg::Mask => Strategy::Mask,
        StrategyArg::Surrogate => Strategy::Surrogate,
    });
    if let Some(f) = &a.secret_file {
        b = b.secret(read_secret(f)?);
    }
    if let Some(ds) = &a.date_shift {
        refuse_separated_shift(ds, &a.input.paths)?;
        let keyed = DateShift::keyed(i64::from(a.max_shift_days))
            .map_err(|e| anyhow!("--max-shift-days: {e}"))?;
        let shift = if ds == "keyed" {
            keyed
        } else {
            let days = ds.parse::<i64>().map_err(|_| {
                anyhow!("--date-shift=DAYS takes a whole number of days within ±{MAX_SHIFT_DAYS} (100 years); --date-shift alone is a keyed shift")
            })?;
            DateShift::fixed(days).map_err(|e| anyhow!("--date-shift=DAYS: {e}"))?
        };
        b = b.date_shift(Some(shift));
    }
    b = b.redact_quasi(a.redact_quasi).mask_char(a.mask_char);
    let deid = b.build()?;
    if let Some(file) = &a.spans {
        return redact_reviewed(&a, &deid, file);
    }
    let exempt = [Some(a.input.id_field.clone()), a.key_field.clone()]
        .into_iter()
        .flatten()
        .collect();
    let redacted = if a.all_fields {
        fields::Selection::All
    } else if a.redact_fields.is_empty() {
        fields::Selection::TextOnly
    } else {
        fields::Selection::Named(a.redact_fields.iter().cloned().collect())
    };
    if redacted != fields::Selection::TextOnly && a.input.input_format == InputFormat::Text {
        bail!("--redact-fields and --all-fields apply to JSONL and CSV records (--input-format)");
    }
    let job = RedactJob {
        deid: &deid,
        spans_field: a.spans_field.clone(),
        fields: FieldPolicy::new(redacted, &a.input.text_field, exempt),
        tally: Tally::default(),
    };
    let mut out = Output {
        dir: a.out.clone(),
        in_place: a.in_place,
        inputs: HashSet::new(),
        stdout: std::io::BufWriter::new(std::io::stdout()),
    };
    let keys = Keys {
        field: a.key_field.as_deref(),
        stdin: a.key.as_deref(),
    };
    process(&a.input, &job, &mut out, false, keys)
}

/// `--key` names the patient of one text document on standard input, and nothing else; a
/// keyed date shift of such a document needs it: every piped note would otherwise get the key
/// `-`, so one shift for every patient (one known date would undo them all).
fn check_stdin_key(a: &RedactArgs, keyed_shift: bool) -> Result<()> {
    let paths = &a.input.paths;
    let text = a.input.input_format == InputFormat::Text;
    match a.key.as_deref() {
        Some(_)
            if !text || !(paths.is_empty() || paths.len() == 1 && paths[0].as_os_str() == "-") =>
        {
            bail!("--key names the patient of one text document on standard input (files are keyed by their path, JSONL/CSV records by --key-field)")
        }
        Some(k) if k.trim().is_empty() => bail!("--key must not be empty"),
        None if keyed_shift
            && text
            && (paths.is_empty() || paths.iter().any(|p| p.as_os_str() == "-")) =>
        {
            bail!("a keyed date shift of standard input needs --key KEY (the patient the note belongs to); without it every piped note would share one shift")
        }
        _ => Ok(()),
    }
}

/// `--date-shift 30 notes.txt` reads as a keyed shift of the inputs `30` and `notes.txt` (the
/// value needs `=`): refuse an input that is a whole number and no file, so a fixed shift is
/// never silently keyed.
fn refuse_separated_shift(shift: &str, paths: &[PathBuf]) -> Result<()> {
    if shift != "keyed" {
        return Ok(());
    }
    for p in paths {
        let n = p.to_str().and_then(|s| s.parse::<i64>().ok());
        if let Some(n) = n.filter(|_| !p.exists()) {
            bail!("{n} is not an input file: a fixed date shift is written --date-shift={n}");
        }
    }
    Ok(())
}

fn scan(a: ScanArgs) -> Result<i32> {
    // The quasi-identifier spans need the risk data, its phrase patterns and the place table
    // (about a third of the start-up work), built the first time a note asks for them: loaded
    // on a thread of their own while the engine is built (a load error still shows where it
    // did). The thread is not waited for: a note that needs what it has not built yet waits
    // for that alone (a one-line note naming no place does not wait for the place table), and
    // what it builds is the library's own static data.
    if !a.direct_only {
        let _ = std::thread::Builder::new()
            .name("deid-risk-data".into())
            .spawn(|| deid_core::risk::prepare().is_ok());
    }
    let deid = builder(&a.input)?.build()?;
    let job = ScanJob {
        deid: &deid,
        with_text: a.with_text,
        direct_only: a.direct_only,
        tally: Tally::default(),
    };
    let mut out = Output {
        dir: None,
        in_place: false,
        inputs: HashSet::new(),
        stdout: std::io::BufWriter::new(std::io::stdout()),
    };
    process(&a.input, &job, &mut out, true, Keys::default())
}

fn rules_check(dir: Option<&Path>) -> Result<i32> {
    let mut stderr = std::io::stderr();
    let (errors, set) = match dir {
        Some(d) => {
            let errors: Vec<String> = RuleSet::check_dir(d)
                .iter()
                .map(ToString::to_string)
                .collect();
            (
                errors,
                if d.exists() {
                    RuleSet::from_dir(d).ok()
                } else {
                    None
                },
            )
        }
        None => {
            let set = RuleSet::builtin();
            (set.check_examples(), Some(set))
        }
    };
    for e in &errors {
        writeln!(stderr, "{e}")?;
    }
    // Everything must also build together (one combined automaton).
    if errors.is_empty() {
        if let Some(set) = &set {
            if let Err(e) = Deidentifier::builder().rules(set.clone()).build() {
                writeln!(stderr, "{e}")?;
                return Ok(EXIT_PARTIAL);
            }
        }
    }
    if errors.is_empty() {
        let (p, d) = set
            .map(|s| (s.patterns.len(), s.dictionaries.len()))
            .unwrap_or((0, 0));
        println!("ok: {p} pattern rules, {d} dictionaries");
        Ok(EXIT_OK)
    } else {
        writeln!(stderr, "{} error(s)", errors.len())?;
        Ok(EXIT_PARTIAL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_chunks_hold_at_most_256_files_and_a_bounded_number_of_bytes() {
        let missing = |i: usize| Source::File {
            path: PathBuf::from(format!("/nonexistent/deid-test/{i}.txt")),
            rel: PathBuf::from(format!("{i}.txt")),
            id: None,
        };
        // (sources, document size limit, expected chunk lengths); a size that cannot be
        // read counts as the limit.
        let many: Vec<Source> = (0..300).map(missing).collect();
        let stdin3 = vec![Source::Stdin, Source::Stdin, Source::Stdin];
        let cases: [(&[Source], u64, &[usize]); 4] = [
            (&many, 1 << 10, &[256, 44]),
            (&stdin3, 1 << 10, &[3]),
            (&stdin3, 10 << 20, &[1, 1, 1]),
            (&stdin3, 64 << 20, &[1, 1, 1]),
        ];
        for (sources, max_doc, want) in cases {
            let got: Vec<usize> = text_chunks(sources, max_doc)
                .iter()
                .map(|c| c.len())
                .collect();
            assert_eq!(got, want, "max_doc {max_doc}");
        }
        assert!(text_chunks(&[], 1).is_empty());
    }
}

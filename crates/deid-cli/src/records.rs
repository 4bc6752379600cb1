//! Inputs: which files to read (files, directories, stdin) and how a source is split into
//! records (one text document, JSON lines, CSV rows). Errors name the source and line, never
//! the record's text.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where documents come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file; `rel` is its path relative to the argument it was found under.
    File {
        /// The path to read.
        path: PathBuf,
        /// The path below the output directory.
        rel: PathBuf,
        /// The id in `scan` output when it is not the path (see [`rename`]).
        id: Option<String>,
    },
}

impl Source {
    /// How the source is named in messages and as a default record id.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "-".to_string(),
            Source::File { path, .. } => path.display().to_string(),
        }
    }

    /// The id of a whole-file document in `scan` output.
    pub fn id(&self) -> String {
        match self {
            Source::File { id: Some(id), .. } => id.clone(),
            _ => self.name(),
        }
    }

    /// The key of keyed date shifts for a whole-file document: its canonical path, so
    /// `p/a.txt` and `./p/a.txt` shift alike (`-` for standard input).
    pub fn key(&self) -> String {
        match self {
            Source::Stdin => "-".to_string(),
            Source::File { path, .. } => path
                .canonicalize()
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string(),
        }
    }
}

/// Expands command-line paths: files as they are, directories recursively (sorted by name,
/// hidden entries skipped, symbolic links followed), nothing or `-` as stdin. Each file is
/// listed once, however many paths or links lead to it (compared by canonical path); a link
/// back to a directory being walked (a loop) is not followed again. Missing paths and
/// unreadable directories are returned as errors.
pub fn expand(paths: &[PathBuf]) -> (Vec<Source>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    if paths.is_empty() {
        out.push(Source::Stdin);
    }
    let mut add = |out: &mut Vec<Source>, path: PathBuf, rel: PathBuf| {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        if seen.insert(canonical) {
            out.push(Source::File {
                path,
                rel,
                id: None,
            });
        }
    };
    for p in paths {
        if p.as_os_str() == "-" {
            if !out.contains(&Source::Stdin) {
                out.push(Source::Stdin);
            }
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut |path, rel| add(&mut out, path, rel), &mut errors),
            Ok(_) => add(
                &mut out,
                p.clone(),
                p.file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| p.clone()),
            ),
            Err(e) => errors.push(format!("{}: {e}", p.display())),
        }
    }
    (out, errors)
}

/// Names files by `how` instead of by path (file names are data): the id becomes the input's
/// 1-based position, or the first 16 hex digits of SHA-256 of its path as given, and the
/// output path below `--out` becomes `ID.EXT` (flat), keeping the extension.
pub fn rename(sources: Vec<Source>, how: crate::args::IdsArg) -> Vec<Source> {
    use crate::args::IdsArg;
    use sha2::Digest;
    if how == IdsArg::Path {
        return sources;
    }
    sources
        .into_iter()
        .enumerate()
        .map(|(i, src)| match src {
            Source::File { path, rel, .. } => {
                let id = match how {
                    IdsArg::Index => (i + 1).to_string(),
                    _ => {
                        let d = sha2::Sha256::digest(path.to_string_lossy().as_bytes());
                        d.iter().take(8).map(|b| format!("{b:02x}")).collect()
                    }
                };
                let mut out = PathBuf::from(&id);
                if let Some(ext) = rel.extension() {
                    out.set_extension(ext);
                }
                Source::File {
                    path,
                    rel: out,
                    id: Some(id),
                }
            }
            Source::Stdin => Source::Stdin,
        })
        .collect()
}

/// Walks a directory with `walkdir`, which detects symbolic-link loops (a link to an ancestor
/// directory) instead of following them forever.
fn walk(root: &Path, add: &mut dyn FnMut(PathBuf, PathBuf), errors: &mut Vec<String>) {
    let entries = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'))
        });
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| e.path().to_path_buf());
                add(e.into_path(), rel);
            }
            Ok(_) => {}
            // A loop loses nothing: everything below it is walked once already.
            Err(e) if e.loop_ancestor().is_some() => {}
            Err(e) => {
                let path = e.path().unwrap_or(root).display().to_string();
                let why = e
                    .io_error()
                    .map_or_else(|| "cannot be read".to_string(), ToString::to_string);
                errors.push(format!("{path}: {why}"));
            }
        }
    }
}

/// How many bytes are read first to tell a binary input (a NUL byte among them) from text,
/// before anything more is read.
pub const SNIFF_BYTES: usize = 8192;

/// The default maximum size of one document (a text input, or one JSONL/CSV record's text).
pub const DEFAULT_MAX_DOCUMENT_SIZE: u64 = 64 << 20;

/// `deid risk` and `deid vignette` read a JSONL or CSV input whole, up to this many times the
/// maximum document size (`redact` and `scan` stream them, see [`JsonlLines`] and [`CsvRows`]).
pub const RECORD_FILE_FACTOR: u64 = 16;

/// Reads a whole source, but never more than `max` bytes: a binary input (a NUL byte in the
/// first [`SNIFF_BYTES`]) is refused after those bytes, and a larger input (`/dev/zero`, a
/// runaway pipe) after `max + 1` bytes. `what` names the limit in the message.
pub fn read_source(src: &Source, max: u64, what: &str) -> Result<Vec<u8>, RecordError> {
    match src {
        Source::Stdin => read_bounded(std::io::stdin().lock(), max, what, 0),
        Source::File { path, .. } => {
            let f = std::fs::File::open(path).map_err(io_error)?;
            // Sized once from the file's length (a buffer grown by doubling would hold up to
            // three times a large document while it is copied).
            let hint = f.metadata().map_or(0, |m| m.len()).min(max);
            read_bounded(f, max, what, hint)
        }
    }
}

fn io_error(e: std::io::Error) -> RecordError {
    err(None, e.to_string())
}

/// [`read_source`] of a reader; `hint` is the expected length (0 when unknown).
fn read_bounded<R: std::io::Read>(
    mut r: R,
    max: u64,
    what: &str,
    hint: u64,
) -> Result<Vec<u8>, RecordError> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).saturating_add(1));
    let first = (SNIFF_BYTES as u64).min(max.saturating_add(1));
    (&mut r)
        .take(first)
        .read_to_end(&mut buf)
        .map_err(io_error)?;
    if let Some(p) = memchr_nul(&buf) {
        return Err(binary(p));
    }
    let rest = max.saturating_add(1).saturating_sub(buf.len() as u64);
    r.take(rest).read_to_end(&mut buf).map_err(io_error)?;
    if buf.len() as u64 > max {
        return Err(err(
            None,
            format!("larger than the maximum {what} of {max} bytes, skipped (--max-document-size changes it)"),
        ));
    }
    Ok(buf)
}

/// The error of a document larger than `max` bytes.
pub fn too_large(line: Option<usize>, len: usize, max: u64) -> Option<RecordError> {
    (len as u64 > max).then(|| {
        err(
            line,
            format!("text of {len} bytes is larger than the maximum document size of {max} bytes, skipped (--max-document-size changes it)"),
        )
    })
}

/// Why a source or record could not be read. Never contains the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based line of the file (JSONL line; line where a CSV record starts), when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

fn err(line: Option<usize>, message: impl Into<String>) -> RecordError {
    RecordError {
        line,
        message: message.into(),
    }
}

/// Checks that bytes are text: no NUL byte, valid UTF-8.
pub fn as_text(bytes: &[u8]) -> Result<&str, RecordError> {
    if let Some(p) = memchr_nul(bytes) {
        return Err(binary(p));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        err(
            None,
            format!(
                "not valid UTF-8 (invalid byte at offset {}), skipped",
                e.valid_up_to()
            ),
        )
    })
}

fn binary(offset: usize) -> RecordError {
    err(
        None,
        format!("binary file (NUL byte at offset {offset}), skipped"),
    )
}

fn memchr_nul(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == 0)
}

/// One JSON-lines record.
#[derive(Debug, Clone)]
pub struct JsonRecord {
    /// 1-based line number.
    pub line: usize,
    /// The whole object, fields in their original order.
    pub object: serde_json::Map<String, serde_json::Value>,
    /// The record id (id field, else the line number).
    pub id: String,
    /// The key for keyed date shifts.
    pub key: String,
}

impl JsonRecord {
    /// The text field (validated to be a string when parsed).
    pub fn text<'a>(&'a self, field: &str) -> &'a str {
        self.object
            .get(field)
            .and_then(|v| v.as_str())
            .unwrap_or("")
    }
}

fn value_as_id(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A byte-order mark, accepted before the first record (some editors write one).
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Splits JSON lines into records; blank lines are skipped, bad lines are errors. The streaming
/// path ([`JsonlLines`]) parses each line with the same [`parse_jsonl_line`].
pub fn parse_jsonl(
    bytes: &[u8],
    text_field: &str,
    id_field: &str,
    key_field: Option<&str>,
) -> Vec<Result<JsonRecord, RecordError>> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter_map(|(i, raw)| parse_jsonl_line(raw, i + 1, text_field, id_field, key_field))
        .collect()
}

/// Parses one JSON line (`line` is its 1-based number, `raw` its bytes without the `\n`; a
/// trailing `\r` is ignored): `None` for a blank line, else the record or why it is refused.
pub fn parse_jsonl_line(
    raw: &[u8],
    line: usize,
    text_field: &str,
    id_field: &str,
    key_field: Option<&str>,
) -> Option<Result<JsonRecord, RecordError>> {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    if raw.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    Some(json_record(raw, line, text_field, id_field, key_field))
}

/// A non-blank JSON line as a record: an object with a string text field (and a key when
/// `key_field` is given).
fn json_record(
    raw: &[u8],
    line: usize,
    text_field: &str,
    id_field: &str,
    key_field: Option<&str>,
) -> Result<JsonRecord, RecordError> {
    let s = std::str::from_utf8(raw).map_err(|e| {
        err(
            Some(line),
            format!(
                "not valid UTF-8 (invalid byte at column {})",
                e.valid_up_to() + 1
            ),
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(s).map_err(|e| {
        err(
            Some(line),
            format!(
                "invalid JSON at column {}: {}",
                e.column(),
                json_error_kind(&e)
            ),
        )
    })?;
    let serde_json::Value::Object(object) = value else {
        return Err(err(Some(line), "not a JSON object"));
    };
    match object.get(text_field) {
        Some(serde_json::Value::String(_)) => {}
        Some(_) => {
            return Err(err(
                Some(line),
                format!("field {text_field:?} is not a string"),
            ))
        }
        None => return Err(err(Some(line), format!("no field {text_field:?}"))),
    }
    let id = object
        .get(id_field)
        .and_then(value_as_id)
        .unwrap_or_else(|| line.to_string());
    let key = match key_field {
        None => id.clone(),
        Some(k) => object
            .get(k)
            .and_then(value_as_id)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| missing_key(line, k))?,
    };
    Ok(JsonRecord {
        line,
        object,
        id,
        key,
    })
}

/// The longest JSONL line or CSV record read for a maximum document size `max_doc`: twice that
/// (room for the JSON escapes of a text of `max_doc` bytes) plus 64 KiB for the other fields.
pub fn record_cap(max_doc: u64) -> u64 {
    max_doc.saturating_mul(2).saturating_add(64 << 10)
}

/// Bytes of input buffered by the streaming reader.
const READ_BUFFER: usize = 64 << 10;

/// Opens a source for streaming, refusing a binary one (a NUL byte in the first
/// [`SNIFF_BYTES`], read before anything else) as [`read_source`] does.
pub fn open_stream(src: &Source) -> Result<Box<dyn std::io::BufRead>, RecordError> {
    use std::io::Read;
    let mut r: Box<dyn Read> = match src {
        Source::Stdin => Box::new(std::io::stdin().lock()),
        Source::File { path, .. } => Box::new(std::fs::File::open(path).map_err(io_error)?),
    };
    let mut head = Vec::new();
    (&mut r)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    if let Some(p) = memchr_nul(&head) {
        return Err(binary(p));
    }
    let rest = std::io::Cursor::new(head).chain(r);
    Ok(Box::new(std::io::BufReader::with_capacity(
        READ_BUFFER,
        rest,
    )))
}

/// A JSONL source read in bounded chunks of lines: memory holds one chunk, never the file. A
/// line longer than the cap is an error naming its line and length, and is skipped up to the
/// next newline without being held.
pub struct JsonlLines<R> {
    reader: R,
    cap: u64,
    /// Lines read so far (the number of the last one).
    line: usize,
}

/// Lines read by [`JsonlLines::read_chunk`]: their bytes, one after the other, and for each
/// its 1-based line number and its range in `bytes` (or why it was not kept).
#[derive(Debug, Default)]
pub struct LineChunk {
    /// The kept lines' bytes, without their `\n` (a byte-order mark on line one removed).
    pub bytes: Vec<u8>,
    /// Each line read: its number and its bytes' range, or the error of a line over the cap.
    pub lines: Vec<(usize, Result<std::ops::Range<usize>, RecordError>)>,
}

impl LineChunk {
    /// The bytes of one kept line.
    pub fn line(&self, range: &std::ops::Range<usize>) -> &[u8] {
        self.bytes.get(range.clone()).unwrap_or_default()
    }
}

impl<R: std::io::BufRead> JsonlLines<R> {
    /// Lines of `reader`, each at most `cap` bytes (see [`record_cap`]).
    pub fn new(reader: R, cap: u64) -> Self {
        JsonlLines {
            reader,
            cap,
            line: 0,
        }
    }

    /// Replaces `chunk` with the next lines: up to `max_lines` lines, stopping early once
    /// `max_bytes` bytes are held. Returns false at the end of the input (nothing read).
    pub fn read_chunk(
        &mut self,
        chunk: &mut LineChunk,
        max_lines: usize,
        max_bytes: usize,
    ) -> Result<bool, RecordError> {
        chunk.bytes.clear();
        chunk.lines.clear();
        while chunk.lines.len() < max_lines && chunk.bytes.len() < max_bytes {
            let start = chunk.bytes.len();
            let Some(len) = read_capped_line(&mut self.reader, &mut chunk.bytes, self.cap)
                .map_err(|e| err(Some(self.line + 1), e.to_string()))?
            else {
                break;
            };
            self.line += 1;
            if self.line == 1 && chunk.bytes[start..].starts_with(BOM) {
                chunk.bytes.drain(start..start + BOM.len());
            }
            let kept = if len > self.cap {
                Err(err(
                    Some(self.line),
                    format!(
                        "line of {len} bytes is longer than the maximum of {} bytes (twice the maximum document size, plus 64 KiB), skipped (--max-document-size changes it)",
                        self.cap
                    ),
                ))
            } else {
                Ok(start..chunk.bytes.len())
            };
            chunk.lines.push((self.line, kept));
        }
        Ok(!chunk.lines.is_empty())
    }
}

/// Appends the next line of `r` (without its `\n`) to `buf` and returns its length, or `None`
/// at the end of the input. A line longer than `cap` is read to its end but not kept: `buf`
/// is left as it was and the returned length is over `cap`.
fn read_capped_line<R: std::io::BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    cap: u64,
) -> std::io::Result<Option<u64>> {
    let start = buf.len();
    let mut len: u64 = 0;
    let mut any = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        any = true;
        let newline = avail.iter().position(|&b| b == b'\n');
        let part = &avail[..newline.unwrap_or(avail.len())];
        len += part.len() as u64;
        if len <= cap {
            buf.extend_from_slice(part);
        } else {
            buf.truncate(start);
        }
        let used = part.len() + usize::from(newline.is_some());
        r.consume(used);
        if newline.is_some() {
            break;
        }
    }
    Ok(any.then_some(len))
}

/// A record without the `--key-field` that keys its date shift and surrogates: an error, never
/// a silent fallback to the id or line number.
fn missing_key(line: usize, field: &str) -> RecordError {
    err(
        Some(line),
        format!("no value in {field:?} (the --key-field), the record is not written"),
    )
}

/// A description of a serde_json error that cannot quote input.
fn json_error_kind(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => "I/O error".to_string(),
        // serde_json's syntax messages are fixed phrases ("number out of range", "lone leading
        // surrogate in hex escape", "trailing characters"), never input text; drop the
        // position it appends (the column is given separately).
        Category::Syntax => {
            let msg = e.to_string();
            match msg.rfind(" at line ") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            }
        }
        // Data messages can quote the value ("invalid type: string ..."): not shown.
        Category::Data => "unexpected data".to_string(),
        Category::Eof => "unexpected end of line".to_string(),
    }
}

/// A CSV table: header and rows, with the text and id column positions.
#[derive(Debug, Clone)]
pub struct CsvTable {
    /// Column names.
    pub header: Vec<String>,
    /// Index of the text column.
    pub text_col: usize,
    /// Every record, parsed or not, in file order.
    pub rows: Vec<Result<CsvRow, RecordError>>,
}

/// One CSV row.
#[derive(Debug, Clone)]
pub struct CsvRow {
    /// 1-based line of the file where the record starts.
    pub line: usize,
    /// Every field.
    pub fields: Vec<String>,
    /// The id (id column, else the data row number).
    pub id: String,
    /// The key for keyed date shifts.
    pub key: String,
}

/// Parses CSV with a header row, all of it (see [`CsvRows`], which it reads through).
pub fn parse_csv(
    bytes: &[u8],
    text_field: &str,
    id_field: &str,
    key_field: Option<&str>,
) -> Result<CsvTable, RecordError> {
    let mut reader = CsvRows::new(bytes, u64::MAX, text_field, id_field, key_field)?;
    let mut rows = Vec::new();
    loop {
        match reader.next_row() {
            Ok(Some(row)) => rows.push(row),
            Ok(None) => break,
            Err(e) => {
                rows.push(Err(e));
                break;
            }
        }
    }
    Ok(CsvTable {
        header: reader.header,
        text_col: reader.text_col,
        rows,
    })
}

/// A CSV source with a header row, read record by record with bounded memory.
///
/// Fails closed on anything that could let note text through untouched: a header naming the
/// text column twice is an error for the whole table; a record whose quoting is not strict
/// (a quote inside an unquoted field, text after a closing quote, a quote never closed) or
/// whose field other than the text column spans several lines (what a stray quote does: it
/// swallows the following rows into one field) is an error for that record. Errors give the
/// file line where the record starts and a column number, never content. A record longer than
/// the cap (a stray quote swallowing the rest of a large file) ends the reading.
pub struct CsvRows<R> {
    rdr: csv::Reader<Tape<R>>,
    /// Column names.
    header: Vec<String>,
    /// Index of the text column.
    text_col: usize,
    id_col: Option<usize>,
    key_col: Option<usize>,
    /// Records read so far.
    index: usize,
    rec: csv::ByteRecord,
    cap: u64,
    /// Stream offset and line where the last record (or the header) ended.
    at: (u64, usize),
}

impl<R: std::io::Read> CsvRows<R> {
    /// Reads the header of `reader`; records may then be at most `cap` bytes.
    pub fn new(
        reader: R,
        cap: u64,
        text_field: &str,
        id_field: &str,
        key_field: Option<&str>,
    ) -> Result<Self, RecordError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(Tape::new(reader, cap));
        let header = csv_header(&mut rdr)?;
        let text_col = text_column(&header, text_field)?;
        let id_col = header.iter().position(|h| h == id_field);
        let key_col = match key_field {
            None => None,
            Some(k) => Some(header.iter().position(|h| h == k).ok_or_else(|| {
                err(
                    Some(1),
                    format!("no column {k:?} (the --key-field) in the header"),
                )
            })?),
        };
        let at = (rdr.position().byte(), rdr.position().line() as usize);
        rdr.get_mut().release(at.0);
        Ok(CsvRows {
            rdr,
            header,
            text_col,
            id_col,
            key_col,
            index: 0,
            rec: csv::ByteRecord::new(),
            cap,
            at,
        })
    }

    /// Column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Index of the text column.
    pub fn text_col(&self) -> usize {
        self.text_col
    }

    /// Bytes of the input read so far (to the end of the last record).
    pub fn offset(&self) -> u64 {
        self.at.0
    }

    /// The next record (`Ok(None)` at the end), or an error that ends the reading: the input
    /// could not be read, or a record is longer than the cap.
    #[allow(clippy::type_complexity)]
    pub fn next_row(&mut self) -> Result<Option<Result<CsvRow, RecordError>>, RecordError> {
        let read = self.rdr.read_byte_record(&mut self.rec);
        let end = self.rdr.position().byte();
        let row = match read {
            Ok(false) => return Ok(None),
            Ok(true) => self.row(end),
            Err(e) => self.malformed(&e, end)?,
        };
        self.at = (end, self.rdr.position().line() as usize);
        self.rdr.get_mut().release(end);
        Ok(Some(row))
    }

    /// A record the reader refused (unequal lengths, bad UTF-8), or the end of the reading.
    fn malformed(
        &mut self,
        e: &csv::Error,
        end: u64,
    ) -> Result<Result<CsvRow, RecordError>, RecordError> {
        self.index += 1;
        if let csv::ErrorKind::Io(io) = e.kind() {
            let tape = self.rdr.get_ref();
            let (line, _) = record_start(tape.slice(self.at.0, u64::MAX), self.at.1);
            return Err(if tape.over {
                err(
                    Some(line),
                    format!(
                        "a CSV record longer than the maximum of {} bytes (twice the maximum document size, plus 64 KiB; a stray quote?), the rest of the file is not read (--max-document-size changes it)",
                        self.cap
                    ),
                )
            } else {
                err(Some(line), format!("cannot read: {io}"))
            });
        }
        let tape = self.rdr.get_ref();
        let line = e.position().map_or(self.index + 1, |p| {
            record_start(tape.slice(p.byte(), end), p.line() as usize).0
        });
        Ok(Err(err(
            Some(line),
            format!("malformed CSV record: {}", csv_error_kind(e)),
        )))
    }

    /// Checks and converts the record just read (ending at byte `end`).
    fn row(&mut self, end: u64) -> Result<CsvRow, RecordError> {
        self.index += 1;
        let index = self.index;
        let rec = &self.rec;
        let pos = rec
            .position()
            .expect("a record read from a reader has a position");
        let (line, raw) = record_start(
            self.rdr.get_ref().slice(pos.byte(), end),
            pos.line() as usize,
        );
        if let Err(col) = strict_quoting(raw) {
            return Err(err(
                Some(line),
                format!("stray quote in column {col} (quote the whole field and double any quote inside it); the record is not written"),
            ));
        }
        if let Some(col) = (0..rec.len())
            .find(|&c| c != self.text_col && rec[c].iter().any(|&b| b == b'\n' || b == b'\r'))
        {
            let last = line
                + raw
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    .saturating_sub(1);
            return Err(err(
                Some(line),
                format!(
                    "column {} spans lines {line}-{last} (a stray quote swallowing rows?); only the text column may hold line breaks, the record is not written",
                    col + 1
                ),
            ));
        }
        let fields: Vec<String> = rec
            .iter()
            .map(|f| std::str::from_utf8(f).map(str::to_string))
            .collect::<Result<_, _>>()
            .map_err(|_| err(Some(line), "not valid UTF-8"))?;
        let id = self
            .id_col
            .and_then(|c| fields.get(c))
            .filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| index.to_string());
        let key = match self.key_col {
            None => id.clone(),
            Some(c) => fields
                .get(c)
                .filter(|s| !s.is_empty())
                .cloned()
                .ok_or_else(|| missing_key(line, &self.header[c]))?,
        };
        Ok(CsvRow {
            line,
            fields,
            id,
            key,
        })
    }
}

/// The header row as text.
fn csv_header<R: std::io::Read>(rdr: &mut csv::Reader<R>) -> Result<Vec<String>, RecordError> {
    match rdr.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| std::str::from_utf8(f).map(str::to_string))
            .collect::<Result<_, _>>()
            .map_err(|_| err(Some(1), "header is not valid UTF-8")),
        Err(e) => Err(err(
            Some(1),
            format!("cannot read the CSV header: {}", csv_error_kind(&e)),
        )),
    }
}

/// The one column named `text_field`: none, or two, is an error for the whole table.
fn text_column(header: &[String], text_field: &str) -> Result<usize, RecordError> {
    let text_cols: Vec<usize> = (0..header.len())
        .filter(|&i| header[i] == text_field)
        .collect();
    match text_cols[..] {
        [] => Err(err(
            Some(1),
            format!("no column {text_field:?} in the header"),
        )),
        [c] => Ok(c),
        _ => {
            let cols: Vec<String> = text_cols.iter().map(|c| (c + 1).to_string()).collect();
            Err(err(
                Some(1),
                format!(
                    "{} columns are named {text_field:?} (columns {}): which one holds the text is ambiguous, nothing is written",
                    text_cols.len(),
                    cols.join(", ")
                ),
            ))
        }
    }
}

/// Once this many bytes of a [`Tape`] are released they are dropped.
const TAPE_COMPACT: usize = 64 << 10;

/// The reader under a streaming CSV parser: it keeps the bytes read since the start of the
/// record in progress, so the raw record can be checked for strict quoting, and refuses to
/// read on once it holds more than `limit` bytes.
struct Tape<R> {
    inner: R,
    bytes: Vec<u8>,
    /// Stream offset of `bytes[0]`.
    base: u64,
    limit: u64,
    /// Reading stopped at the limit.
    over: bool,
}

impl<R> Tape<R> {
    fn new(inner: R, limit: u64) -> Self {
        Tape {
            inner,
            bytes: Vec::new(),
            base: 0,
            limit,
            over: false,
        }
    }

    /// The bytes at stream offsets `start..end` still held (clipped to what is held).
    fn slice(&self, start: u64, end: u64) -> &[u8] {
        let at = |o: u64| {
            usize::try_from(o.saturating_sub(self.base))
                .unwrap_or(usize::MAX)
                .min(self.bytes.len())
        };
        &self.bytes[at(start)..at(end).max(at(start))]
    }

    /// The bytes before stream offset `end` are no longer needed (dropped in batches).
    fn release(&mut self, end: u64) {
        let n = usize::try_from(end.saturating_sub(self.base))
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        if n == self.bytes.len() || n >= TAPE_COMPACT {
            self.bytes.drain(..n);
            self.base += n as u64;
        }
    }
}

impl<R: std::io::Read> std::io::Read for Tape<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.bytes.len() as u64 > self.limit {
            self.over = true;
            return Err(std::io::Error::other("CSV record over the size limit"));
        }
        let n = self.inner.read(buf)?;
        self.bytes.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// The line where a record really starts, and its bytes, from the bytes read for it (`raw`,
/// starting on line `line`): the reader skips blank lines before a record, and its position is
/// where it started skipping.
fn record_start(raw: &[u8], line: usize) -> (usize, &[u8]) {
    let mut raw = raw;
    let mut line = line;
    while let Some((&b, rest)) = raw.split_first() {
        if !matches!(b, b'\n' | b'\r') {
            break;
        }
        line += usize::from(b == b'\n');
        raw = rest;
    }
    (line, raw)
}

/// Checks one raw CSV record (with its line terminator) against strict RFC 4180 quoting: a
/// field is either free of quotes or quoted from its first byte to its last, with inner quotes
/// doubled. Returns the 1-based column of the first field that is not.
fn strict_quoting(raw: &[u8]) -> Result<(), usize> {
    let mut end = raw.len();
    while end > 0 && matches!(raw[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    let raw = &raw[..end];
    let mut i = 0;
    let mut col = 1;
    loop {
        if raw.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match raw.get(i) {
                    None => return Err(col),
                    Some(b'"') if raw.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            match raw.get(i) {
                None => return Ok(()),
                Some(b',') => i += 1,
                Some(_) => return Err(col),
            }
        } else {
            let len = raw[i..].iter().position(|&b| b == b',');
            let field = &raw[i..len.map_or(raw.len(), |l| i + l)];
            if field.contains(&b'"') {
                return Err(col);
            }
            match len {
                None => return Ok(()),
                Some(l) => i += l + 1,
            }
        }
        col += 1;
    }
}

fn csv_error_kind(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        csv::ErrorKind::Io(_) => "I/O error".to_string(),
        _ => "parse error".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_records_and_errors() {
        let input = b"{\"id\": 7, \"text\": \"a\", \"x\": 1}\n\n{\"text\": \"b\"}\nnot json\n{\"text\": 3}\n\xff\n";
        let recs = parse_jsonl(input, "text", "id", None);
        assert_eq!(recs.len(), 5);
        let r0 = recs[0].as_ref().unwrap();
        assert_eq!((r0.id.as_str(), r0.text("text")), ("7", "a"));
        assert_eq!(recs[1].as_ref().unwrap().id, "3");
        assert_eq!(recs[2].as_ref().unwrap_err().line, Some(4));
        assert!(recs[3]
            .as_ref()
            .unwrap_err()
            .message
            .contains("not a string"));
        assert!(recs[4].as_ref().unwrap_err().message.contains("UTF-8"));
        // Messages never quote the input.
        assert!(!recs[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("not json"));
    }

    #[test]
    fn jsonl_syntax_errors_say_what_is_wrong_without_quoting_the_line() {
        for (line, says) in [
            (
                &b"{\"text\": \"Quentin\", \"n\": 1e309}"[..],
                "number out of range",
            ),
            (b"{\"text\": \"Quentin \\ud800\"}", "hex escape"),
            (b"{\"text\": \"Quentin\"} Abernathy", "trailing characters"),
            (b"{\"text\": \"Quentin\" \"x\"}", "expected"),
        ] {
            let e = parse_jsonl(line, "text", "id", None)
                .remove(0)
                .expect_err("refused");
            let msg = e.to_string();
            assert!(msg.contains(says), "{msg}");
            assert!(
                !msg.contains("Quentin") && !msg.contains("Abernathy"),
                "{msg}"
            );
            assert!(!msg.contains(" at line "), "one position only: {msg}");
        }
    }

    #[test]
    fn csv_rows() {
        let t = parse_csv(
            b"id,text,site\n1,\"hello, world\nline two\",a\n,x,b\n",
            "text",
            "id",
            None,
        )
        .unwrap();
        assert_eq!(t.text_col, 1);
        let r: Vec<_> = t.rows.iter().map(|r| r.as_ref().unwrap()).collect();
        assert_eq!(r[0].fields[1], "hello, world\nline two");
        assert_eq!(r[1].id, "2");
        assert!(parse_csv(b"a,b\n1,2\n", "text", "id", None).is_err());
    }

    #[test]
    fn csv_stray_quote_swallowing_rows_is_an_error_at_its_file_line() {
        // Issue 11: the quote opened in `site` swallows rows 2 and 3 into one field.
        let t = parse_csv(
            b"id,site,text\n1,\"Main clinic,Seen today\n2,x,Seen by Dr. Quentin Abernathy-Sloane\n3,Annex\",Follow-up\n4,y,ok\n",
            "text",
            "id",
            None,
        )
        .unwrap();
        let e = t.rows[0].as_ref().unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("column 2 spans lines 2-4"), "{e}");
        assert!(!e.to_string().contains("Quentin"));
        let ok = t.rows[1].as_ref().unwrap();
        assert_eq!((ok.line, ok.id.as_str()), (5, "4"));
    }

    #[test]
    fn csv_strict_quoting_table() {
        for (raw, want) in [
            (&b"a,b,c\n"[..], Ok(())),
            (b"\"a\",\"b,\"\"c\"\"\",\r\n", Ok(())),
            (b"\"multi\nline\",x", Ok(())),
            (b"a,b\"c", Err(2)),
            (b"\"a\"b,c", Err(1)),
            (b"a,\"never closed", Err(2)),
            (b"5'10\",x", Err(1)),
        ] {
            assert_eq!(
                strict_quoting(raw),
                want,
                "{:?}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Whatever the bytes (quotes, commas, line breaks in any order), a record that parses
        /// has one field per column and line breaks only in the text column.
        #[test]
        fn csv_never_accepts_a_multiline_field_outside_the_text_column(
            body in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b'"', b',', b'\n', b'\r', b' ']),
                0..80,
            )
        ) {
            let mut input = b"id,site,text\n".to_vec();
            input.extend_from_slice(&body);
            if let Ok(t) = parse_csv(&input, "text", "id", None) {
                let mut last = 0;
                for r in &t.rows {
                    let line = match r {
                        Ok(row) => {
                            proptest::prop_assert_eq!(row.fields.len(), 3);
                            for (c, f) in row.fields.iter().enumerate() {
                                proptest::prop_assert!(c == 2 || !f.contains(['\n', '\r']));
                            }
                            row.line
                        }
                        Err(e) => e.line.unwrap_or(0),
                    };
                    proptest::prop_assert!(line >= last.max(2));
                    last = line;
                }
            }
        }
    }

    /// A reader that hands out at most three bytes a call.
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Every row of `input` read through [`CsvRows`] from a trickling reader.
    fn csv_stream(input: &[u8], cap: u64) -> Vec<Result<CsvRow, RecordError>> {
        let mut rows = CsvRows::new(Trickle(input), cap, "text", "id", None).unwrap();
        let mut out = Vec::new();
        loop {
            match rows.next_row() {
                Ok(Some(r)) => out.push(r),
                Ok(None) => return out,
                Err(e) => {
                    out.push(Err(e));
                    return out;
                }
            }
        }
    }

    #[test]
    fn csv_streamed_in_small_reads_matches_parse_csv() {
        // About 300 KB, so the tape is compacted many times, with errors in between.
        let mut input = b"id,site,text\n".to_vec();
        for i in 0..3000 {
            input.extend_from_slice(match i % 5 {
                0 => b"1,a,\"two\nlines, \"\"quoted\"\"\"\n\n".as_slice(),
                1 => b"2,\"b\nc\",x\n",
                2 => b"3,a\"b,x\n",
                3 => b"4,a,b,extra\n",
                _ => b",a,Seen today on 03/14/2021 by the team on the ward, all well\r\n",
            });
        }
        let whole = parse_csv(&input, "text", "id", None).unwrap();
        assert_eq!(
            format!("{:?}", csv_stream(&input, u64::MAX)),
            format!("{:?}", whole.rows)
        );
    }

    #[test]
    fn csv_record_over_the_cap_ends_the_reading_at_its_line() {
        let input = format!("id,text\n1,a\n\n2,\"{}\n3,b\n", "Quentin\n".repeat(50));
        let rows = csv_stream(input.as_bytes(), 100);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].as_ref().unwrap().fields[1], "a");
        let e = rows[1].as_ref().unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(
            e.message.contains("the rest of the file is not read"),
            "{e}"
        );
        assert!(!e.to_string().contains("Quentin"));
    }

    #[test]
    fn csv_two_text_columns_is_an_error() {
        let e = parse_csv(b"id,text,text\n1,a,b\n", "text", "id", None).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("columns 2, 3"), "{e}");
    }

    #[test]
    fn csv_error_lines_are_file_lines() {
        let t = parse_csv(
            b"id,text\n1,\"two\nlines\"\n\n2,a,extra\n3,\"q\"x\n",
            "text",
            "id",
            None,
        )
        .unwrap();
        assert_eq!(t.rows[0].as_ref().unwrap().line, 2);
        assert_eq!(t.rows[1].as_ref().unwrap_err().line, Some(5));
        assert_eq!(t.rows[2].as_ref().unwrap_err().line, Some(6));
    }

    /// Streams `input` through [`JsonlLines`] in chunks of `max_lines` lines and parses each
    /// line as the streaming path does.
    fn stream(input: &[u8], cap: u64, max_lines: usize) -> Vec<Result<JsonRecord, RecordError>> {
        let mut lines = JsonlLines::new(std::io::BufReader::with_capacity(4, input), cap);
        let mut chunk = LineChunk::default();
        let mut out = Vec::new();
        while lines.read_chunk(&mut chunk, max_lines, 1 << 20).unwrap() {
            for (line, kept) in &chunk.lines {
                match kept {
                    Ok(r) => out.extend(parse_jsonl_line(chunk.line(r), *line, "text", "id", None)),
                    Err(e) => out.push(Err(e.clone())),
                }
            }
        }
        out
    }

    #[test]
    fn jsonl_streaming_matches_parse_jsonl() {
        let input = b"\xEF\xBB\xBF{\"id\": 7, \"text\": \"a\"}\r\n\n  \n{\"text\": \"b\"}\nnot json\n{\"text\": 3}\n\xff\n{\"text\": \"c\"}";
        let whole = format!("{:?}", parse_jsonl(input, "text", "id", None));
        for max_lines in [1, 2, 3, 1024] {
            assert_eq!(format!("{:?}", stream(input, 1 << 20, max_lines)), whole);
        }
    }

    #[test]
    fn jsonl_line_over_the_cap_is_skipped_and_named_by_its_line() {
        let long = format!("{{\"text\": \"{}\"}}", "Quentin ".repeat(20));
        let input = format!("{{\"text\": \"a\"}}\n{long}\n{{\"text\": \"b\"}}\n");
        let recs = stream(input.as_bytes(), 40, 2);
        assert_eq!(recs.len(), 3);
        let e = recs[1].as_ref().unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            e.message.contains(&format!("line of {} bytes", long.len())),
            "{e}"
        );
        assert!(!e.to_string().contains("Quentin"));
        assert_eq!(recs[2].as_ref().unwrap().text("text"), "b");
        assert_eq!(recs[2].as_ref().unwrap().line, 3);
    }

    #[test]
    fn jsonl_byte_order_mark_on_line_one_is_accepted() {
        let recs = parse_jsonl(b"\xEF\xBB\xBF{\"text\": \"a\"}\n", "text", "id", None);
        assert_eq!(recs[0].as_ref().unwrap().line, 1);
    }

    #[test]
    fn binary_and_bad_utf8() {
        assert!(as_text(b"ab\0c").unwrap_err().message.contains("binary"));
        assert!(as_text(b"ab\xffc").unwrap_err().message.contains("UTF-8"));
        assert_eq!(as_text(b"").unwrap(), "");
    }
}

//! Command-line flags, parsed into plain data first.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Find and remove identifying information from clinical notes.
#[derive(Debug, Parser)]
#[command(name = "deid", version, about, long_about = None, after_help = "Exit codes: 0 ok; 1 some inputs failed (reported on stderr, the rest processed); 2 usage or configuration error.")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print no progress bar, warnings or reports on stderr; errors are still printed.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print a summary per input on stderr (records, spans per category, refusals, time;
    /// never note text).
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Redact identifiers and print (or write) the de-identified text.
    #[command(
        after_help = "Examples:\n  deid redact examples/progress_note.txt\n  deid redact --strategy numbered notes/ --out redacted/\n  deid redact --input-format jsonl --text-field note --strategy surrogate --secret-file key.txt --date-shift notes.jsonl > out.jsonl\n  deid redact --date-shift=-30 examples/progress_note.txt\n  cat note.txt | deid redact -"
    )]
    Redact(RedactArgs),
    /// Detect identifiers and print one JSON line per document with their spans.
    #[command(
        after_help = "Examples:\n  deid scan examples/progress_note.txt\n  deid scan --input-format csv --text-field note notes.csv --with-text\n\nOutput: {\"id\": ..., \"spans\": [{\"start\", \"end\", \"byte_start\", \"byte_end\", \"label\", \"kind\", \"rule\", \"confidence\"}]}\nstart/end are Unicode code-point offsets (as Python and BRAT count); byte_* are UTF-8 byte offsets.\nThe span text is printed only with --with-text."
    )]
    Scan(ScanArgs),
    /// Work with rule directories.
    #[command(
        subcommand,
        after_help = "Examples:\n  deid rules check\n  deid rules check my_rules/"
    )]
    Rules(RulesCommand),
    /// Score detection against a gold corpus (recall, precision, F1, F2 per category).
    #[command(
        after_help = "Examples:\n  deid eval ../shared/data/physionet-dev\n  deid eval tests/corpus/therapy/therapy.jsonl --json\n  deid eval corpus_brat/ --label-map map.toml --show-misses\n\nConventions: entity level counts a gold span as found when any detection overlaps it, and a\ndetection as correct when it overlaps any gold span; character level counts characters.\n--show-misses prints identifiers from the corpus: never send it to a log."
    )]
    Eval(EvalArgs),
    /// Fit the learned name, place and organisation scorer to annotated notes.
    #[command(
        after_help = "Examples:\n  deid train --gold my_notes.jsonl --out my_rules/\n  deid eval held_out.jsonl --rules my_rules/\n  deid train --gold ../shared/data/physionet-dev --gold tests/corpus/therapy/therapy.jsonl --split train --out rules/\n\nReads every corpus format `deid eval` reads. Writes DIR/model/names.bin (and DIR/model/README.md\nwith the command, data sizes and options); `--rules DIR` on any command then uses that model in\nplace of the built-in one. The same data, options and seed give the same file. No note text is\nwritten to the model: its features are hashed word shapes, dictionary flags and context words."
    )]
    Train(TrainArgs),
    /// Re-identification risk of what remains once direct identifiers are removed.
    #[command(
        after_help = "Examples:\n  deid risk vignette.txt\n  deid risk --audience teaching --place \"Tillamook, OR\" vignette.txt\n  deid risk --input-format jsonl --text-field note --json notes.jsonl\n  deid risk --input-format jsonl --text-field note --client-field patient_id --json notes.jsonl\n\nJSON: {\"id\", \"level\" (red/amber/green), \"lambda\", \"lambda_q\", \"k\", \"audience\", \"population\": {\"value\", \"source\"},\n\"triggers\", \"drivers\": [{\"attribute\", \"value\", \"holder\", \"bits\", \"spans\"}], \"reasons\", \"suggestions\", \"mentions\"}.\nJSONL/CSV records may carry audience, population and place fields that override the flags.\nIt supports a clinician's judgement; it is not a HIPAA Expert Determination."
    )]
    Risk(crate::risk::RiskArgs),
    /// Rewrite a case for supervision: roles for names, relative dates, generalised details.
    #[command(
        after_help = "Examples:\n  deid vignette case.txt --audience supervision --population 8000\n  deid vignette case.txt --place \"Ennis, Ireland\" --keep condition > vignette.txt\n\nThe rewritten text goes to stdout and the report of changes and residual risk to stderr\n(--json, or JSONL/CSV input, puts both in one object per document)."
    )]
    Vignette(crate::risk::VignetteArgs),
    /// A local review page for clinicians: paste a note, review what was found, copy it out.
    #[command(
        after_help = "Examples:\n  deid serve\n  deid serve --port 9000 --open\n\nListens on 127.0.0.1 only unless --bind is given. Nothing is logged or written to disk."
    )]
    Serve(crate::serve::ServeArgs),
    /// Print a new random secret for --secret-file: 32 bytes from the operating system, as hex.
    #[command(
        after_help = "Examples:\n  deid keygen > key.txt\n\nKeep the file private: anyone with it can link surrogates and shifted dates back to\ntheir originals by trying candidates. Secrets shorter than 16 bytes are refused."
    )]
    Keygen,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  deid completions bash > ~/.local/share/bash-completion/completions/deid\n  deid completions zsh > \"${fpath[1]}/_deid\"\n  deid completions fish > ~/.config/fish/completions/deid.fish"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of deid and its subcommands.
    #[command(
        after_help = "Examples:\n  deid man > deid.1 && man ./deid.1\n  deid man --out man/    # deid.1, deid-redact.1, ... one page per subcommand"
    )]
    Man {
        /// Write one page per command into this directory instead of printing deid.1.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// Which documents of a corpus to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitArg {
    /// Every document.
    All,
    /// The two thirds of the groups (patients, templates) that are not held out.
    Train,
    /// The held-out third (by a stable hash of the patient id, the record's `group`,
    /// `patient_id` or `template` field, or the document id).
    Heldout,
}

/// `deid train`
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// A gold corpus (PhysioNet or BRAT directory, or JSONL file); repeat for several.
    #[arg(
        long = "gold",
        value_name = "CORPUS",
        required_unless_present = "gold_all"
    )]
    pub gold: Vec<PathBuf>,
    /// A gold corpus used whole, whatever `--split` says (e.g. generated notes whose
    /// held-out templates were left out when generating them); repeatable.
    #[arg(long = "gold-all", value_name = "CORPUS")]
    pub gold_all: Vec<PathBuf>,
    /// Where to write the model: DIR/model/names.bin.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// TOML file with `[map]` corpus_label = "CATEGORY" (or "IGNORE").
    #[arg(long, value_name = "FILE")]
    pub label_map: Option<PathBuf>,
    /// Which documents of each corpus to fit.
    #[arg(long, value_enum, default_value_t = SplitArg::All)]
    pub split: SplitArg,
    /// Rules directory whose dictionaries the features read (default: built-in).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Seed of shuffles and surrogate draws.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Passes over the data.
    #[arg(long, default_value_t = 6)]
    pub epochs: usize,
    /// Copies of each document with its names and towns replaced by dictionary surrogates.
    #[arg(long, default_value_t = 3)]
    pub augment: usize,
    /// The decision threshold maximises F-beta of identifier tokens on held-aside training
    /// groups (2: a miss weighs four times a false alarm).
    #[arg(long, default_value_t = 1.0)]
    pub beta: f64,
}

/// Gold corpus formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GoldFormat {
    /// A directory with `id.text` and `id-phi.phrase` (PhysioNet deid).
    Physionet,
    /// A directory of `.txt` files with `.ann` standoff annotations.
    Brat,
    /// A JSONL file: {"id", "text", "spans": [{"start", "end", "label", "kind"?}]} (code points).
    Jsonl,
}

/// `deid eval`
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The corpus: a PhysioNet or BRAT directory, or a JSONL file.
    pub corpus: PathBuf,
    /// Corpus format (guessed from the path when omitted).
    #[arg(long, value_enum)]
    pub format: Option<GoldFormat>,
    /// TOML file with `[map]` corpus_label = "CATEGORY" (or "IGNORE").
    #[arg(long, value_name = "FILE")]
    pub label_map: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// List misses and false positives with context (prints identifiers!).
    #[arg(long)]
    pub show_misses: bool,
    /// Exit 1 when overall entity recall is below this (a number in 0..=1).
    #[arg(long, value_parser = parse_fraction)]
    pub min_recall: Option<f64>,
    /// Exit 1 when overall entity precision is below this (a number in 0..=1).
    #[arg(long, value_parser = parse_fraction)]
    pub min_precision: Option<f64>,
    /// Rules directory extending the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Keep bare years (do not count them as dates).
    #[arg(long)]
    pub no_years: bool,
    /// Score only part of the corpus: `heldout` is the third never used by
    /// `deid train --split train`.
    #[arg(long, value_enum, default_value_t = SplitArg::All)]
    pub split: SplitArg,
    /// Run the rule detectors without the learned scorer.
    #[arg(long)]
    pub no_model: bool,
    /// Run the learned scorer alone (to measure it; names, places, organisations only).
    #[arg(long, conflicts_with = "no_model")]
    pub model_only: bool,
    /// Drop detections below this confidence (0 = keep all, the recall-first default).
    #[arg(long, value_name = "C", default_value_t = 0.0)]
    pub min_confidence: f32,
}

/// `deid rules ...`
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate a rules directory (or the built-in rules), reporting file:line for every error.
    #[command(
        after_help = "Examples:\n  deid rules check            # the built-in rules\n  deid rules check my_rules/"
    )]
    Check {
        /// The rules directory; the built-in rules when omitted.
        dir: Option<PathBuf>,
    },
}

/// Input record formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Each file (or stdin) is one document.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

/// How a text document is named in `scan` output and under `--out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IdsArg {
    /// The path as given (file names are data: `notes/Quentin_Abernathy.txt` is shown as is).
    Path,
    /// The first 16 hex digits of SHA-256 of the path as given; stable, but a guessed path
    /// can be checked against it.
    Hash,
    /// The input's position (1, 2, ...) in the sorted list of inputs.
    Index,
}

/// Redaction strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    /// [NAME]
    Tag,
    /// [NAME-1], consistent within a document.
    Numbered,
    /// ***** (one fill character per character).
    Mask,
    /// Realistic replacements from a keyed hash (needs --secret-file).
    Surrogate,
}

/// Flags shared by every subcommand that reads documents.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories (recursive); `-` or nothing reads stdin.
    pub paths: Vec<PathBuf>,
    /// How inputs are split into records.
    #[arg(long, value_enum, default_value_t = InputFormat::Text)]
    pub input_format: InputFormat,
    /// Field (JSONL) or column (CSV) holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Field or column holding the record id (a record without one gets its line number).
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Rules directory extending (or overriding by id) the built-in rules; a `model/names.bin`
    /// in it (from `deid train`) replaces the built-in learned scorer.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Run the rule detectors without the learned name, place and organisation scorer.
    #[arg(long)]
    pub no_model: bool,
    /// Drop detections below this confidence (0 = keep all, the recall-first default).
    #[arg(long, value_name = "C", default_value_t = 0.0)]
    pub min_confidence: f32,
    /// Terms never flagged, one a line.
    #[arg(long, value_name = "FILE")]
    pub allow: Option<PathBuf>,
    /// Terms always flagged, one a line, optionally `term<TAB>CATEGORY` (default NAME).
    #[arg(long, value_name = "FILE")]
    pub deny: Option<PathBuf>,
    /// Only these categories (comma-separated labels, e.g. NAME,DATE,PHONE).
    #[arg(long, value_delimiter = ',')]
    pub categories: Vec<String>,
    /// Keep bare years ("in 2019"); by default they count as dates.
    #[arg(long)]
    pub no_years: bool,
    /// Largest document: a text input, or the text of one JSONL/CSV record (a JSONL line or
    /// CSV record may be twice this plus 64 KiB; `risk` and `vignette` read a JSONL/CSV file
    /// whole, up to 16 times this). Larger ones are reported and skipped. Bytes, or with K, M, G.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_document_size: u64,
    /// How a text document is named in `scan` ids and in output file names under --out:
    /// its path, a hash of it, or its index (`--out` then writes DIR/ID.EXT, flat).
    #[arg(long, value_enum, default_value_t = IdsArg::Path)]
    pub ids: IdsArg,
}

/// A threshold between 0 and 1 (`NaN` would make every comparison pass).
fn parse_fraction(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| (0.0..=1.0).contains(x))
        .ok_or_else(|| "expected a number from 0 to 1 (0.95)".to_string())
}

/// Parses a size in bytes with an optional binary suffix: `512`, `64K`, `64M`, `1G`.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            "expected a positive number of bytes, optionally with K, M or G (64M)".to_string()
        })
}

/// `deid redact`
#[derive(Debug, Args)]
pub struct RedactArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// How identifiers are replaced.
    #[arg(long, value_enum, default_value_t = StrategyArg::Tag)]
    pub strategy: StrategyArg,
    /// File holding the secret key for surrogates and keyed date shifts.
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// Shift dates instead of replacing them: `--date-shift=DAYS` moves every date by DAYS
    /// (the `=` is required); `--date-shift` alone moves each record by a keyed offset (needs
    /// --secret-file; the key is --key-field, else the record id, or a file's canonical path).
    #[arg(
        long,
        value_name = "DAYS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "keyed"
    )]
    pub date_shift: Option<String>,
    /// Largest keyed date shift in days.
    #[arg(long, default_value_t = 365)]
    pub max_shift_days: u32,
    /// Field or column holding the patient key of keyed date shifts and surrogates (default:
    /// the record id); a record without a value there is an error, never given another key.
    #[arg(long)]
    pub key_field: Option<String>,
    /// The patient key of a text document read from standard input (a keyed date shift of
    /// standard input needs one: every piped note would otherwise share one shift).
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// With JSONL/CSV, also redact these fields or columns (comma-separated); other fields
    /// pass through unchanged, with a warning when one holds something deid would flag.
    #[arg(
        long,
        value_name = "A,B",
        value_delimiter = ',',
        conflicts_with = "all_fields"
    )]
    pub redact_fields: Vec<String>,
    /// With JSONL/CSV, redact every string field or column except the id and key fields
    /// (in JSON, every string inside nested arrays and objects too).
    #[arg(long)]
    pub all_fields: bool,
    /// Write outputs under DIR, mirroring the input tree, instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Rewrite the input files themselves (atomically, keeping their permissions); with
    /// --out, allow it to replace inputs.
    #[arg(long)]
    pub in_place: bool,
    /// Also redact quasi-identifiers.
    #[arg(long)]
    pub redact_quasi: bool,
    /// Fill character of the mask strategy.
    #[arg(long, default_value_t = '*')]
    pub mask_char: char,
    /// With JSONL/CSV, add a field/column with the spans (as JSON) under this name.
    #[arg(long, value_name = "NAME")]
    pub spans_field: Option<String>,
    /// Redact exactly the spans in FILE instead of detecting: a reviewed list (JSON: an array
    /// of {"start", "end", "label", "kind"?} in code points, or `deid scan` output for the
    /// document), applied to the one text document given.
    #[arg(long, value_name = "FILE")]
    pub spans: Option<PathBuf>,
}

/// `deid scan`
#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Include each span's text (this output then contains identifiers).
    #[arg(long)]
    pub with_text: bool,
    /// Include quasi-identifiers (default: yes; --direct-only drops them).
    #[arg(long)]
    pub direct_only: bool,
}

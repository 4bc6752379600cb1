//! **deid** finds and removes identifying information from clinical free text, above all
//! psychotherapy notes: names, dates, places, schools, employers, contact details and ID
//! numbers, with byte-exact spans, five replacement strategies, and quasi-identifier reports.
//!
//! - [`Deidentifier`] — the built engine (immutable, `Send + Sync`); [`DeidentifierBuilder`]
//!   configures it.
//! - [`Span`] — one detected identifier: byte range, [`Category`], [`Kind`], rule id.
//! - [`Redacted`] — redacted text plus what was found and what replaced it.
//! - [`RuleSet`] — rules and dictionaries as plain data (built-in, or from a directory).
//! - [`Strategy`], [`DateShift`] — how identifiers are replaced.
//!
//! # Example: redact a note
//! ```
//! use deid_core::Deidentifier;
//! let deid = Deidentifier::builder().build()?;
//! let out = deid.redact("Seen by Dr. Jane Roe on 03/14/2021, call 617-555-0134.");
//! assert_eq!(out.text, "Seen by [NAME] on [DATE], call [PHONE].");
//! # Ok::<(), deid_core::Error>(())
//! ```
//!
//! # Example: spans with offsets
//! ```
//! use deid_core::{Category, Deidentifier};
//! let deid = Deidentifier::builder().build()?;
//! let text = "Client: José Núñez, DOB 4/2/1987";
//! let spans = deid.detect(text);
//! assert_eq!(spans[0].text(text), "José Núñez");
//! assert_eq!(spans[0].category, Category::Name);
//! # Ok::<(), deid_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod category;
pub mod date;
mod detect;
mod error;
pub mod eval;
mod pipeline;
mod redact;
mod resolve;
pub mod risk;
pub mod rules;
mod span;
mod text;
pub mod train;
pub mod window;

pub use category::{Category, Kind};
pub use detect::model::Model;
pub use error::{Error, ErrorKind, Result};
pub use pipeline::{read_term_file, Deidentifier, DeidentifierBuilder, MIN_SECRET_BYTES};
pub use redact::{DateShift, Redacted, Replacement, Strategy, SurrogatePools, MAX_SHIFT_DAYS};
pub use rules::RuleSet;
pub use span::{reviewed_spans, ReviewedSpan, Span};
pub use text::OffsetMap;
pub use window::{WINDOW_BYTES, WINDOW_OVERLAP_BYTES};

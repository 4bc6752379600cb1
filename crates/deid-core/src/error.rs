//! The one error type of the core. Errors happen only while building (rules, dictionaries,
//! configuration) or doing I/O; scanning and redacting never fail.
//! Messages name files, lines, rule ids and offsets, never note text.

use std::path::PathBuf;

/// What went wrong, for callers that branch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rule or dictionary file is malformed.
    Rule,
    /// A file could not be read.
    Io,
    /// The configuration is inconsistent (e.g. `surrogate` without a secret).
    Config,
    /// A span list given to [`crate::Deidentifier::redact_spans`] is invalid (out of range,
    /// not on a character boundary, empty or overlapping).
    Span,
}

#[derive(Debug, thiserror::Error)]
enum Inner {
    #[error("{path}:{line}: {message}")]
    Rule {
        path: String,
        line: usize,
        message: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Config(String),
    #[error("span {index}: {message}")]
    Span { index: usize, message: String },
}

/// An error from building a [`crate::Deidentifier`] or loading rules.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<Inner>);

impl Error {
    pub(crate) fn rule(path: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Error(Box::new(Inner::Rule {
            path: path.into(),
            line,
            message: message.into(),
        }))
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error(Box::new(Inner::Io {
            path: path.into(),
            source,
        }))
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error(Box::new(Inner::Config(message.into())))
    }

    pub(crate) fn span(index: usize, message: impl Into<String>) -> Self {
        Error(Box::new(Inner::Span {
            index,
            message: message.into(),
        }))
    }

    /// For span errors: the position of the invalid span in the list that was given.
    pub fn span_index(&self) -> Option<usize> {
        match &*self.0 {
            Inner::Span { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        match *self.0 {
            Inner::Rule { .. } => ErrorKind::Rule,
            Inner::Io { .. } => ErrorKind::Io,
            Inner::Config(_) => ErrorKind::Config,
            Inner::Span { .. } => ErrorKind::Span,
        }
    }

    /// For rule errors: the file (or `builtin:NAME`) the error is in.
    pub fn path(&self) -> Option<&str> {
        match &*self.0 {
            Inner::Rule { path, .. } => Some(path),
            Inner::Io { path, .. } => path.to_str(),
            Inner::Config(_) | Inner::Span { .. } => None,
        }
    }

    /// For rule errors: the 1-based line the error is on.
    pub fn line(&self) -> Option<usize> {
        match &*self.0 {
            Inner::Rule { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// `Result` with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

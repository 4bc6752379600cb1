//! Rules as data: pattern rules, dictionaries and name cues, parsed from TOML and TSV files,
//! embedded in the binary and optionally extended or overridden from a directory.

pub(crate) mod builtin;
pub(crate) mod spec;
pub(crate) mod validate;

pub use spec::{Cues, DictRole, DictionarySpec, PatternRule, RuleSet};

//! The other fields of JSONL records and CSV rows: which are redacted besides the text field
//! (`--redact-fields`, `--all-fields`), and a warning, once per field, when one that passes
//! through unredacted holds something deid would flag. Also the per-input tally that `-v`
//! prints. Nothing here ever prints note text: warnings name the field, label and line.

use deid_core::{Deidentifier, Kind, Span};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, RwLock};

/// Which fields besides the text field are redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selection {
    /// Only the text field (the default); the others pass through, checked.
    TextOnly,
    /// The text field and these.
    Named(HashSet<String>),
    /// Every field except the id and key fields.
    All,
}

/// What happens to the fields of records besides the text field.
pub(crate) struct FieldPolicy {
    redacted: Selection,
    /// The id and key fields: they name the record, pass through, and are never checked.
    exempt: Vec<String>,
    /// Pass-through fields already warned about (one warning per field and run): read for
    /// every field of every record, written once per chunk.
    warned: RwLock<HashSet<String>>,
    /// Found in the chunk being processed (records run in parallel): per field, the first
    /// line and the label, printed in input order by [`FieldPolicy::flush`].
    pending: Mutex<BTreeMap<String, (usize, &'static str)>>,
}

/// What to do with one field.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// Redact every string in it.
    Redact,
    /// Pass it through; warn (once) when it holds a direct identifier.
    Check,
    /// Pass it through (the text, id or key field).
    Keep,
}

impl FieldPolicy {
    pub(crate) fn new(redacted: Selection, text_field: &str, exempt: Vec<String>) -> Self {
        let mut exempt = exempt;
        exempt.push(text_field.to_string());
        FieldPolicy {
            redacted,
            exempt,
            warned: RwLock::new(HashSet::new()),
            pending: Mutex::new(BTreeMap::new()),
        }
    }

    /// The action for the field `name`. A field named in `--redact-fields` is redacted even
    /// when it is the id or key field (the user asked for it).
    pub(crate) fn action(&self, name: &str) -> Action {
        match &self.redacted {
            Selection::Named(names) if names.contains(name) => Action::Redact,
            _ if self.exempt.iter().any(|e| e == name) => Action::Keep,
            Selection::All => Action::Redact,
            _ if self.already_warned(name) => Action::Keep,
            _ => Action::Check,
        }
    }

    /// Names of `--redact-fields` missing from a CSV header (an error for that table).
    pub(crate) fn missing_columns<'a>(&'a self, header: &[String]) -> Vec<&'a str> {
        match &self.redacted {
            Selection::Named(names) => {
                let mut missing: Vec<&str> = names
                    .iter()
                    .filter(|n| !header.contains(n))
                    .map(String::as_str)
                    .collect();
                missing.sort_unstable();
                missing
            }
            _ => Vec::new(),
        }
    }

    fn already_warned(&self, name: &str) -> bool {
        self.warned.read().map_or(true, |w| w.contains(name))
    }

    /// Checks a passed-through value of the record at `line`: a direct identifier in it makes
    /// the field's one warning (printed by [`FieldPolicy::flush`], naming the first such line).
    pub(crate) fn check(&self, deid: &Deidentifier, name: &str, value: &str, line: usize) {
        let Some(label) = first_direct(deid, value) else {
            return;
        };
        if let Ok(mut pending) = self.pending.lock() {
            let first = pending.entry(name.to_string()).or_insert((line, label));
            if line < first.0 {
                *first = (line, label);
            }
        }
    }

    /// Checks every string and number inside a JSON value.
    pub(crate) fn check_json(&self, deid: &Deidentifier, name: &str, value: &Value, line: usize) {
        match value {
            Value::String(s) => self.check(deid, name, s, line),
            Value::Number(n) => self.check(deid, name, &n.to_string(), line),
            Value::Array(items) => items
                .iter()
                .for_each(|v| self.check_json(deid, name, v, line)),
            Value::Object(map) => map
                .values()
                .for_each(|v| self.check_json(deid, name, v, line)),
            Value::Null | Value::Bool(_) => {}
        }
    }

    /// Prints the warnings found since the last call (fields in name order), once per field
    /// and run. `src` names the input: the warning says where, never what.
    pub(crate) fn flush(&self, src: &str) {
        let pending = self
            .pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default();
        let Ok(mut warned) = self.warned.write() else {
            return;
        };
        for (name, (line, label)) in pending {
            if warned.insert(name.clone()) {
                crate::warn(format_args!(
                    "field {name:?} passes through unredacted and holds what deid flags as {label} (first at {src}:{line}); redact it too with --redact-fields {name}, or every field with --all-fields"
                ));
            }
        }
    }
}

/// The label of the first direct identifier deid finds in `text`.
fn first_direct(deid: &Deidentifier, text: &str) -> Option<&'static str> {
    if text.trim().is_empty() {
        return None;
    }
    deid.detect(text)
        .iter()
        .find(|s| s.kind == Kind::Direct)
        .map(|s| s.category.label())
}

/// Replaces every string inside a JSON value (and a number, when `redact` changes its text)
/// with its redaction.
pub(crate) fn redact_json(value: &mut Value, redact: &dyn Fn(&str) -> String) {
    match value {
        Value::String(s) => *s = redact(s),
        Value::Number(n) => {
            let text = n.to_string();
            let out = redact(&text);
            if out != text {
                *value = Value::String(out);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact_json(v, redact)),
        Value::Object(map) => map.values_mut().for_each(|v| redact_json(v, redact)),
        Value::Null | Value::Bool(_) => {}
    }
}

/// What one input gave, for `-v`: records done, and spans per label.
#[derive(Default)]
pub(crate) struct Tally(Mutex<(usize, BTreeMap<&'static str, usize>)>);

impl Tally {
    /// Counts one record and its spans.
    pub(crate) fn add(&self, spans: &[Span]) {
        if !crate::verbose() {
            return;
        }
        if let Ok(mut t) = self.0.lock() {
            t.0 += 1;
            for s in spans {
                *t.1.entry(s.category.label()).or_insert(0) += 1;
            }
        }
    }

    /// Counts more spans of the record counted last (a long document's next window).
    pub(crate) fn add_spans(&self, spans: &[Span]) {
        if !crate::verbose() {
            return;
        }
        if let Ok(mut t) = self.0.lock() {
            for s in spans {
                *t.1.entry(s.category.label()).or_insert(0) += 1;
            }
        }
    }

    /// The counts so far, which start again from zero.
    pub(crate) fn take(&self) -> (usize, BTreeMap<&'static str, usize>) {
        self.0
            .lock()
            .map(|mut t| std::mem::take(&mut *t))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(redacted: Selection) -> FieldPolicy {
        FieldPolicy::new(redacted, "note", vec!["id".into(), "patient".into()])
    }

    #[test]
    fn actions_per_field() {
        let named = Selection::Named(["site".to_string(), "id".to_string()].into());
        for (redacted, field, want) in [
            (Selection::TextOnly, "note", Action::Keep),
            (Selection::TextOnly, "id", Action::Keep),
            (Selection::TextOnly, "site", Action::Check),
            (Selection::All, "site", Action::Redact),
            (Selection::All, "patient", Action::Keep),
            (Selection::All, "note", Action::Keep),
            (named.clone(), "site", Action::Redact),
            (named.clone(), "id", Action::Redact),
            (named.clone(), "other", Action::Check),
        ] {
            assert_eq!(policy(redacted).action(field), want, "{field}");
        }
        assert_eq!(
            policy(named).missing_columns(&["id".into(), "note".into()]),
            vec!["site"]
        );
    }

    #[test]
    fn redact_json_reaches_nested_strings_and_keeps_other_types() {
        let mut v: Value = serde_json::json!({"a": ["x", {"b": "y"}], "n": 7, "t": true});
        redact_json(&mut v, &|s| format!("<{s}>"));
        assert_eq!(
            v,
            serde_json::json!({"a": ["<x>", {"b": "<y>"}], "n": "<7>", "t": true})
        );
        let mut v = serde_json::json!(12);
        redact_json(&mut v, &|s| s.to_string());
        assert_eq!(
            v,
            serde_json::json!(12),
            "an unchanged number stays a number"
        );
    }

    #[test]
    fn a_checked_field_is_warned_about_once_then_kept() {
        let deid = Deidentifier::builder().build().unwrap();
        let p = policy(Selection::TextOnly);
        p.check(&deid, "site", "Main clinic", 2);
        p.flush("f");
        assert_eq!(p.action("site"), Action::Check, "nothing flagged yet");
        p.check(
            &deid,
            "site",
            "Seen by Dr. Quentin Abernathy on 4/5/2021",
            9,
        );
        p.check(&deid, "site", "Dr. Ottoline Pemberton", 3);
        assert_eq!(
            p.pending.lock().unwrap()["site"],
            (3, "NAME"),
            "the first line"
        );
        assert_eq!(p.action("site"), Action::Check, "until the chunk ends");
        p.flush("f");
        assert_eq!(
            p.action("site"),
            Action::Keep,
            "warned once, not checked again"
        );
    }
}

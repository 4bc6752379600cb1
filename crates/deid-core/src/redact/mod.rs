//! Redaction: one pass over the text, copying the gaps and writing a replacement for each span.

mod surrogate;

pub(crate) use surrogate::Sex;
pub use surrogate::SurrogatePools;

use crate::category::{Category, Kind};
use crate::span::Span;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use unicode_segmentation::UnicodeSegmentation;

/// How identifiers are replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Strategy {
    /// `[NAME]`
    #[default]
    Tag,
    /// `[NAME-1]`: the same entity gets the same number throughout a document.
    Numbered,
    /// A fill character per character (grapheme) of the identifier.
    Mask,
    /// A realistic replacement of the same category and shape, chosen by a keyed hash.
    Surrogate,
}

impl std::str::FromStr for Strategy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "tag" => Ok(Strategy::Tag),
            "numbered" => Ok(Strategy::Numbered),
            "mask" => Ok(Strategy::Mask),
            "surrogate" => Ok(Strategy::Surrogate),
            _ => Err(format!(
                "unknown strategy {s:?} (expected tag, numbered, mask or surrogate)"
            )),
        }
    }
}

/// The largest date shift accepted, fixed or keyed: 36,525 days (100 years). A larger one
/// moves dates out of any plausible range (and a keyed maximum of 0 would shift nothing).
pub const MAX_SHIFT_DAYS: i64 = 36_525;

/// How dates are shifted instead of replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateShift {
    /// Every date moves by this many days.
    Fixed(i64),
    /// Each record (by its key) moves by a keyed-hash offset in `-max..=max` days, never 0.
    Keyed {
        /// The largest shift in days.
        max_days: u32,
    },
}

impl DateShift {
    /// A fixed shift of `days`, refused beyond ±[`MAX_SHIFT_DAYS`]. The CLI's
    /// `--date-shift=DAYS` and the Python package's `date_shift` both come through here.
    pub fn fixed(days: i64) -> crate::Result<DateShift> {
        let shift = DateShift::Fixed(days);
        shift.check()?;
        Ok(shift)
    }

    /// A keyed per-record shift of at most `max_days`, refused outside
    /// `1..=`[`MAX_SHIFT_DAYS`] (the CLI's `--max-shift-days`, Python's `date_shift_max_days`).
    pub fn keyed(max_days: i64) -> crate::Result<DateShift> {
        let max_days = u32::try_from(max_days).map_err(|_| keyed_range_error(max_days))?;
        let shift = DateShift::Keyed { max_days };
        shift.check()?;
        Ok(shift)
    }

    /// Whether the shift is within the limits (the builder checks every shift it is given).
    pub(crate) fn check(self) -> crate::Result<()> {
        match self {
            DateShift::Fixed(days) if days.unsigned_abs() > MAX_SHIFT_DAYS.unsigned_abs() => {
                Err(crate::Error::config(format!(
                    "a fixed date shift must be within ±{MAX_SHIFT_DAYS} days (100 years), \
                     not {days}"
                )))
            }
            DateShift::Keyed { max_days }
                if !(1..=MAX_SHIFT_DAYS).contains(&i64::from(max_days)) =>
            {
                Err(keyed_range_error(i64::from(max_days)))
            }
            _ => Ok(()),
        }
    }
}

fn keyed_range_error(max_days: i64) -> crate::Error {
    crate::Error::config(format!(
        "the largest keyed date shift must be between 1 and {MAX_SHIFT_DAYS} days (100 years), \
         not {max_days}"
    ))
}

/// One replacement made by redaction.
#[derive(Clone, Debug, PartialEq)]
pub struct Replacement {
    /// The span in the original text.
    pub span: Span,
    /// Byte range of the replacement in the output text.
    pub output_start: usize,
    /// End of the replacement in the output text.
    pub output_end: usize,
    /// The replacement text (never the original).
    pub replacement: String,
}

/// The result of redacting one text.
#[derive(Clone, Debug, PartialEq)]
pub struct Redacted {
    /// The redacted text.
    pub text: String,
    /// Every detected span (direct and quasi), in the input's byte offsets.
    pub spans: Vec<Span>,
    /// What was replaced (spans that were redacted), in order.
    pub replacements: Vec<Replacement>,
}

/// Settings of the redactor (part of a built [`crate::Deidentifier`]).
#[derive(Clone, Debug)]
pub(crate) struct RedactConfig {
    pub strategy: Strategy,
    pub secret: Option<Vec<u8>>,
    pub mask_char: char,
    pub date_shift: Option<DateShift>,
    pub redact_quasi: bool,
}

type HmacSha256 = Hmac<Sha256>;

/// Keyed hash of `parts` with the secret: the basis of every surrogate and keyed shift.
pub(crate) fn keyed(secret: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    for p in parts {
        mac.update(&(p.len() as u64).to_le_bytes());
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// The keyed date shift of a record: in `-max..=max`, never 0.
pub(crate) fn keyed_shift(secret: &[u8], record_key: &str, max_days: u32) -> i64 {
    let max = i64::from(max_days.max(1));
    let h = keyed(secret, &[b"date-shift", record_key.as_bytes()]);
    let v = u64::from_le_bytes(h[..8].try_into().expect("8 bytes"));
    let r = (v % (2 * max as u64)) as i64; // 0..2max
    if r < max {
        r - max // -max..=-1
    } else {
        r - max + 1 // 1..=max
    }
}

/// Normalised key of an entity for `numbered` consistency.
fn entity_tokens(s: &str) -> Vec<String> {
    const TITLES: &[&str] = &[
        "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "rev", "fr", "sr", "jr",
    ];
    s.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .filter(|t| !TITLES.contains(&t.as_str()) && t.chars().count() > 1)
        .collect()
}

/// Assigns numbers to entities within one document.
#[derive(Default)]
struct Numbering {
    /// Per category: entities as token lists with their number.
    entities: HashMap<Category, Vec<(Vec<String>, usize)>>,
}

impl Numbering {
    fn number(&mut self, category: Category, text: &str) -> usize {
        let list = self.entities.entry(category).or_default();
        let toks = if category == Category::Name {
            entity_tokens(text)
        } else {
            vec![text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()]
        };
        if toks.is_empty() {
            let n = list.len() + 1;
            list.push((vec![text.to_lowercase()], n));
            return n;
        }
        // Same entity: same tokens; or one is a part of the other ("Mr. Lee" ~ "Daniel Lee").
        let found = list.iter().rev().find(|(t, _)| {
            *t == toks
                || (category == Category::Name
                    && ((toks.len() == 1 && t.contains(&toks[0]))
                        || (t.len() == 1 && toks.contains(&t[0]))
                        || (toks.len() > 1
                            && t.len() > 1
                            && t.last() == toks.last()
                            && (t[0] == toks[0] || t[0].len() == 1 || toks[0].len() == 1))))
        });
        if let Some((_, n)) = found {
            let n = *n;
            // Remember the fuller form so later partial mentions still match.
            if toks.len() > 1 {
                list.push((toks, n));
            }
            return n;
        }
        let n = list.iter().map(|(_, n)| *n).max().unwrap_or(0) + 1;
        list.push((toks, n));
        n
    }
}

pub(crate) fn redact(
    cfg: &RedactConfig,
    pools: &SurrogatePools,
    text: &str,
    spans: Vec<Span>,
    record_key: Option<&str>,
) -> Redacted {
    let mut out = String::with_capacity(text.len() + spans.len() * 8);
    let mut replacements = Vec::new();
    let mut numbering = Numbering::default();
    let shift_days: Option<i64> = match (cfg.date_shift, &cfg.secret) {
        (Some(DateShift::Fixed(d)), _) => Some(d),
        (Some(DateShift::Keyed { max_days }), Some(secret)) => {
            Some(keyed_shift(secret, record_key.unwrap_or(""), max_days))
        }
        (None, Some(secret)) if cfg.strategy == Strategy::Surrogate => {
            Some(keyed_shift(secret, record_key.unwrap_or(""), 365))
        }
        _ => None,
    };
    // What the record says about its people's sex, for given-name surrogates.
    let cues = if cfg.strategy == Strategy::Surrogate {
        pools.record_cues(text, &spans)
    } else {
        surrogate::RecordCues::new()
    };
    let mut last = 0;
    for span in &spans {
        if span.kind == Kind::Quasi && !cfg.redact_quasi {
            continue;
        }
        debug_assert!(span.start >= last, "spans are sorted and disjoint");
        let original = &text[span.start..span.end];
        let shifted = if span.category == Category::Date {
            shift_days.and_then(|d| crate::date::parse_within(original).and_then(|p| p.shifted(d)))
        } else {
            None
        };
        let replacement = match shifted {
            Some(s) => s,
            None => match cfg.strategy {
                Strategy::Tag => format!("[{}]", span.category.label()),
                Strategy::Numbered => format!(
                    "[{}-{}]",
                    span.category.label(),
                    numbering.number(span.category, original)
                ),
                Strategy::Mask => {
                    std::iter::repeat_n(cfg.mask_char, original.graphemes(true).count()).collect()
                }
                Strategy::Surrogate => {
                    let secret = cfg.secret.as_deref().unwrap_or_default();
                    let mention = surrogate::Mention {
                        category: span.category,
                        rule: &span.rule,
                        original,
                        before: surrogate::window_before(text, span.start),
                        after: surrogate::window_after(text, span.end),
                    };
                    pools.surrogate(secret, &mention, &cues)
                }
            },
        };
        out.push_str(&text[last..span.start]);
        let output_start = out.len();
        out.push_str(&replacement);
        replacements.push(Replacement {
            span: span.clone(),
            output_start,
            output_end: out.len(),
            replacement,
        });
        last = span.end;
    }
    out.push_str(&text[last..]);
    Redacted {
        text: out,
        spans,
        replacements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_links_partial_names() {
        let mut n = Numbering::default();
        assert_eq!(n.number(Category::Name, "Daniel Lee"), 1);
        assert_eq!(n.number(Category::Name, "Mr. Lee"), 1);
        assert_eq!(n.number(Category::Name, "Ana Ruiz"), 2);
        assert_eq!(n.number(Category::Name, "Daniel"), 1);
        assert_eq!(n.number(Category::Name, "Dr. Ruiz"), 2);
        assert_eq!(n.number(Category::Phone, "555-1234"), 1);
        assert_eq!(n.number(Category::Phone, "555 1234"), 1);
    }

    #[test]
    fn keyed_shift_is_stable_and_nonzero() {
        let a = keyed_shift(b"k", "patient-1", 30);
        assert_eq!(a, keyed_shift(b"k", "patient-1", 30));
        assert!(a != 0 && a.abs() <= 30);
        let all: std::collections::HashSet<i64> = (0..200)
            .map(|i| keyed_shift(b"k", &i.to_string(), 30))
            .collect();
        assert!(all.len() > 30 && !all.contains(&0));
    }

    #[test]
    fn shift_limits_are_a_hundred_years_and_a_keyed_maximum_of_at_least_one_day() {
        assert_eq!(
            DateShift::fixed(-36_525).unwrap(),
            DateShift::Fixed(-36_525)
        );
        assert_eq!(DateShift::fixed(0).unwrap(), DateShift::Fixed(0));
        assert_eq!(
            DateShift::keyed(36_525).unwrap(),
            DateShift::Keyed { max_days: 36_525 }
        );
        assert_eq!(
            DateShift::keyed(1).unwrap(),
            DateShift::Keyed { max_days: 1 }
        );
        for days in [36_526, -36_526, i64::MIN, i64::MAX] {
            let e = DateShift::fixed(days).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Config);
            assert!(e.to_string().contains("within ±36525 days"), "{e}");
        }
        for max in [0, -1, 36_526, i64::from(u32::MAX) + 1, i64::MIN] {
            let e = DateShift::keyed(max).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Config);
            assert!(e.to_string().contains("between 1 and 36525 days"), "{e}");
            assert!(e.to_string().ends_with(&format!("not {max}")), "{e}");
        }
        // A shift built directly is checked by the builder.
        assert!(DateShift::Keyed { max_days: 0 }.check().is_err());
        assert!(DateShift::Fixed(40_000).check().is_err());
    }
}

//! Which regexes of a list can match a text: a few [`RegexSet`] passes over the text instead
//! of one search per regex, so that only the regexes that match search it for their matches.
//! The sets are compiled from the regexes' own pattern strings, so a regex is reported exactly
//! when it matches somewhere in the text.

use regex::{Regex, RegexSet};

/// Patterns in one set at most: one set over many unicode-aware patterns grows a large lazy
/// DFA; a few smaller ones stay cheap (the pattern rules' sets measured the same).
const CHUNK: usize = 8;

/// The prefilter of one list of regexes (see the module docs).
pub(crate) struct Gate {
    /// Each chunk's set, or `None` when the chunk could not be combined (its regexes are then
    /// always searched).
    sets: Vec<(Option<RegexSet>, usize)>,
}

impl Gate {
    /// The gate of `regexes`, in their order.
    pub(crate) fn new<'a>(regexes: impl IntoIterator<Item = &'a Regex>) -> Gate {
        let patterns: Vec<&str> = regexes.into_iter().map(Regex::as_str).collect();
        Gate {
            sets: patterns
                .chunks(CHUNK)
                .map(|c| (RegexSet::new(c).ok(), c.len()))
                .collect(),
        }
    }

    /// For each regex, in order: does it match somewhere in `text`?
    pub(crate) fn matching(&self, text: &str) -> Vec<bool> {
        let mut out = Vec::new();
        for (set, n) in &self.sets {
            match set {
                Some(set) => {
                    let m = set.matches(text);
                    out.extend((0..*n).map(|i| m.matched(i)));
                }
                None => out.extend(std::iter::repeat_n(true, *n)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_regexes_that_match() {
        let res: Vec<Regex> = (0..20)
            .map(|i| Regex::new(&format!(r"\b{i}\b")).expect("valid"))
            .collect();
        let gate = Gate::new(&res);
        let text = "3 and 17, not 170";
        let want: Vec<bool> = res.iter().map(|r| r.is_match(text)).collect();
        assert_eq!(gate.matching(text), want);
        assert_eq!(want.iter().filter(|&&m| m).count(), 2);
    }
}

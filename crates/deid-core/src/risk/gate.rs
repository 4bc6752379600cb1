//! Which regexes of a list can match a text: a few [`RegexSet`] passes over the text instead
//! of one search per regex, so that only the regexes that match search it for their matches.
//! The sets are compiled from the regexes' own pattern strings, so a regex is reported exactly
//! when it matches somewhere in the text.

use regex::{CaptureMatches, Regex, RegexSet};

/// Patterns in one set at most: one set over many unicode-aware patterns grows a large lazy
/// DFA; a few smaller ones stay cheap (the pattern rules' sets measured the same).
const CHUNK: usize = 8;

/// The prefilter of one list of regexes (see the module docs).
pub(crate) struct Gate {
    regexes: Vec<&'static Regex>,
    /// Each chunk's set, or `None` when the chunk could not be combined (its regexes are then
    /// always searched).
    sets: Vec<(Option<RegexSet>, usize)>,
}

/// The regexes of a [`Gate`] that match one text.
pub(crate) struct Matching<'g> {
    gate: &'g Gate,
    hits: Vec<bool>,
}

impl Gate {
    /// The gate of `regexes`.
    pub(crate) fn new(regexes: impl IntoIterator<Item = &'static Regex>) -> Gate {
        let regexes: Vec<&'static Regex> = regexes.into_iter().collect();
        let sets = regexes
            .chunks(CHUNK)
            .map(|c| (RegexSet::new(c.iter().map(|re| re.as_str())).ok(), c.len()))
            .collect();
        Gate { regexes, sets }
    }

    /// Which of the regexes match somewhere in `text`.
    pub(crate) fn matching(&self, text: &str) -> Matching<'_> {
        let mut hits = Vec::with_capacity(self.regexes.len());
        for (set, n) in &self.sets {
            match set {
                Some(set) => {
                    let m = set.matches(text);
                    hits.extend((0..*n).map(|i| m.matched(i)));
                }
                None => hits.extend(std::iter::repeat_n(true, *n)),
            }
        }
        Matching { gate: self, hits }
    }
}

impl Matching<'_> {
    /// Can `re` match the text? True for a regex that is not in the gate.
    pub(crate) fn may_match(&self, re: &Regex) -> bool {
        self.gate
            .regexes
            .iter()
            .zip(&self.hits)
            .find(|(r, _)| std::ptr::eq(**r, re))
            .is_none_or(|(_, &hit)| hit)
    }

    /// `re.captures_iter(text)`, searching nothing when `re` cannot match (`text` is the text
    /// the gate was run on).
    pub(crate) fn captures_iter<'r, 'h>(
        &self,
        re: &'r Regex,
        text: &'h str,
    ) -> std::iter::Take<CaptureMatches<'r, 'h>> {
        re.captures_iter(text).take(self.limit(re))
    }

    /// No match at all, or all of them.
    fn limit(&self, re: &Regex) -> usize {
        if self.may_match(re) {
            usize::MAX
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static NUMBERS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        (0..20)
            .map(|i| Regex::new(&format!(r"\b{i}\b")).expect("valid"))
            .collect()
    });

    #[test]
    fn reports_the_regexes_that_match() {
        let gate = Gate::new(NUMBERS.iter());
        let text = "3 and 17, not 170";
        let m = gate.matching(text);
        for re in NUMBERS.iter() {
            assert_eq!(m.may_match(re), re.is_match(text), "{}", re.as_str());
            assert_eq!(
                m.captures_iter(re, text).count(),
                re.captures_iter(text).count(),
                "{}",
                re.as_str()
            );
        }
        assert_eq!(NUMBERS.iter().filter(|re| m.may_match(re)).count(), 2);
        let other = Regex::new("x").expect("valid");
        assert!(m.may_match(&other), "a regex outside the gate is searched");
    }
}

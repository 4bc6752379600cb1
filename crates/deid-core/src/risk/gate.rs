//! Which regexes of a list can match a text, and each regex compiled only when a text needs
//! it. The phrase regexes of the risk step ([`LazyRegex`]) cost most of its start-up to
//! compile (a Unicode-aware regex with `(?i)` builds forward and reverse automata and
//! extracts its literals: 0.3-2 ms each), yet a note matches few of them. A [`Gate`] over a
//! list is a few cheap automata, one per chunk of regexes: each is a lazy DFA over the
//! regexes' parsed patterns with their classes widened (`detect::pattern::widened`), built
//! without capture states, reverse automata or literal extraction. One pass of each over a
//! text says which regexes may match it; a widened class only adds matches, so a regex the
//! gate rules out cannot match, and only those it lets through are compiled and searched.
//!
//! Before the automata, one pass of an Aho-Corasick automaton over the regexes' required
//! literals (`detect::pattern::required_literals`: every match holds one of them) rules out
//! the regexes whose words a note lacks; a chunk of regexes all ruled out is not run at all.
//! The regexes with such literals are chunked apart from those without, so that whole chunks
//! drop out. Measured on 3.5 MB of generated notes (`deid scan --threads 1`): cachegrind
//! 14.75 G -> 14.66 G instructions (-0.6 %: on 1.2 MB, 124 M fewer in the lazy DFAs' search
//! and 55 M more in Aho-Corasick's); perf put the lazy DFAs' overlapping search (the pattern
//! rules' walks and this gate) at 20.6 % of the samples before and 14.4 % after, a larger
//! share than the instruction counts say (each DFA transition is a likely cache miss).

use crate::detect::pattern::{literal_automaton, required_literals, widened, GroupAutomaton};
use aho_corasick::AhoCorasick;
use regex::{Captures, Regex};
use regex_automata::{PatternID, PatternSet};
use std::borrow::Cow;
use std::sync::OnceLock;

/// Patterns in one automaton at most: one automaton over many patterns grows a large lazy
/// DFA; a few smaller ones stay cheap (the pattern rules' sets measured the same).
const CHUNK: usize = 8;

/// A phrase regex, compiled the first time it is used (see the module docs). Its pattern gets
/// ASCII word boundaries (`(?-u:\b)`) unless it spells a non-ASCII letter or puts a boundary
/// before a class that holds them (`\b\p{Lu}`, `\b\w`): there a boundary next to such a letter
/// needs Unicode's definition ("Đặng (59)"). Patterns spell such letters as escapes where no
/// boundary touches them (`kaum\x{101}tua`), and write a boundary next to one explicitly
/// (`caf\x{e9}(?-u:\B)`: no word byte follows; `(?-u:\B)[\p{Lu}&&[^A-Z]]`: a non-ASCII capital
/// after no ASCII word byte). A Unicode `\b` makes the fast automaton give up on any note with
/// a non-ASCII character (a curly apostrophe is enough) and the search fall back to a
/// backtracking engine: measured at a third of `deid scan` on such notes. For the ASCII words
/// these patterns match, the two boundaries differ only next to a non-ASCII letter glued to
/// the word ("éplant").
pub(crate) struct LazyRegex {
    pattern: Cow<'static, str>,
    regex: OnceLock<Regex>,
}

impl LazyRegex {
    pub(crate) const fn new(pattern: &'static str) -> LazyRegex {
        LazyRegex {
            pattern: Cow::Borrowed(pattern),
            regex: OnceLock::new(),
        }
    }

    /// A regex whose pattern is built at run time (from a word list).
    pub(crate) fn owned(pattern: String) -> LazyRegex {
        LazyRegex {
            pattern: Cow::Owned(pattern),
            regex: OnceLock::new(),
        }
    }

    /// The pattern as compiled (with ASCII word boundaries where they apply).
    fn source(&self) -> Cow<'_, str> {
        let p = self.pattern.as_ref();
        if p.chars().any(|c| !c.is_ascii() && c.is_alphabetic())
            || ["\\b\\p", "\\b\\w"].iter().any(|b| p.contains(b))
        {
            Cow::Borrowed(p)
        } else {
            Cow::Owned(crate::rules::spec::ascii_word_boundaries(p))
        }
    }

    /// The compiled regex. The patterns are the library's own, compiled by a test
    /// (`every_phrase_regex_compiles`), so this cannot fail at run time.
    pub(crate) fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            #[allow(clippy::expect_used)]
            Regex::new(&self.source()).expect("a built-in phrase pattern compiles")
        })
    }
}

impl std::ops::Deref for LazyRegex {
    type Target = Regex;
    fn deref(&self) -> &Regex {
        self.regex()
    }
}

/// The prefilter of one list of regexes (see the module docs).
pub(crate) struct Gate {
    regexes: Vec<&'static LazyRegex>,
    /// Each chunk's automaton, or `None` when the chunk could not be combined (its regexes
    /// are then always searched), and the regexes it holds (indices into `regexes`).
    chunks: Vec<(Option<GroupAutomaton>, Vec<usize>)>,
    /// The required literals of the regexes that have them (ASCII case ignored), and for each
    /// literal the regexes it lets through; `None` when no regex has any.
    literals: Option<(AhoCorasick, Vec<Vec<usize>>)>,
    /// Per regex: does it have required literals?
    gated: Vec<bool>,
}

/// The regexes of a [`Gate`] that may match one text.
pub(crate) struct Matching<'g> {
    gate: &'g Gate,
    hits: Vec<bool>,
}

impl Gate {
    /// The gate of `regexes`.
    pub(crate) fn new(regexes: impl IntoIterator<Item = &'static LazyRegex>) -> Gate {
        let regexes: Vec<&'static LazyRegex> = regexes.into_iter().collect();
        let trees: Vec<Option<regex_syntax::hir::Hir>> = regexes
            .iter()
            .map(|re| regex_syntax::parse(&re.source()).ok())
            .collect();
        // Literal -> regex pairs, sorted, for one automaton over the distinct literals.
        let mut pairs: Vec<(Vec<u8>, usize)> = Vec::new();
        let mut gated = vec![false; regexes.len()];
        for (i, tree) in trees.iter().enumerate() {
            if let Some(lits) = tree.as_ref().and_then(required_literals) {
                gated[i] = true;
                pairs.extend(lits.into_iter().map(|l| (l, i)));
            }
        }
        let literals = (!pairs.is_empty())
            .then(|| literal_automaton(pairs).ok())
            .flatten();
        if literals.is_none() {
            gated.fill(false);
        }
        // The regexes without literals, then those with, each in their order.
        let order: Vec<usize> = (0..regexes.len())
            .filter(|&i| !gated[i])
            .chain((0..regexes.len()).filter(|&i| gated[i]))
            .collect();
        let chunks = order
            .chunks(CHUNK)
            .map(|c| {
                let wide: Option<Vec<_>> =
                    c.iter().map(|&i| trees[i].clone().map(widened)).collect();
                let automaton = wide.and_then(|t| GroupAutomaton::new(&t).ok());
                (automaton, c.to_vec())
            })
            .collect();
        Gate {
            regexes,
            chunks,
            literals,
            gated,
        }
    }

    /// The regexes of the gate.
    #[cfg(test)]
    pub(crate) fn regexes(&self) -> &[&'static LazyRegex] {
        &self.regexes
    }

    /// Which of the regexes may match somewhere in `text` (every regex that does, and
    /// perhaps a few more next to non-ASCII text).
    pub(crate) fn matching(&self, text: &str) -> Matching<'_> {
        // Ruled out by the literals: a regex with required literals of which the text has none.
        let mut possible: Vec<bool> = self.gated.iter().map(|&g| !g).collect();
        if let Some((ac, lets)) = &self.literals {
            for m in ac.find_overlapping_iter(text) {
                for &i in &lets[m.pattern().as_usize()] {
                    possible[i] = true;
                }
            }
        }
        let mut hits = vec![false; self.regexes.len()];
        for (automaton, members) in &self.chunks {
            if !members.iter().any(|&i| possible[i]) {
                continue;
            }
            let mut set = PatternSet::new(members.len());
            let searched = automaton
                .as_ref()
                .is_some_and(|a| a.matching_anywhere(text, &mut set));
            // An automaton that gave up (a Unicode word boundary next to a non-ASCII
            // character) rules nothing out.
            for (k, &i) in members.iter().enumerate() {
                hits[i] = possible[i] && (!searched || set.contains(PatternID::new_unchecked(k)));
            }
        }
        Matching { gate: self, hits }
    }
}

impl Matching<'_> {
    /// Can `re` match the text? True for a regex that is not in the gate.
    pub(crate) fn may_match(&self, re: &LazyRegex) -> bool {
        self.gate
            .regexes
            .iter()
            .zip(&self.hits)
            .find(|(r, _)| std::ptr::eq(**r, re))
            .is_none_or(|(_, &hit)| hit)
    }

    /// `re.captures_iter(text)`, compiling and searching nothing when `re` cannot match
    /// (`text` is the text the gate was run on).
    pub(crate) fn captures_iter<'r, 'h>(
        &self,
        re: &'r LazyRegex,
        text: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + use<'r, 'h> {
        self.may_match(re)
            .then(|| re.regex().captures_iter(text))
            .into_iter()
            .flatten()
    }

    /// `re.find_iter(text)`, as [`Matching::captures_iter`].
    pub(crate) fn find_iter<'r, 'h>(
        &self,
        re: &'r LazyRegex,
        text: &'h str,
    ) -> impl Iterator<Item = regex::Match<'h>> + use<'r, 'h> {
        self.may_match(re)
            .then(|| re.regex().find_iter(text))
            .into_iter()
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static NUMBERS: LazyLock<Vec<LazyRegex>> = LazyLock::new(|| {
        (0..20)
            .map(|i| LazyRegex::owned(format!(r"\b{i}\b")))
            .chain([
                LazyRegex::new(r"(?i)\bcaf\x{e9}(?-u:\B)"),
                LazyRegex::new(r"\b\p{Lu}\p{Ll}+-born\b"),
                LazyRegex::new(r"(?i)\bkeeps\b"),
            ])
            .collect()
    });

    #[test]
    fn reports_the_regexes_that_match() {
        let gate = Gate::new(NUMBERS.iter());
        for text in [
            "3 and 17, not 170",
            "CAFÉ at 9",
            "Đặng is Łódź-born; KEEPS 4",
            "ÉTÉ-born",
            "",
        ] {
            let m = gate.matching(text);
            for re in NUMBERS.iter() {
                if re.is_match(text) {
                    assert!(m.may_match(re), "{} in {text:?}", re.as_str());
                }
                assert_eq!(
                    m.captures_iter(re, text).count(),
                    re.captures_iter(text).count(),
                    "{} in {text:?}",
                    re.as_str()
                );
                assert_eq!(
                    m.find_iter(re, text).count(),
                    re.find_iter(text).count(),
                    "{} in {text:?}",
                    re.as_str()
                );
            }
        }
        let m = gate.matching("3 and 17, not 170");
        assert_eq!(NUMBERS.iter().filter(|re| m.may_match(re)).count(), 2);
        let other = LazyRegex::new("x");
        assert!(m.may_match(&other), "a regex outside the gate is searched");
    }

    #[test]
    fn required_literals_rule_out_whole_chunks() {
        static RES: LazyLock<Vec<LazyRegex>> = LazyLock::new(|| {
            (0..10)
                .map(|i| LazyRegex::owned(format!(r"(?i)\bword{i}s?\b")))
                .chain([LazyRegex::new(r"\b\d+\b")])
                .collect()
        });
        let gate = Gate::new(RES.iter());
        assert_eq!(gate.gated.iter().filter(|&&g| g).count(), 10);
        for text in ["no such words here 12", "WORD3S and word7", "sword3", ""] {
            let m = gate.matching(text);
            for re in RES.iter() {
                assert_eq!(
                    m.may_match(re),
                    re.is_match(text),
                    "{} in {text:?}",
                    re.as_str()
                );
            }
        }
    }

    #[test]
    fn a_regex_is_compiled_only_when_a_text_may_match_it() {
        static RES: LazyLock<[LazyRegex; 2]> =
            LazyLock::new(|| [LazyRegex::new(r"\bfoo\b"), LazyRegex::new(r"\bbar\b")]);
        let gate = Gate::new(RES.iter());
        let m = gate.matching("a foo here");
        assert_eq!(m.captures_iter(&RES[0], "a foo here").count(), 1);
        assert_eq!(m.captures_iter(&RES[1], "a foo here").count(), 0);
        assert!(RES[0].regex.get().is_some());
        assert!(RES[1].regex.get().is_none(), "bar was never compiled");
    }
}

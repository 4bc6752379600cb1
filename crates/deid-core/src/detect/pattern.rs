//! Pattern rules, trigger-driven. The engine derives from each rule's pattern where a match can
//! start: the literals every match begins with (one Aho-Corasick automaton over all rules' prefix
//! literals), or the bytes a match can begin with (a 256-entry table, optionally only at ASCII
//! word starts or line starts). Rules with the same kind of trigger share one lazy DFA: at each
//! trigger position one anchored walk says which of them match there, and only those run their
//! own regex, anchored, for captures. Rules with no selective trigger (a match may begin inside
//! any word) keep the old route: a RegexSet pass says which of them match anywhere and only
//! those search the note. Context and validators then accept or reject each match. Rules stay
//! data: nothing here is keyed on a rule.

use super::Candidate;
use crate::category::Kind;
use crate::error::{Error, Result};
use crate::rules::spec::ascii_word_boundaries;
use crate::rules::validate::Verdict;
use crate::rules::PatternRule;
use crate::text::{ceil_boundary, floor_boundary};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder};
use regex_automata::hybrid;
use regex_automata::meta::Regex as MetaRegex;
use regex_automata::nfa::thompson;
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, PatternID, PatternSet};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Makes a group's lazy DFA cache (one per thread, from a pool).
type CacheFn = Box<
    dyn Fn() -> hybrid::dfa::Cache
        + Send
        + Sync
        + std::panic::RefUnwindSafe
        + std::panic::UnwindSafe,
>;

/// A rule's own regex and the indices of its groups, compiled the first time its trigger group
/// or prefilter set reports a match: a short note compiles only the few rules that can match
/// it. The group or set compiles the same pattern and the group names are checked when the
/// detector is built, so this cannot fail.
struct Compiled {
    /// regex-automata's meta regex (what `regex::Regex` wraps): it can search anchored at a
    /// position while look-behind assertions still see the text before it.
    regex: MetaRegex,
    /// Capture group indices and categories; empty means the whole match.
    groups: Vec<(usize, crate::category::Category)>,
}

struct Rule {
    rule: PatternRule,
    /// The context regexes, compiled the first time a match of the rule is judged (77 of them
    /// cost a tenth of the start-up when all were built with the detector); their syntax is
    /// checked where the rule file is read (`rules::spec`, with the file and line), so errors
    /// are still the rule file's.
    not_followed_by: std::sync::OnceLock<Option<Regex>>,
    not_preceded_by: std::sync::OnceLock<Option<Regex>>,
    compiled: std::sync::OnceLock<Option<Compiled>>,
}

/// A rule's context regex, compiled (`None` for no regex, or one that failed to compile after
/// the rule file's check of its syntax, which would take a size limit no context regex comes
/// near).
fn side_regex(pattern: Option<&str>) -> Option<Regex> {
    RegexBuilder::new(pattern?)
        .size_limit(SIZE_LIMIT)
        .build()
        .ok()
}

impl Rule {
    /// The rule, its side regexes compiled, its pattern's group names checked.
    fn new(rule: &PatternRule) -> Result<Rule> {
        for (g, _) in &rule.groups {
            if !rule.pattern.contains(&format!("(?P<{g}>"))
                && !rule.pattern.contains(&format!("(?<{g}>"))
            {
                return Err(Error::config(format!(
                    "{}: rule {}: the pattern has no group named {g}",
                    rule.origin, rule.id
                )));
            }
        }
        Ok(Rule {
            not_followed_by: std::sync::OnceLock::new(),
            not_preceded_by: std::sync::OnceLock::new(),
            rule: rule.clone(),
            compiled: std::sync::OnceLock::new(),
        })
    }

    /// The compiled pattern (`None` only if compilation failed after the checks of
    /// [`Rule::new`] and the set, which rule it out; the rule then finds nothing).
    fn compiled(&self) -> Option<&Compiled> {
        self.compiled
            .get_or_init(|| {
                let c = compile(&self.rule);
                debug_assert!(c.is_ok(), "rule {} was validated", self.rule.id);
                c.ok()
            })
            .as_ref()
    }
}

/// All pattern rules, compiled, with the triggers that say where each can match.
pub(crate) struct PatternDetector {
    rules: Vec<Rule>,
    /// Every literal-triggered rule's prefix literals (ASCII case folded), and for each literal
    /// the groups of the rules it starts.
    literals: Option<(AhoCorasick, Vec<Vec<u16>>)>,
    /// For each byte value, the groups of first-byte-triggered rules a match can begin with it.
    first_byte: Vec<Vec<u16>>,
    /// Triggered rules with the same kind of trigger and start, at most `GROUP_CHUNK` together:
    /// at each trigger position one anchored pass of the group's combined automaton says which
    /// of its rules match there, so a position costs one short walk, not one search per rule.
    groups: Vec<Group>,
    /// Rules with no selective trigger, in groups of at most `SET_CHUNK` rules whose automaton
    /// is run over the whole text to say which of them match anywhere: one automaton over every
    /// rule makes the lazy DFA's state space explode (measured on clinical notes: one set of 70
    /// rules 37 MB/s, sets of 16 rules 61 MB/s, one regex per rule 13 MB/s; chunks of 10 cost
    /// the fewest instructions).
    sets: Vec<Group>,
    /// The rules marked `caseless`, again, run on each line written all in one case read as
    /// title case (see [`title_cased`]).
    caseless: Option<Box<PatternDetector>>,
}

/// Triggered rules of one kind (see [`PatternDetector::groups`]).
struct Group {
    /// The rules' widened patterns (see [`widened`]), compiled into `automaton` the first
    /// time the group is walked: a note compiles only the groups its text can trigger (a
    /// one-line note few of them; issue 12's start-up).
    trees: Vec<Hir>,
    /// One lazy DFA reporting every pattern that matches (pattern `k` is rule `rules[k]`):
    /// only forward walks are asked of it, so no reverse automaton or capture engine is
    /// built. An error (an automaton over the size limit) is reported by
    /// [`PatternDetector::check_automata`], which the engine runs on rules that are not the
    /// built-in ones (the built-in ones are tested); should it ever happen at run time, every
    /// rule of the group tries each position instead.
    automaton: std::sync::OnceLock<std::result::Result<GroupAutomaton, String>>,
    rules: Vec<u16>,
    start: Start,
}

/// One lazy DFA over the widened trees (see [`widened`]) of a group of patterns, reporting
/// every pattern that matches (pattern `k` is the group's `k`th tree), and its pool of caches.
/// What `DFA::builder().build_many` does with pattern strings, without parsing them again: a
/// DFA needs no capture states, and only forward walks are asked of it (no reverse
/// automaton). The risk step's phrase gate uses the same automaton.
pub(crate) struct GroupAutomaton {
    dfa: hybrid::dfa::DFA,
    caches: Pool<hybrid::dfa::Cache, CacheFn>,
}

impl GroupAutomaton {
    pub(crate) fn new(wide: &[Hir]) -> Result<GroupAutomaton> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(SIZE_LIMIT))
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_many_from_hir(wide)
            .map_err(|e| Error::config(format!("cannot combine pattern rules: {e}")))?;
        let dfa = hybrid::dfa::DFA::builder()
            .configure(
                hybrid::dfa::DFA::config()
                    // Every pattern that matches, as a RegexSet reports them (leftmost-first
                    // would drop the lower-priority patterns).
                    .match_kind(regex_automata::MatchKind::All)
                    // A Unicode word boundary (a phrase regex next to a non-ASCII letter) is
                    // searched on ASCII text; the search gives up at a non-ASCII byte, and the
                    // callers then treat every pattern as matching.
                    .unicode_word_boundary(true)
                    .cache_capacity(1 << 24),
            )
            .build_from_nfa(nfa)
            .map_err(|e| Error::config(format!("cannot combine pattern rules: {e}")))?;
        let for_cache = dfa.clone();
        let make: CacheFn = Box::new(move || for_cache.create_cache());
        Ok(GroupAutomaton {
            dfa,
            caches: Pool::new(make),
        })
    }

    /// Fills `set` with the patterns that match anywhere in `text`, by one unanchored pass;
    /// false when the lazy DFA gave up (a Unicode word boundary at a non-ASCII byte), and
    /// `set` then says nothing.
    pub(crate) fn matching_anywhere(&self, text: &str, set: &mut PatternSet) -> bool {
        let mut cache = self.caches.get();
        self.dfa
            .try_which_overlapping_matches(&mut cache, &Input::new(text), set)
            .is_ok()
    }
}

impl Group {
    fn new(trees: Vec<Hir>, rules: impl Iterator<Item = usize>, start: Start) -> Group {
        Group {
            trees,
            automaton: std::sync::OnceLock::new(),
            rules: rules
                .map(|i| u16::try_from(i).unwrap_or(u16::MAX))
                .collect(),
            start,
        }
    }

    /// The group's automaton, compiled on first use.
    fn automaton(&self) -> std::result::Result<&GroupAutomaton, &str> {
        self.automaton
            .get_or_init(|| GroupAutomaton::new(&self.trees).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }

    /// Every rule of the group, as matching.
    fn all(&self, set: &mut PatternSet) {
        set.clear();
        for p in 0..self.rules.len() {
            set.insert(PatternID::new_unchecked(p));
        }
    }

    /// Pushes onto `out` the rules of the group that match anywhere in `text` (every rule if
    /// the lazy DFA gives up, which it cannot on these patterns' ASCII boundaries), found by
    /// one unanchored pass of its automaton.
    fn matching_anywhere(&self, text: &str, out: &mut Vec<usize>) {
        let mut set = PatternSet::new(self.rules.len());
        if !self
            .automaton()
            .is_ok_and(|a| a.matching_anywhere(text, &mut set))
        {
            self.all(&mut set);
        }
        out.extend(set.iter().map(|p| usize::from(self.rules[p.as_usize()])));
    }
}

/// Rules in one group at most. A larger group walks fewer times per position (the word-start
/// groups are walked at every word) for a larger lazy DFA. Measured (cachegrind, `deid scan
/// --threads 1` on 3.5 MB of generated notes): 16 rules 14.66 G instructions, 32 rules
/// 14.22 G, 64 rules 14.29 G; start-up the same within 1 %.
const GROUP_CHUNK: usize = 32;

/// How far one anchored walk of a group's automaton reads from its trigger position: a rule
/// is taken to match at a position when it has a match there of at most this many bytes (its
/// own regex then finds the whole match, however long). Bounding the walk bounds the cost of
/// a trigger, so that text where nearly every byte is a trigger and every walk could run to
/// the end of a long run (`Ab-Ab-Ab-...`, `A.A.A...`, `1-1-1-...`) costs time linear in its
/// length, not quadratic. A match that starts at a trigger is still missed when it is longer
/// than this and no shorter match of its rule starts there (a 300-byte run of capitals ending
/// in "Hospital"): the longest span a pattern rule is sure to find. Every built-in rule's
/// shortest match is far shorter (tested).
const MAX_WALK: usize = 256;

/// At most this many distinct prefix literals for a rule to be literal-triggered (a larger set
/// means the rule is better found another way).
const MAX_LITERALS: usize = 1000;

/// How a rule's candidate start positions are found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Trigger {
    /// Where one of these literals (ASCII lower case; at least two bytes) begins.
    Literals(Vec<Vec<u8>>),
    /// Where a byte of this set is.
    FirstByte(Box<[bool; 256]>),
    /// Anywhere (a prefilter set says whether at all).
    Set,
}

/// One ASCII-case-insensitive Aho-Corasick automaton over the distinct literals of `pairs`,
/// and for each of its patterns the values paired with that literal (sorted, distinct).
pub(crate) fn literal_automaton<T: Ord>(
    mut pairs: Vec<(Vec<u8>, T)>,
) -> Result<(AhoCorasick, Vec<Vec<T>>)> {
    pairs.sort();
    pairs.dedup();
    let mut pats: Vec<Vec<u8>> = Vec::new();
    let mut of: Vec<Vec<T>> = Vec::new();
    for (lit, v) in pairs {
        if pats.last() != Some(&lit) {
            pats.push(lit);
            of.push(Vec::new());
        }
        if let Some(vs) = of.last_mut() {
            vs.push(v);
        }
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .build(&pats)
        .map_err(|e| Error::config(format!("cannot combine pattern rules: {e}")))?;
    Ok((ac, of))
}

/// The literals every match of `hir` begins with (at most `MAX_LITERALS`, of at most
/// `literal_len` bytes), ASCII lower-cased, sorted and distinct; `None` when their set is
/// not finite.
fn prefix_literals(hir: &Hir, literal_len: usize) -> Option<Vec<Vec<u8>>> {
    let mut ex = Extractor::new();
    ex.kind(ExtractKind::Prefix)
        .limit_total(MAX_LITERALS)
        .limit_class(40)
        .limit_repeat(4)
        .limit_literal_len(literal_len);
    let seq = match ascii_case_folded(hir) {
        Some(folded) => ex.extract(&folded),
        None => ex.extract(hir),
    };
    let mut folded: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    folded.sort();
    folded.dedup();
    Some(folded)
}

/// The trigger of a pattern: its prefix literals when every match begins with one of at most
/// `MAX_LITERALS` literals of three bytes or more (or a few of two); else the bytes a match can
/// begin with, when the pattern begins with a word boundary or a line start or those bytes are
/// no ASCII letters or spaces (digits, `#`, `(`, `@`); else none (a rule that can start inside
/// any word). Measured on generated notes: a prefilter set of ten rules with large alternations
/// cost ~300 instructions a byte, one anchored walk of a group at a word start ~900.
fn trigger_of(hir: &Hir, start: Start) -> Trigger {
    if let Some(folded) = prefix_literals(hir, 6) {
        let shortest = folded.iter().map(Vec::len).min().unwrap_or(0);
        if folded.len() <= MAX_LITERALS && (shortest >= 3 || shortest == 2 && folded.len() <= 32) {
            return Trigger::Literals(folded);
        }
    }
    let mut first = Box::new([false; 256]);
    if !first_bytes(hir, &mut first)
        && (start != Start::Anywhere
            || !(0..=255u8).any(|b| {
                first[usize::from(b)] && (b.is_ascii_alphabetic() || b.is_ascii_whitespace())
            }))
    {
        return Trigger::FirstByte(first);
    }
    Trigger::Set
}

/// A sort key that puts first-byte triggers with the same bytes next to each other, those
/// that begin with fewer letters first (digits and punctuation, then capitals, then any
/// letter); literal triggers keep their order.
fn first_byte_order(trigger: &Trigger) -> (usize, [u64; 4]) {
    let Trigger::FirstByte(set) = trigger else {
        return (0, [0; 4]);
    };
    let letters = (0..=255u8)
        .filter(|&b| set[usize::from(b)] && b.is_ascii_alphabetic())
        .count();
    let mut bits = [0u64; 4];
    for (b, &on) in set.iter().enumerate() {
        if on {
            bits[b / 64] |= 1 << (b % 64);
        }
    }
    (letters, bits)
}

/// `hir` with each class of exactly one ASCII letter in both cases (`[Dd]`, what `(?i)` makes
/// of `d`) replaced by the lower-case letter. The trigger literals are ASCII-case-folded and
/// searched ASCII-case-insensitively anyway; without the classes the extractor does not
/// enumerate every case spelling of a word (2^n literals for n letters, most of the start-up
/// cost of [`trigger_of`] with `(?i)` alternations of words). Other classes (`[Kk\u{212A}]`)
/// stay as they are. `None` when nothing changes (no tree is rebuilt or copied).
fn ascii_case_folded(hir: &Hir) -> Option<Hir> {
    use regex_syntax::hir::{Capture, Repetition};
    let pair = |lo: u32, hi: u32| -> Option<u8> {
        let (lo, hi) = (u8::try_from(lo).ok()?, u8::try_from(hi).ok()?);
        (lo.is_ascii_uppercase() && hi == lo.to_ascii_lowercase()).then_some(hi)
    };
    // A class of exactly two single characters, as (first, second), when it is one.
    let two_singles =
        |r: [(u32, u32); 2]| (r[0].0 == r[0].1 && r[1].0 == r[1].1).then_some((r[0].0, r[1].0));
    let folded = |chars: Option<(u32, u32)>| {
        chars
            .and_then(|(a, b)| pair(a, b))
            .map(|l| Hir::literal([l]))
    };
    // The parts, folded, when any of them changed.
    let parts = |subs: &[Hir]| -> Option<Vec<Hir>> {
        let new: Vec<Option<Hir>> = subs.iter().map(ascii_case_folded).collect();
        new.iter().any(Option::is_some).then(|| {
            new.into_iter()
                .zip(subs)
                .map(|(n, old)| n.unwrap_or_else(|| old.clone()))
                .collect()
        })
    };
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => folded(match c.ranges() {
            [a, b] => two_singles([a, b].map(|r| (u32::from(r.start()), u32::from(r.end())))),
            _ => None,
        }),
        HirKind::Class(Class::Bytes(c)) => folded(match c.ranges() {
            [a, b] => two_singles([a, b].map(|r| (u32::from(r.start()), u32::from(r.end())))),
            _ => None,
        }),
        HirKind::Repetition(rep) => ascii_case_folded(&rep.sub).map(|sub| {
            Hir::repetition(Repetition {
                min: rep.min,
                max: rep.max,
                greedy: rep.greedy,
                sub: Box::new(sub),
            })
        }),
        HirKind::Capture(c) => ascii_case_folded(&c.sub).map(|sub| {
            Hir::capture(Capture {
                index: c.index,
                name: c.name.clone(),
                sub: Box::new(sub),
            })
        }),
        HirKind::Concat(subs) => parts(subs).map(Hir::concat),
        HirKind::Alternation(subs) => parts(subs).map(Hir::alternation),
        HirKind::Empty | HirKind::Look(_) | HirKind::Literal(_) => None,
    }
}

/// `hir` with each Unicode class widened to its ASCII part plus, when it holds any non-ASCII
/// character, every non-ASCII character (`\p{L}` becomes `[A-Za-z\x{80}-\x{10FFFF}]`). The
/// language only grows (a regular expression is monotone in its classes), so an automaton of
/// the widened trees reports every rule the exact one does, and perhaps a few more at non-ASCII
/// text, which the rule's own regex then rejects. What it saves: compiling the UTF-8 ranges of
/// `\p{L}`, `\w` and `(?i)`'s `[Kk\x{212A}]` into the groups' automata, most of the pattern
/// detector's start-up (issue 12), and lazy-DFA states at run time.
pub(crate) fn widened(hir: Hir) -> Hir {
    use regex_syntax::hir::{Capture, ClassUnicode, ClassUnicodeRange, Repetition};
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(c)) => {
            if c.ranges().last().is_none_or(|r| r.end().is_ascii()) {
                return Hir::class(Class::Unicode(c));
            }
            let mut ranges: Vec<ClassUnicodeRange> = c
                .ranges()
                .iter()
                .filter(|r| r.start().is_ascii())
                .map(|r| ClassUnicodeRange::new(r.start(), r.end().min('\x7F')))
                .collect();
            ranges.push(ClassUnicodeRange::new('\u{80}', char::MAX));
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(widened(*rep.sub)),
            ..rep
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(widened(*c.sub)),
            ..c
        }),
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(widened).collect()),
        HirKind::Alternation(alts) => Hir::alternation(alts.into_iter().map(widened).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Look(l) => Hir::look(l),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
    }
}

/// Literals (ASCII lower case, three bytes or more) one of which every match of `hir`
/// contains, when there is such a set; the fewer and longer the better. Each part of a
/// concatenation, the body of a repetition of at least one, and the union over the branches
/// of an alternation must match inside every match, and every match of a part begins with one
/// of its prefix literals (regex-syntax's `Extractor`, when their set is finite); a text
/// holding none of them (compared ignoring ASCII case: the literals of a `(?i)` pattern's
/// other case spellings, `ſ` for `s`, are in the set) cannot match. Used by the risk step's
/// phrase gate (`risk::gate`).
pub(crate) fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    // Better: a longer shortest literal, then fewer literals.
    let better = |a: &Vec<Vec<u8>>, b: &Vec<Vec<u8>>| {
        let key = |v: &Vec<Vec<u8>>| {
            (
                v.iter().map(Vec::len).min().unwrap_or(0).min(8),
                std::cmp::Reverse(v.len()),
            )
        };
        key(a) > key(b)
    };
    let pick = |a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>| match (a, b) {
        (Some(a), Some(b)) => Some(if better(&b, &a) { b } else { a }),
        (a, b) => a.or(b),
    };
    let direct = || {
        prefix_literals(hir, 8).filter(|lits| !lits.is_empty() && lits.iter().all(|l| l.len() >= 3))
    };
    match hir.kind() {
        HirKind::Capture(c) => required_literals(&c.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required_literals(&rep.sub),
        HirKind::Concat(parts) => parts.iter().map(required_literals).fold(direct(), &pick),
        HirKind::Alternation(alts) => {
            let union = alts.iter().try_fold(Vec::new(), |mut all, alt| {
                all.extend(required_literals(alt)?);
                Some(all)
            });
            let union = union.map(|mut u| {
                u.sort();
                u.dedup();
                u
            });
            pick(direct(), union.filter(|u| u.len() <= MAX_LITERALS))
        }
        _ => direct(),
    }
}

/// Adds to `set` every byte a match of `hir` can begin with; returns whether `hir` can match
/// the empty string (then what follows it can begin the match too). A superset is fine.
fn first_bytes(hir: &Hir, set: &mut [bool; 256]) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(l) => {
            if let Some(&b) = l.0.first() {
                set[usize::from(b)] = true;
                false
            } else {
                true
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    set[usize::from(b)] = true;
                }
            }
            false
        }
        HirKind::Class(Class::Unicode(c)) => {
            // UTF-8 lead bytes grow with the code point: a range's lead bytes lie between
            // its ends'.
            for r in c.ranges() {
                let lead = |ch: char| ch.encode_utf8(&mut [0; 4]).as_bytes()[0];
                for b in lead(r.start())..=lead(r.end()) {
                    set[usize::from(b)] = true;
                }
            }
            false
        }
        HirKind::Repetition(rep) => first_bytes(&rep.sub, set) || rep.min == 0,
        HirKind::Capture(c) => first_bytes(&c.sub, set),
        HirKind::Concat(parts) => {
            for part in parts {
                if !first_bytes(part, set) {
                    return false;
                }
            }
            true
        }
        HirKind::Alternation(alts) => {
            let mut empty = false;
            for alt in alts {
                empty |= first_bytes(alt, set);
            }
            empty
        }
    }
}

/// Where a pattern's match can start, from the assertion it begins with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Anywhere,
    /// `(?-u:\b)`: at an ASCII word boundary.
    WordBoundary,
    /// `^` in multi-line mode (or `\A`): at the start of the text or of a line.
    Line,
}

impl Start {
    fn of(hir: &Hir) -> Start {
        match hir.kind() {
            HirKind::Look(Look::WordAscii) => Start::WordBoundary,
            HirKind::Look(Look::Start | Look::StartLF | Look::StartCRLF) => Start::Line,
            HirKind::Concat(parts) => parts.first().map_or(Start::Anywhere, Start::of),
            HirKind::Capture(c) => Start::of(&c.sub),
            HirKind::Alternation(alts) => {
                let first = alts.first().map_or(Start::Anywhere, Start::of);
                if alts.iter().all(|a| Start::of(a) == first) {
                    first
                } else {
                    Start::Anywhere
                }
            }
            _ => Start::Anywhere,
        }
    }

    /// Can a match start at byte `i` of `text`? (`(?-u:\b)` is the ASCII test; a line starts
    /// after `\n` or `\r`, a superset of what `^` accepts.)
    fn admits(self, text: &[u8], i: usize) -> bool {
        match self {
            Start::Anywhere => true,
            Start::WordBoundary => {
                let before = i > 0 && is_word_byte(text[i - 1]);
                let after = i < text.len() && is_word_byte(text[i]);
                before != after
            }
            Start::Line => i == 0 || matches!(text[i - 1], b'\n' | b'\r'),
        }
    }
}

/// Words kept in lower case when a line is read as title case: the joining words of names
/// ("Court of Common Pleas", "Society for the Prevention of Cruelty to Children"), the
/// prepositions that end the context before one ("referred by", "went to the"), and pronouns
/// and auxiliaries, which begin no name ("WILL ALSO HAVE HOME HEALTH AID"), and adverbs of
/// time, which end none ("rang kestrel bay citizens advice bureau today").
#[rustfmt::skip]
const TITLE_CASE_FUNCTION_WORDS: &[&str] = &[
    "a", "again", "also", "am", "an", "and", "are", "as", "at", "be", "been", "by", "de", "des",
    "du", "etc", "for", "from", "had", "has", "have", "he", "her", "his", "i", "in", "into", "is",
    "it", "la", "my", "no", "not", "now", "o", "of", "on", "or", "our", "per", "re", "she", "still",
    "that", "the", "their", "then", "they", "this", "to", "today", "tomorrow", "tonight", "was",
    "we", "were", "will", "with", "yesterday", "you", "your",
];

/// Where the part of `line` written all in one case begins: after a leading label of at most
/// 24 bytes ending in a colon ("CLIENT:", "Plan:"), when the rest has at least four letters
/// and no capital, or no small letter. `None` for a line in mixed case.
fn one_case_from(line: &str) -> Option<usize> {
    let from = line
        .char_indices()
        .take_while(|&(i, _)| i <= 24)
        .find(|&(_, c)| c == ':')
        .filter(|&(i, _)| {
            line[..i]
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '\t')
        })
        .map_or(0, |(i, _)| i + 1);
    let (mut upper, mut lower, mut letters) = (false, false, 0usize);
    for c in line[from..].chars() {
        if c.is_alphabetic() {
            letters += 1;
            upper |= c.is_uppercase();
            lower |= c.is_lowercase();
            if upper && lower {
                return None;
            }
        }
    }
    (letters >= 4).then_some(from)
}

/// `line` read as title case into `buf`: in each word (a run of non-space characters) the
/// first letter (unless a digit comes first) in capitals and the others small, but words of
/// [`TITLE_CASE_FUNCTION_WORDS`] and verbs in the past tense ("rang", "referred") all small.
/// A character whose other case is written with a different number of bytes is left as it
/// is, so every byte offset of `buf` is the same character's in `line`. Appends to `buf`.
fn title_cased(line: &str, buf: &mut String) {
    fn mapped(c: char, mut to: impl Iterator<Item = char>) -> char {
        match (to.next(), to.next()) {
            (Some(m), None) if m.len_utf8() == c.len_utf8() => m,
            _ => c,
        }
    }
    let start = buf.len();
    for word in line.split_inclusive(char::is_whitespace) {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        let function = TITLE_CASE_FUNCTION_WORDS
            .iter()
            .any(|f| f.eq_ignore_ascii_case(bare))
            || crate::text::past_tense(bare);
        let mut first = !function;
        for c in word.chars() {
            if first && c.is_alphanumeric() {
                // "5th" stays "5th".
                first = false;
                buf.push(mapped(c, c.to_uppercase()));
            } else {
                buf.push(mapped(c, c.to_lowercase()));
            }
        }
    }
    debug_assert_eq!(buf.len() - start, line.len());
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

const SET_CHUNK: usize = 10;

const SIZE_LIMIT: usize = 1 << 26;

/// A rule's own regex. No literal prefilter: most searches are anchored at a trigger position,
/// where a prefilter does nothing, and extracting one from a `(?i)` alternation of words is
/// a fifth of what compiling the rules costs (callgrind, `deid scan --threads 1` on the two
/// samples the README's performance section names, each compiling some 120 rules: 1.6 % fewer
/// instructions in all, the same output).
fn compile(rule: &PatternRule) -> Result<Compiled> {
    let regex = MetaRegex::builder()
        .configure(
            MetaRegex::config()
                .nfa_size_limit(Some(SIZE_LIMIT))
                .auto_prefilter(false),
        )
        .build(&ascii_word_boundaries(&rule.pattern))
        .map_err(|e| {
            Error::config(format!(
                "{}: rule {}: invalid pattern: {e}",
                rule.origin, rule.id
            ))
        })?;
    let names: Vec<Option<&str>> = regex.group_info().pattern_names(PatternID::ZERO).collect();
    let mut groups = Vec::new();
    if rule.groups.is_empty() {
        if let Some(i) = names.iter().position(|n| *n == Some("span")) {
            groups.push((i, rule.category));
        }
    } else {
        for (g, cat) in &rule.groups {
            let i = names
                .iter()
                .position(|n| *n == Some(g.as_str()))
                .ok_or_else(|| {
                    Error::config(format!(
                        "{}: rule {}: the pattern has no group named {g}",
                        rule.origin, rule.id
                    ))
                })?;
            groups.push((i, *cat));
        }
    }
    Ok(Compiled { regex, groups })
}

/// `str::find` for a short haystack by byte comparison (no two-way searcher to build per
/// call): the first position where `n` occurs in `h`.
fn find_bytes(h: &[u8], n: &[u8]) -> Option<usize> {
    let Some(&first) = n.first() else {
        return Some(0);
    };
    if h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i] == first && &h[i..i + n.len()] == n)
}

/// True when `word` (lower case) occurs in `hay` (lower case) with non-alphanumeric
/// characters (or the ends) on both sides.
pub(crate) fn contains_word(hay: &str, word: &str) -> bool {
    let hb = hay.as_bytes();
    let mut from = 0;
    while let Some(p) = find_bytes(&hb[from..], word.as_bytes()) {
        let s = from + p;
        let e = s + word.len();
        let before_ok = s == 0 || !hb[s - 1].is_ascii_alphanumeric();
        let after_ok = e >= hb.len() || !hb[e].is_ascii_alphanumeric();
        if before_ok && after_ok {
            return true;
        }
        from = s + word.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Does `span` hold one of `reject` (lower case) as a word, ignoring case, as written or
/// without the punctuation around it ("Dr." is "dr"; "@home" can be listed as it is)? No
/// allocation: this runs for every candidate of such rules.
fn has_reject_word(span: &str, reject: &[String]) -> bool {
    !reject.is_empty()
        && span.split_whitespace().any(|w| {
            let bare = w.trim_matches(|ch: char| !ch.is_alphanumeric());
            reject
                .iter()
                .any(|r| r.eq_ignore_ascii_case(w) || r.eq_ignore_ascii_case(bare))
        })
}

impl PatternDetector {
    pub(crate) fn new(rules: &[PatternRule]) -> Result<Self> {
        let caseless_rules: Vec<PatternRule> = rules
            .iter()
            .filter(|r| r.caseless)
            .map(|r| PatternRule {
                caseless: false,
                caseless_only: false,
                ..r.clone()
            })
            .collect();
        let as_written: Vec<&PatternRule> = rules.iter().filter(|r| !r.caseless_only).collect();
        let mut det = Self::build(&as_written)?;
        if !caseless_rules.is_empty() {
            det.caseless = Some(Box::new(PatternDetector::new(&caseless_rules)?));
        }
        Ok(det)
    }

    /// The detector of `rules` as written (no title-case reading).
    fn build(rules: &[&PatternRule]) -> Result<Self> {
        let compiled = rules
            .iter()
            .map(|r| Rule::new(r))
            .collect::<Result<Vec<_>>>()?;
        if compiled.len() > usize::from(u16::MAX) {
            return Err(Error::config(format!(
                "too many pattern rules: {} (at most {})",
                compiled.len(),
                u16::MAX
            )));
        }
        // Rules by trigger kind (literals or first bytes) and start condition; each kind's
        // rules are then chunked into groups.
        type TriggerKind = (bool, Start);
        let mut kinds: Vec<(TriggerKind, Vec<(usize, Trigger)>)> = Vec::new();
        let mut in_sets: Vec<usize> = Vec::new();
        // Each pattern is parsed once: each group takes its rules' trees (every rule is in one group).
        let mut hirs: Vec<Hir> = Vec::with_capacity(compiled.len());
        for (i, r) in compiled.iter().enumerate() {
            let pattern = ascii_word_boundaries(&r.rule.pattern);
            let hir = regex_syntax::ParserBuilder::new()
                .build()
                .parse(&pattern)
                .map_err(|e| {
                    Error::config(format!(
                        "{}: rule {}: invalid pattern: {e}",
                        r.rule.origin, r.rule.id
                    ))
                })?;
            let start = Start::of(&hir);
            let trigger = trigger_of(&hir, start);
            hirs.push(hir);
            if trigger == Trigger::Set {
                in_sets.push(i);
                continue;
            }
            let key = (matches!(trigger, Trigger::Literals(_)), start);
            match kinds.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push((i, trigger)),
                None => kinds.push((key, vec![(i, trigger)])),
            }
        }
        let mut groups = Vec::new();
        let mut literal_groups: Vec<(Vec<u8>, u16)> = Vec::new();
        let mut first_byte: Vec<Vec<u16>> = vec![Vec::new(); 256];
        for ((_, start), mut members) in kinds {
            // Rules that can begin with the same bytes share a group: a group is walked where
            // any of its rules can begin, so one rule that can begin with a letter in a group
            // of digit-led rules made the whole group walk from every word (measured: five
            // groups of 16 walked at each of ~160,000 word starts a MB).
            members.sort_by_key(|(_, trigger)| first_byte_order(trigger));
            for chunk in members.chunks(GROUP_CHUNK) {
                let g = u16::try_from(groups.len()).unwrap_or(u16::MAX);
                let trees = chunk
                    .iter()
                    .map(|(i, _)| widened(std::mem::replace(&mut hirs[*i], Hir::empty())))
                    .collect();
                for (_, trigger) in chunk {
                    match trigger {
                        Trigger::Literals(lits) => {
                            literal_groups.extend(lits.iter().map(|l| (l.clone(), g)));
                        }
                        Trigger::FirstByte(set) => {
                            for (b, gs) in first_byte.iter_mut().enumerate() {
                                if set[b] && gs.last() != Some(&g) {
                                    gs.push(g);
                                }
                            }
                        }
                        Trigger::Set => {}
                    }
                }
                groups.push(Group::new(trees, chunk.iter().map(|(i, _)| *i), start));
            }
        }
        let literals = if literal_groups.is_empty() {
            None
        } else {
            Some(literal_automaton(literal_groups)?)
        };
        let sets = in_sets
            .chunks(SET_CHUNK)
            .map(|chunk| {
                let trees = chunk
                    .iter()
                    .map(|&i| widened(std::mem::replace(&mut hirs[i], Hir::empty())))
                    .collect();
                Group::new(trees, chunk.iter().copied(), Start::Anywhere)
            })
            .collect();
        Ok(PatternDetector {
            rules: compiled,
            literals,
            first_byte,
            groups,
            sets,
            caseless: None,
        })
    }

    /// Where each triggered rule matches: (rule, start) pairs sorted by rule, then start.
    fn triggers(&self, text: &str) -> Vec<(u16, usize)> {
        let bytes = text.as_bytes();
        // Candidate positions per group: byte triggers arrive in order; literal hits (ordered
        // by where they end) are sorted within their group.
        let mut at: Vec<Vec<usize>> = vec![Vec::new(); self.groups.len()];
        let mut unsorted = vec![false; self.groups.len()];
        if let Some((ac, of)) = &self.literals {
            for m in ac.find_overlapping_iter(text) {
                for &g in &of[m.pattern().as_usize()] {
                    let g = usize::from(g);
                    if self.groups[g].start.admits(bytes, m.start()) {
                        at[g].push(m.start());
                        unsorted[g] = true;
                    }
                }
            }
        }
        for (i, &b) in bytes.iter().enumerate() {
            for &g in &self.first_byte[usize::from(b)] {
                let g = usize::from(g);
                if self.groups[g].start.admits(bytes, i) {
                    at[g].push(i);
                }
            }
        }
        for (g, positions) in at.iter_mut().enumerate() {
            if unsorted[g] {
                positions.sort_unstable();
                positions.dedup();
            }
        }
        let mut hits: Vec<(u16, usize)> = Vec::new();
        for (group, positions) in self.groups.iter().zip(&at) {
            if positions.is_empty() {
                continue;
            }
            let mut set = PatternSet::new(group.rules.len());
            let automaton = group.automaton().ok();
            let mut cache = automaton.map(|a| a.caches.get());
            for &i in positions {
                Self::walk(
                    group,
                    automaton.zip(cache.as_deref_mut()),
                    &mut set,
                    text,
                    i,
                );
                hits.extend(set.iter().map(|p| (group.rules[p.as_usize()], i)));
            }
        }
        hits.sort_unstable();
        hits
    }

    /// One anchored walk of `group` at byte `i`: leaves in `set` each of its rules that
    /// matches there.
    fn walk(
        group: &Group,
        automaton: Option<(&GroupAutomaton, &mut hybrid::dfa::Cache)>,
        set: &mut PatternSet,
        text: &str,
        i: usize,
    ) {
        set.clear();
        let end = text.len().min(i + MAX_WALK);
        let input = Input::new(text).range(i..end).anchored(Anchored::Yes);
        let walked = automaton.is_some_and(|(a, cache)| {
            a.dfa
                .try_which_overlapping_matches(cache, &input, set)
                .is_ok()
        });
        if !walked {
            // No automaton, or the lazy DFA gave up (it cannot on these patterns' ASCII
            // boundaries, but if it did): every rule of the group tries this position.
            group.all(set);
        }
    }

    /// Compiles every group's automaton now, and reports the first that cannot be (too large):
    /// what building them eagerly reported before they were compiled on first use. Run on
    /// rules that are not the built-in ones, so that a rule file's error shows at load.
    pub(crate) fn check_automata(&self) -> Result<()> {
        for g in self.groups.iter().chain(&self.sets) {
            g.automaton()
                .map_err(|e| Error::config(format!("cannot combine pattern rules: {e}")))?;
        }
        match &self.caseless {
            Some(c) => c.check_automata(),
            None => Ok(()),
        }
    }

    /// Runs the detector on the title-cased reading of each line of `text` written all in
    /// one case (after a speaker or field label), with offsets in `text`.
    fn detect_caseless_lines(&self, text: &str, out: &mut Vec<Candidate>) {
        let mut buf = String::new();
        let mut found = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let line_start = at;
            at += line.len();
            let Some(from) = one_case_from(line) else {
                continue;
            };
            // The label stays as written before the reading, so a rule may read it
            // ("insurance: keystone mutual health"); the reading's offsets are the line's.
            buf.clear();
            buf.push_str(&line[..from]);
            title_cased(&line[from..], &mut buf);
            self.detect(&buf, &mut found);
            let offset = line_start;
            out.extend(found.drain(..).filter_map(|mut c| {
                // "mum seeking halvern housing association", "awaiting ambulance": a name
                // read in a line without case does not run across a present participle
                // followed by two words or more (it may end with one: "arden housing
                // association"), nor begin with one.
                let words: Vec<(usize, &str)> = buf[c.start..c.end]
                    .split(' ')
                    .scan(c.start, |at, w| {
                        let here = *at;
                        *at += w.len() + 1;
                        Some((here, w))
                    })
                    .filter(|(_, w)| !w.is_empty())
                    .collect();
                if let Some(i) = (0..words.len().saturating_sub(2))
                    .rev()
                    .find(|&i| crate::text::participle(words[i].1))
                {
                    c.start = words[i + 1].0;
                } else if words.first().is_some_and(|w| crate::text::participle(w.1)) {
                    return None;
                }
                c.start += offset;
                c.end += offset;
                Some(c)
            }));
        }
    }

    pub(crate) fn detect(&self, text: &str, out: &mut Vec<Candidate>) {
        if let Some(c) = &self.caseless {
            c.detect_caseless_lines(text, out);
        }
        let mut lower: Option<String> = None;
        let hits = self.triggers(text);
        let mut searched = Vec::new();
        for set in &self.sets {
            set.matching_anywhere(text, &mut searched);
        }
        searched.sort_unstable();
        // Rules in their order (as the single-pass detector reported them): each triggered
        // rule's matches are the leftmost-first matches at its trigger positions, left to
        // right, none overlapping the one before (what an unanchored search finds, since every
        // match starts at a trigger).
        let mut h = 0;
        let mut s = 0;
        loop {
            let next_hit = hits.get(h).map(|&(r, _)| usize::from(r));
            let next_set = searched.get(s).copied();
            let idx = match (next_hit, next_set) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            };
            let r = &self.rules[idx];
            let Some(c) = r.compiled() else {
                while hits.get(h).is_some_and(|&(x, _)| usize::from(x) == idx) {
                    h += 1;
                }
                s += usize::from(next_set == Some(idx));
                continue;
            };
            let mut caps = c.regex.create_captures();
            if next_set == Some(idx) {
                s += 1;
                for caps in c.regex.captures_iter(text) {
                    self.accept(r, c, text, &caps, &mut lower, out);
                }
            }
            let mut last_end = 0;
            while let Some(&(x, at)) = hits.get(h) {
                if usize::from(x) != idx {
                    break;
                }
                h += 1;
                if at < last_end {
                    continue;
                }
                let input = Input::new(text).range(at..).anchored(Anchored::Yes);
                c.regex.search_captures(&input, &mut caps);
                let Some(m) = caps.get_match() else { continue };
                if m.is_empty() {
                    continue;
                }
                last_end = m.end();
                self.accept(r, c, text, &caps, &mut lower, out);
            }
        }
    }

    /// Context, trimming and validation of one match of rule `r`; pushes what it accepts.
    fn accept(
        &self,
        r: &Rule,
        c: &Compiled,
        text: &str,
        caps: &Captures,
        lower: &mut Option<String>,
        out: &mut Vec<Candidate>,
    ) {
        let rule = &r.rule;
        let Some(m0) = caps.get_match() else { return };
        if m0.is_empty() {
            return;
        }
        let pieces: Vec<(usize, usize, crate::category::Category)> = if c.groups.is_empty() {
            vec![(m0.start(), m0.end(), rule.category)]
        } else {
            c.groups
                .iter()
                .filter_map(|&(g, cat)| caps.get_group(g).map(|m| (m.start, m.end, cat)))
                .filter(|(s, e, _)| e > s)
                .collect()
        };
        if pieces.is_empty() {
            return;
        }
        let not_followed_by = r
            .not_followed_by
            .get_or_init(|| side_regex(rule.not_followed_by.as_deref()));
        if let Some(re) = not_followed_by {
            let e = ceil_boundary(text, m0.end() + rule.window.max(16));
            if re.is_match(&text[m0.end()..e]) {
                return;
            }
        }
        let not_preceded_by = r
            .not_preceded_by
            .get_or_init(|| side_regex(rule.not_preceded_by.as_deref()));
        if let Some(re) = not_preceded_by {
            let s = floor_boundary(text, m0.start().saturating_sub(rule.window.max(16)));
            if re.is_match(&text[s..m0.start()]) {
                return;
            }
        }
        // Context is judged around the whole match.
        if !rule.context.is_empty() || !rule.exclude_context.is_empty() {
            let lower = lower.get_or_insert_with(|| {
                // Lower-casing ASCII keeps byte offsets; for other text fall back per window.
                if text.is_ascii() {
                    text.to_ascii_lowercase()
                } else {
                    String::new()
                }
            });
            let window = |s: usize, e: usize| -> String {
                if lower.is_empty() {
                    text[s..e].to_lowercase()
                } else {
                    lower[s..e].to_string()
                }
            };
            let ws = floor_boundary(text, m0.start().saturating_sub(rule.window));
            let we = ceil_boundary(text, m0.end() + rule.window);
            if rule.require_context {
                let before = window(ws, m0.end());
                if !rule.context.iter().any(|w| contains_word(&before, w)) {
                    return;
                }
            }
            if !rule.exclude_context.is_empty() {
                let around = window(ws, we);
                let inner = window(m0.start(), m0.end());
                if rule
                    .exclude_context
                    .iter()
                    .any(|w| contains_word(&around, w) && !contains_word(&inner, w))
                {
                    return;
                }
            }
        }
        // With groups and no comma, a rejected word anywhere rejects the whole match
        // ("Employee ID 72185" is no city, so its "ID" is no state either; in
        // "Licensed Psychologist, VT PSY 09547" the state stays).
        if !c.groups.is_empty()
            && !text[m0.start()..m0.end()].contains(',')
            && has_reject_word(&text[m0.start()..m0.end()], &rule.reject_words)
        {
            return;
        }
        for (mut s, e, cat) in pieces {
            // A captured span never starts inside a word: "Id" + "entifier 7001 2345" is no
            // label and its code ("MRN4471", a label glued to digits, still is).
            if !c.groups.is_empty()
                && text[..s]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphabetic)
                && text[s..].starts_with(char::is_alphabetic)
            {
                continue;
            }
            if !rule.trim_leading_words.is_empty()
                || rule.min_words > 1
                || !rule.reject_words.is_empty()
                || !rule.cut_after_words.is_empty()
            {
                // "TAKEN TO UNION HOSPITAL": the span starts after the last cut word.
                if !rule.cut_after_words.is_empty() {
                    let mut pos = s;
                    for w in text[s..e].split_whitespace() {
                        let w_start = pos + text[pos..e].find(w).unwrap_or(0);
                        pos = w_start + w.len();
                        if rule.cut_after_words.contains(&w.to_lowercase()) {
                            s = pos + (text[pos..e].len() - text[pos..e].trim_start().len());
                        }
                    }
                }
                let trim_from = s;
                loop {
                    let piece = &text[s..e];
                    let w_end = piece
                        .find(|ch: char| ch.is_whitespace())
                        .unwrap_or(piece.len());
                    let word = piece[..w_end].to_lowercase();
                    if w_end < piece.len() && rule.trim_leading_words.contains(&word) {
                        s += w_end;
                        s += text[s..e].len() - text[s..e].trim_start().len();
                    } else {
                        break;
                    }
                }
                if text[s..e].split_whitespace().count() < rule.min_words {
                    continue;
                }
                if has_reject_word(&text[s..e], &rule.reject_words) {
                    continue;
                }
                s = restore_leading(text, trim_from, s, &rule.restore_leading_words);
            }
            let mut kind = if cat == rule.category {
                rule.kind
            } else {
                cat.default_kind()
            };
            let mut confidence = rule.confidence;
            if let Some(v) = rule.validate {
                match v.check(&text[s..e]) {
                    Verdict::Reject => match rule.invalid_confidence {
                        // Well formed but failing the check: kept, less sure.
                        Some(low) => confidence = low.min(confidence),
                        None => continue,
                    },
                    Verdict::Accept => {}
                    Verdict::AcceptAs(k) => kind = k,
                }
            }
            out.push(Candidate {
                start: s,
                end: e,
                category: cat,
                kind,
                rule: rule.id.clone(),
                confidence,
                priority: rule.priority + if kind == Kind::Direct { 0 } else { -100 },
            });
        }
    }
}

/// The start of a span at `s` moved back over the trimmed words of `text[from..s]` that are
/// in `words`, nearest first, as long as each is one.
fn restore_leading(text: &str, from: usize, mut s: usize, words: &[String]) -> usize {
    if words.is_empty() {
        return s;
    }
    let trimmed = &text[from..s];
    let mut end = trimmed.trim_end().len();
    while end > 0 {
        let start = trimmed[..end].rfind(char::is_whitespace).map_or(0, |i| {
            i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
        });
        let word = &trimmed[start..end];
        if !words.iter().any(|w| w.eq_ignore_ascii_case(word)) {
            break;
        }
        s = from + start;
        end = trimmed[..start].trim_end().len();
    }
    s
}

/// Runs each rule alone on its examples (must find something of its category) and
/// counterexamples (must find nothing). Messages never quote the example text.
pub(crate) fn check_examples(rules: &[PatternRule]) -> Vec<String> {
    let mut problems = Vec::new();
    for r in rules {
        let det = match PatternDetector::new(std::slice::from_ref(r)) {
            Ok(d) => d,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        for (i, ex) in r.examples.iter().enumerate() {
            let mut out = Vec::new();
            det.detect(ex, &mut out);
            if out.is_empty() {
                problems.push(format!(
                    "{}: rule {}: example #{} is not matched",
                    r.origin,
                    r.id,
                    i + 1
                ));
            }
        }
        for (i, ex) in r.counterexamples.iter().enumerate() {
            let mut out = Vec::new();
            det.detect(ex, &mut out);
            if !out.is_empty() {
                problems.push(format!(
                    "{}: rule {}: counterexample #{} is matched",
                    r.origin,
                    r.id,
                    i + 1
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl PatternDetector {
        /// Every rule searched over the whole text (what the detector did before triggers).
        fn detect_unanchored(&self, text: &str, out: &mut Vec<Candidate>) {
            if let Some(c) = &self.caseless {
                c.detect_caseless_lines(text, out);
            }
            let mut lower = None;
            for r in &self.rules {
                let Some(c) = r.compiled() else { continue };
                for caps in c.regex.captures_iter(text) {
                    self.accept(r, c, text, &caps, &mut lower, out);
                }
            }
        }
    }

    #[test]
    fn restored_leading_words() {
        let words: Vec<String> = ["veterans", "community", "children's"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        // (text, where trimming began, where the trimmed span starts, the span restored)
        let cases = [
            (
                "at the veterans affairs medical center",
                3,
                16,
                "veterans affairs medical center",
            ),
            (
                "the community  veterans affairs clinic",
                0,
                24,
                "community  veterans affairs clinic",
            ),
            (
                "the local veterans affairs clinic",
                0,
                19,
                "veterans affairs clinic",
            ),
            (
                "the old children's mercy hospital",
                0,
                19,
                "children's mercy hospital",
            ),
            ("to mercy hospital", 3, 3, "mercy hospital"),
            ("to the mercy hospital", 3, 7, "mercy hospital"),
        ];
        for (text, from, s, want) in cases {
            assert_eq!(
                &text[restore_leading(text, from, s, &words)..],
                want,
                "{text:?}"
            );
        }
        assert_eq!(restore_leading("veterans affairs", 0, 9, &[]), 9);
    }

    fn found(det: &PatternDetector, text: &str, triggered: bool) -> Vec<String> {
        let mut out = Vec::new();
        if triggered {
            det.detect(text, &mut out);
        } else {
            det.detect_unanchored(text, &mut out);
        }
        out.iter()
            .map(|c| {
                format!(
                    "{}..{} {} {:?} {}",
                    c.start, c.end, c.rule, c.category, c.confidence
                )
            })
            .collect()
    }

    #[test]
    fn one_case_lines_are_read_as_title_case() {
        let title = |s: &str| {
            let mut b = String::new();
            title_cased(s, &mut b);
            b
        };
        for (line, read) in [
            (
                "referred by the citizens advice bureau in 5th st",
                "referred by the Citizens Advice Bureau in 5th St",
            ),
            (
                "WILL ALSO HAVE HOME HEALTH AID",
                "will also have Home Health Aid",
            ),
            ("SÍOCHÁNA O'BRIEN (ÁINE)", "Síochána O'brien (Áine)"),
            ("THE SPRING KING", "the Spring King"),
            // A character whose other case takes more bytes stays as written.
            ("ßTRAßE ıSTANBUL", "ßtraße ıstanbul"),
            ("", ""),
        ] {
            assert_eq!(title(line), read, "{line}");
            assert_eq!(title(line).len(), line.len());
        }
        for (line, from) in [
            ("she went to the food bank", Some(0)),
            ("CLIENT: we went down to the store", Some(7)),
            ("Plan: LIAISE WITH ARDEN HOUSING", Some(5)),
            ("SEEN AT 10:30 BY THE TEAM", Some(0)),
            ("She went to Harlow Food Bank", None),
            ("client: We went", None),
            ("ok.", None),
            ("12/03/2024 10:30", None),
        ] {
            assert_eq!(one_case_from(line), from, "{line}");
        }
        let det = PatternDetector::new(&crate::rules::RuleSet::builtin().patterns).unwrap();
        for (text, org) in [
            (
                "mum rang kestrel bay citizens advice bureau on monday",
                "kestrel bay citizens advice bureau",
            ),
            (
                "Seen today.\nREFERRED BY THE FAMILY SERVICES AGENCY OF NORTHERN KENTUCKY.\n",
                "FAMILY SERVICES AGENCY OF NORTHERN KENTUCKY",
            ),
            // A word ending in a full stop ends the name, unless it is an abbreviation.
            (
                "School: Maple Ridge Secondary. Grade 10. Teacher: Mr Tremblay.",
                "Maple Ridge Secondary",
            ),
            ("TO ST. VINCENT HOSPITAL ER", "ST. VINCENT HOSPITAL"),
            (
                "HOUSED BY ARDEN HOUSING ASSOCIATION",
                "ARDEN HOUSING ASSOCIATION",
            ),
            (
                "Seen at Mt. Sinai Medical Center.",
                "Mt. Sinai Medical Center",
            ),
        ] {
            let mut out = Vec::new();
            det.detect(text, &mut out);
            assert!(
                out.iter().all(|c| !text[c.start..c.end].contains(". G")),
                "{text}"
            );
            assert!(
                out.iter().any(|c| &text[c.start..c.end] == org),
                "{text}: {:?}",
                out.iter()
                    .map(|c| &text[c.start..c.end])
                    .collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn one_case_names_do_not_begin_with_a_participle() {
        let det = PatternDetector::new(&crate::rules::RuleSet::builtin().patterns).unwrap();
        for (text, want) in [
            ("pt awaiting ambulance for transfer", None),
            (
                "mum seeking  halvern  housing association",
                Some("halvern  housing association"),
            ),
            (
                "mum seeking halvern housing association advice",
                Some("halvern housing association"),
            ),
        ] {
            let mut out = Vec::new();
            det.detect(text, &mut out);
            let got: Vec<&str> = out.iter().map(|c| &text[c.start..c.end]).collect();
            assert!(
                got.iter()
                    .all(|g| !g.contains("seeking") && !g.contains("awaiting")),
                "{text}: {got:?}"
            );
            if let Some(w) = want {
                assert!(got.contains(&w), "{text}: {got:?}");
            }
        }
    }

    #[test]
    fn required_literals_of_patterns() {
        let req = |p: &str| {
            required_literals(&regex_syntax::parse(p).unwrap()).map(|v| {
                v.iter()
                    .map(|l| String::from_utf8_lossy(l).into_owned())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            req(r"\b[A-Z]\w+ (?:Hospital|Clinic)\b"),
            Some(vec!["clinic".into(), "hospital".into()])
        );
        // A branch without one leaves the alternation without one; a part of the
        // concatenation still has one.
        assert_eq!(req(r"\d+ (?:street|\w+)"), None);
        assert_eq!(
            req(r"(?:\d+ (?:street|\w+)) road"),
            Some(vec![" road".into()])
        );
        let compass = req(r"(?:north|south)\d|east\d+").unwrap();
        assert!(compass.iter().any(|l| l.starts_with("east")));
        assert!(compass
            .iter()
            .all(|l| ["north", "south", "east"].iter().any(|w| l.starts_with(w))));
        // Optional parts and short literals give nothing.
        assert_eq!(req(r"(?:street)?\d+"), None);
        assert_eq!(req(r"st\d+"), None);
        // (?i): the other spellings are there, lower-cased.
        let keeps = req(r"(?i)keeps").unwrap();
        assert!(keeps.contains(&"keeps".to_string()));
    }

    /// The groups' automata are compiled on first use, and the engine checks them eagerly only
    /// for rules other than the built-in ones: every built-in group must compile.
    #[test]
    fn every_built_in_group_compiles() {
        let set = crate::rules::RuleSet::builtin();
        let det = PatternDetector::new(&set.patterns).expect("built-in rules");
        assert!(det.groups.iter().all(|g| g.automaton.get().is_none()));
        det.check_automata().expect("every group compiles");
        assert!(det.groups.len() > 4 && !det.sets.is_empty());
    }

    /// A widened class holds its ASCII part and every non-ASCII character when it held any.
    #[test]
    fn widened_classes_only_grow() {
        for (pattern, inside, outside) in [
            (
                r"\p{L}",
                &["a", "Z", "é", "\u{4e2d}", "\u{212a}"][..],
                &["1", " ", "_"][..],
            ),
            (r"(?i)k", &["k", "K", "\u{212a}", "é"], &["a", "1"]),
            (r"[a-c]", &["a", "c"], &["d", "é"]),
            (r"\w", &["a", "_", "9", "ß"], &[" ", "-"]),
        ] {
            let hir = regex_syntax::parse(pattern).expect("valid");
            let a = GroupAutomaton::new(&[widened(hir)]).expect("compiles");
            let mut cache = a.caches.get();
            let mut set = PatternSet::new(1);
            for (text, expect) in inside
                .iter()
                .map(|t| (t, true))
                .chain(outside.iter().map(|t| (t, false)))
            {
                set.clear();
                let input = Input::new(*text).anchored(Anchored::Yes);
                a.dfa
                    .try_which_overlapping_matches(&mut cache, &input, &mut set)
                    .expect("searched");
                assert_eq!(!set.is_empty(), expect, "{pattern} on {text:?}");
            }
        }
    }

    /// Every built-in rule's shortest match fits in one walk ([`MAX_WALK`]), so bounding the
    /// walks loses no rule that can match at all (its examples being found is
    /// `triggers_find_what_a_full_search_finds`'s).
    #[test]
    fn every_rule_fits_in_a_walk() {
        let set = crate::rules::RuleSet::builtin();
        for r in &set.patterns {
            let hir = regex_syntax::ParserBuilder::new()
                .build()
                .parse(&ascii_word_boundaries(&r.pattern))
                .unwrap();
            let shortest = hir.properties().minimum_len().unwrap_or(0);
            assert!(shortest <= MAX_WALK, "{}: {shortest} bytes", r.id);
        }
    }

    /// Every built-in rule's examples and counterexamples, alone, all in one note, and in
    /// upper and lower case: the triggered detector finds exactly what a search of every rule
    /// over the whole text finds.
    #[test]
    fn triggers_find_what_a_full_search_finds() {
        let set = crate::rules::RuleSet::builtin();
        let det = PatternDetector::new(&set.patterns).unwrap();
        let mut texts: Vec<String> = set
            .patterns
            .iter()
            .flat_map(|r| r.examples.iter().chain(&r.counterexamples).cloned())
            .collect();
        assert!(texts.len() > 200);
        let all = texts.join("\n");
        texts.extend([
            all.clone(),
            all.to_uppercase(),
            all.to_lowercase(),
            all.replace('\n', " "),
        ]);
        for t in &texts {
            assert_eq!(found(&det, t, true), found(&det, t, false), "{t}");
        }
    }

    /// Each rule's start: its trigger admits every position where its pattern can match.
    #[test]
    fn pattern_starts_are_read_from_the_leading_assertion() {
        let start = |p: &str| {
            Start::of(
                &regex_syntax::ParserBuilder::new()
                    .build()
                    .parse(&ascii_word_boundaries(p))
                    .unwrap(),
            )
        };
        for (p, want) in [
            (r"\bMRN\d+", Start::WordBoundary),
            (r"(?i)\b(?:fax|tel)\b", Start::WordBoundary),
            (r"(?m)^Name:", Start::Line),
            (r"(?:\bx|y)", Start::Anywhere),
            (r"\d{3}-\d{4}", Start::Anywhere),
            (r"(?P<span>\bab)", Start::WordBoundary),
        ] {
            assert_eq!(start(p), want, "{p}");
        }
        let text = b"ab cd\nef";
        assert!(Start::WordBoundary.admits(text, 0) && Start::WordBoundary.admits(text, 3));
        assert!(!Start::WordBoundary.admits(text, 1));
        assert!(Start::Line.admits(text, 0) && Start::Line.admits(text, 6));
        assert!(!Start::Line.admits(text, 3));
    }

    #[test]
    fn triggers_by_shape() {
        let trig = |p: &str| {
            let hir = regex_syntax::ParserBuilder::new()
                .build()
                .parse(&ascii_word_boundaries(p))
                .unwrap();
            trigger_of(&hir, Start::of(&hir))
        };
        // A labelled identifier: its labels.
        let Trigger::Literals(l) = trig(r"(?i)\b(?:mrn|chart no\.?)\s*\d+") else {
            panic!()
        };
        assert!(l.contains(&b"mrn".to_vec()) && l.iter().all(|x| x.len() >= 3));
        // A number: its digits (no letters).
        let Trigger::FirstByte(b) = trig(r"\(?\d{3}\)?-\d{4}") else {
            panic!()
        };
        assert!(b[usize::from(b'(')] && b[usize::from(b'7')] && !b[usize::from(b'a')]);
        // A capitalised word at a word start: its capitals.
        let Trigger::FirstByte(b) = trig(r"\b[A-Z][a-z]+ Hospital") else {
            panic!()
        };
        assert!(b[usize::from(b'Q')] && !b[usize::from(b'q')]);
        // A match that can start inside any word: no trigger.
        assert_eq!(trig(r"[a-z]+ville"), Trigger::Set);
        assert_eq!(trig(r"x*"), Trigger::Set);
    }

    static BUILTIN: std::sync::LazyLock<PatternDetector> = std::sync::LazyLock::new(|| {
        PatternDetector::new(&crate::rules::RuleSet::builtin().patterns).unwrap()
    });

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Notes built from fragments of identifier shapes, cue words and punctuation.
        #[test]
        fn triggers_agree_on_generated_notes(parts in proptest::collection::vec(prop_oneof![
            Just("MRN: 4471902 "), Just("Dr. Ann Lee "), Just("(617) 555-0134"), Just("555 0134 "),
            Just("12/03/2021"), Just(" on 3 June "), Just("Flat 3, 42 Kings Terrace "),
            Just("SW1A 1AA"), Just("D02 X285 "), Just("@sam_k "), Just("'92 "), Just("Māori "),
            Just("\n"), Just(", "), Just("fax "), Just("St. Mary's Hospital "), Just("aged 93 "),
            Just("Whangārei "), Just("NHS 943 476 5919 "), Just("ABC1234 "), Just("x"), Just("9"),
        ], 0..24)) {
            let text: String = parts.concat();
            prop_assert_eq!(found(&BUILTIN, &text, true), found(&BUILTIN, &text, false));
        }

        /// The title-case reading of any line keeps every character at its byte offset, and
        /// what the detector finds on any text slices back to it.
        #[test]
        fn title_case_keeps_offsets(line in "\\PC{0,60}") {
            let mut buf = String::new();
            title_cased(&line, &mut buf);
            prop_assert_eq!(buf.len(), line.len());
            for (i, _) in line.char_indices() {
                prop_assert!(buf.is_char_boundary(i));
            }
            let lower = line.to_lowercase();
            let mut out = Vec::new();
            BUILTIN.detect(&lower, &mut out);
            for c in &out {
                prop_assert!(lower.get(c.start..c.end).is_some());
            }
        }
    }

    #[test]
    fn word_containment() {
        assert!(contains_word("call fax: 555", "fax"));
        assert!(!contains_word("faxes", "fax"));
        assert!(contains_word("member id", "member id"));
    }

    #[test]
    fn failed_validator_lowers_confidence_when_asked() {
        let rule = |extra: &str| {
            let mut set = crate::rules::RuleSet::default();
            let src = format!(
                "[[rule]]\nid='p'\ncategory='PHONE'\npattern='\\d{{3}}-\\d{{3}}-\\d{{4}}'\nvalidate='nanp'\nconfidence=0.9\n{extra}"
            );
            set.add_pattern_file("t", &src).unwrap();
            PatternDetector::new(&set.patterns).unwrap()
        };
        let text = "call 731-184-2207 or 617-555-0134";
        let mut out = Vec::new();
        rule("").detect(text, &mut out);
        assert_eq!(out.len(), 1, "a failed check drops the span by default");
        let mut out = Vec::new();
        rule("invalid_confidence=0.6\n").detect(text, &mut out);
        out.sort_by_key(|c| c.start);
        assert_eq!(out.len(), 2);
        assert_eq!(&text[out[0].start..out[0].end], "731-184-2207");
        assert!((out[0].confidence - 0.6).abs() < 1e-6);
        assert!((out[1].confidence - 0.9).abs() < 1e-6);
        let mut set = crate::rules::RuleSet::default();
        let src = "[[rule]]\nid='p'\ncategory='PHONE'\npattern='x'\ninvalid_confidence=0.5\n";
        assert!(set.add_pattern_file("t", src).is_err(), "needs a validator");
    }

    /// The context regexes are compiled on first use, but a bad one is still the rule file's
    /// error (with its line), and a good one still rejects what it names.
    #[test]
    fn context_regexes_are_checked_at_load_and_applied_on_use() {
        let detector = |side: &str| {
            let mut set = crate::rules::RuleSet::default();
            let src = format!(
                "[[rule]]\nid='bed'\ncategory='LOCATION'\npattern='\\bbed \\d+'\nconfidence=0.9\n{side}"
            );
            set.add_pattern_file("t", &src)
                .map_err(|e| e.to_string())
                .and_then(|()| PatternDetector::new(&set.patterns).map_err(|e| e.to_string()))
        };
        for bad in ["not_followed_by='(unclosed'\n", "not_preceded_by='[z-a]'\n"] {
            let err = detector(bad).err();
            assert!(
                err.as_deref().is_some_and(|e| e.contains("rule bed")),
                "{bad}: {err:?}"
            );
        }
        let d = detector("not_followed_by='^ ?(?:mg|ml)'\nnot_preceded_by='dose\\s*$'\n").unwrap();
        let found = |text: &str| {
            let mut out = Vec::new();
            d.detect(text, &mut out);
            out.iter()
                .map(|c| text[c.start..c.end].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(found("moved to bed 12 today"), ["bed 12"]);
        assert!(found("bed 12 mg given").is_empty());
        assert!(found("dose bed 12 given").is_empty());
    }
}

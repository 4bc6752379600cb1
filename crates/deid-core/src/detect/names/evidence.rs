//! The document as the name rules see it ([`Doc`]): its text, tokens and dictionary units, the
//! dictionaries and word lists, and small questions about one unit or the gap between two.

use super::units::Unit;
use super::{name_pm, NEUTRAL_MIN_PM};
use crate::detect::dictionary::{flag, Dictionaries, Entry, NameWords, WordSet};
use crate::detect::lexicon::EMPTY;
use crate::text::{is_finite_verb, LineCase, Shape, Token};
use std::cell::OnceCell;

/// A number right before or after a word ("Nipride 0.5", "2 Nepro") marks clinical shorthand.
pub(super) fn near_number(text: &str, start: usize, end: usize) -> bool {
    let after = text[end..].trim_start_matches([' ', '@', '-', ':']);
    let before = text[..start].trim_end_matches([' ', '-', ':']);
    after.starts_with(|c: char| c.is_ascii_digit())
        || before.ends_with(|c: char| c.is_ascii_digit())
}

/// One to three spaces or tabs (the gap between two words of one phrase).
pub(super) fn only_spaces(g: &str) -> bool {
    !g.is_empty() && g.len() <= 3 && g.bytes().all(|b| b == b' ' || b == b'\t')
}

/// Gap allowed inside one name: spaces or a hyphen; see `dotted_gap` for "J. Roe", "Dr. Roe".
pub(super) fn name_gap(g: &str) -> bool {
    only_spaces(g) || g == "-"
}

/// A dot gap ("J. Roe", "Dr. Roe"), allowed only after an initial or a title.
pub(super) fn dotted_gap(g: &str) -> bool {
    g == "." || (g.starts_with('.') && only_spaces(&g[1..]))
}

/// A colon or comma and at most three spaces (`": "`, `","`): the gap after a cue or label.
pub(super) fn punct_gap(g: &str, punct: &[char]) -> bool {
    g.starts_with(punct) && (g.len() == 1 || only_spaces(&g[1..]))
}

/// "O'Brien", "d'Souza", "O’Neill": the name lists spell these without the apostrophe
/// (Obrien), so the place list's "O'Brien, TX" would otherwise be all the dictionaries know.
pub(super) fn o_surname(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 5
        && matches!(b[0], b'o' | b'O' | b'd' | b'D')
        && (b[1] == b'\'' || w[1..].starts_with('’'))
        && w[1..].chars().skip(1).all(char::is_alphabetic)
}

/// A document ready for the name rules: text, tokens, units, dictionaries and a per-unit cache
/// of the (costly) clinical-shape test. Units are addressed by index.
pub(super) struct Doc<'a> {
    pub dict: &'a Dictionaries,
    pub text: &'a str,
    tokens: Vec<Token>,
    pub units: Vec<Unit>,
    /// [`Doc::clinical`], computed once per unit when first asked.
    clinical_cache: Vec<OnceCell<bool>>,
}

impl<'a> Doc<'a> {
    pub fn new(
        dict: &'a Dictionaries,
        text: &'a str,
        tokens: Vec<Token>,
        units: Vec<Unit>,
    ) -> Self {
        let clinical_cache = (0..units.len()).map(|_| OnceCell::new()).collect();
        Doc {
            dict,
            text,
            tokens,
            units,
            clinical_cache,
        }
    }

    /// Number of units.
    pub fn n(&self) -> usize {
        self.units.len()
    }

    /// The word lists of the rules.
    pub fn words(&self) -> &'a NameWords {
        &self.dict.names
    }

    /// The dictionary entry of unit `k` (an empty entry when no dictionary knows it).
    pub fn entry(&self, k: usize) -> &'a Entry {
        self.units[k].entry.map_or(&EMPTY, |i| self.dict.entry(i))
    }

    /// The first token of unit `k`: its shape, its line's case, whether it opens a sentence.
    pub fn tok(&self, k: usize) -> &Token {
        &self.tokens[self.units[k].t0]
    }

    /// The text of unit `k` ("New York" for a two-word unit).
    pub fn word(&self, k: usize) -> &'a str {
        &self.text[self.units[k].start..self.units[k].end]
    }

    /// The text from the start of the document to the start of unit `k`.
    pub fn before(&self, k: usize) -> &'a str {
        &self.text[..self.units[k].start]
    }

    /// The text from the end of unit `k` to the end of the document.
    pub fn after(&self, k: usize) -> &'a str {
        &self.text[self.units[k].end..]
    }

    /// The text between units `a` and `b` (`a < b`): ", " in "Roe, Jane".
    pub fn gap(&self, a: usize, b: usize) -> &'a str {
        &self.text[self.units[a].end..self.units[b].start]
    }

    /// Length of unit `k` in characters.
    pub fn chars(&self, k: usize) -> usize {
        self.units[k].chars as usize
    }

    /// Unit `k` is a single token (not a several-word term).
    pub fn single(&self, k: usize) -> bool {
        self.units[k].t0 == self.units[k].t1
    }

    /// Unit `k` is one of `words` (ASCII case-insensitive).
    pub fn word_is(&self, k: usize, words: &WordSet) -> bool {
        words.contains(self.word(k))
    }

    /// Unit `k` is a function word or a pronoun ("will", "in", "HER"): never a name on a
    /// single-case line, whatever the surname list says ("SON WILL CALL").
    pub fn function_word(&self, k: usize) -> bool {
        let w = self.word(k);
        self.words().function_words.contains(w) || self.words().pronouns.contains(w)
    }

    /// Unit `k` is a personal or possessive pronoun ("He", "their").
    pub fn pronoun(&self, k: usize) -> bool {
        self.word_is(k, &self.words().pronouns)
    }

    /// Unit `k` is a single word no dictionary knows, shaped like clinical vocabulary (a drug
    /// ending, a misspelling, a clipped word: "Labetelol", "Levoflox").
    pub fn clinical(&self, k: usize) -> bool {
        *self.clinical_cache[k].get_or_init(|| {
            self.single(k)
                && !self.entry(k).has(flag::KNOWN)
                && self.dict.clinical_shape(self.word(k))
        })
    }

    /// Unit `k`'s line has both cases, so its capitals say something.
    pub fn mixed(&self, k: usize) -> bool {
        self.tok(k).case == LineCase::Mixed
    }

    /// Unit `k` starts with a capital ("Roe", "ROE").
    pub fn capitalised(&self, k: usize) -> bool {
        matches!(self.tok(k).shape, Shape::Title | Shape::Upper)
    }

    /// Unit `k`'s first token has this shape.
    pub fn shape_is(&self, k: usize, shape: Shape) -> bool {
        self.tok(k).shape == shape
    }

    /// Unit `k` is capitalised ("Roe") on a mixed-case line.
    pub fn mixed_title(&self, k: usize) -> bool {
        self.mixed(k) && self.shape_is(k, Shape::Title)
    }

    /// Unit `k` has an ASCII digit ("3West").
    pub fn has_digit(&self, k: usize) -> bool {
        self.word(k).chars().any(|c| c.is_ascii_digit())
    }

    /// Unit `k` is letters only.
    pub fn alphabetic(&self, k: usize) -> bool {
        self.word(k).chars().all(char::is_alphabetic)
    }

    /// Unit `k` has a vowel (a, e, i, o, u or y): "Abebe", not "PRN".
    pub fn has_vowel(&self, k: usize) -> bool {
        self.word(k).chars().any(|c| "aeiouyAEIOUY".contains(c))
    }

    /// The cue before the unit after `p`, skipping one article ("TO THE GH", "from the Eastern
    /// Shore"): (cue unit, whether an article was skipped). For "to the GH" and `p` at "the":
    /// (the unit "to", true).
    pub fn cue_skipping_the(&self, p: usize) -> (usize, bool) {
        if p > 0
            && self.word_is(p, &self.words().skipped_articles)
            && only_spaces(self.gap(p - 1, p))
        {
            (p - 1, true)
        } else {
            (p, false)
        }
    }

    /// The word after unit `u` looks like a finite verb ("Rose said"), or `u` is possessive
    /// ("Rose's").
    pub fn followed_by_verb(&self, u: usize) -> bool {
        let after = self.after(u);
        if after.starts_with("'s") || after.starts_with("’s") || after.starts_with("'S") {
            return true;
        }
        if u + 1 >= self.n() || !only_spaces(self.gap(u, u + 1)) {
            return false;
        }
        is_finite_verb(self.word(u + 1))
    }

    /// A verb of speaking or contact follows unit `u`, right after it or after a short
    /// phrase of place or group ("Hope says", "Deb in HR reckons", "Faith from work rang"):
    /// `u` is its subject, a person.
    pub fn subject_of_speech(&self, u: usize) -> bool {
        let verbs = &self.words().speech_verbs;
        let mut k = u + 1;
        if k < self.n()
            && only_spaces(self.gap(u, k))
            && ["from", "in", "at"]
                .iter()
                .any(|w| self.word(k).eq_ignore_ascii_case(w))
        {
            // One or two words of the phrase, then the verb.
            let mut words = 0;
            while k + 1 < self.n() && words < 3 && only_spaces(self.gap(k, k + 1)) {
                k += 1;
                if self.word_is(k, verbs) {
                    return words >= 1;
                }
                words += 1;
            }
            return false;
        }
        k < self.n() && only_spaces(self.gap(u, k)) && self.word_is(k, verbs)
    }

    /// Stricter than [`Doc::followed_by_verb`]: a past-tense verb follows ("Rose found", "Dawn
    /// cried"); "Hope is low" and "Young adults" do not count.
    pub fn followed_by_past_verb(&self, u: usize) -> bool {
        if u + 1 >= self.n() || !only_spaces(self.gap(u, u + 1)) {
            return false;
        }
        let w = self.word(u + 1).as_bytes();
        !self.word_is(u + 1, &self.words().auxiliary_verbs)
            && is_finite_verb(self.word(u + 1))
            && (!w.last().is_some_and(|c| c.eq_ignore_ascii_case(&b's'))
                || w.len() >= 2 && w[w.len() - 2..].eq_ignore_ascii_case(b"ed"))
    }

    /// "Will's family", "PAGE'S SUSPENSION": unit `u` is possessive before a word.
    pub fn possessive(&self, u: usize) -> bool {
        let after = self.after(u);
        ["'s ", "’s ", "'S ", "’S "]
            .iter()
            .any(|p| after.starts_with(p))
            && after[after.find(' ').map_or(after.len(), |i| i + 1)..]
                .starts_with(|c: char| c.is_alphabetic())
    }

    /// The next word is a lower-case word other than a verb ("Miller beer", "Post treatment";
    /// not "Park was").
    pub fn followed_by_lower(&self, u: usize) -> bool {
        u + 1 < self.n()
            && only_spaces(self.gap(u, u + 1))
            && self.shape_is(u + 1, Shape::Lower)
            && !is_finite_verb(self.word(u + 1))
    }

    /// An eponym noun follows within two words ("Riker scale", "greenfield filter", "Passey
    /// muir valve").
    pub fn before_eponym_noun(&self, u: usize) -> bool {
        (u + 1..self.n().min(u + 3))
            .take_while(|&k| only_spaces(self.gap(k - 1, k)))
            .any(|k| self.entry(k).has(flag::EPONYM_NOUN))
    }

    /// Unit `k` is an initial: "J." in "J. Roe"; on a line without case information also "d."
    /// in "d. renna".
    pub fn is_initial(&self, k: usize) -> bool {
        let t = self.tok(k);
        self.chars(k) == 1
            && (t.shape == Shape::Upper || t.shape == Shape::Lower && t.case != LineCase::Mixed)
            && self.after(k).starts_with('.')
            && self.alphabetic(k)
    }

    /// Could unit `k` be (part of) a name, given a strong cue for it (a title, a credential, a
    /// header field, a name next to it)? No cue word, digit, contraction or one-letter word
    /// (but initials); on a mixed-case line a capitalised word ("Dr. Roe", not "Dr. said"); on
    /// a single-case line no safe-list, English, very common or function word.
    pub fn nameable_cued(&self, k: usize) -> bool {
        // An initial ("W.", "J.") is always a possible part of a name, whatever single-letter
        // words the dictionaries hold.
        if self.is_initial(k) {
            return true;
        }
        let e = self.entry(k);
        if e.has(
            flag::TITLE
                | flag::CREDENTIAL
                | flag::HEADER
                | flag::ROLE
                | flag::PLACE_CUE
                | flag::FACILITY_CUE
                | flag::POST_CUE
                | flag::ENGLISH,
        ) || (self.chars(k) < 2
            && !(self.shape_is(k, Shape::Upper) && self.after(k).starts_with('.')))
            || self.has_digit(k)
        {
            return false;
        }
        if !self.word(k).chars().next().is_some_and(char::is_alphabetic) {
            return false;
        }
        if self.words().contraction_endings.ends(self.word(k)) {
            return false;
        }
        if self.mixed(k) {
            self.capitalised(k) && !(e.has(flag::SAFE) && self.shape_is(k, Shape::Upper))
        } else {
            self.no_common_word(k)
        }
    }

    /// Unit `k` is no safe-list, English, role, place-cue, very common or function word: what
    /// may be a name where capitals say nothing (a single-case line, or a word in lower case
    /// after a speaker label).
    pub fn no_common_word(&self, k: usize) -> bool {
        !self
            .entry(k)
            .has(flag::SAFE | flag::ENGLISH | flag::ROLE | flag::PLACE_CUE)
            && self.entry(k).tier != 1
            && !self.function_word(k)
    }

    /// [`Doc::nameable_cued`] for weaker cues: also not shaped like clinical vocabulary
    /// ("son Labetelol" is no name).
    pub fn nameable(&self, k: usize) -> bool {
        self.nameable_cued(k) && !self.clinical(k)
    }

    /// "SEEN BY VONDRA MESSORE", "seen by lylia woodhams": on a single-case line, unit `k` (a
    /// given name) and the next unit are dictionary names that are no ordinary word however
    /// rare, so both make a full name after a cue.
    pub fn rare_full_name(&self, k: usize) -> bool {
        let plain_name = |j: usize| {
            let ej = self.entry(j);
            ej.has(flag::NAME)
                && ej.tier == 0
                && !ej.has(
                    flag::ENGLISH
                        | flag::SAFE
                        | flag::TITLE
                        | flag::ROLE
                        | flag::CREDENTIAL
                        | flag::HEADER,
                )
                && self.chars(j) >= 3
                && !self.function_word(j)
                && !self.clinical(j)
        };
        !self.mixed(k)
            && k + 1 < self.n()
            && name_gap(self.gap(k, k + 1))
            && plain_name(k)
            && plain_name(k + 1)
            && self.entry(k).has(flag::FIRST)
    }

    /// Unit `k` is a dictionary name frequent enough to count on a line without case
    /// information: a name that is no common word, at least [`NEUTRAL_MIN_PM`] per million.
    pub fn neutral_name(&self, k: usize) -> bool {
        let e = self.entry(k);
        e.has(flag::NAME) && e.tier == 0 && name_pm(e) >= NEUTRAL_MIN_PM
    }
}

//! Dictionary lookups: every dictionary term and cue, single words by hash, several-word terms
//! by a walk of a finite-state transducer from the words that can start one.

use crate::error::{Error, Result};
use crate::rules::{Cues, DictRole, DictionarySpec};
use rustc_hash::{FxHashMap, FxHashSet};

/// Flags of a dictionary entry.
pub(crate) mod flag {
    pub const FIRST: u32 = 1 << 0;
    pub const LAST: u32 = 1 << 1;
    pub const CITY: u32 = 1 << 2;
    pub const STATE: u32 = 1 << 3;
    pub const COUNTY: u32 = 1 << 4;
    pub const ORG: u32 = 1 << 5;
    pub const LOCATION: u32 = 1 << 6;
    pub const SAFE: u32 = 1 << 7;
    pub const TITLE: u32 = 1 << 8;
    pub const ROLE: u32 = 1 << 9;
    pub const CREDENTIAL: u32 = 1 << 10;
    pub const HEADER: u32 = 1 << 11;
    pub const PLACE_CUE: u32 = 1 << 12;
    pub const ENGLISH: u32 = 1 << 13;
    pub const FACILITY_CUE: u32 = 1 << 14;
    pub const RELATION: u32 = 1 << 15;
    pub const POST_CUE: u32 = 1 << 16;
    pub const STATE_ABBR: u32 = 1 << 17;
    pub const EPONYM_NOUN: u32 = 1 << 18;
    pub const PLACE_NOUN: u32 = 1 << 19;
    /// A given name of another register (evidence for the learned scorer only).
    pub const GIVEN_OTHER: u32 = 1 << 20;
    /// A name particle (`van`, `ter`, `de`): joins the words of a name around it.
    pub const PARTICLE: u32 = 1 << 21;
    /// Joins the parts of an organisation's name (`of`, `and`).
    pub const ORG_JOINER: u32 = 1 << 22;
    /// A company form after an organisation's name (`Inc`, `Ltd`).
    pub const ORG_TAIL: u32 = 1 << 23;
    /// A noun that ends an organisation's name (`hospital`, `unit`).
    pub const ORG_NOUN: u32 = 1 << 24;
    /// A word naming a unit of an address (`Apt`, `Flat`).
    pub const ADDRESS_UNIT: u32 = 1 << 25;
    /// Any dictionary membership (not cues).
    pub const KNOWN: u32 = FIRST | LAST | CITY | STATE | COUNTY | ORG | LOCATION | SAFE | ENGLISH;
    pub const NAME: u32 = FIRST | LAST;
    pub const PLACE: u32 = CITY | STATE | COUNTY | LOCATION;
}

/// A small word list of the rules (`rules/names.toml`), matched against one word of the text
/// ASCII case-insensitively ("Was" is "was"; a word with other letters is compared byte for
/// byte). Linear: the lists are a few dozen words.
#[derive(Clone, Debug, Default)]
pub(crate) struct WordSet {
    /// The words, ASCII lower case.
    words: Vec<Box<str>>,
    /// Length in bytes of the longest word: a longer word is in no list.
    longest: usize,
}

impl WordSet {
    /// A set of `words` (ASCII lower-cased).
    #[cfg(test)]
    pub fn new<S: AsRef<str>>(words: &[S]) -> WordSet {
        let mut set = WordSet::default();
        set.extend(words);
        set
    }

    fn extend<S: AsRef<str>>(&mut self, words: &[S]) {
        for w in words {
            let w = w.as_ref().to_ascii_lowercase();
            self.longest = self.longest.max(w.len());
            self.words.push(w.into_boxed_str());
        }
    }

    /// `w` is one of the words, ASCII case-insensitively: "Will" is in `["will"]`.
    pub fn contains(&self, w: &str) -> bool {
        w.len() <= self.longest && self.words.iter().any(|x| x.eq_ignore_ascii_case(w))
    }

    /// `s` is one of the words exactly (case and all): "," is in `[",", "&"]`.
    pub fn contains_exactly(&self, s: &str) -> bool {
        self.words.iter().any(|x| **x == *s)
    }

    /// `w` ends with one of the words, ASCII case-insensitively: "WON'T" ends with `"n't"`.
    pub fn ends(&self, w: &str) -> bool {
        let b = w.as_bytes();
        self.words.iter().any(|x| {
            b.len() >= x.len() && b[b.len() - x.len()..].eq_ignore_ascii_case(x.as_bytes())
        })
    }

    /// The last word of the phrase `p` (after its last space, or all of it) is one of the
    /// words: "seen by" ends with the word `"by"`; "baby" does not.
    pub fn ends_phrase(&self, p: &str) -> bool {
        let b = p.as_bytes();
        self.words.iter().any(|x| {
            let x = x.as_bytes();
            b.len() >= x.len()
                && b[b.len() - x.len()..].eq_ignore_ascii_case(x)
                && (b.len() == x.len() || b[b.len() - x.len() - 1] == b' ')
        })
    }

    /// One of the words occurs inside `s` once ASCII lower-cased: "Client Signature"
    /// holds `"signature"`.
    pub fn within(&self, s: &str) -> bool {
        let lower = s.to_ascii_lowercase();
        self.words.iter().any(|x| lower.contains(&**x))
    }
}

macro_rules! name_words {
    ($($field:ident),* $(,)?) => {
        /// The word lists of the name and place rules, from `rules/names.toml` (each documented
        /// there and in [`Cues`]).
        #[derive(Clone, Debug, Default)]
        pub(crate) struct NameWords {
            $(pub $field: WordSet,)*
            /// Per language code, its commonest words (`other_language_words`).
            pub other_languages: Vec<(Box<str>, WordSet)>,
        }

        impl NameWords {
            fn extend(&mut self, cues: &Cues) {
                $(self.$field.extend(&cues.$field);)*
                for (lang, words) in &cues.other_language_words {
                    match self.other_languages.iter_mut().find(|(l, _)| **l == **lang) {
                        Some((_, set)) => set.extend(words),
                        None => {
                            let mut set = WordSet::default();
                            set.extend(words);
                            self.other_languages.push((lang.as_str().into(), set));
                        }
                    }
                }
            }
        }
    };
}

name_words!(
    function_words,
    pronouns,
    contraction_endings,
    clinical_titles,
    honorifics,
    role_titles,
    personal_titles,
    detached_surname_prefixes,
    ambiguous_credentials,
    auxiliary_verbs,
    modal_verbs,
    relative_pronouns,
    social_headers,
    salutations,
    initials_labels,
    skipped_articles,
    article_place_cues,
    lower_place_cues,
    lower_place_nouns,
    place_noun_blockers,
    non_place_words,
    service_nouns,
    generic_wards,
    agent_cue_words,
    hospital_units,
    facility_nouns,
    ambiguous_state_codes,
    compass_initials,
    list_conjunctions,
    list_separators,
    place_prefixes,
    attendance_labels,
    regions,
    descriptor_joiners,
    strong_org_tails,
    possessive_kin_words,
    employer_verbs,
    employer_nouns,
    employer_noun_prepositions,
    employer_modifiers,
    employer_prepositions,
    workplace_words,
);

/// What is known about one term.
#[derive(Clone, Debug, Default)]
pub(crate) struct Entry {
    pub flags: u32,
    /// 1 = very common English word, 2 = common English word, 0 = not an English word.
    pub tier: u8,
    /// Frequency as a first name, per million people.
    pub first_pm: f32,
    /// Frequency as a surname, per million people.
    pub last_pm: f32,
    /// Population when a place.
    pub population: u32,
    /// Frequency per million births in the other given-name registers.
    pub other_first_pm: f32,
}

impl Entry {
    pub fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }
}

/// All dictionaries and cue lists: single words in a hash map (one lookup per word of the
/// text), several-word terms in a finite-state transducer walked only from words that
/// start one.
pub(crate) struct Dictionaries {
    words: FxHashMap<Box<str>, u32>,
    /// Several-word terms, ASCII lower-cased, each to its entry index: walked byte by byte
    /// from a word that starts one (see [`Dictionaries::lookup_phrase`]).
    phrases: fst::Map<Vec<u8>>,
    entries: Vec<Entry>,
    /// Safe-list single words, sorted: answers "is this word a prefix of one".
    vocab: Vec<Box<str>>,
    /// Endings of drug and clinical terms, lower case.
    suffixes: Vec<String>,
    prefixes: Vec<String>,
    /// Memo of [`Dictionaries::clinical_shape`] (pure function of the word and the immutable
    /// dictionaries; bounded so a stream of distinct words cannot grow it without limit).
    clinical_memo: std::sync::RwLock<FxHashMap<Box<str>, bool>>,
    /// The word lists of the name and place rules.
    pub names: NameWords,
}

/// In `words`: the bit that marks a word starting a several-word term.
const PHRASE_START: u32 = 1 << 31;
/// In `words`: no single-word entry (the word only starts phrases).
const NO_ENTRY: u32 = PHRASE_START - 1;

fn data_lines(content: &str) -> impl Iterator<Item = (usize, [&str; DATA_COLUMNS])> {
    content.lines().enumerate().filter_map(|(i, l)| {
        let l = l.trim_end_matches('\r');
        if l.trim().is_empty() || l.starts_with('#') {
            None
        } else {
            // No vector per line: start-up reads some 400,000 of them.
            let mut cols = [""; DATA_COLUMNS];
            for (c, v) in cols.iter_mut().zip(l.split('\t')) {
                *c = v.trim();
            }
            Some((i + 1, cols))
        }
    })
}

/// The columns of a dictionary line that are read (term, then numbers or an abbreviation);
/// a missing column reads as empty.
const DATA_COLUMNS: usize = 3;

/// The lookup key of a term: lower case, inner whitespace collapsed to one space.
fn key_of(term: &str) -> String {
    let t = term.trim();
    if t.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'\'' || b == b'-' || b == b'.')
    {
        return t.to_ascii_lowercase();
    }
    // One allocation for the words joined by single spaces (not a Vec, a join and a copy).
    let mut k = String::with_capacity(t.len());
    for (i, w) in t.split_whitespace().enumerate() {
        if i > 0 {
            k.push(' ');
        }
        k.push_str(w);
    }
    if k.is_ascii() {
        k.make_ascii_lowercase();
        k
    } else {
        // `str::to_lowercase` (not per character): its word-final sigma rule applies.
        k.to_lowercase()
    }
}

/// Builder state: term (lower-case key) → entry.
#[derive(Default)]
pub(crate) struct DictionariesBuilder {
    /// FxHash, not SipHash: the keys are the built-in word lists (no untrusted input), and
    /// hashing them was a large part of start-up.
    map: FxHashMap<String, Entry>,
    suffixes: Vec<String>,
    prefixes: Vec<String>,
    names: NameWords,
}

impl DictionariesBuilder {
    fn entry(&mut self, term: &str) -> Option<&mut Entry> {
        let k = key_of(term);
        if k.is_empty() {
            return None;
        }
        Some(self.map.entry(k).or_default())
    }

    pub fn add_flag(&mut self, term: &str, f: u32) {
        if let Some(e) = self.entry(term) {
            e.flags |= f;
        }
    }

    pub fn add_dictionary(&mut self, d: &DictionarySpec) -> Result<()> {
        let number = |cols: &[&str], i: usize, line: usize| -> Result<f64> {
            match cols.get(i) {
                None | Some(&"") => Ok(0.0),
                Some(v) => v.parse::<f64>().map_err(|_| {
                    Error::rule(
                        d.origin.clone(),
                        line,
                        format!("dictionary {}: column {} is not a number", d.id, i + 1),
                    )
                }),
            }
        };
        for (line, cols) in data_lines(&d.content) {
            let term = cols[0];
            if term.is_empty() {
                return Err(Error::rule(
                    d.origin.clone(),
                    line,
                    format!("dictionary {}: empty term", d.id),
                ));
            }
            let (flag, tier) = match d.role {
                DictRole::FirstName => (flag::FIRST, 0),
                DictRole::Surname => (flag::LAST, 0),
                DictRole::City => (flag::CITY, 0),
                DictRole::State => (flag::STATE, 0),
                DictRole::County => (flag::COUNTY, 0),
                DictRole::Organization => (flag::ORG, 0),
                DictRole::Location => (flag::LOCATION, 0),
                DictRole::Safe => (flag::SAFE, 0),
                DictRole::English => (flag::ENGLISH, 0),
                DictRole::GivenNameEvidence => (flag::GIVEN_OTHER, 0),
                DictRole::CommonWord => {
                    let t = number(&cols, 1, line)?;
                    if !(t == 1.0 || t == 2.0) {
                        return Err(Error::rule(
                            d.origin.clone(),
                            line,
                            format!("dictionary {}: tier must be 1 or 2", d.id),
                        ));
                    }
                    (0, t as u8)
                }
            };
            let pm = match d.role {
                DictRole::FirstName | DictRole::Surname | DictRole::GivenNameEvidence => {
                    number(&cols, 1, line)? as f32
                }
                _ => 0.0,
            };
            let pop = match d.role {
                DictRole::City | DictRole::County => number(&cols, 2, line)? as u32,
                _ => 0,
            };
            if d.role == DictRole::State {
                if let Some(abbr) = cols.get(1).filter(|a| a.len() == 2) {
                    self.entry(abbr).expect("non-empty abbreviation").flags |= flag::STATE_ABBR;
                }
            }
            let e = self.entry(term).expect("non-empty term");
            e.flags |= flag;
            if tier > 0 {
                e.tier = if e.tier == 0 { tier } else { e.tier.min(tier) };
            }
            match d.role {
                DictRole::FirstName => e.first_pm = e.first_pm.max(pm),
                DictRole::Surname => e.last_pm = e.last_pm.max(pm),
                DictRole::GivenNameEvidence => e.other_first_pm = e.other_first_pm.max(pm),
                _ => {}
            }
            e.population = e.population.max(pop);
        }
        Ok(())
    }

    pub fn add_cues(&mut self, cues: &Cues) {
        for t in &cues.titles {
            self.add_flag(t, flag::TITLE);
        }
        for t in &cues.role_cues {
            self.add_flag(t, flag::ROLE);
        }
        for t in &cues.credentials {
            self.add_flag(t, flag::CREDENTIAL);
        }
        for t in &cues.header_labels {
            self.add_flag(t, flag::HEADER);
        }
        for t in &cues.place_cues {
            self.add_flag(t, flag::PLACE_CUE);
        }
        for t in &cues.facility_cues {
            self.add_flag(t, flag::FACILITY_CUE);
        }
        for t in &cues.relation_cues {
            self.add_flag(t, flag::RELATION | flag::ROLE);
        }
        for t in &cues.post_cues {
            self.add_flag(t, flag::POST_CUE);
        }
        for t in &cues.eponym_nouns {
            self.add_flag(t, flag::EPONYM_NOUN);
        }
        for t in &cues.place_nouns {
            self.add_flag(t, flag::PLACE_NOUN);
        }
        for t in &cues.name_particles {
            self.add_flag(t, flag::PARTICLE);
        }
        for t in &cues.org_joiners {
            self.add_flag(t, flag::ORG_JOINER);
        }
        for t in &cues.org_tails {
            self.add_flag(t, flag::ORG_TAIL);
        }
        for t in &cues.org_nouns {
            self.add_flag(t, flag::ORG_NOUN);
        }
        for t in &cues.address_units {
            self.add_flag(t, flag::ADDRESS_UNIT);
        }
        self.names.extend(cues);
        self.suffixes.extend(
            cues.clinical_suffixes
                .iter()
                .map(|s| s.trim().to_lowercase()),
        );
        self.prefixes.extend(
            cues.clinical_prefixes
                .iter()
                .map(|s| s.trim().to_lowercase()),
        );
    }

    pub fn build(self) -> Result<Dictionaries> {
        let mut entries: Vec<Entry> = Vec::with_capacity(self.map.len());
        let mut words: FxHashMap<Box<str>, u32> = FxHashMap::default();
        words.reserve(self.map.len());
        let mut phrases: Vec<String> = Vec::new();
        let mut phrase_ids: Vec<u32> = Vec::new();
        let mut phrase_first: FxHashSet<String> = FxHashSet::default();
        let keys: Vec<(String, Entry)> = self.map.into_iter().collect();
        let mut vocab: Vec<Box<str>> = Vec::new();
        for (k, e) in keys {
            if e.has(flag::SAFE) && k.len() >= 4 && k.bytes().all(|b| b.is_ascii_lowercase()) {
                vocab.push(k.clone().into_boxed_str());
            }
            let idx = entries.len() as u32;
            entries.push(e);
            // Plain words (letters, digits, inner apostrophes) need no tokenising.
            let plain = k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'\'')
                && !k.starts_with('\'')
                && !k.ends_with('\'');
            let toks = if plain {
                Vec::new()
            } else {
                crate::text::tokenize(&k)
            };
            if plain || toks.len() == 1 && toks[0].start == 0 && toks[0].end == k.len() {
                words.insert(k.into_boxed_str(), idx);
                continue;
            }
            let Some(first) = toks.first() else { continue };
            phrase_first.insert(k[first.start..first.end].to_string());
            if !k.is_ascii() {
                // ASCII case folding does not cover é/É: add the upper-case spelling too.
                let up = k.to_uppercase();
                if up != k {
                    phrases.push(up);
                    phrase_ids.push(idx);
                }
            }
            phrases.push(k);
            phrase_ids.push(idx);
        }
        // ASCII case folding of the keys and of the text stands for the ASCII-case-insensitive
        // search of the automaton this replaced; two terms that fold to one key keep the first
        // (the automaton reported the lowest pattern on a tie).
        let mut folded: Vec<(Vec<u8>, usize)> = phrases
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_bytes().to_ascii_lowercase(), i))
            .collect();
        folded.sort_unstable();
        folded.dedup_by(|b, a| a.0 == b.0);
        let phrases = fst::Map::from_iter(
            folded
                .into_iter()
                .map(|(k, i)| (k, u64::from(phrase_ids[i]))),
        )
        .map_err(|e| Error::config(format!("cannot build dictionary automaton: {e}")))?;
        // One hash lookup per word of the text answers both questions: its entry, and
        // whether a several-word term may start there.
        for first in phrase_first {
            *words.entry(first.into_boxed_str()).or_insert(NO_ENTRY) |= PHRASE_START;
        }
        vocab.sort_unstable();
        let mut suffixes = self.suffixes;
        suffixes.retain(|s| !s.is_empty());
        let mut prefixes = self.prefixes;
        prefixes.retain(|s| !s.is_empty());
        Ok(Dictionaries {
            words,
            phrases,
            entries,
            vocab,
            suffixes,
            prefixes,
            clinical_memo: Default::default(),
            names: self.names,
        })
    }
}

impl Dictionaries {
    /// Lower-cases a word into `buf` (ASCII fast path).
    pub fn lower_into(word: &str, buf: &mut String) {
        buf.clear();
        if word.is_ascii() {
            buf.push_str(word);
            buf.make_ascii_lowercase();
        } else {
            buf.extend(word.chars().flat_map(char::to_lowercase));
        }
    }

    /// One lower-cased word: its entry, and whether a several-word term may start with it.
    pub fn lookup(&self, lower: &str) -> (Option<u32>, bool) {
        match self.words.get(lower) {
            None => (None, false),
            Some(&v) => {
                let e = v & !PHRASE_START;
                ((e != NO_ENTRY).then_some(e), v & PHRASE_START != 0)
            }
        }
    }

    /// The entry of one lower-cased word.
    pub fn lookup_word(&self, lower: &str) -> Option<u32> {
        self.lookup(lower).0
    }

    /// The longest several-word entry ("new york", "seen by") starting at `start` (call only
    /// where [`Dictionaries::lookup`] says one may start): returns (end, entry index).
    pub fn lookup_phrase(&self, text: &str, start: usize) -> Option<(usize, u32)> {
        let fst = self.phrases.as_fst();
        let mut node = fst.root();
        let mut out = fst::raw::Output::zero();
        let mut best = None;
        for (i, &b) in text.as_bytes().get(start..)?.iter().enumerate() {
            let Some(t) = node.find_input(b.to_ascii_lowercase()) else {
                break;
            };
            let t = node.transition(t);
            out = out.cat(t.out);
            node = fst.node(t.addr);
            if node.is_final() {
                let idx = out.cat(node.final_output()).value();
                best = Some((start + i + 1, u32::try_from(idx).unwrap_or(NO_ENTRY)));
            }
        }
        best
    }

    /// The entry for a whole word, compared without diacritics ("Zoë" finds "Zoe").
    pub fn lookup_folded(&self, word: &str) -> Option<u32> {
        let folded = fold_diacritics(word)?;
        // An English word written with diacritics ("Dũng" folds to "dung", "Đỗ" to "do") is a
        // name more often than the word: only name and place entries count, and not those that
        // are also English, common or clinical words (whose frequency would speak for the
        // word); the caller then sees a word no dictionary knows.
        self.lookup_word(&folded.to_lowercase()).filter(|&i| {
            let e = self.entry(i);
            e.has(flag::NAME | flag::PLACE) && !e.has(flag::ENGLISH | flag::SAFE) && e.tier == 0
        })
    }

    /// Does a word no dictionary knows look like clinical vocabulary rather than a name? True
    /// for a drug or clinical ending ("Labetelol", "Kefzol"), a misspelling one edit away from
    /// a safe-list or English word ("Recieved", "Amodarone"), a clipped safe-list
    /// word ("Levoflox", "Amiod", "Desat"), and camel case ("CaGluc", "ReNeph") other than
    /// name prefixes such as Mc, Mac, De, La.
    pub fn clinical_shape(&self, word: &str) -> bool {
        if !word.is_ascii() || word.len() < 3 {
            return false;
        }
        const MEMO_LIMIT: usize = 100_000;
        if let Some(&v) = self
            .clinical_memo
            .read()
            .ok()
            .as_ref()
            .and_then(|m| m.get(word))
        {
            return v;
        }
        let v = self.clinical_shape_uncached(word);
        if let Ok(mut m) = self.clinical_memo.write() {
            if m.len() < MEMO_LIMIT {
                m.insert(word.into(), v);
            }
        }
        v
    }

    fn clinical_shape_uncached(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        // Camel case: a capital after a lower-case letter.
        if let Some(i) = (1..bytes.len())
            .find(|&i| bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase())
        {
            let head = word[..i].to_ascii_lowercase();
            const NAME_PREFIXES: &[&str] = &[
                "mc", "mac", "de", "da", "di", "du", "la", "le", "van", "von", "st", "o", "d",
            ];
            if !NAME_PREFIXES.contains(&head.as_str()) {
                return true;
            }
        }
        // A capital run followed by lower case ("PAsat", "EPstudy").
        if bytes.len() >= 4
            && bytes[0].is_ascii_uppercase()
            && bytes[1].is_ascii_uppercase()
            && bytes[2..].iter().any(u8::is_ascii_lowercase)
        {
            return true;
        }
        let lower = word.to_ascii_lowercase();
        if !lower.bytes().all(|b| b.is_ascii_lowercase()) {
            return false;
        }
        // An ending with at least two letters before it; a long ending (4+) with one ("Kphos").
        if self.suffixes.iter().any(|s| {
            lower.len() >= s.len() + if s.len() >= 4 { 1 } else { 2 } && lower.ends_with(s.as_str())
        }) {
            return true;
        }
        let known = |w: &str| {
            self.lookup_word(w)
                .is_some_and(|i| self.entry(i).has(flag::SAFE | flag::ENGLISH))
        };
        // A clipped word: a strict prefix (5+ letters) of a known word at least two letters
        // longer ("Levoflox", "diures").
        let clipped = |w: &str| {
            w.len() >= 5 && {
                let i = self.vocab.partition_point(|v| **v < *w);
                self.vocab[i..]
                    .iter()
                    .take_while(|v| v.starts_with(w))
                    .any(|v| v.len() >= w.len() + 2)
            }
        };
        // An inflected clinical word ("Diuresing", "Ambued", "Suctioned"): the stem, the stem
        // with an "e", "is" or "ion" (diures-is), or the stem without a doubled last letter is
        // known, or the stem is clipped.
        for ending in ["ing", "ed", "s"] {
            if lower.len() >= ending.len() + 4 && lower.ends_with(ending) {
                let stem = &lower[..lower.len() - ending.len()];
                let b = stem.as_bytes();
                let undoubled = b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2];
                if known(stem)
                    || clipped(stem)
                    || ["e", "is", "ion"]
                        .iter()
                        .any(|x| known(&format!("{stem}{x}")))
                    || undoubled && known(&stem[..stem.len() - 1])
                {
                    return true;
                }
            }
        }
        if self.prefixes.iter().any(|p| {
            lower.len() >= p.len() + 4 && lower.starts_with(p.as_str()) && known(&lower[p.len()..])
        }) {
            return true;
        }
        if clipped(&lower) {
            return true;
        }
        lower.len() >= 5 && one_transposition_away(&lower, known)
            || lower.len() >= 7 && one_edit_away(&lower, known)
    }

    /// The entry with index `i`.
    pub fn entry(&self, i: u32) -> &Entry {
        &self.entries[i as usize]
    }

    /// Number of terms (for diagnostics).
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Latin letters with diacritics folded to ASCII; `None` when nothing changed or a letter has
/// no ASCII form here.
pub(crate) fn fold_diacritics(word: &str) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let f = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ'
            | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => "a",
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' | 'Ạ' | 'Ả' | 'Ấ' | 'Ầ' | 'Ẩ'
            | 'Ẫ' | 'Ậ' | 'Ắ' | 'Ằ' | 'Ẳ' | 'Ẵ' | 'Ặ' => "A",
            'æ' => "ae",
            'Æ' => "AE",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
            'ď' | 'đ' | 'ð' => "d",
            'Ď' | 'Đ' | 'Ð' => "D",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề'
            | 'ể' | 'ễ' | 'ệ' => "e",
            'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' | 'Ẹ' | 'Ẻ' | 'Ẽ' | 'Ế' | 'Ề'
            | 'Ể' | 'Ễ' | 'Ệ' => "E",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
            'ĥ' | 'ħ' => "h",
            'Ĥ' | 'Ħ' => "H",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ị' | 'ỉ' => "i",
            'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' | 'Ị' | 'Ỉ' => "I",
            'ĵ' => "j",
            'Ĵ' => "J",
            'ķ' => "k",
            'Ķ' => "K",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "N",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ơ' | 'ọ' | 'ỏ' | 'ố' | 'ồ'
            | 'ổ' | 'ỗ' | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => "o",
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' | 'Ơ' | 'Ọ' | 'Ỏ' | 'Ố' | 'Ồ'
            | 'Ổ' | 'Ỗ' | 'Ộ' | 'Ớ' | 'Ờ' | 'Ở' | 'Ỡ' | 'Ợ' => "O",
            'œ' => "oe",
            'Œ' => "OE",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'Ŕ' | 'Ŗ' | 'Ř' => "R",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
            'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "S",
            'ß' => "ss",
            'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
            'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "T",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ư' | 'ụ' | 'ủ' | 'ứ'
            | 'ừ' | 'ử' | 'ữ' | 'ự' => "u",
            'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' | 'Ư' | 'Ụ' | 'Ủ' | 'Ứ'
            | 'Ừ' | 'Ử' | 'Ữ' | 'Ự' => "U",
            'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' => "y",
            'Ý' | 'Ÿ' | 'Ŷ' | 'Ỳ' | 'Ỵ' | 'Ỷ' | 'Ỹ' => "Y",
            'ź' | 'ż' | 'ž' => "z",
            'Ź' | 'Ż' | 'Ž' => "Z",
            'þ' => "th",
            'Þ' => "TH",
            '\u{0300}'..='\u{036F}' => "",
            _ => return None,
        };
        out.push_str(f);
    }
    Some(out)
}

/// Is some word two adjacent letters swapped away from `w` ("deines", "tema")?
fn one_transposition_away(w: &str, known: impl Fn(&str) -> bool) -> bool {
    let mut b = w.as_bytes().to_vec();
    for i in 0..b.len().saturating_sub(1) {
        if b[i] != b[i + 1] {
            b.swap(i, i + 1);
            let hit = std::str::from_utf8(&b).is_ok_and(&known);
            b.swap(i, i + 1);
            if hit {
                return true;
            }
        }
    }
    false
}

/// Is some word one deletion, insertion or substitution of a letter away from `w` accepted by
/// `known`? `w` is lower-case ASCII; swapped letters are [`one_transposition_away`]'s.
fn one_edit_away(w: &str, known: impl Fn(&str) -> bool) -> bool {
    let b = w.as_bytes();
    let mut buf: Vec<u8> = Vec::with_capacity(b.len() + 1);
    let try_buf = |buf: &[u8]| std::str::from_utf8(buf).is_ok_and(&known);
    for i in 0..b.len() {
        // Deletion.
        buf.clear();
        buf.extend_from_slice(&b[..i]);
        buf.extend_from_slice(&b[i + 1..]);
        if try_buf(&buf) {
            return true;
        }
        // Substitution.
        for c in b'a'..=b'z' {
            if c != b[i] {
                buf.clear();
                buf.extend_from_slice(b);
                buf[i] = c;
                if try_buf(&buf) {
                    return true;
                }
            }
        }
    }
    // Insertion.
    for i in 0..=b.len() {
        for c in b'a'..=b'z' {
            buf.clear();
            buf.extend_from_slice(&b[..i]);
            buf.push(c);
            buf.extend_from_slice(&b[i..]);
            if try_buf(&buf) {
                return true;
            }
        }
    }
    false
}

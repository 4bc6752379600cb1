//! Dictionary lookups: every dictionary term and cue, single words by hash, several-word terms
//! by a walk of a finite-state transducer from the words that can start one.

pub(crate) use super::lexicon::{flag, Entry};
use super::lexicon::{KeyFilter, Lexicon, LexiconBuilder, CUE_FLAGS, NO_ENTRY, PHRASE_START};
use crate::error::{Error, Result};
use crate::rules::{Cues, DictionarySpec};
use crate::text::{Token, LEXICON_UNSET};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

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

impl NameWords {
    /// Is `w` an interjection of speech (`rules/names.toml` `interjections`, or a word of two
    /// or more letters made only of m and h: "Mm", "mhm", "hmmm", "Mm-hm")? A word of two
    /// letters in one case ("AH", "hm", "MM") or in capitals ("MHM") may be initials, and is
    /// none.
    pub fn interjection(&self, w: &str) -> bool {
        let letters = || w.chars().filter(|&c| c != '-');
        let n = letters().count();
        let title = letters().next().is_some_and(char::is_uppercase)
            && letters().skip(1).all(char::is_lowercase);
        let capitals = !w.contains('-') && letters().all(char::is_uppercase);
        if n <= 2 && !title || capitals {
            return false;
        }
        self.interjections.contains(w)
            || n >= 2 && letters().all(|c| matches!(c.to_ascii_lowercase(), 'm' | 'h'))
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
    speech_verbs,
    speaker_roles,
    interjections,
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
    country_codes,
    descriptor_joiners,
    strong_org_tails,
    org_descriptors,
    weak_org_nouns,
    numbered_org_nouns,
    contact_verbs,
    contact_particles,
    contact_prepositions,
    contact_stops,
    possessive_kin_words,
    employer_verbs,
    employer_nouns,
    employer_noun_prepositions,
    employer_modifiers,
    employer_prepositions,
    workplace_words,
    person_roles,
    alias_labels,
);

/// All dictionaries and cue lists: a [`Lexicon`] (one lookup per word of the text gives its
/// entry and whether a several-word term starts there; several-word terms in a finite-state
/// transducer walked only from words that start one), and the word lists of the name rules.
pub(crate) struct Dictionaries {
    lexicon: Lexicon,
    /// Endings of drug and clinical terms, lower case.
    suffixes: Vec<String>,
    prefixes: Vec<String>,
    /// Memo of [`Dictionaries::clinical_shape`] (pure function of the word and the immutable
    /// dictionaries; bounded so a stream of distinct words cannot grow it without limit).
    clinical_memo: std::sync::RwLock<FxHashMap<Box<str>, bool>>,
    /// The safe-list and English words as a [`KeyFilter`], made the first time
    /// [`Dictionaries::clinical_shape`] asks: most of the several hundred variants it looks
    /// up for a word (every one-letter deletion, substitution and insertion) are known to be
    /// no such word without a probe of the lexicon. Measured (perf, 3.5 MB of generated notes,
    /// one thread): `Lexicon::get` fell from 9.4 % of the samples to 2.8 %, for 1.8 % in the
    /// filter; `clinical_shape` from some 6 % to some 3.5 %. Building the filter takes a few
    /// milliseconds (239,000 keys, a 512 KB table).
    known_filter: std::sync::OnceLock<KeyFilter>,
    /// The word lists of the name and place rules.
    pub names: NameWords,
}

/// The lexicon of the built-in dictionaries and cue words, made by `build.rs` at compile time
/// (see `detect/lexicon.rs`).
static BUILTIN_LEXICON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.bin"));

/// The cue list of `cues` named `name` in [`CUE_FLAGS`].
fn cue_list<'a>(cues: &'a Cues, name: &str) -> &'a [String] {
    match name {
        "titles" => &cues.titles,
        "role_cues" => &cues.role_cues,
        "credentials" => &cues.credentials,
        "header_labels" => &cues.header_labels,
        "place_cues" => &cues.place_cues,
        "facility_cues" => &cues.facility_cues,
        "relation_cues" => &cues.relation_cues,
        "post_cues" => &cues.post_cues,
        "eponym_nouns" => &cues.eponym_nouns,
        "place_nouns" => &cues.place_nouns,
        "name_particles" => &cues.name_particles,
        "org_joiners" => &cues.org_joiners,
        "org_tails" => &cues.org_tails,
        "org_nouns" => &cues.org_nouns,
        "address_units" => &cues.address_units,
        _ => &[],
    }
}

/// Do `a` and `b` give the lexicon the same terms: the same dictionaries (by id, role and
/// content) and the same flagged cue words? Then the built-in lexicon serves both.
pub(crate) fn same_lexicon(a: (&[DictionarySpec], &Cues), b: (&[DictionarySpec], &Cues)) -> bool {
    a.0.len() == b.0.len()
        && a.0.iter().zip(b.0).all(|(x, y)| {
            x.id == y.id
                && x.role == y.role
                && (std::sync::Arc::ptr_eq(&x.content, &y.content) || x.content == y.content)
        })
        && CUE_FLAGS
            .iter()
            .all(|(name, _)| cue_list(a.1, name) == cue_list(b.1, name))
}

/// Builder state: the lexicon's terms, and the cue word lists.
#[derive(Default)]
pub(crate) struct DictionariesBuilder {
    lexicon: LexiconBuilder,
    suffixes: Vec<String>,
    prefixes: Vec<String>,
    names: NameWords,
}

impl DictionariesBuilder {
    pub fn add_dictionary(&mut self, d: &DictionarySpec) -> Result<()> {
        self.lexicon
            .add_dictionary(&d.id, d.role, &d.content)
            .map_err(|(line, message)| Error::rule(d.origin.clone(), line, message))
    }

    /// The flags of the cue words go into the lexicon (unless it is the built-in one, made
    /// with them); the other lists are the name rules' word lists.
    fn add_cue_words(&mut self, cues: &Cues, lexicon: bool) {
        if lexicon {
            for (name, f) in CUE_FLAGS {
                for t in cue_list(cues, name) {
                    self.lexicon.add_flag(t, f);
                }
            }
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

    pub fn add_cues(&mut self, cues: &Cues) {
        self.add_cue_words(cues, true);
    }

    /// The serialised lexicon of the terms added so far.
    #[cfg(test)]
    pub fn encode(self) -> Result<Vec<u8>> {
        self.lexicon.encode().map_err(Error::config)
    }

    pub fn build(self) -> Result<Dictionaries> {
        let bytes = self.lexicon.encode().map_err(Error::config)?;
        Self::finish(
            Lexicon::new(Cow::Owned(bytes)).map_err(Error::config)?,
            self.suffixes,
            self.prefixes,
            self.names,
        )
    }

    /// The built-in lexicon (built at compile time from the built-in dictionaries and cue
    /// words) with the word lists of `cues` (which must flag the same words as the built-in
    /// cues: see [`same_lexicon`]).
    pub fn build_with_builtin_lexicon(cues: &Cues) -> Result<Dictionaries> {
        let mut b = DictionariesBuilder::default();
        b.add_cue_words(cues, false);
        Self::finish(
            Lexicon::new(Cow::Borrowed(BUILTIN_LEXICON)).map_err(Error::config)?,
            b.suffixes,
            b.prefixes,
            b.names,
        )
    }

    fn finish(
        lexicon: Lexicon,
        mut suffixes: Vec<String>,
        mut prefixes: Vec<String>,
        names: NameWords,
    ) -> Result<Dictionaries> {
        suffixes.retain(|s| !s.is_empty());
        prefixes.retain(|s| !s.is_empty());
        Ok(Dictionaries {
            lexicon,
            suffixes,
            prefixes,
            clinical_memo: Default::default(),
            known_filter: std::sync::OnceLock::new(),
            names,
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
        Self::split(self.lexicon.get(lower.as_bytes()).unwrap_or(NO_ENTRY))
    }

    /// A lexicon value as (entry, a several-word term may start here); [`NO_ENTRY`] without
    /// [`PHRASE_START`] stands for a word the lexicon does not have.
    fn split(v: u32) -> (Option<u32>, bool) {
        let e = v & !PHRASE_START;
        ((e != NO_ENTRY).then_some(e), v & PHRASE_START != 0)
    }

    /// Looks every token's lower-cased word up once (issue 12: the name rules, the learned
    /// scorer and completion each looked each word up); [`Dictionaries::lookup_token`] reads
    /// the result.
    pub fn look_up_tokens(&self, text: &str, tokens: &mut [Token]) {
        let mut buf = String::with_capacity(32);
        for t in tokens {
            Self::lower_into(&text[t.start..t.end], &mut buf);
            t.lexicon = self.lexicon.get(buf.as_bytes()).unwrap_or(NO_ENTRY);
        }
    }

    /// [`Dictionaries::lookup`] of the token `t`'s lower-cased word: its value from
    /// [`Dictionaries::look_up_tokens`], or looked up now (lower-cased into `buf`).
    pub fn lookup_token(&self, text: &str, t: &Token, buf: &mut String) -> (Option<u32>, bool) {
        if t.lexicon != LEXICON_UNSET {
            return Self::split(t.lexicon);
        }
        Self::lower_into(&text[t.start..t.end], buf);
        self.lookup(buf)
    }

    /// The entry of one lower-cased word.
    pub fn lookup_word(&self, lower: &str) -> Option<u32> {
        self.lookup(lower).0
    }

    /// The longest several-word entry ("new york", "seen by") starting at `start` (call only
    /// where [`Dictionaries::lookup`] says one may start): returns (end, entry index).
    pub fn lookup_phrase(&self, text: &str, start: usize) -> Option<(usize, u32)> {
        let fst = self.lexicon.phrases.as_fst();
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
        let known_entry = |i: u32| self.entry(i).has(flag::SAFE | flag::ENGLISH);
        let filter = self.known_filter.get_or_init(|| {
            self.lexicon
                .key_filter(|v| Self::split(v).0.is_some_and(known_entry))
        });
        let known_bytes = |w: &[u8]| {
            filter.may_contain(w)
                && Self::split(self.lexicon.get(w).unwrap_or(NO_ENTRY))
                    .0
                    .is_some_and(known_entry)
        };
        let known = |w: &str| known_bytes(w.as_bytes());
        // A clipped word: a strict prefix (5+ letters) of a known word at least two letters
        // longer ("Levoflox", "diures").
        let clipped = |w: &str| w.len() >= 5 && self.lexicon.clipped_safe_word(w.as_bytes());
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
        // A word more than one letter longer than every known word is no edit of one (and
        // trying every variant of a long run of letters is quadratic in its length).
        if lower.len() > filter.longest() + 1 {
            return false;
        }
        lower.len() >= 5 && one_transposition_away(&lower, known_bytes)
            || lower.len() >= 7 && one_edit_away(&lower, known_bytes)
    }

    /// The entry with index `i`.
    pub fn entry(&self, i: u32) -> &Entry {
        self.lexicon.entry(i)
    }

    /// Number of terms (for diagnostics).
    pub fn len(&self) -> usize {
        self.lexicon.terms()
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
fn one_transposition_away(w: &str, known: impl Fn(&[u8]) -> bool) -> bool {
    let mut b = w.as_bytes().to_vec();
    for i in 0..b.len().saturating_sub(1) {
        if b[i] != b[i + 1] {
            b.swap(i, i + 1);
            let hit = known(&b);
            b.swap(i, i + 1);
            if hit {
                return true;
            }
        }
    }
    false
}

/// Is some word one deletion, insertion or substitution of a letter away from `w` accepted by
/// `known`? `w` is lower-case ASCII; swapped letters are [`one_transposition_away`]'s. Each
/// variant is made in place in one buffer (a letter changed, or a gap moved one place), not
/// copied afresh, since each costs little more than that with [`KeyFilter`] in front of the
/// lexicon.
fn one_edit_away(w: &str, known: impl Fn(&[u8]) -> bool) -> bool {
    let b = w.as_bytes();
    let n = b.len();
    if n == 0 {
        return false;
    }
    // Deletion of letter i: `del` holds w without b[i]; moving on puts b[i] back where
    // b[i + 1] was.
    let mut del: Vec<u8> = b[1..].to_vec();
    // Substitution: `sub` holds w with letter i changed, then restored.
    let mut sub: Vec<u8> = b.to_vec();
    for i in 0..n {
        if i > 0 {
            del[i - 1] = b[i - 1];
        }
        if known(&del) {
            return true;
        }
        for c in b'a'..=b'z' {
            if c != b[i] {
                sub[i] = c;
                if known(&sub) {
                    return true;
                }
            }
        }
        sub[i] = b[i];
    }
    // Insertion before letter i: `ins` holds w with a gap at i; moving on fills the gap with
    // b[i] and opens it at i + 1.
    let mut ins: Vec<u8> = Vec::with_capacity(n + 1);
    ins.push(0);
    ins.extend_from_slice(b);
    for i in 0..=n {
        if i > 0 {
            ins[i - 1] = b[i - 1];
        }
        for c in b'a'..=b'z' {
            ins[i] = c;
            if known(&ins) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicon_is_a_runtime_build() {
        // build.rs reads `rules/` itself; the library's parse of the same files must give the
        // same lexicon, byte for byte.
        let rules = crate::RuleSet::builtin();
        let mut b = DictionariesBuilder::default();
        for d in &rules.dictionaries {
            b.add_dictionary(d).unwrap();
        }
        b.add_cues(&rules.cues);
        let bytes = b.encode().unwrap();
        assert!(
            bytes.as_slice() == BUILTIN_LEXICON,
            "the embedded lexicon ({} bytes) differs from a run-time build ({} bytes)",
            BUILTIN_LEXICON.len(),
            bytes.len()
        );
    }

    #[test]
    fn interjections_of_speech_but_not_initials() {
        let d = DictionariesBuilder::build_with_builtin_lexicon(&crate::RuleSet::builtin().cues)
            .unwrap();
        for (w, want) in [
            ("Erm", true),
            ("Uh-huh", true),
            ("Mm-hm", true),
            ("Mm", true),
            ("mhm", true),
            ("Hmmm", true),
            ("MM-HM", true),
            // Initials and acronyms: two letters in one case, or capitals.
            ("MM", false),
            ("hm", false),
            ("AH", false),
            ("MHM", false),
            ("ER", false),
            // Names.
            ("Oh", false),
            ("Hamm", false),
            ("Mhairi", false),
        ] {
            assert_eq!(d.names.interjection(w), want, "{w}");
        }
    }

    #[test]
    fn lexicon_lookups() {
        let d = DictionariesBuilder::build_with_builtin_lexicon(&crate::RuleSet::builtin().cues)
            .unwrap();
        let e = |w: &str| d.lookup_word(w).map(|i| d.entry(i).clone());
        assert!(e("smith").is_some_and(|e| e.has(flag::LAST) && e.last_pm > 0.0));
        assert!(e("mary").is_some_and(|e| e.has(flag::FIRST)));
        assert!(e("the").is_some_and(|e| e.has(flag::ENGLISH)));
        assert!(e("zzqxj").is_none());
        let (_, starts) = d.lookup("new");
        assert!(starts);
        let (end, i) = d.lookup_phrase("New York City", 0).unwrap();
        assert!(end >= 8 && d.entry(i).has(flag::PLACE));
        assert!(d.clinical_shape("Levoflox"));
        assert!(d.len() > 300_000);
    }

    #[test]
    fn one_edit_away_finds_every_kind_of_edit() {
        let words = ["recieved", "amiodarone", "labetalol", "ab"];
        let known = |w: &[u8]| words.iter().any(|k| k.as_bytes() == w);
        // Substitution, deletion, insertion (at the ends too); not two edits, not the word.
        for (w, hit) in [
            ("recieves", true),
            ("recievedd", true),
            ("xrecieved", true),
            ("reciived", true),
            ("amodarone", true),
            ("amiodaronee", true),
            ("labetelol", true),
            ("abetalol", true),
            ("labetalolx", true),
            ("labetelox", false),
            ("recieved", false),
            ("a", true),
            ("abc", true),
            ("xyz", false),
        ] {
            assert_eq!(one_edit_away(w, known), hit, "{w}");
        }
    }

    #[test]
    fn key_filter_passes_its_keys() {
        let d = DictionariesBuilder::build_with_builtin_lexicon(&crate::RuleSet::builtin().cues)
            .unwrap();
        let known = |v: u32| {
            Dictionaries::split(v)
                .0
                .is_some_and(|i| d.entry(i).has(flag::SAFE | flag::ENGLISH))
        };
        let filter = d.lexicon.key_filter(known);
        for w in ["received", "the", "amiodarone", "levofloxacin"] {
            assert!(
                known(d.lexicon.get(w.as_bytes()).unwrap_or(NO_ENTRY)),
                "{w}"
            );
            assert!(filter.may_contain(w.as_bytes()), "{w}");
        }
        // Most other words do not pass.
        let passed = (0..1000)
            .filter(|i| filter.may_contain(format!("zq{i}xw").as_bytes()))
            .count();
        assert!(passed < 50, "{passed} of 1000");
    }
}

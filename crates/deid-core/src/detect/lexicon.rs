//! The lexicon: every dictionary term with its flags and frequencies, as one serialised
//! structure that is read where it lies (no parsing, hashing or allocation per term).
//!
//! The built-in lexicon is made at compile time: `build.rs` compiles this file (and
//! `src/text.rs`, for the tokeniser) into the build script, runs [`LexiconBuilder`] over the
//! dictionary files and the cue lists of `rules/`, and writes [`LexiconBuilder::encode`]'s
//! bytes to `OUT_DIR`; the library embeds them with `include_bytes!` (issue 12: start-up
//! built the 427,000-term hash map every time). Rules from a directory that change the
//! dictionaries or the cue words below are built the same way at run time. So this file uses
//! only `std`, `fst`, `rustc_hash` and `crate::text`.
//!
//! Layout (little-endian `u32`s, then bytes): a header, the hash table's slots (open
//! addressing, linear probing, a key number and a hash tag each), per key the offset of its
//! bytes and its value, the safe-list vocabulary (key numbers, sorted), the distinct
//! entries, the key bytes and the several-word terms' `fst` map. A value is an entry number
//! (entries are stored once per distinct content), [`NO_ENTRY`] for a word that only starts
//! several-word terms, with [`PHRASE_START`] set when a several-word term starts with the word.

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

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
    /// Any dictionary membership (not cues), except the organisation list: a listed chain
    /// ("kmart") stays an unknown word to the other evidence and to the model.
    pub const KNOWN: u32 = FIRST | LAST | CITY | STATE | COUNTY | LOCATION | SAFE | ENGLISH;
    pub const NAME: u32 = FIRST | LAST;
    pub const PLACE: u32 = CITY | STATE | COUNTY | LOCATION;
}

/// The cue lists of `names.toml` (by their key there, which is also their field in
/// [`crate::rules::Cues`]) whose words get a flag in the lexicon.
pub(crate) const CUE_FLAGS: [(&str, u32); 15] = [
    ("titles", flag::TITLE),
    ("role_cues", flag::ROLE),
    ("credentials", flag::CREDENTIAL),
    ("header_labels", flag::HEADER),
    ("place_cues", flag::PLACE_CUE),
    ("facility_cues", flag::FACILITY_CUE),
    ("relation_cues", flag::RELATION | flag::ROLE),
    ("post_cues", flag::POST_CUE),
    ("eponym_nouns", flag::EPONYM_NOUN),
    ("place_nouns", flag::PLACE_NOUN),
    ("name_particles", flag::PARTICLE),
    ("org_joiners", flag::ORG_JOINER),
    ("org_tails", flag::ORG_TAIL),
    ("org_nouns", flag::ORG_NOUN),
    ("address_units", flag::ADDRESS_UNIT),
];

/// What a dictionary is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DictRole {
    /// Given names.
    FirstName,
    /// Family names.
    Surname,
    /// Cities and towns.
    City,
    /// States (and their abbreviations in the second column).
    State,
    /// Counties.
    County,
    /// Organisations (always flagged when matched with word boundaries, any case).
    Organization,
    /// Other locations.
    Location,
    /// Ordinary English words that are also names (`word<TAB>tier`).
    CommonWord,
    /// Clinical safe list: never a name without a strong cue.
    Safe,
    /// Ordinary English words that are not names: a capitalised one is not an unknown name.
    English,
    /// Given names of other registers (UK, Ireland, New Zealand, Ontario), `name<TAB>per_million`:
    /// evidence for the learned scorer only; the rule detectors do not read them.
    GivenNameEvidence,
}

impl DictRole {
    /// The role named `s` in a `dictionaries.toml` (`first_name`, `surname`, ...).
    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "first_name" => DictRole::FirstName,
            "surname" => DictRole::Surname,
            "city" => DictRole::City,
            "state" => DictRole::State,
            "county" => DictRole::County,
            "organization" => DictRole::Organization,
            "location" => DictRole::Location,
            "common_word" => DictRole::CommonWord,
            "safe" => DictRole::Safe,
            "english" => DictRole::English,
            "given_name_evidence" => DictRole::GivenNameEvidence,
            _ => return None,
        })
    }
}

/// What is known about one term.
#[derive(Clone, Debug, Default, PartialEq)]
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

    /// The six `u32` words of the entry in the serialised lexicon.
    fn words(&self) -> [u32; ENTRY_WORDS] {
        [
            self.flags,
            u32::from(self.tier),
            self.first_pm.to_bits(),
            self.last_pm.to_bits(),
            self.population,
            self.other_first_pm.to_bits(),
        ]
    }

    fn from_words(w: [u32; ENTRY_WORDS]) -> Entry {
        Entry {
            flags: w[0],
            tier: u8::try_from(w[1]).unwrap_or(u8::MAX),
            first_pm: f32::from_bits(w[2]),
            last_pm: f32::from_bits(w[3]),
            population: w[4],
            other_first_pm: f32::from_bits(w[5]),
        }
    }
}

/// The entry of a word no dictionary knows.
pub(crate) static EMPTY: Entry = Entry {
    flags: 0,
    tier: 0,
    first_pm: 0.0,
    last_pm: 0.0,
    population: 0,
    other_first_pm: 0.0,
};

const ENTRY_WORDS: usize = 6;

/// In a key's value: the bit that marks a word starting a several-word term.
pub(crate) const PHRASE_START: u32 = 1 << 31;
/// In a key's value: no single-word entry (the word only starts several-word terms).
pub(crate) const NO_ENTRY: u32 = PHRASE_START - 1;

// A token's cached value uses the one number no entry can have.
const _: () = assert!(crate::text::LEXICON_UNSET == NO_ENTRY - 1);

/// The columns of a dictionary line that are read (term, then numbers or an abbreviation);
/// a missing column reads as empty.
const DATA_COLUMNS: usize = 3;

fn data_lines(content: &str) -> impl Iterator<Item = (usize, [&str; DATA_COLUMNS])> {
    content.lines().enumerate().filter_map(|(i, l)| {
        let l = l.trim_end_matches('\r');
        if l.trim().is_empty() || l.starts_with('#') {
            None
        } else {
            // No vector per line: a build reads some 400,000 of them.
            let mut cols = [""; DATA_COLUMNS];
            for (c, v) in cols.iter_mut().zip(l.split('\t')) {
                *c = v.trim();
            }
            Some((i + 1, cols))
        }
    })
}

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

/// A dictionary line that cannot be read: its line number and what is wrong.
pub(crate) type LineError = (usize, String);

/// Builder state: term (lower-case key) → entry.
#[derive(Default)]
pub(crate) struct LexiconBuilder {
    /// FxHash, not SipHash: the keys are word lists of the rules (no untrusted input).
    map: FxHashMap<String, Entry>,
}

impl LexiconBuilder {
    fn entry(&mut self, term: &str) -> Option<&mut Entry> {
        let k = key_of(term);
        if k.is_empty() {
            return None;
        }
        Some(self.map.entry(k).or_default())
    }

    /// Adds the flag `f` to `term` (a cue word).
    pub fn add_flag(&mut self, term: &str, f: u32) {
        if let Some(e) = self.entry(term) {
            e.flags |= f;
        }
    }

    /// Adds the terms of the dictionary `id` (its file's `content`) in the role `role`.
    pub fn add_dictionary(
        &mut self,
        id: &str,
        role: DictRole,
        content: &str,
    ) -> Result<(), LineError> {
        let number = |cols: &[&str], i: usize, line: usize| -> Result<f64, LineError> {
            match cols.get(i) {
                None | Some(&"") => Ok(0.0),
                Some(v) => v.parse::<f64>().map_err(|_| {
                    (
                        line,
                        format!("dictionary {id}: column {} is not a number", i + 1),
                    )
                }),
            }
        };
        for (line, cols) in data_lines(content) {
            let term = cols[0];
            if term.is_empty() {
                return Err((line, format!("dictionary {id}: empty term")));
            }
            let (flag, tier) = match role {
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
                        return Err((line, format!("dictionary {id}: tier must be 1 or 2")));
                    }
                    (0, t as u8)
                }
            };
            let pm = match role {
                DictRole::FirstName | DictRole::Surname | DictRole::GivenNameEvidence => {
                    number(&cols, 1, line)? as f32
                }
                _ => 0.0,
            };
            let pop = match role {
                DictRole::City | DictRole::County => number(&cols, 2, line)? as u32,
                _ => 0,
            };
            if role == DictRole::State {
                if let Some(e) = cols
                    .get(1)
                    .filter(|a| a.len() == 2)
                    .and_then(|abbr| self.entry(abbr))
                {
                    e.flags |= flag::STATE_ABBR;
                }
            }
            let Some(e) = self.entry(term) else { continue };
            e.flags |= flag;
            if tier > 0 {
                e.tier = if e.tier == 0 { tier } else { e.tier.min(tier) };
            }
            match role {
                DictRole::FirstName => e.first_pm = e.first_pm.max(pm),
                DictRole::Surname => e.last_pm = e.last_pm.max(pm),
                DictRole::GivenNameEvidence => e.other_first_pm = e.other_first_pm.max(pm),
                _ => {}
            }
            e.population = e.population.max(pop);
        }
        Ok(())
    }

    /// The serialised lexicon (see the module documentation). The same terms give the same
    /// bytes whatever order they were added in: keys are sorted, entries numbered in key
    /// order.
    pub fn encode(self) -> Result<Vec<u8>, String> {
        let terms = self.map.len();
        // Sorted by the first eight bytes as one number, then the rest (most keys differ in
        // their first eight bytes: far fewer byte-string comparisons).
        let mut keys: Vec<(u64, String, Entry)> = self
            .map
            .into_iter()
            .map(|(k, e)| (prefix(k.as_bytes()), k, e))
            .collect();
        keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let mut classes: FxHashMap<[u32; ENTRY_WORDS], u32> = FxHashMap::default();
        let mut entries: Vec<[u32; ENTRY_WORDS]> = Vec::new();
        // Single-token words and their values; several-word terms and their entries.
        let mut words: Vec<(String, u32)> = Vec::with_capacity(keys.len());
        let mut phrases: Vec<(Vec<u8>, u32)> = Vec::new();
        let mut phrase_first: FxHashSet<String> = FxHashSet::default();
        for (_, k, e) in keys {
            let w = e.words();
            let idx = *classes.entry(w).or_insert_with(|| {
                entries.push(w);
                (entries.len() - 1) as u32
            });
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
                words.push((k, idx));
                continue;
            }
            let Some(first) = toks.first() else { continue };
            phrase_first.insert(k[first.start..first.end].to_string());
            // ASCII case folding of the keys and of the text stands for an ASCII-case-
            // insensitive search; é/É are not folded, so the upper-case spelling is added.
            if !k.is_ascii() {
                let up = k.to_uppercase();
                if up != k {
                    phrases.push((up.into_bytes().to_ascii_lowercase(), idx));
                }
            }
            phrases.push((k.into_bytes().to_ascii_lowercase(), idx));
        }
        if entries.len() >= crate::text::LEXICON_UNSET as usize {
            return Err(format!(
                "too many distinct dictionary entries ({})",
                entries.len()
            ));
        }
        // Two terms that fold to one key keep the first in key order (the stable sort keeps
        // the order of `keys`).
        phrases.sort_by(|a, b| a.0.cmp(&b.0));
        phrases.dedup_by(|b, a| a.0 == b.0);
        let fst = fst::Map::from_iter(phrases.into_iter().map(|(k, i)| (k, u64::from(i))))
            .map_err(|e| format!("cannot build the dictionary automaton: {e}"))?
            .into_fst()
            .into_inner();
        // One hash lookup per word of the text answers both questions: its entry, and
        // whether a several-word term may start there.
        // `words` is in key order; the words that start several-word terms are merged in.
        let mut firsts: Vec<String> = phrase_first.into_iter().collect();
        firsts.sort_unstable();
        let mut table: Vec<(String, u32)> = Vec::with_capacity(words.len() + firsts.len());
        let mut firsts = firsts.into_iter().peekable();
        for (k, v) in words {
            while let Some(f) = firsts.next_if(|f| *f < k) {
                table.push((f, NO_ENTRY | PHRASE_START));
            }
            let starts = firsts.next_if(|f| *f == k).is_some();
            table.push((k, if starts { v | PHRASE_START } else { v }));
        }
        table.extend(firsts.map(|f| (f, NO_ENTRY | PHRASE_START)));
        let n = table.len();
        if n >= (1 << 31) {
            return Err(format!("too many dictionary terms ({n})"));
        }
        let vocab: Vec<u32> = table
            .iter()
            .enumerate()
            .filter(|(_, (k, v))| {
                entries
                    .get((v & !PHRASE_START) as usize)
                    .is_some_and(|e| e[0] & flag::SAFE != 0)
                    && k.len() >= 4
                    && k.bytes().all(|b| b.is_ascii_lowercase())
            })
            .map(|(i, _)| i as u32)
            .collect();
        let shape = TableShape::for_keys(n);
        let mut slots = vec![0u32; 1 << shape.slot_bits];
        for (i, (k, _)) in table.iter().enumerate() {
            let h = hash(k.as_bytes());
            let mut s = shape.home(h);
            while slots[s] != 0 {
                s = (s + 1) & (slots.len() - 1);
            }
            slots[s] = shape.slot(h, i);
        }
        let mut out: Vec<u8> = Vec::new();
        let put = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
        let key_bytes: usize = table.iter().map(|(k, _)| k.len()).sum();
        let header = [
            MAGIC,
            u32::try_from(terms).map_err(|_| "too many terms".to_string())?,
            n as u32,
            entries.len() as u32,
            vocab.len() as u32,
            shape.slot_bits,
            shape.idx_bits,
            u32::try_from(key_bytes).map_err(|_| "dictionary keys too long".to_string())?,
            u32::try_from(fst.len()).map_err(|_| "dictionary automaton too big".to_string())?,
        ];
        for v in header {
            put(&mut out, v);
        }
        for &s in &slots {
            put(&mut out, s);
        }
        // A record per key, its offset among the key bytes and its value, and one more with
        // the end offset: a hit reads one record (and the next one's offset).
        let mut off = 0u32;
        for (k, v) in &table {
            put(&mut out, off);
            put(&mut out, *v);
            off += k.len() as u32;
        }
        put(&mut out, off);
        put(&mut out, 0);
        for &v in &vocab {
            put(&mut out, v);
        }
        for e in &entries {
            for &w in e {
                put(&mut out, w);
            }
        }
        for (k, _) in &table {
            out.extend_from_slice(k.as_bytes());
        }
        out.extend_from_slice(&fst);
        Ok(out)
    }
}

/// "DLX1": the first `u32` of a serialised lexicon.
const MAGIC: u32 = u32::from_le_bytes(*b"DLX1");
const HEADER_WORDS: usize = 9;

/// The hash table's size and how a slot packs a key number with a tag of its hash.
#[derive(Clone, Copy)]
struct TableShape {
    /// log2 of the number of slots (at least twice the number of keys).
    slot_bits: u32,
    /// Low bits of a slot holding the key number + 1 (0 = empty); the rest are a hash tag,
    /// so most probes of a wrong slot are rejected without reading its key.
    idx_bits: u32,
}

impl TableShape {
    fn for_keys(n: usize) -> TableShape {
        let slot_bits = ((n as u64 * 2).max(16))
            .next_power_of_two()
            .trailing_zeros();
        let need = 64 - (n as u64 + 1).leading_zeros();
        TableShape {
            slot_bits,
            idx_bits: need.max(24),
        }
    }

    fn home(self, h: u64) -> usize {
        (h & ((1u64 << self.slot_bits) - 1)) as usize
    }

    fn tag(self, h: u64) -> u32 {
        // The top bits of the hash (the slot number uses the bottom ones).
        if self.idx_bits >= 32 {
            0
        } else {
            (h >> (32 + self.idx_bits)) as u32
        }
    }

    fn slot(self, h: u64, key: usize) -> u32 {
        let key = key as u32 + 1;
        if self.idx_bits >= 32 {
            key
        } else {
            self.tag(h) << self.idx_bits | key
        }
    }

    fn key_of_slot(self, s: u32) -> (u32, usize) {
        if self.idx_bits >= 32 {
            (0, s as usize - 1)
        } else {
            (
                s >> self.idx_bits,
                (s & ((1 << self.idx_bits) - 1)) as usize - 1,
            )
        }
    }
}

/// The hash of a key (the same in the build script and the library: fixed 64-bit arithmetic,
/// not `usize`).
fn hash(key: &[u8]) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let mut h = key.len() as u64;
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = (h.rotate_left(23) ^ tail(rest)).wrapping_mul(K);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(K);
    h ^ (h >> 32)
}

/// The first eight bytes of `k` (zero-padded) as a big-endian number: ordering by it agrees
/// with ordering the byte strings.
fn prefix(k: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = k.len().min(8);
    w[..n].copy_from_slice(&k[..n]);
    u64::from_be_bytes(w)
}

/// Up to 8 bytes as a `u64` without a copy loop: two overlapping 4-byte words, or the first,
/// middle and last byte of a shorter slice, so that two slices of one length give the same
/// number only when they are equal.
fn tail(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 4 {
        let lo = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let hi = u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]);
        u64::from(lo) | u64::from(hi) << 32
    } else if n > 0 {
        u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16
    } else {
        0
    }
}

/// `a == b` for two slices of the same length, short ones (most words) compared as two
/// integers ([`tail`] keeps every byte of up to eight) instead of by a `memcmp` call.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() <= 8 {
        tail(a) == tail(b)
    } else {
        a == b
    }
}

/// A `u32` at byte `o` of `d` (0 past the end: the data are this module's own, so that does
/// not happen, but nothing here can panic on them).
fn le32(d: &[u8], o: usize) -> u32 {
    d.get(o..o + 4)
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map_or(0, u32::from_le_bytes)
}

/// A serialised lexicon, read in place.
pub(crate) struct Lexicon {
    data: Cow<'static, [u8]>,
    shape: TableShape,
    /// Byte offsets of the sections.
    slots: usize,
    /// Per key: (offset of its bytes, value), then the end offset.
    records: usize,
    vocab: usize,
    keys: usize,
    n_vocab: usize,
    /// Number of keys.
    n_keys: usize,
    /// Number of terms the lexicon was built from (for diagnostics).
    terms: usize,
    /// The distinct entries (decoded: callers borrow them).
    entries: Vec<Entry>,
    /// Several-word terms, ASCII lower-cased, each to its entry number.
    pub phrases: fst::Map<Cow<'static, [u8]>>,
}

impl Lexicon {
    /// Reads a lexicon made by [`LexiconBuilder::encode`].
    pub fn new(data: Cow<'static, [u8]>) -> Result<Lexicon, String> {
        let d: &[u8] = &data;
        let h: Vec<usize> = (0..HEADER_WORDS).map(|i| le32(d, 4 * i) as usize).collect();
        if d.len() < 4 * HEADER_WORDS || h[0] != MAGIC as usize {
            return Err("not a serialised lexicon".into());
        }
        let (terms, n, n_entries, n_vocab) = (h[1], h[2], h[3], h[4]);
        let shape = TableShape {
            slot_bits: h[5] as u32,
            idx_bits: h[6] as u32,
        };
        let (key_bytes, fst_len) = (h[7], h[8]);
        if shape.slot_bits > 32 || shape.idx_bits > 32 {
            return Err("serialised lexicon of an unknown shape".into());
        }
        let slots = 4 * HEADER_WORDS;
        let records = slots + 4 * (1usize << shape.slot_bits);
        let vocab = records + 8 * (n + 1);
        let entries_at = vocab + 4 * n_vocab;
        let keys = entries_at + 4 * ENTRY_WORDS * n_entries;
        let fst_at = keys + key_bytes;
        if d.len() != fst_at + fst_len {
            return Err("serialised lexicon of the wrong size".into());
        }
        let entries = (0..n_entries)
            .map(|i| {
                let mut w = [0u32; ENTRY_WORDS];
                for (j, x) in w.iter_mut().enumerate() {
                    *x = le32(d, entries_at + 4 * (ENTRY_WORDS * i + j));
                }
                Entry::from_words(w)
            })
            .collect();
        let fst_bytes: Cow<'static, [u8]> = match &data {
            Cow::Borrowed(s) => Cow::Borrowed(&s[fst_at..]),
            Cow::Owned(v) => Cow::Owned(v[fst_at..].to_vec()),
        };
        let phrases =
            fst::Map::new(fst_bytes).map_err(|e| format!("bad dictionary automaton: {e}"))?;
        Ok(Lexicon {
            data,
            shape,
            slots,
            records,
            vocab,
            keys,
            n_vocab,
            n_keys: n,
            terms,
            entries,
            phrases,
        })
    }

    /// The bytes of key number `i`.
    fn key(&self, i: usize) -> &[u8] {
        let d: &[u8] = &self.data;
        let a = le32(d, self.records + 8 * i) as usize;
        let b = le32(d, self.records + 8 * i + 8) as usize;
        d.get(self.keys + a..self.keys + b).unwrap_or(&[])
    }

    /// The value of a lower-cased word (entry number, [`NO_ENTRY`], [`PHRASE_START`]).
    pub fn get(&self, key: &[u8]) -> Option<u32> {
        let d: &[u8] = &self.data;
        let h = hash(key);
        let tag = self.shape.tag(h);
        let mask = (1usize << self.shape.slot_bits) - 1;
        let mut s = self.shape.home(h);
        loop {
            let v = le32(d, self.slots + 4 * s);
            if v == 0 {
                return None;
            }
            let (t, i) = self.shape.key_of_slot(v);
            if t == tag {
                let r = self.records + 8 * i;
                let a = self.keys + le32(d, r) as usize;
                let b = self.keys + le32(d, r + 8) as usize;
                if b.wrapping_sub(a) == key.len() && d.get(a..b).is_some_and(|k| same(k, key)) {
                    return Some(le32(d, r + 4));
                }
            }
            s = (s + 1) & mask;
        }
    }

    /// A [`KeyFilter`] of the keys whose value `keep` accepts.
    pub fn key_filter(&self, keep: impl Fn(u32) -> bool) -> KeyFilter {
        let d: &[u8] = &self.data;
        let mut longest = 0;
        let hashes: Vec<u64> = (0..self.n_keys)
            .filter(|&i| keep(le32(d, self.records + 8 * i + 4)))
            .map(|i| {
                longest = longest.max(self.key(i).len());
                hash(self.key(i))
            })
            .collect();
        KeyFilter::new(&hashes, longest)
    }

    /// The entry with number `i`.
    pub fn entry(&self, i: u32) -> &Entry {
        self.entries.get(i as usize).unwrap_or(&EMPTY)
    }

    /// Number of terms the lexicon was built from.
    pub fn terms(&self) -> usize {
        self.terms
    }

    /// Is `w` a strict prefix of a safe-list word (four or more lower-case ASCII letters) at
    /// least two letters longer?
    pub fn clipped_safe_word(&self, w: &[u8]) -> bool {
        let word = |j: usize| self.key(le32(&self.data, self.vocab + 4 * j) as usize);
        // The first safe-list word not below `w`.
        let (mut lo, mut hi) = (0, self.n_vocab);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if word(mid) < w {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo..self.n_vocab)
            .map(word)
            .take_while(|v| v.starts_with(w))
            .any(|v| v.len() >= w.len() + 2)
    }
}

/// A Bloom filter of some of a lexicon's keys: a blocked one, three bits per key in one
/// 64-bit word picked by the low bits of the lexicon's own [`hash`], the bits by its high
/// ones, in a table of 16 bits per key or more (about one other word in a hundred passes).
/// It says "certainly not" from one cache line, without probing the lexicon's hash table,
/// whose slots and key bytes (megabytes) cost a cache miss or two a probe: the lookups of the
/// hundreds of one-letter variants of each unknown word were most of
/// `Dictionaries::clinical_shape`'s time.
pub(crate) struct KeyFilter {
    words: Vec<u64>,
    mask: u64,
    /// Length in bytes of the longest key: a longer word is none of them, and a word more
    /// than one letter longer is not one edit away from any (so a 20 KB run of letters is
    /// not tried in 20,000 x 26 variants of 20 KB each).
    longest: usize,
}

impl KeyFilter {
    fn new(hashes: &[u64], longest: usize) -> KeyFilter {
        let n = (hashes.len() as u64 / 4).max(64).next_power_of_two();
        let mut f = KeyFilter {
            words: vec![0; n as usize],
            mask: n - 1,
            longest,
        };
        for &h in hashes {
            let (w, bits) = f.place(h);
            f.words[w] |= bits;
        }
        f
    }

    /// The word and the bits of hash `h`.
    fn place(&self, h: u64) -> (usize, u64) {
        let bit = |shift: u32| 1u64 << ((h >> shift) & 63);
        ((h & self.mask) as usize, bit(40) | bit(46) | bit(52))
    }

    /// Length in bytes of the longest key.
    pub fn longest(&self) -> usize {
        self.longest
    }

    /// False when `key` is certainly not one of the filter's keys.
    pub fn may_contain(&self, key: &[u8]) -> bool {
        if key.len() > self.longest {
            return false;
        }
        let (w, bits) = self.place(hash(key));
        self.words[w] & bits == bits
    }
}

//! Surrogates: realistic replacements of the same category and shape, chosen by HMAC-SHA256
//! with the user's secret so that the same input maps to the same output across a corpus, and
//! nobody without the secret can run a dictionary attack on the mapping.

use super::keyed;
use crate::category::Category;

/// Replacement vocabularies, taken from the most frequent entries of the dictionaries.
#[derive(Clone, Debug, Default)]
pub struct SurrogatePools {
    /// Every known first name (lower case) that is more common as a first name than as a
    /// surname: a lone "Marisol" is replaced like the first word of "Marisol Ibarra".
    pub(crate) first_names: std::collections::HashSet<String>,
    pub(crate) first: Vec<String>,
    pub(crate) last: Vec<String>,
    pub(crate) cities: Vec<String>,
    pub(crate) states: Vec<String>,
}

const TITLES: &[&str] = &[
    "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "rev", "fr", "sr", "jr",
];
const STREET_SUFFIXES: &[&str] = &[
    "Street", "Avenue", "Road", "Lane", "Drive", "Court", "Way", "Place",
];

/// A keyed byte stream for one (category, original) pair: block 0 is the HMAC of the pair,
/// later blocks the HMAC of a round counter under block 0, so long inputs cost linear time.
struct Stream {
    bytes: [u8; 32],
    pos: usize,
    key: [u8; 32],
    round: u32,
}

impl Stream {
    fn new(secret: &[u8], category: Category, original: &str) -> Self {
        let seed = [
            category.label().as_bytes(),
            b":",
            original.to_lowercase().as_bytes(),
        ]
        .concat();
        let key = keyed(secret, &[&seed]);
        Stream {
            bytes: key,
            pos: 0,
            key,
            round: 0,
        }
    }

    fn next_u32(&mut self) -> u32 {
        if self.pos + 4 > 32 {
            self.round += 1;
            self.bytes = keyed(&self.key, &[&self.round.to_le_bytes()]);
            self.pos = 0;
        }
        let v = u32::from_le_bytes(
            self.bytes[self.pos..self.pos + 4]
                .try_into()
                .expect("4 bytes"),
        );
        self.pos += 4;
        v
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.next_u32() as usize % n
        }
    }
}

/// Writes `word` in the letter case of `like` (ALL CAPS, lower, or as is).
fn same_case(word: &str, like: &str) -> String {
    let letters: Vec<char> = like.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        word.to_uppercase()
    } else if !letters.is_empty() && letters.iter().all(|c| c.is_lowercase()) {
        word.to_lowercase()
    } else {
        word.to_string()
    }
}

/// Same shape: digits → keyed digits, letters → keyed letters of the same case, the rest kept.
fn reshape(secret: &[u8], category: Category, original: &str) -> String {
    let mut s = Stream::new(secret, category, original);
    original
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                (b'0' + s.below(10) as u8) as char
            } else if c.is_ascii_uppercase() {
                (b'A' + s.below(26) as u8) as char
            } else if c.is_ascii_lowercase() {
                (b'a' + s.below(26) as u8) as char
            } else {
                c
            }
        })
        .collect()
}

impl SurrogatePools {
    fn pick<'a>(
        &'a self,
        list: &'a [String],
        secret: &[u8],
        category: Category,
        key: &str,
    ) -> &'a str {
        if list.is_empty() {
            return "Alex";
        }
        let mut s = Stream::new(secret, category, key);
        &list[s.below(list.len())]
    }

    fn name(&self, secret: &[u8], original: &str) -> String {
        // Keep titles and punctuation, replace each name word: the first of several by a first
        // name, the others by surnames; a lone word by a surname. Each word is keyed alone, so
        // "Mr. Lee" and "Daniel Lee" get the same surname.
        let words: Vec<(usize, &str)> = original
            .split_inclusive(|c: char| c.is_whitespace() || c == '-' || c == ',')
            .scan(0usize, |pos, w| {
                let at = *pos;
                *pos += w.len();
                Some((at, w))
            })
            .collect();
        let is_title = |w: &str| {
            TITLES.contains(
                &w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
                    .as_str(),
            )
        };
        let name_words: Vec<usize> = (0..words.len())
            .filter(|&i| {
                let core = words[i].1.trim_matches(|c: char| !c.is_alphanumeric());
                !core.is_empty() && !is_title(words[i].1)
            })
            .collect();
        let mut out = String::with_capacity(original.len() + 8);
        for (i, (_, w)) in words.iter().enumerate() {
            let core_start = w.find(|c: char| c.is_alphanumeric());
            let Some(cs) = core_start else {
                out.push_str(w);
                continue;
            };
            let core_end = w
                .rfind(|c: char| c.is_alphanumeric())
                .map(|e| e + w[e..].chars().next().map_or(1, char::len_utf8))
                .unwrap_or(w.len());
            let core = &w[cs..core_end];
            if is_title(w) || core.chars().count() == 1 {
                // Titles stay; initials become a keyed initial.
                if core.chars().count() == 1 && !is_title(w) {
                    let r = reshape(secret, Category::Name, core);
                    out.push_str(&w[..cs]);
                    out.push_str(&r.to_uppercase());
                    out.push_str(&w[core_end..]);
                } else {
                    out.push_str(w);
                }
                continue;
            }
            let first_of_several = name_words.len() > 1 && name_words.first() == Some(&i);
            let lone_first =
                name_words.len() == 1 && self.first_names.contains(&core.to_lowercase());
            let list = if first_of_several || lone_first {
                &self.first
            } else {
                &self.last
            };
            let pick = self.pick(list, secret, Category::Name, &core.to_lowercase());
            out.push_str(&w[..cs]);
            out.push_str(&same_case(pick, core));
            out.push_str(&w[core_end..]);
        }
        out
    }

    /// The surrogate for `original` of `category`.
    pub(crate) fn surrogate(&self, secret: &[u8], category: Category, original: &str) -> String {
        match category {
            Category::Name => self.name(secret, original),
            Category::City | Category::Location => same_case(
                self.pick(&self.cities, secret, category, original),
                original,
            ),
            Category::State => {
                if original.chars().count() == 2 {
                    reshape(secret, category, original)
                } else {
                    same_case(
                        self.pick(&self.states, secret, category, original),
                        original,
                    )
                }
            }
            Category::Email => {
                let mut s = Stream::new(secret, category, original);
                let f = &self
                    .first
                    .get(s.below(self.first.len().max(1)))
                    .map_or("user", |s| s.as_str())
                    .to_lowercase();
                let l = &self
                    .last
                    .get(s.below(self.last.len().max(1)))
                    .map_or("name", |s| s.as_str())
                    .to_lowercase();
                format!("{f}.{l}@example.org")
            }
            Category::Url => {
                let mut s = Stream::new(secret, category, original);
                format!("https://example.org/{:08x}", s.next_u32())
            }
            Category::IpAddress => {
                let mut s = Stream::new(secret, category, original);
                if original.contains(':') {
                    format!("2001:db8::{:x}", s.next_u32() & 0xffff)
                } else {
                    // TEST-NET-3, reserved for documentation.
                    format!("203.0.113.{}", 1 + s.below(254))
                }
            }
            Category::Age => "90+".to_string(),
            Category::SocialHandle => {
                let mut s = Stream::new(secret, category, original);
                format!("@user{:06}", s.next_u32() % 1_000_000)
            }
            Category::StreetAddress => {
                let mut s = Stream::new(secret, category, original);
                let number = 100 + s.below(9800);
                let street = self
                    .pick(&self.last, secret, category, original)
                    .to_string();
                let suffix = STREET_SUFFIXES[s.below(STREET_SUFFIXES.len())];
                same_case(&format!("{number} {street} {suffix}"), original)
            }
            Category::Organization => {
                // Keep the last word (Hospital, School, Logistics) and replace the rest.
                let last_word = original.rsplit(' ').next().unwrap_or(original);
                let name = self.pick(&self.last, secret, category, original);
                if last_word.len() < original.len() {
                    same_case(&format!("{name} {last_word}"), original)
                } else {
                    same_case(name, original)
                }
            }
            // Numbers and codes: same shape, keyed characters.
            _ => reshape(secret, category, original),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pools() -> SurrogatePools {
        SurrogatePools {
            first_names: ["marisol".to_string()].into_iter().collect(),
            first: vec!["Ann".into(), "Bo".into(), "Cy".into()],
            last: vec!["Dunn".into(), "Eck".into(), "Fox".into(), "Gray".into()],
            cities: vec!["Hilo".into()],
            states: vec!["Iowa".into()],
        }
    }

    #[test]
    fn names_keep_shape_and_consistency() {
        let p = pools();
        let a = p.surrogate(b"s", Category::Name, "Mr. Lee");
        let b = p.surrogate(b"s", Category::Name, "Daniel Lee");
        assert!(a.starts_with("Mr. "));
        assert_eq!(a.rsplit(' ').next(), b.rsplit(' ').next());
        assert_eq!(
            p.surrogate(b"s", Category::Name, "DANIEL LEE"),
            b.to_uppercase()
        );
        assert_ne!(a, "Mr. Lee");
    }

    #[test]
    fn lone_first_names_match_full_names() {
        let p = pools();
        let full = p.surrogate(b"s", Category::Name, "Marisol Ibarra");
        let lone = p.surrogate(b"s", Category::Name, "Marisol");
        assert_eq!(full.split(' ').next(), Some(lone.as_str()));
    }

    #[test]
    fn long_inputs_take_linear_time() {
        let p = pools();
        let long = "7".repeat(200_000);
        let t = std::time::Instant::now();
        let s = p.surrogate(b"s", Category::Id, &long);
        assert_eq!(s.len(), long.len());
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn codes_keep_format() {
        let p = pools();
        let s = p.surrogate(b"s", Category::Phone, "(617) 555-0134");
        assert_eq!(s.len(), 14);
        assert_eq!(&s[0..1], "(");
        assert_eq!(&s[9..10], "-");
        assert_eq!(s, p.surrogate(b"s", Category::Phone, "(617) 555-0134"));
        assert_ne!(s, p.surrogate(b"t", Category::Phone, "(617) 555-0134"));
    }
}

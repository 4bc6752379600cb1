//! Text helpers: word tokens with their letter case, line case modes, and byte ↔ code-point
//! offset maps.

/// How far [`line_start`] and [`line_end`] look for the ends of a line.
const MAX_LINE: usize = 4096;

/// The last character boundary at or before byte `i`.
pub(crate) fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The first character boundary at or after byte `i` (the text's end at most).
pub(crate) fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// The start of the line holding `pos`: just after the last newline before it, or the start
/// of the text; or, when the line began more than [`MAX_LINE`] bytes before `pos`, the first
/// character boundary that far back. A step that asks this of every span or mention of a
/// text with no newlines then reads a bounded stretch each time, not back to the start.
pub(crate) fn line_start(text: &str, pos: usize) -> usize {
    let lo = ceil_boundary(text, pos.saturating_sub(MAX_LINE));
    text[lo..pos].rfind('\n').map_or(lo, |i| lo + i + 1)
}

/// The end of the line holding `pos` (its newline, or the end of the text), or the last
/// character boundary [`MAX_LINE`] bytes after `pos` when the line goes on further.
pub(crate) fn line_end(text: &str, pos: usize) -> usize {
    let hi = floor_boundary(text, (pos + MAX_LINE).min(text.len()));
    text[pos..hi].find('\n').map_or(hi, |i| pos + i)
}

/// The letter case shape of a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `smith`
    Lower,
    /// `SMITH` (or a single capital letter)
    Upper,
    /// `Smith`, `McDonald`, `O'Brien`
    Title,
    /// `iPhone`, `sMITH`
    Mixed,
}

/// How a line is cased, which decides whether capitals say anything about names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineCase {
    /// Ordinary mixed-case prose: a capital letter is evidence.
    Mixed,
    /// ALL CAPS: every word is capitalised, so capitals say nothing.
    Upper,
    /// all lower case: nothing is capitalised.
    Lower,
}

/// A word: a run of letters, with inner apostrophes (`O'Brien`), marks and digits glued to
/// letters (`PHQ9` stays one token).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub shape: Shape,
    pub case: LineCase,
    /// The token starts a sentence (first on its line, or after `.`, `!`, `?`, `:`).
    pub sentence_start: bool,
    /// The lower-cased word's value in the dictionaries' lexicon, looked up once for every
    /// stage that reads it (`Dictionaries::look_up_tokens`); [`LEXICON_UNSET`] until then.
    pub lexicon: u32,
}

/// [`Token::lexicon`] of a token not looked up yet (no value of the lexicon has it: see
/// `detect/lexicon.rs`).
pub(crate) const LEXICON_UNSET: u32 = 0x7FFF_FFFE;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && is_mark(c))
}

fn is_mark(c: char) -> bool {
    // Combining diacritical marks (decomposed accents).
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

fn shape_of(word: &str) -> Shape {
    let mut upper = 0usize;
    let mut lower = 0usize;
    let mut first_upper = false;
    for (i, c) in word.chars().enumerate() {
        if c.is_uppercase() {
            upper += 1;
            if i == 0 {
                first_upper = true;
            }
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    if upper == 0 {
        Shape::Lower
    } else if lower == 0 {
        Shape::Upper
    } else if first_upper && (upper == 1 || upper == 2 && lower > upper) {
        Shape::Title
    } else {
        Shape::Mixed
    }
}

/// Splits `text` into word tokens (letters, with digits glued on) and decides each line's case.
/// Tokens that contain no letter (pure numbers) are skipped.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let bytes = text.as_bytes();
    let mut line_start_tok = 0usize;
    let (mut up, mut low) = (0usize, 0usize);
    let mut i = 0usize;
    let mut sentence_start = true;
    // Per line: (first token, up, low); decided after the whole text is seen, because a short
    // line ("PT TOL PO.") takes the case of the document around it.
    let mut lines: Vec<(usize, usize, usize)> = Vec::new();
    let finish_line =
        |lines: &mut Vec<(usize, usize, usize)>, from: usize, up: usize, low: usize| {
            lines.push((from, up, low));
        };
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                // ASCII fast path for the word; falls into the general path on non-ASCII.
            } else {
                match b {
                    b'\n' => {
                        finish_line(&mut lines, line_start_tok, up, low);
                        line_start_tok = tokens.len();
                        up = 0;
                        low = 0;
                        sentence_start = true;
                    }
                    // A dot after an initial or a title abbreviation ("D. Phyl", "Dr. Roe")
                    // does not end a sentence.
                    b'.' if tokens.last().is_some_and(|t: &Token| {
                        t.end == i && {
                            let w = &text[t.start..t.end];
                            (w.len() == 1 && t.shape == Shape::Upper)
                                || matches!(
                                    w,
                                    "Dr" | "DR"
                                        | "Mr"
                                        | "MR"
                                        | "Mrs"
                                        | "MRS"
                                        | "Ms"
                                        | "MS"
                                        | "St"
                                        | "ST"
                                        | "Jr"
                                        | "Sr"
                                        | "Prof"
                                        | "Rev"
                                        | "Fr"
                                )
                        }
                    }) => {}
                    b'.' | b'!' | b'?' | b':' | b';' | b'|' | b'\t' => sentence_start = true,
                    // Two spaces separate form fields ("Date: 5/6/24   Client: EO").
                    b' ' if bytes.get(i + 1) == Some(&b' ') => sentence_start = true,
                    _ => {}
                }
                i += 1;
                continue;
            }
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if !is_word_char(c) {
            i += c.len_utf8();
            continue;
        }
        // A word starts here.
        let start = i;
        let mut has_letter = false;
        let mut j = i;
        let (mut w_up, mut w_low) = (0usize, 0usize);
        let mut w_digit = false;
        loop {
            // ASCII fast path.
            if let Some(&b) = bytes.get(j) {
                if b.is_ascii_alphanumeric() {
                    w_digit |= b.is_ascii_digit();
                    if b.is_ascii_uppercase() {
                        has_letter = true;
                        w_up += 1;
                    } else if b.is_ascii_lowercase() {
                        has_letter = true;
                        w_low += 1;
                    }
                    j += 1;
                    continue;
                }
            }
            let Some(c) = text[j..].chars().next() else {
                break;
            };
            if is_word_char(c) {
                if c.is_alphabetic() {
                    has_letter = true;
                    if c.is_uppercase() {
                        w_up += 1;
                    } else if c.is_lowercase() {
                        w_low += 1;
                    }
                }
                j += c.len_utf8();
                continue;
            }
            // Inner apostrophe followed by a letter, but not a possessive 's at the end.
            if matches!(c, '\'' | '’') {
                let after = &text[j + c.len_utf8()..];
                let mut it = after.chars();
                let n1 = it.next();
                let n2 = it.next();
                let possessive =
                    matches!(n1, Some('s' | 'S')) && !n2.is_some_and(char::is_alphanumeric);
                if n1.is_some_and(char::is_alphabetic) && !possessive {
                    j += c.len_utf8();
                    continue;
                }
            }
            break;
        }
        // A word with a digit is a code, whatever its case ("nhi ZHK4271, gp is dr amarjit
        // dhami" is a lower-case line): its letters do not count towards the line's case.
        if !w_digit {
            up += w_up;
            low += w_low;
        }
        if has_letter {
            let word = &text[start..j];
            let first_upper = bytes[start].is_ascii_uppercase();
            let shape = if word.is_ascii() {
                match (w_up, w_low) {
                    (0, _) => Shape::Lower,
                    (_, 0) => Shape::Upper,
                    // "ABGs", "IVs": capitals outnumber the rest, an acronym, not a name.
                    _ if first_upper && (w_up == 1 || w_up == 2 && w_low > w_up) => Shape::Title,
                    _ => Shape::Mixed,
                }
            } else {
                shape_of(word)
            };
            tokens.push(Token {
                start,
                end: j,
                shape,
                case: LineCase::Mixed,
                sentence_start,
                lexicon: LEXICON_UNSET,
            });
        }
        sentence_start = false;
        // Skip a possessive 's right after the word.
        if let Some(rest) = text[j..]
            .strip_prefix('\'')
            .or_else(|| text[j..].strip_prefix('’'))
        {
            if rest.starts_with(['s', 'S']) && !rest[1..].starts_with(char::is_alphanumeric) {
                i = text.len() - rest.len() + 1;
                continue;
            }
        }
        i = j;
    }
    finish_line(&mut lines, line_start_tok, up, low);
    let classify = |up: usize, low: usize, min: usize| {
        let letters = up + low;
        if letters >= min && low * 100 <= letters * 10 {
            LineCase::Upper
        } else if letters >= min && up * 100 <= letters * 3 {
            LineCase::Lower
        } else {
            LineCase::Mixed
        }
    };
    let (doc_up, doc_low) = lines
        .iter()
        .fold((0, 0), |(u, l), &(_, a, b)| (u + a, l + b));
    let doc_case = classify(doc_up, doc_low, 40);
    for (k, &(from, up, low)) in lines.iter().enumerate() {
        let to = lines.get(k + 1).map_or(tokens.len(), |l| l.0);
        let case = if up + low >= 12 {
            classify(up, low, 12)
        } else {
            doc_case
        };
        if case == LineCase::Mixed {
            continue;
        }
        for t in &mut tokens[from..to] {
            // On an all-lower-case line a capitalised word still stands out, and so does a
            // title-case word on an ALL-CAPS line.
            let stands_out = match case {
                LineCase::Lower => t.shape != Shape::Lower,
                LineCase::Upper => matches!(t.shape, Shape::Title | Shape::Mixed),
                LineCase::Mixed => false,
            };
            if !stands_out {
                t.case = case;
            }
        }
    }
    tokens
}

/// Maps byte offsets of one text to Unicode code-point offsets (what Python and BRAT count).
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// For non-ASCII text: code-point index at every char-boundary byte; empty when ASCII.
    table: Vec<u32>,
}

impl OffsetMap {
    /// Builds the map for `text` (free for ASCII text).
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return OffsetMap { table: Vec::new() };
        }
        let mut table = vec![0u32; text.len() + 1];
        let mut n = 0u32;
        for (b, c) in text.char_indices() {
            for k in 0..c.len_utf8() {
                table[b + k] = n;
            }
            n += 1;
        }
        table[text.len()] = n;
        OffsetMap { table }
    }

    /// The code-point offset of byte offset `b` (which must be a char boundary).
    pub fn char_offset(&self, b: usize) -> usize {
        if self.table.is_empty() {
            b
        } else {
            self.table[b] as usize
        }
    }
}

/// "awaiting", "SEEKING": a word of six letters or more ending in "ing" after a vowel
/// somewhere in its stem (not "thing", "spring").
pub(crate) fn participle(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 6
        && b.is_ascii()
        && b[b.len() - 3..].eq_ignore_ascii_case(b"ing")
        && b[..b.len() - 3].iter().any(|c| {
            matches!(
                c.to_ascii_lowercase(),
                b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
            )
        })
}

/// Shaped like a verb in the past tense ("refused", "went", "rang"): a finite verb shape
/// ([`is_finite_verb`]: an irregular past or a word in -ed) that is no present in -s.
pub(crate) fn past_tense(w: &str) -> bool {
    is_finite_verb(w) && !w.ends_with(['s', 'S'])
}

/// A word that looks like a finite verb after a subject: "found", "reports", "went". Modals
/// and base forms ("will follow", "may benefit") do not count.
pub(crate) fn is_finite_verb(w: &str) -> bool {
    const IRREGULAR: &[&str] = &[
        "is",
        "was",
        "has",
        "had",
        "went",
        "came",
        "said",
        "found",
        "felt",
        "got",
        "made",
        "took",
        "told",
        "began",
        "left",
        "ran",
        "saw",
        "knew",
        "thought",
        "brought",
        "gave",
        "kept",
        "spent",
        "sat",
        "stood",
        "wrote",
        "spoke",
        "met",
        "lost",
        "won",
        "drove",
        "chose",
        "became",
        "did",
        "does",
        "cried",
        "agreed",
        "denied",
        "disclosed",
        "shared",
        "rang",
        "heard",
        "paid",
        "sent",
        "bought",
        "fell",
        "rode",
        "sold",
        "threw",
        "slept",
        "swam",
        "wore",
        "ate",
        "drank",
    ];
    // Lower-case into a stack buffer: this runs for many words of every note.
    if w.len() > 32 || !w.is_ascii() {
        return false;
    }
    let mut buf = [0u8; 32];
    let l = &mut buf[..w.len()];
    l.copy_from_slice(w.as_bytes());
    l.make_ascii_lowercase();
    let l = std::str::from_utf8(l).unwrap_or("");
    if IRREGULAR.contains(&l) {
        return true;
    }
    let n = l.len();
    n >= 4
        && l.bytes().all(|b| b.is_ascii_lowercase())
        && (l.ends_with("ed") && !l.ends_with("eed")
            || (l.ends_with('s') && !l.ends_with("ss") && !l.ends_with("us") && !l.ends_with("is")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_are_found_within_bounds_and_on_char_boundaries() {
        let text = "Client: seen\ntoday at clinic\n";
        // (position, line start, line end)
        for (pos, start, end) in [
            (0, 0, 12),
            (8, 0, 12),
            (12, 0, 12),
            (13, 13, 28),
            (20, 13, 28),
        ] {
            assert_eq!(line_start(text, pos), start, "{pos}");
            assert_eq!(line_end(text, pos), end, "{pos}");
        }
        // A line longer than MAX_LINE: read at most that far, stopping on a char boundary
        // (each "é" is two bytes, so MAX_LINE back from an odd position splits one).
        let long = "é".repeat(MAX_LINE) + "x";
        let pos = long.len() - 1;
        let s = line_start(&long, pos);
        assert!(long.is_char_boundary(s) && pos - s <= MAX_LINE && s > 0);
        let e = line_end(&long, 1 + 1);
        assert!(long.is_char_boundary(e) && e - 2 <= MAX_LINE && e < long.len());
        assert_eq!(line_end(&long, long.len()), long.len());
        assert_eq!(floor_boundary("aé", 2), 1);
        assert_eq!(ceil_boundary("aé", 2), 3);
    }

    fn words(t: &str) -> Vec<&str> {
        tokenize(t).iter().map(|k| &t[k.start..k.end]).collect()
    }

    #[test]
    fn words_and_apostrophes() {
        assert_eq!(
            words("O'Brien's cat, Mary-Jane; PHQ9 14"),
            vec!["O'Brien", "cat", "Mary", "Jane", "PHQ9"]
        );
        assert_eq!(words("Zoë and Łukasz"), vec!["Zoë", "and", "Łukasz"]);
        assert_eq!(words("José"), vec!["José"]);
    }

    #[test]
    fn line_cases() {
        let t = tokenize(
            "PT SEEN BY HEALEY TODAY\nseen by healey today in clinic\nSeen by Healey today",
        );
        assert_eq!(t[0].case, LineCase::Upper);
        assert_eq!(t[5].case, LineCase::Lower);
        assert_eq!(t[11].case, LineCase::Mixed);
        assert!(t[0].sentence_start && t[5].sentence_start && !t[6].sentence_start);
    }

    #[test]
    fn offsets() {
        let t = "aé€b";
        let m = OffsetMap::new(t);
        assert_eq!(m.char_offset(0), 0);
        assert_eq!(m.char_offset(1), 1);
        assert_eq!(m.char_offset(3), 2);
        assert_eq!(m.char_offset(6), 3);
        assert_eq!(m.char_offset(7), 4);
    }
}

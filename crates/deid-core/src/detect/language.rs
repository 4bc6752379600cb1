//! Passages in another language: a sentence of Spanish, French, Welsh, Māori or Irish in an
//! English note is not a run of names. Its commonest words (`other_language_words` in
//! `rules/names.toml`: "Su", "Elle", "fod") are taken off the ends of name and place
//! candidates inside it, and candidates made only of them are dropped; the names, numbers,
//! dates and places in the passage are kept.

use super::dictionary::{Dictionaries, WordSet};
use super::Candidate;
use crate::category::Category;

/// A sentence this long (in words) or longer can be told to be in another language.
const MIN_WORDS: usize = 4;

/// The words of `text` as byte ranges: runs of letters, apostrophes and hyphens inside a word.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let inside = c.is_alphabetic() || (matches!(c, '\'' | '’' | '-') && start.is_some());
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The sentences of `text` (split at `.`, `!`, `?`, `;`, `:` and line ends) with the language
/// each is in, when it is one of `langs` rather than English: a sentence of at least
/// [`MIN_WORDS`] words whose commonest-word hits in that language are at least two, at least
/// three in ten of its words, and more than its English function words.
/// Only sentences that hold one of `within` (sorted byte ranges: the candidates the caller
/// may trim) are looked at; the others cannot change the result.
fn other_language_sentences<'d>(
    text: &str,
    english: &WordSet,
    langs: &'d [(Box<str>, WordSet)],
    within: &[(usize, usize)],
) -> Vec<(usize, usize, &'d WordSet)> {
    let mut out = Vec::new();
    let mut s0 = 0;
    let mut next = 0;
    let bytes = text.as_bytes();
    for i in 0..=bytes.len() {
        let at_end =
            i == bytes.len() || matches!(bytes[i], b'.' | b'!' | b'?' | b';' | b':' | b'\n');
        if !at_end {
            continue;
        }
        while within.get(next).is_some_and(|&(s, _)| s < s0) {
            next += 1;
        }
        if !within
            .get(next..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(s, _)| s <= i)
            .any(|&(_, e)| e <= i)
        {
            s0 = i + 1;
            continue;
        }
        let sentence = &text[s0..i];
        let ws = words(sentence);
        if ws.len() >= MIN_WORDS {
            let english_hits = ws
                .iter()
                .filter(|&&(a, b)| english.contains(&sentence[a..b]))
                .count();
            let best = langs
                .iter()
                .map(|(_, set)| {
                    let hits = ws
                        .iter()
                        .filter(|&&(a, b)| set.contains(&sentence[a..b]))
                        .count();
                    (hits, set)
                })
                .max_by_key(|&(hits, _)| hits);
            if let Some((hits, set)) = best {
                if hits >= 2 && hits * 10 >= ws.len() * 3 && hits > english_hits {
                    out.push((s0, i, set));
                }
            }
        }
        s0 = i + 1;
    }
    out
}

/// Trims the other language's common words off the ends of the name and place candidates in
/// sentences of another language, and drops candidates with nothing left.
pub(crate) fn drop_other_language_words(
    text: &str,
    dicts: &Dictionaries,
    cands: &mut Vec<Candidate>,
) {
    let langs = &dicts.names.other_languages;
    if langs.is_empty() || text.is_ascii() && !has_other_language_hint(text) {
        return;
    }
    let mut within: Vec<(usize, usize)> = cands
        .iter()
        .filter(|c| trimmable(c.category))
        .map(|c| (c.start, c.end))
        .collect();
    if within.is_empty() {
        return;
    }
    within.sort_unstable();
    let sentences = other_language_sentences(text, &dicts.names.function_words, langs, &within);
    if sentences.is_empty() {
        return;
    }
    cands.retain_mut(|c| {
        if !trimmable(c.category) {
            return true;
        }
        // The sentences are in order and disjoint: the one starting last at or before the
        // candidate is the only one that can hold it.
        let i = sentences.partition_point(|&(s, _, _)| s <= c.start);
        let Some(&(_, _, set)) = i
            .checked_sub(1)
            .and_then(|i| sentences.get(i))
            .filter(|&&(_, e, _)| c.end <= e)
        else {
            return true;
        };
        let ws = words(&text[c.start..c.end]);
        let keep: Vec<&(usize, usize)> = ws
            .iter()
            .skip_while(|&&(a, b)| set.contains(&text[c.start + a..c.start + b]))
            .collect();
        let keep: Vec<&(usize, usize)> = keep
            .into_iter()
            .rev()
            .skip_while(|&&(a, b)| set.contains(&text[c.start + a..c.start + b]))
            .collect();
        match (keep.last(), keep.first()) {
            (Some(&&(a, _)), Some(&&(_, b))) => {
                let base = c.start;
                c.start = base + a;
                c.end = base + b;
                true
            }
            _ => false,
        }
    });
}

/// The categories whose candidates a passage in another language can trim or drop.
fn trimmable(category: Category) -> bool {
    matches!(
        category,
        Category::Name | Category::Location | Category::City | Category::Organization
    )
}

/// An ASCII-only text can still be Spanish, French or Welsh without accents; this cheap check
/// (a space-delimited common function word of those languages) keeps English-only notes from
/// paying for the sentence split.
fn has_other_language_hint(text: &str) -> bool {
    [
        " el ", " la ", " que ", " y ", " les ", " est ", " yn ", " ki ", " te ", " agus ",
    ]
    .iter()
    .any(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use crate::Deidentifier;

    fn found(text: &str) -> Vec<String> {
        let d = Deidentifier::builder().build().unwrap();
        d.detect(text)
            .into_iter()
            .filter(|s| s.kind == crate::Kind::Direct)
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn common_words_of_a_passage_are_not_names_but_its_names_are() {
        // (text, spans that must be found, words that must not be a span); invented.
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "Su esposo, Anselmo Quiroga, trabaja en la construcción en Tucson.",
                &["Anselmo Quiroga"],
                &["Su"],
            ),
            (
                "Elle a dit que son fils Thibault va à l'école depuis septembre.",
                &["Thibault"],
                &["Elle"],
            ),
            (
                "Dywedodd Mam fod Gwilym wedi symud i Aberystwyth yn yr haf.",
                &["Gwilym", "Aberystwyth"],
                &["Dywedodd", "Mam", "fod"],
            ),
        ];
        for (text, want, not) in cases {
            let got = found(text);
            for w in *want {
                assert!(
                    got.iter().any(|g| g.contains(w)),
                    "{text:?}: want {w:?}, got {got:?}"
                );
            }
            for n in *not {
                assert!(
                    !got.iter().any(|g| g.split(' ').any(|x| x == *n)),
                    "{text:?}: {n:?} in {got:?}"
                );
            }
        }
        // An English sentence keeps its names whatever they spell in another language.
        let got = found("Elle said that Mai and Sol came with her to the session today.");
        for w in ["Elle", "Mai", "Sol"] {
            assert!(got.iter().any(|g| g.contains(w)), "{w}: {got:?}");
        }
    }
}

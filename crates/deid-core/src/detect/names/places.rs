//! Place clauses of pass 1 (facility and place cues, place nouns, dictionary places) and the
//! state code after a city.

use super::cues::Found;
use super::evidence::{only_spaces, Doc};
use super::{Label, FREQUENT_PM, NEUTRAL_MIN_PM};
use crate::category::Category;
use crate::detect::dictionary::flag;
use crate::text::Shape;

const LOCATION: Label = Label::Place(Category::Location, 0.6);

/// Facility cue right before: "transferred to Laurel Regional", "works at Harbor". After a
/// short cue ("to", "at") only a capitalised mid-sentence word no dictionary but the English
/// one knows, and an English word only before another capitalised word ("to Sacred Heart";
/// not "to Pharmacy"); never an English word before a service noun ("referred to Mental
/// Health").
pub(super) fn facility_cue(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let p = u.checked_sub(1)?;
    if !d.entry(p).has(flag::FACILITY_CUE) || !only_spaces(d.gap(p, u)) {
        return None;
    }
    let e = d.entry(u);
    let t = d.tok(u);
    let n = d.n();
    let title_next =
        || u + 1 < n && only_spaces(d.gap(u, u + 1)) && d.shape_is(u + 1, Shape::Title);
    let fits = !e.has(flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
        && d.chars(u) >= 2
        && !d.function_word(u)
        && !d.has_digit(u)
        && (!d.single(p)
            || d.mixed_title(u)
                && !t.sentence_start
                && !e.has(flag::KNOWN & !flag::ENGLISH)
                && !d.clinical(u)
                && (!e.has(flag::ENGLISH) || title_next()))
        && !(e.has(flag::ENGLISH)
            && u + 1 < n
            && only_spaces(d.gap(u, u + 1))
            && d.word_is(u + 1, &d.words().service_nouns))
        && if d.mixed(u) {
            d.capitalised(u)
                && (!e.has(flag::ENGLISH) || t.shape == Shape::Upper || !t.sentence_start)
                && e.tier != 1
        } else {
            !e.has(flag::ENGLISH) && e.tier == 0
        };
    fits.then(|| Found::one(LOCATION)).flatten()
}

/// A hospital acronym: two to five letters ending in H or MC ("GH", "GBMC"), in capitals, or
/// in lower case after a short cue or an article.
fn hospital_acronym(d: &Doc, u: usize, short_or_the: bool) -> bool {
    let w = d.word(u).as_bytes();
    let shape = d.tok(u).shape;
    (2..=5).contains(&w.len())
        && (w[w.len() - 1].eq_ignore_ascii_case(&b'h')
            || w.len() >= 4 && w[w.len() - 2..].eq_ignore_ascii_case(b"mc"))
        && (shape == Shape::Upper || shape == Shape::Lower && short_or_the)
}

/// A ward: a word of five or more letters followed by its number ("quartermain 2",
/// "QUARTERMAIN7"); not "bathroomx2" (bathroom x2) nor a generic ward word ("Ward 3").
fn ward(d: &Doc, u: usize) -> bool {
    let w = d.word(u);
    let letters = w.trim_end_matches(|c: char| c.is_ascii_digit());
    let glued = w.len() - letters.len();
    letters.len() >= 5
        && letters.bytes().all(|c| c.is_ascii_alphabetic())
        && !(glued > 0 && letters.ends_with(['x', 'X']))
        && !d.words().generic_wards.contains(letters)
        && (glued == 1
            || glued == 2
            || glued == 0 && {
                let after = d.after(u);
                after.starts_with(' ')
                    && after[1..].starts_with(|c: char| c.is_ascii_digit())
                    && after[1..]
                        .split(|c: char| !c.is_ascii_digit())
                        .next()
                        .is_some_and(|d| d.len() <= 2)
            })
}

/// "TO GH", "at gh", "TO THE GBMC", "seen by GBMC", "transfer to quartermain 2", "GH EW":
/// after a short facility cue (and an optional article) or an agent cue, a word no dictionary
/// knows, not shaped like clinical vocabulary, that is shaped like a hospital acronym or is a
/// ward name with its number; or a hospital acronym before a hospital unit ("GBMC ER"). Other
/// unknown capitals after "to" are mostly clinical abbreviations ("to LWS", "to PSV").
pub(super) fn facility_acronym_or_ward(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let p = u.checked_sub(1)?;
    let e = d.entry(u);
    let (cue_u, the) = d.cue_skipping_the(p);
    let short = d.single(cue_u);
    let acronym = hospital_acronym(d, u, short || the);
    let ward = ward(d, u);
    // Only a surname, no ordinary word, can be a ward's name too.
    let unknown = !e.has(flag::KNOWN | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
        || ward
            && e.has(flag::LAST)
            && e.tier == 0
            && !e.has(flag::FIRST | flag::ENGLISH | flag::SAFE | flag::PLACE);
    let by = d.words().agent_cue_words.ends_phrase(d.word(cue_u));
    // "GH EW", "GBMC ER": a hospital acronym before its emergency ward or unit.
    let before_unit = acronym
        && u + 1 < d.n()
        && only_spaces(d.gap(u, u + 1))
        && d.word_is(u + 1, &d.words().hospital_units);
    ((((d.entry(cue_u).has(flag::FACILITY_CUE) || by && acronym)
        && (short || the || ward || by)
        && only_spaces(d.gap(p, u)))
        || before_unit)
        && unknown
        && (d.word(u).bytes().all(|c| c.is_ascii_alphabetic()) || ward)
        && (acronym || ward)
        && !d.function_word(u)
        && !d.clinical(u))
    .then(|| Found::one(LOCATION))
    .flatten()
}

/// "from the Eastern Shore", "presenting to Franklin Square", "went to Harbor", "return to
/// manor": after a place or facility cue (and an optional article; "on" only with one), a
/// capitalised word before a place noun (both are the place), or the noun alone; on a
/// lower-case line a place noun that is seldom an ordinary word, alone after a short cue.
pub(super) fn place_noun(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let p = u.checked_sub(1)?;
    let w = d.words();
    let (cue_u, the) = d.cue_skipping_the(p);
    let ce = d.entry(cue_u);
    let on_the = the && d.word_is(cue_u, &w.article_place_cues);
    let cue_ok = (ce.has(flag::PLACE_CUE | flag::FACILITY_CUE) || on_the)
        && !ce.has(flag::ROLE)
        && only_spaces(d.gap(p, u))
        && (!the || only_spaces(d.gap(cue_u, p)));
    if !cue_ok {
        return None;
    }
    let noun_next = u + 1 < d.n()
        && only_spaces(d.gap(u, u + 1))
        && d.entry(u + 1).has(flag::PLACE_NOUN)
        && place_word(d, u + 1);
    let lower_noun_alone = !d.mixed(u)
        && d.shape_is(u, Shape::Lower)
        && !the
        && d.word_is(cue_u, &w.lower_place_cues)
        && d.word_is(u, &w.lower_place_nouns)
        && !(u + 1 < d.n() && d.word_is(u + 1, &w.place_noun_blockers));
    (lower_noun_alone
        || place_word(d, u) && (noun_next || d.entry(u).has(flag::PLACE_NOUN) && !the && !on_the))
        .then_some(Found {
            label: LOCATION,
            title_before: false,
            next_too: noun_next,
        })
}

/// Unit `k` can be a word of a place name before a place noun: capitalised mid-sentence on a
/// mixed-case line (in capitals on a single-case line), three or more letters, no cue,
/// safe-list or function word, nor a numeral or determiner ("the same Square").
fn place_word(d: &Doc, k: usize) -> bool {
    let t = d.tok(k);
    let cased = if d.mixed(k) {
        t.shape == Shape::Title && !t.sentence_start
    } else {
        t.shape == Shape::Upper
    };
    cased
        && !d
            .entry(k)
            .has(flag::SAFE | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
        && !d.function_word(k)
        && !d.word_is(k, &d.words().non_place_words)
        && d.chars(k) >= 3
}

/// "lives in catonsville", "who lives in DC": after a phrase place cue, a word no dictionary
/// knows (four or more letters, not in capitals, not shaped like clinical vocabulary) is a
/// location, a two-letter state code in capitals a state.
pub(super) fn phrase_place_cue(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let p = u.checked_sub(1)?;
    let e = d.entry(u);
    let unknown_word = || {
        !e.has(flag::KNOWN | flag::TITLE | flag::ROLE | flag::CREDENTIAL)
            && d.chars(u) >= 4
            && d.alphabetic(u)
            && !d.shape_is(u, Shape::Upper)
            && !d.clinical(u)
    };
    let state_code = e.has(flag::STATE_ABBR) && d.shape_is(u, Shape::Upper) && d.chars(u) == 2;
    if !d.single(p)
        && d.entry(p).has(flag::PLACE_CUE)
        && !d.entry(p).has(flag::ROLE)
        && only_spaces(d.gap(p, u))
        && (state_code || unknown_word())
    {
        let cat = if state_code {
            Category::State
        } else {
            Category::Location
        };
        return Found::one(Label::Place(cat, 0.6));
    }
    None
}

/// Place cue + two capitalised words that are no first name nor English word: "grew up in
/// Little Saigon" (the second word joins in pass 2).
pub(super) fn capitalised_place_words(d: &Doc, _: &[Label], u: usize) -> Option<Found> {
    let p = u.checked_sub(1)?;
    let e = d.entry(u);
    (d.entry(p).has(flag::PLACE_CUE)
        && !d.entry(p).has(flag::ROLE)
        && only_spaces(d.gap(p, u))
        && d.mixed_title(u)
        && !d.tok(u).sentence_start
        && !e.has(flag::ENGLISH | flag::SAFE | flag::PLACE | flag::TITLE)
        && !(e.has(flag::FIRST) && e.tier == 0)
        && u + 1 < d.n()
        && only_spaces(d.gap(u, u + 1))
        && d.shape_is(u + 1, Shape::Title)
        && !d.entry(u + 1).has(flag::ENGLISH | flag::SAFE | flag::FIRST))
    .then(|| Found::one(LOCATION))
    .flatten()
}

/// "moved to Glasgow", "lives in Bath": a city whose name is also clinical vocabulary (the
/// Glasgow coma scale, a bed bath) is the city when the line writes it as a name, capitalised
/// mid-sentence on a mixed-case line, right after a phrase place cue ("lives in", "moved to";
/// not a lone "in", nor a role).
fn clinical_city_named(d: &Doc, u: usize) -> bool {
    d.entry(u).has(flag::CITY)
        && d.mixed(u)
        && d.shape_is(u, Shape::Title)
        && !d.tok(u).sentence_start
        && u.checked_sub(1).is_some_and(|p| {
            let pe = d.entry(p);
            pe.has(flag::PLACE_CUE)
                && !pe.has(flag::ROLE)
                && !d.single(p)
                && only_spaces(d.gap(p, u))
        })
}

/// Dictionary evidence for a place (a city, state, county or location that is no safe-list
/// word): a plain place, or one after a place cue or before ", STATE" ("Boise, ID"); a very
/// common word only with such support; not a word before an eponym noun ("House diet"). On a
/// lower-case line a city after a place cue when it is no English word ("lives in
/// catonsville").
pub(super) fn dictionary_place(d: &Doc, u: usize) -> Option<Label> {
    let e = d.entry(u);
    if !e.has(flag::PLACE) || e.has(flag::SAFE) && !clinical_city_named(d, u) {
        return None;
    }
    let cat = if e.has(flag::CITY) {
        Category::City
    } else if e.has(flag::STATE) {
        Category::State
    } else {
        Category::Location
    };
    let prev = u.checked_sub(1);
    // A place cue, or a facility phrase ("transferred from Buffalo"), right before.
    let cue_before = prev.is_some_and(|p| {
        let pe = d.entry(p);
        (pe.has(flag::PLACE_CUE) || pe.has(flag::FACILITY_CUE) && !d.single(p))
            && only_spaces(d.gap(p, u))
    });
    // "LIVES IN BROOKS": on a line without case information, a place that is also a word
    // counts after a phrase cue.
    let phrase_cue_before = cue_before
        && !d.mixed(u)
        && prev.is_some_and(|p| !d.single(p) && !d.entry(p).has(flag::ROLE));
    let state_after = u + 1 < d.n()
        && d.gap(u, u + 1).trim() == ","
        && (d.entry(u + 1).has(flag::STATE)
            || (d.shape_is(u + 1, Shape::Upper) && d.word(u + 1).len() == 2));
    // "referred in May": a month is the month, not the town of that name, unless a phrase
    // cue or a region says otherwise ("lives in March", "March, Cambs").
    let phrase_cue = cue_before && prev.is_some_and(|p| !d.single(p));
    if crate::date::is_english_month_word(d.word(u)) && !phrase_cue && !state_after {
        return None;
    }
    // "lives in catonsville", "from baltimore rehab": a lower-case city right after a place
    // cue, when it is no English word (a phrase cue), or a large city.
    // A town named by a rare English word ("matamata", "blarney") only after a phrase cue.
    let english = e.has(flag::ENGLISH);
    let lower_city = d.shape_is(u, Shape::Lower)
        && e.tier == 0
        && e.first_pm < NEUTRAL_MIN_PM
        && e.last_pm < FREQUENT_PM
        && d.chars(u) >= 4
        && prev.is_some_and(|p| {
            d.entry(p).has(flag::PLACE_CUE)
                && only_spaces(d.gap(p, u))
                && (!d.single(p) && !d.entry(p).has(flag::ROLE)
                    || e.population >= 10_000 && !english)
        });
    let shaped = if d.mixed(u) {
        d.capitalised(u) || lower_city
    } else {
        d.chars(u) >= 4
    };
    // A town also written as a rare English word ("Parramatta", "Blarney", "Scone") is a place
    // with the support a frequent word needs: a place cue or a region after it.
    let plain = !e.has(flag::NAME) && e.tier == 0 && !english;
    // "House diet", "Cool Neb": a place spelled like an English word before a clinical noun
    // is the word ("U Maryland scale" stays a place).
    let eponym_word = (e.tier != 0 || english) && d.before_eponym_noun(u);
    (shaped
        && !eponym_word
        && (plain || cue_before || state_after)
        && (e.tier != 1 && !english
            || state_after
            || cue_before && d.mixed(u)
            || phrase_cue_before))
        .then_some(Label::Place(cat, if plain { 0.7 } else { 0.8 }))
}

/// Dictionary evidence for an organisation (`rules/dictionaries/organisations.tsv`: chains and
/// large employers, "Bunnings", "Woolies", "Tim Hortons"): on a mixed-case line when
/// capitalised, mid-sentence or after a place or facility cue ("works at Bunnings"); on a line
/// without case when it has four letters or more and no dictionary knows it as a word, a name
/// or a place ("rang loblaws", "the supervalu in letterkenny": the list is the evidence), else
/// right after such a cue, and an ordinary English word ("target", "boots") only after a cue of
/// several words ("works at target").
pub(super) fn dictionary_org(d: &Doc, u: usize) -> Option<Label> {
    let e = d.entry(u);
    if !e.has(flag::ORG) || e.has(flag::SAFE) {
        return None;
    }
    let prev = u.checked_sub(1);
    let cue = prev.filter(|&p| {
        let pe = d.entry(p);
        pe.has(flag::PLACE_CUE | flag::FACILITY_CUE) && only_spaces(d.gap(p, u))
    });
    let phrase_cue = cue.is_some_and(|p| !d.single(p));
    let word = e.tier != 0 || e.has(flag::ENGLISH);
    let ok = if d.mixed(u) {
        d.capitalised(u) && (!d.tok(u).sentence_start || cue.is_some() || !word)
    } else {
        let listed_only = !word && !e.has(flag::NAME | flag::PLACE) && d.chars(u) >= 4;
        listed_only || cue.is_some() && (!word || phrase_cue)
    };
    ok.then_some(Label::Place(Category::Organization, 0.75))
}

/// "Boise, ID", "resides in Boise, ID", "montpelier, vt": a two-letter state code after ", "
/// right after a city found in pass 1 (or a capitalised word after a place cue, which then
/// becomes the city); on a lower-case line a dictionary city and a state code that is no word
/// ([`NameWords::ambiguous_state_codes`](crate::detect::dictionary::NameWords)) or, after a
/// place phrase, one that is ("born in worcester, ma;"), ending a clause.
pub(super) fn state_codes_after_cities(d: &Doc, labels: &mut [Label]) {
    for u in 1..d.n() {
        // "resides in Boise, ID": a capitalised word after a place cue is the city, whatever a
        // surname list says.
        let after_place_cue = u >= 2
            && d.shape_is(u - 1, Shape::Title)
            && d.entry(u - 2).has(flag::PLACE_CUE)
            && only_spaces(d.gap(u - 2, u - 1));
        let city_before = matches!(labels[u - 1], Label::Place(Category::City, _))
            || d.entry(u - 1).has(flag::CITY) && labels[u - 1] != Label::None
            || after_place_cue
                && matches!(
                    labels[u - 1],
                    Label::None | Label::Name { strong: false, .. }
                );
        // "born in", "resides in", "moved to": a place cue of several words right before.
        let place_phrase_before = |c: usize| {
            c >= 1
                && d.entry(c - 1).has(flag::PLACE_CUE)
                && !d.single(c - 1)
                && !d.entry(c - 1).has(flag::ROLE)
                && only_spaces(d.gap(c - 1, c))
        };
        let lower_pair = || {
            let after = d.after(u).as_bytes();
            let city = d.entry(u - 1);
            !d.mixed(u)
                && d.shape_is(u, Shape::Lower)
                && d.shape_is(u - 1, Shape::Lower)
                && city.has(flag::CITY)
                && city.tier == 0
                && !city.has(flag::ENGLISH | flag::SAFE)
                && d.chars(u - 1) >= 4
                && matches!(labels[u - 1], Label::None | Label::Place(..))
                && (after.is_empty()
                    || matches!(after[0], b'\n' | b'\r' | b'.' | b';' | b')' | b',')
                    || after.len() >= 2 && after[0] == b' ' && after[1].is_ascii_digit())
                // A code that is also a word ("me", "in", "oh") only after a place phrase
                // and before a clause's end: "born in worcester, ma;", "resides in boise, id."
                && (!d.word_is(u, &d.words().ambiguous_state_codes)
                    || place_phrase_before(u - 1)
                        && (after.is_empty()
                            || matches!(after[0], b'\n' | b'\r' | b'.' | b';' | b')')))
        };
        // "Andriy Shevchenko, MD": after a given name and a word that also names a town, a
        // code that is also a credential is the credential.
        let credential_after_full_name = d.entry(u).has(flag::CREDENTIAL)
            && u >= 2
            && labels[u - 2].is_name()
            && only_spaces(d.gap(u - 2, u - 1));
        if (city_before && d.shape_is(u, Shape::Upper) || lower_pair())
            && !credential_after_full_name
            && labels[u] == Label::None
            && d.gap(u - 1, u) == ", "
            && d.chars(u) == 2
            && d.entry(u).has(flag::STATE_ABBR)
        {
            labels[u] = Label::Place(Category::State, 0.8);
            if !matches!(labels[u - 1], Label::Place(..)) {
                labels[u - 1] = Label::Place(Category::City, 0.7);
            }
        }
    }
}

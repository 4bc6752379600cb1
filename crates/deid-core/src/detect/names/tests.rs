//! Unit tests of the name rules, on small invented sentences and the built-in dictionaries.

use super::cues::{self, Clause, Found};
use super::evidence::{self, Doc};
use super::*;
use crate::detect::dictionary::WordSet;
use crate::rules::RuleSet;
use crate::text::tokenize;
use std::sync::LazyLock;

static DICTS: LazyLock<Dictionaries> = LazyLock::new(|| {
    crate::pipeline::build_dictionaries(&RuleSet::builtin()).expect("built-in dictionaries")
});

/// A document of `text` with the built-in dictionaries.
fn doc(text: &str) -> Doc<'_> {
    let tokens = tokenize(text);
    let units = units::group(&DICTS, text, &tokens);
    Doc::new(&DICTS, text, tokens, units)
}

/// The index of the first unit whose text is `w`.
fn at(d: &Doc, w: &str) -> usize {
    (0..d.n())
        .find(|&k| d.word(k) == w)
        .unwrap_or_else(|| panic!("no unit {w:?} in {:?}", d.text))
}

fn none(d: &Doc) -> Vec<Label> {
    vec![Label::None; d.n()]
}

/// (text, word, whether `clause` fires for the word) for every row.
fn check_clause(clause: Clause, rows: &[(&str, &str, bool)]) {
    for &(text, w, want) in rows {
        let d = doc(text);
        let got = clause(&d, &none(&d), at(&d, w));
        assert_eq!(got.is_some(), want, "{text:?} at {w:?}: {got:?}");
    }
}

/// The labels of `text` after the whole detector but decoding.
fn all_labels(text: &str) -> (Doc<'_>, Vec<Label>) {
    let d = doc(text);
    let mut labels = none(&d);
    cues::label(&d, &mut labels);
    places::state_codes_after_cities(&d, &mut labels);
    runs::non_ascii_runs(&d, &mut labels);
    runs::lower_case_names(&d, &mut labels);
    runs::initials_before_surnames(&d, &mut labels);
    neighbours::label(&d, &mut labels);
    propagate::places(&d, &mut labels);
    propagate::facility_nouns(&d, &mut labels);
    propagate::names(&d, &mut labels);
    propagate::speaker_labels(&d, &mut labels);
    (d, labels)
}

/// The (text, category) of each candidate `detect` finds in `text`.
fn spans(text: &str) -> Vec<(&str, Category)> {
    let mut out = Vec::new();
    detect(&DICTS, &Ids::default(), text, &tokenize(text), &mut out);
    out.iter()
        .map(|c| (&text[c.start..c.end], c.category))
        .collect()
}

#[test]
fn word_sets_match_whole_words_ascii_case_insensitively() {
    let s = WordSet::new(&["will", "n't", "by", "signature"]);
    assert!(s.contains("Will") && s.contains("WILL") && !s.contains("willow"));
    assert!(s.ends("WON'T") && !s.ends("won"));
    assert!(s.ends_phrase("seen by") && s.ends_phrase("BY") && !s.ends_phrase("baby"));
    assert!(s.within("Client Signature") && !s.within("Client"));
    let exact = WordSet::new(&[",", "&"]);
    assert!(exact.contains_exactly(",") && !exact.contains_exactly(";"));
}

#[test]
fn built_in_word_lists_are_loaded() {
    let w = &DICTS.names;
    assert!(w.function_words.contains("Will") && w.pronouns.contains("HER"));
    assert!(w.contraction_endings.ends("we'll") && w.contraction_endings.ends("didn’t"));
    assert!(w.auxiliary_verbs.contains("was") && !w.auxiliary_verbs.contains("found"));
    assert!(w.clinical_titles.contains("MD") && !w.clinical_titles.contains("dr"));
    assert!(w.facility_nouns.contains("Hospital") && w.list_separators.contains_exactly(", and"));
}

#[test]
fn units_group_dictionary_phrases_on_one_line() {
    let d = doc("She lives in Dayton");
    assert_eq!(d.word(1), "lives in");
    assert_eq!(d.n(), 3);
    // A phrase does not cross a line break.
    let d = doc("She lives\nin Dayton");
    assert_eq!(d.word(1), "lives");
    assert_eq!(d.chars(at(&d, "Dayton")), 6);
}

#[test]
fn gap_shapes() {
    for (g, spaces, name, dotted) in [
        (" ", true, true, false),
        ("-", false, true, false),
        (". ", false, false, true),
        (".", false, false, true),
        ("    ", false, false, false),
        (", ", false, false, false),
    ] {
        assert_eq!(evidence::only_spaces(g), spaces, "{g:?}");
        assert_eq!(evidence::name_gap(g), name, "{g:?}");
        assert_eq!(evidence::dotted_gap(g), dotted, "{g:?}");
    }
    assert!(evidence::punct_gap(": ", &[':']) && !evidence::punct_gap(":-", &[':']));
    assert!(evidence::o_surname("O'Brien") && evidence::o_surname("d’Souza"));
    assert!(!evidence::o_surname("O'Da") && !evidence::o_surname("Obrien"));
    let t = "Nipride 0.5 and Zorvath now";
    assert!(evidence::near_number(t, 0, 7) && !evidence::near_number(t, 16, 23));
}

#[test]
fn doc_word_questions() {
    let d = doc("Met J. Roe and him at 3pm");
    assert!(d.is_initial(at(&d, "J")) && !d.is_initial(at(&d, "Roe")));
    assert!(d.function_word(at(&d, "and")) && d.function_word(at(&d, "him")));
    assert!(d.pronoun(at(&d, "him")) && !d.pronoun(at(&d, "Roe")));
    assert!(d.has_digit(at(&d, "3pm")) && d.has_vowel(at(&d, "Roe")));

    let d = doc("SENT TO THE GH");
    assert_eq!(d.cue_skipping_the(at(&d, "THE")), (at(&d, "SENT TO"), true));

    let d = doc("Then Rose found Hope is here and Will's family came");
    assert!(d.followed_by_verb(at(&d, "Rose")) && d.followed_by_past_verb(at(&d, "Rose")));
    assert!(d.followed_by_verb(at(&d, "Hope")) && !d.followed_by_past_verb(at(&d, "Hope")));
    assert!(d.possessive(at(&d, "Will")) && !d.possessive(at(&d, "Rose")));

    let d = doc("Used the Riker scale with Miller beer");
    assert!(d.before_eponym_noun(at(&d, "Riker")) && !d.before_eponym_noun(at(&d, "with")));
    assert!(d.followed_by_lower(at(&d, "Miller")));
}

#[test]
fn nameable_words() {
    for (text, w, cued, plain) in [
        ("Dr. Okafor came", "Okafor", true, true),
        ("Dr. said so", "said", false, false),
        ("DR. WE'LL SEE", "WE'LL", false, false),
        ("Dr. R2D2 came", "R2D2", false, false),
        ("Seen with Labetelol today", "Labetelol", true, false),
    ] {
        let d = doc(text);
        let k = at(&d, w);
        assert_eq!(
            (d.nameable_cued(k), d.nameable(k)),
            (cued, plain),
            "{text:?} at {w:?}"
        );
    }
}

#[test]
fn title_clauses() {
    check_clause(
        cues::title_initial,
        &[
            ("Talked with mr B today", "B", true),
            ("Seen by DR. O BRIEN", "O", true),
            ("Seen by Dr. Okafor", "Okafor", false),
        ],
    );
    check_clause(
        cues::title_before,
        &[
            ("Seen by Dr. Okafor today", "Okafor", true),
            ("Seen by dr. griffin today", "griffin", true),
            ("She is a professor. He came", "He", false),
            ("NP. Sats were fine", "Sats", false),
            // A frequent surname that is also a word, after an honorific in lower case.
            ("met with mr bell (year head)", "bell", true),
            ("la maestra ms cross llamó", "cross", true),
            // A clinical "ms" before a verb or a rare surname.
            ("back pain, ms given x1", "given", false),
            ("mr moderate on echo", "moderate", false),
        ],
    );
    let d = doc("Seen by Dr. Okafor today");
    let u = at(&d, "Okafor");
    assert_eq!(
        cues::title_before(&d, &none(&d), u),
        Some(Found {
            label: Label::cued(0.95),
            title_before: true,
            next_too: false
        })
    );
}

#[test]
fn name_cue_clauses() {
    check_clause(
        cues::credential_after,
        &[
            ("Notes by Maria Okafor, LCSW today", "Okafor", true),
            ("The pressure PA was high", "pressure", false),
        ],
    );
    check_clause(
        cues::age_in_parentheses,
        &[
            (
                "Siblings at home: Miles (3), Zorvath (12).",
                "Zorvath",
                true,
            ),
            (
                "Siblings at home: Miles (3), Zorvath (1234).",
                "Zorvath",
                false,
            ),
            // Lines without case: a name, a word no list knows, not a score or a count.
            ("present: kayla (26, nurse) and tobi (40)", "kayla", true),
            (
                "present: kayla (26, nurse) and zorvath (40)",
                "zorvath",
                true,
            ),
            ("PRESENT: ZORVATH (55, BAKER)", "ZORVATH", true),
            // A given name that is also a word, of any register ("rose", "huia").
            ("present: huia (34) and rose (26)", "rose", true),
            ("present: huia (34) and rose (26)", "huia", true),
            ("scores: gad (7), phq (12)", "gad", false),
            ("children (2) and visits (3)", "visits", false),
            ("bp (120/80) stable", "bp", false),
        ],
    );
    check_clause(
        cues::post_cue_after,
        &[
            ("Dr. Okafor aware of plan", "Okafor", true),
            ("The team aware of plan", "team", false),
        ],
    );
    check_clause(
        cues::given_after_relation,
        &[
            // A frequent given name that is a word, a verb after it or commas round it.
            ("pt's son, bill, called", "bill", true),
            ("social: bob visited on sunday", "bob", true),
            // A rarer one right after a relation word, before a verb or a clause mark.
            ("pt's nan dot is 96 now", "dot", true),
            ("who is her nana dot?", "dot", true),
            ("lives with her nana huia (91) at home", "huia", true),
            // A modal, a word after a relation with no clause end, a relation word itself.
            ("mum will be there on friday", "will", false),
            ("her mother june 3 visit", "june", false),
            ("her sister, brother and mum", "brother", false),
            ("gran dot the i's", "dot", false),
        ],
    );
    check_clause(
        cues::role_cue_before,
        &[
            ("Her husband Zorvath came", "Zorvath", true),
            ("Her husband came", "came", false),
            // After a person's role on a line without case, an unknown word as after a
            // relation; not after a role cue that is a preposition.
            ("his sponsor zorvath came", "zorvath", true),
            ("HIS SPONSOR ZORVATH CAME", "ZORVATH", true),
            ("called his sponsor, zorvath, instead", "zorvath", true),
            ("his teacher zorvath said so", "zorvath", true),
            ("his teacher said so", "said", false),
            ("per zorvath protocol", "zorvath", false),
        ],
    );
    check_clause(
        cues::signed_initials,
        &[
            ("Client signature: AM\n", "AM", true),
            ("Client: AM\n", "AM", false),
        ],
    );
    check_clause(
        cues::alias_field,
        &[
            ("AKA: TOFU\n", "TOFU", true),
            ("Preferred name: Bug, DOB 2016", "Bug", true),
            ("Client: Bug\n", "Bug", false),
            ("Preferred name: the one he chose", "the", false),
        ],
    );
    check_clause(
        cues::header_field,
        &[
            ("Client: Jamal Okafor", "Jamal", true),
            ("To: Human Resources", "Human", false),
        ],
    );
}

#[test]
fn place_cue_clauses() {
    check_clause(
        places::facility_cue,
        &[
            (
                "She was transferred to Zorvath Regional today",
                "Zorvath",
                true,
            ),
            ("She was transferred to 4 West", "West", false),
        ],
    );
    check_clause(
        places::facility_acronym_or_ward,
        &[
            ("PT RUSHED TO GH FOR EVAL", "GH", true),
            ("PT RUSHED TO LWS FOR EVAL", "LWS", false),
        ],
    );
    check_clause(
        places::phrase_place_cue,
        &[
            ("She lives in zorvathby now", "zorvathby", true),
            ("She lives in the city", "the", false),
        ],
    );
    check_clause(
        places::capitalised_place_words,
        &[
            ("She grew up in Vardo Krell", "Vardo", true),
            ("She grew up in Vardo", "Vardo", false),
        ],
    );
    let d = doc("She grew up on the Eastern Shore now");
    let found = places::place_noun(&d, &none(&d), at(&d, "Eastern")).expect("place noun");
    assert!(found.next_too);
}

#[test]
fn dictionary_evidence() {
    let d = doc("Later we met Okafor and Zorvath, who left");
    assert!(matches!(
        cues::dictionary_name(&d, at(&d, "Okafor")),
        Some(Label::Name { strong: false, .. })
    ));
    assert_eq!(cues::dictionary_name(&d, at(&d, "Zorvath")), None);
    assert_eq!(
        cues::unknown_capitalised(&d, at(&d, "Zorvath")),
        Some(Label::weak(0.45))
    );
    let d = doc("She moved from Denver last year");
    assert!(matches!(
        places::dictionary_place(&d, at(&d, "Denver")),
        Some(Label::Place(Category::City, _))
    ));
}

#[test]
fn subjects_of_verbs_of_speaking() {
    let d = doc("Deb in HR says no. Hope is low. Rose from bed at noon. Faith rang.");
    assert!(d.subject_of_speech(at(&d, "Deb")) && d.subject_of_speech(at(&d, "Faith")));
    assert!(!d.subject_of_speech(at(&d, "Hope")) && !d.subject_of_speech(at(&d, "Rose")));
    // (text, word, a name): a given name that is also a word, opening a sentence before a
    // verb of speaking or contact, on lines of any case and after a speaker label.
    for (text, word, want) in [
        ("C: Hope from the shop covers my shifts.", "Hope", true),
        ("Deb says I can't come back.", "Deb", true),
        ("seen today. dawn visits on sundays", "dawn", true),
        ("CLIENT: GRACE SAID I SHOULD RING", "GRACE", true),
        ("SEEN TODAY. GRACE FROM WORK RANG TWICE.", "GRACE", true),
        ("Síle rang the office.", "Síle", true),
        ("C: Hope is all I have.", "Hope", false),
        ("Client: Rose from bed at noon.", "Rose", false),
        ("Work says I need a certificate.", "Work", false),
    ] {
        let got = spans(text)
            .iter()
            .any(|(w, c)| *w == word && *c == Category::Name);
        assert_eq!(got, want, "{text:?}");
    }
}

#[test]
fn listed_chains_are_organisations() {
    // (text, word, found): capitalised mid-sentence or after a cue; on a line
    // without case a listed name that is no word, name or place anywhere, else only after a
    // cue, and an English word only after a cue of several words.
    for (text, word, want) in [
        ("C: Hope from Woolies covers my shifts.", "Woolies", true),
        ("mum on shift at morrisons", "morrisons", true),
        ("he works at target now", "target", true),
        ("mum rang loblaws on monday", "loblaws", true),
        (
            "a fight outside the supervalu in letterkenny",
            "supervalu",
            true,
        ),
        ("HER WORK, THE ASDA IN ALVASTON.", "ASDA", true),
        ("referred on by centrelink", "centrelink", true),
        ("mum rang target on monday", "target", false),
        ("SHE SAYS BOOTS ARE TOO TIGHT", "BOOTS", false),
        ("Bought new boots at Kmart.", "Kmart", true),
        ("Target mood stabilised.", "Target", false),
        ("target heart rate reached", "target", false),
        ("saw the boots at target", "target", false),
    ] {
        // Found as some span (a cue clause may label it first); the engine's label is checked
        // in `detect::complete`'s tests.
        let got = spans(text).iter().any(|(w, _)| *w == word);
        assert_eq!(got, want, "{text:?}");
    }
}

#[test]
fn state_code_after_city() {
    let (d, labels) = all_labels("She lives in Boise, ID now");
    assert_eq!(labels[at(&d, "ID")], Label::Place(Category::State, 0.8));
    // A credential after a full name is no state, whatever town the surname also names.
    let (d, labels) = all_labels("Sincerely, Andriy Shevchenko, MD Medical Director");
    assert_eq!(labels[at(&d, "MD")], Label::None);
    let (d, labels) = all_labels("Moved to Baltimore, MD last year");
    assert_eq!(labels[at(&d, "MD")], Label::Place(Category::State, 0.8));
}

/// The cities of other countries (`world_cities.tsv`) are places; a city named like a person
/// ("Mary", in Turkmenistan) is left out of that list, so the name stays a name.
#[test]
fn cities_of_other_countries() {
    assert_eq!(
        spans("after four years in nairobi he came here"),
        [("nairobi", Category::City)]
    );
    assert_eq!(
        spans("She was born in Tapachula and moved at twelve."),
        [("Tapachula", Category::City)]
    );
    assert_eq!(spans("Seen with Mary today."), [("Mary", Category::Name)]);
}

#[test]
fn runs_of_name_shapes() {
    let d = doc("We met Ðorvik Ŧallen today.");
    let mut labels = none(&d);
    runs::non_ascii_runs(&d, &mut labels);
    assert!(labels[at(&d, "Ðorvik")].is_name() && labels[at(&d, "Ŧallen")].is_name());

    let d = doc("will consult with mary zyxwoq today");
    let mut labels = none(&d);
    runs::lower_case_names(&d, &mut labels);
    assert!(labels[at(&d, "mary")].is_name() && labels[at(&d, "zyxwoq")].is_name());

    for (text, want) in [("seen by k. o'hara", true), ("seen by n. o'hara", false)] {
        let d = doc(text);
        let mut labels = none(&d);
        runs::initials_before_surnames(&d, &mut labels);
        assert_eq!(labels[at(&d, "o'hara")].is_name(), want, "{text:?}");
    }
}

#[test]
fn neighbour_clauses() {
    let d = doc("Met Seo-yeon today");
    let mut labels = none(&d);
    labels[at(&d, "Seo")] = Label::weak(0.8);
    assert_eq!(
        neighbours::hyphen_part(&d, &labels, at(&d, "yeon")),
        Some(Label::weak(0.7))
    );

    let d = doc("SEEN BY DANIEL LEE TODAY");
    let mut labels = none(&d);
    labels[at(&d, "DANIEL")] = Label::cued(0.85);
    assert!(neighbours::beside_cued(&d, &labels, at(&d, "LEE")).is_some());
    assert!(neighbours::beside_cued(&d, &labels, at(&d, "TODAY")).is_none());

    let d = doc("grew up in Vardo Krell");
    let mut labels = none(&d);
    labels[at(&d, "Vardo")] = Label::Place(Category::Location, 0.6);
    assert_eq!(
        neighbours::place_continues(&d, &labels, at(&d, "Krell")),
        Some(Label::Place(Category::Location, 0.6))
    );

    let d = doc("Visitors: Okafor, Zorvath and Quillan came");
    let mut labels = none(&d);
    labels[at(&d, "Okafor")] = Label::weak(0.8);
    assert!(neighbours::beside_or_listed(&d, &labels, at(&d, "Zorvath")).is_some());
    assert!(neighbours::beside_or_listed(&d, &labels, at(&d, "came")).is_none());
}

#[test]
fn propagation() {
    let d = doc("SENT TO GH. LATER BACK AT GH");
    let mut labels = none(&d);
    labels[at(&d, "GH")] = Label::Place(Category::Location, 0.6);
    propagate::places(&d, &mut labels);
    assert_eq!(
        labels
            .iter()
            .filter(|l| matches!(l, Label::Place(..)))
            .count(),
        2
    );

    let d = doc("Went to Frederick hospital today");
    let mut labels = none(&d);
    labels[at(&d, "Frederick")] = Label::Place(Category::City, 0.8);
    propagate::facility_nouns(&d, &mut labels);
    assert_eq!(
        labels[at(&d, "hospital")],
        Label::Place(Category::Organization, 0.8)
    );

    let d = doc("Dr. Zorvath came. Later Zorvath left");
    let mut labels = none(&d);
    labels[at(&d, "Zorvath")] = Label::cued(0.95);
    propagate::names(&d, &mut labels);
    assert_eq!(labels.iter().filter(|l| l.is_name()).count(), 2);

    // Speaker names: a given name opening a label in a transcript with a role label or
    // opening two labels; a word no dictionary knows opening a line's label in a transcript
    // with a role label; not a role (YP, Kaimahi, Mum), a SOAP letter or a clinical heading
    // after another's sentence.
    for (text, want) in [
        (
            "Counsellor: How was it?\nMere: Not great.\nCounsellor: Go on.\nMere: Fine.",
            2,
        ),
        ("T: How was it?\nZorvath: fine.\nT: ok\nZorvath: yes", 2),
        ("T: How was it?\nZorvath: fine.", 1),
        ("Client: A\nGoal: sleep\nClient: B\nGoal: eat", 0),
        ("Mere: Not great.\nMere: Fine.", 2),
        ("Mereana: I rang him on the 27th. T: Mm.", 1),
        ("T: Who else?\nNHI: ZPG4935\nWard: Kowhai", 0),
        ("\"Mereana: u coming back / me: cant afford the bus\"", 1),
        (
            "T: Who do you talk to?\nKAIMAHI: Kia ora.\nYP: Not much.\nMum: Sure.",
            0,
        ),
        ("S: Pt reports pain. O: afebrile. PROPH: hep gtt.", 0),
        ("Zorvath: fine.", 0),
    ] {
        let d = doc(text);
        let mut labels = none(&d);
        propagate::speaker_names(&d, &mut labels);
        assert_eq!(
            labels.iter().filter(|l| l.is_name()).count(),
            want,
            "{text}"
        );
    }

    // (text, word found as a name after the label, still a name after speaker_labels)
    for (text, word, kept) in [
        ("Client: Her mum came", "Her", false),
        ("Counsellor: How has the week been?", "How", false),
        ("Client: Rose from bed at noon.", "Rose", false),
        ("Client: Jamal Reed", "Jamal", true),
        ("Client: Zorvath said no.", "Zorvath", true),
        ("social: bill called once", "bill", true),
        // A one-word reply is speech; a name said to someone is kept.
        ("Dad: Fine.", "Fine", false),
        ("T: Grace, how was the week?", "Grace", true),
    ] {
        let d = doc(text);
        let mut labels = none(&d);
        labels[at(&d, word)] = Label::cued(0.9);
        propagate::speaker_labels(&d, &mut labels);
        assert_eq!(labels[at(&d, word)].is_name(), kept, "{text}");
    }
}

#[test]
fn decode_joins_titles_and_names() {
    let d = doc("Seen by Dr. Jane Okafor at GH");
    let mut labels = none(&d);
    labels[at(&d, "Dr")] = Label::Title;
    labels[at(&d, "Jane")] = Label::cued(0.95);
    labels[at(&d, "Okafor")] = Label::weak(0.7);
    labels[at(&d, "GH")] = Label::Place(Category::Location, 0.6);
    let mut out = Vec::new();
    decode::emit(&d, &Ids::default(), &labels, &mut out);
    let got: Vec<_> = out
        .iter()
        .map(|c| (&d.text[c.start..c.end], c.category, &*c.rule))
        .collect();
    assert_eq!(
        got,
        [
            ("Dr. Jane Okafor", Category::Name, "name.cue"),
            ("GH", Category::Location, "place.dictionary")
        ]
    );
}

#[test]
fn detect_end_to_end() {
    assert_eq!(
        spans("Seen by Dr. Jane Okafor today."),
        [("Dr. Jane Okafor", Category::Name)]
    );
    assert!(spans("He continues on ampicillin.").is_empty());
    // An adverb between a name and its verb is no surname on a line without case.
    assert_eq!(spans("uncle rewi just lost it"), [("rewi", Category::Name)]);
}

/// A name written with diacritics finds the name entry without them ("Zoë", "Lê"), but a word
/// that folds to an English or clinical word ("Lê" to "le" is a name; "Đỗ" to "do", "Bảo" to
/// "bao") is a word no dictionary knows, not the English word.
#[test]
fn folded_lookups_skip_english_words() {
    for (word, found) in [("Zoë", true), ("José", true), ("Đỗ", false), ("Nhà", false)] {
        assert_eq!(DICTS.lookup_folded(word).is_some(), found, "{word}");
    }
    // An English-word fold gives no entry, so the word counts as unknown.
    assert!(DICTS.lookup_word("do").is_some());
}

#[test]
fn names_joined_to_the_speaker_or_asked_about() {
    check_clause(
        cues::joined_to_speaker,
        &[
            (
                "C: Hope and I used to walk to school together.",
                "Hope",
                true,
            ),
            ("Me and Kirra grew up in the same street.", "Kirra", true),
            ("I think Tamsin and I will be okay.", "Tamsin", true),
            ("Mum and I had a fight on Sunday.", "Mum", false),
            (
                "God and I are on speaking terms again, she joked.",
                "God",
                false,
            ),
            ("Toast and I do not agree.", "Toast", false),
            ("ME AND KIRRA GREW UP", "KIRRA", false),
        ],
    );
    check_clause(
        cues::asked_who,
        &[
            ("T: Who's Del? C: My brother's mate.", "Del", true),
            ("T: WHO'S MUNDARA? C: MY BROTHER.", "MUNDARA", true),
            ("T: who is ruairi? c: my cousin.", "ruairi", true),
            ("So who's Bill? He's my sponsor.", "Bill", true),
            ("T: Who’s Nana Pearl? C: My dad's mom.", "Pearl", true),
            ("who's there? nobody answered.", "there", false),
            ("T: WHO'S THERE? C: ME.", "THERE", false),
            ("T: Who's next? C: Me.", "next", false),
            ("Who knows Del? Nobody.", "Del", false),
            ("the owho's Del?", "Del", false),
        ],
    );
}

#[test]
fn service_acronyms_next_to_places_make_organisations() {
    for (text, want) in [
        ("Fax referral to Luton CMHT on Monday.", Some("Luton CMHT")),
        ("FAX REFERRAL TO LUTON CMHT ON MONDAY.", Some("LUTON CMHT")),
        ("She moved to Perth WA last year.", None),
        ("They moved to Auckland NZ in 2019.", None),
        ("CXR in Boston showed nothing.", None),
    ] {
        let found = spans(text);
        let orgs: Vec<&str> = found
            .iter()
            .filter(|(_, c)| *c == Category::Organization)
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(orgs.first().copied(), want, "{text}: {found:?}");
    }
}

#[test]
fn unknown_surnames_after_titled_given_names_on_single_case_lines() {
    for (text, name) in [
        (
            "nhi ZHK4271, gp is dr amarjit dhami at the practice",
            "dr amarjit dhami",
        ),
        ("DR PRIYA VENKATRAMAN REVIEWED PT", "DR PRIYA VENKATRAMAN"),
        ("dr sarah said it was fine", "dr sarah"),
    ] {
        let found = spans(text);
        assert!(
            found.iter().any(|&(s, c)| s == name && c == Category::Name),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn the_last_item_of_a_list_of_names() {
    // (text, word, whether it is a name once the cue clauses ran over the line); invented.
    for (text, w, want) in [
        ("her daughters, hope and grace, visited.", "grace", true),
        ("KIDS ARE NOAH (6) AND FAITH (4).", "FAITH", true),
        // No name before the list word, or the word does not end its phrase.
        ("she has hope and grace, visited.", "grace", false),
        (
            "her daughters, hope and grace under pressure",
            "grace",
            false,
        ),
    ] {
        let (d, labels) = all_labels(text);
        assert_eq!(labels[at(&d, w)].is_name(), want, "{text:?} at {w:?}");
    }
}

/// A person's role (`person_roles`) acts only where the role cues fire: each one must be a role
/// cue too, or it would never be read.
#[test]
fn person_roles_are_role_cues() {
    let rules = RuleSet::builtin();
    let cues = &rules.cues;
    for w in &cues.person_roles {
        assert!(cues.role_cues.contains(w), "{w:?} is not in role_cues");
    }
}

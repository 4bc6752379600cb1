//! The built-in rules, embedded in the binary.

use super::RuleSet;
use std::sync::{Arc, LazyLock};

macro_rules! rules_file {
    ($p:literal) => {
        ($p, include_str!(concat!("../../../../rules/", $p)))
    };
}

/// Pattern files, in load order.
pub(crate) const PATTERN_FILES: &[(&str, &str)] = &[
    rules_file!("patterns/contact.toml"),
    rules_file!("patterns/dates.toml"),
    rules_file!("patterns/ids.toml"),
    rules_file!("patterns/locations.toml"),
    rules_file!("patterns/organizations.toml"),
    rules_file!("patterns/names.toml"),
    rules_file!("patterns/ages.toml"),
    rules_file!("patterns/quasi.toml"),
];

const DICTIONARIES_TOML: (&str, &str) = rules_file!("dictionaries.toml");
const NAMES_TOML: (&str, &str) = rules_file!("names.toml");

const DICTIONARY_FILES: &[(&str, &str)] = &[
    rules_file!("dictionaries/first_names.tsv"),
    rules_file!("dictionaries/nicknames.tsv"),
    rules_file!("dictionaries/organisations.tsv"),
    rules_file!("dictionaries/given_names_world.tsv"),
    rules_file!("dictionaries/surnames.tsv"),
    rules_file!("dictionaries/us_places.tsv"),
    rules_file!("dictionaries/intl_places.tsv"),
    rules_file!("dictionaries/world_cities.tsv"),
    rules_file!("dictionaries/us_states.tsv"),
    rules_file!("dictionaries/us_counties.tsv"),
    rules_file!("dictionaries/common_words.tsv"),
    rules_file!("dictionaries/clinical_terms.txt"),
    rules_file!("dictionaries/english_words.txt"),
    rules_file!("dictionaries/countries.txt"),
];

pub(crate) static BUILTIN: LazyLock<RuleSet> = LazyLock::new(|| {
    let mut set = RuleSet::default();
    for (name, src) in PATTERN_FILES {
        set.add_builtin_pattern_file(&format!("builtin:{name}"), src)
            .unwrap_or_else(|e| panic!("built-in rules are broken: {e}"));
    }
    set.add_dictionary_file(
        &format!("builtin:{}", DICTIONARIES_TOML.0),
        DICTIONARIES_TOML.1,
        &|f: &str| {
            DICTIONARY_FILES
                .iter()
                .find(|(n, _)| *n == f)
                .map(|(_, c)| Arc::from(*c))
                .ok_or_else(|| "not a built-in dictionary file".to_string())
        },
    )
    .unwrap_or_else(|e| panic!("built-in dictionaries are broken: {e}"));
    set.add_cues_file(&format!("builtin:{}", NAMES_TOML.0), NAMES_TOML.1)
        .unwrap_or_else(|e| panic!("built-in name cues are broken: {e}"));
    // A model made for another feature set is left out (so `deid train` can make its
    // successor); the test `builtin_model_loads` keeps such a model from being released.
    set.model = crate::Model::from_bytes(MODEL, "builtin:model/names.bin")
        .ok()
        .map(Arc::new);
    set
});

/// Pools of real values for surrogates that no dictionary covers (holidays, non-US regions).
pub(crate) const SURROGATES_TOML: (&str, &str) = rules_file!("surrogates/pools.toml");

/// The learned scorer (`rules/model/names.bin`, made by `scripts/train_model.sh`); empty
/// means none.
const MODEL: &[u8] = include_bytes!("../../../../rules/model/names.bin");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rules_file_is_embedded() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/");
        for (dir, list) in [
            ("patterns", PATTERN_FILES),
            ("dictionaries", DICTIONARY_FILES),
        ] {
            for entry in std::fs::read_dir(format!("{root}{dir}")).unwrap() {
                let name = format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy());
                assert!(
                    list.iter().any(|(n, _)| *n == name),
                    "{name} is not embedded in builtin.rs"
                );
            }
        }
    }

    #[test]
    fn builtin_pattern_files_pass_every_check() {
        // They are read without parsing their regexes at start-up (`Syntax::Trusted`).
        for (name, src) in PATTERN_FILES {
            let (rules, errors) = super::super::spec::parse_pattern_file(
                name,
                src,
                super::super::spec::Syntax::Check,
            );
            assert!(!rules.is_empty(), "{name}");
            let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
            assert!(errors.is_empty(), "{}", errors.join("\n"));
        }
    }

    #[test]
    fn builtin_model_loads() {
        if let Err(e) = crate::Model::from_bytes(MODEL, "builtin:model/names.bin") {
            panic!("{e} (run scripts/train_model.sh)");
        }
        assert!(RuleSet::builtin().model.is_some());
    }

    #[test]
    fn builtin_rules_load_and_their_examples_hold() {
        let set = RuleSet::builtin();
        assert!(set.patterns.len() > 20);
        let problems = set.check_examples();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

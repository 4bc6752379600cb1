//! Builds the lexicon of the built-in dictionaries at compile time (issue 12: building its
//! 427,000-term hash map was the largest part of start-up). Runs the library's own lexicon
//! code (`src/detect/lexicon.rs`, with the tokeniser of `src/text.rs`) over `rules/`'s
//! dictionary files and the flagged cue lists of `rules/names.toml`, and writes the serialised
//! lexicon to `$OUT_DIR/lexicon.bin`, which `src/detect/dictionary.rs` embeds. The test
//! `embedded_lexicon_is_a_runtime_build` checks that the bytes equal a run-time build from the
//! rules as the library parses them.

#[path = "src/detect/lexicon.rs"]
#[allow(dead_code)]
mod lexicon;
#[path = "src/text.rs"]
#[allow(dead_code)]
mod text;

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let rules = Path::new(&manifest).join("../../rules");
    for p in ["dictionaries.toml", "names.toml", "dictionaries"] {
        println!("cargo:rerun-if-changed={}", rules.join(p).display());
    }
    println!("cargo:rerun-if-changed=src/detect/lexicon.rs");
    println!("cargo:rerun-if-changed=src/text.rs");
    let read = |p: &str| {
        std::fs::read_to_string(rules.join(p)).unwrap_or_else(|e| panic!("cannot read {p}: {e}"))
    };
    let toml_table = |p: &str| -> toml::Table {
        read(p)
            .parse()
            .unwrap_or_else(|e| panic!("{p} is not TOML: {e}"))
    };
    let mut b = lexicon::LexiconBuilder::default();
    let dictionaries = toml_table("dictionaries.toml");
    let list = dictionaries
        .get("dictionary")
        .and_then(toml::Value::as_array)
        .expect("dictionaries.toml has [[dictionary]] tables");
    for d in list {
        let field = |k: &str| {
            d.get(k)
                .and_then(toml::Value::as_str)
                .unwrap_or_else(|| panic!("dictionaries.toml: a dictionary without {k}"))
        };
        let role = lexicon::DictRole::parse(field("role")).expect("a known dictionary role");
        let content = read(field("file"));
        b.add_dictionary(field("id"), role, &content)
            .unwrap_or_else(|(line, e)| panic!("{}:{line}: {e}", field("file")));
    }
    let names = toml_table("names.toml");
    for (name, f) in lexicon::CUE_FLAGS {
        let words = names.get(name).and_then(toml::Value::as_array);
        for w in words.into_iter().flatten() {
            b.add_flag(w.as_str().expect("cue words are strings"), f);
        }
    }
    let bytes = b.encode().expect("the built-in lexicon");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("lexicon.bin");
    std::fs::write(&out, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

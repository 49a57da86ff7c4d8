//! CSDL JSON and CSDL XML are two spellings of one model: every directory of `csdl-pairs/`
//! holds a model written both ways (`*.xml` and `*.json`, the same documents by stem), and the
//! crates generated from the two must be the same, byte for byte, with the same diagnostics
//! (their positions aside).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn pairs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("csdl-pairs");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no pairs under {}", root.display());
    dirs
}

/// The documents of one form, by stem.
fn documents(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    found.sort();
    found
}

/// The generated files, and the diagnostics without their positions.
fn generate(documents: &[PathBuf]) -> (BTreeMap<String, String>, Vec<String>) {
    let mut generator = codegen::Generator::new();
    generator.crate_name("lending");
    for document in documents {
        generator.metadata(document);
    }
    let generation = generator.generate();
    let diagnostics: Vec<String> = generation
        .rendered_diagnostics()
        .iter()
        .map(|line| match line.split_once(": ") {
            Some((_, rest)) => rest.to_owned(),
            None => line.clone(),
        })
        .collect();
    let files = generation
        .files()
        .unwrap_or_else(|| {
            panic!(
                "{documents:?}:\n{}",
                generation.rendered_diagnostics().join("\n")
            )
        })
        .clone();
    (files, diagnostics)
}

#[test]
fn the_json_and_xml_forms_of_a_model_generate_the_same_crate() {
    for dir in pairs() {
        let xml = documents(&dir, "xml");
        let json = documents(&dir, "json");
        let stems = |paths: &[PathBuf]| -> Vec<String> {
            paths
                .iter()
                .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            stems(&xml),
            stems(&json),
            "{}: one document of each form",
            dir.display()
        );
        let (from_xml, xml_diagnostics) = generate(&xml);
        let (from_json, json_diagnostics) = generate(&json);
        assert_eq!(xml_diagnostics, json_diagnostics, "{}", dir.display());
        assert_eq!(
            from_xml.keys().collect::<Vec<_>>(),
            from_json.keys().collect::<Vec<_>>(),
            "{}",
            dir.display()
        );
        for (path, text) in &from_xml {
            if text != &from_json[path] {
                let first = text
                    .lines()
                    .zip(from_json[path].lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                panic!(
                    "{}: {path} differs from line {}:\nxml:  {}\njson: {}",
                    dir.display(),
                    first + 1,
                    text.lines().nth(first).unwrap_or(""),
                    from_json[path].lines().nth(first).unwrap_or("")
                );
            }
        }
    }
}

#[test]
fn the_pairs_exercise_what_the_issue_lists() {
    // What the pairs must keep covering: a change that drops one of these from both forms
    // would still pass the comparison above.
    let (files, _) = generate(&documents(&pairs()[0], "json"));
    let all: String = files.values().cloned().collect();
    for needle in [
        "pub struct Book",               // inheritance (from the abstract Item)
        "pub enum AnyItem",              // its dispatch enum
        "by_key",                        // the composite key of Loan
        "Flags<",                        // the flags enum Format
        "pub fn shelves",                // containment
        "pub fn reserve",                // a bound action
        "pub fn open_loans",             // a bound, composable function
        "pub fn find_books",             // an unbound function (import)
        "pub fn reset_catalog",          // an unbound action (import)
        "Made up.",                      // an enum member's description
        "The day the item is due back.", // external annotations
        "pub struct Publisher", // a type of the referenced document, through an include alias
        "Default value: `100`", // a default value
        "Precision `12`, scale `2`", // facets
        "Collection<String>",   // a collection whose items may be null
    ] {
        assert!(all.contains(needle), "the generated crate lacks `{needle}`");
    }
}

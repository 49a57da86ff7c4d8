//! Snapshot tests of emitted code: each `fixtures/NAME/input.xml` (or `input/`) is generated and
//! compared with the committed crate in `fixtures/NAME/expected/`, one `#[test]` per fixture
//! (`cargo test -p codegen-tests --test fixtures enums` runs one). Those crates are workspace
//! members, so the same `cargo test`/`clippy`/`doc` runs that check this compile them too.
//!
//! A snapshot holds only what the generator emits for its input. The runtime modules every
//! crate vendors (`support.rs`, `request.rs`, `client.rs`: [`codegen::RUNTIME`]) are
//! the same in every crate, so a fixture crate holds a one-line `include!` of the template
//! instead of a copy; `generated/` holds the vendored copy itself, docs and all.
//!
//! A fixture may select what it generates (`select.txt`) and customize it (`options.txt`: the
//! generator's extension points, a `--type-attribute`, `--field-attribute` or `--extern-type`
//! a line).
//!
//! A fixture with an `expected-diagnostics.txt` also has its diagnostics compared, one rendered
//! line each, paths relative to the workspace root (docs-only fixtures whose pages are
//! imperfect on purpose).
//!
//! To accept a change in emitted code, regenerate and review the diff with git:
//!
//! ```text
//! UPDATE_FIXTURES=1 cargo test -p codegen-tests --test fixtures
//! git diff tests/fixtures
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

struct Fixture {
    name: String,
    dir: PathBuf,
}

fn fixtures() -> Vec<Fixture> {
    let root = workspace_root().join("tests/fixtures");
    let mut found: Vec<Fixture> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|dir| dir.join("input.xml").is_file() || dir.join("input").is_dir())
        .map(|dir| Fixture {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            dir,
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        found.len() >= 7,
        "the fixtures directory lost fixtures: {}",
        found.len()
    );
    found
}

fn generate(fixture: &Fixture) -> BTreeMap<String, String> {
    generate_with_diagnostics(fixture).0
}

/// The emitted files (without the runtime modules), and the diagnostics as
/// `path:line:col: severity: message` lines with paths relative to the workspace root.
fn generate_with_diagnostics(fixture: &Fixture) -> (BTreeMap<String, String>, String) {
    let mut generator = codegen::Generator::new();
    // `input.xml` (CSDL), or an `input/` directory (documentation pages, with or without CSDL).
    let input = match fixture.dir.join("input.xml") {
        file if file.is_file() => file,
        _ => fixture.dir.join("input"),
    };
    generator
        .metadata(input)
        .crate_name(format!("fixture-{}", fixture.name));
    if let Ok(selection) = fs::read_to_string(fixture.dir.join("select.txt")) {
        for name in selection.split_whitespace() {
            generator.select(name);
        }
    }
    // `options.txt`: one `--type-attribute`, `--field-attribute` or `--extern-type` a line, as
    // the command line takes it (`type-attribute Namespace.Type=#[must_use]`).
    if let Ok(options) = fs::read_to_string(fixture.dir.join("options.txt")) {
        for line in options.lines().filter(|l| !l.trim().is_empty()) {
            let (option, pair) = line.split_once(' ').expect("`option NAME=VALUE`");
            let (name, value) = pair.split_once('=').expect("`option NAME=VALUE`");
            match option {
                "type-attribute" => generator.type_attribute(name, value),
                "field-attribute" => generator.field_attribute(name, value),
                "extern-type" => generator.extern_type(name, value),
                other => panic!("{}: unknown option `{other}`", fixture.name),
            };
        }
    }
    let generation = generator.generate();
    let files = generation.files().unwrap_or_else(|| {
        panic!(
            "fixture {} failed:\n{}",
            fixture.name,
            generation.rendered_diagnostics().join("\n")
        )
    });
    let runtime: Vec<&str> = codegen::RUNTIME.iter().map(|m| m.path).collect();
    let files = files
        .iter()
        .filter(|(path, _)| !runtime.contains(&path.as_str()))
        .map(|(path, text)| (path.clone(), text.clone()))
        .collect();
    let root = format!("{}/", workspace_root().display());
    let diagnostics: String = generation
        .rendered_diagnostics()
        .iter()
        .map(|line| format!("{}\n", line.replace(&root, "")))
        .collect();
    (files, diagnostics)
}

/// The line a fixture crate's runtime module holds instead of a copy of the template: the
/// module's root file (its submodules resolve beside the template).
fn runtime_include(module: &codegen::RuntimeModule) -> String {
    let inside = module.path.strip_prefix("src/").unwrap();
    let up = "../".repeat(5 + inside.matches('/').count());
    format!("include!(\"{up}codegen/templates/{inside}\");")
}

/// The runtime modules' root files, which a fixture crate holds as `include!`s.
fn runtime_roots() -> impl Iterator<Item = &'static codegen::RuntimeModule> {
    codegen::RUNTIME.iter().filter(|m| m.is_root())
}

/// A new fixture's runtime modules, written once (they hold no generated header, so `write`
/// leaves them alone afterwards).
fn write_runtime_includes(expected: &Path) {
    for module in runtime_roots() {
        let path = expected.join(module.path);
        if !path.exists() {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            let text = format!(
                "//! The runtime module every generated crate vendors. A fixture crate includes the template\n//! rather than holding a copy of it (see `tests/fixtures.rs`).\n\n{}\n",
                runtime_include(module)
            );
            fs::write(&path, text).unwrap();
        }
    }
}

/// Each runtime module of a fixture crate `include!`s its template (a file without the
/// generated header, so `write` and `check` leave it alone).
fn runtime_includes_are_in_place(fixture: &Fixture) -> Vec<String> {
    let mut problems = Vec::new();
    for module in runtime_roots() {
        let path = fixture.dir.join("expected").join(module.path);
        let include = runtime_include(module);
        match fs::read_to_string(&path) {
            Ok(text) if text.lines().any(|line| line == include) => {}
            _ => problems.push(format!(
                "fixture {}: {} must hold `{include}`",
                fixture.name,
                path.display()
            )),
        }
    }
    problems
}

fn unified_diff(path: &str, expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(&format!("committed {path}"), &format!("generated {path}"))
        .to_string()
}

/// Generates one fixture and compares it with its committed crate (or, with
/// `UPDATE_FIXTURES` set, writes it there).
fn check_fixture(name: &str) {
    let fixture = fixtures()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no fixture directory tests/fixtures/{name}"));
    let (files, diagnostics) = generate_with_diagnostics(&fixture);
    let expected = fixture.dir.join("expected");
    let expected_diagnostics = fixture.dir.join("expected-diagnostics.txt");
    let options = codegen::write::WriteOptions {
        keep: runtime_roots().map(|m| m.path.to_owned()).collect(),
        ..Default::default()
    };
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        write_runtime_includes(&expected);
        codegen::write::write_with(&expected, &files, &options).unwrap();
        if expected_diagnostics.is_file() {
            fs::write(&expected_diagnostics, &diagnostics).unwrap();
        }
    }
    let mut failures = runtime_includes_are_in_place(&fixture);
    if let Ok(committed) = fs::read_to_string(&expected_diagnostics) {
        if committed != diagnostics {
            failures.push(format!(
                "fixture {}: {}",
                fixture.name,
                unified_diff("expected-diagnostics.txt", &committed, &diagnostics)
            ));
        }
    }
    for drift in codegen::write::check_with(&expected, &files, &options).unwrap() {
        let report = match &drift {
            codegen::write::Drift::Stale(path) => {
                let committed = fs::read_to_string(expected.join(path)).unwrap_or_default();
                unified_diff(path, &committed, &files[path])
            }
            other => other.to_string(),
        };
        failures.push(format!("fixture {}: {report}", fixture.name));
    }
    assert!(
        failures.is_empty(),
        "emitted code changed; review and accept with `UPDATE_FIXTURES=1 cargo test -p codegen-tests --test fixtures` and `git diff tests/fixtures`:\n\n{}",
        failures.join("\n")
    );
}

/// One `#[test]` per fixture directory; [`every_fixture_directory_has_a_test`] keeps the list
/// complete.
macro_rules! fixture_tests {
    ($($test:ident => $dir:literal,)*) => {
        const FIXTURE_TESTS: &[&str] = &[$($dir),*];
        $(
            #[test]
            fn $test() {
                check_fixture($dir);
            }
        )*
    };
}

fixture_tests! {
    annotations => "annotations",
    cap_nursery => "cap-nursery",
    corpus_services => "corpus-services",
    corpus_small => "corpus-small",
    corpus_vocabularies => "corpus-vocabularies",
    customized => "customized",
    docs_degraded => "docs-degraded",
    docs_only => "docs-only",
    enums => "enums",
    hostile_names => "hostile-names",
    inheritance => "inheritance",
    multi_schema => "multi-schema",
    primitives => "primitives",
    select => "select",
    url_forms => "url-forms",
}

#[test]
fn every_fixture_directory_has_a_test() {
    let directories: Vec<String> = fixtures().into_iter().map(|f| f.name).collect();
    assert_eq!(
        directories, FIXTURE_TESTS,
        "add each directory of tests/fixtures to `fixture_tests!` in tests/fixtures.rs"
    );
}

#[test]
fn committed_generated_crate_is_what_generate_writes_now() {
    let root = workspace_root();
    let generation = codegen::Generator::new()
        .metadata(root.join("metadata"))
        .crate_name("generated")
        .generate();
    let files = generation.files().expect("the area metadata generates");
    let drift = codegen::write::check(&root.join("generated"), files).unwrap();
    assert!(
        drift.is_empty(),
        "generated/ is stale; run `cargo run -p codegen -- generate`: {drift:?}"
    );
}

#[test]
fn generation_is_byte_identical_run_to_run() {
    for fixture in fixtures() {
        let first = generate(&fixture);
        let second = generate(&fixture);
        assert_eq!(
            first, second,
            "fixture {} generated differently twice",
            fixture.name
        );
    }
}

#[test]
fn every_generated_file_starts_with_the_generated_header() {
    for fixture in fixtures() {
        for (path, contents) in generate(&fixture) {
            let first = contents.lines().next().unwrap_or_default();
            assert!(
                first.contains("@generated by codegen") && first.contains("Do not edit"),
                "{}/{path} starts with {first:?}",
                fixture.name
            );
        }
    }
}

#[test]
fn file_order_of_inputs_does_not_change_the_output() {
    let dir = std::env::temp_dir().join(format!("codegen-order-{}", std::process::id()));
    let split = |name: &str, body: &str| {
        format!(
            r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="{name}" xmlns="http://docs.oasis-open.org/odata/ns/edm">{body}</Schema></edmx:DataServices></edmx:Edmx>"#
        )
    };
    fs::create_dir_all(&dir).unwrap();
    let a = split(
        "a",
        r#"<ComplexType Name="x"><Property Name="b" Type="b.y" /></ComplexType>"#,
    );
    let b = split(
        "b",
        r#"<ComplexType Name="y"><Property Name="n" Type="Edm.Int32" /></ComplexType>"#,
    );
    fs::write(dir.join("1.xml"), &a).unwrap();
    fs::write(dir.join("2.xml"), &b).unwrap();
    let forward = codegen::Generator::new()
        .metadata(dir.join("1.xml"))
        .metadata(dir.join("2.xml"))
        .generate();
    let backward = codegen::Generator::new()
        .metadata(dir.join("2.xml"))
        .metadata(dir.join("1.xml"))
        .generate();
    assert_eq!(forward.files().unwrap(), backward.files().unwrap());
    fs::remove_dir_all(&dir).unwrap();
}

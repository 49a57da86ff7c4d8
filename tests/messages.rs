//! How the binary prints diagnostics: as rustc does by default (the source line with a caret,
//! `annotate-snippets`), and one line each with `--message-format short`, the form the other
//! command-line tests and their snapshots use.

use std::fs;

#[path = "binary.rs"]
mod binary;
use binary::{codegen, codegen_human};

/// A directory with `metadata/unknown.xml`: a property of an unknown type, and a bidirectional
/// control in a property name (a warning).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("metadata")).unwrap();
    fs::write(
        dir.path().join("metadata/unknown.xml"),
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">
  <edmx:DataServices>
    <Schema Namespace=\"example\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">
      <ComplexType Name=\"thing\">
        <Property Name=\"size\" Type=\"example.nowhere\" />
        <Property Name=\"ad\u{202e}min\" Type=\"Edm.String\" />
      </ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
",
    )
    .unwrap();
    dir
}

#[test]
fn diagnostics_show_the_source_line_with_a_caret_by_default() {
    let dir = workspace();
    let run = codegen_human(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr, @r#"
    error: unknown type `example.nowhere`
     --> metadata/unknown.xml:5:31
      |
    5 |         <Property Name="size" Type="example.nowhere" />
      |                               ^^^^^^^^^^^^^^^^^^^^^^

    warning: the name of a property `ad\u{202E}min` contains the bidirectional control character U+202E, which can make text read differently from what it is; its Rust name spells it `_u202e_`
     --> metadata/unknown.xml:6:19
      |
    6 |         <Property Name="ad\u{202E}min" Type="Edm.String" />
      |                   ^^^^^^^^^^^^^^^^^^^^
    "#);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_short_format_prints_one_line_each_and_is_a_global_option() {
    let dir = workspace();
    // `codegen` passes `--message-format short` before the subcommand.
    let before = codegen(dir.path(), &["generate", "--out", "out"]);
    let after = binary::codegen_human(
        dir.path(),
        &["generate", "--out", "out", "--message-format", "short"],
    );
    assert_eq!(before.stderr, after.stderr);
    assert_eq!(
        after.stderr.lines().collect::<Vec<_>>(),
        [
            "metadata/unknown.xml:5:31: error: unknown type `example.nowhere`",
            "metadata/unknown.xml:6:19: warning: the name of a property `ad\\u{202E}min` contains the bidirectional control character U+202E, which can make text read differently from what it is; its Rust name spells it `_u202e_`",
        ]
    );
    let lint = codegen_human(dir.path(), &["lint", "--message-format", "short"]);
    assert_eq!(lint.code, 1);
    assert!(
        lint.stderr
            .starts_with("metadata/unknown.xml:5:31: error: unknown type `example.nowhere`\n"),
        "{}",
        lint.stderr
    );
}

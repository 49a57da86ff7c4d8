//! The command line, run as users and CI run it: exit codes, `path:line:col: error:` lines for
//! bad input (snapshots of stderr), an output directory that stays untouched when generation
//! fails, and files that are not rewritten when their content did not change.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

#[path = "binary.rs"]
mod binary;
use binary::{codegen, Run};

const EDMX_START: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="example" Alias="ex" xmlns="http://docs.oasis-open.org/odata/ns/edm">
"#;
const EDMX_END: &str = "    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n";

fn schema(body: &str) -> String {
    format!("{EDMX_START}{body}{EDMX_END}")
}

const GOOD: &str = r#"      <ComplexType Name="thing">
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
"#;

/// A directory with `metadata/<name>` files and an `out/` crate generated from GOOD before.
/// Every `.rs` file under `dir` (a namespace's folder: a file per type), joined in path order.
fn module_tree(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = snapshot_tree(dir)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("metadata")).unwrap();
    fs::write(dir.path().join("metadata/good.xml"), schema(GOOD)).unwrap();
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    fs::remove_file(dir.path().join("metadata/good.xml")).unwrap();
    for (name, contents) in files {
        fs::write(dir.path().join("metadata").join(name), contents).unwrap();
    }
    dir
}

/// Every file under `dir` with its content and modification time.
fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            } else {
                let modified = entry.metadata().unwrap().modified().unwrap();
                files.insert(entry.path(), (fs::read(entry.path()).unwrap(), modified));
            }
        }
    }
    files
}

/// Runs `generate` on bad input: exit 1, no panic, output untouched. Returns stderr.
fn rejected(files: &[(&str, &str)]) -> String {
    let dir = workspace(files);
    let before = snapshot_tree(&dir.path().join("out"));
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 1, "bad input exits 1:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(
        before,
        snapshot_tree(&dir.path().join("out")),
        "a failed run changed the output"
    );
    run.stderr
}

#[test]
fn truncated_xml() {
    let truncated = &schema(GOOD)[..200];
    insta::assert_snapshot!(rejected(&[("truncated.xml", truncated)]));
}

#[test]
fn mismatched_tags() {
    let text = schema("      <ComplexType Name=\"a\">\n      </EntityType>\n");
    insta::assert_snapshot!(rejected(&[("mismatched.xml", &text)]));
}

#[test]
fn unknown_types() {
    let text = schema(
        r#"      <ComplexType Name="a" BaseType="ex.missing">
        <Property Name="b" Type="ex.nowhere" />
        <Property Name="c" Type="Collection(Edm.Strin)" />
        <Property Name="d" Type="other.namespace.type" />
      </ComplexType>
"#,
    );
    insta::assert_snapshot!(rejected(&[("unknown.xml", &text)]));
}

#[test]
fn cyclic_base_types() {
    let text = schema(
        r#"      <EntityType Name="a" BaseType="ex.c" />
      <EntityType Name="b" BaseType="ex.a" />
      <EntityType Name="c" BaseType="example.b" />
      <EntityType Name="self" BaseType="ex.self" />
      <EntityType Name="below" BaseType="ex.a" />
"#,
    );
    insta::assert_snapshot!(rejected(&[("cycle.xml", &text)]));
}

#[test]
fn duplicates() {
    let first = schema(
        r#"      <ComplexType Name="a">
        <Property Name="x" Type="Edm.String" />
        <Property Name="x" Type="Edm.Int32" />
      </ComplexType>
      <EnumType Name="e">
        <Member Name="m" />
        <Member Name="m" />
      </EnumType>
      <ComplexType Name="base">
        <Property Name="y" Type="Edm.String" />
      </ComplexType>
      <ComplexType Name="derived" BaseType="ex.base">
        <Property Name="y" Type="Edm.String" />
      </ComplexType>
"#,
    );
    let second = schema("      <EnumType Name=\"a\" />\n");
    insta::assert_snapshot!(rejected(&[("1.xml", &first), ("2.xml", &second)]));
}

#[test]
fn entity_declarations_are_refused_not_expanded() {
    let text = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lol [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n{}",
        schema(GOOD)
    );
    let entity = schema(
        r#"      <ComplexType Name="a">
        <Property Name="b&lol;" Type="Edm.String" />
      </ComplexType>
"#,
    );
    insta::assert_snapshot!(rejected(&[("dtd.xml", &text), ("entity.xml", &entity)]));
}

#[test]
fn invalid_values_and_identifiers() {
    let text = schema(
        r#"      <ComplexType Name="a" Abstract="maybe">
        <Property Name="b" Type="Edm.String" Nullable="sometimes" />
        <Property Type="Edm.String" />
        <Property Name="" Type="Edm.String" />
        <NavigationProperty Name="c" Type="ex.a" />
      </ComplexType>
      <EnumType Name="e" UnderlyingType="Edm.String">
        <Member Name="m" Value="one" />
      </EnumType>
      <EnumType Name="f" IsFlags="true">
        <Member Name="n" />
      </EnumType>
      <TypeDefinition Name="t" UnderlyingType="ex.a" />
      <ComplexType Name="dotted.name" />
"#,
    );
    insta::assert_snapshot!(rejected(&[("invalid.xml", &text)]));
}

#[test]
fn not_csdl() {
    insta::assert_snapshot!(rejected(&[
        ("html.xml", "<html><body>hello</body></html>\n"),
        ("empty.xml", ""),
        ("text.xml", "<Schema Namespace=\"a\"/>trailing text"),
    ]));
}

#[test]
fn not_utf8_is_located() {
    let dir = workspace(&[]);
    fs::write(
        dir.path().join("metadata/bytes.xml"),
        b"<Schema>\n  <\xff/>\n</Schema>",
    )
    .unwrap();
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("bytes.xml:2:4: error: the file is not valid UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    let text = format!("{EDMX_START}{deep}{EDMX_END}");
    let stderr = rejected(&[("deep.xml", &text)]);
    assert!(stderr.contains("nested more than 256 deep"), "{stderr}");
}

#[test]
fn oversized_values_and_names_are_errors() {
    let huge = "d".repeat(codegen::limits::MAX_VALUE_BYTES + 1);
    let long_name = "n".repeat(129);
    let text = schema(&format!(
        r#"      <ComplexType Name="{long_name}" />
      <ComplexType Name="thing">
        <Property Name="{long_name}" Type="Edm.String" />
      </ComplexType>
      <Annotations Target="ex.thing">
        <Annotation Term="Org.OData.Core.V1.Description" String="{huge}" />
      </Annotations>
"#
    ));
    let stderr = rejected(&[("big.xml", &text)]);
    assert!(
        stderr.contains("attribute String is 1048577 bytes long; the limit is 1048576"),
        "{stderr}"
    );
    // Parsing stops at the first XML error; the names are checked in a file without one.
    let text = text.replace(&huge, "short");
    insta::assert_snapshot!(rejected(&[("long.xml", &text)]));
}

#[test]
fn deep_and_long_cyclic_inheritance_are_errors_found_fast() {
    // Each level copies the inherited properties, so depth would multiply the output; the
    // checks themselves are linear (this took minutes and gigabytes before the limit).
    let chain: String = (0..3000)
        .map(|i| {
            let base = if i == 0 { String::new() } else { format!(" BaseType=\"ex.t{}\"", i - 1) };
            format!("      <ComplexType Name=\"t{i}\"{base}><Property Name=\"p{i}\" Type=\"Edm.String\" /></ComplexType>\n")
        })
        .collect();
    let ring: String = (0..500)
        .map(|i| {
            format!(
                "      <EntityType Name=\"r{i}\" BaseType=\"ex.r{}\" />\n",
                (i + 1) % 500
            )
        })
        .collect();
    let stderr = rejected(&[("deep.xml", &schema(&chain)), ("ring.xml", &schema(&ring))]);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors.len(),
        2,
        "one error per chain and per cycle:\n{stderr}"
    );
    assert!(
        errors[0].starts_with("metadata/deep.xml:37:")
            && errors[0].ends_with("`example.t33` has more than 32 base types in a chain"),
        "{stderr}"
    );
    assert!(
        errors[1].contains("error: cyclic base types: example.r0 → example.r1 → "),
        "{stderr}"
    );
}

#[test]
fn deep_containment_is_generated_whole_in_linear_code() {
    // 2,000 types each containing the next: one builder per type and kind of resource, shared
    // by every URL that reaches it, so nothing is cut and the code grows with the types.
    let mut body: String = (0..2000)
        .map(|i| {
            format!(
                "      <EntityType Name=\"t{i}\"><Key><PropertyRef Name=\"id\" /></Key><Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" /><NavigationProperty Name=\"c\" Type=\"Collection(ex.t{})\" ContainsTarget=\"true\" /></EntityType>\n",
                i + 1
            )
        })
        .collect();
    body.push_str("      <EntityType Name=\"t2000\"><Key><PropertyRef Name=\"id\" /></Key><Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" /></EntityType>\n      <EntityContainer Name=\"c\"><EntitySet Name=\"s\" EntityType=\"ex.t0\" /></EntityContainer>\n");
    let dir = workspace(&[("deep.xml", &schema(&body))]);
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let builders = module_tree(&dir.path().join("out/src/requests/example"));
    assert_eq!(builders.matches("pub struct ").count(), 2 * 2001);
    assert!(builders.contains("pub struct T2000CollectionRequest"));
    let per_type = builders.len() / 2001;
    assert!(per_type < 8 << 10, "{per_type} bytes per type");
}

#[test]
fn an_import_of_no_unbound_operation_is_a_located_error() {
    let body = r#"      <Function Name="bound" IsBound="true">
        <Parameter Name="it" Type="ex.thing" />
        <ReturnType Type="Edm.Int32" />
      </Function>
      <EntityType Name="thing"><Key><PropertyRef Name="id" /></Key><Property Name="id" Type="Edm.String" Nullable="false" /></EntityType>
      <EntityContainer Name="c">
        <EntitySet Name="things" EntityType="ex.thing" />
        <FunctionImport Name="missing" Function="ex.nowhere" />
        <FunctionImport Name="notUnbound" Function="ex.bound" />
      </EntityContainer>
"#;
    let stderr = rejected(&[("imports.xml", &schema(body))]);
    assert!(
        stderr.contains("error: `missing` imports no unbound action or function of the metadata"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("error: `notUnbound` imports no unbound action or function of the metadata"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["generate", "--bogus"][..],
        &["frobnicate"],
        &[],
        &["generate", "--crate-name", "9 lives"],
        &["check", "--out"],
    ] {
        let run = codegen(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
    // A service root is an http(s) URL the generated client may send tokens to: nothing that
    // would put credentials in the source, or take paths and queries somewhere else.
    for (root, reason) in [
        ("file:///etc/passwd", "its scheme is `file`"),
        ("javascript:alert(1)", "its scheme is `javascript`"),
        ("https://example.com/odata?x=1", "it has a query"),
        ("https://example.com/odata#top", "it has a fragment"),
        (
            "https://me:secret@example.com/odata",
            "it holds a user name or password",
        ),
        ("example.com/odata", "is not a URL"),
    ] {
        let run = codegen(dir.path(), &["generate", "--service-root", root]);
        assert_eq!(run.code, 2, "{root}: {}", run.stderr);
        assert!(run.stderr.contains(reason), "{root}: {}", run.stderr);
        assert!(
            !run.stderr.contains("secret"),
            "the password is shown: {}",
            run.stderr
        );
    }
    assert_eq!(codegen(dir.path(), &["--help"]).code, 0);
}

#[test]
fn a_package_name_that_is_a_rust_keyword_is_renamed_with_a_warning_or_refused() {
    let dir = workspace(&[("good.xml", &schema(GOOD))]);
    let run = codegen(dir.path(), &["generate", "--out", "gen"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: the package is named `gen-odata`"),
        "{}",
        run.stderr
    );
    let manifest = std::fs::read_to_string(dir.path().join("gen/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"gen-odata\""), "{manifest}");
    let run = codegen(
        dir.path(),
        &["generate", "--out", "x", "--crate-name", "type"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`type` is a Rust keyword"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_metadata_and_unknown_selection_are_input_errors() {
    let dir = workspace(&[("good.xml", &schema(GOOD))]);
    let run = codegen(
        dir.path(),
        &["generate", "--metadata", "nowhere", "--out", "out"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("codegen: error: cannot read metadata path nowhere"),
        "{}",
        run.stderr
    );
    let run = codegen(
        dir.path(),
        &["generate", "--select", "nothing", "--out", "out"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("--select nothing: no entity set"),
        "{}",
        run.stderr
    );
}

/// A help desk: tickets contain their notes; a ticket's `assignee` and a note's `author`
/// navigate to agents, who are an entity set of their own.
const HELP_DESK: &str = r#"      <EntityType Name="ticket">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <NavigationProperty Name="assignee" Type="ex.agent" />
        <NavigationProperty Name="notes" Type="Collection(ex.note)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="note">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <NavigationProperty Name="author" Type="ex.agent" />
      </EntityType>
      <EntityType Name="agent">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityContainer Name="desk">
        <EntitySet Name="tickets" EntityType="ex.ticket" />
        <EntitySet Name="agents" EntityType="ex.agent" />
      </EntityContainer>
"#;

/// `--select` follows containment, not navigation to another entity set: the properties that
/// lead there are not generated, with one warning at the first (counting the others);
/// `--select-navigation` follows navigation as `--select` did before, and needs a `--select`.
#[test]
fn select_leaves_navigation_out_with_one_warning_unless_asked() {
    let dir = workspace(&[("desk.xml", &schema(HELP_DESK))]);
    let agent = dir.path().join("out/src/example/agent.rs");
    let run = codegen(
        dir.path(),
        &["generate", "--select", "tickets", "--out", "out"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("metadata/desk.xml:7:9: warning: navigation property `assignee` of `example.ticket` (to `example.agent`) is not generated, nor is 1 more: their types (1) are not in the selection"),
        "{}",
        run.stderr
    );
    assert!(
        warnings[0].contains("--select-navigation"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("metadata/desk.xml:13:9: note: also not generated: `author` of `example.note` (to `example.agent`)"),
        "{}",
        run.stderr
    );
    assert!(!agent.exists());
    let ticket = fs::read_to_string(dir.path().join("out/src/example/ticket.rs")).unwrap();
    assert!(!ticket.contains("pub assignee"), "{ticket}");
    assert!(
        ticket.contains("Not generated: the navigation property `assignee`"),
        "{ticket}"
    );
    let requests = module_tree(&dir.path().join("out/src/requests"));
    assert!(requests.contains("pub fn notes("), "{requests}");
    assert!(!requests.contains("pub fn assignee("), "{requests}");

    let run = codegen(
        dir.path(),
        &[
            "generate",
            "--select",
            "tickets",
            "--select-navigation",
            "--out",
            "out",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
    assert!(agent.exists());
    let requests = module_tree(&dir.path().join("out/src/requests"));
    assert!(requests.contains("pub fn assignee("), "{requests}");

    let run = codegen(
        dir.path(),
        &["generate", "--select-navigation", "--out", "out"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--select"), "{}", run.stderr);
}

#[test]
fn generate_writes_only_changed_files_and_check_names_stale_ones() {
    let dir = workspace(&[("good.xml", &schema(GOOD))]);
    let out = dir.path().join("out");
    let before = snapshot_tree(&out);
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        before,
        snapshot_tree(&out),
        "regenerating unchanged input rewrote files"
    );
    assert_eq!(codegen(dir.path(), &["check", "--out", "out"]).code, 0);

    // A change in the metadata makes `check` fail and name the file, without writing.
    let changed = schema(&GOOD.replace("Edm.String", "Edm.Int32"));
    fs::write(dir.path().join("metadata/good.xml"), changed).unwrap();
    // A file an older generation wrote (it has the header) that this one does not.
    fs::write(
        out.join("src/leftover.rs"),
        "// @generated by codegen 0.0.1\n",
    )
    .unwrap();
    fs::remove_file(out.join("src/lib.rs")).unwrap();
    let before = snapshot_tree(&out);
    let run = codegen(dir.path(), &["check", "--out", "out"]);
    assert_eq!(run.code, 1);
    assert_eq!(before, snapshot_tree(&out), "check wrote something");
    insta::assert_snapshot!(run.stderr);

    // Generating fixes it: the leftover goes, the missing file comes back.
    assert_eq!(codegen(dir.path(), &["generate", "--out", "out"]).code, 0);
    assert!(!out.join("src/leftover.rs").exists());
    assert!(out.join("src/lib.rs").exists());
    assert_eq!(codegen(dir.path(), &["check", "--out", "out"]).code, 0);
}

#[test]
fn crate_name_defaults_to_the_output_directory_in_lower_case_kebab_case() {
    let dir = workspace(&[("good.xml", &schema(GOOD))]);
    // cargo warns about a package named `MyShop`, and clippy refuses its crate name.
    for (out, package) in [("my_models", "my-models"), ("MyShop", "my-shop")] {
        assert_eq!(codegen(dir.path(), &["generate", "--out", out]).code, 0);
        let manifest = fs::read_to_string(dir.path().join(out).join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("name = \"{package}\"")),
            "{manifest}"
        );
    }
    assert_eq!(
        codegen(
            dir.path(),
            &["generate", "--out", "x", "--crate-name", "office-models"]
        )
        .code,
        0
    );
    let manifest = fs::read_to_string(dir.path().join("x/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"office-models\""), "{manifest}");
}

#[test]
fn docs_pages_are_read_with_the_csdl() {
    let page = "---\ntitle: Get thing\ndoc_type: apiPageType\n---\n# Get thing\n\n<!-- { blockType: \"request\", } -->\n```http\nGET /things\n```\n";
    let dir = workspace(&[("good.xml", &schema(GOOD)), ("page.md", page)]);
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("metadata/page.md:7:1: warning: metadata comment is not strict JSON"),
        "{}",
        run.stderr
    );
    let run = codegen(dir.path(), &["lint"]);
    assert!(
        run.stderr
            .contains("metadata/page.md:9:1: warning[unknown-path]: `GET /things` matches no path"),
        "{}",
        run.stderr
    );
}

#[test]
fn lint_reports_warnings_with_exit_0_and_errors_with_exit_1() {
    let warning = schema(
        r#"      <ComplexType Name="a">
        <Property Name="request-id" Type="Edm.String" />
        <Property Name="requestId" Type="Edm.String" />
      </ComplexType>
"#,
    );
    let dir = workspace(&[("warn.xml", &warning)]);
    let run = codegen(dir.path(), &["lint"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "metadata/warn.xml:5:19: warning: `request-id` is not a valid CSDL identifier"
        ),
        "{}",
        run.stderr
    );
    fs::write(
        dir.path().join("metadata/bad.xml"),
        schema("<ComplexType Name=\"b\" BaseType=\"ex.zz\"/>"),
    )
    .unwrap();
    let run = codegen(dir.path(), &["lint"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("metadata/bad.xml:4:23: error: unknown base type `ex.zz`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_output_can_never_leave_out_through_names() {
    // Namespaces and type names become identifiers, never path segments.
    let text = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Crate.Super.Self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="mod" />
      <ComplexType Name="Mod" />
    </Schema>
    <Schema Namespace="support" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="_" />
      <ComplexType Name="lib" />
    </Schema>
    <Schema Namespace="café.über" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="naïve" />
    </Schema>
    <Schema Namespace="dynamic" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="requests">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityContainer Name="service">
        <EntitySet Name="mod" EntityType="dynamic.requests" />
        <EntitySet Name="full" EntityType="dynamic.requests" />
        <Singleton Name="default" Type="dynamic.requests" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
    let dir = workspace(&[("names.xml", text)]);
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
    let mut paths: Vec<_> = snapshot_tree(&dir.path().join("out"))
        .into_keys()
        .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    paths.sort();
    insta::assert_snapshot!(paths.join("\n"));
    // Entry points named like the crate's own features get features of their own.
    let manifest = fs::read_to_string(dir.path().join("out/Cargo.toml")).unwrap();
    // Features defined on a line of their own (`full`'s list spans lines), internal gates
    // (`_g-…`) aside.
    let section = manifest
        .split("[features]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_default();
    let features: Vec<&str> = section
        .lines()
        .filter(|l| l.ends_with(']') && !l.starts_with('_'))
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name))
        .collect();
    assert_eq!(
        features,
        [
            "default",
            "client",
            "dynamic",
            "azure-identity",
            "default_2",
            "full_2",
            "mod"
        ],
        "{manifest}"
    );
    assert_eq!(
        snapshot_tree(dir.path()).len(),
        paths.len() + 1,
        "only out/ and the metadata file exist"
    );
    // And a namespace that is not dot-separated identifiers, or an entry point that is not an
    // identifier (it is a URL segment), is refused outright.
    let bad = text.replace("Crate.Super.Self", "up/../..").replace(
        "Singleton Name=\"default\"",
        "Singleton Name=\"../default\"",
    );
    let stderr = rejected(&[("names.xml", &bad)]);
    assert!(
        stderr.contains("`up/../..` is not a valid namespace"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`../default` is not a valid entity set or singleton name"),
        "{stderr}"
    );
}

/// One page per lint finding in `tests/lint/`, checked against `tests/lint/model.csdl.xml`
/// (and the permission names of `tests/lint-permissions.json`).
#[test]
fn lint_reports_each_finding_with_its_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let lint = [
        "lint",
        "--metadata",
        "tests/lint",
        "--permissions",
        "tests/lint-permissions.json",
    ];
    let run = codegen(&root, &lint);
    assert_eq!(run.code, 0, "warnings alone exit 0:\n{}", run.stderr);
    // Every code but the metadata comment's error, which `tests/lint-unreadable` shows.
    for code in codegen::lint::Code::ALL {
        if *code == codegen::lint::Code::MetadataComment {
            continue;
        }
        let name = code.name();
        assert!(
            run.stderr.contains(&format!("warning[{name}]")),
            "no {name} finding:\n{}",
            run.stderr
        );
    }
    // Pages of the dialect that real docs write and that are right: no finding.
    for clean in [
        "clean",
        "path-dialect",
        "status-prose",
        "multi-type",
        "callbacks",
        "truncated-in-prose",
        "open-type",
        "nav-over-type",
        "parameter-tables",
        "content-length-shortened",
        "tabs-and-zones",
        "metadata-keys",
        "value-types",
        "status-per-example",
        "path-addressing",
        "header-prose",
        "elided-path",
        "property-paths",
        "media-derived",
        "status-alternatives",
        "collection-case",
        "any-json",
        "string-content-table",
        "html-cells",
        "abstract-update",
        "content-length-one-line",
        "function-result-body",
        "table-dialect",
        "enum-members-like-placeholders",
        "status-sub-sections",
    ] {
        assert!(
            !run.stderr.contains(&format!("tests/lint/{clean}.md")),
            "the clean page {clean}.md has findings:\n{}",
            run.stderr
        );
    }
    // A value wrapper is one finding, not findings about the properties inside it.
    assert_eq!(run.stderr.matches("tests/lint/value-wrapper.md").count(), 1);
    insta::assert_snapshot!(run.stderr);
    let denied = codegen(
        &root,
        &["lint", "--metadata", "tests/lint", "--deny-warnings"],
    );
    assert_eq!(denied.code, 1);
    let clean = codegen(
        &root,
        &[
            "lint",
            "--metadata",
            "tests/lint/clean.md",
            "--metadata",
            "tests/lint/model.csdl.xml",
            "--deny-warnings",
        ],
    );
    assert_eq!(clean.code, 0, "{}", clean.stderr);
}

/// `generate` does not lint, but an example that is not JSON is left out of what the pages
/// contribute, and it says so where the JSON breaks.
#[test]
fn generate_warns_about_examples_that_are_not_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = codegen(
        &root,
        &[
            "generate",
            "--metadata",
            "tests/lint/invalid-json.md",
            "--metadata",
            "tests/lint/model.csdl.xml",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "tests/lint/invalid-json.md:26:3: warning: the example is not JSON (a comment)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("warning["),
        "no lint codes: {}",
        run.stderr
    );
}

/// An unreadable metadata comment (`tests/lint-unreadable/`) is one located error: the model
/// is still built and the other pages are linted; the error makes the exit code 1.
#[test]
fn an_unreadable_metadata_comment_is_one_error_and_other_pages_are_still_linted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let run = codegen(
        &root,
        &[
            "lint",
            "--metadata",
            "tests/lint-unreadable",
            "--metadata",
            "tests/lint/model.csdl.xml",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches(": error[metadata-comment]:").count(),
        1,
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr);
}

/// Stderr lines that name a problem (`error:` or `warning:`) more than once.
fn repeated_lines(stderr: &str) -> Vec<&str> {
    let mut seen = std::collections::BTreeSet::new();
    stderr
        .lines()
        .filter(|line| !line.contains(": note: "))
        .filter(|line| !seen.insert(*line))
        .collect()
}

#[test]
fn key_property_refs_name_single_valued_structural_properties() {
    let text = schema(
        r#"      <ComplexType Name="address">
        <Property Name="city" Type="Edm.String" Nullable="false" />
        <Property Name="lines" Type="Collection(Edm.String)" />
      </ComplexType>
      <EntityType Name="order">
        <Key>
          <PropertyRef Name="number" />
          <PropertyRef Name="missing" />
          <PropertyRef Name="customer" />
          <PropertyRef Name="tags" />
          <PropertyRef Name="shipTo" />
          <PropertyRef Name="shipTo/city" />
          <PropertyRef Name="shipTo/lines" />
          <PropertyRef Name="number/digits" />
          <PropertyRef Name="payload" />
        </Key>
        <Property Name="number" Type="Edm.Int32" Nullable="false" />
        <Property Name="tags" Type="Collection(Edm.String)" />
        <Property Name="shipTo" Type="ex.address" Nullable="false" />
        <Property Name="payload" Type="Edm.Untyped" />
        <NavigationProperty Name="customer" Type="ex.order" />
      </EntityType>
      <EntityType Name="keyless" Abstract="true">
        <Property Name="code" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="coded" BaseType="ex.keyless">
        <Key><PropertyRef Name="code" /></Key>
      </EntityType>
"#,
    );
    let stderr = rejected(&[("keys.xml", &text)]);
    // `number`, `shipTo/city` and the inherited `code` are keys; the rest are errors, once each.
    assert_eq!(stderr.matches("error:").count(), 7, "{stderr}");
    assert!(repeated_lines(&stderr).is_empty(), "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn enum_member_values_fit_the_underlying_type_and_are_reported_once() {
    let text = schema(
        r#"      <EnumType Name="size" UnderlyingType="Edm.Byte">
        <Member Name="smallest" Value="0" />
        <Member Name="largest" Value="255" />
        <Member Name="huge" Value="300" />
        <Member Name="negative" Value="-1" />
      </EnumType>
      <EnumType Name="next" UnderlyingType="Edm.Byte">
        <Member Name="last" Value="255" />
        <Member Name="overflowing" />
      </EnumType>
      <EnumType Name="signed" UnderlyingType="Edm.SByte">
        <Member Name="low" Value="-128" />
        <Member Name="tooLow" Value="-129" />
      </EnumType>
      <EnumType Name="short" UnderlyingType="Edm.Int16">
        <Member Name="tooHigh" Value="32768" />
      </EnumType>
      <EnumType Name="plain">
        <Member Name="tooHigh" Value="2147483648" />
      </EnumType>
      <EnumType Name="wide" UnderlyingType="Edm.Int64">
        <Member Name="lowest" Value="-9223372036854775808" />
        <Member Name="tooHigh" Value="9223372036854775808" />
      </EnumType>
      <EnumType Name="notAnInteger" UnderlyingType="Edm.String">
        <Member Name="large" Value="3000000000" />
      </EnumType>
      <ComplexType Name="usesSize">
        <Property Name="a" Type="ex.size" />
        <Property Name="b" Type="Collection(ex.size)" />
      </ComplexType>
"#,
    );
    let stderr = rejected(&[("enums.xml", &text)]);
    // Seven values out of range, and an underlying type that is not an integer type (whose
    // member is not reported as well).
    assert_eq!(stderr.lines().count(), 8, "one line per problem:\n{stderr}");
    assert!(repeated_lines(&stderr).is_empty(), "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn abstract_types_are_refused_where_csdl_does_not_allow_them() {
    let text = schema(
        r#"      <ComplexType Name="holder">
        <Property Name="anyEntity" Type="Edm.EntityType" />
        <Property Name="anyComplex" Type="Edm.ComplexType" />
        <Property Name="anyPrimitive" Type="Edm.PrimitiveType" />
        <Property Name="path" Type="Edm.AnyPropertyPath" />
      </ComplexType>
      <TypeDefinition Name="anything" UnderlyingType="Edm.PrimitiveType" />
      <TypeDefinition Name="untyped" UnderlyingType="Edm.Untyped" />
      <TypeDefinition Name="path" UnderlyingType="Edm.PropertyPath" />
"#,
    );
    insta::assert_snapshot!(rejected(&[("abstract.xml", &text)]));
}

const REFERENCING: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="https://example.com/vocabularies/Units.xml">
    <edmx:Include Namespace="Example.Units.V1" Alias="U" />
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="shop" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="weight" BaseType="U.measure">
        <Property Name="unit" Type="Example.Units.V1.unit" />
        <Property Name="history" Type="Collection(U.unit)" />
      </ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

/// The referenced document declares its namespace with an alias of its own, not the `U` the
/// referencing document's `edmx:Include` gives it.
const UNITS: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Example.Units.V1" Alias="Units" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="measure" Abstract="true" />
      <TypeDefinition Name="unit" UnderlyingType="Edm.String" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

#[test]
fn a_type_from_a_referenced_document_that_was_not_passed_names_the_reference() {
    insta::assert_snapshot!(rejected(&[("shop.xml", REFERENCING)]));
}

/// `generate` of `shop.xml` with the referenced `Units.xml` passed as a second input.
fn generate_with_units(shop: &str) -> Run {
    let dir = workspace(&[("shop.xml", shop)]);
    fs::create_dir(dir.path().join("vocabularies")).unwrap();
    fs::write(dir.path().join("vocabularies/Units.xml"), UNITS).unwrap();
    let run = codegen(
        dir.path(),
        &[
            "generate",
            "--metadata",
            "metadata",
            "--metadata",
            "vocabularies/Units.xml",
            "--out",
            "out",
        ],
    );
    run
}

#[test]
fn a_referenced_document_passed_as_another_metadata_input_resolves_the_include_alias() {
    let run = generate_with_units(REFERENCING);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn bidirectional_controls_in_names_get_located_warnings_that_show_them_escaped() {
    let text = schema(
        "      <EntityType Name=\"item\u{202e}x\">
        <Key><PropertyRef Name=\"id\" /></Key>
        <Property Name=\"id\" Type=\"Edm.Int32\" Nullable=\"false\" />
        <Property Name=\"na\u{2066}me\" Type=\"Edm.String\" />
      </EntityType>
      <EnumType Name=\"colour\">
        <Member Name=\"re\u{200f}d\" />
      </EnumType>
      <EntityContainer Name=\"shop\">
        <EntitySet Name=\"items\u{202d}\" EntityType=\"ex.item\u{202e}x\" />
      </EntityContainer>
",
    );
    let dir = workspace(&[("bidi.xml", &text)]);
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    // An entity set's name is a URL segment: an error. The other names are generated.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        // Unicode's explicit bidirectional formatting characters (UAX #9 §2).
        !run.stderr.chars().any(|c| matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn a_property_with_the_json_name_of_control_information_is_left_out_with_a_located_warning() {
    let text = schema(
        r#"      <ComplexType Name="base">
        <Property Name="@odata.type" Type="Edm.String" />
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
      <ComplexType Name="derived" BaseType="ex.base">
        <Property Name="size" Type="Edm.Int32" />
      </ComplexType>
"#,
    );
    let dir = workspace(&[("collide.xml", &text)]);
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("not generated"))
        .collect();
    // Once, where it is declared, not again for the derived type that inherits it (besides
    // the warning that the name is not a CSDL identifier).
    assert_eq!(
        warnings,
        ["metadata/collide.xml:5:9: warning: property `@odata.type` is not generated: its JSON name is that of the `@odata.type` control information, which is read and written in the field `odata_type`"],
        "{}",
        run.stderr
    );
    let models = module_tree(&dir.path().join("out/src/example"));
    assert_eq!(
        models.matches("object.member(\"@odata.type\"").count(),
        2,
        "one `@odata.type` member written per struct"
    );
}

#[test]
fn keys_csdl_rules_out_but_services_send_get_located_warnings() {
    let text = schema(
        r#"      <EntityType Name="reading">
        <Key>
          <PropertyRef Name="sensor" />
          <PropertyRef Name="level" />
        </Key>
        <Property Name="sensor" Type="Edm.String" />
        <Property Name="level" Type="Edm.Double" Nullable="false" />
      </EntityType>
"#,
    );
    let dir = workspace(&[("readings.xml", &text)]);
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning: key"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(
        warnings[0].contains("readings.xml:")
            && warnings[0].contains("`sensor`")
            && warnings[0].contains("nullable"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].contains("`level`") && warnings[1].contains("Edm.Double"),
        "{}",
        warnings[1]
    );
}

#[test]
fn an_include_alias_given_twice_or_naming_a_namespace_of_the_document_is_a_located_error() {
    let text = REFERENCING.replace(
        r#"    <edmx:Include Namespace="Example.Units.V1" Alias="U" />"#,
        r#"    <edmx:Include Namespace="Example.Units.V1" Alias="U" />
    <edmx:Include Namespace="Example.Money.V1" Alias="U" />
    <edmx:Include Namespace="Example.Other.V1" Alias="shop" />"#,
    );
    let run = generate_with_units(&text);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("shop.xml:4:5: error: the include alias `U` is already used for namespace `Example.Units.V1`"), "{}", run.stderr);
    assert!(run.stderr.contains("shop.xml:5:5: error: the include alias `shop` is the name of a namespace this document declares"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("not among the inputs"),
        "{}",
        run.stderr
    );
}

/// Docs-only input is never perfect: `tests/fixtures/docs-degraded` (navigation in a property
/// table, one type in two versions with a conflicting property type, an unreadable metadata
/// comment) generates its crate with located warnings and exits 0, and `check` finds it fresh.
/// The unreadable comment is a warning for `generate` (the block is read without it) and an
/// error for `lint`, which exits 1: a broken page fails a docs CI, not a regeneration.
#[test]
fn an_unreadable_comment_is_a_warning_for_generate_and_an_error_for_lint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let input = root.join("tests/fixtures/docs-degraded/input");
    let dir = tempfile::tempdir().unwrap();
    let input = input.to_str().unwrap();
    let run = codegen(
        dir.path(),
        &["generate", "--metadata", input, "--out", "out"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains(": error"), "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches(": warning[metadata-comment]: unreadable metadata comment")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the block is read without it"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning: property `featuredPart`"),
        "{}",
        run.stderr
    );
    assert!(dir.path().join("out/src/lib.rs").is_file());
    let check = codegen(dir.path(), &["check", "--metadata", input, "--out", "out"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("is up to date"), "{}", check.stderr);

    let lint = codegen(dir.path(), &["lint", "--metadata", input]);
    assert_eq!(lint.code, 1, "{}", lint.stderr);
    assert_eq!(
        lint.stderr
            .matches(": error[metadata-comment]: unreadable metadata comment")
            .count(),
        1,
        "{}",
        lint.stderr
    );

    // With CSDL beside the same pages, the comment is a warning for generate too.
    let with_csdl = tempfile::tempdir().unwrap();
    let csdl = root.join("tests/lint/model.csdl.xml");
    let run = codegen(
        with_csdl.path(),
        &[
            "generate",
            "--metadata",
            input,
            "--metadata",
            csdl.to_str().unwrap(),
            "--out",
            "out",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[metadata-comment]"),
        "{}",
        run.stderr
    );
}

/// What degrades in types synthesized from pages stays an error in CSDL: a structural property
/// of entity type is refused there, and nothing is written.
#[test]
fn csdl_keeps_its_strictness_about_entity_typed_structural_properties() {
    let dir = workspace(&[(
        "strict.xml",
        &schema(
            r#"      <EntityType Name="part">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <ComplexType Name="thing">
        <Property Name="part" Type="example.part" />
      </ComplexType>
"#,
        ),
    )]);
    let before = snapshot_tree(&dir.path().join("out"));
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("structural property `part` cannot have entity type `example.part`: use a NavigationProperty"),
        "{}",
        run.stderr
    );
    assert_eq!(before, snapshot_tree(&dir.path().join("out")));
}

/// A link to a directory under `--metadata` is not followed (a cycle cannot loop), and says
/// so: a warning located at the link, not a silent skip.
#[cfg(unix)]
#[test]
fn a_link_to_a_directory_is_not_followed_and_says_so() {
    let dir = workspace(&[("good.xml", &schema(GOOD))]);
    fs::create_dir(dir.path().join("elsewhere")).unwrap();
    fs::write(
        dir.path().join("elsewhere/other.xml"),
        schema(r#"      <ComplexType Name="other" />"#),
    )
    .unwrap();
    std::os::unix::fs::symlink("../elsewhere", dir.path().join("metadata/linked")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("metadata/cycle")).unwrap();
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for link in ["metadata/cycle", "metadata/linked"] {
        assert!(
            run.stderr.contains(&format!("{link}:1:1: warning:")),
            "{link}: {}",
            run.stderr
        );
    }
    let module = module_tree(&dir.path().join("out/src/example"));
    assert!(!module.contains("struct Other"), "the link was followed");
}

/// `--service-root` makes a service's absolute URLs requests to it; without it they go to
/// another host, and the summary counts them.
#[test]
fn lint_checks_the_requests_of_the_service_root_and_counts_other_hosts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let args = [
        "lint",
        "--metadata",
        "tests/lint-service-root",
        "--metadata",
        "tests/lint/model.csdl.xml",
    ];
    let without = codegen(&root, &args);
    assert!(
        !without.stderr.contains("unknown-path"),
        "{}",
        without.stderr
    );
    assert!(
        without.stderr.contains(
            "codegen: 3 requests to other hosts than the service's, not matched against the metadata: api.contoso.example 3"
        ),
        "{}",
        without.stderr
    );
    let mut with_root = args.to_vec();
    with_root.extend(["--service-root", "https://api.contoso.example/odata/v2/"]);
    let with = codegen(&root, &with_root);
    let findings: Vec<&str> = with
        .stderr
        .lines()
        .filter(|l| l.contains("warning["))
        .collect();
    assert_eq!(
        findings,
        ["tests/lint-service-root/gizmo-service.md:25:1: warning[unknown-path]: `GET /gizmos/g1` matches no path of the metadata"],
        "{}",
        with.stderr
    );
    assert!(!with.stderr.contains("other hosts"), "{}", with.stderr);
}

/// A page outside the directory codegen runs in is a `file:` URI in SARIF, percent-encoded.
#[test]
fn sarif_locates_a_page_elsewhere_by_its_file_uri() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let elsewhere = std::env::temp_dir().join(format!("codegen sarif {}", std::process::id()));
    let _ = std::fs::remove_dir_all(&elsewhere);
    std::fs::create_dir_all(&elsewhere).unwrap();
    let page = elsewhere.join("unknown property [1].md");
    std::fs::copy(root.join("tests/lint/unknown-property.md"), &page).unwrap();
    // Named through the working directory's parent: `..` is resolved, not kept.
    let page_arg = format!("../{}", page.strip_prefix("/").unwrap().display()).replace(
        "../",
        &"../".repeat(root.canonicalize().unwrap().components().count()),
    );
    let sarif = codegen(
        &root,
        &[
            "lint",
            "--metadata",
            &page_arg,
            "--metadata",
            "tests/lint/model.csdl.xml",
            "--format",
            "sarif",
        ],
    );
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF on stdout");
    let location =
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    let uri = location["uri"].as_str().unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(uri.contains("/codegen%20sarif%20"), "{uri}");
    assert!(uri.ends_with("/unknown%20property%20%5B1%5D.md"), "{uri}");
    assert!(location.get("uriBaseId").is_none(), "{location}");
    std::fs::remove_dir_all(&elsewhere).unwrap();
}

/// `--format json`, `sarif` and `github` print the same findings for machines, on stdout:
/// each at its page's line and column.
#[test]
fn lint_formats_for_ci_tools() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let args = |format: &'static str| {
        [
            "lint",
            "--metadata",
            "tests/lint/unknown-property.md",
            "--metadata",
            "tests/lint/model.csdl.xml",
            "--format",
            format,
        ]
    };
    let human = codegen(&root, &args("human"));
    let expected = "tests/lint/unknown-property.md:25:64: warning[unknown-property]: `colour` is not a property of `example.lint.gadget`";
    assert!(human.stderr.contains(expected), "{}", human.stderr);
    assert!(
        human
            .stderr
            .contains("codegen: by code: unknown-property 1"),
        "{}",
        human.stderr
    );

    let json = codegen(&root, &args("json"));
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON on stdout");
    let finding = &value["findings"][0];
    assert_eq!(finding["code"], "unknown-property");
    assert_eq!(finding["at"]["path"], "tests/lint/unknown-property.md");
    assert_eq!(
        (
            finding["at"]["line"].as_u64(),
            finding["at"]["column"].as_u64()
        ),
        (Some(25), Some(64))
    );
    assert_eq!(value["summary"]["by_code"]["unknown-property"], 1);

    let sarif = codegen(&root, &args("sarif"));
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF on stdout");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        codegen::lint::Code::ALL.len() + 1,
        "a rule per code and `input`"
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "unknown-property");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "unknown-property"
    );
    assert_eq!(result["level"], "warning");
    let region = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        region["artifactLocation"]["uri"],
        "tests/lint/unknown-property.md"
    );
    // Relative to where codegen ran, which the log names: code scanning matches such paths
    // with the repository's files.
    assert_eq!(region["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    assert_eq!(
        (
            region["region"]["startLine"].as_u64(),
            region["region"]["startColumn"].as_u64()
        ),
        (Some(25), Some(64))
    );

    let github = codegen(&root, &args("github"));
    assert_eq!(
        github.stdout.lines().next(),
        Some("::warning file=tests/lint/unknown-property.md,line=25,col=64,title=unknown-property::`colour` is not a property of `example.lint.gadget`"),
        "{}",
        github.stdout
    );
    assert!(
        github
            .stdout
            .contains("::notice title=codegen lint::by code: unknown-property 1"),
        "{}",
        github.stdout
    );
}

/// The extension points refuse what they cannot do, each with an error naming the option's
/// subject, exit 1 and nothing written: a selector or property that names nothing, text that
/// is no outer attribute, a path that is no Rust path, and types that cannot be replaced.
#[test]
fn customizations_that_cannot_apply_are_errors() {
    const SHOP: &str = r#"      <ComplexType Name="money">
        <Property Name="amount" Type="Edm.Decimal" />
      </ComplexType>
      <ComplexType Name="price" BaseType="ex.money" />
      <EntityType Name="order">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="total" Type="ex.money" />
      </EntityType>
"#;
    let dir = workspace(&[("shop.xml", &schema(SHOP))]);
    let cases: [(&[&str], &str); 7] = [
        (
            &["--type-attribute", "example.nothing=#[must_use]"],
            "type attribute for `example.nothing`: no type or namespace of that name",
        ),
        (
            &["--type-attribute", "ex.order=derive(Hash)"],
            "type attribute for `ex.order`: `derive(Hash)` is not an outer attribute",
        ),
        (
            &["--type-attribute", "ex.order=#![allow(dead_code)]"],
            "`#![allow(dead_code)]` is not an outer attribute",
        ),
        (
            &["--field-attribute", "example.order.missing=#[must_use]"],
            "field attribute for `example.order.missing`: no property of that name",
        ),
        (
            &["--extern-type", "example.order=::serde_json::Value"],
            "extern type for `example.order`: an entity type cannot be replaced",
        ),
        (
            &["--extern-type", "example.money=::serde_json::Value"],
            "extern type for `example.money`: a complex type with a base or derived types",
        ),
        (
            &["--extern-type", "example.order=not a path"],
            "extern type for `example.order`: `not a path` is not a Rust path",
        ),
    ];
    let before = snapshot_tree(dir.path());
    for (options, message) in cases {
        let mut args = vec!["generate", "--out", "out"];
        args.extend_from_slice(options);
        let run = codegen(dir.path(), &args);
        assert_eq!(run.code, 1, "{options:?}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{options:?}: {}", run.stderr);
        assert_eq!(snapshot_tree(dir.path()), before, "{options:?} wrote files");
    }
    let run = codegen(
        dir.path(),
        &["generate", "--out", "out", "--extern-type", "example.money"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// `--runtime crate` writes the crate of the `runtime-crate` fixture, which the workspace
/// compiles, lints and tests against the runtime crate (`codegen/templates`): so the command
/// line's output builds on it. Without `--runtime-path` the manifest names the runtime crate by
/// its exact version alone, as a published crate would be named.
#[test]
fn runtime_crate_writes_a_crate_on_the_runtime_crate() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/runtime-crate");
    let input = fixture.join("input.xml");
    let input = input.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--metadata",
        input,
        "--crate-name",
        "fixture-runtime-crate",
        "--runtime",
        "crate",
        "--runtime-path",
        "../../../../codegen/templates",
    ];
    let run = codegen(
        dir.path(),
        &[&["generate", "--out", "expected"][..], &args].concat(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = snapshot_tree(&dir.path().join("expected"));
    let written: BTreeMap<PathBuf, Vec<u8>> = written
        .into_iter()
        .filter(|(path, _)| !path.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|(path, (bytes, _))| {
            let relative = path.strip_prefix(dir.path().join("expected")).unwrap();
            (relative.to_path_buf(), bytes)
        })
        .collect();
    let committed: BTreeMap<PathBuf, Vec<u8>> = snapshot_tree(&fixture.join("expected"))
        .into_iter()
        .map(|(path, (bytes, _))| {
            let relative = path.strip_prefix(fixture.join("expected")).unwrap();
            (relative.to_path_buf(), bytes)
        })
        .filter(|(path, _)| path.starts_with("src") || path == Path::new("Cargo.toml"))
        .collect();
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>()
    );
    assert!(written == committed, "the fixture's crate differs");
    assert!(written.contains_key(Path::new("src/client.rs")));
    assert!(!written.contains_key(Path::new("src/request/mod.rs")));

    let run = codegen(
        dir.path(),
        &[
            "generate",
            "--out",
            "published",
            "--metadata",
            input,
            "--runtime",
            "crate",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest = fs::read_to_string(dir.path().join("published/Cargo.toml")).unwrap();
    let pinned = format!(
        "\ncodegen-runtime = {{ version = \"={}\", default-features = false }}\n",
        env!("CARGO_PKG_VERSION")
    );
    assert!(manifest.contains(&pinned), "{manifest}");
    // The vendored crate of the same input, over it, puts the runtime's copy back.
    let run = codegen(
        dir.path(),
        &["generate", "--out", "published", "--metadata", input],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("published/src/request/mod.rs").is_file());
    assert!(!dir.path().join("published/src/support.rs").exists());

    let run = codegen(
        dir.path(),
        &["generate", "--metadata", input, "--runtime-path", "x"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("give --runtime crate"),
        "{}",
        run.stderr
    );
}

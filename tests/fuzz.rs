//! A short fuzzing run in every `cargo test`: random bytes, mutations of real metadata and
//! pages, and random well-formed CSDL go through the whole generator (parse, resolve, emit,
//! format). Whatever the input, the generator must not panic, every diagnostic must point into
//! the input, and a model that resolves must emit valid Rust. The long runs use the cargo-fuzz
//! targets in `codegen/fuzz/`. `PROPTEST_CASES=10000 cargo test -p codegen-tests --test fuzz`
//! runs more cases here.

use std::path::Path;

use proptest::prelude::*;

const AREA_CSDL: &str = include_str!("../metadata/office-configuration.csdl.xml");
const PAGE: &str = include_str!("../metadata/docs/api/officeclientconfiguration-assign.md");
const RESOURCE_PAGE: &str = include_str!("../metadata/docs/resources/officeclientconfiguration.md");

/// Runs the generator on in-memory files and checks what must hold for any input.
fn generate(files: &[(&str, &str)]) {
    let mut generator = codegen::Generator::new();
    for (name, text) in files {
        generator.text(*name, *text);
    }
    let generation = generator.generate();
    for (diagnostic, line) in generation
        .diagnostics
        .iter()
        .zip(generation.rendered_diagnostics())
    {
        let located = files
            .iter()
            .any(|(name, _)| line.starts_with(&format!("{name}:")));
        assert!(
            located || diagnostic.span.is_none(),
            "a diagnostic without a position: {line}"
        );
        assert!(!line.contains("internal error"), "{line}");
    }
    if generation.files().is_none() {
        assert!(generation.has_errors(), "no output, but no error either");
    }
    for path in generation.files().into_iter().flat_map(|f| f.keys()) {
        let safe = Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        assert!(safe, "a generated path that could leave --out: {path}");
    }
    // The linter reads the same pages against the model.
    drop(generator.load().lint());
}

/// Pieces of CSDL and Markdown syntax that mutations splice in, so that they reach past the
/// first syntax error.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "/>",
    "</",
    "\"",
    "'",
    "=",
    "&",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "<!DOCTYPE x>",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml?>",
    "\u{feff}",
    "\r\n",
    "\t",
    " ",
    "\0",
    "é",
    "Name=\"a\"",
    "Name=\"\"",
    "Name=\"type\"",
    "Name=\"Self\"",
    "Name=\"1x\"",
    "Type=\"Collection(",
    "Type=\"Edm.Stream\"",
    "Type=\"graph.entity\"",
    "BaseType=\"graph.entity\"",
    "BaseType=\"graph.officeClientConfiguration\"",
    "Abstract=\"true\"",
    "OpenType=\"true\"",
    "HasStream=\"true\"",
    "Nullable=\"false\"",
    "ContainsTarget=\"true\"",
    "IsBound=\"true\"",
    "IsFlags=\"true\"",
    "Value=\"-1\"",
    "<EntityType Name=\"x\" BaseType=\"graph.x\">",
    "<ComplexType Name=\"entity\">",
    "<NavigationProperty Name=\"n\" Type=\"Collection(graph.entity)\" ContainsTarget=\"true\" />",
    "<Parameter Name=\"bindingParameter\" Type=\"graph.entity\" />",
    "<EntitySet Name=\"s\" EntityType=\"graph.entity\" />",
    "<Singleton Name=\"s\" Type=\"graph.x\" />",
    "<Annotation Term=\"Core.Description\" String=\"d\" />",
    "<Key><PropertyRef Name=\"id\" /></Key>",
    "---",
    "# ",
    "## Request",
    "## Response",
    "```http\n",
    "```json\n",
    "```\n",
    "|",
    "| --- |",
    "<!-- { \"blockType\": \"request\" } -->",
    "<!-- {",
    "} -->",
    "\"@odata.type\"",
    "POST /officeConfiguration/clientConfigurations HTTP/1.1\n",
    "HTTP/1.1 201 Created\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\n\n",
    "> ",
    "- ",
    "`",
    "*",
    "\\",
];

#[derive(Clone, Debug)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, token: usize },
    Duplicate { at: usize, len: usize },
    Byte { at: usize, byte: u8 },
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), 1..64usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), any::<usize>()).prop_map(|(at, token)| Edit::Insert { at, token }),
        (any::<usize>(), 1..256usize).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Byte { at, byte }),
    ];
    prop::collection::vec(edit, 1..8)
}

/// Applies byte-level edits; the result is read as UTF-8 lossily, as files are not (a file
/// that is not UTF-8 is refused before parsing, which `cli.rs` tests).
fn mutate(seed: &str, edits: &[Edit]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for edit in edits {
        let at = |n: usize| n % (bytes.len() + 1);
        match *edit {
            Edit::Delete { at: a, len } => {
                let start = at(a);
                let end = (start + len).min(bytes.len());
                bytes.drain(start..end);
            }
            Edit::Insert { at: a, token } => {
                let start = at(a);
                let token = TOKENS[token % TOKENS.len()].as_bytes();
                bytes.splice(start..start, token.iter().copied());
            }
            Edit::Duplicate { at: a, len } => {
                let start = at(a);
                let end = (start + len).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Edit::Byte { at: a, byte } => {
                let index = at(a);
                if index < bytes.len() {
                    bytes[index] = byte;
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Random CSDL that is mostly valid, so that it gets past resolution: types with hostile or
/// clashing names (distinct in CSDL, often not in Rust), bases of the same kind declared
/// before (no cycles), properties of any fitting type, containment, entity sets, and bound
/// operations.
fn random_csdl() -> impl Strategy<Value = String> {
    const NAMES: &[&str] = &[
        "a",
        "A",
        "entity",
        "type",
        "Self",
        "self",
        "super",
        "crate",
        "mod",
        "Option",
        "Vec",
        "String",
        "Box",
        "Default",
        "Other",
        "_",
        "__",
        "x1",
        "café",
        "a_b",
        "aB",
        "AB",
        "additionalProperties",
        "odataType",
        "id",
        "Request",
        "client",
        "full",
        "default",
        "dynamic",
        "requests",
        "Any",
        "AnyA",
        "value",
        "Page",
        "Context",
        "Operation",
    ];
    let name = prop::sample::select(NAMES);
    let property = (
        name.clone(),
        any::<usize>(),
        any::<bool>(),
        any::<bool>(),
        0..3u8,
    );
    let ty = (
        name.clone(),
        any::<bool>(),
        prop::option::of(any::<usize>()),
        any::<bool>(),
        prop::collection::vec(property, 0..5),
    );
    (
        prop::collection::vec(ty, 1..12),
        prop::collection::vec((name.clone(), any::<usize>()), 0..4),
        prop::collection::vec((name, any::<usize>(), any::<usize>(), any::<bool>()), 0..4),
    )
        .prop_map(|(types, sets, operations)| {
            let mut taken = std::collections::HashSet::new();
            let mut unique = |name: &str| {
                let name = (1..)
                    .map(|n| if n == 1 { name.to_owned() } else { format!("{name}{n}") })
                    .find(|candidate| taken.insert(candidate.clone()))
                    .expect("a free name");
                name
            };
            let names: Vec<String> = types.iter().map(|t| unique(t.0)).collect();
            let entities: Vec<usize> = (0..types.len()).filter(|&i| types[i].1).collect();
            let complexes: Vec<usize> = (0..types.len()).filter(|&i| !types[i].1).collect();
            let pick = |from: &[usize], n: usize| from.get(n % from.len().max(1)).copied();
            const PRIMITIVES: &[&str] = &["Edm.String", "Edm.Int32", "Edm.Stream", "Edm.Untyped", "Edm.DateTimeOffset", "Edm.Binary"];
            let mut body = String::new();
            for (i, (_, is_entity, base, is_abstract, properties)) in types.iter().enumerate() {
                let element = if *is_entity { "EntityType" } else { "ComplexType" };
                let same_kind = if *is_entity { &entities } else { &complexes };
                let earlier: Vec<usize> = same_kind.iter().copied().filter(|&j| j < i).collect();
                let base = base
                    .and_then(|b| pick(&earlier, b))
                    .map(|b| format!(" BaseType=\"ns.{}\"", names[b]))
                    .unwrap_or_default();
                body.push_str(&format!(
                    "<{element} Name=\"{}\"{base} Abstract=\"{is_abstract}\" OpenType=\"true\">\n",
                    names[i]
                ));
                for (property, target, collection, nullable, kind) in properties {
                    let property = unique(property);
                    let wrap = |t: String| if *collection { format!("Collection({t})") } else { t };
                    let line = match (kind, pick(&entities, *target)) {
                        (1, Some(e)) => format!("<NavigationProperty Name=\"{property}\" Type=\"{}\" ContainsTarget=\"true\" />", wrap(format!("ns.{}", names[e]))),
                        (2, Some(e)) => format!("<NavigationProperty Name=\"{property}\" Type=\"{}\" />", wrap(format!("ns.{}", names[e]))),
                        _ => {
                            let target = match pick(&complexes, *target) {
                                Some(c) if target % 2 == 0 => format!("ns.{}", names[c]),
                                _ => PRIMITIVES[target % PRIMITIVES.len()].to_owned(),
                            };
                            format!("<Property Name=\"{property}\" Type=\"{}\" Nullable=\"{nullable}\" />", wrap(target))
                        }
                    };
                    body.push_str(&line);
                    body.push('\n');
                }
                body.push_str(&format!("</{element}>\n"));
            }
            for (name, binding, returns, is_action) in &operations {
                let Some(binding) = pick(&entities, *binding) else { continue };
                let element = if *is_action { "Action" } else { "Function" };
                let returns = match pick(&complexes, *returns) {
                    Some(c) => format!("ns.{}", names[c]),
                    None => PRIMITIVES[returns % PRIMITIVES.len()].to_owned(),
                };
                body.push_str(&format!(
                    "<{element} Name=\"{name}\" IsBound=\"true\"><Parameter Name=\"this\" Type=\"ns.{}\" /><Parameter Name=\"p\" Type=\"{returns}\" /><ReturnType Type=\"{returns}\" /></{element}>\n",
                    names[binding],
                ));
            }
            body.push_str("<EntityContainer Name=\"c\">\n");
            for (name, ty) in &sets {
                if let Some(e) = pick(&entities, *ty) {
                    body.push_str(&format!(
                        "<EntitySet Name=\"{}\" EntityType=\"ns.{}\" />\n",
                        unique(name),
                        names[e]
                    ));
                }
            }
            body.push_str("</EntityContainer>\n");
            format!(
                "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"><edmx:DataServices><Schema Namespace=\"ns\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n{body}</Schema></edmx:DataServices></edmx:Edmx>\n"
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_bytes_as_csdl_and_as_a_page(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        generate(&[("fuzz.xml", &text)]);
        generate(&[("fuzz.md", &text)]);
    }

    #[test]
    fn mutated_area_metadata(edits in edits()) {
        generate(&[("area.xml", &mutate(AREA_CSDL, &edits))]);
    }

    #[test]
    fn mutated_pages_alone_and_with_the_metadata(edits in edits()) {
        let page = mutate(PAGE, &edits);
        let resource = mutate(RESOURCE_PAGE, &edits);
        generate(&[("api.md", &page), ("resource.md", &resource)]);
        generate(&[("area.xml", AREA_CSDL), ("api.md", &page)]);
    }

    #[test]
    fn random_well_formed_csdl(csdl in random_csdl()) {
        generate(&[("random.xml", &csdl)]);
    }
}

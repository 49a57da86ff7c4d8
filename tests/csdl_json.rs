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

/// The whole Microsoft Graph v1.0 CSDL, converted to CSDL JSON by [`to_json`] (from the syntax
/// tree the XML reader builds), generates the same crate as the XML; prints both parse times.
/// `cargo test -p codegen-tests --release --test csdl_json -- --ignored --nocapture`
#[test]
#[ignore = "needs ../shared/corpus/graph-v1.0.csdl.xml"]
fn microsoft_graph_in_csdl_json_generates_the_same_crate() {
    let xml_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/graph-v1.0.csdl.xml");
    let xml = fs::read_to_string(&xml_path).expect("../shared/corpus/graph-v1.0.csdl.xml");
    let mut sources = codegen::source::SourceMap::default();
    let id = sources.add(xml_path.clone(), xml.clone());
    let parse = |text: &str, id| {
        let mut diagnostics = codegen::diagnostics::Diagnostics::default();
        let started = std::time::Instant::now();
        let document = codegen::csdl::parse(id, text, &mut diagnostics).expect("parses");
        (document, started.elapsed())
    };
    // Graph names functions like types of their schema (`image`): CSDL JSON, one member per
    // name, cannot say that, so those functions are left out of both forms.
    let (document, _) = parse(&xml, id);
    let xml = without_operations_named_like_types(&xml, &document);
    let id = sources.add(xml_path.clone(), xml.clone());
    let (document, _) = parse(&xml, id);
    let json = to_json(&document);
    let json_id = sources.add("graph.json".into(), json.clone());
    // Best of five, after a warm-up.
    let best = |text: &str, id| (0..5).map(|_| parse(text, id).1).min().unwrap();
    let (xml_time, json_time) = (best(&xml, id), best(&json, json_id));
    eprintln!(
        "Graph v1.0: XML {} bytes parsed in {xml_time:?}; CSDL JSON {} bytes parsed in {json_time:?}",
        xml.len(),
        json.len()
    );
    // Kept for the benchmark: `cargo bench -p codegen --features internals --bench pipeline --
    // --input target/tmp/graph-v1.0.csdl.json`.
    let json_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("graph-v1.0.csdl.json");
    fs::write(&json_path, &json).unwrap();
    eprintln!("wrote {}", json_path.display());
    let xml_copy = json_path.with_extension("xml");
    fs::write(&xml_copy, &xml).unwrap();
    let (from_xml, _) = generate(&[xml_copy]);
    let (from_json, _) = generate(&[json_path]);
    assert_eq!(from_xml.len(), from_json.len());
    for (path, text) in &from_xml {
        assert!(text == &from_json[path], "{path} differs");
    }
}

/// `xml` without the `Action` and `Function` elements whose names a type of their schema
/// has (text between `<Function Name="x"` and its `</Function>`).
fn without_operations_named_like_types(xml: &str, document: &codegen::csdl::Document) -> String {
    let mut names = std::collections::BTreeSet::new();
    for schema in &document.schemas {
        let types: std::collections::HashSet<&str> = schema
            .structured_types
            .iter()
            .map(|t| t.name.text.as_str())
            .chain(schema.enum_types.iter().map(|t| t.name.text.as_str()))
            .chain(schema.type_definitions.iter().map(|t| t.name.text.as_str()))
            .collect();
        names.extend(
            schema
                .operations
                .iter()
                .map(|o| o.name.text.as_str())
                .filter(|n| types.contains(n)),
        );
    }
    let mut text = xml.to_owned();
    for name in &names {
        for element in ["Function", "Action"] {
            let start = format!("<{element} Name=\"{name}\"");
            while let Some(at) = text.find(&start) {
                let end = text[at..]
                    .find(&format!("</{element}>"))
                    .map(|e| at + e + element.len() + 3)
                    .unwrap();
                text.replace_range(at..end, "");
            }
        }
    }
    eprintln!("left out of both forms: functions and actions named like types: {names:?}");
    text
}

/// CSDL JSON of a CSDL syntax tree: what the XML says, written with CSDL JSON's defaults
/// (`$Nullable` false unless true, a decimal's `$Scale` `variable` unless given, `0` for XML's
/// default). A test tool: it writes what the syntax tree keeps, in document order.
fn to_json(document: &codegen::csdl::Document) -> String {
    use codegen::csdl::{Annotation, OperationKind, StructuredKind};
    use std::fmt::Write;
    let q = |s: &str| serde_json::to_string(s).unwrap();
    fn annotations(out: &mut String, prefix: &str, list: &[Annotation]) {
        let mut seen = std::collections::HashSet::new();
        for a in list {
            let mut key = format!("{prefix}@{}", a.term.text);
            if let Some(q) = &a.qualifier {
                key.push('#');
                key.push_str(q);
            }
            if !seen.insert(key.clone()) {
                continue;
            }
            let value = if let Some(s) = &a.string {
                serde_json::to_string(s).unwrap()
            } else if !a.record.is_empty() {
                let members: Vec<String> = a
                    .record
                    .iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).unwrap()))
                    .collect();
                format!("{{{}}}", members.join(","))
            } else {
                a.boolean.unwrap_or(true).to_string()
            };
            let _ = write!(out, ",{}:{value}", serde_json::to_string(&key).unwrap());
        }
    }
    let typed = |out: &mut String, type_name: &str| {
        let inner = type_name
            .strip_prefix("Collection(")
            .and_then(|t| t.strip_suffix(')'));
        let _ = write!(out, ",\"$Type\":{}", q(inner.unwrap_or(type_name)));
        if inner.is_some() {
            out.push_str(",\"$Collection\":true");
        }
    };
    let mut out = String::from("{\"$Version\":\"4.01\"");
    let mut references: Vec<(String, Vec<String>)> = Vec::new();
    for include in &document.includes {
        let uri = include.uri.clone().unwrap_or_default();
        let mut item = format!("{{\"$Namespace\":{}", q(&include.namespace));
        if let Some(alias) = &include.alias {
            let _ = write!(item, ",\"$Alias\":{}", q(alias));
        }
        item.push('}');
        match references.iter_mut().find(|(u, _)| *u == uri) {
            Some((_, items)) => items.push(item),
            None => references.push((uri, vec![item])),
        }
    }
    if !references.is_empty() {
        let entries: Vec<String> = references
            .iter()
            .map(|(uri, items)| format!("{}:{{\"$Include\":[{}]}}", q(uri), items.join(",")))
            .collect();
        let _ = write!(out, ",\"$Reference\":{{{}}}", entries.join(","));
    }
    for schema in &document.schemas {
        // A schema object has no first member of its own: a mark, removed at the end.
        let _ = write!(out, ",{}:{{\u{1}", q(&schema.namespace.text));
        if let Some(alias) = &schema.alias {
            let _ = write!(out, ",\"$Alias\":{}", q(&alias.text));
        }
        annotations(&mut out, "", &schema.annotations);
        for t in &schema.structured_types {
            let kind = if t.kind == StructuredKind::Entity {
                "EntityType"
            } else {
                "ComplexType"
            };
            let _ = write!(out, ",{}:{{\"$Kind\":\"{kind}\"", q(&t.name.text));
            if let Some(base) = &t.base_type {
                let _ = write!(out, ",\"$BaseType\":{}", q(&base.text));
            }
            for (flag, on) in [
                ("$Abstract", t.is_abstract),
                ("$OpenType", t.open_type),
                ("$HasStream", t.has_stream),
            ] {
                if on {
                    let _ = write!(out, ",\"{flag}\":true");
                }
            }
            if !t.key.is_empty() {
                let key: Vec<String> = t.key.iter().map(|k| q(&k.text)).collect();
                let _ = write!(out, ",\"$Key\":[{}]", key.join(","));
            }
            annotations(&mut out, "", &t.annotations);
            for p in &t.properties {
                let _ = write!(out, ",{}:{{\"$Kind\":\"Property\"", q(&p.name.text));
                typed(&mut out, &p.type_name.text);
                let _ = write!(out, ",\"$Nullable\":{}", p.nullable.unwrap_or(true));
                if let Some(m) = p.max_length.as_deref().filter(|m| *m != "max") {
                    let _ = write!(out, ",\"$MaxLength\":{m}");
                }
                if let Some(precision) = &p.precision {
                    let _ = write!(out, ",\"$Precision\":{precision}");
                }
                let decimal = p.type_name.text.contains("Edm.Decimal");
                match p.scale.as_deref() {
                    Some("variable") => {}
                    Some(s) if s.parse::<u32>().is_ok() => {
                        let _ = write!(out, ",\"$Scale\":{s}");
                    }
                    Some(s) => {
                        let _ = write!(out, ",\"$Scale\":{}", q(s));
                    }
                    None if decimal => out.push_str(",\"$Scale\":0"),
                    None => {}
                }
                if let Some(default) = &p.default_value {
                    let _ = write!(out, ",\"$DefaultValue\":{}", q(default));
                }
                annotations(&mut out, "", &p.annotations);
                out.push('}');
            }
            for n in &t.navigation_properties {
                let _ = write!(
                    out,
                    ",{}:{{\"$Kind\":\"NavigationProperty\"",
                    q(&n.name.text)
                );
                typed(&mut out, &n.type_name.text);
                let _ = write!(out, ",\"$Nullable\":{}", n.nullable.unwrap_or(true));
                if n.contains_target {
                    out.push_str(",\"$ContainsTarget\":true");
                }
                if let Some(partner) = &n.partner {
                    let _ = write!(out, ",\"$Partner\":{}", q(partner));
                }
                annotations(&mut out, "", &n.annotations);
                out.push('}');
            }
            out.push('}');
        }
        for e in &schema.enum_types {
            let _ = write!(out, ",{}:{{\"$Kind\":\"EnumType\"", q(&e.name.text));
            if let Some(u) = &e.underlying_type {
                let _ = write!(out, ",\"$UnderlyingType\":{}", q(&u.text));
            }
            if e.is_flags {
                out.push_str(",\"$IsFlags\":true");
            }
            annotations(&mut out, "", &e.annotations);
            let mut next = 0i128;
            for m in &e.members {
                let value = m
                    .value
                    .as_ref()
                    .map_or(next, |v| v.text.trim().parse().unwrap());
                next = value + 1;
                let _ = write!(out, ",{}:{value}", q(&m.name.text));
                annotations(&mut out, &m.name.text, &m.annotations);
            }
            out.push('}');
        }
        for d in &schema.type_definitions {
            let _ = write!(
                out,
                ",{}:{{\"$Kind\":\"TypeDefinition\",\"$UnderlyingType\":{}",
                q(&d.name.text),
                q(&d.underlying_type.text)
            );
            annotations(&mut out, "", &d.annotations);
            out.push('}');
        }
        let mut names: Vec<&str> = Vec::new();
        for o in &schema.operations {
            if !names.contains(&o.name.text.as_str()) {
                names.push(&o.name.text);
            }
        }
        for name in names {
            let overloads: Vec<String> = schema
                .operations
                .iter()
                .filter(|o| o.name.text == name)
                .map(|o| {
                    let kind = if o.kind == OperationKind::Action {
                        "Action"
                    } else {
                        "Function"
                    };
                    let mut s = format!("{{\"$Kind\":\"{kind}\"");
                    if o.is_bound {
                        s.push_str(",\"$IsBound\":true");
                    }
                    if o.is_composable {
                        s.push_str(",\"$IsComposable\":true");
                    }
                    let parameters: Vec<String> = o
                        .parameters
                        .iter()
                        .map(|p| {
                            let mut s = format!("{{\"$Name\":{}", q(&p.name.text));
                            typed(&mut s, &p.type_name.text);
                            let _ = write!(s, ",\"$Nullable\":{}", p.nullable.unwrap_or(true));
                            annotations(&mut s, "", &p.annotations);
                            s.push('}');
                            s
                        })
                        .collect();
                    if !parameters.is_empty() {
                        let _ = write!(s, ",\"$Parameter\":[{}]", parameters.join(","));
                    }
                    if let Some(r) = &o.return_type {
                        s.push_str(",\"$ReturnType\":{\"$Nullable\":");
                        let _ = write!(s, "{}", r.nullable.unwrap_or(true));
                        typed(&mut s, &r.type_name.text);
                        s.push('}');
                    }
                    annotations(&mut s, "", &o.annotations);
                    s.push('}');
                    s
                })
                .collect();
            let _ = write!(out, ",{}:[{}]", q(name), overloads.join(","));
        }
        for c in &schema.containers {
            let _ = write!(out, ",{}:{{\"$Kind\":\"EntityContainer\"", q(&c.name.text));
            annotations(&mut out, "", &c.annotations);
            for (sets, collection) in [(&c.entity_sets, true), (&c.singletons, false)] {
                for set in sets {
                    let _ = write!(
                        out,
                        ",{}:{{\"$Type\":{}",
                        q(&set.name.text),
                        q(&set.type_name.text)
                    );
                    if collection {
                        out.push_str(",\"$Collection\":true");
                    }
                    if !set.navigation_bindings.is_empty() {
                        let mut seen = std::collections::HashSet::new();
                        let bindings: Vec<String> = set
                            .navigation_bindings
                            .iter()
                            .filter(|b| seen.insert(b.path.text.clone()))
                            .map(|b| format!("{}:{}", q(&b.path.text), q(&b.target.text)))
                            .collect();
                        let _ = write!(
                            out,
                            ",\"$NavigationPropertyBinding\":{{{}}}",
                            bindings.join(",")
                        );
                    }
                    annotations(&mut out, "", &set.annotations);
                    out.push('}');
                }
            }
            for (imports, member) in [
                (&c.action_imports, "$Action"),
                (&c.function_imports, "$Function"),
            ] {
                for i in imports {
                    let _ = write!(
                        out,
                        ",{}:{{\"{member}\":{}",
                        q(&i.name.text),
                        q(&i.operation.text)
                    );
                    if let Some(set) = &i.entity_set {
                        let _ = write!(out, ",\"$EntitySet\":{}", q(set));
                    }
                    annotations(&mut out, "", &i.annotations);
                    out.push('}');
                }
            }
            out.push('}');
        }
        let mut groups: Vec<(String, Vec<&Annotation>)> = Vec::new();
        for g in &schema.annotation_groups {
            match groups.iter_mut().find(|(t, _)| *t == g.target.text) {
                Some((_, list)) => list.extend(&g.annotations),
                None => groups.push((g.target.text.clone(), g.annotations.iter().collect())),
            }
        }
        if !groups.is_empty() {
            let entries: Vec<String> = groups
                .iter()
                .map(|(target, list)| {
                    let owned: Vec<Annotation> = list
                        .iter()
                        .map(|a| Annotation {
                            term: a.term.clone(),
                            span: a.span,
                            qualifier: a.qualifier.clone(),
                            string: a.string.clone(),
                            boolean: a.boolean,
                            record: a.record.clone(),
                        })
                        .collect();
                    let mut body = String::new();
                    annotations(&mut body, "", &owned);
                    format!("{}:{{{}}}", q(target), body.trim_start_matches(','))
                })
                .collect();
            let _ = write!(out, ",\"$Annotations\":{{{}}}", entries.join(","));
        }
        out.push('}');
    }
    out.push('}');
    out.replace("{\u{1},", "{").replace("{\u{1}", "{")
}

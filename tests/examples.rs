//! Every example in `metadata/docs` is a test, with no code per example: placeholder values
//! ("String", "Integer", "Stream", ...) are replaced by typed sample values, the JSON is read
//! into the generated type it shows and written back with nothing lost, and the page's request
//! is rebuilt with the generated request builders and must give the example's method and path.

use std::path::Path;

use codegen::ir::{BuilderId, MemberKind, Model, Primitive, RootKind, Target, TypeId, TypeKind};
use codegen::pages::{BlockKind, HttpMessage, HttpRequest, Page};
use serde_json::Value;

const BASE: &str = "https://graph.microsoft.com/beta";

fn load() -> codegen::Loaded {
    let metadata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../metadata");
    let loaded = codegen::Generator::new().metadata(metadata).load();
    assert!(loaded.model.is_some(), "{:?}", loaded.diagnostics);
    loaded
}

/// A typed sample for a placeholder, or `None` when the value already fits the type.
fn sample(primitive: Primitive, value: &Value) -> Option<Value> {
    let text = value.as_str()?;
    let fits = match primitive {
        Primitive::String | Primitive::Untyped | Primitive::Spatial => true,
        Primitive::Boolean
        | Primitive::Byte
        | Primitive::SByte
        | Primitive::Int16
        | Primitive::Int32
        | Primitive::Int64 => false,
        Primitive::Single | Primitive::Double | Primitive::Decimal => {
            matches!(text, "NaN" | "INF" | "-INF")
        }
        Primitive::DateTimeOffset => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        Primitive::Date => text.parse::<chrono::NaiveDate>().is_ok(),
        Primitive::TimeOfDay => text.parse::<chrono::NaiveTime>().is_ok(),
        Primitive::Guid | Primitive::Duration => false,
        Primitive::Binary | Primitive::Stream => {
            !matches!(text, "Stream" | "Binary") && !text.starts_with('<')
        }
    };
    if fits {
        return None;
    }
    Some(match primitive {
        Primitive::Boolean => Value::Bool(true),
        Primitive::Byte
        | Primitive::SByte
        | Primitive::Int16
        | Primitive::Int32
        | Primitive::Int64 => Value::from(7),
        Primitive::Single | Primitive::Double | Primitive::Decimal => Value::from(1.5),
        Primitive::DateTimeOffset => Value::from("2021-06-01T08:00:00Z"),
        Primitive::Date => Value::from("2021-06-01"),
        Primitive::TimeOfDay => Value::from("08:00:00"),
        Primitive::Duration => Value::from("PT1H"),
        Primitive::Guid => Value::from("00000000-0000-4000-8000-000000000001"),
        Primitive::Binary | Primitive::Stream => Value::from("U3RyZWFt"),
        _ => return None,
    })
}

/// The type an `@odata.type` value names.
fn named(model: &Model, name: &str) -> Option<TypeId> {
    let name = name.trim_start_matches('#');
    let name = name
        .strip_prefix("Collection(")
        .and_then(|n| n.strip_suffix(')'))
        .unwrap_or(name);
    model
        .types
        .iter()
        .find(|t| t.qualified_name.eq_ignore_ascii_case(name))
        .map(|t| t.id)
}

/// Replaces placeholders in `value`, an instance of `ty` (or of the type its `@odata.type` names).
fn substitute(model: &Model, ty: TypeId, value: &mut Value) {
    let Value::Object(map) = value else { return };
    let ty = map
        .get("@odata.type")
        .and_then(Value::as_str)
        .and_then(|n| named(model, n))
        .unwrap_or(ty);
    let TypeKind::Struct(s) = &model.ty(ty).kind else {
        return;
    };
    for property in &s.properties {
        let Some(slot) = map.get_mut(&property.name) else {
            continue;
        };
        let items: Vec<&mut Value> = match slot {
            Value::Array(items) if property.ty.collection => items.iter_mut().collect(),
            other => vec![other],
        };
        for item in items {
            match property.ty.target {
                Target::Primitive(p) => {
                    if let Some(replacement) = sample(p, item) {
                        *item = replacement;
                    }
                }
                Target::Named(target) => match &model.ty(target).kind {
                    TypeKind::Alias(p) => {
                        if let Some(replacement) = sample(*p, item) {
                            *item = replacement;
                        }
                    }
                    _ => substitute(model, target, item),
                },
            }
        }
    }
}

/// The examples of a page with the type each shows: (what, JSON, type).
fn typed_examples(model: &Model, page: &Page) -> Vec<(String, Value, TypeId)> {
    let mut examples = Vec::new();
    for block in &page.code_blocks {
        let metadata_type = block
            .metadata
            .as_ref()
            .and_then(|m| m.odata_type.as_deref())
            .and_then(|n| named(model, n));
        let (label, text) = match (&block.kind, &block.http) {
            (BlockKind::Request, Some(HttpMessage::Request(r))) => {
                if model
                    .match_path(&r.path)
                    .is_some_and(|found| found.call.is_some())
                {
                    continue; // action parameters: checked by the request test
                }
                ("request", r.body.as_ref().map(|b| b.text.clone()))
            }
            (BlockKind::Response, Some(HttpMessage::Response(r))) => {
                ("response", r.body.as_ref().map(|b| b.text.clone()))
            }
            (BlockKind::Resource, None) => ("resource", Some(block.text.clone())),
            _ => continue,
        };
        let Some(json) = text.and_then(|t| serde_json::from_str::<Value>(&t).ok()) else {
            continue;
        };
        let own_type = json
            .get("@odata.type")
            .and_then(Value::as_str)
            .and_then(|n| named(model, n));
        let items = match json.get("value") {
            Some(Value::Array(items)) => items.clone(),
            _ => vec![json],
        };
        for (i, item) in items.into_iter().enumerate() {
            let ty = item
                .get("@odata.type")
                .and_then(Value::as_str)
                .and_then(|n| named(model, n))
                .or(own_type)
                .or(metadata_type);
            let ty = ty
                .unwrap_or_else(|| panic!("{label} example {i} of {:?} names no type", page.title));
            examples.push((
                format!(
                    "{label} example {i} of {:?}",
                    page.title.as_ref().map(|t| &t.text)
                ),
                item,
                ty,
            ));
        }
    }
    examples
}

#[test]
fn every_example_round_trips_through_the_generated_types() {
    let loaded = load();
    let model = loaded.model.as_ref().unwrap();
    let mut checked = 0;
    for page in loaded.pages() {
        for (label, mut json, ty) in typed_examples(model, page) {
            substitute(model, ty, &mut json);
            let name = &model.ty(ty).qualified_name;
            let written = generated::dynamic::round_trip(name, json.clone())
                .unwrap_or_else(|| panic!("{label}: the generated crate has no type {name}"))
                .unwrap_or_else(|e| panic!("{label}: does not read as {name}: {e}\n{json:#}"));
            assert_eq!(
                written, json,
                "{label}: reading and writing as {name} changed the JSON"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 23,
        "only {checked} examples were checked; metadata/docs has 23"
    );
}

fn example_request(page: &Page) -> Option<&HttpRequest> {
    page.code_blocks
        .iter()
        .find_map(|b| match (&b.kind, &b.http) {
            (BlockKind::Request, Some(HttpMessage::Request(r))) => Some(r),
            _ => None,
        })
}

#[test]
fn every_example_request_is_what_the_generated_builders_send() {
    let loaded = load();
    let model = loaded.model.as_ref().unwrap();
    let mut checked = 0;
    for page in loaded
        .pages()
        .iter()
        .filter(|p| p.doc_type() == Some("apiPageType"))
    {
        let title = &page.title.as_ref().unwrap().text;
        let example =
            example_request(page).unwrap_or_else(|| panic!("{title}: no example request"));
        let found = model
            .match_path(&example.path)
            .unwrap_or_else(|| panic!("{title}: {} matches no path", example.path));
        let call = found.call.map(|id| model.operation(id).name.clone());
        let template = &example.path;
        // The page's own template names the same resource.
        let documented = codegen::pages::documented_request(page).unwrap();
        assert_eq!(
            model.match_path(&documented.path),
            Some(found),
            "{title}: template and example differ"
        );
        let mut body = example
            .body
            .as_ref()
            .and_then(|b| serde_json::from_str::<Value>(&b.text).ok())
            .unwrap_or(Value::Null);
        if let Some(ty) = body
            .get("@odata.type")
            .and_then(Value::as_str)
            .and_then(|n| named(model, n))
        {
            substitute(model, ty, &mut body);
        }
        let request = generated::dynamic::request(
            &example.path,
            &example.method,
            call.as_deref(),
            body,
            BASE,
        )
        .unwrap_or_else(|| {
            panic!(
                "{title}: no generated operation for {} {template}",
                example.method
            )
        })
        .unwrap_or_else(|e| panic!("{title}: {e}"));
        assert_eq!(request.method().as_str(), example.method, "{title}");
        assert_eq!(
            request.uri().path(),
            format!("/beta{}", example.path),
            "{title}"
        );
        checked += 1;
    }
    assert_eq!(checked, 18, "one request per operation page");
}

#[test]
fn the_pages_document_every_operation_of_the_area() {
    let loaded = load();
    let model = loaded.model.as_ref().unwrap();
    // The operations of what the area's URLs reach through navigation and keys (type casts
    // reach the same operations again), less what the metadata refuses (a singleton's delete).
    let mut reached = Vec::new();
    let mut pending: Vec<BuilderId> = model
        .resources
        .roots
        .iter()
        .filter_map(|root| match root.kind {
            RootKind::EntryPoint { builder, .. } => Some(builder),
            _ => None,
        })
        .collect();
    while let Some(id) = pending.pop() {
        if reached.contains(&id) {
            continue;
        }
        reached.push(id);
        for member in &model.resources.builder(id).members {
            if let MemberKind::Navigation { target, .. } | MemberKind::Key { target, .. } =
                member.kind
            {
                pending.push(target);
            }
        }
    }
    let singleton_roots: Vec<BuilderId> = model
        .resources
        .roots
        .iter()
        .filter_map(|root| match root.kind {
            RootKind::EntryPoint {
                builder,
                restrictions,
                ..
            } if !restrictions.deletable => Some(builder),
            _ => None,
        })
        .collect();
    let undocumented: Vec<String> = reached
        .iter()
        .flat_map(|&id| {
            let builder = model.resources.builder(id);
            let singleton_roots = &singleton_roots;
            builder
                .members
                .iter()
                .filter(move |m| {
                    matches!(
                        m.kind,
                        MemberKind::Get
                            | MemberKind::Update
                            | MemberKind::List
                            | MemberKind::Create
                            | MemberKind::Call { .. }
                            | MemberKind::StreamProperty { .. }
                    ) || (m.kind == MemberKind::Delete && !singleton_roots.contains(&id))
                })
                .filter(|m| !m.documented)
                .map(move |m| format!("{} {}", builder.rust_name, m.rust_name))
        })
        .collect();
    assert!(
        undocumented.is_empty(),
        "operations without a page: {undocumented:#?}"
    );
    let findings: Vec<String> = loaded
        .lint()
        .iter()
        .map(|d| d.render(&loaded.sources))
        .collect();
    assert!(
        findings.is_empty(),
        "lint findings on metadata/: {findings:#?}"
    );
}

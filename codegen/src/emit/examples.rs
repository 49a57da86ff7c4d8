//! The crate root's examples, written from the model: the first collection a root reaches
//! that takes a create, an entity created under one of its entities, paging, an update that
//! clears a property, a stream, errors and a batch. Each example is a doctest, so it compiles
//! against the crate it documents; an example the model has nothing for is left out.

use std::collections::{HashSet, VecDeque};

use crate::ir::{
    BuilderId, BuilderKind, Member, MemberKind, Model, Primitive, PropertyKind, RootKind, Target,
    TypeDef, TypeId,
};

/// The crate root's example sections (Markdown with Rust code blocks); none for a model whose
/// roots reach no collection.
pub fn crate_examples(model: &Model, crate_name: &str) -> Vec<String> {
    let krate = crate_name.replace('-', "_");
    let Some(found) = first_creatable_collection(model) else {
        return Vec::new();
    };
    let Some(value) = example_value(model, &krate, found.ty, ExampleField::Text) else {
        return Vec::new();
    };
    // The area of the root the example starts from (root `i` is area `i`).
    let features = model
        .areas
        .get(found.root)
        .map(|area| format!("feature = \"{}\"", area.feature))
        .unwrap_or_default();
    vec![
        without_io(
            &krate,
            &found,
            &value,
            &features,
            model.resources.service_root.as_deref(),
        ),
        with_client(model, &krate, &found, &value, &features),
    ]
}

/// A collection builder that takes a create, and the method calls from a root to it.
struct Found {
    /// The index of the root it is reached from.
    root: usize,
    calls: String,
    /// The create method's name (`create`, unless a bound operation took it).
    create: String,
    builder: BuilderId,
    ty: TypeId,
}

/// Breadth first from the entity sets and singletons, through navigation and complex
/// properties: the nearest collection that takes a `POST`.
fn first_creatable_collection(model: &Model) -> Option<Found> {
    let resources = &model.resources;
    let mut queue: VecDeque<(BuilderId, String, usize)> = resources
        .roots
        .iter()
        .enumerate()
        .filter_map(|(index, root)| match root.kind {
            RootKind::EntryPoint { builder, .. } => {
                Some((builder, format!(".{}()", root.rust_name), index))
            }
            RootKind::Import { .. } => None,
        })
        .collect();
    let mut seen = HashSet::new();
    while let Some((id, calls, root)) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        let builder = resources.builder(id);
        if let BuilderKind::Collection(ty) = builder.kind {
            if let Some(create) = find(&builder.members, |k| matches!(k, MemberKind::Create)) {
                let create = create.rust_name.clone();
                return Some(Found {
                    root,
                    calls,
                    create,
                    builder: id,
                    ty,
                });
            }
        }
        for member in &builder.members {
            if let MemberKind::Navigation { target, .. }
            | MemberKind::ComplexProperty { target, .. } = member.kind
            {
                queue.push_back((target, format!("{calls}.{}()", member.rust_name), root));
            }
        }
    }
    None
}

fn find(members: &[Member], kind: impl Fn(&MemberKind) -> bool) -> Option<&Member> {
    members.iter().find(|m| kind(&m.kind))
}

/// What the example value sets besides the defaults.
#[derive(Clone, Copy)]
enum ExampleField {
    /// Its first string property, to some text.
    Text,
    /// Its first nullable single-valued property, to `null`.
    Null,
}

/// A struct literal of `ty` (or, for an abstract type, of its first concrete derived type),
/// with one field set as `field` says; `None` when there is no such field.
fn example_value(model: &Model, krate: &str, ty: TypeId, field: ExampleField) -> Option<Example> {
    let concrete = concrete_type(model, ty)?;
    let s = concrete.as_struct()?;
    let structural = s.properties.iter().filter(|p| {
        p.kind == PropertyKind::Structural && !p.ty.collection && !s.key.contains(&p.name)
    });
    let assignment = match field {
        ExampleField::Text => structural
            .clone()
            .find(|p| p.ty.target == Target::Primitive(Primitive::String))
            .map(|p| {
                let value = if p.nullable {
                    "\"Example\".into()".to_owned()
                } else {
                    "Some(\"Example\".to_owned())".to_owned()
                };
                format!("{}: {value}, ", p.rust_name)
            })
            .unwrap_or_default(),
        ExampleField::Null => structural
            .clone()
            .find(|p| p.nullable)
            .map(|p| format!("{}: Nullable::Null, ", p.rust_name))?,
    };
    Some(Example {
        path: type_path(model, krate, concrete),
        literal: format!(
            "{} {{ {assignment}..Default::default() }}",
            concrete.rust_name
        ),
    })
}

/// A struct literal, by its type's name alone, and that type's path for a `use`.
struct Example {
    path: String,
    literal: String,
}

/// `ty`, or its first concrete derived type when it is abstract.
fn concrete_type(model: &Model, ty: TypeId) -> Option<&TypeDef> {
    let def = model.ty(ty);
    let s = def.as_struct()?;
    if !s.is_abstract {
        return Some(def);
    }
    s.derived
        .iter()
        .map(|&d| model.ty(d))
        .find(|d| d.as_struct().is_some_and(|s| !s.is_abstract))
}

fn type_path(model: &Model, krate: &str, ty: &TypeDef) -> String {
    format!(
        "{krate}::{}::{}",
        model.namespace(ty.namespace).module,
        ty.rust_name
    )
}

/// A code block's lines as doc text; `#` lines are compiled but not shown.
fn code_block(kind: &str, lines: &[String]) -> String {
    format!("```{kind}\n{}\n```", lines.join("\n"))
}

/// `#[cfg(...)]` for an example's function: the features the example needs.
fn cfg_line(features: &[&str]) -> String {
    let features: Vec<&str> = features.iter().copied().filter(|f| !f.is_empty()).collect();
    match features.as_slice() {
        [] => String::new(),
        [one] => format!("# #[cfg({one})]"),
        many => format!("# #[cfg(all({}))]", many.join(", ")),
    }
}

fn without_io(
    krate: &str,
    found: &Found,
    value: &Example,
    features: &str,
    root: Option<&str>,
) -> String {
    let base = root.unwrap_or("https://example.com/service");
    let cfg = cfg_line(&[features]);
    let mut lines = vec![
        format!("use {krate}::request::http;"),
        format!("use {};", value.path),
        String::new(),
        "# fn main() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
        format!(
            "let operation = {krate}::requests{}",
            found.calls.replacen('.', "::", 1)
        ),
        format!("    .{}({});", found.create, value.literal),
        format!("let request = operation.http_request(\"{base}\")?;"),
        "assert_eq!(request.method(), http::Method::POST);".to_owned(),
        "// Send `request` with any HTTP stack, and read its answer (here, the body echoed)."
            .to_owned(),
        "let answer = http::Response::builder().status(201).body(request.body().clone())?;"
            .to_owned(),
        "let created = operation.parse_response(answer)?;".to_owned(),
        "assert!(created.entity().is_some()); // `204 No Content` would give `created.location()`".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
    ];
    if !cfg.is_empty() {
        // Types of an area are there only with its feature.
        lines[1] = format!("# #[cfg({features})]\n{}", lines[1]);
        lines.insert(3, cfg);
        lines.push(format!("# #[cfg(not({features}))]"));
        lines.push("# fn main() {}".to_owned());
    }
    format!(
        "# Example: requests without I/O\n\nEvery operation builds an `http::Request` and reads an `http::Response`, so it works with any HTTP stack:\n\n{}",
        code_block("", &lines)
    )
}

fn with_client(
    model: &Model,
    krate: &str,
    found: &Found,
    value: &Example,
    features: &str,
) -> String {
    let collection = model.resources.builder(found.builder);
    let mut uses = std::collections::BTreeSet::from([value.path.clone()]);
    let steps = under_the_created(model, krate, found, collection, &mut uses);
    let mut lines = vec![
        cfg_line(&["feature = \"client\"", features]),
        format!("async fn example() -> Result<(), {krate}::request::Error> {{"),
        format!("    use {krate}::client::Client;"),
        format!("    use {krate}::request::{{Batch, Error}};"),
        "    use futures_util::TryStreamExt;".to_owned(),
    ];
    lines.extend(uses.iter().map(|path| format!("    use {path};")));
    lines.extend([
        String::new(),
        "    let client = Client::builder()".to_owned(),
        match &model.resources.service_root {
            Some(root) => {
                format!("        // The default base URL is `{krate}::SERVICE_ROOT`, {root}.")
            }
            None => "        .base_url(\"https://example.com/service\")".to_owned(),
        },
        "        .bearer_token(\"token\")".to_owned(),
        "        .build()?;".to_owned(),
        format!("    let collection = client{};", found.calls),
        String::new(),
        "    // Create an entity: `POST`, answered with what the service stored (`201`), or where".to_owned(),
        "    // it is (`204`: `entity_or_read` reads it from there, the only case it sends a GET).".to_owned(),
        format!(
            "    let created = collection.{}({}).await?.entity_or_read().await?;",
            found.create, value.literal
        ),
    ]);
    lines.extend(steps);
    let list =
        find(&collection.members, |k| matches!(k, MemberKind::List)).map(|m| m.rust_name.as_str());
    if let Some(list) = list {
        lines.extend([
            String::new(),
            "    // Every item of the collection, following `@odata.nextLink` page by page."
                .to_owned(),
            format!("    let mut items = collection.{list}().items();"),
            "    while let Some(item) = items.try_next().await? {".to_owned(),
            "        println!(\"{item:?}\");".to_owned(),
            "    }".to_owned(),
        ]);
    }
    lines.extend([
        String::new(),
        "    // Several requests in one `POST $batch`, each answered on its own.".to_owned(),
        "    let mut batch = Batch::new();".to_owned(),
        format!(
            "    let created_in_batch = batch.add(&collection.{}({}))?;",
            found.create, value.literal
        ),
        format!(
            "    let another = batch.add_after(&collection.{}({}), &[created_in_batch.id()])?;",
            found.create, value.literal
        ),
        "    let answers = client.batch(&batch).await?;".to_owned(),
        "    println!(\"{:?} {:?}\", answers.get(&created_in_batch)?, answers.get(&another)?);"
            .to_owned(),
        "    # let _ = created;".to_owned(),
        "    Ok(())".to_owned(),
        "}".to_owned(),
    ]);
    format!(
        "# Example: the client\n\nThe client sends operations with a bearer token, retries throttled answers, follows next links, and streams content. Errors are values of `request::Error`:\n\n{}",
        code_block("no_run", &lines)
    )
}

/// The steps on one entity of the collection: a create under it, a `PATCH` that clears a
/// property, its stream, and the errors of a `GET`. Each needs a single string key.
fn under_the_created(
    model: &Model,
    krate: &str,
    found: &Found,
    collection: &crate::ir::Builder,
    uses: &mut std::collections::BTreeSet<String>,
) -> Vec<String> {
    let mut lines = Vec::new();
    let Some((key_method, key_name, item)) =
        collection.members.iter().find_map(|m| match &m.kind {
            MemberKind::Key { parts, target }
                if parts.len() == 1 && parts[0].ty == Target::Primitive(Primitive::String) =>
            {
                Some((m.rust_name.as_str(), parts[0].name.as_str(), *target))
            }
            _ => None,
        })
    else {
        return lines;
    };
    let Some(key) = key_read(model, found.ty, key_name) else {
        return lines;
    };
    let item_builder = model.resources.builder(item);
    lines.extend([
        format!("    let id = created{key}.clone().unwrap_or_default();"),
        format!("    let entity = collection.{key_method}(&id);"),
    ]);
    let contained_create = item_builder.members.iter().find_map(|m| match m.kind {
        MemberKind::Navigation {
            target,
            contained: true,
            ..
        } => {
            let target_builder = model.resources.builder(target);
            match target_builder.kind {
                BuilderKind::Collection(ty) => {
                    find(&target_builder.members, |k| matches!(k, MemberKind::Create))
                        .map(|create| (m.rust_name.as_str(), create.rust_name.as_str(), ty))
                }
                _ => None,
            }
        }
        _ => None,
    });
    if let Some((navigation, create, ty)) = contained_create {
        if let Some(value) = example_value(model, krate, ty, ExampleField::Text) {
            uses.insert(value.path);
            lines.extend([
                "    // Create an entity in a collection it contains.".to_owned(),
                format!(
                    "    let contained = entity.{navigation}().{create}({}).await?;",
                    value.literal
                ),
                "    # let _ = contained;".to_owned(),
            ]);
        }
    }
    if let Some(update) = find(&item_builder.members, |k| matches!(k, MemberKind::Update)) {
        if let Some(value) = example_value(model, krate, found.ty, ExampleField::Null) {
            uses.insert(value.path);
            uses.insert(format!("{krate}::support::Nullable"));
            lines.extend([
                "    // `PATCH` sends only what is set: `Nullable::Null` clears a property."
                    .to_owned(),
                format!("    entity.{}({}).await?;", update.rust_name, value.literal),
            ]);
        }
    }
    if let Some(stream) = find(&item_builder.members, |k| {
        matches!(k, MemberKind::StreamProperty { .. } | MemberKind::Media)
    }) {
        lines.extend([
            "    // Streams go both ways chunk by chunk, never held whole.".to_owned(),
            format!("    let mut content = entity.{}().download().await?;", stream.rust_name),
            "    while let Some(chunk) = content.try_next().await? {".to_owned(),
            "        println!(\"{} bytes\", chunk.len());".to_owned(),
            "    }".to_owned(),
            format!("    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>({krate}::client::Bytes::from_static(b\"content\"))]);"),
            format!("    entity.{}().upload(chunks, Some(7)).await?;", stream.rust_name),
        ]);
    }
    if let Some(get) = find(&item_builder.members, |k| matches!(k, MemberKind::Get)) {
        lines.extend([
            "    // Errors tell the service's OData error from a timeout or a transport failure.".to_owned(),
            format!("    match entity.{}().await {{", get.rust_name),
            "        Ok(entity) => println!(\"{entity:?}\"),".to_owned(),
            "        Err(Error::Service(error)) if error.status == 404 => println!(\"gone: {}\", error.message),".to_owned(),
            "        Err(error) if error.is_timeout() => println!(\"no answer in time\"),".to_owned(),
            "        Err(error) => return Err(error),".to_owned(),
            "    }".to_owned(),
        ]);
    }
    lines
}

/// How the created value's key is read: `.id()` through a dispatch enum's accessor, `.id` on a
/// struct; `None` when the accessor took another name.
fn key_read(model: &Model, ty: TypeId, key: &str) -> Option<String> {
    let s = model.ty(ty).as_struct()?;
    let property = s.properties.iter().find(|p| p.name == key)?;
    match &s.dispatch {
        Some(_) if super::models::accessor_keeps_name(&property.rust_name) => {
            Some(format!(".{}()", property.rust_name))
        }
        Some(_) => None,
        None => Some(format!(".{}", property.rust_name)),
    }
}

//! Documentation pages as an input of resolution.
//!
//! Without any CSDL, [`synthesize`] reads the pages as metadata: the types their property tables
//! and examples describe, and the entry points and containment navigation their request paths
//! imply. With or without CSDL, [`enrich`] adds what the pages say to the model: descriptions
//! the metadata lacks, and the documented operations (for docs-only input, only those).

use std::collections::BTreeMap;

use crate::csdl::{self, Spanned, StructuredKind};
use crate::diagnostics::Diagnostics;
use crate::ir::{BuilderId, Docs, MemberKind, Model, UrlMatch};
use crate::pages::{BlockKind, CellType, HttpMessage, HttpRequest, Page, TableKind};
use crate::source::Span;

/// `Edm` names for the primitive type names tables use.
pub fn edm_name(cell: &str) -> Option<&'static str> {
    Some(match cell.trim().to_ascii_lowercase().as_str() {
        "string" => "Edm.String",
        "int32" | "integer" | "int" => "Edm.Int32",
        "int64" => "Edm.Int64",
        "int16" => "Edm.Int16",
        "byte" => "Edm.Byte",
        "sbyte" => "Edm.SByte",
        "boolean" | "bool" => "Edm.Boolean",
        "double" => "Edm.Double",
        "single" => "Edm.Single",
        "decimal" => "Edm.Decimal",
        "datetimeoffset" | "datetime" => "Edm.DateTimeOffset",
        "date" => "Edm.Date",
        "timeofday" => "Edm.TimeOfDay",
        "duration" => "Edm.Duration",
        "guid" => "Edm.Guid",
        "binary" => "Edm.Binary",
        "stream" => "Edm.Stream",
        "json" | "untyped" => "Edm.Untyped",
        other => return other.strip_prefix("edm.").and_then(edm_name),
    })
}

/// The qualified type an API page is about: its response's `@odata.type`, else its example
/// request body's, else the last word of its title ("Create officeClientConfiguration").
pub fn page_resource(page: &Page) -> Option<(String, Span)> {
    let from_metadata = page.code_blocks.iter().find_map(|b| {
        let metadata = b.metadata.as_ref()?;
        let ty = metadata.odata_type.as_ref()?;
        Some((
            ty.trim_start_matches('#')
                .trim_start_matches("Collection(")
                .trim_end_matches(')')
                .to_owned(),
            metadata.span,
        ))
    });
    let from_body = || {
        page.code_blocks.iter().find_map(|b| match &b.http {
            Some(HttpMessage::Request(r)) => {
                let body = r.body.as_ref()?;
                let value: serde_json::Value = serde_json::from_str(&body.text).ok()?;
                Some((
                    value
                        .get("@odata.type")?
                        .as_str()?
                        .trim_start_matches('#')
                        .to_owned(),
                    body.span,
                ))
            }
            _ => None,
        })
    };
    let from_title = || {
        let title = page.title.as_ref()?;
        let word = title.text.split_whitespace().last()?;
        Some((format!("{}.{word}", page_namespace(page)), title.span))
    };
    let chosen = from_metadata.or_else(from_body).or_else(from_title)?;
    // Metadata comments sometimes spell the type in lower case; the title has its casing.
    let cased = [from_body(), from_title()]
        .into_iter()
        .flatten()
        .find(|(name, _)| name.eq_ignore_ascii_case(&chosen.0) && *name != chosen.0);
    Some(cased.map(|(name, _)| (name, chosen.1)).unwrap_or(chosen))
}

/// "Namespace: microsoft.graph" under the title, or the default Graph namespace.
pub fn page_namespace(page: &Page) -> String {
    page.paragraphs
        .iter()
        .find_map(|p| {
            p.text
                .strip_prefix("Namespace:")
                .map(|n| n.trim().to_owned())
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "microsoft.graph".to_owned())
}

/// The request an API page documents: the block in its "HTTP request" section, else its first
/// example request.
pub fn documented_request(page: &Page) -> Option<&HttpRequest> {
    let requests = page.code_blocks.iter().filter_map(|b| match &b.http {
        Some(HttpMessage::Request(r)) => Some((b, r)),
        _ => None,
    });
    let mut fallback = None;
    for (block, request) in requests {
        let in_http_section = page
            .section(block.section)
            .is_some_and(|s| s.kind == crate::pages::SectionKind::HttpRequest);
        if in_http_section {
            return Some(request);
        }
        if fallback.is_none() && block.kind == BlockKind::Request {
            fallback = Some(request);
        }
    }
    fallback
}

#[derive(Default)]
struct Draft {
    name: String,
    span: Option<Span>,
    properties: Vec<(Spanned, Spanned, Option<String>)>,
    navigations: Vec<(Spanned, Spanned, bool)>,
    described: bool,
}

/// Builds a CSDL document from pages alone.
pub fn synthesize(
    pages: &[Page],
    file: crate::source::FileId,
    _diagnostics: &mut Diagnostics,
) -> csdl::Document {
    let namespace = pages
        .first()
        .map(page_namespace)
        .unwrap_or_else(|| "microsoft.graph".to_owned());
    let mut drafts: BTreeMap<String, Draft> = BTreeMap::new();
    let simple = |qualified: &str| qualified.rsplit('.').next().unwrap_or(qualified).to_owned();
    let draft = |drafts: &mut BTreeMap<String, Draft>, name: &str, span: Span| {
        let entry = drafts.entry(name.to_ascii_lowercase()).or_default();
        if entry.span.is_none() {
            entry.name = name.to_owned();
            entry.span = Some(span);
        }
    };
    let mut paths = Vec::new();
    for page in pages {
        let Some((resource, resource_span)) = page_resource(page) else {
            continue;
        };
        let resource = simple(&resource);
        draft(&mut drafts, &resource, resource_span);
        for (table, row, name) in page.member_rows() {
            let Some(ty) = table.cell(row, "type") else {
                continue;
            };
            let Some(cell) = CellType::parse(&ty.text) else {
                continue;
            };
            let description = table
                .cell(row, "description")
                .map(|d| d.text.clone())
                .filter(|d| useful(d));
            let target = match edm_name(&cell.name) {
                Some(edm) => edm.to_owned(),
                None => {
                    let target = simple(&cell.name);
                    draft(&mut drafts, &target, ty.span);
                    format!("{namespace}.{target}")
                }
            };
            let type_name = if cell.collection {
                format!("Collection({target})")
            } else {
                target
            };
            let entry = drafts
                .get_mut(&resource.to_ascii_lowercase())
                .expect("drafted above");
            entry.described = true;
            if entry.properties.iter().any(|(n, _, _)| n.text == name.text) {
                continue;
            }
            let type_name = Spanned {
                text: type_name,
                span: ty.span,
            };
            if table.kind == TableKind::Relationships {
                entry.navigations.push((name.clone(), type_name, false));
            } else {
                entry
                    .properties
                    .push((name.clone(), type_name, description));
            }
        }
        if let Some(request) = documented_request(page) {
            paths.push((
                request.path.clone(),
                request.method.clone(),
                resource.clone(),
                request.span,
            ));
        }
    }
    // Entry points and containment from the documented paths, shortest first.
    paths.sort_by_key(|(path, ..)| path.matches('/').count());
    let mut singletons: BTreeMap<String, (String, Span)> = BTreeMap::new();
    // Types that entry points or navigation address must be entity types.
    let mut entity_targets = std::collections::BTreeSet::new();
    let mut sets: BTreeMap<String, (String, Span)> = BTreeMap::new();
    for (path, method, resource, span) in &paths {
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let mut parent: Option<String> = None;
        for (i, segment) in segments.iter().enumerate() {
            if segment.starts_with('{') {
                continue;
            }
            let last = i == segments.len() - 1;
            let keyed = segments.get(i + 1).is_some_and(|s| s.starts_with('{'));
            let collection = keyed || (last && method == "POST");
            let ends_at_resource = last || (keyed && i + 2 == segments.len());
            let target = if ends_at_resource {
                resource.clone()
            } else {
                existing_target(&drafts, parent.as_deref(), segment)
                    .unwrap_or_else(|| segment.to_string())
            };
            draft(&mut drafts, &target, *span);
            let target_qualified = format!("{namespace}.{target}");
            entity_targets.insert(target.to_ascii_lowercase());
            match &parent {
                None if collection => {
                    sets.entry(segment.to_string())
                        .or_insert((target_qualified, *span));
                }
                None => {
                    // A singleton's type: a type of that name, or one drafted for it.
                    let own = segment.to_string();
                    draft(&mut drafts, &own, *span);
                    singletons
                        .entry(own.clone())
                        .or_insert((format!("{namespace}.{own}"), *span));
                    parent = Some(own);
                    continue;
                }
                Some(owner) => {
                    let owner = drafts
                        .get_mut(&owner.to_ascii_lowercase())
                        .expect("drafted");
                    if !owner.navigations.iter().any(|(n, _, _)| n.text == *segment) {
                        let type_name = if collection {
                            format!("Collection({target_qualified})")
                        } else {
                            target_qualified.clone()
                        };
                        owner.navigations.push((
                            Spanned {
                                text: segment.to_string(),
                                span: *span,
                            },
                            Spanned {
                                text: type_name,
                                span: *span,
                            },
                            true,
                        ));
                    }
                }
            }
            parent = Some(target);
        }
    }
    document(file, &namespace, drafts, singletons, sets, &entity_targets)
}

fn existing_target(
    drafts: &BTreeMap<String, Draft>,
    parent: Option<&str>,
    segment: &str,
) -> Option<String> {
    let owner = drafts.get(&parent?.to_ascii_lowercase())?;
    let (_, ty, _) = owner
        .navigations
        .iter()
        .find(|(n, _, _)| n.text == segment)?;
    let inner = ty
        .text
        .trim_start_matches("Collection(")
        .trim_end_matches(')');
    Some(inner.rsplit('.').next().unwrap_or(inner).to_owned())
}

/// Table descriptions that say nothing yet ("**TODO: Add Description**") are not kept.
fn useful(description: &str) -> bool {
    let text = description.trim();
    !text.is_empty() && !text.to_ascii_uppercase().contains("TODO")
}

fn document(
    file: crate::source::FileId,
    namespace: &str,
    drafts: BTreeMap<String, Draft>,
    singletons: BTreeMap<String, (String, Span)>,
    sets: BTreeMap<String, (String, Span)>,
    entity_targets: &std::collections::BTreeSet<String>,
) -> csdl::Document {
    let zero = Span::new(file, 0);
    let spanned = |text: &str, span: Span| Spanned {
        text: text.to_owned(),
        span,
    };
    let description = |text: &Option<String>, span: Span| {
        text.iter()
            .map(|t| csdl::Annotation {
                term: spanned("Org.OData.Core.V1.Description", span),
                span,
                qualifier: None,
                string: Some(t.clone()),
                boolean: None,
                record: Vec::new(),
            })
            .collect()
    };
    let structured_types = drafts
        .into_values()
        .map(|d| {
            let span = d.span.unwrap_or(zero);
            let has_id = d.properties.iter().any(|(n, _, _)| n.text == "id");
            let is_entity = has_id
                || !d.navigations.is_empty()
                || singletons.contains_key(&d.name)
                || entity_targets.contains(&d.name.to_ascii_lowercase());
            csdl::StructuredType {
                kind: if is_entity {
                    StructuredKind::Entity
                } else {
                    StructuredKind::Complex
                },
                name: spanned(&d.name, span),
                span,
                base_type: None,
                is_abstract: false,
                // What the pages do not describe is kept, not lost.
                open_type: !d.described,
                has_stream: false,
                key: if has_id {
                    vec![spanned("id", span)]
                } else {
                    Vec::new()
                },
                properties: d
                    .properties
                    .iter()
                    .map(|(name, ty, docs)| csdl::Property {
                        name: name.clone(),
                        span: name.span,
                        type_name: ty.clone(),
                        nullable: None,
                        max_length: None,
                        precision: None,
                        scale: None,
                        default_value: None,
                        annotations: description(docs, name.span),
                    })
                    .collect(),
                navigation_properties: d
                    .navigations
                    .iter()
                    .map(|(name, ty, contained)| csdl::NavigationProperty {
                        name: name.clone(),
                        span: name.span,
                        type_name: ty.clone(),
                        nullable: None,
                        contains_target: *contained,
                        partner: None,
                        annotations: Vec::new(),
                    })
                    .collect(),
                annotations: Vec::new(),
            }
        })
        .collect();
    let entry = |(name, (ty, span)): (String, (String, Span))| csdl::EntitySet {
        name: spanned(&name, span),
        span,
        type_name: spanned(&ty, span),
        navigation_bindings: Vec::new(),
        annotations: Vec::new(),
    };
    csdl::Document {
        file,
        includes: Vec::new(),
        schemas: vec![csdl::Schema {
            namespace: spanned(namespace, zero),
            alias: None,
            span: zero,
            structured_types,
            enum_types: Vec::new(),
            type_definitions: Vec::new(),
            operations: Vec::new(),
            containers: vec![csdl::EntityContainer {
                name: spanned("Documentation", zero),
                span: zero,
                entity_sets: sets.into_iter().map(entry).collect(),
                singletons: singletons.into_iter().map(entry).collect(),
                action_imports: Vec::new(),
                function_imports: Vec::new(),
                annotations: Vec::new(),
            }],
            annotation_groups: Vec::new(),
            annotations: Vec::new(),
        }],
    }
}

/// The member a documented request (`method` on a matched path) describes: the operation
/// the last segment names, or the builder's own operation of that HTTP method.
pub fn documented_member(
    model: &Model,
    found: &UrlMatch,
    method: &str,
) -> Option<(BuilderId, usize)> {
    let builder = found.builder?;
    if let Some(member) = found.member {
        return Some((builder, member));
    }
    let members = &model.resources.builder(builder).members;
    members
        .iter()
        .position(|m| {
            matches!(
                m.kind,
                MemberKind::Get
                    | MemberKind::Update
                    | MemberKind::Delete
                    | MemberKind::List
                    | MemberKind::Create
            ) && m.kind.http_method(model) == Some(method)
        })
        .map(|index| (builder, index))
}

/// Adds what the pages say to the model.
pub fn enrich(model: &mut Model, pages: &[Page], docs_only: bool) {
    for page in pages {
        describe_properties(model, page);
        let Some(request) = documented_request(page) else {
            continue;
        };
        let Some(found) = model.match_path(&request.path) else {
            continue;
        };
        let Some((builder, index)) = documented_member(model, &found, &request.method) else {
            continue;
        };
        let member = &mut model.resources.builders[builder.0].members[index];
        member.documented = true;
        if member.docs.summary.is_none() {
            member.docs.summary = page
                .front("description")
                .map(|d| d.text.clone())
                .filter(|d| useful(d));
        }
    }
    if docs_only {
        keep_documented_operations(model);
    }
}

fn describe_properties(model: &mut Model, page: &Page) {
    let Some((resource, _)) = page_resource(page) else {
        return;
    };
    let Some(id) = model
        .types
        .iter()
        .find(|t| t.qualified_name.eq_ignore_ascii_case(&resource))
        .map(|t| t.id)
    else {
        return;
    };
    let crate::ir::TypeKind::Struct(s) = &mut model.types[id.0].kind else {
        return;
    };
    for (table, row, name) in page.member_rows() {
        let Some(description) = table.cell(row, "description") else {
            continue;
        };
        if !useful(&description.text) {
            continue;
        }
        if let Some(p) = s
            .properties
            .iter_mut()
            .find(|p| p.name == name.text && p.docs.summary.is_none())
        {
            p.docs = Docs {
                summary: Some(description.text.clone()),
                long: None,
            };
        }
    }
}

/// For docs-only input: the operations the pages describe, and the ways that lead to them.
fn keep_documented_operations(model: &mut Model) {
    for builder in &mut model.resources.builders {
        builder
            .members
            .retain(|m| m.documented || m.kind.leads_on());
    }
}

//! Documentation pages as an input of resolution: [`enrich`] adds what the pages say to the
//! model, with or without CSDL: descriptions the metadata lacks, and the documented operations
//! (for docs-only input, only those). Without CSDL the pages are first read as metadata by
//! [`crate::pages::synthesize`].

use std::collections::HashMap;

use crate::ir::{BuilderId, Docs, MemberKind, Model, TypeId, UrlMatch};
use crate::pages::{documented_request, member_name, page_resource, useful, Page};

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
                    | MemberKind::Replace
                    | MemberKind::Delete
                    | MemberKind::List
                    | MemberKind::Create
            ) && m.kind.http_method(model) == Some(method)
        })
        .map(|index| (builder, index))
}

/// Adds what the pages say to the model. Linear in the pages' rows: types are found by name
/// in a map built once, and each page's rows in a map of its type's properties.
pub fn enrich(model: &mut Model, pages: &[Page], docs_only: bool) {
    let mut types: HashMap<String, TypeId> = HashMap::with_capacity(model.types.len());
    for t in &model.types {
        types
            .entry(t.qualified_name.to_ascii_lowercase())
            .or_insert(t.id);
    }
    for page in pages {
        describe_properties(model, &types, page);
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

fn describe_properties(model: &mut Model, types: &HashMap<String, TypeId>, page: &Page) {
    let Some((resource, _)) = page_resource(page) else {
        return;
    };
    let Some(id) = types.get(&resource.to_ascii_lowercase()) else {
        return;
    };
    let crate::ir::TypeKind::Struct(s) = &mut model.types[id.0].kind else {
        return;
    };
    let mut by_name: HashMap<&str, usize> = HashMap::with_capacity(s.properties.len());
    for (index, p) in s.properties.iter().enumerate() {
        by_name.entry(p.name.as_str()).or_insert(index);
    }
    let mut described = Vec::new();
    for (table, row, name) in page.member_rows() {
        let Some(description) = table.cell(row, "description") else {
            continue;
        };
        if !useful(&description.text) {
            continue;
        }
        if let Some(&index) = by_name.get(member_name(&name.text)) {
            described.push((index, &description.text));
        }
    }
    for (index, description) in described {
        let p = &mut s.properties[index];
        if p.docs.summary.is_none() {
            p.docs = Docs {
                summary: Some(description.clone()),
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

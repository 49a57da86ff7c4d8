//! Documentation pages as the metadata, when there is no CSDL: [`synthesize`] reads the pages
//! into one CSDL document, which resolution then reads as it reads any other. The types their
//! property and relationship tables describe, the entry points and containment navigation their
//! request paths imply; what cannot be decided degrades with a located warning (see the README's
//! "Documentation pages").

use std::collections::{BTreeMap, HashMap};

use super::reading::{
    documented_request, edm_name, member_name, page_namespace, page_resource, useful,
};
use crate::csdl::{self, valid_simple_identifier, StructuredKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pages::{BlockKind, CellType, HttpMessage, HttpRequest, Page, TableKind};
use crate::source::{Span, Spanned};

/// Where the pages say a member is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    /// A row of a property table.
    Property,
    /// A row of a relationships table.
    Relationship,
    /// A segment of a documented request path (containment).
    Path,
}

/// What a member's type cell names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Edm(&'static str),
    /// The lower-case key of a drafted type.
    Drafted(String),
}

struct Member {
    name: Spanned,
    target: Target,
    collection: bool,
    /// The type cell, or the request line of a path.
    type_span: Span,
    description: Option<String>,
    origin: Origin,
}

#[derive(Default)]
struct Draft {
    name: String,
    span: Option<Span>,
    members: Vec<Member>,
    /// Member index by name, and by lower-case name (the first), so that merging many pages
    /// and long tables stays linear.
    by_name: HashMap<String, usize>,
    by_folded: HashMap<String, usize>,
    described: bool,
    /// The `keyProperty` of a resource block, where.
    declared_key: Option<(String, Span)>,
}

impl Draft {
    fn member(&self, name: &str) -> Option<&Member> {
        let index = self
            .by_name
            .get(name)
            .or_else(|| self.by_folded.get(&name.to_ascii_lowercase()))?;
        self.members.get(*index)
    }
}

/// A type as a diagnostic names it: `Collection(microsoft.graph.x)`, `Edm.String`.
fn describe_target(drafts: &BTreeMap<String, Draft>, target: &Target, collection: bool) -> String {
    let inner = match target {
        Target::Edm(edm) => (*edm).to_owned(),
        Target::Drafted(key) => drafts
            .get(key)
            .map_or_else(|| key.clone(), |d| d.name.clone()),
    };
    if collection {
        format!("Collection({inner})")
    } else {
        inner
    }
}

/// Adds a member to the draft `owner`; a member already there (another page, another version
/// of the same page) is merged: the first description of it is kept, a relationships table
/// wins over a property table, and a different type is a warning (the first type is kept).
fn add_member(
    drafts: &mut BTreeMap<String, Draft>,
    owner: &str,
    member: Member,
    diagnostics: &mut Diagnostics,
) {
    let Some(draft) = drafts.get(owner) else {
        return;
    };
    if let Some(&index) = draft.by_name.get(&member.name.text) {
        let first = &draft.members[index];
        let conflict = (first.target != member.target || first.collection != member.collection)
            && member.origin != Origin::Path;
        if conflict {
            let message = format!(
                "property `{}` of `{}` has type `{}` here but `{}` where it was first described; the first is kept",
                member.name.text,
                draft.name,
                describe_target(drafts, &member.target, member.collection),
                describe_target(drafts, &first.target, first.collection),
            );
            diagnostics.push(
                Diagnostic::warning(member.type_span, message)
                    .with_note(first.type_span, "first described here"),
            );
        }
        let Some(first) = drafts.get_mut(owner).and_then(|d| d.members.get_mut(index)) else {
            return;
        };
        if first.description.is_none() {
            first.description = member.description;
        }
        if first.origin == Origin::Property && member.origin == Origin::Relationship && !conflict {
            first.origin = Origin::Relationship;
        }
        return;
    }
    let Some(draft) = drafts.get_mut(owner) else {
        return;
    };
    let index = draft.members.len();
    draft.by_name.insert(member.name.text.clone(), index);
    draft
        .by_folded
        .entry(member.name.text.to_ascii_lowercase())
        .or_insert(index);
    draft.members.push(member);
}


/// Whether a page's type (an `@odata.type` or a title's last word) is a primitive type, as
/// for an action's page that returns strings: no structured type is drafted for it.
fn is_primitive(qualified: &str) -> bool {
    qualified.starts_with("Edm.")
        || qualified.starts_with("edm.")
        || edm_name(qualified.rsplit('.').next().unwrap_or(qualified)).is_some()
}

/// Whether an API page documents an action or a function (`assign action`, `user:
/// assignLicense`): its request path ends with the operation, its tables are parameters, and
/// the type its response names is the operation's result. Docs-only input generates no
/// operations, so such a page describes no type and no path.
fn operation_page(page: &Page) -> bool {
    page.doc_type() != Some("resourcePageType")
        && page.title.as_ref().is_some_and(|title| {
            let text = title.text.trim();
            text.contains(':')
                || text.split_whitespace().last().is_some_and(|w| {
                    w.eq_ignore_ascii_case("action") || w.eq_ignore_ascii_case("function")
                })
        })
}

/// The type a page describes, for docs-only input: as [`page_resource`] finds it, except that
/// a response example's `@odata.type` (of the object, or of the first item of `value`) comes
/// before the title's last word (which is plural on list pages).
fn synthesized_resource(page: &Page) -> Option<(String, Span, bool)> {
    let found = page_resource(page)?;
    let from_title = page.title.as_ref().is_some_and(|t| t.span == found.1);
    if !from_title {
        return Some((found.0, found.1, false));
    }
    let from_response = page.code_blocks.iter().find_map(|b| match &b.http {
        Some(HttpMessage::Response(r)) => {
            let body = r.body.as_ref()?;
            let value: serde_json::Value = serde_json::from_str(&body.text).ok()?;
            let object = match value.get("value") {
                Some(serde_json::Value::Array(items)) => items.first()?,
                _ => &value,
            };
            let ty = object.get("@odata.type")?.as_str()?.trim_start_matches('#');
            Some((ty.to_owned(), body.span))
        }
        _ => None,
    });
    Some(match from_response {
        Some((name, span)) => (name, span, false),
        // Only the title's last word: the type a request path already leads to comes first.
        None => (found.0, found.1, true),
    })
}

/// How a segment of a request path reads, for docs-only input.
enum Segment<'a> {
    Key,
    Name(&'a str),
    /// A form the pages' model does not hold (an operation call, a cast or a qualified
    /// operation, `$ref`/`$value`/`$count`, an alternate key): the path is read up to it.
    Other,
    /// None of the above (`root:`, `(team-id)`, `**`): the path is read up to it, with a warning.
    Unknown,
}

fn segment(text: &str) -> Segment<'_> {
    if text.starts_with('{') {
        Segment::Key
    } else if valid_simple_identifier(text) {
        Segment::Name(text)
    } else if text.starts_with('$')
        || text.contains('=')
        || text
            .split_once('(')
            .is_some_and(|(name, rest)| valid_simple_identifier(name) && rest.ends_with(')'))
        || (text.contains('.') && text.split('.').all(valid_simple_identifier))
    {
        Segment::Other
    } else {
        Segment::Unknown
    }
}

/// Builds a CSDL document from pages alone. Pages are never perfect, so what cannot be read as
/// metadata degrades, each time with a located warning: a property table row without a name
/// is skipped, an unreadable type becomes `Edm.Untyped`, a type described in several pages
/// (or versions) is merged, a property of entity type becomes a navigation property, a
/// relationship to a non-entity type becomes a structural property, and a type no page
/// describes becomes an open type. The document it returns resolves without errors.
pub fn synthesize(
    pages: &[Page],
    file: crate::source::FileId,
    diagnostics: &mut Diagnostics,
) -> csdl::Document {
    let namespace = pages
        .first()
        .map(page_namespace)
        .unwrap_or_else(|| "microsoft.graph".to_owned());
    let mut drafts: BTreeMap<String, Draft> = BTreeMap::new();
    let simple = |qualified: &str| qualified.rsplit('.').next().unwrap_or(qualified).to_owned();
    // Returns the draft's key.
    let draft = |drafts: &mut BTreeMap<String, Draft>, name: &str, span: Span| {
        let key = name.to_ascii_lowercase();
        let entry = drafts.entry(key.clone()).or_default();
        if entry.span.is_none() {
            entry.name = name.to_owned();
            entry.span = Some(span);
        }
        key
    };
    let mut paths = Vec::new();
    for page in pages {
        if operation_page(page) {
            continue;
        }
        let Some((resource, resource_span, weak)) = synthesized_resource(page) else {
            continue;
        };
        if is_primitive(&resource) {
            // An operation's page about a primitive result: its tables are its parameters.
            continue;
        }
        let resource = simple(&resource);
        if !valid_simple_identifier(&resource) {
            diagnostics.warning(
                resource_span,
                format!(
                    "`{resource}` is not a type name; this page's tables and request are not read"
                ),
            );
            continue;
        }
        // A type named only by an API page's title is drafted when the page describes it or
        // a path needs it.
        let owner = resource.to_ascii_lowercase();
        if !weak || page.member_rows().next().is_some() {
            draft(&mut drafts, &resource, resource_span);
        }
        for (table, row, name) in page.member_rows() {
            let member = member_name(&name.text);
            if !valid_simple_identifier(member) {
                diagnostics.warning(
                    name.span,
                    format!(
                        "`{}` is not a property name; this table row is skipped",
                        name.text.trim()
                    ),
                );
                continue;
            }
            let name = Spanned {
                text: member.to_owned(),
                span: name.span,
            };
            let ty = table.cell(row, "type");
            let type_span = ty.map_or(name.span, |t| t.span);
            let cell = ty.and_then(|t| CellType::parse(&t.text));
            let (target, collection) = match &cell {
                Some(cell) => match edm_name(&cell.name) {
                    Some(edm) => (Target::Edm(edm), cell.collection),
                    None => {
                        let target = simple(&cell.name);
                        if valid_simple_identifier(&target) {
                            (
                                Target::Drafted(draft(&mut drafts, &target, type_span)),
                                cell.collection,
                            )
                        } else {
                            diagnostics.warning(
                                type_span,
                                format!(
                                    "`{}` is not a type name; property `{}` is generated as untyped JSON (`Edm.Untyped`)",
                                    cell.name, name.text
                                ),
                            );
                            (Target::Edm("Edm.Untyped"), cell.collection)
                        }
                    }
                },
                None => {
                    diagnostics.warning(
                        type_span,
                        format!(
                            "the table gives property `{}` no type; it is generated as untyped JSON (`Edm.Untyped`)",
                            name.text
                        ),
                    );
                    (Target::Edm("Edm.Untyped"), false)
                }
            };
            let description = table
                .cell(row, "description")
                .map(|d| d.text.clone())
                .filter(|d| useful(d));
            let origin = if table.kind == TableKind::Relationships {
                Origin::Relationship
            } else {
                Origin::Property
            };
            if let Some(entry) = drafts.get_mut(&owner) {
                entry.described = true;
            }
            let member = Member {
                name,
                target,
                collection,
                type_span,
                description,
                origin,
            };
            add_member(&mut drafts, &owner, member, diagnostics);
        }
        // A key the page's resource block names (`"keyProperty": "id"`): used only for a type
        // that is an entity type anyway and lists no `id` (inherited from a base type the pages
        // do not describe); stub pages name a key for complex types too.
        let declared_key = page.code_blocks.iter().find_map(|b| {
            let metadata = b
                .metadata
                .as_ref()
                .filter(|_| b.kind == BlockKind::Resource)?;
            Some((metadata.key_property.clone()?, metadata.span))
        });
        if let (Some(declared), false) = (declared_key, weak) {
            if let Some(d) = drafts.get_mut(&owner) {
                d.declared_key.get_or_insert(declared);
            }
        }
        if let Some(request) = documented_request(page) {
            let is_collection = page.code_blocks.iter().any(|b| {
                b.kind == BlockKind::Response
                    && b.metadata.as_ref().is_some_and(|m| {
                        m.is_collection
                            || m.odata_type
                                .as_deref()
                                .is_some_and(|t| t.starts_with("Collection("))
                    })
            });
            paths.push((request, (resource, resource_span, weak), is_collection));
        }
    }
    // Entry points and containment from the documented paths, shortest first.
    paths.sort_by_key(|(request, ..)| request.path.matches('/').count());
    // By lower-case name (URL segments are matched in any case): spelling, type key, span.
    let mut singletons: BTreeMap<String, (String, String, Span)> = BTreeMap::new();
    let mut sets: BTreeMap<String, (String, String, Span)> = BTreeMap::new();
    // Types that entry points or navigation address must be entity types.
    let mut entity_targets = std::collections::BTreeSet::new();
    for (request, (resource, resource_span, weak), is_collection) in &paths {
        let span = request.span;
        let segments: Vec<&str> = request
            .path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        // Where the path stops being read: the first segment that is no name or key.
        let end = segments
            .iter()
            .position(|s| matches!(segment(s), Segment::Other | Segment::Unknown))
            .unwrap_or(segments.len());
        if let Some(stop) = segments.get(end) {
            if matches!(segment(stop), Segment::Unknown) {
                diagnostics.warning(
                    span,
                    format!("request path segment `{stop}` is not a name, a key or an operation; the path is read up to it"),
                );
            }
        }
        let segments = &segments[..end];
        let mut parent: Option<String> = None;
        for (i, text) in segments.iter().enumerate() {
            let Segment::Name(name) = segment(text) else {
                continue;
            };
            let last = i == segments.len() - 1;
            let keyed = segments.get(i + 1).is_some_and(|s| s.starts_with('{'));
            // Where the page documents its resource: the whole path was read.
            let at_resource =
                end == request_len(request) && (last || (keyed && i + 2 == segments.len()));
            let collection = keyed || (last && (request.method == "POST" || *is_collection));
            let existing = match parent.as_deref() {
                // An entry point a shorter path has documented already.
                None => sets
                    .get(&name.to_ascii_lowercase())
                    .filter(|_| collection)
                    .map(|(_, key, _)| key.clone()),
                Some(p) => {
                    drafts
                        .get(p)
                        .and_then(|d| d.member(name))
                        .and_then(|m| match &m.target {
                            Target::Drafted(key) => Some(key.clone()),
                            Target::Edm(_) => None,
                        })
                }
            };
            let target = match existing {
                Some(key) if !at_resource || *weak => key,
                _ if at_resource => draft(&mut drafts, resource, *resource_span),
                _ => draft(&mut drafts, name, span),
            };
            entity_targets.insert(target.clone());
            match &parent {
                None if collection => {
                    let entry = sets
                        .entry(name.to_ascii_lowercase())
                        .or_insert_with(|| (name.to_owned(), target.clone(), span));
                    if entry.1 != target {
                        let message = format!(
                            "entity set `{}` is of `{}` here but of `{}` where first documented; the first is kept",
                            entry.0,
                            describe_target(&drafts, &Target::Drafted(target.clone()), false),
                            describe_target(&drafts, &Target::Drafted(entry.1.clone()), false),
                        );
                        diagnostics.push(
                            Diagnostic::warning(span, message)
                                .with_note(entry.2, "first documented here"),
                        );
                    }
                    parent = Some(entry.1.clone());
                    continue;
                }
                None => {
                    // A singleton's type: a type of that name, or one drafted for it.
                    let own = draft(&mut drafts, name, span);
                    entity_targets.insert(own.clone());
                    singletons
                        .entry(name.to_ascii_lowercase())
                        .or_insert_with(|| (name.to_owned(), own.clone(), span));
                    parent = Some(own);
                    continue;
                }
                Some(owner) => {
                    let known = drafts.get(owner).and_then(|d| d.member(name)).is_some();
                    if !known {
                        let member = Member {
                            name: Spanned {
                                text: name.to_owned(),
                                span,
                            },
                            target: Target::Drafted(target.clone()),
                            collection,
                            type_span: span,
                            description: None,
                            origin: Origin::Path,
                        };
                        add_member(&mut drafts, owner, member, diagnostics);
                    }
                }
            }
            parent = Some(target);
        }
    }
    // A name both a singleton and an entity set: some page addresses it as a collection.
    singletons.retain(|folded, (name, _, span)| {
        let Some((_, _, set_span)) = sets.get(folded) else {
            return true;
        };
        diagnostics.push(
            Diagnostic::warning(
                *span,
                format!("`{name}` is addressed as a collection elsewhere; it is generated as an entity set, not a singleton"),
            )
            .with_note(*set_span, "addressed as a collection here"),
        );
        false
    });
    document(
        file,
        &namespace,
        drafts,
        singletons,
        sets,
        &entity_targets,
        diagnostics,
    )
}

/// The number of segments of a request's path.
fn request_len(request: &HttpRequest) -> usize {
    request
        .path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count()
}


/// Primitive types a key can have.
fn key_type(target: &Target) -> bool {
    matches!(target, Target::Edm(edm) if !matches!(*edm, "Edm.Stream" | "Edm.Untyped" | "Edm.Binary"))
}

fn document(
    file: crate::source::FileId,
    namespace: &str,
    drafts: BTreeMap<String, Draft>,
    singletons: BTreeMap<String, (String, String, Span)>,
    sets: BTreeMap<String, (String, String, Span)>,
    entity_targets: &std::collections::BTreeSet<String>,
    diagnostics: &mut Diagnostics,
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
    let has_key = |d: &Draft| {
        d.member("id").is_some_and(|m| {
            m.name.text == "id" && m.origin != Origin::Path && !m.collection && key_type(&m.target)
        })
    };
    let singleton_types: std::collections::BTreeSet<&String> =
        singletons.values().map(|(_, key, _)| key).collect();
    let entities: std::collections::BTreeSet<&String> = drafts
        .iter()
        .filter(|(key, d)| {
            has_key(d) || singleton_types.contains(key) || entity_targets.contains(*key)
        })
        .map(|(key, _)| key)
        .collect();
    // References name a type in the spelling it was first drafted with.
    let qualified = |key: &str| match drafts.get(key) {
        Some(d) => format!("{namespace}.{}", d.name),
        None => format!("{namespace}.{key}"),
    };
    let type_name = |target: &Target, collection: bool| {
        let inner = match target {
            Target::Edm(edm) => (*edm).to_owned(),
            Target::Drafted(key) => qualified(key),
        };
        if collection {
            format!("Collection({inner})")
        } else {
            inner
        }
    };
    let mut structured_types = Vec::new();
    for (key, d) in &drafts {
        let span = d.span.unwrap_or(zero);
        let is_entity = entities.contains(key);
        let mut keyed = has_key(d);
        let mut inherited_key = None;
        if let (true, false, Some((name, at))) = (is_entity, keyed, &d.declared_key) {
            if name == "id" && d.member(name).is_none() {
                diagnostics.warning(
                    *at,
                    format!("key `id` of entity type `{}` is in no property table; it is generated as `Edm.String`, as the page's `keyProperty` names it", d.name),
                );
                keyed = true;
                inherited_key = Some(csdl::Property {
                    name: spanned("id", *at),
                    span: *at,
                    type_name: spanned("Edm.String", *at),
                    nullable: Some(false),
                    max_length: None,
                    precision: None,
                    scale: None,
                    default_value: None,
                    annotations: Vec::new(),
                });
            }
        }
        if !d.described {
            diagnostics.warning(
                span,
                format!("no page describes the properties of `{}`; it is generated as an open type (its members are kept as dynamic properties)", d.name),
            );
        }
        let mut properties: Vec<csdl::Property> = inherited_key.into_iter().collect();
        let mut navigation_properties = Vec::new();
        for m in &d.members {
            let target_entity = matches!(&m.target, Target::Drafted(t) if entities.contains(t));
            let ty = spanned(&type_name(&m.target, m.collection), m.type_span);
            let navigation = match m.origin {
                Origin::Path => true,
                Origin::Relationship if target_entity => true,
                Origin::Relationship => {
                    diagnostics.warning(
                        m.type_span,
                        format!(
                            "relationship `{}` of `{}` has `{}`, which is not an entity type; it is generated as a structural property",
                            m.name.text, d.name, ty.text
                        ),
                    );
                    false
                }
                Origin::Property if target_entity => {
                    diagnostics.warning(
                        m.type_span,
                        format!(
                            "property `{}` of `{}` has entity type `{}`; it is generated as a navigation property",
                            m.name.text, d.name, ty.text
                        ),
                    );
                    true
                }
                Origin::Property => false,
            };
            if navigation {
                navigation_properties.push(csdl::NavigationProperty {
                    name: m.name.clone(),
                    span: m.name.span,
                    type_name: ty,
                    nullable: None,
                    contains_target: m.origin == Origin::Path,
                    partner: None,
                    annotations: description(&m.description, m.name.span),
                });
            } else {
                let is_key = keyed && m.name.text == "id";
                properties.push(csdl::Property {
                    name: m.name.clone(),
                    span: m.name.span,
                    type_name: ty,
                    nullable: is_key.then_some(false),
                    max_length: None,
                    precision: None,
                    scale: None,
                    default_value: None,
                    annotations: description(&m.description, m.name.span),
                });
            }
        }
        structured_types.push(csdl::StructuredType {
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
            key: if keyed {
                vec![spanned("id", span)]
            } else {
                Vec::new()
            },
            properties,
            navigation_properties,
            annotations: Vec::new(),
        });
    }
    let entry = |(_, (name, key, span)): (String, (String, String, Span))| csdl::EntitySet {
        name: spanned(&name, span),
        span,
        type_name: spanned(&qualified(&key), span),
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

#[cfg(test)]
mod tests {
    use super::{segment, Segment};
    use crate::pages::member_name;

    #[test]
    fn table_cells_name_members_the_way_real_pages_write_them() {
        for (cell, name) in [
            ("id", "id"),
            (" `webUrl` ", "webUrl"),
            ("**displayName**", "displayName"),
            ("teamsAppId (deprecated)", "teamsAppId"),
            ("`labels` (preview)", "labels"),
            ("see also", "see also"),
            ("files/fileName", "files/fileName"),
        ] {
            assert_eq!(member_name(cell), name, "{cell:?}");
        }
    }

    #[test]
    fn request_path_segments_are_names_keys_known_forms_or_unknown() {
        let kind = |text| match segment(text) {
            Segment::Key => "key",
            Segment::Name(_) => "name",
            Segment::Other => "other",
            Segment::Unknown => "unknown",
        };
        for (text, expected) in [
            ("{id}", "key"),
            ("{id | userPrincipalName}", "key"),
            ("clientConfigurations", "name"),
            ("$ref", "other"),
            ("delta()", "other"),
            ("filterByCurrentUser(on='reviewer')", "other"),
            ("microsoft.graph.assign", "other"),
            ("roleTemplateId={roleTemplateId}", "other"),
            ("root:", "unknown"),
            ("(team-id)", "unknown"),
            ("**", "unknown"),
        ] {
            assert_eq!(kind(text), expected, "{text}");
        }
    }
}

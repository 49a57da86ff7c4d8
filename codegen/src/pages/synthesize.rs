//! Documentation pages as the metadata, when there is no CSDL: [`synthesize`] reads the pages
//! into one CSDL document, which resolution then reads as it reads any other. The types their
//! property, relationship and member tables describe (each in its page's namespace, with the
//! base type its resource block or "Inherits from" sentence names), the entry points and
//! containment navigation their request paths imply; what cannot be decided degrades with a
//! located warning (see the README's "Documentation pages").

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::reading::{
    description_text, documented_request, edm_name, member_name, page_resource, useful,
};
use crate::csdl::{self, valid_simple_identifier, StructuredKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pages::{
    BlockKind, CellType, HttpMessage, HttpRequest, Page, Table, TableKind,
};
use crate::source::{Span, Spanned};

/// The namespace of pages that name none.
const DEFAULT_NAMESPACE: &str = "microsoft.graph";

/// The most base types a chain may have (as CSDL input allows; Graph's deepest is 5).
const MAX_BASE_TYPES: usize = 32;

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
    /// The key of a drafted type (its qualified name in lower case).
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
    /// A documented request path goes on through a key of this member, or creates in it: its
    /// targets are addressed through it (contained, unless an entity set holds them).
    addressed: bool,
}

/// A row of a members table.
struct EnumMember {
    name: Spanned,
    value: Option<(i64, Span)>,
    description: Option<String>,
}

#[derive(Default)]
struct Draft {
    name: String,
    /// The lower-case namespace (spelled in [`Synth::namespaces`]).
    namespace: String,
    span: Option<Span>,
    members: Vec<Member>,
    /// Member index by name, and by lower-case name (the first), so that merging many pages
    /// and long tables stays linear.
    by_name: HashMap<String, usize>,
    by_folded: HashMap<String, usize>,
    /// A property or relationships table lists members of it.
    described: bool,
    /// The `keyProperty` of a resource block, where.
    declared_key: Option<(String, Span)>,
    /// Members of an enumeration, from members tables.
    enum_members: Vec<EnumMember>,
    enum_by_name: HashMap<String, usize>,
    /// The first members table of it.
    enum_span: Option<Span>,
    /// The base type's key, and where the page names it.
    base: Option<(String, Span)>,
}

impl Draft {
    fn member(&self, name: &str) -> Option<&Member> {
        let index = self.member_index(name)?;
        self.members.get(index)
    }

    fn member_index(&self, name: &str) -> Option<usize> {
        self.by_name
            .get(name)
            .or_else(|| self.by_folded.get(&name.to_ascii_lowercase()))
            .copied()
    }

    /// An enumeration: members tables list it, and no property table does.
    fn is_enum(&self) -> bool {
        !self.enum_members.is_empty() && !self.described
    }
}

/// The drafts of one run, and how type references find them.
#[derive(Default)]
struct Synth {
    drafts: BTreeMap<String, Draft>,
    /// Namespaces by lower-case name, as first spelled.
    namespaces: BTreeMap<String, String>,
    /// The keys of the types some page describes (the type it is about, an enum it lists the
    /// members of), and the lower-case namespaces each lower-case simple name is described in.
    known: HashSet<String>,
    known_in: HashMap<String, BTreeSet<String>>,
}

fn key(namespace: &str, name: &str) -> String {
    format!(
        "{}.{}",
        namespace.to_ascii_lowercase(),
        name.to_ascii_lowercase()
    )
}

/// `microsoft.graph.callRecords.session` → (`microsoft.graph.callRecords`, `session`), when
/// every part is a name.
fn split_qualified(name: &str) -> Option<(&str, &str)> {
    let (namespace, simple) = name.rsplit_once('.')?;
    (valid_simple_identifier(simple) && namespace.split('.').all(valid_simple_identifier))
        .then_some((namespace, simple))
}

impl Synth {
    fn namespace(&mut self, spelled: &str) -> String {
        let folded = spelled.to_ascii_lowercase();
        self.namespaces
            .entry(folded.clone())
            .or_insert_with(|| spelled.to_owned());
        folded
    }

    /// Drafts the type `namespace.name` (or finds it, in any letter case); returns its key.
    fn draft(&mut self, namespace: &str, name: &str, span: Span) -> String {
        let folded = self.namespace(namespace);
        let key = key(namespace, name);
        let entry = self.drafts.entry(key.clone()).or_default();
        if entry.span.is_none() {
            entry.name = name.to_owned();
            entry.namespace = folded;
            entry.span = Some(span);
        }
        key
    }

    fn know(&mut self, namespace: &str, name: &str) {
        let folded = self.namespace(namespace);
        self.known.insert(key(namespace, name));
        self.known_in
            .entry(name.to_ascii_lowercase())
            .or_default()
            .insert(folded);
    }

    /// The type a page of `namespace` means by `name`: a qualified name is where it says; a
    /// simple one is a type of the page's namespace that some page describes, else one of
    /// another namespace that some page describes (Graph's own namespace first), else a type
    /// of the page's namespace.
    fn reference(&self, namespace: &str, name: &str) -> (String, String) {
        if let Some((qualifier, simple)) = split_qualified(name) {
            return (qualifier.to_owned(), simple.to_owned());
        }
        if !self.known.contains(&key(namespace, name)) {
            if let Some(elsewhere) = self.known_in.get(&name.to_ascii_lowercase()) {
                let default = DEFAULT_NAMESPACE.to_owned();
                let chosen = if elsewhere.contains(&default) {
                    Some(&default)
                } else {
                    elsewhere.iter().next()
                };
                if let Some(spelled) = chosen.and_then(|c| self.namespaces.get(c)) {
                    return (spelled.clone(), name.to_owned());
                }
            }
        }
        (namespace.to_owned(), name.to_owned())
    }

    /// The keys of `key`'s base types, nearest first.
    fn ancestors(&self, key: &str) -> Vec<String> {
        let mut chain = Vec::new();
        let mut current = self.drafts.get(key).and_then(|d| d.base.as_ref());
        while let Some((base, _)) = current {
            if chain.len() > MAX_BASE_TYPES || chain.contains(base) || base == key {
                break;
            }
            chain.push(base.clone());
            current = self.drafts.get(base).and_then(|d| d.base.as_ref());
        }
        chain
    }

    /// The member `name` of `owner` or of one of its base types: the type that declares it,
    /// and its index there.
    fn member_in_chain(&self, owner: &str, name: &str) -> Option<(String, usize)> {
        std::iter::once(owner.to_owned())
            .chain(self.ancestors(owner))
            .find_map(|k| {
                let index = self.drafts.get(&k)?.member_index(name)?;
                Some((k, index))
            })
    }

    /// Whether the pages show `key` as an entity type, or leave it undecided (nothing
    /// describes it): not an enumeration, nor a type with properties but no key, no
    /// relationships, no entity base and no entry point or path addressing it.
    fn may_be_entity(&self, key: &str, entity_targets: &BTreeSet<String>) -> bool {
        let Some(d) = self.drafts.get(key) else {
            return true;
        };
        if d.is_enum() {
            return false;
        }
        if !d.described {
            return true;
        }
        std::iter::once(key.to_owned())
            .chain(self.ancestors(key))
            .any(|k| {
                entity_targets.contains(&k)
                    || self.drafts.get(&k).is_some_and(|a| {
                        has_id(a)
                            || a.declared_key.is_some()
                            || a.members.iter().any(|m| m.origin == Origin::Relationship)
                    })
            })
    }
}

/// Whether a draft lists an `id` a key can be.
fn has_id(d: &Draft) -> bool {
    d.member("id").is_some_and(|m| {
        m.name.text == "id" && m.origin != Origin::Path && !m.collection && key_type(&m.target)
    })
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
        first.addressed |= member.addressed;
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

/// Adds an enumeration member to the draft `owner`; members named in several places are
/// merged (the union), and a member given another value is a warning (the first is kept).
fn add_enum_member(
    drafts: &mut BTreeMap<String, Draft>,
    owner: &str,
    member: EnumMember,
    diagnostics: &mut Diagnostics,
) {
    let Some(draft) = drafts.get_mut(owner) else {
        return;
    };
    if let Some(&index) = draft.enum_by_name.get(&member.name.text) {
        let first = &mut draft.enum_members[index];
        if let (Some((value, at)), Some((first_value, first_at))) = (member.value, first.value) {
            if value != first_value {
                diagnostics.push(
                    Diagnostic::warning(
                        at,
                        format!(
                            "member `{}` of `{}` has value {value} here but {first_value} where it was first listed; the first is kept",
                            member.name.text, draft.name
                        ),
                    )
                    .with_note(first_at, "first listed here"),
                );
            }
        }
        if first.value.is_none() {
            first.value = member.value;
        }
        if first.description.is_none() {
            first.description = member.description;
        }
        return;
    }
    draft
        .enum_by_name
        .insert(member.name.text.clone(), draft.enum_members.len());
    draft.enum_members.push(member);
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
    if page.doc_type() == Some("resourcePageType") {
        return false;
    }
    let titled = page.title.as_ref().is_some_and(|title| {
        let text = title.text.trim();
        text.contains(':')
            || text.split_whitespace().last().is_some_and(|w| {
                w.eq_ignore_ascii_case("action") || w.eq_ignore_ascii_case("function")
            })
    });
    titled || posts_an_action(page)
}

/// Whether a page's documented `POST` calls an action rather than creating an entity (most
/// real action pages are titled with a verb phrase, "Send mail"): its request body is
/// documented as a table of parameters, or every example answers without content (`202
/// Accepted`, `204 No Content`), which a create does not (OData Protocol 4.01 §11.4.2.1: it
/// answers `201 Created`, or `204` only when asked to with `Prefer: return=minimal`).
fn posts_an_action(page: &Page) -> bool {
    let Some(request) = documented_request(page) else {
        return false;
    };
    if request.method != "POST" {
        return false;
    }
    let parameter_table = page.tables.iter().any(|t| {
        t.kind == TableKind::Parameters
            && page
                .section(t.section)
                .is_some_and(|s| s.kind == crate::pages::SectionKind::RequestBody)
    });
    let statuses: Vec<u16> = page
        .code_blocks
        .iter()
        .filter_map(|b| match &b.http {
            Some(HttpMessage::Response(r)) => Some(r.status),
            _ => None,
        })
        .collect();
    parameter_table || (!statuses.is_empty() && statuses.iter().all(|s| matches!(s, 202 | 204)))
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
        // A resource page's title names its type.
        None if page.doc_type() == Some("resourcePageType") => (found.0, found.1, false),
        // Only the title's last word: the type a request path already leads to comes first.
        None => (found.0, found.1, true),
    })
}

/// A page's namespace: its `Namespace:` line (a trailing `.` aside), or Graph's. A line that
/// names no namespace is a warning.
fn page_namespace(page: &Page, diagnostics: &mut Diagnostics) -> String {
    // The line's first word: pages often go on with the description without a blank line.
    let Some((line, span)) = page.paragraphs.iter().find_map(|p| {
        let word = p.text.strip_prefix("Namespace:")?.split_whitespace().next()?;
        Some((word.trim_end_matches('.'), p.span))
    }) else {
        return DEFAULT_NAMESPACE.to_owned();
    };
    let namespace = line.trim_matches('`');
    if !namespace.is_empty() && namespace.split('.').all(valid_simple_identifier) {
        return namespace.to_owned();
    }
    diagnostics.warning(
        span,
        format!("`{line}` is not a namespace; this page's types are in `{DEFAULT_NAMESPACE}`"),
    );
    DEFAULT_NAMESPACE.to_owned()
}

/// The members tables of a page (`Member | Value | Description` under `### bodyType values`
/// or `## Members` of a page titled `bodyType enum type`; `Value | Description` under such a
/// heading), each with the enumeration it lists (`None` when the page does not name it) and
/// where that is named.
fn members_tables(page: &Page) -> impl Iterator<Item = (&Table, Option<(String, Span)>)> {
    page.tables.iter().filter_map(move |table| {
        let section = page.section(table.section);
        let heading = section.and_then(|s| {
            let title = s.title.trim();
            let cut = title.len().checked_sub(" values".len())?;
            let (name, suffix) = (title.get(..cut)?, title.get(cut..)?);
            suffix
                .eq_ignore_ascii_case(" values")
                .then(|| (name.trim().trim_matches('`').to_owned(), s.span))
        });
        let first = table.header.first().map(|h| h.trim().to_ascii_lowercase());
        // `Value | Description` under `Prefer header values` is no enumeration.
        let listed = table.kind == TableKind::Members
            || (heading
                .as_ref()
                .is_some_and(|(name, _)| valid_simple_identifier(name))
                && matches!(first.as_deref(), Some("value" | "name")));
        if !listed {
            return None;
        }
        let from_title = || {
            let title = page.title.as_ref()?;
            let text = title.text.trim();
            let lower = text.to_ascii_lowercase();
            let name = ["enum type", "enumeration type", "enumeration", "enum"]
                .iter()
                .find_map(|suffix| {
                    let cut = lower.strip_suffix(suffix)?.len();
                    text.get(..cut)
                })?;
            Some((name.trim().trim_matches('`').to_owned(), title.span))
        };
        Some((table, heading.or_else(from_title)))
    })
}

/// The base type a resource page names: its resource block's `baseType`, else an `Inherits
/// from [x](...)` sentence about the page's type (`Inherits from`, `This type inherits
/// from`, `mailSearchFolder inherits from`) before its first table.
fn page_base(page: &Page, resource: &str) -> Option<(String, Span)> {
    let from_block = page.code_blocks.iter().find_map(|b| {
        let metadata = b
            .metadata
            .as_ref()
            .filter(|_| b.kind == BlockKind::Resource)?;
        let base = metadata.base_type.as_ref()?.trim();
        (!base.is_empty()).then(|| (base.trim_start_matches('#').to_owned(), metadata.span))
    });
    if from_block.is_some() {
        return from_block;
    }
    let first_table = page.tables.first().map(|t| t.span.offset);
    page.paragraphs
        .iter()
        .filter(|p| {
            first_table.is_none_or(|at| p.span.offset < at)
                && page.section(p.section).is_none_or(|s| s.level == 1)
        })
        .find_map(|p| {
            let lower = p.text.to_ascii_lowercase();
            let found = lower.find("inherits from ")?;
            // The sentence is about this type, not about another that inherits from it.
            let subject = lower[..found].rsplit(['.', '!', '?']).next()?.trim();
            let about_this = subject.is_empty()
                || subject == "it"
                || subject.starts_with("this ")
                || subject.trim_matches('`') == resource.to_ascii_lowercase();
            if !about_this {
                return None;
            }
            let at = found + "inherits from ".len();
            let name = p.text.get(at..)?.split_whitespace().find(|w| {
                !matches!(
                    w.to_ascii_lowercase().as_str(),
                    "base" | "class" | "the" | "type" | "abstract" | "an" | "a"
                )
            })?;
            let name = name
                .trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
                .trim_end_matches(".md");
            (valid_simple_identifier(name) || split_qualified(name).is_some())
                .then(|| (name.to_owned(), p.span))
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

/// What one page contributes, read before the tables so that type references can find types
/// described on later pages.
struct PageInfo {
    namespace: String,
    /// The type the page is about: namespace, name, where, and whether only the title's last
    /// word names it.
    resource: Option<(String, String, Span, bool)>,
}

/// A documented request path, with the type its page is about.
struct DocumentedPath<'p> {
    request: &'p HttpRequest,
    namespace: String,
    resource: (String, String, Span, bool),
    is_collection: bool,
}

/// The integer a members table's value cell holds (`4`, `-1`, `0x10`).
fn member_value(text: &str) -> Option<i64> {
    let text = text.trim().trim_matches('`');
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// Builds a CSDL document from pages alone. Pages are never perfect, so what cannot be read as
/// metadata degrades, each time with a located warning: a property table row without a name
/// is skipped, an unreadable type becomes `Edm.Untyped`, a type described in several pages
/// (or versions) is merged, a property of entity type becomes a navigation property, a
/// relationship to a non-entity type becomes a structural property, and a type no page
/// describes becomes any JSON (or an open type, for an entity type or a base). The document it
/// returns resolves without errors.
pub fn synthesize(
    pages: &[Page],
    file: crate::source::FileId,
    diagnostics: &mut Diagnostics,
) -> csdl::Document {
    let mut synth = Synth::default();
    // First what each page is about, so that a reference finds a type of another namespace
    // that a later page describes.
    let mut infos = Vec::with_capacity(pages.len());
    for page in pages {
        let namespace = page_namespace(page, diagnostics);
        synth.namespace(&namespace);
        for (_, named) in members_tables(page) {
            if let Some((name, _)) = named.filter(|(n, _)| valid_simple_identifier(n)) {
                synth.know(&namespace, &name);
            }
        }
        let resource = page_type(page, &namespace, diagnostics);
        if let Some((ns, name, _, weak)) = &resource {
            if !weak || page.member_rows().next().is_some() {
                synth.know(ns, name);
            }
        }
        infos.push(PageInfo {
            namespace,
            resource,
        });
    }
    let mut paths = Vec::new();
    let mut bases = Vec::new();
    for (page, info) in pages.iter().zip(&infos) {
        read_enumerations(&mut synth, page, &info.namespace, diagnostics);
        let Some((namespace, resource, resource_span, weak)) = &info.resource else {
            continue;
        };
        // A type named only by an API page's title is drafted when the page describes it or
        // a path needs it.
        let owner = key(namespace, resource);
        if !weak || page.member_rows().next().is_some() {
            synth.draft(namespace, resource, *resource_span);
        }
        read_members(&mut synth, page, namespace, &owner, diagnostics);
        if !weak {
            if let Some((base, at)) = page_base(page, resource) {
                bases.push((owner.clone(), namespace.clone(), base, at));
            }
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
            if let Some(d) = synth.drafts.get_mut(&owner) {
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
            paths.push(DocumentedPath {
                request,
                namespace: info.namespace.clone(),
                resource: (namespace.clone(), resource.clone(), *resource_span, *weak),
                is_collection,
            });
        }
    }
    relate_bases(&mut synth, bases, diagnostics);
    let (singletons, sets, entity_targets) = read_paths(&mut synth, paths, diagnostics);
    document(file, synth, singletons, sets, &entity_targets, diagnostics)
}

/// The type a page is about (namespace, simple name, where, named only by the title), or
/// `None`: an operation's page, a primitive (a page about a type named `String` is a warning:
/// the name is the primitive type's), a name that is no type name (a warning).
fn page_type(
    page: &Page,
    namespace: &str,
    diagnostics: &mut Diagnostics,
) -> Option<(String, String, Span, bool)> {
    if operation_page(page) {
        return None;
    }
    let (resource, span, weak) = synthesized_resource(page)?;
    if is_primitive(&resource) {
        // An operation's page about a primitive result: its tables are its parameters. A
        // resource page is about a type of that name, which cannot be told from the primitive.
        let describes = page.doc_type() == Some("resourcePageType")
            || (!weak && page.member_rows().next().is_some());
        if describes && !resource.starts_with("Edm.") && !resource.starts_with("edm.") {
            let simple = resource.rsplit('.').next().unwrap_or(&resource);
            let edm = edm_name(simple).unwrap_or("Edm.Untyped");
            diagnostics.warning(
                span,
                format!(
                    "this page describes a type named `{simple}`, the name of the primitive type `{edm}`; the type is not generated, and the pages' `{simple}` reads as `{edm}`"
                ),
            );
        }
        return None;
    }
    let (ns, simple) = match split_qualified(&resource) {
        Some((ns, simple)) => (ns.to_owned(), simple.to_owned()),
        None => (namespace.to_owned(), resource.clone()),
    };
    if !valid_simple_identifier(&simple) {
        diagnostics.warning(
            span,
            format!("`{resource}` is not a type name; this page's tables and request are not read"),
        );
        return None;
    }
    Some((ns, simple, span, weak))
}

/// The rows of a page's property and relationship tables, as members of `owner`.
fn read_members(
    synth: &mut Synth,
    page: &Page,
    namespace: &str,
    owner: &str,
    diagnostics: &mut Diagnostics,
) {
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
                None if valid_simple_identifier(&cell.name)
                    || split_qualified(&cell.name).is_some() =>
                {
                    let (ns, simple) = synth.reference(namespace, &cell.name);
                    (
                        Target::Drafted(synth.draft(&ns, &simple, type_span)),
                        cell.collection,
                    )
                }
                None => {
                    diagnostics.warning(
                        type_span,
                        format!(
                            "`{}` is not a type name; property `{}` is generated as untyped JSON (`Edm.Untyped`)",
                            cell.name, name.text
                        ),
                    );
                    (Target::Edm("Edm.Untyped"), cell.collection)
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
            .map(|d| description_text(&d.text))
            .filter(|d| useful(d));
        let origin = if table.kind == TableKind::Relationships {
            Origin::Relationship
        } else {
            Origin::Property
        };
        if let Some(entry) = synth.drafts.get_mut(owner) {
            entry.described = true;
        }
        let member = Member {
            name,
            target,
            collection,
            type_span,
            description,
            origin,
            addressed: false,
        };
        add_member(&mut synth.drafts, owner, member, diagnostics);
    }
}

/// The members tables of a page, as enumerations of its namespace.
fn read_enumerations(
    synth: &mut Synth,
    page: &Page,
    namespace: &str,
    diagnostics: &mut Diagnostics,
) {
    for (table, named) in members_tables(page) {
        let Some((name, at)) = named else {
            diagnostics.warning(
                table.span,
                "this members table names no enumeration (under a `bodyType values` heading, or on a page titled `bodyType enum type`); it is not read",
            );
            continue;
        };
        if !valid_simple_identifier(&name) {
            diagnostics.warning(
                at,
                format!("`{name}` is not a type name; the members table under it is not read"),
            );
            continue;
        }
        let owner = synth.draft(namespace, &name, at);
        if let Some(d) = synth.drafts.get_mut(&owner) {
            d.enum_span.get_or_insert(table.span);
        }
        let column = |wanted: &[&str]| {
            table
                .header
                .iter()
                .position(|h| wanted.contains(&h.trim().to_ascii_lowercase().as_str()))
        };
        let name_column = column(&["member", "name"]).unwrap_or(0);
        let value_column = column(&["value", "intvalue"]).filter(|&c| c != name_column);
        let description_column = column(&["description"]);
        for row in &table.rows {
            let Some(cell) = row.get(name_column) else {
                continue;
            };
            let member = member_name(&cell.text);
            if !valid_simple_identifier(member) {
                diagnostics.warning(
                    cell.span,
                    format!(
                        "`{}` is not a member name; this table row is skipped",
                        cell.text.trim()
                    ),
                );
                continue;
            }
            let value = match value_column.and_then(|c| row.get(c)) {
                Some(v) if !v.text.trim().is_empty() => match member_value(&v.text) {
                    Some(value) => Some((value, v.span)),
                    None => {
                        diagnostics.warning(
                            v.span,
                            format!(
                                "`{}` is not an integer; member `{member}` is numbered by its place",
                                v.text.trim()
                            ),
                        );
                        None
                    }
                },
                _ => None,
            };
            let description = description_column
                .and_then(|c| row.get(c))
                .map(|d| description_text(&d.text))
                .filter(|d| useful(d));
            let member = EnumMember {
                name: Spanned {
                    text: member.to_owned(),
                    span: cell.span,
                },
                value,
                description,
            };
            add_enum_member(&mut synth.drafts, &owner, member, diagnostics);
        }
    }
}

/// Relates each type to the base type its page names. A base no page describes or drafts, an
/// enumeration, a second base, a cycle or a chain deeper than CSDL allows is a warning, and the
/// type is generated without it.
fn relate_bases(
    synth: &mut Synth,
    bases: Vec<(String, String, String, Span)>,
    diagnostics: &mut Diagnostics,
) {
    for (owner, namespace, base, at) in bases {
        let (ns, simple) = synth.reference(&namespace, &base);
        let base_key = key(&ns, &simple);
        let owner_name = synth
            .drafts
            .get(&owner)
            .map_or_else(|| owner.clone(), |d| d.name.clone());
        if base_key == owner {
            diagnostics.warning(
                at,
                format!("`{owner_name}` is said to inherit from itself; it is generated without a base type"),
            );
            continue;
        }
        let resolved = synth.drafts.get(&base_key).filter(|b| !b.is_enum());
        let Some(base_draft) = resolved else {
            diagnostics.warning(
                at,
                format!("base type `{base}` of `{owner_name}` is not a type the pages describe; `{owner_name}` is generated without a base type"),
            );
            continue;
        };
        let base_name = base_draft.name.clone();
        let Some(d) = synth.drafts.get_mut(&owner) else {
            continue;
        };
        match &d.base {
            None => d.base = Some((base_key, at)),
            Some((first, first_at)) if *first != base_key => {
                diagnostics.push(
                    Diagnostic::warning(
                        at,
                        format!("`{owner_name}` inherits from `{base_name}` here but from another type where first described; the first is kept"),
                    )
                    .with_note(*first_at, "first described here"),
                );
            }
            Some(_) => {}
        }
    }
    // Cycles and overlong chains: the base of the type that closes the cycle (or goes past the
    // limit) is dropped.
    let keys: Vec<String> = synth.drafts.keys().cloned().collect();
    for start in keys {
        let mut seen = HashSet::from([start.clone()]);
        let mut current = synth.drafts.get(&start).and_then(|d| d.base.clone());
        let mut depth = 0;
        while let Some((base, _)) = current {
            depth += 1;
            let cut = if seen.contains(&base) {
                Some("a cycle of base types")
            } else if depth > MAX_BASE_TYPES {
                Some("a chain of more base types than a type may have")
            } else {
                None
            };
            if let Some(why) = cut {
                if let Some(d) = synth.drafts.get_mut(&start) {
                    if let Some((_, at)) = d.base.take() {
                        diagnostics.warning(
                            at,
                            format!("the base type of `{}` makes {why}; `{}` is generated without a base type", d.name, d.name),
                        );
                    }
                }
                break;
            }
            seen.insert(base.clone());
            current = synth.drafts.get(&base).and_then(|d| d.base.clone());
        }
    }
}

/// Entry points: by lower-case name (URL segments are matched in any case), spelling, type
/// key, where.
type EntryPoints = BTreeMap<String, (String, String, Span)>;

/// Entry points and containment navigation from the documented paths, shortest first.
fn read_paths(
    synth: &mut Synth,
    mut paths: Vec<DocumentedPath<'_>>,
    diagnostics: &mut Diagnostics,
) -> (EntryPoints, EntryPoints, BTreeSet<String>) {
    paths.sort_by_key(|p| p.request.path.matches('/').count());
    let mut singletons = EntryPoints::new();
    let mut sets = EntryPoints::new();
    // Types that entry points or navigation address must be entity types.
    let mut entity_targets = BTreeSet::new();
    for path in &paths {
        let request = path.request;
        let (res_ns, resource, resource_span, weak) = &path.resource;
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
            let collection = keyed || (last && (request.method == "POST" || path.is_collection));
            let folded = name.to_ascii_lowercase();
            let existing = match parent.as_deref() {
                // An entry point a shorter path has documented already.
                None if collection => sets.get(&folded).map(|(_, key, _)| key.clone()),
                None => singletons.get(&folded).map(|(_, key, _)| key.clone()),
                Some(p) => match synth.member_in_chain(p, name) {
                    Some((owner, index)) => {
                        let target = synth.drafts[&owner].members[index].target.clone();
                        match target {
                            Target::Drafted(key)
                                if synth.drafts.get(&key).is_some_and(Draft::is_enum) =>
                            {
                                // A property of enumeration type: nothing to address beyond.
                                break;
                            }
                            Target::Drafted(key) => Some(key),
                            Target::Edm(_) => None,
                        }
                    }
                    None => None,
                },
            };
            let target = match existing {
                Some(key) if !at_resource || *weak => key,
                _ if at_resource => synth.draft(res_ns, resource, *resource_span),
                _ => {
                    // A type named after the segment: not one the pages describe as another kind.
                    let (ns, simple) = synth.reference(&path.namespace, name);
                    let candidate = key(&ns, &simple);
                    if !synth.may_be_entity(&candidate, &entity_targets) {
                        let kind = if synth.drafts[&candidate].is_enum() {
                            "an enumeration"
                        } else {
                            "a complex type (properties, no key, no relationships)"
                        };
                        diagnostics.warning(
                            span,
                            format!(
                                "no page says what type `{name}` in this path has, and `{}` is {kind} in the pages, not an entity type; the path is read up to `{name}`",
                                synth.drafts[&candidate].name
                            ),
                        );
                        break;
                    }
                    synth.draft(&ns, &simple, span)
                }
            };
            entity_targets.insert(target.clone());
            match &parent {
                None if collection => {
                    let entry = sets
                        .entry(folded)
                        .or_insert_with(|| (name.to_owned(), target.clone(), span));
                    if entry.1 != target {
                        let message = format!(
                            "entity set `{}` is of `{}` here but of `{}` where first documented; the first is kept",
                            entry.0,
                            describe_target(&synth.drafts, &Target::Drafted(target.clone()), false),
                            describe_target(&synth.drafts, &Target::Drafted(entry.1.clone()), false),
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
                    let entry = singletons
                        .entry(folded)
                        .or_insert_with(|| (name.to_owned(), target.clone(), span));
                    parent = Some(entry.1.clone());
                    continue;
                }
                Some(owner) => match synth.member_in_chain(owner, name) {
                    Some((declaring, index)) => {
                        // Path evidence: the path goes on through a key of the member, or
                        // creates in it.
                        if keyed || (last && request.method == "POST") {
                            if let Some(m) = synth
                                .drafts
                                .get_mut(&declaring)
                                .and_then(|d| d.members.get_mut(index))
                            {
                                m.addressed = true;
                            }
                        }
                    }
                    None => {
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
                            addressed: true,
                        };
                        add_member(&mut synth.drafts, owner, member, diagnostics);
                    }
                },
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
    (singletons, sets, entity_targets)
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
    synth: Synth,
    singletons: EntryPoints,
    sets: EntryPoints,
    entity_targets: &BTreeSet<String>,
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
    let drafts = &synth.drafts;
    let ancestors: HashMap<String, Vec<String>> = drafts
        .keys()
        .map(|k| (k.clone(), synth.ancestors(k)))
        .collect();
    let chain = |key: &str| ancestors.get(key).map_or(&[][..], Vec::as_slice);
    // A derived type's table repeats what it inherits: rows its base types declare are left
    // out, with a warning where the types differ.
    let mut inherited: HashSet<(&String, usize)> = HashSet::new();
    for (key, d) in drafts {
        for (index, m) in d.members.iter().enumerate() {
            let declared = chain(key).iter().find_map(|a| {
                let base = drafts.get(a)?;
                Some((base, base.by_name.get(&m.name.text).map(|&i| &base.members[i])?))
            });
            let Some((base, first)) = declared else {
                continue;
            };
            inherited.insert((key, index));
            let differs = first.target != m.target || first.collection != m.collection;
            if differs && m.origin != Origin::Path {
                diagnostics.push(
                    Diagnostic::warning(
                        m.type_span,
                        format!(
                            "property `{}` of `{}` has type `{}` here but `{}` in its base type `{}`; the base type's is kept",
                            m.name.text,
                            d.name,
                            describe_target(drafts, &m.target, m.collection),
                            describe_target(drafts, &first.target, first.collection),
                            base.name
                        ),
                    )
                    .with_note(first.type_span, "declared by the base type here"),
                );
            }
        }
    }
    let own_id = |key: &String, d: &Draft| {
        has_id(d)
            && d
                .by_name
                .get("id")
                .is_some_and(|&i| !inherited.contains(&(key, i)))
    };
    // Entity types: what has a key, an entry point or a path, and every type that shares a
    // base type with one (a base and its derived types are of one kind).
    let singleton_types: BTreeSet<&String> = singletons.values().map(|(_, key, _)| key).collect();
    let root = |key: &String| chain(key).last().cloned().unwrap_or_else(|| key.clone());
    let entity_roots: BTreeSet<String> = drafts
        .iter()
        .filter(|(key, d)| {
            !d.is_enum()
                && (has_id(d) || singleton_types.contains(key) || entity_targets.contains(*key))
        })
        .map(|(key, _)| root(key))
        .collect();
    let entities: BTreeSet<&String> = drafts
        .iter()
        .filter(|(key, d)| !d.is_enum() && entity_roots.contains(&root(key)))
        .map(|(key, _)| key)
        .collect();
    let bases: BTreeSet<&String> = drafts
        .values()
        .filter_map(|d| d.base.as_ref().map(|(b, _)| b))
        .collect();
    // Types some entity set holds (the set's type and those derived from it).
    let set_types: BTreeSet<&String> = sets.values().map(|(_, key, _)| key).collect();
    let in_set = |key: &String| {
        set_types.contains(key) || chain(key).iter().any(|a| set_types.contains(a))
    };
    // References name a type in the spelling it was first drafted with.
    let namespace_of = |d: &Draft| {
        synth
            .namespaces
            .get(&d.namespace)
            .cloned()
            .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned())
    };
    let qualified = |key: &str| match drafts.get(key) {
        Some(d) => format!("{}.{}", namespace_of(d), d.name),
        None => key.to_owned(),
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
    // Keys, base types first: a type has one when it is an entity type whose base types have
    // none, from its `id` row or, without one, its page's `keyProperty`.
    let mut keyed_types: BTreeSet<&String> = BTreeSet::new();
    let mut declared_keys: BTreeSet<&String> = BTreeSet::new();
    let mut order: Vec<&String> = drafts.keys().collect();
    order.sort_by_key(|k| chain(k).len());
    for key in order {
        let Some(d) = drafts.get(key) else {
            continue;
        };
        if !entities.contains(key) || chain(key).iter().any(|a| keyed_types.contains(a)) {
            continue;
        }
        if own_id(key, d) {
            keyed_types.insert(key);
        } else if let Some((name, at)) = &d.declared_key {
            if name == "id" && d.member(name).is_none() {
                diagnostics.warning(
                    *at,
                    format!("key `id` of entity type `{}` is in no property table; it is generated as `Edm.String`, as the page's `keyProperty` names it", d.name),
                );
                keyed_types.insert(key);
                declared_keys.insert(key);
            }
        }
    }
    let mut schemas: BTreeMap<String, csdl::Schema> = BTreeMap::new();
    let schema = |schemas: &mut BTreeMap<String, csdl::Schema>, namespace: &str| {
        schemas
            .entry(namespace.to_ascii_lowercase())
            .or_insert_with(|| csdl::Schema::empty(spanned(namespace, zero), None, zero))
            .namespace
            .text
            .clone()
    };
    for (key, d) in drafts {
        let span = d.span.unwrap_or(zero);
        let namespace = namespace_of(d);
        let namespace = schema(&mut schemas, &namespace);
        if d.is_enum() {
            let members: Vec<csdl::EnumMember> = d
                .enum_members
                .iter()
                .map(|m| csdl::EnumMember {
                    name: m.name.clone(),
                    span: m.name.span,
                    value: m.value.map(|(v, at)| spanned(&v.to_string(), at)),
                    annotations: description(&m.description, m.name.span),
                })
                .collect();
            // Values past Edm.Int32 (the default) need Edm.Int64; a member without a value is
            // one more than the previous one.
            let mut next = 0i64;
            let wide = d.enum_members.iter().any(|m| {
                let value = m.value.map_or(next, |(v, _)| v);
                next = value.saturating_add(1);
                i32::try_from(value).is_err()
            });
            let enumeration = csdl::EnumType {
                name: spanned(&d.name, span),
                span,
                underlying_type: wide.then(|| spanned("Edm.Int64", span)),
                is_flags: false,
                members,
                annotations: Vec::new(),
            };
            if let Some(s) = schemas.get_mut(&namespace.to_ascii_lowercase()) {
                s.enum_types.push(enumeration);
            }
            continue;
        }
        if let (true, Some(at)) = (d.described, d.enum_span) {
            diagnostics.warning(
                at,
                format!("`{}` has a property table elsewhere; it is generated as a structured type and these members are not read", d.name),
            );
        }
        let is_entity = entities.contains(key);
        let keyed = keyed_types.contains(key);
        let inherited_key = declared_keys.contains(key).then(|| {
            let at = d.declared_key.as_ref().map_or(span, |(_, at)| *at);
            csdl::Property {
                name: spanned("id", at),
                span: at,
                type_name: spanned("Edm.String", at),
                nullable: Some(false),
                max_length: None,
                precision: None,
                scale: None,
                default_value: None,
                annotations: Vec::new(),
            }
        });
        // What no page describes: kept whole (an open type) where it is an entity type or
        // in a hierarchy, any JSON otherwise (an empty complex type, which resolution reads
        // as `Edm.Untyped`), so that strings and arrays read too.
        let hierarchy = bases.contains(key) || d.base.is_some();
        let open = !d.described && (is_entity || hierarchy);
        if !d.described {
            let message = if open {
                format!("no page describes the properties of `{}`; it is generated as an open type (its members are kept as dynamic properties)", d.name)
            } else {
                format!("no page lists properties or members of `{}`; it is generated as any JSON (`Edm.Untyped`: a `serde_json::Value`, which reads strings and arrays too)", d.name)
            };
            diagnostics.warning(span, message);
        }
        let mut properties: Vec<csdl::Property> = inherited_key.into_iter().collect();
        let mut navigation_properties = Vec::new();
        for (index, m) in d.members.iter().enumerate() {
            if inherited.contains(&(key, index)) {
                continue;
            }
            let target_entity = matches!(&m.target, Target::Drafted(t) if entities.contains(t));
            let ty = spanned(&type_name(&m.target, m.collection), m.type_span);
            let navigation = match m.origin {
                Origin::Path => target_entity,
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
                // Contained where the paths address its targets through it (a key after it,
                // or a create in it) and no entity set holds them.
                let contained = m.addressed
                    && !matches!(&m.target, Target::Drafted(t) if in_set(t));
                navigation_properties.push(csdl::NavigationProperty {
                    name: m.name.clone(),
                    span: m.name.span,
                    type_name: ty,
                    nullable: None,
                    contains_target: contained,
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
        let structured = csdl::StructuredType {
            kind: if is_entity {
                StructuredKind::Entity
            } else {
                StructuredKind::Complex
            },
            name: spanned(&d.name, span),
            span,
            base_type: d.base.as_ref().map(|(b, at)| spanned(&qualified(b), *at)),
            is_abstract: false,
            // What the pages do not describe is kept, not lost.
            open_type: open,
            has_stream: false,
            key: if keyed {
                vec![spanned("id", span)]
            } else {
                Vec::new()
            },
            properties,
            navigation_properties,
            annotations: Vec::new(),
        };
        if let Some(s) = schemas.get_mut(&namespace.to_ascii_lowercase()) {
            s.structured_types.push(structured);
        }
    }
    // Entry points of entity types only (a path may have named an enumeration's type).
    let mut entry_points = |points: EntryPoints| {
        let mut kept = Vec::new();
        for (name, key, span) in points.into_values() {
            if !entities.contains(&key) {
                diagnostics.warning(
                    span,
                    format!("`{name}` is not of an entity type in the pages; it is not generated as an entry point"),
                );
                continue;
            }
            kept.push(csdl::EntitySet {
                name: spanned(&name, span),
                span,
                type_name: spanned(&qualified(&key), span),
                navigation_bindings: Vec::new(),
                annotations: Vec::new(),
            });
        }
        kept
    };
    let entity_sets = entry_points(sets);
    let singletons = entry_points(singletons);
    // The container is in Graph's namespace, or the first one.
    let home = if schemas.contains_key(DEFAULT_NAMESPACE) || schemas.is_empty() {
        schema(&mut schemas, DEFAULT_NAMESPACE)
    } else {
        schemas
            .values()
            .next()
            .map_or_else(|| DEFAULT_NAMESPACE.to_owned(), |s| s.namespace.text.clone())
    };
    if let Some(s) = schemas.get_mut(&home.to_ascii_lowercase()) {
        s.containers.push(csdl::EntityContainer {
            name: spanned("Documentation", zero),
            span: zero,
            entity_sets,
            singletons,
            action_imports: Vec::new(),
            function_imports: Vec::new(),
            annotations: Vec::new(),
        });
    }
    csdl::Document {
        file,
        includes: Vec::new(),
        schemas: schemas.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::{segment, synthesize, Segment};
    use crate::csdl::{Document, StructuredKind};
    use crate::diagnostics::Diagnostics;
    use super::description_text;
    use crate::pages::{member_name, parse};
    use crate::source::SourceMap;

    /// The pages (path, text), synthesized: the document and the rendered diagnostics.
    fn synthesized(pages: &[(&str, &str)]) -> (Document, Vec<String>) {
        let mut sources = SourceMap::default();
        let mut diagnostics = Diagnostics::default();
        let parsed: Vec<_> = pages
            .iter()
            .map(|(path, text)| {
                let id = sources.add((*path).into(), (*text).to_owned());
                parse(id, text, &mut diagnostics)
            })
            .collect();
        let document = synthesize(&parsed, parsed[0].file, &mut diagnostics);
        let rendered = diagnostics
            .into_sorted()
            .iter()
            .map(|d| d.render(&sources))
            .collect();
        (document, rendered)
    }

    /// `namespace.name` of every structured and enum type.
    fn type_names(document: &Document) -> Vec<String> {
        let mut names: Vec<String> = document
            .schemas
            .iter()
            .flat_map(|s| {
                let ns = &s.namespace.text;
                s.structured_types
                    .iter()
                    .map(move |t| format!("{ns}.{}", t.name.text))
                    .chain(s.enum_types.iter().map(move |t| format!("{ns}.{} (enum)", t.name.text)))
            })
            .collect();
        names.sort();
        names
    }

    fn resource(ns: &str, name: &str, rows: &str, extra: &str) -> String {
        format!(
            "---\ntitle: \"{name} resource type\"\ndoc_type: resourcePageType\n---\n\n# {name} resource type\n\nNamespace: {ns}\n\n{extra}\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n{rows}\n"
        )
    }

    fn api(title: &str, request: &str, response_type: Option<&str>) -> String {
        let response = response_type.map_or_else(String::new, |ty| {
            format!("\n## Response\n<!-- {{ \"blockType\": \"response\", \"@odata.type\": \"{ty}\" }} -->\n```http\nHTTP/1.1 200 OK\n```\n")
        });
        format!(
            "---\ntitle: \"{title}\"\ndoc_type: apiPageType\n---\n\n# {title}\n\n## HTTP request\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\n{request}\n```\n{response}"
        )
    }

    #[test]
    fn each_page_keeps_its_namespace_and_same_names_stay_apart() {
        let (document, _) = synthesized(&[
            ("a/empty.md", "---\ntitle: x\n---\n"),
            (
                "a/call.md",
                &resource(
                    "microsoft.graph.callRecords",
                    "session",
                    "|id|String|Key.|\n|stream|[mediaStream](mediastream.md)|Ours.|\n|who|[identitySet](identityset.md)|Graph's.|",
                    "",
                ),
            ),
            ("a/cms.md", &resource("microsoft.graph.callRecords", "mediaStream", "|codec|String|C.|", "")),
            ("b/ms.md", &resource("microsoft.graph", "mediaStream", "|label|String|L.|", "")),
            ("b/is.md", &resource("microsoft.graph", "identitySet", "|user|String|U.|", "")),
        ]);
        assert_eq!(
            type_names(&document),
            [
                "microsoft.graph.callRecords.mediaStream",
                "microsoft.graph.callRecords.session",
                "microsoft.graph.identitySet",
                "microsoft.graph.mediaStream",
            ]
        );
        let session = document
            .schemas
            .iter()
            .flat_map(|s| &s.structured_types)
            .find(|t| t.name.text == "session")
            .unwrap();
        let types: Vec<&str> = session
            .properties
            .iter()
            .map(|p| p.type_name.text.as_str())
            .collect();
        assert_eq!(
            types,
            [
                "Edm.String",
                "microsoft.graph.callRecords.mediaStream",
                "microsoft.graph.identitySet"
            ]
        );
    }

    #[test]
    fn enumerations_from_members_tables_merge_and_warn_on_values() {
        let enums = "---\ntitle: Enums\n---\n\n# Enums\n\nNamespace: ex\n\n### bodyType values\n| Member\n|:---\n| text\n| html\n";
        let other = "---\ntitle: \"bodyType enum type\"\n---\n\n# bodyType enum type\n\nNamespace: ex\n\n## Members\n|Member|Value|Description|\n|:---|:---|:---|\n|html|7|Markup.|\n|markdown|8|Marks.|\n";
        let (document, diagnostics) = synthesized(&[
            ("enums.md", enums),
            ("bodytype.md", other),
            ("item.md", &resource("ex", "item", "|body|[bodyType](enums.md#bodytype-values)|B.|", "")),
        ]);
        let body = &document.schemas[0].enum_types[0];
        let members: Vec<(&str, Option<&str>)> = body
            .members
            .iter()
            .map(|m| (m.name.text.as_str(), m.value.as_ref().map(|v| v.text.as_str())))
            .collect();
        assert_eq!(
            members,
            [("text", None), ("html", Some("7")), ("markdown", Some("8"))]
        );
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let item = &document.schemas[0].structured_types[0];
        assert_eq!(item.properties[0].type_name.text, "ex.bodyType");
    }

    #[test]
    fn an_action_page_titled_with_a_verb_is_no_navigation() {
        let parameters = "---\ntitle: \"Send note\"\ndoc_type: apiPageType\n---\n\n# Send note\n\n## HTTP request\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nPOST /people/{id}/sendNote\n```\n\n## Request body\n|Parameter|Type|Description|\n|:---|:---|:---|\n|text|String|The note.|\n";
        let accepted = "---\ntitle: \"Archive person\"\ndoc_type: apiPageType\n---\n\n# Archive person\n\n## HTTP request\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nPOST /people/{id}/archive\n```\n\n## Response\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 202 Accepted\n```\n";
        let (document, _) = synthesized(&[
            ("a/person.md", &resource("ex", "person", "|id|String|K.|", "")),
            ("b/list.md", &api("List people", "GET /people", Some("ex.person"))),
            ("b/send.md", parameters),
            ("b/archive.md", accepted),
        ]);
        let person = document.schemas[0]
            .structured_types
            .iter()
            .find(|t| t.name.text == "person")
            .unwrap();
        assert!(person.navigation_properties.is_empty(), "{person:?}");
        assert_eq!(type_names(&document), ["ex.person"]);
    }

    #[test]
    fn a_path_through_a_key_contains_a_relationship_read_before_it() {
        let owner = resource("ex", "office", "|id|String|K.|", "");
        let owner = format!("{owner}\n## Relationships\n|Relationship|Type|Description|\n|:---|:---|:---|\n|configs|[config](config.md) collection|C.|\n");
        let (document, _) = synthesized(&[
            ("a/office.md", &owner),
            ("a/config.md", &resource("ex", "config", "|id|String|K.|", "")),
            ("b/get.md", &api("Get office", "GET /office", Some("ex.office"))),
            ("b/create.md", &api("Create config", "POST /office/configs", Some("ex.config"))),
        ]);
        let office = document.schemas[0]
            .structured_types
            .iter()
            .find(|t| t.name.text == "office")
            .unwrap();
        assert!(office.navigation_properties[0].contains_target);
    }

    #[test]
    fn an_entry_point_named_like_a_complex_type_is_not_merged_into_it() {
        let (document, diagnostics) = synthesized(&[
            ("a/identity.md", &resource("ex", "identity", "|displayName|String|D.|", "")),
            ("a/container.md", &resource("ex", "identityContainer", "|id|String|K.|", "")),
            ("b/get.md", &api("Get identityContainer", "GET /identity", Some("ex.identityContainer"))),
            ("b/other.md", &api("List flows", "GET /policies/flows", None)),
            ("a/policies.md", &resource("ex", "policies", "|name|String|N.|", "")),
        ]);
        let schema = &document.schemas[0];
        let identity = schema
            .structured_types
            .iter()
            .find(|t| t.name.text == "identity")
            .unwrap();
        assert_eq!(identity.kind, StructuredKind::Complex);
        let singletons: Vec<(&str, &str)> = schema.containers[0]
            .singletons
            .iter()
            .map(|s| (s.name.text.as_str(), s.type_name.text.as_str()))
            .collect();
        assert_eq!(singletons, [("identity", "ex.identityContainer")]);
        assert!(
            diagnostics.iter().any(|d| d.contains("other.md")
                && d.contains("`policies` is a complex type")),
            "{diagnostics:#?}"
        );
    }

    #[test]
    fn derived_types_drop_the_rows_they_inherit() {
        let (document, diagnostics) = synthesized(&[
            ("base.md", &resource("ex", "policy", "|id|String|K.|\n|name|String|N.|", "")),
            (
                "derived.md",
                &resource(
                    "ex",
                    "tokenPolicy",
                    "|id|String|K. Inherited from policy.|\n|name|Int32|N.|\n|lifetime|Duration|L.|",
                    "Inherits from [policy](policy.md).",
                ),
            ),
            (
                "other.md",
                &resource(
                    "ex",
                    "note",
                    "|text|String|T.|",
                    "The [tokenPolicy](x.md) resource inherits from this type.",
                ),
            ),
            ("get.md", &api("Get policy", "GET /policies/{id}", Some("ex.policy"))),
        ]);
        let types = &document.schemas[0].structured_types;
        let derived = types.iter().find(|t| t.name.text == "tokenPolicy").unwrap();
        assert_eq!(derived.base_type.as_ref().unwrap().text, "ex.policy");
        assert_eq!(derived.kind, StructuredKind::Entity);
        assert!(derived.key.is_empty());
        let names: Vec<&str> = derived.properties.iter().map(|p| p.name.text.as_str()).collect();
        assert_eq!(names, ["lifetime"]);
        let note = types.iter().find(|t| t.name.text == "note").unwrap();
        assert!(note.base_type.is_none());
        assert_eq!(
            diagnostics.iter().filter(|d| d.contains("in its base type `policy`")).count(),
            1,
            "{diagnostics:#?}"
        );
    }

    #[test]
    fn a_type_named_like_a_primitive_is_a_warning() {
        let (_, diagnostics) = synthesized(&[(
            "string.md",
            &resource("ex", "String", "|length|Int32|L.|", ""),
        )]);
        assert!(
            diagnostics[0].starts_with("string.md:")
                && diagnostics[0].contains("a type named `String`"),
            "{diagnostics:#?}"
        );
    }

    #[test]
    fn descriptions_lose_doubled_periods_but_keep_ellipses() {
        assert_eq!(
            description_text("For the policy.. Inherited from x."),
            "For the policy. Inherited from x."
        );
        assert_eq!(description_text("And so on..."), "And so on...");
    }

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

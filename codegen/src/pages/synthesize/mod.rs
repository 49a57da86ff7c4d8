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

mod document;
mod paths;
mod reading;
#[cfg(test)]
mod tests;

use document::document;
use paths::{key_type, read_paths, EntryPoints};
#[cfg(test)]
use paths::{segment, Segment};
use reading::{
    members_tables, page_base, page_namespace, page_type, read_enumerations, read_members,
    relate_bases,
};

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

    /// Drafts the type a page describes: as [`Synth::draft`], and the page's spelling of its
    /// name replaces one a reference drafted it with first where it is better cased
    /// (`attendee` for a table's `[Attendee](attendee.md)`).
    fn draft_described(&mut self, namespace: &str, name: &str, span: Span) -> String {
        let key = self.draft(namespace, name, span);
        if let Some(entry) = self.drafts.get_mut(&key) {
            if super::reading::better_cased(name, &entry.name) {
                entry.name = name.to_owned();
            }
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

    /// The type a title's last word names, when only a title names it: a type some page
    /// describes, in that spelling or as the singular of a plural (`drives` → `drive`,
    /// `policies` → `policy`); `None` for a word no page describes (`Graph`, `API`, `owners`),
    /// which names no type: no type is invented from it.
    fn title_type(&self, namespace: &str, word: &str) -> Option<String> {
        let known = |name: &str| {
            self.known.contains(&key(namespace, name))
                || self.known_in.contains_key(&name.to_ascii_lowercase())
        };
        if known(word) {
            return Some(word.to_owned());
        }
        let singulars = [
            word.strip_suffix("ies").map(|s| format!("{s}y")),
            word.strip_suffix("es").map(str::to_owned),
            word.strip_suffix('s').map(str::to_owned),
        ];
        singulars
            .into_iter()
            .flatten()
            .find(|s| !s.is_empty() && known(s))
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

/// What one page contributes, read before the tables so that type references can find types
/// described on later pages.
struct PageInfo {
    namespace: String,
    /// The type the page is about: namespace, name, where, and whether only the title's last
    /// word names it.
    resource: Option<(String, String, Span, bool)>,
    /// Only the title names the type, and no page describes a type of that name: none is made
    /// after it.
    invented: bool,
}

/// A documented request path, with the type its page is about.
struct DocumentedPath<'p> {
    request: &'p HttpRequest,
    namespace: String,
    resource: (String, String, Span, bool),
    /// The title's word names no type (see [`PageInfo::invented`]).
    invented: bool,
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
            invented: false,
        });
    }
    // A type only a title's last word names is the type some page describes under that word
    // or its singular; otherwise no type is made from it (a path's segment may name one).
    for info in &mut infos {
        if let Some((ns, name, _, true)) = &mut info.resource {
            match synth.title_type(ns, name) {
                Some(described) => (*ns, *name) = synth.reference(ns, &described),
                None => info.invented = true,
            }
        }
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
            synth.draft_described(namespace, resource, *resource_span);
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
                invented: info.invented,
                is_collection,
            });
        }
    }
    relate_bases(&mut synth, bases, diagnostics);
    let (singletons, sets, entity_targets) = read_paths(&mut synth, paths, diagnostics);
    document(file, synth, singletons, sets, &entity_targets, diagnostics)
}


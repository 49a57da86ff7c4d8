//! The URL model: request builders keyed by what they address (see [`Resources`]).
//!
//! From each root (entity set, singleton, operation import), builders are reached the way OData
//! URL Conventions 4.01 §4 reads a resource path: navigation (contained or not), complex
//! properties that lead on, keys, type casts, composable functions. Each kind of resource is
//! built once and shared, so recursion ends by itself and the output is linear in the model.

use std::collections::{HashMap, HashSet};

use super::capabilities::Capabilities;
use crate::diagnostics::Diagnostics;
use crate::ir::*;
use super::naming::{self, Scope};

/// Names of the runtime's request types, which builders must not take.
const RUNTIME_NAMES: [&str; 6] = [
    "Client",
    "Operation",
    "Page",
    "Context",
    "StreamRequest",
    "ReferenceRequest",
];

pub fn build(
    model: &Model,
    capabilities: &Capabilities,
    conventions: UrlConventions,
    diagnostics: &mut Diagnostics,
) -> Resources {
    for op in &model.operations {
        if matches!(
            op.binding,
            Some(TypeRef {
                target: Target::Primitive(_),
                ..
            })
        ) {
            diagnostics.warning(
                op.span,
                format!(
                    "`{}` is bound to an abstract or primitive type: no request builder offers it",
                    op.qualified_name
                ),
            );
        }
    }
    let bound = model.bound_operations();
    let mut walker = Walker {
        model,
        capabilities,
        conventions,
        bound,
        ids: HashMap::new(),
        builders: Vec::new(),
        names: HashMap::new(),
        leads_on: HashMap::new(),
        warned_keyless: HashSet::new(),
        diagnostics,
    };
    let roots = walker.roots();
    let mut next = 0;
    while next < walker.builders.len() {
        walker.expand(BuilderId(next));
        next += 1;
    }
    walker.warn_unoffered();
    walker.mark_concurrency();
    walker.mark_change_tracking();
    // CSDL names no service root; Microsoft Graph's host is known, and its version is what the
    // schema declares (resolve::resolve also asks the pages' examples).
    let graph_version = capabilities.schema_versions.get(GRAPH_NAMESPACE);
    let service_root = model
        .namespaces
        .iter()
        .any(|n| n.name == GRAPH_NAMESPACE)
        .then(|| graph_root(graph_version.map_or(GRAPH_DEFAULT_VERSION, String::as_str)));
    Resources {
        builders: walker.builders,
        roots,
        conventions,
        service_root_assumed: service_root.is_some() && graph_version.is_none(),
        service_root,
    }
}

/// Whether entities of `ty` are addressed by path below one another, as Microsoft Graph's drive
/// items and sites are (`root:/a/b.txt:`, `sites/{host}:/{path}:`).
fn path_addressed(model: &Model, ty: TypeId) -> bool {
    model
        .lineage(ty)
        .iter()
        .any(|&t| matches!(model.ty(t).qualified_name.as_str(), "microsoft.graph.driveItem" | "microsoft.graph.site"))
}

/// Microsoft Graph's namespace.
pub const GRAPH_NAMESPACE: &str = "microsoft.graph";
/// The version of Microsoft Graph a crate calls when nothing says which one its metadata
/// describes: the generally available one.
pub const GRAPH_DEFAULT_VERSION: &str = "v1.0";

/// Microsoft Graph's service root for `version` (`v1.0`, `beta`), on its global cloud.
pub fn graph_root(version: &str) -> String {
    format!("https://graph.microsoft.com/{}", version.trim_matches('/'))
}

/// The Microsoft Graph version most of the pages' example requests call
/// (`https://graph.microsoft.com/beta/...`), if any does.
pub fn graph_version_of_pages(pages: &[crate::pages::Page]) -> Option<String> {
    let mut votes: HashMap<&str, usize> = HashMap::new();
    for page in pages {
        for block in &page.code_blocks {
            if let Some(crate::pages::HttpMessage::Request(request)) = &block.http {
                if request.host.as_deref() != Some("graph.microsoft.com") {
                    continue;
                }
                let after_host = request.url.splitn(4, '/').nth(3).unwrap_or("");
                let version = after_host.split(['/', '?']).next().unwrap_or("");
                if version == "v1.0" || version == "beta" {
                    *votes.entry(version).or_default() += 1;
                }
            }
        }
    }
    votes.into_iter().max_by_key(|(version, n)| (*n, *version == "v1.0")).map(|(v, _)| v.to_owned())
}

struct Walker<'m, 'd> {
    model: &'m Model,
    capabilities: &'m Capabilities,
    conventions: UrlConventions,
    bound: HashMap<(TypeId, bool), Vec<OperationId>>,
    ids: HashMap<BuilderKind, BuilderId>,
    builders: Vec<Builder>,
    /// Builder names, per namespace (each namespace's builders are a module of their own).
    names: HashMap<NamespaceId, Scope>,
    /// Whether a complex type has navigation or bound operations (memoized).
    leads_on: HashMap<TypeId, bool>,
    warned_keyless: HashSet<TypeId>,
    diagnostics: &'d mut Diagnostics,
}

impl Walker<'_, '_> {
    fn roots(&mut self) -> Vec<Root> {
        let model = self.model;
        // Root accessors are also methods of the generated client: its own methods are taken,
        // and so are those of the traits it implements, `from` too: a runtime crate's
        // `Client::from(runtime_client)` would otherwise name the root.
        let mut names = Scope::with_reserved(crate::ir::TRAIT_METHOD_NAMES.into_iter().chain([
            "from",
            "try_from",
            "builder",
            "send",
            "start",
            "execute",
            "batch",
            "batches",
            "download",
            "upload",
            "upload_to_session",
            "stream_pages",
            "stream_items",
            "stream_changes",
            "base_url",
        ]));
        let mut roots = Vec::new();
        for (index, entry) in model.entry_points.iter().enumerate() {
            let kind = match entry.kind {
                EntryPointKind::EntitySet => BuilderKind::Collection(entry.ty),
                EntryPointKind::Singleton => BuilderKind::Entity(entry.ty),
            };
            let builder = self.builder_for(kind);
            let mut restrictions = self.capabilities.entry_point(&entry.name);
            // A singleton always exists (OData Protocol 4.01 §11.2.1): it cannot be deleted.
            if entry.kind == EntryPointKind::Singleton {
                restrictions.deletable = false;
            }
            roots.push(Root {
                name: entry.name.clone(),
                rust_name: names.claim(&naming::field_name(&entry.name)).0,
                kind: RootKind::EntryPoint {
                    entry_point: index,
                    builder,
                    restrictions,
                },
                docs: entry.docs.clone(),
                span: entry.span,
            });
        }
        for (index, import) in model.operation_imports.iter().enumerate() {
            if import.operations.is_empty() {
                // CSDL 4.01 §13.5, §13.6: an import names an unbound operation.
                self.diagnostics.error(
                    import.span,
                    format!(
                        "`{}` imports no unbound action or function of the metadata",
                        import.name
                    ),
                );
            }
            // Overloads (functions of one name with other parameters) get a root each, told
            // apart by their parameters: `find`, `find_with_author`.
            let parameters: Vec<Vec<&str>> = import
                .operations
                .iter()
                .map(|&o| model.operation(o).parameters.iter().map(|p| p.name.as_str()).collect())
                .collect();
            let suffixes = match parameters.len() {
                1 => vec![None],
                _ => naming::overload_suffixes(&parameters),
            };
            // Names this import's overloads took: another overload of the same parameters is
            // numbered, not named as another kind.
            let mut own: Vec<String> = Vec::new();
            for (&operation, suffix) in import.operations.iter().zip(suffixes) {
                let continues = self.composable_result(model.operation(operation));
                let natural = naming::field_name(&import.name);
                let bare = natural.trim_start_matches("r#").trim_end_matches('_');
                let wanted = match suffix {
                    Some(suffix) => format!("{bare}_{suffix}"),
                    None => natural.clone(),
                };
                let kind = match model.operation(operation).kind {
                    OperationKind::Action => "action",
                    OperationKind::Function => "function",
                };
                let other = format!("{}_{kind}", wanted.trim_start_matches("r#").trim_end_matches('_'));
                let overload = own.contains(&wanted);
                own.push(wanted.clone());
                let rust_name = if names.try_claim(&wanted) {
                    wanted
                } else if !overload && names.try_claim(&other) {
                    other
                } else {
                    let (name, _) = names.claim(&wanted);
                    let why = match overload {
                        true => format!("an overload with the same parameters is `{wanted}()`"),
                        false => format!("`{wanted}()` and `{other}()` are taken"),
                    };
                    self.diagnostics.warning(import.span, format!("the {kind} import `{}` is generated as `{name}()`: {why}", import.name));
                    name
                };
                roots.push(Root {
                    name: import.name.clone(),
                    rust_name,
                    kind: RootKind::Import {
                        import: index,
                        operation,
                        continues,
                    },
                    docs: import.docs.clone(),
                    span: import.span,
                });
            }
        }
        roots.sort_by(|a, b| (&a.name, &a.rust_name).cmp(&(&b.name, &b.rust_name)));
        roots
    }

    /// Builders of the entities of sets and singletons that declare
    /// `Core.OptimisticConcurrency` (and of their derived types).
    fn mark_concurrency(&mut self) {
        let model = self.model;
        let marked: HashSet<TypeId> = model
            .entry_points
            .iter()
            .filter(|e| self.capabilities.optimistic_concurrency(&e.name))
            .map(|e| e.ty)
            .collect();
        if marked.is_empty() {
            return;
        }
        for builder in &mut self.builders {
            if let BuilderKind::Entity(ty) = builder.kind {
                builder.optimistic_concurrency = model.lineage(ty).iter().any(|t| marked.contains(t));
            }
        }
    }

    /// Collections whose type, entity set or navigation property declares change tracking.
    fn mark_change_tracking(&mut self) {
        let model = self.model;
        let capabilities = self.capabilities;
        if !capabilities.tracks_any_changes() {
            return;
        }
        let mut tracked: HashSet<TypeId> = model
            .types
            .iter()
            .filter(|t| capabilities.tracks_changes(&t.qualified_name))
            .map(|t| t.id)
            .collect();
        tracked.extend(
            model
                .entry_points
                .iter()
                .filter(|e| capabilities.tracks_changes(&e.name))
                .map(|e| e.ty),
        );
        for ty in &model.types {
            let Some(s) = ty.as_struct() else { continue };
            for property in &s.properties {
                if let Target::Named(target) = property.ty.target {
                    let declaring = &model.ty(property.declared_in).qualified_name;
                    if capabilities.tracks_changes(&format!("{declaring}/{}", property.name)) {
                        tracked.insert(target);
                    }
                }
            }
        }
        if tracked.is_empty() {
            return;
        }
        for builder in &mut self.builders {
            if let BuilderKind::Collection(ty) = builder.kind {
                builder.change_tracking = model.lineage(ty).iter().any(|t| tracked.contains(t));
            }
        }
    }

    fn builder_for(&mut self, kind: BuilderKind) -> BuilderId {
        if let Some(&id) = self.ids.get(&kind) {
            return id;
        }
        let id = BuilderId(self.builders.len());
        let ty = self.model.ty(kind.ty());
        let type_name = &ty.rust_name;
        let suffix = match kind {
            BuilderKind::Entity(_) | BuilderKind::Complex(_) => "Request",
            BuilderKind::Collection(_) => "CollectionRequest",
        };
        let rust_name = self
            .names
            .entry(ty.namespace)
            .or_insert_with(|| Scope::with_reserved(RUNTIME_NAMES))
            .claim(&format!("{}{suffix}", type_name.trim_end_matches('_')))
            .0;
        self.builders.push(Builder {
            id,
            kind,
            rust_name,
            members: Vec::new(),
            optimistic_concurrency: false,
            change_tracking: false,
        });
        self.ids.insert(kind, id);
        id
    }

    /// The builder a composable function's result continues with.
    fn composable_result(&mut self, operation: &Operation) -> Option<BuilderId> {
        if !operation.is_composable {
            return None;
        }
        let ret = operation.return_type.as_ref()?;
        let Target::Named(ty) = ret.ty.target else {
            return None;
        };
        let s = self.model.ty(ty).as_struct()?;
        Some(match (s.kind, ret.ty.collection) {
            (StructuredKind::Entity, false) => self.builder_for(BuilderKind::Entity(ty)),
            (StructuredKind::Entity, true) => self.builder_for(BuilderKind::Collection(ty)),
            (StructuredKind::Complex, false) if self.complex_leads_on(ty) => {
                self.builder_for(BuilderKind::Complex(ty))
            }
            _ => return None,
        })
    }

    /// Whether a complex type (or one of its bases) has navigation properties or bound
    /// operations, so that a path can go on through a property of its type.
    fn complex_leads_on(&mut self, ty: TypeId) -> bool {
        if let Some(&known) = self.leads_on.get(&ty) {
            return known;
        }
        let model = self.model;
        let leads = model.ty(ty).as_struct().is_some_and(|s| {
            s.properties
                .iter()
                .any(|p| matches!(p.kind, PropertyKind::Navigation { .. }))
        }) || model
            .lineage(ty)
            .iter()
            .any(|t| self.bound.contains_key(&(*t, false)));
        self.leads_on.insert(ty, leads);
        leads
    }

    fn expand(&mut self, id: BuilderId) {
        let kind = self.builders[id.0].kind;
        let mut members = Vec::new();
        // Names are claimed after all members are known (see `claim_names`).
        let mut add = |name: &str, kind: MemberKind, docs: Docs| {
            members.push(Member {
                rust_name: name.to_owned(),
                kind,
                docs,
                documented: false,
                gate: None,
            })
        };
        let ty = kind.ty();
        let model = self.model;
        let Some(s) = model.ty(ty).as_struct() else {
            return;
        };
        match kind {
            BuilderKind::Collection(item) => {
                add("list", MemberKind::List, Docs::default());
                add("create", MemberKind::Create, Docs::default());
                add("count", MemberKind::Count, Docs::default());
                add("references", MemberKind::Reference, Docs::default());
                match self.key_parts(item) {
                    Some(parts) => {
                        let name = match parts.as_slice() {
                            [single] => format!("by_{}", single.rust_name.trim_start_matches("r#")),
                            _ => "by_key".to_owned(),
                        };
                        let target = self.builder_for(BuilderKind::Entity(item));
                        add(&name, MemberKind::Key { parts, target }, Docs::default());
                    }
                    None => self.warn_keyless(item),
                }
                for (name, kind) in self.casts(ty, s, BuilderKind::Collection) {
                    add(&name, kind, Docs::default());
                }
                for (name, kind, docs) in self.calls(ty, true) {
                    add(&name, kind, docs);
                }
            }
            BuilderKind::Entity(_) | BuilderKind::Complex(_) => {
                add("get", MemberKind::Get, Docs::default());
                add("update", MemberKind::Update, Docs::default());
                if matches!(kind, BuilderKind::Entity(_)) {
                    add("replace", MemberKind::Replace, Docs::default());
                    add("delete", MemberKind::Delete, Docs::default());
                    add("reference", MemberKind::Reference, Docs::default());
                    // CSDL XML 4.01 §6.4: an entity type derived from a media entity type is
                    // one too (it "MUST indicate" so, which Graph's metadata does not always
                    // do: `chatMessageHostedContent` of `teamworkHostedContent`).
                    let media = model
                        .lineage(ty)
                        .iter()
                        .any(|&t| model.ty(t).as_struct().is_some_and(|s| s.has_stream));
                    if media {
                        add("content", MemberKind::Media, Docs::default());
                    }
                }
                for (name, kind, docs) in self.properties(ty) {
                    add(&name, kind, docs);
                }
                let make = match kind {
                    BuilderKind::Entity(_) => BuilderKind::Entity,
                    _ => BuilderKind::Complex,
                };
                for (name, kind) in self.casts(ty, s, make) {
                    add(&name, kind, Docs::default());
                }
                for (name, kind, docs) in self.calls(ty, false) {
                    add(&name, kind, docs);
                }
                if matches!(kind, BuilderKind::Entity(_)) && self.conventions.key_as_segment && path_addressed(model, ty) {
                    add("by_path", MemberKind::PathAddress { target: id }, Docs::default());
                }
            }
        }
        let renamed = claim_names(self.model, &mut members);
        for (index, wanted) in renamed {
            self.warn_renamed(id, &members, index, &wanted);
        }
        self.builders[id.0].members = members;
    }

    /// A located warning for each bound operation no builder offers: bound to a collection
    /// of complex values, or to a type no URL reaches.
    fn warn_unoffered(&mut self) {
        let mut offered = vec![false; self.model.operations.len()];
        for member in self.builders.iter().flat_map(|b| &b.members) {
            if let MemberKind::Call { operation, .. } = member.kind {
                offered[operation.0] = true;
            }
        }
        let mut unoffered: Vec<OperationId> = self.bound.values().flatten().copied().collect();
        unoffered.sort_unstable();
        unoffered.dedup();
        for id in unoffered.into_iter().filter(|id| !offered[id.0]) {
            let op = self.model.operation(id);
            let complex_collection = matches!(
                op.binding,
                Some(TypeRef { target: Target::Named(ty), collection: true })
                    if self.model.ty(ty).as_struct().is_some_and(|s| s.kind == StructuredKind::Complex)
            );
            let why = if complex_collection {
                "it is bound to a collection of complex values, which no URL addresses as a resource"
            } else {
                "no URL of the service reaches its binding type"
            };
            self.diagnostics.warning(
                op.span,
                format!("`{}` gets no request method: {why}", op.qualified_name),
            );
        }
    }

    /// A located warning for a member whose natural name another member (or the builder's
    /// own `context`) took.
    fn warn_renamed(&mut self, id: BuilderId, members: &[Member], index: usize, wanted: &str) {
        let model = self.model;
        let builder = &self.builders[id.0];
        let ty = model.ty(builder.kind.ty());
        let describe = |member: &Member| -> (String, crate::source::Span) {
            match &member.kind {
                MemberKind::Call { operation, .. } => {
                    let op = model.operation(*operation);
                    (
                        format!("the bound operation `{}`", op.qualified_name),
                        op.span,
                    )
                }
                MemberKind::Navigation { property, .. }
                | MemberKind::ComplexProperty { property, .. }
                | MemberKind::StreamProperty { property }
                | MemberKind::Property { property, .. } => {
                    let span = ty
                        .as_struct()
                        .and_then(|s| s.properties.iter().find(|p| p.name == *property))
                        .map_or(ty.span, |p| p.span);
                    (format!("the property `{property}`"), span)
                }
                MemberKind::Get
                | MemberKind::Update
                | MemberKind::Replace
                | MemberKind::Delete
                | MemberKind::List
                | MemberKind::Create => ("the builder's own request".to_owned(), ty.span),
                MemberKind::Count => ("`$count`".to_owned(), ty.span),
                MemberKind::Reference => ("`$ref`".to_owned(), ty.span),
                MemberKind::Media => ("`$value`".to_owned(), ty.span),
                MemberKind::Cast { ty: derived, .. } => (
                    format!("the cast to `{}`", model.ty(*derived).qualified_name),
                    ty.span,
                ),
                _ => (format!("`{wanted}`"), ty.span),
            }
        };
        let (what, span) = describe(&members[index]);
        let taker = members
            .iter()
            .find(|m| m.rust_name == wanted)
            .map_or("the builder's own method".to_owned(), |m| describe(m).0);
        let message = if taker == what {
            format!(
                "on `{}`, an overload of {what} is generated as `{}()`",
                builder.rust_name, members[index].rust_name
            )
        } else {
            format!(
                "on `{}`, {what} is generated as `{}()`: `{wanted}()` is {taker}",
                builder.rust_name, members[index].rust_name
            )
        };
        self.diagnostics.warning(span, message);
    }

    fn warn_keyless(&mut self, ty: TypeId) {
        if self.warned_keyless.insert(ty) {
            let t = self.model.ty(ty);
            self.diagnostics.warning(
                t.span,
                format!(
                    "entity type `{}` has no key: its collections have no key segment (by_key) builder",
                    t.qualified_name
                ),
            );
        }
    }

    /// The key of an entity type, with each part's type; `None` without a key.
    fn key_parts(&self, ty: TypeId) -> Option<Vec<KeyPart>> {
        let s = self.model.ty(ty).as_struct()?;
        if s.key.is_empty() {
            return None;
        }
        s.key
            .iter()
            .map(|name| {
                // A key can name a property of a complex property (`address/city`); its
                // last part is the argument.
                let last = name.rsplit('/').next().unwrap_or(name);
                let ty = s
                    .properties
                    .iter()
                    .find(|p| p.name == *name)
                    .map_or(Target::Primitive(Primitive::String), |p| p.ty.target);
                Some(KeyPart {
                    name: last.to_owned(),
                    rust_name: naming::field_name(last),
                    ty,
                })
            })
            .collect()
    }

    /// Navigation, stream and leading complex properties of an entity or complex type.
    fn properties(&mut self, ty: TypeId) -> Vec<(String, MemberKind, Docs)> {
        let model = self.model;
        let Some(s) = model.ty(ty).as_struct() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for p in &s.properties {
            let kind = match (p.kind, p.ty.target, p.ty.collection) {
                (PropertyKind::Navigation { contains_target }, Target::Named(target), many) => {
                    let target_kind = if many {
                        BuilderKind::Collection(target)
                    } else {
                        BuilderKind::Entity(target)
                    };
                    let owner = &model.ty(p.declared_in).qualified_name;
                    MemberKind::Navigation {
                        property: p.name.clone(),
                        target: self.builder_for(target_kind),
                        contained: contains_target,
                        restrictions: self.capabilities.navigation(owner, &p.name),
                        nullable: !many && p.nullable,
                    }
                }
                (PropertyKind::Structural, Target::Primitive(Primitive::Stream), false) => {
                    MemberKind::StreamProperty {
                        property: p.name.clone(),
                    }
                }
                (PropertyKind::Structural, Target::Named(target), false)
                    if model
                        .ty(target)
                        .as_struct()
                        .is_some_and(|t| t.kind == StructuredKind::Complex)
                        && self.complex_leads_on(target) =>
                {
                    MemberKind::ComplexProperty {
                        property: p.name.clone(),
                        target: self.builder_for(BuilderKind::Complex(target)),
                        nullable: p.nullable,
                    }
                }
                (PropertyKind::Structural, target, false) => MemberKind::Property {
                    property: p.name.clone(),
                    ty: p.ty,
                    complex: matches!(target, Target::Named(t) if model.ty(t).as_struct().is_some()),
                },
                _ => continue,
            };
            out.push((naming::field_name(&p.name), kind, p.docs.clone()));
        }
        out
    }

    /// Type-cast segments to every type derived from `s` (of type `ty`): `as_user`; a derived
    /// type of another namespace whose name another derived type has is told apart by that
    /// namespace (`as_security_user` beside `as_user` on `EntityRequest`).
    fn casts(
        &mut self,
        ty: TypeId,
        s: &StructType,
        make: fn(TypeId) -> BuilderKind,
    ) -> Vec<(String, MemberKind)> {
        let model = self.model;
        let namespace = &model.namespace(model.ty(ty).namespace).name;
        s.derived
            .iter()
            .map(|&derived| {
                let t = model.ty(derived);
                let clashes = s.derived.iter().any(|&other| {
                    other != derived && model.ty(other).name.eq_ignore_ascii_case(&t.name)
                });
                let relative =
                    naming::relative_namespace(&model.namespace(t.namespace).name, namespace);
                let words = match clashes && !relative.is_empty() {
                    true => format!("{relative}_{}", naming::field_name(&t.name)),
                    false => naming::field_name(&t.name),
                };
                let name = format!("as_{}", words.trim_start_matches("r#"));
                let target = self.builder_for(make(derived));
                (
                    name,
                    MemberKind::Cast {
                        ty: derived,
                        target,
                    },
                )
            })
            .collect()
    }

    /// Operations bound to `ty` (or a collection of it) or to one of its base types.
    fn calls(&mut self, ty: TypeId, collection: bool) -> Vec<(String, MemberKind, Docs)> {
        let model = self.model;
        // The most specific binding first: an operation bound to a base type with the same
        // name and parameters as one bound to `ty` is overridden by it (OData's overload
        // resolution picks the most specific binding parameter type).
        let mut indices: Vec<OperationId> = Vec::new();
        let signature = |id: OperationId| {
            let op = model.operation(id);
            let parameters: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
            (op.qualified_name.as_str(), parameters)
        };
        for t in model.lineage(ty) {
            for &index in self.bound.get(&(t, collection)).into_iter().flatten() {
                if !indices
                    .iter()
                    .any(|&kept| signature(kept) == signature(index))
                {
                    indices.push(index);
                }
            }
        }
        // In model order: names are claimed deterministically.
        indices.sort_unstable();
        indices
            .into_iter()
            .map(|id| {
                let op = model.operation(id);
                let continues = self.composable_result(op);
                let kind = MemberKind::Call {
                    operation: id,
                    segment: self.operation_segment(op),
                    continues,
                };
                (op.rust_name.clone(), kind, op.docs.clone())
            })
            .collect()
    }

    /// How a bound operation is named in a URL: qualified, unless the conventions or the
    /// schema's `Core.DefaultNamespace` say otherwise.
    fn operation_segment(&self, op: &Operation) -> String {
        let namespace = &self.model.namespace(op.namespace).name;
        if self.conventions.unqualified_operations
            || self.capabilities.default_namespaces.contains(namespace)
        {
            op.name.clone()
        } else {
            op.qualified_name.clone()
        }
    }
}

/// Gives each member a unique name. The operations every builder has come first, then the
/// names the metadata declares (properties, then bound operations), then keys and casts, and
/// last the conveniences (`count`, `reference`, `content`). Names are told apart by what
/// differs: overloads of a bound operation by their parameters (`image`, `image_with_width`),
/// a bound operation whose name is taken by what it is (`create_action` beside the
/// collection's `create`), and a convenience by its URL segment (`dollar_count` beside a
/// bound function `count`). Returns the members left with a numeric suffix, with the name
/// they wanted.
fn claim_names(model: &Model, members: &mut [Member]) -> Vec<(usize, String)> {
    name_overloads(model, members);
    // The builder's own methods are taken, and so are those of the traits it implements.
    let mut names = Scope::with_reserved(
        crate::ir::TRAIT_METHOD_NAMES
            .into_iter()
            .chain(["with_context", "context"]),
    );
    let rank = |kind: &MemberKind| match kind {
        MemberKind::Get
        | MemberKind::Update
        | MemberKind::Replace
        | MemberKind::Delete
        | MemberKind::List
        | MemberKind::Create => 0,
        MemberKind::Navigation { .. }
        | MemberKind::ComplexProperty { .. }
        | MemberKind::StreamProperty { .. } => 1,
        MemberKind::Call { .. } => 2,
        MemberKind::Key { .. } | MemberKind::Cast { .. } => 3,
        MemberKind::Count | MemberKind::Reference | MemberKind::Media | MemberKind::PathAddress { .. } => 4,
        // Added after the rest: a structural property yields its name to any other member.
        MemberKind::Property { .. } => 5,
    };
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&i| rank(&members[i].kind));
    // Who holds each name, to tell an overload's clash from another kind's.
    let mut holders: HashMap<String, usize> = HashMap::new();
    let mut renamed = Vec::new();
    for i in order {
        let wanted = members[i].rust_name.clone();
        if names.try_claim(&wanted) {
            holders.insert(wanted, i);
            continue;
        }
        let same_operation = holders.get(&wanted).is_some_and(|&holder| {
            let name = |m: &Member| m.kind.called(model).map(|o| o.name.as_str());
            name(&members[holder]).is_some() && name(&members[holder]) == name(&members[i])
        });
        let told_apart = (!same_operation)
            .then(|| other_name(model, &members[i]))
            .flatten()
            .filter(|other| names.try_claim(other));
        match told_apart {
            Some(other) => members[i].rust_name = other,
            None => {
                let (name, _) = names.claim(&wanted);
                members[i].rust_name = name;
                renamed.push((i, wanted));
            }
        }
    }
    renamed
}

/// Overloads of a bound operation on one builder (one bound to a base type and one to the
/// derived type, with other parameters) are named by the parameters that tell them apart
/// ([`naming::overload_suffixes`]).
fn name_overloads(model: &Model, members: &mut [Member]) {
    let mut groups: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (index, member) in members.iter().enumerate() {
        if let MemberKind::Call { .. } = member.kind {
            groups.entry(member.rust_name.clone()).or_default().push(index);
        }
    }
    for (name, indexes) in groups.into_iter().filter(|(_, g)| g.len() > 1) {
        let parameters: Vec<Vec<&str>> = indexes
            .iter()
            .map(|&i| {
                let op = members[i].kind.called(model).expect("calls call operations");
                op.parameters.iter().map(|p| p.name.as_str()).collect()
            })
            .collect();
        let bare = name.trim_start_matches("r#").trim_end_matches('_');
        for (&i, suffix) in indexes.iter().zip(naming::overload_suffixes(&parameters)) {
            if let Some(suffix) = suffix {
                members[i].rust_name = format!("{bare}_{suffix}");
            }
        }
    }
}

/// A member's name when its own is taken by a member of another kind: a bound operation is
/// named with what it is (`delete_action`, `range_function`), a convenience by its URL
/// segment (`dollar_count`, `dollar_ref`, `dollar_value`).
fn other_name(model: &Model, member: &Member) -> Option<String> {
    let bare = member.rust_name.trim_start_matches("r#").trim_end_matches('_');
    Some(match &member.kind {
        MemberKind::Call { operation, .. } => match model.operation(*operation).kind {
            OperationKind::Action => format!("{bare}_action"),
            OperationKind::Function => format!("{bare}_function"),
        },
        MemberKind::Count => "dollar_count".to_owned(),
        MemberKind::Reference => "dollar_ref".to_owned(),
        MemberKind::Media => "dollar_value".to_owned(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::ir::{BuilderKind, MemberKind};

    #[test]
    fn a_type_derived_from_a_media_entity_type_has_its_media_stream() {
        let csdl = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="media" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="content" HasStream="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="hostedContent" BaseType="media.content" />
      <EntityType Name="plain">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <NavigationProperty Name="hosted" Type="Collection(media.hostedContent)" ContainsTarget="true" />
      </EntityType>
      <EntityContainer Name="Service">
        <EntitySet Name="plains" EntityType="media.plain" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
        let loaded = crate::Generator::new().text("media.xml", csdl).load();
        let model = loaded.model.as_ref().expect("the model resolves");
        let has_media = |name: &str| {
            let builder = model
                .resources
                .builders
                .iter()
                .find(|b| {
                    matches!(b.kind, BuilderKind::Entity(t) if model.ty(t).name == name)
                })
                .expect("an entity builder");
            builder.members.iter().any(|m| m.kind == MemberKind::Media)
        };
        assert!(has_media("hostedContent"));
        assert!(!has_media("plain"));
        assert!(model.match_path("/plains/1/hosted/2/$value").is_some());
    }

    #[test]
    fn names_are_told_apart_by_what_differs_not_by_a_number() {
        let csdl = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="shop" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="state"><Member Name="open" /><Member Name="other" /></EnumType>
      <EntityType Name="item">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="state" Type="shop.state" />
      </EntityType>
      <EntityType Name="gadget" BaseType="shop.item" />
      <Function Name="image" IsBound="true"><Parameter Name="it" Type="shop.item" /><ReturnType Type="Edm.Stream" /></Function>
      <Function Name="image" IsBound="true"><Parameter Name="it" Type="shop.item" /><Parameter Name="width" Type="Edm.Int32" /><ReturnType Type="Edm.Stream" /></Function>
      <Function Name="image" IsBound="true"><Parameter Name="it" Type="shop.item" /><Parameter Name="width" Type="Edm.Int32" /><Parameter Name="height" Type="Edm.Int32" /><ReturnType Type="Edm.Stream" /></Function>
      <Function Name="report" IsBound="true"><Parameter Name="it" Type="shop.item" /><Parameter Name="period" Type="Edm.String" /><ReturnType Type="Edm.String" /></Function>
      <Function Name="report" IsBound="true"><Parameter Name="it" Type="shop.item" /><Parameter Name="date" Type="Edm.Date" /><ReturnType Type="Edm.String" /></Function>
      <Function Name="count" IsBound="true"><Parameter Name="them" Type="Collection(shop.item)" /><ReturnType Type="Edm.Int32" /></Function>
      <Action Name="create" IsBound="true"><Parameter Name="them" Type="Collection(shop.item)" /><Parameter Name="name" Type="Edm.String" /></Action>
      <Action Name="archive" IsBound="true"><Parameter Name="it" Type="shop.item" /><Parameter Name="why" Type="Edm.String" /></Action>
      <Action Name="archive" IsBound="true"><Parameter Name="them" Type="Collection(shop.item)" /><Parameter Name="why" Type="Edm.String" /></Action>
      <Action Name="open"><Parameter Name="door" Type="Edm.String" /></Action>
      <Function Name="find"><Parameter Name="q" Type="Edm.String" /><ReturnType Type="Collection(shop.item)" /></Function>
      <Function Name="find"><Parameter Name="q" Type="Edm.String" /><Parameter Name="limit" Type="Edm.Int32" /><ReturnType Type="Collection(shop.item)" /></Function>
      <EntityContainer Name="service">
        <EntitySet Name="items" EntityType="shop.item" />
        <ActionImport Name="open" Action="shop.open" />
        <FunctionImport Name="find" Function="shop.find" EntitySet="items" />
      </EntityContainer>
    </Schema>
    <Schema Namespace="shop.audit" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="gadget" BaseType="shop.item" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
        let loaded = crate::Generator::new().text("shop.xml", csdl).load();
        let rendered: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| d.render(&loaded.sources))
            .collect();
        assert!(rendered.is_empty(), "{rendered:#?}");
        let model = loaded.model.as_ref().expect("the model resolves");
        let members = |builder: &str| -> Vec<String> {
            let builder = model
                .resources
                .builders
                .iter()
                .find(|b| b.rust_name == builder)
                .unwrap_or_else(|| panic!("no builder {builder}"));
            builder.members.iter().map(|m| m.rust_name.clone()).collect()
        };
        let item = members("ItemRequest");
        for name in [
            "image",
            "image_with_width",
            "image_with_width_and_height",
            "report_with_period",
            "report_with_date",
            "as_gadget",
            "as_audit_gadget",
        ] {
            assert!(item.contains(&name.to_owned()), "{name} in {item:?}");
        }
        let items = members("ItemCollectionRequest");
        for name in ["count", "dollar_count", "create", "create_action"] {
            assert!(items.contains(&name.to_owned()), "{name} in {items:?}");
        }
        let mut parameters: Vec<&str> = model
            .operations
            .iter()
            .filter_map(|o| o.parameters_type.as_deref())
            .collect();
        parameters.sort_unstable();
        assert_eq!(
            parameters,
            [
                "CreateParameters",
                "ItemArchiveParameters",
                "ItemCollectionArchiveParameters",
                "OpenParameters"
            ]
        );
        let item_type = model.find_type("shop.item").unwrap();
        let variants: Vec<&str> = item_type
            .as_struct()
            .and_then(|s| s.dispatch.as_ref())
            .map(|d| d.variants.iter().map(|v| v.rust_name.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(variants, ["Gadget", "AuditGadget"]);
        let state = model.find_type("shop.state").unwrap().as_enum().unwrap();
        assert_eq!(state.other_variant, "Undeclared");
        let mut roots: Vec<&str> = model
            .resources
            .roots
            .iter()
            .map(|r| r.rust_name.as_str())
            .collect();
        roots.sort_unstable();
        assert_eq!(roots, ["find", "find_with_limit", "items", "open"]);
    }
}

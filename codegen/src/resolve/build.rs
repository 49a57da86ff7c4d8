//! The last resolution step: Rust names, flattened inheritance, dispatch enums, boxing.

use std::collections::{BTreeMap, HashMap};

use super::boxing;
use super::select::Kept;
use super::semantic::{SemKind, SemStruct, Semantic};
use crate::diagnostics::Diagnostics;
use crate::ir::*;
use super::naming::{self, Scope};

pub fn build(semantic: &Semantic, kept: &Kept, diagnostics: &mut Diagnostics) -> Model {
    let mut order: Vec<usize> = (0..semantic.types.len())
        .filter(|&i| kept.types[i])
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&semantic.types[a], &semantic.types[b]);
        (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))
    });
    let new_id: HashMap<TypeId, TypeId> = order
        .iter()
        .enumerate()
        .map(|(new, &old)| (TypeId(old), TypeId(new)))
        .collect();
    let builder = Builder {
        semantic,
        new_id,
        order,
    };
    let namespaces = builder.namespaces(kept, diagnostics);
    let (mut types, mut scopes) = builder.types(&namespaces, diagnostics);
    builder.add_dispatch(&mut types, &namespaces, diagnostics);
    boxing::box_recursive_properties(&mut types);
    let (operations, old_to_new_op) =
        builder.operations(kept, &namespaces, &types, &mut scopes, diagnostics);
    Model {
        entry_points: builder.entry_points(kept),
        operation_imports: builder.imports(kept, &old_to_new_op),
        namespaces,
        types,
        operations,
        resources: Resources::default(),
        areas: Vec::new(),
    }
}

/// Names taken in each namespace: Rust type names, and module file names.
struct NamespaceScopes {
    types: BTreeMap<NamespaceId, Scope>,
    files: BTreeMap<NamespaceId, Scope>,
}

struct Builder<'s> {
    semantic: &'s Semantic,
    new_id: HashMap<TypeId, TypeId>,
    /// Old ids of the kept types, in new id order.
    order: Vec<usize>,
}

impl Builder<'_> {
    fn map_ref(&self, ty: TypeRef) -> TypeRef {
        TypeRef {
            target: match ty.target {
                Target::Named(id) => Target::Named(self.new_id[&id]),
                primitive => primitive,
            },
            collection: ty.collection,
        }
    }

    fn namespaces(&self, kept: &Kept, diagnostics: &mut Diagnostics) -> Vec<Namespace> {
        let used: std::collections::BTreeSet<&str> = self
            .order
            .iter()
            .map(|&i| self.semantic.types[i].namespace.as_str())
            .chain(
                self.semantic
                    .operations
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| kept.operations[*i])
                    .map(|(_, o)| o.namespace.as_str()),
            )
            .collect();
        let mut scope = Scope::with_reserved([
            "support", "lib", "main", "request", "requests", "client", "dynamic",
        ]);
        self.semantic
            .namespaces
            .iter()
            .filter(|ns| used.contains(ns.name.as_str()))
            .map(|ns| {
                let (module, renamed) = scope.claim(&naming::module_name(&ns.name.replace('.', "_")));
                if renamed {
                    diagnostics.warning(ns.span, format!("namespace `{}` is generated as module `{module}`: its natural module name is taken", ns.name));
                }
                Namespace {
                    name: ns.name.clone(),
                    alias: ns.alias.clone(),
                    module,
                    docs: ns.docs.clone(),
                }
            })
            .collect()
    }

    fn types(
        &self,
        namespaces: &[Namespace],
        diagnostics: &mut Diagnostics,
    ) -> (Vec<TypeDef>, NamespaceScopes) {
        let namespace_ids: HashMap<&str, NamespaceId> = namespaces
            .iter()
            .enumerate()
            .map(|(i, ns)| (ns.name.as_str(), NamespaceId(i)))
            .collect();
        let mut type_scopes: BTreeMap<NamespaceId, Scope> = BTreeMap::new();
        let mut file_scopes: BTreeMap<NamespaceId, Scope> = BTreeMap::new();
        let mut types = Vec::with_capacity(self.order.len());
        for (new, &old) in self.order.iter().enumerate() {
            let t = &self.semantic.types[old];
            let namespace = namespace_ids[t.namespace.as_str()];
            let (rust_name, renamed) = type_scopes
                .entry(namespace)
                .or_default()
                .claim(&naming::type_name(&t.name));
            if renamed {
                diagnostics.warning(t.span, format!("type `{}` is generated as `{rust_name}`: another type of its namespace has the same Rust name", t.qualified_name));
            }
            let (module, _) = file_scopes
                .entry(namespace)
                .or_insert_with(|| Scope::with_reserved(["mod"]))
                .claim(&naming::module_name(&rust_name));
            let kind = match &t.kind {
                SemKind::Struct(s) => TypeKind::Struct(self.structure(TypeId(old), s, diagnostics)),
                SemKind::Enum(e) => {
                    let mut scope = Scope::default();
                    let members = e
                        .members
                        .iter()
                        .map(|m| EnumMember {
                            name: m.name.clone(),
                            rust_name: scope.claim(&naming::type_name(&m.name)).0,
                            value: m.value,
                            docs: m.docs.clone(),
                            span: m.span,
                        })
                        .collect();
                    TypeKind::Enum(EnumType {
                        is_flags: e.is_flags,
                        underlying: e.underlying,
                        members,
                        other_variant: other_variant(&mut scope, t, diagnostics),
                    })
                }
                SemKind::Alias(primitive) => TypeKind::Alias(*primitive),
            };
            types.push(TypeDef {
                id: TypeId(new),
                namespace,
                name: t.name.clone(),
                qualified_name: t.qualified_name.clone(),
                rust_name,
                module,
                docs: t.docs.clone(),
                span: t.span,
                kind,
                gate: Gate::default(),
                replacement: None,
                attributes: Vec::new(),
            });
        }
        // Dispatch enums share the namespace of type names; they claim after every type.
        for t in types.iter_mut() {
            let scope = type_scopes
                .get_mut(&t.namespace)
                .expect("every namespace has a scope");
            if let TypeKind::Struct(s) = &mut t.kind {
                s.dispatch = Some(Dispatch {
                    rust_name: scope.claim(&format!("Any{}", t.rust_name)).0,
                    variants: Vec::new(),
                    fallback: String::new(),
                });
            }
        }
        (
            types,
            NamespaceScopes {
                types: type_scopes,
                files: file_scopes,
            },
        )
    }

    fn structure(&self, old: TypeId, s: &SemStruct, diagnostics: &mut Diagnostics) -> StructType {
        let lineage = self.semantic.lineage(old);
        let mut scope = Scope::default();
        let odata_type_field = scope.claim("odata_type").0;
        let additional_properties_field = scope.claim("additional_properties").0;
        let mut properties = Vec::new();
        let mut unselected_navigation = Vec::new();
        // JSON names taken: the control information every struct has, then each property's.
        let mut wire_names = std::collections::HashSet::from(["@odata.type".to_owned()]);
        for &ancestor in &lineage {
            let declaring = self
                .semantic
                .structure(ancestor)
                .expect("bases are structured types");
            for p in &declaring.properties {
                // A navigation property `--select` does not follow, to a type it does not keep:
                // not generated (its member is read into `additional_properties`); the
                // selection warned (`select::warn_left_out`).
                if matches!(p.ty.target, Target::Named(t) if !self.new_id.contains_key(&t)) {
                    unselected_navigation.push(p.name.clone());
                    continue;
                }
                if !wire_names.insert(p.name.clone()) {
                    if ancestor == old {
                        diagnostics.warning(p.span, wire_name_taken(&p.name, &odata_type_field));
                    }
                    continue;
                }
                let (rust_name, renamed) = scope.claim(&naming::field_name(&p.name));
                if renamed && ancestor == old {
                    diagnostics.warning(p.span, format!("property `{}` is generated as field `{rust_name}`: its natural name is taken by another property or a generated field", p.name));
                }
                properties.push(Property {
                    name: p.name.clone(),
                    rust_name,
                    ty: self.map_ref(p.ty),
                    nullable: p.nullable,
                    kind: p.kind,
                    boxed: false,
                    declared_in: self.new_id[&ancestor],
                    docs: p.docs.clone(),
                    span: p.span,
                    facets: p.facets.clone(),
                    gate: None,
                    attributes: Vec::new(),
                });
            }
        }
        let key = lineage
            .iter()
            .filter_map(|&a| self.semantic.structure(a))
            .find(|a| !a.key.is_empty())
            .map(|a| a.key.clone())
            .unwrap_or_default();
        StructType {
            kind: structured_kind(s.kind),
            is_abstract: s.is_abstract,
            is_open: s.is_open,
            has_stream: s.has_stream,
            base: s.base.map(|b| self.new_id[&b]),
            key,
            properties,
            unselected_navigation,
            derived: Vec::new(),
            dispatch: None,
            odata_type_field,
            additional_properties_field,
        }
    }

    /// Fills `derived` and the dispatch enums (types without derived types lose theirs). A
    /// variant is named after its type; types of one name in other namespaces than the base's
    /// are told apart by their namespace (`SecurityUser` beside `User` in `AnyEntity`).
    fn add_dispatch(
        &self,
        types: &mut [TypeDef],
        namespaces: &[Namespace],
        diagnostics: &mut Diagnostics,
    ) {
        let mut derived: Vec<Vec<TypeId>> = vec![Vec::new(); types.len()];
        for t in types.iter() {
            let mut ancestor = t.as_struct().and_then(|s| s.base);
            while let Some(a) = ancestor {
                derived[a.0].push(t.id);
                ancestor = types[a.0].as_struct().and_then(|s| s.base);
            }
        }
        for (i, mut descendants) in derived.into_iter().enumerate() {
            descendants.sort();
            let variants = {
                let base_namespace = &namespaces[types[i].namespace.0].name;
                let names: Vec<String> = descendants
                    .iter()
                    .map(|&d| {
                        let t = &types[d.0];
                        let clashes = descendants.iter().any(|&o| {
                            o != d && types[o.0].rust_name.eq_ignore_ascii_case(&t.rust_name)
                        });
                        let relative =
                            naming::relative_namespace(&namespaces[t.namespace.0].name, base_namespace);
                        match clashes && !relative.is_empty() {
                            true => naming::type_name(&format!("{relative}_{}", t.rust_name)),
                            false => t.rust_name.clone(),
                        }
                    })
                    .collect();
                let mut scope = Scope::default();
                descendants
                    .iter()
                    .zip(names)
                    .map(|(&d, name)| {
                        let (rust_name, renamed) = scope.claim(&name);
                        if renamed {
                            diagnostics.warning(types[d.0].span, format!("type `{}` is the variant `{rust_name}` of the dispatch enum of `{}`: another derived type has its name and namespace", types[d.0].qualified_name, types[i].qualified_name));
                        }
                        DispatchVariant {
                            rust_name,
                            ty: d,
                            gate: None,
                        }
                    })
                    .collect::<Vec<_>>()
            };
            let fallback_candidate = {
                let t = &types[i];
                match t.as_struct() {
                    Some(s) if s.is_abstract => "Other".to_owned(),
                    _ => t.rust_name.clone(),
                }
            };
            let TypeKind::Struct(s) = &mut types[i].kind else {
                continue;
            };
            if descendants.is_empty() {
                s.dispatch = None;
                continue;
            }
            let mut scope = Scope::with_reserved(variants.iter().map(|v| v.rust_name.as_str()));
            let fallback = scope.claim(&fallback_candidate).0;
            let dispatch = s
                .dispatch
                .as_mut()
                .expect("every struct starts with a dispatch name");
            dispatch.variants = variants;
            dispatch.fallback = fallback;
            s.derived = descendants;
        }
    }

    fn operations(
        &self,
        kept: &Kept,
        namespaces: &[Namespace],
        types: &[TypeDef],
        scopes: &mut NamespaceScopes,
        diagnostics: &mut Diagnostics,
    ) -> (Vec<Operation>, HashMap<usize, usize>) {
        let mut operations = Vec::new();
        let mut old_to_new = HashMap::new();
        // Actions with parameters by namespace and name: a name several share is told apart
        // by binding type in their parameters structs' names.
        let mut sharing: HashMap<(&str, &str), usize> = HashMap::new();
        for (old, op) in self.semantic.operations.iter().enumerate() {
            if kept.operations[old] && op.kind == crate::csdl::OperationKind::Action && !op.parameters.is_empty() {
                *sharing.entry((op.namespace.as_str(), op.name.as_str())).or_default() += 1;
            }
        }
        for (old, op) in self.semantic.operations.iter().enumerate() {
            if !kept.operations[old] {
                continue;
            }
            let namespace = namespaces
                .iter()
                .position(|ns| ns.name == op.namespace)
                .map(NamespaceId)
                .expect("namespaces of kept operations are kept");
            // An action's parameters struct keeps undeclared members in `additional_properties`.
            let mut scope = match op.kind {
                crate::csdl::OperationKind::Action => Scope::with_reserved(["additional_properties"]),
                crate::csdl::OperationKind::Function => Scope::default(),
            };
            let parameters = op
                .parameters
                .iter()
                .map(|p| Parameter {
                    name: p.name.clone(),
                    rust_name: scope.claim(&naming::field_name(&p.name)).0,
                    ty: self.map_ref(p.ty),
                    nullable: p.nullable,
                    docs: p.docs.clone(),
                })
                .collect();
            old_to_new.insert(old, operations.len());
            let parameters_type = (op.kind == crate::csdl::OperationKind::Action && !op.parameters.is_empty())
                .then(|| {
                    let binding = op.binding.map(|b| self.map_ref(b));
                    let shared = sharing[&(op.namespace.as_str(), op.name.as_str())] > 1;
                    let scope = scopes.types.entry(namespace).or_default();
                    parameters_type_name(op, binding, shared, types, namespaces, scope, diagnostics)
                });
            let parameters_module = parameters_type.as_ref().map(|name| {
                let scope = scopes
                    .files
                    .entry(namespace)
                    .or_insert_with(|| Scope::with_reserved(["mod"]));
                scope.claim(&naming::module_name(name)).0
            });
            operations.push(Operation {
                parameters_type,
                parameters_module,
                kind: operation_kind(op.kind),
                namespace,
                name: op.name.clone(),
                qualified_name: format!("{}.{}", op.namespace, op.name),
                rust_name: naming::field_name(&op.name),
                binding: op.binding.map(|b| self.map_ref(b)),
                parameters,
                return_type: op.return_type.map(|(ty, nullable)| ReturnType {
                    ty: self.map_ref(ty),
                    nullable,
                }),
                is_composable: op.is_composable,
                docs: op.docs.clone(),
                span: op.span,
                gate: Gate::default(),
            });
        }
        (operations, old_to_new)
    }

    fn entry_points(&self, kept: &Kept) -> Vec<EntryPoint> {
        let mut scope = Scope::default();
        self.semantic
            .entry_points
            .iter()
            .enumerate()
            .filter(|(i, _)| kept.entry_points[*i])
            .map(|(_, e)| EntryPoint {
                kind: e.kind,
                container: e.container.clone(),
                name: e.name.clone(),
                rust_name: scope.claim(&naming::field_name(&e.name)).0,
                ty: self.new_id[&e.ty],
                navigation_bindings: e.navigation_bindings.clone(),
                docs: e.docs.clone(),
                span: e.span,
            })
            .collect()
    }

    fn imports(&self, kept: &Kept, old_to_new_op: &HashMap<usize, usize>) -> Vec<OperationImport> {
        let mut scope = Scope::default();
        self.semantic
            .imports
            .iter()
            .enumerate()
            .filter(|(i, _)| kept.imports[*i])
            .map(|(_, import)| OperationImport {
                kind: operation_kind(import.kind),
                container: import.container.clone(),
                name: import.name.clone(),
                rust_name: scope.claim(&naming::field_name(&import.name)).0,
                operations: self
                    .semantic
                    .operations
                    .iter()
                    .enumerate()
                    .filter(|(_, op)| {
                        op.binding.is_none()
                            && format!("{}.{}", op.namespace, op.name) == import.operation
                    })
                    .filter_map(|(old, _)| old_to_new_op.get(&old).copied())
                    .map(OperationId)
                    .collect(),
                entity_set: import.entity_set.clone(),
                docs: import.docs.clone(),
                span: import.span,
            })
            .collect()
    }
}

/// The name of an action's parameters struct: its operation's (`AssignParameters`), or, for
/// a name that several actions of the namespace share (CSDL allows one per binding type,
/// 4.01 §12.1), after the binding type's as the builder that offers it is named
/// (`WorkbookTableCollectionAddParameters` for `add` bound to a collection of
/// `workbookTable`). So unique names stay short, and a shared one never depends on which
/// action comes first: adding an action of a name renames the structs of that name only. A
/// name taken by a type is told apart the other way, then by the binding type's namespace
/// (`SecurityUserExportParameters`); a name still taken gets a number, with a located warning.
fn parameters_type_name(
    op: &super::semantic::SemOperation,
    binding: Option<TypeRef>,
    shared: bool,
    types: &[TypeDef],
    namespaces: &[Namespace],
    scope: &mut Scope,
    diagnostics: &mut Diagnostics,
) -> String {
    let operation = naming::type_name_part(&op.name);
    let plain = format!("{operation}Parameters");
    let mut candidates = vec![plain.clone()];
    if let Some(TypeRef {
        target: Target::Named(id),
        collection,
    }) = binding
    {
        let ty = &types[id.0];
        let collection = if collection { "Collection" } else { "" };
        let bound = format!(
            "{}{collection}{plain}",
            ty.rust_name.trim_end_matches('_')
        );
        match shared {
            true => candidates = vec![bound.clone()],
            false => candidates.push(bound.clone()),
        }
        let relative =
            naming::relative_namespace(&namespaces[ty.namespace.0].name, &op.namespace);
        if !relative.is_empty() {
            candidates.push(naming::type_name(&format!("{relative}_{bound}")));
        }
    }
    if let Some(free) = candidates.iter().find(|c| scope.try_claim(c)) {
        return free.clone();
    }
    let (name, _) = scope.claim(&candidates[0]);
    diagnostics.warning(
        op.span,
        format!(
            "the parameters of `{}.{}` are generated as `{name}`: `{}` is another type of the namespace",
            op.namespace, op.name, candidates[0]
        ),
    );
    name
}

/// The variant that holds an enum's values the metadata does not declare: `Other`, else
/// (a member is named `other`) `Undeclared`, else a number, with a located warning.
fn other_variant(
    scope: &mut Scope,
    ty: &super::semantic::SemType,
    diagnostics: &mut Diagnostics,
) -> String {
    if let Some(free) = ["Other", "Undeclared"].into_iter().find(|c| scope.try_claim(c)) {
        return free.to_owned();
    }
    let (name, _) = scope.claim("Other");
    diagnostics.warning(ty.span, format!("the variant of `{}` for undeclared values is `{name}`: its members take `Other` and `Undeclared`", ty.qualified_name));
    name
}

/// Why a property is not generated: its JSON name is that of another field, and a JSON object
/// has one member of a name.
fn wire_name_taken(name: &str, odata_type_field: &str) -> String {
    if name == "@odata.type" {
        format!("property `{name}` is not generated: its JSON name is that of the `@odata.type` control information, which is read and written in the field `{odata_type_field}`")
    } else {
        format!("property `{name}` is not generated: another property of the type has the same JSON name, and its field reads and writes that member")
    }
}

/// The IR's kind of a structured type (the IR does not use the parser's types).
fn structured_kind(kind: crate::csdl::StructuredKind) -> StructuredKind {
    match kind {
        crate::csdl::StructuredKind::Entity => StructuredKind::Entity,
        crate::csdl::StructuredKind::Complex => StructuredKind::Complex,
    }
}

/// The IR's kind of an operation.
fn operation_kind(kind: crate::csdl::OperationKind) -> OperationKind {
    match kind {
        crate::csdl::OperationKind::Action => OperationKind::Action,
        crate::csdl::OperationKind::Function => OperationKind::Function,
    }
}

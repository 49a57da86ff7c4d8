//! The addressable resources of the service, derived from the model: each entry point, the
//! collections and entities that containment navigation and keys reach from it, stream
//! properties, and the bound operations callable on each.
//!
//! Containment can be recursive (an item that contains items); a type that already appears on
//! the way from the root is addressed but not expanded again, so the tree is finite.

use std::collections::HashMap;

use crate::ir::*;
use crate::naming::{self, Scope};

/// Containment trees of real services are wide; this bounds the output for hostile metadata.
pub const MAX_PATHS: usize = 50_000;

/// The most segments of a generated path. Microsoft Graph's deepest has 15; every segment
/// lengthens the template and the builder's name of every path below it, so depth would
/// multiply the output.
pub const MAX_PATH_SEGMENTS: usize = 32;

/// The addressable paths; whether [`MAX_PATHS`] cut them short; and the first type whose
/// containment went deeper than [`MAX_PATH_SEGMENTS`] (not expanded further).
pub fn build(model: &Model) -> (Vec<PathNode>, bool, Option<TypeId>) {
    // Operations by binding type and collectionness, so each node finds its own in one lookup.
    let mut bound: HashMap<(TypeId, bool), Vec<usize>> = HashMap::new();
    for (index, op) in model.operations.iter().enumerate() {
        if let Some(TypeRef {
            target: Target::Named(ty),
            collection,
        }) = op.binding
        {
            bound.entry((ty, collection)).or_default().push(index);
        }
    }
    let mut builder = PathBuilder {
        model,
        bound,
        nodes: Vec::new(),
        names: Scope::with_reserved(["Client", "Operation", "Page"]),
        types_on_path: HashMap::new(),
        truncated: false,
        too_deep: None,
    };
    // Root accessors are also methods of the generated client: its own methods are taken.
    let mut roots = Scope::with_reserved([
        "builder",
        "send",
        "execute",
        "stream_pages",
        "stream_items",
        "base_url",
    ]);
    for entry in &model.entry_points {
        let kind = match entry.kind {
            EntryPointKind::EntitySet => PathKind::Collection { item: entry.ty },
            EntryPointKind::Singleton => PathKind::Entity {
                ty: entry.ty,
                deletable: false,
            },
        };
        let accessor = roots.claim(&naming::field_name(&entry.name)).0;
        builder.add(
            None,
            Segment::Literal(entry.name.clone()),
            accessor,
            kind,
            entry.docs.clone(),
        );
    }
    let mut next = 0;
    while next < builder.nodes.len() {
        builder.expand(PathId(next));
        next += 1;
    }
    (builder.nodes, builder.truncated, builder.too_deep)
}

struct PathBuilder<'m> {
    model: &'m Model,
    bound: HashMap<(TypeId, bool), Vec<usize>>,
    nodes: Vec<PathNode>,
    names: Scope,
    /// For each node, the entity types on the way from the root to it (itself included).
    types_on_path: HashMap<PathId, Vec<TypeId>>,
    truncated: bool,
    too_deep: Option<TypeId>,
}

impl PathBuilder<'_> {
    fn add(
        &mut self,
        parent: Option<PathId>,
        segment: Segment,
        accessor: String,
        kind: PathKind,
        docs: Docs,
    ) -> Option<PathId> {
        if self.nodes.len() >= MAX_PATHS {
            self.truncated = true;
            return None;
        }
        let depth = parent.map_or(0, |p| self.nodes[p.0].template.matches('/').count());
        if depth >= MAX_PATH_SEGMENTS {
            if let (None, PathKind::Collection { item: ty } | PathKind::Entity { ty, .. }) =
                (self.too_deep, kind)
            {
                self.too_deep = Some(ty);
            }
            return None;
        }
        let id = PathId(self.nodes.len());
        let (parent_template, parent_name) = match parent {
            Some(p) => (
                self.nodes[p.0].template.clone(),
                self.nodes[p.0]
                    .rust_name
                    .trim_end_matches("Request")
                    .to_owned(),
            ),
            None => (String::new(), String::new()),
        };
        let (text, name_part) = match &segment {
            Segment::Literal(s) => (s.clone(), naming::type_name_part(s)),
            Segment::Key { name, .. } => (format!("{{{name}}}"), "Item".to_owned()),
        };
        let rust_name = self
            .names
            .claim(&format!("{parent_name}{name_part}Request"))
            .0;
        let mut on_path = parent
            .and_then(|p| self.types_on_path.get(&p).cloned())
            .unwrap_or_default();
        // Only entities count: a collection and the keyed entity below it are one type.
        if let PathKind::Entity { ty, .. } = kind {
            on_path.push(ty);
        }
        self.types_on_path.insert(id, on_path);
        self.nodes.push(PathNode {
            id,
            parent,
            segment,
            template: format!("{parent_template}/{text}"),
            rust_name,
            accessor,
            kind,
            operations: Vec::new(),
            children: Vec::new(),
            docs,
            area: 0,
        });
        if let Some(p) = parent {
            self.nodes[p.0].children.push(id);
        }
        Some(id)
    }

    /// Whether `ty` is already addressed further up (not counting the node itself).
    fn seen_above(&self, node: PathId, ty: TypeId) -> bool {
        let on_path = &self.types_on_path[&node];
        on_path[..on_path.len().saturating_sub(1)].contains(&ty)
    }

    fn expand(&mut self, id: PathId) {
        let kind = self.nodes[id.0].kind;
        // The builder's constructor is one of its methods too.
        let mut methods = Scope::with_reserved(["with_context", "context"]);
        let mut operations = Vec::new();
        match kind {
            PathKind::Collection { item } => {
                operations.push(self.operation(
                    &mut methods,
                    "list",
                    PathOperationKind::List { item },
                ));
                operations.push(self.operation(
                    &mut methods,
                    "create",
                    PathOperationKind::Create { item },
                ));
                operations.extend(self.bound_operations(&mut methods, item, true));
                let key = format!("{}-id", self.model.ty(item).name);
                let segment = Segment::Key {
                    rust_name: "id".to_owned(),
                    name: key,
                };
                let accessor = methods.claim("by_id").0;
                self.add(
                    Some(id),
                    segment,
                    accessor,
                    PathKind::Entity {
                        ty: item,
                        deletable: true,
                    },
                    Docs::default(),
                );
            }
            PathKind::Entity { ty, deletable } => {
                operations.push(self.operation(&mut methods, "get", PathOperationKind::Get { ty }));
                operations.push(self.operation(
                    &mut methods,
                    "update",
                    PathOperationKind::Update { ty },
                ));
                if deletable {
                    operations.push(self.operation(
                        &mut methods,
                        "delete",
                        PathOperationKind::Delete,
                    ));
                }
                operations.extend(self.bound_operations(&mut methods, ty, false));
                if !self.seen_above(id, ty) {
                    self.add_children(id, ty, &mut methods);
                }
            }
            PathKind::Stream => {
                operations.push(self.operation(&mut methods, "get", PathOperationKind::GetStream));
                operations.push(self.operation(&mut methods, "put", PathOperationKind::PutStream));
            }
        }
        self.nodes[id.0].operations = operations;
    }

    fn add_children(&mut self, id: PathId, ty: TypeId, methods: &mut Scope) {
        let Some(s) = self.model.ty(ty).as_struct() else {
            return;
        };
        if s.has_stream {
            let accessor = methods.claim("content").0;
            self.add(
                Some(id),
                Segment::Literal("$value".to_owned()),
                accessor,
                PathKind::Stream,
                Docs::default(),
            );
        }
        for p in &s.properties {
            let kind = match (p.kind, p.ty.target) {
                (
                    PropertyKind::Navigation {
                        contains_target: true,
                    },
                    Target::Named(target),
                ) if p.ty.collection => PathKind::Collection { item: target },
                (
                    PropertyKind::Navigation {
                        contains_target: true,
                    },
                    Target::Named(target),
                ) => PathKind::Entity {
                    ty: target,
                    deletable: true,
                },
                (PropertyKind::Structural, Target::Primitive(Primitive::Stream))
                    if !p.ty.collection =>
                {
                    PathKind::Stream
                }
                _ => continue,
            };
            let accessor = methods.claim(&naming::field_name(&p.name)).0;
            self.add(
                Some(id),
                Segment::Literal(p.name.clone()),
                accessor,
                kind,
                p.docs.clone(),
            );
        }
    }

    fn operation(&self, methods: &mut Scope, name: &str, kind: PathOperationKind) -> PathOperation {
        PathOperation {
            rust_name: methods.claim(name).0,
            documented: false,
            kind,
            docs: Docs::default(),
        }
    }

    /// Operations bound to `ty` (or a collection of it) or to one of its base types.
    fn bound_operations(
        &self,
        methods: &mut Scope,
        ty: TypeId,
        collection: bool,
    ) -> Vec<PathOperation> {
        let mut indices: Vec<usize> = lineage(self.model, ty)
            .into_iter()
            .filter_map(|t| self.bound.get(&(t, collection)))
            .flatten()
            .copied()
            .collect();
        // In model order, as before: names are claimed deterministically.
        indices.sort_unstable();
        indices
            .into_iter()
            .map(|index| (index, &self.model.operations[index]))
            .map(|(index, op)| PathOperation {
                rust_name: methods.claim(&op.rust_name).0,
                documented: false,
                kind: PathOperationKind::Call { operation: index },
                docs: op.docs.clone(),
            })
            .collect()
    }
}

fn lineage(model: &Model, ty: TypeId) -> Vec<TypeId> {
    let mut chain = vec![ty];
    let mut current = ty;
    while let Some(base) = model.ty(current).as_struct().and_then(|s| s.base) {
        chain.push(base);
        current = base;
    }
    chain
}

//! `--select`: the closure of what the named entry points and types reach.
//!
//! A type reached by reference brings its base types, its derived types (a value of the
//! declared type may be any of them), the targets of its properties and the operations bound to
//! it. A type reached only as a base type brings its own bases and property targets, not its
//! other derived types: selecting one entity must not pull in every type derived from `entity`.

use std::collections::BTreeSet;

use super::semantic::{SemKind, Semantic};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Target, TypeId, TypeRef};

pub struct Kept {
    pub types: Vec<bool>,
    pub operations: Vec<bool>,
    pub entry_points: Vec<bool>,
    pub imports: Vec<bool>,
}

pub fn closure(
    semantic: &Semantic,
    selection: &[String],
    diagnostics: &mut Diagnostics,
) -> Option<Kept> {
    if selection.is_empty() {
        return Some(Kept {
            types: vec![true; semantic.types.len()],
            operations: vec![true; semantic.operations.len()],
            entry_points: vec![true; semantic.entry_points.len()],
            imports: vec![true; semantic.imports.len()],
        });
    }
    let mut walk = Walk::new(semantic);
    let mut unknown = false;
    for name in selection {
        if !walk.add_root(name) {
            diagnostics.push(Diagnostic::global_error(format!(
                "--select {name}: no entity set, singleton, operation import or type has this name"
            )));
            unknown = true;
        }
    }
    if unknown {
        return None;
    }
    walk.run();
    Some(walk.kept)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// The type's values appear somewhere: all its derived types are needed too.
    Referenced,
    /// Only its properties are needed, as the base of a type that is kept.
    Base,
}

struct Walk<'s> {
    semantic: &'s Semantic,
    children: Vec<Vec<TypeId>>,
    referenced: Vec<bool>,
    kept: Kept,
    pending: Vec<(TypeId, Reach)>,
}

impl<'s> Walk<'s> {
    fn new(semantic: &'s Semantic) -> Self {
        let mut children = vec![Vec::new(); semantic.types.len()];
        for (i, t) in semantic.types.iter().enumerate() {
            if let SemKind::Struct(s) = &t.kind {
                if let Some(base) = s.base {
                    children[base.0].push(TypeId(i));
                }
            }
        }
        Walk {
            semantic,
            children,
            referenced: vec![false; semantic.types.len()],
            kept: Kept {
                types: vec![false; semantic.types.len()],
                operations: vec![false; semantic.operations.len()],
                entry_points: vec![false; semantic.entry_points.len()],
                imports: vec![false; semantic.imports.len()],
            },
            pending: Vec::new(),
        }
    }

    fn add_root(&mut self, name: &str) -> bool {
        let semantic = self.semantic;
        let mut found = false;
        for (i, e) in semantic.entry_points.iter().enumerate() {
            if e.name == name || format!("{}/{}", e.container, e.name) == name {
                self.kept.entry_points[i] = true;
                self.pending.push((e.ty, Reach::Referenced));
                found = true;
            }
        }
        for (i, import) in semantic.imports.iter().enumerate() {
            if import.name == name {
                self.kept.imports[i] = true;
                for (j, op) in semantic.operations.iter().enumerate() {
                    if op.binding.is_none()
                        && format!("{}.{}", op.namespace, op.name) == import.operation
                    {
                        self.keep_operation(j);
                    }
                }
                found = true;
            }
        }
        for (i, t) in semantic.types.iter().enumerate() {
            if t.qualified_name == name || t.name == name {
                self.pending.push((TypeId(i), Reach::Referenced));
                found = true;
            }
        }
        found
    }

    fn keep_operation(&mut self, index: usize) {
        if std::mem::replace(&mut self.kept.operations[index], true) {
            return;
        }
        let op = &self.semantic.operations[index];
        let refs = op
            .parameters
            .iter()
            .map(|p| p.ty)
            .chain(op.return_type.map(|(ty, _)| ty));
        for ty in refs.collect::<Vec<_>>() {
            self.reference(ty);
        }
    }

    fn reference(&mut self, ty: TypeRef) {
        if let Target::Named(id) = ty.target {
            self.pending.push((id, Reach::Referenced));
        }
    }

    fn run(&mut self) {
        loop {
            while let Some((id, reach)) = self.pending.pop() {
                self.visit(id, reach);
            }
            let bound: Vec<usize> = (0..self.semantic.operations.len())
                .filter(|&i| !self.kept.operations[i] && self.binding_is_kept(i))
                .collect();
            if bound.is_empty() {
                break;
            }
            for i in bound {
                self.keep_operation(i);
            }
        }
    }

    fn binding_is_kept(&self, operation: usize) -> bool {
        match self.semantic.operations[operation].binding {
            Some(TypeRef {
                target: Target::Named(id),
                ..
            }) => self.kept.types[id.0],
            _ => false,
        }
    }

    fn visit(&mut self, id: TypeId, reach: Reach) {
        let newly_kept = !std::mem::replace(&mut self.kept.types[id.0], true);
        let newly_referenced =
            reach == Reach::Referenced && !std::mem::replace(&mut self.referenced[id.0], true);
        let SemKind::Struct(s) = &self.semantic.types[id.0].kind else {
            return;
        };
        if newly_kept {
            if let Some(base) = s.base {
                self.pending.push((base, Reach::Base));
            }
            let targets: BTreeSet<TypeId> = s
                .properties
                .iter()
                .filter_map(|p| match p.ty.target {
                    Target::Named(t) => Some(t),
                    Target::Primitive(_) => None,
                })
                .collect();
            self.pending
                .extend(targets.into_iter().map(|t| (t, Reach::Referenced)));
        }
        if newly_referenced {
            let children = self.children[id.0].clone();
            self.pending
                .extend(children.into_iter().map(|c| (c, Reach::Referenced)));
        }
    }
}

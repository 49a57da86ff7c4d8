//! `--select`: the closure of what the named entry points and types reach.
//!
//! A type reached by reference brings its base types, its derived types (a value of the
//! declared type may be any of them), the targets of its structural and contained navigation
//! properties and the operations bound to it, with their parameter and return types. A type
//! reached only as a base type brings its own bases and property targets, not its other
//! derived types: selecting one entity must not pull in every type derived from `entity`.
//!
//! Navigation to another entity (not contained) is not followed, as an area's closure does not
//! follow it (see `areas`): in Microsoft Graph it reaches almost the whole service from any
//! entity set. Such a property whose target the closure does not keep otherwise is left out of
//! its struct (its JSON member is read into `additional_properties`, so nothing is lost) and
//! gets no request builder member; one warning says how many were left out, at the first.
//! [`Selection::navigation`] (`--select-navigation`) follows navigation too.

use std::collections::BTreeSet;

use super::semantic::{SemKind, SemProperty, SemType, Semantic};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{PropertyKind, Target, TypeId, TypeRef};

/// What `--select` names, and how far its closure goes.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Entity sets, singletons, operation imports and types (qualified or not); empty: the
    /// whole model.
    pub names: Vec<String>,
    /// Whether the closure follows navigation properties that are not contained.
    pub navigation: bool,
}

pub struct Kept {
    pub types: Vec<bool>,
    pub operations: Vec<bool>,
    pub entry_points: Vec<bool>,
    pub imports: Vec<bool>,
}

pub fn closure(
    semantic: &Semantic,
    selection: &Selection,
    diagnostics: &mut Diagnostics,
) -> Option<Kept> {
    if selection.names.is_empty() {
        return Some(Kept {
            types: vec![true; semantic.types.len()],
            operations: vec![true; semantic.operations.len()],
            entry_points: vec![true; semantic.entry_points.len()],
            imports: vec![true; semantic.imports.len()],
        });
    }
    let mut walk = Walk::new(semantic, selection.navigation);
    let mut unknown = false;
    for name in &selection.names {
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
    warn_left_out(semantic, &walk.kept, diagnostics);
    Some(walk.kept)
}

/// How many notes the warning about properties left out lists after its first place.
const LEFT_OUT_NOTES: usize = 3;

/// One warning, at the first property (in input order) that is not generated because the
/// closure does not keep its type (a navigation property it does not follow): how many there
/// are, where their values go and how to keep them; notes locate the next few.
fn warn_left_out(semantic: &Semantic, kept: &Kept, diagnostics: &mut Diagnostics) {
    let mut left_out: Vec<(&SemType, &SemProperty, TypeId)> = semantic
        .types
        .iter()
        .enumerate()
        .filter(|(i, _)| kept.types[*i])
        .filter_map(|(_, t)| match &t.kind {
            SemKind::Struct(s) => Some((t, s)),
            _ => None,
        })
        .flat_map(|(t, s)| s.properties.iter().map(move |p| (t, p)))
        .filter_map(|(t, p)| match p.ty.target {
            Target::Named(target) if !kept.types[target.0] => Some((t, p, target)),
            _ => None,
        })
        .collect();
    left_out.sort_by_key(|(_, p, _)| p.span);
    let Some(&(first_type, first, first_target)) = left_out.first() else {
        return;
    };
    let name = |id: TypeId| semantic.types[id.0].qualified_name.as_str();
    let subject = format!(
        "navigation property `{}` of `{}` (to `{}`) is not generated",
        first.name,
        first_type.qualified_name,
        name(first_target)
    );
    let message = match left_out.len() - 1 {
        0 => format!("{subject}: its type is not in the selection, which follows containment but not navigation to other entities; its JSON member is read into `additional_properties`. --select-navigation follows navigation too"),
        more => {
            let targets: BTreeSet<TypeId> = left_out.iter().map(|&(_, _, t)| t).collect();
            let nor = match more {
                1 => "nor is 1 more".to_owned(),
                n => format!("nor are {n} more"),
            };
            format!("{subject}, {nor}: their types ({}) are not in the selection, which follows containment but not navigation to other entities; their JSON members are read into `additional_properties`. --select-navigation follows navigation too", targets.len())
        }
    };
    let mut diagnostic = Diagnostic::warning(first.span, message);
    for &(t, p, target) in left_out.iter().skip(1).take(LEFT_OUT_NOTES) {
        diagnostic = diagnostic.with_note(
            p.span,
            format!(
                "also not generated: `{}` of `{}` (to `{}`)",
                p.name,
                t.qualified_name,
                name(target)
            ),
        );
    }
    diagnostics.push(diagnostic);
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
    /// Whether navigation that is not contained is followed (`--select-navigation`).
    navigation: bool,
    children: Vec<Vec<TypeId>>,
    referenced: Vec<bool>,
    kept: Kept,
    pending: Vec<(TypeId, Reach)>,
}

impl<'s> Walk<'s> {
    fn new(semantic: &'s Semantic, navigation: bool) -> Self {
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
            navigation,
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
            let followed = |kind: PropertyKind| match kind {
                PropertyKind::Structural => true,
                PropertyKind::Navigation { contains_target } => contains_target || self.navigation,
            };
            let targets: BTreeSet<TypeId> = s
                .properties
                .iter()
                .filter(|p| followed(p.kind))
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

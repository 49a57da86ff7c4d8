//! Areas: one cargo feature per entry point (entity set or singleton), so that a user of a
//! whole-service crate compiles only the part they call.
//!
//! An area compiles its request builders and the closure of types they need: the types its
//! paths address and its operations take and return, and from those, base types, structural
//! and contained properties. Two kinds of edge are not followed, because following them
//! reaches most of a service like Microsoft Graph from almost anywhere:
//! - navigation to another entity (not contained): the field exists only where its type is
//!   compiled, and otherwise the value is kept in `additional_properties`;
//! - derived types of an entity type that is only a property's or base type's target: the
//!   dispatch enum's variant exists only where the derived type is compiled, and otherwise the
//!   value is read as the base type with every field kept.
//!
//! Derived types are followed for what an area addresses or exchanges (so that a derived type
//! can be created where its abstract base is listed) and for complex types.

use crate::ir::*;
use crate::naming::{self, Scope};

pub fn assign(model: &mut Model) {
    model.areas = areas(model);
    if model.areas.is_empty() {
        return;
    }
    attach_paths(model);
    let mut type_gates = vec![Vec::new(); model.types.len()];
    let mut operation_gates = vec![Vec::new(); model.operations.len()];
    // One closure walk per area; the marks are reused (an area's index marks its types), so
    // the cost is the sum of the closures, not areas × types.
    let mut closure = Closure::new(model);
    for area in 0..model.areas.len() {
        for ty in closure.of(area, &mut operation_gates) {
            type_gates[ty.0].push(area);
        }
    }
    for (ty, gate) in model.types.iter_mut().zip(type_gates) {
        ty.gate = Gate(gate);
    }
    for (op, gate) in model.operations.iter_mut().zip(operation_gates) {
        op.gate = Gate(gate);
    }
    gate_members(model);
}

/// Every path belongs to the area of its root; parents come before children.
fn attach_paths(model: &mut Model) {
    let area_of_root: std::collections::HashMap<PathId, usize> = model
        .areas
        .iter()
        .enumerate()
        .map(|(index, area)| (area.root, index))
        .collect();
    for i in 0..model.paths.len() {
        let area = match model.paths[i].parent {
            Some(parent) => model.paths[parent.0].area,
            None => area_of_root[&PathId(i)],
        };
        model.paths[i].area = area;
        model.areas[area].paths.push(PathId(i));
    }
}

fn areas(model: &Model) -> Vec<Area> {
    let mut features = Scope::with_reserved(["default", "client", "dynamic", "full"]);
    // `requests/requests.rs` would repeat its parent module's name (clippy: module_inception).
    let mut modules = Scope::with_reserved(["mod", "requests"]);
    model
        .paths
        .iter()
        .filter(|p| p.parent.is_none())
        .map(|root| {
            let name = match &root.segment {
                Segment::Literal(name) => name.clone(),
                Segment::Key { name, .. } => name.clone(),
            };
            Area {
                feature: features.claim(&naming::feature_name(&name)).0,
                module: modules.claim(&naming::module_name(&name)).0,
                name,
                root: root.id,
                paths: Vec::new(),
            }
        })
        .collect()
}

struct Closure<'m> {
    model: &'m Model,
    /// For each type, 1 + the last area that compiled it (0: none yet).
    compiled: Vec<usize>,
    /// For each type, 1 + the last area that followed its derived types.
    derived_followed: Vec<usize>,
    mark: usize,
    pending: Vec<(TypeId, bool)>,
    reached: Vec<TypeId>,
}

impl<'m> Closure<'m> {
    fn new(model: &'m Model) -> Self {
        Closure {
            model,
            compiled: vec![0; model.types.len()],
            derived_followed: vec![0; model.types.len()],
            mark: 0,
            pending: Vec::new(),
            reached: Vec::new(),
        }
    }

    /// The types `area` compiles; records the operations its paths call.
    fn of(&mut self, area: usize, operation_gates: &mut [Vec<usize>]) -> Vec<TypeId> {
        let model = self.model;
        self.mark = area + 1;
        self.reached.clear();
        for &node in &model.areas[area].paths {
            let node = model.path(node);
            match node.kind {
                PathKind::Collection { item } => self.reach(item, true),
                PathKind::Entity { ty, .. } => self.reach(ty, true),
                PathKind::Stream => {}
            }
            for op in &node.operations {
                if let PathOperationKind::Call { operation } = op.kind {
                    if operation_gates[operation].last() != Some(&area) {
                        operation_gates[operation].push(area);
                    }
                    self.reach_operation(&model.operations[operation]);
                }
            }
        }
        self.run();
        let mut reached = std::mem::take(&mut self.reached);
        reached.sort_unstable();
        reached
    }

    fn reach_operation(&mut self, op: &Operation) {
        let types = op
            .parameters
            .iter()
            .map(|p| p.ty)
            .chain(op.return_type.as_ref().map(|r| r.ty))
            .chain(op.binding);
        for ty in types {
            if let Target::Named(id) = ty.target {
                self.reach(id, true);
            }
        }
    }

    fn reach(&mut self, ty: TypeId, follow_derived: bool) {
        self.pending.push((ty, follow_derived));
    }

    /// Marks `id` compiled by the current area; false if it already was.
    fn compile(&mut self, id: TypeId) -> bool {
        if self.compiled[id.0] == self.mark {
            return false;
        }
        self.compiled[id.0] = self.mark;
        self.reached.push(id);
        true
    }

    fn run(&mut self) {
        while let Some((id, follow_derived)) = self.pending.pop() {
            let ty = self.model.ty(id);
            let Some(s) = ty.as_struct() else {
                self.compile(id);
                continue;
            };
            if self.compile(id) {
                if let Some(base) = s.base {
                    self.reach(base, false);
                }
                for p in &s.properties {
                    let Target::Named(target) = p.ty.target else {
                        continue;
                    };
                    let followed = match p.kind {
                        PropertyKind::Structural => true,
                        PropertyKind::Navigation { contains_target } => contains_target,
                    };
                    if followed {
                        let complex = self
                            .model
                            .ty(target)
                            .as_struct()
                            .is_some_and(|t| t.kind == StructuredKind::Complex);
                        self.reach(target, complex);
                    }
                }
            }
            if follow_derived && self.derived_followed[id.0] != self.mark {
                self.derived_followed[id.0] = self.mark;
                for &derived in &s.derived {
                    self.reach(derived, false);
                }
            }
        }
    }
}

/// Gates on fields and dispatch variants whose types are not compiled wherever their struct is.
fn gate_members(model: &mut Model) {
    let gates: Vec<Gate> = model.types.iter().map(|t| t.gate.clone()).collect();
    let member_gate = |owner: &Gate, target: TypeId| {
        let gate = &gates[target.0];
        (!gate.covers(owner)).then(|| gate.clone())
    };
    for ty in &mut model.types {
        let owner = ty.gate.clone();
        let TypeKind::Struct(s) = &mut ty.kind else {
            continue;
        };
        for p in &mut s.properties {
            if let Target::Named(target) = p.ty.target {
                p.gate = member_gate(&owner, target);
            }
        }
        if let Some(dispatch) = &mut s.dispatch {
            for variant in &mut dispatch.variants {
                variant.gate = member_gate(&owner, variant.ty);
            }
        }
    }
}

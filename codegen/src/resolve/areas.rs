//! Areas: one cargo feature per root of the URL model (entity set, singleton, operation
//! import), so that a user of a whole-service crate compiles only the part they call.
//!
//! An area compiles the closure of types its root reaches: the types it addresses (the entry
//! point's type, what containment reaches from it, their derived types) with the operations
//! bound to them, the types those operations take and return, and from those, base types,
//! structural and contained properties. Request builders are compiled with their type; a
//! builder's member that reaches a type the builder's areas do not compile has its own gate. Two kinds of edge are not followed, because following them
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
use super::naming::{self, Scope};

pub fn assign(model: &mut Model) {
    model.areas = areas(model);
    if model.areas.is_empty() {
        return;
    }
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
        ty.gate = Gate(gate.into_iter().map(AreaId).collect());
    }
    for (op, gate) in model.operations.iter_mut().zip(operation_gates) {
        op.gate = Gate(gate.into_iter().map(AreaId).collect());
    }
    gate_members(model);
    gate_builder_members(model);
}

fn areas(model: &Model) -> Vec<Area> {
    let mut features = Scope::with_reserved(["default", "client", "dynamic", "full"]);
    model
        .resources
        .roots
        .iter()
        .enumerate()
        .map(|(index, root)| Area {
            feature: features.claim(&naming::feature_name(&root.name)).0,
            name: root.name.clone(),
            root: index,
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
    /// Operations by binding type (single or collection).
    bound: std::collections::HashMap<(TypeId, bool), Vec<OperationId>>,
    /// For each type, 1 + the last area that addressed it.
    addressed: Vec<usize>,
    area: usize,
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
            bound: model.bound_operations(),
            addressed: vec![0; model.types.len()],
            area: 0,
        }
    }

    /// The types `area` compiles; records the operations it reaches.
    fn of(&mut self, area: usize, operation_gates: &mut [Vec<usize>]) -> Vec<TypeId> {
        let model = self.model;
        self.mark = area + 1;
        self.area = area;
        self.reached.clear();
        match &model.resources.roots[model.areas[area].root].kind {
            RootKind::EntryPoint { entry_point, .. } => {
                self.address(model.entry_points[*entry_point].ty, operation_gates)
            }
            RootKind::Import {
                operation,
                continues,
                ..
            } => {
                self.call(*operation, operation_gates);
                if let Some(builder) = continues {
                    let ty = model.resources.builder(*builder).kind.ty();
                    self.address(ty, operation_gates);
                }
            }
        }
        self.run();
        let mut reached = std::mem::take(&mut self.reached);
        reached.sort_unstable();
        reached
    }

    fn call(&mut self, operation: OperationId, operation_gates: &mut [Vec<usize>]) {
        if operation_gates[operation.0].last() != Some(&self.area) {
            operation_gates[operation.0].push(self.area);
            self.reach_operation(self.model.operation(operation));
        }
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

impl Closure<'_> {
    /// A type the area addresses (its entry point's, or one containment reaches from it): it is
    /// compiled with its derived types, and the operations bound to it (or its bases) and
    /// what it contains are addressed too.
    fn address(&mut self, id: TypeId, operation_gates: &mut [Vec<usize>]) {
        if self.addressed[id.0] == self.mark {
            return;
        }
        self.addressed[id.0] = self.mark;
        self.reach(id, true);
        let model = self.model;
        for ty in model.lineage(id) {
            for collection in [false, true] {
                for operation in self
                    .bound
                    .get(&(ty, collection))
                    .cloned()
                    .unwrap_or_default()
                {
                    self.call(operation, operation_gates);
                }
            }
        }
        let Some(s) = model.ty(id).as_struct() else {
            return;
        };
        for p in &s.properties {
            let Target::Named(target) = p.ty.target else {
                continue;
            };
            match p.kind {
                PropertyKind::Navigation {
                    contains_target: true,
                } => self.address(target, operation_gates),
                // A complex property's builder offers the operations bound to its type.
                PropertyKind::Structural
                    if !p.ty.collection
                        && model
                            .ty(target)
                            .as_struct()
                            .is_some_and(|t| t.kind == StructuredKind::Complex) =>
                {
                    self.address(target, operation_gates)
                }
                _ => {}
            }
        }
    }
}

/// The gate a member needs of its own: what it reaches (`needed`), when that is compiled by
/// fewer areas than its owner.
fn needs_own_gate(needed: &Gate, owner: &Gate) -> Option<Gate> {
    (!needed.covers(owner)).then(|| needed.clone())
}

/// Gates on builder members whose targets are not compiled wherever their builder is.
fn gate_builder_members(model: &mut Model) {
    let type_gates: Vec<Gate> = model.types.iter().map(|t| t.gate.clone()).collect();
    let builder_gates: Vec<Gate> = model
        .resources
        .builders
        .iter()
        .map(|b| type_gates[b.kind.ty().0].clone())
        .collect();
    let operation_gates: Vec<Gate> = model.operations.iter().map(|o| o.gate.clone()).collect();
    for builder in &mut model.resources.builders {
        let owner = &builder_gates[builder.id.0];
        for member in &mut builder.members {
            let needed = match &member.kind {
                MemberKind::Navigation { target, .. }
                | MemberKind::ComplexProperty { target, .. }
                | MemberKind::Cast { target, .. } => &builder_gates[target.0],
                MemberKind::Call { operation, .. } => &operation_gates[operation.0],
                MemberKind::Property {
                    ty: TypeRef {
                        target: Target::Named(target),
                        ..
                    },
                    ..
                } => &type_gates[target.0],
                _ => continue,
            };
            member.gate = needs_own_gate(needed, owner);
        }
    }
}

/// Gates on fields and dispatch variants whose types are not compiled wherever their struct is.
fn gate_members(model: &mut Model) {
    let gates: Vec<Gate> = model.types.iter().map(|t| t.gate.clone()).collect();
    let member_gate = |owner: &Gate, target: TypeId| needs_own_gate(&gates[target.0], owner);
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

//! Inheritance: cycles of base types, chains too deep, and properties a derived type
//! redeclares.

use super::*;

impl Analyzer<'_, '_> {
    /// Rejects cyclic base types and properties that repeat an inherited one.
    pub(super) fn check_inheritance(&mut self, types: &mut [SemType]) {
        let mut cyclic = self.report_cycles(types);
        let too_deep = self.report_deep_chains(types, &cyclic);
        cyclic.extend(too_deep);
        for id in (0..types.len()).filter(|id| !cyclic.contains(id)) {
            let mut ancestor = base_of(types, id);
            while let Some(base) = ancestor {
                self.check_redeclared(types, id, base);
                ancestor = base_of(types, base.0);
            }
        }
        // Later stages walk base chains: cut cycles and overlong chains so that every walk ends
        // soon (flattening inherited properties costs depth × properties).
        for id in cyclic {
            if let SemKind::Struct(s) = &mut types[id].kind {
                s.base = None;
            }
        }
    }

    /// Reports every cycle of base types (once) and returns the types on a
    /// cycle or leading into one. Each type has at most one base, so one walk per type, each
    /// stopping at a type already seen, finds them all in linear time.
    pub(super) fn report_cycles(&mut self, types: &[SemType]) -> BTreeSet<usize> {
        const UNSEEN: u8 = 0;
        const ON_WALK: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![UNSEEN; types.len()];
        let mut cyclic = BTreeSet::new();
        for start in 0..types.len() {
            let mut walk = Vec::new();
            let mut current = Some(start);
            let mut leads_to_cycle = false;
            while let Some(id) = current {
                match state[id] {
                    DONE => {
                        leads_to_cycle = cyclic.contains(&id);
                        break;
                    }
                    ON_WALK => {
                        let first = walk.iter().position(|&w| w == id).unwrap_or(0);
                        // Reported once, from the member the walk entered the cycle by.
                        let cycle = &walk[first..];
                        let names: Vec<&str> = cycle
                            .iter()
                            .chain(&cycle[..1])
                            .map(|&t: &usize| types[t].qualified_name.as_str())
                            .collect();
                        let base_span = self.base_span(TypeId(cycle[0]));
                        self.diagnostics.error(
                            base_span,
                            format!("cyclic base types: {}", names.join(" → ")),
                        );
                        leads_to_cycle = true;
                        break;
                    }
                    _ => {
                        state[id] = ON_WALK;
                        walk.push(id);
                        current = base_of(types, id).map(|b| b.0);
                    }
                }
            }
            for &id in &walk {
                state[id] = DONE;
                if leads_to_cycle {
                    cyclic.insert(id);
                }
            }
        }
        cyclic
    }

    /// Reports types with more than [`MAX_INHERITANCE_DEPTH`] base types (once per chain, at the
    /// first such type) and returns every such type.
    pub(super) fn report_deep_chains(&mut self, types: &[SemType], cyclic: &BTreeSet<usize>) -> Vec<usize> {
        let mut depth: Vec<Option<usize>> = vec![None; types.len()];
        let mut too_deep = Vec::new();
        for start in (0..types.len()).filter(|id| !cyclic.contains(id)) {
            let mut chain = Vec::new();
            let mut current = Some(start);
            while let Some(id) = current {
                if depth[id].is_some() {
                    break;
                }
                chain.push(id);
                current = base_of(types, id).map(|b| b.0);
            }
            let mut d = current.and_then(|id| depth[id]).unwrap_or(0);
            for &id in chain.iter().rev() {
                d += 1;
                depth[id] = Some(d);
                // `d` counts the type itself; the limit is on its base types.
                if d == MAX_INHERITANCE_DEPTH + 2 {
                    let base_span = self.base_span(TypeId(id));
                    self.diagnostics.error(
                        base_span,
                        format!(
                            "`{}` has more than {MAX_INHERITANCE_DEPTH} base types in a chain",
                            types[id].qualified_name
                        ),
                    );
                }
                if d > MAX_INHERITANCE_DEPTH + 1 {
                    too_deep.push(id);
                }
            }
        }
        too_deep
    }

    pub(super) fn check_redeclared(&mut self, types: &[SemType], id: usize, ancestor: TypeId) {
        let (SemKind::Struct(derived), SemKind::Struct(base)) =
            (&types[id].kind, &types[ancestor.0].kind)
        else {
            return;
        };
        for p in &derived.properties {
            if base.properties.iter().any(|b| b.name == p.name) {
                self.diagnostics.error(
                    p.span,
                    format!(
                        "property `{}` is already declared by base type `{}`",
                        p.name, types[ancestor.0].qualified_name
                    ),
                );
            }
        }
    }
}

/// The most base types a type may have (its chain of `BaseType`s). Microsoft Graph's deepest is 5; every level
/// copies the inherited properties into the derived struct, so depth multiplies the output.
const MAX_INHERITANCE_DEPTH: usize = 32;

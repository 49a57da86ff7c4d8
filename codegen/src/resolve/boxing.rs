//! Which properties must be boxed: a struct that contains itself, directly or through other
//! structs, by single (non-collection) values would have infinite size.
//!
//! Edges through `Vec` or through a dispatch enum (whose variants are boxed) are already
//! indirect; the remaining "inline" edges are boxed when both ends are in one strongly
//! connected component. Tarjan's algorithm runs with an explicit stack, so no input can
//! overflow the call stack.

use crate::ir::{Target, TypeDef, TypeId, TypeKind};

pub fn box_recursive_properties(types: &mut [TypeDef]) {
    let edges: Vec<Vec<usize>> = types.iter().map(|t| inline_edges(types, t)).collect();
    let component = strongly_connected_components(&edges);
    for (i, t) in types.iter_mut().enumerate() {
        let TypeKind::Struct(s) = &mut t.kind else {
            continue;
        };
        for p in &mut s.properties {
            if let Some(target) = inline_target(&p.ty) {
                p.boxed = edges[i].contains(&target) && component[target] == component[i];
            }
        }
    }
    box_alike_in_hierarchies(types);

    fn inline_target(ty: &crate::ir::TypeRef) -> Option<usize> {
        match ty.target {
            Target::Named(TypeId(id)) if !ty.collection => Some(id),
            _ => None,
        }
    }

    fn inline_edges(types: &[TypeDef], t: &TypeDef) -> Vec<usize> {
        let Some(s) = t.as_struct() else {
            return Vec::new();
        };
        s.properties
            .iter()
            .filter_map(|p| inline_target(&p.ty))
            .filter(|&target| {
                types[target]
                    .as_struct()
                    .is_some_and(|s| s.dispatch.is_none())
            })
            .collect()
    }
}

/// A derived struct holds its base types' properties as its own fields, and the base's `Any…`
/// dispatch enum reads them through one accessor for every variant: an inherited property is
/// boxed in the whole hierarchy when it is boxed in one type of it (a cycle may go through a
/// derived type and not through its base).
fn box_alike_in_hierarchies(types: &mut [TypeDef]) {
    use std::collections::HashSet;
    // The type that declares `name` for `id`: the farthest base type that has it (chains are
    // cut before this stage; the walk is bounded all the same).
    let declaring = |types: &[TypeDef], id: usize, name: &str| {
        let mut found = id;
        let mut current = types[id].as_struct().and_then(|s| s.base);
        let mut steps = 0;
        while let Some(TypeId(b)) = current {
            steps += 1;
            if steps > types.len() {
                break;
            }
            let Some(s) = types[b].as_struct() else {
                break;
            };
            if s.properties.iter().any(|p| p.name == name) {
                found = b;
            }
            current = s.base;
        }
        found
    };
    let mut boxed: HashSet<(usize, String)> = HashSet::new();
    for id in 0..types.len() {
        let Some(s) = types[id].as_struct() else {
            continue;
        };
        for p in s.properties.iter().filter(|p| p.boxed) {
            boxed.insert((declaring(types, id, &p.name), p.name.clone()));
        }
    }
    if boxed.is_empty() {
        return;
    }
    for id in 0..types.len() {
        let Some(s) = types[id].as_struct() else {
            continue;
        };
        let more: Vec<usize> = s
            .properties
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.boxed && !p.ty.collection)
            .filter(|(_, p)| boxed.contains(&(declaring(types, id, &p.name), p.name.clone())))
            .map(|(i, _)| i)
            .collect();
        if let TypeKind::Struct(s) = &mut types[id].kind {
            for i in more {
                s.properties[i].boxed = true;
            }
        }
    }
}

/// Component index of every node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNVISITED; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // (node, position in its edge list)
        let mut work = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut position)) = work.last_mut() {
            if let Some(&next) = edges[node].get(*position) {
                *position += 1;
                if index[next] == UNVISITED {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected_components;

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let c = strongly_connected_components(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
    }
}

//! Navigation property bindings (OData CSDL XML and JSON 4.01 §13.4): each `Path` names a
//! navigation property reached from its entity set's (or singleton's) entity type, and each
//! `Target` an entity set or singleton. The generator does not use bindings, but one that
//! names nothing is an error of the metadata: it is reported where it is written.

use super::*;

/// An entity set or singleton: where it is declared and its entity type.
struct EntryPoint {
    ty: Option<TypeId>,
}

impl Analyzer<'_, '_> {
    /// Resolves the `Path` and `Target` of every `NavigationPropertyBinding`.
    pub(super) fn check_bindings(&mut self, types: &[SemType]) {
        let symbols = self.symbols;
        // Every container's entity sets and singletons, by `Namespace.Container`.
        let mut containers: HashMap<String, HashMap<&str, EntryPoint>> = HashMap::new();
        for (namespace, schemas) in &symbols.namespaces {
            for &(document, schema) in schemas {
                for container in &schema.containers {
                    let sets = containers
                        .entry(format!("{namespace}.{}", container.name.text))
                        .or_default();
                    for set in container.entity_sets.iter().chain(&container.singletons) {
                        let ty = symbols.type_id_in(document, set.type_name.text.trim());
                        sets.insert(set.name.text.as_str(), EntryPoint { ty });
                    }
                }
            }
        }
        for (namespace, schemas) in &symbols.namespaces {
            for &(document, schema) in schemas {
                for container in &schema.containers {
                    let own = format!("{namespace}.{}", container.name.text);
                    for set in container.entity_sets.iter().chain(&container.singletons) {
                        let Some(ty) = symbols.type_id_in(document, set.type_name.text.trim()) else {
                            continue; // reported with the entity set
                        };
                        for binding in &set.navigation_bindings {
                            if let Err(message) = self.binding_path(types, document, ty, &binding.path.text) {
                                self.diagnostics.error(
                                    binding.path.span,
                                    format!(
                                        "NavigationPropertyBinding of `{}`: Path `{}` {message} (CSDL 4.01 §13.4.1)",
                                        set.name.text, binding.path.text
                                    ),
                                );
                            }
                            if let Err(message) = self.binding_target(types, &containers, document, &own, &binding.target.text) {
                                self.diagnostics.error(
                                    binding.target.span,
                                    format!(
                                        "NavigationPropertyBinding of `{}`: Target `{}` {message} (CSDL 4.01 §13.4.2)",
                                        set.name.text, binding.target.text
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// Walks a binding path from the entity type: properties (declared or inherited) and type
    /// casts to a derived type; the last segment must be a navigation property.
    fn binding_path(&self, types: &[SemType], document: usize, from: TypeId, path: &str) -> Result<(), String> {
        let mut current = from;
        let segments: Vec<&str> = path.split('/').collect();
        for (index, segment) in segments.iter().enumerate() {
            let last = index + 1 == segments.len();
            if segment.contains('.') {
                let Some(cast) = self.symbols.type_id_in(document, segment) else {
                    return Err(format!("casts to `{segment}`, which is no type of the model"));
                };
                if !lineage_of(types, cast).contains(&current) {
                    return Err(format!(
                        "casts to `{segment}`, which does not derive from `{}`",
                        types[current.0].qualified_name
                    ));
                }
                if last {
                    return Err("ends with a type cast, not a navigation property".to_owned());
                }
                current = cast;
                continue;
            }
            let Some(property) = declared_property(types, current, segment) else {
                return Err(format!(
                    "names `{segment}`, which is no property of `{}`",
                    types[current.0].qualified_name
                ));
            };
            let navigation = matches!(property.kind, PropertyKind::Navigation { .. });
            if last {
                return match navigation {
                    true => Ok(()),
                    false => Err(format!("ends with `{segment}`, a structural property, not a navigation property")),
                };
            }
            match property.ty.target {
                Target::Named(next) if matches!(types[next.0].kind, SemKind::Struct(_)) => current = next,
                _ => return Err(format!("goes on after `{segment}`, which has no properties")),
            }
        }
        Ok(())
    }

    /// Resolves a binding target: `set`, `Namespace.Container/set` (alias-qualified too), each
    /// possibly followed by containment navigation properties.
    fn binding_target(
        &self,
        types: &[SemType],
        containers: &HashMap<String, HashMap<&str, EntryPoint>>,
        document: usize,
        own: &str,
        target: &str,
    ) -> Result<(), String> {
        let mut segments = target.split('/');
        let first = segments.next().unwrap_or_default();
        let (container, set_name) = if first.contains('.') {
            let qualified = self.symbols.qualify(first);
            let Some(container) = containers.get(&qualified) else {
                return Err(format!("names the container `{first}`, which is not in the model"));
            };
            (container, segments.next().unwrap_or_default())
        } else {
            match containers.get(own) {
                Some(container) => (container, first),
                None => return Ok(()),
            }
        };
        let Some(entry) = container.get(set_name) else {
            return Err(format!("names `{set_name}`, which is no entity set or singleton of its container"));
        };
        let Some(mut current) = entry.ty else {
            return Ok(()); // its type's error is reported with the entity set
        };
        for segment in segments {
            // A type cast: to a derived type, the walk goes on from it. Microsoft Graph writes
            // the type of the navigation property that follows instead (`directory/
            // microsoft.graph.entraRecoveryServices.recovery/recovery/jobs`): a cast to a type
            // that does not derive from the current one is accepted and the walk goes on from
            // the current type.
            if segment.contains('.') {
                match self.symbols.type_id_in(document, segment) {
                    Some(cast) if lineage_of(types, cast).contains(&current) => current = cast,
                    Some(_) => {}
                    None => return Err(format!("casts to `{segment}`, which is no type of the model")),
                }
                continue;
            }
            match declared_property(types, current, segment) {
                Some(SemProperty { kind: PropertyKind::Navigation { .. }, ty: TypeRef { target: Target::Named(next), .. }, .. }) => {
                    current = *next;
                }
                _ => {
                    return Err(format!(
                        "goes on with `{segment}`, which is no navigation property of `{}`",
                        types[current.0].qualified_name
                    ))
                }
            }
        }
        Ok(())
    }
}

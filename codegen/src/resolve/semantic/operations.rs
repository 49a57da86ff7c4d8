//! Operations (bound and unbound actions and functions), entity containers (entity sets,
//! singletons, operation imports) and namespaces.

use super::*;

impl Analyzer<'_, '_> {
    pub(super) fn operations_and_containers(
        &mut self,
    ) -> (Vec<SemOperation>, Vec<SemEntryPoint>, Vec<SemImport>) {
        let mut operations = Vec::new();
        let mut entry_points = Vec::new();
        let mut imports = Vec::new();
        let symbols = self.symbols;
        for (namespace, schemas) in &symbols.namespaces {
            for &(document, schema) in schemas {
                for operation in &schema.operations {
                    if let Some(op) = self.operation(namespace, document, operation) {
                        operations.push(op);
                    }
                }
                for container in &schema.containers {
                    self.container(
                        namespace,
                        document,
                        container,
                        &mut entry_points,
                        &mut imports,
                    );
                }
            }
        }
        operations
            .sort_by(|a, b| (&a.namespace, &a.name, a.span).cmp(&(&b.namespace, &b.name, b.span)));
        entry_points.sort_by(|a, b| (&a.name, &a.container).cmp(&(&b.name, &b.container)));
        imports.sort_by(|a, b| (&a.name, &a.container).cmp(&(&b.name, &b.container)));
        (operations, entry_points, imports)
    }

    pub(super) fn operation(
        &mut self,
        namespace: &str,
        document: usize,
        op: &csdl::Operation,
    ) -> Option<SemOperation> {
        if !crate::csdl::valid_simple_identifier(&op.name.text) {
            self.diagnostics.error(
                op.name.span,
                format!("`{}` is not a valid operation name", op.name.text),
            );
            return None;
        }
        let mut parameters = Vec::new();
        let mut seen = HashMap::new();
        let mut ok = true;
        for p in &op.parameters {
            if !self.unique_member(&mut seen, &p.name, "parameter") {
                ok = false;
                continue;
            }
            match self
                .symbols
                .type_ref(document, &p.type_name, self.diagnostics)
            {
                Some(ty) => parameters.push(SemParameter {
                    name: p.name.text.clone(),
                    ty,
                    nullable: p.nullable.unwrap_or(true),
                    docs: self.docs(document, &p.annotations, ""),
                }),
                None => ok = false,
            }
        }
        let return_type = match &op.return_type {
            Some(r) => match self
                .symbols
                .type_ref(document, &r.type_name, self.diagnostics)
            {
                Some(ty) => Some((ty, r.nullable.unwrap_or(true))),
                None => return None,
            },
            None => None,
        };
        if op.kind == OperationKind::Function && return_type.is_none() {
            self.diagnostics.error(
                op.span,
                format!("function `{}` has no ReturnType", op.name.text),
            );
            return None;
        }
        if !ok {
            return None;
        }
        let binding = if op.is_bound {
            if parameters.is_empty() {
                self.diagnostics.error(
                    op.span,
                    format!(
                        "bound operation `{}` has no binding parameter",
                        op.name.text
                    ),
                );
                return None;
            }
            Some(parameters.remove(0).ty)
        } else {
            None
        };
        let qualified = format!("{namespace}.{}", op.name.text);
        Some(SemOperation {
            kind: op.kind,
            namespace: namespace.to_owned(),
            name: op.name.text.clone(),
            binding,
            parameters,
            return_type,
            is_composable: op.is_composable,
            docs: self.docs(document, &op.annotations, &qualified),
            span: op.span,
        })
    }

    pub(super) fn container(
        &mut self,
        namespace: &str,
        document: usize,
        container: &csdl::EntityContainer,
        entry_points: &mut Vec<SemEntryPoint>,
        imports: &mut Vec<SemImport>,
    ) {
        let container_name = format!("{namespace}.{}", container.name.text);
        let sets = container
            .entity_sets
            .iter()
            .map(|s| (EntryPointKind::EntitySet, s));
        let singletons = container
            .singletons
            .iter()
            .map(|s| (EntryPointKind::Singleton, s));
        let mut seen = HashMap::new();
        for (kind, set) in sets.chain(singletons) {
            // The name is a URL segment: anything but an identifier could change the path.
            if !set.name.text.is_empty() && !crate::csdl::valid_simple_identifier(&set.name.text) {
                self.diagnostics.error(
                    set.name.span,
                    format!(
                        "`{}` is not a valid entity set or singleton name",
                        set.name.text
                    ),
                );
                continue;
            }
            if !self.unique_member(&mut seen, &set.name, "entity set or singleton") {
                continue;
            }
            let Some(ty) = self
                .symbols
                .type_ref(document, &set.type_name, self.diagnostics)
            else {
                continue;
            };
            let entity = match ty.target {
                Target::Named(id) if !ty.collection && self.is_entity(ty.target) => id,
                _ => {
                    self.diagnostics.error(
                        set.type_name.span,
                        format!("`{}` is not an entity type", set.type_name.text),
                    );
                    continue;
                }
            };
            entry_points.push(SemEntryPoint {
                kind,
                container: container_name.clone(),
                name: set.name.text.clone(),
                ty: entity,
                navigation_bindings: set
                    .navigation_bindings
                    .iter()
                    .map(|b| (b.path.text.clone(), b.target.text.clone()))
                    .collect(),
                docs: self.docs(
                    document,
                    &set.annotations,
                    &format!("{container_name}/{}", set.name.text),
                ),
                span: set.span,
            });
        }
        let actions = container
            .action_imports
            .iter()
            .map(|i| (OperationKind::Action, i));
        let functions = container
            .function_imports
            .iter()
            .map(|i| (OperationKind::Function, i));
        for (kind, import) in actions.chain(functions) {
            imports.push(SemImport {
                kind,
                container: container_name.clone(),
                name: import.name.text.clone(),
                operation: self.symbols.qualify(&import.operation.text),
                entity_set: import.entity_set.clone(),
                docs: self.docs(
                    document,
                    &import.annotations,
                    &format!("{container_name}/{}", import.name.text),
                ),
                span: import.span,
            });
        }
    }

    pub(super) fn namespaces(&mut self) -> Vec<SemNamespace> {
        let symbols = self.symbols;
        symbols
            .namespaces
            .iter()
            .map(|(name, schemas)| {
                let mut docs = Docs::default();
                for &(document, schema) in schemas {
                    self.apply_annotations(document, &schema.annotations, &mut docs);
                }
                SemNamespace {
                    name: name.clone(),
                    alias: schemas
                        .iter()
                        .find_map(|(_, s)| s.alias.as_ref().map(|a| a.text.clone())),
                    docs,
                    span: schemas[0].1.span,
                }
            })
            .collect()
    }
}

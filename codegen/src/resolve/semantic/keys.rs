//! Keys (OData CSDL XML 4.01 §6.5): every key property reference names a single-valued
//! structural property, declared or inherited, of a type a key may have.

use super::*;

impl Analyzer<'_, '_> {
    /// Every `PropertyRef` of every `Key` names a single-valued structural property of a
    /// primitive or enumeration type (through single-valued complex properties for a path such
    /// as `address/city`), declared by the type or a base type.
    pub(super) fn check_keys(&mut self, types: &[SemType]) {
        let symbols = self.symbols;
        for (index, entry) in symbols.types.iter().enumerate() {
            let Declaration::Structured(t) = entry.declaration else {
                continue;
            };
            for property_ref in &t.key {
                match self.key_property(types, TypeId(index), &property_ref.text) {
                    Err(Some(message)) => self.diagnostics.error(
                        property_ref.span,
                        format!(
                            "key `{}` of `{}`: {message}",
                            property_ref.text, entry.qualified_name
                        ),
                    ),
                    Err(None) => {}
                    Ok(property) => {
                        for doubt in key_doubts(types, property) {
                            self.diagnostics.warning(
                                property_ref.span,
                                format!(
                                    "key `{}` of `{}`: {doubt} (CSDL 4.01 §6.5); generating it anyway",
                                    property_ref.text, entry.qualified_name
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Walks a key's property path from `owner`. `Err(None)` when a property on the way did
    /// not resolve (its error is already reported).
    pub(super) fn key_property<'t>(
        &self,
        types: &'t [SemType],
        owner: TypeId,
        path: &str,
    ) -> Result<&'t SemProperty, Option<String>> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut current = owner;
        for (i, segment) in segments.iter().enumerate() {
            let Some(property) = declared_property(types, current, segment) else {
                if self.declares_property(types, current, segment) {
                    return Err(None);
                }
                return Err(Some(format!(
                    "`{}` has no property `{segment}`",
                    types[current.0].qualified_name
                )));
            };
            if let PropertyKind::Navigation { .. } = property.kind {
                return Err(Some(format!(
                    "`{segment}` is a navigation property; a key names structural properties"
                )));
            }
            if property.ty.collection {
                return Err(Some(format!(
                    "`{segment}` is collection-valued; a key property has a single value"
                )));
            }
            let is_last = i + 1 == segments.len();
            match (property.ty.target, is_last) {
                (target, true) if self.can_be_key(types, target) => return Ok(property),
                (Target::Named(id), false) if self.is_complex(id) => current = id,
                (_, false) => {
                    return Err(Some(format!(
                        "`{segment}` is not a complex property, so the path cannot go on"
                    )))
                }
                (_, true) => {
                    return Err(Some(format!(
                        "`{segment}` is not of a primitive or enumeration type a key can have"
                    )))
                }
            }
        }
        // Every path has a last segment, which returns above.
        Err(Some("the key path is empty".to_owned()))
    }

    pub(super) fn is_complex(&self, id: TypeId) -> bool {
        matches!(
            self.symbols.entry(id).declaration,
            Declaration::Structured(s) if s.kind == StructuredKind::Complex
        )
    }

    /// Key properties are primitive (not abstract, a stream or spatial), enumerations, or
    /// type definitions of such primitives.
    pub(super) fn can_be_key(&self, types: &[SemType], target: Target) -> bool {
        let primitive = match target {
            Target::Primitive(p) => p,
            Target::Named(id) => match &types[id.0].kind {
                SemKind::Enum(_) => return true,
                SemKind::Alias(p) => *p,
                SemKind::Struct(_) => return false,
            },
        };
        !matches!(
            primitive,
            Primitive::Untyped | Primitive::Stream | Primitive::Spatial
        )
    }

    /// Whether the CSDL of `id` or a base type declares a property of this name (one that may
    /// have failed to resolve).
    pub(super) fn declares_property(&self, types: &[SemType], id: TypeId, name: &str) -> bool {
        lineage_of(types, id).into_iter().any(|ancestor| {
            match self.symbols.entry(ancestor).declaration {
                Declaration::Structured(t) => {
                    t.properties.iter().any(|p| p.name.text == name)
                        || t.navigation_properties.iter().any(|n| n.name.text == name)
                }
                _ => false,
            }
        })
    }

    pub(super) fn base_span(&self, id: TypeId) -> Span {
        match self.symbols.entry(id).declaration {
            Declaration::Structured(t) => t.base_type.as_ref().map_or(t.span, |b| b.span),
            _ => self.symbols.entry(id).declaration.name().span,
        }
    }
}

/// What CSDL 4.01 §6.5 rules out for a key property that is still usable: a nullable one, or
/// one of a primitive type outside its list (`Binary`, `Single`, `Double`).
fn key_doubts(types: &[SemType], property: &SemProperty) -> Vec<String> {
    let mut doubts = Vec::new();
    if property.nullable {
        doubts.push("a key property must not be nullable (add `Nullable=\"false\"`)".to_owned());
    }
    let primitive = match property.ty.target {
        Target::Primitive(p) => Some(p),
        Target::Named(id) => match &types[id.0].kind {
            SemKind::Alias(p) => Some(*p),
            _ => None,
        },
    };
    if let Some(p @ (Primitive::Binary | Primitive::Single | Primitive::Double)) = primitive {
        doubts.push(format!(
            "`Edm.{p:?}` is not among the types a key property may have"
        ));
    }
    doubts
}

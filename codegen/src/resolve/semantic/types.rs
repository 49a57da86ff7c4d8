//! Types and their members: structured types (properties resolved, facets, what a
//! property's type may be), enum types (member values checked against the underlying type),
//! and type definitions.

use super::*;

impl Analyzer<'_, '_> {
    pub(super) fn semantic_type(&mut self, id: TypeId) -> SemType {
        let entry = self.symbols.entry(id);
        let (span, annotations) = match entry.declaration {
            Declaration::Structured(t) => (t.span, &t.annotations),
            Declaration::Enum(t) => (t.span, &t.annotations),
            Declaration::Definition(t) => (t.span, &t.annotations),
        };
        let docs = self.docs(entry.document, annotations, &entry.qualified_name);
        let kind = match entry.declaration {
            Declaration::Structured(t) => {
                SemKind::Struct(self.structure(t, entry.document, &entry.qualified_name))
            }
            Declaration::Enum(t) => {
                SemKind::Enum(self.enumeration(t, entry.document, &entry.qualified_name))
            }
            Declaration::Definition(t) => SemKind::Alias(self.definition(t)),
        };
        SemType {
            namespace: entry.namespace.clone(),
            name: entry.declaration.name().text.clone(),
            qualified_name: entry.qualified_name.clone(),
            span,
            docs,
            kind,
        }
    }

    pub(super) fn structure(
        &mut self,
        t: &csdl::StructuredType,
        document: usize,
        qualified: &str,
    ) -> SemStruct {
        let base = t
            .base_type
            .as_ref()
            .and_then(|base| self.base_type(document, base, t.kind));
        let mut properties = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for p in &t.properties {
            if !self.unique_member(&mut seen, &p.name, "property") {
                continue;
            }
            let Some(ty) = self
                .symbols
                .type_ref(document, &p.type_name, self.diagnostics)
            else {
                continue;
            };
            if is_abstract_entity(&p.type_name.text) {
                self.diagnostics.error(
                    p.type_name.span,
                    format!("structural property `{}` cannot have the abstract type `{}`: use a NavigationProperty", p.name.text, p.type_name.text),
                );
                continue;
            }
            if self.is_entity(ty.target) {
                self.diagnostics.error(
                    p.type_name.span,
                    format!("structural property `{}` cannot have entity type `{}`: use a NavigationProperty", p.name.text, p.type_name.text),
                );
                continue;
            }
            self.check_values(p, ty);
            properties.push(SemProperty {
                name: p.name.text.clone(),
                span: p.span,
                ty,
                nullable: p.nullable.unwrap_or(true),
                kind: PropertyKind::Structural,
                docs: self.docs(
                    document,
                    &p.annotations,
                    &format!("{qualified}/{}", p.name.text),
                ),
                facets: Facets {
                    max_length: p.max_length.clone(),
                    precision: p.precision.clone(),
                    scale: p.scale.clone(),
                    default_value: p.default_value.clone(),
                },
            });
        }
        for n in &t.navigation_properties {
            if !self.unique_member(&mut seen, &n.name, "property") {
                continue;
            }
            let Some(ty) = self
                .symbols
                .type_ref(document, &n.type_name, self.diagnostics)
            else {
                continue;
            };
            if is_abstract_entity(&n.type_name.text) {
                self.diagnostics.warning(
                    n.type_name.span,
                    format!(
                        "navigation property `{}` has the abstract type `{}`: its value (any entity) is kept as JSON; no request builder navigates it",
                        n.name.text, n.type_name.text
                    ),
                );
            } else if !self.is_entity(ty.target) {
                self.diagnostics.error(
                    n.type_name.span,
                    format!(
                        "navigation property `{}` must have an entity type, not `{}`",
                        n.name.text, n.type_name.text
                    ),
                );
                continue;
            }
            properties.push(SemProperty {
                name: n.name.text.clone(),
                span: n.span,
                ty,
                nullable: n.nullable.unwrap_or(true),
                kind: PropertyKind::Navigation {
                    contains_target: n.contains_target,
                },
                docs: self.docs(
                    document,
                    &n.annotations,
                    &format!("{qualified}/{}", n.name.text),
                ),
                facets: Facets::default(),
            });
        }
        SemStruct {
            kind: t.kind,
            is_abstract: t.is_abstract,
            is_open: t.open_type,
            has_stream: t.has_stream,
            base,
            key: t.key.iter().map(|k| k.text.clone()).collect(),
            properties,
        }
    }

    pub(super) fn is_entity(&self, target: Target) -> bool {
        match target {
            Target::Named(id) => matches!(
                self.symbols.entry(id).declaration,
                Declaration::Structured(s) if s.kind == StructuredKind::Entity
            ),
            Target::Primitive(_) => false,
        }
    }

    pub(super) fn unique_member<'n>(
        &mut self,
        seen: &mut HashMap<&'n str, Span>,
        name: &'n Spanned,
        what: &str,
    ) -> bool {
        if name.text.is_empty() {
            return false; // reported by the parser
        }
        if crate::resolve::symbols::too_long(name, what, self.diagnostics) {
            return false;
        }
        if !crate::csdl::valid_simple_identifier(&name.text) {
            let article = if what.starts_with(['a', 'e']) {
                "an"
            } else {
                "a"
            };
            self.diagnostics.warning(
                name.span,
                crate::resolve::symbols::invalid_identifier(&name.text, &format!("{article} {what}")),
            );
        }
        if let Some(first) = seen.get(name.text.as_str()) {
            self.diagnostics.push(
                Diagnostic::error(
                    name.span,
                    format!("{what} `{}` is declared twice", name.text),
                )
                .with_note(*first, "the first declaration is here"),
            );
            return false;
        }
        seen.insert(&name.text, name.span);
        true
    }

    pub(super) fn base_type(
        &mut self,
        document: usize,
        base: &Spanned,
        kind: StructuredKind,
    ) -> Option<TypeId> {
        let Some(id) = self.symbols.type_id_in(document, &base.text) else {
            let unknown = self.symbols.unknown_type(document, base, "base type");
            self.diagnostics.push(unknown);
            return None;
        };
        match self.symbols.entry(id).declaration {
            Declaration::Structured(b) if b.kind == kind => Some(id),
            _ => {
                let expected = match kind {
                    StructuredKind::Entity => "an entity type",
                    StructuredKind::Complex => "a complex type",
                };
                self.diagnostics.error(
                    base.span,
                    format!("base type `{}` is not {expected}", base.text),
                );
                None
            }
        }
    }

    pub(super) fn enumeration(&mut self, t: &csdl::EnumType, document: usize, qualified: &str) -> SemEnum {
        let underlying = match &t.underlying_type {
            None => Primitive::Int32,
            Some(name) => match name
                .text
                .strip_prefix("Edm.")
                .and_then(Primitive::from_edm_name)
            {
                Some(p) if p.is_integer() => p,
                _ => {
                    self.diagnostics.error(name.span, format!("`{}` cannot underlie an enum: use Edm.Byte, SByte, Int16, Int32 or Int64", name.text));
                    // The widest, so that member values are not reported for this one problem.
                    Primitive::Int64
                }
            },
        };
        let mut members = Vec::new();
        let mut seen = HashMap::new();
        let mut next = 0i128;
        for m in &t.members {
            if !self.unique_member(&mut seen, &m.name, "enum member") {
                continue;
            }
            let value = match &m.value {
                None if t.is_flags => {
                    self.diagnostics.error(
                        m.span,
                        format!("member `{}` of a flags enum needs a Value", m.name.text),
                    );
                    continue;
                }
                None => next,
                Some(v) => match v.text.trim().parse::<i128>() {
                    Ok(value) => value,
                    Err(_) => {
                        self.diagnostics.error(
                            v.span,
                            format!("enum member value `{}` is not an integer", v.text),
                        );
                        continue;
                    }
                },
            };
            let Some(value) = self.member_value_in_range(t, m, underlying, value) else {
                continue;
            };
            next = i128::from(value) + 1;
            members.push(SemMember {
                name: m.name.text.clone(),
                value,
                span: m.span,
                docs: self.docs(
                    document,
                    &m.annotations,
                    &format!("{qualified}/{}", m.name.text),
                ),
            });
        }
        SemEnum {
            is_flags: t.is_flags,
            underlying,
            members,
        }
    }

    /// The member's value if its enum's underlying type holds it; a located error otherwise
    /// (at the `Value`, or at the member whose implicit value, one more than the previous
    /// member's, does not fit).
    pub(super) fn member_value_in_range(
        &mut self,
        t: &csdl::EnumType,
        m: &csdl::EnumMember,
        underlying: Primitive,
        value: i128,
    ) -> Option<i64> {
        let (min, max) = underlying.integer_range()?;
        if (i128::from(min)..=i128::from(max)).contains(&value) {
            return i64::try_from(value).ok();
        }
        let type_name = t
            .underlying_type
            .as_ref()
            .map_or("Edm.Int32", |u| u.text.as_str());
        let (span, what) = match &m.value {
            Some(v) => (v.span, format!("value {value}")),
            None => (
                m.span,
                format!("the implicit value {value} (one more than the previous member's)"),
            ),
        };
        self.diagnostics.error(
            span,
            format!(
                "enum member `{}` has {what}, which does not fit its underlying type `{type_name}` ({min} to {max})",
                m.name.text
            ),
        );
        None
    }

    pub(super) fn definition(&mut self, t: &csdl::TypeDefinition) -> Primitive {
        match t
            .underlying_type
            .text
            .strip_prefix("Edm.")
            .and_then(Primitive::from_edm_name)
        {
            Some(primitive) if !is_abstract_edm(&t.underlying_type.text) => primitive,
            _ => {
                self.diagnostics.error(
                    t.underlying_type.span,
                    format!("the underlying type of a TypeDefinition must be a concrete primitive type, not `{}`", t.underlying_type.text),
                );
                Primitive::String
            }
        }
    }
}

/// Whether a type reference names CSDL's abstract `Edm.EntityType` (or a collection of it).
fn is_abstract_entity(type_name: &str) -> bool {
    let text = type_name.trim();
    let inner = text
        .strip_prefix("Collection(")
        .and_then(|rest| rest.strip_suffix(')'))
        .map_or(text, str::trim);
    inner == "Edm.EntityType"
}

/// CSDL's built-in abstract types (§3.4), which cannot underlie a type definition.
fn is_abstract_edm(type_name: &str) -> bool {
    matches!(
        type_name.trim(),
        "Edm.PrimitiveType" | "Edm.ComplexType" | "Edm.EntityType" | "Edm.Untyped"
    )
}

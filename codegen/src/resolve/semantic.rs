//! The semantic model: every reference of the CSDL resolved, inheritance and keys checked,
//! descriptions attached; still indexed by the symbol table's ids and with the service's names
//! only.
//!
//! Why a second model between the CSDL syntax tree and the [`ir`](crate::ir): the syntax tree
//! holds names as written (aliases, qualified or not, in any document), and the IR holds Rust
//! decisions (identifiers, flattened inherited properties, boxing, the URL tree, features).
//! Between them sit the checks that need every reference resolved but no Rust decision yet
//! (inheritance cycles, keys, redeclared properties), and `--select`, which prunes this model
//! before `build` chooses Rust names, so that names are claimed only among what is generated.
//! The `Sem*` types are that middle state; `build` turns them into the IR.
//!
//! Its concerns, in the order `analyze` runs them: descriptions (Core annotations, inline and
//! external), types and their members (references, facets, enum values), inheritance (cycles,
//! depth, redeclared properties), keys, and operations, entry points and namespaces.

use std::collections::{BTreeSet, HashMap};

use super::symbols::{Declaration, Symbols};
use crate::csdl::{self, Annotation, OperationKind, Spanned, StructuredKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Docs, EntryPointKind, Facets, Primitive, PropertyKind, Target, TypeId, TypeRef};
use crate::source::Span;

/// The resolved model of all documents.
pub struct Semantic {
    /// Every type, indexed by the symbol table's [`TypeId`].
    pub types: Vec<SemType>,
    /// Every operation (bound or not), in document order.
    pub operations: Vec<SemOperation>,
    /// Entity sets and singletons of every entity container.
    pub entry_points: Vec<SemEntryPoint>,
    /// Action and function imports of every entity container.
    pub imports: Vec<SemImport>,
    /// Namespace name → alias and description.
    pub namespaces: Vec<SemNamespace>,
}

/// A schema's namespace.
pub struct SemNamespace {
    /// As declared (`microsoft.graph`).
    pub name: String,
    /// The schema's `Alias`, if any.
    pub alias: Option<String>,
    /// The schema's descriptions.
    pub docs: Docs,
    /// The `Schema` element.
    pub span: Span,
}

/// A named type of a schema.
pub struct SemType {
    /// Its schema's namespace.
    pub namespace: String,
    /// Its simple name, as declared.
    pub name: String,
    /// `namespace.name`.
    pub qualified_name: String,
    /// Its declaration.
    pub span: Span,
    /// Its descriptions.
    pub docs: Docs,
    /// What kind of type it is.
    pub kind: SemKind,
}

/// The kinds of named type.
pub enum SemKind {
    /// An entity or complex type.
    Struct(SemStruct),
    /// An enum type.
    Enum(SemEnum),
    /// A type definition: a primitive type under another name.
    Alias(Primitive),
}

/// An entity or complex type.
pub struct SemStruct {
    /// Entity or complex.
    pub kind: StructuredKind,
    /// `Abstract="true"`: only derived types have instances.
    pub is_abstract: bool,
    /// `OpenType="true"`: instances may have properties the type does not declare.
    pub is_open: bool,
    /// `HasStream="true"`: a media entity, with content at `…/$value`.
    pub has_stream: bool,
    /// The base type, if any (checked: no cycles).
    pub base: Option<TypeId>,
    /// The key's property names (for entity types; inherited keys are the base's).
    pub key: Vec<String>,
    /// Declared here, not inherited.
    pub properties: Vec<SemProperty>,
}

/// A structural or navigation property, as declared.
pub struct SemProperty {
    /// Its name, as the service spells it.
    pub name: String,
    /// Its declaration.
    pub span: Span,
    /// Its type, resolved.
    pub ty: TypeRef,
    /// `Nullable` (for a collection: whether its items may be null).
    pub nullable: bool,
    /// Structural or navigation.
    pub kind: PropertyKind,
    /// Its descriptions.
    pub docs: Docs,
    /// `MaxLength`, `Precision`, `Scale`, as written.
    pub facets: Facets,
}

/// An enum type.
pub struct SemEnum {
    /// `IsFlags="true"`: values are combinations of members.
    pub is_flags: bool,
    /// The `UnderlyingType` (default `Edm.Int32`).
    pub underlying: Primitive,
    /// Its members, in declaration order.
    pub members: Vec<SemMember>,
}

/// An enum member.
pub struct SemMember {
    /// As declared.
    pub name: String,
    /// Its value: given, or its position (checked against the underlying type).
    pub value: i64,
    /// Its declaration.
    pub span: Span,
    /// Its descriptions.
    pub docs: Docs,
}

/// An action or function.
pub struct SemOperation {
    /// Action or function.
    pub kind: OperationKind,
    /// Its schema's namespace.
    pub namespace: String,
    /// Its simple name.
    pub name: String,
    /// The binding parameter's type, for a bound operation.
    pub binding: Option<TypeRef>,
    /// The other parameters, in order.
    pub parameters: Vec<SemParameter>,
    /// The return type and whether it is nullable.
    pub return_type: Option<(TypeRef, bool)>,
    /// `IsComposable="true"`: the result can be addressed further.
    pub is_composable: bool,
    /// Its descriptions.
    pub docs: Docs,
    /// Its declaration.
    pub span: Span,
}

/// A parameter of an operation (not the binding parameter).
pub struct SemParameter {
    /// As declared.
    pub name: String,
    /// Its type, resolved.
    pub ty: TypeRef,
    /// `Nullable`.
    pub nullable: bool,
    /// Its descriptions.
    pub docs: Docs,
}

/// An entity set or singleton.
pub struct SemEntryPoint {
    /// Which of the two.
    pub kind: EntryPointKind,
    /// Its entity container's name.
    pub container: String,
    /// As declared: its URL segment.
    pub name: String,
    /// Its entity type.
    pub ty: TypeId,
    /// `NavigationPropertyBinding`s: path → target, unresolved.
    pub navigation_bindings: Vec<(String, String)>,
    /// Its descriptions.
    pub docs: Docs,
    /// Its declaration.
    pub span: Span,
}

/// An action or function import.
pub struct SemImport {
    /// Action or function.
    pub kind: OperationKind,
    /// Its entity container's name.
    pub container: String,
    /// As declared: its URL segment.
    pub name: String,
    /// The imported operation's qualified name, as written.
    pub operation: String,
    /// The `EntitySet` attribute, unresolved.
    pub entity_set: Option<String>,
    /// Its descriptions.
    pub docs: Docs,
    /// Its declaration.
    pub span: Span,
}

impl Semantic {
    /// The entity or complex type `id`, or `None` for other kinds.
    pub fn structure(&self, id: TypeId) -> Option<&SemStruct> {
        match &self.types[id.0].kind {
            SemKind::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The chain of base types from the root down to `id` itself.
    pub fn lineage(&self, id: TypeId) -> Vec<TypeId> {
        let mut chain = vec![id];
        let mut current = id;
        while let Some(base) = self.structure(current).and_then(|s| s.base) {
            chain.push(base);
            current = base;
        }
        chain.reverse();
        chain
    }
}

const CORE: &str = "Org.OData.Core.V1";

/// Resolves every reference of the documents against the symbol table and runs the checks
/// above; errors and warnings go to `diagnostics`, located.
pub fn analyze(
    symbols: &Symbols<'_>,
    documents: &[csdl::Document],
    diagnostics: &mut Diagnostics,
) -> Semantic {
    let mut analyzer = Analyzer {
        symbols,
        diagnostics,
        external_docs: HashMap::new(),
    };
    analyzer.collect_external_annotations(documents);
    let mut types: Vec<SemType> = (0..symbols.types.len())
        .map(|i| analyzer.semantic_type(TypeId(i)))
        .collect();
    analyzer.check_inheritance(&mut types);
    analyzer.check_keys(&types);
    let (operations, entry_points, imports) = analyzer.operations_and_containers();
    let namespaces = analyzer.namespaces();
    Semantic {
        types,
        operations,
        entry_points,
        imports,
        namespaces,
    }
}

struct Analyzer<'s, 'a> {
    symbols: &'s Symbols<'a>,
    diagnostics: &'s mut Diagnostics,
    /// Descriptions from `<Annotations Target>` blocks, by normalized target.
    external_docs: HashMap<String, Docs>,
}

impl Analyzer<'_, '_> {
    fn docs(&self, document: usize, annotations: &[Annotation], target: &str) -> Docs {
        let mut docs = Docs::default();
        self.apply_annotations(document, annotations, &mut docs);
        if let Some(external) = self.external_docs.get(target) {
            docs.summary = docs.summary.or_else(|| external.summary.clone());
            docs.long = docs.long.or_else(|| external.long.clone());
        }
        docs
    }

    fn apply_annotations(&self, document: usize, annotations: &[Annotation], docs: &mut Docs) {
        for annotation in annotations.iter().filter(|a| a.qualifier.is_none()) {
            let Some(text) = annotation.string.as_deref() else {
                continue;
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let slot = match self.core_term(document, &annotation.term.text) {
                Some("Description") => &mut docs.summary,
                Some("LongDescription") => &mut docs.long,
                _ => continue,
            };
            slot.get_or_insert_with(|| text.to_owned());
        }
    }

    /// The term's name if it is a term of the OData Core vocabulary, however it is qualified.
    fn core_term<'t>(&self, document: usize, term: &'t str) -> Option<&'t str> {
        let (prefix, name) = term.rsplit_once('.')?;
        let namespace = self.symbols.includes[document]
            .get(prefix)
            .map(String::as_str)
            .unwrap_or(if prefix == "Core" { CORE } else { prefix });
        (namespace == CORE).then_some(name)
    }

    fn collect_external_annotations(&mut self, documents: &[csdl::Document]) {
        for (index, document) in documents.iter().enumerate() {
            for schema in &document.schemas {
                for group in &schema.annotation_groups {
                    let target = self.normalize_target(&group.target.text);
                    let mut docs = self.external_docs.remove(&target).unwrap_or_default();
                    self.apply_annotations(index, &group.annotations, &mut docs);
                    self.external_docs.insert(target, docs);
                }
            }
        }
    }

    /// `graph.officeClientConfiguration/description` → `microsoft.graph.officeClientConfiguration/description`;
    /// operation overloads `ns.assign(ns.type)` lose their parameter list.
    fn normalize_target(&self, target: &str) -> String {
        let (head, rest) = match target.find('/') {
            Some(slash) => (&target[..slash], &target[slash..]),
            None => (target, ""),
        };
        let head = head.split('(').next().unwrap_or(head);
        format!("{}{}", self.symbols.qualify(head), rest)
    }

    fn semantic_type(&mut self, id: TypeId) -> SemType {
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

    fn structure(
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

    fn is_entity(&self, target: Target) -> bool {
        match target {
            Target::Named(id) => matches!(
                self.symbols.entry(id).declaration,
                Declaration::Structured(s) if s.kind == StructuredKind::Entity
            ),
            Target::Primitive(_) => false,
        }
    }

    fn unique_member<'n>(
        &mut self,
        seen: &mut HashMap<&'n str, Span>,
        name: &'n Spanned,
        what: &str,
    ) -> bool {
        if name.text.is_empty() {
            return false; // reported by the parser
        }
        if super::symbols::too_long(name, what, self.diagnostics) {
            return false;
        }
        if !super::valid_simple_identifier(&name.text) {
            let article = if what.starts_with(['a', 'e']) {
                "an"
            } else {
                "a"
            };
            self.diagnostics.warning(
                name.span,
                super::symbols::invalid_identifier(&name.text, &format!("{article} {what}")),
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

    fn base_type(
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

    fn enumeration(&mut self, t: &csdl::EnumType, document: usize, qualified: &str) -> SemEnum {
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
    fn member_value_in_range(
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

    fn definition(&mut self, t: &csdl::TypeDefinition) -> Primitive {
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

    /// Rejects cyclic base types and properties that repeat an inherited one.
    fn check_inheritance(&mut self, types: &mut [SemType]) {
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
    fn report_cycles(&mut self, types: &[SemType]) -> BTreeSet<usize> {
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
    fn report_deep_chains(&mut self, types: &[SemType], cyclic: &BTreeSet<usize>) -> Vec<usize> {
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

    fn check_redeclared(&mut self, types: &[SemType], id: usize, ancestor: TypeId) {
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

    /// Every `PropertyRef` of every `Key` names a single-valued structural property of a
    /// primitive or enumeration type (through single-valued complex properties for a path such
    /// as `address/city`), declared by the type or a base type.
    fn check_keys(&mut self, types: &[SemType]) {
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
                                    "key `{}` of `{}`: {doubt} (CSDL 4.01 §8.2); generating it anyway",
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
    fn key_property<'t>(
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

    fn is_complex(&self, id: TypeId) -> bool {
        matches!(
            self.symbols.entry(id).declaration,
            Declaration::Structured(s) if s.kind == StructuredKind::Complex
        )
    }

    /// Key properties are primitive (not abstract, a stream or spatial), enumerations, or
    /// type definitions of such primitives.
    fn can_be_key(&self, types: &[SemType], target: Target) -> bool {
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
    fn declares_property(&self, types: &[SemType], id: TypeId, name: &str) -> bool {
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

    fn base_span(&self, id: TypeId) -> Span {
        match self.symbols.entry(id).declaration {
            Declaration::Structured(t) => t.base_type.as_ref().map_or(t.span, |b| b.span),
            _ => self.symbols.entry(id).declaration.name().span,
        }
    }

    fn operations_and_containers(
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

    fn operation(
        &mut self,
        namespace: &str,
        document: usize,
        op: &csdl::Operation,
    ) -> Option<SemOperation> {
        if !super::valid_simple_identifier(&op.name.text) {
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

    fn container(
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
            if !set.name.text.is_empty() && !super::valid_simple_identifier(&set.name.text) {
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
                    .map(|b| (b.path.clone(), b.target.clone()))
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

    fn namespaces(&mut self) -> Vec<SemNamespace> {
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

/// The most base types a type may have (its chain of `BaseType`s). Microsoft Graph's deepest is 5; every level
/// copies the inherited properties into the derived struct, so depth multiplies the output.
const MAX_INHERITANCE_DEPTH: usize = 32;

/// Whether a type reference names CSDL's abstract `Edm.EntityType` (or a collection of it).
fn is_abstract_entity(type_name: &str) -> bool {
    let text = type_name.trim();
    let inner = text
        .strip_prefix("Collection(")
        .and_then(|rest| rest.strip_suffix(')'))
        .map_or(text, str::trim);
    inner == "Edm.EntityType"
}

/// CSDL's built-in abstract types (§3.5), which cannot underlie a type definition.
fn is_abstract_edm(type_name: &str) -> bool {
    matches!(
        type_name.trim(),
        "Edm.PrimitiveType" | "Edm.ComplexType" | "Edm.EntityType" | "Edm.Untyped"
    )
}

/// `id` and its base types (cycles are cut before this is used).
fn lineage_of(types: &[SemType], id: TypeId) -> Vec<TypeId> {
    let mut chain = vec![id];
    while let Some(base) = base_of(types, chain[chain.len() - 1].0) {
        chain.push(base);
    }
    chain
}

/// The property of this name that `id` declares or inherits.
/// What CSDL 4.01 §8.2 rules out for a key property that is still usable: a nullable one, or
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

fn declared_property<'t>(types: &'t [SemType], id: TypeId, name: &str) -> Option<&'t SemProperty> {
    lineage_of(types, id)
        .into_iter()
        .find_map(|ancestor| match &types[ancestor.0].kind {
            SemKind::Struct(s) => s.properties.iter().find(|p| p.name == name),
            _ => None,
        })
}

fn base_of(types: &[SemType], id: usize) -> Option<TypeId> {
    match &types[id].kind {
        SemKind::Struct(s) => s.base,
        _ => None,
    }
}

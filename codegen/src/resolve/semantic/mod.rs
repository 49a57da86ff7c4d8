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
//! Its concerns, one file each, in the order `analyze` runs them: `descriptions` (Core
//! annotations, inline and external), `types` and their members (references, enum values),
//! with `values` (facets and default values against their types), `inheritance` (cycles,
//! depth, redeclared properties), `keys`, `operations` (with entity containers and
//! namespaces), and `bindings` (navigation property bindings' paths and targets). Each adds methods to the one `Analyzer`, which
//! holds the symbol table and the diagnostics.

mod bindings;
mod descriptions;
mod inheritance;
mod keys;
mod operations;
mod types;
mod values;

use std::collections::{BTreeSet, HashMap};

use crate::resolve::symbols::{Declaration, Symbols};
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
    analyzer.check_bindings(&types);
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

/// `id` and its base types (cycles are cut before this is used).
fn lineage_of(types: &[SemType], id: TypeId) -> Vec<TypeId> {
    let mut chain = vec![id];
    while let Some(base) = base_of(types, chain[chain.len() - 1].0) {
        chain.push(base);
    }
    chain
}


/// The property of this name that `id` declares or inherits.
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

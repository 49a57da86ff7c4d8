//! The intermediate model: every name resolved, every Rust identifier chosen, everything ordered.
//!
//! The emitters read only this model; nothing here points back into the CSDL syntax tree, except
//! spans for diagnostics.

pub use crate::csdl::{OperationKind, StructuredKind};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NamespaceId(pub usize);

#[derive(Debug, Default)]
pub struct Model {
    /// Sorted by name.
    pub namespaces: Vec<Namespace>,
    /// Indexed by [`TypeId`]; sorted by namespace, then wire name.
    pub types: Vec<TypeDef>,
    /// Sorted by qualified name, then binding type.
    pub operations: Vec<Operation>,
    /// Entity sets and singletons of all entity containers, sorted by name.
    pub entry_points: Vec<EntryPoint>,
    /// Action and function imports of all entity containers, sorted by name.
    pub operation_imports: Vec<OperationImport>,
    /// The request builders and the roots of the URL tree (see [`Resources`]).
    pub resources: Resources,
    /// The cargo features of the generated crate, one per entry point; empty when the metadata
    /// has no entry points (then nothing is gated).
    pub areas: Vec<Area>,
}

impl Model {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    pub fn namespace(&self, id: NamespaceId) -> &Namespace {
        &self.namespaces[id.0]
    }

    pub fn types_in(&self, namespace: NamespaceId) -> impl Iterator<Item = &TypeDef> {
        self.types.iter().filter(move |t| t.namespace == namespace)
    }

    /// `ty` and its base types, `ty` first.
    pub fn lineage(&self, ty: TypeId) -> Vec<TypeId> {
        let mut chain = vec![ty];
        while let Some(base) = self
            .ty(chain[chain.len() - 1])
            .as_struct()
            .and_then(|s| s.base)
        {
            chain.push(base);
        }
        chain
    }

    /// The bound operations (indexes into [`Model::operations`]) by binding type and whether
    /// they are bound to a collection of it, in model order. Operations bound to an abstract or
    /// primitive type (`Edm.EntityType`) are not in it.
    pub fn bound_operations(&self) -> std::collections::HashMap<(TypeId, bool), Vec<usize>> {
        let mut bound: std::collections::HashMap<(TypeId, bool), Vec<usize>> = Default::default();
        for (index, op) in self.operations.iter().enumerate() {
            if let Some(TypeRef {
                target: Target::Named(ty),
                collection,
            }) = op.binding
            {
                bound.entry((ty, collection)).or_default().push(index);
            }
        }
        bound
    }

    pub fn find_type(&self, qualified_name: &str) -> Option<&TypeDef> {
        self.types
            .iter()
            .find(|t| t.qualified_name == qualified_name)
    }
}

/// One part of the service that users can compile alone: an entity set, singleton or operation
/// import, and the types it reaches.
#[derive(Debug)]
pub struct Area {
    /// The entry point's or import's name, as the service spells it.
    pub name: String,
    /// The cargo feature that compiles this area.
    pub feature: String,
    /// Index into [`Resources::roots`].
    pub root: usize,
}

/// Which area features compile an item: any of these areas (indexes into [`Model::areas`]),
/// sorted. Empty means no area reaches the item; only the `full` feature compiles it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gate(pub Vec<usize>);

impl Gate {
    /// Whether every set of features that compiles `other` also compiles `self` (`full`
    /// compiles everything).
    pub fn covers(&self, other: &Gate) -> bool {
        other.0.iter().all(|a| self.0.binary_search(a).is_ok())
    }
}

/// Documentation of an element, in plain text as the metadata gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docs {
    pub summary: Option<String>,
    pub long: Option<String>,
}

impl Docs {
    pub fn is_empty(&self) -> bool {
        self.summary.is_none() && self.long.is_none()
    }
}

#[derive(Debug)]
pub struct Namespace {
    pub name: String,
    pub alias: Option<String>,
    /// Module (and directory) name in the generated crate; a plain identifier, never a path.
    pub module: String,
    pub docs: Docs,
}

#[derive(Debug)]
pub struct TypeDef {
    pub id: TypeId,
    pub namespace: NamespaceId,
    /// The name as the service spells it.
    pub name: String,
    pub qualified_name: String,
    pub rust_name: String,
    /// File stem of the module holding this type, unique within the namespace.
    pub module: String,
    pub docs: Docs,
    pub span: Span,
    pub kind: TypeKind,
    /// The areas whose features compile this type.
    pub gate: Gate,
}

#[derive(Debug)]
pub enum TypeKind {
    Struct(StructType),
    Enum(EnumType),
    /// A `TypeDefinition`: a named primitive.
    Alias(Primitive),
}

impl TypeDef {
    pub fn as_struct(&self) -> Option<&StructType> {
        match &self.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_enum(&self) -> Option<&EnumType> {
        match &self.kind {
            TypeKind::Enum(e) => Some(e),
            _ => None,
        }
    }

    /// The `@odata.type` value naming this type: `#` and the qualified name.
    pub fn odata_type(&self) -> String {
        format!("#{}", self.qualified_name)
    }
}

#[derive(Debug)]
pub struct StructType {
    pub kind: StructuredKind,
    pub is_abstract: bool,
    pub is_open: bool,
    pub has_stream: bool,
    pub base: Option<TypeId>,
    /// Key property names (inherited keys included).
    pub key: Vec<String>,
    /// Every property, inherited ones first (root type first), then in declaration order.
    pub properties: Vec<Property>,
    /// Every type derived from this one, directly or not, in [`TypeId`] order.
    pub derived: Vec<TypeId>,
    /// The enum that dispatches on `@odata.type`, for a type with derived types.
    pub dispatch: Option<Dispatch>,
    /// Rust names of the two fields every struct has besides its properties.
    pub odata_type_field: String,
    pub additional_properties_field: String,
}

impl StructType {
    /// Whether a new value of this type names its own `@odata.type` by default: a concrete
    /// derived type must say what it is when sent where its base type is expected.
    pub fn tags_itself(&self) -> bool {
        self.base.is_some() && !self.is_abstract
    }
}

#[derive(Debug)]
pub struct Dispatch {
    pub rust_name: String,
    /// One variant for each derived type.
    pub variants: Vec<DispatchVariant>,
    /// The variant holding the base type itself: values whose `@odata.type` is the base type,
    /// missing or unknown.
    pub fallback: String,
}

#[derive(Debug)]
pub struct DispatchVariant {
    pub rust_name: String,
    pub ty: TypeId,
    /// Set when the derived type is not compiled everywhere the base type is.
    pub gate: Option<Gate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropertyKind {
    Structural,
    Navigation { contains_target: bool },
}

#[derive(Debug)]
pub struct Property {
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    /// `Nullable` as the metadata says it (default true).
    pub nullable: bool,
    pub kind: PropertyKind,
    /// A single value that must be boxed because the types contain each other.
    pub boxed: bool,
    pub declared_in: TypeId,
    pub docs: Docs,
    pub span: Span,
    pub facets: Facets,
    /// Set when the property's type is not compiled everywhere its struct is (a navigation
    /// property to a type of another area); without the feature, its values stay in
    /// `additional_properties`.
    pub gate: Option<Gate>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub max_length: Option<String>,
    pub precision: Option<String>,
    pub scale: Option<String>,
    pub default_value: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TypeRef {
    pub target: Target,
    pub collection: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Primitive(Primitive),
    Named(TypeId),
}

/// The `Edm` primitive types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    Binary,
    Boolean,
    Byte,
    Date,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    /// `Edm.Untyped` and the abstract `Edm.PrimitiveType`, `Edm.ComplexType` and
    /// `Edm.EntityType`.
    Untyped,
    /// `Edm.Geography*` and `Edm.Geometry*`: GeoJSON values.
    Spatial,
}

impl Primitive {
    /// Parses the part after `Edm.`.
    pub fn from_edm_name(name: &str) -> Option<Self> {
        use Primitive::*;
        Some(match name {
            "Binary" => Binary,
            "Boolean" => Boolean,
            "Byte" => Byte,
            "Date" => Date,
            "DateTimeOffset" => DateTimeOffset,
            "Decimal" => Decimal,
            "Double" => Double,
            "Duration" => Duration,
            "Guid" => Guid,
            "Int16" => Int16,
            "Int32" => Int32,
            "Int64" => Int64,
            "SByte" => SByte,
            "Single" => Single,
            "Stream" => Stream,
            "String" => String,
            "TimeOfDay" => TimeOfDay,
            // CSDL 4.01 §3.6: path expressions, strings on the wire.
            "AnnotationPath"
            | "PropertyPath"
            | "NavigationPropertyPath"
            | "AnyPropertyPath"
            | "ModelElementPath" => String,
            // §3.5: the built-in abstract types; any JSON value.
            "Untyped" | "PrimitiveType" | "ComplexType" | "EntityType" => Untyped,
            spatial if spatial.starts_with("Geography") || spatial.starts_with("Geometry") => {
                Spatial
            }
            _ => return None,
        })
    }

    /// The smallest and largest value of an integer type (`None` for other types).
    pub fn integer_range(self) -> Option<(i64, i64)> {
        Some(match self {
            Primitive::Byte => (u8::MIN.into(), u8::MAX.into()),
            Primitive::SByte => (i8::MIN.into(), i8::MAX.into()),
            Primitive::Int16 => (i16::MIN.into(), i16::MAX.into()),
            Primitive::Int32 => (i32::MIN.into(), i32::MAX.into()),
            Primitive::Int64 => (i64::MIN, i64::MAX),
            _ => return None,
        })
    }

    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Primitive::Byte
                | Primitive::SByte
                | Primitive::Int16
                | Primitive::Int32
                | Primitive::Int64
        )
    }
}

#[derive(Debug)]
pub struct EnumType {
    pub is_flags: bool,
    pub underlying: Primitive,
    pub members: Vec<EnumMember>,
    /// The variant that keeps a value this version of the crate does not know.
    pub other_variant: String,
}

#[derive(Debug)]
pub struct EnumMember {
    pub name: String,
    pub rust_name: String,
    pub value: i64,
    pub docs: Docs,
    pub span: Span,
}

#[derive(Debug)]
pub struct Operation {
    /// The struct holding the parameters sent in the body (actions with parameters), unique
    /// among the types of the operation's namespace.
    pub parameters_type: Option<String>,
    /// File stem of the module of `parameters_type`.
    pub parameters_module: Option<String>,
    pub kind: OperationKind,
    pub namespace: NamespaceId,
    pub name: String,
    pub qualified_name: String,
    /// snake_case name for functions and builders.
    pub rust_name: String,
    /// The binding parameter's type, for a bound operation.
    pub binding: Option<TypeRef>,
    /// Parameters other than the binding parameter.
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub is_composable: bool,
    pub docs: Docs,
    pub span: Span,
    /// The areas whose paths call this operation (compiles its parameters struct).
    pub gate: Gate,
}

#[derive(Debug)]
pub struct Parameter {
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub nullable: bool,
    pub docs: Docs,
}

#[derive(Debug)]
pub struct ReturnType {
    pub ty: TypeRef,
    pub nullable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryPointKind {
    EntitySet,
    Singleton,
}

#[derive(Debug)]
pub struct EntryPoint {
    pub kind: EntryPointKind,
    pub container: String,
    pub name: String,
    pub rust_name: String,
    pub ty: TypeId,
    pub navigation_bindings: Vec<(String, String)>,
    pub docs: Docs,
    pub span: Span,
}

#[derive(Debug)]
pub struct OperationImport {
    pub kind: OperationKind,
    pub container: String,
    pub name: String,
    pub rust_name: String,
    /// The imported operation's overloads (unbound operations of that name).
    pub operations: Vec<usize>,
    pub entity_set: Option<String>,
    pub docs: Docs,
    pub span: Span,
}

/// Identifies a request builder: an index into [`Resources::builders`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuilderId(pub usize);

/// The URL model of the service (OData URL Conventions 4.01 §4.3 to §4.15): request builders
/// keyed by what they address, not by where. Every path that reaches an entity of type `T`
/// shares `T`'s entity builder, every path that reaches a collection of `T` shares its
/// collection builder; the builder carries its URL at run time. The generated code is
/// therefore linear in types, properties and operations, however the containment graph nests.
#[derive(Debug, Default)]
pub struct Resources {
    /// Indexed by [`BuilderId`]; in the order they were first reached from the roots.
    pub builders: Vec<Builder>,
    /// Entry points and operation imports, sorted by name. Each is an area: root `i` is
    /// [`Model::areas`]`[i]` (when the crate has areas).
    pub roots: Vec<Root>,
    /// How keys and operation names are written in URLs.
    pub conventions: UrlConventions,
    /// The service root the generated client uses when given none: a setting, or Microsoft
    /// Graph's for its namespace; `None` makes the client ask for one.
    pub service_root: Option<String>,
}

impl Resources {
    pub fn builder(&self, id: BuilderId) -> &Builder {
        &self.builders[id.0]
    }
}

/// Service conventions for URLs that CSDL does not always declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UrlConventions {
    /// Keys as their own segment (`/users/42`) rather than in parentheses (`/users('42')`,
    /// OData URL Conventions 4.01 §4.3.1 and §4.3.6). Composite keys always use parentheses.
    pub key_as_segment: bool,
    /// Bound operations and casts of every namespace written without the namespace
    /// (`/assign` rather than `/microsoft.graph.assign`, §4.5; `Core.DefaultNamespace`
    /// does this for one schema).
    pub unqualified_operations: bool,
}

impl UrlConventions {
    /// Microsoft Graph's form, which its documentation uses although its CSDL declares
    /// neither: keys as segments, operations unqualified.
    pub const GRAPH: UrlConventions = UrlConventions {
        key_as_segment: true,
        unqualified_operations: true,
    };
}

impl Default for UrlConventions {
    /// The specification's defaults: keys in parentheses, operations namespace-qualified.
    fn default() -> Self {
        UrlConventions {
            key_as_segment: false,
            unqualified_operations: false,
        }
    }
}

/// What a builder addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuilderKind {
    /// One entity of this type (or of a derived type).
    Entity(TypeId),
    /// A collection of entities of this type.
    Collection(TypeId),
    /// A single complex value (a complex property), for navigation and bound operations on it.
    Complex(TypeId),
}

impl BuilderKind {
    pub fn ty(self) -> TypeId {
        match self {
            BuilderKind::Entity(t) | BuilderKind::Collection(t) | BuilderKind::Complex(t) => t,
        }
    }
}

/// The request builder of one kind of resource, with a method per operation and per way on.
#[derive(Debug)]
pub struct Builder {
    pub id: BuilderId,
    pub kind: BuilderKind,
    /// The struct's name, unique among builders.
    pub rust_name: String,
    pub members: Vec<Member>,
}

/// A method of a builder.
#[derive(Debug)]
pub struct Member {
    pub rust_name: String,
    pub kind: MemberKind,
    pub docs: Docs,
    /// Whether a documentation page describes this operation.
    pub documented: bool,
    /// Set when what the member reaches is compiled by fewer areas than its builder.
    pub gate: Option<Gate>,
}

/// Capabilities vocabulary restrictions on one path (`InsertRestrictions` and the like): what the
/// metadata says the service does not support there. All `true` means no restriction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restrictions {
    pub insertable: bool,
    pub updatable: bool,
    pub deletable: bool,
    pub readable: bool,
    pub countable: bool,
    /// `NavigationRestrictions/Referenceable`: `$ref` of the path.
    pub referenceable: bool,
}

impl Default for Restrictions {
    fn default() -> Self {
        Restrictions {
            insertable: true,
            updatable: true,
            deletable: true,
            readable: true,
            countable: true,
            referenceable: true,
        }
    }
}

impl Restrictions {
    pub fn is_unrestricted(&self) -> bool {
        *self == Restrictions::default()
    }

    /// The restricted operations in words, for docs: `not insertable, not deletable`.
    pub fn describe(&self) -> Vec<&'static str> {
        [
            (self.readable, "not readable"),
            (self.insertable, "not insertable"),
            (self.updatable, "not updatable"),
            (self.deletable, "not deletable"),
            (self.countable, "not countable"),
            (self.referenceable, "not referenceable"),
        ]
        .into_iter()
        .filter(|(allowed, _)| !allowed)
        .map(|(_, text)| text)
        .collect()
    }
}

/// One part of a key: the property's wire name, argument name and primitive type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPart {
    pub name: String,
    pub rust_name: String,
    pub ty: Target,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberKind {
    /// `GET` of the entity or complex value.
    Get,
    /// `PATCH` of the entity.
    Update,
    /// `DELETE` of the entity.
    Delete,
    /// `GET` of one page of the collection.
    List,
    /// `POST` of a new entity to the collection.
    Create,
    /// `GET …/$count` (§4.8).
    Count,
    /// `…/$ref`: the entity reference (§4.4), or the collection of references on a collection.
    Reference,
    /// `…/$value`: the media content of a media entity (§4.14).
    Media,
    /// A stream property (§4.14).
    StreamProperty { property: String },
    /// A navigation property (§4.3.2), contained or not, to `target`.
    Navigation {
        property: String,
        target: BuilderId,
        contained: bool,
        restrictions: Restrictions,
    },
    /// A complex property with navigation or bound operations of its own.
    ComplexProperty { property: String, target: BuilderId },
    /// A key segment (§4.3.1): the entity of the collection with this key.
    Key {
        parts: Vec<KeyPart>,
        target: BuilderId,
    },
    /// A type-cast segment (§4.11) to a derived type.
    Cast { ty: TypeId, target: BuilderId },
    /// A bound action or function (§4.5). `continues` is the builder of a composable
    /// function's result, whose path can go on.
    Call {
        operation: usize,
        segment: String,
        continues: Option<BuilderId>,
    },
}

/// A root of the URL tree.
#[derive(Debug)]
pub struct Root {
    /// The segment as the service spells it.
    pub name: String,
    /// The root function's (and client method's) name.
    pub rust_name: String,
    pub kind: RootKind,
    pub docs: Docs,
    pub span: Span,
}

#[derive(Debug)]
pub enum RootKind {
    /// An entity set or singleton (index into [`Model::entry_points`]), and its builder.
    EntryPoint {
        entry_point: usize,
        builder: BuilderId,
        restrictions: Restrictions,
    },
    /// An action or function import (index into [`Model::operation_imports`]): one of its
    /// overloads (index into [`Model::operations`]), and the builder of a composable result.
    Import {
        import: usize,
        operation: usize,
        continues: Option<BuilderId>,
    },
}

impl MemberKind {
    /// The bound operation a member calls; `None` for the other kinds.
    pub fn called<'m>(&self, model: &'m Model) -> Option<&'m Operation> {
        match self {
            MemberKind::Call { operation, .. } => Some(&model.operations[*operation]),
            _ => None,
        }
    }

    /// Whether the member leads to another builder (navigation, complex property, key, cast)
    /// rather than being an operation or a terminal segment of its own.
    pub fn leads_on(&self) -> bool {
        matches!(
            self,
            MemberKind::Navigation { .. }
                | MemberKind::ComplexProperty { .. }
                | MemberKind::Key { .. }
                | MemberKind::Cast { .. }
        )
    }

    /// The HTTP method of an operation member; `None` for members that lead on.
    pub fn http_method(&self, model: &Model) -> Option<&'static str> {
        Some(match self {
            MemberKind::Get | MemberKind::List | MemberKind::Count => "GET",
            MemberKind::Update => "PATCH",
            MemberKind::Delete => "DELETE",
            MemberKind::Create => "POST",
            MemberKind::Call {
                operation,
                continues: None,
                ..
            } => match model.operations[*operation].kind {
                OperationKind::Action => "POST",
                OperationKind::Function => "GET",
            },
            _ => return None,
        })
    }
}

/// What a concrete or template URL path addresses (see [`Model::match_path`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlMatch {
    /// The builder the path ends on; for a path that ends in `$ref`, `$count`, `$value`, a
    /// stream property or an operation call, the builder that offers that member.
    pub builder: Option<BuilderId>,
    /// The member (index into the builder's members) the last segment names, if it is one
    /// that does not lead to another builder.
    pub member: Option<usize>,
    /// The operation (index into [`Model::operations`]) the last segment calls, bound or
    /// imported.
    pub call: Option<usize>,
}

impl Model {
    /// What a concrete or template path (`/a/b/{id}`, `/a/b/123`, `/a('x')/b/$ref`,
    /// `/a/b/ns.derived/fn(p=1)`) addresses, walking the URL model the way OData URL
    /// Conventions 4.01 §4 reads a resource path: entry points and imports, navigation,
    /// complex properties, keys in either form, type casts, bound operations (qualified or
    /// not, with or without parentheses), composable continuations, and `$ref`, `$count`,
    /// `$value`. `None` when some segment addresses nothing.
    pub fn match_path(&self, path: &str) -> Option<UrlMatch> {
        let segments = split_segments(path);
        let (first, rest) = segments.split_first()?;
        let (name, args) = split_call(first);
        let root = self
            .resources
            .roots
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))?;
        let mut current = match root.kind {
            RootKind::EntryPoint { builder, .. } => match args {
                Some(_) => self.key_target(builder)?,
                None => builder,
            },
            RootKind::Import {
                operation,
                continues,
                ..
            } => match continues {
                Some(next) if !rest.is_empty() => next,
                _ if rest.is_empty() => {
                    return Some(UrlMatch {
                        builder: None,
                        member: None,
                        call: Some(operation),
                    })
                }
                _ => return None,
            },
        };
        for (i, segment) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            let (name, args) = split_call(segment);
            let builder = self.resources.builder(current);
            let found = builder
                .members
                .iter()
                .enumerate()
                .find(|(_, m)| match &m.kind {
                    MemberKind::Reference => name == "$ref",
                    MemberKind::Count => name == "$count",
                    MemberKind::Media => name == "$value",
                    MemberKind::StreamProperty { property }
                    | MemberKind::Navigation { property, .. }
                    | MemberKind::ComplexProperty { property, .. } => {
                        property.eq_ignore_ascii_case(name)
                    }
                    MemberKind::Cast { ty, .. } => self.names_type(*ty, name),
                    MemberKind::Call { operation, .. } => {
                        same_operation(&self.operations[*operation], name)
                    }
                    _ => false,
                });
            let Some((index, member)) = found else {
                // Anything else on a collection is a key (keys may contain dots or `@`).
                current = self.key_target(current)?;
                if args.is_some() {
                    return None;
                }
                continue;
            };
            let next = match &member.kind {
                MemberKind::Navigation { target, .. } => match args {
                    Some(_) => self.key_target(*target),
                    None => Some(*target),
                },
                MemberKind::ComplexProperty { target, .. } | MemberKind::Cast { target, .. } => {
                    Some(*target)
                }
                MemberKind::Call {
                    continues: Some(target),
                    ..
                } if !last || split_key(segment).is_some() => match split_key(segment) {
                    Some(_) => self.key_target(*target),
                    None => Some(*target),
                },
                _ => None,
            };
            match next {
                Some(next) => current = next,
                None if last => {
                    return Some(UrlMatch {
                        builder: Some(current),
                        member: Some(index),
                        call: match member.kind {
                            MemberKind::Call { operation, .. } => Some(operation),
                            _ => None,
                        },
                    })
                }
                None => return None,
            }
        }
        Some(UrlMatch {
            builder: Some(current),
            member: None,
            call: None,
        })
    }

    /// The entity builder a key segment leads to from a collection builder.
    fn key_target(&self, collection: BuilderId) -> Option<BuilderId> {
        self.resources
            .builder(collection)
            .members
            .iter()
            .find_map(|m| match m.kind {
                MemberKind::Key { target, .. } => Some(target),
                _ => None,
            })
    }

    /// Whether a cast segment names `ty`: by qualified name, or alias-qualified.
    fn names_type(&self, ty: TypeId, segment: &str) -> bool {
        let ty = self.ty(ty);
        if ty.qualified_name.eq_ignore_ascii_case(segment) {
            return true;
        }
        let namespace = self.namespace(ty.namespace);
        namespace.alias.as_ref().is_some_and(|alias| {
            segment
                .strip_prefix(alias.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|name| name.eq_ignore_ascii_case(&ty.name))
        })
    }
}

/// `assign` is called as `/assign`, `/microsoft.graph.assign` or `/ns.assign()`.
fn same_operation(operation: &Operation, segment: &str) -> bool {
    match segment.rsplit_once('.') {
        Some((qualifier, name)) => {
            name.eq_ignore_ascii_case(&operation.name)
                && operation.qualified_name[..operation.qualified_name.len() - operation.name.len()]
                    .trim_end_matches('.')
                    .eq_ignore_ascii_case(qualifier)
                || segment.eq_ignore_ascii_case(&operation.qualified_name)
        }
        None => segment.eq_ignore_ascii_case(&operation.name),
    }
}

/// Splits a path into segments at `/`, except inside parentheses or single quotes
/// (`/items('a/b')`, `/drive/root:/a/b.xlsx:` is left to the caller).
fn split_segments(path: &str) -> Vec<&str> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut segments = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (i, c) in path.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            '/' if !quoted && depth == 0 => {
                if i > start {
                    segments.push(&path[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < path.len() {
        segments.push(&path[start..]);
    }
    segments
}

/// `name(args)` → (`name`, `Some("args")`); `name` → (`name`, `None`). A composable
/// function followed by a key, `name(args)(key)`, keeps `(key)` in the name's place for
/// [`split_key`].
fn split_call(segment: &str) -> (&str, Option<&str>) {
    let Some(open) = segment.find('(') else {
        return (segment, None);
    };
    match matching_paren(segment, open) {
        Some(close) => (&segment[..open], Some(&segment[open + 1..close])),
        None => (segment, None),
    }
}

/// The key parentheses after a call's: `f(a=1)('k')` → `Some("'k'")`.
fn split_key(segment: &str) -> Option<&str> {
    let open = segment.find('(')?;
    let close = matching_paren(segment, open)?;
    let rest = &segment[close + 1..];
    (rest.starts_with('(') && rest.ends_with(')')).then(|| &rest[1..rest.len() - 1])
}

/// The index of the `)` that closes the `(` at `open`, outside single quotes.
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let (mut depth, mut quoted) = (0usize, false);
    for (i, c) in text[open..].char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

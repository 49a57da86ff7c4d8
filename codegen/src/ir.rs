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
    /// The addressable resources: entry points and what containment navigation, keys, stream
    /// properties and bound operations reach from them. Parents come before their children.
    pub paths: Vec<PathNode>,
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

    pub fn path(&self, id: PathId) -> &PathNode {
        &self.paths[id.0]
    }

    /// The path node a concrete or template path (`/a/b/{id}`, `/a/b/123`) addresses, and the
    /// name of a bound operation when the last segment calls one (`/a/{id}/assign`).
    pub fn match_path(&self, path: &str) -> Option<(PathId, Option<String>)> {
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let (first, rest) = segments.split_first()?;
        let mut current = self
            .paths
            .iter()
            .find(|p| {
                p.parent.is_none()
                    && matches!(&p.segment, Segment::Literal(l) if l.eq_ignore_ascii_case(first))
            })?
            .id;
        for (i, segment) in rest.iter().enumerate() {
            let children = &self.path(current).children;
            let literal = children.iter().copied().find(|&c| matches!(&self.path(c).segment, Segment::Literal(l) if l.eq_ignore_ascii_case(segment)));
            let key = children
                .iter()
                .copied()
                .find(|&c| matches!(self.path(c).segment, Segment::Key { .. }));
            match (literal, key) {
                (Some(next), _) => current = next,
                (None, Some(next))
                    if !self
                        .calls(current)
                        .any(|name| same_operation(name, segment)) =>
                {
                    current = next
                }
                _ if i == rest.len() - 1 => {
                    let name = self
                        .calls(current)
                        .find(|name| same_operation(name, segment))?;
                    return Some((current, Some(name.to_owned())));
                }
                _ => return None,
            }
        }
        Some((current, None))
    }

    /// Names of the bound operations callable on a path node.
    fn calls(&self, node: PathId) -> impl Iterator<Item = &str> {
        self.path(node)
            .operations
            .iter()
            .filter_map(|op| op.kind.called(self))
            .map(|called| called.name.as_str())
    }

    pub fn find_type(&self, qualified_name: &str) -> Option<&TypeDef> {
        self.types
            .iter()
            .find(|t| t.qualified_name == qualified_name)
    }
}

/// One part of the service that users can compile alone: an entity set or singleton, the paths
/// below it, and the types they reach.
#[derive(Debug)]
pub struct Area {
    /// The entry point's name, as the service spells it.
    pub name: String,
    /// The cargo feature that compiles this area.
    pub feature: String,
    /// File stem of the module of its request builders, under `src/requests/`.
    pub module: String,
    pub root: PathId,
    /// Every path under the entry point, the root first, parents before children.
    pub paths: Vec<PathId>,
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
    /// `Edm.Untyped`, `Edm.PrimitiveType` and the abstract `Edm.ComplexType`/`Edm.EntityType`.
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
            "Untyped"
            | "PrimitiveType"
            | "ComplexType"
            | "EntityType"
            | "AnnotationPath"
            | "PropertyPath"
            | "NavigationPropertyPath"
            | "ModelElementPath" => Untyped,
            spatial if spatial.starts_with("Geography") || spatial.starts_with("Geometry") => {
                Spatial
            }
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PathId(pub usize);

/// `assign` is called as `/assign` or namespace-qualified as `/microsoft.graph.assign`.
fn same_operation(name: &str, segment: &str) -> bool {
    let unqualified = segment.rsplit('.').next().unwrap_or(segment);
    unqualified.eq_ignore_ascii_case(name)
}

/// One addressable resource, such as `/officeConfiguration/clientConfigurations/{id}`.
#[derive(Debug)]
pub struct PathNode {
    pub id: PathId,
    pub parent: Option<PathId>,
    pub segment: Segment,
    /// The full template, for example `/officeConfiguration/clientConfigurations/{officeClientConfiguration-id}`.
    pub template: String,
    /// The request builder's struct name, unique among path nodes.
    pub rust_name: String,
    /// The method on the parent (or the root function) that leads here.
    pub accessor: String,
    pub kind: PathKind,
    pub operations: Vec<PathOperation>,
    pub children: Vec<PathId>,
    pub docs: Docs,
    /// Index of the area (entry point) this path is under.
    pub area: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    /// A key in key-as-segment form; `name` is the template parameter (`officeClientConfiguration-id`).
    Key {
        name: String,
        rust_name: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// A collection of entities (an entity set or a collection-valued containment navigation).
    Collection { item: TypeId },
    /// One entity (a singleton, a key into a collection, or a single-valued containment navigation).
    Entity { ty: TypeId, deletable: bool },
    /// Raw bytes: a stream property, or the media content (`$value`) of a media entity.
    Stream,
}

#[derive(Debug)]
pub struct PathOperation {
    pub rust_name: String,
    /// Whether a documentation page describes this operation.
    pub documented: bool,
    pub kind: PathOperationKind,
    pub docs: Docs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathOperationKind {
    List {
        item: TypeId,
    },
    Create {
        item: TypeId,
    },
    Get {
        ty: TypeId,
    },
    Update {
        ty: TypeId,
    },
    Delete,
    GetStream,
    PutStream,
    /// A bound action or function, called on this path with its name as the last segment.
    Call {
        operation: usize,
    },
}

impl PathOperationKind {
    /// The bound operation a call invokes; `None` for the other kinds.
    pub fn called(self, model: &Model) -> Option<&Operation> {
        match self {
            PathOperationKind::Call { operation } => Some(&model.operations[operation]),
            _ => None,
        }
    }

    /// The HTTP method the operation is sent with.
    pub fn http_method(self, model: &Model) -> &'static str {
        match self {
            PathOperationKind::List { .. }
            | PathOperationKind::Get { .. }
            | PathOperationKind::GetStream => "GET",
            PathOperationKind::Create { .. } => "POST",
            PathOperationKind::Update { .. } => "PATCH",
            PathOperationKind::Delete => "DELETE",
            PathOperationKind::PutStream => "PUT",
            PathOperationKind::Call { operation } => match model.operations[operation].kind {
                OperationKind::Action => "POST",
                OperationKind::Function => "GET",
            },
        }
    }
}

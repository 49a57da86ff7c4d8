//! The intermediate representation (IR): the contract between resolution and emission.
//!
//! The resolve stage turns the parsed CSDL documents and the documentation pages into one
//! [`Model`]; the emit stage writes the generated crate from it, and `lint` checks
//! documentation pages against it. Every decision that is not about Rust
//! syntax is taken before the IR exists: what each name refers to, what each Rust identifier
//! is, what the URL tree looks like, which cargo feature compiles what. The emitters only format
//! it, and the two sides can change independently as long as this contract holds.
//!
//! # Invariants
//!
//! A [`Model`] that resolution returns (it returns `None` when there were errors) upholds these:
//!
//! - **Everything is resolved.** References are [`TypeId`]s, [`NamespaceId`]s, [`BuilderId`]s or
//!   indexes, never names or aliases to look up. Nothing points back into the CSDL syntax tree,
//!   except spans (file and byte offset) for diagnostics.
//! - **Identifiers are valid and unique.** Every `rust_name`, `module` and `feature` is a valid
//!   Rust identifier, file stem or feature name (keywords become raw identifiers such as
//!   `r#type`; module names are never raw), unique, compared case-insensitively, within the
//!   scope the generated code declares it in; each field says which scope. The exception is
//!   [`Operation::rust_name`], which overloads share.
//! - **Order is deterministic.** Every `Vec` is in the order its documentation gives, never in
//!   hash order: the same input gives the same crate, byte for byte.
//! - **Ids index the model's vectors.** [`TypeId`] indexes [`Model::types`], [`NamespaceId`]
//!   [`Model::namespaces`], [`BuilderId`] [`Resources::builders`]; an id stored in an item equals
//!   its own index. A plain `usize` says in its documentation which vector it indexes, and is in
//!   range.
//! - **Wire names are the service's.** Every `name` is spelled as the input spells it, for
//!   JSON members and URL segments; only `rust_name`s are changed.
//!
//! # Map
//!
//! - Data types: [`Model::namespaces`] and [`Model::types`]: a [`TypeDef`] is a structured type
//!   ([`StructType`], with its flattened [`Property`] list and [`Dispatch`] enum), an
//!   enumeration ([`EnumType`]) or a type definition (an alias of a [`Primitive`]); [`TypeRef`]
//!   refers to any of them.
//! - Operations: [`Model::operations`] (actions and functions, bound or not) and
//!   [`Model::operation_imports`].
//! - Entity sets and singletons: [`Model::entry_points`].
//! - The URL model: [`Model::resources`], request [`Builder`]s keyed by what they address, with
//!   their [`Member`]s, and the [`Root`]s; [`Model::match_path`] reads a URL path against it.
//! - Cargo features: [`Model::areas`], and the [`Gate`] on each item.
//! - Descriptions: [`Docs`], on most items.

use crate::source::Span;

/// Whether a structured type is an entity type (OData CSDL XML 4.01 §6: has a key, is
/// addressable) or a complex type (§9: a value without identity).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StructuredKind {
    /// An `EntityType`.
    Entity,
    /// A `ComplexType`.
    Complex,
}

/// Whether an operation is an action (OData CSDL XML 4.01 §12.1: may have side effects,
/// invoked with `POST`) or a function (§12.2: no side effects, invoked with `GET`, may be
/// composable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum OperationKind {
    /// An `Action`.
    Action,
    /// A `Function`.
    Function,
}

/// Identifies a type (entity, complex, enumeration or type definition): an index into
/// [`Model::types`]. Ids follow the types' order: sorting by id sorts by namespace, then name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Identifies a namespace: an index into [`Model::namespaces`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NamespaceId(pub usize);

/// The whole service, resolved: the root of the IR (see the [module documentation](self)).
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Model {
    /// Indexed by [`NamespaceId`]; sorted by name. Only namespaces that declare a type or an
    /// operation the model keeps.
    pub namespaces: Vec<Namespace>,
    /// Indexed by [`TypeId`]; sorted by namespace, then wire name. Only the types `--select`
    /// keeps (all of them without a selection).
    pub types: Vec<TypeDef>,
    /// Every action and function, bound or unbound; sorted by namespace, then name (so that the
    /// overloads of one name are adjacent), then position in the input.
    pub operations: Vec<Operation>,
    /// Entity sets and singletons of all entity containers, sorted by name, then container.
    pub entry_points: Vec<EntryPoint>,
    /// Action and function imports of all entity containers, sorted by name, then container.
    pub operation_imports: Vec<OperationImport>,
    /// The request builders and the roots of the URL tree (see [`Resources`]).
    pub resources: Resources,
    /// The cargo features of the generated crate, one per root of the URL tree (entity set,
    /// singleton, or overload of an operation import): `areas[i].root == i`. Empty when there
    /// are no roots; then nothing is gated.
    pub areas: Vec<Area>,
}

impl Model {
    /// The operation `id` names.
    pub fn operation(&self, id: OperationId) -> &Operation {
        &self.operations[id.0]
    }

    /// The area `id` names.
    pub fn area(&self, id: AreaId) -> &Area {
        &self.areas[id.0]
    }

    /// The type `id` identifies.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The namespace `id` identifies.
    pub fn namespace(&self, id: NamespaceId) -> &Namespace {
        &self.namespaces[id.0]
    }

    /// The types of one namespace, in [`TypeId`] order.
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
    pub fn bound_operations(&self) -> std::collections::HashMap<(TypeId, bool), Vec<OperationId>> {
        let mut bound: std::collections::HashMap<(TypeId, bool), Vec<OperationId>> =
            Default::default();
        for (index, op) in self.operations.iter().enumerate() {
            if let Some(TypeRef {
                target: Target::Named(ty),
                collection,
            }) = op.binding
            {
                bound
                    .entry((ty, collection))
                    .or_default()
                    .push(OperationId(index));
            }
        }
        bound
    }

    /// The type of this qualified name (namespace, not alias; exact case), if the model has it.
    pub fn find_type(&self, qualified_name: &str) -> Option<&TypeDef> {
        self.types
            .iter()
            .find(|t| t.qualified_name == qualified_name)
    }
}

/// One part of the service that users can compile alone: an entity set, singleton or operation
/// import, and the types it reaches.
#[derive(Debug)]
#[non_exhaustive]
pub struct Area {
    /// The entry point's or import's name, as the service spells it.
    pub name: String,
    /// The cargo feature that compiles this area: the name in kebab-case, unique among the
    /// crate's features (never `default`, `client`, `dynamic` or `full`).
    pub feature: String,
    /// Index into [`Resources::roots`]: the area's own index.
    pub root: usize,
}

/// Which area features compile an item: any of these areas (indexes into [`Model::areas`]),
/// sorted. Empty means no area reaches the item; only the `full` feature compiles it. Gates
/// mean nothing when [`Model::areas`] is empty: then nothing is gated.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gate(pub Vec<AreaId>);

impl Gate {
    /// Every gate the model's items carry (types, their fields and dispatch variants,
    /// operations, builder members), each once.
    pub fn all_of(model: &Model) -> std::collections::BTreeSet<&Gate> {
        let mut gates = std::collections::BTreeSet::new();
        for ty in &model.types {
            gates.insert(&ty.gate);
            if let Some(s) = ty.as_struct() {
                gates.extend(s.properties.iter().filter_map(|p| p.gate.as_ref()));
                if let Some(dispatch) = &s.dispatch {
                    gates.extend(dispatch.variants.iter().filter_map(|v| v.gate.as_ref()));
                }
            }
        }
        gates.extend(model.operations.iter().map(|o| &o.gate));
        for builder in &model.resources.builders {
            gates.extend(builder.members.iter().filter_map(|m| m.gate.as_ref()));
        }
        gates
    }

    /// Whether every set of features that compiles `other` also compiles `self` (`full`
    /// compiles everything).
    pub fn covers(&self, other: &Gate) -> bool {
        other.0.iter().all(|a| self.0.binary_search(a).is_ok())
    }
}

/// Documentation of an element, in plain text as the input gives it: not escaped for Markdown
/// or Rust (the emitters sanitize it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Docs {
    /// The `Core.Description` annotation (inline, else from an `Annotations` element that
    /// targets the element); for properties and builder members, else the description a
    /// documentation page gives.
    pub summary: Option<String>,
    /// The `Core.LongDescription` annotation, found the same way.
    pub long: Option<String>,
    /// The documentation page that describes the element, when the input names where it is
    /// published (see [`DocPage`]).
    pub page: Option<DocPage>,
}

/// A documentation page as published: for a Microsoft Graph page read from a docs tree laid
/// out as Microsoft publishes it (`.../v1.0/api/user-sendmail.md`), its title and
/// `https://learn.microsoft.com/graph/api/user-sendmail?view=graph-rest-1.0`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocPage {
    /// The page's title (`Send mail`), as plain text.
    pub title: String,
    /// Where the page is published: an absolute `https` URL.
    pub url: String,
}

impl Docs {
    /// Whether there is no description at all (nor a page).
    pub fn is_empty(&self) -> bool {
        self.summary.is_none() && self.long.is_none() && self.page.is_none()
    }
}

/// A CSDL namespace (OData CSDL XML 4.01 §5): the `Schema` elements of that namespace, across
/// all input documents, merged.
#[derive(Debug)]
#[non_exhaustive]
pub struct Namespace {
    /// The namespace, such as `microsoft.graph`.
    pub name: String,
    /// The `Alias` of one of its `Schema` elements (§5.1), if any declares one.
    pub alias: Option<String>,
    /// Module (and directory) name in the generated crate, from the namespace's name; a plain
    /// identifier, never a path, unique among namespaces and never a module the crate has
    /// anyway (`client`, `request`, ...).
    pub module: String,
    /// Descriptions annotated on its `Schema` elements.
    pub docs: Docs,
}

/// A named type of the model: entity type, complex type, enumeration or type definition.
#[derive(Debug)]
#[non_exhaustive]
pub struct TypeDef {
    /// Its own index in [`Model::types`].
    pub id: TypeId,
    /// The namespace that declares it.
    pub namespace: NamespaceId,
    /// The name as the service spells it.
    pub name: String,
    /// `namespace.name`, with the namespace (never its alias): the `@odata.type` value without
    /// `#`.
    pub qualified_name: String,
    /// The UpperCamelCase name of the generated struct or enum, unique within the namespace
    /// (among types, dispatch enums and parameter structs).
    pub rust_name: String,
    /// File stem of the module holding this type, unique within the namespace.
    pub module: String,
    /// Its descriptions.
    pub docs: Docs,
    /// Where the type is declared.
    pub span: Span,
    /// What kind of type it is, with what that kind declares.
    pub kind: TypeKind,
    /// The areas whose features compile this type.
    pub gate: Gate,
    /// A Rust path that stands for this type wherever it is used, instead of a generated
    /// struct or enum (set with [`Generator::extern_type`](crate::Generator::extern_type)):
    /// then nothing is generated for it.
    pub replacement: Option<String>,
    /// Outer attributes added to its struct or enum as written, such as `#[derive(Hash)]`
    /// ([`Generator::type_attribute`](crate::Generator::type_attribute)).
    pub attributes: Vec<String>,
}

/// The three kinds of named type, and what each declares.
#[derive(Debug)]
#[non_exhaustive]
pub enum TypeKind {
    /// An `EntityType` (§6) or `ComplexType` (§9).
    Struct(StructType),
    /// An `EnumType` (§10).
    Enum(EnumType),
    /// A `TypeDefinition` (§11): a named primitive. Its facets are not kept.
    Alias(Primitive),
}

impl TypeDef {
    /// The structured type, for an entity or complex type.
    pub fn as_struct(&self) -> Option<&StructType> {
        match &self.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The enumeration, for an enum type.
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

/// An entity type (OData CSDL XML 4.01 §6) or complex type (§9), with inheritance flattened.
#[derive(Debug)]
#[non_exhaustive]
pub struct StructType {
    /// Entity or complex type.
    pub kind: StructuredKind,
    /// `Abstract` (§6.2, §9.2): no value has exactly this type.
    pub is_abstract: bool,
    /// `OpenType` (§6.3, §9.3): values may have dynamic properties, which the struct keeps in
    /// its additional properties.
    pub is_open: bool,
    /// `HasStream` (§6.4): a media entity type, whose entities have a media stream (`$value`).
    pub has_stream: bool,
    /// The `BaseType` (§6.1, §9.1), an entity type for an entity type, a complex type for a
    /// complex type.
    pub base: Option<TypeId>,
    /// The `PropertyRef` names of the key (§6.5), in declaration order: the key of the first
    /// type that declares one, from the root base type down to this one (inherited keys
    /// included). A name may be a path into a complex property (`address/city`). Empty for
    /// complex types and entity types without a key.
    pub key: Vec<String>,
    /// Every property, inherited ones first (root type first), then in declaration order:
    /// structural properties, then navigation properties, of each type. A property whose JSON
    /// name another one already has (or `@odata.type`) is left out, with a warning; so is a
    /// navigation property whose type `--select` does not keep (see `unselected_navigation`).
    pub properties: Vec<Property>,
    /// The navigation properties (JSON names, inherited ones first) that are not generated
    /// because `--select` does not keep their types: it does not follow navigation to other
    /// entities unless asked. Their JSON members are kept in the additional properties.
    pub unselected_navigation: Vec<String>,
    /// Every type derived from this one, directly or not, in [`TypeId`] order.
    pub derived: Vec<TypeId>,
    /// The enum that dispatches on `@odata.type`, for a type with derived types; `None` when
    /// `derived` is empty.
    pub dispatch: Option<Dispatch>,
    /// Rust name of the field holding the `@odata.type` control information, which every
    /// struct has besides its properties (`odata_type`: it is claimed before the properties).
    pub odata_type_field: String,
    /// Rust name of the field that keeps the JSON members no field reads (unknown and dynamic
    /// properties, `unselected_navigation`, and properties of types this build does not
    /// compile):
    /// `additional_properties`, claimed second.
    pub additional_properties_field: String,
}

impl StructType {
    /// Whether a new value of this type names its own `@odata.type` by default: a concrete
    /// derived type must say what it is when sent where its base type is expected.
    pub fn tags_itself(&self) -> bool {
        self.base.is_some() && !self.is_abstract
    }
}

/// The enum generated for a type with derived types, which reads a value as the type its
/// `@odata.type` names.
#[derive(Debug)]
#[non_exhaustive]
pub struct Dispatch {
    /// The enum's name, `Any` and the type's Rust name, unique within the type's namespace.
    pub rust_name: String,
    /// One variant for each derived type, in the order of [`StructType::derived`].
    pub variants: Vec<DispatchVariant>,
    /// The variant holding the base type itself: values whose `@odata.type` is the base type,
    /// missing or unknown. The type's Rust name (`Other` for an abstract type), unique among
    /// the variants.
    pub fallback: String,
}

/// The variant of a [`Dispatch`] enum for one derived type.
#[derive(Debug)]
#[non_exhaustive]
pub struct DispatchVariant {
    /// The variant's name: the derived type's Rust name, made unique among the variants.
    pub rust_name: String,
    /// The derived type the variant holds.
    pub ty: TypeId,
    /// Set when the derived type is not compiled everywhere the base type is.
    pub gate: Option<Gate>,
}

/// Whether a property is a structural or a navigation property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PropertyKind {
    /// A `Property` (OData CSDL XML 4.01 §7): a value of a primitive, enumeration, type
    /// definition or complex type, or a collection of them.
    Structural,
    /// A `NavigationProperty` (§8): related entities.
    Navigation {
        /// `ContainsTarget` (§8.4): the entities are contained, reached only through this
        /// property (an implicit entity set of the declaring entity).
        contains_target: bool,
    },
}

/// A property of a structured type, declared by the type or inherited.
#[derive(Debug)]
#[non_exhaustive]
pub struct Property {
    /// The name as the service spells it: the JSON member name and the URL segment.
    pub name: String,
    /// The snake_case field name (a raw identifier for a keyword, `r#type`), unique within
    /// the struct, the `@odata.type` and additional-properties fields included.
    pub rust_name: String,
    /// The property's type: for a navigation property, the target entity type
    /// ([`Primitive::Untyped`] for the abstract `Edm.EntityType`).
    pub ty: TypeRef,
    /// `Nullable` as the metadata says it (default true): whether the value may be `null`; for
    /// a collection, whether its items may be (§7.2.1, §8.2).
    pub nullable: bool,
    /// Structural or navigation property.
    pub kind: PropertyKind,
    /// A single value that must be boxed because the types contain each other.
    pub boxed: bool,
    /// The type that declares it: the struct's own type, or a base type.
    pub declared_in: TypeId,
    /// Its descriptions, or the description a documentation page's property table gives.
    pub docs: Docs,
    /// Where the property is declared.
    pub span: Span,
    /// The facets of a structural property; all `None` for a navigation property.
    pub facets: Facets,
    /// Set when the property's type is not compiled everywhere its struct is (a navigation
    /// property to a type of another area); without the feature, its values stay in
    /// `additional_properties`.
    pub gate: Option<Gate>,
    /// Outer attributes added to its field as written
    /// ([`Generator::field_attribute`](crate::Generator::field_attribute)).
    pub attributes: Vec<String>,
}

/// The type facets of a structural property (OData CSDL XML 4.01 §7.2), as the metadata writes
/// them: text, not parsed or checked, and shown only in documentation. For a collection they
/// constrain each item. `None` means not specified. `Unicode` and `SRID` are not kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// `MaxLength` (§7.2.2): a positive integer, in characters (Unicode code points) for a
    /// string, in bytes for binary data or a stream; or `max` (OData 4.0) for the most the
    /// service supports. Not specified: any length.
    pub max_length: Option<String>,
    /// `Precision` (§7.2.3): for `Edm.Decimal`, the most significant decimal digits (not
    /// specified: arbitrary); for `Edm.DateTimeOffset`, `Edm.Duration` and `Edm.TimeOfDay`, the
    /// digits after the decimal point of the seconds, 0 to 12 (not specified: 0).
    pub precision: Option<String>,
    /// `Scale` (§7.2.4) of an `Edm.Decimal`: the most digits to the right of the decimal point,
    /// at most the precision; or `variable`, or `floating` (a decimal floating-point number of
    /// `precision` significant digits). Not specified: 0.
    pub scale: Option<String>,
    /// `DefaultValue` (§7.2.7): the value the service uses when a `POST` or `PUT` body leaves
    /// the property out, as a literal of the property's type (XML-unescaped).
    pub default_value: Option<String>,
}

/// The type of a property, parameter, return value or binding parameter: a type, or a
/// collection of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TypeRef {
    /// The type, or the collection's item type.
    pub target: Target,
    /// Whether the type is `Collection(...)` of `target`.
    pub collection: bool,
}

/// A built-in primitive type or a named type of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// An `Edm` type.
    Primitive(Primitive),
    /// An entity, complex, enumeration or type definition of the model.
    Named(TypeId),
}

/// The `Edm` primitive types (OData CSDL XML 4.01 §3.3), as the generator distinguishes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    /// `Edm.Binary`: bytes, base64url-encoded on the wire.
    Binary,
    /// `Edm.Boolean`.
    Boolean,
    /// `Edm.Byte`: an unsigned 8-bit integer.
    Byte,
    /// `Edm.Date`: a date without a time of day.
    Date,
    /// `Edm.DateTimeOffset`: a date and time with a UTC offset.
    DateTimeOffset,
    /// `Edm.Decimal`: a decimal number (see [`Facets::precision`] and [`Facets::scale`]).
    Decimal,
    /// `Edm.Double`: a 64-bit floating-point number.
    Double,
    /// `Edm.Duration`: a signed length of time.
    Duration,
    /// `Edm.Guid`: a 128-bit identifier.
    Guid,
    /// `Edm.Int16`: a signed 16-bit integer.
    Int16,
    /// `Edm.Int32`: a signed 32-bit integer.
    Int32,
    /// `Edm.Int64`: a signed 64-bit integer.
    Int64,
    /// `Edm.SByte`: a signed 8-bit integer.
    SByte,
    /// `Edm.Single`: a 32-bit floating-point number.
    Single,
    /// `Edm.Stream`: binary content read and written apart from the JSON value (a stream
    /// property, or a stream parameter or return value).
    Stream,
    /// `Edm.String`, and the path types of vocabulary terms (`Edm.PropertyPath` and the like),
    /// which are strings on the wire.
    String,
    /// `Edm.TimeOfDay`: a time of day without a date.
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
            // CSDL 4.01 §3.5: the path types of vocabulary terms, strings on the wire.
            "AnnotationPath"
            | "PropertyPath"
            | "NavigationPropertyPath"
            | "AnyPropertyPath"
            | "ModelElementPath" => String,
            // §3.4: the built-in abstract types; any JSON value.
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

    /// Whether this is one of the integer types (`Byte`, `SByte`, `Int16`, `Int32`, `Int64`),
    /// the types that may underlie an enumeration.
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

/// An enumeration type (OData CSDL XML 4.01 §10).
#[derive(Debug)]
#[non_exhaustive]
pub struct EnumType {
    /// `IsFlags` (§10.2): a value may combine several members (written `A,B` on the wire).
    pub is_flags: bool,
    /// The `UnderlyingType` (§10.1): an integer type, `Int32` when not specified.
    pub underlying: Primitive,
    /// The members, in declaration order.
    pub members: Vec<EnumMember>,
    /// The variant that keeps a value this version of the crate does not know: `Other`, or
    /// `Other2`... when a member takes that name.
    pub other_variant: String,
}

/// A member of an enumeration type (§10.3).
#[derive(Debug)]
#[non_exhaustive]
pub struct EnumMember {
    /// The name as the service spells it, which is also its JSON value.
    pub name: String,
    /// The UpperCamelCase variant name, unique within the enum.
    pub rust_name: String,
    /// The `Value`, within the range of the underlying type; when not specified (never in a
    /// flags enumeration), one more than the previous member's, 0 for the first.
    pub value: i64,
    /// Its descriptions.
    pub docs: Docs,
    /// Where the member is declared.
    pub span: Span,
}

/// An action or function (OData CSDL XML 4.01 §12): one overload, bound or unbound.
/// Overloads share their name and qualified name (§12.2, §12.4).
#[derive(Debug)]
#[non_exhaustive]
pub struct Operation {
    /// The struct holding the parameters sent in the body (actions with parameters), unique
    /// among the types of the operation's namespace: the binding type's name (and
    /// `Collection` for a collection), the operation's, `Parameters` (`UserSendMailParameters`),
    /// or `OpenParameters` for an unbound `open`.
    pub parameters_type: Option<String>,
    /// File stem of the module of `parameters_type`, unique within the namespace (among the
    /// modules of types too); `None` exactly when `parameters_type` is.
    pub parameters_module: Option<String>,
    /// Action (§12.1: may have side effects, called with `POST`) or function (§12.3: none,
    /// called with `GET`).
    pub kind: OperationKind,
    /// The namespace that declares it.
    pub namespace: NamespaceId,
    /// The name as the service spells it.
    pub name: String,
    /// `namespace.name`, with the namespace (never its alias).
    pub qualified_name: String,
    /// The snake_case name (a raw identifier for a keyword), which builder members that call
    /// it claim. Not unique: overloads share it, and a builder may have to rename it.
    pub rust_name: String,
    /// The binding parameter's type (`IsBound`: the first parameter), for a bound operation;
    /// `None` for an unbound one, which only an operation import calls.
    pub binding: Option<TypeRef>,
    /// Parameters other than the binding parameter (§12.9), in declaration order.
    pub parameters: Vec<Parameter>,
    /// The `ReturnType` (§12.8); `None` only for an action that returns nothing.
    pub return_type: Option<ReturnType>,
    /// `IsComposable` (§12.7), for a function: its result can be addressed further (by a key,
    /// a navigation property, another function...).
    pub is_composable: bool,
    /// Its descriptions.
    pub docs: Docs,
    /// Where the operation is declared.
    pub span: Span,
    /// The areas whose paths call this operation (compiles its parameters struct).
    pub gate: Gate,
}

/// A parameter of an operation, other than the binding parameter (§12.9).
#[derive(Debug)]
#[non_exhaustive]
pub struct Parameter {
    /// The name as the service spells it: the JSON member of an action's body, or the name in
    /// a function call's parentheses.
    pub name: String,
    /// The snake_case field and argument name, unique among the operation's parameters.
    pub rust_name: String,
    /// The parameter's type.
    pub ty: TypeRef,
    /// `Nullable` (default true): whether the value may be `null`; for a collection, whether
    /// its items may be.
    pub nullable: bool,
    /// Descriptions annotated on the parameter itself (not through an `Annotations` target).
    pub docs: Docs,
}

/// What an operation returns (§12.8).
#[derive(Debug)]
#[non_exhaustive]
pub struct ReturnType {
    /// The returned type.
    pub ty: TypeRef,
    /// `Nullable` (default true): whether the result may be `null`; for a collection, whether
    /// its items may be.
    pub nullable: bool,
}

/// The two kinds of entry point of an entity container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryPointKind {
    /// An `EntitySet` (OData CSDL XML 4.01 §13.2): a collection of entities.
    EntitySet,
    /// A `Singleton` (§13.3): one entity, which always exists.
    Singleton,
}

/// An entity set or singleton: a named entry point of the service (its first URL segment).
#[derive(Debug)]
#[non_exhaustive]
pub struct EntryPoint {
    /// Entity set or singleton.
    pub kind: EntryPointKind,
    /// The qualified name of the entity container that declares it (`namespace.Container`).
    pub container: String,
    /// The name as the service spells it: the URL segment.
    pub name: String,
    /// A snake_case name, unique among entry points (roots claim their own, see
    /// [`Root::rust_name`]).
    pub rust_name: String,
    /// The entity type of the set's entities, or of the singleton.
    pub ty: TypeId,
    /// The `NavigationPropertyBinding`s (§13.4) as (`Path`, `Target`), in declaration order,
    /// unresolved.
    pub navigation_bindings: Vec<(String, String)>,
    /// Its descriptions.
    pub docs: Docs,
    /// Where it is declared.
    pub span: Span,
}

/// An `ActionImport` (OData CSDL XML 4.01 §13.5) or `FunctionImport` (§13.6): an unbound
/// operation exposed at the service root.
#[derive(Debug)]
#[non_exhaustive]
pub struct OperationImport {
    /// Action or function import.
    pub kind: OperationKind,
    /// The qualified name of the entity container that declares it (`namespace.Container`).
    pub container: String,
    /// The name as the service spells it: the URL segment.
    pub name: String,
    /// A snake_case name, unique among operation imports (roots claim their own, see
    /// [`Root::rust_name`]).
    pub rust_name: String,
    /// The imported operation's overloads (indexes into [`Model::operations`]: the unbound
    /// operations of the qualified name its `Action` or `Function` attribute gives), in model
    /// order; never empty.
    pub operations: Vec<OperationId>,
    /// The `EntitySet` attribute, unresolved: the entity set of the entities it returns.
    pub entity_set: Option<String>,
    /// Its descriptions.
    pub docs: Docs,
    /// Where it is declared.
    pub span: Span,
}

/// Identifies an operation: an index into [`Model::operations`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub usize);

/// Identifies an area (a cargo feature): an index into [`Model::areas`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AreaId(pub usize);

/// Identifies a request builder: an index into [`Resources::builders`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuilderId(pub usize);

/// The URL model of the service (OData URL Conventions 4.01 §4.3 to §4.15): request builders
/// keyed by what they address, not by where. Every path that reaches an entity of type `T`
/// shares `T`'s entity builder, every path that reaches a collection of `T` shares its
/// collection builder; the builder carries its URL at run time. The generated code is
/// therefore linear in types, properties and operations, however the containment graph nests.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Resources {
    /// Indexed by [`BuilderId`]; in the order they were first reached from the roots.
    pub builders: Vec<Builder>,
    /// One per entry point and one per overload of each operation import, sorted by name,
    /// then Rust name. Each is an area: root `i` is [`Model::areas`]`[i]` (when the crate has
    /// areas).
    pub roots: Vec<Root>,
    /// How keys and operation names are written in URLs.
    pub conventions: UrlConventions,
    /// The service root the generated client uses when given none: the generator's setting
    /// ([`crate::Generator::service_root`]), else Microsoft Graph's beta endpoint when the
    /// model has the `microsoft.graph` namespace: the version its schema declares
    /// (`Core.SchemaVersion`) or its pages' examples call, else v1.0; `None` makes the client
    /// ask for one.
    pub service_root: Option<String>,
    /// Whether `service_root` is Microsoft Graph's v1.0 endpoint chosen for want of anything
    /// saying which version the metadata describes (Graph's published CSDL does not say).
    pub service_root_assumed: bool,
}

impl Resources {
    /// The builder `id` identifies.
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
    /// Bound operations of every namespace written without the namespace (`/assign` rather
    /// than `/microsoft.graph.assign`, §4.5; `Core.DefaultNamespace` does this for one
    /// schema). Type-cast segments are always qualified.
    pub unqualified_operations: bool,
    /// The URLs of a JSON batch's requests written as absolute paths below the service root
    /// (`/me/drive`), as Microsoft Graph's JSON batching writes them; otherwise relative to the
    /// `$batch` URL (`me/drive`), as OData JSON Format 4.01 §19.1 reads them.
    pub batch_paths_from_service_root: bool,
}

impl UrlConventions {
    /// Microsoft Graph's form, which its documentation uses although its CSDL declares
    /// neither: keys as segments, operations unqualified.
    pub const GRAPH: UrlConventions = UrlConventions {
        key_as_segment: true,
        unqualified_operations: true,
        batch_paths_from_service_root: true,
    };
}

impl Default for UrlConventions {
    /// The specification's defaults: keys in parentheses, operations namespace-qualified.
    fn default() -> Self {
        UrlConventions {
            key_as_segment: false,
            unqualified_operations: false,
            batch_paths_from_service_root: false,
        }
    }
}

/// What a builder addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuilderKind {
    /// One entity of this type (or of a derived type).
    Entity(TypeId),
    /// A collection of entities of this type.
    Collection(TypeId),
    /// A single complex value (a complex property), for navigation and bound operations on it.
    Complex(TypeId),
}

impl BuilderKind {
    /// The type it addresses (the item type, for a collection).
    pub fn ty(self) -> TypeId {
        match self {
            BuilderKind::Entity(t) | BuilderKind::Collection(t) | BuilderKind::Complex(t) => t,
        }
    }
}

/// The request builder of one kind of resource, with a method per operation and per way on.
#[derive(Debug)]
#[non_exhaustive]
pub struct Builder {
    /// Its own index in [`Resources::builders`].
    pub id: BuilderId,
    /// What it addresses; no two builders have the same kind.
    pub kind: BuilderKind,
    /// The struct's name (`{Type}Request`, `{Type}CollectionRequest`), unique among the
    /// builders of its type's namespace (one module), and never a name of the runtime's
    /// request types.
    pub rust_name: String,
    /// Its methods, in this order: the requests on the resource itself (`get`, `update`,
    /// `delete`, `reference`, and `content` for a media entity; `get`, `update` for a complex
    /// value; `list`, `create`, `count`, `references` and the key segment for a collection),
    /// then navigation, stream and complex properties in property order, casts in [`TypeId`]
    /// order, and bound operations in model order. With documentation pages as the only input,
    /// only the members a page documents and those that lead on are kept.
    pub members: Vec<Member>,
    /// For an entity builder: whether an entity set or singleton of its type declares
    /// `Core.OptimisticConcurrency`, so that changes want the etag of what was read.
    pub optimistic_concurrency: bool,
    /// For a collection builder: whether its type (or a base type), an entity set of it or a
    /// navigation property to it declares `Capabilities.ChangeTracking` supported.
    pub change_tracking: bool,
}

/// A method of a builder.
#[derive(Debug)]
#[non_exhaustive]
pub struct Member {
    /// The snake_case method name, unique within the builder (`context` and `with_context`
    /// excepted, which every builder has). Overloads of a bound operation are told apart by
    /// their parameters (`image`, `image_with_width`); a bound operation whose name another
    /// member has gets `_action` or `_function`; `$count`, `$ref` and `$value` whose names are
    /// taken get `dollar_count`, `dollar_ref`, `dollar_value`.
    pub rust_name: String,
    /// What the method addresses or does.
    pub kind: MemberKind,
    /// Descriptions of the property or operation it stands for, or a documentation page's
    /// description of the request.
    pub docs: Docs,
    /// Whether a documentation page describes this request.
    pub documented: bool,
    /// Set when what the member reaches is compiled by fewer areas than its builder.
    pub gate: Option<Gate>,
}

/// Capabilities vocabulary restrictions on one path (`InsertRestrictions` and the like): what the
/// metadata says the service does not support there. All `true` means no restriction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Restrictions {
    /// `InsertRestrictions/Insertable`: entities can be created (`POST` to the collection).
    pub insertable: bool,
    /// `UpdateRestrictions/Updatable`: entities can be updated (`PATCH`).
    pub updatable: bool,
    /// `DeleteRestrictions/Deletable`: entities can be deleted (`DELETE`); always false on a
    /// singleton's root, which cannot be.
    pub deletable: bool,
    /// `ReadRestrictions/Readable`: the path can be read (`GET`).
    pub readable: bool,
    /// `CountRestrictions/Countable`: `$count` of the path is supported.
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
    /// Whether nothing is restricted (every field `true`).
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

/// One part of a key: the property's wire name, argument name and type.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeyPart {
    /// The key property's name as the service spells it: the last segment of a `PropertyRef`
    /// path (`city` of `address/city`), written before `=` in a composite key.
    pub name: String,
    /// The snake_case argument name.
    pub rust_name: String,
    /// The key property's type: a primitive, an enumeration or a type definition;
    /// `Edm.String` when the key is a path into a complex property.
    pub ty: Target,
}

/// What a builder's member addresses or does. The sections are OData URL Conventions 4.01's.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemberKind {
    /// `GET` of the entity or complex value.
    Get,
    /// `PATCH` of the entity or complex value.
    Update,
    /// `PUT` of the entity: replaces it whole (OData 4.01 Part 1 §11.4.4).
    Replace,
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
    /// A stream property (§4.6): its content, read and written apart from the entity.
    StreamProperty {
        /// The property's name as the service spells it.
        property: String,
    },
    /// A navigation property (§4.3.2), contained or not, to `target`.
    Navigation {
        /// The property's name as the service spells it.
        property: String,
        /// The builder of the related entity, or of the collection for a collection-valued
        /// property.
        target: BuilderId,
        /// Whether it is a containment navigation property (`ContainsTarget`).
        contained: bool,
        /// Capabilities annotated on the property (in an `Annotations` element whose target is
        /// the declaring type and the property).
        restrictions: Restrictions,
        /// Whether it is single-valued and may be null: its `GET` may answer `204 No Content`.
        nullable: bool,
    },
    /// A single-valued complex property with navigation or bound operations of its own (§4.6).
    ComplexProperty {
        /// The property's name as the service spells it.
        property: String,
        /// The builder of the complex type ([`BuilderKind::Complex`]).
        target: BuilderId,
        /// Whether the property may be null: its `GET` may answer `204 No Content`.
        nullable: bool,
    },
    /// A single-valued structural property that no other member reaches (a primitive or
    /// enumeration value, or a complex value without navigation or bound operations),
    /// addressed on its own (§4.6): read and changed apart from its entity. Not walked by
    /// [`Model::match_path`], whose callers read property paths themselves.
    Property {
        /// The property's name as the service spells it.
        property: String,
        /// Its type.
        ty: TypeRef,
        /// Whether its type is a complex type (read and written as itself, rather than as
        /// `{"value": ...}`).
        complex: bool,
    },
    /// Microsoft Graph's path-based addressing of a drive item or a site (`root:/a/b.txt:`):
    /// the item at a path below this one, of the same type. Offered where the URL conventions
    /// are Graph's (keys as segments). Not walked by [`Model::match_path`].
    PathAddress {
        /// The builder of the addressed item (this builder's own).
        target: BuilderId,
    },
    /// A key segment (§4.3.1): the entity of the collection with this key.
    Key {
        /// The key's parts, in the order of [`StructType::key`]; one for a simple key.
        parts: Vec<KeyPart>,
        /// The builder of one entity of the collection's type.
        target: BuilderId,
    },
    /// A type-cast segment (§4.11) to a derived type.
    Cast {
        /// The derived type, named by its qualified name in the segment.
        ty: TypeId,
        /// The builder of the same kind (entity, collection, complex value) for `ty`.
        target: BuilderId,
    },
    /// A bound action or function (§4.5). `continues` is the builder of a composable
    /// function's result, whose path can go on.
    Call {
        /// Index into [`Model::operations`]: the most specific overload for the builder's type
        /// (an operation bound to a base type, with the same parameter names, is hidden).
        operation: OperationId,
        /// The operation's URL segment: its qualified name, or its bare name under
        /// [`UrlConventions::unqualified_operations`] or `Core.DefaultNamespace`.
        segment: String,
        /// The builder of the result of a composable function returning entities (or a
        /// complex value with navigation or bound operations); `None` otherwise.
        continues: Option<BuilderId>,
    },
}

/// A root of the URL tree.
#[derive(Debug)]
#[non_exhaustive]
pub struct Root {
    /// The segment as the service spells it.
    pub name: String,
    /// The root function's (and client method's) name: snake_case, unique among roots and
    /// never a method the client has anyway; overloads of an import are told apart by their
    /// parameters (`find`, `find_with_author`), and an import whose name an entity set or
    /// singleton has gets `_action` or `_function`.
    pub rust_name: String,
    /// What the root addresses.
    pub kind: RootKind,
    /// The entry point's or import's descriptions.
    pub docs: Docs,
    /// Where the entry point or import is declared.
    pub span: Span,
}

/// What a [`Root`] addresses.
#[derive(Debug)]
#[non_exhaustive]
pub enum RootKind {
    /// An entity set or singleton (index into [`Model::entry_points`]), and its builder.
    EntryPoint {
        /// Index into [`Model::entry_points`].
        entry_point: usize,
        /// The collection builder of an entity set, the entity builder of a singleton.
        builder: BuilderId,
        /// Capabilities annotated on the entity set or singleton.
        restrictions: Restrictions,
    },
    /// An action or function import (index into [`Model::operation_imports`]): one of its
    /// overloads (index into [`Model::operations`]), and the builder of a composable result.
    Import {
        /// Index into [`Model::operation_imports`].
        import: usize,
        /// Index into [`Model::operations`]: the overload this root calls.
        operation: OperationId,
        /// The builder of a composable function's result, as in [`MemberKind::Call`].
        continues: Option<BuilderId>,
    },
}

impl MemberKind {
    /// The service's name for what the member addresses: its property (navigation, complex
    /// or stream) or bound operation; `None` for the other kinds.
    pub fn wire_name<'m>(&'m self, model: &'m Model) -> Option<&'m str> {
        match self {
            MemberKind::Navigation { property, .. }
            | MemberKind::ComplexProperty { property, .. }
            | MemberKind::StreamProperty { property } => Some(property),
            MemberKind::Call { operation, .. } => Some(&model.operation(*operation).name),
            _ => None,
        }
    }

    /// The bound operation a member calls; `None` for the other kinds.
    pub fn called<'m>(&self, model: &'m Model) -> Option<&'m Operation> {
        match self {
            MemberKind::Call { operation, .. } => Some(model.operation(*operation)),
            _ => None,
        }
    }

    /// Whether the member leads to another builder (navigation, complex property, key, cast)
    /// rather than being an operation or a terminal segment of its own. A composable
    /// function's call, which may also go on, counts as an operation.
    pub fn leads_on(&self) -> bool {
        matches!(
            self,
            MemberKind::Navigation { .. }
                | MemberKind::ComplexProperty { .. }
                | MemberKind::Key { .. }
                | MemberKind::Cast { .. }
        )
    }

    /// The HTTP method of an operation member (`Get`, `Update`, `Delete`, `List`, `Create`,
    /// `Count`, and a call without `continues`); `None` for members that lead on, for calls
    /// whose path can go on, and for `$ref`, `$value` and stream properties, which take
    /// several methods.
    pub fn http_method(&self, model: &Model) -> Option<&'static str> {
        Some(match self {
            MemberKind::Get | MemberKind::List | MemberKind::Count => "GET",
            MemberKind::Update => "PATCH",
            MemberKind::Replace => "PUT",
            MemberKind::Delete => "DELETE",
            MemberKind::Create => "POST",
            MemberKind::Call {
                operation,
                continues: None,
                ..
            } => match model.operation(*operation).kind {
                OperationKind::Action => "POST",
                OperationKind::Function => "GET",
            },
            _ => return None,
        })
    }
}

/// What a concrete or template URL path addresses (see [`Model::match_path`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UrlMatch {
    /// The builder the path ends on; for a path that ends in `$ref`, `$count`, `$value`, a
    /// stream property or an operation call, the builder that offers that member.
    pub builder: Option<BuilderId>,
    /// The member (index into the builder's members) the last segment names, if it is one
    /// that does not lead to another builder.
    pub member: Option<usize>,
    /// The operation (index into [`Model::operations`]) the last segment calls, bound or
    /// imported.
    pub call: Option<OperationId>,
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
                        same_operation(self.operation(*operation), name)
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
pub(crate) fn split_segments(path: &str) -> Vec<&str> {
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

/// Methods of the traits every generated type with methods implements (`Clone`, `Debug`,
/// `Into` and the other blanket ones, `Deref` on a runtime crate's client), and those clippy
/// takes for a trait's method in an inherent `fn name(&self) -> &T`: an inherent method of one
/// of these names would hide the trait's in a method call (`client.clone()` would read an
/// entity set named `clone`), so request builders, the client and dispatch enums never take
/// them. `From::from` and `TryFrom::try_from` take no `self`, so a method call cannot reach
/// them: a builder may have a `from()` (Graph's messages have a `from` property); the types
/// that users convert with `T::from(...)` reserve them too.
pub const TRAIT_METHOD_NAMES: [&str; 14] = [
    "clone",
    "clone_from",
    "clone_into",
    "to_owned",
    "fmt",
    "into",
    "try_into",
    "type_id",
    "borrow",
    "borrow_mut",
    "deref",
    "deref_mut",
    "as_ref",
    "as_mut",
];

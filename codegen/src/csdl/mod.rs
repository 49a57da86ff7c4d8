//! The CSDL syntax tree: what the files say, with spans, before any name is resolved. Both
//! representations of CSDL are read into it, so that resolution, the IR and emission never
//! know which one a model came from:
//!
//! - CSDL XML (OData CSDL XML 4.01, EDMX), by the streaming reader in `xml`;
//! - CSDL JSON (OData CSDL JSON 4.01, what `$metadata?$format=json` returns), by `json`.
//!
//! [`parse`] tells them apart by content, not by the file's name.

pub mod facets;
mod json;
mod xml;

pub use xml::{MAX_DEPTH, MAX_VALUE_BYTES};

pub use crate::source::Spanned;

use crate::diagnostics::Diagnostics;

/// The two representations of a CSDL document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// OData CSDL XML 4.01 (an `edmx:Edmx` or `Schema` root element).
    Xml,
    /// OData CSDL JSON 4.01 (a JSON object with `$Version`).
    Json,
}

/// Which representation `text` is in, by its first character that is not white space (after
/// a byte order mark): `{` is CSDL JSON, and so is any other JSON value (`[`, a string, a
/// number, `true`, `false`, `null`), so that JSON's errors say what it is; anything else is
/// read as XML (whose errors then say what was found).
pub fn format_of(text: &str) -> Format {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let json_value = body.starts_with(['{', '[', '"', '-'])
        || body.starts_with(|c: char| c.is_ascii_digit())
        || ["true", "false", "null"].iter().any(|word| body.starts_with(word));
    if json_value {
        Format::Json
    } else {
        Format::Xml
    }
}

/// Parses one CSDL document, XML or JSON ([`format_of`]), into the syntax tree. Returns `None`
/// when the text is not well-formed or not CSDL; every problem found is in `diagnostics`,
/// located in the text.
pub fn parse(file: FileId, text: &str, diagnostics: &mut Diagnostics) -> Option<Document> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        diagnostics.error(
            Span::new(file, 0),
            "no CSDL content: the document is empty (expected CSDL XML, an <edmx:Edmx> or <Schema> element, or CSDL JSON, an object with `$Version`)",
        );
        return None;
    }
    match format_of(text) {
        Format::Xml => xml::parse(file, text, diagnostics),
        Format::Json => json::parse(file, text, diagnostics),
    }
}

/// Whether `name` is a CSDL simple identifier (OData CSDL XML 4.01 §15.1, `SimpleIdentifier`):
/// a letter or `_`, then letters, digits or `_`, at most 128 characters.
pub fn valid_simple_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && name.chars().count() <= 128
}
use crate::source::{FileId, Span};

#[derive(Debug)]
pub struct Document {
    #[allow(dead_code, reason = "the syntax tree keeps where each document came from; the resolver reads the FileId of spans instead")]
    pub file: FileId,
    /// `edmx:Include` elements of `edmx:Reference`s: namespaces of other documents and their aliases.
    pub includes: Vec<Include>,
    pub schemas: Vec<Schema>,
}

impl Document {
    /// Every type name the document writes (as written: qualified by a namespace or an
    /// alias, or `Collection(...)`): of properties, navigation properties, base types,
    /// underlying types, parameters, return types, entity sets and singletons. Fetching reads
    /// them to know which references a document needs.
    #[cfg_attr(not(feature = "fetch"), allow(dead_code))]
    pub fn type_names(&self) -> impl Iterator<Item = &str> {
        self.schemas.iter().flat_map(|schema| {
            let structured = schema.structured_types.iter().flat_map(|t| {
                t.base_type
                    .iter()
                    .chain(t.properties.iter().map(|p| &p.type_name))
                    .chain(t.navigation_properties.iter().map(|n| &n.type_name))
            });
            let underlying = schema
                .enum_types
                .iter()
                .filter_map(|e| e.underlying_type.as_ref())
                .chain(schema.type_definitions.iter().map(|d| &d.underlying_type));
            let operations = schema.operations.iter().flat_map(|o| {
                o.parameters
                    .iter()
                    .map(|p| &p.type_name)
                    .chain(o.return_type.iter().map(|r| &r.type_name))
            });
            let containers = schema.containers.iter().flat_map(|c| {
                c.entity_sets
                    .iter()
                    .chain(&c.singletons)
                    .map(|s| &s.type_name)
            });
            structured
                .chain(underlying)
                .chain(operations)
                .chain(containers)
                .map(|name| name.text.as_str())
        })
    }
}

/// An `edmx:Include` of an `edmx:Reference`: a namespace of another document, which this
/// document may name by an alias.
#[derive(Debug)]
pub struct Include {
    pub namespace: String,
    pub alias: Option<String>,
    /// The `Uri` of the enclosing `edmx:Reference`.
    pub uri: Option<String>,
    /// The `edmx:Include` element.
    pub span: Span,
}

#[derive(Debug)]
pub struct Schema {
    pub namespace: Spanned,
    pub alias: Option<Spanned>,
    pub span: Span,
    pub structured_types: Vec<StructuredType>,
    pub enum_types: Vec<EnumType>,
    pub type_definitions: Vec<TypeDefinition>,
    pub operations: Vec<Operation>,
    pub containers: Vec<EntityContainer>,
    pub annotation_groups: Vec<AnnotationGroup>,
    pub annotations: Vec<Annotation>,
}

impl Schema {
    /// A schema with nothing declared in it yet.
    pub fn empty(namespace: Spanned, alias: Option<Spanned>, span: Span) -> Self {
        Schema {
            namespace,
            alias,
            span,
            structured_types: Vec::new(),
            enum_types: Vec::new(),
            type_definitions: Vec::new(),
            operations: Vec::new(),
            containers: Vec::new(),
            annotation_groups: Vec::new(),
            annotations: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StructuredKind {
    Entity,
    Complex,
}

#[derive(Debug)]
pub struct StructuredType {
    pub kind: StructuredKind,
    pub name: Spanned,
    pub span: Span,
    pub base_type: Option<Spanned>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    pub key: Vec<Spanned>,
    pub properties: Vec<Property>,
    pub navigation_properties: Vec<NavigationProperty>,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug)]
pub struct Property {
    pub name: Spanned,
    pub span: Span,
    pub type_name: Spanned,
    pub nullable: Option<bool>,
    pub max_length: Option<String>,
    pub precision: Option<String>,
    pub scale: Option<String>,
    pub default_value: Option<String>,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug)]
pub struct NavigationProperty {
    pub name: Spanned,
    pub span: Span,
    pub type_name: Spanned,
    pub nullable: Option<bool>,
    pub contains_target: bool,
    #[allow(dead_code, reason = "the syntax tree keeps what the document says; the URL model does not use partners yet")]
    pub partner: Option<String>,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug)]
pub struct EnumType {
    pub name: Spanned,
    pub span: Span,
    pub underlying_type: Option<Spanned>,
    pub is_flags: bool,
    pub members: Vec<EnumMember>,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug)]
pub struct EnumMember {
    pub name: Spanned,
    pub span: Span,
    pub value: Option<Spanned>,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug)]
pub struct TypeDefinition {
    pub name: Spanned,
    pub span: Span,
    pub underlying_type: Spanned,
    pub annotations: Vec<Annotation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OperationKind {
    Action,
    Function,
}

#[derive(Debug)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: Spanned,
    pub span: Span,
    pub is_bound: bool,
    pub is_composable: bool,
    #[allow(dead_code, reason = "the syntax tree keeps what the document says; the resolver does not use EntitySetPath yet")]
    pub entity_set_path: Option<String>,
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug)]
pub struct Parameter {
    pub name: Spanned,
    #[allow(dead_code, reason = "kept for diagnostics; the parser's tests read it")]
    pub span: Span,
    pub type_name: Spanned,
    pub nullable: Option<bool>,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug)]
pub struct ReturnType {
    #[allow(dead_code, reason = "kept for diagnostics; the parser's tests read it")]
    pub span: Span,
    pub type_name: Spanned,
    pub nullable: Option<bool>,
}

#[derive(Debug)]
pub struct EntityContainer {
    pub name: Spanned,
    #[allow(dead_code, reason = "kept for diagnostics; the parser's tests read it")]
    pub span: Span,
    pub entity_sets: Vec<EntitySet>,
    pub singletons: Vec<EntitySet>,
    pub action_imports: Vec<OperationImport>,
    pub function_imports: Vec<OperationImport>,
    pub annotations: Vec<Annotation>,
}

/// An `EntitySet` or a `Singleton`: a named entry point of the service.
#[derive(Debug)]
pub struct EntitySet {
    pub name: Spanned,
    pub span: Span,
    pub type_name: Spanned,
    pub navigation_bindings: Vec<NavigationBinding>,
    pub annotations: Vec<Annotation>,
}

/// A `NavigationPropertyBinding` (CSDL 4.01 §13.4): which entity set (or singleton) the
/// entities reached by a navigation property path of an entity set or singleton are in.
#[derive(Debug)]
pub struct NavigationBinding {
    /// The `Path`: navigation properties (possibly through complex properties and type casts)
    /// from the set's entity type, `/`-separated.
    pub path: Spanned,
    /// The `Target`: an entity set or singleton of the same container by its simple name, or
    /// of another by `Namespace.Container/Name`, possibly followed by containment navigation.
    pub target: Spanned,
}

#[derive(Debug)]
pub struct OperationImport {
    pub name: Spanned,
    pub span: Span,
    /// The `Action` or `Function` attribute: the qualified name of the imported operation.
    pub operation: Spanned,
    pub entity_set: Option<String>,
    pub annotations: Vec<Annotation>,
}

/// An `<Annotations Target="...">` element.
#[derive(Debug)]
pub struct AnnotationGroup {
    pub target: Spanned,
    #[allow(dead_code, reason = "kept for diagnostics; the parser's tests read it")]
    pub span: Span,
    pub annotations: Vec<Annotation>,
}

/// An `<Annotation>`. String values carry descriptions; boolean values, and the boolean
/// properties of a record value, carry the Capabilities and Core terms the URL model honours.
#[derive(Debug)]
pub struct Annotation {
    pub term: Spanned,
    #[allow(dead_code, reason = "kept for diagnostics; the parser's tests read it")]
    pub span: Span,
    pub qualifier: Option<String>,
    pub string: Option<String>,
    /// The `Bool` attribute (`<Annotation Term="..." Bool="false"/>`).
    pub boolean: Option<bool>,
    /// `<Record><PropertyValue Property="Insertable" Bool="false"/></Record>`: the boolean
    /// property values of a record value, in document order.
    pub record: Vec<(String, bool)>,
}

//! A streaming CSDL reader on quick-xml: one pass over the events, a stack of open elements, no
//! recursion, so nesting depth costs heap and is bounded by [`MAX_DEPTH`].

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::facets::{self, Facet};
use super::*;
use crate::diagnostics::Diagnostics;
use crate::source::{FileId, Span};

/// Deepest element nesting accepted. Real CSDL nests about 10 deep.
pub const MAX_DEPTH: usize = 256;

/// The longest attribute value or annotation text. Descriptions in Microsoft Graph stay under
/// 8 KB; a longer value is not metadata, and would be copied into the generated code.
pub const MAX_VALUE_BYTES: usize = 1 << 20;

/// Parses one CSDL file. Returns `None` when the file is not well-formed XML or not CSDL; the
/// reasons are in `diagnostics`.
pub fn parse(file: FileId, text: &str, diagnostics: &mut Diagnostics) -> Option<Document> {
    let (body, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let mut parser = Parser {
        file,
        base,
        diagnostics,
        stack: Vec::new(),
        document: Document {
            file,
            includes: Vec::new(),
            schemas: Vec::new(),
        },
        saw_root: false,
    };
    parser.run(body).then_some(parser.document)
}

/// An open element, holding what has been read of it so far.
enum Frame {
    Edmx,
    DataServices,
    /// An `edmx:Reference`, with its `Uri`.
    Reference(Option<String>),
    Schema(Schema),
    Structured(StructuredType),
    Key(Vec<Spanned>),
    Property(Property),
    NavigationProperty(NavigationProperty),
    Enum(EnumType),
    Member(EnumMember),
    TypeDefinition(TypeDefinition),
    Operation(Operation),
    Parameter(Parameter),
    ReturnType(ReturnType),
    Container(EntityContainer),
    EntitySet(EntitySet),
    Singleton(EntitySet),
    Import {
        is_action: bool,
        import: OperationImport,
    },
    AnnotationGroup(AnnotationGroup),
    Annotation(Annotation),
    /// A `<String>` child of an `<Annotation>`, collecting its text.
    AnnotationString(String),
    /// A `<Record>` child of an `<Annotation>`: its boolean property values go to the annotation.
    AnnotationRecord,
    /// An element this generator does not use, with everything inside it.
    Skipped,
}

impl Frame {
    fn annotations(&mut self) -> Option<&mut Vec<Annotation>> {
        Some(match self {
            Frame::Schema(x) => &mut x.annotations,
            Frame::Structured(x) => &mut x.annotations,
            Frame::Property(x) => &mut x.annotations,
            Frame::NavigationProperty(x) => &mut x.annotations,
            Frame::Enum(x) => &mut x.annotations,
            Frame::Member(x) => &mut x.annotations,
            Frame::TypeDefinition(x) => &mut x.annotations,
            Frame::Operation(x) => &mut x.annotations,
            Frame::Parameter(x) => &mut x.annotations,
            Frame::Container(x) => &mut x.annotations,
            Frame::EntitySet(x) | Frame::Singleton(x) => &mut x.annotations,
            Frame::Import { import, .. } => &mut import.annotations,
            Frame::AnnotationGroup(x) => &mut x.annotations,
            _ => return None,
        })
    }
}

struct Parser<'d> {
    file: FileId,
    /// Bytes before the parsed text (a byte order mark), added to every offset.
    base: usize,
    diagnostics: &'d mut Diagnostics,
    stack: Vec<(Frame, Span)>,
    document: Document,
    saw_root: bool,
}

/// The attributes of one element, unescaped, with a way to locate each of them.
struct Attrs<'a> {
    element: Span,
    /// Offset of the raw attribute text from the element's `<`.
    raw_offset: usize,
    raw: &'a str,
    values: Vec<(String, String)>,
}

impl Attrs<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The span of attribute `name`, or of the element when it cannot be found.
    fn span_of(&self, name: &str) -> Span {
        let mut from = 0;
        while let Some(found) = self.raw[from..].find(name) {
            let at = from + found;
            let before_ok = at == 0 || self.raw.as_bytes()[at - 1].is_ascii_whitespace();
            let after = self.raw[at + name.len()..].trim_start();
            if before_ok && after.starts_with('=') {
                let offset = self.element.offset as usize + self.raw_offset + at;
                return Span::new(self.element.file, offset);
            }
            from = at + name.len();
        }
        self.element
    }

    fn spanned(&self, name: &str) -> Option<Spanned> {
        self.get(name).map(|text| Spanned {
            text: text.to_owned(),
            span: self.span_of(name),
        })
    }

    fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }
}

impl Parser<'_> {
    fn span(&self, offset: u64) -> Span {
        Span::new(self.file, self.base + offset as usize)
    }

    /// Reads the whole text; false when it could not be read as CSDL.
    fn run(&mut self, text: &str) -> bool {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        loop {
            let start = reader.buffer_position();
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(error) => {
                    let at = self.span(reader.error_position());
                    self.diagnostics
                        .error(at, format!("malformed XML: {}", describe_xml_error(&error)));
                    return false;
                }
            };
            let at = self.span(start);
            let ok = match event {
                Event::Start(element) => self.open(&element, at, false),
                Event::Empty(element) => self.open(&element, at, true),
                Event::End(_) => {
                    self.close();
                    true
                }
                Event::Text(text) => self.text(&text.xml10_content(), at),
                Event::CData(data) => self.text(&data.xml10_content(), at),
                Event::GeneralRef(reference) => self.reference(&reference, at),
                Event::DocType(_) => {
                    self.diagnostics.error(
                        at,
                        "document type declarations (<!DOCTYPE>) are not allowed in CSDL; entities are never expanded",
                    );
                    false
                }
                Event::Eof => return self.finish(at),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => true,
            };
            if !ok {
                return false;
            }
        }
    }

    fn finish(&mut self, at: Span) -> bool {
        if let Some((_, open)) = self.stack.last() {
            let open = *open;
            self.diagnostics.push(
                crate::diagnostics::Diagnostic::error(
                    at,
                    "unexpected end of file: the document is truncated (an element is not closed)",
                )
                .with_note(open, "this element is not closed"),
            );
            return false;
        }
        if !self.saw_root {
            self.diagnostics.error(
                at,
                "no CSDL content: expected an <edmx:Edmx> or <Schema> element",
            );
            return false;
        }
        true
    }

    fn text(&mut self, text: &str, at: Span) -> bool {
        match self.stack.last_mut() {
            Some((Frame::AnnotationString(buffer), _)) => {
                if buffer.len() + text.len() > MAX_VALUE_BYTES {
                    self.diagnostics.error(
                        at,
                        format!("annotation text longer than {MAX_VALUE_BYTES} bytes"),
                    );
                    return false;
                }
                buffer.push_str(text)
            }
            None if !text.trim().is_empty() => {
                self.diagnostics
                    .error(at, "text outside of the root element");
                return false;
            }
            _ => {}
        }
        true
    }

    fn reference(&mut self, reference: &quick_xml::events::BytesRef<'_>, at: Span) -> bool {
        let resolved = if reference.is_char_ref() {
            match reference.resolve_char_ref() {
                Ok(Some(c)) => Cow::Owned(c.to_string()),
                _ => {
                    self.diagnostics.error(
                        at,
                        format!(
                            "invalid character reference &{};",
                            reference.xml10_content()
                        ),
                    );
                    return false;
                }
            }
        } else {
            let name = reference.xml10_content();
            match quick_xml::escape::resolve_predefined_entity(&name) {
                Some(text) => Cow::Borrowed(text),
                None => {
                    self.diagnostics.error(
                        at,
                        format!("unknown entity &{name};: only the five predefined XML entities are allowed"),
                    );
                    return false;
                }
            }
        };
        self.text(&resolved, at)
    }

    fn attributes<'e>(&mut self, element: &'e BytesStart<'_>, at: Span) -> Option<Attrs<'e>> {
        let mut values = Vec::new();
        for attribute in element.attributes() {
            let attribute = match attribute {
                Ok(attribute) => attribute,
                Err(error) => {
                    self.diagnostics
                        .error(at, format!("malformed XML attribute: {error}"));
                    return None;
                }
            };
            let value = match attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                Ok(value) => value.into_owned(),
                Err(error) => {
                    let key = attribute.key.as_ref();
                    let located = Attrs {
                        element: at,
                        raw_offset: 1 + element.name().as_ref().len(),
                        raw: element.attributes_raw(),
                        values: Vec::new(),
                    };
                    let reason = match error {
                        quick_xml::Error::Escape(
                            quick_xml::escape::EscapeError::UnrecognizedEntity(_, name),
                        ) => {
                            format!("unknown entity &{name};: only the five predefined XML entities are allowed")
                        }
                        other => other.to_string(),
                    };
                    self.diagnostics
                        .error(located.span_of(key), format!("attribute {key}: {reason}"));
                    return None;
                }
            };
            if value.len() > MAX_VALUE_BYTES {
                let key = attribute.key.as_ref().to_owned();
                let located = Attrs {
                    element: at,
                    raw_offset: 1 + element.name().as_ref().len(),
                    raw: element.attributes_raw(),
                    values: Vec::new(),
                };
                self.diagnostics.error(
                    located.span_of(&key),
                    format!(
                        "attribute {key} is {} bytes long; the limit is {MAX_VALUE_BYTES}",
                        value.len()
                    ),
                );
                return None;
            }
            values.push((attribute.key.local_name().as_ref().to_owned(), value));
        }
        Some(Attrs {
            element: at,
            raw_offset: 1 + element.name().as_ref().len(),
            raw: element.attributes_raw(),
            values,
        })
    }

    fn open(&mut self, element: &BytesStart<'_>, at: Span, empty: bool) -> bool {
        if self.stack.len() >= MAX_DEPTH {
            self.diagnostics.error(
                at,
                format!("elements are nested more than {MAX_DEPTH} deep; this is not CSDL"),
            );
            return false;
        }
        let Some(attrs) = self.attributes(element, at) else {
            return false;
        };
        let name = element.local_name();
        let frame = match self.new_frame(name.as_ref(), &attrs, at) {
            Ok(frame) => frame,
            Err(()) => return false,
        };
        self.stack.push((frame, at));
        if empty {
            self.close();
        }
        true
    }

    /// A required attribute; a missing or empty one is reported and read as empty, which later
    /// stages skip without reporting it again.
    fn required(&mut self, attrs: &Attrs<'_>, element: &str, name: &str) -> Spanned {
        match attrs.spanned(name) {
            Some(value) if !value.text.trim().is_empty() => value,
            Some(value) => {
                self.diagnostics.error(
                    value.span,
                    format!("<{element}> has an empty {name} attribute"),
                );
                Spanned {
                    text: String::new(),
                    span: value.span,
                }
            }
            None => {
                self.diagnostics.error(
                    attrs.element,
                    format!("<{element}> has no {name} attribute"),
                );
                Spanned {
                    text: String::new(),
                    span: attrs.element,
                }
            }
        }
    }

    fn flag(&mut self, attrs: &Attrs<'_>, name: &str) -> Option<bool> {
        let value = attrs.get(name)?;
        match value.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            other => {
                self.diagnostics.error(
                    attrs.span_of(name),
                    format!("{name}=\"{other}\" is not a boolean (expected true or false)"),
                );
                None
            }
        }
    }

    /// The frame for an element opening inside the innermost open one: one step per kind of
    /// parent, each in its own function below. `Err` when the root element is not CSDL.
    fn new_frame(&mut self, name: &str, attrs: &Attrs<'_>, at: Span) -> Result<Frame, ()> {
        let Some((parent, _)) = self.stack.last() else {
            return self.root(name, attrs, at);
        };
        // An annotation may annotate almost anything; what cannot hold one drops it on close.
        if name == "Annotation" && !matches!(parent, Frame::Skipped | Frame::Annotation(_)) {
            return Ok(Frame::Annotation(self.annotation(attrs, at)));
        }
        let frame = match parent {
            Frame::Edmx => self.in_edmx(name, attrs),
            Frame::Reference(uri) => {
                let uri = uri.clone();
                self.in_reference(name, attrs, at, uri)
            }
            Frame::DataServices if name == "Schema" => Frame::Schema(self.schema(attrs, at)),
            Frame::Schema(_) => self.in_schema(name, attrs, at),
            Frame::Structured(_) => self.in_structured_type(name, attrs, at),
            Frame::Key(_) if name == "PropertyRef" => self.property_ref(attrs),
            Frame::Enum(_) if name == "Member" => Frame::Member(self.enum_member(attrs, at)),
            Frame::Operation(_) => self.in_operation(name, attrs, at),
            Frame::Container(_) => self.in_container(name, attrs, at),
            Frame::EntitySet(_) | Frame::Singleton(_) if name == "NavigationPropertyBinding" => {
                self.navigation_binding(attrs)
            }
            Frame::Annotation(_) => match name {
                "String" => Frame::AnnotationString(String::new()),
                "Record" => Frame::AnnotationRecord,
                _ => Frame::Skipped,
            },
            Frame::AnnotationRecord if name == "PropertyValue" => self.record_property(attrs),
            _ => Frame::Skipped,
        };
        Ok(frame)
    }

    /// The root element: `edmx:Edmx` (whose `Version` should be 4.x) or a bare `Schema`.
    fn root(&mut self, name: &str, attrs: &Attrs<'_>, at: Span) -> Result<Frame, ()> {
        match name {
            "Edmx" => {
                self.saw_root = true;
                if let Some(version) = attrs.get("Version") {
                    if !version.starts_with('4') {
                        self.diagnostics.warning(
                            attrs.span_of("Version"),
                            format!("EDMX version {version} is not 4.x; reading it as CSDL 4"),
                        );
                    }
                }
                Ok(Frame::Edmx)
            }
            "Schema" => {
                self.saw_root = true;
                Ok(Frame::Schema(self.schema(attrs, at)))
            }
            other => {
                self.diagnostics.error(
                    at,
                    format!(
                        "<{other}> is not CSDL: expected an <edmx:Edmx> or <Schema> root element"
                    ),
                );
                Err(())
            }
        }
    }

    /// `edmx:DataServices` and `edmx:Reference`.
    fn in_edmx(&mut self, name: &str, attrs: &Attrs<'_>) -> Frame {
        match name {
            "DataServices" => Frame::DataServices,
            "Reference" => Frame::Reference(attrs.string("Uri")),
            _ => Frame::Skipped,
        }
    }

    /// An `edmx:Include` goes straight into the document, with its reference's `Uri`.
    fn in_reference(&mut self, name: &str, attrs: &Attrs<'_>, at: Span, uri: Option<String>) -> Frame {
        if name == "Include" {
            let namespace = self.required(attrs, "Include", "Namespace").text;
            self.document.includes.push(Include {
                namespace,
                alias: attrs.string("Alias"),
                uri,
                span: at,
            });
        }
        Frame::Skipped
    }

    /// The schema's elements: types, operations, entity containers, external annotations.
    fn in_schema(&mut self, name: &str, attrs: &Attrs<'_>, at: Span) -> Frame {
        match name {
            "EntityType" => Frame::Structured(self.structured(StructuredKind::Entity, attrs, at)),
            "ComplexType" => Frame::Structured(self.structured(StructuredKind::Complex, attrs, at)),
            "EnumType" => Frame::Enum(EnumType {
                name: self.required(attrs, "EnumType", "Name"),
                span: at,
                underlying_type: attrs.spanned("UnderlyingType"),
                is_flags: self.flag(attrs, "IsFlags").unwrap_or(false),
                members: Vec::new(),
                annotations: Vec::new(),
            }),
            "TypeDefinition" => {
                self.check_facets(attrs);
                Frame::TypeDefinition(TypeDefinition {
                    name: self.required(attrs, "TypeDefinition", "Name"),
                    span: at,
                    underlying_type: self.required(attrs, "TypeDefinition", "UnderlyingType"),
                    annotations: Vec::new(),
                })
            }
            "Action" | "Function" => Frame::Operation(self.operation(name, attrs, at)),
            "EntityContainer" => Frame::Container(EntityContainer {
                name: self.required(attrs, "EntityContainer", "Name"),
                span: at,
                entity_sets: Vec::new(),
                singletons: Vec::new(),
                action_imports: Vec::new(),
                function_imports: Vec::new(),
                annotations: Vec::new(),
            }),
            "Annotations" => Frame::AnnotationGroup(AnnotationGroup {
                target: self.required(attrs, "Annotations", "Target"),
                span: at,
                annotations: Vec::new(),
            }),
            _ => Frame::Skipped,
        }
    }

    /// An entity or complex type's `Key`, `Property` and `NavigationProperty` elements.
    fn in_structured_type(&mut self, name: &str, attrs: &Attrs<'_>, at: Span) -> Frame {
        match name {
            "Key" => Frame::Key(Vec::new()),
            "Property" => {
                let facets = self.check_facets(attrs);
                Frame::Property(Property {
                    name: self.required(attrs, "Property", "Name"),
                    span: at,
                    type_name: self.required(attrs, "Property", "Type"),
                    nullable: self.flag(attrs, "Nullable"),
                    max_length: facets[0].clone(),
                    precision: facets[1].clone(),
                    scale: facets[2].clone(),
                    default_value: attrs.string("DefaultValue"),
                    annotations: Vec::new(),
                })
            }
            "NavigationProperty" => Frame::NavigationProperty(NavigationProperty {
                name: self.required(attrs, "NavigationProperty", "Name"),
                span: at,
                type_name: self.required(attrs, "NavigationProperty", "Type"),
                nullable: self.flag(attrs, "Nullable"),
                contains_target: self.flag(attrs, "ContainsTarget").unwrap_or(false),
                partner: attrs.string("Partner"),
                annotations: Vec::new(),
            }),
            _ => Frame::Skipped,
        }
    }

    /// A `PropertyRef` of a `Key` goes straight into the key.
    fn property_ref(&mut self, attrs: &Attrs<'_>) -> Frame {
        let name = self.required(attrs, "PropertyRef", "Name");
        if let Some((Frame::Key(key), _)) = self.stack.last_mut() {
            key.push(name);
        }
        Frame::Skipped
    }

    fn enum_member(&mut self, attrs: &Attrs<'_>, at: Span) -> EnumMember {
        EnumMember {
            name: self.required(attrs, "Member", "Name"),
            span: at,
            value: attrs.spanned("Value"),
            annotations: Vec::new(),
        }
    }

    fn operation(&mut self, element: &str, attrs: &Attrs<'_>, at: Span) -> Operation {
        let kind = match element {
            "Action" => OperationKind::Action,
            _ => OperationKind::Function,
        };
        Operation {
            kind,
            name: self.required(attrs, element, "Name"),
            span: at,
            is_bound: self.flag(attrs, "IsBound").unwrap_or(false),
            is_composable: self.flag(attrs, "IsComposable").unwrap_or(false),
            entity_set_path: attrs.string("EntitySetPath"),
            parameters: Vec::new(),
            return_type: None,
            annotations: Vec::new(),
        }
    }

    /// An operation's `Parameter`s and `ReturnType`.
    fn in_operation(&mut self, name: &str, attrs: &Attrs<'_>, at: Span) -> Frame {
        match name {
            "Parameter" => {
                self.check_facets(attrs);
                Frame::Parameter(Parameter {
                    name: self.required(attrs, "Parameter", "Name"),
                    span: at,
                    type_name: self.required(attrs, "Parameter", "Type"),
                    nullable: self.flag(attrs, "Nullable"),
                    annotations: Vec::new(),
                })
            }
            "ReturnType" => {
                self.check_facets(attrs);
                Frame::ReturnType(ReturnType {
                    span: at,
                    type_name: self.required(attrs, "ReturnType", "Type"),
                    nullable: self.flag(attrs, "Nullable"),
                })
            }
            _ => Frame::Skipped,
        }
    }

    /// An entity container's entity sets, singletons and operation imports.
    fn in_container(&mut self, name: &str, attrs: &Attrs<'_>, at: Span) -> Frame {
        match name {
            "EntitySet" => Frame::EntitySet(self.entity_set(attrs, at, "EntitySet", "EntityType")),
            "Singleton" => Frame::Singleton(self.entity_set(attrs, at, "Singleton", "Type")),
            "ActionImport" | "FunctionImport" => {
                let is_action = name == "ActionImport";
                let target = if is_action { "Action" } else { "Function" };
                Frame::Import {
                    is_action,
                    import: OperationImport {
                        name: self.required(attrs, name, "Name"),
                        span: at,
                        operation: self.required(attrs, name, target),
                        entity_set: attrs.string("EntitySet"),
                        annotations: Vec::new(),
                    },
                }
            }
            _ => Frame::Skipped,
        }
    }

    /// A `NavigationPropertyBinding` goes straight into its entity set or singleton.
    fn navigation_binding(&mut self, attrs: &Attrs<'_>) -> Frame {
        let path = self.required(attrs, "NavigationPropertyBinding", "Path");
        let target = self.required(attrs, "NavigationPropertyBinding", "Target");
        if let Some((Frame::EntitySet(set) | Frame::Singleton(set), _)) = self.stack.last_mut() {
            set.navigation_bindings
                .push(NavigationBinding { path, target });
        }
        Frame::Skipped
    }

    fn annotation(&mut self, attrs: &Attrs<'_>, at: Span) -> Annotation {
        Annotation {
            term: self.required(attrs, "Annotation", "Term"),
            span: at,
            qualifier: attrs.string("Qualifier"),
            string: attrs.string("String"),
            boolean: attrs.get("Bool").and_then(parse_bool),
            record: Vec::new(),
        }
    }

    /// A boolean `PropertyValue` of a `Record` goes to the annotation the record is the
    /// value of.
    fn record_property(&mut self, attrs: &Attrs<'_>) -> Frame {
        let value = attrs.get("Bool").and_then(parse_bool);
        if let (Some(property), Some(value)) = (attrs.string("Property"), value) {
            let annotation = self.stack.iter_mut().rev().nth(1);
            if let Some((Frame::Annotation(a), _)) = annotation {
                a.record.push((property, value));
            }
        }
        Frame::Skipped
    }

    /// Checks the type facets of an element (§7.2), each located at its attribute, and
    /// returns `MaxLength`, `Precision`, `Scale` and `SRID` as written when they are valid.
    fn check_facets(&mut self, attrs: &Attrs<'_>) -> [Option<String>; 4] {
        let values = Facet::ALL.map(|facet| {
            let text = attrs.get(facet.name())?;
            match facets::check(facet, text) {
                Ok(()) => Some(text.to_owned()),
                Err(message) => {
                    self.diagnostics
                        .error(attrs.span_of(facet.name()), message);
                    None
                }
            }
        });
        if let (Some(precision), Some(scale)) = (&values[1], &values[2]) {
            if let Err(message) = facets::check_scale(precision, scale) {
                self.diagnostics.error(attrs.span_of("Scale"), message);
            }
        }
        values
    }

    fn schema(&mut self, attrs: &Attrs<'_>, at: Span) -> Schema {
        Schema::empty(
            self.required(attrs, "Schema", "Namespace"),
            attrs.spanned("Alias"),
            at,
        )
    }

    fn structured(&mut self, kind: StructuredKind, attrs: &Attrs<'_>, at: Span) -> StructuredType {
        let element = match kind {
            StructuredKind::Entity => "EntityType",
            StructuredKind::Complex => "ComplexType",
        };
        StructuredType {
            kind,
            name: self.required(attrs, element, "Name"),
            span: at,
            base_type: attrs.spanned("BaseType"),
            is_abstract: self.flag(attrs, "Abstract").unwrap_or(false),
            open_type: self.flag(attrs, "OpenType").unwrap_or(false),
            has_stream: self.flag(attrs, "HasStream").unwrap_or(false),
            key: Vec::new(),
            properties: Vec::new(),
            navigation_properties: Vec::new(),
            annotations: Vec::new(),
        }
    }

    fn entity_set(
        &mut self,
        attrs: &Attrs<'_>,
        at: Span,
        element: &str,
        type_attr: &str,
    ) -> EntitySet {
        EntitySet {
            name: self.required(attrs, element, "Name"),
            span: at,
            type_name: self.required(attrs, element, type_attr),
            navigation_bindings: Vec::new(),
            annotations: Vec::new(),
        }
    }

    /// Closes the innermost element and hands what it built to its parent.
    fn close(&mut self) {
        let Some((frame, _)) = self.stack.pop() else {
            return;
        };
        let parent = self.stack.last_mut().map(|(frame, _)| frame);
        match (frame, parent) {
            (Frame::Schema(schema), _) => self.document.schemas.push(schema),
            (Frame::Structured(x), Some(Frame::Schema(s))) => s.structured_types.push(x),
            (Frame::Enum(x), Some(Frame::Schema(s))) => s.enum_types.push(x),
            (Frame::TypeDefinition(x), Some(Frame::Schema(s))) => s.type_definitions.push(x),
            (Frame::Operation(x), Some(Frame::Schema(s))) => s.operations.push(x),
            (Frame::Container(x), Some(Frame::Schema(s))) => s.containers.push(x),
            (Frame::AnnotationGroup(x), Some(Frame::Schema(s))) => s.annotation_groups.push(x),
            (Frame::Key(key), Some(Frame::Structured(t))) => t.key.extend(key),
            (Frame::Property(x), Some(Frame::Structured(t))) => t.properties.push(x),
            (Frame::NavigationProperty(x), Some(Frame::Structured(t))) => {
                t.navigation_properties.push(x)
            }
            (Frame::Member(x), Some(Frame::Enum(e))) => e.members.push(x),
            (Frame::Parameter(x), Some(Frame::Operation(o))) => o.parameters.push(x),
            (Frame::ReturnType(x), Some(Frame::Operation(o))) => o.return_type = Some(x),
            (Frame::EntitySet(x), Some(Frame::Container(c))) => c.entity_sets.push(x),
            (Frame::Singleton(x), Some(Frame::Container(c))) => c.singletons.push(x),
            (Frame::Import { is_action, import }, Some(Frame::Container(c))) => {
                if is_action {
                    c.action_imports.push(import)
                } else {
                    c.function_imports.push(import)
                }
            }
            (Frame::AnnotationString(text), Some(Frame::Annotation(a))) => {
                a.string.get_or_insert(text);
            }
            (Frame::Annotation(x), Some(parent)) => {
                if let Some(annotations) = parent.annotations() {
                    annotations.push(x);
                }
            }
            _ => {}
        }
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn describe_xml_error(error: &quick_xml::Error) -> String {
    use quick_xml::errors::{Error, IllFormedError};
    match error {
        Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("closing tag </{found}> does not match the open <{expected}>")
        }
        Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
            format!("closing tag </{name}> has no matching open tag")
        }
        Error::IllFormed(IllFormedError::MissingEndTag(name)) => {
            format!("the document is truncated: <{name}> is not closed")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{LineCol, SourceMap};

    fn parse_text(text: &str) -> (SourceMap, Option<Document>, Vec<String>) {
        let mut sources = SourceMap::default();
        let id = sources.add("t.xml".into(), text.to_owned());
        let mut diagnostics = Diagnostics::default();
        let document = parse(id, &sources.file(id).text.clone(), &mut diagnostics);
        let rendered = diagnostics
            .into_sorted()
            .iter()
            .map(|d| d.render(&sources))
            .collect();
        (sources, document, rendered)
    }

    const DOCUMENT: &str = "\u{feff}<?xml version=\"1.0\"?>
<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">
  <edmx:Reference Uri=\"core.xml\"><edmx:Include Namespace=\"Org.OData.Core.V1\" Alias=\"Core\"/></edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace=\"ns\" Alias=\"n\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">
      <EntityType Name=\"thing\" BaseType=\"n.base\" Abstract=\"true\" OpenType=\"1\" HasStream=\"false\">
        <Key><PropertyRef Name=\"id\"/></Key>
        <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\" MaxLength=\"10\"/>
        <Property Name=\"tags\" Type=\"Collection(Edm.String)\"><Annotation Term=\"Core.Description\"><String>a &amp; b</String></Annotation></Property>
        <NavigationProperty Name=\"parts\" Type=\"Collection(n.part)\" ContainsTarget=\"true\" Partner=\"owner\"/>
        <Unknown><Property Name=\"ignored\" Type=\"Edm.String\"/></Unknown>
      </EntityType>
      <EnumType Name=\"e\" IsFlags=\"true\" UnderlyingType=\"Edm.Int64\"><Member Name=\"a\" Value=\"1\"/></EnumType>
      <TypeDefinition Name=\"d\" UnderlyingType=\"Edm.Decimal\"/>
      <Action Name=\"go\" IsBound=\"true\"><Parameter Name=\"b\" Type=\"n.thing\"/><ReturnType Type=\"Edm.Int32\" Nullable=\"false\"/></Action>
      <Function Name=\"f\" IsComposable=\"true\"><ReturnType Type=\"Collection(n.thing)\"/></Function>
      <EntityContainer Name=\"C\">
        <EntitySet Name=\"things\" EntityType=\"n.thing\"><NavigationPropertyBinding Path=\"parts\" Target=\"parts\"/></EntitySet>
        <Singleton Name=\"me\" Type=\"n.thing\"/>
        <FunctionImport Name=\"f\" Function=\"n.f\" EntitySet=\"things\"/>
        <ActionImport Name=\"reset\" Action=\"n.reset\"/>
      </EntityContainer>
      <Annotations Target=\"n.thing/id\"><Annotation Term=\"Core.Description\" String=\"The id.\"/></Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
";

    #[test]
    fn every_construct_is_read_with_its_span() {
        let (sources, document, diagnostics) = parse_text(DOCUMENT);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let document = document.unwrap();
        let at = |span| sources.line_col(span);
        assert_eq!(document.includes[0].alias.as_deref(), Some("Core"));
        let schema = &document.schemas[0];
        assert_eq!(
            (
                schema.namespace.text.as_str(),
                schema.alias.as_ref().unwrap().text.as_str()
            ),
            ("ns", "n")
        );
        assert_eq!(at(schema.span), LineCol { line: 5, col: 5 });
        let thing = &schema.structured_types[0];
        assert_eq!(at(thing.span), LineCol { line: 6, col: 7 });
        assert_eq!(at(thing.name.span), LineCol { line: 6, col: 19 });
        assert_eq!(
            at(thing.base_type.as_ref().unwrap().span),
            LineCol { line: 6, col: 32 }
        );
        assert!(thing.is_abstract && thing.open_type && !thing.has_stream);
        assert_eq!(thing.key[0].text, "id");
        let names: Vec<_> = thing
            .properties
            .iter()
            .map(|p| p.name.text.as_str())
            .collect();
        assert_eq!(
            names,
            ["id", "tags"],
            "properties inside unknown elements are skipped"
        );
        assert_eq!(thing.properties[0].nullable, Some(false));
        assert_eq!(thing.properties[0].max_length.as_deref(), Some("10"));
        assert_eq!(
            at(thing.properties[1].type_name.span),
            LineCol { line: 9, col: 31 }
        );
        assert_eq!(
            thing.properties[1].annotations[0].string.as_deref(),
            Some("a & b")
        );
        let parts = &thing.navigation_properties[0];
        assert!(parts.contains_target);
        assert_eq!(parts.partner.as_deref(), Some("owner"));
        let e = &schema.enum_types[0];
        assert!(e.is_flags);
        assert_eq!(e.members[0].value.as_ref().unwrap().text, "1");
        assert_eq!(
            schema.type_definitions[0].underlying_type.text,
            "Edm.Decimal"
        );
        let go = &schema.operations[0];
        assert_eq!(
            (go.kind, go.is_bound, go.parameters.len()),
            (OperationKind::Action, true, 1)
        );
        assert_eq!(go.return_type.as_ref().unwrap().nullable, Some(false));
        assert!(schema.operations[1].is_composable);
        let container = &schema.containers[0];
        assert_eq!(
            container.entity_sets[0].navigation_bindings[0].target.text,
            "parts"
        );
        assert_eq!(container.singletons[0].name.text, "me");
        assert_eq!(
            container.function_imports[0].entity_set.as_deref(),
            Some("things")
        );
        assert_eq!(container.action_imports[0].operation.text, "n.reset");
        assert_eq!(schema.annotation_groups[0].target.text, "n.thing/id");
    }

    #[test]
    fn crlf_and_lf_give_the_same_lines() {
        let (sources, document, _) = parse_text(&DOCUMENT.replace('\n', "\r\n"));
        let thing = &document.unwrap().schemas[0].structured_types[0];
        assert_eq!(
            sources.line_col(thing.name.span),
            LineCol { line: 6, col: 19 }
        );
    }

    #[test]
    fn malformed_documents_are_located_errors() {
        let cases = [
            ("<Schema Namespace=\"a\">", "t.xml:1:23: error: unexpected end of file"),
            ("<Schema Namespace=\"a\"></Other>", "t.xml:1:23: error: malformed XML: closing tag </Other> does not match the open <Schema>"),
            ("<Schema Namespace='a' x='&bogus;'/>", "t.xml:1:23: error: attribute x: unknown entity &bogus;"),
            ("<!DOCTYPE x><Schema/>", "t.xml:1:1: error: document type declarations"),
            ("<Schema Namespace=\"a\">&#xD800;</Schema>", "t.xml:1:23: error: invalid character reference"),
            ("", "t.xml:1:1: error: no CSDL content"),
        ];
        for (text, expected) in cases {
            let (_, document, diagnostics) = parse_text(text);
            assert!(document.is_none(), "{text}");
            assert!(
                diagnostics[0].starts_with(expected),
                "{text}: {diagnostics:?}"
            );
        }
    }
}

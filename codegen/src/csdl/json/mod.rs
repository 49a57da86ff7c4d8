//! CSDL JSON (OData CSDL JSON 4.01) into the syntax tree the XML reader builds, so that
//! everything after parsing is shared. The JSON is read with `jsonc-parser` in strict mode
//! (no comments, trailing commas or other JSON5 forms; nesting at most 512 deep), which keeps
//! the byte range of every value and member name: each diagnostic is located at the member
//! it is about.
//!
//! Where CSDL JSON's defaults differ from CSDL XML's, the tree gets what the XML form of the
//! same model says, so that both give one model:
//! - `$Nullable` absent means `false` (XML: `true`);
//! - `$Type` absent means `Edm.String`, and `$Collection: true` is XML's `Collection(...)`;
//! - `$Scale` of an `Edm.Decimal` absent means `variable`, and `0` is XML's absent default;
//! - `$MaxLength` has no `max` (absent instead), and `$DefaultValue` is a JSON value (a
//!   number's text, a string's content, `true`/`false`).

use jsonc_parser::ast::{Object, ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::facets::{self, Facet};
use super::*;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::{FileId, Span};

/// Parses one CSDL JSON document. Returns `None` when the text is not JSON, or not a CSDL
/// JSON document (no object with `$Version`); other problems are located errors, and the
/// document is returned with what could be read.
pub fn parse(file: FileId, text: &str, diagnostics: &mut Diagnostics) -> Option<Document> {
    let (body, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = match jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &strict) {
        Ok(parsed) => parsed,
        Err(error) => {
            diagnostics.error(
                Span::new(file, base + error.range().start),
                format!("malformed JSON: {}", error.kind()),
            );
            return None;
        }
    };
    let mut reader = Reader {
        file,
        base,
        diagnostics,
        document: Document {
            file,
            includes: Vec::new(),
            schemas: Vec::new(),
        },
    };
    let root = match &parsed.value {
        Some(Value::Object(root)) => root,
        other => {
            let (at, found) = match other {
                Some(value) => (value.range().start, kind_of(value)),
                None => (body.len(), "nothing"),
            };
            reader.error(
                at,
                format!("no CSDL content: a CSDL JSON document is an object with `$Version` (CSDL JSON 4.01 §3.1), not {found}"),
            );
            return None;
        }
    };
    reader.document(root).then_some(reader.document)
}

fn kind_of(value: &Value<'_>) -> &'static str {
    match value {
        Value::StringLit(_) => "a string",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "a boolean",
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::NullKeyword(_) => "null",
    }
}

/// A member of a JSON object: its name, where the name starts, and its value.
struct Member<'v, 'a> {
    name: &'v str,
    at: usize,
    value: &'v Value<'a>,
}

/// The member of that name, if the object has it.
fn get<'m, 'v, 'a>(members: &'m [Member<'v, 'a>], name: &str) -> Option<&'m Member<'v, 'a>> {
    members.iter().find(|m| m.name == name)
}

/// Members that are model elements (not `$` keywords, not `@` annotations, not `x@Term`
/// annotations of a sibling).
fn elements<'m, 'v, 'a>(members: &'m [Member<'v, 'a>]) -> impl Iterator<Item = &'m Member<'v, 'a>> {
    members
        .iter()
        .filter(|m| !m.name.starts_with(['$', '@']) && !m.name.contains('@'))
}

struct Reader<'d> {
    file: FileId,
    /// Bytes before the parsed text (a byte order mark), added to every offset.
    base: usize,
    diagnostics: &'d mut Diagnostics,
    document: Document,
}

impl Reader<'_> {
    fn span(&self, at: usize) -> Span {
        Span::new(self.file, self.base + at)
    }

    fn error(&mut self, at: usize, message: impl Into<String>) {
        let span = self.span(at);
        self.diagnostics.error(span, message);
    }

    fn warning(&mut self, at: usize, message: impl Into<String>) {
        let span = self.span(at);
        self.diagnostics.warning(span, message);
    }

    /// A warning for each `$` member that CSDL JSON does not define for this object (a typo
    /// such as `$Nulable` would otherwise change the model without a word: CSDL JSON 4.01
    /// defines every `$` member it has).
    fn unknown_keywords(&mut self, members: &[Member<'_, '_>], what: &str, known: &[&str]) {
        for member in members {
            // `$OnDelete@Core.Description` annotates a member (CSDL JSON 4.01 §14.2.1).
            let keyword = member.name.split('@').next().unwrap_or(member.name);
            if member.name.starts_with('$') && !known.contains(&keyword) {
                self.warning(
                    member.at,
                    format!("`{}` is not a member of {what} in CSDL JSON 4.01; not read (known: {})", member.name, known.join(", ")),
                );
            }
        }
    }

    /// The members of an object, in document order; a name given twice is an error (JSON
    /// leaves its meaning open, RFC 8259 §4), and only its first member is read.
    fn members<'v, 'a>(&mut self, object: &'v Object<'a>) -> Vec<Member<'v, 'a>> {
        let mut members: Vec<Member<'v, 'a>> = Vec::with_capacity(object.properties.len());
        for property in &object.properties {
            let (name, at) = match &property.name {
                ObjectPropName::String(s) => (s.value.as_ref(), s.range.start),
                ObjectPropName::Word(w) => (w.value, w.range.start),
            };
            if let Some(first) = members.iter().find(|m| m.name == name) {
                let first = self.span(first.at);
                let span = self.span(at);
                self.diagnostics.push(
                    Diagnostic::error(span, format!("member `{name}` is given twice in one object"))
                        .with_note(first, "the first is here"),
                );
                continue;
            }
            members.push(Member {
                name,
                at,
                value: &property.value,
            });
        }
        members
    }

    /// A member's value as an object's members; an error (and nothing) for anything else.
    fn object<'v, 'a>(&mut self, member: &Member<'v, 'a>, what: &str) -> Option<Vec<Member<'v, 'a>>> {
        match member.value {
            Value::Object(object) => Some(self.members(object)),
            other => {
                let found = kind_of(other);
                self.error(
                    other.range().start,
                    format!("{what} `{}` must be an object, not {found}", member.name),
                );
                None
            }
        }
    }

    /// A string member's value, located at the string; an error for another kind of value or
    /// a string longer than [`MAX_VALUE_BYTES`].
    fn string(&mut self, member: &Member<'_, '_>) -> Option<Spanned> {
        match member.value {
            Value::StringLit(s) if s.value.len() <= MAX_VALUE_BYTES => Some(Spanned {
                text: s.value.clone().into_owned(),
                span: self.span(s.range.start),
            }),
            Value::StringLit(s) => {
                self.error(
                    s.range.start,
                    format!(
                        "`{}` is {} bytes long; the limit is {MAX_VALUE_BYTES}",
                        member.name,
                        s.value.len()
                    ),
                );
                None
            }
            other => {
                let found = kind_of(other);
                self.error(
                    other.range().start,
                    format!("`{}` must be a string, not {found}", member.name),
                );
                None
            }
        }
    }

    /// A string member, or an error at `owner` naming what lacks it.
    fn required(&mut self, members: &[Member<'_, '_>], name: &str, owner: &Member<'_, '_>, what: &str) -> Spanned {
        let found = get(members, name).and_then(|m| self.string(m));
        match found {
            Some(value) if !value.text.trim().is_empty() => value,
            Some(value) => {
                self.diagnostics.error(
                    value.span,
                    format!("{what} `{}` has an empty `{name}`", owner.name),
                );
                Spanned {
                    text: String::new(),
                    span: value.span,
                }
            }
            None => {
                if get(members, name).is_none() {
                    self.error(owner.at, format!("{what} `{}` has no `{name}`", owner.name));
                }
                Spanned {
                    text: String::new(),
                    span: self.span(owner.at),
                }
            }
        }
    }

    /// A boolean member: `true`, `false`, or (absent) `None`; an error for anything else.
    fn boolean(&mut self, members: &[Member<'_, '_>], name: &str) -> Option<bool> {
        let member = get(members, name)?;
        match member.value {
            Value::BooleanLit(b) => Some(b.value),
            other => {
                let found = kind_of(other);
                self.error(
                    other.range().start,
                    format!("`{name}` must be true or false, not {found}"),
                );
                None
            }
        }
    }

    /// `$Type` (default `Edm.String` where CSDL JSON has one) as XML writes it, with
    /// `$Collection: true` as `Collection(...)`; located at the `$Type` value, else at the
    /// element.
    fn type_name(&mut self, members: &[Member<'_, '_>], owner: &Member<'_, '_>, member: &str, default: Option<&str>) -> Spanned {
        let named = match (get(members, member), default) {
            (Some(_), _) | (None, None) => self.required(members, member, owner, "element"),
            (None, Some(default)) => Spanned {
                text: default.to_owned(),
                span: self.span(owner.at),
            },
        };
        if self.boolean(members, "$Collection") == Some(true) && !named.text.is_empty() {
            Spanned {
                text: format!("Collection({})", named.text),
                span: named.span,
            }
        } else {
            named
        }
    }

    /// The annotations among `members` whose names are `{prefix}@Term` or
    /// `{prefix}@Term#Qualifier`; annotations of annotations (`@A@B`) are not read, as the XML
    /// reader reads none.
    fn annotations(&mut self, members: &[Member<'_, '_>], prefix: &str) -> Vec<Annotation> {
        let mut annotations = Vec::new();
        for member in members {
            let Some(term) = member
                .name
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('@'))
            else {
                continue;
            };
            if term.contains('@') {
                continue;
            }
            let (term, qualifier) = match term.split_once('#') {
                Some((term, qualifier)) => (term, Some(qualifier.to_owned())),
                None => (term, None),
            };
            let span = self.span(member.at);
            let mut annotation = Annotation {
                term: Spanned {
                    text: term.to_owned(),
                    span,
                },
                span,
                qualifier,
                string: None,
                boolean: None,
                record: Vec::new(),
            };
            match member.value {
                Value::StringLit(_) => annotation.string = self.string(member).map(|s| s.text),
                Value::BooleanLit(b) => annotation.boolean = Some(b.value),
                Value::Object(object) => {
                    for property in self.members(object) {
                        if let (false, Value::BooleanLit(b)) = (property.name.starts_with('@'), property.value) {
                            annotation.record.push((property.name.to_owned(), b.value));
                        }
                    }
                }
                _ => {}
            }
            annotations.push(annotation);
        }
        annotations
    }

    /// Checks the type facets of an element, each at its member, and returns `MaxLength`,
    /// `Precision`, `Scale` and `SRID` as XML would write them.
    fn facets(&mut self, members: &[Member<'_, '_>], type_name: &str) -> [Option<String>; 4] {
        let mut values = Facet::ALL.map(|facet| {
            let member = get(members, &format!("${}", facet.name()))?;
            let text = match (member.value, facet) {
                (Value::NumberLit(n), _) => n.value.to_owned(),
                (Value::StringLit(s), Facet::Scale | Facet::Srid) => s.value.to_lowercase(),
                (Value::StringLit(s), Facet::MaxLength) if s.value == "max" => {
                    self.error(
                        s.range.start,
                        "`$MaxLength` is a number in CSDL JSON: `max` is XML's (leave the member out for any length; CSDL JSON 4.01 §7.2.2)",
                    );
                    return None;
                }
                (other, _) => {
                    let found = kind_of(other);
                    self.error(
                        other.range().start,
                        format!("`{}` must be a number, not {found} (CSDL JSON 4.01 {})", member.name, facet.section()),
                    );
                    return None;
                }
            };
            match facets::check(facet, &text) {
                Ok(()) => Some(text),
                Err(message) => {
                    self.error(member.value.range().start, message);
                    None
                }
            }
        });
        if let (Some(precision), Some(scale)) = (&values[1], &values[2]) {
            if let Err(message) = facets::check_scale(precision, scale) {
                let at = get(members, "$Scale").map_or(0, |m| m.value.range().start);
                self.error(at, message);
            }
        }
        // JSON's defaults as XML writes them: a decimal's scale is `variable` when absent, and
        // XML's absent default is 0.
        let decimal = type_name
            .strip_prefix("Collection(")
            .map_or(type_name, |t| t.trim_end_matches(')'))
            == "Edm.Decimal";
        if decimal {
            values[2] = match values[2].take() {
                None if get(members, "$Scale").is_none() => Some("variable".to_owned()),
                Some(zero) if facets::integer(&zero) == Some(0) => None,
                other => other,
            };
        }
        values
    }

    /// The document object: `$Version`, `$Reference`s and one member per schema.
    fn document(&mut self, root: &Object<'_>) -> bool {
        let members = self.members(root);
        let Some(version) = get(&members, "$Version") else {
            let hint = if get(&members, "@odata.context").is_some() || get(&members, "value").is_some() {
                ": this looks like an OData response or service document; CSDL is at the service's `$metadata`"
            } else {
                ""
            };
            self.error(
                root.range.start,
                format!("no CSDL content: a CSDL JSON document has a `$Version` member (CSDL JSON 4.01 §3.1){hint}"),
            );
            return false;
        };
        if let Some(version) = self.string(version) {
            if !version.text.starts_with('4') {
                self.diagnostics.warning(
                    version.span,
                    format!("CSDL version {} is not 4.x; reading it as CSDL 4", version.text),
                );
            }
        }
        if let Some(references) = get(&members, "$Reference") {
            self.references(references);
        }
        self.unknown_keywords(&members, "a document", &["$Version", "$EntityContainer", "$Reference"]);
        for member in elements(&members) {
            let namespace = Spanned {
                text: member.name.to_owned(),
                span: self.span(member.at),
            };
            if let Some(schema_members) = self.object(member, "schema") {
                let schema = self.schema(namespace, member, &schema_members);
                self.document.schemas.push(schema);
            }
        }
        if let Some(container) = get(&members, "$EntityContainer").and_then(|m| self.string(m)) {
            self.check_entity_container(&container);
        }
        true
    }

    /// `$EntityContainer` names a container of the document (CSDL JSON 4.01 §3.1): a name that
    /// is none of them leaves the service without entry points, which must not pass in silence.
    fn check_entity_container(&mut self, name: &Spanned) {
        let declared = self.document.schemas.iter().any(|schema| {
            schema.containers.iter().any(|c| {
                let qualified = |prefix: &str| format!("{prefix}.{}", c.name.text) == name.text;
                qualified(&schema.namespace.text) || schema.alias.as_ref().is_some_and(|a| qualified(&a.text))
            })
        });
        if !declared {
            self.diagnostics.warning(
                name.span,
                format!("`$EntityContainer` names `{}`, which no schema of this document declares: the service has no entity sets, singletons or imports from it", name.text),
            );
        }
    }

    /// `$Reference`: each referenced document's URI, with the namespaces it `$Include`s.
    fn references(&mut self, references: &Member<'_, '_>) {
        let Some(references) = self.object(references, "$Reference") else {
            return;
        };
        for reference in &references {
            let Some(members) = self.object(reference, "reference") else {
                continue;
            };
            let Some(includes) = get(&members, "$Include") else {
                continue;
            };
            let Value::Array(includes) = includes.value else {
                self.error(includes.value.range().start, "`$Include` must be an array");
                continue;
            };
            for include in &includes.elements {
                let Value::Object(object) = include else {
                    self.error(include.range().start, "an `$Include` must be an object");
                    continue;
                };
                let include_members = self.members(object);
                let owner = Member {
                    name: "$Include",
                    at: object.range.start,
                    value: include,
                };
                let namespace = self.required(&include_members, "$Namespace", &owner, "an include");
                let alias = get(&include_members, "$Alias").and_then(|m| self.string(m));
                self.document.includes.push(Include {
                    namespace: namespace.text,
                    alias: alias.map(|a| a.text),
                    uri: Some(reference.name.to_owned()),
                    span: self.span(object.range.start),
                });
            }
        }
    }

    /// A schema object: `$Alias`, annotations, `$Annotations`, and its elements by name.
    fn schema(&mut self, namespace: Spanned, member: &Member<'_, '_>, members: &[Member<'_, '_>]) -> Schema {
        let alias = get(members, "$Alias").and_then(|m| self.string(m));
        let mut schema = Schema::empty(namespace, alias, self.span(member.at));
        self.unknown_keywords(members, "a schema", &["$Alias", "$Annotations"]);
        schema.annotations = self.annotations(members, "");
        if let Some(groups) = get(members, "$Annotations") {
            schema.annotation_groups = self.annotation_groups(groups);
        }
        for element in elements(members) {
            self.schema_element(&mut schema, element);
        }
        schema
    }

    /// `$Annotations`: annotations of targets, external to what they annotate.
    fn annotation_groups(&mut self, groups: &Member<'_, '_>) -> Vec<AnnotationGroup> {
        let Some(targets) = self.object(groups, "$Annotations") else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for target in &targets {
            if let Some(members) = self.object(target, "annotation target") {
                let span = self.span(target.at);
                found.push(AnnotationGroup {
                    target: Spanned {
                        text: target.name.to_owned(),
                        span,
                    },
                    span,
                    annotations: self.annotations(&members, ""),
                });
            }
        }
        found
    }

    /// One schema element by its `$Kind`; an array is the overloads of an action or function.
    fn schema_element(&mut self, schema: &mut Schema, element: &Member<'_, '_>) {
        if let Value::Array(overloads) = element.value {
            for overload in &overloads.elements {
                let Value::Object(object) = overload else {
                    self.error(overload.range().start, format!("an overload of `{}` must be an object", element.name));
                    continue;
                };
                let members = self.members(object);
                if let Some(operation) = self.operation(element, object.range.start, &members) {
                    schema.operations.push(operation);
                }
            }
            return;
        }
        let Some(members) = self.object(element, "schema element") else {
            return;
        };
        let kind = get(&members, "$Kind").and_then(|m| self.string(m));
        let Some(kind) = kind else {
            if get(&members, "$Kind").is_none() {
                self.error(element.at, format!("schema element `{}` has no `$Kind`", element.name));
            }
            return;
        };
        match kind.text.as_str() {
            "EntityType" => schema.structured_types.push(self.structured(StructuredKind::Entity, element, &members)),
            "ComplexType" => schema.structured_types.push(self.structured(StructuredKind::Complex, element, &members)),
            "EnumType" => schema.enum_types.push(self.enumeration(element, &members)),
            "TypeDefinition" => {
                self.unknown_keywords(
                    &members,
                    "a type definition",
                    &["$Kind", "$UnderlyingType", "$MaxLength", "$Unicode", "$Precision", "$Scale", "$SRID"],
                );
                let underlying_type = self.required(&members, "$UnderlyingType", element, "type definition");
                self.facets(&members, &underlying_type.text);
                schema.type_definitions.push(TypeDefinition {
                    name: self.name(element),
                    span: self.span(element.at),
                    underlying_type,
                    annotations: self.annotations(&members, ""),
                });
            }
            "EntityContainer" => schema.containers.push(self.container(element, &members)),
            // Terms define vocabularies: the XML reader does not read them either.
            "Term" => {}
            "Action" | "Function" => self.diagnostics.error(
                kind.span,
                format!("`{}` is an {}: CSDL JSON writes operations as an array of overloads", element.name, kind.text.to_lowercase()),
            ),
            other => self.diagnostics.warning(
                kind.span,
                format!("schema element `{}` of kind `{other}` is not CSDL 4.01's; skipped", element.name),
            ),
        }
    }

    fn name(&self, member: &Member<'_, '_>) -> Spanned {
        Spanned {
            text: member.name.to_owned(),
            span: self.span(member.at),
        }
    }

    /// An entity or complex type: its attributes, key and properties.
    fn structured(&mut self, kind: StructuredKind, element: &Member<'_, '_>, members: &[Member<'_, '_>]) -> StructuredType {
        let mut structured = StructuredType {
            kind,
            name: self.name(element),
            span: self.span(element.at),
            base_type: get(members, "$BaseType").and_then(|m| self.string(m)),
            is_abstract: self.boolean(members, "$Abstract").unwrap_or(false),
            open_type: self.boolean(members, "$OpenType").unwrap_or(false),
            has_stream: self.boolean(members, "$HasStream").unwrap_or(false),
            key: get(members, "$Key").map(|key| self.key(key)).unwrap_or_default(),
            properties: Vec::new(),
            navigation_properties: Vec::new(),
            annotations: self.annotations(members, ""),
        };
        self.unknown_keywords(
            members,
            "an entity or complex type",
            &["$Kind", "$BaseType", "$Abstract", "$OpenType", "$HasStream", "$Key"],
        );
        for member in members.iter().filter(|m| !m.name.starts_with(['$', '@']) && m.name.contains('@')) {
            self.warning(
                member.at,
                format!("`{}`: CSDL JSON writes a property's annotations inside the property's object; not read", member.name),
            );
        }
        for member in elements(members) {
            let Some(property) = self.object(member, "property") else {
                continue;
            };
            let kind = get(&property, "$Kind").and_then(|m| self.string(m));
            match kind.as_ref().map(|k| k.text.as_str()) {
                None | Some("Property") => structured.properties.push(self.property(member, &property)),
                Some("NavigationProperty") => structured
                    .navigation_properties
                    .push(self.navigation_property(member, &property)),
                Some(other) => {
                    let span = kind.as_ref().map_or(self.span(member.at), |k| k.span);
                    self.diagnostics.error(
                        span,
                        format!("member `{}` of a structured type has `$Kind` `{other}`: expected Property or NavigationProperty", member.name),
                    );
                }
            }
        }
        structured
    }

    /// `$Key`: property paths, each a string or an `{"alias": "path"}` object.
    fn key(&mut self, key: &Member<'_, '_>) -> Vec<Spanned> {
        let Value::Array(parts) = key.value else {
            self.error(key.value.range().start, "`$Key` must be an array");
            return Vec::new();
        };
        let mut paths = Vec::new();
        for part in &parts.elements {
            match part {
                Value::StringLit(s) => paths.push(Spanned {
                    text: s.value.clone().into_owned(),
                    span: self.span(s.range.start),
                }),
                Value::Object(object) if object.properties.len() == 1 => {
                    let member = &object.properties[0];
                    match &member.value {
                        Value::StringLit(s) => paths.push(Spanned {
                            text: s.value.clone().into_owned(),
                            span: self.span(s.range.start),
                        }),
                        other => self.error(other.range().start, "a key alias names its property path as a string"),
                    }
                }
                other => self.error(
                    other.range().start,
                    "a key property is a path (a string) or an object of one alias and its path",
                ),
            }
        }
        paths
    }

    fn property(&mut self, member: &Member<'_, '_>, members: &[Member<'_, '_>]) -> Property {
        self.unknown_keywords(
            members,
            "a structural property",
            &["$Kind", "$Type", "$Collection", "$Nullable", "$MaxLength", "$Unicode", "$Precision", "$Scale", "$SRID", "$DefaultValue"],
        );
        let type_name = self.type_name(members, member, "$Type", Some("Edm.String"));
        let [max_length, precision, scale, _srid] = self.facets(members, &type_name.text);
        let default_value = get(members, "$DefaultValue").and_then(|m| self.default_value(m));
        Property {
            name: self.name(member),
            span: self.span(member.at),
            type_name,
            nullable: Some(self.boolean(members, "$Nullable").unwrap_or(false)),
            max_length,
            precision,
            scale,
            default_value,
            annotations: self.annotations(members, ""),
        }
    }

    /// `$DefaultValue` as XML writes it: a string's content, a number's text, `true`/`false`.
    fn default_value(&mut self, member: &Member<'_, '_>) -> Option<String> {
        match member.value {
            Value::StringLit(_) => self.string(member).map(|s| s.text),
            Value::NumberLit(n) => Some(n.value.to_owned()),
            Value::BooleanLit(b) => Some(b.value.to_string()),
            Value::NullKeyword(_) => None,
            other => {
                let found = kind_of(other);
                self.error(
                    other.range().start,
                    format!("`$DefaultValue` must be a primitive value, not {found} (CSDL JSON 4.01 §7.2.7)"),
                );
                None
            }
        }
    }

    fn navigation_property(&mut self, member: &Member<'_, '_>, members: &[Member<'_, '_>]) -> NavigationProperty {
        self.unknown_keywords(
            members,
            "a navigation property",
            &["$Kind", "$Type", "$Collection", "$Nullable", "$Partner", "$ContainsTarget", "$ReferentialConstraint", "$OnDelete"],
        );
        NavigationProperty {
            name: self.name(member),
            span: self.span(member.at),
            type_name: self.type_name(members, member, "$Type", None),
            nullable: Some(self.boolean(members, "$Nullable").unwrap_or(false)),
            contains_target: self.boolean(members, "$ContainsTarget").unwrap_or(false),
            partner: get(members, "$Partner").and_then(|m| self.string(m)).map(|s| s.text),
            annotations: self.annotations(members, ""),
        }
    }

    /// An enumeration type: members are `"Name": value`, annotated by `"Name@Term"`.
    fn enumeration(&mut self, element: &Member<'_, '_>, members: &[Member<'_, '_>]) -> EnumType {
        self.unknown_keywords(members, "an enumeration type", &["$Kind", "$UnderlyingType", "$IsFlags"]);
        let mut enumeration = EnumType {
            name: self.name(element),
            span: self.span(element.at),
            underlying_type: get(members, "$UnderlyingType").and_then(|m| self.string(m)),
            is_flags: self.boolean(members, "$IsFlags").unwrap_or(false),
            members: Vec::new(),
            annotations: self.annotations(members, ""),
        };
        for member in elements(members) {
            let value = match member.value {
                Value::NumberLit(n) => Some(Spanned {
                    text: n.value.to_owned(),
                    span: self.span(n.range.start),
                }),
                other => {
                    let found = kind_of(other);
                    self.error(
                        other.range().start,
                        format!("the value of enum member `{}` must be a number, not {found}", member.name),
                    );
                    continue;
                }
            };
            enumeration.members.push(EnumMember {
                name: self.name(member),
                span: self.span(member.at),
                value,
                annotations: self.annotations(members, member.name),
            });
        }
        enumeration
    }

    /// One overload of an action or function.
    fn operation(&mut self, element: &Member<'_, '_>, at: usize, members: &[Member<'_, '_>]) -> Option<Operation> {
        let kind = match get(members, "$Kind").and_then(|m| self.string(m)) {
            Some(kind) if kind.text == "Action" => OperationKind::Action,
            Some(kind) if kind.text == "Function" => OperationKind::Function,
            Some(kind) => {
                self.diagnostics.error(
                    kind.span,
                    format!("an overload of `{}` has `$Kind` `{}`: expected Action or Function", element.name, kind.text),
                );
                return None;
            }
            None => {
                self.error(at, format!("an overload of `{}` has no `$Kind`", element.name));
                return None;
            }
        };
        self.unknown_keywords(
            members,
            "an action or function overload",
            &["$Kind", "$IsBound", "$IsComposable", "$EntitySetPath", "$Parameter", "$ReturnType"],
        );
        let mut parameters = Vec::new();
        if let Some(list) = get(members, "$Parameter") {
            match list.value {
                Value::Array(list) => {
                    for parameter in &list.elements {
                        if let Some(parameter) = self.parameter(parameter) {
                            parameters.push(parameter);
                        }
                    }
                }
                other => self.error(other.range().start, "`$Parameter` must be an array"),
            }
        }
        let return_type = get(members, "$ReturnType").and_then(|r| {
            let returned = self.object(r, "return type")?;
            self.unknown_keywords(&returned, "a return type", &["$Type", "$Collection", "$Nullable", "$MaxLength", "$Unicode", "$Precision", "$Scale", "$SRID"]);
            let owner = Member { name: element.name, at: r.at, value: r.value };
            let type_name = self.type_name(&returned, &owner, "$Type", Some("Edm.String"));
            self.facets(&returned, &type_name.text);
            Some(ReturnType {
                span: self.span(r.at),
                type_name,
                nullable: Some(self.boolean(&returned, "$Nullable").unwrap_or(false)),
            })
        });
        Some(Operation {
            kind,
            name: self.name(element),
            span: self.span(at),
            is_bound: self.boolean(members, "$IsBound").unwrap_or(false),
            is_composable: self.boolean(members, "$IsComposable").unwrap_or(false),
            entity_set_path: get(members, "$EntitySetPath").and_then(|m| self.string(m)).map(|s| s.text),
            parameters,
            return_type,
            annotations: self.annotations(members, ""),
        })
    }

    fn parameter(&mut self, value: &Value<'_>) -> Option<Parameter> {
        let Value::Object(object) = value else {
            self.error(value.range().start, "a parameter must be an object");
            return None;
        };
        let members = self.members(object);
        self.unknown_keywords(
            &members,
            "a parameter",
            &["$Name", "$Type", "$Collection", "$Nullable", "$MaxLength", "$Unicode", "$Precision", "$Scale", "$SRID"],
        );
        let owner = Member { name: "$Parameter", at: object.range.start, value };
        let name = self.required(&members, "$Name", &owner, "a parameter");
        let type_name = self.type_name(&members, &owner, "$Type", Some("Edm.String"));
        self.facets(&members, &type_name.text);
        Some(Parameter {
            name,
            span: self.span(object.range.start),
            type_name,
            nullable: Some(self.boolean(&members, "$Nullable").unwrap_or(false)),
            annotations: self.annotations(&members, ""),
        })
    }

    /// An entity container: entity sets (`$Collection`), singletons, action and function
    /// imports (`$Action`, `$Function`).
    fn container(&mut self, element: &Member<'_, '_>, members: &[Member<'_, '_>]) -> EntityContainer {
        let mut container = EntityContainer {
            name: self.name(element),
            span: self.span(element.at),
            entity_sets: Vec::new(),
            singletons: Vec::new(),
            action_imports: Vec::new(),
            function_imports: Vec::new(),
            annotations: self.annotations(members, ""),
        };
        self.unknown_keywords(members, "an entity container", &["$Kind", "$Extends"]);
        if let Some(extends) = get(members, "$Extends") {
            self.warning(
                extends.at,
                "`$Extends` is not read: the children of the container it names are not part of this one (CSDL JSON 4.01 §13.1.1)",
            );
        }
        for child in elements(members) {
            let Some(child_members) = self.object(child, "entity container child") else {
                continue;
            };
            let import = |target: &str| get(&child_members, target).is_some();
            if import("$Action") || import("$Function") {
                let is_action = import("$Action");
                let target = if is_action { "$Action" } else { "$Function" };
                self.unknown_keywords(
                    &child_members,
                    if is_action { "an action import" } else { "a function import" },
                    &[target, "$EntitySet", "$IncludeInServiceDocument"],
                );
                let operation_import = OperationImport {
                    name: self.name(child),
                    span: self.span(child.at),
                    operation: self.required(&child_members, target, child, "operation import"),
                    entity_set: get(&child_members, "$EntitySet").and_then(|m| self.string(m)).map(|s| s.text),
                    annotations: self.annotations(&child_members, ""),
                };
                if is_action {
                    container.action_imports.push(operation_import);
                } else {
                    container.function_imports.push(operation_import);
                }
                continue;
            }
            let is_set = self.boolean(&child_members, "$Collection") == Some(true);
            if is_set {
                self.unknown_keywords(
                    &child_members,
                    "an entity set",
                    &["$Collection", "$Type", "$NavigationPropertyBinding", "$IncludeInServiceDocument"],
                );
            } else {
                self.unknown_keywords(
                    &child_members,
                    "a singleton",
                    &["$Collection", "$Type", "$Nullable", "$NavigationPropertyBinding"],
                );
            }
            let set = EntitySet {
                name: self.name(child),
                span: self.span(child.at),
                type_name: self.required(&child_members, "$Type", child, if is_set { "entity set" } else { "singleton" }),
                navigation_bindings: self.bindings(&child_members),
                annotations: self.annotations(&child_members, ""),
            };
            if is_set {
                container.entity_sets.push(set);
            } else {
                container.singletons.push(set);
            }
        }
        container
    }

    /// `$NavigationPropertyBinding`: path → target.
    fn bindings(&mut self, members: &[Member<'_, '_>]) -> Vec<NavigationBinding> {
        let Some(bindings) = get(members, "$NavigationPropertyBinding") else {
            return Vec::new();
        };
        let Some(bindings) = self.object(bindings, "$NavigationPropertyBinding") else {
            return Vec::new();
        };
        bindings
            .iter()
            .filter_map(|binding| {
                let target = self.string(binding)?;
                Some(NavigationBinding {
                    path: self.name(binding),
                    target,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;

//! ApiDoctor-style checks of documentation pages against the model: each finding is a
//! `path:line:col: warning[code]: message`. The codes are listed in [`CODES`] and the README.

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::ir::{
    BuilderKind, Model, Primitive, PropertyKind, Target, TypeDef, TypeKind, TypeRef,
};
use crate::pages::{
    BlockKind, CellType, CodeBlock, ExampleJson, HttpMessage, Page, SectionKind, Table, TableKind,
};
use crate::pages::{
    edm_name, member_name, page_resource, strip_prefix_ignore_ascii_case,
    strip_suffix_ignore_ascii_case, url_host,
};
use crate::source::Span;

/// Every finding code, with what it means.
pub const CODES: &[(&str, &str)] = &[
    (
        "status-mismatch",
        "the status the prose promises differs from the example response's status line",
    ),
    (
        "unknown-property",
        "an example JSON property is not a property of its type",
    ),
    (
        "table-property",
        "a property table names a property the type lacks, or gives it another type",
    ),
    (
        "unknown-odata-type",
        "`@odata.type` names a type the metadata does not have",
    ),
    (
        "odata-type-case",
        "`@odata.type` names a type in a different letter case",
    ),
    (
        "abstract-type",
        "a request body or property table is for an abstract type",
    ),
    (
        "unknown-path",
        "a request path matches no path of the metadata",
    ),
    (
        "unknown-action",
        "a path segment names a namespace-qualified operation that does not exist",
    ),
    (
        "content-length",
        "Content-Length matches neither the LF nor the CRLF byte length of the body",
    ),
    (
        "missing-required",
        "a response example leaves out non-nullable properties without `truncated`",
    ),
    (
        "value-wrapper",
        "a single entity or complex value is wrapped in `{\"value\": {...}}`",
    ),
    (
        "request-format",
        "a request block is not a well-formed HTTP request (no method, or a blank line before its headers)",
    ),
    (
        "invalid-json",
        "an example body or JSON block is not JSON (trailing commas, comments)",
    ),
    (
        "property-type",
        "an example value's JSON type contradicts its property's type",
    ),
];

pub fn lint(model: &Model, pages: &[Page], docs_only: bool) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for page in pages {
        let mut lint = PageLint {
            model,
            page,
            findings: &mut findings,
        };
        lint.status();
        lint.bodies();
        lint.tables();
        if !docs_only {
            lint.paths();
        }
        lint.content_lengths();
        lint.request_formats();
        lint.json_blocks();
    }
    findings
}

/// Where a block's example JSON stops being JSON, for `generate`'s warnings: each block of
/// the pages whose body (or `json` content) is not strict JSON, located, with why.
pub fn invalid_json(pages: &[Page]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for page in pages {
        for block in page
            .code_blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Ignored)
        {
            if let Some((json, _)) = block_json(block) {
                if let Some((span, reason)) = &json.problem {
                    warnings.push(Diagnostic::warning(
                        *span,
                        format!("{}; the example is not used", json_problem(json, reason)),
                    ));
                }
            }
        }
    }
    warnings
}

/// The example JSON of a block: an HTTP message's body, or a `json` block's content; with
/// whether it is an HTTP body.
fn block_json(block: &CodeBlock) -> Option<(&ExampleJson, bool)> {
    match &block.http {
        Some(HttpMessage::Request(r)) => r.body.as_ref()?.json.as_ref().map(|j| (j, true)),
        Some(HttpMessage::Response(r)) => r.body.as_ref()?.json.as_ref().map(|j| (j, true)),
        None => block.json.as_ref().map(|j| (j, false)),
    }
}

fn json_problem(json: &ExampleJson, reason: &str) -> String {
    match json.value {
        Some(_) => format!("the example is not JSON ({reason}), though it reads as JSON5"),
        None => format!("the example is not JSON ({reason})"),
    }
}

/// What a request path addresses, for the examples of its request and response.
#[derive(Clone, Copy)]
enum PathType {
    Type(crate::ir::TypeId),
    /// `$ref`, `$count`, `$value`, a stream, an operation without a structured result.
    Untyped,
}

/// A paragraph of a `Response` section, the example response it describes (an index into
/// the page's responses) and the statuses it promises.
type Promise<'p> = (&'p crate::pages::Paragraph, usize, Vec<(u16, String)>);

/// How one example body is checked.
struct Check<'c> {
    span: Span,
    is_request: bool,
    /// The body makes a new value (a POST or PUT, an action's parameter): its objects must be
    /// of concrete types. An update (PATCH) of an abstract type's properties is fine.
    creates: bool,
    /// Missing properties are not reported (requests, and responses said to be shortened).
    truncated: bool,
    /// Properties the block's metadata says may be left out (`nullableProperties`,
    /// `optionalProperties`).
    optional: &'c [&'c str],
}

/// The kinds of JSON values, and what Graph's placeholders stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonKind {
    String,
    Number,
    Boolean,
}

/// What a Graph placeholder stands for: `"String"`, `"String (timestamp)"`, `"Int32"`,
/// `"Boolean"`, `"Guid"`; `None` for a string that is no placeholder.
fn placeholder(text: &str) -> Option<JsonKind> {
    let word = text.split(" (").next().unwrap_or(text).trim();
    let word = word
        .strip_prefix("Edm.")
        .unwrap_or(word)
        .to_ascii_lowercase();
    // Older pages write `"<name>-value"`: `"double-value"` for a number, `"name-value"` for a
    // string.
    if let Some(name) = word.strip_suffix("-value").filter(|n| !n.is_empty()) {
        return Some(placeholder(name).unwrap_or(JsonKind::String));
    }
    Some(match word.as_str() {
        "string" | "guid" | "datetimeoffset" | "datetime" | "date" | "timeofday" | "duration"
        | "binary" | "timestamp" | "url" | "uri" => JsonKind::String,
        "int16" | "int32" | "int64" | "integer" | "int" | "number" | "double" | "decimal"
        | "single" | "float" | "long" | "byte" => JsonKind::Number,
        "boolean" | "bool" => JsonKind::Boolean,
        _ => return None,
    })
}

/// A value's kind as a finding names it: `the string "Integer"`, `a number`, `an object`.
fn json_kind(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() <= 40 => format!("the string \"{s}\""),
        Value::String(_) => "a string".to_owned(),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("`{b}`"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        Value::Null => "`null`".to_owned(),
    }
}

struct PageLint<'a> {
    model: &'a Model,
    page: &'a Page,
    findings: &'a mut Vec<Diagnostic>,
}

impl<'a> PageLint<'a> {
    /// The blocks lint reads: those marked `"blockType": "ignored"` are not.
    fn blocks(&self) -> impl Iterator<Item = &'a CodeBlock> {
        self.page
            .code_blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Ignored)
    }

    /// Whether the page says in prose that its response examples are shortened, as Graph's
    /// templated pages do ("the response object shown here may be truncated for brevity")
    /// instead of `"truncated": true`.
    fn prose_says_truncated(&self) -> bool {
        self.page.paragraphs.iter().any(|p| {
            let text = p.text.to_ascii_lowercase();
            [
                "truncated for brevity",
                "shortened for readability",
                "may be truncated",
            ]
            .iter()
            .any(|phrase| text.contains(phrase))
        })
    }

    fn find(&mut self, span: Span, code: &'static str, message: String) {
        self.findings.push(Diagnostic::lint(span, code, message));
    }

    /// The type an `@odata.type` names, exactly or ignoring case.
    fn named_type(&self, name: &str) -> Option<(&'a TypeDef, bool)> {
        let model = self.model;
        let name = without_collection(name.trim_start_matches('#'));
        if let Some(ty) = model.find_type(name) {
            return Some((ty, true));
        }
        model
            .types
            .iter()
            .find(|t| t.qualified_name.eq_ignore_ascii_case(name))
            .map(|t| (t, false))
    }

    /// Prose "returns a `201 Created` response code" against the example's status line.
    fn status(&mut self) {
        // An example marked `expectError` shows an error, not the promised success.
        let responses: Vec<(u32, &crate::pages::HttpResponse)> = self
            .page
            .code_blocks
            .iter()
            .filter_map(|b| match &b.http {
                Some(HttpMessage::Response(r))
                    if b.kind == BlockKind::Response
                        && !b.metadata.as_ref().is_some_and(|m| m.expect_error) =>
                {
                    Some((b.span.offset, r))
                }
                _ => None,
            })
            .collect();
        if responses.is_empty() {
            return;
        }
        // Each paragraph of a `Response` section with the example response it describes (the
        // one after it: the `Response` section before the examples, or one example's own; else
        // the last one before it) and the statuses it promises. Prose about an error case
        // (`404 Not Found` if it does not exist) describes no example.
        let mut promises: Vec<Promise<'_>> = Vec::new();
        for paragraph in &self.page.paragraphs {
            let in_response = self
                .page
                .section(paragraph.section)
                .is_some_and(|s| s.kind == SectionKind::Response);
            if !in_response {
                continue;
            }
            let at = paragraph.span.offset;
            let target = responses
                .iter()
                .position(|(offset, _)| *offset > at)
                .unwrap_or(responses.len() - 1);
            let promised: Vec<(u16, String)> = promised_statuses(&paragraph.text)
                .into_iter()
                .filter(|(code, _)| *code < 400)
                .collect();
            if !promised.is_empty() {
                promises.push((paragraph, target, promised));
            }
        }
        for (paragraph, target, promised) in &promises {
            let actual = responses[*target].1;
            // Of alternatives (`200 OK` or `204 No Content`, `202 Accepted` with
            // `Prefer: respond-async` and `201 Created` without), one must match: all the
            // statuses the prose of this section promises for this example count.
            let alternatives = promises
                .iter()
                .filter(|(p, t, _)| t == target && p.section == paragraph.section)
                .flat_map(|(_, _, promised)| promised);
            let matches = |(code, reason): &(u16, String)| {
                *code == actual.status
                    && (reason.is_empty() || actual.reason.eq_ignore_ascii_case(reason))
            };
            if !alternatives.clone().any(matches) {
                let (code, reason) = &promised[0];
                self.find(
                    paragraph.span,
                    "status-mismatch",
                    format!(
                        "the text promises `{code} {reason}` but the example answers `{} {}`",
                        actual.status, actual.reason
                    ),
                );
            }
        }
    }

    fn bodies(&mut self) {
        let resource = page_resource(self.page)
            .and_then(|(name, _)| self.named_type(&name).map(|(t, _)| t.id));
        let said_truncated = self.prose_says_truncated();
        // The request a response answers: the last one before it.
        let mut last_request: Option<&'a crate::pages::HttpRequest> = None;
        for block in self.blocks() {
            let metadata = block.metadata.as_ref();
            let mut unmatched_request = false;
            // Each block is about the type its own metadata names, else the type its request
            // path addresses, else the page's.
            let named = metadata
                .and_then(|m| Some((m.odata_type.as_ref()?, m.span)))
                .and_then(|(name, span)| self.odata_type(name, span));
            let mut creates = false;
            let (body, is_request, truncated, path_type) = match &block.http {
                Some(HttpMessage::Request(r)) if block.kind == BlockKind::Request => {
                    // A request whose path is not the service's addresses nothing of the model.
                    let to_service = service_request(self.model, block);
                    last_request = to_service;
                    let path_type = to_service.and_then(|r| self.path_type(r, true));
                    // A path that matches nothing is reported as unknown-path; its body is
                    // then of no known type (the page's would be a guess: an action's
                    // parameters are not its result).
                    unmatched_request = to_service.is_some() && path_type.is_none();
                    creates = matches!(r.method.as_str(), "POST" | "PUT");
                    (r.body.as_ref(), true, true, path_type)
                }
                Some(HttpMessage::Response(r)) if block.kind == BlockKind::Response => {
                    // An error example (`expectError`, or an error status) has the error's
                    // shape, not the operation's; an empty or media body is not JSON of the type.
                    let error = metadata.is_some_and(|m| m.expect_error) || r.status >= 400;
                    if error || metadata.is_some_and(|m| m.is_empty || m.is_media_entity) {
                        continue;
                    }
                    let truncated = metadata.is_some_and(|m| m.truncated) || said_truncated;
                    let path_type = last_request.and_then(|r| self.path_type(r, false));
                    (r.body.as_ref(), false, truncated, path_type)
                }
                _ => continue,
            };
            if metadata.is_some_and(|m| m.is_media_entity) {
                continue;
            }
            let block_type = match (named, path_type) {
                (Some(ty), _) => Some(ty),
                (None, Some(PathType::Type(ty))) => Some(self.refine(ty, resource)),
                (None, Some(PathType::Untyped)) => None,
                (None, None) if unmatched_request => None,
                (None, None) => resource,
            };
            let Some(body) = body else { continue };
            let Some(json) = &body.json else { continue };
            let Some(json) = &json.value else { continue };
            if let Some(request) = service_request(self.model, block) {
                if self.parameters(request, json, body.span) {
                    continue;
                }
            }
            let mut optional: Vec<&str> = Vec::new();
            if let Some(m) = metadata {
                optional.extend(m.nullable_properties.iter().map(String::as_str));
                optional.extend(m.optional_properties.iter().map(String::as_str));
            }
            let check = Check {
                span: body.span,
                is_request,
                creates,
                truncated,
                optional: &optional,
            };
            let declared = json
                .get("@odata.type")
                .and_then(Value::as_str)
                .and_then(|n| self.named_type(n).map(|(t, _)| t.id))
                .or(block_type);
            let is_collection = metadata.is_some_and(|m| m.is_collection);
            let wrapped = if is_collection {
                None
            } else {
                self.value_wrapper(json, declared, body.span)
            };
            let json = match &wrapped {
                Some(inner) => inner,
                None => json.get("value").filter(|v| v.is_array()).unwrap_or(json),
            };
            match json {
                Value::Array(items) => {
                    for item in items {
                        self.object(item, declared, &check, "");
                    }
                }
                other => self.object(other, declared, &check, ""),
            }
        }
    }

    /// The page's type where it derives from the type a path addresses (a page about
    /// `windows10GeneralConfiguration` posting to `deviceConfigurations`), else the path's.
    fn refine(
        &self,
        path: crate::ir::TypeId,
        page: Option<crate::ir::TypeId>,
    ) -> crate::ir::TypeId {
        let mut current = page;
        while let Some(ty) = current {
            if ty == path {
                return page.unwrap_or(path);
            }
            current = self.model.ty(ty).as_struct().and_then(|s| s.base);
        }
        path
    }

    /// The type of what a request's path addresses: the entity or collection, or the result
    /// of the operation it calls; for a request body, what it creates or updates.
    /// `None` when the path matches nothing; [`PathType::Untyped`] when it ends on `$ref`,
    /// `$count`, `$value`, a stream or an operation without a structured result.
    fn path_type(&self, request: &crate::pages::HttpRequest, body: bool) -> Option<PathType> {
        let Some(found) = self.match_path(&request.path) else {
            return self
                .property_path(&request.path)
                .map(|property| match property {
                    Some(TypeRef {
                        target: Target::Named(ty),
                        ..
                    }) if self.model.ty(ty).as_struct().is_some() => PathType::Type(ty),
                    _ => PathType::Untyped,
                });
        };
        let model = self.model;
        if let Some(call) = found.call {
            if body {
                return Some(PathType::Untyped);
            }
            return Some(match model.operation(call).return_type.as_ref() {
                Some(r) => match r.ty.target {
                    Target::Named(ty) => PathType::Type(ty),
                    Target::Primitive(_) => PathType::Untyped,
                },
                None => PathType::Untyped,
            });
        }
        if found.member.is_some() {
            return Some(PathType::Untyped);
        }
        Some(match found.builder {
            Some(builder) => PathType::Type(model.resources.builder(builder).kind.ty()),
            None => PathType::Untyped,
        })
    }

    /// `{"value": {...}}` holding one entity or complex value, which OData writes as the
    /// body itself: reported once; the inner object is returned to be checked in its place.
    fn value_wrapper(
        &mut self,
        json: &Value,
        declared: Option<crate::ir::TypeId>,
        span: Span,
    ) -> Option<Value> {
        let map = json.as_object()?;
        let inner = map.get("value").filter(|v| v.is_object())?;
        if map.keys().any(|k| k != "value" && !k.contains('@')) {
            return None;
        }
        let inner_type = inner
            .get("@odata.type")
            .and_then(Value::as_str)
            .and_then(|n| self.named_type(n).map(|(t, _)| t.id))
            .or(declared);
        let ty = self.model.ty(inner_type?);
        ty.as_struct()?;
        self.find(
            span,
            "value-wrapper",
            format!(
                "a single `{}` is wrapped in `{{\"value\": {{...}}}}`: the body is the object itself",
                ty.qualified_name
            ),
        );
        Some(inner.clone())
    }

    /// The body of a bound operation call holds its parameters: checks their names, and the
    /// values of structured parameters against their types. Returns whether the request was
    /// such a call.
    fn parameters(
        &mut self,
        request: &crate::pages::HttpRequest,
        json: &Value,
        span: Span,
    ) -> bool {
        let Some(call) = self.match_path(&request.path).and_then(|found| found.call) else {
            return false;
        };
        let model = self.model;
        let operation = model.operation(call);
        // Only an action takes its parameters in the body; a body sent to a function's result
        // (`PATCH .../range(address='A1')`) is a value of that result's type.
        if operation.kind != crate::ir::OperationKind::Action {
            return false;
        }
        for (key, value) in json.as_object().into_iter().flatten() {
            if key.contains('@') {
                continue;
            }
            // Graph takes parameter names in camelCase where its metadata has PascalCase
            // (`comment` for `Comment`), and every page writes them so.
            let Some(parameter) = operation
                .parameters
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(key))
            else {
                self.find(
                    span,
                    "unknown-property",
                    format!(
                        "`{key}` is not a parameter of `{}`",
                        operation.qualified_name
                    ),
                );
                continue;
            };
            let at = format!(" in parameter `{key}`");
            if !self.value_type(key, value, parameter.ty, span, "parameter") {
                continue;
            }
            if let Target::Named(target) = parameter.ty.target {
                let check = Check {
                    span,
                    is_request: true,
                    creates: true,
                    truncated: true,
                    optional: &[],
                };
                match value {
                    Value::Array(items) => {
                        for item in items {
                            self.object(item, Some(target), &check, &at);
                        }
                    }
                    other => self.object(other, Some(target), &check, &at),
                }
            }
        }
        true
    }

    fn odata_type(&mut self, name: &str, span: Span) -> Option<crate::ir::TypeId> {
        if is_primitive_name(name) {
            return None;
        }
        match self.named_type(name) {
            Some((ty, true)) => Some(ty.id),
            Some((ty, false)) => {
                let message = format!(
                    "`@odata.type` `{name}` differs in case from `{}`",
                    ty.qualified_name
                );
                self.find(span, "odata-type-case", message);
                Some(ty.id)
            }
            None => {
                self.find(
                    span,
                    "unknown-odata-type",
                    format!("`@odata.type` `{name}` names no type of the metadata"),
                );
                None
            }
        }
    }

    /// Checks one example object against its type, and its nested objects against theirs.
    fn object(
        &mut self,
        value: &Value,
        declared: Option<crate::ir::TypeId>,
        check: &Check<'_>,
        at: &str,
    ) {
        let Value::Object(map) = value else { return };
        let span = check.span;
        let ty = match map.get("@odata.type").and_then(Value::as_str) {
            Some(name) => self.odata_type(name, span).or(declared),
            None => declared,
        };
        let Some(id) = ty else {
            return;
        };
        if self.any_value(Target::Named(id)) {
            return;
        }
        let ty = self.model.ty(id);
        let Some(s) = ty.as_struct() else { return };
        if check.creates && s.is_abstract {
            self.find(
                span,
                "abstract-type",
                format!(
                    "the request body{at} is the abstract type `{}`: send one of its derived types",
                    ty.qualified_name
                ),
            );
        }
        let derived_properties = s
            .derived
            .iter()
            .filter_map(|&d| self.model.ty(d).as_struct())
            .flat_map(|d| d.properties.iter());
        let known: Vec<&str> = s
            .properties
            .iter()
            .chain(derived_properties)
            .map(|p| p.name.as_str())
            .collect();
        for (key, nested) in map {
            if key.contains('@') {
                continue;
            }
            if !known.contains(&key.as_str()) {
                // An open type takes dynamic properties (CSDL 4.01 §6.3): not a finding.
                if !s.is_open {
                    self.find(
                        span,
                        "unknown-property",
                        format!("`{key}`{at} is not a property of `{}`", ty.qualified_name),
                    );
                }
                continue;
            }
            if let Some(p) = s.properties.iter().find(|p| p.name == *key) {
                if !self.value_type(key, nested, p.ty, span, "property") {
                    continue;
                }
                if let Target::Named(target) = p.ty.target {
                    let inner = format!(" in `{key}`");
                    match nested {
                        Value::Array(items) => {
                            for item in items {
                                self.object(item, Some(target), check, &inner);
                            }
                        }
                        other => self.object(other, Some(target), check, &inner),
                    }
                }
            }
        }
        if !check.is_request && !check.truncated {
            let missing: Vec<&str> = s
                .properties
                .iter()
                .filter(|p| {
                    !p.nullable
                        && p.kind == PropertyKind::Structural
                        && !map.contains_key(&p.name)
                        && !check.optional.contains(&p.name.as_str())
                })
                .map(|p| p.name.as_str())
                .collect();
            if !missing.is_empty() {
                self.find(
                    span,
                    "missing-required",
                    format!(
                        "the response{at} leaves out non-nullable {} without `\"truncated\": true`",
                        missing.join(", ")
                    ),
                );
            }
        }
    }

    /// Whether an example value has the JSON shape of its property's (or parameter's) type;
    /// reports it when not. `null` fits any type. Graph's placeholders (`"String"`,
    /// `"Int32"`, `"Boolean"`, `"String (timestamp)"`) stand for values of the type they name:
    /// one that names another kind of value is a finding. Int64 and Decimal may be strings
    /// (IEEE754Compatible), Double and Single may be `"NaN"`, `"INF"`, `"-INF"`, enums are
    /// strings, and `Edm.Untyped` or spatial values can be anything.
    fn value_type(
        &mut self,
        key: &str,
        value: &Value,
        ty: TypeRef,
        span: Span,
        what: &str,
    ) -> bool {
        if value.is_null() || self.any_value(ty.target) {
            return true;
        }
        let wanted = describe(self.model, ty);
        if ty.collection {
            let Value::Array(items) = value else {
                let given = json_kind(value);
                self.find(
                    span,
                    "property-type",
                    format!(
                        "{what} `{key}` is a collection (`{wanted}`) but the example gives {given}"
                    ),
                );
                return false;
            };
            for item in items {
                if let Some(given) = self.wrong_value(item, ty.target) {
                    self.find(
                        span,
                        "property-type",
                        format!(
                            "{what} `{key}` holds `{}` values but the example gives {given}",
                            describe(
                                self.model,
                                TypeRef {
                                    collection: false,
                                    ..ty
                                }
                            )
                        ),
                    );
                    return false;
                }
            }
            return true;
        }
        match self.wrong_value(value, ty.target) {
            Some(given) => {
                self.find(
                    span,
                    "property-type",
                    format!("{what} `{key}` is `{wanted}` but the example gives {given}"),
                );
                false
            }
            None => true,
        }
    }

    /// Whether a type takes any JSON value: `Edm.Untyped` (which an empty complex type such
    /// as Graph's published `microsoft.graph.Json` is resolved to), spatial, stream.
    fn any_value(&self, target: Target) -> bool {
        let primitive = match target {
            Target::Primitive(p) => p,
            Target::Named(id) => match &self.model.ty(id).kind {
                TypeKind::Alias(p) => *p,
                TypeKind::Struct(_) | TypeKind::Enum(_) => return false,
            },
        };
        matches!(
            primitive,
            Primitive::Untyped | Primitive::Spatial | Primitive::Stream
        )
    }

    /// How a single (non-null) value contradicts a type, described, or `None` if it fits.
    fn wrong_value(&self, value: &Value, target: Target) -> Option<String> {
        if value.is_null() || self.any_value(target) {
            return None;
        }
        let primitive = match target {
            Target::Primitive(p) => p,
            Target::Named(id) => match &self.model.ty(id).kind {
                TypeKind::Struct(_) => {
                    return (!value.is_object()).then(|| json_kind(value));
                }
                // An enum value is its member's name (flags: names joined by commas).
                TypeKind::Enum(_) => {
                    return match value {
                        Value::String(s) => match placeholder(s) {
                            Some(kind) if kind != JsonKind::String => Some(json_kind(value)),
                            _ => None,
                        },
                        other => Some(json_kind(other)),
                    };
                }
                TypeKind::Alias(p) => *p,
            },
        };
        let fits = match primitive {
            Primitive::Boolean => match value {
                Value::Bool(_) => true,
                Value::String(s) => placeholder(s) == Some(JsonKind::Boolean),
                _ => false,
            },
            Primitive::Byte
            | Primitive::SByte
            | Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64
            | Primitive::Decimal
            | Primitive::Double
            | Primitive::Single => match value {
                Value::Number(_) => true,
                Value::String(s) => {
                    let s = s.trim();
                    placeholder(s) == Some(JsonKind::Number)
                        || (matches!(
                            primitive,
                            Primitive::Int64
                                | Primitive::Decimal
                                | Primitive::Double
                                | Primitive::Single
                        ) && s.parse::<f64>().is_ok())
                        || (matches!(primitive, Primitive::Double | Primitive::Single)
                            && ["NaN", "INF", "-INF"].contains(&s))
                }
                _ => false,
            },
            // String, Guid, dates and times, Binary: strings; a placeholder of a string
            // type of another kind (`"Guid"` for a date) is still a string.
            _ => match value {
                Value::String(s) => {
                    primitive == Primitive::String
                        || !matches!(placeholder(s), Some(JsonKind::Number | JsonKind::Boolean))
                }
                _ => false,
            },
        };
        (!fits).then(|| json_kind(value))
    }

    /// Property tables against the type they describe: the one their sub-heading names, else
    /// for a request body table what the documented request creates or updates (or the
    /// parameters of the operation it calls), else the type the page is about. Tables of
    /// query, path or function parameters describe no type.
    fn tables(&mut self) {
        let page = self.page;
        let resource = page_resource(page)
            .and_then(|(name, _)| self.named_type(&name))
            .map(|(t, _)| t);
        let documented = crate::pages::documented_request(page)
            .filter(|r| is_service_host(self.model, r.host.as_deref()));
        let addressed = documented.and_then(|r| self.match_path(&r.path));
        // An action takes its parameters in the body; a body sent to a function's result
        // (`PATCH .../range(address='A1')`) updates that result.
        let model = self.model;
        let call = addressed.as_ref().and_then(|m| m.call);
        let action =
            call.filter(|&c| model.operation(c).kind == crate::ir::OperationKind::Action);
        let addressed_type = match (call, addressed.as_ref()) {
            (Some(c), _) if action.is_none() => match model.operation(c).return_type.as_ref() {
                Some(r) => match r.ty.target {
                    Target::Named(ty) => Some(ty),
                    Target::Primitive(_) => None,
                },
                None => None,
            },
            (None, Some(m)) if m.member.is_none() => {
                m.builder.map(|b| model.resources.builder(b).kind.ty())
            }
            // A complex property's path (`PATCH /me/mailboxSettings`): that property's type.
            (None, None) => match documented.and_then(|r| self.property_path(&r.path)) {
                Some(Some(TypeRef {
                    target: Target::Named(ty),
                    ..
                })) => Some(ty),
                _ => None,
            },
            _ => None,
        };
        let path_type = addressed_type.map(|ty| model.ty(self.refine(ty, resource.map(|t| t.id))));
        let function = call.filter(|_| action.is_none());
        let call = action;
        for table in page
            .tables
            .iter()
            .filter(|t| t.kind == TableKind::Properties)
        {
            let section = page.section(table.section);
            let parameters = section.is_some_and(|s| {
                s.kind == SectionKind::Parameters
                    || s.title.to_ascii_lowercase().contains("parameter")
            });
            if parameters {
                continue;
            }
            let in_request = section.is_some_and(|s| s.kind == SectionKind::RequestBody);
            // A table under a sub-heading that names a type (`### gadget object`) is that
            // type's.
            // A function's parameters documented under "Request body" (they go in the URL):
            // a table that names one of them is the function's, not its result's.
            let function = function.filter(|&f| in_request && self.names_a_parameter(table, f));
            let ty = match (self.table_type(table), in_request, call.or(function)) {
                (Some(ty), _, _) => Some(ty),
                (None, true, Some(call)) => {
                    self.parameter_table(table, call);
                    continue;
                }
                (None, true, None) => path_type.or(resource),
                (None, false, _) => resource,
            };
            let Some(ty) = ty else { continue };
            let Some(s) = ty.as_struct() else { continue };
            if self.documents_string_content(table, ty) {
                continue;
            }
            // Only a body that creates (POST, PUT) must be of a concrete type; an update of an
            // abstract type's properties (PATCH) is fine.
            let creates = documented.is_some_and(|r| matches!(r.method.as_str(), "POST" | "PUT"));
            if in_request && s.is_abstract && creates && call.is_none() {
                let message = format!(
                    "the request body table is for the abstract type `{}`: document a derived type",
                    ty.qualified_name
                );
                self.find(table.span, "abstract-type", message);
            }
            self.property_rows(table, ty);
        }
    }

    /// Each row of a property table against the property of `ty` it names.
    fn property_rows(&mut self, table: &Table, ty: &'a TypeDef) {
        let Some(s) = ty.as_struct() else { return };
        // By name, once per table: a table may have as many rows as the type has properties.
        let properties: std::collections::HashMap<&str, &crate::ir::Property> =
            s.properties.iter().map(|p| (p.name.as_str(), p)).collect();
        for row in &table.rows {
            let (Some(name), Some(cell)) = (table.cell(row, "property"), table.cell(row, "type"))
            else {
                continue;
            };
            let name_text = member_name(&name.text);
            // An instance annotation (`@microsoft.graph.conflictBehavior`) is documented in
            // the property table but is no property of the type (OData JSON 4.01 §20).
            if name_text.starts_with('@') {
                continue;
            }
            let Some(&property) = properties.get(name_text) else {
                self.find(
                    name.span,
                    "table-property",
                    format!("`{name_text}` is not a property of `{}`", ty.qualified_name),
                );
                continue;
            };
            if let Some(documented) = CellType::parse(&cell.text) {
                if !same_type(self.model, &documented, property.ty) {
                    let actual = describe(self.model, property.ty);
                    self.find(
                        cell.span,
                        "table-property",
                        format!(
                            "`{name_text}` is documented as `{}` but is `{actual}`",
                            cell.text
                        ),
                    );
                }
            }
        }
    }

    /// Whether a table's rows name a parameter of an operation (in any letter case).
    fn names_a_parameter(&self, table: &Table, call: crate::ir::OperationId) -> bool {
        let operation = self.model.operation(call);
        row_names(table).iter().any(|n| {
            operation
                .parameters
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(n))
        })
    }

    /// Whether a table documents the JSON a string property of `ty` holds rather than `ty`
    /// (`definition` of Graph's policies: "The properties below form the JSON object ... to
    /// be inserted into the definition property"): the prose of the table's section before it
    /// speaks of JSON, and its heading ends with the name of a string property of `ty`
    /// ("Properties of a token lifetime policy definition") or its prose names one ("the
    /// definition property").
    fn documents_string_content(&self, table: &Table, ty: &TypeDef) -> bool {
        let Some(section) = self.page.section(table.section) else {
            return false;
        };
        let Some(s) = ty.as_struct() else {
            return false;
        };
        let prose: Vec<String> = self
            .page
            .paragraphs
            .iter()
            .filter(|p| p.section == table.section && p.span.offset < table.span.offset)
            .map(|p| p.text.to_ascii_lowercase())
            .collect();
        let title = section.title.to_ascii_lowercase();
        if !title.contains("json") && !prose.iter().any(|p| p.contains("json")) {
            return false;
        }
        let last_word = title
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphanumeric());
        s.properties.iter().any(|p| {
            let string = p.kind == PropertyKind::Structural
                && p.ty.target == Target::Primitive(Primitive::String);
            let name = p.name.to_ascii_lowercase();
            let said = format!("{name} property");
            string && (last_word == name || prose.iter().any(|p| p.contains(&said)))
        })
    }

    /// A request body table of an operation call: its rows are the operation's parameters
    /// (in any letter case, as Graph's pages write them).
    fn parameter_table(&mut self, table: &Table, call: crate::ir::OperationId) {
        let model = self.model;
        let operation = model.operation(call);
        let row_names = row_names(table);
        if !self.names_a_parameter(table, call) {
            // A table of the properties of the one structured parameter (`passwordCredential`
            // of `addPassword`) is that type's; a table that fits neither is left alone.
            let fitting = operation.parameters.iter().find_map(|p| {
                let Target::Named(id) = p.ty.target else {
                    return None;
                };
                let ty = model.ty(id);
                let s = ty.as_struct()?;
                row_names
                    .iter()
                    .all(|n| s.properties.iter().any(|p| p.name == *n))
                    .then_some(ty)
            });
            if let Some(ty) = fitting {
                self.property_rows(table, ty);
            }
            return;
        }
        for row in &table.rows {
            let (Some(name), Some(cell)) = (
                table
                    .cell(row, "property")
                    .or_else(|| table.cell(row, "parameter")),
                table.cell(row, "type"),
            ) else {
                continue;
            };
            let name_text = member_name(&name.text);
            let Some(parameter) = operation
                .parameters
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name_text))
            else {
                self.find(
                    name.span,
                    "table-property",
                    format!(
                        "`{name_text}` is not a parameter of `{}`",
                        operation.qualified_name
                    ),
                );
                continue;
            };
            if let Some(documented) = CellType::parse(&cell.text) {
                if !same_type(model, &documented, parameter.ty) {
                    let actual = describe(model, parameter.ty);
                    self.find(
                        cell.span,
                        "table-property",
                        format!(
                            "parameter `{name_text}` is documented as `{}` but is `{actual}`",
                            cell.text
                        ),
                    );
                }
            }
        }
    }

    /// The type a table's heading names: `gadget`, `gadget object`, `gadget resource type`.
    fn table_type(&self, table: &Table) -> Option<&'a TypeDef> {
        let section = self.page.section(table.section)?;
        if section.level < 3 {
            return None;
        }
        let mut title = section.title.trim();
        for suffix in [" resource type", " object", " resource", " type"] {
            if let Some(rest) = strip_suffix_ignore_ascii_case(title, suffix).filter(|r| !r.is_empty()) {
                title = rest;
                break;
            }
        }
        let name = title.trim().trim_matches('`');
        if name.contains(char::is_whitespace) {
            return None;
        }
        let model = self.model;
        model.find_type(name).or_else(|| {
            let mut found = model.types.iter().filter(|t| t.name == name);
            found.next().filter(|_| found.next().is_none())
        })
    }

    /// A blank line between a request line and its headers ends the headers in HTTP.
    fn request_formats(&mut self) {
        for block in self.blocks() {
            if let Some(at) = block.no_request_line {
                let first = block
                    .text
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or("");
                let word = first.split_whitespace().next().unwrap_or("");
                let message = if first.starts_with('/') || first.contains("://") {
                    "the request has no request line: it starts with a URL or path, not a method such as `GET`".to_owned()
                } else {
                    format!("the request has no request line: `{word}` is not an HTTP method such as `GET`")
                };
                self.find(at, "request-format", message);
            }
            if let Some(HttpMessage::Request(r)) = &block.http {
                if let Some(blank) = r.blank_before_headers {
                    self.find(
                        blank,
                        "request-format",
                        format!("a blank line separates `{} {}` from its headers, which would be sent as the body", r.method, r.path),
                    );
                }
            }
        }
    }

    /// Bodies of HTTP blocks (requests, responses, examples such as a notification sent to
    /// another host) and `json` blocks that are not JSON. The properties of `json` blocks are
    /// not checked: only those of request and response bodies are.
    fn json_blocks(&mut self) {
        for block in self.blocks() {
            if let Some((json, _)) = block_json(block) {
                if let Some((span, reason)) = &json.problem {
                    let message = json_problem(json, reason);
                    self.find(*span, "invalid-json", message);
                }
            }
        }
    }

    /// Whether a request path matches the metadata, with OneDrive's path-based addressing
    /// (`root:/folder/file.xlsx:`) read as the item it names.
    fn match_path(&self, path: &str) -> Option<crate::ir::UrlMatch> {
        self.model.match_path(&without_path_addressing(path))
    }

    /// A path to a structural property (OData URL Conventions 4.01 §4.6), which the URL model
    /// has no builder for: what the rest of the path addresses is an entity or a complex value,
    /// and the last segments name its property (of its type or of a type derived from it), a
    /// complex property's own property, and so on; `/$value` may follow a primitive property.
    /// A `{size}` segment stands for any property. The type of the property addressed, or
    /// `None` for the raw `$value`.
    fn property_path(&self, path: &str) -> Option<Option<TypeRef>> {
        let path = without_path_addressing(path);
        let mut segments = crate::ir::split_segments(&path);
        let raw_value = segments.last() == Some(&"$value");
        if raw_value {
            segments.pop();
        }
        let model = self.model;
        for split in (1..segments.len()).rev() {
            let Some(found) = model.match_path(&segments[..split].join("/")) else {
                continue;
            };
            let Some(builder) = found.builder.filter(|_| found.member.is_none()) else {
                continue;
            };
            let ty = match model.resources.builder(builder).kind {
                BuilderKind::Entity(ty) | BuilderKind::Complex(ty) => ty,
                BuilderKind::Collection(_) => continue,
            };
            let Some(last) = self.walk_properties(ty, &segments[split..]) else {
                continue;
            };
            if !raw_value {
                return Some(Some(last));
            }
            // `$value` is the raw value of a single primitive (or enumeration) property.
            let primitive = !last.collection
                && match last.target {
                    Target::Primitive(_) => true,
                    Target::Named(id) => model.ty(id).as_struct().is_none(),
                };
            if primitive {
                return Some(None);
            }
        }
        None
    }

    /// The property the segments name, one in the other, from a value of type `ty`.
    fn walk_properties(&self, ty: crate::ir::TypeId, segments: &[&str]) -> Option<TypeRef> {
        let (segment, rest) = segments.split_first()?;
        let model = self.model;
        let s = model.ty(ty).as_struct()?;
        let template = segment.starts_with('{') && segment.ends_with('}');
        let properties = s
            .properties
            .iter()
            .chain(
                s.derived
                    .iter()
                    .filter_map(|&d| model.ty(d).as_struct())
                    .flat_map(|d| d.properties.iter()),
            )
            .filter(|p| p.kind == PropertyKind::Structural)
            .filter(|p| template || p.name.eq_ignore_ascii_case(segment));
        for property in properties {
            if rest.is_empty() {
                return Some(property.ty);
            }
            if let (Target::Named(inner), false) = (property.ty.target, property.ty.collection) {
                if let Some(found) = self.walk_properties(inner, rest) {
                    return Some(found);
                }
            }
        }
        None
    }

    fn paths(&mut self) {
        // Every request block to the service, the documented template among them.
        let model = self.model;
        let requests: Vec<_> = self
            .blocks()
            .filter_map(|block| service_request(model, block))
            .collect();
        for r in requests {
            // An elided path (`/childFolders/{id}/.../contacts/{id}`) stands for many.
            let elided = r
                .path
                .split('/')
                .any(|s| matches!(s.trim(), "..." | "\u{2026}"));
            if elided
                || self.match_path(&r.path).is_some()
                || self.property_path(&r.path).is_some()
            {
                continue;
            }
            // A segment qualified by a namespace (or alias) of the metadata that names neither
            // an operation nor a type; keys with dots (`ann@contoso.com`) are not qualified names.
            let qualified_unknown = r.path.split('/').find(|segment| {
                let name = segment.split('(').next().unwrap_or(segment);
                let Some((qualifier, _)) = name.rsplit_once('.') else {
                    return false;
                };
                let known_namespace = self.model.namespaces.iter().any(|n| {
                    n.name.eq_ignore_ascii_case(qualifier)
                        || n.alias
                            .as_deref()
                            .is_some_and(|a| a.eq_ignore_ascii_case(qualifier))
                });
                known_namespace
                    && !self
                        .model
                        .operations
                        .iter()
                        .any(|o| o.qualified_name.eq_ignore_ascii_case(name))
                    && !self
                        .model
                        .types
                        .iter()
                        .any(|t| t.qualified_name.eq_ignore_ascii_case(name))
            });
            if let Some(segment) = qualified_unknown {
                self.find(
                    r.span,
                    "unknown-action",
                    format!("`{segment}` is not an action or function of the metadata"),
                );
            } else {
                self.find(
                    r.span,
                    "unknown-path",
                    format!("`{} {}` matches no path of the metadata", r.method, r.path),
                );
            }
        }
    }

    /// `Content-Length` against the body shown. The wire body may be the one shown with LF or
    /// CRLF line ends (with or without a final one), or minified; a response said to be shortened (`truncated`, or prose)
    /// may have had more: any length from the minified size up fits. Bodies of placeholders
    /// (`"String"`, `{id}`, `<token>`, `...`) or not shown have no length to compare.
    fn content_lengths(&mut self) {
        let said_truncated = self.prose_says_truncated();
        for block in self.blocks() {
            let (headers, body, truncated) = match &block.http {
                Some(HttpMessage::Request(r)) => (&r.headers, &r.body, false),
                Some(HttpMessage::Response(r)) => (
                    &r.headers,
                    &r.body,
                    said_truncated || block.metadata.as_ref().is_some_and(|m| m.truncated),
                ),
                None => continue,
            };
            let Some((_, value, span)) = headers
                .iter()
                .find(|(n, _, _)| n.eq_ignore_ascii_case("content-length"))
            else {
                continue;
            };
            let Ok(length) = value.trim().parse::<usize>() else {
                continue;
            };
            let Some(body) = body else {
                continue;
            };
            if has_placeholders(body) {
                continue;
            }
            let lf = body.text.replace("\r\n", "\n");
            let crlf_length = lf.len() + lf.matches('\n').count();
            let (minified, separators) = minified_length(&lf);
            // The line end before the closing fence may be part of the body sent; a body may
            // also have been sent on one line with a space after each `:` and `,`.
            let fits = [lf.len(), lf.len() + 1, crlf_length, crlf_length + 2].contains(&length)
                || length == minified
                || length == minified + separators
                || (truncated && length >= minified);
            if !fits {
                let shortened = if truncated {
                    format!(", and is less than its minified {minified} bytes although the response is shortened")
                } else {
                    format!(" nor its minified {minified} bytes")
                };
                self.find(
                    *span,
                    "content-length",
                    format!("Content-Length {value} matches neither the body's {} bytes with LF nor its {crlf_length} bytes with CRLF line ends{shortened}", lf.len()),
                );
            }
        }
    }
}

/// Microsoft Graph's hosts, the national clouds' included.
const GRAPH_HOSTS: [&str; 5] = [
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
    "canary.graph.microsoft.com",
];

/// Whether a request goes to the service: a relative path, the host of the model's service
/// root, or a Graph host (compared without case, as hosts are). A request to any other host (a
/// bot's callback, a webhook notification, an upload URL the service handed out, a sign-in
/// page) is not to the service the metadata describes.
fn is_service_host(model: &Model, host: Option<&str>) -> bool {
    // The request's host is read as the service root's is: lower case, without port.
    let Some(host) = host else { return true };
    let root_host = model.resources.service_root.as_deref().and_then(url_host);
    root_host.as_deref() == Some(host) || GRAPH_HOSTS.contains(&host)
}

/// A block's request, when it goes to the service and its path is one to read: not to
/// another host, and not marked `"opaqueUrl": true`.
fn service_request<'b>(
    model: &Model,
    block: &'b CodeBlock,
) -> Option<&'b crate::pages::HttpRequest> {
    match &block.http {
        Some(HttpMessage::Request(r))
            if is_service_host(model, r.host.as_deref())
                && !block.metadata.as_ref().is_some_and(|m| m.opaque_url) =>
        {
            Some(r)
        }
        _ => None,
    }
}

/// OneDrive's path-based addressing as the URL model has it: `/me/drive/root:/a/b.xlsx:/workbook`
/// names a drive item below `root` (`/me/drive/root/children/{item}/workbook`), as does
/// `items/{id}:/a/b:`; `/sites/{hostname}:/{path}` names the site itself.
fn without_path_addressing(path: &str) -> std::borrow::Cow<'_, str> {
    let Some(start) = path.find(":/") else {
        return path.into();
    };
    let before = &path[..start];
    let rest = &path[start + 2..];
    let after = match rest.find(":/") {
        Some(end) => &rest[end + 1..],
        None => "",
    };
    let mut segments = before.rsplit('/');
    let last = segments.next().unwrap_or("");
    let is_item = last.eq_ignore_ascii_case("root")
        || segments
            .next()
            .is_some_and(|s| s.eq_ignore_ascii_case("items"));
    if is_item {
        format!("{before}/children/item{after}").into()
    } else {
        format!("{before}{after}").into()
    }
}

/// The length of a JSON text without the whitespace outside its strings, and how many `:` and
/// `,` separators it has (each followed by a space in a one-line `{"a": 1, "b": 2}` form).
fn minified_length(text: &str) -> (usize, usize) {
    let (mut length, mut quoted, mut escaped, mut separators) = (0, false, false, 0);
    for c in text.chars() {
        if quoted {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
        } else if c.is_whitespace() {
            continue;
        } else if c == ':' || c == ',' {
            separators += 1;
        }
        length += c.len_utf8();
    }
    (length, separators)
}

/// Whether a body holds placeholders instead of values, so that its length says nothing:
/// Graph's type placeholders (`"String"`, `"Int32"`), `{id}` templates, `<token>`s,
/// `...` ellipses, or text that is not JSON.
fn has_placeholders(body: &crate::pages::MessageBody) -> bool {
    fn any_placeholder(value: &Value) -> bool {
        match value {
            Value::String(s) => {
                placeholder(s).is_some()
                    || s.contains("...")
                    || s.contains('\u{2026}')
                    || (s.contains('{') && s.contains('}') && !s.trim_start().starts_with('{'))
                    || (s.starts_with('<') && s.ends_with('>'))
            }
            Value::Array(items) => items.iter().any(any_placeholder),
            Value::Object(map) => map
                .iter()
                .any(|(k, v)| k.starts_with('{') || any_placeholder(v)),
            _ => false,
        }
    }
    match &body.json {
        Some(json) => json.problem.is_some() || json.value.as_ref().is_none_or(any_placeholder),
        // Text that is not JSON: a binary stand-in (`[binary data]`), a template, an ellipsis.
        None => ["...", "\u{2026}", "[", "{", "<"]
            .iter()
            .any(|p| body.text.contains(p)),
    }
}

/// "returns a `201 Created` response code" → [(201, "Created")]; every quoted status of the
/// sentences that speak of a "response code" (`200 OK` or `204 No Content`; `201 Created` if
/// new, or `200 OK` if it exists).
fn promised_statuses(text: &str) -> Vec<(u16, String)> {
    text.split(". ")
        .filter(|sentence| sentence.contains("response code"))
        .flat_map(|sentence| sentence.split('`').skip(1).step_by(2))
        .filter_map(|quoted| {
            let mut words = quoted.split_whitespace();
            let code = words.next()?.parse().ok()?;
            Some((code, words.collect::<Vec<_>>().join(" ")))
        })
        .collect()
}

/// `Collection(x)` → `x`, in any letter case (`collection(microsoft.graph.user)`, as pages
/// write it too).
fn without_collection(name: &str) -> &str {
    match strip_prefix_ignore_ascii_case(name, "collection(") {
        Some(rest) => rest.strip_suffix(')').unwrap_or(rest),
        None => name,
    }
}

/// `stream`, `String`, `Edm.Int32`, `Collection(Edm.String)`, `collection(Edm.Guid)`: names of
/// primitive types, not of types of the metadata.
fn is_primitive_name(name: &str) -> bool {
    let name = without_collection(name.trim().trim_start_matches('#'));
    let name = strip_prefix_ignore_ascii_case(name, "edm.").unwrap_or(name);
    const PRIMITIVES: &[&str] = &[
        "Binary",
        "Boolean",
        "Byte",
        "Date",
        "DateTimeOffset",
        "Decimal",
        "Double",
        "Duration",
        "Guid",
        "Int16",
        "Int32",
        "Int64",
        "SByte",
        "Single",
        "Stream",
        "String",
        "TimeOfDay",
        "Untyped",
        "PrimitiveType",
    ];
    let lower = name.to_ascii_lowercase();
    PRIMITIVES.iter().any(|p| p.eq_ignore_ascii_case(name))
        || lower.starts_with("geography")
        || lower.starts_with("geometry")
}

/// The names a table's rows give in their `Property` (or `Parameter`) column.
fn row_names(table: &Table) -> Vec<&str> {
    table
        .rows
        .iter()
        .filter_map(|row| {
            table
                .cell(row, "property")
                .or_else(|| table.cell(row, "parameter"))
        })
        .map(|c| member_name(&c.text))
        .collect()
}

fn same_type(model: &Model, documented: &CellType, actual: TypeRef) -> bool {
    if documented.collection != actual.collection {
        return false;
    }
    match actual.target {
        Target::Primitive(p) => {
            let name = documented.name.to_ascii_lowercase();
            let name = name.strip_prefix("edm.").unwrap_or(&name);
            // Words for number types that name no one Edm type: "Integer" or "Number" for
            // any integer, "Float" or "Number" for any floating-point type.
            let integer = matches!(
                p,
                Primitive::Byte
                    | Primitive::SByte
                    | Primitive::Int16
                    | Primitive::Int32
                    | Primitive::Int64
            );
            let floating = matches!(
                p,
                Primitive::Single | Primitive::Double | Primitive::Decimal
            );
            if (integer && matches!(name, "integer" | "int" | "number" | "long"))
                || (floating && matches!(name, "float" | "number" | "double" | "single"))
            {
                return true;
            }
            edm_name(&documented.name).and_then(|e| Primitive::from_edm_name(&e[4..])) == Some(p)
        }
        Target::Named(id) => {
            let name = &model.ty(id).name;
            let simple = documented
                .name
                .rsplit('.')
                .next()
                .unwrap_or(&documented.name);
            simple.eq_ignore_ascii_case(name)
        }
    }
}

fn describe(model: &Model, ty: TypeRef) -> String {
    let name = match ty.target {
        Target::Primitive(p) => format!("Edm.{p:?}"),
        Target::Named(id) => model.ty(id).name.clone(),
    };
    if ty.collection {
        format!("{name} collection")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::{is_primitive_name, member_name, promised_statuses, without_path_addressing};

    #[test]
    fn the_promised_status_is_read_from_prose() {
        assert_eq!(
            promised_statuses("this method returns a `201 Created` response code and"),
            [(201, "Created".into())]
        );
        assert_eq!(
            promised_statuses("returns a `204 No Content` response code."),
            [(204, "No Content".into())]
        );
        assert_eq!(
            promised_statuses(
                "Uses `id`. It returns a `200 OK` or `204 No Content` response code."
            ),
            [(200, "OK".into()), (204, "No Content".into())]
        );
        assert_eq!(
            promised_statuses(
                "It returns a `201 Created` response code if new, or a `200 OK` response code if it exists. The `id` is kept."
            ),
            [(201, "Created".into()), (200, "OK".into())]
        );
        assert!(promised_statuses("returns nothing").is_empty());
    }

    #[test]
    fn table_names_lose_code_emphasis_and_links() {
        for cell in ["color", "`color`", "**color**", "[color](#c)", "**[`color`](#c)**"] {
            assert_eq!(member_name(cell), "color", "{cell}");
        }
        assert_eq!(member_name("[a](x) and [b](y)"), "[a](x) and [b](y)");
    }

    #[test]
    fn path_based_addressing_names_an_item() {
        assert_eq!(
            without_path_addressing("/me/drive/root:/a/b.xlsx:/workbook"),
            "/me/drive/root/children/item/workbook"
        );
        assert_eq!(
            without_path_addressing("/drives/{id}/items/{item-id}:/a:"),
            "/drives/{id}/items/{item-id}/children/item"
        );
        assert_eq!(
            without_path_addressing("/sites/{hostname}:/{relative-path}"),
            "/sites/{hostname}"
        );
        assert_eq!(
            without_path_addressing("/widgets/{id}:/{path}:/keeper"),
            "/widgets/{id}/keeper"
        );
        assert_eq!(
            without_path_addressing("/chats/19:abc@thread.v2/messages"),
            "/chats/19:abc@thread.v2/messages"
        );
    }

    #[test]
    fn primitive_type_names_in_any_spelling() {
        for name in [
            "stream",
            "String",
            "Edm.Int32",
            "Collection(Edm.String)",
            "collection(edm.guid)",
            "#Edm.DateTimeOffset",
            "datetimeoffset",
        ] {
            assert!(is_primitive_name(name), "{name}");
        }
        for name in [
            "microsoft.graph.user",
            "widget",
            "Collection(microsoft.graph.user)",
        ] {
            assert!(!is_primitive_name(name), "{name}");
        }
    }
}

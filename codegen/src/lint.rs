//! ApiDoctor-style checks of documentation pages against the model: each finding is a
//! `path:line:col: warning[code]: message`. The codes are listed in [`CODES`] and the README.

use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::ir::{Model, Primitive, PropertyKind, Target, TypeDef, TypeRef};
use crate::pages::{
    BlockKind, CellType, CodeBlock, HttpMessage, Page, SectionKind, Table, TableKind,
};
use crate::resolve::docs::{edm_name, page_resource};
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
        "a request block is not a well-formed HTTP request (a blank line before its headers)",
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
    }
    findings
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
        let name = name.trim_start_matches('#');
        let name = name
            .strip_prefix("Collection(")
            .and_then(|n| n.strip_suffix(')'))
            .unwrap_or(name);
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
        let Some(actual) = self.page.code_blocks.iter().find_map(|b| match &b.http {
            Some(HttpMessage::Response(r)) if b.kind == BlockKind::Response => Some(r),
            _ => None,
        }) else {
            return;
        };
        for paragraph in &self.page.paragraphs {
            let in_response = self
                .page
                .section(paragraph.section)
                .is_some_and(|s| s.kind == SectionKind::Response);
            if !in_response {
                continue;
            }
            // Prose about an error case (`404 Not Found` if it does not exist) describes no
            // example; of alternatives (`200 OK` or `204 No Content`), one must match.
            let promised: Vec<(u16, String)> = promised_statuses(&paragraph.text)
                .into_iter()
                .filter(|(code, _)| *code < 400)
                .collect();
            let Some((code, reason)) = promised.first().cloned() else {
                continue;
            };
            let matches = |(code, reason): &(u16, String)| {
                *code == actual.status
                    && (reason.is_empty() || actual.reason.eq_ignore_ascii_case(reason))
            };
            if !promised.iter().any(matches) {
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
        for block in self.blocks() {
            // Each block is about the type its own metadata names, else the page's.
            let mut block_type = resource;
            if let Some(metadata) = &block.metadata {
                if let Some(name) = &metadata.odata_type {
                    if let Some(ty) = self.odata_type(name, metadata.span) {
                        block_type = Some(ty);
                    }
                }
            }
            let (body, is_request, truncated) = match &block.http {
                Some(HttpMessage::Request(r)) if block.kind == BlockKind::Request => {
                    (r.body.as_ref(), true, true)
                }
                Some(HttpMessage::Response(r)) if block.kind == BlockKind::Response => (
                    r.body.as_ref(),
                    false,
                    block.metadata.as_ref().is_some_and(|m| m.truncated) || said_truncated,
                ),
                _ => continue,
            };
            let Some(body) = body else { continue };
            let Ok(json) = serde_json::from_str::<Value>(&body.text) else {
                continue;
            };
            if let Some(HttpMessage::Request(request)) = &block.http {
                if self.parameters(request, &json, body.span) {
                    continue;
                }
            }
            let declared = json
                .get("@odata.type")
                .and_then(Value::as_str)
                .and_then(|n| self.named_type(n).map(|(t, _)| t.id))
                .or(block_type);
            let json = match self.value_wrapper(&json, declared, body.span) {
                Some(inner) => inner,
                None => json
                    .get("value")
                    .filter(|v| v.is_array())
                    .cloned()
                    .unwrap_or(json),
            };
            for item in json
                .as_array()
                .cloned()
                .unwrap_or_else(|| vec![json.clone()])
            {
                self.object(&item, declared, body.span, is_request, truncated, "");
            }
        }
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
        let Some(call) = self
            .model
            .match_path(&request.path)
            .and_then(|found| found.call)
        else {
            return false;
        };
        let model = self.model;
        let operation = model.operation(call);
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
            if let Target::Named(target) = parameter.ty.target {
                let at = format!(" in parameter `{key}`");
                for item in value
                    .as_array()
                    .cloned()
                    .unwrap_or_else(|| vec![value.clone()])
                {
                    self.object(&item, Some(target), span, true, true, &at);
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
        span: Span,
        is_request: bool,
        truncated: bool,
        at: &str,
    ) {
        let Value::Object(map) = value else { return };
        let ty = match map.get("@odata.type").and_then(Value::as_str) {
            Some(name) => self.odata_type(name, span).or(declared),
            None => declared,
        };
        let Some(ty) = ty.map(|id| self.model.ty(id)) else {
            return;
        };
        let Some(s) = ty.as_struct() else { return };
        if is_request && s.is_abstract {
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
                if let Target::Named(target) = p.ty.target {
                    let items = match nested {
                        Value::Array(items) => items.clone(),
                        other => vec![other.clone()],
                    };
                    for item in items {
                        self.object(
                            &item,
                            Some(target),
                            span,
                            is_request,
                            truncated,
                            &format!(" in `{key}`"),
                        );
                    }
                }
            }
        }
        if !is_request && !truncated {
            let missing: Vec<&str> = s
                .properties
                .iter()
                .filter(|p| {
                    !p.nullable && p.kind == PropertyKind::Structural && !map.contains_key(&p.name)
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

    /// Property tables against the type the page is about.
    fn tables(&mut self) {
        let Some((resource, _)) = page_resource(self.page) else {
            return;
        };
        let Some((ty, _)) = self.named_type(&resource) else {
            return;
        };
        let page = self.page;
        for table in page
            .tables
            .iter()
            .filter(|t| t.kind == TableKind::Properties)
        {
            // A table under a sub-heading that names a type (`### gadget object`) is that
            // type's.
            let ty = self.table_type(table).unwrap_or(ty);
            let Some(s) = ty.as_struct() else { continue };
            let in_request = page
                .section(table.section)
                .is_some_and(|s| s.kind == SectionKind::RequestBody);
            if in_request && s.is_abstract {
                let message = format!(
                    "the request body table is for the abstract type `{}`: document a derived type",
                    ty.qualified_name
                );
                self.find(table.span, "abstract-type", message);
            }
            for row in &table.rows {
                let (Some(name), Some(cell)) =
                    (table.cell(row, "property"), table.cell(row, "type"))
                else {
                    continue;
                };
                let Some(property) = s.properties.iter().find(|p| p.name == name.text) else {
                    self.find(
                        name.span,
                        "table-property",
                        format!(
                            "`{}` is not a property of `{}`",
                            name.text, ty.qualified_name
                        ),
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
                                "`{}` is documented as `{}` but is `{actual}`",
                                name.text, cell.text
                            ),
                        );
                    }
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
            if title.len() > suffix.len()
                && title[title.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
            {
                title = &title[..title.len() - suffix.len()];
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

    fn paths(&mut self) {
        // Every request block, the documented template among them.
        // A request to another host than the page's first (a bot's callback, a webhook, on
        // a page about Graph's calls) is not to this service.
        let service_host = self.blocks().find_map(|b| match &b.http {
            Some(HttpMessage::Request(r)) => r.host.clone(),
            _ => None,
        });
        let requests = self.blocks().filter_map(|b| match &b.http {
            Some(HttpMessage::Request(r)) if r.host.is_none() || r.host == service_host => Some(r),
            _ => None,
        });
        for r in requests {
            if self.model.match_path(&r.path).is_some() {
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

    fn content_lengths(&mut self) {
        for block in self.blocks() {
            let (headers, body) = match &block.http {
                Some(HttpMessage::Request(r)) => (&r.headers, &r.body),
                Some(HttpMessage::Response(r)) => (&r.headers, &r.body),
                None => continue,
            };
            let Some((_, value, span)) = headers
                .iter()
                .find(|(n, _, _)| n.eq_ignore_ascii_case("content-length"))
            else {
                continue;
            };
            let lf = body
                .as_ref()
                .map_or(String::new(), |b| b.text.replace("\r\n", "\n"));
            let crlf_length = lf.len() + lf.matches('\n').count();
            if value
                .trim()
                .parse::<usize>()
                .ok()
                .is_some_and(|n| n != lf.len() && n != crlf_length)
            {
                self.find(
                    *span,
                    "content-length",
                    format!("Content-Length {value} matches neither the body's {} bytes with LF nor its {crlf_length} bytes with CRLF line ends", lf.len()),
                );
            }
        }
    }
}

/// "returns a `201 Created` response code" → [(201, "Created")]; every quoted status of the
/// sentence that ends in "response code" (`200 OK` or `204 No Content`).
fn promised_statuses(text: &str) -> Vec<(u16, String)> {
    let Some(index) = text.find("response code") else {
        return Vec::new();
    };
    let before = &text[..index];
    let sentence = before
        .rfind(". ")
        .map_or(before, |start| &before[start + 2..]);
    sentence
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|quoted| {
            let mut words = quoted.split_whitespace();
            let code = words.next()?.parse().ok()?;
            Some((code, words.collect::<Vec<_>>().join(" ")))
        })
        .collect()
}

/// `stream`, `String`, `Edm.Int32`, `Collection(Edm.String)`, `collection(Edm.Guid)`: names of
/// primitive types, not of types of the metadata.
fn is_primitive_name(name: &str) -> bool {
    let name = name.trim().trim_start_matches('#');
    let name = match name.get(..11) {
        Some(prefix) if prefix.eq_ignore_ascii_case("collection(") => {
            name[11..].strip_suffix(')').unwrap_or(&name[11..])
        }
        _ => name,
    };
    let name = match name.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("edm.") => &name[4..],
        _ => name,
    };
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

fn same_type(model: &Model, documented: &CellType, actual: TypeRef) -> bool {
    if documented.collection != actual.collection {
        return false;
    }
    match actual.target {
        Target::Primitive(p) => {
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
    use super::{is_primitive_name, promised_statuses};

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
        assert!(promised_statuses("returns nothing").is_empty());
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

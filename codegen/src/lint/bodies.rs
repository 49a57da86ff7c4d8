//! Example request and response bodies against the type they are of: `unknown-property`,
//! `abstract-type`, `missing-required`, `value-wrapper`, `unknown-odata-type`,
//! `odata-type-case`; each value against its property's type (in `values`).

use serde_json::Value;

use super::model::{OdataType, PathType};
use super::{Code, PageLint};
use crate::ir::{OperationKind, PropertyKind, Target, TypeId};
use crate::pages::{page_resource, BlockKind, ExampleJson, HttpMessage, HttpRequest, Step};
use crate::source::Span;

/// An example's JSON, to locate its members: at the member a path leads to where the JSON is
/// strict, else at the start of the body.
#[derive(Clone, Copy)]
pub(super) struct Located<'j> {
    /// The JSON, and the text it was read from.
    pub json: Option<(&'j ExampleJson, &'j str)>,
    pub span: Span,
}

impl Located<'_> {
    pub(super) fn at(&self, path: &[Step<'_>]) -> Span {
        self.json
            .and_then(|(json, text)| json.locate(text, path))
            .unwrap_or(self.span)
    }
}

/// How one example body is checked.
pub(super) struct Check<'c> {
    pub body: Located<'c>,
    pub is_request: bool,
    /// The body makes a new value (a POST or PUT, an action's parameter): its objects must be
    /// of concrete types. An update (PATCH) of an abstract type's properties is fine.
    pub creates: bool,
    /// Missing properties are not reported (requests, and responses said to be shortened).
    pub truncated: bool,
    /// Properties the block's metadata says may be left out (`nullableProperties`,
    /// `optionalProperties`).
    pub optional: &'c [&'c str],
}

/// `path` with one more step.
pub(super) fn with<'s>(path: &[Step<'s>], step: Step<'s>) -> Vec<Step<'s>> {
    let mut longer = Vec::with_capacity(path.len() + 1);
    longer.extend_from_slice(path);
    longer.push(step);
    longer
}

impl<'a> PageLint<'a> {
    /// Each request and response body against the type it is of: its block's metadata
    /// `@odata.type`, else what its request path addresses, else the page's type.
    pub(super) fn bodies(&mut self) {
        let resource = page_resource(self.page)
            .and_then(|(name, _)| self.named_type(&name).map(|(t, _)| t.id));
        let said_truncated = self.prose_says_truncated();
        // The request a response answers: the last one before it.
        let mut last_request: Option<&'a HttpRequest> = None;
        for block in self.blocks() {
            let metadata = block.metadata.as_ref();
            let mut unmatched_request = false;
            let named = metadata
                .and_then(|m| Some((m.odata_type.as_ref()?, m.span)))
                .and_then(|(name, span)| self.odata_type(name, span, None).known());
            let mut creates = false;
            let (body, is_request, truncated, path_type) = match &block.http {
                Some(HttpMessage::Request(r)) if block.kind == BlockKind::Request => {
                    // A request whose path is not the service's addresses nothing of the model.
                    let to_service = self.service_request(block);
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
            let Some(example) = &body.json else { continue };
            let Some(json) = &example.value else { continue };
            let located = Located {
                json: Some((example, &body.text)),
                span: body.span,
            };
            if let Some(request) = self.service_request(block) {
                if self.parameters(request, json, located) {
                    continue;
                }
            }
            let mut optional: Vec<&str> = Vec::new();
            if let Some(m) = metadata {
                optional.extend(m.nullable_properties.iter().map(String::as_str));
                optional.extend(m.optional_properties.iter().map(String::as_str));
            }
            let check = Check {
                body: located,
                is_request,
                creates,
                truncated,
                optional: &optional,
            };
            let is_collection = metadata.is_some_and(|m| m.is_collection);
            self.body(json, block_type, &check, is_collection);
        }
    }

    /// A body: one object, a `{"value": [...]}` collection, a list, or one value wrapped in
    /// `{"value": {...}}` (reported once, the object inside checked in its place).
    fn body(
        &mut self,
        json: &Value,
        block_type: Option<TypeId>,
        check: &Check<'_>,
        collection: bool,
    ) {
        let declared = json
            .get("@odata.type")
            .and_then(Value::as_str)
            .and_then(|n| self.named_type(n).map(|(t, _)| t.id))
            .or(block_type);
        let wrapped = !collection && self.value_wrapper(json, declared, check.body.span);
        match json.get("value") {
            Some(inner) if wrapped => {
                self.object(inner, declared, check, "", &[Step::Member("value")])
            }
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let path = [Step::Member("value"), Step::Item(i)];
                    self.object(item, declared, check, "", &path);
                }
            }
            _ => match json {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.object(item, declared, check, "", &[Step::Item(i)]);
                    }
                }
                other => self.object(other, declared, check, "", &[]),
            },
        }
    }

    /// `{"value": {...}}` holding one entity or complex value, which OData writes as the
    /// body itself: reported once. Whether it is one.
    fn value_wrapper(&mut self, json: &Value, declared: Option<TypeId>, span: Span) -> bool {
        let Some(map) = json.as_object() else {
            return false;
        };
        let Some(inner) = map.get("value").filter(|v| v.is_object()) else {
            return false;
        };
        if map.keys().any(|k| k != "value" && !k.contains('@')) {
            return false;
        }
        let inner_type = inner
            .get("@odata.type")
            .and_then(Value::as_str)
            .and_then(|n| self.named_type(n).map(|(t, _)| t.id))
            .or(declared);
        let Some(ty) = inner_type.map(|id| self.model.ty(id)) else {
            return false;
        };
        if ty.as_struct().is_none() {
            return false;
        }
        self.find(
            span,
            Code::ValueWrapper,
            format!(
                "a single `{}` is wrapped in `{{\"value\": {{...}}}}`: the body is the object itself",
                ty.qualified_name
            ),
        );
        true
    }

    /// The body of a bound action call holds its parameters: checks their names, and the
    /// values of structured parameters against their types. Returns whether the request was
    /// such a call.
    fn parameters(&mut self, request: &HttpRequest, json: &Value, body: Located<'_>) -> bool {
        let path = self.service_path(request);
        let Some(call) = self.match_path(&path).and_then(|found| found.call) else {
            return false;
        };
        let model = self.model;
        let operation = model.operation(call);
        // Only an action takes its parameters in the body; a body sent to a function's result
        // (`PATCH .../range(address='A1')`) is a value of that result's type.
        if operation.kind != OperationKind::Action {
            return false;
        }
        for (key, value) in json.as_object().into_iter().flatten() {
            if key.contains('@') {
                continue;
            }
            let member = [Step::Member(key)];
            // Graph takes parameter names in camelCase where its metadata has PascalCase
            // (`comment` for `Comment`), and every page writes them so.
            let Some(parameter) = operation
                .parameters
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(key))
            else {
                self.find(
                    body.at(&member),
                    Code::UnknownProperty,
                    format!(
                        "`{key}` is not a parameter of `{}`",
                        operation.qualified_name
                    ),
                );
                continue;
            };
            let at = format!(" in parameter `{key}`");
            if !self.value_type(key, value, parameter.ty, body, &member, "parameter") {
                continue;
            }
            if let Target::Named(target) = parameter.ty.target {
                let check = Check {
                    body,
                    is_request: true,
                    creates: true,
                    truncated: true,
                    optional: &[],
                };
                self.nested(value, target, &check, &at, &member);
            }
        }
        true
    }

    /// A value of structured type, or a list of them.
    fn nested(
        &mut self,
        value: &Value,
        ty: TypeId,
        check: &Check<'_>,
        at: &str,
        path: &[Step<'_>],
    ) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.object(item, Some(ty), check, at, &with(path, Step::Item(i)));
                }
            }
            other => self.object(other, Some(ty), check, at, path),
        }
    }

    /// Checks one example object against its type, and its nested objects against theirs.
    /// `at` says where it is in prose (` in parameter \`pieces\``), `path` in the JSON.
    pub(super) fn object(
        &mut self,
        value: &Value,
        declared: Option<TypeId>,
        check: &Check<'_>,
        at: &str,
        path: &[Step<'_>],
    ) {
        let Value::Object(map) = value else { return };
        let ty = match map.get("@odata.type").and_then(Value::as_str) {
            Some(name) => {
                let span = check.body.at(&with(path, Step::Member("@odata.type")));
                match self.odata_type(name, span, declared) {
                    OdataType::Known(id) => Some(id),
                    // An unknown type is the finding; its members cannot be checked (and an
                    // abstract declared type is not what the body sends).
                    OdataType::Unknown => return,
                    OdataType::Primitive => declared,
                }
            }
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
                check.body.at(path),
                Code::AbstractType,
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
        let known: std::collections::HashSet<&str> = s
            .properties
            .iter()
            .chain(derived_properties)
            .map(|p| p.name.as_str())
            .collect();
        for (key, nested) in map {
            if key.contains('@') {
                continue;
            }
            let member = with(path, Step::Member(key));
            if !known.contains(key.as_str()) {
                // An open type takes dynamic properties (CSDL 4.01 §6.3): not a finding.
                if !s.is_open {
                    self.find(
                        check.body.at(&member),
                        Code::UnknownProperty,
                        format!("`{key}`{at} is not a property of `{}`", ty.qualified_name),
                    );
                }
                continue;
            }
            if let Some(p) = s.properties.iter().find(|p| p.name == *key) {
                if !self.value_type(key, nested, p.ty, check.body, &member, "property") {
                    continue;
                }
                if let Target::Named(target) = p.ty.target {
                    let inner = format!(" in `{key}`");
                    self.nested(nested, target, check, &inner, &member);
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
                    check.body.at(path),
                    Code::MissingRequired,
                    format!(
                        "the response{at} leaves out non-nullable {} without `\"truncated\": true`",
                        missing.join(", ")
                    ),
                );
            }
        }
    }
}

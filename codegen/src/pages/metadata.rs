//! The `<!-- { "blockType": ... } -->` comments before code fences, read leniently: trailing
//! commas, unquoted keys, `"true"` strings and lists where strings belong are accepted with a
//! warning; only unreadable comments are errors (coded [`METADATA_COMMENT`]).

use serde_json::Value;

use super::BlockMetadata;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::Span;

/// The deepest nesting of objects and arrays read in a metadata comment.
const MAX_COMMENT_DEPTH: usize = 32;

/// The code of errors in a block's metadata comment (`error[metadata-comment]`).
pub const METADATA_COMMENT: &str = "metadata-comment";

/// What an HTML block at `span` says about the code fence after it: the metadata of a
/// `<!-- { ... } -->` comment, `None` for any other HTML (or a comment that cannot be read,
/// which is reported). A `<!--` never closed hides the rest of the page: a warning.
pub(super) fn read(text: &str, span: Span, diagnostics: &mut Diagnostics) -> Option<BlockMetadata> {
    let trimmed = text.trim();
    // CommonMark ends an HTML comment block only at `-->`: an unclosed one hides what
    // follows (to the end of the page, or of the list or quote it is in).
    if trimmed.starts_with("<!--") && !trimmed.contains("-->") {
        let lines = trimmed.lines().count();
        diagnostics.warning(
            span,
            format!("this HTML comment is not closed with `-->`: it hides the {lines} lines from here on, which are not read"),
        );
        return None;
    }
    let inner = trimmed.strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    if !inner.starts_with('{') {
        return None;
    }
    let map = comment_object(inner, span, diagnostics)?;
    let mut metadata = BlockMetadata::at(span);
    let mut fields = Fields { span, diagnostics };
    for (key, value) in map {
        match key.as_str() {
            "blockType" => metadata.block_type = fields.string(&key, value),
            "name" => metadata.name = fields.string(&key, value),
            "@odata.type" => metadata.odata_type = fields.string(&key, value),
            "keyProperty" => metadata.key_property = fields.string(&key, value),
            "baseType" => metadata.base_type = fields.string(&key, value),
            "truncated" => metadata.truncated = fields.boolean(&key, value),
            "isCollection" => metadata.is_collection = fields.boolean(&key, value),
            "openType" => metadata.open_type = fields.boolean(&key, value),
            "abstract" => metadata.is_abstract = fields.boolean(&key, value),
            "expectError" => metadata.expect_error = fields.boolean(&key, value),
            "isEmpty" => metadata.is_empty = fields.boolean(&key, value),
            "isComposable" => metadata.is_composable = fields.boolean(&key, value),
            "isMediaEntity" => metadata.is_media_entity = fields.boolean(&key, value),
            "opaqueUrl" => metadata.opaque_url = fields.boolean(&key, value),
            "optionalProperties" => metadata.optional_properties = names(value),
            "nullableProperties" => metadata.nullable_properties = names(value),
            "sampleKeys" => metadata.sample_keys = names(value),
            _ => {}
        }
    }
    Some(metadata)
}

/// The comment's JSON object, read strictly, else leniently (JSON5) with a warning; an error
/// (coded [`METADATA_COMMENT`]) when it is nested too deep, unreadable or not an object.
fn comment_object(
    inner: &str,
    span: Span,
    diagnostics: &mut Diagnostics,
) -> Option<serde_json::Map<String, Value>> {
    let error = |diagnostics: &mut Diagnostics, message: String| {
        let mut diagnostic = Diagnostic::error(span, message);
        diagnostic.code = Some(METADATA_COMMENT);
        diagnostics.push(diagnostic);
    };
    // The lenient reader recurses per level of nesting; a crafted comment could overflow
    // the stack. Real metadata comments are two or three levels deep.
    if super::json::nesting_depth(inner) > MAX_COMMENT_DEPTH {
        error(
            diagnostics,
            format!("metadata comment nested more than {MAX_COMMENT_DEPTH} levels deep"),
        );
        return None;
    }
    let value: Value = match serde_json::from_str(inner) {
        Ok(value) => value,
        Err(_) => match json5::from_str::<Value>(inner) {
            Ok(value) => {
                diagnostics.warning(span, "metadata comment is not strict JSON (trailing commas, unquoted keys or single quotes); read leniently");
                value
            }
            Err(e) => {
                error(diagnostics, format!("unreadable metadata comment: {e}"));
                return None;
            }
        },
    };
    match value {
        Value::Object(map) => Some(map),
        _ => {
            error(
                diagnostics,
                "a metadata comment must hold a JSON object".to_owned(),
            );
            None
        }
    }
}

/// Reads the comment's fields, warning at the comment where a value has the wrong shape.
struct Fields<'d> {
    span: Span,
    diagnostics: &'d mut Diagnostics,
}

impl Fields<'_> {
    /// A string value; a list stands for its first item, with a warning.
    fn string(&mut self, key: &str, value: Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s),
            Value::Array(items) => {
                self.diagnostics.warning(
                    self.span,
                    format!("`{key}` should be a string, not a list; its first item is used"),
                );
                items
                    .into_iter()
                    .find_map(|v| v.as_str().map(str::to_owned))
            }
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// A boolean value; `"true"`/`"false"` strings are accepted with a warning.
    fn boolean(&mut self, key: &str, value: Value) -> bool {
        match value {
            Value::Bool(b) => b,
            Value::String(s)
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
            {
                self.diagnostics.warning(
                    self.span,
                    format!("`{key}` should be the boolean {s}, not the string \"{s}\""),
                );
                s.eq_ignore_ascii_case("true")
            }
            other => {
                self.diagnostics.warning(
                    self.span,
                    format!("`{key}` should be a boolean, not {other}; read as false"),
                );
                false
            }
        }
    }
}

/// A list of names in a metadata comment: `["a", "b"]`, or `"a, b"`.
fn names(value: Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Value::String(s) => s.split(',').map(|p| p.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
}

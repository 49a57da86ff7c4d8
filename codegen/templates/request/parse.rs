use crate::support::{members, Json, JsonError};

use super::operation::{Answer, Parser};
use super::response::{no_content, Created};
use super::{DecodeError, Page};

// What each kind of operation yields for every success (OData 4.01 Part 1 §11.4): one reader
// per kind, given the whole answer.

/// `GET` of an entity or complex value: its body. No content is an error: a `204` means the
/// value is null, which only a nullable navigation or property may be (their builders read
/// it with [`read_optional_entity`]).
#[doc(hidden)]
pub fn read_entity<T: Json>(answer: &Answer<'_>) -> Result<T, DecodeError> {
    if answer.is_empty() {
        return Err(no_content("an entity", answer));
    }
    parse_single(answer.body)
}

/// `GET` of what may be null (a single-valued navigation property or a complex property):
/// `204 No Content` is `None` (OData 4.01 Part 1 §11.2.6).
#[doc(hidden)]
pub fn read_optional_entity<T: Json>(answer: &Answer<'_>) -> Result<Option<T>, DecodeError> {
    if answer.is_empty() {
        return Ok(None);
    }
    parse_single(answer.body).map(Some)
}

/// `GET` of a collection, or an operation returning entities: a page, with removals told
/// from entities ([`Page::removed`]) and the URL that answered kept for its links. No content
/// is an empty page.
#[doc(hidden)]
pub fn read_page<T: Json>(answer: &Answer<'_>) -> Result<Page<T>, DecodeError> {
    if answer.is_empty() {
        return Ok(Page::empty());
    }
    super::page::parse_page(answer.body, answer.url)
}

/// `POST` to a collection: the created entity (`201` with a body), or where it is (`204`,
/// `201` without a body: `Location`, `OData-EntityId`).
#[doc(hidden)]
pub fn read_created<T>(answer: &Answer<'_>, parse: Parser<T>) -> Result<Created<T>, DecodeError> {
    let entity = if answer.is_empty() { None } else { Some(parse(answer.body)?) };
    Ok(Created::from_answer(answer, entity))
}

/// `PATCH` or `PUT` of an entity: the entity as stored when the service sends it back (`200`
/// with a body, as `Prefer: return=representation` asks), else `None` (`204`).
#[doc(hidden)]
pub fn read_updated<T: Json>(answer: &Answer<'_>) -> Result<Option<T>, DecodeError> {
    if answer.is_empty() {
        return Ok(None);
    }
    parse_json(answer.body).map(Some)
}

/// What yields nothing (`DELETE`, `$ref` changes, an action without a result): any success.
#[doc(hidden)]
pub fn read_nothing(_: &Answer<'_>) -> Result<(), DecodeError> {
    Ok(())
}

/// A result read by the generated parser `parse` (functions, actions); a success without
/// content is read as an empty body, which parsers of results that may be null take as
/// `None`.
#[doc(hidden)]
pub fn read_result<T>(answer: &Answer<'_>, parse: Parser<T>) -> Result<T, DecodeError> {
    parse(answer.body).map_err(|e| if answer.is_empty() { no_content("the operation's result", answer) } else { e })
}

/// Raw content: the body as bytes (a `204` is no bytes).
#[doc(hidden)]
pub fn read_bytes(answer: &Answer<'_>) -> Result<Vec<u8>, DecodeError> {
    Ok(answer.body.to_vec())
}

/// Reads a `$count` answer: a decimal number as plain text.
#[doc(hidden)]
pub fn parse_count(body: &[u8]) -> Result<u64, DecodeError> {
    let text = std::str::from_utf8(body).unwrap_or("").trim().trim_start_matches('\u{feff}');
    text.parse().map_err(|_| DecodeError {
        path: String::new(),
        message: "a count is a decimal number as plain text".to_owned(),
        body: body.to_vec(),
    })
}

/// The error of a JSON body that does not read as the output, at its path.
fn decode_error(error: JsonError, body: &[u8]) -> DecodeError {
    DecodeError {
        path: error.path(),
        message: error.message().to_owned(),
        body: body.to_vec(),
    }
}

/// The body as text, which JSON is (RFC 8259 §8.1: UTF-8).
fn body_text(body: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(body).map_err(|e| DecodeError {
        path: String::new(),
        message: format!("the answer is not UTF-8 text: {e}"),
        body: body.to_vec(),
    })
}

/// Reads a JSON body as `T`, naming the JSON path of a value that does not fit.
#[doc(hidden)]
pub fn parse_json<T: Json>(body: &[u8]) -> Result<T, DecodeError> {
    crate::support::from_json(body_text(body)?).map_err(|e| decode_error(e, body))
}

/// Reads one entity or complex value, as [`parse_json`] does, and refuses a collection in its
/// place: an object whose only property is `value`, an array, besides control information
/// (`@odata.context`, `@odata.nextLink`, ...). A type without a `value` property would read such
/// a page as an empty value, every item lost in its additional properties; a page in place of
/// one value means the URL addresses a collection (OData JSON Format 4.01 §12), or the answer
/// is not the service's. Types that declare a `value` property are read with [`parse_json`].
#[doc(hidden)]
pub fn parse_single<T: Json>(body: &[u8]) -> Result<T, DecodeError> {
    let value = parse_json(body)?;
    if let Some((path, message)) = wrong_shape(body) {
        return Err(DecodeError {
            path: path.to_owned(),
            message: message.to_owned(),
            body: body.to_vec(),
        });
    }
    Ok(value)
}

/// What a JSON body is instead of one value, if it is a collection page (`value` holds an
/// array) or an OData error object (`error`), besides control information and annotations.
/// Reads only the top level's shape, not the members' values.
fn wrong_shape(body: &[u8]) -> Option<(&'static str, &'static str)> {
    let members = members(std::str::from_utf8(body).ok()?.trim()).ok()?;
    let member = |name: &str| members.iter().find(|(key, _)| key == name).map(|(_, text)| *text);
    let only = |name: &str| members.iter().all(|(key, _)| key == name || key.contains('@'));
    if member("value").is_some_and(|text| text.starts_with('[')) && only("value") {
        return Some(("value", "expected one value, but the answer is a collection (`{\"value\": [...]}`), as a list returns"));
    }
    if member("error").is_some_and(|text| text.starts_with('{')) && only("error") {
        return Some(("error", "expected one value, but the answer is an OData error object (`{\"error\": {...}}`) with a success status"));
    }
    None
}

/// Reads `{"value": ...}`, the body of operations that return a collection or a primitive.
#[doc(hidden)]
pub fn parse_value<T: Json>(body: &[u8]) -> Result<T, DecodeError> {
    let text = body_text(body)?;
    let value = members(text.trim())
        .and_then(|members| {
            let (_, value) = members
                .into_iter()
                .find(|(key, _)| key == "value")
                .ok_or_else(|| JsonError::new("missing member `value`"))?;
            T::read_json(value).map_err(|e| e.in_member("value"))
        })
        .map_err(|e| decode_error(e, body))?;
    Ok(value)
}

/// Reads `{"value": ...}` of a result that may be null: `{"value": null}` or no content is
/// `None`.
#[doc(hidden)]
pub fn parse_optional_value<T: Json>(body: &[u8]) -> Result<Option<T>, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    parse_value(body)
}

/// Reads a structured result that may be null: no content (`204`) or `null` is `None`.
#[doc(hidden)]
pub fn parse_optional_json<T: Json>(body: &[u8]) -> Result<Option<T>, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    parse_json(body)
}

/// Ignores the body of a success without content.
#[doc(hidden)]
pub fn parse_empty(_: &[u8]) -> Result<(), DecodeError> {
    Ok(())
}

/// Keeps the body as bytes (stream properties and media content).
#[doc(hidden)]
pub fn parse_bytes(body: &[u8]) -> Result<Vec<u8>, DecodeError> {
    Ok(body.to_vec())
}

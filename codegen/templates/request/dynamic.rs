//! Request builders addressed by URL segments at run time (feature `dynamic`).

use crate::support::Json;

use super::{Error, Operation, Reference, ReferenceRequest, ReferencesRequest, StreamRequest};

/// An operation of any output type (feature `dynamic`): its request, and how it reads an
/// answer, for tools that replay exchanges without naming each operation's type.
pub trait DynamicOperation {
    /// The request, against `base_url` (see [`Operation::http_request`]).
    ///
    /// # Errors
    /// As [`Operation::http_request`].
    fn http_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, Error>;

    /// Reads an answer as the operation reads it ([`Operation::parse_step`]): `Ok` for what it
    /// takes as its success, done or accepted (`202` with a status monitor).
    ///
    /// # Errors
    /// As [`Operation::parse_step`].
    fn read(&self, response: http::Response<Vec<u8>>) -> Result<(), Error>;
}

impl<T: 'static> DynamicOperation for Operation<T> {
    fn http_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, Error> {
        Operation::http_request(self, base_url)
    }

    fn read(&self, response: http::Response<Vec<u8>>) -> Result<(), Error> {
        self.parse_step(response).map(|_| ())
    }
}

/// What [`DynamicPath::operation`] gives: the operation, or why it cannot be made from the body.
pub type DynamicResult = Option<Result<Box<dyn DynamicOperation>, Error>>;

/// A request builder addressed by URL segments at run time (feature `dynamic`).
pub trait DynamicPath {
    /// The builder one segment further: a literal child, or else the entity with this key.
    fn child(&self, segment: &str) -> Option<Box<dyn DynamicPath>>;

    /// The builder of the result of the composable function `name` called here with
    /// `arguments` (a JSON object of arguments by name): `None` when there is no such function
    /// (or no overload takes these arguments).
    fn compose(&self, name: &str, arguments: &serde_json::Value) -> Option<Result<Box<dyn DynamicPath>, Error>> {
        let _ = (name, arguments);
        None
    }

    /// The item at `path` below this one, by Microsoft Graph's path-based addressing
    /// (`root:/a/b.txt:`): `None` where it does not apply (anything but a drive item or a
    /// site).
    fn path_addressed(&self, path: &str) -> Option<Box<dyn DynamicPath>> {
        let _ = path;
        None
    }

    /// The operation of `method` here (or of the bound operation `call`): `body` is its JSON
    /// body, or, for a function, its arguments by name (`{"period": "D7"}`). `None` when there
    /// is no such operation.
    fn operation(&self, method: &str, call: Option<&str>, body: serde_json::Value) -> DynamicResult;

    /// The request of [`DynamicPath::operation`], against `base_url`.
    fn request(
        &self,
        method: &str,
        call: Option<&str>,
        body: serde_json::Value,
        base_url: &str,
    ) -> Option<Result<http::Request<Vec<u8>>, Error>> {
        self.operation(method, call, body)
            .map(|operation| operation.and_then(|operation| operation.http_request(base_url)))
    }
}

fn boxed<T: 'static>(operation: Operation<T>) -> DynamicResult {
    Some(Ok(Box::new(operation)))
}

impl<E: Json + 'static> DynamicPath for StreamRequest<E> {
    fn child(&self, _: &str) -> Option<Box<dyn DynamicPath>> {
        None
    }

    fn operation(&self, method: &str, call: Option<&str>, body: serde_json::Value) -> DynamicResult {
        match (method, call) {
            ("GET", None) => boxed(self.get()),
            ("DELETE", None) => boxed(self.delete()),
            // The content: a JSON string's text, or any other JSON as written.
            ("PUT", None) => boxed(self.put(match body {
                serde_json::Value::Null => Vec::new(),
                serde_json::Value::String(text) => text.into_bytes(),
                other => other.to_string().into_bytes(),
            })),
            _ => None,
        }
    }
}

impl<B: DynamicPath, T: Json + 'static> DynamicPath for super::NullableRequest<B, T> {
    fn child(&self, segment: &str) -> Option<Box<dyn DynamicPath>> {
        (**self).child(segment)
    }

    fn compose(&self, name: &str, arguments: &serde_json::Value) -> Option<Result<Box<dyn DynamicPath>, Error>> {
        (**self).compose(name, arguments)
    }

    fn path_addressed(&self, path: &str) -> Option<Box<dyn DynamicPath>> {
        (**self).path_addressed(path)
    }

    fn operation(&self, method: &str, call: Option<&str>, body: serde_json::Value) -> DynamicResult {
        match (method, call) {
            ("GET", None) => boxed(self.get()),
            _ => (**self).operation(method, call, body),
        }
    }
}

impl<T: Json + 'static> DynamicPath for super::PropertyRequest<T> {
    /// A property of this (complex) property, read as JSON: the dynamic layer does not know its
    /// type.
    fn child(&self, segment: &str) -> Option<Box<dyn DynamicPath>> {
        Some(Box::new(self.complex_property::<serde_json::Value>(segment)))
    }

    fn operation(&self, method: &str, call: Option<&str>, body: serde_json::Value) -> DynamicResult {
        match (method, call) {
            ("GET", None) => boxed(self.get()),
            ("PATCH", None) => dynamic_operation(body, |value: T| self.update(value)),
            ("PUT", None) => dynamic_operation(body, |value: T| self.replace(value)),
            _ => None,
        }
    }
}

impl DynamicPath for ReferenceRequest {
    fn child(&self, _: &str) -> Option<Box<dyn DynamicPath>> {
        None
    }

    fn operation(&self, method: &str, call: Option<&str>, body: serde_json::Value) -> DynamicResult {
        match (method, call) {
            ("GET", None) => boxed(self.get()),
            ("PUT", None) => dynamic_operation(body, |r: Reference| self.set(r.id)),
            ("DELETE", None) => boxed(self.delete()),
            _ => None,
        }
    }
}

impl DynamicPath for ReferencesRequest {
    fn child(&self, _: &str) -> Option<Box<dyn DynamicPath>> {
        None
    }

    fn operation(&self, method: &str, call: Option<&str>, body: serde_json::Value) -> DynamicResult {
        match (method, call) {
            ("GET", None) => boxed(self.list()),
            ("POST", None) => dynamic_operation(body, |r: Reference| self.add(r.id)),
            // The reference to remove (`$id`), as the body of a dynamic request.
            ("DELETE", None) => dynamic_operation(body, |r: Reference| self.remove(r.id)),
            _ => None,
        }
    }
}

/// The segments of a concrete path, split at `/` except inside parentheses and quotes
/// (`/items('a/b')/parts` has two).
#[doc(hidden)]
pub fn dynamic_segments(path: &str) -> Vec<&str> {
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

/// `name('k''ey')` → (`name`, `Some("k'ey")`); `name(id='k')` likewise; `name` → (`name`, `None`).
/// A composite key gives no key (the dynamic layer addresses single keys only).
#[doc(hidden)]
pub fn dynamic_key(segment: &str) -> (&str, Option<String>) {
    let Some(open) = segment.find('(') else {
        return (segment, None);
    };
    let name = &segment[..open];
    let inner = segment[open + 1..].strip_suffix(')').unwrap_or(&segment[open + 1..]);
    let value = match inner.split_once('=') {
        Some((_, value)) if !inner.starts_with('\'') => value,
        _ => inner,
    };
    let key = match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => value.to_owned(),
    };
    (name, Some(key))
}

/// The operation `operation` builds from `body`, read as its body type (feature `dynamic`).
#[doc(hidden)]
pub fn dynamic_operation<B: Json, T: 'static>(
    body: serde_json::Value,
    operation: impl FnOnce(B) -> Operation<T>,
) -> DynamicResult {
    Some(dynamic_body::<B>(body).map(|body| Box::new(operation(body)) as Box<dyn DynamicOperation>))
}

/// The operation of a function called with arguments read by `call` (feature `dynamic`).
#[doc(hidden)]
pub fn dynamic_call<T: 'static>(call: impl FnOnce() -> Result<Operation<T>, Error>) -> DynamicResult {
    Some(call().map(|operation| Box::new(operation) as Box<dyn DynamicOperation>))
}

/// A function's argument `name` of `arguments` (a JSON object; names compared in any case when
/// none is spelled the same), read as its parameter's type; a missing one is `null`.
///
/// # Errors
/// [`Error::Request`] when the value does not fit the parameter's type.
#[doc(hidden)]
pub fn dynamic_argument<T: Json>(arguments: &serde_json::Value, name: &str) -> Result<T, Error> {
    let value = arguments.get(name).or_else(|| {
        arguments
            .as_object()
            .and_then(|members| members.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, v)| v))
    });
    T::read_json(&value.map_or_else(|| "null".to_owned(), serde_json::Value::to_string))
        .map_err(|e| Error::Request(format!("the argument `{name}` does not fit its parameter: {e}")))
}

/// Reads a dynamic request body as the operation's body type; no body reads as `{}` for a
/// type that needs an object (an action whose parameters are all left out).
#[doc(hidden)]
pub fn dynamic_body<T: Json>(body: serde_json::Value) -> Result<T, Error> {
    let empty = body.is_null();
    T::read_json(&body.to_string())
        .or_else(|e| match empty {
            true => T::read_json("{}").map_err(|_| e),
            false => Err(e),
        })
        .map_err(|e| Error::Request(format!("the body does not fit the operation: {e}")))
}

/// The builder a composable function leads to, with arguments read by `call` (feature
/// `dynamic`).
#[doc(hidden)]
pub fn dynamic_compose<B: DynamicPath + 'static>(call: impl FnOnce() -> Result<B, Error>) -> Option<Result<Box<dyn DynamicPath>, Error>> {
    Some(call().map(|builder| Box::new(builder) as Box<dyn DynamicPath>))
}

/// Whether `name` (as a URL spells it: `f` or `ns.f`, in any letter case) calls the operation
/// `qualified` (`ns.f`).
#[doc(hidden)]
pub fn dynamic_calls(name: &str, qualified: &str) -> bool {
    let bare = qualified.rsplit('.').next().unwrap_or(qualified);
    name.eq_ignore_ascii_case(qualified) || name.eq_ignore_ascii_case(bare)
}

/// `segment` as the name of `names` it spells, in the same letter case or another (Microsoft
/// Graph reads segments in any case); itself when it spells none (a key, say).
#[doc(hidden)]
pub fn dynamic_name<'a>(segment: &'a str, names: &[&'a str]) -> &'a str {
    if names.contains(&segment) {
        return segment;
    }
    names.iter().copied().find(|name| name.eq_ignore_ascii_case(segment)).unwrap_or(segment)
}

/// Whether the arguments (a JSON object, or nothing) are all among `names` (in any case): the
/// overload of a function to call with them, trying those with fewer parameters first.
#[doc(hidden)]
pub fn dynamic_arguments_fit(arguments: &serde_json::Value, names: &[&str]) -> bool {
    match arguments {
        serde_json::Value::Object(members) => {
            members.keys().all(|key| names.iter().any(|name| name.eq_ignore_ascii_case(key)))
        }
        _ => true,
    }
}

/// The arguments inside a function call's parentheses (`a='x',b=2`, OData URL Conventions
/// 4.01 §5.1.1.13.1) as a JSON object of arguments by name: `'text'` a string (quotes
/// doubled inside), numbers, `true`, `false`, `null`, `[...]` and `{...}` as JSON,
/// `ns.Enum'member'` and `duration'P1D'` their text, anything else (dates, GUIDs) as a string.
/// Parameter aliases (`@p`) are looked up in `aliases`.
pub fn dynamic_arguments(inside: &str, aliases: &[(String, String)]) -> serde_json::Value {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (i, c) in inside.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => depth += 1,
            ')' | ']' | '}' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                parts.push(&inside[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inside[start..]);
    let mut arguments = serde_json::Map::new();
    for part in parts {
        let Some((name, value)) = part.split_once('=') else { continue };
        let value = value.trim();
        let value = aliases.iter().find(|(alias, _)| alias == value).map_or(value, |(_, v)| v.as_str());
        arguments.insert(name.trim().to_owned(), literal_value(value));
    }
    serde_json::Value::Object(arguments)
}

/// One URL literal as JSON (see [`dynamic_arguments`]).
fn literal_value(text: &str) -> serde_json::Value {
    let text = text.trim();
    if let Some(quoted) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        return serde_json::Value::String(quoted.replace("''", "'"));
    }
    let numeric = text.parse::<f64>().is_ok() && !text.contains(['-', ':']);
    if text.starts_with(['[', '{']) || matches!(text, "null" | "true" | "false") || numeric || text.parse::<i64>().is_ok() {
        if let Ok(value) = serde_json::from_str(text) {
            return value;
        }
    }
    match text.find('\'') {
        Some(open) if open > 0 && text.len() > open + 1 && text.ends_with('\'') => {
            serde_json::Value::String(text[open + 1..text.len() - 1].replace("''", "'"))
        }
        _ => serde_json::Value::String(text.to_owned()),
    }
}

//! Request builders addressed by URL segments at run time (feature `dynamic`).

use crate::support::Json;

use super::{Error, Operation, Reference, ReferenceRequest, ReferencesRequest, StreamRequest};

/// A request builder addressed by URL segments at run time (feature `dynamic`).
pub trait DynamicPath {
    /// The builder one segment further: a literal child, or else the entity with this key.
    fn child(&self, segment: &str) -> Option<Box<dyn DynamicPath>>;

    /// The request of `method` here (or of the bound operation `call`), with `body` as its
    /// JSON body; `None` when there is no such operation.
    fn request(
        &self,
        method: &str,
        call: Option<&str>,
        body: serde_json::Value,
        base_url: &str,
    ) -> Option<Result<http::Request<Vec<u8>>, Error>>;
}

impl<E: Json + 'static> DynamicPath for StreamRequest<E> {
    fn child(&self, _: &str) -> Option<Box<dyn DynamicPath>> {
        None
    }

    fn request(&self, method: &str, call: Option<&str>, _: serde_json::Value, base_url: &str) -> Option<Result<http::Request<Vec<u8>>, Error>> {
        match (method, call) {
            ("GET", None) => Some(self.get().http_request(base_url)),
            ("PUT", None) => Some(self.put(Vec::new()).http_request(base_url)),
            _ => None,
        }
    }
}

impl<B: DynamicPath, T: 'static> DynamicPath for super::NullableRequest<B, T> {
    fn child(&self, segment: &str) -> Option<Box<dyn DynamicPath>> {
        (**self).child(segment)
    }

    fn request(&self, method: &str, call: Option<&str>, body: serde_json::Value, base_url: &str) -> Option<Result<http::Request<Vec<u8>>, Error>> {
        (**self).request(method, call, body, base_url)
    }
}

impl DynamicPath for ReferenceRequest {
    fn child(&self, _: &str) -> Option<Box<dyn DynamicPath>> {
        None
    }

    fn request(&self, method: &str, call: Option<&str>, body: serde_json::Value, base_url: &str) -> Option<Result<http::Request<Vec<u8>>, Error>> {
        match (method, call) {
            ("GET", None) => Some(self.get().http_request(base_url)),
            ("PUT", None) => Some(dynamic_body::<Reference>(body).and_then(|r| self.set(r.id).http_request(base_url))),
            ("DELETE", None) => Some(self.delete().http_request(base_url)),
            _ => None,
        }
    }
}

impl DynamicPath for ReferencesRequest {
    fn child(&self, _: &str) -> Option<Box<dyn DynamicPath>> {
        None
    }

    fn request(&self, method: &str, call: Option<&str>, body: serde_json::Value, base_url: &str) -> Option<Result<http::Request<Vec<u8>>, Error>> {
        match (method, call) {
            ("GET", None) => Some(self.list().http_request(base_url)),
            ("POST", None) => Some(dynamic_body::<Reference>(body).and_then(|r| self.add(r.id).http_request(base_url))),
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

/// The request `operation` builds from `body`, read as its body type (feature `dynamic`).
#[doc(hidden)]
pub fn dynamic_request<B: Json, T>(
    body: serde_json::Value,
    base_url: &str,
    operation: impl FnOnce(B) -> Operation<T>,
) -> Option<Result<http::Request<Vec<u8>>, Error>> {
    Some(dynamic_body::<B>(body).and_then(|body| operation(body).http_request(base_url)))
}

/// Reads a dynamic request body as the operation's body type.
#[doc(hidden)]
pub fn dynamic_body<T: Json>(body: serde_json::Value) -> Result<T, Error> {
    T::read_json(&body.to_string()).map_err(|e| Error::Request(format!("the body does not fit the operation: {e}")))
}

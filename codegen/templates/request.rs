//! Requests without I/O: every operation builds an [`http::Request`] and reads an
//! [`http::Response`], so it works with any HTTP stack. The `client` feature adds a ready client
//! on reqwest, in the `client` module.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Why an operation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an OData error (`{"error": {"code": ..., "message": ...}}`).
    Service(Box<ServiceError>),
    /// The service answered with a status the operation does not expect, without an OData error.
    UnexpectedStatus {
        /// The HTTP status code.
        status: u16,
        /// The response body as received.
        body: Vec<u8>,
    },
    /// A success response whose body is not what the operation returns.
    Decode(Box<DecodeError>),
    /// The request could not be built: a body that cannot be serialized, or an invalid URL.
    Request(String),
    /// The request could not be sent, or the response could not be received.
    Transport(Box<dyn std::error::Error + Send + Sync>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => write!(f, "the service answered {}: {}: {}", e.status, e.code, e.message),
            Error::UnexpectedStatus { status, body } => write!(
                f,
                "unexpected status {status} ({} body bytes)",
                body.len()
            ),
            Error::Decode(e) => write!(f, "cannot read the response at `{}`: {}", e.path, e.message),
            Error::Request(message) => write!(f, "cannot build the request: {message}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// The HTTP status, for errors the service answered with.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// An OData error response.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceError {
    /// The HTTP status code.
    pub status: u16,
    /// The service's error code, such as `ResourceNotFound`.
    pub code: String,
    /// The message, for people.
    pub message: String,
    /// What the error is about, when the service says.
    pub target: Option<String>,
    /// `innerError`: request id, client request id and date, when present.
    pub inner_error: Option<InnerError>,
    /// The `Retry-After` header, for throttling (429) and unavailability (503) answers.
    pub retry_after: Option<std::time::Duration>,
    /// The whole `error` object, with details this type does not name.
    pub body: serde_json::Value,
}

/// The `innerError` object of Microsoft Graph errors.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InnerError {
    /// The request id the service tracks.
    #[serde(rename = "request-id", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The `client-request-id` the client sent.
    #[serde(rename = "client-request-id", default, skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    /// When the error happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Everything else in the object.
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

/// A success response whose body did not read as the expected type.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError {
    /// The JSON path of the value that failed, such as `value[2].priority`.
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// The response body as received.
    pub body: Vec<u8>,
}

/// One page of a collection: `{"value": [...], "@odata.nextLink": ...}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub struct Page<T> {
    /// The items of this page.
    pub value: Vec<T>,
    /// Where the next page is; `None` on the last page.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// The total count, when `$count=true` was asked for.
    #[serde(rename = "@odata.count", default)]
    pub count: Option<i64>,
    /// Other annotations of the collection (`@odata.context`, `@odata.deltaLink`, ...).
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

enum Body {
    Json(Vec<u8>),
    Bytes(Vec<u8>),
}

/// Reads a success body into the operation's output.
pub type Parser<T> = fn(&[u8]) -> Result<T, DecodeError>;

/// One request to the service, with the way to read its answer. Build it with the request
/// builders (the `requests` module), add query options and headers, then either turn it into an
/// [`http::Request`] with [`Operation::http_request`] and read the answer with
/// [`Operation::parse_response`], or send it with the client.
pub struct Operation<T> {
    method: http::Method,
    /// A path below the base URL (starting with `/`), or an absolute URL (a next link).
    url: String,
    query: Vec<(String, String)>,
    headers: http::HeaderMap,
    body: Result<Option<Body>, String>,
    success: &'static [u16],
    parse: Parser<T>,
    #[cfg(feature = "client")]
    pub(crate) client: Option<crate::client::Client>,
}

impl<T> Clone for Operation<T> {
    fn clone(&self) -> Self {
        Operation {
            method: self.method.clone(),
            url: self.url.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: match &self.body {
                Ok(Some(Body::Json(b))) => Ok(Some(Body::Json(b.clone()))),
                Ok(Some(Body::Bytes(b))) => Ok(Some(Body::Bytes(b.clone()))),
                Ok(None) => Ok(None),
                Err(e) => Err(e.clone()),
            },
            success: self.success,
            parse: self.parse,
            #[cfg(feature = "client")]
            client: self.client.clone(),
        }
    }
}

impl<T> fmt::Debug for Operation<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

/// Characters left as they are in query values; OData expressions use `$`, `'`, `(`, `)`, `,`.
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'@');

/// Characters left as they are in a key segment: the unreserved ones.
const KEY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl<T> Operation<T> {
    /// The HTTP method.
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The path below the base URL (or the absolute URL of a next link), without the query.
    pub fn path(&self) -> &str {
        &self.url
    }

    /// Adds a query option; the value is percent-encoded when the request is built.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    /// `$select`: only these properties.
    pub fn select<I, S>(self, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.query("$select", join(properties))
    }

    /// `$expand`: include these navigation properties.
    pub fn expand<I, S>(self, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.query("$expand", join(properties))
    }

    /// `$filter`: an OData filter expression, such as `priority gt 1`.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.query("$filter", expression)
    }

    /// `$orderby`: properties with optional `asc`/`desc`, such as `priority desc`.
    pub fn order_by<I, S>(self, properties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.query("$orderby", join(properties))
    }

    /// `$top`: at most this many items.
    pub fn top(self, count: u64) -> Self {
        self.query("$top", count.to_string())
    }

    /// `$skip`: leave out this many items.
    pub fn skip(self, count: u64) -> Self {
        self.query("$skip", count.to_string())
    }

    /// `$count`: ask for the total count (`@odata.count`).
    pub fn count(self, count: bool) -> Self {
        self.query("$count", count.to_string())
    }

    /// `$search`: a search expression, such as `"display name"`.
    pub fn search(self, expression: impl Into<String>) -> Self {
        self.query("$search", expression)
    }

    /// Adds a request header (for example `ConsistencyLevel: eventual`). Invalid names or
    /// values make building the request fail with [`Error::Request`].
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (http::HeaderName::try_from(name), http::HeaderValue::try_from(value)) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            _ => self.body = Err(format!("invalid header `{name}`")),
        }
        self
    }

    /// The request, against `base_url` (for example `https://graph.microsoft.com/beta`).
    pub fn http_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, Error> {
        let body = self.body.as_ref().map_err(|e| Error::Request(e.clone()))?;
        let mut url = if self.url.starts_with("https://") || self.url.starts_with("http://") {
            self.url.clone()
        } else {
            format!("{}{}", base_url.trim_end_matches('/'), self.url)
        };
        for (i, (name, value)) in self.query.iter().enumerate() {
            let separator = if i == 0 && !url.contains('?') { '?' } else { '&' };
            url.push(separator);
            url.extend(percent_encoding::utf8_percent_encode(name, QUERY));
            url.push('=');
            url.extend(percent_encoding::utf8_percent_encode(value, QUERY));
        }
        let mut builder = http::Request::builder().method(self.method.clone()).uri(&url);
        let headers = builder.headers_mut().expect("a new builder has no error");
        headers.insert(http::header::ACCEPT, http::HeaderValue::from_static("application/json"));
        let content = match body {
            Some(Body::Json(bytes)) => {
                headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
                bytes.clone()
            }
            Some(Body::Bytes(bytes)) => {
                headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/octet-stream"));
                bytes.clone()
            }
            None => Vec::new(),
        };
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
        builder
            .body(content)
            .map_err(|e| Error::Request(format!("`{url}`: {e}")))
    }

    /// Reads the answer: the operation's output for an expected success status, an error for
    /// anything else.
    pub fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<T, Error> {
        let status = response.status().as_u16();
        if self.success.contains(&status) {
            return (self.parse)(response.body()).map_err(|e| Error::Decode(Box::new(e)));
        }
        Err(error_from_response(status, response.headers(), response.body()))
    }

    /// The operation with `body` serialized as JSON.
    #[doc(hidden)]
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = serde_json::to_vec(body)
            .map(|bytes| Some(Body::Json(bytes)))
            .map_err(|e| format!("the body cannot be serialized: {e}"));
        self
    }

    /// The operation with raw bytes as its body.
    #[doc(hidden)]
    pub fn bytes(mut self, body: Vec<u8>) -> Self {
        self.body = Ok(Some(Body::Bytes(body)));
        self
    }
}

impl<T> Operation<Page<T>> {
    /// The operation that reads the page after `page`, if there is one.
    pub fn next_page(&self, page: &Page<T>) -> Option<Operation<Page<T>>> {
        let next = page.next_link.as_ref()?;
        let mut operation = self.clone();
        operation.url = next.clone();
        operation.query.clear();
        Some(operation)
    }
}

fn join<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    items.into_iter().map(|s| s.as_ref().to_owned()).collect::<Vec<_>>().join(",")
}

fn error_from_response(status: u16, headers: &http::HeaderMap, body: &[u8]) -> Error {
    #[derive(Deserialize)]
    struct Envelope {
        error: serde_json::Value,
    }
    let retry_after = headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(std::time::Duration::from_secs);
    let envelope = serde_json::from_slice::<Envelope>(body).ok();
    match envelope.map(|e| e.error) {
        Some(error) if error.get("code").is_some() || error.get("message").is_some() => {
            let text = |key: &str| error.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            let inner_error = error
                .get("innerError")
                .or_else(|| error.get("innererror"))
                .and_then(|v| InnerError::deserialize(v).ok());
            Error::Service(Box::new(ServiceError {
                status,
                code: text("code").unwrap_or_default(),
                message: text("message").unwrap_or_default(),
                target: text("target"),
                inner_error,
                retry_after,
                body: error,
            }))
        }
        _ => Error::UnexpectedStatus {
            status,
            body: body.to_vec(),
        },
    }
}

/// Where a request builder points, and (with the `client` feature) the client that sends its
/// operations. Request builders are made from it; you do not need it directly.
#[derive(Clone, Debug)]
pub struct Context {
    path: String,
    #[cfg(feature = "client")]
    client: Option<crate::client::Client>,
}

impl Context {
    #[doc(hidden)]
    pub fn root(segment: &str) -> Self {
        Context {
            path: format!("/{segment}"),
            #[cfg(feature = "client")]
            client: None,
        }
    }

    #[cfg(feature = "client")]
    #[doc(hidden)]
    pub fn with_client(segment: &str, client: &crate::client::Client) -> Self {
        Context {
            path: format!("/{segment}"),
            client: Some(client.clone()),
        }
    }

    /// The path so far.
    pub fn path(&self) -> &str {
        &self.path
    }

    #[doc(hidden)]
    pub fn child(&self, segment: &str) -> Self {
        let mut child = self.clone();
        child.path.push('/');
        child.path.push_str(segment);
        child
    }

    /// The entity with this key, as a path segment (`/items/{key}`), percent-encoded so that
    /// no key can add segments or a query. Keys that URL parsers read as "this" or "parent"
    /// (empty, `.`, `..`, even percent-encoded) use OData's parenthesized form (`/items('..')`)
    /// instead, which cannot move the path either.
    #[doc(hidden)]
    pub fn key(&self, key: &str) -> Self {
        let mut child = self.clone();
        if matches!(key, "" | "." | "..") {
            child.path.push_str(&format!("('{key}')"));
        } else {
            child.path.push('/');
            child.path.extend(percent_encoding::utf8_percent_encode(key, KEY));
        }
        child
    }

    #[doc(hidden)]
    pub fn operation<T>(
        &self,
        method: http::Method,
        segment: Option<&str>,
        success: &'static [u16],
        parse: Parser<T>,
    ) -> Operation<T> {
        let url = match segment {
            Some(segment) => format!("{}/{segment}", self.path),
            None => self.path.clone(),
        };
        Operation {
            method,
            url,
            query: Vec::new(),
            headers: http::HeaderMap::new(),
            body: Ok(None),
            success,
            parse,
            #[cfg(feature = "client")]
            client: self.client.clone(),
        }
    }

    /// `GET` of one page of a collection.
    #[doc(hidden)]
    pub fn list<T: DeserializeOwned>(&self) -> Operation<Page<T>> {
        self.operation(http::Method::GET, None, &[200], parse_json)
    }

    /// `POST` of a new entity to a collection; the service answers with what it stored.
    #[doc(hidden)]
    pub fn create<T: Serialize + DeserializeOwned>(&self, body: &T) -> Operation<T> {
        self.operation(http::Method::POST, None, &[201, 200], parse_json)
            .json(body)
    }

    /// `GET` of an entity.
    #[doc(hidden)]
    pub fn get<T: DeserializeOwned>(&self) -> Operation<T> {
        self.operation(http::Method::GET, None, &[200], parse_json)
    }

    /// `PATCH` of an entity.
    #[doc(hidden)]
    pub fn update<B: Serialize>(&self, body: &B) -> Operation<()> {
        self.operation(http::Method::PATCH, None, &[204, 200], parse_empty)
            .json(body)
    }

    /// `DELETE` of an entity.
    #[doc(hidden)]
    pub fn delete(&self) -> Operation<()> {
        self.operation(http::Method::DELETE, None, &[204, 200], parse_empty)
    }

    /// `GET` of raw content.
    #[doc(hidden)]
    pub fn get_bytes(&self) -> Operation<Vec<u8>> {
        self.operation(http::Method::GET, None, &[200], parse_bytes)
    }

    /// `PUT` of raw content.
    #[doc(hidden)]
    pub fn put_bytes(&self, content: Vec<u8>) -> Operation<()> {
        self.operation(http::Method::PUT, None, &[204, 200], parse_empty)
            .bytes(content)
    }

    /// `POST` of a bound action that returns nothing.
    #[doc(hidden)]
    pub fn action(&self, name: &str) -> Operation<()> {
        self.operation(http::Method::POST, Some(name), &[200, 204], parse_empty)
    }

    /// `POST` of a bound action that returns a value, read with `parse`.
    #[doc(hidden)]
    pub fn action_returning<T>(&self, name: &str, parse: Parser<T>) -> Operation<T> {
        self.operation(http::Method::POST, Some(name), &[200, 201], parse)
    }

    /// A function call: `name(p1=@p1,...)` with the arguments as JSON parameter aliases.
    #[doc(hidden)]
    pub fn function<T>(
        &self,
        name: &str,
        arguments: Vec<(&str, Result<serde_json::Value, serde_json::Error>)>,
        parse: Parser<T>,
    ) -> Operation<T> {
        let names: Vec<String> = arguments.iter().map(|(n, _)| format!("{n}=@{n}")).collect();
        let mut operation = self.operation(http::Method::GET, Some(&format!("{name}({})", names.join(","))), &[200], parse);
        for (name, value) in arguments {
            match value {
                Ok(value) => operation = operation.query(&format!("@{name}"), value.to_string()),
                Err(e) => operation.body = Err(format!("argument `{name}` cannot be serialized: {e}")),
            }
        }
        operation
    }
}

/// Reads a JSON body as `T`, naming the JSON path of a value that does not fit.
#[doc(hidden)]
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| DecodeError {
        path: e.path().to_string(),
        message: e.inner().to_string(),
        body: body.to_vec(),
    })
}

/// Reads `{"value": ...}`, the body of operations that return a collection or a primitive.
#[doc(hidden)]
pub fn parse_value<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    #[derive(Deserialize)]
    #[serde(bound = "T: DeserializeOwned")]
    struct Value<T> {
        value: T,
    }
    parse_json::<Value<T>>(body).map(|v| v.value)
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

/// A request builder addressed by URL segments at run time (feature `dynamic`).
#[cfg(feature = "dynamic")]
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

/// Reads a dynamic request body as the operation's body type.
#[cfg(feature = "dynamic")]
#[doc(hidden)]
pub fn dynamic_body<T: DeserializeOwned>(body: serde_json::Value) -> Result<T, Error> {
    serde_json::from_value(body).map_err(|e| Error::Request(format!("the body does not fit the operation: {e}")))
}

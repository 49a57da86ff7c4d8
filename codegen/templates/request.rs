use std::fmt;

/// The `http` crate, whose `Request` and `Response` the sans-IO layer builds and reads: no need
/// to add it to your own manifest.
pub use http;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Why an operation failed.
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
        /// The `Retry-After` header, for throttling (429) and unavailability (503) answers.
        retry_after: Option<std::time::Duration>,
    },
    /// A success response whose body is not what the operation returns.
    Decode(Box<DecodeError>),
    /// The request could not be built: a body that cannot be serialized, or an invalid URL.
    Request(String),
    /// The request could not be sent, or the response could not be received.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// No answer within the client's timeouts: connecting, the whole exchange, or (for
    /// streams) no progress within the read timeout.
    Timeout(Box<dyn std::error::Error + Send + Sync>),
    /// The token provider gave no token (a credential that cannot sign in, say).
    Credential(Box<dyn std::error::Error + Send + Sync>),
    /// The answer's body is larger than the client's limit (`ClientBuilder::max_response_bytes`).
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => write!(f, "the service answered {}: {}: {}", e.status, e.code, Snippet(e.message.as_bytes())),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "unexpected status {status} ({} body bytes)", body.len())?;
                if !body.is_empty() {
                    write!(f, ": {}", Snippet(body))?;
                }
                Ok(())
            }
            Error::Decode(e) => write!(f, "cannot read the response at `{}`: {}", e.path, e.message),
            Error::Request(message) => write!(f, "cannot build the request: {message}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout(e) => write!(f, "timed out: {e}"),
            Error::Credential(e) => write!(f, "no token: {}", Snippet(e.to_string().as_bytes())),
            Error::ResponseTooLarge { limit } => {
                write!(f, "the answer is larger than {limit} bytes, the client's limit")
            }
        }
    }
}

/// The start of a body, as text: enough to recognise an answer, never a whole page.
struct Snippet<'a>(&'a [u8]);

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = String::from_utf8_lossy(&self.0[..self.0.len().min(200)]);
        let more = if self.0.len() > 200 { "…" } else { "" };
        write!(f, "{}{more}", text.trim())
    }
}

impl fmt::Debug for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({} bytes)", self.to_string(), self.0.len())
    }
}

/// Bodies are shown as a bounded snippet, as in `Display`: `unwrap()` and `main`'s error
/// print `Debug`, and an answer can be large.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => f.debug_tuple("Service").field(e).finish(),
            Error::UnexpectedStatus { status, body, retry_after } => f
                .debug_struct("UnexpectedStatus")
                .field("status", status)
                .field("body", &Snippet(body))
                .field("retry_after", retry_after)
                .finish(),
            Error::Decode(e) => f.debug_tuple("Decode").field(e).finish(),
            Error::Request(message) => f.debug_tuple("Request").field(message).finish(),
            // Their text, bounded: some errors' `Debug` carries a whole backtrace.
            Error::Transport(e) => f.debug_tuple("Transport").field(&Snippet(e.to_string().as_bytes())).finish(),
            Error::Timeout(e) => f.debug_tuple("Timeout").field(&Snippet(e.to_string().as_bytes())).finish(),
            Error::Credential(e) => f.debug_tuple("Credential").field(&Snippet(e.to_string().as_bytes())).finish(),
            Error::ResponseTooLarge { limit } => f.debug_struct("ResponseTooLarge").field("limit", limit).finish(),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) | Error::Credential(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// Whether no answer came within the client's timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// The service's `Retry-After`, for errors it answered with (429, 503).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::Service(e) => e.retry_after,
            Error::UnexpectedStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

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
#[derive(Clone, PartialEq)]
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

/// The message and the whole error object as bounded snippets: a service may send a lot.
impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("code", &Snippet(self.code.as_bytes()))
            .field("message", &Snippet(self.message.as_bytes()))
            .field("target", &self.target)
            .field("inner_error", &self.inner_error)
            .field("retry_after", &self.retry_after)
            .field("body", &Snippet(self.body.to_string().as_bytes()))
            .finish()
    }
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
#[derive(Clone, PartialEq)]
pub struct DecodeError {
    /// The JSON path of the value that failed, such as `value[2].priority`.
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// The response body as received.
    pub body: Vec<u8>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read the response at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("path", &self.path)
            .field("message", &self.message)
            .field("body", &Snippet(&self.body))
            .finish()
    }
}

/// One page of a collection: `{"value": [...], "@odata.nextLink": ...}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub struct Page<T> {
    /// The items of this page.
    pub value: Vec<T>,
    /// Where the next page is; `None` on the last page. Read from `@odata.nextLink`, or
    /// `@nextLink` (OData 4.01 lets the `odata.` prefix be left out, JSON Format §4.5.1).
    #[serde(rename = "@odata.nextLink", alias = "@nextLink", default)]
    pub next_link: Option<String>,
    /// The total count, when `$count=true` was asked for (a number, or a string under
    /// `IEEE754Compatible=true`).
    #[serde(rename = "@odata.count", alias = "@count", default)]
    pub count: Option<crate::support::Int64>,
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
    /// The `Accept` header: JSON, except for `$count` (plain text) and streams (anything).
    accept: &'static str,
    /// For a page after the first: the first page's URL (below the base URL with its query,
    /// or absolute) and the next links followed from it, each resolved against the URL of
    /// the request that returned it.
    links: Option<(String, Vec<String>)>,
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
            accept: self.accept,
            links: self.links.clone(),
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

    /// The URL this operation is sent to, against `base_url`. A next link is resolved
    /// against the URL of the request that returned it (RFC 3986 §5, with the `url` crate),
    /// so `items?$skiptoken=x` and `/v1.0/items?...` both mean what they say.
    ///
    /// # Errors
    /// [`Error::Request`] when the link or the base URL is not a URL.
    pub fn url(&self, base_url: &str) -> Result<String, Error> {
        let mut url = match &self.links {
            Some((first, links)) => resolve_links(&absolute(base_url, first), links)?,
            None => absolute(base_url, &self.url),
        };
        for (i, (name, value)) in self.query.iter().enumerate() {
            let separator = if i == 0 && !url.contains('?') { '?' } else { '&' };
            url.push(separator);
            url.extend(percent_encoding::utf8_percent_encode(name, QUERY));
            url.push('=');
            url.extend(percent_encoding::utf8_percent_encode(value, QUERY));
        }
        Ok(url)
    }

    /// The request, against `base_url` (for example `https://graph.microsoft.com/beta`).
    ///
    /// # Errors
    /// [`Error::Request`] when the operation cannot be built (see [`Operation::url`]), or was
    /// refused before sending (a capability restriction, a key that cannot be written).
    pub fn http_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, Error> {
        let body = self.body.as_ref().map_err(|e| Error::Request(e.clone()))?;
        let url = self.url(base_url)?;
        let uri = http::Uri::try_from(url.as_str()).map_err(|e| Error::Request(format!("`{url}` is not a URL: {e}")))?;
        let mut builder = http::Request::builder().method(self.method.clone()).uri(uri);
        let Some(headers) = builder.headers_mut() else {
            return Err(Error::Request(format!("`{url}`: the request cannot be built")));
        };
        headers.insert(http::header::ACCEPT, http::HeaderValue::from_static(self.accept));
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

    /// Whether `status` is a success this operation expects.
    pub fn expects(&self, status: u16) -> bool {
        self.success.contains(&status)
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
        // A refusal (a restriction, a key that cannot be written) stays.
        if self.body.is_ok() {
            self.body = serde_json::to_vec(body)
                .map(|bytes| Some(Body::Json(bytes)))
                .map_err(|e| format!("the body cannot be serialized: {e}"));
        }
        self
    }

    /// The operation with `Accept: */*`: its answer is a stream of any media type.
    #[doc(hidden)]
    pub fn accept_any(mut self) -> Self {
        self.accept = "*/*";
        self
    }

    /// The operation with raw bytes as its body.
    #[doc(hidden)]
    pub fn bytes(mut self, body: Vec<u8>) -> Self {
        if self.body.is_ok() {
            self.body = Ok(Some(Body::Bytes(body)));
        }
        self
    }
}

impl<T> Operation<Page<T>> {
    /// The operation that reads the page after `page`, if there is one.
    pub fn next_page(&self, page: &Page<T>) -> Option<Operation<Page<T>>> {
        let next = page.next_link.as_ref()?;
        let mut operation = self.clone();
        let (first, mut links) = match &self.links {
            Some((first, links)) => (first.clone(), links.clone()),
            // The first page's URL with its query, below the base URL (the base is added when
            // the request is built).
            None => (self.url("").ok()?, Vec::new()),
        };
        links.push(next.clone());
        // From an absolute URL on, each link resolves at once, so a page costs the same however
        // many came before; only links after a first page below the base URL wait for it.
        let (first, links) = match resolve_links(&first, &links) {
            Ok(resolved) if is_absolute(&first) => (resolved, Vec::new()),
            _ => (first, links),
        };
        operation.links = Some((first, links));
        operation.url = next.clone();
        operation.query.clear();
        Some(operation)
    }
}

impl<T> Operation<T> {
    /// The operation with its URL resolved against `base_url`, so that the links of the pages
    /// after it resolve at once (see [`Operation::next_page`]).
    ///
    /// # Errors
    /// As [`Operation::url`].
    #[doc(hidden)]
    pub fn anchored(mut self, base_url: &str) -> Result<Self, Error> {
        let url = self.url(base_url)?;
        self.links = Some((url, Vec::new()));
        self.query.clear();
        Ok(self)
    }
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// `first` with each link resolved against the URL before it (RFC 3986 §5).
fn resolve_links(first: &str, links: &[String]) -> Result<String, Error> {
    let mut current = first.to_owned();
    for link in links {
        current = url::Url::parse(&current)
            .and_then(|from| from.join(link))
            .map(String::from)
            .map_err(|e| Error::Request(format!("the next link `{link}` cannot be resolved against `{current}`: {e}")))?;
    }
    Ok(current)
}

/// `url` if it is absolute, else `url` (a path starting with `/`) below `base_url`.
fn absolute(base_url: &str, url: &str) -> String {
    if is_absolute(url) {
        url.to_owned()
    } else {
        format!("{}{}", base_url.trim_end_matches('/'), url)
    }
}

fn join<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    items.into_iter().map(|s| s.as_ref().to_owned()).collect::<Vec<_>>().join(",")
}

/// The `Retry-After` header as a wait: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); a
/// date in the past is no wait.
pub fn retry_after(headers: &http::HeaderMap) -> Option<std::time::Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(std::time::SystemTime::now()).unwrap_or_default())
}

fn error_from_response(status: u16, headers: &http::HeaderMap, body: &[u8]) -> Error {
    #[derive(Deserialize)]
    struct Envelope {
        error: serde_json::Value,
    }
    let retry_after = retry_after(headers);
    let envelope = serde_json::from_slice::<Envelope>(body).ok();
    match envelope.map(|e| e.error) {
        Some(error) if error.get("code").is_some() || error.get("message").is_some() => {
            let text = |key: &str| error.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            let inner_error = error
                .get("innerError")
                .or_else(|| error.get("innererror"))
                .and_then(|v| crate::support::from_value::<InnerError, serde_json::Error>(v.clone()).ok());
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
            retry_after,
        },
    }
}

/// Several operations in one `POST $batch` request, in the JSON batch format (OData JSON
/// Format 4.01 §19, which Microsoft Graph's JSON batching follows), each answered on its own.
///
/// Add operations with [`Batch::add`] (or [`Batch::add_after`], for one that must wait for
/// others: `dependsOn`), send [`Batch::operation`] (with the client: `client.batch(&batch)`),
/// then read each operation's result from the [`BatchResponse`] with the [`BatchItem`] that
/// `add` returned: the same value or error the operation alone would give.
#[derive(Clone, Debug)]
pub struct Batch {
    requests: Vec<BatchRequest>,
    max_requests: usize,
}

/// One request of a batch, as the JSON batch format writes it.
#[derive(Clone, Debug, Serialize)]
struct BatchRequest {
    id: String,
    method: String,
    url: String,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    headers: std::collections::BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Box<serde_json::value::RawValue>>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
}

/// An operation's place in a [`Batch`], to read its result from the [`BatchResponse`].
#[derive(Debug)]
pub struct BatchItem<T> {
    id: String,
    success: &'static [u16],
    parse: Parser<T>,
}

impl<T> Clone for BatchItem<T> {
    fn clone(&self) -> Self {
        BatchItem {
            id: self.id.clone(),
            success: self.success,
            parse: self.parse,
        }
    }
}

impl<T> BatchItem<T> {
    /// The request's `id` in the batch (`"1"`, `"2"`, ... in the order added).
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Default for Batch {
    fn default() -> Self {
        Batch::new()
    }
}

impl Batch {
    /// The most requests Microsoft Graph takes in one batch, and so the default limit.
    pub const DEFAULT_MAX_REQUESTS: usize = 20;

    /// An empty batch of at most [`Batch::DEFAULT_MAX_REQUESTS`] requests.
    pub fn new() -> Self {
        Batch {
            requests: Vec::new(),
            max_requests: Self::DEFAULT_MAX_REQUESTS,
        }
    }

    /// The batch with another limit, for a service that takes more (or fewer) requests.
    pub fn with_max_requests(mut self, max_requests: usize) -> Self {
        self.max_requests = max_requests;
        self
    }

    /// How many requests the batch holds.
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    /// Whether the batch holds no request.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// Adds an operation; the service may run it in any order with the others.
    ///
    /// # Errors
    /// [`Error::Request`] when the batch is full, or the operation cannot be built or be
    /// batched (a next link, an absolute URL).
    pub fn add<T>(&mut self, operation: &Operation<T>) -> Result<BatchItem<T>, Error> {
        self.add_after(operation, &[])
    }

    /// Adds an operation that runs only after the requests `depends_on` (their
    /// [`BatchItem::id`]s) succeeded; if one of them fails, the service answers this one with
    /// `424 Failed Dependency` without running it.
    ///
    /// # Errors
    /// As [`Batch::add`]; also an id that is not an earlier request of this batch.
    pub fn add_after<T>(&mut self, operation: &Operation<T>, depends_on: &[&str]) -> Result<BatchItem<T>, Error> {
        if self.requests.len() >= self.max_requests {
            return Err(Error::Request(format!("a batch holds at most {} requests", self.max_requests)));
        }
        if let Some(unknown) = depends_on.iter().find(|id| !self.requests.iter().any(|r| r.id == **id)) {
            return Err(Error::Request(format!("`{unknown}` is not a request of this batch")));
        }
        if operation.links.is_some() || is_absolute(&operation.url) {
            return Err(Error::Request("a batch holds requests below the service root, not next links or absolute URLs".to_owned()));
        }
        // Built against an empty base: the URL stays relative to the service root, as
        // batches want it.
        let request = operation.http_request("")?;
        let mut headers = std::collections::BTreeMap::new();
        for (name, value) in request.headers() {
            let value = value.to_str().map_err(|_| Error::Request(format!("the header `{name}` is not text")))?;
            headers.insert(name.as_str().to_owned(), value.to_owned());
        }
        let body = match operation.body.as_ref().map_err(|e| Error::Request(e.clone()))? {
            None => None,
            Some(Body::Json(bytes)) => {
                let text = String::from_utf8(bytes.clone()).map_err(|e| Error::Request(e.to_string()))?;
                Some(serde_json::value::RawValue::from_string(text).map_err(|e| Error::Request(e.to_string()))?)
            }
            // The batch format carries other media types base64-encoded, as a JSON string.
            Some(Body::Bytes(bytes)) => {
                use base64::Engine;
                let text = serde_json::to_string(&base64::engine::general_purpose::STANDARD.encode(bytes))
                    .map_err(|e| Error::Request(e.to_string()))?;
                Some(serde_json::value::RawValue::from_string(text).map_err(|e| Error::Request(e.to_string()))?)
            }
        };
        let id = (self.requests.len() + 1).to_string();
        self.requests.push(BatchRequest {
            id: id.clone(),
            method: request.method().to_string(),
            url: request.uri().to_string(),
            headers,
            body,
            depends_on: {
                let mut ids: Vec<String> = depends_on.iter().map(|id| (*id).to_owned()).collect();
                ids.sort();
                ids.dedup();
                ids
            },
        });
        Ok(BatchItem {
            id,
            success: operation.success,
            parse: operation.parse,
        })
    }

    /// The `POST $batch` operation: send it as any other (its `http_request` for any HTTP
    /// stack, or the client), and read each result from its [`BatchResponse`].
    ///
    /// # Errors
    /// [`Error::Request`] for an empty batch.
    pub fn operation(&self) -> Result<Operation<BatchResponse>, Error> {
        #[derive(Serialize)]
        struct Requests<'a> {
            requests: &'a [BatchRequest],
        }
        if self.requests.is_empty() {
            return Err(Error::Request("an empty batch".to_owned()));
        }
        let operation = Operation {
            method: http::Method::POST,
            url: "/$batch".to_owned(),
            query: Vec::new(),
            headers: http::HeaderMap::new(),
            body: Ok(None),
            success: &[200],
            parse: parse_batch,
            accept: "application/json",
            links: None,
            #[cfg(feature = "client")]
            client: None,
        };
        Ok(operation.json(&Requests { requests: &self.requests }))
    }
}

/// The answers to a [`Batch`], by request.
#[derive(Clone, Debug)]
pub struct BatchResponse {
    answers: Vec<BatchAnswer>,
}

#[derive(Clone, Debug)]
struct BatchAnswer {
    id: String,
    status: u16,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

impl BatchResponse {
    /// The result of one operation of the batch: what the operation alone would give for
    /// the same answer.
    ///
    /// # Errors
    /// The operation's error for its answer (for example [`Error::Service`] with status 424
    /// when a request it depends on failed); [`Error::Decode`] when the batch has no answer
    /// for it.
    pub fn get<T>(&self, item: &BatchItem<T>) -> Result<T, Error> {
        let answer = self.answers.iter().find(|a| a.id == item.id).ok_or_else(|| {
            Error::Decode(Box::new(DecodeError {
                path: "responses".to_owned(),
                message: format!("the batch has no answer for request `{}`", item.id),
                body: Vec::new(),
            }))
        })?;
        if item.success.contains(&answer.status) {
            return (item.parse)(&answer.body).map_err(|e| Error::Decode(Box::new(e)));
        }
        Err(error_from_response(answer.status, &answer.headers, &answer.body))
    }

    /// The status of the answer to request `id`, if the batch has one.
    pub fn status(&self, id: &str) -> Option<u16> {
        self.answers.iter().find(|a| a.id == id).map(|a| a.status)
    }
}

/// Reads a JSON batch answer: `{"responses": [{"id", "status", "headers", "body"}]}`. A body
/// that is a JSON string with a non-JSON `Content-Type` is base64 (the batch format's way to
/// carry other media types); any other body is kept as the JSON text it was.
#[doc(hidden)]
pub fn parse_batch(body: &[u8]) -> Result<BatchResponse, DecodeError> {
    #[derive(Deserialize)]
    struct Responses {
        responses: Vec<Answer>,
    }
    #[derive(Deserialize)]
    struct Answer {
        id: String,
        status: u16,
        #[serde(default)]
        headers: std::collections::BTreeMap<String, String>,
        #[serde(default)]
        body: Option<Box<serde_json::value::RawValue>>,
    }
    let responses: Responses = parse_json(body)?;
    let invalid = |message: String| DecodeError {
        path: "responses".to_owned(),
        message,
        body: body.to_vec(),
    };
    let answers = responses.responses.into_iter().map(|answer| {
        let mut headers = http::HeaderMap::new();
        for (name, value) in &answer.headers {
            let name = http::HeaderName::try_from(name.as_str()).map_err(|e| invalid(e.to_string()))?;
            let value = http::HeaderValue::try_from(value.as_str()).map_err(|e| invalid(e.to_string()))?;
            headers.insert(name, value);
        }
        let json = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| v.contains("json"));
        let body = match answer.body {
            None => Vec::new(),
            Some(raw) if !json && raw.get().starts_with('"') => {
                use base64::Engine;
                let text: String = serde_json::from_str(raw.get()).map_err(|e| invalid(e.to_string()))?;
                base64::engine::general_purpose::STANDARD
                    .decode(text.as_bytes())
                    .unwrap_or_else(|_| text.into_bytes())
            }
            Some(raw) => raw.get().as_bytes().to_vec(),
        };
        Ok(BatchAnswer { id: answer.id, status: answer.status, headers, body })
    }).collect::<Result<_, DecodeError>>()?;
    Ok(BatchResponse { answers })
}

/// How a service writes keys in URLs; the generator chooses it from the metadata or a preset
/// (`requests::CONVENTIONS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conventions {
    /// Single-part keys as their own segment (`/users/42`) rather than in parentheses
    /// (`/users(42)`), as `Capabilities.KeyAsSegmentSupported` declares (OData URL Conventions
    /// 4.01 §4.3.6). Composite keys are always in parentheses.
    pub key_as_segment: bool,
}

/// What the metadata's Capabilities annotations say a path supports (`InsertRestrictions`,
/// `UpdateRestrictions`, `DeleteRestrictions`, `ReadRestrictions`, `CountRestrictions`). An
/// operation the path does not support fails with [`Error::Request`] before it is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restrictions {
    /// `POST` of a new entity to the collection.
    pub insertable: bool,
    /// `PATCH` of an entity.
    pub updatable: bool,
    /// `DELETE` of an entity.
    pub deletable: bool,
    /// `GET`.
    pub readable: bool,
    /// `GET …/$count`.
    pub countable: bool,
    /// `…/$ref` (`NavigationRestrictions/Referenceable`).
    pub referenceable: bool,
}

impl Restrictions {
    /// Everything supported.
    pub const NONE: Restrictions = Restrictions {
        insertable: true,
        updatable: true,
        deletable: true,
        readable: true,
        countable: true,
        referenceable: true,
    };
}

/// How a value is written as a URL literal (OData ABNF `primitiveLiteral`), for keys and
/// function parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiteralKind {
    /// `'text'`, single quotes doubled.
    String,
    /// Numbers, booleans, dates, times, GUIDs and decimals: as they are.
    Bare,
    /// `duration'P1D'`.
    Duration,
    /// `binary'…'`, base64url.
    Binary,
    /// `Namespace.EnumType'member'`.
    Enum(&'static str),
    /// Complex values and collections: JSON (only in parameter aliases).
    Json,
}

/// A value written as a URL literal, and as a key segment would write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    /// The literal (`'O''Neil'`, `42`, `ns.Color'Red'`), before percent-encoding.
    pub text: String,
    /// The value alone (`O'Neil`), for key-as-segment URLs.
    pub raw: String,
}

/// Writes `value` (anything that serializes to a JSON scalar, or to JSON for [`LiteralKind::Json`])
/// as a URL literal of `kind` (OData ABNF, `primitiveLiteral`; OData URL Conventions 4.01 §5.1.1.1).
///
/// # Errors
/// When the value cannot be serialized.
#[doc(hidden)]
pub fn literal<T: Serialize + ?Sized>(value: &T, kind: LiteralKind) -> Result<Literal, String> {
    use serde_json::Value;
    let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
    let both = |text: String, raw: String| Literal { text, raw };
    // Inside a quoted literal a quote is doubled, so no value can end the literal early.
    let quoted = |s: &str| s.replace('\'', "''");
    Ok(match (json, kind) {
        (Value::Null, _) => both("null".to_owned(), "null".to_owned()),
        (Value::String(s), LiteralKind::String) => both(format!("'{}'", quoted(&s)), s),
        (Value::String(s), LiteralKind::Duration) => both(format!("duration'{}'", quoted(&s)), s),
        (Value::String(s), LiteralKind::Binary) => {
            let url_safe = s.replace('+', "-").replace('/', "_");
            both(format!("binary'{}'", quoted(&url_safe)), url_safe)
        }
        (Value::String(s), LiteralKind::Enum(ty)) => both(format!("{ty}'{}'", quoted(&s)), s),
        (Value::String(s), LiteralKind::Bare) => both(s.clone(), s),
        (Value::Number(n), _) => both(n.to_string(), n.to_string()),
        (Value::Bool(b), _) => both(b.to_string(), b.to_string()),
        (other, _) => both(other.to_string(), other.to_string()),
    })
}

/// Characters left as they are in a URL literal inside a path: the unreserved ones and the
/// delimiters of the OData literal and key syntax.
const LITERAL: &percent_encoding::AsciiSet = &KEY
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'$')
    .remove(b'!')
    .remove(b'*')
    .remove(b';')
    .remove(b'+');

/// Where a request builder points, and (with the `client` feature) the client that sends its
/// operations. Request builders are made from it; you do not need it directly.
#[derive(Clone, Debug)]
pub struct Context {
    path: String,
    /// Parameter aliases of the composable functions on the path (`@p=literal`), sent with
    /// every operation from here.
    aliases: Vec<(String, String)>,
    conventions: Conventions,
    restrictions: Restrictions,
    /// Why no request can be built from here (a key that cannot be written).
    error: Option<String>,
    #[cfg(feature = "client")]
    client: Option<crate::client::Client>,
}

impl Context {
    #[doc(hidden)]
    pub fn root(conventions: Conventions) -> Self {
        Context {
            path: String::new(),
            aliases: Vec::new(),
            conventions,
            restrictions: Restrictions::NONE,
            error: None,
            #[cfg(feature = "client")]
            client: None,
        }
    }

    #[cfg(feature = "client")]
    #[doc(hidden)]
    pub fn with_client(conventions: Conventions, client: &crate::client::Client) -> Self {
        Context {
            client: Some(client.clone()),
            ..Context::root(conventions)
        }
    }

    /// The client this builder was made from, if any.
    #[cfg(feature = "client")]
    pub fn client(&self) -> Option<&crate::client::Client> {
        self.client.as_ref()
    }

    /// The path so far, below the base URL, keys filled in.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The parameter aliases the path's function calls send (`("@p", "'x'")`).
    pub fn aliases(&self) -> &[(String, String)] {
        &self.aliases
    }

    /// One segment further (navigation, cast, `$ref`, `$value`, a stream property).
    #[doc(hidden)]
    pub fn child(&self, segment: &str) -> Self {
        let mut child = self.clone();
        child.path.push('/');
        child.path.extend(percent_encoding::utf8_percent_encode(segment, LITERAL));
        child.restrictions = Restrictions::NONE;
        child
    }

    /// `…/$ref`: refused when the metadata says the path is not referenceable.
    #[doc(hidden)]
    pub fn reference(&self) -> Self {
        let mut child = self.child("$ref");
        if let Some(refusal) =
            self.refusal(self.restrictions.referenceable, "referenceable", "NavigationRestrictions")
        {
            child.error.get_or_insert(refusal);
        }
        child
    }

    /// The same path, with what the metadata says it does not support.
    #[doc(hidden)]
    pub fn restrict(mut self, restrictions: Restrictions) -> Self {
        self.restrictions = restrictions;
        self
    }

    /// The entity with this key: as its own segment (`/items/{key}`, when the conventions say
    /// so and the key has one part) or in parentheses (`/items('key')`, `/items(a=1,b=2)`),
    /// percent-encoded so that no key can add segments or a query. Keys that URL parsers read
    /// as "this" or "parent" (empty, `.`, `..`) always use parentheses. Update, delete and read
    /// restrictions of the collection apply to its entities.
    #[doc(hidden)]
    pub fn key(&self, parts: impl IntoIterator<Item = (&'static str, Result<Literal, String>)>) -> Self {
        let mut child = self.clone();
        child.restrictions = Restrictions {
            insertable: true,
            countable: true,
            ..self.restrictions
        };
        let mut literals = Vec::new();
        for (name, literal) in parts {
            match literal {
                Ok(literal) => literals.push((name, literal)),
                Err(e) => {
                    child.error.get_or_insert(format!("key `{name}` cannot be written: {e}"));
                    return child;
                }
            }
        }
        let encode = |text: &str| percent_encoding::utf8_percent_encode(text, LITERAL).to_string();
        match literals.as_slice() {
            [(_, single)]
                if self.conventions.key_as_segment && !matches!(single.raw.as_str(), "" | "." | "..") =>
            {
                child.path.push('/');
                child.path.extend(percent_encoding::utf8_percent_encode(&single.raw, KEY));
            }
            [(_, single)] => child.path.push_str(&format!("({})", encode(&single.text))),
            parts => {
                let parts: Vec<String> =
                    parts.iter().map(|(name, l)| format!("{}={}", encode(name), encode(&l.text))).collect();
                child.path.push_str(&format!("({})", parts.join(",")));
            }
        }
        child
    }

    /// `segment(p1=@p1,...)`, a function call on the path, with the arguments as parameter
    /// aliases (OData URL Conventions 4.01 §5.1.1.13.1) sent with every operation from here; a
    /// composable function's path goes on from its result.
    #[doc(hidden)]
    pub fn compose(&self, segment: &str, arguments: impl IntoIterator<Item = (&'static str, Result<Literal, String>)>) -> Self {
        let mut child = self.clone();
        child.restrictions = Restrictions::NONE;
        let mut names = Vec::new();
        for (name, value) in arguments {
            let mut alias = format!("@{name}");
            let mut n = 1;
            while child.aliases.iter().any(|(a, _)| *a == alias) {
                n += 1;
                alias = format!("@{name}{n}");
            }
            names.push(format!("{name}={alias}"));
            match value {
                Ok(literal) => child.aliases.push((alias, literal.text)),
                Err(e) => {
                    child.error.get_or_insert(format!("argument `{name}` cannot be written: {e}"));
                }
            }
        }
        child.path.push('/');
        child.path.extend(percent_encoding::utf8_percent_encode(segment, LITERAL));
        child.path.push_str(&format!("({})", names.join(",")));
        child
    }

    /// Why the metadata refuses an operation here, when `allowed` is false.
    fn refusal(&self, allowed: bool, what: &str, term: &str) -> Option<String> {
        (!allowed).then(|| {
            format!(
                "the service's metadata says `{}` is not {what} (Capabilities.{term})",
                self.path
            )
        })
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
            query: self.aliases.clone(),
            headers: http::HeaderMap::new(),
            body: match &self.error {
                Some(error) => Err(error.clone()),
                None => Ok(None),
            },
            success,
            parse,
            accept: "application/json",
            links: None,
            #[cfg(feature = "client")]
            client: self.client.clone(),
        }
    }

    /// `operation`, refused before it is sent when the metadata does not allow it here (an
    /// earlier refusal, such as a key that cannot be written, stays).
    fn checked<T>(&self, operation: Operation<T>, allowed: bool, what: &str, term: &str) -> Operation<T> {
        match self.refusal(allowed, what, term) {
            Some(refusal) if operation.body.is_ok() => Operation {
                body: Err(refusal),
                ..operation
            },
            _ => operation,
        }
    }

    /// `GET` of one page of a collection.
    #[doc(hidden)]
    pub fn list<T: DeserializeOwned>(&self) -> Operation<Page<T>> {
        let operation = self.operation(http::Method::GET, None, &[200], parse_json);
        self.checked(operation, self.restrictions.readable, "readable", "ReadRestrictions")
    }

    /// `POST` of a new entity to a collection; the service answers with what it stored (one
    /// entity: a collection page in its place is an error, see [`parse_single`]).
    #[doc(hidden)]
    pub fn create<T: Serialize + DeserializeOwned>(&self, body: &T) -> Operation<T> {
        self.create_with(body, parse_single)
    }

    /// `create`, with the answer read by `parse`.
    #[doc(hidden)]
    pub fn create_with<T: Serialize>(&self, body: &T, parse: Parser<T>) -> Operation<T> {
        let operation = self.operation(http::Method::POST, None, &[201, 200], parse).json(body);
        self.checked(operation, self.restrictions.insertable, "insertable", "InsertRestrictions")
    }

    /// `GET …/$count`: the number of items, as plain text.
    #[doc(hidden)]
    pub fn count(&self) -> Operation<u64> {
        let mut operation = self.operation(http::Method::GET, Some("$count"), &[200], parse_count);
        operation.accept = "text/plain";
        self.checked(operation, self.restrictions.countable, "countable", "CountRestrictions")
    }

    /// `GET` of an entity or complex value (one value: a collection page in its place is an
    /// error, see [`parse_single`]).
    #[doc(hidden)]
    pub fn get<T: DeserializeOwned>(&self) -> Operation<T> {
        self.get_with(parse_single)
    }

    /// `get`, with the answer read by `parse`.
    #[doc(hidden)]
    pub fn get_with<T>(&self, parse: Parser<T>) -> Operation<T> {
        let operation = self.operation(http::Method::GET, None, &[200], parse);
        self.checked(operation, self.restrictions.readable, "readable", "ReadRestrictions")
    }

    /// `PATCH` of an entity.
    #[doc(hidden)]
    pub fn update<B: Serialize>(&self, body: &B) -> Operation<()> {
        let operation = self.operation(http::Method::PATCH, None, &[204, 200], parse_empty).json(body);
        self.checked(operation, self.restrictions.updatable, "updatable", "UpdateRestrictions")
    }

    /// `DELETE` of an entity.
    #[doc(hidden)]
    pub fn delete(&self) -> Operation<()> {
        let operation = self.operation(http::Method::DELETE, None, &[204, 200], parse_empty);
        self.checked(operation, self.restrictions.deletable, "deletable", "DeleteRestrictions")
    }

    /// `POST` of a bound action that returns nothing.
    #[doc(hidden)]
    pub fn action(&self, segment: &str) -> Operation<()> {
        self.operation(http::Method::POST, Some(segment), &[200, 204], parse_empty)
    }

    /// `POST` of a bound action that returns a value, read with `parse`.
    #[doc(hidden)]
    pub fn action_returning<T>(&self, segment: &str, parse: Parser<T>) -> Operation<T> {
        // `204`: a result that is null (its parser decides whether it may be).
        self.operation(http::Method::POST, Some(segment), &[200, 201, 204], parse)
    }

    /// A function call: `segment(p1=@p1,...)` with the arguments as parameter aliases whose
    /// values are URL literals.
    #[doc(hidden)]
    pub fn function<T>(
        &self,
        segment: &str,
        arguments: impl IntoIterator<Item = (&'static str, Result<Literal, String>)>,
        parse: Parser<T>,
    ) -> Operation<T> {
        self.compose(segment, arguments).operation(http::Method::GET, None, &[200, 204], parse)
    }
}

/// Raw content: a stream property or the media content (`$value`) of a media entity
/// (OData URL Conventions 4.01 §4.14).
#[derive(Clone, Debug)]
pub struct StreamRequest {
    context: Context,
}

impl StreamRequest {
    #[doc(hidden)]
    pub fn with_context(context: Context) -> Self {
        StreamRequest { context }
    }

    /// Where this builder points.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// `GET`: the content, as bytes.
    pub fn get(&self) -> Operation<Vec<u8>> {
        self.context.operation(http::Method::GET, None, &[200], parse_bytes).accept_any()
    }

    /// `PUT`: replaces the content with these bytes.
    pub fn put(&self, content: impl Into<Vec<u8>>) -> Operation<()> {
        self.context
            .operation(http::Method::PUT, None, &[204, 200], parse_empty)
            .bytes(content.into())
    }
}

/// An entity reference, `{"@odata.id": "…"}` (OData JSON Format 4.01 §14).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The entity's id: its canonical URL, absolute or relative to the service root.
    #[serde(rename = "@odata.id")]
    pub id: String,
    /// Other annotations.
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

impl Reference {
    /// A reference to the entity at `id` (its URL, such as `https://host/service/users/42`
    /// or `users/42`).
    pub fn to(id: impl Into<String>) -> Self {
        Reference {
            id: id.into(),
            additional_properties: serde_json::Map::new(),
        }
    }
}

/// `…/$ref` of a single-valued navigation property or of an entity: the link, not the entity
/// (OData URL Conventions 4.01 §4.4; OData Protocol 4.01 §11.4.6).
#[derive(Clone, Debug)]
pub struct ReferenceRequest {
    context: Context,
}

impl ReferenceRequest {
    #[doc(hidden)]
    pub fn with_context(context: Context) -> Self {
        ReferenceRequest { context }
    }

    /// Where this builder points.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// `GET`: the entity reference.
    pub fn get(&self) -> Operation<Reference> {
        self.context.operation(http::Method::GET, None, &[200], parse_json)
    }

    /// `PUT`: links the navigation property to the entity at `id` (its URL).
    pub fn set(&self, id: impl Into<String>) -> Operation<()> {
        self.context
            .operation(http::Method::PUT, None, &[204, 200], parse_empty)
            .json(&Reference::to(id))
    }

    /// `DELETE`: removes the link (for a collection member, `…/items/{key}/$ref`).
    pub fn delete(&self) -> Operation<()> {
        self.context.operation(http::Method::DELETE, None, &[204, 200], parse_empty)
    }
}

/// `…/$ref` of a collection-valued navigation property: the links, not the entities
/// (OData URL Conventions 4.01 §4.4; OData Protocol 4.01 §11.4.6).
#[derive(Clone, Debug)]
pub struct ReferencesRequest {
    context: Context,
}

impl ReferencesRequest {
    #[doc(hidden)]
    pub fn with_context(context: Context) -> Self {
        ReferencesRequest { context }
    }

    /// Where this builder points.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// `GET`: one page of references.
    pub fn list(&self) -> Operation<Page<Reference>> {
        self.context.operation(http::Method::GET, None, &[200], parse_json)
    }

    /// `POST`: adds a link to the entity at `id` (its URL).
    pub fn add(&self, id: impl Into<String>) -> Operation<()> {
        self.context
            .operation(http::Method::POST, None, &[204, 200, 201], parse_empty)
            .json(&Reference::to(id))
    }

    /// `DELETE …/$ref?$id=…`: removes the link to the entity at `id`.
    pub fn remove(&self, id: impl Into<String>) -> Operation<()> {
        self.context
            .operation(http::Method::DELETE, None, &[204, 200], parse_empty)
            .query("$id", id)
    }
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

/// Reads one entity or complex value, as [`parse_json`] does, and refuses a collection in its
/// place: an object whose only property is `value`, an array, besides control information
/// (`@odata.context`, `@odata.nextLink`, ...). A type without a `value` property would read such
/// a page as an empty value, every item lost in its additional properties; a page in place of
/// one value means the URL addresses a collection (OData JSON Format 4.01 §12), or the answer
/// is not the service's. Types that declare a `value` property are read with [`parse_json`].
#[doc(hidden)]
pub fn parse_single<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
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
    let members: std::collections::BTreeMap<String, Shape> = serde_json::from_slice(body).ok()?;
    let only = |name: &str| members.keys().all(|key| key == name || key.contains('@'));
    if members.get("value") == Some(&Shape::Array) && only("value") {
        return Some(("value", "expected one value, but the answer is a collection (`{\"value\": [...]}`), as a list returns"));
    }
    if members.get("error") == Some(&Shape::Object) && only("error") {
        return Some(("error", "expected one value, but the answer is an OData error object (`{\"error\": {...}}`) with a success status"));
    }
    None
}

/// The kind of a JSON value, read without keeping it.
#[derive(PartialEq)]
enum Shape {
    Array,
    Object,
    Other,
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ShapeVisitor;

        impl<'de> serde::de::Visitor<'de> for ShapeVisitor {
            type Value = Shape;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<Shape, A::Error> {
                while items.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Shape::Array)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut members: A) -> Result<Shape, A::Error> {
                // serde_json's `arbitrary_precision` hands a number over as a one-member map.
                let mut number = false;
                while let Some(key) = members.next_key::<std::borrow::Cow<'de, str>>()? {
                    number |= key == "$serde_json::private::Number";
                    members.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(if number { Shape::Other } else { Shape::Object })
            }

            fn visit_bool<E>(self, _: bool) -> Result<Shape, E> { Ok(Shape::Other) }
            fn visit_i64<E>(self, _: i64) -> Result<Shape, E> { Ok(Shape::Other) }
            fn visit_u64<E>(self, _: u64) -> Result<Shape, E> { Ok(Shape::Other) }
            fn visit_f64<E>(self, _: f64) -> Result<Shape, E> { Ok(Shape::Other) }
            fn visit_str<E>(self, _: &str) -> Result<Shape, E> { Ok(Shape::Other) }
            fn visit_unit<E>(self) -> Result<Shape, E> { Ok(Shape::Other) }
        }

        deserializer.deserialize_any(ShapeVisitor)
    }
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

/// Reads `{"value": ...}` of a result that may be null: `{"value": null}` or no content is
/// `None`.
#[doc(hidden)]
pub fn parse_optional_value<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    parse_value(body)
}

/// Reads a structured result that may be null: no content (`204`) or `null` is `None`.
#[doc(hidden)]
pub fn parse_optional_json<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, DecodeError> {
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

#[cfg(feature = "dynamic")]
impl DynamicPath for StreamRequest {
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

#[cfg(feature = "dynamic")]
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

#[cfg(feature = "dynamic")]
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
#[cfg(feature = "dynamic")]
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
#[cfg(feature = "dynamic")]
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
#[cfg(feature = "dynamic")]
#[doc(hidden)]
pub fn dynamic_request<B: DeserializeOwned, T>(
    body: serde_json::Value,
    base_url: &str,
    operation: impl FnOnce(B) -> Operation<T>,
) -> Option<Result<http::Request<Vec<u8>>, Error>> {
    Some(dynamic_body::<B>(body).and_then(|body| operation(body).http_request(base_url)))
}

/// Reads a dynamic request body as the operation's body type.
#[cfg(feature = "dynamic")]
#[doc(hidden)]
pub fn dynamic_body<T: DeserializeOwned>(body: serde_json::Value) -> Result<T, Error> {
    crate::support::from_value::<T, serde_json::Error>(body).map_err(|e| Error::Request(format!("the body does not fit the operation: {e}")))
}

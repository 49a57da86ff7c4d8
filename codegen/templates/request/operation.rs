use std::fmt;
use std::sync::Arc;


use super::error::error_from_response;
use super::links::{absolute, is_absolute, resolve_against, Links};
use super::response::{Monitor, Response, Step};
use super::{DecodeError, ETag, Error};

/// One answer of the service as an operation reads it: status, headers and body, and where
/// they came from.
#[derive(Clone, Copy, Debug)]
pub struct Answer<'a> {
    /// The HTTP status code (a success: `2xx`).
    pub status: u16,
    /// The answer's headers.
    pub headers: &'a http::HeaderMap,
    /// The body, as received (empty for `204 No Content`).
    pub body: &'a [u8],
    /// The URL that answered (after redirects), when known: the client always knows it; with
    /// another HTTP stack, put a [`RequestUrl`] in the response's extensions. Relative links
    /// in the answer (`Location`, `@odata.context`, `@odata.nextLink`) resolve against it.
    pub url: Option<&'a str>,
    /// The response's extensions (the client puts itself there, so that what is read can send
    /// more requests, such as reading a created entity).
    pub extensions: &'a http::Extensions,
}

impl Answer<'_> {
    /// The value of header `name`, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether the answer has no body (`204 No Content`, or an empty one).
    pub fn is_empty(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// `link` as an absolute URL: resolved against the answer's URL when it is relative and the
    /// URL is known (RFC 3986 §5), else as it came.
    pub fn resolve(&self, link: &str) -> String {
        match self.url {
            Some(url) if !is_absolute(link) => resolve_against(url, link).unwrap_or_else(|_| link.to_owned()),
            _ => link.to_owned(),
        }
    }
}

/// The URL a response answered, kept in its extensions
/// (`response.extensions_mut().insert(RequestUrl(url))`), so that relative links in it resolve
/// as OData JSON Format 4.01 §4.3 says. The client adds it to every answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestUrl(pub String);

/// Reads a success answer into an operation's output.
pub(crate) type Reader<T> = Arc<dyn Fn(&Answer<'_>) -> Result<T, DecodeError> + Send + Sync>;

/// Reads a success body into an operation's output (the generated code's parsers).
pub type Parser<T> = fn(&[u8]) -> Result<T, DecodeError>;

pub(crate) enum Body {
    Json(Vec<u8>),
    Bytes(Vec<u8>),
}

/// One request to the service, with the way to read its answer. Build it with the request
/// builders (the `requests` module), add query options, headers and preferences, then either
/// turn it into an [`http::Request`] with [`Operation::http_request`] and read the answer with
/// [`Operation::parse_response`] (or [`Operation::parse_step`]), or send it with the client
/// (`.await`).
///
/// Every `2xx` answer is a success (OData 4.01 Part 1 §9.1); what each one yields depends on the
/// kind of operation (see the `request` module's table). `202 Accepted` with a `Location` is an
/// asynchronous answer (§11.6): [`Step::Accepted`] with a [`Monitor`] to poll; the client polls
/// it until the operation is done.
pub struct Operation<T> {
    pub(crate) method: http::Method,
    /// A path below the base URL (starting with `/`), or an absolute URL (a link).
    pub(crate) url: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: http::HeaderMap,
    /// `Prefer` preferences (RFC 7240), sent as one header.
    pub(crate) prefer: Vec<String>,
    pub(crate) body: Result<Option<Body>, String>,
    pub(crate) read: Reader<T>,
    /// The `Accept` header: JSON, except for `$count` (plain text) and streams (anything).
    pub(crate) accept: &'static str,
    /// For a page after the first: the first page's URL and the links followed from it.
    pub(crate) links: Option<Links>,
    /// Whether the answer is a page (a list, or an operation returning entities): a link the
    /// service handed out for it is read with `GET`.
    pub(crate) paged: bool,
    /// The URL conventions of the builder that made it, when one did.
    pub(crate) conventions: Option<super::Conventions>,
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
            prefer: self.prefer.clone(),
            body: match &self.body {
                Ok(Some(Body::Json(b))) => Ok(Some(Body::Json(b.clone()))),
                Ok(Some(Body::Bytes(b))) => Ok(Some(Body::Bytes(b.clone()))),
                Ok(None) => Ok(None),
                Err(e) => Err(e.clone()),
            },
            read: self.read.clone(),
            accept: self.accept,
            links: self.links.clone(),
            paged: self.paged,
            conventions: self.conventions,
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
            .field("prefer", &self.prefer)
            .finish_non_exhaustive()
    }
}

/// Characters left as they are in query values; OData expressions use `$`, `'`, `(`, `)`, `,`,
/// and nested options (`$expand=kids($select=n;$top=2)`) `=` and `;` (OData ABNF `expandItem`).
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
    .remove(b'@')
    .remove(b'/')
    .remove(b'*');

/// Query values may also hold `=` and `;` unencoded inside parentheses (nested options); at the
/// top level they stay encoded, so no value can end its option or start another.
fn encode_query_value(value: &str, out: &mut String) {
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in value.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 && !quoted && (c == '=' || c == ';') {
            out.push(c);
        } else {
            out.extend(percent_encoding::utf8_percent_encode(&value[i..i + c.len_utf8()], QUERY));
        }
    }
}

impl<T> Operation<T> {
    pub(crate) fn new(method: http::Method, url: String, read: Reader<T>) -> Self {
        Operation {
            method,
            url,
            query: Vec::new(),
            headers: http::HeaderMap::new(),
            prefer: Vec::new(),
            body: Ok(None),
            read,
            accept: "application/json",
            links: None,
            paged: false,
            conventions: None,
            #[cfg(feature = "client")]
            client: None,
        }
    }

    /// The same request, read another way.
    pub(crate) fn reading<U>(self, read: Reader<U>) -> Operation<U> {
        Operation {
            method: self.method,
            url: self.url,
            query: self.query,
            headers: self.headers,
            prefer: self.prefer,
            body: self.body,
            read,
            accept: self.accept,
            links: self.links,
            paged: self.paged,
            conventions: self.conventions,
            #[cfg(feature = "client")]
            client: self.client,
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The path below the base URL (or the absolute URL of a link), without the query.
    pub fn path(&self) -> &str {
        &self.url
    }

    /// The same operation sent to `url`, a URL the service handed out for it: a saved next or
    /// delta link ([`Page::next_url`](super::Page::next_url),
    /// [`Page::delta_url`](super::Page::delta_url)), as the Microsoft Graph SDKs' `WithUrl`. The
    /// output is read as before, with the same headers and preferences.
    ///
    /// `url` is absolute, or relative to the base URL (`users/delta()?$deltatoken=…`). Query
    /// options added before are dropped: the link holds its own. An operation whose answer is
    /// a page reads its link (`GET`, no body), as next and delta links are read (OData JSON
    /// Format 4.01 §4.5.5, §4.5.6); any other keeps its method and body. With the client, a
    /// URL outside the base URL's origin and the allowed hosts is refused before anything is
    /// sent ([`Error::Request`]), as every request is.
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.url = if is_absolute(&url) { url } else { format!("/{}", url.trim_start_matches('/')) };
        self.query.clear();
        self.links = None;
        if self.paged {
            self.method = http::Method::GET;
            self.body = self.body.map(|_| None);
        }
        self
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

    /// `$expand`: include these navigation properties; each may carry nested options in
    /// parentheses, separated by `;` (`kids($select=name;$top=2)`, OData URL Conventions 4.01
    /// §5.1.3), which are sent as the ABNF writes them.
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
            _ => self.refuse(format!("invalid header `{name}`")),
        }
        self
    }

    /// Adds a preference to the `Prefer` header (RFC 7240; OData 4.01 Part 1 §8.2.8), such as
    /// `odata.include-annotations="*"`. The typed ones: [`Operation::return_minimal`],
    /// [`Operation::return_representation`], [`Operation::max_page_size`],
    /// [`Operation::respond_async`], [`Operation::include_annotations`],
    /// [`Operation::track_changes`].
    pub fn prefer(mut self, preference: &str) -> Self {
        if http::HeaderValue::try_from(preference).is_err() {
            self.refuse(format!("invalid preference `{preference}`"));
        }
        self.prefer.push(preference.to_owned());
        self
    }

    /// `Prefer: return=minimal`: the service need not send back what it stored (a create then
    /// answers `204` with `Location`, an update `204`).
    pub fn return_minimal(self) -> Self {
        self.prefer("return=minimal")
    }

    /// `Prefer: return=representation`: the service sends back what it stored (an update then
    /// answers `200` with the entity).
    pub fn return_representation(self) -> Self {
        self.prefer("return=representation")
    }

    /// `Prefer: odata.maxpagesize=n`: at most `n` items a page (the service may send fewer).
    pub fn max_page_size(self, items: u32) -> Self {
        self.prefer(&format!("odata.maxpagesize={items}"))
    }

    /// `Prefer: respond-async`: the service may answer `202 Accepted` with a status monitor
    /// and do the work in the background (OData 4.01 Part 1 §8.2.8.8, §11.6).
    pub fn respond_async(self) -> Self {
        self.prefer("respond-async")
    }

    /// `Prefer: odata.include-annotations="..."`: which instance annotations to send, such as
    /// `*` or `display.*,-display.hidden` (§8.2.8.4).
    pub fn include_annotations(self, filter: &str) -> Self {
        self.prefer(&format!("odata.include-annotations=\"{filter}\""))
    }

    /// `Prefer: odata.track-changes`: ask for a delta link with the last page, to read only
    /// the changes later (§8.2.8.7, §11.3).
    pub fn track_changes(self) -> Self {
        self.prefer("odata.track-changes")
    }

    /// `Content-Type`: the media type of the body, in place of the default (`application/json`
    /// for JSON bodies, `application/octet-stream` for content): `image/png` for a photo's
    /// `$value`, say. Invalid text makes building the request fail with [`Error::Request`].
    pub fn content_type(mut self, media_type: &str) -> Self {
        match http::HeaderValue::try_from(media_type) {
            Ok(value) => {
                self.headers.insert(http::header::CONTENT_TYPE, value);
            }
            Err(_) => self.refuse(format!("invalid media type `{media_type}`")),
        }
        self
    }

    /// `If-Match: etag`: the service applies the change only if the entity (or stream) still
    /// has this etag, else answers `412 Precondition Failed` ([`Error::PreconditionFailed`]).
    /// Services that declare `Core.OptimisticConcurrency` require it on updates, deletes and
    /// bound actions (`428`, [`Error::PreconditionRequired`] without it). OData 4.01 Part 1
    /// §8.2.4, §11.4.1.1.
    pub fn if_match(self, etag: &ETag) -> Self {
        self.header("If-Match", etag.as_str())
    }

    /// The URL this operation is sent to, against `base_url`. Links in answers are resolved as
    /// OData JSON Format 4.01 §4.3 says: against the context URL of the page that held them
    /// (itself resolved against the URL that answered), else against that URL (RFC 3986 §5,
    /// with the `url` crate).
    ///
    /// # Errors
    /// [`Error::Request`] when a link or the base URL is not a URL.
    pub fn url(&self, base_url: &str) -> Result<String, Error> {
        let mut url = match &self.links {
            Some(links) => links.resolve(base_url)?,
            None => absolute(base_url, &self.url),
        };
        for (i, (name, value)) in self.query.iter().enumerate() {
            let separator = if i == 0 && !url.contains('?') { '?' } else { '&' };
            url.push(separator);
            url.extend(percent_encoding::utf8_percent_encode(name, QUERY));
            url.push('=');
            encode_query_value(value, &mut url);
        }
        Ok(url)
    }

    /// The request, against `base_url` (for example `https://graph.microsoft.com/v1.0`).
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
        // The body's media type, unless the operation names one (`content_type`).
        let named = self.headers.contains_key(http::header::CONTENT_TYPE);
        let content = match body {
            Some(Body::Json(bytes)) => {
                if !named {
                    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
                }
                bytes.clone()
            }
            Some(Body::Bytes(bytes)) => {
                if !named {
                    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/octet-stream"));
                }
                bytes.clone()
            }
            None => Vec::new(),
        };
        if !self.prefer.is_empty() {
            let value = http::HeaderValue::try_from(self.prefer.join(", "))
                .map_err(|_| Error::Request("invalid `Prefer` preferences".to_owned()))?;
            headers.insert("prefer", value);
        }
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
        builder
            .body(content)
            .map_err(|e| Error::Request(format!("`{url}`: {e}")))
    }

    /// Whether an answer of `status` is read as the operation's output: every success (`2xx`),
    /// never reported as an error (OData 4.01 Part 1 §9.1), and `304 Not Modified` for a
    /// conditional read ([`Operation::if_none_match`]).
    pub fn expects(&self, status: u16) -> bool {
        (200..300).contains(&status)
            || (status == 304 && self.headers.contains_key(http::header::IF_NONE_MATCH))
    }

    /// Reads one answer: [`Step::Done`] with the operation's output (and the answer's status
    /// and headers) for a success, [`Step::Accepted`] with the status monitor for `202
    /// Accepted` with a `Location` (OData 4.01 Part 1 §11.6: the service works on it
    /// asynchronously; a `202` without one is done), an error for anything else.
    ///
    /// # Errors
    /// [`Error::Service`] (or [`Error::PreconditionFailed`], [`Error::PreconditionRequired`])
    /// for an OData error, [`Error::UnexpectedStatus`] for another failure status,
    /// [`Error::Decode`] for a success whose body is not what the operation returns.
    pub fn parse_step(&self, response: http::Response<Vec<u8>>) -> Result<Step<T>, Error> {
        let answer = answer_of(&response);
        if !self.expects(answer.status) {
            return Err(error_from_response(answer.status, answer.headers, answer.body));
        }
        if answer.status == 202 {
            if let Some(location) = answer.header("location") {
                return Ok(Step::Accepted(Monitor::new(
                    answer.resolve(location),
                    super::retry_after(answer.headers),
                    self.read.clone(),
                    #[cfg(feature = "client")]
                    self.client.clone(),
                )));
            }
        }
        let value = (self.read)(&answer).map_err(|e| Error::Decode(Box::new(e)))?;
        Ok(Step::Done(Response::new(&answer, value)))
    }

    /// Reads one answer into the operation's output. For `202 Accepted` with a status monitor,
    /// the output is what the answer itself says (`()` for an action, `None` for a result that
    /// may be null); [`Operation::parse_step`] gives the monitor to poll for the final result
    /// (the client polls it).
    ///
    /// # Errors
    /// As [`Operation::parse_step`]; [`Error::Decode`] for a `202` whose output needs a body
    /// (poll its monitor with [`Operation::parse_step`]).
    pub fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<T, Error> {
        let answer = answer_of(&response);
        if !self.expects(answer.status) {
            return Err(error_from_response(answer.status, answer.headers, answer.body));
        }
        (self.read)(&answer).map_err(|mut e| {
            if answer.status == 202 {
                if let Some(location) = answer.header("location") {
                    e.message = format!(
                        "{} (the service accepted the request and works on it asynchronously: poll the status monitor `{location}`, with `Operation::parse_step` or the client)",
                        e.message
                    );
                }
            }
            Error::Decode(Box::new(e))
        })
    }

    /// The operation whose output also holds the answer's status and headers (`ETag`,
    /// `Location`, `OData-EntityId`, `Preference-Applied`, `request-id`, ...): a
    /// [`Response`] that derefs to the output.
    pub fn with_response(self) -> Operation<Response<T>>
    where
        T: 'static,
    {
        let read = self.read.clone();
        self.reading(Arc::new(move |answer: &Answer<'_>| Ok(Response::new(answer, read(answer)?))))
    }

    /// `If-None-Match: etag`: a conditional read. The output is `None` when the service answers
    /// `304 Not Modified` (what was read with that etag is still current), else the value
    /// (OData 4.01 Part 1 §8.2.5; RFC 9110 §13.1.2). On a `PUT`, `ETag::any()` asks that nothing
    /// exist yet.
    pub fn if_none_match(self, etag: &ETag) -> Operation<Option<T>>
    where
        T: 'static,
    {
        let read = self.read.clone();
        self.header("If-None-Match", etag.as_str()).reading(Arc::new(move |answer: &Answer<'_>| {
            match answer.status {
                304 => Ok(None),
                _ => read(answer).map(Some),
            }
        }))
    }

    /// The operation with `body` serialized as JSON.
    #[doc(hidden)]
    pub fn json<B: crate::support::Json>(mut self, body: &B) -> Self {
        // A refusal (a restriction, a key that cannot be written) stays.
        if self.body.is_ok() {
            self.body = Ok(Some(Body::Json(crate::support::to_json(body).into_bytes())));
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

    /// Fails the operation before it is sent (an earlier refusal stays).
    pub(crate) fn refuse(&mut self, why: String) {
        refuse_body(&mut self.body, why);
    }

}

/// [`Operation::refuse`], compiled once rather than once per output type.
fn refuse_body(body: &mut Result<Option<Body>, String>, why: String) {
    if body.is_ok() {
        *body = Err(why);
    }
}

/// The answer of an `http` response, with the URL it came from when the response says.
pub(crate) fn answer_of(response: &http::Response<Vec<u8>>) -> Answer<'_> {
    Answer {
        status: response.status().as_u16(),
        headers: response.headers(),
        body: response.body(),
        url: response.extensions().get::<RequestUrl>().map(|u| u.0.as_str()),
        extensions: response.extensions(),
    }
}

fn join<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    items.into_iter().map(|s| s.as_ref().to_owned()).collect::<Vec<_>>().join(",")
}

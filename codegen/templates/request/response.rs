use std::fmt;
use std::time::Duration;

use crate::support::Json;

use super::error::error_from_response;
use super::operation::{answer_of, Answer, Operation, Reader, RequestUrl};
use super::{DecodeError, Error};

/// An entity tag (RFC 9110 §8.8.3): what a service says about the version of an entity or a
/// stream (`@odata.etag` of a payload, the `ETag` header of an answer), kept exactly as sent
/// (`W/"2024-05-01T10:00:00Z"`), to send back in `If-Match` ([`Operation::if_match`]) or
/// `If-None-Match` ([`Operation::if_none_match`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ETag(String);

impl ETag {
    /// The etag as the service wrote it.
    pub fn new(etag: impl Into<String>) -> Self {
        ETag(etag.into())
    }

    /// `*`: any version (`If-Match: *` changes the entity whatever its state; `If-None-Match:
    /// *` asks that none exist).
    pub fn any() -> Self {
        ETag("*".to_owned())
    }

    /// The etag's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is a weak etag (`W/"..."`).
    pub fn is_weak(&self) -> bool {
        self.0.starts_with("W/")
    }
}

impl fmt::Display for ETag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ETag {
    fn from(etag: &str) -> Self {
        ETag::new(etag)
    }
}

impl From<String> for ETag {
    fn from(etag: String) -> Self {
        ETag(etag)
    }
}

/// An operation's output with the answer it came from: its status and headers. Derefs to the
/// output. Made by [`Operation::with_response`].
#[derive(Clone, Debug)]
pub struct Response<T> {
    status: u16,
    headers: http::HeaderMap,
    url: Option<String>,
    async_status: Option<Box<AsyncStatus>>,
    value: T,
}

impl<T> Response<T> {
    pub(crate) fn new(answer: &Answer<'_>, value: T) -> Self {
        Response {
            status: answer.status,
            headers: answer.headers.clone(),
            url: answer.url.map(str::to_owned),
            async_status: answer.extensions.get::<AsyncStatus>().cloned().map(Box::new),
            value,
        }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Every header of the answer.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The value of header `name`, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The URL that answered, when known (the client always knows it).
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// `ETag`: the version of the entity or stream the answer is about.
    pub fn etag(&self) -> Option<ETag> {
        self.header("etag").map(ETag::new)
    }

    /// `Location` (of a created entity, or of a status monitor), as an absolute URL when the
    /// answer's URL is known (RFC 9110 §10.2.2).
    pub fn location(&self) -> Option<String> {
        let location = self.header("location")?;
        Some(self.resolve(location))
    }

    /// `OData-EntityId`: the id of the entity a create or an upsert made (OData 4.01 Part 1
    /// §8.3.4).
    pub fn entity_id(&self) -> Option<&str> {
        self.header("odata-entityid")
    }

    /// `Preference-Applied`: which of the `Prefer` preferences the service honoured.
    pub fn preference_applied(&self) -> Option<&str> {
        self.header("preference-applied")
    }

    /// The service's id of the request, for support: `request-id` (Microsoft Graph), else
    /// `x-ms-request-id` or `x-correlation-id`.
    pub fn request_id(&self) -> Option<&str> {
        ["request-id", "x-ms-request-id", "x-correlation-id"]
            .iter()
            .find_map(|name| self.header(name))
    }

    /// `link` as an absolute URL against the answer's URL (when known).
    pub fn resolve(&self, link: &str) -> String {
        match &self.url {
            Some(url) if !super::links::is_absolute(link) => {
                super::links::resolve_against(url, link).unwrap_or_else(|_| link.to_owned())
            }
            _ => link.to_owned(),
        }
    }

    /// For an operation done asynchronously, what its status monitor said last when the job
    /// completed (Microsoft Graph's `resourceId` of a copied item, say): the output alone may
    /// not hold it.
    pub fn async_status(&self) -> Option<&AsyncStatus> {
        self.async_status.as_deref()
    }

    /// Keeps what a status monitor said of the completed job.
    #[cfg(feature = "client")]
    pub(crate) fn with_async_status(mut self, status: AsyncStatus) -> Self {
        self.async_status = Some(Box::new(status));
        self
    }

    /// The output.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The output, without the answer.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The same answer with its output changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            url: self.url,
            async_status: self.async_status,
            value: f(self.value),
        }
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// What one answer means for an operation ([`Operation::parse_step`]).
#[derive(Debug)]
#[must_use]
pub enum Step<T> {
    /// The operation is done: its output, with the answer's status and headers.
    Done(Response<T>),
    /// `202 Accepted` with a `Location`: the service works on the request asynchronously
    /// (OData 4.01 Part 1 §11.6; Microsoft Graph's long-running actions); poll the status
    /// monitor for the output.
    Accepted(Monitor<T>),
}

/// The status monitor of an asynchronous request (OData 4.01 Part 1 §11.6): poll it until the
/// operation is done, waiting what its `Retry-After` asks between polls. With the client (the
/// `client` feature), `Monitor::wait` does that; without, send [`Monitor::status_request`] and
/// read the answer with [`Monitor::parse_status`].
pub struct Monitor<T> {
    url: String,
    retry_after: Option<Duration>,
    read: Reader<T>,
    #[cfg(feature = "client")]
    pub(crate) client: Option<crate::client::Client>,
}

impl<T> Clone for Monitor<T> {
    fn clone(&self) -> Self {
        Monitor {
            url: self.url.clone(),
            retry_after: self.retry_after,
            read: self.read.clone(),
            #[cfg(feature = "client")]
            client: self.client.clone(),
        }
    }
}

impl<T> fmt::Debug for Monitor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monitor")
            .field("url", &self.url)
            .field("retry_after", &self.retry_after)
            .finish_non_exhaustive()
    }
}

/// The states of an asynchronous job as services name them (OData, Microsoft Graph's
/// `asyncJobStatus` and `longRunningOperationStatus`, Azure): compared in any case.
const RUNNING: &[&str] = &["notstarted", "inprogress", "running", "waiting", "updating", "deletepending", "accepted", "queued"];
const SUCCEEDED: &[&str] = &["completed", "succeeded", "success"];
const FAILED: &[&str] = &["failed", "deletefailed", "cancelled", "canceled"];

/// What a status monitor says of a job that is not done, or is done elsewhere.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct AsyncStatus {
    /// The job's state as the service names it (`inProgress`, `completed`, ...), if it says.
    pub status: Option<String>,
    /// How far the job is, from 0 to 100 (`percentageComplete`), if the service says.
    pub percentage_complete: Option<f64>,
    /// The id of the resource the job made or changed (`resourceId`), if the service says.
    pub resource_id: Option<String>,
    /// Where the result is (`resourceLocation`, or a `303 See Other`'s `Location`), absolute.
    pub resource_location: Option<String>,
    /// How long to wait before polling again (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// The monitor's whole answer, when it was JSON.
    pub body: Option<serde_json::Value>,
}

/// One poll of a status monitor ([`Monitor::parse_status`]).
#[derive(Debug)]
#[must_use]
pub enum Progress<T> {
    /// The job is still running.
    Running(AsyncStatus),
    /// The job is done, and this is the operation's output (the monitor answered with the
    /// final answer, `application/http`, or the result itself after a redirect).
    Done(Response<T>),
    /// The job is done; its result is at [`AsyncStatus::resource_location`] (read it with
    /// [`Monitor::result`]), or, without one, is what the operation yields with no content.
    Completed(AsyncStatus),
}

impl<T> Monitor<T> {
    pub(crate) fn new(
        url: String,
        retry_after: Option<Duration>,
        read: Reader<T>,
        #[cfg(feature = "client")] client: Option<crate::client::Client>,
    ) -> Self {
        Monitor {
            url,
            retry_after,
            read,
            #[cfg(feature = "client")]
            client,
        }
    }

    /// The status monitor's URL (absolute when the answer's URL was known).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How long the service asked to wait before the first poll.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The `GET` of the status monitor. It may be on another host than the service (Microsoft
    /// Graph's are): the client sends its token only to trusted origins.
    ///
    /// # Errors
    /// [`Error::Request`] when the monitor's URL is not a URL.
    pub fn status_request(&self) -> Result<http::Request<Vec<u8>>, Error> {
        http::Request::get(self.url.as_str())
            .header(http::header::ACCEPT, "application/json, application/http")
            .body(Vec::new())
            .map_err(|e| Error::Request(format!("the status monitor `{}`: {e}", self.url)))
    }

    /// Reads one answer of the status monitor.
    ///
    /// # Errors
    /// The monitor's own error (an OData error, an unexpected status); the job's error when
    /// it failed ([`Error::Service`], with the job's `error` object when it has one); the
    /// final answer's error when it is one; [`Error::Decode`] for a final answer that is not
    /// the operation's output.
    pub fn parse_status(&self, response: http::Response<Vec<u8>>) -> Result<Progress<T>, Error> {
        let answer = answer_of(&response);
        let retry_after = super::retry_after(answer.headers);
        match answer.status {
            303 => {
                let location = answer.header("location").map(|l| answer.resolve(l));
                return Ok(Progress::Completed(AsyncStatus {
                    resource_location: location,
                    retry_after,
                    ..AsyncStatus::default()
                }));
            }
            status if !(200..300).contains(&status) => {
                return Err(error_from_response(status, answer.headers, answer.body));
            }
            _ => {}
        }
        let content_type = answer.header("content-type").unwrap_or("").to_ascii_lowercase();
        if content_type.starts_with("application/http") {
            return self.read_final(answer.body, answer.url);
        }
        let json: Option<serde_json::Value> = serde_json::from_slice(answer.body).ok();
        let state = json
            .as_ref()
            .and_then(|j| j.get("status"))
            .and_then(|s| s.as_str())
            .map(|s| s.to_ascii_lowercase());
        let moved = answer.url.is_some_and(|url| url != self.url);
        let status = |json: Option<serde_json::Value>| {
            let text = |key: &str| json.as_ref().and_then(|j| j.get(key)).and_then(|v| v.as_str()).map(str::to_owned);
            AsyncStatus {
                status: text("status"),
                percentage_complete: json
                    .as_ref()
                    .and_then(|j| j.get("percentageComplete"))
                    .and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))),
                resource_id: text("resourceId"),
                resource_location: text("resourceLocation")
                    .or_else(|| answer.header("location").map(str::to_owned))
                    .map(|l| answer.resolve(&l)),
                retry_after,
                body: json.clone(),
            }
        };
        match state.as_deref() {
            // A status document says done or failed whatever the monitor's status code (some
            // answer a finished job with 202 still).
            Some(state) if !moved && SUCCEEDED.contains(&state) => Ok(Progress::Completed(status(json))),
            Some(state) if !moved && FAILED.contains(&state) => Err(job_failed(answer.status, json, retry_after)),
            _ if answer.status == 202 => Ok(Progress::Running(status(json))),
            Some(state) if !moved && RUNNING.contains(&state) => Ok(Progress::Running(status(json))),
            // The result itself (the monitor redirected to it, or answered with it).
            _ => {
                let value = (self.read)(&answer).map_err(|e| Error::Decode(Box::new(e)))?;
                Ok(Progress::Done(Response::new(&answer, value)))
            }
        }
    }

    /// The final answer a monitor sends as `application/http` (the answer the request would
    /// have had), read as the operation's.
    fn read_final(&self, body: &[u8], url: Option<&str>) -> Result<Progress<T>, Error> {
        let response = parse_http_message(body)?;
        let mut response = response;
        if let Some(url) = url {
            response.extensions_mut().insert(RequestUrl(url.to_owned()));
        }
        let answer = answer_of(&response);
        if !(200..300).contains(&answer.status) {
            return Err(error_from_response(answer.status, answer.headers, answer.body));
        }
        let value = (self.read)(&answer).map_err(|e| Error::Decode(Box::new(e)))?;
        Ok(Progress::Done(Response::new(&answer, value)))
    }

    /// The output of a job that completed without a final answer: what the operation yields
    /// with no content (`()` for an action, `None` for a result that may be null).
    ///
    /// # Errors
    /// [`Error::Decode`] when the operation's output needs content: read it from the status's
    /// `resource_location` with [`Monitor::result`].
    pub fn completed_without_content(&self, status: &AsyncStatus) -> Result<Response<T>, Error> {
        let headers = http::HeaderMap::new();
        let mut extensions = http::Extensions::new();
        extensions.insert(status.clone());
        let answer = Answer {
            status: 200,
            headers: &headers,
            body: &[],
            url: None,
            extensions: &extensions,
        };
        (self.read)(&answer).map(|v| Response::new(&answer, v)).map_err(|mut e| {
            e.message = format!(
                "the job completed ({}) but the status monitor gave no result and no `resourceLocation`: {}",
                status.status.as_deref().unwrap_or("no status"),
                e.message
            );
            Error::Decode(Box::new(e))
        })
    }

    /// The `GET` of the result at `location` (from [`AsyncStatus::resource_location`]), read
    /// as the operation's output.
    pub fn result(&self, location: &str) -> Operation<T> {
        #[allow(unused_mut)]
        let mut operation = Operation::new(http::Method::GET, location.to_owned(), self.read.clone());
        #[cfg(feature = "client")]
        {
            operation.client = self.client.clone();
        }
        operation
    }
}

/// The error of a job the status monitor reports failed: its `error` object if it has one.
fn job_failed(status: u16, json: Option<serde_json::Value>, retry_after: Option<Duration>) -> Error {
    let error = json.as_ref().and_then(|j| j.get("error")).cloned().unwrap_or(serde_json::Value::Null);
    let text = |key: &str| error.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    Error::Service(Box::new(super::ServiceError {
        status,
        code: text("code").unwrap_or_else(|| "failed".to_owned()),
        message: text("message").unwrap_or_else(|| {
            format!(
                "the asynchronous job failed ({})",
                json.as_ref().and_then(|j| j.get("status")).and_then(|s| s.as_str()).unwrap_or("failed")
            )
        }),
        target: text("target"),
        inner_error: None,
        retry_after,
        body: json.unwrap_or(serde_json::Value::Null),
    }))
}

/// An HTTP/1.1 response message (`application/http`, RFC 9112 §2): status line, headers, a
/// blank line and the body.
pub(crate) fn parse_http_message(message: &[u8]) -> Result<http::Response<Vec<u8>>, Error> {
    let invalid = |why: &str| Error::decode("", format!("the final answer (application/http) {why}"), message);
    let (head, body) = match find(message, b"\r\n\r\n") {
        Some(at) => (&message[..at], &message[at + 4..]),
        None => match find(message, b"\n\n") {
            Some(at) => (&message[..at], &message[at + 2..]),
            None => (message, &[][..]),
        },
    };
    let head = std::str::from_utf8(head).map_err(|_| invalid("is not text"))?;
    let mut lines = head.lines();
    let status_line = lines.next().ok_or_else(|| invalid("is empty"))?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("has no status line"))?;
    let mut builder = http::Response::builder().status(status);
    for line in lines {
        let (name, value) = line.split_once(':').ok_or_else(|| invalid("has a header without `:`"))?;
        builder = builder.header(name.trim(), value.trim());
    }
    builder.body(body.to_vec()).map_err(|e| invalid(&e.to_string()))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What a create yields (OData 4.01 Part 1 §11.4.2): the entity as the service stored it
/// (`201 Created` with a body), or, when the service sent none (`204 No Content`, as it may
/// with `Prefer: return=minimal`, or a `201` without a body), where it is (`Location`,
/// `OData-EntityId`). Never a second request unless asked ([`Created::read`]).
#[derive(Clone, Debug)]
pub struct Created<T> {
    entity: Option<T>,
    location: Option<String>,
    entity_id: Option<String>,
    #[cfg(feature = "client")]
    pub(crate) client: Option<crate::client::Client>,
}

impl<T> Created<T> {
    pub(crate) fn from_answer(answer: &Answer<'_>, entity: Option<T>) -> Self {
        Created {
            entity,
            location: answer.header("location").map(|l| answer.resolve(l)),
            entity_id: answer.header("odata-entityid").map(str::to_owned),
            #[cfg(feature = "client")]
            client: answer.extensions.get::<crate::client::Client>().cloned(),
        }
    }

    /// The entity as the service stored it, when it sent it back.
    pub fn entity(&self) -> Option<&T> {
        self.entity.as_ref()
    }

    /// The entity as the service stored it, when it sent it back.
    pub fn into_entity(self) -> Option<T> {
        self.entity
    }

    /// `Location`: the URL of the created entity (absolute when the answer's URL was known).
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// `OData-EntityId`: the created entity's id (its canonical URL).
    pub fn entity_id(&self) -> Option<&str> {
        self.entity_id.as_deref()
    }

    /// The `GET` of the created entity, from `Location` (else `OData-EntityId`); `None` when
    /// the service said neither. Awaitable when the create was sent by the client.
    pub fn read(&self) -> Option<Operation<T>>
    where
        T: Json + 'static,
    {
        let url = self.location.clone().or_else(|| self.entity_id.clone())?;
        // Only an http(s) URL, or a path: a `Location` of another scheme is no place to read.
        if super::links::has_scheme(&url) && !super::links::is_absolute(&url) {
            return None;
        }
        #[allow(unused_mut)]
        let mut operation = Operation::new(http::Method::GET, url, std::sync::Arc::new(super::parse::read_entity::<T>));
        #[cfg(feature = "client")]
        {
            operation.client = self.client.clone();
        }
        Some(operation)
    }

    /// The entity: the one the service sent back, else read from where it says the entity is
    /// (one more request, only then).
    ///
    /// # Errors
    /// The read's error; [`Error::Decode`] when the service sent neither the entity nor where
    /// it is; [`Error::Request`] when the create was not sent by the client.
    #[cfg(feature = "client")]
    pub async fn entity_or_read(self) -> Result<T, Error>
    where
        T: Json + Send + 'static,
    {
        if let Some(entity) = self.entity {
            return Ok(entity);
        }
        let read = Created { entity: None, ..self }.read().ok_or_else(|| {
            Error::decode("", "the service sent no entity, no `Location` and no `OData-EntityId`", &[])
        })?;
        read.await
    }
}

/// A decode error for a success whose output needs a body that the answer does not have.
pub(crate) fn no_content(what: &str, answer: &Answer<'_>) -> DecodeError {
    DecodeError {
        path: String::new(),
        message: format!("the service answered {} without content, where {what} was expected", answer.status),
        body: answer.body.to_vec(),
    }
}

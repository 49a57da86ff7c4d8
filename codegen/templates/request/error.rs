use std::fmt;

use serde::{Deserialize, Serialize};

/// Why an operation failed. A success the service sends (any `2xx`) is never one of these:
/// see [`Operation::parse_step`](super::Operation::parse_step) for what each success yields.
#[non_exhaustive]
pub enum Error {
    /// The service answered with an OData error (`{"error": {"code": ..., "message": ...}}`).
    Service(Box<ServiceError>),
    /// `412 Precondition Failed`: the entity changed since its etag was read (OData 4.01 Part 1
    /// §8.2.4, §11.4.1.1). Read it again, and send the change with the new etag
    /// ([`Operation::if_match`](super::Operation::if_match)).
    PreconditionFailed(Box<ServiceError>),
    /// `428 Precondition Required`: the service declares optimistic concurrency
    /// (`Core.OptimisticConcurrency`) and wants the etag of what is changed: read the entity
    /// (its [`ETag`](super::ETag)) and send the change with
    /// [`Operation::if_match`](super::Operation::if_match) (or `if_match(ETag::any())` to
    /// change it whatever its state).
    PreconditionRequired(Box<ServiceError>),
    /// The service answered with a status that is neither a success nor an OData error
    /// (a proxy's HTML page, say), or a redirect the client did not follow.
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
    /// The caller cancelled the work (an upload through a session, whose session was then
    /// deleted: `client::CancelUpload`).
    Cancelled,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => write!(f, "the service answered {}: {}: {}", e.status, e.code, Snippet(e.message.as_bytes())),
            Error::PreconditionFailed(e) => write!(
                f,
                "the service answered 412 Precondition Failed: the entity changed since its etag was read; read it again and retry with its new etag ({})",
                Snippet(e.message.as_bytes())
            ),
            Error::PreconditionRequired(e) => write!(
                f,
                "the service answered 428 Precondition Required: it wants the entity's etag; read the entity and send the change with `if_match(etag)` ({})",
                Snippet(e.message.as_bytes())
            ),
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
            Error::Cancelled => f.write_str("cancelled by the caller"),
        }
    }
}

/// The start of a body, as text: enough to recognise an answer, never a whole page.
pub(crate) struct Snippet<'a>(pub(crate) &'a [u8]);

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
            Error::PreconditionFailed(e) => f.debug_tuple("PreconditionFailed").field(e).finish(),
            Error::PreconditionRequired(e) => f.debug_tuple("PreconditionRequired").field(e).finish(),
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
            Error::Cancelled => f.write_str("Cancelled"),
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
            Error::Service(e) | Error::PreconditionFailed(e) | Error::PreconditionRequired(e) => e.retry_after,
            Error::UnexpectedStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The HTTP status, for errors the service answered with.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) | Error::PreconditionFailed(e) | Error::PreconditionRequired(e) => Some(e.status),
            Error::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The OData error the service sent, for [`Error::Service`] and the precondition errors.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) | Error::PreconditionFailed(e) | Error::PreconditionRequired(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn decode(path: &str, message: impl Into<String>, body: &[u8]) -> Error {
        Error::Decode(Box::new(DecodeError {
            path: path.to_owned(),
            message: message.into(),
            body: body.to_vec(),
        }))
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
    /// The whole `error` object, with details this type does not name (`null` when the
    /// answer had no OData error body, as a bare `412` may not).
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

/// The `Retry-After` header as a wait: delta-seconds (a fraction too, `2.128`, as Microsoft
/// Graph's throttling answers may write it) or an HTTP-date (RFC 9110 §10.2.3); a date in the
/// past is no wait.
pub fn retry_after(headers: &http::HeaderMap) -> Option<std::time::Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return value
            .parse::<f64>()
            .ok()
            .and_then(|seconds| std::time::Duration::try_from_secs_f64(seconds).ok());
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(std::time::SystemTime::now()).unwrap_or_default())
}

/// The error for an answer that is no success: an OData error object, else the status and
/// body as they came. `412` and `428` are their own variants.
pub(crate) fn error_from_response(status: u16, headers: &http::HeaderMap, body: &[u8]) -> Error {
    #[derive(Deserialize)]
    struct Envelope {
        error: serde_json::Value,
    }
    let retry_after = retry_after(headers);
    let envelope = serde_json::from_slice::<Envelope>(body).ok();
    let odata = match envelope.map(|e| e.error) {
        Some(error) if error.get("code").is_some() || error.get("message").is_some() => {
            let text = |key: &str| error.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            let inner_error = error
                .get("innerError")
                .or_else(|| error.get("innererror"))
                .and_then(|v| serde_json::from_value::<InnerError>(v.clone()).ok());
            Some(ServiceError {
                status,
                code: text("code").unwrap_or_default(),
                message: text("message").unwrap_or_default(),
                target: text("target"),
                inner_error,
                retry_after,
                body: error,
            })
        }
        _ => None,
    };
    let precondition = |odata: Option<ServiceError>| {
        Box::new(odata.unwrap_or_else(|| ServiceError {
            status,
            code: String::new(),
            message: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
            target: None,
            inner_error: None,
            retry_after,
            body: serde_json::Value::Null,
        }))
    };
    match (status, odata) {
        (412, odata) => Error::PreconditionFailed(precondition(odata)),
        (428, odata) => Error::PreconditionRequired(precondition(odata)),
        (_, Some(error)) => Error::Service(Box::new(error)),
        (_, None) => Error::UnexpectedStatus {
            status,
            body: body.to_vec(),
            retry_after,
        },
    }
}

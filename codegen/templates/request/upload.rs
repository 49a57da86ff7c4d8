//! Upload sessions (Microsoft Graph's `createUploadSession` on drive items, attachments and
//! print documents): a large content sent in ranges to a pre-authenticated upload URL, without
//! the service's token, each range a `PUT` with `Content-Range`.

use std::marker::PhantomData;
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::support::{members, read_additional, read_member, Json, JsonError, Writer};

use super::error::error_from_response;
use super::operation::{answer_of, Answer, Reader};
use super::parse::{parse_json, parse_single, read_created};
use super::{Created, DecodeError, Error, Response};

/// The unit of an upload range: Microsoft Graph wants every range but the last to be a
/// multiple of 320 KiB (327,680 bytes).
pub const UPLOAD_RANGE_UNIT: u64 = 320 * 1024;
/// The default range: 5 MiB (16 × 320 KiB), as the Graph SDKs' upload tasks send.
pub const DEFAULT_UPLOAD_RANGE: u64 = 16 * UPLOAD_RANGE_UNIT;
/// The largest range: Microsoft Graph takes less than 60 MiB in one request (191 × 320 KiB).
pub const MAX_UPLOAD_RANGE: u64 = 191 * UPLOAD_RANGE_UNIT;

/// An upload session (`microsoft.graph.uploadSession`): where to send the content
/// (`uploadUrl`, pre-authenticated: it gets no token), until when (`expirationDateTime`), and
/// which byte ranges the service still expects (`nextExpectedRanges`). `T` is what the
/// finished upload yields: the drive item, attachment or print document the content makes.
///
/// Made by a builder's `create_upload_session` (with the client, `session.upload(content,
/// size)` sends the content), or from a saved upload URL with [`UploadSession::new`] to go on
/// with an upload after a failure or a restart. Serializes as the service wrote it, members it
/// does not name included, so it can be saved.
#[non_exhaustive]
pub struct UploadSession<T> {
    /// The pre-authenticated URL the ranges are sent to.
    pub upload_url: Option<String>,
    /// When the session expires (each range the service takes may push it back).
    pub expiration_date_time: Option<crate::support::DateTimeOffset>,
    /// The byte ranges the service still expects, as it writes them (`"0-"`, `"26-99"`,
    /// zero-based, the end included; without an end, to the end of the content).
    pub next_expected_ranges: Vec<String>,
    /// Other members, kept as they were.
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
    item: PhantomData<fn() -> T>,
    #[cfg(feature = "client")]
    pub(crate) client: Option<crate::client::Client>,
}

impl<T> Json for UploadSession<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let mut session = UploadSession::new(String::new());
        session.upload_url = None;
        for (key, text) in members(text)? {
            match &*key {
                "uploadUrl" => session.upload_url = read_member(&key, text)?,
                "expirationDateTime" => session.expiration_date_time = read_member(&key, text)?,
                // `null`, or a null among the ranges, is no range.
                "nextExpectedRanges" => {
                    let ranges: Option<Vec<Option<String>>> = read_member(&key, text)?;
                    session.next_expected_ranges = ranges.unwrap_or_default().into_iter().flatten().collect();
                }
                _ => read_additional(&mut session.additional_properties, key, text)?,
            }
        }
        Ok(session)
    }

    fn write_json(&self, out: &mut Writer) {
        let mut object = out.object();
        object.member("uploadUrl", &self.upload_url);
        object.member("expirationDateTime", &self.expiration_date_time);
        object.member("nextExpectedRanges", &self.next_expected_ranges);
        object.additional(&self.additional_properties);
        object.end();
    }
}

impl<T> serde::Serialize for UploadSession<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::support::serialize_json(self, serializer)
    }
}

impl<'de, T> serde::Deserialize<'de> for UploadSession<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::support::deserialize_json(deserializer)
    }
}

impl<T> Clone for UploadSession<T> {
    fn clone(&self) -> Self {
        UploadSession {
            upload_url: self.upload_url.clone(),
            expiration_date_time: self.expiration_date_time.clone(),
            next_expected_ranges: self.next_expected_ranges.clone(),
            additional_properties: self.additional_properties.clone(),
            item: PhantomData,
            #[cfg(feature = "client")]
            client: self.client.clone(),
        }
    }
}

impl<T> std::fmt::Debug for UploadSession<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The upload URL is a credential for the session: not shown.
        f.debug_struct("UploadSession")
            .field("expiration_date_time", &self.expiration_date_time)
            .field("next_expected_ranges", &self.next_expected_ranges)
            .finish_non_exhaustive()
    }
}

impl<T> UploadSession<T> {
    /// A session from its upload URL alone (one saved from an earlier session): the ranges the
    /// service expects are read from it before anything is sent.
    pub fn new(upload_url: impl Into<String>) -> Self {
        UploadSession {
            upload_url: Some(upload_url.into()),
            expiration_date_time: None,
            next_expected_ranges: Vec::new(),
            additional_properties: serde_json::Map::new(),
            item: PhantomData,
            #[cfg(feature = "client")]
            client: None,
        }
    }

    /// Where the session sends its content: the upload URL, for a program to save and resume
    /// with [`UploadSession::new`]. It is a credential for the session: keep it as one.
    pub fn url(&self) -> Option<&str> {
        self.upload_url.as_deref()
    }
}

impl<T: Json + 'static> UploadSession<T> {
    /// The sans-IO upload of `size` bytes through this session: [`UploadTask`], which starts
    /// from the ranges the session expects (read them first when it says none).
    ///
    /// # Errors
    /// [`Error::Request`] when the session has no upload URL; [`Error::Decode`] when its
    /// `nextExpectedRanges` are not byte ranges.
    pub fn task(&self, size: u64) -> Result<UploadTask<T>, Error> {
        let url = self
            .upload_url
            .clone()
            .ok_or_else(|| Error::Request("the upload session has no `uploadUrl`".to_owned()))?;
        let mut task = UploadTask::new(url, size);
        if !self.next_expected_ranges.is_empty() {
            task.expected = Some(parse_ranges(&self.next_expected_ranges, size).map_err(|e| Error::Decode(Box::new(e)))?);
        }
        Ok(task)
    }
}

/// Reads the answer of an action that creates an upload session (with the client that sent
/// it, so that the session can send its content).
#[doc(hidden)]
pub fn read_upload_session<T>(answer: &Answer<'_>) -> Result<UploadSession<T>, DecodeError> {
    #[allow(unused_mut)]
    let mut session: UploadSession<T> = parse_json(answer.body)?;
    #[cfg(feature = "client")]
    {
        session.client = answer.extensions.get::<crate::client::Client>().cloned();
    }
    Ok(session)
}

/// What the answer to one range means ([`UploadTask::parse_range_response`]).
#[derive(Debug)]
#[must_use]
pub enum UploadStep<T> {
    /// The service took the range (`202 Accepted`) and expects more: send
    /// [`UploadTask::next_range`].
    Continue,
    /// The upload is done: what the service made (`201 Created` or `200 OK`), the item as it
    /// sent it back, or, without a body, where it is (`Location`).
    Done(Response<Created<T>>),
}

/// A large content sent through an upload session, one range at a time (Microsoft Graph's
/// resumable upload), without I/O: ask [`UploadTask::next_range`] which bytes to send, send
/// [`UploadTask::range_request`] with them, read the answer with
/// [`UploadTask::parse_range_response`], until [`UploadStep::Done`] (a `202` without
/// `nextExpectedRanges` counts the range as taken). After a failure, read the
/// session's state again ([`UploadTask::status_request`], [`UploadTask::parse_status`]) and go
/// on from what it expects. [`UploadTask::cancel_request`] deletes the session. None of these
/// requests may carry the service's token: the upload URL is pre-authenticated.
pub struct UploadTask<T> {
    url: String,
    size: u64,
    range_size: u64,
    /// The ranges the service expects (start, end exclusive); `None` until known.
    expected: Option<Vec<Range<u64>>>,
    /// The range of the last request built, until its answer is read.
    sent: Option<Range<u64>>,
    read: Reader<Created<T>>,
}

impl<T> Clone for UploadTask<T> {
    fn clone(&self) -> Self {
        UploadTask {
            url: self.url.clone(),
            size: self.size,
            range_size: self.range_size,
            expected: self.expected.clone(),
            sent: self.sent.clone(),
            read: self.read.clone(),
        }
    }
}

impl<T> std::fmt::Debug for UploadTask<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadTask")
            .field("size", &self.size)
            .field("range_size", &self.range_size)
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}

impl<T: Json + 'static> UploadTask<T> {
    /// An upload of `size` bytes to `upload_url`, whose expected ranges are not known yet
    /// ([`UploadTask::needs_status`]), in ranges of [`DEFAULT_UPLOAD_RANGE`] bytes; the
    /// finished upload is read as `T`.
    pub fn new(upload_url: impl Into<String>, size: u64) -> Self {
        UploadTask {
            url: upload_url.into(),
            size,
            range_size: DEFAULT_UPLOAD_RANGE,
            expected: None,
            sent: None,
            read: Arc::new(|answer: &Answer<'_>| read_created(answer, parse_single::<T>)),
        }
    }
}

impl<T> UploadTask<T> {
    /// The task with ranges of `bytes` (the last range may be shorter).
    ///
    /// # Errors
    /// [`Error::Request`] unless `bytes` is a multiple of [`UPLOAD_RANGE_UNIT`] (320 KiB) from
    /// one unit to [`MAX_UPLOAD_RANGE`], as Microsoft Graph requires.
    pub fn range_size(mut self, bytes: u64) -> Result<Self, Error> {
        if bytes == 0 || bytes % UPLOAD_RANGE_UNIT != 0 || bytes > MAX_UPLOAD_RANGE {
            return Err(Error::Request(format!(
                "an upload range of {bytes} bytes: ranges are a multiple of 320 KiB ({UPLOAD_RANGE_UNIT} bytes), at most {MAX_UPLOAD_RANGE}"
            )));
        }
        self.range_size = bytes;
        Ok(self)
    }

    /// The upload URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The content's size, in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether the ranges the service expects are unknown: read the session's state first
    /// ([`UploadTask::status_request`]).
    pub fn needs_status(&self) -> bool {
        self.expected.is_none()
    }

    /// How many bytes the service has taken, by what it still expects (0 while unknown).
    pub fn received(&self) -> u64 {
        let Some(expected) = &self.expected else { return 0 };
        let missing: u64 = expected.iter().map(|r| r.end - r.start).sum();
        self.size.saturating_sub(missing)
    }

    /// The bytes to send next (zero-based, end excluded): the start of the first range the
    /// service expects, at most one range long. `None` when the service expects nothing more
    /// (or, before its state is read, nothing is known).
    pub fn next_range(&self) -> Option<Range<u64>> {
        let first = self.expected.as_ref()?.first()?;
        Some(first.start..first.end.min(first.start.saturating_add(self.range_size)))
    }

    /// The `PUT` of `content`, the bytes `range` of the whole, to the upload URL: with
    /// `Content-Length` and `Content-Range: bytes start-end/size`, and no token.
    ///
    /// # Errors
    /// [`Error::Request`] when `content` is not as long as `range`, the range is outside the
    /// content, or the upload URL is not a URL.
    pub fn range_request(&mut self, range: Range<u64>, content: Vec<u8>) -> Result<http::Request<Vec<u8>>, Error> {
        if content.len() as u64 != range.end.saturating_sub(range.start) || range.is_empty() || range.end > self.size {
            return Err(Error::Request(format!(
                "{} bytes for the range {}..{} of a {}-byte upload",
                content.len(),
                range.start,
                range.end,
                self.size
            )));
        }
        self.sent = Some(range.clone());
        http::Request::put(self.url.as_str())
            .header(http::header::CONTENT_LENGTH, content.len())
            .header(http::header::CONTENT_RANGE, format!("bytes {}-{}/{}", range.start, range.end - 1, self.size))
            .header(http::header::ACCEPT, "application/json")
            .body(content)
            .map_err(|e| Error::Request(format!("the upload URL: {e}")))
    }

    /// Reads the answer to a range: [`UploadStep::Continue`] for `202 Accepted` (the ranges
    /// the service still expects are updated from its `nextExpectedRanges`), or for a `200` or
    /// `201` that still lists some; [`UploadStep::Done`] with the created item for the final
    /// `201 Created` or `200 OK`.
    ///
    /// # Errors
    /// The service's error (for example `416 Range Not Satisfiable` for a range it has, or
    /// `404` for a session that expired): read the session's state again and go on, or start
    /// a new session; [`Error::Decode`] for a final answer that is not the item.
    pub fn parse_range_response(&mut self, response: http::Response<Vec<u8>>) -> Result<UploadStep<T>, Error> {
        let answer = answer_of(&response);
        if !(200..300).contains(&answer.status) {
            return Err(error_from_response(answer.status, answer.headers, answer.body));
        }
        let ranges = self.ranges_in(answer.body)?;
        let sent = self.sent.take();
        if answer.status == 202 || ranges.as_ref().is_some_and(|r| !r.is_empty()) {
            self.expected = match (ranges, sent, self.expected.take()) {
                (Some(ranges), _, _) => Some(ranges),
                // No ranges said: the service took what was sent.
                (None, Some(sent), Some(expected)) => Some(without(expected, &sent)),
                (None, _, expected) => expected,
            };
            return Ok(UploadStep::Continue);
        }
        self.expected = Some(Vec::new());
        let value = (self.read)(&answer).map_err(|e| Error::Decode(Box::new(e)))?;
        Ok(UploadStep::Done(Response::new(&answer, value)))
    }

    /// The `GET` of the session's state (which ranges it expects), without a token.
    ///
    /// # Errors
    /// [`Error::Request`] when the upload URL is not a URL.
    pub fn status_request(&self) -> Result<http::Request<Vec<u8>>, Error> {
        http::Request::get(self.url.as_str())
            .header(http::header::ACCEPT, "application/json")
            .body(Vec::new())
            .map_err(|e| Error::Request(format!("the upload URL: {e}")))
    }

    /// Reads the session's state: the ranges it still expects.
    ///
    /// # Errors
    /// The service's error (`404` for a session that expired or was deleted); [`Error::Decode`]
    /// for a state without `nextExpectedRanges` or with ranges that are not byte ranges.
    pub fn parse_status(&mut self, response: http::Response<Vec<u8>>) -> Result<(), Error> {
        let answer = answer_of(&response);
        if !(200..300).contains(&answer.status) {
            return Err(error_from_response(answer.status, answer.headers, answer.body));
        }
        let ranges = self.ranges_in(answer.body)?.ok_or_else(|| {
            Error::decode("nextExpectedRanges", "the upload session's state does not say which ranges it expects", answer.body)
        })?;
        self.expected = Some(ranges);
        Ok(())
    }

    /// The `DELETE` of the session: the service drops what it took (Graph answers `204`).
    ///
    /// # Errors
    /// [`Error::Request`] when the upload URL is not a URL.
    pub fn cancel_request(&self) -> Result<http::Request<Vec<u8>>, Error> {
        http::Request::delete(self.url.as_str())
            .body(Vec::new())
            .map_err(|e| Error::Request(format!("the upload URL: {e}")))
    }

    /// The `nextExpectedRanges` of a JSON body, if it has any.
    fn ranges_in(&self, body: &[u8]) -> Result<Option<Vec<Range<u64>>>, Error> {
        #[derive(Deserialize)]
        struct State {
            #[serde(rename = "nextExpectedRanges", default)]
            ranges: Option<Vec<String>>,
        }
        let Ok(State { ranges: Some(ranges) }) = serde_json::from_slice::<State>(body) else {
            return Ok(None);
        };
        parse_ranges(&ranges, self.size).map(Some).map_err(|e| Error::Decode(Box::new(e)))
    }
}

/// `ranges` less the bytes of `taken`.
fn without(ranges: Vec<Range<u64>>, taken: &Range<u64>) -> Vec<Range<u64>> {
    let mut left = Vec::with_capacity(ranges.len() + 1);
    for range in ranges {
        if range.start < taken.start {
            left.push(range.start..range.end.min(taken.start));
        }
        if range.end > taken.end {
            left.push(range.start.max(taken.end)..range.end);
        }
    }
    left
}

/// `["0-99", "200-"]` as byte ranges (end excluded) of a content of `size` bytes, in order.
fn parse_ranges(ranges: &[String], size: u64) -> Result<Vec<Range<u64>>, DecodeError> {
    let invalid = |range: &str| DecodeError {
        path: "nextExpectedRanges".to_owned(),
        message: format!("`{range}` is not a byte range of the {size}-byte content (`start-end` or `start-`)"),
        body: Vec::new(),
    };
    let mut parsed = Vec::with_capacity(ranges.len());
    for text in ranges {
        let (start, end) = text.trim().split_once('-').ok_or_else(|| invalid(text))?;
        let start: u64 = start.trim().parse().map_err(|_| invalid(text))?;
        let end = match end.trim() {
            "" => size,
            end => end.parse::<u64>().map_err(|_| invalid(text))?.saturating_add(1).min(size),
        };
        if start > end {
            return Err(invalid(text));
        }
        if start < end {
            parsed.push(start..end);
        }
    }
    parsed.sort_by_key(|r| r.start);
    Ok(parsed)
}

//! Streams: content read as it arrives and sent as it is produced, with a read timeout.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::{self, Either};
use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use crate::support::Json;

use super::{no_client, transport, Bytes, Client, Read};
use crate::request::{Error, Operation};

impl Client {
    /// Reads content as it arrives: a stream property or media content (`$value`), from the
    /// operation [`StreamRequest::get`](crate::request::StreamRequest::get) makes. The answer is
    /// never held whole, so [`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes) and the overall
    /// [`ClientBuilder::timeout`](super::ClientBuilder::timeout) do not apply (the read timeout does); throttled and
    /// unavailable answers are retried as for [`Client::send`]. Redirects are followed, as for
    /// every request, without the token off the base URL's host.
    ///
    /// # Errors
    /// The operation's error when the service does not answer with content (an OData error,
    /// an unexpected status), or the transport's; the stream's items fail when the transfer
    /// breaks off.
    pub async fn download<T>(&self, operation: Operation<T>) -> Result<ByteStream, Error> {
        let response = self.respond_with_retries(&operation, Read::Streamed).await?;
        if !operation.expects(response.status().as_u16()) {
            let whole = self.read_whole(response).await?;
            return Err(match operation.parse_response(whole) {
                Err(error) => error,
                Ok(_) => Error::Request("an unexpected status read as a success".to_owned()),
            });
        }
        let body = response.bytes_stream().map_err(transport);
        Ok(ByteStream(Box::pin(within_read_timeout(body, self.inner.read_timeout))))
    }

    /// Sends content as it is produced, as the body of the operation
    /// [`StreamRequest::put`](crate::request::StreamRequest::put) makes (its own body is
    /// replaced), with `Content-Type: application/octet-stream`. `length`, when known, is sent
    /// as `Content-Length`. A stream is read once, so a throttled answer is not retried: it
    /// is an error with the service's `retry_after`.
    ///
    /// # Errors
    /// The operation's error for the answer, the transport's, or the stream's own error.
    pub async fn upload<T, S, E>(&self, operation: Operation<T>, content: S, length: Option<u64>) -> Result<T, Error>
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let request = operation.http_request(&self.inner.base_url)?;
        let mut request = self.authorized(request, Read::Streamed).await?;
        // Each chunk the connection takes pushes the deadline back by the read timeout; once
        // the body is sent, the answer has the overall timeout.
        let deadline = Deadline::after(self.inner.timeout);
        let tracked = Tracked {
            inner: Box::pin(content),
            deadline: deadline.clone(),
            between_chunks: self.inner.read_timeout,
            for_answer: self.inner.timeout,
        };
        *request.body_mut() = Some(reqwest::Body::wrap_stream(tracked));
        let headers = request.headers_mut();
        headers
            .entry(http::header::CONTENT_TYPE)
            .or_insert(http::HeaderValue::from_static("application/octet-stream"));
        match length {
            Some(length) => {
                headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(length));
            }
            None => {
                headers.remove(http::header::CONTENT_LENGTH);
            }
        }
        let exchange = self.http_for(&request).execute(request);
        let response = match future::select(Box::pin(exchange), Box::pin(deadline.passed())).await {
            Either::Left((response, _)) => response.map_err(transport)?,
            Either::Right(_) => return Err(timed_out("the upload made no progress within the client's timeouts")),
        };
        operation.parse_response(self.read_whole(response).await?)
    }
}

/// A timeout the client measures itself (streams), as an error.
pub(super) fn timed_out(what: &str) -> Error {
    Error::Timeout(what.into())
}

/// `body`, failing (and ending) when no chunk comes within `limit`.
fn within_read_timeout(
    body: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
    limit: Option<Duration>,
) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static {
    stream::unfold(Some(Box::pin(body)), move |state| async move {
        let mut body = state?;
        let next = match limit {
            Some(limit) => tokio::time::timeout(limit, body.next())
                .await
                .unwrap_or_else(|_| Some(Err(timed_out("no bytes of the answer within the read timeout")))),
            None => body.next().await,
        };
        match next {
            Some(Err(error)) => Some((Err(error), None)),
            Some(chunk) => Some((chunk, Some(body))),
            None => None,
        }
    })
}

/// When a streamed request has gone too long without progress; `None` is never.
#[derive(Clone)]
struct Deadline(Arc<std::sync::Mutex<Option<tokio::time::Instant>>>);

impl Deadline {
    fn after(wait: Option<Duration>) -> Self {
        let deadline = Deadline(Arc::new(std::sync::Mutex::new(None)));
        deadline.push_back(wait);
        deadline
    }

    fn push_back(&self, wait: Option<Duration>) {
        let at = wait.and_then(|wait| tokio::time::Instant::now().checked_add(wait));
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = at;
    }

    fn at(&self) -> Option<tokio::time::Instant> {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Ends once the deadline has passed (never, while there is none).
    async fn passed(self) {
        loop {
            match self.at() {
                Some(at) if tokio::time::Instant::now() >= at => return,
                Some(at) => tokio::time::sleep_until(at).await,
                None => tokio::time::sleep(Duration::from_secs(3600)).await,
            }
        }
    }
}

/// An upload's body, pushing its deadline back with each chunk the connection takes.
struct Tracked<S> {
    inner: Pin<Box<S>>,
    deadline: Deadline,
    between_chunks: Option<Duration>,
    for_answer: Option<Duration>,
}

impl<S: Stream> Stream for Tracked<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<S::Item>> {
        let polled = self.inner.as_mut().poll_next(cx);
        match &polled {
            std::task::Poll::Ready(Some(_)) => self.deadline.push_back(self.between_chunks),
            std::task::Poll::Ready(None) => self.deadline.push_back(self.for_answer),
            std::task::Poll::Pending => {}
        }
        polled
    }
}

/// Content read as it arrives ([`Client::download`]): a [`Stream`] of [`Bytes`] chunks, or
/// with [`ByteStream::into_async_read`] an [`AsyncRead`](futures_util::AsyncRead).
pub struct ByteStream(Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>);

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream(..)")
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl ByteStream {
    /// The content as an `AsyncRead` (for `futures::io::copy` into a file, or with
    /// `tokio_util::compat` for tokio's I/O); errors become `std::io::Error`s whose inner error
    /// is this crate's [`Error`].
    pub fn into_async_read(self) -> impl futures_util::AsyncRead + Send + Unpin {
        self.map_err(std::io::Error::other).into_async_read()
    }
}

impl<E: Json + Send + 'static> crate::request::StreamRequest<E> {
    /// `GET`, read as it arrives (see [`Client::download`]); needs a builder made from a client.
    ///
    /// # Errors
    /// As [`Client::download`]; [`Error::Request`] for a builder made without a client.
    pub async fn download(&self) -> Result<ByteStream, Error> {
        let client = self.context().client().ok_or_else(no_client)?;
        client.download(self.get()).await
    }

    /// `PUT` of content as it is produced (see [`Client::upload`]); needs a builder made from a
    /// client. The output is the entity the content belongs to when the service sends it back
    /// (`201 Created`, `200 OK`), else `None`.
    ///
    /// # Errors
    /// As [`Client::upload`]; [`Error::Request`] for a builder made without a client.
    pub async fn upload<S, X>(&self, content: S, length: Option<u64>) -> Result<Option<E>, Error>
    where
        S: Stream<Item = Result<Bytes, X>> + Send + 'static,
        X: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let client = self.context().client().ok_or_else(no_client)?;
        client.upload(self.put(Vec::new()), content, length).await
    }
}

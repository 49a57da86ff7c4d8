//! Uploads through an upload session: a stream sent in ranges to the session's
//! pre-authenticated URL, without the token, resumed after a failure.

use std::future::{Future, IntoFuture};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::future::{self, Either};
use futures_util::stream::{Stream, StreamExt};
use futures_util::task::AtomicWaker;
use crate::support::Json;

use super::{no_client, BoxFuture, Bytes, Client, MAX_RETRY_AFTER};
use crate::request::{Created, Error, UploadSession, UploadStep};

/// Cancels an upload ([`Upload::cancel_with`]) from elsewhere: the upload stops before its
/// next range (or during the one in flight), deletes the session, and ends with
/// [`Error::Cancelled`]. Clones cancel the same upload.
#[derive(Clone, Debug, Default)]
pub struct CancelUpload(Arc<Cancel>);

#[derive(Debug, Default)]
struct Cancel {
    cancelled: AtomicBool,
    waker: AtomicWaker,
}

impl CancelUpload {
    /// A handle that has not cancelled anything yet.
    pub fn new() -> Self {
        CancelUpload::default()
    }

    /// Cancels the upload.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::SeqCst);
        self.0.waker.wake();
    }

    /// Whether [`CancelUpload::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::SeqCst)
    }

    /// Ends once the upload is cancelled.
    fn cancelled(&self) -> impl Future<Output = ()> + Send + 'static {
        let cancel = self.0.clone();
        future::poll_fn(move |cx: &mut Context<'_>| {
            cancel.waker.register(cx.waker());
            if cancel.cancelled.load(Ordering::SeqCst) {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
    }
}

/// How far an upload is, for [`Upload::on_progress`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadProgress {
    /// The bytes the service has taken so far.
    pub received: u64,
    /// The content's size, in bytes.
    pub size: u64,
}

type OnProgress = Box<dyn FnMut(UploadProgress) + Send>;

/// The upload of a content through an upload session ([`UploadSession::upload`],
/// [`Client::upload_to_session`]): await it for the item the service made, a [`Created`]
/// (Microsoft Graph answers the last range with the drive item, or, for an attachment,
/// `201 Created` with its `Location`).
///
/// The content is sent one range at a time (5 MiB by default, [`Upload::range_size`]), each a
/// `PUT` to the session's pre-authenticated upload URL with `Content-Range`, without the
/// client's token, wherever that URL is (its host is used for this session only); only that
/// range is held in memory. The next range is the one the service says it expects
/// (`nextExpectedRanges`). After a failure (a broken connection, a timeout, `5xx`, `429`, `416`)
/// the session's state is read again and the upload goes on from what it expects, up to the
/// client's [`max_retries`](super::ClientBuilder::max_retries) times in a row, waiting as
/// `Retry-After` says, else from the client's retry delay, doubling.
///
/// The content is the whole file from its first byte: when the session already has some of it
/// (a session resumed with [`UploadSession::new`]), the bytes before what it expects are read
/// and skipped. A service that asks again for bytes before the range held in memory cannot be
/// served from a stream: that is an [`Error::Request`], and the session stays, to resume.
#[must_use = "an upload does nothing until awaited"]
pub struct Upload<T, S> {
    client: Option<Client>,
    session: UploadSession<T>,
    content: S,
    size: u64,
    range_size: Option<u64>,
    progress: Option<OnProgress>,
    cancel: Option<CancelUpload>,
}

impl<T, S> std::fmt::Debug for Upload<T, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("size", &self.size)
            .field("range_size", &self.range_size)
            .finish_non_exhaustive()
    }
}

impl<T, S> Upload<T, S> {
    /// Ranges of `bytes` (a multiple of 320 KiB, at most 191 of them: see
    /// [`UploadTask::range_size`](crate::request::UploadTask::range_size); a wrong size fails the upload before anything is sent).
    pub fn range_size(mut self, bytes: u64) -> Self {
        self.range_size = Some(bytes);
        self
    }

    /// Calls `progress` after each range the service took, with the bytes it has so far.
    pub fn on_progress(mut self, progress: impl FnMut(UploadProgress) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    /// Lets `cancel` stop the upload and delete the session.
    pub fn cancel_with(mut self, cancel: &CancelUpload) -> Self {
        self.cancel = Some(cancel.clone());
        self
    }
}

impl<T: Json + Send + 'static> UploadSession<T> {
    /// Sends `content` (`size` bytes, from the first) through this session with the client
    /// that created it: see [`Upload`].
    pub fn upload<S, E>(&self, content: S, size: u64) -> Upload<T, S>
    where
        S: Stream<Item = Result<Bytes, E>> + Send + Unpin + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        Upload {
            client: self.client.clone(),
            session: self.clone(),
            content,
            size,
            range_size: None,
            progress: None,
            cancel: None,
        }
    }

    /// Deletes the session (`DELETE` of its upload URL, without the token): the service drops
    /// what it took.
    ///
    /// # Errors
    /// [`Error::Request`] without an upload URL or a client; the service's error.
    pub async fn delete(&self) -> Result<(), Error> {
        let client = self.client.clone().ok_or_else(no_client)?;
        let url = self
            .upload_url
            .as_deref()
            .ok_or_else(|| Error::Request("the upload session has no `uploadUrl`".to_owned()))?;
        client.delete_upload_session(url).await
    }
}

impl Client {
    /// Sends `content` (`size` bytes, from the first) through `session`, such as one made
    /// from a saved upload URL with [`UploadSession::new`]: see [`Upload`].
    pub fn upload_to_session<T, S, E>(&self, session: &UploadSession<T>, content: S, size: u64) -> Upload<T, S>
    where
        T: Json + Send + 'static,
        S: Stream<Item = Result<Bytes, E>> + Send + Unpin + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let mut session = session.clone();
        session.client = Some(self.clone());
        session.upload(content, size)
    }

    /// `DELETE` of an upload session, without the token; one already gone (`404`) is deleted.
    async fn delete_upload_session(&self, url: &str) -> Result<(), Error> {
        let request = http::Request::delete(url)
            .body(Vec::new())
            .map_err(|e| Error::Request(format!("the upload URL: {e}")))?;
        let answer = self.without_token(request).await?;
        match answer.status().as_u16() {
            200..=299 | 404 => Ok(()),
            status => Err(crate::request::Error::UnexpectedStatus {
                status,
                body: answer.body().clone(),
                retry_after: crate::request::retry_after(answer.headers()),
            }),
        }
    }
}

impl<T, S, E> IntoFuture for Upload<T, S>
where
    T: Json + Send + 'static,
    S: Stream<Item = Result<Bytes, E>> + Send + Unpin + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    type Output = Result<Created<T>, Error>;
    type IntoFuture = BoxFuture<'static, Result<Created<T>, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

impl<T, S, E> Upload<T, S>
where
    T: Json + Send + 'static,
    S: Stream<Item = Result<Bytes, E>> + Send + Unpin + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    async fn run(self) -> Result<Created<T>, Error> {
        let Upload {
            client,
            session,
            content,
            size,
            range_size,
            mut progress,
            cancel,
        } = self;
        let mut report = |received: u64| {
            if let Some(progress) = &mut progress {
                progress(UploadProgress { received, size });
            }
        };
        let client = client.ok_or_else(no_client)?;
        let mut task = session.task(size)?;
        if let Some(bytes) = range_size {
            task = task.range_size(bytes)?;
        }
        let mut source = Source::new(content);
        let cancel = cancel.unwrap_or_default();
        let mut failures = 0;
        let mut delay = client.inner.retry_delay;
        let mut status_needed = task.needs_status();
        // The most the session has said it holds, and how many ranges in a row it answered
        // without holding more: a session that keeps asking for what it was sent would
        // otherwise take the same range for ever.
        let mut most_received = 0;
        let mut stalls = 0;
        loop {
            if cancel.is_cancelled() {
                return Err(cancelled(&client, task.url()).await);
            }
            if status_needed {
                let status = client.without_token(task.status_request()?).await.and_then(|answer| task.parse_status(answer));
                match status {
                    Ok(()) => status_needed = false,
                    Err(error) => {
                        wait_or_fail(error, &mut failures, &mut delay, client.inner.max_retries).await?;
                        continue;
                    }
                }
            }
            let Some(range) = task.next_range() else {
                // Nothing expected, and no final answer yet: ask again, then give up.
                if failures >= client.inner.max_retries {
                    return Err(Error::Request("the upload session expects no more bytes but did not answer with the item".to_owned()));
                }
                failures += 1;
                status_needed = true;
                continue;
            };
            let content = source.read(range.clone()).await?;
            let request = task.range_request(range, content)?;
            let exchange = client.without_token(request);
            let answer = match future::select(Box::pin(exchange), Box::pin(cancel.cancelled())).await {
                Either::Left((answer, _)) => answer,
                Either::Right(_) => return Err(cancelled(&client, task.url()).await),
            };
            match answer.and_then(|answer| task.parse_range_response(answer)) {
                Ok(UploadStep::Continue) if task.received() > most_received => {
                    most_received = task.received();
                    stalls = 0;
                    failures = 0;
                    delay = client.inner.retry_delay;
                    report(most_received);
                }
                Ok(UploadStep::Continue) => {
                    stalls += 1;
                    if stalls > client.inner.max_retries {
                        let from = task.next_range().map_or(size, |range| range.start);
                        return Err(Error::Request(format!(
                            "the upload session took nothing more from the last {stalls} ranges it was sent (it holds {most_received} of {size} bytes at most, and asks for bytes from {from})"
                        )));
                    }
                }
                Ok(UploadStep::Done(created)) => {
                    report(size);
                    return Ok(created.into_value());
                }
                Err(error) => {
                    wait_or_fail(error, &mut failures, &mut delay, client.inner.max_retries).await?;
                    status_needed = true;
                }
            }
        }
    }
}

/// Deletes the session of a cancelled upload: the error to end with.
async fn cancelled(client: &Client, url: &str) -> Error {
    match client.delete_upload_session(url).await {
        Ok(()) => Error::Cancelled,
        Err(error) => error,
    }
}

/// Waits before trying again after `error`, when it is worth it and tries are left; else the
/// error.
async fn wait_or_fail(error: Error, failures: &mut usize, delay: &mut Duration, max_retries: usize) -> Result<(), Error> {
    let again = match &error {
        Error::Transport(_) | Error::Timeout(_) => true,
        error => matches!(error.status(), Some(416 | 429 | 500..=599)),
    };
    if !again || *failures >= max_retries {
        return Err(error);
    }
    *failures += 1;
    let wait = match error.retry_after() {
        Some(wait) if wait > MAX_RETRY_AFTER => return Err(error),
        Some(wait) => wait,
        None => {
            let wait = *delay;
            *delay = (*delay * 2).min(Duration::from_secs(60));
            wait
        }
    };
    tokio::time::sleep(wait).await;
    Ok(())
}

/// The content, read once from its first byte: the range last read is kept, to be sent again.
struct Source<S> {
    stream: S,
    /// Read from the stream, not yet taken: its first byte is at `offset`.
    pending: Bytes,
    offset: u64,
    /// The last range read, kept until the next is read.
    last: Option<(Range<u64>, Bytes)>,
}

impl<S, E> Source<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn new(stream: S) -> Self {
        Source {
            stream,
            pending: Bytes::new(),
            offset: 0,
            last: None,
        }
    }

    /// The bytes of `range`: from the range last read as far as it covers them (all of them
    /// when the range is sent again, its start when the session kept only part of it), the
    /// rest read from the stream (skipping what comes before).
    async fn read(&mut self, range: Range<u64>) -> Result<Vec<u8>, Error> {
        let length = (range.end - range.start) as usize;
        let mut content = Vec::with_capacity(length);
        if let Some((last, bytes)) = &self.last {
            if last.start <= range.start && range.start < last.end {
                let from = (range.start - last.start) as usize;
                let to = (range.end.min(last.end) - last.start) as usize;
                content.extend_from_slice(&bytes[from..to]);
                if content.len() == length {
                    return Ok(content);
                }
            }
        }
        // The next byte wanted.
        let start = range.start + content.len() as u64;
        if start < self.offset {
            return Err(Error::Request(format!(
                "the upload session asks again for bytes from {start}, which the stream has passed (it is at {}): resume with `UploadSession::new` and the content from its first byte",
                self.offset
            )));
        }
        while content.len() < length {
            if self.pending.is_empty() {
                match self.stream.next().await {
                    Some(Ok(chunk)) => self.pending = chunk,
                    Some(Err(error)) => return Err(Error::Transport(error.into())),
                    None => {
                        return Err(Error::Request(format!(
                            "the content ended at byte {}, before the {} bytes the upload was given",
                            self.offset, range.end
                        )))
                    }
                }
                continue;
            }
            if self.offset < start {
                // Bytes the session already has.
                let skip = (start - self.offset).min(self.pending.len() as u64) as usize;
                let _ = self.pending.split_to(skip);
                self.offset += skip as u64;
                continue;
            }
            let take = (length - content.len()).min(self.pending.len());
            content.extend_from_slice(&self.pending.split_to(take));
            self.offset += take as u64;
        }
        self.last = Some((range, Bytes::copy_from_slice(&content)));
        Ok(content)
    }
}

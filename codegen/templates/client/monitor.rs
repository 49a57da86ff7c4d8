//! Status monitors of asynchronous operations, polled with the client.

use std::time::Duration;

use super::{no_client, streams::timed_out, Client, Follow, MAX_RETRY_AFTER};
use crate::request::{AsyncStatus, Error, Monitor, Progress, Response, Step};

impl<T: Send + 'static> Monitor<T> {
    /// Polls the status monitor once (needs a monitor from the client: [`Client::start`]). The
    /// monitor gets the client's token only when it is on a trusted origin (the base URL's or
    /// an allowed host); elsewhere (Microsoft Graph's monitors are pre-authenticated URLs on
    /// other hosts) it gets none, and only over `https` (or the base URL's scheme).
    ///
    /// # Errors
    /// As [`Monitor::parse_status`]; the transport's.
    pub async fn poll(&self) -> Result<Progress<T>, Error> {
        let client = self.client.clone().ok_or_else(no_client)?;
        let answer = client.get_elsewhere(self.status_request()?, Follow::None).await?;
        self.parse_status(answer)
    }

    /// Polls the status monitor until the operation is done, waiting what each answer's
    /// `Retry-After` asks between polls (else 1 s, doubling up to 30 s), for at most
    /// [`ClientBuilder::max_async_wait`](super::ClientBuilder::max_async_wait). A job that completed elsewhere
    /// ([`AsyncStatus::resource_location`]) is read from there.
    ///
    /// # Errors
    /// As [`Monitor::poll`]; [`Error::Timeout`] past the client's longest wait.
    pub async fn wait(&self) -> Result<Response<T>, Error> {
        let client = self.client.clone().ok_or_else(no_client)?;
        let started = tokio::time::Instant::now();
        let mut wait = self.retry_after();
        let mut backoff = Duration::from_secs(1);
        loop {
            let pause = wait.unwrap_or(backoff).min(MAX_RETRY_AFTER);
            if started.elapsed() + pause > client.inner.max_async_wait {
                return Err(timed_out("the asynchronous operation was not done within the client's longest wait (`ClientBuilder::max_async_wait`)"));
            }
            tokio::time::sleep(pause).await;
            backoff = (backoff * 2).min(Duration::from_secs(30));
            match self.poll().await? {
                Progress::Running(status) => wait = status.retry_after,
                Progress::Done(response) => return Ok(response),
                Progress::Completed(status) => return self.completed(&client, status).await,
            }
        }
    }

    async fn completed(&self, client: &Client, status: AsyncStatus) -> Result<Response<T>, Error> {
        match &status.resource_location {
            Some(location) => {
                let read = self.result(location);
                let answer = client.get_elsewhere(read.http_request(&client.inner.base_url)?, Follow::Redirects).await?;
                match read.parse_step(answer)? {
                    Step::Done(response) => Ok(response.with_async_status(status.clone())),
                    Step::Accepted(_) => Err(Error::Request(format!("the result at `{location}` is itself asynchronous"))),
                }
            }
            None => self.completed_without_content(&status),
        }
    }
}

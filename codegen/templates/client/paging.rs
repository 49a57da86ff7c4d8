//! Paging: every page of a collection, following next links, and the changes of a delta round.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use crate::support::Json;

use super::{no_client, Client};
use crate::request::{Change, Error, Operation, Page};

impl Client {
    /// Every page of a list, following `@odata.nextLink`. The stream is boxed, so it is
    /// `Unpin`: `while let Some(page) = pages.try_next().await?` needs no pinning.
    pub fn stream_pages<T>(&self, first: Operation<Page<T>>) -> BoxStream<'static, Result<Page<T>, Error>>
    where
        T: Json + Send + 'static,
    {
        let client = self.clone();
        let max_pages = self.inner.max_pages;
        // The URLs already read: a link back to one of them would never end.
        let seen = std::collections::HashSet::new();
        stream::try_unfold((Some(first), seen), move |(next, mut seen)| {
            let client = client.clone();
            async move {
                let Some(operation) = next else {
                    return Ok(None);
                };
                // Resolved against the base URL once, so each next link resolves at once.
                let operation = operation.anchored(&client.inner.base_url)?;
                let url = operation.url(&client.inner.base_url)?;
                if !seen.insert(url.clone()) {
                    return Err(Error::Request(format!(
                        "the service links back to a page already read (`{url}`): paging would never end"
                    )));
                }
                if seen.len() > max_pages {
                    return Err(Error::Request(format!(
                        "more than {max_pages} pages (`ClientBuilder::max_pages`)"
                    )));
                }
                let page = client.send(operation.clone()).await?;
                let following = operation.next_page(&page);
                Ok(Some((page, (following, seen))))
            }
        })
        .boxed()
    }

    /// Every item of a list, across all its pages (boxed, so `Unpin`).
    pub fn stream_items<T>(&self, first: Operation<Page<T>>) -> BoxStream<'static, Result<T, Error>>
    where
        T: Json + Send + 'static,
    {
        self.stream_pages(first)
            .map_ok(|page| stream::iter(page.value.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// Every entry of a change-tracking round (a `delta` function, or a list with
    /// `Prefer: odata.track-changes`) across all its pages, entities and removals in the order
    /// the service sent them; once the stream has ended, [`Changes::delta_url`] is where the
    /// next round starts.
    pub fn stream_changes<T>(&self, first: Operation<Page<T>>) -> Changes<T>
    where
        T: Json + Send + 'static,
    {
        let delta_url = Arc::new(Mutex::new(None));
        let seen = delta_url.clone();
        let changes = self
            .stream_pages(first)
            .map_ok(move |page| {
                if let Some(url) = page.delta_url() {
                    *seen.lock().unwrap_or_else(PoisonError::into_inner) = Some(url);
                }
                stream::iter(page.into_changes().into_iter().map(Ok))
            })
            .try_flatten()
            .boxed();
        Changes { changes, delta_url }
    }
}

/// The entries of a change-tracking round ([`Operation::changes`]): a [`Stream`] of
/// [`Change`]s (boxed, so `Unpin`), entities added or changed and entities removed, in the
/// order the service sent them, across every page; then, after the last page,
/// [`Changes::delta_url`].
pub struct Changes<T> {
    changes: BoxStream<'static, Result<Change<T>, Error>>,
    delta_url: Arc<Mutex<Option<String>>>,
}

impl<T> std::fmt::Debug for Changes<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Changes").field("delta_url", &self.delta_url()).finish_non_exhaustive()
    }
}

impl<T> Changes<T> {
    /// The delta link of the round's last page, as an absolute URL (JSON Format 4.01
    /// §4.5.6): `None` until that page was read. Save it, and read the changes since with
    /// [`Operation::with_url`] on the same operation.
    pub fn delta_url(&self) -> Option<String> {
        self.delta_url.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl<T> Stream for Changes<T> {
    type Item = Result<Change<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.changes.as_mut().poll_next(cx)
    }
}

impl<T: Json + Send + 'static> Operation<Page<T>> {
    /// Every item of the list across all pages (needs an operation made from a client); in a
    /// change-tracking round, the entities added or changed, without the removals
    /// ([`Operation::changes`] gives both).
    pub fn items(self) -> BoxStream<'static, Result<T, Error>> {
        match self.client.clone() {
            Some(client) => client.stream_items(self),
            None => stream::once(async { Err(no_client()) }).boxed(),
        }
    }

    /// Every page of the list (needs an operation made from a client).
    pub fn pages(self) -> BoxStream<'static, Result<Page<T>, Error>> {
        match self.client.clone() {
            Some(client) => client.stream_pages(self),
            None => stream::once(async { Err(no_client()) }).boxed(),
        }
    }

    /// Every entry of a change-tracking round across all pages, removals included (see
    /// [`Client::stream_changes`]; needs an operation made from a client). Items of other
    /// lists are all [`Change::Changed`].
    pub fn changes(self) -> Changes<T> {
        match self.client.clone() {
            Some(client) => client.stream_changes(self),
            None => Changes {
                changes: stream::once(async { Err(no_client()) }).boxed(),
                delta_url: Arc::new(Mutex::new(None)),
            },
        }
    }
}

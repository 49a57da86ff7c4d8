//! What a generated crate that depends on this one builds its client with.
//!
//! Such a crate has a `Client` of its own, which wraps [`client::Client`] (and derefs to it) to
//! add the service's requests as methods (`client.users()`): methods on a type of this crate
//! could not be added there. Its `Client::builder()` is a [`ClientBuilder`] of that `Client`,
//! which starts from the crate's `SERVICE_ROOT` and takes the options of
//! [`client::ClientBuilder`], so that code written for a vendored crate reads the same.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use crate::client::{self, TokenProvider};
use crate::request::Error;

/// Configures a client `C`: a generated crate's `Client`, made from a [`client::Client`].
/// Each option is [`client::ClientBuilder`]'s of the same name.
pub struct ClientBuilder<C> {
    inner: client::ClientBuilder,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<C> ClientBuilder<C> {
    /// A builder whose base URL is `default_base_url` until [`ClientBuilder::base_url`] says
    /// otherwise (a generated crate passes its `SERVICE_ROOT`; with `None`,
    /// [`ClientBuilder::build`] asks for a base URL), with no token and the default timeouts
    /// and limits.
    pub fn new(default_base_url: Option<&str>) -> Self {
        let inner = client::Client::builder();
        ClientBuilder {
            inner: match default_base_url {
                Some(url) => inner.base_url(url),
                None => inner,
            },
            client: PhantomData,
        }
    }

    fn with(self, option: impl FnOnce(client::ClientBuilder) -> client::ClientBuilder) -> Self {
        ClientBuilder {
            inner: option(self.inner),
            client: PhantomData,
        }
    }

    /// The service root: see [`client::ClientBuilder::base_url`].
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.with(|b| b.base_url(url))
    }

    /// Other hosts requests may go to: see [`client::ClientBuilder::allowed_hosts`].
    pub fn allowed_hosts<I, S>(self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.with(|b| b.allowed_hosts(hosts))
    }

    /// See [`client::ClientBuilder::max_response_bytes`].
    pub fn max_response_bytes(self, limit: u64) -> Self {
        self.with(|b| b.max_response_bytes(limit))
    }

    /// See [`client::ClientBuilder::max_retries`].
    pub fn max_retries(self, retries: usize) -> Self {
        self.with(|b| b.max_retries(retries))
    }

    /// See [`client::ClientBuilder::retry_delay`].
    pub fn retry_delay(self, delay: Duration) -> Self {
        self.with(|b| b.retry_delay(delay))
    }

    /// See [`client::ClientBuilder::max_async_wait`].
    pub fn max_async_wait(self, wait: Duration) -> Self {
        self.with(|b| b.max_async_wait(wait))
    }

    /// See [`client::ClientBuilder::max_pages`].
    pub fn max_pages(self, pages: usize) -> Self {
        self.with(|b| b.max_pages(pages))
    }

    /// Where bearer tokens come from: see [`client::ClientBuilder::token_provider`].
    pub fn token_provider(self, provider: impl TokenProvider + 'static) -> Self {
        self.with(|b| b.token_provider(provider))
    }

    /// One fixed bearer token.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.with(|b| b.bearer_token(token))
    }

    /// Tokens from an Azure SDK credential: see [`client::ClientBuilder::azure_credential`].
    #[cfg(feature = "azure-identity")]
    pub fn azure_credential(
        self,
        credential: std::sync::Arc<dyn azure_core::credentials::TokenCredential>,
    ) -> Self {
        self.with(|b| b.azure_credential(credential))
    }

    /// See [`client::ClientBuilder::timeout`].
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|b| b.timeout(timeout))
    }

    /// See [`client::ClientBuilder::read_timeout`].
    pub fn read_timeout(self, timeout: Duration) -> Self {
        self.with(|b| b.read_timeout(timeout))
    }

    /// See [`client::ClientBuilder::connect_timeout`].
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        self.with(|b| b.connect_timeout(timeout))
    }

    /// The `User-Agent` header.
    pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
        self.with(|b| b.user_agent(user_agent))
    }

    /// The client.
    ///
    /// # Errors
    /// As [`client::ClientBuilder::build`]'s.
    pub fn build(self) -> Result<C, Error>
    where
        C: From<client::Client>,
    {
        self.inner.build().map(C::from)
    }
}

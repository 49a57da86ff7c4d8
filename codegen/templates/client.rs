//! A ready client on reqwest (rustls, no OpenSSL): base URL, bearer tokens, timeouts, user
//! agent, and paging. Operations from a client's request builders can be awaited directly:
//! `client.some_entity_set().list().await?`.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use crate::request::{Error, Operation, Page};

/// The base URL used when none is given: the service root the generator knew (see
/// `crate::SERVICE_ROOT`). Without one, [`ClientBuilder::build`] asks for
/// [`ClientBuilder::base_url`], so that no token goes to a host the user did not name.
pub const DEFAULT_BASE_URL: Option<&str> = crate::SERVICE_ROOT;

/// A boxed future, as token providers return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Gives the bearer token for each request (and may refresh it).
pub trait TokenProvider: Send + Sync {
    /// The token, without the `Bearer ` prefix.
    fn token(&self) -> BoxFuture<'_, Result<String, Error>>;
}

/// A token that never changes.
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    /// A provider that always gives `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(..)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<String, Error>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Sends operations. Cloning is cheap: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    token: Option<Arc<dyn TokenProvider>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("authenticated", &self.inner.token.is_some())
            .finish()
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<Arc<dyn TokenProvider>>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The service root, such as `https://graph.microsoft.com/v1.0` (default: [`DEFAULT_BASE_URL`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Where bearer tokens come from.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// One fixed bearer token.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// How long a whole request may take (default: no limit).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long connecting may take (default: no limit).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The client.
    ///
    /// # Errors
    /// [`Error::Request`] without a base URL (none given and no [`DEFAULT_BASE_URL`]);
    /// [`Error::Transport`] when the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let Some(base_url) = self.base_url else {
            return Err(Error::Request(
                "no base URL: the metadata names no service root, so call `ClientBuilder::base_url`".to_owned(),
            ));
        };
        let mut http = reqwest::Client::builder().user_agent(self.user_agent);
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            http = http.connect_timeout(timeout);
        }
        let http = http.build().map_err(|e| Error::Transport(Box::new(e)))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                token: self.token,
            }),
        })
    }
}

impl Client {
    /// A builder with the default base URL, no token, no timeouts.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.map(str::to_owned),
            token: None,
            timeout: None,
            connect_timeout: None,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    /// The service root requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends an operation and reads its answer.
    pub async fn send<T>(&self, operation: Operation<T>) -> Result<T, Error> {
        let request = operation.http_request(&self.inner.base_url)?;
        let response = self.execute(request).await?;
        operation.parse_response(response)
    }

    /// Sends a request built by an [`Operation`] (or by hand) with this client's token.
    pub async fn execute(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        let mut request = reqwest::Request::try_from(request).map_err(|e| Error::Request(e.to_string()))?;
        if let Some(provider) = &self.inner.token {
            let token = provider.token().await?;
            let value = http::HeaderValue::try_from(format!("Bearer {token}"))
                .map_err(|_| Error::Request("the token is not a valid header value".to_owned()))?;
            request.headers_mut().insert(http::header::AUTHORIZATION, value);
        }
        let response = self.inner.http.execute(request).await.map_err(|e| Error::Transport(Box::new(e)))?;
        let mut builder = http::Response::builder().status(response.status().as_u16());
        if let Some(headers) = builder.headers_mut() {
            for (name, value) in response.headers() {
                headers.append(name.as_str().parse::<http::HeaderName>().map_err(|e| Error::Transport(Box::new(e)))?, http::HeaderValue::from_bytes(value.as_bytes()).map_err(|e| Error::Transport(Box::new(e)))?);
            }
        }
        let body = response.bytes().await.map_err(|e| Error::Transport(Box::new(e)))?;
        builder.body(body.to_vec()).map_err(|e| Error::Transport(Box::new(e)))
    }

    /// Every page of a list, following `@odata.nextLink`.
    pub fn stream_pages<T>(&self, first: Operation<Page<T>>) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        let client = self.clone();
        stream::try_unfold(Some(first), move |next| {
            let client = client.clone();
            async move {
                let Some(operation) = next else {
                    return Ok(None);
                };
                let page = client.send(operation.clone()).await?;
                let following = operation.next_page(&page);
                Ok(Some((page, following)))
            }
        })
    }

    /// Every item of a list, across all its pages.
    pub fn stream_items<T>(&self, first: Operation<Page<T>>) -> impl Stream<Item = Result<T, Error>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.stream_pages(first)
            .map_ok(|page| stream::iter(page.value.into_iter().map(Ok)))
            .try_flatten()
    }
}

fn no_client() -> Error {
    Error::Request("this operation was not made from a client: send it with `Client::send`".to_owned())
}

impl<T: Send + 'static> IntoFuture for Operation<T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'static, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let client = self.client.clone().ok_or_else(no_client)?;
            client.send(self).await
        })
    }
}

impl<T: DeserializeOwned + Send + 'static> Operation<Page<T>> {
    /// Every item of the list across all pages (needs an operation made from a client).
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        match self.client.clone() {
            Some(client) => client.stream_items(self).left_stream(),
            None => stream::once(async { Err(no_client()) }).right_stream(),
        }
    }

    /// Every page of the list (needs an operation made from a client).
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static {
        match self.client.clone() {
            Some(client) => client.stream_pages(self).left_stream(),
            None => stream::once(async { Err(no_client()) }).right_stream(),
        }
    }
}

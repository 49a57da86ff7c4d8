use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// The chunks of a [`ByteStream`] and of an upload.
pub use bytes::Bytes;

use crate::request::{Error, Operation, Step};

mod monitor;
mod paging;
mod streams;
mod upload;

pub use paging::Changes;
pub use streams::ByteStream;
pub use upload::{CancelUpload, Upload, UploadProgress};

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

/// The Azure SDK's credential crates (feature `azure-identity`), for
/// [`ClientBuilder::azure_credential`]: no need to add them to your own manifest.
#[cfg(feature = "azure-identity")]
pub use {azure_core, azure_identity};

/// Tokens from an Azure SDK credential (feature `azure-identity`): any
/// [`TokenCredential`](azure_core::credentials::TokenCredential) of `azure_identity` (client
/// secret, managed identity, workload identity, the Azure CLI, ...), asked for the given
/// scopes. The credential caches and refreshes its tokens.
#[cfg(feature = "azure-identity")]
#[derive(Clone, Debug)]
pub struct AzureCredential {
    credential: Arc<dyn azure_core::credentials::TokenCredential>,
    scopes: Vec<String>,
}

#[cfg(feature = "azure-identity")]
impl AzureCredential {
    /// A provider asking `credential` for tokens for `scopes` (for Microsoft Graph,
    /// `https://graph.microsoft.com/.default`).
    pub fn new<I, S>(credential: Arc<dyn azure_core::credentials::TokenCredential>, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AzureCredential {
            credential,
            scopes: scopes.into_iter().map(Into::into).collect(),
        }
    }
}

#[cfg(feature = "azure-identity")]
impl TokenProvider for AzureCredential {
    fn token(&self) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin(async move {
            let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
            let token = self
                .credential
                .get_token(&scopes, None)
                .await
                .map_err(|e| Error::Credential(Box::new(e)))?;
            Ok(token.token.secret().to_owned())
        })
    }
}

/// Sends operations. Cloning is cheap: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// For reads (GET, HEAD): follows redirects anywhere, without the token off its host.
    http: reqwest::Client,
    /// For requests with a body: follows redirects only within the trusted origins.
    http_writes: reqwest::Client,
    /// For status monitors: follows no redirect, so that a `303 See Other` to the result is
    /// read as the monitor's answer and the result is then read with the token it needs.
    http_monitors: reqwest::Client,
    base_url: String,
    /// Where requests (and so credentials) may go: the base URL's origin and the allowed hosts.
    trusted: Trusted,
    /// The overall limit of requests whose answer is read whole, and of the wait for a
    /// stream's headers.
    timeout: Option<Duration>,
    /// How long a stream may make no progress.
    read_timeout: Option<Duration>,
    token: Option<Arc<dyn TokenProvider>>,
    max_pages: usize,
    max_response_bytes: u64,
    max_retries: usize,
    retry_delay: Duration,
    max_async_wait: Duration,
}

/// The origins a client sends requests to: the base URL's (scheme, host, port), and the hosts
/// the user allowed (any port, the base URL's scheme). Kiota's Graph authentication providers
/// keep the same kind of allowed-hosts list.
#[derive(Clone, Debug)]
struct Trusted {
    origin: url::Origin,
    scheme: String,
    hosts: Vec<String>,
}

impl Trusted {
    /// Origins no URL has: a redirect policy that follows none.
    fn nowhere() -> Self {
        Trusted {
            origin: url::Origin::new_opaque(),
            scheme: String::new(),
            hosts: Vec::new(),
        }
    }

    fn allows(&self, url: &url::Url) -> bool {
        url.origin() == self.origin
            || (url.scheme() == self.scheme
                && url
                    .host_str()
                    .is_some_and(|host| self.hosts.iter().any(|h| *h == comparable_host(host))))
    }
}

/// A host name as hosts are compared: lower case, without a trailing dot.
fn comparable_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// An allowed host as URLs spell it (IDNA to ASCII, as `url` does): a bare host name or IP
/// address, without scheme, port or path.
fn allowed_host(entry: &str) -> Result<String, Error> {
    let refuse = |why: &str| {
        Error::Request(format!(
            "`{entry}` is not a host for `ClientBuilder::allowed_hosts`: {why} (give the host alone, such as `graph.microsoft.us`)"
        ))
    };
    if let Ok(address) = entry.parse::<std::net::Ipv6Addr>() {
        return Ok(format!("[{address}]"));
    }
    if entry.contains("://") || entry.contains('/') {
        return Err(refuse("it has a scheme or a path"));
    }
    if entry.contains('*') {
        return Err(refuse("wildcards are not supported; list each host"));
    }
    if !entry.starts_with('[') && entry.contains(':') {
        return Err(refuse("it has a port (any port of an allowed host is allowed)"));
    }
    match url::Host::parse(entry.trim_end_matches('.')) {
        Ok(url::Host::Domain(domain)) if !domain.is_empty() => Ok(comparable_host(&domain)),
        Ok(url::Host::Domain(_)) => Err(refuse("it is empty")),
        Ok(url::Host::Ipv4(address)) => Ok(address.to_string()),
        Ok(url::Host::Ipv6(address)) => Ok(format!("[{address}]")),
        Err(e) => Err(refuse(&e.to_string())),
    }
}

/// How long connecting may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole exchange may take by default (as .NET's `HttpClient` and Kiota's clients).
/// Streams ([`Client::download`], [`Client::upload`]) have no overall limit: a large file takes
/// as long as it takes, bounded by [`DEFAULT_READ_TIMEOUT`] between reads.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
/// How long a stream may make no progress by default: the wait for the next chunk of a
/// download, or for the service to take the next chunk of an upload. What ends a stalled one.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer read by default: 256 MiB (a JSON page is far smaller; large streams want
/// a larger limit or none, `ClientBuilder::max_response_bytes`).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 << 20;

/// How often a throttled or unavailable answer (429, 503; 504 for a request that may be
/// repeated: not `POST` or `PATCH`) is retried by default, as
/// Kiota's retry handler does.
pub const DEFAULT_MAX_RETRIES: usize = 3;
/// The first wait before a retry without `Retry-After`; it doubles (with jitter) each time.
pub const DEFAULT_RETRY_DELAY: Duration = Duration::from_secs(1);
/// The longest wait a `Retry-After` may ask for; a longer one is not waited for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(180);

/// How long [`Monitor::wait`](crate::request::Monitor::wait) polls an asynchronous operation by default: 30 minutes.
pub const DEFAULT_MAX_ASYNC_WAIT: Duration = Duration::from_secs(30 * 60);

/// The most pages [`Client::stream_pages`] follows by default.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

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
    allowed_hosts: Vec<String>,
    max_pages: usize,
    max_response_bytes: u64,
    max_retries: usize,
    retry_delay: Duration,
    max_async_wait: Duration,
    token: Option<Arc<dyn TokenProvider>>,
    #[cfg(feature = "azure-identity")]
    azure: Option<Arc<dyn azure_core::credentials::TokenCredential>>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
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

    /// Hosts besides the base URL's that requests (and the bearer token) may go to, with the
    /// base URL's scheme and any port: a next link to any other origin is an error, and
    /// nothing is sent there.
    pub fn allowed_hosts<I, S>(mut self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allowed_hosts.extend(hosts.into_iter().map(Into::into));
        self
    }

    /// The largest answer body read, in bytes (default [`DEFAULT_MAX_RESPONSE_BYTES`]); a larger
    /// one is [`Error::ResponseTooLarge`], read no further.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// How often a 429, 503 or 504 answer is retried (default [`DEFAULT_MAX_RETRIES`]; 0
    /// turns retries off). The wait is the answer's `Retry-After` (seconds or a date, up to
    /// [`MAX_RETRY_AFTER`]), else exponential from `retry_delay` with jitter.
    pub fn max_retries(mut self, retries: usize) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first wait of the exponential backoff (default [`DEFAULT_RETRY_DELAY`]).
    pub fn retry_delay(mut self, delay: Duration) -> Self {
        self.retry_delay = delay;
        self
    }

    /// How long an asynchronous operation (`202 Accepted` with a status monitor) is polled
    /// before [`Client::send`] gives up with [`Error::Timeout`] (default
    /// [`DEFAULT_MAX_ASYNC_WAIT`]).
    pub fn max_async_wait(mut self, wait: Duration) -> Self {
        self.max_async_wait = wait;
        self
    }

    /// The most pages paging follows (default [`DEFAULT_MAX_PAGES`]); more is an error.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
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

    /// Bearer tokens from an Azure SDK credential (feature `azure-identity`), for the base
    /// URL's `.default` scope (`https://graph.microsoft.com/.default` for Microsoft Graph), as
    /// Kiota's Azure identity provider asks: for example
    /// `.azure_credential(ManagedIdentityCredential::new(None)?)`. For other scopes, pass an
    /// [`AzureCredential`] to [`ClientBuilder::token_provider`].
    #[cfg(feature = "azure-identity")]
    pub fn azure_credential(mut self, credential: Arc<dyn azure_core::credentials::TokenCredential>) -> Self {
        self.azure = Some(credential);
        self
    }

    /// How long a whole request may take (default [`DEFAULT_TIMEOUT`]); streams have no
    /// overall limit, only [`ClientBuilder::read_timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long a stream ([`Client::download`], [`Client::upload`]) may make no progress
    /// (default [`DEFAULT_READ_TIMEOUT`]); the wait for the answer's headers is bounded by
    /// [`ClientBuilder::timeout`].
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// How long connecting may take (default [`DEFAULT_CONNECT_TIMEOUT`]).
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
    /// [`Error::Request`] without a base URL (none given and no [`DEFAULT_BASE_URL`]), for a
    /// base URL that is not an absolute `http` or `https` URL, or an allowed host that is not
    /// a host name or address; [`Error::Transport`] when the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let Some(base_url) = self.base_url else {
            return Err(Error::Request(
                "no base URL: the metadata names no service root, so call `ClientBuilder::base_url`".to_owned(),
            ));
        };
        let base = url::Url::parse(&base_url)
            .map_err(|e| Error::Request(format!("the base URL `{base_url}` is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.host().is_none() {
            return Err(Error::Request(format!("the base URL `{base_url}` is not an http or https URL")));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::Request(format!(
                "the base URL `{base_url}` has a query or a fragment: paths are added after it, so give the service root alone"
            )));
        }
        // As `url` writes it (percent-encoded), so that every request URL is valid.
        let base_url = base.as_str().trim_end_matches('/').to_owned();
        let hosts = self.allowed_hosts.iter().map(|h| allowed_host(h)).collect::<Result<Vec<_>, _>>()?;
        #[cfg(feature = "azure-identity")]
        let token = match self.azure {
            Some(credential) => {
                let scope = format!("{}/.default", base.origin().ascii_serialization());
                Some(Arc::new(AzureCredential::new(credential, [scope])) as Arc<dyn TokenProvider>)
            }
            None => self.token,
        };
        #[cfg(not(feature = "azure-identity"))]
        let token = self.token;
        let trusted = Trusted {
            origin: base.origin(),
            scheme: base.scheme().to_owned(),
            hosts,
        };
        // Redirects of reads (GET, HEAD) are followed anywhere (at most 10), as Kiota's redirect
        // handler does: Graph sends downloads to pre-authenticated storage. reqwest drops
        // `Authorization` when a redirect changes host or port. Other methods keep their body
        // through a 307 or 308, so they follow redirects only within the trusted origins. No
        // redirect from https to http is followed: on the same host it would keep the token.
        let http = http_client(&self.user_agent, self.connect_timeout, None)?;
        let http_writes = http_client(&self.user_agent, self.connect_timeout, Some(trusted.clone()))?;
        let http_monitors = http_client(&self.user_agent, self.connect_timeout, Some(Trusted::nowhere()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                http_writes,
                http_monitors,
                base_url,
                trusted,
                timeout: self.timeout,
                read_timeout: self.read_timeout,
                token,
                max_pages: self.max_pages,
                max_response_bytes: self.max_response_bytes,
                max_retries: self.max_retries,
                retry_delay: self.retry_delay,
                max_async_wait: self.max_async_wait,
            }),
        })
    }
}

impl Client {
    /// A builder with the default base URL, no token, and the default timeouts and limits.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.map(str::to_owned),
            allowed_hosts: Vec::new(),
            max_pages: DEFAULT_MAX_PAGES,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_delay: DEFAULT_RETRY_DELAY,
            max_async_wait: DEFAULT_MAX_ASYNC_WAIT,
            token: None,
            #[cfg(feature = "azure-identity")]
            azure: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            read_timeout: Some(DEFAULT_READ_TIMEOUT),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    /// The service root requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends an operation and reads its answer, retrying throttled and unavailable answers
    /// (429, 503; 504 for methods that may be repeated) as [`ClientBuilder::max_retries`] says. An asynchronous answer (`202
    /// Accepted` with a status monitor, OData 4.01 Part 1 §11.6) is polled until the operation
    /// is done (see [`Monitor::wait`](crate::request::Monitor::wait)), so the output is the final one; [`Client::start`]
    /// gives the monitor instead.
    ///
    /// # Errors
    /// The operation's error for its last answer, or the transport's.
    pub async fn send<T: Send + 'static>(&self, operation: Operation<T>) -> Result<T, Error> {
        match self.start(operation).await? {
            Step::Done(response) => Ok(response.into_value()),
            Step::Accepted(monitor) => Ok(monitor.wait().await?.into_value()),
        }
    }

    /// Sends an operation and reads its first answer: [`Step::Done`] with the output, or
    /// [`Step::Accepted`] with the status monitor of an asynchronous answer, to poll when and
    /// as the caller likes ([`Monitor::poll`](crate::request::Monitor::poll), [`Monitor::wait`](crate::request::Monitor::wait)).
    ///
    /// # Errors
    /// As [`Client::send`].
    pub async fn start<T>(&self, operation: Operation<T>) -> Result<Step<T>, Error> {
        let response = self.respond_with_retries(&operation, Read::Whole).await?;
        let mut step = operation.parse_step(self.read_whole(response).await?)?;
        if let Step::Accepted(monitor) = &mut step {
            monitor.client = Some(self.clone());
        }
        Ok(step)
    }

    /// Sends a JSON batch ([`Batch`](crate::request::Batch)) as one `POST $batch`, retried as
    /// [`Client::send`] retries; read each operation's result from the answer with
    /// [`BatchResponse::get`](crate::request::BatchResponse::get).
    ///
    /// # Errors
    /// [`Error::Request`] for an empty batch; the batch request's own error (the answers to
    /// its requests are read one by one).
    pub async fn batch(&self, batch: &crate::request::Batch) -> Result<crate::request::BatchResponse, Error> {
        self.send(batch.operation()?).await
    }

    /// Sends requests of any number ([`Batches`](crate::request::Batches)) as JSON batches of
    /// at most its limit (20 for Microsoft Graph), one after the other, each retried as
    /// [`Client::send`] retries; the answers of all of them are one
    /// [`BatchResponse`](crate::request::BatchResponse), in the order the requests were added.
    ///
    /// # Errors
    /// As [`Batches::split`](crate::request::Batches::split); the first batch request that
    /// fails as a whole (the batches before it were sent: their requests ran).
    pub async fn batches(&self, batches: &crate::request::Batches) -> Result<crate::request::BatchResponse, Error> {
        let mut answers = Vec::new();
        for operation in batches.operations()? {
            answers.push(self.send(operation).await?);
        }
        Ok(batches.merge(answers))
    }

    /// Sends a request built by an [`Operation`] (or by hand) with this client's token, and
    /// reads the whole answer (up to [`ClientBuilder::max_response_bytes`]).
    ///
    /// # Errors
    /// [`Error::Request`] for a URL outside the base URL's origin and the allowed hosts
    /// (nothing is sent); [`Error::Transport`] when the exchange fails;
    /// [`Error::ResponseTooLarge`] for an answer over the limit.
    pub async fn execute(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        let request = self.authorized(request, Read::Whole).await?;
        let response = self.http_for(&request).execute(request).await.map_err(transport)?;
        self.read_whole(response).await
    }

    /// The reqwest client for `request`: reads follow redirects anywhere, the rest within the
    /// trusted origins.
    fn http_for(&self, request: &reqwest::Request) -> &reqwest::Client {
        match *request.method() {
            http::Method::GET | http::Method::HEAD => &self.inner.http,
            _ => &self.inner.http_writes,
        }
    }

    /// The request as reqwest's, refused unless it goes to a trusted origin, with the token,
    /// and the overall timeout unless its body or answer is a stream.
    async fn authorized(&self, request: http::Request<Vec<u8>>, read: Read) -> Result<reqwest::Request, Error> {
        let mut request = reqwest::Request::try_from(request).map_err(|e| Error::Request(e.to_string()))?;
        if read == Read::Whole {
            *request.timeout_mut() = self.inner.timeout;
        }
        if !self.inner.trusted.allows(request.url()) {
            return Err(Error::Request(format!(
                "refusing to send a request to {}: credentials go only to the base URL's origin ({}) and the allowed hosts (`ClientBuilder::allowed_hosts`)",
                request.url().origin().ascii_serialization(),
                self.inner.trusted.origin.ascii_serialization()
            )));
        }
        if let Some(provider) = &self.inner.token {
            let token = provider.token().await?;
            let value = http::HeaderValue::try_from(format!("Bearer {token}"))
                .map_err(|_| Error::Request("the token is not a valid header value".to_owned()))?;
            request.headers_mut().insert(http::header::AUTHORIZATION, value);
        }
        Ok(request)
    }

    /// The answer to `operation`, its body unread, after retrying throttled and unavailable
    /// answers (429, 503; a gateway timeout, 504, only for a method that may be repeated: a
    /// `POST` or `PATCH` may have been done): the service's `Retry-After` wins, else exponential backoff with
    /// jitter. The last such answer is returned when no retry is left.
    async fn respond_with_retries<T>(&self, operation: &Operation<T>, read: Read) -> Result<reqwest::Response, Error> {
        use backon::Retryable;
        let attempt = || async {
            let request = operation.http_request(&self.inner.base_url).map_err(Try::Failed)?;
            let request = self.authorized(request, read).await.map_err(Try::Failed)?;
            let exchange = self.http_for(&request).execute(request);
            let response = match (read, self.inner.timeout) {
                // A stream's headers get the overall timeout; its body, the read timeout.
                (Read::Streamed, Some(limit)) => tokio::time::timeout(limit, exchange)
                    .await
                    .map_err(|_| Try::Failed(streams::timed_out("no answer within the client's timeout")))?,
                _ => exchange.await,
            };
            let response = response.map_err(|e| Try::Failed(transport(e)))?;
            match response.status().as_u16() {
                429 | 503 => Err(Try::Again(response)),
                // A gateway timeout says nothing of whether the service did the work: only a
                // request that may be repeated is sent again (RFC 9110 §9.2.2).
                504 if operation.method().is_idempotent() => Err(Try::Again(response)),
                _ => Ok(response),
            }
        };
        let backoff = backon::ExponentialBuilder::default()
            .with_min_delay(self.inner.retry_delay)
            .with_max_delay(Duration::from_secs(60))
            .with_max_times(self.inner.max_retries)
            .with_jitter();
        let response = attempt
            .retry(backoff)
            .when(|tried| matches!(tried, Try::Again(_)))
            .adjust(|tried, planned| match (tried, planned) {
                // The service's own wait wins; one longer than the bound is not waited for.
                (Try::Again(response), Some(planned)) => {
                    match crate::request::retry_after(response.headers()) {
                        Some(wait) if wait > MAX_RETRY_AFTER => None,
                        Some(wait) => Some(wait),
                        None => Some(planned),
                    }
                }
                _ => planned,
            })
            .await;
        match response {
            Ok(response) | Err(Try::Again(response)) => Ok(response),
            Err(Try::Failed(error)) => Err(error),
        }
    }

    /// The whole answer as an `http` response, read chunk by chunk so that one over
    /// [`ClientBuilder::max_response_bytes`] is never held whole.
    async fn read_whole(&self, mut response: reqwest::Response) -> Result<http::Response<Vec<u8>>, Error> {
        // reqwest's status and headers are the `http` crate's: taken as they are.
        let mut builder = http::Response::builder().status(response.status());
        if let Some(headers) = builder.headers_mut() {
            *headers = response.headers().clone();
        }
        if let Some(headers) = builder.extensions_mut() {
            headers.insert(crate::request::RequestUrl(response.url().to_string()));
            headers.insert(self.clone());
        }
        let limit = self.inner.max_response_bytes;
        if response.content_length().is_some_and(|length| length > limit) {
            return Err(Error::ResponseTooLarge { limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(Error::ResponseTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        builder.body(body).map_err(|e| Error::Transport(Box::new(e)))
    }

    /// A `GET` to a URL an answer handed out that may be on another origin (a status
    /// monitor, a result): with the token on trusted origins, without it elsewhere, never over
    /// plain `http` from an `https` service. Retried as [`Client::send`] retries.
    async fn get_elsewhere(&self, request: http::Request<Vec<u8>>, follow: Follow) -> Result<http::Response<Vec<u8>>, Error> {
        let url = url::Url::parse(&request.uri().to_string())
            .map_err(|e| Error::Request(format!("`{}` is not a URL: {e}", request.uri())))?;
        let http = match follow {
            Follow::Redirects => &self.inner.http,
            Follow::None => &self.inner.http_monitors,
        };
        let request = if self.inner.trusted.allows(&url) {
            self.authorized(request, Read::Whole).await?
        } else if url.scheme() != "https" && url.scheme() != self.inner.trusted.scheme {
            return Err(Error::Request(format!("refusing to follow `{url}`: not https")));
        } else {
            let mut request = reqwest::Request::try_from(request).map_err(|e| Error::Request(e.to_string()))?;
            *request.timeout_mut() = self.inner.timeout;
            request
        };
        let response = http.execute(request).await.map_err(transport)?;
        self.read_whole(response).await
    }

    /// A request to a pre-authenticated URL the service handed out (an upload session's):
    /// never with the token, whatever its origin; only over `https` (or the base URL's
    /// scheme); redirects followed within the trusted origins only; the overall timeout.
    async fn without_token(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        let url = url::Url::parse(&request.uri().to_string())
            .map_err(|e| Error::Request(format!("`{}` is not a URL: {e}", request.uri())))?;
        if url.scheme() != "https" && url.scheme() != self.inner.trusted.scheme {
            return Err(Error::Request(format!("refusing to send to `{}`: not https", url.origin().ascii_serialization())));
        }
        let mut request = reqwest::Request::try_from(request).map_err(|e| Error::Request(e.to_string()))?;
        *request.timeout_mut() = self.inner.timeout;
        let response = self.inner.http_writes.execute(request).await.map_err(transport)?;
        self.read_whole(response).await
    }
}

/// Whether a request to a URL an answer handed out follows redirects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Follow {
    Redirects,
    None,
}

/// How a request's answer (or body) is read: whole, under the overall timeout, or as a stream.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    Whole,
    Streamed,
}

/// A reqwest client: redirects followed (at most 10, never from https to http) anywhere, or
/// only to `within` origins.
fn http_client(user_agent: &str, connect_timeout: Option<Duration>, within: Option<Trusted>) -> Result<reqwest::Client, Error> {
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        let downgrade = attempt.url().scheme() == "http"
            && attempt.previous().iter().any(|url| url.scheme() == "https");
        let elsewhere = within.as_ref().is_some_and(|trusted| !trusted.allows(attempt.url()));
        if attempt.previous().len() >= 10 || downgrade || elsewhere {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    let mut http = reqwest::Client::builder()
        .user_agent(user_agent)
        .redirect(policy)
        .gzip(true);
    if let Some(timeout) = connect_timeout {
        http = http.connect_timeout(timeout);
    }
    http.build().map_err(|e| Error::Transport(Box::new(e)))
}

/// One try of a request: an answer worth retrying is kept, to be read if no retry is left.
enum Try {
    Again(reqwest::Response),
    Failed(Error),
}

/// A reqwest error as ours: a timeout is its own variant.
fn transport(error: reqwest::Error) -> Error {
    if error.is_timeout() {
        Error::Timeout(Box::new(error))
    } else {
        Error::Transport(Box::new(error))
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

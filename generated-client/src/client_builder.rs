//! [`ClientBuilder`]: every setting of a [`Client`], checked once when it is built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::client::{
    Client, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_STREAM_IDLE_TIMEOUT, DEFAULT_TIMEOUT,
};
use crate::error::Error;
use crate::redirect::RedirectPolicy;
use crate::retry::RetryPolicy;
use crate::token::{bearer, Auth, Credentials, TokenProvider};
use crate::token_source::{AsyncTokenProvider, TokenCache};
use crate::transport::{http_client, Transport};

/// Configures a [`Client`]. Every setting is optional.
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<String>,
    timeout: Option<Option<Duration>>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    accept_version: Option<String>,
    check_params: Option<bool>,
    http: Option<reqwest::Client>,
    max_response_size: Option<u64>,
    stream_idle_timeout: Option<Option<Duration>>,
    redirects: Option<RedirectPolicy>,
    token_provider: Option<TokenProvider>,
    async_token_provider: Option<Arc<TokenCache>>,
    default_headers: Vec<(String, String)>,
    user_agent: Option<String>,
}

impl ClientBuilder {
    /// The API's base URL; default `https://api.losant.com`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API access token, sent as `Authorization: Bearer <token>`. Without
    /// one, requests are sent unauthenticated (as the auth actions are).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The longest a request may take, from sending to the last byte of the
    /// body (a stalled body read and redirects count); default 60 s. Each
    /// attempt of a retried request gets the whole time. For an event stream,
    /// the longest wait for the response head (the stream then stays open:
    /// see [`stream_idle_timeout`](Self::stream_idle_timeout)). Request
    /// builders can override it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(Some(timeout));
        self
    }

    /// No request timeout at all.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = Some(None);
        self
    }

    /// The longest connecting may take; default 10 s. Not used with
    /// [`http_client`](Self::http_client), whose own settings apply.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// When failed requests are tried again; default [`RetryPolicy::default`].
    /// Request builders can override it.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The `Accept-Version` header; default the version this client was generated for.
    pub fn accept_version(mut self, version: impl Into<String>) -> Self {
        self.accept_version = Some(version.into());
        self
    }

    /// Whether path params must match the patterns the spec gives them (24 hex
    /// digits for ids) before a request is sent; default `true`. Turn it off
    /// only if the API's ids change shape before this client is updated:
    /// values are percent-encoded either way.
    pub fn check_params(mut self, check: bool) -> Self {
        self.check_params = Some(check);
        self
    }

    /// The largest response body the client reads, in bytes, and for event
    /// streams the largest single event; default 64 MiB (the API's largest
    /// answers, such as long data exports, are well below). A larger one is
    /// an [`Error::TooLarge`], refused as soon as it is known (from
    /// `Content-Length`, or once the limit is passed): never read whole. For
    /// one request: [`Client::with_max_response_size`].
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// The longest an open event stream may send nothing, not even a
    /// keep-alive comment, before it ends with [`Error::IdleTimeout`];
    /// default 60 s (the API sends a keep-alive every `keepAliveInterval`
    /// seconds, 2 by default: keep this above it). `None`: no limit. For one
    /// stream: [`Client::with_stream_idle_timeout`].
    pub fn stream_idle_timeout(mut self, idle: Option<Duration>) -> Self {
        self.stream_idle_timeout = Some(idle);
        self
    }

    /// Which redirects to follow; default [`RedirectPolicy::SameOrigin`].
    pub fn redirects(mut self, policy: RedirectPolicy) -> Self {
        self.redirects = Some(policy);
        self
    }

    /// The HTTP client to send with, e.g. one with a proxy or custom TLS roots.
    /// Build it with `redirect(reqwest::redirect::Policy::none())`: redirects
    /// it follows itself bypass the client's [`RedirectPolicy`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Asks `provider` for the token before every attempt of every request
    /// (a retry asks again), e.g. to read a token that is rotated elsewhere.
    /// Replaces [`token`](Self::token). A token that cannot be sent in a
    /// header fails that request with [`Error::Config`].
    pub fn token_provider(mut self, provider: impl Fn() -> String + Send + Sync + 'static) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self
    }

    /// Fetches tokens with `provider` (over the network, say), keeps each
    /// until it is about to expire, and fetches a new one when the API answers
    /// a request with 401 (that request is then sent once more; a second 401
    /// is its error). Replaces [`token`](Self::token) and
    /// [`token_provider`](Self::token_provider). For a Losant login, see
    /// [`Client::login`].
    pub fn async_token_provider(mut self, provider: impl AsyncTokenProvider) -> Self {
        self.async_token_provider = Some(Arc::new(TokenCache::new(provider)));
        self
    }

    /// A header sent with every request (replacing an earlier default of the
    /// same name); a request's own [`header`](crate::RawRequest::header)
    /// replaces it. [`build`](Self::build) fails on a name or value that
    /// cannot be sent (a line break).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Your product, appended to the `User-Agent` every request sends:
    /// `losant-rest-rust/<version> <product>`, e.g. `my-app/1.2`.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the base URL is not an http(s) URL, or the token or
    /// version cannot be sent in a header, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.unwrap_or_else(|| crate::DEFAULT_BASE_URL.to_string());
        let base_url = base_url.trim_end_matches('/').to_string();
        let parsed =
            reqwest::Url::parse(&base_url).map_err(|e| Error::Config(format!("invalid base URL `{base_url}`: {e}")))?;
        if !matches!(parsed.scheme(), "https" | "http") || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::Config(format!("invalid base URL `{base_url}`: expected http(s)://host[/path]")));
        }
        let authorization = match (self.async_token_provider, self.token_provider, self.token) {
            (Some(cache), ..) => Auth::Async(cache),
            (None, Some(provider), _) => Auth::Provider(provider),
            (None, None, Some(token)) => Auth::Token(bearer(&token).map_err(Error::Config)?),
            (None, None, None) => Auth::None,
        };
        let default_headers = crate::headers::defaults(self.user_agent.as_deref(), &self.default_headers)?;
        let version = self.accept_version.unwrap_or_else(|| crate::ACCEPT_VERSION.to_string());
        let accept_version = HeaderValue::from_str(&version)
            .map_err(|_| Error::Config(format!("invalid Accept-Version `{version}`")))?;
        let http = match self.http {
            Some(http) => http,
            None => http_client(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .map_err(|e| Error::Config(e.to_string()))?,
        };
        Ok(Client {
            transport: Arc::new(Transport {
                http: Ok(http),
                base_url,
                authorization: Arc::new(Credentials::new(authorization)),
                accept_version,
                default_headers,
                timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
                retry: self.retry.unwrap_or_default(),
                check_params: self.check_params.unwrap_or(true),
                max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
                stream_idle_timeout: self.stream_idle_timeout.unwrap_or(Some(DEFAULT_STREAM_IDLE_TIMEOUT)),
                redirects: self.redirects.unwrap_or_default(),
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    /// Shows the configuration; the token is never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("token_provider", &self.token_provider.as_ref().map(|_| "<provider>"))
            .field("async_token_provider", &self.async_token_provider)
            .field("default_headers", &self.default_headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("accept_version", &self.accept_version)
            .field("max_response_size", &self.max_response_size)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .field("redirects", &self.redirects)
            .finish()
    }
}

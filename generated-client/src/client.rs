//! The client: what a caller holds, its configuration and its token.
//! Building one is [`ClientBuilder`](crate::ClientBuilder)'s
//! (`client_builder.rs`); sending is the transport's (`transport.rs`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::client_builder::ClientBuilder;
use crate::error::Error;
use crate::redirect::RedirectPolicy;
use crate::retry::RetryPolicy;
use crate::token::{bearer, Auth, Credentials};
use crate::transport::{http_client, Transport};

/// A client of the Losant API. Cheap to clone: clones share one connection pool.
///
/// Each resource of the API is a method (`client.org()`, …) that returns a
/// handle whose methods build requests.
#[derive(Clone)]
pub struct Client {
    /// Shared by clones. Generated code sends with it
    /// (`self.client.transport.execute(..)`).
    pub(crate) transport: Arc<Transport>,
}

/// The defaults of [`Client::new`] and [`ClientBuilder`].
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub(crate) const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 << 20;
pub(crate) const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

impl Client {
    /// A client for `https://api.losant.com` that authenticates with `token`,
    /// with the defaults of [`ClientBuilder`]: 10 s to connect, 60 s per
    /// request, [`RetryPolicy::default`], responses up to 64 MiB, same-origin
    /// redirects only, event streams closed after 60 s of silence.
    ///
    /// Never panics: a token that cannot be sent in a header makes each
    /// request fail with [`Error::Config`]; [`Client::builder`] reports it at once.
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        Self {
            transport: Arc::new(Transport {
                http: http_client(DEFAULT_CONNECT_TIMEOUT).map_err(|e| e.to_string()),
                base_url: crate::DEFAULT_BASE_URL.to_string(),
                authorization: Arc::new(Credentials::new(bearer(&token).map_or_else(Auth::Invalid, Auth::Token))),
                accept_version: HeaderValue::from_static(crate::ACCEPT_VERSION),
                default_headers: crate::headers::defaults(None, &[]).unwrap_or_default(),
                timeout: Some(DEFAULT_TIMEOUT),
                retry: RetryPolicy::default(),
                check_params: true,
                max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
                stream_idle_timeout: Some(DEFAULT_STREAM_IDLE_TIMEOUT),
                redirects: RedirectPolicy::default(),
            }),
        }
    }

    /// This client with another response size limit (see
    /// [`ClientBuilder::max_response_size`]), for the requests that need one:
    /// `client.with_max_response_size(1 << 30).data().export(..)`. Cheap: it
    /// shares the connection pool and every other setting.
    pub fn with_max_response_size(&self, bytes: u64) -> Client {
        Client { transport: self.transport.with(|transport| transport.max_response_size = bytes) }
    }

    /// This client with another idle limit for event streams (see
    /// [`ClientBuilder::stream_idle_timeout`]), for the streams that need one.
    /// Cheap: it shares the connection pool and every other setting.
    pub fn with_stream_idle_timeout(&self, idle: Option<Duration>) -> Client {
        Client { transport: self.transport.with(|transport| transport.stream_idle_timeout = idle) }
    }

    /// A builder for a client with a custom base URL, timeouts, retries, API version or HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.transport.base_url
    }

    /// Replaces the token of this client and of all its clones (they share
    /// one connection pool); requests from now on send the new one. It
    /// replaces a [`token_provider`](ClientBuilder::token_provider) too.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the token cannot be sent in a header; the old
    /// token stays in use.
    pub fn set_token(&self, token: impl Into<String>) -> Result<(), Error> {
        let value = bearer(&token.into()).map_err(Error::Config)?;
        self.transport.authorization.replace(Auth::Token(value));
        Ok(())
    }

    /// Sends no token from now on (for this client and its clones).
    pub fn clear_token(&self) {
        self.transport.authorization.replace(Auth::None);
    }
}

impl fmt::Debug for Client {
    /// Shows the configuration; the token is never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.transport.base_url)
            .field("accept_version", &self.transport.accept_version)
            .field("token", &self.transport.authorization)
            .field("default_headers", &self.transport.default_headers.keys().collect::<Vec<_>>())
            .field("timeout", &self.transport.timeout)
            .field("retry", &self.transport.retry)
            .field("max_response_size", &self.transport.max_response_size)
            .field("stream_idle_timeout", &self.transport.stream_idle_timeout)
            .field("redirects", &self.transport.redirects)
            .finish()
    }
}

//! The client: configuration, authentication, and sending a request.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use tracing::Instrument;

use crate::error::{ApiError, Error};
use crate::retry::{self, RetryPolicy};
use crate::runtime::{Body, Part, Request, Response};
use crate::sse::{EventStream, SseEvent};
use crate::token::{bearer, Auth, Credentials, TokenProvider};

/// A client of the Losant API. Cheap to clone: clones share one connection pool.
///
/// Each resource of the API is a method (`client.org()`, …) that returns a
/// handle whose methods build requests.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// `Err` holds why the HTTP client could not be built; every request reports it.
    http: Result<reqwest::Client, String>,
    base_url: String,
    /// `Authorization: Bearer …`, marked sensitive; replaceable while in use.
    authorization: Credentials,
    accept_version: HeaderValue,
    /// `User-Agent` and the caller's default headers.
    default_headers: HeaderMap,
    /// The longest a request may take, from sending to the last byte of the body.
    timeout: Option<Duration>,
    retry: RetryPolicy,
    /// Whether path params must match the spec's patterns.
    check_params: bool,
}

/// The defaults of [`Client::new`] and [`ClientBuilder`].
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl Client {
    /// A client for `https://api.losant.com` that authenticates with `token`,
    /// with the default timeouts (10 s to connect, 60 s per request) and
    /// retry policy ([`RetryPolicy::default`]).
    ///
    /// Never panics: a token that cannot be sent in a header makes each
    /// request fail with [`Error::Config`]; [`Client::builder`] reports it at once.
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        Self {
            inner: Arc::new(Inner {
                http: http_client(DEFAULT_CONNECT_TIMEOUT).map_err(|e| e.to_string()),
                base_url: crate::DEFAULT_BASE_URL.to_string(),
                authorization: Credentials::new(bearer(&token).map_or_else(Auth::Invalid, Auth::Token)),
                accept_version: HeaderValue::from_static(crate::ACCEPT_VERSION),
                default_headers: crate::headers::defaults(None, &[]).unwrap_or_default(),
                timeout: Some(DEFAULT_TIMEOUT),
                retry: RetryPolicy::default(),
                check_params: true,
            }),
        }
    }

    /// A builder for a client with a custom base URL, timeouts, retries, API version or HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
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
        self.inner.authorization.replace(Auth::Token(value));
        Ok(())
    }

    /// Sends no token from now on (for this client and its clones).
    pub fn clear_token(&self) {
        self.inner.authorization.replace(Auth::None);
    }

    /// Sends a request and reads the whole response, retrying as the request's
    /// (or else the client's) [`RetryPolicy`] allows. An error status becomes
    /// [`Error::Api`]; a success is returned for the caller to decode.
    pub(crate) async fn execute(&self, request: Request) -> Result<Response, Error> {
        let action = request.action;
        let policy = request.options.retry.as_ref().unwrap_or(&self.inner.retry);
        let may_retry = policy.allows(&request.method);
        let timeout = request.options.timeout.or(self.inner.timeout);
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            let mut builder = self.prepare(&request, "application/json")?;
            if let Some(timeout) = timeout {
                builder = builder.timeout(timeout);
            }
            // One span per attempt; the token and other headers are never recorded.
            let span = tracing::debug_span!(
                "losant.request",
                action,
                method = %request.method,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let sent = Instant::now();
            let outcome = async {
                let response = builder.send().await?;
                let status = response.status();
                let headers = response.headers().clone();
                response.bytes().await.map(|body| (status, headers, body))
            }
            .instrument(span.clone())
            .await;
            span.record("latency_ms", sent.elapsed().as_millis() as u64);
            if let Ok((status, ..)) = &outcome {
                span.record("status", status.as_u16());
            }
            let failure = match outcome {
                Ok((status, headers, body)) => {
                    if status.is_success() {
                        if let Some(meta) = &request.options.meta {
                            meta.put(status, &headers);
                        }
                        return Ok(Response { action, status, headers, body });
                    }
                    let hint = retry::retry_after(&headers);
                    let error = ApiError::new(action, status, &body, attempt).with_headers(headers);
                    let error = Error::Api(Box::new(error));
                    if !retry::retryable_status(status) {
                        return Err(error);
                    }
                    (error, hint)
                }
                // Only a connection that could not be made is surely safe to retry.
                Err(e) if e.is_connect() => (Error::transport(action, attempt, e), None),
                Err(e) => return Err(Error::transport(action, attempt, e)),
            };
            let delay = if may_retry { policy.delay(attempt + 1, started.elapsed(), failure.1) } else { None };
            let Some(delay) = delay else { return Err(failure.0) };
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Sends a request whose success is a server-sent-events stream. Neither
    /// the request timeout nor retries apply: a stream is meant to stay open,
    /// and reconnecting is the caller's call.
    pub(crate) async fn execute_stream<E: SseEvent + Send + 'static>(
        &self,
        request: Request,
    ) -> Result<EventStream<E>, Error> {
        let action = request.action;
        let response =
            self.prepare(&request, "text/event-stream")?.send().await.map_err(|e| Error::transport(action, 1, e))?;
        let status = response.status();
        if status.is_success() {
            if let Some(meta) = &request.options.meta {
                meta.put(status, response.headers());
            }
            Ok(crate::sse::event_stream(action, response))
        } else {
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(|e| Error::transport(action, 1, e))?;
            Err(Error::Api(Box::new(ApiError::new(action, status, &body, 1).with_headers(headers))))
        }
    }

    /// The reqwest request for a request description: URL, auth, headers, body.
    fn prepare(&self, request: &Request, accept: &'static str) -> Result<reqwest::RequestBuilder, Error> {
        let inner = &*self.inner;
        let action = request.action;
        let http = inner.http.as_ref().map_err(|reason| Error::Config(reason.clone()))?;
        let url = request.url(&inner.base_url, inner.check_params)?;
        let url = reqwest::Url::parse(&url).map_err(|e| Error::Config(format!("invalid request URL `{url}`: {e}")))?;

        let mut builder = http
            .request(request.method.clone(), url)
            .header(ACCEPT, HeaderValue::from_static(accept))
            .header(HeaderName::from_static("accept-version"), inner.accept_version.clone());
        if let Some(value) = inner.authorization.header()? {
            builder = builder.header(AUTHORIZATION, value);
        }
        // The spec's header params and the caller's own replace the defaults
        // of the same name (so a request's `User-Agent` wins).
        let mut headers = inner.default_headers.clone();
        let spec_headers = request.headers.iter().map(|(name, value)| (*name, value.as_str()));
        let own_headers = request.options.headers.iter().map(|(name, value)| (name.as_str(), value.as_str()));
        let mut replaced = Vec::new();
        for (name, value) in spec_headers.chain(own_headers) {
            let (name, value) = crate::headers::header(name, value).map_err(|reason| Error::InvalidArgument {
                action,
                param: name.to_string(),
                reason,
            })?;
            // The first value given for a name replaces the default; later ones add to it.
            if replaced.contains(&name) {
                headers.append(name, value);
            } else {
                headers.insert(name.clone(), value);
                replaced.push(name);
            }
        }
        builder = builder.headers(headers);
        match &request.body {
            Some(Body::Json(body)) => {
                builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body.clone());
            }
            Some(Body::Multipart(parts)) => builder = builder.multipart(form(action, parts.clone())?),
            None => {}
        }
        Ok(builder)
    }
}

/// The HTTP client a [`Client`] makes for itself: rustls, the given connect timeout.
fn http_client(connect_timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder().connect_timeout(connect_timeout).build()
}

/// The multipart form of a request's parts.
fn form(
    action: &'static str,
    parts: Vec<(std::borrow::Cow<'static, str>, Part)>,
) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for (name, part) in parts {
        let part = match part {
            Part::Text(text) => reqwest::multipart::Part::text(text),
            Part::File(file) => {
                let content_type = file.content_type.unwrap_or_else(|| "application/octet-stream".to_string());
                reqwest::multipart::Part::bytes(file.bytes).file_name(file.file_name).mime_str(&content_type).map_err(
                    |_| Error::InvalidArgument {
                        action,
                        param: name.to_string(),
                        reason: format!("`{content_type}` is not a valid content type"),
                    },
                )?
            }
        };
        form = form.part(name, part);
    }
    Ok(form)
}

impl fmt::Debug for Client {
    /// Shows the configuration; the token is never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("accept_version", &self.inner.accept_version)
            .field("token", &self.inner.authorization)
            .field("default_headers", &self.inner.default_headers.keys().collect::<Vec<_>>())
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

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
    token_provider: Option<TokenProvider>,
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
    /// body (a stalled body read counts); default 60 s. Each attempt of a
    /// retried request gets the whole time. Request builders can override it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(Some(timeout));
        self
    }

    /// No request timeout at all (streams never have one).
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

    /// The HTTP client to send with, e.g. one with a proxy or custom TLS roots.
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
        let authorization = match (self.token_provider, self.token) {
            (Some(provider), _) => Auth::Provider(provider),
            (None, Some(token)) => Auth::Token(bearer(&token).map_err(Error::Config)?),
            (None, None) => Auth::None,
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
            inner: Arc::new(Inner {
                http: Ok(http),
                base_url,
                authorization: Credentials::new(authorization),
                accept_version,
                default_headers,
                timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
                retry: self.retry.unwrap_or_default(),
                check_params: self.check_params.unwrap_or(true),
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
            .field("default_headers", &self.default_headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("accept_version", &self.accept_version)
            .finish()
    }
}

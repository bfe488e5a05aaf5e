//! The client: configuration, authentication, and sending a request.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use tracing::Instrument;

use crate::error::{ApiError, Error};
use crate::retry::{self, RetryPolicy};
use crate::runtime::{Body, Part, Request, Response};
use crate::sse::{EventStream, SseEvent};

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
    /// `Authorization: Bearer …`, marked sensitive; `Err` if the token is not a valid header value.
    authorization: Option<Result<HeaderValue, String>>,
    accept_version: HeaderValue,
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
                authorization: Some(bearer(&token)),
                accept_version: HeaderValue::from_static(crate::ACCEPT_VERSION),
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
                let hint = retry::retry_after(response.headers());
                response.bytes().await.map(|body| (status, hint, body))
            }
            .instrument(span.clone())
            .await;
            span.record("latency_ms", sent.elapsed().as_millis() as u64);
            if let Ok((status, ..)) = &outcome {
                span.record("status", status.as_u16());
            }
            let failure = match outcome {
                Ok((status, hint, body)) => {
                    if status.is_success() {
                        return Ok(Response { action, status, body });
                    }
                    let error = Error::Api(Box::new(ApiError::new(action, status, &body, attempt)));
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
            Ok(crate::sse::event_stream(action, response))
        } else {
            let body = response.bytes().await.map_err(|e| Error::transport(action, 1, e))?;
            Err(Error::Api(Box::new(ApiError::new(action, status, &body, 1))))
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
        if let Some(authorization) = &inner.authorization {
            let value = authorization.as_ref().map_err(|reason| Error::Config(reason.clone()))?;
            builder = builder.header(AUTHORIZATION, value.clone());
        }
        for (name, value) in &request.headers {
            let value = HeaderValue::from_str(value).map_err(|_| Error::InvalidArgument {
                action,
                param: (*name).to_string(),
                reason: "contains characters not allowed in an HTTP header (such as CR or LF)".to_string(),
            })?;
            builder = builder.header(*name, value);
        }
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
fn form(action: &'static str, parts: Vec<(&'static str, Part)>) -> Result<reqwest::multipart::Form, Error> {
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
            .field("token", &self.inner.authorization.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// `Bearer <token>` as a sensitive header value.
fn bearer(token: &str) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| "the token contains characters not allowed in an HTTP header".to_string())?;
    value.set_sensitive(true);
    Ok(value)
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
        let authorization = match self.token {
            Some(token) => Some(Ok(bearer(&token).map_err(Error::Config)?)),
            None => None,
        };
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
                authorization,
                accept_version,
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
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("accept_version", &self.accept_version)
            .finish()
    }
}

//! The client: configuration, authentication, and sending a request.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, LOCATION,
};
use reqwest::{Method, StatusCode, Url};
use tracing::Instrument;

use crate::decode::Response;
use crate::error::{ApiError, Error};
use crate::redirect::{self, RedirectPolicy};
use crate::request::{Body, Part, Request};
use crate::retry::{self, RetryPolicy};
use crate::sse::{EventStream, SseEvent};
use crate::token::{bearer, Auth, Credentials, TokenProvider};
use crate::token_source::{AsyncTokenProvider, TokenCache};

/// A client of the Losant API. Cheap to clone: clones share one connection pool.
///
/// Each resource of the API is a method (`client.org()`, …) that returns a
/// handle whose methods build requests.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    /// `Err` holds why the HTTP client could not be built; every request reports it.
    http: Result<reqwest::Client, String>,
    base_url: String,
    /// `Authorization: Bearer …`, marked sensitive; replaceable while in use,
    /// and shared with the clients `with_*` scopes from this one.
    authorization: Arc<Credentials>,
    accept_version: HeaderValue,
    /// `User-Agent` and the caller's default headers.
    default_headers: HeaderMap,
    /// The longest a request may take, from sending to the last byte of the body.
    timeout: Option<Duration>,
    retry: RetryPolicy,
    /// Whether path params must match the spec's patterns.
    check_params: bool,
    /// The largest response body, or event of an event stream, in bytes.
    max_response_size: u64,
    /// The longest an open event stream may send nothing.
    stream_idle_timeout: Option<Duration>,
    redirects: RedirectPolicy,
}

/// The defaults of [`Client::new`] and [`ClientBuilder`].
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 << 20;
const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Why one exchange (a request and the redirects it follows) failed.
enum Failure {
    /// Sending failed before any response arrived: safe to retry an idempotent request.
    Send(reqwest::Error),
    /// Anything else: returned as is.
    Other(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Other(error)
    }
}

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
            inner: Arc::new(Inner {
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
        self.with(|inner| inner.max_response_size = bytes)
    }

    /// This client with another idle limit for event streams (see
    /// [`ClientBuilder::stream_idle_timeout`]), for the streams that need one.
    /// Cheap: it shares the connection pool and every other setting.
    pub fn with_stream_idle_timeout(&self, idle: Option<Duration>) -> Client {
        self.with(|inner| inner.stream_idle_timeout = idle)
    }

    fn with(&self, change: impl FnOnce(&mut Inner)) -> Client {
        let mut inner = (*self.inner).clone();
        change(&mut inner);
        Client { inner: Arc::new(inner) }
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

    /// Authenticates this client and its clones with `auth` from now on.
    #[cfg_attr(not(all(generated_uses = "login_user", generated_uses = "login_device")), allow(dead_code))]
    pub(crate) fn replace_auth(&self, auth: Auth) {
        self.inner.authorization.replace(auth);
    }

    /// This client sending no token, whatever this one sends (for logging in):
    /// it shares the connection pool and every other setting.
    #[cfg_attr(not(all(generated_uses = "login_user", generated_uses = "login_device")), allow(dead_code))]
    pub(crate) fn without_auth(&self) -> Client {
        self.with(|inner| inner.authorization = Arc::new(Credentials::new(Auth::None)))
    }

    /// Sends a request and reads the whole response, retrying as the request's
    /// (or else the client's) [`RetryPolicy`] allows. An error status becomes
    /// [`Error::Api`]; a success is returned for the caller to decode.
    ///
    /// Boxed: the attempts' state is over 2 KB, and a future that size is
    /// copied whole each time it is moved (into the generated `send`, into
    /// `block_on`, ...); on a small GET those copies cost more than the
    /// allocation (issue 13).
    pub(crate) fn execute(
        &self,
        request: Request,
    ) -> Pin<Box<dyn Future<Output = Result<Response, Error>> + Send + '_>> {
        // An async block, not another method: `Client`'s method names are
        // reserved from resource names (`codegen::names::CLIENT_METHODS`).
        Box::pin(async move {
            let action = request.action;
            let policy = request.options.retry.as_ref().unwrap_or(&self.inner.retry);
            let may_retry = policy.allows(&request.method);
            let timeout = request.options.timeout.or(self.inner.timeout);
            let started = Instant::now();
            let mut attempt = 1;
            // The API rejected the token (401) and a new one was fetched: once per request.
            let mut refreshed = false;
            let (mut authorization, mut token_cache) = self.inner.authorization.resolve().await?;
            loop {
                // One span per attempt; the token and other headers are never recorded.
                let span = tracing::debug_span!(
                    "losant.request",
                    action,
                    method = %request.method,
                    attempt,
                    status = tracing::field::Empty,
                    latency_ms = tracing::field::Empty,
                );
                // The first attempt starts with the request: one reading of the clock.
                let sent = if attempt == 1 { started } else { Instant::now() };
                let outcome = async {
                    let mut response =
                        self.exchange(&request, authorization.as_ref(), "application/json", timeout, sent).await?;
                    let status = response.status();
                    // Taken, not copied: the body is read without them.
                    let headers = std::mem::take(response.headers_mut());
                    let body = self.read_body(action, attempt, response).await?;
                    Ok::<_, Failure>((status, headers, body))
                }
                .instrument(span.clone())
                .await;
                if !span.is_disabled() {
                    span.record("latency_ms", sent.elapsed().as_millis() as u64);
                }
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
                        let error = api_error(action, status, hint, &body, attempt, headers);
                        // A rejected token from an async provider: fetch a new one
                        // and send again at once, once; a second 401 is the error.
                        if let (StatusCode::UNAUTHORIZED, false, Some(cache), Some(rejected)) =
                            (status, refreshed, &token_cache, &authorization)
                        {
                            tracing::debug!(action, "the token was rejected; fetching a new one");
                            authorization = Some(cache.refresh(rejected).await?);
                            refreshed = true;
                            attempt += 1;
                            continue;
                        }
                        if !retry::retryable_status(status) {
                            return Err(error);
                        }
                        (error, hint)
                    }
                    // Nothing came back (refused, reset, closed before the
                    // response): retried as the policy allows, so only GET and
                    // DELETE by default. A timeout is not retried.
                    Err(Failure::Send(e)) if !e.is_timeout() && !e.is_builder() => {
                        (Error::transport(action, attempt, e), None)
                    }
                    Err(Failure::Send(e)) => return Err(Error::transport(action, attempt, e)),
                    Err(Failure::Other(error)) => return Err(error),
                };
                let delay = if may_retry { policy.delay(attempt + 1, started.elapsed(), failure.1) } else { None };
                let Some(delay) = delay else { return Err(failure.0) };
                tokio::time::sleep(delay).await;
                attempt += 1;
                // A later attempt sends the token as of now (a provider may have rotated it).
                (authorization, token_cache) = self.inner.authorization.resolve().await?;
            }
        })
    }

    /// Sends a request whose success is a server-sent-events stream. Retries
    /// do not apply (reconnecting is the caller's call); the request timeout
    /// (or the request's own) bounds the wait for the response head, the idle
    /// limit the silence between bytes of the open stream.
    #[cfg_attr(not(generated_uses = "sse"), allow(dead_code))]
    pub(crate) async fn execute_stream<E: SseEvent + Send + 'static>(
        &self,
        request: Request,
    ) -> Result<EventStream<E>, Error> {
        let action = request.action;
        let opened = async {
            let (authorization, _) = self.inner.authorization.resolve().await?;
            let response = self
                .exchange(&request, authorization.as_ref(), "text/event-stream", None, Instant::now())
                .await
                .map_err(|failure| match failure {
                    Failure::Send(e) => Error::transport(action, 1, e),
                    Failure::Other(error) => error,
                })?;
            let status = response.status();
            if status.is_success() {
                if let Some(meta) = &request.options.meta {
                    meta.put(status, response.headers());
                }
                return Ok(response);
            }
            let headers = response.headers().clone();
            let hint = retry::retry_after(&headers);
            let body = self.read_body(action, 1, response).await?;
            Err(api_error(action, status, hint, &body, 1, headers))
        };
        let response = match request.options.timeout.or(self.inner.timeout) {
            Some(limit) => {
                tokio::time::timeout(limit, opened).await.map_err(|_| Error::HeadTimeout { action, limit })?
            }
            None => opened.await,
        }?;
        let limits =
            crate::sse::Limits { idle: self.inner.stream_idle_timeout, event_size: self.inner.max_response_size };
        Ok(crate::sse::event_stream(action, response, limits))
    }

    /// One exchange: the request sent, and the redirects the policy allows
    /// followed, up to the response head. `timeout` bounds it all, the body
    /// read included, counted from `started` (when the attempt began).
    async fn exchange(
        &self,
        request: &Request,
        authorization: Option<&HeaderValue>,
        accept: &'static str,
        timeout: Option<Duration>,
        started: Instant,
    ) -> Result<reqwest::Response, Failure> {
        let inner = &*self.inner;
        let action = request.action;
        let url = request.url(&inner.base_url, inner.check_params)?;
        let mut url = Url::parse(&url).map_err(|e| Error::Config(format!("invalid request URL `{url}`: {e}")))?;
        // The first URL, copied only when a redirect needs it: most requests
        // have none, and send the URL without copying it.
        let mut origin: Option<Url> = None;
        // Checked: a timeout of `Duration::MAX` means none.
        let ends = timeout.and_then(|timeout| started.checked_add(timeout));
        let mut hop = 0;
        loop {
            let own_origin = origin.as_ref().is_none_or(|origin| url.origin() == origin.origin());
            let mut builder = self.prepare(request, authorization, accept, url, own_origin)?;
            if let Some(ends) = ends {
                builder = builder.timeout(ends.saturating_duration_since(Instant::now()));
            }
            let response = builder.send().await.map_err(Failure::Send)?;
            let status = response.status();
            let location = response.headers().get(LOCATION).map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
            let (true, Some(location)) = (redirect::is_redirect(status), location) else { return Ok(response) };
            hop += 1;
            let refused = |reason| Error::Redirect { action, status, location: location.clone(), reason };
            // The URL this hop was sent to (reqwest follows no redirects of its own).
            let from = response.url();
            let origin = origin.get_or_insert_with(|| from.clone());
            let to = from.join(&location).map_err(|_| refused("the target is not a valid URL"))?;
            let has_body = request.body.is_some();
            inner.redirects.check(hop, &request.method, has_body, status, origin, &to).map_err(refused)?;
            tracing::debug!(action, %status, location = %to, "following a redirect");
            url = to;
        }
    }

    /// Reads a response body, up to the client's size limit: a longer one is
    /// refused as soon as that is known (from `Content-Length`, or once the
    /// limit is passed), never held whole.
    async fn read_body(
        &self,
        action: &'static str,
        attempt: u32,
        mut response: reqwest::Response,
    ) -> Result<Bytes, Error> {
        let status = response.status();
        let limit = self.inner.max_response_size;
        let too_large = Error::TooLarge { action, status, what: "body", limit };
        let expected = response.content_length().unwrap_or(0);
        if expected > limit {
            return Err(too_large);
        }
        let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| Error::transport(action, attempt, e))? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(body))
    }

    /// The reqwest request for a request description, sent to `url`: auth,
    /// headers, body. `own_origin` is false after a redirect to another
    /// origin, where neither the token nor the request's headers go.
    fn prepare(
        &self,
        request: &Request,
        authorization: Option<&HeaderValue>,
        accept: &'static str,
        url: Url,
        own_origin: bool,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let inner = &*self.inner;
        let action = request.action;
        let http = inner.http.as_ref().map_err(|reason| Error::Config(reason.clone()))?;

        let mut builder = http
            .request(request.method.clone(), url)
            .header(ACCEPT, HeaderValue::from_static(accept))
            .header(HeaderName::from_static("accept-version"), inner.accept_version.clone());
        // After a redirect to another origin, neither the token nor any header
        // of the caller's (defaults included) goes along.
        if own_origin {
            if let Some(value) = authorization {
                builder = builder.header(AUTHORIZATION, value.clone());
            }
        }
        // Most requests have no header params or headers of the caller's, and
        // defaults that do not replace the headers above: the defaults are
        // added in order, as `headers()` below would add a copy of the map
        // (which costs allocations on every request: issue 13).
        let builtin = |name: &HeaderName| [ACCEPT, AUTHORIZATION].contains(name) || name == "accept-version";
        if own_origin
            && request.headers.is_empty()
            && request.options.headers.is_empty()
            && !inner.default_headers.keys().any(builtin)
        {
            for (name, value) in &inner.default_headers {
                builder = builder.header(name.clone(), value.clone());
            }
            return with_body(request, action, builder);
        }
        // The spec's header params and the caller's own replace the defaults
        // of the same name (so a request's `User-Agent` wins).
        let mut headers = if own_origin { inner.default_headers.clone() } else { HeaderMap::new() };
        let spec_headers = request.headers.iter().map(|(name, value)| (*name, value.as_str()));
        let own_headers = request.options.headers.iter().map(|(name, value)| (name.as_str(), value.as_str()));
        let mut replaced = Vec::new();
        for (name, value) in spec_headers.chain(own_headers).filter(|_| own_origin) {
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
        with_body(request, action, builder)
    }
}

/// Adds the request's body, if any, to `builder`.
fn with_body(
    request: &Request,
    action: &'static str,
    mut builder: reqwest::RequestBuilder,
) -> Result<reqwest::RequestBuilder, Error> {
    match &request.body {
        Some(Body::Json(body)) => {
            builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body.clone());
        }
        Some(Body::Multipart(parts)) => builder = builder.multipart(form(action, parts.clone())?),
        // RFC 9110: a POST, PUT or PATCH without a body says so; some proxies answer 411 otherwise.
        None if matches!(request.method, Method::POST | Method::PUT | Method::PATCH) => {
            builder = builder.header(CONTENT_LENGTH, HeaderValue::from_static("0")).body(Vec::new());
        }
        None => {}
    }
    Ok(builder)
}

/// An error status as an [`Error::Api`], with the wait the server asked for
/// and the response's headers.
fn api_error(
    action: &'static str,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
    attempts: u32,
    headers: HeaderMap,
) -> Error {
    let mut error = ApiError::new(action, status, body, attempts).with_headers(headers);
    error.retry_after = retry_after;
    Error::Api(Box::new(error))
}

/// The HTTP client a [`Client`] makes for itself: rustls, the given connect
/// timeout, no redirects of its own ([`Client`] follows them as its
/// [`RedirectPolicy`] says).
fn http_client(connect_timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder().connect_timeout(connect_timeout).redirect(reqwest::redirect::Policy::none()).build()
}

/// A file name as a browser writes it into a multipart body (HTML's rule):
/// CR, LF and `"` percent-encoded, so no name can end the header line.
fn part_file_name(name: String) -> String {
    if !name.contains(['\r', '\n', '"']) {
        return name;
    }
    name.replace('\r', "%0D").replace('\n', "%0A").replace('"', "%22")
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
                reqwest::multipart::Part::bytes(file.bytes)
                    .file_name(part_file_name(file.file_name))
                    .mime_str(&content_type)
                    .map_err(|_| Error::InvalidArgument {
                        action,
                        param: name.to_string(),
                        reason: format!("`{content_type}` is not a valid content type"),
                    })?
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
            .field("max_response_size", &self.inner.max_response_size)
            .field("stream_idle_timeout", &self.inner.stream_idle_timeout)
            .field("redirects", &self.inner.redirects)
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
            inner: Arc::new(Inner {
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

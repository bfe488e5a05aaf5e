//! Sending a request: auth, headers and body, redirects, retries, timeouts
//! and the response size limit. Generated `send` methods hand their
//! [`Request`] to [`Transport::execute`] (or `execute_stream`).

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
use crate::token::{Auth, Credentials};

/// How requests are sent: the HTTP client, the settings every request
/// shares and the credentials. A [`Client`](crate::Client) holds one, shared
/// by its clones; a field, not methods, so its names are not taken from
/// resource accessors (`codegen::model::names::CLIENT_METHODS`).
#[derive(Clone)]
pub(crate) struct Transport {
    /// `Err` holds why the HTTP client could not be built; every request reports it.
    pub(crate) http: Result<reqwest::Client, String>,
    pub(crate) base_url: String,
    /// `Authorization: Bearer …`, marked sensitive; replaceable while in use,
    /// and shared with the clients `with_*` scopes from this one.
    pub(crate) authorization: Arc<Credentials>,
    pub(crate) accept_version: HeaderValue,
    /// `User-Agent` and the caller's default headers.
    pub(crate) default_headers: HeaderMap,
    /// The longest a request may take, from sending to the last byte of the body.
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    /// Whether path params must match the spec's patterns.
    pub(crate) check_params: bool,
    /// The largest response body, or event of an event stream, in bytes.
    pub(crate) max_response_size: u64,
    /// The longest an open event stream may send nothing.
    pub(crate) stream_idle_timeout: Option<Duration>,
    pub(crate) redirects: RedirectPolicy,
}

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

impl Transport {
    /// Authenticates this transport and its sharers with `auth` from now on.
    #[cfg_attr(not(all(generated_uses = "login_user", generated_uses = "login_device")), allow(dead_code))]
    pub(crate) fn replace_auth(&self, auth: Auth) {
        self.authorization.replace(auth);
    }

    /// These settings sending no token, whatever this one sends (for logging
    /// in): the connection pool and every other setting are shared.
    #[cfg_attr(not(all(generated_uses = "login_user", generated_uses = "login_device")), allow(dead_code))]
    pub(crate) fn without_auth(&self) -> Arc<Transport> {
        self.with(|transport| transport.authorization = Arc::new(Credentials::new(Auth::None)))
    }

    /// A copy with `change` made (the connection pool, and the credentials
    /// unless `change` replaces them, stay shared).
    pub(crate) fn with(&self, change: impl FnOnce(&mut Transport)) -> Arc<Transport> {
        let mut transport = self.clone();
        change(&mut transport);
        Arc::new(transport)
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
        Box::pin(async move {
            let action = request.action;
            let policy = request.options.retry.as_ref().unwrap_or(&self.retry);
            let may_retry = policy.allows(&request.method);
            let timeout = request.options.timeout.or(self.timeout);
            let started = Instant::now();
            let mut attempt = 1;
            // The API rejected the token (401) and a new one was fetched: once per request.
            let mut refreshed = false;
            let (mut authorization, mut token_cache) = self.authorization.resolve().await?;
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
                (authorization, token_cache) = self.authorization.resolve().await?;
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
            let (authorization, _) = self.authorization.resolve().await?;
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
        let response = match request.options.timeout.or(self.timeout) {
            Some(limit) => {
                tokio::time::timeout(limit, opened).await.map_err(|_| Error::HeadTimeout { action, limit })?
            }
            None => opened.await,
        }?;
        let limits = crate::sse::Limits { idle: self.stream_idle_timeout, event_size: self.max_response_size };
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
        let inner = self;
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
        let limit = self.max_response_size;
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
        let inner = self;
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

/// The HTTP client a [`Client`](crate::Client) makes for itself: rustls, the
/// given connect timeout, no redirects of its own (the transport follows
/// them as its [`RedirectPolicy`] says).
pub(crate) fn http_client(connect_timeout: Duration) -> reqwest::Result<reqwest::Client> {
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

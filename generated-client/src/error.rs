//! What can go wrong with a request, as one enum callers can match on.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

/// How much server text (an error message or type, a body, a redirect target)
/// an error's `Display` shows; the whole text stays on the error's fields.
pub(crate) const SHOWN_CHARS: usize = 200;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (4xx, 5xx).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request did not complete within the configured timeout.
    #[error("{action}: the request timed out")]
    Timeout {
        /// `resource.action`.
        action: &'static str,
        /// The underlying error.
        #[source]
        source: TransportError,
    },
    /// The request could not be sent or the response could not be read
    /// (connection refused or reset, TLS, DNS...).
    #[error("{action}: the request failed{}: {source}", after(*attempts))]
    Transport {
        /// `resource.action`.
        action: &'static str,
        /// How many times the request was tried.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: TransportError,
    },
    /// The API answered with success, but the body is not what the spec says.
    #[error("{action}: cannot decode the {status} response as `{type_name}` at `{path}`: {source}")]
    Decode {
        /// `resource.action`.
        action: &'static str,
        /// The HTTP status of the response.
        status: StatusCode,
        /// The Rust type the body was decoded into.
        type_name: &'static str,
        /// Where in the body decoding failed, e.g. `members[0].role`.
        path: String,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// The API answered with a success status the spec does not list for the action.
    #[error("{action}: unexpected {status} response")]
    UnexpectedStatus {
        /// `resource.action`.
        action: &'static str,
        /// The HTTP status of the response.
        status: StatusCode,
        /// The body as received (lossy UTF-8).
        body: String,
    },
    /// A [`Paged`](crate::Paged) stream read [`MAX_PAGES`](crate::MAX_PAGES) pages without reaching the end.
    #[error("{action}: stopped after {pages} pages without reaching the last")]
    TooManyPages {
        /// `resource.action`.
        action: &'static str,
        /// How many pages were read.
        pages: u64,
    },
    /// A page of a [`Paged`](crate::Paged) stream repeats one already read (the
    /// server ignores the `page` param, or loops): the stream ends rather than
    /// yield the same items again.
    #[error("{action}: page {page} repeats an earlier page; stopped")]
    PageRepeated {
        /// `resource.action`.
        action: &'static str,
        /// The page number that came back with items already read.
        page: u64,
    },
    /// A response body, or one event of an event stream, is larger than the
    /// client's limit ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)).
    /// It was not read whole: reading stopped at the limit.
    #[error("{action}: the {status} response's {what} is larger than the limit of {limit} bytes")]
    TooLarge {
        /// `resource.action`.
        action: &'static str,
        /// The HTTP status of the response.
        status: StatusCode,
        /// `"body"`, or `"event"` for one event of an event stream.
        what: &'static str,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A redirect the client's [`RedirectPolicy`](crate::RedirectPolicy) does
    /// not follow: to another origin, one that would turn the request into a
    /// GET (301, 302, 303 on a POST, PATCH, PUT or DELETE), or too many.
    #[error("{action}: did not follow the {status} redirect to `{}`: {reason}", shown(location))]
    Redirect {
        /// `resource.action`.
        action: &'static str,
        /// The redirect's status (301, 302, 303, 307, 308).
        status: StatusCode,
        /// The target, from the `Location` header.
        location: String,
        /// Why it was not followed.
        reason: &'static str,
    },
    /// An event stream's response head (its status and headers) did not arrive
    /// within the limit, the request timeout unless set otherwise.
    #[error("{action}: no response within {limit:?}")]
    HeadTimeout {
        /// `resource.action`.
        action: &'static str,
        /// How long the client waited.
        limit: Duration,
    },
    /// An open event stream sent nothing, not even a keep-alive, for longer than
    /// its idle limit ([`ClientBuilder::stream_idle_timeout`](crate::ClientBuilder::stream_idle_timeout)).
    #[error("{action}: the event stream sent nothing for {limit:?}")]
    IdleTimeout {
        /// `resource.action`.
        action: &'static str,
        /// The idle limit.
        limit: Duration,
    },
    /// A param value cannot be sent as given; nothing was sent.
    #[error("{action}: invalid `{param}`: {reason}")]
    InvalidArgument {
        /// `resource.action`.
        action: &'static str,
        /// The param's wire name.
        param: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The client is misconfigured (base URL, token, headers); nothing was sent.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// `send_blocking()` was called on a thread that is running an async
    /// runtime, where blocking would stall every task on it; nothing was sent.
    /// Use `.send().await` there, or call `send_blocking()` from a plain thread.
    #[error(
        "{action}: send_blocking() was called inside an async runtime, where blocking would stall it; \
         nothing was sent: use `.send().await` there, or call send_blocking() from a thread outside the runtime \
         (std::thread::spawn)"
    )]
    BlockingInAsync {
        /// `resource.action`.
        action: &'static str,
    },
    /// A [`ReconnectingStream`](crate::ReconnectingStream) reached its
    /// [`ReconnectPolicy`](crate::ReconnectPolicy)'s limit of attempts or time
    /// without receiving an event; it ends with this error.
    #[error("{action}: gave up reconnecting the event stream after {attempts} attempts in {elapsed:?}")]
    ReconnectGaveUp {
        /// `resource.action` of the stream, or `"stream"` before it first opened.
        action: &'static str,
        /// How many reconnects were tried since the last event.
        attempts: u32,
        /// How long since the stream was last good (its last event, or the first try).
        elapsed: Duration,
        /// Why the last attempt failed; `None` when the server closed the stream.
        #[source]
        last: Option<Box<Error>>,
    },
}

impl Error {
    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::TooLarge { status, .. }
            | Error::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `resource.action` the error is about (`org.get`), or `None` for
    /// a client that could not be configured ([`Error::Config`]).
    pub fn action(&self) -> Option<&'static str> {
        match self {
            Error::Api(error) => Some(error.action),
            Error::Timeout { action, .. }
            | Error::Transport { action, .. }
            | Error::Decode { action, .. }
            | Error::UnexpectedStatus { action, .. }
            | Error::TooManyPages { action, .. }
            | Error::PageRepeated { action, .. }
            | Error::TooLarge { action, .. }
            | Error::Redirect { action, .. }
            | Error::HeadTimeout { action, .. }
            | Error::IdleTimeout { action, .. }
            | Error::InvalidArgument { action, .. }
            | Error::BlockingInAsync { action }
            | Error::ReconnectGaveUp { action, .. } => Some(action),
            Error::Config(_) => None,
        }
    }

    /// The API's error, when it answered with an error status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// What kind of error status the API answered with, when it did.
    pub fn api_kind(&self) -> Option<ApiErrorKind> {
        self.as_api().map(ApiError::kind)
    }

    /// The API answered that what was asked for does not exist ([`ApiErrorKind::NotFound`]).
    pub fn is_not_found(&self) -> bool {
        self.api_kind() == Some(ApiErrorKind::NotFound)
    }

    /// The API refused the credentials ([`ApiErrorKind::Unauthorized`]).
    pub fn is_unauthorized(&self) -> bool {
        self.api_kind() == Some(ApiErrorKind::Unauthorized)
    }

    /// The API answered that the request is rate limited ([`ApiErrorKind::RateLimited`]).
    pub fn is_rate_limited(&self) -> bool {
        self.api_kind() == Some(ApiErrorKind::RateLimited)
    }

    /// The API refused the request's values ([`ApiErrorKind::Validation`]).
    pub fn is_validation(&self) -> bool {
        self.api_kind() == Some(ApiErrorKind::Validation)
    }

    /// The request did not complete in time: the request timeout
    /// ([`Error::Timeout`]), the stream's head ([`Error::HeadTimeout`]) or
    /// idle ([`Error::IdleTimeout`]) limit.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. } | Error::HeadTimeout { .. } | Error::IdleTimeout { .. })
    }

    pub(crate) fn transport(action: &'static str, attempts: u32, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Error::Timeout { action, source: TransportError(source) }
        } else {
            Error::Transport { action, attempts, source: TransportError(source) }
        }
    }
}

/// Why a request could not be sent or its response not read: the HTTP
/// library's error, kept opaque so that this crate's API does not change with
/// that library's. Its `Display` and [`source`](std::error::Error::source)
/// chain say what happened (connection refused, TLS, DNS, reset...).
pub struct TransportError(reqwest::Error);

impl TransportError {
    /// The connection could not be made (refused, DNS, TLS handshake).
    pub fn is_connect(&self) -> bool {
        self.0.is_connect()
    }

    /// The request or the connection timed out.
    pub fn is_timeout(&self) -> bool {
        self.0.is_timeout()
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// What kind of error an [`ApiError`] is, from Losant's error `type` when it
/// is one of the known ones and otherwise from the HTTP status
/// ([`ApiError::kind`]). More kinds may be added: match with a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// What the request names does not exist (404, type `NotFound`).
    NotFound,
    /// No valid credentials: the token is missing, malformed or expired
    /// (401, type `Unauthorized`).
    Unauthorized,
    /// The credentials are valid but lack the scope or permission (403,
    /// type `Forbidden`).
    Forbidden,
    /// The request's values are refused (400, 422, type `Validation`).
    Validation,
    /// Too many requests; see [`ApiError::retry_after`] (429, type
    /// `TooManyRequests` or `RateLimit`).
    RateLimited,
    /// The request conflicts with the current state, e.g. a duplicate name
    /// (409, type `Conflict` or `Duplicate`).
    Conflict,
    /// The server failed or is unavailable (5xx, types `Internal`, `Unavailable`).
    Server,
    /// Any other error status.
    Other,
}

impl ApiErrorKind {
    /// The kind Losant's error `type` names, when it is a known one.
    fn from_type(error_type: &str) -> Option<Self> {
        Some(match error_type {
            "NotFound" => ApiErrorKind::NotFound,
            "Unauthorized" => ApiErrorKind::Unauthorized,
            "Forbidden" => ApiErrorKind::Forbidden,
            "Validation" => ApiErrorKind::Validation,
            "TooManyRequests" | "RateLimit" | "RateLimited" => ApiErrorKind::RateLimited,
            "Conflict" | "Duplicate" => ApiErrorKind::Conflict,
            "Internal" | "Unavailable" => ApiErrorKind::Server,
            _ => return None,
        })
    }

    /// The kind an HTTP error status means.
    fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            404 | 410 => ApiErrorKind::NotFound,
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            400 | 422 => ApiErrorKind::Validation,
            429 => ApiErrorKind::RateLimited,
            409 => ApiErrorKind::Conflict,
            500..=599 => ApiErrorKind::Server,
            _ => ApiErrorKind::Other,
        }
    }
}

/// An error status from the API, with Losant's error body when it sent one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// `resource.action`.
    pub action: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// Losant's error `type`, e.g. `NotFound` or `Validation`.
    pub error_type: Option<String>,
    /// Losant's error `message`.
    pub message: Option<String>,
    /// The body as received (lossy UTF-8), for errors that are not Losant's shape.
    pub body: String,
    /// How many times the request was tried (more than 1 after retries).
    pub attempts: u32,
    /// How long the server asked to wait before trying again (`Retry-After`),
    /// when it did. A wait longer than the [`RetryPolicy`](crate::RetryPolicy)'s
    /// `max_backoff` ends the retries at once: this says how long the caller
    /// would have to wait.
    pub retry_after: Option<Duration>,
    /// The response headers (request ids, rate limits, `Retry-After`).
    pub headers: http::HeaderMap,
}

/// ` (after 3 attempts)`, or nothing for a single attempt.
fn after(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

/// Losant's error body: `{"type": "...", "message": "..."}`.
#[derive(serde::Deserialize)]
struct ErrorBody {
    #[serde(rename = "type")]
    error_type: Option<String>,
    message: Option<String>,
}

impl ApiError {
    /// Reads an error response. A body that is not Losant's shape (an HTML
    /// page from a proxy, say) is kept as text; the status is never lost.
    pub(crate) fn new(action: &'static str, status: StatusCode, body: &[u8], attempts: u32) -> Self {
        let decoded = serde_json::from_slice::<ErrorBody>(body).ok();
        let (error_type, message) = decoded.map(|b| (b.error_type, b.message)).unwrap_or_default();
        Self {
            action,
            status,
            error_type,
            message,
            body: String::from_utf8_lossy(body).into_owned(),
            attempts,
            retry_after: None,
            headers: Default::default(),
        }
    }

    /// The same error with the response's headers.
    pub(crate) fn with_headers(mut self, headers: http::HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// What kind of error this is: from Losant's error `type` when it is a
    /// known one (`NotFound`, `Validation`, `TooManyRequests`, ...), otherwise
    /// from the status (404 is [`ApiErrorKind::NotFound`], 5xx
    /// [`ApiErrorKind::Server`], ...).
    pub fn kind(&self) -> ApiErrorKind {
        self.error_type
            .as_deref()
            .and_then(ApiErrorKind::from_type)
            .unwrap_or_else(|| ApiErrorKind::from_status(self.status))
    }

    /// [`kind`](Self::kind) is [`ApiErrorKind::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.kind() == ApiErrorKind::NotFound
    }

    /// [`kind`](Self::kind) is [`ApiErrorKind::Unauthorized`].
    pub fn is_unauthorized(&self) -> bool {
        self.kind() == ApiErrorKind::Unauthorized
    }

    /// [`kind`](Self::kind) is [`ApiErrorKind::Forbidden`].
    pub fn is_forbidden(&self) -> bool {
        self.kind() == ApiErrorKind::Forbidden
    }

    /// [`kind`](Self::kind) is [`ApiErrorKind::Validation`].
    pub fn is_validation(&self) -> bool {
        self.kind() == ApiErrorKind::Validation
    }

    /// [`kind`](Self::kind) is [`ApiErrorKind::RateLimited`].
    pub fn is_rate_limited(&self) -> bool {
        self.kind() == ApiErrorKind::RateLimited
    }

    /// [`kind`](Self::kind) is [`ApiErrorKind::Conflict`].
    pub fn is_conflict(&self) -> bool {
        self.kind() == ApiErrorKind::Conflict
    }

    /// [`kind`](Self::kind) is [`ApiErrorKind::Server`].
    pub fn is_server(&self) -> bool {
        self.kind() == ApiErrorKind::Server
    }
}

/// `text` cut to [`SHOWN_CHARS`] characters, with `…` when cut: server text in
/// an error message stays readable however much the server sent.
pub(crate) fn shown(text: &str) -> Shown<'_> {
    Shown(text)
}

/// See [`shown`].
pub(crate) struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let cut = text.char_indices().nth(SHOWN_CHARS).map_or(text.len(), |(i, _)| i);
        write!(f, "{}{}", &text[..cut], if cut < text.len() { "…" } else { "" })
    }
}

impl fmt::Display for ApiError {
    /// `org.get: HTTP 404 Not Found: NotFound: Organization was not found`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}{}", self.action, self.status, after(self.attempts))?;
        match (&self.error_type, &self.message) {
            (Some(kind), Some(message)) => write!(f, ": {}: {}", shown(kind), shown(message)),
            (None, Some(message)) => write!(f, ": {}", shown(message)),
            (Some(kind), None) => write!(f, ": {}", shown(kind)),
            (None, None) if self.body.trim().is_empty() => Ok(()),
            (None, None) => write!(f, ": {}", shown(self.body.trim())),
        }?;
        match self.retry_after {
            Some(wait) => write!(f, " (retry after {} s)", wait.as_secs()),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_display_uses_the_losant_body_or_the_raw_text() {
        let e = ApiError::new(
            "org.get",
            StatusCode::NOT_FOUND,
            br#"{"type":"NotFound","message":"Organization was not found"}"#,
            1,
        );
        assert_eq!(e.to_string(), "org.get: HTTP 404 Not Found: NotFound: Organization was not found");
        let e = ApiError::new("org.get", StatusCode::BAD_GATEWAY, b"<html>bad gateway</html>", 3);
        assert_eq!(e.to_string(), "org.get: HTTP 502 Bad Gateway (after 3 attempts): <html>bad gateway</html>");
        assert_eq!(e.error_type, None);
        let e = ApiError::new("org.get", StatusCode::SERVICE_UNAVAILABLE, b"", 1);
        assert_eq!(e.to_string(), "org.get: HTTP 503 Service Unavailable");
    }

    #[test]
    fn the_kind_follows_losants_type_then_the_status() {
        let kind = |status: u16, body: &str| {
            ApiError::new("org.get", StatusCode::from_u16(status).unwrap(), body.as_bytes(), 1).kind()
        };
        assert_eq!(kind(404, r#"{"type":"NotFound","message":"x"}"#), ApiErrorKind::NotFound);
        assert_eq!(kind(404, ""), ApiErrorKind::NotFound);
        assert_eq!(kind(400, r#"{"type":"Validation"}"#), ApiErrorKind::Validation);
        assert_eq!(kind(400, r#"{"type":"NotFound"}"#), ApiErrorKind::NotFound);
        assert_eq!(kind(400, r#"{"type":"SomethingNew"}"#), ApiErrorKind::Validation);
        assert_eq!(kind(401, r#"{"type":"Unauthorized"}"#), ApiErrorKind::Unauthorized);
        assert_eq!(kind(403, ""), ApiErrorKind::Forbidden);
        assert_eq!(kind(429, r#"{"type":"TooManyRequests"}"#), ApiErrorKind::RateLimited);
        assert_eq!(kind(409, ""), ApiErrorKind::Conflict);
        assert_eq!(kind(502, "<html>bad gateway</html>"), ApiErrorKind::Server);
        assert_eq!(kind(418, ""), ApiErrorKind::Other);
        let e = ApiError::new("org.get", StatusCode::TOO_MANY_REQUESTS, b"", 1);
        assert!(e.is_rate_limited() && !e.is_not_found() && !e.is_server());
        let error = Error::Api(Box::new(e));
        assert!(error.is_rate_limited() && !error.is_validation());
        assert_eq!(error.action(), Some("org.get"));
        assert_eq!(Error::Config("x".into()).action(), None);
        assert_eq!(Error::Config("x".into()).api_kind(), None);
    }
}

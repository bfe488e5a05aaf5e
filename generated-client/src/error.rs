//! What can go wrong with a request, as one enum callers can match on.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

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
        source: reqwest::Error,
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
        source: reqwest::Error,
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

    pub(crate) fn transport(action: &'static str, attempts: u32, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Error::Timeout { action, source }
        } else {
            Error::Transport { action, attempts, source }
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
    pub headers: reqwest::header::HeaderMap,
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
    pub(crate) fn with_headers(mut self, headers: reqwest::header::HeaderMap) -> Self {
        self.headers = headers;
        self
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
}

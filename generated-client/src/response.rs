//! Response metadata: what `send_with_response()` returns besides the body.

use std::sync::{Arc, Mutex};

use http::HeaderMap;
use http::StatusCode;

/// A typed body with the status and headers it came with, as
/// `send_with_response()` returns it (e.g. to read rate-limit headers or a
/// request id).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The HTTP status of the (last) attempt.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body, as `send()` returns it.
    pub body: T,
}

impl<T> ApiResponse<T> {
    /// A response made by hand, e.g. by a test double.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Self { status, headers, body }
    }

    /// A header's value, if it is present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body, without the metadata.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same metadata with the body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse { status: self.status, headers: self.headers, body: f(self.body) }
    }
}

/// Where [`Transport::execute`](crate::transport::Transport::execute) leaves the status and headers of
/// a successful response for `send_with_response()`. The generated `send()`
/// stays the one place that builds and decodes a request; asking for the
/// metadata only hands it this slot.
#[derive(Debug, Clone, Default)]
pub(crate) struct MetaSlot(Arc<Mutex<Option<(StatusCode, HeaderMap)>>>);

impl MetaSlot {
    pub(crate) fn put(&self, status: StatusCode, headers: &HeaderMap) {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((status, headers.clone()));
    }

    /// `body` with the metadata left here (200 and no headers if none was).
    pub(crate) fn into_response<T>(self, body: T) -> ApiResponse<T> {
        let meta = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        let (status, headers) = meta.unwrap_or_default();
        ApiResponse { status, headers, body }
    }
}

//! Which redirects a request follows. The client follows them itself (its
//! HTTP client follows none), so it knows the method, the body and the
//! headers of what would be sent where.

use reqwest::{Method, StatusCode, Url};

/// Which redirects the client follows; set with
/// [`ClientBuilder::redirects`](crate::ClientBuilder::redirects).
///
/// Whatever the policy, a redirect is never followed when it would turn a
/// request with another method than GET into a GET (301, 302 or 303 on a
/// POST, say: what the GET answers is not what the POST did), nor more than
/// 10 times in a row, nor from https to http; the token is never sent to
/// another origin. A redirect that is not followed is an
/// [`Error::Redirect`](crate::Error::Redirect) naming its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RedirectPolicy {
    /// Follow no redirect.
    None,
    /// Follow redirects within the origin (scheme, host and port) of the
    /// request; the default.
    #[default]
    SameOrigin,
    /// Also follow redirects to other origins, for requests without a body,
    /// sending there neither the token nor the request's own headers (such as
    /// `losantdomain`). A request body is never sent to another origin.
    AnyOrigin,
}

/// Redirects followed in a row at most.
pub(crate) const MAX_REDIRECTS: u32 = 10;

/// Whether `status` asks for a redirect the client may follow.
pub(crate) fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

impl RedirectPolicy {
    /// Whether to follow the redirect number `hop` (1 for the first) of a
    /// request with `method` (and a body, if `has_body`) that started at
    /// `origin`, from `status` to `to`: `Err` says why not.
    pub(crate) fn check(
        self,
        hop: u32,
        method: &Method,
        has_body: bool,
        status: StatusCode,
        origin: &Url,
        to: &Url,
    ) -> Result<(), &'static str> {
        if self == RedirectPolicy::None {
            return Err("the client follows no redirects (RedirectPolicy::None)");
        }
        if hop > MAX_REDIRECTS {
            return Err("more than 10 redirects in a row");
        }
        if !matches!(to.scheme(), "http" | "https") || (origin.scheme() == "https" && to.scheme() != "https") {
            return Err("it leaves https");
        }
        if matches!(status.as_u16(), 301..=303) && !matches!(*method, Method::GET | Method::HEAD) {
            return Err("it would turn the request into a GET and drop what it sends");
        }
        if origin.origin() != to.origin() {
            if self == RedirectPolicy::SameOrigin {
                return Err("it leads to another origin (RedirectPolicy::SameOrigin)");
            }
            if has_body {
                return Err("it would send the request body to another origin");
            }
        }
        Ok(())
    }
}

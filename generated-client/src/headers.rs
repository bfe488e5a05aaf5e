//! Headers the caller adds: client-wide defaults (the `User-Agent` among
//! them) and per-request ones, checked before anything is sent.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use crate::error::Error;

/// `losant-rest-rust/<version>`, the start of every request's `User-Agent`.
pub(crate) const USER_AGENT_PREFIX: &str = concat!("losant-rest-rust/", env!("CARGO_PKG_VERSION"));

/// A header name and value, or why they cannot be sent (a line break in the
/// value, a name that is not a token).
pub(crate) fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| "is not a valid HTTP header name".to_string())?;
    let value = HeaderValue::from_str(value)
        .map_err(|_| "contains characters not allowed in an HTTP header (such as CR or LF)".to_string())?;
    Ok((name, value))
}

/// The headers sent with every request: `User-Agent` (with `product`
/// appended, e.g. `my-app/1.0`), then the caller's defaults, which may
/// replace it.
///
/// # Errors
///
/// [`Error::Config`] when a name or value cannot be sent.
pub(crate) fn defaults(product: Option<&str>, extra: &[(String, String)]) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    let agent = match product {
        Some(product) => format!("{USER_AGENT_PREFIX} {product}"),
        None => USER_AGENT_PREFIX.to_string(),
    };
    let agent = HeaderValue::from_str(&agent).map_err(|_| {
        Error::Config(format!("invalid user agent `{}`: not allowed in a header", agent.escape_debug()))
    })?;
    headers.insert(USER_AGENT, agent);
    for (name, value) in extra {
        let (name, value) = header(name, value)
            .map_err(|reason| Error::Config(format!("invalid default header `{}`: {reason}", name.escape_debug())))?;
        headers.insert(name, value);
    }
    Ok(headers)
}

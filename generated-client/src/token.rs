//! How a client authenticates: a token it can replace while it is in use, or
//! a provider asked for the token on every attempt. The token never appears
//! in `Debug` output, errors or spans.

use std::fmt;
use std::sync::{Arc, RwLock};

use reqwest::header::HeaderValue;

use crate::error::Error;
use crate::token_source::TokenCache;

/// Gives the token for each request attempt; see
/// [`ClientBuilder::token_provider`](crate::ClientBuilder::token_provider).
pub(crate) type TokenProvider = Arc<dyn Fn() -> String + Send + Sync>;

/// Where the `Authorization` header comes from.
#[derive(Clone)]
pub(crate) enum Auth {
    /// No header: the unauthenticated actions (`auth.*`).
    None,
    /// `Bearer <token>`, marked sensitive.
    Token(HeaderValue),
    /// A token that cannot be sent in a header: every request fails with this reason.
    Invalid(String),
    /// Asked for the token on every attempt.
    Provider(TokenProvider),
    /// Fetched over the network, cached, and renewed before it expires or after a 401.
    Async(Arc<TokenCache>),
}

/// The client's [`Auth`], shared by its clones and replaceable while requests run.
pub(crate) struct Credentials(RwLock<Auth>);

impl Credentials {
    pub(crate) fn new(auth: Auth) -> Self {
        Self(RwLock::new(auth))
    }

    /// The auth as of now; a request uses it for one attempt.
    fn current(&self) -> Auth {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub(crate) fn replace(&self, auth: Auth) {
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = auth;
    }

    /// The `Authorization` header for the next attempt, if any.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the token cannot be sent in a header.
    pub(crate) fn header(&self) -> Result<Option<HeaderValue>, Error> {
        match self.current() {
            Auth::None => Ok(None),
            Auth::Token(value) => Ok(Some(value)),
            Auth::Invalid(reason) => Err(Error::Config(reason)),
            Auth::Provider(provider) => bearer(&provider()).map(Some).map_err(Error::Config),
            // Every request uses `resolve`, which answers this case itself.
            Auth::Async(_) => Err(Error::Config("an async token provider is asked by `resolve`".to_string())),
        }
    }

    /// The `Authorization` header for the next attempt, and the cache to ask
    /// for a new token if the API rejects it (an async provider only).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the token cannot be sent in a header; the
    /// provider's error when fetching a token failed.
    pub(crate) async fn resolve(&self) -> Result<(Option<HeaderValue>, Option<Arc<TokenCache>>), Error> {
        match self.current() {
            Auth::Async(cache) => Ok((Some(cache.header().await?), Some(cache))),
            _ => Ok((self.header()?, None)),
        }
    }

    /// What `Debug` shows: the kind of auth, never the token.
    pub(crate) fn describe(&self) -> &'static str {
        match self.current() {
            Auth::None => "none",
            Auth::Token(_) | Auth::Invalid(_) => "<redacted>",
            Auth::Provider(_) => "<provider>",
            Auth::Async(_) => "<async provider>",
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// `Bearer <token>` as a sensitive header value.
pub(crate) fn bearer(token: &str) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| "the token contains characters not allowed in an HTTP header".to_string())?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_token_is_used_and_never_shown() {
        let credentials = Credentials::new(Auth::Token(bearer("first").unwrap()));
        assert_eq!(credentials.header().unwrap().unwrap(), "Bearer first");
        credentials.replace(Auth::Token(bearer("second").unwrap()));
        assert_eq!(credentials.header().unwrap().unwrap(), "Bearer second");
        assert!(credentials.header().unwrap().unwrap().is_sensitive());
        assert_eq!(format!("{credentials:?}"), "<redacted>");
        credentials.replace(Auth::Invalid("bad token".into()));
        assert!(matches!(credentials.header(), Err(Error::Config(reason)) if reason == "bad token"));
    }

    #[test]
    fn a_provider_is_asked_on_every_attempt() {
        let calls = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counter = calls.clone();
        let credentials = Credentials::new(Auth::Provider(Arc::new(move || {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            format!("token-{n}")
        })));
        assert_eq!(credentials.header().unwrap().unwrap(), "Bearer token-0");
        assert_eq!(credentials.header().unwrap().unwrap(), "Bearer token-1");
        assert_eq!(format!("{credentials:?}"), "<provider>");
        let broken = Credentials::new(Auth::Provider(Arc::new(|| "a\r\nb".to_string())));
        assert!(matches!(broken.header(), Err(Error::Config(_))));
    }
}

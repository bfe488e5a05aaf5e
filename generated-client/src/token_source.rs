//! Tokens fetched over the network: an async provider the client asks for a
//! token when it has none or the one it has is about to expire, and once
//! more when the API rejects it (a 401). The client keeps the token between
//! requests, so the provider is asked only to fetch.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;

use crate::error::Error;
use crate::secret::Secret;
use crate::token::bearer;

/// A token as a provider issued it, and how long it stays valid if known.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The token, sent as `Authorization: Bearer <token>`.
    pub token: Secret<String>,
    /// How long the token is valid from now; `None`: until the API rejects it.
    pub expires_in: Option<Duration>,
}

impl IssuedToken {
    /// A token valid until the API rejects it.
    pub fn new(token: impl Into<Secret<String>>) -> Self {
        Self { token: token.into(), expires_in: None }
    }

    /// The same token, valid for `ttl` from now.
    pub fn expires_in(mut self, ttl: Duration) -> Self {
        self.expires_in = Some(ttl);
        self
    }
}

/// The future an [`AsyncTokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<IssuedToken, Error>> + Send + 'a>>;

/// Fetches a token over the network (a login, a token service, a vault).
///
/// Set with [`ClientBuilder::async_token_provider`](crate::ClientBuilder::async_token_provider).
/// The client caches what [`fetch`](Self::fetch) returns and calls it again
/// only when it has no token yet, when the token is within a tenth of its
/// lifetime (at most a minute) of expiring, or when the API answered a
/// request with 401 (then the request is sent once more with the new token;
/// a second 401 is the request's error). Concurrent requests share one fetch.
pub trait AsyncTokenProvider: Send + Sync + 'static {
    /// A new token.
    ///
    /// # Errors
    ///
    /// Any [`Error`]; the request that needed the token fails with it.
    fn fetch(&self) -> TokenFuture<'_>;
}

/// The token a provider issued, as a header, and when to renew it.
struct Cached {
    header: HeaderValue,
    renew_at: Option<Instant>,
}

/// An [`AsyncTokenProvider`] and the token it last issued.
pub(crate) struct TokenCache {
    provider: Box<dyn AsyncTokenProvider>,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

/// How long before its expiry a token is renewed: a tenth of its lifetime, at most a minute.
fn renew_margin(ttl: Duration) -> Duration {
    (ttl / 10).min(Duration::from_secs(60))
}

impl TokenCache {
    pub(crate) fn new(provider: impl AsyncTokenProvider) -> Self {
        Self { provider: Box::new(provider), cached: tokio::sync::Mutex::new(None) }
    }

    /// A token the cache already holds (e.g. the one a login just issued).
    #[cfg_attr(not(all(generated_uses = "login_user", generated_uses = "login_device")), allow(dead_code))]
    pub(crate) fn with_token(provider: impl AsyncTokenProvider, issued: IssuedToken) -> Result<Self, Error> {
        let cached = Self::cached(issued)?;
        Ok(Self { provider: Box::new(provider), cached: tokio::sync::Mutex::new(Some(cached)) })
    }

    fn cached(issued: IssuedToken) -> Result<Cached, Error> {
        let header = bearer(issued.token.expose()).map_err(Error::Config)?;
        let renew_at = issued.expires_in.map(|ttl| Instant::now() + ttl.saturating_sub(renew_margin(ttl)));
        Ok(Cached { header, renew_at })
    }

    /// The header for the next attempt: the cached token while it is fresh, else a new one.
    pub(crate) async fn header(&self) -> Result<HeaderValue, Error> {
        let mut cached = self.cached.lock().await;
        if let Some(current) = cached.as_ref() {
            if current.renew_at.is_none_or(|at| Instant::now() < at) {
                return Ok(current.header.clone());
            }
        }
        let fresh = Self::cached(self.provider.fetch().await?)?;
        let header = fresh.header.clone();
        *cached = Some(fresh);
        Ok(header)
    }

    /// The header after the API rejected `rejected`: a new token, unless
    /// another request has already replaced the rejected one.
    pub(crate) async fn refresh(&self, rejected: &HeaderValue) -> Result<HeaderValue, Error> {
        let mut cached = self.cached.lock().await;
        if let Some(current) = cached.as_ref() {
            if current.header != rejected {
                return Ok(current.header.clone());
            }
        }
        let fresh = Self::cached(self.provider.fetch().await?)?;
        let header = fresh.header.clone();
        *cached = Some(fresh);
        Ok(header)
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<async provider>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    struct Counting(Arc<AtomicU32>, Option<Duration>);

    impl AsyncTokenProvider for Counting {
        fn fetch(&self) -> TokenFuture<'_> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            let ttl = self.1;
            Box::pin(async move {
                let issued = IssuedToken::new(format!("token-{n}"));
                Ok(match ttl {
                    Some(ttl) => issued.expires_in(ttl),
                    None => issued,
                })
            })
        }
    }

    #[tokio::test]
    async fn a_token_is_fetched_once_renewed_when_rejected_and_never_shown() {
        let calls = Arc::new(AtomicU32::new(0));
        let cache = TokenCache::new(Counting(calls.clone(), None));
        let first = cache.header().await.unwrap();
        assert_eq!(first, "Bearer token-0");
        assert!(first.is_sensitive());
        assert_eq!(cache.header().await.unwrap(), "Bearer token-0");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(cache.refresh(&first).await.unwrap(), "Bearer token-1");
        // A request that sent the old token and was rejected too gets the new one, no new fetch.
        assert_eq!(cache.refresh(&first).await.unwrap(), "Bearer token-1");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(format!("{cache:?}"), "<async provider>");
        assert!(!format!("{:?}", IssuedToken::new("token-x")).contains("token-x"));
    }

    #[tokio::test]
    async fn a_token_about_to_expire_is_renewed_before_it_is_sent() {
        let calls = Arc::new(AtomicU32::new(0));
        // A lifetime of 10 ms: renewed 1 ms before it ends.
        let cache = TokenCache::new(Counting(calls.clone(), Some(Duration::from_millis(10))));
        assert_eq!(cache.header().await.unwrap(), "Bearer token-0");
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(cache.header().await.unwrap(), "Bearer token-1");
        assert_eq!(renew_margin(Duration::from_secs(3600)), Duration::from_secs(60));
    }
}

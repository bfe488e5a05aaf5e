//! From credentials to a working client: log in as a user or a device, keep
//! the issued token, and log in again when it is about to expire or the API
//! rejects it. Passwords, device secrets and tokens are [`Secret`]s: never
//! printed.

use std::fmt;
use std::time::Duration;

use crate::client::Client;
use crate::error::Error;
use crate::secret::Secret;
use crate::token_source::{AsyncTokenProvider, IssuedToken, TokenCache, TokenFuture};

/// Who logs in, and for how long a token is asked for. Used by
/// [`Client::login`]; [`Client::login_user`] and [`Client::login_device`]
/// are the short forms.
#[derive(Clone)]
pub struct Login {
    who: Who,
    token_ttl: Option<Duration>,
}

#[derive(Clone)]
enum Who {
    User { email: String, password: Secret<String>, two_factor_code: Option<Secret<String>> },
    Device { device_id: String, key: String, secret: Secret<String> },
}

impl Login {
    /// A user, by email and password (`auth.authenticateUser`).
    pub fn user(email: impl Into<String>, password: impl Into<Secret<String>>) -> Self {
        Self {
            who: Who::User { email: email.into(), password: password.into(), two_factor_code: None },
            token_ttl: None,
        }
    }

    /// A device, by its id and an access key and secret of its application
    /// (`auth.authenticateDevice`).
    pub fn device(device_id: impl Into<String>, key: impl Into<String>, secret: impl Into<Secret<String>>) -> Self {
        Self {
            who: Who::Device { device_id: device_id.into(), key: key.into(), secret: secret.into() },
            token_ttl: None,
        }
    }

    /// A user's two-factor code (used by the first login only: a code is
    /// good once, so renewing such a login fails once the token expires).
    pub fn two_factor_code(mut self, code: impl Into<Secret<String>>) -> Self {
        if let Who::User { two_factor_code, .. } = &mut self.who {
            *two_factor_code = Some(code.into());
        }
        self
    }

    /// How long each issued token lives (the API's `tokenTTL`, whole
    /// seconds). The client logs in again a tenth of it (at most a minute)
    /// before it runs out. Without it the API's default applies, and the
    /// client logs in again when the API rejects the token (a 401).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = Some(ttl);
        self
    }
}

impl fmt::Debug for Login {
    /// Who logs in; never the password, secret or code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Login");
        match &self.who {
            Who::User { email, password, .. } => debug.field("email", email).field("password", password),
            Who::Device { device_id, key, secret } => {
                debug.field("device_id", device_id).field("key", key).field("secret", secret)
            }
        };
        debug.field("token_ttl", &self.token_ttl).finish()
    }
}

/// Logs in with a client that sends no token, for each token it needs.
struct LoginProvider {
    client: Client,
    login: Login,
}

impl LoginProvider {
    /// One login: the issued token and its lifetime, if asked for one.
    async fn log_in(&self, first: bool) -> Result<IssuedToken, Error> {
        let ttl = self.login.token_ttl.map(|ttl| i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX));
        let token: Secret<String> = match &self.login.who {
            Who::User { email, password, two_factor_code } => {
                let mut credentials = crate::types::UserCredentials::new(email.clone(), password.clone());
                if let (true, Some(code)) = (first, two_factor_code) {
                    credentials = credentials.two_factor_code(code.expose().clone());
                }
                if let Some(ttl) = ttl {
                    credentials = credentials.token_ttl(ttl);
                }
                self.client.auth().authenticate_user(credentials).send().await?.token
            }
            Who::Device { device_id, key, secret } => {
                let mut credentials =
                    crate::types::DeviceCredentials::new(device_id.clone()).key(key.clone()).secret(secret.clone());
                if let Some(ttl) = ttl {
                    credentials = credentials.token_ttl(ttl);
                }
                self.client.auth().authenticate_device(credentials).send().await?.token
            }
        };
        let issued = IssuedToken::new(token);
        Ok(match self.login.token_ttl {
            Some(ttl) => issued.expires_in(ttl),
            None => issued,
        })
    }
}

impl AsyncTokenProvider for LoginProvider {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(self.log_in(false))
    }
}

impl Client {
    /// Logs in as a user (`auth.authenticateUser`) and authenticates this
    /// client and its clones with the issued token from now on, logging in
    /// again when the API rejects it. Short for
    /// `client.login(Login::user(email, password))`.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), losant_rest::Error> {
    /// let client = losant_rest::Client::builder().build()?;
    /// let password = std::env::var("LOSANT_PASSWORD").unwrap_or_default();
    /// client.login_user("me@example.com", password).await?;
    /// let me = client.me().get().send().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// The login's error, e.g. [`Error::Api`] with status 401 for wrong credentials.
    pub async fn login_user(&self, email: impl Into<String>, password: impl Into<Secret<String>>) -> Result<(), Error> {
        self.login(Login::user(email, password)).await
    }

    /// Logs in as a device (`auth.authenticateDevice`) with an access key and
    /// secret, as [`login_user`](Self::login_user) does for a user.
    ///
    /// # Errors
    ///
    /// The login's error, e.g. [`Error::Api`] with status 401 for a wrong key or secret.
    pub async fn login_device(
        &self,
        device_id: impl Into<String>,
        key: impl Into<String>,
        secret: impl Into<Secret<String>>,
    ) -> Result<(), Error> {
        self.login(Login::device(device_id, key, secret)).await
    }

    /// Logs in once now (so wrong credentials fail here), then uses the
    /// issued token for every request of this client and its clones. The
    /// client logs in again before the token's [`token_ttl`](Login::token_ttl)
    /// runs out, and when the API answers a request with 401: that request is
    /// then sent once more, and a second 401 is its error. It replaces a
    /// token or provider set before.
    ///
    /// # Errors
    ///
    /// The login's error; the client's auth is then unchanged.
    pub async fn login(&self, login: Login) -> Result<(), Error> {
        let provider = LoginProvider { client: Client { transport: self.transport.without_auth() }, login };
        let issued = provider.log_in(true).await?;
        let cache = TokenCache::with_token(provider, issued)?;
        self.transport.replace_auth(crate::token::Auth::Async(std::sync::Arc::new(cache)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_never_shows_its_secrets() {
        let user = Login::user("me@example.com", "hunter2-pass").two_factor_code("123456");
        let shown = format!("{user:?}");
        assert!(shown.contains("me@example.com") && !shown.contains("hunter2") && !shown.contains("123456"));
        let device = Login::device("575ecf887ae143cd83dc4aa2", "key-1", "device-secret-x");
        assert!(!format!("{device:?}").contains("device-secret-x"));
    }
}

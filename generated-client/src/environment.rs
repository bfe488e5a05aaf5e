//! A client configured from the environment, as Losant's own CLI is:
//! `LOSANT_API_URL` for a private installation, `LOSANT_API_TOKEN` for the token.

use std::env::VarError;

use crate::error::Error;
use crate::{Client, ClientBuilder};

/// The base URL of the API (a private installation's); default `https://api.losant.com`.
pub const API_URL_VAR: &str = "LOSANT_API_URL";
/// The API access token; unset: requests go unauthenticated (e.g. to log in).
pub const API_TOKEN_VAR: &str = "LOSANT_API_TOKEN";

impl Client {
    /// A client configured from the process environment, with every other
    /// setting the [`ClientBuilder`] default:
    ///
    /// - `LOSANT_API_URL`: the API's base URL, for a private installation
    ///   (default `https://api.losant.com`);
    /// - `LOSANT_API_TOKEN`: the token to send (default none: log in with
    ///   [`Client::login`](crate::Client) or call unauthenticated actions).
    ///
    /// A variable set to the empty string counts as unset. For more settings,
    /// start from [`ClientBuilder::from_env`].
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the variable that is malformed: a URL that is
    /// not `http(s)://host[/path]`, a token that cannot be sent in a header,
    /// or a value that is not Unicode. The value of the token is never shown.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }
}

impl ClientBuilder {
    /// A builder with the base URL and token from the process environment,
    /// as [`Client::from_env`] reads them, for further settings.
    ///
    /// # Errors
    ///
    /// As [`Client::from_env`].
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Self::from_lookup(|name| std::env::var(name))
    }

    /// As [`from_env`](Self::from_env), with the variables from `lookup`
    /// (called as [`std::env::var`] is), e.g. a map in a test or a config file.
    ///
    /// # Errors
    ///
    /// As [`Client::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Result<String, VarError>) -> Result<ClientBuilder, Error> {
        let read = |name: &'static str| match lookup(name) {
            Ok(value) if value.is_empty() => Ok(None),
            Ok(value) => Ok(Some(value)),
            Err(VarError::NotPresent) => Ok(None),
            Err(VarError::NotUnicode(_)) => Err(Error::Config(format!("{name} is not valid Unicode"))),
        };
        let mut builder = Client::builder();
        if let Some(url) = read(API_URL_VAR)? {
            check_base_url(&url).map_err(|reason| Error::Config(format!("{API_URL_VAR} `{url}` {reason}")))?;
            builder = builder.base_url(url);
        }
        if let Some(token) = read(API_TOKEN_VAR)? {
            crate::token::bearer(&token).map_err(|reason| Error::Config(format!("{API_TOKEN_VAR}: {reason}")))?;
            builder = builder.token(token);
        }
        Ok(builder)
    }
}

/// Why `url` cannot be a base URL, if it cannot (the rule of [`ClientBuilder::build`]).
fn check_base_url(url: &str) -> Result<(), &'static str> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "is not a URL")?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("is not of the form http(s)://host[/path]");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Result<String, VarError> + 'a {
        move |name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()).ok_or(VarError::NotPresent)
    }

    fn config_error(result: Result<ClientBuilder, Error>) -> String {
        match result {
            Err(Error::Config(reason)) => reason,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn the_url_and_token_are_read_and_unset_ones_keep_the_defaults() {
        let vars = [(API_URL_VAR, "http://127.0.0.1:8080/api/"), (API_TOKEN_VAR, "tok-secret")];
        let client = ClientBuilder::from_lookup(lookup(&vars)).unwrap().build().unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8080/api");
        assert!(!format!("{client:?}").contains("tok-secret"));
        let client = ClientBuilder::from_lookup(lookup(&[(API_URL_VAR, "")])).unwrap().build().unwrap();
        assert_eq!(client.base_url(), crate::DEFAULT_BASE_URL);
        assert!(format!("{client:?}").contains("token: none"));
    }

    #[test]
    fn a_malformed_variable_is_named_and_a_token_never_shown() {
        for url in ["api.example.com", "ftp://example.com", "https://example.com/?x=1"] {
            let reason = config_error(ClientBuilder::from_lookup(lookup(&[(API_URL_VAR, url)])));
            assert!(reason.starts_with("LOSANT_API_URL `"), "{reason}");
        }
        let reason = config_error(ClientBuilder::from_lookup(lookup(&[(API_TOKEN_VAR, "tok-secret\nx")])));
        assert!(reason.starts_with("LOSANT_API_TOKEN: ") && !reason.contains("tok-secret"), "{reason}");
        let not_unicode = |name: &str| match name {
            API_TOKEN_VAR => Err(VarError::NotUnicode(std::ffi::OsString::from("x"))),
            _ => Err(VarError::NotPresent),
        };
        assert_eq!(config_error(ClientBuilder::from_lookup(not_unicode)), "LOSANT_API_TOKEN is not valid Unicode");
    }
}

//! The escape hatch: a request the typed API cannot express (an action or a
//! field newer than the spec), sent with the same encoding, headers, retries,
//! timeouts and errors as the typed ones.

use std::borrow::Cow;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::decode::Response;
use crate::error::Error;
use crate::request::{Method, Request};
use crate::response::ApiResponse;
use crate::{Client, CommonParams, FilePart, RetryPolicy};

/// A request built by hand: [`Client::request`].
///
/// Path params fill `{name}` segments of the path template and, like every
/// query value, are percent-encoded by the same rules as the typed API (only
/// `A-Za-z0-9-._~` stay literal), so no value can change the path or add a
/// param. The query starts with the same defaults as the typed requests
/// (`_actions=false&_links=true&_embedded=true`; a value you set for one of
/// them replaces it in place). Nothing is checked against the spec.
///
/// ```no_run
/// # async fn run(client: losant_rest::Client) -> Result<(), losant_rest::Error> {
/// use losant_rest::Method;
/// let devices: serde_json::Value = client
///     .request(Method::GET, "/applications/{applicationId}/devices")
///     .path_param("applicationId", "575ec8687ae143cd83dc4a97")
///     .query("perPage", 10)
///     .header("x-request-id", "abc-123")
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct RawRequest {
    client: Client,
    request: Request,
    /// How many leading query pairs are the defaults a value may replace.
    defaults: usize,
    /// A body that could not be written, reported by `send`.
    error: Option<Error>,
}

impl Client {
    /// A request the typed API cannot express: `method` on `path` (relative
    /// to the base URL, with `{name}` segments filled by
    /// [`path_param`](RawRequest::path_param)). The response decodes into any
    /// type, `serde_json::Value` included; see [`RawRequest`].
    pub fn request(&self, method: Method, path: impl Into<String>) -> RawRequest {
        let path = path.into();
        let mut request = Request::new("raw", method, Cow::Owned(path));
        CommonParams::default().write_to(&mut request);
        let defaults = request.query.len();
        RawRequest { client: self.clone(), request, defaults, error: None }
    }
}

impl RawRequest {
    /// The name errors and spans give the request (`resource.action` for the
    /// typed ones); default `raw`.
    pub fn action(mut self, action: &'static str) -> Self {
        self.request.action = action;
        self
    }

    /// Fills the `{name}` segment of the path with `value`, percent-encoded
    /// as one segment (an empty, `.` or `..` value is refused when sent).
    pub fn path_param(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.request.path_param(Cow::Owned(name.into()), value.to_string(), None);
        self
    }

    /// Adds a query param. Setting one of the default params
    /// (`_actions`, `_links`, `_embedded`) replaces its default in place;
    /// any other name may be given more than once.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        let (name, value) = (name.into(), value.to_string());
        match self.request.query[..self.defaults].iter_mut().find(|(n, _)| *n == name) {
            Some(pair) => pair.1 = value.into(),
            None => self.request.query(name, Some(value)),
        }
        self
    }

    /// Adds a structured query param as the typed API sends them: `query` as
    /// one compact JSON string, anything else in bracket notation
    /// (`tagFilter[0][key]=floor`).
    pub fn query_structured(mut self, name: impl Into<String>, value: &impl Serialize) -> Self {
        // The typed API's plan sends only the advanced `query` as JSON; by
        // name is the best a raw request can do.
        let name = name.into();
        let written = if name == "query" {
            self.request.query_json("query", Some(value))
        } else {
            self.request.query_brackets(name, Some(value))
        };
        if let Err(error) = written {
            self.error.get_or_insert(error);
        }
        self
    }

    /// Adds a header (replacing a default one of the same name). A value with
    /// characters not allowed in a header (CR, LF) fails the request with
    /// [`Error::InvalidArgument`] before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.options.headers.push((name.into(), value.into()));
        self
    }

    /// Sends `body` as compact JSON (`Content-Type: application/json`).
    pub fn json(mut self, body: &impl Serialize) -> Self {
        if let Err(error) = self.request.json_body(body) {
            self.error.get_or_insert(error);
        }
        self
    }

    /// Adds a text part to a `multipart/form-data` body.
    pub fn part_text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.part_text(Cow::Owned(name.into()), Some(value.into()));
        self
    }

    /// Adds a file part to a `multipart/form-data` body.
    pub fn part_file(mut self, name: impl Into<String>, file: FilePart) -> Self {
        self.request.part_file(Cow::Owned(name.into()), Some(file));
        self
    }

    /// Overrides the client's request timeout for this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.request.options.timeout = Some(timeout);
        self
    }

    /// Overrides the client's [`RetryPolicy`] for this request.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.request.options.retry = Some(policy);
        self
    }

    /// Sends the request and decodes the body as `T` (an empty body decodes
    /// as JSON `null`, so `()`, `Option<_>` and `serde_json::Value` accept it).
    ///
    /// # Errors
    ///
    /// As the typed requests: [`Error::Api`] for an error status,
    /// [`Error::InvalidArgument`] when a value cannot be sent, [`Error::Decode`]
    /// when the body is not a `T`, transport and timeout errors.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        Ok(self.send_with_response().await?.body)
    }

    /// Like [`send`](Self::send), with the status and headers of the response.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_with_response<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if !self.request.path.starts_with('/') {
            return Err(Error::InvalidArgument {
                action: self.request.action,
                param: "path".to_string(),
                reason: format!("`{}` does not start with `/`", self.request.path),
            });
        }
        let response = self.client.transport.execute(self.request).await?;
        let (status, headers) = (response.status, response.headers.clone());
        Ok(ApiResponse::new(status, headers, decode(response)?))
    }

    /// Like [`send`](Self::send), for code that is not async. Cargo feature `blocking`.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send); [`Error::BlockingInAsync`] inside an async runtime.
    #[cfg(feature = "blocking")]
    pub fn send_blocking<T: DeserializeOwned>(self) -> Result<T, Error> {
        let action = self.request.action;
        crate::blocking::block_on(action, self.send())
    }
}

/// The body as `T`; an empty body is JSON `null`.
fn decode<T: DeserializeOwned>(response: Response) -> Result<T, Error> {
    if response.body.trim_ascii().is_empty() {
        let null = Response { body: bytes::Bytes::from_static(b"null"), ..response };
        return null.json();
    }
    response.json()
}

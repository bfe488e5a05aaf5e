//! The request description that generated code fills, and the response it
//! decodes. Generated `send` methods are thin: they build a [`Request`] and
//! hand it to [`Client::execute`](crate::Client), one non-generic function.

use bytes::Bytes;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub(crate) use reqwest::Method;

use crate::encode::push_encoded;
use crate::error::Error;

/// Everything about one request, before it is put on the wire.
#[derive(Debug)]
pub(crate) struct Request {
    /// `resource.action`, for errors.
    pub(crate) action: &'static str,
    pub(crate) method: Method,
    /// Path template, e.g. `/orgs/{orgId}/invites`.
    path: &'static str,
    path_params: Vec<(&'static str, String)>,
    query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Compact JSON.
    pub(crate) body: Option<Vec<u8>>,
}

/// How a param value is written in a path, query or header.
pub(crate) trait ParamValue {
    fn to_param(&self) -> String;
}

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for i64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for f64 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for serde_json::Value {
    /// Structured values travel as compact JSON text.
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl Request {
    pub(crate) fn new(action: &'static str, method: Method, path: &'static str) -> Self {
        Self {
            action,
            method,
            path,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Fills the `{name}` segment of the path.
    pub(crate) fn path_param(&mut self, name: &'static str, value: impl ParamValue) {
        self.path_params.push((name, value.to_param()));
    }

    /// Adds a query param, if it has a value. Order is kept as added.
    pub(crate) fn query(&mut self, name: &'static str, value: Option<impl ParamValue>) {
        if let Some(value) = value {
            self.query.push((name, value.to_param()));
        }
    }

    /// Adds a header, if it has a value. It is checked when the request is sent.
    pub(crate) fn header(&mut self, name: &'static str, value: Option<impl ParamValue>) {
        if let Some(value) = value {
            self.headers.push((name, value.to_param()));
        }
    }

    /// Sets the body to `value` as compact JSON.
    pub(crate) fn json_body(&mut self, value: &impl Serialize) -> Result<(), Error> {
        let body = serde_json::to_vec(value).map_err(|source| Error::InvalidArgument {
            action: self.action,
            param: "body".to_string(),
            reason: format!("cannot be written as JSON: {source}"),
        })?;
        self.body = Some(body);
        Ok(())
    }

    /// `base` + the path with each param percent-encoded as one segment + the
    /// query string, each value percent-encoded.
    pub(crate) fn url(&self, base: &str) -> Result<String, Error> {
        let mut url = String::with_capacity(base.len() + self.path.len() + 64);
        url.push_str(base);
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let name = &rest[open + 1..close];
            let value = self
                .path_params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            // An empty, `.` or `..` segment would change which resource the path names.
            if matches!(value, "" | "." | "..") {
                return Err(Error::InvalidArgument {
                    action: self.action,
                    param: name.to_string(),
                    reason: format!("`{value}` is not a valid path segment"),
                });
            }
            push_encoded(&mut url, value);
            rest = rest.get(close + 1..).unwrap_or_default();
        }
        url.push_str(rest);
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            push_encoded(&mut url, name);
            url.push('=');
            push_encoded(&mut url, value);
        }
        Ok(url)
    }
}

/// A successful response, not yet decoded.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) action: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
}

impl Response {
    /// Decodes the body as `T`; a failure names the type and the field path.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| Error::Decode {
            action: self.action,
            status: self.status,
            type_name: std::any::type_name::<T>(),
            path: error.path().to_string(),
            source: error.into_inner(),
        })
    }

    /// For actions whose success has no body: the body is ignored.
    #[allow(dead_code)] // used by generated code only when an action has no success schema
    pub(crate) fn empty(self) -> Result<(), Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request::new("org.get", Method::GET, "/orgs/{orgId}/members/{userId}")
    }

    #[test]
    fn path_params_are_single_encoded_segments() {
        let mut r = request();
        r.path_param("orgId", "../../me".to_string());
        r.path_param("userId", "a/b?c=d#e".to_string());
        assert_eq!(
            r.url("https://x").unwrap(),
            "https://x/orgs/..%2F..%2Fme/members/a%2Fb%3Fc%3Dd%23e"
        );
    }

    #[test]
    fn dot_and_empty_segments_are_rejected() {
        for bad in ["", ".", ".."] {
            let mut r = request();
            r.path_param("orgId", bad.to_string());
            r.path_param("userId", "u".to_string());
            let error = r.url("https://x").unwrap_err();
            assert!(
                matches!(error, Error::InvalidArgument { ref param, .. } if param == "orgId"),
                "{error}"
            );
        }
    }

    #[test]
    fn query_keeps_order_and_encodes_values() {
        let mut r = Request::new("org.get", Method::GET, "/orgs");
        r.query("_actions", Some(false));
        r.query("skipped", None::<String>);
        r.query("q", Some("a b&c=d".to_string()));
        r.query("n", Some(1.5));
        assert_eq!(
            r.url("https://x").unwrap(),
            "https://x/orgs?_actions=false&q=a%20b%26c%3Dd&n=1.5"
        );
    }
}

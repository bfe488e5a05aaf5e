//! The request description that generated code fills: params in their
//! place (path, query, header, body) and the URL they make. Generated `send`
//! methods are thin: they build a [`Request`] and hand it to the transport
//! ([`Transport::execute`](crate::transport::Transport::execute)), one
//! non-generic function.

use std::borrow::Cow;

use serde::Serialize;

pub(crate) use http::Method;

use crate::encode::push_encoded;
use crate::error::Error;
use crate::pattern::Pattern;
use crate::retry::RetryPolicy;
use crate::upload::FilePart;

/// Everything about one request, before it is put on the wire.
#[derive(Debug)]
pub(crate) struct Request {
    /// `resource.action`, for errors.
    pub(crate) action: &'static str,
    pub(crate) method: Method,
    /// Path template, e.g. `/orgs/{orgId}/invites` (owned for raw requests).
    pub(crate) path: Cow<'static, str>,
    /// Each path param with the pattern the spec gives its values.
    path_params: Vec<(Cow<'static, str>, String, Option<&'static Pattern>)>,
    /// Query pairs in wire order (structured params already flattened).
    /// `Cow`: the generated names and the booleans' `true`/`false` are
    /// static, so the common params cost no allocation (issue 13).
    pub(crate) query: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) options: RequestOptions,
}

/// Per-request overrides of the client's settings, set through each request
/// builder's `timeout`, `retry` and `header` methods.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestOptions {
    pub(crate) timeout: Option<std::time::Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    /// Headers the caller added; they replace defaults of the same name.
    pub(crate) headers: Vec<(String, String)>,
    /// Where `send_with_response` wants the status and headers.
    pub(crate) meta: Option<crate::response::MetaSlot>,
}

/// What a request sends as its body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// Compact JSON, sent as `application/json`.
    Json(Vec<u8>),
    /// `multipart/form-data` parts, in spec order.
    Multipart(Vec<(Cow<'static, str>, Part)>),
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    Text(String),
    File(FilePart),
}

/// How a param value is written in a path, query or header (taken by value:
/// builders hand over what they own, so text is moved, not copied).
pub(crate) trait ParamValue {
    fn into_param(self) -> Cow<'static, str>;
}

impl ParamValue for String {
    fn into_param(self) -> Cow<'static, str> {
        Cow::Owned(self)
    }
}

/// A credential param: sent as its text, kept out of `Debug` until here.
impl ParamValue for crate::Secret<String> {
    fn into_param(self) -> Cow<'static, str> {
        Cow::Owned(self.into_inner())
    }
}

impl ParamValue for bool {
    /// Static text: every request sends three booleans (`_actions`, ...).
    fn into_param(self) -> Cow<'static, str> {
        Cow::Borrowed(if self { "true" } else { "false" })
    }
}

impl ParamValue for i64 {
    fn into_param(self) -> Cow<'static, str> {
        Cow::Owned(self.to_string())
    }
}

impl ParamValue for f64 {
    fn into_param(self) -> Cow<'static, str> {
        Cow::Owned(self.to_string())
    }
}

/// A value as its setter was given it: typed values as their own text, text as it is.
impl<T: ParamValue> ParamValue for crate::param::Given<T> {
    fn into_param(self) -> Cow<'static, str> {
        match self {
            crate::param::Given::Typed(value) => value.into_param(),
            crate::param::Given::Text(text) => Cow::Owned(text),
        }
    }
}

impl ParamValue for serde_json::Value {
    /// Structured values travel as compact JSON text.
    fn into_param(self) -> Cow<'static, str> {
        Cow::Owned(self.to_string())
    }
}

impl Request {
    pub(crate) fn new(action: &'static str, method: Method, path: impl Into<Cow<'static, str>>) -> Self {
        Self {
            action,
            method,
            path: path.into(),
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            options: RequestOptions::default(),
        }
    }

    /// Sets the per-request overrides.
    pub(crate) fn options(&mut self, options: RequestOptions) {
        self.options = options;
    }

    /// Fills the `{name}` segment of the path; a value that does not match
    /// `pattern` is refused when the URL is built (unless the client is told
    /// not to check).
    pub(crate) fn path_param(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl ParamValue,
        pattern: Option<&'static Pattern>,
    ) {
        self.path_params.push((name.into(), value.into_param().into_owned(), pattern));
    }

    /// Adds a query param, if it has a value. Order is kept as added.
    pub(crate) fn query(&mut self, name: impl Into<Cow<'static, str>>, value: Option<impl ParamValue>) {
        if let Some(value) = value {
            self.query.push((name.into(), value.into_param()));
        }
    }

    /// Adds a header, if it has a value. It is checked when the request is sent.
    #[cfg_attr(not(generated_uses = "headers"), allow(dead_code))]
    pub(crate) fn header(&mut self, name: &'static str, value: Option<impl ParamValue>) {
        if let Some(value) = value {
            self.headers.push((name, value.into_param().into_owned()));
        }
    }

    /// Sets the body to `value` as compact JSON.
    pub(crate) fn json_body(&mut self, value: &impl Serialize) -> Result<(), Error> {
        let body = self.to_json("body", value)?;
        self.body = Some(Body::Json(body.into_bytes()));
        Ok(())
    }

    /// Adds an object or array query param as one compact JSON string, as
    /// the API reads its advanced queries (codegen's plan says which params).
    pub(crate) fn query_json(&mut self, name: &'static str, value: Option<&impl Serialize>) -> Result<(), Error> {
        if let Some(value) = value {
            let json = self.to_json(name, value)?;
            self.query.push((name.into(), json.into()));
        }
        Ok(())
    }

    /// Adds an object or array query param in bracket notation,
    /// `tagFilter[0][key]=k&tagFilter[0][value]=v`.
    pub(crate) fn query_brackets(
        &mut self,
        name: impl Into<String>,
        value: Option<&impl Serialize>,
    ) -> Result<(), Error> {
        let Some(value) = value else { return Ok(()) };
        let name = name.into();
        let value = serde_json::to_value(value).map_err(|e| self.unwritable(&name, e))?;
        flatten(name, &value, &mut self.query);
        Ok(())
    }

    /// Adds a text part to the multipart body.
    pub(crate) fn part_text(&mut self, name: impl Into<Cow<'static, str>>, value: Option<impl ParamValue>) {
        if let Some(value) = value {
            self.parts().push((name.into(), Part::Text(value.into_param().into_owned())));
        }
    }

    /// Adds a JSON part (a structured value) to the multipart body.
    #[cfg_attr(not(generated_uses = "json_parts"), allow(dead_code))]
    pub(crate) fn part_json(&mut self, name: &'static str, value: Option<&impl Serialize>) -> Result<(), Error> {
        if let Some(value) = value {
            let json = self.to_json(name, value)?;
            self.parts().push((name.into(), Part::Text(json)));
        }
        Ok(())
    }

    /// Adds a file part to the multipart body.
    pub(crate) fn part_file(&mut self, name: impl Into<Cow<'static, str>>, value: Option<FilePart>) {
        if let Some(file) = value {
            self.parts().push((name.into(), Part::File(file)));
        }
    }

    fn parts(&mut self) -> &mut Vec<(Cow<'static, str>, Part)> {
        if !matches!(self.body, Some(Body::Multipart(_))) {
            self.body = Some(Body::Multipart(Vec::new()));
        }
        match &mut self.body {
            Some(Body::Multipart(parts)) => parts,
            _ => unreachable!("the body was just made multipart"),
        }
    }

    fn to_json(&self, param: &str, value: &impl Serialize) -> Result<String, Error> {
        serde_json::to_string(value).map_err(|e| self.unwritable(param, e))
    }

    fn unwritable(&self, param: &str, source: serde_json::Error) -> Error {
        Error::InvalidArgument {
            action: self.action,
            param: param.to_string(),
            reason: format!("cannot be written as JSON: {source}"),
        }
    }

    /// `base` + the path with each param percent-encoded as one segment + the
    /// query string, each value percent-encoded. With `check`, path params
    /// must match their pattern.
    pub(crate) fn url(&self, base: &str, check: bool) -> Result<String, Error> {
        let mut url = String::with_capacity(base.len() + self.path.len() + 64);
        url.push_str(base);
        let mut rest: &str = &self.path;
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let name = &rest[open + 1..close];
            let (value, pattern) = self
                .path_params
                .iter()
                .find(|(n, ..)| n == name)
                .map(|(_, v, pattern)| (v.as_str(), *pattern))
                .unwrap_or_default();
            if let (true, Some(pattern)) = (check, pattern) {
                if !pattern.matches(value) {
                    return Err(Error::InvalidArgument {
                        action: self.action,
                        param: name.to_string(),
                        reason: format!("`{value}` does not match the pattern `{}`", pattern.text()),
                    });
                }
            }
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
        let size = url.len() + self.headers.iter().map(|(name, value)| name.len() + value.len()).sum::<usize>();
        if size > MAX_HEAD_SIZE {
            // Blame the longest value: that is the one to shorten.
            let path = self.path_params.iter().map(|(name, value, _)| (name.as_ref(), value.len()));
            let query = self.query.iter().map(|(name, value)| (name.as_ref(), value.len()));
            let headers = self.headers.iter().map(|(name, value)| (*name, value.len()));
            let (param, _) = path.chain(query).chain(headers).max_by_key(|(_, len)| *len).unwrap_or(("", 0));
            return Err(Error::InvalidArgument {
                action: self.action,
                param: param.to_string(),
                reason: format!(
                    "is too long: the URL and headers would take {size} bytes, more than the {MAX_HEAD_SIZE} servers accept"
                ),
            });
        }
        Ok(url)
    }
}

/// The most the URL and the request's own headers may take, in bytes: the
/// API's servers (Node.js) refuse a request whose head is over 16 KiB, and
/// would only say so by closing the connection.
const MAX_HEAD_SIZE: usize = 16 << 10;

/// `tagFilter` + `[{"key":"k"}]` → `tagFilter[0][key]=k`. Nulls are left out.
fn flatten(key: String, value: &serde_json::Value, out: &mut Vec<(Cow<'static, str>, Cow<'static, str>)>) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((key.into(), b.into_param())),
        Value::Number(n) => out.push((key.into(), n.to_string().into())),
        Value::String(s) => out.push((key.into(), s.clone().into())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(format!("{key}[{i}]"), item, out);
            }
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                flatten(format!("{key}[{name}]"), item, out);
            }
        }
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
        r.path_param("orgId", "../../me".to_string(), None);
        r.path_param("userId", "a/b?c=d#e".to_string(), None);
        assert_eq!(r.url("https://x", true).unwrap(), "https://x/orgs/..%2F..%2Fme/members/a%2Fb%3Fc%3Dd%23e");
    }

    #[test]
    fn path_params_must_match_their_pattern_when_checked() {
        static HEX_ID: Pattern =
            Pattern::bytes("^[A-Fa-f\\d]{24}$", &[(b'0', b'9'), (b'A', b'F'), (b'a', b'f')], 24, 24);
        let mut r = Request::new("org.get", Method::GET, "/orgs/{orgId}");
        r.path_param("orgId", "../../me".to_string(), Some(&HEX_ID));
        let error = r.url("https://x", true).unwrap_err();
        assert_eq!(
            error.to_string(),
            "org.get: invalid `orgId`: `../../me` does not match the pattern `^[A-Fa-f\\d]{24}$`"
        );
        assert_eq!(r.url("https://x", false).unwrap(), "https://x/orgs/..%2F..%2Fme");
        let mut r = Request::new("org.get", Method::GET, "/orgs/{orgId}");
        r.path_param("orgId", "575ed6e87ae143cd83dc4aa8".to_string(), Some(&HEX_ID));
        assert_eq!(r.url("https://x", true).unwrap(), "https://x/orgs/575ed6e87ae143cd83dc4aa8");
    }

    #[test]
    fn dot_and_empty_segments_are_rejected() {
        for bad in ["", ".", ".."] {
            let mut r = request();
            r.path_param("orgId", bad.to_string(), None);
            r.path_param("userId", "u".to_string(), None);
            let error = r.url("https://x", true).unwrap_err();
            assert!(matches!(error, Error::InvalidArgument { ref param, .. } if param == "orgId"), "{error}");
        }
    }

    #[test]
    fn structured_query_params_use_brackets_or_json() {
        let mut r = Request::new("devices.get", Method::GET, "/devices");
        r.query("_actions", Some(false));
        let tags = serde_json::json!([{"key": "floor", "value": "2 & 3"}, {"key": "k"}]);
        r.query_brackets("tagFilter", Some(&tags)).unwrap();
        r.query_json("query", Some(&serde_json::json!({"name": {"$eq": "a b"}}))).unwrap();
        r.query_brackets("keywords", Some(&vec!["gps", "aws"])).unwrap();
        r.query_brackets("skipped", None::<&String>).unwrap();
        r.query("page", Some(2_i64));
        assert_eq!(
            r.url("https://x", true).unwrap(),
            "https://x/devices?_actions=false\
             &tagFilter%5B0%5D%5Bkey%5D=floor&tagFilter%5B0%5D%5Bvalue%5D=2%20%26%203&tagFilter%5B1%5D%5Bkey%5D=k\
             &query=%7B%22name%22%3A%7B%22%24eq%22%3A%22a%20b%22%7D%7D\
             &keywords%5B0%5D=gps&keywords%5B1%5D=aws&page=2"
        );
    }

    #[test]
    fn query_keeps_order_and_encodes_values() {
        let mut r = Request::new("org.get", Method::GET, "/orgs");
        r.query("_actions", Some(false));
        r.query("skipped", None::<String>);
        r.query("q", Some("a b&c=d".to_string()));
        r.query("n", Some(1.5));
        assert_eq!(r.url("https://x", true).unwrap(), "https://x/orgs?_actions=false&q=a%20b%26c%3Dd&n=1.5");
    }
}

#[cfg(test)]
mod injection_properties {
    //! Whatever a caller passes as a path, query or header value, it cannot
    //! change the request's path, add a query param or add a header.

    use proptest::prelude::*;

    use super::*;

    /// Any text, with the characters that matter to URLs and headers made common.
    fn hostile() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("/".to_string()),
                Just("?".to_string()),
                Just("&".to_string()),
                Just("=".to_string()),
                Just("#".to_string()),
                Just("%".to_string()),
                Just("..".to_string()),
                Just("\r\n".to_string()),
                Just(" ".to_string()),
                any::<char>().prop_map(String::from),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn values_stay_inside_their_segment_and_pair(path in hostile(), query in hostile()) {
            let mut request = Request::new("org.get", Method::GET, "/orgs/{orgId}/members");
            request.path_param("orgId", path.clone(), None);
            request.query("q", Some(query.clone()));
            request.query("after", Some("x".to_string()));
            let Ok(url) = request.url("https://api.example", false) else {
                // Only the values that would be dot segments or empty are refused.
                prop_assert!(matches!(path.as_str(), "" | "." | ".."));
                return Ok(());
            };
            let parsed = reqwest::Url::parse(&url).unwrap();
            let segments: Vec<&str> = parsed.path_segments().unwrap().collect();
            prop_assert_eq!(segments.len(), 3, "{}", url);
            prop_assert_eq!(segments[0], "orgs");
            prop_assert_eq!(segments[2], "members");
            prop_assert!(parsed.fragment().is_none());
            let pairs: Vec<(String, String)> = parsed.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            prop_assert_eq!(pairs, vec![("q".to_string(), query), ("after".to_string(), "x".to_string())]);
        }

    }
}

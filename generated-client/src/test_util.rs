//! Test support (cargo feature `test-util`): an HTTP server in the test's own
//! process that answers the client's requests from typed expectations, so
//! code that uses the client is tested without a network and without
//! writing a server.
//!
//! ```no_run
//! # async fn run() {
//! use losant_rest::org;
//! use losant_rest::test_util::MockServer;
//! use losant_rest::types::Org;
//!
//! let mock = MockServer::start().await;
//! let org = Org::new().name("Acme");
//! // Typed: `returns` takes what `org::GetRequest::send` returns.
//! mock.on::<org::GetRequest>().path_param("orgId", "575ed6e87ae143cd83dc4aa8").returns(&org);
//!
//! let client = mock.client();
//! let got = client.org().get("575ed6e87ae143cd83dc4aa8").send().await.unwrap();
//! assert_eq!(got.name.as_deref(), Some("Acme"));
//! assert_eq!(mock.received()[0].action, Some("org.get"));
//! # }
//! ```
//!
//! Expectations match on the action's method and path template (from the same
//! spec as the client), narrowed by path params and query params. The last
//! expectation added that matches answers; a request nothing matches gets a
//! Losant-shaped 404 and is listed by [`MockServer::unmatched`].

use std::fmt;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::{Client, Endpoint, RetryPolicy};

/// The token [`MockServer::client`] sends.
pub const TEST_TOKEN: &str = "test-token";

/// An HTTP server on `127.0.0.1` that answers from expectations. It stops
/// when dropped.
pub struct MockServer {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    received: Vec<ReceivedRequest>,
}

/// One expectation: what it matches and what it answers.
#[derive(Debug, Clone)]
struct Rule {
    action: &'static str,
    method: &'static str,
    path: &'static str,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    status: u16,
    headers: Vec<(String, String)>,
    content_type: String,
    body: Vec<u8>,
}

/// A request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The action of the expectation that answered it (`org.get`), `None` if none matched.
    pub action: Option<&'static str>,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl ReceivedRequest {
    /// A header's value (the name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl MockServer {
    /// Starts a server on a free port of `127.0.0.1`.
    ///
    /// # Panics
    ///
    /// When no local port can be bound (a test cannot go on without one).
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("test-util: cannot bind a port on 127.0.0.1");
        let address = listener.local_addr().expect("test-util: the bound address");
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, shared.clone()));
            }
        });
        Self { address, state, task }
    }

    /// The base URL to point a client at, `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A client for this server: token [`TEST_TOKEN`], no retries.
    ///
    /// # Panics
    ///
    /// Never in practice: the URL and token are valid.
    pub fn client(&self) -> Client {
        Client::builder()
            .base_url(self.uri())
            .token(TEST_TOKEN)
            .retry(RetryPolicy::none())
            .build()
            .expect("test-util: a client for the mock server")
    }

    /// An expectation for the action whose request builder is `E`
    /// (`mock.on::<losant_rest::org::GetRequest>()`); it takes effect when given
    /// a response.
    pub fn on<E: Endpoint>(&self) -> Expectation<'_, E> {
        Expectation {
            server: self,
            rule: Rule {
                action: E::ACTION,
                method: E::METHOD,
                path: E::PATH,
                path_params: Vec::new(),
                query: Vec::new(),
                status: 200,
                headers: Vec::new(),
                content_type: "application/json".to_string(),
                body: Vec::new(),
            },
            endpoint: PhantomData,
        }
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.lock().received.clone()
    }

    /// The requests no expectation matched.
    pub fn unmatched(&self) -> Vec<ReceivedRequest> {
        self.received().into_iter().filter(|r| r.action.is_none()).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("address", &self.address).finish()
    }
}

/// An expectation being set up: [`MockServer::on`]. Narrow it, then give it
/// a response ([`returns`](Self::returns), [`responds`](Self::responds),
/// [`fails`](Self::fails), [`responds_raw`](Self::responds_raw)).
#[must_use = "an expectation does nothing until it is given a response"]
pub struct Expectation<'a, E> {
    server: &'a MockServer,
    rule: Rule,
    endpoint: PhantomData<E>,
}

impl<E: Endpoint> Expectation<'_, E> {
    /// Matches only requests whose path param `name` is `value` (decoded).
    pub fn path_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.rule.path_params.push((name.into(), value.into()));
        self
    }

    /// Matches only requests with the query param `name` set to `value` (decoded).
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.rule.query.push((name.into(), value.to_string()));
        self
    }

    /// Adds a header to the response.
    pub fn response_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.rule.headers.push((name.into(), value.into()));
        self
    }

    /// Answers 200 with `body`, of the type the action's `send` returns.
    pub fn returns(self, body: &E::Output)
    where
        E::Output: Serialize,
    {
        let body = serde_json::to_value(body).unwrap_or(serde_json::Value::Null);
        self.responds(200, body);
    }

    /// Answers `status` with a JSON body (for actions whose result is an
    /// enum of statuses, or bodies the types cannot express).
    pub fn responds(self, status: u16, body: serde_json::Value) {
        self.responds_raw(status, "application/json", body.to_string());
    }

    /// Answers an error `status` with Losant's error body, as
    /// [`ApiError`](crate::ApiError) reads it: `{"type": ..., "message": ...}`.
    pub fn fails(self, status: u16, error_type: &str, message: &str) {
        self.responds(status, serde_json::json!({ "type": error_type, "message": message }));
    }

    /// Answers `status` with `body` as `content_type` (e.g. `text/event-stream`
    /// for a stream action's events).
    pub fn responds_raw(mut self, status: u16, content_type: &str, body: impl Into<Vec<u8>>) {
        self.rule.status = status;
        self.rule.content_type = content_type.to_string();
        self.rule.body = body.into();
        self.server.lock().rules.push(self.rule);
    }
}

impl<E> fmt::Debug for Expectation<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expectation").field("rule", &self.rule).finish()
    }
}

impl Rule {
    fn matches(&self, method: &str, path: &str, query: &[(String, String)]) -> bool {
        if self.method != method {
            return false;
        }
        let mut template = self.path.trim_start_matches('/').split('/');
        let mut segments = path.trim_start_matches('/').split('/');
        let mut params = Vec::new();
        loop {
            match (template.next(), segments.next()) {
                (None, None) => break,
                (Some(t), Some(s)) if t.starts_with('{') && t.ends_with('}') => {
                    params.push((&t[1..t.len() - 1], decode(s)));
                }
                (Some(t), Some(s)) if t == s => {}
                _ => return false,
            }
        }
        self.path_params.iter().all(|(name, value)| params.iter().any(|(n, v)| n == name && v == value))
            && self.query.iter().all(|pair| query.contains(pair))
    }
}

/// Serves one connection: one request, one answer, then close.
async fn serve(mut socket: tokio::net::TcpStream, state: Arc<Mutex<State>>) {
    let Some(mut request) = read_request(&mut socket).await else { return };
    let (target_path, target_query) = request.path.split_once('?').unwrap_or((&request.path, ""));
    let (path, query) = (target_path.to_string(), pairs(target_query));
    let answer = {
        let mut state = state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let rule = state.rules.iter().rev().find(|r| r.matches(&request.method, &path, &query)).cloned();
        request.action = rule.as_ref().map(|r| r.action);
        request.path = path;
        request.query = query;
        state.received.push(request.clone());
        rule
    };
    let (status, content_type, headers, body) = match answer {
        Some(rule) => (rule.status, rule.content_type, rule.headers, rule.body),
        None => {
            let message = format!("test-util: no expectation matches {} {}", request.method, request.path);
            let body = serde_json::json!({"type": "NotFound", "message": message}).to_string();
            (404, "application/json".to_string(), Vec::new(), body.into_bytes())
        }
    };
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Status"),
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(&body).await;
    let _ = socket.shutdown().await;
}

/// Reads one HTTP/1.1 request: head, then a body by `content-length` or chunks.
async fn read_request(socket: &mut (impl AsyncRead + Unpin)) -> Option<ReceivedRequest> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = socket.read(&mut buffer).await.ok().filter(|n| *n > 0)?;
        data.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let (method, target) = (start.next()?.to_string(), start.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let find = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let chunked = find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let length: usize = find("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut rest = data.split_off(head_end + 4);
    let body = if chunked {
        loop {
            if let Some(body) = dechunk(&rest) {
                break body;
            }
            let n = socket.read(&mut buffer).await.ok().filter(|n| *n > 0)?;
            rest.extend_from_slice(&buffer[..n]);
        }
    } else {
        while rest.len() < length {
            let n = socket.read(&mut buffer).await.ok().filter(|n| *n > 0)?;
            rest.extend_from_slice(&buffer[..n]);
        }
        rest.truncate(length);
        rest
    };
    Some(ReceivedRequest { action: None, method, path: target, query: Vec::new(), headers, body })
}

/// A chunked body, once all of it (the last, empty chunk included) is in `data`.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        if data.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// `a=1&b=x%20y` as decoded pairs.
fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Percent-decoding (and `+` as a space, as forms write it).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_and_chunks() {
        assert_eq!(decode("a%20b%2Fc+d%zz%"), "a b/c d%zz%");
        assert_eq!(
            pairs("_links=true&q=%7B%7D&empty="),
            [("_links".into(), "true".into()), ("q".into(), "{}".into()), ("empty".into(), "".into())]
        );
        assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").as_deref(), Some(&b"abcde"[..]));
        assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nd"), None);
    }

    #[test]
    fn rules_match_method_template_params_and_query() {
        let rule = Rule {
            action: "org.get",
            method: "GET",
            path: "/orgs/{orgId}",
            path_params: vec![("orgId".into(), "a b".into())],
            query: vec![("x".into(), "1".into())],
            status: 200,
            headers: Vec::new(),
            content_type: String::new(),
            body: Vec::new(),
        };
        let query = vec![("x".to_string(), "1".to_string()), ("y".to_string(), "2".to_string())];
        assert!(rule.matches("GET", "/orgs/a%20b", &query));
        assert!(!rule.matches("POST", "/orgs/a%20b", &query));
        assert!(!rule.matches("GET", "/orgs/other", &query));
        assert!(!rule.matches("GET", "/orgs/a%20b/members", &query));
        assert!(!rule.matches("GET", "/orgs/a%20b", &[]));
    }
}

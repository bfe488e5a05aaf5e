//! The client against a misbehaving server on 127.0.0.1: retries, timeouts,
//! broken bodies and error pages, and servers that try to make it wait
//! forever, hold a huge body, loop, or send data elsewhere. Each case ends in
//! the expected typed error or in a successful retry, within a few seconds;
//! nothing panics.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use losant_rest::device::StateStreamEvent;
use losant_rest::types::{OrgInvitePost, OrgRole, UserCredentials};
use losant_rest::{Client, Error, FilePart, RedirectPolicy, RetryPolicy, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wiremock::matchers::{any, method, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ORG: &str = "575ed6e87ae143cd83dc4aa8";
const APP: &str = "575ec8687ae143cd83dc4a97";
const DEVICE: &str = "575ecf887ae143cd83dc4aa2";
const FILE: &str = "575ed70c7ae143cd83dc4aa9";

/// `future`'s output, or a failed test if it takes more than 5 s: a client
/// that waits as a hostile server tells it must fail, not hang the suite.
async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), future).await.expect("the call did not return within 5 s")
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// A server that answers with `first` the first `times` requests, then with `then`.
async fn flaky(first: ResponseTemplate, times: u64, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(first).up_to_n_times(times).with_priority(1).mount(&server).await;
    Mock::given(any()).respond_with(then).with_priority(2).mount(&server).await;
    server
}

/// Fast retries, so the suite does not wait on backoff.
fn client(server: &MockServer) -> Client {
    let retry = RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20));
    Client::builder().base_url(server.uri()).token("t").retry(retry).build().unwrap()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

fn invite() -> OrgInvitePost {
    OrgInvitePost::new("a@example.com", OrgRole::View)
}

#[tokio::test]
async fn a_503_then_200_succeeds_on_the_retry() {
    let server =
        flaky(json(503, r#"{"type":"Unavailable","message":"busy"}"#), 2, json(200, r#"{"name":"Acme"}"#)).await;
    let org = client(&server).org().get(ORG).send().await.unwrap();
    assert_eq!(org.name.as_deref(), Some("Acme"));
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn a_500_is_not_retried() {
    let server = flaky(json(500, r#"{"type":"Internal","message":"boom"}"#), 1, json(200, "{}")).await;
    let error = client(&server).org().get(ORG).send().await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.status, api.attempts), (StatusCode::INTERNAL_SERVER_ERROR, 1));
    assert_eq!(error.to_string(), "org.get: HTTP 500 Internal Server Error: Internal: boom");
}

#[tokio::test]
async fn a_429_waits_as_long_as_retry_after_says() {
    let limited = json(429, r#"{"type":"TooManyRequests","message":"slow down"}"#).insert_header("Retry-After", "1");
    let server = flaky(limited, 1, json(200, r#"{"name":"Acme"}"#)).await;
    let started = Instant::now();
    let policy = RetryPolicy::default().max_backoff(Duration::from_secs(2));
    client(&server).org().get(ORG).retry(policy).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950), "retried after {:?}", started.elapsed());
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn retries_stop_at_the_attempt_limit_and_the_error_says_how_many() {
    let server = flaky(json(504, ""), 10, json(200, "{}")).await;
    let error = client(&server).org().get(ORG).send().await.unwrap_err();
    assert_eq!(error.to_string(), "org.get: HTTP 504 Gateway Timeout (after 3 attempts)");
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn a_deadline_stops_retries_that_would_wait_too_long() {
    let limited = json(503, "").insert_header("Retry-After", "5");
    let server = flaky(limited, 10, json(200, "{}")).await;
    let policy = RetryPolicy::default().deadline(Duration::from_secs(1));
    let error = client(&server).org().get(ORG).retry(policy).send().await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.attempts == 1), "{error:?}");
}

#[tokio::test]
async fn post_is_not_retried_unless_the_request_opts_in() {
    let server = flaky(json(503, ""), 1, json(200, "[]")).await;
    let error = client(&server).org().invite_member(ORG, invite()).send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await, 1);

    let server = flaky(json(503, ""), 1, json(200, "[]")).await;
    let policy =
        RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(5)).retry_non_idempotent(true);
    client(&server).org().invite_member(ORG, invite()).retry(policy).send().await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body, "the retry sends the same body");
}

#[tokio::test]
async fn a_request_timeout_overrides_the_clients() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(json(200, "{}").set_delay(Duration::from_secs(2))).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).timeout(Duration::from_secs(30)).build().unwrap();
    let error = client.org().get(ORG).timeout(Duration::from_millis(100)).send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { action: "org.get", .. }), "{error:?}");
    assert_eq!(requests(&server).await, 1, "a timeout is not retried");
}

#[tokio::test]
async fn truncated_and_empty_bodies_are_decode_errors() {
    for body in [r#"{"name": "Acme", "members": [{"role": "adm"#, ""] {
        let server = flaky(json(200, body), 1, json(200, "{}")).await;
        let error = client(&server).org().get(ORG).send().await.unwrap_err();
        assert!(matches!(error, Error::Decode { status: StatusCode::OK, .. }), "{body:?}: {error:?}");
        assert!(error.to_string().contains("EOF"), "{error}");
    }
}

#[tokio::test]
async fn an_html_error_page_and_a_413_keep_their_status() {
    let page =
        ResponseTemplate::new(413).set_body_raw("<html><h1>413 Request Entity Too Large</h1></html>", "text/html");
    let server = flaky(page, 1, json(200, "{}")).await;
    let error = client(&server).org().invite_member(ORG, invite()).send().await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!((api.error_type.as_deref(), api.message.as_deref()), (None, None));
    assert!(error.to_string().ends_with(": <html><h1>413 Request Entity Too Large</h1></html>"), "{error}");
}

#[tokio::test]
async fn an_error_body_of_another_shape_keeps_the_real_status() {
    let server = flaky(json(409, r#"{"error":{"code":"conflict"}}"#), 1, json(200, "{}")).await;
    let error = client(&server).org().get(ORG).send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    assert_eq!(error.to_string(), r#"org.get: HTTP 409 Conflict: {"error":{"code":"conflict"}}"#);
}

#[tokio::test]
async fn a_json_body_with_the_wrong_content_type_still_decodes() {
    let server =
        flaky(ResponseTemplate::new(200).set_body_raw(r#"{"name":"Acme"}"#, "text/plain"), 1, json(200, "{}")).await;
    let org = client(&server).org().get(ORG).send().await.unwrap();
    assert_eq!(org.name.as_deref(), Some("Acme"));
}

#[tokio::test]
async fn a_very_large_body_decodes() {
    let invite = r#"{"id":"575ed71e7ae143cd83dc4aaa","email":"someone@example.com","role":"view","hasExpired":false}"#;
    let body = format!("[{}]", vec![invite; 50_000].join(","));
    assert!(body.len() > 4_000_000);
    let server = flaky(json(200, &body), 1, json(200, "[]")).await;
    let invites = client(&server).org().pending_invites(ORG).send().await.unwrap();
    assert_eq!(invites.len(), 50_000);
}

/// A server that promises a 1000-byte body, sends the start of it, waits
/// `hold` and hangs up; it serves `connections` connections, then stops.
async fn partial_body_server(connections: usize, hold: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        for _ in 0..connections {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(br#"{"name": "Ac"#).await;
            tokio::time::sleep(hold).await;
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    let base = partial_body_server(5, Duration::ZERO).await;
    let client = Client::builder().base_url(base).build().unwrap();
    let error = client.org().get(ORG).send().await.unwrap_err();
    assert!(matches!(error, Error::Transport { attempts: 1, .. }), "{error:?}");
}

#[tokio::test]
async fn a_body_that_stalls_counts_against_the_timeout() {
    let base = partial_body_server(1, Duration::from_secs(3)).await;
    let client = Client::builder().base_url(base).timeout(Duration::from_millis(300)).build().unwrap();
    let error = client.org().get(ORG).send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { action: "org.get", .. }), "{error:?}");
}

/// A server on 127.0.0.1 that reads each request's head and hands the
/// connection to `serve` with its number (0 for the first); it counts them.
async fn raw_server<F, Fut>(serve: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(usize, TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut buffer = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            tokio::spawn(serve(counted.fetch_add(1, Ordering::SeqCst), socket));
        }
    });
    (format!("http://{address}"), count)
}

const SSE_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n";

/// A server that opens an event stream, sends `parts` (waiting `pause` before
/// each), then holds the connection open for 30 s.
async fn sse_server(parts: Vec<Vec<u8>>, pause: Duration) -> String {
    let (base, _) = raw_server(move |_, mut socket| {
        let parts = parts.clone();
        async move {
            let _ = socket.write_all(SSE_HEAD.as_bytes()).await;
            for part in parts {
                tokio::time::sleep(pause).await;
                if socket.write_all(&part).await.is_err() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await;
    base
}

#[tokio::test]
async fn a_retry_after_beyond_max_backoff_ends_the_retries_with_the_wait_asked_for() {
    for wait in ["999999", "18446744073709551615", "Fri, 31 Dec 9999 23:59:59 GMT"] {
        let limited =
            json(429, r#"{"type":"TooManyRequests","message":"slow down"}"#).insert_header("Retry-After", wait);
        let server = flaky(limited, 10, json(200, "{}")).await;
        // The default policy: waits of up to 5 s.
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let error = within(client.org().get(ORG).send()).await.unwrap_err();
        let Error::Api(api) = &error else { panic!("{wait}: {error:?}") };
        assert_eq!((api.status, api.attempts), (StatusCode::TOO_MANY_REQUESTS, 1), "{wait}");
        assert!(api.retry_after.is_some_and(|asked| asked >= Duration::from_secs(999_999)), "{wait}: {api:?}");
        assert!(error.to_string().contains("(retry after "), "{error}");
        assert_eq!(requests(&server).await, 1);
    }
}

#[tokio::test]
async fn a_retry_after_that_overflows_the_deadline_arithmetic_is_an_error_not_a_panic() {
    let limited =
        json(429, "").insert_header("Retry-After", "18446744073709551615").set_delay(Duration::from_millis(1100));
    let server = flaky(limited, 10, json(200, "{}")).await;
    let policy =
        RetryPolicy::default().backoff(Duration::from_millis(5), Duration::MAX).deadline(Duration::from_secs(10));
    let error = within(client(&server).org().get(ORG).retry(policy).send()).await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.attempts == 1), "{error:?}");
}

#[tokio::test]
async fn a_stream_whose_response_never_starts_times_out() {
    let (base, _) = raw_server(|_, socket| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    })
    .await;
    let client = Client::builder().base_url(&base).timeout(Duration::from_millis(300)).build().unwrap();
    let error = within(client.device().state_stream(APP, DEVICE).send()).await.unwrap_err();
    assert!(
        matches!(error, Error::HeadTimeout { action: "device.stateStream", limit } if limit == Duration::from_millis(300)),
        "{error:?}"
    );
    let request = client.device().state_stream(APP, DEVICE).timeout(Duration::from_millis(100));
    let error = within(request.send()).await.unwrap_err();
    assert!(matches!(error, Error::HeadTimeout { limit, .. } if limit == Duration::from_millis(100)), "{error:?}");
}

#[tokio::test]
async fn a_stream_ends_after_its_idle_limit_and_keep_alives_keep_it_open() {
    let mut parts = vec![b": keep-alive\n\n".to_vec(); 5];
    parts.push(b"event: deviceState\ndata: {\"data\":{\"temp\":20}}\n\n".to_vec());
    let base = sse_server(parts, Duration::from_millis(100)).await;
    let client = Client::builder().base_url(&base).stream_idle_timeout(None).build().unwrap();
    let client = client.with_stream_idle_timeout(Some(Duration::from_millis(300)));
    let mut events = within(client.device().state_stream(APP, DEVICE).send()).await.unwrap();
    let first = within(events.next()).await.unwrap().unwrap();
    assert!(matches!(first, StateStreamEvent::DeviceState(_)), "{first:?}");
    let error = within(events.next()).await.unwrap().unwrap_err();
    assert!(matches!(error, Error::IdleTimeout { limit, .. } if limit == Duration::from_millis(300)), "{error:?}");
    assert!(within(events.next()).await.is_none(), "the error ends the stream");
}

fn orgs_page(names: &[&str], total: &str) -> ResponseTemplate {
    let items: Vec<String> = names.iter().map(|name| format!(r#"{{"name":"{name}"}}"#)).collect();
    json(200, &format!(r#"{{"items":[{}]{total}}}"#, items.join(",")))
}

#[tokio::test]
async fn a_server_that_repeats_a_page_is_asked_once_more_then_the_stream_ends() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(orgs_page(&["a", "b"], r#","totalCount":1000"#)).mount(&server).await;
    let error = within(client(&server).orgs().get().items().try_collect::<Vec<_>>()).await.unwrap_err();
    assert!(matches!(error, Error::PageRepeated { action: "orgs.get", page: 1 }), "{error:?}");
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn without_a_total_count_paging_ends_at_the_first_short_page() {
    let server = MockServer::start().await;
    let page = |n: &str, names: &[&str]| Mock::given(query_param("page", n)).respond_with(orgs_page(names, ""));
    page("0", &["a", "b"]).mount(&server).await;
    page("1", &["c"]).mount(&server).await;
    Mock::given(any()).respond_with(json(500, "")).with_priority(10).mount(&server).await;
    let orgs = within(client(&server).orgs().get().items().try_collect::<Vec<_>>()).await.unwrap();
    assert_eq!(orgs.iter().map(|o| o.name.as_deref().unwrap()).collect::<Vec<_>>(), ["a", "b", "c"]);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_float_total_count_is_read_as_the_integer_it_is() {
    let server = flaky(orgs_page(&["a", "b"], r#","totalCount":2.0"#), 1, json(500, "")).await;
    let orgs = within(client(&server).orgs().get().items().try_collect::<Vec<_>>()).await.unwrap();
    assert_eq!(orgs.len(), 2);
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_refused() {
    let body = format!(r#"{{"name":"{}"}}"#, "a".repeat(10_000));
    let server = flaky(json(200, &body), 10, json(200, "{}")).await;
    let small = Client::builder().base_url(server.uri()).max_response_size(1000).build().unwrap();
    let error = within(small.org().get(ORG).send()).await.unwrap_err();
    assert!(
        matches!(error, Error::TooLarge { action: "org.get", status: StatusCode::OK, what: "body", limit: 1000 }),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "org.get: the 200 OK response's body is larger than the limit of 1000 bytes");
    let org = within(small.with_max_response_size(20_000).org().get(ORG).send()).await.unwrap();
    assert_eq!(org.name.map(|n| n.len()), Some(10_000));
}

#[tokio::test]
async fn a_body_without_a_length_is_refused_while_it_arrives() {
    // Chunks of 1000 bytes, 10 of them, and then the body never ends.
    let (base, _) = raw_server(|_, mut socket| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        for _ in 0..10 {
            let chunk = format!("3e8\r\n{}\r\n", " ".repeat(1000));
            let _ = socket.write_all(chunk.as_bytes()).await;
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let client = Client::builder().base_url(base).max_response_size(2500).build().unwrap();
    let error = within(client.org().get(ORG).send()).await.unwrap_err();
    assert!(matches!(error, Error::TooLarge { limit: 2500, .. }), "{error:?}");
}

/// Two servers on different ports (so different origins): the API, and
/// another that records what reaches it.
async fn origins() -> (MockServer, MockServer) {
    (MockServer::start().await, MockServer::start().await)
}

fn redirect(status: u16, to: String) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("Location", to.as_str())
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_by_default() {
    let (api, other) = origins().await;
    let target = format!("{}/orgs/{ORG}", other.uri());
    Mock::given(any()).respond_with(redirect(302, target.clone())).mount(&api).await;
    Mock::given(any()).respond_with(json(200, "{}")).mount(&other).await;
    let request = client(&api).org().get(ORG).losantdomain("example.com");
    let error = within(request.send()).await.unwrap_err();
    let Error::Redirect { action: "org.get", status: StatusCode::FOUND, location, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(location, &target);
    assert!(error.to_string().contains("another origin"), "{error}");
    assert_eq!(requests(&other).await, 0, "nothing, not even the losantdomain header, went to the other origin");
}

#[tokio::test]
async fn a_get_may_follow_to_another_origin_without_the_token_or_its_headers() {
    let (api, other) = origins().await;
    Mock::given(any()).respond_with(redirect(301, format!("{}/elsewhere", other.uri()))).mount(&api).await;
    Mock::given(any()).respond_with(json(200, r#"{"name":"Acme"}"#)).mount(&other).await;
    let client = Client::builder().base_url(api.uri()).token("secret").redirects(RedirectPolicy::AnyOrigin).build();
    let org = within(client.unwrap().org().get(ORG).losantdomain("example.com").send()).await.unwrap();
    assert_eq!(org.name.as_deref(), Some("Acme"));
    let sent = other.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].headers.get("authorization").is_none() && sent[0].headers.get("losantdomain").is_none());
}

#[tokio::test]
async fn a_post_body_never_follows_a_redirect_to_another_origin() {
    let (api, other) = origins().await;
    Mock::given(any()).respond_with(redirect(307, format!("{}/auth/user", other.uri()))).mount(&api).await;
    Mock::given(any()).respond_with(json(200, "{}")).mount(&other).await;
    for policy in [RedirectPolicy::SameOrigin, RedirectPolicy::AnyOrigin] {
        let client = Client::builder().base_url(api.uri()).redirects(policy).build().unwrap();
        let credentials = UserCredentials::new("a@example.com", "hunter2hunter2");
        let error = within(client.auth().authenticate_user(credentials).send()).await.unwrap_err();
        assert!(matches!(error, Error::Redirect { status: StatusCode::TEMPORARY_REDIRECT, .. }), "{error:?}");
        let error = within(client.org().invite_member(ORG, invite()).send()).await.unwrap_err();
        assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
    }
    assert_eq!(requests(&other).await, 0, "the password went nowhere else");
}

#[tokio::test]
async fn a_303_on_a_post_is_not_turned_into_a_get() {
    let server = MockServer::start().await;
    let invites = format!("{}/orgs/{ORG}/invites", server.uri());
    Mock::given(method("POST")).respond_with(redirect(303, invites)).mount(&server).await;
    Mock::given(method("GET")).respond_with(json(200, "[]")).mount(&server).await;
    let error = within(client(&server).org().invite_member(ORG, invite()).send()).await.unwrap_err();
    assert!(matches!(error, Error::Redirect { status: StatusCode::SEE_OTHER, .. }), "{error:?}");
    assert!(error.to_string().contains("into a GET"), "{error}");
    assert_eq!(requests(&server).await, 1, "no GET was made in the POST's name");
}

#[tokio::test]
async fn a_same_origin_307_is_followed_with_the_body_and_the_token() {
    let server = MockServer::start().await;
    let moved = format!("{}/moved", server.uri());
    Mock::given(wiremock::matchers::path("/moved")).respond_with(json(200, "[]")).mount(&server).await;
    Mock::given(any()).respond_with(redirect(307, moved)).with_priority(10).mount(&server).await;
    within(client(&server).org().invite_member(ORG, invite()).send()).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    assert_eq!((sent[1].url.path(), &sent[1].body), ("/moved", &sent[0].body));
    assert_eq!(sent[1].headers.get("authorization").unwrap(), "Bearer t");
}

#[tokio::test]
async fn a_post_without_a_body_says_content_length_0() {
    let server = flaky(json(200, "{}"), 1, json(200, "{}")).await;
    let _ = within(client(&server).file().r#move(APP, FILE).send()).await;
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent[0].method.as_str(), "POST");
    assert_eq!(sent[0].headers.get("content-length").map(|v| v.to_str().unwrap()), Some("0"));
}

#[tokio::test]
async fn trailing_bytes_after_the_json_body_are_a_decode_error() {
    let server = flaky(json(200, r#"{"name":"Acme"} trailing"#), 1, json(200, "{}")).await;
    let error = within(client(&server).org().get(ORG).send()).await.unwrap_err();
    assert!(matches!(error, Error::Decode { ref path, .. } if path == "."), "{error:?}");
    assert!(error.to_string().contains("trailing characters"), "{error}");
}

#[tokio::test]
async fn an_event_larger_than_the_limit_ends_the_stream() {
    // 4 MiB of one event that never ends, in 64 KiB writes.
    let mut parts = vec![b"event: deviceState\ndata: ".to_vec()];
    parts.extend(std::iter::repeat_n(vec![b'x'; 64 << 10], 64));
    let base = sse_server(parts, Duration::ZERO).await;
    let client = Client::builder().base_url(&base).max_response_size(1 << 20).build().unwrap();
    let mut events = within(client.device().state_stream(APP, DEVICE).send()).await.unwrap();
    let error = within(events.next()).await.unwrap().unwrap_err();
    assert!(matches!(error, Error::TooLarge { what: "event", limit: 1_048_576, .. }), "{error:?}");
    assert!(within(events.next()).await.is_none());
}

/// The events of a stream whose server sends `text`, read with the default client.
async fn stream_of(text: &str) -> losant_rest::EventStream<StateStreamEvent> {
    let base = sse_server(vec![text.as_bytes().to_vec()], Duration::ZERO).await;
    let client = Client::builder().base_url(&base).build().unwrap();
    within(client.device().state_stream(APP, DEVICE).send()).await.unwrap()
}

#[tokio::test]
async fn cr_only_line_endings_end_lines_and_events() {
    let mut events = stream_of(
        "event: deviceState\rdata: {\"data\":{\"n\":1}}\r\revent: deviceState\rdata: {\"data\":{\"n\":2}}\r\r",
    )
    .await;
    for n in [1.0, 2.0] {
        let event = within(events.next()).await.unwrap().unwrap();
        let StateStreamEvent::DeviceState(state) = event else { panic!("{event:?}") };
        assert_eq!(serde_json::to_value(&state.data).unwrap(), serde_json::json!({ "n": n }));
    }
}

#[tokio::test]
async fn an_event_that_does_not_decode_ends_the_stream() {
    let mut events =
        stream_of("event: deviceState\ndata: {\"data\":5}\n\nevent: deviceState\ndata: {\"data\":{}}\n\n").await;
    let error = within(events.next()).await.unwrap().unwrap_err();
    assert!(matches!(error, Error::Decode { ref path, .. } if path == "event `deviceState`"), "{error:?}");
    assert!(within(events.next()).await.is_none(), "as the docs say, an error ends the stream");
}

/// Drops the first two connections before answering (the first with a reset,
/// the second with a plain close), then answers `{"name":"Acme"}`.
async fn hangs_up_twice() -> (String, Arc<AtomicUsize>) {
    raw_server(|n, mut socket| async move {
        match n {
            // Linger 0: the close is a reset. (Deprecated because a positive
            // linger blocks the thread on drop; zero does not.)
            #[allow(deprecated)]
            0 => drop(socket.set_linger(Some(Duration::ZERO))),
            1 => {}
            _ => {
                let body = r#"{"name":"Acme"}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(format!("{head}{body}").as_bytes()).await;
            }
        }
    })
    .await
}

#[tokio::test]
async fn a_get_that_fails_before_any_response_is_retried_a_post_is_not() {
    let retry = RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20));
    let (base, connections) = hangs_up_twice().await;
    let client = Client::builder().base_url(base).retry(retry.clone()).build().unwrap();
    let org = within(client.org().get(ORG).send()).await.unwrap();
    assert_eq!(org.name.as_deref(), Some("Acme"));
    assert_eq!(connections.load(Ordering::SeqCst), 3);

    let (base, connections) = hangs_up_twice().await;
    let client = Client::builder().base_url(base).retry(retry).build().unwrap();
    let error = within(client.org().invite_member(ORG, invite()).send()).await.unwrap_err();
    assert!(matches!(error, Error::Transport { attempts: 1, .. }), "{error:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_error_message_is_cut_short_and_kept_whole_on_the_error() {
    let message = "x".repeat(1 << 20);
    let server =
        flaky(json(400, &format!(r#"{{"type":"Validation","message":"{message}"}}"#)), 1, json(200, "{}")).await;
    let error = within(client(&server).org().get(ORG).send()).await.unwrap_err();
    let shown = error.to_string();
    assert!(shown.len() < 300 && shown.ends_with('…'), "{} chars", shown.len());
    let Error::Api(api) = error else { panic!() };
    assert_eq!(api.message.map(|m| m.len()), Some(1 << 20));
}

#[tokio::test]
async fn a_file_name_cannot_break_the_multipart_head() {
    let server = flaky(json(200, "{}"), 1, json(200, "{}")).await;
    let file = FilePart::from_bytes("evil\r\nContent-Type: text/html\r\n\r\n\"x.txt", b"data".to_vec());
    let _ = within(client(&server).file().upload(APP, FILE, file).send()).await;
    let sent = server.received_requests().await.unwrap();
    let body = String::from_utf8_lossy(&sent[0].body);
    assert!(body.contains(r#"filename="evil%0D%0AContent-Type: text/html%0D%0A%0D%0A%22x.txt""#), "{body}");
    assert!(!body.contains("evil\r") && !body.contains("evil\\\r"), "{body}");
}

#[tokio::test]
async fn a_param_too_long_for_any_server_is_an_invalid_argument() {
    let server = flaky(json(200, "{}"), 1, json(200, "{}")).await;
    let client = Client::builder().base_url(server.uri()).check_params(false).build().unwrap();
    let error = within(client.org().get("a".repeat(1 << 20)).send()).await.unwrap_err();
    assert!(matches!(error, Error::InvalidArgument { ref param, .. } if param == "orgId"), "{error:?}");
    assert_eq!(requests(&server).await, 0);
}

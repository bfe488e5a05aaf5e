//! The client against a misbehaving server on 127.0.0.1: retries, timeouts,
//! broken bodies and error pages. Each case ends in the expected typed error
//! or in a successful retry; nothing panics.

use std::time::{Duration, Instant};

use losant_rest::types::{OrgInvitePost, OrgRole};
use losant_rest::{Client, Error, RetryPolicy, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ORG: &str = "575ed6e87ae143cd83dc4aa8";

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
    client(&server).org().get(ORG).send().await.unwrap();
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

//! Escape hatches, response metadata and tokens, on the wire: raw requests,
//! per-request and default headers, the User-Agent, `send_with_response`,
//! the headers of `Error::Api`, and replacing the token of a live client.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use losant_rest::{Client, Error, FilePart, Method, RetryPolicy, StatusCode};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ORG: &str = "575ed6e87ae143cd83dc4aa8";

async fn server(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(template).mount(&server).await;
    server
}

fn ok(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Vec<&'a str> {
    request.headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect()
}

#[tokio::test]
async fn a_raw_request_encodes_like_the_typed_api_and_decodes_any_type() {
    let server = server(ok(r#"{"name":"Acme","newField":[1,2]}"#)).await;
    let client = Client::builder().base_url(server.uri()).token("secret").build().unwrap();
    let body: serde_json::Value = client
        .request(Method::POST, "/orgs/{orgId}/newAction/{name}")
        .path_param("orgId", ORG)
        .path_param("name", "../a b")
        .query("_links", false)
        .query("tag", "x&y=z")
        .query("tag", 2)
        .query_structured("filter", &serde_json::json!([{"key": "floor"}]))
        .header("x-request-id", "abc")
        .json(&serde_json::json!({"hello": "world"}))
        .send()
        .await
        .unwrap();
    assert_eq!(body["newField"][1], 2);

    let sent = &requests(&server).await[0];
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(sent.url.path(), "/orgs/575ed6e87ae143cd83dc4aa8/newAction/..%2Fa%20b");
    assert_eq!(
        sent.url.query().unwrap(),
        "_actions=false&_links=false&_embedded=true&tag=x%26y%3Dz&tag=2&filter%5B0%5D%5Bkey%5D=floor"
    );
    assert_eq!(String::from_utf8_lossy(&sent.body), r#"{"hello":"world"}"#);
    assert_eq!(header(sent, "authorization"), ["Bearer secret"]);
    assert_eq!(header(sent, "content-type"), ["application/json"]);
    assert_eq!(header(sent, "accept-version"), ["^1.30.0"]);
    assert_eq!(header(sent, "x-request-id"), ["abc"]);

    // A typed body, an empty body as `()`, a decode error that names the type.
    #[derive(serde::Deserialize)]
    struct Named {
        name: String,
    }
    let named: Named = client.request(Method::GET, "/orgs").send().await.unwrap();
    assert_eq!(named.name, "Acme");
    let error = client.request(Method::GET, "/orgs").send::<Vec<u8>>().await.unwrap_err();
    assert!(matches!(&error, Error::Decode { action: "raw", .. }), "{error:?}");
}

#[tokio::test]
async fn a_raw_request_sends_multipart_and_empty_bodies_decode_as_null() {
    let server = server(ResponseTemplate::new(204)).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let file = FilePart::from_bytes("a.txt", "contents").content_type("text/plain");
    client.request(Method::POST, "/upload").part_text("note", "hi").part_file("file", file).send::<()>().await.unwrap();
    let sent = &requests(&server).await[0];
    let content_type = header(sent, "content-type")[0];
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let body = String::from_utf8_lossy(&sent.body);
    assert!(body.contains("name=\"note\"\r\n\r\nhi\r\n"), "{body}");
    assert!(body.contains("filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\ncontents\r\n"), "{body}");
    assert_eq!(header(sent, "authorization"), Vec::<&str>::new(), "no token, no header");
}

#[tokio::test]
async fn a_raw_request_refuses_bad_values_before_sending_and_retries_like_the_typed_ones() {
    let server = server(ResponseTemplate::new(503)).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::default().backoff(std::time::Duration::ZERO, std::time::Duration::ZERO))
        .build()
        .unwrap();
    let error = client.request(Method::GET, "/orgs/{orgId}").path_param("orgId", "..").send::<()>().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { param, .. } if param == "orgId"), "{error:?}");
    let error = client.request(Method::GET, "orgs").send::<()>().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { param, .. } if param == "path"), "{error:?}");
    let error = client.request(Method::GET, "/orgs").header("x-evil", "a\r\nb: c").send::<()>().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { param, .. } if param == "x-evil"), "{error:?}");
    assert!(requests(&server).await.is_empty(), "nothing was sent");

    let error = client.request(Method::GET, "/orgs").action("org.future").send::<()>().await.unwrap_err();
    assert_eq!(error.to_string(), "org.future: HTTP 503 Service Unavailable (after 3 attempts)");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn per_request_and_default_headers_and_the_user_agent() {
    let server = server(ok("{}")).await;
    let client = Client::builder()
        .base_url(server.uri())
        .default_header("x-tenant", "acme")
        .default_header("x-replaced", "default")
        .user_agent("my-app/2.1")
        .build()
        .unwrap();
    client.org().get(ORG).header("x-replaced", "mine").header("x-trace", "t1").send().await.unwrap();
    Client::builder().base_url(server.uri()).build().unwrap().org().get(ORG).send().await.unwrap();

    let sent = requests(&server).await;
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(header(&sent[0], "user-agent"), [format!("losant-rest-rust/{version} my-app/2.1")]);
    assert_eq!(header(&sent[0], "x-tenant"), ["acme"]);
    assert_eq!(header(&sent[0], "x-replaced"), ["mine"], "a request's header replaces the default");
    assert_eq!(header(&sent[0], "x-trace"), ["t1"]);
    assert_eq!(header(&sent[1], "user-agent"), [format!("losant-rest-rust/{version}")]);
    assert_eq!(header(&sent[1], "x-tenant"), Vec::<&str>::new());

    // Line breaks are refused: per request before sending, by default when building.
    let error = client.org().get(ORG).header("x-trace", "a\nb").send().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { action: "org.get", param, .. } if param == "x-trace"));
    let error = client.org().get(ORG).header("bad name", "v").send().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { param, .. } if param == "bad name"), "{error:?}");
    assert_eq!(requests(&server).await.len(), 2);
    let error = Client::builder().default_header("x-a", "1\r\n2").build().unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let error = Client::builder().user_agent("a\nb").build().unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
}

#[tokio::test]
async fn send_with_response_returns_status_headers_and_body() {
    let template =
        ok(r#"{"name":"Acme"}"#).insert_header("x-ratelimit-remaining", "41").insert_header("x-request-id", "r-1");
    let server = server(template).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let response = client.org().get(ORG).send_with_response().await.unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("x-ratelimit-remaining"), Some("41"));
    assert_eq!(response.header("x-request-id"), Some("r-1"));
    assert_eq!(response.body.name.as_deref(), Some("Acme"));

    let raw = client.request(Method::GET, "/orgs").send_with_response::<serde_json::Value>().await.unwrap();
    assert_eq!(raw.header("x-request-id"), Some("r-1"));
    assert_eq!(raw.into_body()["name"], "Acme");
}

#[tokio::test]
async fn api_errors_keep_the_response_headers() {
    let template = ResponseTemplate::new(404)
        .set_body_raw(r#"{"type":"NotFound","message":"gone"}"#, "application/json")
        .insert_header("x-request-id", "r-404");
    let server = server(template).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let error = client.org().get(ORG).send_with_response().await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.headers.get("x-request-id").unwrap(), "r-404");
    assert_eq!(api.message.as_deref(), Some("gone"));
}

#[tokio::test]
async fn a_replaced_token_is_used_by_every_clone_and_never_printed() {
    let server = server(ok("{}")).await;
    let client = Client::builder().base_url(server.uri()).token("first-secret").build().unwrap();
    let clone = client.clone();
    client.org().get(ORG).send().await.unwrap();
    client.set_token("second-secret").unwrap();
    clone.org().get(ORG).send().await.unwrap();
    let error = client.set_token("bad\ntoken").unwrap_err();
    assert!(matches!(&error, Error::Config(_)) && !error.to_string().contains("bad"), "{error}");
    client.org().get(ORG).send().await.unwrap();
    client.clear_token();
    client.org().get(ORG).send().await.unwrap();

    let sent = requests(&server).await;
    let auth: Vec<Vec<&str>> = sent.iter().map(|r| header(r, "authorization")).collect();
    assert_eq!(auth, [vec!["Bearer first-secret"], vec!["Bearer second-secret"], vec!["Bearer second-secret"], vec![]]);
    client.set_token("third-secret").unwrap();
    let shown = format!("{client:?} {clone:?}");
    assert!(!shown.contains("secret"), "{shown}");
}

#[tokio::test]
async fn a_token_provider_is_asked_for_every_attempt() {
    let server = server(ResponseTemplate::new(503)).await;
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(move || format!("token-{}", counter.fetch_add(1, Ordering::SeqCst)))
        .retry(RetryPolicy::default().backoff(std::time::Duration::ZERO, std::time::Duration::ZERO))
        .build()
        .unwrap();
    client.org().get(ORG).send().await.unwrap_err();
    let auth: Vec<String> = requests(&server).await.iter().map(|r| header(r, "authorization").concat()).collect();
    assert_eq!(auth, ["Bearer token-0", "Bearer token-1", "Bearer token-2"]);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert!(format!("{client:?}").contains("<provider>"));
}

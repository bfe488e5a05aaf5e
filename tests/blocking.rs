//! `send_blocking` (feature `blocking`) from plain threads, against a local server.

use losant_rest::{Client, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A mock server on its own runtime thread; the test thread stays synchronous.
fn server(status: u16, body: &'static str) -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        server
    });
    (runtime, server)
}

#[test]
fn send_blocking_returns_the_typed_body_and_errors() {
    let (_runtime, server) = server(200, r#"{"name":"Acme"}"#);
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let org = client.org().get("575ed6e87ae143cd83dc4aa8").send_blocking().unwrap();
    assert_eq!(org.name.as_deref(), Some("Acme"));
    // Twice on one thread: the thread's runtime and connection pool are reused.
    client.org().get("575ed6e87ae143cd83dc4aa8").send_blocking().unwrap();

    let error = client.org().get("not-an-id").send_blocking().unwrap_err();
    assert!(matches!(error, Error::InvalidArgument { .. }), "{error}");
}

#[test]
fn send_blocking_inside_an_async_runtime_is_an_error_not_a_panic() {
    let (runtime, server) = server(200, "{}");
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let error = runtime.block_on(async { client.org().get("575ed6e87ae143cd83dc4aa8").send_blocking() }).unwrap_err();
    assert!(matches!(error, Error::BlockingInAsync { action: "org.get" }), "{error:?}");
    // The message says what happened and what to do instead.
    let message = error.to_string();
    assert!(message.starts_with("org.get: send_blocking() was called inside an async runtime"), "{message}");
    assert!(message.contains("use `.send().await` there"), "{message}");
    assert!(!message.contains("invalid client configuration"), "{message}");
    // From a plain thread the same call works.
    let org = std::thread::spawn(move || client.org().get("575ed6e87ae143cd83dc4aa8").send_blocking())
        .join()
        .unwrap()
        .unwrap();
    assert_eq!(org.name, None);
}

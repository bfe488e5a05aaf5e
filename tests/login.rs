//! Logging in against a local server: the issued token is used, renewed
//! before its `tokenTTL` runs out, and renewed once after a 401 (a second
//! 401 is the request's error, never a loop). An async token provider is
//! asked only when the client needs a token.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use losant_rest::{AsyncTokenProvider, Client, Error, IssuedToken, Login, TokenFuture};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const USER: &str = "575ed6e87ae143cd83dc4aa8";
const DEVICE: &str = "575ecf887ae143cd83dc4aa2";

/// Answers each login with the next token: `tok-1`, `tok-2`, ...
struct Issuer(Arc<AtomicUsize>);

impl Respond for Issuer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "userId": USER, "applicationId": USER, "deviceId": DEVICE, "deviceClass": "standalone",
            "token": format!("tok-{n}"),
        }))
    }
}

/// A server whose `/auth/user` and `/auth/device` issue tokens, and whose
/// `/me` answers 200 to the tokens in `accepted` and 401 to any other.
async fn server(accepted: &[&str]) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let logins = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/auth/user"))
        .and(body_partial_json(serde_json::json!({"email": "me@example.com", "password": "pw-secret"})))
        .respond_with(Issuer(logins.clone()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/device"))
        .and(body_partial_json(serde_json::json!({"deviceId": DEVICE, "key": "k", "secret": "dev-secret"})))
        .respond_with(Issuer(logins.clone()))
        .mount(&server)
        .await;
    for token in accepted {
        Mock::given(method("GET"))
            .and(path("/me"))
            .and(header("authorization", format!("Bearer {token}").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"email": "me@example.com"})))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"type": "Unauthorized", "message": "expired"})),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    (server, logins)
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

/// The `Authorization` headers the `/me` requests carried, in order.
async fn sent_to_me(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .filter(|r| r.url.path() == "/me")
        .map(|r| r.headers.get("authorization").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn a_user_logs_in_and_the_next_call_sends_the_issued_token() {
    let (server, logins) = server(&["tok-1"]).await;
    let client = client(&server);
    client.login_user("me@example.com", "pw-secret").await.unwrap();
    let me = client.me().get().send().await.unwrap();
    assert_eq!(me.email.as_deref(), Some("me@example.com"));
    assert_eq!(logins.load(Ordering::SeqCst), 1);
    assert_eq!(sent_to_me(&server).await, ["Bearer tok-1"]);
    // A clone shares the login; the Debug of either shows no token.
    assert!(!format!("{:?}", client.clone()).contains("tok-1"));
    // The login request itself carried no token.
    let first = &server.received_requests().await.unwrap()[0];
    assert!(first.headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_device_logs_in_too() {
    let (server, logins) = server(&["tok-1"]).await;
    let client = client(&server);
    client.login_device(DEVICE, "k", "dev-secret").await.unwrap();
    client.me().get().send().await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn wrong_credentials_fail_the_login_and_leave_the_client_as_it_was() {
    let (server, _) = server(&["tok-1"]).await;
    let client = Client::builder().base_url(server.uri()).token("tok-1").build().unwrap();
    let error = client.login_user("me@example.com", "wrong").await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 404), "{error:?}");
    assert!(!error.to_string().contains("wrong"));
    client.me().get().send().await.unwrap();
}

#[tokio::test]
async fn a_token_about_to_expire_is_renewed_before_the_call() {
    let (server, logins) = server(&["tok-1", "tok-2"]).await;
    let client = client(&server);
    client.login(Login::user("me@example.com", "pw-secret").token_ttl(Duration::from_secs(1))).await.unwrap();
    client.me().get().send().await.unwrap();
    // A tenth of the lifetime before it ends, the token is renewed.
    tokio::time::sleep(Duration::from_millis(950)).await;
    client.me().get().send().await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 2);
    assert_eq!(sent_to_me(&server).await, ["Bearer tok-1", "Bearer tok-2"]);
    let login = &server.received_requests().await.unwrap()[0];
    let body: serde_json::Value = serde_json::from_slice(&login.body).unwrap();
    assert_eq!(body["tokenTTL"], 1);
}

#[tokio::test]
async fn a_401_is_answered_by_one_new_login_and_the_call_succeeds() {
    // The first token is rejected (revoked, say); the second is accepted.
    let (server, logins) = server(&["tok-2"]).await;
    let client = client(&server);
    client.login_user("me@example.com", "pw-secret").await.unwrap();
    client.me().get().send().await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 2);
    assert_eq!(sent_to_me(&server).await, ["Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_second_401_is_the_error_not_a_loop() {
    let (server, logins) = server(&[]).await;
    let client = client(&server);
    client.login_user("me@example.com", "pw-secret").await.unwrap();
    let error = client.me().get().send().await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 401 && api.attempts == 2), "{error:?}");
    assert_eq!(logins.load(Ordering::SeqCst), 2);
    assert_eq!(sent_to_me(&server).await, ["Bearer tok-1", "Bearer tok-2"]);
    // The next request starts over: one more new login at most.
    client.me().get().send().await.unwrap_err();
    assert_eq!(logins.load(Ordering::SeqCst), 3);
    assert_eq!(sent_to_me(&server).await.len(), 4);
}

/// A provider of the caller's own: counts its fetches.
struct Vault(Arc<AtomicUsize>);

impl AsyncTokenProvider for Vault {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::task::yield_now().await;
            Ok(IssuedToken::new(format!("tok-{n}")))
        })
    }
}

#[tokio::test]
async fn an_async_provider_is_asked_once_for_many_calls_and_again_after_a_401() {
    let (server, _) = server(&["tok-2"]).await;
    let fetches = Arc::new(AtomicUsize::new(0));
    let client = Client::builder().base_url(server.uri()).async_token_provider(Vault(fetches.clone())).build().unwrap();
    client.me().get().send().await.unwrap();
    client.me().get().send().await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(sent_to_me(&server).await, ["Bearer tok-1", "Bearer tok-2", "Bearer tok-2"]);
    assert!(format!("{client:?}").contains("<async provider>"));
}

#[tokio::test]
async fn a_client_from_the_environment_calls_its_url_with_its_token() {
    let (server, _) = server(&["tok-env"]).await;
    let uri = server.uri();
    let lookup = |name: &str| match name {
        "LOSANT_API_URL" => Ok(uri.clone()),
        "LOSANT_API_TOKEN" => Ok("tok-env".to_string()),
        _ => Err(std::env::VarError::NotPresent),
    };
    let client = losant_rest::ClientBuilder::from_lookup(lookup).unwrap().build().unwrap();
    client.me().get().send().await.unwrap();
    assert_eq!(sent_to_me(&server).await, ["Bearer tok-env"]);
    let bad = |name: &str| match name {
        "LOSANT_API_URL" => Ok("localhost:8080".to_string()),
        _ => Err(std::env::VarError::NotPresent),
    };
    let error = losant_rest::ClientBuilder::from_lookup(bad).unwrap_err();
    assert!(matches!(&error, Error::Config(reason) if reason.contains("LOSANT_API_URL")), "{error:?}");
}

//! Credentials on the wire, against a real HTTP server on 127.0.0.1: a
//! password, a secret and an issued token are sent and decoded as the plain
//! text, and never shown by `Debug`, by an error or in a `tracing` span or
//! event. (`types.rs` has the generated test that every type with a
//! credential field hides it.)

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use losant_rest::types::{DeviceCredentials, UserCredentials};
use losant_rest::{Client, Secret};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "pass-marker-7e1f";
const TOKEN: &str = "token-marker-90ab";

async fn server(body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    (server, client)
}

async fn sent(server: &MockServer) -> (String, String) {
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    (request.url.query().unwrap_or_default().to_string(), String::from_utf8_lossy(&request.body).into_owned())
}

#[tokio::test]
async fn a_password_is_sent_and_the_issued_token_decoded_but_neither_printed() {
    let (server, client) = server(&format!(r#"{{"userId":"575ed6e87ae143cd83dc4aa8","token":"{TOKEN}"}}"#)).await;
    let credentials = UserCredentials::new("a@example.com", PASSWORD);
    assert!(!format!("{credentials:?}").contains(PASSWORD), "{credentials:?}");
    let request = client.auth().authenticate_user(credentials);
    assert!(!format!("{request:?}").contains(PASSWORD), "the builder hides it too");

    let authed = request.send().await.unwrap();
    let (_, body) = sent(&server).await;
    assert!(body.contains(&format!(r#""password":"{PASSWORD}""#)), "{body}");
    assert_eq!(authed.token.expose(), TOKEN);
    assert!(!format!("{authed:?}").contains(TOKEN), "{authed:?}");
}

#[tokio::test]
async fn a_device_secret_is_sent_and_never_printed() {
    let (server, client) = server(&format!(
        r#"{{"applicationId":"575ec8687ae143cd83dc4a97","deviceId":"575ecf887ae143cd83dc4aa2","deviceClass":"standalone","token":"{TOKEN}"}}"#
    ))
    .await;
    let credentials = DeviceCredentials::new("575ecf887ae143cd83dc4aa2").key("key").secret(PASSWORD);
    assert!(!format!("{credentials:?}").contains(PASSWORD));
    let authed = client.auth().authenticate_device(credentials).send().await.unwrap();
    let (_, body) = sent(&server).await;
    assert!(body.contains(&format!(r#""secret":"{PASSWORD}""#)), "{body}");
    assert_eq!(authed.token.expose(), TOKEN);
    assert!(!format!("{authed:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_credential_query_param_is_sent_and_never_printed() {
    let (server, client) = server(r#"{}"#).await;
    let request = client.dashboard().get("575ece2b7ae143cd83dc4a9b").password(PASSWORD);
    assert!(!format!("{request:?}").contains(PASSWORD), "{request:?}");
    // Whether the (empty) dashboard decodes does not matter here: what was sent does.
    let _ = request.send().await;
    let (query, _) = sent(&server).await;
    assert!(query.contains(&format!("password={PASSWORD}")), "{query}");
    // The setter takes a `Secret` as well as text.
    let request = client.dashboard().get("575ece2b7ae143cd83dc4a9b").password(Secret::from(PASSWORD.to_string()));
    assert!(!format!("{request:?}").contains(PASSWORD));
}

/// Every span's and event's fields, as text.
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<String>>>,
}

struct Fields<'a>(&'a mut Vec<String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut seen = self.seen.lock().unwrap();
        attributes.record(&mut Fields(&mut seen));
        Id::from_u64(seen.len() as u64 + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.seen.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        event.record(&mut Fields(&mut self.seen.lock().unwrap()));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn tracing_never_sees_a_credential() {
    let (_server, client) = server(&format!(r#"{{"userId":"575ed6e87ae143cd83dc4aa8","token":"{TOKEN}"}}"#)).await;
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    client.auth().authenticate_user(UserCredentials::new("a@example.com", PASSWORD)).send().await.unwrap();
    let _ = client.dashboard().get("575ece2b7ae143cd83dc4a9b").password(PASSWORD).send().await;
    let seen = recorder.seen.lock().unwrap();
    assert!(seen.iter().any(|f| f.contains("auth.authenticateUser")), "the recorder saw the request: {seen:?}");
    let all = seen.join("\n");
    assert!(!all.contains(PASSWORD) && !all.contains(TOKEN), "{all}");
}

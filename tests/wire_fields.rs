//! Fields on the wire, against a real HTTP server on 127.0.0.1: a nullable
//! field sent as `null`, left out, or set; `null` and missing fields decoded;
//! fields the spec does not know kept through a read-modify-write.

use losant_rest::types::DevicePatch;
use losant_rest::{Client, Nullable};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP: &str = "575ec8687ae143cd83dc4a97";
const DEVICE: &str = "575ecf887ae143cd83dc4aa2";
const PARENT: &str = "575ecf887ae143cd83dc4aa3";

/// A server that answers every request with 200 and `body`, and a client pointed at it.
async fn server(body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).token("t").build().unwrap();
    (server, client)
}

/// The method, path and body of the one request the server received.
async fn only_request(server: &MockServer) -> (String, String, String) {
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:?}");
    let request = &requests[0];
    (request.method.to_string(), request.url.path().to_string(), String::from_utf8_lossy(&request.body).into_owned())
}

#[tokio::test]
async fn a_cleared_nullable_field_is_sent_as_null() {
    let (server, client) = server(r#"{"id":"575ecf887ae143cd83dc4aa2","parentId":null}"#).await;
    let patch = DevicePatch::new().clear_parent_id();
    let device = client.device().patch(APP, DEVICE, patch).send().await.unwrap();
    assert_eq!(device.parent_id, Nullable::Null);
    let (method, path, body) = only_request(&server).await;
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("PATCH", "/applications/575ec8687ae143cd83dc4a97/devices/575ecf887ae143cd83dc4aa2")
    );
    assert_eq!(body, r#"{"parentId":null}"#);
}

#[tokio::test]
async fn a_nullable_field_left_out_or_set_is_sent_as_before() {
    let (left_out, client) = server("{}").await;
    client.device().patch(APP, DEVICE, DevicePatch::new().name("Pump")).send().await.unwrap();
    assert_eq!(only_request(&left_out).await.2, r#"{"name":"Pump"}"#);

    let (set, client) = server("{}").await;
    client.device().patch(APP, DEVICE, DevicePatch::new().parent_id(PARENT)).send().await.unwrap();
    assert_eq!(only_request(&set).await.2, r#"{"parentId":"575ecf887ae143cd83dc4aa3"}"#);
}

#[tokio::test]
async fn null_and_missing_fields_decode() {
    // A nullable field: `null` and missing are told apart; a value is a value.
    // An optional field that is not nullable still decodes `null` as `None`.
    let body = r#"{"id":"575ecf887ae143cd83dc4aa2","parentId":null,"gatewayId":null,"name":null}"#;
    let (_server, client) = server(body).await;
    let device = client.device().get(APP, DEVICE).send().await.unwrap();
    assert_eq!(device.parent_id, Nullable::Null);
    assert_eq!((device.gateway_id, device.name), (None, None));

    let (_server, client) = server(r#"{"parentId":"575ecf887ae143cd83dc4aa3"}"#).await;
    let device = client.device().get(APP, DEVICE).send().await.unwrap();
    assert_eq!(device.parent_id.value().map(String::as_str), Some(PARENT));

    let (_server, client) = server("{}").await;
    let device = client.device().get(APP, DEVICE).send().await.unwrap();
    assert_eq!(device.parent_id, Nullable::Absent);
}

/// A device as a newer server would send it: a field this client's spec does
/// not have at the top and inside an attribute (with nested values, a float
/// and a null), besides known fields.
const NEWER_DEVICE: &str = r#"{"id":"575ecf887ae143cd83dc4aa2","name":"Pump","attributes":[{"name":"temp","dataType":"number","futureOption":{"unit":"°C","range":[-40.5,null]}}],"deviceClass":"standalone","futureTopLevel":{"enabled":true}}"#;

#[tokio::test]
async fn unknown_fields_survive_a_read_modify_write() {
    // GET: the typed struct keeps what it does not know ...
    let (_get_server, client) = server(NEWER_DEVICE).await;
    let device = client.device().get(APP, DEVICE).send().await.unwrap();
    assert_eq!(device.unknown_fields["futureTopLevel"], serde_json::json!({"enabled": true}));
    // ... and encodes it back as it came, key order included.
    assert_eq!(serde_json::to_string(&device).unwrap(), NEWER_DEVICE);

    // Modify one field, PATCH the attributes back: the unknown field inside
    // an attribute arrives intact.
    let attributes = device.attributes.clone().unwrap();
    let (patch_server, client) = server("{}").await;
    client.device().patch(APP, DEVICE, DevicePatch::new().name("Pump 2").attributes(attributes)).send().await.unwrap();
    let (method, _, body) = only_request(&patch_server).await;
    assert_eq!(method, "PATCH");
    assert_eq!(
        body,
        r#"{"name":"Pump 2","attributes":[{"name":"temp","dataType":"number","futureOption":{"unit":"°C","range":[-40.5,null]}}]}"#
    );
}

#[tokio::test]
async fn unknown_fields_set_by_the_caller_are_sent() {
    // The same map lets a caller send a field newer than the spec.
    let (server, client) = server("{}").await;
    let mut patch = DevicePatch::new().name("Pump");
    patch.unknown_fields.insert("futureTopLevel".into(), serde_json::json!(1));
    client.device().patch(APP, DEVICE, patch).send().await.unwrap();
    assert_eq!(only_request(&server).await.2, r#"{"name":"Pump","futureTopLevel":1}"#);
}

//! Fields on the wire, against a real HTTP server on 127.0.0.1: a nullable
//! field sent as `null`, left out, or set; `null` and missing fields decoded;
//! fields the spec does not know kept through a read-modify-write; list fields
//! that `tagsAsObject` / `attributesAsObject` have sent as object maps.

use losant_rest::types::DevicePatch;
use losant_rest::{Client, Error, Nullable};
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

/// The query string of the one request the server received.
async fn only_query(server: &MockServer) -> String {
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:?}");
    requests[0].url.query().unwrap_or_default().to_string()
}

const RECIPE: &str = "575ecf887ae143cd83dc4aa4";

/// Two devices as the list form sends them: a tag key twice, attributes with
/// and without optional fields.
const DEVICES_AS_LISTS: &str = r#"{"items":[
    {"id":"575ecf887ae143cd83dc4aa2","name":"Pump",
     "tags":[{"key":"floor","value":"8"},{"key":"floor","value":"9"},{"key":"room","value":"boiler"}],
     "attributes":[{"name":"temp","dataType":"number","description":"°C"},{"name":"on","dataType":"boolean"}]},
    {"id":"575ecf887ae143cd83dc4aa3","name":"Fan","tags":[],"attributes":[]}
  ],"count":2,"totalCount":2,"perPage":100,"page":0}"#;

/// The same devices as `tagsAsObject=true&attributesAsObject=true` send them:
/// tags as a map of each key to its values, attributes by name.
const DEVICES_AS_MAPS: &str = r#"{"items":[
    {"id":"575ecf887ae143cd83dc4aa2","name":"Pump",
     "tags":{"floor":["8","9"],"room":["boiler"]},
     "attributes":{"temp":{"name":"temp","dataType":"number","description":"°C"},"on":{"dataType":"boolean"}}},
    {"id":"575ecf887ae143cd83dc4aa3","name":"Fan","tags":{},"attributes":{}}
  ],"count":2,"totalCount":2,"perPage":100,"page":0}"#;

#[tokio::test]
async fn devices_get_decodes_tags_and_attributes_sent_as_object_maps() {
    let (lists_server, client) = server(DEVICES_AS_LISTS).await;
    let as_lists = client.devices().get(APP).send().await.unwrap();
    assert_eq!(only_query(&lists_server).await, "_actions=false&_links=true&_embedded=true");

    let (maps_server, client) = server(DEVICES_AS_MAPS).await;
    let as_maps = client.devices().get(APP).tags_as_object(true).attributes_as_object(true).send().await.unwrap();
    assert_eq!(
        only_query(&maps_server).await,
        "_actions=false&_links=true&_embedded=true&tagsAsObject=true&attributesAsObject=true"
    );
    assert_eq!(as_maps, as_lists, "either response mode decodes to the same value");

    let pump = &as_maps.items.as_ref().unwrap()[0];
    let tags: Vec<(&str, &str)> = pump.tags.iter().flatten().map(|t| (t.key.as_str(), t.value.as_str())).collect();
    assert_eq!(tags, [("floor", "8"), ("floor", "9"), ("room", "boiler")], "a repeated tag key keeps every value");
    let attributes: Vec<&str> = pump.attributes.iter().flatten().map(|a| a.name.as_str()).collect();
    assert_eq!(attributes, ["temp", "on"], "a map key becomes the attribute's name");
}

#[tokio::test]
async fn device_get_and_patch_decode_either_mode_and_send_back_the_list() {
    let as_map = r#"{"id":"575ecf887ae143cd83dc4aa2","tags":{"floor":"8","room":["a","b"],"zone":{"value":"north"}},
        "attributes":{"temp":{"dataType":"number"}}}"#;
    let as_list = r#"{"id":"575ecf887ae143cd83dc4aa2","tags":[{"key":"floor","value":"8"},{"key":"room","value":"a"},
        {"key":"room","value":"b"},{"key":"zone","value":"north"}],"attributes":[{"name":"temp","dataType":"number"}]}"#;
    let (map_server, client) = server(as_map).await;
    let from_map =
        client.device().get(APP, DEVICE).tags_as_object(true).attributes_as_object(true).send().await.unwrap();
    assert_eq!(
        only_query(&map_server).await,
        "_actions=false&_links=true&_embedded=true&tagsAsObject=true&attributesAsObject=true"
    );
    let (_list_server, client) = server(as_list).await;
    let from_list = client.device().get(APP, DEVICE).send().await.unwrap();
    assert_eq!(from_map, from_list);

    // Encoded, it is the list form: GET in the map mode, then PATCH, works.
    let tags = from_map.tags.clone().unwrap();
    let (patch_server, client) = server(as_map).await;
    let patched =
        client.device().patch(APP, DEVICE, DevicePatch::new().tags(tags)).tags_as_object(true).send().await.unwrap();
    let (_, _, body) = only_request(&patch_server).await;
    assert_eq!(
        body,
        r#"{"tags":[{"key":"floor","value":"8"},{"key":"room","value":"a"},{"key":"room","value":"b"},{"key":"zone","value":"north"}]}"#
    );
    assert_eq!(patched, from_list, "the patch's response decodes in the map mode too");
}

#[tokio::test]
async fn device_recipe_get_decodes_attribute_and_tag_maps() {
    let as_map = r#"{"id":"575ecf887ae143cd83dc4aa4","name":"Sensor",
        "tags":{"kind":["sensor"]},"attributes":{"temp":{"dataType":"number","contentType":"C"},"gps":{"dataType":"gps"}}}"#;
    let as_list = r#"{"id":"575ecf887ae143cd83dc4aa4","name":"Sensor","tags":[{"key":"kind","value":"sensor"}],
        "attributes":[{"name":"temp","dataType":"number","contentType":"C"},{"name":"gps","dataType":"gps"}]}"#;
    let (_map_server, client) = server(as_map).await;
    let from_map =
        client.device_recipe().get(APP, RECIPE).tags_as_object(true).attributes_as_object(true).send().await.unwrap();
    let (_list_server, client) = server(as_list).await;
    let from_list = client.device_recipe().get(APP, RECIPE).send().await.unwrap();
    assert_eq!(from_map, from_list);
    assert_eq!(from_map.attributes.unwrap()[1].name, "gps");
}

#[tokio::test]
async fn a_malformed_map_form_is_a_decode_error_at_its_key() {
    let cases = [
        // A tag key mapped to null, to a list holding an object, to a number.
        (r#"{"items":[{"name":"a"},{"tags":{"floor":null}}]}"#, "items[1].tags.floor", "`floor` maps to null"),
        (
            r#"{"items":[{"tags":{"floor":["8",{"v":1}]}}]}"#,
            "items[0].tags.floor",
            "`floor` maps to a list holding an object",
        ),
        (r#"{"items":[{"tags":{"floor":8}}]}"#, "items[0].tags.floor", "expected a string"),
        // An attribute has no value field: only an object maps to one.
        (r#"{"items":[{"attributes":{"temp":"number"}}]}"#, "items[0].attributes.temp", "`temp` maps to text"),
        // Neither a list nor a map.
        (r#"{"items":[{"tags":"floor"}]}"#, "items[0].tags", "a list, or an object map of its items by `key`"),
    ];
    for (body, want_path, want_message) in cases {
        let (_server, client) = server(body).await;
        let error = client.devices().get(APP).tags_as_object(true).send().await.unwrap_err();
        let Error::Decode { path, .. } = &error else { panic!("expected a decode error for {body}, got {error:?}") };
        assert_eq!(path, want_path, "{body}");
        assert!(error.to_string().contains(want_message), "{body}: {error}");
    }
}

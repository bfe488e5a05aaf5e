//! Unions built with `From` and read with `as_*` / `is_*`, against a real
//! HTTP server on 127.0.0.1: a device state report built without naming a
//! variant, and an answer read without a `match`.

use std::collections::BTreeMap;

use losant_rest::types::{DeviceState, DeviceStateOrStates, EventPostTime, Scalar};
use losant_rest::Client;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP: &str = "575ec8687ae143cd83dc4a97";
const DEVICE: &str = "575ecf887ae143cd83dc4aa2";

#[test]
fn each_branch_payload_converts_and_reads_back() {
    let number = Scalar::from(21.5);
    assert!(number.is_number() && !number.is_string());
    assert_eq!(number.as_number(), Some(21.5));
    assert_eq!(number.as_bool(), None);
    assert_eq!(Scalar::from("on").as_string(), Some("on"));
    assert_eq!(Scalar::from(true).as_bool(), Some(true));

    let time = EventPostTime::from(1_465_790_400_000.0);
    assert_eq!(time.as_number(), Some(1_465_790_400_000.0));
    assert!(!time.is_unknown());
    let unknown: EventPostTime = serde_json::from_str("[1]").unwrap();
    assert!(unknown.is_unknown() && unknown.as_number().is_none());
}

#[tokio::test]
async fn a_state_report_is_built_from_its_parts_and_sent_as_json() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"success":true}"#, "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).token("t").build().unwrap();

    let data: BTreeMap<String, Scalar> =
        [("temp".to_string(), 21.5.into()), ("door".to_string(), "open".into())].into();
    let one = DeviceState::new(data).time(EventPostTime::from(1_465_790_400_000.0));
    client.device().send_state(APP, DEVICE, one.clone().into()).send().await.unwrap();
    let many = DeviceStateOrStates::from(vec![one.clone(), one.clone()]);
    assert_eq!(many.as_list().map(<[DeviceState]>::len), Some(2));
    assert!(many.as_device_state().is_none());
    client.device().send_state(APP, DEVICE, many).send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let body = |i: usize| serde_json::from_slice::<serde_json::Value>(&requests[i].body).unwrap();
    let expected = serde_json::json!({"time": 1_465_790_400_000.0, "data": {"door": "open", "temp": 21.5}});
    assert_eq!(body(0), expected);
    assert_eq!(body(1), serde_json::json!([expected, expected]));
}

//! The `test-util` mock server (feature `test-util`), used as a downstream
//! crate would: typed expectations per action, what was received, and
//! requests nothing expected.

use futures_util::TryStreamExt;
use losant_rest::device::StateStreamEvent;
use losant_rest::test_util::MockServer;
use losant_rest::types::{Device, Devices, Org, OrgInvitePost, OrgRole};
use losant_rest::{device, devices, org};
use losant_rest::{Error, StatusCode};

const ORG: &str = "575ed6e87ae143cd83dc4aa8";
const APP: &str = "575ec8687ae143cd83dc4a97";
const DEVICE: &str = "575ecf887ae143cd83dc4aa2";

#[tokio::test]
async fn typed_expectations_answer_matching_requests_only() {
    let mock = MockServer::start().await;
    let org = Org::new().name("Acme");
    mock.on::<org::GetRequest>().path_param("orgId", ORG).returns(&org);
    // A later expectation that matches wins: narrowed by a query param.
    let other = Org::new().name("Acme (summary)");
    mock.on::<org::GetRequest>().path_param("orgId", ORG).query("summaryInclude", "payloadCount").returns(&other);
    let client = mock.client();

    assert_eq!(client.org().get(ORG).send().await.unwrap().name.as_deref(), Some("Acme"));
    let with_summary = client.org().get(ORG).summary_include("payloadCount").send().await.unwrap();
    assert_eq!(with_summary.name.as_deref(), Some("Acme (summary)"));

    // Another org id matches no expectation: a Losant-shaped 404, listed as unmatched.
    let error = client.org().get("575ed6e87ae143cd83dc4aa9").send().await.unwrap_err();
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.message.as_deref().unwrap().contains("no expectation matches GET /orgs/575ed6e87ae143cd83dc4aa9"));
    assert_eq!(mock.unmatched().len(), 1);

    let received = mock.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[0].action, Some("org.get"));
    assert_eq!(received[0].method, "GET");
    assert_eq!(received[0].path, format!("/orgs/{ORG}"));
    assert_eq!(received[0].query[0], ("_actions".to_string(), "false".to_string()));
    assert_eq!(received[0].header("Authorization"), Some("Bearer test-token"));
}

#[tokio::test]
async fn bodies_errors_headers_pages_and_streams() {
    let mock = MockServer::start().await;
    mock.on::<org::InviteMemberRequest>().path_param("orgId", ORG).fails(400, "Validation", "email is invalid");
    let page = |ids: &[&str]| {
        Devices::new().items(ids.iter().map(|id| Device::new().id(*id)).collect::<Vec<_>>()).total_count(3)
    };
    mock.on::<devices::GetRequest>().query("page", 0).returns(&page(&["a", "b"]));
    mock.on::<devices::GetRequest>().query("page", 1).response_header("x-page", "1").returns(&page(&["c"]));
    mock.on::<device::GetRequest>().path_param("deviceId", DEVICE).responds(200, serde_json::json!({"name": "pump"}));
    mock.on::<device::StateStreamRequest>().responds_raw(
        200,
        "text/event-stream",
        "event: deviceState\ndata: {\"data\":{\"temp\":21}}\n\n",
    );
    let client = mock.client();

    let invite = OrgInvitePost::new("not-an-email", OrgRole::View);
    let error = client.org().invite_member(ORG, invite).send().await.unwrap_err();
    assert_eq!(error.to_string(), "org.inviteMember: HTTP 400 Bad Request: Validation: email is invalid");
    let sent = &mock.received()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.json().unwrap(), serde_json::json!({"email": "not-an-email", "role": "view"}));

    let devices: Vec<Device> = client.devices().get(APP).per_page("2").items().try_collect().await.unwrap();
    let ids: Vec<&str> = devices.iter().filter_map(|d| d.id.as_deref()).collect();
    assert_eq!(ids, ["a", "b", "c"]);

    let device = client.device().get(APP, DEVICE).send_with_response().await.unwrap();
    assert_eq!(device.body.name.as_deref(), Some("pump"));
    let second = client.devices().get(APP).page("1").send_with_response().await.unwrap();
    assert_eq!(second.header("x-page"), Some("1"));

    let events: Vec<StateStreamEvent> =
        client.device().state_stream(APP, DEVICE).send().await.unwrap().try_collect().await.unwrap();
    assert!(matches!(&events[..], [StateStreamEvent::DeviceState(_)]), "{events:?}");
    assert!(mock.unmatched().is_empty(), "{:?}", mock.unmatched());
}

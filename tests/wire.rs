//! Wire tests: every Org action against a real HTTP server on 127.0.0.1,
//! asserting the exact method, path, query, headers and body sent, and how
//! responses are decoded.

use std::time::Duration;

use losant_rest::types::{OrgInvitePost, OrgMemberPatch, OrgPatch, OrgRole, ResourceTransfer};
use losant_rest::{ApiErrorKind, Client, Error, StatusCode};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ORG: &str = "575ed6e87ae143cd83dc4aa8";
const DEFAULTS: &str = "_actions=false&_links=true&_embedded=true";

/// What the server received.
#[derive(Debug)]
struct Sent {
    method: String,
    path: String,
    query: String,
    body: String,
    request: wiremock::Request,
}

impl Sent {
    fn header(&self, name: &str) -> Option<&str> {
        self.request.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A server that answers every request with `status` and `body`, and a client pointed at it.
async fn server(status: u16, body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).token("secret-token").build().unwrap();
    (server, client)
}

async fn received(server: &MockServer) -> Vec<Sent> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|request| Sent {
            method: request.method.to_string(),
            path: request.url.path().to_string(),
            query: request.url.query().unwrap_or_default().to_string(),
            body: String::from_utf8_lossy(&request.body).into_owned(),
            request,
        })
        .collect()
}

async fn only_request(server: &MockServer) -> Sent {
    let mut sent = received(server).await;
    assert_eq!(sent.len(), 1, "expected exactly one request, got {sent:?}");
    sent.remove(0)
}

/// The headers every request carries, and a JSON content type exactly when there is a body.
fn assert_standard_headers(sent: &Sent) {
    assert_eq!(sent.header("authorization"), Some("Bearer secret-token"));
    assert_eq!(sent.header("accept"), Some("application/json"));
    assert_eq!(sent.header("accept-version"), Some("^1.30.0"));
    let content_type = sent.header("content-type");
    if sent.body.is_empty() {
        assert_eq!(content_type, None);
    } else {
        assert_eq!(content_type, Some("application/json"));
    }
}

#[tokio::test]
async fn delete_sends_delete_on_the_org_path() {
    let (server, client) = server(200, r#"{"success":true}"#).await;
    let result = client.org().delete(ORG).send().await.unwrap();
    assert_eq!(result.success, Some(true));
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("DELETE", "/orgs/575ed6e87ae143cd83dc4aa8"));
    assert_eq!(sent.query, DEFAULTS);
    assert_eq!(sent.body, "");
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn device_counts_sends_the_range_after_the_defaults() {
    let body = r#"{"start":"2024-01-01T00:00:00.000Z","end":"2024-01-02T00:00:00.000Z","counts":[{"date":"2024-01-01T00:00:00.000Z","created":2,"deleted":1,"total":10}]}"#;
    let (server, client) = server(200, body).await;
    let counts = client.org().device_counts(ORG).start("0").end("1465790400000").send().await.unwrap();
    let first = &counts.counts.as_ref().unwrap()[0];
    assert_eq!((first.created, first.deleted, first.total), (Some(2), Some(1), Some(10)));
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("GET", "/orgs/575ed6e87ae143cd83dc4aa8/deviceCounts"));
    assert_eq!(sent.query, format!("{DEFAULTS}&start=0&end=1465790400000"));
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn millisecond_params_take_times_and_date_times_keep_the_servers_text() {
    // Text with an offset and microseconds: kept as sent, read as a time.
    let body = r#"{"start":"2016-06-13T09:30:00.000123+05:30","counts":[{"date":"2016-06-13T04:00:00Z","total":1}]}"#;
    let (first_server, client) = server(200, body).await;
    let start = std::time::UNIX_EPOCH + Duration::from_millis(1_465_790_400_000);
    let counts = client
        .org()
        .device_counts(ORG)
        .start(start)
        .end(Duration::from_millis(1_465_876_800_000))
        .send()
        .await
        .unwrap();
    let sent = only_request(&first_server).await;
    assert_eq!(sent.query, format!("{DEFAULTS}&start=1465790400000&end=1465876800000"));
    let first = counts.start.as_ref().unwrap();
    assert_eq!(first.as_str(), "2016-06-13T09:30:00.000123+05:30");
    assert_eq!(first.to_system_time(), Some(start + Duration::from_micros(123)));
    assert_eq!(first.to_epoch_millis(), Some(1_465_790_400_000));
    let json = serde_json::to_value(&counts).unwrap();
    assert_eq!(json["start"], "2016-06-13T09:30:00.000123+05:30", "text in is text out");
    assert_eq!(json["counts"][0]["date"], "2016-06-13T04:00:00Z");
    // A `Timestamp` read from one response is a millisecond param of the next.
    let (again, client) = server(200, body).await;
    client.org().device_counts(ORG).start(first).end(-86_400_000).send().await.unwrap();
    assert_eq!(only_request(&again).await.query, format!("{DEFAULTS}&start=1465790400000&end=-86400000"));
}

#[tokio::test]
async fn get_decodes_the_org_and_keeps_unknown_enum_values() {
    let body = r##"{
        "id": "575ed6e87ae143cd83dc4aa8", "name": "Acme", "iconColor": "#ff0000",
        "members": [
            {"userId": "575ed70c7ae143cd83dc4aa9", "role": "admin"},
            {"userId": "575ed70c7ae143cd83dc4aaa", "role": "superadmin"}
        ],
        "limits": {"dataTTL": 86400, "device": 100},
        "summary": {"payloadCount": {"deviceState": {"mqtt": 12.0}}},
        "disabledAt": false,
        "banner": {"message": "hi", "level": "warning"},
        "somethingNew": {"the": "server added this"}
    }"##;
    let (server, client) = server(200, body).await;
    let org = client.org().get(ORG).summary_include("payloadCount").send().await.unwrap();
    assert_eq!(org.name.as_deref(), Some("Acme"));
    let members = org.members.unwrap();
    assert_eq!(members[0].role, Some(OrgRole::Admin));
    assert_eq!(members[1].role, Some(OrgRole::Unknown("superadmin".into())));
    assert_eq!(members[1].role.as_ref().unwrap().as_str(), "superadmin");
    assert_eq!(org.limits.unwrap().data_ttl, Some(86400));
    let payload = org.summary.unwrap().payload_count.unwrap();
    assert_eq!(payload.device_state.unwrap()["mqtt"], 12.0);
    assert_eq!(org.disabled_at, Some(losant_rest::types::OrgDisabledAt::Bool(false)));

    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("GET", "/orgs/575ed6e87ae143cd83dc4aa8"));
    assert_eq!(sent.query, format!("{DEFAULTS}&summaryInclude=payloadCount"));
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn get_sends_both_summary_params_in_spec_order() {
    let (server, client) = server(200, "{}").await;
    // Set in the opposite order: the wire order is the spec's.
    client.org().get(ORG).summary_include("a").summary_exclude("b c").send().await.unwrap();
    let sent = only_request(&server).await;
    assert_eq!(sent.query, format!("{DEFAULTS}&summaryExclude=b%20c&summaryInclude=a"));
}

#[tokio::test]
async fn invite_member_posts_compact_json() {
    let body = r#"[{"id":"575ed71e7ae143cd83dc4aaa","email":"a@example.com","role":"edit","hasExpired":false}]"#;
    let (server, client) = server(200, body).await;
    let invite = OrgInvitePost::new("a@example.com", OrgRole::Edit).disallow_transfer(true);
    let invites = client.org().invite_member(ORG, invite).send().await.unwrap();
    assert_eq!(invites[0].email.as_deref(), Some("a@example.com"));
    assert_eq!(invites[0].has_expired, Some(false));
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("POST", "/orgs/575ed6e87ae143cd83dc4aa8/invites"));
    assert_eq!(sent.query, DEFAULTS);
    assert_eq!(sent.body, r#"{"email":"a@example.com","role":"edit","disallowTransfer":true}"#);
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn modify_member_patches_with_body_and_query() {
    let (server, client) = server(200, r#"{"id":"575ed6e87ae143cd83dc4aa8"}"#).await;
    let member = OrgMemberPatch::new("575ed70c7ae143cd83dc4aa9").role(OrgRole::View);
    client.org().modify_member(ORG, member).summary_exclude("payloadCount").send().await.unwrap();
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("PATCH", "/orgs/575ed6e87ae143cd83dc4aa8/member"));
    assert_eq!(sent.query, format!("{DEFAULTS}&summaryExclude=payloadCount"));
    assert_eq!(sent.body, r#"{"userId":"575ed70c7ae143cd83dc4aa9","role":"view"}"#);
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn notebook_minute_counts_gets_with_range() {
    let (server, client) = server(200, r#"{"counts":[{"minutes":3,"timeout":1}]}"#).await;
    let counts = client.org().notebook_minute_counts(ORG).end("5").send().await.unwrap();
    assert_eq!(counts.counts.unwrap()[0].minutes, Some(3));
    let sent = only_request(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("GET", "/orgs/575ed6e87ae143cd83dc4aa8/notebookMinuteCounts")
    );
    assert_eq!(sent.query, format!("{DEFAULTS}&end=5"));
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn patch_sends_the_org_patch() {
    let (server, client) = server(200, r#"{"name":"New name"}"#).await;
    let patch = OrgPatch::new().name("New name").description("Ünïcode ✓");
    let org = client.org().patch(ORG, patch).send().await.unwrap();
    assert_eq!(org.name.as_deref(), Some("New name"));
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("PATCH", "/orgs/575ed6e87ae143cd83dc4aa8"));
    assert_eq!(sent.query, DEFAULTS);
    assert_eq!(sent.body, r#"{"name":"New name","description":"Ünïcode ✓"}"#);
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn payload_counts_sends_as_bytes() {
    let (server, client) = server(200, r#"{"mqttIn":{"device":4}}"#).await;
    let stats = client.org().payload_counts(ORG).start("0").as_bytes("true").send().await.unwrap();
    assert_eq!(stats.mqtt_in.unwrap()["device"], 4.0);
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("GET", "/orgs/575ed6e87ae143cd83dc4aa8/payloadCounts"));
    assert_eq!(sent.query, format!("{DEFAULTS}&start=0&asBytes=true"));
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn payload_counts_breakdown_sends_every_param_in_spec_order() {
    let (server, client) = server(200, r#"{"counts":[{"date":"2024-01-01T00:00:00.000Z","value":7}]}"#).await;
    let breakdown = client
        .org()
        .payload_counts_breakdown(ORG)
        .include_non_billable("true")
        .as_bytes("false")
        .resolution("3600000")
        .end("2")
        .start("1")
        .send()
        .await
        .unwrap();
    assert_eq!(breakdown.counts.unwrap()[0].value, Some(7));
    let sent = only_request(&server).await;
    assert_eq!(sent.path, "/orgs/575ed6e87ae143cd83dc4aa8/payloadCountsBreakdown");
    assert_eq!(
        sent.query,
        format!("{DEFAULTS}&start=1&end=2&resolution=3600000&asBytes=false&includeNonBillable=true")
    );
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn payload_counts_breakdown_takes_integers_and_booleans() {
    let (server, client) = server(200, r#"{"counts":[]}"#).await;
    client
        .org()
        .payload_counts_breakdown(ORG)
        .include_non_billable(true)
        .as_bytes(false)
        .resolution(3_600_000)
        .end(2)
        .start(-259_200_000)
        .send()
        .await
        .unwrap();
    let sent = only_request(&server).await;
    assert_eq!(
        sent.query,
        format!("{DEFAULTS}&start=-259200000&end=2&resolution=3600000&asBytes=false&includeNonBillable=true")
    );
}

#[tokio::test]
async fn pending_invites_gets_the_invites() {
    let (server, client) = server(200, r#"[{"email":"b@example.com","role":"none","ttl":3600}]"#).await;
    let invites = client.org().pending_invites(ORG).send().await.unwrap();
    assert_eq!(invites[0].role, Some(OrgRole::None));
    assert_eq!(invites[0].ttl, Some(3600.0));
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("GET", "/orgs/575ed6e87ae143cd83dc4aa8/invites"));
    assert_eq!(sent.query, DEFAULTS);
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn remove_member_sends_the_user_id_in_the_query() {
    let (server, client) = server(200, "{}").await;
    client.org().remove_member(ORG, "575ed70c7ae143cd83dc4aa9").summary_include("x").send().await.unwrap();
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("DELETE", "/orgs/575ed6e87ae143cd83dc4aa8/member"));
    assert_eq!(sent.query, format!("{DEFAULTS}&userId=575ed70c7ae143cd83dc4aa9&summaryInclude=x"));
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn revoke_invite_sends_the_invite_id_in_the_query() {
    let (server, client) = server(200, "[]").await;
    let invites = client.org().revoke_invite(ORG, "575ed71e7ae143cd83dc4aaa").send().await.unwrap();
    assert!(invites.is_empty());
    let sent = only_request(&server).await;
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("DELETE", "/orgs/575ed6e87ae143cd83dc4aa8/invites"));
    assert_eq!(sent.query, format!("{DEFAULTS}&inviteId=575ed71e7ae143cd83dc4aaa"));
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn transfer_resources_patches_the_transfer() {
    let (server, client) = server(200, r#"{"success":true}"#).await;
    let transfer = ResourceTransfer::new("575ed70c7ae143cd83dc4aa9", "user".into())
        .application_ids(vec!["575ed78e7ae143cd83dc4aab".into()])
        .strict(false);
    client.org().transfer_resources(ORG, transfer).send().await.unwrap();
    let sent = only_request(&server).await;
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("PATCH", "/orgs/575ed6e87ae143cd83dc4aa8/transferResources")
    );
    assert_eq!(sent.query, DEFAULTS);
    assert_eq!(
        sent.body,
        r#"{"destinationId":"575ed70c7ae143cd83dc4aa9","destinationType":"user","applicationIds":["575ed78e7ae143cd83dc4aab"],"strict":false}"#
    );
    assert_standard_headers(&sent);
}

#[tokio::test]
async fn a_global_param_set_by_the_caller_replaces_its_default_in_place() {
    let (server, client) = server(200, "{}").await;
    client
        .org()
        .get(ORG)
        .summary_exclude("x")
        .embedded(false)
        .actions(true)
        .losantdomain("example.com")
        .send()
        .await
        .unwrap();
    let sent = only_request(&server).await;
    assert_eq!(sent.query, "_actions=true&_links=true&_embedded=false&summaryExclude=x");
    assert_eq!(sent.header("losantdomain"), Some("example.com"));
}

#[tokio::test]
async fn path_params_cannot_change_the_path_or_the_query() {
    let (server, _) = server(200, "{}").await;
    // With the pattern check off, encoding alone keeps each value one segment.
    let client = Client::builder().base_url(server.uri()).check_params(false).build().unwrap();
    client.org().get("../../me").send().await.unwrap();
    client.org().get("a/b?c=d#e").send().await.unwrap();
    client.org().remove_member("x y", "&userId=evil").send().await.unwrap();
    let sent = received(&server).await;
    assert_eq!(sent[0].path, "/orgs/..%2F..%2Fme");
    assert_eq!(sent[0].query, DEFAULTS);
    assert_eq!(sent[1].path, "/orgs/a%2Fb%3Fc%3Dd%23e");
    assert_eq!(sent[1].query, DEFAULTS);
    assert_eq!(sent[2].path, "/orgs/x%20y/member");
    assert_eq!(sent[2].query, format!("{DEFAULTS}&userId=%26userId%3Devil"));
}

#[tokio::test]
async fn ids_that_do_not_match_the_spec_pattern_are_rejected_before_sending() {
    let (server, client) = server(200, "{}").await;
    for bad in ["../../me", "a/b?c=d", "575ed6e87ae143cd83dc4aa", "575ed6e87ae143cd83dc4aa8\n", ""] {
        let error = client.org().get(bad).send().await.unwrap_err();
        assert!(matches!(&error, Error::InvalidArgument { param, .. } if param == "orgId"), "{error}");
        assert!(error.to_string().contains("does not match the pattern `^[A-Fa-f\\d]{24}$`"), "{error}");
    }
    let error = client.org().remove_member(ORG, "../me").send().await;
    assert!(error.is_ok(), "query params are encoded, not pattern-checked: {error:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_rejected_even_unchecked() {
    let (server, _) = server(200, "{}").await;
    let client = Client::builder().base_url(server.uri()).check_params(false).build().unwrap();
    for bad in ["", ".", ".."] {
        let error = client.org().get(bad).send().await.unwrap_err();
        assert!(matches!(&error, Error::InvalidArgument { param, .. } if param == "orgId"), "{error}");
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn header_values_with_line_breaks_are_rejected_before_sending() {
    let (server, client) = server(200, "{}").await;
    let error = client.org().get(ORG).losantdomain("example.com\r\nX-Injected: 1").send().await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { param, .. } if param == "losantdomain"), "{error}");
    assert!(error.to_string().contains("org.get: invalid `losantdomain`"), "{error}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_bad_token_is_a_config_error_and_never_printed() {
    let (server, _) = server(200, "{}").await;
    let error = Client::builder().base_url(server.uri()).token("abc\ndef").build().unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error}");
    assert!(!error.to_string().contains("abc"));

    let client = Client::new("abc\ndef");
    let error = client.org().get(ORG).send().await.unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error}");
    assert!(received(&server).await.is_empty());

    let client = Client::builder().token("super-secret").build().unwrap();
    assert!(!format!("{client:?}").contains("super-secret"));
}

#[tokio::test]
async fn error_statuses_decode_the_losant_error_body() {
    for (status, kind, message) in
        [(400, "Validation", "orgId is malformed"), (404, "NotFound", "Organization was not found")]
    {
        let body = format!(r#"{{"type":"{kind}","message":"{message}"}}"#);
        let (_server, client) = server(status, &body).await;
        let error = client.org().get(ORG).send().await.unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::from_u16(status).unwrap()));
        let Error::Api(api) = &error else { panic!("expected an API error, got {error:?}") };
        assert_eq!(api.error_type.as_deref(), Some(kind));
        assert_eq!(api.message.as_deref(), Some(message));
        assert_eq!(api.action, "org.get");
        assert_eq!(error.action(), Some("org.get"));
        let expected = if status == 400 { ApiErrorKind::Validation } else { ApiErrorKind::NotFound };
        assert_eq!(api.kind(), expected);
        assert_eq!((error.is_validation(), error.is_not_found()), (status == 400, status == 404));
        let reason = StatusCode::from_u16(status).unwrap();
        assert_eq!(error.to_string(), format!("org.get: HTTP {reason}: {kind}: {message}"));
    }
}

#[tokio::test]
async fn an_error_body_that_is_not_losants_keeps_the_real_status() {
    let (_server, client) = server(502, "<html><body>Bad gateway</body></html>").await;
    let error = client.org().get(ORG).send().await.unwrap_err();
    let Error::Api(api) = &error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.status, StatusCode::BAD_GATEWAY);
    assert_eq!(api.attempts, 3, "a GET answered 502 is retried");
    assert_eq!(api.error_type, None);
    assert_eq!(api.body, "<html><body>Bad gateway</body></html>");
    assert_eq!(api.kind(), ApiErrorKind::Server, "the status decides when the body has no type");
}

#[tokio::test]
async fn a_success_body_of_the_wrong_shape_is_a_decode_error_with_its_path() {
    let (_server, client) = server(200, r#"{"members":[{"role":"admin"},{"role":7}]}"#).await;
    let error = client.org().get(ORG).send().await.unwrap_err();
    let Error::Decode { status, path, type_name, .. } = &error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(*status, StatusCode::OK);
    assert_eq!(path, "members[1].role");
    assert_eq!(*type_name, "losant_rest::types::Org");
}

#[tokio::test]
async fn a_slow_response_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}").set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).timeout(Duration::from_millis(200)).build().unwrap();
    let error = client.org().get(ORG).send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { action: "org.get", .. }), "{error:?}");
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    // Bind then drop a listener so the port is known to be closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder().base_url(format!("http://127.0.0.1:{port}")).build().unwrap();
    let error = client.org().get(ORG).send().await.unwrap_err();
    assert!(matches!(error, Error::Transport { action: "org.get", attempts: 3, .. }), "{error:?}");
    assert!(error.to_string().starts_with("org.get: the request failed (after 3 attempts): "), "{error}");
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it() {
    let (server, _) = server(200, "{}").await;
    let client =
        Client::builder().base_url(format!("{}/api/", server.uri())).accept_version("^1.29.0").build().unwrap();
    assert!(client.base_url().ends_with("/api"));
    client.org().get(ORG).send().await.unwrap();
    let sent = only_request(&server).await;
    assert_eq!(sent.path, "/api/orgs/575ed6e87ae143cd83dc4aa8");
    assert_eq!(sent.header("accept-version"), Some("^1.29.0"));
    assert_eq!(sent.header("authorization"), None);
}

#[test]
fn bad_base_urls_are_config_errors() {
    for url in ["not a url", "ftp://example.com", "https://example.com/?q=1"] {
        let error = Client::builder().base_url(url).build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{url}: {error}");
    }
}

#[test]
fn actions_expose_method_path_and_scopes() {
    use losant_rest::org::{GetRequest, InviteMemberRequest};
    assert_eq!(GetRequest::METHOD, "GET");
    assert_eq!(GetRequest::PATH, "/orgs/{orgId}");
    assert_eq!(GetRequest::SCOPES.first(), Some(&"all.Organization"));
    assert_eq!(GetRequest::SCOPES.last(), Some(&"org.get"));
    assert_eq!(InviteMemberRequest::PATH, "/orgs/{orgId}/invites");
    assert_eq!(
        InviteMemberRequest::SCOPES,
        ["all.Organization", "all.User", "only.Organization", "org.*", "org.inviteMember"]
    );
}

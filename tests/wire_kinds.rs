//! Wire tests for each kind of request beyond plain JSON: structured query
//! params, multipart uploads, server-sent-event streams and actions with more
//! than one success status, against a real HTTP server on 127.0.0.1.

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};

use losant_rest::application::ApplyTemplateResponse;
use losant_rest::device::StateStreamEvent;
use losant_rest::types::{
    AdvancedDeviceQuery, ApplicationApplyTemplatePatch, DeviceClass, DeviceClassFilter, DeviceTagFilterDeviceTag,
    ImportNewApplicationOptions,
};
use losant_rest::{Client, Error, FilePart};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP: &str = "575ec8687ae143cd83dc4a97";
const DEVICE: &str = "575ecf887ae143cd83dc4aa2";
const DEFAULTS: &str = "_actions=false&_links=true&_embedded=true";

async fn server(response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).token("t").build().unwrap();
    (server, client)
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[tokio::test]
async fn object_and_array_query_params_use_bracket_notation_and_query_is_json() {
    let (server, client) = server(json(200, r#"{"items":[],"count":0}"#)).await;
    let tags =
        vec![DeviceTagFilterDeviceTag::new().key("floor").value("2 & 3"), DeviceTagFilterDeviceTag::new().key("wing")];
    let query: AdvancedDeviceQuery = serde_json::from_str(r#"{"name":{"$eq":"pump 1"}}"#).unwrap();
    client
        .devices()
        .get(APP)
        .device_class(DeviceClassFilter::List(vec![DeviceClass::Gateway, DeviceClass::Standalone]))
        .tag_filter(tags)
        .query(query)
        .per_page("10")
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/applications/575ec8687ae143cd83dc4a97/devices");
    let query = request.url.query().unwrap();
    assert!(query.starts_with(DEFAULTS), "{query}");
    assert!(query.contains("&deviceClass%5B0%5D=gateway&deviceClass%5B1%5D=standalone"), "{query}");
    assert!(
        query.contains(
            "&tagFilter%5B0%5D%5Bkey%5D=floor&tagFilter%5B0%5D%5Bvalue%5D=2%20%26%203&tagFilter%5B1%5D%5Bkey%5D=wing"
        ),
        "{query}"
    );
    assert!(query.contains("&query=%7B%22name%22%3A%7B%22%24eq%22%3A%22pump%201%22%7D%7D"), "{query}");
    assert!(query.contains("&perPage=10"), "{query}");
}

#[tokio::test]
async fn array_query_param_without_a_schema() {
    let (server, client) = server(json(200, r#"{"items":[]}"#)).await;
    client.application_templates().get().keywords(vec!["gps".into(), "aws".into()]).send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query().unwrap(), format!("{DEFAULTS}&keywords%5B0%5D=gps&keywords%5B1%5D=aws"));
}

#[tokio::test]
async fn multipart_upload_sends_file_text_and_json_parts() {
    let (server, client) = server(json(202, r#"{"jobQueued":true,"jobId":"j1","success":true}"#)).await;
    let options = ImportNewApplicationOptions::new().force_job(true);
    let result = client
        .applications()
        .import()
        .import_bundle(FilePart::from_bytes("bundle.zip", b"PK\x03\x04zip".to_vec()).content_type("application/zip"))
        .owner_id("575ed70c7ae143cd83dc4aa9")
        .include_devices("true")
        .options(options)
        .send()
        .await
        .unwrap();
    let losant_rest::applications::ImportResponse::Accepted(job) = result else {
        panic!("expected the 202 variant, got {result:?}")
    };
    assert_eq!(job.job_id.as_deref(), Some("j1"));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/applications/import");
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap().to_string();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(&content_type);
    let body = String::from_utf8_lossy(&request.body);
    let parts: Vec<&str> = body.split(&format!("--{boundary}")).filter(|p| p.contains("Content-Disposition")).collect();
    assert_eq!(parts.len(), 4, "{body}");
    assert!(parts[0].contains("name=\"importBundle\"; filename=\"bundle.zip\""), "{}", parts[0]);
    assert!(parts[0].contains("Content-Type: application/zip"), "{}", parts[0]);
    assert!(parts[0].contains("PK\u{3}\u{4}zip"), "{}", parts[0]);
    assert!(parts[1].contains("name=\"ownerId\"\r\n\r\n575ed70c7ae143cd83dc4aa9\r\n"), "{}", parts[1]);
    assert!(parts[2].contains("name=\"includeDevices\"\r\n\r\ntrue\r\n"), "{}", parts[2]);
    assert!(parts[3].contains("name=\"options\"\r\n\r\n{\"forceJob\":true}\r\n"), "{}", parts[3]);
}

#[tokio::test]
async fn a_file_part_can_come_from_a_path() {
    let dir = std::env::temp_dir().join(format!("losant-rest-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("notebook.ipynb");
    std::fs::write(&path, "{\"cells\":[]}").unwrap();
    let part = FilePart::from_path(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!((part.file_name(), part.len()), ("notebook.ipynb", 12));
    assert!(FilePart::from_path(dir.join("missing")).is_err());
}

#[tokio::test]
async fn multi_status_actions_return_the_variant_of_the_status() {
    let patch = || ApplicationApplyTemplatePatch::new("575ed78e7ae143cd83dc4aab");
    let (_server, client) = server(json(200, r#"{"id":"575ec8687ae143cd83dc4a97","name":"App"}"#)).await;
    let result = client.application().apply_template(APP, patch()).send().await.unwrap();
    assert!(matches!(&result, ApplyTemplateResponse::Ok(app) if app.name.as_deref() == Some("App")), "{result:?}");

    let (_server, client) = server(json(202, r#"{"jobQueued":true}"#)).await;
    let result = client.application().apply_template(APP, patch()).send().await.unwrap();
    assert!(matches!(&result, ApplyTemplateResponse::Accepted(job) if job.job_queued == Some(true)), "{result:?}");

    let (_server, client) = server(json(203, "{}")).await;
    let error = client.application().apply_template(APP, patch()).send().await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(203));
}

#[tokio::test]
async fn event_streams_yield_typed_events_and_end_when_the_server_closes() {
    let body = concat!(
        ": keep-alive\n\n",
        "event: deviceState\n",
        "data: {\"time\":\"2024-01-01T00:00:00.000Z\",\"data\":{\"temp\":21.5,\"on\":true,\"label\":\"a\"}}\n\n",
        "event: somethingNew\ndata: {\"x\":1}\n\n",
        "event: deviceState\ndata: not json\n\n",
    );
    let (server, client) = server(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")).await;
    let mut stream = client.device().state_stream(APP, DEVICE).keep_alive_interval("5").send().await.unwrap();

    let Some(Ok(StateStreamEvent::DeviceState(state))) = stream.next().await else { panic!("expected a state") };
    assert_eq!(serde_json::to_value(&state.data).unwrap(), serde_json::json!({"temp": 21.5, "on": true, "label": "a"}));
    let Some(Ok(StateStreamEvent::Other { event, data })) = stream.next().await else { panic!("expected other") };
    assert_eq!((event.as_str(), data.as_str()), ("somethingNew", "{\"x\":1}"));
    let Some(Err(Error::Decode { path, .. })) = stream.next().await else { panic!("expected a decode error") };
    assert_eq!(path, "event `deviceState`");
    assert!(stream.next().await.is_none());

    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/applications/575ec8687ae143cd83dc4a97/devices/575ecf887ae143cd83dc4aa2/stateStream"
    );
    assert_eq!(request.url.query().unwrap(), format!("{DEFAULTS}&keepAliveInterval=5"));
    assert_eq!(request.headers.get("accept").unwrap(), "text/event-stream");
}

#[tokio::test]
async fn a_stream_that_fails_to_open_is_an_api_error() {
    let (_server, client) = server(json(404, r#"{"type":"NotFound","message":"Device was not found"}"#)).await;
    let error = client.device().state_stream(APP, DEVICE).send().await.unwrap_err();
    assert_eq!(error.to_string(), "device.stateStream: HTTP 404 Not Found: NotFound: Device was not found");
}

#[tokio::test]
async fn event_streams_are_not_cut_by_the_client_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // The head at once, the event after 300 ms: longer than the client timeout,
    // which bounds only the wait for the head.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let _ = socket.read(&mut [0u8; 4096]).await;
        let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = socket.write_all(b"event: deviceState\ndata: {\"data\":{}}\n\n").await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    let client = Client::builder().base_url(base).timeout(Duration::from_millis(100)).build().unwrap();
    let mut stream = client.device().state_stream(APP, DEVICE).send().await.unwrap();
    let event = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.unwrap();
    assert!(matches!(event, Some(Ok(StateStreamEvent::DeviceState(_)))), "{event:?}");
}

#[tokio::test]
async fn items_streams_every_page_until_total_count() {
    use wiremock::matchers::query_param;
    let server = MockServer::start().await;
    let page = |n: u64, ids: &[&str]| {
        let items: Vec<String> = ids.iter().map(|id| format!(r#"{{"id":"{id}","name":"d{id}"}}"#)).collect();
        json(
            200,
            &format!(
                r#"{{"items":[{}],"count":{},"totalCount":3,"perPage":2,"page":{n}}}"#,
                items.join(","),
                ids.len()
            ),
        )
    };
    Mock::given(query_param("page", "0")).respond_with(page(0, &["a", "b"])).mount(&server).await;
    Mock::given(query_param("page", "1")).respond_with(page(1, &["c"])).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();

    let devices = client.devices().get(APP).per_page("2").items().try_collect::<Vec<_>>().await.unwrap();
    let ids: Vec<&str> = devices.iter().filter_map(|d| d.id.as_deref()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "stops at totalCount without asking for an empty page");
    assert!(requests[1].url.query().unwrap().ends_with("&page=1&perPage=2"), "{:?}", requests[1].url.query());
}

#[tokio::test]
async fn items_stop_at_an_empty_page_and_at_the_first_error() {
    use wiremock::matchers::query_param;
    let server = MockServer::start().await;
    Mock::given(query_param("page", "3")).respond_with(json(200, r#"{"items":[{"id":"x"}]}"#)).mount(&server).await;
    Mock::given(query_param("page", "4")).respond_with(json(200, r#"{"items":[]}"#)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    // `page` set as an integer, as the pager sets each next page; `per_page` above is set as text.
    let devices = client.devices().get(APP).page(3).items().try_collect::<Vec<_>>().await.unwrap();
    assert_eq!(devices.len(), 1);

    let server = MockServer::start().await;
    Mock::given(query_param("page", "0"))
        .respond_with(json(200, r#"{"items":[{"id":"x"}],"totalCount":9}"#))
        .mount(&server)
        .await;
    Mock::given(query_param("page", "1"))
        .respond_with(json(404, r#"{"type":"NotFound","message":"gone"}"#))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let mut items = client.devices().get(APP).items();
    assert!(matches!(items.next().await, Some(Ok(_))));
    assert!(matches!(items.next().await, Some(Err(Error::Api(_)))));
    assert!(items.next().await.is_none(), "an error ends the stream");
}

/// The query string of the one request `send` makes against a fresh server.
async fn query_of<F, Fut>(send: F) -> String
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (server, client) = server(json(200, r#"{"items":[]}"#)).await;
    send(client).await;
    only_request(&server).await.url.query().unwrap_or_default().to_string()
}

#[tokio::test]
async fn typed_params_send_the_same_bytes_as_their_text() {
    use losant_rest::params::{DevicesGetSortField, FilterField, SortDirection};
    let typed = query_of(|client| async move {
        client
            .devices()
            .get(APP)
            .sort_field(DevicesGetSortField::CreationDate)
            .sort_direction(SortDirection::Desc)
            .page(3)
            .per_page(100)
            .filter_field(FilterField::Name)
            .tags_as_object(true)
            .query_deleted(false)
            .send()
            .await
            .unwrap();
    })
    .await;
    assert_eq!(
        typed,
        format!(
            "{DEFAULTS}&sortField=creationDate&sortDirection=desc&page=3&perPage=100&filterField=name\
             &tagsAsObject=true&queryDeleted=false"
        )
    );
    let text = query_of(|client| async move {
        let per_page = String::from("100");
        client
            .devices()
            .get(APP)
            .sort_field("creationDate")
            .sort_direction("desc")
            .page("3")
            .per_page(&per_page)
            .filter_field(String::from("name"))
            .tags_as_object("true")
            .query_deleted("false")
            .send()
            .await
            .unwrap();
    })
    .await;
    assert_eq!(text, typed);
}

#[tokio::test]
async fn an_integer_param_takes_any_integer_type_or_text() {
    for value in [
        query_of(|c| async move {
            c.devices().get(APP).per_page(100).send().await.unwrap();
        })
        .await,
        query_of(|c| async move {
            c.devices().get(APP).per_page(100_usize).send().await.unwrap();
        })
        .await,
        query_of(|c| async move {
            c.devices().get(APP).per_page("100").send().await.unwrap();
        })
        .await,
    ] {
        assert_eq!(value, format!("{DEFAULTS}&perPage=100"));
    }
}

#[tokio::test]
async fn an_unknown_enum_value_is_sent_as_given() {
    use losant_rest::params::SortDirection;
    let unknown = SortDirection::from("sideways");
    assert_eq!(unknown, SortDirection::Unknown("sideways".into()));
    let typed = query_of(|c| async move {
        c.devices().get(APP).sort_direction(unknown).send().await.unwrap();
    })
    .await;
    assert_eq!(typed, format!("{DEFAULTS}&sortDirection=sideways"));
    let text = query_of(|c| async move {
        c.devices().get(APP).sort_direction("sideways").send().await.unwrap();
    })
    .await;
    assert_eq!(text, typed);
    assert_eq!(SortDirection::from("desc"), SortDirection::Desc, "a known value is its variant");
}

#[tokio::test]
async fn a_required_enum_param_is_an_argument_taking_the_enum_or_text() {
    use losant_rest::params::ItemType;
    let typed = query_of(|c| async move {
        c.me().fetch_recent_items(ItemType::Dashboard).send().await.unwrap();
    })
    .await;
    assert_eq!(typed, format!("{DEFAULTS}&itemType=dashboard"));
    let text = query_of(|c| async move {
        c.me().fetch_recent_items("dashboard").send().await.unwrap();
    })
    .await;
    assert_eq!(text, typed);
}

#[tokio::test]
async fn pages_stream_whole_pages_with_their_total_and_stream_ext_is_not_shadowed() {
    use wiremock::matchers::query_param;
    let server = MockServer::start().await;
    let page = |n: u64, ids: &[&str]| {
        let items: Vec<String> = ids.iter().map(|id| format!(r#"{{"id":"{id}"}}"#)).collect();
        json(200, &format!(r#"{{"items":[{}],"totalCount":3,"page":{n}}}"#, items.join(",")))
    };
    Mock::given(query_param("page", "0")).respond_with(page(0, &["a", "b"])).mount(&server).await;
    Mock::given(query_param("page", "1")).respond_with(page(1, &["c"])).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();

    // `collect::<Vec<_>>` is `StreamExt`'s: the stream has no method of its own to shadow it.
    let pages: Vec<_> = client.devices().get(APP).per_page("2").pages().collect::<Vec<_>>().await;
    let pages: Vec<_> = pages.into_iter().map(Result::unwrap).collect();
    assert_eq!(pages.len(), 2, "stops at totalCount");
    assert_eq!((pages[0].page, pages[0].items.len(), pages[0].total_count), (0, 2, Some(3)));
    assert_eq!((pages[1].page, pages[1].items.len(), pages[1].total_count), (1, 1, Some(3)));
    assert_eq!(pages[1].items[0].id.as_deref(), Some("c"));

    // From a later page on, one page at a time.
    let mut from_second = client.devices().get(APP).page("1").pages();
    let second = from_second.try_next().await.unwrap().unwrap();
    assert_eq!((second.page, second.items.len()), (1, 1));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

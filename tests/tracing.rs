//! Each attempt of a request is a `losant.request` span with the action,
//! method, attempt, status and latency, and never the token.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use losant_rest::{Client, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A span's name and fields, as `(field, value)` pairs, the name first.
type Span = Vec<(String, String)>;

/// A subscriber that writes down every span's name and fields.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<Span>>>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_string(), format!("{value:?}")));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut spans = self.spans.lock().unwrap();
        let mut fields = vec![("name".to_string(), attributes.metadata().name().to_string())];
        attributes.record(&mut Fields(&mut fields));
        spans.push(fields);
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let index = span.into_u64() as usize - 1;
        values.record(&mut Fields(&mut spans[index]));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn every_attempt_is_a_span_with_its_outcome() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .with_priority(2)
        .mount(&server)
        .await;
    let retry =
        RetryPolicy::default().backoff(std::time::Duration::from_millis(1), std::time::Duration::from_millis(1));
    let client = Client::builder().base_url(server.uri()).token("very-secret-token").retry(retry).build().unwrap();

    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    client.org().get("575ed6e87ae143cd83dc4aa8").send().await.unwrap();

    let spans = recorder.spans.lock().unwrap();
    let ours: Vec<&Span> = spans.iter().filter(|s| s[0].1 == "losant.request").collect();
    assert_eq!(ours.len(), 2, "{spans:?}");
    let get = |span: &[(String, String)], name: &str| span.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    assert_eq!(get(ours[0], "action").as_deref(), Some("\"org.get\""));
    assert_eq!(get(ours[0], "method").as_deref(), Some("GET"));
    assert_eq!((get(ours[0], "attempt").as_deref(), get(ours[0], "status").as_deref()), (Some("1"), Some("503")));
    assert_eq!((get(ours[1], "attempt").as_deref(), get(ours[1], "status").as_deref()), (Some("2"), Some("200")));
    assert!(get(ours[1], "latency_ms").is_some());
    assert!(!format!("{spans:?}").contains("very-secret-token"), "the token never reaches a span");
}

//! Reconnecting event streams against a server on 127.0.0.1 that drops the
//! connection: the stream resumes with `Last-Event-ID`, waits as `retry:`
//! says, tells the caller each reconnect, and gives up at its limit with a
//! typed error. Each case ends within a few seconds.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use losant_rest::device::StateStreamEvent;
use losant_rest::{reconnecting, Client, Error, ReconnectPolicy, ReconnectingStream, StreamItem};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const APP: &str = "575ec8687ae143cd83dc4a97";
const DEVICE: &str = "575ecf887ae143cd83dc4aa2";
const SSE_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n";

async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), future).await.expect("the call did not return within 5 s")
}

/// A server that hands each connection (numbered from 0) to `serve` after
/// reading its head, and records each request's `Last-Event-ID` (None when absent).
async fn server<F, Fut>(serve: F) -> (String, Arc<Mutex<Vec<Option<String>>>>)
where
    F: Fn(usize, TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        // Bounded: no test opens more than 20 connections.
        for n in 0..20 {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut head = Vec::new();
            let mut buffer = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => head.extend_from_slice(&buffer[..read]),
                }
            }
            let head = String::from_utf8_lossy(&head).to_lowercase();
            let id = head.lines().find_map(|l| l.strip_prefix("last-event-id: ").map(|v| v.trim().to_string()));
            record.lock().unwrap().push(id);
            tokio::spawn(serve(n, socket));
        }
    });
    (format!("http://{address}"), seen)
}

fn stream(base: &str, policy: ReconnectPolicy) -> ReconnectingStream<StateStreamEvent> {
    let client = Client::builder().base_url(base).build().unwrap();
    let request = client.device().state_stream(APP, DEVICE);
    reconnecting(policy, move |last_event_id| {
        let request = request.clone();
        async move {
            match last_event_id {
                Some(id) => request.header("Last-Event-ID", id).send().await,
                None => request.send().await,
            }
        }
    })
}

#[tokio::test]
async fn a_stream_dropped_three_times_resumes_after_the_last_id_as_retry_says() {
    // Each connection sends one event with the next id and a `retry:` of
    // 60 ms, then the first three close. The backoff (4 s) would outlast the
    // test: only honouring `retry:` finishes in time.
    let (base, seen) = server(|n, mut socket| async move {
        let event = format!("retry: 60\nid: {}\nevent: deviceState\ndata: {{\"data\":{{\"n\":{n}}}}}\n\n", n + 1);
        let _ = socket.write_all(format!("{SSE_HEAD}{event}").as_bytes()).await;
        if n == 3 {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await;
    let policy = ReconnectPolicy::default().backoff(Duration::from_secs(4), Duration::from_secs(4));
    let mut events = stream(&base, policy);
    let started = Instant::now();
    let mut reconnects = Vec::new();
    let mut received = 0;
    while received < 4 {
        match within(events.next()).await.unwrap().unwrap() {
            StreamItem::Event(StateStreamEvent::DeviceState(_)) => received += 1,
            StreamItem::Reconnected(reconnect) => {
                assert_eq!(reconnect.attempt, 1, "an event came in between");
                assert_eq!(reconnect.waited, Duration::from_millis(60));
                assert!(reconnect.cause.is_none(), "the server closed the stream: {:?}", reconnect.cause);
                reconnects.push(reconnect.last_event_id);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(started.elapsed() >= Duration::from_millis(180), "three waits of 60 ms");
    let ids = |ids: &[&str]| ids.iter().map(|id| Some(id.to_string())).collect::<Vec<_>>();
    assert_eq!(reconnects, ids(&["1", "2", "3"]));
    let mut expected = vec![None];
    expected.extend(ids(&["1", "2", "3"]));
    assert_eq!(*seen.lock().unwrap(), expected);
}

#[tokio::test]
async fn a_stream_that_never_gets_an_event_gives_up_after_its_attempts() {
    // Every connection closes right after the head.
    let (base, seen) = server(|_, mut socket| async move {
        let _ = socket.write_all(SSE_HEAD.as_bytes()).await;
    })
    .await;
    let policy =
        ReconnectPolicy::default().max_attempts(2).backoff(Duration::from_millis(10), Duration::from_millis(20));
    let mut events = stream(&base, policy);
    let mut reconnects = 0;
    let error = loop {
        match within(events.next()).await.unwrap() {
            Ok(StreamItem::Reconnected(_)) => reconnects += 1,
            Ok(other) => panic!("unexpected {other:?}"),
            Err(error) => break error,
        }
    };
    assert!(
        matches!(error, Error::ReconnectGaveUp { action: "device.stateStream", attempts: 2, last: None, .. }),
        "{error:?}"
    );
    assert_eq!(reconnects, 2);
    assert!(within(events.next()).await.is_none(), "the error ends the stream");
    assert_eq!(seen.lock().unwrap().len(), 3, "the first connection and two reconnects");
}

#[tokio::test]
async fn a_server_error_is_retried_within_the_time_limit_and_a_404_ends_the_stream_at_once() {
    let (base, _) = server(|_, mut socket| async move {
        let _ = socket.write_all(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n").await;
    })
    .await;
    let policy = ReconnectPolicy::default()
        .max_attempts(1000)
        .max_elapsed(Some(Duration::from_millis(200)))
        .backoff(Duration::from_millis(20), Duration::from_millis(40));
    let mut events = stream(&base, policy);
    let error = within(events.next()).await.unwrap().unwrap_err();
    let Error::ReconnectGaveUp { elapsed, last: Some(last), .. } = &error else { panic!("{error:?}") };
    assert!(*elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(matches!(&**last, Error::Api(api) if api.status == 503), "{last:?}");

    let (base, seen) = server(|_, mut socket| async move {
        let _ = socket.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n").await;
    })
    .await;
    let mut events = stream(&base, ReconnectPolicy::default());
    let error = within(events.next()).await.unwrap().unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 404), "{error:?}");
    assert!(within(events.next()).await.is_none());
    assert_eq!(seen.lock().unwrap().len(), 1, "a 404 is not retried");
}

//! An event stream that survives dropped connections: it reconnects, sends
//! `Last-Event-ID` so the server can resume after the last event, waits as
//! the server's `retry:` says, reports each reconnect, and gives up after a
//! bounded number of attempts with `Error::ReconnectGaveUp`.
//!
//! Runs against a small local server that drops the connection after every
//! event: `cargo run --example reconnecting_stream`.

use std::time::Duration;

use futures_util::StreamExt;
use losant_rest::{reconnecting, Client, Error, ReconnectPolicy, StreamItem};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const APP: &str = "575ec8687ae143cd83dc4a97";
const DEVICE: &str = "575ecf887ae143cd83dc4aa2";

/// A server on 127.0.0.1 that sends one device state per connection (with
/// an id, and `retry: 100`), closes, and after three connections sends
/// nothing more: the stream then gives up.
async fn flaky_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let address = listener.local_addr().expect("the local address");
    tokio::spawn(async move {
        for n in 0..10 {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut head = [0u8; 4096];
            let read = socket.read(&mut head).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&head[..read]).to_lowercase();
            let resumed = head.lines().find(|line| line.starts_with("last-event-id:")).map(str::to_string);
            println!("server: connection {n}, {}", resumed.as_deref().unwrap_or("no last-event-id"));
            let mut answer = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n".to_string();
            if n < 3 {
                answer.push_str(&format!(
                    "retry: 100\nid: {n}\nevent: deviceState\ndata: {{\"data\":{{\"temperature\":{}}}}}\n\n",
                    20 + n
                ));
            }
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    format!("http://{address}")
}

#[tokio::main]
async fn main() {
    let client = Client::builder().base_url(flaky_server().await).token("example-token").build().expect("a client");
    let request = client.device().state_stream(APP, DEVICE);
    let policy = ReconnectPolicy::default().max_attempts(3).backoff(Duration::from_millis(50), Duration::from_secs(1));
    let mut events = reconnecting(policy, move |last_event_id| {
        let request = request.clone();
        async move {
            match last_event_id {
                Some(id) => request.header("Last-Event-ID", id).send().await,
                None => request.send().await,
            }
        }
    });
    while let Some(item) = events.next().await {
        match item {
            Ok(StreamItem::Event(event)) => println!("event: {event:?}"),
            Ok(StreamItem::Reconnected(reconnect)) => println!(
                "reconnected after {:?} (attempt {}, resuming after {:?})",
                reconnect.waited, reconnect.attempt, reconnect.last_event_id
            ),
            Ok(_) => {}
            Err(Error::ReconnectGaveUp { attempts, .. }) => {
                println!("gave up after {attempts} reconnects without an event");
                break;
            }
            Err(error) => panic!("unexpected error: {error}"),
        }
    }
}

//! Peak memory of a large response: serves one `{"name":"xxx…"}` body of
//! `MB` megabytes (default 200) from 127.0.0.1 and fetches it with
//! `org().get`, under the default size limit, or with `RAISE=1` under a limit
//! raised above the body. Run under `/usr/bin/time -v` (see BENCHMARKS.md):
//!
//! ```sh
//! cargo build --release --no-default-features --features org --example large_response
//! /usr/bin/time -v target/release/examples/large_response
//! RAISE=1 /usr/bin/time -v target/release/examples/large_response
//! ```

use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let megabytes: usize = std::env::var("MB").ok().and_then(|mb| mb.parse().ok()).unwrap_or(200);
    let length = megabytes * 1_000_000;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let _ = socket.read(&mut [0u8; 4096]).await;
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n");
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(br#"{"name":""#).await;
        // The body is written in 1 MB pieces: the server holds little of it.
        let piece = vec![b'x'; 1_000_000];
        let mut left = length - br#"{"name":""#.len() - br#""}"#.len();
        while left > 0 {
            let n = left.min(piece.len());
            if socket.write_all(&piece[..n]).await.is_err() {
                return;
            }
            left -= n;
        }
        let _ = socket.write_all(br#""}"#).await;
    });
    let mut client = losant_rest::Client::builder().base_url(base).build()?;
    if std::env::var_os("RAISE").is_some() {
        client = client.with_max_response_size(length as u64 + 1);
    }
    match client.org().get("575ed6e87ae143cd83dc4aa8").send().await {
        Ok(org) => println!("decoded a name of {} bytes", org.name.map_or(0, |name| name.len())),
        Err(error) => println!("{error}"),
    }
    Ok(())
}

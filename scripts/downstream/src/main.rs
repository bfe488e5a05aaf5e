//! The README's example, run against a local HTTP server: proves the packaged
//! crates build outside the workspace and the client works.

use losant_rest::types::{OrgInvitePost, OrgRole};
use losant_rest::{Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ORG: &str = "575ed6e87ae143cd83dc4aa8";

/// The README's `run`, with the base URL of the local server.
async fn run(base_url: String) -> Result<(), Error> {
    let client = Client::builder().base_url(base_url).token("downstream-token").build()?;

    // Required params are arguments; optional ones are setters.
    let org = client.org().get(ORG).summary_include("payloadCount").send().await?;
    println!("{:?}", org.name);
    assert_eq!(org.name.as_deref(), Some("Downstream Org"));

    // Bodies: `new` takes the required fields, a setter per optional one.
    let invite = OrgInvitePost::new("new.member@example.com", OrgRole::View).disallow_transfer(true);
    client.org().invite_member(ORG, invite).send().await?;
    Ok(())
}

/// Answers two requests: the org GET and the invite POST, checking each.
async fn serve(listener: TcpListener) {
    for expected in [format!("GET /orgs/{ORG}?"), format!("POST /orgs/{ORG}/invites?")] {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        // Headers, then the body its Content-Length announces.
        loop {
            let n = socket.read(&mut buffer).await.expect("the request");
            request.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&request).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if request.len() >= end + 4 + length || n == 0 {
                    break;
                }
            }
        }
        let text = String::from_utf8_lossy(&request);
        assert!(text.starts_with(&expected), "expected `{expected}`, got:\n{text}");
        assert!(text.to_ascii_lowercase().contains("authorization: bearer downstream-token"), "{text}");
        let body = if expected.starts_with("GET") { r#"{"name":"Downstream Org"}"# } else { "[]" };
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await.expect("the response");
    }
}

#[tokio::main]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener));
    run(base_url).await.expect("the README example");
    server.await.expect("the server");
    println!("downstream: the packaged losant-rest built and ran the README example");
}

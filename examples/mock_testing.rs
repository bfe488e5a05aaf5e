//! Testing code that uses the client, without a network and without writing
//! an HTTP server: the `test-util` feature's in-process mock server answers
//! from typed expectations.
//!
//! `cargo run --example mock_testing --features test-util`

use losant_rest::org;
use losant_rest::test_util::MockServer;
use losant_rest::types::Org;
use losant_rest::{Client, Error, StatusCode};

const ORG: &str = "575ed6e87ae143cd83dc4aa8";
const MISSING: &str = "575ed6e87ae143cd83dc4aa9";

/// The code under test: an org's name for display.
async fn org_label(client: &Client, org_id: &str) -> Result<String, Error> {
    let org = client.org().get(org_id).send().await?;
    Ok(org.name.unwrap_or_else(|| "(unnamed)".to_string()))
}

#[tokio::main]
async fn main() {
    let mock = MockServer::start().await;
    // `returns` takes the type `org::GetRequest::send` returns: a typo in a field does not compile.
    let org = Org::new().name("Acme");
    mock.on::<org::GetRequest>().path_param("orgId", ORG).returns(&org);
    mock.on::<org::GetRequest>().path_param("orgId", MISSING).fails(404, "NotFound", "Organization was not found");

    let client = mock.client();
    assert_eq!(org_label(&client, ORG).await.unwrap(), "Acme");
    let error = org_label(&client, MISSING).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));

    // What the code sent, as the server saw it.
    let received = mock.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].action, Some("org.get"));
    assert_eq!(received[0].header("authorization"), Some("Bearer test-token"));
    assert!(mock.unmatched().is_empty());
    println!("org_label: tested against the mock server ({} requests)", received.len());
}

//! Logging in with credentials instead of a token: the client keeps the
//! issued token, renews it before its lifetime runs out, and logs in again
//! once if the API rejects it. Nothing secret is printed.
//!
//! Runs against the `test-util` mock server, so it needs no account:
//! `cargo run --example login --features test-util`. Against the real API,
//! drop the mock and build the client with `Client::from_env()` (which reads
//! `LOSANT_API_URL`) or `Client::builder().build()`.

use std::time::Duration;

use losant_rest::test_util::MockServer;
use losant_rest::types::{AuthedUser, Me};
use losant_rest::{auth, me, Client, Error, Login};

const USER: &str = "575ed6e87ae143cd83dc4aa8";

#[tokio::main]
async fn main() -> Result<(), Error> {
    // A local stand-in for the API: a login issues a token, `me.get` answers.
    let mock = MockServer::start().await;
    mock.on::<auth::AuthenticateUserRequest>().returns(&AuthedUser::new(USER, "issued-token"));
    mock.on::<me::GetRequest>().returns(&Me::new().email("me@example.com"));

    // The client starts without a token; the password is a `Secret`.
    let client = Client::builder().base_url(mock.uri()).build()?;
    let password = std::env::var("LOSANT_PASSWORD").unwrap_or_else(|_| "example-password".to_string());
    // Tokens that live an hour, renewed a minute before they run out.
    client.login(Login::user("me@example.com", password).token_ttl(Duration::from_secs(3600))).await?;

    let me = client.me().get().send().await?;
    println!("logged in as {}", me.email.as_deref().unwrap_or("?"));
    // The client's Debug shows the kind of auth, never the token.
    let shown = format!("{client:?}");
    assert!(!shown.contains("issued-token"));
    println!("{shown}");
    Ok(())
}

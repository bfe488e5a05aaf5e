//! Prints an organization's name, members and pending invites.
//!
//! ```sh
//! LOSANT_TOKEN=... LOSANT_ORG_ID=575ed6e87ae143cd83dc4aa8 cargo run --example org_summary
//! ```

use losant_rest::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("LOSANT_TOKEN").map_err(|_| "set LOSANT_TOKEN to an API token")?;
    let org_id = std::env::var("LOSANT_ORG_ID").map_err(|_| "set LOSANT_ORG_ID to an organization id")?;
    let client = Client::new(token);

    let org = match client.org().get(&org_id).summary_include("memberCount").send().await {
        Ok(org) => org,
        // API errors carry the status and Losant's error type and message.
        Err(Error::Api(error)) if error.status == losant_rest::StatusCode::NOT_FOUND => {
            eprintln!("no organization {org_id} (or the token cannot see it)");
            return Ok(());
        }
        Err(error) => return Err(error.into()),
    };
    println!("{} ({})", org.name.as_deref().unwrap_or("<unnamed>"), org_id);
    for member in org.members.unwrap_or_default() {
        let role = member.role.map(|role| role.to_string()).unwrap_or_default();
        println!("  {} <{}>: {role}", member.first_name.unwrap_or_default(), member.email.unwrap_or_default());
    }

    let invites = client.org().pending_invites(&org_id).send().await?;
    println!("{} pending invites", invites.len());
    Ok(())
}

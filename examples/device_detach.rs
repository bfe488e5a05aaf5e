//! Read-modify-write of a device: reads it, renames it and clears its parent
//! (sent as `"parentId": null`), sending its attributes back as they came,
//! fields newer than this client's spec included.
//!
//! ```sh
//! LOSANT_TOKEN=... LOSANT_APP_ID=... LOSANT_DEVICE_ID=... cargo run --example device_detach
//! ```

use losant_rest::types::DevicePatch;
use losant_rest::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let (token, app_id, device_id) = (var("LOSANT_TOKEN")?, var("LOSANT_APP_ID")?, var("LOSANT_DEVICE_ID")?);
    let client = Client::new(token);

    let device = client.device().get(&app_id, &device_id).send().await?;
    let name = device.name.clone().unwrap_or_default();
    match device.parent_id.value() {
        Some(parent) => println!("{name}: parent {parent}, detaching"),
        None => println!("{name}: no parent"),
    }

    let mut patch = DevicePatch::new().name(format!("{name} (detached)")).clear_parent_id();
    if let Some(attributes) = device.attributes {
        patch = patch.attributes(attributes);
    }
    let device = client.device().patch(&app_id, &device_id, patch).send().await?;
    println!("now {:?}, parent {:?}", device.name, device.parent_id);
    Ok(())
}

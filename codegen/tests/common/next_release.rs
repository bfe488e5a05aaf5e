//! A fabricated "next release" of the upstream API: the bundled v1.30.0 with
//! the kinds of change a real release brings, each one known, so a test can
//! hold the release routine's output to them.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// What [`write`] changed, as `codegen diff` should name it.
pub mod changes {
    /// Actions added (the new resource's included).
    pub const ACTIONS_ADDED: &[&str] = &["org.auditSummary", "orgWebhooks.get", "orgWebhooks.post"];
    /// Actions removed.
    pub const ACTIONS_REMOVED: &[&str] = &["org.revokeInvite"];
    /// Optional params added: compatible.
    pub const OPTIONAL_PARAMS_ADDED: &[&str] = &["org.get.params.includeDeleted"];
    /// Required params added: breaking (a new argument).
    pub const REQUIRED_PARAMS_ADDED: &[&str] = &["org.pendingInvites.params.status"];
    /// Params removed: breaking.
    pub const PARAMS_REMOVED: &[&str] = &["devices.get.params.queryDeleted"];
}

/// Writes the fabricated release into `parent/v1.31.0` and returns that folder.
pub fn write(parent: &Path) -> PathBuf {
    let release = parent.join("v1.31.0");
    super::copy_dir(&super::release(), &release);

    edit_json(&release.join("apiInfo.json"), |api| {
        let org = &mut api["org"]["actions"];
        // A new action on an existing resource.
        let mut audit = org["deviceCounts"].clone();
        audit["path"] = json!("/auditSummary");
        audit["summary"] = json!("Returns audit log counts by day for this organization");
        audit["auth"] = json!(["org.auditSummary"]);
        org["auditSummary"] = audit;
        // An optional param, and a required one.
        push(
            &mut org["get"]["params"],
            json!({
                "name": "includeDeleted", "in": "query", "type": "boolean",
                "description": "Include deleted members in the summary"
            }),
        );
        push(
            &mut org["pendingInvites"]["params"],
            json!({
                "name": "status", "in": "query", "type": "string", "required": true,
                "example": "pending", "description": "Which invites to list"
            }),
        );
        // An action removed.
        org.as_object_mut().unwrap().remove("revokeInvite");
        // A param removed.
        let devices = api["devices"]["actions"]["get"]["params"].as_array_mut().unwrap();
        devices.retain(|p| p["name"] != "queryDeleted");
        // A new resource with two actions.
        api["orgWebhooks"] = json!({
            "path": "/orgs/{orgId}/webhooks",
            "params": [api["org"]["params"][0].clone()],
            "actions": {
                "get": {
                    "method": "GET", "auth": ["orgWebhooks.get"],
                    "summary": "Returns the webhooks of an organization",
                    "params": [],
                    "responses": {
                        "200": {"description": "Collection of webhooks", "schema": {"$ref": "#/definitions/webhooks"}},
                        "404": {"description": "Error if organization was not found", "schema": {"$ref": "#/definitions/error"}}
                    }
                },
                "post": {
                    "method": "POST", "auth": ["orgWebhooks.post"],
                    "summary": "Create a new webhook for an organization",
                    "params": [{"name": "webhook", "in": "body", "required": true,
                                "description": "New webhook information", "schema": {"$ref": "#/definitions/webhookPost"}}],
                    "responses": {
                        "201": {"description": "Successfully created webhook", "schema": {"$ref": "#/definitions/webhook"}},
                        "400": {"description": "Error if malformed request", "schema": {"$ref": "#/definitions/error"}}
                    }
                }
            }
        });
    });
    // A body gains an optional field (compatible: a new setter) and a
    // required one (`OrgInvitePost` serves other places too, which lack it:
    // optional in the type); an enum a value.
    edit_json(&release.join("schemas/orgInvitePost.json"), |schema| {
        schema["properties"]["locale"] = json!({"type": "string", "maxLength": 16});
        schema["properties"]["message"] = json!({"type": "string", "maxLength": 1024});
        push(&mut schema["required"], json!("message"));
        push(&mut schema["properties"]["role"]["enum"], json!("owner"));
    });
    // A response gains an optional field.
    edit_json(&release.join("schemas/org.json"), |schema| {
        schema["properties"]["timezone"] = json!({"type": "string"});
    });
    // The docs grant one more scope: text only for Rust callers.
    let docs = release.join("docs/org.md");
    let text = fs::read_to_string(&docs).unwrap();
    let text = text.replacen(
        "only.Organization.read, org.*, or org.get.",
        "only.Organization.read, org.*, org.read, or org.get.",
        1,
    );
    fs::write(&docs, text).unwrap();
    release
}

fn edit_json(file: &Path, edit: impl FnOnce(&mut Value)) {
    let mut value: Value = serde_json::from_str(&fs::read_to_string(file).unwrap()).unwrap();
    edit(&mut value);
    // apiInfo.json on one line and schemas pretty, as upstream writes them.
    let text = if file.ends_with("apiInfo.json") {
        serde_json::to_string(&value).unwrap()
    } else {
        serde_json::to_string_pretty(&value).unwrap()
    };
    fs::write(file, text).unwrap();
}

/// Appends to a JSON array, made if missing (upstream leaves out empty lists).
fn push(list: &mut Value, item: Value) {
    if list.is_null() {
        *list = json!([]);
    }
    list.as_array_mut().expect("a JSON array").push(item);
}

//! The `codegen` command line on the bundled spec and on a broken one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen")).args(args).output().unwrap()
}

#[test]
fn check_passes_on_the_bundled_spec() {
    let output = codegen(&["check", spec_dir().to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "ok: 99 resources, 375 actions, 335 schemas, 963 types, 0 warnings, 36 notes\n"
    );
}

#[test]
fn deny_warnings_passes_on_notes_and_fails_on_a_warning() {
    // The bundled spec has notes only (upstream facts): the README's routine passes.
    let output = codegen(&["check", spec_dir().to_str().unwrap(), "--deny-warnings"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains(": note: schema `userPost` is not used by any action (at schemas.userPost)"), "{stderr}");
    assert!(!stderr.contains(": warning: "), "{stderr}");

    // A scope listed twice is worth fixing: a warning, and --deny-warnings fails.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&spec_dir(), dir.path());
    let org = dir.path().join("resources/org.yaml");
    let text = std::fs::read_to_string(&org).unwrap();
    std::fs::write(
        &org,
        text.replacen(
            "  scopes:\n  - all.Organization\n",
            "  scopes:\n  - all.Organization\n  - all.Organization\n",
            1,
        ),
    )
    .unwrap();
    let output = codegen(&["check", dir.path().to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("org.yaml:21:5: warning: scope `all.Organization` is listed twice"), "{stderr}");
    assert!(stderr.ends_with("failed: 1 warning(s), and --deny-warnings\n"), "{stderr}");
}

#[test]
fn check_fails_with_diagnostics_on_a_missing_spec() {
    let output = codegen(&["check", "/nonexistent/spec"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("/nonexistent/spec: error: spec directory not found"), "{stderr}");
}

#[test]
fn generate_writes_the_files_and_one_summary_line() {
    let out = tempfile::tempdir().unwrap();
    let output = codegen(&["generate", spec_dir().to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.starts_with("generated 99 resources, 375 actions, "), "{stdout}");
    for file in ["api.rs", "types.rs", "org.rs", "device.rs"] {
        let text = std::fs::read_to_string(out.path().join(file)).unwrap();
        assert!(text.starts_with("// @generated"), "{file}");
    }
}

#[test]
fn docs_writes_a_page_per_resource_and_the_schemas() {
    let out = tempfile::tempdir().unwrap();
    let output = codegen(&["docs", spec_dir().to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("wrote 100 pages -> "));
    let org = std::fs::read_to_string(out.path().join("org.md")).unwrap();
    assert!(org.starts_with("# Org Actions\n"), "{org}");
    assert!(org.contains("    let result = client.org().invite_member(org_id, invite).send().await?;"), "{org}");
    assert!(out.path().join("_schemas.md").is_file());

    // `--examples` writes the same examples as one file the client's tests compile.
    let file = out.path().join("doc_examples.rs");
    let output = codegen(&["docs", spec_dir().to_str().unwrap(), "--examples", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let examples = std::fs::read_to_string(&file).unwrap();
    let committed = std::fs::read_to_string(spec_dir().join("../tests/doc_examples.rs")).unwrap();
    assert_eq!(examples, committed, "tests/doc_examples.rs is stale");
    assert!(examples.contains("mod org {"), "{examples}");
}

#[test]
fn inspect_prints_the_resolved_spec_as_json() {
    let output = codegen(&["inspect", spec_dir().to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["api"]["title"], "Losant Platform API");
    assert_eq!(json["api"]["version"], "1.30.0");
    assert_eq!(json["api"]["base_url"], "https://api.losant.com");
    let resources = json["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 99);
    let org = resources.iter().find(|r| r["name"] == "org").unwrap();
    assert_eq!(org["path"], "/orgs/{orgId}");
    let actions = org["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 13);
    let get = actions.iter().find(|a| a["name"] == "get").unwrap();
    assert_eq!(get["method"], "GET");
    assert_eq!(get["path"], "/orgs/{orgId}");
    assert_eq!(get["summary"], "Retrieves information on an organization");
    assert_eq!(get["scopes"][0], "all.Organization");
    assert_eq!(get["scopes"].as_array().unwrap().last().unwrap(), "org.get");
    let params: Vec<(&str, &str, bool)> = get["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap(), p["required"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        params,
        [
            ("orgId", "path", true),
            ("summaryExclude", "query", false),
            ("summaryInclude", "query", false),
            ("_actions", "query", false),
            ("_links", "query", false),
            ("_embedded", "query", false),
            ("losantdomain", "header", false),
        ]
    );
    assert_eq!(get["params"][0]["type"], "string");
    assert_eq!(
        get["responses"][0],
        serde_json::json!({"status": 200, "schema": "org", "description": "Organization information"})
    );
    assert_eq!(get["responses"][2]["status"], 404);
    let invite = actions.iter().find(|a| a["name"] == "inviteMember").unwrap();
    assert_eq!(invite["path"], "/orgs/{orgId}/invites");
    assert_eq!(invite["params"][1]["schema"], "orgInvitePost");
}

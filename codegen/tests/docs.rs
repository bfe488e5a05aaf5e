//! `codegen docs` against the official reference docs of the same release:
//! outside the example code, every table and scope list must say the same,
//! row for row. Differences are listed; the only ones allowed are those the
//! spec makes on purpose (its overrides of upstream errors).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn official_docs() -> PathBuf {
    let release = std::env::var_os("LOSANT_API_RELEASE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/losant-api/v1.30.0"));
    assert!(release.join("docs").is_dir(), "no upstream docs at {}: set LOSANT_API_RELEASE", release.display());
    release.join("docs")
}

/// A page as its comparable parts: per action heading, its scope sentence and
/// its table rows, links reduced to their text.
fn sections(page: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for section in page.split("\n## ").skip(1) {
        let heading = section.lines().next().unwrap_or_default().trim().to_string();
        let summary = section.lines().skip(1).find(|l| !l.trim().is_empty()).unwrap_or_default();
        let mut rows = vec![format!("summary: {summary}")];
        let mut lines = section.lines().peekable();
        while let Some(line) = lines.next() {
            if line.starts_with("#### Authentication") {
                rows.push(format!(
                    "auth: {}",
                    lines.clone().take_while(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
                ));
            } else if line.starts_with("#### ") {
                rows.push(line.to_string());
            } else if line.starts_with('|') && !line.starts_with("| ----") {
                rows.push(unlink(line));
            }
        }
        out.insert(heading, rows);
    }
    out
}

/// `[Title](target)` → `Title`.
fn unlink(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|c| open + c) else { break };
        let Some(end) = rest[close..].find(')').map(|e| close + e) else { break };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Differences the spec makes on purpose: query params upstream gives no type
/// (its docs print `undefined`) are typed `string` by `codegen import`'s rule.
fn allowed(resource: &str, ours: &str, theirs: &str) -> bool {
    ours.replace("| string |", "| undefined |") == theirs && resource != "_schemas"
}

#[test]
fn generated_docs_say_what_the_official_docs_say() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let (api, space, _) = codegen::check_types(&spec).unwrap();
    let pages = codegen::maintainer::docs::pages(&api, &space).unwrap();
    let docs = official_docs();
    let mut differences = Vec::new();
    let mut compared = 0;
    for resource in &api.resources {
        let theirs = std::fs::read_to_string(docs.join(format!("{}.md", resource.name))).unwrap();
        let ours = sections(&pages[&format!("{}.md", resource.name)]);
        let theirs = sections(&theirs);
        for (heading, their_rows) in &theirs {
            let Some(our_rows) = ours.get(heading) else {
                differences.push(format!("{}: action `{heading}` missing", resource.name));
                continue;
            };
            for (i, their_row) in their_rows.iter().enumerate() {
                compared += 1;
                match our_rows.get(i) {
                    Some(our_row) if our_row == their_row || allowed(&resource.name, our_row, their_row) => {}
                    Some(our_row) => {
                        differences.push(format!("{}/{heading}: ours `{our_row}` theirs `{their_row}`", resource.name))
                    }
                    None => differences.push(format!("{}/{heading}: missing row `{their_row}`", resource.name)),
                }
            }
            if our_rows.len() > their_rows.len() {
                differences.push(format!(
                    "{}/{heading}: extra rows {:?}",
                    resource.name,
                    &our_rows[their_rows.len()..]
                ));
            }
        }
        for heading in ours.keys().filter(|h| !theirs.contains_key(*h)) {
            // The three event-stream actions have no entry in the official docs.
            let stream = resource.actions.iter().any(|a| &a.title == heading && a.sse_events.is_some());
            if !stream {
                differences.push(format!("{}: action `{heading}` not in the official docs", resource.name));
            }
        }
    }
    assert!(compared > 5000, "only {compared} rows compared");
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn examples_are_functions_of_the_required_params_and_schemas_keep_their_descriptions() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let (api, space, _) = codegen::check_types(&spec).unwrap();
    let pages = codegen::maintainer::docs::pages(&api, &space).unwrap();
    // The example takes what the method requires, typed as the method takes it.
    let org = &pages["org.md"];
    assert!(
        org.contains(
            "```rust\nasync fn invite_member(\n    client: &Client,\n    org_id: &str,\n    invite: types::OrgInvitePost,\n) -> Result<(), Error> {\n    let result = client.org().invite_member(org_id, invite).send().await?;\n    println!(\"{result:?}\");\n    Ok(())\n}\n```"
        ),
        "{org}"
    );
    // A stream is kept as a stream; an action with no body sends and returns.
    let device = &pages["device.md"];
    assert!(
        device.contains("let _events = client.device().state_stream(application_id, device_id).send().await?;"),
        "{device}"
    );
    // `_schemas.md` names each schema's Rust type and the actions that use it.
    let schemas = &pages["_schemas.md"];
    assert!(
        schemas.contains(
            "## Organization\n\nSchema `org`, in Rust `types::Org`. Returned by `instanceOrgs.post`, `org.get`, "
        ),
        "{schemas}"
    );
}

#[test]
fn a_schema_with_a_description_is_described_in_its_own_words() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"), dir.path());
    let file = dir.path().join("schemas/org.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("title: Organization\n", "title: Organization\ndescription: Schema for a single <Organization>\n"),
    )
    .unwrap();
    let (api, space, _) = codegen::check_types(dir.path()).unwrap();
    let schemas = &codegen::maintainer::docs::pages(&api, &space).unwrap()["_schemas.md"];
    assert!(
        schemas.contains("## Organization\n\nSchema for a single &lt;Organization&gt;\n\nSchema `org`, in Rust"),
        "{schemas}"
    );
}

//! `codegen diff` on the bundled spec and edited copies of it: each kind of
//! change gets the impact it has on callers, and the exit code and bump follow.

mod common;

use std::fs;

use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::diff::{diff, Impact};

fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// A copy of the bundled spec with `edits` (file, from, to) applied.
fn edited(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&bundled(), dir.path());
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} lacks {from:?}");
        fs::write(path, text.replacen(from, to, 1)).unwrap();
    }
    dir
}

fn changes(edits: &[(&str, &str, &str)]) -> Vec<(Impact, String, String)> {
    let old = codegen::check(&bundled()).unwrap().0;
    let dir = edited(edits);
    let new = codegen::check(dir.path()).unwrap_or_else(|p| panic!("{p}")).0;
    diff(&old, &new).changes.into_iter().map(|c| (c.impact, c.item, c.what)).collect()
}

const ORG: &str = "resources/org.yaml";

#[test]
fn the_same_spec_has_no_changes() {
    let api = codegen::check(&bundled()).unwrap().0;
    let report = diff(&api, &api);
    assert!(report.changes.is_empty());
    assert_eq!((report.bump(), report.exit_code()), ("none", 0));
}

#[test]
fn an_optional_param_is_compatible_and_a_required_one_breaking() {
    let found = changes(&[(
        ORG,
        "  - name: summaryExclude\n",
        "  - name: extra\n    in: query\n    type: string\n  - name: summaryExclude\n",
    )]);
    assert!(
        found.contains(&(Impact::Compatible, "org.get.params.extra".into(), "optional param added".into())),
        "{found:?}"
    );

    let found = changes(&[(
        ORG,
        "  - name: summaryExclude\n",
        "  - name: extra\n    in: query\n    type: string\n    required: true\n  - name: summaryExclude\n",
    )]);
    assert!(
        found.contains(&(
            Impact::Breaking,
            "org.get.params.extra".into(),
            "required param added (a new argument)".into()
        )),
        "{found:?}"
    );
}

#[test]
fn a_removed_action_and_a_removed_scope_are_breaking() {
    let found = changes(&[(ORG, "- name: deviceCounts\n", "- name: deviceCountsRenamed\n")]);
    assert!(found.contains(&(Impact::Breaking, "org.deviceCounts".into(), "action removed".into())), "{found:?}");
    assert!(found.iter().any(|(i, item, what)| *i == Impact::Compatible
        && item == "org.deviceCountsRenamed"
        && what.starts_with("action added")));

    let found = changes(&[(ORG, "  - org.delete\n", "")]);
    assert_eq!(
        found,
        [(Impact::Breaking, "org.delete.scopes".into(), "scope `org.delete` no longer grants the action".into())]
    );
}

#[test]
fn enum_values_and_field_requiredness_in_schemas() {
    let found = changes(&[("schemas/orgPatch.yaml", "    - required\n", "    - required\n    - strict\n")]);
    assert_eq!(found, [(Impact::Compatible, "orgPatch.mfaMode".into(), "enum value \"strict\" added".into())]);

    let found = changes(&[("schemas/orgPatch.yaml", "    - adminRequired\n", "")]);
    assert_eq!(found, [(Impact::Breaking, "orgPatch.mfaMode".into(), "enum value \"adminRequired\" removed".into())]);

    let found = changes(&[("schemas/orgMemberPatch.yaml", "required:\n- userId\n", "required:\n- userId\n- role\n")]);
    assert_eq!(found, [(Impact::Breaking, "orgMemberPatch.role".into(), "now required (Option<T> -> T)".into())]);
}

#[test]
fn the_cli_exits_by_impact_and_prints_the_bump() {
    let dir = edited(&[(ORG, "- name: deviceCounts\n", "- name: deviceCountsRenamed\n")]);
    let output = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["diff", bundled().to_str().unwrap(), dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("org\n  breaking    org.deviceCounts: action removed\n"), "{text}");
    assert!(text.ends_with("1 breaking, 1 compatible, 0 docs: the release needs a major version bump\n"), "{text}");

    let output = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["diff", bundled().to_str().unwrap(), dir.path().to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["bump"], "major");
    assert_eq!(json["changes"][0]["impact"], "breaking");
}

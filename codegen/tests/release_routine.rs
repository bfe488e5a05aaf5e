//! The README's release routine, run end to end as a maintainer would, on a
//! fabricated next release (`common::next_release`): import it over the
//! project's spec, check it with warnings denied, diff it against the last
//! release's spec, and generate the client. Each step is the command the
//! README names, run in a copy of the project.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::next_release::{self, changes};

/// A copy of the project (its manifest and spec) and of the last release's spec.
struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
    last_release: PathBuf,
    upstream: PathBuf,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("losant-rest");
        common::copy_dir(&common::bundled_spec(), &root.join("spec"));
        fs::copy(common::bundled_spec().join("../Cargo.toml"), root.join("Cargo.toml")).unwrap();
        let last_release = dir.path().join("last-release/spec");
        common::copy_dir(&common::bundled_spec(), &last_release);
        let upstream = next_release::write(&dir.path().join("losant-api"));
        Project { root, last_release, upstream, _dir: dir }
    }

    /// `cargo run -p losant-rest-codegen -- ARGS`, from the project's root.
    fn codegen(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_codegen")).args(args).current_dir(&self.root).output().unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_release_routine_on_a_fabricated_next_release() {
    let project = Project::new();

    // 1. Import: the project's overrides, the version from the folder name,
    // a feature for the new resource, names kept and new ones given.
    let import = project.codegen(&["import", path(&project.upstream)]);
    let (stdout, stderr) = (text(&import.stdout), text(&import.stderr));
    assert!(import.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("imported API v1.31.0: 100 resources"), "{stdout}");
    assert!(stdout.contains("0 stale"), "{stdout}");
    assert!(!stderr.contains("stale override"), "{stderr}");
    let api = fs::read_to_string(project.root.join("spec/api.yaml")).unwrap();
    assert!(api.contains("\nversion: 1.31.0\n") && api.contains("\naccept_version: ^1.31.0\n"), "{api}");
    let manifest = fs::read_to_string(project.root.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\n    \"org_webhooks\",\n") && manifest.contains("\norg_webhooks = []\n"), "{manifest}");
    assert!(stdout.contains(" gone (names.yaml)"), "{stdout}");

    // 2. Check, warnings denied, as the README says.
    let check = project.codegen(&["check", "--deny-warnings"]);
    assert!(check.status.success(), "{}{}", text(&check.stdout), text(&check.stderr));
    assert!(text(&check.stdout).starts_with("ok: 100 resources, 377 actions"), "{}", text(&check.stdout));

    // 3. Diff against the last release: every added and removed action and
    // param by name, with its verdict, and the bump for a 0.x crate.
    let diff = project.codegen(&["diff", path(&project.last_release), "spec"]);
    let report = text(&diff.stdout);
    // Exit 2: a plain breaking release; no line is the generator's (types
    // keep their identity by place, so no enum splits and no twin swaps).
    assert_eq!(diff.status.code(), Some(2), "{report}{}", text(&diff.stderr));
    assert!(!report.contains("this is a bug"), "{report}");
    let verdict_of = |item: &str| -> Vec<&str> {
        report
            .lines()
            .filter(|line| line.split_whitespace().nth(1).is_some_and(|i| i.trim_end_matches(':') == item))
            .map(|line| line.split_whitespace().next().unwrap_or_default())
            .collect()
    };
    for item in changes::ACTIONS_ADDED.iter().chain(changes::OPTIONAL_PARAMS_ADDED) {
        assert_eq!(verdict_of(item), ["compatible"], "{item}:\n{report}");
    }
    for item in changes::ACTIONS_REMOVED.iter().chain(changes::REQUIRED_PARAMS_ADDED).chain(changes::PARAMS_REMOVED) {
        assert_eq!(verdict_of(item), ["breaking"], "{item}:\n{report}");
    }
    // What a caller sees, not what the YAML says: a scope is docs; an enum
    // value added at one place of a shared enum is a value of that enum.
    assert_eq!(verdict_of("org.get.scopes"), ["docs"], "{report}");
    assert!(report.contains("  compatible  types::OrgRole: variant `Owner` added"), "{report}");
    assert!(!report.contains("types::OrgInvitePost.role"), "{report}");
    assert!(
        // `message` is required by `orgInvitePost` only: `OrgInvitePost` also
        // serves two places of the instance org bodies, which lack it, so the
        // merged type has it optional (a setter, not an argument).
        report.contains("types::OrgInvitePost.message: field `message: Option<String>` added")
            && report.contains("orgWebhooks: resource added: `Client::org_webhooks()"),
        "{report}"
    );
    assert!(
        report
            .trim_end()
            .ends_with("the release needs a minor version bump: 0.1.0 -> 0.2.0 (breaking changes in a 0.x crate)"),
        "{report}"
    );

    // 4. Build: the client generates from the new spec (the snapshots and
    // the compile are `cargo test`'s, on the project's own spec).
    let generate = project.codegen(&["generate", "--out", "generated"]);
    assert!(generate.status.success(), "{}", text(&generate.stderr));
    let org = fs::read_to_string(project.root.join("generated/org.rs")).unwrap();
    assert!(org.contains("pub fn audit_summary(&self, org_id: impl Into<String>)"), "{org}");
    assert!(!org.contains("pub fn revoke_invite("), "{org}");
    assert!(project.root.join("generated/org_webhooks.rs").is_file());
}

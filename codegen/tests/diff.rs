//! `codegen diff` on the bundled spec and edited copies of it: each kind of
//! change gets the impact it has on a Rust caller of the generated client,
//! and the exit code and the version bump (Cargo's rules) follow.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use codegen::maintainer::diff::bump::{Bump, Version};
use codegen::maintainer::diff::{diff, Cause, Change, Impact, Report};
use codegen::maintainer::surface::{Shape, Surface};
use common::{bundled_spec, copy_dir};

fn surface(dir: &Path) -> Surface {
    let (api, space, _) = codegen::check_types(dir).unwrap_or_else(|p| panic!("{p}"));
    let mut surface = Surface::of(&api, &space);
    surface.names = codegen::maintainer::diff::read_names(dir);
    surface
}

/// The bundled spec's surface, built once for all tests of this file.
fn bundled() -> &'static Surface {
    static SURFACE: OnceLock<Surface> = OnceLock::new();
    SURFACE.get_or_init(|| surface(&bundled_spec()))
}

/// A copy of the bundled spec with `edits` (file, from, to) applied.
fn edited(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&bundled_spec(), dir.path());
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = fs::read_to_string(&path).unwrap_or_default();
        assert!(text.contains(from), "{file} lacks {from:?}");
        fs::write(path, text.replacen(from, to, 1)).unwrap();
    }
    dir
}

/// Replaces the top-level property `name` of a schema file (its lines up to
/// the next property) with `block`.
fn replace_property(path: &Path, name: &str, block: &str) {
    let text = fs::read_to_string(path).unwrap();
    let start = text.find(&format!("\n  {name}:\n")).unwrap() + 1;
    let end = text[start..]
        .match_indices('\n')
        .map(|(i, _)| start + i + 1)
        .find(|&i| text[i..].starts_with("  ") && !text[i + 2..].starts_with(' ') || !text[i..].starts_with(' '))
        .unwrap_or(text.len());
    fs::write(path, format!("{}{block}{}", &text[..start], &text[end..])).unwrap();
}

/// The report from the bundled spec to an edited copy, for a 0.1.0 crate.
fn report(edits: &[(&str, &str, &str)]) -> Report {
    let dir = edited(edits);
    diff(bundled(), &surface(dir.path())).with_version(Version::parse("0.1.0").unwrap())
}

/// The changes as `(impact, item, what)`.
fn lines(report: &Report) -> Vec<(Impact, &str, &str)> {
    report.changes.iter().map(|c| (c.impact, c.item.as_str(), c.what.as_str())).collect()
}

fn only(report: &Report) -> &Change {
    assert_eq!(report.changes.len(), 1, "{report}");
    &report.changes[0]
}

const ORG: &str = "resources/org.yaml";
const ORG_PATCH: &str = "schemas/orgPatch.yaml";

#[test]
fn the_same_spec_has_no_changes() {
    let report = diff(bundled(), bundled()).with_version(Version::parse("0.1.0").unwrap());
    assert!(report.changes.is_empty());
    assert_eq!((report.bump(), report.exit_code()), (Some(Bump::None), 0));
    assert_eq!(
        report.to_string(),
        "no changes\n\n0 breaking, 0 compatible, 0 docs: the release needs no version bump (0.1.0)\n"
    );
}

#[test]
fn an_optional_body_field_is_a_new_setter_on_a_non_exhaustive_struct() {
    let report = report(&[(ORG_PATCH, "  iconColor:\n", "  theme:\n    type: string\n  iconColor:\n")]);
    let change = only(&report);
    assert_eq!(
        (change.impact, change.item.as_str(), change.what.as_str()),
        (
            Impact::Compatible,
            "types::OrgPatch.theme",
            "field `theme: Option<String>` added, with setter `theme(impl Into<String>)`"
        )
    );
    assert_eq!(change.spec.as_deref(), Some("optional property `theme` of `orgPatch` added"));
    assert_eq!((report.bump(), report.next_version().unwrap().to_string()), (Some(Bump::Patch), "0.1.1".into()));
}

#[test]
fn a_required_body_field_is_a_new_argument_of_new() {
    // A new property that is required.
    let report = report(&[(
        ORG_PATCH,
        "additionalProperties: false\n",
        "  theme:\n    type: string\nadditionalProperties: false\nrequired:\n- theme\n",
    )]);
    let found = lines(&report);
    assert!(
        found.contains(&(
            Impact::Breaking,
            "types::OrgPatch.theme",
            "field `theme: String` added; `OrgPatch::new` gains argument `theme`"
        )),
        "{report}"
    );
    // `OrgPatch` had only optional fields: it derived `Default`, and no longer does.
    assert!(
        found.contains(&(
            Impact::Breaking,
            "types::OrgPatch",
            "no longer implements `Default` (a field is required now)"
        )),
        "{report}"
    );
    assert_eq!(report.exit_code(), 2);
    // Both breaks are upstream's: a required property added.
    for change in report.changes.iter().filter(|c| c.impact == Impact::Breaking) {
        assert_eq!(change.cause, Some(Cause::Upstream), "{report}");
    }
    let default = report.changes.iter().find(|c| c.what.starts_with("no longer implements `Default`")).unwrap();
    assert_eq!(default.spec.as_deref(), Some("property `theme` of `orgPatch` added, required"));

    // An existing property made required: `Option<T>` becomes `T`.
    let report =
        self::report(&[("schemas/orgMemberPatch.yaml", "required:\n- userId\n", "required:\n- userId\n- role\n")]);
    let change = only(&report);
    assert_eq!(change.impact, Impact::Breaking);
    assert_eq!(
        change.what,
        "field `role` is now `OrgRole` (was `Option<OrgRole>`); `OrgMemberPatch::new` gains argument `role`, setter `role` removed"
    );
    assert_eq!(change.spec.as_deref(), Some("property `role` of `orgMemberPatch` now required"));
    assert_eq!(change.cause, Some(Cause::Upstream));
}

#[test]
fn each_break_says_its_cause_upstream_table_or_generator() {
    // Upstream: a property removed from a schema is the schema's change, with the fact.
    let report = report(&[(ORG_PATCH, "  iconColor:\n    type: string\n    maxLength: 64\n", "")]);
    let removed = report.changes.iter().find(|c| c.item == "types::OrgPatch.icon_color").unwrap();
    assert_eq!((removed.impact, removed.cause), (Impact::Breaking, Some(Cause::Upstream)), "{report}");
    assert_eq!(removed.spec.as_deref(), Some("property `iconColor` of `orgPatch` removed"));
    assert_eq!((report.by_generator(), report.exit_code()), (0, 2), "{report}");

    // Upstream: an action removed.
    let report = self::report(&[(ORG, "- name: revokeInvite\n", "- name: revokeInviteGone\n")]);
    let gone = report.changes.iter().find(|c| c.item == "org.revokeInvite").unwrap();
    assert_eq!((gone.cause, gone.spec.as_deref()), (Some(Cause::Upstream), Some("action `org.revokeInvite` removed")));

    // Table: a maintainer renames a type by editing its line; every use follows, all caused by the edit.
    let report = self::report(&[("names.yaml", "orgPatch: OrgPatch\n", "orgPatch: OrganizationPatch\n")]);
    let breaking: Vec<&Change> = report.changes.iter().filter(|c| c.impact == Impact::Breaking).collect();
    assert!(breaking.len() >= 2, "the type and the body param that takes it:\n{report}");
    for change in &breaking {
        assert_eq!(change.cause, Some(Cause::Table), "{report}");
        assert!(change
            .spec
            .as_deref()
            .unwrap()
            .contains("`orgPatch: OrgPatch` edited to `orgPatch: OrganizationPatch`"));
    }
    assert_eq!(report.exit_code(), 2, "a maintainer's rename is a plain breaking release:\n{report}");

    // Generator: the same rename with names.yaml untouched (as if the generator
    // chose another name) is no maintainer's and no upstream change: a bug.
    let renamed_by_hand = edited(&[("names.yaml", "orgPatch: OrgPatch\n", "orgPatch: OrganizationPatch\n")]);
    let old = surface(renamed_by_hand.path());
    let mut new = surface(&bundled_spec());
    new.names = old.names.clone();
    let report = diff(&old, &new).with_version(Version::parse("0.1.0").unwrap());
    let renamed = report.changes.iter().find(|c| c.item == "types::OrganizationPatch").unwrap();
    assert_eq!(renamed.cause, Some(Cause::Generator), "{report}");
    assert!(
        renamed
            .spec
            .as_deref()
            .unwrap()
            .contains("its places `orgPatch` are in both releases and names.yaml does not rename it"),
        "{report}"
    );
    assert_eq!(report.exit_code(), 3);
    let text = report.to_string();
    assert!(text.contains("(generator: the type at `orgPatch` is named `OrgPatch` now"), "{text}");
    assert!(text.contains("caused by the generator, not the API: a bug, report it)"), "{text}");
    assert_eq!(report.to_json()["counts"]["by_generator"], report.by_generator());
}

#[test]
fn scopes_are_docs_whichever_way_they_change() {
    let report = report(&[
        (ORG, "  - org.delete\n", ""),
        (ORG, "  scopes:\n  - all.Organization\n", "  scopes:\n  - all.Organization\n  - all.Things\n"),
    ]);
    assert_eq!(
        lines(&report),
        [
            (
                Impact::Docs,
                "org.delete.scopes",
                "scope `all.Things` now grants the action (`DeleteRequest::SCOPES` and its docs)"
            ),
            (
                Impact::Docs,
                "org.delete.scopes",
                "scope `org.delete` no longer grants the action (`DeleteRequest::SCOPES` and its docs)"
            ),
        ]
    );
    assert_eq!((report.worst(), report.exit_code(), report.bump()), (Some(Impact::Docs), 1, Some(Bump::Patch)));
}

#[test]
fn a_nullable_field_is_judged_by_its_rust_type() {
    // An optional field that may now be null: `Option<String>` becomes `Nullable<String>`.
    let report =
        report(&[(ORG_PATCH, "  iconColor:\n    type: string\n", "  iconColor:\n    type: [string, 'null']\n")]);
    let change = only(&report);
    assert_eq!(change.impact, Impact::Breaking);
    assert_eq!(change.item, "types::OrgPatch.icon_color");
    assert_eq!(
        change.what,
        "field `icon_color` is now `Nullable<String>` (was `Option<String>`); `clear_icon_color()` added"
    );
    assert_eq!(change.spec.as_deref(), Some("property `iconColor` of `orgPatch` now allows null"));

    // A response schema that may be null, and a nullable field made required:
    // the Rust types stay what they were, the spec facts are docs.
    let dir = edited(&[("schemas/org.yaml", "\ntype: object\n", "\ntype: [object, 'null']\n")]);
    let path = dir.path().join("schemas/devicePatch.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}required:\n- parentId\n")).unwrap();
    let report = diff(bundled(), &surface(dir.path()));
    assert_eq!(
        lines(&report),
        [
            (
                Impact::Docs,
                "types::DevicePatch.parent_id",
                "the Rust type is unchanged (`parent_id: Nullable<String>`)"
            ),
            (Impact::Docs, "types::Org", "the Rust type is unchanged"),
        ]
    );
    let specs: Vec<Option<&str>> = report.changes.iter().map(|c| c.spec.as_deref()).collect();
    assert_eq!(
        specs,
        [Some("property `parentId` of `devicePatch` now required"), Some("schema `org` now allows null")]
    );
}

#[test]
fn a_type_renamed_in_the_names_table_is_breaking_and_named() {
    // A type is the set of its places: renaming it renames each of its lines.
    let dir = edited(&[]);
    let table = dir.path().join("names.yaml");
    let text = fs::read_to_string(&table).unwrap();
    assert!(text.matches(": OrgMember\n").count() > 1, "`OrgMember` serves several places");
    fs::write(&table, text.replace(": OrgMember\n", ": OrgPerson\n")).unwrap();
    let report = diff(bundled(), &surface(dir.path())).with_version(Version::parse("0.1.0").unwrap());
    let found = lines(&report);
    assert!(found.contains(&(Impact::Breaking, "types::OrgMember", "renamed to `OrgPerson`")), "{report}");
    let field = report.changes.iter().find(|c| c.item == "types::Org.members").unwrap();
    assert_eq!(field.impact, Impact::Breaking);
    assert!(field.what.starts_with("field `members` is now `Option<Vec<OrgPerson>>` (was `Option<Vec<OrgMember>>`)"));
    // A maintainer's edit: the table is the cause, not the generator.
    assert_eq!(field.cause, Some(Cause::Table));
    assert_eq!(
        field.spec.as_deref(),
        Some("`OrgMember` is renamed `OrgPerson`: `org.members[]: OrgMember` edited to `org.members[]: OrgPerson`")
    );
    let renamed = report.changes.iter().find(|c| c.item == "types::OrgMember").unwrap();
    assert_eq!(renamed.cause, Some(Cause::Table));
    assert_eq!(report.by_generator(), 0, "{report}");
    assert!(report.to_string().contains("(names.yaml: `org.members[]: OrgMember` edited to"), "{report}");
    assert!(!report.to_string().contains("OrgPerson: struct added"), "a rename is not an addition:\n{report}");
}

#[test]
fn a_field_whose_type_is_switched_by_deduplication_names_both_types() {
    // `org.members[]` takes the shape of `deviceTagFilter`'s items and loses
    // its lines in names.yaml, as a shape with no name of its own would; the
    // names are updated as `import` does. Then `orgs.items[]` (an `Org` until
    // now) cannot be one type with `org` any more: it gets its own.
    let dir = edited(&[("names.yaml", "org.members[]: OrgMember\n", "")]);
    let members = "  members:\n    type: array\n    items:\n      type: object\n      properties:\n        key:\n          type: string\n        value:\n          type: string\n      additionalProperties: false\n";
    replace_property(&dir.path().join("schemas/org.yaml"), "members", members);
    let update = codegen::update_names(dir.path()).unwrap_or_else(|p| panic!("{p}"));
    assert!(update.notes.iter().any(|n| n.starts_with("`orgs.items[]` leaves `Org`")), "{:?}", update.notes);
    let report = diff(bundled(), &surface(dir.path()));
    let field = report.changes.iter().find(|c| c.item == "types::Org.members").unwrap_or_else(|| panic!("{report}"));
    assert_eq!(field.impact, Impact::Breaking);
    assert!(
        field.what.starts_with(
            "field `members` is now `Option<Vec<DeviceTagFilterDeviceTag>>` (was `Option<Vec<OrgMember>>`)"
        ),
        "{report}"
    );
    let items = report.changes.iter().find(|c| c.item == "types::Orgs.items").unwrap_or_else(|| panic!("{report}"));
    assert_eq!(items.impact, Impact::Breaking);
    assert!(
        items.what.starts_with("field `items` is now `Option<Vec<OrgsItem>>` (was `Option<Vec<Org>>`)"),
        "{report}"
    );
    assert!(items.spec.as_deref().unwrap_or_default().contains("no longer matches `Org`'s"), "{report}");
}

#[test]
fn a_new_resource_names_each_of_its_actions() {
    let dir = edited(&[]);
    let text = fs::read_to_string(bundled_spec().join("resources/orgInvites.yaml")).unwrap();
    let text = text
        .replace("name: orgInvites", "name: orgThings")
        .replace("title: Org Invites", "title: Org Things")
        .replace("path: /invites", "path: /things");
    fs::write(dir.path().join("resources/orgThings.yaml"), text).unwrap();
    let report = diff(bundled(), &surface(dir.path()));
    assert_eq!(
        lines(&report),
        [
            (
                Impact::Compatible,
                "orgThings",
                "resource added: `Client::org_things() -> org_things::OrgThingsResource` (feature `org_things`), 2 actions"
            ),
            (
                Impact::Compatible,
                "orgThings.get",
                "action added: GET /things -> OrgThingsResource::get(token, email) -> GetRequest; send() -> OrgInviteInfo"
            ),
            (
                Impact::Compatible,
                "orgThings.post",
                "action added: POST /things -> OrgThingsResource::post(invite) -> PostRequest; send() -> OrgInviteResult"
            ),
        ]
    );
}

#[test]
fn a_lost_derive_or_feature_is_breaking() {
    // No compatible spec change can take `Eq` from a union of scalars now
    // (`emit::types::traits`): the rule of the diff, on the surface itself.
    let mut after = bundled().clone();
    let Some(codegen::maintainer::surface::TypeSurface { shape: Shape::Union { traits, .. }, .. }) =
        after.types.get_mut("StringOrBool")
    else {
        panic!("`StringOrBool` is a union of scalars");
    };
    assert!(traits.remove("Eq"), "it derives `Eq`");
    let report = diff(bundled(), &after);
    assert_eq!(
        lines(&report),
        [(
            Impact::Breaking,
            "types::StringOrBool",
            "no longer implements `Eq` (a branch holds an `f64` or an object now)"
        )]
    );

    let mut after = bundled().clone();
    let features = after.types.get_mut("DeviceLog").and_then(|t| t.features.as_mut()).expect("a feature-gated type");
    assert!(features.remove("device"));
    features.insert("devices".to_string());
    let report = diff(bundled(), &after);
    assert_eq!(
        lines(&report),
        [(
            Impact::Breaking,
            "types::DeviceLog",
            "no longer compiled with the feature `device` (it needs one of `devices` now)"
        )]
    );
}

#[test]
fn a_removed_action_is_named_with_its_rust_call() {
    let dir = edited(&[]);
    let path = dir.path().join(ORG);
    let text = fs::read_to_string(&path).unwrap();
    let (start, end) = (text.find("- name: deviceCounts\n").unwrap(), text.find("- name: get\n").unwrap());
    fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let report = diff(bundled(), &surface(dir.path()));
    let found = lines(&report);
    assert_eq!(
        found[0],
        (
            Impact::Breaking,
            "org.deviceCounts",
            "action removed: GET /orgs/{orgId}/deviceCounts -> OrgResource::device_counts(org_id) -> DeviceCountsRequest with setters start, end; send() -> DeviceCounts"
        )
    );
    // Its body type stays, still compiled with the `org` feature: the spec's
    // feature record (spec/features.yaml) lists it.
    assert_eq!(found.len(), 1, "{report}");

    // Without the record, the type would come without `org`, and the diff says so.
    fs::remove_file(dir.path().join("features.yaml")).unwrap();
    let report = diff(bundled(), &surface(dir.path()));
    assert!(
        lines(&report).iter().any(|(i, item, what)| *i == Impact::Breaking
            && *item == "types::DeviceCounts"
            && what.starts_with("no longer compiled with the feature `org`")),
        "{report}"
    );
}

#[test]
fn an_enum_value_is_a_variant_of_a_non_exhaustive_enum() {
    let report = report(&[("schemas/applicationExportPost.yaml", "    - repo\n", "    - repo\n    - tar\n")]);
    let change = &report.changes[0];
    assert_eq!(change.impact, Impact::Compatible, "{report}");
    assert_eq!(change.item, "types::ExportType");
    assert_eq!(change.what, "variant `Tar` added (`#[non_exhaustive]`; it decoded as `Unknown(\"tar\")` before)");
    assert_eq!(change.spec.as_deref(), Some("enum value `tar` added"));
    // The field's doc lists the values.
    assert_eq!(
        lines(&report)[1..],
        [(
            Impact::Docs,
            "types::ApplicationExportPost.export_type",
            r#"doc changed: "One of `"zip"`, `"repo"`; default `"zip"`." -> "One of `"zip"`, `"repo"`, `"tar"`; default `"zip"`.""#
        )]
    );
}

#[test]
fn an_enum_value_in_one_place_of_a_shared_enum_is_added_to_it() {
    // `MfaMode` serves eight schemas; a value only `orgPatch` allows is a
    // value of `MfaMode` now, for every place: a variant added, no field retyped.
    let report = report(&[(ORG_PATCH, "    - required\n", "    - required\n    - strict\n")]);
    let found = lines(&report);
    assert!(
        found.contains(&(
            Impact::Compatible,
            "types::MfaMode",
            "variant `Strict` added (`#[non_exhaustive]`; it decoded as `Unknown(\"strict\")` before)"
        )),
        "{report}"
    );
    assert!(found.iter().all(|(impact, _, _)| *impact != Impact::Breaking), "{report}");
}

#[test]
fn params_follow_their_rust_arguments_and_setters() {
    let param = "  - name: extra\n    in: query\n    type: string\n";
    let report = report(&[(ORG, "  - name: summaryExclude\n", &format!("{param}  - name: summaryExclude\n"))]);
    let change = only(&report);
    assert_eq!((change.impact, change.item.as_str()), (Impact::Compatible, "org.get.params.extra"));
    assert_eq!(change.what, "setter `extra(impl Into<String>)` added on `GetRequest`");
    assert_eq!(change.spec.as_deref(), Some("optional query param `extra` added"));

    let report = self::report(&[(
        ORG,
        "  - name: summaryExclude\n",
        &format!("{param}    required: true\n  - name: summaryExclude\n"),
    )]);
    let change = only(&report);
    assert_eq!(change.impact, Impact::Breaking);
    assert_eq!(change.what, "`OrgResource::get` gains argument `extra: impl Into<String>`");

    // Text evidence of an integer: the setter takes `impl IntoParam<i64>` instead.
    let report = self::report(&[(ORG, "    example: payloadCount\n", "    example: 100\n")]);
    let change = only(&report);
    assert_eq!(change.impact, Impact::Breaking, "{report}");
    assert_eq!(
        change.what,
        "setter `summary_exclude` now takes `impl IntoParam<i64>` (was `impl Into<String>`) on `GetRequest`"
    );
    assert_eq!(change.spec.as_deref(), Some("example `100` (was `\"payloadCount\"`)"));
}

#[test]
fn responses_change_send_only_when_its_type_does() {
    let response = "  - status: 200\n    schema: org\n    description: Organization information\n";
    // A second success body: `send()` returns an enum of the two.
    let report = report(&[(
        ORG,
        response,
        &format!("{response}  - status: 202\n    schema: success\n    description: Queued\n"),
    )]);
    let change = only(&report);
    assert_eq!((change.impact, change.item.as_str()), (Impact::Breaking, "org.get.responses"), "{report}");
    assert_eq!(change.what, "`GetRequest::send()` now returns `GetResponse` (was `Org`)");
    // The same body under another success status: nothing a caller sees.
    let report = self::report(&[(
        ORG,
        response,
        &format!("{response}  - status: 201\n    schema: org\n    description: Made\n"),
    )]);
    assert_eq!(
        lines(&report),
        [(
            Impact::Docs,
            "org.get.responses.201",
            "success response 201 added (body `org`); `send()` still returns `Org`"
        )]
    );
    // An error status is docs: it arrives as `Error::Api` whatever it is.
    let report = self::report(&[(ORG, response, &format!("{response}  - status: 409\n    schema: error\n"))]);
    assert_eq!(only(&report).impact, Impact::Docs);
}

#[test]
fn a_new_path_changes_the_wire_not_the_rust_api() {
    let report = report(&[(ORG, "  path: /deviceCounts\n", "  path: /deviceCountsByDay\n")]);
    assert_eq!(
        lines(&report),
        [(
            Impact::Compatible,
            "org.deviceCounts",
            "sent to /orgs/{orgId}/deviceCountsByDay (was /orgs/{orgId}/deviceCounts); the Rust API is unchanged (`DeviceCountsRequest::PATH`)"
        )]
    );
}

/// Runs the CLI.
fn codegen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_codegen")).args(args).output().unwrap()
}

#[test]
fn the_cli_exits_by_impact_and_bumps_by_cargo_rules_for_the_crate_version() {
    // A package beside its spec: `Cargo.toml` says 0.1.0.
    let package = tempfile::tempdir().unwrap();
    copy_dir(&bundled_spec(), &package.path().join("spec"));
    fs::write(package.path().join("Cargo.toml"), "[package]\nname = \"x\"\nversion = \"0.1.0\"\n").unwrap();
    let org = package.path().join("spec").join(ORG);
    let text = fs::read_to_string(&org).unwrap();
    fs::write(&org, text.replacen("- name: deviceCounts\n", "- name: deviceCountsRenamed\n", 1)).unwrap();
    let new = package.path().join("spec");
    let (old, new) = (bundled_spec(), new);
    let output = codegen(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("org\n  breaking    org.deviceCounts: action removed: GET /orgs/{orgId}/deviceCounts -> OrgResource::device_counts(org_id)"), "{text}");
    assert!(
        text.ends_with(
            "1 breaking, 1 compatible, 0 docs: the release needs a minor version bump: 0.1.0 -> 0.2.0 (breaking changes in a 0.x crate)\n"
        ),
        "{text}"
    );

    // A 1.x crate: the same change is a major bump; `--crate-version` wins over Cargo.toml.
    let output = codegen(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--json", "--crate-version", "1.4.2"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let field = |name: &str| json[name].as_str().map(str::to_string);
    assert_eq!(
        (field("version"), field("bump"), field("next_version")),
        (Some("1.4.2".into()), Some("major".into()), Some("2.0.0".into()))
    );
    assert_eq!(json["changes"][0]["impact"], "breaking");
    assert_eq!(json["counts"]["breaking"], 1);

    let output = codegen(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--crate-version", "1.4"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`1.4` is not a version"));
}

/// Spawns the CLI with stdout a pipe, reads `lines` lines, closes the pipe
/// and waits: the process must end without a panic.
fn closed_early(args: &[&str], lines: usize) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..lines {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the output ended before {lines} lines");
    }
    drop(reader);
    let output = child.wait_with_output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn output_into_a_pipe_closed_early_ends_quietly() {
    let spec = bundled_spec();
    let spec = spec.to_str().unwrap();
    // A diff longer than a pipe holds: the whole API against the Org fixture.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/org-history/5-later");
    let (code, stderr) = closed_early(&["diff", spec, fixture.to_str().unwrap(), "--crate-version", "0.1.0"], 1);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(2), "the exit code still says breaking: {stderr}");
    let (code, stderr) = closed_early(&["inspect", spec, "--json"], 1);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
    // A pipe closed before the first line.
    let names = tempfile::tempdir().unwrap();
    copy_dir(&bundled_spec(), names.path());
    let (code, stderr) = closed_early(&["names", names.path().to_str().unwrap()], 0);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
}

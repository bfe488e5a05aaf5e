//! A fabricated upstream history, carried in one spec directory as a
//! maintainer's repository carries it: seven releases after the bundled
//! v1.30.0, each a copy of the one before with the edits real releases of
//! this API make (a schema extracted, a name taken, a field or an enum value
//! added at one of several places, a float field, a type moving between
//! resources). Every release is imported over the same spec directory with
//! `codegen import` and checked with `codegen check --deny-warnings`, as the
//! README's release routine says, with no hand edit; then `codegen diff`
//! between consecutive copies of the spec must report exactly the breaks
//! those edits make by Cargo's rules, each with its upstream cause, and none
//! caused by the generator.
//!
//! What a caller sees, edit by edit (the rules of issue 18: a type's
//! identity follows its places; shapes at the places of one name merge; a
//! derive or a feature is never taken away by a compatible change):
//!
//! - a new schema with the shape of an inline place that already has its
//!   derived name: nothing breaks (at most a type is added);
//! - a new schema named like an existing type, of another shape: the old
//!   type keeps its name, the new one gets another; nothing breaks;
//! - an optional field added at one of two places sharing a type: the type
//!   gains the field (every generated struct is `#[non_exhaustive]`, so a
//!   new field is compatible), the other place keeps the type;
//! - an enum value added at one of the places of a shared enum (a schema
//!   enum, a query param's): the enum gains a variant (`#[non_exhaustive]`),
//!   every place keeps its type;
//! - an optional `number` field added to a struct: compatible, no derive lost;
//! - the only action using a type removed while another resource's new
//!   action starts using it: the removal breaks (an action is gone); the
//!   type stays compiled with the feature it had, as its schema still exists;
//! - a field retyped at one of three places sharing a type, the one that
//!   converts first: the two unchanged places keep the type and its name,
//!   the changed place gets a type of its own (a break, upstream's).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use codegen::maintainer::diff::bump::Version;
use codegen::maintainer::diff::{diff_specs, Cause, Impact, Report};
use serde_json::{json, Value};

/// One fabricated release: its edits over the one before, and what the diff
/// against the one before must say.
struct Release {
    version: &'static str,
    /// The upstream edits, in words.
    edits: &'static [&'static str],
    apply: fn(&Path),
    /// Exactly the items with a breaking entry (`resource.action`,
    /// `types::Name`, `types::Name.field`, `params::Name`).
    breaking: &'static [&'static str],
    /// Lines the report must have: (item, impact, a part of what it says).
    expected: &'static [(&'static str, Impact, &'static str)],
}

const RELEASES: &[Release] = &[
    Release {
        version: "1.31.0",
        edits: &[
            "schema `orgMember` added: the items of `org.members`, extracted; its derived name `OrgMember` is the \
             type of `org.members[]` and `orgs.items[].members[]` today",
            "`org.members` items now `$ref: orgMember`; `orgs.items[].members` keeps its inline copy (upstream \
             inlines every schema)",
        ],
        apply: extract_org_member,
        breaking: &[],
        expected: &[],
    },
    Release {
        version: "1.32.0",
        edits: &[
            "schema `orgSummary` added, another shape than the inline `org.summary` whose type is `OrgSummary`",
            "action `org.summaryHistory` added, returning it",
        ],
        apply: add_org_summary_schema,
        breaking: &[],
        expected: &[("org.summaryHistory", Impact::Compatible, "action added")],
    },
    Release {
        version: "1.33.0",
        edits: &[
            "optional property `timezone` added to `org` only (its twin `orgs.items[]` shares the type `Org`)",
            "optional property `deprecated` added to `instanceCustomNode` only (its twin \
             `instanceCustomNodes.items[]` shares the type `InstanceCustomNode`)",
        ],
        apply: add_field_to_one_twin,
        breaking: &[],
        expected: &[
            ("types::Org.timezone", Impact::Compatible, "field `timezone: Option<String>` added"),
            ("types::InstanceCustomNode.deprecated", Impact::Compatible, "field `deprecated: Option<bool>` added"),
        ],
    },
    Release {
        version: "1.34.0",
        edits: &[
            "enum value `maintenance` added to `org.banner.level` only (the enum `OrgBannerLevel` serves the \
             banners of `instanceOrg`, `instanceOrgPatch`, `instanceOrgPost`, `instanceOrgs` and `orgs` too)",
            "enum value `planId` added to the `sortField` query param of `orgs.get` only (the enum \
             `SortField` serves 13 other actions' `sortField`)",
        ],
        apply: add_enum_value_at_one_place,
        breaking: &[],
        expected: &[
            ("types::OrgBannerLevel", Impact::Compatible, "variant `Maintenance` added"),
            ("params::SortField", Impact::Compatible, "variant `PlanId` added"),
        ],
    },
    Release {
        version: "1.35.0",
        edits: &["optional `number` property `estimatedSeconds` added to `deviceRecipeBulkCreateEnqueued` \
                  (`DeviceRecipeBulkCreateEnqueued` derives `Eq` in v1.30.0's client)"],
        apply: add_float_field,
        breaking: &[],
        expected: &[(
            "types::DeviceRecipeBulkCreateEnqueued.estimated_seconds",
            Impact::Compatible,
            "field `estimated_seconds: Option<f64>` added",
        )],
    },
    Release {
        version: "1.36.0",
        edits: &[
            "action `instanceOrgInvite.resendInvite` removed: the only user of schema `orgRoleInfo` \
             (`OrgRoleInfo`, compiled with the feature `instance_org_invite`)",
            "action `org.modifyInvite` added, whose body is `orgRoleInfo`",
        ],
        apply: move_org_role_info,
        breaking: &["instanceOrgInvite.resendInvite"],
        expected: &[
            ("instanceOrgInvite.resendInvite", Impact::Breaking, "action removed"),
            ("org.modifyInvite", Impact::Compatible, "action added"),
        ],
    },
    Release {
        version: "1.37.0",
        edits: &["property `ttl` of schema `orgInvite` retyped from `number` to `string`; its inline copies \
                  (`orgInviteCollection.items[]`, `orgInvites[]`, the type's two other places) keep `number`; \
                  the schema is the body `instanceOrgInvite.get` and `org.modifyInvite` (v1.36.0) answer"],
        apply: retype_org_invite_ttl,
        breaking: &["instanceOrgInvite.get.responses", "org.modifyInvite.responses"],
        expected: &[
            ("instanceOrgInvite.get.responses", Impact::Breaking, "now returns `OrgInviteInfoAlt`"),
            ("org.modifyInvite.responses", Impact::Breaking, "now returns `OrgInviteInfoAlt`"),
            ("types::OrgInviteInfoAlt", Impact::Compatible, "struct added"),
        ],
    },
];

#[test]
fn a_fabricated_history_imports_unattended_and_its_diffs_tell_only_upstream_breaks() {
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("losant-rest");
    common::copy_dir(&common::bundled_spec(), &project.join("spec"));
    fs::copy(common::bundled_spec().join("../Cargo.toml"), project.join("Cargo.toml")).unwrap();
    let spec = project.join("spec");
    // The spec of each release, as the repository had it after importing it.
    let kept = |version: &str| work.path().join("kept").join(format!("v{version}"));
    common::copy_dir(&spec, &kept("1.30.0"));

    let mut upstream = common::release();
    let mut before = kept("1.30.0");
    let mut failures = Vec::new();
    let mut reports: Vec<(String, Report)> = Vec::new();
    for release in RELEASES {
        // Each release is a copy of the one before, edited.
        let dir = work.path().join("losant-api").join(format!("v{}", release.version));
        common::copy_dir(&upstream, &dir);
        (release.apply)(&dir);
        upstream = dir;

        let mut import = codegen(&project, &["import", path(&upstream), "--out", path(&spec)]);
        if !import.status.success() {
            failures.push(format!("v{}: `codegen import` failed:\n{}", release.version, output(&import)));
            // Go on as a maintainer would have to, so the later releases are
            // still judged: a hand edit of the table for each name taken.
            let edits = hand_edits(&output(&import));
            if edits.is_empty() {
                break;
            }
            let names = spec.join("names.yaml");
            let mut table = fs::read_to_string(&names).unwrap();
            for (place, name) in &edits {
                table.push_str(&format!("{place}: {name}\n"));
            }
            fs::write(&names, table).unwrap();
            failures.push(format!("v{}: went on after a hand edit of names.yaml: {edits:?}", release.version));
            import = codegen(&project, &["import", path(&upstream), "--out", path(&spec)]);
            if !import.status.success() {
                failures.push(format!("v{}: `codegen import` failed again:\n{}", release.version, output(&import)));
                break;
            }
        }
        let check = codegen(&project, &["check", "--deny-warnings", path(&spec)]);
        if !check.status.success() {
            failures.push(format!("v{}: `codegen check --deny-warnings` failed:\n{}", release.version, output(&check)));
            break;
        }
        let after = kept(release.version);
        common::copy_dir(&spec, &after);

        let report = diff_specs(&before, &after)
            .unwrap_or_else(|p| panic!("v{}: diff: {p}", release.version))
            .with_version(Version::parse("0.1.0").unwrap());
        let wrong = judge(release, &report);
        if !wrong.is_empty() {
            failures.push(format!("v{} is: {}", release.version, release.edits.join("; ")));
            failures.extend(wrong);
        }
        reports.push((format!("v{}", release.version), report));
        before = after;
    }
    assert!(failures.is_empty(), "{} failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
    for (version, report) in &reports {
        insta::assert_snapshot!(format!("identity_history_{version}"), report.to_string());
    }
}

/// What is wrong with a release's report, one message each.
fn judge(release: &Release, report: &Report) -> Vec<String> {
    let mut wrong = Vec::new();
    let at = format!("v{}", release.version);
    let line = |c: &codegen::maintainer::diff::Change| format!("{}: {} [{:?}]", c.item, c.what, c.cause);

    let generator: Vec<String> =
        report.changes.iter().filter(|c| matches!(c.cause, Some(Cause::Generator))).map(line).collect();
    if !generator.is_empty() {
        wrong.push(format!("{at}: {} entries caused by the generator:\n  {}", generator.len(), generator.join("\n  ")));
    }
    let breaking: BTreeSet<&str> =
        report.changes.iter().filter(|c| c.impact == Impact::Breaking).map(|c| c.item.as_str()).collect();
    let wanted: BTreeSet<&str> = release.breaking.iter().copied().collect();
    if breaking != wanted {
        // Those the generator caused are listed above.
        let extra: Vec<String> = report
            .changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking && !wanted.contains(c.item.as_str()))
            .filter(|c| c.cause != Some(Cause::Generator))
            .map(line)
            .collect();
        let missing: Vec<&&str> = wanted.difference(&breaking).collect();
        if !extra.is_empty() || !missing.is_empty() {
            wrong.push(format!(
                "{at}: breaking entries not made by the edits (beside the generator's):\n  {}\nbreaks the edits make but the report lacks: {missing:?}",
                extra.join("\n  ")
            ));
        }
    }
    // Every other breaking entry names its upstream cause (the generator's are listed above).
    for c in report.changes.iter().filter(|c| c.impact == Impact::Breaking && c.cause != Some(Cause::Generator)) {
        if !matches!(c.cause, Some(Cause::Upstream | Cause::Table)) || c.spec.as_deref().unwrap_or_default().is_empty()
        {
            wrong.push(format!("{at}: a breaking entry without its upstream cause: {}", line(c)));
        }
    }
    for (item, impact, what) in release.expected {
        if !report.changes.iter().any(|c| c.item == *item && c.impact == *impact && c.what.contains(what)) {
            wrong.push(format!("{at}: no {impact:?} entry `{item}: ..{what}..` in the report:\n{report}"));
        }
    }
    wrong
}

/// The lines a maintainer would add to names.yaml to get past "`x` wants
/// the type name `X`, which `y` has": `x: XByHand`.
fn hand_edits(output: &str) -> Vec<(String, String)> {
    output
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once("error: `")?;
            let (place, rest) = rest.split_once("` wants the type name `")?;
            let (name, _) = rest.split_once('`')?;
            Some((place.to_string(), format!("{name}ByHand")))
        })
        .collect()
}

fn codegen(project: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen")).args(args).current_dir(project).output().unwrap()
}

fn output(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

// The edits, in upstream's format: `apiInfo.json` on one line, schemas pretty.

fn extract_org_member(release: &Path) {
    let org = read(&release.join("schemas/org.json"));
    let mut member = org["properties"]["members"]["items"].clone();
    assert_eq!(member["properties"]["userId"]["type"], "string", "v1.30.0's `org.members[]`");
    let object = member.as_object_mut().unwrap();
    let mut schema = serde_json::Map::new();
    schema.insert("$schema".into(), json!("http://json-schema.org/draft-07/schema#"));
    schema.insert("title".into(), json!("Organization Member"));
    schema.insert("description".into(), json!("Schema for a member of an Organization"));
    schema.append(object);
    write(&release.join("schemas/orgMember.json"), &Value::Object(schema));
    // `org` refers to it; `orgs` keeps its inline copy.
    edit(&release.join("schemas/org.json"), |org| {
        org["properties"]["members"]["items"] = json!({"$ref": "#/definitions/orgMember"});
    });
}

fn add_org_summary_schema(release: &Path) {
    let org = read(&release.join("schemas/org.json"));
    assert!(org["properties"]["summary"]["properties"].is_object(), "v1.30.0's inline `org.summary`");
    write(
        &release.join("schemas/orgSummary.json"),
        &json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "Organization Summary",
            "description": "Schema for the usage summary of an Organization over a period",
            "type": "object",
            "properties": {
                "orgId": {"type": "string", "pattern": "^[A-Fa-f\\d]{24}$"},
                "start": {"type": "string", "format": "date-time"},
                "end": {"type": "string", "format": "date-time"},
                "payloadCount": {"type": "integer"},
                "deviceCount": {"type": "integer"}
            },
            "required": ["orgId", "start", "end"],
            "additionalProperties": false
        }),
    );
    edit(&release.join("apiInfo.json"), |api| {
        let actions = &mut api["org"]["actions"];
        let mut history = actions["deviceCounts"].clone();
        history["path"] = json!("/summaryHistory");
        history["auth"] = json!(["org.summaryHistory"]);
        history["summary"] = json!("Returns the usage summaries of an organization over a period");
        history["responses"]["200"] =
            json!({"description": "Usage summaries", "schema": {"$ref": "#/definitions/orgSummary"}});
        actions["summaryHistory"] = history;
    });
}

fn add_field_to_one_twin(release: &Path) {
    edit(&release.join("schemas/org.json"), |org| {
        org["properties"]["timezone"] = json!({"type": "string", "maxLength": 64});
    });
    edit(&release.join("schemas/instanceCustomNode.json"), |node| {
        assert!(node["properties"]["deprecated"].is_null());
        node["properties"]["deprecated"] = json!({"type": "boolean"});
    });
}

fn add_enum_value_at_one_place(release: &Path) {
    edit(&release.join("schemas/org.json"), |org| {
        let level = &mut org["properties"]["banner"]["properties"]["level"]["enum"];
        assert_eq!(*level, json!(["info", "warning", "critical"]));
        level.as_array_mut().unwrap().push(json!("maintenance"));
    });
    edit(&release.join("apiInfo.json"), |api| {
        let params = api["orgs"]["actions"]["get"]["params"].as_array_mut().unwrap();
        let sort = params.iter_mut().find(|p| p["name"] == "sortField").unwrap();
        assert_eq!(sort["enum"], json!(["name", "id", "creationDate", "lastUpdated"]));
        sort["enum"].as_array_mut().unwrap().push(json!("planId"));
    });
}

fn add_float_field(release: &Path) {
    edit(&release.join("schemas/deviceRecipeBulkCreateEnqueued.json"), |enqueued| {
        enqueued["properties"]["estimatedSeconds"] = json!({"type": "number"});
    });
}

fn move_org_role_info(release: &Path) {
    edit(&release.join("apiInfo.json"), |api| {
        let moved = api["instanceOrgInvite"]["actions"].as_object_mut().unwrap().remove("resendInvite").unwrap();
        assert_eq!(moved["params"][0]["schema"]["$ref"], "#/definitions/orgRoleInfo");
        let mut modify = moved.clone();
        modify["method"] = json!("PATCH");
        modify["path"] = json!("/invites/{inviteId}");
        modify["auth"] = json!(["org.modifyInvite"]);
        modify["summary"] = json!("Modifies the role info of a pending invite");
        let mut params = vec![json!({
            "name": "inviteId", "in": "path", "required": true, "type": "string",
            "pattern": "^[A-Fa-f\\d]{24}$", "example": "575ed71e7ae143cd83dc4aaa",
            "description": "ID associated with the invite"
        })];
        params.extend(moved["params"].as_array().unwrap().iter().cloned());
        modify["params"] = json!(params);
        modify["responses"]["200"] = modify["responses"]["201"].take();
        modify["responses"].as_object_mut().unwrap().remove("201");
        api["org"]["actions"]["modifyInvite"] = modify;
    });
}

fn retype_org_invite_ttl(release: &Path) {
    edit(&release.join("schemas/orgInvite.json"), |invite| {
        assert_eq!(invite["properties"]["ttl"], json!({"type": "number"}));
        invite["properties"]["ttl"] = json!({"type": "string", "maxLength": 64});
    });
}

fn read(file: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(file).unwrap()).unwrap()
}

fn write(file: &Path, value: &Value) {
    let text = if file.ends_with("apiInfo.json") {
        serde_json::to_string(value).unwrap()
    } else {
        serde_json::to_string_pretty(value).unwrap()
    };
    fs::write(file, text).unwrap();
}

fn edit(file: &Path, change: impl FnOnce(&mut Value)) {
    let mut value = read(file);
    change(&mut value);
    write(file, &value);
}

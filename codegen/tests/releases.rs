//! `codegen import` on releases other than the bundled one: copies of the
//! v1.30.0 release edited into an older or a newer one, with the slips real
//! releases have (untyped params, a `"Number"` type, a reference in `type`),
//! fields that come and go, and overrides whose upstream data changed. Each
//! import must go through, say what it corrected and where, and leave a spec
//! that checks and generates.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::maintainer::import::{import_with, ImportOptions, ImportReport};
use serde_json::{json, Value};

/// A copy of the bundled release in a folder named `name`, to edit.
struct FakeRelease {
    dir: tempfile::TempDir,
    release: PathBuf,
}

impl FakeRelease {
    fn new(name: &str) -> FakeRelease {
        let dir = tempfile::tempdir().unwrap();
        let release = dir.path().join(name);
        common::copy_dir(&common::release(), &release);
        FakeRelease { dir, release }
    }

    /// Edits one JSON file of the release. `apiInfo.json` stays on one line,
    /// as upstream writes it; schemas are written pretty, as upstream does.
    fn edit(&self, file: &str, change: impl FnOnce(&mut Value)) -> &Self {
        let path = self.release.join(file);
        let mut value: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        change(&mut value);
        let text = if file == "apiInfo.json" {
            serde_json::to_string(&value).unwrap()
        } else {
            serde_json::to_string_pretty(&value).unwrap()
        };
        fs::write(path, text).unwrap();
        self
    }

    fn text(&self, file: &str) -> String {
        fs::read_to_string(self.release.join(file)).unwrap()
    }

    /// A spec directory beside the release with today's type names (as when
    /// importing over the bundled spec), and `overrides` as its overrides file.
    fn spec(&self, overrides: &str) -> PathBuf {
        let spec = self.dir.path().join("spec");
        fs::create_dir_all(&spec).unwrap();
        fs::copy(common::bundled_spec().join("names.yaml"), spec.join("names.yaml")).unwrap();
        fs::write(spec.join("overrides.yaml"), overrides).unwrap();
        spec
    }
}

fn bundled_overrides() -> String {
    fs::read_to_string(common::bundled_spec().join("overrides.yaml")).unwrap()
}

/// Imports with `spec/overrides.yaml`, then checks and generates the result.
fn import_checked(release: &Path, spec: &Path, api_version: Option<&str>) -> ImportReport {
    let options =
        ImportOptions { overrides: Some(spec.join("overrides.yaml")), api_version: api_version.map(str::to_string) };
    let report = import_with(release, spec, &options).unwrap_or_else(|p| panic!("{p}"));
    codegen::check_types(spec).unwrap_or_else(|p| panic!("the imported spec does not check:\n{p}"));
    let generated = codegen::generate(spec).unwrap_or_else(|p| panic!("the imported spec does not generate:\n{p}"));
    assert_eq!(generated.stats.resources, report.resources);
    report
}

/// The 1-based line and column of byte `at` of `text`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |n| n + 1)..].chars().count() + 1;
    (line, column)
}

/// Where the param object named `name` starts in one-line `apiInfo.json`
/// text, after each of `anchors` in turn (the resource's key, the action's):
/// the param's `{`.
fn param_position(text: &str, anchors: &[&str], name: &str) -> (usize, usize) {
    let mut from = 0;
    for anchor in anchors.iter().copied().chain([format!("\"name\":\"{name}\"").as_str()]) {
        from += text[from..].find(anchor).unwrap();
    }
    position(text, text[..from].rfind('{').unwrap())
}

/// The warning whose message contains `needle`, rendered.
fn warning(report: &ImportReport, needle: &str) -> String {
    let found: Vec<String> =
        report.warnings.0.iter().filter(|d| d.message.contains(needle)).map(ToString::to_string).collect();
    assert_eq!(found.len(), 1, "one warning with {needle:?} wanted, got {found:#?}\nall: {}", report.warnings);
    found[0].clone()
}

#[test]
fn an_older_release_with_upstream_slips_imports_repaired_and_generates() {
    let old = FakeRelease::new("hidden-v1.25.0");
    old.edit("apiInfo.json", |api| {
        // `me.get`'s `includeRecent` had no type before v1.30.0.
        let include_recent = &mut api["me"]["actions"]["get"]["params"][0];
        assert_eq!(include_recent["name"], "includeRecent");
        include_recent.as_object_mut().unwrap().remove("type");
        // A param with no type and nothing to infer one from.
        let filter = &mut api["devices"]["actions"]["get"]["params"][5];
        assert_eq!(filter["name"], "filter");
        filter.as_object_mut().unwrap().remove("type");
        filter.as_object_mut().unwrap().remove("example");
    })
    .edit("schemas/deviceState.json", |schema| {
        assert_eq!(schema["properties"]["time"]["oneOf"][1], json!({"type": "number"}));
        schema["properties"]["time"]["oneOf"][1]["type"] = json!("Number");
    })
    .edit("schemas/advancedDeviceQuery.json", |schema| {
        let items = &mut schema["properties"]["$and"]["items"];
        assert_eq!(*items, json!({"$ref": "#/definitions/advancedDeviceQuery"}));
        *items = json!({"type": "#/definitions/advancedDeviceQuery"});
    })
    .edit("schemas/org.json", |schema| {
        // Fields an older release did not have yet.
        let properties = schema["properties"].as_object_mut().unwrap();
        assert!(properties.remove("banner").is_some() && properties.remove("mfaMode").is_some());
    });
    let spec = old.spec(&bundled_overrides());

    let report = import_checked(&old.release, &spec, None);
    assert_eq!(report.version, "1.25.0", "from the folder name `hidden-v1.25.0`");
    assert_eq!((report.overrides, report.stale_overrides), (4, 0));
    // The bundled release's 9 slips, and the 4 made here.
    assert_eq!(report.repairs, 13, "{}", report.warnings);

    // Version: api.yaml and every header say 1.25.0, never the folder name.
    let api = fs::read_to_string(spec.join("api.yaml")).unwrap();
    assert!(api.contains("\nversion: 1.25.0\n") && api.contains("\naccept_version: ^1.25.0\n"), "{api}");
    let me = fs::read_to_string(spec.join("resources/me.yaml")).unwrap();
    assert!(me.starts_with("# The Me resource. Imported from v1.25.0 by `codegen import`"), "{me}");
    assert!(!me.contains("hidden"), "{me}");

    // Params: typed `string`, the example still making `include_recent` a bool setter.
    assert!(me.contains("  - name: includeRecent\n    in: query\n    type: string\n"), "{me}");
    let api_info = old.text("apiInfo.json");
    let (line, column) = param_position(&api_info, &["\"me\":{", "\"get\":{"], "includeRecent");
    assert_eq!(
        warning(&report, "param `includeRecent`"),
        format!(
            "{}:{line}:{column}: warning: repaired: `me.get` param `includeRecent` has no `type`: typed `string` as every query param travels as text (its example `true` still picks the setter's Rust type) (at /me/actions/get/params/0/type)",
            old.release.join("apiInfo.json").display()
        )
    );
    let devices = fs::read_to_string(spec.join("resources/devices.yaml")).unwrap();
    assert!(devices.contains("  - name: filter\n    in: query\n    type: string\n    description:"), "{devices}");
    let filter = warning(&report, "param `filter`");
    assert!(
        filter.contains(": warning: repaired: `devices.get` param `filter` has no `type`: typed `string` as every query param travels as text (at /devices/actions/get/params/5/type)"),
        "{filter}"
    );
    let generated = codegen::generate(&spec).unwrap();
    let me_rs = &generated.files.iter().find(|f| f.name == "me.rs").unwrap().contents;
    assert!(me_rs.contains("pub fn include_recent(mut self, value: impl crate::IntoParam<bool>) -> Self"), "{me_rs}");

    // Schemas: the repaired files are today's, plus a note saying what was repaired.
    let state = old.text("schemas/deviceState.json");
    let (line, column) = position(&state, state.find("\"Number\"").unwrap());
    assert_eq!(
        warning(&report, "`Number`"),
        format!(
            "{}:{line}:{column}: warning: repaired: schema type `Number` is in the wrong case: read as `number` (at /properties/time/oneOf/1/type)",
            old.release.join("schemas/deviceState.json").display()
        )
    );
    let bundled = |file: &str| fs::read_to_string(common::bundled_spec().join(file)).unwrap();
    let written = |file: &str| fs::read_to_string(spec.join(file)).unwrap();
    let with_note = |file: &str, note: &str| {
        let today = bundled(file).replace("v1.30.0", "v1.25.0");
        let (first, rest) = today.split_once('\n').unwrap();
        format!("{first}\n# {note}\n{rest}")
    };
    assert_eq!(
        written("schemas/deviceState.yaml"),
        with_note(
            "schemas/deviceState.yaml",
            "Repaired by `codegen import` at /properties/time/oneOf/1/type: schema type `Number` is in the wrong case: read as `number`"
        )
    );
    let query = old.text("schemas/advancedDeviceQuery.json");
    let (line, _) = position(&query, query.find("\"type\": \"#/definitions/advancedDeviceQuery\"").unwrap());
    let reference = warning(&report, "holds the reference");
    assert!(
        reference.contains(&format!("advancedDeviceQuery.json:{line}:")) && reference.contains("warning: repaired: `type` holds the reference `#/definitions/advancedDeviceQuery`: read as `$ref` (at /properties/$and/items/type)"),
        "{reference}"
    );
    assert_eq!(
        written("schemas/advancedDeviceQuery.yaml"),
        with_note(
            "schemas/advancedDeviceQuery.yaml",
            "Repaired by `codegen import` at /properties/$and/items/type: `type` holds the reference `#/definitions/advancedDeviceQuery`: read as `$ref`"
        )
    );

    // Removed fields are gone from the spec, and so are their places in the
    // names table (the type keeps its name while other places hold it).
    let org = written("schemas/org.yaml");
    assert!(!org.contains("\n  banner:") && !org.contains("\n  mfaMode:") && org.contains("\n  iconColor:"), "{org}");
    let table = written("names.yaml");
    assert!(!table.contains("\norg.banner:") && table.contains("\norg.members[]: OrgMember\n"), "{}", &table[..500]);
}

#[test]
fn a_newer_release_makes_overrides_stale_and_the_import_goes_on() {
    let new = FakeRelease::new("v1.31.0");
    // Upstream fixed `orgInvites` (the item schema where it belongs) and dropped
    // `validateContextSuccess.ctx`: both overrides of them no longer fit.
    new.edit("schemas/orgInvites.json", |schema| {
        let item = schema["items"]["properties"].take();
        schema["items"] = item;
    })
    .edit("schemas/validateContextSuccess.json", |schema| {
        schema["properties"].as_object_mut().unwrap().remove("ctx").unwrap();
    });
    // The bundled overrides, and one for a file the release no longer has.
    let overrides = format!(
        "{}\n# A schema this release dropped.\n- file: schemas/retired.json\n  op: replace\n  path: /type\n  expect:\n    equals: Object\n  value: object\n  reason: test\n",
        bundled_overrides()
    );
    let spec = new.spec(&overrides);
    let report = import_checked(&new.release, &spec, None);
    assert_eq!(report.version, "1.31.0");
    assert_eq!((report.overrides, report.stale_overrides), (2, 3), "{}", report.warnings);

    // Each stale entry is named by its first line, with the lines to delete.
    let file = spec.join("overrides.yaml");
    let lines: Vec<&str> = overrides.lines().collect();
    let entry = |file_line: &str| {
        let first = lines.iter().position(|l| *l == file_line).unwrap() + 1;
        let last = lines[first..]
            .iter()
            .position(|l| l.starts_with("- ") || l.starts_with('#') || l.is_empty())
            .map_or(lines.len(), |n| first + n);
        (first, last)
    };
    let (first, last) = entry("- file: schemas/orgInvites.json");
    assert_eq!(last - first, 6, "the entry is 7 lines");
    let invites = warning(&report, "`schemas/orgInvites.json`");
    assert!(
        invites.starts_with(&format!(
            "{}:{first}:3: warning: stale override of `schemas/orgInvites.json` at `/items`, skipped: at `from` `/items/properties`, expected an object with exactly the keys `title`, `description`, `type`, `properties`, found an object with the keys `id`, ",
            file.display()
        )),
        "{invites}"
    );
    assert!(invites.contains(&format!("; delete lines {first}–{last} (at overrides[0])")), "{invites}");
    assert!(invites.contains("\n  hint: upstream changed or fixed this data"), "{invites}");

    let (first, last) = entry("- file: schemas/validateContextSuccess.json");
    let vanished = warning(&report, "`schemas/validateContextSuccess.json`");
    assert!(
        vanished.starts_with(&format!(
            "{}:{first}:3: warning: stale override of `schemas/validateContextSuccess.json` at `/properties/ctx/patternProperties/^[0-9a-zA-Z_-]{{1,255}}$/anyOf/0`, skipped: expected an array, found nothing; delete lines {first}–{last} (at overrides[2])",
            file.display()
        )),
        "{vanished}"
    );
    let (first, last) = entry("- file: schemas/retired.json");
    assert_eq!(
        warning(&report, "`schemas/retired.json`").lines().next().unwrap(),
        format!(
            "{}:{first}:3: warning: stale override of `schemas/retired.json` at `/type`, skipped: the release has no `schemas/retired.json`; delete lines {first}–{last} (at overrides[4])",
            file.display()
        )
    );

    // The others still applied, and the skipped ones changed nothing.
    let written = |file: &str| fs::read_to_string(spec.join(file)).unwrap();
    // Upstream's fix gives what the override gave, without the note.
    let today = fs::read_to_string(common::bundled_spec().join("schemas/orgInvites.yaml")).unwrap();
    let (first, rest) = today.split_once('\n').unwrap();
    let without_note = format!("{}\n{}", first.replace("v1.30.0", "v1.31.0"), rest.split_once('\n').unwrap().1);
    assert!(rest.starts_with("# Corrected by spec/overrides.yaml: upstream nests"), "{today}");
    assert_eq!(written("schemas/orgInvites.yaml"), without_note);
    assert!(written("schemas/orgInvitesUser.yaml").contains("# Corrected by spec/overrides.yaml: upstream nests"));
    assert!(written("schemas/validateContextError.yaml").contains("# Corrected by spec/overrides.yaml: upstream puts"));
    assert!(!written("schemas/validateContextSuccess.yaml").contains("ctx"));
}

#[test]
fn a_release_folder_without_a_version_needs_the_flag() {
    let latest = FakeRelease::new("latest");
    let spec = latest.spec(&bundled_overrides());
    let options = ImportOptions { overrides: Some(spec.join("overrides.yaml")), api_version: None };
    let problems = import_with(&latest.release, &spec, &options).unwrap_err().to_string();
    assert_eq!(
        problems.lines().next().unwrap(),
        format!(
            "{}: error: cannot tell the API version of the release: the folder name `latest` does not end in `X.Y.Z`",
            latest.release.display()
        )
    );
    assert!(problems.contains("or pass --api-version 1.31.0"), "{problems}");
    assert!(!spec.join("api.yaml").exists() && !spec.join("resources").exists(), "nothing is written");

    let report = import_checked(&latest.release, &spec, Some("1.31.0"));
    assert_eq!(report.version, "1.31.0");
    let api = fs::read_to_string(spec.join("api.yaml")).unwrap();
    assert!(api.contains("\nversion: 1.31.0\n") && api.contains("\naccept_version: ^1.31.0\n"), "{api}");
    let org = fs::read_to_string(spec.join("schemas/org.yaml")).unwrap();
    assert!(org.starts_with("# Schema `org` (JSON Schema, in YAML). Imported from v1.31.0 by"), "{org}");

    let bad = ImportOptions { api_version: Some("next".into()), ..options };
    let problems = import_with(&latest.release, &spec, &bad).unwrap_err().to_string();
    assert!(problems.contains("error: --api-version `next` is not a version `X.Y.Z`"), "{problems}");
}

#[test]
fn check_rejects_a_version_that_is_not_semver() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::bundled_spec(), dir.path());
    let api_file = dir.path().join("api.yaml");
    let api = fs::read_to_string(&api_file).unwrap();
    let api = api.replace("version: 1.30.0\n", "version: hidden-v1.25.0\n").replace("^1.30.0", "1.30");
    fs::write(&api_file, &api).unwrap();
    let line = |prefix: &str| api.lines().position(|l| l.starts_with(prefix)).unwrap() + 1;
    let errors = codegen::check(dir.path()).unwrap_err().to_string();
    assert!(
        errors.contains(&format!(
            "{}:{}:10: error: version `hidden-v1.25.0` is not a version `X.Y.Z` (at api.version)",
            api_file.display(),
            line("version:")
        )),
        "{errors}"
    );
    assert!(
        errors.contains(&format!(
            "{}:{}:17: error: accept_version `1.30` is not `^X.Y.Z` (at api.accept_version)",
            api_file.display(),
            line("accept_version:")
        )),
        "{errors}"
    );
}

/// Runs the CLI in `dir`, as the README's commands run in the checkout.
fn codegen_in(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_codegen")).current_dir(dir).args(args).output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.success(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn the_cli_imports_into_a_fresh_folder_with_the_projects_overrides_and_says_so() {
    let checkout = common::bundled_spec().parent().unwrap().to_path_buf();
    let out = tempfile::tempdir().unwrap();
    let fresh = out.path().join("fresh");
    let release = common::release();
    let (ok, stdout, stderr) =
        codegen_in(&checkout, &["import", release.to_str().unwrap(), "--out", fresh.to_str().unwrap()]);
    assert!(ok, "{stdout}{stderr}");
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("overrides: spec/overrides.yaml"));
    assert_eq!(
        lines.next().unwrap(),
        format!("imported API v1.30.0: 99 resources, 375 actions, 335 schemas (4 overrides applied, 0 stale; 9 upstream slips repaired by rule): {} files written, 0 removed -> {}", 99 + 335 + 1, fresh.display())
    );
    // Each repair is a `file:line:col: warning:` line naming the JSON pointer.
    let repairs: Vec<&str> = stderr.lines().filter(|l| l.contains(": warning: repaired: ")).collect();
    assert_eq!(repairs.len(), 9, "{stderr}");
    assert!(
        repairs.contains(&format!("{}:163:19: warning: repaired: upstream gives `maxItems` as the string \"10\" where JSON Schema requires a number: read as 10 (at /properties/members/maxItems)", release.join("schemas/instanceOrgPost.json").display()).as_str()),
        "{stderr}"
    );
    assert!(repairs.iter().all(|l| l.starts_with(&release.display().to_string())), "{stderr}");
    let invites = fs::read_to_string(fresh.join("schemas/orgInvites.yaml")).unwrap();
    assert!(invites.contains("# Corrected by spec/overrides.yaml: upstream nests"), "{invites}");

    // An explicit file wins; its stale entries are warnings and the import goes on.
    let stale = out.path().join("stale.yaml");
    let text = format!("{}- file: schemas/org.json\n  op: add\n  path: /type\n  expect: {{absent: true}}\n  value: object\n  reason: test\n", bundled_overrides());
    fs::write(&stale, &text).unwrap();
    let first = text.lines().count() - 5;
    let (ok, stdout, stderr) = codegen_in(
        &checkout,
        &[
            "import",
            release.to_str().unwrap(),
            "--out",
            fresh.to_str().unwrap(),
            "--overrides",
            stale.to_str().unwrap(),
        ],
    );
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.starts_with(&format!("overrides: {}\n", stale.display())), "{stdout}");
    assert!(
        stdout.contains("(4 overrides applied, 1 stale; 9 upstream slips repaired by rule): 0 files written"),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!("{}:{first}:3: warning: stale override of `schemas/org.json` at `/type`, skipped: expected nothing, found \"object\"; delete lines {first}–{} (at overrides[4])", stale.display(), first + 5)),
        "{stderr}"
    );

    // Run elsewhere, with no overrides anywhere, it says so.
    let elsewhere = tempfile::tempdir().unwrap();
    let bare = elsewhere.path().join("bare");
    let (ok, stdout, stderr) =
        codegen_in(elsewhere.path(), &["import", release.to_str().unwrap(), "--out", bare.to_str().unwrap()]);
    assert!(
        stdout.starts_with(&format!(
        "overrides: none found (no {}/overrides.yaml or spec/overrides.yaml): upstream data is imported uncorrected\n",
        bare.display()
    )),
        "{stdout}"
    );
    // Uncorrected, upstream's nesting slip in `orgInvites` fails the check.
    assert!(!ok && stderr.contains("orgInvites.yaml") && stderr.contains("error: "), "{stderr}");

    // A folder name without a version, and no flag: an error naming both.
    let latest = elsewhere.path().join("latest");
    fs::create_dir_all(&latest).unwrap();
    let (ok, _, stderr) =
        codegen_in(&checkout, &["import", latest.to_str().unwrap(), "--out", fresh.to_str().unwrap()]);
    assert!(!ok && stderr.contains("the folder name `latest` does not end in `X.Y.Z`"), "{stderr}");
    assert!(stderr.contains("--api-version 1.31.0"), "{stderr}");
}

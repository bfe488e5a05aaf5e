//! `codegen import` on the real upstream release: it reproduces the bundled
//! spec byte for byte, re-importing changes nothing, and broken input is
//! reported with the file at fault.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use codegen::maintainer::import::{import, ImportReport};
use common::{bundled_spec, release};

/// A fresh spec directory holding only the bundled overrides.
fn empty_spec() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    fs::create_dir_all(&spec).unwrap();
    fs::copy(bundled_spec().join("overrides.yaml"), spec.join("overrides.yaml")).unwrap();
    (dir, spec)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in ["resources", "schemas"] {
        for entry in fs::read_dir(dir.join(sub)).unwrap() {
            out.push(PathBuf::from(sub).join(entry.unwrap().file_name()));
        }
    }
    out.sort();
    out
}

#[test]
fn importing_the_release_reproduces_the_bundled_spec_and_is_stable() {
    let (_dir, spec) = empty_spec();
    fs::copy(bundled_spec().join("api.yaml"), spec.join("api.yaml")).unwrap();
    let report = import(&release(), &spec).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!((report.resources, report.actions, report.schemas), (99, 375, 335));
    assert_eq!((report.overrides, report.stale_overrides, report.repairs), (4, 0, 9));
    assert_eq!(report.version, "1.30.0");

    let imported = files(&spec);
    assert_eq!(imported, files(&bundled_spec()), "the set of files differs");
    // The feature record: a first import records each type's current users.
    assert!(report.features.changed && report.features.kept.is_empty(), "{:?}", report.features);
    for file in imported.iter().chain([&PathBuf::from("api.yaml")]) {
        let ours = fs::read_to_string(bundled_spec().join(file)).unwrap();
        let theirs = fs::read_to_string(spec.join(file)).unwrap();
        assert!(
            ours == theirs,
            "{} differs from a fresh import: run `cargo run -p losant-rest-codegen -- import`",
            file.display()
        );
    }

    let again = import(&release(), &spec).unwrap();
    // The first import named every type; the second keeps every name.
    assert_eq!((again.names.added.len(), again.names.gone.len()), (0, 0), "re-import renamed types");
    assert_eq!(again.names.kept, report.names.added.len());
    assert!(!again.features.changed, "re-import changed the feature record");
    assert_eq!(
        again,
        ImportReport {
            written: 0,
            removed: 0,
            names: again.names.clone(),
            features: again.features.clone(),
            ..report.clone()
        },
        "re-import changed files"
    );
}

#[test]
fn a_new_spec_gets_an_api_file_stale_files_go_and_cargo_features_follow() {
    let (dir, spec) = empty_spec();
    fs::create_dir_all(spec.join("resources")).unwrap();
    fs::write(spec.join("resources/retired.yaml"), "name: retired\n").unwrap();
    let manifest = dir.path().join("Cargo.toml");
    fs::write(
        &manifest,
        format!(
            "[features]\n{}\nstale = []\n{}\n\n[dependencies]\n",
            codegen::maintainer::import::FEATURES_BEGIN,
            codegen::maintainer::import::FEATURES_END
        ),
    )
    .unwrap();

    let report = import(&release(), &spec).unwrap();
    assert_eq!(report.removed, 1);
    assert!(!spec.join("resources/retired.yaml").exists());
    let api = fs::read_to_string(spec.join("api.yaml")).unwrap();
    assert!(api.contains("version: 1.30.0\n") && api.contains("accept_version: ^1.30.0\n"), "{api}");
    let manifest = fs::read_to_string(&manifest).unwrap();
    assert!(manifest.contains("default = [\"full\"]\nfull = [\n    \"application\",\n"), "{manifest}");
    assert!(manifest.contains("\norg = []\n") && !manifest.contains("stale"), "{manifest}");
    assert!(manifest.ends_with("# END resource features\n\n[dependencies]\n"), "{manifest}");
    codegen::check(&spec).unwrap_or_else(|p| panic!("{p}"));
}

#[test]
fn a_missing_release_names_the_file() {
    let (_dir, spec) = empty_spec();
    let missing = tempfile::tempdir().unwrap();
    let problems = import(missing.path(), &spec).unwrap_err();
    let text = problems.to_string();
    assert!(text.contains("apiInfo.json: error: cannot read file"), "{text}");
    assert!(text.contains("schemas: error: cannot read directory"), "{text}");
}

#[test]
fn malformed_json_names_the_file_line_and_column() {
    let (_dir, spec) = empty_spec();
    let broken = tempfile::tempdir().unwrap();
    fs::create_dir_all(broken.path().join("schemas")).unwrap();
    fs::write(broken.path().join("apiInfo.json"), "{\n  \"org\": {\n    \"path\": oops\n}").unwrap();
    let problems = import(broken.path(), &spec).unwrap_err();
    let first = problems.0.iter().find(|d| d.file.ends_with("apiInfo.json")).unwrap();
    assert_eq!(first.file, broken.path().join("apiInfo.json"));
    assert_eq!(first.line, Some(3), "{first}");
    assert!(first.message.starts_with("invalid JSON"), "{first}");
}

#[test]
fn a_stale_override_is_skipped_with_a_warning_naming_its_lines() {
    let (_dir, spec) = empty_spec();
    // The bundled overrides, then a blank line and a stale one.
    let bundled = fs::read_to_string(spec.join("overrides.yaml")).unwrap();
    let first = bundled.lines().count() + 2;
    let stale = "- file: schemas/instanceOrgPost.json\n  op: add\n  path: /properties/members/maxItems\n  expect: {absent: true}\n  value: 10\n  reason: test\n\n# trailing comment\n";
    fs::write(spec.join("overrides.yaml"), format!("{bundled}\n{stale}")).unwrap();
    let report = import(&release(), &spec).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!((report.overrides, report.stale_overrides), (4, 1));
    let stale = report.warnings.0[0].to_string();
    let expected = format!(
        "{}:{first}:3: warning: stale override of `schemas/instanceOrgPost.json` at `/properties/members/maxItems`, skipped: expected nothing, found \"10\"; delete lines {first}–{} (at overrides[4])",
        spec.join("overrides.yaml").display(),
        first + 5
    );
    assert!(stale.starts_with(&expected), "{stale}\nwanted: {expected}");
    // The import went on, and the rule for numbers written as text repaired it.
    let schema = fs::read_to_string(spec.join("schemas/instanceOrgPost.yaml")).unwrap();
    assert!(schema.contains("    maxItems: 10\n"), "{schema}");
}

#[test]
fn an_actions_upstream_text_reaches_its_docs_whichever_key_upstream_uses() {
    // Upstream gives a few actions their one line as `description` alone
    // (`auth.*`, `orgInvites.*`); a later release may give one both keys.
    let dir = tempfile::tempdir().unwrap();
    let upstream = dir.path().join("v1.31.0");
    common::copy_dir(&release(), &upstream);
    let info = upstream.join("apiInfo.json");
    let mut api: serde_json::Value = serde_json::from_str(&fs::read_to_string(&info).unwrap()).unwrap();
    assert!(api["auth"]["actions"]["authenticateUser"].get("summary").is_none(), "the release changed: pick another");
    api["org"]["actions"]["get"]["description"] = "Includes the summary counts asked for.".into();
    fs::write(&info, serde_json::to_string(&api).unwrap()).unwrap();
    let spec = dir.path().join("spec");
    fs::create_dir_all(&spec).unwrap();
    fs::copy(bundled_spec().join("overrides.yaml"), spec.join("overrides.yaml")).unwrap();
    import(&upstream, &spec).unwrap_or_else(|p| panic!("{p}"));

    let generated = codegen::generate(&spec).unwrap_or_else(|p| panic!("{p}"));
    let file = |name: &str| generated.files.iter().find(|f| f.name == name).unwrap().contents.clone();
    let auth = file("auth.rs");
    assert!(auth.contains("/// Authenticates a user using the provided credentials.\n"), "{auth}");
    assert!(auth.contains("/// Authenticates a device using the provided credentials.\n"));
    assert!(!auth.contains("/// Authenticate User.\n"), "the title stood in for upstream's text");
    let invites = file("org_invites.rs");
    assert!(
        invites.contains("/// Gets information about an invite.\n")
            && invites.contains("/// Accepts/Rejects an invite.\n")
    );
    let org = file("org.rs");
    assert!(org.contains("/// Retrieves information on an organization.\n"));
    assert!(org.contains("/// Includes the summary counts asked for.\n"), "the longer text beside a summary is kept");
}

#[test]
fn credentials_are_marked_by_rule_and_an_override_decides_either_way() {
    let (_dir, spec) = empty_spec();
    let bundled = fs::read_to_string(spec.join("overrides.yaml")).unwrap();
    let ours = "\n- file: schemas/userCredentials.json\n  op: add\n  path: /properties/twoFactorCode/x-sensitive\n  expect: {absent: true}\n  value: true\n  reason: a one-time code is a credential while it lasts\n\
- file: schemas/deviceCredentials.json\n  op: add\n  path: /properties/secret/x-sensitive\n  expect: {absent: true}\n  value: false\n  reason: test\n";
    fs::write(spec.join("overrides.yaml"), format!("{bundled}{ours}")).unwrap();
    let report = import(&release(), &spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(report.sensitive > 100, "{}", report.sensitive);
    let user = fs::read_to_string(spec.join("schemas/userCredentials.yaml")).unwrap();
    assert!(
        user.contains("  password:\n    type: string\n    minLength: 8\n    maxLength: 2048\n    x-sensitive: true\n"),
        "{user}"
    );
    assert!(
        user.contains("  twoFactorCode:\n    type: string\n    maxLength: 2048\n    x-sensitive: true\n"),
        "{user}"
    );
    let device = fs::read_to_string(spec.join("schemas/deviceCredentials.yaml")).unwrap();
    assert!(device.contains("x-sensitive: false"), "{device}");
    let dashboard = fs::read_to_string(spec.join("resources/dashboard.yaml")).unwrap();
    assert!(dashboard.contains("example: myPassword\n    sensitive: true\n"), "{dashboard}");

    let (_, space, warnings) = codegen::check_types(&spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(!warnings.to_string().contains("named like a credential"), "{warnings}");
    let field = |schema: &str, wire: &str| {
        let Some(codegen::typegen::RustType::Named(id)) = space.schema_type(schema) else { panic!("{schema}") };
        let codegen::typegen::TypeKind::Struct(fields) = &space.types[*id].kind else { panic!("{schema}") };
        fields.iter().find(|f| f.wire == wire).unwrap().ty.clone()
    };
    assert_eq!(field("userCredentials", "password"), codegen::typegen::RustType::Secret);
    assert_eq!(field("userCredentials", "twoFactorCode"), codegen::typegen::RustType::Secret);
    assert_eq!(field("userCredentials", "email"), codegen::typegen::RustType::String);
    assert_eq!(field("deviceCredentials", "secret"), codegen::typegen::RustType::String, "unmarked by the override");

    // A hand edit that drops a mark is caught; one that marks a number is refused.
    fs::write(spec.join("schemas/userCredentials.yaml"), user.replacen("    x-sensitive: true\n", "", 1)).unwrap();
    let (_, warnings) = codegen::check(&spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(
        warnings.to_string().contains("property `password` is named like a credential but not marked `x-sensitive`"),
        "{warnings}"
    );
    fs::write(
        spec.join("schemas/userCredentials.yaml"),
        user.replace("  tokenTTL:\n    type: integer\n", "  tokenTTL:\n    type: integer\n    x-sensitive: true\n"),
    )
    .unwrap();
    let problems = codegen::check(&spec).unwrap_err().to_string();
    assert!(problems.contains("`x-sensitive` marks text: `tokenTTL` is not `type: string`"), "{problems}");
}

#[test]
fn params_that_return_a_list_as_an_object_map_are_marked_by_rule_and_an_override_decides() {
    let (_dir, spec) = empty_spec();
    let report = import(&release(), &spec).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(report.reshapes, 16);
    // Exactly the 16: `tagsAsObject` and `attributesAsObject` of 8 actions.
    let (api, warnings) = codegen::check(&spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(!warnings.to_string().contains("as an object map"), "{warnings}");
    let marked: Vec<String> = api
        .resources
        .iter()
        .flat_map(|r| r.actions.iter().map(move |a| (r, a)))
        .flat_map(|(r, a)| {
            a.params.iter().filter_map(move |p| {
                p.reshapes.as_ref().map(|mark| format!("{}.{}({}): {}", r.name, a.name, p.name, mark.field))
            })
        })
        .collect();
    let expected: Vec<String> = ["device.get", "device.patch", "deviceRecipe.get", "deviceRecipe.patch"]
        .into_iter()
        .chain(["deviceRecipes.get", "deviceRecipes.post", "devices.get", "devices.post"])
        .flat_map(|action| {
            [format!("{action}(tagsAsObject): tags"), format!("{action}(attributesAsObject): attributes")]
        })
        .collect();
    let mut sorted = marked.clone();
    sorted.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(sorted, expected_sorted);
    let devices = fs::read_to_string(spec.join("resources/devices.yaml")).unwrap();
    assert!(
        devices.contains(
            "description: Return tags as an object map instead of an array\n    example: true\n    reshapes: tags\n"
        ),
        "{devices}"
    );

    // An override of `x-reshapes: false` unmarks one, and `check` then says nothing of it.
    let (_dir, spec) = empty_spec();
    let bundled = fs::read_to_string(spec.join("overrides.yaml")).unwrap();
    let ours = "\n- file: apiInfo.json\n  op: add\n  path: /devices/actions/get/params/11/x-reshapes\n  expect: {absent: true}\n  value: false\n  reason: test\n";
    fs::write(spec.join("overrides.yaml"), format!("{bundled}{ours}")).unwrap();
    let report = import(&release(), &spec).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(report.reshapes, 15);
    let devices = fs::read_to_string(spec.join("resources/devices.yaml")).unwrap();
    assert!(devices.contains("example: true\n    reshapes: false\n"), "{devices}");
    let (_, warnings) = codegen::check(&spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(!warnings.to_string().contains("as an object map"), "{warnings}");

    // A hand edit that drops a mark is caught.
    fs::write(spec.join("resources/devices.yaml"), devices.replacen("    reshapes: attributes\n", "", 1)).unwrap();
    let (_, warnings) = codegen::check(&spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(
        warnings.to_string().contains(
            "warning: param `attributesAsObject` says it returns `attributes` as an object map, but is not marked"
        ),
        "{warnings}"
    );
}

#[test]
fn the_lists_the_marked_params_reshape_read_both_forms_by_their_key_fields() {
    let (_, space, _) = codegen::check_types(&bundled_spec()).unwrap_or_else(|p| panic!("{p}"));
    let mut forms: Vec<String> = Vec::new();
    for def in &space.types {
        let codegen::typegen::TypeKind::Struct(fields) = &def.kind else { continue };
        for f in fields {
            if let Some(form) = &f.map_form {
                let params: Vec<&str> = form.params.iter().map(String::as_str).collect();
                forms.push(format!(
                    "{}.{} by {} / {:?} ({})",
                    def.name,
                    f.wire,
                    form.key,
                    form.value,
                    params.join(", ")
                ));
            }
        }
    }
    // `Devices.items[]` is a `Device` and `DeviceRecipes.items[]` a
    // `DeviceRecipe`: the four fields are all there are.
    assert_eq!(
        forms,
        [
            "Device.tags by key / Some(\"value\") (tagsAsObject)",
            "Device.attributes by name / None (attributesAsObject)",
            "DeviceRecipe.tags by key / Some(\"value\") (tagsAsObject)",
            "DeviceRecipe.attributes by name / None (attributesAsObject)",
        ]
    );
}

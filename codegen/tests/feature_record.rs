//! What a compatible change cannot take away, on copies of the bundled spec:
//! a struct's derives when it gains an optional float field, and the cargo
//! features a type came with when its use moves to another resource
//! (`spec/features.yaml`, kept by `codegen import` and `codegen names`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::emit::Layout;
use codegen::maintainer::diff::Impact;
use codegen::model::feature_record;
use codegen::model::features::Enabled;
use common::{bundled_spec, copy_dir};

/// A copy of the bundled spec (names table and feature record included).
fn spec_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    copy_dir(&bundled_spec(), &spec);
    (dir, spec)
}

fn codegen(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen")).args(args).output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The generated `types.rs` of a spec.
fn types_rs(spec: &Path) -> String {
    let generated = codegen::generate_with(spec, Layout::Plain).unwrap_or_else(|p| panic!("{p}"));
    generated.files.into_iter().find(|f| f.name == "types.rs").unwrap().contents
}

/// Each type of a `types.rs` with the attribute lines above it (`cfg`,
/// `derive`, ...), by name.
fn attributes(types: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = types.lines().collect();
    let mut out = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some(rest) = ["pub struct ", "pub enum ", "pub type "].iter().find_map(|p| line.strip_prefix(p)) else {
            continue;
        };
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let above = lines[..at].iter().rev().take_while(|l| !l.trim().is_empty() && !l.ends_with('}'));
        let attrs: Vec<&str> = above.filter(|l| !l.trim_start().starts_with("///")).copied().collect();
        out.push((name, attrs.into_iter().rev().collect::<Vec<_>>().join("\n")));
    }
    out
}

fn attributes_of(types: &str, name: &str) -> String {
    attributes(types).into_iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no type `{name}`")).1
}

fn warnings_about_the_record(spec: &Path) -> Vec<String> {
    let (_, _, warnings) = codegen::check_types(spec).unwrap_or_else(|p| panic!("{p}"));
    warnings.0.iter().filter(|w| w.file.ends_with(feature_record::FILE)).map(|w| w.to_string()).collect()
}

#[test]
fn the_bundled_record_is_what_the_spec_implies_and_reimporting_keeps_it() {
    assert_eq!(warnings_about_the_record(&bundled_spec()), Vec::<String>::new());
    let (_dir, spec) = spec_copy();
    let before = fs::read_to_string(spec.join(feature_record::FILE)).unwrap();
    let report = codegen::maintainer::import::import(&common::release(), &spec).unwrap_or_else(|p| panic!("{p}"));
    // `DeviceAttributePost` came with `device` & co. while the device
    // attributes were that type (before the misnomer fix of issue 18): the
    // record keeps it so. Every other type is recorded as its users compile it.
    assert!(!report.features.changed, "{:?}", report.features);
    let kept: Vec<&str> = report.features.kept.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(kept, ["DeviceAttributePost"]);
    assert_eq!(fs::read_to_string(spec.join(feature_record::FILE)).unwrap(), before);
    // Without the record, only that type's cfg differs.
    fs::remove_file(spec.join(feature_record::FILE)).unwrap();
    let (without, with) = (types_rs(&spec), types_rs(&bundled_spec()));
    let differing: Vec<(&str, &str)> = without.lines().zip(with.lines()).filter(|(a, b)| a != b).collect();
    assert!(!differing.is_empty(), "the record keeps DeviceAttributePost's features");
    assert!(
        differing
            .iter()
            .all(|(a, b)| *a == "#[cfg(feature = \"device_attributes\")]" && b.contains("feature = \"device\"")),
        "{differing:?}"
    );
}

#[test]
fn an_optional_float_field_takes_no_derive_away() {
    let (_dir, spec) = spec_copy();
    let file = spec.join("schemas/apiTokenPatch.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let edited = text.replace(
        "    - inactive\nadditionalProperties: false\n",
        "    - inactive\n  weight:\n    type: number\nadditionalProperties: false\n",
    );
    assert_ne!(edited, text, "the edit applies");
    fs::write(&file, &edited).unwrap();

    // The struct had no float anywhere; every type keeps its derives and cfg.
    let (before, after) = (types_rs(&bundled_spec()), types_rs(&spec));
    assert!(after.contains("pub weight: Option<f64>,"), "the field is generated");
    assert_eq!(attributes(&after), attributes(&before));
    assert!(attributes_of(&after, "ApiTokenPatch").contains("#[derive(Debug, Clone, PartialEq, Default, Serialize)]"));

    let (ok, stdout, stderr) = codegen(&["diff", path(&bundled_spec()), path(&spec), "--crate-version", "0.1.0"]);
    assert!(!ok, "a compatible change exits 1: {stdout}{stderr}");
    let changes: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(
        changes,
        [
            "  compatible  types::ApiTokenPatch.weight: field `weight: Option<f64>` added, with setter `weight(f64)` (spec: optional property `weight` of `apiTokenPatch` added)"
        ],
        "{stdout}"
    );
    let report = codegen::maintainer::diff::diff_specs(&bundled_spec(), &spec).unwrap();
    assert_eq!(report.count(Impact::Breaking), 0, "{report}");
}

/// Moves the action `device.getLogEntries` (the only use of `deviceLog`) to
/// the `devices` resource, as an upstream release might.
fn move_log_entries(spec: &Path) {
    let device = spec.join("resources/device.yaml");
    let text = fs::read_to_string(&device).unwrap();
    let start = text.find("- name: getLogEntries\n").unwrap();
    let end = start + 1 + text[start + 1..].find("\n- name: ").unwrap();
    let action = text[start..=end].to_string();
    fs::write(&device, format!("{}{}", &text[..start], &text[end + 1..])).unwrap();
    let devices = spec.join("resources/devices.yaml");
    let text = fs::read_to_string(&devices).unwrap();
    let at = text.find("- name: getCompositeState\n").unwrap();
    fs::write(&devices, format!("{}{action}{}", &text[..at], &text[at..])).unwrap();
}

#[test]
fn a_type_whose_use_moves_to_another_resource_keeps_its_features() {
    let (_dir, spec) = spec_copy();
    let recorded = feature_record::read(&bundled_spec()).unwrap().expect("the bundled record");
    assert_eq!(recorded["DeviceLog"], ["device".to_string()].into());
    assert_eq!(recorded["DeviceLogItem"], ["device".to_string()].into());
    move_log_entries(&spec);

    // Before the record is updated, generation already keeps `device`, and
    // `check` says the record is behind.
    let stale = warnings_about_the_record(&spec);
    assert!(stale.len() == 1 && stale[0].contains("out of date") && stale[0].contains("`DeviceLog`"), "{stale:?}");

    let (ok, stdout, stderr) = codegen(&["names", path(&spec)]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("  kept  DeviceLog with `device`\n"), "{stdout}");
    assert!(stdout.contains("  kept  DeviceLogItem with `device`\n"), "{stdout}");
    let record = fs::read_to_string(spec.join(feature_record::FILE)).unwrap();
    assert!(record.contains("\nDeviceLog: [device, devices]\nDeviceLogBlock:"), "{record}");
    assert!(record.contains("\nDeviceLogItem: [device, devices]\n"), "{record}");
    assert_eq!(warnings_about_the_record(&spec), Vec::<String>::new());
    let (ok, stdout, stderr) = codegen(&["check", path(&spec), "--deny-warnings"]);
    assert!(ok, "{stdout}{stderr}");

    // The type, and the type it holds, come with both features.
    let types = types_rs(&spec);
    for name in ["DeviceLog", "DeviceLogItem"] {
        let attrs = attributes_of(&types, name);
        assert!(attrs.starts_with("#[cfg(any(feature = \"device\", feature = \"devices\"))]"), "{name}: {attrs}");
    }
    let device_alone = codegen::generate_for(&spec, Layout::Plain, &Enabled::from_features(["device".to_string()]))
        .unwrap_or_else(|p| panic!("{p}"));
    let alone = &device_alone.files.iter().find(|f| f.name == "types.rs").unwrap().contents;
    assert!(alone.contains("pub struct DeviceLogItem {"), "a build of `device` alone still has it");

    // The diff: the action moved (removed here, added there), no feature lost.
    let report = codegen::maintainer::diff::diff_specs(&bundled_spec(), &spec).unwrap();
    let lost: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.what.contains("compiled"))
        .map(|c| format!("{}: {}", c.item, c.what))
        .collect();
    assert!(lost.is_empty(), "{report}");
    let breaking: Vec<&str> =
        report.changes.iter().filter(|c| c.impact == Impact::Breaking).map(|c| c.item.as_str()).collect();
    assert_eq!(breaking, ["device.getLogEntries"], "{report}");
    assert!(report.changes.iter().any(|c| c.impact == Impact::Compatible && c.item == "devices.getLogEntries"));

    // Re-running keeps the record; a type's line goes only with the type.
    let (ok, stdout, _) = codegen(&["names", path(&spec)]);
    assert!(ok && stdout.contains("features.yaml, unchanged)"), "{stdout}");
    let devices = spec.join("resources/devices.yaml");
    let text = fs::read_to_string(&devices).unwrap();
    let start = text.find("- name: getLogEntries\n").unwrap();
    let end = text.find("- name: getCompositeState\n").unwrap();
    fs::write(&devices, format!("{}{}", &text[..start], &text[end..])).unwrap();
    fs::remove_file(spec.join("schemas/deviceLog.yaml")).unwrap();
    let (ok, stdout, stderr) = codegen(&["names", path(&spec)]);
    assert!(ok, "{stdout}{stderr}");
    let record = feature_record::read(&spec).unwrap().unwrap();
    assert!(!record.contains_key("DeviceLog") && !record.contains_key("DeviceLogItem"), "{record:?}");
    assert_eq!(record.len(), recorded.len() - 2);
}

#[test]
fn a_missing_record_is_a_warning_and_a_malformed_one_an_error_at_its_line() {
    let (_dir, spec) = spec_copy();
    let file = spec.join(feature_record::FILE);
    fs::remove_file(&file).unwrap();
    let (ok, stdout, stderr) = codegen(&["check", path(&spec)]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stderr.contains("features.yaml: warning: no feature record"), "{stderr}");
    assert!(stderr.contains("run `codegen names` to write it"), "{stderr}");

    fs::write(&file, "# The record.\nDeviceLog: [device]\nDeviceLogItem: device\n").unwrap();
    let (ok, _, stderr) = codegen(&["check", path(&spec)]);
    assert!(!ok);
    assert!(stderr.contains("features.yaml:3:"), "{stderr}");
    assert!(stderr.contains("expected `TypeName: [feature, ...]` lines"), "{stderr}");
    let (ok, _, stderr) = codegen(&["generate", path(&spec), "--out", path(&spec.join("out"))]);
    assert!(!ok && stderr.contains("features.yaml:3:"), "{stderr}");
}

#[test]
fn a_feature_whose_resource_is_gone_leaves_the_record() {
    let (_dir, spec) = spec_copy();
    fs::remove_file(spec.join("resources/org.yaml")).unwrap();
    // The record still lists `org`, but no `cfg` may name a feature that is gone.
    let types = types_rs(&spec);
    assert!(!types.contains("feature = \"org\""), "a cfg names the gone feature `org`");
    let stale = warnings_about_the_record(&spec);
    assert!(stale.len() == 1 && stale[0].contains("out of date"), "{stale:?}");
    let (ok, stdout, stderr) = codegen(&["names", path(&spec)]);
    assert!(ok, "{stdout}{stderr}");
    let record = feature_record::read(&spec).unwrap().unwrap();
    assert!(record.values().all(|features| !features.contains("org")), "{record:?}");
    assert_eq!(warnings_about_the_record(&spec), Vec::<String>::new());
}

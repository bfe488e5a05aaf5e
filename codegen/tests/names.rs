//! Type names stay put: `spec/names.yaml` keeps every name across
//! re-imports and releases that add fields or union branches; a maintainer
//! renames a type by editing it; names no generated type may have are errors.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use codegen::maintainer::import::import;
use codegen::model::names_table;
use common::{bundled_spec, release};
use serde_json::{json, Value};

/// A copy of the bundled spec, names table included.
fn spec_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    common::copy_dir(&bundled_spec(), &spec);
    (dir, spec)
}

fn table(spec: &Path) -> names_table::Table {
    names_table::read(spec).unwrap().expect("a names table")
}

fn edit_schema(release: &Path, name: &str, edit: impl FnOnce(&mut Value)) {
    let file = release.join("schemas").join(format!("{name}.json"));
    let mut schema: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    edit(&mut schema);
    fs::write(&file, serde_json::to_string_pretty(&schema).unwrap()).unwrap();
}

#[test]
fn the_bundled_table_names_every_type_and_no_name_ends_in_a_counter() {
    let (_, space, warnings) = codegen::check_types(&bundled_spec()).unwrap_or_else(|p| panic!("{p}"));
    let about_names: Vec<String> =
        warnings.0.iter().filter(|w| w.file.ends_with(names_table::FILE)).map(|w| w.to_string()).collect();
    assert!(about_names.is_empty(), "{about_names:?}");
    let names: Vec<&str> = space.types.iter().map(|t| t.name.as_str()).collect();
    let stem = |n: &str| n.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
    let counted: Vec<&&str> =
        names.iter().filter(|n| names.iter().any(|m| m != *n && stem(m) == stem(n) && stem(n) != **n)).collect();
    assert!(counted.is_empty(), "names told apart only by trailing digits: {counted:?}");
}

#[test]
fn reimporting_the_release_renames_nothing() {
    let (_dir, spec) = spec_copy();
    let before = fs::read_to_string(spec.join(names_table::FILE)).unwrap();
    let report = import(&release(), &spec).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!((report.names.added.len(), report.names.gone.len()), (0, 0), "{:?}", report.names);
    assert_eq!(fs::read_to_string(spec.join(names_table::FILE)).unwrap(), before);
}

#[test]
fn a_release_that_adds_fields_and_union_branches_renames_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let next = dir.path().join("v1.31.0");
    common::copy_dir(&release(), &next);
    // A field on a named schema, a field deep inside an inline object, and a
    // new block type first in the dashboard's union (every branch moves down).
    edit_schema(&next, "device", |s| {
        s["properties"]["firmwareChannel"] = json!({"type": "string"});
    });
    edit_schema(&next, "org", |s| {
        s["properties"]["members"]["items"]["properties"]["lastSeen"] =
            json!({"type": "string", "format": "date-time"});
    });
    edit_schema(&next, "dashboard", |s| {
        let branches = s["properties"]["blocks"]["items"]["oneOf"].as_array_mut().unwrap();
        let mut sparkline = branches[0].clone();
        sparkline["properties"]["blockType"] = json!({"type": "string", "enum": ["sparkline"]});
        sparkline["properties"]["config"] = json!({"type": "object", "properties": {"points": {"type": "integer"}}});
        branches.insert(0, sparkline);
    });
    let (_spec_dir, spec) = spec_copy();
    let old = table(&spec);
    let report = import(&next, &spec).unwrap_or_else(|p| panic!("{p}"));
    let new = table(&spec);
    assert!(report.names.gone.is_empty(), "names gone: {:?}", report.names.gone);
    for (place, name) in &old {
        assert_eq!(new.get(place), Some(name), "the type at `{place}` was renamed");
    }
    // New names go to new places, and to places whose shape no longer equals
    // the type they shared (only `device` got the field, not `devices.items[]`).
    let added: Vec<&str> = report.names.added.iter().map(|(_, n)| n.as_str()).collect();
    assert!(added.contains(&"SparklineBlock"), "the new branch gets a name of its own: {added:?}");
    for (place, _) in &report.names.added {
        assert!(!old.contains_key(place), "`{place}` had a name already");
    }

    // The edited types keep their names in the generated code too.
    let generated = codegen::generate(&spec).unwrap_or_else(|p| panic!("{p}"));
    let types = &generated.files.iter().find(|f| f.name == "types.rs").unwrap().contents;
    assert!(types.contains("pub struct OrgMember {"));
    assert!(types.contains("pub struct GraphBlock {"));
    assert!(types.contains("Sparkline(SparklineBlock)"));
}

#[test]
fn a_maintainer_renames_a_type_in_the_table() {
    let (_dir, spec) = spec_copy();
    let text = fs::read_to_string(spec.join(names_table::FILE)).unwrap();
    fs::write(
        spec.join(names_table::FILE),
        // A type is the set of its places: renaming it renames each of its lines.
        text.replace(": OrgMember\n", ": Membership\n"),
    )
    .unwrap();
    let generated = codegen::generate(&spec).unwrap_or_else(|p| panic!("{p}"));
    let types = &generated.files.iter().find(|f| f.name == "types.rs").unwrap().contents;
    assert!(types.contains("pub struct Membership {"));
    assert!(!types.contains("pub struct OrgMember {"));
    // Re-importing keeps the maintainer's name.
    let report = import(&release(), &spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(report.names.gone.is_empty() && report.names.added.is_empty(), "{:?}", report.names);
    assert_eq!(table(&spec).get("org.members[]").map(String::as_str), Some("Membership"));
}

#[test]
fn a_name_two_types_want_or_that_is_no_type_name_is_an_error() {
    for (from, to, said) in [
        // Shapes with no field in common cannot be one type.
        ("\norg.members[]: OrgMember\n", "\norg.members[]: OrgLimits\n", "`OrgLimits`"),
        ("\norg.members[]: OrgMember\n", "\norg.members[]: org-member\n", "`org-member`"),
        ("\norg.members[]: OrgMember\n", "\norg.members[]: Option\n", "`Option`"),
    ] {
        let (_dir, spec) = spec_copy();
        let text = fs::read_to_string(spec.join(names_table::FILE)).unwrap();
        fs::write(spec.join(names_table::FILE), text.replace(from, to)).unwrap();
        let problems = codegen::generate(&spec).expect_err("a bad name must stop generation").to_string();
        assert!(problems.contains("names.yaml") && problems.contains(said), "{problems}");
    }
}

#[test]
fn a_place_that_is_gone_is_reported_and_dropped() {
    let (_dir, spec) = spec_copy();
    let mut text = fs::read_to_string(spec.join(names_table::FILE)).unwrap();
    text.push_str("org.formerField: FormerThing\n");
    fs::write(spec.join(names_table::FILE), text).unwrap();
    let (_, _, warnings) = codegen::check_types(&spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(warnings.to_string().contains("org.formerField"), "{warnings}");
    let update = codegen::update_names(&spec).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(update.gone, vec![("org.formerField".to_string(), "FormerThing".to_string())]);
    assert!(!table(&spec).contains_key("org.formerField"));
}

//! Generating for some features only (what the client's build script does
//! for a build of `org` alone): the same code as the full generation for
//! what is emitted, and nothing that none of those features compiles.

mod common;

use codegen::emit::Layout;
use codegen::model::features::Enabled;

fn only(features: &[&str]) -> Enabled {
    Enabled::from_features(features.iter().map(|f| f.to_string()))
}

/// The items of a generated file, split at the blank lines between them.
/// `types.rs` without the credential test at its end, which has a case per
/// emitted type and so differs between a subset and the whole.
fn before_test(text: &str) -> &str {
    text.split("/// Every type with a credential field").next().unwrap_or(text)
}

fn items(contents: &str) -> Vec<&str> {
    contents.split("\n\n").map(str::trim).filter(|item| !item.is_empty()).collect()
}

/// Generates for `feature` alone and checks it against the full generation:
/// its own module and `api.rs` unchanged, `types.rs` and `params.rs` a small
/// subset of the full files' items, each byte for byte and in order.
fn check_alone(feature: &str) -> codegen::Generated {
    let spec = common::bundled_spec();
    let full = codegen::generate_with(&spec, Layout::Plain).unwrap();
    let alone = codegen::generate_for(&spec, Layout::Plain, &only(&[feature])).unwrap();

    let names: Vec<&str> = alone.files.iter().map(|f| f.name.as_str()).collect();
    let module = format!("{feature}.rs");
    assert_eq!(names, ["api.rs", "types.rs", "schema_index.rs", "params.rs", module.as_str()]);
    for file in &alone.files {
        let whole = full.files.iter().find(|f| f.name == file.name).unwrap();
        if file.name != "types.rs" && file.name != "params.rs" {
            assert_eq!(file.contents, whole.contents, "{} differs from the full generation", file.name);
            continue;
        }
        // The credential test at the end of `types.rs` has a case per emitted
        // type, so it differs: the types before it are compared.
        let kept = items(before_test(&file.contents));
        let all = items(before_test(&whole.contents));
        assert!(kept.len() * 10 < all.len(), "{}: {} of {} items kept", file.name, kept.len(), all.len());
        let mut rest = all.iter();
        // The serde import's `cfg` lists the features of the emitted items.
        for item in kept.iter().filter(|item| !item.ends_with("use serde::{Deserialize, Serialize};")) {
            assert!(rest.any(|i| i == item), "{}: not in the full file, or out of order:\n{item}", file.name);
        }
    }
    alone
}

fn file<'a>(generated: &'a codegen::Generated, name: &str) -> &'a str {
    &generated.files.iter().find(|f| f.name == name).unwrap().contents
}

#[test]
fn one_resource_gets_its_module_and_the_types_it_uses_unchanged() {
    let org = check_alone("org");
    let types = file(&org, "types.rs");
    assert!(types.contains("pub struct Org {"), "the org's own type is emitted");
    assert!(types.contains("pub struct OrgMember {"), "and the types it holds");
    assert!(!types.contains("pub struct Device {"), "a type only `device` uses is left out");
}

#[test]
fn one_resource_gets_the_param_enums_its_actions_take() {
    let certificates = check_alone("application_certificates");
    let params = file(&certificates, "params.rs");
    assert!(params.contains("pub enum ApplicationCertificatesFilterField {"), "{params}");
    // Another resource's enum is left out.
    assert!(!params.contains("pub enum ApiTokensSortField {"), "{params}");
}

#[test]
fn the_full_feature_and_the_cli_generate_everything() {
    let spec = common::bundled_spec();
    let full = codegen::generate_with(&spec, Layout::Plain).unwrap();
    let selected = codegen::generate_for(&spec, Layout::Plain, &only(&["full", "org", "blocking"])).unwrap();
    assert_eq!(full.files, selected.files);
    assert_eq!(only(&["full"]), Enabled::All);
}

#[test]
fn no_resource_gets_no_types_and_no_serde_import() {
    let spec = common::bundled_spec();
    let none = codegen::generate_for(&spec, Layout::Plain, &only(&[])).unwrap();
    let names: Vec<&str> = none.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["api.rs", "types.rs", "schema_index.rs", "params.rs"]);
    for file in ["types.rs", "params.rs"] {
        let contents = &none.files.iter().find(|f| f.name == file).unwrap().contents;
        assert!(!contents.contains("pub struct") && !contents.contains("pub enum"), "{file}:\n{contents}");
        // An import nothing uses would be a warning in every such build.
        assert!(!contents.contains("use serde"), "{file}:\n{contents}");
    }
}

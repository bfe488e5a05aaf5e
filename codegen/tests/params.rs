//! The Rust types of the bundled spec's params (`codegen::params`): which
//! params became enums, integers and booleans, and how the enums are named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use codegen::model::{Api, Origin};
use codegen::params::{kind, Kind, ParamEnums, ParamRust};
use codegen::typegen::TypeSpace;

fn bundled() -> (Api, TypeSpace) {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let (api, space, _) = codegen::check_types(&spec).unwrap_or_else(|problems| panic!("{problems}"));
    (api, space)
}

/// Every param an action declares (resource path params and its own), with its `resource.action`.
fn params(api: &Api) -> impl Iterator<Item = (String, &codegen::model::Param)> {
    api.resources.iter().flat_map(|r| {
        r.actions.iter().flat_map(move |a| {
            a.params.iter().filter(|p| p.origin != Origin::Global).map(move |p| (format!("{}.{}", r.name, a.name), p))
        })
    })
}

#[test]
fn params_with_values_get_enums_and_numbers_and_booleans_get_their_types() {
    let (api, space) = bundled();
    let enums = ParamEnums::build(&api, &space);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, p) in params(&api) {
        let what = match enums.rust(p) {
            ParamRust::Declared => "declared",
            ParamRust::Text => "text",
            ParamRust::Integer => "integer",
            ParamRust::Boolean => "boolean",
            ParamRust::Enum(_) => "enum",
            ParamRust::Secret => "secret",
            ParamRust::Millis => "millis",
        };
        *counts.entry(what).or_default() += 1;
    }
    let with_enum = params(&api).filter(|(_, p)| p.allowed.is_some()).count();
    // Every param with an `enum` is an enum but the 7 `resolution`s, whose values are integers.
    assert_eq!(with_enum, 164);
    assert_eq!(counts["enum"], 164 - 7, "{counts:?}");
    let expected: BTreeMap<&str, usize> = [
        ("declared", 175),
        ("text", 708),
        ("integer", 142),
        ("boolean", 64),
        ("enum", 157),
        ("secret", 3),
        ("millis", 84),
    ]
    .into();
    assert_eq!(counts, expected, "{counts:?}");

    let of = |action: &str, name: &str| {
        let (_, p) = params(&api).find(|(a, p)| a == action && p.name == name).unwrap();
        kind(p)
    };
    assert_eq!(of("devices.get", "perPage"), Kind::Integer);
    assert_eq!(of("dashboard.get", "password"), Kind::Secret);
    assert_eq!(of("org.deviceCounts", "start"), Kind::Millis, "(ms since epoch)");
    assert_eq!(of("device.removeData", "end"), Kind::Millis, "negative is relative to now");
    assert_eq!(of("orgInvites.get", "token"), Kind::Secret);
    assert_eq!(of("devices.get", "page"), Kind::Integer);
    assert_eq!(of("devices.get", "sortDirection"), Kind::Enum);
    assert_eq!(of("application.payloadCountsBreakdown", "resolution"), Kind::Integer);
    assert_eq!(of("application.payloadCounts", "asBytes"), Kind::Boolean);
    assert_eq!(of("dataTableRows.delete", "limit"), Kind::Integer, "a quoted integer default and example");
    assert_eq!(of("instance.historicalSummaries", "month"), Kind::Text, "default `now`, example a timestamp");
    assert_eq!(of("experience.delete", "keepUsers"), Kind::Text, "a presence flag: `If this is set`");
    assert_eq!(of("devices.get", "applicationId"), Kind::Text);
}

#[test]
fn enums_are_shared_by_values_and_named_by_meaning() {
    let (api, space) = bundled();
    let enums = ParamEnums::build(&api, &space);
    let names: BTreeSet<&str> = enums.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), enums.enums.len());
    // `types` has a `SortDirection` (with more values): the param's takes `Param`.
    let direction = enums.enums.iter().find(|e| e.name == "SortDirectionParam").unwrap();
    assert_eq!(direction.users.len(), 56);
    let fields = ["SortFieldParam", "ApiTokensSortField", "DevicesGetSortField", "DevicesGetCompositeStateSortField"];
    for name in fields.into_iter().chain(["FilterField", "CredentialsOrFilesSortField"]) {
        assert!(names.contains(name), "no {name} among {names:?}");
    }
    // No counters: no name ends in a digit, and none collides with a schema type.
    let types: BTreeSet<&str> = space.types.iter().map(|t| t.name.as_str()).collect();
    for name in &names {
        assert!(!name.ends_with(|c: char| c.is_ascii_digit()), "{name}");
        assert!(!types.contains(name), "{name} is also a schema type");
    }
}

#[test]
fn the_generated_client_takes_typed_params() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let generated = codegen::generate(&spec).unwrap();
    let file = |name: &str| &generated.files.iter().find(|f| f.name == name).unwrap().contents;
    let devices = file("devices.rs");
    assert!(devices.contains("pub fn per_page(mut self, value: impl crate::IntoParam<i64>) -> Self"), "{devices}");
    assert!(devices.contains("value: impl crate::IntoParam<crate::params::SortDirectionParam>"));
    assert!(file("params.rs").contains("pub enum SortDirectionParam {"));
    let enum_setters: usize = generated
        .files
        .iter()
        .map(|f| {
            f.contents.split_whitespace().collect::<String>().matches("implcrate::IntoParam<crate::params::").count()
        })
        .sum();
    assert_eq!(enum_setters, 157, "one per enum param, setters and arguments");
}

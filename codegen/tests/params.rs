//! The Rust types of the bundled spec's params (`codegen::model::params`): which
//! params became enums, integers and booleans, and how the enums are named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use codegen::model::params::{kind, Kind, ParamEnums, ParamRust};
use codegen::model::{Api, Origin};
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
    // `types` has a `SortDirection` too (with more values): the modules tell them apart.
    let direction = enums.enums.iter().find(|e| e.name == "SortDirection").unwrap();
    assert_eq!(direction.users.len(), 56);
    let fields = ["SortField", "ApiTokensSortField", "DevicesGetSortField", "DevicesGetCompositeStateSortField"];
    for name in fields.into_iter().chain(["FilterField", "CredentialsOrFilesSortField"]) {
        assert!(names.contains(name), "no {name} among {names:?}");
    }
    // No counters: no name ends in a digit.
    for name in &names {
        assert!(!name.ends_with(|c: char| c.is_ascii_digit()), "{name}");
    }
    // A param enum is always named `params::X` and a schema type `types::X`
    // (see `the_generated_client_takes_typed_params`), so they may share a
    // name; a schema type added later renames no param enum.
    let types: BTreeSet<&str> = space.types.iter().map(|t| t.name.as_str()).collect();
    assert!(types.contains("SortDirection") && names.contains("SortDirection"));
}

#[test]
fn the_generated_client_takes_typed_params() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let generated = codegen::generate(&spec).unwrap();
    let file = |name: &str| &generated.files.iter().find(|f| f.name == name).unwrap().contents;
    let devices = file("devices.rs");
    assert!(devices.contains("pub fn per_page(mut self, value: impl crate::IntoParam<i64>) -> Self"), "{devices}");
    assert!(devices.contains("value: impl crate::IntoParam<crate::params::SortDirection>"));
    assert!(file("params.rs").contains("pub enum SortDirection {"));
    let enum_setters: usize = generated
        .files
        .iter()
        .map(|f| {
            f.contents.split_whitespace().collect::<String>().matches("implcrate::IntoParam<crate::params::").count()
        })
        .sum();
    assert_eq!(enum_setters, 157, "one per enum param, setters and arguments");
}

// Identity across releases: a param enum is the set of its places in
// `spec/names.yaml` (`devices.get(sortField): DevicesGetSortField`).

mod common;

use std::fs;
use std::path::PathBuf;

use codegen::maintainer::diff::Impact;
use codegen::maintainer::surface::Surface;
use codegen::model::names_table::{self, Table};
use serde_json::{json, Value};

/// A copy of the bundled spec, names table included.
fn spec_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    common::copy_dir(&common::bundled_spec(), &spec);
    (dir, spec)
}

fn table(spec: &Path) -> Table {
    names_table::read(spec).unwrap().expect("a names table")
}

/// The param lines of a table.
fn param_lines(table: &Table) -> Table {
    table
        .iter()
        .filter(|(place, _)| codegen::model::params::is_place(place))
        .map(|(p, n)| (p.clone(), n.clone()))
        .collect()
}

/// A copy of the upstream release, its `apiInfo.json` edited as a release would.
fn next_release(parent: &Path, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let release = parent.join("v1.31.0");
    common::copy_dir(&common::release(), &release);
    let file = release.join("apiInfo.json");
    let mut api: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    edit(&mut api);
    fs::write(&file, serde_json::to_string(&api).unwrap()).unwrap();
    release
}

/// The param named `name` of an action in `apiInfo.json`.
fn param_mut<'a>(api: &'a mut Value, resource: &str, action: &str, name: &str) -> &'a mut Value {
    api[resource]["actions"][action]["params"].as_array_mut().unwrap().iter_mut().find(|p| p["name"] == name).unwrap()
}

fn surface(spec: &Path) -> (Surface, codegen::model::params::ParamEnums) {
    let (api, space, _) = codegen::check_types(spec).unwrap_or_else(|p| panic!("{p}"));
    (Surface::of(&api, &space), ParamEnums::build(&api, &space))
}

#[test]
fn a_release_that_adds_values_and_places_renames_no_param_enum_and_changes_no_setter() {
    let (_spec_dir, spec) = spec_copy();
    let old_table = table(&spec);
    let old_lines = param_lines(&old_table);
    let old_spec = tempfile::tempdir().unwrap();
    common::copy_dir(&spec, old_spec.path());
    let dir = tempfile::tempdir().unwrap();
    let release = next_release(dir.path(), |api| {
        // 1. A value added to `sortField` at one of the 14 actions sharing the general enum.
        param_mut(api, "flows", "get", "sortField")["enum"].as_array_mut().unwrap().push(json!("lastTriggered"));
        // 2. A new resource whose list action takes `notebooks.get`'s params as they are.
        let mut list = api["notebooks"]["actions"]["get"].clone();
        list["auth"] = json!(["notebookTemplates.get"]);
        list["summary"] = json!("Returns the notebook templates of an application");
        api["notebookTemplates"] = json!({
            "path": "/applications/{applicationId}/notebook-templates",
            "params": api["notebooks"]["params"].clone(),
            "actions": {"get": list},
        });
        // 3. A new action whose `sortField` has values of its own: the name
        // it derives, `NotebooksSortField`, is `notebooks.get`'s.
        let mut search = api["notebooks"]["actions"]["get"].clone();
        search["path"] = json!("/search");
        search["auth"] = json!(["notebooks.search"]);
        search["summary"] = json!("Searches the notebooks of an application");
        let sort = search["params"].as_array_mut().unwrap().iter_mut().find(|p| p["name"] == "sortField").unwrap();
        sort["enum"] = json!(["name", "score"]);
        api["notebooks"]["actions"]["search"] = search;
    });

    let report = codegen::maintainer::import::import(&release, &spec)
        .unwrap_or_else(|p| panic!("the routine must not stop: {p}"));
    let new_table = table(&spec);
    for (place, name) in &old_table {
        assert_eq!(new_table.get(place), Some(name), "the name at `{place}` changed");
    }
    // The general `sortField` enum keeps its name and gains the value.
    let general = &old_lines["flows.get(sortField)"];
    assert_eq!(&new_table["orgs.get(sortField)"], general);
    let (after, enums) = surface(&spec);
    let merged = enums.enums.iter().find(|e| &e.name == general).unwrap();
    assert!(merged.values.iter().any(|v| v.wire == "lastTriggered"), "{merged:?}");
    assert_eq!(merged.users.len(), 14, "no place left the shared enum");
    // The new resource joins the enums its param's value sets already have.
    for param in ["sortField", "sortDirection", "filterField"] {
        assert_eq!(
            new_table[&format!("notebookTemplates.get({param})")],
            old_lines[&format!("notebooks.get({param})")],
            "{param}"
        );
    }
    // The new action's derived name is taken: it is qualified by its action, and a note says why.
    assert_eq!(new_table["notebooks.search(sortField)"], "NotebooksSearchSortField");
    let notes = report.names.notes.join("\n");
    assert!(
        notes.contains("`notebooks.search(sortField)`")
            && notes.contains("`notebooks.get(sortField)`")
            && notes.contains("`NotebooksSortField`")
            && notes.contains("`NotebooksSearchSortField`"),
        "{notes}"
    );
    // Every setter and argument of the old client has the same type.
    let (before, _) = surface(old_spec.path());
    for (resource, old) in &before.resources {
        for (action, was) in &old.actions {
            let now = &after.resources[resource].actions[action];
            assert_eq!(was.setters, now.setters, "{resource}.{action}");
            assert_eq!(was.args, now.args, "{resource}.{action}");
        }
    }
    // `check --deny-warnings` passes, and the diff calls the value compatible.
    let (_, _, problems) = codegen::check_types(&spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(problems.without_notes().0.is_empty(), "{problems}");
    let diff = codegen::maintainer::diff::diff_specs(old_spec.path(), &spec).unwrap_or_else(|p| panic!("{p}"));
    let breaking: Vec<String> =
        diff.changes.iter().filter(|c| c.impact == Impact::Breaking).map(|c| format!("{c:?}")).collect();
    assert!(breaking.is_empty(), "{breaking:#?}");
    let added = diff
        .changes
        .iter()
        .find(|c| c.group == "params" && c.item.contains(general.as_str()) && c.what.contains("LastTriggered"))
        .unwrap_or_else(|| panic!("no change for the value: {:#?}", diff.changes));
    assert_eq!(added.impact, Impact::Compatible, "{added:?}");
    // Re-importing the same release changes nothing.
    let again = codegen::maintainer::import::import(&release, &spec).unwrap_or_else(|p| panic!("{p}"));
    assert!(again.names.added.is_empty() && again.names.gone.is_empty(), "{:?}", again.names);
    assert_eq!(table(&spec), new_table);
}

#[test]
fn the_table_names_a_place_whatever_its_values_and_refuses_one_name_for_two_params() {
    let (_spec_dir, spec) = spec_copy();
    let file = spec.join(names_table::FILE);
    let text = fs::read_to_string(&file).unwrap();
    // A maintainer names `devices.get`'s own sort field like another one's: they merge.
    let edited =
        text.replace("devices.get(sortField): DevicesGetSortField", "devices.get(sortField): NotebooksSortField");
    assert_ne!(edited, text);
    fs::write(&file, &edited).unwrap();
    let (_, enums) = surface(&spec);
    let merged = enums.enums.iter().find(|e| e.name == "NotebooksSortField").unwrap();
    assert_eq!(merged.users.iter().map(|u| u.action.as_str()).collect::<Vec<_>>(), ["devices.get", "notebooks.get"]);
    for wire in ["lastExecutionRequested", "connectionStatus"] {
        assert!(merged.values.iter().any(|v| v.wire == wire), "{wire}: {merged:?}");
    }
    assert!(!enums.enums.iter().any(|e| e.name == "DevicesGetSortField"));
    // One name for two params is refused at its line, naming both places.
    let edited = text.replace("devices.get(sortDirection): ", "devices.get(sortDirection): DevicesGetSortField #");
    fs::write(&file, &edited).unwrap();
    let Err(problems) = codegen::check_types(&spec) else { panic!("one name for two params is an error") };
    let problems = problems.to_string();
    assert!(
        problems.contains("names.yaml:")
            && problems.contains("`devices.get(sortDirection)`")
            && problems.contains("`devices.get(sortField)`"),
        "{problems}"
    );
    // So is a name no enum can have.
    let edited = text.replace("devices.get(sortField): DevicesGetSortField", "devices.get(sortField): Option");
    fs::write(&file, &edited).unwrap();
    let Err(problems) = codegen::check_types(&spec) else { panic!("a reserved name is an error") };
    let problems = problems.to_string();
    assert!(problems.contains("`Option`") && problems.contains("`devices.get(sortField)`"), "{problems}");
}

#[test]
fn the_bundled_param_names_are_the_rules_and_short() {
    let (_spec_dir, spec) = spec_copy();
    let bundled = table(&spec);
    let lines = param_lines(&bundled);
    // One line per enum param place.
    assert_eq!(lines.len(), 157);
    for name in lines.values() {
        assert!(
            name.len() <= codegen::model::params::MAX_LEN,
            "{name} is longer than {}",
            codegen::model::params::MAX_LEN
        );
        // `InstanceOrgInvitesOrMembersFilterField`: the words, then the `Or`s among them.
        let words = name.char_indices().filter(|(_, c)| c.is_ascii_uppercase()).map(|(i, _)| i).chain([name.len()]);
        let starts: Vec<usize> = words.collect();
        let ors = starts.windows(2).filter(|w| &name[w[0]..w[1]] == "Or").count();
        assert!(ors <= 1, "{name} joins more than two things");
    }
    // Derived again from no param lines at all, every name is the table's:
    // the table holds no name the rules would not give today.
    let without: Table = bundled
        .iter()
        .filter(|(p, _)| !codegen::model::params::is_place(p))
        .map(|(p, n)| (p.clone(), n.clone()))
        .collect();
    fs::write(spec.join(names_table::FILE), names_table::render(&without)).unwrap();
    let update = codegen::update_names(&spec).unwrap_or_else(|p| panic!("{p}"));
    // Every param enum is new (the same names as schema types' included: the
    // table compares names within their kind).
    let added: BTreeSet<&String> = update.added.iter().map(|(_, name)| name).collect();
    assert_eq!(added, lines.values().collect::<BTreeSet<_>>(), "{update:?}");
    assert_eq!(table(&spec), bundled);
}

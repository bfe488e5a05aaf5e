//! Broken specs give diagnostics that name the file, the line and the item.
//!
//! Each test copies the bundled spec into a temporary directory, breaks one
//! thing in it, and checks what `codegen::check` says and where. Expected lines
//! are found in the broken text itself, so the tests follow spec edits.

mod common;

use std::fs;

use common::copy_dir;
use std::path::{Path, PathBuf};

use codegen::{Diagnostic, Severity};

struct Spec {
    dir: tempfile::TempDir,
}

impl Spec {
    /// A copy of the bundled spec.
    fn bundled() -> Spec {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&source, dir.path());
        Spec { dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// Replaces the first occurrence of `from` (which must exist) in `file`.
    fn replace(&self, file: &str, from: &str, to: &str) -> &Self {
        let path = self.path(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self
    }

    /// The 1-based line of the first occurrence of `needle` in `file`.
    fn line_of(&self, file: &str, needle: &str) -> usize {
        let text = fs::read_to_string(self.path(file)).unwrap();
        let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {file}"));
        text[..at].lines().count() + usize::from(text[..at].ends_with('\n') || at == 0)
    }

    /// The errors `codegen check` reports: of the files, then of the types.
    fn errors(&self) -> Vec<Diagnostic> {
        match codegen::check_types(self.dir.path()) {
            Ok(_) => panic!("the broken spec passed the checks"),
            Err(problems) => problems.sorted().into_iter().filter(|d| d.severity == Severity::Error).collect(),
        }
    }

    /// The only error; its file, line, message and item are checked.
    fn single_error(&self, file: &str, line: usize, message: &str, item: Option<&str>) -> Diagnostic {
        let errors = self.errors();
        assert_eq!(errors.len(), 1, "expected one error, got:\n{}", render(&errors));
        let error = errors.into_iter().next().unwrap();
        assert_eq!(error.file, self.path(file), "{error}");
        assert_eq!(error.line, Some(line), "{error}");
        assert!(error.message.contains(message), "expected {message:?} in: {error}");
        assert_eq!(error.item.as_deref(), item, "{error}");
        error
    }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

const ORG: &str = "resources/org.yaml";

#[test]
fn the_bundled_spec_has_no_errors_no_warnings_and_only_known_notes() {
    let (api, diagnostics) = codegen::check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap();
    // Upstream facts that need no action are notes; nothing is a warning.
    let known = ["is not used by any action", "action has no summary", "is deprecated"];
    let unknown: Vec<_> = diagnostics
        .0
        .iter()
        .filter(|d| d.severity != Severity::Note || !known.iter().any(|k| d.message.contains(k)))
        .cloned()
        .collect();
    assert!(unknown.is_empty(), "{}", render(&unknown));
    assert_eq!(api.resources.len(), 99);
    assert_eq!(api.resources.iter().map(|r| r.actions.len()).sum::<usize>(), 375);
    let org = api.resources.iter().find(|r| r.name == "org").unwrap();
    assert_eq!(org.actions.len(), 13);
}

#[test]
fn yaml_syntax_error() {
    let spec = Spec::bundled();
    spec.replace(ORG, "summary: Deletes an organization", "summary: [Deletes an organization");
    let line = spec.line_of(ORG, "summary: [Deletes");
    // The parser notices the unclosed flow sequence on a later line; it must be near.
    let error = &spec.errors()[0];
    assert_eq!(error.file, spec.path(ORG));
    let reported = error.line.unwrap();
    assert!((line..=line + 2).contains(&reported), "reported line {reported}, broken line {line}: {error}");
    assert!(error.to_string().contains(&format!("org.yaml:{reported}:")), "{error}");
}

#[test]
fn unknown_schema_ref_names_the_closest_schema() {
    let spec = Spec::bundled();
    spec.replace(ORG, "schema: orgPatch", "schema: orgPach");
    let line = spec.line_of(ORG, "schema: orgPach");
    let error = spec.single_error(
        ORG,
        line,
        "unknown schema `orgPach`",
        Some("resources.org.actions.patch.params.organization"),
    );
    assert_eq!(error.hint.as_deref(), Some("did you mean `orgPatch`?"));
    assert_eq!(error.column, Some(13));
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("{}:{line}:13: error: unknown schema `orgPach`", spec.path(ORG).display())),
        "{text}"
    );
}

#[test]
fn undeclared_path_param() {
    let spec = Spec::bundled();
    spec.replace(ORG, "path: /deviceCounts", "path: /deviceCounts/{day}");
    let line = spec.line_of(ORG, "path: /deviceCounts/{day}");
    spec.single_error(ORG, line, "path param `{day}` is not declared", Some("resources.org.actions.deviceCounts"));
}

#[test]
fn declared_path_param_missing_from_the_path() {
    let spec = Spec::bundled();
    spec.replace(ORG, "path: /orgs/{orgId}", "path: /orgs");
    let line = spec.line_of(ORG, "- name: orgId");
    spec.single_error(
        ORG,
        line,
        "path param `orgId` does not appear in the path `/orgs`",
        Some("resources.org.params.orgId"),
    );
}

#[test]
fn duplicate_action() {
    let spec = Spec::bundled();
    spec.replace(ORG, "- name: deviceCounts", "- name: delete");
    let line = spec.line_of(ORG, "- name: delete\n  title: Device Counts");
    spec.single_error(ORG, line, "action `delete` is defined twice", Some("resources.org.actions.delete"));
}

#[test]
fn actions_whose_rust_names_collide() {
    let spec = Spec::bundled();
    spec.replace(ORG, "- name: deviceCounts", "- name: Get");
    let line = spec.line_of(ORG, "- name: get\n");
    spec.single_error(
        ORG,
        line,
        "actions `Get` and `get` both become the method `get`",
        Some("resources.org.actions.get"),
    );
}

#[test]
fn unknown_http_method() {
    let spec = Spec::bundled();
    spec.replace(ORG, "method: DELETE", "method: DELET");
    let line = spec.line_of(ORG, "method: DELET\n");
    let error = spec.single_error(ORG, line, "unknown HTTP method `DELET`", Some("resources.org.actions.delete"));
    assert!(error.hint.unwrap().contains("GET, POST, PUT, PATCH, DELETE"));
}

#[test]
fn missing_required_field() {
    let spec = Spec::bundled();
    spec.replace(ORG, "  method: DELETE\n", "");
    let line = spec.line_of(ORG, "- name: delete");
    let error = spec.single_error(ORG, line, "missing field `method`", None);
    assert!(error.message.contains("actions[0]"), "{error}");
}

#[test]
fn unknown_param_location() {
    let spec = Spec::bundled();
    spec.replace(ORG, "in: query", "in: cookie");
    let line = spec.line_of(ORG, "in: cookie");
    spec.single_error(
        ORG,
        line,
        "unknown variant `cookie`, expected one of `path`, `query`, `header`, `body`, `multipart`",
        None,
    );
}

#[test]
fn misspelled_key() {
    let spec = Spec::bundled();
    spec.replace(ORG, "required: true", "requird: true");
    let line = spec.line_of(ORG, "requird: true");
    spec.single_error(ORG, line, "unknown field `requird`", None);
}

#[test]
fn duplicate_param() {
    let spec = Spec::bundled();
    spec.replace(ORG, "name: summaryInclude", "name: summaryExclude");
    let line = spec.line_of(ORG, "- name: summaryExclude\n    in: query\n    type: string\n    description: Comma-separated list of summary fields to include");
    spec.single_error(
        ORG,
        line,
        "param `summaryExclude` is declared twice",
        Some("resources.org.actions.get.params.summaryExclude"),
    );
}

#[test]
fn param_that_clashes_with_a_global_in_rust() {
    let spec = Spec::bundled();
    spec.replace(ORG, "name: summaryInclude", "name: actions");
    let line = spec.line_of(ORG, "- name: actions");
    spec.single_error(
        ORG,
        line,
        "params `_actions` and `actions` both become `actions` in Rust",
        Some("resources.org.actions.get.params.actions"),
    );
}

#[test]
fn status_that_is_not_http() {
    let spec = Spec::bundled();
    spec.replace(ORG, "status: 404", "status: 4040");
    let line = spec.line_of(ORG, "status: 4040");
    spec.single_error(ORG, line, "`4040` is not an HTTP status", Some("resources.org.actions.delete"));
}

#[test]
fn path_param_that_is_not_required() {
    let spec = Spec::bundled();
    spec.replace(ORG, "  required: true\n  description: ID associated", "  description: ID associated");
    let line = spec.line_of(ORG, "- name: orgId");
    spec.single_error(ORG, line, "a path param must be required", Some("resources.org.params.orgId"));
}

#[test]
fn unknown_type_in_a_schema() {
    let spec = Spec::bundled();
    let file = "schemas/orgPatch.yaml";
    spec.replace(file, "type: string", "type: strin");
    let line = spec.line_of(file, "type: strin");
    spec.single_error(file, line, "unknown schema type \"strin\"", Some("schemas.orgPatch"));
}

#[test]
fn missing_api_file() {
    let spec = Spec::bundled();
    fs::remove_file(spec.path("api.yaml")).unwrap();
    let errors = spec.errors();
    assert_eq!(errors.len(), 1, "{}", render(&errors));
    assert_eq!(errors[0].file, spec.path("api.yaml"));
    assert!(errors[0].message.starts_with("cannot read file"), "{}", errors[0]);
}

#[test]
fn a_reshaping_param_must_name_a_list_its_responses_have() {
    // One mark at a time in place of `reshapes: tags` on `device.get`'s
    // `tagsAsObject`: (the mark, the error it must be).
    let marks = [
        // A stale mark: no success response of `device.get` has a list `tag`.
        (
            "tag",
            "param `tagsAsObject` reshapes `tag`, but no list of objects named `tag` is in its success responses (`device`)",
        ),
        // A list of text is no list of items: nothing takes the map's keys.
        ("ancestorIds", "reshapes `ancestorIds`, but no list of objects named `ancestorIds`"),
        // `true` names no field.
        ("true", "`reshapes` names the response field, or is `false`"),
    ];
    let mut hint = None;
    for (mark, message) in marks {
        let spec = Spec::bundled();
        spec.replace("resources/device.yaml", "    reshapes: tags\n", &format!("    reshapes: {mark}\n"));
        let line = spec.line_of("resources/device.yaml", &format!("reshapes: {mark}\n"));
        let error = spec.single_error(
            "resources/device.yaml",
            line,
            message,
            Some("resources.device.actions.get.params.tagsAsObject"),
        );
        hint = error.hint;
    }
    // The last, `true`: the hint names the field the description gives.
    assert_eq!(hint.as_deref(), Some("`reshapes: tags`, as its description says"));
}

#[test]
fn a_reshaped_list_needs_items_that_can_take_the_maps_keys() {
    // Tags without a required text field: no field can hold the map's keys,
    // for any of the 8 params that reshape a list of these items.
    let spec = Spec::bundled();
    spec.replace("schemas/device.yaml", "      required:\n      - key\n      - value\n", "");
    let errors = spec.errors();
    let line = spec.line_of("resources/device.yaml", "reshapes: tags\n");
    assert!(
        errors.iter().all(|e| e.message.contains("whose items have no required text field to hold the map's keys")),
        "{}",
        render(&errors)
    );
    assert!(
        errors.iter().any(|e| e.file == spec.path("resources/device.yaml")
            && e.line == Some(line)
            && e.message.contains("param `tagsAsObject` reshapes `Device.tags`")
            && e.item.as_deref() == Some("resources.device.actions.get.params.tagsAsObject")),
        "{}",
        render(&errors)
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let spec = Spec::bundled();
    spec.replace(ORG, "method: DELETE", "method: DELET").replace(ORG, "schema: orgPatch", "schema: nope").replace(
        "schemas/orgPatch.yaml",
        "type: string",
        "type: text",
    );
    let errors = spec.errors();
    assert_eq!(errors.len(), 3, "{}", render(&errors));
}

#[test]
fn garbage_never_panics() {
    let inputs: [&[u8]; 7] =
        [b"", b"- a\n- b\n", b"name: [", b"\xff\xfe\x00binary", b"name: 3\npath: 4\n", b"&a [*a]", b"actions: {a: 1}"];
    for input in inputs {
        let spec = Spec::bundled();
        fs::write(spec.path(ORG), input).unwrap();
        fs::write(spec.path("schemas/org.yaml"), input).unwrap();
        let errors = spec.errors();
        assert!(!errors.is_empty());
        assert!(errors.iter().all(|e| e.file.starts_with(spec.dir.path())), "{}", render(&errors));
    }
}

#[test]
fn keywords_become_raw_identifiers_and_the_code_still_parses() {
    let spec = Spec::bundled();
    spec.replace(ORG, "name: summaryInclude", "name: type").replace(ORG, "- name: deviceCounts", "- name: match");
    let generated = codegen::generate(spec.dir.path()).unwrap();
    let org = &generated.files.iter().find(|f| f.name == "org.rs").unwrap().contents;
    assert!(org.contains("pub fn r#match(&self"), "{org}");
    assert!(org.contains("pub fn r#type(mut self, value: impl Into<String>)"), "{org}");
    assert!(org.contains("request.query(\"type\", self.r#type);"), "{org}");
}

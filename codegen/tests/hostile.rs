//! Hostile specs: what `codegen check` accepts must generate a client that
//! compiles without warnings, and nothing may panic.
//!
//! Each fixture is a small spec written into a temporary directory (a
//! one-resource spec, or a copy of the bundled one) with one hostile thing
//! in it. A fixture `check` should refuse is checked for the file, line and
//! message of the error. A fixture it should accept is listed in
//! [`ACCEPTED`]: `accepted_specs_compile_without_warnings` generates the
//! client of each into one cargo workspace and runs clippy over all of them
//! with warnings denied.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use codegen::{Diagnostic, Generated, Severity};

/// A spec in a temporary directory.
struct Spec {
    dir: tempfile::TempDir,
}

/// `api.yaml` of the one-resource spec: one global query param with a default.
const API: &str = "\
title: Hostile API
version: 1.0.0
base_url: https://api.example.com
accept_version: ^1.0.0
auth:
  scheme: bearer
params:
- name: _actions
  in: query
  type: boolean
  default: false
  description: Return resource actions in response
";

/// The one resource: a GET of one widget, no multipart, no stream, no pages.
const WIDGET: &str = "\
name: widget
path: /widgets/{widgetId}
params:
- name: widgetId
  in: path
  type: string
  required: true
  pattern: ^[A-Fa-f\\d]{24}$
actions:
- name: get
  summary: Returns the widget
  method: GET
  params:
  - name: verbose
    in: query
    type: boolean
  responses:
  - status: 200
    schema: widget
    description: The widget
  - status: 404
    schema: error
    description: Not found
";

const WIDGET_SCHEMA: &str = "\
title: Widget
type: object
properties:
  id:
    type: string
  name:
    type: string
required:
- id
";

const ERROR_SCHEMA: &str = "\
title: Error
type: object
properties:
  type:
    type: string
  message:
    type: string
";

impl Spec {
    /// The one-resource spec: `widget.get` returns a `widget` or an `error`.
    fn minimal() -> Spec {
        let spec = Spec { dir: tempfile::tempdir().unwrap() };
        fs::create_dir_all(spec.path("resources")).unwrap();
        fs::create_dir_all(spec.path("schemas")).unwrap();
        spec.write("api.yaml", API)
            .write("resources/widget.yaml", WIDGET)
            .write("schemas/widget.yaml", WIDGET_SCHEMA)
            .write("schemas/error.yaml", ERROR_SCHEMA);
        spec
    }

    /// A copy of the bundled spec.
    fn bundled() -> Spec {
        let spec = Spec { dir: tempfile::tempdir().unwrap() };
        common::copy_dir(&common::bundled_spec(), spec.dir.path());
        spec
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    fn write(&self, file: &str, text: &str) -> &Self {
        fs::write(self.path(file), text).unwrap();
        self
    }

    fn remove(&self, file: &str) -> &Self {
        fs::remove_file(self.path(file)).unwrap();
        self
    }

    /// Replaces the first occurrence of `from` (which must exist) in `file`.
    fn replace(&self, file: &str, from: &str, to: &str) -> &Self {
        let text = fs::read_to_string(self.path(file)).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        self.write(file, &text.replacen(from, to, 1))
    }

    /// The 1-based line of the first occurrence of `needle` in `file`.
    fn line_of(&self, file: &str, needle: &str) -> usize {
        let text = fs::read_to_string(self.path(file)).unwrap();
        let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {file}"));
        text[..at].matches('\n').count() + 1
    }

    /// What `codegen check` finds: the errors, or `Ok` when it accepts the spec.
    fn check(&self) -> Result<(), Vec<Diagnostic>> {
        match codegen::check_types(self.dir.path()) {
            Ok(_) => Ok(()),
            Err(problems) => Err(problems.sorted().into_iter().filter(|d| d.severity == Severity::Error).collect()),
        }
    }

    fn errors(&self) -> Vec<Diagnostic> {
        self.check().expect_err("check accepted the hostile spec")
    }

    /// The only error: it is in `file`, at the line of `needle`, and says `message`.
    fn error_at(&self, file: &str, needle: &str, message: &str) -> Diagnostic {
        let errors = self.errors();
        assert_eq!(errors.len(), 1, "expected one error, got:\n{}", render(&errors));
        let error = errors.into_iter().next().unwrap();
        assert_eq!(error.file, self.path(file), "{error}");
        assert_eq!(error.line, Some(self.line_of(file, needle)), "{error}");
        assert!(error.message.contains(message), "expected {message:?} in: {error}");
        assert!(error.item.is_some(), "no item: {error}");
        error
    }

    /// `check` accepts the spec and `generate` generates it.
    fn generated(&self) -> Generated {
        if let Err(errors) = self.check() {
            panic!("check refused the spec:\n{}", render(&errors));
        }
        codegen::generate(self.dir.path()).unwrap_or_else(|p| panic!("check accepted the spec, generate did not:\n{p}"))
    }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

fn file<'a>(generated: &'a Generated, name: &str) -> &'a str {
    &generated.files.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no {name}")).contents
}

// ---------------------------------------------------------------------------
// `$ref`s

#[test]
fn a_ref_with_a_typo_is_an_error_with_a_suggestion() {
    let spec = Spec::bundled();
    let schema = "schemas/devicesExportPost.yaml";
    spec.replace(schema, "#/definitions/advancedDeviceQuery'", "#/definitions/advancedDeviceQuerry'");
    let error = spec.error_at(schema, "advancedDeviceQuerry", "`$ref` to unknown schema `advancedDeviceQuerry`");
    assert_eq!(error.hint.as_deref(), Some("did you mean `#/definitions/advancedDeviceQuery`?"));
    assert!(error.item.unwrap().starts_with("schemas.devicesExportPost.properties.query."));
}

#[test]
fn a_dangling_ref_is_an_error() {
    let spec = Spec::minimal();
    let schema = "schemas/widget.yaml";
    spec.replace(schema, "  name:\n    type: string\n", "  name:\n    $ref: '#/definitions/somethingElse'\n");
    let error = spec.error_at(schema, "$ref", "`$ref` to unknown schema `somethingElse`");
    assert_eq!(error.hint.as_deref(), Some("add schemas/somethingElse.yaml"));
}

#[test]
fn a_ref_that_names_no_schema_of_the_spec_is_an_error() {
    for (reference, message) in [
        ("'#/properties/id'", "`$ref` `#/properties/id` does not name a schema"),
        ("'other.json#/definitions/widget'", "does not name a schema"),
        ("3", "`$ref` must be a string, not 3"),
        ("'#/definitions/'", "`$ref` to unknown schema ``"),
    ] {
        let spec = Spec::minimal();
        let schema = "schemas/widget.yaml";
        spec.replace(schema, "  name:\n    type: string\n", &format!("  name:\n    $ref: {reference}\n"));
        spec.error_at(schema, "$ref", message);
    }
}

#[test]
fn refs_are_checked_in_every_keyword_that_holds_schemas() {
    for (keyword, at) in [
        ("items", "properties.name.items"),
        ("additionalProperties", "properties.name.additionalProperties"),
        ("not", "properties.name.not"),
        ("contains", "properties.name.contains"),
    ] {
        let spec = Spec::minimal();
        let schema = "schemas/widget.yaml";
        spec.replace(
            schema,
            "  name:\n    type: string\n",
            &format!("  name:\n    {keyword}:\n      $ref: '#/definitions/nope'\n"),
        );
        let error = spec.error_at(schema, "$ref", "`$ref` to unknown schema `nope`");
        assert_eq!(error.item.as_deref(), Some(format!("schemas.widget.{at}").as_str()));
    }
    let spec = Spec::minimal();
    let schema = "schemas/widget.yaml";
    spec.replace(
        schema,
        "  name:\n    type: string\n",
        "  name:\n    oneOf:\n    - type: string\n    - $ref: '#/definitions/nope'\n",
    );
    let error = spec.error_at(schema, "$ref", "`$ref` to unknown schema `nope`");
    assert_eq!(error.item.as_deref(), Some("schemas.widget.properties.name.oneOf[1]"));
}

#[test]
fn a_schema_that_is_only_itself_is_an_error() {
    let cases = [
        ("loop", "$ref: '#/definitions/loop'\n", "`type Loop = Loop;`"),
        ("loop", "type: array\nitems:\n  $ref: '#/definitions/loop'\n", "`type Loop = Vec<Loop>;`"),
        (
            "loop",
            "type: object\nadditionalProperties:\n  $ref: '#/definitions/loop'\n",
            "`type Loop = BTreeMap<String, Loop>;`",
        ),
        ("loop", "oneOf:\n- type: 'null'\n- $ref: '#/definitions/loop'\n", "`type Loop = Loop;`"),
    ];
    for (name, text, said) in cases {
        let spec = Spec::minimal();
        let file = format!("schemas/{name}.yaml");
        spec.write(&file, &format!("title: Loop\n{text}"));
        let error = spec.error_at(&file, "title", said);
        assert!(error.message.contains("schema `loop` contains only itself"), "{error}");
        assert_eq!(error.item.as_deref(), Some("schemas.loop"));
    }
}

#[test]
fn two_schemas_that_are_only_refs_of_each_other_are_an_error() {
    let spec = Spec::minimal();
    spec.write("schemas/ping.yaml", "title: Ping\n$ref: '#/definitions/pong'\n")
        .write("schemas/pong.yaml", "title: Pong\n$ref: '#/definitions/ping'\n");
    let errors = spec.errors();
    assert_eq!(errors.len(), 1, "{}", render(&errors));
    assert!(errors[0].message.contains("contains only itself"), "{}", errors[0]);
    assert!(errors[0].file.ends_with("ping.yaml") || errors[0].file.ends_with("pong.yaml"), "{}", errors[0]);
    assert_eq!(errors[0].line, Some(1));
}

// ---------------------------------------------------------------------------
// Names that collide in Rust

#[test]
fn schemas_that_differ_only_in_case_are_an_error() {
    let spec = Spec::minimal();
    spec.write("schemas/Widget.yaml", WIDGET_SCHEMA);
    let error = spec.error_at("schemas/widget.yaml", "title", "schemas `Widget` and `widget` differ only in case");
    assert!(error.hint.unwrap().contains("case-insensitive"));
}

#[test]
fn a_new_schema_whose_name_the_table_gives_another_type_is_named_by_rule() {
    let spec = Spec::bundled();
    // The table gives `ErrorBody` to `error`; a new schema of another shape
    // that would be `ErrorBody` gets a name by rule, with a note, and no stop.
    // (A schema of the same shape would simply share the type.)
    spec.write("schemas/errorBody.yaml", &format!("{ERROR_SCHEMA}  detail:\n    type: string\n"));
    let generated = spec.generated();
    let types = &generated.files.iter().find(|f| f.name == "types.rs").unwrap().contents;
    assert!(types.contains("pub struct ErrorBody {") && types.contains("pub struct ErrorBodyInfo {"));
    let note = generated.warnings.0.iter().find(|d| d.message.contains("is named `")).expect("a note");
    assert!(
        note.message.contains("`errorBody` is named `ErrorBodyInfo`, not `ErrorBody`: `error` has that name"),
        "{note}"
    );
}

#[test]
fn a_names_table_entry_that_clashes_is_reported_at_its_line() {
    let spec = Spec::minimal();
    // `error` is converted first and keeps the name; the other line is reported.
    spec.write("names.yaml", "widget: Widget\nerror: Widget\n");
    let error =
        spec.error_at("names.yaml", "widget: Widget", "`widget` wants the type name `Widget`, which `error` has");
    assert_eq!(error.column, Some(9));
    let spec = Spec::minimal();
    spec.write("names.yaml", "widget: Self\nerror: ErrorBody\n");
    spec.error_at("names.yaml", "widget: Self", "the name `Self` cannot be given");
}

#[test]
fn params_whose_builder_fields_collide_are_an_error() {
    for (first, second) in [("client", "clientParam"), ("options", "optionsParam"), ("common", "commonParam")] {
        let spec = Spec::minimal();
        let resource = "resources/widget.yaml";
        spec.replace(
            resource,
            "  - name: verbose\n",
            &format!("  - name: {first}\n    in: query\n    type: string\n  - name: {second}\n    in: query\n    type: string\n  - name: verbose\n"),
        );
        let field = format!("{}_param", first);
        let error = spec.error_at(
            resource,
            &format!("- name: {second}"),
            &format!("params `{first}` and `{second}` both become the field `{field}` of the request builder"),
        );
        assert_eq!(error.item.as_deref(), Some(format!("resources.widget.actions.get.params.{second}").as_str()));
    }
}

#[test]
fn a_param_named_like_a_global_param_is_an_error() {
    let spec = Spec::minimal();
    let resource = "resources/widget.yaml";
    spec.replace(
        resource,
        "  - name: verbose\n",
        "  - name: actions\n    in: query\n    type: string\n  - name: verbose\n",
    );
    spec.error_at(resource, "- name: actions", "params `_actions` and `actions` both become `actions` in Rust");
    let spec = Spec::minimal();
    spec.replace(
        resource,
        "  - name: verbose\n",
        "  - name: _actions\n    in: header\n    type: string\n  - name: verbose\n",
    );
    spec.error_at(resource, "- name: _actions", "params `_actions` and `_actions` both become `actions` in Rust");
}

#[test]
fn stream_events_that_collide_are_an_error() {
    for (events, needle, message) in [
        (["other", "update"], "- name: other", "event `other` would be the variant `Other`"),
        (["update", "update"], "- name: update\n    description: second", "event `update` is listed twice"),
        (
            ["device-state", "deviceState"],
            "- name: deviceState",
            "events `device-state` and `deviceState` both become the variant `DeviceState`",
        ),
    ] {
        let spec = Spec::minimal();
        let resource = "resources/widget.yaml";
        let stream = format!(
            "- name: stream\n  summary: Streams the widget\n  method: GET\n  path: /stream\n  responses:\n  - status: 200\n    description: The stream\n  sse_events:\n  - name: {}\n    description: first\n  - name: {}\n    description: second\n",
            events[0], events[1]
        );
        spec.write(resource, &format!("{WIDGET}{stream}"));
        let error = spec.error_at(resource, needle, message);
        assert_eq!(error.item.as_deref(), Some("resources.widget.actions.stream"));
    }
}

#[test]
fn resources_named_like_the_crate_own_modules_are_an_error() {
    for (name, message) in [
        ("types", "would be the module `types`, a name the crate already uses"),
        ("error", "would be the module `error`"),
        ("header", "would be the module `header`"),
        ("params", "would be the module `params`"),
        ("full", "would be the module `full`"),
        ("default", "would be the module `default`"),
        ("testUtil", "would be the module `test_util`"),
        ("request", "would be the module `request`"),
        ("baseUrl", "would be `Client::base_url`, a method `Client` already has"),
        ("setToken", "would be `Client::set_token`"),
    ] {
        let spec = Spec::minimal();
        spec.remove("resources/widget.yaml")
            .write(&format!("resources/{name}.yaml"), &WIDGET.replacen("name: widget", &format!("name: {name}"), 1));
        let error = spec.error_at(&format!("resources/{name}.yaml"), &format!("name: {name}"), message);
        assert_eq!(error.item.as_deref(), Some(format!("resources.{name}").as_str()));
    }
    // The transport's methods are not `Client`'s: their names are free.
    for name in ["execute", "withoutAuth"] {
        let spec = Spec::minimal();
        spec.remove("resources/widget.yaml")
            .write(&format!("resources/{name}.yaml"), &WIDGET.replacen("name: widget", &format!("name: {name}"), 1));
        assert!(spec.check().is_ok(), "{name}: {:?}", spec.check());
    }
}

#[test]
fn a_resource_without_actions_is_an_error() {
    let spec = Spec::minimal();
    let resource = "resources/widget.yaml";
    spec.write(resource, &WIDGET[..WIDGET.find("actions:").unwrap()]);
    spec.error_at(resource, "name: widget", "resource `widget` has no actions");
}

#[test]
fn a_resource_name_too_long_for_a_file_is_an_error() {
    let spec = Spec::minimal();
    let resource = "resources/widget.yaml";
    let name = "w".repeat(3000);
    spec.replace(resource, "name: widget", &format!("name: {name}"));
    let error = spec.error_at(resource, "name: w", "would be a module of 3000 characters");
    assert!(error.to_string().len() < 1000, "{error}");
}

// ---------------------------------------------------------------------------
// Patterns and defaults

#[test]
fn a_pattern_regex_lite_cannot_compile_is_an_error() {
    for pattern in ["^[a-", "^(?!\\.)[a-z]+$", "(a)\\1", "a{2,1}"] {
        let spec = Spec::minimal();
        let resource = "resources/widget.yaml";
        spec.replace(resource, "  pattern: ^[A-Fa-f\\d]{24}$\n", &format!("  pattern: '{pattern}'\n"));
        let error = spec.error_at(resource, "pattern:", &format!("pattern `{pattern}` does not compile"));
        assert_eq!(error.item.as_deref(), Some("resources.widget.params.widgetId"));
        assert!(error.hint.unwrap().contains("regex-lite"));
    }
}

#[test]
fn a_global_default_of_another_type_is_an_error() {
    for (ty, default, said) in [
        ("boolean", "'yes'", "the default \"yes\" is not a boolean"),
        ("integer", "1.5", "the default 1.5 is not an integer"),
        ("integer", "18446744073709551615", "is not an integer"),
        ("string", "true", "the default true is not a string"),
        ("number", "'1'", "the default \"1\" is not a number"),
    ] {
        let spec = Spec::minimal();
        spec.replace(
            "api.yaml",
            "  type: boolean\n  default: false\n",
            &format!("  type: {ty}\n  default: {default}\n"),
        );
        spec.error_at("api.yaml", "default:", said);
    }
}

// ---------------------------------------------------------------------------
// Size and depth: bounded time, bounded stack

/// Time `check` takes on a spec, which must be refused or accepted as said.
fn timed_check(spec: &Spec) -> (Duration, Result<(), Vec<Diagnostic>>) {
    let started = Instant::now();
    let outcome = spec.check();
    (started.elapsed(), outcome)
}

/// Checks `make(size)` and `make(size / 8)` and asserts the larger took less
/// than 24 times as long (linear work: about 8 times; the quadratic work this
/// guards against: 64 times, and minutes). A ratio, not a time limit, so a
/// loaded machine slows both sides alike; the small side counts as at least
/// 100 ms so noise on a tiny run cannot fail it. Returns the larger's outcome.
fn check_scales_linearly(size: usize, make: impl Fn(usize) -> Spec) -> Result<(), Vec<Diagnostic>> {
    let (small, _) = timed_check(&make(size / 8));
    let (large, outcome) = timed_check(&make(size));
    let small = small.max(Duration::from_millis(100));
    assert!(
        large < small * 24,
        "{size}: took {large:?}, {} times the {:?} of {}",
        large.as_secs_f64() / small.as_secs_f64(),
        small,
        size / 8
    );
    outcome
}

#[test]
fn a_huge_unknown_schema_name_is_reported_quickly_and_briefly() {
    let errors = check_scales_linearly(600_000, |size| {
        let spec = Spec::minimal();
        let name = "widgetz".repeat(size);
        spec.replace("resources/widget.yaml", "schema: widget\n", &format!("schema: {name}\n"));
        spec
    })
    .expect_err("an unknown schema");
    assert_eq!(errors.len(), 1, "{}", render(&errors));
    assert!(errors[0].message.starts_with("unknown schema `widgetzwidgetz"), "{}", errors[0]);
    assert!(errors[0].to_string().len() < 1000, "the message holds the whole name");
}

#[test]
fn megabyte_strings_everywhere_are_checked_in_linear_time() {
    if let Err(errors) = check_scales_linearly(200_000, long_strings) {
        panic!("{}", render(&errors));
    }
}

/// Long strings in descriptions and names, `size` words long: megabytes to
/// time `check`, a few kilobytes to compile (`ACCEPTED`).
fn long_strings(size: usize) -> Spec {
    let spec = Spec::minimal();
    let long = "word. ".repeat(size);
    let dotted = "a.".repeat(size * 3 / 2);
    let quoted = |s: &str| format!("{s:?}");
    spec.write(
        "resources/widget.yaml",
        &WIDGET
            .replace(
                "summary: Returns the widget",
                &format!("summary: {}\n  description: {}", quoted(&long), quoted(&long)),
            )
            .replace("    type: boolean\n", &format!("    type: boolean\n    description: {}\n", quoted(&long))),
    );
    // Megabyte property names (YAML wants an explicit `?` key past 1024
    // characters), one full of the dots that separate a place's segments.
    spec.write(
        "schemas/widget.yaml",
        &format!(
            "{WIDGET_SCHEMA}description: {}\nproperties:\n  id:\n    type: string\n    description: {}\n  ? {}\n  : type: object\n    properties:\n      inner:\n        type: object\n        properties:\n          deepest:\n            type: string\n  ? {}\n  : type: string\n    enum: [{}, {}]\n",
            quoted(&long),
            quoted(&long),
            quoted(&dotted),
            quoted(&"p".repeat(size * 5)),
            quoted(&"v-".repeat(size * 3 / 2)),
            quoted(&"v_".repeat(size * 3 / 2)),
        )
        .replacen("properties:\n  id:\n    type: string\n  name:\n    type: string\nrequired:\n- id\n", "", 1),
    );
    spec
}

#[test]
fn unions_of_thousands_of_branches_are_checked_in_linear_time() {
    // Labelling the branches compared each with every other: 8,000 took 50 s.
    if let Err(errors) = check_scales_linearly(20_000, |size| wide_unions(size, 14)) {
        panic!("{}", render(&errors));
    }
}

/// A union of `branches` objects told apart by shape, one of a quarter as
/// many tagged ones, and an enum of the `2^case_bits` spellings of one word.
fn wide_unions(branches: usize, case_bits: u32) -> Spec {
    let spec = Spec::minimal();
    let untagged: String = (0..branches)
        .map(|i| format!("    - type: object\n      properties:\n        k{i}: {{type: string}}\n"))
        .collect();
    let tagged: String = (0..branches / 4)
        .map(|i| format!("    - type: object\n      required: [kind]\n      properties:\n        kind: {{type: string, enum: [t{i}]}}\n"))
        .collect();
    // Each spelling a variant of its own.
    let cases: Vec<String> = (0..1u32 << case_bits)
        .map(|i| {
            "abcdefghijklmn"
                .chars()
                .enumerate()
                .map(|(k, c)| if i >> k & 1 == 1 { c.to_ascii_uppercase() } else { c })
                .collect()
        })
        .collect();
    spec.write(
        "schemas/widget.yaml",
        &format!(
            "title: Widget\ntype: object\nproperties:\n  u:\n    oneOf:\n{untagged}  t:\n    oneOf:\n{tagged}  e:\n    type: string\n    enum: [{}]\n",
            cases.join(", ")
        ),
    );
    spec
}

#[test]
fn yaml_nested_past_its_limit_is_an_error_not_a_stack_overflow() {
    let spec = Spec::minimal();
    let mut schema = String::from("type: string\n");
    for _ in 0..300 {
        schema = format!("type: array\nitems:\n{}", schema.lines().map(|l| format!("  {l}\n")).collect::<String>());
    }
    spec.write("schemas/deep.yaml", &schema);
    let errors = spec.errors();
    assert_eq!(errors.len(), 1, "{}", render(&errors));
    assert!(errors[0].file.ends_with("deep.yaml"), "{}", errors[0]);
    assert!(errors[0].message.contains("recursion limit"), "{}", errors[0]);
}

#[test]
fn a_chain_of_schemas_deeper_than_the_limit_is_an_error() {
    let spec = Spec::minimal();
    let links = codegen::typegen::MAX_DEPTH + 10;
    for i in 0..links {
        let next =
            if i + 1 < links { format!("$ref: '#/definitions/link{:04}'", i + 1) } else { "type: string".into() };
        spec.write(
            &format!("schemas/link{i:04}.yaml"),
            &format!("title: Link\ntype: object\nproperties:\n  next:\n    {next}\n"),
        );
    }
    let errors = spec.errors();
    assert_eq!(errors.len(), 1, "{}", render(&errors));
    let said = format!("schemas nest more than {} deep from `link0000`", codegen::typegen::MAX_DEPTH);
    assert!(errors[0].message.contains(&said), "{}", errors[0]);
    assert!(errors[0].file.ends_with("link0000.yaml"), "{}", errors[0]);
}

// ---------------------------------------------------------------------------
// Accepted hostile specs: each must generate a client that compiles without
// warnings (`accepted_specs_compile_without_warnings`).

/// Makes a fixture.
type Fixture = fn() -> Spec;

/// Every fixture `check` accepts, by the crate name its client gets.
const ACCEPTED: &[(&str, Fixture)] = &[
    ("minimal", Spec::minimal),
    ("no-schemas", no_schemas),
    ("hostile-names", hostile_names),
    ("keyword-resource", keyword_resource),
    ("many-required", many_required),
    ("deprecated-pages", deprecated_pages),
    ("recursion-through-aliases", recursion_through_aliases),
    ("object-unions", object_unions),
    ("global-defaults", global_defaults),
    ("deep-nesting", deep_nesting),
    ("long-strings", || long_strings(300)),
    ("wide-unions", || wide_unions(200, 6)),
    ("regex-pattern", regex_pattern),
    ("no-pattern", no_pattern),
];

/// A path pattern that is no repeated class, so the client checks it with
/// regex-lite, with a quote and a backtick for the literal and the doc.
fn regex_pattern() -> Spec {
    let spec = Spec::minimal();
    spec.replace("resources/widget.yaml", "  pattern: ^[A-Fa-f\\d]{24}$\n", "  pattern: '^(?:[a-f\\d]{24}|\"me`)$'\n");
    spec
}

/// No path pattern at all: the client's pattern checks have no caller.
fn no_pattern() -> Spec {
    let spec = Spec::minimal();
    spec.replace("resources/widget.yaml", "  pattern: ^[A-Fa-f\\d]{24}$\n", "");
    spec
}

/// A resource whose action sends only scalars and returns nothing, in a
/// spec without schemas or global params: no `types` import, no serde
/// import, nothing written by `CommonParams`.
fn no_schemas() -> Spec {
    let spec = Spec::minimal();
    let api = API.find("params:").map_or(API, |at| &API[..at]);
    spec.write("api.yaml", api);
    spec.remove("schemas/widget.yaml").remove("schemas/error.yaml").write(
        "resources/widget.yaml",
        &WIDGET
            .replace("    schema: widget\n", "")
            .replace("    schema: error\n", "")
            .replace("status: 200", "status: 204"),
    );
    spec
}

/// Names that are no Rust identifiers as they are: non-ASCII digits and
/// letters, empty names, keywords, `Self`/`self`/`crate`/`super`, names of
/// the builders' and structs' own methods, operators, enum values that
/// differ only in case or punctuation, and odd doc text.
fn hostile_names() -> Spec {
    let spec = Spec::minimal();
    spec.write(
        "schemas/widget.yaml",
        r#"title: Widget
description: "Docs with a bare \r carriage return, a */ and a ```rust\nfn broken( \n``` block, [a link](nowhere) and <b>HTML</b>."
type: object
properties:
  id:
    type: string
  "²":
    type: string
  "٣":
    type: integer
  größe:
    type: number
  "°C":
    type: string
  "":
    type: string
  self:
    type: string
  Self:
    type: string
  crate:
    type: string
  super:
    type: string
  type:
    type: string
  match:
    type: string
  a:
    type: [string, "null"]
  clear_a:
    type: string
  new:
    type: string
  with_new:
    type: string
  add:
    type: string
  sub:
    type: string
  clone:
    type: string
  kind:
    type: string
    enum: [a-b, a_b, A_B, a b, Unknown, unknown, "", "²", self, Self, crate, "0", "1st"]
required:
- id
- self
"#,
    )
    .write(
        "resources/widget.yaml",
        r#"name: widget
path: /widgets/{widget-id}
params:
- name: widget-id
  in: path
  type: string
  required: true
actions:
- name: new
  summary: "A summary with a \r carriage return"
  method: GET
  params:
  - name: self
    in: query
    type: string
  - name: type
    in: query
    type: string
  - name: header
    in: query
    type: string
  - name: pages
    in: query
    type: string
  - name: add
    in: query
    type: string
  - name: "²"
    in: query
    type: string
  - name: order
    in: query
    type: string
    enum: [a-b, a_b, A_B, Unknown, "", "٣"]
  responses:
  - status: 200
    schema: widget
    description: The widget
- name: clone
  summary: Clones
  method: POST
  responses:
  - status: 201
    description: Cloned
- name: match
  summary: Streams
  method: GET
  path: /stream
  responses:
  - status: 200
    description: The stream
  sse_events:
  - name: device-state
    schema: widget
    description: A state
  - name: "²"
    description: A digit
  - name: ""
    description: No name
- name: self
  summary: Several statuses
  method: PUT
  params:
  - name: body
    in: body
    schema: widget
  responses:
  - status: 200
    schema: widget
    description: Updated
  - status: 202
    description: Accepted
  - status: 299
    schema: error
    description: Odd
"#,
    )
    .write(
        "resources/gadgets.yaml",
        "name: gadgets\npath: /gadgets\nactions:\n- name: new\n  method: POST\n  responses:\n  - status: 204\n- name: clone\n  method: POST\n  responses:\n  - status: 204\n- name: cmp\n  method: GET\n  params:\n  - name: other\n    in: query\n    type: string\n    required: true\n  responses:\n  - status: 204\n",
    )
    .write("schemas/order.yaml", "title: Order\ntype: string\nenum: [up, down]\n")
    .write("schemas/orderParam.yaml", "title: Order param\ntype: string\nenum: [up, down, sideways]\n");
    spec
}

/// Resources whose names are keywords: their modules, files and features get `_`.
fn keyword_resource() -> Spec {
    let spec = Spec::minimal();
    spec.remove("resources/widget.yaml")
        .write("resources/match.yaml", &WIDGET.replacen("name: widget", "name: match", 1))
        .write(
            "resources/self.yaml",
            &WIDGET.replacen("name: widget", "name: self", 1).replace("/widgets/", "/selves/"),
        );
    spec
}

/// Eight required params (one method with `&self` and eight arguments) and a
/// struct with eight required fields.
fn many_required() -> Spec {
    let spec = Spec::minimal();
    let params: String =
        (1..=8).map(|i| format!("  - name: p{i}\n    in: query\n    type: string\n    required: true\n")).collect();
    spec.replace("resources/widget.yaml", "  - name: verbose\n", &format!("{params}  - name: verbose\n"));
    let fields: String = (1..=8).map(|i| format!("  f{i}:\n    type: string\n")).collect();
    let required: String = (1..=8).map(|i| format!("- f{i}\n")).collect();
    spec.write(
        "schemas/widget.yaml",
        &format!("title: Widget\ntype: object\nproperties:\n{fields}required:\n{required}"),
    );
    spec
}

/// A list action (`page`, `perPage`, `items`) whose `page` is deprecated.
fn deprecated_pages() -> Spec {
    let spec = Spec::minimal();
    spec.write(
        "resources/widget.yaml",
        &WIDGET.replace(
            "  - name: verbose\n    in: query\n    type: boolean\n",
            "  - name: page\n    in: query\n    type: string\n    deprecated: true\n    example: 0\n  - name: perPage\n    in: query\n    type: string\n    example: 10\n",
        ),
    )
    .write(
        "schemas/widget.yaml",
        "title: Widgets\ntype: object\nproperties:\n  items:\n    type: array\n    items:\n      type: object\n      properties:\n        id:\n          type: string\n  totalCount:\n    type: integer\n",
    );
    spec
}

/// A struct that holds itself through an alias (`next` is a `zNext`, which
/// is only a `$ref` of `widget`; `widget` is converted first, so only it is
/// seen to recur): the field is boxed.
fn recursion_through_aliases() -> Spec {
    let spec = Spec::minimal();
    spec.write(
        "schemas/widget.yaml",
        "title: Widget\ntype: object\nproperties:\n  next:\n    $ref: '#/definitions/zNext'\n  children:\n    $ref: '#/definitions/zList'\n",
    )
    .write("schemas/zNext.yaml", "title: Next\n$ref: '#/definitions/widget'\n")
    .write("schemas/zList.yaml", "title: Nodes\ntype: array\nitems:\n  $ref: '#/definitions/zNext'\n");
    spec
}

/// Unions of objects told apart by shape (no map, no scalar variant) and a
/// tagged union with constant tags.
fn object_unions() -> Spec {
    let spec = Spec::minimal();
    spec.write(
        "schemas/widget.yaml",
        r#"title: Widget
type: object
properties:
  shape:
    oneOf:
    - type: object
      properties:
        radius: {type: number}
      required: [radius]
    - type: object
      properties:
        side: {type: number}
      required: [side]
  part:
    oneOf:
    - type: object
      properties:
        kind: {type: string, enum: [bolt]}
        size: {type: integer}
      required: [kind]
    - type: object
      properties:
        kind: {type: string, enum: [nut]}
        thread: {type: string}
      required: [kind]
"#,
    );
    spec
}

/// Global params of each type with a default, sent with every request.
fn global_defaults() -> Spec {
    let spec = Spec::minimal();
    spec.replace(
        "api.yaml",
        "  description: Return resource actions in response\n",
        "  description: Return resource actions in response\n- name: limit\n  in: query\n  type: integer\n  default: 10\n- name: ratio\n  in: query\n  type: number\n  default: 5\n- name: mode\n  in: query\n  type: string\n  default: fast\n- name: X-Trace\n  in: header\n  type: string\n",
    );
    spec
}

/// Arrays and objects nested 40 deep (the limit is 100).
fn deep_nesting() -> Spec {
    let spec = Spec::minimal();
    let mut schema = String::from("type: string\n");
    for i in 0..40 {
        let inner: String = schema.lines().map(|l| format!("    {l}\n")).collect();
        schema = if i % 2 == 0 {
            format!("type: array\nitems:\n{inner}")
        } else {
            format!("type: object\nproperties:\n  level{i}:\n{inner}")
        };
    }
    spec.write("schemas/widget.yaml", &format!("title: Widget\n{schema}"));
    spec
}

#[test]
fn non_ascii_and_keyword_names_become_identifiers() {
    let generated = hostile_names().generated();
    let types = file(&generated, "types.rs");
    for expected in [
        "pub u00b2: Option<String>",
        "pub u0663: Option<i64>",
        "pub gr_u00f6_u00df_e: Option<f64>",
        "pub n_: Option<String>",
        "pub self_: String",
        "pub r#type: Option<String>",
        "pub r#match: Option<String>",
        "pub fn with_new(",
        "pub fn with_new_(",
        "pub fn with_add(",
        "pub fn clear_a(",
        "pub fn clear_a_(",
        "AB,",
        "ABValue,",
        "ABValue2,",
        "ABValue3,",
        "UnknownValue,",
        "UnknownValue2,",
        "Empty,",
        "U00b2,",
        "Self_,",
        "SelfValue,",
        "Crate,",
        "V0,",
        "V1st,",
    ] {
        assert!(types.contains(expected), "no {expected:?} in:\n{types}");
    }
    let widget = file(&generated, "widget.rs");
    for expected in [
        "pub fn new_(&self, widget_id: impl Into<String>) -> NewRequest",
        "pub fn clone(&self, widget_id: impl Into<String>) -> CloneRequest",
        "pub fn r#match(&self",
        "pub fn self_(&self",
        "pub fn self_(mut self",
        "pub fn header_(mut self",
        "pub fn pages_(mut self",
        "pub fn add_(mut self",
        "pub fn u00b2(mut self",
        "DeviceState(",
        "U00b2(",
        "Empty(",
        "pub enum SelfResponse",
        "Status299(",
    ] {
        assert!(widget.contains(expected), "no {expected:?} in:\n{widget}");
    }
    // The param `order` is `params::Order`, beside the schemas `types::Order`
    // and `types::OrderParam`: every use names its module.
    let gadgets = file(&generated, "gadgets.rs");
    for expected in [
        "pub fn new_(&self) -> NewRequest",
        "pub fn clone_(&self) -> CloneRequest",
        "pub fn cmp_(&self, other: impl Into<String>)",
    ] {
        assert!(gadgets.contains(expected), "no {expected:?} in:\n{gadgets}");
    }
    let params = file(&generated, "params.rs");
    for expected in ["pub enum Order {", "AB,", "ABValue,", "ABValue2,", "UnknownValue,", "Empty,", "U0663,"] {
        assert!(params.contains(expected), "no {expected:?} in:\n{params}");
    }
}

#[test]
fn a_keyword_resource_is_a_module_with_an_underscore() {
    let generated = keyword_resource().generated();
    assert!(generated.files.iter().any(|f| f.name == "match_.rs"));
    let api = file(&generated, "api.rs");
    assert!(api.contains("pub fn match_(&self) -> match_::MatchResource"), "{api}");
    assert!(api.contains("pub fn self_(&self) -> self_::SelfResource"), "{api}");
}

#[test]
fn a_struct_holding_itself_through_an_alias_is_boxed() {
    let generated = recursion_through_aliases().generated();
    let types = file(&generated, "types.rs");
    assert!(types.contains("pub next: Option<Box<ZNext>>"), "{types}");
    assert!(types.contains("pub type ZNext = Widget;"), "{types}");
    assert!(types.contains("pub children: Option<ZList>"), "{types}");
}

#[test]
fn runtime_helpers_are_named_only_when_the_generated_code_calls_them() {
    let none = no_schemas().generated();
    assert_eq!(none.runtime_uses, ["byte_patterns", "empty_body"].into());
    assert_eq!(none.cargo_directives().len(), 3);
    assert_eq!(Spec::minimal().generated().runtime_uses, ["byte_patterns", "required_fields", "structs"].into());
    assert_eq!(
        object_unions().generated().runtime_uses,
        ["byte_patterns", "object_unions", "required_fields", "shape_unions", "structs", "tagged_unions"].into()
    );
    assert_eq!(
        hostile_names().generated().runtime_uses,
        ["empty_body", "required_fields", "sse", "statuses", "structs"].into()
    );
    assert_eq!(deprecated_pages().generated().runtime_uses, ["byte_patterns", "pages", "structs"].into());
    assert_eq!(
        global_defaults().generated().runtime_uses,
        ["byte_patterns", "headers", "required_fields", "structs"].into()
    );
    assert_eq!(regex_pattern().generated().runtime_uses, ["regex_patterns", "required_fields", "structs"].into());
    assert_eq!(no_pattern().generated().runtime_uses, ["required_fields", "structs"].into());
}

/// The generated client of every accepted fixture, each a crate in one
/// workspace, checked by one `cargo clippy -D warnings` (all features: the
/// blocking methods and the mock server too). The workspace lives in the
/// target directory (`hostile/`), so reruns are incremental and the
/// dependencies build once.
#[test]
fn accepted_specs_compile_without_warnings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workspace = target_dir().join("hostile");
    fs::create_dir_all(&workspace).unwrap();
    let manifest = fs::read_to_string(repo.join("Cargo.toml")).unwrap();
    let mut members = Vec::new();
    for (name, build) in ACCEPTED {
        let spec = build();
        let generated = spec.generated();
        let (api, _) = codegen::check(spec.dir.path()).unwrap();
        write_client(&workspace.join(name), name, &manifest, &repo, &generated, &api);
        members.push(format!("{name:?}"));
    }
    // Crates of fixtures that are gone would fail or slow the run.
    for entry in fs::read_dir(&workspace).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && name != "target" && !ACCEPTED.iter().any(|(n, _)| *n == name) {
            fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    write_if_changed(
        &workspace.join("Cargo.toml"),
        &format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n\n{}\n[profile.dev]\ndebug = false\n",
            members.join(", "),
            section(&manifest, "[workspace.dependencies]")
        ),
    );
    // The repository's lock file: the versions CI has tested and downloaded.
    if !workspace.join("Cargo.lock").exists() {
        fs::copy(repo.join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    }
    let started = Instant::now();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let clippy = Command::new(&cargo).args(["clippy", "--version"]).output().is_ok_and(|o| o.status.success());
    let mut command = Command::new(&cargo);
    command.current_dir(&workspace).env("CARGO_TARGET_DIR", workspace.join("target")).args([
        if clippy { "clippy" } else { "check" },
        "--workspace",
        "--all-features",
        "--message-format=short",
    ]);
    if clippy {
        command.args(["--", "-D", "warnings"]);
    } else {
        eprintln!("clippy is not installed: cargo check with warnings denied instead");
        command.env("RUSTFLAGS", "-D warnings");
    }
    let output = command.output().expect("cannot run cargo");
    eprintln!("{} fixture clients checked in {:.1?}", ACCEPTED.len(), started.elapsed());
    assert!(
        output.status.success(),
        "the clients of accepted specs do not compile without warnings ({}):\n{}",
        workspace.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Cargo's target directory: the nearest ancestor of this test binary that
/// cargo marked with `CACHEDIR.TAG` (it is `<target>/debug/deps/hostile-*`).
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// One fixture's client as a crate: the runtime (`generated-client/src/`),
/// the generated files, which a build script copies into `OUT_DIR` as the
/// real one writes them, and the package's dependencies and features.
fn write_client(dir: &Path, name: &str, manifest: &str, repo: &Path, generated: &Generated, api: &codegen::model::Api) {
    let src = dir.join("src");
    let out = dir.join("generated");
    fs::create_dir_all(&src).unwrap();
    fs::create_dir_all(&out).unwrap();
    for entry in fs::read_dir(repo.join("generated-client/src")).unwrap().flatten() {
        write_if_changed(&src.join(entry.file_name()), &fs::read_to_string(entry.path()).unwrap());
    }
    for entry in fs::read_dir(&out).unwrap().flatten() {
        if !generated.files.iter().any(|f| *f.name == *entry.file_name()) {
            fs::remove_file(entry.path()).unwrap();
        }
    }
    for generated in &generated.files {
        write_if_changed(&out.join(&generated.name), &generated.contents);
    }
    write_if_changed(&dir.join("cargo-directives.txt"), &generated.cargo_directives().join("\n"));
    write_if_changed(
        &dir.join("build.rs"),
        r#"fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    for entry in std::fs::read_dir("generated").unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), out.join(entry.file_name())).unwrap();
    }
    println!("{}", std::fs::read_to_string("cargo-directives.txt").unwrap());
    println!("cargo::rerun-if-changed=generated");
    println!("cargo::rerun-if-changed=cargo-directives.txt");
}
"#,
    );
    // The package's own features, with the resource features of this spec.
    let features = section(manifest, "[features]");
    let begin = features.find(codegen::maintainer::import::FEATURES_BEGIN).expect("resource features begin");
    let end = features.find(codegen::maintainer::import::FEATURES_END).expect("resource features end");
    let features =
        format!("{}{}{}", &features[..begin], codegen::model::features::cargo_features(api), &features[end..]);
    write_if_changed(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\n\n{features}\n{}",
            section(manifest, "[dependencies]")
        ),
    );
}

/// A `[section]` of a TOML file, up to the next one.
fn section(text: &str, header: &str) -> String {
    let start = text.find(&format!("\n{header}\n")).unwrap_or_else(|| panic!("no {header}")) + 1;
    let rest = &text[start..];
    let end = rest[header.len()..].find("\n[").map_or(rest.len(), |at| header.len() + at + 1);
    rest[..end].to_string()
}

/// Writes a file unless it already holds `text`, so cargo sees no change.
fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap();
    }
}

// ---------------------------------------------------------------------------
// The names codegen keeps off resources, against the runtime they protect.

#[test]
fn the_reserved_names_cover_the_crate_root_and_the_client_methods() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-client/src");
    let lib = syn::parse_file(&fs::read_to_string(src.join("lib.rs")).unwrap()).unwrap();
    let mut root: Vec<String> = Vec::new();
    for item in &lib.items {
        match item {
            syn::Item::Mod(module) => root.push(module.ident.to_string()),
            syn::Item::Use(used) => root.extend(leaf_names(&used.tree)),
            _ => {}
        }
    }
    root.extend(["types".to_string(), "params".to_string()]);
    let root: Vec<&String> = root.iter().filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_')).collect();
    assert!(root.len() > 15, "{root:?}");
    for name in root {
        assert!(
            codegen::model::names::CRATE_ROOT_NAMES.contains(&name.as_str()),
            "`{name}` is not in CRATE_ROOT_NAMES"
        );
    }
    let mut methods: Vec<String> = Vec::new();
    // Inherent methods that are not public: internals belong on the transport.
    let mut internal: Vec<String> = Vec::new();
    for entry in fs::read_dir(&src).unwrap().flatten() {
        let file = syn::parse_file(&fs::read_to_string(entry.path()).unwrap()).unwrap();
        for item in file.items {
            match item {
                syn::Item::Impl(block) if is_client(&block.self_ty) => {
                    for f in block.items.iter().filter_map(|i| match i {
                        syn::ImplItem::Fn(f) => Some(f),
                        _ => None,
                    }) {
                        methods.push(f.sig.ident.to_string());
                        if block.trait_.is_none() && !matches!(f.vis, syn::Visibility::Public(_)) {
                            internal.push(f.sig.ident.to_string());
                        }
                    }
                }
                syn::Item::Struct(s) if s.ident == "Client" => {
                    let derives = s.attrs.iter().filter(|a| a.path().is_ident("derive"));
                    if derives
                        .map(|a| quote::ToTokens::to_token_stream(&a.meta).to_string())
                        .any(|d| d.contains("Clone"))
                    {
                        methods.push("clone".into());
                    }
                }
                _ => {}
            }
        }
    }
    assert!(methods.contains(&"request".to_string()) && methods.contains(&"fmt".to_string()), "{methods:?}");
    assert!(internal.is_empty(), "`Client` has methods that are not its public API: {internal:?}");
    for name in &methods {
        assert!(
            codegen::model::names::CLIENT_METHODS.contains(&name.as_str()),
            "`Client::{name}` is not in CLIENT_METHODS"
        );
    }
    // And no more: a name `Client` no longer has is free for a resource.
    for name in codegen::model::names::CLIENT_METHODS {
        assert!(methods.iter().any(|m| m == name), "CLIENT_METHODS has `{name}`, which `Client` does not");
    }
    // Cargo features that are not resources (those between the markers are),
    // and the two that name all of them.
    let manifest = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml")).unwrap();
    let features = section(&manifest, "[features]");
    let begin = features.find(codegen::maintainer::import::FEATURES_BEGIN).unwrap();
    let end = features.find(codegen::maintainer::import::FEATURES_END).unwrap();
    let outside = format!("{}{}", &features[..begin], &features[end..]);
    let mut named: Vec<String> = outside
        .lines()
        .filter(|line| !line.starts_with([' ', '#', '[']))
        .filter_map(|line| line.split_once(" = ").map(|(feature, _)| feature.replace('-', "_")))
        .collect();
    assert!(named.contains(&"blocking".to_string()), "{named:?}");
    named.extend(["default".to_string(), codegen::model::features::FULL.to_string()]);
    for feature in named {
        assert!(
            codegen::model::names::CRATE_ROOT_NAMES.contains(&feature.as_str()),
            "feature `{feature}` is not in CRATE_ROOT_NAMES"
        );
    }
}

fn leaf_names(tree: &syn::UseTree) -> Vec<String> {
    match tree {
        syn::UseTree::Path(path) => leaf_names(&path.tree),
        syn::UseTree::Name(name) => vec![name.ident.to_string()],
        syn::UseTree::Rename(rename) => vec![rename.rename.to_string()],
        syn::UseTree::Group(group) => group.items.iter().flat_map(leaf_names).collect(),
        syn::UseTree::Glob(_) => Vec::new(),
    }
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Client"))
}

// ---------------------------------------------------------------------------
// Mutated specs: whatever the input, `check` and `generate` answer (never
// panic), and what `check` accepts `generate` generates.

/// A small deterministic generator (xorshift64*): the same mutations every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values a mutation puts into a spec.
fn hostile_values() -> Vec<serde_yaml::Value> {
    let yaml = |text: &str| serde_yaml::from_str::<serde_yaml::Value>(text).unwrap();
    let mut values: Vec<serde_yaml::Value> = [
        "",
        "²",
        "٣",
        "self",
        "Self",
        "super",
        "type",
        "r#type",
        "a-b",
        "other",
        "Unknown",
        "{x}",
        "/{a}/{a}",
        "^(?!x)",
        "[",
        "#/definitions/widget",
        "#/definitions/nope",
        "\r",
        "\u{0}",
        "💥",
        "object",
        "array",
        "query",
        "header",
        "body",
        "multipart",
        "path",
        "file",
        "client",
        "new",
        "GET",
        "POST",
    ]
    .iter()
    .map(|s| serde_yaml::Value::String(s.to_string()))
    .collect();
    values.push(serde_yaml::Value::String("x".repeat(3000)));
    values.extend([
        yaml("0"),
        yaml("-1"),
        yaml("1.5"),
        yaml("18446744073709551615"),
        yaml("-9223372036854775808"),
        yaml("true"),
        yaml("null"),
        yaml("[]"),
        yaml("{}"),
        yaml("[a, A, a-, a_b]"),
        yaml("{$ref: '#/definitions/widget'}"),
        yaml("{$ref: '#/definitions/error'}"),
        yaml("{type: array, items: {$ref: '#/definitions/widget'}}"),
        yaml("{oneOf: [{type: string}, {type: object, properties: {a: {type: string}}}]}"),
        yaml("{type: object, properties: {'': {type: string}, Self: {type: integer}}}"),
        yaml("{type: string, enum: [a, A, a-, Unknown]}"),
        yaml("{type: object, additionalProperties: {type: number}}"),
        yaml("{allOf: [{type: object, properties: {a: {type: string}}}, {required: [a]}]}"),
        yaml("{name: x, in: query, type: string}"),
        yaml("{name: widgetId, in: path, type: string, required: true}"),
        yaml("{status: 200, schema: widget}"),
        yaml("{name: other, schema: widget}"),
    ]);
    values
}

const HOSTILE_KEYS: &[&str] = &[
    "type",
    "$ref",
    "enum",
    "pattern",
    "required",
    "properties",
    "items",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "additionalProperties",
    "patternProperties",
    "name",
    "in",
    "schema",
    "default",
    "sse_events",
    "deprecated",
    "params",
    "responses",
    "actions",
    "path",
    "title",
    "description",
    "format",
];

/// Every node of a YAML value, as the path of keys and indexes to it.
fn node_paths(value: &serde_yaml::Value, at: &mut Vec<serde_yaml::Value>, out: &mut Vec<Vec<serde_yaml::Value>>) {
    out.push(at.clone());
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (key, child) in map {
                at.push(key.clone());
                node_paths(child, at, out);
                at.pop();
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(serde_yaml::Value::from(i));
                node_paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node_at<'a>(value: &'a mut serde_yaml::Value, path: &[serde_yaml::Value]) -> Option<&'a mut serde_yaml::Value> {
    let mut node = value;
    for step in path {
        node = match node {
            serde_yaml::Value::Mapping(map) => map.get_mut(step)?,
            serde_yaml::Value::Sequence(items) => items.get_mut(step.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(node)
}

/// One mutation of one YAML text: a node replaced, a key added, renamed or
/// removed, a list item doubled or dropped, or the text cut short.
fn mutate(text: &str, rng: &mut Rng, values: &[serde_yaml::Value]) -> String {
    if rng.below(10) == 0 {
        // Cut at a character boundary: unterminated YAML.
        let cut = text.char_indices().map(|(i, _)| i).nth(rng.below(text.chars().count())).unwrap_or(0);
        return text[..cut].to_string();
    }
    let Ok(mut doc) = serde_yaml::from_str::<serde_yaml::Value>(text) else { return text.to_string() };
    let mut paths = Vec::new();
    node_paths(&doc, &mut Vec::new(), &mut paths);
    let path = rng.pick(&paths).clone();
    let operation = rng.below(5);
    let value = rng.pick(values).clone();
    let key = serde_yaml::Value::String(rng.pick(HOSTILE_KEYS).to_string());
    if let Some(node) = node_at(&mut doc, &path) {
        match (operation, node) {
            (0, node) => *node = value,
            (1, serde_yaml::Value::Mapping(map)) => {
                map.insert(key, value);
            }
            (2, serde_yaml::Value::Mapping(map)) => {
                if let Some(first) = map.keys().next().cloned() {
                    let moved = map.remove(&first).unwrap_or_default();
                    map.insert(key, moved);
                }
            }
            (3, serde_yaml::Value::Sequence(items)) if !items.is_empty() => {
                let item = items[0].clone();
                items.push(item);
            }
            (_, serde_yaml::Value::Sequence(items)) => {
                items.pop();
            }
            (_, serde_yaml::Value::Mapping(map)) => {
                if let Some(first) = map.keys().next().cloned() {
                    map.remove(&first);
                }
            }
            (_, node) => *node = value,
        }
    }
    serde_yaml::to_string(&doc).unwrap_or_default()
}

#[test]
fn mutated_specs_never_panic_and_what_check_accepts_generates() {
    let values = hostile_values();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let base = hostile_names();
    let files =
        ["api.yaml", "resources/widget.yaml", "resources/gadgets.yaml", "schemas/widget.yaml", "schemas/order.yaml"];
    let originals: Vec<String> = files.iter().map(|f| fs::read_to_string(base.path(f)).unwrap()).collect();
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..300 {
        // One to three mutations, in one to three files.
        for (file, original) in files.iter().zip(&originals) {
            base.write(file, original);
        }
        let mut log = Vec::new();
        for _ in 0..=rng.below(3) {
            let which = rng.below(files.len());
            let text = fs::read_to_string(base.path(files[which])).unwrap();
            base.write(files[which], &mutate(&text, &mut rng, &values));
            log.push(files[which]);
        }
        let dir = base.dir.path().to_path_buf();
        let outcome = std::panic::catch_unwind(|| match codegen::check_types(&dir) {
            Ok(_) => Some(codegen::generate(&dir).map(|_| ())),
            Err(problems) => {
                assert!(problems.has_errors(), "check failed without an error");
                assert!(problems.0.iter().all(|d| d.file.starts_with(&dir) || d.file.is_relative()), "{problems}");
                None
            }
        });
        let texts: Vec<String> = files.iter().map(|f| fs::read_to_string(base.path(f)).unwrap()).collect();
        match outcome {
            Ok(Some(Ok(()))) => accepted += 1,
            Ok(Some(Err(problems))) => {
                panic!(
                    "round {round}: check accepted, generate refused:\n{problems}\nafter mutating {log:?}:\n{texts:#?}"
                )
            }
            Ok(None) => refused += 1,
            Err(_) => panic!("round {round}: panicked after mutating {log:?}:\n{texts:#?}"),
        }
    }
    eprintln!("{accepted} mutated specs accepted and generated, {refused} refused");
    // Both outcomes must be exercised for the test to mean anything.
    assert!(accepted > 30 && refused > 30, "accepted {accepted}, refused {refused}");
}

/// The build script writes the plain layout; the runtime helpers it finds
/// called there must be the ones the formatted code calls.
#[test]
fn both_layouts_call_the_same_runtime_helpers() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let plain = codegen::generate_with(&spec, codegen::emit::Layout::Plain).unwrap();
    let pretty = codegen::generate(&spec).unwrap();
    assert_eq!(plain.cargo_directives(), pretty.cargo_directives());
    // Every kind of helper but the typed-map tag removal and regex path
    // patterns, which v1.30.0 has no use for.
    let unused = ["untag", "regex_patterns"];
    let expected: Vec<&str> = codegen::emit::runtime_uses::HELPERS
        .iter()
        .map(|(helper, _)| *helper)
        .filter(|h| !unused.contains(h))
        .collect();
    assert_eq!(plain.runtime_uses.iter().copied().collect::<Vec<_>>(), {
        let mut sorted = expected.clone();
        sorted.sort();
        sorted
    });
}

//! `codegen import`: an upstream API release (`apiInfo.json`, `schemas/*.json`,
//! `docs/*.md`) becomes the YAML spec.
//!
//! The output depends only on the input, so re-importing a release changes no
//! byte and importing a newer one changes exactly what the API changed.
//! Upstream data is corrected in two ways, in this order: the entries of
//! `overrides.yaml` ([`crate::maintainer::overrides`]), each checked against what it
//! expects upstream to hold and skipped with a warning when that changed;
//! then the rules of [`crate::maintainer::repair`] for the slips upstream keeps making.
//! Both are reported, so nothing is corrected silently.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::load::diagnostic::{Diagnostic, Diagnostics};
use crate::load::spec::{ActionDef, Location, ParamDef, ParamType, Reshapes, ResourceFile, ResponseDef, SseEventDef};
use crate::maintainer::overrides::Overrides;
use crate::maintainer::upstream::{Release, API_INFO};

/// What an import wrote, and what it corrected on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The API version written into `api.yaml`, e.g. `1.30.0`.
    pub version: String,
    /// Resources imported.
    pub resources: usize,
    /// Actions imported.
    pub actions: usize,
    /// Schemas imported.
    pub schemas: usize,
    /// Files created or changed.
    pub written: usize,
    /// Stale files removed.
    pub removed: usize,
    /// The overrides file used, if any.
    pub overrides_file: Option<PathBuf>,
    /// Overrides applied.
    pub overrides: usize,
    /// Overrides skipped as stale (each has a warning).
    pub stale_overrides: usize,
    /// Upstream slips repaired by rule (each has a warning).
    pub repairs: usize,
    /// Places marked as credentials by the rule ([`crate::validate::sensitive`]).
    pub sensitive: usize,
    /// Params marked by the rule as returning a list as an object map
    /// ([`crate::validate::response_modes`]).
    pub reshapes: usize,
    /// One warning per stale override and per repair, in that order.
    pub warnings: Diagnostics,
    /// What happened to the type names of `names.yaml` (kept, new, gone).
    pub names: crate::model::names_table::Update,
    /// What `features.yaml` records (and keeps beyond the current users).
    pub features: crate::model::feature_record::Update,
}

/// The file in the spec directory that holds the overrides.
pub const OVERRIDES_FILE: &str = crate::maintainer::overrides::FILE;

/// How to import: which overrides to apply and which version to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The overrides file to apply; `None` applies none.
    pub overrides: Option<PathBuf>,
    /// The release's API version (`X.Y.Z`); `None` takes the trailing
    /// `X.Y.Z` of the release folder's name.
    pub api_version: Option<String>,
}

/// Imports the release in `release` into the spec directory `spec_dir`,
/// applying `spec_dir/overrides.yaml` if it exists.
pub fn import(release: &Path, spec_dir: &Path) -> Result<ImportReport, Diagnostics> {
    let overrides = Some(spec_dir.join(OVERRIDES_FILE)).filter(|file| file.is_file());
    import_with(release, spec_dir, &ImportOptions { overrides, api_version: None })
}

/// Imports the release in `release` into `spec_dir` as `options` say.
pub fn import_with(release: &Path, spec_dir: &Path, options: &ImportOptions) -> Result<ImportReport, Diagnostics> {
    let mut problems = Diagnostics::default();
    let version = crate::load::version::of_release(release, options.api_version.as_deref())
        .map_err(|d| problems.0.extend(d.0))
        .unwrap_or_default();
    let overrides = match &options.overrides {
        Some(file) => Overrides::read(file).map_err(|d| problems.0.extend(d.0)).ok(),
        None => None,
    };
    let release_data = Release::read(release, &mut problems);
    let Some(mut upstream) = release_data.filter(|_| !problems.has_errors()) else {
        return Err(problems);
    };

    let applied = overrides.as_ref().map(|o| o.apply(&mut upstream)).unwrap_or_default();
    let repairs = crate::maintainer::repair::repair(&mut upstream);
    // Credentials are marked last, so an override's `x-sensitive` decides.
    let sensitive = crate::validate::sensitive::mark(&mut upstream);
    // Likewise params that return a list as an object map: an override's
    // `x-reshapes` decides.
    let reshapes = crate::validate::response_modes::mark(&mut upstream);
    let mut report = ImportReport {
        version,
        overrides_file: options.overrides.clone(),
        overrides: applied.applied,
        stale_overrides: applied.stale.0.len(),
        repairs: repairs.len(),
        sensitive,
        reshapes,
        warnings: applied.stale.clone(),
        ..ImportReport::default()
    };
    let mut notes: BTreeMap<String, Vec<String>> = applied
        .reasons
        .into_iter()
        .map(|(file, reasons)| {
            (file, reasons.into_iter().map(|r| format!("Corrected by spec/overrides.yaml: {r}")).collect())
        })
        .collect();
    for repair in &repairs {
        if let Some(document) = upstream.document(&repair.file) {
            report.warnings.push(document.warning_at(&repair.pointer, format!("repaired: {}", repair.message)));
        }
        notes
            .entry(repair.file.clone())
            .or_default()
            .push(format!("Repaired by `codegen import` at {}: {}", repair.pointer, repair.message));
    }

    // A failure from here on keeps the warnings: a skipped override or a
    // repair may be what the errors come from.
    let warnings = report.warnings.clone();
    write(release, spec_dir, &upstream, &notes, report).map_err(|mut problems| {
        problems.0.extend(warnings.0);
        problems
    })
}

/// Converts the corrected release and writes the spec, `api.yaml`, the
/// Cargo features, the names table and the feature record.
fn write(
    release: &Path,
    spec_dir: &Path,
    upstream: &Release,
    notes: &BTreeMap<String, Vec<String>>,
    mut report: ImportReport,
) -> Result<ImportReport, Diagnostics> {
    let mut problems = Diagnostics::default();
    let version = report.version.clone();
    let api_file = release.join(API_INFO);
    let Some(resources_json) = upstream.api_info.value.as_object() else {
        problems.push(Diagnostic::error(&api_file, "expected an object of resources"));
        return Err(problems);
    };
    let docs = Docs::read(&release.join("docs"), resources_json.keys());
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (name, resource) in resources_json {
        match convert_resource(name, resource, &docs) {
            Ok(file) => {
                report.resources += 1;
                report.actions += file.actions.len();
                let text = to_yaml(&file).map_err(|e| Diagnostic::error(&api_file, format!("resource `{name}`: {e}")));
                match text {
                    Ok(text) => {
                        let header = format!(
                            "# The {} resource. Imported from v{version} by `codegen import`: edit upstream data\n# through spec/overrides.yaml, not here. Format: spec/README.md.\n",
                            file.title.as_deref().unwrap_or(name),
                        );
                        files.insert(PathBuf::from(format!("resources/{name}.yaml")), header + &text);
                    }
                    Err(d) => problems.push(d),
                }
            }
            Err(message) => problems.push(Diagnostic::error(&api_file, message).item(format!("resources.{name}"))),
        }
    }
    for (name, document) in &upstream.schemas {
        let mut out = Map::new();
        if let Some(title) = docs.schema_titles.get(name) {
            out.insert("title".into(), Value::String(title.clone()));
        }
        if let Some(object) = document.value.as_object() {
            for (key, value) in object {
                if key != "$schema" {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let mut header =
            format!("# Schema `{name}` (JSON Schema, in YAML). Imported from v{version} by `codegen import`.\n");
        for note in notes.get(&format!("schemas/{name}.json")).into_iter().flatten() {
            header.push_str(&format!("# {note}\n"));
        }
        match serde_yaml::to_string(&Value::Object(out)) {
            Ok(text) => {
                files.insert(PathBuf::from(format!("schemas/{name}.yaml")), header + &text);
                report.schemas += 1;
            }
            Err(e) => problems.push(Diagnostic::error(&document.file, e.to_string())),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    write_spec(spec_dir, &files, &version, &mut report)?;
    let mut modules: Vec<String> = resources_json.keys().map(|name| crate::model::names::module(name)).collect();
    modules.sort();
    update_cargo_features(spec_dir, &modules, &mut report)?;
    // Names last, from the spec as written: existing names stay, new places
    // get names; then the features each type (by those names) is compiled with.
    let tables = crate::update_tables(spec_dir)?;
    report.names = tables.names;
    report.features = tables.features;
    Ok(report)
}

/// What the reference docs add to apiInfo.json: titles and full scope lists.
#[derive(Default)]
struct Docs {
    /// Resource → its title (`Org` from `# Org Actions`).
    resource_titles: BTreeMap<String, String>,
    /// (resource, action) → (heading, scopes).
    actions: BTreeMap<(String, String), (String, Vec<String>)>,
    /// Schema name → display title, from the docs' links.
    schema_titles: BTreeMap<String, String>,
}

impl Docs {
    fn read<'a>(dir: &Path, resources: impl Iterator<Item = &'a String>) -> Docs {
        let mut docs = Docs::default();
        for resource in resources {
            let Ok(text) = fs::read_to_string(dir.join(format!("{resource}.md"))) else {
                continue;
            };
            docs.read_resource(resource, &text);
        }
        docs
    }

    fn read_resource(&mut self, resource: &str, text: &str) {
        if let Some(title) = text.lines().next().and_then(|l| l.strip_prefix("# ")) {
            self.resource_titles.insert(resource.to_string(), title.trim_end_matches(" Actions").trim().to_string());
        }
        for section in text.split("\n## ").skip(1) {
            let heading = section.lines().next().unwrap_or_default().trim().to_string();
            let call = format!("client.{resource}.");
            let Some(action) = section.split(&call).nth(1).and_then(|rest| rest.split('(').next()) else {
                continue;
            };
            let scopes = section
                .split("at least one of the following scopes:\n")
                .nth(1)
                .and_then(|rest| rest.lines().next())
                .map(parse_scopes)
                .unwrap_or_default();
            self.actions.insert((resource.to_string(), action.to_string()), (heading, scopes));
        }
        let mut rest = text;
        while let Some(start) = rest.find("](../lib/schemas/") {
            let before = &rest[..start];
            let title = before.rfind('[').map(|open| &before[open + 1..]);
            let after = &rest[start + "](../lib/schemas/".len()..];
            let name = after.split(".json)").next().unwrap_or_default();
            if let Some(title) = title {
                self.schema_titles.entry(name.to_string()).or_insert_with(|| title.to_string());
            }
            rest = after;
        }
    }
}

/// `a, b, c, or d.` → `[a, b, c, d]`.
fn parse_scopes(line: &str) -> Vec<String> {
    line.trim()
        .trim_end_matches('.')
        .split(", ")
        .map(|s| s.strip_prefix("or ").unwrap_or(s).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn convert_resource(name: &str, json: &Value, docs: &Docs) -> Result<ResourceFile, String> {
    let path = str_field(json, "path").ok_or("missing `path`")?.to_string();
    let params = list(json, "params").iter().map(convert_param).collect::<Result<Vec<_>, _>>()?;
    let actions_json = json.get("actions").and_then(Value::as_object).ok_or("missing `actions`")?;
    let mut actions = Vec::new();
    for (action_name, action) in actions_json {
        actions
            .push(convert_action(name, action_name, action, docs).map_err(|e| format!("action `{action_name}`: {e}"))?);
    }
    Ok(ResourceFile {
        name: name.to_string(),
        title: docs.resource_titles.get(name).cloned(),
        description: None,
        path,
        params,
        actions,
    })
}

fn convert_action(resource: &str, name: &str, json: &Value, docs: &Docs) -> Result<ActionDef, String> {
    let doc = docs.actions.get(&(resource.to_string(), name.to_string()));
    let auth: Vec<String> = list(json, "auth").iter().filter_map(|s| s.as_str().map(str::to_string)).collect();
    let (title, scopes, note) = match doc {
        Some((heading, scopes)) => (Some(heading.clone()), scopes.clone(), None),
        None => (
            None,
            auth,
            Some("The reference docs have no entry for this action: `scopes` is apiInfo.json's own list, which names only the narrowest scope, and `title` is derived from the name.".to_string()),
        ),
    };
    let mut responses = Vec::new();
    let mut sse_events = None;
    let responses_json = json.get("responses").and_then(Value::as_object).ok_or("missing `responses`")?;
    for (status, response) in responses_json {
        let status: u16 = status.parse().map_err(|_| format!("response status `{status}` is not a number"))?;
        if let Some(events) = response.get("sseEvents").and_then(Value::as_object) {
            sse_events = Some(
                events
                    .iter()
                    .map(|(event, e)| SseEventDef {
                        name: event.clone(),
                        schema: schema_ref(e),
                        description: str_field(e, "description").map(str::to_string),
                    })
                    .collect(),
            );
        }
        responses.push(ResponseDef {
            status,
            schema: schema_ref(response),
            description: str_field(response, "description").map(str::to_string),
        });
    }
    // Upstream gives an action's one line as `summary`, or for a few actions
    // (`auth.*`, `orgInvites.*`) as `description` alone: that is the summary
    // then, and the docs lead with it. A `description` beside a `summary` is
    // the longer text.
    let (summary, description) = match (str_field(json, "summary"), str_field(json, "description")) {
        (None, Some(description)) => (Some(description), None),
        other => other,
    };
    Ok(ActionDef {
        name: name.to_string(),
        title,
        summary: summary.map(str::to_string),
        description: description.map(str::to_string),
        note,
        method: str_field(json, "method").ok_or("missing `method`")?.to_string(),
        path: str_field(json, "path").map(str::to_string),
        scopes,
        params: list(json, "params").iter().map(convert_param).collect::<Result<Vec<_>, _>>()?,
        responses,
        deny_oauth_tokens: json.get("denyOauthTokens").and_then(Value::as_bool).unwrap_or(false),
        allow_unverified: json.get("allowUnverified").and_then(Value::as_bool).unwrap_or(false),
        sse_events,
    })
}

fn convert_param(json: &Value) -> Result<ParamDef, String> {
    let name = str_field(json, "name").ok_or("a param has no `name`")?.to_string();
    let location: Location = serde_json::from_value(json.get("in").cloned().unwrap_or(Value::Null))
        .map_err(|_| format!("param `{name}`: unknown location {}", json.get("in").unwrap_or(&Value::Null)))?;
    let ty: Option<ParamType> = match json.get("type") {
        None => None,
        Some(t) => Some(serde_json::from_value(t.clone()).map_err(|_| format!("param `{name}`: unknown type {t}"))?),
    };
    Ok(ParamDef {
        name,
        location,
        ty,
        schema: schema_ref(json),
        required: json.get("required").and_then(Value::as_bool).unwrap_or(false),
        description: str_field(json, "description").map(str::to_string),
        default: json.get("default").cloned(),
        example: json.get("example").cloned(),
        allowed: json.get("enum").and_then(Value::as_array).cloned(),
        pattern: str_field(json, "pattern").map(str::to_string),
        min_length: json.get("minLength").and_then(Value::as_u64),
        deprecated: json.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
        sensitive: json.get(crate::validate::sensitive::KEYWORD).and_then(Value::as_bool),
        reshapes: match json.get(crate::validate::response_modes::KEYWORD) {
            Some(Value::String(field)) => Some(Reshapes::Field(field.clone())),
            Some(Value::Bool(flag)) => Some(Reshapes::Flag(*flag)),
            Some(Value::Null) => Some(Reshapes::Flag(false)),
            _ => None,
        },
    })
}

/// `{"schema": {"$ref": "#/definitions/org"}}` → `org`.
fn schema_ref(json: &Value) -> Option<String> {
    let reference = json.get("schema")?.get("$ref")?.as_str()?;
    Some(reference.rsplit('/').next().unwrap_or(reference).to_string())
}

fn str_field<'a>(json: &'a Value, key: &str) -> Option<&'a str> {
    json.get(key).and_then(Value::as_str)
}

fn list<'a>(json: &'a Value, key: &str) -> &'a [Value] {
    json.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

fn to_yaml<T: serde::Serialize>(value: &T) -> Result<String, serde_yaml::Error> {
    serde_yaml::to_string(value)
}

/// Writes the files that changed, removes stale ones, and keeps `api.yaml`'s
/// version in step with the release (or writes a fresh `api.yaml`).
fn write_spec(
    dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    version: &str,
    report: &mut ImportReport,
) -> Result<(), Diagnostics> {
    let io = |path: &Path, e: std::io::Error| Diagnostics(vec![Diagnostic::error(path, format!("cannot write: {e}"))]);
    for sub in ["resources", "schemas"] {
        let sub_dir = dir.join(sub);
        fs::create_dir_all(&sub_dir).map_err(|e| io(&sub_dir, e))?;
        let wanted: BTreeSet<PathBuf> = files.keys().filter(|p| p.starts_with(sub)).map(|p| dir.join(p)).collect();
        for entry in fs::read_dir(&sub_dir).map_err(|e| io(&sub_dir, e))?.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yaml") && !wanted.contains(&path) {
                fs::remove_file(&path).map_err(|e| io(&path, e))?;
                report.removed += 1;
            }
        }
    }
    for (relative, text) in files {
        let path = dir.join(relative);
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            fs::write(&path, text).map_err(|e| io(&path, e))?;
            report.written += 1;
        }
    }
    let api_file = dir.join("api.yaml");
    let api = match fs::read_to_string(&api_file) {
        Ok(text) => {
            text.lines()
                .map(|line| {
                    if line.starts_with("version: ") {
                        format!("version: {version}")
                    } else if line.starts_with("accept_version: ") {
                        format!("accept_version: ^{version}")
                    } else {
                        line.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        }
        Err(_) => default_api_yaml(version),
    };
    if fs::read_to_string(&api_file).ok().as_deref() != Some(api.as_str()) {
        fs::write(&api_file, api).map_err(|e| io(&api_file, e))?;
        report.written += 1;
    }
    Ok(())
}

/// The lines that delimit the resource features in the client's Cargo.toml.
pub const FEATURES_BEGIN: &str = "# BEGIN resource features: written by `codegen import`, one per resource";
/// See [`FEATURES_BEGIN`].
pub const FEATURES_END: &str = "# END resource features";

/// Rewrites the resource features in the Cargo.toml beside the spec
/// directory, if it has the marker lines; leaves everything else alone.
fn update_cargo_features(spec_dir: &Path, modules: &[String], report: &mut ImportReport) -> Result<(), Diagnostics> {
    let Some(manifest) = spec_dir.parent().map(|dir| dir.join("Cargo.toml")) else { return Ok(()) };
    let Ok(text) = fs::read_to_string(&manifest) else { return Ok(()) };
    let (Some(begin), Some(end)) = (text.find(FEATURES_BEGIN), text.find(FEATURES_END)) else { return Ok(()) };
    if end < begin {
        return Err(Diagnostics(vec![Diagnostic::error(&manifest, "the resource feature markers are out of order")]));
    }
    let block = crate::model::features::cargo_feature_lines(modules);
    let updated = format!("{}{FEATURES_BEGIN}\n{block}{}", &text[..begin], &text[end..]);
    if updated != text {
        fs::write(&manifest, updated)
            .map_err(|e| Diagnostics(vec![Diagnostic::error(&manifest, format!("cannot write: {e}"))]))?;
        report.written += 1;
    }
    Ok(())
}

/// `api.yaml` for a new spec directory: what the official clients send with every request.
fn default_api_yaml(version: &str) -> String {
    format!(
        "# What every action of the Losant Platform API shares. Format: spec/README.md.
title: Losant Platform API
description: User API for accessing platform data
version: {version}
base_url: https://api.losant.com
# Sent as the `Accept-Version` header: the server answers in a compatible version.
accept_version: ^{version}
auth:
  # Sent as `Authorization: Bearer <token>`.
  scheme: bearer
# Params every action takes. Query params with a default are always sent, in
# this order, before the action's own query params (as the official clients do).
params:
- name: _actions
  in: query
  type: boolean
  default: false
  description: Return resource actions in response
- name: _links
  in: query
  type: boolean
  default: true
  description: Return resource link in response
- name: _embedded
  in: query
  type: boolean
  default: true
  description: Return embedded resources in response
- name: losantdomain
  in: header
  type: string
  example: example.com
  description: Domain scope of request (rarely needed)
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_from_the_docs_sentence() {
        assert_eq!(
            parse_scopes("all.Organization, all.User, org.*, or org.get."),
            ["all.Organization", "all.User", "org.*", "org.get"]
        );
        assert_eq!(parse_scopes("all.User, or me.get."), ["all.User", "me.get"]);
    }
}

//! `codegen diff`: what changed between two specs, and what each change does
//! to the generated Rust API and to callers on the wire.
//!
//! Each change is classified: *breaking* (code that compiled may not, or a
//! request that worked may not), *compatible* (something new that breaks
//! nothing), or *docs* (text only). The release needs a major bump for any
//! breaking change, a minor one for compatible changes, a patch for docs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::model::{Action, Api, Param, Resource};

/// What a change does to callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Breaks code that compiled, or requests that worked.
    Breaking,
    /// Adds something; breaks nothing.
    Compatible,
    /// Changes text only.
    Docs,
}

/// One change between two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it does to callers.
    pub impact: Impact,
    /// The resource it is in, or `schemas` for schema changes.
    pub group: String,
    /// The spec item, e.g. `org.get.params.summaryInclude`.
    pub item: String,
    /// What changed, in words.
    pub what: String,
}

/// Every change, most severe first within each group.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Report {
    /// The most severe impact, if anything changed.
    pub fn worst(&self) -> Option<Impact> {
        self.changes.iter().map(|c| c.impact).min()
    }

    /// The semver bump the release needs: `major`, `minor`, `patch` or `none`.
    pub fn bump(&self) -> &'static str {
        match self.worst() {
            Some(Impact::Breaking) => "major",
            Some(Impact::Compatible) => "minor",
            Some(Impact::Docs) => "patch",
            None => "none",
        }
    }

    /// The exit code of `codegen diff`: 0 no change, 1 compatible (or docs) changes, 2 breaking changes.
    pub fn exit_code(&self) -> u8 {
        match self.worst() {
            None => 0,
            Some(Impact::Breaking) => 2,
            Some(_) => 1,
        }
    }
}

impl fmt::Display for Report {
    /// Grouped by resource, most severe first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "no changes");
        }
        let mut groups: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for change in &self.changes {
            groups.entry(&change.group).or_default().push(change);
        }
        for (group, changes) in groups {
            writeln!(f, "{group}")?;
            for change in changes {
                let impact = match change.impact {
                    Impact::Breaking => "breaking  ",
                    Impact::Compatible => "compatible",
                    Impact::Docs => "docs      ",
                };
                writeln!(f, "  {impact}  {}: {}", change.item, change.what)?;
            }
        }
        let count = |impact| self.changes.iter().filter(|c| c.impact == impact).count();
        writeln!(
            f,
            "\n{} breaking, {} compatible, {} docs: the release needs a {} version bump",
            count(Impact::Breaking),
            count(Impact::Compatible),
            count(Impact::Docs),
            self.bump()
        )
    }
}

/// Compares two checked specs.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut report = Report::default();
    let mut push = |impact, group: &str, item: String, what: String| {
        report.changes.push(Change { impact, group: group.to_string(), item, what });
    };
    let old_resources: BTreeMap<&str, &Resource> = old.resources.iter().map(|r| (r.name.as_str(), r)).collect();
    let new_resources: BTreeMap<&str, &Resource> = new.resources.iter().map(|r| (r.name.as_str(), r)).collect();
    for (name, resource) in &old_resources {
        if !new_resources.contains_key(name) {
            push(
                Impact::Breaking,
                name,
                name.to_string(),
                format!("resource removed ({} actions)", resource.actions.len()),
            );
        }
    }
    for (name, resource) in &new_resources {
        let Some(before) = old_resources.get(name) else {
            push(
                Impact::Compatible,
                name,
                name.to_string(),
                format!("resource added ({} actions)", resource.actions.len()),
            );
            continue;
        };
        let old_actions: BTreeMap<&str, &Action> = before.actions.iter().map(|a| (a.name.as_str(), a)).collect();
        let new_actions: BTreeMap<&str, &Action> = resource.actions.iter().map(|a| (a.name.as_str(), a)).collect();
        for action in old_actions.keys().filter(|a| !new_actions.contains_key(*a)) {
            push(Impact::Breaking, name, format!("{name}.{action}"), "action removed".into());
        }
        for (action_name, action) in &new_actions {
            let item = format!("{name}.{action_name}");
            match old_actions.get(action_name) {
                None => {
                    // Name the action's own params: a new action brings them too.
                    let params: Vec<&str> = action
                        .params
                        .iter()
                        .filter(|p| p.origin == crate::model::Origin::Action)
                        .map(|p| p.name.as_str())
                        .collect();
                    let with =
                        if params.is_empty() { String::new() } else { format!(" with params {}", params.join(", ")) };
                    push(
                        Impact::Compatible,
                        name,
                        item,
                        format!("action added: {} {}{with}", action.method, action.path),
                    )
                }
                Some(was) => diff_action(was, action, &mut |impact, item, what| push(impact, name, item, what), &item),
            }
        }
    }
    let mut schema_changes = Vec::new();
    diff_schemas(old, new, &mut |impact, item, what| schema_changes.push((impact, item, what)));
    for (impact, item, what) in schema_changes {
        push(impact, "schemas", item, what);
    }
    report.changes.sort_by(|a, b| (&a.group, a.impact, &a.item).cmp(&(&b.group, b.impact, &b.item)));
    report
}

type Sink<'a> = dyn FnMut(Impact, String, String) + 'a;

fn diff_action(old: &Action, new: &Action, push: &mut Sink<'_>, item: &str) {
    if old.method != new.method {
        push(Impact::Breaking, item.to_string(), format!("method {} -> {}", old.method, new.method));
    }
    if old.path != new.path {
        push(Impact::Breaking, item.to_string(), format!("path {} -> {}", old.path, new.path));
    }
    if old.summary != new.summary || old.description != new.description {
        push(Impact::Docs, item.to_string(), "summary or description changed".into());
    }
    let old_scopes: BTreeSet<&String> = old.scopes.iter().collect();
    let new_scopes: BTreeSet<&String> = new.scopes.iter().collect();
    for scope in old_scopes.difference(&new_scopes) {
        push(Impact::Breaking, format!("{item}.scopes"), format!("scope `{scope}` no longer grants the action"));
    }
    for scope in new_scopes.difference(&old_scopes) {
        push(Impact::Compatible, format!("{item}.scopes"), format!("scope `{scope}` now grants the action"));
    }
    let old_params: BTreeMap<&str, &Param> = old.params.iter().map(|p| (p.name.as_str(), p)).collect();
    for param in &old.params {
        if !new.params.iter().any(|p| p.name == param.name) {
            push(Impact::Breaking, format!("{item}.params.{}", param.name), "param removed".into());
        }
    }
    for param in &new.params {
        let param_item = format!("{item}.params.{}", param.name);
        let Some(was) = old_params.get(param.name.as_str()) else {
            let (impact, what) = if param.required {
                (Impact::Breaking, "required param added (a new argument)")
            } else {
                (Impact::Compatible, "optional param added")
            };
            push(impact, param_item, what.into());
            continue;
        };
        diff_param(was, param, push, &param_item);
    }
    let old_responses: BTreeMap<u16, &crate::model::Response> = old.responses.iter().map(|r| (r.status, r)).collect();
    for response in &old.responses {
        if !new.responses.iter().any(|r| r.status == response.status) {
            let impact = if response.is_success() { Impact::Breaking } else { Impact::Compatible };
            push(impact, format!("{item}.responses.{}", response.status), "response removed".into());
        }
    }
    for response in &new.responses {
        let response_item = format!("{item}.responses.{}", response.status);
        match old_responses.get(&response.status) {
            None => {
                // A new success status with its own body changes what send() returns.
                let impact = if response.is_success() { Impact::Breaking } else { Impact::Compatible };
                push(
                    impact,
                    response_item,
                    format!("response added ({})", response.schema.as_deref().unwrap_or("no body")),
                );
            }
            Some(was) if was.schema != response.schema => {
                let impact = if response.is_success() { Impact::Breaking } else { Impact::Compatible };
                let (from, to) =
                    (was.schema.as_deref().unwrap_or("no body"), response.schema.as_deref().unwrap_or("no body"));
                push(impact, response_item, format!("body {from} -> {to}"));
            }
            Some(was) if was.description != response.description => {
                push(Impact::Docs, response_item, "description changed".into());
            }
            Some(_) => {}
        }
    }
}

fn diff_param(old: &Param, new: &Param, push: &mut Sink<'_>, item: &str) {
    let mut change = |impact, what: String| push(impact, item.to_string(), what);
    if old.location != new.location {
        change(Impact::Breaking, format!("moved from {:?} to {:?}", old.location, new.location).to_lowercase());
    }
    if old.ty != new.ty || old.schema != new.schema {
        change(Impact::Breaking, format!("type {} -> {}", param_type(old), param_type(new)));
    }
    match (old.required, new.required) {
        (false, true) => change(Impact::Breaking, "now required (a new argument)".into()),
        (true, false) => change(Impact::Breaking, "now optional (an argument becomes a setter)".into()),
        _ => {}
    }
    if old.default != new.default {
        change(Impact::Compatible, format!("default {} -> {}", show(&old.default), show(&new.default)));
    }
    if old.pattern != new.pattern {
        change(
            Impact::Breaking,
            format!(
                "pattern {} -> {}",
                old.pattern.as_deref().unwrap_or("none"),
                new.pattern.as_deref().unwrap_or("none")
            ),
        );
    }
    let values = |p: &Param| p.allowed.iter().flatten().map(|v| v.to_string()).collect::<BTreeSet<_>>();
    let (before, after) = (values(old), values(new));
    for removed in before.difference(&after) {
        change(Impact::Breaking, format!("value {removed} no longer allowed"));
    }
    for added in after.difference(&before) {
        change(Impact::Compatible, format!("value {added} now allowed"));
    }
    if old.deprecated != new.deprecated {
        change(Impact::Docs, if new.deprecated { "deprecated".into() } else { "no longer deprecated".into() });
    }
    if old.description != new.description {
        change(Impact::Docs, "description changed".into());
    }
}

fn param_type(p: &Param) -> String {
    match (&p.schema, p.ty) {
        (Some(schema), _) => schema.clone(),
        (None, Some(ty)) => format!("{ty:?}").to_lowercase(),
        (None, None) => "none".into(),
    }
}

fn show(value: &Option<Value>) -> String {
    value.as_ref().map_or("none".to_string(), Value::to_string)
}

/// Schema changes down to fields and enum values.
fn diff_schemas(old: &Api, new: &Api, push: &mut Sink<'_>) {
    for name in old.schemas.keys().filter(|n| !new.schemas.contains_key(*n)) {
        push(Impact::Breaking, name.clone(), "schema removed".into());
    }
    for (name, schema) in &new.schemas {
        match old.schemas.get(name) {
            None => push(Impact::Compatible, name.clone(), "schema added".into()),
            Some(was) => diff_node(&was.json, &schema.json, name, push),
        }
    }
}

/// Compares two schema nodes: type, enum values, properties and requiredness,
/// then recurses into properties, items and branches.
fn diff_node(old: &Value, new: &Value, path: &str, push: &mut Sink<'_>) {
    if old == new {
        return;
    }
    let kind = |v: &Value| v.get("type").map(Value::to_string).unwrap_or_else(|| "none".into());
    if kind(old) != kind(new) {
        push(Impact::Breaking, path.to_string(), format!("type {} -> {}", kind(old), kind(new)));
        return;
    }
    let values = |v: &Value| {
        v.get("enum").and_then(Value::as_array).map(|e| e.iter().map(Value::to_string).collect::<BTreeSet<_>>())
    };
    if let (Some(before), Some(after)) = (values(old), values(new)) {
        for removed in before.difference(&after) {
            push(Impact::Breaking, path.to_string(), format!("enum value {removed} removed"));
        }
        for added in after.difference(&before) {
            // Enums keep unknown values, so a new one decodes as `Unknown`.
            push(Impact::Compatible, path.to_string(), format!("enum value {added} added"));
        }
    }
    let properties = |v: &Value| v.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let required = |v: &Value| -> BTreeSet<String> {
        v.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str().map(String::from))
            .collect()
    };
    let (old_props, new_props) = (properties(old), properties(new));
    let (old_required, new_required) = (required(old), required(new));
    for name in old_props.keys().filter(|k| !new_props.contains_key(*k)) {
        push(Impact::Breaking, format!("{path}.{name}"), "field removed".into());
    }
    for (name, schema) in &new_props {
        let field = format!("{path}.{name}");
        match old_props.get(name) {
            None if new_required.contains(name) => push(Impact::Breaking, field, "required field added".into()),
            None => push(Impact::Compatible, field, "optional field added".into()),
            Some(was) => {
                match (old_required.contains(name), new_required.contains(name)) {
                    // The Rust field changes between `T` and `Option<T>` either way.
                    (false, true) => push(Impact::Breaking, field.clone(), "now required (Option<T> -> T)".into()),
                    (true, false) => push(Impact::Breaking, field.clone(), "now optional (T -> Option<T>)".into()),
                    _ => {}
                }
                diff_node(was, schema, &field, push);
            }
        }
    }
    if let (Some(was), Some(now)) = (old.get("items"), new.get("items")) {
        diff_node(was, now, &format!("{path}[]"), push);
    }
    for key in ["oneOf", "anyOf"] {
        let (was, now) = (old.get(key).and_then(Value::as_array), new.get(key).and_then(Value::as_array));
        if let (Some(was), Some(now)) = (was, now) {
            if was.len() != now.len() {
                push(
                    Impact::Breaking,
                    path.to_string(),
                    format!("{key} has {} branches, was {}", now.len(), was.len()),
                );
            } else {
                for (i, (a, b)) in was.iter().zip(now).enumerate() {
                    diff_node(a, b, &format!("{path}|{i}"), push);
                }
            }
        }
    }
    if old.get("description") != new.get("description") && old.get("title") == new.get("title") {
        push(Impact::Docs, path.to_string(), "description changed".into());
    }
}

//! Why the Rust surface changed: the upstream schema or param at the places
//! involved, a maintainer's edit of `spec/names.yaml`, or neither, when the
//! change is the generator's own (a bug: a type's identity, names, derives
//! and features must follow the API, not the generator's choices).
//!
//! A place's schema is found by walking its path (`org.members[].role`:
//! schema `org`, property `members`, its items, property `role`) in each
//! release's schemas; a param enum's place (`orgs.get.params.sortField`) is
//! the action's param. Two versions of a place differ *breakingly* when a
//! caller's code could need to change for it (a property removed or made
//! required, a type or format changed, an enum value removed, a union's
//! branches changed), and *additively* otherwise (an optional property or an
//! enum value added, texts and length limits changed): an additive change
//! must leave every existing Rust item as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::maintainer::surface::Surface;

/// How deep a walk follows `$ref`s and nested schemas before it gives up.
const DEPTH: usize = 64;

/// What became of the schema at one place between two releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Delta {
    /// The same on both sides, or changed in texts only.
    Unchanged,
    /// Changed in ways that break no caller (optional properties or enum values added).
    Additive,
    /// Changed in a way that can break callers: the fact, in words.
    Breaking(String),
    /// The place is gone.
    Gone,
    /// The place is new.
    New,
    /// The place cannot be found in either release (not a schema path).
    Unknown,
}

/// What changed at a place (`org.members[]`, `orgs.get.params.sortField`).
pub(super) fn delta(old: &Surface, new: &Surface, place: &str) -> Delta {
    match (value_at(old, place), value_at(new, place)) {
        (None, None) => Delta::Unknown,
        (Some(_), None) => Delta::Gone,
        (None, Some(_)) => Delta::New,
        (Some(a), Some(b)) => {
            if a == b {
                return Delta::Unchanged;
            }
            let mut walk = Walk { old: &old.schemas, new: &new.schemas, depth: 0 };
            match walk.breaking(&a, &b, place) {
                Some(fact) => Delta::Breaking(fact),
                None if texts_only(&a, &b) => Delta::Unchanged,
                None => Delta::Additive,
            }
        }
    }
}

/// The upstream fact that explains a break of the type serving `places`
/// (each with `suffix` appended: `.role` for one of its fields), or, as
/// `Err`, why none does.
pub(super) fn at_places<'a>(
    old: &Surface,
    new: &Surface,
    places: impl IntoIterator<Item = &'a String>,
    suffix: &str,
) -> Result<String, String> {
    let places: BTreeSet<String> = places.into_iter().map(|p| format!("{p}{suffix}")).collect();
    let mut additive = Vec::new();
    let mut unchanged = Vec::new();
    for place in &places {
        match delta(old, new, place) {
            Delta::Breaking(fact) => return Ok(fact),
            Delta::Gone => return Ok(removed(place)),
            Delta::Additive => additive.push(format!("`{place}`")),
            Delta::Unchanged => unchanged.push(format!("`{place}`")),
            Delta::New | Delta::Unknown => {}
        }
    }
    Err(match (additive.is_empty(), unchanged.is_empty()) {
        (true, true) => "no upstream change at its places explains it".to_string(),
        (true, false) => format!("the schema at {} did not change", super::some_of(&unchanged, 3)),
        (false, _) => format!(
            "the schema at {} changed only in ways that break no caller (optional properties or values added)",
            super::some_of(&additive, 3)
        ),
    })
}

/// `property `iconColor` of `orgPatch` removed`, or `` `org.tags[]` removed ``.
fn removed(place: &str) -> String {
    match place.rsplit_once('.') {
        Some((parent, property)) if !property.contains(['[', '{', '|']) => {
            format!("property `{property}` of `{parent}` removed")
        }
        _ => format!("`{place}` removed"),
    }
}

/// The edit of `names.yaml` that renamed `from` to `to`: a line whose
/// place kept its key and whose name went from one to the other. `codegen
/// import` never rewrites a kept name, so such a line is a maintainer's edit.
pub(super) fn table_edit(old: &Surface, new: &Surface, from: &str, to: &str) -> Option<String> {
    old.names
        .iter()
        .find(|(key, name)| name.as_str() == from && new.names.get(*key).is_some_and(|now| now == to))
        .map(|(key, _)| format!("`{key}: {from}` edited to `{key}: {to}`"))
}

/// The names of `spec/names.yaml` (place → name), every string-valued entry
/// at any depth (`a/b` for nested keys), or none when the file is missing.
pub fn read_names(spec_dir: &Path) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(spec_dir.join(crate::model::names_table::FILE)) else { return names };
    if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) {
        flatten("", &value, &mut names);
    }
    names
}

fn flatten(prefix: &str, value: &serde_yaml::Value, out: &mut BTreeMap<String, String>) {
    let serde_yaml::Value::Mapping(map) = value else { return };
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        let key = if prefix.is_empty() { key.to_string() } else { format!("{prefix}/{key}") };
        match value {
            serde_yaml::Value::String(name) => {
                out.insert(key, name.clone());
            }
            serde_yaml::Value::Mapping(_) => flatten(&key, value, out),
            _ => {}
        }
    }
}

/// The schema at a place, or a param enum's param as a schema
/// (`{"type": .., "enum": [..]}`).
fn value_at(surface: &Surface, place: &str) -> Option<Value> {
    if let Some((action, param)) = place.split_once(".params.") {
        let (resource, action) = action.split_once('.')?;
        let p = surface.resources.get(resource)?.actions.get(action)?.spec.params.iter().find(|p| p.name == param)?;
        return Some(json!({
            "type": p.ty.map(|t| format!("{t:?}").to_lowercase()),
            "schema": p.schema,
            "enum": p.allowed,
        }));
    }
    schema_at(&surface.schemas, place).cloned()
}

/// Walks a place's path through the named schemas: `.name` a property,
/// `[]` the items, `{}` the values of a map. A union branch (`|label`) is
/// not followed: the path stops at the union, so a change anywhere in the
/// union counts for each of its branches.
fn schema_at<'a>(schemas: &'a BTreeMap<String, Value>, place: &str) -> Option<&'a Value> {
    let place = place.split('|').next().unwrap_or(place);
    let end = place.find(['.', '[', '{']).unwrap_or(place.len());
    let mut at = resolve(schemas, schemas.get(&place[..end])?);
    let mut rest = &place[end..];
    while !rest.is_empty() {
        at = resolve(schemas, unwrap_nullable(at));
        if let Some(after) = rest.strip_prefix("[]") {
            at = at.get("items")?;
            rest = after;
        } else if let Some(after) = rest.strip_prefix("{}") {
            at = at.get("additionalProperties").filter(|v| v.is_object())?;
            rest = after;
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[', '{']).unwrap_or(after.len());
            at = at.get("properties")?.get(&after[..end])?;
            rest = &after[end..];
        } else {
            return None;
        }
    }
    Some(resolve(schemas, at))
}

/// Follows a local `$ref` (`#/definitions/name`), a few levels at most.
fn resolve<'a>(schemas: &'a BTreeMap<String, Value>, mut schema: &'a Value) -> &'a Value {
    for _ in 0..8 {
        let Some(target) = schema.get("$ref").and_then(Value::as_str) else { break };
        match target.rsplit('/').next().and_then(|name| schemas.get(name)) {
            Some(found) => schema = found,
            None => break,
        }
    }
    schema
}

/// `oneOf: [X, {type: null}]` → X, as the Rust type reads it.
fn unwrap_nullable(schema: &Value) -> &Value {
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let real: Vec<&Value> = branches.iter().filter(|b| b.get("type") != Some(&json!("null"))).collect();
            if let [only] = real.as_slice() {
                return only;
            }
        }
    }
    schema
}

/// Keys that change docs or checks but no Rust type.
const TEXTS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "default",
    "$schema",
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
    "pattern",
    "minimum",
    "maximum",
];

fn texts_only(a: &Value, b: &Value) -> bool {
    strip(a) == strip(b)
}

fn strip(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(k, _)| !TEXTS.contains(&k.as_str())).map(|(k, v)| (k.clone(), strip(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
        other => other.clone(),
    }
}

/// Compares two versions of a schema for changes that can break callers.
struct Walk<'a> {
    old: &'a BTreeMap<String, Value>,
    new: &'a BTreeMap<String, Value>,
    depth: usize,
}

impl Walk<'_> {
    /// The first change of `old` → `new` (at `path`) that can break a caller, in words.
    fn breaking(&mut self, old: &Value, new: &Value, path: &str) -> Option<String> {
        if self.depth > DEPTH {
            return None;
        }
        self.depth += 1;
        let found = self.compare(old, new, path);
        self.depth -= 1;
        found
    }

    fn compare(&mut self, old: &Value, new: &Value, path: &str) -> Option<String> {
        let (old_ref, new_ref) = (old.get("$ref"), new.get("$ref"));
        if old_ref.is_some() || new_ref.is_some() {
            // The referenced schema's own changes are its places'.
            return (old_ref != new_ref).then(|| format!("`{path}` now refers to {}", show(new_ref)));
        }
        let (a, b) = (unwrap_nullable(old), unwrap_nullable(new));
        let nullable = |v: &Value| crate::typegen::is_nullable(v);
        if nullable(old) != nullable(new) {
            let what = if nullable(new) { "now allows null" } else { "no longer allows null" };
            return Some(format!("`{path}` {what}"));
        }
        let (Some(x), Some(y)) = (a.as_object(), b.as_object()) else {
            return (strip(a) != strip(b)).then(|| format!("`{path}` changed"));
        };
        for key in ["type", "format", "const"] {
            if x.get(key) != y.get(key) {
                return Some(format!("`{path}` {key} {} (was {})", show(y.get(key)), show(x.get(key))));
            }
        }
        if let Some(fact) = enum_values(x, y, path) {
            return Some(fact);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if x.get(key).map(strip) != y.get(key).map(strip) {
                return Some(format!("the branches (`{key}`) of `{path}` changed"));
            }
        }
        if let Some(fact) = self.properties(x, y, path) {
            return Some(fact);
        }
        for (key, suffix) in [("items", "[]"), ("additionalProperties", "{}")] {
            match (x.get(key), y.get(key)) {
                (Some(p), Some(q)) if p.is_object() && q.is_object() => {
                    if let Some(fact) = self.breaking(p, q, &format!("{path}{suffix}")) {
                        return Some(fact);
                    }
                }
                (p, q) if p.map(strip) != q.map(strip) => {
                    return Some(format!("`{key}` of `{path}` changed"));
                }
                _ => {}
            }
        }
        None
    }

    fn properties(&mut self, x: &Map<String, Value>, y: &Map<String, Value>, path: &str) -> Option<String> {
        let required = |m: &Map<String, Value>| -> BTreeSet<String> {
            m.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        };
        let empty = Map::new();
        let props = |m: &Map<String, Value>| -> Map<String, Value> {
            m.get("properties").and_then(Value::as_object).unwrap_or(&empty).clone()
        };
        let (was, now) = (props(x), props(y));
        let (was_required, now_required) = (required(x), required(y));
        for name in was.keys() {
            if !now.contains_key(name) {
                return Some(format!("property `{name}` of `{path}` removed"));
            }
        }
        if let Some(name) = now_required.difference(&was_required).next() {
            let what = if was.contains_key(name) { "now required" } else { "added, required" };
            return Some(format!("property `{name}` of `{path}` {what}"));
        }
        if let Some(name) = was_required.difference(&now_required).next() {
            return Some(format!("property `{name}` of `{path}` no longer required"));
        }
        for (name, schema) in &was {
            let (old, new) = (resolve(self.old, schema), resolve(self.new, &now[name]));
            let same_ref = schema.get("$ref").is_some() && schema.get("$ref") == now[name].get("$ref");
            if !same_ref {
                if let Some(fact) = self.breaking(old, new, &format!("{path}.{name}")) {
                    return Some(fact);
                }
            }
        }
        None
    }
}

/// Enum values removed (values added break no caller of a `#[non_exhaustive]` enum).
fn enum_values(x: &Map<String, Value>, y: &Map<String, Value>, path: &str) -> Option<String> {
    let values = |m: &Map<String, Value>| -> Option<Vec<Value>> { m.get("enum").and_then(Value::as_array).cloned() };
    match (values(x), values(y)) {
        (Some(a), Some(b)) => {
            let gone: Vec<String> = a.iter().filter(|v| !b.contains(v)).map(Value::to_string).collect();
            (!gone.is_empty()).then(|| format!("enum value(s) {} of `{path}` removed", gone.join(", ")))
        }
        (None, Some(_)) => Some(format!("`{path}` is an enum now")),
        (Some(_), None) => Some(format!("`{path}` is no longer an enum")),
        (None, None) => None,
    }
}

fn show(value: Option<&Value>) -> String {
    value.map_or("none".to_string(), |v| format!("`{v}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(schemas: &[(&str, Value)]) -> Surface {
        Surface { schemas: schemas.iter().map(|(n, v)| (n.to_string(), v.clone())).collect(), ..Surface::default() }
    }

    fn org(extra: Value) -> Value {
        let mut org = json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "maxLength": 255},
                "role": {"type": "string", "enum": ["admin", "view"]},
                "members": {"type": "array", "items": {"$ref": "#/definitions/member"}},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}}
            },
            "required": ["name"]
        });
        if let (Some(to), Some(from)) = (org.as_object_mut(), extra.as_object()) {
            for (k, v) in from {
                to.insert(k.clone(), v.clone());
            }
        }
        org
    }

    fn member() -> Value {
        json!({"type": "object", "properties": {"userId": {"type": "string"}}})
    }

    #[test]
    fn places_are_walked_through_properties_items_values_and_refs() {
        let s = surface(&[("org", org(json!({}))), ("member", member())]);
        assert_eq!(schema_at(&s.schemas, "org.name"), Some(&json!({"type": "string", "maxLength": 255})));
        assert_eq!(schema_at(&s.schemas, "org.members[]"), Some(&member()));
        assert_eq!(schema_at(&s.schemas, "org.members[].userId"), Some(&json!({"type": "string"})));
        assert_eq!(schema_at(&s.schemas, "org.tags{}"), Some(&json!({"type": "string"})));
        assert_eq!(schema_at(&s.schemas, "org.nothing"), None);
        assert_eq!(schema_at(&s.schemas, "nothing"), None);
    }

    #[test]
    fn additive_changes_break_no_caller_and_the_others_say_what_changed() {
        let old = surface(&[("org", org(json!({}))), ("member", member())]);
        let with = |edit: fn(&mut Value)| {
            let mut new = org(json!({}));
            edit(&mut new);
            surface(&[("org", new), ("member", member())])
        };
        let texts = with(|o| o["properties"]["name"]["maxLength"] = json!(64));
        assert_eq!(delta(&old, &texts, "org"), Delta::Unchanged);
        let optional = with(|o| o["properties"]["zone"] = json!({"type": "string"}));
        assert_eq!(delta(&old, &optional, "org"), Delta::Additive);
        assert_eq!(delta(&old, &optional, "org.zone"), Delta::New);
        let value = with(|o| o["properties"]["role"]["enum"] = json!(["admin", "view", "edit"]));
        assert_eq!(delta(&old, &value, "org.role"), Delta::Additive);

        let removed = with(|o| {
            o["properties"].as_object_mut().unwrap().remove("role");
        });
        assert_eq!(delta(&old, &removed, "org"), Delta::Breaking("property `role` of `org` removed".into()));
        assert_eq!(delta(&old, &removed, "org.role"), Delta::Gone);
        let required = with(|o| o["required"] = json!(["name", "role"]));
        assert_eq!(delta(&old, &required, "org"), Delta::Breaking("property `role` of `org` now required".into()));
        let retyped = with(|o| o["properties"]["name"] = json!({"type": "integer"}));
        assert_eq!(
            delta(&old, &retyped, "org.name"),
            Delta::Breaking("`org.name` type `\"integer\"` (was `\"string\"`)".into())
        );
        let value_gone = with(|o| o["properties"]["role"]["enum"] = json!(["admin"]));
        assert_eq!(
            delta(&old, &value_gone, "org"),
            Delta::Breaking("enum value(s) \"view\" of `org.role` removed".into())
        );
        let nullable = with(|o| o["properties"]["name"]["type"] = json!(["string", "null"]));
        assert_eq!(delta(&old, &nullable, "org.name"), Delta::Breaking("`org.name` now allows null".into()));

        assert_eq!(
            at_places(&old, &optional, &["org".to_string()], ""),
            Err("the schema at `org` changed only in ways that break no caller (optional properties or values added)"
                .into())
        );
        assert_eq!(
            at_places(&old, &old, &["org".to_string()], ".name"),
            Err("the schema at `org.name` did not change".into())
        );
        assert_eq!(
            at_places(&old, &removed, &["org".to_string()], ".role"),
            Ok("property `role` of `org` removed".into())
        );
    }

    #[test]
    fn a_table_edit_is_a_line_whose_name_changed() {
        let mut old = Surface::default();
        let mut new = Surface::default();
        old.names.insert("org.members[]".into(), "OrgMember".into());
        new.names.insert("org.members[]".into(), "OrgPerson".into());
        assert_eq!(
            table_edit(&old, &new, "OrgMember", "OrgPerson"),
            Some("`org.members[]: OrgMember` edited to `org.members[]: OrgPerson`".into())
        );
        assert_eq!(table_edit(&old, &new, "OrgMember", "Member"), None);
        assert_eq!(table_edit(&old, &old, "OrgMember", "OrgPerson"), None);
    }
}

//! Slips upstream makes again and again, repaired by rule rather than by one
//! override each, so a new release with a new instance of an old slip still
//! imports. Every repair is reported (file, JSON pointer, what was done).
//!
//! The rules, in upstream's own files:
//! - a param with neither `type` nor `schema` gets one: a path, query or
//!   header param `string`, since it travels as text (as upstream types every
//!   other one; its example or default still picks the setter's Rust type, a
//!   `bool` for `true`, in `codegen::model::params`); a body or multipart param is
//!   typed from its `example`, else its `default` (an integer → `integer`,
//!   another number → `number`, `true`/`false` → `boolean`, else `string`);
//! - a `type` in the wrong case (`"Number"`) is lowered;
//! - a reference in `type` (`"#/definitions/org"`) becomes `$ref` (or, in a
//!   param, `schema: {$ref}`);
//! - a numeric keyword given as a string (`maxItems: "10"`) becomes the number.

use serde_json::{Map, Number, Value};

use crate::maintainer::upstream::{Release, API_INFO};

/// One repair: where, and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The upstream file, relative to the release (`schemas/org.json`).
    pub file: String,
    /// JSON pointer to the repaired value.
    pub pointer: String,
    /// What upstream gave and what it was read as.
    pub message: String,
}

/// The types JSON Schema defines.
const SCHEMA_TYPES: &[&str] = &["string", "number", "integer", "boolean", "object", "array", "null"];
/// The types a param may have (`spec/README.md`).
const PARAM_TYPES: &[&str] = &["string", "boolean", "integer", "number", "object", "array", "file"];
/// Keywords whose value is a non-negative integer.
const COUNT_KEYWORDS: &[&str] = &["maxItems", "minItems", "maxLength", "minLength", "maxProperties", "minProperties"];
/// Keywords whose value is any number.
const NUMBER_KEYWORDS: &[&str] = &["maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf"];

/// Applies every rule to the release, in file order, and lists the repairs.
pub fn repair(release: &mut Release) -> Vec<Repair> {
    let mut repairs = Vec::new();
    params(&mut release.api_info.value, &mut repairs);
    for (name, schema) in &mut release.schemas {
        let mut found = Vec::new();
        walk_schema(&mut schema.value, "", &mut found);
        let file = format!("schemas/{name}.json");
        repairs.extend(found.into_iter().map(|(pointer, message)| Repair { file: file.clone(), pointer, message }));
    }
    repairs
}

/// The params of every resource and action of `apiInfo.json`.
fn params(api_info: &mut Value, repairs: &mut Vec<Repair>) {
    let Some(resources) = api_info.as_object_mut() else { return };
    for (resource_name, resource) in resources {
        if let Some(Value::Array(list)) = resource.get_mut("params") {
            for (i, param) in list.iter_mut().enumerate() {
                let pointer = format!("/{}/params/{i}", escape(resource_name));
                repair_param(param, &pointer, resource_name, repairs);
            }
        }
        let Some(Value::Object(actions)) = resource.get_mut("actions") else { continue };
        for (action_name, action) in actions {
            let Some(Value::Array(list)) = action.get_mut("params") else { continue };
            for (i, param) in list.iter_mut().enumerate() {
                let pointer = format!("/{}/actions/{}/params/{i}", escape(resource_name), escape(action_name));
                repair_param(param, &pointer, &format!("{resource_name}.{action_name}"), repairs);
            }
        }
    }
}

fn repair_param(param: &mut Value, pointer: &str, owner: &str, repairs: &mut Vec<Repair>) {
    let Some(map) = param.as_object_mut() else { return };
    let name = map.get("name").and_then(Value::as_str).unwrap_or("?").to_string();
    let what = format!("`{owner}` param `{name}`");
    let mut note = |pointer: String, message: String| {
        repairs.push(Repair { file: API_INFO.to_string(), pointer, message });
    };
    match map.get("type").cloned() {
        Some(Value::String(ty)) if !PARAM_TYPES.contains(&ty.as_str()) => {
            if let Some(lower) = lowered(&ty, PARAM_TYPES) {
                map.insert("type".into(), Value::String(lower.clone()));
                note(format!("{pointer}/type"), format!("{what} has type `{ty}`: read as `{lower}`"));
            } else if is_reference(&ty) && !map.contains_key("schema") {
                let schema = Value::Object(Map::from_iter([("$ref".to_string(), Value::String(ty.clone()))]));
                replace_key(map, "type", "schema", schema);
                note(
                    format!("{pointer}/type"),
                    format!("{what} gives the reference `{ty}` as its `type`: read as its `schema`"),
                );
            }
        }
        None if !map.contains_key("schema") => {
            let location = map.get("in").and_then(Value::as_str).unwrap_or_default();
            let source = ["example", "default"].into_iter().find_map(|key| Some((key, map.get(key)?.clone())));
            let (ty, why) = match source {
                // Text on the wire, and upstream types every other such param
                // `string`: the example still gives the setter its Rust type
                // (`codegen::model::params`), as for those.
                _ if matches!(location, "query" | "path" | "header") => {
                    let rust = match source {
                        Some((key, value @ (Value::Bool(_) | Value::Number(_)))) => {
                            format!(" (its {key} `{value}` still picks the setter's Rust type)")
                        }
                        _ => String::new(),
                    };
                    ("string", format!("as every {location} param travels as text{rust}"))
                }
                Some((key, value)) => (type_of(&value), format!("from its {key} `{value}`")),
                None => return,
            };
            map.insert("type".into(), Value::String(ty.into()));
            note(format!("{pointer}/type"), format!("{what} has no `type`: typed `{ty}` {why}"));
        }
        _ => {}
    }
    if let Some(number) = map.get("minLength").and_then(count_in_text) {
        let text = map.get("minLength").cloned().unwrap_or_default();
        map.insert("minLength".into(), Value::Number(number.clone()));
        note(
            format!("{pointer}/minLength"),
            format!("{what} gives `minLength` as the string {text}: read as {number}"),
        );
    }
}

/// The param type of an example or default value.
fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        _ => "string",
    }
}

/// Walks a schema and the schemas inside it, repairing each; collects
/// `(pointer, message)` in document order.
fn walk_schema(schema: &mut Value, pointer: &str, found: &mut Vec<(String, String)>) {
    let Some(map) = schema.as_object_mut() else { return };
    repair_schema(map, pointer, found);
    for (key, value) in map.iter_mut() {
        let at = format!("{pointer}/{}", escape(key));
        match (key.as_str(), value) {
            ("properties" | "patternProperties" | "definitions" | "$defs" | "dependencies", Value::Object(members)) => {
                for (name, member) in members {
                    walk_schema(member, &format!("{at}/{}", escape(name)), found);
                }
            }
            ("oneOf" | "anyOf" | "allOf" | "items", Value::Array(list)) => {
                for (i, member) in list.iter_mut().enumerate() {
                    walk_schema(member, &format!("{at}/{i}"), found);
                }
            }
            (
                "items"
                | "additionalProperties"
                | "additionalItems"
                | "not"
                | "if"
                | "then"
                | "else"
                | "contains"
                | "propertyNames",
                member,
            ) => walk_schema(member, &at, found),
            _ => {}
        }
    }
}

/// The rules for one schema object (not the schemas inside it).
fn repair_schema(map: &mut Map<String, Value>, pointer: &str, found: &mut Vec<(String, String)>) {
    let at = format!("{pointer}/type");
    match map.get("type").cloned() {
        Some(Value::String(ty)) if !SCHEMA_TYPES.contains(&ty.as_str()) => {
            if let Some(lower) = lowered(&ty, SCHEMA_TYPES) {
                found.push((at, format!("schema type `{ty}` is in the wrong case: read as `{lower}`")));
                map.insert("type".into(), Value::String(lower));
            } else if is_reference(&ty) && !map.contains_key("$ref") {
                found.push((at, format!("`type` holds the reference `{ty}`: read as `$ref`")));
                replace_key(map, "type", "$ref", Value::String(ty));
            }
        }
        Some(Value::Array(mut types)) => {
            let mut changed = false;
            for (i, ty) in types.iter_mut().enumerate() {
                let Value::String(text) = ty else { continue };
                if SCHEMA_TYPES.contains(&text.as_str()) {
                    continue;
                }
                if let Some(lower) = lowered(text, SCHEMA_TYPES) {
                    found.push((
                        format!("{at}/{i}"),
                        format!("schema type `{text}` is in the wrong case: read as `{lower}`"),
                    ));
                    *text = lower;
                    changed = true;
                }
            }
            if changed {
                map.insert("type".into(), Value::Array(types));
            }
        }
        _ => {}
    }
    for (key, value) in map.iter_mut() {
        let number = if COUNT_KEYWORDS.contains(&key.as_str()) {
            count_in_text(value)
        } else if NUMBER_KEYWORDS.contains(&key.as_str()) {
            number_in_text(value)
        } else {
            None
        };
        if let Some(number) = number {
            found.push((
                format!("{pointer}/{}", escape(key)),
                format!("upstream gives `{key}` as the string {value} where JSON Schema requires a number: read as {number}"),
            ));
            *value = Value::Number(number);
        }
    }
}

/// `Number` → `number`, when the lowered word is one of `known`.
fn lowered(ty: &str, known: &[&str]) -> Option<String> {
    let lower = ty.to_ascii_lowercase();
    known.contains(&lower.as_str()).then_some(lower)
}

/// `#/definitions/org`, `org.json`, `./org.json#`: text meant for `$ref`.
fn is_reference(text: &str) -> bool {
    text.starts_with('#')
        || text.contains("/definitions/")
        || text.split('#').next().is_some_and(|f| f.ends_with(".json"))
}

/// A count (`"10"`) written as text.
fn count_in_text(value: &Value) -> Option<Number> {
    value.as_str()?.trim().parse::<u64>().ok().map(Number::from)
}

/// A number (`"-1.5"`, `"10"`) written as text.
fn number_in_text(value: &Value) -> Option<Number> {
    let text = value.as_str()?.trim();
    match text.parse::<i64>() {
        Ok(integer) => Some(Number::from(integer)),
        Err(_) => text.parse::<f64>().ok().and_then(Number::from_f64),
    }
}

/// Renames `old` to `new` with a new value, keeping its place among the keys
/// (the spec's YAML lists keys in upstream's order).
fn replace_key(map: &mut Map<String, Value>, old: &str, new: &str, value: Value) {
    let entries = std::mem::take(map);
    for (key, v) in entries {
        if key == old {
            map.insert(new.to_string(), value.clone());
        } else {
            map.insert(key, v);
        }
    }
}

/// A key as a JSON pointer segment.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn params_are_typed_from_their_example_or_default_or_as_text() {
        let mut api = json!({"r": {"params": [{"name": "id", "in": "path"}], "actions": {"a": {"params": [
            {"name": "n", "in": "multipart", "example": 5},
            {"name": "f", "in": "multipart", "example": 0.5},
            {"name": "b", "in": "multipart", "default": false},
            {"name": "q", "in": "query", "example": true},
            {"name": "h", "in": "header"},
            {"name": "body", "in": "body"},
            {"name": "typed", "in": "query", "type": "String", "minLength": "2"},
            {"name": "ref", "in": "body", "type": "#/definitions/org"},
            {"name": "ok", "in": "query", "type": "integer"}
        ]}}}});
        let mut repairs = Vec::new();
        params(&mut api, &mut repairs);
        let types: Vec<_> =
            api["r"]["actions"]["a"]["params"].as_array().unwrap().iter().map(|p| p["type"].clone()).collect();
        assert_eq!(
            types,
            [
                json!("integer"),
                json!("number"),
                json!("boolean"),
                json!("string"),
                json!("string"),
                Value::Null,
                json!("string"),
                Value::Null,
                json!("integer")
            ]
        );
        assert_eq!(api["r"]["params"][0]["type"], "string");
        assert_eq!(api["r"]["actions"]["a"]["params"][6]["minLength"], 2);
        assert_eq!(
            api["r"]["actions"]["a"]["params"][7],
            json!({"name": "ref", "in": "body", "schema": {"$ref": "#/definitions/org"}})
        );
        let messages: Vec<_> = repairs.iter().map(|r| format!("{} {}", r.pointer, r.message)).collect();
        assert_eq!(
            messages[0],
            "/r/params/0/type `r` param `id` has no `type`: typed `string` as every path param travels as text"
        );
        assert_eq!(
            messages[1],
            "/r/actions/a/params/0/type `r.a` param `n` has no `type`: typed `integer` from its example `5`"
        );
        assert_eq!(
            messages[3],
            "/r/actions/a/params/2/type `r.a` param `b` has no `type`: typed `boolean` from its default `false`"
        );
        assert_eq!(
            messages[4],
            "/r/actions/a/params/3/type `r.a` param `q` has no `type`: typed `string` as every query param travels as text (its example `true` still picks the setter's Rust type)"
        );
        assert_eq!(messages[6], "/r/actions/a/params/6/type `r.a` param `typed` has type `String`: read as `string`");
        assert_eq!(
            messages[7],
            "/r/actions/a/params/6/minLength `r.a` param `typed` gives `minLength` as the string \"2\": read as 2"
        );
        assert_eq!(messages.len(), 9, "{messages:#?}");
    }

    #[test]
    fn schemas_are_repaired_at_every_depth() {
        let mut schema = json!({"type": "object", "properties": {
            "a": {"type": "Number", "maximum": "1.5"},
            "b": {"type": "array", "maxItems": "10", "items": {"type": "#/definitions/org", "description": "d"}},
            "type": {"type": "string"},
            "c": {"oneOf": [{"type": ["String", "null"]}, {"type": "integer", "minimum": "-3"}]},
            "d": {"type": "string", "maxLength": "many"}
        }});
        let mut found = Vec::new();
        walk_schema(&mut schema, "", &mut found);
        assert_eq!(schema["properties"]["a"], json!({"type": "number", "maximum": 1.5}));
        assert_eq!(schema["properties"]["b"]["maxItems"], 10);
        assert_eq!(schema["properties"]["b"]["items"], json!({"$ref": "#/definitions/org", "description": "d"}));
        // `$ref` takes the place `type` had.
        assert_eq!(schema["properties"]["b"]["items"].as_object().unwrap().keys().next().unwrap(), "$ref");
        assert_eq!(schema["properties"]["c"]["oneOf"][0]["type"], json!(["string", "null"]));
        assert_eq!(schema["properties"]["c"]["oneOf"][1]["minimum"], -3);
        assert_eq!(
            schema["properties"]["d"]["maxLength"], "many",
            "text that is no number stays for `check` to report"
        );
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/properties/a/type",
                "/properties/a/maximum",
                "/properties/b/maxItems",
                "/properties/b/items/type",
                "/properties/c/oneOf/0/type/0",
                "/properties/c/oneOf/1/minimum",
            ]
        );
        assert_eq!(
            found[2].1,
            "upstream gives `maxItems` as the string \"10\" where JSON Schema requires a number: read as 10"
        );
        assert_eq!(found[3].1, "`type` holds the reference `#/definitions/org`: read as `$ref`");
    }
}

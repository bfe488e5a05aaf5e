//! Params that change how a response is shaped, not what it holds: the import
//! rule that marks them in the spec (`reshapes: tags` on a param) and what
//! `check` holds a mark to.
//!
//! Losant's device actions take `tagsAsObject` ("Return tags as an object map
//! instead of an array") and `attributesAsObject`: with them, the response's
//! `tags` list (`[{"key": "floor", "value": "8"}]`) comes as an object map of
//! its items by their key (`{"floor": "8"}`). The generated client decodes
//! such a field from either form into the same typed list (the runtime's
//! `object::list_or_map`), so a caller may set the param and lose nothing.
//!
//! The rule runs on upstream data after `overrides.yaml`, and leaves alone a
//! param that already says `x-reshapes` (a field name, or `false`): an
//! override is how a maintainer marks a param the rule misses or unmarks one
//! it should not have marked.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

#[cfg(feature = "maintainer")]
use crate::maintainer::upstream::Release;

/// The upstream param key that marks a param reshaping a response field (the
/// spec's `reshapes`): the field's name, or `false` for "not one".
pub const KEYWORD: &str = "x-reshapes";

/// How deep [`places`] looks into a schema (as `typegen` does).
const MAX_DEPTH: usize = crate::typegen::MAX_DEPTH;

/// The response field a param's description says it returns as an object map
/// instead of an array: `tags` for "Return tags as an object map instead of
/// an array". Case, articles, punctuation and `rather than` for `instead of`
/// do not matter; the field is the word before `as`, spelled as written.
pub fn rule_field(description: &str) -> Option<String> {
    // Cheap first: a description without "map" is not one (and check reads
    // every description, megabytes of them in a hostile spec).
    if !description.to_lowercase().contains("map") {
        return None;
    }
    let words: Vec<&str> = description
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .filter(|w| !matches!(w.to_lowercase().as_str(), "a" | "an" | "the"))
        .collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    // The phrase is at most 6 words: each start looks at a window that long.
    let phrase = |i: usize| -> bool {
        let window: Vec<&str> = lower[i..lower.len().min(i + 6)].iter().map(String::as_str).collect();
        matches!(
            window.as_slice(),
            ["as", "object", "map", "instead", "of", "array" | "list", ..]
                | ["as", "object", "map", "rather", "than", "array" | "list", ..]
                | ["as", "map", "instead", "of", "array" | "list", ..]
        )
    };
    (1..lower.len()).find(|&i| phrase(i)).map(|i| words[i - 1].to_string())
}

/// Marks every action param whose description matches [`rule_field`] with
/// the field it names; returns how many it marked.
#[cfg(feature = "maintainer")]
pub fn mark(release: &mut Release) -> usize {
    let mut marked = 0;
    let Some(resources) = release.api_info.value.as_object_mut() else { return 0 };
    for resource in resources.values_mut() {
        let Some(actions) = resource.get_mut("actions").and_then(Value::as_object_mut) else { continue };
        for action in actions.values_mut() {
            let Some(params) = action.get_mut("params").and_then(Value::as_array_mut) else { continue };
            for param in params {
                let field = param.get("description").and_then(Value::as_str).and_then(rule_field);
                if let (Some(field), Some(object)) = (field, param.as_object_mut()) {
                    if !object.contains_key(KEYWORD) {
                        object.insert(KEYWORD.into(), Value::String(field));
                        marked += 1;
                    }
                }
            }
        }
    }
    marked
}

/// A list of objects named as a marked param says, found in a response schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Place<'a> {
    /// Where it is, as `spec/names.yaml` writes places (`devices.items[].tags`;
    /// a `$ref` starts again at the schema it names).
    pub path: String,
    /// The schema of its items.
    pub item: &'a Value,
}

/// Every array field called `field` whose items are objects, reachable from
/// the schemas `roots` (through properties, items, map values, unions and
/// `$ref`s).
pub fn places<'a>(schemas: &'a BTreeMap<String, Value>, roots: &[&str], field: &str) -> Vec<Place<'a>> {
    let mut walk = Walk { schemas, field, seen: BTreeSet::new(), found: Vec::new() };
    for root in roots {
        walk.reference(root, 0);
    }
    walk.found
}

/// The wire names of the key field and the value field of a list's items:
/// the first required text property, and the other required text property
/// when there is exactly one (`key` and `value` of a tag; `name` and none of
/// an attribute, whose other required property is an enum). `None` when no
/// required property is text: the items cannot take a map's key.
pub fn key_fields(item: &Value) -> Option<(String, Option<String>)> {
    let properties = item.get("properties").and_then(Value::as_object)?;
    let required: Vec<&str> =
        item.get("required").and_then(Value::as_array)?.iter().filter_map(Value::as_str).collect();
    let mut text = properties
        .iter()
        .filter(|(name, schema)| required.contains(&name.as_str()) && crate::validate::sensitive::is_text(schema))
        .map(|(name, _)| name.clone());
    let key = text.next()?;
    let rest: Vec<String> = text.collect();
    let value = if rest.len() == 1 { rest.into_iter().next() } else { None };
    Some((key, value))
}

struct Walk<'a, 'f> {
    schemas: &'a BTreeMap<String, Value>,
    field: &'f str,
    seen: BTreeSet<String>,
    found: Vec<Place<'a>>,
}

impl<'a> Walk<'a, '_> {
    fn reference(&mut self, name: &str, depth: usize) {
        if !self.seen.insert(name.to_string()) {
            return;
        }
        if let Some(schema) = self.schemas.get(name) {
            self.node(schema, name, depth + 1);
        }
    }

    fn resolve(&self, node: &'a Value) -> &'a Value {
        let mut node = node;
        for _ in 0..MAX_DEPTH {
            match ref_name(node).and_then(|name| self.schemas.get(name)) {
                Some(target) => node = target,
                None => break,
            }
        }
        node
    }

    fn node(&mut self, node: &'a Value, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(name) = ref_name(node) {
            self.reference(name, depth);
            return;
        }
        let Some(object) = node.as_object() else { return };
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let at = format!("{path}.{name}");
                if name == self.field {
                    if let Some(item) = self.object_items(property) {
                        self.found.push(Place { path: at.clone(), item });
                    }
                }
                self.node(property, &at, depth + 1);
            }
        }
        if let Some(items) = object.get("items") {
            self.node(items, &format!("{path}[]"), depth + 1);
        }
        for key in ["additionalProperties", "patternProperties"] {
            match object.get(key) {
                Some(Value::Object(map)) if key == "patternProperties" => {
                    for value in map.values() {
                        self.node(value, &format!("{path}{{}}"), depth + 1);
                    }
                }
                Some(value @ Value::Object(_)) => self.node(value, &format!("{path}{{}}"), depth + 1),
                _ => {}
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for branch in object.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.node(branch, path, depth + 1);
            }
        }
    }

    /// The item schema of an array of objects, `$ref`s followed.
    fn object_items(&self, property: &'a Value) -> Option<&'a Value> {
        let property = self.resolve(property);
        let is_array = match property.get("type") {
            Some(Value::String(t)) => t == "array",
            Some(Value::Array(types)) => types.iter().any(|t| t == "array"),
            _ => false,
        };
        let item = self.resolve(property.get("items").filter(|_| is_array)?);
        item.get("properties").and_then(Value::as_object).map(|_| item)
    }
}

/// `#/definitions/device` → `device`.
fn ref_name(node: &Value) -> Option<&str> {
    let reference = node.get("$ref")?.as_str()?;
    Some(reference.rsplit('/').next().unwrap_or(reference))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_rule_reads_the_field_from_the_description() {
        assert_eq!(rule_field("Return tags as an object map instead of an array").as_deref(), Some("tags"));
        assert_eq!(rule_field("Return attributes as an object map instead of an array").as_deref(), Some("attributes"));
        assert_eq!(
            rule_field("If set, returns the deviceTags as object map rather than an array.").as_deref(),
            Some("deviceTags")
        );
        assert_eq!(rule_field("RETURN TAGS AS AN OBJECT MAP INSTEAD OF AN ARRAY").as_deref(), Some("TAGS"));
        assert_eq!(rule_field("Return the fields as a map instead of a list").as_deref(), Some("fields"));
        // Linear in the description: megabytes of it are read in a moment.
        assert_eq!(rule_field(&"a map as object map instead. ".repeat(100_000)), None);
        for other in ["Return tags as an array", "as an object map instead of an array", "An object map of tags", ""] {
            assert_eq!(rule_field(other), None, "{other}");
        }
    }

    #[test]
    fn places_are_found_through_refs_and_items() {
        let tag = json!({"type": "object", "properties": {"key": {"type": "string"}, "value": {"type": "string"}}, "required": ["key", "value"]});
        let schemas: BTreeMap<String, Value> = [
            ("device".to_string(), json!({"type": "object", "properties": {"tags": {"type": "array", "items": tag}, "name": {"type": "string"}}})),
            ("devices".to_string(), json!({"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/definitions/device"}}}})),
            ("other".to_string(), json!({"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}})),
        ]
        .into_iter()
        .collect();
        let found = places(&schemas, &["devices"], "tags");
        assert_eq!(found.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(), ["device.tags"]);
        assert_eq!(key_fields(found[0].item), Some(("key".to_string(), Some("value".to_string()))));
        assert!(places(&schemas, &["other"], "tags").is_empty(), "a list of text is no list of items");
        assert!(places(&schemas, &["devices"], "name").is_empty());
    }

    #[test]
    fn the_key_field_is_the_first_required_text() {
        let attribute = json!({
            "properties": {"name": {"type": "string"}, "dataType": {"type": "string", "enum": ["number"]}, "description": {"type": "string"}},
            "required": ["name", "dataType"]
        });
        assert_eq!(key_fields(&attribute), Some(("name".to_string(), None)));
        assert_eq!(key_fields(&json!({"properties": {"n": {"type": "integer"}}, "required": ["n"]})), None);
    }
}

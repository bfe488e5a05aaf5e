//! Params that change how a response is shaped, not what it holds: the import
//! rule that marks them in the spec (`reshapes: tags` on a param). Which
//! list a mark names, and its key field, are found in the types
//! (`TypeSpace::mark_map_forms`), where `check` holds the mark to them too.
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

#[cfg(feature = "maintainer")]
use serde_json::Value;

#[cfg(feature = "maintainer")]
use crate::maintainer::upstream::Release;

/// The upstream param key that marks a param reshaping a response field (the
/// spec's `reshapes`): the field's name, or `false` for "not one".
pub const KEYWORD: &str = "x-reshapes";

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

#[cfg(test)]
mod tests {
    use super::*;

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
}

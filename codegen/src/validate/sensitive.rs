//! Which values are credentials: the import rule that marks them in the spec
//! (`x-sensitive: true` on a schema property, `sensitive: true` on a param)
//! and what `check` holds a mark to.
//!
//! A marked value is generated as `Secret<String>`: sent and decoded as the
//! plain text, never shown by `Debug`. The rule runs on upstream data after
//! `overrides.yaml`, and leaves alone any place that already says
//! `x-sensitive` (`true` or `false`): an override is how a maintainer marks a
//! value the rule misses or unmarks one it should not have marked.

use serde_json::Value;

#[cfg(feature = "maintainer")]
use crate::maintainer::upstream::Release;

/// The schema keyword (and upstream param key) that marks a credential.
pub const KEYWORD: &str = "x-sensitive";

/// The last words of a name that make it a credential: `password`,
/// `newPassword`, `basicAuthPassword`, `secret`, `client_secret`,
/// `secretAccessKey`, `token`, `accessToken`, ...
const LAST_WORDS: &[&[&str]] = &[
    &["password"],
    &["passphrase"],
    &["secret"],
    &["token"],
    &["private", "key"],
    &["secret", "key"],
    &["access", "key"],
    &["api", "key"],
    &["account", "key"],
    &["auth", "key"],
    &["encryption", "key"],
    &["ssl", "key"],
    &["key", "json"],
    &["connection", "string"],
    &["connection", "uri"],
    // An `otpauth://` URI: it holds the two-factor secret.
    &["key", "uri"],
];

/// Whether a property or param called `name` holds a credential, by its words
/// (`basicAuthPassword` is `basic auth password`; `tokenTTL` and
/// `accessKeyId` are not).
pub fn is_sensitive_name(name: &str) -> bool {
    let words = words(name);
    LAST_WORDS.iter().any(|tail| words.len() >= tail.len() && words[words.len() - tail.len()..] == **tail)
}

/// Whether a property schema is one the rule marks: text (`type: string`,
/// also with `null`) whose name is a credential's, or any text of `format:
/// password`.
pub fn rule_marks(name: &str, schema: &Value) -> bool {
    is_text(schema) && (is_sensitive_name(name) || schema.get("format").and_then(Value::as_str) == Some("password"))
}

/// Whether a schema is plain text: `type: string` or `[string, null]`,
/// without `enum`.
pub fn is_text(schema: &Value) -> bool {
    let text = match schema.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => {
            types.iter().any(|t| t == "string") && types.iter().all(|t| t == "string" || t == "null")
        }
        _ => false,
    };
    text && schema.get("enum").is_none()
}

/// Whether a schema says it holds a credential.
pub fn is_marked(schema: &Value) -> bool {
    schema.get(KEYWORD).and_then(Value::as_bool) == Some(true)
}

/// Marks every credential of the release by the rule, in schemas and in
/// action params; returns how many places it marked.
#[cfg(feature = "maintainer")]
pub fn mark(release: &mut Release) -> usize {
    let mut marked = 0;
    for document in release.schemas.values_mut() {
        marked += mark_schema(&mut document.value);
    }
    if let Some(resources) = release.api_info.value.as_object_mut() {
        for resource in resources.values_mut() {
            marked += mark_params(resource.get_mut("params"));
            if let Some(actions) = resource.get_mut("actions").and_then(Value::as_object_mut) {
                for action in actions.values_mut() {
                    marked += mark_params(action.get_mut("params"));
                }
            }
        }
    }
    marked
}

#[cfg(feature = "maintainer")]
fn mark_params(params: Option<&mut Value>) -> usize {
    let Some(params) = params.and_then(Value::as_array_mut) else { return 0 };
    let mut marked = 0;
    for param in params {
        let name = param.get("name").and_then(Value::as_str).unwrap_or_default();
        let scalar_text = param.get("type").and_then(Value::as_str) == Some("string") && param.get("enum").is_none();
        if scalar_text && is_sensitive_name(name) && param.get(KEYWORD).is_none() {
            if let Some(object) = param.as_object_mut() {
                object.insert(KEYWORD.into(), Value::Bool(true));
                marked += 1;
            }
        }
    }
    marked
}

/// Marks the properties of `schema` and of every schema inside it.
#[cfg_attr(not(feature = "maintainer"), allow(dead_code))]
fn mark_schema(schema: &mut Value) -> usize {
    let mut marked = 0;
    match schema {
        Value::Object(object) => {
            if let Some(Value::Object(properties)) = object.get_mut("properties") {
                for (name, property) in properties.iter_mut() {
                    if rule_marks(name, property) && property.get(KEYWORD).is_none() {
                        if let Some(property) = property.as_object_mut() {
                            property.insert(KEYWORD.into(), Value::Bool(true));
                            marked += 1;
                        }
                    }
                }
            }
            for value in object.values_mut() {
                marked += mark_schema(value);
            }
        }
        Value::Array(items) => {
            for item in items {
                marked += mark_schema(item);
            }
        }
        _ => {}
    }
    marked
}

/// `basicAuthPassword` → `[basic, auth, password]`; `client_secret` → `[client, secret]`.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            previous_lower = false;
            words.push(String::new());
            continue;
        }
        if c.is_uppercase() && previous_lower || words.is_empty() {
            words.push(String::new());
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        if let Some(last) = words.last_mut() {
            last.extend(c.to_lowercase());
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credentials_are_known_by_their_last_words() {
        for name in [
            "password",
            "newPassword",
            "basicAuthPassword",
            "secret",
            "client_secret",
            "apiKeySecret",
            "secretAccessKey",
            "token",
            "accessToken",
            "privateKey",
            "apiKey",
            "keyJson",
            "connectionString",
            "sslKey",
            "keyUri",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in [
            "tokenTTL",
            "accessKeyId",
            "key",
            "apiKeySid",
            "publicKey",
            "passwordLastUpdated",
            "tokenCutoff",
            "invalidateExistingTokens",
            "apiTokenId",
            "client_secret_expires_at",
            "isPasswordProtected",
        ] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }

    #[test]
    fn only_text_is_marked_and_an_existing_mark_is_kept() {
        let mut schema = json!({
            "type": "object",
            "properties": {
                "password": {"type": "string"},
                "token": {"type": "string", "x-sensitive": false},
                "pin": {"type": ["string", "null"], "format": "password"},
                "secret": {"type": "boolean"},
                "nested": {"type": "array", "items": {"properties": {"apiKey": {"type": "string"}}}}
            }
        });
        assert_eq!(mark_schema(&mut schema), 3);
        assert_eq!(schema["properties"]["password"][KEYWORD], true);
        assert_eq!(schema["properties"]["token"][KEYWORD], false, "an override's `false` stays");
        assert_eq!(schema["properties"]["pin"][KEYWORD], true);
        assert!(schema["properties"]["secret"].get(KEYWORD).is_none());
        assert_eq!(schema["properties"]["nested"]["items"]["properties"]["apiKey"][KEYWORD], true);
        assert_eq!(mark_schema(&mut schema), 0, "marking is idempotent");
    }
}

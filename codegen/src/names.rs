//! Rust names for spec names: one place that knows the casing rules, the
//! keywords and the names the generated code reserves for itself.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers. All but the four in
/// [`NOT_RAW`] can be written as raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names that would shadow the prelude or this crate's own items where
/// generated code and user code meet; a schema with such a name gets `Body`.
const RESERVED_TYPES: &[&str] = &[
    "BTreeMap",
    "Box",
    "Client",
    "Deserialize",
    "Err",
    "Error",
    "None",
    "Ok",
    "Option",
    "Result",
    "Serialize",
    "Some",
    "String",
    "Value",
    "Vec",
];

/// Methods every generated request builder has; a param with one of these
/// names gets a trailing underscore on its setter.
pub const RESERVED_METHODS: &[&str] =
    &["clone", "fmt", "into_future", "items", "new", "retry", "send", "send_blocking", "timeout"];

/// Fields every generated request builder has; a param field with one of these
/// names gets `_param` added (its setter keeps the plain name).
pub const BUILDER_FIELDS: &[&str] = &["client", "common", "options"];

/// `snake_case` identifier text for a field, param or method.
pub fn snake(name: &str) -> String {
    let snake = name.to_snake_case();
    let snake =
        if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) { format!("n_{snake}") } else { snake };
    escape_keyword(snake)
}

/// `UpperCamelCase` identifier text for a type or variant.
pub fn pascal(name: &str) -> String {
    let pascal = name.to_upper_camel_case();
    if pascal.is_empty() {
        "Empty".to_string()
    } else if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{pascal}")
    } else {
        escape_keyword(pascal)
    }
}

/// The name of a generated Rust type for a spec name (a schema, or a property for inline types).
pub fn type_name(schema_name: &str) -> String {
    let name = pascal(schema_name);
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Body")
    } else {
        name
    }
}

/// Whether a type name would shadow the prelude or the crate's own items.
pub fn is_reserved_type(name: &str) -> bool {
    RESERVED_TYPES.contains(&name)
}

/// `r#type` for keywords that can be raw, `self_` for those that cannot.
fn escape_keyword(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// The identifier without a raw prefix, as serde sees a field name.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// What serde's `rename_all = "camelCase"` makes of a snake_case field name.
pub fn serde_camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in unraw(snake).chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// True when `name` is a plain camelCase spec name: an ASCII letter, then letters and digits.
pub fn is_spec_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// A crude English singular for naming the item type of an array
/// (`applicationRoles` → `applicationRole`); `None` when the word is not plural.
pub fn singular(word: &str) -> Option<String> {
    if let Some(stem) = word.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    if word.ends_with("sses") || word.ends_with("xes") {
        return Some(word[..word.len() - 2].to_string());
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return None;
    }
    word.strip_suffix('s').map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_keywords_and_reserved_names() {
        assert_eq!(snake("orgId"), "org_id");
        assert_eq!(snake("_actions"), "actions");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("3d"), "n_3d");
        assert_eq!(pascal("orgPatch"), "OrgPatch");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(pascal("86400000"), "V86400000");
        assert_eq!(type_name("error"), "ErrorBody");
        assert_eq!(type_name("org"), "Org");
    }

    #[test]
    fn serde_camel_matches_rename_all() {
        assert_eq!(serde_camel("creation_date"), "creationDate");
        assert_eq!(serde_camel("data_ttl"), "dataTtl");
        assert_eq!(serde_camel("r#type"), "type");
    }

    #[test]
    fn singular_of_common_plurals() {
        assert_eq!(singular("applicationRoles").as_deref(), Some("applicationRole"));
        assert_eq!(singular("entries").as_deref(), Some("entry"));
        assert_eq!(singular("status"), None);
        assert_eq!(singular("data"), None);
    }
}

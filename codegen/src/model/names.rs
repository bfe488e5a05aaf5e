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
/// generated code and user code meet, or that generated code names itself
/// (`Default::default()`, `impl From<&str>`, `impl Into<String>`); a schema
/// with such a name gets `Body`.
const RESERVED_TYPES: &[&str] = &[
    "BTreeMap",
    "Box",
    "Client",
    "Default",
    "Deserialize",
    "Err",
    "Error",
    "From",
    "Into",
    "None",
    "Ok",
    "Option",
    "Result",
    "Self",
    "Serialize",
    "Some",
    "String",
    "Value",
    "Vec",
];

/// Methods every generated request builder has, and the names clippy wants
/// kept for operator traits (`fn add(self, value) -> Self` is
/// `clippy::should_implement_trait`); a param with one of these names gets a
/// trailing underscore on its setter.
pub const RESERVED_PARAM_SETTERS: &[&str] = &[
    "add",
    "bitand",
    "bitor",
    "bitxor",
    "clone",
    "div",
    "fmt",
    "header",
    "into_future",
    "items",
    "mul",
    "new",
    "pages",
    "rem",
    "retry",
    "send",
    "send_blocking",
    "send_with_response",
    "shl",
    "shr",
    "sub",
    "timeout",
];

/// Setter names that would clash with the constructor, shadow a method of
/// a derived trait (`a.eq(&b)`), or look to clippy like an operator
/// (`fn add(self, value) -> Self`): such a field's setter is `with_<field>`.
pub const RESERVED_FIELD_SETTERS: &[&str] = &[
    "add",
    "bitand",
    "bitor",
    "bitxor",
    "clone",
    "default",
    "deserialize",
    "div",
    "eq",
    "fmt",
    "mul",
    "ne",
    "new",
    "rem",
    "serialize",
    "shl",
    "shr",
    "sub",
];

/// Whether an action's method on its resource handle gets a trailing
/// underscore: `new` is the handle's own, and clippy keeps `clone(&self)`
/// and `cmp(&self, other)` for `Clone` and `Ord` (with other arguments, as
/// `application.clone(id)`, they are no trait's).
pub fn handle_method_taken(method: &str, arguments: usize) -> bool {
    matches!((method, arguments), ("new", _) | ("clone", 0) | ("cmp", 1))
}

/// Fields every generated request builder has; a param field with one of these
/// names gets `_param` added (its setter keeps the plain name).
pub const BUILDER_FIELDS: &[&str] = &["client", "common", "options"];

/// Names at the root of the client crate that a resource module may not
/// take: the runtime's modules and lowercase re-exports
/// (`generated-client/src/lib.rs`), the generated `types` and `params`, the
/// crates the root names, and the cargo features that are not resources.
/// (`codegen/tests/hostile.rs` checks this list against `lib.rs`.)
pub const CRATE_ROOT_NAMES: &[&str] = &[
    "alloc",
    "blocking",
    "builder",
    "chrono",
    "client",
    "client_builder",
    "core",
    "decode",
    "default",
    "encode",
    "endpoint",
    "environment",
    "error",
    "full",
    "header",
    "headers",
    "http",
    "json_path",
    "login",
    "nullable",
    "object",
    "paging",
    "param",
    "params",
    "pattern",
    "raw",
    "reconnect",
    "reconnecting",
    "redirect",
    "request",
    "reqwest",
    "response",
    "retry",
    "secret",
    "serde",
    "serde_json",
    "sse",
    "std",
    "stream",
    "test_util",
    "time",
    "timestamp",
    "token",
    "token_source",
    "transport",
    "types",
    "unions",
    "upload",
];

/// Methods of `Client` (in `generated-client/src/`, trait methods of its
/// derives included) that a resource accessor may not take.
/// (`codegen/tests/hostile.rs` checks this list against the runtime.)
pub const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "clear_token",
    "clone",
    "fmt",
    "from_env",
    "login",
    "login_device",
    "login_user",
    "new",
    "request",
    "set_token",
    "with_max_response_size",
    "with_stream_idle_timeout",
];

/// The name as ASCII: a letter or digit beyond ASCII is spelled as its code
/// point (`²` → `u00b2`), so names that differ stay different; any other
/// character is a word break. (Rust takes some non-ASCII identifiers, but
/// warns about uncommon and confusable ones.)
fn ascii(name: &str) -> std::borrow::Cow<'_, str> {
    if name.is_ascii() {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!("_u{:04x}_", u32::from(c)));
        } else {
            out.push('_');
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `snake_case` identifier text for a field, param or method: always a valid
/// identifier, raw (`r#type`) or with `_` (`self_`) for keywords.
pub fn snake(name: &str) -> String {
    let snake = ascii(name).to_snake_case();
    let snake =
        if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) { format!("n_{snake}") } else { snake };
    escape_keyword(snake)
}

/// The Rust module (and file, and cargo feature) of a resource: its
/// snake_case, with `_` after a keyword, since a file or a feature cannot be
/// a raw identifier (`match` → `match_`).
pub fn module(name: &str) -> String {
    let snake = snake(name);
    match snake.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => snake,
    }
}

/// `UpperCamelCase` words for a name, not escaped: for names that get a
/// suffix (`SelfRequest`); never empty and never starting with a digit.
pub fn pascal_words(name: &str) -> String {
    let pascal = ascii(name).to_upper_camel_case();
    if pascal.is_empty() {
        "Empty".to_string()
    } else if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{pascal}")
    } else {
        pascal
    }
}

/// `UpperCamelCase` identifier text for a type or variant: always a valid
/// identifier (`Self` becomes `Self_`).
pub fn pascal(name: &str) -> String {
    escape_keyword(pascal_words(name))
}

/// The name of a generated Rust type for a spec name (a schema, or a property for inline types).
pub fn type_name(schema_name: &str) -> String {
    let name = pascal_words(schema_name);
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

/// `base`, or if `taken` says that is taken, `base` with `suffix`, then with
/// `suffix` and 2, 3, ...: a name no other has, found in as many steps as
/// there are names that want it. A suffix replaces the `_` of an escaped
/// keyword (`Self_` → `SelfValue`).
pub fn unique(base: &str, suffix: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    let stem = if suffix.is_empty() { base } else { base.trim_end_matches('_') };
    let first = format!("{stem}{suffix}");
    if !taken(&first) {
        return first;
    }
    (2..).map(|n| format!("{first}{n}")).find(|name| !taken(name)).unwrap_or(first)
}

/// The handle type of a resource: `OrgResource`.
pub fn resource_handle(resource: &str) -> String {
    format!("{}Resource", pascal_words(resource))
}

/// The request builder of an action: `InviteMemberRequest`.
pub fn request_builder(action: &str) -> String {
    format!("{}Request", pascal_words(action))
}

/// The method on a resource handle that starts an action: its snake_case
/// name, with `_` after it when that is taken ([`handle_method_taken`]).
pub fn handle_method(action: &str, arguments: usize) -> String {
    let method = snake(action);
    if handle_method_taken(&method, arguments) {
        format!("{method}_")
    } else {
        method
    }
}

/// A param's Rust names: its setter or argument (`per_page`; `timeout_`
/// where a shared builder method has the name) and its builder field
/// (`client_param` where the builder's own field has the name).
pub fn param_names(param: &str) -> (String, String) {
    let base = snake(param);
    let field = if BUILDER_FIELDS.contains(&base.as_str()) { format!("{base}_param") } else { base.clone() };
    let rust = if RESERVED_PARAM_SETTERS.contains(&base.as_str()) { format!("{base}_") } else { base };
    (rust, field)
}

/// The enum of an action's success responses when they differ by status:
/// `ApplyTemplateResponse`.
pub fn response_enum(action: &str) -> String {
    format!("{}Response", pascal_words(action))
}

/// The enum of an action's events: `StateStreamEvent`.
pub fn event_enum(action: &str) -> String {
    format!("{}Event", pascal_words(action))
}

/// The variant of a success status: `Ok`, `Created`, `Accepted`,
/// `NoContent`, else `Status207`.
pub fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        204 => "NoContent".into(),
        other => format!("Status{other}"),
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
        assert_eq!(type_name("self"), "SelfBody");
        assert_eq!(type_name("default"), "DefaultBody");
        assert_eq!(module("match"), "match_");
        assert_eq!(module("self"), "self_");
        assert_eq!(module("applicationApiTokens"), "application_api_tokens");
        assert_eq!(pascal_words("self"), "Self");
        assert_eq!(pascal("Self"), "Self_");
    }

    #[test]
    fn every_name_becomes_an_ascii_identifier() {
        let names = [
            "", "_", "__", "-", "²", "٣", "²٣", "größe", "°C", "日本", "a²", "9", "_9", "r#type", "self", "Self",
            "crate", "super", "type", "match", "a-b", "a_b", "A_B", " ", "\u{0}", "💥", "e\u{301}",
        ];
        for name in names {
            for ident in [snake(name), pascal(name), module(name), request_builder(name)] {
                assert!(ident.is_ascii(), "{name:?} -> {ident:?}");
                assert!(syn::parse_str::<syn::Ident>(&ident).is_ok(), "{name:?} -> {ident:?} is not an identifier");
            }
        }
        assert_eq!(snake("²"), "u00b2");
        assert_eq!(pascal("٣"), "U0663");
        assert_ne!(snake("²"), snake("³"));
    }

    #[test]
    fn unique_names_take_a_suffix_then_a_number() {
        let taken = ["a", "aValue", "aValue2"];
        assert_eq!(unique("b", "Value", |n| taken.contains(&n)), "b");
        assert_eq!(unique("a", "Value", |n| taken.contains(&n)), "aValue3");
        assert_eq!(unique("aValue", "Value", |n| taken.contains(&n)), "aValueValue");
        assert_eq!(unique("Self_", "Value", |n| n == "Self_"), "SelfValue");
        assert_eq!(unique("a_", "", |n| n == "a_"), "a_2");
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

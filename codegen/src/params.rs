//! The Rust type of each param: the one place that decides it.
//!
//! How a param travels from the YAML to the URL: its `in:` says where it goes
//! (see `emit::resource`); this module says what Rust type its argument or
//! setter takes. Every non-structured param is stored by the request builder
//! as the text it sends, so the type only changes what callers can pass,
//! never the bytes on the wire.
//!
//! The rules, for a param with `type: string` (or no type and no schema), in
//! order:
//!
//! 1. `enum` whose values are all integers (`resolution: ["86400000", "3600000"]`):
//!    [`ParamRust::Integer`].
//! 2. Any other `enum`: [`ParamRust::Enum`], a generated string enum in the
//!    client's `params` module that keeps unknown values (see [`ParamEnums`]
//!    for its name).
//! 3. No `enum`, and a description that says the value is milliseconds since
//!    the epoch ("(ms since epoch)"): [`ParamRust::Millis`].
//! 4. No `enum`: the `default` and `example` are the evidence. When there is
//!    some and every piece is an integer (`100`, `"1000"`), the param is
//!    [`ParamRust::Integer`]; when every piece is a boolean (`true`, `"false"`),
//!    [`ParamRust::Boolean`], unless the description says the param is a
//!    presence flag ("If set, ..."), which the server may read as set whatever
//!    its value. No evidence, or evidence that disagrees (`month`: default
//!    `"now"`, example `1609459204518`), leaves [`ParamRust::Text`].
//!
//! Params with a schema or another declared `type` (`boolean`, `object`,
//! `file`, ...) keep their declared type: [`ParamRust::Declared`].
//!
//! Integer, boolean and enum params take `impl IntoParam<T>` (runtime:
//! `generated-client/src/param.rs`), implemented for `T` and for text, so
//! `per_page(100)` and `per_page("100")` both send `perPage=100` and nothing
//! the API accepts becomes impossible to send. Text params take
//! `impl Into<String>`, credentials (`sensitive: true`) `impl Into<Secret<String>>`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{Api, Param, ParamType};
use crate::names;
use crate::typegen::{enum_values_of, EnumValue, TypeSpace};

/// What a param's argument or setter takes.
#[derive(Debug, Clone, Copy)]
pub enum ParamRust<'a> {
    /// The type the spec declares (a schema, `boolean`, `object`, `file`, ...), taken as is.
    Declared,
    /// Text: `impl Into<String>`.
    Text,
    /// Text on the wire, integer values: `impl IntoParam<i64>`.
    Integer,
    /// Text on the wire, boolean values: `impl IntoParam<bool>`.
    Boolean,
    /// One of the listed values: `impl IntoParam<params::Name>`.
    Enum(&'a ParamEnum),
    /// A credential (`sensitive: true`): `impl Into<Secret<String>>`, kept
    /// as a `Secret` so that the builder's `Debug` does not show it.
    Secret,
    /// Milliseconds since the Unix epoch (its description says so):
    /// `impl IntoParam<EpochMillis>`, which a `SystemTime`, a `Timestamp`, a
    /// `Duration` and an integer implement.
    Millis,
}

/// The kind of a param before enums are named: [`kind`]'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// See [`ParamRust::Declared`].
    Declared,
    /// See [`ParamRust::Text`].
    Text,
    /// See [`ParamRust::Integer`].
    Integer,
    /// See [`ParamRust::Boolean`].
    Boolean,
    /// See [`ParamRust::Enum`].
    Enum,
    /// See [`ParamRust::Secret`].
    Secret,
    /// See [`ParamRust::Millis`].
    Millis,
}

/// Decides a param's kind from the spec alone (the rules in the module doc).
pub fn kind(p: &Param) -> Kind {
    let text = p.schema.is_none() && matches!(p.ty, Some(ParamType::String) | None);
    if !text {
        return Kind::Declared;
    }
    if p.sensitive {
        return Kind::Secret;
    }
    if p.allowed.is_none() && is_epoch_millis(p) {
        return Kind::Millis;
    }
    if let Some(values) = &p.allowed {
        if !values.is_empty() && values.iter().all(|v| evidence(v) == Evidence::Integer) {
            return Kind::Integer;
        }
        return Kind::Enum;
    }
    let found: BTreeSet<Evidence> = [&p.default, &p.example].into_iter().flatten().map(evidence).collect();
    match found.into_iter().collect::<Vec<_>>().as_slice() {
        [Evidence::Integer] => Kind::Integer,
        [Evidence::Boolean] if !is_presence_flag(p) => Kind::Boolean,
        _ => Kind::Text,
    }
}

/// What one value of the spec says about a param's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    Integer,
    Boolean,
    Other,
}

fn evidence(value: &Value) -> Evidence {
    match value {
        Value::Bool(_) => Evidence::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => Evidence::Integer,
        Value::String(s) if s == "true" || s == "false" => Evidence::Boolean,
        Value::String(s) if is_integer_text(s) => Evidence::Integer,
        _ => Evidence::Other,
    }
}

/// `100`, `-259200000`: what an `i64` prints.
fn is_integer_text(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.len() < 19 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// "(ms since epoch)", "in milliseconds since epoch": the param is a time.
fn is_epoch_millis(p: &Param) -> bool {
    let description = p.description.as_deref().unwrap_or_default().to_ascii_lowercase();
    ["ms since epoch", "ms since the epoch", "milliseconds since epoch", "milliseconds since the epoch"]
        .iter()
        .any(|phrase| description.contains(phrase))
}

/// "If set, ..." / "If this is set, ...": the server may test the param's
/// presence, so `false` would not mean false.
fn is_presence_flag(p: &Param) -> bool {
    let description = p.description.as_deref().unwrap_or_default().to_ascii_lowercase();
    description.starts_with("if set") || description.starts_with("if this is set")
}

/// A generated enum for params with one set of allowed values.
#[derive(Debug, Clone)]
pub struct ParamEnum {
    /// Its Rust name, e.g. `FlowClass` or `DevicesGetSortField`.
    pub name: String,
    /// The param's wire name, e.g. `sortDirection`.
    pub param: String,
    /// Its values, in the order the spec first lists them.
    pub values: Vec<EnumValue>,
    /// Every action that takes it.
    pub users: Vec<EnumUser>,
}

/// An action whose param takes a [`ParamEnum`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumUser {
    /// The resource's Rust module, e.g. `devices`.
    pub module: String,
    /// The request builder, e.g. `GetRequest`.
    pub builder: String,
    /// `resource.action`, e.g. `devices.get`.
    pub action: String,
}

/// Every param enum, named; and the lookup from a param to its enum.
///
/// Params share an enum when they have the same wire name and the same set
/// of values (`sortDirection` in 56 list actions is one enum). Its
/// name is the param name in PascalCase when that param name has one set of
/// values. When it has several, each set is qualified by the resources that
/// use it: resources are grouped by the last word of their name and each
/// group stands for the words its names end with, joined with `Or`
/// (`ApiTokensSortField` for application, instance and user API tokens,
/// `CredentialsOrFilesSortField`). A set used by more than two such groups is
/// the general one and keeps the plain name (`FilterField`); when several
/// are, each is qualified by all its resources. Two sets still wanting one
/// name are qualified by resource and action
/// (`DevicesGetSortField`, `DevicesGetCompositeStateSortField`). A name a
/// schema type already has gets `Param` added (`SortDirectionParam`: `types`
/// has a `SortDirection` with more values), and so does a name another
/// param's enum has (`sortField` and `sort_field`); only a name still taken
/// then gets a number. Names never depend on file order.
#[derive(Debug, Clone, Default)]
pub struct ParamEnums {
    /// The enums, sorted by name.
    pub enums: Vec<ParamEnum>,
    /// (param wire name, sorted values) → index in `enums`.
    by_key: BTreeMap<Key, usize>,
}

/// A param's wire name and its values, sorted: what makes params share an enum.
type Key = (String, Vec<String>);

/// The values of one key in the order the spec first lists them, and every
/// action taking it with its resource's spec name.
type Users = (Vec<String>, Vec<(String, EnumUser)>);

/// How many resource groups make a value set the general one.
const GENERAL: usize = 3;

impl ParamEnums {
    /// Collects and names the enums of every param of `api`; names are checked
    /// against the schema types of `space`.
    pub fn build(api: &Api, space: &TypeSpace) -> ParamEnums {
        // (param, sorted values) → (values in first-listed order, users).
        let mut sets: BTreeMap<Key, Users> = BTreeMap::new();
        for resource in &api.resources {
            for action in &resource.actions {
                for p in action.params.iter().filter(|p| kind(p) == Kind::Enum) {
                    let values = wire_values(p);
                    let entry = sets.entry((p.name.clone(), sorted(&values))).or_insert_with(|| (values, Vec::new()));
                    let user = EnumUser {
                        module: resource.module.clone(),
                        builder: action.builder.clone(),
                        action: format!("{}.{}", resource.name, action.name),
                    };
                    entry.1.push((resource.name.clone(), user));
                }
            }
        }
        let mut by_param: BTreeMap<&str, Vec<&Key>> = BTreeMap::new();
        for key in sets.keys() {
            by_param.entry(key.0.as_str()).or_default().push(key);
        }
        let taken: BTreeSet<&str> = space.types.iter().map(|t| t.name.as_str()).collect();
        let mut named: BTreeMap<String, Key> = BTreeMap::new();
        for (param, keys) in by_param {
            for (name, key) in names_of_sets(param, &keys, &sets) {
                let name = names::unique(&name, "Param", |n| taken.contains(n) || named.contains_key(n));
                named.insert(name, (*key).clone());
            }
        }
        let mut out = ParamEnums::default();
        for (name, key) in named {
            let (values, users) = sets.remove(&key).unwrap_or_default();
            let values = enum_values_of(&values.iter().map(String::as_str).collect::<Vec<_>>());
            out.by_key.insert(key.clone(), out.enums.len());
            out.enums.push(ParamEnum {
                name,
                param: key.0,
                values,
                users: users.into_iter().map(|(_, u)| u).collect(),
            });
        }
        out
    }

    /// What a param's argument or setter takes.
    pub fn rust(&self, p: &Param) -> ParamRust<'_> {
        match kind(p) {
            Kind::Declared => ParamRust::Declared,
            Kind::Text => ParamRust::Text,
            Kind::Integer => ParamRust::Integer,
            Kind::Boolean => ParamRust::Boolean,
            Kind::Secret => ParamRust::Secret,
            Kind::Millis => ParamRust::Millis,
            Kind::Enum => match self.by_key.get(&(p.name.clone(), sorted(&wire_values(p)))) {
                Some(index) => ParamRust::Enum(&self.enums[*index]),
                // Global params are not collected: one with an enum stays text.
                None => ParamRust::Text,
            },
        }
    }
}

/// The name each value set of one param wants (the rules of [`ParamEnums`]),
/// before the check against schema types.
fn names_of_sets<'k>(param: &str, keys: &[&'k Key], sets: &BTreeMap<Key, Users>) -> Vec<(String, &'k Key)> {
    let base = names::type_name(param);
    if let [only] = keys {
        return vec![(base, only)];
    }
    let resources = |key: &Key| -> BTreeSet<String> { sets[key].1.iter().map(|(r, _)| r.clone()).collect() };
    let qualifiers: Vec<Option<String>> = keys
        .iter()
        .map(|key| {
            let groups = resource_groups(&resources(key));
            (groups.len() < GENERAL).then(|| groups.join("Or"))
        })
        .collect();
    let general = qualifiers.iter().filter(|q| q.is_none()).count();
    let mut wanted: Vec<(String, &Key)> = keys
        .iter()
        .zip(qualifiers)
        .map(|(key, qualifier)| {
            let qualifier = match qualifier {
                None if general == 1 => String::new(),
                None => resources(key).iter().map(|r| names::pascal(r)).collect::<Vec<_>>().join("Or"),
                Some(qualifier) => qualifier,
            };
            (format!("{qualifier}{base}"), *key)
        })
        .collect();
    // Sets that still want one name: qualify by resource and action.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (name, _) in &wanted {
        *counts.entry(name.clone()).or_default() += 1;
    }
    for (name, key) in &mut wanted {
        if counts[name.as_str()] > 1 {
            let actions: Vec<String> =
                sets[*key].1.iter().map(|(_, u)| names::pascal(&u.action.replace('.', "_"))).collect();
            *name = format!("{}{base}", actions.join("Or"));
        }
    }
    wanted
}

/// A param's allowed values as wire text, duplicates dropped.
fn wire_values(p: &Param) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for value in p.allowed.iter().flatten() {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if seen.insert(text.clone()) {
            values.push(text);
        }
    }
    values
}

fn sorted(values: &[String]) -> Vec<String> {
    let mut values = values.to_vec();
    values.sort();
    values
}

/// Resources grouped by the last word of their name, each group named by the
/// words all its names end with: `applicationApiTokens`, `userApiTokens` and
/// `credentials` → `["ApiTokens", "Credentials"]`.
fn resource_groups(resources: &BTreeSet<String>) -> Vec<String> {
    let mut groups: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for resource in resources {
        let words = pascal_words(&names::pascal(resource));
        groups.entry(words.last().cloned().unwrap_or_default()).or_default().push(words);
    }
    let mut named: Vec<String> = groups
        .into_values()
        .map(|members| {
            let shortest = members.iter().map(Vec::len).min().unwrap_or_default();
            let common = (1..=shortest)
                .take_while(|n| members.iter().all(|m| m[m.len() - n] == members[0][members[0].len() - n]))
                .last()
                .unwrap_or(1);
            members[0][members[0].len() - common..].concat()
        })
        .collect();
    named.sort();
    named
}

/// `ApplicationApiTokens` → `["Application", "Api", "Tokens"]`.
fn pascal_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        match words.last_mut() {
            Some(word) if !c.is_ascii_uppercase() => word.push(c),
            _ => words.push(c.to_string()),
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{Location, Origin};

    fn param(name: &str, default: Option<Value>, example: Option<Value>, allowed: Option<Vec<Value>>) -> Param {
        Param {
            name: name.to_string(),
            location: Location::Query,
            required: false,
            ty: Some(ParamType::String),
            schema: None,
            description: None,
            default,
            example,
            allowed,
            pattern: None,
            deprecated: false,
            sensitive: false,
            origin: Origin::Action,
            rust_name: names::snake(name),
            field_name: names::snake(name),
        }
    }

    #[test]
    fn enums_integers_booleans_and_text() {
        let direction = param("sortDirection", Some(json!("asc")), None, Some(vec![json!("asc"), json!("desc")]));
        assert_eq!(kind(&direction), Kind::Enum);
        let resolution = param("resolution", None, None, Some(vec![json!("86400000"), json!("3600000")]));
        assert_eq!(kind(&resolution), Kind::Integer);
        assert_eq!(kind(&param("perPage", Some(json!(100)), Some(json!(10)), None)), Kind::Integer);
        assert_eq!(kind(&param("limit", Some(json!("1000")), Some(json!("10")), None)), Kind::Integer);
        assert_eq!(kind(&param("start", Some(json!(-259_200_000)), None, None)), Kind::Integer);
        assert_eq!(kind(&param("asBytes", Some(json!(false)), Some(json!(true)), None)), Kind::Boolean);
        assert_eq!(kind(&param("count", Some(json!("false")), Some(json!("true")), None)), Kind::Boolean);
    }

    #[test]
    fn ambiguous_or_missing_evidence_stays_text() {
        assert_eq!(kind(&param("month", Some(json!("now")), Some(json!(1_609_459_204_518_i64)), None)), Kind::Text);
        assert_eq!(kind(&param("orgId", None, Some(json!("575ed6e87ae143cd83dc4aa8")), None)), Kind::Text);
        assert_eq!(kind(&param("mixed", Some(json!(1)), Some(json!(true)), None)), Kind::Text);
        assert_eq!(kind(&param("ratio", None, Some(json!(0.5)), None)), Kind::Text);
        assert_eq!(kind(&param("name", None, None, None)), Kind::Text);
        let mut flag = param("keepUsers", None, Some(json!("true")), None);
        flag.description = Some("If this is set, Experience Users will not be removed.".into());
        assert_eq!(kind(&flag), Kind::Text);
    }

    #[test]
    fn declared_types_and_schemas_are_kept() {
        let mut declared = param("_actions", Some(json!(false)), None, None);
        declared.ty = Some(ParamType::Boolean);
        assert_eq!(kind(&declared), Kind::Declared);
        let mut structured = param("tagFilter", None, Some(json!(1)), None);
        structured.schema = Some("deviceTagFilter".into());
        assert_eq!(kind(&structured), Kind::Declared);
    }

    #[test]
    fn resources_group_by_their_last_words() {
        let groups = |names: &[&str]| resource_groups(&names.iter().map(|n| n.to_string()).collect());
        assert_eq!(groups(&["applicationApiTokens", "instanceApiTokens", "userApiTokens"]), ["ApiTokens"]);
        assert_eq!(groups(&["credentials", "files", "privateFiles"]), ["Credentials", "Files"]);
        assert_eq!(groups(&["devices"]), ["Devices"]);
        assert_eq!(
            groups(&["instanceMembers", "instanceOrgMembers", "instanceOrgInvites"]),
            ["InstanceOrgInvites", "Members"]
        );
    }
}

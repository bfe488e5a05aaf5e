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

use crate::model::names;
use crate::model::{Api, Origin, Param, ParamType};
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

/// A generated enum for params: the places `spec/names.yaml` gives its name,
/// taking the union of their values.
#[derive(Debug, Clone)]
pub struct ParamEnum {
    /// Its Rust name, e.g. `FlowClass` or `DevicesGetSortField`.
    pub name: String,
    /// The param's wire name, e.g. `sortDirection`.
    pub param: String,
    /// Its values: every value of every place, in the order the spec first
    /// lists them (a value one place adds comes after the shared ones).
    pub values: Vec<EnumValue>,
    /// Every action that takes it.
    pub users: Vec<EnumUser>,
    /// Its places in the names table, `resource.action(param)`, in spec order.
    pub places: Vec<String>,
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

/// A new place whose derived name the table already gives another enum: it
/// got another name by rule (a note, so that a maintainer knows why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// The new place (the first of its value set), `resource.action(param)`.
    pub place: String,
    /// The name it derives.
    pub wanted: String,
    /// The place whose enum has that name.
    pub holder: String,
    /// The name it got.
    pub got: String,
}

/// A name the table gives a param place that the place cannot have; the
/// place is named as if it had no line (and `check` fails).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The place, `resource.action(param)`.
    pub place: String,
    /// The name its line gives.
    pub name: String,
    /// The place of another param that the table gives that name, when that
    /// is the problem (one enum holds the values of one param); `None` when
    /// the name is not one an enum can have.
    pub holder: Option<String>,
}

/// Every param enum, named; and the lookup from a param to its enum.
///
/// A param enum is the set of its *places* in `spec/names.yaml`
/// (`devices.get(sortField): DevicesGetSortField`), not a shape:
///
/// 1. A place the table names takes that enum, whatever its values are now;
///    the places of one name merge their values, so a value added at one
///    place is a value added to the enum, and every other place keeps its type.
/// 2. A place the table does not name yet joins an enum the table has for the
///    same param with the same set of values (the first by name), if any.
/// 3. Otherwise the places with one param and one set of values form a new
///    enum, named by rule: the param in PascalCase (`SortDirection`) when it
///    is the param's only set of values, or the general one (used by
///    resources of at least three kinds while no other set is); else
///    qualified by the resources that use it, grouped by the last word of
///    their names (`ApiTokensSortField` for application, instance and user
///    API tokens), two groups joined with `Or` (`CredentialsOrFilesSortField`)
///    when the name stays within [`MAX_LEN`] characters; else by the group
///    with the most resources (then the shortest). A name another new set
///    also wants, or that the table already gives, is qualified by the
///    resource and action of the set's first place instead
///    (`DevicesGetSortField`, `DevicesGetCompositeStateSortField`); only a
///    name still taken then gets a number. Taken by the table, the new name
///    comes with a note ([`ParamEnums::renamed`]).
///
/// A param enum lives in the `params` module, which holds nothing else:
/// generated code and examples always name it `params::X` and schema types
/// `types::X`, so a param enum may share a schema type's name
/// (`params::SortDirection` beside `types::SortDirection`). Names never
/// depend on file order.
#[derive(Debug, Clone, Default)]
pub struct ParamEnums {
    /// The enums, sorted by name.
    pub enums: Vec<ParamEnum>,
    /// New places named otherwise than they derive, because the table has that name.
    pub renamed: Vec<Renamed>,
    /// Names the table gives that their places cannot have.
    pub conflicts: Vec<Conflict>,
    /// Place → index in `enums`.
    by_place: BTreeMap<String, usize>,
}

/// The longest name a rule joins two resource groups into with `Or`.
pub const MAX_LEN: usize = 40;

/// How many resource groups make a value set the general one.
const GENERAL: usize = 3;

/// A param's wire name and its values, sorted: what makes new places share an enum.
type Key = (String, Vec<String>);

/// A param that takes an enum, where it is.
struct Site {
    /// `resource.action(param)`.
    place: String,
    /// The resource's spec name.
    resource: String,
    /// The param's wire name.
    param: String,
    /// Its values, in spec order.
    values: Vec<String>,
    user: EnumUser,
}

/// A param's place in the names table: `devices.get(sortField)`. Schema
/// places never hold parentheses, so the two kinds of line cannot collide.
pub fn place(action: &str, param: &str) -> String {
    format!("{action}({param})")
}

/// Whether a line of the names table is a param's (see [`place`]).
pub fn is_place(key: &str) -> bool {
    key.ends_with(')') && key.contains('(')
}

impl ParamEnums {
    /// Collects the enums of every action's params, named by the names table
    /// `space` was built with (its param lines), and new places by rule.
    pub fn build(api: &Api, space: &TypeSpace) -> ParamEnums {
        let table = space.param_table();
        let sites = sites(api);
        let mut out = ParamEnums::default();
        // Name → its places (indices into `sites`, in spec order).
        let mut named: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut free = Vec::new();
        for (i, site) in sites.iter().enumerate() {
            let Some(name) = table.get(&site.place) else {
                free.push(i);
                continue;
            };
            let holder = named.get(name).map(|places| &sites[places[0]]).filter(|other| other.param != site.param);
            if !is_enum_name(name) || holder.is_some() {
                out.conflicts.push(Conflict {
                    place: site.place.clone(),
                    name: name.clone(),
                    holder: holder.map(|other| other.place.clone()),
                });
                free.push(i);
            } else {
                named.entry(name.clone()).or_default().push(i);
            }
        }
        // New places join an enum of the table with their param and values.
        let pinned: Vec<(String, String, BTreeSet<String>)> = named
            .iter()
            .map(|(name, places)| {
                let values = places.iter().flat_map(|&i| sites[i].values.iter().cloned()).collect();
                (name.clone(), sites[places[0]].param.clone(), values)
            })
            .collect();
        let mut fresh: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
        for i in free {
            let site = &sites[i];
            let values: BTreeSet<String> = site.values.iter().cloned().collect();
            match pinned.iter().find(|(_, param, set)| *param == site.param && *set == values) {
                Some((name, ..)) => named.entry(name.clone()).or_default().push(i),
                None => fresh.entry((site.param.clone(), values.into_iter().collect())).or_default().push(i),
            }
        }
        let derived = derive_names(&sites, &named, &fresh, &mut out.renamed);
        for (key, places) in fresh {
            if let Some(name) = derived.get(&key) {
                named.entry(name.clone()).or_default().extend(places);
            }
        }
        for (name, mut places) in named {
            places.sort_unstable();
            let mut values: Vec<&str> = Vec::new();
            for &i in &places {
                for value in &sites[i].values {
                    if !values.contains(&value.as_str()) {
                        values.push(value);
                    }
                }
            }
            let index = out.enums.len();
            for &i in &places {
                out.by_place.insert(sites[i].place.clone(), index);
            }
            out.enums.push(ParamEnum {
                name,
                param: sites[places[0]].param.clone(),
                values: enum_values_of(&values),
                users: places.iter().map(|&i| sites[i].user.clone()).collect(),
                places: places.iter().map(|&i| sites[i].place.clone()).collect(),
            });
        }
        out
    }

    /// The param lines of the names table: every place → its enum's name.
    pub fn table(&self) -> BTreeMap<String, String> {
        self.enums.iter().flat_map(|e| e.places.iter().map(|p| (p.clone(), e.name.clone()))).collect()
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
            Kind::Enum => match self.by_place.get(&place(&p.action, &p.name)) {
                Some(index) => ParamRust::Enum(&self.enums[*index]),
                // Global params are not collected: one with an enum stays text.
                None => ParamRust::Text,
            },
        }
    }
}

/// Every action's own params (and its resource's) that take an enum, in spec order.
fn sites(api: &Api) -> Vec<Site> {
    let mut sites: Vec<Site> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for resource in &api.resources {
        for action in &resource.actions {
            let params = action.params.iter().filter(|p| p.origin != Origin::Global && kind(p) == Kind::Enum);
            for p in params {
                let action_id = format!("{}.{}", resource.name, action.name);
                let place = place(&action_id, &p.name);
                if !seen.insert(place.clone()) {
                    continue;
                }
                sites.push(Site {
                    place,
                    resource: resource.name.clone(),
                    param: p.name.clone(),
                    values: wire_values(p),
                    user: EnumUser {
                        module: resource.module.clone(),
                        builder: action.builder.clone(),
                        action: action_id,
                    },
                });
            }
        }
    }
    sites
}

/// A name the table may give an enum: an ASCII identifier starting with a
/// capital that shadows nothing generated code names.
fn is_enum_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && !names::is_reserved_type(name)
}

/// Names for the value sets no line names yet (the rules of [`ParamEnums`]),
/// none of them a name of `named`; a set whose name `named` has gets a note.
fn derive_names(
    sites: &[Site],
    named: &BTreeMap<String, Vec<usize>>,
    fresh: &BTreeMap<Key, Vec<usize>>,
    renamed: &mut Vec<Renamed>,
) -> BTreeMap<Key, String> {
    let resources =
        |places: &[usize]| -> BTreeSet<String> { places.iter().map(|&i| sites[i].resource.clone()).collect() };
    // Every set of values of each param, named or new: the resources using it.
    let mut sets_of: BTreeMap<&str, Vec<BTreeSet<String>>> = BTreeMap::new();
    for places in named.values() {
        sets_of.entry(sites[places[0]].param.as_str()).or_default().push(resources(places));
    }
    for ((param, _), places) in fresh {
        sets_of.entry(param.as_str()).or_default().push(resources(places));
    }
    let general = |used: &BTreeSet<String>| resource_groups(used).len() >= GENERAL;
    let wanted = |qualify_by_action: bool, key: &Key| -> String {
        let base = names::type_name(&key.0);
        let places = &fresh[key];
        if qualify_by_action {
            let first = &sites[places[0]];
            return format!("{}{base}", names::pascal(&first.user.action.replace('.', "_")));
        }
        let sets = &sets_of[key.0.as_str()];
        let used = resources(places);
        if sets.len() == 1 || (general(&used) && sets.iter().filter(|s| general(s)).count() == 1) {
            return base;
        }
        format!("{}{base}", qualifier(&used, base.len()))
    };
    let holders: BTreeMap<&str, &str> =
        named.iter().map(|(name, places)| (name.as_str(), sites[places[0]].place.as_str())).collect();
    let mut out: BTreeMap<Key, String> = BTreeMap::new();
    let mut given: BTreeSet<String> = BTreeSet::new();
    let mut held: BTreeMap<&Key, (String, String)> = BTreeMap::new();
    let mut pending: Vec<&Key> = fresh.keys().collect();
    for by_action in [false, true] {
        let wants: Vec<(&Key, String)> = pending.iter().map(|key| (*key, wanted(by_action, key))).collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, name) in &wants {
            *counts.entry(name.as_str()).or_default() += 1;
        }
        let mut next = Vec::new();
        for (key, name) in &wants {
            if let Some(holder) = holders.get(name.as_str()) {
                held.entry(*key).or_insert_with(|| (name.clone(), holder.to_string()));
                next.push(*key);
            } else if counts[name.as_str()] > 1 || given.contains(name) {
                next.push(*key);
            } else {
                given.insert(name.clone());
                out.insert((*key).clone(), name.clone());
            }
        }
        pending = next;
    }
    // Still taken: a number, in the order of the sets' first places.
    pending.sort_by_key(|key| fresh[*key][0]);
    for key in pending {
        let name = names::unique(&wanted(true, key), "", |n| holders.contains_key(n) || given.contains(n));
        given.insert(name.clone());
        out.insert(key.clone(), name);
    }
    for (key, (wanted, holder)) in held {
        renamed.push(Renamed { place: sites[fresh[key][0]].place.clone(), wanted, holder, got: out[key].clone() });
    }
    renamed.sort_by(|a, b| a.place.cmp(&b.place));
    out
}

/// What qualifies the name of a set of values used by `resources`: their
/// groups (one, or two joined with `Or` if the name stays within
/// [`MAX_LEN`]), else the group with the most resources, then the shortest.
fn qualifier(resources: &BTreeSet<String>, base_len: usize) -> String {
    let groups = resource_groups(resources);
    let joined: Vec<&str> = groups.iter().map(|(name, _)| name.as_str()).collect();
    let joined = joined.join("Or");
    if groups.len() == 1 || (groups.len() == 2 && joined.len() + base_len <= MAX_LEN) {
        return joined;
    }
    groups
        .into_iter()
        .min_by(|(a, count_a), (b, count_b)| count_b.cmp(count_a).then(a.len().cmp(&b.len())).then(a.cmp(b)))
        .map(|(name, _)| name)
        .unwrap_or_default()
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

/// Resources grouped by the last word of their name, each group named by the
/// words all its names end with, with how many resources it has:
/// `applicationApiTokens`, `userApiTokens` and `credentials` →
/// `[("ApiTokens", 2), ("Credentials", 1)]`.
fn resource_groups(resources: &BTreeSet<String>) -> Vec<(String, usize)> {
    let mut groups: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for resource in resources {
        let words = pascal_words(&names::pascal(resource));
        groups.entry(words.last().cloned().unwrap_or_default()).or_default().push(words);
    }
    let mut named: Vec<(String, usize)> = groups
        .into_values()
        .map(|members| {
            let shortest = members.iter().map(Vec::len).min().unwrap_or_default();
            let common = (1..=shortest)
                .take_while(|n| members.iter().all(|m| m[m.len() - n] == members[0][members[0].len() - n]))
                .last()
                .unwrap_or(1);
            (members[0][members[0].len() - common..].concat(), members.len())
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
    use crate::model::Location;

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
            reshapes: None,
            origin: Origin::Action,
            rust_name: names::snake(name),
            field_name: names::snake(name),
            action: String::new(),
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
        let groups = |names: &[&str]| -> Vec<String> {
            resource_groups(&names.iter().map(|n| n.to_string()).collect()).into_iter().map(|(name, _)| name).collect()
        };
        assert_eq!(groups(&["applicationApiTokens", "instanceApiTokens", "userApiTokens"]), ["ApiTokens"]);
        assert_eq!(groups(&["credentials", "files", "privateFiles"]), ["Credentials", "Files"]);
        assert_eq!(groups(&["devices"]), ["Devices"]);
        assert_eq!(
            groups(&["instanceMembers", "instanceOrgMembers", "instanceOrgInvites"]),
            ["InstanceOrgInvites", "Members"]
        );
    }

    #[test]
    fn qualifiers_join_at_most_two_groups_within_the_limit() {
        let set = |names: &[&str]| -> BTreeSet<String> { names.iter().map(|n| n.to_string()).collect() };
        let base = "SortField".len();
        assert_eq!(qualifier(&set(&["credentials", "files", "privateFiles"]), base), "CredentialsOrFiles");
        // Two groups, too long together: the one with more resources.
        let tokens = set(&["applicationApiTokens", "instanceApiTokens", "applicationCertificateAuthorities"]);
        assert_eq!(qualifier(&tokens, base), "ApiTokens");
        // A tie: the shorter.
        assert_eq!(qualifier(&set(&["applicationCertificateAuthorities", "userOauthTokens"]), base), "UserOauthTokens");
        // Three groups: never three `Or`-joined.
        assert_eq!(qualifier(&set(&["devices", "files", "notebooks", "privateFiles"]), base), "Files");
        // One group keeps its whole name, however long.
        assert_eq!(qualifier(&set(&["applicationCertificateAuthorities"]), base), "ApplicationCertificateAuthorities");
    }

    #[test]
    fn param_places_never_look_like_schema_places() {
        assert_eq!(place("devices.get", "sortField"), "devices.get(sortField)");
        assert!(is_place("devices.get(sortField)"));
        assert!(!is_place("dashboard.blocks[]|graph.config"));
        assert!(!is_place("advancedQuery{}|object"));
    }
}

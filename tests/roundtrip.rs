//! Every named schema round-trips: JSON instances made from the schema decode
//! into its Rust type and encode back to the same JSON. And every named
//! schema that is a struct (every request body among them) is built through
//! its constructor and setters into that same JSON. Instances cover each
//! enum value and each `oneOf` branch (instance k takes value or branch k),
//! with optional fields present and absent, and nullable fields `null` in
//! one instance (`NULLS`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

// `for_each_schema!` and `for_each_struct!`, generated beside the client.
include!(concat!(env!("OUT_DIR"), "/schema_index.rs"));

/// How many instances per schema: enough to reach every value of most enums
/// and every branch of most unions.
const VARIANTS: usize = 12;
/// How deep recursive schemas (advanced queries) are followed.
const MAX_DEPTH: usize = 8;
/// The instance in which nullable properties are `null`.
const NULLS: usize = 1;

fn schemas() -> BTreeMap<String, Value> {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let raw = codegen::load::load(&spec).unwrap_or_else(|problems| panic!("{problems}"));
    raw.schemas.into_iter().map(|s| (s.value.name, s.value.schema)).collect()
}

/// Which instance to make: `variant` picks enum values, branches and types;
/// `optional` says whether optional properties are present.
#[derive(Clone, Copy)]
struct Pick {
    variant: usize,
    optional: bool,
}

fn instance(all: &BTreeMap<String, Value>, schema: &Value, pick: Pick, depth: usize) -> Value {
    let Some(object) = schema.as_object() else { return json!({"any": 1}) };
    if let Some(name) = object.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next()) {
        return instance(all, &all[name], pick, depth + 1);
    }
    if let Some(branches) = object.get("oneOf").or_else(|| object.get("anyOf")).and_then(Value::as_array) {
        // Branches that only say which properties are required (`dashboardSendReport`):
        // the object itself, with the chosen branch's required properties.
        let rules = branches.iter().all(|b| b.as_object().is_some_and(|o| o.keys().all(|k| k == "required")));
        if rules && !branches.is_empty() {
            let mut plain = object.clone();
            plain.remove("oneOf");
            plain.remove("anyOf");
            let chosen = branches[pick.variant % branches.len()]["required"].clone();
            plain.insert("required".into(), chosen);
            return instance(all, &Value::Object(plain), pick, depth + 1);
        }
        let live: Vec<&Value> = branches.iter().filter(|b| !is_null(b)).collect();
        return match live.len() {
            0 => Value::Null,
            n => instance(all, live[pick.variant % n], pick, depth + 1),
        };
    }
    if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = instance(all, part, pick, depth + 1) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        if !values.is_empty() {
            return values[pick.variant % values.len()].clone();
        }
    }
    let types: Vec<&str> = match object.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
        _ if object.contains_key("properties") || object.contains_key("patternProperties") => vec!["object"],
        _ if object.contains_key("items") => vec!["array"],
        _ => return json!({"any": 1}),
    };
    let ty = if types.is_empty() { "null" } else { types[pick.variant % types.len()] };
    match ty {
        "object" => {
            let required: Vec<&str> = object
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut out = Map::new();
            for (name, property) in object.get("properties").and_then(Value::as_object).into_iter().flatten() {
                let wanted = required.contains(&name.as_str()) || (pick.optional && depth < MAX_DEPTH);
                if wanted && pick.variant == NULLS && codegen::typegen::is_nullable(property) {
                    out.insert(name.clone(), Value::Null);
                } else if wanted {
                    out.insert(name.clone(), instance(all, property, pick, depth + 1));
                }
            }
            let extra = object
                .get("patternProperties")
                .and_then(Value::as_object)
                .and_then(|p| p.values().next())
                .or_else(|| object.get("additionalProperties").filter(|v| v.is_object()));
            match extra {
                Some(values) if depth < MAX_DEPTH => {
                    out.insert("someKey".into(), instance(all, values, pick, depth + 1));
                }
                None if out.is_empty() && !object.contains_key("properties") => {
                    out.insert("any".into(), json!(1));
                }
                _ => {}
            }
            Value::Object(out)
        }
        "array" => match object.get("items") {
            Some(items) if depth < MAX_DEPTH => json!([instance(all, items, pick, depth + 1)]),
            Some(_) => json!([]),
            None => json!([1, "two"]),
        },
        "string" => match object.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2024-01-02T03:04:05.000Z"),
            _ => json!("text"),
        },
        "integer" => json!(7),
        "number" => json!(1.5),
        "boolean" => json!(pick.variant.is_multiple_of(2)),
        _ => Value::Null,
    }
}

fn is_null(schema: &Value) -> bool {
    schema.get("type").is_some_and(|t| t == "null")
}

/// Where two JSON values first differ, and how.
fn difference(sent: &Value, back: &Value, path: &str) -> String {
    match (sent, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) if other == value => {}
                    Some(other) => return difference(value, other, &format!("{path}.{key}")),
                    None => return format!("{path}.{key} was dropped (sent {value})"),
                }
            }
            match b.keys().find(|k| !a.contains_key(*k)) {
                Some(key) => format!("{path}.{key} was added ({})", b[key]),
                None => format!("{path}: objects differ"),
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            let i = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or_default();
            difference(&a[i], &b[i], &format!("{path}[{i}]"))
        }
        _ => format!("{path}: sent {sent}, got back {back}"),
    }
}

/// Decodes `value` as `T` and encodes it again.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| format!("decode: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("encode: {e}"))
}

#[test]
fn every_schema_round_trips() {
    let all = schemas();
    let mut checked = 0;
    let mut failures: Vec<String> = Vec::new();
    macro_rules! check {
        ($name:literal, $ty:ty) => {{
            let schema = &all[$name];
            let picks = (0..VARIANTS)
                .map(|variant| Pick { variant, optional: true })
                .chain([Pick { variant: 0, optional: false }]);
            for pick in picks {
                let value = instance(&all, schema, pick, 0);
                checked += 1;
                match round_trip::<$ty>(&value) {
                    Ok(back) if back == value => {}
                    Ok(back) => failures.push(format!(
                        "{} (variant {}): {}",
                        $name,
                        pick.variant,
                        difference(&value, &back, "$")
                    )),
                    Err(e) => failures.push(format!("{} (variant {}): {e}\n  for {value}", $name, pick.variant)),
                }
            }
        }};
    }
    for_each_schema!(check);
    failures.dedup_by(|a, b| a.split(' ').next() == b.split(' ').next());
    assert!(checked > 3000, "only {checked} instances");
    assert!(
        failures.is_empty(),
        "{} schemas fail to round-trip; first ones:\n{}",
        failures.len(),
        failures.iter().take(15).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// Decodes the instance's value of one property as a constructor or setter argument.
fn argument<T: DeserializeOwned>(instance: &Map<String, Value>, key: &str) -> T {
    let value = instance.get(key).unwrap_or_else(|| panic!("the instance has no `{key}`: {instance:?}"));
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("`{key}` = {value}: {e}"))
}

/// The instance's properties named in `keys`.
fn only(instance: &Map<String, Value>, keys: &[&str]) -> Value {
    Value::Object(
        instance.iter().filter(|(k, _)| keys.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect(),
    )
}

#[test]
fn every_struct_builds_through_its_constructor_and_setters() {
    let all = schemas();
    let mut built = 0;
    let mut setters = 0;
    // For each struct: `new` with the instance's required values gives exactly
    // the required fields; each setter adds its field; each `clear_` setter
    // puts a `null` there. The instance has every property (optional: true).
    // One function per struct, so their values do not share one stack frame.
    macro_rules! check {
        ($name:literal, $ty:ty, new [$(($req:literal, $rty:ty)),*], set [$(($opt:literal, $setter:ident, $oty:ty)),*], clear [$(($nul:literal, $clear:ident)),*]) => {{
            #[allow(unused_mut)]
            fn check(all: &BTreeMap<String, Value>) -> usize {
                let pick = Pick { variant: 0, optional: true };
                let Value::Object(full) = instance(all, &all[$name], pick, 0) else { panic!("{} is not an object", $name) };
                let new = || <$ty>::new($(argument::<$rty>(&full, $req)),*);
                let encoded = |value: &$ty| serde_json::to_value(value).unwrap();
                assert_eq!(encoded(&new()), only(&full, &[$($req),*]), "{}::new", $name);
                let mut value = new();
                let mut setters = 0;
                $(
                    value = value.$setter(argument::<$oty>(&full, $opt));
                    setters += 1;
                )*
                assert_eq!(encoded(&value), only(&full, &[$($req,)* $($opt),*]), "{} with every setter", $name);
                $(
                    assert_eq!(encoded(&new().$clear())[$nul], Value::Null, "{}.{}", $name, stringify!($clear));
                )*
                setters
            }
            setters += check(&all);
            built += 1;
        }};
    }
    for_each_struct!(check);
    assert!(built > 250 && setters > 2000, "only {built} structs and {setters} setters");
}

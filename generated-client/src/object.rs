//! Decoding generated structs: the part every struct shares.
//!
//! Each generated struct decodes through its own small visitor that loops
//! over the object's keys: [`Keys`] tells it which declared field a key is
//! (by index) or hands it the unknown key, which the struct keeps in its
//! `unknown_fields` map (or its map of undeclared properties) and sends back
//! when it is encoded. That keeps fields newer than the spec through a
//! read-modify-write.
//!
//! Why not `#[derive(Deserialize)]` with a `#[serde(flatten)]` map: serde
//! then derives, per struct, a key enum with its own visitor and the struct
//! visitor on top, and buffers unknown values in its private `Content` tree.
//! Here one key matcher serves every struct and only `visit_map` is
//! generated per struct. The client crate alone, debug, 2026-11-23 (2 shared
//! cores): derived without keeping unknown fields 53 s of CPU and 2.4 GB
//! peak; derived with a flattened map 51 s and 2.3 GB; this 36 s and 1.5 GB
//! (`BENCHMARKS.md`).
//!
//! Every type is decoded by one decoder, serde_json's over a byte slice: a
//! union keeps its value as JSON text and decodes the variant from it with
//! that decoder ([`union`]), and the path of a decode error is worked out
//! from the error's position (`crate::json_path`), not by decoding again
//! through a path-tracking wrapper. Each of those used to compile another
//! decoder for every type (three `visit_map`s per struct; `cargo llvm-lines`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// The visitor of a generated struct: each struct implements
/// `Visitor` for its `Decoder` (a name no generated type can take).
pub(crate) struct Decoder<T>(PhantomData<fn() -> T>);

impl<T> Decoder<T> {
    pub(crate) fn new() -> Self {
        Decoder(PhantomData)
    }
}

/// A key of a decoded object: the index of the declared field it names, or
/// the key itself when the struct does not declare it.
pub(crate) enum Key {
    Known(usize),
    Unknown(String),
}

/// Reads one key against a struct's declared wire names.
#[derive(Clone, Copy)]
pub(crate) struct Keys(pub(crate) &'static [&'static str]);

impl Keys {
    fn find(self, key: &str) -> Option<usize> {
        self.0.iter().position(|name| *name == key)
    }
}

impl<'de> DeserializeSeed<'de> for Keys {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Keys {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(self.find(key).map_or_else(|| Key::Unknown(key.to_owned()), Key::Known))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key, E> {
        Ok(self.find(&key).map_or(Key::Unknown(key), Key::Known))
    }
}

/// Reads the value of an unknown key into the map that keeps such fields.
pub(crate) fn keep<'de, A, V, M>(kept: &mut M, key: String, map: &mut A) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    V: Deserialize<'de>,
    M: Extend<(String, V)>,
{
    kept.extend(Some((key, map.next_value()?)));
    Ok(())
}

/// Reads and drops a value (never reached: every declared key has an arm).
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// A required field's value, or serde's "missing field" error.
#[cfg_attr(not(generated_uses = "required_fields"), allow(dead_code))]
pub(crate) fn required<T, E: de::Error>(value: Option<T>, wire: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(wire))
}

/// Decodes a list field the API sends in two forms: as its list, or, when the
/// request asked for the object map form (`tagsAsObject=true`), as an object
/// whose keys are the items' `key` field (`{"floor": "8"}` for
/// `[{"key": "floor", "value": "8"}]`). Either way the caller gets the list.
///
/// A value of the map is, per key `k`: an object, the item (with `key` set
/// to `k` when it has none); text, a number or a boolean `v`, the item
/// `{key: k, value: v}`; a list of those, one such item per element (a
/// device may repeat a tag key). Anything else is a decode error at the
/// map's key, as is a scalar when the item has no `value` field.
///
/// `null` is `None`. Each item built from the map is decoded from its JSON
/// text with the body's own decoder (as [`union`] does), so no second
/// decoder is compiled for `T`.
#[cfg_attr(not(generated_uses = "map_forms"), allow(dead_code))]
pub(crate) fn list_or_map<'de, A, T>(
    map: &mut A,
    key: &'static str,
    value: Option<&'static str>,
) -> Result<Option<Vec<T>>, A::Error>
where
    A: MapAccess<'de>,
    T: de::DeserializeOwned,
{
    map.next_value_seed(ListOrMap { key, value, item: PhantomData })
}

/// The seed and visitor of [`list_or_map`].
#[cfg_attr(not(generated_uses = "map_forms"), allow(dead_code))]
struct ListOrMap<T> {
    key: &'static str,
    value: Option<&'static str>,
    item: PhantomData<fn() -> T>,
}

impl<'de, T: de::DeserializeOwned> DeserializeSeed<'de> for ListOrMap<T> {
    type Value = Option<Vec<T>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: de::DeserializeOwned> Visitor<'de> for ListOrMap<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list, or an object map of its items by `{}`", self.key)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Some(items))
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut items = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            map.next_value_seed(Entry { key: self.key, value: self.value, name: &name, items: &mut items })?;
        }
        Ok(Some(items))
    }
}

/// One entry of a map form (see [`list_or_map`]): reads the value of the key
/// `name` into the items it stands for. Its errors are raised while the
/// value is read, so the error's path ends at the value (`tags.floor`).
#[cfg_attr(not(generated_uses = "map_forms"), allow(dead_code))]
struct Entry<'a, T> {
    key: &'static str,
    value: Option<&'static str>,
    name: &'a str,
    items: &'a mut Vec<T>,
}

impl<T: de::DeserializeOwned> Entry<'_, T> {
    /// Decodes one item from its JSON object, with the body's decoder.
    fn push<E: de::Error>(&mut self, item: serde_json::Map<String, serde_json::Value>) -> Result<(), E> {
        let json = serde_json::to_string(&item).map_err(E::custom)?;
        self.items.push(variant::<T>(&json).map_err(|error| E::custom(message(&error)))?);
        Ok(())
    }

    /// The item `{key: name, value: scalar}`.
    fn pair<E: de::Error>(&mut self, scalar: serde_json::Value) -> Result<(), E> {
        let Some(value) = self.value else {
            return Err(E::custom(format!("`{}` maps to {}, but an item is an object here", self.name, kind(&scalar))));
        };
        let mut item = serde_json::Map::new();
        item.insert(self.key.to_string(), serde_json::Value::String(self.name.to_string()));
        item.insert(value.to_string(), scalar);
        self.push(item)
    }
}

impl<'de, T: de::DeserializeOwned> DeserializeSeed<'de> for Entry<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: de::DeserializeOwned> Visitor<'de> for Entry<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an item, a value or a list of values for `{}`", self.name)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(format!("`{}` maps to null, not an item, a value or a list of values", self.name)))
    }

    fn visit_bool<E: de::Error>(mut self, value: bool) -> Result<(), E> {
        self.pair(serde_json::Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(mut self, value: i64) -> Result<(), E> {
        self.pair(value.into())
    }

    fn visit_u64<E: de::Error>(mut self, value: u64) -> Result<(), E> {
        self.pair(value.into())
    }

    fn visit_f64<E: de::Error>(mut self, value: f64) -> Result<(), E> {
        self.pair(value.into())
    }

    fn visit_str<E: de::Error>(mut self, value: &str) -> Result<(), E> {
        self.pair(serde_json::Value::String(value.to_owned()))
    }

    fn visit_seq<S: de::SeqAccess<'de>>(mut self, mut seq: S) -> Result<(), S::Error> {
        while let Some(element) = seq.next_element::<serde_json::Value>()? {
            match element {
                serde_json::Value::Array(_) | serde_json::Value::Object(_) | serde_json::Value::Null => {
                    return Err(de::Error::custom(format!(
                        "`{}` maps to a list holding {}, not only text, numbers or booleans",
                        self.name,
                        kind(&element)
                    )));
                }
                scalar => self.pair(scalar)?,
            }
        }
        Ok(())
    }

    fn visit_map<M: MapAccess<'de>>(mut self, mut map: M) -> Result<(), M::Error> {
        let mut item = serde_json::Map::new();
        while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
            item.insert(key, value);
        }
        if !item.contains_key(self.key) {
            item.insert(self.key.to_string(), serde_json::Value::String(self.name.to_string()));
        }
        self.push(item)
    }
}

/// What kind of JSON value it is, for an error message.
#[cfg_attr(not(generated_uses = "map_forms"), allow(dead_code))]
fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "text",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Decodes a union of objects in one pass over its JSON text. A union cannot
/// know its variant before it has seen the whole object (the tag may come
/// last), so the value is first kept as the text it was sent as (serde_json's
/// `RawValue`: no tree is built); `decode` then picks and decodes the variant
/// from that text with the same decoder the body itself uses. Decoding a
/// variant from a buffered `serde_json::Value` instead compiled a second
/// decoder for every type a union can hold, and for every type those hold.
/// Works for any serde_json deserializer (`from_slice`, `from_str`,
/// `from_reader`, `from_value`).
#[cfg_attr(not(generated_uses = "object_unions"), allow(dead_code))]
pub(crate) fn union<'de, D, T>(deserializer: D, decode: fn(&str) -> Result<T, serde_json::Error>) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let json = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
    decode(json.get()).map_err(|error| de::Error::custom(message(&error)))
}

/// A variant of a union (or its `Unknown` value) from the union's JSON text;
/// also an item of a list's map form ([`list_or_map`]).
#[cfg_attr(not(any(generated_uses = "object_unions", generated_uses = "map_forms")), allow(dead_code))]
pub(crate) fn variant<T: de::DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    serde_json::from_slice(json.as_bytes())
}

/// A variant of a tagged union from the union's JSON text without its tag,
/// for a variant whose map of undeclared properties could not hold the tag.
// The bundled spec has no such variant; other specs may.
#[cfg_attr(not(generated_uses = "untag"), allow(dead_code))]
pub(crate) fn variant_without<T: de::DeserializeOwned>(json: &str, tag: &str) -> Result<T, serde_json::Error> {
    let mut value: serde_json::Value = variant(json)?;
    if let Some(object) = value.as_object_mut() {
        object.shift_remove(tag);
    }
    variant(&serde_json::to_string(&value)?)
}

/// serde_json's message without its "at line 1 column 9": the position is of
/// the union's text, not of the body; the body's decoder adds its own.
#[cfg_attr(not(any(generated_uses = "object_unions", generated_uses = "map_forms")), allow(dead_code))]
fn message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) if error.line() > 0 => message.to_string(),
        _ => text,
    }
}

/// The string value of the property `tag` of the object `json` is, if it
/// is an object with such a property.
#[cfg_attr(not(generated_uses = "tagged_unions"), allow(dead_code))]
pub(crate) fn tag_of(json: &str, tag: &'static str) -> Option<String> {
    struct Tag(&'static str);
    impl<'de> Visitor<'de> for Tag {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 && found.is_none() {
                    found = map.next_value::<Text>()?.0;
                } else {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(json.as_bytes());
    deserializer.deserialize_map(Tag(tag)).ok().flatten()
}

/// What a union of objects that has no tag looks at to rank its variants:
/// the object's keys, each with its value when that is a string; `None` when
/// the value is not an object.
#[derive(Debug, Default)]
#[cfg_attr(not(generated_uses = "shape_unions"), allow(dead_code))]
pub(crate) struct Probe {
    pub(crate) object: Option<Vec<(String, Option<String>)>>,
}

#[cfg_attr(not(generated_uses = "shape_unions"), allow(dead_code))]
impl Probe {
    /// Reads the keys of `json` (and its string values), skipping the rest.
    pub(crate) fn of(json: &str) -> Probe {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = Vec<(String, Option<String>)>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<Text>()?.0;
                    keys.push((key, value));
                }
                Ok(keys)
            }
        }
        let mut deserializer = serde_json::Deserializer::from_slice(json.as_bytes());
        Probe { object: deserializer.deserialize_map(Keys).ok() }
    }
}

/// Any JSON value, kept only if it is a string.
#[cfg_attr(not(any(generated_uses = "tagged_unions", generated_uses = "shape_unions")), allow(dead_code))]
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Text, E> {
                Ok(Text(Some(value.to_owned())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
        }
        deserializer.deserialize_any(Any)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn keys_are_matched_by_wire_name() {
        let keys = Keys(&["name", "parentId"]);
        let key = |text: &str| keys.visit_str::<serde_json::Error>(text).unwrap();
        assert!(matches!(key("parentId"), Key::Known(1)));
        assert!(matches!(key("parentid"), Key::Unknown(k) if k == "parentid"));
        assert!(matches!(keys.visit_string::<serde_json::Error>("name".into()).unwrap(), Key::Known(0)));
    }

    #[test]
    fn unions_read_their_tag_and_keys_without_decoding_the_rest() {
        let json = r#"{"config": {"blockType": "no"}, "id": 3, "blockType": "gauge", "x": ["a"]}"#;
        assert_eq!(tag_of(json, "blockType").as_deref(), Some("gauge"));
        assert_eq!(tag_of(r#"{"blockType": 7}"#, "blockType"), None);
        assert_eq!(tag_of(r#""gauge""#, "blockType"), None);
        let keys = Probe::of(json).object.unwrap();
        let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["config", "id", "blockType", "x"]);
        assert_eq!(keys[2].1.as_deref(), Some("gauge"));
        assert!(Probe::of("[1, 2]").object.is_none());
    }

    fn list_or_map_of(
        json: &str,
        value: Option<&'static str>,
    ) -> Result<Option<Vec<BTreeMap<String, String>>>, String> {
        let seed = ListOrMap { key: "key", value, item: PhantomData };
        let mut deserializer = serde_json::Deserializer::from_str(json);
        seed.deserialize(&mut deserializer).map_err(|e| e.to_string())
    }

    #[test]
    fn a_list_decodes_from_its_map_form() {
        let pair = |k: &str, v: &str| BTreeMap::from([("key".to_string(), k.to_string()), ("value".into(), v.into())]);
        let list = list_or_map_of(r#"[{"key": "floor", "value": "8"}]"#, Some("value")).unwrap();
        assert_eq!(list, Some(vec![pair("floor", "8")]));
        let map = list_or_map_of(r#"{"floor": ["8", "9"], "room": "a", "x": {"value": "y"}}"#, Some("value"));
        assert_eq!(map.unwrap(), Some(vec![pair("floor", "8"), pair("floor", "9"), pair("room", "a"), pair("x", "y")]));
        let kept = list_or_map_of(r#"{"x": {"key": "own", "value": "y"}}"#, Some("value")).unwrap();
        assert_eq!(kept, Some(vec![pair("own", "y")]), "an item's own key stays");
        assert_eq!(list_or_map_of("null", Some("value")).unwrap(), None);
        assert_eq!(list_or_map_of("{}", Some("value")).unwrap(), Some(vec![]));
    }

    #[test]
    fn a_map_form_that_is_no_list_is_an_error() {
        let error = list_or_map_of(r#"{"floor": null}"#, Some("value")).unwrap_err();
        assert!(error.starts_with("`floor` maps to null"), "{error}");
        let error = list_or_map_of(r#"{"floor": [["8"]]}"#, Some("value")).unwrap_err();
        assert!(error.starts_with("`floor` maps to a list holding a list"), "{error}");
        let error = list_or_map_of(r#"{"floor": "8"}"#, None).unwrap_err();
        assert!(error.starts_with("`floor` maps to text, but an item is an object here"), "{error}");
        let error = list_or_map_of(r#"{"floor": 8}"#, Some("value")).unwrap_err();
        assert!(error.starts_with("invalid type: integer `8`, expected a string"), "{error}");
        let error = list_or_map_of("7", Some("value")).unwrap_err();
        assert!(error.contains("expected a list, or an object map of its items by `key`"), "{error}");
    }

    #[test]
    fn a_variants_error_loses_the_position_in_the_unions_text() {
        let error = variant::<Vec<i64>>(r#"[1, "a"]"#).unwrap_err();
        assert_eq!(message(&error), "invalid type: string \"a\", expected i64");
    }
}

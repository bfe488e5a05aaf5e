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

/// A variant of a union (or its `Unknown` value) from the union's JSON text.
#[cfg_attr(not(generated_uses = "object_unions"), allow(dead_code))]
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
#[cfg_attr(not(generated_uses = "object_unions"), allow(dead_code))]
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

    #[test]
    fn a_variants_error_loses_the_position_in_the_unions_text() {
        let error = variant::<Vec<i64>>(r#"[1, "a"]"#).unwrap_err();
        assert_eq!(message(&error), "invalid type: string \"a\", expected i64");
    }
}

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
}

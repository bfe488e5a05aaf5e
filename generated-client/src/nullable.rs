//! [`Nullable`]: the type of fields whose schema allows `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field the schema allows to be `null`: left out, `null`, or a value.
///
/// Optional fields are `Option`s, where `None` leaves the field out of a
/// request. A field that may also be `null` needs a third state, so that a
/// `PATCH` can clear it: `Nullable::Null` sends `"field": null`, while
/// `Nullable::Absent` (the default) leaves the field out as `None` does.
/// Decoding gives `Absent` for a missing field, `Null` for `null`.
///
/// ```
/// use losant_rest::Nullable;
///
/// let parent: Nullable<String> = Nullable::Value("575ecf887ae143cd83dc4aa2".into());
/// assert_eq!(parent.value().map(String::as_str), Some("575ecf887ae143cd83dc4aa2"));
/// assert_eq!(Nullable::<String>::Null.value(), None);
/// ```
///
/// Generated structs set these fields through methods: `.parent_id(id)` sets
/// a value, `.clear_parent_id()` sets `Null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not there: left out of a request, missing from a response.
    Absent,
    /// `null` on the wire.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out (the state [`skip_serializing_if`] tests).
    ///
    /// [`skip_serializing_if`]: https://serde.rs/field-attrs.html#skip_serializing_if
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the field is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one (not for `Absent` or `Null`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, mutably, if there is one.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one, by value: `Absent` and `Null` both give `None`.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

impl<T> Default for Nullable<T> {
    /// `Absent`, whatever `T` is.
    fn default() -> Self {
        Self::Absent
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    /// A value as itself, `Null` (and `Absent`, which generated structs skip) as `null`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => serializer.serialize_some(value),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// `null` as `Null`, anything else as a value. (A missing field never
    /// reaches here: generated structs start every nullable field `Absent`.)
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Value(value),
            None => Self::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[test]
    fn null_and_values_round_trip() {
        let null: Nullable<i64> = serde_json::from_str("null").unwrap();
        assert_eq!(null, Nullable::Null);
        assert_eq!(serde_json::to_string(&null).unwrap(), "null");
        let seven: Nullable<i64> = serde_json::from_str("7").unwrap();
        assert_eq!(seven, Nullable::Value(7));
        assert_eq!(serde_json::to_string(&seven).unwrap(), "7");
        assert_eq!(Nullable::<i64>::default(), Nullable::Absent);
        assert_eq!(seven.into_value(), Some(7));
    }
}

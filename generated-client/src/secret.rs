//! [`Secret`]: a value that is sent and readable on purpose, and never printed.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A credential (a password, a token, a key) that is never shown by `Debug`.
///
/// It is sent and decoded as the plain value it holds, so the wire does not
/// change; reading it takes a call that says so ([`expose`](Self::expose) or
/// [`into_inner`](Self::into_inner)). There is no `Display`: a secret does not
/// end up in a log line by a stray `{}` either.
///
/// ```
/// use losant_rest::Secret;
///
/// let password: Secret = Secret::from("hunter2");
/// assert_eq!(format!("{password:?}"), "Secret(<redacted>)");
/// assert_eq!(password.expose(), "hunter2");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret<T = String>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value, to send or store it on purpose.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// The value, taken out.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value_and_the_wire_carries_it() {
        let secret = Secret::from("s3cr3t-value");
        assert!(!format!("{secret:?}").contains("s3cr3t"));
        assert!(!format!("{:?}", Some(&secret)).contains("s3cr3t"));
        assert_eq!(serde_json::to_string(&secret).unwrap(), r#""s3cr3t-value""#);
        let back: Secret = serde_json::from_str(r#""s3cr3t-value""#).unwrap();
        assert_eq!(back, secret);
        assert_eq!(back.into_inner(), "s3cr3t-value");
    }
}

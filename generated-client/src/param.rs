//! [`IntoParam`]: what a setter or argument of a typed param accepts.

use std::borrow::Cow;

/// A value that can be sent as a param whose Rust type is `T`: a `T` itself
/// or text, which is sent exactly as given.
///
/// The spec declares most params as strings. Where its values are clearly
/// integers or booleans, the setter takes `impl IntoParam<i64>` or
/// `impl IntoParam<bool>`; where it lists the allowed values, it takes
/// `impl IntoParam<E>` for a generated enum `E` in [`params`](crate::params).
/// Text is accepted everywhere, so any value the API takes can still be sent:
///
/// ```no_run
/// # use losant_rest::{params::SortDirection, Client};
/// # let client = Client::new("token");
/// let devices = client.devices().get("575ec8687ae143cd83dc4a97");
/// let typed = devices.clone().per_page(100).sort_direction(SortDirection::Desc);
/// let text = devices.per_page("100").sort_direction("desc"); // sends the same query
/// ```
///
/// Integers are written in decimal (`100`), booleans as `true` and `false`,
/// enum values as their wire text (an `Unknown` value as it holds it).
pub trait IntoParam<T> {
    /// The text sent on the wire.
    fn into_param_text(self) -> String;
}

macro_rules! integers {
    ($($int:ty),*) => {$(
        impl IntoParam<i64> for $int {
            fn into_param_text(self) -> String {
                self.to_string()
            }
        }
    )*};
}

integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl IntoParam<bool> for bool {
    fn into_param_text(self) -> String {
        self.to_string()
    }
}

impl<T> IntoParam<T> for &str {
    fn into_param_text(self) -> String {
        self.to_owned()
    }
}

impl<T> IntoParam<T> for String {
    fn into_param_text(self) -> String {
        self
    }
}

impl<T> IntoParam<T> for &String {
    fn into_param_text(self) -> String {
        self.clone()
    }
}

impl<T> IntoParam<T> for Cow<'_, str> {
    fn into_param_text(self) -> String {
        self.into_owned()
    }
}

impl<T> IntoParam<T> for Box<str> {
    fn into_param_text(self) -> String {
        self.into_string()
    }
}

#[cfg(test)]
mod tests {
    use super::IntoParam;

    fn integer(value: impl IntoParam<i64>) -> String {
        value.into_param_text()
    }

    fn boolean(value: impl IntoParam<bool>) -> String {
        value.into_param_text()
    }

    #[test]
    fn typed_values_and_text_give_the_same_bytes() {
        assert_eq!(integer(100), "100");
        assert_eq!(integer(-259_200_000_i64), "-259200000");
        assert_eq!(integer(7_usize), "7");
        assert_eq!(integer(u64::MAX), "18446744073709551615");
        assert_eq!(integer("100"), "100");
        assert_eq!(integer(String::from("now")), "now");
        assert_eq!(boolean(true), "true");
        assert_eq!(boolean(false), "false");
        let yes = String::from("yes");
        assert_eq!(boolean(&yes), yes);
        assert_eq!(boolean(std::borrow::Cow::Borrowed("1")), "1");
        assert_eq!(boolean(Box::<str>::from("0")), "0");
    }
}

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

    /// The value as the request keeps it until it is written: a `T` when it
    /// is one, else the text [`into_param_text`](Self::into_param_text)
    /// gives. The implementations for integers and `bool` keep them typed, so
    /// `.page(3)` is still `3` when `.pages()` starts from it; anything else
    /// is text.
    #[doc(hidden)]
    fn into_param_value(self) -> Given<T>
    where
        Self: Sized,
    {
        Given::Text(self.into_param_text())
    }
}

/// A param value as a setter was given it: typed, or text sent exactly as
/// given. Stored by the request builders; written with the same bytes as
/// [`IntoParam::into_param_text`].
#[doc(hidden)]
#[derive(Clone, PartialEq, Eq)]
pub enum Given<T> {
    /// A value of the param's type.
    Typed(T),
    /// Text, sent as it is.
    Text(String),
}

impl Given<i64> {
    /// The page a pager starts from: the value, or text that reads as a
    /// page number; else (negative, not a number) the first, 0.
    #[cfg_attr(not(generated_uses = "pages"), allow(dead_code))]
    pub(crate) fn first_page(&self) -> u64 {
        match self {
            Given::Typed(page) => u64::try_from(*page).unwrap_or(0),
            Given::Text(text) => text.parse().unwrap_or(0),
        }
    }
}

/// As the text it sends (`"100"`), as the builders showed it when they kept text.
impl<T: std::fmt::Display> std::fmt::Debug for Given<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Given::Typed(value) => std::fmt::Debug::fmt(&value.to_string(), f),
            Given::Text(text) => std::fmt::Debug::fmt(text, f),
        }
    }
}

macro_rules! integers {
    ($($int:ty),*) => {$(
        impl IntoParam<i64> for $int {
            fn into_param_text(self) -> String {
                self.to_string()
            }

            fn into_param_value(self) -> Given<i64> {
                typed(self)
            }
        }
    )*};
}

/// Typed, unless it does not fit an `i64` (a `u64` above `i64::MAX`): then
/// the text of its digits, as it was always sent.
fn typed<I: TryInto<i64> + ToString + Copy>(value: I) -> Given<i64> {
    value.try_into().map_or_else(|_| Given::Text(value.to_string()), Given::Typed)
}

integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl IntoParam<bool> for bool {
    fn into_param_text(self) -> String {
        self.to_string()
    }

    fn into_param_value(self) -> Given<bool> {
        Given::Typed(self)
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
    use super::{Given, IntoParam};

    fn integer(value: impl IntoParam<i64>) -> String {
        value.into_param_text()
    }

    fn boolean(value: impl IntoParam<bool>) -> String {
        value.into_param_text()
    }

    fn kept(value: impl IntoParam<i64>) -> Given<i64> {
        value.into_param_value()
    }

    #[test]
    fn integers_and_booleans_stay_typed_and_text_stays_text() {
        assert_eq!(kept(3_u8), Given::Typed(3));
        assert_eq!(kept(-7_i64), Given::Typed(-7));
        assert_eq!(kept(u64::MAX), Given::Text("18446744073709551615".into()));
        assert_eq!(kept("3"), Given::Text("3".into()));
        assert_eq!(format!("{:?}", kept(100)), format!("{:?}", "100"));
        assert_eq!(kept(4).first_page(), 4);
        assert_eq!(kept(-1).first_page(), 0);
        assert_eq!(kept("5").first_page(), 5);
        assert_eq!(kept("next").first_page(), 0);
        assert_eq!(IntoParam::<bool>::into_param_value(true), Given::Typed(true));
        assert_eq!(IntoParam::<bool>::into_param_value("yes"), Given::Text("yes".into()));
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

//! Path param patterns, compiled here so the client parses none per request.
//!
//! The spec's patterns are one character class repeated (`^[A-Fa-f\d]{24}$`
//! on every id). Those become byte ranges and a length range, which the
//! runtime (`generated-client/src/pattern.rs`) checks byte by byte with no
//! regex: regex-lite's PikeVM was more than half of what the client added to
//! a small GET (issue 13). Any other pattern is handed over as text, for
//! regex-lite (which `check` made sure compiles it) to compile once.
//!
//! Each distinct pattern is one static in `api.rs` ([`Patterns`]).

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::plan::{self, Encoding};
use crate::model::params::ParamEnums;
use crate::model::{Api, Location};
use crate::typegen::TypeSpace;

/// Every distinct path pattern of the API, as the plans of its path params
/// compile them, each with the static `api.rs` defines it as: `PATTERN_1`,
/// ..., in the order of their text. Short names: a request builder names
/// one per path param.
pub struct Patterns(BTreeMap<String, (usize, PathPattern)>);

impl Patterns {
    /// The table of `api`'s path patterns.
    pub fn of(api: &Api, space: &TypeSpace, enums: &ParamEnums) -> Patterns {
        let mut patterns = BTreeMap::new();
        let params = api.resources.iter().flat_map(|r| &r.actions).flat_map(|a| &a.params);
        for p in params.filter(|p| p.location == Location::Path && p.pattern.is_some()) {
            if let Encoding::Path { pattern: Some(pattern) } = plan::param(space, enums, p).encoding {
                patterns.entry(pattern.text.clone()).or_insert(pattern);
            }
        }
        let named =
            patterns.into_iter().enumerate().map(|(index, (text, pattern))| (text, (index + 1, pattern))).collect();
        Patterns(named)
    }

    /// The static of `pattern`, which is one of the API's.
    pub fn name(&self, pattern: &PathPattern) -> Ident {
        // Every path pattern is in the table: a missing one would not compile.
        self.0.get(&pattern.text).map_or_else(|| format_ident!("PATTERN_MISSING"), |(index, _)| static_name(*index))
    }

    /// The statics, for `api.rs`.
    pub fn definitions(&self) -> TokenStream {
        self.0.values().map(|(index, pattern)| pattern.definition(&static_name(*index))).collect()
    }
}

/// (An `Ident` is not `Send`: the table is shared by the threads of `emit`.)
fn static_name(index: usize) -> Ident {
    format_ident!("PATTERN_{}", index)
}

/// A path param's pattern as the generated code hands it to the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    /// The spec's text, which errors quote.
    pub text: String,
    pub form: Form,
}

/// How the runtime checks a value against a [`PathPattern`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// `^[class]{min,max}$`: every byte in one of the ASCII ranges, and
    /// `min..=max` of them (`max` `None` for `+` and `*`).
    Bytes { ranges: Vec<(u8, u8)>, min: u32, max: Option<u32> },
    /// Any other pattern: regex-lite's.
    Regex,
}

impl PathPattern {
    /// The pattern's compiled form: [`Form::Bytes`] when it is one class
    /// repeated, else [`Form::Regex`].
    pub fn compile(text: &str) -> PathPattern {
        let form = bytes(text).unwrap_or(Form::Regex);
        PathPattern { text: text.to_string(), form }
    }

    /// The definition of its static, `name`, for `api.rs`.
    fn definition(&self, name: &Ident) -> TokenStream {
        let text = &self.text;
        let docs = super::docs::doc(&format!("`{}`, a path param pattern of the spec.", self.text.replace('`', "'")));
        let value = match &self.form {
            Form::Bytes { ranges, min, max } => {
                let ranges = ranges.iter().map(|&(from, to)| {
                    let (from, to) = (Literal::byte_character(from), Literal::byte_character(to));
                    quote!((#from, #to))
                });
                let min = Literal::usize_unsuffixed(*min as usize);
                let max = match max {
                    Some(max) => {
                        let max = Literal::usize_unsuffixed(*max as usize);
                        quote!(#max)
                    }
                    None => quote!(usize::MAX),
                };
                quote!(crate::pattern::Pattern::bytes(#text, &[#(#ranges),*], #min, #max))
            }
            Form::Regex => quote!(crate::pattern::Pattern::regex(#text)),
        };
        quote! {
            #docs
            pub(crate) static #name: crate::pattern::Pattern = #value;
        }
    }
}

/// The [`Form::Bytes`] of a pattern of the form `^[class]{n}$`,
/// `^[class]{n,m}$`, `^[class]+$` or `^[class]*$`, whose class holds only
/// ASCII letters, digits, `_`, `-` (first or last), ranges between two
/// letters or digits of the same kind, and `\d`.
fn bytes(pattern: &str) -> Option<Form> {
    let rest = pattern.strip_prefix("^[")?;
    let (class, repeat) = rest.split_once(']')?;
    let repeat = repeat.strip_suffix('$')?;
    let (min, max) = match repeat {
        "+" => (1, None),
        "*" => (0, None),
        _ => {
            let counts = repeat.strip_prefix('{')?.strip_suffix('}')?;
            let (min, max) = counts.split_once(',').unwrap_or((counts, counts));
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if !digits(min) || !digits(max) {
                return None;
            }
            // A count past `u32` is left to the regex: it fits any target's `usize`.
            (min.parse().ok()?, Some(max.parse().ok()?))
        }
    };
    if max.is_some_and(|max| min > max) {
        return None;
    }
    let literal = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut ranges = Vec::new();
    let class = class.as_bytes();
    let mut i = 0;
    while i < class.len() {
        match class[i..] {
            [b'\\', b'd', ..] => {
                ranges.push((b'0', b'9'));
                i += 2;
            }
            // A range between two letters or digits of the same kind.
            [from, b'-', to, ..]
                if from <= to
                    && (from.is_ascii_digit() && to.is_ascii_digit()
                        || from.is_ascii_lowercase() && to.is_ascii_lowercase()
                        || from.is_ascii_uppercase() && to.is_ascii_uppercase()) =>
            {
                ranges.push((from, to));
                i += 3;
            }
            // `-` is literal only first or last in the class.
            [b'-'] => {
                ranges.push((b'-', b'-'));
                i += 1;
            }
            [b'-', ..] if i == 0 => {
                ranges.push((b'-', b'-'));
                i += 1;
            }
            [b, ..] if literal(b) => {
                ranges.push((b, b));
                i += 1;
            }
            _ => return None,
        }
    }
    if ranges.is_empty() {
        return None;
    }
    // Sorted and merged: the same class, however the spec spells it, reads the same.
    ranges.sort_unstable();
    let mut merged: Vec<(u8, u8)> = Vec::with_capacity(ranges.len());
    for (from, to) in ranges {
        match merged.last_mut() {
            Some(last) if from <= last.1.saturating_add(1) => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    Some(Form::Bytes { ranges: merged, min, max })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What the runtime's `Pattern::matches` does with a [`Form::Bytes`]:
    /// every byte in a range (so the value is ASCII and its length in bytes
    /// is its length in characters), and the length in range.
    fn byte_check(form: &Form, value: &str) -> bool {
        let Form::Bytes { ranges, min, max } = form else { panic!("not a byte form: {form:?}") };
        let max = max.map_or(usize::MAX, |max| max as usize);
        (*min as usize..=max).contains(&value.len())
            && value.bytes().all(|b| ranges.iter().any(|&(from, to)| (from..=to).contains(&b)))
    }

    /// The spec's two path patterns, and edge cases of the forms the byte check takes.
    const PATTERNS: &[&str] = &["^[A-Fa-f\\d]{24}$", "^[0-9a-zA-Z_-]{1,255}$", "^[-a-c]+$", "^[x]*$", "^[a-f]{2,3}$"];

    #[test]
    fn the_spec_patterns_take_the_byte_check() {
        for pattern in PATTERNS {
            assert!(matches!(PathPattern::compile(pattern).form, Form::Bytes { .. }), "{pattern}");
        }
        let others = [
            "^[^a]{2}$",
            "^[a-f]{3,2}$",
            "^[a.]{2}$",
            "[a]{2}",
            "^[a]{2}",
            "^[\\w]{2}$",
            "^[a-z-9]+$",
            "^[a]{99999999999}$",
            "^([A-Fa-f\\d]{24}|)$",
        ];
        for other in others {
            assert_eq!(PathPattern::compile(other).form, Form::Regex, "{other}");
        }
    }

    #[test]
    fn a_hex_id_is_three_merged_ranges_of_24() {
        let form = PathPattern::compile("^[A-Fa-f\\d]{24}$").form;
        assert_eq!(
            form,
            Form::Bytes { ranges: vec![(b'0', b'9'), (b'A', b'F'), (b'a', b'f')], min: 24, max: Some(24) }
        );
        let form = PathPattern::compile("^[a-cb-dxy\\d0-3]+$").form;
        assert_eq!(form, Form::Bytes { ranges: vec![(b'0', b'9'), (b'a', b'd'), (b'x', b'y')], min: 1, max: None });
    }

    #[test]
    fn the_static_keeps_the_text() {
        let name = format_ident!("P");
        let hex = PathPattern::compile("^[A-Fa-f\\d]{24}$");
        let code = hex.definition(&name).to_string();
        assert!(code.contains("Pattern :: bytes (\"^[A-Fa-f\\\\d]{24}$\""), "{code}");
        assert!(code.contains("(b'0' , b'9')") && code.contains(", 24 , 24)"), "{code}");
        let other = PathPattern::compile("^a\"b`$");
        assert!(other.definition(&name).to_string().contains("Pattern :: regex (\"^a\\\"b`$\")"));
    }

    proptest! {
        /// The byte check says what regex-lite says, for every pattern it takes.
        #[test]
        fn byte_check_agrees_with_the_regex(
            value in prop_oneof![
                // Near the classes' edges, with non-ASCII digits and letters.
                proptest::collection::vec(
                    proptest::sample::select(vec!['0', '9', 'a', 'c', 'f', 'g', 'x', 'z', 'A', 'F', 'G', 'Z', '-', '_', '.', '/', '\n', 'é', '٣']),
                    0..30,
                ),
                // Hex ids of about the right length.
                proptest::collection::vec(proptest::sample::select(vec!['0', '7', '9', 'a', 'f', 'A', 'F', 'g']), 22..27),
            ].prop_map(String::from_iter)
        ) {
            for pattern in PATTERNS {
                let regex = regex_lite::Regex::new(pattern).unwrap();
                let form = PathPattern::compile(pattern).form;
                prop_assert_eq!(byte_check(&form, &value), regex.is_match(&value), "{} on {:?}", pattern, value);
            }
        }
    }
}

//! The patterns path params must match, as codegen compiled them from the
//! spec (`codegen/src/emit/pattern.rs`): the generated `api.rs` has one
//! static per distinct pattern, and nothing is parsed per request.

use std::sync::OnceLock;

/// A path param's pattern: a value that does not match it is refused before
/// anything is sent (unless the client is told not to check).
#[derive(Debug)]
pub(crate) struct Pattern {
    /// The spec's text, which errors quote.
    text: &'static str,
    check: Check,
}

#[derive(Debug)]
enum Check {
    /// One class of ASCII bytes repeated `min..=max` times: bit `b` of `set`
    /// is set when byte `b` is in the class. No regex, no lock (issue 13).
    #[cfg_attr(not(generated_uses = "byte_patterns"), allow(dead_code))]
    Bytes { set: u128, min: usize, max: usize },
    /// Any other pattern: regex-lite's, compiled on first use. `None` if it
    /// does not compile (`check` rules that out): it then accepts everything
    /// rather than block every request.
    #[cfg_attr(not(generated_uses = "regex_patterns"), allow(dead_code))]
    Regex(OnceLock<Option<regex_lite::Regex>>),
}

impl Pattern {
    /// `text`, one class of the bytes in `ranges` (ASCII; others are left
    /// out) repeated `min..=max` times.
    #[cfg_attr(not(generated_uses = "byte_patterns"), allow(dead_code))]
    pub(crate) const fn bytes(text: &'static str, ranges: &[(u8, u8)], min: usize, max: usize) -> Pattern {
        let mut set = 0u128;
        let mut i = 0;
        while i < ranges.len() {
            let (mut byte, to) = ranges[i];
            while byte <= to && byte < 128 {
                set |= 1 << byte;
                byte += 1;
            }
            i += 1;
        }
        Pattern { text, check: Check::Bytes { set, min, max } }
    }

    /// `text`, for regex-lite.
    #[cfg_attr(not(generated_uses = "regex_patterns"), allow(dead_code))]
    pub(crate) const fn regex(text: &'static str) -> Pattern {
        Pattern { text, check: Check::Regex(OnceLock::new()) }
    }

    /// The pattern as the spec writes it.
    pub(crate) fn text(&self) -> &'static str {
        self.text
    }

    /// Whether `value` matches.
    pub(crate) fn matches(&self, value: &str) -> bool {
        match &self.check {
            // Every byte in the class makes the value ASCII, so its length in
            // bytes is its length in characters.
            Check::Bytes { set, min, max } => {
                (*min..=*max).contains(&value.len()) && value.bytes().all(|b| b < 128 && set & (1 << b) != 0)
            }
            Check::Regex(compiled) => compiled
                .get_or_init(|| regex_lite::Regex::new(self.text).ok())
                .as_ref()
                .is_none_or(|regex| regex.is_match(value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static HEX_ID: Pattern = Pattern::bytes("^[A-Fa-f\\d]{24}$", &[(b'0', b'9'), (b'A', b'F'), (b'a', b'f')], 24, 24);

    #[test]
    fn the_byte_set_holds_the_ranges_and_only_them() {
        for value in ["575ed6e87ae143cd83dc4aa8", "ABCDEF0123456789abcdef00"] {
            assert!(HEX_ID.matches(value), "{value}");
        }
        for value in [
            "575ed6e87ae143cd83dc4aa",
            "575ed6e87ae143cd83dc4aa8a",
            "575ed6e87ae143cd83dc4aag",
            "٣75ed6e87ae143cd83dc4aa",
        ] {
            assert!(!HEX_ID.matches(value), "{value}");
        }
        let any = Pattern::bytes("^[-]*$", &[(b'-', b'-'), (200, 255)], 0, usize::MAX);
        assert!(any.matches("") && any.matches("---") && !any.matches("é"));
    }

    #[test]
    fn other_patterns_are_regexes_compiled_once() {
        let pattern = Pattern::regex("^([A-Fa-f\\d]{24}|)$");
        assert!(pattern.matches("") && pattern.matches("575ed6e87ae143cd83dc4aa8") && !pattern.matches("me"));
        let Check::Regex(compiled) = &pattern.check else { unreachable!() };
        assert!(compiled.get().is_some_and(Option::is_some));
        // One regex-lite cannot compile accepts everything rather than block every request.
        assert!(Pattern::regex("^(?!x)$").matches("anything"));
    }
}

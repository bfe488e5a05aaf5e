//! Percent-encoding for path segments and query strings.
//!
//! One rule for both, the one the official clients follow: only
//! `A-Z a-z 0-9 - . _ ~` stay literal, every other byte of the UTF-8 text is
//! written `%XX`. So a value can never add a path segment (`/`), start a query
//! (`?`), add a param (`&`, `=`) or a fragment (`#`).

use std::fmt::Write;

/// Appends `value`, percent-encoded, to `out`.
pub(crate) fn push_encoded(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::push_encoded;

    fn encode(value: &str) -> String {
        let mut out = String::new();
        push_encoded(&mut out, value);
        out
    }

    #[test]
    fn leaves_only_unreserved_characters_literal() {
        assert_eq!(encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode("a b"), "a%20b");
        assert_eq!(encode("../../me"), "..%2F..%2Fme");
        assert_eq!(encode("a/b?c=d#e&f+g%"), "a%2Fb%3Fc%3Dd%23e%26f%2Bg%25");
        assert_eq!(encode("é"), "%C3%A9");
        assert_eq!(encode(""), "");
    }
}

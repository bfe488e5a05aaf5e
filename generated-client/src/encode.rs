//! Percent-encoding for path segments and query strings.
//!
//! One rule for both, the one the official clients follow: only
//! `A-Z a-z 0-9 - . _ ~` stay literal, every other byte of the UTF-8 text is
//! written `%XX`. So a value can never add a path segment (`/`), start a query
//! (`?`), add a param (`&`, `=`) or a fragment (`#`).

/// Whether each byte stays literal: one load per byte.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Appends `value`, percent-encoded, to `out`. Runs of literal characters
/// are copied whole, and escapes written from a table, not with `write!`: ids
/// and query values are mostly literal, and this runs on every request.
pub(crate) fn push_encoded(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Where the run of literal bytes not yet copied starts.
    let mut start = 0;
    for (i, byte) in value.bytes().enumerate() {
        if UNRESERVED[usize::from(byte)] {
            continue;
        }
        // A non-empty run is ASCII, so it starts and ends on character boundaries.
        if start < i {
            out.push_str(&value[start..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xF)]));
        start = i + 1;
    }
    if start < value.len() {
        out.push_str(&value[start..]);
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
        assert_eq!(encode("aé€b c"), "a%C3%A9%E2%82%ACb%20c");
        assert_eq!(encode(""), "");
    }
}

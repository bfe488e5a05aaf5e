//! Which helpers of the client's runtime the generated code calls.
//!
//! Some runtime helpers exist only for generated code: the event-stream
//! parser, the pager, the decoder of unions told apart by shape, multipart
//! JSON parts, ... A client generated from a spec without event streams
//! calls no event-stream helper, and rustc would call it dead code. The
//! client's build script sets `cfg(generated_uses = "<helper>")` for each
//! helper the generated code calls, and the runtime relaxes `dead_code` on
//! a helper only where its cfg is not set:
//!
//! ```text
//! #[cfg_attr(not(generated_uses = "sse"), allow(dead_code))]
//! mod sse;
//! ```
//!
//! So with the bundled spec (which uses every helper) nothing is relaxed, and
//! a helper that stops being called is still reported.
//!
//! Two values say the opposite way round what the runtime may call:
//! `login_user` and `login_device` are set when the generated code has
//! `auth.authenticateUser` and `auth.authenticateDevice`, which the runtime's
//! `Client::login*` call; without both (a spec or feature set without the
//! `auth` resource) those helpers are not compiled.
//!
//! The helpers are found in the generated source itself, by the call each
//! one is made with (in code, not in comments or string literals, which hold
//! text from the spec), so this cannot disagree with what `emit` writes: a
//! call missed here only relaxes the lint, never breaks the build.

use std::collections::BTreeSet;

use crate::emit::GeneratedFile;

/// The cfg the build script sets, once per helper the generated code calls.
pub const CFG: &str = "generated_uses";

/// Each helper: its cfg value, and text that only a call to it contains.
pub const HELPERS: &[(&str, &str)] = &[
    // `Transport::execute_stream` and `sse.rs`.
    ("sse", ".execute_stream("),
    // `paging.rs` and `ItemStream::new`.
    ("pages", "crate::paging::pages("),
    // `Request::part_json`.
    ("json_parts", ".part_json("),
    // `Response::empty`.
    ("empty_body", ".empty()"),
    // `Response::status` and `Response::unexpected`, for several success statuses.
    ("statuses", ".unexpected()"),
    // `VariantShape` and `union_order`.
    ("shape_unions", "crate::unions::union_order("),
    // `VariantShape::MAP`.
    ("map_variants", "crate::unions::VariantShape::MAP"),
    // `VariantShape::OTHER`.
    ("other_variants", "crate::unions::VariantShape::OTHER"),
    // `object::union` and `object::variant`: unions of objects decode from their JSON text.
    ("object_unions", "crate::object::union("),
    // `object::tag_of`, for unions tagged by a property.
    ("tagged_unions", "crate::object::tag_of("),
    // `object::variant_without`, for a constant tag a variant's typed map may not take.
    ("untag", "crate::object::variant_without("),
    // `object.rs`: the decoder of every generated struct.
    ("structs", "crate::object::Keys("),
    // `object::list_or_map`, for list fields the API may send as an object map.
    ("map_forms", "crate::object::list_or_map("),
    // `object::required`, for structs with required fields.
    ("required_fields", "crate::object::required("),
    // `Pattern::bytes`, for path patterns of one character class.
    ("byte_patterns", "crate::pattern::Pattern::bytes("),
    // `Pattern::regex`, for other path patterns.
    ("regex_patterns", "crate::pattern::Pattern::regex("),
    // `Request::header`, for header params.
    ("headers", ".header("),
    // `login.rs` (`Client::login_user`): it calls `auth().authenticate_user(..)`.
    ("login_user", "fn authenticate_user("),
    // `login.rs` (`Client::login_device`): it calls `auth().authenticate_device(..)`.
    ("login_device", "fn authenticate_device("),
];

/// The helpers the generated files call. Each file is scanned on its own
/// core (this runs in the build script, in a debug build).
pub fn used(files: &[GeneratedFile]) -> BTreeSet<&'static str> {
    let per_file = crate::par::map(files, |file| {
        let code = code_only(&file.contents);
        HELPERS.iter().filter(|(_, call)| code.contains(call)).map(|(helper, _)| *helper).collect::<Vec<_>>()
    });
    per_file.into_iter().flatten().collect()
}

/// Rust source without its comments and with its string and char literals
/// emptied (`"..."` becomes `""`): the code alone. Scans bytes: every
/// delimiter is ASCII, and no byte of a multi-byte character is ASCII, so
/// what is copied or skipped is always whole characters.
fn code_only(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                // To the end of the line; the newline is kept.
                i = bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'"' => {
                out.extend_from_slice(b"\"\"");
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
            }
            // A char literal (`'"'`, `'\''`, `'é'`), not a lifetime (`'de`).
            b'\'' => {
                let rest = &source[i + 1..];
                let mut ahead = rest.chars();
                match (ahead.next(), ahead.next()) {
                    (Some('\\'), _) => {
                        // An escape: to the closing quote after the escaped character.
                        let after = rest.as_bytes().get(2..).unwrap_or_default();
                        let close = after.iter().position(|&b| b == b'\'').map_or(rest.len(), |n| n + 2);
                        out.extend_from_slice(b"' '");
                        i += 1 + close;
                    }
                    (Some(c), Some('\'')) => {
                        out.extend_from_slice(b"' '");
                        i += 1 + c.len_utf8();
                    }
                    _ => out.push(b'\''),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    // Only whole characters were copied (see above).
    String::from_utf8(out).unwrap_or_default()
}

/// The build script's lines: the cfg and all its values declared (so rustc
/// checks their spelling), then one line per helper used.
pub fn cargo_directives(used: &BTreeSet<&'static str>) -> Vec<String> {
    let values: Vec<String> = HELPERS.iter().map(|(helper, _)| format!("{helper:?}")).collect();
    let mut lines = vec![format!("cargo::rustc-check-cfg=cfg({CFG}, values({}))", values.join(", "))];
    lines.extend(used.iter().map(|helper| format!("cargo::rustc-cfg={CFG}={helper:?}")));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_in_the_generated_code_set_their_cfg() {
        let file = |contents: &str| GeneratedFile { name: "x.rs".into(), contents: contents.into() };
        let files =
            [file("self.client.transport.execute_stream(request).await"), file("response.empty().map(|()| X::Ok)")];
        let used = used(&files);
        assert_eq!(used, BTreeSet::from(["empty_body", "sse"]));
        assert_eq!(
            cargo_directives(&used)[1..],
            ["cargo::rustc-cfg=generated_uses=\"empty_body\"", "cargo::rustc-cfg=generated_uses=\"sse\""]
        );
        assert!(cargo_directives(&used)[0].starts_with("cargo::rustc-check-cfg=cfg(generated_uses, values(\"sse\", "));
    }

    #[test]
    fn calls_in_comments_and_literals_do_not_count() {
        let file = |contents: &str| GeneratedFile { name: "x.rs".into(), contents: contents.into() };
        let files = [file(
            "/// Calls `x.execute_stream(r)` and `.empty()`.\nconst A: &str = \"request.header(\\\" .part_json(\";\nlet c = '\"'; let d = '\\''; fn f<'de>() { crate::paging::pages(1) }",
        )];
        assert_eq!(used(&files), BTreeSet::from(["pages"]));
        let auth = [file("pub fn authenticate_user(&self) {}\npub fn authenticate_device(&self) {}")];
        assert_eq!(used(&auth), BTreeSet::from(["login_device", "login_user"]));
        assert_eq!(code_only("a // b\nc \"d\\\"e\" f"), "a \nc \"\" f");
        assert_eq!(
            code_only("let x = 'é'; let y = \"µ\"; /// ü\nz.header('\\u{e9}')"),
            "let x = ' '; let y = \"\"; \nz.header(' ')"
        );
    }
}

//! A layout of generated code that needs no Rust parser: what the client's
//! build script writes into `OUT_DIR`.
//!
//! prettyplease needs a `syn` syntax tree, and parsing the tokens back with
//! `syn` was half of a generation (and compiling `syn` with full features a
//! large part of a cold build of the client). The compiler does not care
//! about layout, and `generated/` and the snapshots, which people read, keep
//! prettyplease's. This one is for the times someone opens `OUT_DIR`: doc
//! attributes as `///` lines, a line per statement, field and item, and
//! blocks indented by four spaces; expressions stay on one line.
//!
//! Spacing never joins two tokens that were apart, so the text lexes back to
//! the same tokens: two punctuation marks are written together only when they
//! were joined (`::`, `=>`, `'a`) or the pair cannot form another token.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The source text of `tokens`, laid out as described above.
pub fn print(tokens: TokenStream) -> String {
    let mut printer =
        Printer { out: String::new(), depth: 0, prev: Prev::LineStart, generics: 0, closure: false, after_move: false };
    printer.items(tokens);
    if !printer.out.ends_with('\n') {
        printer.out.push('\n');
    }
    printer.out
}

/// What was written last, which decides the space before the next token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    LineStart,
    Word,
    Number,
    Punct(char, Spacing),
    /// The second `:` of `::`.
    PathSep,
    /// A `<` that opened generic arguments.
    GenericOpen,
    /// A prefix operator: `&`, `*`, `!`, `-`, or `#` of an attribute.
    Unary,
    Close,
}

struct Printer {
    out: String,
    depth: usize,
    prev: Prev,
    /// Open generic argument lists, to tell `>` from greater-than.
    generics: usize,
    /// Inside a closure's `|params|`.
    closure: bool,
    /// The last word was `move` (a closure follows).
    after_move: bool,
}

impl Printer {
    fn newline(&mut self) {
        if self.prev != Prev::LineStart {
            self.out.push('\n');
            self.prev = Prev::LineStart;
        }
    }

    fn write(&mut self, text: &str, space: bool) {
        if self.prev == Prev::LineStart {
            for _ in 0..self.depth {
                self.out.push_str("    ");
            }
        } else if space {
            self.out.push(' ');
        }
        self.out.push_str(text);
    }

    /// A sequence of items, statements, fields or arms: a line each.
    fn items(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            // `#[doc = "..."]` and `#![doc = "..."]` as `///` and `//!` lines.
            if let Some((used, line)) = doc_comment(&trees[i..]) {
                self.newline();
                self.write(&line, false);
                self.prev = Prev::Word;
                self.newline();
                i += used;
                continue;
            }
            let tree = &trees[i];
            let next = trees.get(i + 1);
            self.tree(tree, next);
            let ends_line = match tree {
                TokenTree::Punct(p) => p.as_char() == ';' || (p.as_char() == ',' && self.generics == 0),
                // An attribute's brackets end its line.
                TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                    matches!(i.checked_sub(1).map(|j| &trees[j]), Some(TokenTree::Punct(p)) if p.as_char() == '#' || p.as_char() == '!')
                }
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => !continues(next),
                _ => false,
            };
            if ends_line {
                self.newline();
            }
            i += 1;
        }
    }

    fn tree(&mut self, tree: &TokenTree, next: Option<&TokenTree>) {
        match tree {
            TokenTree::Ident(ident) => {
                let space = !matches!(
                    self.prev,
                    Prev::Punct(_, Spacing::Joint)
                        | Prev::PathSep
                        | Prev::GenericOpen
                        | Prev::Unary
                        | Prev::Punct('.', _)
                );
                self.write(&ident.to_string(), space);
                self.prev = Prev::Word;
                self.after_move = ident == "move";
                return;
            }
            TokenTree::Literal(literal) => {
                let space = !matches!(
                    self.prev,
                    Prev::Punct(_, Spacing::Joint) | Prev::GenericOpen | Prev::Unary | Prev::PathSep
                );
                self.write(&literal.to_string(), space);
                self.prev = Prev::Number;
            }
            TokenTree::Punct(punct) => self.punct(punct.as_char(), punct.spacing(), next),
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                let glued = matches!(self.prev, Prev::Word | Prev::Close | Prev::PathSep | Prev::GenericOpen)
                    && group.delimiter() != Delimiter::Brace
                    || matches!(
                        self.prev,
                        Prev::Unary | Prev::PathSep | Prev::Punct('!', _) | Prev::Punct(_, Spacing::Joint)
                    );
                let generics = std::mem::take(&mut self.generics);
                // `use a::{B, C}` without spaces inside, as rustfmt writes it.
                let use_tree = self.prev == Prev::PathSep;
                self.write(open, !glued);
                let inner = group.stream();
                if group.delimiter() == Delimiter::Brace && !inner.is_empty() && !fits_on_a_line(&inner) {
                    self.prev = Prev::Punct('{', Spacing::Alone);
                    self.depth += 1;
                    self.newline();
                    self.items(inner);
                    self.depth -= 1;
                    self.newline();
                    self.write(close, false);
                } else {
                    let braces = group.delimiter() == Delimiter::Brace && !inner.is_empty() && !use_tree;
                    self.prev = if braces { Prev::Punct('{', Spacing::Alone) } else { Prev::GenericOpen };
                    let trees: Vec<TokenTree> = inner.into_iter().collect();
                    for (i, tree) in trees.iter().enumerate() {
                        self.tree(tree, trees.get(i + 1));
                    }
                    self.write(close, braces);
                }
                self.generics = generics;
                self.prev = Prev::Close;
            }
        }
        self.after_move = false;
    }

    fn punct(&mut self, c: char, spacing: Spacing, next: Option<&TokenTree>) {
        let joined = matches!(self.prev, Prev::Punct(_, Spacing::Joint));
        let (space, now) = match c {
            ',' | ';' => (false, Prev::Punct(c, spacing)),
            '.' | '?' => (!joined && !matches!(self.prev, Prev::Word | Prev::Close), Prev::Punct(c, spacing)),
            ':' if joined => (false, Prev::PathSep),
            ':' if spacing == Spacing::Joint => {
                (!matches!(self.prev, Prev::Word | Prev::Close | Prev::GenericOpen), Prev::Punct(c, spacing))
            }
            ':' => (false, Prev::Punct(c, spacing)),
            '\'' => (!matches!(self.prev, Prev::GenericOpen | Prev::Unary), Prev::Punct(c, spacing)),
            '<' if !joined && spacing == Spacing::Alone && matches!(self.prev, Prev::Word | Prev::PathSep) => {
                self.generics += 1;
                (false, Prev::GenericOpen)
            }
            '>' if !joined && self.generics > 0 => {
                self.generics -= 1;
                (false, Prev::Close)
            }
            // A closure's parameters: `|value| ..`, `.map(|value: T| ..)`.
            '|' if !joined && spacing == Spacing::Alone && self.closure => {
                self.closure = false;
                (false, Prev::Punct(c, spacing))
            }
            '|' if !joined
                && spacing == Spacing::Alone
                && (self.after_move
                    || matches!(self.prev, Prev::GenericOpen | Prev::Punct(',' | '=', _) | Prev::LineStart)) =>
            {
                self.closure = true;
                (!matches!(self.prev, Prev::GenericOpen | Prev::LineStart), Prev::Unary)
            }
            '!' if matches!(self.prev, Prev::Word) && matches!(next, Some(TokenTree::Group(_))) => {
                (false, Prev::Punct(c, spacing))
            }
            '&' | '!' | '#' | '-' | '*'
                if !joined
                    && spacing == Spacing::Alone
                    && !matches!(self.prev, Prev::Word | Prev::Number | Prev::Close) =>
            {
                (!matches!(self.prev, Prev::LineStart | Prev::GenericOpen | Prev::Unary), Prev::Unary)
            }
            _ => (!joined && self.prev != Prev::GenericOpen, Prev::Punct(c, spacing)),
        };
        let mut text = [0; 4];
        self.write(c.encode_utf8(&mut text), space);
        self.prev = now;
    }
}

/// Whether the token after a block continues the line: `};`, `},`, `} else`,
/// `}.method()`, `})`.
fn continues(next: Option<&TokenTree>) -> bool {
    match next {
        Some(TokenTree::Punct(p)) => matches!(p.as_char(), ',' | ';' | '.' | '?'),
        Some(TokenTree::Ident(i)) => i == "else",
        _ => false,
    }
}

/// A block short enough, and simple enough, for one line: `{ client }`,
/// `{ Serialize, Deserialize }`, `{ f.write_str("an object") }`.
fn fits_on_a_line(tokens: &TokenStream) -> bool {
    // A list with a trailing comma (struct fields, arms) goes a line each.
    if matches!(tokens.clone().into_iter().last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
        return false;
    }
    let mut length = 0;
    for tree in tokens.clone() {
        match &tree {
            TokenTree::Punct(p) if matches!(p.as_char(), ';' | '#') => return false,
            // Match arms go a line each.
            TokenTree::Punct(p) if p.as_char() == '=' && p.spacing() == Spacing::Joint => return false,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return false,
            TokenTree::Group(g) if !fits_on_a_line(&g.stream()) => return false,
            _ => {}
        }
        length += tree.to_string().len() + 1;
        if length > 60 {
            return false;
        }
    }
    true
}

/// `#[doc = "text"]` (or `#![doc = ...]`) at the start of `trees`, as the
/// `///text` (`//!text`) line it stands for, with how many trees it spans.
/// `None` for other attributes and for text a comment cannot hold.
fn doc_comment(trees: &[TokenTree]) -> Option<(usize, String)> {
    let TokenTree::Punct(hash) = trees.first()? else { return None };
    if hash.as_char() != '#' {
        return None;
    }
    let (inner, group) = match trees.get(1)? {
        TokenTree::Punct(bang) if bang.as_char() == '!' => (true, trees.get(2)?),
        group => (false, group),
    };
    let TokenTree::Group(group) = group else { return None };
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let parts: Vec<TokenTree> = group.stream().into_iter().collect();
    let [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(text)] = parts.as_slice() else {
        return None;
    };
    if name != "doc" || eq.as_char() != '=' {
        return None;
    }
    let text = unescape(&text.to_string())?;
    let prefix = if inner { "//!" } else { "///" };
    Some((if inner { 3 } else { 2 }, format!("{prefix}{text}")))
}

/// The value of a plain string literal as `quote` writes it, if it has no
/// line break (a comment line cannot hold one).
fn unescape(literal: &str) -> Option<String> {
    // `///` comments inside `quote!` arrive as raw strings: `r" text"`.
    if let Some(raw) = literal.strip_prefix('r') {
        let hashes = &raw[..raw.len() - raw.trim_start_matches('#').len()];
        let body = raw.strip_prefix(hashes)?.strip_suffix(hashes)?.strip_prefix('"')?.strip_suffix('"')?;
        return (!body.contains(['\n', '\r'])).then(|| body.to_string());
    }
    let body = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            'u' => {
                let code: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&code, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    (!out.contains(['\n', '\r'])).then_some(out)
}

/// Whether two token streams are the same code: the same tokens in the same
/// groups, whatever their spacing, string literals compared by value (a
/// `///` comment and `#[doc = "..."]` are the same).
#[cfg(test)]
fn same(a: TokenStream, b: TokenStream) -> bool {
    let (a, b): (Vec<TokenTree>, Vec<TokenTree>) = (a.into_iter().collect(), b.into_iter().collect());
    a.len() == b.len()
        && a.into_iter().zip(b).all(|pair| match pair {
            (TokenTree::Ident(a), TokenTree::Ident(b)) => a == b,
            (TokenTree::Punct(a), TokenTree::Punct(b)) => a.as_char() == b.as_char(),
            (TokenTree::Literal(a), TokenTree::Literal(b)) => {
                let (a, b) = (a.to_string(), b.to_string());
                a == b || matches!((unescape(&a), unescape(&b)), (Some(a), Some(b)) if a == b)
            }
            (TokenTree::Group(a), TokenTree::Group(b)) => {
                a.delimiter() == b.delimiter() && same(a.stream(), b.stream())
            }
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{print, same};

    #[test]
    fn the_layout_keeps_every_token_and_reads_line_by_line() {
        let tokens = quote! {
            //! Module doc.
            use serde::{Deserialize, Serialize};
            /// A "thing".
            #[derive(Debug, Clone)]
            pub struct Thing<'a> { pub name: Option<Vec<String>>, pub other: &'a str, }
            impl<'de> Deserialize<'de> for Thing<'static> {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let x: Vec<u8> = Vec::<u8>::new();
                    if a != b && !c { return Err(x?); } else { f(&mut y, -1, 'c', b'x'); }
                    match v { Some(1 | 2) => x.len() as usize, _ => 0..=3, }
                    v.map(|mut value: T| { value.x = 1; value }).or_else(move |e| e);
                    matches!(x, Some(_)) || *p >= 2 && q < 3 && r > 4
                }
            }
        };
        let text = print(tokens.clone());
        let reparsed: proc_macro2::TokenStream = text.parse().unwrap();
        assert!(same(reparsed, tokens), "{text}");
        assert!(
            text.starts_with("//! Module doc.\nuse serde::{Deserialize, Serialize};\n/// A \"thing\".\n"),
            "{text}"
        );
        assert!(text.contains("\npub struct Thing<'a> {\n    pub name: Option<Vec<String>>,\n"), "{text}");
        assert!(
            text.contains("    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {\n"),
            "{text}"
        );
        assert!(text.contains("        let x: Vec<u8> = Vec::<u8>::new();\n"), "{text}");
        assert!(text.contains("v.map(|mut value: T| {\n"), "{text}");
        assert!(text.contains(".or_else(move |e| e)"), "{text}");
    }
}

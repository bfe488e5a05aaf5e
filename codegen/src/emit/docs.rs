//! Doc comments for generated items: prose in, `#[doc]` attributes out.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// `#[doc = "..."]` attributes, one per line of `text`; prettyplease prints them as `///`.
pub fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// The lines of a doc comment, each with its leading space. A lone carriage
/// return (which rustc refuses in a doc comment) breaks the line too.
pub fn doc_lines(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect()
}

/// Text safe inside a Markdown table cell on one line.
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Text as a sentence: trimmed, HTML entities from upstream decoded, ending in a period.
pub fn sentence(text: &str) -> String {
    let text = text.trim().replace("&#x27;", "'").replace("&quot;", "\"").replace("&amp;", "&");
    if text.ends_with(['.', '!', '?']) {
        text
    } else {
        format!("{text}.")
    }
}

/// A JSON value as inline code, e.g. `` `86400000` ``; strings without quotes.
pub fn code_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{}`", cell(s)),
        other => format!("`{other}`"),
    }
}

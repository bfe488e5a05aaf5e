//! The generated test that no credential prints: every struct with a
//! `Secret` field is decoded from JSON holding a marker in each such field,
//! and its `Debug` must not show the marker while its JSON still sends it.
//! It lives at the end of `types.rs` (`#[cfg(test)]`), each case behind its
//! type's features, so it follows the spec without anyone listing types.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::types::ident;
use crate::model::features::Enabled;
use crate::typegen::{RustType, TypeKind, TypeSpace};

/// What each credential field holds in the test's JSON.
pub const MARKER: &str = "marker-s3cr3t-never-printed";

/// How deep the example JSON follows required fields (a required field
/// cannot hold its own type, so real specs stop well before).
const MAX_DEPTH: usize = 16;

/// The test module, or nothing when no emitted type has a credential field.
pub fn test_module(space: &TypeSpace, users: &[BTreeSet<String>], all: usize, enabled: &Enabled) -> TokenStream {
    let none = BTreeSet::new();
    let cases: Vec<TokenStream> = space
        .types
        .iter()
        .enumerate()
        .filter(|(id, _)| has_secret_field(space, *id))
        .filter(|(id, _)| enabled.item(users.get(*id).unwrap_or(&none)))
        .map(|(id, def)| {
            let cfg = crate::model::features::cfg(users.get(id).unwrap_or(&none), all);
            let name = ident(&def.name);
            let test = format_ident!("{}", crate::model::names::snake(&def.name));
            let json = example(space, &RustType::Named(id), 0).to_string();
            quote! {
                #cfg
                #[test]
                fn #test() {
                    check::<super::#name>(#json);
                }
            }
        })
        .collect();
    if cases.is_empty() {
        return quote!();
    }
    quote! {
        /// Every type with a credential field: decoded with a marker in each,
        /// its `Debug` does not show the marker and its JSON still sends it.
        #[cfg(test)]
        mod secrets_never_print {
            const MARKER: &str = #MARKER;

            fn check<T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug>(json: &str) {
                let value: T = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
                let shown = format!("{value:?}");
                assert!(!shown.contains(MARKER), "Debug shows a credential: {shown}");
                let sent = serde_json::to_string(&value).unwrap();
                assert!(sent.contains(MARKER), "the credential is not sent: {sent}");
            }

            #(#cases)*
        }
    }
}

/// Whether a generated struct has a field that is a credential.
fn has_secret_field(space: &TypeSpace, id: usize) -> bool {
    match &space.types[id].kind {
        TypeKind::Struct(fields) => fields.iter().any(|f| is_secret(&f.ty)),
        _ => false,
    }
}

fn is_secret(ty: &RustType) -> bool {
    match ty {
        RustType::Secret => true,
        RustType::Nullable(inner) => is_secret(inner),
        _ => false,
    }
}

/// The smallest JSON a type decodes from: the required fields and every
/// credential field of a struct (holding [`MARKER`]), the first value of an
/// enum, the first branch of a union.
pub fn example(space: &TypeSpace, ty: &RustType, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match ty {
        RustType::String => Value::from("text"),
        RustType::Secret => Value::from(MARKER),
        RustType::Timestamp => Value::from("2016-06-13T04:00:00.000Z"),
        RustType::Bool => Value::Bool(false),
        RustType::Integer | RustType::Number => Value::from(0),
        RustType::Json => Value::Null,
        RustType::JsonObject | RustType::Map(_) => Value::Object(Map::new()),
        RustType::List(_) => Value::Array(Vec::new()),
        RustType::Nullable(inner) => example(space, inner, depth + 1),
        RustType::Named(id) => match &space.types[*id].kind {
            TypeKind::Struct(fields) => {
                let object = fields
                    .iter()
                    .filter(|f| !f.flatten && (f.required || is_secret(&f.ty)))
                    .map(|f| (f.wire.clone(), example(space, &f.ty, depth + 1)))
                    .collect();
                Value::Object(object)
            }
            TypeKind::Enum(values) => values.first().map_or(Value::Null, |v| Value::from(v.wire.clone())),
            TypeKind::Union(variants) => {
                let Some(first) = variants.first() else { return Value::Null };
                let mut value = example(space, &first.ty, depth + 1);
                if let (Some(tag), Value::Object(object)) = (&first.tag, &mut value) {
                    if let Some(tag_value) = tag.values.first() {
                        object.insert(tag.property.clone(), Value::from(tag_value.clone()));
                    }
                }
                value
            }
            TypeKind::Alias(inner) => example(space, inner, depth + 1),
        },
    }
}

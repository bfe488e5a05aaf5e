//! What makes a union easy to build and read: `From` each branch's payload
//! where only one variant holds that type, and an `is_*` and `as_*` accessor
//! per variant, each saying when the value is that variant.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc;
use super::types::{held_type, ident};
use crate::typegen::{RustType, TypeDef, TypeSpace, Variant};

/// The `impl` with the accessors and the `From` impls of a union.
/// `unknown`: whether it has the `Unknown(serde_json::Value)` variant.
pub fn union_helpers(
    space: &TypeSpace,
    def: &TypeDef,
    variants: &[Variant],
    unknown: bool,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let mut methods = Vec::new();
    for v in variants {
        let variant = ident(&v.name);
        let snake = crate::model::names::unraw(&crate::model::names::snake(&v.name)).to_string();
        let (is, as_) = (format_ident!("is_{}", snake), format_ident!("as_{}", snake));
        let when = when(space, v);
        let is_doc = doc(&format!("Whether the value is [`{0}::{1}`]: {when}", def.name, v.name));
        let as_doc = doc(&format!(
            "The value held by [`{0}::{1}`], if it is that variant ({2}).",
            def.name,
            v.name,
            when.trim_end_matches('.')
        ));
        methods.push(quote! {
            #is_doc
            pub fn #is(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        });
        let accessor = match &v.ty {
            RustType::Bool | RustType::Integer | RustType::Number => {
                let ty = held_type(space, &v.ty);
                quote! {
                    pub fn #as_(&self) -> Option<#ty> {
                        match self {
                            Self::#variant(value) => Some(*value),
                            _ => None,
                        }
                    }
                }
            }
            RustType::List(inner) => {
                let item = super::types::type_tokens(space, inner);
                quote! {
                    pub fn #as_(&self) -> Option<&[#item]> {
                        match self {
                            Self::#variant(value) => Some(value),
                            _ => None,
                        }
                    }
                }
            }
            RustType::String => quote! {
                pub fn #as_(&self) -> Option<&str> {
                    match self {
                        Self::#variant(value) => Some(value),
                        _ => None,
                    }
                }
            },
            ty => {
                let held = super::types::type_tokens(space, ty);
                let value = if space.boxed(ty) { quote!(&**value) } else { quote!(value) };
                quote! {
                    pub fn #as_(&self) -> Option<&#held> {
                        match self {
                            Self::#variant(value) => Some(#value),
                            _ => None,
                        }
                    }
                }
            }
        };
        methods.push(quote! { #as_doc #accessor });
    }
    if unknown {
        methods.push(quote! {
            /// Whether the value is one no variant describes (a kind newer than this client).
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        });
    }

    // `From` only where one variant holds the type: otherwise which variant a
    // value becomes would be the generator's guess.
    let mut holders: HashMap<String, usize> = HashMap::new();
    for v in variants {
        *holders.entry(super::types::type_tokens(space, &v.ty).to_string()).or_default() += 1;
    }
    let froms =
        variants.iter().filter(|v| holders[&super::types::type_tokens(space, &v.ty).to_string()] == 1).map(|v| {
            let variant = ident(&v.name);
            let ty = super::types::type_tokens(space, &v.ty);
            let value = match &v.ty {
                RustType::Named(_) if space.boxed(&v.ty) => quote!(Box::new(value)),
                _ => quote!(value),
            };
            let text = matches!(v.ty, RustType::String).then(|| {
                quote! {
                    #cfg
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            Self::#variant(value.to_owned())
                        }
                    }
                }
            });
            quote! {
                #cfg
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#variant(#value)
                    }
                }
                #text
            }
        });
    quote! {
        #cfg
        impl #name {
            #(#methods)*
        }
        #(#froms)*
    }
}

/// When a value is a variant: its tag, or the shape it is decoded by.
fn when(space: &TypeSpace, v: &Variant) -> String {
    match &v.tag {
        Some(tag) => {
            let values: Vec<String> = tag.values.iter().map(|value| format!("`\"{value}\"`")).collect();
            format!("its `{}` is {}.", tag.property, values.join(" or "))
        }
        None => match (&v.doc, &v.ty) {
            (Some(format), _) => format!("the value is `{format}` text."),
            (None, RustType::Named(id)) => format!("the value has the shape of [`{}`].", space.types[*id].name),
            (None, RustType::Bool) => "the value is a boolean.".to_string(),
            (None, RustType::Integer) => "the value is an integer.".to_string(),
            (None, RustType::Number) => "the value is a number.".to_string(),
            (None, RustType::String | RustType::Secret) => "the value is text.".to_string(),
            (None, RustType::List(_)) => "the value is an array.".to_string(),
            (None, RustType::Map(_) | RustType::JsonObject) => "the value is an object.".to_string(),
            (None, _) => "the value has this shape.".to_string(),
        },
    }
}
